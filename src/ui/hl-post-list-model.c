/* hl-post-list-model.c: one thread: its opening post, then its replies.
 *
 * Each reload reads the thread and all its replies on a worker, then keeps
 * every item whose post is still in the same place: a new reply is one
 * insertion at the end, and the rows above it do not move.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-post-list-model.h"

#include "hl-list-merge.h"
#include "hl-post-item.h"

struct _HlPostListModel
{
  GObject       parent_instance;

  HlForum      *forum;
  GCancellable *cancellable;   /* of the current thread's loads */
  GPtrArray    *items;
  gboolean      has_thread;
  guint8        thread[HL_ID_LEN];
  gboolean      loading;
  gboolean      reload_again;
};

static void hl_post_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HlPostListModel, hl_post_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hl_post_list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gpointer
load_func (HlForum       *forum,
           HlStore       *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  const guint8 *thread = data;
  g_autoptr(HlPostRow) first = NULL;
  GPtrArray *rows;

  if (!(first = hl_store_get_post (store, thread, error)) ||
      !(rows = hl_store_list_replies (store, thread, error)))
    return NULL;
  g_ptr_array_insert (rows, 0, g_steal_pointer (&first));
  return rows;
}

static gboolean
same_post (gpointer item,
           gpointer row)
{
  return hl_post_item_has_id (item, ((HlPostRow *) row)->id);
}

/* @mine is the key of this device's author: its posts may be edited here. */
static void
update_post (gpointer item,
             gpointer row,
             gpointer mine)
{
  hl_post_item_set_row (item, row, memcmp (((HlPostRow *) row)->author, mine, HL_KEY_LEN) == 0);
}

static gpointer
create_post (gpointer row,
             gpointer mine)
{
  HlPostItem *item = hl_post_item_new ();

  update_post (item, row, mine);
  return item;
}

static const HlListMergeFuncs post_merge_funcs = { same_post, update_post, create_post };

static void
set_loading (HlPostListModel *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_load_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HlPostListModel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hl_forum_run_finish (HL_FORUM (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (rows == NULL)
    {
      /* A thread deleted and erased meanwhile: show nothing rather than stale posts. */
      g_message ("Cannot read the thread: %s", error->message);
      rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_post_row_free);
    }

  /* The posts first, then "loaded": a listener of ::notify::loading that
   * finds the model empty may close the thread (a thread of last time that
   * is gone), and posts merged after that would belong to no open thread. */
  hl_list_merge (G_LIST_MODEL (self), self->items, rows, &post_merge_funcs,
                 (gpointer) hl_forum_get_key (self->forum));
  set_loading (self, FALSE);

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      hl_post_list_model_reload (self);
    }
}

static GType
hl_post_list_model_get_item_type (GListModel *model)
{
  return HL_TYPE_POST_ITEM;
}

static guint
hl_post_list_model_get_n_items (GListModel *model)
{
  return HL_POST_LIST_MODEL (model)->items->len;
}

static gpointer
hl_post_list_model_get_item (GListModel *model,
                             guint       position)
{
  HlPostListModel *self = HL_POST_LIST_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
hl_post_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = hl_post_list_model_get_item_type;
  iface->get_n_items = hl_post_list_model_get_n_items;
  iface->get_item = hl_post_list_model_get_item;
}

static void
hl_post_list_model_dispose (GObject *object)
{
  HlPostListModel *self = HL_POST_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->forum);

  G_OBJECT_CLASS (hl_post_list_model_parent_class)->dispose (object);
}

static void
hl_post_list_model_finalize (GObject *object)
{
  HlPostListModel *self = HL_POST_LIST_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (hl_post_list_model_parent_class)->finalize (object);
}

static void
hl_post_list_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HlPostListModel *self = HL_POST_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_post_list_model_class_init (HlPostListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_post_list_model_dispose;
  object_class->finalize = hl_post_list_model_finalize;
  object_class->get_property = hl_post_list_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_post_list_model_init (HlPostListModel *self)
{
  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

HlPostListModel *
hl_post_list_model_new (HlForum *forum)
{
  HlPostListModel *self;

  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_POST_LIST_MODEL, NULL);
  self->forum = g_object_ref (forum);
  return self;
}

void
hl_post_list_model_set_thread (HlPostListModel *self,
                               const guint8    *thread)
{
  guint old_n;

  g_return_if_fail (HL_IS_POST_LIST_MODEL (self));

  if (thread != NULL && self->has_thread && memcmp (thread, self->thread, HL_ID_LEN) == 0)
    return;

  /* Whatever was loading for the previous thread is of no use any more. */
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->reload_again = FALSE;
  set_loading (self, FALSE);

  old_n = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);

  self->has_thread = thread != NULL;
  if (thread != NULL)
    {
      memcpy (self->thread, thread, HL_ID_LEN);
      hl_post_list_model_reload (self);
    }
}

const guint8 *
hl_post_list_model_get_thread (HlPostListModel *self)
{
  g_return_val_if_fail (HL_IS_POST_LIST_MODEL (self), NULL);
  return self->has_thread ? self->thread : NULL;
}

gboolean
hl_post_list_model_get_loading (HlPostListModel *self)
{
  g_return_val_if_fail (HL_IS_POST_LIST_MODEL (self), FALSE);
  return self->loading;
}

void
hl_post_list_model_reload (HlPostListModel *self)
{
  g_return_if_fail (HL_IS_POST_LIST_MODEL (self));

  if (!self->has_thread)
    return;
  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  set_loading (self, TRUE);
  hl_forum_read_async (self->forum, load_func, g_memdup2 (self->thread, HL_ID_LEN), g_free,
                       (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                       on_load_done_cb, g_object_ref (self));
}
