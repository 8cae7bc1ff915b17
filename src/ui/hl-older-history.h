/* hl-older-history.h: the line that ends a subnet's thread list when this
 * device dropped months of it below the horizon (docs/protocol.md,
 * "Horizon"): "Older history: 1,234 threads from before March 2026, stored
 * across your group", with a Load button.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"
#include "hl-node-runner.h"

G_BEGIN_DECLS

#define HL_TYPE_OLDER_HISTORY (hl_older_history_get_type ())

G_DECLARE_FINAL_TYPE (HlOlderHistory, hl_older_history, HL, OLDER_HISTORY, GtkBox)

HlOlderHistory *hl_older_history_new        (HlForum        *forum);
/* Reads, off the main thread, what of @subnet (HL_ID_LEN bytes) is not on
 * this device; the line hides itself when nothing is. */
void            hl_older_history_set_subnet (HlOlderHistory *self,
                                             const guint8   *subnet);
/* For a search over every subnet: "Not searched: 3 archived months are not
 * on this device; matches there are not shown", with Load. */
void            hl_older_history_set_search (HlOlderHistory *self);
/* Whether no read is under way (for tests). */
gboolean        hl_older_history_is_idle    (HlOlderHistory *self);
/* The sentence shown, or NULL when hidden. */
const char     *hl_older_history_get_text   (HlOlderHistory *self);
/* Load: asks the node that runs here to fetch the dropped months the line
 * counts (the subnet's, or for a search every one), no other: the window's
 * node directly (hl_node_runner_load_async), a hyperlinkd one month at a
 * time through the database, as hyperlinkctl archive load asks it. */
void            hl_older_history_load       (HlOlderHistory *self);
/* The window's node, asked to load; or the hyperlinkd it follows, whose
 * status document tells the load's progress. */
void            hl_older_history_set_runner (HlOlderHistory *self,
                                             HlNodeRunner   *runner);
/* Whether a load was asked for (for tests). */
gboolean        hl_older_history_is_loading (HlOlderHistory *self);

G_END_DECLS
