/* hl-store-privnet.h: private subnets in the store (docs/protocol.md,
 * "Private subnets"): which of them this device can read, their members,
 * and publishing into them.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-identity.h"
#include "hl-private.h"
#include "hl-store.h"

G_BEGIN_DECLS

/* The device key that opens wraps (borrowed: it must outlive the store's use
 * of it). Without one the store relays private subnets and reads none. */
void       hl_store_set_identity          (HlStore       *self,
                                           HlIdentity    *identity);
HlIdentity *hl_store_get_identity         (HlStore       *self);

/* Creates a private subnet owned by @identity; returns its subnet.create
 * (whose id names the subnet). @tag (or NULL) binds it to a tailnet tag. */
HlEvent   *hl_store_private_create        (HlStore       *self,
                                           HlIdentity    *identity,
                                           const char    *name,
                                           const char    *description,
                                           const char    *tag,
                                           GError       **error);
/* Starts a new epoch whose members are @members (32-byte keys; the author
 * is always one) and admins @admins. Returns the private.epoch published.
 * Refused (HL_CORE_ERROR_PERMISSION, [private-not-admin]) unless @identity
 * is the owner or an admin of the epoch in effect (others' epochs are
 * ignored), and ([private-remove-owner]) when an admin leaves the owner out. */
HlEvent   *hl_store_private_set_members   (HlStore       *self,
                                           HlIdentity    *identity,
                                           const guint8  *subnet,
                                           GPtrArray     *members,
                                           GPtrArray     *admins,
                                           GError       **error);
/* Adds @device to the members of private subnet @subnet under a new epoch
 * signed by @identity, who must be its owner or an admin (an invite to the
 * subnet redeemed). *@added is FALSE when @subnet is no private subnet or
 * @device is a member already. */
gboolean   hl_store_private_admit         (HlStore       *self,
                                           HlIdentity    *identity,
                                           const guint8  *subnet,
                                           const guint8  *device,
                                           gboolean      *added,
                                           GError       **error);
/* The members and admins (g_free'd 32-byte keys) of the subnet's current
 * epoch, as this device can read them. */
gboolean   hl_store_private_members       (HlStore       *self,
                                           const guint8  *subnet,
                                           GPtrArray    **members,
                                           GPtrArray    **admins,
                                           GError       **error);
/* Whether @subnet is a private subnet whose private.create this device
 * holds (member or not). */
gboolean   hl_store_private_is_subnet     (HlStore       *self,
                                           const guint8  *subnet);
/* The key of epoch @epoch of private subnet @subnet, or with @epoch NULL of
 * its epoch in effect now as this device knows it (the archive seals under
 * it). HL_CORE_ERROR_PERMISSION when this device does not hold it. */
gboolean   hl_store_private_epoch_key     (HlStore       *self,
                                           const guint8  *subnet,
                                           const guint8  *epoch,
                                           HlPrivateKey  *key,
                                           GError       **error);
/* The owner's key of a private subnet; FALSE when its create is not held. */
gboolean   hl_store_private_owner         (HlStore       *self,
                                           const guint8  *subnet,
                                           guint8        *owner);

typedef struct
{
  guint8  subnet[HL_ID_LEN];
  guint8  owner[HL_KEY_LEN];
  char   *tag;        /* NULL when unbound */
  char   *name;       /* NULL when this device cannot read it */
} HlPrivateZone;

void       hl_private_zone_free           (HlPrivateZone *zone);
/* Every private subnet this device has the create of, member or not. */
GPtrArray *hl_store_private_zones         (HlStore       *self,
                                           GError       **error);
/* The tag of the private subnet an event belongs to, as the envelope says in
 * clear: *@tag NULL for an event of no tag-bound subnet. */
gboolean   hl_store_private_event_tag     (HlStore       *self,
                                           const HlEvent *event,
                                           char         **tag,
                                           GError       **error);

/* Whether this device holds the create of private subnet @subnet (*@known)
 * and its tag (*@tag, NULL when unbound). */
gboolean   hl_store_private_subnet_tag    (HlStore       *self,
                                           const guint8  *subnet,
                                           gboolean      *known,
                                           char         **tag,
                                           GError       **error);

/* The tags of @zones (HlPrivateZone), each once, borrowed from them. */
GPtrArray *hl_private_zone_tags           (GPtrArray     *zones);
/* The Tailscale policy snippet (HuJSON) for zones with @tags, Hyperlink on
 * @port (docs/protocol.md, "Zones"): hyperlinkctl acl and the window's. */
char      *hl_private_acl_policy          (GPtrArray     *tags,
                                           guint          port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlPrivateZone, hl_private_zone_free)

G_END_DECLS
