/* hyperlinkd: the headless Hyperlink node.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib-unix.h>

#include "hl-listener.h"
#include "hl-node.h"
#include "hl-paths.h"
#include "hl-store-archive.h"
#include "hl-store-horizon.h"
#include "hl-sync-lock.h"
#include "hl-sync-wire.h"

static gboolean
on_signal (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("Stopping on request");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
parse_listen (const char  *text,
              char       **host,
              guint16     *port)
{
  return hl_sync_parse_host_port (text, HL_SYNC_DEFAULT_PORT, host, port, NULL);
}

/* The node drops what the horizon allows at each upkeep pass. */
static gboolean
store_keep (const char  *data_dir,
            gint         months,
            GError     **error)
{
  g_autofree char *path = hl_paths_database (data_dir);
  g_autoptr(HlStore) store = hl_store_open (path, error);

  return store != NULL &&
         hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_HORIZON, months, error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlNode) node = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *data_dir_option = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *host = NULL;
  g_auto(GStrv) peers = NULL;
  g_autofree char *tailscale_socket = NULL;
  g_autofree char *tailnet_tag = NULL;
  gboolean no_tailscale = FALSE, allow_any_network = FALSE;
  gint tailnet_port = HL_SYNC_DEFAULT_PORT;
  g_auto(GStrv) bootstrap_nodes = NULL;
  g_auto(GStrv) advertise = NULL;
  gboolean no_listen = FALSE, version = FALSE, bootstrap = FALSE;
  g_autofree char *keep = NULL;
  guint16 port = HL_SYNC_DEFAULT_PORT;
  int lock_fd;
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir_option,
      "Data directory (else $" HL_DATA_DIR_ENV ", else $XDG_DATA_HOME/hyperlink)", "DIR" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      "Accept peers on this address and port only (default: 127.0.0.1, ::1 and this machine's "
      "Tailscale addresses, port 9473; 0.0.0.0 or [::] for every network, with a warning)",
      "ADDR:PORT" },
    { "no-listen", 0, 0, G_OPTION_ARG_NONE, &no_listen, "Only dial out, accept no peers", NULL },
    { "peer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &peers,
      "A peer to connect to (repeatable); see also “hyperlinkctl peer add”", "ws://HOST:PORT" },
    { "tailscale-socket", 0, 0, G_OPTION_ARG_FILENAME, &tailscale_socket,
      "tailscaled's LocalAPI socket (else $HYPERLINK_TAILSCALE_SOCKET, else "
      "/run/tailscale/tailscaled.sock)", "PATH" },
    { "tailnet-tag", 0, 0, G_OPTION_ARG_STRING, &tailnet_tag,
      "Only dial tailnet machines with this ACL tag", "tag:NAME" },
    { "tailnet-port", 0, 0, G_OPTION_ARG_INT, &tailnet_port,
      "The port Hyperlink listens on on the other machines (default 9473)", "PORT" },
    { "allow-any-network", 0, 0, G_OPTION_ARG_NONE, &allow_any_network,
      "Admit peers from any network, not only loopback, the tailnet, manual peers and invited "
      "nodes (anyone who reaches the port can read and write the forum)", NULL },
    { "no-tailscale", 0, 0, G_OPTION_ARG_NONE, &no_tailscale,
      "Do not ask tailscaled for peers or about who dials in: only loopback, manual peers and "
      "invited nodes are admitted", NULL },
    { "bootstrap", 0, 0, G_OPTION_ARG_NONE, &bootstrap,
      "Be a bootstrap node: list the nodes that announce themselves to it", NULL },
    { "bootstrap-node", 0, 0, G_OPTION_ARG_STRING_ARRAY, &bootstrap_nodes,
      "A bootstrap node to find peers through (repeatable); see also “hyperlinkctl bootstrap add”",
      "ws://HOST:PORT" },
    { "advertise", 0, 0, G_OPTION_ARG_STRING_ARRAY, &advertise,
      "An address peers can reach this node at, to announce (repeatable)", "ws://HOST:PORT" },
    { "keep", 0, 0, G_OPTION_ARG_STRING, &keep,
      "How much history to keep on this device in full: everything, 1y, 6m, 3m or 1m "
      "(stored, like hyperlinkctl config set keep; older sealed months stay in the "
      "group's archive)", "PERIOD" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* Connections are descriptors: take all the system allows. */
  hl_listener_raise_fd_limit ();
  context = g_option_context_new ("- the headless Hyperlink node");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Without --listen the node listens on loopback (127.0.0.1, and ::1 where the machine has\n"
    "it) and on this machine's Tailscale addresses while tailscaled reports them, following\n"
    "them as they change: programs on this machine and the tailnet can reach it, other\n"
    "networks cannot. --listen chooses one address instead.\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("hyperlinkd: %s (see “hyperlinkd --help”)\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("hyperlinkd %s (sync protocol %s)\n", PACKAGE_VERSION, HL_SYNC_SUBPROTOCOL);
      return 0;
    }
  if (listen != NULL && !parse_listen (listen, &host, &port))
    {
      g_printerr ("hyperlinkd: --listen wants ADDR:PORT such as 127.0.0.1:9473, not “%s”\n", listen);
      return 2;
    }
  if (tailnet_port < 1 || tailnet_port > 65535)
    {
      g_printerr ("hyperlinkd: --tailnet-port wants a port from 1 to 65535, not %d\n", tailnet_port);
      return 2;
    }
  if (tailnet_tag != NULL && !g_str_has_prefix (tailnet_tag, "tag:"))
    {
      g_printerr ("hyperlinkd: --tailnet-tag wants a Tailscale ACL tag such as tag:hyperlink, "
                  "not “%s”\n", tailnet_tag);
      return 2;
    }

  if (keep != NULL && hl_horizon_parse (keep) < 0)
    {
      g_printerr ("hyperlinkd: --keep wants everything, 1y, 6m, 3m or 1m, not “%s”\n", keep);
      return 2;
    }

  data_dir = hl_paths_resolve_data_dir (data_dir_option);
  if (!hl_paths_ensure_data_dir (data_dir, &error) ||
      (lock_fd = hl_sync_lock_acquire (data_dir, &error)) < 0)
    {
      g_printerr ("hyperlinkd: %s\n", error->message);
      return 1;
    }

  if (keep != NULL && !store_keep (data_dir, hl_horizon_parse (keep), &error))
    {
      g_printerr ("hyperlinkd: --keep: %s\n", error->message);
      return 1;
    }
  if (!(node = hl_node_new (data_dir, &error)))
    {
      g_printerr ("hyperlinkd: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; peers != NULL && peers[i] != NULL; i++)
    if (!hl_node_add_peer (node, peers[i], &error))
      {
        g_printerr ("hyperlinkd: %s\n", error->message);
        return 2;
      }
  if (!no_tailscale)
    hl_node_set_tailscale (node, tailscale_socket, tailnet_tag, (guint16) tailnet_port);
  hl_node_set_allow_any_network (node, allow_any_network);
  for (guint i = 0; bootstrap_nodes != NULL && bootstrap_nodes[i] != NULL; i++)
    if (!hl_node_add_bootstrap_node (node, bootstrap_nodes[i], &error))
      {
        g_printerr ("hyperlinkd: --bootstrap-node: %s\n", error->message);
        return 2;
      }
  for (guint i = 0; advertise != NULL && advertise[i] != NULL; i++)
    if (!hl_node_advertise_address (node, advertise[i], &error))
      {
        g_printerr ("hyperlinkd: --advertise: %s\n", error->message);
        return 2;
      }
  hl_node_set_bootstrap (node, bootstrap);
  if (!no_listen && (host != NULL ? !hl_node_listen (node, host, port, &error)
                                   : !hl_node_listen_default (node, port, &error)))
    {
      g_printerr ("hyperlinkd: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  if (!hl_node_start (node, &error))
    {
      g_printerr ("hyperlinkd: %s\n", error->message);
      return 1;
    }
  g_main_loop_run (loop);
  hl_node_stop (node);
  /* Give the close frames a moment to leave, so peers see a clean close. */
  g_timeout_add_once (300, (GSourceOnceFunc) g_main_loop_quit, loop);
  g_main_loop_run (loop);
  g_clear_object (&node);
  g_message ("Stopped");
  /* The lock goes with the process. */
  (void) lock_fd;
  return 0;
}
