/* hl-ctl.c: opening the data directory, parsing options, reporting errors.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include <stdio.h>

#include "hl-error.h"
#include "hl-paths.h"
#include "hl-store-privnet.h"

/* Called with the global --data-dir (NULL when none) and again for each
 * later one, which wins. */
void
hl_ctl_set_data_dir (HlCtl      *ctl,
                     const char *option)
{
  const char *env = g_getenv (HL_DATA_DIR_ENV);

  if (option != NULL && *option != '\0')
    ctl->data_dir_source = "--data-dir";
  else if (ctl->data_dir != NULL)
    return;
  else if (env != NULL && *env != '\0')
    ctl->data_dir_source = "$" HL_DATA_DIR_ENV;
  else
    ctl->data_dir_source = NULL;
  g_free (ctl->data_dir);
  ctl->data_dir = hl_paths_resolve_data_dir (option);
}

void
hl_ctl_clear (HlCtl *ctl)
{
  g_clear_object (&ctl->store);
  g_clear_pointer (&ctl->identity, hl_identity_free);
  g_clear_pointer (&ctl->data_dir, g_free);
}

static gboolean
writes (HlCtl *ctl)
{
  return ctl->command != NULL && ctl->command->access == HL_CTL_WRITES;
}

/* What to try when the data directory holds nothing: where it came from
 * decides what may be mistyped. */
static const char *
data_dir_hint (HlCtl *ctl)
{
  if (g_strcmp0 (ctl->data_dir_source, "--data-dir") == 0)
    return "or check --data-dir";
  if (ctl->data_dir_source != NULL)
    return "or check $" HL_DATA_DIR_ENV;
  return "or give the data directory with --data-dir";
}

/* For commands that read: the data directory and @file in it must be there. */
static gboolean
check_data_file (HlCtl       *ctl,
            const char  *file,
            GError     **error)
{
  g_autofree char *path = g_build_filename (ctl->data_dir, file, NULL);
  const char *missing = NULL;

  if (!g_file_test (ctl->data_dir, G_FILE_TEST_EXISTS))
    missing = "no such directory";
  else if (!g_file_test (ctl->data_dir, G_FILE_TEST_IS_DIR))
    missing = "not a directory";
  else if (!g_file_test (path, G_FILE_TEST_EXISTS))
    missing = file;
  if (missing == NULL)
    return TRUE;
  if (strcmp (missing, "not a directory") == 0)
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                 "The data directory %s is not a directory: %s", ctl->data_dir,
                 data_dir_hint (ctl) + strlen ("or "));
  else if (missing == file && strcmp (file, "identity.key") == 0)
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                 "No identity in %s (no identity.key): run “hyperlinkctl init” to create "
                 "one there, %s", ctl->data_dir, data_dir_hint (ctl));
  else
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                 "No Hyperlink data in %s (%s%s): run “hyperlinkctl init” to create an "
                 "identity there, %s", ctl->data_dir, missing == file ? "no " : "", missing,
                 data_dir_hint (ctl));
  return FALSE;
}

gboolean
hl_ctl_check_data (HlCtl   *ctl,
                   GError **error)
{
  return check_data_file (ctl, "hyperlink.db", error);
}

/* The device key opens the private subnets it is a member of, whatever the
 * command (an import among them); a missing key just opens none. */
static void
lend_identity (HlCtl *ctl)
{
  g_autofree char *path = hl_paths_identity (ctl->data_dir);

  if (ctl->store == NULL)
    return;
  if (ctl->identity == NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    ctl->identity = hl_identity_load (path, NULL);
  hl_store_set_identity (ctl->store, ctl->identity);
}

HlStore *
hl_ctl_store (HlCtl   *ctl,
              GError **error)
{
  g_autofree char *path = NULL;

  if (ctl->store != NULL)
    return ctl->store;
  path = hl_paths_database (ctl->data_dir);
  if (writes (ctl))
    {
      if (!hl_paths_ensure_data_dir (ctl->data_dir, error))
        return NULL;
      ctl->store = hl_store_open (path, error);
    }
  else if (hl_ctl_check_data (ctl, error))
    ctl->store = hl_store_open_readonly (path, error);
  lend_identity (ctl);
  return ctl->store;
}

HlIdentity *
hl_ctl_identity (HlCtl     *ctl,
                 gboolean  *created,
                 GError   **error)
{
  g_autofree char *path = NULL;

  if (created != NULL)
    *created = FALSE;
  if (ctl->identity != NULL)
    return ctl->identity;
  path = hl_paths_identity (ctl->data_dir);
  if (writes (ctl))
    {
      if (!hl_paths_ensure_data_dir (ctl->data_dir, error))
        return NULL;
      ctl->identity = hl_identity_load_or_create (path, created, error);
    }
  else if (check_data_file (ctl, "identity.key", error))
    ctl->identity = hl_identity_load (path, error);
  return ctl->identity;
}

void
hl_ctl_add_global_entries (GOptionContext  *context,
                           gboolean        *json,
                           char           **data_dir)
{
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, data_dir,
      "The data directory (else $" HL_DATA_DIR_ENV ", else $XDG_DATA_HOME/hyperlink)", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, json, "Print JSON, errors included, for scripts", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

char *
hl_ctl_usage_line (const HlCtlCommandInfo *info)
{
  g_autoptr(GString) line = g_string_new ("hyperlinkctl");

  if (info->group != NULL)
    g_string_append_printf (line, " %s", info->group);
  g_string_append_printf (line, " %s", info->name);
  if (*info->args)
    g_string_append_printf (line, " %s", info->args);
  if (*info->options)
    g_string_append_printf (line, " %s", info->options);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static char *
command_name (const HlCtlCommandInfo *info)
{
  if (info->group != NULL)
    return g_strdup_printf ("%s %s", info->group, info->name);
  return g_strdup (info->name);
}

/* The positional arguments of @args ("SUBNET [KEY]", "WORDS…"): the
 * required ones in @required, how many may be given in @max (-1: any). */
static GPtrArray *
parse_positional (const char *args,
                  int        *max)
{
  g_auto(GStrv) words = g_strsplit (args, " ", -1);
  GPtrArray *required = g_ptr_array_new_with_free_func (g_free);

  *max = 0;
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (g_str_has_suffix (words[i], "…"))
        *max = -1;
      else if (*max >= 0)
        (*max)++;
      if (words[i][0] != '[')
        g_ptr_array_add (required, g_strdup (words[i]));
    }
  return required;
}

/* "SUBNET", "SUBNET and KEY" */
static char *
join_names (GPtrArray *names,
            guint      from)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = from; i < names->len; i++)
    g_string_append_printf (text, "%s%s", i == from ? "" : i + 1 == names->len ? " and " : ", ",
                            (const char *) g_ptr_array_index (names, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Where someone who lacks the argument @name finds one. */
static const char *
where_to_find (const char *name)
{
  if (strcmp (name, "SUBNET") == 0)
    return " (“hyperlinkctl subnet list” shows the subnets)";
  if (strcmp (name, "THREAD") == 0)
    return " (“hyperlinkctl thread list SUBNET” shows a subnet's threads)";
  if (strcmp (name, "ID") == 0)
    return " (“hyperlinkctl thread show THREAD” shows the ids of a thread and its replies)";
  return "";
}

static gboolean
check_positional (HlCtl  *ctl,
                  int     argc,
                  char  **argv)
{
  const HlCtlCommandInfo *info = ctl->command;
  g_autoptr(GPtrArray) required = NULL;
  g_autofree char *name = command_name (info);
  int n = argc - 1, max;

  required = parse_positional (info->args, &max);
  if (n < (int) required->len)
    {
      g_autofree char *missing = join_names (required, n);
      hl_ctl_usage_error (ctl, "%s needs %s%s", name, missing,
                          where_to_find (g_ptr_array_index (required, n)));
      return FALSE;
    }
  if (max >= 0 && n > max)
    {
      if (max == 0)
        hl_ctl_usage_error (ctl, "%s takes no arguments, but was given “%s”", name, argv[1]);
      else
        hl_ctl_usage_error (ctl, "“%s” is one argument too many: %s takes %s", argv[max + 1],
                            name, info->args);
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_ctl_parse (HlCtl          *ctl,
              GOptionEntry   *entries,
              int            *argc,
              char         ***argv)
{
  const HlCtlCommandInfo *info = ctl->command;
  g_autofree char *parameters = g_strjoin (" ", info->args, info->options, NULL);
  g_autoptr(GOptionContext) context = g_option_context_new (g_strstrip (parameters));
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;

  g_option_context_set_summary (context, info->summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  hl_ctl_add_global_entries (context, &ctl->json, &data_dir);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_autofree char *name = command_name (info);
      hl_ctl_usage_error (ctl, "%s: %s", name, error->message);
      return FALSE;
    }
  if (data_dir != NULL)
    hl_ctl_set_data_dir (ctl, data_dir);
  return check_positional (ctl, *argc, *argv);
}

void
hl_ctl_print_error (HlCtl      *ctl,
                    const char *message,
                    const char *code)
{
  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, code);
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      hl_ctl_print_json (root);
    }
  g_printerr ("hyperlinkctl: %s\n", message);
}

static const char *
error_code_name (const GError *error)
{
  static const char * const names[] = {
    "malformed", "version", "bad-id", "bad-signature", "too-large", "future",
    "invalid-body", "not-found", "ambiguous", "permission", "io", "database",
  };

  if (error->domain == HL_CORE_ERROR && error->code >= 0 && error->code < (int) G_N_ELEMENTS (names))
    return names[error->code];
  return "failed";
}

int
hl_ctl_fail (HlCtl        *ctl,
             const GError *error)
{
  hl_ctl_print_error (ctl, error->message, error_code_name (error));
  return HL_CTL_EXIT_FAILED;
}

int
hl_ctl_usage_error (HlCtl      *ctl,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  hl_ctl_print_error (ctl, message, "usage");
  if (ctl->command != NULL)
    {
      g_autofree char *usage = hl_ctl_usage_line (ctl->command);
      g_autofree char *name = command_name (ctl->command);

      g_printerr ("Usage: %s\nRun “hyperlinkctl %s --help” for its options.\n", usage, name);
    }
  else
    g_printerr ("Run “hyperlinkctl --help” for the commands.\n");
  return HL_CTL_EXIT_USAGE;
}

gboolean
hl_ctl_resolve (HlCtl       *ctl,
                const char  *prefix,
                guint8      *id,
                GError     **error)
{
  HlStore *store = hl_ctl_store (ctl, error);

  return store != NULL && hl_store_resolve_prefix (store, prefix, id, error);
}

HlEvent *
hl_ctl_publish_quietly (HlCtl         *ctl,
                        const char    *kind,
                        const guint8  *ref,
                        JsonBuilder   *body,
                        const char    *what,
                        GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body_text = NULL;
  HlEvent *event = NULL;
  HlIdentity *identity;
  HlStore *store;

  json_builder_end_object (body);
  root = json_builder_get_root (body);
  body_text = json_to_string (root, FALSE);

  if ((store = hl_ctl_store (ctl, error)) && (identity = hl_ctl_identity (ctl, NULL, error)))
    {
      hl_store_set_identity (store, identity);
      event = hl_store_publish (store, identity, kind, ref, body_text, error);
    }
  if (event == NULL)
    g_prefix_error (error, "Cannot %s: ", what);
  return event;
}

int
hl_ctl_publish (HlCtl        *ctl,
                const char   *kind,
                const guint8 *ref,
                JsonBuilder  *body,
                const char   *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) event = NULL;
  g_autofree char *id = NULL;

  if (!(event = hl_ctl_publish_quietly (ctl, kind, ref, body, what, &error)))
    return hl_ctl_fail (ctl, error);

  id = hl_event_id_hex (event);
  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) out = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "event");
      json_builder_add_value (b, hl_event_to_json (event));
      json_builder_end_object (b);
      out = json_builder_get_root (b);
      hl_ctl_print_json (out);
    }
  else
    g_print ("%s\n", id);
  return HL_CTL_EXIT_OK;
}
