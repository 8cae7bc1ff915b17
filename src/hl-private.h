/* hl-private.h: the cryptography of private subnets (docs/protocol.md,
 * "Private subnets"): epoch keys, their sealed-box wraps for member devices,
 * and the XChaCha20-Poly1305 envelopes that carry a private subnet's events.
 *
 * Nothing here touches the store: it turns keys and events into bodies and
 * back, and says clearly why a body does not open.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hl-event.h"
#include "hl-identity.h"

G_BEGIN_DECLS

/* Unknown kinds to versions before private subnets: they store and relay them. */
#define HL_KIND_PRIVATE_CREATE  "private.create"
#define HL_KIND_PRIVATE_EPOCH   "private.epoch"
#define HL_KIND_PRIVATE_BOX     "private.box"

#define HL_PRIVATE_KEY_LEN      32
/* The largest inner event (canonical bytes and signature) an envelope holds:
 * its base64 and the other members stay within the 60000-byte body limit. */
#define HL_PRIVATE_MAX_INNER    44000
#define HL_PRIVATE_MAX_WRAPS    256

typedef struct
{
  guint8 key[HL_PRIVATE_KEY_LEN];
  guint8 epoch[HL_ID_LEN];      /* BLAKE2b-256 of "hyperlink-epoch-v1" || key */
} HlPrivateKey;

void      hl_private_key_generate   (HlPrivateKey       *out);
void      hl_private_key_from_bytes (HlPrivateKey       *out,
                                     const guint8       *key);

/* A base64 sealed box of key || subnet for @member's Ed25519 key (converted
 * to X25519). NULL with an error when the key is not a valid point. */
char     *hl_private_wrap           (const HlPrivateKey *key,
                                     const guint8       *subnet,
                                     const guint8       *member,
                                     GError            **error);
/* Tries each wrap of @wraps with @identity; TRUE and @out when one holds the
 * key of @epoch for @subnet. */
gboolean  hl_private_unwrap_any     (JsonArray          *wraps,
                                     const guint8       *subnet,
                                     const guint8       *epoch,
                                     HlIdentity         *identity,
                                     HlPrivateKey       *out);

/* The epoch a sealed body names (its "epoch" member). */
gboolean  hl_private_body_epoch     (JsonObject         *fields,
                                     guint8             *epoch,
                                     GError            **error);

/* Adds "epoch", "nonce" and "box" (@plain sealed under @key, bound to @subnet
 * and @author) to an object under construction. */
void      hl_private_add_sealed     (JsonBuilder        *builder,
                                     const HlPrivateKey *key,
                                     const guint8       *subnet,
                                     const guint8       *author,
                                     const guint8       *plain,
                                     gsize               len);
/* Opens what hl_private_add_sealed() added. Errors end with their reason:
 * [private-malformed], [private-wrong-epoch], [private-decrypt-failed]. */
GBytes   *hl_private_open_sealed    (JsonObject         *fields,
                                     const HlPrivateKey *key,
                                     const guint8       *subnet,
                                     const guint8       *author,
                                     GError            **error);

/* The body of a private.box carrying @inner (signed) in @subnet. */
char     *hl_private_box_body       (const HlPrivateKey *key,
                                     const guint8       *subnet,
                                     const HlEvent      *inner,
                                     GError            **error);
/* The body of a private.create carrying @inner (a signed subnet.create), its
 * first epoch wrapped for its author alone. @tag may be NULL. */
char     *hl_private_create_body    (const HlPrivateKey *key,
                                     const HlEvent      *inner,
                                     const char         *tag,
                                     GError            **error);
/* The body of a private.epoch: @key wrapped for every key of @members (32
 * bytes each); the member and admin lists, and the keys of the epochs before
 * (@past, HlPrivateKey), sealed under it, so that a new member reads the
 * history too. */
char     *hl_private_epoch_body     (const HlPrivateKey *key,
                                     const guint8       *subnet,
                                     const guint8       *author,
                                     GPtrArray          *members,
                                     GPtrArray          *admins,
                                     GPtrArray          *past,
                                     GError            **error);

/* The signed event an envelope carries, checked: it decodes, it is valid
 * (rules and signature) and its author is the envelope's. */
HlEvent  *hl_private_open_inner     (const HlEvent      *envelope,
                                     const guint8       *subnet,
                                     const HlPrivateKey *key,
                                     GError            **error);
/* hl_private_open_inner() with the envelope's body already parsed. */
HlEvent  *hl_private_open_inner_fields (const HlEvent      *envelope,
                                        JsonObject         *fields,
                                        const guint8       *subnet,
                                        const HlPrivateKey *key,
                                        GError            **error);

/* Whether @tag is a Tailscale tag Hyperlink accepts: "tag:" then 1-64 of
 * a-z 0-9 and '-', starting with a letter. */
gboolean  hl_private_tag_is_valid   (const char         *tag);

G_END_DECLS
