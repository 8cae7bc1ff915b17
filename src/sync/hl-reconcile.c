/* hl-reconcile.c: range-based set reconciliation.
 *
 * Both sides run the same step on every frame: for each range the peer
 * describes, compare it with ours and either settle it (equal fingerprints,
 * or an id list from which we work out what each side lacks) or split it
 * into smaller ranges with fingerprints. Matched ranges cost nothing on the
 * wire past a bound, so the bytes follow the number of differences.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-reconcile.h"

#include <stdlib.h>

#include "hl-sync-error.h"

enum
{
  MODE_SKIP = 0,
  MODE_FINGERPRINT = 1,
  MODE_IDLIST = 2,
};

void
hl_recon_params_default (HlReconParams *params)
{
  params->branches = 8;
  params->leaf = 32;
  params->max_reply = 256 * 1024;
}

void
hl_recon_push_free (HlReconPush *push)
{
  if (push == NULL)
    return;
  g_clear_pointer (&push->exclude, g_array_unref);
  g_free (push);
}

void
hl_recon_result_clear (HlReconResult *result)
{
  g_clear_pointer (&result->reply, g_byte_array_unref);
  g_clear_pointer (&result->wants, g_array_unref);
  g_clear_pointer (&result->pushes, g_ptr_array_unref);
  result->done = FALSE;
}

/* The writer of one frame: bounds are delta-encoded on the previous one. */
typedef struct
{
  GByteArray  *out;
  guint64      last_ts;
  HlSyncBound  last_bound;   /* where the last written range ended */
  gboolean     skip_pending; /* settled ranges not yet written */
  guint        ranges;       /* ranges written other than skips */
} Writer;

static void
put_bound (Writer            *w,
           const HlSyncBound *bound)
{
  if (bound->ts == G_MAXUINT64)
    hl_sync_put_varint (w->out, 0);
  else
    {
      hl_sync_put_varint (w->out, bound->ts - w->last_ts + 1);
      w->last_ts = bound->ts;
    }
  hl_sync_put_varint (w->out, bound->len);
  g_byte_array_append (w->out, bound->id, bound->len);
}

/* Writes the settled ranges up to @lower as one skip, so that the next range
 * starts at @lower. */
static void
flush_skip (Writer            *w,
            const HlSyncBound *lower)
{
  if (!w->skip_pending)
    return;
  put_bound (w, lower);
  hl_sync_put_varint (w->out, MODE_SKIP);
  w->skip_pending = FALSE;
}

static void
put_fingerprint (Writer            *w,
                 HlSyncSet         *set,
                 const HlSyncBound *upper,
                 guint              from,
                 guint              to)
{
  guint8 fp[HL_SYNC_FP_LEN];

  hl_sync_set_fingerprint (set, from, to, fp);
  put_bound (w, upper);
  hl_sync_put_varint (w->out, MODE_FINGERPRINT);
  g_byte_array_append (w->out, fp, sizeof fp);
  w->last_bound = *upper;
  w->ranges++;
}

static void
put_idlist (Writer            *w,
            HlSyncSet         *set,
            const HlSyncBound *upper,
            guint              from,
            guint              to)
{
  put_bound (w, upper);
  hl_sync_put_varint (w->out, MODE_IDLIST);
  hl_sync_put_varint (w->out, to - from);
  for (guint i = from; i < to; i++)
    g_byte_array_append (w->out, hl_sync_set_item (set, i)->id, HL_SYNC_PREFIX_LEN);
  w->last_bound = *upper;
  w->ranges++;
}

/* Describes our keys [from, to) below @upper: an id list when few, else
 * fingerprints of @branches sub-ranges of about equal size. */
static void
describe_range (Writer              *w,
                HlSyncSet           *set,
                const HlReconParams *params,
                const HlSyncBound   *upper,
                guint                from,
                guint                to)
{
  guint n = to - from;
  guint branches = MAX (params->branches, 2);

  if (n <= params->leaf)
    {
      put_idlist (w, set, upper, from, to);
      return;
    }
  for (guint b = 0; b < branches; b++)
    {
      guint start = from + (guint) ((guint64) n * b / branches);
      guint end = from + (guint) ((guint64) n * (b + 1) / branches);
      HlSyncBound bound;

      if (b + 1 == branches)
        bound = *upper;
      else
        hl_sync_bound_between (hl_sync_set_item (set, end - 1), hl_sync_set_item (set, end), &bound);
      put_fingerprint (w, set, &bound, start, end);
    }
}

GByteArray *
hl_recon_initiate (HlSyncSet           *set,
                   const HlReconParams *params)
{
  Writer w = { 0 };
  HlSyncBound infinity = { G_MAXUINT64, { 0 }, 0 };
  guint8 header[2] = { HL_SYNC_FRAME_RECON, HL_SYNC_RECON_INITIATOR };
  guint n;

  hl_sync_set_seal (set);
  n = hl_sync_set_size (set);
  w.out = g_byte_array_new ();
  g_byte_array_append (w.out, header, sizeof header);
  /* One fingerprint for everything: when nothing differs, that is all. */
  if (n <= params->leaf)
    put_idlist (&w, set, &infinity, 0, n);
  else
    put_fingerprint (&w, set, &infinity, 0, n);
  return w.out;
}

static gboolean
get_bound (const guint8 **p,
           const guint8  *end,
           guint64       *last_ts,
           HlSyncBound   *bound,
           GError       **error)
{
  guint64 code, len;

  memset (bound, 0, sizeof *bound);
  if (!hl_sync_get_varint (p, end, &code) || !hl_sync_get_varint (p, end, &len) ||
      len > HL_ID_LEN || (guint64) (end - *p) < len)
    goto bad;
  if (code == 0)
    bound->ts = G_MAXUINT64;
  else
    {
      if (code - 1 > G_MAXUINT64 - *last_ts - 1)
        goto bad;
      bound->ts = *last_ts + code - 1;
      *last_ts = bound->ts;
    }
  bound->len = (guint) len;
  memcpy (bound->id, *p, len);
  *p += len;
  return TRUE;

bad:
  g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL,
               "Malformed reconciliation frame: a range bound does not decode");
  return FALSE;
}

static gboolean
bound_less (const HlSyncBound *a,
            const HlSyncBound *b)
{
  if (a->ts != b->ts)
    return a->ts < b->ts;
  if (a->ts == G_MAXUINT64)
    return FALSE;
  return memcmp (a->id, b->id, HL_ID_LEN) < 0 ||
         (memcmp (a->id, b->id, HL_ID_LEN) == 0 && a->len < b->len);
}

/* Their id list for [lower, upper) against our keys [from, to). */
static gboolean
settle_idlist (HlSyncSet          *set,
               const guint8      **p,
               const guint8       *end,
               const HlSyncBound  *lower,
               const HlSyncBound  *upper,
               guint               from,
               guint               to,
               HlReconResult      *result,
               GError            **error)
{
  g_autoptr(GArray) theirs = NULL;
  g_autoptr(GArray) ours = NULL;
  guint64 n;
  gboolean we_have_more = FALSE;

  if (!hl_sync_get_varint (p, end, &n) || n > (guint64) (end - *p) / HL_SYNC_PREFIX_LEN)
    {
      g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL,
                   "Malformed reconciliation frame: an id list runs past the frame");
      return FALSE;
    }
  theirs = g_array_sized_new (FALSE, FALSE, sizeof (guint64), (guint) n);
  for (guint64 i = 0; i < n; i++)
    {
      guint64 prefix = hl_sync_id_prefix (*p);

      g_array_append_val (theirs, prefix);
      *p += HL_SYNC_PREFIX_LEN;
    }
  if (theirs->len > 1)
    qsort (theirs->data, theirs->len, sizeof (guint64), hl_u64_compare);

  ours = g_array_sized_new (FALSE, FALSE, sizeof (guint64), to - from);
  for (guint i = from; i < to; i++)
    {
      guint64 prefix = hl_sync_id_prefix (hl_sync_set_item (set, i)->id);
      g_array_append_val (ours, prefix);
    }
  if (ours->len > 1)
    qsort (ours->data, ours->len, sizeof (guint64), hl_u64_compare);

  /* A merge of the two sorted lists. */
  for (guint i = 0, j = 0; i < theirs->len || j < ours->len;)
    {
      guint64 t = i < theirs->len ? g_array_index (theirs, guint64, i) : G_MAXUINT64;
      guint64 o = j < ours->len ? g_array_index (ours, guint64, j) : G_MAXUINT64;

      if (i < theirs->len && (j >= ours->len || t < o))
        {
          if (i == 0 || g_array_index (theirs, guint64, i - 1) != t)
            g_array_append_val (result->wants, t);
          i++;
        }
      else if (j < ours->len && (i >= theirs->len || o < t))
        {
          we_have_more = TRUE;
          j++;
        }
      else
        {
          i++;
          j++;
        }
    }

  if (we_have_more)
    {
      HlReconPush *push = g_new0 (HlReconPush, 1);

      push->lower = *lower;
      push->upper = *upper;
      push->exclude = g_steal_pointer (&theirs);
      g_ptr_array_add (result->pushes, push);
    }
  return TRUE;
}

gboolean
hl_recon_process (HlSyncSet           *set,
                  const HlReconParams *params,
                  const guint8        *frame,
                  gsize                len,
                  HlReconResult       *result,
                  GError             **error)
{
  const guint8 *p = frame + 2, *end = frame + len;
  HlSyncBound lower = { 0, { 0 }, 0 };
  guint lower_index = 0;
  guint64 their_ts = 0;
  Writer w = { 0 };
  guint8 header[2];
  gboolean truncated = FALSE;

  memset (result, 0, sizeof *result);
  result->wants = g_array_new (FALSE, FALSE, sizeof (guint64));
  result->pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_recon_push_free);
  if (len < 2 || frame[0] != HL_SYNC_FRAME_RECON || frame[1] > HL_SYNC_RECON_RESPONDER)
    {
      g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL,
                   "Malformed reconciliation frame: bad header");
      return FALSE;
    }
  /* An empty frame ends the exchange: nothing to answer. */
  if (len == 2)
    return TRUE;

  hl_sync_set_seal (set);
  header[0] = HL_SYNC_FRAME_RECON;
  header[1] = frame[1] ^ 1;
  w.out = g_byte_array_new ();
  g_byte_array_append (w.out, header, sizeof header);

  while (p < end)
    {
      HlSyncBound upper;
      guint upper_index;
      guint64 mode;

      if (!get_bound (&p, end, &their_ts, &upper, error) ||
          !hl_sync_get_varint (&p, end, &mode))
        goto fail;
      if (bound_less (&upper, &lower))
        {
          g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL,
                       "Malformed reconciliation frame: ranges out of order");
          goto fail;
        }
      upper_index = MAX (lower_index, hl_sync_set_lower_bound (set, &upper));

      if (truncated)
        {
          /* Past our reply budget: still read the frame to check it. */
          if (mode == MODE_FINGERPRINT)
            p += MIN ((gsize) (end - p), HL_SYNC_FP_LEN);
          else if (mode == MODE_IDLIST)
            {
              guint64 n;
              if (!hl_sync_get_varint (&p, end, &n) || n > (guint64) (end - p) / HL_SYNC_PREFIX_LEN)
                goto bad_mode;
              p += n * HL_SYNC_PREFIX_LEN;
            }
        }
      else switch (mode)
        {
        case MODE_SKIP:
          w.skip_pending = TRUE;
          break;

        case MODE_FINGERPRINT:
          {
            guint8 mine[HL_SYNC_FP_LEN];

            if ((gsize) (end - p) < HL_SYNC_FP_LEN)
              goto bad_mode;
            hl_sync_set_fingerprint (set, lower_index, upper_index, mine);
            if (memcmp (mine, p, HL_SYNC_FP_LEN) == 0)
              w.skip_pending = TRUE;
            else
              {
                flush_skip (&w, &lower);
                describe_range (&w, set, params, &upper, lower_index, upper_index);
              }
            p += HL_SYNC_FP_LEN;
          }
          break;

        case MODE_IDLIST:
          if (!settle_idlist (set, &p, end, &lower, &upper, lower_index, upper_index, result, error))
            goto fail;
          w.skip_pending = TRUE;
          break;

        default:
          goto bad_mode;
        }

      if (!truncated && w.out->len > params->max_reply && upper.ts != G_MAXUINT64)
        {
          /* Too much for one frame: everything after here becomes one range
           * the peer will describe again in its next frame. */
          HlSyncBound infinity = { G_MAXUINT64, { 0 }, 0 };

          flush_skip (&w, &upper);
          put_fingerprint (&w, set, &infinity, upper_index, hl_sync_set_size (set));
          truncated = TRUE;
        }
      lower = upper;
      lower_index = upper_index;
    }

  if (w.ranges == 0)
    {
      g_byte_array_set_size (w.out, 2);
      result->done = TRUE;
    }
  result->reply = w.out;
  return TRUE;

bad_mode:
  g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL,
               "Malformed reconciliation frame: unknown range mode or a truncated range");
fail:
  g_byte_array_unref (w.out);
  return FALSE;
}
