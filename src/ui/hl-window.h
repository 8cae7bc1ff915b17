/* hl-window.h: the main window: subnets, threads, and the open thread.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"
#include "hl-sync.h"

G_BEGIN_DECLS

#define HL_TYPE_WINDOW (hl_window_get_type ())

G_DECLARE_FINAL_TYPE (HlWindow, hl_window, HL, WINDOW, AdwApplicationWindow)

/* @sync (may be NULL) feeds the sync indicator and the Peers page. */
HlWindow   *hl_window_new              (GtkApplication *application,
                                        HlForum        *forum,
                                        HlSync         *sync);
HlForum    *hl_window_get_forum        (HlWindow       *self);
HlSync     *hl_window_get_sync         (HlWindow       *self);
/* Shows @text as a toast. */
void        hl_window_toast            (HlWindow       *self,
                                        const char     *text);

/* For tests: the text of the last toast shown, or NULL. */
const char *hl_window_get_last_toast   (HlWindow       *self);

/* For tests and the screenshot tool: what the window shows. */
GListModel *hl_window_get_subnets      (HlWindow       *self);
GListModel *hl_window_get_threads      (HlWindow       *self);
GListModel *hl_window_get_posts        (HlWindow       *self);
GListModel *hl_window_get_results      (HlWindow       *self);
/* "forum" or "welcome". */
const char *hl_window_get_page         (HlWindow       *self);
/* The pane in front when folded: "subnets", "threads" or "posts". */
const char *hl_window_get_pane         (HlWindow       *self);
/* How many panes are side by side: 3 (subnets, threads, the open thread),
 * 2 (the sidebar collapsed) or 1. */
guint       hl_window_get_columns      (HlWindow       *self);
/* The composer open on this window, or NULL. */
GtkWindow  *hl_window_get_composer     (HlWindow       *self);
/* TRUE once nothing is loading: subnets, threads, the thread, search. */
gboolean    hl_window_get_idle         (HlWindow       *self);
GtkWidget  *hl_window_get_thread_list  (HlWindow       *self);
/* The sync indicator: the text under the window's name ("In sync · 1
 * peer"), its icon and tooltip; NULL when the window has no HlSync. */
const char *hl_window_get_sync_text    (HlWindow       *self);
/* The Restore History dialog open, or NULL (hl-window-restore.c). */
GtkWindow  *hl_window_get_restore_dialog (HlWindow     *self);
const char *hl_window_get_sync_icon    (HlWindow       *self);
const char *hl_window_get_sync_tooltip (HlWindow       *self);

/* The dialog shown last (hl-window-dialog.c), while it is open, or NULL;
 * hl_window_respond() answers a question as if clicked ("confirm" or
 * "cancel"), hl_window_close_dialog() closes it: for tests. */
GObject    *hl_window_get_dialog       (HlWindow       *self);
void        hl_window_respond          (HlWindow       *self,
                                        const char     *response);
void        hl_window_close_dialog     (HlWindow       *self);

G_END_DECLS
