/* hl-store-archive.c: the archive's merge rules and tables (docs/protocol.md,
 * "Archive"): which segment of a range is current, which events a verified
 * segment contains, holders and policies.
 *
 * As elsewhere in the store, the state of a range is recomputed from every
 * manifest of it that is stored, never patched from the one that arrived,
 * so the outcome does not depend on the order manifests come in.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-archive.h"

#include <sodium.h>

#include "hl-error.h"
#include "hl-store-private.h"

#define SEGMENT_COLUMNS \
  "s.rowid, s.key, s.subnet, s.month, s.gen, s.part, s.parts, s.set_hash, s.hash, s.count, " \
  "s.first_ts, s.last_ts, s.size, s.oti, s.roots, s.state, s.changed_ms, " \
  "coalesce(s.verified_ms, 0), (SELECT min(m.id) FROM archive_manifests m WHERE m.segment = s.rowid), " \
  "s.epoch "

void
hl_segment_row_free (HlSegmentRow *row)
{
  if (row == NULL)
    return;
  hl_segment_manifest_clear (&row->manifest);
  g_free (row);
}

static void
column_bytes (HlStmt *stmt,
              int     col,
              guint8 *out,
              gsize   len)
{
  const void *data = sqlite3_column_blob (stmt, col);

  memset (out, 0, len);
  if (data != NULL && (gsize) sqlite3_column_bytes (stmt, col) == len)
    memcpy (out, data, len);
}

static gpointer
read_segment_row (HlStmt *stmt)
{
  HlSegmentRow *row = g_new0 (HlSegmentRow, 1);
  HlSegmentManifest *m = &row->manifest;
  guint month = (guint) sqlite3_column_int (stmt, 3);
  gsize roots_len = (gsize) sqlite3_column_bytes (stmt, 14);

  row->rowid = sqlite3_column_int64 (stmt, 0);
  column_bytes (stmt, 1, row->key, HL_ID_LEN);
  column_bytes (stmt, 2, m->subnet, HL_ID_LEN);
  m->year = month / 100;
  m->month = month % 100;
  m->gen = (guint32) sqlite3_column_int64 (stmt, 4);
  m->part = (guint) sqlite3_column_int (stmt, 5);
  m->parts = (guint) sqlite3_column_int (stmt, 6);
  column_bytes (stmt, 7, m->set, HL_ID_LEN);
  column_bytes (stmt, 8, m->hash, HL_ID_LEN);
  m->count = (guint32) sqlite3_column_int64 (stmt, 9);
  m->first = (guint64) sqlite3_column_int64 (stmt, 10);
  m->last = (guint64) sqlite3_column_int64 (stmt, 11);
  m->size = (guint64) sqlite3_column_int64 (stmt, 12);
  column_bytes (stmt, 13, m->oti, HL_CODEC_OTI_SIZE);
  hl_codec_oti_parse (m->oti, HL_CODEC_OTI_SIZE, &m->codec, NULL);
  m->n_roots = (guint) (roots_len / HL_ID_LEN);
  m->roots = g_memdup2 (sqlite3_column_blob (stmt, 14), MAX (roots_len, 1));
  row->state = (HlSegmentState) sqlite3_column_int (stmt, 15);
  row->changed_ms = sqlite3_column_int64 (stmt, 16);
  row->verified_ms = sqlite3_column_int64 (stmt, 17);
  column_bytes (stmt, 18, row->manifest_id, HL_ID_LEN);
  if ((m->has_epoch = sqlite3_column_bytes (stmt, 19) == HL_ID_LEN))
    column_bytes (stmt, 19, m->epoch, HL_ID_LEN);
  return row;
}

GPtrArray *
hl_store_archive_list_segments (HlStore       *self,
                                const guint8  *subnet,
                                guint          month,
                                GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT " SEGMENT_COLUMNS
                                                   "FROM archive_segments s "
                                                   "WHERE (?1 IS NULL OR s.subnet = ?1) "
                                                   "AND (?2 = 0 OR s.month = ?2) "
                                                   "ORDER BY s.subnet, s.month, s.gen, s.part, "
                                                   "s.hash, s.key", error);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  sqlite3_bind_int (stmt, 2, (int) month);
  return hl_store_collect (self, stmt, read_segment_row, (GDestroyNotify) hl_segment_row_free,
                           "Cannot list the archive's segments", error);
}

static HlSegmentRow *
get_one (HlStore    *self,
         HlStmt     *stmt,
         const char *missing,
         GError    **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return read_segment_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND, missing);
  else
    hl_store_fail (self, "Cannot read a segment of the archive", error);
  return NULL;
}

HlSegmentRow *
hl_store_archive_get_segment (HlStore  *self,
                              gint64    rowid,
                              GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT " SEGMENT_COLUMNS
                                                   "FROM archive_segments s WHERE s.rowid = ?1",
                                             error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  return get_one (self, stmt, "No such segment in the archive", error);
}

HlSegmentRow *
hl_store_archive_find_manifest (HlStore       *self,
                                const guint8  *manifest_id,
                                GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT " SEGMENT_COLUMNS
                                                   "FROM archive_manifests a "
                                                   "JOIN archive_segments s ON s.rowid = a.segment "
                                                   "WHERE a.id = ?1", error);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, manifest_id, HL_ID_LEN);
  return get_one (self, stmt, "No such segment manifest", error);
}

/* Whoever reads the reconciled set reads it again when this changes
 * (hl_store_sync_containment_epoch). */
static gboolean
bump_epoch (HlStore  *self,
            GError  **error)
{
  return hl_store_exec (self, "INSERT INTO meta (key, value) VALUES ('archive_epoch', 1) "
                              "ON CONFLICT (key) DO UPDATE SET value = value + 1", error);
}

gboolean
hl_store_archive_release (HlStore  *self,
                          gint64    rowid,
                          GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "UPDATE events SET archived = NULL "
                                                   "WHERE archived = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  return sqlite3_changes (self->db) == 0 || bump_epoch (self, error);
}

gint64
hl_store_archive_count_contained (HlStore  *self,
                                  gint64    rowid,
                                  GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT count(*) FROM events "
                                                   "WHERE archived = ?1", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, rowid);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      hl_store_fail (self, "Cannot count the events of a segment", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
set_state (HlStore        *self,
           gint64          rowid,
           HlSegmentState  state,
           GError        **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "UPDATE archive_segments SET state = ?2, "
                                                   "changed_ms = ?3 WHERE rowid = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_int (stmt, 2, state);
  sqlite3_bind_int64 (stmt, 3, hl_now_ms ());
  return hl_store_step_done (self, stmt, error);
}

/* Of two rows for one part of one sealing: the smaller hash (a wrong copy
 * of a part cannot then outrank the right one by arriving first), then the
 * row this device checked, then the smaller content key. */
static gboolean
row_preferred (const HlSegmentRow *a,
               const HlSegmentRow *b)
{
  int c = memcmp (a->manifest.hash, b->manifest.hash, HL_ID_LEN);

  if (c != 0)
    return c < 0;
  if ((a->verified_ms != 0) != (b->verified_ms != 0))
    return a->verified_ms != 0;
  return memcmp (a->key, b->key, HL_ID_LEN) < 0;
}

/* The chosen row of each part of the sealing (@gen, @set) when the sealing
 * is complete and its set hash matches; else NULL. */
static GPtrArray *
complete_sealing (GPtrArray    *rows,
                  guint32       gen,
                  const guint8 *set)
{
  g_autoptr(GPtrArray) chosen = NULL;
  g_autofree guint8 *hashes = NULL;
  const HlSegmentManifest *first = NULL;
  guint8 check[HL_ID_LEN];
  guint parts = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      HlSegmentRow *row = g_ptr_array_index (rows, i);
      HlSegmentManifest *m = &row->manifest;

      if (m->gen != gen || memcmp (m->set, set, HL_ID_LEN) != 0)
        continue;
      if (chosen == NULL)
        {
          first = m;
          parts = m->parts;
          chosen = g_ptr_array_new ();
          g_ptr_array_set_size (chosen, parts);
        }
      if (m->parts != parts)
        return NULL;
      if (chosen->pdata[m->part] == NULL || row_preferred (row, chosen->pdata[m->part]))
        chosen->pdata[m->part] = row;
    }
  if (chosen == NULL)
    return NULL;
  hashes = g_malloc ((gsize) parts * HL_ID_LEN);
  for (guint p = 0; p < parts; p++)
    {
      const HlSegmentRow *row = chosen->pdata[p];

      if (row == NULL)
        return NULL;
      memcpy (hashes + (gsize) p * HL_ID_LEN, row->manifest.hash, HL_ID_LEN);
    }
  hl_archive_set_hash (first->subnet, first->year, first->month, gen, parts, hashes, check);
  if (memcmp (check, set, HL_ID_LEN) != 0)
    return NULL;
  return g_steal_pointer (&chosen);
}

/* The current sealing of the range: the complete one of the greatest gen,
 * then the smallest set hash (docs/protocol.md, "Generations"). */
static GPtrArray *
current_sealing (GPtrArray *rows)
{
  GPtrArray *best = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentManifest *m = &((HlSegmentRow *) g_ptr_array_index (rows, i))->manifest;
      const HlSegmentManifest *b = best ? &((HlSegmentRow *) best->pdata[0])->manifest : NULL;
      GPtrArray *sealing;

      if (b != NULL && (m->gen < b->gen ||
                        (m->gen == b->gen && memcmp (m->set, b->set, HL_ID_LEN) >= 0)))
        continue;
      if ((sealing = complete_sealing (rows, m->gen, m->set)) == NULL)
        continue;
      g_clear_pointer (&best, g_ptr_array_unref);
      best = sealing;
    }
  return best;
}

static gboolean
recompute_range (HlStore      *self,
                 const guint8 *subnet,
                 guint         month,
                 GError      **error)
{
  g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (self, subnet, month, error);
  g_autoptr(GPtrArray) current = NULL;
  guint32 current_gen = 0;

  if (rows == NULL)
    return FALSE;
  current = current_sealing (rows);
  if (current != NULL)
    current_gen = ((HlSegmentRow *) current->pdata[0])->manifest.gen;
  for (guint i = 0; i < rows->len; i++)
    {
      HlSegmentRow *row = g_ptr_array_index (rows, i);
      HlSegmentState state;

      if (current != NULL && g_ptr_array_find (current, row, NULL))
        state = HL_SEGMENT_CURRENT;
      else if (current == NULL || row->manifest.gen > current_gen)
        state = HL_SEGMENT_PENDING;
      else
        state = HL_SEGMENT_SUPERSEDED;
      if (state == row->state)
        continue;
      if (!set_state (self, row->rowid, state, error) ||
          (row->state == HL_SEGMENT_CURRENT && !hl_store_archive_release (self, row->rowid, error)))
        return FALSE;
    }
  return TRUE;
}

/* What identifies a segment's content: manifests equal in all of it
 * describe the same bytes and share their symbols. */
static void
content_key (const HlSegmentManifest *m,
             guint8                  *out)
{
  crypto_generichash_state state;
  guint8 fields[4 + 4 + 2 + 2];
  guint month = m->year * 100 + m->month;

  fields[0] = (guint8) (month >> 24);
  fields[1] = (guint8) (month >> 16);
  fields[2] = (guint8) (month >> 8);
  fields[3] = (guint8) month;
  fields[4] = (guint8) (m->gen >> 24);
  fields[5] = (guint8) (m->gen >> 16);
  fields[6] = (guint8) (m->gen >> 8);
  fields[7] = (guint8) m->gen;
  fields[8] = (guint8) (m->part >> 8);
  fields[9] = (guint8) m->part;
  fields[10] = (guint8) (m->parts >> 8);
  fields[11] = (guint8) m->parts;
  crypto_generichash_init (&state, NULL, 0, HL_ID_LEN);
  crypto_generichash_update (&state, (const guint8 *) "hl-seg-key-v1", 13);
  crypto_generichash_update (&state, m->subnet, HL_ID_LEN);
  crypto_generichash_update (&state, fields, sizeof fields);
  crypto_generichash_update (&state, m->set, HL_ID_LEN);
  crypto_generichash_update (&state, m->hash, HL_ID_LEN);
  crypto_generichash_update (&state, m->oti, HL_CODEC_OTI_SIZE);
  crypto_generichash_update (&state, m->roots, (gsize) m->n_roots * HL_ID_LEN);
  /* A private subnet's segment under another epoch's key is another one. */
  if (m->has_epoch)
    crypto_generichash_update (&state, m->epoch, HL_ID_LEN);
  crypto_generichash_final (&state, out, HL_ID_LEN);
}

static gint64
segment_rowid (HlStore      *self,
               const guint8 *key)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT rowid FROM archive_segments "
                                                   "WHERE key = ?1", NULL);

  if (stmt == NULL)
    return -1;
  hl_bind_blob (stmt, 1, key, HL_ID_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static gboolean
insert_segment (HlStore                 *self,
                const HlSegmentManifest *m,
                const guint8            *key,
                GError                 **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self,
    "INSERT INTO archive_segments (key, subnet, month, gen, part, parts, set_hash, hash, count, "
    "  first_ts, last_ts, size, oti, roots, changed_ms, epoch) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
    "ON CONFLICT (key) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, key, HL_ID_LEN);
  hl_bind_blob (stmt, 2, m->subnet, HL_ID_LEN);
  sqlite3_bind_int (stmt, 3, (int) (m->year * 100 + m->month));
  sqlite3_bind_int64 (stmt, 4, m->gen);
  sqlite3_bind_int (stmt, 5, (int) m->part);
  sqlite3_bind_int (stmt, 6, (int) m->parts);
  hl_bind_blob (stmt, 7, m->set, HL_ID_LEN);
  hl_bind_blob (stmt, 8, m->hash, HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 9, m->count);
  sqlite3_bind_int64 (stmt, 10, (sqlite3_int64) m->first);
  sqlite3_bind_int64 (stmt, 11, (sqlite3_int64) m->last);
  sqlite3_bind_int64 (stmt, 12, (sqlite3_int64) m->size);
  hl_bind_blob (stmt, 13, m->oti, HL_CODEC_OTI_SIZE);
  hl_bind_blob (stmt, 14, m->roots, (gsize) m->n_roots * HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 15, hl_now_ms ());
  if (m->has_epoch)
    hl_bind_blob (stmt, 16, m->epoch, HL_ID_LEN);
  return hl_store_step_done (self, stmt, error);
}

static gboolean
apply_segment (HlStore       *self,
               const HlEvent *event,
               GError       **error)
{
  g_auto(HlSegmentManifest) m = { { 0 } };
  g_autoptr(HlStmt) link = NULL;
  guint8 key[HL_ID_LEN];
  gint64 rowid;

  /* Validated on arrival; a body the rules refuse is the re-check's to remove. */
  if (!hl_segment_manifest_read (event, &m, NULL))
    return TRUE;
  content_key (&m, key);
  if (!insert_segment (self, &m, key, error))
    return FALSE;
  if ((rowid = segment_rowid (self, key)) <= 0)
    return hl_store_fail (self, "Cannot store a segment manifest", error);
  if (!(link = hl_store_prepare (self, "INSERT INTO archive_manifests (id, segment) "
                                       "VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING", error)))
    return FALSE;
  hl_bind_blob (link, 1, event->id, HL_ID_LEN);
  sqlite3_bind_int64 (link, 2, rowid);
  return hl_store_step_done (self, link, error) &&
         recompute_range (self, m.subnet, m.year * 100 + m.month, error);
}

static gboolean
forget_segment (HlStore       *self,
                const HlEvent *event,
                GError       **error)
{
  g_auto(HlSegmentManifest) m = { { 0 } };
  g_autoptr(HlStmt) unlink = NULL;
  g_autoptr(HlStmt) left = NULL;
  g_autoptr(HlStmt) drop = NULL;
  guint8 key[HL_ID_LEN];
  gint64 rowid;

  if (!hl_segment_manifest_read (event, &m, NULL))
    return TRUE;
  content_key (&m, key);
  if ((rowid = segment_rowid (self, key)) <= 0)
    return TRUE;
  if (!(unlink = hl_store_prepare (self, "DELETE FROM archive_manifests WHERE id = ?1", error)))
    return FALSE;
  hl_bind_blob (unlink, 1, event->id, HL_ID_LEN);
  if (!hl_store_step_done (self, unlink, error) ||
      !(left = hl_store_prepare (self, "SELECT 1 FROM archive_manifests WHERE segment = ?1",
                                 error)))
    return FALSE;
  sqlite3_bind_int64 (left, 1, rowid);
  if (sqlite3_step (left) != SQLITE_ROW)
    {
      if (!hl_store_archive_release (self, rowid, error) ||
          hl_store_archive_drop_symbols (self, rowid, -1, 0, 0, error) < 0 ||
          !(drop = hl_store_prepare (self, "DELETE FROM archive_segments WHERE rowid = ?1",
                                     error)))
        return FALSE;
      sqlite3_bind_int64 (drop, 1, rowid);
      if (!hl_store_step_done (self, drop, error))
        return FALSE;
    }
  return recompute_range (self, m.subnet, m.year * 100 + m.month, error);
}

static gboolean
apply_holder (HlStore       *self,
              const HlEvent *event,
              GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  guint64 quota;

  if (!hl_archive_holder_quota (event, &quota))
    return TRUE;
  /* The latest (ts, ctr, id) of each author wins, whatever the order. */
  if (!(stmt = hl_store_prepare (self,
        "INSERT INTO archive_holders (author, quota, ts, ctr, event) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (author) DO UPDATE SET quota = excluded.quota, ts = excluded.ts, "
        "  ctr = excluded.ctr, event = excluded.event "
        "WHERE (excluded.ts, excluded.ctr, excluded.event) > "
        "  (archive_holders.ts, archive_holders.ctr, archive_holders.event)", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, event->author, HL_KEY_LEN);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) quota);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) event->ts.ms);
  sqlite3_bind_int64 (stmt, 4, event->ts.ctr);
  hl_bind_blob (stmt, 5, event->id, HL_ID_LEN);
  return hl_store_step_done (self, stmt, error);
}

/* The holder row of @author from the latest of their holder events still held. */
static gboolean
recompute_holder (HlStore      *self,
                  const guint8 *author,
                  GError      **error)
{
  g_autoptr(HlStmt) drop = NULL;
  g_autoptr(HlStmt) latest = NULL;
  g_autoptr(HlEvent) event = NULL;

  if (!(drop = hl_store_prepare (self, "DELETE FROM archive_holders WHERE author = ?1", error)))
    return FALSE;
  hl_bind_blob (drop, 1, author, HL_KEY_LEN);
  if (!hl_store_step_done (self, drop, error) ||
      !(latest = hl_store_prepare (self, "SELECT raw, sig FROM events WHERE kind = '"
                                         HL_KIND_ARCHIVE_HOLDER "' AND author = ?1 "
                                         "AND raw IS NOT NULL "
                                         "ORDER BY ts DESC, ctr DESC, id DESC LIMIT 1", error)))
    return FALSE;
  hl_bind_blob (latest, 1, author, HL_KEY_LEN);
  if (sqlite3_step (latest) != SQLITE_ROW)
    return TRUE;
  event = hl_event_decode (sqlite3_column_blob (latest, 0), sqlite3_column_bytes (latest, 0),
                           sqlite3_column_blob (latest, 1), error);
  g_clear_pointer (&latest, hl_stmt_release);
  return event != NULL && apply_holder (self, event, error);
}

gboolean
hl_store_archive_apply (HlStore       *self,
                        const HlEvent *event,
                        GError       **error)
{
  if (strcmp (event->kind, HL_KIND_ARCHIVE_SEGMENT) == 0)
    return apply_segment (self, event, error);
  if (strcmp (event->kind, HL_KIND_ARCHIVE_HOLDER) == 0)
    return apply_holder (self, event, error);
  /* archive.policy is read where it is used: it depends on who owns the
   * subnet, which another event says (hl_store_archive_get_policy). */
  return TRUE;
}

gboolean
hl_store_archive_forget (HlStore       *self,
                         const HlEvent *event,
                         GError       **error)
{
  if (strcmp (event->kind, HL_KIND_ARCHIVE_SEGMENT) == 0)
    return forget_segment (self, event, error);
  if (strcmp (event->kind, HL_KIND_ARCHIVE_HOLDER) == 0)
    return recompute_holder (self, event->author, error);
  return TRUE;
}

gboolean
hl_store_archive_rebuild (HlStore  *self,
                          GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT raw, sig FROM events "
                                                   "WHERE kind IN ('" HL_KIND_ARCHIVE_SEGMENT
                                                   "', '" HL_KIND_ARCHIVE_HOLDER "') "
                                                   "AND raw IS NOT NULL ORDER BY seq", error);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HlEvent *event = hl_event_decode (sqlite3_column_blob (stmt, 0),
                                        sqlite3_column_bytes (stmt, 0),
                                        sqlite3_column_blob (stmt, 1), NULL);
      if (event != NULL)
        g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    return hl_store_fail (self, "Cannot read the archive's events", error);
  g_clear_pointer (&stmt, hl_stmt_release);
  for (guint i = 0; i < events->len; i++)
    if (!hl_store_archive_apply (self, g_ptr_array_index (events, i), error))
      return FALSE;
  return TRUE;
}

gboolean
hl_store_archive_set_verified (HlStore  *self,
                               gint64    rowid,
                               GArray   *ids,
                               GError  **error)
{
  g_autoptr(HlStmt) verified = NULL;
  g_autoptr(HlStmt) contain = NULL;
  g_autoptr(HlSegmentRow) row = hl_store_archive_get_segment (self, rowid, error);

  if (row == NULL ||
      !(verified = hl_store_prepare (self, "UPDATE archive_segments SET verified_ms = ?2 "
                                           "WHERE rowid = ?1 AND verified_ms IS NULL", error)))
    return FALSE;
  sqlite3_bind_int64 (verified, 1, rowid);
  sqlite3_bind_int64 (verified, 2, hl_now_ms ());
  if (!hl_store_step_done (self, verified, error))
    return FALSE;
  /* Verified, it may now win a tie it lost to an unchecked copy. */
  if (!recompute_range (self, row->manifest.subnet,
                        row->manifest.year * 100 + row->manifest.month, error))
    return FALSE;
  g_clear_pointer (&row, hl_segment_row_free);
  if (!(row = hl_store_archive_get_segment (self, rowid, error)))
    return FALSE;
  if (row->state != HL_SEGMENT_CURRENT || ids == NULL || ids->len == 0)
    return TRUE;
  if (!(contain = hl_store_prepare (self, "UPDATE events SET archived = ?1 "
                                          "WHERE id = ?2 AND raw IS NOT NULL", error)))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_reset (contain);
      sqlite3_bind_int64 (contain, 1, rowid);
      hl_bind_blob (contain, 2, g_array_index (ids, HlId, i).bytes, HL_ID_LEN);
      if (!hl_store_step_done (self, contain, error))
        return FALSE;
    }
  return bump_epoch (self, error);
}

static gboolean
read_holder (HlStmt          *stmt,
             HlArchiveHolder *holder)
{
  if (!hl_column_id (stmt, 0, holder->key))
    return FALSE;
  holder->quota = (guint64) sqlite3_column_int64 (stmt, 1);
  holder->ts_ms = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

GArray *
hl_store_archive_list_holders (HlStore  *self,
                               gint64    since_ms,
                               GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT author, quota, ts FROM archive_holders "
                                                   "WHERE ts >= ?1 AND quota > 0 ORDER BY author",
                                             error);
  g_autoptr(GArray) holders = g_array_new (FALSE, FALSE, sizeof (HlArchiveHolder));
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HlArchiveHolder holder;

      if (read_holder (stmt, &holder))
        g_array_append_val (holders, holder);
    }
  if (rc != SQLITE_DONE)
    {
      hl_store_fail (self, "Cannot list the archive's holders", error);
      return NULL;
    }
  return g_steal_pointer (&holders);
}

gboolean
hl_store_archive_get_holder (HlStore          *self,
                             const guint8     *key,
                             HlArchiveHolder  *holder,
                             gboolean         *found,
                             GError          **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT author, quota, ts FROM archive_holders "
                                                   "WHERE author = ?1", error);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, key, HL_KEY_LEN);
  *found = sqlite3_step (stmt) == SQLITE_ROW && read_holder (stmt, holder);
  return TRUE;
}

gboolean
hl_store_archive_get_policy (HlStore       *self,
                             const guint8  *subnet,
                             gint          *lose,
                             gboolean      *set,
                             GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  g_autoptr(HlEvent) event = NULL;

  *lose = HL_ARCHIVE_LOSE_HALF;
  *set = FALSE;
  /* Only the owner's count, and the owner is whoever made the subnet. */
  if (!(stmt = hl_store_prepare (self, "SELECT e.raw, e.sig FROM events e "
                                       "JOIN events c ON c.id = e.ref AND c.kind = '"
                                       HL_KIND_SUBNET_CREATE "' AND c.raw IS NOT NULL "
                                       "WHERE e.ref = ?1 AND e.kind = '" HL_KIND_ARCHIVE_POLICY
                                       "' AND e.author = c.author AND e.raw IS NOT NULL "
                                       "ORDER BY e.ts DESC, e.ctr DESC, e.id DESC LIMIT 1",
                                 error)))
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE;
  event = hl_event_decode (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                           sqlite3_column_blob (stmt, 1), NULL);
  *set = event != NULL && hl_archive_policy_lose (event, lose);
  return TRUE;
}
