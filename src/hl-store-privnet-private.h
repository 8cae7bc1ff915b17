/* hl-store-privnet-private.h: what the files of private subnets in the
 * store share (hl-store-privnet.c, hl-store-privnet-stale.c).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-private.h"
#include "hl-store-privnet.h"

G_BEGIN_DECLS

typedef struct _HlPrivnetCache HlPrivnetCache;

/* The parsed body of @event, or NULL. */
JsonObject *hl_privnet_event_fields      (const HlEvent     *event);
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

/* hl-store-privnet-cache.c: an epoch as opening a box reads it. */
typedef struct
{
  guint8      epoch[HL_ID_LEN];
  char       *lists;      /* its lists text, NULL when this device cannot read them */
  GHashTable *members;    /* hex keys; NULL with @lists */
  GHashTable *admins;
} HlPrivnetEpoch;

/* The epoch in effect at an order; @owned_chain is set when it was read
 * outside the cache (outside a write transaction) and is freed by
 * hl_privnet_lookup_clear(). */
typedef struct
{
  const HlPrivnetEpoch *epoch;
  gpointer              owned_chain;
} HlPrivnetLookup;

HlPrivnetCache *hl_privnet_cache_new    (void);
void       hl_privnet_cache_free        (HlPrivnetCache    *cache);
void       hl_privnet_cache_clear       (HlPrivnetCache    *cache);
/* Epoch keys and the subnets' epochs, cached while a write transaction lasts. */
const HlPrivateKey *hl_privnet_cached_key (HlStore         *self,
                                          const guint8      *epoch);
void       hl_privnet_cache_key         (HlStore           *self,
                                         const HlPrivateKey *key);
void       hl_privnet_cache_forget_epochs (HlStore         *self,
                                           const guint8    *subnet);
/* Like hl_privnet_epoch_in_effect(), without copying: FALSE when none. */
gboolean   hl_privnet_epoch_lookup      (HlStore           *self,
                                         const guint8      *subnet,
                                         const HlTimestamp *ts,
                                         const guint8      *id,
                                         HlPrivnetLookup   *out);
void       hl_privnet_lookup_clear      (HlPrivnetLookup   *lookup);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HlPrivnetLookup, hl_privnet_lookup_clear)
/* Whether @key is in the list @name ("members", "admins") of @epoch. */
gboolean   hl_privnet_epoch_holds       (const HlPrivnetEpoch *epoch,
                                         const char        *name,
                                         const guint8      *key);
gboolean   hl_privnet_load_owner        (HlStore           *self,
                                         const guint8      *subnet,
                                         guint8            *owner);

G_END_DECLS
