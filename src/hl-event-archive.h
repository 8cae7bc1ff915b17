/* hl-event-archive.h: the bodies of the archive's events (docs/protocol.md,
 * "Archive"): segment manifests, holders and policies.
 *
 * Validation (hl-event-kinds.c) and every reader of these events go through
 * the functions here, so what the store and the archive use is exactly what
 * was validated.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-codec.h"
#include "hl-event.h"

G_BEGIN_DECLS

/* Constants of version 1 of the archive. */
#define HL_ARCHIVE_SYMBOL_SIZE      1024                /* T */
#define HL_ARCHIVE_ALIGNMENT        4                   /* Al */
#define HL_ARCHIVE_SUB_BLOCK_BYTES  (16 * 1024 * 1024)  /* WS */
#define HL_ARCHIVE_MIN_SUB_SYMBOL   8                   /* SS, in units of Al */
/* A segment's plaintext; a bigger month of a subnet is cut into parts. */
#define HL_ARCHIVE_MAX_PLAINTEXT    (16 * 1024 * 1024)
#define HL_ARCHIVE_TAG_BYTES        16                  /* Poly1305 */
#define HL_ARCHIVE_MAX_SIZE         (HL_ARCHIVE_MAX_PLAINTEXT + HL_ARCHIVE_TAG_BYTES)
/* Committed ESIs of a block: L_b = 4 K_b. */
#define HL_ARCHIVE_COMMIT_FACTOR    4
#define HL_ARCHIVE_FIRST_YEAR       1970
#define HL_ARCHIVE_LAST_YEAR        9999
#define HL_ARCHIVE_MAX_PARTS        65535
#define HL_ARCHIVE_MAX_LOSE         65535
/* archive.policy {"lose": "half"} */
#define HL_ARCHIVE_LOSE_HALF        (-1)

/* An archive.segment body, read and checked. */
typedef struct
{
  guint8      subnet[HL_ID_LEN];   /* the event's ref */
  guint       year;
  guint       month;               /* 1-12 */
  guint32     gen;
  guint       part;
  guint       parts;
  guint8      set[HL_ID_LEN];
  guint32     count;
  guint64     first;
  guint64     last;
  guint64     size;                /* ciphertext bytes, F */
  guint8      hash[HL_ID_LEN];     /* of the plaintext */
  guint8      oti[HL_CODEC_OTI_SIZE];
  HlCodecOti  codec;               /* the OTI, parsed */
  guint       n_roots;             /* Z */
  guint8     *roots;               /* n_roots * 32 bytes */
  gboolean    has_supersedes;
  guint8      supersedes[HL_ID_LEN];
  /* A private subnet's: the epoch whose key the segment is encrypted under. */
  gboolean    has_epoch;
  guint8      epoch[HL_ID_LEN];
} HlSegmentManifest;

void      hl_segment_manifest_clear   (HlSegmentManifest       *manifest);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HlSegmentManifest, hl_segment_manifest_clear)

/* Reads an archive.segment event's body: every rule of its row and the
 * checks between members, with the refusal codes of docs/protocol.md. */
gboolean  hl_segment_manifest_read    (const HlEvent           *event,
                                       HlSegmentManifest       *manifest,
                                       GError                 **error);
/* The body of @manifest (its subnet goes in the ref), members in the order
 * of docs/protocol.md. */
char     *hl_segment_manifest_body    (const HlSegmentManifest *manifest);
/* "2026-03" */
char     *hl_segment_manifest_month   (const HlSegmentManifest *manifest);

/* The hash that ties the parts of one sealing of a month together:
 * BLAKE2b-256("hl-set-v1" || subnet || year (u16) || month (u8) || gen (u32)
 * || parts (u16) || the plaintext hash of each part, in order). */
void      hl_archive_set_hash         (const guint8            *subnet,
                                       guint                    year,
                                       guint                    month,
                                       guint32                  gen,
                                       guint                    parts,
                                       const guint8            *hashes,
                                       guint8                  *out);

/* The OTI version 1 uses for a segment of @size ciphertext bytes
 * (RFC 6330 4.3 with the constants above). */
gboolean  hl_archive_oti_for_size     (guint64                  size,
                                       HlCodecOti              *oti,
                                       GError                 **error);

/* The members of archive.holder and archive.policy bodies that passed
 * validation; FALSE for any other event. *@lose is HL_ARCHIVE_LOSE_HALF
 * for "half". */
gboolean  hl_archive_holder_quota     (const HlEvent           *event,
                                       guint64                 *quota);
gboolean  hl_archive_policy_lose      (const HlEvent           *event,
                                       gint                    *lose);

/* The month (UTC) of a timestamp, and the first millisecond of a month.
 * FALSE for a month outside HL_ARCHIVE_FIRST_YEAR … HL_ARCHIVE_LAST_YEAR. */
gboolean  hl_archive_month_of         (guint64                  ts_ms,
                                       guint                   *year,
                                       guint                   *month);
gint64    hl_archive_month_start_ms   (guint                    year,
                                       guint                    month);
/* The month after (year, month). */
void      hl_archive_month_next       (guint                   *year,
                                       guint                   *month);

G_END_DECLS
