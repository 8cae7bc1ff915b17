/* test-store.c: the merge rules, one at a time.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hl-error.h"
#include "hl-store.h"
#include "hl-store-discovery.h"
#include "hl-store-sync.h"
#include "hl-test-events.h"

#define T0 G_GUINT64_CONSTANT (1700000000000)

typedef struct
{
  char       *dir;
  char       *path;
  HlStore    *store;
  HlIdentity *alice;   /* owns the subnet */
  HlIdentity *bob;
  HlIdentity *carol;
  HlEvent    *subnet;
  HlEvent    *thread;
} Fixture;

static void
apply (Fixture *f,
       HlEvent *event)
{
  g_autoptr(GError) error = NULL;
  HlAcceptResult result;

  g_assert_true (hl_store_apply_verified (f->store, &event, 1, &result, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("hl-store-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "hyperlink.db", NULL);
  f->store = hl_store_open (f->path, &error);
  g_assert_no_error (error);
  f->alice = hl_test_identity (1);
  f->bob = hl_test_identity (2);
  f->carol = hl_test_identity (3);
  f->subnet = hl_test_event (f->alice, HL_KIND_SUBNET_CREATE, T0, 0, NULL,
                             "{\"name\":\"linux\",\"description\":\"penguins\"}");
  f->thread = hl_test_event (f->bob, HL_KIND_THREAD_CREATE, T0 + 10, 0, f->subnet->id,
                             "{\"title\":\"Hello\",\"body\":\"first words\"}");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_assert_finalize_object (f->store);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  hl_identity_free (f->alice);
  hl_identity_free (f->bob);
  hl_identity_free (f->carol);
  hl_event_free (f->subnet);
  hl_event_free (f->thread);
}

/* Asserts @id names a post that was deleted, and that it left no row. */
static void
assert_deleted (Fixture      *f,
                const guint8 *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlPostRow) row = hl_store_get_post (f->store, id, &error);

  g_assert_null (row);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "was deleted"));
}

static HlPostRow *
get_post (Fixture      *f,
          const guint8 *id)
{
  g_autoptr(GError) error = NULL;
  HlPostRow *row = hl_store_get_post (f->store, id, &error);

  g_assert_no_error (error);
  return row;
}

static guint
search_count (Fixture    *f,
              const char *words)
{
  g_autoptr(GPtrArray) hits = hl_store_search (f->store, words, 100, NULL);

  g_assert_nonnull (hits);
  return hits->len;
}

static void
test_basic_forum (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(HlEvent) reply = hl_test_event (f->carol, HL_KIND_REPLY_CREATE, T0 + 20, 0,
                                            f->thread->id, "{\"body\":\"welcome\"}");
  g_autoptr(GPtrArray) subnets = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  HlPostRow *row;

  apply (f, f->subnet);
  apply (f, f->thread);
  apply (f, reply);

  subnets = hl_store_list_subnets (f->store, NULL);
  g_assert_cmpuint (subnets->len, ==, 1);
  g_assert_cmpstr (((HlSubnetRow *) subnets->pdata[0])->name, ==, "linux");
  g_assert_cmpuint (((HlSubnetRow *) subnets->pdata[0])->thread_count, ==, 1);

  threads = hl_store_list_threads (f->store, f->subnet->id, 0, 10, NULL);
  g_assert_cmpuint (threads->len, ==, 1);
  row = threads->pdata[0];
  g_assert_cmpstr (row->title, ==, "Hello");
  g_assert_cmpuint (row->reply_count, ==, 1);
  g_assert_cmpint (row->last_activity_ms, ==, (gint64) (T0 + 20));

  replies = hl_store_list_replies (f->store, f->thread->id, NULL);
  g_assert_cmpuint (replies->len, ==, 1);
  g_assert_cmpstr (((HlPostRow *) replies->pdata[0])->body, ==, "welcome");
  g_assert_cmpuint (search_count (f, "welcome"), ==, 1);
  g_assert_cmpuint (search_count (f, "hel"), ==, 1);
}

static void
test_edit_before_create (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(HlEvent) edit = hl_test_event (f->bob, HL_KIND_EDIT, T0 + 30, 0, f->thread->id,
                                           "{\"title\":\"Hello, edited\"}");
  g_autoptr(HlPostRow) row = NULL;

  apply (f, edit);
  g_assert_null (hl_store_get_post (f->store, f->thread->id, NULL));
  apply (f, f->thread);
  apply (f, f->subnet);
  row = get_post (f, f->thread->id);
  g_assert_cmpstr (row->title, ==, "Hello, edited");
  g_assert_cmpstr (row->body, ==, "first words");
  g_assert_cmpint (row->edited_ms, ==, (gint64) (T0 + 30));
}

static void
test_only_author_edits (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(HlEvent) forged = hl_test_event (f->carol, HL_KIND_EDIT, T0 + 30, 0, f->thread->id,
                                             "{\"body\":\"carol was here\"}");
  g_autoptr(HlEvent) forged_delete = hl_test_event (f->carol, HL_KIND_DELETE, T0 + 31, 0,
                                                    f->thread->id, "{}");
  g_autoptr(HlEvent) stale = hl_test_event (f->bob, HL_KIND_EDIT, T0 + 5, 0, f->thread->id,
                                            "{\"body\":\"older than the post\"}");
  g_autoptr(HlPostRow) row = NULL;

  apply (f, f->subnet);
  apply (f, f->thread);
  apply (f, forged);
  apply (f, forged_delete);
  apply (f, stale);
  row = get_post (f, f->thread->id);
  g_assert_cmpstr (row->body, ==, "first words");
  g_assert_nonnull (row);   /* the impostor's delete did nothing */
  g_assert_cmpint (row->edited_ms, ==, 0);
}

static void
test_equal_timestamps_break_by_id (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(HlEvent) a = hl_test_event (f->bob, HL_KIND_EDIT, T0 + 30, 2, f->thread->id,
                                        "{\"body\":\"version A\"}");
  g_autoptr(HlEvent) b = hl_test_event (f->bob, HL_KIND_EDIT, T0 + 30, 2, f->thread->id,
                                        "{\"body\":\"version B\"}");
  HlEvent *winner = memcmp (a->id, b->id, HL_ID_LEN) > 0 ? a : b;
  g_autoptr(HlPostRow) row = NULL;

  apply (f, f->subnet);
  apply (f, f->thread);
  apply (f, a == winner ? b : a);
  apply (f, winner);
  row = get_post (f, f->thread->id);
  g_assert_cmpstr (row->body, ==, winner == a ? "version A" : "version B");
}

static gboolean
raw_present (Fixture      *f,
             const guint8 *id)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gboolean present;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT raw IS NOT NULL FROM events WHERE id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, id, HL_ID_LEN, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  present = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return present;
}

static void
test_delete_erases_text (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(HlEvent) edit = hl_test_event (f->bob, HL_KIND_EDIT, T0 + 30, 0, f->thread->id,
                                           "{\"body\":\"zanzibar secret\"}");
  g_autoptr(HlEvent) del = hl_test_event (f->bob, HL_KIND_DELETE, T0 + 40, 0, f->thread->id, "{}");
  g_autoptr(HlEvent) late_edit = hl_test_event (f->bob, HL_KIND_EDIT, T0 + 50, 0, f->thread->id,
                                                "{\"body\":\"back from the dead\"}");
  g_autoptr(GError) error = NULL;
  HlEvent *again[1] = { f->thread };
  HlAcceptResult result;

  apply (f, f->subnet);
  apply (f, f->thread);
  apply (f, edit);
  g_assert_cmpuint (search_count (f, "zanzibar"), ==, 1);

  apply (f, del);
  apply (f, late_edit);
  g_assert_true (hl_store_flush_deletions (f->store, &error));
  assert_deleted (f, f->thread->id);
  g_assert_cmpuint (search_count (f, "zanzibar"), ==, 0);
  g_assert_cmpuint (search_count (f, "hello"), ==, 0);
  g_assert_cmpuint (search_count (f, "dead"), ==, 0);

  /* The text is gone from the log; the tombstone stays to be passed on. */
  g_assert_false (raw_present (f, f->thread->id));
  g_assert_false (raw_present (f, edit->id));
  g_assert_false (raw_present (f, late_edit->id));
  g_assert_true (raw_present (f, del->id));
  g_assert_null (hl_store_get_event (f->store, f->thread->id, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND);

  /* Offered again by a peer, the post is known and stays dead. */
  g_assert_true (hl_store_apply_verified (f->store, again, 1, &result, NULL));
  g_assert_cmpint (result, ==, HL_ACCEPT_DUPLICATE);
  g_assert_false (raw_present (f, f->thread->id));
}

static void
test_delete_before_create (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(HlEvent) del = hl_test_event (f->bob, HL_KIND_DELETE, T0 + 40, 0, f->thread->id, "{}");

  apply (f, del);
  apply (f, f->subnet);
  apply (f, f->thread);
  assert_deleted (f, f->thread->id);
  g_assert_false (raw_present (f, f->thread->id));
}

static gboolean
is_hidden (Fixture      *f,
           const guint8 *id)
{
  g_autoptr(HlPostRow) row = get_post (f, id);

  return row->hidden;
}

static guint
live_threads (Fixture *f)
{
  g_autoptr(HlSubnetRow) row = hl_store_get_subnet (f->store, f->subnet->id, NULL);

  return row->thread_count;
}

static void
test_hide_and_moderators (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *carol_key = hl_identity_dup_public_hex (f->carol);
  g_autoptr(HlEvent) by_stranger = hl_test_event (f->carol, HL_KIND_HIDE, T0 + 20, 0,
                                                  f->thread->id, "{\"hidden\":true}");
  g_autoptr(HlEvent) promote = hl_test_event (f->alice, HL_KIND_MODERATOR_ADD, T0 + 30, 0,
                                              f->subnet->id, "{\"key\":\"%s\"}", carol_key);
  g_autoptr(HlEvent) forged_promote = hl_test_event (f->bob, HL_KIND_MODERATOR_ADD, T0 + 31, 0,
                                                     f->subnet->id, "{\"key\":\"%s\"}", carol_key);
  g_autoptr(HlEvent) demote = hl_test_event (f->alice, HL_KIND_MODERATOR_REMOVE, T0 + 60, 0,
                                             f->subnet->id, "{\"key\":\"%s\"}", carol_key);
  g_autoptr(HlEvent) owner_unhide = hl_test_event (f->alice, HL_KIND_HIDE, T0 + 70, 0,
                                                   f->thread->id, "{\"hidden\":false}");
  g_autoptr(HlEvent) owner_hide = hl_test_event (f->alice, HL_KIND_HIDE, T0 + 80, 0,
                                                 f->thread->id, "{\"hidden\":true}");
  g_autoptr(GPtrArray) threads = NULL;

  apply (f, f->subnet);
  apply (f, f->thread);
  apply (f, by_stranger);
  apply (f, forged_promote);
  g_assert_false (is_hidden (f, f->thread->id));
  g_assert_cmpuint (live_threads (f), ==, 1);

  /* Made a moderator, Carol's earlier hide takes effect. */
  apply (f, promote);
  g_assert_true (is_hidden (f, f->thread->id));
  g_assert_cmpuint (live_threads (f), ==, 0);
  threads = hl_store_list_threads (f->store, f->subnet->id, 0, 10, NULL);
  g_assert_cmpuint (threads->len, ==, 0);
  g_assert_true (hl_store_is_moderator (f->store, f->subnet->id,
                                        hl_identity_get_public_key (f->carol)));

  /* Removing a moderator undoes what they hid. */
  apply (f, demote);
  g_assert_false (is_hidden (f, f->thread->id));
  g_assert_cmpuint (live_threads (f), ==, 1);
  g_assert_false (hl_store_is_moderator (f->store, f->subnet->id,
                                         hl_identity_get_public_key (f->carol)));

  apply (f, owner_hide);
  apply (f, owner_unhide);   /* older than owner_hide: loses */
  g_assert_true (is_hidden (f, f->thread->id));
}

static void
test_profile_last_writer_wins (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(HlEvent) newer = hl_test_event (f->bob, HL_KIND_PROFILE, T0 + 20, 0, NULL,
                                            "{\"name\":\"Robert\"}");
  g_autoptr(HlEvent) older = hl_test_event (f->bob, HL_KIND_PROFILE, T0 + 10, 0, NULL,
                                            "{\"name\":\"Bob\",\"bio\":\"hi\"}");
  g_autoptr(HlProfileRow) profile = NULL;

  apply (f, newer);
  apply (f, older);
  profile = hl_store_get_profile (f->store, hl_identity_get_public_key (f->bob), NULL);
  g_assert_cmpstr (profile->name, ==, "Robert");
  g_assert_null (profile->bio);
}

static void
test_subnet_update_and_delete (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(HlEvent) rename = hl_test_event (f->alice, HL_KIND_SUBNET_UPDATE, T0 + 5, 0,
                                             f->subnet->id, "{\"name\":\"gnu-linux\"}");
  g_autoptr(HlEvent) forged = hl_test_event (f->bob, HL_KIND_SUBNET_UPDATE, T0 + 6, 0,
                                             f->subnet->id, "{\"name\":\"bobnet\"}");
  g_autoptr(HlEvent) del = hl_test_event (f->alice, HL_KIND_DELETE, T0 + 9, 0, f->subnet->id, "{}");
  g_autoptr(HlSubnetRow) row = NULL;
  g_autoptr(HlSubnetRow) gone = NULL;
  g_autoptr(GPtrArray) list = NULL;

  apply (f, forged);
  apply (f, f->subnet);
  apply (f, rename);
  row = hl_store_get_subnet (f->store, f->subnet->id, NULL);
  g_assert_cmpstr (row->name, ==, "gnu-linux");
  g_assert_cmpstr (row->description, ==, "penguins");

  apply (f, f->thread);
  g_assert_cmpuint (search_count (f, "hello"), ==, 1);
  apply (f, del);
  gone = hl_store_get_subnet (f->store, f->subnet->id, NULL);
  g_assert_null (gone);
  g_assert_cmpuint (search_count (f, "hello"), ==, 0);   /* its threads are unlisted */
  list = hl_store_list_subnets (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 0);
}

static gboolean
count_event (const HlEvent *event,
             gpointer       user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static void
test_unknown_kind_kept (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(HlEvent) poll = hl_test_event (f->bob, "poll.create", T0 + 1, 0, f->subnet->id,
                                           "{\"question\":\"tabs or spaces?\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) back = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint n = 0;

  apply (f, f->subnet);
  before = hl_store_state_hash (f->store, NULL);
  g_assert_cmpint (hl_store_accept (f->store, poll, &error), ==, HL_ACCEPT_NEW);
  g_assert_no_error (error);
  back = hl_store_get_event (f->store, poll->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->body, ==, poll->body);
  g_assert_true (hl_store_foreach_event (f->store, 0, count_event, &n, NULL));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (hl_store_accept (f->store, poll, &error), ==, HL_ACCEPT_DUPLICATE);
  after = hl_store_state_hash (f->store, NULL);
  g_assert_cmpstr (before, !=, after);   /* it is in the event set */
}

static void
test_rejected_stores_nothing (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(HlIdentity) dave = hl_test_identity (4);
  guint64 future = (guint64) hl_now_ms () + 11 * 60 * 1000;
  g_autoptr(HlEvent) ahead = hl_test_event (dave, HL_KIND_PROFILE, future, 0, NULL,
                                            "{\"name\":\"Dave\"}");
  g_autoptr(HlEvent) bad_sig = hl_test_event (dave, HL_KIND_PROFILE, T0, 0, NULL,
                                              "{\"name\":\"Dave\"}");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (hl_store_accept (f->store, ahead, &error), ==, HL_ACCEPT_REJECTED);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_FUTURE);
  g_clear_error (&error);

  bad_sig->sig[0] ^= 1;
  g_assert_cmpint (hl_store_accept (f->store, bad_sig, &error), ==, HL_ACCEPT_REJECTED);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_BAD_SIGNATURE);
  g_assert_cmpint (hl_store_count_events (f->store), ==, 0);

  /* A wider limit lets the first one in. */
  hl_store_set_max_future_ms (f->store, 60 * 60 * 1000);
  g_assert_cmpint (hl_store_accept (f->store, ahead, NULL), ==, HL_ACCEPT_NEW);
}

static void
test_publish_orders_strictly (Fixture       *f,
                              gconstpointer  data)
{
  /* A peer whose clock runs five minutes fast: our events must still sort
   * after everything we have seen. */
  guint64 ahead = (guint64) hl_now_ms () + 5 * 60 * 1000;
  g_autoptr(HlEvent) fast = hl_test_event (f->bob, HL_KIND_SUBNET_CREATE, ahead, 0, NULL,
                                           "{\"name\":\"fast\"}");
  HlTimestamp last = { 0, 0 };

  g_assert_cmpint (hl_store_accept (f->store, fast, NULL), ==, HL_ACCEPT_NEW);
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlEvent) event = hl_store_publish (f->store, f->alice, HL_KIND_PROFILE, NULL,
                                                   "{\"name\":\"Alice\"}", &error);

      g_assert_no_error (error);
      g_assert_cmpint (hl_timestamp_compare (&event->ts, &last), >, 0);
      g_assert_cmpint (hl_timestamp_compare (&event->ts, &fast->ts), >, 0);
      last = event->ts;
    }
}

static void
test_publish_refusals (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) event = NULL;
  g_autofree char *edit = g_strdup ("{\"body\":\"mine now\"}");
  guint8 nowhere[HL_ID_LEN] = { 0x42 };

  apply (f, f->subnet);
  apply (f, f->thread);

  event = hl_store_publish (f->store, f->carol, HL_KIND_EDIT, f->thread->id, edit, &error);
  g_assert_null (event);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION);
  g_clear_error (&error);

  event = hl_store_publish (f->store, f->carol, HL_KIND_HIDE, f->thread->id,
                            "{\"hidden\":true}", &error);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION);
  g_clear_error (&error);

  event = hl_store_publish (f->store, f->carol, HL_KIND_THREAD_CREATE, nowhere,
                            "{\"title\":\"x\",\"body\":\"\"}", &error);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  event = hl_store_publish (f->store, f->bob, HL_KIND_EDIT, f->thread->id,
                            "{\"title\":\"\"}", &error);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY);
  g_clear_error (&error);

  /* The owner may hide, and the author may edit. */
  event = hl_store_publish (f->store, f->bob, HL_KIND_EDIT, f->thread->id, edit, &error);
  g_assert_no_error (error);
  g_clear_pointer (&event, hl_event_free);
  event = hl_store_publish (f->store, f->alice, HL_KIND_HIDE, f->thread->id,
                            "{\"hidden\":true}", &error);
  g_assert_no_error (error);
  g_assert_true (is_hidden (f, f->thread->id));
}

static void
test_prefix_resolution (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = hl_test_hex (f->subnet->id);
  guint8 id[HL_ID_LEN];

  apply (f, f->subnet);
  hex[8] = '\0';
  g_assert_true (hl_store_resolve_prefix (f->store, hex, id, &error));
  g_assert_cmpmem (id, HL_ID_LEN, f->subnet->id, HL_ID_LEN);
  g_assert_false (hl_store_resolve_prefix (f->store, "zz", id, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  hex[2] = '\0';
  g_assert_false (hl_store_resolve_prefix (f->store, hex, id, &error));
  g_assert_nonnull (strstr (error->message, "at least 4"));
}

static void
test_newer_schema_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "hyperlink.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (hl_store_open (path, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION);
  g_assert_nonnull (strstr (error->message, "newer Hyperlink"));
  g_unlink (path), g_unlink (wal), g_unlink (shm), g_rmdir (dir);
}

static int
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  int n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* A database of the schema before issue 14's indexes is migrated when
 * opened: the old indexes go, posts_in_thread comes, and replies added
 * afterwards, one transaction each, count and sort as before. */
static void
test_thread_index_migration (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(HlEvent) first = hl_test_event (f->carol, HL_KIND_REPLY_CREATE, T0 + 20, 0,
                                            f->thread->id, "{\"body\":\"first\"}");
  g_autoptr(HlEvent) earlier = hl_test_event (f->alice, HL_KIND_REPLY_CREATE, T0 + 15, 0,
                                              f->thread->id, "{\"body\":\"earlier\"}");
  g_autoptr(HlEvent) last = hl_test_event (f->bob, HL_KIND_REPLY_CREATE, T0 + 40, 0,
                                           f->thread->id, "{\"body\":\"last\"}");
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *downgrade = NULL;
  int version;
  sqlite3 *db;
  HlPostRow *row;

  apply (f, f->subnet);
  apply (f, f->thread);
  apply (f, first);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  version = count_rows (f->path, "PRAGMA user_version");
  downgrade = g_strdup_printf ("DROP INDEX posts_in_thread;"
                               "CREATE INDEX events_by_time ON events (ts, id);"
                               "CREATE INDEX posts_by_thread ON posts "
                               "  (thread, created_ts, created_ctr, id);"
                               "PRAGMA user_version = %d;", version - 1);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, downgrade, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->store = hl_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->path, "PRAGMA user_version"), ==, version);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                        "('events_by_time', 'posts_by_thread')"), ==, 0);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM sqlite_master WHERE name = "
                                        "'posts_in_thread'"), ==, 1);

  apply (f, earlier);
  apply (f, last);
  threads = hl_store_list_threads (f->store, f->subnet->id, 0, 10, NULL);
  g_assert_cmpuint (threads->len, ==, 1);
  row = threads->pdata[0];
  g_assert_cmpuint (row->reply_count, ==, 3);
  g_assert_cmpint (row->last_activity_ms, ==, (gint64) (T0 + 40));
  replies = hl_store_list_replies (f->store, f->thread->id, NULL);
  g_assert_cmpuint (replies->len, ==, 3);
  g_assert_cmpstr (((HlPostRow *) replies->pdata[0])->body, ==, "earlier");
  g_assert_cmpstr (((HlPostRow *) replies->pdata[1])->body, ==, "first");
  g_assert_cmpstr (((HlPostRow *) replies->pdata[2])->body, ==, "last");
}

/* The outbox: what this device publishes is pending until confirmed; an
 * edit makes its post pending again; events from elsewhere never are. */
static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) thread = NULL;
  g_autoptr(HlEvent) edit = NULL;
  g_autoptr(HlPostRow) row = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (HlOutboxItem));
  g_autofree char *body = NULL;

  g_assert_cmpint (hl_store_accept (f->store, f->subnet, NULL), ==, HL_ACCEPT_NEW);
  g_assert_cmpint (hl_store_accept (f->store, f->thread, NULL), ==, HL_ACCEPT_NEW);
  row = get_post (f, f->thread->id);
  g_assert_false (row->pending);
  g_clear_pointer (&row, hl_post_row_free);

  thread = hl_store_publish (f->store, f->alice, HL_KIND_THREAD_CREATE, f->subnet->id,
                             "{\"title\":\"Mine\",\"body\":\"not out yet\"}", &error);
  g_assert_no_error (error);
  row = get_post (f, thread->id);
  g_assert_true (row->pending);
  g_clear_pointer (&row, hl_post_row_free);

  g_assert_true (hl_store_sync_list_outbox (f->store, G_MAXINT64, items, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpmem (g_array_index (items, HlOutboxItem, 0).id, HL_ID_LEN, thread->id, HL_ID_LEN);
  g_assert_cmpuint (g_array_index (items, HlOutboxItem, 0).ts, ==, thread->ts.ms);
  /* Only what a scan up to that seq has seen. */
  g_array_set_size (items, 0);
  g_assert_true (hl_store_sync_list_outbox (f->store, 1, items, &error));
  g_assert_cmpuint (items->len, ==, 0);

  g_assert_true (hl_store_sync_confirm (f->store, thread->id, 1, &error));
  g_assert_no_error (error);
  row = get_post (f, thread->id);
  g_assert_false (row->pending);
  g_clear_pointer (&row, hl_post_row_free);

  /* An edit not yet out marks its post again, until it is confirmed too. */
  body = g_strdup ("{\"title\":\"Mine\",\"body\":\"edited\"}");
  edit = hl_store_publish (f->store, f->alice, HL_KIND_EDIT, thread->id, body, &error);
  g_assert_no_error (error);
  row = get_post (f, thread->id);
  g_assert_true (row->pending);
  g_clear_pointer (&row, hl_post_row_free);
  g_assert_true (hl_store_sync_confirm (f->store, edit->id, 1, &error));
  row = get_post (f, thread->id);
  g_assert_false (row->pending);
}

/* Pages are read by offset: each page holds the threads after the previous
 * one's, newest activity first, author names joined in. */
static void
test_thread_pages (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  guint seen = 0;

  apply (f, f->subnet);
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(HlEvent) thread = hl_test_event (i % 2 ? f->bob : f->carol,
                                                 HL_KIND_THREAD_CREATE, T0 + 10 + i, 0,
                                                 f->subnet->id,
                                                 "{\"title\":\"t%u\",\"body\":\"b\"}", i);

      apply (f, thread);
    }

  all = hl_store_list_threads (f->store, f->subnet->id, 0, 100, NULL);
  g_assert_cmpuint (all->len, ==, 7);
  for (guint offset = 0; offset < 7; offset += 3)
    {
      g_autoptr(GPtrArray) page = hl_store_list_threads (f->store, f->subnet->id, offset, 3,
                                                         NULL);

      g_assert_nonnull (page);
      g_assert_cmpuint (page->len, ==, MIN (3, 7 - offset));
      for (guint i = 0; i < page->len; i++, seen++)
        {
          HlPostRow *row = page->pdata[i];
          g_autofree char *title = g_strdup_printf ("t%u", 6 - seen);

          g_assert_cmpstr (row->title, ==, title);
          g_assert_cmpmem (row->id, HL_ID_LEN, ((HlPostRow *) all->pdata[seen])->id, HL_ID_LEN);
          g_assert_cmpstr (row->author_name, ==, ((HlPostRow *) all->pdata[seen])->author_name);
        }
    }
  g_assert_cmpuint (seen, ==, 7);
}

static guint
trusted (HlStore    *store,
         const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) keys = hl_store_list_trusted_keys (store, &error);

  g_assert_no_error (error);
  return GPOINTER_TO_UINT (g_hash_table_lookup (keys, key));
}

/* What admission trusts: keys found at manual peers' addresses (only while
 * the peer is listed), inviters of invites accepted here (not refused
 * ones), redeemers of ours; and whether an invite is open (unexpired, a use
 * left). */
static void
test_trusted_keys (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *manual = "aaaa000000000000000000000000000000000000000000000000000000000001";
  const char *inviter = "bbbb000000000000000000000000000000000000000000000000000000000002";
  const char *redeemer = "cccc000000000000000000000000000000000000000000000000000000000003";
  gint64 now = (gint64) T0;
  HlIssuedInvite open = { .id = (char *) "00000000000000000000000000000001", .created_ms = now,
                          .expires_ms = now + 60000, .uses = 1, .link = (char *) "x" };
  HlIssuedInvite expired = { .id = (char *) "00000000000000000000000000000002", .created_ms = now,
                             .expires_ms = now - 1, .uses = 5, .link = (char *) "y" };
  HlRedeemResult result;
  guint used;

  g_assert_true (hl_store_sync_add_peer (f->store, "ws://192.0.2.7:9473", NULL, &error));
  /* Upper case in, lower case out; an address that is no manual peer is ignored. */
  g_assert_true (hl_store_peer_set_node (f->store, "ws://192.0.2.7:9473",
                                         "AAAA000000000000000000000000000000000000000000000000000000000001",
                                         &error));
  g_assert_true (hl_store_peer_set_node (f->store, "ws://192.0.2.8:9473", redeemer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (trusted (f->store, manual), ==, HL_TRUSTED_MANUAL);
  g_assert_cmpuint (trusted (f->store, redeemer), ==, 0);

  g_assert_cmpint (hl_store_invite_open_until (f->store, now, &error), ==, 0);
  g_assert_true (hl_store_invite_issue (f->store, &expired, &error));
  g_assert_cmpint (hl_store_invite_open_until (f->store, now, &error), ==, 0);
  g_assert_true (hl_store_invite_issue (f->store, &open, &error));
  g_assert_cmpint (hl_store_invite_open_until (f->store, now, &error), ==, now + 60000);
  g_assert_true (hl_store_invite_redeem (f->store, open.id, redeemer, NULL, &result, &used, &error));
  g_assert_cmpint (result, ==, HL_REDEEM_OK);
  g_assert_cmpint (hl_store_invite_open_until (f->store, now, &error), ==, 0);
  g_assert_cmpuint (trusted (f->store, redeemer), ==, HL_TRUSTED_REDEEMER);

  g_assert_true (hl_store_invite_accept (f->store, "00000000000000000000000000000003", "link",
                                         inviter, &error));
  g_assert_cmpuint (trusted (f->store, inviter), ==, HL_TRUSTED_INVITER);
  g_assert_true (hl_store_invite_set_accepted (f->store, "00000000000000000000000000000003",
                                               "refused", "forged", NULL, NULL, &error));
  g_assert_cmpuint (trusted (f->store, inviter), ==, 0);

  g_assert_true (hl_store_sync_remove_peer (f->store, "ws://192.0.2.7:9473", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (trusted (f->store, manual), ==, 0);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/store/basic-forum", test_basic_forum);
  ADD ("/store/thread-pages", test_thread_pages);
  ADD ("/store/edit-before-create", test_edit_before_create);
  ADD ("/store/only-author-edits", test_only_author_edits);
  ADD ("/store/equal-timestamps-break-by-id", test_equal_timestamps_break_by_id);
  ADD ("/store/delete-erases-text", test_delete_erases_text);
  ADD ("/store/delete-before-create", test_delete_before_create);
  ADD ("/store/hide-and-moderators", test_hide_and_moderators);
  ADD ("/store/profile-last-writer-wins", test_profile_last_writer_wins);
  ADD ("/store/subnet-update-and-delete", test_subnet_update_and_delete);
  ADD ("/store/unknown-kind-kept", test_unknown_kind_kept);
  ADD ("/store/rejected-stores-nothing", test_rejected_stores_nothing);
  ADD ("/store/publish-orders-strictly", test_publish_orders_strictly);
  ADD ("/store/publish-refusals", test_publish_refusals);
  ADD ("/store/prefix-resolution", test_prefix_resolution);
  ADD ("/store/outbox", test_outbox);
  ADD ("/store/trusted-keys", test_trusted_keys);
  ADD ("/store/thread-index-migration", test_thread_index_migration);
  g_test_add_func ("/store/newer-schema-refused", test_newer_schema_refused);

  return g_test_run ();
}
