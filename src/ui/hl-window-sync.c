/* hl-window-sync.c: the sync indicator in the header bar, and the way to
 * the Peers page.
 *
 * The subtitle under the window's name says offline / syncing / in sync and
 * how many peers are connected; the button beside it shows the same as an
 * icon, says who syncs in its tooltip, and opens the Peers page.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-preferences-window.h"

static void
update_indicator (HlWindow *self)
{
  g_autofree char *summary = hl_sync_dup_summary (self->sync);
  g_autofree char *details = hl_sync_dup_details (self->sync);
  /* Short: the state and who syncs. Tailscale and the peers are on the
   * Peers page the button opens. */
  /* Translators: the sync state, then who syncs ("Offline\nSyncing in this window; …") */
  g_autofree char *tooltip = g_strdup_printf (_("%s\n%s"), summary, details);
  HlSyncState state = hl_sync_get_state (self->sync);

  adw_window_title_set_subtitle (self->app_title, summary);
  gtk_button_set_icon_name (self->sync_button, hl_sync_state_icon_name (state));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), tooltip);
  if (state == HL_SYNC_IN_SYNC)
    gtk_widget_add_css_class (GTK_WIDGET (self->sync_button), "success");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->sync_button), "success");
  if (state == HL_SYNC_OFF && hl_sync_get_error (self->sync) != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->sync_button), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->sync_button), "error");
}

void
hl_window_set_sync (HlWindow *self,
                    HlSync   *sync)
{
  g_return_if_fail (self->sync == NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), sync != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-peers", sync != NULL);
  if (sync == NULL)
    return;
  self->sync = g_object_ref (sync);
  hl_window_older_set_runner (self, hl_sync_get_runner (sync));
  g_signal_connect_object (sync, "notify::summary", G_CALLBACK (update_indicator), self,
                           G_CONNECT_SWAPPED);
  update_indicator (self);
}

void
hl_window_show_peers_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  HlPreferencesWindow *prefs;

  if (self->sync == NULL)
    return;
  prefs = hl_preferences_window_new (GTK_WINDOW (self), self->forum, self->sync);
  hl_preferences_window_show_peers (prefs);
  hl_preferences_window_present (prefs);
}

HlSync *
hl_window_get_sync (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->sync;
}

const char *
hl_window_get_sync_text (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->sync != NULL ? adw_window_title_get_subtitle (self->app_title) : NULL;
}

const char *
hl_window_get_sync_icon (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->sync != NULL ? gtk_button_get_icon_name (self->sync_button) : NULL;
}

const char *
hl_window_get_sync_tooltip (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->sync != NULL ? gtk_widget_get_tooltip_text (GTK_WIDGET (self->sync_button)) : NULL;
}
