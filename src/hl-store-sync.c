/* hl-store-sync.c: store queries for the sync engine.
 *
 * None of them sees a `sealed` row: the plaintext events a member device
 * opened from a private subnet's envelopes never leave it (hl-store-privnet.c).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-sync.h"

#include "hl-error.h"
#include "hl-store-private.h"
#include "hl-store-recheck.h"

gint64
hl_store_sync_max_seq (HlStore  *self,
                       GError  **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT coalesce(max(seq), 0) FROM events", error)))
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      hl_store_fail (self, "Cannot read the event log", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
hl_store_sync_scan (HlStore  *self,
                    gint64    after_seq,
                    guint     limit,
                    GArray   *rows,
                    GError  **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  int rc;

  /* Rows the reconciled set leaves out for being archived are not new to it
   * (docs/protocol.md, "Reconciliation"): the same rule as
   * hl_store_sync_foreach_key(). */
  if (!(stmt = hl_store_prepare (self, "SELECT seq, id, ts, raw IS NULL, kind = 'delete', "
                                       "CASE kind WHEN 'private.create' THEN 1 WHEN 'private.epoch' "
                                       "THEN 2 WHEN 'private.box' THEN 2 ELSE 0 END "
                                       "FROM events WHERE seq > ?1 AND sealed IS NULL "
                                       "AND (archived IS NULL OR raw IS NULL) "
                                       "ORDER BY seq LIMIT ?2", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HlSyncRow row = { 0 };

      row.seq = sqlite3_column_int64 (stmt, 0);
      if (!hl_column_id (stmt, 1, row.id))
        continue;
      row.ts = (guint64) sqlite3_column_int64 (stmt, 2);
      row.erased = sqlite3_column_int (stmt, 3);
      row.is_delete = sqlite3_column_int (stmt, 4);
      row.private_kind = sqlite3_column_int (stmt, 5);
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    return hl_store_fail (self, "Cannot read the event log", error);
  return TRUE;
}

static gboolean
foreach_key (HlStore       *self,
             const char    *sql,
             HlSyncKeyFunc  func,
             gpointer       user_data,
             GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  int rc;

  if (!(stmt = hl_store_prepare (self, sql, error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 id[HL_ID_LEN];

      if (hl_column_id (stmt, 1, id))
        func ((guint64) sqlite3_column_int64 (stmt, 0), id, user_data);
    }
  if (rc != SQLITE_DONE)
    return hl_store_fail (self, "Cannot read the event log", error);
  return TRUE;
}

gboolean
hl_store_sync_foreach_key (HlStore       *self,
                           HlSyncKeyFunc  func,
                           gpointer       user_data,
                           GError       **error)
{
  /* The node builds the set it offers from this: it must hold no event a
   * peer would refuse (docs/protocol.md, "Events stored under older rules"). */
  return hl_store_recheck_events (self, NULL, error) &&
         foreach_key (self, "SELECT ts, id FROM events WHERE raw IS NOT NULL "
                            "AND archived IS NULL AND sealed IS NULL", func, user_data, error);
}

gboolean
hl_store_sync_foreach_held_key (HlStore       *self,
                                HlSyncKeyFunc  func,
                                gpointer       user_data,
                                GError       **error)
{
  return hl_store_recheck_events (self, NULL, error) &&
         foreach_key (self, "SELECT ts, id FROM events WHERE raw IS NOT NULL "
                            "AND sealed IS NULL",
                      func, user_data, error);
}

gint64
hl_store_sync_containment_epoch (HlStore  *self,
                                 GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT value FROM meta "
                                                   "WHERE key = 'archive_epoch'", error);

  if (stmt == NULL)
    return -1;
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

gboolean
hl_store_sync_foreach_erased (HlStore       *self,
                              HlSyncKeyFunc  func,
                              gpointer       user_data,
                              GError       **error)
{
  return foreach_key (self, "SELECT ts, id FROM events WHERE raw IS NULL "
                            "AND sealed IS NULL",
                      func, user_data, error);
}

/* Runs @stmt (columns id, ts, raw, sig) and feeds the held rows to @func. */
static gboolean
feed_rows (HlStore       *self,
           HlStmt        *stmt,
           HlSyncRawFunc  func,
           gpointer       user_data,
           gboolean      *known,
           GError       **error)
{
  int rc;

  if (known != NULL)
    *known = FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 id[HL_ID_LEN];
      const guint8 *raw = sqlite3_column_blob (stmt, 2);
      const guint8 *sig = sqlite3_column_blob (stmt, 3);

      if (known != NULL)
        *known = TRUE;
      if (!hl_column_id (stmt, 0, id) || raw == NULL || sig == NULL ||
          sqlite3_column_bytes (stmt, 3) != HL_SIG_LEN)
        continue;
      if (!func (id, (guint64) sqlite3_column_int64 (stmt, 1), raw,
                 (gsize) sqlite3_column_bytes (stmt, 2), sig, user_data))
        return TRUE;
    }
  if (rc != SQLITE_DONE)
    return hl_store_fail (self, "Cannot read events", error);
  return TRUE;
}

gboolean
hl_store_sync_get_raw (HlStore       *self,
                       const guint8  *id,
                       HlSyncRawFunc  func,
                       gpointer       user_data,
                       gboolean      *known,
                       GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT id, ts, raw, sig FROM events WHERE id = ?1 "
                                       "AND sealed IS NULL", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  return feed_rows (self, stmt, func, user_data, known, error);
}

gboolean
hl_store_sync_get_prefix (HlStore       *self,
                          const guint8  *prefix,
                          gsize          len,
                          HlSyncRawFunc  func,
                          gpointer       user_data,
                          gboolean      *known,
                          GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  guint8 lo[HL_ID_LEN], hi[HL_ID_LEN];

  len = MIN (len, HL_ID_LEN);
  memset (lo, 0x00, sizeof lo);
  memset (hi, 0xff, sizeof hi);
  memcpy (lo, prefix, len);
  memcpy (hi, prefix, len);
  /* Ids are unique: a short prefix matching many rows is a hostile request,
   * so a handful is plenty. */
  if (!(stmt = hl_store_prepare (self, "SELECT id, ts, raw, sig FROM events "
                                       "WHERE id BETWEEN ?1 AND ?2 AND sealed IS NULL LIMIT 4", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, lo, HL_ID_LEN);
  hl_bind_blob (stmt, 2, hi, HL_ID_LEN);
  return feed_rows (self, stmt, func, user_data, known, error);
}

gboolean
hl_store_sync_range (HlStore       *self,
                     gboolean       reconciled,
                     guint64        lo_ts,
                     const guint8  *lo_id,
                     guint64        hi_ts,
                     const guint8  *hi_id,
                     guint          limit,
                     HlSyncRawFunc  func,
                     gpointer       user_data,
                     GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  /* Row values let SQLite walk events_held (ts, id) directly. */
  /* Two literals: the statement cache keeps the SQL text it was given. */
  if (!(stmt = hl_store_prepare (self, reconciled
                                       ? "SELECT id, ts, raw, sig FROM events "
                                         "WHERE (ts, id) >= (?1, ?2) AND (ts, id) < (?3, ?4) "
                                         "AND raw IS NOT NULL AND archived IS NULL "
                                         "AND sealed IS NULL ORDER BY ts, id LIMIT ?5"
                                       : "SELECT id, ts, raw, sig FROM events "
                                         "WHERE (ts, id) >= (?1, ?2) AND (ts, id) < (?3, ?4) "
                                         "AND raw IS NOT NULL AND sealed IS NULL "
                                         "ORDER BY ts, id LIMIT ?5", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) MIN (lo_ts, (guint64) G_MAXINT64));
  hl_bind_blob (stmt, 2, lo_id, HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) MIN (hi_ts, (guint64) G_MAXINT64));
  hl_bind_blob (stmt, 4, hi_id, HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 5, limit);
  return feed_rows (self, stmt, func, user_data, NULL, error);
}

/* The statements of each HlAddressList: literals, since the statement
 * cache keeps the SQL text it was given. */
static const struct
{
  const char *insert;
  const char *delete;
  const char *select;
  const char *list_failed;
} address_lists[] = {
  [HL_ADDRESSES_PEERS] = {
    .insert = "INSERT INTO sync_peers (address, added_ms) VALUES (?1, ?2) "
              "ON CONFLICT (address) DO NOTHING",
    .delete = "DELETE FROM sync_peers WHERE address = ?1",
    .select = "SELECT address FROM sync_peers ORDER BY address",
    .list_failed = "Cannot list peers",
  },
  [HL_ADDRESSES_BOOTSTRAP] = {
    .insert = "INSERT INTO sync_bootstrap (address, added_ms) VALUES (?1, ?2) "
              "ON CONFLICT (address) DO NOTHING",
    .delete = "DELETE FROM sync_bootstrap WHERE address = ?1",
    .select = "SELECT address FROM sync_bootstrap ORDER BY address",
    .list_failed = "Cannot list the bootstrap nodes",
  },
};

/* Steps @stmt, which may change a row, and says whether it did. A person
 * made the change: it must survive a power cut. */
static gboolean
step_changed (HlStore   *self,
              HlStmt    *stmt,
              gboolean  *changed,
              GError   **error)
{
  if (!hl_store_step_durable (self, stmt, error))
    return FALSE;
  if (changed != NULL)
    *changed = sqlite3_changes (self->db) > 0;
  return TRUE;
}

gboolean
hl_store_addresses_add (HlStore        *self,
                        HlAddressList   list,
                        const char     *address,
                        gboolean       *added,
                        GError        **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, address_lists[list].insert, error)))
    return FALSE;
  hl_bind_text (stmt, 1, address);
  sqlite3_bind_int64 (stmt, 2, hl_now_ms ());
  return step_changed (self, stmt, added, error);
}

gboolean
hl_store_addresses_remove (HlStore        *self,
                           HlAddressList   list,
                           const char     *address,
                           gboolean       *removed,
                           GError        **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, address_lists[list].delete, error)))
    return FALSE;
  hl_bind_text (stmt, 1, address);
  return step_changed (self, stmt, removed, error);
}

GPtrArray *
hl_store_addresses_list (HlStore        *self,
                         HlAddressList   list,
                         GError        **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, address_lists[list].select, error)))
    return NULL;
  return hl_store_collect (self, stmt, hl_read_text_row, g_free, address_lists[list].list_failed,
                           error);
}

gboolean
hl_store_sync_add_peer (HlStore     *self,
                        const char  *address,
                        gboolean    *added,
                        GError     **error)
{
  return hl_store_addresses_add (self, HL_ADDRESSES_PEERS, address, added, error);
}

gboolean
hl_store_sync_remove_peer (HlStore     *self,
                           const char  *address,
                           gboolean    *removed,
                           GError     **error)
{
  return hl_store_addresses_remove (self, HL_ADDRESSES_PEERS, address, removed, error);
}

GPtrArray *
hl_store_sync_list_peers (HlStore  *self,
                          GError  **error)
{
  return hl_store_addresses_list (self, HL_ADDRESSES_PEERS, error);
}

gboolean
hl_store_sync_list_outbox (HlStore  *self,
                           gint64    max_seq,
                           GArray   *items,
                           GError  **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  int rc;

  /* CROSS JOIN keeps the outbox (a few rows) the outer loop: left to
   * itself, SQLite walked all events by seq, 1 GB at a million. */
  if (!(stmt = hl_store_prepare (self, "SELECT e.ts, o.id FROM outbox o CROSS JOIN events e ON e.id = o.id "
                                       "WHERE e.seq <= ?1 AND e.raw IS NOT NULL", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, max_seq);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HlOutboxItem item;

      item.ts = (guint64) sqlite3_column_int64 (stmt, 0);
      if (hl_column_id (stmt, 1, item.id))
        g_array_append_val (items, item);
    }
  if (rc != SQLITE_DONE)
    {
      hl_store_fail (self, "Cannot read the outbox", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_store_sync_confirm (HlStore       *self,
                       const guint8  *ids,
                       guint          n_ids,
                       GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (n_ids == 0)
    return TRUE;
  if (!hl_store_begin_write (self, error))
    return FALSE;
  if (!(stmt = hl_store_prepare (self, "DELETE FROM outbox WHERE id = ?1", error)))
    goto fail;
  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_reset (stmt);
      hl_bind_blob (stmt, 1, ids + (gsize) i * HL_ID_LEN, HL_ID_LEN);
      if (!hl_store_step_done (self, stmt, error))
        goto fail;
    }
  return hl_store_commit_write (self, error);

fail:
  hl_store_rollback (self);
  return FALSE;
}
