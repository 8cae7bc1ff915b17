/* hl-subnet-item.h: a subnet as the sidebar shows it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hl-store-rows.h"

G_BEGIN_DECLS

#define HL_TYPE_SUBNET_ITEM (hl_subnet_item_get_type ())

G_DECLARE_FINAL_TYPE (HlSubnetItem, hl_subnet_item, HL, SUBNET_ITEM, GObject)

/* Takes @row. */
HlSubnetItem      *hl_subnet_item_new      (HlSubnetRow  *row);
/* Takes @row, which must have the same id; notifies what changed. */
void               hl_subnet_item_update   (HlSubnetItem *self,
                                            HlSubnetRow  *row);
const HlSubnetRow *hl_subnet_item_get_row  (HlSubnetItem *self);
const char        *hl_subnet_item_get_name (HlSubnetItem *self);
const char        *hl_subnet_item_get_id_hex (HlSubnetItem *self);

G_END_DECLS
