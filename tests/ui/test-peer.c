/* test-peer.c: the window's own sync engine against a real hyperlinkd on
 * loopback.
 *
 * round-trip: a post written in the window while the peer is away waits
 * with its "not yet sent" mark; once the peer is up, the window's node
 * (dialling it as a manual peer) delivers it, the mark goes, and a post
 * written on the peer appears in the window, live. The header bar follows:
 * offline, syncing, in sync with one peer, offline again; the Peers page
 * shows the peer, how it was found and the traffic.
 *
 * external: a hyperlinkd already holds the window's data directory; the
 * window starts no node of its own, says so, shows that node's state from
 * its status file, and takes over once it stops.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hl-ui-test.h"

#include "hl-composer.h"
#include "hl-event.h"
#include "hl-forum.h"
#include "hl-paths.h"
#include "hl-peers-page.h"
#include "hl-post-item.h"
#include "hl-preferences-window.h"
#include "hl-store-sync.h"
#include "hl-sync-lock.h"
#include "hl-sync.h"
#include "hl-window.h"

/* The peer's own events before the window meets it: enough that the sync
 * takes several status intervals (20 ms here), so "syncing" is seen. */
#define BACKLOG        3000
#define BACKLOG_AND_2  3002   /* with its profile and subnet */

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
  /* HL_UI_TEST_VERBOSE=1 shows what the daemons say. */
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (g_getenv ("HL_UI_TEST_VERBOSE") != NULL ? G_SUBPROCESS_FLAGS_NONE
                               : G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
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
store_has_thread (const char   *data_dir,
                  const guint8 *subnet,
                  const char   *title)
{
  g_autofree char *db = hl_paths_database (data_dir);
  g_autoptr(HlStore) store = hl_store_open (db, NULL);
  g_autoptr(GPtrArray) rows = store ? hl_store_list_threads (store, subnet, 0, 50, NULL) : NULL;

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (g_strcmp0 (((HlPostRow *) g_ptr_array_index (rows, i))->title, title) == 0)
      return TRUE;
  return FALSE;
}

/* The window's item for the thread titled @title, or NULL. */
static HlPostItem *
window_thread (HlWindow   *window,
               const char *title)
{
  GListModel *threads = hl_window_get_threads (window);

  for (guint i = 0; i < g_list_model_get_n_items (threads); i++)
    {
      g_autoptr(HlPostItem) item = g_list_model_get_item (threads, i);

      if (hl_post_item_get_loaded (item) && g_strcmp0 (hl_post_item_get_title (item), title) == 0)
        return item;   /* the model keeps it */
    }
  return NULL;
}

static void
on_state_cb (HlSync     *sync,
             GParamSpec *pspec,
             GArray     *seen)
{
  HlSyncState state = hl_sync_get_state (sync);

  if (seen->len == 0 || g_array_index (seen, HlSyncState, seen->len - 1) != state)
    g_array_append_val (seen, state);
}

static gboolean
saw_state (GArray      *seen,
           HlSyncState  state)
{
  for (guint i = 0; i < seen->len; i++)
    if (g_array_index (seen, HlSyncState, i) == state)
      return TRUE;
  return FALSE;
}

static HlPeersPage *
open_peers_page (HlWindow *window)
{
  GtkWidget *prefs;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-peers", NULL));
  prefs = hl_ui_test_find_widget (HL_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  return HL_PEERS_PAGE (hl_ui_test_find_descendant (GTK_WIDGET (prefs), HL_TYPE_PEERS_PAGE));
}

static gboolean
row_says (HlPeersPage *page,
          const char  *text)
{
  g_autofree char *row = hl_peers_page_describe_row (page, 0);

  return row != NULL && strstr (row, text) != NULL;
}

static void
test_peer_round_trip (void)
{
  g_autofree char *dir_a = hl_ui_test_make_dir ();
  g_autofree char *dir_b = hl_ui_test_make_dir ();
  g_autofree char *key_a = hl_paths_identity (dir_a);
  g_autofree char *key_b = hl_paths_identity (dir_b);
  g_autofree char *db_a = hl_paths_database (dir_a);
  g_autofree char *listen = NULL;
  g_autofree char *address = NULL;
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlIdentity) me = hl_identity_load_or_create (key_a, NULL, &error);
  g_autoptr(HlIdentity) them = hl_identity_load_or_create (key_b, NULL, &error);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (HlSyncState));
  HlForum *forum;
  HlSync *sync;
  HlPeersPage *page;
  HlPostItem *mine;
  GSubprocess *daemon_b;
  HlWindow *window;
  HlComposer *composer;
  guint16 port = hl_ui_test_free_port ();
  guint8 subnet[HL_ID_LEN], backlog[HL_ID_LEN];

  if (g_getenv ("HYPERLINKD") == NULL)
    {
      g_test_skip ("HYPERLINKD is not set");
      return;
    }
  g_assert_no_error (error);
  hl_ui_test_publish (dir_a, me, HL_KIND_PROFILE, NULL, "{\"name\":\"Window\"}", NULL);
  hl_ui_test_publish (dir_a, me, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Loopback\"}", subnet);
  hl_ui_test_publish (dir_b, them, HL_KIND_PROFILE, NULL, "{\"name\":\"Peer\"}", NULL);
  /* Enough for the window to be seen syncing before it is in sync. */
  hl_ui_test_publish (dir_b, them, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Backlog\"}", backlog);
  hl_ui_test_add_threads (dir_b, them, backlog, BACKLOG, "Old");

  /* The peer, as `hyperlinkctl peer add` would store it. */
  listen = g_strdup_printf ("127.0.0.1:%u", port);
  address = g_strdup_printf ("ws://127.0.0.1:%u", port);
  {
    g_autoptr(HlStore) store = hl_store_open (db_a, &error);

    g_assert_no_error (error);
    g_assert_true (hl_store_sync_add_peer (store, address, NULL, &error));
    g_assert_no_error (error);
  }

  forum = hl_forum_new (dir_a, &error);
  g_assert_no_error (error);
  sync = hl_sync_new (dir_a);
  g_signal_connect (sync, "notify::state", G_CALLBACK (on_state_cb), seen);
  hl_sync_start (sync);
  window = g_object_ref (hl_window_new (NULL, forum, sync));
  gtk_window_present (GTK_WINDOW (window));
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_subnets (window)) == 1 &&
              hl_window_get_idle (window), 10);

  /* The peer is not up: the node runs, nobody is connected. */
  HL_UI_WAIT (hl_sync_get_state (sync) == HL_SYNC_OFFLINE, 10);
  g_assert_false (hl_sync_get_external (sync));
  g_assert_cmpuint (hl_sync_get_port (sync), >, 0);
  g_assert_cmpstr (hl_window_get_sync_text (window), ==, "Offline");
  g_assert_cmpstr (hl_window_get_sync_icon (window), ==, "network-offline-symbolic");

  /* Window → peer: written while nobody can have it, so it is marked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-thread", NULL));
  HL_UI_WAIT (hl_window_get_composer (window) != NULL, 5);
  composer = HL_COMPOSER (hl_window_get_composer (window));
  hl_composer_set_text (composer, "Posted in the window", "Does it reach the peer?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL));
  HL_UI_WAIT (hl_window_get_composer (window) == NULL, 10);
  HL_UI_WAIT ((mine = window_thread (window, "Posted in the window")) != NULL, 10);
  g_object_ref (mine);
  g_assert_true (hl_post_item_get_pending (mine));

  /* The Peers page lists the peer, offline, added by hand. */
  page = open_peers_page (window);
  HL_UI_WAIT (row_says (page, "Not connected"), 10);
  g_assert_true (row_says (page, "Found: added by hand"));
  found = hl_peers_page_describe_row (page, 0);
  g_assert_nonnull (strstr (found, address));
  g_assert_nonnull (strstr (hl_peers_page_get_status (page), "Syncing in this window"));

  daemon_b = start_daemon (dir_b, listen, NULL);
  HL_UI_WAIT (store_has_thread (dir_b, subnet, "Posted in the window"), 30);
  /* The peer holds it: the mark goes, live. */
  HL_UI_WAIT (!hl_post_item_get_pending (mine), 30);
  HL_UI_WAIT (hl_sync_get_state (sync) == HL_SYNC_IN_SYNC, 30);
  g_assert_true (saw_state (seen, HL_SYNC_SYNCING));
  g_assert_cmpuint (hl_sync_get_connected (sync), ==, 1);
  g_assert_cmpstr (hl_window_get_sync_text (window), ==, "In sync · 1 peer");
  g_assert_cmpstr (hl_window_get_sync_icon (window), ==, "network-transmit-receive-symbolic");
  HL_UI_WAIT (row_says (page, "Connected · in sync"), 10);
  /* The friend by the name of its profile (its node key is its identity key). */
  HL_UI_WAIT (row_says (page, "Peer\n"), 10);
  g_assert_true (row_says (page, "Received " G_STRINGIFY (BACKLOG_AND_2) " events"));

  /* Peer → window, live. */
  hl_ui_test_publish (dir_b, them, HL_KIND_THREAD_CREATE, subnet,
                      "{\"title\":\"Posted by the peer\",\"body\":\"Hello window\"}", NULL);
  HL_UI_WAIT (window_thread (window, "Posted by the peer") != NULL, 30);
  g_assert_false (hl_post_item_get_pending (window_thread (window, "Posted by the peer")));

  /* The peer goes away: offline again, and the page says when it was seen. */
  stop_daemon (daemon_b);
  HL_UI_WAIT (hl_sync_get_state (sync) == HL_SYNC_OFFLINE, 30);
  HL_UI_WAIT (row_says (page, "Not connected · last seen"), 10);

  hl_preferences_window_close (HL_PREFERENCES_WINDOW (hl_ui_test_find_widget (HL_TYPE_PREFERENCES_WINDOW)));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_object_unref (mine);
  /* Stopping releases the data directory: a hyperlinkd may take it now. */
  hl_sync_stop (sync);
  g_assert_finalize_object (sync);
  {
    int fd = hl_sync_lock_acquire (dir_a, &error);

    g_assert_no_error (error);
    close (fd);
  }
  HL_UI_WAIT (G_OBJECT (forum)->ref_count == 1, 10);
  g_assert_finalize_object (forum);
  hl_ui_test_remove_dir (dir_a);
  hl_ui_test_remove_dir (dir_b);
}

static void
test_peer_external (void)
{
  g_autofree char *dir_a = hl_ui_test_make_dir ();
  g_autofree char *dir_b = hl_ui_test_make_dir ();
  g_autofree char *key_a = hl_paths_identity (dir_a);
  g_autofree char *listen = NULL;
  g_autofree char *address = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlIdentity) me = hl_identity_load_or_create (key_a, NULL, &error);
  GSubprocess *daemon_a, *daemon_b;
  HlForum *forum;
  HlSync *sync;
  HlWindow *window;
  guint16 port = hl_ui_test_free_port ();
  gint64 pid;

  if (g_getenv ("HYPERLINKD") == NULL)
    {
      g_test_skip ("HYPERLINKD is not set");
      return;
    }
  g_assert_no_error (error);
  hl_ui_test_publish (dir_a, me, HL_KIND_PROFILE, NULL, "{\"name\":\"Window\"}", NULL);
  listen = g_strdup_printf ("127.0.0.1:%u", port);
  address = g_strdup_printf ("ws://127.0.0.1:%u", port);
  daemon_a = start_daemon (dir_a, listen, NULL);
  /* This process holds no lock on dir_a, so asking is safe. */
  HL_UI_WAIT (hl_sync_lock_holder (dir_a) > 0, 10);
  pid = hl_sync_lock_holder (dir_a);
  g_assert_cmpint (pid, ==, atoll (g_subprocess_get_identifier (daemon_a)));

  forum = hl_forum_new (dir_a, &error);
  g_assert_no_error (error);
  sync = hl_sync_new (dir_a);
  hl_sync_start (sync);
  window = g_object_ref (hl_window_new (NULL, forum, sync));
  gtk_window_present (GTK_WINDOW (window));

  /* No second node: the window follows hyperlinkd's status. */
  HL_UI_WAIT (hl_sync_get_external (sync), 10);
  g_assert_cmpint (hl_sync_get_holder (sync), ==, pid);
  g_assert_cmpuint (hl_sync_get_port (sync), ==, 0);
  expected = g_strdup_printf ("service (process %" G_GINT64_FORMAT ") is syncing", pid);
  HL_UI_WAIT (strstr (hl_window_get_sync_tooltip (window), expected) != NULL, 10);
  HL_UI_WAIT (hl_sync_get_state (sync) == HL_SYNC_OFFLINE, 10);

  /* A peer connects to that hyperlinkd: the window sees it in the file. */
  daemon_b = start_daemon (dir_b, NULL, address);
  HL_UI_WAIT (hl_sync_get_state (sync) == HL_SYNC_IN_SYNC, 30);
  g_assert_cmpstr (hl_window_get_sync_text (window), ==, "In sync · 1 peer");
  g_assert_cmpuint (g_list_model_get_n_items (hl_sync_get_peers (sync)), ==, 1);

  /* hyperlinkd stops: the window syncs by itself from then on. */
  stop_daemon (daemon_a);
  HL_UI_WAIT (!hl_sync_get_external (sync) &&
              hl_node_runner_get_state (hl_sync_get_runner (sync)) == HL_NODE_RUNNER_RUNNING, 30);
  g_assert_cmpuint (hl_sync_get_port (sync), >, 0);
  HL_UI_WAIT (strstr (hl_window_get_sync_tooltip (window), "Syncing in this window") != NULL, 10);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  hl_sync_stop (sync);
  g_assert_finalize_object (sync);
  stop_daemon (daemon_b);
  HL_UI_WAIT (G_OBJECT (forum)->ref_count == 1, 10);
  g_assert_finalize_object (forum);
  hl_ui_test_remove_dir (dir_a);
  hl_ui_test_remove_dir (dir_b);
}

int
main (int   argc,
      char *argv[])
{
  /* Never anything but loopback, whatever the environment says. */
  g_setenv (HL_SYNC_LISTEN_ENV, "127.0.0.1:0", TRUE);
  g_setenv ("HYPERLINK_SYNC_STATUS_MS", "20", TRUE);
  hl_ui_test_init (&argc, &argv);
  g_test_add_func ("/peer/round-trip", test_peer_round_trip);
  g_test_add_func ("/peer/external", test_peer_external);
  return g_test_run ();
}
