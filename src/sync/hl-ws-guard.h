/* hl-ws-guard.h: the socket under libsoup, which bounds what a peer can
 * make the node hold before libsoup sees it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define HL_TYPE_WS_GUARD (hl_ws_guard_get_type ())

G_DECLARE_FINAL_TYPE (HlWsGuard, hl_ws_guard, HL, WS_GUARD, GSocketConnection)

typedef enum
{
  HL_WS_GUARD_SERVER,   /* an accepted socket: the HTTP request head, then masked frames */
  HL_WS_GUARD_CLIENT,   /* a dialled socket: frames only (the dialler reads the answer's head) */
} HlWsGuardRole;

/* A connection over @socket that libsoup reads and writes as it would the
 * socket itself, while the guard parses the HTTP head (server) and every
 * WebSocket frame header as the bytes pass. A breach of a limit stops the
 * bytes short of the frame that breaches it, discards all further input
 * (nothing is buffered) and is reported once, from an idle, as the
 * "violation" signal (guint close code, const char *message): 1009 for a
 * message above the limit, 1002 for reserved bits or a control frame over
 * 125 bytes, and whatever hl_ws_guard_report() was given. "disconnected"
 * is emitted, from an idle, once the connection is closed. */
HlWsGuard  *hl_ws_guard_new               (GSocket                 *socket,
                                           HlWsGuardRole            role);
/* The guard of @conn's stream, or NULL when it has none. */
HlWsGuard  *hl_ws_guard_for_connection    (SoupWebsocketConnection *conn);

/* Bytes already read from the socket that libsoup must read first (what
 * came after the dialler's response head). */
void        hl_ws_guard_push_input        (HlWsGuard               *self,
                                           const guint8            *data,
                                           gsize                    len);
/* The connection is a ready peer: messages up to HL_SYNC_MAX_MESSAGE pass
 * from now on (HL_SYNC_MAX_MESSAGE_EARLY before), and the listener's
 * handshake deadline no longer applies. */
void        hl_ws_guard_set_ready         (HlWsGuard               *self);
gboolean    hl_ws_guard_is_ready          (HlWsGuard               *self);
/* A WebSocket (its HlPeer) handles the violations from now on; one found
 * after the HTTP head but before the claim is reported now. */
void        hl_ws_guard_claim             (HlWsGuard               *self);
gboolean    hl_ws_guard_is_claimed        (HlWsGuard               *self);
/* Whether the server-side HTTP request head has been read in full. */
gboolean    hl_ws_guard_head_done         (HlWsGuard               *self);
/* Ends the connection for a reason found outside the stream (a deadline,
 * an eviction): reported as a violation with @code, unless one was; the
 * input is not discarded, so that a close handshake can finish. */
void        hl_ws_guard_report            (HlWsGuard               *self,
                                           gushort                  code,
                                           const char              *message);

/* The owner sent its close frame. After a breach the guard drops input;
 * once HL_WS_GUARD_DROP_AFTER_CLOSE bytes were dropped and this was said, it
 * ends the input (libsoup then closes the connection) instead of reading a
 * sender that ignores the close for libsoup's 5 s. */
#define HL_WS_GUARD_DROP_AFTER_CLOSE (1024 * 1024)
void        hl_ws_guard_closed_by_us      (HlWsGuard               *self);

/* The owner handed libsoup a message of @payload_len bytes to send. */
void        hl_ws_guard_note_queued       (HlWsGuard               *self,
                                           gsize                    payload_len);
/* What a peer that does not read makes the node hold: bytes handed to
 * libsoup since the claim and not yet written to the socket, and bytes in
 * the socket's send queue that the peer has not acknowledged. */
guint64     hl_ws_guard_get_unsent        (HlWsGuard               *self);

G_END_DECLS
