/* hl-identity.h: a device's Ed25519 key pair.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "hl-types.h"

G_BEGIN_DECLS

typedef struct _HlIdentity HlIdentity;

/* Loads the key at @path, creating it (mode 0600) when there is none. Two
 * processes racing on first use end up with the same key. A key file that
 * group or others may read is refused: the key would no longer be secret. */
HlIdentity   *hl_identity_load_or_create (const char    *path,
                                          gboolean      *created,
                                          GError       **error);
HlIdentity   *hl_identity_load           (const char    *path,
                                          GError       **error);
HlIdentity   *hl_identity_new_random     (void);
HlIdentity   *hl_identity_new_from_seed  (const guint8  *seed);
void          hl_identity_free           (HlIdentity    *identity);

const guint8 *hl_identity_get_public_key (HlIdentity    *identity);
char         *hl_identity_dup_public_hex (HlIdentity    *identity);
void          hl_identity_sign           (HlIdentity    *identity,
                                          const guint8  *message,
                                          gsize          len,
                                          guint8        *sig);

/* The X25519 secret key that belongs to the Ed25519 key (libsodium's
 * conversion), for opening the sealed boxes of private subnets' epoch keys. */
void          hl_identity_x25519_secret  (HlIdentity    *identity,
                                          guint8        *x25519_sk);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlIdentity, hl_identity_free)

G_END_DECLS
