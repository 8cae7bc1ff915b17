/* hl-test-client.h: a hand-driven WebSocket client that speaks (or
 * misspeaks) the sync protocol to a real node, for tests of hostile input.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "hl-identity.h"
#include "hl-sync-wire.h"
#include "hl-test-node.h"

G_BEGIN_DECLS

typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *texts;     /* char *, every text message received */
  gboolean                 closed;
  gushort                  code;
  guint8                   nonce[HL_SYNC_NONCE_LEN];
  guint8                   their_key[HL_KEY_LEN];
  guint8                   their_nonce[HL_SYNC_NONCE_LEN];
} HlTestClient;

/* Connects to @node offering the sync subprotocol; NULL if refused. */
HlTestClient *hl_test_client_connect   (HlTestNode   *node);
/* The same offering @protocol; a refusal's HTTP status and reason phrase go
 * to @status and @reason (either may be NULL). */
HlTestClient *hl_test_client_connect_as (HlTestNode  *node,
                                        const char   *protocol,
                                        guint        *status,
                                        char        **reason);
/* Connects to @url (ws://HOST:PORT) from @local_ip (NULL: the system picks
 * the source address); NULL if refused. */
HlTestClient *hl_test_client_connect_url (const char *url,
                                        const char   *local_ip);
void          hl_test_client_free      (HlTestClient *client);
/* Send, while the connection is open (a closed one drops them). */
void          hl_test_client_text      (HlTestClient *client,
                                        const char   *text);
void          hl_test_client_binary    (HlTestClient *client,
                                        const guint8 *data,
                                        gsize         len);
/* Sends a hello as @identity speaking protocol @version, naming @caps (a
 * JSON array). */
void          hl_test_client_hello     (HlTestClient *client,
                                        HlIdentity   *identity,
                                        int           version,
                                        const char   *caps);
/* Waits for the node's hello and answers with auth; @good_sig FALSE signs
 * the wrong bytes. */
void          hl_test_client_auth      (HlTestClient *client,
                                        HlIdentity   *identity,
                                        gboolean      good_sig);
/* A correct handshake as @identity, naming @caps (a JSON array) in hello;
 * returns once the node's auth came. */
void          hl_test_client_handshake (HlTestClient *client,
                                        HlIdentity   *identity,
                                        const char   *caps);
/* The first message of @type received, waiting
 * up to @timeout_s; NULL if none came. */
JsonObject   *hl_test_client_wait_type (HlTestClient *client,
                                        const char   *type,
                                        guint         timeout_s);
/* Runs the main loop until *@flag or @timeout_s. */
gboolean      hl_test_spin_until       (gboolean     *flag,
                                        guint         timeout_s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTestClient, hl_test_client_free)

G_END_DECLS
