/* hl-acl-dialog.h: the Tailscale policy snippet for the group's zones, with
 * a Copy button (docs/protocol.md, "Zones").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HL_TYPE_ACL_DIALOG (hl_acl_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlAclDialog, hl_acl_dialog, HL, ACL_DIALOG, AdwWindow)

/* @policy is the snippet (hl_private_acl_policy); @n_zones how many zones it
 * holds, for the words above it. */
GtkWidget  *hl_acl_dialog_new        (GtkWindow  *parent,
                                      const char *policy,
                                      guint       n_zones);
const char *hl_acl_dialog_get_policy (HlAclDialog *self);

G_END_DECLS
