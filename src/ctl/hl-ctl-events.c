/* hl-ctl-events.c: export, import and the state digest.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include <stdio.h>
#include <gio/gunixinputstream.h>

#include "hl-error.h"
#include "hl-ingest.h"

static gboolean
parse_since (const char *text,
             gint64     *ms)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *with_time = NULL;
  char *end = NULL;
  gint64 value;

  value = g_ascii_strtoll (text, &end, 10);
  if (end != text && *end == '\0' && value >= 0)
    {
      *ms = value;
      return TRUE;
    }
  when = g_date_time_new_from_iso8601 (text, local);
  if (when == NULL)
    {
      /* A bare date means its midnight. */
      with_time = g_strconcat (text, "T00:00:00", NULL);
      when = g_date_time_new_from_iso8601 (with_time, local);
    }
  if (when == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (when) * 1000;
  return TRUE;
}

static gboolean
write_event_line (const HlEvent *event,
                  gpointer       user_data)
{
  g_autofree char *line = hl_event_to_json_text (event);
  guint64 *count = user_data;

  (*count)++;
  return fputs (line, stdout) >= 0 && fputc ('\n', stdout) != EOF;
}

int
hl_ctl_cmd_export (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *since_text = NULL;
  GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text,
      "Only events dated at or after this (milliseconds since 1970, or an ISO 8601 date)", "TIME" },
    { NULL }
  };
  guint64 count = 0;
  gint64 since = 0;
  HlStore *store;

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (since_text != NULL && !parse_since (since_text, &since))
    return hl_ctl_usage_error (ctl, "--since wants milliseconds or a date like 2026-11-22, "
                               "not “%s”", since_text);
  if (!(store = hl_ctl_store (ctl, &error)) ||
      !hl_store_foreach_event (store, since, write_event_line, &count, &error))
    return hl_ctl_fail (ctl, error);
  if (fflush (stdout) != 0)
    {
      g_set_error (&error, HL_CORE_ERROR, HL_CORE_ERROR_IO, "Cannot write the export: %s",
                   g_strerror (errno));
      return hl_ctl_fail (ctl, error);
    }
  return HL_CTL_EXIT_OK;
}

typedef struct
{
  HlCtl     *ctl;
  JsonArray *errors;
} ImportReport;

static void
on_rejected (guint64       line,
             const GError *error,
             gpointer      user_data)
{
  ImportReport *report = user_data;

  if (report->ctl->json)
    {
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, "line", (gint64) line);
      json_object_set_string_member (item, "reason", error->message);
      json_array_add_object_element (report->errors, item);
    }
  else
    g_printerr ("hyperlinkctl: line %" G_GUINT64_FORMAT ": %s\n", line, error->message);
}

static GInputStream *
open_input (const char  *path,
            GError     **error)
{
  g_autoptr(GFile) file = NULL;

  if (strcmp (path, "-") == 0)
    return g_unix_input_stream_new (0, FALSE);
  file = g_file_new_for_commandline_arg (path);
  return (GInputStream *) g_file_read (file, NULL, error);
}

int
hl_ctl_cmd_import (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(JsonArray) errors = json_array_new ();
  ImportReport report = { ctl, errors };
  HlIngestStats stats;
  int max_future = -1;
  GOptionEntry entries[] = {
    { "max-future", 0, 0, G_OPTION_ARG_INT, &max_future,
      "Refuse events dated more than this many seconds ahead (600)", "SECONDS" },
    { NULL }
  };
  HlStore *store;

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(input = open_input (argv[1], &error)))
    {
      g_prefix_error (&error, "Cannot import: ");
      return hl_ctl_fail (ctl, error);
    }
  if (!(store = hl_ctl_store (ctl, &error)))
    return hl_ctl_fail (ctl, error);
  if (max_future >= 0)
    hl_store_set_max_future_ms (store, (gint64) max_future * 1000);

  if (!hl_ingest_stream (store, input, 0, &stats, on_rejected, &report, NULL, &error))
    {
      g_prefix_error (&error, "Import stopped after %" G_GUINT64_FORMAT " new events: ",
                      stats.accepted);
      return hl_ctl_fail (ctl, error);
    }

  if (ctl->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_int_member (out, "accepted", (gint64) stats.accepted);
      json_object_set_int_member (out, "duplicates", (gint64) stats.duplicates);
      json_object_set_int_member (out, "rejected", (gint64) stats.rejected);
      json_object_set_array_member (out, "errors", json_array_ref (errors));
      hl_ctl_print_object (out);
    }
  else
    g_print ("%" G_GUINT64_FORMAT " accepted, %" G_GUINT64_FORMAT " duplicate, %"
             G_GUINT64_FORMAT " rejected\n", stats.accepted, stats.duplicates, stats.rejected);

  /* Good events were applied all the same; the status tells a script that
   * some lines were refused. */
  return stats.rejected > 0 ? HL_CTL_EXIT_FAILED : HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_state (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean dump = FALSE;
  GOptionEntry entries[] = {
    { "dump", 0, 0, G_OPTION_ARG_NONE, &dump, "Print the whole state instead of its hash", NULL },
    { NULL }
  };
  HlStore *store;

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)))
    return hl_ctl_fail (ctl, error);
  text = dump ? hl_store_dump_state (store, &error) : hl_store_state_hash (store, &error);
  if (text == NULL)
    return hl_ctl_fail (ctl, error);

  if (ctl->json && !dump)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "state", text);
      json_object_set_int_member (out, "events", hl_store_count_events (store));
      hl_ctl_print_object (out);
    }
  else
    g_print ("%s%s", text, dump ? "" : "\n");
  return HL_CTL_EXIT_OK;
}
