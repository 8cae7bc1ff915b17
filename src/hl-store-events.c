/* hl-store-events.c: reading the event log: one event, ids by prefix, all
 * of it in order.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-error.h"
#include "hl-store-private.h"

gboolean
hl_store_has_event (HlStore      *self,
                    const guint8 *id)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT 1 FROM events WHERE id = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static HlEvent *
decode_row (HlStmt  *stmt,
            int      raw_col,
            GError **error)
{
  const guint8 *raw = sqlite3_column_blob (stmt, raw_col);
  const guint8 *sig = sqlite3_column_blob (stmt, raw_col + 1);

  if (raw == NULL || sig == NULL || sqlite3_column_bytes (stmt, raw_col + 1) != HL_SIG_LEN)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "The event was erased by a delete");
      return NULL;
    }
  return hl_event_decode (raw, sqlite3_column_bytes (stmt, raw_col), sig, error);
}

HlEvent *
hl_store_get_event (HlStore      *self,
                    const guint8 *id,
                    GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT raw, sig FROM events WHERE id = ?1", error)))
    return NULL;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND, "No such event");
      return NULL;
    }
  return decode_row (stmt, 0, error);
}

/* Why @prefix cannot be the start of an id, or NULL when it can. @what is
 * "known id" or "known author key". */
static char *
check_prefix (const char *prefix,
              const char *what)
{
  const char *noun = g_str_has_prefix (what, "known ") ? what + strlen ("known ") : what;
  gsize n = prefix != NULL ? strlen (prefix) : 0;

  if (n == 0)
    return g_strdup_printf ("An empty %s: give at least 4 of its hex digits", noun);
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isxdigit (prefix[i]))
      return g_strdup_printf ("“%s” is not an %s: an %s is written in hex digits (0-9, a-f)",
                              prefix, noun, noun);
  if (n < 4)
    return g_strdup_printf ("“%s” is too short: give at least 4 hex digits of the %s", prefix,
                            noun);
  if (n > HL_ID_HEX_LEN)
    return g_strdup_printf ("“%.16s…” is longer than an %s (%d hex digits)", prefix, noun,
                            HL_ID_HEX_LEN);
  return NULL;
}

#define AMBIGUOUS_SHOWN 3

/* Resolves a prefix with @sql, which selects every id between ?1 and ?2.
 * An ambiguous prefix names how many ids it matches and the first few. */
static gboolean
resolve_prefix_in (HlStore     *self,
                   const char  *sql,
                   const char  *what,
                   const char  *prefix,
                   guint8      *out,
                   GError     **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  g_autofree char *problem = check_prefix (prefix, what);
  g_autoptr(GString) shown = NULL;
  char lo_hex[HL_ID_HEX_LEN + 1], hi_hex[HL_ID_HEX_LEN + 1];
  guint8 lo[HL_ID_LEN], hi[HL_ID_LEN];
  gsize n = prefix != NULL ? strlen (prefix) : 0;
  guint found = 0;
  int rc;

  if (problem != NULL)
    {
      g_set_error_literal (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND, problem);
      return FALSE;
    }
  memset (lo_hex, '0', HL_ID_HEX_LEN);
  memset (hi_hex, 'f', HL_ID_HEX_LEN);
  memcpy (lo_hex, prefix, n);
  memcpy (hi_hex, prefix, n);
  lo_hex[HL_ID_HEX_LEN] = hi_hex[HL_ID_HEX_LEN] = '\0';
  hl_hex_decode (lo_hex, lo, HL_ID_LEN);
  hl_hex_decode (hi_hex, hi, HL_ID_LEN);

  if (!(stmt = hl_store_prepare (self, sql, error)))
    return FALSE;
  hl_bind_blob (stmt, 1, lo, HL_ID_LEN);
  hl_bind_blob (stmt, 2, hi, HL_ID_LEN);
  shown = g_string_new (NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 id[HL_ID_LEN];
      char hex[HL_ID_HEX_LEN + 1];

      hl_column_id (stmt, 0, id);
      if (found == 0)
        memcpy (out, id, HL_ID_LEN);
      if (found < AMBIGUOUS_SHOWN)
        {
          hl_hex_encode (id, HL_ID_LEN, hex);
          g_string_append_printf (shown, "%s%.12s…", found > 0 ? ", " : "", hex);
        }
      found++;
    }
  if (rc != SQLITE_DONE)
    return hl_store_fail (self, "Cannot look the id up", error);

  if (found == 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "No %s starts with “%s”", what, prefix);
      return FALSE;
    }
  if (found > 1)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_AMBIGUOUS,
                   "“%s” is ambiguous: it matches %u %ss (%s%s); give more digits", prefix,
                   found, what, shown->str, found > AMBIGUOUS_SHOWN ? ", …" : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_store_resolve_prefix (HlStore     *self,
                         const char  *prefix,
                         guint8      *id,
                         GError     **error)
{
  return resolve_prefix_in (self, "SELECT id FROM events WHERE id BETWEEN ?1 AND ?2",
                            "known id", prefix, id, error);
}

gboolean
hl_store_resolve_author (HlStore     *self,
                         const char  *prefix,
                         guint8      *key,
                         GError     **error)
{
  guint8 full[HL_KEY_LEN];

  /* A whole key needs no lookup: it may name someone we have not heard from. */
  if (prefix != NULL && strlen (prefix) == HL_ID_HEX_LEN && hl_hex_decode (prefix, full, HL_KEY_LEN))
    {
      memcpy (key, full, HL_KEY_LEN);
      return TRUE;
    }
  return resolve_prefix_in (self, "SELECT DISTINCT author FROM events "
                                  "WHERE author BETWEEN ?1 AND ?2",
                            "known author key", prefix, key, error);
}

gboolean
hl_store_foreach_event (HlStore      *self,
                        gint64        since_ms,
                        HlEventFunc   func,
                        gpointer      user_data,
                        GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  /* Not from the cache: @func may query the store while we iterate. What a
   * member device opened of a private subnet is not exported: its
   * envelopes are (hl-store-privnet.c). */
  if (sqlite3_prepare_v2 (self->db, "SELECT raw, sig FROM events WHERE ts >= ?1 "
                          "AND raw IS NOT NULL AND sealed IS NULL ORDER BY ts, id", -1, &stmt,
                          NULL) != SQLITE_OK)
    return hl_store_fail (self, "Cannot list events", error);
  sqlite3_bind_int64 (stmt, 1, since_ms);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(HlEvent) event = decode_row (stmt, 0, error);

      if (event == NULL)
        {
          ok = FALSE;
          break;
        }
      if (!func (event, user_data))
        break;
    }
  if (ok && rc != SQLITE_ROW && rc != SQLITE_DONE)
    ok = hl_store_fail (self, "Cannot list events", error);
  sqlite3_finalize (stmt);
  return ok;
}

gint64
hl_store_count_events (HlStore *self)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT count(*) FROM events", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}
