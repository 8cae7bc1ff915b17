/* test-peer.c: a post written in the window reaches a hyperlinkd peer on
 * loopback, and a peer's post shows up in the window.
 *
 * Until the window runs the sync engine in-process, a hyperlinkd on the
 * window's own data directory does the syncing (as it would on a desktop
 * today); a second hyperlinkd on another directory plays the peer.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "hl-ui-test.h"

#include "hl-composer.h"
#include "hl-event.h"
#include "hl-forum.h"
#include "hl-paths.h"
#include "hl-post-item.h"
#include "hl-window.h"

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* A failed assertion aborts the test: the daemons must not outlive it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
start_daemon (const char *data_dir,
              const char *listen,
              const char *peer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir_arg = g_strdup_printf ("--data-dir=%s", data_dir);
  g_autofree char *listen_arg = listen ? g_strdup_printf ("--listen=%s",
                                                          listen) : g_strdup ("--no-listen");
  g_autofree char *peer_arg = peer ? g_strdup_printf ("--peer=%s", peer) : NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  GSubprocess *daemon;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  daemon = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HYPERLINKD"), dir_arg,
                                        listen_arg, peer_arg, NULL);
  g_assert_no_error (error);
  return daemon;
}

static void
stop_daemon (GSubprocess *daemon)
{
  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, NULL);
  g_object_unref (daemon);
}

static gboolean
peer_has_thread (HlStore      *store,
                 const guint8 *subnet,
                 const char   *title)
{
  g_autoptr(GPtrArray) rows = hl_store_list_threads (store, subnet, 0, 50, NULL);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (g_strcmp0 (((HlPostRow *) g_ptr_array_index (rows, i))->title, title) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
window_has_thread (HlWindow   *window,
                   const char *title)
{
  GListModel *threads = hl_window_get_threads (window);

  for (guint i = 0; i < g_list_model_get_n_items (threads); i++)
    {
      g_autoptr(HlPostItem) item = g_list_model_get_item (threads, i);

      if (hl_post_item_get_loaded (item) && g_strcmp0 (hl_post_item_get_title (item), title) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_peer_round_trip (void)
{
  g_autofree char *dir_a = hl_ui_test_make_dir ();
  g_autofree char *dir_b = hl_ui_test_make_dir ();
  g_autofree char *key_a = hl_paths_identity (dir_a);
  g_autofree char *key_b = hl_paths_identity (dir_b);
  g_autofree char *db_b = hl_paths_database (dir_b);
  g_autofree char *listen = NULL;
  g_autofree char *peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlIdentity) me = hl_identity_load_or_create (key_a, NULL, &error);
  g_autoptr(HlIdentity) them = hl_identity_load_or_create (key_b, NULL, &error);
  g_autoptr(HlForum) forum = NULL;
  g_autoptr(HlStore) peer_store = NULL;
  GSubprocess *daemon_a, *daemon_b;
  HlWindow *window;
  HlComposer *composer;
  guint16 port = free_port ();
  guint8 subnet[HL_ID_LEN];

  if (g_getenv ("HYPERLINKD") == NULL)
    {
      g_test_skip ("HYPERLINKD is not set");
      return;
    }
  g_assert_no_error (error);
  hl_ui_test_publish (dir_a, me, HL_KIND_PROFILE, NULL, "{\"name\":\"Window\"}", NULL);
  hl_ui_test_publish (dir_a, me, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Loopback\"}", subnet);
  hl_ui_test_publish (dir_b, them, HL_KIND_PROFILE, NULL, "{\"name\":\"Peer\"}", NULL);

  listen = g_strdup_printf ("127.0.0.1:%u", port);
  peer = g_strdup_printf ("ws://127.0.0.1:%u", port);
  daemon_a = start_daemon (dir_a, listen, NULL);
  daemon_b = start_daemon (dir_b, NULL, peer);

  forum = hl_forum_new (dir_a, &error);
  g_assert_no_error (error);
  window = g_object_ref (hl_window_new (NULL, forum));
  gtk_window_present (GTK_WINDOW (window));
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_subnets (window)) == 1 &&
              hl_window_get_idle (window), 10);

  /* Window → peer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-thread", NULL));
  HL_UI_WAIT (hl_window_get_composer (window) != NULL, 5);
  composer = HL_COMPOSER (hl_window_get_composer (window));
  hl_composer_set_text (composer, "Posted in the window", "Does it reach the peer?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL));
  HL_UI_WAIT (hl_window_get_composer (window) == NULL, 10);
  peer_store = hl_store_open (db_b, &error);
  g_assert_no_error (error);
  HL_UI_WAIT (peer_has_thread (peer_store, subnet, "Posted in the window"), 30);

  /* Peer → window, live. */
  hl_ui_test_publish (dir_b, them, HL_KIND_THREAD_CREATE, subnet,
                      "{\"title\":\"Posted by the peer\",\"body\":\"Hello window\"}", NULL);
  HL_UI_WAIT (window_has_thread (window, "Posted by the peer"), 30);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  stop_daemon (daemon_b);
  stop_daemon (daemon_a);
  g_clear_object (&peer_store);
  HL_UI_WAIT (G_OBJECT (forum)->ref_count == 1, 10);
  hl_ui_test_remove_dir (dir_a);
  hl_ui_test_remove_dir (dir_b);
}

int
main (int   argc,
      char *argv[])
{
  hl_ui_test_init (&argc, &argv);
  g_test_add_func ("/peer/round-trip", test_peer_round_trip);
  return g_test_run ();
}
