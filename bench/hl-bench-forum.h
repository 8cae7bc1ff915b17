/* hl-bench-forum.h: a realistic forum of signed events for benchmarks.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "hl-event.h"

G_BEGIN_DECLS

typedef struct
{
  guint   n_events;      /* total, all kinds */
  guint   n_authors;
  guint   n_subnets;
  double  thread_share;  /* of the posts, how many start threads (0..1) */
  guint32 seed;
} HlBenchForumSpec;

/* Signs @spec->n_events events (profiles, subnets, threads, replies, edits,
 * deletes, hides) dated in the past, as JSON lines ready for import. Uses
 * every core. Returns the text; *@first_subnet_hex gets the busiest subnet. */
GString *hl_bench_forum_generate (const HlBenchForumSpec  *spec,
                                  char                   **first_subnet_hex);

/* Ed25519 checks per second on every core, for 2 s, of @events (at least
 * one per core): the limit of an import that verifies every signature. */
double   hl_bench_verify_limit   (HlEvent **events,
                                  guint     n);
/* The same on 1000 short posts per core this function signs. */
double   hl_bench_verify_rate    (void);
/* Peak resident memory of this process, in KiB. */
glong    hl_bench_peak_rss_kib   (void);
/* User plus system time this process has used, all threads. */
double   hl_bench_cpu_seconds    (void);
/* The 1-minute load average: figures taken on a busy machine say so. */
double   hl_bench_load_average   (void);
/* Copies the database file @from over @to, first removing @to's WAL and
 * shared-memory files so SQLite does not replay them onto the copy (@from
 * must be checkpointed). Fails the bench on error. */
void     hl_bench_copy_database  (const char *from,
                                  const char *to);

G_END_DECLS
