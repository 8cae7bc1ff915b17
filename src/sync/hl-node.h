/* hl-node.h: a Hyperlink node: the store, its peers, and the sync between.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HL_TYPE_NODE (hl_node_get_type ())

G_DECLARE_FINAL_TYPE (HlNode, hl_node, HL, NODE, GObject)

/* Opens the store and identity of @data_dir. The caller holds the data
 * directory's lock (hl_sync_lock_acquire). */
HlNode     *hl_node_new            (const char   *data_dir,
                                    GError      **error);
/* Listens for peers on @host:@port (port 0: any free port). */
gboolean    hl_node_listen         (HlNode       *self,
                                    const char   *host,
                                    guint16       port,
                                    GError      **error);
guint16     hl_node_get_port       (HlNode       *self);
/* A peer to dial for as long as the node runs (besides the ones stored with
 * `hyperlinkctl peer add`). */
gboolean    hl_node_add_peer       (HlNode       *self,
                                    const char   *address,
                                    GError      **error);
gboolean    hl_node_start          (HlNode       *self,
                                    GError      **error);
/* Closes every connection, applies what was already received and verified,
 * and writes the final status. */
void        hl_node_stop           (HlNode       *self);
const char *hl_node_get_key_hex    (HlNode       *self);

G_END_DECLS
