/* hl-archive-private.h: what the hl-archive-*.c files share.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-archive.h"

G_BEGIN_DECLS

/* A block's Merkle tree over its L_b committed leaves, padded to a power of
 * two with zero leaves (hl-archive-merkle.c). */
typedef struct _HlMerkle HlMerkle;

HlMerkle     *hl_merkle_new       (guint32        n_leaves,
                                   guint8        *leaves);   /* taken */
void          hl_merkle_free      (HlMerkle      *tree);
const guint8 *hl_merkle_root      (HlMerkle      *tree);
GBytes       *hl_merkle_proof     (HlMerkle      *tree,
                                   guint32        first,
                                   guint32        count);
/* Recomputes the root from a run of leaves and its proof. */
gboolean      hl_merkle_check     (guint32        n_leaves,
                                   guint32        first,
                                   guint32        count,
                                   const guint8  *leaves,
                                   const guint8  *hashes,
                                   gsize          n_hashes,
                                   const guint8  *root);
/* The proof of [@sub_first, @sub_first + @sub_count), a part of a run whose
 * leaves and proof (checked already) are known. */
GBytes       *hl_merkle_subproof  (guint32        n_leaves,
                                   guint32        first,
                                   guint32        count,
                                   const guint8  *leaves,
                                   const guint8  *hashes,
                                   gsize          n_hashes,
                                   guint32        sub_first,
                                   guint32        sub_count);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlMerkle, hl_merkle_free)

/* The (ts, id) of a record's canonical bytes, and its month's bounds. */
gboolean      hl_archive_record_ts (const guint8 *raw,
                                    gsize         raw_len,
                                    guint64      *ts);

/* One planned part of a sealing: where it starts and how many records. */
typedef struct
{
  guint64 first_ts;
  guint8  first_id[HL_ID_LEN];
  guint   count;
  gsize   bytes;                 /* plaintext, header included */
} HlSealPart;

/* The parts a range's held events fall into (greedy, in key order, each at
 * most HL_ARCHIVE_MAX_PLAINTEXT bytes). Empty when it holds none. */
GArray       *hl_archive_plan_parts  (HlStore       *store,
                                      const guint8  *subnet,
                                      guint          year,
                                      guint          month,
                                      GError       **error);
/* The plaintext of one planned part. @ids, when not NULL, gets its events' ids. */
GBytes       *hl_archive_part_plaintext (HlStore          *store,
                                         const guint8     *subnet,
                                         guint             year,
                                         guint             month,
                                         guint32           gen,
                                         guint             part,
                                         guint             parts,
                                         const HlSealPart *plan,
                                         GArray           *ids,
                                         GError          **error);
/* The plaintext of the whole range as a single part (gen @gen), read in one
 * pass; NULL with *@fits FALSE and no error when it needs more than one part. */
GBytes       *hl_archive_whole_plaintext (HlStore      *store,
                                          const guint8 *subnet,
                                          guint         year,
                                          guint         month,
                                          guint32       gen,
                                          GArray       *ids,
                                          gboolean     *fits,
                                          GError      **error);
/* K_S of @subnet: of a public one from its create event
 * (HL_ARCHIVE_ERROR_NO_KEY when the event's bytes are not held); of a
 * private one from the key of the epoch @manifest names, or with @manifest
 * NULL (sealing) of the epoch in effect now, whose id goes in @epoch
 * (*@has_epoch TRUE). HL_ARCHIVE_ERROR_NO_KEY when this device lacks it. */
gboolean      hl_archive_key_for      (HlStore                 *store,
                                       const guint8            *subnet,
                                       const HlSegmentManifest *manifest,
                                       guint8                  *out,
                                       gboolean                *has_epoch,
                                       guint8                  *epoch,
                                       GError                 **error);

struct _HlArchive
{
  HlStore    *store;
  HlIdentity *identity;        /* NULL: this device writes nothing */
  gint64      now_ms;          /* 0: the real clock */
  GHashTable *reseal_due;      /* "subnet-hex/yyyymm" -> due time (ms), boxed gint64 */
  GHashTable *unverifiable;    /* segment rowid -> the event log's max seq when it failed */
  /* What the last full pass saw: nothing to do while it stays the same. */
  gboolean    idle_known;
  gboolean    idle_no_seal;    /* that pass sealed nothing (HL_ARCHIVE_NO_SEAL) */
  gint64      idle_seq;        /* the event log's max seq */
  gint64      idle_epoch;      /* the containment epoch */
  gint64      idle_cutoff;     /* the first month not yet sealable */
  guint8      idle_holders[HL_ID_LEN];
  HlSegment  *built;           /* the last segment sealed, for the step after */
  GArray     *built_ids;       /* its events (HlId) */
};

/* hl-archive.c: the holder set and the placement of a segment here. */
GArray       *hl_archive_holder_set   (HlArchive     *archive,
                                       GError       **error);
HlPlacement  *hl_archive_place        (HlArchive               *archive,
                                       const HlSegmentManifest *manifest,
                                       GArray                  *holders,
                                       GError                 **error);
gint64        hl_archive_now          (HlArchive     *archive);
HlStore      *hl_archive_store        (HlArchive     *archive);
/* This device's key, or NULL when it has none. */
const guint8 *hl_archive_self_key     (HlArchive     *archive);

/* A range of the archive: one subnet's month. */
typedef struct
{
  guint8 subnet[HL_ID_LEN];
  guint  year;
  guint  month;
} HlArchiveRange;

/* "subnet-hex/yyyymm" */
char         *hl_archive_range_name   (const guint8  *subnet,
                                       guint          year,
                                       guint          month);
/* Whether this device stores all of its share of segment @rowid. */
gboolean      hl_archive_share_complete (HlArchive   *archive,
                                         HlPlacement *placement,
                                         gint64       rowid,
                                         gboolean    *complete,
                                         GError     **error);
/* One range, as hl_archive_maintain() does it (hl-archive-seal.c). */
gboolean      hl_archive_maintain_range (HlArchive              *archive,
                                         const HlArchiveRange   *range,
                                         GArray                 *holders,
                                         HlArchiveMaintainFlags  flags,
                                         HlArchiveReport        *report,
                                         GError                **error);

/* Writes this device's share of a built segment and marks it verified
 * (with @ids its contained events), in one transaction (hl-archive-seal.c).
 * @segment may be NULL when this device holds no share of it. */
gboolean      hl_archive_adopt        (HlArchive          *archive,
                                       const HlSegmentRow *row,
                                       HlSegment          *segment,
                                       GArray             *ids,
                                       GArray             *holders,
                                       guint64            *written,
                                       GError            **error);
/* The same inside the caller's open batch (hl_store_begin_batch): a load
 * commits its events and marks them archived in one transaction. */
gboolean      hl_archive_adopt_in_batch (HlArchive          *archive,
                                         const HlSegmentRow *row,
                                         HlSegment          *segment,
                                         GArray             *ids,
                                         GArray             *holders,
                                         guint64            *written,
                                         GError            **error);

G_END_DECLS
