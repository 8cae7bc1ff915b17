/* fuzz-reconcile.c: a whole reconciliation between two small sets.
 *
 * Input: byte 0 the parameters (branches, leaf), byte 1 the reply budget,
 * then two bytes a key: which side holds it (a, b or both) with how far its
 * timestamp moves on, and a byte its id starts with. Ids share long
 * prefixes (up to 7 of their 8 prefix bytes) but never a whole 8-byte
 * prefix: two keys with one prefix cannot be told apart by design (see
 * docs/protocol.md, "Reconciliation"). Invariants: the exchange ends within
 * a bound on the number of frames, every frame either side writes reads
 * back, and once each side has sent what the other wanted and what it
 * found the other lacks, both sets are equal.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <stdint.h>

#include "fuzz-sync-init.h"
#include <stdlib.h>

#include "hl-reconcile.h"

#define MAX_KEYS 1024

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct
{
  HlSyncSet *set;
  GArray    *wants;     /* guint64 prefixes it asked the other for */
  GPtrArray *pushes;    /* HlReconPush: ranges it sends the other */
} Side;

static void
side_init (Side *side)
{
  side->set = hl_sync_set_new ();
  side->wants = g_array_new (FALSE, FALSE, sizeof (guint64));
  side->pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_recon_push_free);
}

static void
side_clear (Side *side)
{
  hl_sync_set_free (side->set);
  g_array_unref (side->wants);
  g_ptr_array_unref (side->pushes);
}

static gboolean
in_push (const HlSyncItem  *item,
         const HlReconPush *push)
{
  guint64 prefix = hl_sync_id_prefix (item->id);

  if (hl_sync_bound_compare (item, &push->lower) < 0 || hl_sync_bound_compare (item, &push->upper) >= 0)
    return FALSE;
  return push->exclude == NULL || push->exclude->len == 0 ||
         bsearch (&prefix, push->exclude->data, push->exclude->len, sizeof (guint64),
                  hl_u64_compare) == NULL;
}

/* What @from sends @to: the keys @to asked for, and those in @from's pushes. */
static void
deliver (Side *from,
         Side *to)
{
  guint n = hl_sync_set_size (from->set);

  for (guint i = 0; i < n; i++)
    {
      const HlSyncItem *item = hl_sync_set_item (from->set, i);
      guint64 prefix = hl_sync_id_prefix (item->id);
      gboolean send = FALSE;

      for (guint w = 0; w < to->wants->len && !send; w++)
        send = g_array_index (to->wants, guint64, w) == prefix;
      for (guint p = 0; p < from->pushes->len && !send; p++)
        send = in_push (item, g_ptr_array_index (from->pushes, p));
      if (send)
        hl_sync_set_add (to->set, item->ts, item->id);
    }
}

static void
assert_reads_back (const GByteArray *frame)
{
  g_autoptr(GByteArray) again = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  HlReconReader reader;
  HlReconRange range;
  guint64 last_ts = 0;

  g_assert_true (hl_recon_reader_init (&reader, frame->data, frame->len, &error));
  g_byte_array_append (again, frame->data, 2);
  while (hl_recon_reader_next (&reader, &range, &error))
    hl_recon_put_range (again, &last_ts, &range);
  g_assert_no_error (error);
  g_assert_cmpmem (again->data, again->len, frame->data, frame->len);
}

/* The keys from the input, each on side a, b or both. */
static guint
make_sides (const guint8 *data,
            gsize         size,
            Side         *a,
            Side         *b)
{
  guint64 ts = 1000;
  guint n = 0;

  for (gsize at = 0; at + 1 < size && n < MAX_KEYS; at += 2, n++)
    {
      guint8 id[HL_ID_LEN] = { 0 };
      guint which = data[at] & 0x03;

      ts += data[at] >> 5;   /* 0 to 7 ms on: many keys share one */
      /* Prefix: the input's byte, five zero bytes, then a serial number
       * that keeps every prefix unique. The rest is a hash of the serial:
       * fingerprints are sums, and ids with a pattern (unlike real ones,
       * which are hashes) would make equal sums of different sets. */
      id[0] = data[at + 1];
      id[6] = (guint8) (n >> 8);
      id[7] = (guint8) n;
      crypto_generichash (id + HL_SYNC_PREFIX_LEN, HL_ID_LEN - HL_SYNC_PREFIX_LEN,
                          id + 6, 2, NULL, 0);
      if (which != 1)
        hl_sync_set_add (a->set, ts, id);
      if (which != 0)
        hl_sync_set_add (b->set, ts, id);
    }
  return n;
}

static void
assert_same (Side *a,
             Side *b)
{
  hl_sync_set_seal (a->set);
  hl_sync_set_seal (b->set);
  g_assert_cmpuint (hl_sync_set_size (a->set), ==, hl_sync_set_size (b->set));
  for (guint i = 0; i < hl_sync_set_size (a->set); i++)
    g_assert_cmpint (hl_sync_item_compare (hl_sync_set_item (a->set, i), hl_sync_set_item (b->set, i)),
                     ==, 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HlReconParams params;
  Side a, b;
  Side *turns[2] = { &b, &a };
  g_autoptr(GByteArray) msg = NULL;
  guint n, limit, frames = 0;

  fuzz_sync_init ();

  if (size < 2)
    return 0;
  hl_recon_params_default (&params);
  params.branches = 2 + (data[0] & 0x0f);
  params.leaf = data[0] >> 4;
  if (data[1] != 0)
    params.max_reply = 16 * (gsize) data[1];
  side_init (&a);
  side_init (&b);
  n = make_sides (data + 2, size - 2, &a, &b);
  /* Each frame settles or splits a range; with n keys there are at most
   * about n leaves, each a few frames deep. */
  limit = 64 + 16 * n;

  msg = hl_recon_initiate (a.set, &params);
  for (;;)
    {
      Side *me = turns[frames % 2];
      HlReconResult result = { 0 };
      g_autoptr(GError) error = NULL;

      assert_reads_back (msg);
      g_assert_cmpuint (++frames, <=, limit);
      g_assert_true (hl_recon_process (me->set, &params, msg->data, msg->len, &result, &error));
      g_array_append_vals (me->wants, result.wants->data, result.wants->len);
      for (guint i = 0; i < result.pushes->len; i++)
        g_ptr_array_add (me->pushes, g_ptr_array_steal_index (result.pushes, i--));
      if (result.reply == NULL)
        {
          hl_recon_result_clear (&result);
          break;
        }
      g_byte_array_unref (msg);
      msg = g_steal_pointer (&result.reply);
      hl_recon_result_clear (&result);
    }
  deliver (&a, &b);
  deliver (&b, &a);
  assert_same (&a, &b);
  side_clear (&a);
  side_clear (&b);
  return 0;
}
