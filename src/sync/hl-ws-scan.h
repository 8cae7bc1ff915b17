/* hl-ws-scan.h: reads the HTTP request head and WebSocket frame headers
 * (RFC 6455, 5.2) as bytes pass, and says how many may pass.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HL_WS_SCAN_HEAD,       /* the HTTP request, up to its blank line */
  HL_WS_SCAN_FRAMES,
  HL_WS_SCAN_BROKEN,     /* a limit was broken: nothing more may pass */
} HlWsScanPhase;

/* A plain struct, on the stack or in another; fields below "private" are
 * the scanner's own. */
typedef struct
{
  HlWsScanPhase  phase;
  gboolean       head_done;
  gboolean       ready;          /* the connection is ready: see hl_ws_scan_feed () */
  guint64        max_message;    /* summed over a message's fragments */
  gushort        breach;         /* once BROKEN: 1009 (too big) or 1002 (RFC 6455) */
  char          *why;            /* once BROKEN: in words */

  /* private */
  gsize          head_len;
  gsize          line_len;
  gboolean       head_started;
  guint8         header[14];
  guint          header_len;
  guint          header_need;
  guint64        payload_left;
  guint64        message_len;
} HlWsScan;

/* @with_head: an accepted connection (the HTTP head first); else frames. */
void    hl_ws_scan_init       (HlWsScan      *scan,
                               gboolean       with_head);
void    hl_ws_scan_clear      (HlWsScan      *scan);
/* The connection is ready: HL_SYNC_MAX_MESSAGE from now on. */
void    hl_ws_scan_set_ready  (HlWsScan      *scan);
/* Reads @len bytes that came and returns how many of them may pass now:
 * - all of them;
 * - until ready, those up to the end of the head or of the frame that ends
 *   in them, so that the reader acts on it (the auth that makes the
 *   connection ready raises the limit) before the next is judged; the
 *   caller keeps the rest and feeds it again;
 * - on a breach (phase BROKEN), those before the head's byte over the
 *   limit or before the header of the frame that breaks one; the rest must
 *   be dropped, and all that comes after. */
gsize   hl_ws_scan_feed       (HlWsScan      *scan,
                               const guint8  *data,
                               gsize          len);

G_END_DECLS
