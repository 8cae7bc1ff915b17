/* hl-codec-schedule.c: running decoding schedules; the per-K' cache of
 * encoding schedules.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-codec-rq.h"

#include "hl-codec-gf256.h"
#include "hl-codec-tables.h"

/* Encoding schedules kept at most: a K' = 56403 schedule is ~17 MB. */
#define CACHE_BUDGET_BYTES ((gsize) 64 << 20)

HlRqSchedule *
hl_rq_schedule_ref (HlRqSchedule *s)
{
  g_atomic_int_inc (&s->ref_count);
  return s;
}

void
hl_rq_schedule_free (HlRqSchedule *s)
{
  if (s == NULL || !g_atomic_int_dec_and_test (&s->ref_count))
    return;
  if (!s->borrowed)
    {
      g_free (s->ops);
      g_free (s->col_slot);
    }
  g_free (s);
}

static void
run_range (const HlRqSchedule *s, guint8 *const *slots, gsize off, gsize t)
{
  const HlGfKernels *k = hl_gf_kernels ();
  const guint8 *srcs[HL_GF_XOR_MULTI_MAX];
  gsize i = 0;

  while (i < s->n_ops)
    {
      const HlRqOp *op = &s->ops[i];

      switch ((HlRqOpKind) op->kind)
        {
        case HL_RQ_OP_XOR:
        case HL_RQ_OP_COPY:
          {
            /* Fuse a run of XORs into one symbol (rows are emitted that
             * way) so the destination is read and written once. */
            gboolean overwrite = op->kind == HL_RQ_OP_COPY;
            guint n = 0;

            srcs[n++] = (slots[op->src] + off);
            i++;
            while (i < s->n_ops && n < HL_GF_XOR_MULTI_MAX && s->ops[i].dst == op->dst
                   && s->ops[i].kind == HL_RQ_OP_XOR && s->ops[i].src != op->dst)
              srcs[n++] = (slots[s->ops[i++].src] + off);
            k->xor_multi ((slots[op->dst] + off), srcs, n, overwrite, t);
          }
          continue;
        case HL_RQ_OP_MULADD:
          k->muladd ((slots[op->dst] + off), (slots[op->src] + off), op->coef, t);
          break;
        case HL_RQ_OP_SCALE:
          k->scale ((slots[op->dst] + off), op->coef, t);
          break;
        case HL_RQ_OP_FMA:
          k->fma ((slots[op->dst] + off), (slots[op->src] + off), op->coef, t);
          break;
        default:
          g_assert_not_reached ();
        }
      i++;
    }
}

void
hl_rq_schedule_run (const HlRqSchedule *s, guint8 *const *slots, gsize t)
{
  run_range (s, slots, 0, t);
}

static GMutex cache_lock;
static HlRqSchedule *cache[HL_RQ_TABLE2_LEN];
static guint64 cache_used[HL_RQ_TABLE2_LEN];
static guint64 cache_tick;

static gsize
schedule_bytes (const HlRqSchedule *s)
{
  return s->n_ops * sizeof (HlRqOp) + (gsize) s->params.l * sizeof (guint32);
}

HlRqSchedule *
hl_rq_schedule_for_encoding (guint32 k_prime)
{
  HlRqParams p;
  guint idx = 0;
  HlRqSchedule *s;

  if (!hl_rq_params_for_k (k_prime, &p) || p.k_prime != k_prime)
    g_error ("hl_rq_schedule_for_encoding: %u is not a K' of Table 2", k_prime);
  while (hl_rq_table2[idx].k_prime != k_prime)
    idx++;

  /* Built under the lock: concurrent encoders of one K' wait for the
   * first instead of all solving the same matrix. */
  g_mutex_lock (&cache_lock);
  s = cache[idx];
  if (s == NULL)
    {
      g_autofree guint32 *isis = g_new (guint32, k_prime);
      gsize total = 0;

      for (guint32 i = 0; i < k_prime; i++)
        isis[i] = i;
      s = hl_rq_schedule_new (&p, isis, k_prime, TRUE, FALSE);
      /* Table 2's J(K') guarantees the source rows are full rank. */
      g_assert (s != NULL);
      cache[idx] = s;

      /* Evict the least recently used others beyond the budget; encoders
       * still using them hold their own references. */
      for (guint i = 0; i < HL_RQ_TABLE2_LEN; i++)
        if (cache[i] != NULL)
          total += schedule_bytes (cache[i]);
      while (total > CACHE_BUDGET_BYTES)
        {
          guint victim = G_MAXUINT;

          for (guint i = 0; i < HL_RQ_TABLE2_LEN; i++)
            if (cache[i] != NULL && i != idx
                && (victim == G_MAXUINT || cache_used[i] < cache_used[victim]))
              victim = i;
          if (victim == G_MAXUINT)
            break;
          total -= schedule_bytes (cache[victim]);
          g_clear_pointer (&cache[victim], hl_rq_schedule_free);
        }
    }
  cache_used[idx] = ++cache_tick;
  hl_rq_schedule_ref (s);
  g_mutex_unlock (&cache_lock);
  return s;
}
