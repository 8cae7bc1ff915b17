/* hl-store-moderation.c: who may hide posts in a subnet, and what is hidden.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-error.h"
#include "hl-store-private.h"

static gboolean
subnet_owner (HlStore      *self,
              const guint8 *subnet,
              guint8       *owner)
{
  /* An erased subnet has no owner: a device that only ever saw its
   * tombstone cannot know one either, and both must agree. */
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT author FROM events WHERE id = ?1 "
                                                   "AND kind = '" HL_KIND_SUBNET_CREATE "' "
                                                   "AND raw IS NOT NULL", NULL);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW && hl_column_id (stmt, 0, owner);
}

gboolean
hl_store_is_moderator (HlStore      *self,
                       const guint8 *subnet,
                       const guint8 *key)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT 1 FROM moderators WHERE subnet = ?1 "
                                                   "AND key = ?2", NULL);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  hl_bind_blob (stmt, 2, key, HL_KEY_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
may_moderate (HlStore      *self,
              const guint8 *subnet,
              const guint8 *key)
{
  guint8 owner[HL_KEY_LEN];

  if (subnet_owner (self, subnet, owner) && memcmp (owner, key, HL_KEY_LEN) == 0)
    return TRUE;
  return hl_store_is_moderator (self, subnet, key);
}

/* The latest hide event by the subnet's owner or a current moderator decides.
 * Removing a moderator therefore also undoes what they hid. */
gboolean
hl_store_compute_hidden (HlStore      *self,
                const guint8 *post,
                const guint8 *subnet,
                gboolean     *hidden,
                GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  guint8 author[HL_KEY_LEN];

  *hidden = FALSE;
  if (subnet == NULL)
    return TRUE;
  if (!(stmt = hl_store_prepare (self, "SELECT author, raw, sig FROM events WHERE ref = ?1 "
                                       "AND kind = '" HL_KIND_HIDE "' "
                                       "ORDER BY ts DESC, ctr DESC, id DESC", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, post, HL_ID_LEN);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(HlEvent) hide = NULL;
      g_autoptr(JsonObject) fields = NULL;

      if (!hl_column_id (stmt, 0, author) || !may_moderate (self, subnet, author))
        continue;
      hide = hl_event_decode (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                              sqlite3_column_blob (stmt, 2), error);
      if (hide == NULL)
        return FALSE;
      fields = hl_event_parse_body (hide);
      *hidden = fields != NULL && json_object_get_boolean_member_with_default (fields, "hidden",
                                                                               FALSE);
      break;
    }
  return TRUE;
}

static gboolean
read_moderator_keys (HlStore      *self,
                     const char   *sql,
                     const guint8 *subnet,
                     const guint8 *owner,
                     GHashTable   *keys,
                     GError      **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  if (owner != NULL)
    hl_bind_blob (stmt, 2, owner, HL_KEY_LEN);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *key = NULL;

      if (owner == NULL)
        {
          key = hl_hex_dup (sqlite3_column_blob (stmt, 0), HL_KEY_LEN);
          g_hash_table_add (keys, g_steal_pointer (&key));
          continue;
        }
      {
        g_autoptr(HlEvent) event = hl_event_decode (sqlite3_column_blob (stmt, 0),
                                                    sqlite3_column_bytes (stmt, 0),
                                                    sqlite3_column_blob (stmt, 1), error);
        g_autoptr(JsonObject) fields = NULL;

        if (event == NULL)
          return FALSE;
        fields = hl_event_parse_body (event);
        key = g_ascii_strdown (json_object_get_string_member (fields, "key"), -1);
        if (strcmp (event->kind, HL_KIND_MODERATOR_ADD) == 0)
          g_hash_table_add (keys, g_steal_pointer (&key));
        else
          g_hash_table_remove (keys, key);
      }
    }
  return TRUE;
}

static gboolean
same_key_sets (GHashTable *a,
               GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (b, key))
      return FALSE;
  return TRUE;
}

/* The moderators are the keys whose latest add/remove by the owner is an add. */
gboolean
hl_store_rebuild_moderators (HlStore      *self,
                    const guint8 *subnet,
                    const guint8 *owner,
                    gboolean     *changed,
                    GError      **error)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(HlStmt) clear = NULL;
  GHashTableIter iter;
  gpointer key;

  if (!read_moderator_keys (self, "SELECT raw, sig FROM events WHERE ref = ?1 AND author = ?2 "
                                  "AND kind IN ('" HL_KIND_MODERATOR_ADD "', '"
                                  HL_KIND_MODERATOR_REMOVE "') ORDER BY ts, ctr, id",
                            subnet, owner, wanted, error) ||
      !read_moderator_keys (self, "SELECT key FROM moderators WHERE subnet = ?1",
                            subnet, NULL, current, error))
    return FALSE;

  *changed = !same_key_sets (wanted, current);
  if (!*changed)
    return TRUE;

  if (!(clear = hl_store_prepare (self, "DELETE FROM moderators WHERE subnet = ?1", error)))
    return FALSE;
  hl_bind_blob (clear, 1, subnet, HL_ID_LEN);
  if (!hl_store_step_done (self, clear, error))
    return FALSE;

  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(HlStmt) add = hl_store_prepare (self, "INSERT INTO moderators (subnet, key) "
                                                      "VALUES (?1, ?2)", error);
      guint8 raw_key[HL_KEY_LEN];

      if (add == NULL)
        return FALSE;
      hl_hex_decode (key, raw_key, HL_KEY_LEN);
      hl_bind_blob (add, 1, subnet, HL_ID_LEN);
      hl_bind_blob (add, 2, raw_key, HL_KEY_LEN);
      if (!hl_store_step_done (self, add, error))
        return FALSE;
    }
  return TRUE;
}

