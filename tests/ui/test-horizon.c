/* test-horizon.c: "Keep on this device" in Preferences (docs/protocol.md,
 * "Horizon"): the row reads and writes the store's setting that the node
 * and hyperlinkd read, and refuses with the core's reason while the
 * archive's policy needs this device's copy.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "hl-ui-fixture.h"

#include "hl-horizon-row.h"
#include "hl-older-history.h"
#include "hl-paths.h"
#include "hl-store-archive.h"
#include "hl-store-horizon.h"
#include "hl-preferences-window.h"
#include "hl-screenshot.h"
#include "hl-sync.h"
#include "hl-test-node.h"
#include "hl-ui-util.h"

#define DAY_MS (24 * G_GINT64_CONSTANT (3600000))

/* What `hyperlinkctl config show` says of keep. */
static char *
stored_keep (Fixture *fx)
{
  g_autofree char *out = hl_ui_test_ctl (fx->dir, "--json", "config", "show", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (
                     json_parser_get_root (parser)), "keep"));
}

static gboolean
keep_is (Fixture    *fx,
         const char *value)
{
  g_autofree char *keep = stored_keep (fx);

  return g_strcmp0 (keep, value) == 0;
}

static HlHorizonRow *
open_row (Fixture    *fx,
          HlPreferencesWindow **prefs)
{
  HlHorizonRow *row;

  *prefs = hl_preferences_window_new (NULL, fx->forum, NULL);
  hl_preferences_window_present (*prefs);
  row = HL_HORIZON_ROW (hl_ui_test_find_descendant (GTK_WIDGET (*prefs), HL_TYPE_HORIZON_ROW));
  g_assert_nonnull (row);
  HL_UI_WAIT (hl_horizon_row_is_idle (row), 10);
  return row;
}

static const char *
subtitle (HlHorizonRow *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* With $HL_TEST_SCREENSHOT_DIR set, a picture of the group @row is in. */
static void
maybe_screenshot (HlPreferencesWindow *prefs,
                  GtkWidget           *row,
                  const char          *name)
{
  const char *dir = g_getenv ("HL_TEST_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  GtkWidget *page;

  if (dir == NULL)
    return;
  page = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_PAGE);
  hl_preferences_window_show_page (prefs, adw_preferences_page_get_name (ADW_PREFERENCES_PAGE (page)));
  HL_UI_WAIT (gtk_widget_get_mapped (row), 10);
  path = g_build_filename (dir, name, NULL);
  /* It renders once the page has been laid out. */
  HL_UI_WAIT (hl_screenshot_save (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP),
                                  path, NULL), 10);
}

static void
maybe_screenshot_widget (GtkWidget  *widget,
                         const char *name)
{
  const char *dir = g_getenv ("HL_TEST_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  HL_UI_WAIT (hl_screenshot_save (widget, path, NULL), 10);
}

/* With nothing sealed, a shorter horizon frees nothing yet and is set:
 * in the store (as hyperlinkctl reads it) and in GSettings. Setting the
 * GSettings key (gsettings set) moves the store too. */
static void
test_set (Fixture       *fx,
          gconstpointer  data)
{
  g_autoptr(GSettings) settings = hl_ui_settings_new ();
  g_autofree char *key = NULL;
  HlPreferencesWindow *prefs;
  HlHorizonRow *row;

  g_assert_nonnull (settings);
  g_settings_reset (settings, "keep-on-device");
  fixture_add_forum (fx);
  row = open_row (fx, &prefs);
  g_assert_cmpint (hl_horizon_row_get_months (row), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);

  /* A person picks "3 months" (the fourth choice). */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 3);
  HL_UI_WAIT (hl_horizon_row_is_idle (row) && hl_horizon_row_get_months (row) == 3, 10);
  g_assert_true (keep_is (fx, "3m"));
  key = g_settings_get_string (settings, "keep-on-device");
  g_assert_cmpstr (key, ==, "3m");
  g_assert_nonnull (strstr (subtitle (row), "Frees nothing yet"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (hl_horizon_row_get_reason (row))));

  g_settings_set_string (settings, "keep-on-device", "everything");
  HL_UI_WAIT (hl_horizon_row_is_idle (row) && hl_horizon_row_get_months (row) == 0, 10);
  g_assert_true (keep_is (fx, "everything"));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  hl_preferences_window_close (prefs);
  g_settings_reset (settings, "keep-on-device");
}

/* Old months sealed on this device alone: it holds the only copy, so a
 * 1-month horizon is refused with the core's reason, and nothing changes. */
static void
test_refused (Fixture       *fx,
              gconstpointer  data)
{
  const char *dirs[] = { fx->dir };
  g_autofree char *sealed = NULL;
  HlPreferencesWindow *prefs;
  HlHorizonRow *row;

  hl_test_fill (dirs, 1, 40, 1, (guint64) (hl_now_ms () - 200 * DAY_MS));
  sealed = hl_ui_test_ctl (fx->dir, "archive", "seal", "--all", NULL);
  row = open_row (fx, &prefs);
  hl_horizon_row_choose (row, 1);
  HL_UI_WAIT (hl_horizon_row_is_idle (row), 10);
  g_assert_cmpint (hl_horizon_row_get_months (row), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  g_assert_nonnull (strstr (subtitle (row), "Not changed"));
  /* The reasons, below the group: the row keeps its room. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (hl_horizon_row_get_reason (row))));
  g_assert_nonnull (strstr (gtk_label_get_text (hl_horizon_row_get_reason (row)),
                            "only one that holds its symbols"));
  g_assert_nonnull (strstr (gtk_label_get_text (hl_horizon_row_get_reason (row)),
                            " of #bench-1 stays: "));
  g_assert_true (keep_is (fx, "everything"));
  maybe_screenshot (prefs, GTK_WIDGET (row), "horizon-refused.png");
  hl_preferences_window_close (prefs);
}

/* Drops every sealed month here, as a short horizon would once the
 * group held them; returns the subnet the filled threads are in. */
static void
drop_sealed (Fixture *fx,
             guint8  *subnet)
{
  g_autofree char *path = hl_paths_database (fx->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = hl_store_open (path, &error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  HlHorizonAmount amount;

  g_assert_no_error (error);
  rows = hl_store_archive_list_segments (store, NULL, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);

      g_array_append_val (ids, row->rowid);
      memcpy (subnet, row->manifest.subnet, HL_ID_LEN);
    }
  g_assert_cmpuint (ids->len, >, 0);
  g_assert_true (hl_store_horizon_drop (store, (const gint64 *) ids->data, ids->len, TRUE,
                                        &amount, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (amount.threads, >, 0);
}

/* 40 events of 200 days ago, sealed here and dropped. */
static void
drop_old_months (Fixture *fx,
                 guint8  *subnet)
{
  const char *dirs[] = { fx->dir };
  g_autofree char *sealed = NULL;

  hl_test_fill (dirs, 1, 40, 1, (guint64) (hl_now_ms () - 200 * DAY_MS));
  sealed = hl_ui_test_ctl (fx->dir, "archive", "seal", "--all", NULL);
  drop_sealed (fx, subnet);
}

static gint64
restore_request (Fixture *fx)
{
  g_autofree char *path = hl_paths_database (fx->dir);
  g_autoptr(HlStore) store = hl_store_open (path, NULL);

  return hl_store_archive_get_setting (store, HL_ARCHIVE_SETTING_RESTORE_REQUEST, NULL);
}

/* Months dropped here: the line says how many threads, from before which
 * month, and Load leaves the request the node here takes up. */
static void
test_older (Fixture       *fx,
            gconstpointer  data)
{
  guint8 subnet[HL_ID_LEN];
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  HlOlderHistory *older = hl_older_history_new (fx->forum);

  gtk_window_set_default_size (window, 480, -1);
  gtk_window_set_child (window, GTK_WIDGET (older));
  gtk_window_present (window);
  drop_old_months (fx, subnet);
  hl_older_history_set_subnet (older, subnet);
  HL_UI_WAIT (hl_older_history_is_idle (older), 10);
  g_assert_nonnull (hl_older_history_get_text (older));
  g_assert_true (g_str_has_prefix (hl_older_history_get_text (older), "Older history: "));
  g_assert_nonnull (strstr (hl_older_history_get_text (older),
                            "threads from before "));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (older)));
  maybe_screenshot_widget (GTK_WIDGET (older), "horizon-older.png");

  g_assert_cmpint (restore_request (fx), <=, 0);
  hl_older_history_load (older);
  HL_UI_WAIT (hl_older_history_is_idle (older), 10);
  g_assert_true (hl_older_history_is_loading (older));
  g_assert_cmpint (restore_request (fx), >, 0);
  gtk_window_destroy (window);
}

/* In the window: the line ends the thread pane of the subnet whose months
 * were dropped. */
static void
test_window_older (Fixture       *fx,
                   gconstpointer  data)
{
  guint8 subnet[HL_ID_LEN];
  HlOlderHistory *older;

  drop_old_months (fx, subnet);
  fixture_open_window (fx);
  older = HL_OLDER_HISTORY (hl_ui_test_find_descendant (GTK_WIDGET (fx->window),
                                                        HL_TYPE_OLDER_HISTORY));
  g_assert_nonnull (older);
  activate_with_id (fx->window, "win.select-subnet", subnet);
  HL_UI_WAIT (hl_older_history_get_text (older) != NULL, 10);
  g_assert_true (g_str_has_prefix (hl_older_history_get_text (older), "Older history: "));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (older)));
  maybe_screenshot_widget (GTK_WIDGET (fx->window), "horizon-window.png");

  /* A search says how many archived months it could not look into. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.find", "s",
                                             "anything"));
  HL_UI_WAIT (hl_older_history_get_text (older) != NULL &&
              g_str_has_prefix (hl_older_history_get_text (older), "Not searched: "), 10);
  g_assert_nonnull (strstr (hl_older_history_get_text (older),
                            "archived month"));
  maybe_screenshot_widget (GTK_WIDGET (fx->window), "horizon-search.png");
}

/* A window with its own node, showing @subnet's list; the node's Load
 * waits up to 20 s for peers before it decodes. */
static HlWindow *
open_window_with_node (Fixture       *fx,
                       const guint8  *subnet,
                       HlSync       **sync)
{
  HlWindow *window;

  *sync = hl_sync_new (fx->dir);
  window = g_object_ref (hl_window_new (NULL, fx->forum, *sync));
  gtk_window_present (GTK_WINDOW (window));
  hl_sync_start (*sync);
  activate_with_id (window, "win.select-subnet", subnet);
  HL_UI_WAIT (hl_sync_get_state (*sync) == HL_SYNC_OFFLINE, 20);
  return window;
}

/* Loads with @window's node; the line then says what is still dropped. */
static HlOlderHistory *
load_in_window (HlWindow *window)
{
  HlOlderHistory *older = HL_OLDER_HISTORY (hl_ui_test_find_descendant (GTK_WIDGET (window),
                                                                        HL_TYPE_OLDER_HISTORY));

  HL_UI_WAIT (hl_older_history_get_text (older) != NULL, 10);
  g_assert_cmpuint (g_list_model_get_n_items (hl_window_get_threads (window)), ==, 0);
  hl_older_history_load (older);
  g_assert_true (hl_older_history_is_loading (older));
  HL_UI_WAIT (!hl_older_history_is_loading (older), 60);
  HL_UI_WAIT (hl_older_history_is_idle (older), 10);
  g_assert_null (hl_older_history_get_text (older));
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (window)) > 0, 10);
  return older;
}

static void
close_window_with_node (HlWindow *window,
                        HlSync   *sync)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  hl_sync_stop (sync);
  g_assert_finalize_object (sync);
}

/* Load with the window's own node: it decodes the dropped month (from the
 * symbols this device, its only holder, kept; with peers it fetches
 * them), the line goes and the threads are back. */
static void
test_load (Fixture       *fx,
           gconstpointer  data)
{
  guint8 subnet[HL_ID_LEN];
  HlSync *sync;
  HlWindow *window;

  drop_old_months (fx, subnet);
  window = open_window_with_node (fx, subnet, &sync);
  load_in_window (window);
  close_window_with_node (window, sync);
}

/* Whether the month of @subnet that drop_old_months dropped is still dropped. */
static gboolean
still_dropped (Fixture      *fx,
               const guint8 *subnet)
{
  g_autofree char *path = hl_paths_database (fx->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = hl_store_open (path, &error);
  g_autoptr(GArray) ranges = NULL;

  g_assert_no_error (error);
  ranges = hl_store_horizon_list (store, subnet, TRUE, &error);
  g_assert_no_error (error);
  return ranges->len > 0;
}

/* Two subnets' old months dropped: Load in one subnet's list brings back
 * that subnet's month only; the other's stays in the archive, and its
 * line still counts it. */
static void
test_load_subnet (Fixture       *fx,
                  gconstpointer  data)
{
  const char *dirs[] = { fx->dir };
  g_autofree char *sealed = NULL;
  g_autofree char *path = hl_paths_database (fx->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ranges = NULL;
  guint8 shown[HL_ID_LEN], other[HL_ID_LEN], any[HL_ID_LEN];
  HlSync *sync;
  HlWindow *window;
  HlOlderHistory *older;

  hl_test_fill (dirs, 1, 40, 1, (guint64) (hl_now_ms () - 200 * DAY_MS));
  hl_test_fill (dirs, 1, 40, 2, (guint64) (hl_now_ms () - 200 * DAY_MS));
  sealed = hl_ui_test_ctl (fx->dir, "archive", "seal", "--all", NULL);
  drop_sealed (fx, any);
  {
    g_autoptr(HlStore) store = hl_store_open (path, &error);

    g_assert_no_error (error);
    ranges = hl_store_horizon_list (store, NULL, TRUE, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (ranges->len, ==, 2);
  memcpy (shown, g_array_index (ranges, HlHorizonRange, 0).subnet, HL_ID_LEN);
  memcpy (other, g_array_index (ranges, HlHorizonRange, 1).subnet, HL_ID_LEN);
  g_assert_true (memcmp (shown, other, HL_ID_LEN) != 0);

  window = open_window_with_node (fx, shown, &sync);
  older = load_in_window (window);
  g_assert_false (still_dropped (fx, shown));
  /* The other subnet's month was not fetched. */
  g_assert_true (still_dropped (fx, other));
  activate_with_id (window, "win.select-subnet", other);
  HL_UI_WAIT (hl_older_history_is_idle (older) && hl_older_history_get_text (older) != NULL,
              10);
  g_assert_true (g_str_has_prefix (hl_older_history_get_text (older), "Older history: "));
  close_window_with_node (window, sync);
}

/* Nothing dropped: no line. */
static void
test_no_older (Fixture       *fx,
               gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  HlOlderHistory *older = hl_older_history_new (fx->forum);

  fixture_add_forum (fx);
  gtk_window_set_child (window, GTK_WIDGET (older));
  gtk_window_present (window);
  hl_older_history_set_subnet (older, fx->subnet);
  HL_UI_WAIT (hl_older_history_is_idle (older), 10);
  g_assert_null (hl_older_history_get_text (older));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (older)));
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  hl_ui_test_init (&argc, &argv);
  if (g_getenv ("HYPERLINKCTL") == NULL)
    {
      g_print ("1..0 # SKIP HYPERLINKCTL is not set\n");
      return 0;
    }
  g_test_add ("/horizon/set", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_set,
              fixture_teardown);
  g_test_add ("/horizon/refused", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_refused, fixture_teardown);
  g_test_add ("/horizon/older", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_older,
              fixture_teardown);
  g_test_add ("/horizon/window-older", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_window_older, fixture_teardown);
  g_test_add ("/horizon/load", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_load, fixture_teardown);
  g_test_add ("/horizon/load-subnet", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_load_subnet, fixture_teardown);
  g_test_add ("/horizon/no-older", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_no_older, fixture_teardown);
  return g_test_run ();
}
