/* bench-ingest: how fast a store verifies and applies events, against the
 * machine's limit, and how fast a big subnet lists.
 *
 *   bench-ingest [--events N] [--dir DIR] [--skip-list]
 *
 * Prints figures; it is not a test. The import runs in a child process so
 * that its peak memory is its own, not the generator's. The limit is the
 * rate at which this machine checks Ed25519 signatures on all its cores,
 * measured in the same run just before the import: an import that verifies
 * every signature cannot go faster.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hl-bench-forum.h"
#include "hl-ingest.h"
#include "hl-paths.h"
#include "hl-store.h"

/* The CPU time of the calling thread: the import's writer, which alone
 * touches SQLite and so bounds the rate however many verifiers there are. */
static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
run_import (const char *file,
            const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = hl_paths_database (data_dir);
  g_autoptr(GFile) gfile = g_file_new_for_path (file);
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(HlStore) store = NULL;
  HlIngestStats stats;
  gint64 start, end;

  if (!hl_paths_ensure_data_dir (data_dir, &error) ||
      !(store = hl_store_open (db, &error)) ||
      !(input = (GInputStream *) g_file_read (gfile, NULL, &error)))
    g_error ("%s", error->message);

  start = g_get_monotonic_time ();
  if (!hl_ingest_stream (store, input, 0, &stats, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  end = g_get_monotonic_time ();

  g_print ("%.6f %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %ld %.6f %.6f\n",
           (end - start) / 1e6, stats.accepted, stats.rejected, hl_bench_peak_rss_kib (),
           hl_bench_cpu_seconds (), thread_cpu_seconds ());
  return 0;
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static void
import_in_child (const char *self,
                 const char *file,
                 const char *data_dir,
                 double     *seconds,
                 guint64    *accepted,
                 guint64    *rejected,
                 glong      *peak_kib,
                 double     *cpu_seconds,
                 double     *writer_seconds)
{
  const char *argv[] = { self, "--import", file, data_dir, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("import failed: %s", error->message);
  if (sscanf (out, "%lf %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %ld %lf %lf",
              seconds, accepted, rejected, peak_kib, cpu_seconds, writer_seconds) != 6)
    g_error ("unexpected output from the import: %s", out);
}

/* Ed25519 verifications per second on every core, for 2 s, of the first
 * events of @file (parsed beforehand, so that only the check is timed). */
static double
measure_verify_limit (const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  guint n_threads = MAX (1, g_get_num_processors ());
  char *line, *next;
  gsize len;

  if (!g_file_get_contents (file, &text, &len, &error))
    g_error ("%s", error->message);
  for (line = text; line < text + len && events->len < 1000 * n_threads; line = next + 1)
    {
      HlEvent *event;

      next = strchr (line, '\n');
      *next = '\0';
      if (!(event = hl_event_from_json_text (line, -1, &error)))
        g_error ("%s", error->message);
      g_ptr_array_add (events, event);
    }

  return hl_bench_verify_limit ((HlEvent **) events->pdata, events->len);
}

static char *
write_forum (const HlBenchForumSpec  *spec,
             const char              *dir,
             const char              *name,
             char                   **subnet_hex)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *subnet_file = g_strconcat (dir, "/", name, ".subnet", NULL);
  char *path = g_build_filename (dir, name, NULL);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GString) text = NULL;

  /* A kept directory (--dir) holds the forum of an earlier run: signing a
   * million events takes longer than importing them. */
  if (g_file_test (path, G_FILE_TEST_EXISTS) &&
      (subnet_hex == NULL || g_file_get_contents (subnet_file, subnet_hex, NULL, NULL)))
    {
      g_print ("  reusing %s (%.0f bytes/event as JSON)\n", path,
               (double) file_size (path) / spec->n_events);
      return path;
    }
  text = hl_bench_forum_generate (spec, subnet_hex);
  if ((subnet_hex != NULL &&
       !g_file_set_contents (subnet_file, *subnet_hex, -1, &error)) ||
      !g_file_set_contents (path, text->str, (gssize) text->len, &error))
    g_error ("%s", error->message);
  g_print ("  generated and signed %u events in %.2f s (%.0f bytes/event as JSON)\n",
           spec->n_events, (g_get_monotonic_time () - start) / 1e6,
           (double) text->len / spec->n_events);
  return path;
}

static double
time_command_ms (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                     NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s", argv[0], error ? error->message : "?");
  return (g_get_monotonic_time () - start) / 1e3;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
bench_mixed_import (const char *self,
                    const char *dir,
                    guint       n_events)
{
  HlBenchForumSpec spec = { n_events, 4, 5, 0.25, 1 };
  g_autofree char *data_dir = g_build_filename (dir, "mixed", NULL);
  g_autofree char *db = hl_paths_database (data_dir);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *file = NULL;
  g_autofree char *name = g_strdup_printf ("mixed-%u.jsonl", n_events);
  double seconds, cpu, writer, limit, limit_after;
  guint64 accepted, rejected;
  glong peak;

  g_print ("Import of a mixed forum (%u events: 4 authors, 5 subnets, threads, replies, edits, "
           "deletes, hides) into an empty store:\n", n_events);
  file = write_forum (&spec, dir, name, NULL);
  remove_tree (data_dir);
  /* Before and after: the machine is shared, and its load changes. */
  limit = measure_verify_limit (file);
  import_in_child (self, file, data_dir, &seconds, &accepted, &rejected, &peak, &cpu, &writer);
  limit_after = measure_verify_limit (file);
  g_print ("  limit: Ed25519 checks: %.0f signatures/s on %u cores (%.1f µs per check per core; "
           "%.0f before the import, %.0f after)\n", (limit + limit_after) / 2,
           g_get_num_processors (), 2e6 * g_get_num_processors () / (limit + limit_after), limit,
           limit_after);
  limit = (limit + limit_after) / 2;
  g_print ("  verified and applied:  %.0f events/s (%.2f s, %" G_GUINT64_FORMAT " accepted, %"
           G_GUINT64_FORMAT " rejected, %u verify threads + 1 writer)\n",
           accepted / seconds, seconds, accepted, rejected, g_get_num_processors ());
  g_print ("  ratio to the limit:    %.0f %%\n", 100.0 * accepted / seconds / limit);
  g_print ("  CPU time:              %.1f µs/event over all threads, %.1f µs/event of them "
           "the writer's (load average now %.2f)\n",
           cpu * 1e6 / accepted, writer * 1e6 / accepted, hl_bench_load_average ());
  g_print ("  peak memory of import: %.1f MB\n", peak / 1024.0);
  g_print ("  database size:         %.1f MB, %.0f bytes/event\n",
           (file_size (db) + file_size (wal)) / 1e6,
           (double) (file_size (db) + file_size (wal)) / accepted);
}

static void
bench_thread_list (const char *self,
                   const char *dir,
                   guint       n_threads)
{
  HlBenchForumSpec spec = { n_threads + 2, 1, 1, 1.0, 2 };
  g_autofree char *data_dir = g_build_filename (dir, "big", NULL);
  g_autofree char *subnet = NULL;
  g_autofree char *file = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = NULL;
  g_autofree char *db = NULL;
  double times[7], seconds, cpu, writer;
  guint64 accepted, rejected;
  glong peak;
  guint8 subnet_id[32];
  const char *argv[] = { HYPERLINKCTL_PATH, "--data-dir", data_dir, "thread", "list", NULL, NULL };

  g_print ("\nA subnet with %u threads:\n", n_threads);
  name = g_strdup_printf ("big-%u.jsonl", n_threads);
  file = write_forum (&spec, dir, name, &subnet);
  remove_tree (data_dir);
  import_in_child (self, file, data_dir, &seconds, &accepted, &rejected, &peak, &cpu, &writer);
  g_print ("  imported %" G_GUINT64_FORMAT " events at %.0f events/s\n", accepted,
           accepted / seconds);

  argv[5] = subnet;
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    times[i] = time_command_ms (argv);
  qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_double);
  g_print ("  `hyperlinkctl thread list` (first 50, whole process): best %.1f ms, median %.1f ms\n",
           times[0], times[G_N_ELEMENTS (times) / 2]);

  db = hl_paths_database (data_dir);
  store = hl_store_open (db, &error);
  hl_hex_decode (subnet, subnet_id, 32);
  for (guint i = 0; i < 3; i++)
    {
      guint offset = i == 0 ? 0 : i == 1 ? n_threads / 2 : n_threads - 50;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) rows = hl_store_list_threads (store, subnet_id, offset, 50, &error);

      g_assert_no_error (error);
      g_print ("  in-process page of 50 at offset %6u: %.2f ms (%u rows)\n", offset,
               (g_get_monotonic_time () - start) / 1e3, rows->len);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  int n_events = 100000;
  gboolean skip_list = FALSE, keep;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events to import (100000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Work in DIR and keep the generated forums "
      "there for the next run (default: a temporary directory, removed)", "DIR" },
    { "skip-list", 0, 0, G_OPTION_ARG_NONE, &skip_list, "Only the mixed import", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;

  if (argc == 4 && strcmp (argv[1], "--import") == 0)
    return run_import (argv[2], argv[3]);

  context = g_option_context_new ("- import and listing figures");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, NULL) || n_events < 100)
    return 2;

  keep = dir != NULL;
  if (keep)
    g_mkdir_with_parents (dir, 0700);
  else
    dir = g_dir_make_tmp ("hl-bench-ingest-XXXXXX", NULL);
  g_print ("bench-ingest on %u cores (%s), load average %.2f\n\n", g_get_num_processors (), dir,
           hl_bench_load_average ());
  bench_mixed_import (argv[0], dir, (guint) n_events);
  if (!skip_list)
    bench_thread_list (argv[0], dir, (guint) n_events);
  if (!keep)
    remove_tree (dir);
  return 0;
}
