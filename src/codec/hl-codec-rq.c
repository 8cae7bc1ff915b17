/* hl-codec-rq.c: RaptorQ parameters and generators (RFC 6330 5.3).
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-codec-rq.h"

#include "hl-codec-tables.h"

static gboolean
is_prime (guint32 n)
{
  if (n < 2)
    return FALSE;
  for (guint32 d = 2; d * d <= n; d++)
    if (n % d == 0)
      return FALSE;
  return TRUE;
}

gboolean
hl_rq_params_for_k (guint32 k, HlRqParams *out)
{
  guint lo = 0, hi = HL_RQ_TABLE2_LEN;
  const HlRqTable2Row *row;

  if (k > HL_RQ_MAX_K)
    return FALSE;
  /* Binary search for the first K' >= k. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (hl_rq_table2[mid].k_prime < k)
        lo = mid + 1;
      else
        hi = mid;
    }
  row = &hl_rq_table2[lo];
  out->k_prime = row->k_prime;
  out->j = row->j;
  out->s = row->s;
  out->h = row->h;
  out->w = row->w;
  out->l = row->k_prime + row->s + row->h;
  out->p = out->l - row->w;
  out->p1 = out->p;
  while (!is_prime (out->p1))
    out->p1++;
  out->b = row->w - row->s;
  return TRUE;
}

guint32
hl_rq_rand (guint32 y, guint32 i, guint32 m)
{
  guint32 x0 = (y + i) & 0xff;
  guint32 x1 = ((y >> 8) + i) & 0xff;
  guint32 x2 = ((y >> 16) + i) & 0xff;
  guint32 x3 = ((y >> 24) + i) & 0xff;

  return (hl_rq_v0[x0] ^ hl_rq_v1[x1] ^ hl_rq_v2[x2] ^ hl_rq_v3[x3]) % m;
}

guint32
hl_rq_deg (const HlRqParams *p, guint32 v)
{
  guint32 d = 1;

  /* Table 1 has 31 entries; f[30] = 2^20 > v always. */
  while (d < 30 && hl_rq_deg_f[d] <= v)
    d++;
  return MIN (d, p->w - 2);
}

void
hl_rq_tuple (const HlRqParams *p, guint32 x, HlRqTuple *t)
{
  guint32 a = 53591 + p->j * 997;
  guint32 b = 10267 * (p->j + 1);
  guint32 y, v;

  if (a % 2 == 0)
    a++;
  y = b + x * a;  /* mod 2^32 by unsigned wrap-around */
  v = hl_rq_rand (y, 0, 1u << 20);
  t->d = hl_rq_deg (p, v);
  t->a = 1 + hl_rq_rand (y, 1, p->w - 1);
  t->b = hl_rq_rand (y, 2, p->w);
  t->d1 = t->d < 4 ? 2 + hl_rq_rand (x, 3, 2) : 2;
  t->a1 = 1 + hl_rq_rand (x, 4, p->p1 - 1);
  t->b1 = hl_rq_rand (x, 5, p->p1);
}

guint
hl_rq_isi_columns (const HlRqParams *p, guint32 isi, guint32 *cols)
{
  HlRqTuple t;
  guint n = 0;
  guint32 b, b1;

  hl_rq_tuple (p, isi, &t);
  b = t.b;
  cols[n++] = b;
  for (guint32 j = 1; j < t.d; j++)
    {
      b = (b + t.a) % p->w;
      cols[n++] = b;
    }
  b1 = t.b1;
  while (b1 >= p->p)
    b1 = (b1 + t.a1) % p->p1;
  cols[n++] = p->w + b1;
  for (guint32 j = 1; j < t.d1; j++)
    {
      b1 = (b1 + t.a1) % p->p1;
      while (b1 >= p->p)
        b1 = (b1 + t.a1) % p->p1;
      cols[n++] = p->w + b1;
    }
  return n;
}
