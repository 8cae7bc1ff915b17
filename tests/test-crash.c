/* test-crash.c: hyperlinkctl import killed with SIGKILL halfway through.
 *
 * A large signed feed (several authors and subnets, replies, edits, deletes,
 * hides) is imported by a real hyperlinkctl that is killed once the database
 * holds some of it. Afterwards the database must be intact, and it must hold
 * whole events only: its state must equal the state a clean import of exactly
 * the surviving events gives. Importing the whole feed again must then end
 * where a clean import of the whole feed ends.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>

#include "hl-event.h"
#include "hl-identity.h"
#include "hl-test-util.h"

#define N_AUTHORS          3
#define SUBNETS_PER_AUTHOR 2
/* The import commits at least every 16384 events (hl-ingest.c), so the last
 * kill point may land just after the commit at 49152. Past that there must be
 * more than a second of work left even on a fast machine, or the import can
 * finish before the kill arrives (seen in CI with 52000); small enough to
 * keep the whole test well under a minute. */
#define DEFAULT_EVENTS     72000

typedef struct
{
  HlId     id;
  guint    author;
  guint    subnet;      /* index into Feed.subnets */
} Post;

typedef struct
{
  HlIdentity *authors[N_AUTHORS];
  GRand      *rand;
  guint64     next_ms;
  GArray     *subnets;  /* HlId; subnet i belongs to author i / SUBNETS_PER_AUTHOR */
  GArray     *threads;  /* Post */
  GArray     *posts;    /* Post: threads and replies */
  GPtrArray  *lines;    /* the feed, one JSON event a line */
  GPtrArray  *ids;      /* the hex id of each line */
} Feed;

typedef struct
{
  char  *root;
  char  *feed_path;
  Feed   feed;
  char  *full_state;    /* after a clean import of the whole feed */
} Fixture;

static HlId
emit (Feed         *feed,
      guint         author,
      const char   *kind,
      const guint8 *ref,
      const char   *body)
{
  HlTimestamp ts = { feed->next_ms++, 0 };
  g_autoptr(HlEvent) event = hl_event_new (kind, hl_identity_get_public_key (feed->authors[author]),
                                           &ts, ref, body);
  HlId id;

  hl_event_sign (event, feed->authors[author]);
  memcpy (id.bytes, event->id, HL_ID_LEN);
  g_ptr_array_add (feed->lines, hl_event_to_json_text (event));
  g_ptr_array_add (feed->ids, hl_event_id_hex (event));
  return id;
}

static void
emit_reply (Feed         *feed,
            const guint8 *thread,
            guint         n)
{
  g_autofree char *body = g_strdup_printf ("{\"body\":\"Small talk %u\"}", n);

  emit (feed, (guint) g_rand_int_range (feed->rand, 0, N_AUTHORS), HL_KIND_REPLY_CREATE, thread,
        body);
}

static const Post *
random_post (Feed   *feed,
             GArray *posts)
{
  return &g_array_index (posts, Post, g_rand_int_range (feed->rand, 0, (gint32) posts->len));
}

/* One event of a forum in full swing; the mix leans on replies as real ones do. */
static void
emit_random_event (Feed *feed,
                   guint n)
{
  guint author = (guint) g_rand_int_range (feed->rand, 0, N_AUTHORS);
  guint roll = (guint) g_rand_int_range (feed->rand, 0, 100);
  g_autofree char *body = NULL;
  Post post;

  if (roll < 12 || feed->threads->len == 0)
    {
      post.author = author;
      post.subnet = (guint) g_rand_int_range (feed->rand, 0, (gint32) feed->subnets->len);
      body = g_strdup_printf ("{\"title\":\"Thread %u\",\"body\":\"Opening words %u\"}", n, n);
      post.id = emit (feed, author, HL_KIND_THREAD_CREATE,
                      g_array_index (feed->subnets, HlId, post.subnet).bytes, body);
      g_array_append_val (feed->threads, post);
      g_array_append_val (feed->posts, post);
    }
  else if (roll < 70)
    {
      const Post *thread = random_post (feed, feed->threads);

      post.author = author;
      post.subnet = thread->subnet;
      body = g_strdup_printf ("{\"body\":\"Reply number %u\"}", n);
      post.id = emit (feed, author, HL_KIND_REPLY_CREATE, thread->id.bytes, body);
      g_array_append_val (feed->posts, post);
    }
  else if (roll < 88)
    {
      const Post *target = random_post (feed, feed->posts);

      body = g_strdup_printf ("{\"body\":\"Edited as of %u\"}", n);
      emit (feed, target->author, HL_KIND_EDIT, target->id.bytes, body);
    }
  else if (roll < 94)
    {
      const Post *target = random_post (feed, feed->posts);

      emit (feed, target->author, HL_KIND_DELETE, target->id.bytes, "{}");
    }
  else
    {
      const Post *target = random_post (feed, feed->posts);

      emit (feed, target->subnet / SUBNETS_PER_AUTHOR, HL_KIND_HIDE, target->id.bytes,
            g_rand_boolean (feed->rand) ? "{\"hidden\":true,\"reason\":\"noise\"}"
                                        : "{\"hidden\":false}");
    }
}

static void
feed_init (Feed *feed)
{
  guint8 seed[32] = { 0 };

  feed->rand = g_rand_new_with_seed (20261122);
  feed->next_ms = (guint64) (g_get_real_time () / 1000) - 2 * 24 * 3600 * 1000;
  feed->subnets = g_array_new (FALSE, FALSE, sizeof (HlId));
  feed->threads = g_array_new (FALSE, FALSE, sizeof (Post));
  feed->posts = g_array_new (FALSE, FALSE, sizeof (Post));
  feed->lines = g_ptr_array_new_with_free_func (g_free);
  feed->ids = g_ptr_array_new_with_free_func (g_free);

  for (guint a = 0; a < N_AUTHORS; a++)
    {
      g_autofree char *profile = g_strdup_printf ("{\"name\":\"Author %u\"}", a);

      seed[0] = (guint8) (a + 1);
      feed->authors[a] = hl_identity_new_from_seed (seed);
      emit (feed, a, HL_KIND_PROFILE, NULL, profile);
    }
}

static void
feed_generate (Feed  *feed,
               guint  n_events)
{
  feed_init (feed);
  for (guint a = 0; a < N_AUTHORS; a++)
    for (guint s = 0; s < SUBNETS_PER_AUTHOR; s++)
      {
        g_autofree char *body = g_strdup_printf ("{\"name\":\"subnet %u.%u\"}", a, s);
        g_autofree char *moderator = hl_identity_dup_public_hex (feed->authors[(a + 1) % N_AUTHORS]);
        g_autofree char *add = g_strdup_printf ("{\"key\":\"%s\"}", moderator);
        HlId id = emit (feed, a, HL_KIND_SUBNET_CREATE, NULL, body);

        g_array_append_val (feed->subnets, id);
        emit (feed, a, HL_KIND_MODERATOR_ADD, id.bytes, add);
      }
  for (guint n = feed->lines->len; n < n_events; n++)
    emit_random_event (feed, n);
}

static void
feed_clear (Feed *feed)
{
  for (guint a = 0; a < N_AUTHORS; a++)
    g_clear_pointer (&feed->authors[a], hl_identity_free);
  g_clear_pointer (&feed->rand, g_rand_free);
  g_clear_pointer (&feed->subnets, g_array_unref);
  g_clear_pointer (&feed->threads, g_array_unref);
  g_clear_pointer (&feed->posts, g_array_unref);
  g_clear_pointer (&feed->lines, g_ptr_array_unref);
  g_clear_pointer (&feed->ids, g_ptr_array_unref);
}

/* Writes the lines of the feed that @keep (NULL: all) holds the id of. */
static char *
write_feed (Fixture    *f,
            const char *name,
            GHashTable *keep)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < f->feed.lines->len; i++)
    if (keep == NULL || g_hash_table_contains (keep, g_ptr_array_index (f->feed.ids, i)))
      g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (f->feed.lines, i));
  return hl_test_write_file (f->root, name, text->str);
}

static char *
data_dir (Fixture    *f,
          const char *name)
{
  return g_build_filename (f->root, name, NULL);
}

static char *
db_path (const char *dir)
{
  return g_build_filename (dir, "hyperlink.db", NULL);
}

/* Imports @file into the empty @dir, which must take every line. */
static char *
clean_import (const char *dir,
              const char *file,
              guint       n_events)
{
  g_autofree char *out = hl_test_ctl_ok (dir, "import", file, NULL);
  g_autofree char *expected = g_strdup_printf ("%u accepted, 0 duplicate, 0 rejected", n_events);

  g_assert_cmpstr (out, ==, expected);
  return hl_test_ctl_ok (dir, "state", NULL);
}

static guint
parse_uint_env (const char *name,
                guint       fallback)
{
  const char *text = g_getenv (name);

  return text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *clean = NULL;
  gint64 start = g_get_monotonic_time ();

  f->root = hl_test_make_dir ("crash");
  feed_generate (&f->feed, parse_uint_env ("HL_TEST_CRASH_EVENTS", DEFAULT_EVENTS));
  f->feed_path = write_feed (f, "feed.jsonl", NULL);
  g_test_message ("generated %u events in %.1f s", f->feed.lines->len,
                  (g_get_monotonic_time () - start) / 1e6);

  start = g_get_monotonic_time ();
  clean = data_dir (f, "clean");
  f->full_state = clean_import (clean, f->feed_path, f->feed.lines->len);
  g_test_message ("clean import in %.1f s", (g_get_monotonic_time () - start) / 1e6);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  hl_test_remove_tree (f->root);
  g_free (f->root);
  g_free (f->feed_path);
  g_free (f->full_state);
  feed_clear (&f->feed);
}

/* How many events the database holds now, as another process sees it; 0
 * while it or its schema does not exist yet. */
static gint64
count_committed_events (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = 0;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      /* seq numbers arrivals from 1 and rows are never removed: max() is the
       * count, read from the end of the b-tree instead of a full scan. */
      sqlite3_prepare_v2 (db, "SELECT coalesce(max(seq), 0) FROM events", -1, &stmt,
                          NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

static void
on_import_exited (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

/* Starts an import of the whole feed into @dir and kills it with SIGKILL once
 * at least @threshold events are committed. */
static void
import_and_kill (const char *feed_path,
                 guint       total,
                 const char *dir,
                 gint64      threshold)
{
  g_autofree char *path = db_path (dir);
  g_autoptr(GSubprocess) import = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint64 committed = 0;
  gboolean exited = FALSE;

  import = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, hl_test_ctl_path (), "--data-dir", dir, "import",
                             feed_path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (import, NULL, on_import_exited, &exited);

  /* Poll the condition with a deadline; the short pause between polls only
   * keeps us from competing with the import for the CPU. */
  while (!exited && (committed = count_committed_events (path)) < threshold)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_subprocess_send_signal (import, SIGKILL);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);

  /* An import that finished first proves nothing: the feed is too small for
   * this machine (raise HL_TEST_CRASH_EVENTS). */
  g_assert_true (g_subprocess_get_if_signaled (import));
  g_assert_cmpint (g_subprocess_get_term_sig (import), ==, SIGKILL);
  g_test_message ("killed with %" G_GINT64_FORMAT " of %u events committed", committed, total);
}

/* Checks the database after the crash and returns the ids it holds. */
static GHashTable *
check_database_and_collect_ids (const char *dir)
{
  g_autofree char *path = db_path (dir);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* Opening read-write lets SQLite recover from the WAL as hyperlinkctl would. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT hex(id) FROM events", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (ids, g_ascii_strdown ((const char *) sqlite3_column_text (stmt, 0), -1));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ids;
}

static void
test_kill_during_import (Fixture       *f,
                         gconstpointer  data)
{
  static const double kill_points[] = { 0.1, 0.3, 0.5 };
  guint total = f->feed.lines->len;
  guint previous = 0;

  for (guint k = 0; k < G_N_ELEMENTS (kill_points); k++)
    {
      g_autofree char *name = g_strdup_printf ("killed-%u", k);
      g_autofree char *survivors_name = g_strdup_printf ("survivors-%u", k);
      g_autofree char *dir = data_dir (f, name);
      g_autofree char *survivors_dir = data_dir (f, survivors_name);
      g_autofree char *survivors_file = NULL, *killed_state = NULL, *survivors_state = NULL;
      g_autofree char *resumed = NULL, *expected = NULL, *resumed_state = NULL;
      g_autoptr(GHashTable) ids = NULL;
      guint n;

      /* Later than the last kill too: commits come in steps, and two kill
       * points inside one step would test the same thing twice. */
      import_and_kill (f->feed_path, total, dir,
                       MAX ((gint64) (kill_points[k] * total), (gint64) previous + 1));
      ids = check_database_and_collect_ids (dir);
      n = g_hash_table_size (ids);
      if (n == total)
        g_test_message ("the import committed the whole feed at once after the kill point; "
                        "the feed is too small for its commit size (HL_TEST_CRASH_EVENTS)");
      g_assert_cmpuint (n, >, 0);
      g_assert_cmpuint (n, <, total);
      g_assert_cmpuint (n, >, previous);
      previous = n;

      /* Whole events only: what survived is exactly what a clean import of
       * those events makes. The lines come from the feed rather than from an
       * export, as export leaves out events a delete has erased. */
      killed_state = hl_test_ctl_ok (dir, "state", NULL);
      survivors_file = write_feed (f, "survivors.jsonl", ids);
      survivors_state = clean_import (survivors_dir, survivors_file, n);
      g_assert_cmpstr (killed_state, ==, survivors_state);

      /* Importing again picks up where the crash left off. */
      resumed = hl_test_ctl_ok (dir, "import", f->feed_path, NULL);
      expected = g_strdup_printf ("%u accepted, %u duplicate, 0 rejected", total - n, n);
      g_assert_cmpstr (resumed, ==, expected);
      resumed_state = hl_test_ctl_ok (dir, "state", NULL);
      g_assert_cmpstr (resumed_state, ==, f->full_state);

      hl_test_remove_tree (dir);
      hl_test_remove_tree (survivors_dir);
    }
}

/* A post deleted by an import that is then killed must not leave its text on
 * disk once hyperlinkctl has run again: the deletion was committed. */
static void
test_deleted_text_after_kill (void)
{
  Fixture f = { 0 };
  g_autofree char *marker = g_strdup_printf ("qzv%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Regrets\",\"body\":\"%s words\"}",
                                           marker);
  g_autofree char *dir = NULL, *empty = NULL, *out = NULL, *where = NULL;
  g_autoptr(GHashTable) ids = NULL;
  const char *delete_id;
  HlId subnet, doomed, chatter;
  guint delete_at;

  f.root = hl_test_make_dir ("crash-delete");
  feed_init (&f.feed);
  subnet = emit (&f.feed, 0, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"secrets\"}");
  doomed = emit (&f.feed, 0, HL_KIND_THREAD_CREATE, subnet.bytes, body);
  chatter = emit (&f.feed, 1, HL_KIND_THREAD_CREATE, subnet.bytes,
                  "{\"title\":\"Chatter\",\"body\":\"\"}");
  for (guint i = 0; i < 20000; i++)
    emit_reply (&f.feed, chatter.bytes, i);
  emit (&f.feed, 0, HL_KIND_DELETE, doomed.bytes, "{}");
  delete_at = f.feed.lines->len;
  delete_id = g_ptr_array_index (f.feed.ids, delete_at - 1);
  for (guint i = 0; i < 24000; i++)
    emit_reply (&f.feed, chatter.bytes, i);
  f.feed_path = write_feed (&f, "feed.jsonl", NULL);

  /* Killed once the batch holding the delete is committed. */
  dir = data_dir (&f, "killed");
  import_and_kill (f.feed_path, f.feed.lines->len, dir, delete_at);
  ids = check_database_and_collect_ids (dir);
  g_assert_true (g_hash_table_contains (ids, delete_id));
  g_assert_cmpuint (g_hash_table_size (ids), <, f.feed.lines->len);

  empty = hl_test_write_file (f.root, "empty.jsonl", "");
  out = hl_test_ctl_ok (dir, "import", empty, NULL);
  g_assert_cmpstr (out, ==, "0 accepted, 0 duplicate, 0 rejected");
  /* The erasure left a note in the database; the next process to open it
   * finishes the job the killed one could not. */
  where = hl_test_files_holding (dir, marker);
  if (*where != '\0')
    g_test_message ("deleted text %s is still in %s after the kill", marker, where);
  g_assert_cmpstr (where, ==, "");
  fixture_tear_down (&f, NULL);
}

int
main (int    argc,
      char **argv)
{
  hl_test_init (&argc, &argv);
  g_test_add ("/ctl/crash/kill-during-import", Fixture, NULL, fixture_set_up,
              test_kill_during_import, fixture_tear_down);
  g_test_add_func ("/ctl/crash/deleted-text-after-kill", test_deleted_text_after_kill);
  return hl_test_run_and_clean_up ();
}
