/* hl-tui-sync.c: the sync engine as the terminal client sees it.
 *
 * As the window does (src/ui/hl-sync.c), the client owns an HlNodeRunner:
 * the same HlNode as hyperlinkd, on a thread of its own, holding the data
 * directory's lock; or, when a hyperlinkd holds it already (the usual case
 * on an always-on node reached over SSH), no node of its own: the runner
 * follows that one's sync-status.json and takes over once it stops. Both
 * describe themselves with the same status document, which this turns into
 * the status line and the peers screen. The window's HlSync cannot be
 * shared: it lives with GTK in src/ui, and reads its port from GSettings.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

#include "hl-sync-wire.h"

gboolean
hl_tui_sync_parse_listen (const char  *value,
                          char       **host,
                          guint16     *port,
                          GError     **error)
{
  const char *colon;
  guint64 number = 0;

  *host = NULL;
  *port = HL_SYNC_DEFAULT_PORT;
  if (value == NULL || *value == '\0')
    {
      *host = g_strdup ("0.0.0.0");
      return TRUE;
    }
  if (g_str_equal (value, "none"))
    return TRUE;
  colon = strrchr (value, ':');
  /* HOST alone, or an IPv6 address without brackets: the default port. */
  if (colon == NULL || (value[0] != '[' && strchr (value, ':') != colon))
    {
      *host = g_strdup (value);
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &number, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Cannot listen on “%s”: the port is not a number from 0 to 65535; give "
                   "HOST:PORT, HOST or none", value);
      return FALSE;
    }
  if (value[0] == '[' && colon > value + 1 && colon[-1] == ']')
    *host = g_strndup (value + 1, colon - value - 2);
  else
    *host = g_strndup (value, colon - value);
  *port = (guint16) number;
  return TRUE;
}

static JsonObject *
parse_status (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static gboolean
runner_syncs (HlTui *self)
{
  HlNodeRunnerState state = self->runner ? hl_node_runner_get_state (self->runner)
                                         : HL_NODE_RUNNER_STOPPED;

  return state == HL_NODE_RUNNER_RUNNING || state == HL_NODE_RUNNER_EXTERNAL;
}

static void
on_runner_notify_cb (HlNodeRunner *runner,
                     GParamSpec   *pspec,
                     HlTui        *self)
{
  JsonObject *status = runner_syncs (self) ? parse_status (hl_node_runner_get_status (runner))
                                           : NULL;
  JsonObject *totals = NULL;

  g_clear_pointer (&self->status, json_object_unref);
  self->status = status;
  self->connected = 0;
  self->in_sync = FALSE;
  if (status != NULL && json_object_has_member (status, "totals") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (status, "totals")))
    totals = json_object_get_object_member (status, "totals");
  if (totals != NULL && json_object_get_boolean_member_with_default (status, "running", FALSE))
    {
      self->connected = (guint) json_object_get_int_member_with_default (totals, "connected", 0);
      self->in_sync = json_object_get_boolean_member_with_default (totals, "in_sync", FALSE);
    }
  if (self->view == HL_TUI_VIEW_PEERS)
    hl_tui_peers_refresh (self);
  hl_tui_queue_draw (self);
}

void
hl_tui_sync_start (HlTui *self)
{
  if (self->no_sync)
    return;
  self->runner = hl_node_runner_new (self->data_dir);
  hl_node_runner_set_listen (self->runner, self->listen_host, self->listen_port);
  if (self->tailscale_socket != NULL)
    hl_node_runner_set_tailscale_socket (self->runner, self->tailscale_socket);
  g_signal_connect_object (self->runner, "notify", G_CALLBACK (on_runner_notify_cb), self, 0);
  hl_node_runner_start (self->runner);
}

void
hl_tui_sync_stop (HlTui *self)
{
  if (self->runner == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->runner, self);
  hl_node_runner_stop (self->runner);
  g_clear_object (&self->runner);
  g_clear_pointer (&self->status, json_object_unref);
}

char *
hl_tui_sync_dup_summary (HlTui *self)
{
  const char *peers = self->connected == 1 ? "peer" : "peers";

  if (self->runner == NULL)
    return g_strdup ("Not syncing");
  switch (hl_node_runner_get_state (self->runner))
    {
    case HL_NODE_RUNNER_FAILED:
      return g_strdup ("Not syncing");
    case HL_NODE_RUNNER_STARTING:
      return g_strdup ("Starting…");
    case HL_NODE_RUNNER_RUNNING:
    case HL_NODE_RUNNER_EXTERNAL:
      if (self->connected == 0)
        return g_strdup ("Offline");
      return g_strdup_printf ("%s · %u %s", self->in_sync ? "In sync" : "Syncing", self->connected,
                              peers);
    case HL_NODE_RUNNER_STOPPED:
    default:
      return g_strdup ("Offline");
    }
}

char *
hl_tui_sync_dup_details (HlTui *self)
{
  if (self->runner == NULL)
    return g_strdup ("Sync is off in this client (--no-sync)");
  switch (hl_node_runner_get_state (self->runner))
    {
    case HL_NODE_RUNNER_EXTERNAL:
      return g_strdup_printf ("hyperlinkd (process %ld) syncs this forum; this client follows it",
                              (long) hl_node_runner_get_holder (self->runner));
    case HL_NODE_RUNNER_RUNNING:
      if (hl_node_runner_get_port (self->runner) == 0)
        return g_strdup ("This client syncs the forum; it accepts no connections");
      return g_strdup_printf ("This client syncs the forum; peers can connect on port %u",
                              hl_node_runner_get_port (self->runner));
    case HL_NODE_RUNNER_FAILED:
      return g_strdup_printf ("Sync could not start: %s", hl_node_runner_get_error (self->runner));
    case HL_NODE_RUNNER_STARTING:
      return g_strdup ("Sync is starting");
    case HL_NODE_RUNNER_STOPPED:
    default:
      return g_strdup ("Sync is stopped");
    }
}

JsonArray *
hl_tui_sync_get_peers (HlTui *self)
{
  JsonNode *peers = self->status != NULL ? json_object_get_member (self->status, "peers") : NULL;

  return peers != NULL && JSON_NODE_HOLDS_ARRAY (peers) ? json_node_get_array (peers) : NULL;
}

const char *
hl_tui_sync_get_tailscale (HlTui *self)
{
  JsonNode *node = self->status != NULL ? json_object_get_member (self->status, "tailscale")
                                        : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (node), "message", NULL);
}
