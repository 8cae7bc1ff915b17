/* hl-store-horizon.c: dropping the threads of sealed months below this
 * device's horizon, and what the store keeps to stay correct after it
 * (docs/protocol.md, "Horizon"; the rules of which segments may go are the
 * archive's, src/archive/hl-archive-horizon.c).
 *
 * A thread goes whole: its create event, its replies, and every held event
 * that targets one of them (edits, hides), and only when each of those is
 * contained in a segment it is allowed to drop. Then nothing that stays
 * loses the chain that puts it in its subnet, and the forum's rows (posts,
 * search entries, thread counts) are recomputed the way a removed event
 * always is (hl_store_apply_forget()).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-horizon.h"

#include "hl-store-private.h"
#include "hl-store-recheck.h"

/* What one dropped event takes besides its bytes (its row, the id and
 * time indexes), and what its post's text takes again in the index:
 * measured with bench-archive (about 1 KB of file per event). */
#define ROW_OVERHEAD 450
#define TEXT_FACTOR  3

static const struct
{
  gint        months;
  const char *name;
  const char *label;
} horizons[] = {
  { HL_HORIZON_EVERYTHING, "everything", "everything" },
  { 12, "1y", "1 year" },
  { 6, "6m", "6 months" },
  { 3, "3m", "3 months" },
  { 1, "1m", "1 month" },
};

gint
hl_horizon_parse (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (horizons); i++)
    if (g_ascii_strcasecmp (text, horizons[i].name) == 0 ||
        g_ascii_strcasecmp (text, horizons[i].label) == 0)
      return horizons[i].months;
  return -1;
}

const char *
hl_horizon_name (gint months)
{
  for (guint i = 0; i < G_N_ELEMENTS (horizons); i++)
    if (horizons[i].months == months)
      return horizons[i].name;
  return NULL;
}

const char *
hl_horizon_label (gint months)
{
  for (guint i = 0; i < G_N_ELEMENTS (horizons); i++)
    if (horizons[i].months == months)
      return horizons[i].label;
  return NULL;
}

static gboolean
fill_segments (HlStore       *self,
               const gint64  *segments,
               guint          n_segments,
               GError       **error)
{
  g_autoptr(HlStmt) insert = NULL;

  if (!hl_store_exec (self, "CREATE TEMP TABLE IF NOT EXISTS horizon_segments ("
                            "  segment INTEGER PRIMARY KEY);"
                            "CREATE TEMP TABLE IF NOT EXISTS horizon_threads ("
                            "  thread BLOB PRIMARY KEY, subnet BLOB, month INTEGER) "
                            "  WITHOUT ROWID;"
                            "CREATE TEMP TABLE IF NOT EXISTS horizon_doomed ("
                            "  id BLOB PRIMARY KEY, segment INTEGER, size INTEGER) "
                            "  WITHOUT ROWID;"
                            "DELETE FROM horizon_segments; DELETE FROM horizon_threads; "
                            "DELETE FROM horizon_doomed;", error) ||
      !(insert = hl_store_prepare (self, "INSERT OR IGNORE INTO horizon_segments (segment) "
                                         "VALUES (?1)", error)))
    return FALSE;
  for (guint i = 0; i < n_segments; i++)
    {
      sqlite3_bind_int64 (insert, 1, segments[i]);
      if (!hl_store_step_done (self, insert, error))
        return FALSE;
      sqlite3_reset (insert);
    }
  return TRUE;
}

/* A held event of the thread's family that may not go: not contained in a
 * segment being dropped, or not yet confirmed by a peer (the outbox). */
#define KEEPS_IT \
  "f.raw IS NOT NULL AND (f.archived IS NULL " \
  "  OR f.archived NOT IN (SELECT segment FROM horizon_segments) " \
  "  OR EXISTS (SELECT 1 FROM outbox o WHERE o.id = f.id))"

/* The threads that go, and every held event of theirs. */
static gboolean
find_doomed (HlStore  *self,
             GError  **error)
{
  return hl_store_exec (self,
    "INSERT INTO horizon_threads (thread, subnet, month) "
    "SELECT p.id, s.subnet, s.month FROM posts p "
    "  JOIN events e ON e.id = p.id "
    "  JOIN archive_segments s ON s.rowid = e.archived "
    " WHERE p.kind = 1 AND e.archived IN (SELECT segment FROM horizon_segments) "
    "   AND NOT EXISTS (SELECT 1 FROM posts q JOIN events f ON f.id = q.id "
    "                    WHERE q.thread = p.id AND " KEEPS_IT ") "
    "   AND NOT EXISTS (SELECT 1 FROM posts q JOIN events f ON f.ref = q.id "
    "                    WHERE q.thread = p.id AND " KEEPS_IT ");"
    "INSERT OR IGNORE INTO horizon_doomed (id, segment, size) "
    "SELECT f.id, f.archived, length(f.raw) + length(f.sig) + " G_STRINGIFY (ROW_OVERHEAD)
    "       + " G_STRINGIFY (TEXT_FACTOR) " * (length(coalesce(q.title, '')) "
    "                                         + length(coalesce(q.body, ''))) "
    "  FROM horizon_threads t JOIN posts q ON q.thread = t.thread "
    "  JOIN events f ON f.id = q.id WHERE f.raw IS NOT NULL;"
    "INSERT OR IGNORE INTO horizon_doomed (id, segment, size) "
    "SELECT f.id, f.archived, length(f.raw) + length(f.sig) + " G_STRINGIFY (ROW_OVERHEAD)
    "  FROM horizon_threads t JOIN posts q ON q.thread = t.thread "
    "  JOIN events f ON f.ref = q.id WHERE f.raw IS NOT NULL AND f.id <> q.id;",
    error);
}

static gboolean
measure (HlStore          *self,
         HlHorizonAmount  *amount,
         GError          **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self,
    "SELECT (SELECT count(*) FROM horizon_threads), count(*), coalesce(sum(size), 0) "
    "FROM horizon_doomed", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return hl_store_fail (self, "Cannot measure the history to drop", error);
  amount->threads = (guint64) sqlite3_column_int64 (stmt, 0);
  amount->events = (guint64) sqlite3_column_int64 (stmt, 1);
  amount->bytes = (guint64) sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

/* The create events of the threads that go, decoded: forgetting them
 * recomputes each thread and its replies from what remains. */
static GPtrArray *
doomed_threads (HlStore  *self,
                GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT e.raw, e.sig FROM horizon_threads t "
                                                   "JOIN events e ON e.id = t.thread", error);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HlEvent *event = hl_event_decode (sqlite3_column_blob (stmt, 0),
                                        (gsize) sqlite3_column_bytes (stmt, 0),
                                        sqlite3_column_blob (stmt, 1), error);

      if (event == NULL)
        return NULL;
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      hl_store_fail (self, "Cannot read the threads to drop", error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

static gboolean
record_ranges (HlStore  *self,
               GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self,
    "INSERT INTO horizon_ranges (subnet, month, threads, events, bytes, pruned_ms) "
    "SELECT s.subnet, s.month, "
    "  (SELECT count(*) FROM horizon_threads t WHERE t.subnet = s.subnet "
    "     AND t.month = s.month), count(*), sum(d.size), ?1 "
    "  FROM horizon_doomed d JOIN archive_segments s ON s.rowid = d.segment "
    " WHERE true GROUP BY s.subnet, s.month "
    "ON CONFLICT (subnet, month) DO UPDATE SET "
    "  threads = (CASE WHEN loaded_ms IS NULL THEN threads ELSE 0 END) + excluded.threads, "
    "  events = (CASE WHEN loaded_ms IS NULL THEN events ELSE 0 END) + excluded.events, "
    "  bytes = (CASE WHEN loaded_ms IS NULL THEN bytes ELSE 0 END) + excluded.bytes, "
    "  pruned_ms = excluded.pruned_ms, loaded_ms = NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / 1000);
  return hl_store_step_done (self, stmt, error);
}

static gboolean
drop_doomed (HlStore  *self,
             GError  **error)
{
  g_autoptr(GPtrArray) threads = doomed_threads (self, error);

  if (threads == NULL || !record_ranges (self, error) ||
      !hl_store_exec (self, "DELETE FROM events WHERE id IN (SELECT id FROM horizon_doomed)",
                      error))
    return FALSE;
  for (guint i = 0; i < threads->len; i++)
    if (!hl_store_apply_forget (self, g_ptr_array_index (threads, i), error))
      return FALSE;
  /* The text left the index: rewrite it without the old postings. */
  self->erased_text = TRUE;
  /* A node reads its full set (for peers without the archive) again. */
  return hl_store_exec (self, "INSERT INTO meta (key, value) VALUES ('archive_epoch', 1) "
                              "ON CONFLICT (key) DO UPDATE SET value = value + 1", error);
}

gboolean
hl_store_horizon_drop (HlStore          *self,
                       const gint64     *segments,
                       guint             n_segments,
                       gboolean          apply,
                       HlHorizonAmount  *amount,
                       GError          **error)
{
  HlHorizonAmount ignored;

  if (amount == NULL)
    amount = &ignored;
  memset (amount, 0, sizeof *amount);
  if (n_segments == 0)
    return TRUE;
  if (!hl_store_begin_batch (self, error))
    return FALSE;
  if (!fill_segments (self, segments, n_segments, error) || !find_doomed (self, error) ||
      !measure (self, amount, error))
    goto fail;
  if (!apply || amount->threads == 0)
    {
      hl_store_abort_batch (self);
      return TRUE;
    }
  if (!drop_doomed (self, error) || !hl_store_commit_batch (self, error))
    goto fail;
  return hl_store_flush_deletions (self, error);

fail:
  hl_store_abort_batch (self);
  return FALSE;
}

static gpointer
read_range (HlStmt *stmt)
{
  HlHorizonRange *r = g_new0 (HlHorizonRange, 1);

  hl_column_id (stmt, 0, r->subnet);
  r->month = (guint) sqlite3_column_int (stmt, 1);
  r->threads = (guint64) sqlite3_column_int64 (stmt, 2);
  r->events = (guint64) sqlite3_column_int64 (stmt, 3);
  r->bytes = (guint64) sqlite3_column_int64 (stmt, 4);
  r->pruned_ms = sqlite3_column_int64 (stmt, 5);
  r->loaded_ms = sqlite3_column_int64 (stmt, 6);
  return r;
}

GArray *
hl_store_horizon_list (HlStore       *self,
                       const guint8  *subnet,
                       gboolean       dropped_only,
                       GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self,
    "SELECT subnet, month, threads, events, bytes, pruned_ms, coalesce(loaded_ms, 0) "
    "FROM horizon_ranges WHERE (?1 IS NULL OR subnet = ?1) "
    "AND (?2 = 0 OR loaded_ms IS NULL) ORDER BY subnet, month", error);
  g_autoptr(GPtrArray) rows = NULL;
  GArray *out;

  if (stmt == NULL)
    return NULL;
  if (subnet != NULL)
    hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  sqlite3_bind_int (stmt, 2, dropped_only);
  if (!(rows = hl_store_collect (self, stmt, read_range, g_free, "Cannot list dropped history",
                                 error)))
    return NULL;
  out = g_array_sized_new (FALSE, FALSE, sizeof (HlHorizonRange), rows->len);
  for (guint i = 0; i < rows->len; i++)
    g_array_append_vals (out, g_ptr_array_index (rows, i), 1);
  return out;
}

gboolean
hl_store_horizon_is_dropped (HlStore       *self,
                             const guint8  *subnet,
                             guint          month,
                             gboolean      *dropped,
                             GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT 1 FROM horizon_ranges "
                                                   "WHERE subnet = ?1 AND month = ?2 "
                                                   "AND loaded_ms IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  sqlite3_bind_int (stmt, 2, (int) month);
  *dropped = sqlite3_step (stmt) == SQLITE_ROW;
  return TRUE;
}

gboolean
hl_store_horizon_note_loaded (HlStore  *self,
                              gint64    now_ms,
                              guint    *n_loaded,
                              GError  **error)
{
  /* Every current part verified here, and holding as many events as its
   * manifest says (a range dropped in part holds fewer). */
  g_autoptr(HlStmt) stmt = hl_store_prepare (self,
    "UPDATE horizon_ranges SET loaded_ms = ?1 WHERE loaded_ms IS NULL "
    "AND EXISTS (SELECT 1 FROM archive_segments s WHERE s.subnet = horizon_ranges.subnet "
    "            AND s.month = horizon_ranges.month AND s.state = 1) "
    "AND NOT EXISTS (SELECT 1 FROM archive_segments s WHERE s.subnet = horizon_ranges.subnet "
    "            AND s.month = horizon_ranges.month AND s.state = 1 "
    "            AND (coalesce(s.verified_ms, 0) = 0 "
    "                 OR s.count > (SELECT count(*) FROM events e WHERE e.archived = s.rowid)))",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  if (n_loaded != NULL)
    *n_loaded = (guint) sqlite3_changes (self->db);
  return TRUE;
}

gboolean
hl_store_horizon_forget_loaded (HlStore  *self,
                                GError  **error)
{
  return hl_store_exec (self, "DELETE FROM horizon_ranges WHERE loaded_ms IS NOT NULL", error);
}

static gint64
pragma_int (HlStore     *self,
            const char  *sql,
            GError     **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, sql, error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      hl_store_fail (self, sql, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gint64
hl_store_horizon_db_bytes (HlStore  *self,
                           GError  **error)
{
  gint64 pages = pragma_int (self, "PRAGMA page_count", error);
  gint64 size = pages < 0 ? -1 : pragma_int (self, "PRAGMA page_size", error);

  return size < 0 ? -1 : pages * size;
}

gboolean
hl_store_horizon_vacuum (HlStore  *self,
                         GError  **error)
{
  gint64 mode = pragma_int (self, "PRAGMA auto_vacuum", error);

  if (mode < 0)
    return FALSE;
  /* 2 = incremental. A database made before the horizon has none: setting
   * it takes a VACUUM, once (it rewrites the file, so it needs that much
   * free space for a moment); after that, freed pages are handed back by
   * an incremental vacuum, which moves only the pages at the file's end. */
  if (mode != 2)
    {
      if (!hl_store_exec (self, "PRAGMA auto_vacuum = INCREMENTAL", error) ||
          !hl_store_exec (self, "VACUUM", error))
        return FALSE;
    }
  else if (!hl_store_exec (self, "PRAGMA incremental_vacuum", error))
    return FALSE;
  return hl_store_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error);
}

gboolean
hl_store_horizon_mark_loaded (HlStore       *self,
                              const guint8  *subnet,
                              guint          month,
                              gint64         now_ms,
                              GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "UPDATE horizon_ranges SET loaded_ms = ?3 "
                                                   "WHERE subnet = ?1 AND month = ?2 "
                                                   "AND loaded_ms IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  sqlite3_bind_int (stmt, 2, (int) month);
  sqlite3_bind_int64 (stmt, 3, now_ms);
  return hl_store_step_done (self, stmt, error);
}
