/* hl-archive-test.c: devices and forums for the archive's tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-test.h"

#include <sqlite3.h>

#include "hl-store-sync.h"
#include "hl-test-util.h"

Device *
device_new (const char *label,
            guint8      seed)
{
  Device *d = g_new0 (Device, 1);
  g_autoptr(GError) error = NULL;

  d->dir = hl_test_make_dir (label);
  d->db = g_build_filename (d->dir, "hyperlink.db", NULL);
  d->store = hl_store_open (d->db, &error);
  g_assert_no_error (error);
  d->identity = hl_test_identity (seed);
  d->archive = hl_archive_new (d->store, d->identity);
  return d;
}

void
device_free (Device *d)
{
  g_clear_pointer (&d->archive, hl_archive_free);
  g_clear_object (&d->store);
  g_clear_pointer (&d->identity, hl_identity_free);
  hl_test_remove_tree (d->dir);
  g_free (d->dir);
  g_free (d->db);
  g_free (d);
}

void
device_receive (Device    *d,
                GPtrArray *events)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < events->len; i++)
    {
      g_assert_true (hl_event_verify (g_ptr_array_index (events, i), hl_now_ms (), 600000,
                                      &error));
      g_assert_no_error (error);
    }
  g_assert_true (hl_store_apply_verified (d->store, (HlEvent **) events->pdata, events->len, NULL,
                                          &error));
  g_assert_no_error (error);
}

void
device_receive_one (Device  *d,
                    HlEvent *event)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, event);
  device_receive (d, one);
}

typedef struct
{
  GPtrArray  *events;
  GHashTable *in_set;       /* ids, or NULL for everything */
} Copying;

static gboolean
copy_event (const HlEvent *event,
            gpointer       user_data)
{
  Copying *c = user_data;

  if (c->in_set == NULL || g_hash_table_contains (c->in_set, event->id))
    g_ptr_array_add (c->events, hl_event_copy (event));
  return TRUE;
}

static void
add_id (guint64       ts,
        const guint8 *id,
        gpointer      user_data)
{
  g_hash_table_add (user_data, g_memdup2 (id, HL_ID_LEN));
}

void
device_sync (Device   *from,
             Device   *to,
             gboolean  archived_too)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GHashTable) in_set = NULL;
  g_autoptr(GError) error = NULL;
  Copying c = { events, NULL };

  if (!archived_too)
    {
      in_set = g_hash_table_new_full (hl_id_hash, hl_id_equal, g_free, NULL);
      g_assert_true (hl_store_sync_foreach_key (from->store, add_id, in_set, &error));
      g_assert_no_error (error);
      c.in_set = in_set;
    }
  g_assert_true (hl_store_foreach_event (from->store, 0, copy_event, &c, &error));
  g_assert_no_error (error);
  if (events->len > 0)
    device_receive (to, events);
}

HlArchiveReport
device_maintain (Device                 *d,
                 HlArchiveMaintainFlags  flags)
{
  g_autoptr(GError) error = NULL;
  HlArchiveReport report;

  g_assert_true (hl_archive_maintain (d->archive, flags, &report, &error));
  g_assert_no_error (error);
  return report;
}

static void
add_key (guint64       ts,
         const guint8 *id,
         gpointer      user_data)
{
  g_autofree char *hex = hl_hex_dup (id, HL_ID_LEN);

  g_ptr_array_add (user_data, g_strdup_printf ("%" G_GUINT64_FORMAT "/%s", ts, hex));
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
sort_keys (GPtrArray *keys)
{
  g_ptr_array_sort (keys, compare_keys);
}

GPtrArray *
device_set_at_start (Device *d)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (hl_store_sync_foreach_key (d->store, add_key, keys, &error));
  g_assert_no_error (error);
  sort_keys (keys);
  return keys;
}

GPtrArray *
device_set_by_scan (Device *d)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (HlSyncRow));
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  /* As hl_node_scan does: every row that is not erased joins the set. */
  for (;;)
    {
      g_array_set_size (rows, 0);
      g_assert_true (hl_store_sync_scan (d->store, seq, 1000, rows, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          const HlSyncRow *row = &g_array_index (rows, HlSyncRow, i);

          seq = row->seq;
          if (!row->erased)
            add_key (row->ts, row->id, keys);
        }
      if (rows->len < 1000)
        break;
    }
  sort_keys (keys);
  return keys;
}

gint64
device_count (Device     *d,
              const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (d->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

GPtrArray *
device_current (Device *d)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = hl_store_archive_list_segments (d->store, NULL, 0, &error);
  GPtrArray *current = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_segment_row_free);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      HlSegmentRow *row = g_ptr_array_index (rows, i);

      if (row->state == HL_SEGMENT_CURRENT)
        {
          g_ptr_array_add (current, row);
          rows->pdata[i] = NULL;
        }
    }
  g_ptr_array_unref (rows);
  return current;
}

GPtrArray *
forum_new (HlIdentity *author,
           guint       months,
           guint       threads,
           guint       replies,
           guint8     *subnet)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  HlEvent *create = hl_test_event (author, HL_KIND_SUBNET_CREATE, MARCH_2024 - DAY_MS, 0, NULL,
                                   "{\"name\":\"linux\"}");
  guint64 month_start = MARCH_2024;

  memcpy (subnet, create->id, HL_ID_LEN);
  g_ptr_array_add (events, create);
  for (guint m = 0; m < months; m++)
    {
      guint year = 0, month = 0, next_year, next_month;

      g_assert_true (hl_archive_month_of (month_start, &year, &month));
      for (guint t = 0; t < threads; t++)
        {
          guint64 ts = month_start + (guint64) t * 3600000;
          HlEvent *thread = hl_test_event (author, HL_KIND_THREAD_CREATE, ts, 0, subnet,
                                           "{\"title\":\"Thread %u.%u\",\"body\":\"About %u\"}",
                                           m, t, t);

          g_ptr_array_add (events, thread);
          for (guint r = 0; r < replies; r++)
            g_ptr_array_add (events, hl_test_event (author, HL_KIND_REPLY_CREATE,
                                                    ts + 1000 * (r + 1), 0, thread->id,
                                                    "{\"body\":\"Reply %u to %u.%u\"}", r, m,
                                                    t));
        }
      next_year = year;
      next_month = month;
      hl_archive_month_next (&next_year, &next_month);
      month_start = (guint64) hl_archive_month_start_ms (next_year, next_month);
    }
  return events;
}

HlPlacement *
device_place (Device                  *d,
       const HlSegmentManifest *m)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) holders = hl_store_archive_list_holders (d->store, 0, &error);
  g_autofree guint8 *keys = g_malloc ((gsize) MAX (holders->len, 1) * HL_KEY_LEN);
  gint lose;
  gboolean set;

  g_assert_no_error (error);
  for (guint i = 0; i < holders->len; i++)
    memcpy (keys + (gsize) i * HL_KEY_LEN, g_array_index (holders, HlArchiveHolder, i).key,
            HL_KEY_LEN);
  g_assert_true (hl_store_archive_get_policy (d->store, m->subnet, &lose, &set, NULL));
  return hl_placement_new (m, keys, holders->len, lose);
}

/* Writes each run of @d's share of its current segments to @dir: for a run,
 * NAME.sym (the symbols) and NAME.proof, NAME = manifest-sbn-first-count. */
guint
device_export_share (Device     *d,
              const char *dir)
{
  g_autoptr(GPtrArray) current = device_current (d);
  g_autoptr(GError) error = NULL;
  guint files = 0;

  for (guint i = 0; i < current->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (current, i);
      g_autoptr(HlPlacement) placement = device_place (d, &row->manifest);
      g_autoptr(GArray) ranges = hl_placement_ranges (placement,
                                                      hl_identity_get_public_key (d->identity));
      g_autofree char *manifest = hl_hex_dup (row->manifest_id, HL_ID_LEN);

      for (guint r = 0; r < ranges->len; r++)
        {
          const HlEsiRange *range = &g_array_index (ranges, HlEsiRange, r);
          g_autoptr(GBytes) proof = NULL;
          g_autoptr(GBytes) symbols = hl_archive_read_run (d->archive, row->rowid, range->sbn,
                                                           range->first, range->count, &proof,
                                                           &error);
          g_autofree char *name = g_strdup_printf ("%s/%s-%u-%u-%u", dir, manifest, range->sbn,
                                                   range->first, range->count);
          g_autofree char *sym = g_strconcat (name, ".sym", NULL);
          g_autofree char *prf = g_strconcat (name, ".proof", NULL);

          g_assert_no_error (error);
          g_assert_true (g_file_set_contents (sym, g_bytes_get_data (symbols, NULL),
                                              (gssize) g_bytes_get_size (symbols), NULL));
          g_assert_true (g_file_set_contents (prf, g_bytes_get_data (proof, NULL),
                                              (gssize) g_bytes_get_size (proof), NULL));
          files++;
        }
    }
  return files;
}

/* Reads the runs of @dir into @d; returns the symbols stored. A run that
 * fails its proof sets @error and nothing of it is kept. */
guint
device_import_share (Device      *d,
              const char  *dir,
              guint       *refused)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *entry;
  guint stored_all = 0;

  *refused = 0;
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *base = NULL, *sym = NULL, *prf = NULL;
      g_autofree char *sym_data = NULL, *prf_data = NULL;
      g_autoptr(GBytes) symbols = NULL;
      g_autoptr(GBytes) proof = NULL;
      g_autoptr(HlSegmentRow) row = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) fields = NULL;
      guint8 manifest[HL_ID_LEN];
      gsize sym_len, prf_len;
      guint stored = 0;

      if (!g_str_has_suffix (entry, ".sym"))
        continue;
      base = g_strndup (entry, strlen (entry) - 4);
      sym = g_build_filename (dir, entry, NULL);
      prf = g_strdup_printf ("%s/%s.proof", dir, base);
      g_assert_true (g_file_get_contents (sym, &sym_data, &sym_len, NULL));
      g_assert_true (g_file_get_contents (prf, &prf_data, &prf_len, NULL));
      fields = g_strsplit (base, "-", 4);
      g_assert_true (hl_hex_decode (fields[0], manifest, HL_ID_LEN));
      row = hl_store_archive_find_manifest (d->store, manifest, &error);
      g_assert_no_error (error);
      symbols = g_bytes_new (sym_data, sym_len);
      proof = g_bytes_new (prf_data, prf_len);
      if (!hl_archive_store_run (d->archive, row->rowid, (guint) atoi (fields[1]),
                                 (guint32) atoi (fields[2]), (guint32) atoi (fields[3]), symbols,
                                 proof, &stored, &error))
        {
          g_assert_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SYMBOL);
          g_assert_cmpuint (stored, ==, 0);
          (*refused)++;
          continue;
        }
      stored_all += stored;
    }
  return stored_all;
}

char *
device_state (Device *d)
{
  g_autoptr(GError) error = NULL;
  char *hash = hl_store_state_hash (d->store, &error);

  g_assert_no_error (error);
  return hash;
}
