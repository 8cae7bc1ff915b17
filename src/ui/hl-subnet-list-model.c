/* hl-subnet-list-model.c: every live subnet, by name.
 *
 * A forum has tens of subnets, not thousands, so each reload reads them all
 * (on a worker) and changes only what differs: the same subnet keeps its item.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-subnet-list-model.h"

#include "hl-list-merge.h"
#include "hl-subnet-item.h"

struct _HlSubnetListModel
{
  GObject       parent_instance;

  HlForum      *forum;
  GCancellable *cancellable;
  GPtrArray    *items;
  gboolean      loading;
  gboolean      reload_again;
};

static void hl_subnet_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HlSubnetListModel, hl_subnet_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hl_subnet_list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gpointer
list_func (HlForum       *forum,
           HlStore       *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return hl_store_list_subnets (store, error);
}

static gboolean
same_subnet (gpointer item,
             gpointer row)
{
  return memcmp (hl_subnet_item_get_row (item)->id, ((HlSubnetRow *) row)->id, HL_ID_LEN) == 0;
}

static void
update_subnet (gpointer item,
               gpointer row,
               gpointer user_data)
{
  hl_subnet_item_update (item, row);
}

static gpointer
create_subnet (gpointer row,
               gpointer user_data)
{
  return hl_subnet_item_new (row);
}

static const HlListMergeFuncs subnet_merge_funcs = { same_subnet, update_subnet, create_subnet };

static void
set_loading (HlSubnetListModel *self,
             gboolean           loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_list_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HlSubnetListModel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hl_forum_run_finish (HL_FORUM (object), result, &error);

  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_message ("Cannot read the subnets: %s", error->message);
          set_loading (self, FALSE);
        }
      return;
    }

  hl_list_merge (G_LIST_MODEL (self), self->items, rows, &subnet_merge_funcs, NULL);

  set_loading (self, FALSE);
  if (self->reload_again)
    {
      self->reload_again = FALSE;
      hl_subnet_list_model_reload (self);
    }
}

static GType
hl_subnet_list_model_get_item_type (GListModel *model)
{
  return HL_TYPE_SUBNET_ITEM;
}

static guint
hl_subnet_list_model_get_n_items (GListModel *model)
{
  return HL_SUBNET_LIST_MODEL (model)->items->len;
}

static gpointer
hl_subnet_list_model_get_item (GListModel *model,
                               guint       position)
{
  HlSubnetListModel *self = HL_SUBNET_LIST_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
hl_subnet_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = hl_subnet_list_model_get_item_type;
  iface->get_n_items = hl_subnet_list_model_get_n_items;
  iface->get_item = hl_subnet_list_model_get_item;
}

static void
hl_subnet_list_model_dispose (GObject *object)
{
  HlSubnetListModel *self = HL_SUBNET_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->forum);

  G_OBJECT_CLASS (hl_subnet_list_model_parent_class)->dispose (object);
}

static void
hl_subnet_list_model_finalize (GObject *object)
{
  HlSubnetListModel *self = HL_SUBNET_LIST_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (hl_subnet_list_model_parent_class)->finalize (object);
}

static void
hl_subnet_list_model_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HlSubnetListModel *self = HL_SUBNET_LIST_MODEL (object);

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
hl_subnet_list_model_class_init (HlSubnetListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_subnet_list_model_dispose;
  object_class->finalize = hl_subnet_list_model_finalize;
  object_class->get_property = hl_subnet_list_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_subnet_list_model_init (HlSubnetListModel *self)
{
  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

HlSubnetListModel *
hl_subnet_list_model_new (HlForum *forum)
{
  HlSubnetListModel *self;

  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_SUBNET_LIST_MODEL, NULL);
  self->forum = g_object_ref (forum);
  hl_subnet_list_model_reload (self);
  return self;
}

gboolean
hl_subnet_list_model_get_loading (HlSubnetListModel *self)
{
  g_return_val_if_fail (HL_IS_SUBNET_LIST_MODEL (self), FALSE);
  return self->loading;
}

void
hl_subnet_list_model_reload (HlSubnetListModel *self)
{
  g_return_if_fail (HL_IS_SUBNET_LIST_MODEL (self));

  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  set_loading (self, TRUE);
  hl_forum_read_async (self->forum, list_func, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                       self->cancellable, on_list_done_cb, g_object_ref (self));
}

guint
hl_subnet_list_model_find (HlSubnetListModel *self,
                           const guint8      *id)
{
  g_return_val_if_fail (HL_IS_SUBNET_LIST_MODEL (self), G_MAXUINT);

  for (guint i = 0; i < self->items->len; i++)
    if (memcmp (hl_subnet_item_get_row (g_ptr_array_index (self->items, i))->id, id,
                HL_ID_LEN) == 0)
      return i;
  return G_MAXUINT;
}
