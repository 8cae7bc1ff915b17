/* hl-reconcile.h: range-based set reconciliation over (ts, id), after
 * Negentropy (docs/protocol.md, "Reconciliation").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-sync-set.h"

G_BEGIN_DECLS

/* A range whose keys we hold and the peer lacks, except those whose id
 * prefixes are listed in @exclude (sorted guint64, may be empty). */
typedef struct
{
  HlSyncBound  lower;
  HlSyncBound  upper;
  GArray      *exclude;
} HlReconPush;

void hl_recon_push_free (HlReconPush *push);

typedef struct
{
  GByteArray *reply;    /* the whole frame to send back, or NULL: the exchange is over */
  gboolean    done;     /* the reply ends the exchange (it holds no ranges) */
  GArray     *wants;    /* guint64 id prefixes the peer holds and we lack */
  GPtrArray  *pushes;   /* HlReconPush: keys we hold and the peer lacks */
} HlReconResult;

typedef struct
{
  guint branches;       /* sub-ranges a mismatched range splits into */
  guint leaf;           /* at most this many keys: send the id list instead */
  gsize max_reply;      /* bytes; beyond it the rest is one fingerprint range */
} HlReconParams;

/* One range of a RECON frame as read: [lower, upper) with its mode and
 * payload, which point into the frame. */
typedef enum
{
  HL_RECON_SKIP = 0,
  HL_RECON_FINGERPRINT = 1,
  HL_RECON_IDLIST = 2,
} HlReconMode;

typedef struct
{
  HlSyncBound   lower;        /* where the previous range ended */
  HlSyncBound   upper;
  HlReconMode   mode;
  const guint8 *fingerprint;  /* FINGERPRINT: HL_SYNC_FP_LEN bytes */
  const guint8 *prefixes;     /* IDLIST: n_prefixes × HL_SYNC_PREFIX_LEN bytes, increasing */
  guint         n_prefixes;
} HlReconRange;

/* Reads a RECON frame one range at a time, checking every rule of
 * docs/protocol.md ("Frame layout") on the way: the one decoder of the
 * frame, used by hl_recon_process and by the fuzz targets. */
typedef struct
{
  const guint8 *p;
  const guint8 *end;
  guint8        role;         /* HL_SYNC_RECON_INITIATOR or _RESPONDER */
  guint64       last_ts;
  HlSyncBound   lower;
} HlReconReader;

/* Checks the two header bytes; FALSE with @error when they are wrong. */
gboolean hl_recon_reader_init    (HlReconReader      *reader,
                                  const guint8       *frame,
                                  gsize               len,
                                  GError            **error);
/* TRUE with the next range in @range. FALSE at the end of the frame, with
 * @error unset, or at a range that breaks a rule, with @error set (the
 * frame is then malformed as a whole). */
gboolean hl_recon_reader_next    (HlReconReader      *reader,
                                  HlReconRange       *range,
                                  GError            **error);
/* Appends @range's bound, mode and payload to @frame; @last_ts is the
 * writer's state for delta-encoding timestamps (0 at each frame start). */
void     hl_recon_put_range      (GByteArray         *frame,
                                  guint64            *last_ts,
                                  const HlReconRange *range);
/* Bounds as docs/protocol.md orders them: by ts (∞ last), then by the id
 * prefix padded with zero bytes, so (ts, 00) and (ts, empty) are equal. */
int      hl_recon_bound_compare  (const HlSyncBound  *a,
                                  const HlSyncBound  *b);

void     hl_recon_params_default (HlReconParams      *params);
void     hl_recon_result_clear   (HlReconResult      *result);

/* The opening frame of an exchange. */
GByteArray *hl_recon_initiate    (HlSyncSet           *set,
                                  const HlReconParams *params);
/* Processes one received RECON frame (with its two header bytes). The set
 * must be sealed. FALSE with @error when the frame is malformed. */
gboolean hl_recon_process        (HlSyncSet           *set,
                                  const HlReconParams *params,
                                  const guint8        *frame,
                                  gsize                len,
                                  HlReconResult       *result,
                                  GError             **error);

G_END_DECLS
