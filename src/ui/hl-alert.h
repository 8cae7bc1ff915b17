/* hl-alert.h: a question or message with buttons, as an AdwAlertDialog on
 * libadwaita 1.5 and later (the Flatpak runtime) or an AdwMessageDialog
 * before (1.2, Debian 12). Callers and tests hold a GtkWidget and never
 * learn which; both emit "response" (dialog, const char *id, user_data).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget  *hl_alert_new                     (const char            *heading,
                                              const char            *body);
gboolean    hl_alert_is_alert                (gpointer               object);
void        hl_alert_add_response            (GtkWidget             *alert,
                                              const char            *id,
                                              const char            *label);
void        hl_alert_set_response_appearance (GtkWidget             *alert,
                                              const char            *id,
                                              AdwResponseAppearance  appearance);
void        hl_alert_set_response_enabled    (GtkWidget             *alert,
                                              const char            *id,
                                              gboolean               enabled);
gboolean    hl_alert_get_response_enabled    (GtkWidget             *alert,
                                              const char            *id);
void        hl_alert_set_default_response    (GtkWidget             *alert,
                                              const char            *id);
void        hl_alert_set_close_response      (GtkWidget             *alert,
                                              const char            *id);
void        hl_alert_set_extra_child         (GtkWidget             *alert,
                                              GtkWidget             *child);
GtkWidget  *hl_alert_get_extra_child         (GtkWidget             *alert);
const char *hl_alert_get_heading             (GtkWidget             *alert);
const char *hl_alert_get_body                (GtkWidget             *alert);
/* Shows @alert over @parent's window, or on its own when @parent is NULL. */
void        hl_alert_present                 (GtkWidget             *alert,
                                              GtkWidget             *parent);
/* As if @id were clicked: "response", then the alert closes. */
void        hl_alert_respond                 (GtkWidget             *alert,
                                              const char            *id);
void        hl_alert_close                   (GtkWidget             *alert);

G_END_DECLS
