/* test-sync-resilience.c: partitions heal, a node killed mid-sync loses
 * nothing, and twenty nodes in a sparse mesh converge.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-netns.h"
#include "hl-test-node.h"

#define PORT 9473   /* each node has an address of its own: the default port */

/* A node in namespace @net: listening on its own address there (@ip), which
 * is also the address the others dial. */
static HlTestNode *
namespaced_node (HlTestNet  *net,
                 const char *name,
                 const char *ip)
{
  g_autofree char *cidr = g_strdup_printf ("%s/24", ip);
  HlTestNode *node = hl_test_node_new (name);

  node->netns = g_strdup (hl_test_net_add (net, name, cidr));
  node->listen = g_strdup_printf ("%s:%d", ip, PORT);
  g_free (node->address);
  node->address = g_strdup_printf ("ws://%s:%d", ip, PORT);
  return node;
}

/* Both ends name each other, so each link is one both sides asked for. */
static void
link_nodes (HlTestNode *x,
            HlTestNode *y)
{
  hl_test_node_add_peer (x, y);
  hl_test_node_add_peer (y, x);
}

/* c's cable is pulled: {a, b} | {c}. Writes go on both sides of the cut,
 * and on b while its node is down; the side that still has a link keeps
 * syncing, nothing crosses the cut, and everything meets once the cable is
 * back. */
static void
test_partition_heals (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTestNet) net = hl_test_net_new (&error);
  g_autoptr(HlTestNode) a = NULL;
  g_autoptr(HlTestNode) b = NULL;
  g_autoptr(HlTestNode) c = NULL;
  HlTestNode *all[3];
  g_autofree char *first = NULL;
  g_autofree char *on_a = NULL;
  g_autofree char *on_b = NULL;
  g_autofree char *on_c = NULL;
  gint64 healing;

  if (net == NULL)
    {
      g_autofree char *why = g_strdup_printf ("no network namespaces here (%s)", error->message);
      g_test_skip (why);
      return;
    }
  a = namespaced_node (net, "a", "10.99.0.1");
  b = namespaced_node (net, "b", "10.99.0.2");
  c = namespaced_node (net, "c", "10.99.0.3");
  all[0] = a, all[1] = b, all[2] = c;
  link_nodes (a, b);
  link_nodes (b, c);
  /* A peer across the cut goes silent: short pings let each side notice
   * within seconds instead of 45. */
  g_setenv ("HYPERLINK_SYNC_PING_MS", "2000", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    hl_test_node_start (all[i]);
  first = hl_test_node_post (a, "before the partition");
  g_assert_true (hl_test_wait_has (c, first, 30));

  hl_test_net_set_link (net, "c", FALSE);
  on_a = hl_test_node_post (a, "written on a during the partition");
  on_c = hl_test_node_post (c, "written on c during the partition");
  hl_test_node_stop (b);
  on_b = hl_test_node_post (b, "written on b while its node was down");
  hl_test_node_start (b);
  /* a and b still meet: a's post reaches b and b's reaches a... */
  g_assert_true (hl_test_wait_has (b, on_a, 30));
  g_assert_true (hl_test_wait_has (a, on_b, 30));
  /* ...and nothing crossed the cut, either way. */
  g_assert_false (hl_test_node_has (c, on_a));
  g_assert_false (hl_test_node_has (c, on_b));
  g_assert_false (hl_test_node_has (a, on_c));
  g_assert_false (hl_test_node_has (b, on_c));

  hl_test_net_set_link (net, "c", TRUE);
  healing = g_get_monotonic_time ();
  g_assert_true (hl_test_wait_converged (all, 3, 60));
  g_test_message ("measured: converged %.1f s after the cable went back in",
                  (g_get_monotonic_time () - healing) / 1e6);
  g_assert_true (hl_test_node_has (a, on_c));
  g_assert_true (hl_test_node_has (c, on_a));
  g_assert_true (hl_test_node_has (c, on_b));
  g_unsetenv ("HYPERLINK_SYNC_PING_MS");
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    hl_test_node_stop (all[i]);
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
  /* The forum's months are old: a's archive upkeep, running while b is
   * down, would seal them and add segment and holder events, which this
   * test, about what a kill leaves, does not count. */
  g_setenv ("HYPERLINK_ARCHIVE", "0", TRUE);
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
  /* 30,000 events: a minute and a half under ASan on a loaded machine. */
  g_assert_true (hl_test_wait_converged (both, 2, 240));
  /* The forum plus each node's own profile event. */
  g_assert_cmpint (hl_test_node_count (b), ==, n + 2);
  g_assert_cmpint (hl_test_node_count (a), ==, n + 2);
  hl_test_node_stop (b);
  hl_test_node_stop (a);
  g_unsetenv ("HYPERLINK_ARCHIVE");
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
