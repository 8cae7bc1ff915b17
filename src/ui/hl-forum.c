/* hl-forum.c: the window's door to the store.
 *
 * An HlStore may only be used by one thread, so each worker thread of GLib's
 * pool opens its own on first use and keeps it until the thread exits: the
 * main thread never runs a query.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-forum.h"

#include "hl-error.h"
#include "hl-paths.h"
#include "hl-store-watch.h"

/* Enough to coalesce a burst of writes (an import, a sync round) into one
 * refresh, short enough to feel live. */
#define CHANGED_DELAY_MS 250

struct _HlForum
{
  GObject       parent_instance;

  char         *data_dir;
  char         *database;
  char         *identity_path;
  HlIdentity   *identity;
  char         *key_hex;
  HlStoreWatch *watch;
  HlReadMarks  *read_marks;
};

G_DEFINE_FINAL_TYPE (HlForum, hl_forum, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char     *path;
  gboolean  readonly;
  HlStore  *store;
} WorkerStore;

static void
worker_store_free (gpointer data)
{
  WorkerStore *ws = data;

  g_clear_object (&ws->store);
  g_free (ws->path);
  g_free (ws);
}

/* One store per worker thread, closed when the thread exits. Several forums
 * (the tests open one per data directory) each get their own. */
static GPrivate worker_stores = G_PRIVATE_INIT ((GDestroyNotify) g_ptr_array_unref);

/* @readonly: a connection that only reads. Opening one takes no lock, where
 * a writer's open checks the schema inside a write transaction: while the
 * node starts on a big forum and holds the write lock, that made the first
 * page of threads wait for the node (860 ms at 1,000,000 threads). */
static HlStore *
get_worker_store (const char  *path,
                  gboolean     readonly,
                  GError     **error)
{
  GPtrArray *stores = g_private_get (&worker_stores);
  WorkerStore *ws;
  HlStore *store;

  if (stores == NULL)
    {
      stores = g_ptr_array_new_with_free_func (worker_store_free);
      g_private_set (&worker_stores, stores);
    }
  for (guint i = 0; i < stores->len; i++)
    {
      ws = g_ptr_array_index (stores, i);
      if (ws->readonly == readonly && g_str_equal (ws->path, path))
        return ws->store;
    }
  if (!(store = readonly ? hl_store_open_readonly (path, error) : hl_store_open (path, error)))
    return NULL;
  ws = g_new0 (WorkerStore, 1);
  ws->path = g_strdup (path);
  ws->readonly = readonly;
  ws->store = store;
  g_ptr_array_add (stores, ws);
  return store;
}

void
hl_forum_queue_changed (HlForum *self)
{
  g_return_if_fail (HL_IS_FORUM (self));

  hl_store_watch_queue (self->watch);
}

static void
on_store_changed_cb (HlForum *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
hl_forum_finalize (GObject *object)
{
  HlForum *self = HL_FORUM (object);

  g_clear_object (&self->watch);
  g_clear_object (&self->read_marks);
  g_clear_pointer (&self->identity, hl_identity_free);
  g_free (self->key_hex);
  g_free (self->identity_path);
  g_free (self->database);
  g_free (self->data_dir);

  G_OBJECT_CLASS (hl_forum_parent_class)->finalize (object);
}

static void
hl_forum_class_init (HlForumClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hl_forum_finalize;

  /* Something, maybe another process, wrote to the database. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hl_forum_init (HlForum *self)
{
}

HlForum *
hl_forum_new (const char  *data_dir,
              GError     **error)
{
  g_autoptr(HlForum) self = g_object_new (HL_TYPE_FORUM, NULL);
  g_autoptr(HlStore) store = NULL;
  g_autofree char *read_path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self->data_dir = g_strdup (data_dir);
  self->database = hl_paths_database (data_dir);
  self->identity_path = hl_paths_identity (data_dir);
  if (!hl_paths_ensure_data_dir (data_dir, error) ||
      !(self->identity = hl_identity_load_or_create (self->identity_path, NULL, error)))
    return NULL;
  self->key_hex = hl_identity_dup_public_hex (self->identity);

  /* Creates and migrates the database once, here, so that workers only ever
   * open an existing one. */
  if (!(store = hl_store_open (self->database, error)))
    return NULL;

  read_path = g_build_filename (data_dir, HL_READ_MARKS_FILE, NULL);
  self->read_marks = hl_read_marks_new (read_path);

  self->watch = hl_store_watch_new (self->database, CHANGED_DELAY_MS);
  g_signal_connect_object (self->watch, "changed", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return g_steal_pointer (&self);
}

const char *
hl_forum_get_data_dir (HlForum *self)
{
  g_return_val_if_fail (HL_IS_FORUM (self), NULL);
  return self->data_dir;
}

const char *
hl_forum_get_database (HlForum *self)
{
  g_return_val_if_fail (HL_IS_FORUM (self), NULL);
  return self->database;
}

HlIdentity *
hl_forum_get_identity (HlForum *self)
{
  g_return_val_if_fail (HL_IS_FORUM (self), NULL);
  return self->identity;
}

const char *
hl_forum_get_key_hex (HlForum *self)
{
  g_return_val_if_fail (HL_IS_FORUM (self), NULL);
  return self->key_hex;
}

const guint8 *
hl_forum_get_key (HlForum *self)
{
  g_return_val_if_fail (HL_IS_FORUM (self), NULL);
  return hl_identity_get_public_key (self->identity);
}

gboolean
hl_forum_is_mine (HlForum      *self,
                  const guint8 *author)
{
  g_return_val_if_fail (HL_IS_FORUM (self), FALSE);
  return memcmp (author, hl_identity_get_public_key (self->identity), HL_KEY_LEN) == 0;
}

HlReadMarks *
hl_forum_get_read_marks (HlForum *self)
{
  g_return_val_if_fail (HL_IS_FORUM (self), NULL);
  return self->read_marks;
}

typedef struct
{
  HlForumFunc     func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
  gboolean        readonly;
} RunData;

static void
run_data_free (RunData *rd)
{
  if (rd->data_free != NULL && rd->data != NULL)
    rd->data_free (rd->data);
  g_free (rd);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  HlForum *self = source_object;
  RunData *rd = task_data;
  GError *error = NULL;
  HlStore *store;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!(store = get_worker_store (self->database, rd->readonly, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  result = rd->func (self, store, rd->data, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, rd->result_free);
}

static void
run_async (HlForum             *self,
           gboolean             readonly,
           HlForumFunc          func,
           gpointer             data,
           GDestroyNotify       data_free,
           GDestroyNotify       result_free,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *rd;

  rd = g_new0 (RunData, 1);
  rd->func = func;
  rd->data = data;
  rd->data_free = data_free;
  rd->result_free = result_free;
  rd->readonly = readonly;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_forum_run_async);
  g_task_set_task_data (task, rd, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_in_thread);
}

void
hl_forum_run_async (HlForum             *self,
                    HlForumFunc          func,
                    gpointer             data,
                    GDestroyNotify       data_free,
                    GDestroyNotify       result_free,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_return_if_fail (HL_IS_FORUM (self));
  g_return_if_fail (func != NULL);

  run_async (self, FALSE, func, data, data_free, result_free, cancellable, callback, user_data);
}

void
hl_forum_read_async (HlForum             *self,
                     HlForumFunc          func,
                     gpointer             data,
                     GDestroyNotify       data_free,
                     GDestroyNotify       result_free,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (HL_IS_FORUM (self));
  g_return_if_fail (func != NULL);

  run_async (self, TRUE, func, data, data_free, result_free, cancellable, callback, user_data);
}

gpointer
hl_forum_run_finish (HlForum       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char   *kind;
  gboolean has_ref;
  guint8  ref[HL_ID_LEN];
  char   *body;
} PublishData;

static void
publish_data_free (PublishData *pd)
{
  g_free (pd->kind);
  g_free (pd->body);
  g_free (pd);
}

static gpointer
publish_func (HlForum       *self,
              HlStore       *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  PublishData *pd = data;
  HlEvent *event;
  char *id;

  if (!(event = hl_store_publish (store, self->identity, pd->kind,
                                  pd->has_ref ? pd->ref : NULL, pd->body, error)))
    return NULL;
  id = hl_event_id_hex (event);
  hl_event_free (event);
  return id;
}

void
hl_forum_publish_async (HlForum             *self,
                        const char          *kind,
                        const guint8        *ref,
                        const char          *body_json,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  PublishData *pd;

  g_return_if_fail (HL_IS_FORUM (self));
  g_return_if_fail (kind != NULL);
  g_return_if_fail (body_json != NULL);

  pd = g_new0 (PublishData, 1);
  pd->kind = g_strdup (kind);
  pd->body = g_strdup (body_json);
  if (ref != NULL)
    {
      pd->has_ref = TRUE;
      memcpy (pd->ref, ref, HL_ID_LEN);
    }
  hl_forum_run_async (self, publish_func, pd, (GDestroyNotify) publish_data_free, g_free,
                      cancellable, callback, user_data);
}

char *
hl_forum_publish_finish (HlForum       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  char *id = hl_forum_run_finish (self, result, error);

  /* Our own write shows up at once instead of after the monitor's delay. */
  if (id != NULL)
    g_signal_emit (self, signals[CHANGED], 0);
  return id;
}
