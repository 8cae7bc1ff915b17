/* hl-preferences-window.h: display name, network and storage settings.
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

G_DECLARE_FINAL_TYPE (HlPreferencesWindow, hl_preferences_window, HL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @sync may be NULL: then there is no Peers page. */
HlPreferencesWindow *hl_preferences_window_new        (GtkWindow           *parent,
                                                       HlForum             *forum,
                                                       HlSync              *sync);
/* Shows the Peers page. */
void                 hl_preferences_window_show_peers (HlPreferencesWindow *self);
/* The Peers page, or NULL. */
HlPeersPage         *hl_preferences_window_get_peers  (HlPreferencesWindow *self);
HlBootstrapGroup    *hl_preferences_window_get_bootstrap (HlPreferencesWindow *self);

G_END_DECLS
