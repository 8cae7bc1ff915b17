/* hl-store-discovery.h: what the store keeps for finding peers: bootstrap
 * nodes, invites made here and their redemptions, invites accepted here.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-store.h"

G_BEGIN_DECLS

/* Bootstrap nodes (hyperlinkctl bootstrap add|remove|list), like sync_peers. */
gboolean   hl_store_bootstrap_add     (HlStore     *self,
                                       const char  *address,
                                       gboolean    *added,
                                       GError     **error);
gboolean   hl_store_bootstrap_remove  (HlStore     *self,
                                       const char  *address,
                                       gboolean    *removed,
                                       GError     **error);
/* The addresses, sorted. */
GPtrArray *hl_store_bootstrap_list    (HlStore     *self,
                                       GError     **error);

/* An invite this node made. */
typedef struct
{
  char    *id;            /* 32 hex */
  gint64   created_ms;
  gint64   expires_ms;
  guint    uses;
  char    *subnet;        /* 64 hex or NULL */
  char    *link;
  GStrv    redeemers;     /* node keys (hex), in order of redemption */
} HlIssuedInvite;

void            hl_issued_invite_free      (HlIssuedInvite *invite);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlIssuedInvite, hl_issued_invite_free)

gboolean        hl_store_invite_issue      (HlStore              *self,
                                            const HlIssuedInvite *invite,
                                            GError              **error);
/* NULL without an error when this node has no such invite. */
HlIssuedInvite *hl_store_invite_get_issued (HlStore              *self,
                                            const char           *id,
                                            GError              **error);
/* Newest first. */
GPtrArray      *hl_store_invite_list_issued (HlStore             *self,
                                            GError              **error);

typedef enum
{
  HL_REDEEM_OK,         /* a use was spent on this redeemer */
  HL_REDEEM_AGAIN,      /* this redeemer had already redeemed it: nothing spent */
  HL_REDEEM_USED_UP,
  HL_REDEEM_UNKNOWN,
} HlRedeemResult;

/* Spends a use of invite @id on @node, in one transaction, unless all are
 * spent; @address (may be NULL) is remembered to dial the redeemer later.
 * *@used is the number of uses spent afterwards. */
gboolean        hl_store_invite_redeem     (HlStore              *self,
                                            const char           *id,
                                            const char           *node,
                                            const char           *address,
                                            HlRedeemResult       *result,
                                            guint                *used,
                                            GError              **error);

/* A peer known through an invite, in either direction. */
typedef struct
{
  char *node;
  char *address;
} HlInvitePeer;

void            hl_invite_peer_free        (HlInvitePeer *peer);
/* Redeemers of this node's invites and inviters whose invites were redeemed
 * here, each with an address: peers to keep dialling. */
GPtrArray      *hl_store_invite_list_peers (HlStore              *self,
                                            GError              **error);

/* An invite accepted here. */
typedef struct
{
  char   *id;
  char   *link;
  char   *inviter;
  char   *state;          /* "pending", "redeemed" or "refused" */
  char   *reason;
  char   *subnet;
  char   *address;
  gint64  updated_ms;
} HlAcceptedInvite;

void              hl_accepted_invite_free        (HlAcceptedInvite *invite);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlAcceptedInvite, hl_accepted_invite_free)

/* Stores the invite as pending; one accepted before and refused is pending
 * again, one already redeemed stays redeemed. */
gboolean          hl_store_invite_accept         (HlStore     *self,
                                                  const char  *id,
                                                  const char  *link,
                                                  const char  *inviter,
                                                  GError     **error);
HlAcceptedInvite *hl_store_invite_get_accepted   (HlStore     *self,
                                                  const char  *id,
                                                  GError     **error);
/* Those in @state, or all with NULL. */
GPtrArray        *hl_store_invite_list_accepted  (HlStore     *self,
                                                  const char  *state,
                                                  GError     **error);
/* Moves a pending invite on; NULL members leave the column as it was. */
gboolean          hl_store_invite_set_accepted   (HlStore     *self,
                                                  const char  *id,
                                                  const char  *state,
                                                  const char  *reason,
                                                  const char  *subnet,
                                                  const char  *address,
                                                  GError     **error);

/* Discovered peers that answered (sync_known), newest first. */
typedef struct
{
  char   *address;
  char   *node;
  guint   found;
  char   *via;
  gint64  seen_ms;
} HlKnownPeer;

void       hl_known_peer_free        (HlKnownPeer *peer);
/* Remembers (or refreshes) a peer; only the @keep most recent stay. */
gboolean   hl_store_known_peer_seen  (HlStore     *self,
                                      const char  *address,
                                      const char  *node,
                                      guint        found,
                                      const char  *via,
                                      guint        keep,
                                      GError     **error);
/* Those seen since @since_ms. */
GPtrArray *hl_store_known_peers_list (HlStore     *self,
                                      gint64       since_ms,
                                      GError     **error);

/* ---- admission (docs/protocol.md, "Admission") ---- */

/* Remembers @node as the key found at the manual peer @address (a row of
 * sync_peers; nothing happens for an address that is not one). */
gboolean    hl_store_peer_set_node   (HlStore     *self,
                                      const char  *address,
                                      const char  *node,
                                      GError     **error);

/* Why a node key is trusted, as hl_store_list_trusted_keys says. */
typedef enum
{
  HL_TRUSTED_MANUAL   = 1 << 0,   /* found at a manual peer's address */
  HL_TRUSTED_INVITER  = 1 << 1,   /* made an invite accepted here (pending or redeemed) */
  HL_TRUSTED_REDEEMER = 1 << 2,   /* redeemed one of this node's invites */
} HlTrusted;

/* Every trusted node key (lower-case hex) -> GUINT_TO_POINTER (HlTrusted bits). */
GHashTable *hl_store_list_trusted_keys (HlStore   *self,
                                        GError   **error);
/* The latest expiry (Unix ms) among this node's invites that are unexpired
 * at @now_ms and have a use left, or 0 when there is none. */
gint64      hl_store_invite_open_until (HlStore   *self,
                                        gint64     now_ms,
                                        GError   **error);

G_END_DECLS
