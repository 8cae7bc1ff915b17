/* hl-store-horizon.h: the local history horizon ("Keep on this device",
 * docs/protocol.md, "Horizon"): which threads of sealed months this device
 * dropped, dropping them, and what it kept to stay correct.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-store.h"

G_BEGIN_DECLS

/* The horizons a person may choose, in months; 0 keeps everything. */
#define HL_HORIZON_EVERYTHING 0
/* Loaded history is dropped again after this long, or sooner when the
 * cache is over its size limit. */
#define HL_HORIZON_LOADED_KEEP_MS (3 * 24 * G_GINT64_CONSTANT (3600000))
#define HL_HORIZON_DEFAULT_CACHE  (G_GINT64_CONSTANT (256) << 20)

/* "everything", "1y", "6m", "3m", "1m" <-> 0, 12, 6, 3, 1; -1 / NULL otherwise. */
gint          hl_horizon_parse            (const char    *text);
const char   *hl_horizon_name             (gint           months);
/* "1 year", "6 months", …, "everything" */
const char   *hl_horizon_label            (gint           months);

/* What dropping threads frees, or freed. */
typedef struct
{
  guint64 threads;
  guint64 events;
  guint64 bytes;           /* an estimate of the database bytes they take */
} HlHorizonAmount;

/* A month of a subnet whose threads this device dropped. */
typedef struct
{
  guint8  subnet[HL_ID_LEN];
  guint   month;           /* year * 100 + month */
  guint64 threads;         /* dropped here, still dropped */
  guint64 events;
  guint64 bytes;
  gint64  pruned_ms;
  gint64  loaded_ms;       /* 0: dropped; else when it came back (a load) */
} HlHorizonRange;

/* Measures (@apply FALSE) or drops (@apply TRUE, one transaction) the
 * threads whose every held event is contained in one of @segments
 * (archive_segments rowids: verified, current) and none is in the outbox:
 * a thread goes whole, with its replies, edits and hides, so nothing that
 * stays loses its chain. Erased events (tombstones) and deletes stay. */
gboolean      hl_store_horizon_drop       (HlStore          *self,
                                           const gint64     *segments,
                                           guint             n_segments,
                                           gboolean          apply,
                                           HlHorizonAmount  *amount,
                                           GError          **error);
/* The months this device dropped threads of (HlHorizonRange), by subnet
 * and month; @subnet NULL for all; @dropped_only leaves out loaded ones. */
GArray       *hl_store_horizon_list       (HlStore          *self,
                                           const guint8     *subnet,
                                           gboolean          dropped_only,
                                           GError          **error);
/* Whether this device dropped threads of the range and they are not back. */
gboolean      hl_store_horizon_is_dropped (HlStore          *self,
                                           const guint8     *subnet,
                                           guint             month,
                                           gboolean         *dropped,
                                           GError          **error);
/* Marks as loaded the dropped ranges whose current segments are all
 * contained in full again (a load or restore decoded them). */
gboolean      hl_store_horizon_note_loaded (HlStore         *self,
                                            gint64           now_ms,
                                            guint           *n_loaded,
                                            GError         **error);
/* A segment of the range was decoded here: its dropped threads are back. */
gboolean      hl_store_horizon_mark_loaded (HlStore         *self,
                                            const guint8    *subnet,
                                            guint            month,
                                            gint64           now_ms,
                                            GError         **error);
/* Forgets the ranges that are back for good (the horizon moved back). */
gboolean      hl_store_horizon_forget_loaded (HlStore       *self,
                                              GError       **error);
/* Gives the freed pages back to the file system: incremental vacuum, after
 * a one-time VACUUM that switches an older database to it. */
gboolean      hl_store_horizon_vacuum     (HlStore          *self,
                                           GError          **error);
/* The database's size in bytes (pages in use × page size). */
gint64        hl_store_horizon_db_bytes   (HlStore          *self,
                                           GError          **error);

G_END_DECLS
