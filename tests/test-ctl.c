/* test-ctl.c: the command line surface of the real hyperlinkctl binary.
 *
 * Every command in human and --json form, id prefixes, usage errors, where the
 * data lives and how the key file is guarded. Each test gets its own data
 * directories in a sandbox; see hl-test-util.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>

#include "hl-event.h"
#include "hl-identity.h"
#include "hl-test-util.h"

/* The commands `hyperlinkctl --help` must list: a new command fails
 * /ctl/help until it is added here and covered below. */
static const char * const known_commands[] = {
  "init", "whoami", "profile", "subnet", "thread", "reply", "edit", "delete", "hide",
  "unhide", "moderator", "search", "export", "import", "state", "peer", "status",
  "bootstrap", "invite",
};

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

static char *
init_identity (const char *dir,
               const char *name)
{
  g_autoptr(JsonNode) out = hl_test_ctl_json (dir, "init", "--name", name, NULL);

  g_assert_true (hl_test_get_bool (out, "created"));
  return g_strdup (hl_test_get_string (out, "key"));
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_test_message ("“%s” not found in:\n%s", needle, haystack);
  g_assert_nonnull (strstr (haystack, needle));
}

static void
test_help (void)
{
  g_autoptr(HlCtlRun) help = hl_test_ctl_run (NULL, "--help", NULL);
  g_autoptr(HlCtlRun) bare = hl_test_ctl_run (NULL, NULL);
  g_autoptr(HlCtlRun) version = hl_test_ctl_run (NULL, "--version", NULL);
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  gboolean in_commands = FALSE;

  g_assert_cmpint (help->status, ==, 0);
  assert_contains (help->out, "Usage: hyperlinkctl");
  assert_contains (help->out, "Exit status: 0 success, 1 the command failed, 2 wrong usage");

  lines = g_strsplit (help->out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_equal (lines[i], "Commands:"))
        in_commands = TRUE;
      else if (in_commands && g_str_has_prefix (lines[i], "  "))
        {
          g_auto(GStrv) words = g_strsplit (g_strchug (lines[i]), " ", 2);
          g_ptr_array_add (listed, g_strdup (words[0]));
        }
      else if (in_commands)
        break;
    }
  g_assert_cmpuint (listed->len, ==, G_N_ELEMENTS (known_commands));
  for (guint i = 0; i < G_N_ELEMENTS (known_commands); i++)
    g_assert_cmpstr (g_ptr_array_index (listed, i), ==, known_commands[i]);

  /* No command at all is wrong usage; the help goes where errors go. */
  g_assert_cmpint (bare->status, ==, 2);
  assert_contains (bare->err, "Commands:");

  g_assert_cmpint (version->status, ==, 0);
  g_assert_true (g_str_has_prefix (version->out, "hyperlinkctl "));

  /* Each command has its own --help, which is not an error. */
  for (guint i = 0; i < G_N_ELEMENTS (known_commands); i++)
    {
      const char *cmd = known_commands[i];
      const char *sub = g_str_equal (cmd, "subnet") || g_str_equal (cmd, "thread") ? "list"
                        : g_str_equal (cmd, "profile") ? "show"
                        : g_str_equal (cmd, "moderator") || g_str_equal (cmd, "peer") ||
                          g_str_equal (cmd, "bootstrap") || g_str_equal (cmd, "invite") ? "list"
                        : NULL;
      g_autoptr(HlCtlRun) run = sub ? hl_test_ctl_run (NULL, cmd, sub, "--help", NULL)
                                    : hl_test_ctl_run (NULL, cmd, "--help", NULL);

      g_assert_cmpint (run->status, ==, 0);
      assert_contains (run->out, "Usage:");
    }
}

static void
test_commands_human (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *bob = init_identity (f->other, "Bob");
  g_autofree char *out = NULL, *key = NULL, *subnet = NULL, *thread = NULL;
  g_autofree char *r1 = NULL, *r2 = NULL, *short_t = NULL, *export = NULL, *file = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(HlCtlRun) refused = NULL;
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

  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "delete", subnet, NULL);
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
  g_autofree char *bob = init_identity (f->other, "Bob");
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
  g_autofree char *key = init_identity (f->dir, "Alice");
  g_autofree char *subnet = hl_test_ctl_ok (f->dir, "subnet", "create", "cats", NULL);
  g_autofree char *thread = NULL, *four = NULL, *out = NULL, *ambiguous = NULL;
  g_autofree char *absent = NULL, *key_prefix = NULL, *moderator = NULL;
  g_autoptr(HlCtlRun) run = NULL;
  const char *bad[] = { "abc", "", "zzzz", "12 34", NULL };

  thread = hl_test_ctl_ok (f->dir, "thread", "create", subnet, "--title", "Hello", NULL);

  /* Any unique prefix of at least four digits, in either case, will do. */
  four = g_ascii_strup (thread, 4);
  out = hl_test_ctl_ok (f->dir, "thread", "show", four, NULL);
  assert_contains (out, "Hello");
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "reply", four, "--body", "hi", NULL);
  g_assert_true (hl_test_is_hex_id (out));

  ambiguous = make_ambiguous_prefix (f->dir);
  run = hl_test_ctl_run (f->dir, "thread", "show", ambiguous, NULL);
  hl_test_assert_failed (run, 1, "more than one");
  g_clear_pointer (&run, hl_ctl_run_free);
  run = hl_test_ctl_run (f->dir, "edit", ambiguous, "--body", "x", NULL);
  hl_test_assert_failed (run, 1, "more than one");

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_clear_pointer (&run, hl_ctl_run_free);
      run = hl_test_ctl_run (f->dir, "thread", "show", bad[i], NULL);
      hl_test_assert_failed (run, 1, "at least 4");
    }

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
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const cases[][7] = {
    { "frobnicate" },
    { "--bogus", "state" },
    { "state", "--bogus" },
    { "state", "extra" },
    { "init", "extra" },
    { "profile" },
    { "profile", "set" },
    { "subnet" },
    { "subnet", "explode" },
    { "subnet", "create" },
    { "subnet", "update", "abcd" },
    { "thread" },
    { "thread", "create", "abcd" },
    { "thread", "list", "abcd", "--limit", "0" },
    { "thread", "list", "abcd", "--limit", "many" },
    { "thread", "show" },
    { "reply", "abcd" },
    { "edit", "abcd" },
    { "delete" },
    { "delete", "abcd", "efgh" },
    { "hide" },
    { "unhide", "abcd", "efgh" },
    { "moderator" },
    { "moderator", "add", "abcd" },
    { "moderator", "list" },
    { "search" },
    { "export", "--since", "the day before yesterday" },
    { "import" },
    { "import", "events.jsonl", "--max-future", "soon" },
    { "peer" },
    { "peer", "add", "192.0.2.7" },
    { "peer", "remove" },
    { "status", "extra" },
  };
  g_autoptr(HlCtlRun) json = NULL;
  g_autoptr(JsonNode) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HlCtlRun) run = hl_test_ctl_runv (f->dir, NULL, cases[i]);
      g_autofree char *joined = g_strjoinv (" ", (char **) cases[i]);

      g_test_message ("hyperlinkctl %s", joined);
      hl_test_assert_failed (run, 2, "hyperlinkctl --help");
    }

  /* Scripts get the error as JSON on stdout, people still get it on stderr. */
  json = hl_test_ctl_run (f->dir, "--json", "frobnicate", NULL);
  hl_test_assert_failed (json, 2, "unknown command");
  error = hl_test_parse_json (json->out);
  g_assert_cmpstr (hl_test_get_string (hl_test_get_member (error, "error"), "code"), ==, "usage");
  assert_contains (hl_test_get_string (hl_test_get_member (error, "error"), "message"), "frobnicate");
}

static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *key = init_identity (f->dir, "Alice");
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
test_data_dir_precedence (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *env = g_strconcat ("HYPERLINK_DATA_DIR=", f->other, NULL);
  g_autofree char *xdg_default = g_build_filename (g_getenv ("XDG_DATA_HOME"), "hyperlink", NULL);
  const char *with_env[] = { env, NULL };
  const char *init[] = { "--json", "init", NULL };
  const char *init_after[] = { "init", "--json", "--data-dir", f->dir, NULL };
  g_autoptr(HlCtlRun) by_env = hl_test_ctl_runv (NULL, with_env, init);
  g_autoptr(HlCtlRun) by_option = hl_test_ctl_runv (f->dir, with_env, init);
  g_autoptr(HlCtlRun) option_after = hl_test_ctl_runv (NULL, with_env, init_after);
  g_autoptr(HlCtlRun) by_default = hl_test_ctl_runv (NULL, NULL, init);
  g_autoptr(JsonNode) env_out = NULL, option_out = NULL, after_out = NULL, default_out = NULL;

  g_assert_cmpint (by_env->status, ==, 0);
  env_out = hl_test_parse_json (by_env->out);
  g_assert_cmpstr (hl_test_get_string (env_out, "data_dir"), ==, f->other);
  g_assert_true (g_file_test (f->other, G_FILE_TEST_IS_DIR));

  g_assert_cmpint (by_option->status, ==, 0);
  option_out = hl_test_parse_json (by_option->out);
  g_assert_cmpstr (hl_test_get_string (option_out, "data_dir"), ==, f->dir);
  g_assert_true (hl_test_get_bool (option_out, "created"));
  g_assert_cmpstr (hl_test_get_string (option_out, "key"), !=, hl_test_get_string (env_out, "key"));

  /* Global options may follow the command as well. */
  g_assert_cmpint (option_after->status, ==, 0);
  after_out = hl_test_parse_json (option_after->out);
  g_assert_cmpstr (hl_test_get_string (after_out, "data_dir"), ==, f->dir);
  g_assert_false (hl_test_get_bool (after_out, "created"));

  g_assert_cmpint (by_default->status, ==, 0);
  default_out = hl_test_parse_json (by_default->out);
  g_assert_cmpstr (hl_test_get_string (default_out, "data_dir"), ==, xdg_default);
  hl_test_remove_tree (xdg_default);
}

static void
test_key_file_mode (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *key = init_identity (f->dir, "Alice");
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
  g_autofree char *key = init_identity (f->dir, "Alice");
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
  g_autoptr(HlCtlRun) gone = NULL;

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

  /* No hyperlinkd has run here: status says so and is not an error. */
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "status", NULL);
  assert_contains (out, "hyperlinkd has not run");
  status = hl_test_ctl_json (f->dir, "status", NULL);
  g_assert_false (hl_test_get_bool (status, "running"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hl_test_get_member (status,
                                                                                    "peers"))),
                    ==, 0);
}

int
main (int    argc,
      char **argv)
{
  hl_test_init (&argc, &argv);

  g_test_add_func ("/ctl/help", test_help);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ctl/commands/human", test_commands_human);
  ADD ("/ctl/commands/json", test_commands_json);
  ADD ("/ctl/prefixes", test_prefixes);
  ADD ("/ctl/usage-errors", test_usage_errors);
  ADD ("/ctl/failures", test_failures);
  ADD ("/ctl/data-dir", test_data_dir_precedence);
  ADD ("/ctl/key-file-mode", test_key_file_mode);
  ADD ("/ctl/search-odd-queries", test_search_odd_queries);
  ADD ("/ctl/peers-and-status", test_peers_and_status);
#undef ADD

  return hl_test_run_and_clean_up ();
}
