/* test-archive-net.c: the archive over the network, with real hyperlinkd
 * processes on loopback: seal, spread, stop holders and restore a fresh
 * device from the survivors (same forum state); a holder serving corrupted
 * symbols (penalised, the restore still succeeds); too few holders (an
 * error naming the devices that hold the rest); SIGKILL during a restore
 * then a resumed one that finishes, integrity_check clean; a restore asked
 * of the hyperlinkd that holds the data directory; symbols nobody
 * asked for, wants beyond limits (refused, nothing stored, the sender
 * banned); a holder whose quota is cut says its symbols are gone.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>

#include "hl-identity.h"
#include "hl-node-runner.h"
#include "hl-sync-error.h"
#include "hl-paths.h"
#include "hl-store.h"
#include "hl-test-client.h"
#include "hl-test-node.h"
#include "hl-archive-net.h"

#define N_HOLDERS   4
#define N_SUBNETS   6
#define N_EVENTS    1500     /* per subnet: about 0.5 MB, K about 500 */
#define DAY_MS      G_GINT64_CONSTANT (86400000)

static HlTestNode *holders[N_HOLDERS];

/* `archive status` shows what every device said it holds (sym-held). */
static gboolean
all_reported (HlTestNode *node,
              gpointer    user_data)
{
  g_autoptr(JsonObject) st = hl_test_archive_status (node);
  JsonArray *devices = json_object_get_array_member (st, "devices");

  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      JsonObject *d = json_array_get_object_element (devices, i);

      if (json_node_is_null (json_object_get_member (d, "held_symbols")) ||
          json_object_get_int_member (d, "held_symbols") <
          json_object_get_int_member (d, "expected_symbols"))
        return FALSE;
    }
  return json_array_get_length (devices) == N_HOLDERS;
}

/* Four holders with the same events of six months (one subnet each), all
 * running; one seals everything; each keeps its share from its own events. */
static void
test_seal_and_spread (void)
{
  hl_test_seal_and_spread (holders, N_HOLDERS, N_SUBNETS, N_EVENTS);
  g_assert_true (hl_test_wait_for (holders[0], all_reported, NULL, 60));
}

/* Symbols nobody asked for are refused, stored nowhere, and cost the
 * sender; a want of too many symbols is an offence; an unknown segment
 * gets sym-none. */
static void
test_bad_input (void)
{
  HlTestNode *a = holders[0];
  g_autoptr(HlIdentity) stranger = hl_identity_new_random ();
  g_autoptr(HlTestClient) client = hl_test_client_connect (a);
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(JsonObject) none = NULL;
  gint64 before = hl_test_query_int (a, "SELECT count(*) FROM archive_symbols");
  guint8 head[44] = { 0x03 };
  static guint8 junk[256 * 1024];

  hl_test_client_handshake (client, stranger, "[\"archive-1\"]");
  hl_test_client_text (client, "{\"type\":\"sym-want\",\"req\":1,\"segment\":\""
                               "00000000000000000000000000000000"
                               "00000000000000000000000000000000\",\"sbn\":0,\"first\":0,"
                               "\"count\":16}");
  none = hl_test_client_wait_type (client, "sym-none", 10);
  g_assert_nonnull (none);
  g_assert_cmpstr (json_object_get_string_member (none, "reason"), ==, "unknown segment");
  hl_test_client_text (client, "{\"type\":\"sym-want\",\"req\":2,\"segment\":\"00\",\"sbn\":0,"
                               "\"first\":0,\"count\":100000}");
  /* A flood of 256-symbol frames for a segment nobody asked for. */
  head[41] = 1;     /* count 256 */
  g_byte_array_append (frame, head, sizeof head);
  g_byte_array_append (frame, junk, sizeof junk);
  for (guint i = 0; i < 40 && !client->closed; i++)
    hl_test_client_binary (client, frame->data, frame->len);
  g_assert_true (hl_test_spin_until (&client->closed, 20));
  g_assert_cmpuint (client->code, ==, 4006);
  g_assert_cmpint (hl_test_query_int (a, "SELECT count(*) FROM archive_symbols"), ==, before);
  g_assert_true (hl_test_node_log_has (a, "symbols nobody asked for"));
  g_assert_true (hl_test_node_log_has (a, "a malformed sym-want"));
}

/* Two of four holders stopped: a fresh device rebuilds the whole forum
 * from the other two. */
static void
test_restore_from_survivors (void)
{
  g_autoptr(HlTestNode) fresh = hl_test_fresh_device ("fresh", 2, holders[0], holders[1]);
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *err = NULL;

  hl_test_node_stop (holders[2]);
  hl_test_node_stop (holders[3]);
  g_assert_cmpint (hl_test_restore (fresh, &last, &err), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "done");
  g_assert_cmpint (json_object_get_int_member (last, "segments_done"), ==, N_SUBNETS);
  g_assert_cmpint (json_object_get_int_member (last, "events"), ==, N_SUBNETS * (N_EVENTS - 1));
  hl_test_assert_same_state (fresh, holders[0]);
  hl_test_assert_integrity (fresh);
  /* Done is done: a second run has nothing to fetch. */
  g_clear_pointer (&last, json_object_unref);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hl_test_restore (fresh, &last, &err), ==, 0);
  g_assert_cmpint (json_object_get_int_member (last, "segments"), ==, 0);
}

/* Holder 1's symbols are damaged on its disk and holder 0 is away: what 1
 * serves fails the proofs, it is penalised, and the restore takes the rest
 * from holder 2 (which builds the runs 1 should have given from its events). */
static void
test_corrupted_holder (void)
{
  g_autoptr(HlTestNode) fresh = hl_test_fresh_device ("fresh2", 2, holders[1], holders[2]);
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *err = NULL;

  hl_test_node_stop (holders[0]);
  hl_test_node_stop (holders[1]);
  hl_test_exec_sql (holders[1], "UPDATE archive_symbols SET data = zeroblob(1024)");
  hl_test_node_start (holders[1]);
  hl_test_node_start (holders[2]);
  g_assert_true (hl_test_wait_in_sync (holders[2], 1, 60));
  g_assert_cmpint (hl_test_restore (fresh, &last, &err), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "done");
  g_assert_cmpint (json_object_get_int_member (last, "bad_runs"), >, 0);
  /* Holder 2 has the fresh device's profile too (holder 0 was away). */
  hl_test_assert_same_state (fresh, holders[2]);
  hl_test_node_start (holders[0]);
}

/* A device that joins takes its share: it holds symbols, not the events.
 * With only it reachable, a restore says how many symbols are missing and
 * which devices hold them. */
static void
test_join_then_not_enough (void)
{
  g_autoptr(HlTestNode) joiner = hl_test_node_new ("joiner");
  g_autoptr(HlTestNode) fresh = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *err = NULL;
  g_autofree char *key2 = NULL;

  hl_test_node_stop (holders[1]);
  hl_test_node_stop (holders[2]);
  hl_test_node_add_peer (joiner, holders[0]);
  hl_test_node_start (joiner);
  g_assert_true (hl_test_wait_for (joiner, hl_test_spread_done, HL_TEST_SPREAD (N_HOLDERS + 1, N_SUBNETS), 120));
  g_assert_cmpint (hl_test_query_int (joiner, "SELECT count(*) FROM events WHERE kind = 'thread.create'"),
                   ==, 0);
  hl_test_node_stop (holders[0]);
  fresh = hl_test_fresh_device ("fresh3", 1, joiner);
  g_assert_cmpint (hl_test_restore (fresh, &last, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "not enough symbols reachable: "));
  g_assert_nonnull (strstr (err, "these devices hold the rest: "));
  {
    g_autofree char *path = hl_paths_identity (holders[2]->data_dir);
    g_autoptr(HlIdentity) id = hl_identity_load_or_create (path, NULL, NULL);
    g_autofree char *key = hl_identity_dup_public_hex (id);

    key2 = g_strndup (key, 16);
  }
  g_assert_nonnull (strstr (err, key2));
  hl_test_node_stop (joiner);
  hl_test_node_start (holders[0]);
}

/* A restore killed half way, then run again: it finishes from where it was. */
static void
test_killed_restore (void)
{
  g_autoptr(HlTestNode) fresh = hl_test_fresh_device ("fresh4", 2, holders[0], holders[1]);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  gboolean partial = FALSE;

  hl_test_node_start (holders[1]);
  g_assert_true (hl_test_wait_in_sync (holders[1], 1, 60));
  {
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);

    g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
    proc = g_subprocess_launcher_spawn (launcher, &error, hl_test_hyperlinkctl (), "--data-dir",
                                        fresh->data_dir, "archive", "restore", "--json", NULL);
  }
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, NULL);
      g_autoptr(JsonObject) obj = NULL;

      if (line == NULL)
        break;
      obj = hl_test_parse_object (line);
      if (json_object_get_int_member (obj, "bytes") > 0 &&
          g_strcmp0 (json_object_get_string_member (obj, "state"), "restoring") == 0)
        {
          partial = json_object_get_int_member (obj, "segments_done") < N_SUBNETS;
          g_subprocess_send_signal (proc, SIGKILL);
          break;
        }
    }
  g_subprocess_wait (proc, NULL, NULL);
  if (!partial)
    g_test_message ("the restore was not caught half way");
  hl_test_assert_integrity (fresh);
  g_assert_cmpint (hl_test_restore (fresh, &last, &err), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "done");
  hl_test_assert_same_state (fresh, holders[0]);
  hl_test_assert_integrity (fresh);
}

/* A hyperlinkd holds the fresh device's data directory: archive restore asks
 * it to restore, follows its progress, and ends when it is done. */
static void
test_restore_by_running_node (void)
{
  g_autoptr(HlTestNode) fresh = hl_test_node_new ("fresh5");
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *err = NULL;

  hl_test_node_add_peer (fresh, holders[0]);
  hl_test_node_add_peer (fresh, holders[1]);
  hl_test_node_start (fresh);
  g_assert_cmpint (hl_test_restore (fresh, &last, &err), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "done");
  g_assert_cmpint (json_object_get_int_member (last, "segments_done"), ==, N_SUBNETS);
  g_assert_true (hl_test_node_log_has (fresh, "Restoring history, as another program asked"));
  hl_test_node_stop (fresh);
  hl_test_assert_same_state (fresh, holders[0]);
  hl_test_assert_integrity (fresh);
}

typedef struct
{
  GCancellable      *cancel_at_bytes;   /* cancelled once symbols arrive */
  guint              reports;
  gboolean           done;
  GError            *error;
  HlRestoreProgress *last;
} RunnerRestore;

static void
on_runner_progress (const HlRestoreProgress *p,
                    gpointer                 user_data)
{
  RunnerRestore *rr = user_data;

  rr->reports++;
  if (rr->cancel_at_bytes != NULL && p->bytes > 0)
    g_cancellable_cancel (rr->cancel_at_bytes);
}

static void
on_runner_restored (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RunnerRestore *rr = user_data;

  rr->last = hl_node_runner_restore_finish (HL_NODE_RUNNER (object), result, &rr->error);
  rr->done = TRUE;
}

static void
runner_restore (HlNodeRunner  *runner,
                RunnerRestore *rr)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  hl_node_runner_restore_async (runner, 10, on_runner_progress, rr, rr->cancel_at_bytes,
                                on_runner_restored, rr);
  while (!rr->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (rr->done);
}

static gboolean
runner_running (HlNodeRunner *runner)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (hl_node_runner_get_state (runner) == HL_NODE_RUNNER_STARTING &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return hl_node_runner_get_state (runner) == HL_NODE_RUNNER_RUNNING;
}

/* The window's way: HlNodeRunner's restore, progress reported, cancelled
 * once symbols arrive (what came stays), then run again to the end. */
static void
test_runner_restore (void)
{
  g_autoptr(HlTestNode) fresh = hl_test_fresh_device ("fresh6", 2, holders[0], holders[1]);
  g_autoptr(HlNodeRunner) runner = hl_node_runner_new (fresh->data_dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunnerRestore first = { cancellable, 0, FALSE, NULL, NULL };
  RunnerRestore second = { NULL, 0, FALSE, NULL, NULL };
  gint64 kept;

  /* The node runs in this process, and holder 1 still serves the symbols
   * /archive-net/corrupted-holder damaged: its warnings are expected. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  hl_node_runner_set_listen (runner, NULL, 0);
  hl_node_runner_start (runner);
  g_assert_true (runner_running (runner));
  runner_restore (runner, &first);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (first.reports, >, 0);
  kept = hl_test_query_int (fresh, "SELECT count(*) FROM archive_symbols");
  g_test_message ("symbols kept after the cancel: %" G_GINT64_FORMAT, kept);
  runner_restore (runner, &second);
  g_assert_no_error (second.error);
  g_assert_true (second.last->finished);
  g_assert_cmpuint (second.last->segments_done, ==, second.last->segments);
  /* Upkeep may have decoded, meanwhile, what the cancelled one stored. */
  g_test_message ("segments left for the second restore: %u", second.last->segments);
  hl_node_runner_stop (runner);
  hl_test_assert_same_state (fresh, holders[0]);
  hl_test_assert_integrity (fresh);
  g_clear_error (&first.error);
  hl_restore_progress_free (first.last);
  hl_restore_progress_free (second.last);
}

static gboolean
same_state (HlTestNode *node,
            gpointer    user_data)
{
  g_autofree char *a = hl_test_node_state (node);
  g_autofree char *b = hl_test_node_state (user_data);

  return g_strcmp0 (a, b) == 0;
}

/* A node of the version before the archive (no archive-1) still gets every
 * event by reconciliation, contained ones too. */
static void
test_old_peer (void)
{
  g_autoptr(HlTestNode) old = hl_test_node_new ("old");

  g_assert_cmpint (hl_test_query_int (holders[0], "SELECT count(*) FROM events "
                                                  "WHERE archived IS NOT NULL"), >, 0);
  hl_test_node_add_peer (old, holders[0]);
  g_setenv ("HYPERLINK_ARCHIVE", "0", TRUE);
  hl_test_node_start (old);
  g_unsetenv ("HYPERLINK_ARCHIVE");
  g_assert_true (hl_test_wait_for (old, same_state, holders[0], 60));
  g_assert_cmpint (hl_test_query_int (old, "SELECT count(*) FROM events "
                                           "WHERE kind = 'thread.create'"), ==,
                   N_SUBNETS * (N_EVENTS - 1));
}

/* The "archive" member of @node's status row for its only peer. */
static JsonObject *
only_peer_archive (JsonNode *status)
{
  JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");

  if (peers == NULL || json_array_get_length (peers) != 1)
    return NULL;
  return json_object_get_object_member (json_array_get_object_element (peers, 0), "archive");
}

static gboolean
peer_lacks_one (HlTestNode *node,
                gpointer    user_data)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonObject *archive = only_peer_archive (status);

  return archive != NULL && json_object_get_int_member (archive, "lacking_segments") == 1;
}

static gboolean
stores_nothing (HlTestNode *node,
                gpointer    user_data)
{
  return hl_test_query_int (node, "SELECT count(*) FROM archive_symbols") == 0;
}

/* A holder whose quota is cut to nothing drops its share and says so
 * (sym-gone): its peer no longer asks it for that segment. */
static void
test_quota_cut_gone (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("gone-a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("gone-b");
  const char *dirs[] = { a->data_dir, b->data_dir };
  g_autoptr(JsonNode) before = NULL;

  hl_test_fill (dirs, 2, 300, 42, (guint64) (hl_now_ms () - 400 * DAY_MS));
  hl_test_node_add_peer (b, a);
  hl_test_node_start (a);
  hl_test_node_start (b);
  g_assert_true (hl_test_wait_in_sync (b, 1, 60));
  {
    g_autofree char *out = hl_test_node_ctl (a, "archive", "seal", "--all", NULL);
  }
  g_assert_true (hl_test_wait_for (a, hl_test_spread_done, HL_TEST_SPREAD (2, 1), 120));
  g_assert_true (hl_test_wait_for (b, hl_test_spread_done, HL_TEST_SPREAD (2, 1), 120));
  before = hl_test_node_status (b);
  g_assert_cmpint (json_object_get_int_member (only_peer_archive (before), "lacking_segments"),
                   ==, 0);
  {
    g_autofree char *out = hl_test_node_ctl (a, "config", "set", "archive-quota-mb", "0", NULL);
  }
  g_assert_true (hl_test_wait_for (a, stores_nothing, NULL, 60));
  g_assert_true (hl_test_wait_for (b, peer_lacks_one, NULL, 30));
  g_assert_true (hl_test_node_log_has (a, "no longer stores segment"));
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static void
test_cleanup (void)
{
  for (guint i = 0; i < N_HOLDERS; i++)
    g_clear_pointer (&holders[i], hl_test_node_free);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The archive's upkeep every half second instead of every minute. */
  g_setenv ("HYPERLINK_ARCHIVE_INTERVAL_MS", "300", TRUE);
  g_setenv ("HYPERLINK_NO_TAILSCALE", "1", TRUE);
  g_test_add_func ("/archive-net/seal-and-spread", test_seal_and_spread);
  g_test_add_func ("/archive-net/bad-input", test_bad_input);
  g_test_add_func ("/archive-net/restore-from-survivors", test_restore_from_survivors);
  g_test_add_func ("/archive-net/corrupted-holder", test_corrupted_holder);
  g_test_add_func ("/archive-net/join-then-not-enough", test_join_then_not_enough);
  g_test_add_func ("/archive-net/killed-restore", test_killed_restore);
  g_test_add_func ("/archive-net/restore-by-running-node", test_restore_by_running_node);
  g_test_add_func ("/archive-net/runner-restore", test_runner_restore);
  g_test_add_func ("/archive-net/old-peer", test_old_peer);
  g_test_add_func ("/archive-net/quota-cut-gone", test_quota_cut_gone);
  g_test_add_func ("/archive-net/cleanup", test_cleanup);
  return g_test_run ();
}
