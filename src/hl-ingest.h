/* hl-ingest.h: importing many events at once, verified on every core.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 accepted;
  guint64 duplicates;
  guint64 rejected;
} HlIngestStats;

/* Called on the calling thread for each line refused, numbered from 1. */
typedef void (*HlIngestRejectFunc) (guint64       line,
                                    const GError *error,
                                    gpointer      user_data);

/* Reads one JSON event per line (blank lines are skipped), parses and verifies
 * them on @n_workers threads (0: one per core) and applies the good ones in
 * batched transactions on the calling thread. A bad line costs only itself.
 * Returns FALSE only when reading or writing fails; what was applied stays. */
gboolean hl_ingest_stream (HlStore             *store,
                           GInputStream        *stream,
                           guint                n_workers,
                           HlIngestStats       *stats,
                           HlIngestRejectFunc   on_reject,
                           gpointer             user_data,
                           GCancellable        *cancellable,
                           GError             **error);

G_END_DECLS
