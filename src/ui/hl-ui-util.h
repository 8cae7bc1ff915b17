/* hl-ui-util.h: small text helpers shared by the window's widgets.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include <gio/gio.h>

G_BEGIN_DECLS

/* "just now", "5 min ago", "yesterday", a date... relative to @now_ms. */
char *hl_format_relative_time (gint64        then_ms,
                               gint64        now_ms);
/* The display name, or the key's first hex digits when there is none. */
char *hl_format_author        (const char   *name,
                               const guint8 *key);
/* A GSettings object for the application's schema, or NULL when the schema
 * is not installed (uninstalled runs, some tests). */
GSettings *hl_ui_settings_new (void);

/* Makes @bin ask for @natural pixels of width (or its child's minimum, if
 * more) whatever its child's content: leaflets that fold on natural widths
 * then fold at a width that does not change with a title's length. */
void  hl_ui_pin_natural_width (AdwBin       *bin,
                               int           natural);

/* Binds the gettext domain to $HYPERLINK_LOCALEDIR when set (an uninstalled
 * build's po directory, as the tests use), else to the installed LOCALEDIR. */
void  hl_ui_bind_textdomain   (void);
/* The first widget named @name (gtk_widget_set_name, or the id in a .ui
 * file) under @root, itself included, or NULL. */
GtkWidget *hl_ui_find_named   (GtkWidget    *root,
                               const char   *name);

G_END_DECLS
