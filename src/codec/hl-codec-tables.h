/* hl-codec-tables.h: constant tables transcribed from RFC 6330.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HL_RQ_TABLE2_LEN 477

/* One row of RFC 6330 Table 2 (section 5.6). */
typedef struct
{
  guint32 k_prime;
  guint32 j;
  guint32 s;
  guint32 h;
  guint32 w;
} HlRqTable2Row;

extern const guint32 hl_rq_v0[256];
extern const guint32 hl_rq_v1[256];
extern const guint32 hl_rq_v2[256];
extern const guint32 hl_rq_v3[256];
extern const guint32 hl_rq_deg_f[31];
extern const guint8 hl_rq_oct_exp[510];
/* hl_rq_oct_log[0] is unused (log of zero is undefined). */
extern const guint8 hl_rq_oct_log[256];
extern const HlRqTable2Row hl_rq_table2[HL_RQ_TABLE2_LEN];

G_END_DECLS
