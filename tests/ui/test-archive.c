/* test-archive.c: the Archive page of Preferences, on a data directory whose
 * history `hyperlinkctl archive seal --all` sealed.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "hl-ui-fixture.h"

#include "hl-archive-page.h"
#include "hl-paths.h"
#include "hl-store-archive.h"
#include "hl-ui-util.h"
#include "hl-preferences-window.h"

static JsonObject *
ctl_status (Fixture *fx)
{
  g_autofree char *out = hl_ui_test_ctl (fx->dir, "--json", "archive", "status", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static HlArchivePage *
open_page (Fixture    *fx,
           HlPreferencesWindow **prefs)
{
  HlArchivePage *page;

  *prefs = hl_preferences_window_new (NULL, fx->forum, NULL);
  hl_preferences_window_present (*prefs);
  page = HL_ARCHIVE_PAGE (hl_ui_test_find_descendant (GTK_WIDGET (*prefs),
                                                      HL_TYPE_ARCHIVE_PAGE));
  g_assert_nonnull (page);
  HL_UI_WAIT (hl_archive_page_is_loaded (page), 10);
  return page;
}

/* An empty archive says so, and no picture or risk is shown. */
static void
test_empty (Fixture       *fx,
            gconstpointer  data)
{
  HlPreferencesWindow *prefs;
  HlArchivePage *page = open_page (fx, &prefs);
  g_autofree char *risks = hl_archive_page_dup_risks (page);

  g_assert_nonnull (strstr (hl_archive_page_get_summary (page), "No history is sealed"));
  g_assert_cmpstr (risks, ==, "");
  hl_preferences_window_close (prefs);
}

/* After a seal, the page shows what `archive status` says: the same
 * resilience sentence, the segments, and, with one device, the at-risk
 * sentence of each segment. */
static void
test_sealed (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *sealed = NULL;
  g_autoptr(JsonObject) st = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *risks = NULL;
  g_autofree char *n_text = NULL;
  HlPreferencesWindow *prefs;
  HlArchivePage *page;
  JsonArray *segments;

  fixture_add_forum (fx);
  sealed = hl_ui_test_ctl (fx->dir, "archive", "seal", "--all", NULL);
  st = ctl_status (fx);
  segments = json_object_get_array_member (st, "segments");
  g_assert_cmpuint (json_array_get_length (segments), >, 0);

  page = open_page (fx, &prefs);
  expected = g_strdup (json_object_get_string_member (st, "resilience"));
  expected[0] = g_ascii_toupper (expected[0]);
  g_assert_cmpstr (hl_archive_page_get_resilience (page), ==, expected);
  n_text = g_strdup_printf ("%u sealed segment", json_array_get_length (segments));
  g_assert_nonnull (strstr (hl_archive_page_get_summary (page), n_text));
  g_assert_nonnull (strstr (hl_archive_page_get_share (page), "Its share is"));
  g_assert_nonnull (strstr (hl_archive_page_get_devices_text (page), "This device holds"));
  risks = hl_archive_page_dup_risks (page);
  g_assert_cmpstr (risks, ==, "");
  hl_preferences_window_close (prefs);
}

static void
drop_symbols (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "hyperlink.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM archive_symbols; DELETE FROM archive_proofs;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A device that lost its share of the symbols (a disk that went bad) puts
 * every segment at risk, and the page says which, in words. */
static void
test_at_risk (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *sealed = NULL;
  g_autofree char *risks = NULL;
  HlPreferencesWindow *prefs;
  HlArchivePage *page;

  fixture_add_forum (fx);
  sealed = hl_ui_test_ctl (fx->dir, "archive", "seal", "--all", NULL);
  drop_symbols (fx->dir);
  page = open_page (fx, &prefs);
  risks = hl_archive_page_dup_risks (page);
  g_assert_nonnull (strstr (risks, "At risk: "));
  g_assert_nonnull (strstr (risks, "Home Lab"));
  g_assert_nonnull (strstr (hl_archive_page_get_devices_text (page), "This device holds 0 of"));
  hl_preferences_window_close (prefs);
}

static gint64
stored_quota (Fixture *fx)
{
  g_autoptr(JsonObject) st = ctl_status (fx);

  return json_object_get_int_member (st, "quota");
}

static gint
stored_policy (Fixture      *fx,
               const guint8 *subnet)
{
  g_autofree char *path = hl_paths_database (fx->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = hl_store_open (path, &error);
  gint lose = 0;
  gboolean set = FALSE;

  g_assert_no_error (error);
  g_assert_true (hl_store_archive_get_policy (store, subnet, &lose, &set, &error));
  g_assert_no_error (error);
  return lose;
}

/* The quota and policy settings reach the store the node reads: the quota
 * as the data directory's setting, the policy as an archive.policy of the
 * subnet this device owns; the page says what the policy costs. */
static void
test_settings (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = hl_ui_settings_new ();
  guint8 mine[HL_ID_LEN];
  g_autofree char *sealed = NULL;
  HlPreferencesWindow *prefs;
  HlArchivePage *page;

  publish_me (fx, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Mine\"}", mine);
  /* Sealing makes this device a holder. */
  sealed = hl_ui_test_ctl (fx->dir, "archive", "seal", "--all", NULL);
  g_assert_nonnull (settings);
  g_settings_reset (settings, "archive-lose");
  g_settings_reset (settings, "archive-quota-mb");
  /* The window applies them (hl-archive-settings.c), the page shows them. */
  fixture_open_window (fx);
  page = open_page (fx, &prefs);
  g_assert_nonnull (strstr (hl_archive_page_get_cost (page), "each keeps about 1/1"));

  g_settings_set_int (settings, "archive-quota-mb", 512);
  HL_UI_WAIT (stored_quota (fx) == 512 * 1024 * 1024, 10);
  g_assert_cmpint (stored_policy (fx, mine), ==, HL_ARCHIVE_LOSE_HALF);
  g_settings_set_int (settings, "archive-lose", 2);
  HL_UI_WAIT (stored_policy (fx, mine) == 2, 10);
  g_assert_nonnull (strstr (hl_archive_page_get_cost (page), "Can lose any 0 of 1 devices"));
  g_settings_reset (settings, "archive-lose");
  g_settings_reset (settings, "archive-quota-mb");
  HL_UI_WAIT (stored_policy (fx, mine) == HL_ARCHIVE_LOSE_HALF, 10);
  hl_preferences_window_close (prefs);
}

/* With Preferences never opened, the window still applies the quota. */
static void
test_settings_without_page (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(GSettings) settings = hl_ui_settings_new ();

  g_assert_nonnull (settings);
  g_settings_reset (settings, "archive-quota-mb");
  fixture_open_window (fx);
  g_settings_set_int (settings, "archive-quota-mb", 384);
  HL_UI_WAIT (stored_quota (fx) == 384 * 1024 * 1024, 10);
  g_settings_reset (settings, "archive-quota-mb");
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
  g_test_add ("/archive/empty", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_empty,
              fixture_teardown);
  g_test_add ("/archive/sealed", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_sealed,
              fixture_teardown);
  g_test_add ("/archive/at-risk", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_at_risk,
              fixture_teardown);
  g_test_add ("/archive/settings", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_settings, fixture_teardown);
  g_test_add ("/archive/settings-without-page", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_settings_without_page, fixture_teardown);
  return g_test_run ();
}
