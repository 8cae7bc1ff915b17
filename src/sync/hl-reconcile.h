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
