/* hl-archive-net.c: what the archive's network tests share.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "hl-archive-net.h"
#include "hl-paths.h"
#include "hl-types.h"

JsonObject *
hl_test_parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

JsonObject *
hl_test_archive_status (HlTestNode *node)
{
  g_autofree char *out = hl_test_node_ctl (node, "archive", "status", "--json", NULL);

  return hl_test_parse_object (out);
}

/* Every node knows every holder and keeps all of its share of each segment. */
gboolean
hl_test_spread_done (HlTestNode *node,
                     gpointer    user_data)
{
  g_autoptr(JsonObject) st = hl_test_archive_status (node);
  gint n_holders = GPOINTER_TO_INT (user_data) & 0xff;
  gint n_segments = GPOINTER_TO_INT (user_data) >> 8;
  JsonArray *segments = json_object_get_array_member (st, "segments");

  if (json_object_get_int_member (st, "holders") != n_holders ||
      json_array_get_length (segments) != (guint) n_segments)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonObject *s = json_array_get_object_element (segments, i);

      if (json_object_get_int_member (s, "own_held") != json_object_get_int_member (s, "own_expected") ||
          json_object_get_int_member (s, "own_expected") == 0)
        return FALSE;
    }
  return TRUE;
}

void
hl_test_seal_and_spread (HlTestNode **holders,
                         guint        n_holders,
                         guint        n_subnets,
                         guint        n_events)
{
  g_autofree const char **dirs = g_new0 (const char *, n_holders);
  guint64 start = (guint64) (hl_now_ms () - 400 * G_GINT64_CONSTANT (86400000));

  for (guint i = 0; i < n_holders; i++)
    {
      g_autofree char *name = g_strdup_printf ("holder%u", i);

      holders[i] = hl_test_node_new (name);
      dirs[i] = holders[i]->data_dir;
    }
  for (guint s = 0; s < n_subnets; s++)
    hl_test_fill (dirs, n_holders, n_events, (guint8) (s + 1),
                  start + s * 31 * G_GINT64_CONSTANT (86400000));
  for (guint i = 0; i < n_holders; i++)
    for (guint j = 0; j < i; j++)
      hl_test_node_add_peer (holders[i], holders[j]);
  for (guint i = 0; i < n_holders; i++)
    hl_test_node_start (holders[i]);
  /* Every holder announced itself before the seal: placement is over all. */
  for (guint i = 0; i < n_holders; i++)
    g_assert_true (hl_test_wait_in_sync (holders[i], n_holders - 1, 60));
  g_free (hl_test_node_ctl (holders[0], "archive", "seal", "--all", NULL));
  for (guint i = 0; i < n_holders; i++)
    g_assert_true (hl_test_wait_for (holders[i], hl_test_spread_done,
                                     HL_TEST_SPREAD (n_holders, n_subnets), 120));
}

HlTestNode *
hl_test_fresh_device (const char *name,
              guint       n_peers,
              ...)
{
  HlTestNode *node = hl_test_node_new (name);
  va_list args;

  va_start (args, n_peers);
  for (guint i = 0; i < n_peers; i++)
    {
      HlTestNode *peer = va_arg (args, HlTestNode *);
      g_autofree char *out = hl_test_node_ctl (node, "peer", "add", peer->address, NULL);
    }
  va_end (args);
  return node;
}

int
hl_test_restore (HlTestNode  *node,
         JsonObject **last,
         char       **err)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int rc = hl_test_node_ctl_full (node, &out, err, "archive", "restore", "--json", "--wait", "10",
                                  NULL);
  guint n;

  /* The progress lines, one object each; a failure adds the error's object. */
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  n = g_strv_length (lines);
  while (n > 0 && !g_str_has_prefix (lines[n - 1], "{\"state\""))
    n--;
  g_assert_cmpuint (n, >, 0);
  *last = hl_test_parse_object (lines[n - 1]);
  return rc;
}

void
hl_test_assert_integrity (HlTestNode *node)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
}

/* The first lines of @a's dump that @b's lacks, for a failure's message. */
static void
print_missing (const char *name,
               const char *a,
               const char *b)
{
  g_auto(GStrv) lines = g_strsplit (a, "\n", -1);
  guint shown = 0;

  for (guint i = 0; lines[i] != NULL && shown < 5; i++)
    if (*lines[i] != '\0' && strstr (b, lines[i]) == NULL)
      {
        g_printerr ("# only on %s: %.200s\n", name, lines[i]);
        shown++;
      }
}

void
hl_test_assert_same_state (HlTestNode *a,
                           HlTestNode *b)
{
  g_autofree char *sa = hl_test_node_state (a);
  g_autofree char *sb = hl_test_node_state (b);

  if (g_strcmp0 (sa, sb) != 0)
    {
      g_autofree char *da = hl_test_node_ctl (a, "state", "--dump", NULL);
      g_autofree char *db = hl_test_node_ctl (b, "state", "--dump", NULL);

      print_missing (a->name, da, db);
      print_missing (b->name, db, da);
    }
  g_assert_cmpstr (sa, ==, sb);
}

void
hl_test_exec_sql (HlTestNode *node,
          const char *sql)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  sqlite3 *conn = NULL;

  g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
  sqlite3_busy_timeout (conn, 10000);
  g_assert_cmpint (sqlite3_exec (conn, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (conn);
}

gint64
hl_test_query_int (HlTestNode *node,
           const char *sql)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (conn, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return v;
}

