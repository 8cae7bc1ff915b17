/* hl-sync-set.c: the reconciled set.
 *
 * Kept in memory because range fingerprints are sums over the keys in a
 * range: 100,000 events take 4 MB and a full pass takes well under a
 * millisecond, where SQLite would take tens of milliseconds a query.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-set.h"

#include <sodium.h>
#include <stdlib.h>

/* Keys a pending buffer may keep room for between seals. */
#define PENDING_KEEP 4096

struct _HlSyncSet
{
  GArray *items;      /* HlSyncItem, sorted, unique */
  GArray *pending;    /* added since the last seal */
};

HlSyncSet *
hl_sync_set_new (void)
{
  HlSyncSet *self = g_new0 (HlSyncSet, 1);

  self->items = g_array_new (FALSE, FALSE, sizeof (HlSyncItem));
  self->pending = g_array_new (FALSE, FALSE, sizeof (HlSyncItem));
  return self;
}

void
hl_sync_set_free (HlSyncSet *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->items);
  g_array_unref (self->pending);
  g_free (self);
}

int
hl_sync_item_compare (const HlSyncItem *a,
                      const HlSyncItem *b)
{
  if (a->ts != b->ts)
    return a->ts < b->ts ? -1 : 1;
  return memcmp (a->id, b->id, HL_ID_LEN);
}

static int
item_cmp (const void *a,
          const void *b)
{
  return hl_sync_item_compare (a, b);
}

int
hl_sync_bound_compare (const HlSyncItem  *item,
                       const HlSyncBound *bound)
{
  int c;

  if (bound->ts == G_MAXUINT64)
    return -1;
  if (item->ts != bound->ts)
    return item->ts < bound->ts ? -1 : 1;
  /* The bound's id is padded with zeros: an id sharing its prefix is above. */
  c = memcmp (item->id, bound->id, bound->len);
  return c != 0 ? c : 1;
}

void
hl_sync_bound_between (const HlSyncItem *a,
                       const HlSyncItem *b,
                       HlSyncBound      *out)
{
  guint common = 0;

  memset (out, 0, sizeof *out);
  out->ts = b->ts;
  if (a->ts != b->ts)
    return;
  while (common < HL_ID_LEN && a->id[common] == b->id[common])
    common++;
  out->len = MIN (common + 1, HL_ID_LEN);
  memcpy (out->id, b->id, out->len);
}

guint64
hl_sync_id_prefix (const guint8 *id)
{
  guint64 v = 0;

  for (guint i = 0; i < HL_SYNC_PREFIX_LEN; i++)
    v = (v << 8) | id[i];
  return v;
}

void
hl_sync_set_add (HlSyncSet    *self,
                 guint64       ts,
                 const guint8 *id)
{
  HlSyncItem item;

  item.ts = ts;
  memcpy (item.id, id, HL_ID_LEN);
  g_array_append_val (self->pending, item);
}

void
hl_sync_set_remove (HlSyncSet  *self,
                    GHashTable *ids)
{
  guint out = 0;

  hl_sync_set_seal (self);
  for (guint i = 0; i < self->items->len; i++)
    {
      HlSyncItem *item = &g_array_index (self->items, HlSyncItem, i);

      if (g_hash_table_contains (ids, item->id))
        continue;
      if (out != i)
        g_array_index (self->items, HlSyncItem, out) = *item;
      out++;
    }
  g_array_set_size (self->items, out);
}

static gboolean
is_sorted (GArray *items)
{
  for (guint i = 1; i < items->len; i++)
    if (hl_sync_item_compare (&g_array_index (items, HlSyncItem, i - 1),
                              &g_array_index (items, HlSyncItem, i)) > 0)
      return FALSE;
  return TRUE;
}

/* Merges the sorted @add into the sorted @items in place, from the back:
 * no second copy of the set, whose size is the point. */
static void
merge_into (GArray *items,
            GArray *add)
{
  guint n = items->len, k = add->len;
  HlSyncItem *a, *b;

  g_array_set_size (items, n + k);
  a = (HlSyncItem *) items->data;
  b = (HlSyncItem *) add->data;
  while (k > 0)
    {
      if (n > 0 && hl_sync_item_compare (&a[n - 1], &b[k - 1]) > 0)
        {
          a[n + k - 1] = a[n - 1];
          n--;
        }
      else
        {
          a[n + k - 1] = b[k - 1];
          k--;
        }
    }
}

void
hl_sync_set_seal (HlSyncSet *self)
{
  guint out = 0;

  if (self->pending->len == 0)
    return;
  /* Keys arrive mostly in order (a load, a range streamed by a peer): then
   * there is nothing to sort. glibc's qsort, a merge sort, would allocate a
   * copy of them. */
  if (!is_sorted (self->pending))
    qsort (self->pending->data, self->pending->len, sizeof (HlSyncItem), item_cmp);
  if (self->items->len == 0)
    {
      /* The first seal of a loaded set: take the pending array as it is, so
       * that a million keys are not held twice (80 MB instead of 40). */
      GArray *swap = self->items;
      self->items = self->pending;
      self->pending = swap;
    }
  else
    merge_into (self->items, self->pending);
  if (self->pending->len > PENDING_KEEP)
    {
      /* A big batch leaves no big buffer behind. */
      g_array_unref (self->pending);
      self->pending = g_array_new (FALSE, FALSE, sizeof (HlSyncItem));
    }
  else
    g_array_set_size (self->pending, 0);
  for (guint i = 0; i < self->items->len; i++)
    {
      HlSyncItem *item = &g_array_index (self->items, HlSyncItem, i);

      if (out > 0 && hl_sync_item_compare (&g_array_index (self->items, HlSyncItem, out - 1), item) == 0)
        continue;
      if (out != i)
        g_array_index (self->items, HlSyncItem, out) = *item;
      out++;
    }
  g_array_set_size (self->items, out);
}

guint
hl_sync_set_size (HlSyncSet *self)
{
  return self->items->len;
}

const HlSyncItem *
hl_sync_set_item (HlSyncSet *self,
                  guint      index)
{
  return &g_array_index (self->items, HlSyncItem, index);
}

guint
hl_sync_set_lower_bound (HlSyncSet         *self,
                         const HlSyncBound *bound)
{
  guint lo = 0, hi = self->items->len;

  if (bound->ts == G_MAXUINT64)
    return hi;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (hl_sync_bound_compare (&g_array_index (self->items, HlSyncItem, mid), bound) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
hl_sync_set_fingerprint (HlSyncSet *self,
                         guint      from,
                         guint      to,
                         guint8    *out)
{
  guint64 sum[4] = { 0, 0, 0, 0 };
  guint8 buf[HL_ID_LEN + 10];
  g_autoptr(GByteArray) count = g_byte_array_new ();

  for (guint i = from; i < to; i++)
    {
      const guint8 *id = g_array_index (self->items, HlSyncItem, i).id;
      guint64 carry = 0;

      for (guint limb = 0; limb < 4; limb++)
        {
          guint64 word = 0, s;

          for (guint b = 0; b < 8; b++)
            word |= (guint64) id[limb * 8 + b] << (8 * b);
          s = sum[limb] + word;
          guint64 c1 = s < word;
          s += carry;
          carry = c1 | (s < carry);
          sum[limb] = s;
        }
    }
  for (guint limb = 0; limb < 4; limb++)
    for (guint b = 0; b < 8; b++)
      buf[limb * 8 + b] = (sum[limb] >> (8 * b)) & 0xff;
  hl_sync_put_varint (count, to - from);
  memcpy (buf + HL_ID_LEN, count->data, count->len);
  crypto_generichash (out, HL_SYNC_FP_LEN, buf, HL_ID_LEN + count->len, NULL, 0);
}
