/* test-store-files.c: what the store leaves on disk: the modes of the
 * database's files, and which commits reach the disk before they return.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hl-store.h"
#include "hl-store-discovery.h"
#include "hl-store-sync.h"
#include "hl-test-events.h"
#include "hl-test-log.h"

#define T0 G_GUINT64_CONSTANT (1700000000000)

/* ---- a VFS that counts fsyncs ---- */

/* SQLite's own VFS, with every file's xSync counted. Files keep their real
 * methods but xSync, so the count is all that changes. */
typedef struct
{
  const sqlite3_io_methods *real;
  sqlite3_io_methods        counting;
} WrappedMethods;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs counting_vfs;
static WrappedMethods wrapped[4];
static guint n_syncs;

static int
counting_sync (sqlite3_file *file,
               int           flags)
{
  for (guint i = 0; i < G_N_ELEMENTS (wrapped); i++)
    if (file->pMethods == &wrapped[i].counting)
      {
        n_syncs++;
        return wrapped[i].real->xSync (file, flags);
      }
  g_assert_not_reached ();
}

static int
counting_open (sqlite3_vfs  *vfs,
               const char   *name,
               sqlite3_file *file,
               int           flags,
               int          *out_flags)
{
  int rc = real_vfs->xOpen (real_vfs, name, file, flags, out_flags);

  if (rc != SQLITE_OK || file->pMethods == NULL)
    return rc;
  for (guint i = 0; i < G_N_ELEMENTS (wrapped); i++)
    {
      if (wrapped[i].real == NULL)
        {
          wrapped[i].real = file->pMethods;
          wrapped[i].counting = *file->pMethods;
          wrapped[i].counting.xSync = counting_sync;
        }
      if (wrapped[i].real == file->pMethods)
        {
          file->pMethods = &wrapped[i].counting;
          return rc;
        }
    }
  g_assert_not_reached ();
}

static void
install_counting_vfs (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  counting_vfs = *real_vfs;
  counting_vfs.zName = "hl-counting";
  counting_vfs.xOpen = counting_open;
  g_assert_cmpint (sqlite3_vfs_register (&counting_vfs, 1), ==, SQLITE_OK);
}

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

/* Whether another process sees byte @offset of @path read-locked. */
static gboolean
locked_for_others (const char *path,
                   off_t       offset)
{
  int status = 0;
  pid_t child = fork ();

  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = offset, .l_len = 1 };
      int fd = open (path, O_RDWR);

      _exit (fd >= 0 && fcntl (fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK ? 0 : 1);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* SQLite's locks are POSIX locks, which a process loses on all its
 * descriptors of a file when it closes any one of them. Opening a database
 * that this process has open already (the window does, once per thread),
 * loose files and all, must leave its locks where they were. */
static void
test_open_keeps_locks (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-store-files-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "hyperlink.db", NULL);
  g_autofree char *wal = companion (db, "-wal");
  g_autofree char *shm = companion (db, "-shm");
  g_autoptr(HlIdentity) me = hl_test_identity (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) first = hl_store_open (db, &error);
  g_autoptr(HlStore) second = NULL;
  g_autoptr(HlEvent) subnet = publish_subnet (first, me);
  struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 100, .l_len = 1 };
  int held_db = open (db, O_RDWR | O_CLOEXEC);
  int held_shm = open (shm, O_RDWR | O_CLOEXEC);

  g_assert_no_error (error);
  g_assert_cmpint (fcntl (held_db, F_SETLK, &fl), ==, 0);
  g_assert_cmpint (fcntl (held_shm, F_SETLK, &fl), ==, 0);
  g_assert_true (locked_for_others (db, 100));
  g_assert_true (locked_for_others (shm, 100));

  g_assert_cmpint (g_chmod (db, 0644), ==, 0);
  g_assert_cmpint (g_chmod (wal, 0644), ==, 0);
  g_assert_cmpint (g_chmod (shm, 0644), ==, 0);
  second = hl_store_open (db, &error);
  g_assert_no_error (error);
  hl_test_log_expect (G_LOG_LEVEL_MESSAGE, "*/hyperlink.db was open to other users*");
  hl_test_log_expect (G_LOG_LEVEL_MESSAGE, "*/hyperlink.db-wal was open to other users*");
  hl_test_log_expect (G_LOG_LEVEL_MESSAGE, "*/hyperlink.db-shm was open to other users*");
  hl_test_log_assert_nothing ();
  g_assert_cmpuint (mode_of (shm), ==, 0600);

  g_assert_true (locked_for_others (db, 100));
  g_assert_true (locked_for_others (shm, 100));
  close (held_db);
  close (held_shm);
  g_clear_object (&second);
  g_clear_object (&first);
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

/* ---- durability ---- */

/* What this device made and no peer holds yet is synced to disk at commit;
 * what peers sent is not (they can send it again), and a durable commit
 * leaves the connection as it was. */
static void
test_own_events_durable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-store-files-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "hyperlink.db", NULL);
  g_autoptr(HlIdentity) me = hl_test_identity (1);
  g_autoptr(HlIdentity) peer = hl_test_identity (2);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = hl_store_open (db, &error);
  g_autoptr(HlEvent) subnet = NULL;
  g_autoptr(HlEvent) thread = NULL;
  g_autoptr(HlEvent) received = NULL;
  g_autoptr(HlEvent) received_later = NULL;
  guint before;

  g_assert_no_error (error);
  received = hl_test_event (peer, HL_KIND_SUBNET_CREATE, T0, 0, NULL,
                            "{\"name\":\"theirs\",\"description\":\"\"}");
  received_later = hl_test_event (peer, HL_KIND_SUBNET_CREATE, T0 + 1, 0, NULL,
                                  "{\"name\":\"theirs too\",\"description\":\"\"}");

  before = n_syncs;
  g_assert_true (hl_store_apply_verified (store, &received, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_syncs, ==, before);

  before = n_syncs;
  subnet = publish_subnet (store, me);
  g_assert_cmpuint (n_syncs, >, before);
  before = n_syncs;
  thread = hl_store_publish (store, me, HL_KIND_THREAD_CREATE, subnet->id,
                             "{\"title\":\"Mine\",\"body\":\"\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_syncs, >, before);

  /* Back to the usual mode: the next received event costs no sync. */
  before = n_syncs;
  g_assert_true (hl_store_apply_verified (store, &received_later, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_syncs, ==, before);

  /* A refused publish ends its transaction the same way. */
  g_assert_null (hl_store_publish (store, me, HL_KIND_THREAD_CREATE, subnet->id,
                                   "{\"body\":\"no title\"}", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  before = n_syncs;
  g_assert_true (hl_store_apply_verified (store, &received, 1, NULL, &error));
  g_assert_cmpuint (n_syncs, ==, before);

  g_clear_object (&store);
  remove_tree (dir);
}

/* What a person added (peers, bootstrap nodes) and invites made or accepted
 * here are durable; when a peer was last seen is not. */
static void
test_settings_durable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-store-files-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "hyperlink.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = hl_store_open (db, &error);
  HlIssuedInvite issued = { 0 };
  gboolean changed = FALSE;
  guint before;

  g_assert_no_error (error);
  before = n_syncs;
  g_assert_true (hl_store_sync_add_peer (store, "ws://127.0.0.1:9473", &changed, &error));
  g_assert_true (changed);
  g_assert_cmpuint (n_syncs, >, before);

  /* The change count survives the switch back. */
  g_assert_true (hl_store_sync_add_peer (store, "ws://127.0.0.1:9473", &changed, &error));
  g_assert_false (changed);
  g_assert_true (hl_store_sync_remove_peer (store, "ws://127.0.0.1:9473", &changed, &error));
  g_assert_true (changed);

  before = n_syncs;
  g_assert_true (hl_store_bootstrap_add (store, "ws://127.0.0.2:9473", &changed, &error));
  g_assert_cmpuint (n_syncs, >, before);

  before = n_syncs;
  issued.id = (char *) "00112233445566778899aabbccddeeff";
  issued.created_ms = (gint64) T0;
  issued.expires_ms = (gint64) T0 + 1000;
  issued.uses = 1;
  issued.link = (char *) "hyperlink:invite:test";
  g_assert_true (hl_store_invite_issue (store, &issued, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_syncs, >, before);

  before = n_syncs;
  g_assert_true (hl_store_invite_accept (store, "ffeeddccbbaa99887766554433221100",
                                         "hyperlink:invite:theirs", "ab", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_syncs, >, before);

  before = n_syncs;
  g_assert_true (hl_store_known_peer_seen (store, "ws://127.0.0.3:9473", "cd", 0, NULL, 100,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_syncs, ==, before);

  g_clear_object (&store);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  hl_test_log_capture ();
  install_counting_vfs ();
  g_test_add_data_func ("/store-files/modes-on-first-use/umask-022", GUINT_TO_POINTER (022),
                        test_modes_on_first_use);
  g_test_add_data_func ("/store-files/modes-on-first-use/umask-002", GUINT_TO_POINTER (002),
                        test_modes_on_first_use);
  g_test_add_func ("/store-files/loose-database-tightened", test_loose_database_tightened);
  g_test_add_func ("/store-files/open-keeps-locks", test_open_keeps_locks);
  g_test_add_func ("/store-files/missing-directory-error", test_missing_directory_error);
  g_test_add_func ("/store-files/own-events-durable", test_own_events_durable);
  g_test_add_func ("/store-files/settings-durable", test_settings_durable);
  return g_test_run ();
}
