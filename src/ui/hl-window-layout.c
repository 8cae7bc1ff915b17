/* hl-window-layout.c: where the window's three panes are. The subnets, the
 * threads and the open thread sit side by side on a wide window; narrower,
 * the sidebar of subnets folds away first, then the threads and the open
 * thread fold into one pane at a time, with Back between them.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-window-private.h"

#include "hl-ui-util.h"

/* Pinned natural widths of the panes: see hl_window_show_pane(). */
#define SUBNET_PANE_WIDTH 280
#define THREAD_PANE_WIDTH 340
#define POST_PANE_WIDTH   360

/* The sidebar's header bar has the window's buttons when it is all there is. */
static void
update_title_buttons (HlWindow *self)
{
  adw_header_bar_set_show_end_title_buttons (self->subnet_header,
                                             self->forum_empty ||
                                             adw_leaflet_get_folded (self->leaflet));
}

static void
on_leaflet_folded_cb (HlWindow   *self,
                      GParamSpec *pspec,
                      AdwLeaflet *leaflet)
{
  update_title_buttons (self);
}

void
hl_window_layout_init (HlWindow *self)
{
  hl_ui_pin_natural_width (ADW_BIN (self->subnet_pane), SUBNET_PANE_WIDTH);
  hl_ui_pin_natural_width (ADW_BIN (self->thread_pane), THREAD_PANE_WIDTH);
  hl_ui_pin_natural_width (ADW_BIN (self->content_pane),
                           THREAD_PANE_WIDTH + 1 + POST_PANE_WIDTH);
  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (on_leaflet_folded_cb), self, G_CONNECT_SWAPPED);
}

/* No subnet at all: a newcomer. One page, the width of the window, says
 * what to do (join with an invite, or start a subnet); no empty panes. */
void
hl_window_set_forum_empty (HlWindow *self,
                           gboolean  empty)
{
  self->forum_empty = empty;
  gtk_stack_set_visible_child_name (self->subnet_stack, empty ? "empty" : "list");
  gtk_widget_set_visible (self->content_pane, !empty);
  gtk_widget_set_visible (self->sidebar_separator, !empty);
  gtk_widget_set_hexpand (self->subnet_pane, empty);
  update_title_buttons (self);
  hl_window_restore_offer_update (self);
}

/* Two leaflets: the sidebar of subnets folds away first (below ~940 px),
 * the threads and the open thread stay side by side down to ~700 px. The
 * outer one folds on natural widths, pinned (hl_ui_pin_natural_width) so
 * that neither the fold nor the columns move with a title's length: a
 * leaflet that can fold asks only for its widest child as its minimum, so
 * on minimum widths the outer leaflet would fold last. */
void
hl_window_show_pane (HlWindow  *self,
                     GtkWidget *pane)
{
  if (pane == self->subnet_pane)
    {
      adw_leaflet_set_visible_child (self->leaflet, self->subnet_pane);
      return;
    }
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
  adw_leaflet_set_visible_child (self->content_leaflet, pane);
}

const char *
hl_window_get_pane (HlWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  if (adw_leaflet_get_visible_child (self->leaflet) == self->subnet_pane)
    return "subnets";
  child = adw_leaflet_get_visible_child (self->content_leaflet);
  return child == self->thread_pane ? "threads" : "posts";
}
