/* hl-store-discovery.c: bootstrap nodes and invites in the store.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-discovery.h"

#include "hl-error.h"
#include "hl-store-private.h"

gboolean
hl_store_bootstrap_add (HlStore     *self,
                        const char  *address,
                        gboolean    *added,
                        GError     **error)
{
  return hl_store_addresses_add (self, HL_ADDRESSES_BOOTSTRAP, address, added, error);
}

gboolean
hl_store_bootstrap_remove (HlStore     *self,
                           const char  *address,
                           gboolean    *removed,
                           GError     **error)
{
  return hl_store_addresses_remove (self, HL_ADDRESSES_BOOTSTRAP, address, removed, error);
}

GPtrArray *
hl_store_bootstrap_list (HlStore  *self,
                         GError  **error)
{
  return hl_store_addresses_list (self, HL_ADDRESSES_BOOTSTRAP, error);
}

/* ---- invites made here ---- */

void
hl_issued_invite_free (HlIssuedInvite *invite)
{
  if (invite == NULL)
    return;
  g_free (invite->id);
  g_free (invite->subnet);
  g_free (invite->link);
  g_strfreev (invite->redeemers);
  g_free (invite);
}

gboolean
hl_store_invite_issue (HlStore              *self,
                       const HlIssuedInvite *invite,
                       GError              **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "INSERT INTO invites_issued (id, created_ms, expires_ms, "
                                       "uses, subnet, link) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return FALSE;
  hl_bind_text (stmt, 1, invite->id);
  sqlite3_bind_int64 (stmt, 2, invite->created_ms);
  sqlite3_bind_int64 (stmt, 3, invite->expires_ms);
  sqlite3_bind_int64 (stmt, 4, invite->uses);
  hl_bind_text (stmt, 5, invite->subnet);
  hl_bind_text (stmt, 6, invite->link);
  /* The link is out: a friend may come with it after a power cut. */
  return hl_store_step_durable (self, stmt, error);
}

static GStrv
list_redeemers (HlStore    *self,
                const char *id,
                GError    **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  g_autoptr(GPtrArray) nodes = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT node FROM invite_redemptions WHERE invite = ?1 "
                                       "ORDER BY redeemed_ms, node", error)))
    return NULL;
  hl_bind_text (stmt, 1, id);
  if (!(nodes = hl_store_collect (self, stmt, hl_read_text_row, g_free,
                                  "Cannot read an invite's redemptions", error)))
    return NULL;
  g_ptr_array_add (nodes, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&nodes), FALSE);
}

static gpointer
read_issued (HlStmt *stmt)
{
  HlIssuedInvite *invite = g_new0 (HlIssuedInvite, 1);

  invite->id = hl_column_dup_text (stmt, 0);
  invite->created_ms = sqlite3_column_int64 (stmt, 1);
  invite->expires_ms = sqlite3_column_int64 (stmt, 2);
  invite->uses = (guint) sqlite3_column_int64 (stmt, 3);
  invite->subnet = hl_column_dup_text (stmt, 4);
  invite->link = hl_column_dup_text (stmt, 5);
  return invite;
}

static GPtrArray *
query_issued (HlStore    *self,
              const char *id,
              GError    **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT id, created_ms, expires_ms, uses, subnet, link "
                                       "FROM invites_issued WHERE ?1 IS NULL OR id = ?1 "
                                       "ORDER BY created_ms DESC, id", error)))
    return NULL;
  hl_bind_text (stmt, 1, id);
  if (!(list = hl_store_collect (self, stmt, read_issued, (GDestroyNotify) hl_issued_invite_free,
                                 "Cannot read the invites", error)))
    return NULL;
  g_clear_pointer (&stmt, hl_stmt_release);
  for (guint i = 0; i < list->len; i++)
    {
      HlIssuedInvite *invite = g_ptr_array_index (list, i);

      if (!(invite->redeemers = list_redeemers (self, invite->id, error)))
        return NULL;
    }
  return g_steal_pointer (&list);
}

/* The first of @list (consumed), or NULL. */
static gpointer
steal_first (GPtrArray *list)
{
  g_autoptr(GPtrArray) owned = list;

  if (owned == NULL || owned->len == 0)
    return NULL;
  return g_ptr_array_steal_index (owned, 0);
}

HlIssuedInvite *
hl_store_invite_get_issued (HlStore     *self,
                            const char  *id,
                            GError     **error)
{
  return steal_first (query_issued (self, id, error));
}

GPtrArray *
hl_store_invite_list_issued (HlStore  *self,
                             GError  **error)
{
  return query_issued (self, NULL, error);
}

static gboolean
redeem_in_transaction (HlStore        *self,
                       const char     *id,
                       const char     *node,
                       const char     *address,
                       HlRedeemResult *result,
                       guint          *used,
                       GError        **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  gint64 uses, spent;
  gboolean again;

  if (!(stmt = hl_store_prepare (self, "SELECT uses, (SELECT count(*) FROM invite_redemptions "
                                       "WHERE invite = ?1), (SELECT count(*) FROM "
                                       "invite_redemptions WHERE invite = ?1 AND node = ?2) "
                                       "FROM invites_issued WHERE id = ?1", error)))
    return FALSE;
  hl_bind_text (stmt, 1, id);
  hl_bind_text (stmt, 2, node);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      *result = HL_REDEEM_UNKNOWN;
      return TRUE;
    }
  uses = sqlite3_column_int64 (stmt, 0);
  spent = sqlite3_column_int64 (stmt, 1);
  again = sqlite3_column_int64 (stmt, 2) > 0;
  g_clear_pointer (&stmt, hl_stmt_release);
  *used = (guint) spent;
  if (!again && spent >= uses)
    {
      *result = HL_REDEEM_USED_UP;
      return TRUE;
    }
  if (!(stmt = hl_store_prepare (self, "INSERT INTO invite_redemptions (invite, node, address, "
                                       "redeemed_ms) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
                                       "(invite, node) DO UPDATE SET address = "
                                       "coalesce(excluded.address, address)", error)))
    return FALSE;
  hl_bind_text (stmt, 1, id);
  hl_bind_text (stmt, 2, node);
  hl_bind_text (stmt, 3, address);
  sqlite3_bind_int64 (stmt, 4, hl_now_ms ());
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  *result = again ? HL_REDEEM_AGAIN : HL_REDEEM_OK;
  *used = (guint) spent + (again ? 0 : 1);
  return TRUE;
}

gboolean
hl_store_invite_redeem (HlStore         *self,
                        const char      *id,
                        const char      *node,
                        const char      *address,
                        HlRedeemResult  *result,
                        guint           *used,
                        GError         **error)
{
  /* Counting and spending in one write transaction: two redeemers racing
   * for the last use cannot both get it. Durable: a use told spent to the
   * redeemer stays spent after a power cut. */
  if (!hl_store_begin_durable_write (self, error))
    return FALSE;
  if (!redeem_in_transaction (self, id, node, address, result, used, error) ||
      !hl_store_commit_write (self, error))
    {
      hl_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
hl_invite_peer_free (HlInvitePeer *peer)
{
  g_free (peer->node);
  g_free (peer->address);
  g_free (peer);
}

static gpointer
read_invite_peer (HlStmt *stmt)
{
  HlInvitePeer *peer = g_new0 (HlInvitePeer, 1);

  peer->node = hl_column_dup_text (stmt, 0);
  peer->address = hl_column_dup_text (stmt, 1);
  return peer;
}

GPtrArray *
hl_store_invite_list_peers (HlStore  *self,
                            GError  **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT node, address FROM invite_redemptions "
                                       "WHERE address IS NOT NULL UNION "
                                       "SELECT inviter, address FROM invites_accepted "
                                       "WHERE state = 'redeemed' AND address IS NOT NULL", error)))
    return NULL;
  return hl_store_collect (self, stmt, read_invite_peer, (GDestroyNotify) hl_invite_peer_free,
                           "Cannot read the peers known through invites", error);
}

/* ---- invites accepted here ---- */

void
hl_accepted_invite_free (HlAcceptedInvite *invite)
{
  if (invite == NULL)
    return;
  g_free (invite->id);
  g_free (invite->link);
  g_free (invite->inviter);
  g_free (invite->state);
  g_free (invite->reason);
  g_free (invite->subnet);
  g_free (invite->address);
  g_free (invite);
}

gboolean
hl_store_invite_accept (HlStore     *self,
                        const char  *id,
                        const char  *link,
                        const char  *inviter,
                        GError     **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "INSERT INTO invites_accepted (id, link, inviter, state, "
                                       "updated_ms) VALUES (?1, ?2, ?3, 'pending', ?4) "
                                       "ON CONFLICT (id) DO UPDATE SET state = 'pending', "
                                       "reason = NULL, link = excluded.link, "
                                       "inviter = excluded.inviter, updated_ms = excluded.updated_ms "
                                       "WHERE state != 'redeemed'", error)))
    return FALSE;
  hl_bind_text (stmt, 1, id);
  hl_bind_text (stmt, 2, link);
  hl_bind_text (stmt, 3, inviter);
  sqlite3_bind_int64 (stmt, 4, hl_now_ms ());
  return hl_store_step_durable (self, stmt, error);
}

static gpointer
read_accepted (HlStmt *stmt)
{
  HlAcceptedInvite *invite = g_new0 (HlAcceptedInvite, 1);

  invite->id = hl_column_dup_text (stmt, 0);
  invite->link = hl_column_dup_text (stmt, 1);
  invite->inviter = hl_column_dup_text (stmt, 2);
  invite->state = hl_column_dup_text (stmt, 3);
  invite->reason = hl_column_dup_text (stmt, 4);
  invite->subnet = hl_column_dup_text (stmt, 5);
  invite->address = hl_column_dup_text (stmt, 6);
  invite->updated_ms = sqlite3_column_int64 (stmt, 7);
  return invite;
}

static GPtrArray *
query_accepted (HlStore    *self,
                const char *id,
                const char *state,
                GError    **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT id, link, inviter, state, reason, subnet, address, "
                                       "updated_ms FROM invites_accepted WHERE (?1 IS NULL OR "
                                       "id = ?1) AND (?2 IS NULL OR state = ?2) ORDER BY updated_ms",
                                 error)))
    return NULL;
  hl_bind_text (stmt, 1, id);
  hl_bind_text (stmt, 2, state);
  return hl_store_collect (self, stmt, read_accepted, (GDestroyNotify) hl_accepted_invite_free,
                           "Cannot read the accepted invites", error);
}

HlAcceptedInvite *
hl_store_invite_get_accepted (HlStore     *self,
                              const char  *id,
                              GError     **error)
{
  return steal_first (query_accepted (self, id, NULL, error));
}

GPtrArray *
hl_store_invite_list_accepted (HlStore     *self,
                               const char  *state,
                               GError     **error)
{
  return query_accepted (self, NULL, state, error);
}

gboolean
hl_store_invite_set_accepted (HlStore     *self,
                              const char  *id,
                              const char  *state,
                              const char  *reason,
                              const char  *subnet,
                              const char  *address,
                              GError     **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "UPDATE invites_accepted SET state = coalesce(?2, state), "
                                       "reason = coalesce(?3, reason), subnet = coalesce(?4, subnet), "
                                       "address = coalesce(?5, address), updated_ms = ?6 "
                                       "WHERE id = ?1", error)))
    return FALSE;
  hl_bind_text (stmt, 1, id);
  hl_bind_text (stmt, 2, state);
  hl_bind_text (stmt, 3, reason);
  hl_bind_text (stmt, 4, subnet);
  hl_bind_text (stmt, 5, address);
  sqlite3_bind_int64 (stmt, 6, hl_now_ms ());
  /* A redeemed invite may have expired since: it could not be redeemed again. */
  return hl_store_step_durable (self, stmt, error);
}

/* ---- discovered peers that answered ---- */

void
hl_known_peer_free (HlKnownPeer *peer)
{
  g_free (peer->address);
  g_free (peer->node);
  g_free (peer->via);
  g_free (peer);
}

gboolean
hl_store_known_peer_seen (HlStore     *self,
                          const char  *address,
                          const char  *node,
                          guint        found,
                          const char  *via,
                          guint        keep,
                          GError     **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "INSERT INTO sync_known (address, node, found, via, seen_ms) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (address) DO UPDATE "
                                       "SET node = excluded.node, found = excluded.found, "
                                       "via = coalesce(excluded.via, via), seen_ms = excluded.seen_ms",
                                 error)))
    return FALSE;
  hl_bind_text (stmt, 1, address);
  hl_bind_text (stmt, 2, node);
  sqlite3_bind_int64 (stmt, 3, found);
  hl_bind_text (stmt, 4, via);
  sqlite3_bind_int64 (stmt, 5, hl_now_ms ());
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, hl_stmt_release);
  if (!(stmt = hl_store_prepare (self, "DELETE FROM sync_known WHERE address NOT IN (SELECT address "
                                       "FROM sync_known ORDER BY seen_ms DESC LIMIT ?1)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, keep);
  return hl_store_step_done (self, stmt, error);
}

static gpointer
read_known_peer (HlStmt *stmt)
{
  HlKnownPeer *peer = g_new0 (HlKnownPeer, 1);

  peer->address = hl_column_dup_text (stmt, 0);
  peer->node = hl_column_dup_text (stmt, 1);
  peer->found = (guint) sqlite3_column_int64 (stmt, 2);
  peer->via = hl_column_dup_text (stmt, 3);
  peer->seen_ms = sqlite3_column_int64 (stmt, 4);
  return peer;
}

GPtrArray *
hl_store_known_peers_list (HlStore     *self,
                           gint64       since_ms,
                           GError     **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT address, node, found, via, seen_ms FROM sync_known "
                                       "WHERE seen_ms >= ?1 ORDER BY seen_ms DESC", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_ms);
  return hl_store_collect (self, stmt, read_known_peer, (GDestroyNotify) hl_known_peer_free,
                           "Cannot read the known peers", error);
}

/* ---- admission ---- */

gboolean
hl_store_peer_set_node (HlStore     *self,
                        const char  *address,
                        const char  *node,
                        GError     **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "UPDATE sync_peers SET node = lower(?2) "
                                       "WHERE address = ?1 AND node IS NOT lower(?2)", error)))
    return FALSE;
  hl_bind_text (stmt, 1, address);
  hl_bind_text (stmt, 2, node);
  return hl_store_step_done (self, stmt, error);
}

GHashTable *
hl_store_list_trusted_keys (HlStore  *self,
                            GError  **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(HlStmt) stmt = NULL;
  int rc;

  /* A refused invite trusts nobody: its link was forged, expired or spent. */
  if (!(stmt = hl_store_prepare (self, "SELECT lower(node), 1 FROM sync_peers WHERE node IS NOT NULL "
                                       "UNION ALL SELECT lower(inviter), 2 FROM invites_accepted "
                                       "WHERE state != 'refused' "
                                       "UNION ALL SELECT lower(node), 4 FROM invite_redemptions",
                                 error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      guint bits = (guint) sqlite3_column_int (stmt, 1);

      if (key == NULL)
        continue;
      bits |= GPOINTER_TO_UINT (g_hash_table_lookup (keys, key));
      g_hash_table_replace (keys, g_strdup (key), GUINT_TO_POINTER (bits));
    }
  if (rc != SQLITE_DONE)
    {
      hl_store_fail (self, "Cannot read the trusted node keys", error);
      return NULL;
    }
  return g_steal_pointer (&keys);
}

gint64
hl_store_invite_open_until (HlStore  *self,
                            gint64    now_ms,
                            GError  **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  int rc;

  if (!(stmt = hl_store_prepare (self, "SELECT coalesce(max(expires_ms), 0) FROM invites_issued i "
                                       "WHERE expires_ms > ?1 AND uses > (SELECT count(*) FROM "
                                       "invite_redemptions r WHERE r.invite = i.id)", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      hl_store_fail (self, "Cannot read this node's open invites", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}
