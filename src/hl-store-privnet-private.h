/* hl-store-privnet-private.h: what the files of private subnets in the
 * store share (hl-store-privnet.c, hl-store-privnet-stale.c).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-store-privnet.h"

G_BEGIN_DECLS

/* The parsed body of @event, or NULL. */
JsonObject *hl_privnet_event_fields      (const HlEvent     *event);
/* Whether @key is in the list @name ("members", "admins") of an epoch's
 * lists text (NULL: this device cannot read them). */
gboolean    hl_privnet_lists_hold        (const char        *lists,
                                          const char        *name,
                                          const guint8      *key);
/* The epoch in effect just before (@ts, @id) in @subnet and its lists. */
gboolean    hl_privnet_epoch_in_effect   (HlStore           *self,
                                          const guint8      *subnet,
                                          const HlTimestamp *ts,
                                          const guint8      *id,
                                          guint8            *epoch,
                                          char             **lists);
/* After @epoch_event is recorded: the boxes of its subnet opened earlier that
 * it makes stale are closed again (hl-store-privnet-stale.c). */
gboolean    hl_privnet_close_stale_boxes (HlStore           *self,
                                          const HlEvent     *epoch_event,
                                          GError           **error);

G_END_DECLS
