/* hl-peers-page.h: the Peers page of Preferences.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"
#include "hl-sync.h"

G_BEGIN_DECLS

#define HL_TYPE_PEERS_PAGE (hl_peers_page_get_type ())

G_DECLARE_FINAL_TYPE (HlPeersPage, hl_peers_page, HL, PEERS_PAGE, AdwPreferencesPage)

/* @forum (may be NULL) names peers by their owner's display name. */
HlPeersPage *hl_peers_page_new          (HlSync      *sync,
                                         HlForum     *forum);
/* For tests: the list of peer rows (one AdwExpanderRow per peer). */
GtkListBox  *hl_peers_page_get_list     (HlPeersPage *self);
/* For tests: what the row of the peer at @position says, one line per
 * field ("title", "subtitle", then each detail row as "Title: subtitle"). */
char        *hl_peers_page_describe_row (HlPeersPage *self,
                                         guint        position);
/* For tests: what the "Refused" row at @position says ("title\nsubtitle\n"),
 * or NULL when there is none or the group is hidden. */
char        *hl_peers_page_describe_refusal (HlPeersPage *self,
                                             guint        position);
/* For tests: the sentence on who syncs. */
const char  *hl_peers_page_get_status   (HlPeersPage *self);
/* For tests: the sentence on Tailscale. */
const char  *hl_peers_page_get_tailscale (HlPeersPage *self);

G_END_DECLS
