/* hl-bootstrap-group.h: the bootstrap nodes in Preferences, a list with
 * add and remove, kept in the data directory's sync_bootstrap table (the
 * one `hyperlinkctl bootstrap add` writes and every node rereads).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_BOOTSTRAP_GROUP (hl_bootstrap_group_get_type ())

G_DECLARE_FINAL_TYPE (HlBootstrapGroup, hl_bootstrap_group, HL, BOOTSTRAP_GROUP,
                      AdwPreferencesGroup)

/* Loads the list from @forum's store (on a worker) and edits it there;
 * NULL lets go of the forum (pending work is cancelled). */
void        hl_bootstrap_group_set_forum     (HlBootstrapGroup *self,
                                              HlForum          *forum);
/* For tests: the addresses shown, in order, NULL-terminated. */
char      **hl_bootstrap_group_dup_shown     (HlBootstrapGroup *self);
/* For tests: how many list reloads have finished. */
guint       hl_bootstrap_group_get_loads     (HlBootstrapGroup *self);
/* For tests: the text of the last toast, or NULL. */
const char *hl_bootstrap_group_get_message   (HlBootstrapGroup *self);

G_END_DECLS
