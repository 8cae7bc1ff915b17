/* hl-older-history.h: the line that shows an HlOlderHistoryItem: what this
 * device dropped below the horizon (docs/protocol.md, "Horizon"), "Older
 * history: 1,234 threads from before March 2026, stored across your
 * group", with a Load button and the load's progress. It is the last row of
 * a subnet's thread list (hl-thread-row.c) and the line below a search's
 * results.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"
#include "hl-node-runner.h"
#include "hl-older-history-item.h"

G_BEGIN_DECLS

#define HL_TYPE_OLDER_HISTORY (hl_older_history_get_type ())

G_DECLARE_FINAL_TYPE (HlOlderHistory, hl_older_history, HL, OLDER_HISTORY, GtkBox)

/* A line with an item of its own. */
HlOlderHistory     *hl_older_history_new        (HlForum            *forum);
/* A line showing @item (NULL: none), as a list row does. */
HlOlderHistory     *hl_older_history_new_empty  (void);
void                hl_older_history_set_item   (HlOlderHistory     *self,
                                                 HlOlderHistoryItem *item);
HlOlderHistoryItem *hl_older_history_get_item   (HlOlderHistory     *self);

/* The item's calls (hl-older-history-item.h), for the line's own item. */
void                hl_older_history_set_subnet (HlOlderHistory     *self,
                                                 const guint8       *subnet);
void                hl_older_history_set_search (HlOlderHistory     *self);
void                hl_older_history_clear      (HlOlderHistory     *self);
void                hl_older_history_set_runner (HlOlderHistory     *self,
                                                 HlNodeRunner       *runner);
void                hl_older_history_load       (HlOlderHistory     *self);
gboolean            hl_older_history_is_idle    (HlOlderHistory     *self);
gboolean            hl_older_history_is_loading (HlOlderHistory     *self);
/* The sentence shown, or NULL when hidden. */
const char         *hl_older_history_get_text   (HlOlderHistory     *self);
/* The Load button (for tests). */
GtkWidget          *hl_older_history_get_load_button (HlOlderHistory *self);

G_END_DECLS
