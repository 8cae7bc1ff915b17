/* hl-node-invite.c: redeeming invites, on both ends of a connection
 * (docs/protocol.md, "Invites").
 *
 * The accepting node finds invites stored as pending (by `hyperlinkctl
 * invite accept` or the window), dials the inviter's addresses, checks that
 * the node reached holds the key the link names, and sends the token. The
 * inviting node checks the token against its own key and store, spends a
 * use, and from then on keeps the redeemer as a peer and admits it. A
 * redeemer that nothing else admits is on probation until then
 * (hl-node-admission.c): its redeem is all the inviter takes from it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"
#include "hl-store-privnet.h"

#include "hl-invite.h"
#include "hl-json.h"
#include "hl-store-discovery.h"
#include "hl-sync-wire.h"

#define MAX_REASON 512

typedef struct
{
  HlInvite   *invite;
  GHashTable *wrong;          /* addresses that led to another node */
  char       *problem;        /* last one written to the store */
  guint64     redeem_peer;    /* connection a redeem was sent on, or 0 */
} HlPendingInvite;

static void mark_wrong (HlNode          *self,
                        HlPendingInvite *pending,
                        const char      *target_address,
                        const char      *key);

static void
pending_free (HlPendingInvite *pending)
{
  hl_invite_free (pending->invite);
  g_hash_table_unref (pending->wrong);
  g_free (pending->problem);
  g_free (pending);
}

static void
settle (HlNode          *self,
        HlPendingInvite *pending,
        const char      *state,
        const char      *reason,
        const char      *subnet,
        const char      *address)
{
  g_autoptr(GError) error = NULL;

  if (!hl_store_invite_set_accepted (self->store, pending->invite->id_hex, state, reason, subnet,
                                     address, &error))
    g_warning ("Cannot record the outcome of invite %s: %s", pending->invite->id_hex, error->message);
  g_hash_table_remove (self->invites, pending->invite->id_hex);
}

static void
refuse_here (HlNode          *self,
             HlPendingInvite *pending,
             const char      *reason)
{
  g_message ("Invite %.8s… refused: %s", pending->invite->id_hex, reason);
  for (guint i = 0; pending->invite->addresses[i] != NULL; i++)
    hl_node_withdraw_peer (self, pending->invite->addresses[i], HL_PEER_FOUND_INVITE);
  settle (self, pending, "refused", reason, NULL, NULL);
}

/* ---- the accepting side ---- */

static void
send_redeem (HlNode          *self,
             HlPendingInvite *pending,
             HlPeer          *peer)
{
  g_autoptr(JsonBuilder) b = NULL;

  if (!(peer->caps & HL_CAP_INVITE))
    {
      refuse_here (self, pending, "the inviter's node runs a Hyperlink too old to take invites; "
                                  "ask them to update it");
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "redeem");
  json_builder_set_member_name (b, "invite");
  json_builder_add_value (b, hl_invite_token_to_json (pending->invite));
  hl_node_add_reach (self, peer, b);
  json_builder_end_object (b);
  hl_peer_send_json (peer, b);
  pending->redeem_peer = peer->id;
  g_message ("Redeeming invite %.8s… with node %.16s… at %s", pending->invite->id_hex,
             peer->their_key_hex, hl_peer_label (peer));
}

static void
start_pending (HlNode           *self,
               HlAcceptedInvite *accepted)
{
  g_autoptr(GError) error = NULL;
  HlPendingInvite *pending;
  HlInvite *invite = hl_invite_parse (accepted->link, &error);
  g_autofree char *id = g_strdup (accepted->id);
  HlPeer *peer;

  if (invite == NULL)
    {
      hl_store_invite_set_accepted (self->store, accepted->id, "refused", error->message, NULL,
                                    NULL, NULL);
      return;
    }
  pending = g_new0 (HlPendingInvite, 1);
  pending->invite = invite;
  pending->wrong = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (self->invites, g_strdup (invite->id_hex), pending);
  g_message ("Accepting invite %.8s… from node %.16s…", invite->id_hex, invite->node_hex);

  for (guint i = 0; invite->addresses[i] != NULL; i++)
    {
      HlPeerHints hints = { .via = invite->node_hex, .key_hex = invite->node_hex };
      HlTarget *target = hl_node_find_target (self, invite->addresses[i]);

      /* Already connected there: that node is the inviter or it is not. */
      if (target != NULL && target->peer != NULL && target->peer->their_key_hex != NULL &&
          g_ascii_strcasecmp (target->peer->their_key_hex, invite->node_hex) != 0)
        {
          g_autofree char *key = g_strdup (target->peer->their_key_hex);

          mark_wrong (self, pending, invite->addresses[i], key);
          if (!g_hash_table_contains (self->invites, id))
            return;   /* refused: @invite is gone */
          continue;
        }
      if (!hl_node_offer_peer (self, invite->addresses[i], HL_PEER_FOUND_INVITE, &hints, NULL) ||
          !(target = hl_node_find_target (self, invite->addresses[i])))
        continue;
      g_free (target->invite_id);
      target->invite_id = g_strdup (invite->id_hex);
    }
  /* The inviter's bootstrap nodes become ours: through them we find it
   * now, and others later. */
  for (guint i = 0; invite->bootstrap[i] != NULL; i++)
    if (!hl_store_bootstrap_add (self->store, invite->bootstrap[i], NULL, &error))
      {
        g_warning ("Cannot remember bootstrap node %s: %s", invite->bootstrap[i], error->message);
        g_clear_error (&error);
      }
  if ((peer = hl_node_peer_by_key (self, invite->node_hex)) != NULL)
    send_redeem (self, pending, peer);
}

/* While it is pending, the store says what stands in the way, for the
 * command or window waiting on it. */
static void
note_problem (HlNode          *self,
              HlPendingInvite *pending)
{
  const char *problem = NULL;

  for (guint i = 0; pending->invite->addresses[i] != NULL && problem == NULL; i++)
    {
      HlTarget *target = hl_node_find_target (self, pending->invite->addresses[i]);

      if (target != NULL && target->last_error != NULL)
        problem = target->last_error;
    }
  if (problem == NULL || g_strcmp0 (problem, pending->problem) == 0)
    return;
  g_free (pending->problem);
  pending->problem = g_strdup (problem);
  hl_store_invite_set_accepted (self->store, pending->invite->id_hex, NULL, problem, NULL, NULL, NULL);
}

static void
offer_known_peers (HlNode *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) known = hl_store_invite_list_peers (self->store, &error);

  if (known == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  for (guint i = 0; i < known->len; i++)
    {
      HlInvitePeer *peer = g_ptr_array_index (known, i);
      HlPeerHints hints = { .via = peer->node, .key_hex = peer->node };

      if (g_strcmp0 (peer->node, self->key_hex) != 0)
        hl_node_offer_peer (self, peer->address, HL_PEER_FOUND_INVITE, &hints, NULL);
    }
}

void
hl_node_invites_tick (HlNode *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  g_autoptr(GList) pendings = NULL;

  if (self->invites == NULL)
    self->invites = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) pending_free);
  if (!(accepted = hl_store_invite_list_accepted (self->store, "pending", &error)))
    {
      g_warning ("%s", error->message);
      return;
    }
  for (guint i = 0; i < accepted->len; i++)
    {
      HlAcceptedInvite *invite = g_ptr_array_index (accepted, i);

      if (!g_hash_table_contains (self->invites, invite->id))
        start_pending (self, invite);
    }
  offer_known_peers (self);

  pendings = g_hash_table_get_values (self->invites);
  for (GList *l = pendings; l != NULL; l = l->next)
    {
      HlPendingInvite *pending = l->data;

      /* The connection a redeem went out on closed before the answer. */
      if (pending->redeem_peer != 0 && !g_hash_table_contains (self->peers, &pending->redeem_peer))
        pending->redeem_peer = 0;
      note_problem (self, pending);
    }
}

/* @address of the invite led to node @key, not the inviter. Once every
 * direct address did so (and no bootstrap node may yet find the inviter),
 * the invite is refused. */
static void
mark_wrong (HlNode          *self,
            HlPendingInvite *pending,
            const char      *target_address,
            const char      *key)
{
  g_autofree char *address = g_strdup (target_address);
  g_autofree char *reason = NULL;

  reason = g_strdup_printf ("%s leads to node %.16s…, not to node %.16s… that made the invite: "
                            "the link was altered, or that address now belongs to another machine",
                            address, key, pending->invite->node_hex);
  g_message ("Invite %.8s…: %s", pending->invite->id_hex, reason);
  g_hash_table_add (pending->wrong, g_strdup (address));
  hl_node_withdraw_peer (self, address, HL_PEER_FOUND_INVITE);
  if (g_hash_table_size (pending->wrong) >= g_strv_length (pending->invite->addresses) &&
      pending->invite->bootstrap[0] == NULL)
    refuse_here (self, pending, reason);
}

gboolean
hl_node_invite_hello (HlNode *self,
                      HlPeer *peer)
{
  HlTarget *target = hl_node_target_for_peer (self, peer);
  HlPendingInvite *pending;

  if (target == NULL || target->invite_id == NULL || self->invites == NULL ||
      !(pending = g_hash_table_lookup (self->invites, target->invite_id)) ||
      g_ascii_strcasecmp (peer->their_key_hex, pending->invite->node_hex) == 0)
    return TRUE;
  hl_peer_close (peer, HL_SYNC_CLOSE_WRONG_NODE, "you are not the node this invite names");
  mark_wrong (self, pending, target->address, peer->their_key_hex);
  return FALSE;
}

gboolean
hl_node_invite_redeeming (HlNode *self,
                          HlPeer *peer)
{
  GHashTableIter iter;
  gpointer value;

  if (self->invites == NULL || peer->their_key_hex == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, self->invites);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      HlPendingInvite *pending = value;

      if ((pending->redeem_peer == 0 || pending->redeem_peer == peer->id) &&
          g_ascii_strcasecmp (pending->invite->node_hex, peer->their_key_hex) == 0)
        return TRUE;
    }
  return FALSE;
}

void
hl_node_invite_ready (HlNode *self,
                      HlPeer *peer)
{
  g_autoptr(GList) pendings = NULL;

  if (self->invites == NULL || peer->state != HL_PEER_READY)
    return;
  pendings = g_hash_table_get_values (self->invites);
  for (GList *l = pendings; l != NULL; l = l->next)
    {
      HlPendingInvite *pending = l->data;

      if (pending->redeem_peer == 0 &&
          g_ascii_strcasecmp (pending->invite->node_hex, peer->their_key_hex) == 0)
        send_redeem (self, pending, peer);
    }
}

static HlPendingInvite *
pending_for_answer (HlNode     *self,
                    HlPeer     *peer,
                    JsonObject *obj)
{
  const char *id = hl_json_get_string (obj, "id");
  HlPendingInvite *pending = NULL;

  if (id != NULL && self->invites != NULL)
    pending = g_hash_table_lookup (self->invites, id);
  if (pending == NULL || pending->redeem_peer != peer->id)
    {
      hl_peer_offence (peer, 5, "an answer to an invite this node did not redeem with it");
      return NULL;
    }
  return pending;
}

/* Where to dial the inviter from now on: where we reached it, else where
 * it said it listens when it was the one that dialled. */
static const char *
inviter_address (HlNode *self,
                 HlPeer *peer)
{
  HlTarget *target = hl_node_target_for_peer (self, peer);

  if (peer->outbound)
    return peer->address;
  if (target != NULL)
    return target->address;
  if (peer->reach != NULL && peer->reach->len > 0)
    return g_ptr_array_index (peer->reach, 0);
  return NULL;
}

static void
handle_redeemed (HlNode     *self,
                 HlPeer     *peer,
                 JsonObject *obj)
{
  HlPendingInvite *pending = pending_for_answer (self, peer, obj);
  const char *subnet = hl_json_get_string (obj, "subnet");
  const char *subnet_hex = NULL;
  const char *address;
  guint8 raw[HL_ID_LEN];

  if (pending == NULL)
    return;
  if (subnet != NULL && hl_hex_decode (subnet, raw, HL_ID_LEN))
    subnet_hex = subnet;
  address = inviter_address (self, peer);
  g_message ("Invite %.8s… redeemed: node %.16s… at %s is now a peer", pending->invite->id_hex,
             peer->their_key_hex, address ? address : "(its bootstrap node)");
  settle (self, pending, "redeemed", NULL, subnet_hex, address);
  if (address != NULL)
    {
      HlPeerHints hints = { .via = peer->their_key_hex, .key_hex = peer->their_key_hex };

      hl_node_offer_peer (self, address, HL_PEER_FOUND_INVITE, &hints, NULL);
    }
  /* We held our exchange back until now (hl_node_peer_ready). */
  hl_node_start_recon (self, peer);
}

static void
handle_refused (HlNode     *self,
                HlPeer     *peer,
                JsonObject *obj)
{
  HlPendingInvite *pending = pending_for_answer (self, peer, obj);
  const char *reason = hl_json_get_string (obj, "reason");
  g_autofree char *text = NULL;

  if (pending == NULL)
    return;
  if (reason != NULL && g_utf8_validate (reason, -1, NULL))
    {
      char buf[MAX_REASON];

      g_utf8_strncpy (buf, reason, MAX_REASON / 4 - 1);
      text = g_strdup_printf ("the inviter's node says %s", buf);
    }
  else
    text = g_strdup ("the inviter's node refused it without saying why");
  refuse_here (self, pending, text);
  /* Admitted some other way, the connection stays and syncs. */
  hl_node_start_recon (self, peer);
}

/* ---- the inviting side ---- */

static void
send_refusal (HlNode     *self,
              HlPeer     *peer,
              const char *id_hex,
              const char *code,
              const char *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_message ("Refused invite %.8s%s from node %.16s… at %s: %s", id_hex ? id_hex : "(none)",
             id_hex ? "…" : "", peer->their_key_hex, hl_peer_label (peer), reason);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "invite-refused");
  json_builder_set_member_name (b, "id");
  if (id_hex != NULL)
    json_builder_add_string_value (b, id_hex);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
  hl_peer_send_json (peer, b);
  /* On probation, the invite was its one way in. */
  if (peer->admission == HL_ADMIT_PROBATION)
    {
      g_autofree char *why = g_strdup_printf ("your invite was refused (%s), and this node admits "
                                              "only its tailnet, its manual peers and invited "
                                              "nodes", reason);

      hl_node_note_refusal (self, peer, HL_SYNC_CLOSE_NOT_ADMITTED, why);
      hl_peer_close (peer, HL_SYNC_CLOSE_NOT_ADMITTED, why);
    }
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (ms / 1000);

  return g_date_time_format (when, "%Y-%m-%d %H:%M:%S UTC");
}

static void
send_redeemed (HlPeer               *peer,
               const HlIssuedInvite *issued,
               guint                 used)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "redeemed");
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, issued->id);
  json_builder_set_member_name (b, "subnet");
  if (issued->subnet != NULL)
    json_builder_add_string_value (b, issued->subnet);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "used");
  json_builder_add_int_value (b, used);
  json_builder_set_member_name (b, "uses");
  json_builder_add_int_value (b, issued->uses);
  json_builder_end_object (b);
  hl_peer_send_json (peer, b);
}

/* An invite that names a private subnet admits its redeemer as a member:
 * this node (its owner or an admin) publishes the new epoch that wraps the
 * key for the redeemer's device (docs/protocol.md, "Invites"). */
static void
admit_to_private_subnet (HlNode               *self,
                         const HlIssuedInvite *issued,
                         HlPeer               *peer)
{
  g_autoptr(GError) error = NULL;
  guint8 subnet[HL_ID_LEN];
  gboolean added = FALSE;

  if (issued->subnet == NULL || !hl_hex_decode (issued->subnet, subnet, HL_ID_LEN))
    return;
  if (!hl_store_private_admit (self->store, hl_node_get_identity (self), subnet, peer->their_key,
                               &added, &error))
    g_warning ("Cannot make node %.16s… a member of private subnet %.12s…: %s",
               peer->their_key_hex, issued->subnet, error->message);
  else if (added)
    g_message ("Node %.16s… is now a member of private subnet %.12s… (it redeemed invite %.8s…)",
               peer->their_key_hex, issued->subnet, issued->id);
}

static void
handle_redeem (HlNode     *self,
               HlPeer     *peer,
               JsonObject *obj)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) token = NULL;
  g_autoptr(HlIssuedInvite) issued = NULL;
  g_autoptr(GPtrArray) reach = NULL;
  g_autofree char *reason = NULL;
  const char *address = NULL;
  HlRedeemResult result;
  gboolean ok = FALSE;
  guint used = 0;

  token = hl_invite_token_from_json (json_object_get_member (obj, "invite"),
                                     hl_identity_get_public_key (self->identity), &error);
  if (token == NULL)
    {
      hl_peer_offence (peer, 5, "a malformed invite token");
      send_refusal (self, peer, NULL, "malformed", error->message);
      return;
    }
  if (!hl_invite_verify (token, hl_identity_get_public_key (self->identity)))
    {
      hl_peer_offence (peer, 5, "an invite token with a bad signature");
      send_refusal (self, peer, token->id_hex, "forged",
                    "this invite was not made by this node: its signature does not verify with "
                    "this node's key (the link was forged or altered)");
      return;
    }
  issued = hl_store_invite_get_issued (self->store, token->id_hex, &error);
  if (issued == NULL)
    {
      send_refusal (self, peer, token->id_hex, "unknown", error ? error->message :
                    "this node has no record of this invite (it was made with another data "
                    "directory, or its record was lost)");
      return;
    }
  if (hl_now_ms () > issued->expires_ms)
    {
      g_autofree char *when = format_time (issued->expires_ms);

      reason = g_strdup_printf ("this invite expired on %s; ask for a new one", when);
      send_refusal (self, peer, token->id_hex, "expired", reason);
      return;
    }
  reach = hl_node_read_reach (peer, obj, &ok);
  if (ok && reach->len > 0)
    address = g_ptr_array_index (reach, 0);
  if (!hl_store_invite_redeem (self->store, token->id_hex, peer->their_key_hex, address, &result,
                               &used, &error))
    {
      g_warning ("Cannot record a redemption: %s", error->message);
      send_refusal (self, peer, token->id_hex, "failed", "the inviter's node could not record the "
                                                   "redemption; try again later");
      return;
    }
  if (result == HL_REDEEM_USED_UP || result == HL_REDEEM_UNKNOWN)
    {
      reason = result == HL_REDEEM_USED_UP
        ? g_strdup_printf ("this invite has been used up (%u of %u uses); ask for a new one",
                           used, issued->uses)
        : g_strdup ("this node has no record of this invite");
      send_refusal (self, peer, token->id_hex, result == HL_REDEEM_USED_UP ? "used-up" : "unknown", reason);
      return;
    }
  g_message ("Invite %.8s… redeemed by node %.16s… (%u of %u uses)", token->id_hex,
             peer->their_key_hex, used, issued->uses);
  send_redeemed (peer, issued, used);
  admit_to_private_subnet (self, issued, peer);
  if (address != NULL)
    {
      HlPeerHints hints = { .via = peer->their_key_hex, .key_hex = peer->their_key_hex };

      hl_node_offer_peer (self, address, HL_PEER_FOUND_INVITE, &hints, NULL);
    }
  /* A redeemer is admitted from now on, this connection first. */
  hl_node_admission_redeemed (self, peer);
}

gboolean
hl_node_handle_invite (HlNode     *self,
                       HlPeer     *peer,
                       const char *type,
                       JsonObject *obj)
{
  if (strcmp (type, "redeem") == 0)
    handle_redeem (self, peer, obj);
  else if (strcmp (type, "redeemed") == 0)
    handle_redeemed (self, peer, obj);
  else if (strcmp (type, "invite-refused") == 0)
    handle_refused (self, peer, obj);
  else
    return FALSE;
  return TRUE;
}
