/* hl-archive-segment.c: a segment's bytes, keys, encryption and coding
 * (docs/protocol.md, "Segment bytes", "Keys", "Coding").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-private.h"

#include <sodium.h>

#include "hl-limits.h"
#include "hl-private.h"

#define MAGIC "HLSEG1"

G_DEFINE_QUARK (hl-archive-error-quark, hl_archive_error)

struct _HlSegment
{
  HlSegmentManifest  manifest;
  GBytes            *plaintext;
  GBytes            *ciphertext;
  guint8             key[HL_ARCHIVE_KEY_BYTES];
  guint8             nonce[HL_ARCHIVE_NONCE_BYTES];
  HlCodecEncoder    *encoder;
  HlMerkle         **trees;        /* one per source block */
};

void
hl_archive_subnet_key (const guint8 *create_id,
                       const guint8 *create_sig,
                       guint8       *out)
{
  static const char label[] = "hyperlink-archive-key-v1";
  crypto_generichash_state state;

  crypto_generichash_init (&state, (const guint8 *) label, strlen (label), HL_ARCHIVE_KEY_BYTES);
  crypto_generichash_update (&state, create_id, HL_ID_LEN);
  crypto_generichash_update (&state, create_sig, HL_SIG_LEN);
  crypto_generichash_final (&state, out, HL_ARCHIVE_KEY_BYTES);
}

void
hl_archive_private_key (const guint8 *epoch_key,
                        const guint8 *subnet,
                        guint8       *out)
{
  static const char label[] = "hyperlink-archive-private-v1";
  crypto_generichash_state state;

  crypto_generichash_init (&state, epoch_key, HL_PRIVATE_KEY_LEN, HL_ARCHIVE_KEY_BYTES);
  crypto_generichash_update (&state, (const guint8 *) label, strlen (label));
  crypto_generichash_update (&state, subnet, HL_ID_LEN);
  crypto_generichash_final (&state, out, HL_ARCHIVE_KEY_BYTES);
}

void
hl_archive_segment_key (const guint8 *subnet_key,
                        const guint8 *subnet,
                        guint         year,
                        guint         month,
                        guint32       gen,
                        guint         part,
                        guint8       *out)
{
  crypto_generichash_state state;
  guint8 fields[2 + 1 + 4 + 2] = {
    (guint8) (year >> 8), (guint8) year, (guint8) month,
    (guint8) (gen >> 24), (guint8) (gen >> 16), (guint8) (gen >> 8), (guint8) gen,
    (guint8) (part >> 8), (guint8) part,
  };

  crypto_generichash_init (&state, subnet_key, HL_ARCHIVE_KEY_BYTES, HL_ARCHIVE_KEY_BYTES);
  crypto_generichash_update (&state, (const guint8 *) "hl-seg-v1", 9);
  crypto_generichash_update (&state, subnet, HL_ID_LEN);
  crypto_generichash_update (&state, fields, sizeof fields);
  crypto_generichash_final (&state, out, HL_ARCHIVE_KEY_BYTES);
}

void
hl_archive_segment_nonce (const guint8 *segment_key,
                          const guint8 *plaintext_hash,
                          guint8       *out)
{
  guint8 full[HL_ID_LEN];

  crypto_generichash (full, sizeof full, plaintext_hash, HL_ID_LEN, segment_key,
                      HL_ARCHIVE_KEY_BYTES);
  memcpy (out, full, HL_ARCHIVE_NONCE_BYTES);
}

static void
put_u16 (guint8 *p, guint v) { p[0] = (guint8) (v >> 8); p[1] = (guint8) v; }

static void
put_u32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

static guint
get_u16 (const guint8 *p) { return ((guint) p[0] << 8) | p[1]; }

static guint32
get_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

void
hl_archive_header (const guint8 *subnet,
                   guint         year,
                   guint         month,
                   guint32       gen,
                   guint         part,
                   guint         parts,
                   guint32       count,
                   guint8       *out)
{
  memcpy (out, MAGIC, 6);
  memcpy (out + 6, subnet, HL_ID_LEN);
  put_u16 (out + 38, year);
  out[40] = (guint8) month;
  put_u32 (out + 41, gen);
  put_u16 (out + 45, part);
  put_u16 (out + 47, parts);
  put_u32 (out + 49, count);
}

/* The header of @plaintext as manifest fields (no checks beyond its size). */
static gboolean
read_header (GBytes            *plaintext,
             HlSegmentManifest *m)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (plaintext, &len);

  if (len < HL_ARCHIVE_HEADER_BYTES || memcmp (p, MAGIC, 6) != 0)
    return FALSE;
  memcpy (m->subnet, p + 6, HL_ID_LEN);
  m->year = get_u16 (p + 38);
  m->month = p[40];
  m->gen = get_u32 (p + 41);
  m->part = get_u16 (p + 45);
  m->parts = get_u16 (p + 47);
  m->count = get_u32 (p + 49);
  return TRUE;
}

gboolean
hl_archive_record_ts (const guint8 *raw,
                      gsize         raw_len,
                      guint64      *ts)
{
  /* HLEV, v, kind length, kind, author, then ts (docs/protocol.md, "Canonical bytes"). */
  gsize at;

  if (raw_len < 6)
    return FALSE;
  at = 6 + (gsize) raw[5] + HL_KEY_LEN;
  if (raw_len < at + 8)
    return FALSE;
  *ts = 0;
  for (guint i = 0; i < 8; i++)
    *ts = (*ts << 8) | raw[at + i];
  return TRUE;
}

/* Walks the records after the header: each one's bytes, in order, with
 * nothing left over. */
typedef gboolean (*RecordStep) (const guint8 *raw,
                                gsize         raw_len,
                                const guint8 *sig,
                                gpointer      user_data);

static gboolean
walk_records (GBytes     *plaintext,
              guint32     count,
              RecordStep  step,
              gpointer    user_data)
{
  gsize len, at = HL_ARCHIVE_HEADER_BYTES;
  const guint8 *p = g_bytes_get_data (plaintext, &len);

  for (guint32 i = 0; i < count; i++)
    {
      guint32 l;

      if (len - at < 4)
        return FALSE;
      l = get_u32 (p + at);
      if (l == 0 || l > HL_MAX_EVENT_BYTES || len - at - 4 < (gsize) l + HL_SIG_LEN)
        return FALSE;
      if (!step (p + at + 4, l, p + at + 4 + l, user_data))
        return FALSE;
      at += 4 + (gsize) l + HL_SIG_LEN;
    }
  return at == len;
}

typedef struct
{
  guint64 first;
  guint64 last;
  guint32 seen;
} Span;

static gboolean
span_step (const guint8 *raw,
           gsize         raw_len,
           const guint8 *sig,
           gpointer      user_data)
{
  Span *span = user_data;
  guint64 ts;

  if (!hl_archive_record_ts (raw, raw_len, &ts))
    return FALSE;
  if (span->seen++ == 0)
    span->first = ts;
  span->last = ts;
  return TRUE;
}

static gboolean
encrypt (HlSegment *self)
{
  gsize len;
  const guint8 *plain = g_bytes_get_data (self->plaintext, &len);
  guint8 *cipher = g_malloc (len + HL_ARCHIVE_TAG_BYTES);
  unsigned long long cipher_len = 0;

  /* The additional data: the header but its count. */
  crypto_aead_xchacha20poly1305_ietf_encrypt (cipher, &cipher_len, plain, len, plain,
                                              HL_ARCHIVE_AD_BYTES, NULL, self->nonce, self->key);
  self->ciphertext = g_bytes_new_take (cipher, (gsize) cipher_len);
  return TRUE;
}

/* The leaves of every committed symbol of each block, and their trees. */
static gboolean
build_trees (HlSegment  *self,
             GError    **error)
{
  HlSegmentManifest *m = &self->manifest;
  guint8 symbol[HL_ARCHIVE_SYMBOL_SIZE];

  m->n_roots = m->codec.source_blocks;
  m->roots = g_malloc ((gsize) m->n_roots * HL_ID_LEN);
  self->trees = g_new0 (HlMerkle *, m->n_roots);
  for (guint sbn = 0; sbn < m->n_roots; sbn++)
    {
      guint32 committed = hl_archive_committed (m, sbn);
      guint8 *leaves = g_malloc ((gsize) committed * HL_ID_LEN);

      for (guint32 esi = 0; esi < committed; esi++)
        {
          if (!hl_codec_encoder_symbol (self->encoder, sbn, esi, symbol, error))
            {
              g_free (leaves);
              return FALSE;
            }
          hl_archive_leaf (sbn, esi, symbol, leaves + (gsize) esi * HL_ID_LEN);
        }
      self->trees[sbn] = hl_merkle_new (committed, leaves);
      memcpy (m->roots + (gsize) sbn * HL_ID_LEN, hl_merkle_root (self->trees[sbn]), HL_ID_LEN);
    }
  return TRUE;
}

HlSegment *
hl_segment_new_from_plaintext (GBytes       *plaintext,
                               const guint8 *subnet_key,
                               GError      **error)
{
  g_autoptr(HlSegment) self = g_new0 (HlSegment, 1);
  HlSegmentManifest *m = &self->manifest;
  Span span = { 0 };
  gsize len;
  const guint8 *plain = g_bytes_get_data (plaintext, &len);

  if (len > HL_ARCHIVE_MAX_PLAINTEXT)
    {
      g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_TOO_LARGE,
                   "A segment of %" G_GSIZE_FORMAT " bytes is more than the %u a segment may "
                   "hold", len, HL_ARCHIVE_MAX_PLAINTEXT);
      return NULL;
    }
  if (!read_header (plaintext, m) || m->count == 0 ||
      !walk_records (plaintext, m->count, span_step, &span))
    {
      g_set_error_literal (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT,
                           "Not the plaintext of a segment");
      return NULL;
    }
  self->plaintext = g_bytes_ref (plaintext);
  m->first = span.first;
  m->last = span.last;
  crypto_generichash (m->hash, HL_ID_LEN, plain, len, NULL, 0);
  hl_archive_segment_key (subnet_key, m->subnet, m->year, m->month, m->gen, m->part, self->key);
  hl_archive_segment_nonce (self->key, m->hash, self->nonce);
  encrypt (self);
  m->size = g_bytes_get_size (self->ciphertext);
  if (!hl_archive_oti_for_size (m->size, &m->codec, error))
    return NULL;
  hl_codec_oti_serialize (&m->codec, m->oti);
  if (!(self->encoder = hl_codec_encoder_new (self->ciphertext, &m->codec, error)) ||
      !build_trees (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
hl_segment_free (HlSegment *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; self->trees != NULL && i < self->manifest.n_roots; i++)
    hl_merkle_free (self->trees[i]);
  g_free (self->trees);
  g_clear_pointer (&self->encoder, hl_codec_encoder_free);
  g_clear_pointer (&self->plaintext, g_bytes_unref);
  g_clear_pointer (&self->ciphertext, g_bytes_unref);
  sodium_memzero (self->key, sizeof self->key);
  hl_segment_manifest_clear (&self->manifest);
  g_free (self);
}

const HlSegmentManifest *
hl_segment_manifest (HlSegment *self)
{
  return &self->manifest;
}

GBytes *
hl_segment_plaintext (HlSegment *self)
{
  return self->plaintext;
}

GBytes *
hl_segment_ciphertext (HlSegment *self)
{
  return self->ciphertext;
}

const guint8 *
hl_segment_key (HlSegment *self)
{
  return self->key;
}

const guint8 *
hl_segment_nonce (HlSegment *self)
{
  return self->nonce;
}

gboolean
hl_segment_symbol (HlSegment  *self,
                   guint       sbn,
                   guint32     esi,
                   guint8     *out,
                   GError    **error)
{
  return hl_codec_encoder_symbol (self->encoder, sbn, esi, out, error);
}

GBytes *
hl_segment_proof (HlSegment *self,
                  guint      sbn,
                  guint32    first,
                  guint32    count)
{
  g_return_val_if_fail (sbn < self->manifest.n_roots, NULL);
  return hl_merkle_proof (self->trees[sbn], first, count);
}

typedef struct
{
  const HlSegmentManifest *manifest;
  gint64                   start;
  gint64                   end;
  guint64                  prev_ts;
  guint8                   prev_id[HL_ID_LEN];
  guint32                  seen;
  HlArchiveRecordReader    func;
  gpointer                 user_data;
} Reading;

static gboolean
read_step (const guint8 *raw,
           gsize         raw_len,
           const guint8 *sig,
           gpointer      user_data)
{
  Reading *r = user_data;
  guint8 id[HL_ID_LEN];
  guint64 ts;

  if (!hl_archive_record_ts (raw, raw_len, &ts) || (gint64) ts < r->start ||
      (gint64) ts >= r->end)
    return FALSE;
  crypto_generichash (id, sizeof id, raw, raw_len, NULL, 0);
  /* Strictly in (ts, id) order: no repeats, nothing out of place. */
  if (r->seen++ > 0 && (ts < r->prev_ts ||
                        (ts == r->prev_ts && memcmp (id, r->prev_id, HL_ID_LEN) <= 0)))
    return FALSE;
  r->prev_ts = ts;
  memcpy (r->prev_id, id, HL_ID_LEN);
  return r->func == NULL || r->func (raw, raw_len, sig, r->user_data);
}

gboolean
hl_archive_plaintext_read (GBytes                  *plaintext,
                           const HlSegmentManifest *manifest,
                           HlArchiveRecordReader    func,
                           gpointer                 user_data,
                           GError                 **error)
{
  g_auto(HlSegmentManifest) header = { { 0 } };
  guint year = manifest->year, month = manifest->month;
  Reading r = { manifest, 0, 0, 0, { 0 }, 0, func, user_data };

  r.start = hl_archive_month_start_ms (year, month);
  hl_archive_month_next (&year, &month);
  r.end = hl_archive_month_start_ms (year, month);
  if (!read_header (plaintext, &header) ||
      memcmp (header.subnet, manifest->subnet, HL_ID_LEN) != 0 ||
      header.year != manifest->year || header.month != manifest->month ||
      header.gen != manifest->gen || header.part != manifest->part ||
      header.parts != manifest->parts || header.count != manifest->count ||
      !walk_records (plaintext, header.count, read_step, &r))
    {
      g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT,
                   "The decoded segment is not what its manifest describes (header, record "
                   "layout or order)");
      return FALSE;
    }
  return TRUE;
}
