/* fuzz-recon-frame.c: a peer's RECON frame against a small set of ours.
 *
 * Input: byte 0 shapes our set (how many keys, how many share a
 * millisecond), byte 1 our parameters, the rest is the frame. Invariants:
 *  - one decoder: hl_recon_process accepts the frame exactly when
 *    HlReconReader reads it to the end without an error;
 *  - a frame that reads writes back to the same bytes;
 *  - an accepted frame's reply is a frame that reads too, carries the other
 *    role, and every range in it (like every push) is [lower, upper) with
 *    lower < upper.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "fuzz-sync-init.h"

#include "hl-reconcile.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* TRUE when @frame reads to its end; it then re-encodes to itself. */
static gboolean
reads_back (const guint8 *frame,
            gsize         len)
{
  g_autoptr(GByteArray) again = NULL;
  g_autoptr(GError) error = NULL;
  HlReconReader reader;
  HlReconRange range;
  guint64 last_ts = 0;

  if (!hl_recon_reader_init (&reader, frame, len, &error))
    return FALSE;
  again = g_byte_array_new ();
  g_byte_array_append (again, frame, 2);
  while (hl_recon_reader_next (&reader, &range, &error))
    {
      g_assert_cmpint (hl_recon_bound_compare (&range.lower, &range.upper), <, 0);
      hl_recon_put_range (again, &last_ts, &range);
    }
  if (error != NULL)
    return FALSE;
  g_assert_cmpmem (again->data, again->len, frame, len);
  return TRUE;
}

/* Up to 63 keys at small timestamps (so that hand-made or mutated bounds
 * land among them), several to a millisecond. */
static HlSyncSet *
make_set (guint8 shape)
{
  HlSyncSet *set = hl_sync_set_new ();
  GRand *rand = g_rand_new_with_seed (shape);
  guint n = shape & 0x3f, per_ms = 1 + (shape >> 6);

  for (guint i = 0; i < n; i++)
    {
      guint8 id[HL_ID_LEN];

      for (guint k = 0; k < HL_ID_LEN; k++)
        id[k] = (guint8) g_rand_int_range (rand, 0, 256);
      hl_sync_set_add (set, i / per_ms, id);
    }
  g_rand_free (rand);
  hl_sync_set_seal (set);
  return set;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HlSyncSet *set;
  HlReconParams params;
  HlReconResult result = { 0 };
  g_autoptr(GError) error = NULL;
  const guint8 *frame = data + 2;
  gsize len;
  gboolean readable, accepted;

  fuzz_sync_init ();

  if (size < 2)
    return 0;
  len = size - 2;
  set = make_set (data[0]);
  hl_recon_params_default (&params);
  params.branches = 2 + (data[1] & 0x07);
  params.leaf = (data[1] >> 3) & 0x0f;
  if (data[1] & 0x80)
    params.max_reply = 64;

  readable = reads_back (frame, len);
  accepted = hl_recon_process (set, &params, frame, len, &result, &error);
  g_assert_cmpint (readable, ==, accepted);
  g_assert_true (accepted == (error == NULL));
  if (accepted && result.reply != NULL)
    {
      g_assert_true (reads_back (result.reply->data, result.reply->len));
      g_assert_cmpuint (result.reply->data[1], ==, frame[1] ^ 1);
      g_assert_true (!result.done || result.reply->len == 2);
    }
  if (accepted)
    {
      for (guint i = 0; i < result.pushes->len; i++)
        {
          HlReconPush *push = g_ptr_array_index (result.pushes, i);
          g_assert_cmpint (hl_recon_bound_compare (&push->lower, &push->upper), <, 0);
        }
    }
  hl_recon_result_clear (&result);
  hl_sync_set_free (set);
  return 0;
}
