/* hl-horizon-row.h: "Keep on this device" (docs/protocol.md, "Horizon"):
 * a combo row of the horizons, bound to the store's setting that the node
 * and hyperlinkd read (and to the keep-on-device GSettings key). Choosing
 * a shorter horizon asks the core's plan first: the row says what it frees,
 * or refuses with the core's reasons and keeps the setting as it was.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_HORIZON_ROW (hl_horizon_row_get_type ())

G_DECLARE_FINAL_TYPE (HlHorizonRow, hl_horizon_row, HL, HORIZON_ROW, AdwComboRow)

/* Reads the stored horizon off the main thread at once. */
HlHorizonRow *hl_horizon_row_new        (HlForum      *forum);
/* Whether no read or change is under way (for tests). */
gboolean      hl_horizon_row_is_idle    (HlHorizonRow *self);
/* The horizon the store holds, in months (0: everything). */
gint          hl_horizon_row_get_months (HlHorizonRow *self);
/* Asks for @months, as a person choosing it in the list would. */
void          hl_horizon_row_choose     (HlHorizonRow *self,
                                         gint          months);
/* Why a choice was refused, in full (the months that stay and why): a
 * wrapping label for below the row's group, hidden while there is none.
 * The row's own subtitle stays one short sentence, so that the title and
 * the choice keep their room. */
GtkLabel     *hl_horizon_row_get_reason (HlHorizonRow *self);

G_END_DECLS
