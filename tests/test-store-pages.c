/* test-store-pages.c: thread pages read from either end of the index.
 *
 * hl_store_list_threads() reads a page past the middle of a subnet from
 * the far end of threads_by_activity. Whatever the direction, a page must
 * be the same slice of the subnet's threads, in the same order.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "hl-store.h"
#include "hl-test-events.h"

#define T0        G_GUINT64_CONSTANT (1700000000000)
#define N_THREADS 500

typedef struct
{
  char       *dir;
  HlStore    *store;
  HlIdentity *alice;
  HlIdentity *bob;
  HlEvent    *subnet;
  GPtrArray  *threads;   /* HlEvent */
} Fixture;

static void
apply (Fixture *f,
       HlEvent *event)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (hl_store_accept (f->store, event, &error), ==, HL_ACCEPT_NEW);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("hl-store-pages-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "hyperlink.db", NULL);
  f->store = hl_store_open (path, &error);
  g_assert_no_error (error);
  f->alice = hl_test_identity (1);
  f->bob = hl_test_identity (2);
  f->subnet = hl_test_event (f->alice, HL_KIND_SUBNET_CREATE, T0, 0, NULL, "{\"name\":\"big\"}");
  apply (f, f->subnet);
  f->threads = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  /* Threads in groups of seven with the same time: the order within a
   * group is by id, which the backward walk must reverse exactly. */
  for (guint i = 0; i < N_THREADS; i++)
    {
      HlEvent *thread = hl_test_event (i % 3 ? f->alice : f->bob, HL_KIND_THREAD_CREATE,
                                       T0 + 10 + i / 7, i % 7, f->subnet->id,
                                       "{\"title\":\"t%u\",\"body\":\"b\"}", i);

      apply (f, thread);
      g_ptr_array_add (f->threads, thread);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "hyperlink.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&f->store);
  g_ptr_array_unref (f->threads);
  hl_event_free (f->subnet);
  hl_identity_free (f->alice);
  hl_identity_free (f->bob);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static guint
live_count (Fixture *f)
{
  g_autoptr(HlSubnetRow) row = hl_store_get_subnet (f->store, f->subnet->id, NULL);

  g_assert_nonnull (row);
  return row->thread_count;
}

/* Every page, at every offset, for a few page sizes, is the slice of the
 * whole list (read in one forward page) at that offset. */
static void
assert_pages_are_slices (Fixture *f)
{
  guint count = live_count (f);
  g_autoptr(GPtrArray) all = hl_store_list_threads (f->store, f->subnet->id, 0, count + 10,
                                                    NULL);
  const guint limits[] = { 1, 7, 100, 499, 1000 };

  g_assert_nonnull (all);
  g_assert_cmpuint (all->len, ==, count);
  for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
    for (guint offset = 0; offset <= count + 3; offset += (limits[l] > 50 ? 13 : 1))
      {
        g_autoptr(GPtrArray) page = hl_store_list_threads (f->store, f->subnet->id, offset,
                                                           limits[l], NULL);

        g_assert_nonnull (page);
        g_assert_cmpuint (page->len, ==, offset >= count ? 0 : MIN (limits[l], count - offset));
        for (guint i = 0; i < page->len; i++)
          {
            HlPostRow *row = page->pdata[i];
            HlPostRow *want = all->pdata[offset + i];

            g_assert_cmpmem (row->id, HL_ID_LEN, want->id, HL_ID_LEN);
            g_assert_cmpstr (row->author_name, ==, want->author_name);
          }
      }
}

static void
test_both_ends (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GPtrArray) first = NULL;

  assert_pages_are_slices (f);
  /* The ends themselves: one of the oldest group last, of the newest first. */
  last = hl_store_list_threads (f->store, f->subnet->id, N_THREADS - 1, 100, NULL);
  first = hl_store_list_threads (f->store, f->subnet->id, 0, 1, NULL);
  g_assert_cmpuint (last->len, ==, 1);
  g_assert_cmpint (((HlPostRow *) last->pdata[0])->last_activity_ms, ==, T0 + 10);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpint (((HlPostRow *) first->pdata[0])->last_activity_ms, ==,
                   T0 + 10 + (N_THREADS - 1) / 7);
}

/* Hidden and deleted threads leave the list and the count alike: the
 * backward pages, which rely on the count, stay slices. */
static void
test_after_hiding_and_deleting (Fixture       *f,
                                gconstpointer  data)
{
  for (guint i = 0; i < N_THREADS; i += 11)
    {
      HlEvent *thread = g_ptr_array_index (f->threads, i);
      HlIdentity *author = i % 3 ? f->alice : f->bob;
      g_autoptr(HlEvent) change = NULL;

      if (i % 2)
        change = hl_test_event (f->alice, HL_KIND_HIDE, T0 + 5000 + i, 0, thread->id,
                                "{\"hidden\":true}");
      else
        change = hl_test_event (author, HL_KIND_DELETE, T0 + 5000 + i, 0, thread->id, "{}");
      apply (f, change);
    }
  g_assert_cmpuint (live_count (f), ==, N_THREADS - (N_THREADS + 10) / 11);
  assert_pages_are_slices (f);
}

/* A subnet nobody knows: no threads, from either end. */
static void
test_unknown_subnet (Fixture       *f,
                     gconstpointer  data)
{
  guint8 nowhere[HL_ID_LEN] = { 7 };
  g_autoptr(GPtrArray) top = hl_store_list_threads (f->store, nowhere, 0, 10, NULL);
  g_autoptr(GPtrArray) deep = hl_store_list_threads (f->store, nowhere, 400, 10, NULL);

  g_assert_cmpuint (top->len, ==, 0);
  g_assert_cmpuint (deep->len, ==, 0);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/store/pages/both-ends", test_both_ends);
  ADD ("/store/pages/after-hiding-and-deleting", test_after_hiding_and_deleting);
  ADD ("/store/pages/unknown-subnet", test_unknown_subnet);
  return g_test_run ();
}
