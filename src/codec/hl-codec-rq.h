/* hl-codec-rq.h: RaptorQ internals shared by encoder, decoder and tests.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HL_RQ_MAX_K 56403
/* d <= 30 LT columns plus d1 <= 3 PI columns. */
#define HL_RQ_MAX_ROW_COLS 33

/* Per-K' parameters of RFC 6330 section 5.3.3.3. */
typedef struct
{
  guint32 k_prime;
  guint32 j, s, h, w;
  guint32 l;   /* K' + S + H intermediate symbols */
  guint32 p;   /* L - W permanently inactivated symbols */
  guint32 p1;  /* smallest prime >= P */
  guint32 b;   /* W - S */
} HlRqParams;

/* Fills @out for the smallest K' >= @k; FALSE if k > 56403. */
gboolean hl_rq_params_for_k (guint32 k, HlRqParams *out);

guint32 hl_rq_rand (guint32 y, guint32 i, guint32 m);
guint32 hl_rq_deg (const HlRqParams *p, guint32 v);

typedef struct
{
  guint32 d, a, b, d1, a1, b1;
} HlRqTuple;

void hl_rq_tuple (const HlRqParams *p, guint32 isi, HlRqTuple *t);

/* Intermediate-symbol indices XORed by Enc[] for @isi (section 5.3.5.3);
 * returns how many were written to @cols (at most HL_RQ_MAX_ROW_COLS). */
guint hl_rq_isi_columns (const HlRqParams *p, guint32 isi, guint32 *cols);

/* ---- decoding schedules ------------------------------------------------ */

typedef enum
{
  HL_RQ_OP_XOR,     /* slot[dst] ^= slot[src] */
  HL_RQ_OP_MULADD,  /* slot[dst] ^= coef * slot[src] */
  HL_RQ_OP_SCALE,   /* slot[dst] *= coef */
  HL_RQ_OP_FMA,     /* slot[dst] = coef * slot[dst] ^ slot[src] */
  HL_RQ_OP_COPY,    /* slot[dst] = slot[src] */
} HlRqOpKind;

typedef struct
{
  guint32 dst;
  guint32 src;
  guint8 kind;
  guint8 coef;
} HlRqOp;

/* A symbol-level recipe that turns the right-hand side of A*C = D into the
 * intermediate symbols C, computed from the matrix alone.  Slots are laid
 * out as: [0, S+H) constraint rows (zero), [S+H, S+H+n_rows) the symbols of
 * the rows given to hl_rq_schedule_new (in that order), then n_temp
 * scratch slots (zero).  After hl_rq_schedule_run, intermediate symbol c
 * is in slot col_slot[c].
 *
 * A schedule built with @restore reads, besides the n_slots working slots,
 * n_slots more: slot n_slots + i holds the original content of slot i
 * (untouched input symbols; zeros for constraint, padding and scratch
 * slots).  It then rebuilds rows from their originals instead of undoing
 * its forward substitution, which saves about a fifth of the symbol work;
 * the encoder can offer that for free (the object is the original). */
typedef struct
{
  HlRqParams params;
  guint32 n_rows;
  guint32 n_slots;
  HlRqOp *ops;
  gsize n_ops;
  guint32 *col_slot;
  gint ref_count;
  gboolean restore;
  gboolean borrowed;   /* ops and col_slot live in per-thread scratch */
  guint32 n_inactive;  /* statistics, for tests and tuning */
} HlRqSchedule;

/* Solves the constraint matrix for the rows with ISIs @isis; returns NULL
 * if the rows do not determine the intermediate symbols.  A @transient
 * schedule borrows per-thread scratch memory: it must be used and freed
 * before the next hl_rq_schedule_new call on the same thread. */
HlRqSchedule *hl_rq_schedule_new (const HlRqParams *p, const guint32 *isis,
                                  guint32 n_rows, gboolean restore,
                                  gboolean transient);
HlRqSchedule *hl_rq_schedule_ref (HlRqSchedule *s);
/* Drops a reference (schedules start with one). */
void hl_rq_schedule_free (HlRqSchedule *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlRqSchedule, hl_rq_schedule_free)

/* The restoring schedule for ISIs 0..K'-1 (what an encoder solves), built
 * once per K' and cached (least recently used ones are dropped beyond
 * 64 MB); returns a reference to release with hl_rq_schedule_free. */
HlRqSchedule *hl_rq_schedule_for_encoding (guint32 k_prime);

/* Runs @s over @slots (n_slots pointers to symbols of @t bytes, twice that
 * for a restoring schedule; constraint and scratch slots must be zeroed by
 * the caller). */
void hl_rq_schedule_run (const HlRqSchedule *s, guint8 *const *slots, gsize t);

G_END_DECLS
