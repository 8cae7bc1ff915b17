/* test-recheck.c: a database holding events that older rules accepted and the
 * current ones refuse (docs/protocol.md, "Events stored under older rules").
 *
 * The legacy events are stored with hl_store_apply_verified(), which skips
 * verification as an older version's verifier would have let them pass. After
 * the re-check the store must be exactly what a store that only ever received
 * the valid events holds: same state digest, the refused events no longer in
 * the set offered to peers.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hl-store.h"
#include "hl-store-recheck.h"
#include "hl-store-sync.h"
#include "hl-test-events.h"

#define T0 G_GUINT64_CONSTANT (1700000000000)

typedef struct
{
  char    *dir;
  HlStore *legacy;     /* got everything, under the old rules */
  HlStore *fresh;      /* got only what the current rules accept */
} Fixture;

static HlStore *
open_store (Fixture    *f,
            const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  HlStore *store = hl_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* A new database is marked as checked under today's rules; the legacy one
 * must look like a database an older version wrote. */
static void
forget_rules_checked (Fixture    *f,
                      const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM meta WHERE key = 'event_rules'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("hl-recheck-XXXXXX", NULL);
  f->legacy = open_store (f, "legacy.db");
  f->fresh = open_store (f, "fresh.db");
  forget_rules_checked (f, "legacy.db");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  const char *name;
  GDir *dir;

  g_clear_object (&f->legacy);
  g_clear_object (&f->fresh);
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_dir_close (dir);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
store (HlStore *store,
       HlEvent *event)
{
  g_autoptr(GError) error = NULL;
  HlAcceptResult result;

  g_assert_true (hl_store_apply_verified (store, &event, 1, &result, &error));
  g_assert_no_error (error);
}

static void
collect_key (guint64       ts,
             const guint8 *id,
             gpointer      user_data)
{
  g_hash_table_add (user_data, hl_test_hex (id));
}

static char *
state_hash (HlStore *store)
{
  g_autoptr(GError) error = NULL;
  char *hash = hl_store_state_hash (store, &error);

  g_assert_no_error (error);
  return hash;
}

static void
test_removes_what_the_rules_refuse (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(HlIdentity) alice = hl_test_identity (1);
  g_autoptr(HlIdentity) bob = hl_test_identity (2);
  g_autofree char *bob_hex = hl_identity_dup_public_hex (bob);
  g_autofree char *bob_upper = g_ascii_strup (bob_hex, -1);
  g_autoptr(HlEvent) subnet = hl_test_event (alice, HL_KIND_SUBNET_CREATE, T0, 0, NULL,
                                             "{\"name\":\"cats\"}");
  g_autoptr(HlEvent) blank_thread = hl_test_event (alice, HL_KIND_THREAD_CREATE, T0 + 1, 0,
                                                   subnet->id,
                                                   "{\"title\":\"\\u3000\",\"body\":\"x\"}");
  g_autoptr(HlEvent) thread = hl_test_event (alice, HL_KIND_THREAD_CREATE, T0 + 2, 0, subnet->id,
                                             "{\"title\":\"ok\",\"body\":\"fine\"}");
  g_autoptr(HlEvent) orphan = hl_test_event (bob, HL_KIND_REPLY_CREATE, T0 + 3, 0,
                                             blank_thread->id, "{\"body\":\"under it\"}");
  g_autoptr(HlEvent) nul_reply = hl_test_event (bob, HL_KIND_REPLY_CREATE, T0 + 4, 0, thread->id,
                                                "{\"body\":\"a\\u0000b\"}");
  g_autofree char *nul_hex = hl_event_id_hex (nul_reply);
  g_autoptr(HlEvent) answer = hl_test_event (alice, HL_KIND_REPLY_CREATE, T0 + 5, 0, thread->id,
                                             "{\"body\":\"good\",\"parent\":\"%s\"}", nul_hex);
  g_autoptr(HlEvent) upper_moderator = hl_test_event (alice, HL_KIND_MODERATOR_ADD, T0 + 6, 0,
                                                      subnet->id, "{\"key\":\"%s\"}", bob_upper);
  g_autoptr(HlEvent) hide = hl_test_event (bob, HL_KIND_HIDE, T0 + 7, 0, thread->id,
                                           "{\"hidden\":true}");
  g_autoptr(HlEvent) profile = hl_test_event (alice, HL_KIND_PROFILE, T0 + 8, 0, NULL,
                                              "{\"name\":\"Alice\"}");
  g_autoptr(HlEvent) duplicate_profile = hl_test_event (alice, HL_KIND_PROFILE, T0 + 9, 0, NULL,
                                                        "{\"name\":\"Alice\",\"name\":\"Eve\"}");
  g_autoptr(HlEvent) duplicate_edit = hl_test_event (alice, HL_KIND_EDIT, T0 + 10, 0, thread->id,
                                                     "{\"body\":\"a\",\"body\":\"b\"}");
  g_autoptr(HlEvent) nul_update = hl_test_event (alice, HL_KIND_SUBNET_UPDATE, T0 + 11, 0,
                                                 subnet->id, "{\"description\":\"x\\u0000\"}");
  HlEvent *valid[] = { subnet, thread, orphan, answer, hide, profile };
  HlEvent *refused[] = { blank_thread, nul_reply, upper_moderator, duplicate_profile,
                         duplicate_edit, nul_update };
  HlEvent *all[] = { subnet, blank_thread, thread, orphan, nul_reply, answer, upper_moderator,
                     hide, profile, duplicate_profile, duplicate_edit, nul_update };
  g_autoptr(GHashTable) offered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *legacy_hash = NULL;
  g_autofree char *fresh_hash = NULL;
  guint removed;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(GError) why = NULL;

      store (f->legacy, all[i]);
      if (i < G_N_ELEMENTS (refused) &&
          hl_event_verify (refused[i], T0 + 100, 0, &why))
        g_error ("event %u should break the current rules", i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_assert_true (hl_event_verify (valid[i], T0 + 100, 0, &error));
      store (f->fresh, valid[i]);
    }
  g_assert_cmpstr (legacy_hash = state_hash (f->legacy), !=, fresh_hash = state_hash (f->fresh));
  g_clear_pointer (&legacy_hash, g_free);

  g_assert_true (hl_store_recheck_events (f->legacy, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, G_N_ELEMENTS (refused));
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    g_assert_false (hl_store_has_event (f->legacy, refused[i]->id));
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (hl_store_has_event (f->legacy, valid[i]->id));

  /* The same state as a store that never saw them: the thread and reply are
   * gone, the edit and the update undone, bob is no moderator so his hide does
   * nothing, and the older profile is the profile again. */
  legacy_hash = state_hash (f->legacy);
  g_assert_cmpstr (legacy_hash, ==, fresh_hash);

  /* Once per database; the set a node offers comes after it. */
  g_assert_true (hl_store_recheck_events (f->legacy, &removed, &error));
  g_assert_cmpuint (removed, ==, 0);
  g_assert_true (hl_store_sync_foreach_key (f->legacy, collect_key, offered, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (offered), ==, G_N_ELEMENTS (valid));
}

static void
test_runs_before_the_set_is_offered (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(HlIdentity) alice = hl_test_identity (1);
  g_autoptr(HlEvent) good = hl_test_event (alice, HL_KIND_PROFILE, T0, 0, NULL,
                                           "{\"name\":\"Alice\"}");
  g_autoptr(HlEvent) bad = hl_test_event (alice, "poll.create", T0, 1, NULL, "{} {}");
  g_autoptr(GHashTable) offered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *good_hex = hl_event_id_hex (good);

  store (f->legacy, good);
  store (f->legacy, bad);
  g_assert_true (hl_store_has_event (f->legacy, bad->id));
  g_assert_true (hl_store_sync_foreach_key (f->legacy, collect_key, offered, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (offered), ==, 1);
  g_assert_true (g_hash_table_contains (offered, good_hex));
  g_assert_false (hl_store_has_event (f->legacy, bad->id));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/recheck/removes-what-the-rules-refuse", Fixture, NULL, fixture_setup,
              test_removes_what_the_rules_refuse, fixture_teardown);
  g_test_add ("/recheck/runs-before-the-set-is-offered", Fixture, NULL, fixture_setup,
              test_runs_before_the_set_is_offered, fixture_teardown);

  return g_test_run ();
}
