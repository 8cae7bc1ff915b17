/* hl-subnet-item.c: a subnet as the sidebar shows it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-subnet-item.h"

struct _HlSubnetItem
{
  GObject      parent_instance;

  HlSubnetRow *row;
  char        *id_hex;
};

G_DEFINE_FINAL_TYPE (HlSubnetItem, hl_subnet_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hl_subnet_item_finalize (GObject *object)
{
  HlSubnetItem *self = HL_SUBNET_ITEM (object);

  g_clear_pointer (&self->row, hl_subnet_row_free);
  g_free (self->id_hex);

  G_OBJECT_CLASS (hl_subnet_item_parent_class)->finalize (object);
}

static void
hl_subnet_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HlSubnetItem *self = HL_SUBNET_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->row->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->row->description);
      break;
    case PROP_SUMMARY:
      g_value_take_string (value,
                           g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u thread",
                                                         "%u threads", self->row->thread_count),
                                            self->row->thread_count));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_subnet_item_class_init (HlSubnetItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = hl_subnet_item_finalize;
  object_class->get_property = hl_subnet_item_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_subnet_item_init (HlSubnetItem *self)
{
}

HlSubnetItem *
hl_subnet_item_new (HlSubnetRow *row)
{
  HlSubnetItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (HL_TYPE_SUBNET_ITEM, NULL);
  self->row = row;
  self->id_hex = hl_hex_dup (row->id, HL_ID_LEN);
  return self;
}

void
hl_subnet_item_update (HlSubnetItem *self,
                       HlSubnetRow  *row)
{
  g_autoptr(HlSubnetRow) old = NULL;

  g_return_if_fail (HL_IS_SUBNET_ITEM (self));
  g_return_if_fail (memcmp (row->id, self->row->id, HL_ID_LEN) == 0);

  old = g_steal_pointer (&self->row);
  self->row = row;
  if (g_strcmp0 (old->name, row->name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  if (g_strcmp0 (old->description, row->description) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  if (old->thread_count != row->thread_count)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

const HlSubnetRow *
hl_subnet_item_get_row (HlSubnetItem *self)
{
  g_return_val_if_fail (HL_IS_SUBNET_ITEM (self), NULL);
  return self->row;
}

const char *
hl_subnet_item_get_name (HlSubnetItem *self)
{
  g_return_val_if_fail (HL_IS_SUBNET_ITEM (self), NULL);
  return self->row->name;
}

const char *
hl_subnet_item_get_id_hex (HlSubnetItem *self)
{
  g_return_val_if_fail (HL_IS_SUBNET_ITEM (self), NULL);
  return self->id_hex;
}
