/* test-archive-crash.c: `hyperlinkctl archive seal --all` killed with
 * SIGKILL between two sealed ranges, and in the middle of writing a 16 MiB
 * share of symbols. Afterwards the database must pass PRAGMA
 * integrity_check, and the next seal must finish the job: one complete
 * sealing per range (a sealing published in part is completed, not sealed
 * again beside it), every one verified, this device's share whole, every
 * stored symbol its segment's.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>

#include "hl-archive-test.h"
#include "hl-test-util.h"

#define SMALL_MONTHS 8
#define BIG_THREADS  1000     /* of 17000 characters: a month of two parts */

typedef struct
{
  char *root;
  char *feed;
  guint n_events;
} Fixture;

static void
add_line (GString *feed,
          HlEvent *event)
{
  g_autofree char *line = hl_event_to_json_text (event);

  g_string_append_printf (feed, "%s\n", line);
  hl_event_free (event);
}

/* One subnet: SMALL_MONTHS months of small threads, then a big month. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GString) feed = g_string_new (NULL);
  g_autofree char *filler = g_strnfill (17000, 'k');
  HlEvent *create = hl_test_event (author, HL_KIND_SUBNET_CREATE, MARCH_2024 - DAY_MS, 0, NULL,
                                   "{\"name\":\"crash\"}");
  guint8 subnet[HL_ID_LEN];
  guint64 month = MARCH_2024;

  f->root = hl_test_make_dir ("archive-crash");
  memcpy (subnet, create->id, HL_ID_LEN);
  add_line (feed, create);
  f->n_events = 1;
  for (guint m = 0; m < SMALL_MONTHS; m++, month += 31 * DAY_MS)
    for (guint t = 0; t < 300; t++, f->n_events++)
      add_line (feed, hl_test_event (author, HL_KIND_THREAD_CREATE, month + t * 60000, 0, subnet,
                                     "{\"title\":\"Month %u thread %u\",\"body\":\"words\"}", m,
                                     t));
  for (guint t = 0; t < BIG_THREADS; t++, f->n_events++)
    add_line (feed, hl_test_event (author, HL_KIND_THREAD_CREATE, month + t * 60000, 0, subnet,
                                   "{\"title\":\"Big %u\",\"body\":\"%s\"}", t, filler));
  f->feed = hl_test_write_file (f->root, "feed.jsonl", feed->str);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  hl_test_remove_tree (f->root);
  g_free (f->root);
  g_free (f->feed);
}

/* A data directory with a key and the feed imported. */
static char *
prepare (Fixture    *f,
         const char *name)
{
  g_autofree char *dir = g_build_filename (f->root, name, NULL);
  g_autofree char *key = hl_test_init_identity (dir, "Crash");
  g_autofree char *out = hl_test_ctl_ok (dir, "import", f->feed, NULL);
  g_autofree char *expected = g_strdup_printf ("%u accepted, 0 duplicate, 0 rejected",
                                               f->n_events);

  g_assert_cmpstr (out, ==, expected);
  return g_steal_pointer (&dir);
}

static gint64
query (const char *dir,
       const char *sql)
{
  g_autofree char *path = g_build_filename (dir, "hyperlink.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  sqlite3_busy_timeout (db, 1000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static gint64
wal_size (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "hyperlink.db-wal", NULL);
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

typedef gboolean (*KillPoint) (const char *dir,
                               gpointer    state);

/* Starts `archive seal --all` on @dir and kills it with SIGKILL once
 * @point says so. */
static void
seal_and_kill (const char *dir,
               KillPoint   point,
               gpointer    state)
{
  g_autoptr(GSubprocess) seal = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  gboolean exited = FALSE;

  seal = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, hl_test_ctl_path (), "--data-dir", dir, "archive", "seal",
                           "--all", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (seal, NULL, on_exited, &exited);
  /* Polls the condition with a deadline; the pause only keeps the test
   * from competing with the seal for the CPU. */
  while (!exited && !point (dir, state))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_subprocess_send_signal (seal, SIGKILL);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);
  /* A seal that finished first proves nothing. */
  g_assert_true (g_subprocess_get_if_signaled (seal));
  g_assert_cmpint (g_subprocess_get_term_sig (seal), ==, SIGKILL);
}

static void
assert_intact (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "hyperlink.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* Read-write, so that SQLite recovers from the WAL as the next process would. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* After the resumed seal: what a seal that was never killed leaves. */
static void
assert_finished (Fixture    *f,
                 const char *dir)
{
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) verify = NULL;
  g_autofree char *sealed = NULL;
  JsonArray *segments;

  assert_intact (dir);
  sealed = hl_test_ctl_ok (dir, "archive", "seal", "--all", NULL);
  /* Nine ranges, the last in two parts: ten segments, each published once. */
  g_assert_cmpint (query (dir, "SELECT count(*) FROM events WHERE kind = 'archive.segment'"), ==,
                   SMALL_MONTHS + 2);
  g_assert_cmpint (query (dir, "SELECT count(*) FROM archive_segments WHERE state = 1 "
                               "AND verified_ms IS NOT NULL"), ==, SMALL_MONTHS + 2);
  g_assert_cmpint (query (dir, "SELECT count(*) FROM events WHERE archived IS NOT NULL"), ==,
                   f->n_events - 1);
  status = hl_test_ctl_json (dir, "archive", "status", NULL);
  segments = json_node_get_array (hl_test_get_member (status, "segments"));
  g_assert_cmpuint (json_array_get_length (segments), ==, SMALL_MONTHS + 2);
  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonNode *s = json_array_get_element (segments, i);

      g_assert_true (hl_test_get_bool (s, "verified"));
      g_assert_cmpint (hl_test_get_int (s, "own_held"), ==, hl_test_get_int (s, "own_expected"));
    }
  verify = hl_test_ctl_json (dir, "archive", "verify", NULL);
  g_assert_cmpint (hl_test_get_int (verify, "bad_symbols"), ==, 0);
  g_assert_cmpint (hl_test_get_int (verify, "bad_runs"), ==, 0);
}

static gboolean
between_ranges (const char *dir,
                gpointer    state)
{
  gint64 n = query (dir, "SELECT count(*) FROM events WHERE kind = 'archive.segment'");

  return n >= 3 && n < SMALL_MONTHS;
}

static void
test_kill_between_ranges (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *dir = prepare (f, "between");

  seal_and_kill (dir, between_ranges, NULL);
  g_test_message ("killed with %" G_GINT64_FORMAT " manifests published",
                  query (dir, "SELECT count(*) FROM events WHERE kind = 'archive.segment'"));
  assert_finished (f, dir);
}

typedef struct
{
  gint64 wal_at_manifests;
} Writing;

/* The big month's two manifests are out and its share (16 MiB) is being
 * written: the log grows while no symbol of it is committed. */
static gboolean
during_symbol_writes (const char *dir,
                      gpointer    state)
{
  Writing *w = state;
  gint64 manifests = query (dir, "SELECT count(*) FROM events WHERE kind = 'archive.segment'");

  if (manifests < SMALL_MONTHS + 2)
    return FALSE;
  if (w->wal_at_manifests < 0)
    w->wal_at_manifests = wal_size (dir);
  /* Nothing else writes between those manifests and the first part's share. */
  return wal_size (dir) > w->wal_at_manifests + 4 * 1024 * 1024 &&
         query (dir, "SELECT count(*) FROM archive_symbols WHERE key >> 32 IN "
                     "(SELECT rowid FROM archive_segments WHERE parts = 2)") == 0;
}

static void
test_kill_during_symbol_writes (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *dir = prepare (f, "writing");
  Writing w = { -1 };

  seal_and_kill (dir, during_symbol_writes, &w);
  g_test_message ("killed with the log at %" G_GINT64_FORMAT " bytes, %" G_GINT64_FORMAT
                  " symbols committed", wal_size (dir),
                  query (dir, "SELECT count(*) FROM archive_symbols"));
  assert_finished (f, dir);
}

int
main (int    argc,
      char **argv)
{
  hl_test_init (&argc, &argv);
  g_test_add ("/archive/crash/kill-between-ranges", Fixture, NULL, fixture_set_up,
              test_kill_between_ranges, fixture_tear_down);
  g_test_add ("/archive/crash/kill-during-symbol-writes", Fixture, NULL, fixture_set_up,
              test_kill_during_symbol_writes, fixture_tear_down);
  return hl_test_run_and_clean_up ();
}
