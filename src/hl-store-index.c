/* hl-store-index.c: what a batch leaves to its end: the search index and
 * the reply counts of the threads it touched.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-error.h"
#include "hl-store-private.h"

void
hl_fts_entry_free (HlFtsEntry *entry)
{
  g_free (entry->title);
  g_free (entry->body);
  g_free (entry);
}

/* Queues the index changes a post write needs; hl_store_finish_batch()
 * applies them. Text queued for indexing is not in the index yet, so only
 * the first change of a row in a batch has old text to remove. */
void
hl_store_queue_reindex (HlStore    *self,
                        gint64      rowid,
                        gboolean    existed,
                        const char *old_title,
                        const char *old_body,
                        const char *title,
                        const char *body)
{
  if (existed && g_strcmp0 (old_title, title) == 0 && g_strcmp0 (old_body, body) == 0)
    return;
  if (g_hash_table_contains (self->fts_pending, &rowid))
    return;
  if (existed && (old_title != NULL || old_body != NULL))
    {
      HlFtsEntry *stale = g_new0 (HlFtsEntry, 1);

      stale->rowid = rowid;
      stale->title = g_strdup (old_title);
      stale->body = g_strdup (old_body);
      g_ptr_array_add (self->fts_stale, stale);
    }
  g_hash_table_add (self->fts_pending, g_memdup2 (&rowid, sizeof rowid));
}

/* Removes the old text of rewritten posts from the index, in one statement
 * for the same reason as index_pending_text(). */
static gboolean
remove_stale_text (HlStore  *self,
                   GError  **error)
{
  g_autoptr(HlStmt) remove = NULL;
  g_autoptr(HlStmt) clear = NULL;

  if (self->fts_stale->len == 0)
    return TRUE;
  for (guint i = 0; i < self->fts_stale->len; i++)
    {
      HlFtsEntry *entry = g_ptr_array_index (self->fts_stale, i);
      g_autoptr(HlStmt) stage = hl_store_prepare (self, "INSERT INTO temp.fts_stale (rowid, title, "
                                                        "body) VALUES (?1, ?2, ?3)", error);

      if (stage == NULL)
        return FALSE;
      sqlite3_bind_int64 (stage, 1, entry->rowid);
      hl_bind_text (stage, 2, entry->title);
      hl_bind_text (stage, 3, entry->body);
      if (!hl_store_step_done (self, stage, error))
        return FALSE;
    }
  if (!(remove = hl_store_prepare (self, "INSERT INTO posts_fts (posts_fts, rowid, title, body) "
                                         "SELECT 'delete', rowid, title, body FROM temp.fts_stale",
                                   error)) ||
      !hl_store_step_done (self, remove, error) ||
      !(clear = hl_store_prepare (self, "DELETE FROM temp.fts_stale", error)) ||
      !hl_store_step_done (self, clear, error))
    return FALSE;
  g_ptr_array_set_size (self->fts_stale, 0);
  return TRUE;
}

/* Indexes every post the batch wrote in one statement: one FTS5 segment per
 * batch instead of one per post. */
static gboolean
index_pending_text (HlStore  *self,
                    GError  **error)
{
  g_autoptr(HlStmt) index = NULL;
  g_autoptr(HlStmt) clear = NULL;
  GHashTableIter iter;
  gpointer rowid;

  if (g_hash_table_size (self->fts_pending) == 0)
    return TRUE;
  g_hash_table_iter_init (&iter, self->fts_pending);
  while (g_hash_table_iter_next (&iter, &rowid, NULL))
    {
      g_autoptr(HlStmt) add = hl_store_prepare (self, "INSERT INTO temp.fts_pending (rowid) "
                                                      "VALUES (?1)", error);
      if (add == NULL)
        return FALSE;
      sqlite3_bind_int64 (add, 1, *(gint64 *) rowid);
      if (!hl_store_step_done (self, add, error))
        return FALSE;
    }

  if (!(index = hl_store_prepare (self, "INSERT INTO posts_fts (rowid, title, body) "
                                        "SELECT p.rowid, p.title, p.body FROM temp.fts_pending t "
                                        "JOIN posts p ON p.rowid = t.rowid "
                                        "WHERE p.title IS NOT NULL OR p.body IS NOT NULL", error)) ||
      !hl_store_step_done (self, index, error) ||
      !(clear = hl_store_prepare (self, "DELETE FROM temp.fts_pending", error)) ||
      !hl_store_step_done (self, clear, error))
    return FALSE;
  g_hash_table_remove_all (self->fts_pending);
  return TRUE;
}

/* Reply count and last activity of a thread, from its replies: one range
 * of posts_in_thread. */
static gboolean
recount_thread (HlStore       *self,
                const guint8  *thread,
                GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self,
    "UPDATE posts SET "
    "  reply_count = (SELECT count(*) FROM posts r WHERE r.thread = ?1 AND r.kind = 2 "
    "                 AND r.hidden = 0), "
    "  last_activity = max(created_ts, coalesce((SELECT max(r.created_ts) FROM posts r "
    "                 WHERE r.thread = ?1 AND r.kind = 2 "
    "                 AND r.hidden = 0), 0)) "
    "WHERE id = ?1 AND kind = 1", error);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, thread, HL_ID_LEN);
  return hl_store_step_done (self, stmt, error);
}

/* The same, moved on from the stored counts when the batch only added live
 * replies: a big thread's replies are not counted again at every batch. */
static gboolean
grow_thread (HlStore              *self,
             const guint8         *thread,
             const HlThreadChange *change,
             GError              **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self,
    "UPDATE posts SET reply_count = reply_count + ?2, "
    "  last_activity = max(last_activity, ?3) "
    "WHERE id = ?1 AND kind = 1", error);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, thread, HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 2, change->added);
  sqlite3_bind_int64 (stmt, 3, change->latest_ms);
  return hl_store_step_done (self, stmt, error);
}

gboolean
hl_store_finish_batch (HlStore  *self,
                       GError  **error)
{
  GHashTableIter iter;
  gpointer thread, change;

  if (!remove_stale_text (self, error) || !index_pending_text (self, error))
    return FALSE;

  g_hash_table_iter_init (&iter, self->dirty_threads);
  while (g_hash_table_iter_next (&iter, &thread, &change))
    if (((HlThreadChange *) change)->recount ? !recount_thread (self, thread, error)
                                             : !grow_thread (self, thread, change, error))
      return FALSE;
  g_hash_table_remove_all (self->dirty_threads);
  g_hash_table_remove_all (self->thread_subnets);
  return TRUE;
}
