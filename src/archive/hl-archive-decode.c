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

#include "hl-ingest.h"

#define APPLY_BATCH  16384

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
  stats->symbols_used += used;
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

/* A segment decoded and read, its events checked, waiting to be applied. */
typedef struct
{
  HlSegmentRow *row;
  GBytes       *plaintext;
  GPtrArray    *events;      /* HlEvent that passed every check */
} Decoded;

static void
decoded_free (Decoded *d)
{
  g_clear_pointer (&d->row, hl_segment_row_free);
  g_clear_pointer (&d->plaintext, g_bytes_unref);
  g_clear_pointer (&d->events, g_ptr_array_unref);
  g_free (d);
}

/* What decodes many segments shares: the events of several segments
 * applied in one transaction, as an import does (a commit costs more than
 * most events). */
typedef struct
{
  HlArchive            *archive;
  gboolean              in_batch;
  GPtrArray            *waiting;   /* Decoded, applied in the open batch */
  guint                 n_waiting; /* their events */
  HlArchiveDecodeStats *stats;
} Decoding;

/* The segment's events this store now holds and counts in the range. */
static GArray *
contained_ids (HlStore                 *store,
               const HlSegmentManifest *m,
               GPtrArray               *events,
               GError                 **error)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (HlId), events->len);

  for (guint i = 0; i < events->len; i++)
    {
      HlId id;

      memcpy (id.bytes, ((HlEvent *) g_ptr_array_index (events, i))->id, HL_ID_LEN);
      g_array_append_val (ids, id);
    }
  if (!hl_store_archive_filter_range (store, m->subnet, m->year, m->month, ids, error))
    {
      g_array_unref (ids);
      return NULL;
    }
  return ids;
}

/* Whether this device's share lacks symbols, which adopting must then
 * write from the segment encoded again. */
static gboolean
share_incomplete (HlArchive          *self,
                  const HlSegmentRow *row,
                  GArray             *holders,
                  GError            **error)
{
  g_autoptr(HlPlacement) placement = hl_archive_place (self, &row->manifest, holders, NULL);
  g_autoptr(GArray) ranges = NULL;
  const guint8 *key = hl_archive_self_key (self);

  if (key == NULL || placement == NULL)
    return FALSE;
  ranges = hl_placement_ranges (placement, key);
  for (guint i = 0; i < ranges->len; i++)
    {
      const HlEsiRange *r = &g_array_index (ranges, HlEsiRange, i);
      gint64 have = hl_store_archive_count_symbols (hl_archive_store (self), row->rowid,
                                                    (gint) r->sbn, r->first, r->count, error);

      /* A failed count encodes again: adopting then fails the same way. */
      if (have != r->count)
        return TRUE;
    }
  return FALSE;
}

/* A segment whose events are in the store: it counts as verified here,
 * and a holder keeps its share. Symbols missing from it are encoded again
 * from the plaintext, whose roots must then be the manifest's, or they
 * would not verify; a share held whole was checked against the roots
 * symbol by symbol when it came, so it is not encoded again
 * (docs/protocol.md, "Decoding"). */
static gboolean
settle (Decoding  *d,
        Decoded   *done,
        GArray    *holders,
        GError   **error)
{
  HlArchive *self = d->archive;
  const HlSegmentRow *row = done->row;
  g_autoptr(GArray) ids = contained_ids (hl_archive_store (self), &row->manifest, done->events,
                                         error);
  g_autoptr(HlSegment) again = NULL;
  guint8 subnet_key[HL_ARCHIVE_KEY_BYTES];
  guint64 written = 0;

  if (ids == NULL)
    return FALSE;
  if (share_incomplete (self, row, holders, NULL))
    {
      if (!hl_archive_key_for (hl_archive_store (self), row->manifest.subnet, &row->manifest,
                               subnet_key, NULL, NULL, error))
        return FALSE;
      again = hl_segment_new_from_plaintext (done->plaintext, subnet_key, error);
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
    }
  /* Dropped below the horizon before: loaded back, for a while. */
  return hl_archive_adopt_in_batch (self, row, again, ids, holders, &written, error) &&
         hl_store_horizon_mark_loaded (hl_archive_store (self), row->manifest.subnet,
                                       row->manifest.year * 100 + row->manifest.month,
                                       hl_archive_now (self), error);
}

/* Settles each waiting segment (marks its events archived, writes what
 * its share lacks) inside the batch its events were applied in, then
 * commits both at once: one transaction, not two, and never the events
 * without their segment's mark. */
static gboolean
flush (Decoding  *d,
       GError   **error)
{
  HlStore *store = hl_archive_store (d->archive);
  g_autoptr(GArray) holders = NULL;
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok;

  if (!d->in_batch)
    return TRUE;
  ok = (holders = hl_archive_holder_set (d->archive, error)) != NULL;
  for (guint i = 0; ok && i < d->waiting->len; i++)
    ok = settle (d, g_ptr_array_index (d->waiting, i), holders, error);
  g_ptr_array_set_size (d->waiting, 0);
  d->n_waiting = 0;
  d->in_batch = FALSE;
  if (!ok || !hl_store_commit_batch (store, error))
    {
      hl_store_abort_batch (store);
      return FALSE;
    }
  d->stats->apply_us += g_get_monotonic_time () - t0;
  return hl_store_flush_deletions (store, error);
}

/* Checks @events on every core and applies those that pass while the rest
 * are checked (hl_ingest_events_in_batch(), the import's pipeline): what
 * passed is left in @events, the rest freed. */
static gboolean
check_and_apply (Decoding   *d,
                 GPtrArray  *events,
                 GError    **error)
{
  HlStore *store = hl_archive_store (d->archive);
  g_autofree gboolean *ok = g_new0 (gboolean, MAX (events->len, 1));
  g_autofree HlAcceptResult *results = g_new0 (HlAcceptResult, MAX (events->len, 1));
  gint64 t0 = g_get_monotonic_time (), waited = 0;
  guint kept = 0;

  if (!d->in_batch && !(d->in_batch = hl_store_begin_batch (store, error)))
    return FALSE;
  if (!hl_ingest_events_in_batch (store, (HlEvent **) events->pdata, events->len, 0, ok, results,
                                  &waited, error))
    {
      hl_store_abort_batch (store);
      d->in_batch = FALSE;
      return FALSE;
    }
  d->stats->verify_us += waited;
  d->stats->apply_us += g_get_monotonic_time () - t0 - waited;
  for (guint i = 0; i < events->len; i++)
    {
      d->stats->accepted += results[i] == HL_ACCEPT_NEW;
      if (ok[i])
        events->pdata[kept++] = events->pdata[i];
      else
        hl_event_free (events->pdata[i]);
    }
  if (kept < events->len)
    g_message ("%u events of an archived segment were refused: their signatures or rules "
               "failed", events->len - kept);
  events->len = kept;
  return TRUE;
}

/* Decodes, decrypts and reads one segment and checks its events; they
 * wait for the next flush. */
static gboolean
decode_one (Decoding  *d,
            gint64     segment,
            GError   **error)
{
  HlStore *store = hl_archive_store (d->archive);
  g_autoptr(HlSegmentRow) row = hl_store_archive_get_segment (store, segment, error);
  g_autoptr(GBytes) ciphertext = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  Records records = { events, 0 };
  guint8 subnet_key[HL_ARCHIVE_KEY_BYTES];
  Decoded *done;
  gint64 t0 = g_get_monotonic_time ();

  if (row == NULL || !hl_archive_key_for (store, row->manifest.subnet, &row->manifest, subnet_key,
                                          NULL, NULL, error))
    return FALSE;
  ciphertext = decode_ciphertext (store, row, d->stats, error);
  plaintext = ciphertext != NULL ? decrypt (row, subnet_key, ciphertext, error) : NULL;
  sodium_memzero (subnet_key, sizeof subnet_key);
  if (plaintext == NULL ||
      !hl_archive_plaintext_read (plaintext, &row->manifest, take_record, &records, error))
    return FALSE;
  d->stats->events += events->len + records.undecodable;
  d->stats->decode_us += g_get_monotonic_time () - t0;
  if (!check_and_apply (d, events, error))
    return FALSE;
  done = g_new0 (Decoded, 1);
  done->row = g_steal_pointer (&row);
  done->plaintext = g_steal_pointer (&plaintext);
  done->events = g_steal_pointer (&events);
  d->n_waiting += done->events->len;
  g_ptr_array_add (d->waiting, done);
  return d->n_waiting < APPLY_BATCH || flush (d, error);
}

gboolean
hl_archive_decode_many (HlArchive             *self,
                        const gint64          *segments,
                        guint                  n_segments,
                        HlArchiveDecodeStats  *stats,
                        GError               **error)
{
  HlArchiveDecodeStats ignored;
  Decoding d = { self, FALSE, NULL, 0, NULL };
  gboolean ok = TRUE;

  d.stats = stats != NULL ? stats : &ignored;
  memset (d.stats, 0, sizeof *d.stats);
  d.waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) decoded_free);
  for (guint i = 0; ok && i < n_segments; i++)
    ok = decode_one (&d, segments[i], error);
  ok = ok && flush (&d, error);
  if (d.in_batch)
    hl_store_abort_batch (hl_archive_store (self));
  g_ptr_array_unref (d.waiting);
  return ok;
}

gboolean
hl_archive_decode (HlArchive             *self,
                   gint64                 segment,
                   HlArchiveDecodeStats  *stats,
                   GError               **error)
{
  return hl_archive_decode_many (self, &segment, 1, stats, error);
}
