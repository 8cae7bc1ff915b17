/* hl-alert.c: AdwAlertDialog (libadwaita >= 1.5) or AdwMessageDialog (1.2)
 * behind one set of functions, so that no window file carries both.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-alert.h"

#if ADW_CHECK_VERSION (1, 5, 0)
#define ALERT(w) ADW_ALERT_DIALOG (w)
#define CALL(name) adw_alert_dialog_##name
#else
#define ALERT(w) ADW_MESSAGE_DIALOG (w)
#define CALL(name) adw_message_dialog_##name
#endif

GtkWidget *
hl_alert_new (const char *heading,
              const char *body)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  return GTK_WIDGET (adw_alert_dialog_new (heading, body));
#else
  return adw_message_dialog_new (NULL, heading, body);
#endif
}

gboolean
hl_alert_is_alert (gpointer object)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  return ADW_IS_ALERT_DIALOG (object);
#else
  return ADW_IS_MESSAGE_DIALOG (object);
#endif
}

void
hl_alert_add_response (GtkWidget  *alert,
                       const char *id,
                       const char *label)
{
  CALL (add_response) (ALERT (alert), id, label);
}

void
hl_alert_set_response_appearance (GtkWidget             *alert,
                                  const char            *id,
                                  AdwResponseAppearance  appearance)
{
  CALL (set_response_appearance) (ALERT (alert), id, appearance);
}

void
hl_alert_set_response_enabled (GtkWidget  *alert,
                               const char *id,
                               gboolean    enabled)
{
  CALL (set_response_enabled) (ALERT (alert), id, enabled);
}

gboolean
hl_alert_get_response_enabled (GtkWidget  *alert,
                               const char *id)
{
  return CALL (get_response_enabled) (ALERT (alert), id);
}

void
hl_alert_set_default_response (GtkWidget  *alert,
                               const char *id)
{
  CALL (set_default_response) (ALERT (alert), id);
}

void
hl_alert_set_close_response (GtkWidget  *alert,
                             const char *id)
{
  CALL (set_close_response) (ALERT (alert), id);
}

void
hl_alert_set_extra_child (GtkWidget *alert,
                          GtkWidget *child)
{
  CALL (set_extra_child) (ALERT (alert), child);
}

GtkWidget *
hl_alert_get_extra_child (GtkWidget *alert)
{
  return CALL (get_extra_child) (ALERT (alert));
}

const char *
hl_alert_get_heading (GtkWidget *alert)
{
  return CALL (get_heading) (ALERT (alert));
}

const char *
hl_alert_get_body (GtkWidget *alert)
{
  return CALL (get_body) (ALERT (alert));
}

void
hl_alert_present (GtkWidget *alert,
                  GtkWidget *parent)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (alert), parent);
#else
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (alert), GTK_WINDOW (gtk_widget_get_root (parent)));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (alert), TRUE);
    }
  gtk_window_present (GTK_WINDOW (alert));
#endif
}

void
hl_alert_close (GtkWidget *alert)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_force_close (ADW_DIALOG (alert));
#else
  gtk_window_destroy (GTK_WINDOW (alert));
#endif
}

void
hl_alert_respond (GtkWidget  *alert,
                  const char *id)
{
  g_autoptr(GtkWidget) hold = g_object_ref (alert);

  /* Emitting the response does not close it, as a click does. */
#if ADW_CHECK_VERSION (1, 5, 0)
  g_signal_emit_by_name (alert, "response", id);
#else
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (alert), id);
#endif
  hl_alert_close (alert);
}
