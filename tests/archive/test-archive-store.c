/* test-archive-store.c: sealing into a real store, and what it does to the
 * reconciled set; late events, deletes, two devices sealing at once; the
 * merge rules of holders and policies (docs/protocol.md, "Archive").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <sqlite3.h>

#include "hl-archive-test.h"
#include "hl-store-recheck.h"
#include "hl-store-sync.h"
#include "hl-test-util.h"

static void
assert_same_keys (GPtrArray *a,
                  GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
}

/* What the node loads at start and what it adds row by row agree. */
static guint
assert_sets_agree (Device *d)
{
  g_autoptr(GPtrArray) start = device_set_at_start (d);
  g_autoptr(GPtrArray) scan = device_set_by_scan (d);

  assert_same_keys (start, scan);
  return start->len;
}

static gint64
archived_events (Device *d)
{
  return device_count (d, "SELECT count(*) FROM events WHERE archived IS NOT NULL");
}

/* The plaintext of a current segment, rebuilt with the codec from this
 * device's own share and decrypted here (not by hl_archive_decode). */
static GBytes *
plaintext_of (Device             *d,
              const HlSegmentRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlPlacement) placement = NULL;
  g_autoptr(GBytes) symbols = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autoptr(HlCodecDecoder) decoder = hl_codec_decoder_new (&row->manifest.codec, &error);
  g_autoptr(GBytes) cipher = NULL;
  guint8 sig[HL_SIG_LEN], ks[32], k[32], nonce[24], header[HL_ARCHIVE_HEADER_BYTES];
  const HlSegmentManifest *m = &row->manifest;
  gboolean held;
  HlEsiRange r;
  guint8 *plain;
  unsigned long long plain_len;
  gsize len;
  const guint8 *data;

  g_assert_no_error (error);
  placement = device_place (d, m);
  g_assert_true (hl_placement_range (placement, hl_identity_get_public_key (d->identity), 0, &r));
  symbols = hl_archive_read_run (d->archive, row->rowid, 0, r.first, r.count, &proof, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (symbols, &len);
  for (guint32 i = 0; i < r.count; i++)
    g_assert_true (hl_codec_decoder_add_symbol (decoder, 0, r.first + i,
                                                data + (gsize) i * HL_ARCHIVE_SYMBOL_SIZE,
                                                HL_ARCHIVE_SYMBOL_SIZE, NULL));
  g_assert_true (hl_codec_decoder_decode (decoder, &error));
  cipher = hl_codec_decoder_steal_object (decoder);
  g_assert_true (hl_store_archive_subnet_create (d->store, m->subnet, sig, &held, &error));
  g_assert_true (held);
  hl_archive_subnet_key (m->subnet, sig, ks);
  hl_archive_segment_key (ks, m->subnet, m->year, m->month, m->gen, m->part, k);
  hl_archive_segment_nonce (k, m->hash, nonce);
  hl_archive_header (m->subnet, m->year, m->month, m->gen, m->part, m->parts, m->count, header);
  data = g_bytes_get_data (cipher, &len);
  plain = g_malloc (len);
  g_assert_cmpint (crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &plain_len, NULL, data, len,
                                                               header, HL_ARCHIVE_AD_BYTES, nonce,
                                                               k), ==, 0);
  return g_bytes_new_take (plain, (gsize) plain_len);
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static const HlSegmentRow *
current_of_month (GPtrArray *current,
                  guint      month)
{
  for (guint i = 0; i < current->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (current, i);

      if (row->manifest.month == month)
        return row;
    }
  return NULL;
}

/* Sealing two old months: the segments are current and verified, their
 * events leave the reconciled set (both ways of building it agree), and
 * the subnet's create, the manifests and the holder event stay in it. */
static void
test_seal_and_contain (void)
{
  g_autoptr(Device) a = device_new ("seal", 1);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GError) error = NULL;
  guint8 subnet[HL_ID_LEN];
  HlArchiveReport report;
  gint64 epoch;

  forum = forum_new (author, 2, 5, 3, subnet);
  device_receive (a, forum);
  g_assert_cmpuint (assert_sets_agree (a), ==, 41);
  epoch = hl_store_sync_containment_epoch (a->store, &error);

  report = device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_true (report.announced);
  g_assert_cmpuint (report.sealed, ==, 2);
  g_assert_cmpuint (report.verified, ==, 2);
  g_assert_cmpuint (report.events_sealed, ==, 40);
  g_assert_cmpuint (report.symbols_written, >, 0);
  current = device_current (a);
  g_assert_cmpuint (current->len, ==, 2);
  for (guint i = 0; i < current->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (current, i);

      g_assert_cmpuint (row->manifest.gen, ==, 1);
      g_assert_cmpuint (row->manifest.count, ==, 20);
      g_assert_cmpint (row->verified_ms, >, 0);
    }
  g_assert_cmpint (archived_events (a), ==, 40);
  /* subnet.create, two manifests, one holder event. */
  g_assert_cmpuint (assert_sets_agree (a), ==, 4);
  g_assert_cmpint (hl_store_sync_containment_epoch (a->store, &error), >, epoch);

  /* Nothing to do the second time. */
  report = device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_cmpuint (report.sealed, ==, 0);
  g_assert_cmpuint (report.symbols_written, ==, 0);
  g_assert_false (report.announced);
}

/* A month that has not ended seal-after ago is sealed only with --all. */
static void
test_horizon (void)
{
  g_autoptr(Device) a = device_new ("horizon", 1);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(HlEvent) create = hl_test_event (author, HL_KIND_SUBNET_CREATE,
                                             (guint64) hl_now_ms () - 2 * DAY_MS, 0, NULL,
                                             "{\"name\":\"now\"}");
  g_autoptr(HlEvent) thread = hl_test_event (author, HL_KIND_THREAD_CREATE,
                                             (guint64) hl_now_ms () - DAY_MS, 0, create->id,
                                             "{\"title\":\"Today\",\"body\":\"\"}");
  HlArchiveReport report;

  device_receive_one (a, create);
  device_receive_one (a, thread);
  report = device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_cmpuint (report.sealed, ==, 0);
  report = device_maintain (a, HL_ARCHIVE_SEAL_ALL);
  g_assert_cmpuint (report.sealed, >=, 1);
  g_assert_cmpint (archived_events (a), ==, 1);
}

/* A device that has not verified the segments keeps their events in its
 * set; once it has rebuilt them from its own events with the same hash,
 * they leave it there too. A device without the events cannot verify. */
static void
test_verify_by_recompute (void)
{
  g_autoptr(Device) a = device_new ("sealer", 1);
  g_autoptr(Device) b = device_new ("peer", 2);
  g_autoptr(Device) c = device_new ("newcomer", 3);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  guint8 subnet[HL_ID_LEN];
  HlArchiveReport report;

  forum = forum_new (author, 2, 5, 3, subnet);
  device_receive (a, forum);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);

  device_sync (a, b, TRUE);
  g_assert_cmpint (archived_events (b), ==, 0);
  g_assert_cmpuint (assert_sets_agree (b), ==, 44);
  report = device_maintain (b, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_cmpuint (report.sealed, ==, 0);
  g_assert_cmpuint (report.verified, ==, 2);
  g_assert_cmpint (archived_events (b), ==, 40);
  /* Its own holder event joined the four. */
  g_assert_cmpuint (assert_sets_agree (b), ==, 5);

  /* Only what a's set offers: manifests, but not the archived events. */
  device_sync (a, c, FALSE);
  report = device_maintain (c, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_cmpuint (report.verified, ==, 0);
  g_assert_cmpuint (report.sealed, ==, 0);
  g_assert_cmpint (archived_events (c), ==, 0);
  assert_sets_agree (c);
}

/* A reply that arrives late for a sealed month: resealed as gen 2 after
 * the random delay (or at once when asked), gen 1 superseded, its symbols
 * dropped once this device holds its share of gen 2. */
static void
test_late_event (void)
{
  g_autoptr(Device) a = device_new ("late", 1);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(HlEvent) late = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  const HlSegmentRow *march;
  guint8 subnet[HL_ID_LEN];
  HlArchiveReport report;
  gint64 march_gen1;

  forum = forum_new (author, 2, 5, 3, subnet);
  device_receive (a, forum);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  current = device_current (a);
  march_gen1 = current_of_month (current, 3)->rowid;
  g_clear_pointer (&current, g_ptr_array_unref);

  /* Stamped in March, answering the first thread of March. */
  late = hl_test_event (author, HL_KIND_REPLY_CREATE, MARCH_2024 + 10 * DAY_MS, 0,
                        ((HlEvent *) g_ptr_array_index (forum, 1))->id,
                        "{\"body\":\"Sorry I am late: qzv-late-words\"}");
  device_receive_one (a, late);
  g_assert_cmpuint (assert_sets_agree (a), ==, 5);

  /* The first look only schedules the reseal, up to a minute later. */
  report = device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_cmpuint (report.resealed, ==, 0);
  hl_archive_set_now (a->archive, hl_now_ms () + 61000);
  report = device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_cmpuint (report.resealed, ==, 1);
  hl_archive_set_now (a->archive, 0);

  current = device_current (a);
  march = current_of_month (current, 3);
  g_assert_cmpuint (march->manifest.gen, ==, 2);
  g_assert_cmpuint (march->manifest.count, ==, 21);
  {
    /* The manifest names the one it replaces (the row keeps only content). */
    g_autoptr(HlEvent) event = hl_store_get_event (a->store, march->manifest_id, NULL);
    g_auto(HlSegmentManifest) m = { { 0 } };

    g_assert_true (hl_segment_manifest_read (event, &m, NULL));
    g_assert_true (m.has_supersedes);
  }
  g_assert_cmpuint (current_of_month (current, 4)->manifest.gen, ==, 1);
  g_assert_cmpint (archived_events (a), ==, 41);
  /* The two new manifest and the one event: only the manifests stay. */
  g_assert_cmpuint (assert_sets_agree (a), ==, 5);
  g_assert_cmpint (hl_store_archive_count_symbols (a->store, march_gen1, -1, 0, 0, NULL), ==, 0);
  plaintext = plaintext_of (a, march);
  g_assert_true (bytes_contain (plaintext, "qzv-late-words"));
}

/* A contained thread is deleted: its month is resealed without it (and
 * without its replies, which lost their subnet), the old generation's
 * symbols are gone, and its text is nowhere in the data directory. */
static void
test_delete (void)
{
  g_autoptr(Device) a = device_new ("delete", 1);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(HlEvent) doomed = NULL;
  g_autoptr(HlEvent) answer = NULL;
  g_autoptr(HlEvent) delete = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *marker = g_strdup_printf ("qzv%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *where = NULL;
  const HlSegmentRow *march;
  guint8 subnet[HL_ID_LEN];
  gint64 march_gen1;

  forum = forum_new (author, 2, 5, 3, subnet);
  doomed = hl_test_event (author, HL_KIND_THREAD_CREATE, MARCH_2024 + 12 * DAY_MS, 0, subnet,
                          "{\"title\":\"Regrets\",\"body\":\"%s\"}", marker);
  answer = hl_test_event (author, HL_KIND_REPLY_CREATE, MARCH_2024 + 13 * DAY_MS, 0, doomed->id,
                          "{\"body\":\"an answer\"}");
  g_ptr_array_add (forum, hl_event_copy (doomed));
  g_ptr_array_add (forum, hl_event_copy (answer));
  device_receive (a, forum);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  current = device_current (a);
  march = current_of_month (current, 3);
  march_gen1 = march->rowid;
  g_assert_cmpuint (march->manifest.count, ==, 22);
  plaintext = plaintext_of (a, march);
  g_assert_true (bytes_contain (plaintext, marker));
  g_clear_pointer (&plaintext, g_bytes_unref);
  g_clear_pointer (&current, g_ptr_array_unref);

  delete = hl_test_event (author, HL_KIND_DELETE, (guint64) hl_now_ms () - 1000, 0, doomed->id,
                          "{}");
  device_receive_one (a, delete);
  device_maintain (a, HL_ARCHIVE_RESEAL_NOW);

  current = device_current (a);
  march = current_of_month (current, 3);
  g_assert_cmpuint (march->manifest.gen, ==, 2);
  /* The thread is erased; its reply has no subnet any more. */
  g_assert_cmpuint (march->manifest.count, ==, 20);
  plaintext = plaintext_of (a, march);
  g_assert_false (bytes_contain (plaintext, marker));
  g_assert_cmpint (hl_store_archive_count_symbols (a->store, march_gen1, -1, 0, 0, NULL), ==, 0);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM archive_symbols WHERE key >> 32 IN "
                                    "(SELECT rowid FROM archive_segments WHERE state != 1)"),
                   ==, 0);
  /* The orphaned reply is held, not contained: it is in the set again. */
  g_assert_cmpuint (assert_sets_agree (a), ==, 7);
  g_assert_true (hl_store_flush_deletions (a->store, &error));
  g_assert_no_error (error);
  where = hl_test_files_holding (a->dir, marker);
  g_assert_cmpstr (where, ==, "");
}

static void
manifests_only (Device *from,
                Device *to)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GPtrArray) all = device_set_at_start (from);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < all->len; i++)
    {
      const char *key = g_ptr_array_index (all, i);
      guint8 id[HL_ID_LEN];
      g_autoptr(HlEvent) event = NULL;

      g_assert_true (hl_hex_decode (strchr (key, '/') + 1, id, HL_ID_LEN));
      event = hl_store_get_event (from->store, id, &error);
      g_assert_no_error (error);
      if (strcmp (event->kind, HL_KIND_ARCHIVE_SEGMENT) == 0 ||
          strcmp (event->kind, HL_KIND_ARCHIVE_HOLDER) == 0)
        g_ptr_array_add (events, g_steal_pointer (&event));
    }
  device_receive (to, events);
}

/* Gives @to the share @from keeps of segment @row (as the network part
 * would, run by run with its proof), then decodes it there. */
static void
copy_share_and_decode (Device             *from,
                       Device             *to,
                       const HlSegmentRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlPlacement) placement = device_place (from, &row->manifest);
  g_autoptr(GArray) ranges = hl_placement_ranges (placement,
                                                  hl_identity_get_public_key (from->identity));
  g_autoptr(HlSegmentRow) there = hl_store_archive_find_manifest (to->store, row->manifest_id,
                                                                 &error);
  HlArchiveDecodeStats stats;

  g_assert_no_error (error);
  g_assert_cmpuint (ranges->len, >, 0);
  for (guint i = 0; i < ranges->len; i++)
    {
      const HlEsiRange *r = &g_array_index (ranges, HlEsiRange, i);
      g_autoptr(GBytes) proof = NULL;
      g_autoptr(GBytes) symbols = hl_archive_read_run (from->archive, row->rowid, r->sbn,
                                                       r->first, r->count, &proof, &error);
      guint stored;

      g_assert_no_error (error);
      g_assert_true (hl_archive_store_run (to->archive, there->rowid, r->sbn, r->first, r->count,
                                           symbols, proof, &stored, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (stored, >, 0);
    }
  g_assert_true (hl_archive_decode (to->archive, there->rowid, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.events, ==, row->manifest.count);
}

static const HlSegmentRow *
march_of (Device    *d,
          GPtrArray **keep)
{
  *keep = device_current (d);
  return current_of_month (*keep, 3);
}

/* Two devices seal the same events at once: their manifests describe the
 * same bytes and share one segment. Then each gets a different late event
 * and both reseal at once: both pick the same current generation (the
 * smallest set hash); the one that lost reseals the union after sync. */
static void
test_concurrent_reseal (void)
{
  g_autoptr(Device) a = device_new ("twin-a", 1);
  g_autoptr(Device) b = device_new ("twin-b", 2);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(GPtrArray) keep_a = NULL;
  g_autoptr(GPtrArray) keep_b = NULL;
  g_autoptr(HlEvent) late_a = NULL;
  g_autoptr(HlEvent) late_b = NULL;
  const HlSegmentRow *ma, *mb;
  guint8 subnet[HL_ID_LEN];

  forum = forum_new (author, 1, 4, 2, subnet);
  device_receive (a, forum);
  device_receive (b, forum);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_maintain (b, HL_ARCHIVE_MAINTAIN_DEFAULT);
  manifests_only (a, b);
  manifests_only (b, a);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM archive_manifests"), ==, 2);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM archive_segments"), ==, 1);
  g_assert_cmpint (device_count (b, "SELECT count(*) FROM archive_segments"), ==, 1);
  /* With a second holder known, each keeps its own share of the one segment. */
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_maintain (b, HL_ARCHIVE_MAINTAIN_DEFAULT);

  late_a = hl_test_event (author, HL_KIND_REPLY_CREATE, MARCH_2024 + 20 * DAY_MS, 0,
                          ((HlEvent *) g_ptr_array_index (forum, 1))->id, "{\"body\":\"late a\"}");
  late_b = hl_test_event (author, HL_KIND_REPLY_CREATE, MARCH_2024 + 21 * DAY_MS, 0,
                          ((HlEvent *) g_ptr_array_index (forum, 1))->id, "{\"body\":\"late b\"}");
  device_receive_one (a, late_a);
  device_receive_one (b, late_b);
  device_maintain (a, HL_ARCHIVE_RESEAL_NOW);
  device_maintain (b, HL_ARCHIVE_RESEAL_NOW);
  manifests_only (a, b);
  manifests_only (b, a);
  ma = march_of (a, &keep_a);
  mb = march_of (b, &keep_b);
  g_assert_cmpuint (ma->manifest.gen, ==, 2);
  g_assert_cmpmem (ma->manifest.set, HL_ID_LEN, mb->manifest.set, HL_ID_LEN);
  /* Exactly one of them made it, and only that one could verify it. */
  g_assert_true ((ma->verified_ms != 0) != (mb->verified_ms != 0));
  assert_sets_agree (a);
  assert_sets_agree (b);

  /* Ordinary sync of what each set offers: the winner gets the loser's
   * late event (uncontained there) and reseals the union as gen 3; the
   * loser, which lacks the winner's late event, decodes gen 3 from the
   * winner's share (the network part moves it; here it is copied). */
  device_sync (a, b, FALSE);
  device_sync (b, a, FALSE);
  {
    Device *winner = ma->verified_ms != 0 ? a : b, *loser = winner == a ? b : a;
    const HlSegmentRow *gen3;
    g_autoptr(GPtrArray) keep = NULL;

    device_maintain (winner, HL_ARCHIVE_RESEAL_NOW);
    manifests_only (winner, loser);
    manifests_only (loser, winner);
    gen3 = march_of (winner, &keep);
    g_assert_cmpuint (gen3->manifest.gen, ==, 3);
    copy_share_and_decode (winner, loser, gen3);
    device_maintain (loser, HL_ARCHIVE_RESEAL_NOW);
    device_maintain (winner, HL_ARCHIVE_RESEAL_NOW);
  }
  g_clear_pointer (&keep_a, g_ptr_array_unref);
  g_clear_pointer (&keep_b, g_ptr_array_unref);
  ma = march_of (a, &keep_a);
  mb = march_of (b, &keep_b);
  g_assert_cmpuint (ma->manifest.gen, ==, 3);
  g_assert_cmpuint (ma->manifest.count, ==, 14);
  g_assert_cmpmem (ma->manifest.hash, HL_ID_LEN, mb->manifest.hash, HL_ID_LEN);
  g_assert_cmpint (ma->verified_ms, >, 0);
  g_assert_cmpint (mb->verified_ms, >, 0);
  g_assert_cmpint (archived_events (a), ==, 14);
  g_assert_cmpint (archived_events (b), ==, 14);
  {
    g_autoptr(GPtrArray) set_a = device_set_at_start (a);
    g_autoptr(GPtrArray) set_b = device_set_at_start (b);

    assert_same_keys (set_a, set_b);
    assert_sets_agree (a);
    assert_sets_agree (b);
  }
}

/* The latest holder event of each author counts, in any order; quota 0
 * and silence beyond the grace period leave the set. Only the owner's
 * policy counts, the latest. */
static void
test_holders_and_policy (void)
{
  g_autoptr(Device) a = device_new ("rules", 1);
  g_autoptr(Device) b = device_new ("rules-b", 2);
  g_autoptr(HlIdentity) owner = hl_test_identity (9);
  g_autoptr(HlIdentity) other = hl_test_identity (10);
  g_autoptr(HlIdentity) gone = hl_test_identity (11);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GPtrArray) reversed = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) create = NULL;
  guint64 now = (guint64) hl_now_ms ();
  gint lose;
  gboolean set;

  create = hl_test_event (owner, HL_KIND_SUBNET_CREATE, now - 100 * DAY_MS, 0, NULL,
                          "{\"name\":\"rules\"}");
  g_ptr_array_add (events, hl_event_copy (create));
  g_ptr_array_add (events, hl_test_event (owner, HL_KIND_ARCHIVE_HOLDER, now - 3 * DAY_MS, 0,
                                          NULL, "{\"quota\":1000}"));
  g_ptr_array_add (events, hl_test_event (owner, HL_KIND_ARCHIVE_HOLDER, now - 2 * DAY_MS, 0,
                                          NULL, "{\"quota\":5000}"));
  g_ptr_array_add (events, hl_test_event (other, HL_KIND_ARCHIVE_HOLDER, now - 2 * DAY_MS, 0,
                                          NULL, "{\"quota\":1}"));
  g_ptr_array_add (events, hl_test_event (other, HL_KIND_ARCHIVE_HOLDER, now - DAY_MS, 0, NULL,
                                          "{\"quota\":0}"));
  g_ptr_array_add (events, hl_test_event (gone, HL_KIND_ARCHIVE_HOLDER, now - 8 * DAY_MS, 0,
                                          NULL, "{\"quota\":7}"));
  g_ptr_array_add (events, hl_test_event (owner, HL_KIND_ARCHIVE_POLICY, now - 3 * DAY_MS, 0,
                                          create->id, "{\"lose\":3}"));
  g_ptr_array_add (events, hl_test_event (owner, HL_KIND_ARCHIVE_POLICY, now - 2 * DAY_MS, 0,
                                          create->id, "{\"lose\":\"half\"}"));
  g_ptr_array_add (events, hl_test_event (other, HL_KIND_ARCHIVE_POLICY, now - DAY_MS, 0,
                                          create->id, "{\"lose\":9}"));
  for (guint i = events->len; i > 0; i--)
    g_ptr_array_add (reversed, g_ptr_array_index (events, i - 1));
  device_receive (a, events);
  device_receive (b, reversed);

  for (guint d = 0; d < 2; d++)
    {
      Device *dev = d == 0 ? a : b;
      g_autoptr(GArray) holders = NULL;
      g_autoptr(GArray) everyone = NULL;

      holders = hl_store_archive_list_holders (dev->store, (gint64) now - 7 * (gint64) DAY_MS,
                                               &error);
      g_assert_no_error (error);
      g_assert_cmpuint (holders->len, ==, 1);
      g_assert_cmpmem (g_array_index (holders, HlArchiveHolder, 0).key, HL_KEY_LEN,
                       hl_identity_get_public_key (owner), HL_KEY_LEN);
      g_assert_cmpuint (g_array_index (holders, HlArchiveHolder, 0).quota, ==, 5000);
      everyone = hl_store_archive_list_holders (dev->store, 0, &error);
      g_assert_cmpuint (everyone->len, ==, 2);
      g_assert_true (hl_store_archive_get_policy (dev->store, create->id, &lose, &set, &error));
      g_assert_true (set);
      g_assert_cmpint (lose, ==, HL_ARCHIVE_LOSE_HALF);
    }
  /* The owner says 3 later still: 3. */
  {
    g_autoptr(HlEvent) three = hl_test_event (owner, HL_KIND_ARCHIVE_POLICY, now - 1000, 0,
                                              create->id, "{\"lose\":3}");

    device_receive_one (a, three);
    g_assert_true (hl_store_archive_get_policy (a->store, create->id, &lose, &set, &error));
    g_assert_cmpint (lose, ==, 3);
  }
}

static void
raw_sql (Device     *d,
         const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (d->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A database from before the archive's kinds were known holds them as
 * unknown kinds: the re-check removes those the rules now refuse and
 * materialises the others. */
static void
test_upgrade (void)
{
  g_autoptr(Device) sealer = device_new ("upgrade-sealer", 1);
  g_autoptr(Device) old = device_new ("upgrade-old", 2);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(HlEvent) manifest = NULL;
  g_autoptr(HlEvent) bad_holder = NULL;
  g_autoptr(HlEvent) good_holder = NULL;
  g_autoptr(GError) error = NULL;
  HlEvent *legacy[3];
  guint8 subnet[HL_ID_LEN];
  guint removed;

  forum = forum_new (author, 1, 3, 1, subnet);
  device_receive (sealer, forum);
  device_maintain (sealer, HL_ARCHIVE_MAINTAIN_DEFAULT);
  current = device_current (sealer);
  manifest = hl_store_get_event (sealer->store, ((HlSegmentRow *) current->pdata[0])->manifest_id,
                                 &error);
  g_assert_no_error (error);
  bad_holder = hl_test_event (author, HL_KIND_ARCHIVE_HOLDER, (guint64) hl_now_ms () - 5000, 0,
                              NULL, "{\"quota\":\"lots\"}");
  good_holder = hl_test_event (author, HL_KIND_ARCHIVE_HOLDER, (guint64) hl_now_ms () - 4000, 0,
                               NULL, "{\"quota\":77}");
  device_receive (old, forum);
  legacy[0] = manifest;
  legacy[1] = bad_holder;
  legacy[2] = good_holder;
  /* As an older version stored them: unchecked, and nothing materialised. */
  g_assert_true (hl_store_apply_verified (old->store, legacy, 3, NULL, &error));
  g_assert_no_error (error);
  raw_sql (old, "DELETE FROM archive_manifests; DELETE FROM archive_segments; "
                "DELETE FROM archive_holders; DELETE FROM meta WHERE key = 'event_rules'");
  g_assert_cmpint (device_count (old, "SELECT count(*) FROM archive_segments"), ==, 0);

  g_assert_true (hl_store_recheck_events (old->store, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);
  g_assert_false (hl_store_has_event (old->store, bad_holder->id));
  g_assert_cmpint (device_count (old, "SELECT count(*) FROM archive_manifests"), ==, 1);
  g_assert_cmpint (device_count (old, "SELECT count(*) FROM archive_segments WHERE state = 1"),
                   ==, 1);
  g_assert_cmpint (device_count (old, "SELECT quota FROM archive_holders"), ==, 77);
}

int
main (int    argc,
      char **argv)
{
  hl_test_init (&argc, &argv);
  g_test_add_func ("/archive/store/seal-and-contain", test_seal_and_contain);
  g_test_add_func ("/archive/store/horizon", test_horizon);
  g_test_add_func ("/archive/store/verify-by-recompute", test_verify_by_recompute);
  g_test_add_func ("/archive/store/late-event", test_late_event);
  g_test_add_func ("/archive/store/delete", test_delete);
  g_test_add_func ("/archive/store/concurrent-reseal", test_concurrent_reseal);
  g_test_add_func ("/archive/store/holders-and-policy", test_holders_and_policy);
  g_test_add_func ("/archive/store/upgrade", test_upgrade);
  return hl_test_run_and_clean_up ();
}
