/* hl-archive.c: a device's archive: who holds, what it keeps of runs of
 * symbols it is given, what it serves, and checking what it stores.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-private.h"

#include <sodium.h>

#include "hl-store-privnet.h"

HlArchive *
hl_archive_new (HlStore    *store,
                HlIdentity *identity)
{
  HlArchive *self = g_new0 (HlArchive, 1);

  self->store = g_object_ref (store);
  self->identity = identity;
  self->reseal_due = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->unverifiable = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  return self;
}

void
hl_archive_free (HlArchive *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->built, hl_segment_free);
  g_clear_pointer (&self->built_ids, g_array_unref);
  g_hash_table_unref (self->reseal_due);
  g_hash_table_unref (self->unverifiable);
  g_object_unref (self->store);
  g_free (self);
}

void
hl_archive_set_now (HlArchive *self,
                    gint64     now_ms)
{
  self->now_ms = now_ms;
}

gint64
hl_archive_now (HlArchive *self)
{
  return self->now_ms != 0 ? self->now_ms : hl_now_ms ();
}

HlStore *
hl_archive_store (HlArchive *self)
{
  return self->store;
}

const guint8 *
hl_archive_self_key (HlArchive *self)
{
  return self->identity != NULL ? hl_identity_get_public_key (self->identity) : NULL;
}

GArray *
hl_archive_holder_set (HlArchive  *self,
                       GError    **error)
{
  gint64 grace = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_GRACE, error);

  if (grace < 0)
    return NULL;
  /* A device offline overnight stays in the set: only a silence longer
   * than the grace period takes it out (docs/protocol.md, "Holders"). */
  return hl_store_archive_list_holders (self->store, hl_archive_now (self) - grace, error);
}

gboolean
hl_archive_segment_readable (HlArchive               *self,
                             const HlSegmentManifest *manifest)
{
  guint8 key[HL_ARCHIVE_KEY_BYTES];
  gboolean readable;

  /* A public subnet's key comes with its create, which reconciliation brings. */
  if (!hl_store_private_is_subnet (self->store, manifest->subnet))
    return TRUE;
  readable = hl_archive_key_for (self->store, manifest->subnet, manifest, key, NULL, NULL, NULL);
  sodium_memzero (key, sizeof key);
  return readable;
}

HlPlacement *
hl_archive_place (HlArchive               *self,
                  const HlSegmentManifest *manifest,
                  GArray                  *holders,
                  GError                 **error)
{
  g_autofree guint8 *keys = g_malloc ((gsize) MAX (holders->len, 1) * HL_KEY_LEN);
  gboolean set;
  gint lose;

  if (!hl_store_archive_get_policy (self->store, manifest->subnet, &lose, &set, error))
    return NULL;
  for (guint i = 0; i < holders->len; i++)
    memcpy (keys + (gsize) i * HL_KEY_LEN, g_array_index (holders, HlArchiveHolder, i).key,
            HL_KEY_LEN);
  return hl_placement_new (manifest, keys, holders->len, lose);
}

typedef struct
{
  guint   sbn;
  guint32 want_first;
  guint32 want_count;
  guint32 first;          /* the stored run that covers it */
  guint32 count;
  GBytes *hashes;
} Cover;

static gboolean
find_cover (guint     sbn,
            guint32   first,
            guint32   count,
            GBytes   *hashes,
            gpointer  user_data)
{
  Cover *c = user_data;

  if (sbn != c->sbn || first > c->want_first ||
      (guint64) first + count < (guint64) c->want_first + c->want_count)
    return TRUE;
  c->first = first;
  c->count = count;
  c->hashes = g_bytes_ref (hashes);
  return FALSE;
}

typedef struct
{
  guint   sbn;
  guint32 first;
  guint32 count;
  guint32 best;
} Prefix;

static gboolean
find_prefix (guint     sbn,
             guint32   first,
             guint32   count,
             GBytes   *hashes,
             gpointer  user_data)
{
  Prefix *p = user_data;

  if (sbn == p->sbn && first <= p->first && p->first - first < count)
    p->best = MAX (p->best, MIN (first + count, p->first + p->count) - p->first);
  return TRUE;
}

guint32
hl_archive_held_prefix (HlArchive  *self,
                        gint64      segment,
                        guint       sbn,
                        guint32     first,
                        guint32     count)
{
  Prefix p = { sbn, first, count, 0 };

  if (!hl_store_archive_foreach_proof (self->store, segment, find_prefix, &p, NULL))
    return 0;
  return p.best;
}

typedef struct
{
  GByteArray *leaves;
  GByteArray *data;
  guint32     data_first;
  guint32     data_count;
} Gathered;

static gboolean
gather (guint         sbn,
        guint32       esi,
        const guint8 *leaf,
        const guint8 *data,
        gpointer      user_data)
{
  Gathered *g = user_data;

  g_byte_array_append (g->leaves, leaf, HL_ID_LEN);
  if (esi >= g->data_first && esi - g->data_first < g->data_count)
    g_byte_array_append (g->data, data, HL_ARCHIVE_SYMBOL_SIZE);
  return TRUE;
}

GBytes *
hl_archive_read_run (HlArchive  *self,
                     gint64      segment,
                     guint       sbn,
                     guint32     first,
                     guint32     count,
                     GBytes    **proof,
                     GError    **error)
{
  g_autoptr(HlSegmentRow) row = hl_store_archive_get_segment (self->store, segment, error);
  g_autoptr(GByteArray) leaves = g_byte_array_new ();
  g_autoptr(GByteArray) data = g_byte_array_new ();
  Cover cover = { sbn, first, count, 0, 0, NULL };
  Gathered g = { leaves, data, first, count };
  gsize len;
  const guint8 *hashes;

  if (row == NULL)
    return NULL;
  if (count == 0 ||
      !hl_store_archive_foreach_proof (self->store, segment, find_cover, &cover, error))
    return NULL;
  if (cover.hashes == NULL ||
      !hl_store_archive_foreach_symbol (self->store, segment, (gint) sbn, cover.first, cover.count,
                                        gather, &g, error) ||
      leaves->len != (gsize) cover.count * HL_ID_LEN)
    {
      g_clear_pointer (&cover.hashes, g_bytes_unref);
      if (error != NULL && *error == NULL)
        g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_NOT_ENOUGH,
                     "This device does not hold symbols %u–%u of block %u", first,
                     first + count - 1, sbn);
      return NULL;
    }
  hashes = g_bytes_get_data (cover.hashes, &len);
  *proof = hl_merkle_subproof (hl_archive_committed (&row->manifest, sbn), cover.first,
                               cover.count, leaves->data, hashes, len / HL_ID_LEN, first, count);
  g_bytes_unref (cover.hashes);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* Writes symbols [@from, @from + @n) of a checked run (first ESI @first)
 * with the proof of exactly that part. */
static gboolean
keep_piece (HlArchive    *self,
            gint64        segment,
            guint32       committed,
            guint         sbn,
            guint32       first,
            guint32       count,
            const guint8 *symbols,
            const guint8 *leaves,
            GBytes       *proof,
            guint32       from,
            guint32       n,
            GError      **error)
{
  gsize len;
  const guint8 *hashes = g_bytes_get_data (proof, &len);
  g_autoptr(GBytes) piece = hl_merkle_subproof (committed, first, count, leaves, hashes,
                                                len / HL_ID_LEN, from, n);

  for (guint32 esi = from; esi < from + n; esi++)
    if (!hl_store_archive_put_symbol (self->store, segment, sbn, esi,
                                      leaves + (gsize) (esi - first) * HL_ID_LEN,
                                      symbols + (gsize) (esi - first) * HL_ARCHIVE_SYMBOL_SIZE,
                                      error))
      return FALSE;
  return hl_store_archive_put_proof (self->store, segment, sbn, from, n, piece, error);
}

/* How much of a run beyond this device's share the quota leaves room for. */
static gboolean
cache_allowed (HlArchive  *self,
               guint32     count,
               gboolean   *allowed,
               GError    **error)
{
  gint64 quota = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_QUOTA, error);
  gint64 used = quota < 0 ? -1 : hl_store_archive_symbol_bytes (self->store, error);

  if (used < 0)
    return FALSE;
  *allowed = used + (gint64) count * HL_ARCHIVE_SYMBOL_SIZE <= quota;
  return TRUE;
}

gboolean
hl_archive_store_run (HlArchive  *self,
                      gint64      segment,
                      guint       sbn,
                      guint32     first,
                      guint32     count,
                      GBytes     *symbols,
                      GBytes     *proof,
                      guint      *stored,
                      GError    **error)
{
  g_autoptr(HlSegmentRow) row = hl_store_archive_get_segment (self->store, segment, error);
  g_autoptr(GArray) holders = NULL;
  g_autoptr(HlPlacement) placement = NULL;
  g_autofree guint8 *leaves = NULL;
  const guint8 *key = hl_archive_self_key (self);
  gsize len, proof_len;
  const guint8 *data = g_bytes_get_data (symbols, &len);
  const guint8 *hashes = g_bytes_get_data (proof, &proof_len);
  HlEsiRange own = { sbn, 0, 0 };
  guint32 committed, lo, hi;
  gboolean whole = FALSE;

  *stored = 0;
  if (row == NULL)
    return FALSE;
  if (len != (gsize) count * HL_ARCHIVE_SYMBOL_SIZE || proof_len % HL_ID_LEN != 0)
    {
      g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SYMBOL,
                   "A run of %u symbols must be %u bytes with whole proof hashes", count,
                   count * HL_ARCHIVE_SYMBOL_SIZE);
      return FALSE;
    }
  leaves = g_malloc ((gsize) MAX (count, 1) * HL_ID_LEN);
  if (!hl_archive_run_check (&row->manifest, sbn, first, count, data, hashes,
                             proof_len / HL_ID_LEN, leaves, error))
    return FALSE;
  /* What is superseded is kept by nobody. */
  if (row->state == HL_SEGMENT_SUPERSEDED)
    return TRUE;
  committed = hl_archive_committed (&row->manifest, sbn);
  if (!(holders = hl_archive_holder_set (self, error)))
    return FALSE;
  if (key != NULL && (placement = hl_archive_place (self, &row->manifest, holders, NULL)))
    hl_placement_range (placement, key, sbn, &own);
  if (!cache_allowed (self, count, &whole, error) || !hl_store_begin_batch (self->store, error))
    return FALSE;
  lo = MAX (first, own.first);
  hi = MIN (first + count, own.first + own.count);
  if (whole ? !keep_piece (self, segment, committed, sbn, first, count, data, leaves, proof, first,
                           count, error)
            : lo < hi && !keep_piece (self, segment, committed, sbn, first, count, data, leaves,
                                      proof, lo, hi - lo, error))
    {
      hl_store_abort_batch (self->store);
      return FALSE;
    }
  if (!hl_store_commit_batch (self->store, error))
    return FALSE;
  *stored = whole ? count : lo < hi ? hi - lo : 0;
  return TRUE;
}

void
hl_archive_verify_report_clear (HlArchiveVerifyReport *report)
{
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  memset (report, 0, sizeof *report);
}

typedef struct
{
  HlArchive             *archive;
  const HlSegmentRow    *row;
  HlArchiveVerifyReport *report;
  GArray                *bad;           /* HlEsiRange of one symbol each */
  GHashTable            *leaves;        /* key (sbn << 24 | esi) -> leaf */
} Checking;

static gboolean
check_symbol (guint         sbn,
              guint32       esi,
              const guint8 *leaf,
              const guint8 *data,
              gpointer      user_data)
{
  Checking *c = user_data;
  guint8 computed[HL_ID_LEN];

  c->report->symbols++;
  hl_archive_leaf (sbn, esi, data, computed);
  if (memcmp (computed, leaf, HL_ID_LEN) != 0)
    {
      HlEsiRange bad = { sbn, esi, 1 };
      g_autofree char *month = hl_segment_manifest_month (&c->row->manifest);

      c->report->bad++;
      g_array_append_val (c->bad, bad);
      g_ptr_array_add (c->report->problems,
                       g_strdup_printf ("symbol %u of block %u of segment %s (gen %u, part %u) "
                                        "is not the symbol it was stored as", esi, sbn, month,
                                        c->row->manifest.gen, c->row->manifest.part));
    }
  g_hash_table_insert (c->leaves, GSIZE_TO_POINTER (((gsize) sbn << 24) | esi),
                       g_memdup2 (leaf, HL_ID_LEN));
  return TRUE;
}

static gboolean
check_proof (guint     sbn,
             guint32   first,
             guint32   count,
             GBytes   *hashes,
             gpointer  user_data)
{
  Checking *c = user_data;
  g_autofree guint8 *leaves = g_malloc ((gsize) MAX (count, 1) * HL_ID_LEN);
  gsize len;
  const guint8 *proof = g_bytes_get_data (hashes, &len);
  gboolean complete = TRUE;

  c->report->runs++;
  for (guint32 i = 0; i < count && complete; i++)
    {
      const guint8 *leaf = g_hash_table_lookup (c->leaves,
                                                GSIZE_TO_POINTER (((gsize) sbn << 24) | (first + i)));

      if ((complete = leaf != NULL))
        memcpy (leaves + (gsize) i * HL_ID_LEN, leaf, HL_ID_LEN);
    }
  if (!complete || !hl_archive_proof_check (&c->row->manifest, sbn, first, count, leaves, proof,
                                            len / HL_ID_LEN, NULL))
    {
      HlEsiRange bad = { sbn, first, count };
      g_autofree char *month = hl_segment_manifest_month (&c->row->manifest);

      c->report->bad_runs++;
      g_array_append_val (c->bad, bad);
      g_ptr_array_add (c->report->problems,
                       g_strdup_printf ("symbols %u–%u of block %u of segment %s (gen %u, part %u) "
                                        "do not lead to the block's root", first,
                                        first + count - 1, sbn, month, c->row->manifest.gen,
                                        c->row->manifest.part));
    }
  return TRUE;
}

static gboolean
drop_bad (HlArchive          *self,
          const HlSegmentRow *row,
          GArray             *bad,
          GError            **error)
{
  if (bad->len == 0)
    return TRUE;
  /* The next maintenance makes this device's share whole again. */
  self->idle_known = FALSE;
  if (!hl_store_begin_batch (self->store, error))
    return FALSE;
  for (guint i = 0; i < bad->len; i++)
    {
      const HlEsiRange *r = &g_array_index (bad, HlEsiRange, i);

      for (guint32 esi = r->first; esi < r->first + r->count; esi++)
        if (!hl_store_archive_delete_symbol (self->store, row->rowid, r->sbn, esi, error))
          {
            hl_store_abort_batch (self->store);
            return FALSE;
          }
    }
  return hl_store_commit_batch (self->store, error);
}

gboolean
hl_archive_verify_stored (HlArchive              *self,
                          gboolean                drop,
                          HlArchiveVerifyReport  *report,
                          GError                **error)
{
  g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (self->store, NULL, 0, error);

  memset (report, 0, sizeof *report);
  report->problems = g_ptr_array_new_with_free_func (g_free);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GArray) bad = g_array_new (FALSE, FALSE, sizeof (HlEsiRange));
      g_autoptr(GHashTable) leaves = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      Checking c = { self, g_ptr_array_index (rows, i), report, bad, leaves };

      /* One segment's leaves at a time: a few MB at most. */
      if (!hl_store_archive_foreach_symbol (self->store, c.row->rowid, -1, 0, 0, check_symbol, &c,
                                            error) ||
          !hl_store_archive_foreach_proof (self->store, c.row->rowid, check_proof, &c, error) ||
          (drop && !drop_bad (self, c.row, bad, error)))
        return FALSE;
    }
  return TRUE;
}
