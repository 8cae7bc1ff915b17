/* test-ctl.c: the commands of the real hyperlinkctl binary.
 *
 * Every command in human and --json form, id prefixes, failures, how the key
 * file is guarded, and the confirmation a whole subnet's delete asks for.
 * How the command line meets a new user (help, usage errors, what reading
 * commands leave alone, input) is test-ctl-usage.c. Each test gets its own
 * data directories in a sandbox; see hl-test-util.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <pty.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "hl-event.h"
#include "hl-identity.h"
#include "hl-test-util.h"

typedef struct
{
  char *dir;      /* a data directory, not created yet */
  char *other;    /* a second one, for a second identity */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *root = hl_test_make_dir ("ctl");

  f->dir = g_build_filename (root, "alice", NULL);
  f->other = g_build_filename (root, "bob", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *root = g_path_get_dirname (f->dir);

  hl_test_remove_tree (root);
  g_free (f->dir);
  g_free (f->other);
}

/* Runs a command that creates an event with --json and checks the
 * {"id", "event"} it prints; returns the id. */
static char * G_GNUC_NULL_TERMINATED
create_json (const char *dir,
             const char *kind,
             const char *ref,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(JsonNode) out = NULL;
  JsonNode *event;
  const char *id;
  va_list args;

  va_start (args, ref);
  for (const char *arg = va_arg (args, const char *); arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  out = hl_test_ctl_json_argv (dir, (const char * const *) argv->pdata);
  id = hl_test_get_string (out, "id");
  g_assert_true (hl_test_is_hex_id (id));
  event = hl_test_get_member (out, "event");
  g_assert_cmpstr (hl_test_get_string (event, "id"), ==, id);
  g_assert_cmpstr (hl_test_get_string (event, "kind"), ==, kind);
  g_assert_cmpint (hl_test_get_int (event, "v"), ==, 1);
  g_assert_true (hl_test_is_hex_id (hl_test_get_string (event, "author")));
  if (ref != NULL)
    g_assert_cmpstr (hl_test_get_string (event, "ref"), ==, ref);
  else
    g_assert_false (json_object_has_member (json_node_get_object (event), "ref"));
  return g_strdup (id);
}

#define assert_contains hl_test_assert_contains

static void
test_commands_human (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *bob = hl_test_init_identity (f->other, "Bob");
  g_autofree char *out = NULL, *key = NULL, *subnet = NULL, *thread = NULL;
  g_autofree char *r1 = NULL, *r2 = NULL, *short_t = NULL, *export = NULL, *file = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(HlCtlRun) refused = NULL, unconfirmed = NULL;
  g_auto(GStrv) words = NULL;

  out = hl_test_ctl_ok (f->dir, "init", "--name", "Alice", NULL);
  g_assert_true (g_str_has_prefix (out, "Created identity "));
  words = g_strsplit (out, " ", -1);
  key = g_strdup (words[2]);
  g_assert_true (hl_test_is_hex_id (key));
  assert_contains (out, f->dir);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "init", NULL);
  g_assert_true (g_str_has_prefix (out, "Using existing identity "));
  assert_contains (out, key);

  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "whoami", NULL);
  assert_contains (out, "Name:      Alice");
  assert_contains (out, key);
  assert_contains (out, "Events:    1");

  id = hl_test_ctl_ok (f->dir, "profile", "set", "--name", "Alice A", "--bio", "Likes cats", NULL);
  g_assert_true (hl_test_is_hex_id (id));
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "profile", "show", NULL);
  g_assert_cmpstr (out, ==, "Alice A\nLikes cats");

  subnet = hl_test_ctl_ok (f->dir, "subnet", "create", "cats", "--description", "About cats", NULL);
  g_assert_true (hl_test_is_hex_id (subnet));
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "subnet", "update", subnet, "--name", "felines", NULL);
  g_assert_true (hl_test_is_hex_id (id));
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "subnet", "list", NULL);
  assert_contains (out, "felines · 0 threads · owner Alice A");
  assert_contains (out, "About cats");

  thread = hl_test_ctl_ok (f->dir, "thread", "create", subnet, "--title", "Whiskers",
                           "--body", "How long are yours?", NULL);
  g_assert_true (hl_test_is_hex_id (thread));
  short_t = g_strndup (thread, 12);
  r1 = hl_test_ctl_ok (f->dir, "reply", thread, "--body", "About this long", NULL);
  r2 = hl_test_ctl_ok (f->dir, "reply", thread, "--body", "Buy cheap pills", "--parent", r1, NULL);
  g_assert_true (hl_test_is_hex_id (r1) && hl_test_is_hex_id (r2));

  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "thread", "list", subnet, NULL);
  assert_contains (out, short_t);
  assert_contains (out, "Whiskers");
  assert_contains (out, "2 replies");

  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "edit", r1, "--body", "About this long, edited", NULL);
  g_assert_true (hl_test_is_hex_id (id));
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "hide", r2, "--reason", "spam", NULL);
  g_assert_true (hl_test_is_hex_id (id));
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "thread", "show", thread, NULL);
  assert_contains (out, "Whiskers");
  assert_contains (out, "How long are yours?");
  assert_contains (out, "2 replies");
  assert_contains (out, "About this long, edited");
  assert_contains (out, " · edited");
  assert_contains (out, "[hidden by moderators]");
  g_assert_null (strstr (out, "cheap pills"));

  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "unhide", r2, NULL);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "thread", "show", thread, NULL);
  assert_contains (out, "Buy cheap pills");

  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "search", "whiskers", NULL);
  assert_contains (out, short_t);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "search", "zebra", NULL);
  g_assert_cmpstr (out, ==, "Nothing found.");

  /* A full key needs no lookup: Bob has never written here. */
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "moderator", "add", subnet, bob, NULL);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "moderator", "list", subnet, NULL);
  assert_contains (out, bob);
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "moderator", "remove", subnet, bob, NULL);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "moderator", "list", subnet, NULL);
  g_assert_cmpstr (out, ==, "No moderators.");

  export = hl_test_ctl_ok (f->dir, "export", NULL);
  events = hl_test_parse_jsonl (export);
  g_assert_cmpuint (events->len, ==, 12);
  file = hl_test_write_file (f->other, "alice.jsonl", export);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "import", file, NULL);
  g_assert_cmpstr (out, ==, "0 accepted, 12 duplicate, 0 rejected");

  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "state", NULL);
  g_assert_true (hl_test_is_hex_id (out));
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "state", "--dump", NULL);
  assert_contains (out, "subnet|");
  assert_contains (out, "'felines'");

  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "delete", r1, NULL);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "thread", "show", thread, NULL);
  g_assert_null (strstr (out, "About this long"));   /* a deleted reply leaves the thread */

  /* A whole subnet goes only with --yes (standard input is no terminal to ask at). */
  unconfirmed = hl_test_ctl_run (f->dir, "delete", subnet, NULL);
  hl_test_assert_failed (unconfirmed, 2, "is the whole subnet “felines”, with 1 thread");
  assert_contains (unconfirmed->err, "add --yes to delete it");
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "subnet", "list", NULL);
  assert_contains (out, "felines");
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "delete", subnet, "--yes", NULL);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "subnet", "list", NULL);
  g_assert_null (strstr (out, "felines"));
  refused = hl_test_ctl_run (f->dir, "thread", "create", subnet, "--title", "Late", NULL);
  hl_test_assert_failed (refused, 1, "that subnet was deleted");
}

static void
test_commands_json (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *bob = hl_test_init_identity (f->other, "Bob");
  g_autoptr(JsonNode) init = hl_test_ctl_json (f->dir, "init", NULL);
  g_autoptr(JsonNode) again = NULL, who = NULL, profile = NULL, subnets = NULL, threads = NULL;
  g_autoptr(JsonNode) show = NULL, hits = NULL, mods = NULL, state = NULL, imported = NULL;
  g_autofree char *key = NULL, *subnet = NULL, *thread = NULL, *r1 = NULL, *r2 = NULL;
  g_autofree char *id = NULL, *export = NULL, *file = NULL, *human_state = NULL;
  JsonArray *array, *replies;
  JsonNode *reply;

  g_assert_true (hl_test_get_bool (init, "created"));
  g_assert_cmpstr (hl_test_get_string (init, "data_dir"), ==, f->dir);
  key = g_strdup (hl_test_get_string (init, "key"));
  g_assert_true (hl_test_is_hex_id (key));
  again = hl_test_ctl_json (f->dir, "init", NULL);
  g_assert_false (hl_test_get_bool (again, "created"));
  g_assert_cmpstr (hl_test_get_string (again, "key"), ==, key);

  who = hl_test_ctl_json (f->dir, "whoami", NULL);
  g_assert_cmpstr (hl_test_get_string (who, "key"), ==, key);
  g_assert_true (JSON_NODE_HOLDS_NULL (hl_test_get_member (who, "name")));
  g_assert_cmpint (hl_test_get_int (who, "events"), ==, 0);

  id = create_json (f->dir, HL_KIND_PROFILE, NULL, "profile", "set", "--name", "Alice", NULL);
  profile = hl_test_ctl_json (f->dir, "profile", "show", key, NULL);
  g_assert_cmpstr (hl_test_get_string (profile, "name"), ==, "Alice");
  g_assert_true (JSON_NODE_HOLDS_NULL (hl_test_get_member (profile, "bio")));

  subnet = create_json (f->dir, HL_KIND_SUBNET_CREATE, NULL, "subnet", "create", "cats", NULL);
  g_clear_pointer (&id, g_free);
  id = create_json (f->dir, HL_KIND_SUBNET_UPDATE, subnet, "subnet", "update", subnet,
                    "--description", "About cats", NULL);
  thread = create_json (f->dir, HL_KIND_THREAD_CREATE, subnet, "thread", "create", subnet,
                        "--title", "Whiskers", "--body", "How long?", NULL);
  r1 = create_json (f->dir, HL_KIND_REPLY_CREATE, thread, "reply", thread, "--body", "Long", NULL);
  r2 = create_json (f->dir, HL_KIND_REPLY_CREATE, thread, "reply", thread, "--body", "Spam",
                    "--parent", r1, NULL);
  g_clear_pointer (&id, g_free);
  id = create_json (f->dir, HL_KIND_EDIT, r1, "edit", r1, "--body", "Longer", NULL);
  g_clear_pointer (&id, g_free);
  id = create_json (f->dir, HL_KIND_HIDE, r2, "hide", r2, NULL);

  subnets = hl_test_ctl_json (f->dir, "subnet", "list", NULL);
  array = json_node_get_array (subnets);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (hl_test_get_string (json_array_get_element (array, 0), "id"), ==, subnet);
  g_assert_cmpstr (hl_test_get_string (json_array_get_element (array, 0), "description"), ==,
                   "About cats");
  g_assert_cmpstr (hl_test_get_string (json_array_get_element (array, 0), "owner"), ==, key);
  g_assert_cmpint (hl_test_get_int (json_array_get_element (array, 0), "threads"), ==, 1);

  threads = hl_test_ctl_json (f->dir, "thread", "list", subnet, NULL);
  array = json_node_get_array (threads);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (hl_test_get_string (json_array_get_element (array, 0), "title"), ==, "Whiskers");
  /* The hidden reply does not count. */
  g_assert_cmpint (hl_test_get_int (json_array_get_element (array, 0), "replies"), ==, 1);

  show = hl_test_ctl_json (f->dir, "thread", "show", thread, NULL);
  g_assert_cmpstr (hl_test_get_string (show, "type"), ==, "thread");
  g_assert_cmpstr (hl_test_get_string (show, "author_name"), ==, "Alice");
  replies = json_node_get_array (hl_test_get_member (show, "reply_list"));
  g_assert_cmpuint (json_array_get_length (replies), ==, 2);
  reply = json_array_get_element (replies, 0);
  g_assert_cmpstr (hl_test_get_string (reply, "id"), ==, r1);
  g_assert_cmpstr (hl_test_get_string (reply, "body"), ==, "Longer");
  g_assert_cmpint (hl_test_get_int (reply, "edited"), >, 0);
  reply = json_array_get_element (replies, 1);
  g_assert_cmpstr (hl_test_get_string (reply, "parent"), ==, r1);
  g_assert_true (hl_test_get_bool (reply, "hidden"));

  hits = hl_test_ctl_json (f->dir, "search", "whiskers", NULL);
  array = json_node_get_array (hits);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (hl_test_get_string (json_array_get_element (array, 0), "id"), ==, thread);
  hl_test_get_string (json_array_get_element (array, 0), "snippet");

  g_clear_pointer (&id, g_free);
  id = create_json (f->dir, HL_KIND_MODERATOR_ADD, subnet, "moderator", "add", subnet, bob, NULL);
  mods = hl_test_ctl_json (f->dir, "moderator", "list", subnet, NULL);
  array = json_node_get_array (mods);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (hl_test_get_string (json_array_get_element (array, 0), "key"), ==, bob);
  g_clear_pointer (&id, g_free);
  id = create_json (f->dir, HL_KIND_MODERATOR_REMOVE, subnet, "moderator", "remove", subnet,
                    bob, NULL);
  g_clear_pointer (&mods, json_node_unref);
  mods = hl_test_ctl_json (f->dir, "moderator", "list", subnet, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (mods)), ==, 0);

  g_clear_pointer (&id, g_free);
  id = create_json (f->dir, HL_KIND_DELETE, r1, "delete", r1, NULL);
  g_clear_pointer (&show, json_node_unref);
  show = hl_test_ctl_json (f->dir, "thread", "show", thread, NULL);
  replies = json_node_get_array (hl_test_get_member (show, "reply_list"));
  for (guint i = 0; i < json_array_get_length (replies); i++)
    g_assert_cmpstr (hl_test_get_string (json_array_get_element (replies, i), "id"), !=, r1);

  state = hl_test_ctl_json (f->dir, "state", NULL);
  g_assert_cmpint (hl_test_get_int (state, "events"), ==, 11);
  human_state = hl_test_ctl_ok (f->dir, "state", NULL);
  g_assert_cmpstr (hl_test_get_string (state, "state"), ==, human_state);

  export = hl_test_ctl_ok (f->dir, "export", NULL);
  file = hl_test_write_file (f->other, "alice.jsonl", export);
  imported = hl_test_ctl_json (f->dir, "import", file, NULL);
  g_assert_cmpint (hl_test_get_int (imported, "accepted"), ==, 0);
  g_assert_cmpint (hl_test_get_int (imported, "duplicates"), >, 0);
  g_assert_cmpint (hl_test_get_int (imported, "rejected"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hl_test_get_member (imported,
                                                                                    "errors"))),
                    ==, 0);
}

/* Signs profile events with the data directory's own key until two ids share
 * their first four hex digits, imports them, and returns that prefix. */
static char *
make_ambiguous_prefix (const char *dir)
{
  g_autofree char *key_path = g_build_filename (dir, "identity.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlIdentity) identity = hl_identity_load (key_path, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *file = NULL, *out = NULL;
  HlTimestamp ts = { (guint64) hl_now_ms () - 1000000, 0 };

  g_assert_no_error (error);
  for (;; ts.ms++)
    {
      g_autoptr(HlEvent) event = hl_event_new (HL_KIND_PROFILE,
                                               hl_identity_get_public_key (identity),
                                               &ts, NULL, "{\"name\":\"Alice\"}");
      g_autofree char *text = NULL, *id = NULL;
      char *prefix;

      hl_event_sign (event, identity);
      text = hl_event_to_json_text (event);
      id = hl_event_id_hex (event);
      g_string_append_printf (lines, "%s\n", text);
      prefix = g_strndup (id, 4);
      if (!g_hash_table_add (seen, prefix))
        {
          file = hl_test_write_file (dir, "twins.jsonl", lines->str);
          out = hl_test_ctl_ok (dir, "import", file, NULL);
          g_assert_true (g_str_has_suffix (out, " duplicate, 0 rejected"));
          return g_strdup (prefix);
        }
    }
}

static void
test_prefixes (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
  g_autofree char *subnet = hl_test_ctl_ok (f->dir, "subnet", "create", "cats", NULL);
  g_autofree char *thread = NULL, *four = NULL, *out = NULL, *ambiguous = NULL;
  g_autofree char *absent = NULL, *key_prefix = NULL, *moderator = NULL;
  g_autofree char *too_long = NULL, *export = NULL;
  g_autoptr(HlCtlRun) run = NULL;
  g_autoptr(GPtrArray) events = NULL;
  /* What is wrong with each is said apart: not hex, too short, too long. */
  const struct { const char *prefix; const char *says; } bad[] = {
    { "abc", "“abc” is too short: give at least 4 hex digits of the id" },
    { "", "an empty id" },
    { "zzzz", "“zzzz” is not an id: an id is written in hex digits (0-9, a-f)" },
    { "12 34", "is not an id" },
    { "abcdefg", "is not an id" },
  };

  thread = hl_test_ctl_ok (f->dir, "thread", "create", subnet, "--title", "Hello", NULL);

  /* Any unique prefix of at least four digits, in either case, will do. */
  four = g_ascii_strup (thread, 4);
  out = hl_test_ctl_ok (f->dir, "thread", "show", four, NULL);
  assert_contains (out, "Hello");
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "reply", four, "--body", "hi", NULL);
  g_assert_true (hl_test_is_hex_id (out));

  /* An ambiguous prefix says how many ids it matches and shows them. */
  ambiguous = make_ambiguous_prefix (f->dir);
  run = hl_test_ctl_run (f->dir, "thread", "show", ambiguous, NULL);
  hl_test_assert_failed (run, 1, "is ambiguous: it matches 2 known ids");
  assert_contains (run->err, "give more digits");
  export = hl_test_ctl_ok (f->dir, "export", NULL);
  events = hl_test_parse_jsonl (export);
  for (guint i = 0; i < events->len; i++)
    {
      const char *id = hl_test_get_string (g_ptr_array_index (events, i), "id");
      g_autofree char *shown = g_strndup (id, 12);

      if (g_str_has_prefix (id, ambiguous))
        assert_contains (run->err, shown);
    }
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "edit", ambiguous, "--body", "x", NULL);
  hl_test_assert_failed (run, 1, "is ambiguous");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_pointer (&run, hl_ctl_run_free);
      run = hl_test_ctl_run (f->dir, "thread", "show", bad[i].prefix, NULL);
      hl_test_assert_failed (run, 1, bad[i].says);
    }
  too_long = g_strconcat (thread, "0", NULL);
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "thread", "show", too_long, NULL);
  hl_test_assert_failed (run, 1, "is longer than an id (64 hex digits)");

  /* A well-formed prefix of nothing we know: flip the first digit of a
   * 60-digit prefix of the thread's id. */
  absent = g_strndup (thread, 60);
  absent[0] = absent[0] == '0' ? '1' : '0';
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "delete", absent, NULL);
  hl_test_assert_failed (run, 1, "no known id starts with");

  /* Keys of authors resolve from a prefix too. */
  key_prefix = g_strndup (key, 8);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "profile", "show", key_prefix, NULL);
  g_assert_cmpstr (out, ==, "Alice");
  moderator = hl_test_ctl_ok (f->dir, "moderator", "add", subnet, key_prefix, NULL);
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "moderator", "add", subnet, "ffff0000", NULL);
  hl_test_assert_failed (run, 1, "no known author key");
}

static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
  g_autofree char *subnet = hl_test_ctl_ok (f->dir, "subnet", "create", "cats", NULL);
  g_autofree char *thread = hl_test_ctl_ok (f->dir, "thread", "create", subnet, "--title", "T",
                                            NULL);
  g_autofree char *reply = hl_test_ctl_ok (f->dir, "reply", thread, "--body", "r", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-file.jsonl", NULL);
  g_autofree char *long_title = g_strnfill (201, 'x');
  g_autoptr(HlCtlRun) run = NULL;
  g_autoptr(JsonNode) error = NULL;

  run = hl_test_ctl_run (f->dir, "import", missing, NULL);
  hl_test_assert_failed (run, 1, "no-such-file.jsonl");
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "thread", "show", reply, NULL);
  hl_test_assert_failed (run, 1, "is a reply, not a thread");
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "thread", "create", thread, "--title", "T", NULL);
  hl_test_assert_failed (run, 1, "no such subnet");
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "thread", "create", subnet, "--title", long_title, NULL);
  hl_test_assert_failed (run, 1, "the limit is 200");
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "edit", reply, "--title", "Replies have none", NULL);
  hl_test_assert_failed (run, 1, "no title");
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "profile", "show", "ffffffff", NULL);
  hl_test_assert_failed (run, 1, NULL);

  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "delete", reply, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "--json", "delete", reply, NULL);
  hl_test_assert_failed (run, 1, "was deleted");
  error = hl_test_parse_json (run->out);
  g_assert_cmpstr (hl_test_get_string (hl_test_get_member (error, "error"), "code"), ==, "not-found");
}

static void
test_key_file_mode (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
  g_autofree char *key_path = g_build_filename (f->dir, "identity.key", NULL);
  g_autofree char *out = NULL;
  g_autoptr(HlCtlRun) whoami = NULL, post = NULL;
  struct stat st;

  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (f->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  g_assert_cmpint (g_chmod (key_path, 0644), ==, 0);
  whoami = hl_test_ctl_run (f->dir, "whoami", NULL);
  hl_test_assert_failed (whoami, 1, "chmod 600");
  post = hl_test_ctl_run (f->dir, "subnet", "create", "cats", NULL);
  hl_test_assert_failed (post, 1, "chmod 600");
  /* Refusing must not mean replacing: the same key is back after chmod. */
  g_assert_cmpint (g_chmod (key_path, 0600), ==, 0);
  out = hl_test_ctl_ok (f->dir, "whoami", NULL);
  assert_contains (out, key);
}

/* Search takes what people type: no query is a syntax error. */
static void
test_search_odd_queries (Fixture       *f,
                         gconstpointer  data)
{
  const char *queries[] = { "say \"hi", "C++", "AND", "a*", "title:panic", "(", "NEAR(x y)",
                            "-", "\"\"", NULL };
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
  g_autofree char *subnet = hl_test_ctl_ok (f->dir, "subnet", "create", "cats", NULL);
  g_autofree char *thread = hl_test_ctl_ok (f->dir, "thread", "create", subnet, "--title",
                                            "don't panic", "--body", "C++ and e-mail", NULL);
  g_autoptr(JsonNode) hits = hl_test_ctl_json (f->dir, "search", "don't", NULL);
  g_autoptr(JsonNode) hyphen = hl_test_ctl_json (f->dir, "search", "e-mail", NULL);

  g_assert_cmpuint (json_array_get_length (json_node_get_array (hits)), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hyphen)), ==, 1);
  for (guint i = 0; queries[i] != NULL; i++)
    {
      g_autoptr(HlCtlRun) run = hl_test_ctl_run (f->dir, "search", queries[i], NULL);

      g_test_message ("search %s", queries[i]);
      g_assert_cmpint (run->status, ==, 0);
    }
}

static void
test_peers_and_status (Fixture       *f,
                       gconstpointer  data)
{
  const char *address = "ws://192.0.2.7:4040";
  g_autofree char *out = hl_test_ctl_ok (f->dir, "peer", "add", address, NULL);
  g_autoptr(JsonNode) again = NULL, list = NULL, status = NULL;
  g_autoptr(HlCtlRun) gone = NULL, status_run = NULL;

  g_assert_cmpstr (out, ==, "Added ws://192.0.2.7:4040");
  again = hl_test_ctl_json (f->dir, "peer", "add", address, NULL);
  g_assert_cmpstr (hl_test_get_string (again, "address"), ==, address);
  g_assert_false (hl_test_get_bool (again, "added"));

  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "peer", "list", NULL);
  g_assert_cmpstr (out, ==, address);
  list = hl_test_ctl_json (f->dir, "peer", "list", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (list), 0), ==, address);

  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "peer", "remove", address, NULL);
  g_assert_cmpstr (out, ==, "Removed ws://192.0.2.7:4040");
  gone = hl_test_ctl_run (f->dir, "peer", "remove", address, NULL);
  hl_test_assert_failed (gone, 1, "not among the peers");

  /* No hyperlinkd has run here: status says so, and exits 3. */
  status_run = hl_test_ctl_run (f->dir, "status", NULL);
  g_assert_cmpint (status_run->status, ==, 3);
  assert_contains (status_run->out, "hyperlinkd has not run");
  g_clear_pointer (&status_run, hl_ctl_run_free);
  status_run = hl_test_ctl_run (f->dir, "--json", "status", NULL);
  g_assert_cmpint (status_run->status, ==, 3);
  status = hl_test_parse_json (status_run->out);
  g_assert_false (hl_test_get_bool (status, "running"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hl_test_get_member (status,
                                                                                    "peers"))),
                    ==, 0);
  g_clear_pointer (&status_run, hl_ctl_run_free);
  status_run = hl_test_ctl_run (f->dir, "status", "--help", NULL);
  assert_contains (status_run->out, "3 none runs");
}

/* Reads what the child writes to the terminal until @needle shows, or the
 * deadline passes. */
static gboolean
read_terminal_until (int         master,
                     GString    *seen,
                     const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (strstr (seen->str, needle) == NULL)
    {
      GPollFD pfd = { master, G_IO_IN, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char buf[256];
      ssize_t n;

      if (left_ms <= 0 || g_poll (&pfd, 1, (int) left_ms) <= 0)
        return FALSE;
      if ((n = read (master, buf, sizeof buf)) <= 0)
        return FALSE;
      g_string_append_len (seen, buf, n);
    }
  return TRUE;
}

/* Runs `delete SUBNET` with its standard input and error on a terminal,
 * answers @answer to its question, and returns the exit status. */
static int
delete_at_terminal (const char *dir,
                    const char *subnet,
                    const char *answer)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  int master, slave;

  g_assert_cmpint (openpty (&master, &slave, NULL, NULL, NULL), ==, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_take_stdin_fd (launcher, dup (slave));
  g_subprocess_launcher_take_stderr_fd (launcher, slave);
  process = g_subprocess_launcher_spawn (launcher, &error, hl_test_ctl_path (), "--data-dir", dir,
                                         "delete", subnet, NULL);
  g_assert_no_error (error);
  /* The launcher holds the terminal's other end until it goes. */
  g_clear_object (&launcher);

  g_assert_true (read_terminal_until (master, seen, "[y/N] "));
  assert_contains (seen->str, "Delete the subnet “cats” and its 1 thread, for everyone?");
  g_assert_cmpint (write (master, answer, strlen (answer)), ==, (gssize) strlen (answer));
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  close (master);
  return g_subprocess_get_exit_status (process);
}

/* At a terminal, deleting a whole subnet asks first. */
static void
test_delete_asks (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
  g_autofree char *subnet = hl_test_ctl_ok (f->dir, "subnet", "create", "cats", NULL);
  g_autofree char *thread = hl_test_ctl_ok (f->dir, "thread", "create", subnet, "--title", "T",
                                            NULL);
  g_autofree char *out = NULL;

  g_assert_cmpint (delete_at_terminal (f->dir, subnet, "n\n"), ==, 2);
  out = hl_test_ctl_ok (f->dir, "subnet", "list", NULL);
  assert_contains (out, "cats");
  g_assert_cmpint (delete_at_terminal (f->dir, subnet, "y\n"), ==, 0);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "subnet", "list", NULL);
  g_assert_null (strstr (out, "cats"));
}

/* `search` with standard output on a terminal (TERM=@term, NO_COLOR=@no_color
 * unless NULL): what it prints, until it exits. */
static char *
search_at_terminal (const char *dir,
                    const char *term,
                    const char *no_color,
                    const char *words)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  int master, slave;

  g_assert_cmpint (openpty (&master, &slave, NULL, NULL, NULL), ==, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_subprocess_launcher_setenv (launcher, "TERM", term, TRUE);
  if (no_color != NULL)
    g_subprocess_launcher_setenv (launcher, "NO_COLOR", no_color, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "NO_COLOR");
  g_subprocess_launcher_take_stdout_fd (launcher, slave);
  process = g_subprocess_launcher_spawn (launcher, &error, hl_test_ctl_path (), "--data-dir", dir,
                                         "search", words, NULL);
  g_assert_no_error (error);
  g_clear_object (&launcher);
  /* The author's line ends the one hit. */
  g_assert_true (read_terminal_until (master, seen, "by Alice"));
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  close (master);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return g_string_free (g_steal_pointer (&seen), FALSE);
}

/* Search marks the words found as the window does: U+0002 and U+0003 in
 * --json, bold reverse video on a terminal with colours, nothing otherwise;
 * brackets in the text stay brackets. */
static void
test_search_marks (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
  g_autofree char *subnet = hl_test_ctl_ok (f->dir, "subnet", "create", "cats", NULL);
  g_autofree char *thread = hl_test_ctl_ok (f->dir, "thread", "create", subnet, "--title", "Notes",
                                            "--body", "Footnote [1] about whiskers", NULL);
  g_autoptr(JsonNode) hits = hl_test_ctl_json (f->dir, "search", "whiskers", NULL);
  g_autofree char *piped = hl_test_ctl_ok (f->dir, "search", "whiskers", NULL);
  g_autofree char *colored = search_at_terminal (f->dir, "xterm-256color", NULL, "whiskers");
  g_autofree char *no_color = search_at_terminal (f->dir, "xterm-256color", "1", "whiskers");
  g_autofree char *dumb = search_at_terminal (f->dir, "dumb", NULL, "whiskers");
  const char *snippet;

  g_assert_cmpuint (json_array_get_length (json_node_get_array (hits)), ==, 1);
  snippet = hl_test_get_string (json_array_get_element (json_node_get_array (hits), 0), "snippet");
  g_assert_cmpstr (snippet, ==, "Footnote [1] about \002whiskers\003");

  assert_contains (piped, "Footnote [1] about whiskers\n");
  g_assert_null (strchr (piped, '\033'));
  g_assert_null (strchr (piped, '\002'));
  assert_contains (colored, "Footnote [1] about \033[1;7mwhiskers\033[22;27m");
  for (const char *plain = no_color; plain != NULL; plain = plain == no_color ? dumb : NULL)
    {
      assert_contains (plain, "Footnote [1] about whiskers");
      g_assert_null (strchr (plain, '\033'));
    }
}

int
main (int    argc,
      char **argv)
{
  hl_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ctl/commands/human", test_commands_human);
  ADD ("/ctl/commands/json", test_commands_json);
  ADD ("/ctl/prefixes", test_prefixes);
  ADD ("/ctl/failures", test_failures);
  ADD ("/ctl/key-file-mode", test_key_file_mode);
  ADD ("/ctl/search-odd-queries", test_search_odd_queries);
  ADD ("/ctl/search-marks", test_search_marks);
  ADD ("/ctl/peers-and-status", test_peers_and_status);
  ADD ("/ctl/delete-asks", test_delete_asks);
#undef ADD

  return hl_test_run_and_clean_up ();
}
