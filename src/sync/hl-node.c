/* hl-node.c: the node's connections: the server, handshakes' outcome (self,
 * duplicates, bans), and the periodic tick. Where it listens is in
 * hl-node-listen.c, accepting in hl-listener.c, dialling in
 * hl-node-targets.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"
#include "hl-node-archive.h"

#include "hl-paths.h"
#include "hl-store-privnet.h"
#include "hl-sync-error.h"

#define MAX_HANDSHAKING    32
/* Admitted connections are limited in hl-node-admission.c; this bounds what
 * the table holds besides, closing ones included. */
#define MAX_CONNECTIONS    (HL_SYNC_MAX_PEERS + MAX_HANDSHAKING)
#define POLL_INTERVAL_MS   100
#define WATCHED_POLL_INTERVAL_MS 1000
#define MAX_PAST_PEERS     64
#define RECON_MAX_WAIT_US  (600 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (HlNode, hl_node, G_TYPE_OBJECT)

enum {
  STATUS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const protocols[] = { HL_SYNC_SUBPROTOCOL, NULL };

static void
past_peer_free (HlPastPeer *past)
{
  g_free (past->address);
  g_free (past->key_hex);
  g_free (past);
}

static void
hl_node_dispose (GObject *object)
{
  HlNode *self = HL_NODE (object);

  hl_node_stop (self);
  g_clear_object (&self->tailnet);
  hl_node_admission_free (self);
  hl_node_discovery_free (self);
  g_clear_pointer (&self->verifier, hl_verifier_free);
  g_clear_pointer (&self->peers, g_hash_table_unref);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_object (&self->listener);
  g_clear_object (&self->server);
  G_OBJECT_CLASS (hl_node_parent_class)->dispose (object);
}

static void
hl_node_finalize (GObject *object)
{
  HlNode *self = HL_NODE (object);

  hl_node_archive_free (self);
  g_clear_pointer (&self->set, hl_sync_set_free);
  hl_node_zones_free (self);
  g_clear_pointer (&self->apply_events, g_ptr_array_unref);
  g_clear_pointer (&self->apply_from, g_array_unref);
  g_clear_pointer (&self->apply_frames, g_array_unref);
  g_clear_pointer (&self->past, g_hash_table_unref);
  g_clear_pointer (&self->bans, g_hash_table_unref);
  g_clear_pointer (&self->delivery, hl_delivery_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->identity, hl_identity_free);
  g_free (self->data_dir);
  g_free (self->key_hex);
  g_strfreev (self->tailnet_ips);
  g_free (self->tailnet_name);
  g_clear_pointer (&self->listen_failed, g_hash_table_unref);
  g_free (self->last_status);
  G_OBJECT_CLASS (hl_node_parent_class)->finalize (object);
}

static void
hl_node_class_init (HlNodeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_node_dispose;
  G_OBJECT_CLASS (klass)->finalize = hl_node_finalize;

  /* The status document (sync-status.json) changed; emitted on the node's
   * thread with its new text. */
  signals[STATUS_CHANGED] = g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
}

static gint64
env_ms (const char *name,
        gint64      fallback)
{
  const char *value = g_getenv (name);
  gint64 v;

  if (value == NULL || *value == '\0')
    return fallback;
  v = g_ascii_strtoll (value, NULL, 10);
  return v > 0 ? v : fallback;
}

static void
hl_node_init (HlNode *self)
{
  self->peers = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
  self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_target_free);
  self->past = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) past_peer_free);
  self->bans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->set = hl_sync_set_new ();
  self->watch_fd = -1;
  self->delivery = hl_delivery_new ();
  self->apply_events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  self->apply_from = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->apply_frames = g_array_new (FALSE, FALSE, sizeof (ApplyFrame));
  self->listen_failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->next_peer_id = 1;
  hl_recon_params_default (&self->recon);
  /* Knobs for tests and operators; the defaults suit the Internet. */
  self->recon_interval_ms = env_ms ("HYPERLINK_SYNC_RECON_MS", 60000);
  self->ping_interval_ms = env_ms ("HYPERLINK_SYNC_PING_MS", 15000);
  self->max_backoff_ms = env_ms ("HYPERLINK_SYNC_MAX_BACKOFF_MS", 60000);
  self->ban_ms = env_ms ("HYPERLINK_SYNC_BAN_MS", 10 * 60 * 1000);
  self->status_interval_ms = env_ms ("HYPERLINK_SYNC_STATUS_MS", 1000);
  /* Messages a second per peer, bursts of four seconds' worth. */
  self->rate_per_s = env_ms ("HYPERLINK_SYNC_RATE", 1000);
  /* Only tests lower it: the flow-control window keeps honest peers below. */
  self->max_unsent = env_ms ("HYPERLINK_SYNC_MAX_UNSENT", HL_SYNC_MAX_UNSENT);
  hl_node_discovery_init (self);
  hl_node_admission_init (self);
}

HlNode *
hl_node_new (const char  *data_dir,
             GError     **error)
{
  g_autoptr(HlNode) self = g_object_new (HL_TYPE_NODE, NULL);
  g_autofree char *db = hl_paths_database (data_dir);
  g_autofree char *key = hl_paths_identity (data_dir);

  self->data_dir = g_strdup (data_dir);
  if (!(self->store = hl_store_open (db, error)) ||
      !(self->identity = hl_identity_load_or_create (key, NULL, error)))
    return NULL;
  hl_store_set_identity (self->store, self->identity);
  self->key_hex = hl_identity_dup_public_hex (self->identity);
  hl_node_archive_init (self);
  return g_steal_pointer (&self);
}

HlStore *
hl_node_get_store (HlNode *self)
{
  return self->store;
}

HlIdentity *
hl_node_get_identity (HlNode *self)
{
  return self->identity;
}

const char *
hl_node_get_key_hex (HlNode *self)
{
  return self->key_hex;
}

guint16
hl_node_get_port (HlNode *self)
{
  return self->port;
}

GPtrArray *
hl_node_list_peers (HlNode *self)
{
  GPtrArray *peers = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (peers, g_object_ref (value));
  return peers;
}

/* ---- bans ---- */

gboolean
hl_node_is_banned (HlNode     *self,
                   const char *what)
{
  gint64 *until = what ? g_hash_table_lookup (self->bans, what) : NULL;

  if (until == NULL)
    return FALSE;
  if (g_get_monotonic_time () < *until)
    return TRUE;
  g_hash_table_remove (self->bans, what);
  return FALSE;
}

void
hl_node_ban (HlNode *self,
             HlPeer *peer)
{
  gint64 until = g_get_monotonic_time () + self->ban_ms * 1000;

  if (peer->their_key_hex != NULL)
    g_hash_table_replace (self->bans, g_strdup (peer->their_key_hex), g_memdup2 (&until, sizeof until));
  /* Keys cost nothing to make, so ban the address too, except on loopback
   * where every local process shares it. */
  if (peer->remote_host != NULL && !hl_sync_host_is_loopback (peer->remote_host))
    g_hash_table_replace (self->bans, g_strdup (peer->remote_host), g_memdup2 (&until, sizeof until));
  g_warning ("Banned %s (node %.16s…) for %" G_GINT64_FORMAT " s", hl_peer_label (peer),
             peer->their_key_hex ? peer->their_key_hex : "unknown", self->ban_ms / 1000);
}

/* Expired bans go, so that the table stays small. */
static void
forget_expired_bans (HlNode *self,
                     gint64  now)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->bans);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now >= *(gint64 *) value)
      g_hash_table_iter_remove (&iter);
}

/* ---- peers ---- */

HlPeer *
hl_node_add_connection (HlNode                  *self,
                        SoupWebsocketConnection *conn,
                        gboolean                 outbound,
                        const char              *address,
                        const char              *remote_host)
{
  guint64 id = self->next_peer_id++;
  HlPeer *peer = hl_peer_new (self, id, conn, outbound, address, remote_host);

  /* We trust whom we dialled; whoever dialled us waits for admission. */
  if (outbound)
    {
      peer->admission = HL_ADMIT_YES;
      peer->admitted_as = HL_ADMITTED_OUTBOUND;
    }
  g_hash_table_insert (self->peers, &peer->id, peer);
  hl_peer_start (peer);
  return peer;
}

void
hl_node_peer_hello (HlNode *self,
                    HlPeer *peer)
{
  HlTarget *target = hl_node_target_for_peer (self, peer);

  if (memcmp (peer->their_key, hl_identity_get_public_key (self->identity), HL_KEY_LEN) == 0)
    {
      /* Our own address under another name: never dial it again. */
      if (target != NULL)
        {
          target->is_self = TRUE;
          g_free (target->last_error);
          target->last_error = g_strdup ("this address leads back to this node");
        }
      hl_peer_close (peer, HL_SYNC_CLOSE_SELF, "connected to itself: this address leads back to "
                                               "the same node");
      return;
    }
  if (hl_node_is_banned (self, peer->their_key_hex))
    {
      const char *reason = "this node banned you for repeated protocol offences; try again later";

      hl_node_note_refusal (self, peer, HL_SYNC_CLOSE_BANNED, reason);
      hl_peer_close (peer, HL_SYNC_CLOSE_BANNED, reason);
      return;
    }
  if (!hl_node_invite_hello (self, peer))
    return;
  if (target != NULL)
    {
      g_free (target->key_hex);
      target->key_hex = g_strdup (peer->their_key_hex);
    }
}

void
hl_node_peer_ready (HlNode *self,
                    HlPeer *peer)
{
  const guint8 *mine = hl_identity_get_public_key (self->identity);
  GHashTableIter iter;
  gpointer value;

  /* The key is proven, whichever connection to it stays. */
  hl_node_admission_ready (self, peer);
  /* Two connections to one node: both ends keep the one dialled by the node
   * with the smaller key; when one node dialled both, it closes the newer. */
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      HlPeer *other = value;
      const guint8 *dialler_new, *dialler_old;

      if (other == peer || !hl_peer_is_ready (other) ||
          memcmp (other->their_key, peer->their_key, HL_KEY_LEN) != 0)
        continue;
      dialler_new = peer->outbound ? mine : peer->their_key;
      dialler_old = other->outbound ? mine : other->their_key;
      if (dialler_new == dialler_old || memcmp (dialler_new, dialler_old, HL_KEY_LEN) == 0)
        {
          if (peer->outbound)
            hl_peer_close (peer, HL_SYNC_CLOSE_DUPLICATE, "already connected to this node");
          return;
        }
      if (memcmp (dialler_new, dialler_old, HL_KEY_LEN) < 0)
        hl_peer_close (other, HL_SYNC_CLOSE_DUPLICATE, "already connected to this node");
      else
        {
          hl_peer_close (peer, HL_SYNC_CLOSE_DUPLICATE, "already connected to this node");
          return;
        }
      break;
    }

  hl_node_target_ready (self, peer);
  /* What we hold now reaches the peer through reconciliation; what comes
   * later, through gossip. A peer let in by redeeming an invite had its
   * exchange dropped while on probation: we open one ourselves. One that is
   * about to redeem an invite with us waits for the answer, since the
   * inviter may drop it (hl-node-invite.c opens it then). */
  hl_node_scan (self);
  peer->gossip_seq = self->seen_seq;
  if ((peer->outbound && !hl_node_invite_redeeming (self, peer)) || peer->was_on_probation)
    hl_node_start_recon (self, peer);
  hl_node_discovery_ready (self, peer);
  hl_node_invite_ready (self, peer);
}

HlPeer *
hl_node_peer_by_key (HlNode     *self,
                     const char *key_hex)
{
  GHashTableIter iter;
  gpointer value;

  if (key_hex == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      HlPeer *peer = value;

      if (hl_peer_is_ready (peer) && g_strcmp0 (peer->their_key_hex, key_hex) == 0)
        return peer;
    }
  return NULL;
}

static gboolean
remove_peer_cb (gpointer user_data)
{
  HlPeer *peer = user_data;
  HlNode *self = peer->node;

  if (self->peers != NULL)
    g_hash_table_remove (self->peers, &peer->id);
  g_object_unref (peer);
  return G_SOURCE_REMOVE;
}

/* Kept for `hyperlinkctl status` after an inbound peer leaves. */
static void
remember_past_peer (HlNode *self,
                    HlPeer *peer)
{
  HlPastPeer *past = g_new0 (HlPastPeer, 1);

  past->address = g_strdup (peer->address);
  past->key_hex = g_strdup (peer->their_key_hex);
  past->last_seen_ms = peer->last_seen_ms;
  past->events_sent = peer->events_sent;
  past->events_received = peer->events_received;
  past->bytes_sent = peer->bytes_sent;
  past->bytes_received = peer->bytes_received;
  g_hash_table_replace (self->past, past->key_hex, past);
  /* Keys cost nothing to make: keep the memory of past peers bounded. */
  if (g_hash_table_size (self->past) > MAX_PAST_PEERS)
    {
      GHashTableIter iter;
      gpointer key, value;
      const char *oldest = NULL;
      gint64 oldest_ms = G_MAXINT64;

      g_hash_table_iter_init (&iter, self->past);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (((HlPastPeer *) value)->last_seen_ms < oldest_ms)
          {
            oldest_ms = ((HlPastPeer *) value)->last_seen_ms;
            oldest = key;
          }
      g_hash_table_remove (self->past, oldest);
    }
}

void
hl_node_peer_closed (HlNode *self,
                     HlPeer *peer)
{
  hl_node_discovery_closed (self, peer);
  /* Only inbound peers are remembered: an outbound one without a target
   * was withdrawn, so it is gone. */
  if (!hl_node_target_closed (self, peer) && !peer->outbound && peer->their_key_hex != NULL &&
      peer->state != HL_PEER_HANDSHAKE)
    remember_past_peer (self, peer);
  hl_node_delivery_peer_gone (self, peer);
  hl_node_archive_peer_closed (self, peer);
  /* Not from inside the connection's own signal. */
  hl_sync_idle_add (G_PRIORITY_DEFAULT_IDLE, remove_peer_cb, g_object_ref (peer));
}

static void
refuse_now (HlNode     *self,
            HlPeer     *peer,
            gushort     code,
            const char *reason)
{
  hl_node_note_refusal (self, peer, code, reason);
  hl_peer_close (peer, code, reason);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  HlNode *self = user_data;
  const char *host = soup_server_message_get_remote_host (msg);
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_autofree char *address = NULL;
  guint handshaking = 0;
  GHashTableIter iter;
  gpointer value;
  HlPeer *peer;

  if (remote != NULL && G_IS_INET_SOCKET_ADDRESS (remote))
    address = hl_sync_join_host_port (host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)));
  else
    address = g_strdup (host ? host : "unknown");

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((HlPeer *) value)->state == HL_PEER_HANDSHAKE)
      handshaking++;

  peer = hl_node_add_connection (self, conn, FALSE, address, host);
  if (self->stopping)
    hl_peer_close (peer, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "the node is shutting down");
  else if (hl_node_is_banned (self, host))
    refuse_now (self, peer, HL_SYNC_CLOSE_BANNED, "this node banned your address for repeated "
                                                  "protocol offences; try again later");
  else if (g_hash_table_size (self->peers) > MAX_CONNECTIONS || handshaking >= MAX_HANDSHAKING)
    refuse_now (self, peer, HL_SYNC_CLOSE_FULL, "this node has as many handshakes under way as "
                                                "it takes; try again in a few seconds");
  else
    hl_node_admission_connected (self, peer);
}

/* A request that is not a Hyperlink WebSocket gets a sentence, not a 404,
 * and the connection ends with the answer (docs/protocol.md, "Transport"). */
static void
on_early_request (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *offered = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  g_autofree char *reason = NULL;

  if (offered == NULL || *offered == '\0')
    reason = g_strdup ("Not a Hyperlink sync connection: offer the WebSocket subprotocol "
                       HL_SYNC_SUBPROTOCOL);
  else if (!soup_header_contains (offered, HL_SYNC_SUBPROTOCOL))
    reason = g_strdup_printf ("Incompatible Hyperlink sync protocol: this node speaks %s, you "
                              "offered %.60s; update the older node", HL_SYNC_SUBPROTOCOL, offered);
  if (reason == NULL)
    return;
  soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, reason);
  /* The server has no listener of its own, so libsoup ends the connection
   * after any answer that is not an upgrade; this says so to the client. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, reason, strlen (reason));
}

void
hl_node_ensure_server (HlNode *self)
{
  if (self->server != NULL)
    return;
  self->server = soup_server_new ("server-header", "hyperlinkd/" PACKAGE_VERSION, NULL);
  /* No extension is agreed: with permessage-deflate a small frame inflates
   * to any size before a limit can see it. */
  soup_server_remove_websocket_extension (self->server, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  soup_server_add_early_handler (self->server, NULL, on_early_request, self, NULL);
  soup_server_add_websocket_handler (self->server, NULL, NULL, (char **) protocols,
                                     on_websocket, self, NULL);
  self->listener = hl_listener_new (self->server);
}

void
hl_node_set_tailscale (HlNode     *self,
                       const char *socket_path,
                       const char *tag,
                       guint16     port)
{
  g_return_if_fail (!self->running);
  g_clear_object (&self->tailnet);
  self->tailnet = hl_tailnet_new (self, socket_path, tag, port);
}

void
hl_node_set_allow_any_network (HlNode   *self,
                               gboolean  allow)
{
  g_return_if_fail (!self->running);
  self->allow_any_network = allow;
}

void
hl_node_set_bootstrap (HlNode   *self,
                       gboolean  bootstrap)
{
  self->is_bootstrap = bootstrap;
}

gboolean
hl_node_advertise_address (HlNode      *self,
                           const char  *address,
                           GError     **error)
{
  g_autofree char *normal = hl_sync_normalize_address (address, error);

  if (normal == NULL)
    return FALSE;
  if (!g_ptr_array_find_with_equal_func (self->advertise, normal, g_str_equal, NULL))
    g_ptr_array_add (self->advertise, g_steal_pointer (&normal));
  return TRUE;
}

gboolean
hl_node_peer_streams_to_us (HlPeer *peer,
                            gint64  now,
                            gint64  quiet_us)
{
  return peer->ev_recv != peer->ev_done || now - peer->events_recv_at < quiet_us ||
         peer->want_next < peer->want_backlog->len;
}

/* While a peer streams events to us (a fresh node's first sync, a long
 * absence), an exchange would find every event still on its way missing and
 * ask for each again; while ids found missing wait to be asked for, it would
 * find them again. It waits until both are over, for a while at most. */
static gboolean
recon_may_wait (HlNode *self,
                HlPeer *peer,
                gint64  now)
{
  /* Under load the stream can pause for seconds between windows. */
  gint64 quiet = MAX (HL_SYNC_STREAM_QUIET_US, self->recon_interval_ms * 1000 / 2);

  return hl_node_peer_streams_to_us (peer, now, quiet) &&
         now - peer->recon_ended < RECON_MAX_WAIT_US;
}

static gboolean
tick (gpointer user_data)
{
  HlNode *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) peers = NULL;

  /* First, so that a probation past its deadline ends with the reason. */
  hl_node_admission_tick (self, now);
  peers = hl_node_list_peers (self);
  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      hl_peer_tick (peer, now);
      if (peer->state != HL_PEER_READY)
        continue;
      if (peer->recon_mine && now - peer->recon_started > 120 * G_USEC_PER_SEC)
        peer->recon_mine = FALSE;   /* the peer never finished: start afresh */
      if (!peer->recon_mine && !recon_may_wait (self, peer, now) &&
          (peer->recon_again ||
           (peer->outbound && now - peer->recon_ended > self->recon_interval_ms * 1000 &&
            !hl_node_invite_redeeming (self, peer))))
        hl_node_start_recon (self, peer);
    }

  hl_node_end_bulk (self);
  forget_expired_bans (self, now);
  hl_node_reload_stored_peers (self);
  hl_node_admission_reload (self);
  hl_node_invites_tick (self);
  hl_node_restore_check_request (self);
  hl_node_discovery_tick (self, now);
  hl_node_dial_due (self, now);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_status_cb (gpointer user_data)
{
  hl_node_write_status (user_data, FALSE);
  return G_SOURCE_CONTINUE;
}

static gboolean
poll_store (gpointer user_data)
{
  hl_node_scan (user_data);
  hl_node_archive_check_epoch (user_data);
  return G_SOURCE_CONTINUE;
}

gboolean
hl_node_start (HlNode  *self,
               GError **error)
{
  gint64 poll_ms;

  if (!hl_node_load_set (self, error))
    return FALSE;
  self->verifier = hl_verifier_new (MIN (MAX (g_get_num_processors (), 1), 4),
                                    hl_node_verified, self);
  self->running = TRUE;
  self->started_ms = hl_now_ms ();
  /* Writes by hyperlinkctl into the same database show up as new rows: at
   * once when the directory can be watched, else at the next poll. The poll
   * stays, slower, for file systems whose changes inotify does not see. */
  poll_ms = hl_node_watch_start (self) ? WATCHED_POLL_INTERVAL_MS : POLL_INTERVAL_MS;
  self->poll_source = hl_sync_timeout_add ((guint) env_ms ("HYPERLINK_SYNC_POLL_MS", poll_ms),
                                           poll_store, self);
  self->tick_source = hl_sync_timeout_add (1000, tick, self);
  self->status_source = hl_sync_timeout_add ((guint) self->status_interval_ms, write_status_cb, self);
  hl_node_archive_start (self);
  hl_node_reload_stored_peers (self);
  hl_node_admission_reload (self);
  hl_node_discovery_load (self);
  hl_node_dial_all (self);
  if (self->tailnet != NULL)
    hl_tailnet_start (self->tailnet);
  if (self->allow_any_network)
    g_warning ("Admitting peers from any network (--allow-any-network): anyone who can reach "
               "this node's port can read and write the forum");
  hl_node_write_status (self, FALSE);
  g_message ("Node %s ready", self->key_hex);
  hl_node_log_listening (self);
  return TRUE;
}

void
hl_node_stop (HlNode *self)
{
  g_autoptr(GPtrArray) peers = NULL;

  if (!self->running || self->stopping)
    return;
  self->stopping = TRUE;
  hl_sync_source_clear (&self->tick_source);
  hl_sync_source_clear (&self->poll_source);
  hl_node_watch_stop (self);
  hl_sync_source_clear (&self->status_source);
  hl_node_archive_stop (self);
  if (self->listener != NULL)
    hl_listener_stop (self->listener);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  if (self->tailnet != NULL)
    hl_tailnet_stop (self->tailnet);
  hl_node_cancel_dials (self);
  peers = hl_node_list_peers (self);
  for (guint i = 0; i < peers->len; i++)
    hl_peer_close (g_ptr_array_index (peers, i), SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                   "the node is shutting down");
  /* What the workers already verified is applied, not dropped. */
  g_clear_pointer (&self->verifier, hl_verifier_free);
  hl_sync_source_clear (&self->apply_source);
  for (guint i = 0; i < 1000 && self->apply_events->len > 0; i++)
    hl_node_apply_now (self);
  hl_node_end_bulk (self);
  hl_node_write_status (self, TRUE);
  self->running = FALSE;
}
