/* hl-codec-encoder.c: RaptorQ object encoder.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-codec.h"

#include <string.h>

#include "hl-codec-gf256.h"
#include "hl-codec-private.h"

typedef struct
{
  guint32 k;
  HlRqParams params;
  HlRqSchedule *sched;        /* shared, per K' */
  guint8 *slots_mem;          /* NULL until the first repair request */
} EncBlock;

struct _HlCodecEncoder
{
  HlCodecOti oti;
  HlCodecLayout lay;
  GBytes *data;
  const guint8 *obj;
  EncBlock *blocks;
};

HlCodecEncoder *
hl_codec_encoder_new (GBytes *data, const HlCodecOti *oti, GError **error)
{
  HlCodecEncoder *enc;
  HlCodecOti o = *oti;

  g_return_val_if_fail (data != NULL, NULL);
  o.transfer_length = g_bytes_get_size (data);
  if (!hl_codec_oti_validate (&o, error))
    return NULL;

  enc = g_new0 (HlCodecEncoder, 1);
  enc->oti = o;
  hl_codec_layout_init (&enc->lay, &o);
  enc->data = g_bytes_ref (data);
  enc->obj = g_bytes_get_data (data, NULL);
  enc->blocks = g_new0 (EncBlock, o.source_blocks);
  for (guint32 sbn = 0; sbn < o.source_blocks; sbn++)
    {
      EncBlock *b = &enc->blocks[sbn];

      b->k = hl_codec_layout_block_k (&enc->lay, sbn);
      hl_rq_params_for_k (b->k, &b->params);
    }
  return enc;
}

void
hl_codec_encoder_free (HlCodecEncoder *enc)
{
  if (enc == NULL)
    return;
  for (guint32 sbn = 0; sbn < enc->oti.source_blocks; sbn++)
    {
      g_free (enc->blocks[sbn].slots_mem);
      hl_rq_schedule_free (enc->blocks[sbn].sched);
    }
  g_free (enc->blocks);
  g_bytes_unref (enc->data);
  g_free (enc);
}

const HlCodecOti *
hl_codec_encoder_get_oti (HlCodecEncoder *enc)
{
  return &enc->oti;
}

/* Computes the intermediate symbols of a block: source symbols into the
 * row slots of the cached per-K' schedule, then pure symbol arithmetic.
 * The schedule also reads the untouched source symbols ("originals"):
 * straight from the object when symbols are contiguous in it. */
static void
prepare_block (HlCodecEncoder *enc, guint32 sbn)
{
  EncBlock *b = &enc->blocks[sbn];
  const HlRqParams *p = &b->params;
  gsize t = enc->lay.t;
  guint32 first = p->s + p->h;
  guint32 n_slots;
  g_autofree guint8 **slots = NULL;
  g_autofree guint8 *zero = NULL;
  g_autofree guint8 *orig = NULL;
  guint32 n_contig = 0;  /* source symbols read from the object in place */

  b->sched = hl_rq_schedule_for_encoding (p->k_prime);
  n_slots = b->sched->n_slots;
  b->slots_mem = g_malloc ((gsize) n_slots * t);
  slots = g_new (guint8 *, 2 * (gsize) n_slots);
  for (guint32 i = 0; i < n_slots; i++)
    slots[i] = b->slots_mem + (gsize) i * t;
  memset (slots[0], 0, (gsize) first * t);
  if (enc->lay.n == 1)
    {
      guint64 off = hl_codec_layout_block_offset (&enc->lay, sbn);
      guint64 len = MIN ((guint64) b->k * t, enc->lay.f - off);

      /* Symbols are contiguous in the object: one copy for the block. */
      memcpy (slots[first], enc->obj + off, len);
      memset (slots[first] + len, 0, (gsize) (p->k_prime + 1) * t - len);
      n_contig = (guint32) (len / t);
      for (guint32 i = 0; i < n_contig; i++)
        slots[n_slots + first + i] = (guint8 *) enc->obj + off + (gsize) i * t;
    }
  else
    {
      for (guint32 i = 0; i < b->k; i++)
        hl_codec_layout_gather (&enc->lay, enc->obj, sbn, b->k, i, slots[first + i]);
      memset (slots[first + b->k], 0, (gsize) (p->k_prime - b->k + 1) * t);
    }
  /* Originals of the remaining source symbols are copies; everything else
   * starts as zero. */
  orig = g_malloc ((gsize) (b->k - n_contig) * t + 1);
  memcpy (orig, slots[first + n_contig], (gsize) (b->k - n_contig) * t);
  zero = g_malloc0 (t);
  for (guint32 i = 0; i < n_slots; i++)
    {
      guint32 r = i - first;

      if (i < first || r >= b->k)
        slots[n_slots + i] = zero;
      else if (r >= n_contig)
        slots[n_slots + i] = orig + (gsize) (r - n_contig) * t;
    }
  hl_rq_schedule_run (b->sched, slots, t);
}

gboolean
hl_codec_encoder_symbol (HlCodecEncoder *enc, guint sbn, guint32 esi,
                         guint8 *out, GError **error)
{
  EncBlock *b;
  gsize t = enc->lay.t;

  if (sbn >= enc->oti.source_blocks || esi > HL_CODEC_MAX_ESI)
    {
      g_set_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PACKET,
                   "No symbol SBN %u ESI %u in this object", sbn, esi);
      return FALSE;
    }
  b = &enc->blocks[sbn];
  if (esi < b->k)
    {
      hl_codec_layout_gather (&enc->lay, enc->obj, sbn, b->k, esi, out);
      return TRUE;
    }
  if (b->slots_mem == NULL)
    prepare_block (enc, sbn);
  {
    const HlGfKernels *kern = hl_gf_kernels ();
    guint32 cols[HL_RQ_MAX_ROW_COLS];
    /* Repair ESIs follow the K' - K padding ISIs (RFC 6330 5.3.1). */
    guint n = hl_rq_isi_columns (&b->params, esi + (b->params.k_prime - b->k), cols);
    const guint32 *cs = b->sched->col_slot;

    memcpy (out, b->slots_mem + (gsize) cs[cols[0]] * t, t);
    for (guint i = 1; i < n; i++)
      kern->xor_into (out, b->slots_mem + (gsize) cs[cols[i]] * t, t);
  }
  return TRUE;
}

gboolean
hl_codec_encoder_packet (HlCodecEncoder *enc, guint sbn, guint32 esi,
                         guint8 *out, GError **error)
{
  out[0] = (guint8) sbn;
  out[1] = (guint8) (esi >> 16);
  out[2] = (guint8) (esi >> 8);
  out[3] = (guint8) esi;
  return hl_codec_encoder_symbol (enc, sbn, esi, out + HL_CODEC_PAYLOAD_ID_SIZE, error);
}
