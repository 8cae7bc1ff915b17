/* hl-preferences-window.c: Preferences, the pages it holds and the one API
 * over AdwPreferencesDialog (libadwaita 1.5 and later) and
 * AdwPreferencesWindow (1.2). Only this file knows which it is.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-preferences-window.h"

#include "hl-archive-page.h"
#include "hl-general-page.h"
#include "hl-peers-page.h"

#if ADW_CHECK_VERSION (1, 5, 0)
#define HAVE_PREFERENCES_DIALOG 1
#endif

struct _HlPreferencesWindow
{
#ifdef HAVE_PREFERENCES_DIALOG
  AdwPreferencesDialog  parent_instance;

  GtkWidget            *parent;   /* weak: presented inside it */
#else
  AdwPreferencesWindow  parent_instance;
#endif

  HlGeneralPage        *general_page;
  HlPeersPage          *peers_page;
};

#ifdef HAVE_PREFERENCES_DIALOG
G_DEFINE_FINAL_TYPE (HlPreferencesWindow, hl_preferences_window, ADW_TYPE_PREFERENCES_DIALOG)
#else
G_DEFINE_FINAL_TYPE (HlPreferencesWindow, hl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)
#endif

static void
add_page (HlPreferencesWindow *self,
          AdwPreferencesPage  *page)
{
#ifdef HAVE_PREFERENCES_DIALOG
  adw_preferences_dialog_add (ADW_PREFERENCES_DIALOG (self), page);
#else
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
#endif
}

static void
add_toast (HlPreferencesWindow *self,
           const char          *text)
{
#ifdef HAVE_PREFERENCES_DIALOG
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self), adw_toast_new (text));
#else
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
#endif
}

static void
hl_preferences_window_dispose (GObject *object)
{
  HlPreferencesWindow *self = HL_PREFERENCES_WINDOW (object);

#ifdef HAVE_PREFERENCES_DIALOG
  g_clear_weak_pointer (&self->parent);
#else
  /* A focused entry still blinking its cursor warns when disposed. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
#endif

  G_OBJECT_CLASS (hl_preferences_window_parent_class)->dispose (object);
}

static void
hl_preferences_window_class_init (HlPreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_preferences_window_dispose;
}

static void
hl_preferences_window_init (HlPreferencesWindow *self)
{
#ifdef HAVE_PREFERENCES_DIALOG
  adw_preferences_dialog_set_search_enabled (ADW_PREFERENCES_DIALOG (self), FALSE);
  adw_dialog_set_content_width (ADW_DIALOG (self), 600);
  adw_dialog_set_content_height (ADW_DIALOG (self), 560);
#else
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 600, 560);
#endif
}

HlPreferencesWindow *
hl_preferences_window_new (GtkWindow *parent,
                           HlForum   *forum,
                           HlSync    *sync)
{
  HlPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_PREFERENCES_WINDOW, NULL);
#ifdef HAVE_PREFERENCES_DIALOG
  g_set_weak_pointer (&self->parent, GTK_WIDGET (parent));
#else
  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
#endif
  self->general_page = hl_general_page_new (forum);
  add_page (self, ADW_PREFERENCES_PAGE (self->general_page));
  if (sync != NULL)
    {
      self->peers_page = hl_peers_page_new (sync, forum);
      add_page (self, ADW_PREFERENCES_PAGE (self->peers_page));
    }
  add_page (self, ADW_PREFERENCES_PAGE (hl_archive_page_new (forum)));
  return self;
}

void
hl_preferences_window_present (HlPreferencesWindow *self)
{
  g_return_if_fail (HL_IS_PREFERENCES_WINDOW (self));
#ifdef HAVE_PREFERENCES_DIALOG
  adw_dialog_present (ADW_DIALOG (self), self->parent);
#else
  gtk_window_present (GTK_WINDOW (self));
#endif
}

void
hl_preferences_window_close (HlPreferencesWindow *self)
{
  g_return_if_fail (HL_IS_PREFERENCES_WINDOW (self));
#ifdef HAVE_PREFERENCES_DIALOG
  adw_dialog_force_close (ADW_DIALOG (self));
#else
  gtk_window_destroy (GTK_WINDOW (self));
#endif
}

void
hl_preferences_window_show_page (HlPreferencesWindow *self,
                                 const char          *name)
{
  g_return_if_fail (HL_IS_PREFERENCES_WINDOW (self));
#ifdef HAVE_PREFERENCES_DIALOG
  adw_preferences_dialog_set_visible_page_name (ADW_PREFERENCES_DIALOG (self), name);
#else
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (self), name);
#endif
}

void
hl_preferences_window_show_peers (HlPreferencesWindow *self)
{
  g_return_if_fail (HL_IS_PREFERENCES_WINDOW (self));
  if (self->peers_page != NULL)
    hl_preferences_window_show_page (self, "peers");
}

HlPeersPage *
hl_preferences_window_get_peers (HlPreferencesWindow *self)
{
  g_return_val_if_fail (HL_IS_PREFERENCES_WINDOW (self), NULL);
  return self->peers_page;
}

HlBootstrapGroup *
hl_preferences_window_get_bootstrap (HlPreferencesWindow *self)
{
  g_return_val_if_fail (HL_IS_PREFERENCES_WINDOW (self), NULL);
  return hl_general_page_get_bootstrap (self->general_page);
}

void
hl_preferences_window_toast (GtkWidget  *inside,
                             const char *text)
{
  GtkWidget *self = gtk_widget_get_ancestor (inside, HL_TYPE_PREFERENCES_WINDOW);

  if (self != NULL)
    add_toast (HL_PREFERENCES_WINDOW (self), text);
}
