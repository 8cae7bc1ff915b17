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

/* Events decoded already (an archived segment's): checks each with
 * hl_event_verify() on @n_workers threads (0: one per core) and applies the
 * ones that pass, in order, inside the caller's batch (hl_store_begin_batch),
 * each chunk as soon as it is checked, while the workers check the next ones.
 * @ok[i] says whether @events[i] passed, @results[i] what applying it did
 * (HL_ACCEPT_REJECTED where it did not pass). *@wait_us: how long the writer
 * waited for the checks, the part of them not hidden behind applying. */
gboolean hl_ingest_events_in_batch (HlStore         *store,
                                    HlEvent *const  *events,
                                    guint            n_events,
                                    guint            n_workers,
                                    gboolean        *ok,
                                    HlAcceptResult  *results,
                                    gint64          *wait_us,
                                    GError         **error);

G_END_DECLS
