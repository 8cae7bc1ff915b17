/* hl-peer-info.c: one peer as the sync status describes it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-peer-info.h"

#include <glib/gi18n.h>

#include "hl-ui-util.h"

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

char *
hl_peer_info_refusal_key_for (JsonObject *object)
{
  const char *address = member_string (object, "address");
  const char *kind = member_string (object, "kind");

  return g_strconcat ("refused:", kind ? kind : "", ":", address ? address : "", NULL);
}

static HlPeerInfo *
new_with_key (JsonObject *object,
              char       *key)
{
  HlPeerInfo *self = g_object_new (HL_TYPE_PEER_INFO, NULL);

  self->key = key;
  self->object = json_object_ref (object);
  self->text = serialise (object);
  return self;
}

HlPeerInfo *
hl_peer_info_new (JsonObject *object)
{
  return new_with_key (object, hl_peer_info_key_for (object));
}

HlPeerInfo *
hl_peer_info_new_refusal (JsonObject *object)
{
  return new_with_key (object, hl_peer_info_refusal_key_for (object));
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

/* Said to the owner of this computer, not to the one refused: the node's
 * own reason (in status and the log) is addressed to the other side. */
static const char *
what_happened (const char *kind)
{
  if (g_strcmp0 (kind, "not-admitted") == 0)
    return _("Not let in: it is not on your tailnet, not a peer you added, and not invited. "
             "To let it in, send it an invite or add it as a peer.");
  if (g_strcmp0 (kind, "full") == 0)
    return _("Turned away: this computer already had as many connections as it takes.");
  if (g_strcmp0 (kind, "evicted") == 0)
    return _("Disconnected to make room for a computer you know.");
  if (g_strcmp0 (kind, "banned") == 0)
    return _("Turned away: it was banned for a while after breaking the sync protocol.");
  return _("Turned away.");
}

char *
hl_peer_info_describe_refusal (HlPeerInfo *self)
{
  gint64 count, last;
  g_autofree char *when = NULL;
  g_autofree char *times = NULL;
  g_autofree char *n = NULL;

  g_return_val_if_fail (HL_IS_PEER_INFO (self), NULL);

  count = hl_peer_info_get_int (self, "count");
  last = hl_peer_info_get_int (self, "last_ms");
  when = hl_format_relative_time (last, g_get_real_time () / 1000);
  n = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  /* Translators: %s is how often a computer was turned away, then when, e.g. “5 min ago” */
  times = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "This happened %s time, last %s.",
                                        "This happened %s times, last %s.",
                                        (gulong) count),
                           n, when);
  /* Two whole sentences, one a line. */
  return g_strconcat (what_happened (hl_peer_info_get_string (self, "kind")), "\n", times, NULL);
}
