/* hl-node-status.c: DATA_DIR/sync-status.json, which `hyperlinkctl status`
 * and the window read. Written atomically, at most once a second, and only
 * when something in it changed.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"
#include "hl-node-archive.h"

#include <unistd.h>

#include "hl-json.h"
#include "hl-sync-lock.h"

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* How the peer was found and what the tailnet says of it. */
static void
add_discovery (JsonBuilder    *b,
               const HlTarget *target,
               const HlPeer   *peer)
{
  HlPeerFound found = 0;
  g_autofree char *names = NULL;

  if (target != NULL)
    found = target->found | (target->from_cli || target->from_db || target->bootstrap_cli ||
                             target->bootstrap_db ? HL_PEER_FOUND_MANUAL : 0);
  names = hl_peer_found_to_string (found);
  hl_json_add_string (b, "found", target == NULL ? "inbound" : names);
  hl_json_add_string (b, "via", target ? target->via : NULL);
  hl_json_add_string (b, "dns_name", target ? target->dns_name : NULL);
  hl_json_add_string (b, "tailnet_user",
                      peer && peer->tailnet_user ? peer->tailnet_user
                                                 : target ? target->tailnet_user : NULL);
  hl_json_add_string (b, "machine",
                      peer && peer->machine ? peer->machine : target ? target->machine : NULL);
  hl_json_add_string (b, "path", target ? target->path : NULL);
  json_builder_set_member_name (b, "bootstrap");
  json_builder_add_boolean_value (b, (peer != NULL && (peer->caps & HL_CAP_REGISTRY)) ||
                                     (target != NULL && (target->bootstrap_cli || target->bootstrap_db)));
}

static void
add_peer (JsonBuilder    *b,
          HlPeer         *peer,
          const HlTarget *target,
          const char     *error)
{
  const char *address = target ? target->address : NULL;

  json_builder_begin_object (b);
  add_discovery (b, target, peer);
  hl_json_add_string (b, "address", address ? address : peer->address);
  hl_json_add_string (b, "node", peer->their_key_hex);
  hl_json_add_string (b, "direction", peer->outbound ? "outbound" : "inbound");
  json_builder_set_member_name (b, "connected");
  json_builder_add_boolean_value (b, hl_peer_is_ready (peer));
  hl_json_add_string (b, "state",
                      peer->closing ? "closing" :
                      peer->state == HL_PEER_HANDSHAKE ? "connecting" : hl_peer_sync_state (peer));
  add_int (b, "last_seen_ms", peer->last_seen_ms);
  add_int (b, "events_sent", (gint64) peer->events_sent);
  add_int (b, "events_received", (gint64) peer->events_received);
  add_int (b, "bytes_sent", (gint64) peer->bytes_sent);
  add_int (b, "bytes_received", (gint64) peer->bytes_received);
  hl_peer_archive_add_status (peer, b);
  add_int (b, "queued", g_queue_get_length (peer->queue));
  add_int (b, "recon_frames", (gint64) peer->recon_frames);
  hl_json_add_string (b, "error", error);
  json_builder_end_object (b);
}

static void
add_offline (JsonBuilder    *b,
             const HlTarget *target,
             const char     *address,
             const char     *key_hex,
             const char     *direction,
             const char     *state,
             gint64          last_seen_ms,
             const char     *error)
{
  json_builder_begin_object (b);
  add_discovery (b, target, NULL);
  hl_json_add_string (b, "address", address);
  hl_json_add_string (b, "node", key_hex);
  hl_json_add_string (b, "direction", direction);
  json_builder_set_member_name (b, "connected");
  json_builder_add_boolean_value (b, FALSE);
  hl_json_add_string (b, "state", state);
  add_int (b, "last_seen_ms", last_seen_ms);
  add_int (b, "events_sent", 0);
  add_int (b, "events_received", 0);
  add_int (b, "bytes_sent", 0);
  add_int (b, "bytes_received", 0);
  add_int (b, "queued", 0);
  hl_json_add_string (b, "error", error);
  json_builder_end_object (b);
}

/* The connection that survived between two nodes may be the one the other
 * dialled: show it on the row of the address we know them by. */
static HlPeer *
inbound_twin (GPtrArray  *peers,
              const char *key_hex)
{
  for (guint i = 0; key_hex != NULL && i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      if (!peer->outbound && hl_peer_is_ready (peer) && g_strcmp0 (peer->their_key_hex, key_hex) == 0)
        return peer;
    }
  return NULL;
}

/* A tailnet machine that refuses the TCP connection and never answered as a
 * node is not broken, it just does not run Hyperlink. */
static gboolean
lacks_hyperlink (const HlTarget *target)
{
  return (target->found & HL_PEER_FOUND_TAILNET) && target->key_hex == NULL && target->refused;
}

/* The node itself: who, since when, where it listens, how much it holds. */
static void
add_node_members (JsonBuilder *b,
                  HlNode      *self,
                  gboolean     final)
{
  hl_json_add_string (b, "node", self->key_hex);
  add_int (b, "pid", final ? 0 : getpid ());
  json_builder_set_member_name (b, "running");
  json_builder_add_boolean_value (b, !final);
  hl_node_add_listen_status (self, b);
  add_int (b, "started_ms", self->started_ms);
  hl_sync_set_seal (self->set);
  add_int (b, "events", hl_sync_set_size (self->set));
  json_builder_set_member_name (b, "bootstrap");
  json_builder_add_boolean_value (b, self->is_bootstrap);
  if (self->is_bootstrap)
    add_int (b, "registry", g_hash_table_size (self->registry));
}

/* What the peers rows add up to, for "totals". */
typedef struct
{
  guint    connected;
  gboolean all_in_sync;
} PeerTally;

static void
tally_peer (PeerTally *tally,
            HlPeer    *peer)
{
  if (hl_peer_is_ready (peer))
    tally->connected++;
  if (!hl_peer_is_ready (peer) || strcmp (hl_peer_sync_state (peer), "in sync") != 0)
    tally->all_in_sync = FALSE;
}

/* One row per target (the addresses we dial), then the peers that dialled
 * us and are no target's, then those that were here and left. */
static void
add_peers (JsonBuilder *b,
           HlNode      *self,
           GPtrArray   *peers,
           gboolean     final,
           PeerTally   *tally)
{
  g_autoptr(GHashTable) twins = g_hash_table_new (NULL, NULL);   /* inbound peers shown on a target's row */
  GHashTableIter iter;
  gpointer value;

  json_builder_set_member_name (b, "peers");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->targets->len; i++)
    {
      HlTarget *target = g_ptr_array_index (self->targets, i);
      HlPeer *twin = final || target->peer != NULL ? NULL : inbound_twin (peers, target->key_hex);

      if (twin != NULL && !g_hash_table_contains (twins, twin))
        {
          g_hash_table_add (twins, twin);
          add_peer (b, twin, target, NULL);
          tally_peer (tally, twin);
        }
      else if (!final && target->peer != NULL && target->peer->state != HL_PEER_CLOSED)
        {
          add_peer (b, target->peer, target, target->last_error);
          tally_peer (tally, target->peer);
        }
      else if (!target->is_self && lacks_hyperlink (target))
        add_offline (b, target, target->address, NULL, "outbound", "no hyperlink", 0,
                     "the machine is on the tailnet, but nothing answers on this port: "
                     "Hyperlink is not running there");
      else
        add_offline (b, target, target->address, target->key_hex, "outbound",
                     target->is_self ? "self" : "offline", target->last_seen_ms, target->last_error);
    }
  for (guint i = 0; !final && i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);
      gboolean is_target = FALSE;

      for (guint t = 0; t < self->targets->len; t++)
        is_target |= ((HlTarget *) g_ptr_array_index (self->targets, t))->peer == peer;
      if (is_target || peer->outbound || !hl_peer_is_ready (peer) ||
          g_hash_table_contains (twins, peer))
        continue;
      add_peer (b, peer, NULL, NULL);
      tally_peer (tally, peer);
    }
  g_hash_table_iter_init (&iter, self->past);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      HlPastPeer *past = value;
      gboolean now_connected = FALSE;

      for (guint i = 0; i < peers->len; i++)
        {
          HlPeer *peer = g_ptr_array_index (peers, i);
          now_connected |= hl_peer_is_ready (peer) &&
                           g_strcmp0 (peer->their_key_hex, past->key_hex) == 0;
        }
      if (!now_connected || final)
        add_offline (b, NULL, past->address, past->key_hex, "inbound", "offline",
                     past->last_seen_ms, NULL);
    }
  json_builder_end_array (b);
}

static void
add_totals (JsonBuilder     *b,
            HlNode          *self,
            const PeerTally *tally,
            gboolean         final)
{
  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  add_int (b, "connected", tally->connected);
  json_builder_set_member_name (b, "in_sync");
  json_builder_add_boolean_value (b, tally->all_in_sync && !final);
  add_int (b, "events_sent", (gint64) self->totals_events_sent);
  add_int (b, "events_received", (gint64) self->totals_events_received);
  add_int (b, "events_refused", (gint64) self->refused_events);
  add_int (b, "bytes_sent", (gint64) self->totals_bytes_sent);
  add_int (b, "bytes_received", (gint64) self->totals_bytes_received);
  json_builder_end_object (b);
}

void
hl_node_write_status (HlNode   *self,
                      gboolean  final)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = hl_sync_status_path (self->data_dir);
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *admission = hl_node_admission_describe (self);
  PeerTally tally = { 0, TRUE };

  json_builder_begin_object (b);
  /* First, and 0 until the document is known to have changed. */
  add_int (b, "updated_ms", 0);
  add_node_members (b, self, final);
  add_peers (b, self, peers, final, &tally);
  add_totals (b, self, &tally, final);
  hl_tailnet_add_status (self->tailnet, admission, b);
  hl_node_add_refusals_status (self, b);
  hl_node_restore_add_status (self, b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  body = json_to_string (root, TRUE);
  if (g_strcmp0 (body, self->last_status) == 0)
    return;
  g_free (self->last_status);
  self->last_status = g_steal_pointer (&body);
  /* Replacing a member keeps its place. */
  json_object_set_int_member (json_node_get_object (root), "updated_ms", hl_now_ms ());
  text = json_to_string (root, TRUE);
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Cannot write the status file: %s", error->message);
  g_signal_emit_by_name (self, "status-changed", text);
}
