/* test-reconcile.c: the reconciliation step, in process: every difference is
 * found, nothing shared is sent, and hostile frames are refused.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "hl-reconcile.h"
#include "hl-sync-error.h"

typedef struct
{
  HlSyncSet  *set;
  GHashTable *ids;         /* HlId -> item */
  GHashTable *found;       /* ids the exchange says the other side lacks or has */
} Side;

static guint
id_hash (gconstpointer key)
{
  guint h;

  memcpy (&h, key, sizeof h);
  return h;
}

static gboolean
id_equal (gconstpointer a,
          gconstpointer b)
{
  return memcmp (a, b, HL_ID_LEN) == 0;
}

static void
side_init (Side *side)
{
  side->set = hl_sync_set_new ();
  side->ids = g_hash_table_new_full (id_hash, id_equal, g_free, NULL);
  side->found = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
side_clear (Side *side)
{
  hl_sync_set_free (side->set);
  g_hash_table_unref (side->ids);
  g_hash_table_unref (side->found);
}

static void
side_add (Side         *side,
          guint64       ts,
          const guint8 *id)
{
  hl_sync_set_add (side->set, ts, id);
  g_hash_table_add (side->ids, g_memdup2 (id, HL_ID_LEN));
}

/* What a push would send: our keys in the range, minus the excluded. */
static void
expand_push (Side              *from,
             const HlReconPush *push,
             GHashTable        *into)
{
  for (guint i = 0; i < hl_sync_set_size (from->set); i++)
    {
      const HlSyncItem *item = hl_sync_set_item (from->set, i);
      guint64 prefix = hl_sync_id_prefix (item->id);

      if (hl_sync_bound_compare (item, &push->lower) < 0 || hl_sync_bound_compare (item, &push->upper) >= 0)
        continue;
      if (push->exclude != NULL && push->exclude->len > 0 &&
          bsearch (&prefix, push->exclude->data, push->exclude->len, sizeof (guint64),
                   hl_u64_compare))
        continue;
      g_hash_table_add (into, g_memdup2 (&prefix, sizeof prefix));
    }
}

typedef struct
{
  gsize bytes;
  guint frames;
} Cost;

/* Runs a whole exchange from @a; both sides record what they learnt. */
static Cost
run_exchange (Side                *a,
              Side                *b,
              const HlReconParams *params)
{
  g_autoptr(GByteArray) msg = hl_recon_initiate (a->set, params);
  Side *sides[2] = { b, a };
  Cost cost = { msg->len, 1 };

  for (guint turn = 0; turn < 64; turn++)
    {
      Side *me = sides[turn % 2], *other = sides[(turn + 1) % 2];
      HlReconResult result = { 0 };
      g_autoptr(GError) error = NULL;

      g_assert_true (hl_recon_process (me->set, params, msg->data, msg->len, &result, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < result.wants->len; i++)
        g_hash_table_add (me->found, g_memdup2 (&g_array_index (result.wants, guint64, i), sizeof (guint64)));
      for (guint i = 0; i < result.pushes->len; i++)
        expand_push (me, g_ptr_array_index (result.pushes, i), other->found);
      if (result.reply == NULL)
        {
          hl_recon_result_clear (&result);
          return cost;
        }
      cost.bytes += result.reply->len;
      cost.frames++;
      g_byte_array_unref (msg);
      msg = g_byte_array_ref (result.reply);
      hl_recon_result_clear (&result);
    }
  g_assert_not_reached ();
  return cost;
}

/* Every key one side lacks is found, and nothing else. */
static void
check_found (Side *lacking,
             Side *holding)
{
  GHashTableIter iter;
  gpointer key;
  guint expected = 0;

  g_hash_table_iter_init (&iter, holding->ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint64 prefix = hl_sync_id_prefix (key);

      if (g_hash_table_contains (lacking->ids, key))
        {
          g_assert_false (g_hash_table_contains (lacking->found, &prefix));
          continue;
        }
      expected++;
      g_assert_true (g_hash_table_contains (lacking->found, &prefix));
    }
  g_assert_cmpuint (g_hash_table_size (lacking->found), ==, expected);
}

static Cost
reconcile_case (guint    shared,
                guint    only_a,
                guint    only_b,
                guint64  seed,
                gboolean check)
{
  HlReconParams params;
  Side a, b;
  GRand *rand = g_rand_new_with_seed ((guint32) seed);
  guint64 ts = 1700000000000;
  Cost cost;

  hl_recon_params_default (&params);
  side_init (&a);
  side_init (&b);
  for (guint i = 0; i < shared + only_a + only_b; i++)
    {
      guint8 id[HL_ID_LEN];
      guint pick = g_rand_int_range (rand, 0, shared + only_a + only_b);

      for (guint k = 0; k < HL_ID_LEN; k += 4)
        {
          guint32 r = g_rand_int (rand);
          memcpy (id + k, &r, 4);
        }
      /* Many events share a millisecond: bounds must split on ids too. */
      ts += g_rand_int_range (rand, 0, 3);
      if (pick < only_a && only_a > 0)
        side_add (&a, ts, id);
      else if (pick < only_a + only_b && only_b > 0)
        side_add (&b, ts, id);
      else
        {
          side_add (&a, ts, id);
          side_add (&b, ts, id);
        }
    }
  cost = run_exchange (&a, &b, &params);
  if (check)
    {
      check_found (&a, &b);
      check_found (&b, &a);
    }
  side_clear (&a);
  side_clear (&b);
  g_rand_free (rand);
  return cost;
}

static void
test_small_cases (void)
{
  guint cases[][3] = {
    { 0, 0, 0 }, { 0, 5, 0 }, { 0, 0, 5 }, { 10, 0, 0 }, { 10, 3, 4 }, { 1000, 0, 0 },
    { 1000, 1, 0 }, { 1000, 0, 1 }, { 1000, 17, 23 }, { 5000, 500, 0 }, { 5000, 0, 5000 },
    { 3000, 2000, 2000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint64 seed = 1; seed <= 3; seed++)
      reconcile_case (cases[i][0], cases[i][1], cases[i][2], seed * 7919 + i, TRUE);
}

static void
test_cost_follows_differences (void)
{
  Cost none = reconcile_case (100000, 0, 0, 42, TRUE);
  Cost ten = reconcile_case (100000, 5, 5, 43, TRUE);
  Cost thousand = reconcile_case (100000, 500, 500, 44, TRUE);

  g_test_message ("100k shared: 0 diff %" G_GSIZE_FORMAT " B in %u frames; 10 diff %" G_GSIZE_FORMAT
                  " B in %u frames; 1000 diff %" G_GSIZE_FORMAT " B in %u frames",
                  none.bytes, none.frames, ten.bytes, ten.frames, thousand.bytes, thousand.frames);
  /* The budgets, for the reconciliation frames alone. */
  g_assert_cmpuint (none.bytes, <, 2048);
  g_assert_cmpuint (ten.bytes, <, 8192);
  g_assert_cmpuint (none.frames, <=, 2);
  g_assert_cmpuint (ten.frames, <=, 8);
}

static void
test_hostile_frames (void)
{
  HlReconParams params;
  HlSyncSet *set = hl_sync_set_new ();
  const guint8 frames[][12] = {
    { HL_SYNC_FRAME_RECON, 7 },                                  /* bad role */
    { HL_SYNC_FRAME_RECON, 0, 0x80 },                            /* truncated varint */
    { HL_SYNC_FRAME_RECON, 0, 0, 33 },                           /* prefix too long */
    { HL_SYNC_FRAME_RECON, 0, 0, 0, 9 },                         /* unknown mode */
    { HL_SYNC_FRAME_RECON, 0, 0, 0, 1, 1, 2 },                   /* short fingerprint */
    { HL_SYNC_FRAME_RECON, 0, 0, 0, 2, 0xff, 0xff, 0x0f },       /* id list past the end */
    { HL_SYNC_FRAME_RECON, 0, 5, 1, 5, 0, 1, 1, 1, 0 },          /* bounds going back */
  };
  const gsize lens[] = { 2, 3, 4, 5, 7, 8, 10 };
  guint8 id[HL_ID_LEN] = { 1 };

  hl_recon_params_default (&params);
  hl_sync_set_add (set, 10, id);
  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      HlReconResult result = { 0 };
      g_autoptr(GError) error = NULL;

      g_assert_false (hl_recon_process (set, &params, frames[i], lens[i], &result, &error));
      g_assert_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL);
      hl_recon_result_clear (&result);
    }
  hl_sync_set_free (set);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/reconcile/small-cases", test_small_cases);
  g_test_add_func ("/reconcile/cost-follows-differences", test_cost_follows_differences);
  g_test_add_func ("/reconcile/hostile-frames", test_hostile_frames);
  return g_test_run ();
}
