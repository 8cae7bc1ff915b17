/* hl-ctl-horizon.c: the local history horizon from the terminal
 * (docs/protocol.md, "Horizon"): `config show|set`, what `thread list
 * --archived` and `search` say of history not on this device, and
 * `archive load`.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include "hl-archive.h"
#include "hl-error.h"
#include "hl-paths.h"

static HlIdentity *
identity_if_any (HlCtl *ctl)
{
  g_autofree char *path = hl_paths_identity (ctl->data_dir);

  return g_file_test (path, G_FILE_TEST_EXISTS) ? hl_ctl_identity (ctl, NULL, NULL) : NULL;
}

static char *
month_label (guint ym)
{
  static const char *const names[] = { "January", "February", "March", "April", "May", "June",
                                       "July", "August", "September", "October", "November",
                                       "December" };

  return g_strdup_printf ("%s %u", names[(ym % 100 + 11) % 12], ym / 100);
}

/* ---- config ---- */

int
hl_ctl_cmd_config_show (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  gint64 keep, cache, quota;
  HlStore *store;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)) ||
      (keep = hl_store_archive_get_setting (store, HL_ARCHIVE_SETTING_HORIZON, &error)) < 0 ||
      (cache = hl_store_archive_get_setting (store, HL_ARCHIVE_SETTING_LOADED_CACHE,
                                             &error)) < 0 ||
      (quota = hl_store_archive_get_setting (store, HL_ARCHIVE_SETTING_QUOTA, &error)) < 0)
    return hl_ctl_fail (ctl, error);
  if (ctl->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "keep", hl_horizon_name ((gint) keep));
      json_object_set_int_member (out, "loaded-cache-mb", cache >> 20);
      json_object_set_int_member (out, "archive-quota-mb", quota >> 20);
      hl_ctl_print_object (out);
      return HL_CTL_EXIT_OK;
    }
  if (keep == HL_HORIZON_EVERYTHING)
    g_print ("keep             everything\n");
  else
    g_print ("keep             %s (%s)\n", hl_horizon_name ((gint) keep),
             hl_horizon_label ((gint) keep));
  g_print ("loaded-cache-mb  %" G_GINT64_FORMAT "\n", cache >> 20);
  g_print ("archive-quota-mb %" G_GINT64_FORMAT "\n", quota >> 20);
  return HL_CTL_EXIT_OK;
}

static void
print_plan (const HlHorizonPlan *plan)
{
  g_autofree char *size = g_format_size (plan->frees.bytes);

  if (plan->frees.threads > 0)
    g_print ("Frees about %s: %" G_GUINT64_FORMAT " threads (%" G_GUINT64_FORMAT " events) "
             "from sealed months, still stored across your group\n", size,
             plan->frees.threads, plan->frees.events);
  for (guint i = 0; i < plan->refused->len; i++)
    {
      g_autofree char *line = hl_horizon_refusal_describe (g_ptr_array_index (plan->refused, i));

      g_print ("%s\n", line);
    }
}

static int
set_keep (HlCtl      *ctl,
          HlStore    *store,
          const char *value,
          gboolean    force)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlArchive) archive = NULL;
  g_autoptr(HlHorizonPlan) plan = NULL;
  HlHorizonAmount dropped;
  gint months = hl_horizon_parse (value);
  g_autoptr(GArray) still = NULL;

  if (months < 0)
    return hl_ctl_usage_error (ctl, "keep wants everything, 1y, 6m, 3m or 1m, not “%s”", value);
  archive = hl_archive_new (store, identity_if_any (ctl));
  if (!(plan = hl_archive_horizon_plan (archive, months, &error)))
    return hl_ctl_fail (ctl, error);
  print_plan (plan);
  if (plan->refused->len > 0 && !force)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Not set: the archive's policy would not hold without this device's copy "
                   "of %u sealed months (above). Add a device to the group, wait until it "
                   "holds its share, or use --force to keep those months and drop the rest",
                   plan->refused->len);
      return hl_ctl_fail (ctl, error);
    }
  if (!hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_HORIZON, months, &error) ||
      !hl_archive_horizon_apply (archive, &dropped, &error) ||
      !(still = hl_store_horizon_list (store, NULL, TRUE, &error)))
    return hl_ctl_fail (ctl, error);
  g_print ("Keep on this device: %s\n", hl_horizon_label (months));
  if (dropped.threads > 0)
    g_print ("Dropped %" G_GUINT64_FORMAT " threads (%" G_GUINT64_FORMAT " events)\n",
             dropped.threads, dropped.events);
  if (months == HL_HORIZON_EVERYTHING && still->len > 0)
    g_print ("%u months dropped before are not here yet: a running hyperlinkd loads them, or "
             "run hyperlinkctl archive restore\n", still->len);
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_config_set (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      "keep: set it even when some months must stay (they do)", NULL },
    { NULL }
  };
  HlStore *store;
  gchar *end = NULL;
  gint64 mb;

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)))
    return hl_ctl_fail (ctl, error);
  if (strcmp (argv[1], "keep") == 0)
    return set_keep (ctl, store, argv[2], force);
  mb = g_ascii_strtoll (argv[2], &end, 10);
  if (end == argv[2] || *end != '\0' || mb < 0 || mb > (G_GINT64_CONSTANT (1) << 30))
    return hl_ctl_usage_error (ctl, "%s wants a number of MiB, not “%s”", argv[1], argv[2]);
  if (strcmp (argv[1], "loaded-cache-mb") == 0)
    {
      if (!hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_LOADED_CACHE, mb << 20,
                                         &error))
        return hl_ctl_fail (ctl, error);
    }
  else if (strcmp (argv[1], "archive-quota-mb") == 0)
    {
      if (!hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_QUOTA, mb << 20, &error))
        return hl_ctl_fail (ctl, error);
    }
  else
    return hl_ctl_usage_error (ctl, "No such setting: “%s” (keep, loaded-cache-mb, "
                                    "archive-quota-mb)", argv[1]);
  return HL_CTL_EXIT_OK;
}

/* ---- what is not on this device ---- */

/* Months of @subnet (NULL: all) in the archive whose events are not all
 * here: dropped below the horizon, or sealed before this device came. */
typedef struct
{
  guint   month;
  guint64 threads;        /* known when this device dropped them; else 0 */
  guint64 events;         /* by the manifests */
  guint8  manifest[HL_ID_LEN];
  gboolean dropped;
} Archived;

static GArray *
list_archived (HlStore       *store,
               const guint8  *subnet,
               GError       **error)
{
  g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (store, subnet, 0, error);
  g_autoptr(GArray) dropped = rows ? hl_store_horizon_list (store, subnet, TRUE, error) : NULL;
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (Archived));

  if (dropped == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);
      guint ym = row->manifest.year * 100 + row->manifest.month;
      Archived a = { ym, 0, row->manifest.count, { 0 }, FALSE };

      if (row->state != HL_SEGMENT_CURRENT)
        continue;
      for (guint j = 0; j < dropped->len; j++)
        {
          const HlHorizonRange *r = &g_array_index (dropped, HlHorizonRange, j);

          if (r->month == ym && memcmp (r->subnet, row->manifest.subnet, HL_ID_LEN) == 0)
            {
              a.dropped = TRUE;
              a.threads = r->threads;
            }
        }
      if (row->verified_ms != 0 && !a.dropped)
        continue;
      memcpy (a.manifest, row->manifest_id, HL_ID_LEN);
      g_array_append_val (out, a);
    }
  return g_steal_pointer (&out);
}

int
hl_ctl_print_archived (HlCtl        *ctl,
                       const guint8 *subnet)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) months = list_archived (ctl->store, subnet, &error);
  g_autoptr(JsonArray) json = json_array_new ();

  if (months == NULL)
    return hl_ctl_fail (ctl, error);
  for (guint i = 0; i < months->len; i++)
    {
      const Archived *a = &g_array_index (months, Archived, i);
      g_autofree char *label = month_label (a->month);
      g_autofree char *hex = hl_hex_dup (a->manifest, HL_ID_LEN);

      if (ctl->json)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "segment", hex);
          json_object_set_int_member (o, "month", a->month);
          json_object_set_int_member (o, "threads", (gint64) a->threads);
          json_object_set_int_member (o, "events", (gint64) a->events);
          json_object_set_boolean_member (o, "dropped_here", a->dropped);
          json_array_add_object_element (json, o);
        }
      else if (a->dropped)
        g_print ("%.12s  %-16s %" G_GUINT64_FORMAT " threads (%" G_GUINT64_FORMAT " events)\n",
                 hex, label, a->threads, a->events);
      else
        g_print ("%.12s  %-16s %" G_GUINT64_FORMAT " events, never held here\n", hex, label,
                 a->events);
    }
  if (ctl->json)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), json);

      hl_ctl_print_json (node);
    }
  else if (months->len == 0)
    g_print ("Every sealed month of it is on this device.\n");
  else
    g_print ("Load one with: hyperlinkctl archive load SEGMENT\n");
  return HL_CTL_EXIT_OK;
}

/* "Older history: 1,234 threads from before March 2026, stored across your group" */
void
hl_ctl_print_older_history (HlCtl        *ctl,
                            const guint8 *subnet)
{
  g_autoptr(GArray) months = list_archived (ctl->store, subnet, NULL);
  guint64 threads = 0, events = 0;
  guint last = 0;

  if (months == NULL || months->len == 0 || ctl->json)
    return;
  for (guint i = 0; i < months->len; i++)
    {
      const Archived *a = &g_array_index (months, Archived, i);

      threads += a->threads;
      events += a->dropped ? 0 : a->events;
      last = MAX (last, a->month);
    }
  {
    guint year = last / 100, month = last % 100;
    g_autofree char *before = NULL;

    hl_archive_month_next (&year, &month);
    before = month_label (year * 100 + month);
    if (events > 0)
      g_print ("Older history: %" G_GUINT64_FORMAT " threads and %" G_GUINT64_FORMAT
               " more events from before %s, stored across your group (thread list "
               "--archived)\n", threads, events, before);
    else
      g_print ("Older history: %" G_GUINT64_FORMAT " threads from before %s, stored across "
               "your group (thread list --archived)\n", threads, before);
  }
}

/* What a search could not look into. */
void
hl_ctl_print_unsearched (HlCtl *ctl)
{
  g_autoptr(GArray) months = list_archived (ctl->store, NULL, NULL);

  if (months == NULL || months->len == 0 || ctl->json)
    return;
  g_print ("Not searched: %u archived months of history are not on this device; matches there "
           "are not shown (hyperlinkctl thread list SUBNET --archived, then archive load)\n",
           months->len);
}

guint
hl_ctl_count_unsearched (HlCtl *ctl)
{
  g_autoptr(GArray) months = list_archived (ctl->store, NULL, NULL);

  return months != NULL ? months->len : 0;
}

/* ---- archive load ---- */

int
hl_ctl_cmd_archive_load (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) months = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  int wait_s = 20, timeout_s = 600;
  GOptionEntry entries[] = {
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait_s,
      "Seconds to wait for peers to connect and reconcile (default 20)", "S" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
      "Seconds the load may take (default 600)", "S" },
    { NULL }
  };
  HlStore *store;
  gsize len;

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  len = strlen (argv[1]);
  if (len < 4 || len > 64 || strspn (argv[1], "0123456789abcdefABCDEF") != len)
    return hl_ctl_usage_error (ctl, "SEGMENT is the id (4 to 64 hex digits) that thread list "
                                    "--archived shows");
  if (wait_s < 1 || timeout_s < 1)
    return hl_ctl_usage_error (ctl, "--wait and --timeout want at least 1 second");
  if (!(store = hl_ctl_store (ctl, &error)) ||
      !(rows = hl_store_archive_list_segments (store, NULL, 0, &error)))
    return hl_ctl_fail (ctl, error);
  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);
      g_autofree char *hex = hl_hex_dup (row->manifest_id, HL_ID_LEN);

      if (row->state == HL_SEGMENT_CURRENT && g_ascii_strncasecmp (hex, argv[1], len) == 0)
        g_array_append_val (wanted, row->rowid);
    }
  if (wanted->len != 1)
    {
      g_set_error (&error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   wanted->len == 0 ? "No current segment is named “%s”"
                                    : "“%s” names more than one segment: give more digits",
                   argv[1]);
      return hl_ctl_fail (ctl, error);
    }
  if (hl_ctl_restore_run (ctl, (const gint64 *) wanted->data, wanted->len, (guint) wait_s,
                          (guint) timeout_s, &error) < 0)
    return hl_ctl_fail (ctl, error);
  return HL_CTL_EXIT_OK;
}
