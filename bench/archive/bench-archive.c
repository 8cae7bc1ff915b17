/* bench-archive: the history archive's figures.
 *
 *   bench-archive [--events N] [--holders N] [--survivors N]
 *
 * One device holds N events (default 100,000) over 24 months of 10 subnets
 * and --holders devices (default 10) offer their disk. It prints:
 *  - sealing: MB/s of plaintext and events/s, its own share included;
 *  - bytes each device stores as a fraction of the archive (placement, the
 *    default policy), and what the sealer's database really grew by;
 *  - a fresh device restored from the shares of --survivors holders
 *    (default 5, the default policy's worst case at n = 10): runs checked
 *    against their proofs, segments decoded, decrypted, every event
 *    verified and ingested, in MB/s and events/s, and the symbols the
 *    decoder needed per segment (received / K and used / K).
 * The survivors' shares are made with the library's own encoder from the
 * sealer's events (what their devices would have made when they verified
 * the segments), so only one forum is generated.
 *
 * Prints figures; it is not a test.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "hl-archive.h"
#include "hl-archive-private.h"
#include "hl-bench-forum.h"
#include "hl-identity.h"
#include "hl-store-sync.h"

#define SUBNETS 10
#define MONTHS  24
/* 2023-01-01 */
#define START_MS G_GUINT64_CONSTANT (1672531200000)
#define MONTH_MS (G_GUINT64_CONSTANT (2629746000))   /* a mean month */

static HlIdentity *
identity (guint n)
{
  guint8 seed[32];

  memset (seed, 0, sizeof seed);
  seed[0] = (guint8) n;
  seed[1] = (guint8) (n >> 8);
  seed[31] = 0xa5;
  return hl_identity_new_from_seed (seed);
}

/* Subnets, then threads (a third), replies, edits: spread evenly over the
 * months, in time order. */
static GPtrArray *
generate (guint n_events)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GArray) threads = g_array_new (FALSE, FALSE, sizeof (HlId));
  g_autoptr(GArray) thread_subnet = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  HlIdentity *authors[8];
  HlId subnets[SUBNETS];
  guint64 step = (MONTHS * MONTH_MS) / MAX (n_events, 1);

  for (guint a = 0; a < G_N_ELEMENTS (authors); a++)
    authors[a] = identity (100 + a);
  for (guint s = 0; s < SUBNETS; s++)
    {
      HlTimestamp ts = { START_MS - 1000 + s, 0 };
      g_autofree char *body = g_strdup_printf ("{\"name\":\"subnet-%u\"}", s);
      HlEvent *e = hl_event_new (HL_KIND_SUBNET_CREATE,
                                 hl_identity_get_public_key (authors[s % 8]), &ts, NULL, body);

      hl_event_sign (e, authors[s % 8]);
      memcpy (subnets[s].bytes, e->id, HL_ID_LEN);
      g_ptr_array_add (events, e);
    }
  for (guint i = events->len; i < n_events; i++)
    {
      HlTimestamp ts = { START_MS + (guint64) i * step, 0 };
      guint roll = (guint) g_rand_int_range (rand, 0, 100);
      guint a = (guint) g_rand_int_range (rand, 0, 8);
      g_autofree char *body = NULL;
      const guint8 *ref;
      const char *kind;

      if (roll < 30 || threads->len == 0)
        {
          guint s = (guint) g_rand_int_range (rand, 0, SUBNETS);

          kind = HL_KIND_THREAD_CREATE;
          ref = subnets[s].bytes;
          body = g_strdup_printf ("{\"title\":\"Thread %u about the archive\",\"body\":\"%s\"}",
                                  i, "Some words about segments, symbols and the devices that "
                                     "keep them, long enough to be a post.");
          g_array_append_val (thread_subnet, s);
        }
      else
        {
          guint t = (guint) g_rand_int_range (rand, MAX ((gint) threads->len - 200, 0),
                                              (gint32) threads->len);

          kind = roll < 90 ? HL_KIND_REPLY_CREATE : HL_KIND_EDIT;
          ref = g_array_index (threads, HlId, t).bytes;
          body = g_strdup_printf ("{\"body\":\"Reply %u: a few sentences of an answer, as "
                                  "people write them in a thread.\"}", i);
          if (roll >= 90)
            a = 0;
        }
      {
        HlEvent *e = hl_event_new (kind, hl_identity_get_public_key (authors[a]), &ts, ref, body);

        hl_event_sign (e, authors[a]);
        if (strcmp (kind, HL_KIND_THREAD_CREATE) == 0)
          {
            HlId id;

            memcpy (id.bytes, e->id, HL_ID_LEN);
            g_array_append_val (threads, id);
          }
        g_ptr_array_add (events, e);
      }
    }
  for (guint a = 0; a < G_N_ELEMENTS (authors); a++)
    hl_identity_free (authors[a]);
  return events;
}

static HlStore *
open_store (const char *dir)
{
  g_autofree char *db = g_build_filename (dir, "hyperlink.db", NULL);
  g_autoptr(GError) error = NULL;
  HlStore *store;

  g_mkdir_with_parents (dir, 0700);
  if (!(store = hl_store_open (db, &error)))
    g_error ("%s", error->message);
  return store;
}

static void
apply_all (HlStore   *store,
           GPtrArray *events)
{
  g_autoptr(GError) error = NULL;

  hl_store_set_bulk_mode (store, TRUE, NULL);
  for (guint from = 0; from < events->len; from += 8192)
    if (!hl_store_apply_verified (store, (HlEvent **) events->pdata + from,
                                  MIN (8192, events->len - from), NULL, &error))
      g_error ("%s", error->message);
  hl_store_set_bulk_mode (store, FALSE, NULL);
}

static gint64
file_size (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

/* The database file once what the log holds is in it. */
static gint64
db_bytes (HlStore    *store,
          const char *dir)
{
  hl_store_set_bulk_mode (store, FALSE, NULL);
  return file_size (dir, "hyperlink.db");
}

/* Keep on this device: 1 month, with the clock set so that about 80 % of
 * the months are older than that; the database before (its share of the
 * symbols included, vacuumed first so that only the drop counts) and after. */
static void
measure_horizon (HlArchive  *archive,
                 HlStore    *store,
                 const char *dir,
                 guint64     n_events)
{
  g_autoptr(GError) error = NULL;
  HlHorizonAmount dropped;
  gint64 before, after, t0, symbols;

  hl_archive_set_now (archive, (gint64) (START_MS + (MONTHS * 8 / 10 + 1.2) * MONTH_MS));
  if (!hl_store_horizon_vacuum (store, &error) ||
      !hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_HORIZON, 1, &error))
    g_error ("%s", error->message);
  before = db_bytes (store, dir);
  symbols = hl_store_archive_symbol_bytes (store, NULL);
  t0 = g_get_monotonic_time ();
  if (!hl_archive_horizon_apply (archive, &dropped, &error))
    g_error ("%s", error->message);
  after = db_bytes (store, dir);
  g_print ("horizon 1 month, %.0f %% of the events older: dropped %" G_GUINT64_FORMAT
           " threads, %" G_GUINT64_FORMAT " events in %.2f s; database %.1f MB -> %.1f MB "
           "(this device's share of the symbols, %.1f MB, kept): %.0f %% smaller (goal >= 70 %%)\n",
           100.0 * dropped.events / MAX (n_events, 1), dropped.threads, dropped.events,
           (g_get_monotonic_time () - t0) / 1e6, before / 1e6, after / 1e6, symbols / 1e6,
           100.0 * (1.0 - (double) after / MAX (before, 1)));
  g_print ("  the estimate said it frees %.1f MB; it freed %.1f MB\n", dropped.bytes / 1e6,
           (before - after) / 1e6);
}

static GPtrArray *
current_segments (HlStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = hl_store_archive_list_segments (store, NULL, 0, &error);
  GPtrArray *current = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_segment_row_free);

  for (guint i = 0; i < rows->len; i++)
    if (((HlSegmentRow *) rows->pdata[i])->state == HL_SEGMENT_CURRENT)
      {
        g_ptr_array_add (current, rows->pdata[i]);
        rows->pdata[i] = NULL;
      }
  g_ptr_array_unref (rows);
  return current;
}

/* The segment of @row built again from the sealer's events. */
static HlSegment *
rebuild (HlStore            *store,
         const HlSegmentRow *row)
{
  const HlSegmentManifest *m = &row->manifest;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) plan = hl_archive_plan_parts (store, m->subnet, m->year, m->month, &error);
  g_autoptr(GBytes) plaintext = NULL;
  guint8 key[HL_ARCHIVE_KEY_BYTES];
  HlSegment *segment;

  if (plan == NULL || !hl_archive_key_for (store, m->subnet, m, key, NULL, NULL, &error) ||
      !(plaintext = hl_archive_part_plaintext (store, m->subnet, m->year, m->month, m->gen,
                                               m->part, m->parts,
                                               &g_array_index (plan, HlSealPart, m->part), NULL,
                                               &error)) ||
      !(segment = hl_segment_new_from_plaintext (plaintext, key, &error)))
    g_error ("%s", error->message);
  return segment;
}

/* The symbols of a range, made by the segment's encoder. */
static GBytes *
run_of (HlSegment        *segment,
        const HlEsiRange *r)
{
  guint8 *data = g_malloc ((gsize) r->count * HL_ARCHIVE_SYMBOL_SIZE);

  for (guint32 i = 0; i < r->count; i++)
    if (!hl_segment_symbol (segment, r->sbn, r->first + i, data + (gsize) i * HL_ARCHIVE_SYMBOL_SIZE,
                            NULL))
      g_error ("cannot make a symbol");
  return g_bytes_new_take (data, (gsize) r->count * HL_ARCHIVE_SYMBOL_SIZE);
}

static gboolean
copy_if_offered (const HlEvent *event,
                 gpointer       user_data)
{
  gpointer *ctx = user_data;

  if (g_hash_table_contains (ctx[0], event->id))
    g_ptr_array_add (ctx[1], hl_event_copy (event));
  return TRUE;
}

static void
add_id (guint64       ts,
        const guint8 *id,
        gpointer      user_data)
{
  g_hash_table_add (user_data, g_memdup2 (id, HL_ID_LEN));
}

/* Gives @to what @from's reconciled set offers: not the archived events. */
static void
offer (HlStore *from,
       HlStore *to)
{
  g_autoptr(GHashTable) in_set = g_hash_table_new_full (hl_id_hash, hl_id_equal, g_free, NULL);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GError) error = NULL;
  gpointer ctx[2] = { in_set, events };

  if (!hl_store_sync_foreach_key (from, add_id, in_set, &error) ||
      !hl_store_foreach_event (from, 0, copy_if_offered, ctx, &error))
    g_error ("%s", error->message);
  apply_all (to, events);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  gint n_events = 100000, n_holders = 10, n_survivors = 5;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events in the forum", "N" },
    { "holders", 0, 0, G_OPTION_ARG_INT, &n_holders, "Devices offering their disk", "N" },
    { "survivors", 0, 0, G_OPTION_ARG_INT, &n_survivors, "Holders a restore reads from", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the archive's figures");
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL, *sealer_dir = NULL, *fresh_dir = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(HlStore) store = NULL;
  g_autoptr(HlStore) fresh = NULL;
  g_autoptr(HlArchive) archive = NULL;
  g_autoptr(HlArchive) fresh_archive = NULL;
  g_autofree guint8 *keys = NULL;
  g_autofree char *state_before = NULL, *state_after = NULL;
  g_autoptr(GArray) rowids = NULL;
  HlArchiveDecodeStats stats;
  HlIdentity **holders;
  HlArchiveReport report;
  gint64 t0, t1, db_before, db_after, stored;
  double cpu0, cpu1, max_fraction = 0, sum_fraction = 0, sum_used = 0;
  double sum_received = 0, store_s = 0, decode_s = 0;
  guint64 total = 0, events_restored = 0, bytes_restored = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  n_survivors = CLAMP (n_survivors, 1, n_holders);
  root = g_dir_make_tmp ("bench-archive-XXXXXX", &error);
  sealer_dir = g_build_filename (root, "sealer", NULL);
  fresh_dir = g_build_filename (root, "fresh", NULL);

  g_print ("bench-archive: %d events, %d holders, restore from %d (load %.2f)\n", n_events,
           n_holders, n_survivors, hl_bench_load_average ());
  events = generate ((guint) n_events);
  store = open_store (sealer_dir);
  t0 = g_get_monotonic_time ();
  apply_all (store, events);
  g_print ("the store applies these events (no signature checks) at %.0f events/s: what "
           "ingest can reach at most\n", events->len / ((g_get_monotonic_time () - t0) / 1e6));

  /* The holder set: this device and n - 1 others that announced themselves. */
  holders = g_new0 (HlIdentity *, n_holders);
  keys = g_malloc ((gsize) n_holders * HL_KEY_LEN);
  for (gint h = 0; h < n_holders; h++)
    {
      holders[h] = identity (1 + (guint) h);
      memcpy (keys + (gsize) h * HL_KEY_LEN, hl_identity_get_public_key (holders[h]), HL_KEY_LEN);
      if (h > 0 && !hl_store_publish (store, holders[h], HL_KIND_ARCHIVE_HOLDER, NULL,
                                      "{\"quota\":4294967296}", &error))
        g_error ("%s", error->message);
    }
  archive = hl_archive_new (store, holders[0]);
  db_before = db_bytes (store, sealer_dir);
  t0 = g_get_monotonic_time ();
  cpu0 = hl_bench_cpu_seconds ();
  if (!hl_archive_maintain (archive, HL_ARCHIVE_MAINTAIN_DEFAULT, &report, &error))
    g_error ("%s", error->message);
  t1 = g_get_monotonic_time ();
  cpu1 = hl_bench_cpu_seconds ();
  db_after = db_bytes (store, sealer_dir);
  g_print ("seal: %u segments, %" G_GUINT64_FORMAT " events, %.1f MB of plaintext in %.2f s: "
           "%.1f MB/s, %.0f events/s (CPU %.2f s; this device's share written: %"
           G_GUINT64_FORMAT " symbols; peak RSS %ld MiB)\n", report.sealed, report.events_sealed,
           report.bytes_sealed / 1e6, (t1 - t0) / 1e6,
           report.bytes_sealed / 1e6 / ((t1 - t0) / 1e6), report.events_sealed / ((t1 - t0) / 1e6),
           cpu1 - cpu0, report.symbols_written, hl_bench_peak_rss_kib () / 1024);

  current = current_segments (store);
  for (gint h = 0; h < n_holders; h++)
    {
      guint64 mine = 0;

      total = 0;
      for (guint i = 0; i < current->len; i++)
        {
          const HlSegmentRow *row = current->pdata[i];
          g_autoptr(HlPlacement) p = hl_placement_new (&row->manifest, keys, (guint) n_holders,
                                                       HL_ARCHIVE_LOSE_HALF);
          HlEsiRange r;

          total += row->manifest.size;
          for (guint sbn = 0; sbn < row->manifest.n_roots; sbn++)
            if (hl_placement_range (p, keys + (gsize) h * HL_KEY_LEN, sbn, &r))
              mine += (guint64) r.count * HL_ARCHIVE_SYMBOL_SIZE;
        }
      sum_fraction += (double) mine / total;
      max_fraction = MAX (max_fraction, (double) mine / total);
    }
  stored = hl_store_archive_symbol_bytes (store, NULL);
  g_print ("placement at n = %d, default policy (lose %d): each device stores %.3f of the "
           "archive on average, %.3f at most (goal <= 0.25; a full copy is 1.0); the archive is "
           "%.1f MB of ciphertext\n", n_holders, n_holders / 2, sum_fraction / n_holders,
           max_fraction, total / 1e6);
  g_print ("  the sealer stores %.1f MB of symbols (%.3f of the archive); its database grew by "
           "%.1f MB (%.2f bytes of file per byte of symbol: symbols three to a 4 KB page, their "
           "leaves and proofs, the manifests, and the containment mark of every sealed event "
           "with its index)\n",
           stored / 1e6, (double) stored / total, (db_after - db_before) / 1e6,
           (double) (db_after - db_before) / MAX (stored, 1));

  /* A fresh device: what reconciliation gives it, then the survivors' shares. */
  fresh = open_store (fresh_dir);
  offer (store, fresh);
  fresh_archive = hl_archive_new (fresh, NULL);
  state_before = hl_store_state_hash (store, NULL);
  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* As an import does: a bigger page cache, rarer checkpoints. */
  hl_store_set_bulk_mode (fresh, TRUE, NULL);
  for (guint i = 0; i < current->len; i++)
    {
      const HlSegmentRow *row = current->pdata[i];
      g_autoptr(HlSegment) segment = rebuild (store, row);
      g_autoptr(HlPlacement) p = hl_placement_new (&row->manifest, keys, (guint) n_holders,
                                                   HL_ARCHIVE_LOSE_HALF);
      g_autoptr(HlSegmentRow) there = hl_store_archive_find_manifest (fresh, row->manifest_id,
                                                                     &error);
      guint64 received = 0;

      if (there == NULL)
        g_error ("%s", error->message);
      for (gint h = 0; h < n_survivors; h++)
        for (guint sbn = 0; sbn < row->manifest.n_roots; sbn++)
          {
            g_autoptr(GBytes) symbols = NULL;
            g_autoptr(GBytes) proof = NULL;
            HlEsiRange r;
            guint kept;

            if (!hl_placement_range (p, keys + (gsize) h * HL_KEY_LEN, sbn, &r))
              continue;
            symbols = run_of (segment, &r);
            proof = hl_segment_proof (segment, sbn, r.first, r.count);
            t0 = g_get_monotonic_time ();
            if (!hl_archive_store_run (fresh_archive, there->rowid, sbn, r.first, r.count,
                                       symbols, proof, &kept, &error))
              g_error ("%s", error->message);
            store_s += (g_get_monotonic_time () - t0) / 1e6;
            received += kept;
          }
      g_array_append_val (rowids, there->rowid);
      sum_received += (double) received / hl_codec_oti_block_symbols (&row->manifest.codec, 0);
      bytes_restored += row->manifest.size;
    }
  /* Every segment at once, as a restore that has all its symbols does. */
  t0 = g_get_monotonic_time ();
  cpu0 = hl_bench_cpu_seconds ();
  if (!hl_archive_decode_many (fresh_archive, (const gint64 *) rowids->data, rowids->len, &stats,
                               &error))
    g_error ("%s", error->message);
  decode_s += (g_get_monotonic_time () - t0) / 1e6;
  cpu1 = hl_bench_cpu_seconds ();
  events_restored = stats.events;
  sum_used = (double) stats.symbols_used / stats.source_symbols;
  t0 = g_get_monotonic_time ();
  hl_store_set_bulk_mode (fresh, FALSE, NULL);
  decode_s += (g_get_monotonic_time () - t0) / 1e6;
  state_after = hl_store_state_hash (fresh, NULL);
  g_print ("restore from %d of %d holders: %u segments, %" G_GUINT64_FORMAT " events, %.1f MB: "
           "runs checked and stored in %.2f s, decoded, decrypted, verified and ingested in "
           "%.2f s (CPU %.2f s): %.1f MB/s, %.0f events/s overall; forum state %s\n",
           n_survivors, n_holders, current->len, events_restored, bytes_restored / 1e6, store_s,
           decode_s, cpu1 - cpu0,
           bytes_restored / 1e6 / (store_s + decode_s), events_restored / (store_s + decode_s),
           g_strcmp0 (state_before, state_after) == 0 ? "identical" : "DIFFERS");
  g_print ("  symbols: received / K = %.3f per segment on average; the decoder needed %.4f of K "
           "in all (it takes K of a block, then one more at a time)\n",
           sum_received / current->len, sum_used);
  g_print ("  peak RSS %ld MiB (the bench keeps the whole generated forum in memory)\n",
           hl_bench_peak_rss_kib () / 1024);

  measure_horizon (archive, store, sealer_dir, (guint64) n_events);

  for (gint h = 0; h < n_holders; h++)
    hl_identity_free (holders[h]);
  g_free (holders);
  g_clear_pointer (&archive, hl_archive_free);
  g_clear_pointer (&fresh_archive, hl_archive_free);
  g_clear_object (&store);
  g_clear_object (&fresh);
  remove_tree (root);
  return 0;
}
