/* hl-preferences-window.h: Preferences: the General page, Peers and
 * Archive. An AdwPreferencesDialog where libadwaita has it (1.5, the
 * Flatpak runtime), shown inside its parent window; an AdwPreferencesWindow
 * on 1.2 (Debian 12). Callers and tests see one API and never which it is.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-bootstrap-group.h"
#include "hl-forum.h"
#include "hl-peers-page.h"
#include "hl-sync.h"

G_BEGIN_DECLS

#define HL_TYPE_PREFERENCES_WINDOW (hl_preferences_window_get_type ())

#if ADW_CHECK_VERSION (1, 5, 0)
G_DECLARE_FINAL_TYPE (HlPreferencesWindow, hl_preferences_window, HL, PREFERENCES_WINDOW,
                      AdwPreferencesDialog)
#else
G_DECLARE_FINAL_TYPE (HlPreferencesWindow, hl_preferences_window, HL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)
#endif

/* @parent may be NULL: then it is a window of its own. @sync may be NULL:
 * then there is no Peers page. Show it with hl_preferences_window_present(). */
HlPreferencesWindow *hl_preferences_window_new        (GtkWindow           *parent,
                                                       HlForum             *forum,
                                                       HlSync              *sync);
void                 hl_preferences_window_present    (HlPreferencesWindow *self);
/* Closes it at once (no animation, nothing asked). */
void                 hl_preferences_window_close      (HlPreferencesWindow *self);
/* Shows the Peers page. */
void                 hl_preferences_window_show_peers (HlPreferencesWindow *self);
/* Shows the page named @name ("general", "peers", "archive"...). */
void                 hl_preferences_window_show_page  (HlPreferencesWindow *self,
                                                       const char          *name);
/* The Peers page, or NULL. */
HlPeersPage         *hl_preferences_window_get_peers  (HlPreferencesWindow *self);
HlBootstrapGroup    *hl_preferences_window_get_bootstrap (HlPreferencesWindow *self);
/* A toast in the Preferences that @inside is part of; nothing when it is in
 * none. */
void                 hl_preferences_window_toast      (GtkWidget           *inside,
                                                       const char          *text);

G_END_DECLS
