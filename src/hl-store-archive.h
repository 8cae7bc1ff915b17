/* hl-store-archive.h: what the store keeps for the history archive
 * (docs/protocol.md, "Archive"): segments and which is current, the events
 * each one contains, symbols, holders, policies and the archive's settings.
 *
 * The archive module (src/archive) builds segments and symbols; this is the
 * storage under it, and the merge rules of the archive's events.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-event-archive.h"
#include "hl-store.h"

G_BEGIN_DECLS

typedef enum
{
  HL_SEGMENT_PENDING = 0,      /* of a newer generation that is not complete yet */
  HL_SEGMENT_CURRENT = 1,
  HL_SEGMENT_SUPERSEDED = 2,   /* an older generation, or one that lost a tie */
} HlSegmentState;

typedef struct
{
  gint64             rowid;
  guint8             key[HL_ID_LEN];   /* the content: equal manifests share it */
  HlSegmentManifest  manifest;
  HlSegmentState     state;
  gint64             changed_ms;
  gint64             verified_ms;      /* 0: this device has not checked the content */
  guint8             manifest_id[HL_ID_LEN]; /* the smallest id of its manifests */
} HlSegmentRow;

void          hl_segment_row_free             (HlSegmentRow   *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlSegmentRow, hl_segment_row_free)

/* Segments, by subnet, month, gen and part; @subnet NULL for all, @month 0
 * (year * 100 + month) for every month. */
GPtrArray    *hl_store_archive_list_segments  (HlStore        *self,
                                               const guint8   *subnet,
                                               guint           month,
                                               GError        **error);
HlSegmentRow *hl_store_archive_get_segment    (HlStore        *self,
                                               gint64          rowid,
                                               GError        **error);
/* The segment an archive.segment event describes; NULL with
 * HL_CORE_ERROR_NOT_FOUND for an unknown manifest. */
HlSegmentRow *hl_store_archive_find_manifest  (HlStore        *self,
                                               const guint8   *manifest_id,
                                               GError        **error);
/* This device checked the segment's content (sealed it, rebuilt it from its
 * own events with the same hash, or decoded it): @ids (HlId) are the events
 * it holds and the segment contains, which leave the reconciled set while
 * the segment is current. One transaction. */
gboolean      hl_store_archive_set_verified   (HlStore        *self,
                                               gint64          rowid,
                                               GArray         *ids,
                                               GError        **error);
/* How many events are marked as contained in segment @rowid. */
gint64        hl_store_archive_count_contained (HlStore       *self,
                                                gint64         rowid,
                                                GError       **error);
/* The events of a segment that is current no more, or of a deleted subnet,
 * go back to the reconciled set. */
gboolean      hl_store_archive_release        (HlStore        *self,
                                               gint64          rowid,
                                               GError        **error);

/* The sealable ranges: each (subnet, month) whose events this device holds,
 * by docs/protocol.md's rule of which events belong to a subnet. */
typedef void (*HlArchiveRangeFunc) (const guint8 *subnet,
                                    guint         year,
                                    guint         month,
                                    guint64       n_events,
                                    guint64       bytes,
                                    gpointer      user_data);
gboolean      hl_store_archive_foreach_range  (HlStore           *self,
                                               HlArchiveRangeFunc func,
                                               gpointer           user_data,
                                               GError           **error);

/* A held event of a range, in (ts, id) order; return FALSE to stop. */
typedef gboolean (*HlArchiveRecordFunc) (const guint8 *id,
                                         guint64       ts,
                                         const guint8 *raw,
                                         gsize         raw_len,
                                         const guint8 *sig,
                                         gpointer      user_data);
/* The held events of (@subnet, @year-@month) from the key (@from_ts,
 * @from_id) on (NULL: from the start), at most @limit of them (0: all).
 * With @sizes_only, @raw is NULL and @raw_len its length. */
gboolean      hl_store_archive_foreach_record (HlStore            *self,
                                               const guint8       *subnet,
                                               guint               year,
                                               guint               month,
                                               guint64             from_ts,
                                               const guint8       *from_id,
                                               guint               limit,
                                               gboolean            sizes_only,
                                               HlArchiveRecordFunc func,
                                               gpointer            user_data,
                                               GError            **error);
/* Keeps of @ids (HlId) the events this device holds that belong to the range. */
gboolean      hl_store_archive_filter_range   (HlStore        *self,
                                               const guint8   *subnet,
                                               guint           year,
                                               guint           month,
                                               GArray         *ids,
                                               GError        **error);
/* Whether the events this device holds of the range are other than those
 * its current segments contain (late events, deletes, events whose subnet
 * changed): then it reseals. Only meaningful once it verified them all. */
gboolean      hl_store_archive_range_differs  (HlStore        *self,
                                               const guint8   *subnet,
                                               guint           year,
                                               guint           month,
                                               gboolean       *differs,
                                               GError        **error);
/* Whether the bytes of the subnet's create event are held (the archive key
 * comes from it); its id and signature when so. */
gboolean      hl_store_archive_subnet_create  (HlStore        *self,
                                               const guint8   *subnet,
                                               guint8         *sig,
                                               gboolean       *held,
                                               GError        **error);

/* Holders: authors of archive.holder events, the latest per author. */
typedef struct
{
  guint8  key[HL_KEY_LEN];
  guint64 quota;
  gint64  ts_ms;
} HlArchiveHolder;

/* The holders whose latest archive.holder is at @since_ms or later and
 * offers a quota above 0, sorted by key (HlArchiveHolder). */
GArray       *hl_store_archive_list_holders   (HlStore        *self,
                                               gint64          since_ms,
                                               GError        **error);
/* @key's latest archive.holder; *@found FALSE when there is none. */
gboolean      hl_store_archive_get_holder     (HlStore        *self,
                                               const guint8   *key,
                                               HlArchiveHolder *holder,
                                               gboolean       *found,
                                               GError        **error);
/* The latest archive.policy of the subnet's owner: *@lose is
 * HL_ARCHIVE_LOSE_HALF when there is none or it says "half". */
gboolean      hl_store_archive_get_policy     (HlStore        *self,
                                               const guint8   *subnet,
                                               gint           *lose,
                                               gboolean       *set,
                                               GError        **error);

/* Symbols. A symbol is stored with its leaf hash, already checked against
 * its block's root; a run of them with the boundary hashes that proved it.
 * Writes belong in a transaction of the caller (hl_store_begin_batch). */
gboolean      hl_store_archive_put_symbol     (HlStore        *self,
                                               gint64          rowid,
                                               guint           sbn,
                                               guint32         esi,
                                               const guint8   *leaf,
                                               const guint8   *data,
                                               GError        **error);
gboolean      hl_store_archive_put_proof      (HlStore        *self,
                                               gint64          rowid,
                                               guint           sbn,
                                               guint32         first,
                                               guint32         count,
                                               GBytes         *hashes,
                                               GError        **error);
typedef gboolean (*HlArchiveSymbolFunc) (guint         sbn,
                                         guint32       esi,
                                         const guint8 *leaf,
                                         const guint8 *data,
                                         gpointer      user_data);
/* The stored symbols of a segment with ESI in [@first, @first + @count) of
 * block @sbn, in order (@sbn -1: every symbol of the segment). */
gboolean      hl_store_archive_foreach_symbol (HlStore            *self,
                                               gint64              rowid,
                                               gint                sbn,
                                               guint32             first,
                                               guint32             count,
                                               HlArchiveSymbolFunc func,
                                               gpointer            user_data,
                                               GError            **error);
typedef gboolean (*HlArchiveProofFunc) (guint         sbn,
                                        guint32       first,
                                        guint32       count,
                                        GBytes       *hashes,
                                        gpointer      user_data);
gboolean      hl_store_archive_foreach_proof  (HlStore            *self,
                                               gint64              rowid,
                                               HlArchiveProofFunc  func,
                                               gpointer            user_data,
                                               GError            **error);
/* How many symbols of the range (as above) are stored. */
gint64        hl_store_archive_count_symbols  (HlStore        *self,
                                               gint64          rowid,
                                               gint            sbn,
                                               guint32         first,
                                               guint32         count,
                                               GError        **error);
/* Deletes the stored symbols of block @sbn outside [@keep_first, @keep_first
 * + @keep_count) (@keep_count 0: all of them; @sbn -1: every block), and the
 * proofs of runs that lose symbols. Returns the number deleted, -1 on error. */
gint64        hl_store_archive_drop_symbols   (HlStore        *self,
                                               gint64          rowid,
                                               gint            sbn,
                                               guint32         keep_first,
                                               guint32         keep_count,
                                               GError        **error);
/* Deletes one symbol and every proof of a run that holds it (`archive
 * verify` found it bad). */
gboolean      hl_store_archive_delete_symbol  (HlStore        *self,
                                               gint64          rowid,
                                               guint           sbn,
                                               guint32         esi,
                                               GError        **error);
/* Bytes of symbol data stored, all segments. */
gint64        hl_store_archive_symbol_bytes   (HlStore        *self,
                                               GError        **error);

/* Settings, kept in the database so that hyperlinkctl, hyperlinkd and the
 * window read the same values. */
#define HL_ARCHIVE_DEFAULT_SEAL_AFTER_MS  (30 * 24 * G_GINT64_CONSTANT (3600000))
#define HL_ARCHIVE_DEFAULT_GRACE_MS       (7 * 24 * G_GINT64_CONSTANT (3600000))
#define HL_ARCHIVE_MAX_DEFAULT_QUOTA      (G_GINT64_CONSTANT (4) << 30)

typedef enum
{
  HL_ARCHIVE_SETTING_QUOTA,        /* bytes of symbols this device keeps */
  HL_ARCHIVE_SETTING_SEAL_AFTER,   /* ms after a month's end it is sealed */
  HL_ARCHIVE_SETTING_GRACE,        /* ms a holder stays in the set after its last word */
  HL_ARCHIVE_SETTING_HORIZON,      /* months of history kept in full here; 0 everything */
  HL_ARCHIVE_SETTING_LOADED_CACHE, /* bytes of dropped history loaded back, at most */
  /* A restore asked of the running node by another process (hyperlinkctl
   * archive restore, the window): its id (ms), 0 none; and how long the
   * node waits for peers to reconcile first; and the segment (rowid) it
   * loads (hyperlinkctl archive load), 0 for a whole restore. */
  HL_ARCHIVE_SETTING_RESTORE_REQUEST,
  HL_ARCHIVE_SETTING_RESTORE_WAIT_S,
  HL_ARCHIVE_SETTING_RESTORE_SEGMENT,
} HlArchiveSetting;

/* The setting, or its default when none was set. The quota's default is
 * min(10 % of the disk space free when it is first read, 4 GiB), remembered
 * at that first read when the store may write. */
gint64        hl_store_archive_get_setting    (HlStore          *self,
                                               HlArchiveSetting  setting,
                                               GError          **error);
gboolean      hl_store_archive_set_setting    (HlStore          *self,
                                               HlArchiveSetting  setting,
                                               gint64            value,
                                               GError          **error);

/* Materialises the archive's events again from the event log (after the
 * rules made them known kinds, hl-store-recheck.c). */
gboolean      hl_store_archive_rebuild        (HlStore        *self,
                                               GError        **error);

G_END_DECLS
