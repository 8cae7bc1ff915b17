/* hl-store-sync.h: the store queries the sync engine needs.
 *
 * The reconciled set is every event whose bytes we still hold: erased events
 * (raw NULL after a delete) are left out on every node alike, but their ids
 * stay known, so they are never fetched or accepted again. Events contained
 * in the current segment of their archive range, once this device verified
 * it, are left out too: archived history moves as symbols (docs/protocol.md,
 * "Reconciliation").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64   seq;
  guint8   id[HL_ID_LEN];
  guint64  ts;                 /* milliseconds: the reconciliation key with the id */
  gboolean erased;
  gboolean is_delete;          /* a delete: it may have erased older events */
  guint8   private_kind;       /* 0, or 1 for a private.create, 2 for another private.* */
} HlSyncRow;

/* Called with an event's canonical bytes and signature; return FALSE to stop. */
typedef gboolean (*HlSyncRawFunc) (const guint8 *id,
                                   guint64       ts,
                                   const guint8 *raw,
                                   gsize         raw_len,
                                   const guint8 *sig,
                                   gpointer      user_data);

typedef void (*HlSyncKeyFunc) (guint64       ts,
                               const guint8 *id,
                               gpointer      user_data);

/* A zone's envelope (hl-store-zones.c): its tag, key and id. */
typedef void (*HlSyncZoneFunc) (const char   *tag,
                                guint64       ts,
                                const guint8 *id,
                                gpointer      user_data);

/* Every held envelope of a zone (a private subnet bound to a tag): the
 * reconciled set leaves them out for peers whose tailnet tags lack it. */
gboolean  hl_store_sync_foreach_zone_key (HlStore        *self,
                                          HlSyncZoneFunc  func,
                                          gpointer        user_data,
                                          GError        **error);
/* The zone's tag of the event @id, or NULL (no zone's, or unknown). */
char     *hl_store_sync_zone_of        (HlStore       *self,
                                        const guint8  *id,
                                        GError       **error);

gint64    hl_store_sync_max_seq        (HlStore       *self,
                                        GError       **error);
/* Appends to @rows (of HlSyncRow) up to @limit rows with seq > @after_seq,
 * leaving out held events that are archived (they are not in the set). */
gboolean  hl_store_sync_scan           (HlStore       *self,
                                        gint64         after_seq,
                                        guint          limit,
                                        GArray        *rows,
                                        GError       **error);
/* Every (ts, id) of the reconciled set, in no particular order. */
gboolean  hl_store_sync_foreach_key    (HlStore       *self,
                                        HlSyncKeyFunc  func,
                                        gpointer       user_data,
                                        GError       **error);
/* Every (ts, id) of a held event, archived or not: the set to reconcile
 * with a peer that does not speak archive-1. */
gboolean  hl_store_sync_foreach_held_key (HlStore       *self,
                                          HlSyncKeyFunc  func,
                                          gpointer       user_data,
                                          GError       **error);
/* A number that changes whenever events join or leave an archived segment
 * (in any process): a node that sees it change reads the reconciled set
 * again with hl_store_sync_foreach_key(). */
gint64    hl_store_sync_containment_epoch (HlStore    *self,
                                           GError    **error);
/* Ids of erased events at or after @since_seq (to drop them from the set). */
gboolean  hl_store_sync_foreach_erased (HlStore       *self,
                                        HlSyncKeyFunc  func,
                                        gpointer       user_data,
                                        GError       **error);
/* The stored event with that id, if its bytes are held. FALSE without an
 * error when it is unknown or erased; *known tells which. */
gboolean  hl_store_sync_get_raw        (HlStore       *self,
                                        const guint8  *id,
                                        HlSyncRawFunc  func,
                                        gpointer       user_data,
                                        gboolean      *known,
                                        GError       **error);
/* Events whose id starts with @prefix (@len bytes), erased or not; *known is
 * TRUE when any row matches, held or erased. */
gboolean  hl_store_sync_get_prefix     (HlStore       *self,
                                        const guint8  *prefix,
                                        gsize          len,
                                        HlSyncRawFunc  func,
                                        gpointer       user_data,
                                        gboolean      *known,
                                        GError       **error);
/* Held events with (lo_ts, lo_id) <= (ts, id) < (hi_ts, hi_id) in key order,
 * at most @limit of them; with @reconciled, only those of the reconciled set
 * (not contained in a verified segment). hi_ts may be G_MAXINT64 for "no upper bound". */
gboolean  hl_store_sync_range          (HlStore       *self,
                                        gboolean       reconciled,
                                        guint64        lo_ts,
                                        const guint8  *lo_id,
                                        guint64        hi_ts,
                                        const guint8  *hi_id,
                                        guint          limit,
                                        HlSyncRawFunc  func,
                                        gpointer       user_data,
                                        GError       **error);

/* Manual peers (hyperlinkctl peer add|remove|list). */
gboolean  hl_store_sync_add_peer       (HlStore       *self,
                                        const char    *address,
                                        gboolean      *added,
                                        GError       **error);
gboolean  hl_store_sync_remove_peer    (HlStore       *self,
                                        const char    *address,
                                        gboolean      *removed,
                                        GError       **error);
/* The addresses, sorted. */
GPtrArray *hl_store_sync_list_peers    (HlStore       *self,
                                        GError       **error);

/* This device's events no peer has confirmed yet (hl-store-schema.h, 3). */
typedef struct
{
  guint64 ts;
  guint8  id[HL_ID_LEN];
} HlOutboxItem;

/* Appends to @items (of HlOutboxItem) the held events of the outbox that
 * arrived at or before @max_seq, so that a scan up to it has seen them. */
gboolean  hl_store_sync_list_outbox    (HlStore       *self,
                                        gint64         max_seq,
                                        GArray        *items,
                                        GError       **error);
/* Some peer holds these events (@n_ids ids of HL_ID_LEN bytes, back to back):
 * they leave the outbox, in one transaction. */
gboolean  hl_store_sync_confirm        (HlStore       *self,
                                        const guint8  *ids,
                                        guint          n_ids,
                                        GError       **error);

G_END_DECLS
