/* test-archive-cold.c: a fresh device receiving a forum whose month is old
 * enough to seal, from a peer that has not sealed it, with real hyperlinkd
 * processes on loopback. It seals nothing while it is still receiving: a
 * segment of the part it had so far would leave reconciliation and be
 * resealed later (or, against a peer's sealing of the whole, never match).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-types.h"
#include "hl-test-node.h"
#include "hl-archive-net.h"

#define N_EVENTS  6000
#define DAY_MS    G_GINT64_CONSTANT (86400000)

static gboolean
sealed_something (HlTestNode *node,
                  gpointer    user_data)
{
  return hl_test_query_int (node, "SELECT count(*) FROM archive_segments") > 0;
}

static void
test_no_seal_while_receiving (void)
{
  g_autoptr(HlTestNode) sender = hl_test_node_new ("sender");
  g_autoptr(HlTestNode) fresh = hl_test_node_new ("fresh");
  const char *dirs[] = { sender->data_dir };

  hl_test_fill (dirs, 1, N_EVENTS, 1, (guint64) (hl_now_ms () - 400 * DAY_MS));
  /* The sender never seals: the month is the fresh device's to seal. */
  g_setenv ("HYPERLINK_ARCHIVE", "0", TRUE);
  hl_test_node_start (sender);
  g_unsetenv ("HYPERLINK_ARCHIVE");
  hl_test_node_add_peer (fresh, sender);
  hl_test_node_start (fresh);
  g_assert_true (hl_test_wait_for (fresh, sealed_something, NULL, 120));
  /* Its first sealing holds every thread of the month (the subnet's
   * create is not of it): it was made once the device held them all, so
   * no second generation is needed. */
  g_assert_true (hl_test_wait_in_sync (fresh, 1, 60));
  g_assert_cmpint (hl_test_node_count (fresh), >=, N_EVENTS);
  g_assert_cmpint (hl_test_query_int (fresh, "SELECT max(gen) FROM archive_segments"), ==, 1);
  g_assert_cmpint (hl_test_query_int (fresh, "SELECT sum(count) FROM archive_segments"), ==,
                   N_EVENTS - 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("HYPERLINK_ARCHIVE_INTERVAL_MS", "200", TRUE);
  g_setenv ("HYPERLINK_NO_TAILSCALE", "1", TRUE);
  g_test_add_func ("/archive-cold/no-seal-while-receiving", test_no_seal_while_receiving);
  return g_test_run ();
}
