/* test-paths.c: the data directory and the modes of what Hyperlink keeps in it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hl-paths.h"
#include "hl-test-log.h"

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, NULL, NULL));
}

/* A umask that lets others read would still give a private directory, and
 * the parents made for it are private too. */
static void
test_data_dir_created_private (void)
{
  g_autofree char *top = g_dir_make_tmp ("hl-paths-XXXXXX", NULL);
  g_autofree char *parent = g_build_filename (top, "share", NULL);
  g_autofree char *data_dir = g_build_filename (parent, "hyperlink", NULL);
  g_autoptr(GError) error = NULL;
  mode_t old = umask (002);

  g_assert_true (hl_paths_ensure_data_dir (data_dir, &error));
  umask (old);
  g_assert_no_error (error);
  g_assert_cmpuint (mode_of (data_dir), ==, 0700);
  g_assert_cmpuint (mode_of (parent), ==, 0700);
  remove_tree (top);
}

/* A directory others may read is the user's choice to undo: it is warned
 * about once per process, in words saying what to run, and left alone. */
static void
test_loose_data_dir_warned_once (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("hl-paths-XXXXXX", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_chmod (data_dir, 0755), ==, 0);
  expected = g_strdup_printf ("The data directory %s can be read by other users of this machine "
                              "(mode 0755): run “chmod 700 %s”*", data_dir, data_dir);
  g_assert_true (hl_paths_ensure_data_dir (data_dir, &error));
  g_assert_no_error (error);
  hl_test_log_expect (G_LOG_LEVEL_WARNING, expected);

  g_assert_true (hl_paths_ensure_data_dir (data_dir, &error));
  hl_test_log_assert_nothing ();
  g_assert_cmpuint (mode_of (data_dir), ==, 0755);
  remove_tree (data_dir);
}

static void
test_open_but_unreadable_dir_warned (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("hl-paths-XXXXXX", NULL);
  g_autofree char *expected = NULL;

  g_assert_cmpint (g_chmod (data_dir, 0711), ==, 0);
  expected = g_strdup_printf ("The data directory %s is open to other users of this machine "
                              "(mode 0711): run “chmod 700 %s”*", data_dir, data_dir);
  g_assert_true (hl_paths_ensure_data_dir (data_dir, NULL));
  hl_test_log_expect (G_LOG_LEVEL_WARNING, expected);
  hl_test_log_assert_nothing ();
  remove_tree (data_dir);
}

static void
test_private_data_dir_quiet (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("hl-paths-XXXXXX", NULL);

  g_assert_cmpuint (mode_of (data_dir), ==, 0700);
  g_assert_true (hl_paths_ensure_data_dir (data_dir, NULL));
  hl_test_log_assert_nothing ();
  remove_tree (data_dir);
}

/* A file of ours that others may read becomes 0600, saying so; the owner's
 * own bits stay as they were. */
static void
test_make_private (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-paths-XXXXXX", NULL);
  g_autofree char *loose = g_build_filename (dir, "hyperlink.db", NULL);
  g_autofree char *read_only = g_build_filename (dir, "sync-status.json", NULL);
  g_autofree char *missing = g_build_filename (dir, "hyperlink.db-wal", NULL);
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (loose, "x", -1, NULL));
  g_assert_cmpint (g_chmod (loose, 0664), ==, 0);
  expected = g_strdup_printf ("%s was open to other users of this machine (mode 0664); it is now "
                              "yours alone (mode 0600)", loose);
  hl_paths_make_private (loose);
  hl_test_log_expect (G_LOG_LEVEL_MESSAGE, expected);
  g_assert_cmpuint (mode_of (loose), ==, 0600);

  g_assert_true (g_file_set_contents (read_only, "x", -1, NULL));
  g_assert_cmpint (g_chmod (read_only, 0444), ==, 0);
  hl_paths_make_private (read_only);
  hl_test_log_expect (G_LOG_LEVEL_MESSAGE, "*now yours alone (mode 0400)");
  g_assert_cmpuint (mode_of (read_only), ==, 0400);

  /* Already private, or not there: nothing to do, nothing said. */
  hl_paths_make_private (loose);
  hl_paths_make_private (missing);
  hl_test_log_assert_nothing ();
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

/* A link planted in the directory must not make us change what it points to. */
static void
test_make_private_follows_no_link (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-paths-XXXXXX", NULL);
  g_autofree char *target = g_build_filename (dir, "elsewhere", NULL);
  g_autofree char *link = g_build_filename (dir, "hyperlink.db-shm", NULL);

  g_assert_true (g_file_set_contents (target, "x", -1, NULL));
  g_assert_cmpint (g_chmod (target, 0644), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);
  hl_paths_make_private (link);
  hl_test_log_assert_nothing ();
  g_assert_cmpuint (mode_of (target), ==, 0644);
  remove_tree (dir);
}

static void
test_sync_parent (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-paths-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "identity.key", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "gone", "identity.key", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (hl_paths_sync_parent (file, &error));
  g_assert_no_error (error);
  g_assert_false (hl_paths_sync_parent (nowhere, &error));
  g_assert_nonnull (strstr (error->message, "Cannot write the directory"));
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  hl_test_log_capture ();
  g_test_add_func ("/paths/data-dir-created-private", test_data_dir_created_private);
  g_test_add_func ("/paths/loose-data-dir-warned-once", test_loose_data_dir_warned_once);
  g_test_add_func ("/paths/open-but-unreadable-dir-warned", test_open_but_unreadable_dir_warned);
  g_test_add_func ("/paths/private-data-dir-quiet", test_private_data_dir_quiet);
  g_test_add_func ("/paths/make-private", test_make_private);
  g_test_add_func ("/paths/make-private-follows-no-link", test_make_private_follows_no_link);
  g_test_add_func ("/paths/sync-parent", test_sync_parent);
  return g_test_run ();
}
