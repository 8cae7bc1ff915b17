/* hl-thread-list-model.h: a subnet's threads, most recently active first,
 * loaded page by page on worker threads.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_THREAD_LIST_MODEL (hl_thread_list_model_get_type ())

G_DECLARE_FINAL_TYPE (HlThreadListModel, hl_thread_list_model, HL, THREAD_LIST_MODEL, GObject)

/* Items are HlPostItems. Positions not loaded yet hold placeholders that fill
 * in (by property notification) when their page arrives. */
HlThreadListModel *hl_thread_list_model_new        (HlForum           *forum);
/* Shows the threads of @subnet (NULL: none). Cheap: it counts, then loads
 * the pages that are asked for. */
void               hl_thread_list_model_set_subnet (HlThreadListModel *self,
                                                    const guint8      *subnet);
const guint8      *hl_thread_list_model_get_subnet (HlThreadListModel *self);
gboolean           hl_thread_list_model_get_loading (HlThreadListModel *self);
/* Re-reads the count and the pages looked at last, updating items in place;
 * new threads on top are inserted so the rows in view stay where they are. */
void               hl_thread_list_model_reload     (HlThreadListModel *self);
/* Asks the items of the pages looked at last to show their times again. */
void               hl_thread_list_model_notify_times (HlThreadListModel *self);
/* The position of the loaded thread @id, or G_MAXUINT. */
guint              hl_thread_list_model_find       (HlThreadListModel *self,
                                                    const guint8      *id);

G_END_DECLS
