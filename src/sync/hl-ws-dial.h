/* hl-ws-dial.h: the client side of the WebSocket handshake, over an
 * HlWsGuard.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Connects to @address (ws://HOST:PORT/PATH), asks for the sync
 * subprotocol and no extension, and checks the answer (RFC 6455, 4.1): all
 * within HL_SYNC_DIAL_TIMEOUT_S (then G_IO_ERROR_TIMED_OUT). The socket is
 * read through an HlWsGuard from the first frame on. */
void                     hl_ws_dial_async  (const char           *address,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* The open WebSocket, or NULL with @error. A node that answered the upgrade
 * with another status gives it in @status and its reason phrase in @reason
 * (0 and NULL otherwise); either may be NULL. */
SoupWebsocketConnection *hl_ws_dial_finish (GAsyncResult         *result,
                                            guint                *status,
                                            char                **reason,
                                            GError              **error);

G_END_DECLS
