/* test-archive-cold.c: a fresh device receiving a forum whose month is old
 * enough to seal, from a peer that has not sealed it, with real hyperlinkd
 * processes on loopback. It seals nothing while it is still receiving: a
 * segment of the part it had so far would leave reconciliation and be
 * resealed later (or, against a peer's sealing of the whole, never match).
 * A peer that never gets in sync holds sealing off for the cap only. While
 * events stream in, the upkeep pass itself waits (it would read every held
 * event for nothing), and a peer that streams for ever puts it off for the
 * cap only.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-identity.h"
#include "hl-types.h"
#include "hl-test-client.h"
#include "hl-test-node.h"
#include "hl-archive-net.h"

#define N_EVENTS  6000
#define DAY_MS    G_GINT64_CONSTANT (86400000)
#define HOLD_MS   6000   /* the hold-off's cap in /archive-cold/hold-off-capped (an hour) */
#define CATCH_UP_MS 4000 /* upkeep put off at most, in /archive-cold/postpone-capped (10 min) */

static gboolean
sealed_something (HlTestNode *node,
                  gpointer    user_data)
{
  return hl_test_query_int (node, "SELECT count(*) FROM archive_segments") > 0;
}

/* @n events of a month old enough to seal on @sender, started to never
 * seal (the month is the fresh device's to seal), @fresh's peer. */
static void
start_sender (HlTestNode *sender,
                 HlTestNode *fresh,
                 guint       n,
                 guint8      seed)
{
  const char *dirs[] = { sender->data_dir };

  hl_test_fill (dirs, 1, n, seed, (guint64) (hl_now_ms () - 400 * DAY_MS));
  g_setenv ("HYPERLINK_ARCHIVE", "0", TRUE);
  hl_test_node_start (sender);
  g_unsetenv ("HYPERLINK_ARCHIVE");
  hl_test_node_add_peer (fresh, sender);
}

/* Its first sealing holds every thread of the month (the subnet's create
 * is not of it): it was made once the device held them all, so no second
 * generation is needed. */
static void
assert_sealed_whole (HlTestNode *fresh)
{
  g_assert_true (hl_test_wait_in_sync (fresh, 1, 60));
  g_assert_cmpint (hl_test_node_count (fresh), >=, N_EVENTS);
  g_assert_cmpint (hl_test_query_int (fresh, "SELECT max(gen) FROM archive_segments"), ==, 1);
  g_assert_cmpint (hl_test_query_int (fresh, "SELECT sum(count) FROM archive_segments"), ==,
                   N_EVENTS - 1);
}

static void
test_no_seal_while_receiving (void)
{
  g_autoptr(HlTestNode) sender = hl_test_node_new ("sender");
  g_autoptr(HlTestNode) fresh = hl_test_node_new ("fresh");

  start_sender (sender, fresh, N_EVENTS, 1);
  hl_test_node_start (fresh);
  g_assert_true (hl_test_wait_for (fresh, sealed_something, NULL, 120));
  assert_sealed_whole (fresh);
}

/* While the forum streams in, the fresh device's upkeep (every 200 ms
 * here) waits, and runs once the stream is over: the month is sealed then,
 * whole. */
static void
test_upkeep_postponed (void)
{
  g_autoptr(HlTestNode) sender = hl_test_node_new ("sender");
  g_autoptr(HlTestNode) fresh = hl_test_node_new ("fresh");

  start_sender (sender, fresh, N_EVENTS, 3);
  hl_test_node_start (fresh);
  g_assert_true (hl_test_wait_for (fresh, sealed_something, NULL, 120));
  g_assert_true (hl_test_node_log_has (fresh, "upkeep postponed while a peer streams events "
                                              "to us"));
  g_assert_true (hl_test_node_log_has (fresh, "upkeep resumes"));
  g_assert_false (hl_test_node_log_has (fresh, "upkeep runs anyway"));
  assert_sealed_whole (fresh);
}

/* A peer that streams events for ever (here one that keeps publishing)
 * puts the upkeep off for the cap (HYPERLINK_ARCHIVE_CATCH_UP_MS, ten
 * minutes by default) only: the device then seals the old month anyway. */
static void
test_postpone_capped (void)
{
  g_autoptr(HlTestNode) sender = hl_test_node_new ("sender");
  g_autoptr(HlTestNode) fresh = hl_test_node_new ("fresh");
  g_autofree char *said = g_strdup_printf ("events have streamed in for %d s: upkeep runs "
                                           "anyway", CATCH_UP_MS / 1000);
  gint64 started, deadline, waited_ms;
  guint posts = 0;

  start_sender (sender, fresh, 300, 4);
  g_setenv ("HYPERLINK_ARCHIVE_CATCH_UP_MS", G_STRINGIFY (CATCH_UP_MS), TRUE);
  g_setenv ("HYPERLINK_ARCHIVE_SEAL_HOLD_MS", G_STRINGIFY (CATCH_UP_MS), TRUE);
  started = g_get_monotonic_time ();
  hl_test_node_start (fresh);
  g_unsetenv ("HYPERLINK_ARCHIVE_CATCH_UP_MS");
  g_unsetenv ("HYPERLINK_ARCHIVE_SEAL_HOLD_MS");
  /* Posts one after another: the fresh device never sees 2 s without
   * events (a slow post under load may let one pass through early; the
   * cap is reached once the stream holds that long). */
  deadline = started + 180 * G_USEC_PER_SEC;
  while (!(sealed_something (fresh, NULL) && hl_test_node_log_has (fresh, said)) &&
         g_get_monotonic_time () < deadline)
    {
      g_autofree char *title = g_strdup_printf ("stream %u", posts++);
      g_autofree char *id = hl_test_node_post (sender, title);

      g_assert_nonnull (id);
    }
  waited_ms = (g_get_monotonic_time () - started) / 1000;
  g_test_message ("sealed and capped %" G_GINT64_FORMAT " ms after start, %u posts", waited_ms,
                  posts);
  g_assert_true (sealed_something (fresh, NULL));
  g_assert_cmpint (waited_ms, >=, CATCH_UP_MS);
  g_assert_true (hl_test_node_log_has (fresh, said));
  g_assert_cmpint (hl_test_query_int (fresh, "SELECT sum(count) FROM archive_segments"), ==, 299);
}

/* The only peer's row in @node's status is connected and not in sync. */
static gboolean
only_peer_syncing (HlTestNode *node,
                   gpointer    user_data)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");
  JsonObject *peer;

  if (peers == NULL || json_array_get_length (peers) != 1)
    return FALSE;
  peer = json_array_get_object_element (peers, 0);
  return json_object_get_boolean_member (peer, "connected") &&
         g_strcmp0 (json_object_get_string_member (peer, "state"), "in sync") != 0;
}

/* Until @done (or @timeout_s) the client stays a live peer that never
 * gets in sync: it reads what comes, answers nothing but pings, and pings
 * so that the node does not drop it as silent. */
static gboolean
live_until (HlTestClient *client,
            HlTestNode   *node,
            gboolean    (*done) (HlTestNode *node,
                                 gpointer    user_data),
            guint         timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gint64 pinged = 0;

  while (!client->closed && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (g_get_monotonic_time () - pinged > G_USEC_PER_SEC)
        {
          hl_test_client_text (client, "{\"type\":\"ping\"}");
          pinged = g_get_monotonic_time ();
        }
      if (done (node, NULL))
        return TRUE;
      g_usleep (100 * 1000);
    }
  return !client->closed && done (node, NULL);
}

/* A peer that stays connected and never gets in sync (a hostile one that
 * never reconciles, here) holds sealing off for the cap
 * (HYPERLINK_ARCHIVE_SEAL_HOLD_MS, an hour by default), then the device
 * seals what it has anyway: not for ever. */
static void
test_hold_off_capped (void)
{
  g_autoptr(HlTestNode) node = hl_test_node_new ("capped");
  g_autoptr(HlIdentity) stranger = hl_identity_new_random ();
  g_autoptr(HlTestClient) client = NULL;
  const char *dirs[] = { node->data_dir };
  g_autofree char *said = g_strdup_printf ("a peer has not got in sync within %d s: sealing "
                                           "anyway", HOLD_MS / 1000);
  gint64 connected_at;
  gint64 waited_ms;

  g_setenv ("HYPERLINK_ARCHIVE_SEAL_HOLD_MS", G_STRINGIFY (HOLD_MS), TRUE);
  hl_test_node_start (node);
  g_unsetenv ("HYPERLINK_ARCHIVE_SEAL_HOLD_MS");
  connected_at = g_get_monotonic_time ();
  client = hl_test_client_connect (node);
  g_assert_nonnull (client);
  hl_test_client_handshake (client, stranger, "[\"archive-1\"]");
  g_assert_true (live_until (client, node, only_peer_syncing, 60));
  /* A month old enough to seal, written while the peer is connected (by
   * another process, as hyperlinkctl writes). */
  hl_test_fill (dirs, 1, 300, 2, (guint64) (hl_now_ms () - 400 * DAY_MS));
  g_assert_true (live_until (client, node, sealed_something, 120));
  waited_ms = (g_get_monotonic_time () - connected_at) / 1000;
  g_test_message ("sealed %" G_GINT64_FORMAT " ms after the peer connected", waited_ms);
  /* Without the hold-off the upkeep (every 200 ms) seals within a pass. */
  g_assert_cmpint (waited_ms, >=, HOLD_MS);
  g_assert_true (hl_test_node_log_has (node, said));
  g_assert_true (only_peer_syncing (node, NULL));
  g_assert_cmpint (hl_test_query_int (node, "SELECT sum(count) FROM archive_segments"), ==, 299);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("HYPERLINK_ARCHIVE_INTERVAL_MS", "200", TRUE);
  g_setenv ("HYPERLINK_NO_TAILSCALE", "1", TRUE);
  g_test_add_func ("/archive-cold/no-seal-while-receiving", test_no_seal_while_receiving);
  g_test_add_func ("/archive-cold/hold-off-capped", test_hold_off_capped);
  g_test_add_func ("/archive-cold/upkeep-postponed", test_upkeep_postponed);
  g_test_add_func ("/archive-cold/postpone-capped", test_postpone_capped);
  return g_test_run ();
}
