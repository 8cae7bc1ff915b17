/* test-archive-private-net.c: a private subnet's archive across real
 * hyperlinkd nodes (docs/protocol.md, "Archive of a private subnet"): the
 * owner seals it, the symbols spread to a member and to a relay that is no
 * member, the owner goes away, and a new member device restores the subnet
 * from the two others; the relay holds symbols and reads nothing; the
 * member is removed and the month resealed under a key it never gets.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-archive-net.h"
#include "hl-identity.h"
#include "hl-paths.h"
#include "hl-test-node.h"

#define SECRET_BODY "archived-secret-4d1e"

static char *
device_key (HlTestNode *node)
{
  g_autofree char *path = hl_paths_identity (node->data_dir);
  g_autoptr(HlIdentity) id = hl_identity_load_or_create (path, NULL, NULL);

  return hl_identity_dup_public_hex (id);
}

/* hyperlinkctl's first line of output (an id), asserting success. */
#define ctl_line(node, ...) g_strchomp (hl_test_node_ctl (node, __VA_ARGS__))

static gboolean
in_sync_with (HlTestNode *node,
              gpointer    user_data)
{
  HlTestNode *source = user_data;

  return hl_test_query_int (node, "SELECT count(*) FROM events") ==
         hl_test_query_int (source, "SELECT count(*) FROM events WHERE sealed IS NULL");
}

/* The range's current sealing is under an epoch whose key @node lacks. */
static gboolean
sealed_unreadable (HlTestNode *node,
                   gpointer    user_data)
{
  return hl_test_query_int (node, "SELECT count(*) FROM archive_segments WHERE state = 1 "
                                  "AND gen = 2 AND epoch NOT IN (SELECT epoch FROM private_keys)")
         == 1;
}

static void
test_restore_member (void)
{
  g_autoptr(HlTestNode) owner = hl_test_node_new ("owner");
  g_autoptr(HlTestNode) member = hl_test_node_new ("member");
  g_autoptr(HlTestNode) relay = hl_test_node_new ("relay");
  g_autoptr(HlTestNode) fresh = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *member_key = device_key (member);
  g_autofree char *fresh_key = NULL;
  g_autofree char *subnet = NULL;
  g_autofree char *err = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new_with_free_func (g_free);
  HlTestNode *nodes[] = { owner, member, relay };

  hl_test_node_start (owner);
  hl_test_node_add_peer (member, owner);
  hl_test_node_add_peer (relay, owner);
  hl_test_node_add_peer (member, relay);
  hl_test_node_start (relay);
  hl_test_node_start (member);
  subnet = ctl_line (owner, "subnet", "create", "--private", "Family", NULL);
  g_free (ctl_line (owner, "member", "add", subnet, member_key, NULL));
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Plan %u", i);

      g_ptr_array_add (threads, ctl_line (owner, "thread", "create", subnet, "--title", title,
                                          "--body", SECRET_BODY, NULL));
    }
  g_assert_true (hl_test_wait_has (member, threads->pdata[4], 60));
  g_assert_true (hl_test_wait_for (relay, in_sync_with, owner, 60));

  /* A new device of the group, a member before the seal: its epoch travels
   * by reconciliation, its posts only as symbols. */
  fresh = hl_test_fresh_device ("fresh", 2, member, relay);
  fresh_key = device_key (fresh);
  g_free (ctl_line (owner, "member", "add", subnet, fresh_key, NULL));
  g_free (ctl_line (owner, "archive", "seal", "--all", NULL));
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    g_assert_true (hl_test_wait_for (nodes[i], hl_test_spread_done, HL_TEST_SPREAD (3, 1), 120));
  /* The manifest names the epoch; the member verified the segment itself. */
  g_assert_cmpint (hl_test_query_int (member, "SELECT count(*) FROM archive_segments "
                                              "WHERE state = 1 AND epoch IS NOT NULL "
                                              "AND verified_ms IS NOT NULL"), ==, 1);
  /* The relay holds symbols of it, cannot verify it, reads nothing. */
  g_assert_cmpint (hl_test_query_int (relay, "SELECT count(*) FROM archive_symbols"), >, 0);
  g_assert_cmpint (hl_test_query_int (relay, "SELECT count(*) FROM archive_segments "
                                             "WHERE verified_ms IS NOT NULL"), ==, 0);
  g_assert_cmpint (hl_test_query_int (relay, "SELECT count(*) FROM events WHERE kind = "
                                             "'thread.create'"), ==, 0);
  g_assert_false (hl_test_node_has (relay, threads->pdata[0]));

  /* The owner goes; the fresh device restores from the member and the relay. */
  hl_test_node_stop (owner);
  g_assert_cmpint (hl_test_restore (fresh, &last, &err), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "done");
  g_assert_cmpint (json_object_get_int_member (last, "segments_done"), ==, 1);
  /* Its epoch handed on the earlier epochs' keys: every box opened. */
  g_assert_cmpint (hl_test_query_int (fresh, "SELECT count(*) FROM events "
                                             "WHERE sealed IS NOT NULL"), ==, 1 + threads->len);
  for (guint i = 0; i < threads->len; i++)
    g_assert_true (hl_test_node_has (fresh, threads->pdata[i]));
  shown = ctl_line (fresh, "thread", "show", threads->pdata[0], NULL);
  g_assert_nonnull (strstr (shown, SECRET_BODY));
  hl_test_assert_same_state (fresh, member);
  hl_test_assert_integrity (fresh);

  /* The member is removed, a post follows, the month is sealed again: under
   * the new epoch, whose key the removed member never got. */
  hl_test_node_start (owner);
  g_free (ctl_line (owner, "member", "remove", subnet, member_key, NULL));
  g_free (ctl_line (owner, "thread", "create", subnet, "--title", "Later", "--body", "after",
                    NULL));
  g_free (ctl_line (owner, "archive", "seal", "--all", NULL));
  g_assert_true (hl_test_wait_for (member, sealed_unreadable, NULL, 120));
  /* What it verified before stays; nothing of the new sealing is verified there. */
  g_assert_cmpint (hl_test_query_int (member, "SELECT count(*) FROM archive_segments "
                                              "WHERE state = 1 AND verified_ms IS NOT NULL"),
                   ==, 0);

  hl_test_node_stop (owner);
  hl_test_node_stop (member);
  hl_test_node_stop (relay);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The archive's upkeep every 300 ms instead of every minute. */
  g_setenv ("HYPERLINK_ARCHIVE_INTERVAL_MS", "300", TRUE);
  g_setenv ("HYPERLINK_NO_TAILSCALE", "1", TRUE);
  g_test_add_func ("/archive-private-net/restore-member", test_restore_member);
  return g_test_run ();
}
