/* hl-sync-set.h: the reconciled set as a sorted array of (ts, id) keys.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-sync-wire.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 ts;
  guint8  id[HL_ID_LEN];
} HlSyncItem;

typedef struct _HlSyncSet HlSyncSet;

HlSyncSet        *hl_sync_set_new         (void);
void              hl_sync_set_free        (HlSyncSet         *self);
/* Cheap: new keys wait until the next hl_sync_set_seal(). */
void              hl_sync_set_add         (HlSyncSet         *self,
                                           guint64            ts,
                                           const guint8      *id);
/* Drops the keys whose ids are in @ids (a set of HlId). */
void              hl_sync_set_remove      (HlSyncSet         *self,
                                           GHashTable        *ids);
/* Sorts in the keys added since the last call and drops repeats. */
void              hl_sync_set_seal        (HlSyncSet         *self);
guint             hl_sync_set_size        (HlSyncSet         *self);
const HlSyncItem *hl_sync_set_item        (HlSyncSet         *self,
                                           guint              index);
/* Index of the first key at or above @bound (sealed sets only). */
guint             hl_sync_set_lower_bound (HlSyncSet         *self,
                                           const HlSyncBound *bound);
/* BLAKE2b-96 (12 bytes) of (sum of the ids as little-endian 256-bit numbers, mod 2^256)
 * followed by varint(count), over the keys [@from, @to). */
void              hl_sync_set_fingerprint (HlSyncSet         *self,
                                           guint              from,
                                           guint              to,
                                           guint8            *out);

int               hl_sync_item_compare    (const HlSyncItem  *a,
                                           const HlSyncItem  *b);
int               hl_sync_bound_compare   (const HlSyncItem  *item,
                                           const HlSyncBound *bound);
/* The shortest bound between two adjacent keys @a < @b. */
void              hl_sync_bound_between   (const HlSyncItem  *a,
                                           const HlSyncItem  *b,
                                           HlSyncBound       *out);
guint64           hl_sync_id_prefix       (const guint8      *id);

G_END_DECLS
