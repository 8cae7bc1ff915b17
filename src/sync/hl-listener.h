/* hl-listener.h: the node's accept loop, in front of its SoupServer.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define HL_TYPE_LISTENER (hl_listener_get_type ())

G_DECLARE_FINAL_TYPE (HlListener, hl_listener, HL, LISTENER, GObject)

/* Accepts connections on any number of addresses and hands each, wrapped in
 * an HlWsGuard, to @server (which does the HTTP and the WebSocket upgrade),
 * within the limits of docs/protocol.md "Connection limits": connections
 * not yet ready, per remote address, a deadline for each, and the file
 * descriptors the process has (RLIMIT_NOFILE when made). */
HlListener *hl_listener_new              (SoupServer   *server);
/* Listens on @host (an IP address) at @port; port 0 picks a free one, which
 * hl_listener_get_port() gives from then on. */
gboolean    hl_listener_add              (HlListener   *self,
                                          const char   *host,
                                          guint16       port,
                                          GError      **error);
void        hl_listener_remove           (HlListener   *self,
                                          const char   *host);
gboolean    hl_listener_has              (HlListener   *self,
                                          const char   *host);
/* The hosts listened on, in the order they were added: free the array,
 * not the strings (owned by @self). */
GPtrArray  *hl_listener_get_hosts        (HlListener   *self);
guint16     hl_listener_get_port         (HlListener   *self);
/* Stops listening and closes every connection not yet claimed by a
 * WebSocket. */
void        hl_listener_stop             (HlListener   *self);
/* The "connections" member of the status file: counts and limits. */
void        hl_listener_add_status       (HlListener   *self,
                                          JsonBuilder  *builder);

/* Raises the soft RLIMIT_NOFILE to the hard one; returns the soft limit. */
guint64     hl_listener_raise_fd_limit   (void);

G_END_DECLS
