/* hl-node-archive.h: what hl-node-archive*.c and hl-node-fetch.c share with
 * the rest of the sync engine (docs/protocol.md, "Archive", "Wire").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-archive.h"
#include "hl-sync-private.h"

G_BEGIN_DECLS

#define HL_ARCHIVE_MAX_RUN        256  /* symbols in one SYMBOLS frame (256 KiB) */
#define HL_ARCHIVE_MAX_WANTS      8    /* unanswered sym-want on one connection */
/* 0x03 || req (4) || manifest id (32) || sbn (1) || first (3) || count (2) || hashes (1) */
#define HL_ARCHIVE_FRAME_HEADER   44

/* One sym-want this node sent and awaits. */
typedef struct
{
  guint32 req;
  gint64  segment;                   /* rowid here */
  guint8  manifest_id[HL_ID_LEN];
  guint   sbn;
  guint32 first;
  guint32 count;
  gint64  asked_at;                  /* monotonic µs */
} HlArchiveWant;

struct _HlPeerArchive
{
  GQueue     *wants;                 /* HlArchiveWant, oldest first */
  guint32     next_req;
  GHashTable *lacks;                 /* gint64 rowids it could not serve */
  gint64      lacks_since;
  gint64      held_symbols;          /* -1: not known */
  double      rtt_us;                /* answers' delay, smoothed; 0 not measured */
  gint64      held_sent;             /* what our last sym-held to it said; -1 none */
};

/* What a node fetches of one segment: enough symbols to decode it (a
 * restore), or this device's share. */
typedef struct
{
  HlSegmentRow *row;
  HlPlacement  *placement;           /* over the holders but this device */
  gboolean      restore;
  guint         n_blocks;
  guint32      *target;              /* symbols to hold in the window, per block */
  guint32      *stored;
  guint32      *inflight;
  guint32      *win_first;           /* the ESIs it may ask for, per block */
  guint32      *win_count;
  guint8      **bits;                /* stored or asked, per ESI of the window */
  gboolean      queued;              /* waits for the decoder */
  gboolean      done;
  char         *stuck;               /* why no more can be asked (translated), or NULL */
  guint         decode_failures;
  guint64       received;            /* symbols that arrived for it */
} HlSegFetch;

/* Whether @fetch is stuck for want of reachable symbols, not for an error. */
gboolean    hl_seg_fetch_short_of_symbols (const HlSegFetch *fetch);
void        hl_seg_fetch_free        (HlSegFetch   *fetch);
/* A restore's fetch of @row (taken): K symbols of every block. */
HlSegFetch *hl_seg_fetch_new_restore (HlNode       *self,
                                      HlSegmentRow *row);

struct _HlNodeArchive
{
  HlArchive   *archive;
  gint64       interval_ms;          /* upkeep (HYPERLINK_ARCHIVE_INTERVAL_MS) */
  gboolean     stored_only;          /* never builds runs to serve them (tests) */
  guint        maintain_source;
  guint        decode_source;
  guint        restore_source;
  gint64       epoch;                /* the containment epoch the sets were read at */
  GHashTable  *segments;             /* gint64 rowid -> HlSegFetch */
  GArray      *decode_queue;         /* gint64 rowids */
  HlSegment   *built;                /* the last segment rebuilt to serve symbols */
  gint64       built_rowid;
  HlRestoreProgress restore;
  gint64       restore_started;      /* monotonic µs */
  gint64       restore_fetch_from;   /* monotonic µs: when the reconciliation wait ended */
  gint64       restore_progress_at;  /* the last symbol or segment that came */
  gint64       restore_wait_until;   /* for peers to connect and reconcile */
  guint64      restore_bytes_total;
  GHashTable  *restore_only;         /* gint64 rowids a load asked for; NULL: every one */
  gint64       request_seen;         /* the last restore request taken up */
  gint64       seal_hold_us;         /* the most it is held off (HYPERLINK_ARCHIVE_SEAL_HOLD_MS) */
  gint64       seal_held_since;      /* monotonic µs sealing was first held off; 0 not */
  gboolean     seal_hold_over;       /* the hold-off reached seal_hold_us this stretch */
  gint64       catch_up_us;          /* the most upkeep is put off (HYPERLINK_ARCHIVE_CATCH_UP_MS) */
  gint64       maintained_at;        /* monotonic µs of the last upkeep pass, or of the start */
  guint        postponed;            /* passes put off since then */
  GHashTable  *stored_segments;      /* gint64 rowid -> manifest id, at the last upkeep */
};

typedef struct _HlNodeArchive HlNodeArchive;

/* hl-node-archive.c */
void          hl_node_archive_init        (HlNode        *self);
void          hl_node_archive_free        (HlNode        *self);
gboolean      hl_node_archive_enabled     (HlNode        *self);
HlArchive    *hl_node_get_archive         (HlNode        *self);
HlPeerArchive *hl_peer_archive            (HlPeer        *peer);
void          hl_peer_archive_free        (HlPeerArchive *pa);
/* Both sides speak archive-1. */
gboolean      hl_peer_speaks_archive      (HlPeer        *peer);
gboolean      hl_peer_archive_want        (HlPeer             *peer,
                                           const HlSegmentRow *row,
                                           guint               sbn,
                                           guint32             first,
                                           guint32             count);
void          hl_peer_archive_lacks       (HlPeer        *peer,
                                           gint64         segment);
gboolean      hl_peer_archive_may_have    (HlPeer        *peer,
                                           gint64         segment);
void          hl_node_archive_send_gone   (HlNode        *self,
                                           const guint8  *manifest_id);
/* hl-node-archive-upkeep.c: the upkeep timer. */
void          hl_node_archive_start       (HlNode        *self);
void          hl_node_archive_stop        (HlNode        *self);
/* hl-node-archive-gone.c: sym-gone for each segment this device stored
 * symbols of at the last upkeep and stores none of now. */
void          hl_node_archive_tell_gone   (HlNode        *self);
GByteArray   *hl_archive_frame_new        (guint32        req,
                                           const guint8  *manifest_id,
                                           guint          sbn,
                                           guint32        first,
                                           guint32        count,
                                           GBytes        *proof,
                                           GBytes        *symbols);
gboolean      hl_node_handle_archive      (HlNode        *self,
                                           HlPeer        *peer,
                                           const char    *type,
                                           JsonObject    *obj);
void          hl_node_handle_symbols      (HlNode        *self,
                                           HlPeer        *peer,
                                           GBytes        *message);
void          hl_node_archive_tick        (HlNode        *self,
                                           HlPeer        *peer,
                                           gint64         now);
void          hl_node_archive_peer_closed (HlNode        *self,
                                           HlPeer        *peer);
/* The peer row's "archive" member in the status file. */
void          hl_peer_archive_add_status  (HlPeer        *peer,
                                           JsonBuilder   *b);
/* Reads the reconciled set (and, while events are contained, the full set
 * for peers without archive-1). */
gboolean      hl_node_archive_load_sets   (HlNode        *self,
                                           GError       **error);
/* The containment changed since the sets were read: read them again. */
void          hl_node_archive_check_epoch (HlNode        *self);
/* Whether @peer is sent contained events too (it lacks archive-1, or this
 * node runs without the archive). */
gboolean      hl_node_reconciles_contained (HlNode       *self,
                                           HlPeer        *peer);
/* The set @peer reconciles with. */
HlSyncSet    *hl_node_set_for             (HlNode        *self,
                                           HlPeer        *peer);

/* hl-node-restore.c */
/* Starts the restore another process asked for, if it did. */
void          hl_node_restore_check_request (HlNode      *self);
/* The status document's "restore" member, once a restore ran here. */
void          hl_node_restore_add_status  (HlNode        *self,
                                           JsonBuilder   *b);

/* hl-node-fetch.c */
/* The run built from this device's own events when it does not store it
 * (a segment it verified): for repairs, fresh ESIs. NULL when it cannot. */
GBytes       *hl_node_archive_encode_run  (HlNode             *self,
                                           const HlSegmentRow *row,
                                           guint               sbn,
                                           guint32             first,
                                           guint32             count,
                                           GBytes            **proof);
/* An answer came: @count symbols, @stored of them kept. */
void          hl_node_fetch_done          (HlNode        *self,
                                           HlPeer        *peer,
                                           HlArchiveWant *want,
                                           guint32        count,
                                           guint          stored,
                                           gint64         delay_us);
/* A want failed (@lacks: the peer does not have the segment, or served it
 * bad): it is asked of others. */
void          hl_node_fetch_failed        (HlNode        *self,
                                           HlPeer        *peer,
                                           HlArchiveWant *want,
                                           gboolean       lacks);
/* This device dropped the segment's threads below its horizon: it holds
 * symbols of it only, like a device that joined after the sealing. */
gboolean      hl_node_segment_dropped     (HlNode             *self,
                                           const HlSegmentRow *row);
/* Asks for what this device's share lacks of current segments it cannot
 * build itself. */
void          hl_node_fetch_shares        (HlNode        *self);
/* @f (in the segments table) has the symbols it needs: decode it (a
 * restore) or let it go (a share). A restore resumed with every symbol
 * already stored gets nothing more to wait for. */
void          hl_node_fetch_queue_if_whole (HlNode      *self,
                                           HlSegFetch    *f);
/* Sends the wants that fit. */
void          hl_node_fetch_pump          (HlNode        *self);

G_END_DECLS
