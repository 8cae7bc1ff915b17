/* test-data-dir.c: what hyperlinkd and hyperlinkctl leave in a data
 * directory is theirs alone, whatever the umask; a directory others may
 * read is reported, and files an older version left loose are fixed.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>

#include "hl-test-node.h"

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* Every file in the directory but those the test itself writes (logs, the
 * name of the subnet it posts in). */
static void
assert_all_private (HlTestNode *node,
                    guint       n_expected)
{
  g_autoptr(GDir) dir = g_dir_open (node->data_dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (node->data_dir, name, NULL);

      if ((g_str_has_prefix (name, "hyperlinkd-") && g_str_has_suffix (name, ".log")) ||
          strcmp (name, "test-subnet") == 0)
        continue;
      g_test_message ("%s %04o", name, mode_of (path));
      g_assert_cmpuint (mode_of (path), ==, 0600);
      /* sync-status.json is replaced atomically, through a temporary file
       * beside it (g_file_set_contents): private too, but not always there. */
      if (!g_str_has_prefix (name, "sync-status.json."))
        n++;
    }
  g_assert_cmpuint (n, ==, n_expected);
}

static void
chmod_in (HlTestNode *node,
          const char *name,
          guint       mode)
{
  g_autofree char *path = g_build_filename (node->data_dir, name, NULL);

  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

/* The key, the database with its WAL and shared memory, the lock and the
 * status file, made under umasks that let others read or write. */
static void
test_private_under_umask (gconstpointer data)
{
  mode_t old = umask (GPOINTER_TO_UINT (data));
  g_autoptr(HlTestNode) node = hl_test_node_new ("umask");
  g_autofree char *id = NULL;

  hl_test_node_start (node);
  id = hl_test_node_post (node, "private");
  g_assert_true (hl_test_wait_has (node, id, 10));
  umask (old);

  /* identity.key hyperlink.db -wal -shm -changed hyperlinkd.lock sync-status.json */
  assert_all_private (node, 7);
  g_assert_cmpuint (mode_of (node->data_dir), ==, 0700);
  hl_test_node_stop (node);
}

/* A data directory and files left readable by others: the node says what to
 * run for the directory, which stays as the user chose, and makes the files
 * it made private. */
static void
test_loose_leftovers (void)
{
  g_autoptr(HlTestNode) node = hl_test_node_new ("loose");
  g_autofree char *warning = NULL;
  g_autofree char *id = NULL;

  hl_test_node_start (node);
  hl_test_node_stop (node);
  g_assert_cmpint (g_chmod (node->data_dir, 0755), ==, 0);
  chmod_in (node, "hyperlink.db", 0644);
  chmod_in (node, "hyperlinkd.lock", 0644);
  chmod_in (node, "sync-status.json", 0644);

  /* The test's programs run without fatal warnings (hl-test-node.c). */
  hl_test_node_start (node);
  id = hl_test_node_post (node, "tightened");
  g_assert_true (hl_test_wait_has (node, id, 10));

  warning = g_strdup_printf ("The data directory %s can be read by other users of this machine "
                             "(mode 0755): run “chmod 700 %s”", node->data_dir, node->data_dir);
  g_assert_true (hl_test_node_log_has (node, warning));
  g_assert_true (hl_test_node_log_has (node, "hyperlink.db was open to other users of this machine "
                                             "(mode 0644); it is now yours alone (mode 0600)"));
  g_assert_true (hl_test_node_log_has (node, "hyperlinkd.lock was open to other users"));
  g_assert_cmpuint (mode_of (node->data_dir), ==, 0755);
  assert_all_private (node, 7);
  hl_test_node_stop (node);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/data-dir/private-under-umask/022", GUINT_TO_POINTER (022),
                        test_private_under_umask);
  g_test_add_data_func ("/data-dir/private-under-umask/002", GUINT_TO_POINTER (002),
                        test_private_under_umask);
  g_test_add_func ("/data-dir/loose-leftovers", test_loose_leftovers);
  return g_test_run ();
}
