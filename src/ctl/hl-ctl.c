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

HlStore *
hl_ctl_store (HlCtl   *ctl,
              GError **error)
{
  g_autofree char *path = NULL;

  if (ctl->store != NULL)
    return ctl->store;
  if (!hl_paths_ensure_data_dir (ctl->data_dir, error))
    return NULL;
  path = hl_paths_database (ctl->data_dir);
  ctl->store = hl_store_open (path, error);
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
  if (!hl_paths_ensure_data_dir (ctl->data_dir, error))
    return NULL;
  path = hl_paths_identity (ctl->data_dir);
  ctl->identity = hl_identity_load_or_create (path, created, error);
  return ctl->identity;
}

/* Parses a command's options; every command also takes the global --json and
 * --data-dir, so they may come after the command as people tend to type them. */
gboolean
hl_ctl_parse (HlCtl          *ctl,
              const char     *usage,
              const char     *summary,
              GOptionEntry   *entries,
              int            *argc,
              char         ***argv,
              int             min_args,
              int             max_args)
{
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  GOptionEntry globals[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &ctl->json, "Print JSON", NULL },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Data directory", "DIR" },
    { NULL }
  };
  int n;

  g_option_context_set_summary (context, summary);
  g_option_context_set_help_enabled (context, TRUE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, globals, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      hl_ctl_usage_error (ctl, "%s", error->message);
      return FALSE;
    }
  if (data_dir != NULL)
    {
      g_free (ctl->data_dir);
      ctl->data_dir = hl_paths_resolve_data_dir (data_dir);
    }

  n = *argc - 1;
  if (n < min_args || (max_args >= 0 && n > max_args))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      hl_ctl_usage_error (ctl, "%s the arguments it needs",
                          n < min_args ? "missing" : "more than");
      if (!ctl->json)
        g_printerr ("\n%s", help);
      return FALSE;
    }
  return TRUE;
}

static void
print_json_error (const char *message,
                  const char *code)
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
  if (ctl->json)
    print_json_error (error->message, error_code_name (error));
  g_printerr ("hyperlinkctl: %s\n", error->message);
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

  if (ctl->json)
    print_json_error (message, "usage");
  g_printerr ("hyperlinkctl: %s (see “hyperlinkctl --help”)\n", message);
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

  if (!(store = hl_ctl_store (ctl, error)) ||
      !(identity = hl_ctl_identity (ctl, NULL, error)) ||
      !(event = hl_store_publish (store, identity, kind, ref, body_text, error)))
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
