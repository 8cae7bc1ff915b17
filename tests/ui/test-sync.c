/* test-sync.c: the sync indicator and the Peers page, with the window's own
 * node (loopback only), driven through actions.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ui-test.h"

#include "hl-event.h"
#include "hl-forum.h"
#include "hl-paths.h"
#include "hl-peers-page.h"
#include "hl-preferences-window.h"
#include "hl-store-sync.h"
#include "hl-sync.h"
#include "hl-test-client.h"
#include "hl-window.h"

typedef struct
{
  char       *dir;
  HlIdentity *me;
  HlForum    *forum;
  HlSync     *sync;
  HlWindow   *window;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *key_path = NULL;
  g_autoptr(GError) error = NULL;

  fx->dir = hl_ui_test_make_dir ();
  key_path = hl_paths_identity (fx->dir);
  fx->me = hl_identity_load_or_create (key_path, NULL, &error);
  g_assert_no_error (error);
  hl_ui_test_publish (fx->dir, fx->me, HL_KIND_PROFILE, NULL, "{\"name\":\"Tester\"}", NULL);
  fx->forum = hl_forum_new (fx->dir, &error);
  g_assert_no_error (error);
  fx->sync = hl_sync_new (fx->dir);
}

static void
fixture_open_window (Fixture *fx)
{
  fx->window = g_object_ref (hl_window_new (NULL, fx->forum, fx->sync));
  gtk_window_present (GTK_WINDOW (fx->window));
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  GtkWidget *prefs;

  while ((prefs = hl_ui_test_find_widget (HL_TYPE_PREFERENCES_WINDOW)) != NULL)
    {
      hl_preferences_window_close (HL_PREFERENCES_WINDOW (prefs));
      HL_UI_WAIT (hl_ui_test_find_widget (HL_TYPE_PREFERENCES_WINDOW) != prefs, 10);
    }
  if (fx->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fx->window));
      g_assert_finalize_object (g_steal_pointer (&fx->window));
    }
  hl_sync_stop (fx->sync);
  g_assert_finalize_object (g_steal_pointer (&fx->sync));
  HL_UI_WAIT (G_OBJECT (fx->forum)->ref_count == 1, 10);
  g_assert_finalize_object (g_steal_pointer (&fx->forum));
  hl_identity_free (fx->me);
  hl_ui_test_remove_dir (fx->dir);
  g_free (fx->dir);
  g_setenv (HL_SYNC_LISTEN_ENV, "127.0.0.1:0", TRUE);
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
          guint        position,
          const char  *text)
{
  g_autofree char *row = hl_peers_page_describe_row (page, position);

  return row != NULL && strstr (row, text) != NULL;
}

static gboolean
table_has_peer (const char *dir,
                const char *address)
{
  g_autofree char *db = hl_paths_database (dir);
  g_autoptr(HlStore) store = hl_store_open (db, NULL);
  g_autoptr(GPtrArray) peers = store ? hl_store_sync_list_peers (store, NULL) : NULL;

  for (guint i = 0; peers != NULL && i < peers->len; i++)
    if (g_str_equal (g_ptr_array_index (peers, i), address))
      return TRUE;
  return FALSE;
}

/* Before starting: "Offline" with no node; running with no peer: offline,
 * listening on a loopback port, the page empty but saying so. */
static void
test_offline (Fixture       *fx,
              gconstpointer  data)
{
  HlPeersPage *page;
  g_autofree char *port_text = NULL;

  fixture_open_window (fx);
  g_assert_cmpstr (hl_window_get_sync_text (fx->window), ==, "Offline");
  g_assert_cmpstr (hl_window_get_sync_icon (fx->window), ==, "network-error-symbolic");

  hl_sync_start (fx->sync);
  HL_UI_WAIT (hl_node_runner_get_state (hl_sync_get_runner (fx->sync)) == HL_NODE_RUNNER_RUNNING,
              10);
  HL_UI_WAIT (g_strcmp0 (hl_window_get_sync_icon (fx->window), "network-offline-symbolic") == 0,
              10);
  g_assert_cmpint (hl_sync_get_state (fx->sync), ==, HL_SYNC_OFFLINE);
  g_assert_cmpstr (hl_window_get_sync_text (fx->window), ==, "Offline");
  g_assert_cmpuint (hl_sync_get_port (fx->sync), >, 0);
  port_text = g_strdup_printf ("peers can connect on port %u", hl_sync_get_port (fx->sync));
  g_assert_nonnull (strstr (hl_window_get_sync_tooltip (fx->window), port_text));

  page = open_peers_page (fx->window);
  g_assert_nonnull (strstr (hl_peers_page_get_status (page), port_text));
  g_assert_null (gtk_list_box_get_row_at_index (hl_peers_page_get_list (page), 0));
}

/* The window's node asks tailscaled as hyperlinkd does; the tests point it
 * at a socket nobody serves (tests/ui/meson.build), so the Peers page and the
 * tooltip say that Tailscale is not running, and where it was looked for. */
static void
test_tailscale (Fixture       *fx,
                gconstpointer  data)
{
  const char *socket = g_getenv ("HYPERLINK_TAILSCALE_SOCKET");
  HlPeersPage *page;

  g_assert_nonnull (socket);
  g_assert_false (g_file_test (socket, G_FILE_TEST_EXISTS));
  fixture_open_window (fx);
  page = open_peers_page (fx->window);
  g_assert_cmpstr (hl_peers_page_get_tailscale (page), ==, "Not known until sync runs");

  hl_sync_start (fx->sync);
  /* The first status may come before tailscaled was asked. */
  HL_UI_WAIT (g_str_has_prefix (hl_peers_page_get_tailscale (page), "Tailscale is not running"),
              10);
  g_assert_nonnull (strstr (hl_peers_page_get_tailscale (page), socket));
  /* The tooltip stays short: Tailscale is on the Peers page; no command-line words anywhere. */
  g_assert_null (strstr (hl_window_get_sync_tooltip (fx->window), "Tailscale"));
  g_assert_null (strstr (hl_peers_page_get_tailscale (page), "--tailscale-socket"));

  /* hyperlink --tailscale-socket PATH, for the next start. */
  hl_sync_stop (fx->sync);
  hl_node_runner_set_tailscale_socket (hl_sync_get_runner (fx->sync),
                                       "/nonexistent/hyperlink-tests/chosen.sock");
  hl_sync_start (fx->sync);
  HL_UI_WAIT (strstr (hl_peers_page_get_tailscale (page), "chosen.sock") != NULL, 10);
  g_assert_true (g_str_has_prefix (hl_peers_page_get_tailscale (page), "Tailscale is not running"));
}

/* A manual peer entered in Preferences goes to the data directory's peers
 * (as `hyperlinkctl peer add`), the node dials it, and the page says it
 * cannot reach it, and how it was found. Bad input saves nothing. */
static void
test_manual_peer (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *address = g_strdup_printf ("ws://127.0.0.1:%u", hl_ui_test_free_port ());
  HlPeersPage *page;
  GtkWidget *prefs;
  GtkWidget *row;

  fixture_open_window (fx);
  hl_sync_start (fx->sync);
  page = open_peers_page (fx->window);
  prefs = hl_ui_test_find_widget (HL_TYPE_PREFERENCES_WINDOW);

  /* The General page's manual peers row. */
  row = hl_ui_test_find_named (GTK_WIDGET (prefs), "peers_row");
  g_assert_true (ADW_IS_ENTRY_ROW (row));

  gtk_editable_set_text (GTK_EDITABLE (row), "http://example.invalid:1");
  g_signal_emit_by_name (row, "apply");
  gtk_editable_set_text (GTK_EDITABLE (row), address + strlen ("ws://"));
  g_signal_emit_by_name (row, "apply");
  HL_UI_WAIT (table_has_peer (fx->dir, address), 10);
  g_assert_false (table_has_peer (fx->dir, "http://example.invalid:1"));

  HL_UI_WAIT (row_says (page, 0, "cannot reach"), 15);
  g_assert_true (row_says (page, 0, "Found: added by hand"));
  g_assert_true (row_says (page, 0, "Not connected · never seen"));
  g_assert_true (row_says (page, 0, address));
  g_assert_true (row_says (page, 0, "Traffic: Sent 0 events (0 bytes).\nReceived 0 events (0 bytes)."));
  g_assert_cmpint (hl_sync_get_state (fx->sync), ==, HL_SYNC_OFFLINE);

  /* Removing it (an empty list) takes it off the page. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  g_signal_emit_by_name (row, "apply");
  HL_UI_WAIT (!table_has_peer (fx->dir, address), 10);
  HL_UI_WAIT (gtk_list_box_get_row_at_index (hl_peers_page_get_list (page), 0) == NULL, 10);
}

static char *
bootstrap_list (const char *dir)
{
  return hl_ui_test_ctl (dir, "bootstrap", "list", NULL);
}

/* Bootstrap nodes in Preferences: the same table as `hyperlinkctl bootstrap`
 * (checked with it), shown as a list with a remove button per node; bad
 * input is refused with a toast and nothing is saved. */
static void
test_bootstrap (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *from_ctl = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *empty = NULL;
  g_auto(GStrv) shown = NULL;
  HlBootstrapGroup *group;
  GtkWidget *prefs;
  GtkWidget *entry;
  guint loads;

  g_free (hl_ui_test_ctl (fx->dir, "bootstrap", "add", "ws://127.0.0.1:7001", NULL));
  fixture_open_window (fx);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "app.preferences", NULL) ||
                 gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-peers", NULL));
  prefs = hl_ui_test_find_widget (HL_TYPE_PREFERENCES_WINDOW);
  group = hl_preferences_window_get_bootstrap (HL_PREFERENCES_WINDOW (prefs));
  HL_UI_WAIT (hl_bootstrap_group_get_loads (group) >= 1, 10);
  shown = hl_bootstrap_group_dup_shown (group);
  g_assert_cmpstrv (shown, ((const char *[]) { "ws://127.0.0.1:7001", NULL }));
  entry = hl_ui_test_find_named (GTK_WIDGET (prefs), "bootstrap_entry");
  g_assert_true (ADW_IS_ENTRY_ROW (entry));

  /* Bad input: a toast, nothing saved, the text stays to be fixed. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "http://example.invalid:1");
  g_signal_emit_by_name (entry, "apply");
  g_assert_true (g_str_has_prefix (hl_bootstrap_group_get_message (group), "Nothing saved: "));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "http://example.invalid:1");
  gtk_editable_set_text (GTK_EDITABLE (entry), "127.0.0.1:notaport");
  g_signal_emit_by_name (entry, "apply");
  g_assert_true (g_str_has_prefix (hl_bootstrap_group_get_message (group), "Nothing saved: "));
  from_ctl = bootstrap_list (fx->dir);
  g_assert_cmpstr (from_ctl, ==, "ws://127.0.0.1:7001\n");

  /* Added: in the table and in the list. */
  loads = hl_bootstrap_group_get_loads (group);
  gtk_editable_set_text (GTK_EDITABLE (entry), "127.0.0.1:7002");
  g_signal_emit_by_name (entry, "apply");
  HL_UI_WAIT (hl_bootstrap_group_get_loads (group) > loads, 10);
  g_assert_cmpstr (hl_bootstrap_group_get_message (group), ==,
                   "Bootstrap nodes saved; the sync engine uses them within a second");
  listed = bootstrap_list (fx->dir);
  g_assert_cmpstr (listed, ==, "ws://127.0.0.1:7001\nws://127.0.0.1:7002\n");
  g_clear_pointer (&shown, g_strfreev);
  shown = hl_bootstrap_group_dup_shown (group);
  g_assert_cmpstrv (shown, ((const char *[]) { "ws://127.0.0.1:7001", "ws://127.0.0.1:7002",
                                               NULL }));

  /* Removed through each row's button action. */
  loads = hl_bootstrap_group_get_loads (group);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "bootstrap.remove", "s",
                                             "ws://127.0.0.1:7001"));
  HL_UI_WAIT (hl_bootstrap_group_get_loads (group) > loads, 10);
  loads = hl_bootstrap_group_get_loads (group);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "bootstrap.remove", "s",
                                             "ws://127.0.0.1:7002"));
  HL_UI_WAIT (hl_bootstrap_group_get_loads (group) > loads, 10);
  empty = bootstrap_list (fx->dir);
  g_assert_cmpstr (empty, ==, "");
  g_clear_pointer (&shown, g_strfreev);
  shown = hl_bootstrap_group_dup_shown (group);
  g_assert_cmpuint (g_strv_length (shown), ==, 0);
}

/* The port is taken: the node cannot start, and the window says why. */
static void
test_failed (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) taken = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  HlPeersPage *page;

  g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &taken, &error);
  g_assert_no_error (error);
  listen = g_strdup_printf ("127.0.0.1:%u",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (taken)));
  g_setenv (HL_SYNC_LISTEN_ENV, listen, TRUE);

  fixture_open_window (fx);
  hl_sync_start (fx->sync);
  HL_UI_WAIT (g_strcmp0 (hl_window_get_sync_text (fx->window), "Not syncing") == 0, 10);
  g_assert_cmpint (hl_sync_get_state (fx->sync), ==, HL_SYNC_OFF);
  g_assert_cmpstr (hl_window_get_sync_icon (fx->window), ==, "network-error-symbolic");
  /* A sentence for a person; the node's own words are kept for the details. */
  g_assert_nonnull (strstr (hl_window_get_sync_tooltip (fx->window),
                            "another program uses its port"));
  g_assert_null (strstr (hl_window_get_sync_tooltip (fx->window), "--listen"));
  g_assert_nonnull (strstr (hl_sync_get_error (fx->sync), "another program"));
  page = open_peers_page (fx->window);
  g_assert_nonnull (strstr (hl_peers_page_get_status (page), "Sync could not start"));
  g_socket_listener_close (listener);
}

/* The Preferences' listen port is where the node listens (here on loopback
 * only), and changing it there moves the node. */
static void
test_listen_port (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  guint16 first = hl_ui_test_free_port (), second;
  HlNodeRunner *runner = hl_sync_get_runner (fx->sync);
  HlPreferencesWindow *prefs;
  GtkWidget *spin;

  g_setenv (HL_SYNC_LISTEN_ENV, "127.0.0.1", TRUE);
  g_settings_set_int (settings, "listen-port", first);
  fixture_open_window (fx);
  hl_sync_start (fx->sync);
  HL_UI_WAIT (hl_node_runner_get_state (runner) == HL_NODE_RUNNER_RUNNING, 10);
  g_assert_cmpuint (hl_sync_get_port (fx->sync), ==, first);

  /* Through the spin button of Preferences → General. */
  prefs = hl_preferences_window_new (GTK_WINDOW (fx->window), fx->forum, fx->sync);
  hl_preferences_window_present (prefs);
  spin = hl_ui_test_find_descendant (GTK_WIDGET (prefs), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, first);
  do
    second = hl_ui_test_free_port ();
  while (second == first);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), second);
  g_assert_cmpint (g_settings_get_int (settings, "listen-port"), ==, second);
  HL_UI_WAIT (hl_sync_get_port (fx->sync) == second &&
              hl_node_runner_get_state (runner) == HL_NODE_RUNNER_RUNNING, 10);
  /* For the tests after this one (the restart it schedules never comes:
   * the fixture stops the sync first). */
  g_settings_reset (settings, "listen-port");
}

/* Connections with throwaway keys fill what the window's node takes from
 * one loopback address; the next is turned away, and the Peers page says
 * so in words, under Refused. */
static void
test_refused (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_test_client_free);
  g_autofree char *url = NULL;
  g_autofree char *row = NULL;
  HlTestClient *extra;
  HlPeersPage *page;

  fixture_open_window (fx);
  hl_sync_start (fx->sync);
  page = open_peers_page (fx->window);
  HL_UI_WAIT (hl_sync_get_port (fx->sync) != 0, 10);
  g_assert_null (hl_peers_page_describe_refusal (page, 0));
  url = g_strdup_printf ("ws://127.0.0.1:%u", hl_sync_get_port (fx->sync));
  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(HlIdentity) key = hl_identity_new_random ();
      HlTestClient *client = hl_test_client_connect_url (url, "127.0.0.2");

      g_assert_nonnull (client);
      hl_test_client_handshake (client, key, "[\"recon-1\",\"events-1\"]");
      g_ptr_array_add (clients, client);
    }
  {
    g_autoptr(HlIdentity) key = hl_identity_new_random ();

    extra = hl_test_client_connect_url (url, "127.0.0.2");
    g_assert_nonnull (extra);
    g_ptr_array_add (clients, extra);
    hl_test_client_hello (extra, key, 1, "[]");
    hl_test_client_auth (extra, key, TRUE);
    g_assert_true (hl_test_spin_until (&extra->closed, 10));
    g_assert_cmpuint (extra->code, ==, 4008);
  }
  HL_UI_WAIT ((row = hl_peers_page_describe_refusal (page, 0)) != NULL, 10);
  g_test_message ("%s", row);
  g_assert_true (g_str_has_prefix (row, "127.0.0.2 · node "));
  g_assert_nonnull (strstr (row, "Turned away: this computer already had as many connections as "
                                 "it takes.\nThis happened 1 time, last "));
  g_assert_null (strstr (row, "4008"));
}

/* No HlSync: no indicator, and no way to the Peers page. */
static void
test_no_sync (Fixture       *fx,
              gconstpointer  data)
{
  fx->window = g_object_ref (hl_window_new (NULL, fx->forum, NULL));
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (hl_window_get_sync_text (fx->window));
  gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-peers", NULL);
  g_assert_null (hl_ui_test_find_widget (HL_TYPE_PREFERENCES_WINDOW));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv (HL_SYNC_LISTEN_ENV, "127.0.0.1:0", TRUE);
  hl_ui_test_init (&argc, &argv);
  g_test_add ("/sync/offline", Fixture, NULL, fixture_setup, test_offline, fixture_teardown);
  g_test_add ("/sync/tailscale", Fixture, NULL, fixture_setup, test_tailscale, fixture_teardown);
  g_test_add ("/sync/manual-peer", Fixture, NULL, fixture_setup, test_manual_peer,
              fixture_teardown);
  g_test_add ("/sync/bootstrap", Fixture, NULL, fixture_setup, test_bootstrap, fixture_teardown);
  g_test_add ("/sync/failed", Fixture, NULL, fixture_setup, test_failed, fixture_teardown);
  g_test_add ("/sync/listen-port", Fixture, NULL, fixture_setup, test_listen_port,
              fixture_teardown);
  g_test_add ("/sync/no-sync", Fixture, NULL, fixture_setup, test_no_sync, fixture_teardown);
  g_test_add ("/sync/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  return g_test_run ();
}
