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

/* Every frame the writer makes reads back, range by range, into the same
 * bytes: the decoder and the encoder agree. */
static void
assert_reencodes (const GByteArray *frame)
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

      assert_reencodes (msg);
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

/* A frame built by hand: the header, then @n bytes. */
static GByteArray *
frame_of (guint8        role,
          const guint8 *bytes,
          gsize         n)
{
  GByteArray *frame = g_byte_array_new ();
  guint8 header[2] = { HL_SYNC_FRAME_RECON, role };

  g_byte_array_append (frame, header, sizeof header);
  g_byte_array_append (frame, bytes, (guint) n);
  return frame;
}

static void
assert_refused (HlSyncSet    *set,
                const guint8 *frame,
                gsize         len,
                const char   *why)
{
  HlReconParams params;
  HlReconResult result = { 0 };
  g_autoptr(GError) error = NULL;

  hl_recon_params_default (&params);
  g_test_message ("refused: %s", why);
  g_assert_false (hl_recon_process (set, &params, frame, len, &result, &error));
  g_assert_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL);
  hl_recon_result_clear (&result);
}

/* The reply to @frame, which must be accepted. */
static GByteArray *
reply_to (HlSyncSet    *set,
          const guint8 *frame,
          gsize         len)
{
  HlReconParams params;
  HlReconResult result = { 0 };
  g_autoptr(GError) error = NULL;
  GByteArray *reply;

  hl_recon_params_default (&params);
  g_assert_true (hl_recon_process (set, &params, frame, len, &result, &error));
  g_assert_no_error (error);
  reply = g_steal_pointer (&result.reply);
  hl_recon_result_clear (&result);
  return reply;
}

static void
test_hostile_frames (void)
{
  HlSyncSet *set = hl_sync_set_new ();
  const guint8 frames[][12] = {
    { HL_SYNC_FRAME_RECON, 7 },                                  /* bad role */
    { HL_SYNC_FRAME_RECON, 0, 0x80 },                            /* truncated varint */
    { HL_SYNC_FRAME_RECON, 0, 0, 33 },                           /* prefix too long */
    { HL_SYNC_FRAME_RECON, 0, 0, 0, 9 },                         /* unknown mode */
    { HL_SYNC_FRAME_RECON, 0, 0, 0, 1, 1, 2 },                   /* short fingerprint */
    { HL_SYNC_FRAME_RECON, 0, 0, 0, 2, 0xff, 0xff, 0x0f },       /* id list past the end */
    { HL_SYNC_FRAME_RECON, 0, 5, 1, 5, 0, 1, 1, 1, 0 },          /* bounds going back */
    { HL_SYNC_FRAME_RECON, 0, 1, 0, 0 },                         /* ends where it starts: (0, empty) */
    { HL_SYNC_FRAME_RECON, 0, 0x81, 0x00, 0, 0 },                /* t = 1 padded to two bytes */
    { HL_SYNC_FRAME_RECON, 0, 2, 0x80, 0x00, 0 },                /* p = 0 padded */
    { HL_SYNC_FRAME_RECON, 0, 2, 0, 0x82, 0x00 },                /* mode 2 padded */
  };
  const gsize lens[] = { 2, 3, 4, 5, 7, 8, 10, 5, 6, 6, 6 };
  guint8 id[HL_ID_LEN] = { 1 };

  hl_sync_set_add (set, 10, id);
  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    assert_refused (set, frames[i], lens[i], "a malformed frame");
  hl_sync_set_free (set);
}

/* varints: the shortest encoding only, at most 64 bits. */
static void
test_varint_forms (void)
{
  static const struct { guint8 bytes[11]; gsize len; gboolean ok; guint64 value; } cases[] = {
    { { 0x00 }, 1, TRUE, 0 },
    { { 0x7f }, 1, TRUE, 127 },
    { { 0x80, 0x01 }, 2, TRUE, 128 },
    { { 0x80, 0x00 }, 2, FALSE, 0 },                               /* 0 with a padding byte */
    { { 0xff, 0x80, 0x00 }, 3, FALSE, 0 },                         /* 127 padded */
    { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 10, TRUE, G_MAXUINT64 },
    { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 }, 10, FALSE, 0 },  /* bit 64 */
    { { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, 11, FALSE, 0 },
    { { 0x80 }, 1, FALSE, 0 },                                     /* runs past the end */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const guint8 *p = cases[i].bytes;
      guint64 value = 0;

      g_assert_cmpint (hl_sync_get_varint (&p, cases[i].bytes + cases[i].len, &value), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_autoptr(GByteArray) again = g_byte_array_new ();

          g_assert_cmpuint (value, ==, cases[i].value);
          g_assert_true (p == cases[i].bytes + cases[i].len);
          hl_sync_put_varint (again, value);
          g_assert_cmpmem (again->data, again->len, cases[i].bytes, cases[i].len);
        }
      else
        g_assert_true (p == cases[i].bytes);
    }
}

/* ∞ carries a prefix length, which must be 0, and nothing follows it. */
static void
test_infinity_bound (void)
{
  HlSyncSet *set = hl_sync_set_new ();
  guint8 id[HL_ID_LEN] = { 7 };
  static const guint8 with_prefix[] = { 0, 1, 0xaa, 0 };           /* ∞ with one prefix byte */
  static const guint8 after[] = { 0, 0, 0, 1, 0, 0 };              /* a range after ∞ */
  static const guint8 inf_twice[] = { 0, 0, 0, 0, 0, 0 };          /* [∞, ∞) */
  static const guint8 plain[] = { 0, 0, 2, 0 };                    /* [(0), ∞) IdList of none */
  g_autoptr(GByteArray) a = frame_of (0, with_prefix, sizeof with_prefix);
  g_autoptr(GByteArray) b = frame_of (0, after, sizeof after);
  g_autoptr(GByteArray) c = frame_of (0, inf_twice, sizeof inf_twice);
  g_autoptr(GByteArray) d = frame_of (0, plain, sizeof plain);
  g_autoptr(GByteArray) reply = NULL;

  hl_sync_set_add (set, 10, id);
  assert_refused (set, a->data, a->len, "∞ with a prefix");
  assert_refused (set, b->data, b->len, "a range after ∞");
  assert_refused (set, c->data, c->len, "∞ twice");
  /* The same frame without the extra bytes is fine: an empty id list means
   * the peer holds nothing, so the reply is done and our key is pushed. */
  reply = reply_to (set, d->data, d->len);
  g_assert_cmpuint (reply->len, ==, 2);
  hl_sync_set_free (set);
}

/* (ts, 00) and (ts, empty) are one bound: a range between them is empty
 * and refused, and either puts a key at (ts, 00…00) above it. */
static void
test_equal_padded_bounds (void)
{
  HlSyncSet *set = hl_sync_set_new ();
  guint8 zero[HL_ID_LEN] = { 0 }, high[HL_ID_LEN] = { 0x10 };
  /* t = 6: ts 5; then t = 1 (ts 5 again) with the prefix 00. */
  static const guint8 equal[] = { 6, 0, 0, 1, 1, 0x00, 0 };
  /* [(0), (5, ·)) and [(5, ·), ∞), both "I hold nothing here". */
  static const guint8 empty_prefix[] = { 6, 0, 2, 0, 0, 0, 2, 0 };
  static const guint8 zero_prefix[] = { 6, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0 };
  const guint8 *bodies[] = { empty_prefix, zero_prefix };
  const gsize lens[] = { sizeof empty_prefix, sizeof zero_prefix };
  g_autoptr(GByteArray) a = frame_of (0, equal, sizeof equal);

  hl_sync_set_add (set, 5, zero);
  hl_sync_set_add (set, 5, high);
  hl_sync_set_seal (set);
  assert_refused (set, a->data, a->len, "[(5, empty), (5, 00))");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GByteArray) frame = frame_of (0, bodies[i], lens[i]);
      HlReconParams params;
      HlReconResult result = { 0 };
      g_autoptr(GError) error = NULL;
      HlReconPush *push;

      hl_recon_params_default (&params);
      g_assert_true (hl_recon_process (set, &params, frame->data, frame->len, &result, &error));
      /* Both keys are in the second range, none in the first. */
      g_assert_cmpuint (result.pushes->len, ==, 1);
      push = g_ptr_array_index (result.pushes, 0);
      g_assert_cmpuint (push->lower.ts, ==, 5);
      g_assert_cmpuint (push->upper.ts, ==, G_MAXUINT64);
      g_assert_cmpint (hl_sync_bound_compare (hl_sync_set_item (set, 0), &push->lower), >=, 0);
      hl_recon_result_clear (&result);
    }
  hl_sync_set_free (set);
}

/* An id list is in increasing order, each prefix once. */
static void
test_idlist_order (void)
{
  HlSyncSet *set = hl_sync_set_new ();
  guint8 id[HL_ID_LEN] = { 3 };
  guint8 sorted[] = { 0, 0, 2, 2, 1,0,0,0,0,0,0,0, 2,0,0,0,0,0,0,0 };
  guint8 unsorted[] = { 0, 0, 2, 2, 2,0,0,0,0,0,0,0, 1,0,0,0,0,0,0,0 };
  guint8 repeated[] = { 0, 0, 2, 2, 1,0,0,0,0,0,0,0, 1,0,0,0,0,0,0,0 };
  g_autoptr(GByteArray) a = frame_of (0, sorted, sizeof sorted);
  g_autoptr(GByteArray) b = frame_of (0, unsorted, sizeof unsorted);
  g_autoptr(GByteArray) c = frame_of (0, repeated, sizeof repeated);
  g_autoptr(GByteArray) reply = NULL;
  HlReconParams params;
  HlReconResult result = { 0 };
  g_autoptr(GError) error = NULL;

  hl_sync_set_add (set, 10, id);
  hl_recon_params_default (&params);
  g_assert_true (hl_recon_process (set, &params, a->data, a->len, &result, &error));
  g_assert_cmpuint (result.wants->len, ==, 2);
  g_assert_cmpuint (result.pushes->len, ==, 1);
  hl_recon_result_clear (&result);
  assert_refused (set, b->data, b->len, "an id list out of order");
  assert_refused (set, c->data, c->len, "an id list with a repeat");
  hl_sync_set_free (set);
}

/* Our own id lists are sorted by prefix, not in key order. */
static void
test_idlist_written_sorted (void)
{
  HlSyncSet *set = hl_sync_set_new ();
  HlReconParams params;
  g_autoptr(GByteArray) frame = NULL;
  HlReconReader reader;
  HlReconRange range;
  g_autoptr(GError) error = NULL;
  guint8 late_small[HL_ID_LEN] = { 0x01 }, early_big[HL_ID_LEN] = { 0xf0 };

  hl_recon_params_default (&params);
  hl_sync_set_add (set, 2, late_small);
  hl_sync_set_add (set, 1, early_big);
  frame = hl_recon_initiate (set, &params);
  g_assert_true (hl_recon_reader_init (&reader, frame->data, frame->len, &error));
  g_assert_true (hl_recon_reader_next (&reader, &range, &error));
  g_assert_cmpint (range.mode, ==, HL_RECON_IDLIST);
  g_assert_cmpuint (range.n_prefixes, ==, 2);
  g_assert_cmpuint (range.prefixes[0], ==, 0x01);
  g_assert_cmpuint (range.prefixes[HL_SYNC_PREFIX_LEN], ==, 0xf0);
  hl_sync_set_free (set);
}

/* A trailing Skip, or two in a row, change nothing: accepted. */
static void
test_skips_accepted (void)
{
  HlSyncSet *set = hl_sync_set_new ();
  guint8 id[HL_ID_LEN] = { 9 };
  static const guint8 skips[] = { 3, 0, 0, 2, 0, 0, 0, 0, 0 };
  g_autoptr(GByteArray) frame = frame_of (1, skips, sizeof skips);
  g_autoptr(GByteArray) reply = NULL;

  hl_sync_set_add (set, 10, id);
  reply = reply_to (set, frame->data, frame->len);
  g_assert_cmpuint (reply->len, ==, 2);
  g_assert_cmpuint (reply->data[1], ==, HL_SYNC_RECON_INITIATOR);
  hl_sync_set_free (set);
}

/* Finite bounds stay below the value the reader keeps for ∞. */
static void
test_timestamp_overflow (void)
{
  HlSyncSet *set = hl_sync_set_new ();
  g_autoptr(GByteArray) ok = g_byte_array_new ();
  g_autoptr(GByteArray) over = NULL;
  guint8 header[2] = { HL_SYNC_FRAME_RECON, 0 };
  g_autoptr(GByteArray) reply = NULL;

  g_byte_array_append (ok, header, 2);
  hl_sync_put_varint (ok, G_MAXUINT64);      /* ts = 2^64 - 2 */
  hl_sync_put_varint (ok, 0);
  hl_sync_put_varint (ok, HL_RECON_SKIP);
  reply = reply_to (set, ok->data, ok->len);
  g_assert_cmpuint (reply->len, ==, 2);

  over = g_byte_array_new ();
  g_byte_array_append (over, ok->data, ok->len);
  hl_sync_put_varint (over, 2);               /* ts = 2^64 - 1: ∞'s value */
  hl_sync_put_varint (over, 0);
  hl_sync_put_varint (over, HL_RECON_SKIP);
  assert_refused (set, over->data, over->len, "a timestamp past 2^64 - 2");
  hl_sync_set_free (set);
}

/* Keys added in batches, in order or not, some twice, sealed between: the
 * set is the sorted union each time (seal merges in place). */
static void
test_seal_merges (void)
{
  HlSyncSet *set = hl_sync_set_new ();
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (HlSyncItem));
  GRand *rand = g_rand_new_with_seed (14);

  for (guint batch = 0; batch < 12; batch++)
    {
      guint n = g_rand_int_range (rand, 0, 3000);
      gboolean in_order = batch % 3 == 0;

      for (guint i = 0; i < n; i++)
        {
          HlSyncItem item = { 0 };

          if (all->len > 0 && g_rand_int_range (rand, 0, 10) == 0)
            item = g_array_index (all, HlSyncItem, g_rand_int_range (rand, 0, all->len));
          else
            {
              item.ts = in_order ? 1000000 * (batch + 1) + i : (guint64) g_rand_int_range (rand, 0, 50);
              randombytes_buf (item.id, sizeof item.id);
            }
          hl_sync_set_add (set, item.ts, item.id);
          g_array_append_val (all, item);
        }
      hl_sync_set_seal (set);
      {
        g_autoptr(GArray) expect = g_array_copy (all);
        guint out = 0;

        g_array_sort (expect, (GCompareFunc) hl_sync_item_compare);
        for (guint i = 0; i < expect->len; i++)
          if (out == 0 || hl_sync_item_compare (&g_array_index (expect, HlSyncItem, out - 1),
                                                &g_array_index (expect, HlSyncItem, i)) != 0)
            g_array_index (expect, HlSyncItem, out++) = g_array_index (expect, HlSyncItem, i);
        g_assert_cmpuint (hl_sync_set_size (set), ==, out);
        for (guint i = 0; i < out; i++)
          g_assert_cmpint (hl_sync_item_compare (hl_sync_set_item (set, i),
                                                 &g_array_index (expect, HlSyncItem, i)), ==, 0);
      }
    }
  g_rand_free (rand);
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
  g_test_add_func ("/reconcile/varint-forms", test_varint_forms);
  g_test_add_func ("/reconcile/infinity-bound", test_infinity_bound);
  g_test_add_func ("/reconcile/equal-padded-bounds", test_equal_padded_bounds);
  g_test_add_func ("/reconcile/idlist-order", test_idlist_order);
  g_test_add_func ("/reconcile/idlist-written-sorted", test_idlist_written_sorted);
  g_test_add_func ("/reconcile/skips-accepted", test_skips_accepted);
  g_test_add_func ("/reconcile/timestamp-overflow", test_timestamp_overflow);
  g_test_add_func ("/reconcile/seal-merges", test_seal_merges);
  return g_test_run ();
}
