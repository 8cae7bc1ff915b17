/* bench-store-commit: what one commit costs, for this device's own events
 * (hl_store_publish) and for one event received from a peer
 * (hl_store_apply_verified), in a database on disk.
 *
 *   bench-store-commit [--dir DIR] [--count N]
 *
 * DIR should be on the disk the data directory lives on: on tmpfs an fsync
 * costs nothing and the figures say nothing. Prints figures; it is not a test.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "hl-bench-forum.h"
#include "hl-event.h"
#include "hl-paths.h"
#include "hl-store.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_times (const char *what,
             GArray     *times)
{
  double sum = 0;

  g_array_sort (times, compare_double);
  for (guint i = 0; i < times->len; i++)
    sum += g_array_index (times, double, i);
  g_print ("  %-34s median %.3f ms, p90 %.3f ms, mean %.3f ms (%u commits)\n", what,
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, times->len * 9 / 10), sum / times->len, times->len);
}

static char *
thread_body (guint i)
{
  g_autofree char *title = g_strdup_printf ("Thread %u", i);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, title);
  json_builder_set_member_name (b, "body");
  json_builder_add_string_value (b, "A few words, as a person would write them.");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
bench_publish (HlStore      *store,
               HlIdentity   *me,
               const guint8 *subnet,
               guint         count)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *body = thread_body (i);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(HlEvent) event = hl_store_publish (store, me, HL_KIND_THREAD_CREATE, subnet,
                                                   body, &error);
      double ms = (g_get_monotonic_time () - start) / 1e3;

      if (event == NULL)
        g_error ("%s", error->message);
      g_array_append_val (times, ms);
    }
  print_times ("publish (own thread):", times);
}

/* Events of another author, signed beforehand so that only the commit is timed. */
static void
bench_receive (HlStore      *store,
               const guint8 *subnet,
               guint         count)
{
  g_autoptr(HlIdentity) peer = hl_identity_new_random ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *body = thread_body (count + i);
      HlTimestamp ts = { (guint64) hl_now_ms () - 60000 + i, 0 };
      HlEvent *event = hl_event_new (HL_KIND_THREAD_CREATE, hl_identity_get_public_key (peer),
                                     &ts, subnet, body);

      hl_event_sign (event, peer);
      g_ptr_array_add (events, event);
    }
  for (guint i = 0; i < count; i++)
    {
      HlEvent *one[1] = { g_ptr_array_index (events, i) };
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (!hl_store_apply_verified (store, one, 1, NULL, &error))
        g_error ("%s", error->message);
      ms = (g_get_monotonic_time () - start) / 1e3;
      g_array_append_val (times, ms);
    }
  print_times ("apply one received thread:", times);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *parent = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlStore) store = NULL;
  g_autoptr(HlEvent) subnet = NULL;
  int count = 200;
  GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &parent, "Where to make the database (else $TMPDIR)",
      "DIR" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Commits of each kind (200)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the cost of one commit");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || count < 10)
    {
      g_printerr ("bench-store-commit: %s\n", error ? error->message : "--count must be 10 or more");
      return 2;
    }
  if (parent != NULL)
    dir = g_build_filename (parent, "hl-bench-commit-XXXXXX", NULL);
  else
    dir = g_build_filename (g_get_tmp_dir (), "hl-bench-commit-XXXXXX", NULL);
  if (g_mkdtemp (dir) == NULL)
    g_error ("Cannot make a directory in %s", parent ? parent : g_get_tmp_dir ());
  db = hl_paths_database (dir);
  if (!(store = hl_store_open (db, &error)) ||
      !(subnet = hl_store_publish (store, me, HL_KIND_SUBNET_CREATE, NULL,
                                   "{\"name\":\"bench\",\"description\":\"\"}", &error)))
    g_error ("%s", error->message);

  g_print ("bench-store-commit in %s (load average %.2f)\n", dir, hl_bench_load_average ());
  bench_publish (store, me, subnet->id, (guint) count);
  bench_receive (store, subnet->id, (guint) count);

  g_clear_object (&store);
  remove_tree (dir);
  return 0;
}
