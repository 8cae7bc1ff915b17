/* hl-window-dialog.c: the window's questions and settings dialogs, as
 * AdwAlertDialog / AdwPreferencesDialog where libadwaita has them (1.5, the
 * Flatpak runtime), else as AdwMessageDialog / AdwPreferencesWindow (1.2,
 * Debian 12). Callers see one API; only this file knows which it is.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-alert.h"

typedef struct
{
  HlWindow          *window;   /* not a reference: the dialog dies with it */
  HlWindowConfirmCb  callback;
  gpointer           data;
  GDestroyNotify     data_free;
} Confirm;

static void
confirm_free (gpointer data)
{
  Confirm *c = data;

  if (c->data_free != NULL)
    c->data_free (c->data);
  g_free (c);
}

static void
on_confirm_response_cb (GObject    *dialog,
                        const char *response,
                        gpointer    user_data)
{
  Confirm *c = g_object_get_data (dialog, "hl-confirm");

  if (c != NULL && g_strcmp0 (response, "confirm") == 0)
    c->callback (c->window, c->data);
}

GObject *
hl_window_confirm (HlWindow          *self,
                   const char        *heading,
                   const char        *body,
                   const char        *confirm_label,
                   HlWindowConfirmCb  callback,
                   gpointer           data,
                   GDestroyNotify     data_free)
{
  Confirm *c = g_new0 (Confirm, 1);
  GtkWidget *dialog;

  c->window = self;
  c->callback = callback;
  c->data = data;
  c->data_free = data_free;
  dialog = hl_alert_new (heading, body);
  hl_alert_add_response (dialog, "cancel", _("_Cancel"));
  hl_alert_add_response (dialog, "confirm", confirm_label);
  hl_alert_set_response_appearance (dialog, "confirm", ADW_RESPONSE_DESTRUCTIVE);
  hl_alert_set_default_response (dialog, "cancel");
  hl_alert_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "hl-confirm", c, confirm_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response_cb), NULL);
  hl_window_present_alert (self, dialog);
  return G_OBJECT (dialog);
}

void
hl_window_present_alert (HlWindow  *self,
                         GtkWidget *alert)
{
  hl_alert_present (alert, GTK_WIDGET (self));
  g_set_weak_pointer (&self->dialog, G_OBJECT (alert));
}

void
hl_window_respond (HlWindow   *self,
                   const char *response)
{
  g_return_if_fail (HL_IS_WINDOW (self));
  if (self->dialog == NULL)
    return;
  if (hl_alert_is_alert (self->dialog))
    hl_alert_respond (GTK_WIDGET (self->dialog), response);
}

GObject *
hl_window_get_dialog (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->dialog;
}

static void
on_page_toast_cb (GObject    *page,
                  const char *text,
                  GObject    *host)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (host), adw_toast_new (text));
#else
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (host), adw_toast_new (text));
#endif
}

GObject *
hl_window_present_page (HlWindow           *self,
                        const char         *title,
                        AdwPreferencesPage *page)
{
  GObject *host;

#if ADW_CHECK_VERSION (1, 5, 0)
  host = G_OBJECT (adw_preferences_dialog_new ());
  adw_dialog_set_title (ADW_DIALOG (host), title);
  adw_preferences_dialog_add (ADW_PREFERENCES_DIALOG (host), page);
#else
  host = G_OBJECT (adw_preferences_window_new ());
  gtk_window_set_title (GTK_WINDOW (host), title);
  gtk_window_set_transient_for (GTK_WINDOW (host), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (host), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (host), TRUE);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (host), FALSE);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (host), page);
#endif
  g_signal_connect_object (page, "toast", G_CALLBACK (on_page_toast_cb), host, 0);
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (host), GTK_WIDGET (self));
#else
  gtk_window_present (GTK_WINDOW (host));
#endif
  g_set_weak_pointer (&self->dialog, host);
  return host;
}

void
hl_window_close_dialog (HlWindow *self)
{
  g_return_if_fail (HL_IS_WINDOW (self));
  if (self->dialog == NULL)
    return;
#if ADW_CHECK_VERSION (1, 5, 0)
  if (ADW_IS_DIALOG (self->dialog))
    adw_dialog_force_close (ADW_DIALOG (self->dialog));
#else
  if (GTK_IS_WINDOW (self->dialog))
    gtk_window_destroy (GTK_WINDOW (self->dialog));
#endif
}
