/* hl-store-state.c: the state digest, what two devices compare to know they
 * hold the same forum.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store.h"

#include <sodium.h>

#include "hl-store-private.h"

/* Every column of the materialised tables but local row numbers, each table
 * in primary-key order; quote() makes every value unambiguous. */
static const char * const dump_queries[] = {
  "SELECT 'subnet', quote(id), quote(owner), created_ts, quote(name), quote(description) "
  "FROM subnets ORDER BY id",
  "SELECT 'post', quote(id), kind, quote(subnet), quote(thread), quote(parent), quote(author), "
  "created_ts, created_ctr, edited_ts, quote(title), quote(body), hidden, reply_count, "
  "last_activity FROM posts ORDER BY id",
  "SELECT 'profile', quote(author), quote(name), quote(bio), ts, ctr, quote(event) "
  "FROM profiles ORDER BY author",
  "SELECT 'moderator', quote(subnet), quote(key) FROM moderators ORDER BY subnet, key",
  "SELECT 'threads', quote(subnet), live FROM subnet_threads WHERE live != 0 ORDER BY subnet",
  /* Erased events are left out: a device that only ever saw the tombstone
   * never held them, and its state must be the same. */
  "SELECT 'event', quote(id) FROM events WHERE raw IS NOT NULL ORDER BY id",
};

char *
hl_store_dump_state (HlStore  *self,
                     GError  **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (dump_queries); q++)
    {
      g_autoptr(HlStmt) stmt = hl_store_prepare (self, dump_queries[q], error);

      if (stmt == NULL)
        return NULL;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              if (c > 0)
                g_string_append_c (out, '|');
              g_string_append (out, (const char *) sqlite3_column_text (stmt, c));
            }
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
hl_store_state_hash (HlStore  *self,
                     GError  **error)
{
  g_autofree char *dump = hl_store_dump_state (self, error);
  guint8 hash[HL_ID_LEN];

  if (dump == NULL)
    return NULL;
  crypto_generichash (hash, sizeof hash, (const guint8 *) dump, strlen (dump), NULL, 0);
  return hl_hex_dup (hash, sizeof hash);
}
