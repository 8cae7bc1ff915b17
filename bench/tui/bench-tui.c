/* bench-tui.c: how fast hyperlink-tui opens a big forum, and how fast it
 * redraws while its thread list scrolls.
 *
 *   bench-tui [--threads N] [--data-dir DIR] [--size COLSxROWS] [--keys N]
 *
 * Builds (once, then reuses) a forum whose big subnet holds N threads
 * (100,000 by default) beside a small one, then runs itself again to
 * measure, in a fresh process: the real client (HlTui, its node started as
 * the program starts it, on loopback) on a pseudo-terminal, whose other
 * side this program reads, so that every frame is really written, and
 * types keys into, one at a time. It prints the time from main() to the
 * first frame that shows the forum, then, for each kind of key, the time
 * from writing the key to the end of the frame drawn for it (doupdate()
 * done, the bytes in the terminal), and resident memory.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <pty.h>
#include <stdio.h>
#include <unistd.h>

#include "hl-bench-forum.h"
#include "hl-event.h"
#include "hl-ingest.h"
#include "hl-paths.h"
#include "hl-store.h"
#include "hl-tui.h"

#define PAGE_DOWN "\033[6~"

static gint64 t_main;

typedef struct
{
  HlTui    *tui;
  int       master;
  int       slave;
  guint     rows;
  guint     keys;
  guint     threads;
  GMutex    lock;
  GCond     cond;
  guint64   frames;        /* frames drawn after input */
  gint64    frame_done;    /* when the latest one was */
  gint64    first_frame;   /* first frame showing the forum, after main() */
  glong     rss_first_kib;
  gboolean  reading;
  guint64   bytes;         /* written to the terminal */
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

static void
on_frame_cb (HlTui           *tui,
             HlTuiFrameFlags  flags,
             gpointer         data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&b->lock);
  if (b->first_frame == 0 && (flags & HL_TUI_FRAME_COMPLETE))
    {
      b->first_frame = now - t_main;
      b->rss_first_kib = current_rss_kib ();
      g_cond_broadcast (&b->cond);
    }
  if (flags & HL_TUI_FRAME_AFTER_INPUT)
    {
      b->frames++;
      b->frame_done = now;
      g_cond_broadcast (&b->cond);
    }
  g_mutex_unlock (&b->lock);
}

/* The terminal's side: whatever the client writes is read, as a terminal
 * emulator would. */
static gpointer
read_terminal (gpointer data)
{
  Bench *b = data;
  char buffer[65536];
  ssize_t n;

  while ((n = read (b->master, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_atomic_pointer_add (&b->bytes, n);
  return NULL;
}

/* Types @key and waits for the frame drawn for it; returns how long that
 * took, in microseconds. */
static gint64
press (Bench      *b,
       const char *key)
{
  gint64 start, end;
  guint64 before;

  g_mutex_lock (&b->lock);
  before = b->frames;
  start = g_get_monotonic_time ();
  if (write (b->master, key, strlen (key)) != (ssize_t) strlen (key))
    g_error ("Cannot type into the terminal: %s", g_strerror (errno));
  while (b->frames == before)
    if (!g_cond_wait_until (&b->cond, &b->lock, start + 10 * G_TIME_SPAN_SECOND))
      g_error ("No frame was drawn within 10 s of typing %s", key);
  end = b->frame_done;
  g_mutex_unlock (&b->lock);
  return end - start;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
print_stats (const char *what,
             GArray     *values)
{
  gint64 sum = 0;
  guint over = 0;

  g_array_sort (values, compare_gint64);
  for (guint i = 0; i < values->len; i++)
    {
      sum += g_array_index (values, gint64, i);
      over += g_array_index (values, gint64, i) > 16000;
    }
  g_print ("%-34s n=%-5u median %6.2f ms  p99 %6.2f ms  max %6.2f ms  over 16 ms: %u  "
           "(total %.2f s)\n", what, values->len, g_array_index (values, gint64, values->len / 2) / 1000.0,
           g_array_index (values, gint64, MIN (values->len - 1, values->len * 99 / 100)) / 1000.0,
           g_array_index (values, gint64, values->len - 1) / 1000.0, over, sum / 1e6);
}

static void
press_many (Bench      *b,
            const char *what,
            const char *key,
            guint       times)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < times; i++)
    {
      gint64 us = press (b, key);

      g_array_append_val (values, us);
    }
  print_stats (what, values);
}

/* Opening the big subnet from the small one, again and again: q goes to the
 * subnets, j selects the small one, k the big one, which opens it. */
static void
open_big_subnet (Bench *b,
                 guint  times)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gint64));

  press (b, "q");
  for (guint i = 0; i < times; i++)
    {
      gint64 us;

      press (b, "j");
      us = press (b, "k");
      g_array_append_val (values, us);
      press (b, "l");
      us = press (b, "G");
      g_array_append_val (ends, us);
      press (b, "h");
    }
  print_stats ("open the big subnet (k)", values);
  print_stats ("then its last thread (G)", ends);
}

static gpointer
drive (gpointer data)
{
  Bench *b = data;
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  guint pages;

  g_mutex_lock (&b->lock);
  while (b->first_frame == 0)
    if (!g_cond_wait_until (&b->cond, &b->lock, deadline))
      g_error ("The forum was not on screen within 30 s");
  g_mutex_unlock (&b->lock);

  g_print ("first full screen      %.1f ms after main() (goal < 200 ms)\n",
           b->first_frame / 1000.0);
  g_print ("resident memory        %ld KiB at the first full screen\n", b->rss_first_kib);

  press_many (b, "scroll a row (j)", "j", b->keys);
  press_many (b, "scroll back a row (k)", "k", b->keys / 4);
  press_many (b, "jump to the last thread (G)", "G", 1);
  press_many (b, "jump to the first (g)", "g", 1);
  pages = b->threads / MAX (1, b->rows - 3) + 1;
  press_many (b, "a page down, top to bottom (PgDn)", PAGE_DOWN, pages);
  press_many (b, "jump to the first (g)", "g", 1);
  open_big_subnet (b, 20);

  g_print ("resident memory        %ld KiB after scrolling, peak %ld KiB\n", current_rss_kib (),
           hl_bench_peak_rss_kib ());
  g_print ("written to the terminal %.1f MiB\n", g_atomic_pointer_get (&b->bytes) / 1048576.0);
  g_print ("load average           %.2f (figures on a busy machine are worse)\n",
           hl_bench_load_average ());
  press (b, "Q");
  return NULL;
}

static int
measure (const char *data_dir,
         guint       cols,
         guint       rows,
         guint       keys,
         guint       threads)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = g_build_filename (data_dir, "bench-tui.log", NULL);
  struct winsize size = { (unsigned short) rows, (unsigned short) cols, 0, 0 };
  HlTuiOptions options;
  Bench b = { 0 };
  GThread *reader, *driver;
  int status;

  if (openpty (&b.master, &b.slave, NULL, NULL, &size) < 0)
    g_error ("Cannot open a pseudo-terminal: %s", g_strerror (errno));
  b.rows = rows;
  b.keys = keys;
  b.threads = threads;
  g_mutex_init (&b.lock);
  g_cond_init (&b.cond);

  hl_tui_options_init (&options);
  options.data_dir = data_dir;
  options.in_fd = b.slave;
  options.out_fd = b.slave;
  options.term = "xterm-256color";
  options.log_path = log;
  options.listen = "127.0.0.1:0";
  options.tailscale_socket = "/nonexistent/bench-tui/tailscaled.sock";
  if (!(b.tui = hl_tui_new (&options, &error)))
    g_error ("%s", error->message);
  hl_tui_set_frame_func (b.tui, on_frame_cb, &b);

  reader = g_thread_new ("terminal", read_terminal, &b);
  driver = g_thread_new ("keys", drive, &b);
  status = hl_tui_run (b.tui, &error);
  if (error != NULL)
    g_error ("%s", error->message);
  g_thread_join (driver);
  g_clear_object (&b.tui);
  close (b.slave);
  close (b.master);
  g_thread_join (reader);
  return status;
}

/* A small subnet beside the big one, by another author: "tiny" sorts after
 * "subnet-0". */
static void
add_small_subnet (HlStore *store)
{
  g_autoptr(GError) error = NULL;
  guint8 seed[32] = { 42 };
  g_autoptr(HlIdentity) identity = hl_identity_new_from_seed (seed);
  g_autoptr(HlEvent) subnet = hl_store_publish (store, identity, HL_KIND_SUBNET_CREATE, NULL,
                                                "{\"name\":\"tiny\"}", &error);
  g_autoptr(HlEvent) thread = NULL;

  if (subnet == NULL ||
      !(thread = hl_store_publish (store, identity, HL_KIND_THREAD_CREATE, subnet->id,
                                   "{\"title\":\"The only thread\",\"body\":\"here\"}", &error)))
    g_error ("%s", error->message);
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

  /* One subnet, every post a thread, as bench-gui builds it. */
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
  add_small_subnet (store);
  g_print ("imported %" G_GUINT64_FORMAT " events in %.1f s\n", stats.accepted,
           (g_get_monotonic_time () - start) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *size = g_strdup ("100x30");
  gboolean measuring = FALSE;
  int n_threads = 100000, keys = 2000;
  guint cols = 0, rows = 0;
  GOptionEntry entries[] = {
    { "threads", 0, 0, G_OPTION_ARG_INT, &n_threads, "Threads in the big subnet (100000)", "N" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Forum to use or create", "DIR" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "The terminal's size (100x30)", "COLSxROWS" },
    { "keys", 0, 0, G_OPTION_ARG_INT, &keys, "Rows to scroll one key at a time (2000)", "N" },
    { "measure", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &measuring, NULL, NULL },
    { NULL }
  };

  t_main = g_get_monotonic_time ();
  setlocale (LC_ALL, "C.UTF-8");
  context = g_option_context_new ("- time hyperlink-tui on a big forum");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      sscanf (size, "%ux%u", &cols, &rows) != 2 || cols < 80 || rows < 24 || keys < 4)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--size wants COLSxROWS, at least "
                                                           "80x24; --keys 4 or more");
      return 2;
    }
  if (data_dir == NULL)
    data_dir = g_strdup_printf ("%s/hl-bench-tui-%d", g_get_tmp_dir (), n_threads);
  if (measuring)
    return measure (data_dir, cols, rows, (guint) keys, (guint) n_threads);

  db = hl_paths_database (data_dir);
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    generate (data_dir, (guint) n_threads);

  /* Measure in a fresh process: no page cache of ours, no generator in memory. */
  {
    g_autofree char *keys_arg = g_strdup_printf ("--keys=%d", keys);
    g_autofree char *size_arg = g_strdup_printf ("--size=%s", size);
    g_autofree char *threads_arg = g_strdup_printf ("--threads=%d", n_threads);
    const char *child[] = { argv[0], "--measure", "--data-dir", data_dir, keys_arg, size_arg,
                            threads_arg, NULL };
    int status = 0;

    if (!g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                       NULL, NULL, &status, &error))
      g_error ("%s", error->message);
    return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
  }
}
