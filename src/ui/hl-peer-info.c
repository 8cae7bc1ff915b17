/* hl-peer-info.c: one peer as the sync status describes it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-peer-info.h"

struct _HlPeerInfo
{
  GObject     parent_instance;

  char       *key;
  JsonObject *object;
  char       *text;      /* @object serialised, to tell whether an update changes anything */
};

G_DEFINE_FINAL_TYPE (HlPeerInfo, hl_peer_info, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
hl_peer_info_finalize (GObject *object)
{
  HlPeerInfo *self = HL_PEER_INFO (object);

  g_clear_pointer (&self->object, json_object_unref);
  g_free (self->key);
  g_free (self->text);
  G_OBJECT_CLASS (hl_peer_info_parent_class)->finalize (object);
}

static void
hl_peer_info_class_init (HlPeerInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_peer_info_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hl_peer_info_init (HlPeerInfo *self)
{
}

static char *
serialise (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
hl_peer_info_key_for (JsonObject *object)
{
  const char *direction = member_string (object, "direction");
  const char *node = member_string (object, "node");
  const char *address = member_string (object, "address");

  /* Who dialled us comes from a new port each time: know it by its key. */
  if (g_strcmp0 (direction, "inbound") == 0 && node != NULL)
    return g_strconcat ("in:", node, NULL);
  return g_strconcat ("out:", address ? address : "", NULL);
}

HlPeerInfo *
hl_peer_info_new (JsonObject *object)
{
  HlPeerInfo *self = g_object_new (HL_TYPE_PEER_INFO, NULL);

  self->key = hl_peer_info_key_for (object);
  self->object = json_object_ref (object);
  self->text = serialise (object);
  return self;
}

const char *
hl_peer_info_get_key (HlPeerInfo *self)
{
  g_return_val_if_fail (HL_IS_PEER_INFO (self), NULL);
  return self->key;
}

void
hl_peer_info_update (HlPeerInfo *self,
                     JsonObject *object)
{
  g_autofree char *text = NULL;

  g_return_if_fail (HL_IS_PEER_INFO (self));

  text = serialise (object);
  if (g_strcmp0 (text, self->text) == 0)
    return;
  g_free (self->text);
  self->text = g_steal_pointer (&text);
  json_object_unref (self->object);
  self->object = json_object_ref (object);
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
hl_peer_info_get_string (HlPeerInfo *self,
                         const char *member)
{
  g_return_val_if_fail (HL_IS_PEER_INFO (self), NULL);
  return member_string (self->object, member);
}

gint64
hl_peer_info_get_int (HlPeerInfo *self,
                      const char *member)
{
  JsonNode *node;

  g_return_val_if_fail (HL_IS_PEER_INFO (self), 0);

  node = json_object_get_member (self->object, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

gboolean
hl_peer_info_get_connected (HlPeerInfo *self)
{
  JsonNode *node;

  g_return_val_if_fail (HL_IS_PEER_INFO (self), FALSE);

  node = json_object_get_member (self->object, "connected");
  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

const char *
hl_peer_info_get_title (HlPeerInfo *self)
{
  const char *names[] = { "machine", "dns_name", "address" };

  g_return_val_if_fail (HL_IS_PEER_INFO (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = hl_peer_info_get_string (self, names[i]);

      if (value != NULL && *value != '\0')
        return value;
    }
  return "";
}
