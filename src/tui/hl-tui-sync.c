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

#include "hl-json.h"
#include "hl-sync-wire.h"

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
  JsonObject *status = runner_syncs (self) ? hl_json_parse_object (hl_node_runner_get_status (runner))
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

gboolean
hl_tui_sync_prepare (HlTui       *self,
                     const char  *listen,
                     GError     **error)
{
  if (self->no_sync)
    return TRUE;
  self->runner = hl_node_runner_new (self->data_dir);
  if (self->tailscale_socket != NULL)
    hl_node_runner_set_tailscale_socket (self->runner, self->tailscale_socket);
  if (!hl_node_runner_set_listen_spec (self->runner, listen, HL_SYNC_DEFAULT_PORT, error))
    {
      g_prefix_error (error, "Cannot listen on “%s”: ", listen);
      return FALSE;
    }
  return TRUE;
}

void
hl_tui_sync_start (HlTui *self)
{
  if (self->runner == NULL)
    return;
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
