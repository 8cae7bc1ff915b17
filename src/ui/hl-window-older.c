/* hl-window-older.c: the months of the open subnet this device dropped
 * below the horizon, as the last row of its thread list: "Older history:
 * 1,234 threads from before March 2026, stored across your group", with
 * Load (docs/protocol.md, "Horizon"). The list's model is the subnet's
 * threads followed by none or one HlOlderHistoryItem; a search says what it
 * could not look into on the line below its results instead.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-window-private.h"

/* The row is in the list while the item has something to show: dropped
 * months, a load under way, or why a load failed. */
static void
on_older_shown_cb (HlWindow           *self,
                   GParamSpec         *pspec,
                   HlOlderHistoryItem *item)
{
  gboolean shown = hl_older_history_item_get_shown (item);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->older_rows));

  if (shown && n == 0)
    g_list_store_append (self->older_rows, item);
  else if (!shown && n > 0)
    g_list_store_remove_all (self->older_rows);
  hl_window_update_thread_stack (self);
}

GListModel *
hl_window_older_init (HlWindow *self)
{
  g_autoptr(GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);

  self->older_item = hl_older_history_item_new (self->forum);
  self->older_rows = g_list_store_new (HL_TYPE_OLDER_HISTORY_ITEM);
  g_signal_connect_object (self->older_item, "notify::shown", G_CALLBACK (on_older_shown_cb),
                           self, G_CONNECT_SWAPPED);
  g_list_store_append (parts, self->thread_model);
  g_list_store_append (parts, self->older_rows);
  self->thread_rows = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (
                                      g_steal_pointer (&parts))));
  return self->thread_rows;
}

void
hl_window_older_update (HlWindow *self)
{
  if (self->has_subnet)
    hl_older_history_item_set_subnet (self->older_item, self->subnet);
  else
    hl_older_history_item_clear (self->older_item);
  if (self->searching)
    hl_older_history_set_search (self->older_history);
  else
    hl_older_history_clear (self->older_history);
}

gboolean
hl_window_older_shown (HlWindow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->older_rows)) > 0;
}

gboolean
hl_window_older_activate (HlWindow *self,
                          guint     position)
{
  g_autoptr(GObject) item = g_list_model_get_item (self->thread_rows, position);

  if (!HL_IS_OLDER_HISTORY_ITEM (item))
    return FALSE;
  hl_older_history_item_load (HL_OLDER_HISTORY_ITEM (item));
  return TRUE;
}

void
hl_window_older_set_runner (HlWindow     *self,
                            HlNodeRunner *runner)
{
  hl_older_history_item_set_runner (self->older_item, runner);
  hl_older_history_set_runner (self->older_history, runner);
}

void
hl_window_older_dispose (HlWindow *self)
{
  g_clear_object (&self->thread_rows);
  g_clear_object (&self->older_rows);
  g_clear_object (&self->older_item);
}
