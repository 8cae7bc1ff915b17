/* hl-window-layout.c: where the window's three panes are. The subnets, the
 * threads and the open thread sit side by side on a wide window; narrower,
 * the sidebar of subnets folds away first, then the threads and the open
 * thread fold into one pane at a time, with Back between them.
 *
 * hl-window.ui only lines the panes up in boxes; this file puts them into
 * two nested AdwNavigationSplitViews collapsed by AdwBreakpoints (libadwaita
 * 1.4, the Flatpak runtime) or two nested AdwLeaflets (1.2, Debian 12). The
 * rest of the window sees hl_window_show_pane() and hl_window_get_pane().
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-ui-util.h"

/* Pinned natural widths of the panes: see hl_window_show_pane(). */
#define SUBNET_PANE_WIDTH 280
#define THREAD_PANE_WIDTH 340
#define POST_PANE_WIDTH   360

#if ADW_CHECK_VERSION (1, 4, 0)
#define HL_WINDOW_SPLIT_VIEW 1
/* Narrower than these, the sidebar collapses; then one pane at a time. The
 * sidebar may shrink to SUBNET_PANE_MIN_WIDTH so that three panes fit just
 * above the first (the threads and the open thread need 340 + 360 px). */
#define MEDIUM_BREAKPOINT     "max-width: 940px"
#define NARROW_BREAKPOINT     "max-width: 700px"
#define SUBNET_PANE_MIN_WIDTH 200
#else
#define HL_WINDOW_SPLIT_VIEW 0
#endif

void
hl_window_layout_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, HlWindow, panes_box);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, thread_header);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, post_header);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, subnets_button);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, back_button);
}

/* Takes @box's children out, in order, each with a reference. */
static GPtrArray *
take_children (GtkWidget *box)
{
  GPtrArray *children = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      g_ptr_array_add (children, g_object_ref (child));
      gtk_box_remove (GTK_BOX (box), child);
    }
  return children;
}

static gboolean
is_folded (GtkWidget *fold)
{
#if HL_WINDOW_SPLIT_VIEW
  return adw_navigation_split_view_get_collapsed (ADW_NAVIGATION_SPLIT_VIEW (fold));
#else
  return adw_leaflet_get_folded (ADW_LEAFLET (fold));
#endif
}

/* The sidebar's header bar has the window's buttons when it is all there
 * is. (Split views hide a header bar's buttons themselves.) */
static void
update_title_buttons (HlWindow *self)
{
  adw_header_bar_set_show_end_title_buttons (self->subnet_header,
                                             HL_WINDOW_SPLIT_VIEW || self->forum_empty ||
                                             is_folded (self->outer_fold));
}

static void
bind_back_buttons (HlWindow   *self,
                   const char *folded)
{
  g_object_bind_property (self->outer_fold, folded, self->subnets_button, "visible",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->inner_fold, folded, self->back_button, "visible",
                          G_BINDING_SYNC_CREATE);
}

#if HL_WINDOW_SPLIT_VIEW

static GtkWidget *
new_split_view (GtkWidget  *sidebar,
                const char *sidebar_title,
                const char *sidebar_tag,
                GtkWidget  *content,
                const char *content_title,
                const char *content_tag)
{
  AdwNavigationSplitView *split = ADW_NAVIGATION_SPLIT_VIEW (adw_navigation_split_view_new ());

  adw_navigation_split_view_set_sidebar (split, adw_navigation_page_new_with_tag (sidebar,
                                                                                  sidebar_title,
                                                                                  sidebar_tag));
  adw_navigation_split_view_set_content (split, adw_navigation_page_new_with_tag (content,
                                                                                  content_title,
                                                                                  content_tag));
  gtk_widget_set_hexpand (GTK_WIDGET (split), TRUE);
  return GTK_WIDGET (split);
}

/* Collapses the split views for the window's width: the breakpoints have no
 * setters, so that the newcomer's single page can keep the sidebar alone. */
static void
apply_breakpoint (HlWindow *self)
{
  GObject *current = G_OBJECT (adw_application_window_get_current_breakpoint (
                                 ADW_APPLICATION_WINDOW (self)));
  gboolean narrow = current != NULL && current == self->narrow_breakpoint;
  gboolean medium = narrow || (current != NULL && current == self->medium_breakpoint);
  AdwNavigationSplitView *outer = ADW_NAVIGATION_SPLIT_VIEW (self->outer_fold);

  adw_navigation_split_view_set_collapsed (outer, medium || self->forum_empty);
  adw_navigation_split_view_set_collapsed (ADW_NAVIGATION_SPLIT_VIEW (self->inner_fold), narrow);
  if (self->forum_empty)
    adw_navigation_split_view_set_show_content (outer, FALSE);
}

static void
on_current_breakpoint_cb (HlWindow   *self,
                          GParamSpec *pspec,
                          gpointer    unused)
{
  apply_breakpoint (self);
}

static GObject *
add_breakpoint (HlWindow   *self,
                const char *condition)
{
  AdwBreakpoint *breakpoint = adw_breakpoint_new (adw_breakpoint_condition_parse (condition));

  adw_application_window_add_breakpoint (ADW_APPLICATION_WINDOW (self), breakpoint);
  return G_OBJECT (breakpoint);  /* the window's */
}

static void
build_folds (HlWindow *self)
{
  g_autoptr(GPtrArray) panes = take_children (self->panes_box);
  g_autoptr(GPtrArray) content = take_children (adw_bin_get_child (ADW_BIN (self->content_pane)));
  AdwNavigationSplitView *outer, *inner;

  /* Split views draw their own separators: the boxes' are dropped. */
  self->inner_fold = new_split_view (self->thread_pane, _("Threads"), "threads",
                                     self->post_pane, _("Hyperlink"), "posts");
  inner = ADW_NAVIGATION_SPLIT_VIEW (self->inner_fold);
  adw_navigation_split_view_set_min_sidebar_width (inner, THREAD_PANE_WIDTH);
  adw_navigation_split_view_set_max_sidebar_width (inner, THREAD_PANE_WIDTH);
  adw_bin_set_child (ADW_BIN (self->content_pane), self->inner_fold);

  self->outer_fold = new_split_view (self->subnet_pane, _("Subnets"), "subnets",
                                     self->content_pane, _("Threads"), "content");
  outer = ADW_NAVIGATION_SPLIT_VIEW (self->outer_fold);
  adw_navigation_split_view_set_min_sidebar_width (outer, SUBNET_PANE_MIN_WIDTH);
  adw_navigation_split_view_set_max_sidebar_width (outer, SUBNET_PANE_WIDTH);
  gtk_box_append (GTK_BOX (self->panes_box), self->outer_fold);

  /* Our own back buttons, as on 1.2, not the header bars' automatic ones. */
  adw_header_bar_set_show_back_button (self->thread_header, FALSE);
  adw_header_bar_set_show_back_button (self->post_header, FALSE);
  bind_back_buttons (self, "collapsed");

  self->medium_breakpoint = add_breakpoint (self, MEDIUM_BREAKPOINT);
  self->narrow_breakpoint = add_breakpoint (self, NARROW_BREAKPOINT);
  g_signal_connect (self, "notify::current-breakpoint",
                    G_CALLBACK (on_current_breakpoint_cb), NULL);
}

void
hl_window_layout_dispose (HlWindow *self)
{
  /* Disposing the panes changes the window's size: no breakpoint may apply
   * to split views already gone. */
  g_signal_handlers_disconnect_by_func (self, on_current_breakpoint_cb, NULL);
}

#else /* libadwaita 1.2 */

void
hl_window_layout_dispose (HlWindow *self)
{
}

static void
on_leaflet_folded_cb (HlWindow   *self,
                      GParamSpec *pspec,
                      AdwLeaflet *leaflet)
{
  update_title_buttons (self);
}

/* A leaflet of @children; separators are not pages one can go to. */
static GtkWidget *
new_leaflet (const char *name,
             GPtrArray  *children)
{
  GtkWidget *leaflet = adw_leaflet_new ();

  gtk_widget_set_name (leaflet, name);
  gtk_widget_set_hexpand (leaflet, TRUE);
  adw_leaflet_set_can_navigate_back (ADW_LEAFLET (leaflet), TRUE);
  for (guint i = 0; i < children->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (children, i);
      AdwLeafletPage *page = adw_leaflet_append (ADW_LEAFLET (leaflet), child);

      if (GTK_IS_SEPARATOR (child))
        adw_leaflet_page_set_navigatable (page, FALSE);
    }
  return leaflet;
}

/* The outer leaflet folds on natural widths, pinned (hl_ui_pin_natural_width)
 * so that neither the fold nor the columns move with a title's length: a
 * leaflet that can fold asks only for its widest child as its minimum, so
 * on minimum widths the outer leaflet would fold last. */
static void
build_folds (HlWindow *self)
{
  g_autoptr(GPtrArray) panes = take_children (self->panes_box);
  g_autoptr(GPtrArray) content = take_children (adw_bin_get_child (ADW_BIN (self->content_pane)));

  self->inner_fold = new_leaflet ("content_leaflet", content);
  adw_bin_set_child (ADW_BIN (self->content_pane), self->inner_fold);
  self->outer_fold = new_leaflet ("leaflet", panes);
  adw_leaflet_set_fold_threshold_policy (ADW_LEAFLET (self->outer_fold),
                                         ADW_FOLD_THRESHOLD_POLICY_NATURAL);
  gtk_box_append (GTK_BOX (self->panes_box), self->outer_fold);

  g_object_bind_property (self->outer_fold, "folded",
                          self->thread_header, "show-start-title-buttons", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->inner_fold, "folded",
                          self->thread_header, "show-end-title-buttons", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->inner_fold, "folded",
                          self->post_header, "show-start-title-buttons", G_BINDING_SYNC_CREATE);
  bind_back_buttons (self, "folded");
  g_signal_connect_object (self->outer_fold, "notify::folded",
                           G_CALLBACK (on_leaflet_folded_cb), self, G_CONNECT_SWAPPED);
}

#endif

void
hl_window_layout_init (HlWindow *self)
{
  hl_ui_pin_natural_width (ADW_BIN (self->subnet_pane), SUBNET_PANE_WIDTH);
  hl_ui_pin_natural_width (ADW_BIN (self->thread_pane), THREAD_PANE_WIDTH);
  hl_ui_pin_natural_width (ADW_BIN (self->content_pane),
                           THREAD_PANE_WIDTH + 1 + POST_PANE_WIDTH);
  build_folds (self);
  update_title_buttons (self);
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
  gtk_widget_set_hexpand (self->subnet_pane, empty);
#if HL_WINDOW_SPLIT_VIEW
  apply_breakpoint (self);
#else
  gtk_widget_set_visible (self->sidebar_separator, !empty);
#endif
  update_title_buttons (self);
  hl_window_restore_offer_update (self);
}

void
hl_window_show_pane (HlWindow  *self,
                     GtkWidget *pane)
{
#if HL_WINDOW_SPLIT_VIEW
  adw_navigation_split_view_set_show_content (ADW_NAVIGATION_SPLIT_VIEW (self->outer_fold),
                                              pane != self->subnet_pane);
  if (pane != self->subnet_pane)
    adw_navigation_split_view_set_show_content (ADW_NAVIGATION_SPLIT_VIEW (self->inner_fold),
                                                pane == self->post_pane);
#else
  if (pane == self->subnet_pane)
    {
      adw_leaflet_set_visible_child (ADW_LEAFLET (self->outer_fold), self->subnet_pane);
      return;
    }
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->outer_fold), self->content_pane);
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->inner_fold), pane);
#endif
}

const char *
hl_window_get_pane (HlWindow *self)
{
  gboolean subnets, posts;

  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
#if HL_WINDOW_SPLIT_VIEW
  subnets = !adw_navigation_split_view_get_show_content (ADW_NAVIGATION_SPLIT_VIEW (self->outer_fold));
  posts = adw_navigation_split_view_get_show_content (ADW_NAVIGATION_SPLIT_VIEW (self->inner_fold));
#else
  subnets = adw_leaflet_get_visible_child (ADW_LEAFLET (self->outer_fold)) == self->subnet_pane;
  posts = adw_leaflet_get_visible_child (ADW_LEAFLET (self->inner_fold)) == self->post_pane;
#endif
  return subnets ? "subnets" : posts ? "posts" : "threads";
}

guint
hl_window_get_columns (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), 0);
  if (!is_folded (self->outer_fold))
    return 3;
  return is_folded (self->inner_fold) ? 1 : 2;
}
