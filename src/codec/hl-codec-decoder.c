/* hl-codec-decoder.c: RaptorQ object decoder.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-codec.h"

#include <string.h>

#include "hl-codec-gf256.h"
#include "hl-codec-private.h"

/* Received symbols live in fixed chunks of about this size, so that
 * storing one never moves the others (no realloc copies) and a peer that
 * sends one packet per block does not make us commit K*T bytes each. */
#define CHUNK_BYTES ((gsize) 256 * 1024)

/* Up to this much symbol data a decode works on a copy (see decode_block). */
#ifndef RESTORE_MAX_BYTES
#define RESTORE_MAX_BYTES ((gsize) 4 << 20)
#endif

typedef struct
{
  guint32 k;
  HlRqParams params;
  gboolean done;
  guint8 *block;        /* decoded block (K*T bytes) once done */
  guint32 n_sym;        /* distinct symbols stored */
  guint32 n_source;     /* ... of which source symbols */
  guint32 cap;          /* most distinct symbols kept */
  guint32 *esis;        /* per stored symbol */
  guint32 esis_len;     /* allocated entries of esis */
  guint32 chunk_syms;
  GPtrArray *chunks;
  guint8 *have_source;  /* per source ESI: received? */
  GHashTable *repair;   /* repair ESIs seen */
} DecBlock;

struct _HlCodecDecoder
{
  HlCodecOti oti;
  HlCodecLayout lay;
  DecBlock *blocks;
  guint32 n_done;
  GBytes *object;
};

HlCodecDecoder *
hl_codec_decoder_new (const HlCodecOti *oti, GError **error)
{
  HlCodecDecoder *dec;

  if (!hl_codec_oti_validate (oti, error))
    return NULL;
  dec = g_new0 (HlCodecDecoder, 1);
  dec->oti = *oti;
  hl_codec_layout_init (&dec->lay, oti);
  dec->blocks = g_new0 (DecBlock, oti->source_blocks);
  for (guint32 sbn = 0; sbn < oti->source_blocks; sbn++)
    {
      DecBlock *b = &dec->blocks[sbn];

      b->k = hl_codec_layout_block_k (&dec->lay, sbn);
      hl_rq_params_for_k (b->k, &b->params);
      /* More than this many distinct symbols cannot plausibly be needed;
       * the cap bounds memory whatever a peer sends. */
      b->cap = 2 * b->params.k_prime + 64;
      b->chunk_syms = (guint32) CLAMP (CHUNK_BYTES / oti->symbol_size, 1, 256);
    }
  return dec;
}

static void
block_release_symbols (DecBlock *b)
{
  g_clear_pointer (&b->chunks, g_ptr_array_unref);
  g_clear_pointer (&b->esis, g_free);
  g_clear_pointer (&b->have_source, g_free);
  g_clear_pointer (&b->repair, g_hash_table_unref);
}

void
hl_codec_decoder_free (HlCodecDecoder *dec)
{
  if (dec == NULL)
    return;
  for (guint32 sbn = 0; sbn < dec->oti.source_blocks; sbn++)
    {
      block_release_symbols (&dec->blocks[sbn]);
      g_free (dec->blocks[sbn].block);
    }
  g_free (dec->blocks);
  g_clear_pointer (&dec->object, g_bytes_unref);
  g_free (dec);
}

static inline guint8 *
sym_ptr (DecBlock *b, guint32 idx, gsize t)
{
  return (guint8 *) g_ptr_array_index (b->chunks, idx / b->chunk_syms)
         + (gsize) (idx % b->chunk_syms) * t;
}

gboolean
hl_codec_decoder_add_symbol (HlCodecDecoder *dec, guint sbn, guint32 esi,
                             const guint8 *symbol, gsize len, GError **error)
{
  DecBlock *b;
  gsize t = dec->lay.t;

  if (sbn >= dec->oti.source_blocks || esi > HL_CODEC_MAX_ESI || len != t)
    {
      g_set_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PACKET,
                   "Packet does not belong to this object (SBN %u, ESI %u, %" G_GSIZE_FORMAT
                   " bytes; expect SBN < %u, %" G_GSIZE_FORMAT " bytes)",
                   sbn, esi, len, dec->oti.source_blocks, t);
      return FALSE;
    }
  b = &dec->blocks[sbn];
  if (b->done || b->n_sym >= b->cap)
    return TRUE;
  if (b->chunks == NULL)
    {
      b->chunks = g_ptr_array_new_with_free_func (g_free);
      b->esis_len = 64;
      b->esis = g_new (guint32, b->esis_len);
      b->have_source = g_new0 (guint8, b->k);
      b->repair = g_hash_table_new (NULL, NULL);
    }
  if (esi < b->k)
    {
      if (b->have_source[esi])
        return TRUE;
      b->have_source[esi] = 1;
      b->n_source++;
    }
  else
    {
      if (!g_hash_table_add (b->repair, GUINT_TO_POINTER (esi)))
        return TRUE;
    }
  if (b->n_sym == b->esis_len)
    {
      b->esis_len = MIN (2 * b->esis_len, b->cap);
      b->esis = g_renew (guint32, b->esis, b->esis_len);
    }
  if (b->n_sym % b->chunk_syms == 0)
    g_ptr_array_add (b->chunks, g_malloc ((gsize) b->chunk_syms * t));
  memcpy (sym_ptr (b, b->n_sym, t), symbol, t);
  b->esis[b->n_sym++] = esi;
  return TRUE;
}

gboolean
hl_codec_decoder_add_packet (HlCodecDecoder *dec, const guint8 *packet,
                             gsize len, GError **error)
{
  if (len < HL_CODEC_PAYLOAD_ID_SIZE)
    {
      g_set_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PACKET,
                   "Packet of %" G_GSIZE_FORMAT " bytes is too short", len);
      return FALSE;
    }
  return hl_codec_decoder_add_symbol (dec, packet[0],
                                      ((guint32) packet[1] << 16) | ((guint32) packet[2] << 8) | packet[3],
                                      packet + HL_CODEC_PAYLOAD_ID_SIZE,
                                      len - HL_CODEC_PAYLOAD_ID_SIZE, error);
}

/* Decodes one block if its symbols determine it; FALSE otherwise (the
 * received symbols are left untouched then). */
static gboolean
decode_block (HlCodecDecoder *dec, DecBlock *b)
{
  const HlRqParams *p = &b->params;
  gsize t = dec->lay.t;
  guint32 pad = p->k_prime - b->k;

  g_autofree guint32 *source_idx = NULL;

  if (b->n_sym < b->k)
    return FALSE;
  source_idx = g_new (guint32, b->k);
  for (guint32 i = 0; i < b->n_sym; i++)
    if (b->esis[i] < b->k)
      source_idx[b->esis[i]] = i;
  b->block = g_malloc ((gsize) b->k * t);

  if (b->n_source == b->k)
    {
      for (guint32 i = 0; i < b->k; i++)
        hl_codec_layout_scatter_block (&dec->lay, b->block, b->k, i,
                                       sym_ptr (b, source_idx[i], t));
    }
  else
    {
      guint32 n_rows = b->n_sym + pad;
      g_autofree guint32 *isis = g_new (guint32, n_rows);
      g_autoptr (HlRqSchedule) sched = NULL;
      g_autofree guint8 **slots = NULL;
      g_autofree guint8 *work = NULL;
      g_autofree guint8 *zero = NULL;
      guint32 first = p->s + p->h, n_slots;
      gboolean restore;
      const HlGfKernels *kern = hl_gf_kernels ();
      g_autofree guint8 *sym = g_malloc (t);

      for (guint32 i = 0; i < b->n_sym; i++)
        isis[i] = b->esis[i] < b->k ? b->esis[i] : b->esis[i] + pad;
      for (guint32 i = 0; i < pad; i++)
        isis[b->n_sym + i] = b->k + i;
      /* Small blocks: the schedule works on a copy (constraint, padding and
       * scratch rows zero) and reads the received symbols, left intact, as
       * originals, which is cheaper than undoing its forward substitution.
       * Large blocks: in place, undoing; the copy would cost more in memory
       * (and page faults) than it saves in arithmetic. */
      restore = (gsize) (first + n_rows + 1) * t <= RESTORE_MAX_BYTES;
      sched = hl_rq_schedule_new (p, isis, n_rows, restore, TRUE);
      if (sched == NULL)
        {
          g_clear_pointer (&b->block, g_free);
          return FALSE;
        }
      n_slots = sched->n_slots;
      slots = g_new (guint8 *, 2 * (gsize) n_slots);
      if (restore)
        {
          work = g_malloc ((gsize) n_slots * t);
          zero = g_malloc0 (t);
          for (guint32 i = 0; i < n_slots; i++)
            {
              slots[i] = work + (gsize) i * t;
              slots[n_slots + i] = zero;
            }
          memset (work, 0, (gsize) first * t);
          for (guint32 i = 0; i < b->n_sym; i++)
            {
              slots[n_slots + first + i] = sym_ptr (b, i, t);
              memcpy (slots[first + i], slots[n_slots + first + i], t);
            }
          memset (slots[first + b->n_sym], 0, (gsize) (pad + 1) * t);
        }
      else
        {
          zero = g_malloc0 ((gsize) (first + pad + 1) * t);
          for (guint32 i = 0; i < first; i++)
            slots[i] = zero + (gsize) i * t;
          for (guint32 i = 0; i < b->n_sym; i++)
            slots[first + i] = sym_ptr (b, i, t);
          for (guint32 i = 0; i <= pad; i++)
            slots[first + b->n_sym + i] = zero + (gsize) (first + i) * t;
        }

      /* Received source symbols go to the block before an in-place
       * schedule overwrites them. */
      for (guint32 i = 0; i < b->k; i++)
        if (b->have_source[i])
          hl_codec_layout_scatter_block (&dec->lay, b->block, b->k, i,
                                         sym_ptr (b, source_idx[i], t));
      hl_rq_schedule_run (sched, slots, t);
      for (guint32 i = 0; i < b->k; i++)
        {
          guint32 cols[HL_RQ_MAX_ROW_COLS];
          guint n;

          if (b->have_source[i])
            continue;
          n = hl_rq_isi_columns (p, i, cols);
          memcpy (sym, slots[sched->col_slot[cols[0]]], t);
          for (guint j = 1; j < n; j++)
            kern->xor_into (sym, slots[sched->col_slot[cols[j]]], t);
          hl_codec_layout_scatter_block (&dec->lay, b->block, b->k, i, sym);
        }
    }
  b->done = TRUE;
  block_release_symbols (b);
  return TRUE;
}

static void
assemble (HlCodecDecoder *dec)
{
  guint8 *obj;

  if (dec->oti.source_blocks == 1)
    {
      /* The block is the object plus padding. */
      obj = g_realloc (g_steal_pointer (&dec->blocks[0].block), dec->lay.f);
    }
  else
    {
      obj = g_malloc (dec->lay.f);
      for (guint32 sbn = 0; sbn < dec->oti.source_blocks; sbn++)
        {
          DecBlock *b = &dec->blocks[sbn];
          guint64 off = hl_codec_layout_block_offset (&dec->lay, sbn);
          guint64 len = MIN ((guint64) b->k * dec->lay.t, dec->lay.f - off);

          memcpy (obj + off, b->block, len);
          g_clear_pointer (&b->block, g_free);
        }
    }
  dec->object = g_bytes_new_take (obj, dec->lay.f);
}

gboolean
hl_codec_decoder_decode (HlCodecDecoder *dec, GError **error)
{
  if (dec->object != NULL)
    return TRUE;
  for (guint32 sbn = 0; sbn < dec->oti.source_blocks; sbn++)
    {
      DecBlock *b = &dec->blocks[sbn];

      if (!b->done && decode_block (dec, b))
        dec->n_done++;
    }
  if (dec->n_done < dec->oti.source_blocks)
    {
      g_set_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_NOT_DECODABLE,
                   "%u of %u source blocks cannot be decoded yet",
                   dec->oti.source_blocks - dec->n_done, dec->oti.source_blocks);
      return FALSE;
    }
  assemble (dec);
  return TRUE;
}

gboolean
hl_codec_decoder_is_complete (HlCodecDecoder *dec)
{
  return dec->object != NULL;
}

const guint8 *
hl_codec_decoder_get_object (HlCodecDecoder *dec, gsize *len)
{
  if (dec->object == NULL)
    return NULL;
  return g_bytes_get_data (dec->object, len);
}

GBytes *
hl_codec_decoder_steal_object (HlCodecDecoder *dec)
{
  return g_steal_pointer (&dec->object);
}
