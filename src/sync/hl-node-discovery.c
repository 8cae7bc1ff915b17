/* hl-node-discovery.c: finding peers through peers: announce, peer
 * exchange, and a bootstrap node's registry (docs/protocol.md, "Discovery").
 *
 * Every list a peer sends is bounded and checked; a bad one is dropped
 * with a logged reason and offence points, as any other hostile input.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"

#include "hl-store-discovery.h"
#include "hl-sync-wire.h"

#define MAX_REGISTRY            1024   /* nodes a bootstrap node keeps */
#define MAX_REGISTRY_LIST       64     /* nodes in one registry message */
#define MAX_EXCHANGE_LIST       32     /* nodes in one peers message */
#define MAX_ENTRY_ADDRESSES     4      /* addresses of one node in a list */
#define MAX_ANNOUNCE_ADDRESSES  8
#define MAX_ADDRESS_LEN         256
#define MAX_DISCOVERED          256    /* dial targets a node keeps in all */
#define MAX_BAD_PER_MESSAGE     5      /* offences counted for one message's addresses */
#define KNOWN_KEEP              256    /* discovered peers remembered across restarts */
#define KNOWN_DAYS              30     /* ... that answered within this many days */

static void
registry_entry_free (HlRegistryEntry *entry)
{
  g_free (entry->key_hex);
  g_ptr_array_unref (entry->addresses);
  g_free (entry);
}

static gint64
env_ms (const char *name,
        gint64      fallback)
{
  const char *value = g_getenv (name);
  gint64 v = value ? g_ascii_strtoll (value, NULL, 10) : 0;

  return v > 0 ? v : fallback;
}

void
hl_node_discovery_init (HlNode *self)
{
  self->registry = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) registry_entry_free);
  self->advertise = g_ptr_array_new_with_free_func (g_free);
  self->announce_interval_ms = env_ms ("HYPERLINK_SYNC_ANNOUNCE_MS", 60000);
  self->exchange_interval_ms = env_ms ("HYPERLINK_SYNC_EXCHANGE_MS", 60000);
  /* Three announces missed: gone. */
  self->registry_ttl_ms = env_ms ("HYPERLINK_SYNC_REGISTRY_TTL_MS", 180000);
}

void
hl_node_discovery_free (HlNode *self)
{
  g_clear_pointer (&self->registry, g_hash_table_unref);
  g_clear_pointer (&self->advertise, g_ptr_array_unref);
  g_clear_pointer (&self->invites, g_hash_table_unref);
}

/* ---- capabilities ---- */

void
hl_node_add_caps (HlNode      *self,
                  JsonBuilder *b)
{
  json_builder_add_string_value (b, "pex-1");
  json_builder_add_string_value (b, "invite-1");
  if (self->archive != NULL)
    json_builder_add_string_value (b, "archive-1");
  if (self->is_bootstrap)
    json_builder_add_string_value (b, "registry-1");
}

guint
hl_node_parse_caps (JsonNode *caps)
{
  JsonArray *array;
  guint bits = 0;

  if (caps == NULL || !JSON_NODE_HOLDS_ARRAY (caps))
    return 0;
  array = json_node_get_array (caps);
  for (guint i = 0; i < json_array_get_length (array) && i < 64; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *name;

      if (json_node_get_value_type (item) != G_TYPE_STRING)
        continue;
      name = json_node_get_string (item);
      if (strcmp (name, "pex-1") == 0)
        bits |= HL_CAP_PEX;
      else if (strcmp (name, "registry-1") == 0)
        bits |= HL_CAP_REGISTRY;
      else if (strcmp (name, "invite-1") == 0)
        bits |= HL_CAP_INVITE;
      else if (strcmp (name, "archive-1") == 0)
        bits |= HL_CAP_ARCHIVE;
    }
  return bits;
}

/* ---- addresses ---- */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) addr = host ? g_inet_address_new_from_string (host) : NULL;

  return host != NULL && (g_strcmp0 (host, "localhost") == 0 ||
                          (addr != NULL && g_inet_address_get_is_loopback (addr)));
}

static char *
address_host (const char *address)
{
  g_autoptr(GUri) uri = g_uri_parse (address, G_URI_FLAGS_NONE, NULL);

  return uri && g_uri_get_host (uri) ? g_strdup (g_uri_get_host (uri)) : NULL;
}

/* Loopback addresses only make sense between processes of one machine. */
static gboolean
peer_is_loopback (HlPeer *peer)
{
  g_autofree char *host = peer->remote_host ? g_strdup (peer->remote_host)
                                            : address_host (peer->address);

  return host_is_loopback (host);
}

gboolean
hl_node_check_address (HlPeer      *peer,
                       JsonNode    *node,
                       char       **normal,
                       const char **why)
{
  g_autofree char *text = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;

  *normal = NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return *why = "an address that is not a string", FALSE;
  if (strlen (json_node_get_string (node)) > MAX_ADDRESS_LEN)
    return *why = "an address longer than 256 bytes", FALSE;
  if (!(text = hl_sync_normalize_address (json_node_get_string (node), NULL)) ||
      !(host = address_host (text)))
    return *why = "an address that is not ws://HOST:PORT", FALSE;
  inet = g_inet_address_new_from_string (host);
  if (inet != NULL && (g_inet_address_get_is_any (inet) || g_inet_address_get_is_multicast (inet) ||
                       strcmp (host, "255.255.255.255") == 0))
    return *why = "an address nobody can dial (any, multicast or broadcast)", FALSE;
  if (host_is_loopback (host) && !peer_is_loopback (peer))
    return *why = "a loopback address from a peer on another machine", FALSE;
  *normal = g_steal_pointer (&text);
  return TRUE;
}

static void
add_unique (GPtrArray *list,
            char      *address)
{
  if (g_ptr_array_find_with_equal_func (list, address, g_str_equal, NULL))
    g_free (address);
  else
    g_ptr_array_add (list, address);
}

GPtrArray *
hl_node_read_reach (HlPeer     *peer,
                    JsonObject *obj,
                    gboolean   *ok)
{
  g_autoptr(GPtrArray) reach = g_ptr_array_new_with_free_func (g_free);
  JsonNode *addresses = json_object_get_member (obj, "addresses");
  JsonNode *port_node = json_object_get_member (obj, "port");
  gint64 port = 0;
  guint bad = 0;

  *ok = FALSE;
  if (port_node != NULL)
    {
      if (json_node_get_value_type (port_node) != G_TYPE_INT64 ||
          (port = json_node_get_int (port_node)) < 0 || port > 65535)
        return NULL;
    }
  if (addresses != NULL && (!JSON_NODE_HOLDS_ARRAY (addresses) ||
                            json_array_get_length (json_node_get_array (addresses)) >
                              MAX_ANNOUNCE_ADDRESSES))
    return NULL;
  /* What we see it dial from, on the port it listens on, first: that one
   * is known to route. */
  if (port > 0 && peer->remote_host != NULL)
    {
      g_autofree char *seen = strchr (peer->remote_host, ':')
        ? g_strdup_printf ("ws://[%s]:%" G_GINT64_FORMAT, peer->remote_host, port)
        : g_strdup_printf ("ws://%s:%" G_GINT64_FORMAT, peer->remote_host, port);
      char *normal = hl_sync_normalize_address (seen, NULL);

      if (normal != NULL)
        add_unique (reach, normal);
    }
  for (guint i = 0; addresses != NULL && i < json_array_get_length (json_node_get_array (addresses)); i++)
    {
      const char *why = NULL;
      char *normal = NULL;

      if (hl_node_check_address (peer, json_array_get_element (json_node_get_array (addresses), i),
                                 &normal, &why))
        add_unique (reach, normal);
      else if (bad++ < MAX_BAD_PER_MESSAGE)
        hl_peer_offence (peer, 2, "announce: %s", why);
    }
  *ok = TRUE;
  return g_steal_pointer (&reach);
}

void
hl_node_add_reach (HlNode      *self,
                   HlPeer      *peer,
                   JsonBuilder *b)
{
  /* Loopback addresses only make sense to a peer on this machine. */
  g_autoptr(GPtrArray) own = hl_node_dup_reachable (self, peer_is_loopback (peer));
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, self->server != NULL ? self->port : 0);
  json_builder_set_member_name (b, "addresses");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->advertise->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (self->advertise, i));
  for (guint i = 0; i < own->len; i++)
    if (!g_ptr_array_find_with_equal_func (all, g_ptr_array_index (own, i), g_str_equal, NULL))
      g_ptr_array_add (all, g_ptr_array_index (own, i));
  for (guint i = 0; i < all->len && i < MAX_ANNOUNCE_ADDRESSES; i++)
    json_builder_add_string_value (b, g_ptr_array_index (all, i));
  json_builder_end_array (b);
}

/* ---- sending ---- */

static void
send_announce (HlNode *self,
               HlPeer *peer)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "announce");
  hl_node_add_reach (self, peer, b);
  json_builder_end_object (b);
  hl_peer_send_json (peer, b);
  peer->last_announce = g_get_monotonic_time ();
}

static void
add_entry (JsonBuilder *b,
           const char  *key_hex,
           GPtrArray   *addresses)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "node");
  json_builder_add_string_value (b, key_hex);
  json_builder_set_member_name (b, "addresses");
  json_builder_begin_array (b);
  for (guint i = 0; i < addresses->len && i < MAX_ENTRY_ADDRESSES; i++)
    json_builder_add_string_value (b, g_ptr_array_index (addresses, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* What this node passes on: for each other ready peer, the address we
 * dialled it at (proven to work) and the ones it announced to us. */
static GPtrArray *
exchange_addresses (HlPeer *peer,
                    HlPeer *to)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  gboolean to_loopback = peer_is_loopback (to);

  if (peer->outbound)
    add_unique (list, g_strdup (peer->address));
  for (guint i = 0; peer->reach != NULL && i < peer->reach->len; i++)
    add_unique (list, g_strdup (g_ptr_array_index (peer->reach, i)));
  for (guint i = list->len; i-- > 0;)
    {
      g_autofree char *host = address_host (g_ptr_array_index (list, i));

      if (host_is_loopback (host) && !to_loopback)
        g_ptr_array_remove_index (list, i);
    }
  return list;
}

static void
send_peers (HlNode *self,
            HlPeer *to)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  guint n = 0;

  to->last_exchange = g_get_monotonic_time ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "peers");
  json_builder_set_member_name (b, "peers");
  json_builder_begin_array (b);
  for (guint i = 0; i < peers->len && n < MAX_EXCHANGE_LIST; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);
      g_autoptr(GPtrArray) addresses = NULL;

      if (peer == to || peer->state != HL_PEER_READY || peer->their_key_hex == NULL ||
          g_strcmp0 (peer->their_key_hex, to->their_key_hex) == 0)
        continue;
      addresses = exchange_addresses (peer, to);
      if (addresses->len == 0)
        continue;
      add_entry (b, peer->their_key_hex, addresses);
      n++;
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (n > 0)
    hl_peer_send_json (to, b);
}

static void
send_registry (HlNode *self,
               HlPeer *to)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GList) entries = g_hash_table_get_values (self->registry);
  guint n = 0;

  to->sent_registry = TRUE;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "registry");
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (GList *l = entries; l != NULL && n < MAX_REGISTRY_LIST; l = l->next)
    {
      HlRegistryEntry *entry = l->data;

      if (g_strcmp0 (entry->key_hex, to->their_key_hex) == 0)
        continue;
      add_entry (b, entry->key_hex, entry->addresses);
      n++;
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  hl_peer_send_json (to, b);
}

/* joined (with @entry) or left (@entry NULL, @key_hex) to every
 * registered node but the one concerned. */
static void
push_change (HlNode          *self,
             const char      *key_hex,
             HlRegistryEntry *entry)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);

  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);
      g_autoptr(JsonBuilder) b = NULL;

      if (peer->state != HL_PEER_READY || !peer->sent_registry ||
          g_strcmp0 (peer->their_key_hex, key_hex) == 0)
        continue;
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, entry ? "joined" : "left");
      json_builder_set_member_name (b, "node");
      json_builder_add_string_value (b, key_hex);
      if (entry != NULL)
        {
          json_builder_set_member_name (b, "addresses");
          json_builder_begin_array (b);
          for (guint a = 0; a < entry->addresses->len && a < MAX_ENTRY_ADDRESSES; a++)
            json_builder_add_string_value (b, g_ptr_array_index (entry->addresses, a));
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      hl_peer_send_json (peer, b);
    }
}

/* ---- the bootstrap node's registry ---- */

static gboolean
same_addresses (GPtrArray *a,
                GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (strcmp (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

static void
registry_remove (HlNode     *self,
                 const char *key_hex,
                 const char *why)
{
  g_autofree char *key = g_strdup (key_hex);

  if (!g_hash_table_remove (self->registry, key))
    return;
  g_message ("Registry: node %.16s… left (%s); %u nodes listed", key, why,
             g_hash_table_size (self->registry));
  push_change (self, key, NULL);
}

static void
registry_announce (HlNode *self,
                   HlPeer *peer)
{
  HlRegistryEntry *entry = g_hash_table_lookup (self->registry, peer->their_key_hex);
  gboolean changed = FALSE;

  if (peer->reach->len == 0)
    {
      /* It cannot be dialled: it may use the list, nobody can use it. */
      if (entry != NULL)
        registry_remove (self, peer->their_key_hex, "no longer reachable");
    }
  else if (entry == NULL && g_hash_table_size (self->registry) >= MAX_REGISTRY)
    g_warning ("Registry: full (%d nodes); node %.16s… is not listed", MAX_REGISTRY,
               peer->their_key_hex);
  else
    {
      if (entry == NULL)
        {
          entry = g_new0 (HlRegistryEntry, 1);
          entry->key_hex = g_strdup (peer->their_key_hex);
          entry->addresses = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (self->registry, entry->key_hex, entry);
          changed = TRUE;
        }
      changed |= !same_addresses (entry->addresses, peer->reach);
      g_ptr_array_set_size (entry->addresses, 0);
      for (guint i = 0; i < peer->reach->len; i++)
        g_ptr_array_add (entry->addresses, g_strdup (g_ptr_array_index (peer->reach, i)));
      entry->peer_id = peer->id;
      entry->refreshed = g_get_monotonic_time ();
      if (changed)
        {
          g_message ("Registry: node %.16s… at %s; %u nodes listed", entry->key_hex,
                     (char *) g_ptr_array_index (entry->addresses, 0),
                     g_hash_table_size (self->registry));
          push_change (self, entry->key_hex, entry);
        }
    }
  if (!peer->sent_registry)
    send_registry (self, peer);
}

/* ---- receiving ---- */

static void
handle_announce (HlNode     *self,
                 HlPeer     *peer,
                 JsonObject *obj)
{
  gboolean ok;
  GPtrArray *reach = hl_node_read_reach (peer, obj, &ok);

  if (!ok)
    {
      hl_peer_offence (peer, 10, "an announce with a malformed port or more than %d addresses",
                       MAX_ANNOUNCE_ADDRESSES);
      return;
    }
  g_clear_pointer (&peer->reach, g_ptr_array_unref);
  peer->reach = reach;
  peer->announced = TRUE;
  if (self->is_bootstrap && peer->state == HL_PEER_READY)
    registry_announce (self, peer);
}

/* Offers the node one list entry names. FALSE: the entry is malformed. */
static gboolean
offer_entry (HlNode      *self,
             HlPeer      *peer,
             JsonNode    *item,
             HlPeerFound  found,
             guint       *bad)
{
  JsonObject *entry = item && JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
  JsonNode *node = entry ? json_object_get_member (entry, "node") : NULL;
  JsonNode *addresses = entry ? json_object_get_member (entry, "addresses") : NULL;
  const char *key;
  guint8 raw[HL_KEY_LEN];
  JsonArray *array;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      !hl_hex_decode (key = json_node_get_string (node), raw, HL_KEY_LEN) ||
      addresses == NULL || !JSON_NODE_HOLDS_ARRAY (addresses) ||
      json_array_get_length (array = json_node_get_array (addresses)) > MAX_ENTRY_ADDRESSES)
    return FALSE;
  /* Never ourselves, and not the teller: we are connected to it already. */
  if (g_ascii_strcasecmp (key, self->key_hex) == 0 ||
      g_ascii_strcasecmp (key, peer->their_key_hex) == 0)
    return TRUE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *normal = NULL;
      g_autofree char *key_hex = g_ascii_strdown (key, -1);
      HlPeerHints hints = { .via = peer->their_key_hex, .key_hex = key_hex };
      const char *why = NULL;

      if (!hl_node_check_address (peer, json_array_get_element (array, i), &normal, &why))
        {
          if ((*bad)++ < MAX_BAD_PER_MESSAGE)
            hl_peer_offence (peer, 2, "a peer list entry with %s", why);
          continue;
        }
      if (hl_node_find_target (self, normal) == NULL && self->targets->len >= MAX_DISCOVERED)
        {
          g_message ("Not dialling %s: %d peers known already", normal, MAX_DISCOVERED);
          continue;
        }
      hl_node_offer_peer (self, normal, found, &hints, NULL);
    }
  return TRUE;
}

static void
handle_list (HlNode      *self,
             HlPeer      *peer,
             const char  *type,
             JsonNode    *list,
             guint        max,
             HlPeerFound  found)
{
  JsonArray *array;
  guint bad = 0;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      hl_peer_offence (peer, 5, "a %s message without its list", type);
      return;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) > max)
    {
      hl_peer_offence (peer, 10, "a %s message of %u nodes (limit %u)", type,
                       json_array_get_length (array), max);
      return;
    }
  for (guint i = 0; i < json_array_get_length (array) && peer->state == HL_PEER_READY; i++)
    if (!offer_entry (self, peer, json_array_get_element (array, i), found, &bad) &&
        bad++ < MAX_BAD_PER_MESSAGE)
      hl_peer_offence (peer, 2, "a malformed entry in a %s message", type);
}

/* A node left the bootstrap node: stop dialling it unless someone else
 * told us of it or it is connected (it may only have lost the bootstrap). */
static void
handle_left (HlNode     *self,
             HlPeer     *peer,
             JsonObject *obj)
{
  JsonNode *node = json_object_get_member (obj, "node");
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  guint8 raw[HL_KEY_LEN];
  const char *key;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      !hl_hex_decode (key = json_node_get_string (node), raw, HL_KEY_LEN))
    {
      hl_peer_offence (peer, 5, "a left message without a node key");
      return;
    }
  g_message ("Bootstrap node %.16s… says node %.16s… left", peer->their_key_hex, key);
  if (hl_node_peer_by_key (self, key) != NULL)
    return;
  for (guint i = 0; i < self->targets->len; i++)
    {
      HlTarget *target = g_ptr_array_index (self->targets, i);

      if ((target->found & HL_PEER_FOUND_BOOTSTRAP) && g_ascii_strcasecmp (target->key_hex ? target->key_hex : "", key) == 0)
        g_ptr_array_add (gone, g_strdup (target->address));
    }
  for (guint i = 0; i < gone->len; i++)
    hl_node_withdraw_peer (self, g_ptr_array_index (gone, i), HL_PEER_FOUND_BOOTSTRAP);
}

gboolean
hl_node_handle_discovery (HlNode     *self,
                          HlPeer     *peer,
                          const char *type,
                          JsonObject *obj)
{
  gboolean from_registry = (peer->caps & HL_CAP_REGISTRY) != 0;

  if (strcmp (type, "announce") == 0)
    handle_announce (self, peer, obj);
  else if (strcmp (type, "peers") == 0 && (peer->caps & HL_CAP_PEX))
    handle_list (self, peer, type, json_object_get_member (obj, "peers"), MAX_EXCHANGE_LIST,
                 HL_PEER_FOUND_EXCHANGE);
  else if (strcmp (type, "registry") == 0 && from_registry)
    handle_list (self, peer, type, json_object_get_member (obj, "nodes"), MAX_REGISTRY_LIST,
                 HL_PEER_FOUND_BOOTSTRAP);
  else if (strcmp (type, "joined") == 0 && from_registry)
    {
      guint bad = 0;
      g_autoptr(JsonNode) item = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (item, obj);
      if (!offer_entry (self, peer, item, HL_PEER_FOUND_BOOTSTRAP, &bad))
        hl_peer_offence (peer, 5, "a malformed joined message");
    }
  else if (strcmp (type, "left") == 0 && from_registry)
    handle_left (self, peer, obj);
  else
    return FALSE;
  return TRUE;
}

/* ---- remembered across restarts ---- */

/* A discovered peer answered with the key expected: keep it, so that a
 * restart while the bootstrap node is down still finds the group. */
static void
remember (HlNode   *self,
          HlTarget *target,
          HlPeer   *peer)
{
  g_autoptr(GError) error = NULL;
  guint found = target->found & (HL_PEER_FOUND_BOOTSTRAP | HL_PEER_FOUND_EXCHANGE);

  if (found == 0 || !peer->outbound)
    return;
  if (!hl_store_known_peer_seen (self->store, target->address, peer->their_key_hex, found,
                                 target->via, KNOWN_KEEP, &error))
    g_warning ("Cannot remember peer %s: %s", target->address, error->message);
}

void
hl_node_discovery_load (HlNode *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) known =
    hl_store_known_peers_list (self->store, hl_now_ms () - KNOWN_DAYS * 24 * 3600 * (gint64) 1000,
                               &error);

  if (known == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  for (guint i = 0; i < known->len; i++)
    {
      HlKnownPeer *peer = g_ptr_array_index (known, i);
      HlPeerHints hints = { .via = peer->via, .key_hex = peer->node };

      if (g_strcmp0 (peer->node, self->key_hex) != 0)
        hl_node_offer_peer (self, peer->address, peer->found, &hints, NULL);
    }
}

/* ---- the connection's life ---- */

void
hl_node_discovery_ready (HlNode *self,
                         HlPeer *peer)
{
  HlTarget *target = hl_node_target_for_peer (self, peer);

  if (peer->state != HL_PEER_READY)
    return;
  if (target != NULL)
    remember (self, target, peer);
  if (target != NULL && (target->bootstrap_cli || target->bootstrap_db) &&
      !(peer->caps & HL_CAP_REGISTRY))
    g_message ("%s was given as a bootstrap node, but it keeps no registry (run it with "
               "“hyperlinkd --bootstrap”); it is an ordinary peer", peer->address);
  if (peer->caps & (HL_CAP_PEX | HL_CAP_REGISTRY))
    send_announce (self, peer);
  if (peer->caps & HL_CAP_PEX)
    send_peers (self, peer);
}

void
hl_node_discovery_closed (HlNode *self,
                          HlPeer *peer)
{
  HlRegistryEntry *entry;

  if (!self->is_bootstrap || peer->their_key_hex == NULL || self->registry == NULL)
    return;
  entry = g_hash_table_lookup (self->registry, peer->their_key_hex);
  if (entry != NULL && entry->peer_id == peer->id)
    registry_remove (self, peer->their_key_hex, "disconnected");
}

void
hl_node_discovery_tick (HlNode *self,
                        gint64  now)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  g_autoptr(GPtrArray) silent = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  /* A node that keeps its connection but stops announcing is gone too. */
  g_hash_table_iter_init (&iter, self->registry);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now - ((HlRegistryEntry *) value)->refreshed > self->registry_ttl_ms * 1000)
      g_ptr_array_add (silent, g_strdup (((HlRegistryEntry *) value)->key_hex));
  for (guint i = 0; i < silent->len; i++)
    registry_remove (self, g_ptr_array_index (silent, i), "silent for longer than its TTL");

  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      if (peer->state != HL_PEER_READY)
        continue;
      if ((peer->caps & (HL_CAP_PEX | HL_CAP_REGISTRY)) &&
          now - peer->last_announce >= self->announce_interval_ms * 1000)
        send_announce (self, peer);
      if ((peer->caps & HL_CAP_PEX) && now - peer->last_exchange >= self->exchange_interval_ms * 1000)
        send_peers (self, peer);
    }
}
