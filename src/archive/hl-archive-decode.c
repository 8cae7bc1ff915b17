/* hl-archive-decode.c: a segment back from its symbols, into the store
 * through the path every received event takes (docs/protocol.md,
 * "Decoding").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-private.h"

#include <sodium.h>

#define VERIFY_CHUNK 1024
#define APPLY_BATCH  8192

typedef struct
{
  HlCodecDecoder *decoder;
  guint           fed;
  guint32         last_esi;
  gboolean        any;
  guint           want;
} Feeding;

static gboolean
feed_one (guint         sbn,
          guint32       esi,
          const guint8 *leaf,
          const guint8 *data,
          gpointer      user_data)
{
  Feeding *f = user_data;

  /* Stored symbols were checked against their proof when they came. */
  if (!hl_codec_decoder_add_symbol (f->decoder, sbn, esi, data, HL_ARCHIVE_SYMBOL_SIZE, NULL))
    return FALSE;
  f->fed++;
  f->last_esi = esi;
  f->any = TRUE;
  return f->fed < f->want;
}

/* Feeds up to @n more stored symbols of block @sbn after *@next_esi. */
static gboolean
feed_block (HlStore         *store,
            gint64           rowid,
            HlCodecDecoder  *decoder,
            guint            sbn,
            guint32         *next_esi,
            guint            n,
            guint           *fed,
            GError         **error)
{
  Feeding f = { decoder, 0, 0, FALSE, n };

  *fed = 0;
  if (n == 0 || *next_esi > HL_CODEC_MAX_ESI)
    return TRUE;
  if (!hl_store_archive_foreach_symbol (store, rowid, (gint) sbn, *next_esi, 0, feed_one, &f,
                                        error))
    return FALSE;
  if (f.any)
    *next_esi = f.last_esi + 1;
  *fed = f.fed;
  return TRUE;
}

/* K_b symbols of each block first, then one more of each block that has
 * more until the decoder succeeds: *@used says how many it took. */
static GBytes *
decode_ciphertext (HlStore                 *store,
                   const HlSegmentRow      *row,
                   HlArchiveDecodeStats    *stats,
                   GError                 **error)
{
  const HlSegmentManifest *m = &row->manifest;
  g_autoptr(HlCodecDecoder) decoder = hl_codec_decoder_new (&m->codec, error);
  g_autofree guint32 *next = g_new0 (guint32, MAX (m->n_roots, 1));
  guint64 used = 0;

  if (decoder == NULL)
    return NULL;
  for (guint sbn = 0; sbn < m->n_roots; sbn++)
    {
      guint fed;

      stats->source_symbols += hl_codec_oti_block_symbols (&m->codec, sbn);
      if (!feed_block (store, row->rowid, decoder, sbn, &next[sbn],
                       hl_codec_oti_block_symbols (&m->codec, sbn), &fed, error))
        return NULL;
      used += fed;
    }
  for (;;)
    {
      g_autoptr(GError) local = NULL;
      gboolean more = FALSE;

      if (hl_codec_decoder_decode (decoder, &local))
        break;
      if (!g_error_matches (local, HL_CODEC_ERROR, HL_CODEC_ERROR_NOT_DECODABLE))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      for (guint sbn = 0; sbn < m->n_roots; sbn++)
        {
          guint fed;

          if (!feed_block (store, row->rowid, decoder, sbn, &next[sbn], 1, &fed, error))
            return NULL;
          used += fed;
          more |= fed > 0;
        }
      if (!more)
        {
          g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_NOT_ENOUGH,
                       "Not enough symbols to rebuild the segment: %" G_GUINT64_FORMAT
                       " stored, %" G_GUINT64_FORMAT " needed at least", used,
                       stats->source_symbols);
          return NULL;
        }
    }
  stats->symbols_used = used;
  return hl_codec_decoder_steal_object (decoder);
}

/* The plaintext of a decoded ciphertext, whose hash must be the manifest's. */
static GBytes *
decrypt (const HlSegmentRow  *row,
         const guint8        *subnet_key,
         GBytes              *ciphertext,
         GError             **error)
{
  const HlSegmentManifest *m = &row->manifest;
  guint8 header[HL_ARCHIVE_HEADER_BYTES], key[HL_ARCHIVE_KEY_BYTES];
  guint8 nonce[HL_ARCHIVE_NONCE_BYTES], hash[HL_ID_LEN];
  gsize len;
  const guint8 *cipher = g_bytes_get_data (ciphertext, &len);
  g_autofree guint8 *plain = NULL;
  unsigned long long plain_len = 0;
  int rc;

  hl_archive_header (m->subnet, m->year, m->month, m->gen, m->part, m->parts, m->count, header);
  hl_archive_segment_key (subnet_key, m->subnet, m->year, m->month, m->gen, m->part, key);
  hl_archive_segment_nonce (key, m->hash, nonce);
  plain = g_malloc (MAX (len, 1));
  rc = len < HL_ARCHIVE_TAG_BYTES ? -1
       : crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &plain_len, NULL, cipher, len,
                                                     header, HL_ARCHIVE_AD_BYTES, nonce, key);
  sodium_memzero (key, sizeof key);
  if (rc != 0)
    {
      g_set_error_literal (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT,
                           "The decoded segment does not decrypt: its symbols or its manifest "
                           "are not what the sealer made");
      return NULL;
    }
  crypto_generichash (hash, sizeof hash, plain, (gsize) plain_len, NULL, 0);
  if (sodium_memcmp (hash, m->hash, HL_ID_LEN) != 0)
    {
      g_set_error_literal (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT,
                           "The decoded segment's hash is not its manifest's");
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&plain), (gsize) plain_len);
}

typedef struct
{
  GPtrArray *events;       /* HlEvent, or NULL where a record does not decode */
  guint64    undecodable;
} Records;

static gboolean
take_record (const guint8 *raw,
             gsize         raw_len,
             const guint8 *sig,
             gpointer      user_data)
{
  Records *r = user_data;
  HlEvent *event = hl_event_decode (raw, raw_len, sig, NULL);

  r->undecodable += event == NULL;
  if (event != NULL)
    g_ptr_array_add (r->events, event);
  return TRUE;
}

typedef struct
{
  HlEvent **events;
  gboolean *ok;
  guint     n;
  gint64    now_ms;
  gint64    max_future_ms;
  GMutex    mutex;
  GCond     cond;
  guint     pending;
} Verifying;

static void
verify_chunk (gpointer data,
              gpointer user_data)
{
  Verifying *v = user_data;
  guint from = GPOINTER_TO_UINT (data) - 1;

  for (guint i = from; i < MIN (from + VERIFY_CHUNK, v->n); i++)
    v->ok[i] = hl_event_verify (v->events[i], v->now_ms, v->max_future_ms, NULL);
  g_mutex_lock (&v->mutex);
  if (--v->pending == 0)
    g_cond_signal (&v->cond);
  g_mutex_unlock (&v->mutex);
}

/* Every signature checked, on every core, as received events are. */
static gboolean
verify_all (HlStore    *store,
            GPtrArray  *events,
            gboolean   *ok,
            GError    **error)
{
  Verifying v = { (HlEvent **) events->pdata, ok, events->len, hl_now_ms (),
                  hl_store_get_max_future_ms (store) };
  GThreadPool *pool;

  if (events->len == 0)
    return TRUE;
  g_mutex_init (&v.mutex);
  g_cond_init (&v.cond);
  v.pending = (events->len + VERIFY_CHUNK - 1) / VERIFY_CHUNK;
  pool = g_thread_pool_new (verify_chunk, &v, (gint) g_get_num_processors (), FALSE, error);
  if (pool == NULL)
    return FALSE;
  for (guint from = 0; from < events->len; from += VERIFY_CHUNK)
    g_thread_pool_push (pool, GUINT_TO_POINTER (from + 1), NULL);
  g_mutex_lock (&v.mutex);
  while (v.pending > 0)
    g_cond_wait (&v.cond, &v.mutex);
  g_mutex_unlock (&v.mutex);
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&v.mutex);
  g_cond_clear (&v.cond);
  return TRUE;
}

static gboolean
ingest (HlStore               *store,
        GPtrArray             *events,
        HlArchiveDecodeStats  *stats,
        GError               **error)
{
  g_autofree gboolean *ok = g_new0 (gboolean, MAX (events->len, 1));
  g_autoptr(GPtrArray) good = g_ptr_array_new ();

  if (!verify_all (store, events, ok, error))
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    if (ok[i])
      g_ptr_array_add (good, g_ptr_array_index (events, i));
  for (guint from = 0; from < good->len; from += APPLY_BATCH)
    {
      guint n = MIN (APPLY_BATCH, good->len - from);
      g_autofree HlAcceptResult *results = g_new0 (HlAcceptResult, n);

      if (!hl_store_apply_verified (store, (HlEvent **) good->pdata + from, n, results, error))
        return FALSE;
      for (guint i = 0; i < n; i++)
        stats->accepted += results[i] == HL_ACCEPT_NEW;
    }
  if (good->len < events->len)
    g_message ("%u events of an archived segment were refused: their signatures or rules "
               "failed", events->len - good->len);
  return TRUE;
}

typedef struct
{
  GHashTable *decoded;     /* ids of the segment's events */
  GArray     *ids;
} Contained;

static gboolean
contained_step (const guint8 *id,
                guint64       ts,
                const guint8 *raw,
                gsize         raw_len,
                const guint8 *sig,
                gpointer      user_data)
{
  Contained *c = user_data;
  HlId held;

  if (!g_hash_table_contains (c->decoded, id))
    return TRUE;
  memcpy (held.bytes, id, HL_ID_LEN);
  g_array_append_val (c->ids, held);
  return TRUE;
}

/* The segment's events this store now holds and counts in the range. */
static GArray *
contained_ids (HlStore                 *store,
               const HlSegmentManifest *m,
               GPtrArray               *events,
               GError                 **error)
{
  g_autoptr(GHashTable) decoded = g_hash_table_new (hl_id_hash, hl_id_equal);
  Contained c = { decoded, g_array_new (FALSE, FALSE, sizeof (HlId)) };

  for (guint i = 0; i < events->len; i++)
    g_hash_table_add (decoded, ((HlEvent *) g_ptr_array_index (events, i))->id);
  if (!hl_store_archive_foreach_record (store, m->subnet, m->year, m->month, m->first, NULL, 0,
                                        TRUE, contained_step, &c, error))
    {
      g_array_unref (c.ids);
      return NULL;
    }
  return c.ids;
}

gboolean
hl_archive_decode (HlArchive             *self,
                   gint64                 segment,
                   HlArchiveDecodeStats  *stats,
                   GError               **error)
{
  g_autoptr(HlSegmentRow) row = hl_store_archive_get_segment (self->store, segment, error);
  g_autoptr(GBytes) ciphertext = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) holders = NULL;
  g_autoptr(HlSegment) again = NULL;
  Records records = { events, 0 };
  HlArchiveDecodeStats ignored;
  guint8 subnet_key[HL_ARCHIVE_KEY_BYTES];

  if (stats == NULL)
    stats = &ignored;
  memset (stats, 0, sizeof *stats);
  if (row == NULL || !hl_archive_key_for (self->store, row->manifest.subnet, subnet_key, error) ||
      !(ciphertext = decode_ciphertext (self->store, row, stats, error)) ||
      !(plaintext = decrypt (row, subnet_key, ciphertext, error)) ||
      !hl_archive_plaintext_read (plaintext, &row->manifest, take_record, &records, error))
    return FALSE;
  stats->events = records.events->len + records.undecodable;
  if (!ingest (self->store, events, stats, error) ||
      !(ids = contained_ids (self->store, &row->manifest, events, error)) ||
      !(holders = hl_archive_holder_set (self, error)))
    return FALSE;
  /* Decoded, it can be encoded again: this device keeps its share too. */
  again = hl_segment_new_from_plaintext (plaintext, subnet_key, error);
  sodium_memzero (subnet_key, sizeof subnet_key);
  if (again == NULL)
    return FALSE;
  if (memcmp (hl_segment_manifest (again)->roots, row->manifest.roots,
              (gsize) row->manifest.n_roots * HL_ID_LEN) != 0)
    {
      g_set_error_literal (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT,
                           "The decoded segment does not give its manifest's roots");
      return FALSE;
    }
  return hl_archive_adopt (self, row, again, ids, holders, &(guint64) { 0 }, error);
}
