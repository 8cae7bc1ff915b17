/* test-horizon-net.c: the local history horizon with real hyperlinkd
 * processes on loopback (docs/protocol.md, "Horizon"): a device with a
 * 1-month horizon drops the sealed old months and stays in sync with
 * devices that keep everything; an edit and a delete arrive for dropped
 * posts and take effect when the month is loaded back from the peers;
 * a SIGKILL while dropping leaves an intact database and a correct forum;
 * hyperlinkctl archive load asks the hyperlinkd that runs there, one
 * month at a time;
 * every device on a 1-month horizon, a fresh device restores all of it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>

#include "hl-event.h"
#include "hl-identity.h"
#include "hl-paths.h"
#include "hl-store.h"
#include "hl-test-node.h"
#include "hl-archive-net.h"

#define N_NODES   3
#define N_EVENTS  300        /* per old subnet: one subnet.create, 299 threads */
#define DAY_MS    G_GINT64_CONSTANT (86400000)
#define OLD_THREADS (2 * (N_EVENTS - 1))

static HlTestNode *nodes[N_NODES];
static guint8 edited[HL_ID_LEN], deleted[HL_ID_LEN];
static char subnet_hex[2 * HL_ID_LEN + 1];

static gint64
old_threads (HlTestNode *node)
{
  return hl_test_query_int (node, "SELECT count(*) FROM posts p JOIN subnets s ON s.id = p.subnet "
                                  "WHERE p.kind = 1 AND s.name IN ('bench-1', 'bench-2')");
}

static void
read_id (HlTestNode *node,
         const char *sql,
         guint8     *out)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_bytes (stmt, 0), ==, HL_ID_LEN);
  memcpy (out, sqlite3_column_blob (stmt, 0), HL_ID_LEN);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
}

static gboolean
fully_spread (HlTestNode *node,
              gpointer    user_data)
{
  return hl_test_spread_done (node, user_data);
}

/* Three devices with the same two old months (400 and 200 days ago) and a
 * recent one; all sealed and spread. */
static void
test_setup (void)
{
  const char *dirs[N_NODES];
  gint64 now = hl_now_ms ();

  for (guint i = 0; i < N_NODES; i++)
    {
      g_autofree char *name = g_strdup_printf ("keeper%u", i);

      nodes[i] = hl_test_node_new (name);
      dirs[i] = nodes[i]->data_dir;
    }
  hl_test_fill (dirs, N_NODES, N_EVENTS, 1, (guint64) (now - 400 * DAY_MS));
  hl_test_fill (dirs, N_NODES, N_EVENTS, 2, (guint64) (now - 200 * DAY_MS));
  hl_test_fill (dirs, N_NODES, 50, 3, (guint64) (now - DAY_MS));
  for (guint i = 0; i < N_NODES; i++)
    for (guint j = 0; j < i; j++)
      hl_test_node_add_peer (nodes[i], nodes[j]);
  for (guint i = 0; i < N_NODES; i++)
    hl_test_node_start (nodes[i]);
  for (guint i = 0; i < N_NODES; i++)
    g_assert_true (hl_test_wait_in_sync (nodes[i], N_NODES - 1, 60));
  {
    g_autofree char *out = hl_test_node_ctl (nodes[0], "archive", "seal", "--all", NULL);
  }
  for (guint i = 0; i < N_NODES; i++)
    g_assert_true (hl_test_wait_for (nodes[i], fully_spread, HL_TEST_SPREAD (N_NODES, 3), 120));
  g_assert_cmpint (old_threads (nodes[1]), ==, OLD_THREADS);
  read_id (nodes[1], "SELECT p.id FROM posts p JOIN subnets s ON s.id = p.subnet "
                     "WHERE s.name = 'bench-1' AND p.kind = 1 ORDER BY p.created_ts LIMIT 1",
           edited);
  read_id (nodes[1], "SELECT p.id FROM posts p JOIN subnets s ON s.id = p.subnet "
                     "WHERE s.name = 'bench-1' AND p.kind = 1 ORDER BY p.created_ts DESC LIMIT 1",
           deleted);
  {
    guint8 subnet[HL_ID_LEN];
    g_autofree char *hex = NULL;

    read_id (nodes[1], "SELECT id FROM subnets WHERE name = 'bench-1'", subnet);
    hex = hl_hex_dup (subnet, HL_ID_LEN);
    g_strlcpy (subnet_hex, hex, sizeof subnet_hex);
  }
}

/* B keeps one month: the old months go, the recent one stays, and it
 * stays in sync with devices that keep everything. */
static void
test_drop_and_stay_in_sync (void)
{
  HlTestNode *b = nodes[1];
  g_autofree char *out = hl_test_node_ctl (b, "config", "set", "keep", "1m", NULL);
  g_autofree char *list = NULL, *search = NULL, *archived = NULL, *post = NULL;
  gint64 recent = hl_test_query_int (b, "SELECT count(*) FROM posts WHERE kind = 1");

  g_assert_nonnull (strstr (out, "Frees about"));
  g_assert_nonnull (strstr (out, "Dropped 598 threads"));
  g_assert_cmpint (old_threads (b), ==, 0);
  g_assert_cmpint (recent, ==, 49);
  g_assert_cmpint (hl_test_query_int (b, "SELECT count(*) FROM horizon_ranges"), ==, 2);
  g_assert_cmpint (hl_test_query_int (b, "SELECT sum(threads) FROM horizon_ranges"), ==,
                   OLD_THREADS);
  g_assert_cmpint (hl_test_query_int (b, "PRAGMA auto_vacuum"), ==, 2);
  hl_test_assert_integrity (b);
  /* The old months are not gone from view. */
  list = hl_test_node_ctl (b, "thread", "list", subnet_hex, NULL);
  g_assert_nonnull (strstr (list, "Older history: 299 threads from before"));
  archived = hl_test_node_ctl (b, "thread", "list", "--archived", subnet_hex, NULL);
  g_assert_nonnull (strstr (archived, "299 threads"));
  search = hl_test_node_ctl (b, "search", "Thread", NULL);
  g_assert_nonnull (strstr (search, "Not searched: 2 archived months"));
  /* New posts flow both ways, and both count as in sync. */
  post = hl_test_node_post (nodes[0], "after the horizon");
  g_assert_true (hl_test_wait_has (b, post, 30));
  g_assert_true (hl_test_wait_in_sync (b, N_NODES - 1, 60));
  g_assert_true (hl_test_wait_in_sync (nodes[0], N_NODES - 1, 60));
  /* Reconciliation does not bring the dropped events back. */
  g_assert_cmpint (old_threads (b), ==, 0);
}

static void
apply_to (HlTestNode *node,
          HlEvent    *event)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = hl_store_open (db, &error);

  g_assert_no_error (error);
  hl_store_set_signal_changes (store, TRUE);
  hl_store_apply_verified (store, &event, 1, NULL, &error);
  g_assert_no_error (error);
}

static HlEvent *
forge (const char   *kind,
       const guint8 *target,
       const char   *body)
{
  g_autoptr(HlIdentity) author = NULL;
  guint8 seed[32];
  HlTimestamp ts = { (guint64) hl_now_ms (), 0 };
  HlEvent *event;

  memset (seed, 1, sizeof seed);
  author = hl_identity_new_from_seed (seed);
  event = hl_event_new (kind, hl_identity_get_public_key (author), &ts, target, body);
  hl_event_sign (event, author);
  return event;
}

static gint64
current_gen (HlTestNode *node)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce(max(gen), 0) FROM archive_segments "
                                          "WHERE state = 1 AND subnet = X'%s'", subnet_hex);

  return hl_test_query_int (node, sql);
}

static gboolean
resealed (HlTestNode *node,
          gpointer    user_data)
{
  return current_gen (node) >= 2 && hl_test_spread_done (node, user_data);
}

/* An edit and a delete arrive for posts B dropped: it keeps them, and
 * when it loads the month back from its peers the post is edited and the
 * deleted one is gone. */
static void
test_edit_delete_then_load (void)
{
  HlTestNode *a = nodes[0], *b = nodes[1];
  g_autoptr(HlEvent) edit = forge (HL_KIND_EDIT, edited, "{\"title\":\"Edited after the horizon\"}");
  g_autoptr(HlEvent) del = forge (HL_KIND_DELETE, deleted, "{}");
  g_autofree char *edit_hex = hl_hex_dup (edit->id, HL_ID_LEN);
  g_autofree char *del_hex = hl_hex_dup (del->id, HL_ID_LEN);
  g_autofree char *gone_hex = hl_hex_dup (deleted, HL_ID_LEN);
  g_autofree char *json = NULL, *out = NULL, *sql = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *months;
  const char *segment;

  apply_to (a, edit);
  apply_to (a, del);
  g_assert_true (hl_test_wait_has (b, edit_hex, 30));
  g_assert_true (hl_test_wait_has (b, del_hex, 30));
  g_assert_cmpint (old_threads (b), ==, 0);
  /* A holds every event of the month: it reseals it without the deleted
   * post; B takes its share of the new generation as symbols. */
  {
    g_autofree char *seal = hl_test_node_ctl (a, "archive", "seal", NULL);
  }
  g_assert_true (hl_test_wait_for (b, resealed, HL_TEST_SPREAD (N_NODES, 3), 120));
  json = hl_test_node_ctl (b, "thread", "list", "--archived", "--json", subnet_hex, NULL);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  months = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (months), ==, 1);
  segment = json_object_get_string_member (json_array_get_object_element (months, 0), "segment");
  hl_test_node_stop (b);
  /* The load runs a node of its own, which dials the stored peers. */
  for (guint i = 0; i < N_NODES; i++)
    if (i != 1)
      {
        g_autofree char *added = hl_test_node_ctl (b, "peer", "add", nodes[i]->address, NULL);
      }
  out = hl_test_node_ctl (b, "archive", "load", segment, "--wait", "10", NULL);
  g_assert_nonnull (strstr (out, "Restored 1 segments"));
  hl_test_assert_integrity (b);
  g_assert_cmpint (hl_test_query_int (b, "SELECT count(*) FROM posts "
                                         "WHERE title = 'Edited after the horizon'"), ==, 1);
  sql = g_strdup_printf ("SELECT count(*) FROM posts WHERE hex(id) = upper('%s')", gone_hex);
  g_assert_cmpint (hl_test_query_int (b, sql), ==, 0);
  g_assert_cmpint (old_threads (b), ==, N_EVENTS - 2);
  /* Loaded back: kept a while, not dropped at the next pass. */
  g_assert_cmpint (hl_test_query_int (b, "SELECT count(*) FROM horizon_ranges "
                                         "WHERE loaded_ms IS NOT NULL"), ==, 1);
  hl_test_node_start (b);
  g_assert_true (hl_test_wait_in_sync (b, N_NODES - 1, 60));
}

static gboolean
opened_db (GSubprocess *process)
{
  g_autofree char *dir = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (process));
  g_autoptr(GDir) fds = g_dir_open (dir, 0, NULL);
  const char *name;

  while (fds != NULL && (name = g_dir_read_name (fds)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_suffix (target, "hyperlink.db"))
        return TRUE;
    }
  return FALSE;
}

/* hyperlinkctl killed while it drops C's old months: the database is
 * intact and the forum either has them all or none; done again, it ends
 * with none and the index in step. */
static void
test_kill_while_dropping (void)
{
  HlTestNode *c = nodes[2];
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) ctl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                                 hl_test_hyperlinkctl (), "--data-dir",
                                                 c->data_dir, "config", "set", "keep", "1m",
                                                 NULL);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC, threads;
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  while (!opened_db (ctl) && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_subprocess_send_signal (ctl, SIGKILL);
  g_subprocess_wait (ctl, NULL, NULL);
  hl_test_assert_integrity (c);
  threads = old_threads (c);
  /* The edited thread stays: its edit is of this month, not sealed yet. */
  g_assert_true (threads == 1 || threads == OLD_THREADS - 1);
  g_assert_cmpint (hl_test_query_int (c, "SELECT count(*) FROM posts_fts"), ==,
                   hl_test_query_int (c, "SELECT count(*) FROM posts"));
  out = hl_test_node_ctl (c, "config", "set", "keep", "1m", NULL);
  g_assert_cmpint (old_threads (c), ==, 1);
  hl_test_assert_integrity (c);
  g_assert_cmpint (hl_test_query_int (c, "SELECT count(*) FROM posts_fts"), ==,
                   hl_test_query_int (c, "SELECT count(*) FROM posts"));
}

/* hyperlinkctl archive load while C's hyperlinkd runs: the running node
 * is asked (the request names the segment), loads the month from its
 * peers, and says so through its status file. */
static void
test_load_by_running_node (void)
{
  HlTestNode *c = nodes[2];
  g_autofree char *json = NULL, *out = NULL, *again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *months;
  const char *segment;

  g_assert_cmpint (old_threads (c), ==, 1);
  g_assert_true (hl_test_wait_in_sync (c, N_NODES - 1, 60));
  json = hl_test_node_ctl (c, "thread", "list", "--archived", "--json", subnet_hex, NULL);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  months = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (months), ==, 1);
  segment = json_object_get_string_member (json_array_get_object_element (months, 0), "segment");
  out = hl_test_node_ctl (c, "archive", "load", segment, "--wait", "10", NULL);
  g_assert_nonnull (strstr (out, "Asked the running node"));
  g_assert_nonnull (strstr (out, "Restored 1 segments"));
  g_assert_cmpint (old_threads (c), ==, N_EVENTS - 2);
  hl_test_assert_integrity (c);
  /* Dropped again for the next test, as if its cache time were over (only
   * the loaded range: a dropped one stays dropped). */
  hl_test_exec_sql (c, "UPDATE horizon_ranges SET loaded_ms = 1 WHERE loaded_ms IS NOT NULL");
  again = hl_test_node_ctl (c, "config", "set", "keep", "1m", NULL);
  g_assert_cmpint (old_threads (c), ==, 1);
  g_assert_cmpint (hl_test_query_int (c, "SELECT count(*) FROM horizon_ranges "
                                         "WHERE loaded_ms IS NULL"), ==, 2);
}

static gint64
threads_of (HlTestNode *node,
            const char *subnet_name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM posts p JOIN subnets s "
                                          "ON s.id = p.subnet WHERE p.kind = 1 AND "
                                          "s.name = '%s'", subnet_name);

  return hl_test_query_int (node, sql);
}

/* The months of @subnet_name's range on @node still dropped (@loaded
 * FALSE) or loaded back (TRUE). */
static gint64
ranges_of (HlTestNode *node,
           const char *subnet_name,
           gboolean    loaded)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM horizon_ranges r JOIN subnets s "
                                          "ON s.id = r.subnet WHERE s.name = '%s' AND "
                                          "r.loaded_ms IS %s", subnet_name,
                                          loaded ? "NOT NULL" : "NULL");

  return hl_test_query_int (node, sql);
}

/* The segment of the one month of @subnet_name that @node dropped, as
 * hyperlinkctl thread list --archived names it. */
static char *
dropped_segment (HlTestNode *node,
                 const char *subnet_name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM subnets WHERE name = '%s'",
                                          subnet_name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *hex = NULL, *json = NULL;
  guint8 subnet[HL_ID_LEN];
  JsonArray *months;
  char *segment = NULL;

  read_id (node, sql, subnet);
  hex = hl_hex_dup (subnet, HL_ID_LEN);
  json = hl_test_node_ctl (node, "thread", "list", "--archived", "--json", hex, NULL);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  months = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (months); i++)
    {
      JsonObject *month = json_array_get_object_element (months, i);

      if (json_object_get_boolean_member (month, "dropped_here"))
        {
          g_assert_null (segment);
          segment = g_strdup (json_object_get_string_member (month, "segment"));
        }
    }
  g_assert_nonnull (segment);
  return segment;
}

/* C dropped both old months (one of bench-1, one of bench-2): its
 * hyperlinkd loads one month at a time, and each load brings back that
 * month's threads only, its range marked loaded and the other's still
 * dropped; then the next month. */
static void
test_load_month_by_month (void)
{
  HlTestNode *c = nodes[2];
  g_autofree char *first = dropped_segment (c, "bench-2");
  g_autofree char *second = dropped_segment (c, "bench-1");
  g_autofree char *out = NULL, *again = NULL, *list = NULL;
  gint64 all = hl_test_query_int (c, "SELECT count(*) FROM posts WHERE kind = 1");

  g_assert_cmpint (threads_of (c, "bench-1"), ==, 1);
  g_assert_cmpint (threads_of (c, "bench-2"), ==, 0);
  g_assert_cmpint (ranges_of (c, "bench-1", FALSE), ==, 1);
  g_assert_cmpint (ranges_of (c, "bench-2", FALSE), ==, 1);
  g_assert_true (hl_test_wait_in_sync (c, N_NODES - 1, 60));

  /* bench-2's month (200 days ago): its 299 threads, nothing of bench-1. */
  out = hl_test_node_ctl (c, "archive", "load", first, "--wait", "10", NULL);
  g_assert_nonnull (strstr (out, "Asked the running node"));
  g_assert_nonnull (strstr (out, "Restored 1 segments"));
  g_assert_cmpint (threads_of (c, "bench-2"), ==, N_EVENTS - 1);
  g_assert_cmpint (threads_of (c, "bench-1"), ==, 1);
  g_assert_cmpint (hl_test_query_int (c, "SELECT count(*) FROM posts WHERE kind = 1"), ==,
                   all + N_EVENTS - 1);
  g_assert_cmpint (ranges_of (c, "bench-2", TRUE), ==, 1);
  g_assert_cmpint (ranges_of (c, "bench-2", FALSE), ==, 0);
  g_assert_cmpint (ranges_of (c, "bench-1", FALSE), ==, 1);
  g_assert_cmpint (ranges_of (c, "bench-1", TRUE), ==, 0);
  list = hl_test_node_ctl (c, "thread", "list", subnet_hex, NULL);
  g_assert_nonnull (strstr (list, "Older history: "));
  hl_test_assert_integrity (c);

  /* Then bench-1's (400 days ago): the deleted thread stays gone. */
  g_clear_pointer (&out, g_free);
  out = hl_test_node_ctl (c, "archive", "load", second, "--wait", "10", NULL);
  /* The node loaded bench-1's month in the test before and it was dropped
   * again since: it loads it again (it once said "Nothing to restore"). */
  g_assert_nonnull (strstr (out, "Restored 1 segments"));
  g_assert_cmpint (threads_of (c, "bench-1"), ==, N_EVENTS - 2);
  g_assert_cmpint (threads_of (c, "bench-2"), ==, N_EVENTS - 1);
  g_assert_cmpint (ranges_of (c, "bench-1", TRUE), ==, 1);
  g_assert_cmpint (hl_test_query_int (c, "SELECT count(*) FROM horizon_ranges "
                                         "WHERE loaded_ms IS NULL"), ==, 0);
  g_clear_pointer (&list, g_free);
  list = hl_test_node_ctl (c, "thread", "list", subnet_hex, NULL);
  g_assert_null (strstr (list, "Older history: "));
  hl_test_assert_integrity (c);

  /* Dropped again for the next test, as if its cache time were over. */
  hl_test_exec_sql (c, "UPDATE horizon_ranges SET loaded_ms = 1 WHERE loaded_ms IS NOT NULL");
  again = hl_test_node_ctl (c, "config", "set", "keep", "1m", NULL);
  g_assert_cmpint (old_threads (c), ==, 1);
  g_assert_cmpint (hl_test_query_int (c, "SELECT count(*) FROM horizon_ranges "
                                         "WHERE loaded_ms IS NULL"), ==, 2);
}

/* A load that cannot finish: C's peers are down and it holds none of the
 * month's symbols. It fails with the reason, and nothing of the month is
 * applied: the same posts and events, the range still dropped. With the
 * peers back the month comes back: by the same load, or already by the
 * repair that C's lost share starts (the holders reseal it, and C then
 * takes the month's events as it takes a new generation's), whichever
 * comes first. Last: the others need C's share as it was. */
static void
test_load_fails_then_retries (void)
{
  HlTestNode *c = nodes[2];
  g_autofree char *segment = dropped_segment (c, "bench-2");
  g_autofree char *out = NULL, *err = NULL;
  gint64 posts = hl_test_query_int (c, "SELECT count(*) FROM posts");
  gint64 events = hl_test_query_int (c, "SELECT count(*) FROM events");
  int rc;

  hl_test_node_stop (nodes[0]);
  hl_test_node_stop (nodes[1]);
  hl_test_exec_sql (c, "DELETE FROM archive_symbols WHERE key >> 32 IN (SELECT a.rowid FROM "
                       "archive_segments a JOIN subnets s ON s.id = a.subnet "
                       "WHERE s.name = 'bench-2')");
  rc = hl_test_node_ctl_full (c, &out, &err, "archive", "load", segment, "--wait", "2", NULL);
  g_test_message ("failed load: %s%s", out, err);
  g_assert_cmpint (rc, !=, 0);
  g_assert_nonnull (strstr (err, "Restore: not enough symbols reachable"));
  g_assert_nonnull (strstr (err, "these devices hold the rest: "));
  g_assert_null (strstr (out, "Restored 1 segments"));
  g_assert_cmpint (hl_test_query_int (c, "SELECT count(*) FROM posts"), ==, posts);
  g_assert_cmpint (hl_test_query_int (c, "SELECT count(*) FROM events"), ==, events);
  g_assert_cmpint (threads_of (c, "bench-2"), ==, 0);
  g_assert_cmpint (ranges_of (c, "bench-2", FALSE), ==, 1);
  g_assert_cmpint (ranges_of (c, "bench-2", TRUE), ==, 0);
  hl_test_assert_integrity (c);

  hl_test_node_start (nodes[0]);
  hl_test_node_start (nodes[1]);
  for (guint i = 0; i < N_NODES; i++)
    g_assert_true (hl_test_wait_in_sync (nodes[i], N_NODES - 1, 60));
  g_clear_pointer (&out, g_free);
  out = hl_test_node_ctl (c, "archive", "load", segment, "--wait", "10", NULL);
  g_test_message ("retried load: %s", out);
  g_assert_true (strstr (out, "Restored 1 segments") != NULL ||
                 strstr (out, "Nothing to restore") != NULL);
  g_assert_cmpint (threads_of (c, "bench-2"), ==, N_EVENTS - 1);
  g_assert_cmpint (ranges_of (c, "bench-2", FALSE), ==, 0);
  hl_test_assert_integrity (c);
}

/* Every device keeps one month; a fresh device restores all of it. */
static void
test_all_short_then_restore (void)
{
  g_autofree char *out = hl_test_node_ctl (nodes[0], "config", "set", "keep", "1m", NULL);
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *err = NULL;
  HlTestNode *fresh;

  g_assert_cmpint (old_threads (nodes[0]), ==, 1);
  /* B loaded one month back and keeps it as a cache: drop it again. */
  hl_test_exec_sql (nodes[1], "UPDATE horizon_ranges SET loaded_ms = 1 "
                              "WHERE loaded_ms IS NOT NULL");
  {
    g_autofree char *again = hl_test_node_ctl (nodes[1], "config", "set", "keep", "1m", NULL);
  }
  for (guint i = 0; i < N_NODES; i++)
    g_assert_cmpint (old_threads (nodes[i]), ==, 1);
  fresh = hl_test_fresh_device ("fresh", N_NODES, nodes[0], nodes[1], nodes[2]);
  g_assert_cmpint (hl_test_restore (fresh, &last, &err), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "done");
  g_assert_cmpint (old_threads (fresh), ==, OLD_THREADS - 1);
  g_assert_cmpint (hl_test_query_int (fresh, "SELECT count(*) FROM posts "
                                             "WHERE title = 'Edited after the horizon'"), ==, 1);
  hl_test_assert_integrity (fresh);
  hl_test_node_free (fresh);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("HYPERLINK_ARCHIVE_INTERVAL_MS", "300", TRUE);
  g_setenv ("HYPERLINK_NO_TAILSCALE", "1", TRUE);
  g_test_add_func ("/horizon/setup", test_setup);
  g_test_add_func ("/horizon/drop-and-stay-in-sync", test_drop_and_stay_in_sync);
  g_test_add_func ("/horizon/edit-delete-then-load", test_edit_delete_then_load);
  g_test_add_func ("/horizon/kill-while-dropping", test_kill_while_dropping);
  g_test_add_func ("/horizon/load-by-running-node", test_load_by_running_node);
  g_test_add_func ("/horizon/load-month-by-month", test_load_month_by_month);
  g_test_add_func ("/horizon/all-short-then-restore", test_all_short_then_restore);
  g_test_add_func ("/horizon/load-fails-then-retries", test_load_fails_then_retries);
  rc = g_test_run ();
  for (guint i = 0; i < N_NODES; i++)
    g_clear_pointer (&nodes[i], hl_test_node_free);
  return rc;
}
