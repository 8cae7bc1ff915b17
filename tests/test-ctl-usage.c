/* test-ctl-usage.c: the real hyperlinkctl as a new user meets it.
 *
 * Help for every group and command, usage errors that name what is missing,
 * the global options, reading commands that never create anything (not the
 * data directory, not a key, not a -wal file), --body-file, peer addresses
 * in every form the window takes, and init that does not rename. Each test
 * gets its own data directories in a sandbox; see hl-test-util.c.
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

#define assert_contains hl_test_assert_contains

/* The commands `hyperlinkctl --help` must list: a new command fails
 * /ctl/help until it is added here and covered below. */
static const char * const known_commands[] = {
  "init", "whoami", "profile", "subnet", "thread", "reply", "edit", "delete", "hide",
  "unhide", "moderator", "search", "export", "import", "state", "peer", "status",
  "bootstrap", "invite", "member", "acl", "archive", "config", "help",
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
  { "subnet", "create", "subnet create NAME [--description TEXT] [--private [--tag tag:hl-NAME]]" },
  { "subnet", "list", "subnet list" },
  { "subnet", "update", "subnet update SUBNET [--name NAME] [--description TEXT]" },
  { "thread", "create", "thread create SUBNET --title TITLE [--body TEXT | --body-file FILE]" },
  { "thread", "list", "thread list SUBNET [--limit N] [--offset N] [--archived]" },
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
  { "member", "add", "member add SUBNET KEY [--admin]" },
  { "member", "remove", "member remove SUBNET KEY" },
  { "member", "list", "member list SUBNET" },
  { NULL, "acl", "acl [--port PORT]" },
  { "archive", "status", "archive status" },
  { "archive", "seal", "archive seal [--all]" },
  { "archive", "load", "archive load SEGMENT [--wait S] [--timeout S]" },
  { "archive", "verify", "archive verify" },
  { "config", "show", "config show" },
  { "config", "set", "config set KEY VALUE [--force]" },
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
  g_assert_true (g_str_has_prefix (hl_test_get_string (hl_test_get_member (error, "error"),
                                                      "message"),
                                  "thread show needs THREAD (“hyperlinkctl thread list SUBNET” "
                                  "shows a subnet's threads)"));
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
  key = hl_test_init_identity (f->dir, "Alice");
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
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
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
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
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
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
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
  g_autofree char *key = hl_test_init_identity (f->dir, "Alice");
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

  g_test_add_func ("/ctl/usage/help", test_help);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ctl/usage/errors", test_usage_errors);
  ADD ("/ctl/usage/data-dir", test_data_dir_precedence);
  ADD ("/ctl/usage/peer-addresses", test_peer_addresses);
  ADD ("/ctl/usage/read-only", test_read_only);
  ADD ("/ctl/usage/read-while-writing", test_read_while_writing);
  ADD ("/ctl/usage/read-other-schema", test_read_other_schema);
  ADD ("/ctl/usage/body-file", test_body_file);
  ADD ("/ctl/usage/init-and-profile", test_init_and_profile);
#undef ADD

  return hl_test_run_and_clean_up ();
}
