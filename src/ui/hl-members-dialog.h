/* hl-members-dialog.h: the member devices of a private subnet, with add
 * (a known person picked by name, or a pasted key), admins (the owner's) and
 * remove (a new epoch: docs/protocol.md, "Membership and epochs"). Adding and
 * removing are the owner's and the admins'; others see the list only.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_MEMBERS_DIALOG (hl_members_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlMembersDialog, hl_members_dialog, HL, MEMBERS_DIALOG, AdwWindow)

GtkWidget *hl_members_dialog_new         (GtkWindow    *parent,
                                          HlForum      *forum,
                                          const guint8 *subnet);
/* The member keys (hex) the dialog shows now, in order. */
GStrv      hl_members_dialog_dup_members (HlMembersDialog *self);
/* The admin keys (hex) as last read; NULL before the first read. */
GStrv      hl_members_dialog_dup_admins  (HlMembersDialog *self);
/* The text of the last toast shown, or NULL: for tests. */
const char *hl_members_dialog_get_last_toast (HlMembersDialog *self);
/* The removal question (hl-alert.h) while it is shown, or NULL. */
GtkWidget  *hl_members_dialog_get_confirm    (HlMembersDialog *self);

G_END_DECLS
