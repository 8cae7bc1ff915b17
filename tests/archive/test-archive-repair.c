/* test-archive-repair.c: the group keeps itself safe (docs/protocol.md,
 * "Repair"), with real hyperlinkd processes on loopback. Four holders with
 * the events and one that joined later and pulled its share; one holder
 * leaves for good; once the grace period (shortened here) has passed, the
 * others' shares are placed again over four: the devices with the events
 * write their new ESIs, the joiner fetches its own (fresh ESIs built by
 * peers from their events). Then any two holders serving only what they
 * store rebuild the forum on a fresh device: the policy holds again.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-net.h"
#include "hl-paths.h"
#include "hl-store-archive.h"

#define N_SUBNETS  3
#define N_EVENTS   800
#define GRACE_MS   20000
#define DAY_MS     G_GINT64_CONSTANT (86400000)

static void
set_grace (HlTestNode *node)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = hl_store_open (db, &error);

  g_assert_no_error (error);
  hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_GRACE, GRACE_MS, &error);
  g_assert_no_error (error);
}

static void
start_stored_only (HlTestNode *node)
{
  g_setenv ("HYPERLINK_ARCHIVE_STORED_ONLY", "1", TRUE);
  hl_test_node_start (node);
  g_unsetenv ("HYPERLINK_ARCHIVE_STORED_ONLY");
}

static void
test_repair (void)
{
  HlTestNode *h[4];
  g_autoptr(HlTestNode) joiner = hl_test_node_new ("joiner");
  g_autoptr(HlTestNode) fresh = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *err = NULL;
  const char *dirs[4];
  guint64 start = (guint64) (hl_now_ms () - 200 * DAY_MS);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("holder%u", i);

      h[i] = hl_test_node_new (name);
      dirs[i] = h[i]->data_dir;
      set_grace (h[i]);
    }
  set_grace (joiner);
  for (guint s = 0; s < N_SUBNETS; s++)
    hl_test_fill (dirs, 4, N_EVENTS, (guint8) (s + 1), start + s * 31 * DAY_MS);
  for (guint i = 1; i < 4; i++)
    hl_test_node_add_peer (h[i], h[0]);
  hl_test_node_add_peer (joiner, h[0]);
  hl_test_node_add_peer (joiner, h[1]);
  for (guint i = 0; i < 4; i++)
    hl_test_node_start (h[i]);
  for (guint i = 1; i < 4; i++)
    g_assert_true (hl_test_wait_in_sync (h[i], 1, 60));
  {
    g_autofree char *out = hl_test_node_ctl (h[0], "archive", "seal", "--all", NULL);
  }
  /* The joiner starts once every holder keeps its share, so knows the
   * segments and has taken their events out of reconciliation: started
   * earlier, it could reconcile with a holder that had not yet heard of the
   * seal and receive every event (a CI run did). */
  for (guint i = 0; i < 4; i++)
    g_assert_true (hl_test_wait_for (h[i], hl_test_spread_done, HL_TEST_SPREAD (4, N_SUBNETS), 120));
  hl_test_node_start (joiner);
  for (guint i = 0; i < 4; i++)
    g_assert_true (hl_test_wait_for (h[i], hl_test_spread_done, HL_TEST_SPREAD (5, N_SUBNETS), 120));
  g_assert_true (hl_test_wait_for (joiner, hl_test_spread_done, HL_TEST_SPREAD (5, N_SUBNETS), 120));
  g_assert_cmpint (hl_test_query_int (joiner, "SELECT count(*) FROM events "
                                              "WHERE kind = 'thread.create'"), ==, 0);

  /* Holder 3 leaves for good. Once the grace has passed, every share is
   * placed over the four that are left, and kept whole. */
  hl_test_node_stop (h[3]);
  for (guint i = 0; i < 3; i++)
    g_assert_true (hl_test_wait_for (h[i], hl_test_spread_done, HL_TEST_SPREAD (4, N_SUBNETS), 120));
  g_assert_true (hl_test_wait_for (joiner, hl_test_spread_done, HL_TEST_SPREAD (4, N_SUBNETS), 120));
  {
    g_autoptr(JsonObject) st = hl_test_archive_status (joiner);

    g_assert_cmpint (json_object_get_int_member (st, "can_lose"), >=, 2);
  }

  /* Any two, serving only their stored symbols: holder 0 and the joiner. */
  hl_test_node_stop (h[0]);
  hl_test_node_stop (h[1]);
  hl_test_node_stop (h[2]);
  hl_test_node_stop (joiner);
  start_stored_only (h[0]);
  start_stored_only (joiner);
  fresh = hl_test_fresh_device ("fresh", 2, h[0], joiner);
  /* The same grace as the group's, so that it places over the same four. */
  set_grace (fresh);
  if (hl_test_restore (fresh, &last, &err) != 0)
    g_error ("restore: %s", err);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "done");
  g_assert_cmpint (json_object_get_int_member (last, "segments_done"), ==, N_SUBNETS);
  hl_test_assert_same_state (fresh, h[0]);
  for (guint i = 0; i < 4; i++)
    hl_test_node_free (h[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("HYPERLINK_ARCHIVE_INTERVAL_MS", "300", TRUE);
  g_setenv ("HYPERLINK_NO_TAILSCALE", "1", TRUE);
  g_test_add_func ("/archive-net/repair", test_repair);
  return g_test_run ();
}
