/* test-merge-order.c: the same events in any order give the same forum.
 *
 * A random forum of a few thousand events (creates, edits by authors and by
 * impostors, concurrent edits with equal timestamps, deletes, hides by owners,
 * moderators and strangers, moderator changes, profiles, unknown kinds,
 * duplicates) is applied in many orders and batch sizes, each into a fresh
 * database. Every run must end in byte-identical materialised state.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hl-store.h"
#include "hl-test-events.h"

#define T0          G_GUINT64_CONSTANT (1700000000000)
#define N_AUTHORS   5
#define N_ORDERS    10

typedef struct
{
  GRand      *rand;
  HlIdentity *authors[N_AUTHORS];
  GPtrArray  *events;     /* every event, in generation order */
  GPtrArray  *subnets;    /* borrowed from events */
  GPtrArray  *posts;
  guint64     last_ms;
  guint32     last_ctr;
} Forum;

static HlIdentity *
pick_author (Forum *f)
{
  return f->authors[g_rand_int_range (f->rand, 0, N_AUTHORS)];
}

static HlEvent *
pick (Forum     *f,
      GPtrArray *from)
{
  return g_ptr_array_index (from, g_rand_int_range (f->rand, 0, from->len));
}

/* Random times in a short window, with frequent exact collisions. */
static void
random_time (Forum   *f,
             guint64 *ms,
             guint32 *ctr)
{
  if (f->last_ms != 0 && g_rand_int_range (f->rand, 0, 10) == 0)
    {
      *ms = f->last_ms;
      *ctr = f->last_ctr;
      return;
    }
  *ms = T0 + (guint64) g_rand_int_range (f->rand, 0, 200000);
  *ctr = (guint32) g_rand_int_range (f->rand, 0, 2);
  f->last_ms = *ms;
  f->last_ctr = *ctr;
}

static HlIdentity *
author_of (Forum         *f,
           const HlEvent *event)
{
  for (guint i = 0; i < N_AUTHORS; i++)
    if (memcmp (hl_identity_get_public_key (f->authors[i]), event->author, HL_KEY_LEN) == 0)
      return f->authors[i];
  g_assert_not_reached ();
}

static HlEvent *
add (Forum        *f,
     HlIdentity   *author,
     const char   *kind,
     const guint8 *ref,
     const char   *body)
{
  guint64 ms;
  guint32 ctr;
  HlEvent *event;

  random_time (f, &ms, &ctr);
  event = hl_test_event (author, kind, ms, ctr, ref, "%s", body);
  g_ptr_array_add (f->events, event);
  return event;
}

/* Most changes come from whoever may make them; some from impostors. */
static HlIdentity *
mostly (Forum      *f,
        HlIdentity *rightful)
{
  return g_rand_int_range (f->rand, 0, 5) == 0 ? pick_author (f) : rightful;
}

static void
generate_structure (Forum *f)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"subnet %u\"}", i);
      g_ptr_array_add (f->subnets, add (f, pick_author (f), HL_KIND_SUBNET_CREATE, NULL, body));
    }
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"title\":\"thread %u\",\"body\":\"text %u\"}",
                                               i, g_rand_int (f->rand));
      g_ptr_array_add (f->posts, add (f, pick_author (f), HL_KIND_THREAD_CREATE,
                                      pick (f, f->subnets)->id, body));
    }
  for (guint i = 0; i < 900; i++)
    {
      HlEvent *thread = g_ptr_array_index (f->posts, g_rand_int_range (f->rand, 0, 300));
      g_autofree char *body = g_strdup_printf ("{\"body\":\"reply %u\"}", i);
      g_ptr_array_add (f->posts, add (f, pick_author (f), HL_KIND_REPLY_CREATE, thread->id, body));
    }
}

static void
generate_changes (Forum *f)
{
  for (guint i = 0; i < 800; i++)
    {
      HlEvent *post = pick (f, f->posts);
      gboolean thread = strcmp (post->kind, HL_KIND_THREAD_CREATE) == 0;
      g_autofree char *body = thread && g_rand_boolean (f->rand)
        ? g_strdup_printf ("{\"title\":\"retitled %u\"}", i)
        : g_strdup_printf ("{\"body\":\"edit %u\"}", i);
      add (f, mostly (f, author_of (f, post)), HL_KIND_EDIT, post->id, body);
    }
  for (guint i = 0; i < 40; i++)
    {
      HlEvent *post = pick (f, f->posts);
      add (f, mostly (f, author_of (f, post)), HL_KIND_DELETE, post->id, "{}");
    }
  for (guint i = 0; i < 20; i++)
    {
      HlEvent *subnet = pick (f, f->subnets);
      g_autofree char *body = g_strdup_printf ("{\"description\":\"about %u\"}", i);
      add (f, mostly (f, author_of (f, subnet)), HL_KIND_SUBNET_UPDATE, subnet->id, body);
    }
  for (guint i = 0; i < 30; i++)
    {
      HlEvent *subnet = pick (f, f->subnets);
      g_autofree char *key = hl_identity_dup_public_hex (pick_author (f));
      g_autofree char *body = g_strdup_printf ("{\"key\":\"%s\"}", key);
      add (f, mostly (f, author_of (f, subnet)),
           g_rand_boolean (f->rand) ? HL_KIND_MODERATOR_ADD : HL_KIND_MODERATOR_REMOVE,
           subnet->id, body);
    }
  for (guint i = 0; i < 250; i++)
    add (f, pick_author (f), HL_KIND_HIDE, pick (f, f->posts)->id,
         g_rand_int_range (f->rand, 0, 3) > 0 ? "{\"hidden\":true}" : "{\"hidden\":false}");
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"person %u\"}", i);
      add (f, pick_author (f), HL_KIND_PROFILE, NULL, body);
    }
  for (guint i = 0; i < 20; i++)
    add (f, pick_author (f), "poll.vote", pick (f, f->posts)->id, "{\"choice\":1}");
  /* One subnet deleted by its owner, with everything inside it still there. */
  add (f, author_of (f, f->subnets->pdata[2]), HL_KIND_DELETE,
       ((HlEvent *) f->subnets->pdata[2])->id, "{}");
}

static void
forum_init (Forum   *f,
            guint32  seed)
{
  f->rand = g_rand_new_with_seed (seed);
  for (guint i = 0; i < N_AUTHORS; i++)
    f->authors[i] = hl_test_identity ((guint8) (i + 1));
  f->events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  f->subnets = g_ptr_array_new ();
  f->posts = g_ptr_array_new ();
  generate_structure (f);
  generate_changes (f);
}

static void
forum_clear (Forum *f)
{
  g_ptr_array_unref (f->subnets);
  g_ptr_array_unref (f->posts);
  g_ptr_array_unref (f->events);
  for (guint i = 0; i < N_AUTHORS; i++)
    hl_identity_free (f->authors[i]);
  g_rand_free (f->rand);
}

static int
compare_time (gconstpointer a,
              gconstpointer b)
{
  const HlEvent *x = *(HlEvent **) a;
  const HlEvent *y = *(HlEvent **) b;

  return hl_timestamp_compare (&x->ts, &y->ts);
}

/* Order @n: shuffled, reversed, or sorted by time; with duplicates mixed in. */
static GPtrArray *
make_order (Forum *f,
            guint  n)
{
  GPtrArray *order = g_ptr_array_new ();

  for (guint i = 0; i < f->events->len; i++)
    g_ptr_array_add (order, f->events->pdata[i]);
  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (order, pick (f, f->events));

  if (n == 0)
    g_ptr_array_sort (order, compare_time);
  else if (n == 1)
    for (guint i = 0; i < order->len / 2; i++)
      {
        gpointer tmp = order->pdata[i];
        order->pdata[i] = order->pdata[order->len - 1 - i];
        order->pdata[order->len - 1 - i] = tmp;
      }
  else
    for (guint i = order->len - 1; i > 0; i--)
      {
        guint j = g_rand_int_range (f->rand, 0, i + 1);
        gpointer tmp = order->pdata[i];
        order->pdata[i] = order->pdata[j];
        order->pdata[j] = tmp;
      }
  return order;
}

static char *
apply_in_order (GPtrArray *order,
                guint      batch,
                char     **path_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = NULL;
  char *dir = g_dir_make_tmp ("hl-merge-XXXXXX", NULL);
  char *path = g_build_filename (dir, "hyperlink.db", NULL);
  char *dump;

  store = hl_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < order->len; i += batch)
    {
      guint n = MIN (batch, order->len - i);
      g_assert_true (hl_store_apply_verified (store, (HlEvent *const *) order->pdata + i, n,
                                              NULL, &error));
      g_assert_no_error (error);
    }
  dump = hl_store_dump_state (store, &error);
  g_assert_no_error (error);
  *path_out = path;
  g_free (dir);
  return dump;
}

static void
remove_database (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path), g_unlink (wal), g_unlink (shm), g_rmdir (dir);
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* The forum must exercise every rule, or identical results prove little. */
static void
assert_state_is_rich (const char *path)
{
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM events WHERE raw IS NULL AND kind IN "
                                     "('thread.create', 'reply.create')"), >, 10);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM posts WHERE hidden"), >, 10);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM posts WHERE edited_ts > 0"), >, 100);
  /* Replies of deleted threads, and replies of threads in the deleted subnet */
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM posts WHERE subnet IS NULL"), >, 0);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM moderators"), >, 0);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM subnets"), ==, 2);
}

static gboolean
collect_event (const HlEvent *event,
               gpointer       user_data)
{
  g_ptr_array_add (user_data, hl_event_copy (event));
  return TRUE;
}

/* What a store exports, imported elsewhere, is the same forum: erased events
 * cannot travel, so they must not count. */
static void
assert_export_gives_same_state (const char *path,
                                const char *expected)
{
  g_autoptr(GPtrArray) exported = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *copy_path = NULL;
  g_autofree char *dump = NULL;

  {
    g_autoptr(HlStore) store = hl_store_open (path, &error);
    g_assert_no_error (error);
    g_assert_true (hl_store_foreach_event (store, 0, collect_event, exported, &error));
  }
  dump = apply_in_order (exported, 1000, &copy_path);
  g_assert_cmpstr (dump, ==, expected);
  remove_database (copy_path);
}

static void
test_any_order_same_state (void)
{
  static const guint batches[] = { 1, 13, 257, 100000 };
  guint32 seed = g_test_rand_int ();
  g_autofree char *reference = NULL;
  g_autofree char *reference_path = NULL;
  Forum f = { 0 };

  g_test_message ("forum seed %u", seed);
  forum_init (&f, seed);
  g_test_message ("%u events", f.events->len);
  g_assert_cmpuint (f.events->len, >, 2000);

  for (guint n = 0; n < N_ORDERS; n++)
    {
      g_autoptr(GPtrArray) order = make_order (&f, n);
      g_autofree char *path = NULL;
      g_autofree char *dump = apply_in_order (order, batches[n % G_N_ELEMENTS (batches)], &path);

      if (reference == NULL)
        {
          assert_state_is_rich (path);
          assert_export_gives_same_state (path, dump);
          reference = g_steal_pointer (&dump);
          reference_path = g_steal_pointer (&path);
          continue;
        }
      if (strcmp (dump, reference) != 0)
        {
          g_autofree char *a = g_build_filename (g_get_tmp_dir (), "hl-merge-expected.txt", NULL);
          g_autofree char *b = g_build_filename (g_get_tmp_dir (), "hl-merge-actual.txt", NULL);
          g_file_set_contents (a, reference, -1, NULL);
          g_file_set_contents (b, dump, -1, NULL);
          g_error ("order %u (seed %u) gave a different state: diff %s %s", n, seed, a, b);
        }
      remove_database (path);
    }
  remove_database (reference_path);
  forum_clear (&f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merge/any-order-same-state", test_any_order_same_state);

  return g_test_run ();
}
