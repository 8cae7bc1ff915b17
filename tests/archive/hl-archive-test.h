/* hl-archive-test.h: devices (a data directory, its store, key and archive)
 * and small forums for the archive's tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-archive.h"
#include "hl-test-events.h"

G_BEGIN_DECLS

#define MARCH_2024  G_GUINT64_CONSTANT (1709251200000)
#define APRIL_2024  G_GUINT64_CONSTANT (1711929600000)
#define MAY_2024    G_GUINT64_CONSTANT (1714521600000)
#define DAY_MS      G_GUINT64_CONSTANT (86400000)

typedef struct
{
  char       *dir;
  char       *db;
  HlStore    *store;
  HlIdentity *identity;
  HlArchive  *archive;
} Device;

/* A device in a new directory under the test's temporary one; its key is
 * hl_test_identity (@seed). */
Device     *device_new            (const char    *label,
                                   guint8         seed);
void        device_free           (Device        *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Device, device_free)

/* Verifies and applies @events (HlEvent) as received from a peer. */
void        device_receive        (Device        *device,
                                   GPtrArray     *events);
void        device_receive_one    (Device        *device,
                                   HlEvent       *event);
/* Gives @to every event @from holds (whose bytes it holds), archived or not
 * when @archived_too, else only what @from's reconciled set holds. */
void        device_sync           (Device        *from,
                                   Device        *to,
                                   gboolean       archived_too);
/* hl_archive_maintain, asserting it succeeds. */
HlArchiveReport device_maintain   (Device        *device,
                                   HlArchiveMaintainFlags flags);

/* The reconciled set as the node loads it, and as it builds it from the
 * event log row by row: "ts/id-hex" strings, sorted. */
GPtrArray  *device_set_at_start   (Device        *device);
GPtrArray  *device_set_by_scan    (Device        *device);
gint64      device_count          (Device        *device,
                                   const char    *sql);
/* The current segments (HlSegmentRow), by subnet, month and part. */
GPtrArray  *device_current        (Device        *device);

/* A forum: a subnet by @author, @threads threads a month in each of
 * @months months from March 2024, each with @replies replies. Events in
 * (ts) order. *@subnet gets the subnet's id. */
GPtrArray  *forum_new             (HlIdentity    *author,
                                   guint          months,
                                   guint          threads,
                                   guint          replies,
                                   guint8        *subnet);

/* The placement @d makes of @m over every holder it knows, by its policy. */
HlPlacement *device_place         (Device                  *d,
                                   const HlSegmentManifest *m);
/* Writes each run of @d's share of its current segments to @dir (NAME.sym
 * and NAME.proof, NAME = manifest-sbn-first-count); how many runs. */
guint       device_export_share   (Device        *d,
                                   const char    *dir);
/* Reads the runs of @dir into @d; the symbols stored. A run that fails its
 * proof counts in *@refused and nothing of it is kept. */
guint       device_import_share   (Device        *d,
                                   const char    *dir,
                                   guint         *refused);
/* hl_store_state_hash of @d's store. */
char       *device_state          (Device        *d);

G_END_DECLS
