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
  gboolean     skip_pending; /* settled ranges not yet written */
  guint        ranges;       /* ranges written other than skips */
} Writer;

void
hl_recon_put_range (GByteArray         *frame,
                    guint64            *last_ts,
                    const HlReconRange *range)
{
  const HlSyncBound *bound = &range->upper;

  if (bound->ts == G_MAXUINT64)
    hl_sync_put_varint (frame, 0);
  else
    {
      hl_sync_put_varint (frame, bound->ts - *last_ts + 1);
      *last_ts = bound->ts;
    }
  hl_sync_put_varint (frame, bound->len);
  g_byte_array_append (frame, bound->id, bound->len);
  hl_sync_put_varint (frame, range->mode);
  if (range->mode == HL_RECON_FINGERPRINT)
    g_byte_array_append (frame, range->fingerprint, HL_SYNC_FP_LEN);
  else if (range->mode == HL_RECON_IDLIST)
    {
      hl_sync_put_varint (frame, range->n_prefixes);
      g_byte_array_append (frame, range->prefixes, range->n_prefixes * HL_SYNC_PREFIX_LEN);
    }
}

static void
put_range (Writer            *w,
           const HlSyncBound *upper,
           HlReconMode        mode,
           const guint8      *payload,
           guint              n_prefixes)
{
  HlReconRange range = { .upper = *upper, .mode = mode, .n_prefixes = n_prefixes };

  range.fingerprint = range.prefixes = payload;
  hl_recon_put_range (w->out, &w->last_ts, &range);
  if (mode != HL_RECON_SKIP)
    w->ranges++;
}

/* Writes the settled ranges up to @lower as one skip, so that the next range
 * starts at @lower. */
static void
flush_skip (Writer            *w,
            const HlSyncBound *lower)
{
  if (!w->skip_pending)
    return;
  put_range (w, lower, HL_RECON_SKIP, NULL, 0);
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
  put_range (w, upper, HL_RECON_FINGERPRINT, fp, 0);
}

/* The 8-byte id prefixes of our keys [from, to), sorted, each once. */
static GArray *
sorted_prefixes (HlSyncSet *set,
                 guint      from,
                 guint      to)
{
  GArray *prefixes = g_array_sized_new (FALSE, FALSE, sizeof (guint64), to - from);
  guint out = 0;

  for (guint i = from; i < to; i++)
    {
      guint64 prefix = hl_sync_id_prefix (hl_sync_set_item (set, i)->id);
      g_array_append_val (prefixes, prefix);
    }
  if (prefixes->len > 1)
    qsort (prefixes->data, prefixes->len, sizeof (guint64), hl_u64_compare);
  for (guint i = 0; i < prefixes->len; i++)
    if (out == 0 || g_array_index (prefixes, guint64, out - 1) != g_array_index (prefixes, guint64, i))
      g_array_index (prefixes, guint64, out++) = g_array_index (prefixes, guint64, i);
  g_array_set_size (prefixes, out);
  return prefixes;
}

/* An id list: the prefixes in increasing order, each once (two of our keys
 * can share one only by a deliberate collision; see "Reconciliation"). */
static void
put_idlist (Writer            *w,
            HlSyncSet         *set,
            const HlSyncBound *upper,
            guint              from,
            guint              to)
{
  g_autoptr(GArray) prefixes = sorted_prefixes (set, from, to);
  g_autofree guint8 *bytes = g_malloc (MAX (prefixes->len, 1) * HL_SYNC_PREFIX_LEN);

  for (guint i = 0; i < prefixes->len; i++)
    {
      guint64 prefix = g_array_index (prefixes, guint64, i);

      for (guint k = 0; k < HL_SYNC_PREFIX_LEN; k++)
        bytes[i * HL_SYNC_PREFIX_LEN + k] = (prefix >> (8 * (HL_SYNC_PREFIX_LEN - 1 - k))) & 0xff;
    }
  put_range (w, upper, HL_RECON_IDLIST, bytes, prefixes->len);
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
  /* No more runs than keys: an empty run would repeat a bound. */
  guint branches = CLAMP (params->branches, 2, MAX (n, 2));

  if (n <= params->leaf || n < 2)
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

/* ---- reading a frame ---- */

static gboolean
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL, "Malformed reconciliation frame: %s", what);
  return FALSE;
}

int
hl_recon_bound_compare (const HlSyncBound *a,
                        const HlSyncBound *b)
{
  if (a->ts != b->ts)
    return a->ts < b->ts ? -1 : 1;
  if (a->ts == G_MAXUINT64)
    return 0;
  /* Both ids are zero past their prefix. */
  return memcmp (a->id, b->id, HL_ID_LEN);
}

gboolean
hl_recon_reader_init (HlReconReader  *reader,
                      const guint8   *frame,
                      gsize           len,
                      GError        **error)
{
  memset (reader, 0, sizeof *reader);
  if (len < 2 || frame[0] != HL_SYNC_FRAME_RECON || frame[1] > HL_SYNC_RECON_RESPONDER)
    return malformed (error, "bad header");
  reader->p = frame + 2;
  reader->end = frame + len;
  reader->role = frame[1];
  return TRUE;
}

static gboolean
read_bound (HlReconReader  *r,
            HlSyncBound    *bound,
            GError        **error)
{
  guint64 code, len;

  memset (bound, 0, sizeof *bound);
  if (!hl_sync_get_varint (&r->p, r->end, &code) || !hl_sync_get_varint (&r->p, r->end, &len))
    return malformed (error, "a range bound does not decode");
  if (len > HL_ID_LEN || (guint64) (r->end - r->p) < len)
    return malformed (error, "a bound's id prefix is longer than 32 bytes or runs past the frame");
  if (code == 0)
    {
      if (len != 0)
        return malformed (error, "the ∞ bound has an id prefix");
      bound->ts = G_MAXUINT64;
      return TRUE;
    }
  /* G_MAXUINT64 stands for ∞: a finite ts stays below it. */
  if (code - 1 >= G_MAXUINT64 - r->last_ts)
    return malformed (error, "a bound's timestamp overflows");
  bound->ts = r->last_ts + code - 1;
  r->last_ts = bound->ts;
  bound->len = (guint) len;
  memcpy (bound->id, r->p, len);
  r->p += len;
  return TRUE;
}

static gboolean
read_payload (HlReconReader  *r,
              HlReconRange   *range,
              GError        **error)
{
  guint64 mode, n;

  if (!hl_sync_get_varint (&r->p, r->end, &mode) || mode > HL_RECON_IDLIST)
    return malformed (error, "unknown range mode");
  range->mode = (HlReconMode) mode;
  switch (range->mode)
    {
    case HL_RECON_SKIP:
      return TRUE;

    case HL_RECON_FINGERPRINT:
      if ((gsize) (r->end - r->p) < HL_SYNC_FP_LEN)
        return malformed (error, "a fingerprint runs past the frame");
      range->fingerprint = r->p;
      r->p += HL_SYNC_FP_LEN;
      return TRUE;

    case HL_RECON_IDLIST:
      if (!hl_sync_get_varint (&r->p, r->end, &n) || n > (guint64) (r->end - r->p) / HL_SYNC_PREFIX_LEN)
        return malformed (error, "an id list runs past the frame");
      range->prefixes = r->p;
      range->n_prefixes = (guint) n;
      r->p += n * HL_SYNC_PREFIX_LEN;
      for (guint i = 1; i < range->n_prefixes; i++)
        if (memcmp (range->prefixes + (i - 1) * HL_SYNC_PREFIX_LEN,
                    range->prefixes + i * HL_SYNC_PREFIX_LEN, HL_SYNC_PREFIX_LEN) >= 0)
          return malformed (error, "an id list is not in increasing order");
      return TRUE;

    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

gboolean
hl_recon_reader_next (HlReconReader  *reader,
                      HlReconRange   *range,
                      GError        **error)
{
  memset (range, 0, sizeof *range);
  if (reader->p >= reader->end)
    return FALSE;
  range->lower = reader->lower;
  if (!read_bound (reader, &range->upper, error))
    return FALSE;
  /* Also what keeps anything from following ∞. */
  if (hl_recon_bound_compare (&range->upper, &reader->lower) <= 0)
    return malformed (error, "a range does not end above where it starts");
  if (!read_payload (reader, range, error))
    return FALSE;
  reader->lower = range->upper;
  return TRUE;
}

/* ---- answering a frame ---- */

/* Their id list for @range against our keys [from, to): what they lack
 * becomes a push, what we lack a want. */
static void
settle_idlist (HlSyncSet          *set,
               const HlReconRange *range,
               guint               from,
               guint               to,
               HlReconResult      *result)
{
  g_autoptr(GArray) theirs = g_array_sized_new (FALSE, FALSE, sizeof (guint64), range->n_prefixes);
  g_autoptr(GArray) ours = sorted_prefixes (set, from, to);
  gboolean we_have_more = FALSE;

  for (guint i = 0; i < range->n_prefixes; i++)
    {
      guint64 prefix = hl_sync_id_prefix (range->prefixes + i * HL_SYNC_PREFIX_LEN);
      g_array_append_val (theirs, prefix);
    }
  /* A merge of the two sorted lists, each without repeats. */
  for (guint i = 0, j = 0; i < theirs->len || j < ours->len;)
    {
      guint64 t = i < theirs->len ? g_array_index (theirs, guint64, i) : 0;
      guint64 o = j < ours->len ? g_array_index (ours, guint64, j) : 0;

      if (j >= ours->len || (i < theirs->len && t < o))
        {
          g_array_append_val (result->wants, t);
          i++;
        }
      else if (i >= theirs->len || o < t)
        {
          we_have_more = TRUE;
          j++;
        }
      else
        i++, j++;
    }

  if (we_have_more)
    {
      HlReconPush *push = g_new0 (HlReconPush, 1);

      push->lower = range->lower;
      push->upper = range->upper;
      push->exclude = g_steal_pointer (&theirs);
      g_ptr_array_add (result->pushes, push);
    }
}

/* One range of theirs against our keys [from, to) in it. */
static void
answer_range (Writer              *w,
              HlSyncSet           *set,
              const HlReconParams *params,
              const HlReconRange  *range,
              guint                from,
              guint                to,
              HlReconResult       *result)
{
  guint8 mine[HL_SYNC_FP_LEN];

  switch (range->mode)
    {
    case HL_RECON_SKIP:
      w->skip_pending = TRUE;
      break;

    case HL_RECON_FINGERPRINT:
      hl_sync_set_fingerprint (set, from, to, mine);
      if (memcmp (mine, range->fingerprint, HL_SYNC_FP_LEN) == 0)
        w->skip_pending = TRUE;
      else
        {
          flush_skip (w, &range->lower);
          describe_range (w, set, params, &range->upper, from, to);
        }
      break;

    case HL_RECON_IDLIST:
      settle_idlist (set, range, from, to, result);
      w->skip_pending = TRUE;
      break;

    default:
      g_assert_not_reached ();
    }
}

gboolean
hl_recon_process (HlSyncSet           *set,
                  const HlReconParams *params,
                  const guint8        *frame,
                  gsize                len,
                  HlReconResult       *result,
                  GError             **error)
{
  HlReconReader reader;
  HlReconRange range;
  GError *local = NULL;
  guint lower_index = 0;
  Writer w = { 0 };
  guint8 header[2];
  gboolean truncated = FALSE;

  memset (result, 0, sizeof *result);
  result->wants = g_array_new (FALSE, FALSE, sizeof (guint64));
  result->pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_recon_push_free);
  if (!hl_recon_reader_init (&reader, frame, len, error))
    return FALSE;
  /* An empty frame ends the exchange: nothing to answer. */
  if (len == 2)
    return TRUE;

  hl_sync_set_seal (set);
  header[0] = HL_SYNC_FRAME_RECON;
  header[1] = reader.role ^ 1;
  w.out = g_byte_array_new ();
  g_byte_array_append (w.out, header, sizeof header);

  while (hl_recon_reader_next (&reader, &range, &local))
    {
      /* Bounds increase, so the indices do too. */
      guint upper_index = hl_sync_set_lower_bound (set, &range.upper);

      /* Past our reply budget the rest is still read, to check it. */
      if (!truncated)
        answer_range (&w, set, params, &range, lower_index, upper_index, result);
      if (!truncated && w.ranges > 0 && w.out->len > params->max_reply && range.upper.ts != G_MAXUINT64)
        {
          /* Too much for one frame: everything after here becomes one range
           * the peer will describe again in its next frame. */
          HlSyncBound infinity = { G_MAXUINT64, { 0 }, 0 };

          flush_skip (&w, &range.upper);
          put_fingerprint (&w, set, &infinity, upper_index, hl_sync_set_size (set));
          truncated = TRUE;
        }
      lower_index = upper_index;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      g_byte_array_unref (w.out);
      return FALSE;
    }

  if (w.ranges == 0)
    {
      g_byte_array_set_size (w.out, 2);
      result->done = TRUE;
    }
  result->reply = w.out;
  return TRUE;
}
