/* hl-window.h: the main window: subnets, threads, and the open thread.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_WINDOW (hl_window_get_type ())

G_DECLARE_FINAL_TYPE (HlWindow, hl_window, HL, WINDOW, AdwApplicationWindow)

HlWindow   *hl_window_new              (GtkApplication *application,
                                        HlForum        *forum);
HlForum    *hl_window_get_forum        (HlWindow       *self);
/* Shows @text as a toast. */
void        hl_window_toast            (HlWindow       *self,
                                        const char     *text);

/* For tests and the screenshot tool: what the window shows. */
GListModel *hl_window_get_subnets      (HlWindow       *self);
GListModel *hl_window_get_threads      (HlWindow       *self);
GListModel *hl_window_get_posts        (HlWindow       *self);
GListModel *hl_window_get_results      (HlWindow       *self);
/* "forum" or "welcome". */
const char *hl_window_get_page         (HlWindow       *self);
/* The pane in front when folded: "subnets", "threads" or "posts". */
const char *hl_window_get_pane         (HlWindow       *self);
/* The composer open on this window, or NULL. */
GtkWindow  *hl_window_get_composer     (HlWindow       *self);
/* TRUE once nothing is loading: subnets, threads, the thread, search. */
gboolean    hl_window_get_idle         (HlWindow       *self);
GtkWidget  *hl_window_get_thread_list  (HlWindow       *self);

G_END_DECLS
