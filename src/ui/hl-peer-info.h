/* hl-peer-info.h: one peer as the sync status describes it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HL_TYPE_PEER_INFO (hl_peer_info_get_type ())

G_DECLARE_FINAL_TYPE (HlPeerInfo, hl_peer_info, HL, PEER_INFO, GObject)

/* From an element of the status document's "peers" (docs/protocol.md,
 * "Peers and status"). */
HlPeerInfo *hl_peer_info_new               (JsonObject *object);
/* From an element of its "refused": a connection the node turned away. */
HlPeerInfo *hl_peer_info_new_refusal       (JsonObject *object);
/* What stays the same across updates: the address we dial, or the node key
 * of a peer that dialled us. */
const char *hl_peer_info_get_key           (HlPeerInfo *self);
/* Takes the new fields; notifies "changed" when any differs. */
void        hl_peer_info_update            (HlPeerInfo *self,
                                            JsonObject *object);
/* A string member of the status ("address", "found", "via", "dns_name",
 * "tailnet_user", "machine", "path", "node", "state", "direction", "error"),
 * or NULL. */
const char *hl_peer_info_get_string        (HlPeerInfo *self,
                                            const char *member);
/* An integer member ("last_seen_ms", "events_sent", ...), or 0. */
gint64      hl_peer_info_get_int           (HlPeerInfo *self,
                                            const char *member);
gboolean    hl_peer_info_get_connected     (HlPeerInfo *self);
/* The machine, DNS name or address: what a person recognises. */
const char *hl_peer_info_get_title         (HlPeerInfo *self);

/* The key a status element would have (see hl_peer_info_get_key()). */
char       *hl_peer_info_key_for           (JsonObject *object);
/* The same for an element of "refused": its address and kind. */
char       *hl_peer_info_refusal_key_for   (JsonObject *object);
/* For a refusal: what happened, in a sentence for the owner of this
 * computer ("Not let in: …"), with how often and when. */
char       *hl_peer_info_describe_refusal  (HlPeerInfo *self);

G_END_DECLS
