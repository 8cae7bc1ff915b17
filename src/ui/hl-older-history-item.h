/* hl-older-history-item.h: what of a subnet (or, for a search, of every
 * subnet) this device dropped below the horizon (docs/protocol.md,
 * "Horizon"), and loading it back from the group's archive. A model, no
 * widgets: the last row of a subnet's thread list shows it (hl-thread-row.c,
 * hl-window-older.c), and so does the line below a search's results
 * (HlOlderHistory).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-forum.h"
#include "hl-node-runner.h"

G_BEGIN_DECLS

#define HL_TYPE_OLDER_HISTORY_ITEM (hl_older_history_item_get_type ())

G_DECLARE_FINAL_TYPE (HlOlderHistoryItem, hl_older_history_item, HL, OLDER_HISTORY_ITEM, GObject)

/* Properties, each notified when it changes:
 *   "shown"   gboolean: something is dropped here (or a load of it is
 *             under way): the line is to be shown.
 *   "text"    string: the line: "Older history: 1,234 threads from before
 *             March 2026, stored across your group", the load's progress,
 *             or why it failed.
 *   "loading" gboolean: a load was asked for and has not ended. */
HlOlderHistoryItem *hl_older_history_item_new         (HlForum            *forum);
/* Reads, off the main thread, what of @subnet (HL_ID_LEN bytes) is not on
 * this device. */
void                hl_older_history_item_set_subnet  (HlOlderHistoryItem *self,
                                                       const guint8       *subnet);
/* For a search over every subnet: "Not searched: 3 archived months are not
 * on this device; matches there are not shown". */
void                hl_older_history_item_set_search  (HlOlderHistoryItem *self);
/* Shows nothing (drops any read under way); a load under way goes on. */
void                hl_older_history_item_clear       (HlOlderHistoryItem *self);
/* The window's node, asked to load; or the hyperlinkd it follows, whose
 * status document tells the load's progress. */
void                hl_older_history_item_set_runner  (HlOlderHistoryItem *self,
                                                       HlNodeRunner       *runner);
/* Load: asks the node that runs here to fetch the dropped months shown
 * (the subnet's, or for a search every one), no other: the window's node
 * directly (hl_node_runner_load_async), a hyperlinkd one month at a time
 * through the database, as hyperlinkctl archive load asks it. */
void                hl_older_history_item_load        (HlOlderHistoryItem *self);

gboolean            hl_older_history_item_get_shown   (HlOlderHistoryItem *self);
/* The line, or NULL when not shown. */
const char         *hl_older_history_item_get_text    (HlOlderHistoryItem *self);
gboolean            hl_older_history_item_get_loading (HlOlderHistoryItem *self);
/* The dropped threads counted by the last read, and the month they are from
 * before ("March 2026"; NULL when none or for a search). */
guint64             hl_older_history_item_get_threads (HlOlderHistoryItem *self);
const char         *hl_older_history_item_get_before  (HlOlderHistoryItem *self);
/* Whether no read or request is under way (for tests). */
gboolean            hl_older_history_item_is_idle     (HlOlderHistoryItem *self);

G_END_DECLS
