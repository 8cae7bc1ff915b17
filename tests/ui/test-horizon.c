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

/* The rows of @window's thread list: the threads, then Older history. */
static GListModel *
list_rows (HlWindow *window)
{
  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (hl_window_get_thread_list (window))));
}

/* The item of the list's last row when it is Older history, else NULL. */
static HlOlderHistoryItem *
last_older (HlWindow *window)
{
  GListModel *rows = list_rows (window);
  guint n = g_list_model_get_n_items (rows);
  g_autoptr(GObject) last = n > 0 ? g_list_model_get_item (rows, n - 1) : NULL;

  return HL_IS_OLDER_HISTORY_ITEM (last) ? HL_OLDER_HISTORY_ITEM (last) : NULL;
}

static gboolean
list_ends_with_older (HlWindow *window)
{
  HlOlderHistoryItem *older = last_older (window);

  return older != NULL && hl_older_history_item_is_idle (older) &&
         hl_older_history_item_get_text (older) != NULL;
}

/* The line drawn in that row (the list holds no other). */
static HlOlderHistory *
older_row (HlWindow *window)
{
  return HL_OLDER_HISTORY (hl_ui_test_find_descendant (hl_window_get_thread_list (window),
                                                       HL_TYPE_OLDER_HISTORY));
}

/* The line below a search's results: an HlOlderHistory outside the list. */
static HlOlderHistory *
search_line (GtkWidget *root)
{
  if (HL_IS_OLDER_HISTORY (root) && gtk_widget_get_ancestor (root, GTK_TYPE_LIST_VIEW) == NULL)
    return HL_OLDER_HISTORY (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      HlOlderHistory *found = search_line (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What the store says @subnet lacks: the threads, and the month they are
 * all from before (the one after the newest dropped), as the row words it. */
static guint64
expected_older (Fixture      *fx,
                const guint8 *subnet,
                char        **before)
{
  g_autofree char *path = hl_paths_database (fx->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = hl_store_open (path, &error);
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) after = NULL;
  guint64 threads = 0;
  guint last = 0;

  g_assert_no_error (error);
  ranges = hl_store_horizon_list (store, subnet, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ranges->len; i++)
    {
      threads += g_array_index (ranges, HlHorizonRange, i).threads;
      last = MAX (last, g_array_index (ranges, HlHorizonRange, i).month);
    }
  g_assert_cmpuint (last, >, 0);
  first = g_date_time_new_utc ((gint) (last / 100), (gint) (last % 100), 1, 0, 0, 0);
  after = g_date_time_add_months (first, 1);
  *before = g_date_time_format (after, "%B %Y");
  return threads;
}

/* In the window: the subnet whose months were dropped ends its thread list
 * with a row that counts them and names the month, with Load; a search
 * says, below its results, how many archived months it could not look
 * into. */
static void
test_window_older (Fixture       *fx,
                   gconstpointer  data)
{
  guint8 subnet[HL_ID_LEN];
  g_autofree char *before = NULL;
  g_autofree char *line = NULL;
  HlOlderHistoryItem *item;
  HlOlderHistory *row, *search;
  guint64 threads;

  drop_old_months (fx, subnet);
  threads = expected_older (fx, subnet, &before);
  g_assert_cmpuint (threads, >, 0);
  /* Three threads of today stay on this device, above the row. */
  hl_ui_test_add_threads (fx->dir, fx->other, subnet, 3, "Recent");
  fixture_open_window (fx);
  activate_with_id (fx->window, "win.select-subnet", subnet);
  HL_UI_WAIT (list_ends_with_older (fx->window) &&
              g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3, 10);
  item = last_older (fx->window);
  g_assert_cmpuint (hl_older_history_item_get_threads (item), ==, threads);
  g_assert_cmpstr (hl_older_history_item_get_before (item), ==, before);
  line = g_strdup_printf ("Older history: %" G_GUINT64_FORMAT " threads from before %s, stored "
                          "across your group", threads, before);
  g_assert_cmpstr (hl_older_history_item_get_text (item), ==, line);
  g_assert_cmpuint (g_list_model_get_n_items (list_rows (fx->window)), ==, 4);
  HL_UI_WAIT ((row = older_row (fx->window)) != NULL && gtk_widget_get_mapped (GTK_WIDGET (row)),
              10);
  g_assert_true (hl_older_history_get_item (row) == item);
  g_assert_cmpstr (hl_older_history_get_text (row), ==, line);
  g_assert_true (gtk_widget_get_mapped (hl_older_history_get_load_button (row)));
  /* Keyboard: from the thread list, Tab reaches the row's Load button. */
  {
    GtkWidget *button = hl_older_history_get_load_button (row);
    GtkWidget *focus = NULL;

    gtk_widget_grab_focus (hl_window_get_thread_list (fx->window));
    for (guint i = 0; i < 12 && focus != button; i++)
      {
        gtk_widget_child_focus (GTK_WIDGET (fx->window), GTK_DIR_TAB_FORWARD);
        focus = gtk_root_get_focus (GTK_ROOT (fx->window));
      }
    g_assert_true (focus == button);
  }
  /* Not the line below the pane: that one is a search's. */
  search = search_line (GTK_WIDGET (fx->window));
  g_assert_nonnull (search);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (search)));
  maybe_screenshot_widget (GTK_WIDGET (fx->window), "horizon-window.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.find", "s",
                                             "anything"));
  HL_UI_WAIT (hl_older_history_get_text (search) != NULL &&
              g_str_has_prefix (hl_older_history_get_text (search), "Not searched: "), 10);
  g_assert_nonnull (strstr (hl_older_history_get_text (search), "archived month"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (search)));
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

static void
on_text_cb (HlOlderHistoryItem *item,
            GParamSpec         *pspec,
            GPtrArray          *texts)
{
  const char *text = hl_older_history_item_get_text (item);

  if (text != NULL)
    g_ptr_array_add (texts, g_strdup (text));
}

/* Loads with @window's node from the list's last row, by its Load button
 * or (@by_key) by activating the row as Enter does; the row shows the
 * load's progress and goes once the months are back. */
static void
load_in_window (HlWindow *window,
                gboolean  by_key)
{
  g_autoptr(HlOlderHistoryItem) item = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  HlOlderHistory *row;
  GListModel *rows = list_rows (window);

  HL_UI_WAIT (list_ends_with_older (window), 10);
  item = g_object_ref (last_older (window));
  HL_UI_WAIT ((row = older_row (window)) != NULL && gtk_widget_get_mapped (GTK_WIDGET (row)),
              10);
  g_assert_cmpuint (g_list_model_get_n_items (hl_window_get_threads (window)), ==, 0);
  g_signal_connect (item, "notify::text", G_CALLBACK (on_text_cb), texts);
  if (by_key)
    g_signal_emit_by_name (hl_window_get_thread_list (window), "activate",
                           g_list_model_get_n_items (rows) - 1);
  else
    /* As Space on the focused button: it clicks a moment later. */
    gtk_widget_activate (hl_older_history_get_load_button (row));
  HL_UI_WAIT (hl_older_history_item_get_loading (item), 10);
  g_assert_false (gtk_widget_get_sensitive (hl_older_history_get_load_button (row)));
  if (!by_key)
    maybe_screenshot_widget (GTK_WIDGET (window), "horizon-loading.png");
  HL_UI_WAIT (!hl_older_history_item_get_loading (item), 60);
  g_signal_handlers_disconnect_by_data (item, texts);
  /* While it loaded, the row said so. */
  g_assert_cmpuint (texts->len, >, 0);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (texts, 0), "Loading older history"));
  HL_UI_WAIT (hl_older_history_item_is_idle (item), 10);
  g_assert_null (hl_older_history_item_get_text (item));
  /* The threads are back, and the list no longer ends with the row. */
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (window)) > 0, 10);
  g_assert_null (last_older (window));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==,
                    g_list_model_get_n_items (hl_window_get_threads (window)));
  HL_UI_WAIT (older_row (window) == NULL, 10);
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
  load_in_window (window, FALSE);
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
  load_in_window (window, TRUE);
  g_assert_false (still_dropped (fx, shown));
  /* The other subnet's month was not fetched: its list still ends with it. */
  g_assert_true (still_dropped (fx, other));
  activate_with_id (window, "win.select-subnet", other);
  HL_UI_WAIT (list_ends_with_older (window), 10);
  g_assert_true (g_str_has_prefix (hl_older_history_item_get_text (last_older (window)),
                                   "Older history: "));
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
