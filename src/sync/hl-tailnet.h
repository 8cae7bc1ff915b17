/* hl-tailnet.h: the node's use of Tailscale: peers found on the tailnet,
 * its word on incoming connections (whois), and what to tell the user.
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
                                          guint16       port);
void        hl_tailnet_start             (HlTailnet    *self);
/* Stops following tailscaled (for a node that stops: its peers stay
 * offered, for the last status). */
void        hl_tailnet_stop              (HlTailnet    *self);
/* BackendState is Running: whois can vouch for peers. FALSE for NULL. */
gboolean    hl_tailnet_is_running        (HlTailnet    *self);
/* Started, and tailscaled has not answered (or failed to) yet: whether the
 * tailnet can vouch is not known. FALSE for NULL. */
gboolean    hl_tailnet_is_checking       (HlTailnet    *self);
/* The status file's tailscale.state ("running", "stopped", …; "off" for NULL). */
const char *hl_tailnet_get_state         (HlTailnet    *self);
/* Asks whois about @peer's address (HOST:PORT): peer->whois goes to
 * HL_WHOIS_ASKING, then YES (its tailnet user and machine recorded) or NO
 * (with whois_problem), and admission decides again. */
void        hl_tailnet_whois             (HlTailnet    *self,
                                          HlPeer       *peer);
/* Whether the tailnet says @host (an IP or MagicDNS name) is a machine that
 * is offline: other ways of finding peers must not dial it either. */
gboolean    hl_tailnet_knows_offline     (HlTailnet    *self,
                                          const char   *host);
/* The status file's "tailscale" member, with @admission, the sentence on
 * who is admitted now. @self may be NULL (Tailscale off). */
void        hl_tailnet_add_status        (HlTailnet    *self,
                                          const char   *admission,
                                          JsonBuilder  *builder);

G_END_DECLS
