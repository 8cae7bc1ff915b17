/* hl-sync.h: the window's view of the sync engine: the node it runs for
 * its data directory (or the hyperlinkd that already does), as state, a
 * count of peers and a list of them. A model: it never touches widgets.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-node-runner.h"

G_BEGIN_DECLS

#define HL_TYPE_SYNC (hl_sync_get_type ())

G_DECLARE_FINAL_TYPE (HlSync, hl_sync, HL, SYNC, GObject)

typedef enum
{
  HL_SYNC_OFF,        /* not started, stopped, or it could not start ("error") */
  HL_SYNC_OFFLINE,    /* running, no peer connected */
  HL_SYNC_SYNCING,    /* some connected peer is not in sync yet */
  HL_SYNC_IN_SYNC,    /* every connected peer is in sync */
} HlSyncState;

/* The environment variable that overrides where the node listens:
 * "HOST:PORT" (port 0: any free one), "HOST" (at the Preferences' port) or
 * "none". Tests use 127.0.0.1:0 or 127.0.0.1. */
#define HL_SYNC_LISTEN_ENV "HYPERLINK_LISTEN"

HlSync       *hl_sync_new            (const char *data_dir);
/* Starts the node (or follows a running hyperlinkd). Listens where
 * HYPERLINK_LISTEN says, else on the Preferences' port on loopback and this
 * machine's tailnet addresses. */
void          hl_sync_start          (HlSync     *self);
/* Stops the node; everything it accepted is stored first. Blocks briefly. */
void          hl_sync_stop           (HlSync     *self);
HlSyncState   hl_sync_get_state      (HlSync     *self);
guint         hl_sync_get_connected  (HlSync     *self);
/* TRUE when a hyperlinkd holds the data directory and syncs for the window. */
gboolean      hl_sync_get_external   (HlSync     *self);
gint64        hl_sync_get_holder     (HlSync     *self);
const char   *hl_sync_get_error      (HlSync     *self);
/* The port the window's node listens on, or 0. */
guint         hl_sync_get_port       (HlSync     *self);
/* HlPeerInfo, in the status document's order; updated in place. */
GListModel   *hl_sync_get_peers      (HlSync     *self);
/* HlPeerInfo made with hl_peer_info_new_refusal: the connections the node
 * turned away lately (the status's "refused"), newest first. */
GListModel   *hl_sync_get_refused    (HlSync     *self);
/* "In sync · 2 peers" and the like, for the header bar. */
char         *hl_sync_dup_summary    (HlSync     *self);
/* The symbolic icon for @state, the same in the header bar and the Peers page. */
const char   *hl_sync_state_icon_name (HlSyncState state);
/* A sentence on who syncs and where, for the tooltip and the peers page. */
char         *hl_sync_dup_details    (HlSync     *self);
/* What the node says of Tailscale ("Tailscale is not running…", "Log in to
 * Tailscale…"), from its status; NULL before the first status. Changes
 * notify "summary". */
const char   *hl_sync_get_tailscale  (HlSync     *self);
const char   *hl_sync_get_data_dir   (HlSync     *self);
HlNodeRunner *hl_sync_get_runner     (HlSync     *self);

G_END_DECLS
