/* test-store-files.c: what the store leaves on disk: the modes of the
 * database's files.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "hl-store.h"
#include "hl-test-events.h"
#include "hl-test-log.h"

#define T0 G_GUINT64_CONSTANT (1700000000000)

/* ---- helpers ---- */

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static char *
companion (const char *db,
           const char *suffix)
{
  return g_strconcat (db, suffix, NULL);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, NULL, NULL));
}

static HlEvent *
publish_subnet (HlStore    *store,
                HlIdentity *me)
{
  g_autoptr(GError) error = NULL;
  HlEvent *event = hl_store_publish (store, me, HL_KIND_SUBNET_CREATE, NULL,
                                     "{\"name\":\"files\",\"description\":\"\"}", &error);

  g_assert_no_error (error);
  return event;
}

/* ---- modes ---- */

/* Under a umask that lets others read (or, 002, write), the database, its
 * WAL and its shared memory are still 0600 while they exist. */
static void
test_modes_on_first_use (gconstpointer data)
{
  mode_t mask = GPOINTER_TO_UINT (data);
  g_autofree char *dir = g_dir_make_tmp ("hl-store-files-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "hyperlink.db", NULL);
  g_autofree char *wal = companion (db, "-wal");
  g_autofree char *shm = companion (db, "-shm");
  g_autoptr(HlIdentity) me = hl_test_identity (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = NULL;
  g_autoptr(HlEvent) subnet = NULL;
  mode_t old = umask (mask);

  store = hl_store_open (db, &error);
  g_assert_no_error (error);
  subnet = publish_subnet (store, me);
  umask (old);

  g_assert_cmpuint (mode_of (db), ==, 0600);
  g_assert_cmpuint (mode_of (wal), ==, 0600);
  g_assert_cmpuint (mode_of (shm), ==, 0600);
  g_clear_object (&store);
  remove_tree (dir);
}

/* A database an older version left 0644, with its WAL and shared memory
 * (another connection holds them open), becomes private when opened. */
static void
test_loose_database_tightened (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-store-files-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "hyperlink.db", NULL);
  g_autofree char *wal = companion (db, "-wal");
  g_autofree char *shm = companion (db, "-shm");
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = NULL;
  sqlite3 *old_db = NULL;
  mode_t old = umask (022);

  g_assert_cmpint (sqlite3_open (db, &old_db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (old_db, "PRAGMA journal_mode = WAL; CREATE TABLE t (x); "
                                 "INSERT INTO t VALUES (1)", NULL, NULL, NULL), ==, SQLITE_OK);
  umask (old);
  g_assert_cmpuint (mode_of (db), ==, 0644);
  g_assert_cmpuint (mode_of (wal), ==, 0644);
  g_assert_cmpuint (mode_of (shm), ==, 0644);

  store = hl_store_open (db, &error);
  g_assert_no_error (error);
  hl_test_log_expect (G_LOG_LEVEL_MESSAGE, "*/hyperlink.db was open to other users*");
  hl_test_log_expect (G_LOG_LEVEL_MESSAGE, "*/hyperlink.db-wal was open to other users*");
  hl_test_log_expect (G_LOG_LEVEL_MESSAGE, "*/hyperlink.db-shm was open to other users*");
  hl_test_log_assert_nothing ();
  g_assert_cmpuint (mode_of (db), ==, 0600);
  g_assert_cmpuint (mode_of (wal), ==, 0600);
  g_assert_cmpuint (mode_of (shm), ==, 0600);

  sqlite3_close (old_db);
  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_missing_directory_error (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-store-files-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "gone", "hyperlink.db", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (hl_store_open (db, &error));
  g_assert_nonnull (strstr (error->message, "Cannot create the database"));
  g_assert_nonnull (strstr (error->message, db));
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  hl_test_log_capture ();
  g_test_add_data_func ("/store-files/modes-on-first-use/umask-022", GUINT_TO_POINTER (022),
                        test_modes_on_first_use);
  g_test_add_data_func ("/store-files/modes-on-first-use/umask-002", GUINT_TO_POINTER (002),
                        test_modes_on_first_use);
  g_test_add_func ("/store-files/loose-database-tightened", test_loose_database_tightened);
  g_test_add_func ("/store-files/missing-directory-error", test_missing_directory_error);
  return g_test_run ();
}
