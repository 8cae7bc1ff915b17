/* hl-sync.c: the window's view of the sync engine.
 *
 * The in-process node and an external hyperlinkd describe themselves the
 * same way, with the status document (sync-status.json): the runner hands
 * over each new one, pushed by our node or read from hyperlinkd's file, and
 * this object turns it into properties and a list of peers.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "hl-sync.h"

#include "hl-peer-info.h"
#include "hl-json.h"
#include "hl-sync-error.h"
#include "hl-sync-wire.h"
#include "hl-ui-util.h"

#define RESTART_DELAY_MS 1000

struct _HlSync
{
  GObject       parent_instance;

  char         *data_dir;
  HlNodeRunner *runner;
  GSettings    *settings;
  GListStore   *peers;
  GListStore   *refused;     /* HlPeerInfo: connections the node turned away lately */
  HlSyncState   state;
  guint         connected;
  gboolean      started;
  guint         restart_source;
  char         *tailscale;   /* the node's sentence on Tailscale, or NULL */
};

G_DEFINE_FINAL_TYPE (HlSync, hl_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_CONNECTED,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the status document ---- */

static guint
find_peer (GListStore *store,
           const char *key,
           guint       from)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = from; i < n; i++)
    {
      g_autoptr(HlPeerInfo) info = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_str_equal (hl_peer_info_get_key (info), key))
        return i;
    }
  return G_MAXUINT;
}

typedef struct
{
  char       *(*key_for) (JsonObject *object);
  HlPeerInfo *(*make)    (JsonObject *object);
} ListKind;

static const ListKind peer_list = { hl_peer_info_key_for, hl_peer_info_new };
static const ListKind refusal_list = { hl_peer_info_refusal_key_for, hl_peer_info_new_refusal };

/* Keeps the items still listed (so rows stay, expanded or not) and puts
 * them in the document's order. */
static void
update_list (GListStore     *store,
             const ListKind *kind,
             JsonArray      *array)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;
  guint pos = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      g_autofree char *key = NULL;
      guint found;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      key = kind->key_for (object);
      if (find_peer (store, key, 0) < pos)
        continue;   /* listed twice: the first one counts */
      found = find_peer (store, key, pos);
      if (found == G_MAXUINT)
        {
          g_autoptr(HlPeerInfo) info = kind->make (object);

          g_list_store_insert (store, pos, info);
        }
      else
        {
          g_autoptr(HlPeerInfo) info = g_list_model_get_item (G_LIST_MODEL (store), found);

          if (found != pos)
            {
              g_list_store_remove (store, found);
              g_list_store_insert (store, pos, info);
            }
          hl_peer_info_update (info, object);
        }
      pos++;
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (store)) > pos)
    g_list_store_splice (store, pos, g_list_model_get_n_items (G_LIST_MODEL (store)) - pos, NULL, 0);
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
update_peers (HlSync     *self,
              JsonObject *status)
{
  update_list (self->peers, &peer_list, array_member (status, "peers"));
  update_list (self->refused, &refusal_list, array_member (status, "refused"));
}

static void
set_state (HlSync      *self,
           HlSyncState  state,
           guint        connected)
{
  gboolean changed = FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      changed = TRUE;
    }
  if (self->connected != connected)
    {
      self->connected = connected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
      changed = TRUE;
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The status's "tailscale" object says what the node makes of the local
 * tailscaled, hyperlinkd's as well as ours. The window says it in its own
 * (translated) words from the "state" code, never from the node's English
 * "message", which names command-line options: that stays in the log. */
static char *
describe_tailscale (JsonObject *ts)
{
  const char *state = json_object_get_string_member_with_default (ts, "state", "");
  const char *socket = json_object_get_string_member_with_default (ts, "socket", "?");
  JsonNode *me = json_object_get_member (ts, "self");
  const char *name = NULL;

  if (me != NULL && JSON_NODE_HOLDS_OBJECT (me))
    {
      JsonObject *o = json_node_get_object (me);

      name = json_object_get_string_member_with_default (o, "dns_name", NULL);
      if (name == NULL)
        name = json_object_get_string_member_with_default (o, "host_name", NULL);
    }
  if (g_str_equal (state, "running") && name != NULL)
    /* Translators: %s is this computer's name on the tailnet */
    return g_strdup_printf (_("Tailscale is running; this computer is %s on your tailnet"), name);
  if (g_str_equal (state, "running"))
    return g_strdup (_("Tailscale is running"));
  if (g_str_equal (state, "not-running"))
    /* Translators: %s is the path of tailscaled's socket */
    return g_strdup_printf (_("Tailscale is not running (nothing answers at %s). Start Tailscale "
                              "to find your friends’ computers."), socket);
  if (g_str_equal (state, "no-access"))
    /* Translators: %s is the path of tailscaled's socket */
    return g_strdup_printf (_("Hyperlink may not talk to Tailscale (%s refuses it)."), socket);
  if (g_str_equal (state, "needs-login"))
    return g_strdup (_("Log in to Tailscale so that Hyperlink can find your friends’ computers"));
  if (g_str_equal (state, "needs-machine-auth"))
    return g_strdup (_("This computer waits for your tailnet’s admin to approve it"));
  if (g_str_equal (state, "stopped"))
    return g_strdup (_("Tailscale is turned off; connect it to find peers on your tailnet"));
  if (g_str_equal (state, "starting"))
    return g_strdup (_("Tailscale is starting"));
  if (g_str_equal (state, "in-use-other-user"))
    return g_strdup (_("Tailscale is in use by another user of this computer"));
  if (g_str_equal (state, "off"))
    return g_strdup (_("Finding peers through Tailscale is turned off"));
  return g_strdup (_("Hyperlink cannot use Tailscale; the log says why"));
}

static void
update_tailscale (HlSync     *self,
                  JsonObject *status)
{
  JsonNode *node = status ? json_object_get_member (status, "tailscale") : NULL;
  g_autofree char *sentence = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    sentence = describe_tailscale (json_node_get_object (node));
  if (g_strcmp0 (sentence, self->tailscale) == 0)
    return;
  g_free (self->tailscale);
  self->tailscale = g_steal_pointer (&sentence);
}

static void
refresh (HlSync *self)
{
  HlNodeRunnerState runner_state = hl_node_runner_get_state (self->runner);
  g_autoptr(JsonObject) status = NULL;
  JsonObject *totals;
  guint connected = 0;
  gboolean in_sync = FALSE, running = FALSE;

  if (runner_state == HL_NODE_RUNNER_RUNNING || runner_state == HL_NODE_RUNNER_EXTERNAL)
    status = hl_json_parse_object (hl_node_runner_get_status (self->runner));
  if (status != NULL)
    {
      JsonNode *totals_node = json_object_get_member (status, "totals");

      running = json_object_get_boolean_member_with_default (status, "running", FALSE);
      totals = totals_node && JSON_NODE_HOLDS_OBJECT (totals_node)
               ? json_node_get_object (totals_node) : NULL;
      if (totals != NULL && running)
        {
          connected = (guint) json_object_get_int_member_with_default (totals, "connected", 0);
          in_sync = json_object_get_boolean_member_with_default (totals, "in_sync", FALSE);
        }
      update_peers (self, status);
    }
  else if (runner_state != HL_NODE_RUNNER_RUNNING && runner_state != HL_NODE_RUNNER_EXTERNAL)
    update_peers (self, NULL);
  if (status != NULL || (runner_state != HL_NODE_RUNNER_RUNNING &&
                         runner_state != HL_NODE_RUNNER_EXTERNAL))
    update_tailscale (self, status);

  if (runner_state == HL_NODE_RUNNER_STOPPED || runner_state == HL_NODE_RUNNER_FAILED)
    set_state (self, HL_SYNC_OFF, 0);
  else if (connected == 0)
    set_state (self, HL_SYNC_OFFLINE, 0);
  else
    set_state (self, in_sync ? HL_SYNC_IN_SYNC : HL_SYNC_SYNCING, connected);
  /* Who syncs (and any error) may change without the counts doing so. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static void
on_runner_changed_cb (HlSync       *self,
                      GParamSpec   *pspec,
                      HlNodeRunner *runner)
{
  refresh (self);
}

/* ---- where to listen ---- */

static void
apply_listen (HlSync *self)
{
  const char *env = g_getenv (HL_SYNC_LISTEN_ENV);
  int port = self->settings != NULL ? g_settings_get_int (self->settings, "listen-port") : 0;
  guint16 wanted = port > 0 ? (guint16) port : HL_SYNC_DEFAULT_PORT;
  g_autoptr(GError) error = NULL;

  /* A listen address that does not parse opens no port anywhere. */
  if (!hl_node_runner_set_listen_spec (self->runner, env, wanted, &error))
    g_warning ("%s: %s; not listening", HL_SYNC_LISTEN_ENV, error->message);
}

static gboolean
restart_cb (gpointer user_data)
{
  HlSync *self = user_data;

  self->restart_source = 0;
  if (!self->started || hl_node_runner_get_state (self->runner) == HL_NODE_RUNNER_EXTERNAL)
    return G_SOURCE_REMOVE;
  g_message ("The listen port changed: restarting the sync engine");
  hl_node_runner_stop (self->runner);
  apply_listen (self);
  hl_node_runner_start (self->runner);
  return G_SOURCE_REMOVE;
}

/* A new port takes a restart, once the spin button has settled; the
 * connections come back on their own. */
static void
on_listen_port_changed_cb (HlSync     *self,
                           const char *key,
                           GSettings  *settings)
{
  g_clear_handle_id (&self->restart_source, g_source_remove);
  self->restart_source = g_timeout_add (RESTART_DELAY_MS, restart_cb, self);
}

/* ---- GObject ---- */

static void
hl_sync_dispose (GObject *object)
{
  HlSync *self = HL_SYNC (object);

  g_clear_handle_id (&self->restart_source, g_source_remove);
  if (self->runner != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->runner, self);
      hl_node_runner_stop (self->runner);
    }
  g_clear_object (&self->runner);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (hl_sync_parent_class)->dispose (object);
}

static void
hl_sync_finalize (GObject *object)
{
  HlSync *self = HL_SYNC (object);

  g_clear_object (&self->peers);
  g_clear_object (&self->refused);
  g_free (self->data_dir);
  g_free (self->tailscale);
  G_OBJECT_CLASS (hl_sync_parent_class)->finalize (object);
}

static void
hl_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  HlSync *self = HL_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_CONNECTED:
      g_value_set_uint (value, self->connected);
      break;
    case PROP_SUMMARY:
      g_value_take_string (value, hl_sync_dup_summary (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_sync_class_init (HlSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hl_sync_dispose;
  object_class->finalize = hl_sync_finalize;
  object_class->get_property = hl_sync_get_property;

  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, HL_SYNC_OFF, HL_SYNC_IN_SYNC,
                                             HL_SYNC_OFF, flags);
  properties[PROP_CONNECTED] = g_param_spec_uint ("connected", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* Notified whenever anything shown of the sync may have changed. */
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_sync_init (HlSync *self)
{
  self->peers = g_list_store_new (HL_TYPE_PEER_INFO);
  self->refused = g_list_store_new (HL_TYPE_PEER_INFO);
  if ((self->settings = hl_ui_settings_new ()) != NULL)
    {
      g_signal_connect_object (self->settings, "changed::listen-port",
                               G_CALLBACK (on_listen_port_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

/* ---- public API ---- */

HlSync *
hl_sync_new (const char *data_dir)
{
  HlSync *self;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (HL_TYPE_SYNC, NULL);
  self->data_dir = g_strdup (data_dir);
  self->runner = hl_node_runner_new (data_dir);
  g_signal_connect_object (self->runner, "notify", G_CALLBACK (on_runner_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

void
hl_sync_start (HlSync *self)
{
  g_return_if_fail (HL_IS_SYNC (self));

  self->started = TRUE;
  apply_listen (self);
  hl_node_runner_start (self->runner);
}

void
hl_sync_stop (HlSync *self)
{
  g_return_if_fail (HL_IS_SYNC (self));

  self->started = FALSE;
  hl_node_runner_stop (self->runner);
}

HlSyncState
hl_sync_get_state (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), HL_SYNC_OFF);
  return self->state;
}

guint
hl_sync_get_connected (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), 0);
  return self->connected;
}

gboolean
hl_sync_get_external (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), FALSE);
  return hl_node_runner_get_state (self->runner) == HL_NODE_RUNNER_EXTERNAL;
}

gint64
hl_sync_get_holder (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), 0);
  return hl_node_runner_get_holder (self->runner);
}

const char *
hl_sync_get_error (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), NULL);
  return hl_node_runner_get_state (self->runner) == HL_NODE_RUNNER_FAILED
         ? hl_node_runner_get_error (self->runner) : NULL;
}

guint
hl_sync_get_port (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), 0);
  return hl_node_runner_get_port (self->runner);
}

GListModel *
hl_sync_get_peers (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), NULL);
  return G_LIST_MODEL (self->peers);
}

GListModel *
hl_sync_get_refused (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), NULL);
  return G_LIST_MODEL (self->refused);
}

const char *
hl_sync_get_tailscale (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), NULL);
  return self->tailscale;
}

const char *
hl_sync_get_data_dir (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), NULL);
  return self->data_dir;
}

HlNodeRunner *
hl_sync_get_runner (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), NULL);
  return self->runner;
}

const char *
hl_sync_state_icon_name (HlSyncState state)
{
  switch (state)
    {
    case HL_SYNC_SYNCING:
      return "emblem-synchronizing-symbolic";
    case HL_SYNC_IN_SYNC:
      return "network-transmit-receive-symbolic";
    case HL_SYNC_OFFLINE:
      return "network-offline-symbolic";
    case HL_SYNC_OFF:
    default:
      return "network-error-symbolic";
    }
}

char *
hl_sync_dup_summary (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), NULL);

  switch (self->state)
    {
    case HL_SYNC_SYNCING:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Syncing · %u peer",
                                           "Syncing · %u peers", self->connected),
                              self->connected);
    case HL_SYNC_IN_SYNC:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In sync · %u peer",
                                           "In sync · %u peers", self->connected),
                              self->connected);
    case HL_SYNC_OFFLINE:
      return g_strdup (_("Offline"));
    case HL_SYNC_OFF:
    default:
      if (hl_node_runner_get_state (self->runner) == HL_NODE_RUNNER_FAILED)
        return g_strdup (_("Not syncing"));
      if (hl_node_runner_get_state (self->runner) == HL_NODE_RUNNER_STARTING)
        return g_strdup (_("Starting…"));
      return g_strdup (_("Offline"));
    }
}

/* The lock's holder is usually hyperlinkd, but may be another window, on
 * the same data directory with --screenshot for instance. */
static gboolean
holder_is_window (gint64 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/comm", pid);
  g_autofree char *name = NULL;

  return pid > 0 && g_file_get_contents (path, &name, NULL, NULL) &&
         g_str_equal (g_strstrip (name), "hyperlink");
}

char *
hl_sync_dup_details (HlSync *self)
{
  g_return_val_if_fail (HL_IS_SYNC (self), NULL);

  switch (hl_node_runner_get_state (self->runner))
    {
    case HL_NODE_RUNNER_EXTERNAL:
      if (holder_is_window (hl_node_runner_get_holder (self->runner)))
        /* Translators: %ld is a process id */
        return g_strdup_printf (_("Another Hyperlink window (process %ld) is syncing this forum"),
                                (long) hl_node_runner_get_holder (self->runner));
      /* Translators: %ld is a process id */
      return g_strdup_printf (_("The Hyperlink service (process %ld) is syncing this forum"),
                              (long) hl_node_runner_get_holder (self->runner));
    case HL_NODE_RUNNER_RUNNING:
      if (hl_node_runner_get_port (self->runner) == 0)
        return g_strdup (_("Syncing in this window; not accepting connections"));
      /* Translators: %u is a TCP port */
      return g_strdup_printf (_("Syncing in this window; peers can connect on port %u"),
                              hl_node_runner_get_port (self->runner));
    case HL_NODE_RUNNER_FAILED:
      /* The node's own words (with its command-line advice) go to the log
       * and the Peers page's details; here, what it means for the person. */
      if (hl_node_runner_error_matches (self->runner, HL_SYNC_ERROR, HL_SYNC_ERROR_BUSY))
        return g_strdup (_("Sync could not start: another program uses its port. Choose "
                           "another port in Preferences."));
      return g_strdup (_("Sync could not start; the Peers page has the details"));
    case HL_NODE_RUNNER_STARTING:
      return g_strdup (_("Sync is starting"));
    case HL_NODE_RUNNER_STOPPED:
    default:
      return g_strdup (_("Sync is stopped"));
    }
}
