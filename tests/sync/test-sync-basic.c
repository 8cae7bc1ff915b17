/* test-sync-basic.c: two and three real nodes: gossip, peers, status, and
 * the daemon's refusals.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-node.h"

static void
test_two_nodes_gossip (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autofree char *before = hl_test_node_post (a, "written before the nodes met");
  g_autofree char *live = NULL;
  g_autofree char *back = NULL;
  g_autoptr(JsonNode) status = NULL;
  JsonObject *peer;
  HlTestNode *both[] = { a, b };

  hl_test_node_start (a);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);

  /* Reconciliation brings the old post; gossip the new ones, both ways. */
  g_assert_true (hl_test_wait_has (b, before, 20));
  live = hl_test_node_post (a, "written while connected");
  g_assert_true (hl_test_wait_has (b, live, 20));
  back = hl_test_node_post (b, "the other way");
  g_assert_true (hl_test_wait_has (a, back, 20));
  g_assert_true (hl_test_wait_converged (both, 2, 20));

  g_assert_true (hl_test_wait_in_sync (b, 1, 20));
  status = hl_test_node_status (b);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (status), "running"));
  peer = json_array_get_object_element (json_object_get_array_member (json_node_get_object (status), "peers"), 0);
  g_assert_cmpstr (json_object_get_string_member (peer, "address"), ==, a->address);
  g_assert_true (json_object_get_boolean_member (peer, "connected"));
  g_assert_cmpint (json_object_get_int_member (peer, "events_received"), >=, 3);
  g_assert_cmpint (json_object_get_int_member (peer, "bytes_received"), >, 0);
  g_assert_cmpint (strlen (json_object_get_string_member (peer, "node")), ==, 64);

  hl_test_node_stop (b);
  hl_test_node_stop (a);
  {
    g_autoptr(JsonNode) after = hl_test_node_status (b);
    JsonObject *obj = json_node_get_object (after);
    g_assert_false (json_object_get_boolean_member (obj, "running"));
    peer = json_array_get_object_element (json_object_get_array_member (obj, "peers"), 0);
    g_assert_cmpstr (json_object_get_string_member (peer, "state"), ==, "offline");
  }
}

/* Posts written by hyperlinkctl reach the other node through the watch on the
 * data directory alone: the nodes' poll of the database is made ten minutes
 * long, and a node's reconciliation offers only what its scans found. */
static void
test_watch_without_poll (void)
{
  g_autoptr(HlTestNode) a = NULL;
  g_autoptr(HlTestNode) b = NULL;
  g_autofree char *there = NULL;
  g_autofree char *back = NULL;

  g_setenv ("HYPERLINK_SYNC_POLL_MS", "600000", TRUE);
  a = hl_test_node_new ("watch-a");
  b = hl_test_node_new ("watch-b");
  hl_test_node_start (a);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  g_assert_true (hl_test_wait_in_sync (b, 1, 20));

  there = hl_test_node_post (a, "noticed at once");
  g_assert_true (hl_test_wait_has (b, there, 10));
  back = hl_test_node_post (b, "and the other way");
  g_assert_true (hl_test_wait_has (a, back, 10));
  hl_test_node_stop (b);
  hl_test_node_stop (a);
  g_unsetenv ("HYPERLINK_SYNC_POLL_MS");
}

/* A delete erases the post's bytes on both nodes; the erased ids leave the
 * reconciled set on both alike, so the nodes stay in sync rather than
 * asking each other for bytes nobody may send. */
static void
test_delete_converges (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autofree char *post = NULL;
  g_autofree char *deleted = NULL;
  g_autofree char *after = NULL;
  HlTestNode *both[] = { a, b };

  hl_test_node_start (a);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  post = hl_test_node_post (a, "soon deleted");
  g_assert_true (hl_test_wait_has (b, post, 20));
  deleted = hl_test_node_ctl (a, "delete", post, NULL);
  after = hl_test_node_post (a, "after the delete");
  g_assert_true (hl_test_wait_has (b, after, 20));
  g_assert_true (hl_test_wait_converged (both, 2, 20));
  /* A later reconciliation finds nothing to do. */
  hl_test_node_stop (b);
  hl_test_node_start (b);
  g_assert_true (hl_test_wait_in_sync (b, 1, 20));
  g_assert_true (hl_test_wait_converged (both, 2, 20));
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static void
test_line_of_three (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autoptr(HlTestNode) c = hl_test_node_new ("c");
  g_autofree char *from_a = NULL;
  g_autofree char *from_c = NULL;
  HlTestNode *all[] = { a, b, c };

  /* a <- b <- c: c never talks to a, and b only relays. */
  hl_test_node_start (a);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  hl_test_node_add_peer (c, b);
  hl_test_node_start (c);
  g_assert_true (hl_test_wait_in_sync (c, 1, 20));

  from_a = hl_test_node_post (a, "from one end");
  from_c = hl_test_node_post (c, "from the other end");
  g_assert_true (hl_test_wait_has (c, from_a, 20));
  g_assert_true (hl_test_wait_has (a, from_c, 20));
  g_assert_true (hl_test_wait_converged (all, 3, 30));
  hl_test_node_stop (c);
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static void
test_peer_commands (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *list = NULL;
  g_autofree char *post = NULL;
  g_autofree char *added = NULL;
  g_autofree char *removed = NULL;
  int rc;

  hl_test_node_start (a);
  hl_test_node_start (b);
  post = hl_test_node_post (a, "found once b adds a");

  /* The running node picks up a peer added behind its back. */
  added = hl_test_node_ctl (b, "peer", "add", a->address, NULL);
  list = hl_test_node_ctl (b, "peer", "list", NULL);
  g_assert_nonnull (strstr (list, a->address));
  g_assert_true (hl_test_wait_has (b, post, 20));
  g_assert_true (hl_test_wait_in_sync (b, 1, 20));

  rc = hl_test_node_ctl_full (b, &out, &err, "peer", "add", "http://nowhere", NULL);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "ws://HOST:PORT"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  removed = hl_test_node_ctl (b, "peer", "remove", a->address, NULL);
  rc = hl_test_node_ctl_full (b, &out, &err, "peer", "remove", a->address, NULL);
  g_assert_cmpint (rc, ==, 1);
  g_assert_nonnull (strstr (err, "not among the peers"));

  /* Once removed, the node hangs up and lists it no more. */
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    gboolean gone = FALSE;

    while (!gone && g_get_monotonic_time () < deadline)
      {
        g_autoptr(JsonNode) status = hl_test_node_status (b);
        JsonObject *totals = json_object_get_object_member (json_node_get_object (status), "totals");

        gone = json_object_get_int_member (totals, "connected") == 0;
        if (!gone)
          g_usleep (100 * 1000);
      }
    g_assert_true (gone);
  }
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static void
test_refusals (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GSubprocess) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *other_dir = NULL;

  hl_test_node_start (a);

  /* The same data directory. */
  second = g_subprocess_launcher_spawn (launcher, &error, hl_test_hyperlinkd (), "--data-dir",
                                        a->data_dir, "--listen=127.0.0.1:0", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (second, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 1);
  g_assert_nonnull (strstr (err, "already runs on the data directory"));
  g_clear_pointer (&err, g_free);

  /* The same port. */
  other_dir = g_dir_make_tmp ("hl-sync-port-XXXXXX", &error);
  g_assert_no_error (error);
  listen = g_strdup_printf ("--listen=127.0.0.1:%u", a->port);
  third = g_subprocess_launcher_spawn (launcher, &error, hl_test_hyperlinkd (), "--data-dir",
                                       other_dir, listen, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (third, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (third), ==, 1);
  g_assert_nonnull (strstr (err, "Cannot listen on"));
  hl_test_node_stop (a);
}

static void
test_self_and_duplicates (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autofree char *self_alias = NULL;
  g_autofree char *b_alias = NULL;
  gint64 deadline;
  gboolean settled = FALSE;

  /* a dials itself (under another name) and b twice, and b dials a. */
  hl_test_node_add_peer (a, a);
  hl_test_node_start (b);
  self_alias = g_strdup_printf ("ws://localhost:%u", a->port);
  b_alias = g_strdup_printf ("ws://localhost:%u", b->port);
  g_ptr_array_add (a->peers, g_strdup (self_alias));
  hl_test_node_add_peer (a, b);
  g_ptr_array_add (a->peers, g_strdup (b_alias));
  hl_test_node_start (a);
  g_free (hl_test_node_ctl (b, "peer", "add", a->address, NULL));

  /* Both self addresses end up marked as self, and one connection to b stays. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!settled && g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonNode) status = hl_test_node_status (a);
      JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");
      guint selves = 0, connected = 0;

      for (guint i = 0; i < json_array_get_length (peers); i++)
        {
          JsonObject *peer = json_array_get_object_element (peers, i);
          if (g_strcmp0 (json_object_get_string_member (peer, "state"), "self") == 0)
            selves++;
          if (json_object_get_boolean_member (peer, "connected"))
            connected++;
        }
      settled = selves == 2 && connected == 1;
      if (!settled)
        g_usleep (100 * 1000);
    }
  g_assert_true (settled);
  hl_test_node_stop (a);
  hl_test_node_stop (b);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/two-nodes-gossip", test_two_nodes_gossip);
  g_test_add_func ("/sync/line-of-three", test_line_of_three);
  g_test_add_func ("/sync/watch-without-poll", test_watch_without_poll);
  g_test_add_func ("/sync/delete-converges", test_delete_converges);
  g_test_add_func ("/sync/peer-commands", test_peer_commands);
  g_test_add_func ("/sync/refusals", test_refusals);
  g_test_add_func ("/sync/self-and-duplicates", test_self_and_duplicates);
  return g_test_run ();
}
