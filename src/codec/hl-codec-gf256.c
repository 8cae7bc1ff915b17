/* hl-codec-gf256.c: symbol kernels over GF(256) with runtime CPU dispatch.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Multiplying a buffer by a constant c is GF(2)-linear, so SIMD paths never
 * touch log/exp tables per byte: SSSE3/AVX2 split each byte into nibbles and
 * look both up with pshufb (two 16-entry tables per c), GFNI applies c as an
 * 8x8 bit matrix with gf2p8affineqb.  (gf2p8mulb itself is unusable: it
 * works modulo the AES polynomial 0x11b, RaptorQ uses 0x11d.)
 */
#include "config.h"

#include "hl-codec-gf256.h"

#include <string.h>

/* -DHL_GF_FORCE_PORTABLE builds only the portable path, as on non-x86. */
#if (defined(__x86_64__) || defined(__i386__)) && !defined(HL_GF_FORCE_PORTABLE)
#define HL_GF_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define HL_GF_X86 0
#endif

/* Full product table for the portable path and kernel tails. */
static guint8 mul_table[256][256];
/* Per-constant nibble tables: [c][0..15] = c*x, [c][16..31] = c*(x<<4). */
static guint8 nibble_table[256][32] __attribute__ ((aligned (32)));
/* Per-constant affine matrices for gf2p8affineqb. */
static guint64 affine_table[256];

static void
tables_init_once (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;

  for (guint a = 0; a < 256; a++)
    for (guint b = 0; b < 256; b++)
      mul_table[a][b] = hl_gf_mul ((guint8) a, (guint8) b);

  for (guint c = 0; c < 256; c++)
    {
      guint64 m = 0;

      for (guint x = 0; x < 16; x++)
        {
          nibble_table[c][x] = mul_table[c][x];
          nibble_table[c][16 + x] = mul_table[c][x << 4];
        }
      /* Output bit i is the parity of (row_i & input); row_i lives in byte
       * 7 - i of the matrix operand. */
      for (guint i = 0; i < 8; i++)
        {
          guint8 row = 0;

          for (guint j = 0; j < 8; j++)
            if (mul_table[c][1u << j] & (1u << i))
              row |= (guint8) (1u << j);
          m |= (guint64) row << (8 * (7 - i));
        }
      affine_table[c] = m;
    }

  g_once_init_leave (&done, 1);
}

/* ---- portable ---------------------------------------------------------- */

static void
xor_portable (guint8 *dst, const guint8 *src, gsize len)
{
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 a, b;

      memcpy (&a, dst + i, 8);
      memcpy (&b, src + i, 8);
      a ^= b;
      memcpy (dst + i, &a, 8);
    }
  for (; i < len; i++)
    dst[i] ^= src[i];
}

static void
muladd_portable (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  const guint8 *row = mul_table[c];

  if (c == 0)
    return;
  if (c == 1)
    {
      xor_portable (dst, src, len);
      return;
    }
  for (gsize i = 0; i < len; i++)
    dst[i] ^= row[src[i]];
}

static void
scale_portable (guint8 *dst, guint8 c, gsize len)
{
  const guint8 *row = mul_table[c];

  if (c == 1)
    return;
  for (gsize i = 0; i < len; i++)
    dst[i] = row[dst[i]];
}


/* Multi-source XOR and FMA built from a kernel set's own primitives. */
#define DEFINE_GENERIC_MULTI(prefix)                                          \
  static void                                                               \
  xor_multi_##prefix (guint8 *dst, const guint8 *const *srcs, guint n,      \
                      gboolean overwrite, gsize len)                        \
  {                                                                         \
    guint i = 0;                                                            \
                                                                            \
    if (overwrite)                                                          \
      {                                                                     \
        memcpy (dst, srcs[0], len);                                         \
        i = 1;                                                              \
      }                                                                     \
    for (; i < n; i++)                                                      \
      xor_##prefix (dst, srcs[i], len);                                     \
  }                                                                         \
  static void                                                               \
  fma_##prefix (guint8 *dst, const guint8 *src, guint8 c, gsize len)        \
  {                                                                         \
    scale_##prefix (dst, c, len);                                           \
    xor_##prefix (dst, src, len);                                           \
  }

DEFINE_GENERIC_MULTI (portable)

static const HlGfKernels kernels_portable = {
  "portable", xor_portable, muladd_portable, scale_portable,
  xor_multi_portable, fma_portable,
};

#if HL_GF_X86

/* ---- SSSE3 ------------------------------------------------------------- */

__attribute__ ((target ("ssse3"))) static void
xor_ssse3 (guint8 *dst, const guint8 *src, gsize len)
{
  gsize i = 0;

  for (; i + 64 <= len; i += 64)
    {
      for (guint k = 0; k < 64; k += 16)
        {
          __m128i a = _mm_loadu_si128 ((const void *) (dst + i + k));
          __m128i b = _mm_loadu_si128 ((const void *) (src + i + k));
          _mm_storeu_si128 ((void *) (dst + i + k), _mm_xor_si128 (a, b));
        }
    }
  for (; i + 16 <= len; i += 16)
    {
      __m128i a = _mm_loadu_si128 ((const void *) (dst + i));
      __m128i b = _mm_loadu_si128 ((const void *) (src + i));
      _mm_storeu_si128 ((void *) (dst + i), _mm_xor_si128 (a, b));
    }
  xor_portable (dst + i, src + i, len - i);
}

__attribute__ ((target ("ssse3"))) static inline __m128i
mul_ssse3 (__m128i x, __m128i lo, __m128i hi, __m128i mask)
{
  __m128i l = _mm_and_si128 (x, mask);
  __m128i h = _mm_and_si128 (_mm_srli_epi64 (x, 4), mask);
  return _mm_xor_si128 (_mm_shuffle_epi8 (lo, l), _mm_shuffle_epi8 (hi, h));
}

__attribute__ ((target ("ssse3"))) static void
muladd_ssse3 (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  __m128i lo, hi, mask;
  gsize i = 0;

  if (c == 0)
    return;
  if (c == 1)
    {
      xor_ssse3 (dst, src, len);
      return;
    }
  lo = _mm_load_si128 ((const void *) nibble_table[c]);
  hi = _mm_load_si128 ((const void *) (nibble_table[c] + 16));
  mask = _mm_set1_epi8 (0x0f);
  for (; i + 16 <= len; i += 16)
    {
      __m128i s = _mm_loadu_si128 ((const void *) (src + i));
      __m128i d = _mm_loadu_si128 ((const void *) (dst + i));
      _mm_storeu_si128 ((void *) (dst + i),
                        _mm_xor_si128 (d, mul_ssse3 (s, lo, hi, mask)));
    }
  muladd_portable (dst + i, src + i, c, len - i);
}

__attribute__ ((target ("ssse3"))) static void
scale_ssse3 (guint8 *dst, guint8 c, gsize len)
{
  __m128i lo, hi, mask;
  gsize i = 0;

  if (c == 1)
    return;
  lo = _mm_load_si128 ((const void *) nibble_table[c]);
  hi = _mm_load_si128 ((const void *) (nibble_table[c] + 16));
  mask = _mm_set1_epi8 (0x0f);
  for (; i + 16 <= len; i += 16)
    {
      __m128i d = _mm_loadu_si128 ((const void *) (dst + i));
      _mm_storeu_si128 ((void *) (dst + i), mul_ssse3 (d, lo, hi, mask));
    }
  scale_portable (dst + i, c, len - i);
}

DEFINE_GENERIC_MULTI (ssse3)

static const HlGfKernels kernels_ssse3 = {
  "ssse3", xor_ssse3, muladd_ssse3, scale_ssse3, xor_multi_ssse3, fma_ssse3,
};

/* ---- AVX2 -------------------------------------------------------------- */

__attribute__ ((target ("avx2"))) static void
xor_avx2 (guint8 *dst, const guint8 *src, gsize len)
{
  gsize i = 0;

  for (; i + 128 <= len; i += 128)
    {
      __m256i a0 = _mm256_loadu_si256 ((const void *) (dst + i));
      __m256i a1 = _mm256_loadu_si256 ((const void *) (dst + i + 32));
      __m256i a2 = _mm256_loadu_si256 ((const void *) (dst + i + 64));
      __m256i a3 = _mm256_loadu_si256 ((const void *) (dst + i + 96));
      a0 = _mm256_xor_si256 (a0, _mm256_loadu_si256 ((const void *) (src + i)));
      a1 = _mm256_xor_si256 (a1, _mm256_loadu_si256 ((const void *) (src + i + 32)));
      a2 = _mm256_xor_si256 (a2, _mm256_loadu_si256 ((const void *) (src + i + 64)));
      a3 = _mm256_xor_si256 (a3, _mm256_loadu_si256 ((const void *) (src + i + 96)));
      _mm256_storeu_si256 ((void *) (dst + i), a0);
      _mm256_storeu_si256 ((void *) (dst + i + 32), a1);
      _mm256_storeu_si256 ((void *) (dst + i + 64), a2);
      _mm256_storeu_si256 ((void *) (dst + i + 96), a3);
    }
  for (; i + 32 <= len; i += 32)
    {
      __m256i a = _mm256_loadu_si256 ((const void *) (dst + i));
      __m256i b = _mm256_loadu_si256 ((const void *) (src + i));
      _mm256_storeu_si256 ((void *) (dst + i), _mm256_xor_si256 (a, b));
    }
  xor_portable (dst + i, src + i, len - i);
}

__attribute__ ((target ("avx2"))) static inline __m256i
mul_avx2 (__m256i x, __m256i lo, __m256i hi, __m256i mask)
{
  __m256i l = _mm256_and_si256 (x, mask);
  __m256i h = _mm256_and_si256 (_mm256_srli_epi64 (x, 4), mask);
  return _mm256_xor_si256 (_mm256_shuffle_epi8 (lo, l),
                           _mm256_shuffle_epi8 (hi, h));
}

__attribute__ ((target ("avx2"))) static void
muladd_avx2 (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  __m256i lo, hi, mask;
  gsize i = 0;

  if (c == 0)
    return;
  if (c == 1)
    {
      xor_avx2 (dst, src, len);
      return;
    }
  lo = _mm256_broadcastsi128_si256 (_mm_load_si128 ((const void *) nibble_table[c]));
  hi = _mm256_broadcastsi128_si256 (_mm_load_si128 ((const void *) (nibble_table[c] + 16)));
  mask = _mm256_set1_epi8 (0x0f);
  for (; i + 32 <= len; i += 32)
    {
      __m256i s = _mm256_loadu_si256 ((const void *) (src + i));
      __m256i d = _mm256_loadu_si256 ((const void *) (dst + i));
      _mm256_storeu_si256 ((void *) (dst + i),
                           _mm256_xor_si256 (d, mul_avx2 (s, lo, hi, mask)));
    }
  muladd_portable (dst + i, src + i, c, len - i);
}

__attribute__ ((target ("avx2"))) static void
scale_avx2 (guint8 *dst, guint8 c, gsize len)
{
  __m256i lo, hi, mask;
  gsize i = 0;

  if (c == 1)
    return;
  lo = _mm256_broadcastsi128_si256 (_mm_load_si128 ((const void *) nibble_table[c]));
  hi = _mm256_broadcastsi128_si256 (_mm_load_si128 ((const void *) (nibble_table[c] + 16)));
  mask = _mm256_set1_epi8 (0x0f);
  for (; i + 32 <= len; i += 32)
    {
      __m256i d = _mm256_loadu_si256 ((const void *) (dst + i));
      _mm256_storeu_si256 ((void *) (dst + i), mul_avx2 (d, lo, hi, mask));
    }
  scale_portable (dst + i, c, len - i);
}


__attribute__ ((target ("avx2"))) static void
xor_multi_avx2 (guint8 *dst, const guint8 *const *srcs, guint n,
                gboolean overwrite, gsize len)
{
  gsize off = 0;

  for (; off + 64 <= len; off += 64)
    {
      __m256i a0, a1;
      guint j = 0;

      if (overwrite)
        {
          a0 = _mm256_loadu_si256 ((const void *) (srcs[0] + off));
          a1 = _mm256_loadu_si256 ((const void *) (srcs[0] + off + 32));
          j = 1;
        }
      else
        {
          a0 = _mm256_loadu_si256 ((const void *) (dst + off));
          a1 = _mm256_loadu_si256 ((const void *) (dst + off + 32));
        }
      for (; j < n; j++)
        {
          a0 = _mm256_xor_si256 (a0, _mm256_loadu_si256 ((const void *) (srcs[j] + off)));
          a1 = _mm256_xor_si256 (a1, _mm256_loadu_si256 ((const void *) (srcs[j] + off + 32)));
        }
      _mm256_storeu_si256 ((void *) (dst + off), a0);
      _mm256_storeu_si256 ((void *) (dst + off + 32), a1);
    }
  if (off < len)
    {
      const guint8 *tail[HL_GF_XOR_MULTI_MAX] = { NULL };

      for (guint j = 0; j < n; j++)
        tail[j] = srcs[j] + off;
      xor_multi_portable (dst + off, tail, n, overwrite, len - off);
    }
}

static void
fma_avx2 (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  scale_avx2 (dst, c, len);
  xor_avx2 (dst, src, len);
}

static const HlGfKernels kernels_avx2 = {
  "avx2", xor_avx2, muladd_avx2, scale_avx2, xor_multi_avx2, fma_avx2,
};

/* ---- AVX2 + GFNI ------------------------------------------------------- */

__attribute__ ((target ("avx2,gfni"))) static void
muladd_gfni (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  __m256i m;
  gsize i = 0;

  if (c == 0)
    return;
  if (c == 1)
    {
      xor_avx2 (dst, src, len);
      return;
    }
  m = _mm256_set1_epi64x ((long long) affine_table[c]);
  for (; i + 64 <= len; i += 64)
    {
      __m256i s0 = _mm256_loadu_si256 ((const void *) (src + i));
      __m256i s1 = _mm256_loadu_si256 ((const void *) (src + i + 32));
      __m256i d0 = _mm256_loadu_si256 ((const void *) (dst + i));
      __m256i d1 = _mm256_loadu_si256 ((const void *) (dst + i + 32));
      d0 = _mm256_xor_si256 (d0, _mm256_gf2p8affine_epi64_epi8 (s0, m, 0));
      d1 = _mm256_xor_si256 (d1, _mm256_gf2p8affine_epi64_epi8 (s1, m, 0));
      _mm256_storeu_si256 ((void *) (dst + i), d0);
      _mm256_storeu_si256 ((void *) (dst + i + 32), d1);
    }
  for (; i + 32 <= len; i += 32)
    {
      __m256i s = _mm256_loadu_si256 ((const void *) (src + i));
      __m256i d = _mm256_loadu_si256 ((const void *) (dst + i));
      _mm256_storeu_si256 ((void *) (dst + i),
                           _mm256_xor_si256 (d, _mm256_gf2p8affine_epi64_epi8 (s, m, 0)));
    }
  muladd_portable (dst + i, src + i, c, len - i);
}

__attribute__ ((target ("avx2,gfni"))) static void
scale_gfni (guint8 *dst, guint8 c, gsize len)
{
  __m256i m;
  gsize i = 0;

  if (c == 1)
    return;
  m = _mm256_set1_epi64x ((long long) affine_table[c]);
  for (; i + 32 <= len; i += 32)
    {
      __m256i d = _mm256_loadu_si256 ((const void *) (dst + i));
      _mm256_storeu_si256 ((void *) (dst + i),
                           _mm256_gf2p8affine_epi64_epi8 (d, m, 0));
    }
  scale_portable (dst + i, c, len - i);
}

__attribute__ ((target ("avx2,gfni"))) static void
fma_gfni (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  __m256i m = _mm256_set1_epi64x ((long long) affine_table[c]);
  gsize i = 0;

  for (; i + 32 <= len; i += 32)
    {
      __m256i s = _mm256_loadu_si256 ((const void *) (src + i));
      __m256i d = _mm256_loadu_si256 ((const void *) (dst + i));
      _mm256_storeu_si256 ((void *) (dst + i),
                           _mm256_xor_si256 (s, _mm256_gf2p8affine_epi64_epi8 (d, m, 0)));
    }
  fma_portable (dst + i, src + i, c, len - i);
}

static const HlGfKernels kernels_gfni = {
  "gfni", xor_avx2, muladd_gfni, scale_gfni, xor_multi_avx2, fma_gfni,
};

/* ---- AVX-512 (BW for byte shuffles; GFNI where present) --------------- */

/* GCC 12 flags the undefined upper lanes inside its own AVX-512 intrinsic
 * headers (a known false positive). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

__attribute__ ((target ("avx512f,avx512bw,bmi2"))) static void
xor_avx512 (guint8 *dst, const guint8 *src, gsize len)
{
  gsize i = 0;

  for (; i + 128 <= len; i += 128)
    {
      __m512i a0 = _mm512_loadu_si512 ((const void *) (dst + i));
      __m512i a1 = _mm512_loadu_si512 ((const void *) (dst + i + 64));
      __m512i b0 = _mm512_loadu_si512 ((const void *) (src + i));
      __m512i b1 = _mm512_loadu_si512 ((const void *) (src + i + 64));
      _mm512_storeu_si512 ((void *) (dst + i), _mm512_xor_si512 (a0, b0));
      _mm512_storeu_si512 ((void *) (dst + i + 64), _mm512_xor_si512 (a1, b1));
    }
  for (; i + 64 <= len; i += 64)
    {
      __m512i a = _mm512_loadu_si512 ((const void *) (dst + i));
      __m512i b = _mm512_loadu_si512 ((const void *) (src + i));
      _mm512_storeu_si512 ((void *) (dst + i), _mm512_xor_si512 (a, b));
    }
  if (i < len)
    {
      /* Masked tail: no scalar loop for the last < 64 bytes. */
      __mmask64 m = _bzhi_u64 (~0ULL, (unsigned) (len - i));
      __m512i a = _mm512_maskz_loadu_epi8 (m, dst + i);
      __m512i b = _mm512_maskz_loadu_epi8 (m, src + i);
      _mm512_mask_storeu_epi8 (dst + i, m, _mm512_xor_si512 (a, b));
    }
}

__attribute__ ((target ("avx512f,avx512bw,bmi2"))) static inline __m512i
mul_avx512 (__m512i x, __m512i lo, __m512i hi, __m512i mask)
{
  __m512i l = _mm512_and_si512 (x, mask);
  __m512i h = _mm512_and_si512 (_mm512_srli_epi64 (x, 4), mask);
  return _mm512_xor_si512 (_mm512_shuffle_epi8 (lo, l), _mm512_shuffle_epi8 (hi, h));
}

__attribute__ ((target ("avx512f,avx512bw,bmi2"))) static void
muladd_avx512 (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  __m512i lo, hi, mask;
  gsize i = 0;

  if (c == 0)
    return;
  if (c == 1)
    {
      xor_avx512 (dst, src, len);
      return;
    }
  lo = _mm512_broadcast_i32x4 (_mm_load_si128 ((const void *) nibble_table[c]));
  hi = _mm512_broadcast_i32x4 (_mm_load_si128 ((const void *) (nibble_table[c] + 16)));
  mask = _mm512_set1_epi8 (0x0f);
  for (; i + 64 <= len; i += 64)
    {
      __m512i x = _mm512_loadu_si512 ((const void *) (src + i));
      __m512i d = _mm512_loadu_si512 ((const void *) (dst + i));
      _mm512_storeu_si512 ((void *) (dst + i), _mm512_xor_si512 (d, mul_avx512 (x, lo, hi, mask)));
    }
  if (i < len)
    {
      __mmask64 m = _bzhi_u64 (~0ULL, (unsigned) (len - i));
      __m512i x = _mm512_maskz_loadu_epi8 (m, src + i);
      __m512i d = _mm512_maskz_loadu_epi8 (m, dst + i);
      _mm512_mask_storeu_epi8 (dst + i, m, _mm512_xor_si512 (d, mul_avx512 (x, lo, hi, mask)));
    }
}

__attribute__ ((target ("avx512f,avx512bw,bmi2"))) static void
scale_avx512 (guint8 *dst, guint8 c, gsize len)
{
  __m512i lo, hi, mask;
  gsize i = 0;

  if (c == 1)
    return;
  lo = _mm512_broadcast_i32x4 (_mm_load_si128 ((const void *) nibble_table[c]));
  hi = _mm512_broadcast_i32x4 (_mm_load_si128 ((const void *) (nibble_table[c] + 16)));
  mask = _mm512_set1_epi8 (0x0f);
  for (; i + 64 <= len; i += 64)
    {
      __m512i d = _mm512_loadu_si512 ((const void *) (dst + i));
      _mm512_storeu_si512 ((void *) (dst + i), mul_avx512 (d, lo, hi, mask));
    }
  if (i < len)
    {
      __mmask64 m = _bzhi_u64 (~0ULL, (unsigned) (len - i));
      __m512i d = _mm512_maskz_loadu_epi8 (m, dst + i);
      _mm512_mask_storeu_epi8 (dst + i, m, mul_avx512 (d, lo, hi, mask));
    }
}


__attribute__ ((target ("avx512f,avx512bw,bmi2"))) static void
xor_multi_avx512 (guint8 *dst, const guint8 *const *srcs, guint n,
                  gboolean overwrite, gsize len)
{
  gsize off = 0;

  for (; off + 128 <= len; off += 128)
    {
      __m512i a0, a1;
      guint j = 0;

      if (overwrite)
        {
          a0 = _mm512_loadu_si512 ((const void *) (srcs[0] + off));
          a1 = _mm512_loadu_si512 ((const void *) (srcs[0] + off + 64));
          j = 1;
        }
      else
        {
          a0 = _mm512_loadu_si512 ((const void *) (dst + off));
          a1 = _mm512_loadu_si512 ((const void *) (dst + off + 64));
        }
      for (; j < n; j++)
        {
          a0 = _mm512_xor_si512 (a0, _mm512_loadu_si512 ((const void *) (srcs[j] + off)));
          a1 = _mm512_xor_si512 (a1, _mm512_loadu_si512 ((const void *) (srcs[j] + off + 64)));
        }
      _mm512_storeu_si512 ((void *) (dst + off), a0);
      _mm512_storeu_si512 ((void *) (dst + off + 64), a1);
    }
  for (; off < len; off += 64)
    {
      __mmask64 m = len - off >= 64 ? ~0ULL : _bzhi_u64 (~0ULL, (unsigned) (len - off));
      __m512i a;
      guint j = 0;

      if (overwrite)
        {
          a = _mm512_maskz_loadu_epi8 (m, srcs[0] + off);
          j = 1;
        }
      else
        a = _mm512_maskz_loadu_epi8 (m, dst + off);
      for (; j < n; j++)
        a = _mm512_xor_si512 (a, _mm512_maskz_loadu_epi8 (m, srcs[j] + off));
      _mm512_mask_storeu_epi8 (dst + off, m, a);
    }
}

static void
fma_avx512 (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  scale_avx512 (dst, c, len);
  xor_avx512 (dst, src, len);
}

static const HlGfKernels kernels_avx512 = {
  "avx512", xor_avx512, muladd_avx512, scale_avx512, xor_multi_avx512, fma_avx512,
};

__attribute__ ((target ("avx512f,avx512bw,gfni,bmi2"))) static void
muladd_avx512_gfni (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  __m512i m;
  gsize i = 0;

  if (c == 0)
    return;
  if (c == 1)
    {
      xor_avx512 (dst, src, len);
      return;
    }
  m = _mm512_set1_epi64 ((long long) affine_table[c]);
  for (; i + 64 <= len; i += 64)
    {
      __m512i x = _mm512_loadu_si512 ((const void *) (src + i));
      __m512i d = _mm512_loadu_si512 ((const void *) (dst + i));
      _mm512_storeu_si512 ((void *) (dst + i), _mm512_xor_si512 (d, _mm512_gf2p8affine_epi64_epi8 (x, m, 0)));
    }
  if (i < len)
    {
      __mmask64 k = _bzhi_u64 (~0ULL, (unsigned) (len - i));
      __m512i x = _mm512_maskz_loadu_epi8 (k, src + i);
      __m512i d = _mm512_maskz_loadu_epi8 (k, dst + i);
      _mm512_mask_storeu_epi8 (dst + i, k, _mm512_xor_si512 (d, _mm512_gf2p8affine_epi64_epi8 (x, m, 0)));
    }
}

__attribute__ ((target ("avx512f,avx512bw,gfni,bmi2"))) static void
scale_avx512_gfni (guint8 *dst, guint8 c, gsize len)
{
  __m512i m;
  gsize i = 0;

  if (c == 1)
    return;
  m = _mm512_set1_epi64 ((long long) affine_table[c]);
  for (; i + 64 <= len; i += 64)
    {
      __m512i d = _mm512_loadu_si512 ((const void *) (dst + i));
      _mm512_storeu_si512 ((void *) (dst + i), _mm512_gf2p8affine_epi64_epi8 (d, m, 0));
    }
  if (i < len)
    {
      __mmask64 k = _bzhi_u64 (~0ULL, (unsigned) (len - i));
      __m512i d = _mm512_maskz_loadu_epi8 (k, dst + i);
      _mm512_mask_storeu_epi8 (dst + i, k, _mm512_gf2p8affine_epi64_epi8 (d, m, 0));
    }
}

__attribute__ ((target ("avx512f,avx512bw,gfni,bmi2"))) static void
fma_avx512_gfni (guint8 *dst, const guint8 *src, guint8 c, gsize len)
{
  __m512i m = _mm512_set1_epi64 ((long long) affine_table[c]);
  gsize i = 0;

  for (; i < len; i += 64)
    {
      __mmask64 k = len - i >= 64 ? ~0ULL : _bzhi_u64 (~0ULL, (unsigned) (len - i));
      __m512i x = _mm512_maskz_loadu_epi8 (k, src + i);
      __m512i d = _mm512_maskz_loadu_epi8 (k, dst + i);
      _mm512_mask_storeu_epi8 (dst + i, k, _mm512_xor_si512 (x, _mm512_gf2p8affine_epi64_epi8 (d, m, 0)));
    }
}

static const HlGfKernels kernels_avx512_gfni = {
  "avx512-gfni", xor_avx512, muladd_avx512_gfni, scale_avx512_gfni,
  xor_multi_avx512, fma_avx512_gfni,
};

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

static gboolean
cpu_has_gfni (void)
{
  unsigned int a, b, c, d;

  if (!__get_cpuid_count (7, 0, &a, &b, &c, &d))
    return FALSE;
  return (c & (1u << 8)) != 0;
}

#endif /* HL_GF_X86 */

static const HlGfKernels *available[7];
static guint n_available;
static const HlGfKernels *chosen;

static void
dispatch_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;

  tables_init_once ();
  available[n_available++] = &kernels_portable;
#if HL_GF_X86
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("ssse3"))
    available[n_available++] = &kernels_ssse3;
  if (__builtin_cpu_supports ("avx2"))
    {
      available[n_available++] = &kernels_avx2;
      if (cpu_has_gfni ())
        available[n_available++] = &kernels_gfni;
    }
  if (__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
      && __builtin_cpu_supports ("bmi2"))
    {
      available[n_available++] = &kernels_avx512;
      if (cpu_has_gfni ())
        available[n_available++] = &kernels_avx512_gfni;
    }
#endif
  chosen = available[n_available - 1];
  {
    const char *want = g_getenv ("HL_CODEC_SIMD");

    for (guint i = 0; want != NULL && i < n_available; i++)
      if (g_str_equal (want, available[i]->name))
        chosen = available[i];
  }

  g_once_init_leave (&done, 1);
}

const HlGfKernels *
hl_gf_kernels (void)
{
  dispatch_init ();
  return chosen;
}

const HlGfKernels *const *
hl_gf_kernels_available (guint *n_out)
{
  dispatch_init ();
  *n_out = n_available;
  return available;
}
