/* hl-list-merge.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-list-merge.h"

void
hl_list_merge (GListModel             *model,
               GPtrArray              *items,
               GPtrArray              *rows,
               const HlListMergeFuncs *funcs,
               gpointer                user_data)
{
  guint old_n = items->len, prefix = 0, suffix = 0, removed, added;

  while (prefix < old_n && prefix < rows->len &&
         funcs->same (g_ptr_array_index (items, prefix), g_ptr_array_index (rows, prefix)))
    {
      funcs->update (g_ptr_array_index (items, prefix),
                     g_steal_pointer (&g_ptr_array_index (rows, prefix)), user_data);
      prefix++;
    }
  while (suffix < old_n - prefix && suffix < rows->len - prefix &&
         funcs->same (g_ptr_array_index (items, old_n - 1 - suffix),
                      g_ptr_array_index (rows, rows->len - 1 - suffix)))
    {
      funcs->update (g_ptr_array_index (items, old_n - 1 - suffix),
                     g_steal_pointer (&g_ptr_array_index (rows, rows->len - 1 - suffix)),
                     user_data);
      suffix++;
    }

  removed = old_n - prefix - suffix;
  added = rows->len - prefix - suffix;
  if (removed == 0 && added == 0)
    return;
  g_ptr_array_remove_range (items, prefix, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (items, prefix + i,
                        funcs->create (g_steal_pointer (&g_ptr_array_index (rows, prefix + i)),
                                       user_data));
  g_list_model_items_changed (model, prefix, removed, added);
}
