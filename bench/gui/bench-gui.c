/* bench-gui.c: how fast the window opens on a big forum, and how smoothly
 * its thread list scrolls.
 *
 *   bench-gui [--threads N] [--data-dir DIR | --template PATH] [--frames N] [--pruned]
 *
 * With --pruned the forum is a pruned store ("Keep on this device", a
 * 1-month horizon): the N threads are sealed and dropped, as a horizon
 * drops sealed months, and a tenth as many threads of this month stay in
 * the same subnet; the list ends with the "Older history" line.
 *
 * Builds (once, then reuses) a forum whose one subnet holds N threads (100,000
 * by default). With --template, the forum's database is kept at PATH and
 * copied into a fresh data directory for every run, so each run starts from
 * the same forum (filling 1,000,000 threads takes minutes). Then it runs
 * itself again to measure, in a fresh process: the time
 * from main() to the first frame that shows thread rows, resident memory, and
 * the frames while the thread list scrolls from top to bottom: the work of
 * each frame (GdkFrameClock "update" to "after-paint") and the interval
 * between frames (gdk_frame_timings_get_frame_time). Needs a display:
 * run it under xvfb-run -a -s "-screen 0 1280x800x24".
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <time.h>

#include "hl-archive.h"
#include "hl-bench-forum.h"
#include "hl-forum.h"
#include "hl-ingest.h"
#include "hl-paths.h"
#include "hl-post-item.h"
#include "hl-store.h"
#include "hl-store-archive.h"
#include "hl-store-horizon.h"
#include <glib/gstdio.h>
#include "hl-sync.h"
#include "hl-window.h"

static gint64 t_main;

/* CPU time of the calling thread (the main thread: GTK's), in µs. Unlike
 * the frame times it hardly depends on what else the machine runs. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gint64 t_rows;   /* when the first page of threads arrived */
static gint64 t_sync;   /* when the window's sync engine was running */

static void
on_sync_state_cb (HlNodeRunner *runner,
                  GParamSpec   *pspec,
                  gpointer      data)
{
  if (hl_node_runner_get_state (runner) == HL_NODE_RUNNER_RUNNING && t_sync == 0)
    t_sync = g_get_monotonic_time ();
}

static void
on_loading_cb (GObject    *model,
               GParamSpec *pspec,
               gpointer    data)
{
  gboolean loading;

  g_object_get (model, "loading", &loading, NULL);
  if (!loading && t_rows == 0)
    t_rows = g_get_monotonic_time ();
}

typedef struct
{
  HlWindow      *window;
  GtkAdjustment *vadj;
  GArray        *work_us;      /* per frame while scrolling */
  GArray        *interval_us;
  gint64         update_at;
  gint64         last_frame_time;
  gint64         first_frame_us;
  glong          rss_first_kib;
  guint          frames_wanted;
  double         step;
  gboolean       scrolling;
  gboolean       done;
} Bench;

static glong
current_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      !(line = strstr (status, "VmRSS:")))
    return -1;
  return strtol (line + 6, NULL, 10);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* @limit_us: what counts as a frame too long (work) or a missed frame (interval). */
static void
print_stats (const char *what,
             GArray     *values,
             gint64      limit_us)
{
  guint over = 0;

  if (values->len == 0)
    return;
  g_array_sort (values, compare_gint64);
  for (guint i = 0; i < values->len; i++)
    over += g_array_index (values, gint64, i) > limit_us;
  g_print ("%-22s n=%u  median %.2f ms  p99 %.2f ms  max %.2f ms  over %.0f ms: %u\n", what,
           values->len,
           g_array_index (values, gint64, values->len / 2) / 1000.0,
           g_array_index (values, gint64, MIN (values->len - 1, values->len * 99 / 100)) / 1000.0,
           g_array_index (values, gint64, values->len - 1) / 1000.0, limit_us / 1000.0, over);
}

static gboolean
first_row_loaded (Bench *b)
{
  g_autoptr(HlPostItem) item = g_list_model_get_item (hl_window_get_threads (b->window), 0);

  return item != NULL && hl_post_item_get_loaded (item) &&
         gtk_widget_get_mapped (hl_window_get_thread_list (b->window));
}

static void
on_update_cb (GdkFrameClock *clock,
              Bench         *b)
{
  b->update_at = g_get_monotonic_time ();
  if (!b->scrolling)
    return;
  if (gtk_adjustment_get_value (b->vadj) >=
      gtk_adjustment_get_upper (b->vadj) - gtk_adjustment_get_page_size (b->vadj) - 1)
    {
      b->done = TRUE;
      return;
    }
  gtk_adjustment_set_value (b->vadj, gtk_adjustment_get_value (b->vadj) + b->step);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Bench         *b)
{
  gint64 now = g_get_monotonic_time ();
  gint64 frame_time = gdk_frame_clock_get_frame_time (clock);

  if (b->first_frame_us == 0)
    {
      if (first_row_loaded (b))
        {
          b->first_frame_us = now - t_main;
          b->rss_first_kib = current_rss_kib ();
        }
      return;
    }
  if (!b->scrolling)
    return;
  if (b->update_at != 0)
    {
      gint64 work = now - b->update_at;

      g_array_append_val (b->work_us, work);
    }
  if (b->last_frame_time != 0)
    {
      gint64 interval = frame_time - b->last_frame_time;

      g_array_append_val (b->interval_us, interval);
    }
  b->last_frame_time = frame_time;
}

/* Keeps the frame clock ticking while scrolling. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Bench *b = data;

  return b->done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static int
measure (const char *data_dir,
         guint       frames)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlForum) forum = NULL;
  g_autoptr(HlSync) sync = NULL;
  g_autoptr(GSettings) settings = NULL;
  GdkFrameClock *clock;
  Bench b = { 0 };
  gint64 t_init, t_forum, t_window;
  g_autofree char *subnet_file = g_build_filename (data_dir, "bench-subnet", NULL);
  g_autofree char *last_subnet = NULL;
  gint64 deadline;
  gint64 cpu_start, wall_start, cpu_us, wall_us;

  gtk_init ();
  adw_init ();
  t_init = g_get_monotonic_time ();
  settings = g_settings_new (APP_ID);
  g_settings_set_boolean (settings, "welcome-done", TRUE);
  /* As on every start but the first: the subnet of last time opens at once. */
  if (g_file_get_contents (subnet_file, &last_subnet, NULL, NULL))
    g_settings_set_string (settings, "last-subnet", g_strstrip (last_subnet));
  if (!(forum = hl_forum_new (data_dir, &error)))
    g_error ("%s", error->message);
  t_forum = g_get_monotonic_time ();
  /* As the application does: the node starts with the window, on its own
   * thread (loopback only here). */
  g_setenv (HL_SYNC_LISTEN_ENV, "127.0.0.1:0", FALSE);
  sync = hl_sync_new (data_dir);
  g_signal_connect (hl_sync_get_runner (sync), "notify::state", G_CALLBACK (on_sync_state_cb),
                    NULL);
  hl_sync_start (sync);

  b.window = hl_window_new (NULL, forum, sync);
  t_window = g_get_monotonic_time ();
  g_signal_connect (hl_window_get_threads (b.window), "notify::loading",
                    G_CALLBACK (on_loading_cb), NULL);
  b.work_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.interval_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.frames_wanted = frames;
  gtk_window_set_default_size (GTK_WINDOW (b.window), 1200, 760);
  gtk_window_present (GTK_WINDOW (b.window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (b.window));
  g_signal_connect (clock, "update", G_CALLBACK (on_update_cb), &b);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &b);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (b.first_frame_us == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (b.first_frame_us == 0)
    g_error ("no thread rows were drawn within 30 s");

  g_print ("threads                %u\n",
           g_list_model_get_n_items (hl_window_get_threads (b.window)));
  g_print ("first frame            %.1f ms after main() (target < 500 ms)\n",
           b.first_frame_us / 1000.0);
  g_print ("  of which              gtk+adw init %.1f ms, forum open %.1f ms, window built %.1f ms,"
           " first page read %.1f ms later, drawn %.1f ms after that\n",
           (t_init - t_main) / 1000.0, (t_forum - t_init) / 1000.0, (t_window - t_forum) / 1000.0,
           (t_rows - t_window) / 1000.0, (t_main + b.first_frame_us - t_rows) / 1000.0);
  g_print ("resident memory        %ld KiB at first frame\n", b.rss_first_kib);

  b.vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (hl_window_get_thread_list (b.window)));
  b.step = (gtk_adjustment_get_upper (b.vadj) - gtk_adjustment_get_page_size (b.vadj)) / frames;
  g_print ("scroll                 %.0f px in %u frames, %.0f px a frame\n",
           gtk_adjustment_get_upper (b.vadj), frames, b.step);
  cpu_start = thread_cpu_us ();
  wall_start = g_get_monotonic_time ();
  b.scrolling = TRUE;
  gtk_widget_add_tick_callback (GTK_WIDGET (b.window), tick_cb, &b, NULL);
  deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;
  while (!b.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  cpu_us = thread_cpu_us () - cpu_start;
  wall_us = g_get_monotonic_time () - wall_start;
  print_stats ("frame work (update→paint)", b.work_us, 16000);
  g_print ("main thread CPU        %.2f ms a frame while scrolling (%.0f%% of the %.1f s it took;"
           " the rest it waited for a core or for the next frame)\n",
           cpu_us / 1000.0 / MAX (b.work_us->len, 1), 100.0 * cpu_us / MAX (wall_us, 1),
           wall_us / 1e6);
  g_print ("  goal                 no frame over 16 ms while scrolling\n");
  /* At 60 Hz frames come every 16.7 ms: longer than 25 ms means one was missed. */
  print_stats ("frame interval", b.interval_us, 25000);
  g_print ("resident memory        %ld KiB after scrolling, peak %ld KiB\n",
           current_rss_kib (), hl_bench_peak_rss_kib ());
  g_print ("load average           %.2f (figures on a busy machine are worse)\n",
           hl_bench_load_average ());

  if (t_sync != 0)
    g_print ("sync engine            running %.1f ms after main(), on its own thread\n",
             (t_sync - t_main) / 1000.0);
  else
    g_print ("sync engine            not running: %s\n",
             hl_sync_get_error (sync) ? hl_sync_get_error (sync) : "still starting");

  g_signal_handlers_disconnect_by_data (clock, &b);
  gtk_window_destroy (GTK_WINDOW (b.window));
  hl_sync_stop (sync);
  g_array_unref (b.work_us);
  g_array_unref (b.interval_us);
  return 0;
}

/* The one subnet of the forum in @data_dir, written where measure() reads
 * the subnet of last time. */
static void
write_subnet_file (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = hl_paths_database (data_dir);
  g_autofree char *subnet_file = g_build_filename (data_dir, "bench-subnet", NULL);
  g_autofree char *hex = NULL;
  g_autoptr(HlStore) store = NULL;
  g_autoptr(GPtrArray) subnets = NULL;

  if (!(store = hl_store_open_readonly (db, &error)) ||
      !(subnets = hl_store_list_subnets (store, &error)))
    g_error ("%s", error->message);
  if (subnets->len == 0)
    g_error ("the forum in %s has no subnet", data_dir);
  hex = hl_hex_dup (((HlSubnetRow *) g_ptr_array_index (subnets, 0))->id, HL_ID_LEN);
  if (!g_file_set_contents (subnet_file, hex, -1, &error))
    g_error ("%s", error->message);
}

/* What the window's first page costs the store, without the window: a fresh
 * read-only connection (as a worker of the window opens), the subnet's
 * count, then its first page of 200 threads, as HlThreadListModel reads them. */
static void
time_first_page (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = hl_paths_database (data_dir);
  g_autofree char *subnet_file = g_build_filename (data_dir, "bench-subnet", NULL);
  g_autofree char *hex = NULL;
  guint8 subnet[HL_ID_LEN];
  g_autoptr(HlStore) store = NULL;
  g_autoptr(HlSubnetRow) row = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  gint64 start, opened, counted;

  if (!g_file_get_contents (subnet_file, &hex, NULL, &error) ||
      !hl_hex_decode (g_strstrip (hex), subnet, HL_ID_LEN))
    g_error ("no subnet in %s", subnet_file);
  start = g_get_monotonic_time ();
  if (!(store = hl_store_open_readonly (db, &error)))
    g_error ("%s", error->message);
  opened = g_get_monotonic_time ();
  row = hl_store_get_subnet (store, subnet, NULL);
  counted = g_get_monotonic_time ();
  if (!(threads = hl_store_list_threads (store, subnet, 0, 200, &error)))
    g_error ("%s", error->message);
  g_print ("first page (store)     %.2f ms: open %.2f, count of %u %.2f, 200 threads %.2f"
           " (target < 20 ms)\n", (g_get_monotonic_time () - start) / 1000.0,
           (opened - start) / 1000.0, row != NULL ? row->thread_count : 0,
           (counted - opened) / 1000.0, (g_get_monotonic_time () - counted) / 1000.0);
}

/* A data directory made for one run (files only: a node makes no folders). */
static void
remove_data_dir (const char *data_dir)
{
  g_autoptr(GDir) dir = g_dir_open (data_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (data_dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (data_dir);
}

static void
generate (const char *data_dir,
          guint       n_threads)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = hl_paths_database (data_dir);
  g_autofree char *subnet = NULL;
  g_autoptr(HlStore) store = NULL;
  g_autoptr(GInputStream) input = NULL;
  HlBenchForumSpec spec = { 0 };
  GString *text;
  HlIngestStats stats;
  gint64 start = g_get_monotonic_time ();

  /* One subnet, every post a thread: the biggest list the window can meet. */
  spec.n_authors = 50;
  spec.n_subnets = 1;
  spec.n_events = n_threads + spec.n_authors + spec.n_subnets;
  spec.thread_share = 1.0;
  spec.seed = 6;
  g_print ("generating %u threads in %s...\n", n_threads, data_dir);
  text = hl_bench_forum_generate (&spec, &subnet);
  if (!hl_paths_ensure_data_dir (data_dir, &error) || !(store = hl_store_open (db, &error)))
    g_error ("%s", error->message);
  input = g_memory_input_stream_new_from_data (text->str, text->len, NULL);
  if (!hl_ingest_stream (store, input, 0, &stats, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  g_string_free (text, TRUE);
  {
    g_autofree char *subnet_file = g_build_filename (data_dir, "bench-subnet", NULL);

    if (!g_file_set_contents (subnet_file, subnet, -1, &error))
      g_error ("%s", error->message);
  }
  g_print ("imported %" G_GUINT64_FORMAT " events in %.1f s\n", stats.accepted,
           (g_get_monotonic_time () - start) / 1e6);
}

/* --pruned: threads of this month in the forum's subnet, by an author of
 * their own, that a 1-month horizon keeps. */
static void
add_recent_threads (HlStore    *store,
                    const char *subnet_hex,
                    guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autofree HlAcceptResult *results = g_new0 (HlAcceptResult, MAX (n, 1));
  g_autoptr(HlIdentity) author = NULL;
  guint8 seed[32], subnet[HL_ID_LEN];
  gint64 now = g_get_real_time () / 1000;

  memset (seed, 0x5e, sizeof seed);
  author = hl_identity_new_from_seed (seed);
  if (!hl_hex_decode (subnet_hex, subnet, HL_ID_LEN))
    g_error ("bad subnet %s", subnet_hex);
  for (guint i = 0; i < n; i++)
    {
      HlTimestamp ts = { (guint64) (now - n + i), 0 };
      g_autofree char *body = g_strdup_printf ("{\"title\":\"Recent thread %u\",\"body\":\"Kept "
                                               "on this device: newer than the horizon.\"}", i);
      HlEvent *event = hl_event_new (HL_KIND_THREAD_CREATE, hl_identity_get_public_key (author),
                                     &ts, subnet, body);

      hl_event_sign (event, author);
      g_ptr_array_add (events, event);
    }
  if (!hl_store_apply_verified (store, (HlEvent **) events->pdata, events->len, results, &error))
    g_error ("%s", error->message);
}

/* --pruned: seals every month here and drops the sealed ones' threads, as
 * a 1-month horizon does once the group holds them (forced: this device
 * is the only holder), then gives the space back. */
static void
prune (const char *data_dir,
       guint       n_recent)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = hl_paths_database (data_dir);
  g_autofree char *subnet_file = g_build_filename (data_dir, "bench-subnet", NULL);
  g_autofree char *subnet_hex = NULL;
  g_autoptr(HlStore) store = NULL;
  g_autoptr(HlArchive) archive = NULL;
  g_autoptr(HlIdentity) sealer = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  HlArchiveReport report = { 0 };
  HlHorizonAmount dropped = { 0 };
  guint8 seed[32];
  gint64 before, after;

  memset (seed, 0x5a, sizeof seed);
  sealer = hl_identity_new_from_seed (seed);
  if (!g_file_get_contents (subnet_file, &subnet_hex, NULL, &error) ||
      !(store = hl_store_open (db, &error)))
    g_error ("%s", error->message);
  g_strstrip (subnet_hex);
  add_recent_threads (store, subnet_hex, n_recent);
  before = hl_store_horizon_db_bytes (store, NULL);
  archive = hl_archive_new (store, sealer);
  if (!hl_archive_maintain (archive, HL_ARCHIVE_RESEAL_NOW, &report, &error) ||
      !(rows = hl_store_archive_list_segments (store, NULL, 0, &error)))
    g_error ("%s", error->message);
  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);

      if (row->state == HL_SEGMENT_CURRENT && row->verified_ms != 0)
        g_array_append_val (ids, row->rowid);
    }
  if (!hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_HORIZON, 1, &error) ||
      !hl_store_horizon_drop (store, (const gint64 *) ids->data, ids->len, TRUE, &dropped,
                              &error) ||
      !hl_store_horizon_vacuum (store, &error))
    g_error ("%s", error->message);
  after = hl_store_horizon_db_bytes (store, NULL);
  g_print ("pruned: sealed %u segments, dropped %" G_GUINT64_FORMAT " threads, kept %u of this "
           "month; database %.1f MiB -> %.1f MiB\n", report.sealed, dropped.threads, n_recent,
           before / 1048576.0, after / 1048576.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *template_db = NULL;
  gboolean measuring = FALSE, own_data_dir = FALSE, pruned = FALSE;
  int n_threads = 100000;
  int frames = 600;
  GOptionEntry entries[] = {
    { "threads", 0, 0, G_OPTION_ARG_INT, &n_threads, "Threads in the subnet (100000)", "N" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Forum to use or create", "DIR" },
    { "template", 0, 0, G_OPTION_ARG_FILENAME, &template_db,
      "Copy the forum's database from PATH for each run, or keep it there once made", "PATH" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "Frames to scroll top to bottom in (600)", "N" },
    { "pruned", 0, 0, G_OPTION_ARG_NONE, &pruned,
      "A pruned store: the threads dropped below a 1-month horizon, a tenth as many recent",
      NULL },
    { "measure", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &measuring, NULL, NULL },
    { NULL }
  };

  t_main = g_get_monotonic_time ();
  context = g_option_context_new ("- time the Hyperlink window on a big forum");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (data_dir == NULL && template_db != NULL && !measuring)
    own_data_dir = (data_dir = g_dir_make_tmp ("hl-bench-gui-XXXXXX", &error)) != NULL;
  else if (data_dir == NULL)
    data_dir = g_strdup_printf ("%s/hl-bench-gui-%s%d", g_get_tmp_dir (),
                                pruned ? "pruned-" : "", n_threads);
  if (data_dir == NULL)
    g_error ("%s", error->message);

  /* Settings in memory, with the schema of this build: a benchmark must not
   * touch the user's. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", SCHEMA_DIR, TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);

  if (measuring)
    return measure (data_dir, MAX (frames, 1));

  db = hl_paths_database (data_dir);
  if (template_db != NULL && g_file_test (template_db, G_FILE_TEST_EXISTS))
    {
      if (!hl_paths_ensure_data_dir (data_dir, &error))
        g_error ("%s", error->message);
      hl_bench_copy_database (template_db, db);
      write_subnet_file (data_dir);
      g_print ("forum copied from %s into %s\n", template_db, data_dir);
    }
  else if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      generate (data_dir, n_threads);
      if (pruned)
        prune (data_dir, MAX (n_threads / 10, 1));
      /* generate() closed the last connection: the database is one file. */
      if (template_db != NULL)
        hl_bench_copy_database (db, template_db);
    }

  time_first_page (data_dir);
  /* Measure in a fresh process: no page cache of ours, no generator in memory. */
  {
    g_autofree char *frames_arg = g_strdup_printf ("--frames=%d", frames);
    const char *child[] = { argv[0], "--measure", "--data-dir", data_dir, frames_arg, NULL };
    int status = 0;

    if (!g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                       NULL, NULL, &status, &error))
      g_error ("%s", error->message);
    if (own_data_dir)
      remove_data_dir (data_dir);
    return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
  }
}
