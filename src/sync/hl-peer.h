/* hl-peer.h: one WebSocket connection to another node.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HL_TYPE_PEER (hl_peer_get_type ())

G_DECLARE_FINAL_TYPE (HlPeer, hl_peer, HL, PEER, GObject)

G_END_DECLS
