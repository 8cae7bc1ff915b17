/* test-archive-placement.c: placement's promises, over random blocks,
 * holder sets, policies and keys (docs/protocol.md, "Placement"):
 *  - any n − f holders keep at least K_b + 2 distinct ESIs of every block,
 *    and hl_placement_survives / hl_placement_tolerance agree with a count
 *    done by hand;
 *  - slots never overlap (while there are at least as many slots as
 *    holders, which the share guarantees for f <= 3n/4 and large blocks);
 *  - a device joining or leaving moves few others: the figures are printed
 *    (g_test_message), for this placement and for the slots of the lead's
 *    first design (h mod floor(L / s), contiguous slots of s), and the test
 *    asserts the bounds the docs state.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "hl-archive.h"

#define ROUNDS 300

typedef struct
{
  HlSegmentManifest manifest;
  guint8            roots[2 * HL_ID_LEN];
} Block;

/* A segment of Z blocks holding @k symbols in all (T = 1024, N = 1). */
static void
make_manifest (Block  *b,
               guint32 k,
               guint8  z,
               GRand  *rand)
{
  memset (b, 0, sizeof *b);
  b->manifest.codec.transfer_length = (guint64) k * HL_ARCHIVE_SYMBOL_SIZE;
  b->manifest.codec.symbol_size = HL_ARCHIVE_SYMBOL_SIZE;
  b->manifest.codec.source_blocks = z;
  b->manifest.codec.sub_blocks = 1;
  b->manifest.codec.alignment = HL_ARCHIVE_ALIGNMENT;
  g_assert_true (hl_codec_oti_validate (&b->manifest.codec, NULL));
  b->manifest.n_roots = z;
  b->manifest.roots = b->roots;
  for (guint i = 0; i < HL_ID_LEN; i++)
    b->manifest.hash[i] = (guint8) g_rand_int (rand);
}

static guint8 *
random_keys (guint  n,
             GRand *rand)
{
  guint8 *keys = g_malloc ((gsize) MAX (n, 1) * HL_KEY_LEN);

  for (gsize i = 0; i < (gsize) n * HL_KEY_LEN; i++)
    keys[i] = (guint8) g_rand_int (rand);
  return keys;
}

/* Distinct ESIs of block @sbn the holders flagged in @alive keep. */
static guint64
distinct (HlPlacement  *p,
          const guint8 *keys,
          guint         n,
          const gboolean *alive,
          guint         sbn,
          guint32       committed)
{
  g_autofree gboolean *seen = g_new0 (gboolean, committed);
  guint64 count = 0;

  for (guint i = 0; i < n; i++)
    {
      HlEsiRange r;

      if (!alive[i])
        continue;
      g_assert_true (hl_placement_range (p, keys + (gsize) i * HL_KEY_LEN, sbn, &r));
      g_assert_cmpuint ((guint64) r.first + r.count, <=, committed);
      for (guint32 e = r.first; e < r.first + r.count; e++)
        if (!seen[e])
          {
            seen[e] = TRUE;
            count++;
          }
    }
  return count;
}

static void
assert_no_overlap (HlPlacement  *p,
                   const guint8 *keys,
                   guint         n,
                   guint         sbn,
                   guint32       committed)
{
  g_autofree guint8 *owner = g_new0 (guint8, committed);

  for (guint i = 0; i < n; i++)
    {
      HlEsiRange r;

      g_assert_true (hl_placement_range (p, keys + (gsize) i * HL_KEY_LEN, sbn, &r));
      for (guint32 e = r.first; e < r.first + r.count; e++)
        {
          g_assert_cmpuint (owner[e], ==, 0);
          owner[e] = 1;
        }
    }
}

/* Removes holders one by one from a random start, checking every subset of
 * n - f (for small n all of them, else the worst and random ones). */
static void
check_subsets (HlPlacement  *p,
               const guint8 *keys,
               guint         n,
               guint         lose,
               const Block  *b,
               GRand        *rand)
{
  g_autofree gboolean *alive = g_new0 (gboolean, n);
  g_autofree guint8 *lost = g_malloc ((gsize) MAX (n, 1) * HL_KEY_LEN);
  guint trials = n <= 12 ? 1u << n : 400;

  for (guint t = 0; t < trials; t++)
    {
      guint n_lost = 0;

      for (guint i = 0; i < n; i++)
        {
          alive[i] = n <= 12 ? !((t >> i) & 1) : g_rand_int_range (rand, 0, (gint32) n) >= (gint32) lose;
          if (!alive[i])
            memcpy (lost + (gsize) n_lost++ * HL_KEY_LEN, keys + (gsize) i * HL_KEY_LEN,
                    HL_KEY_LEN);
        }
      if (n_lost > lose)
        continue;
      for (guint sbn = 0; sbn < b->manifest.n_roots; sbn++)
        {
          guint32 k = hl_codec_oti_block_symbols (&b->manifest.codec, sbn);

          g_assert_cmpuint (distinct (p, keys, n, alive, sbn, 4 * k), >=, (guint64) k + 2);
        }
      g_assert_true (hl_placement_survives (p, lost, n_lost));
    }
}

static void
test_policy_holds (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  guint overlap_checked = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      guint32 k = round % 3 == 0 ? (guint32) g_rand_int_range (rand, 1, 12)
                                 : (guint32) g_rand_int_range (rand, 12, 4000);
      guint8 z = k >= 2 && round % 5 == 0 ? 2 : 1;
      guint n = (guint) g_rand_int_range (rand, 1, 33);
      gint policy = g_rand_boolean (rand) ? HL_ARCHIVE_LOSE_HALF
                                          : g_rand_int_range (rand, 0, (gint32) n + 2);
      g_autofree guint8 *keys = random_keys (n, rand);
      g_autoptr(HlPlacement) p = NULL;
      Block b;
      guint lose;

      make_manifest (&b, k, z, rand);
      p = hl_placement_new (&b.manifest, keys, n, policy);
      g_assert_nonnull (p);
      lose = hl_placement_lose (p);
      g_assert_cmpuint (lose, <, n);
      if (policy == HL_ARCHIVE_LOSE_HALF)
        g_assert_cmpuint (lose, ==, n / 2);
      check_subsets (p, keys, n, lose, &b, rand);
      g_assert_cmpint (hl_placement_tolerance (p), >=, (gint) lose);
      for (guint sbn = 0; sbn < z; sbn++)
        if (hl_placement_slots (p, sbn) >= n)
          {
            assert_no_overlap (p, keys, n, sbn,
                               4 * hl_codec_oti_block_symbols (&b.manifest.codec, sbn));
            overlap_checked++;
          }
    }
  g_test_message ("%u placements had a slot for every holder and were checked for overlaps",
                  overlap_checked);
  g_assert_cmpuint (overlap_checked, >, ROUNDS / 2);
}

/* With the default policy and blocks of some size, every holder has a slot
 * of its own, and the share is what the docs say (about 1/ceil(n/2)). */
static void
test_default_share (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint n = 1; n <= 64; n++)
    {
      g_autofree guint8 *keys = random_keys (n, rand);
      g_autoptr(HlPlacement) p = NULL;
      guint32 k = 16000;
      Block b;

      make_manifest (&b, k, 1, rand);
      p = hl_placement_new (&b.manifest, keys, n, HL_ARCHIVE_LOSE_HALF);
      g_assert_cmpuint (hl_placement_slots (p, 0), >=, n);
      g_assert_cmpuint (hl_placement_share (p, 0), ==, (k + 2 + (n - n / 2) - 1) / (n - n / 2) + 1);
      assert_no_overlap (p, keys, n, 0, 4 * k);
      if (n == 10)
        g_test_message ("n = 10, default policy: each holder keeps %u of %u symbols (%.3f of "
                        "the segment)", hl_placement_share (p, 0), k,
                        (double) hl_placement_share (p, 0) / k);
    }
}

/* The slots of the lead's first design, for comparison: S = floor(L / s)
 * contiguous slots of s, slot h mod S, probing upward. */
static void
lead_ranges (const Block  *b,
             const guint8 *keys,
             guint         n,
             guint32       share,
             guint32      *first)
{
  guint32 committed = 4 * hl_codec_oti_block_symbols (&b->manifest.codec, 0);
  guint32 slots = committed / share;
  g_autofree gboolean *taken = g_new0 (gboolean, slots);
  g_autofree guint *order = g_new0 (guint, n);
  g_autofree guint8 *rank = g_malloc ((gsize) MAX (n, 1) * HL_ID_LEN);

  for (guint i = 0; i < n; i++)
    {
      crypto_generichash_state state;

      order[i] = i;
      crypto_generichash_init (&state, NULL, 0, HL_ID_LEN);
      crypto_generichash_update (&state, b->manifest.hash, HL_ID_LEN);
      crypto_generichash_update (&state, keys + (gsize) i * HL_KEY_LEN, HL_KEY_LEN);
      crypto_generichash_final (&state, rank + (gsize) i * HL_ID_LEN, HL_ID_LEN);
    }
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && memcmp (rank + (gsize) order[j] * HL_ID_LEN,
                                       rank + (gsize) order[j - 1] * HL_ID_LEN, HL_ID_LEN) < 0; j--)
      {
        guint t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  for (guint i = 0; i < n; i++)
    {
      guint64 h = 0;
      guint32 slot;

      for (guint byte = 0; byte < 8; byte++)
        h = (h << 8) | rank[(gsize) order[i] * HL_ID_LEN + byte];
      slot = (guint32) (h % slots);
      while (taken[slot])
        slot = (slot + 1) % slots;
      taken[slot] = TRUE;
      first[order[i]] = slot * share;
    }
}

typedef struct
{
  double moved_devices;     /* others whose ESIs changed */
  double moved_symbols;     /* of the symbols others hold after, those they lacked before */
  guint  samples;
} Movement;

/* Compares the ranges of the holders both placements share (@a has
 * @n_a holders, @b the first min of both of the same keys). */
static void
add_movement (Movement      *mv,
              const guint32 *first_a,
              guint32        share_a,
              const guint32 *first_b,
              guint32        share_b,
              guint          n_common)
{
  guint moved = 0;
  guint64 fresh = 0, total = 0;

  for (guint i = 0; i < n_common; i++)
    {
      guint64 lo = MAX (first_a[i], first_b[i]);
      guint64 hi = MIN ((guint64) first_a[i] + share_a, (guint64) first_b[i] + share_b);
      guint64 kept = hi > lo ? hi - lo : 0;

      moved += first_a[i] != first_b[i] || share_a != share_b;
      fresh += share_b - kept;
      total += share_b;
    }
  mv->moved_devices += (double) moved / MAX (n_common, 1);
  mv->moved_symbols += total > 0 ? (double) fresh / total : 0;
  mv->samples++;
}

static void
our_ranges (HlPlacement  *p,
            const guint8 *keys,
            guint         n,
            guint32      *first)
{
  for (guint i = 0; i < n; i++)
    {
      HlEsiRange r;

      g_assert_true (hl_placement_range (p, keys + (gsize) i * HL_KEY_LEN, 0, &r));
      first[i] = r.first;
    }
}

/* A device joins a group of n (n + 1 keys, the first n the old holders). */
static void
test_churn (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  Movement ours = { 0 }, lead = { 0 }, ours_same = { 0 }, lead_same = { 0 };
  Movement ours_leave = { 0 }, lead_leave = { 0 };
  guint32 k = 8000;

  for (guint round = 0; round < 400; round++)
    {
      guint n = (guint) g_rand_int_range (rand, 3, 30);
      g_autofree guint8 *keys = random_keys (n + 1, rand);
      g_autofree guint32 *before = g_new0 (guint32, n + 1);
      g_autofree guint32 *after = g_new0 (guint32, n + 1);
      g_autofree guint32 *lead_before = g_new0 (guint32, n + 1);
      g_autofree guint32 *lead_after = g_new0 (guint32, n + 1);
      g_autoptr(HlPlacement) p_before = NULL;
      g_autoptr(HlPlacement) p_after = NULL;
      gboolean same_share;
      Block b;

      make_manifest (&b, k, 1, rand);
      p_before = hl_placement_new (&b.manifest, keys, n, HL_ARCHIVE_LOSE_HALF);
      p_after = hl_placement_new (&b.manifest, keys, n + 1, HL_ARCHIVE_LOSE_HALF);
      our_ranges (p_before, keys, n, before);
      our_ranges (p_after, keys, n + 1, after);
      lead_ranges (&b, keys, n, hl_placement_share (p_before, 0), lead_before);
      lead_ranges (&b, keys, n + 1, hl_placement_share (p_after, 0), lead_after);
      same_share = hl_placement_share (p_before, 0) == hl_placement_share (p_after, 0);
      /* Leaving is the way back: the (n + 1)th goes. */
      add_movement (&ours_leave, after, hl_placement_share (p_after, 0), before,
                    hl_placement_share (p_before, 0), n);
      add_movement (&lead_leave, lead_after, hl_placement_share (p_after, 0), lead_before,
                    hl_placement_share (p_before, 0), n);
      add_movement (&ours, before, hl_placement_share (p_before, 0), after,
                    hl_placement_share (p_after, 0), n);
      add_movement (&lead, lead_before, hl_placement_share (p_before, 0), lead_after,
                    hl_placement_share (p_after, 0), n);
      if (same_share)
        {
          add_movement (&ours_same, before, hl_placement_share (p_before, 0), after,
                        hl_placement_share (p_after, 0), n);
          add_movement (&lead_same, lead_before, hl_placement_share (p_before, 0), lead_after,
                        hl_placement_share (p_after, 0), n);
        }
    }
  g_test_message ("a device joins (n = 3-29, K = %u, default policy, %u joins):", k, ours.samples);
  g_test_message ("  this placement: %.1f %% of the others change ESIs, %.1f %% of what they "
                  "hold after is new to them", 100 * ours.moved_devices / ours.samples,
                  100 * ours.moved_symbols / ours.samples);
  g_test_message ("  h mod floor(L/s): %.1f %% change, %.1f %% new",
                  100 * lead.moved_devices / lead.samples, 100 * lead.moved_symbols / lead.samples);
  g_test_message ("  joins that leave s as it was (%u): this placement %.1f %% change, %.1f %% "
                  "new; h mod floor(L/s) %.1f %% change, %.1f %% new", ours_same.samples,
                  100 * ours_same.moved_devices / MAX (ours_same.samples, 1),
                  100 * ours_same.moved_symbols / MAX (ours_same.samples, 1),
                  100 * lead_same.moved_devices / MAX (lead_same.samples, 1),
                  100 * lead_same.moved_symbols / MAX (lead_same.samples, 1));
  g_test_message ("a device leaves: this placement %.1f %% change, %.1f %% new; "
                  "h mod floor(L/s) %.1f %% change, %.1f %% new",
                  100 * ours_leave.moved_devices / ours_leave.samples,
                  100 * ours_leave.moved_symbols / ours_leave.samples,
                  100 * lead_leave.moved_devices / lead_leave.samples,
                  100 * lead_leave.moved_symbols / lead_leave.samples);
  /* The bounds docs/protocol.md states. */
  g_assert_cmpfloat (ours.moved_symbols / ours.samples, <, 0.20);
  g_assert_cmpfloat (ours_leave.moved_symbols / ours_leave.samples, <, 0.25);
  g_assert_cmpfloat (ours_same.moved_devices / MAX (ours_same.samples, 1), <, 0.15);
  g_assert_cmpfloat (ours.moved_symbols / ours.samples, <, lead.moved_symbols / lead.samples);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (sodium_init () < 0)
    return 1;
  g_test_add_func ("/archive/placement/policy-holds", test_policy_holds);
  g_test_add_func ("/archive/placement/default-share", test_default_share);
  g_test_add_func ("/archive/placement/churn", test_churn);
  return g_test_run ();
}
