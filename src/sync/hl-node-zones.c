/* hl-node-zones.c: zones in sync (docs/protocol.md, "Zones"). A zone's
 * envelopes are left out of the reconciled set the node shares with every
 * peer; a peer whose whois lists the zone's tag reconciles over a set of its
 * own that holds them too. They are gossiped, served and accepted only on
 * such connections.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"

#include "hl-node-archive.h"
#include "hl-store-privnet.h"
#include "hl-store-sync.h"
#include "hl-event.h"
#include "hl-json.h"
#include "hl-private.h"

#include <string.h>

typedef struct
{
  guint64 ts;
  guint8  id[HL_ID_LEN];
  char   *tag;      /* interned */
} ZoneKey;

static void
add_zone_key (const char   *tag,
              guint64       ts,
              const guint8 *id,
              gpointer      user_data)
{
  HlNode *self = user_data;
  ZoneKey key = { ts, { 0 }, (char *) g_intern_string (tag) };

  memcpy (key.id, id, HL_ID_LEN);
  g_array_append_val (self->zone_keys, key);
  g_hash_table_replace (self->zone_ids, g_memdup2 (id, HL_ID_LEN), key.tag);
}

static void
drop_peer_sets (HlNode *self)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);

  for (guint p = 0; p < peers->len; p++)
    g_clear_pointer (&((HlPeer *) g_ptr_array_index (peers, p))->zone_set, hl_sync_set_free);
}

gboolean
hl_node_zones_load (HlNode  *self,
                    GError **error)
{
  if (self->zone_ids == NULL)
    {
      self->zone_ids = g_hash_table_new_full (hl_id_hash, hl_id_equal, g_free, NULL);
      self->zone_keys = g_array_new (FALSE, FALSE, sizeof (ZoneKey));
    }
  g_hash_table_remove_all (self->zone_ids);
  g_array_set_size (self->zone_keys, 0);
  drop_peer_sets (self);
  if (!hl_store_sync_foreach_zone_key (self->store, add_zone_key, self, error))
    return FALSE;
  /* Every set the node shares leaves the zones out. */
  hl_sync_set_remove (self->set, self->zone_ids);
  if (self->full_set != NULL)
    hl_sync_set_remove (self->full_set, self->zone_ids);
  return TRUE;
}

void
hl_node_zones_free (HlNode *self)
{
  g_clear_pointer (&self->zone_ids, g_hash_table_unref);
  g_clear_pointer (&self->zone_keys, g_array_unref);
}

gboolean
hl_node_zone_allows (HlNode       *self,
                     HlPeer       *peer,
                     const guint8 *id)
{
  const char *tag = self->zone_ids ? g_hash_table_lookup (self->zone_ids, id) : NULL;

  return tag == NULL || hl_peer_has_tag (peer, tag);
}

gboolean
hl_peer_has_tag (HlPeer     *peer,
                 const char *tag)
{
  return peer != NULL && peer->whois == HL_WHOIS_YES && peer->tailnet_tags != NULL &&
         g_strv_contains ((const char * const *) peer->tailnet_tags, tag);
}

static gboolean
sees_a_zone (HlNode *self,
             HlPeer *peer)
{
  if (peer == NULL || peer->tailnet_tags == NULL || self->zone_keys == NULL)
    return FALSE;
  for (guint i = 0; i < self->zone_keys->len; i++)
    if (hl_peer_has_tag (peer, g_array_index (self->zone_keys, ZoneKey, i).tag))
      return TRUE;
  return FALSE;
}

/* The set reconciled with @peer: @base, and the zones' envelopes its tags
 * let it see. Built once per connection, then kept up by
 * hl_node_zones_added(). */
HlSyncSet *
hl_node_zones_set_for (HlNode    *self,
                       HlPeer    *peer,
                       HlSyncSet *base)
{
  if (peer == NULL || !sees_a_zone (self, peer))
    return base;
  if (peer->zone_set == NULL)
    {
      HlSyncSet *set = hl_sync_set_new ();

      hl_sync_set_seal (base);
      for (guint i = 0; i < hl_sync_set_size (base); i++)
        {
          const HlSyncItem *item = hl_sync_set_item (base, i);

          hl_sync_set_add (set, item->ts, item->id);
        }
      for (guint i = 0; i < self->zone_keys->len; i++)
        {
          const ZoneKey *key = &g_array_index (self->zone_keys, ZoneKey, i);

          if (hl_peer_has_tag (peer, key->tag))
            hl_sync_set_add (set, key->ts, key->id);
        }
      hl_sync_set_seal (set);
      peer->zone_set = set;
    }
  return peer->zone_set;
}

/* Whois told @peer's tags: its set is made again, and a ready peer that
 * now sees a zone reconciles once more to get it. */
void
hl_node_zones_learned (HlNode *self,
                       HlPeer *peer)
{
  g_clear_pointer (&peer->zone_set, hl_sync_set_free);
  if (peer->state != HL_PEER_READY || !sees_a_zone (self, peer))
    return;
  if (peer->recon_mine)
    peer->recon_again = TRUE;
  else
    hl_node_start_recon (self, peer);
}

/* A new row entered the store. Returns FALSE when it is a zone's envelope:
 * it then stays out of the shared sets. */
gboolean
hl_node_zones_added (HlNode          *self,
                     const HlSyncRow *row)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  g_autofree char *tag = NULL;
  const char *interned = NULL;

  if (row->private_kind != 0)
    {
      g_autoptr(GError) error = NULL;

      tag = hl_store_sync_zone_of (self->store, row->id, &error);
      if (error != NULL)
        g_warning ("Cannot tell an envelope's zone: %s", error->message);
    }
  if (tag != NULL && row->private_kind == 1)
    {
      /* A zone's create: envelopes of it that came first join it now. */
      g_autoptr(GError) error = NULL;

      if (!hl_node_zones_load (self, &error))
        g_warning ("Cannot read the zones again: %s", error->message);
      return FALSE;
    }
  if (tag != NULL)
    {
      interned = g_intern_string (tag);
      add_zone_key (interned, row->ts, row->id, self);
    }
  for (guint p = 0; p < peers->len; p++)
    {
      HlPeer *peer = g_ptr_array_index (peers, p);

      if (peer->zone_set != NULL && (interned == NULL || hl_peer_has_tag (peer, interned)))
        hl_sync_set_add (peer->zone_set, row->ts, row->id);
    }
  return interned == NULL;
}

void
hl_node_zones_removed (HlNode     *self,
                       GHashTable *erased)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);

  for (guint p = 0; p < peers->len; p++)
    {
      HlPeer *peer = g_ptr_array_index (peers, p);

      if (peer->zone_set != NULL)
        hl_sync_set_remove (peer->zone_set, erased);
    }
}

/* The zone tag of a private.create in @events, by its subnet (hex), or ""
 * when it has none: envelopes may come in the frame of their create. */
static GHashTable *
creates_in (GPtrArray *events)
{
  GHashTable *creates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < events->len; i++)
    {
      HlEvent *event = g_ptr_array_index (events, i);
      g_autoptr(JsonObject) fields = NULL;
      const char *subnet, *tag;

      g_autofree char *body = NULL;

      if (strcmp (event->kind, HL_KIND_PRIVATE_CREATE) != 0 ||
          !(body = g_strndup (event->body, event->body_len)) ||
          !(fields = hl_json_parse_object (body)) ||
          !(subnet = hl_json_get_string (fields, "subnet")))
        continue;
      tag = hl_json_get_string (fields, "tag");
      g_hash_table_replace (creates, g_ascii_strdown (subnet, -1),
                            g_strdup (hl_private_tag_is_valid (tag) ? tag : ""));
    }
  return creates;
}

/* The zone of an epoch or box: NULL when its subnet is not a zone, @unknown
 * when this node holds no create of it (nor does the frame). */
static char *
zone_of_envelope (HlNode        *self,
                  const HlEvent *event,
                  GHashTable    *creates,
                  gboolean      *unknown)
{
  g_autofree char *subnet_hex = NULL;
  g_autoptr(GError) error = NULL;
  const char *in_frame;
  gboolean known = FALSE;
  char *tag = NULL;

  *unknown = FALSE;
  if (!hl_store_private_subnet_tag (self->store, event->ref, &known, &tag, &error))
    g_warning ("Cannot tell an envelope's zone: %s", error->message);
  if (known)
    return tag;
  subnet_hex = hl_hex_dup (event->ref, HL_ID_LEN);
  if ((in_frame = g_hash_table_lookup (creates, subnet_hex)) != NULL)
    return *in_frame ? g_strdup (in_frame) : NULL;
  *unknown = TRUE;
  return NULL;
}

/* Drops from @events (HlEvent, verified, from @peer) the zones' envelopes
 * @peer may not send: its tags lack the zone's. An epoch or box of a
 * subnet whose create this node does not hold is dropped too: nobody can
 * tell yet whether it is a zone's, and reconciliation brings it again once
 * the create is in. Returns how many. */
guint
hl_node_zones_refuse (HlNode    *self,
                      HlPeer    *peer,
                      GPtrArray *events)
{
  g_autoptr(GHashTable) creates = creates_in (events);
  guint refused = 0;

  for (guint i = 0; i < events->len; i++)
    {
      HlEvent *event = g_ptr_array_index (events, i);
      g_autofree char *tag = NULL;
      g_autoptr(GError) error = NULL;
      gboolean unknown = FALSE;

      if (!g_str_has_prefix (event->kind, "private."))
        continue;
      if (!event->has_ref)
        {
          if (!hl_store_private_event_tag (self->store, event, &tag, &error))
            g_warning ("Cannot tell an envelope's zone: %s", error->message);
        }
      else
        tag = zone_of_envelope (self, event, creates, &unknown);
      if (!unknown && (tag == NULL || hl_peer_has_tag (peer, tag)))
        continue;
      if (refused++ == 0)
        g_message ("Refused an envelope from %s: %s", peer ? hl_peer_label (peer) : "a peer now gone",
                   unknown ? "private-unknown-subnet (its create is not here yet)"
                           : "private-zone (its tailnet identity lacks the zone's tag)");
      g_ptr_array_remove_index (events, i--);
    }
  return refused;
}
