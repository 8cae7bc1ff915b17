/* test-archive-restore.c: a device rebuilt from symbols in files (what the
 * network part will carry), with one holder lost; runs that fail their
 * proof; a month cut in two parts; the quota and eviction; checking stored
 * symbols; and the status sentences (docs/protocol.md, "Archive").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hl-archive-test.h"
#include "hl-error.h"
#include "hl-store-sync.h"
#include "hl-test-util.h"

/* Three holders; one is lost; a fresh device gets the others' shares from
 * files and decodes every segment: the same forum, every event checked. A
 * corrupted file is refused whole. */
static void
test_restore_from_files (void)
{
  g_autoptr(Device) a = device_new ("holder-a", 1);
  g_autoptr(Device) b = device_new ("holder-b", 2);
  g_autoptr(Device) c = device_new ("holder-c", 3);
  g_autoptr(Device) fresh = device_new ("fresh", 4);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autofree char *files = hl_test_make_dir ("runs");
  g_autofree char *expected = NULL, *restored = NULL, *before = NULL;
  guint8 subnet[HL_ID_LEN];
  guint refused, stored;
  guint64 used = 0, source = 0;

  forum = forum_new (author, 2, 30, 10, subnet);
  device_receive (a, forum);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_sync (a, b, TRUE);
  device_sync (a, c, TRUE);
  device_maintain (b, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_maintain (c, HL_ARCHIVE_MAINTAIN_DEFAULT);
  /* Everyone knows every holder now: each keeps its share of three. */
  device_sync (b, a, FALSE);
  device_sync (c, a, FALSE);
  device_sync (a, b, FALSE);
  device_sync (a, c, FALSE);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_maintain (b, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_maintain (c, HL_ARCHIVE_MAINTAIN_DEFAULT);
  expected = device_state (a);

  /* c is lost. */
  g_assert_cmpuint (device_export_share (a, files), >, 0);
  g_assert_cmpuint (device_export_share (b, files), >, 0);
  device_sync (a, fresh, FALSE);
  before = device_state (fresh);
  g_assert_cmpstr (before, !=, expected);

  /* One file of a's is damaged on the way: refused, the rest taken. */
  {
    g_autoptr(GDir) listing = g_dir_open (files, 0, NULL);
    const char *entry;

    while ((entry = g_dir_read_name (listing)) != NULL)
      if (g_str_has_suffix (entry, ".sym"))
        {
          g_autofree char *path = g_build_filename (files, entry, NULL);
          g_autofree char *damaged = g_strconcat (path, ".bad", NULL);
          g_autofree char *data = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (path, &data, &len, NULL));
          data[len / 2] ^= 0x01;
          g_assert_true (g_file_set_contents (damaged, data, (gssize) len, NULL));
          break;
        }
  }
  stored = device_import_share (fresh, files, &refused);
  g_assert_cmpuint (refused, ==, 0);
  g_assert_cmpuint (stored, >, 0);
  {
    /* The damaged copy on its own. */
    g_autofree char *bad_dir = hl_test_make_dir ("bad-runs");
    g_autoptr(GDir) listing = g_dir_open (files, 0, NULL);
    const char *entry;
    guint bad_refused;

    while ((entry = g_dir_read_name (listing)) != NULL)
      if (g_str_has_suffix (entry, ".sym.bad"))
        {
          g_autofree char *base = g_strndup (entry, strlen (entry) - strlen (".sym.bad"));
          g_autofree char *from = g_build_filename (files, entry, NULL);
          g_autofree char *to = g_strdup_printf ("%s/%s.sym", bad_dir, base);
          g_autofree char *proof_from = g_strdup_printf ("%s/%s.proof", files, base);
          g_autofree char *proof_to = g_strdup_printf ("%s/%s.proof", bad_dir, base);
          g_autofree char *data = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (from, &data, &len, NULL));
          g_assert_true (g_file_set_contents (to, data, (gssize) len, NULL));
          g_clear_pointer (&data, g_free);
          g_assert_true (g_file_get_contents (proof_from, &data, &len, NULL));
          g_assert_true (g_file_set_contents (proof_to, data, (gssize) len, NULL));
        }
    g_assert_cmpuint (device_import_share (fresh, bad_dir, &bad_refused), ==, 0);
    g_assert_cmpuint (bad_refused, ==, 1);
    hl_test_remove_tree (bad_dir);
  }

  current = device_current (fresh);
  g_assert_cmpuint (current->len, ==, 2);
  for (guint i = 0; i < current->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (current, i);
      g_autoptr(GError) error = NULL;
      HlArchiveDecodeStats stats;

      g_assert_true (hl_archive_decode (fresh->archive, row->rowid, &stats, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (stats.events, ==, row->manifest.count);
      g_assert_cmpuint (stats.accepted, ==, row->manifest.count);
      used += stats.symbols_used;
      source += stats.source_symbols;
    }
  g_test_message ("decoded with %" G_GUINT64_FORMAT " symbols for K = %" G_GUINT64_FORMAT
                  " (%.3f)", used, source, (double) used / source);
  restored = device_state (fresh);
  g_assert_cmpstr (restored, ==, expected);
  /* Decoded here, so verified here: the events left its reconciled set. */
  g_assert_cmpint (device_count (fresh, "SELECT count(*) FROM events WHERE archived IS NOT NULL"),
                   ==, 660);
  hl_test_remove_tree (files);
}

/* An unknown manifest is named as such. */
static void
test_unknown_manifest (void)
{
  g_autoptr(Device) d = device_new ("unknown", 1);
  g_autoptr(GError) error = NULL;
  guint8 nobody[HL_ID_LEN];
  HlSegmentRow *row;

  memset (nobody, 0x77, sizeof nobody);
  row = hl_store_archive_find_manifest (d->store, nobody, &error);
  g_assert_null (row);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND);
}

/* A month of one subnet beyond 16 MiB is cut in two parts that make one
 * sealing, and comes back whole. */
static void
test_two_parts (void)
{
  g_autoptr(Device) a = device_new ("big", 1);
  g_autoptr(Device) fresh = device_new ("big-fresh", 2);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GPtrArray) current = NULL;
  g_autofree char *files = hl_test_make_dir ("big-runs");
  g_autofree char *filler = g_strnfill (17000, 'w');
  g_autofree char *expected = NULL, *restored = NULL;
  HlEvent *create = hl_test_event (author, HL_KIND_SUBNET_CREATE, MARCH_2024 - DAY_MS, 0, NULL,
                                   "{\"name\":\"big\"}");
  guint refused;

  g_ptr_array_add (events, create);
  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (events, hl_test_event (author, HL_KIND_THREAD_CREATE,
                                            MARCH_2024 + (guint64) i * 60000, 0, create->id,
                                            "{\"title\":\"Long %u\",\"body\":\"%s\"}", i,
                                            filler));
  device_receive (a, events);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  current = device_current (a);
  g_assert_cmpuint (current->len, ==, 2);
  for (guint p = 0; p < 2; p++)
    {
      const HlSegmentRow *row = g_ptr_array_index (current, p);

      g_assert_cmpuint (row->manifest.part, ==, p);
      g_assert_cmpuint (row->manifest.parts, ==, 2);
      g_assert_cmpuint (row->manifest.size, <=, HL_ARCHIVE_MAX_SIZE);
      g_assert_cmpint (row->verified_ms, >, 0);
    }
  g_assert_cmpmem (((HlSegmentRow *) current->pdata[0])->manifest.set, HL_ID_LEN,
                   ((HlSegmentRow *) current->pdata[1])->manifest.set, HL_ID_LEN);
  g_assert_cmpuint (((HlSegmentRow *) current->pdata[0])->manifest.count +
                    ((HlSegmentRow *) current->pdata[1])->manifest.count, ==, 1000);
  expected = device_state (a);
  device_export_share (a, files);
  device_sync (a, fresh, FALSE);
  device_import_share (fresh, files, &refused);
  g_clear_pointer (&current, g_ptr_array_unref);
  current = device_current (fresh);
  for (guint p = 0; p < current->len; p++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (hl_archive_decode (fresh->archive,
                                        ((HlSegmentRow *) g_ptr_array_index (current, p))->rowid,
                                        NULL, &error));
      g_assert_no_error (error);
    }
  restored = device_state (fresh);
  g_assert_cmpstr (restored, ==, expected);
  hl_test_remove_tree (files);
}

/* Runs @sql on @d's database, as another process would. */
static void
device_exec (Device     *d,
             const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (d->db, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
corrupt_one_symbol (Device *d)
{
  device_exec (d, "UPDATE archive_symbols SET data = zeroblob(1024) WHERE key = "
                  "(SELECT min(key) + 1 FROM archive_symbols)");
}

/* A symbol changed on disk is found, named, dropped on request, and made
 * again by the next maintenance. */
static void
test_verify_stored (void)
{
  g_autoptr(Device) a = device_new ("verify", 1);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(HlArchiveVerifyReport) report = { 0 };
  guint8 subnet[HL_ID_LEN];
  HlArchiveReport done;

  forum = forum_new (author, 1, 20, 5, subnet);
  device_receive (a, forum);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_true (hl_archive_verify_stored (a->archive, FALSE, &report, &error));
  g_assert_cmpuint (report.bad, ==, 0);
  g_assert_cmpuint (report.bad_runs, ==, 0);
  g_assert_cmpuint (report.symbols, >, 0);
  hl_archive_verify_report_clear (&report);

  corrupt_one_symbol (a);
  g_assert_true (hl_archive_verify_stored (a->archive, TRUE, &report, &error));
  g_assert_cmpuint (report.bad, ==, 1);
  g_assert_cmpuint (report.problems->len, ==, 1);
  hl_test_assert_contains (g_ptr_array_index (report.problems, 0),
                           "is not the symbol it was stored as");
  hl_archive_verify_report_clear (&report);

  done = device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_cmpuint (done.symbols_written, >, 0);
  g_assert_true (hl_archive_verify_stored (a->archive, FALSE, &report, &error));
  g_assert_cmpuint (report.bad, ==, 0);
  g_assert_cmpuint (report.bad_runs, ==, 0);
}

/* Symbols beyond this device's share are a cache within the quota: evicted
 * when the quota shrinks. Its share stays whatever the quota, and status
 * says that it does not fit. */
static void
test_quota (void)
{
  g_autoptr(Device) a = device_new ("quota-a", 1);
  g_autoptr(Device) cache = device_new ("quota-cache", 2);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(HlArchiveStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *files = hl_test_make_dir ("quota-runs");
  guint8 subnet[HL_ID_LEN];
  guint refused;
  gint64 stored;
  gboolean found = FALSE;

  forum = forum_new (author, 1, 20, 5, subnet);
  device_receive (a, forum);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_export_share (a, files);
  /* cache is not a holder: it keeps runs only as far as its quota allows. */
  device_sync (a, cache, FALSE);
  g_assert_true (hl_store_archive_set_setting (cache->store, HL_ARCHIVE_SETTING_QUOTA, 1024,
                                               &error));
  g_assert_cmpuint (device_import_share (cache, files, &refused), ==, 0);
  g_assert_true (hl_store_archive_set_setting (cache->store, HL_ARCHIVE_SETTING_QUOTA,
                                               1 << 30, &error));
  g_assert_cmpuint (device_import_share (cache, files, &refused), >, 0);
  g_assert_true (hl_store_archive_set_setting (cache->store, HL_ARCHIVE_SETTING_QUOTA, 2048,
                                               &error));
  hl_archive_free (cache->archive);
  cache->archive = hl_archive_new (cache->store, NULL);
  device_maintain (cache, HL_ARCHIVE_MAINTAIN_DEFAULT);
  stored = hl_store_archive_symbol_bytes (cache->store, &error);
  g_assert_cmpint (stored, ==, 0);

  /* The holder's share does not fit a quota of 1 kB: kept, and said. */
  g_assert_true (hl_store_archive_set_setting (a->store, HL_ARCHIVE_SETTING_QUOTA, 1024, &error));
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  g_assert_cmpint (hl_store_archive_symbol_bytes (a->store, &error), >, 1024);
  status = hl_archive_status (a->archive, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < status->warnings->len; i++)
    found |= strstr (g_ptr_array_index (status->warnings, i), "this device's share needs") != NULL;
  g_assert_true (found);
  hl_test_remove_tree (files);
}

/* What a load may change, in one string: the ranges dropped here and
 * whether they are back, the posts and events held, and which events count
 * as archived. */
static char *
load_state (Device *d)
{
  return g_strdup_printf ("dropped %" G_GINT64_FORMAT "; loaded %" G_GINT64_FORMAT
                          "; posts %" G_GINT64_FORMAT "; events %" G_GINT64_FORMAT
                          "; archived %" G_GINT64_FORMAT "; verified %" G_GINT64_FORMAT,
                          device_count (d, "SELECT count(*) FROM horizon_ranges "
                                           "WHERE loaded_ms IS NULL"),
                          device_count (d, "SELECT count(*) FROM horizon_ranges "
                                           "WHERE loaded_ms IS NOT NULL"),
                          device_count (d, "SELECT count(*) FROM posts"),
                          device_count (d, "SELECT count(*) FROM events"),
                          device_count (d, "SELECT count(*) FROM events "
                                           "WHERE archived IS NOT NULL"),
                          device_count (d, "SELECT coalesce(sum(verified_ms), 0) "
                                           "FROM archive_segments"));
}

/* Two months dropped below the horizon and loaded in one batch
 * (hl_archive_decode_many, as the node's Load does): the second one's
 * symbols are too few, then corrupt. Each time the batch rolls back whole,
 * the first month's events too, with the ranges still dropped and an error
 * that says what failed; with the symbols back, the same load brings both
 * months. */
static void
test_batch_rolls_back (void)
{
  g_autoptr(Device) a = device_new ("rollback", 1);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dropped = NULL, *after = NULL, *sql = NULL;
  gint64 segments[2];
  guint8 subnet[HL_ID_LEN];
  HlHorizonAmount amount;
  gint64 threads;

  forum = forum_new (author, 2, 20, 5, subnet);
  device_receive (a, forum);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  current = device_current (a);
  g_assert_cmpuint (current->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    segments[i] = ((HlSegmentRow *) g_ptr_array_index (current, i))->rowid;
  threads = device_count (a, "SELECT count(*) FROM posts WHERE kind = 1");
  g_assert_cmpint (threads, ==, 40);
  g_assert_true (hl_store_horizon_drop (a->store, segments, 2, TRUE, &amount, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (amount.threads, ==, 40);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM horizon_ranges "
                                    "WHERE loaded_ms IS NULL"), ==, 2);
  dropped = load_state (a);

  /* Not enough symbols: the second month's are gone from this device. */
  sql = g_strdup_printf ("CREATE TABLE saved AS SELECT * FROM archive_symbols "
                         "WHERE key >> 32 = %" G_GINT64_FORMAT ";"
                         "DELETE FROM archive_symbols WHERE key >> 32 = %" G_GINT64_FORMAT ";",
                         segments[1], segments[1]);
  device_exec (a, sql);
  g_assert_false (hl_archive_decode_many (a->archive, segments, 2, NULL, &error));
  g_assert_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_NOT_ENOUGH);
  g_test_message ("too few symbols: %s", error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);
  after = load_state (a);
  g_assert_cmpstr (after, ==, dropped);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM posts WHERE kind = 1"), ==, 0);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM horizon_ranges "
                                    "WHERE loaded_ms IS NULL"), ==, 2);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM pragma_integrity_check "
                                    "WHERE integrity_check != 'ok'"), ==, 0);
  g_clear_pointer (&after, g_free);

  /* Every symbol there, but their bytes changed on disk: decoded, the
   * segment does not decrypt. */
  device_exec (a, "INSERT OR REPLACE INTO archive_symbols SELECT * FROM saved;");
  g_free (sql);
  sql = g_strdup_printf ("UPDATE archive_symbols SET data = zeroblob(length(data)) "
                         "WHERE key >> 32 = %" G_GINT64_FORMAT ";", segments[1]);
  device_exec (a, sql);
  g_assert_false (hl_archive_decode_many (a->archive, segments, 2, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == HL_ARCHIVE_ERROR);
  g_test_message ("corrupt symbols: %s", error->message);
  g_clear_error (&error);
  after = load_state (a);
  g_assert_cmpstr (after, ==, dropped);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM posts WHERE kind = 1"), ==, 0);

  /* The symbols back as they were: the same load succeeds, both months. */
  device_exec (a, "INSERT OR REPLACE INTO archive_symbols SELECT * FROM saved; DROP TABLE saved;");
  g_assert_true (hl_archive_decode_many (a->archive, segments, 2, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM posts WHERE kind = 1"), ==, threads);
  g_assert_cmpint (device_count (a, "SELECT count(*) FROM horizon_ranges "
                                    "WHERE loaded_ms IS NOT NULL"), ==, 2);
  g_clear_pointer (&after, g_free);
  after = load_state (a);
  g_assert_cmpstr (after, !=, dropped);
}

static gboolean
has_warning (HlArchiveStatus *status,
             const char      *needle)
{
  for (guint i = 0; i < status->warnings->len; i++)
    if (strstr (g_ptr_array_index (status->warnings, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* "can lose any 1 of your 3 devices"; a policy three devices cannot keep
 * is at risk, in words. */
static void
test_status_words (void)
{
  g_autoptr(Device) a = device_new ("words-a", 1);
  g_autoptr(Device) b = device_new ("words-b", 2);
  g_autoptr(Device) c = device_new ("words-c", 3);
  g_autoptr(HlIdentity) author = hl_test_identity (9);
  g_autoptr(GPtrArray) forum = NULL;
  g_autoptr(HlArchiveStatus) status = NULL;
  g_autoptr(HlEvent) policy = NULL;
  g_autoptr(GError) error = NULL;
  guint8 subnet[HL_ID_LEN];

  forum = forum_new (author, 1, 10, 2, subnet);
  device_receive (a, forum);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_sync (a, b, TRUE);
  device_sync (a, c, TRUE);
  device_maintain (b, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_maintain (c, HL_ARCHIVE_MAINTAIN_DEFAULT);
  device_sync (b, a, FALSE);
  device_sync (c, a, FALSE);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  status = hl_archive_status (a->archive, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->resilience, ==, "can lose any 1 of your 3 devices");
  g_assert_cmpuint (status->devices->len, ==, 3);
  g_assert_cmpuint (status->warnings->len, ==, 0);
  g_clear_pointer (&status, hl_archive_status_free);

  /* The owner asks to survive the loss of three of three. */
  policy = hl_test_event (author, HL_KIND_ARCHIVE_POLICY, (guint64) hl_now_ms () - 1000, 0,
                          subnet, "{\"lose\":3}");
  device_receive_one (a, policy);
  device_maintain (a, HL_ARCHIVE_MAINTAIN_DEFAULT);
  status = hl_archive_status (a->archive, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->resilience, ==, "can lose any 2 of your 3 devices");
  g_assert_true (has_warning (status, "at risk: segment 2024-03 of #linux is held by only 3 "
                                      "devices"));
}

int
main (int    argc,
      char **argv)
{
  hl_test_init (&argc, &argv);
  g_test_add_func ("/archive/restore/from-files", test_restore_from_files);
  g_test_add_func ("/archive/restore/unknown-manifest", test_unknown_manifest);
  g_test_add_func ("/archive/restore/two-parts", test_two_parts);
  g_test_add_func ("/archive/restore/verify-stored", test_verify_stored);
  g_test_add_func ("/archive/restore/quota", test_quota);
  g_test_add_func ("/archive/restore/status-words", test_status_words);
  g_test_add_func ("/archive/restore/batch-rolls-back", test_batch_rolls_back);
  return hl_test_run_and_clean_up ();
}
