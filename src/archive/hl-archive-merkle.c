/* hl-archive-merkle.c: symbol leaves, block trees and range proofs
 * (docs/protocol.md, "Verification").
 *
 * A block's L_b committed leaves are padded with 32 zero bytes to a power
 * of two P; an inner node is BLAKE2b-256(0x01 || left || right). A run of
 * contiguous ESIs is proven by the siblings its two boundary paths need,
 * level by level from the leaves up, the left one before the right one.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-private.h"

#include <sodium.h>

struct _HlMerkle
{
  guint32  n_leaves;
  guint    depth;          /* levels above the leaves: P = 2^depth */
  guint8 **levels;         /* levels[0]: P leaves; levels[depth]: the root */
};

void
hl_archive_leaf (guint         sbn,
                 guint32       esi,
                 const guint8 *symbol,
                 guint8       *out)
{
  crypto_generichash_state state;
  guint8 head[1 + 9 + 1 + 3] = { 0x00, 'h', 'l', '-', 's', 'y', 'm', '-', 'v', '1',
                                 (guint8) sbn, (guint8) (esi >> 16), (guint8) (esi >> 8),
                                 (guint8) esi };

  crypto_generichash_init (&state, NULL, 0, HL_ID_LEN);
  crypto_generichash_update (&state, head, sizeof head);
  crypto_generichash_update (&state, symbol, HL_ARCHIVE_SYMBOL_SIZE);
  crypto_generichash_final (&state, out, HL_ID_LEN);
}

static void
node (const guint8 *left,
      const guint8 *right,
      guint8       *out)
{
  crypto_generichash_state state;
  static const guint8 tag = 0x01;

  crypto_generichash_init (&state, NULL, 0, HL_ID_LEN);
  crypto_generichash_update (&state, &tag, 1);
  crypto_generichash_update (&state, left, HL_ID_LEN);
  crypto_generichash_update (&state, right, HL_ID_LEN);
  crypto_generichash_final (&state, out, HL_ID_LEN);
}

static guint
depth_for (guint32 n_leaves)
{
  guint depth = 0;

  while (((guint64) 1 << depth) < n_leaves)
    depth++;
  return depth;
}

HlMerkle *
hl_merkle_new (guint32  n_leaves,
               guint8  *leaves)
{
  HlMerkle *tree = g_new0 (HlMerkle, 1);
  gsize width;

  tree->n_leaves = n_leaves;
  tree->depth = depth_for (n_leaves);
  tree->levels = g_new0 (guint8 *, tree->depth + 1);
  width = (gsize) 1 << tree->depth;
  tree->levels[0] = g_realloc (leaves, width * HL_ID_LEN);
  memset (tree->levels[0] + (gsize) n_leaves * HL_ID_LEN, 0, (width - n_leaves) * HL_ID_LEN);
  for (guint level = 1; level <= tree->depth; level++)
    {
      const guint8 *below = tree->levels[level - 1];

      width /= 2;
      tree->levels[level] = g_malloc (width * HL_ID_LEN);
      for (gsize i = 0; i < width; i++)
        node (below + 2 * i * HL_ID_LEN, below + (2 * i + 1) * HL_ID_LEN,
              tree->levels[level] + i * HL_ID_LEN);
    }
  return tree;
}

void
hl_merkle_free (HlMerkle *tree)
{
  if (tree == NULL)
    return;
  for (guint level = 0; level <= tree->depth; level++)
    g_free (tree->levels[level]);
  g_free (tree->levels);
  g_free (tree);
}

const guint8 *
hl_merkle_root (HlMerkle *tree)
{
  return tree->levels[tree->depth];
}

GBytes *
hl_merkle_proof (HlMerkle *tree,
                 guint32   first,
                 guint32   count)
{
  GByteArray *out = g_byte_array_new ();
  guint64 lo = first, hi = (guint64) first + count - 1;

  g_return_val_if_fail (count > 0 && hi < tree->n_leaves, g_byte_array_free_to_bytes (out));
  for (guint level = 0; level < tree->depth; level++)
    {
      const guint8 *nodes = tree->levels[level];

      if (lo % 2 == 1)
        g_byte_array_append (out, nodes + (lo - 1) * HL_ID_LEN, HL_ID_LEN);
      if (hi % 2 == 0)
        g_byte_array_append (out, nodes + (hi + 1) * HL_ID_LEN, HL_ID_LEN);
      lo /= 2;
      hi /= 2;
    }
  return g_byte_array_free_to_bytes (out);
}

gboolean
hl_merkle_check (guint32       n_leaves,
                 guint32       first,
                 guint32       count,
                 const guint8 *leaves,
                 const guint8 *hashes,
                 gsize         n_hashes,
                 const guint8 *root)
{
  guint depth = depth_for (n_leaves);
  guint64 lo = first, hi = (guint64) first + count - 1;
  g_autofree guint8 *row = NULL;
  gsize used = 0;

  if (count == 0 || hi >= n_leaves)
    return FALSE;
  /* Room for the run and a sibling on each side. */
  row = g_malloc (((gsize) count + 2) * HL_ID_LEN);
  memcpy (row + HL_ID_LEN, leaves, (gsize) count * HL_ID_LEN);
  for (guint level = 0; level < depth; level++)
    {
      guint8 *start = row + HL_ID_LEN;
      gsize n = (gsize) (hi - lo + 1);

      if (lo % 2 == 1)
        {
          if (used == n_hashes)
            return FALSE;
          memcpy (row, hashes + used++ * HL_ID_LEN, HL_ID_LEN);
          start = row;
          n++;
        }
      if (hi % 2 == 0)
        {
          if (used == n_hashes)
            return FALSE;
          memcpy (start + n * HL_ID_LEN, hashes + used++ * HL_ID_LEN, HL_ID_LEN);
          n++;
        }
      /* n is even now: fold pairs into the next level, left-aligned. */
      for (gsize i = 0; i < n / 2; i++)
        node (start + 2 * i * HL_ID_LEN, start + (2 * i + 1) * HL_ID_LEN,
              row + HL_ID_LEN + i * HL_ID_LEN);
      lo /= 2;
      hi /= 2;
    }
  return used == n_hashes && sodium_memcmp (row + HL_ID_LEN, root, HL_ID_LEN) == 0;
}

guint32
hl_archive_committed (const HlSegmentManifest *manifest,
                      guint                    sbn)
{
  return HL_ARCHIVE_COMMIT_FACTOR * hl_codec_oti_block_symbols (&manifest->codec, sbn);
}

gboolean
hl_archive_proof_check (const HlSegmentManifest *manifest,
                        guint                    sbn,
                        guint32                  first,
                        guint32                  count,
                        const guint8            *leaves,
                        const guint8            *hashes,
                        gsize                    n_hashes,
                        GError                 **error)
{
  guint32 committed = hl_archive_committed (manifest, sbn);

  if (sbn >= manifest->n_roots || count == 0 || (guint64) first + count > committed)
    {
      g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SYMBOL,
                   "Symbols %u–%" G_GUINT64_FORMAT " of block %u are not committed symbols of "
                   "the segment (it commits ESIs 0–%u of %u blocks)", first,
                   (guint64) first + count - (count > 0), sbn, committed - 1, manifest->n_roots);
      return FALSE;
    }
  if (!hl_merkle_check (committed, first, count, leaves, hashes, n_hashes,
                        manifest->roots + (gsize) sbn * HL_ID_LEN))
    {
      g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SYMBOL,
                   "Symbols %u–%u of block %u fail their proof: they are not the segment's",
                   first, first + count - 1, sbn);
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_archive_run_check (const HlSegmentManifest *manifest,
                      guint                    sbn,
                      guint32                  first,
                      guint32                  count,
                      const guint8            *symbols,
                      const guint8            *hashes,
                      gsize                    n_hashes,
                      guint8                  *leaves_out,
                      GError                 **error)
{
  g_autofree guint8 *leaves = g_malloc ((gsize) MAX (count, 1) * HL_ID_LEN);

  for (guint32 i = 0; i < count; i++)
    hl_archive_leaf (sbn, first + i, symbols + (gsize) i * HL_ARCHIVE_SYMBOL_SIZE,
                     leaves + (gsize) i * HL_ID_LEN);
  if (!hl_archive_proof_check (manifest, sbn, first, count, leaves, hashes, n_hashes, error))
    return FALSE;
  if (leaves_out != NULL)
    memcpy (leaves_out, leaves, (gsize) count * HL_ID_LEN);
  return TRUE;
}

/* The nodes a proven run makes known at one level: indices [lo, lo + n). */
typedef struct
{
  guint64  lo;
  gsize    n;
  guint8  *nodes;
} Level;

GBytes *
hl_merkle_subproof (guint32       n_leaves,
                    guint32       first,
                    guint32       count,
                    const guint8 *leaves,
                    const guint8 *hashes,
                    gsize         n_hashes,
                    guint32       sub_first,
                    guint32       sub_count)
{
  guint depth = depth_for (n_leaves);
  g_autofree Level *levels = g_new0 (Level, depth + 1);
  GByteArray *out = g_byte_array_new ();
  guint64 lo = first, hi = (guint64) first + count - 1;
  guint64 sub_lo = sub_first, sub_hi = (guint64) sub_first + sub_count - 1;
  gsize used = 0;

  g_return_val_if_fail (sub_count > 0 && sub_lo >= lo && sub_hi <= hi,
                        g_byte_array_free_to_bytes (out));
  levels[0].lo = lo;
  levels[0].n = count;
  levels[0].nodes = g_memdup2 (leaves, (gsize) count * HL_ID_LEN);
  for (guint level = 0; level < depth; level++)
    {
      Level *l = &levels[level];
      gsize n = l->n + (l->lo % 2 == 1) + ((l->lo + l->n - 1) % 2 == 0);
      guint8 *wide = g_malloc (n * HL_ID_LEN);
      gsize at = 0;

      /* Widen the level by the siblings the proof gives, then fold it. */
      if (l->lo % 2 == 1 && used < n_hashes)
        memcpy (wide + at++ * HL_ID_LEN, hashes + used++ * HL_ID_LEN, HL_ID_LEN);
      memcpy (wide + at * HL_ID_LEN, l->nodes, l->n * HL_ID_LEN);
      at += l->n;
      if ((l->lo + l->n - 1) % 2 == 0 && used < n_hashes)
        memcpy (wide + at++ * HL_ID_LEN, hashes + used++ * HL_ID_LEN, HL_ID_LEN);
      g_free (l->nodes);
      l->lo -= l->lo % 2;
      l->n = at;
      l->nodes = wide;
      levels[level + 1].lo = l->lo / 2;
      levels[level + 1].n = at / 2;
      levels[level + 1].nodes = g_malloc (MAX (at / 2, 1) * HL_ID_LEN);
      for (gsize i = 0; i < at / 2; i++)
        node (wide + 2 * i * HL_ID_LEN, wide + (2 * i + 1) * HL_ID_LEN,
              levels[level + 1].nodes + i * HL_ID_LEN);
    }
  for (guint level = 0; level < depth; level++)
    {
      const Level *l = &levels[level];

      if (sub_lo % 2 == 1)
        g_byte_array_append (out, l->nodes + (sub_lo - 1 - l->lo) * HL_ID_LEN, HL_ID_LEN);
      if (sub_hi % 2 == 0)
        g_byte_array_append (out, l->nodes + (sub_hi + 1 - l->lo) * HL_ID_LEN, HL_ID_LEN);
      sub_lo /= 2;
      sub_hi /= 2;
    }
  for (guint level = 0; level <= depth; level++)
    g_free (levels[level].nodes);
  return g_byte_array_free_to_bytes (out);
}
