/* hl-screenshot.h: saves a picture of the real window, for the metainfo and
 * for reviewing changes.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-window.h"

G_BEGIN_DECLS

/* Presents @window at @width (0: its default) and, once everything has
 * loaded, saves it to @path as PNG and closes it. @pane: NULL for the thread
 * list, "posts" to open the first thread, "compose" to also open a reply. */
void     hl_screenshot_take  (HlWindow   *window,
                              const char *path,
                              const char *pane,
                              int         width);
/* Renders @widget as it is now into a PNG at @path. */
gboolean hl_screenshot_save  (GtkWidget  *widget,
                              const char *path,
                              GError    **error);

G_END_DECLS
