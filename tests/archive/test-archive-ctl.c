/* test-archive-ctl.c: `hyperlinkctl archive status|seal|verify` run as a
 * person runs them: text and --json, a damaged symbol found and made again,
 * wrong usage, a missing data directory, and manifests that break the
 * rules refused on import with their reason.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "hl-archive-test.h"
#include "hl-test-util.h"

/* A data directory with a key and a forum of two old months. */
static char *
forum_dir (const char *label)
{
  g_autofree char *dir = hl_test_make_dir (label);
  g_autofree char *key = hl_test_init_identity (dir, "Archivist");
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) feed = g_string_new (NULL);
  g_autofree char *path = NULL, *out = NULL;
  guint8 subnet[HL_ID_LEN];

  events = forum_new (author, 2, 6, 4, subnet);
  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *line = hl_event_to_json_text (g_ptr_array_index (events, i));

      g_string_append_printf (feed, "%s\n", line);
    }
  path = hl_test_write_file (dir, "feed.jsonl", feed->str);
  out = hl_test_ctl_ok (dir, "import", path, NULL);
  g_assert_cmpstr (out, ==, "61 accepted, 0 duplicate, 0 rejected");
  return g_steal_pointer (&dir);
}

static void
damage_a_symbol (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "hyperlink.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE archive_symbols SET data = zeroblob(1024) "
                                     "WHERE key = (SELECT max(key) FROM archive_symbols)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_seal_status_verify (void)
{
  g_autofree char *dir = forum_dir ("ctl-archive");
  g_autofree char *status = NULL, *again = NULL, *checked = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) verify = NULL;
  g_autoptr(HlCtlRun) bad = NULL;
  g_autoptr(HlCtlRun) bad_json = NULL;
  JsonArray *segments;

  status = hl_test_ctl_ok (dir, "archive", "status", NULL);
  hl_test_assert_contains (status, "Archive: nothing is archived yet");

  report = hl_test_ctl_json (dir, "archive", "seal", NULL);
  g_assert_cmpint (hl_test_get_int (report, "sealed"), ==, 2);
  g_assert_cmpint (hl_test_get_int (report, "events_sealed"), ==, 60);
  g_assert_true (hl_test_get_bool (report, "announced"));
  again = hl_test_ctl_ok (dir, "archive", "seal", NULL);
  hl_test_assert_contains (again, "Nothing new to seal");

  status = (g_free (status), hl_test_ctl_ok (dir, "archive", "status", NULL));
  hl_test_assert_contains (status, "Archive: can lose none of your 1 device");
  hl_test_assert_contains (status, "#linux 2024-03 gen 1: 30 events");
  hl_test_assert_contains (status, "Archivist");
  hl_test_assert_contains (status, "(this device)");
  json = hl_test_ctl_json (dir, "archive", "status", NULL);
  g_assert_cmpstr (hl_test_get_string (json, "resilience"), ==, "can lose none of your 1 device");
  g_assert_true (hl_test_get_bool (json, "is_holder"));
  segments = json_node_get_array (hl_test_get_member (json, "segments"));
  g_assert_cmpuint (json_array_get_length (segments), ==, 2);
  g_assert_cmpstr (hl_test_get_string (json_array_get_element (segments, 0), "month"), ==,
                   "2024-03");
  g_assert_true (hl_test_get_bool (json_array_get_element (segments, 0), "verified"));

  checked = hl_test_ctl_ok (dir, "archive", "verify", NULL);
  hl_test_assert_contains (checked, "every one is the segment's");

  damage_a_symbol (dir);
  bad = hl_test_ctl_run (dir, "archive", "verify", NULL);
  hl_test_assert_failed (bad, 1, "were dropped; run “hyperlinkctl archive seal”");
  hl_test_assert_contains (bad->out, "is not the symbol it was stored as");
  /* Dropped: the next check is clean, and the seal makes the share whole. */
  damage_a_symbol (dir);
  bad_json = hl_test_ctl_run (dir, "--json", "archive", "verify", NULL);
  g_assert_cmpint (bad_json->status, ==, 1);
  verify = hl_test_parse_json (bad_json->out);
  g_assert_cmpint (hl_test_get_int (verify, "bad_symbols"), ==, 1);
  g_assert_cmpstr (hl_test_get_string (hl_test_get_member (verify, "error"), "code"), ==,
                   "bad-symbols");
  g_clear_pointer (&report, json_node_unref);
  report = hl_test_ctl_json (dir, "archive", "seal", NULL);
  g_assert_cmpint (hl_test_get_int (report, "symbols_written"), ==, 2);
  g_clear_pointer (&checked, g_free);
  checked = hl_test_ctl_ok (dir, "archive", "verify", NULL);
  hl_test_assert_contains (checked, "every one is the segment's");
  hl_test_remove_tree (dir);
}

static void
test_usage_and_missing (void)
{
  g_autofree char *nowhere = g_build_filename (g_get_tmp_dir (), "hl-archive-no-such-dir", NULL);
  g_autoptr(HlCtlRun) missing = hl_test_ctl_run (nowhere, "archive", "status", NULL);
  g_autoptr(HlCtlRun) wrong = hl_test_ctl_run (NULL, "archive", "rebuild", NULL);
  g_autoptr(HlCtlRun) extra = hl_test_ctl_run (nowhere, "archive", "seal", "now", NULL);
  g_autoptr(HlCtlRun) verify = hl_test_ctl_run (nowhere, "archive", "verify", NULL);
  g_autofree char *help = hl_test_ctl_ok (NULL, "help", "archive", "seal", NULL);

  hl_test_assert_failed (missing, 1, "no such directory");
  hl_test_assert_failed (verify, 1, "no such directory");
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  hl_test_assert_failed (wrong, 2, "archive has no command “rebuild”: it has status, seal, "
                                   "restore, load or verify");
  g_assert_cmpint (extra->status, ==, 2);
  hl_test_assert_contains (help, "--all");
}

static char *
forge (const char *dir,
       const char *kind,
       const char *ref,
       const char *body)
{
  g_autofree char *key = g_build_filename (dir, "identity.key", NULL);

  return hl_test_forge (key, kind, hl_now_ms () - 60000, ref, body);
}

/* Manifests that break the rules: refused on import, each with its reason,
 * and nothing else of the file lost. */
static void
test_bad_manifests (void)
{
  g_autofree char *dir = hl_test_make_dir ("ctl-bad-manifests");
  g_autofree char *key = hl_test_init_identity (dir, "Bad");
  g_autofree char *subnet = hl_test_ctl_ok (dir, "subnet", "create", "bad", NULL);
  static const struct
  {
    const char *body;
    const char *reason;
  } cases[] = {
    /* The OTI says F = 300 with T = 1024, one symbol, but Z = 2 blocks. */
    { "{\"month\":\"2024-03\",\"gen\":1,\"part\":0,\"parts\":1,\"set\":\"@Z@\",\"count\":1,"
      "\"first\":1709251200000,\"last\":1709251200000,\"size\":300,\"hash\":\"@Z@\","
      "\"oti\":\"000000012c00040002000104\",\"roots\":[\"@Z@\"]}", "segment-bad-oti" },
    { "{\"month\":\"2024-03\",\"gen\":1,\"part\":0,\"parts\":1,\"set\":\"@Z@\",\"count\":1,"
      "\"first\":1709251200000,\"last\":1709251200000,\"size\":301,\"hash\":\"@Z@\","
      "\"oti\":\"000000012c00040001000104\",\"roots\":[\"@Z@\"]}", "segment-size-mismatch" },
    { "{\"month\":\"2024-03\",\"gen\":1,\"part\":0,\"parts\":1,\"set\":\"@Z@\",\"count\":1,"
      "\"first\":1709251200000,\"last\":1709251200000,\"size\":300,\"hash\":\"@Z@\","
      "\"oti\":\"000000012c00040001000104\",\"roots\":[\"@Z@\",\"@Z@\"]}", "segment-roots-count" },
  };
  g_autofree char *zero = g_strnfill (64, '0');
  g_autoptr(GString) feed = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(HlCtlRun) run = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) body = g_string_new (cases[i].body);
      g_autofree char *line = NULL;

      g_string_replace (body, "@Z@", zero, 0);
      line = forge (dir, "archive.segment", subnet, body->str);
      g_string_append_printf (feed, "%s\n", line);
    }
  {
    g_autofree char *good = forge (dir, "archive.holder", NULL, "{\"quota\":1000}");

    g_string_append_printf (feed, "%s\n", good);
  }
  path = hl_test_write_file (dir, "bad.jsonl", feed->str);
  run = hl_test_ctl_run (dir, "import", path, NULL);
  g_assert_cmpint (run->status, ==, 1);
  hl_test_assert_contains (run->out, "1 accepted, 0 duplicate, 3 rejected");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    hl_test_assert_contains (run->err, cases[i].reason);
  hl_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  hl_test_init (&argc, &argv);
  g_test_add_func ("/archive/ctl/seal-status-verify", test_seal_status_verify);
  g_test_add_func ("/archive/ctl/usage-and-missing", test_usage_and_missing);
  g_test_add_func ("/archive/ctl/bad-manifests", test_bad_manifests);
  return hl_test_run_and_clean_up ();
}
