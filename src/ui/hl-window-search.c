/* hl-window-search.c: searching every subnet from the header bar.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-post-item.h"

/* Enough to find something; FTS5 ranks the best first. */
#define SEARCH_LIMIT 200

/* Replies have no title of their own: a result shows the thread's, so every
 * line says where the words were found. */
static gpointer
search_func (HlForum       *forum,
             HlStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  GPtrArray *rows = hl_store_search (store, data, SEARCH_LIMIT, error);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      HlPostRow *row = g_ptr_array_index (rows, i);
      g_autoptr(HlPostRow) thread = NULL;

      if (row->title != NULL || row->kind != HL_POST_REPLY ||
          !(thread = hl_store_get_post (store, row->thread, NULL)))
        continue;
      /* Translators: a search result found in a reply; %s is the thread's title */
      row->title = g_strdup_printf (_("Re: %s"), thread->title != NULL ? thread->title : "");
    }
  return rows;
}

static void
on_search_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlWindow *self = user_data;
  g_autoptr(GPtrArray) items = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (rows == NULL)
    {
      hl_window_toast_error (self, _("Search failed"), error);
      return;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      HlPostRow *row = g_steal_pointer (&g_ptr_array_index (rows, i));
      HlPostItem *item = hl_post_item_new ();

      hl_post_item_set_row (item, row, hl_forum_is_mine (self->forum, row->author));
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->result_model, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->result_model)),
                       items->pdata, items->len);
  hl_window_update_thread_stack (self);
}

void
hl_window_on_search_changed_cb (HlWindow       *self,
                      GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->searching = text[0] != '\0' && gtk_search_bar_get_search_mode (self->search_bar);
  if (!self->searching)
    {
      g_list_store_remove_all (self->result_model);
      hl_window_older_update (self);
      hl_window_update_thread_stack (self);
      return;
    }
  hl_window_older_update (self);
  self->search_cancellable = g_cancellable_new ();
  hl_forum_run_async (self->forum, search_func, g_strdup (text), g_free,
                      (GDestroyNotify) g_ptr_array_unref, self->search_cancellable,
                      on_search_done_cb, self);
}

void
hl_window_on_search_mode_cb (HlWindow     *self,
                   GParamSpec   *pspec,
                   GtkSearchBar *bar)
{
  gtk_toggle_button_set_active (self->search_button, gtk_search_bar_get_search_mode (bar));
  hl_window_on_search_changed_cb (self, self->search_entry);
}

