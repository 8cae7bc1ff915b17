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
#include <sqlite3.h>

#include "hl-event.h"
#include "hl-identity.h"
#include "hl-store.h"
#include "hl-test-util.h"

/* The commands `hyperlinkctl --help` must list: a new command fails
 * /ctl/help until it is added here and covered below. */
static const char * const known_commands[] = {
  "init", "whoami", "profile", "subnet", "thread", "reply", "edit", "delete", "hide",
  "unhide", "moderator", "search", "export", "import", "state", "peer", "status",
  "bootstrap", "invite", "help",
};

/* Every command of every group, with the arguments its usage line must show. */
static const struct
{
  const char *group;
  const char *name;
  const char *usage;
} usage_lines[] = {
  { NULL, "init", "init [--name NAME [--rename]]" },
  { NULL, "whoami", "whoami" },
  { "profile", "set", "profile set [--name NAME] [--bio TEXT]" },
  { "profile", "show", "profile show [KEY]" },
  { "subnet", "create", "subnet create NAME [--description TEXT]" },
  { "subnet", "list", "subnet list" },
  { "subnet", "update", "subnet update SUBNET [--name NAME] [--description TEXT]" },
  { "thread", "create", "thread create SUBNET --title TITLE [--body TEXT | --body-file FILE]" },
  { "thread", "list", "thread list SUBNET [--limit N] [--offset N]" },
  { "thread", "show", "thread show THREAD" },
  { NULL, "reply", "reply THREAD (--body TEXT | --body-file FILE) [--parent REPLY]" },
  { NULL, "edit", "edit ID [--title TITLE] [--body TEXT | --body-file FILE]" },
  { NULL, "delete", "delete ID [--yes]" },
  { NULL, "hide", "hide ID [--reason TEXT]" },
  { NULL, "unhide", "unhide ID" },
  { "moderator", "add", "moderator add SUBNET KEY" },
  { "moderator", "remove", "moderator remove SUBNET KEY" },
  { "moderator", "list", "moderator list SUBNET" },
  { NULL, "search", "search WORDS" },
  { NULL, "export", "export [--since TIME]" },
  { NULL, "import", "import FILE [--max-future SECONDS]" },
  { NULL, "state", "state [--dump]" },
  { "peer", "add", "peer add ADDRESS" },
  { "peer", "remove", "peer remove ADDRESS" },
  { "peer", "list", "peer list" },
  { NULL, "status", "status" },
  { "bootstrap", "add", "bootstrap add ADDRESS" },
  { "bootstrap", "remove", "bootstrap remove ADDRESS" },
  { "bootstrap", "list", "bootstrap list" },
  { "invite", "create", "invite create [--expires 7d] [--uses N] [--subnet ID]" },
  { "invite", "accept", "invite accept LINK [--timeout SECONDS]" },
  { "invite", "list", "invite list" },
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

#define assert_contains hl_test_assert_contains

/* The command names the overview lists under "Commands:". */
static GPtrArray *
listed_commands (const char *help)
{
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  gboolean in_commands = FALSE;

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
  return g_steal_pointer (&listed);
}

static void
assert_help (const HlCtlRun *run,
             const char     *usage)
{
  if (run->status != 0)
    g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  assert_contains (run->out, "Usage:");
  assert_contains (run->out, usage);
}

static void
test_help (void)
{
  g_autoptr(HlCtlRun) help = hl_test_ctl_run (NULL, "--help", NULL);
  g_autoptr(HlCtlRun) bare = hl_test_ctl_run (NULL, NULL);
  g_autoptr(HlCtlRun) help_command = hl_test_ctl_run (NULL, "help", NULL);
  g_autoptr(HlCtlRun) version = hl_test_ctl_run (NULL, "--version", NULL);
  g_autoptr(GPtrArray) listed = listed_commands (help->out);

  assert_help (help, "hyperlinkctl [OPTION");
  assert_contains (help->out, "Exit status: 0 success, 1 the command failed, 2 wrong usage, "
                              "3 no node runs");
  assert_contains (help->out, "-d, --data-dir=DIR");
  g_assert_cmpuint (listed->len, ==, G_N_ELEMENTS (known_commands));
  for (guint i = 0; i < G_N_ELEMENTS (known_commands); i++)
    g_assert_cmpstr (g_ptr_array_index (listed, i), ==, known_commands[i]);

  /* No command at all, or `help`, is asking what there is: the overview. */
  g_assert_cmpint (bare->status, ==, 0);
  g_assert_cmpstr (bare->out, ==, help->out);
  g_assert_cmpint (help_command->status, ==, 0);
  g_assert_cmpstr (help_command->out, ==, help->out);

  g_assert_cmpint (version->status, ==, 0);
  g_assert_true (g_str_has_prefix (version->out, "hyperlinkctl "));

  /* Every group and every command answers --help and `help`, on standard
   * output, and the usage line shows the arguments. */
  for (guint i = 0; i < G_N_ELEMENTS (usage_lines); i++)
    {
      const char *group = usage_lines[i].group, *name = usage_lines[i].name;
      g_autofree char *group_usage = g_strdup_printf ("hyperlinkctl %s [OPTION", group);
      g_autofree char *command_usage = NULL;
      g_autoptr(HlCtlRun) own = NULL, asked = NULL, group_help = NULL, group_asked = NULL;
      g_auto(GStrv) words = g_strsplit (usage_lines[i].usage, " ", -1);
      g_autofree char *rest = g_strjoinv (" ", words + (group ? 2 : 1));

      /* "hyperlinkctl thread create [OPTION…] SUBNET --title TITLE …" */
      command_usage = g_strdup_printf ("%s %s", group ? group : name, group ? name : "");
      g_strstrip (command_usage);
      g_test_message ("hyperlinkctl %s --help", command_usage);
      own = group ? hl_test_ctl_run (NULL, group, name, "--help", NULL)
                  : hl_test_ctl_run (NULL, name, "--help", NULL);
      asked = group ? hl_test_ctl_run (NULL, "help", group, name, NULL)
                    : hl_test_ctl_run (NULL, "help", name, NULL);
      assert_help (own, rest);
      assert_contains (own->out, command_usage);
      g_assert_cmpstr (asked->out, ==, own->out);
      if (group == NULL)
        continue;

      /* The group's help lists each of its commands' usage lines. */
      group_help = hl_test_ctl_run (NULL, group, "--help", NULL);
      group_asked = hl_test_ctl_run (NULL, "help", group, NULL);
      assert_help (group_help, group_usage);
      assert_contains (group_help->out, usage_lines[i].usage);
      g_assert_cmpstr (group_asked->out, ==, group_help->out);
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
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  /* Each with what the error must say; none may touch the data directory. */
  static const struct { const char *argv[7]; const char *says; } cases[] = {
    { { "frobnicate" }, "unknown command “frobnicate”" },
    { { "threads", "list" }, "did you mean “thread”" },
    { { "--bogus", "state" }, "Unknown option --bogus" },
    { { "state", "--bogus" }, "state: Unknown option --bogus" },
    { { "state", "extra" }, "state takes no arguments, but was given “extra”" },
    { { "init", "extra" }, "init takes no arguments" },
    { { "init", "--rename" }, "--rename needs --name NAME" },
    { { "profile" }, "profile needs a command: set or show" },
    { { "profile", "set" }, "profile set needs --name NAME or --bio TEXT" },
    { { "subnet" }, "subnet needs a command: create, list or update" },
    { { "subnet", "explode" }, "subnet has no command “explode”: it has create, list or update" },
    { { "subnet", "create" }, "subnet create needs NAME" },
    { { "subnet", "update", "abcd" }, "subnet update needs --name NAME or --description TEXT" },
    { { "thread" }, "thread needs a command: create, list or show" },
    { { "thread", "create", "abcd" }, "thread create needs --title TITLE" },
    { { "thread", "create", "--title", "T" }, "thread create needs SUBNET" },
    { { "thread", "list", "abcd", "--limit", "0" }, "--limit must be positive" },
    { { "thread", "list", "abcd", "--limit", "many" }, "“many” for --limit" },
    { { "thread", "show" }, "thread show needs THREAD" },
    { { "reply", "abcd" }, "reply needs --body TEXT or --body-file FILE" },
    { { "reply", "abcd", "--body", "x", "--body-file", "-" }, "not both" },
    { { "edit", "abcd" }, "edit needs --title TITLE, --body TEXT or --body-file FILE" },
    { { "delete" }, "delete needs ID" },
    { { "delete", "abcd", "efgh" }, "“efgh” is one argument too many: delete takes ID" },
    { { "hide" }, "hide needs ID" },
    { { "unhide", "abcd", "efgh" }, "one argument too many" },
    { { "moderator" }, "moderator needs a command: add, remove or list" },
    { { "moderator", "add" }, "moderator add needs SUBNET and KEY" },
    { { "moderator", "add", "abcd" }, "moderator add needs KEY" },
    { { "moderator", "list" }, "moderator list needs SUBNET" },
    { { "search" }, "search needs WORDS" },
    { { "search", "x", "--limit", "0" }, "--limit must be positive" },
    { { "export", "--since", "the day before yesterday" }, "--since wants milliseconds" },
    { { "import" }, "import needs FILE" },
    { { "import", "events.jsonl", "--max-future", "soon" }, "“soon” for --max-future" },
    { { "peer" }, "peer needs a command: add, remove or list" },
    { { "peer", "add", "ftp://192.0.2.7" }, "peers speak ws://" },
    { { "peer", "add", "192.0.2.7:99999" }, "not a peer address" },
    { { "peer", "add", "two words" }, "not a peer address" },
    { { "peer", "remove" }, "peer remove needs ADDRESS" },
    { { "bootstrap", "add", "host:0" }, "port 0" },
    { { "status", "extra" }, "status takes no arguments" },
    { { "invite", "create", "--expires", "soon" }, "--expires wants a duration" },
    { { "invite", "create", "--address", "gopher://x" }, "--address" },
    { { "help", "frobnicate" }, "unknown command “frobnicate”" },
    { { "help", "thread", "frob" }, "thread has no command “frob”" },
  };
  g_autoptr(HlCtlRun) json = NULL;
  g_autoptr(JsonNode) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HlCtlRun) run = hl_test_ctl_runv (f->dir, NULL, cases[i].argv);
      g_autofree char *joined = g_strjoinv (" ", (char **) cases[i].argv);

      g_test_message ("hyperlinkctl %s", joined);
      hl_test_assert_failed (run, 2, cases[i].says);
      /* It says where to read more: a command's own --help names the command. */
      assert_contains (run->err, "--help");
      g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
    }

  /* A command's usage error shows its usage line, arguments and all. */
  {
    g_autoptr(HlCtlRun) run = hl_test_ctl_run (f->dir, "thread", "create", NULL);

    assert_contains (run->err, "Usage: hyperlinkctl thread create SUBNET --title TITLE "
                               "[--body TEXT | --body-file FILE]\n");
    assert_contains (run->err, "“hyperlinkctl thread create --help”");
  }
  /* A group's lists what it has. */
  {
    g_autoptr(HlCtlRun) run = hl_test_ctl_run (f->dir, "moderator", NULL);

    assert_contains (run->err, "hyperlinkctl moderator add SUBNET KEY\n");
    assert_contains (run->err, "hyperlinkctl moderator list SUBNET\n");
  }

  /* Scripts get the error as JSON on stdout, people still get it on stderr. */
  json = hl_test_ctl_run (f->dir, "--json", "frobnicate", NULL);
  hl_test_assert_failed (json, 2, "unknown command");
  error = hl_test_parse_json (json->out);
  g_assert_cmpstr (hl_test_get_string (hl_test_get_member (error, "error"), "code"), ==, "usage");
  assert_contains (hl_test_get_string (hl_test_get_member (error, "error"), "message"), "frobnicate");
  g_clear_pointer (&json, hl_ctl_run_free);
  g_clear_pointer (&error, json_node_unref);
  json = hl_test_ctl_run (f->dir, "thread", "show", "--json", NULL);
  hl_test_assert_failed (json, 2, "thread show needs THREAD");
  error = hl_test_parse_json (json->out);
  g_assert_cmpstr (hl_test_get_string (hl_test_get_member (error, "error"), "message"), ==,
                   "thread show needs THREAD");
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

  /* -d is --data-dir, in every place the long form is taken; the last wins. */
  {
    g_autofree char *equals = g_strconcat ("--data-dir=", f->dir, NULL);
    const char * const forms[][7] = {
      { "-d", f->dir, "--json", "whoami" },
      { "--json", "whoami", "-d", f->dir },
      { equals, "whoami", "--json" },
      { "-d", f->other, "--json", "whoami", "-d", f->dir },
      { "--json", "peer", "-d", f->dir, "list" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
      {
        g_autoptr(HlCtlRun) run = hl_test_ctl_runv (NULL, NULL, forms[i]);
        g_autoptr(JsonNode) out = NULL;

        g_test_message ("form %u: %s", i, run->err);
        g_assert_cmpint (run->status, ==, 0);
        out = hl_test_parse_json (run->out);
        if (JSON_NODE_HOLDS_OBJECT (out))
          g_assert_cmpstr (hl_test_get_string (out, "data_dir"), ==, f->dir);
      }
  }
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

/* The window takes host:port; so does the command line, for peers and
 * bootstrap nodes alike, and every form of one address is the same peer. */
static void
test_peer_addresses (Fixture       *f,
                     gconstpointer  data)
{
  static const struct { const char *typed; const char *stored; } forms[] = {
    { "192.0.2.7", "ws://192.0.2.7:9473" },
    { "192.0.2.8:4040", "ws://192.0.2.8:4040" },
    { "peer.example.org", "ws://peer.example.org:9473" },
    { "Peer.Example.org:80", "ws://peer.example.org:80" },
    { "[2001:db8::1]:4040", "ws://[2001:db8::1]:4040" },
    { "2001:db8::2", "ws://[2001:db8::2]:9473" },
    { "ws://box.tailnet.ts.net", "ws://box.tailnet.ts.net:9473" },
    { "ws://[2001:db8::3]:1", "ws://[2001:db8::3]:1" },
  };
  const char * const lists[] = { "peer", "bootstrap" };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      g_autoptr(JsonNode) listed = NULL;
      JsonArray *array;

      for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
        {
          g_autoptr(JsonNode) added = hl_test_ctl_json (f->dir, lists[l], "add", forms[i].typed,
                                                        NULL);

          g_test_message ("%s add %s", lists[l], forms[i].typed);
          g_assert_cmpstr (hl_test_get_string (added, "address"), ==, forms[i].stored);
          g_assert_true (hl_test_get_bool (added, "added"));
        }
      listed = hl_test_ctl_json (f->dir, lists[l], "list", NULL);
      array = json_node_get_array (listed);
      g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (forms));

      /* Removing takes any form of the address too. */
      for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
        {
          g_autofree char *out = hl_test_ctl_ok (f->dir, lists[l], "remove", forms[i].stored +
                                                 strlen ("ws://"), NULL);
          assert_contains (out, forms[i].stored);
        }
      g_clear_pointer (&listed, json_node_unref);
      listed = hl_test_ctl_json (f->dir, lists[l], "list", NULL);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 0);
    }
}

/* Every command that only reads, as a new user might run it first. */
static const char * const reading_commands[][4] = {
  { "whoami" }, { "profile", "show" }, { "subnet", "list" }, { "thread", "list", "abcd" },
  { "thread", "show", "abcd" }, { "moderator", "list", "abcd" }, { "search", "cats" },
  { "export" }, { "state" }, { "peer", "list" }, { "bootstrap", "list" }, { "invite", "list" },
  { "status" },
};

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Names, sizes and modification times of everything in @dir. */
static char *
snapshot (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      struct stat st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_ptr_array_add (lines, g_strdup_printf ("%s %" G_GINT64_FORMAT " %ld.%09ld", name,
                                               (gint64) st.st_size, (long) st.st_mtim.tv_sec,
                                               (long) st.st_mtim.tv_nsec));
    }
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* A mistyped --data-dir must not become a directory tree, and reading
 * commands leave an existing data directory exactly as they found it. */
static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *typo = g_build_filename (f->dir, "no", "such", "dir", NULL);
  g_autofree char *before = NULL, *after = NULL, *key = NULL, *db = NULL;
  g_autofree char *lone = g_build_filename (f->other, "identity.key", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (reading_commands); i++)
    {
      g_autoptr(HlCtlRun) run = hl_test_ctl_runv (typo, NULL, reading_commands[i]);
      g_autoptr(HlCtlRun) json = NULL;
      g_autoptr(JsonNode) error = NULL;
      const char *json_argv[5] = { "--json" };

      g_test_message ("hyperlinkctl %s", reading_commands[i][0]);
      hl_test_assert_failed (run, 1, "No Hyperlink data in");
      assert_contains (run->err, typo);
      assert_contains (run->err, "run “hyperlinkctl init” to create an identity there, or check "
                                 "--data-dir");
      for (guint a = 0; a < 3 && reading_commands[i][a] != NULL; a++)
        json_argv[a + 1] = reading_commands[i][a];
      json = hl_test_ctl_runv (typo, NULL, json_argv);
      hl_test_assert_failed (json, 1, "No Hyperlink data");
      error = hl_test_parse_json (json->out);
      g_assert_cmpstr (hl_test_get_string (hl_test_get_member (error, "error"), "code"), ==,
                       "not-found");
      g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
    }

  /* whoami on a directory without a key says so, and makes none. */
  g_assert_cmpint (g_mkdir (f->other, 0700), ==, 0);
  {
    g_autoptr(HlCtlRun) run = hl_test_ctl_run (f->other, "whoami", NULL);
    hl_test_assert_failed (run, 1, "No identity in");
    g_assert_false (g_file_test (lone, G_FILE_TEST_EXISTS));
  }
  key = init_identity (f->dir, "Alice");
  db = g_build_filename (f->dir, "hyperlink.db", NULL);
  {
    g_autofree char *copy = g_build_filename (f->other, "hyperlink.db", NULL);
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (db, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (copy, contents, len, NULL));
  }
  {
    g_autoptr(HlCtlRun) run = hl_test_ctl_run (f->other, "whoami", NULL);
    hl_test_assert_failed (run, 1, "No identity in");
    assert_contains (run->err, "hyperlinkctl init");
    g_assert_false (g_file_test (lone, G_FILE_TEST_EXISTS));
  }

  /* With data there, reading changes nothing: no -wal or -shm file left, no
   * migration, no key. */
  before = snapshot (f->dir);
  for (guint i = 0; i < G_N_ELEMENTS (reading_commands); i++)
    {
      g_autoptr(HlCtlRun) run = hl_test_ctl_runv (f->dir, NULL, reading_commands[i]);

      g_test_message ("hyperlinkctl %s: %s", reading_commands[i][0], run->err);
      g_assert_cmpint (run->status, !=, 2);
    }
  after = snapshot (f->dir);
  g_assert_cmpstr (before, ==, after);
}

/* A reading command sees what a writer that still has the database open
 * committed (it sits in the write-ahead log), and leaves that writer's
 * files to it. */
static void
test_read_while_writing (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *key = init_identity (f->dir, "Alice");
  g_autofree char *db = g_build_filename (f->dir, "hyperlink.db", NULL);
  g_autofree char *key_path = g_build_filename (f->dir, "identity.key", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) writer = hl_store_open (db, &error);
  g_autoptr(HlIdentity) identity = hl_identity_load (key_path, &error);
  g_autoptr(HlEvent) subnet = NULL;

  g_assert_no_error (error);
  subnet = hl_store_publish (writer, identity, HL_KIND_SUBNET_CREATE, NULL,
                             "{\"name\":\"still in the log\"}", &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  out = hl_test_ctl_ok (f->dir, "subnet", "list", NULL);
  assert_contains (out, "still in the log");
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  /* The writer goes on writing after the reader left. */
  g_clear_pointer (&subnet, hl_event_free);
  subnet = hl_store_publish (writer, identity, HL_KIND_SUBNET_CREATE, NULL,
                             "{\"name\":\"after the reader\"}", &error);
  g_assert_no_error (error);
  g_clear_object (&writer);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "subnet", "list", NULL);
  assert_contains (out, "after the reader");
}

static int
get_user_version (const char *db)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  int version;

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA user_version", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return version;
}

static void
set_user_version (const char *db,
                  int         version)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

/* A database of another schema is refused by reading commands, not
 * migrated: only a writing command upgrades it. */
static void
test_read_other_schema (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *key = init_identity (f->dir, "Alice");
  g_autofree char *db = g_build_filename (f->dir, "hyperlink.db", NULL);
  g_autoptr(HlCtlRun) newer = NULL, older = NULL;
  int version = get_user_version (db);

  g_assert_cmpint (version, >, 0);
  set_user_version (db, 999);
  newer = hl_test_ctl_run (f->dir, "subnet", "list", NULL);
  hl_test_assert_failed (newer, 1, "written by a newer Hyperlink (schema 999");
  assert_contains (newer->err, "update Hyperlink");

  /* An older schema is not migrated by a reader: it says how to upgrade. */
  set_user_version (db, version - 1);
  older = hl_test_ctl_run (f->dir, "subnet", "list", NULL);
  hl_test_assert_failed (older, 1, "written by an older Hyperlink");
  assert_contains (older->err, "open it once for writing");
  g_assert_cmpint (get_user_version (db), ==, version - 1);
}

/* Text from a file or standard input, checked as --body is, and more. */
static void
test_body_file (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *key = init_identity (f->dir, "Alice");
  g_autofree char *subnet = hl_test_ctl_ok (f->dir, "subnet", "create", "cats", NULL);
  g_autofree char *thread = NULL, *reply = NULL, *edit = NULL, *state = NULL;
  g_autofree char *text = hl_test_write_file (f->dir, "post.txt", "Line one\nLine “two”\n\n");
  g_autofree char *latin1 = hl_test_write_file (f->dir, "latin1.txt", "caf\xe9\n");
  g_autofree char *nul = g_build_filename (f->dir, "nul.txt", NULL);
  g_autofree char *big = g_build_filename (f->dir, "big.txt", NULL);
  g_autofree char *huge_text = g_strnfill (60001, 'a');
  g_autofree char *long_text = g_strnfill (20001, 'a');
  g_autofree char *too_long = hl_test_write_file (f->dir, "long.txt", long_text);
  g_autofree char *missing = g_build_filename (f->dir, "missing.txt", NULL);
  g_autoptr(JsonNode) show = NULL;
  JsonArray *replies;
  const char *stdin_reply[] = { "reply", NULL, "--body-file", "-", NULL };
  g_autoptr(HlCtlRun) from_stdin = NULL;

  g_assert_true (g_file_set_contents (nul, "a\0b", 3, NULL));
  g_assert_true (g_file_set_contents (big, huge_text, -1, NULL));

  thread = hl_test_ctl_ok (f->dir, "thread", "create", subnet, "--title", "From a file",
                           "--body-file", text, NULL);
  stdin_reply[1] = thread;
  from_stdin = hl_test_ctl_runv_input (f->dir, NULL, "From standard input\n", stdin_reply);
  g_assert_cmpint (from_stdin->status, ==, 0);
  reply = g_strstrip (g_strdup (from_stdin->out));
  edit = hl_test_ctl_ok (f->dir, "edit", reply, "--body-file", text, NULL);
  g_assert_true (hl_test_is_hex_id (edit));

  show = hl_test_ctl_json (f->dir, "thread", "show", thread, NULL);
  /* The line breaks a file ends with are not part of the post. */
  g_assert_cmpstr (hl_test_get_string (show, "body"), ==, "Line one\nLine “two”");
  replies = json_node_get_array (hl_test_get_member (show, "reply_list"));
  g_assert_cmpuint (json_array_get_length (replies), ==, 1);
  g_assert_cmpstr (hl_test_get_string (json_array_get_element (replies, 0), "body"), ==,
                   "Line one\nLine “two”");

  /* What cannot be a post is refused, and nothing is written. */
  state = hl_test_ctl_ok (f->dir, "state", NULL);
  {
    const struct { const char *file; int status; const char *says; } refused[] = {
      { latin1, 1, "is not UTF-8 text: the byte at offset 3" },
      { nul, 1, "is not text: it holds a NUL byte at offset 1" },
      { big, 1, "holds more than 60000 bytes" },
      { too_long, 1, "20001 characters long; the limit is 20000" },
      { missing, 1, "missing.txt" },
      { f->dir, 1, "Cannot read --body-file" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(HlCtlRun) run = hl_test_ctl_run (f->dir, "reply", thread, "--body-file",
                                                   refused[i].file, NULL);
        g_autofree char *now = NULL;

        g_test_message ("reply --body-file %s", refused[i].file);
        hl_test_assert_failed (run, refused[i].status, refused[i].says);
        now = hl_test_ctl_ok (f->dir, "state", NULL);
        g_assert_cmpstr (now, ==, state);
      }
  }
  {
    const char *empty_reply[] = { "reply", thread, "--body-file", "-", NULL };
    g_autoptr(HlCtlRun) run = hl_test_ctl_runv_input (f->dir, NULL, "\n", empty_reply);

    hl_test_assert_failed (run, 1, "body");
  }
}

/* init does not rename; profile set changes only what it is given. */
static void
test_init_and_profile (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *key = init_identity (f->dir, "Alice");
  g_autoptr(HlCtlRun) rename = NULL;
  g_autoptr(JsonNode) who = NULL, again = NULL;
  g_autofree char *out = NULL, *id = NULL;

  rename = hl_test_ctl_run (f->dir, "init", "--name", "Bob", NULL);
  hl_test_assert_failed (rename, 1, "already has an identity");
  assert_contains (rename->err, "named “Alice”");
  assert_contains (rename->err, "hyperlinkctl profile set --name Bob");
  assert_contains (rename->err, "--rename");
  who = hl_test_ctl_json (f->dir, "whoami", NULL);
  g_assert_cmpstr (hl_test_get_string (who, "name"), ==, "Alice");
  g_assert_cmpint (hl_test_get_int (who, "events"), ==, 1);

  /* The same name again is no rename, and publishes nothing. */
  again = hl_test_ctl_json (f->dir, "init", "--name", "Alice", NULL);
  g_assert_false (hl_test_get_bool (again, "created"));
  g_clear_pointer (&who, json_node_unref);
  who = hl_test_ctl_json (f->dir, "whoami", NULL);
  g_assert_cmpint (hl_test_get_int (who, "events"), ==, 1);

  out = hl_test_ctl_ok (f->dir, "init", "--name", "Alice B", "--rename", NULL);
  assert_contains (out, "Your name is now “Alice B”");

  /* A bio alone keeps the name; a name alone keeps the bio; "" clears it. */
  id = hl_test_ctl_ok (f->dir, "profile", "set", "--bio", "Likes cats", NULL);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "profile", "show", NULL);
  g_assert_cmpstr (out, ==, "Alice B\nLikes cats");
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "profile", "set", "--name", "Alice", NULL);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "profile", "show", NULL);
  g_assert_cmpstr (out, ==, "Alice\nLikes cats");
  g_clear_pointer (&id, g_free);
  id = hl_test_ctl_ok (f->dir, "profile", "set", "--bio", "", NULL);
  g_clear_pointer (&out, g_free);
  out = hl_test_ctl_ok (f->dir, "profile", "show", NULL);
  g_assert_cmpstr (out, ==, "Alice");

  /* A bio before any name cannot make a profile. */
  {
    g_autofree char *bob = NULL;
    g_autoptr(HlCtlRun) no_name = NULL;

    bob = hl_test_ctl_ok (f->other, "init", NULL);
    no_name = hl_test_ctl_run (f->other, "profile", "set", "--bio", "hi", NULL);
    hl_test_assert_failed (no_name, 1, "give --name NAME too");
  }
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
  ADD ("/ctl/peer-addresses", test_peer_addresses);
  ADD ("/ctl/read-only", test_read_only);
  ADD ("/ctl/read-while-writing", test_read_while_writing);
  ADD ("/ctl/read-other-schema", test_read_other_schema);
  ADD ("/ctl/body-file", test_body_file);
  ADD ("/ctl/init-and-profile", test_init_and_profile);
#undef ADD

  return hl_test_run_and_clean_up ();
}
