/* hl-store-query.c: reading the materialised forum.
 *
 * Every query here is served by an index (see hl-store-schema.h); none scans a
 * table whose size grows with the forum.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-error.h"
#include "hl-store-private.h"

void
hl_subnet_row_free (HlSubnetRow *row)
{
  if (row == NULL)
    return;
  g_free (row->owner_name);
  g_free (row->name);
  g_free (row->description);
  g_free (row);
}

void
hl_post_row_free (HlPostRow *row)
{
  if (row == NULL)
    return;
  g_free (row->author_name);
  g_free (row->title);
  g_free (row->body);
  g_free (row->snippet);
  g_free (row);
}

void
hl_profile_row_free (HlProfileRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row->bio);
  g_free (row);
}

#define SUBNET_COLUMNS \
  "SELECT s.id, s.owner, pr.name, s.created_ts, s.name, s.description, " \
  "  coalesce (c.live, 0) " \
  "FROM subnets s LEFT JOIN profiles pr ON pr.author = s.owner " \
  "LEFT JOIN subnet_threads c ON c.subnet = s.id "

static HlSubnetRow *
read_subnet (HlStmt *stmt)
{
  HlSubnetRow *row = g_new0 (HlSubnetRow, 1);

  hl_column_id (stmt, 0, row->id);
  hl_column_id (stmt, 1, row->owner);
  row->owner_name = hl_column_dup_text (stmt, 2);
  row->created_ms = sqlite3_column_int64 (stmt, 3);
  row->name = hl_column_dup_text (stmt, 4);
  row->description = hl_column_dup_text (stmt, 5);
  row->thread_count = (guint) sqlite3_column_int64 (stmt, 6);
  return row;
}

#define POST_COLUMNS \
  "SELECT p.id, p.kind, p.subnet, p.thread, p.parent, p.author, pr.name, p.created_ts, " \
  "  p.edited_ts, p.title, p.body, p.hidden, p.reply_count, p.last_activity, " \
  "  EXISTS (SELECT 1 FROM outbox o WHERE o.object = p.id) "

#define POST_FROM "FROM posts p LEFT JOIN profiles pr ON pr.author = p.author "

static HlPostRow *
read_post (HlStmt *stmt)
{
  HlPostRow *row = g_new0 (HlPostRow, 1);

  hl_column_id (stmt, 0, row->id);
  row->kind = sqlite3_column_int (stmt, 1);
  row->has_subnet = hl_column_id (stmt, 2, row->subnet);
  hl_column_id (stmt, 3, row->thread);
  row->has_parent = hl_column_id (stmt, 4, row->parent);
  hl_column_id (stmt, 5, row->author);
  row->author_name = hl_column_dup_text (stmt, 6);
  row->created_ms = sqlite3_column_int64 (stmt, 7);
  row->edited_ms = sqlite3_column_int64 (stmt, 8);
  row->title = hl_column_dup_text (stmt, 9);
  row->body = hl_column_dup_text (stmt, 10);
  row->hidden = sqlite3_column_int (stmt, 11);
  row->reply_count = (guint) sqlite3_column_int64 (stmt, 12);
  row->last_activity_ms = sqlite3_column_int64 (stmt, 13);
  row->pending = sqlite3_column_int (stmt, 14);
  return row;
}

typedef gpointer (*ReadRowFunc) (HlStmt *stmt);

static GPtrArray *
collect_rows (HlStore      *self,
              HlStmt       *stmt,
              ReadRowFunc   read_row,
              GDestroyNotify free_row,
              GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (stmt));
  if (rc != SQLITE_DONE)
    {
      hl_store_fail (self, "Cannot read the forum", error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
was_deleted (HlStore      *self,
             const guint8 *id)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT 1 FROM events WHERE id = ?1 "
                                                   "AND raw IS NULL", NULL);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* The first row of @stmt, which looks up @id; a clear error when none. */
static gpointer
first_row (HlStore      *self,
           HlStmt       *stmt,
           const guint8 *id,
           ReadRowFunc   read_row,
           const char   *what,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return read_row (stmt);
  if (rc != SQLITE_DONE)
    hl_store_fail (self, "Cannot read the forum", error);
  else if (id != NULL && was_deleted (self, id))
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND, "That %s was deleted", what);
  else
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND, "No such %s", what);
  return NULL;
}

GPtrArray *
hl_store_list_subnets (HlStore  *self,
                       GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, SUBNET_COLUMNS
                                                   "ORDER BY s.name COLLATE NOCASE, s.id", error);

  if (stmt == NULL)
    return NULL;
  return collect_rows (self, stmt, (ReadRowFunc) read_subnet,
                       (GDestroyNotify) hl_subnet_row_free, error);
}

HlSubnetRow *
hl_store_get_subnet (HlStore      *self,
                     const guint8 *id,
                     GError      **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, SUBNET_COLUMNS "WHERE s.id = ?1", error);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  return first_row (self, stmt, id, (ReadRowFunc) read_subnet, "subnet", error);
}

#define LIVE_THREADS "coalesce ((SELECT live FROM subnet_threads WHERE subnet = ?1), 0)"

/* The subnet's live thread count (subnet_threads), 0 when it has none. */
static gint64
count_live_threads (HlStore      *self,
                    const guint8 *subnet)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT live FROM subnet_threads "
                                                   "WHERE subnet = ?1", NULL);

  if (stmt == NULL)
    return 0;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

GPtrArray *
hl_store_list_threads (HlStore      *self,
                       const guint8 *subnet,
                       guint         offset,
                       guint         limit,
                       GError      **error)
{
  /* The subquery repeats the partial index's condition so that the planner
   * walks threads_by_activity in order and stops after @limit. It skips the
   * @offset rows in that index alone: with the join in the same SELECT, every
   * row skipped would be read from posts and looked up in profiles too, which
   * made a page near the end of 100,000 threads cost five times as much. */
  static const char forward[] = POST_COLUMNS POST_FROM
    "WHERE p.rowid IN ("
    "  SELECT rowid FROM posts "
    "  WHERE subnet = ?1 AND kind = 1 AND hidden = 0 "
    "  ORDER BY last_activity DESC, id "
    "  LIMIT ?2 OFFSET ?3) "
    "ORDER BY p.last_activity DESC, p.id";
  /* Past the middle, the index is walked from its other end, so that a page
   * costs its distance from the nearer end: the last page of 100,000 threads
   * skips nothing (it skipped 99,900 entries, 15–35 ms, before). The count
   * is read in the same statement, so the page matches the one the forward
   * query would give at that moment. */
  static const char backward[] = POST_COLUMNS POST_FROM
    "WHERE p.rowid IN ("
    "  SELECT rowid FROM posts "
    "  WHERE subnet = ?1 AND kind = 1 AND hidden = 0 "
    "  ORDER BY last_activity ASC, id DESC "
    "  LIMIT max (0, min (?2, " LIVE_THREADS " - ?3)) "
    "  OFFSET max (0, " LIVE_THREADS " - ?3 - ?2)) "
    "ORDER BY p.last_activity DESC, p.id";
  gint64 live = offset > 0 ? count_live_threads (self, subnet) : 0;
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, (gint64) offset > live / 2 ? backward
                                                                               : forward, error);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, offset);
  return collect_rows (self, stmt, (ReadRowFunc) read_post,
                       (GDestroyNotify) hl_post_row_free, error);
}

GPtrArray *
hl_store_list_threads_next (HlStore      *self,
                            const guint8 *subnet,
                            gint64        last_activity,
                            const guint8 *id,
                            gboolean      before,
                            guint         limit,
                            GError      **error)
{
  /* Keyset paging: the range on last_activity starts the walk of
   * threads_by_activity at the thread given, so a page costs the same at
   * any depth; the second condition skips that thread and those before it
   * with the same time. */
  static const char after_sql[] = POST_COLUMNS POST_FROM
    "WHERE p.rowid IN ("
    "  SELECT rowid FROM posts "
    "  WHERE subnet = ?1 AND kind = 1 AND hidden = 0 "
    "    AND last_activity <= ?2 AND (last_activity < ?2 OR id > ?3) "
    "  ORDER BY last_activity DESC, id "
    "  LIMIT ?4) "
    "ORDER BY p.last_activity DESC, p.id";
  static const char before_sql[] = POST_COLUMNS POST_FROM
    "WHERE p.rowid IN ("
    "  SELECT rowid FROM posts "
    "  WHERE subnet = ?1 AND kind = 1 AND hidden = 0 "
    "    AND last_activity >= ?2 AND (last_activity > ?2 OR id < ?3) "
    "  ORDER BY last_activity ASC, id DESC "
    "  LIMIT ?4) "
    "ORDER BY p.last_activity DESC, p.id";
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, before ? before_sql : after_sql, error);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 2, last_activity);
  hl_bind_blob (stmt, 3, id, HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 4, limit);
  return collect_rows (self, stmt, (ReadRowFunc) read_post,
                       (GDestroyNotify) hl_post_row_free, error);
}

HlPostRow *
hl_store_get_post (HlStore      *self,
                   const guint8 *id,
                   GError      **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, POST_COLUMNS POST_FROM "WHERE p.id = ?1", error);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  return first_row (self, stmt, id, (ReadRowFunc) read_post, "post", error);
}

GPtrArray *
hl_store_list_replies (HlStore      *self,
                       const guint8 *thread,
                       GError      **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, POST_COLUMNS POST_FROM
                                             "WHERE p.thread = ?1 AND p.kind = 2 "
                                             "ORDER BY p.created_ts, p.created_ctr, p.id", error);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, thread, HL_ID_LEN);
  return collect_rows (self, stmt, (ReadRowFunc) read_post,
                       (GDestroyNotify) hl_post_row_free, error);
}

/* Turns what a person typed into an FTS5 query that cannot be a syntax error:
 * every word becomes a quoted string, all of which must match; the last one
 * also matches as a prefix, so results come while typing. */
static char *
fts_query_from_text (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", -1);
  g_autoptr(GString) query = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (n++ > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append_c (query, '"');
    }
  if (n == 0)
    return NULL;
  g_string_append_c (query, '*');
  return g_string_free (g_steal_pointer (&query), FALSE);
}

static gpointer
read_search_hit (HlStmt *stmt)
{
  HlPostRow *row = read_post (stmt);

  row->snippet = hl_column_dup_text (stmt, 15);
  return row;
}

GPtrArray *
hl_store_search (HlStore     *self,
                 const char  *text,
                 guint        limit,
                 GError     **error)
{
  g_autofree char *query = fts_query_from_text (text);
  g_autoptr(HlStmt) stmt = NULL;

  if (query == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) hl_post_row_free);
  if (!(stmt = hl_store_prepare (self, POST_COLUMNS ", snippet(posts_fts, -1, char(2), char(3), '…', 12) "
                                       "FROM posts_fts JOIN posts p ON p.rowid = posts_fts.rowid "
                                       "LEFT JOIN profiles pr ON pr.author = p.author "
                                       "WHERE posts_fts MATCH ?1 AND p.hidden = 0 "
                                       "AND p.subnet IN (SELECT id FROM subnets) "
                                       "ORDER BY rank LIMIT ?2",
                                 error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);
  return collect_rows (self, stmt, read_search_hit, (GDestroyNotify) hl_post_row_free, error);
}

static gpointer
read_profile (HlStmt *stmt)
{
  HlProfileRow *row = g_new0 (HlProfileRow, 1);

  hl_column_id (stmt, 0, row->author);
  row->name = hl_column_dup_text (stmt, 1);
  row->bio = hl_column_dup_text (stmt, 2);
  row->updated_ms = sqlite3_column_int64 (stmt, 3);
  return row;
}

HlProfileRow *
hl_store_get_profile (HlStore      *self,
                      const guint8 *author,
                      GError      **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT author, name, bio, ts FROM profiles "
                                                   "WHERE author = ?1", error);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, author, HL_KEY_LEN);
  return first_row (self, stmt, NULL, read_profile, "profile", error);
}

GPtrArray *
hl_store_list_profiles (HlStore  *self,
                        GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT author, name, bio, ts FROM profiles "
                                                   "WHERE name IS NOT NULL AND name != '' "
                                                   "ORDER BY name, author", error);

  if (stmt == NULL)
    return NULL;
  return collect_rows (self, stmt, read_profile, (GDestroyNotify) hl_profile_row_free, error);
}

GPtrArray *
hl_store_list_moderators (HlStore      *self,
                          const guint8 *subnet,
                          GError      **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT m.key, pr.name, pr.bio, pr.ts "
                                                   "FROM moderators m LEFT JOIN profiles pr "
                                                   "ON pr.author = m.key WHERE m.subnet = ?1 "
                                                   "ORDER BY m.key", error);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  return collect_rows (self, stmt, read_profile, (GDestroyNotify) hl_profile_row_free, error);
}

char *
hl_snippet_format (const char *snippet,
                   const char *start,
                   const char *end,
                   char     *(*escape) (const char *text,
                                        gssize      length))
{
  GString *out = g_string_new (NULL);
  gboolean in_match = FALSE;
  const char *p = snippet;

  while (*p != '\0')
    {
      gsize len = strcspn (p, HL_SNIPPET_MATCH_START HL_SNIPPET_MATCH_END);

      if (len > 0 && escape != NULL)
        {
          g_autofree char *piece = escape (p, len);

          g_string_append (out, piece);
        }
      else
        g_string_append_len (out, p, len);
      p += len;
      if (*p == '\0')
        break;
      /* Markers toggle; an unbalanced one cannot unbalance the output. */
      if ((*p == HL_SNIPPET_MATCH_START[0]) != in_match)
        {
          g_string_append (out, in_match ? end : start);
          in_match = !in_match;
        }
      p++;
    }
  if (in_match)
    g_string_append (out, end);
  return g_string_free (out, FALSE);
}
