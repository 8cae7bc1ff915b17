/* hl-store-archive-ranges.c: which events belong to which range (subnet,
 * month) of the archive, and whether a sealed range still matches.
 *
 * The subnet of an event is a function of the set of held events
 * (docs/protocol.md, "Segments"), computed here in SQL so that every query
 * uses exactly the same rule: subnet.update, moderator.* and thread.create
 * belong to the subnet their ref names; reply.create to its thread's subnet;
 * edit, delete and hide to their target's. Each step needs the bytes of the
 * event it goes through: an erased (deleted) thread or subnet is absent, so
 * what hangs from it belongs to no subnet and is never sealed.
 * subnet.create itself is never sealed: the archive key is derived from it.
 * A private subnet's range is its private.box envelopes (see IS_SUBNET).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-archive.h"

#include "hl-error.h"
#include "hl-private.h"
#include "hl-store-private.h"

/* A public subnet's create. A private subnet's (opened on a member device,
 * so `sealed`) names no range: a private subnet's range holds its
 * private.box envelopes as they travel, not what member devices opened of
 * them (docs/protocol.md, "Keys and encryption"). Its private.create and
 * private.epoch envelopes are never sealed: the key comes from them. */
#define IS_SUBNET(s) s ".kind = '" HL_KIND_SUBNET_CREATE "' AND " s ".raw IS NOT NULL AND " \
  s ".sealed IS NULL"

/* The subnet of a thread.create @t's id is in @ref, of a reply its thread's. */
#define SUBNET_OF_THREAD_REF(ref) \
  "(SELECT s.id FROM events s WHERE s.id = " ref " AND " IS_SUBNET ("s") ")"
#define SUBNET_OF_REPLY_REF(ref) \
  "(SELECT s.id FROM events t JOIN events s ON s.id = t.ref WHERE t.id = " ref \
  " AND t.kind = '" HL_KIND_THREAD_CREATE "' AND t.raw IS NOT NULL AND " IS_SUBNET ("s") ")"

#define SEALED_KINDS \
  "('" HL_KIND_PRIVATE_BOX "', '" HL_KIND_SUBNET_UPDATE "', '" HL_KIND_MODERATOR_ADD "', '" HL_KIND_MODERATOR_REMOVE "', '" \
  HL_KIND_THREAD_CREATE "', '" HL_KIND_REPLY_CREATE "', '" HL_KIND_EDIT "', '" HL_KIND_DELETE \
  "', '" HL_KIND_HIDE "')"

/* The subnet of the event aliased e, or NULL. */
#define SUBNET_OF_EVENT \
  "(CASE " \
  "WHEN e.kind = '" HL_KIND_PRIVATE_BOX "' THEN " \
  "(SELECT p.subnet FROM private_subnets p WHERE p.subnet = e.ref) " \
  "WHEN e.kind IN ('" HL_KIND_SUBNET_UPDATE "', '" HL_KIND_MODERATOR_ADD "', '" \
  HL_KIND_MODERATOR_REMOVE "', '" HL_KIND_THREAD_CREATE "') THEN " SUBNET_OF_THREAD_REF ("e.ref") \
  " WHEN e.kind = '" HL_KIND_REPLY_CREATE "' THEN " SUBNET_OF_REPLY_REF ("e.ref") \
  " WHEN e.kind IN ('" HL_KIND_EDIT "', '" HL_KIND_DELETE "', '" HL_KIND_HIDE "') THEN " \
  "(SELECT CASE o.kind WHEN '" HL_KIND_SUBNET_CREATE "' THEN o.id " \
  "WHEN '" HL_KIND_THREAD_CREATE "' THEN " SUBNET_OF_THREAD_REF ("o.ref") \
  " WHEN '" HL_KIND_REPLY_CREATE "' THEN " SUBNET_OF_REPLY_REF ("o.ref") " END " \
  "FROM events o WHERE o.id = e.ref AND o.raw IS NOT NULL) " \
  "END)"

/* The held events of range ?1 (subnet), [?2, ?3) (ms). */
#define IN_RANGE \
  "e.ts >= ?2 AND e.ts < ?3 AND e.raw IS NOT NULL AND e.sealed IS NULL AND e.kind IN " \
  SEALED_KINDS \
  " AND " SUBNET_OF_EVENT " = ?1"

typedef struct
{
  guint8  subnet[HL_ID_LEN];
  guint   ym;
  guint64 n_events;
  guint64 bytes;
} RangeTotal;

static guint
range_total_hash (gconstpointer key)
{
  const RangeTotal *r = key;

  return (guint) r->ym * 31u + ((guint) r->subnet[0] << 24 | (guint) r->subnet[1] << 16 |
                                (guint) r->subnet[2] << 8 | r->subnet[3]);
}

static gboolean
range_total_equal (gconstpointer a,
                   gconstpointer b)
{
  const RangeTotal *x = a, *y = b;

  return x->ym == y->ym && memcmp (x->subnet, y->subnet, HL_ID_LEN) == 0;
}

static gint
range_total_compare (gconstpointer a,
                     gconstpointer b)
{
  const RangeTotal *x = *(const RangeTotal * const *) a, *y = *(const RangeTotal * const *) b;
  int c = memcmp (x->subnet, y->subnet, HL_ID_LEN);

  return c != 0 ? c : (x->ym > y->ym) - (x->ym < y->ym);
}

static void
add_to_range (GHashTable   *totals,
              const guint8 *subnet,
              guint         ym,
              guint64       len)
{
  RangeTotal probe, *total;

  memcpy (probe.subnet, subnet, HL_ID_LEN);
  probe.ym = ym;
  if (!(total = g_hash_table_lookup (totals, &probe)))
    {
      total = g_memdup2 (&probe, sizeof probe);
      total->n_events = total->bytes = 0;
      g_hash_table_add (totals, total);
    }
  total->n_events++;
  total->bytes += len;
}

gboolean
hl_store_archive_foreach_range (HlStore            *self,
                                HlArchiveRangeFunc  func,
                                gpointer            user_data,
                                GError            **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  g_autoptr(GHashTable) totals = g_hash_table_new_full (range_total_hash, range_total_equal,
                                                        g_free, NULL);
  g_autoptr(GPtrArray) sorted = NULL;
  GHashTableIter iter;
  gpointer key;
  int rc;

  /* Summed here, not with GROUP BY: SQLite sorts every row for that, in
   * memory (temp_store = MEMORY), 340 MB for 1,000,000 events; a hash of
   * the few ranges stays small. strftime() is NULL past 9999, where this
   * version seals nothing. */
  if (!(stmt = hl_store_prepare (self, "SELECT " SUBNET_OF_EVENT ", "
                                       "  CAST(strftime('%Y%m', e.ts / 1000, 'unixepoch') "
                                       "    AS INTEGER), "
                                       "  length(e.raw) + 68 "
                                       "FROM events e WHERE e.raw IS NOT NULL "
                                       "AND e.kind IN " SEALED_KINDS, error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 subnet[HL_ID_LEN];

      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL && hl_column_id (stmt, 0, subnet))
        add_to_range (totals, subnet, (guint) sqlite3_column_int (stmt, 1),
                      (guint64) sqlite3_column_int64 (stmt, 2));
    }
  if (rc != SQLITE_DONE)
    return hl_store_fail (self, "Cannot list the archive's ranges", error);
  sorted = g_ptr_array_sized_new (g_hash_table_size (totals));
  g_hash_table_iter_init (&iter, totals);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (sorted, key);
  g_ptr_array_sort (sorted, range_total_compare);
  for (guint i = 0; i < sorted->len; i++)
    {
      const RangeTotal *r = g_ptr_array_index (sorted, i);

      func (r->subnet, r->ym / 100, r->ym % 100, r->n_events, r->bytes, user_data);
    }
  return TRUE;
}

static void
month_bounds (guint   year,
              guint   month,
              gint64 *start,
              gint64 *end)
{
  *start = hl_archive_month_start_ms (year, month);
  hl_archive_month_next (&year, &month);
  *end = hl_archive_month_start_ms (year, month);
}

gboolean
hl_store_archive_foreach_record (HlStore             *self,
                                 const guint8        *subnet,
                                 guint                year,
                                 guint                month,
                                 guint64              from_ts,
                                 const guint8        *from_id,
                                 guint                limit,
                                 gboolean             sizes_only,
                                 HlArchiveRecordFunc  func,
                                 gpointer             user_data,
                                 GError             **error)
{
  static const guint8 zero[HL_ID_LEN] = { 0 };
  sqlite3_stmt *stmt = NULL;
  gint64 start, end;
  gboolean ok = TRUE;
  int rc;

  month_bounds (year, month, &start, &end);
  /* Not from the cache: @func may read the store while this runs. */
  if (sqlite3_prepare_v2 (self->db, "SELECT e.id, e.ts, CASE WHEN ?6 THEN NULL ELSE e.raw END, "
                          "length(e.raw), e.sig FROM events e WHERE " IN_RANGE
                          " AND (e.ts, e.id) >= (?4, ?5) ORDER BY e.ts, e.id LIMIT ?7",
                          -1, &stmt, NULL) != SQLITE_OK)
    return hl_store_fail (self, "Cannot read the events of a range", error);
  sqlite3_bind_blob (stmt, 1, subnet, HL_ID_LEN, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, end);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) MIN (from_ts, (guint64) G_MAXINT64));
  sqlite3_bind_blob (stmt, 5, from_id != NULL ? from_id : zero, HL_ID_LEN, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, sizes_only);
  sqlite3_bind_int64 (stmt, 7, limit > 0 ? (sqlite3_int64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 id[HL_ID_LEN];
      const guint8 *sig = sqlite3_column_blob (stmt, 4);

      if (!hl_column_id (stmt, 0, id) || sig == NULL ||
          sqlite3_column_bytes (stmt, 4) != HL_SIG_LEN)
        continue;
      if (!func (id, (guint64) sqlite3_column_int64 (stmt, 1), sqlite3_column_blob (stmt, 2),
                 (gsize) sqlite3_column_int64 (stmt, 3), sig, user_data))
        break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ok = hl_store_fail (self, "Cannot read the events of a range", error);
  sqlite3_finalize (stmt);
  return ok;
}

gboolean
hl_store_archive_filter_range (HlStore       *self,
                               const guint8  *subnet,
                               guint          year,
                               guint          month,
                               GArray        *ids,
                               GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT 1 FROM events e WHERE e.id = ?4 AND "
                                                   IN_RANGE, error);
  gint64 start, end;
  guint kept = 0;

  if (stmt == NULL)
    return FALSE;
  month_bounds (year, month, &start, &end);
  for (guint i = 0; i < ids->len; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
      sqlite3_bind_int64 (stmt, 2, start);
      sqlite3_bind_int64 (stmt, 3, end);
      hl_bind_blob (stmt, 4, g_array_index (ids, HlId, i).bytes, HL_ID_LEN);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return hl_store_fail (self, "Cannot check the events of a range", error);
      if (rc == SQLITE_ROW)
        g_array_index (ids, HlId, kept++) = g_array_index (ids, HlId, i);
    }
  g_array_set_size (ids, kept);
  return TRUE;
}

gboolean
hl_store_archive_range_differs (HlStore       *self,
                                const guint8  *subnet,
                                guint          year,
                                guint          month,
                                gboolean      *differs,
                                GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  gint64 start, end;

  month_bounds (year, month, &start, &end);
  /* Held events of the range, those of them contained in a current segment
   * of it, and every event contained in one: equal only when the held
   * events are exactly the contained ones. */
  if (!(stmt = hl_store_prepare (self,
        "SELECT (SELECT count(*) FROM events e WHERE " IN_RANGE "), "
        "  (SELECT count(*) FROM events e WHERE " IN_RANGE " AND e.archived IN (" 
        "    SELECT rowid FROM archive_segments WHERE subnet = ?1 AND month = ?4 AND state = 1)), "
        "  (SELECT count(*) FROM events WHERE archived IN ("
        "    SELECT rowid FROM archive_segments WHERE subnet = ?1 AND month = ?4 AND state = 1))",
        error)))
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, end);
  sqlite3_bind_int (stmt, 4, (int) (year * 100 + month));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return hl_store_fail (self, "Cannot compare a range with its segments", error);
  *differs = sqlite3_column_int64 (stmt, 0) != sqlite3_column_int64 (stmt, 1) ||
             sqlite3_column_int64 (stmt, 1) != sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

gboolean
hl_store_archive_subnet_create (HlStore       *self,
                                const guint8  *subnet,
                                guint8        *sig,
                                gboolean      *held,
                                GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT sig FROM events WHERE id = ?1 "
                                                   "AND kind = '" HL_KIND_SUBNET_CREATE "' "
                                                   "AND raw IS NOT NULL", error);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  *held = sqlite3_step (stmt) == SQLITE_ROW &&
          sqlite3_column_bytes (stmt, 0) == HL_SIG_LEN;
  if (*held && sig != NULL)
    memcpy (sig, sqlite3_column_blob (stmt, 0), HL_SIG_LEN);
  return TRUE;
}
