/* hl-invite.h: invite links (docs/protocol.md, "Invites"): making them,
 * reading them, and accepting one. No GTK: the window calls this too.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hl-identity.h"

G_BEGIN_DECLS

#define HL_INVITE_ERROR (hl_invite_error_quark ())

typedef enum
{
  HL_INVITE_ERROR_MALFORMED,     /* not a Hyperlink invite link, or damaged */
  HL_INVITE_ERROR_FORGED,        /* the signature does not verify with the key it names */
  HL_INVITE_ERROR_EXPIRED,
  HL_INVITE_ERROR_USED_UP,
  HL_INVITE_ERROR_UNKNOWN,       /* the inviter has no record of it */
  HL_INVITE_ERROR_WRONG_NODE,    /* the address leads to another node than the inviter */
  HL_INVITE_ERROR_UNREACHABLE,   /* the inviter could not be reached in time */
  HL_INVITE_ERROR_OWN,           /* an invite made by this very node */
  HL_INVITE_ERROR_FAILED,
  HL_INVITE_ERROR_NO_ADDRESS,    /* nothing to put in a new invite: no Tailscale name,
                                  * no listen address, no bootstrap node */
} HlInviteError;

GQuark hl_invite_error_quark (void);

#define HL_INVITE_LINK_PREFIX    "hyperlink:invite?v=1&d="
#define HL_INVITE_ID_LEN         16
#define HL_INVITE_MAX_LINK       4096
#define HL_INVITE_MAX_ADDRESSES  8
#define HL_INVITE_MAX_BOOTSTRAP  4
#define HL_INVITE_MAX_USES       1000
#define HL_INVITE_SIGN_CONTEXT   "hyperlink-invite-v1"

typedef struct
{
  guint8   node[HL_KEY_LEN];       /* the inviter's node key: the fingerprint */
  char    *node_hex;
  GStrv    addresses;              /* ws:// addresses of the inviter */
  GStrv    bootstrap;              /* ws:// bootstrap nodes that know the inviter */
  guint8   id[HL_INVITE_ID_LEN];
  char    *id_hex;
  gint64   expires_ms;             /* Unix time */
  guint    uses;
  gboolean has_subnet;
  guint8   subnet[HL_ID_LEN];
  char    *subnet_hex;             /* NULL without a subnet */
  guint8   sig[HL_SIG_LEN];
} HlInvite;

void      hl_invite_free          (HlInvite       *invite);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlInvite, hl_invite_free)

/* A new invite signed by @identity, with a fresh random id. @subnet may be NULL. */
HlInvite *hl_invite_new           (HlIdentity     *identity,
                                   const char    **addresses,
                                   const char    **bootstrap,
                                   gint64          expires_ms,
                                   guint           uses,
                                   const guint8   *subnet,
                                   GError        **error);
/* Sets @invite's node key to @identity's and signs its token fields. */
void      hl_invite_sign          (HlInvite       *invite,
                                   HlIdentity     *identity);
char     *hl_invite_to_link       (const HlInvite *invite);
/* Reads a link and checks that it is signed by the key it names:
 * HL_INVITE_ERROR_MALFORMED or _FORGED otherwise. Expiry is not checked. */
HlInvite *hl_invite_parse         (const char     *link,
                                   GError        **error);
/* TRUE when @invite's signature is by @key. */
gboolean  hl_invite_verify        (const HlInvite *invite,
                                   const guint8   *key);

/* The token a redeemer sends (id, expiry, uses, subnet, signature). */
JsonNode *hl_invite_token_to_json (const HlInvite *invite);
/* The token of a redeem message, for the inviter @node to check. */
HlInvite *hl_invite_token_from_json (JsonNode     *token,
                                   const guint8   *node,
                                   GError        **error);

/* Options of hl_invite_create; zero means the default. */
typedef struct
{
  const char  *subnet;             /* an id or unique prefix, or NULL */
  gint64       lifetime_ms;        /* default 7 days */
  guint        uses;               /* default 1 */
  const char **addresses;          /* else from the status file (Tailscale), bootstrap nodes, listen address */
} HlInviteOptions;

/* Makes an invite from the node of @data_dir, remembers it in its store and
 * returns the link. The addresses are @options->addresses, else the
 * Tailscale name and addresses the running node put in sync-status.json,
 * else the listen address there when it is a specific one; the data
 * directory's bootstrap nodes go in too. */
char     *hl_invite_create        (const char            *data_dir,
                                   const HlInviteOptions *options,
                                   HlInvite             **invite,
                                   GError               **error);

/* Checks @link and stores it as pending in @data_dir's store, where the
 * node (hyperlinkd or the window's) picks it up within a second, dials the
 * inviter and redeems it. Refuses an invite that is malformed, forged,
 * expired by more than the allowed clock skew, or made by this very node. */
HlInvite *hl_invite_accept        (const char     *data_dir,
                                   const char     *link,
                                   GError        **error);

/* How an accepted invite fares: "pending", "redeemed" or "refused", with
 * the reason or last problem and the subnet the inviter suggests opening. */
gboolean  hl_invite_get_state     (const char     *data_dir,
                                   const char     *id_hex,
                                   char          **state,
                                   char          **reason,
                                   char          **subnet,
                                   GError        **error);

G_END_DECLS
