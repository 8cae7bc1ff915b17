/* hl-tailnet.c: discovery over the tailnet, and its word on who dials us.
 *
 * The IPN bus says when something changed; the status document says what
 * is there. So each Notify that touches the state or the peers schedules a
 * fresh `status`, and the set of online machines it lists is offered to the
 * node (HL_PEER_FOUND_TAILNET), the rest withdrawn. The normal handshake is
 * the probe: a machine without Hyperlink refuses the TCP connection and the
 * node's backoff keeps that cheap.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tailnet.h"

#include "hl-sync-private.h"
#include "hl-json.h"
#include "hl-tailscale.h"

#define REFRESH_DELAY_MS     100     /* Notifies come in bursts */
#define REFRESH_INTERVAL_S   30      /* in case a change never reaches the bus */
#define MIN_RETRY_MS         1000
#define MAX_RETRY_MS         30000

struct _HlTailnet
{
  GObject       parent_instance;

  HlNode       *node;
  HlTailscale  *client;
  char         *tag;
  guint16       port;
  GCancellable *cancellable;

  gboolean      started;
  guint         refresh_source;
  guint         interval_source;
  guint         retry_source;
  gint64        retry_ms;
  gboolean      refreshing;
  gboolean      refresh_again;

  char         *state;          /* the status file's tailscale.state */
  char         *message;
  gboolean      running;        /* BackendState Running: whois can vouch for peers */
  gboolean      answered;       /* tailscaled answered (or failed to) at least once */
  HlTsMachine  *me;
  guint         machines;       /* besides this one */
  guint         online;
  GHashTable   *offered;        /* address (ws://…) -> IP */
  GHashTable   *offline;        /* IPs and MagicDNS names of offline machines */
};

G_DEFINE_FINAL_TYPE (HlTailnet, hl_tailnet, G_TYPE_OBJECT)

static void
hl_tailnet_dispose (GObject *object)
{
  HlTailnet *self = HL_TAILNET (object);

  hl_tailnet_stop (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (hl_tailnet_parent_class)->dispose (object);
}

static void
hl_tailnet_finalize (GObject *object)
{
  HlTailnet *self = HL_TAILNET (object);

  g_free (self->tag);
  g_free (self->state);
  g_free (self->message);
  hl_ts_machine_free (self->me);
  g_hash_table_unref (self->offered);
  g_hash_table_unref (self->offline);
  G_OBJECT_CLASS (hl_tailnet_parent_class)->finalize (object);
}

static void
hl_tailnet_class_init (HlTailnetClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_tailnet_dispose;
  G_OBJECT_CLASS (klass)->finalize = hl_tailnet_finalize;
}

static void
hl_tailnet_init (HlTailnet *self)
{
  self->offered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->offline = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->state = g_strdup ("checking");
  self->message = g_strdup ("Asking tailscaled how the tailnet is");
  self->retry_ms = MIN_RETRY_MS;
}

static void
set_state (HlTailnet  *self,
           const char *state,
           const char *message)
{
  if (g_strcmp0 (self->state, state) != 0 || g_strcmp0 (self->message, message) != 0)
    {
      if (g_strcmp0 (self->state, state) != 0)
        g_message ("Tailscale: %s", message);
      g_free (self->state);
      g_free (self->message);
      self->state = g_strdup (state);
      self->message = g_strdup (message);
    }
}

/* ---- offering and withdrawing peers ---- */

/* A machine that left the tailnet may still be connected to us (it dialled
 * us): hang up on it too. */
static void
close_inbound_from (HlTailnet  *self,
                    const char *ip)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self->node);

  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      if (!peer->outbound && peer->state != HL_PEER_CLOSED && g_strcmp0 (peer->remote_host, ip) == 0)
        hl_peer_close (peer, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                       "Tailscale reports this machine offline or gone from the tailnet");
    }
}

static void
withdraw_except (HlTailnet  *self,
                 GHashTable *keep)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->offered);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (keep != NULL && g_hash_table_contains (keep, key))
        continue;
      /* Tailscale knows best whether the machine is there: a peer that
       * passed its address on, or a bootstrap node, cannot reach it either. */
      hl_node_withdraw_peer (self->node, key, HL_PEER_FOUND_TAILNET | HL_PEER_FOUND_EXCHANGE |
                                              HL_PEER_FOUND_BOOTSTRAP);
      close_inbound_from (self, value);
      g_hash_table_iter_remove (&iter);
    }
}

static char *
path_of (const HlTsMachine *machine)
{
  if (machine->cur_addr != NULL)
    return g_strdup ("direct");
  if (machine->relay != NULL)
    return g_strdup_printf ("relayed (DERP %s)", machine->relay);
  return NULL;   /* no traffic yet: tailscaled does not know */
}

static void
offer (HlTailnet         *self,
       const HlTsMachine *machine,
       GHashTable        *now_offered)
{
  const char *ip = hl_ts_machine_address (machine);
  g_autofree char *address = NULL;
  g_autofree char *path = path_of (machine);
  g_autoptr(GError) error = NULL;
  HlPeerHints hints = { 0 };

  if (ip == NULL)
    return;
  address = strchr (ip, ':') ? g_strdup_printf ("ws://[%s]:%u", ip, self->port)
                             : g_strdup_printf ("ws://%s:%u", ip, self->port);
  hints.dns_name = machine->dns_name;
  hints.machine = machine->host_name;
  hints.tailnet_user = machine->login_name;
  hints.path = path;
  if (!hl_node_offer_peer (self->node, address, HL_PEER_FOUND_TAILNET, &hints, &error))
    {
      g_message ("Tailscale: cannot use %s: %s", address, error->message);
      return;
    }
  g_hash_table_replace (now_offered, g_strdup (address), g_strdup (ip));
}

/* ---- what tailscaled says ---- */

static void
describe_running (HlTailnet  *self,
                  guint       matching)
{
  g_autoptr(GString) text = g_string_new ("Tailscale is running");
  const char *ip = self->me ? hl_ts_machine_address (self->me) : NULL;

  if (self->me != NULL && (self->me->dns_name || self->me->host_name))
    g_string_append_printf (text, "; this machine is %s", self->me->dns_name ? self->me->dns_name
                                                                             : self->me->host_name);
  if (ip != NULL)
    g_string_append_printf (text, " (%s)", ip);
  g_string_append_printf (text, "; %u of %u other machines online", self->online, self->machines);
  if (self->tag != NULL)
    g_string_append_printf (text, ", %u tagged %s", matching, self->tag);
  set_state (self, "running", text->str);
}

static void
apply_backend_state (HlTailnet  *self,
                     HlTsStatus *status)
{
  const char *backend = status->backend_state;

  if (strcmp (backend, "NeedsLogin") == 0)
    set_state (self, "needs-login", "Log in to Tailscale (run “tailscale up” or use the Tailscale "
                                    "app) so that Hyperlink can find your friends' machines");
  else if (strcmp (backend, "NeedsMachineAuth") == 0)
    set_state (self, "needs-machine-auth", "This machine waits for the tailnet's admin to approve "
                                           "it in the Tailscale admin console");
  else if (strcmp (backend, "Stopped") == 0)
    set_state (self, "stopped", "Tailscale is stopped; connect it (“tailscale up”) to find peers "
                                "on the tailnet");
  else if (strcmp (backend, "Starting") == 0 || strcmp (backend, "NoState") == 0)
    set_state (self, "starting", "Tailscale is starting");
  else if (strcmp (backend, "InUseOtherUser") == 0)
    set_state (self, "in-use-other-user", "Tailscale is in use by another user of this computer");
  else
    {
      g_autofree char *text = g_strdup_printf ("Tailscale is in a state Hyperlink does not know "
                                               "(%s)", backend);
      set_state (self, "unknown", text);
    }
}

static void
remember_offline (HlTailnet         *self,
                  const HlTsMachine *machine)
{
  for (guint i = 0; machine->ips != NULL && machine->ips[i] != NULL; i++)
    g_hash_table_add (self->offline, g_strdup (machine->ips[i]));
  if (machine->dns_name != NULL)
    g_hash_table_add (self->offline, g_strdup (machine->dns_name));
}

gboolean
hl_tailnet_knows_offline (HlTailnet  *self,
                          const char *host)
{
  return self != NULL && self->running && host != NULL &&
         g_hash_table_contains (self->offline, host);
}

static void
apply_status (HlTailnet  *self,
              HlTsStatus *status)
{
  g_autoptr(GHashTable) now_offered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;
  guint matching = 0;

  self->running = strcmp (status->backend_state, "Running") == 0;
  hl_ts_machine_free (self->me);
  self->me = g_steal_pointer (&status->self);
  /* A node listening by default follows this machine's tailnet addresses. */
  if (self->running && self->me != NULL)
    hl_node_tailnet_self (self->node, (const char * const *) self->me->ips, self->me->dns_name);
  else
    hl_node_tailnet_self (self->node, NULL, NULL);
  self->machines = self->online = 0;
  g_hash_table_remove_all (self->offline);
  if (!self->running)
    {
      apply_backend_state (self, status);
      withdraw_except (self, NULL);
      return;
    }
  for (guint i = 0; i < status->peers->len; i++)
    {
      HlTsMachine *machine = g_ptr_array_index (status->peers, i);

      if (self->me != NULL && g_strcmp0 (machine->node_key, self->me->node_key) == 0)
        continue;
      self->machines++;
      if (!machine->online)
        {
          remember_offline (self, machine);
          continue;
        }
      self->online++;
      if (self->tag != NULL && !hl_ts_machine_has_tag (machine, self->tag))
        continue;
      matching++;
      offer (self, machine, now_offered);
    }
  withdraw_except (self, now_offered);
  g_hash_table_iter_init (&iter, now_offered);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_replace (self->offered, key, value);
      g_hash_table_iter_steal (&iter);
    }
  describe_running (self, matching);
}

static void
apply_error (HlTailnet *self,
             GError    *error)
{
  self->running = FALSE;
  g_clear_pointer (&self->me, hl_ts_machine_free);
  hl_node_tailnet_self (self->node, NULL, NULL);
  if (g_error_matches (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_NO_SOCKET))
    {
      g_autofree char *text =
        g_strdup_printf ("Tailscale is not running (nothing answers at %s); start it, or point "
                         "Hyperlink at its socket with --tailscale-socket",
                         hl_tailscale_get_socket_path (self->client));
      set_state (self, "not-running", text);
    }
  else if (g_error_matches (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_NO_ACCESS))
    {
      g_autofree char *text =
        g_strdup_printf ("Cannot read Tailscale's socket %s (permission denied); check its "
                         "permissions or choose another with --tailscale-socket",
                         hl_tailscale_get_socket_path (self->client));
      set_state (self, "no-access", text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("Cannot use Tailscale: %s", error->message);
      set_state (self, "error", text);
    }
  withdraw_except (self, NULL);
}

static void refresh_now (HlTailnet *self);

static void
on_status (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HlTailnet) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTsStatus) status = hl_tailscale_status_finish (HL_TAILSCALE (source), result, &error);

  self->refreshing = FALSE;
  if (!self->started || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (status != NULL)
    apply_status (self, status);
  else
    apply_error (self, error);
  self->answered = TRUE;
  hl_node_admission_tailnet_changed (self->node);
  hl_node_write_status (self->node, FALSE);
  if (self->refresh_again)
    refresh_now (self);
}

static void
refresh_now (HlTailnet *self)
{
  self->refresh_again = FALSE;
  if (self->refreshing)
    {
      /* The answer under way may predate the change. */
      self->refresh_again = TRUE;
      return;
    }
  self->refreshing = TRUE;
  hl_tailscale_status_async (self->client, self->cancellable, on_status, g_object_ref (self));
}

static gboolean
refresh_cb (gpointer user_data)
{
  HlTailnet *self = user_data;

  self->refresh_source = 0;
  refresh_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (HlTailnet *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = hl_sync_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
}

static gboolean
interval_cb (gpointer user_data)
{
  refresh_now (user_data);
  return G_SOURCE_CONTINUE;
}

/* ---- the bus ---- */

/* ipn.Notify members after which the status may read differently. Go
 * writes the unset ones as null (they have no omitempty), so a member
 * counts only when it holds something. */
static const char * const changes[] = {
  "State", "NetMap", "SelfChange", "PeersChanged", "PeersRemoved", "PeerChangedPatch",
  "LoginFinished", "InitialStatus",
};

static void
on_notify_line (HlTailscale *client,
                JsonObject  *notify,
                gpointer     user_data)
{
  HlTailnet *self = user_data;

  self->retry_ms = MIN_RETRY_MS;
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    if (json_object_has_member (notify, changes[i]) &&
        !json_node_is_null (json_object_get_member (notify, changes[i])))
      {
        schedule_refresh (self);
        return;
      }
}

static gboolean
rewatch_cb (gpointer user_data)
{
  HlTailnet *self = user_data;

  self->retry_source = 0;
  hl_tailscale_watch (self->client);
  refresh_now (self);
  return G_SOURCE_REMOVE;
}

/* tailscaled restarted, stopped, or was never there: ask again later, less
 * often each time it fails. */
static void
on_bus_ended (HlTailscale *client,
              GError      *error,
              gpointer     user_data)
{
  HlTailnet *self = user_data;

  if (!self->started)
    return;
  /* The status says why (and a bus refused while status works must not
   * make the state flap): ask it rather than trust the bus's error. */
  if (error != NULL)
    g_debug ("Tailscale: the IPN bus ended: %s", error->message);
  refresh_now (self);
  if (self->retry_source == 0)
    self->retry_source = hl_sync_timeout_add ((guint) self->retry_ms, rewatch_cb, self);
  self->retry_ms = MIN (self->retry_ms * 2, MAX_RETRY_MS);
}

/* ---- admission: whois ---- */

typedef struct
{
  HlTailnet *tailnet;
  HlPeer    *peer;
} WhoisData;

static void
on_whois (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  WhoisData *data = user_data;
  HlPeer *peer = data->peer;
  HlTailnet *self = data->tailnet;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTsWhois) whois = hl_tailscale_whois_finish (HL_TAILSCALE (source), result, &error);

  if (peer->state == HL_PEER_CLOSED || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  g_clear_pointer (&peer->whois_problem, g_free);
  /* Only a running tailnet vouches: a stopped one may remember old machines. */
  if (whois != NULL && self->running)
    {
      peer->whois = HL_WHOIS_YES;
      g_free (peer->tailnet_user);
      g_free (peer->machine);
      g_free (peer->tailnet_machine);
      peer->tailnet_user = g_strdup (whois->login_name);
      peer->machine = g_strdup (whois->host_name);
      peer->tailnet_machine = g_strdup (whois->dns_name ? whois->dns_name : whois->host_name);
      g_strfreev (peer->tailnet_tags);
      peer->tailnet_tags = g_strdupv (whois->tags);
      hl_node_zones_learned (self->node, peer);
      g_message ("Tailscale vouches for %s: %s of %s", peer->address,
                 whois->host_name ? whois->host_name : "a machine",
                 whois->login_name ? whois->login_name : "an unknown user");
    }
  else
    {
      peer->whois = HL_WHOIS_NO;
      /* Answered after Tailscale stopped: its state says why. */
      if (whois != NULL)
        ;
      else if (g_error_matches (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_NOT_FOUND))
        peer->whois_problem = g_strdup ("it is not a machine of this node's tailnet; the owner "
                                        "can share their machine with you in Tailscale");
      else
        peer->whois_problem = g_strdup_printf ("this node cannot ask Tailscale about it now: %s",
                                               error->message);
    }
  hl_node_admission_update (self->node, peer);

out:
  g_object_unref (data->tailnet);
  g_object_unref (data->peer);
  g_free (data);
}

gboolean
hl_tailnet_is_running (HlTailnet *self)
{
  return self != NULL && self->running;
}

const char *
hl_tailnet_get_state (HlTailnet *self)
{
  return self != NULL ? self->state : "off";
}

gboolean
hl_tailnet_is_checking (HlTailnet *self)
{
  return self != NULL && self->started && !self->answered;
}

void
hl_tailnet_whois (HlTailnet *self,
                  HlPeer    *peer)
{
  const char *host = hl_sync_host_unmapped (peer->remote_host);
  g_autofree char *peer_host = NULL;
  g_autofree char *address = NULL;
  guint16 port = 0;
  WhoisData *data;

  if (host == NULL)
    return;
  hl_sync_parse_host_port (peer->address, 0, &peer_host, &port, NULL);
  address = hl_sync_join_host_port (host, port);
  data = g_new0 (WhoisData, 1);
  data->tailnet = g_object_ref (self);
  data->peer = g_object_ref (peer);
  peer->whois = HL_WHOIS_ASKING;
  hl_tailscale_whois_async (self->client, address, self->cancellable, on_whois, data);
}

/* ---- life ---- */

HlTailnet *
hl_tailnet_new (HlNode     *node,
                const char *socket_path,
                const char *tag,
                guint16     port)
{
  HlTailnet *self = g_object_new (HL_TYPE_TAILNET, NULL);

  self->node = node;
  self->client = hl_tailscale_new (socket_path);
  self->tag = tag && *tag ? g_strdup (tag) : NULL;
  self->port = port ? port : HL_SYNC_DEFAULT_PORT;
  g_signal_connect (self->client, "notify-line", G_CALLBACK (on_notify_line), self);
  g_signal_connect (self->client, "bus-ended", G_CALLBACK (on_bus_ended), self);
  return self;
}

void
hl_tailnet_start (HlTailnet *self)
{
  if (self->started)
    return;
  self->started = TRUE;
  self->cancellable = g_cancellable_new ();
  hl_tailscale_watch (self->client);
  refresh_now (self);
  self->interval_source = hl_sync_timeout_add (REFRESH_INTERVAL_S * 1000, interval_cb, self);
}

void
hl_tailnet_stop (HlTailnet *self)
{
  if (!self->started)
    return;
  self->started = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  hl_tailscale_unwatch (self->client);
  hl_sync_source_clear (&self->refresh_source);
  hl_sync_source_clear (&self->interval_source);
  hl_sync_source_clear (&self->retry_source);
  self->refreshing = FALSE;
  /* The node is stopping: it says goodbye to every peer itself, and its last
   * status still shows how they were found. */
  g_hash_table_remove_all (self->offered);
}

void
hl_tailnet_add_status (HlTailnet   *self,
                       const char  *admission,
                       JsonBuilder *b)
{
  json_builder_set_member_name (b, "tailscale");
  json_builder_begin_object (b);
  hl_json_add_string (b, "state", self ? self->state : "off");
  hl_json_add_string (b, "message",
                      self ? self->message
                           : "Tailscale discovery is off (hyperlinkd --no-tailscale)");
  json_builder_set_member_name (b, "self");
  if (self != NULL && self->me != NULL && self->running)
    {
      json_builder_begin_object (b);
      hl_json_add_string (b, "dns_name", self->me->dns_name);
      hl_json_add_string (b, "host_name", self->me->host_name);
      json_builder_set_member_name (b, "ips");
      json_builder_begin_array (b);
      for (guint i = 0; self->me->ips != NULL && self->me->ips[i] != NULL; i++)
        json_builder_add_string_value (b, self->me->ips[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  hl_json_add_string (b, "tag", self ? self->tag : NULL);
  hl_json_add_string (b, "socket", self ? hl_tailscale_get_socket_path (self->client) : NULL);
  hl_json_add_string (b, "admission", admission);
  json_builder_set_member_name (b, "online");
  json_builder_add_int_value (b, self ? self->online : 0);
  json_builder_end_object (b);
}
