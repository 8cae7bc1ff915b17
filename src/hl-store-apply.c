/* hl-store-apply.c: the merge rules (docs/protocol.md, "Merge rules").
 *
 * Every materialised row is recomputed from the stored events that may write
 * it, never patched from the one event that just arrived. That is what makes
 * the result independent of arrival order: an event that comes early (an edit
 * before its post) simply waits in the events table until the recompute that
 * the later arrival triggers reads it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-error.h"
#include "hl-event-private.h"
#include "hl-store-private.h"
#include "hl-store-recheck.h"

/* The create event of an object, as stored. */
typedef struct
{
  char        kind[64];
  guint8      author[HL_KEY_LEN];
  HlTimestamp ts;
  gboolean    has_ref;
  guint8      ref[HL_ID_LEN];
  const HlEvent *event;       /* NULL once a delete erased it */
  HlEvent    *loaded;         /* owned, when read back from the store */
} Origin;

static void
origin_clear (Origin *origin)
{
  g_clear_pointer (&origin->loaded, hl_event_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Origin, origin_clear)

static gboolean recompute_post (HlStore       *self,
                                const guint8  *id,
                                const HlEvent *fresh,
                                GError       **error);

static gboolean
insert_event (HlStore       *self,
              const HlEvent *event,
              gboolean      *duplicate,
              GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  gsize raw_len;
  const guint8 *raw = g_bytes_get_data (event->canonical, &raw_len);

  if (!(stmt = hl_store_prepare (self, "INSERT INTO events (id, kind, author, ts, ctr, ref, raw, sig, sealed) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                                       "ON CONFLICT (id) DO NOTHING", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, event->id, HL_ID_LEN);
  sqlite3_bind_text (stmt, 2, event->kind, -1, SQLITE_STATIC);
  hl_bind_blob (stmt, 3, event->author, HL_KEY_LEN);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) event->ts.ms);
  sqlite3_bind_int64 (stmt, 5, event->ts.ctr);
  hl_bind_blob (stmt, 6, event->has_ref ? event->ref : NULL, HL_ID_LEN);
  sqlite3_bind_blob (stmt, 7, raw, (int) raw_len, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 8, event->sig, HL_SIG_LEN, SQLITE_STATIC);
  /* An inner event opened from a private.box is stored sealed at once. */
  hl_bind_blob (stmt, 9, self->sealing, HL_ID_LEN);
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  *duplicate = sqlite3_changes (self->db) == 0;
  self->added_events |= !*duplicate;
  return TRUE;
}

static gboolean
load_origin (HlStore      *self,
             const guint8 *id,
             Origin       *origin,
             gboolean     *found,
             GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  *found = FALSE;
  if (!(stmt = hl_store_prepare (self, "SELECT kind, author, ts, ctr, ref, raw, sig FROM events "
                                       "WHERE id = ?1", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE;

  g_strlcpy (origin->kind, (const char *) sqlite3_column_text (stmt, 0), sizeof origin->kind);
  hl_column_id (stmt, 1, origin->author);
  origin->ts.ms = (guint64) sqlite3_column_int64 (stmt, 2);
  origin->ts.ctr = (guint32) sqlite3_column_int64 (stmt, 3);
  origin->has_ref = hl_column_id (stmt, 4, origin->ref);
  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    {
      origin->loaded = hl_event_decode (sqlite3_column_blob (stmt, 5), sqlite3_column_bytes (stmt, 5),
                                        sqlite3_column_blob (stmt, 6), error);
      if (origin->loaded == NULL)
        return FALSE;
      origin->event = origin->loaded;
    }
  *found = TRUE;
  return TRUE;
}

/* The origin of an event we hold in memory, without reading it back. */
static void
origin_from_event (Origin        *origin,
                   const HlEvent *event)
{
  g_strlcpy (origin->kind, event->kind, sizeof origin->kind);
  memcpy (origin->author, event->author, HL_KEY_LEN);
  origin->ts = event->ts;
  origin->has_ref = event->has_ref;
  memcpy (origin->ref, event->ref, HL_ID_LEN);
  origin->event = event;
}

/* Whether any event names @id: a post that just arrived usually has none
 * yet, and this one lookup then spares the searches for edits, deletes and
 * hides. */
static gboolean
is_referenced (HlStore      *self,
               const guint8 *id)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT 1 FROM events WHERE ref = ?1 LIMIT 1",
                                             NULL);

  if (stmt == NULL)
    return TRUE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
author_has_event (HlStore      *self,
                  const guint8 *ref,
                  const char   *kind,
                  const guint8 *author)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT 1 FROM events WHERE ref = ?1 AND "
                                                   "kind = ?2 AND author = ?3 LIMIT 1", NULL);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, ref, HL_ID_LEN);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  hl_bind_blob (stmt, 3, author, HL_KEY_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* Erases the text of a deleted object: its create event and @text_kind events
 * (edits, updates) that refer to it keep their id and timestamp, so they are
 * still known, but lose their bytes. */
static gboolean
erase_text (HlStore      *self,
            const guint8 *id,
            const char   *text_kind,
            GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "UPDATE events SET raw = NULL, sig = NULL "
                                       "WHERE raw IS NOT NULL AND "
                                       "(id = ?1 OR (ref = ?1 AND kind = ?2))", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  sqlite3_bind_text (stmt, 2, text_kind, -1, SQLITE_STATIC);
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0 || self->erased_text)
    return TRUE;
  /* Recorded with the erasure itself, so that a process killed before it
   * flushes the search index leaves the job to the next one to open it. */
  self->erased_text = TRUE;
  return hl_store_exec (self, "INSERT OR REPLACE INTO meta (key, value) "
                              "VALUES ('flush_deletions', 1)", error);
}

/* A reply's parent: 64 lowercase hex digits, as validation requires. */
static gboolean
read_parent (JsonObject *fields,
             guint8     *parent)
{
  const char *hex = fields != NULL
                    ? json_object_get_string_member_with_default (fields, "parent", NULL)
                    : NULL;

  return hex != NULL && hl_event_hex_decode (hex, strlen (hex), parent, HL_ID_LEN, TRUE);
}

static void
take_string_member (JsonObject  *body,
                    const char  *name,
                    char       **field)
{
  if (body != NULL && json_object_has_member (body, name))
    {
      g_free (*field);
      *field = g_strdup (json_object_get_string_member (body, name));
    }
}

/* Applies the author's @kind events to @title and @body in (ts, ctr, id)
 * order: the last writer of each field wins. The create event is a writer
 * too, so an edit ordered before it loses. Returns the last edit's time. */
static gboolean
replay_author_edits (HlStore       *self,
                     const guint8  *id,
                     const char    *kind,
                     const Origin  *origin,
                     const char    *title_member,
                     const char    *body_member,
                     char         **title,
                     char         **body,
                     gint64        *edited_ms,
                     GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT raw, sig, ts FROM events WHERE ref = ?1 AND kind = ?2 "
                                       "AND author = ?3 AND raw IS NOT NULL "
                                       "AND (ts, ctr, id) > (?4, ?5, ?1) "
                                       "ORDER BY ts, ctr, id", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  hl_bind_blob (stmt, 3, origin->author, HL_KEY_LEN);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) origin->ts.ms);
  sqlite3_bind_int64 (stmt, 5, origin->ts.ctr);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(HlEvent) edit = hl_event_decode (sqlite3_column_blob (stmt, 0),
                                                 sqlite3_column_bytes (stmt, 0),
                                                 sqlite3_column_blob (stmt, 1), error);
      g_autoptr(JsonObject) fields = NULL;

      if (edit == NULL)
        return FALSE;
      fields = hl_event_parse_body (edit);
      if (title != NULL)
        take_string_member (fields, title_member, title);
      take_string_member (fields, body_member, body);
      *edited_ms = sqlite3_column_int64 (stmt, 2);
    }
  return TRUE;
}

static gboolean
row_exists (HlStore      *self,
            const char   *sql,
            const guint8 *id)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, sql, NULL);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* The threads' subnets this transaction found or wrote: replies come in
 * runs after their thread, and each would look the same row up again.
 * A thread's subnet never changes; the entry goes when its row does. */
static void
remember_thread_subnet (HlStore      *self,
                        const guint8 *thread,
                        const guint8 *subnet)
{
  g_hash_table_insert (self->thread_subnets, g_memdup2 (thread, HL_ID_LEN),
                       g_memdup2 (subnet, HL_ID_LEN));
}

static gboolean
thread_subnet (HlStore      *self,
               const guint8 *thread,
               guint8       *subnet)
{
  const guint8 *known = g_hash_table_lookup (self->thread_subnets, thread);
  g_autoptr(HlStmt) stmt = NULL;

  if (known != NULL)
    {
      memcpy (subnet, known, HL_ID_LEN);
      return TRUE;
    }
  if (!(stmt = hl_store_prepare (self, "SELECT subnet FROM posts WHERE id = ?1 AND kind = 1",
                                 NULL)))
    return FALSE;
  hl_bind_blob (stmt, 1, thread, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW || !hl_column_id (stmt, 0, subnet))
    return FALSE;
  remember_thread_subnet (self, thread, subnet);
  return TRUE;
}

/* Collects the ids a query returns before anything recursive runs: the cached
 * statement must not be stepped again while we iterate it. */
static GArray *
collect_ids (HlStore      *self,
             const char   *sql,
             const guint8 *key,
             GError      **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, sql, error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (HlId));
  HlId id;

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, key, HL_ID_LEN);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (hl_column_id (stmt, 0, id.bytes))
      g_array_append_val (ids, id);
  return g_steal_pointer (&ids);
}

static gboolean
recompute_posts (HlStore      *self,
                 const char   *sql,
                 const guint8 *key,
                 GError      **error)
{
  g_autoptr(GArray) ids = collect_ids (self, sql, key, error);

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!recompute_post (self, g_array_index (ids, HlId, i).bytes, NULL, error))
      return FALSE;
  return TRUE;
}

static HlThreadChange *
thread_change (HlStore      *self,
               const guint8 *thread)
{
  HlThreadChange *change = g_hash_table_lookup (self->dirty_threads, thread);

  if (change == NULL)
    {
      change = g_new0 (HlThreadChange, 1);
      g_hash_table_insert (self->dirty_threads, g_memdup2 (thread, HL_ID_LEN), change);
    }
  return change;
}

/* The thread's counts are recounted at the end of the batch. */
static void
mark_thread_dirty (HlStore      *self,
                   const guint8 *thread)
{
  thread_change (self, thread)->recount = TRUE;
}

/* A live reply was inserted: the counts move on by one, without a recount
 * unless something else changed the thread in the same batch. */
static void
mark_thread_grown (HlStore      *self,
                   const guint8 *thread,
                   gint64        created_ms)
{
  HlThreadChange *change = thread_change (self, thread);

  change->added++;
  change->latest_ms = MAX (change->latest_ms, created_ms);
}

typedef struct
{
  const guint8 *id;
  gboolean      is_thread;
  const guint8 *subnet;
  const guint8 *thread;
  const guint8 *parent;
  const Origin *origin;
  gint64        edited_ms;
  const char   *title;
  const char   *body;
  gboolean      deleted;
  gboolean      hidden;
} PostState;

/* The row as it stands before a recompute: what the index holds for it. */
typedef struct
{
  gboolean  exists;
  gint64    rowid;
  char     *title;
  char     *body;
  gboolean  live;     /* neither deleted nor hidden */
} OldPost;

static void
old_post_clear (OldPost *old)
{
  g_clear_pointer (&old->title, g_free);
  g_clear_pointer (&old->body, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OldPost, old_post_clear)

static void
read_old_post (HlStore      *self,
               const guint8 *id,
               OldPost      *old)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT rowid, title, body, "
                                                   "NOT hidden FROM posts "
                                                   "WHERE id = ?1", NULL);

  if (stmt == NULL)
    return;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return;
  old->exists = TRUE;
  old->rowid = sqlite3_column_int64 (stmt, 0);
  old->title = hl_column_dup_text (stmt, 1);
  old->body = hl_column_dup_text (stmt, 2);
  old->live = sqlite3_column_int (stmt, 3);
}

/* Keeps subnet_threads in step when a thread appears, dies or is hidden. */
static gboolean
count_live_thread (HlStore          *self,
                   const PostState  *p,
                   const OldPost    *old,
                   GError          **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  gboolean live = !p->deleted && !p->hidden;
  int delta = (live ? 1 : 0) - (old->exists && old->live ? 1 : 0);

  if (!p->is_thread || delta == 0)
    return TRUE;
  if (!(stmt = hl_store_prepare (self, "INSERT INTO subnet_threads (subnet, live) VALUES (?1, ?2) "
                                       "ON CONFLICT (subnet) DO UPDATE SET live = live + ?2",
                                 error)))
    return FALSE;
  hl_bind_blob (stmt, 1, p->subnet, HL_ID_LEN);
  sqlite3_bind_int (stmt, 2, delta);
  return hl_store_step_done (self, stmt, error);
}

static gboolean
drop_post (HlStore          *self,
           const PostState  *p,
           const OldPost    *old,
           GError          **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  PostState gone = *p;

  if (!old->exists)
    return TRUE;
  gone.title = gone.body = NULL;
  gone.deleted = TRUE;
  if (p->is_thread)
    g_hash_table_remove (self->thread_subnets, p->id);
  hl_store_queue_reindex (self, old->rowid, TRUE, old->title, old->body, NULL, NULL);
  if (!count_live_thread (self, &gone, old, error) ||
      !(stmt = hl_store_prepare (self, "DELETE FROM posts WHERE id = ?1", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, p->id, HL_ID_LEN);
  return hl_store_step_done (self, stmt, error);
}

static gboolean
write_post (HlStore          *self,
            const PostState  *p,
            const OldPost    *old,
            GError          **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self,
        "INSERT INTO posts (id, kind, subnet, thread, parent, author, created_ts, created_ctr, "
        "  edited_ts, title, body, hidden, last_activity) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?7) "
        "ON CONFLICT (id) DO UPDATE SET subnet = excluded.subnet, parent = excluded.parent, "
        "  edited_ts = excluded.edited_ts, title = excluded.title, body = excluded.body, "
        "  hidden = excluded.hidden "
        "WHERE posts.subnet IS NOT excluded.subnet OR posts.parent IS NOT excluded.parent "
        "  OR posts.edited_ts IS NOT excluded.edited_ts OR posts.title IS NOT excluded.title "
        "  OR posts.body IS NOT excluded.body "
        "  OR posts.hidden IS NOT excluded.hidden", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, p->id, HL_ID_LEN);
  sqlite3_bind_int (stmt, 2, p->is_thread ? HL_POST_THREAD : HL_POST_REPLY);
  hl_bind_blob (stmt, 3, p->subnet, HL_ID_LEN);
  hl_bind_blob (stmt, 4, p->thread, HL_ID_LEN);
  hl_bind_blob (stmt, 5, p->parent, HL_ID_LEN);
  hl_bind_blob (stmt, 6, p->origin->author, HL_KEY_LEN);
  sqlite3_bind_int64 (stmt, 7, (sqlite3_int64) p->origin->ts.ms);
  sqlite3_bind_int64 (stmt, 8, p->origin->ts.ctr);
  sqlite3_bind_int64 (stmt, 9, p->edited_ms);
  hl_bind_text (stmt, 10, p->title);
  hl_bind_text (stmt, 11, p->body);
  sqlite3_bind_int (stmt, 12, p->hidden);
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  if (p->is_thread && p->subnet != NULL)
    remember_thread_subnet (self, p->id, p->subnet);
  hl_store_queue_reindex (self, old->exists ? old->rowid : sqlite3_last_insert_rowid (self->db),
                          old->exists, old->title, old->body, p->title, p->body);
  return count_live_thread (self, p, old, error);
}

/* A post whose create event is not held (never arrived, removed, or erased
 * without a delete) is absent: its row, if any, goes. */
static gboolean
drop_absent_post (HlStore      *self,
                  const guint8 *id,
                  GError      **error)
{
  g_auto(OldPost) old = { 0 };
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT kind, subnet, thread FROM posts "
                                                   "WHERE id = ?1", error);
  guint8 subnet[HL_ID_LEN], thread[HL_ID_LEN];
  PostState p = { 0 };

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE;
  p.id = id;
  p.is_thread = sqlite3_column_int (stmt, 0) == HL_POST_THREAD;
  if (hl_column_id (stmt, 1, subnet))
    p.subnet = subnet;
  hl_column_id (stmt, 2, thread);
  p.thread = thread;
  g_clear_pointer (&stmt, hl_stmt_release);

  read_old_post (self, id, &old);
  if (!drop_post (self, &p, &old, error))
    return FALSE;
  mark_thread_dirty (self, p.thread);
  if (p.is_thread)
    return recompute_posts (self, "SELECT id FROM posts WHERE thread = ?1 AND kind = 2", id, error);
  return TRUE;
}

/* Recomputes one thread or reply. @fresh is its create event when it has
 * just arrived, which spares reading it back. */
static gboolean
recompute_post (HlStore       *self,
                const guint8  *id,
                const HlEvent *fresh,
                GError       **error)
{
  g_auto(Origin) origin = { { 0 } };
  g_auto(OldPost) old = { 0 };
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  PostState p = { 0 };
  guint8 subnet[HL_ID_LEN], parent[HL_ID_LEN];
  gboolean found = TRUE, changed;

  if (fresh != NULL)
    origin_from_event (&origin, fresh);
  else if (!load_origin (self, id, &origin, &found, error))
    return FALSE;
  if (!found)
    return drop_absent_post (self, id, error);
  if (!origin.has_ref)
    return TRUE;
  p.is_thread = strcmp (origin.kind, HL_KIND_THREAD_CREATE) == 0;
  if (!p.is_thread && strcmp (origin.kind, HL_KIND_REPLY_CREATE) != 0)
    return TRUE;

  p.id = id;
  p.origin = &origin;
  p.thread = p.is_thread ? id : origin.ref;
  if (p.is_thread)
    p.subnet = origin.ref;
  else if (thread_subnet (self, origin.ref, subnet))
    p.subnet = subnet;
  changed = is_referenced (self, id);
  p.deleted = changed && author_has_event (self, id, HL_KIND_DELETE, origin.author);

  /* Erased without a delete: removed under older rules, so absent. */
  if (!p.deleted && origin.event == NULL)
    return drop_absent_post (self, id, error);
  if (p.deleted)
    {
      if (fresh == NULL)
        read_old_post (self, id, &old);
      if (!erase_text (self, id, HL_KIND_EDIT, error) || !drop_post (self, &p, &old, error))
        return FALSE;
      mark_thread_dirty (self, p.thread);
      /* Its replies no longer have a subnet to belong to. */
      if (p.is_thread && old.exists)
        return recompute_posts (self, "SELECT id FROM posts WHERE thread = ?1 AND kind = 2", id,
                                error);
      return TRUE;
    }
  if (origin.event != NULL)
    {
      fields = hl_event_parse_body (origin.event);
      if (p.is_thread)
        take_string_member (fields, "title", &title);
      take_string_member (fields, "body", &body);
      /* The parent as written (docs/protocol.md, "Parents"): readers decide
       * whether it names a reply of the same thread. */
      if (!p.is_thread && read_parent (fields, parent))
        p.parent = parent;
      if (changed &&
          (!replay_author_edits (self, id, HL_KIND_EDIT, &origin, "title", "body",
                                 p.is_thread ? &title : NULL, &body, &p.edited_ms, error) ||
           !hl_store_compute_hidden (self, id, p.subnet, &p.hidden, error)))
        return FALSE;
    }
  p.title = title;
  p.body = body;

  /* A post that just arrived has no row yet. */
  if (fresh == NULL)
    read_old_post (self, id, &old);
  if (!write_post (self, &p, &old, error))
    return FALSE;
  /* A reply that just arrived has no row before this one (its event was
   * new), so a live one adds exactly itself to its thread's counts. */
  if (fresh != NULL && !p.is_thread && !p.hidden)
    mark_thread_grown (self, p.thread, (gint64) origin.ts.ms);
  else
    mark_thread_dirty (self, p.thread);

  /* Replies that came before their thread learn their subnet now. */
  if (p.is_thread && !old.exists)
    return recompute_posts (self, "SELECT id FROM posts WHERE thread = ?1 AND kind = 2", id, error);
  return TRUE;
}

static gboolean
write_subnet (HlStore       *self,
              const guint8  *id,
              const Origin  *origin,
              const char    *name,
              const char    *description,
              GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self,
        "INSERT INTO subnets (id, owner, created_ts, name, description) "
        "VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
        "  description = excluded.description", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  hl_bind_blob (stmt, 2, origin->author, HL_KEY_LEN);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) origin->ts.ms);
  hl_bind_text (stmt, 4, name);
  hl_bind_text (stmt, 5, description);
  return hl_store_step_done (self, stmt, error);
}

static gboolean
recompute_posts_with_hides (HlStore      *self,
                            const guint8 *subnet,
                            GError      **error)
{
  return recompute_posts (self, "SELECT DISTINCT p.id FROM posts p JOIN events e "
                                "ON e.ref = p.id AND e.kind = '" HL_KIND_HIDE "' "
                                "WHERE p.subnet = ?1", subnet, error);
}

/* A deleted subnet leaves the forum with its moderators; its threads stay
 * where they are, unlisted, and nobody can hide them any more. */
static gboolean
drop_subnet (HlStore      *self,
             const guint8 *id,
             GError      **error)
{
  g_autoptr(HlStmt) subnet = NULL;
  g_autoptr(HlStmt) moderators = NULL;

  if (!(subnet = hl_store_prepare (self, "DELETE FROM subnets WHERE id = ?1", error)) ||
      !(moderators = hl_store_prepare (self, "DELETE FROM moderators WHERE subnet = ?1", error)))
    return FALSE;
  hl_bind_blob (subnet, 1, id, HL_ID_LEN);
  hl_bind_blob (moderators, 1, id, HL_ID_LEN);
  return hl_store_step_done (self, subnet, error) &&
         hl_store_step_done (self, moderators, error) &&
         recompute_posts_with_hides (self, id, error);
}

static gboolean
recompute_subnet (HlStore      *self,
                  const guint8 *id,
                  GError      **error)
{
  g_auto(Origin) origin = { { 0 } };
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  gboolean found, existed, deleted, moderators_changed;
  gint64 updated_ms = 0;

  if (!load_origin (self, id, &origin, &found, error))
    return FALSE;
  if (!found)
    return !row_exists (self, "SELECT 1 FROM subnets WHERE id = ?1", id) ||
           drop_subnet (self, id, error);
  if (strcmp (origin.kind, HL_KIND_SUBNET_CREATE) != 0)
    return TRUE;

  deleted = author_has_event (self, id, HL_KIND_DELETE, origin.author);
  if (deleted)
    return erase_text (self, id, HL_KIND_SUBNET_UPDATE, error) && drop_subnet (self, id, error);
  /* Erased without a delete: removed under older rules, so absent. */
  if (origin.event == NULL)
    return drop_subnet (self, id, error);
  if (origin.event != NULL)
    {
      fields = hl_event_parse_body (origin.event);
      take_string_member (fields, "name", &name);
      take_string_member (fields, "description", &description);
      if (!replay_author_edits (self, id, HL_KIND_SUBNET_UPDATE, &origin, "name",
                                "description", &name, &description, &updated_ms, error))
        return FALSE;
    }

  existed = row_exists (self, "SELECT 1 FROM subnets WHERE id = ?1", id);
  if (!write_subnet (self, id, &origin, name, description, error) ||
      !hl_store_rebuild_moderators (self, id, origin.author, &moderators_changed, error))
    return FALSE;

  /* Who may hide posts here has changed, or is known for the first time. */
  if (moderators_changed || !existed)
    return recompute_posts_with_hides (self, id, error);
  return TRUE;
}

static gboolean
apply_profile (HlStore       *self,
               const HlEvent *event,
               GError       **error)
{
  g_autoptr(JsonObject) fields = hl_event_parse_body (event);
  g_autoptr(HlStmt) stmt = NULL;

  /* A profile replaces the whole previous one: keep the greatest (ts, ctr, id). */
  if (!(stmt = hl_store_prepare (self,
        "INSERT INTO profiles (author, name, bio, ts, ctr, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (author) DO UPDATE SET name = excluded.name, bio = excluded.bio, "
        "  ts = excluded.ts, ctr = excluded.ctr, event = excluded.event "
        "WHERE (excluded.ts, excluded.ctr, excluded.event) > "
        "  (profiles.ts, profiles.ctr, profiles.event)", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, event->author, HL_KEY_LEN);
  /* No fields: a body stored under older rules, until the re-check removes it. */
  hl_bind_text (stmt, 2, fields ? json_object_get_string_member_with_default (fields, "name", NULL)
                                : NULL);
  hl_bind_text (stmt, 3, fields ? json_object_get_string_member_with_default (fields, "bio", NULL)
                                : NULL);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) event->ts.ms);
  sqlite3_bind_int64 (stmt, 5, event->ts.ctr);
  hl_bind_blob (stmt, 6, event->id, HL_ID_LEN);
  return hl_store_step_done (self, stmt, error);
}

gboolean
hl_store_apply_one (HlStore       *self,
                    const HlEvent *event,
                    gboolean      *duplicate,
                    GError       **error)
{
  const char *kind = event->kind;

  if (!insert_event (self, event, duplicate, error))
    return FALSE;
  if (*duplicate)
    return TRUE;

  if (strcmp (kind, HL_KIND_SUBNET_CREATE) == 0)
    return recompute_subnet (self, event->id, error);
  if (strcmp (kind, HL_KIND_THREAD_CREATE) == 0 || strcmp (kind, HL_KIND_REPLY_CREATE) == 0)
    return recompute_post (self, event->id, event, error);
  if (strcmp (kind, HL_KIND_PROFILE) == 0)
    return apply_profile (self, event, error);
  if (g_str_has_prefix (kind, "archive."))
    return hl_store_archive_apply (self, event, error);
  if (g_str_has_prefix (kind, "private."))
    return hl_store_private_apply (self, event, error);
  if (!event->has_ref || !hl_event_is_known_kind (kind))
    return TRUE;
  if (strcmp (kind, HL_KIND_SUBNET_UPDATE) == 0 || g_str_has_prefix (kind, "moderator."))
    return recompute_subnet (self, event->ref, error);
  if (strcmp (kind, HL_KIND_DELETE) == 0)
    return recompute_subnet (self, event->ref, error) &&
           recompute_post (self, event->ref, NULL, error);
  /* edit, hide */
  return recompute_post (self, event->ref, NULL, error);
}


/* The profile of @author from the latest of their profile events still held. */
static gboolean
recompute_profile (HlStore      *self,
                   const guint8 *author,
                   GError      **error)
{
  g_autoptr(HlStmt) drop = NULL;
  g_autoptr(HlStmt) latest = NULL;
  g_autoptr(HlEvent) event = NULL;

  if (!(drop = hl_store_prepare (self, "DELETE FROM profiles WHERE author = ?1", error)))
    return FALSE;
  hl_bind_blob (drop, 1, author, HL_KEY_LEN);
  if (!hl_store_step_done (self, drop, error) ||
      !(latest = hl_store_prepare (self, "SELECT raw, sig FROM events WHERE kind = '"
                                         HL_KIND_PROFILE "' AND author = ?1 AND raw IS NOT NULL "
                                         "ORDER BY ts DESC, ctr DESC, id DESC LIMIT 1", error)))
    return FALSE;
  hl_bind_blob (latest, 1, author, HL_KEY_LEN);
  if (sqlite3_step (latest) != SQLITE_ROW)
    return TRUE;
  event = hl_event_decode (sqlite3_column_blob (latest, 0), sqlite3_column_bytes (latest, 0),
                           sqlite3_column_blob (latest, 1), error);
  g_clear_pointer (&latest, hl_stmt_release);
  return event != NULL && apply_profile (self, event, error);
}

gboolean
hl_store_apply_forget (HlStore       *self,
                       const HlEvent *event,
                       GError       **error)
{
  const char *kind = event->kind;

  if (strcmp (kind, HL_KIND_SUBNET_CREATE) == 0)
    return recompute_subnet (self, event->id, error);
  if (strcmp (kind, HL_KIND_THREAD_CREATE) == 0 || strcmp (kind, HL_KIND_REPLY_CREATE) == 0)
    return recompute_post (self, event->id, NULL, error);
  if (strcmp (kind, HL_KIND_PROFILE) == 0)
    return recompute_profile (self, event->author, error);
  if (g_str_has_prefix (kind, "archive."))
    return hl_store_archive_forget (self, event, error);
  if (!event->has_ref || !hl_event_is_known_kind (kind))
    return TRUE;
  /* What the event targeted, recomputed from the events that remain. */
  if (strcmp (kind, HL_KIND_SUBNET_UPDATE) == 0 || g_str_has_prefix (kind, "moderator."))
    return recompute_subnet (self, event->ref, error);
  if (strcmp (kind, HL_KIND_DELETE) == 0)
    return recompute_subnet (self, event->ref, error) &&
           recompute_post (self, event->ref, NULL, error);
  return recompute_post (self, event->ref, NULL, error);
}
