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
  GArray *ops;
} Solver;

static inline guint32
bin_slot (const Solver *sv, guint32 br)
{
  return br < sv->p->s ? br : sv->p->h + br;
}

static inline void
emit (Solver *sv, HlRqOpKind kind, guint32 dst, guint32 src, guint8 coef)
{
  HlRqOp op = { dst, src, (guint8) kind, coef };

  if (kind == HL_RQ_OP_MULADD && coef == 1)
    op.kind = HL_RQ_OP_XOR;
  g_array_append_val (sv->ops, op);
}

static void
build_rows (Solver *sv, const guint32 *isis)
{
  const HlRqParams *p = sv->p;
  guint32 *fill;
  guint32 cols[HL_RQ_MAX_ROW_COLS];

  sv->row_start = g_new0 (guint32, sv->n_bin + 1);
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
    sv->row_start[p->s + r + 1] = hl_rq_isi_columns (p, isis[r], cols);
  for (guint32 r = 0; r < sv->n_bin; r++)
    sv->row_start[r + 1] += sv->row_start[r];

  sv->row_cols = g_new (guint32, sv->row_start[sv->n_bin]);
  fill = g_new (guint32, sv->n_bin);
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
    hl_rq_isi_columns (p, isis[r], sv->row_cols + sv->row_start[p->s + r]);
  g_free (fill);

  /* Column incidence, for the columns peeling works on (< W). */
  sv->col_start = g_new0 (guint32, p->w + 1);
  for (guint32 e = 0; e < sv->row_start[sv->n_bin]; e++)
    if (sv->row_cols[e] < p->w)
      sv->col_start[sv->row_cols[e] + 1]++;
  for (guint32 c = 0; c < p->w; c++)
    sv->col_start[c + 1] += sv->col_start[c];
  sv->col_rows = g_new (guint32, sv->col_start[p->w]);
  fill = g_new (guint32, p->w);
  memcpy (fill, sv->col_start, sizeof (guint32) * p->w);
  for (guint32 r = 0; r < sv->n_bin; r++)
    for (guint32 e = sv->row_start[r]; e < sv->row_start[r + 1]; e++)
      if (sv->row_cols[e] < p->w)
        sv->col_rows[fill[sv->row_cols[e]]++] = r;
  g_free (fill);
}

typedef struct
{
  guint32 *cnt;
  guint8 *used;
  GArray *stack;
  guint32 remaining;
} Peel;

static void
peel_drop_column (Solver *sv, Peel *pl, guint32 c)
{
  pl->remaining--;
  for (guint32 e = sv->col_start[c]; e < sv->col_start[c + 1]; e++)
    {
      guint32 r = sv->col_rows[e];

      if (!pl->used[r] && --pl->cnt[r] == 1)
        g_array_append_val (pl->stack, r);
    }
}

static void
peel (Solver *sv)
{
  const HlRqParams *p = sv->p;
  Peel pl;

  pl.cnt = g_new0 (guint32, sv->n_bin);
  pl.used = g_new0 (guint8, sv->n_bin);
  pl.stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  pl.remaining = p->w;
  for (guint32 r = 0; r < sv->n_bin; r++)
    {
      for (guint32 e = sv->row_start[r]; e < sv->row_start[r + 1]; e++)
        pl.cnt[r] += sv->row_cols[e] < p->w;
      if (pl.cnt[r] == 1)
        g_array_append_val (pl.stack, r);
    }
  for (guint32 c = p->w; c < p->l; c++)
    sv->state[c] = COL_INACTIVE;

  while (pl.remaining > 0)
    {
      guint32 best = G_MAXUINT32, keep = G_MAXUINT32, keep_deg = G_MAXUINT32;

      while (pl.stack->len > 0)
        {
          guint32 r = g_array_index (pl.stack, guint32, --pl.stack->len);
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

      /* Stuck: take a row with the fewest active columns (then the lowest
       * original degree), keep its sparsest column, inactivate the rest. */
      for (guint32 r = 0; r < sv->n_bin; r++)
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

  g_free (pl.cnt);
  g_free (pl.used);
  g_array_unref (pl.stack);
}

/* Expands a bit vector into 0/1 octets, XORed into @out. */
static void
xor_bits_into_octets (guint8 *out, const guint64 *bits, guint32 n)
{
  for (guint32 w = 0; w * 64 < n; w++)
    {
      guint64 x = bits[w];

      while (x != 0)
        {
          guint b = (guint) __builtin_ctzll (x);

          out[w * 64 + b] ^= 1;
          x &= x - 1;
        }
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
  g_autofree guint8 *ycoef = g_new0 (guint8, n);
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
  g_autofree guint64 *bits = g_new (guint64, sv->words + 1);
  g_autofree guint8 *vec = g_new (guint8, n + 1);
  g_autofree guint8 *used = g_new0 (guint8, sv->n_bin);

  d.n = n;
  d.k = hl_gf_kernels ();
  d.vecs = g_new (guint8, (gsize) n * n + 1);
  d.lead = g_new (guint32, n + 1);
  d.slot = g_new (guint32, n + 1);
  d.lead_piv = g_new (guint32, n + 1);
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
      g_autofree guint8 *hd = g_new (guint8, (gsize) p->h * n + 1);

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

  g_free (d.vecs);
  g_free (d.lead);
  g_free (d.slot);
  g_free (d.lead_piv);
  return d.n_piv == n;
}

static void
prune_dead_ops (Solver *sv, guint32 n_slots)
{
  g_autofree guint8 *live = g_new0 (guint8, n_slots);
  HlRqOp *ops = (HlRqOp *) sv->ops->data;
  gsize n = sv->ops->len, out;

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
      if (ops[i].kind != HL_RQ_OP_SCALE)
        live[ops[i].src] = 1;
    }
  out = 0;
  for (gsize i = 0; i < n; i++)
    if (ops[i].kind != 0xff)
      ops[out++] = ops[i];
  g_array_set_size (sv->ops, out);
}

HlRqSchedule *
hl_rq_schedule_new (const HlRqParams *p, const guint32 *isis, guint32 n_rows)
{
  Solver sv = { 0 };
  HlRqSchedule *s = NULL;
  g_autofree guint64 *tmp = NULL;
  gboolean ok;

  sv.p = p;
  sv.n_rows = n_rows;
  sv.n_bin = p->s + n_rows;
  sv.ops = g_array_sized_new (FALSE, FALSE, sizeof (HlRqOp), (guint) MIN ((gsize) p->l * 24, G_MAXUINT / 2));
  build_rows (&sv, isis);
  sv.state = g_new0 (guint8, p->l);
  sv.piv_row = g_new (guint32, p->l);
  sv.pos = g_new (guint32, p->l);
  sv.order = g_new (guint32, p->l);
  sv.col_slot = g_new (guint32, p->l);
  peel (&sv);

  sv.inact_idx = g_new (guint32, p->l);
  sv.inact_col = g_new (guint32, p->l);
  for (guint32 c = 0; c < p->l; c++)
    if (sv.state[c] == COL_INACTIVE)
      {
        sv.inact_idx[c] = sv.n_inact;
        sv.inact_col[sv.n_inact++] = c;
      }
  sv.words = (sv.n_inact + 63) / 64;
  sv.coef = g_new (guint64, (gsize) sv.n_order * sv.words + 1);

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
       * intact), then substitute the final values. */
      for (guint32 k = sv.n_order; k-- > 0;)
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

          for (guint32 e = sv.row_start[r]; e < sv.row_start[r + 1]; e++)
            {
              guint32 x = sv.row_cols[e];

              if (x != c)
                emit (&sv, HL_RQ_OP_XOR, bin_slot (&sv, r), sv.col_slot[x], 0);
            }
          sv.col_slot[c] = bin_slot (&sv, r);
        }

      s = g_new0 (HlRqSchedule, 1);
      s->params = *p;
      s->n_rows = n_rows;
      s->n_slots = p->s + p->h + n_rows + 1;
      prune_dead_ops (&sv, s->n_slots);
      s->n_ops = sv.ops->len;
      s->ops = (HlRqOp *) g_array_free (g_steal_pointer (&sv.ops), FALSE);
      s->col_slot = g_steal_pointer (&sv.col_slot);
      s->n_inactive = sv.n_inact;
    }

  if (sv.ops != NULL)
    g_array_unref (sv.ops);
  g_free (sv.row_start);
  g_free (sv.row_cols);
  g_free (sv.col_start);
  g_free (sv.col_rows);
  g_free (sv.state);
  g_free (sv.piv_row);
  g_free (sv.pos);
  g_free (sv.order);
  g_free (sv.inact_idx);
  g_free (sv.inact_col);
  g_free (sv.coef);
  g_free (sv.col_slot);
  return s;
}

void
hl_rq_schedule_free (HlRqSchedule *s)
{
  if (s == NULL)
    return;
  g_free (s->ops);
  g_free (s->col_slot);
  g_free (s);
}

void
hl_rq_schedule_run (const HlRqSchedule *s, guint8 *const *slots, gsize t)
{
  const HlGfKernels *k = hl_gf_kernels ();

  for (gsize i = 0; i < s->n_ops; i++)
    {
      const HlRqOp *op = &s->ops[i];

      switch ((HlRqOpKind) op->kind)
        {
        case HL_RQ_OP_XOR:
          k->xor_into (slots[op->dst], slots[op->src], t);
          break;
        case HL_RQ_OP_MULADD:
          k->muladd (slots[op->dst], slots[op->src], op->coef, t);
          break;
        case HL_RQ_OP_SCALE:
          k->scale (slots[op->dst], op->coef, t);
          break;
        case HL_RQ_OP_FMA:
          k->scale (slots[op->dst], op->coef, t);
          k->xor_into (slots[op->dst], slots[op->src], t);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static GMutex cache_lock;
static const HlRqSchedule *cache[HL_RQ_TABLE2_LEN];

const HlRqSchedule *
hl_rq_schedule_for_encoding (guint32 k_prime)
{
  HlRqParams p;
  guint idx = 0;
  const HlRqSchedule *s;

  if (!hl_rq_params_for_k (k_prime, &p) || p.k_prime != k_prime)
    g_error ("hl_rq_schedule_for_encoding: %u is not a K' of Table 2", k_prime);
  while (hl_rq_table2[idx].k_prime != k_prime)
    idx++;

  g_mutex_lock (&cache_lock);
  s = cache[idx];
  if (s == NULL)
    {
      g_autofree guint32 *isis = g_new (guint32, k_prime);

      for (guint32 i = 0; i < k_prime; i++)
        isis[i] = i;
      s = hl_rq_schedule_new (&p, isis, k_prime);
      /* Table 2's J(K') guarantees the source rows are full rank. */
      g_assert (s != NULL);
      cache[idx] = s;
    }
  g_mutex_unlock (&cache_lock);
  return s;
}
