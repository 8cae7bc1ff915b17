/* test-sync-delivery.c: "did my post go out?" A node's own events stay
 * marked until a peer holds them, by either of the two ways the node learns
 * it (src/sync/hl-node-delivery.c), and `hyperlinkctl thread show` says so.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "hl-paths.h"
#include "hl-store.h"
#include "hl-test-node.h"

/* Whether the node's store still has @id waiting for a peer. */
static gboolean
pending (HlTestNode *node,
         const char *id)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  g_autoptr(HlStore) store = hl_store_open (db, NULL);
  g_autoptr(HlPostRow) row = NULL;
  guint8 raw[32];

  g_assert_true (hl_hex_decode (id, raw, sizeof raw));
  row = store ? hl_store_get_post (store, raw, NULL) : NULL;
  g_assert_nonnull (row);
  return row->pending;
}

static gboolean
wait_delivered (HlTestNode *node,
                const char *id,
                guint       timeout_s)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (pending (node, id))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_usleep (20 * 1000);   /* polling another process's database */
    }
  return TRUE;
}

static void
assert_shown_pending (HlTestNode *node,
                      const char *id,
                      gboolean    expected)
{
  g_autofree char *text = hl_test_node_ctl (node, "thread", "show", id, NULL);
  g_autofree char *json = hl_test_node_ctl (node, "--json", "thread", "show", id, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  g_assert_cmpint (strstr (text, "not yet sent to any peer") != NULL, ==, expected);
  g_assert_cmpint (json_object_get_boolean_member (json_node_get_object (json_parser_get_root (parser)),
                                                   "delivered"), ==, !expected);
}

/* Sent and acknowledged: the events frames' acks confirm both the post
 * written before the peers met (sent by reconciliation) and the one written
 * while connected (gossip). A peer's post is never pending here. */
static void
test_delivery_by_ack (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autofree char *before = hl_test_node_post (a, "written alone");
  g_autofree char *live = NULL;
  g_autofree char *theirs = NULL;

  assert_shown_pending (a, before, TRUE);
  hl_test_node_start (a);
  /* Nobody connected: still pending after the node has looked at it. */
  g_assert_true (pending (a, before));

  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  g_assert_true (wait_delivered (a, before, 20));
  live = hl_test_node_post (a, "written while connected");
  g_assert_true (wait_delivered (a, live, 20));
  g_assert_true (hl_test_node_has (b, live));
  theirs = hl_test_node_post (b, "the peer's");
  g_assert_true (hl_test_wait_has (a, theirs, 20));
  g_assert_false (pending (a, theirs));
  g_assert_true (wait_delivered (b, theirs, 20));

  hl_test_node_stop (b);
  hl_test_node_stop (a);
  assert_shown_pending (a, before, FALSE);
  assert_shown_pending (a, live, FALSE);
}

/* The peer had the post already (here: imported from an export): nothing
 * needs sending, and the reconciliation that finds the sets equal confirms
 * it. */
static void
test_delivery_by_reconciliation (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autofree char *post = hl_test_node_post (a, "carried over by hand");
  g_autofree char *export = hl_test_node_ctl (a, "export", NULL);
  g_autofree char *file = g_build_filename (b->data_dir, "from-a.jsonl", NULL);
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *ignored = NULL;
  JsonObject *peer;

  g_assert_true (g_file_set_contents (file, export, -1, NULL));
  ignored = hl_test_node_ctl (b, "import", file, NULL);
  g_assert_true (hl_test_node_has (b, post));
  g_assert_true (pending (a, post));

  hl_test_node_start (a);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  g_assert_true (wait_delivered (a, post, 20));
  g_assert_true (hl_test_wait_in_sync (b, 1, 20));
  /* a's own status file is rewritten on its own clock: wait for it too. */
  g_assert_true (hl_test_wait_in_sync (a, 1, 20));
  status = hl_test_node_status (a);
  peer = json_array_get_object_element (json_object_get_array_member (json_node_get_object (status),
                                                                      "peers"), 0);
  /* Confirmed without a single event going to the peer. */
  g_assert_cmpint (json_object_get_int_member (peer, "events_sent"), ==, 0);
  hl_test_node_stop (b);
  hl_test_node_stop (a);
  assert_shown_pending (a, post, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/delivery/by-ack", test_delivery_by_ack);
  g_test_add_func ("/sync/delivery/by-reconciliation", test_delivery_by_reconciliation);
  return g_test_run ();
}
