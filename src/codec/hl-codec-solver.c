/* hl-codec-solver.c: inactivation decoding of the RaptorQ constraint matrix.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The solver works on the matrix only and records the symbol operations it
 * implies as a schedule, so the (expensive) matrix work for encoding is done
 * once per K' and every later encoding is pure symbol arithmetic.
 *
 * Outline (equivalent to the five phases of RFC 6330 5.4.2, reordered so
 * that symbol work stays proportional to the number of nonzeros):
 *  1. Peeling over the sparse binary rows (LDPC + received), with the P PI
 *     columns inactive from the start; when no row has one active column
 *     left, a row with the fewest is chosen and its other columns are
 *     inactivated.  HDPC rows never take part (they are dense).
 *  2. Forward substitution: each pivot row is reduced to "its column plus
 *     a combination of inactive columns" (bit vectors), likewise the
 *     leftover binary rows; HDPC rows are reduced in one O(L) pass using
 *     their MT * GAMMA structure (GAMMA is a running alpha-weighted sum).
 *  3. Dense Gaussian elimination over GF(256) on the small inactive system.
 *  4. The forward substitution is undone on the pivot rows (RFC phase 3's
 *     trick) and redone with the now-known inactive symbols, which costs
 *     one pass over the sparse rows instead of a dense U_upper.
 */
#include "config.h"

#include "hl-codec-rq.h"

#include <string.h>

#include "hl-codec-gf256.h"

/* Per-thread scratch buffers, reused from one solve to the next: fresh
 * multi-megabyte allocations would be page-faulted in on every decode and
 * that used to cost more than the solving itself. */
enum
{
  SCR_ROW_START, SCR_ROW_COLS, SCR_FILL, SCR_COL_START, SCR_COL_ROWS,
  SCR_CNT, SCR_USED, SCR_STACK, SCR_TWOS, SCR_STATE, SCR_PIV_ROW, SCR_POS,
  SCR_ORDER, SCR_INACT_IDX, SCR_INACT_COL, SCR_COEF, SCR_COL_SLOT, SCR_OPS,
  SCR_YCOEF, SCR_BITS, SCR_VEC, SCR_DUSED, SCR_DVECS, SCR_DLEAD, SCR_DSLOT,
  SCR_DLEADPIV, SCR_HD, SCR_LIVE, SCR_ISI_COLS,
  N_SCR
};

typedef struct
{
  gpointer buf[N_SCR];
  gsize size[N_SCR];
} Scratch;

static void
scratch_free (gpointer data)
{
  Scratch *scr = data;

  for (guint i = 0; i < N_SCR; i++)
    g_free (scr->buf[i]);
  g_free (scr);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

static Scratch *
scratch_get (void)
{
  Scratch *scr = g_private_get (&scratch_key);

  if (scr == NULL)
    {
      scr = g_new0 (Scratch, 1);
      g_private_set (&scratch_key, scr);
    }
  return scr;
}

/* A buffer of at least @bytes for role @id; contents undefined. */
static gpointer
scratch (Scratch *scr, guint id, gsize bytes)
{
  bytes = MAX (bytes, (gsize) 64);
  if (scr->size[id] < bytes)
    {
      g_free (scr->buf[id]);
      /* Some headroom so slightly larger blocks do not reallocate. */
      scr->size[id] = bytes + bytes / 8;
      scr->buf[id] = g_malloc (scr->size[id]);
    }
  return scr->buf[id];
}

static gpointer
scratch0 (Scratch *scr, guint id, gsize bytes)
{
  gpointer p = scratch (scr, id, bytes);

  memset (p, 0, bytes);
  return p;
}

enum { COL_ACTIVE = 0, COL_RESOLVED = 1, COL_INACTIVE = 2 };

typedef struct
{
  const HlRqParams *p;
  guint32 n_rows;      /* received rows */
  guint32 n_bin;       /* S LDPC rows + received rows */
  guint32 *row_start;  /* CSR of binary rows, n_bin + 1 */
  guint32 *row_cols;
  guint32 *col_start;  /* CSR of columns < W to binary rows, W + 1 */
  guint32 *col_rows;
  guint8 *state;       /* per column, COL_* */
  guint32 *piv_row;    /* per resolved column: its binary row */
  guint32 *order;      /* resolved columns in order */
  guint32 n_order;
  guint32 *pos;        /* per resolved column: index in order */
  guint32 *inact_idx;  /* per inactive column: index in the dense system */
  guint32 *inact_col;
  guint32 n_inact;
  guint32 words;       /* 64-bit words per inactive bit vector */
  guint64 *coef;       /* n_order * words */
  guint32 *col_slot;
  HlRqOp *ops;
  gsize n_ops, cap_ops;
  Scratch *scr;
} Solver;

static inline guint32
bin_slot (const Solver *sv, guint32 br)
{
  return br < sv->p->s ? br : sv->p->h + br;
}

static inline void
emit (Solver *sv, HlRqOpKind kind, guint32 dst, guint32 src, guint8 coef)
{
  HlRqOp *op;

  if (G_UNLIKELY (sv->n_ops == sv->cap_ops))
    {
      sv->cap_ops *= 2;
      sv->ops = g_renew (HlRqOp, sv->ops, sv->cap_ops);
      sv->scr->buf[SCR_OPS] = sv->ops;
      sv->scr->size[SCR_OPS] = sv->cap_ops * sizeof (HlRqOp);
    }
  op = &sv->ops[sv->n_ops++];
  op->dst = dst;
  op->src = src;
  op->kind = (guint8) (kind == HL_RQ_OP_MULADD && coef == 1 ? HL_RQ_OP_XOR : kind);
  op->coef = coef;
}

static void
build_rows (Solver *sv, const guint32 *isis)
{
  const HlRqParams *p = sv->p;
  guint32 *fill;
  /* Each received row's columns, generated once (the tuple generator is
   * a noticeable part of solving). */
  guint32 *isi_cols = scratch (sv->scr, SCR_ISI_COLS,
                               sizeof (guint32) * HL_RQ_MAX_ROW_COLS * (gsize) sv->n_rows);

  sv->row_start = scratch0 (sv->scr, SCR_ROW_START, sizeof (guint32) * (sv->n_bin + 1));
  /* LDPC rows (section 5.3.3.3): three entries per column < B, the
   * identity on the S LDPC columns, two PI columns. */
  for (guint32 i = 0; i < p->b; i++)
    {
      guint32 a = 1 + i / p->s, b = i % p->s;

      sv->row_start[b + 1]++;
      b = (b + a) % p->s;
      sv->row_start[b + 1]++;
      b = (b + a) % p->s;
      sv->row_start[b + 1]++;
    }
  for (guint32 i = 0; i < p->s; i++)
    sv->row_start[i + 1] += 3;
  for (guint32 r = 0; r < sv->n_rows; r++)
    sv->row_start[p->s + r + 1] =
      hl_rq_isi_columns (p, isis[r], isi_cols + (gsize) r * HL_RQ_MAX_ROW_COLS);
  for (guint32 r = 0; r < sv->n_bin; r++)
    sv->row_start[r + 1] += sv->row_start[r];

  sv->row_cols = scratch (sv->scr, SCR_ROW_COLS, sizeof (guint32) * sv->row_start[sv->n_bin]);
  fill = scratch (sv->scr, SCR_FILL, sizeof (guint32) * sv->n_bin);
  memcpy (fill, sv->row_start, sizeof (guint32) * sv->n_bin);
  for (guint32 i = 0; i < p->b; i++)
    {
      guint32 a = 1 + i / p->s, b = i % p->s;

      sv->row_cols[fill[b]++] = i;
      b = (b + a) % p->s;
      sv->row_cols[fill[b]++] = i;
      b = (b + a) % p->s;
      sv->row_cols[fill[b]++] = i;
    }
  for (guint32 i = 0; i < p->s; i++)
    {
      sv->row_cols[fill[i]++] = p->b + i;
      sv->row_cols[fill[i]++] = p->w + i % p->p;
      sv->row_cols[fill[i]++] = p->w + (i + 1) % p->p;
    }
  for (guint32 r = 0; r < sv->n_rows; r++)
    memcpy (sv->row_cols + sv->row_start[p->s + r], isi_cols + (gsize) r * HL_RQ_MAX_ROW_COLS,
            sizeof (guint32) * (sv->row_start[p->s + r + 1] - sv->row_start[p->s + r]));

  /* Column incidence, for the columns peeling works on (< W). */
  sv->col_start = scratch0 (sv->scr, SCR_COL_START, sizeof (guint32) * (p->w + 1));
  for (guint32 e = 0; e < sv->row_start[sv->n_bin]; e++)
    if (sv->row_cols[e] < p->w)
      sv->col_start[sv->row_cols[e] + 1]++;
  for (guint32 c = 0; c < p->w; c++)
    sv->col_start[c + 1] += sv->col_start[c];
  sv->col_rows = scratch (sv->scr, SCR_COL_ROWS, sizeof (guint32) * sv->col_start[p->w]);
  fill = scratch (sv->scr, SCR_FILL, sizeof (guint32) * MAX (p->w, sv->n_bin));
  memcpy (fill, sv->col_start, sizeof (guint32) * p->w);
  for (guint32 r = 0; r < sv->n_bin; r++)
    for (guint32 e = sv->row_start[r]; e < sv->row_start[r + 1]; e++)
      if (sv->row_cols[e] < p->w)
        sv->col_rows[fill[sv->row_cols[e]]++] = r;
}

typedef struct
{
  guint32 *cnt;
  guint8 *used;
  guint32 *stack;  /* rows that reached one active column */
  guint32 n_stack;
  guint32 *twos;   /* rows that reached two: the usual choice when stuck */
  guint32 n_twos;
  guint32 remaining;
} Peel;

static void
peel_drop_column (Solver *sv, Peel *pl, guint32 c)
{
  pl->remaining--;
  for (guint32 e = sv->col_start[c]; e < sv->col_start[c + 1]; e++)
    {
      guint32 r = sv->col_rows[e];

      if (pl->used[r])
        continue;
      if (--pl->cnt[r] == 1)
        pl->stack[pl->n_stack++] = r;
      else if (pl->cnt[r] == 2)
        pl->twos[pl->n_twos++] = r;
    }
}

static void
peel (Solver *sv)
{
  const HlRqParams *p = sv->p;
  Peel pl;

  /* A row enters each stack at most once (counts only decrease). */
  pl.cnt = scratch0 (sv->scr, SCR_CNT, sizeof (guint32) * sv->n_bin);
  pl.used = scratch0 (sv->scr, SCR_USED, sv->n_bin);
  pl.stack = scratch (sv->scr, SCR_STACK, sizeof (guint32) * sv->n_bin);
  pl.twos = scratch (sv->scr, SCR_TWOS, sizeof (guint32) * sv->n_bin);
  pl.n_stack = pl.n_twos = 0;
  pl.remaining = p->w;
  for (guint32 r = 0; r < sv->n_bin; r++)
    {
      for (guint32 e = sv->row_start[r]; e < sv->row_start[r + 1]; e++)
        pl.cnt[r] += sv->row_cols[e] < p->w;
      if (pl.cnt[r] == 1)
        pl.stack[pl.n_stack++] = r;
      else if (pl.cnt[r] == 2)
        pl.twos[pl.n_twos++] = r;
    }
  for (guint32 c = p->w; c < p->l; c++)
    sv->state[c] = COL_INACTIVE;

  while (pl.remaining > 0)
    {
      guint32 best = G_MAXUINT32, keep = G_MAXUINT32, keep_deg = G_MAXUINT32;

      while (pl.n_stack > 0)
        {
          guint32 r = pl.stack[--pl.n_stack];
          guint32 c = G_MAXUINT32;

          if (pl.used[r] || pl.cnt[r] != 1)
            continue;
          for (guint32 e = sv->row_start[r]; e < sv->row_start[r + 1]; e++)
            if (sv->row_cols[e] < p->w && sv->state[sv->row_cols[e]] == COL_ACTIVE)
              c = sv->row_cols[e];
          g_assert (c != G_MAXUINT32);
          pl.used[r] = 1;
          sv->state[c] = COL_RESOLVED;
          sv->piv_row[c] = r;
          sv->pos[c] = sv->n_order;
          sv->order[sv->n_order++] = c;
          peel_drop_column (sv, &pl, c);
        }
      if (pl.remaining == 0)
        break;

      /* Stuck: take a row with the fewest active columns (two, nearly
       * always; else the lowest original degree among the fewest), keep
       * its sparsest column, inactivate the rest. */
      while (pl.n_twos > 0 && best == G_MAXUINT32)
        {
          guint32 r = pl.twos[--pl.n_twos];

          if (!pl.used[r] && pl.cnt[r] == 2)
            best = r;
        }
      /* Every unused row with two active columns is on that stack, so a
       * scan is only needed when none is left. */
      for (guint32 r = 0, scan = best == G_MAXUINT32; scan && r < sv->n_bin; r++)
        {
          if (pl.used[r] || pl.cnt[r] < 2)
            continue;
          if (best == G_MAXUINT32 || pl.cnt[r] < pl.cnt[best]
              || (pl.cnt[r] == pl.cnt[best]
                  && sv->row_start[r + 1] - sv->row_start[r]
                     < sv->row_start[best + 1] - sv->row_start[best]))
            best = r;
        }
      if (best == G_MAXUINT32)
        {
          /* No row touches the remaining columns: leave them to the dense
           * system, which will decide whether the rows suffice. */
          for (guint32 c = 0; c < p->w; c++)
            if (sv->state[c] == COL_ACTIVE)
              sv->state[c] = COL_INACTIVE;
          break;
        }
      for (guint32 e = sv->row_start[best]; e < sv->row_start[best + 1]; e++)
        {
          guint32 c = sv->row_cols[e];

          if (c < p->w && sv->state[c] == COL_ACTIVE
              && sv->col_start[c + 1] - sv->col_start[c] < keep_deg)
            {
              keep = c;
              keep_deg = sv->col_start[c + 1] - sv->col_start[c];
            }
        }
      for (guint32 e = sv->row_start[best]; e < sv->row_start[best + 1]; e++)
        {
          guint32 c = sv->row_cols[e];

          if (c < p->w && c != keep && sv->state[c] == COL_ACTIVE)
            {
              sv->state[c] = COL_INACTIVE;
              peel_drop_column (sv, &pl, c);
            }
        }
    }
}

/* bit_octets[b] holds 8 octets, octet j being bit j of b. */
static guint64 bit_octets[256];

static void
bit_octets_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  for (guint b = 0; b < 256; b++)
    {
      guint8 o[8];

      for (guint j = 0; j < 8; j++)
        o[j] = (b >> j) & 1;
      memcpy (&bit_octets[b], o, 8);
    }
  g_once_init_leave (&done, 1);
}

/* Expands a bit vector into 0/1 octets, XORed into @out (which must have
 * room for n rounded up to a multiple of 8). */
static void
xor_bits_into_octets (guint8 *out, const guint64 *bits, guint32 n)
{
  const guint8 *in = (const guint8 *) bits;

  for (guint32 i = 0; i * 8 < n; i++)
    {
      guint64 x;

      if (in[i] == 0)
        continue;
      memcpy (&x, out + i * 8, 8);
      x ^= bit_octets[in[i]];
      memcpy (out + i * 8, &x, 8);
    }
}

/* Forward-substitutes binary row @r (pivot column @skip, or G_MAXUINT32 for
 * a leftover row) into a bit vector over the inactive columns. */
static void
forward_row (Solver *sv, guint32 r, guint32 skip, guint64 *vec)
{
  guint32 dst = bin_slot (sv, r);

  memset (vec, 0, sizeof (guint64) * sv->words);
  for (guint32 e = sv->row_start[r]; e < sv->row_start[r + 1]; e++)
    {
      guint32 x = sv->row_cols[e];

      if (x == skip)
        continue;
      if (sv->state[x] == COL_INACTIVE)
        {
          guint32 i = sv->inact_idx[x];
          vec[i / 64] ^= G_GUINT64_CONSTANT (1) << (i % 64);
        }
      else
        {
          const guint64 *src = sv->coef + (gsize) sv->pos[x] * sv->words;

          for (guint32 w = 0; w < sv->words; w++)
            vec[w] ^= src[w];
          emit (sv, HL_RQ_OP_XOR, dst, bin_slot (sv, sv->piv_row[x]), 0);
        }
    }
}

typedef struct
{
  guint32 n;           /* columns = rows of a full-rank system */
  guint32 n_piv;
  guint8 *vecs;        /* n_piv rows of n octets */
  guint32 *lead;
  guint32 *slot;
  guint32 *lead_piv;   /* per column: pivot index or G_MAXUINT32 */
  const HlGfKernels *k;
} Dense;

/* Reduces @vec (the coefficients of the row in @slot) against the pivots
 * so far; adds it as a pivot unless it became zero. */
static void
dense_add_row (Solver *sv, Dense *d, guint8 *vec, guint32 slot)
{
  guint32 lead = G_MAXUINT32;

  for (guint32 q = 0; q < d->n_piv; q++)
    {
      guint8 c = vec[d->lead[q]];

      if (c != 0)
        {
          d->k->muladd (vec, d->vecs + (gsize) q * d->n, c, d->n);
          emit (sv, HL_RQ_OP_MULADD, slot, d->slot[q], c);
        }
    }
  for (guint32 i = 0; i < d->n; i++)
    if (vec[i] != 0)
      {
        lead = i;
        break;
      }
  if (lead == G_MAXUINT32)
    return;
  if (vec[lead] != 1)
    {
      guint8 inv = hl_gf_inv (vec[lead]);

      d->k->scale (vec, inv, d->n);
      emit (sv, HL_RQ_OP_SCALE, slot, slot, inv);
    }
  memcpy (d->vecs + (gsize) d->n_piv * d->n, vec, d->n);
  d->lead[d->n_piv] = lead;
  d->slot[d->n_piv] = slot;
  d->lead_piv[lead] = d->n_piv;
  d->n_piv++;
}

/* HDPC rows are MT * GAMMA | I_H.  With Y_j = alpha * Y_{j-1} + C_j, row h
 * is sum_j MT[h,j] * Y_j, so all H rows cost one pass over the columns. */
static void
hdpc_rows (Solver *sv, guint8 *hd)
{
  const HlRqParams *p = sv->p;
  guint32 y_slot = p->s + p->h + sv->n_rows;
  guint32 n = sv->n_inact;
  guint32 ks = p->k_prime + p->s;
  guint8 alpha = hl_gf_alpha_pow (1);
  guint8 *ycoef = scratch0 (sv->scr, SCR_YCOEF, n + 8);
  gboolean y_zero = TRUE;
  const HlGfKernels *k = hl_gf_kernels ();

  memset (hd, 0, (gsize) p->h * n);
  for (guint32 j = 0; j < ks; j++)
    {
      if (sv->state[j] == COL_RESOLVED)
        {
          guint32 src = bin_slot (sv, sv->piv_row[j]);

          if (y_zero)
            emit (sv, HL_RQ_OP_XOR, y_slot, src, 0);
          else
            emit (sv, HL_RQ_OP_FMA, y_slot, src, alpha);
          y_zero = FALSE;
          k->scale (ycoef, alpha, n);
          xor_bits_into_octets (ycoef, sv->coef + (gsize) sv->pos[j] * sv->words, n);
        }
      else
        {
          if (!y_zero)
            emit (sv, HL_RQ_OP_SCALE, y_slot, y_slot, alpha);
          k->scale (ycoef, alpha, n);
          ycoef[sv->inact_idx[j]] ^= 1;
        }
      if (j + 1 < ks)
        {
          guint32 h1 = hl_rq_rand (j + 1, 6, p->h);
          guint32 h2 = (h1 + hl_rq_rand (j + 1, 7, p->h - 1) + 1) % p->h;

          if (!y_zero)
            {
              emit (sv, HL_RQ_OP_XOR, p->s + h1, y_slot, 0);
              emit (sv, HL_RQ_OP_XOR, p->s + h2, y_slot, 0);
            }
          k->xor_into (hd + (gsize) h1 * n, ycoef, n);
          k->xor_into (hd + (gsize) h2 * n, ycoef, n);
        }
      else
        {
          for (guint32 h = 0; h < p->h; h++)
            {
              guint8 c = hl_gf_alpha_pow (h);

              if (!y_zero)
                emit (sv, HL_RQ_OP_MULADD, p->s + h, y_slot, c);
              k->muladd (hd + (gsize) h * n, ycoef, c, n);
            }
        }
    }
  for (guint32 h = 0; h < p->h; h++)
    hd[(gsize) h * n + sv->inact_idx[ks + h]] ^= 1;
}

static gboolean
solve_inactive (Solver *sv)
{
  const HlRqParams *p = sv->p;
  guint32 n = sv->n_inact;
  Dense d = { 0 };
  guint64 *bits = scratch (sv->scr, SCR_BITS, sizeof (guint64) * (sv->words + 1));
  guint8 *vec = scratch (sv->scr, SCR_VEC, n + 8);
  guint8 *used = scratch0 (sv->scr, SCR_DUSED, sv->n_bin);

  d.n = n;
  d.k = hl_gf_kernels ();
  d.vecs = scratch (sv->scr, SCR_DVECS, (gsize) n * n + 1);
  d.lead = scratch (sv->scr, SCR_DLEAD, sizeof (guint32) * (n + 1));
  d.slot = scratch (sv->scr, SCR_DSLOT, sizeof (guint32) * (n + 1));
  d.lead_piv = scratch (sv->scr, SCR_DLEADPIV, sizeof (guint32) * (n + 1));
  for (guint32 i = 0; i < n; i++)
    d.lead_piv[i] = G_MAXUINT32;

  for (guint32 k = 0; k < sv->n_order; k++)
    used[sv->piv_row[sv->order[k]]] = 1;
  /* Leftover binary rows first: they keep the system binary as long as
   * possible, and often make the HDPC rows unnecessary. */
  for (guint32 r = 0; r < sv->n_bin && d.n_piv < n; r++)
    {
      if (used[r])
        continue;
      forward_row (sv, r, G_MAXUINT32, bits);
      memset (vec, 0, n);
      xor_bits_into_octets (vec, bits, n);
      dense_add_row (sv, &d, vec, bin_slot (sv, r));
    }
  if (d.n_piv < n)
    {
      guint8 *hd = scratch (sv->scr, SCR_HD, (gsize) p->h * n + 1);

      hdpc_rows (sv, hd);
      for (guint32 h = 0; h < p->h && d.n_piv < n; h++)
        dense_add_row (sv, &d, hd + (gsize) h * n, p->s + h);
    }

  if (d.n_piv == n)
    {
      /* Back substitution.  Pivot q < p may hold a nonzero at lead(p) but
       * p is zero at every earlier lead, so the coefficients read here are
       * never changed by earlier steps of this loop. */
      for (guint32 pi = n; pi-- > 0;)
        for (guint32 q = 0; q < pi; q++)
          {
            guint8 c = d.vecs[(gsize) q * n + d.lead[pi]];

            if (c != 0)
              emit (sv, HL_RQ_OP_MULADD, d.slot[q], d.slot[pi], c);
          }
      for (guint32 q = 0; q < n; q++)
        sv->col_slot[sv->inact_col[d.lead[q]]] = d.slot[q];
    }

  return d.n_piv == n;
}

static void
prune_dead_ops (Solver *sv, guint32 n_slots)
{
  guint8 *live = scratch0 (sv->scr, SCR_LIVE, n_slots);
  HlRqOp *ops = sv->ops;
  gsize n = sv->n_ops, out;

  for (guint32 c = 0; c < sv->p->l; c++)
    live[sv->col_slot[c]] = 1;
  /* Mark backwards, then compact forwards. */
  for (gsize i = n; i-- > 0;)
    {
      if (!live[ops[i].dst])
        {
          ops[i].kind = 0xff;
          continue;
        }
      if (ops[i].kind == HL_RQ_OP_COPY)
        live[ops[i].dst] = 0;  /* overwritten: earlier value is dead */
      if (ops[i].kind != HL_RQ_OP_SCALE)
        live[ops[i].src] = 1;
    }
  out = 0;
  for (gsize i = 0; i < n; i++)
    if (ops[i].kind != 0xff)
      ops[out++] = ops[i];
  sv->n_ops = out;
}

HlRqSchedule *
hl_rq_schedule_new (const HlRqParams *p, const guint32 *isis, guint32 n_rows,
                    gboolean restore, gboolean transient)
{
  guint32 n_slots = p->s + p->h + n_rows + 1;
  Solver sv = { 0 };
  HlRqSchedule *s = NULL;
  gboolean ok;

  bit_octets_init ();
  sv.p = p;
  sv.n_rows = n_rows;
  sv.n_bin = p->s + n_rows;
  /* About 25 symbol operations per intermediate symbol in practice. */
  sv.cap_ops = (gsize) p->l * 32 + 1024;
  sv.scr = scratch_get ();
  sv.ops = scratch (sv.scr, SCR_OPS, sizeof (HlRqOp) * sv.cap_ops);
  sv.cap_ops = sv.scr->size[SCR_OPS] / sizeof (HlRqOp);
  build_rows (&sv, isis);
  sv.state = scratch0 (sv.scr, SCR_STATE, p->l);
  sv.piv_row = scratch (sv.scr, SCR_PIV_ROW, sizeof (guint32) * p->l);
  sv.pos = scratch (sv.scr, SCR_POS, sizeof (guint32) * p->l);
  sv.order = scratch (sv.scr, SCR_ORDER, sizeof (guint32) * p->l);
  sv.col_slot = scratch (sv.scr, SCR_COL_SLOT, sizeof (guint32) * p->l);
  peel (&sv);

  sv.inact_idx = scratch (sv.scr, SCR_INACT_IDX, sizeof (guint32) * p->l);
  sv.inact_col = scratch (sv.scr, SCR_INACT_COL, sizeof (guint32) * p->l);
  for (guint32 c = 0; c < p->l; c++)
    if (sv.state[c] == COL_INACTIVE)
      {
        sv.inact_idx[c] = sv.n_inact;
        sv.inact_col[sv.n_inact++] = c;
      }
  sv.words = (sv.n_inact + 63) / 64;
  sv.coef = scratch (sv.scr, SCR_COEF, sizeof (guint64) * ((gsize) sv.n_order * sv.words + 1));

  /* Forward substitution over the pivot rows, in resolution order. */
  for (guint32 k = 0; k < sv.n_order; k++)
    {
      guint32 c = sv.order[k];
      forward_row (&sv, sv.piv_row[c], c, sv.coef + (gsize) k * sv.words);
    }

  ok = solve_inactive (&sv);
  if (ok)
    {
      /* Undo the forward substitution (reverse order keeps the sources
       * intact) or restore the original rows, then substitute the final
       * values. */
      for (guint32 k = sv.n_order; !restore && k-- > 0;)
        {
          guint32 c = sv.order[k], r = sv.piv_row[c];

          for (guint32 e = sv.row_start[r]; e < sv.row_start[r + 1]; e++)
            {
              guint32 x = sv.row_cols[e];

              if (x != c && sv.state[x] == COL_RESOLVED)
                emit (&sv, HL_RQ_OP_XOR, bin_slot (&sv, r), bin_slot (&sv, sv.piv_row[x]), 0);
            }
        }
      for (guint32 k = 0; k < sv.n_order; k++)
        {
          guint32 c = sv.order[k], r = sv.piv_row[c];

          if (restore)
            emit (&sv, HL_RQ_OP_COPY, bin_slot (&sv, r), n_slots + bin_slot (&sv, r), 0);
          for (guint32 e = sv.row_start[r]; e < sv.row_start[r + 1]; e++)
            {
              guint32 x = sv.row_cols[e];

              if (x != c)
                emit (&sv, HL_RQ_OP_XOR, bin_slot (&sv, r), sv.col_slot[x], 0);
            }
          sv.col_slot[c] = bin_slot (&sv, r);
        }

      s = g_new0 (HlRqSchedule, 1);
      s->ref_count = 1;
      s->params = *p;
      s->n_rows = n_rows;
      s->n_slots = n_slots;
      s->restore = restore;
      prune_dead_ops (&sv, restore ? 2 * n_slots : n_slots);
      s->n_ops = sv.n_ops;
      s->borrowed = transient;
      if (transient)
        {
          s->ops = sv.ops;
          s->col_slot = sv.col_slot;
        }
      else
        {
          s->ops = g_memdup2 (sv.ops, sizeof (HlRqOp) * MAX (sv.n_ops, 1));
          s->col_slot = g_memdup2 (sv.col_slot, sizeof (guint32) * p->l);
        }
      s->n_inactive = sv.n_inact;
    }

  return s;
}
