/* hl-private-dialog.h: New Private Subnet: a name and, optionally, the
 * tailnet tag that makes it a zone (docs/protocol.md, "Private subnets").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_PRIVATE_DIALOG (hl_private_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlPrivateDialog, hl_private_dialog, HL, PRIVATE_DIALOG, AdwWindow)

/* Emits "created" (with the new subnet's id in hex) once the subnet is made,
 * then closes. */
GtkWidget *hl_private_dialog_new (GtkWindow *parent,
                                  HlForum   *forum);

G_END_DECLS
