/* hl-sync-wire.h: constants and encodings of the sync protocol
 * (docs/protocol.md, "Sync").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "hl-event.h"
#include "hl-identity.h"
#include "hl-types.h"

G_BEGIN_DECLS

#define HL_SYNC_VERSION             1
#define HL_SYNC_SUBPROTOCOL         "hyperlink.v1"
#define HL_SYNC_DEFAULT_PORT        9473
#define HL_SYNC_HANDSHAKE_CONTEXT   "hyperlink-handshake-v1"
#define HL_SYNC_NONCE_LEN           32
#define HL_SYNC_MAX_SOFTWARE        64                 /* characters of a hello's "software" kept */

/* Limits (docs/protocol.md, "Sync", "Limits"). */
#define HL_SYNC_MAX_FRAME           (1024 * 1024)      /* any frame, either kind */
#define HL_SYNC_MAX_TEXT_FRAME      (64 * 1024)        /* JSON control messages */
#define HL_SYNC_EVENTS_FRAME_TARGET (256 * 1024)       /* we stop filling an events frame here */
#define HL_SYNC_WINDOW              (4 * 1024 * 1024)  /* unacknowledged event bytes per peer */
#define HL_SYNC_MAX_WANTS           1024               /* ids in one want message */
#define HL_SYNC_MAX_QUEUE           65536              /* queued pushes per peer */
#define HL_SYNC_WANTS_OUTSTANDING   4096               /* ids asked for, not yet answered, per peer */
#define HL_SYNC_MAX_WANT_BACKLOG    262144             /* ids waiting to be asked for, per peer */

/* Transport limits (docs/protocol.md, "Connection limits"). */
#define HL_SYNC_MAX_MESSAGE         (2 * 1024 * 1024)  /* a message, all fragments; more: 1009 */
#define HL_SYNC_MAX_MESSAGE_EARLY   (16 * 1024)        /* the same before the connection is ready */
#define HL_SYNC_MAX_HTTP_HEAD       (8 * 1024)         /* an upgrade request or answer, to its blank line */
#define HL_SYNC_MAX_UNSENT          (8 * 1024 * 1024)  /* not taken by a peer: a slow reader */
#define HL_SYNC_HANDSHAKE_TIMEOUT_S 10                 /* from accept or open to a ready connection */
#define HL_SYNC_DIAL_TIMEOUT_S      15                 /* a dial's TCP connect and HTTP upgrade */

/* Binary frames start with one of these bytes. */
#define HL_SYNC_FRAME_RECON         0x01
#define HL_SYNC_FRAME_EVENTS        0x02
#define HL_SYNC_FRAME_SYMBOLS       0x03   /* the archive's (hl-node-archive.c) */

/* Reconciliation (docs/protocol.md, "Reconciliation"). */
#define HL_SYNC_FP_LEN              12
#define HL_SYNC_PREFIX_LEN          8
#define HL_SYNC_RECON_INITIATOR     0x00
#define HL_SYNC_RECON_RESPONDER     0x01

/* Application close codes (4000-4999 are ours by RFC 6455). */
#define HL_SYNC_CLOSE_PROTOCOL      4000
#define HL_SYNC_CLOSE_VERSION       4001
#define HL_SYNC_CLOSE_AUTH          4002
#define HL_SYNC_CLOSE_SELF          4003
#define HL_SYNC_CLOSE_DUPLICATE     4004
#define HL_SYNC_CLOSE_BANNED        4005
#define HL_SYNC_CLOSE_OFFENCES      4006
#define HL_SYNC_CLOSE_TIMEOUT       4007
#define HL_SYNC_CLOSE_FULL          4008
#define HL_SYNC_CLOSE_WRONG_NODE    4010   /* not the node the dialler was told to expect */
#define HL_SYNC_CLOSE_NOT_ADMITTED  4009   /* not the tailnet, a manual peer or an invited node */

/* A reconciliation bound: keys below it are (ts, id) < (ts, id[0..len] padded
 * with zero bytes). ts == G_MAXUINT64 is the bound past every key. */
typedef struct
{
  guint64 ts;
  guint8  id[HL_ID_LEN];
  guint   len;
} HlSyncBound;

/* LEB128: seven bits a byte, least significant first. The reader takes
 * the shortest encoding only (at most 10 bytes, no padding 0x80 bytes, no
 * bits past 64) and leaves *@p alone when it returns FALSE. */
void     hl_sync_put_varint        (GByteArray    *out,
                                    guint64        value);
gboolean hl_sync_get_varint        (const guint8 **p,
                                    const guint8  *end,
                                    guint64       *value);

/* One record of an events frame: varint length, canonical bytes, signature. */
void     hl_sync_put_event         (GByteArray    *out,
                                    const guint8  *raw,
                                    gsize          raw_len,
                                    const guint8  *sig);
/* Decodes and verifies one record; advances *p past it even when the event
 * is refused (@error set, TRUE returned). FALSE: the framing itself is broken. */
gboolean hl_sync_get_event         (const guint8 **p,
                                    const guint8  *end,
                                    gint64         now_ms,
                                    gint64         max_future_ms,
                                    HlEvent      **event,
                                    GError       **error);

/* The bytes a node signs to prove it holds @signer_key to @verifier_key, who
 * chose @nonce: context || nonce || signer key || verifier key. */
#define HL_SYNC_HANDSHAKE_MSG_LEN (sizeof HL_SYNC_HANDSHAKE_CONTEXT - 1 + HL_SYNC_NONCE_LEN + 2 * HL_KEY_LEN)
void     hl_sync_handshake_message (const guint8  *nonce,
                                    const guint8  *signer_key,
                                    const guint8  *verifier_key,
                                    guint8        *out);
gboolean hl_sync_handshake_verify  (const guint8  *nonce,
                                    const guint8  *signer_key,
                                    const guint8  *verifier_key,
                                    const guint8  *sig);

/* TRUE when @text is one JSON object and white space around it, judged by
 * its brackets and strings alone (json-glib checks the rest). json-glib 1.6
 * reads "{…}{…}" as its last value and leaks the ones before, so text from
 * a peer (a message, an invite's JSON) must pass this before it is parsed. */
gboolean hl_sync_text_is_one_object (const char    *text,
                                    gsize          len);

/* ws://HOST[:PORT][/PATH] → normalised "ws://HOST:PORT/PATH"; loopback-only
 * callers check the host themselves. */
char    *hl_sync_normalize_address (const char    *address,
                                    GError       **error);

/* HOST:PORT, [IPV6]:PORT or HOST alone (then @default_port), as
 * g_network_address_parse() reads them: an IPv6 address followed by a port
 * needs its brackets, one without them is a host alone. Ports are 0 to 65535
 * (0: any free one, for listening); the host may not be empty, and one with
 * a colon must be an IPv6 address. *@host is without brackets. */
gboolean hl_sync_parse_host_port   (const char    *text,
                                    guint16        default_port,
                                    char         **host,
                                    guint16       *port,
                                    GError       **error);
/* HOST:PORT, with an IPv6 host in brackets: what hl_sync_parse_host_port()
 * reads back. */
char    *hl_sync_join_host_port    (const char    *host,
                                    guint          port);

G_END_DECLS
