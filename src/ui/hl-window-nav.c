/* hl-window-nav.c: moving around the window: back, search, and the
 * keyboard's next/previous/next unread thread (the panes themselves are in
 * hl-window-layout.c).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-post-item.h"

void
hl_window_back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  /* The open thread goes back to its list; the list, to the subnets. */
  if (g_str_equal (hl_window_get_pane (self), "posts"))
    hl_window_show_pane (self, self->thread_pane);
  else
    hl_window_show_pane (self, self->subnet_pane);
}

/* The thread list's back button: the subnets, whatever is beside the list. */
void
hl_window_show_subnets_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  hl_window_show_pane (HL_WINDOW (widget), HL_WINDOW (widget)->subnet_pane);
}

void
hl_window_search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  hl_window_show_pane (self, self->thread_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Opens the search with @parameter typed in (links, tests, the screenshot tool). */
void
hl_window_find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  hl_window_search_action (widget, NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), g_variant_get_string (parameter, NULL));
}

static gboolean
decode_param (GVariant *parameter,
              guint8   *id)
{
  const char *hex = g_variant_get_string (parameter, NULL);

  return hl_hex_decode (hex, id, HL_ID_LEN);
}

void
hl_window_select_subnet_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  guint8 id[HL_ID_LEN];

  if (decode_param (parameter, id))
    {
      hl_window_open_subnet (HL_WINDOW (widget), id);
      hl_window_show_pane (HL_WINDOW (widget), HL_WINDOW (widget)->thread_pane);
    }
}

void
hl_window_open_thread_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  guint8 id[HL_ID_LEN];

  if (decode_param (parameter, id))
    {
      hl_window_open_thread (HL_WINDOW (widget), id);
      hl_window_show_pane (HL_WINDOW (widget), HL_WINDOW (widget)->post_pane);
    }
}

/* --- moving between threads from the keyboard --- */

/* Opens the thread at @pos of the list, if it has loaded, and shows it. */
static gboolean
open_thread_at (HlWindow *self,
                guint     pos)
{
  g_autoptr(HlPostItem) item = g_list_model_get_item (G_LIST_MODEL (self->thread_model), pos);

  if (item == NULL || !hl_post_item_get_loaded (item))
    return FALSE;
  hl_window_open_thread (self, hl_post_item_get_row (item)->id);
  gtk_widget_activate_action (GTK_WIDGET (self->thread_list), "list.scroll-to-item", "u", pos);
  hl_window_show_pane (self, self->post_pane);
  return TRUE;
}

static guint
open_position (HlWindow *self)
{
  return self->has_thread ? hl_thread_list_model_find (self->thread_model, self->thread)
                          : G_MAXUINT;
}

void
hl_window_next_thread_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  guint pos = open_position (self);

  open_thread_at (self, pos == G_MAXUINT ? 0 : pos + 1);
}

void
hl_window_previous_thread_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  guint pos = open_position (self);

  if (pos != G_MAXUINT && pos > 0)
    open_thread_at (self, pos - 1);
}

/* The next thread below the open one with something unread, among those
 * loaded (the pages near what was looked at); wraps to the top once. */
void
hl_window_next_unread_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->thread_model));
  guint start = open_position (self);

  start = start == G_MAXUINT ? 0 : start + 1;
  for (guint i = 0; i < n; i++)
    {
      guint pos = (start + i) % n;
      g_autoptr(HlPostItem) item = g_list_model_get_item (G_LIST_MODEL (self->thread_model), pos);

      if (item != NULL && hl_post_item_get_loaded (item) && hl_post_item_get_unread (item))
        {
          open_thread_at (self, pos);
          return;
        }
    }
  hl_window_toast (self, _("No unread threads"));
}
