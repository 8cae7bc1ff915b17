/* hl-test-util.c: running the real hyperlinkctl in the process tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-util.h"

#include <glib/gstdio.h>

static char *sandbox;

void
hl_ctl_run_free (HlCtlRun *run)
{
  if (run == NULL)
    return;
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

void
hl_test_init (int    *argc,
              char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xdg = NULL;

  g_test_init (argc, argv, NULL);
  sandbox = g_dir_make_tmp ("hl-ctl-test-XXXXXX", &error);
  g_assert_no_error (error);

  /* A forgotten --data-dir must land in the sandbox, never in the home of
   * whoever runs the tests. */
  xdg = g_build_filename (sandbox, "xdg", NULL);
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  g_unsetenv ("HYPERLINK_DATA_DIR");
}

int
hl_test_run_and_clean_up (void)
{
  int rc = g_test_run ();

  hl_test_remove_tree (sandbox);
  g_clear_pointer (&sandbox, g_free);
  return rc;
}

static const char *
find_built_program (const char *env_name,
                    const char *relative_path)
{
  static GHashTable *found;
  const char *path = g_getenv (env_name);
  char *built;

  if (path != NULL)
    return path;
  if (found == NULL)
    found = g_hash_table_new (g_str_hash, g_str_equal);
  if ((path = g_hash_table_lookup (found, env_name)) != NULL)
    return path;

  /* Outside meson test: look for it relative to this program in the build tree. */
  built = g_build_filename (g_test_get_dir (G_TEST_BUILT), relative_path, NULL);
  g_hash_table_insert (found, (gpointer) env_name, built);
  return built;
}

const char *
hl_test_ctl_path (void)
{
  return find_built_program ("HYPERLINKCTL", "../src/ctl/hyperlinkctl");
}

const char *
hl_test_forge_path (void)
{
  return find_built_program ("HL_TEST_FORGE", "hl-test-forge");
}

char *
hl_test_make_dir (const char *label)
{
  g_autofree char *template = g_strdup_printf ("%s/%s-XXXXXX", sandbox, label);

  g_assert_nonnull (sandbox);
  g_assert_nonnull (g_mkdtemp (template));
  return g_steal_pointer (&template);
}

void
hl_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        hl_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

HlCtlRun *
hl_test_ctl_runv_input (const char         *data_dir,
                        const char * const *env_extra,
                        const char         *input,
                        const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  HlCtlRun *run = g_new0 (HlCtlRun, 1);

  /* Standard input is a pipe, never the terminal the tests were started
   * from: a command that would ask a question there must not wait. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env_extra[i], "=", 2);

      g_assert_nonnull (pair[1]);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  g_ptr_array_add (args, (gpointer) hl_test_ctl_path ());
  if (data_dir != NULL)
    {
      g_ptr_array_add (args, (gpointer) "--data-dir");
      g_ptr_array_add (args, (gpointer) data_dir);
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  return run;
}

HlCtlRun *
hl_test_ctl_runv (const char         *data_dir,
                  const char * const *env_extra,
                  const char * const *argv)
{
  return hl_test_ctl_runv_input (data_dir, env_extra, NULL, argv);
}

static GPtrArray *
collect_args (const char *first,
              va_list     args)
{
  GPtrArray *argv = g_ptr_array_new ();

  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  return argv;
}

HlCtlRun *
hl_test_ctl_run (const char *data_dir,
                 ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, data_dir);
  argv = collect_args (va_arg (args, const char *), args);
  va_end (args);
  return hl_test_ctl_runv (data_dir, NULL, (const char * const *) argv->pdata);
}

static void
assert_succeeded (const HlCtlRun *run)
{
  if (run->status != 0)
    g_test_message ("hyperlinkctl failed; its stderr:\n%s", run->err);
  g_assert_cmpint (run->status, ==, 0);
}

char *
hl_test_ctl_ok (const char *data_dir,
                ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(HlCtlRun) run = NULL;
  va_list args;

  va_start (args, data_dir);
  argv = collect_args (va_arg (args, const char *), args);
  va_end (args);
  run = hl_test_ctl_runv (data_dir, NULL, (const char * const *) argv->pdata);
  assert_succeeded (run);
  return g_strstrip (g_steal_pointer (&run->out));
}

JsonNode *
hl_test_ctl_json_argv (const char         *data_dir,
                       const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(HlCtlRun) run = NULL;

  g_ptr_array_add (args, (gpointer) "--json");
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  run = hl_test_ctl_runv (data_dir, NULL, (const char * const *) args->pdata);
  assert_succeeded (run);
  return hl_test_parse_json (run->out);
}

JsonNode *
hl_test_ctl_json (const char *data_dir,
                  ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, data_dir);
  argv = collect_args (va_arg (args, const char *), args);
  va_end (args);
  return hl_test_ctl_json_argv (data_dir, (const char * const *) argv->pdata);
}

char *
hl_test_init_identity (const char *dir,
                       const char *name)
{
  g_autoptr(JsonNode) out = hl_test_ctl_json (dir, "init", "--name", name, NULL);

  g_assert_true (hl_test_get_bool (out, "created"));
  return g_strdup (hl_test_get_string (out, "key"));
}

gboolean
hl_test_contains_casefold (const char *haystack,
                           const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

void
hl_test_assert_contains (const char *haystack,
                         const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_test_message ("“%s” not found in:\n%s", needle, haystack);
  g_assert_nonnull (strstr (haystack, needle));
}

void
hl_test_assert_failed (const HlCtlRun *run,
                       int             status,
                       const char     *needle)
{
  if (run->status != status || !g_str_has_prefix (run->err, "hyperlinkctl:") ||
      (needle != NULL && !hl_test_contains_casefold (run->err, needle)))
    g_test_message ("expected exit %d and an error mentioning “%s”; got exit %d, stderr:\n%s",
                    status, needle ? needle : "", run->status, run->err);
  g_assert_cmpint (run->status, ==, status);
  g_assert_true (g_str_has_prefix (run->err, "hyperlinkctl:"));
  if (needle != NULL)
    g_assert_true (hl_test_contains_casefold (run->err, needle));
}

JsonNode *
hl_test_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_test_message ("not JSON: %s", text);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

GPtrArray *
hl_test_parse_jsonl (const char *text)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonNode *node;

      if (*lines[i] == '\0')
        continue;
      node = hl_test_parse_json (lines[i]);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_assert_true (json_object_has_member (json_node_get_object (node), "id"));
      g_ptr_array_add (events, node);
    }
  return events;
}

char *
hl_test_forge (const char *key_file,
               const char *kind,
               gint64      ts_ms,
               const char *ref,
               const char *body)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (args, g_strdup (hl_test_forge_path ()));
  g_ptr_array_add (args, g_strdup ("--key"));
  g_ptr_array_add (args, g_strdup (key_file));
  g_ptr_array_add (args, g_strdup ("--kind"));
  g_ptr_array_add (args, g_strdup (kind));
  if (ts_ms >= 0)
    g_ptr_array_add (args, g_strdup_printf ("--ts=%" G_GINT64_FORMAT, ts_ms));
  if (ref != NULL)
    {
      g_ptr_array_add (args, g_strdup ("--ref"));
      g_ptr_array_add (args, g_strdup (ref));
    }
  if (body != NULL)
    {
      g_ptr_array_add (args, g_strdup ("--body"));
      g_ptr_array_add (args, g_strdup (body));
    }
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_test_message ("hl-test-forge failed: %s", err);
  g_assert_true (g_subprocess_get_successful (process));
  return g_strstrip (g_steal_pointer (&out));
}

char *
hl_test_write_file (const char *dir,
                    const char *name,
                    const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

JsonNode *
hl_test_get_member (JsonNode   *node,
                    const char *name)
{
  JsonNode *member;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  member = json_object_get_member (json_node_get_object (node), name);
  if (member == NULL)
    g_test_message ("no member “%s” in %s", name, json_to_string (node, TRUE));
  g_assert_nonnull (member);
  return member;
}

const char *
hl_test_get_string (JsonNode   *node,
                    const char *name)
{
  JsonNode *member = hl_test_get_member (node, name);

  g_assert_cmpint (json_node_get_value_type (member), ==, G_TYPE_STRING);
  return json_node_get_string (member);
}

gint64
hl_test_get_int (JsonNode   *node,
                 const char *name)
{
  JsonNode *member = hl_test_get_member (node, name);

  g_assert_cmpint (json_node_get_value_type (member), ==, G_TYPE_INT64);
  return json_node_get_int (member);
}

gboolean
hl_test_get_bool (JsonNode   *node,
                  const char *name)
{
  JsonNode *member = hl_test_get_member (node, name);

  g_assert_cmpint (json_node_get_value_type (member), ==, G_TYPE_BOOLEAN);
  return json_node_get_boolean (member);
}

gboolean
hl_test_is_hex_id (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *bytes = NULL;
  gsize n = strlen (needle);
  gsize len;

  if (!g_file_get_contents (path, &bytes, &len, NULL))
    return FALSE;
  /* The bytes hold NULs: no str* function will do. */
  for (gsize i = 0; i + n <= len; i++)
    if (bytes[i] == needle[0] && memcmp (bytes + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

char *
hl_test_files_holding (const char *dir,
                       const char *needle)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GString) found = g_string_new (NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (file_contains (path, needle))
        g_string_append_printf (found, "%s%s", found->len ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&found), FALSE);
}
