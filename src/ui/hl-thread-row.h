/* hl-thread-row.h: a thread in a subnet's list.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-post-item.h"

G_BEGIN_DECLS

#define HL_TYPE_THREAD_ROW (hl_thread_row_get_type ())

G_DECLARE_FINAL_TYPE (HlThreadRow, hl_thread_row, HL, THREAD_ROW, GtkWidget)

GtkWidget          *hl_thread_row_new         (void);
/* A factory for a list of HlPostItem threads whose rows are HlThreadRow,
 * built in code and reused; a last HlOlderHistoryItem (hl-window-older.c)
 * is shown as an HlOlderHistory line with its Load button. */
GtkListItemFactory *hl_thread_row_factory_new (void);
HlPostItem         *hl_thread_row_get_item    (HlThreadRow *self);
void                hl_thread_row_set_item    (HlThreadRow *self,
                                               HlPostItem  *item);

G_END_DECLS
