/* hl-list-merge.h: refreshing a list model's items without moving the rest.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  /* Whether @item shows the object @row describes. */
  gboolean  (*same)   (gpointer item,
                       gpointer row);
  /* Updates @item from @row, which it takes. */
  void      (*update) (gpointer item,
                       gpointer row,
                       gpointer user_data);
  /* A new item for @row, which it takes. */
  gpointer  (*create) (gpointer row,
                       gpointer user_data);
} HlListMergeFuncs;

/* Makes @items (the items of @model) show @rows, stealing every row from
 * @rows. Items at both ends that show the same objects as before are kept
 * and updated in place, so the rows on screen do not move; the middle is
 * replaced with one items-changed on @model. */
void hl_list_merge (GListModel             *model,
                    GPtrArray              *items,
                    GPtrArray              *rows,
                    const HlListMergeFuncs *funcs,
                    gpointer                user_data);

G_END_DECLS
