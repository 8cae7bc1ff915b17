/* main.c: hyperlink-tui, the forum in a terminal.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <langinfo.h>
#include <locale.h>

#include "hl-paths.h"
#include "hl-tui.h"

/* A UTF-8 terminal under the C locale (SSH sessions and containers often
 * set no LANG) would show every non-ASCII letter as "?": as Python does
 * (PEP 538), the C locale's character type becomes C.UTF-8. A locale the
 * user chose is left alone. */
static void
set_locale (void)
{
  const char *ctype;

  setlocale (LC_ALL, "");
  ctype = setlocale (LC_CTYPE, NULL);
  if (g_strcmp0 (nl_langinfo (CODESET), "UTF-8") != 0 &&
      (g_strcmp0 (ctype, "C") == 0 || g_strcmp0 (ctype, "POSIX") == 0))
    setlocale (LC_CTYPE, "C.UTF-8");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTui) tui = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tailscale_socket = NULL;
  g_autofree char *log_path = NULL;
  g_auto(GStrv) links = NULL;
  gboolean no_sync = FALSE, version = FALSE;
  HlTuiOptions options;
  int status;
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "The forum's directory (else $HYPERLINK_DATA_DIR, else $XDG_DATA_HOME/hyperlink)", "DIR" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      "Where this client's node accepts peers: HOST:PORT, HOST (port 9473) or none "
      "(else $HYPERLINK_LISTEN, else loopback and the tailnet addresses at 9473)", "ADDRESS" },
    { "no-sync", 0, 0, G_OPTION_ARG_NONE, &no_sync,
      "Run no node and follow none: read and write the local forum only", NULL },
    { "tailscale-socket", 0, 0, G_OPTION_ARG_FILENAME, &tailscale_socket,
      "Ask the tailscaled listening at PATH for peers (else $HYPERLINK_TAILSCALE_SOCKET, else "
      "/run/tailscale/tailscaled.sock)", "PATH" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and quit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &links, NULL, "[INVITE-LINK]" },
    { NULL }
  };

  set_locale ();
  context = g_option_context_new ("- the Hyperlink forum in a terminal");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Keys: ? lists them all. Without $VISUAL or $EDITOR, posts are written in a built-in "
    "editor.\nAn invite link given as the argument is offered to join at start.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("hyperlink-tui: %s (see hyperlink-tui --help)\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("hyperlink-tui %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (links != NULL && g_strv_length (links) > 1)
    {
      g_printerr ("hyperlink-tui: give one invite link at most\n");
      return 2;
    }

  resolved = hl_paths_resolve_data_dir (data_dir);
  log_path = g_build_filename (resolved, "tui.log", NULL);
  hl_tui_options_init (&options);
  options.data_dir = resolved;
  options.log_path = log_path;
  options.no_sync = no_sync;
  options.listen = listen;
  options.tailscale_socket = tailscale_socket;
  options.invite = links != NULL ? links[0] : NULL;
  if (!(tui = hl_tui_new (&options, &error)))
    {
      g_printerr ("hyperlink-tui: %s\n", error->message);
      return 1;
    }
  status = hl_tui_run (tui, &error);
  if (error != NULL)
    {
      g_printerr ("hyperlink-tui: %s\n", error->message);
      return 1;
    }
  return status;
}
