/* hl-archive-placement.c: which committed symbols each holder keeps
 * (docs/protocol.md, "Placement"). Computed by every device alike from the
 * manifest, the holder set and the policy; nobody coordinates.
 *
 * Per block of K symbols and L = 4 K committed ESIs, with n holders of
 * which f may be lost (m = n - f):
 *  - the share s starts at ceil((K + 2) / m) + 1;
 *  - the slots: S, the largest power of two with S s <= L, of pitch
 *    w = floor(L / S) >= s; slot j is the ESIs [j w, j w + s);
 *  - holders in the order of h = BLAKE2b-256(plaintext hash || key), each
 *    wanting slot floor(u S / 2^64) with u the bytes 8-15 of h, probing
 *    upward (wrapping) to a free one; past S holders the slots are taken
 *    again in rounds;
 *  - s grows until any m holders cover K + 2 distinct ESIs even then.
 * Slots at fixed places (a power-of-two count, a holder's slot the top bits
 * of u) keep a holder's symbols where they were while s changes with n, so
 * a holder joining or leaving moves few others' symbols
 * (tests/archive/test-archive-placement.c prints the figures).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-private.h"

#include <sodium.h>

typedef struct
{
  guint8  key[HL_KEY_LEN];
  guint8  rank[HL_ID_LEN];    /* h */
} Holder;

typedef struct
{
  guint32  k;
  guint32  committed;         /* L */
  guint32  share;             /* s */
  guint32  slots;             /* S */
  guint32  pitch;             /* w */
  guint32 *slot_of;           /* by holder, in rank order */
} Block;

struct _HlPlacement
{
  guint   n;
  guint   lose;
  Holder *holders;            /* sorted by rank */
  guint   n_blocks;
  Block  *blocks;
};

static int
compare_rank (gconstpointer a,
              gconstpointer b)
{
  const Holder *x = a, *y = b;
  int c = memcmp (x->rank, y->rank, HL_ID_LEN);

  return c != 0 ? c : memcmp (x->key, y->key, HL_KEY_LEN);
}

/* Bytes 8-15 of h, big-endian: the slot a holder asks for. Not the bytes
 * that order holders, or each holder would ask for the slot after the one
 * before it and a join would shift the whole run of holders behind it. */
static guint64
rank_slot_bits (const Holder *holder)
{
  guint64 h = 0;

  for (guint i = 8; i < 16; i++)
    h = (h << 8) | holder->rank[i];
  return h;
}

static guint32
largest_power_of_two_at_most (guint32 x)
{
  guint32 p = 1;

  while (p <= x / 2)
    p *= 2;
  return p;
}

static guint32
ceil_div (guint64 a,
          guint64 b)
{
  return (guint32) ((a + b - 1) / b);
}

/* The share of a block: the first s from the base at which any m holders
 * still cover K + 2 distinct ESIs, rounds of S holders sharing slots. */
static void
size_block (Block *b,
            guint  n,
            guint  m)
{
  b->share = ceil_div ((guint64) b->k + 2, m) + 1;
  for (;;)
    {
      guint32 rounds;

      b->slots = largest_power_of_two_at_most (b->committed / b->share);
      rounds = ceil_div (n, b->slots);
      if ((guint64) ceil_div (m, rounds) * b->share >= (guint64) b->k + 2 ||
          b->share >= b->committed)
        break;
      b->share++;
    }
  b->pitch = b->committed / b->slots;
}

/* floor(u * slots / 2^64), exactly (slots < 2^32, so nothing overflows):
 * with a power of two, the top bits of u, so that when the count halves a
 * slot's holder lands on the slot that starts where it did, or the one
 * before. */
static guint32
scale (guint64 u,
       guint32 slots)
{
  guint64 hi = u >> 32, lo = u & 0xffffffffu;

  return (guint32) ((hi * slots + ((lo * slots) >> 32)) >> 32);
}

static void
assign_slots (HlPlacement *self,
              Block       *b)
{
  g_autofree gboolean *taken = g_new0 (gboolean, b->slots);

  b->slot_of = g_new0 (guint32, self->n);
  for (guint i = 0; i < self->n; i++)
    {
      guint32 slot = scale (rank_slot_bits (&self->holders[i]), b->slots);

      /* A new round: every slot is free again. */
      if (i % b->slots == 0)
        memset (taken, 0, sizeof (gboolean) * b->slots);
      while (taken[slot])
        slot = (slot + 1) % b->slots;
      taken[slot] = TRUE;
      b->slot_of[i] = slot;
    }
}

HlPlacement *
hl_placement_new (const HlSegmentManifest *manifest,
                  const guint8            *keys,
                  guint                    n_keys,
                  gint                     lose)
{
  HlPlacement *self;
  guint m;

  if (n_keys == 0 || manifest->n_roots == 0)
    return NULL;
  self = g_new0 (HlPlacement, 1);
  self->n = n_keys;
  self->lose = lose == HL_ARCHIVE_LOSE_HALF ? n_keys / 2 : MIN ((guint) MAX (lose, 0), n_keys - 1);
  m = n_keys - self->lose;
  self->holders = g_new0 (Holder, n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      crypto_generichash_state state;

      memcpy (self->holders[i].key, keys + (gsize) i * HL_KEY_LEN, HL_KEY_LEN);
      crypto_generichash_init (&state, NULL, 0, HL_ID_LEN);
      crypto_generichash_update (&state, manifest->hash, HL_ID_LEN);
      crypto_generichash_update (&state, self->holders[i].key, HL_KEY_LEN);
      crypto_generichash_final (&state, self->holders[i].rank, HL_ID_LEN);
    }
  qsort (self->holders, n_keys, sizeof (Holder), compare_rank);
  self->n_blocks = manifest->n_roots;
  self->blocks = g_new0 (Block, self->n_blocks);
  for (guint sbn = 0; sbn < self->n_blocks; sbn++)
    {
      Block *b = &self->blocks[sbn];

      b->k = hl_codec_oti_block_symbols (&manifest->codec, sbn);
      b->committed = HL_ARCHIVE_COMMIT_FACTOR * b->k;
      size_block (b, n_keys, m);
      assign_slots (self, b);
    }
  return self;
}

void
hl_placement_free (HlPlacement *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_blocks; i++)
    g_free (self->blocks[i].slot_of);
  g_free (self->blocks);
  g_free (self->holders);
  g_free (self);
}

guint
hl_placement_n_holders (HlPlacement *self)
{
  return self->n;
}

guint
hl_placement_lose (HlPlacement *self)
{
  return self->lose;
}

guint32
hl_placement_share (HlPlacement *self,
                    guint        sbn)
{
  return sbn < self->n_blocks ? self->blocks[sbn].share : 0;
}

guint32
hl_placement_slots (HlPlacement *self,
                    guint        sbn)
{
  return sbn < self->n_blocks ? self->blocks[sbn].slots : 0;
}

static gint
holder_index (HlPlacement  *self,
              const guint8 *key)
{
  for (guint i = 0; i < self->n; i++)
    if (memcmp (self->holders[i].key, key, HL_KEY_LEN) == 0)
      return (gint) i;
  return -1;
}

gboolean
hl_placement_range (HlPlacement  *self,
                    const guint8 *key,
                    guint         sbn,
                    HlEsiRange   *range)
{
  gint i = holder_index (self, key);
  const Block *b;

  if (i < 0 || sbn >= self->n_blocks)
    return FALSE;
  b = &self->blocks[sbn];
  range->sbn = sbn;
  range->first = b->slot_of[i] * b->pitch;
  range->count = b->share;
  return TRUE;
}

GArray *
hl_placement_ranges (HlPlacement  *self,
                     const guint8 *key)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (HlEsiRange));

  for (guint sbn = 0; self != NULL && sbn < self->n_blocks; sbn++)
    {
      HlEsiRange range;

      if (hl_placement_range (self, key, sbn, &range))
        g_array_append_val (ranges, range);
    }
  return ranges;
}

static gboolean
is_lost (const guint8 *lost,
         guint         n_lost,
         const guint8 *key)
{
  for (guint i = 0; i < n_lost; i++)
    if (memcmp (lost + (gsize) i * HL_KEY_LEN, key, HL_KEY_LEN) == 0)
      return TRUE;
  return FALSE;
}

gboolean
hl_placement_survives (HlPlacement  *self,
                       const guint8 *lost,
                       guint         n_lost)
{
  for (guint sbn = 0; sbn < self->n_blocks; sbn++)
    {
      const Block *b = &self->blocks[sbn];
      g_autofree gboolean *covered = g_new0 (gboolean, b->slots);
      guint64 distinct = 0;

      for (guint i = 0; i < self->n; i++)
        if (!is_lost (lost, n_lost, self->holders[i].key) && !covered[b->slot_of[i]])
          {
            covered[b->slot_of[i]] = TRUE;
            distinct += b->share;
          }
      if (distinct < (guint64) b->k + 2)
        return FALSE;
    }
  return TRUE;
}

static int
compare_u32 (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* Slots are disjoint and of equal size, so the worst loss empties the
 * least-held slots first; the block stays decodable while at least
 * ceil((K + 2) / s) slots keep a holder. */
static gint
block_tolerance (HlPlacement *self,
                 const Block *b)
{
  g_autofree guint32 *holders_of = g_new0 (guint32, b->slots);
  guint32 needed = ceil_div ((guint64) b->k + 2, b->share), occupied = 0;
  gint64 lost = 0;

  for (guint i = 0; i < self->n; i++)
    holders_of[b->slot_of[i]]++;
  qsort (holders_of, b->slots, sizeof (guint32), compare_u32);
  for (guint32 j = 0; j < b->slots; j++)
    occupied += holders_of[j] > 0;
  if (occupied < needed)
    return -1;
  /* Empty the emptiest slots until one more would leave too few. */
  for (guint32 j = 0, emptied = 0; j < b->slots && emptied + needed <= occupied; j++)
    {
      if (holders_of[j] == 0)
        continue;
      if (emptied + needed == occupied)
        return (gint) (lost + holders_of[j] - 1);
      lost += holders_of[j];
      emptied++;
    }
  return (gint) lost;
}

gint
hl_placement_tolerance (HlPlacement *self)
{
  gint tolerance = G_MAXINT;

  for (guint sbn = 0; sbn < self->n_blocks; sbn++)
    tolerance = MIN (tolerance, block_tolerance (self, &self->blocks[sbn]));
  return tolerance;
}
