/* test-sync-resilience.c: partitions heal, a node killed mid-sync loses
 * nothing, and twenty nodes in a sparse mesh converge.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-node.h"

static void
test_partition_heals (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autoptr(HlTestNode) c = hl_test_node_new ("c");
  HlTestNode *all[] = { a, b, c };
  g_autofree char *first = NULL;
  g_autofree char *on_a = NULL;
  g_autofree char *on_b = NULL;
  g_autofree char *on_c = NULL;

  /* a <- b <- c, then b (the only link) goes down. */
  hl_test_node_start (a);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  hl_test_node_add_peer (c, b);
  hl_test_node_start (c);
  first = hl_test_node_post (a, "before the partition");
  g_assert_true (hl_test_wait_has (c, first, 20));

  hl_test_node_stop (b);
  /* Writes on every side of the cut, including the node that is down. */
  on_a = hl_test_node_post (a, "written on a during the partition");
  on_b = hl_test_node_post (b, "written on b while its node was down");
  on_c = hl_test_node_post (c, "written on c during the partition");
  g_assert_false (hl_test_node_has (c, on_a));

  hl_test_node_start (b);
  g_assert_true (hl_test_wait_converged (all, 3, 60));
  g_assert_true (hl_test_node_has (a, on_c));
  g_assert_true (hl_test_node_has (c, on_a));
  g_assert_true (hl_test_node_has (a, on_b));
  hl_test_node_stop (c);
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static void
test_killed_mid_sync (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  HlTestNode *both[] = { a, b };
  const char *dirs[] = { a->data_dir };
  const guint n = 30000;
  gint64 deadline, count = 0;

  hl_test_fill (dirs, 1, n, 3, 1700000000000);
  hl_test_node_start (a);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);

  /* Kill it as soon as part of the forum is in. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      count = hl_test_node_count (b);
      if (count > 100)
        break;
      g_usleep (5 * 1000);
    }
  hl_test_node_kill (b);
  g_test_message ("killed with %" G_GINT64_FORMAT " of %u events in", count, n + 2);
  g_assert_cmpint (count, >, 100);
  /* What was committed before the kill is still there. */
  g_assert_cmpint (hl_test_node_count (b), >=, count);

  hl_test_node_start (b);
  g_assert_true (hl_test_wait_converged (both, 2, 90));
  /* The forum plus each node's own profile event. */
  g_assert_cmpint (hl_test_node_count (b), ==, n + 2);
  g_assert_cmpint (hl_test_node_count (a), ==, n + 2);
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static void
test_twenty_node_mesh (void)
{
  enum { N = 20 };
  HlTestNode *nodes[N];
  char *posts[N];
  GRand *rand = g_rand_new_with_seed (20);

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *name = g_strdup_printf ("m%02u", i);
      nodes[i] = hl_test_node_new (name);
    }
  /* A random tree keeps the mesh connected; a few more edges make cycles. */
  for (guint i = 1; i < N; i++)
    hl_test_node_add_peer (nodes[i], nodes[g_rand_int_range (rand, 0, i)]);
  for (guint e = 0; e < 6; e++)
    {
      guint x = g_rand_int_range (rand, 0, N), y = g_rand_int_range (rand, 0, N);
      if (x != y)
        hl_test_node_add_peer (nodes[x], nodes[y]);
    }
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *title = g_strdup_printf ("before start, node %u", i);
      posts[i] = hl_test_node_post (nodes[i], title);
    }
  for (guint i = 0; i < N; i++)
    hl_test_node_start (nodes[i]);
  g_assert_true (hl_test_wait_converged (nodes, N, 120));

  /* And a live post at one end reaches everyone. */
  {
    g_autofree char *live = hl_test_node_post (nodes[N - 1], "live post in the mesh");
    for (guint i = 0; i < N; i++)
      g_assert_true (hl_test_wait_has (nodes[i], live, 30));
  }
  g_assert_true (hl_test_wait_converged (nodes, N, 60));
  for (guint i = 0; i < N; i++)
    {
      hl_test_node_stop (nodes[i]);
      hl_test_node_free (nodes[i]);
      g_free (posts[i]);
    }
  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/partition-heals", test_partition_heals);
  g_test_add_func ("/sync/killed-mid-sync", test_killed_mid_sync);
  g_test_add_func ("/sync/twenty-node-mesh", test_twenty_node_mesh);
  return g_test_run ();
}
