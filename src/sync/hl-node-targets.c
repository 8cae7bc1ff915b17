/* hl-node-targets.c: the node's dialling side. A target is an address
 * something asks the node to dial (hyperlinkctl, the stored peers, a
 * bootstrap node, discovery, the tailnet, an invite); it is dialled with
 * backoff until a connection holds, and dropped once nothing wants it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"

#include "hl-store-discovery.h"
#include "hl-store-sync.h"
#include "hl-ws-dial.h"

#define MIN_BACKOFF_MS     500

void
hl_target_free (HlTarget *target)
{
  if (target->cancellable != NULL)
    g_cancellable_cancel (target->cancellable);
  g_clear_object (&target->cancellable);
  g_free (target->address);
  g_free (target->last_error);
  g_free (target->key_hex);
  g_free (target->via);
  g_free (target->dns_name);
  g_free (target->tailnet_user);
  g_free (target->machine);
  g_free (target->path);
  g_free (target->invite_id);
  g_free (target);
}

HlTarget *
hl_node_target_for_peer (HlNode *self,
                         HlPeer *peer)
{
  for (guint i = 0; i < self->targets->len; i++)
    {
      HlTarget *target = g_ptr_array_index (self->targets, i);
      if (target->peer == peer)
        return target;
    }
  return NULL;
}

HlTarget *
hl_node_find_target (HlNode     *self,
                     const char *address)
{
  for (guint i = 0; i < self->targets->len; i++)
    {
      HlTarget *target = g_ptr_array_index (self->targets, i);
      if (strcmp (target->address, address) == 0)
        return target;
    }
  return NULL;
}

static HlTarget *
ensure_target (HlNode     *self,
               const char *address)
{
  HlTarget *target = hl_node_find_target (self, address);

  if (target != NULL)
    return target;
  target = g_new0 (HlTarget, 1);
  target->address = g_strdup (address);
  target->backoff_ms = MIN_BACKOFF_MS;
  g_ptr_array_add (self->targets, target);
  return target;
}

/* Whether anything still asks for the target to be dialled. */
static gboolean
target_wanted (const HlTarget *target)
{
  return target->found != 0 || target->from_cli || target->from_db ||
         target->bootstrap_cli || target->bootstrap_db;
}

gboolean
hl_node_add_peer (HlNode      *self,
                  const char  *address,
                  GError     **error)
{
  g_autofree char *normal = hl_sync_normalize_address (address, error);

  if (normal == NULL)
    return FALSE;
  ensure_target (self, normal)->from_cli = TRUE;
  return TRUE;
}

static void
replace_hint (char       **field,
              const char  *value)
{
  if (value != NULL && g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

/* A machine the tailnet reports offline is not dialled because a peer or a
 * bootstrap node still lists it; what a person chose (manual, invite) is. */
static gboolean
offline_on_tailnet (HlNode      *self,
                    const char  *address,
                    HlPeerFound  found)
{
  g_autoptr(GUri) uri = NULL;

  if (self->tailnet == NULL || (found & ~(HL_PEER_FOUND_EXCHANGE | HL_PEER_FOUND_BOOTSTRAP)) != 0)
    return FALSE;
  uri = g_uri_parse (address, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && hl_tailnet_knows_offline (self->tailnet, g_uri_get_host (uri));
}

gboolean
hl_node_offer_peer (HlNode            *self,
                    const char        *address,
                    HlPeerFound        found,
                    const HlPeerHints *hints,
                    GError           **error)
{
  g_autofree char *normal = hl_sync_normalize_address (address, error);
  HlTarget *target;

  if (normal == NULL)
    return FALSE;
  if (offline_on_tailnet (self, normal, found))
    return TRUE;
  target = hl_node_find_target (self, normal);
  if (target == NULL)
    {
      target = ensure_target (self, normal);
      g_message ("Found peer %s (%s)", normal,
                 found & HL_PEER_FOUND_TAILNET ? "tailnet" :
                 found & HL_PEER_FOUND_BOOTSTRAP ? "bootstrap" :
                 found & HL_PEER_FOUND_EXCHANGE ? "exchange" :
                 found & HL_PEER_FOUND_INVITE ? "invite" : "manual");
      /* A running node dials it on its next tick. */
    }
  if (found & HL_PEER_FOUND_MANUAL)
    target->from_cli = TRUE;
  target->found |= found & ~HL_PEER_FOUND_MANUAL;
  if (hints != NULL)
    {
      replace_hint (&target->via, hints->via);
      replace_hint (&target->key_hex, hints->key_hex);
      replace_hint (&target->dns_name, hints->dns_name);
      replace_hint (&target->tailnet_user, hints->tailnet_user);
      replace_hint (&target->machine, hints->machine);
      replace_hint (&target->path, hints->path);
    }
  return TRUE;
}

void
hl_node_withdraw_peer (HlNode      *self,
                       const char  *address,
                       HlPeerFound  found)
{
  g_autofree char *normal = hl_sync_normalize_address (address, NULL);
  HlTarget *target = normal != NULL ? hl_node_find_target (self, normal) : NULL;

  if (target == NULL)
    return;
  if (found & HL_PEER_FOUND_MANUAL)
    target->from_cli = FALSE;
  target->found &= ~found;
  if (target_wanted (target))
    return;
  g_message ("Peer %s is gone", target->address);
  if (target->peer != NULL)
    hl_peer_close (target->peer, SOUP_WEBSOCKET_CLOSE_NORMAL, "this peer is no longer offered");
  g_ptr_array_remove (self->targets, target);
}

gboolean
hl_node_add_bootstrap_node (HlNode      *self,
                            const char  *address,
                            GError     **error)
{
  g_autofree char *normal = hl_sync_normalize_address (address, error);

  if (normal == NULL)
    return FALSE;
  ensure_target (self, normal)->bootstrap_cli = TRUE;
  return TRUE;
}

char *
hl_peer_found_to_string (HlPeerFound found)
{
  static const char * const names[] = { "manual", "tailnet", "bootstrap", "exchange", "invite" };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (found & (1u << i))
      g_string_append_printf (out, "%s%s", out->len ? "," : "", names[i]);
  return g_string_free (out, FALSE);
}

/* Sets when to dial @target again, after its backoff times 0.5 to 1.5 (so
 * that nodes that lost each other at once do not redial in step), and
 * doubles the backoff up to the maximum. Returns the delay in ms. */
static gint64
back_off (HlNode   *self,
          HlTarget *target)
{
  gint64 delay_us = target->backoff_ms * g_random_int_range (500, 1500);

  target->next_attempt = g_get_monotonic_time () + delay_us;
  target->backoff_ms = MIN (target->backoff_ms * 2, self->max_backoff_ms);
  return delay_us / 1000;
}

typedef struct
{
  HlNode   *node;
  char     *address;
} DialData;

/* The IP a dialled connection reached, for whois (NULL when unknown). */
static char *
dialled_ip (SoupWebsocketConnection *conn)
{
  GIOStream *stream = soup_websocket_connection_get_io_stream (conn);
  g_autoptr(GSocketAddress) remote = NULL;

  if (!G_IS_SOCKET_CONNECTION (stream) ||
      !(remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (stream), NULL)) ||
      !G_IS_INET_SOCKET_ADDRESS (remote))
    return NULL;
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DialData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autofree char *reason = NULL;
  HlTarget *target;
  guint status = 0;

  conn = hl_ws_dial_finish (result, &status, &reason, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  target = hl_node_find_target (data->node, data->address);
  if (target == NULL || data->node->stopping)
    goto out;
  target->connecting = FALSE;
  g_clear_object (&target->cancellable);
  target->refused = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  if (conn == NULL)
    {
      gint64 delay_ms = back_off (data->node, target);

      g_free (target->last_error);
      /* A node's reason phrase says why in words (an old protocol, ...). */
      if (status >= 400)
        target->last_error = g_strdup_printf ("%s refused the connection: HTTP %u %s",
                                              target->address, status, reason ? reason : "");
      else
        target->last_error = g_strdup_printf ("cannot reach %s: %s", target->address, error->message);
      g_message ("%s; retrying in %" G_GINT64_FORMAT " ms", target->last_error, delay_ms);
      goto out;
    }
  {
    g_autofree char *ip = dialled_ip (conn);

    target->peer = hl_node_add_connection (data->node, conn, TRUE, target->address, ip);
  }

out:
  g_object_unref (data->node);
  g_free (data->address);
  g_free (data);
}

static void
dial (HlNode   *self,
      HlTarget *target)
{
  g_autoptr(GUri) uri = g_uri_parse (target->address, G_URI_FLAGS_NONE, NULL);
  DialData *data;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "ws") != 0)
    {
      g_free (target->last_error);
      target->last_error = g_strdup_printf ("“%s” is not a usable address", target->address);
      target->next_attempt = G_MAXINT64;
      return;
    }
  data = g_new0 (DialData, 1);
  data->node = g_object_ref (self);
  data->address = g_strdup (target->address);
  target->connecting = TRUE;
  target->cancellable = g_cancellable_new ();
  hl_ws_dial_async (target->address, target->cancellable, on_connected, data);
}

void
hl_node_reload_stored_peers (HlNode *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = hl_store_sync_list_peers (self->store, &error);
  g_autoptr(GPtrArray) bootstrap = NULL;

  if (stored == NULL)
    {
      g_warning ("Cannot read the stored peers: %s", error->message);
      return;
    }
  if (!(bootstrap = hl_store_bootstrap_list (self->store, &error)))
    {
      g_warning ("Cannot read the stored bootstrap nodes: %s", error->message);
      return;
    }
  for (guint i = 0; i < self->targets->len; i++)
    {
      HlTarget *target = g_ptr_array_index (self->targets, i);
      target->from_db = target->bootstrap_db = FALSE;
    }
  for (guint i = 0; i < bootstrap->len; i++)
    {
      g_autofree char *normal = hl_sync_normalize_address (g_ptr_array_index (bootstrap, i), NULL);

      if (normal != NULL)
        ensure_target (self, normal)->bootstrap_db = TRUE;
    }
  for (guint i = 0; i < stored->len; i++)
    {
      g_autofree char *normal = hl_sync_normalize_address (g_ptr_array_index (stored, i), NULL);
      HlTarget *target;

      if (normal == NULL)
        continue;
      target = ensure_target (self, normal);
      if (!target->from_db && !target->from_cli && target->peer == NULL && !target->connecting)
        g_message ("New peer %s", normal);
      target->from_db = TRUE;
    }
  for (guint i = self->targets->len; i-- > 0;)
    {
      HlTarget *target = g_ptr_array_index (self->targets, i);

      if (target_wanted (target))
        continue;
      g_message ("Peer %s was removed", target->address);
      if (target->peer != NULL)
        hl_peer_close (target->peer, SOUP_WEBSOCKET_CLOSE_NORMAL, "this peer was removed");
      g_ptr_array_remove_index (self->targets, i);
    }
}

/* The node a target leads to is already connected (it dialled us, or we
 * reached it at another address): the target takes that connection rather
 * than dialling a duplicate. TRUE when it need not dial. */
static gboolean
adopt_connection (HlNode   *self,
                  HlTarget *target)
{
  HlPeer *peer = hl_node_peer_by_key (self, target->key_hex);

  if (peer == NULL)
    return FALSE;
  if (hl_node_target_for_peer (self, peer) == NULL)
    target->peer = peer;
  return TRUE;
}

static gboolean
is_relayed (const HlTarget *target)
{
  return target->path != NULL && g_str_has_prefix (target->path, "relayed");
}

/* Machines the tailnet reaches directly are dialled before relayed ones, so
 * that their connections (and the first reconciliations) start first; which
 * path a machine gets is Tailscale's choice, not ours. */
void
hl_node_dial_due (HlNode *self,
                  gint64  now)
{
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->targets->len; i++)
      {
        HlTarget *target = g_ptr_array_index (self->targets, i);

        if (target->peer != NULL || target->connecting || target->is_self ||
            is_relayed (target) != (pass == 1))
          continue;
        if (adopt_connection (self, target))
          continue;
        if (now >= target->next_attempt)
          dial (self, target);
      }
}

void
hl_node_dial_all (HlNode *self)
{
  for (guint i = 0; i < self->targets->len; i++)
    dial (self, g_ptr_array_index (self->targets, i));
}

void
hl_node_cancel_dials (HlNode *self)
{
  for (guint i = 0; i < self->targets->len; i++)
    {
      HlTarget *target = g_ptr_array_index (self->targets, i);
      if (target->cancellable != NULL)
        g_cancellable_cancel (target->cancellable);
    }
}

void
hl_node_target_ready (HlNode *self,
                      HlPeer *peer)
{
  HlTarget *target = hl_node_target_for_peer (self, peer);

  if (target != NULL)
    {
      target->backoff_ms = MIN_BACKOFF_MS;
      g_clear_pointer (&target->last_error, g_free);
    }
}

gboolean
hl_node_target_closed (HlNode *self,
                       HlPeer *peer)
{
  HlTarget *target = hl_node_target_for_peer (self, peer);
  gushort code = soup_websocket_connection_get_close_code (peer->conn);

  if (target == NULL)
    return FALSE;
  target->peer = NULL;
  target->last_seen_ms = peer->last_seen_ms;
  /* The other connection to that node serves it: no hurry to redial. */
  if (code == HL_SYNC_CLOSE_DUPLICATE)
    target->backoff_ms = self->max_backoff_ms;
  back_off (self, target);
  if (code != 0 && code != SOUP_WEBSOCKET_CLOSE_NORMAL && peer->their_error != NULL)
    {
      /* What the other side said beats what we knew before. */
      g_free (target->last_error);
      target->last_error = g_strdup_printf ("connection closed (code %u): %s", code,
                                            peer->their_error);
    }
  else if (target->last_error == NULL && code != 0 && code != SOUP_WEBSOCKET_CLOSE_NORMAL)
    target->last_error = g_strdup_printf ("connection closed (code %u)", code);
  return TRUE;
}
