/* hl-tailnet.h: the node's use of Tailscale: peers found on the tailnet,
 * tailnet-only admission of incoming connections, and what to tell the user.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hl-node.h"
#include "hl-peer.h"

G_BEGIN_DECLS

#define HL_TYPE_TAILNET (hl_tailnet_get_type ())

G_DECLARE_FINAL_TYPE (HlTailnet, hl_tailnet, HL, TAILNET, GObject)

/* @node is not owned: it owns the HlTailnet. @socket_path and @tag may be
 * NULL (the default socket; every machine). @port is where peers are probed. */
HlTailnet  *hl_tailnet_new               (HlNode       *node,
                                          const char   *socket_path,
                                          const char   *tag,
                                          gboolean      allow_any_network,
                                          guint16       port);
void        hl_tailnet_start             (HlTailnet    *self);
/* Stops following tailscaled (for a node that stops: its peers stay
 * offered, for the last status). */
void        hl_tailnet_stop              (HlTailnet    *self);
/* Whether a connection from @remote_host must be vouched for by whois:
 * Tailscale runs, other networks are not allowed, and it is not loopback. */
gboolean    hl_tailnet_needs_admission   (HlTailnet    *self,
                                          const char   *remote_host);
/* Asks whois about @peer's address (HOST:PORT): admits it, with its tailnet
 * user and machine recorded, or closes it with a reason. */
void        hl_tailnet_admit             (HlTailnet    *self,
                                          HlPeer       *peer);
/* Whether the tailnet says @host (an IP or MagicDNS name) is a machine that
 * is offline: other ways of finding peers must not dial it either. */
gboolean    hl_tailnet_knows_offline     (HlTailnet    *self,
                                          const char   *host);
/* The status file's "tailscale" member. @self may be NULL (Tailscale off). */
void        hl_tailnet_add_status        (HlTailnet    *self,
                                          JsonBuilder  *builder);

G_END_DECLS
