/* hl-codec-gf256.h: GF(256) arithmetic on octets and on symbols.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "hl-codec-tables.h"

G_BEGIN_DECLS

/* Symbol kernels.  All lengths are in bytes; buffers need no alignment. */
typedef void (*HlGfXorFunc)    (guint8 *dst, const guint8 *src, gsize len);
typedef void (*HlGfMulAddFunc) (guint8 *dst, const guint8 *src, guint8 c, gsize len);
typedef void (*HlGfScaleFunc)  (guint8 *dst, guint8 c, gsize len);
/* dst = (overwrite ? 0 : dst) ^ srcs[0] ^ ... ^ srcs[n-1]; 1 <= n <= 16.
 * One pass over dst however many sources: the schedules are mostly runs
 * of XORs into the same symbol. */
typedef void (*HlGfXorMultiFunc) (guint8 *dst, const guint8 *const *srcs, guint n,
                                  gboolean overwrite, gsize len);
/* dst = c * dst ^ src */
typedef void (*HlGfFmaFunc)    (guint8 *dst, const guint8 *src, guint8 c, gsize len);

#define HL_GF_XOR_MULTI_MAX 16

typedef struct
{
  const char *name;
  HlGfXorFunc xor_into;   /* dst ^= src */
  HlGfMulAddFunc muladd;  /* dst ^= c * src */
  HlGfScaleFunc scale;    /* dst = c * dst */
  HlGfXorMultiFunc xor_multi;
  HlGfFmaFunc fma;
} HlGfKernels;

/* The kernels picked for this CPU (best available, or the one named by
 * the HL_CODEC_SIMD environment variable: portable, ssse3, avx2, gfni,
 * avx512, avx512-gfni). */
const HlGfKernels *hl_gf_kernels (void);

/* Every kernel set usable on this CPU, portable first; for tests. */
const HlGfKernels *const *hl_gf_kernels_available (guint *n_out);

static inline guint8
hl_gf_mul (guint8 a, guint8 b)
{
  if (a == 0 || b == 0)
    return 0;
  return hl_rq_oct_exp[hl_rq_oct_log[a] + hl_rq_oct_log[b]];
}

static inline guint8
hl_gf_inv (guint8 a)
{
  g_assert (a != 0);
  return hl_rq_oct_exp[255 - hl_rq_oct_log[a]];
}

static inline guint8
hl_gf_alpha_pow (guint i)
{
  return hl_rq_oct_exp[i % 255];
}

G_END_DECLS
