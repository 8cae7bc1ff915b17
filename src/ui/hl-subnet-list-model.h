/* hl-subnet-list-model.h: every live subnet, by name.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_SUBNET_LIST_MODEL (hl_subnet_list_model_get_type ())

G_DECLARE_FINAL_TYPE (HlSubnetListModel, hl_subnet_list_model, HL, SUBNET_LIST_MODEL, GObject)

/* Items are HlSubnetItems; the first load starts at once, on a worker. */
HlSubnetListModel *hl_subnet_list_model_new         (HlForum           *forum);
gboolean           hl_subnet_list_model_get_loading (HlSubnetListModel *self);
void               hl_subnet_list_model_reload      (HlSubnetListModel *self);
/* The position of subnet @id, or G_MAXUINT. */
guint              hl_subnet_list_model_find        (HlSubnetListModel *self,
                                                     const guint8      *id);

G_END_DECLS
