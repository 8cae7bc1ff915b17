/* test-ctl-import.c: hyperlinkctl across data directories and processes.
 *
 * Who may change what once events travel by export and import, what a delete
 * leaves behind on disk, what import reports line by line, and two processes
 * writing to one data directory at once.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "hl-test-util.h"

typedef struct
{
  char *root;
  char *alice;
  char *bob;
  char *carol;    /* stays empty until something is imported */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->root = hl_test_make_dir ("import");
  f->alice = g_build_filename (f->root, "alice", NULL);
  f->bob = g_build_filename (f->root, "bob", NULL);
  f->carol = g_build_filename (f->root, "carol", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  hl_test_remove_tree (f->root);
  g_free (f->root);
  g_free (f->alice);
  g_free (f->bob);
  g_free (f->carol);
}

static char *
init_identity (const char *dir,
               const char *name)
{
  g_autoptr(JsonNode) out = hl_test_ctl_json (dir, "init", "--name", name, NULL);

  return g_strdup (hl_test_get_string (out, "key"));
}

/* Exports @from and imports everything into @to, which must accept it all. */
static void
sync_one_way (Fixture    *f,
              const char *from,
              const char *to)
{
  g_autofree char *export = hl_test_ctl_ok (from, "export", NULL);
  g_autofree char *file = hl_test_write_file (f->root, "sync.jsonl", export);
  g_autoptr(JsonNode) report = hl_test_ctl_json (to, "import", file, NULL);

  g_assert_cmpint (hl_test_get_int (report, "rejected"), ==, 0);
}

static void
assert_same_state (const char *dir,
                   const char *other)
{
  g_autofree char *state = hl_test_ctl_ok (dir, "state", NULL);
  g_autofree char *other_state = hl_test_ctl_ok (other, "state", NULL);

  g_assert_cmpstr (state, ==, other_state);
}

static guint
count_threads (const char *dir,
               const char *subnet)
{
  g_autoptr(JsonNode) list = hl_test_ctl_json (dir, "thread", "list", subnet, "--limit", "500",
                                               NULL);

  return json_array_get_length (json_node_get_array (list));
}

static gboolean
post_is_hidden (const char *dir,
                const char *thread)
{
  g_autoptr(JsonNode) show = hl_test_ctl_json (dir, "thread", "show", thread, NULL);

  return hl_test_get_bool (show, "hidden");
}

static void
test_permissions (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *alice = init_identity (f->alice, "Alice");
  g_autofree char *bob = init_identity (f->bob, "Bob");
  g_autofree char *subnet = hl_test_ctl_ok (f->alice, "subnet", "create", "cats", NULL);
  g_autofree char *thread = hl_test_ctl_ok (f->alice, "thread", "create", subnet,
                                            "--title", "Alice's thread", "--body", "mine", NULL);
  g_autofree char *reply = hl_test_ctl_ok (f->alice, "reply", thread, "--body", "also mine",
                                           NULL);
  g_autofree char *id = NULL, *bob_thread = NULL, *before = NULL, *after = NULL;
  struct { const char *argv[8]; const char *needle; } refused[] = {
    { { "edit", thread, "--body", "Bob was here", NULL }, "only edit or delete your own" },
    { { "edit", reply, "--body", "Bob was here", NULL }, "only edit or delete your own" },
    { { "delete", thread, NULL }, "only edit or delete your own" },
    { { "delete", reply, NULL }, "only edit or delete your own" },
    { { "delete", subnet, NULL }, "only the subnet's owner" },
    { { "hide", thread, NULL }, "only the subnet's owner and moderators" },
    { { "subnet", "update", subnet, "--name", "dogs", NULL }, "only the subnet's owner" },
    { { "moderator", "add", subnet, bob, NULL }, "only the subnet's owner" },
  };

  sync_one_way (f, f->alice, f->bob);
  before = hl_test_ctl_ok (f->bob, "state", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(HlCtlRun) run = hl_test_ctl_runv (f->bob, NULL, refused[i].argv);

      g_test_message ("bob: %s %s", refused[i].argv[0], refused[i].argv[1]);
      hl_test_assert_failed (run, 1, refused[i].needle);
    }
  /* Refused means nothing was written, not merely not shown. */
  after = hl_test_ctl_ok (f->bob, "state", NULL);
  g_assert_cmpstr (before, ==, after);

  /* Once the owner makes Bob a moderator, his hides count, on both sides. */
  id = hl_test_ctl_ok (f->alice, "moderator", "add", subnet, bob, NULL);
  sync_one_way (f, f->alice, f->bob);
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->bob, "hide", thread, "--reason", "off topic", NULL);
  bob_thread = hl_test_ctl_ok (f->bob, "thread", "create", subnet, "--title", "Bob's", NULL);
  g_assert_cmpuint (count_threads (f->bob, subnet), ==, 1);
  g_assert_true (post_is_hidden (f->bob, thread));
  sync_one_way (f, f->bob, f->alice);
  g_assert_cmpuint (count_threads (f->alice, subnet), ==, 1);
  g_assert_true (post_is_hidden (f->alice, thread));

  /* Removing him undoes what he hid; what he wrote stays. */
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->alice, "moderator", "remove", subnet, bob, NULL);
  g_assert_cmpuint (count_threads (f->alice, subnet), ==, 2);
  g_assert_false (post_is_hidden (f->alice, thread));
  sync_one_way (f, f->alice, f->bob);
  g_assert_cmpuint (count_threads (f->bob, subnet), ==, 2);
  g_assert_false (post_is_hidden (f->bob, thread));
  {
    g_autoptr(HlCtlRun) run = hl_test_ctl_run (f->bob, "hide", thread, NULL);
    hl_test_assert_failed (run, 1, "only the subnet's owner and moderators");
  }
  sync_one_way (f, f->bob, f->alice);
  assert_same_state (f->alice, f->bob);
}

static void
test_delete_erases_text (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(HlCtlRun) gone = NULL;
  g_autofree char *key = init_identity (f->alice, "Alice");
  g_autofree char *subnet = hl_test_ctl_ok (f->alice, "subnet", "create", "cats", NULL);
  g_autofree char *db_path = g_build_filename (f->alice, "hyperlink.db", NULL);
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *marker_title = NULL, *marker_body = NULL, *marker_reply = NULL;
  g_autofree char *marker_edit = NULL, *thread = NULL, *reply = NULL, *id = NULL;
  g_autofree char *out = NULL, *export = NULL;
  const char *markers[4];
  sqlite3 *db = NULL;

  /* Unique strings: found on disk only if this test wrote them. */
  marker_title = g_strdup_printf ("Ttl%08x%08x", g_random_int (), g_random_int ());
  marker_body = g_strdup_printf ("Bdy%08x%08x", g_random_int (), g_random_int ());
  marker_reply = g_strdup_printf ("Rpl%08x%08x", g_random_int (), g_random_int ());
  marker_edit = g_strdup_printf ("Edt%08x%08x", g_random_int (), g_random_int ());
  markers[0] = marker_title, markers[1] = marker_body;
  markers[2] = marker_reply, markers[3] = marker_edit;

  /* An idle reader keeps the -wal and -shm files from being removed when
   * hyperlinkctl exits, as a running window or node would. */
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT count(*) FROM events", NULL, NULL, NULL), ==,
                   SQLITE_OK);

  thread = hl_test_ctl_ok (f->alice, "thread", "create", subnet, "--title", marker_title,
                           "--body", marker_body, NULL);
  reply = hl_test_ctl_ok (f->alice, "reply", thread, "--body", marker_reply, NULL);
  id = hl_test_ctl_ok (f->alice, "edit", reply, "--body", marker_edit, NULL);
  g_assert_true (g_file_test (wal_path, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      g_autofree char *where = hl_test_files_holding (f->alice, markers[i]);
      /* Proves the scan below can see text at all. */
      g_assert_cmpstr (where, !=, "");
    }

  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->alice, "delete", reply, NULL);
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->alice, "delete", thread, NULL);

  gone = hl_test_ctl_run (f->alice, "thread", "show", thread, NULL);
  hl_test_assert_failed (gone, 1, "was deleted");
  export = hl_test_ctl_ok (f->alice, "export", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      g_autofree char *hits = hl_test_ctl_ok (f->alice, "search", markers[i], NULL);
      g_autofree char *where = hl_test_files_holding (f->alice, markers[i]);

      g_assert_cmpstr (hits, ==, "Nothing found.");
      g_assert_null (strstr (gone->out, markers[i]));
      g_assert_null (strstr (gone->err, markers[i]));
      g_assert_null (strstr (export, markers[i]));
      if (*where != '\0')
        g_test_message ("deleted text %s is still in %s", markers[i], where);
      g_assert_cmpstr (where, ==, "");
    }

  sqlite3_close (db);
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      g_autofree char *where = hl_test_files_holding (f->alice, markers[i]);
      g_assert_cmpstr (where, ==, "");
    }
}

/* Builds a forum with two authors, moderation and edits in @f->alice. */
static char *
build_forum (Fixture *f)
{
  g_autofree char *alice = init_identity (f->alice, "Alice");
  g_autofree char *bob = init_identity (f->bob, "Bob");
  g_autofree char *subnet = hl_test_ctl_ok (f->alice, "subnet", "create", "cats", NULL);
  g_autofree char *other = hl_test_ctl_ok (f->alice, "subnet", "create", "dogs", NULL);
  g_autofree char *t1 = hl_test_ctl_ok (f->alice, "thread", "create", subnet, "--title", "One",
                                        "--body", "first", NULL);
  g_autofree char *t2 = NULL, *r1 = NULL, *r2 = NULL, *id = NULL, *mod = NULL;

  mod = hl_test_ctl_ok (f->alice, "moderator", "add", subnet, bob, NULL);
  id = hl_test_ctl_ok (f->alice, "subnet", "update", other, "--description", "Woof", NULL);
  sync_one_way (f, f->alice, f->bob);
  t2 = hl_test_ctl_ok (f->bob, "thread", "create", subnet, "--title", "Two", NULL);
  r1 = hl_test_ctl_ok (f->bob, "reply", t1, "--body", "Bob answers", NULL);
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->bob, "edit", r1, "--body", "Bob answers better", NULL);
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->bob, "hide", t1, NULL);
  sync_one_way (f, f->bob, f->alice);
  r2 = hl_test_ctl_ok (f->alice, "reply", t1, "--body", "Alice answers", "--parent", r1, NULL);
  return g_strdup (r2);
}

/* Imports an export of @f->alice into the empty @f->carol; @same tells
 * whether both then print the same state hash. */
static void
copy_and_compare_state (Fixture  *f,
                              gboolean *same)
{
  g_autofree char *export = hl_test_ctl_ok (f->alice, "export", NULL);
  g_autofree char *file = hl_test_write_file (f->root, "all.jsonl", export);
  g_autofree char *out = hl_test_ctl_ok (f->carol, "import", file, NULL);
  g_autofree char *state = hl_test_ctl_ok (f->alice, "state", NULL);
  g_autofree char *copy = hl_test_ctl_ok (f->carol, "state", NULL);

  g_assert_true (g_str_has_suffix (out, " 0 duplicate, 0 rejected"));
  *same = g_str_equal (state, copy);
  if (!*same)
    {
      g_autofree char *dump = hl_test_ctl_ok (f->alice, "state", "--dump", NULL);
      g_autofree char *copy_dump = hl_test_ctl_ok (f->carol, "state", "--dump", NULL);

      g_test_message ("state differs after export and import\n--- original:\n%s\n"
                      "--- copy:\n%s", dump, copy_dump);
    }
}

static void
test_export_import_state (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *reply = build_forum (f);
  gboolean same;

  copy_and_compare_state (f, &same);
  g_assert_true (same);
}

static void
test_export_import_state_after_delete (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *reply = build_forum (f);
  g_autofree char *id = hl_test_ctl_ok (f->alice, "delete", reply, NULL);
  gboolean same;

  /* Erased events are not exported, and the state leaves them out too: a
   * copy that only ever saw the tombstone is the same forum. */
  copy_and_compare_state (f, &same);
  g_assert_true (same);
}

/* @line with one member of the event replaced. */
static char *
with_member (const char *line,
             const char *name,
             JsonNode   *value)
{
  g_autoptr(JsonNode) event = hl_test_parse_json (line);

  json_object_set_member (json_node_get_object (event), name, value);
  return json_to_string (event, FALSE);
}

static char *
with_string_member (const char *line,
                    const char *name,
                    const char *value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, value);
  return with_member (line, name, node);
}

static char *
with_flipped_sig_digit (const char *line)
{
  g_autoptr(JsonNode) event = hl_test_parse_json (line);
  g_autofree char *sig = g_strdup (hl_test_get_string (event, "sig"));

  sig[10] = sig[10] == '0' ? '1' : '0';
  return with_string_member (line, "sig", sig);
}

typedef struct
{
  guint       line;
  const char *reason;
} Rejection;

/* Line by line: what a feed of good and bad events must come to. */
static const Rejection expected_rejections[] = {
  { 3, "not valid JSON" },
  { 4, "does not match its content" },
  { 5, "signature is not valid" },
  { 6, "version 2 is not supported" },
  { 7, "too large" },
  { 8, "in the future" },
  { 9, "Invalid thread.create event" },
};

static char *
make_feed (Fixture  *f,
           char    **unknown_kind_line)
{
  g_autofree char *key = init_identity (f->alice, "Alice");
  g_autofree char *key_file = g_build_filename (f->alice, "identity.key", NULL);
  g_autofree char *good = hl_test_forge (key_file, "subnet.create", -1, NULL,
                                         "{\"name\":\"cats\"}");
  g_autofree char *good2 = hl_test_forge (key_file, "subnet.create", -1, NULL,
                                          "{\"name\":\"dogs\"}");
  g_autofree char *good3 = hl_test_forge (key_file, "subnet.create", -1, NULL,
                                          "{\"name\":\"owls\"}");
  g_autofree char *forged = with_string_member (good2, "body", "{\"name\":\"wolves\"}");
  g_autofree char *bad_sig = with_flipped_sig_digit (good2);
  g_autofree char *v2 = with_member (good3, "v", json_node_init_int (json_node_alloc (), 2));
  g_autofree char *huge_text = g_strnfill (70000, 'x');
  g_autofree char *huge_body = g_strdup_printf ("{\"title\":\"t\",\"body\":\"%s\"}", huge_text);
  g_autoptr(JsonNode) subnet = hl_test_parse_json (good);
  const char *subnet_id = hl_test_get_string (subnet, "id");
  g_autofree char *huge = hl_test_forge (key_file, "thread.create", -1, subnet_id, huge_body);
  g_autofree char *future = hl_test_forge (key_file, "subnet.create",
                                           g_get_real_time () / 1000 + 3600 * 1000, NULL,
                                           "{\"name\":\"tomorrow\"}");
  g_autofree char *no_title = hl_test_forge (key_file, "thread.create", -1, subnet_id,
                                             "{\"body\":\"no title\"}");

  /* A kind from a later version: kept and relayed, though it means nothing here. */
  *unknown_kind_line = hl_test_forge (key_file, "poll.create", -1, subnet_id,
                                      "{\"question\":\"Cats or dogs?\"}");
  return g_strjoin ("\n", good, good, "{\"v\":1,\"id\":", forged, bad_sig, v2, huge, future,
                    no_title, "", *unknown_kind_line, NULL);
}

static void
test_import_report (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *unknown = NULL;
  g_autofree char *feed = make_feed (f, &unknown);
  g_autofree char *file = hl_test_write_file (f->root, "feed.jsonl", feed);
  g_autofree char *dave = g_build_filename (f->root, "dave", NULL);
  g_autofree char *export = NULL, *relay = NULL, *again = NULL;
  g_autoptr(HlCtlRun) human = hl_test_ctl_run (f->carol, "import", file, NULL);
  g_autoptr(HlCtlRun) json = hl_test_ctl_run (f->bob, "--json", "import", file, NULL);
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) poll = hl_test_parse_json (unknown);
  g_auto(GStrv) lines = NULL;
  JsonArray *errors;

  /* Good lines are applied all the same; the status says some were not. */
  g_assert_cmpint (human->status, ==, 1);
  g_assert_cmpstr (human->out, ==, "2 accepted, 1 duplicate, 7 rejected\n");
  lines = g_strsplit (g_strchomp (human->err), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected_rejections));
  for (guint i = 0; i < G_N_ELEMENTS (expected_rejections); i++)
    {
      g_autofree char *start = g_strdup_printf ("hyperlinkctl: line %u: ",
                                                expected_rejections[i].line);

      g_test_message ("%s", lines[i]);
      g_assert_true (g_str_has_prefix (lines[i], start));
      g_assert_nonnull (strstr (lines[i], expected_rejections[i].reason));
    }

  g_assert_cmpint (json->status, ==, 1);
  report = hl_test_parse_json (json->out);
  g_assert_cmpint (hl_test_get_int (report, "accepted"), ==, 2);
  g_assert_cmpint (hl_test_get_int (report, "duplicates"), ==, 1);
  g_assert_cmpint (hl_test_get_int (report, "rejected"), ==, 7);
  errors = json_node_get_array (hl_test_get_member (report, "errors"));
  g_assert_cmpuint (json_array_get_length (errors), ==, G_N_ELEMENTS (expected_rejections));
  for (guint i = 0; i < G_N_ELEMENTS (expected_rejections); i++)
    {
      JsonNode *error = json_array_get_element (errors, i);

      g_assert_cmpint (hl_test_get_int (error, "line"), ==, expected_rejections[i].line);
      g_assert_nonnull (strstr (hl_test_get_string (error, "reason"),
                                expected_rejections[i].reason));
    }

  /* The unknown kind goes out again byte for byte, and the next peer takes it. */
  export = hl_test_ctl_ok (f->carol, "export", NULL);
  g_assert_nonnull (strstr (export, unknown));
  relay = hl_test_write_file (f->root, "relay.jsonl", export);
  again = hl_test_ctl_ok (dave, "import", relay, NULL);
  g_assert_cmpstr (again, ==, "2 accepted, 0 duplicate, 0 rejected");
  assert_same_state (f->carol, dave);
  {
    g_autofree char *four = g_strndup (hl_test_get_string (poll, "id"), 8);
    g_autoptr(HlCtlRun) show = hl_test_ctl_run (dave, "thread", "show", four, NULL);
    hl_test_assert_failed (show, 1, NULL);
  }
}

static void
test_import_max_future (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *key = init_identity (f->alice, "Alice");
  g_autofree char *key_file = g_build_filename (f->alice, "identity.key", NULL);
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *hour = hl_test_forge (key_file, "subnet.create", now + 3600 * 1000, NULL,
                                         "{\"name\":\"in an hour\"}");
  g_autofree char *minutes = hl_test_forge (key_file, "subnet.create", now + 120 * 1000, NULL,
                                            "{\"name\":\"in two minutes\"}");
  g_autofree char *hour_file = hl_test_write_file (f->root, "hour.jsonl", hour);
  g_autofree char *minutes_file = hl_test_write_file (f->root, "minutes.jsonl", minutes);
  g_autofree char *out = NULL;
  g_autoptr(HlCtlRun) run = NULL;

  /* The default allows ten minutes of clock skew. */
  run = hl_test_ctl_run (f->carol, "import", hour_file, NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "0 accepted, 0 duplicate, 1 rejected\n");
  g_assert_nonnull (strstr (run->err, "line 1: Event is dated"));
  g_assert_nonnull (strstr (run->err, "in the future (limit 600 s)"));
  out = hl_test_ctl_ok (f->carol, "import", minutes_file, NULL);
  g_assert_cmpstr (out, ==, "1 accepted, 0 duplicate, 0 rejected");

  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->bob, "import", "--max-future", "60", minutes_file, NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "(limit 60 s)"));
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->bob, "import", "--max-future", "7200", hour_file, NULL);
  g_assert_cmpstr (out, ==, "1 accepted, 0 duplicate, 0 rejected");
}

/* Runs `hyperlinkctl --data-dir DIR import -` with @input on standard input. */
static char *
import_from_stdin (const char *dir,
                   const char *input)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              hl_test_ctl_path (), "--data-dir", dir, "import", "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_test_message ("import - failed: %s", err);
  g_assert_true (g_subprocess_get_successful (process));
  return g_strstrip (g_steal_pointer (&out));
}

static void
test_export_since_and_stdin (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *key = init_identity (f->alice, "Alice");
  g_autofree char *key_file = g_build_filename (f->alice, "identity.key", NULL);
  /* 2020-09-13 12:26:40 UTC, and now. */
  g_autofree char *old = hl_test_forge (key_file, "subnet.create", G_GINT64_CONSTANT (1600000000000),
                                        NULL, "{\"name\":\"old\"}");
  g_autofree char *recent = hl_test_forge (key_file, "subnet.create", -1, NULL,
                                           "{\"name\":\"recent\"}");
  g_autofree char *both = g_strconcat (old, "\n", recent, NULL);
  g_autofree char *feed = g_strconcat (both, "\n", NULL);
  g_autofree char *out = import_from_stdin (f->carol, feed);
  g_autofree char *all = NULL, *since_date = NULL, *since_ms = NULL;
  g_autoptr(HlCtlRun) bad = NULL;

  g_assert_cmpstr (out, ==, "2 accepted, 0 duplicate, 0 rejected");
  all = hl_test_ctl_ok (f->carol, "export", NULL);
  /* Oldest first, and byte for byte what was imported. */
  g_assert_cmpstr (all, ==, both);
  since_date = hl_test_ctl_ok (f->carol, "export", "--since", "2021-01-01", NULL);
  g_assert_cmpstr (since_date, ==, recent);
  since_ms = hl_test_ctl_ok (f->carol, "export", "--since", "1600000000001", NULL);
  g_assert_cmpstr (since_ms, ==, recent);
  bad = hl_test_ctl_run (f->carol, "export", "--since", "last week", NULL);
  hl_test_assert_failed (bad, 2, "--since");
}

/* Processes racing to create the identity must end up sharing one key, and
 * only the one whose key won may say it created it. */
static void
test_concurrent_init (Fixture       *f,
                      gconstpointer  data)
{
  GSubprocess *racers[6];
  g_autofree char *key = NULL;
  guint created = 0;

  /* All start before any is waited for. */
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    {
      g_autoptr(GError) error = NULL;

      racers[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                    &error, hl_test_ctl_path (), "--data-dir", f->alice, "--json",
                                    "init", NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) out = NULL;
      g_autofree char *text = NULL, *err = NULL;

      g_subprocess_communicate_utf8 (racers[i], NULL, NULL, &text, &err, &error);
      g_assert_no_error (error);
      if (!g_subprocess_get_successful (racers[i]))
        g_test_message ("init %u failed: %s", i, err);
      g_assert_true (g_subprocess_get_successful (racers[i]));
      g_clear_object (&racers[i]);
      out = hl_test_parse_json (text);
      if (key == NULL)
        key = g_strdup (hl_test_get_string (out, "key"));
      g_assert_cmpstr (hl_test_get_string (out, "key"), ==, key);
      created += hl_test_get_bool (out, "created");
    }

  g_assert_cmpuint (created, ==, 1);
}

#define LANES          2
#define POSTS_PER_LANE 50

typedef struct
{
  const char *dir;
  const char *subnet;
  guint       lane;
  GPtrArray  *ids;        /* in the order this lane's processes finished */
  guint       failures;
  gboolean    done;
} Lane;

static void spawn_next_post (Lane *lane);

static void
on_post_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  Lane *lane = user_data;

  g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    {
      g_test_message ("lane %u, post %u failed: %s", lane->lane, lane->ids->len, err);
      lane->failures++;
      lane->done = TRUE;
      g_object_unref (process);
      return;
    }
  g_ptr_array_add (lane->ids, g_strdup (g_strstrip (out)));
  g_object_unref (process);
  spawn_next_post (lane);
}

/* Each lane runs its processes one after another, the lanes side by side. */
static void
spawn_next_post (Lane *lane)
{
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  if (lane->ids->len == POSTS_PER_LANE)
    {
      lane->done = TRUE;
      return;
    }
  title = g_strdup_printf ("lane %u post %u", lane->lane, lane->ids->len);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, hl_test_ctl_path (), "--data-dir", lane->dir, "thread",
                              "create", lane->subnet, "--title", title, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_post_done, lane);
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* The (ts, ctr) clock reading of an exported event. */
static void
event_clock (JsonNode *event,
             gint64   *ms,
             gint64   *ctr)
{
  *ms = hl_test_get_int (event, "ts");
  *ctr = hl_test_get_int (event, "ctr");
}

static int
compare_clocks (gconstpointer a,
                gconstpointer b)
{
  gint64 ms_a, ctr_a, ms_b, ctr_b;

  event_clock (*(JsonNode **) a, &ms_a, &ctr_a);
  event_clock (*(JsonNode **) b, &ms_b, &ctr_b);
  if (ms_a != ms_b)
    return ms_a < ms_b ? -1 : 1;
  return ctr_a < ctr_b ? -1 : ctr_a > ctr_b;
}

static void
test_concurrent_writers (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *key = init_identity (f->alice, "Alice");
  g_autofree char *subnet = hl_test_ctl_ok (f->alice, "subnet", "create", "busy", NULL);
  g_autofree char *export = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  Lane lanes[LANES];
  gboolean expired = FALSE;
  guint deadline;

  for (guint i = 0; i < LANES; i++)
    {
      lanes[i] = (Lane) { f->alice, subnet, i, g_ptr_array_new_with_free_func (g_free), 0, FALSE };
      spawn_next_post (&lanes[i]);
    }
  deadline = g_timeout_add_seconds (90, on_deadline, &expired);
  while (!expired && !(lanes[0].done && lanes[1].done))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (deadline);

  export = hl_test_ctl_ok (f->alice, "export", NULL);
  events = hl_test_parse_jsonl (export);
  for (guint i = 0; i < events->len; i++)
    {
      JsonNode *event = g_ptr_array_index (events, i);

      g_assert_cmpstr (hl_test_get_string (event, "author"), ==, key);
      g_hash_table_insert (by_id, (gpointer) hl_test_get_string (event, "id"), event);
    }

  /* Every process succeeded, and every event it reported is there, later than
   * the one its lane wrote before. */
  for (guint i = 0; i < LANES; i++)
    {
      g_assert_cmpuint (lanes[i].failures, ==, 0);
      g_assert_cmpuint (lanes[i].ids->len, ==, POSTS_PER_LANE);
      JsonNode *previous = NULL;

      for (guint n = 0; n < lanes[i].ids->len; n++)
        {
          JsonNode *event = g_hash_table_lookup (by_id, g_ptr_array_index (lanes[i].ids, n));

          g_assert_nonnull (event);
          g_assert_cmpstr (hl_test_get_string (event, "kind"), ==, "thread.create");
          if (previous != NULL)
            g_assert_cmpint (compare_clocks (&previous, &event), <, 0);
          previous = event;
        }
      g_ptr_array_unref (lanes[i].ids);
    }
  g_assert_cmpuint (events->len, ==, 2 + LANES * POSTS_PER_LANE);
  g_assert_cmpuint (count_threads (f->alice, subnet), ==, LANES * POSTS_PER_LANE);

  /* One author's clock readings never repeat, across processes. */
  g_ptr_array_sort (events, compare_clocks);
  for (guint i = 1; i < events->len; i++)
    g_assert_cmpint (compare_clocks (&g_ptr_array_index (events, i - 1),
                                     &g_ptr_array_index (events, i)), <, 0);
}

int
main (int    argc,
      char **argv)
{
  hl_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ctl/permissions", test_permissions);
  ADD ("/ctl/delete/erases-text", test_delete_erases_text);
  ADD ("/ctl/export-import/state", test_export_import_state);
  ADD ("/ctl/export-import/state-after-delete", test_export_import_state_after_delete);
  ADD ("/ctl/import/report", test_import_report);
  ADD ("/ctl/import/max-future", test_import_max_future);
  ADD ("/ctl/export/since-and-stdin", test_export_since_and_stdin);
  ADD ("/ctl/concurrent-writers", test_concurrent_writers);
  ADD ("/ctl/concurrent-init", test_concurrent_init);
#undef ADD

  return hl_test_run_and_clean_up ();
}
