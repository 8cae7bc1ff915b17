/* hl-test-raw.h: raw sockets and a raw WebSocket client, which send a node
 * what libsoup never would, and what a node's process uses.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hl-identity.h"
#include "hl-test-node.h"

G_BEGIN_DECLS

/* ---- the node's process ---- */

/* A field of /proc/PID/status in kB, e.g. "VmHWM" (peak RSS). */
guint64     hl_test_proc_kb           (HlTestNode   *node,
                                       const char   *field);
guint       hl_test_open_fds          (HlTestNode   *node);
/* Asserts that the node's peak RSS grew by less than @bound_mib since
 * @hwm_kb, and prints the figure as "# measured: @what: …" (in an ASan
 * build only prints it: the quarantine keeps freed memory). */
void        hl_test_assert_peak_below (HlTestNode   *node,
                                       guint64       hwm_kb,
                                       guint         bound_mib,
                                       const char   *what);

/* ---- sockets ---- */

/* A blocking TCP connection (10 s timeouts) from @from (NULL: any). */
GSocket    *hl_test_tcp_connect       (const char   *from,
                                       const char   *to,
                                       guint16       port,
                                       GError      **error);
/* The same, made from inside network namespace @ns. */
GSocket    *hl_test_connect_in        (const char   *ns,
                                       const char   *from,
                                       const char   *to,
                                       guint16       port,
                                       GError      **error);

/* ---- a raw WebSocket client ---- */

typedef struct
{
  GSocket    *socket;
  GByteArray *in;          /* received, not yet parsed */
  GPtrArray  *texts;       /* char *: text messages */
  gboolean    got_close;
  gushort     close_code;
  gboolean    eof;
  guint8      their_key[HL_KEY_LEN];
} HlTestRaw;

HlTestRaw  *hl_test_raw_new           (GSocket      *socket);
/* To 127.0.0.1 at @node's port. */
HlTestRaw  *hl_test_raw_connect       (HlTestNode   *node);
void        hl_test_raw_free          (HlTestRaw    *raw);
gboolean    hl_test_raw_send          (HlTestRaw    *raw,
                                       const void   *data,
                                       gsize         len);
/* Reads what comes within @timeout_ms into raw->in; FALSE at the end. */
gboolean    hl_test_raw_read_some     (HlTestRaw    *raw,
                                       guint         timeout_ms);
/* Sends the upgrade, offering @protocol and @extensions (NULL: no header);
 * returns the answer's head and its status in *@status. */
char       *hl_test_raw_upgrade_full  (HlTestRaw    *raw,
                                       const char   *protocol,
                                       const char   *extensions,
                                       guint        *status);
/* The upgrade as a node makes it; asserts 101. */
void        hl_test_raw_upgrade       (HlTestRaw    *raw);
/* A masked frame into @out; @first is FIN, RSV and opcode; @payload NULL
 * for the header alone; @zero_mask for speed. */
void        hl_test_put_frame         (GByteArray   *out,
                                       guint8        first,
                                       const guint8 *payload,
                                       guint64       len,
                                       gboolean      zero_mask);
void        hl_test_raw_frame         (HlTestRaw    *raw,
                                       guint8        first,
                                       const guint8 *payload,
                                       gsize         len);
void        hl_test_raw_text          (HlTestRaw    *raw,
                                       const char   *text);
/* Parses the node's frames in raw->in: texts, and the close frame. */
void        hl_test_raw_parse         (HlTestRaw    *raw);
/* The code of the node's close frame, or 0 if TCP ended without one. */
gushort     hl_test_raw_wait_close    (HlTestRaw    *raw,
                                       guint         timeout_s);
/* The first text message of @type within @timeout_s, or NULL. */
JsonObject *hl_test_raw_wait_type     (HlTestRaw    *raw,
                                       const char   *type,
                                       guint         timeout_s);
/* Whether the node's "error" message says @words. */
gboolean    hl_test_raw_error_says    (HlTestRaw    *raw,
                                       const char   *words);
/* A hello as @identity with @members (JSON, e.g. "\"version\":1") besides
 * "type", "node" and "nonce". */
void        hl_test_raw_hello         (HlTestRaw    *raw,
                                       HlIdentity   *identity,
                                       const char   *members);
/* Answers the node's hello with auth; returns once the node's auth came. */
void        hl_test_raw_auth          (HlTestRaw    *raw,
                                       HlIdentity   *identity);
/* The auth that answers the node's hello (waited for), not sent. */
char       *hl_test_raw_auth_text     (HlTestRaw    *raw,
                                       HlIdentity   *identity);
/* A version 1 hello, then auth. */
void        hl_test_raw_handshake     (HlTestRaw    *raw,
                                       HlIdentity   *identity);
/* One binary message of @total bytes in fragments of @fragment, sent until
 * the node closes; returns the bytes sent. */
guint64     hl_test_raw_flood         (HlTestRaw    *raw,
                                       guint64       total,
                                       gsize         fragment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTestRaw, hl_test_raw_free)

G_END_DECLS
