/* hl-archive-maintain.c: what a device does for the archive on its own,
 * in order: announce itself as a holder, look at every range (sealing,
 * checking, resealing, its share: hl-archive-seal.c), drop what is
 * superseded, evict what the quota does not hold.
 *
 * Every step works on one part of one range at a time, built, written and
 * freed before the next, and commits in transactions of its own: a process
 * killed anywhere leaves a database that the next run picks up from (a
 * sealing published in part is completed, a share half written is
 * written again).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-private.h"

#include <sodium.h>

#include "hl-store-recheck.h"
#include "hl-store-sync.h"

#define HOLDER_EVERY_MS    (24 * G_GINT64_CONSTANT (3600000))
#define SUPERSEDED_KEEP_MS (24 * G_GINT64_CONSTANT (3600000))

char *
hl_archive_range_name (const guint8 *subnet,
                       guint         year,
                       guint         month)
{
  g_autofree char *hex = hl_hex_dup (subnet, HL_ID_LEN);

  return g_strdup_printf ("%s/%04u%02u", hex, year, month);
}

/* An archive.holder every 24 h (a third of the grace period when that is
 * shorter), or at once when the quota changed. */
static gboolean
announce (HlArchive        *self,
          HlArchiveReport  *report,
          GError          **error)
{
  g_autoptr(HlEvent) event = NULL;
  g_autofree char *body = NULL;
  HlArchiveHolder holder;
  gboolean found;
  gint64 quota, grace;

  if (self->identity == NULL)
    return TRUE;
  if ((quota = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_QUOTA, error)) < 0 ||
      !hl_store_archive_get_holder (self->store, hl_archive_self_key (self), &holder, &found,
                                    error))
    return FALSE;
  /* Often enough that the holder never leaves the set while it runs. */
  if ((grace = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_GRACE, error)) < 0)
    return FALSE;
  if (found ? (holder.quota == (guint64) quota &&
               hl_archive_now (self) - holder.ts_ms < MIN (HOLDER_EVERY_MS, grace / 3))
            : quota == 0)
    return TRUE;
  body = g_strdup_printf ("{\"quota\":%" G_GINT64_FORMAT "}", quota);
  if (!(event = hl_store_publish (self->store, self->identity, HL_KIND_ARCHIVE_HOLDER, NULL, body,
                                  error)))
    return FALSE;
  report->announced = TRUE;
  return TRUE;
}

gboolean
hl_archive_share_complete (HlArchive   *self,
                           HlPlacement *placement,
                           gint64       rowid,
                           gboolean    *complete,
                           GError     **error)
{
  g_autoptr(GArray) ranges = NULL;
  const guint8 *key = hl_archive_self_key (self);

  *complete = TRUE;
  if (key == NULL || placement == NULL)
    return TRUE;
  ranges = hl_placement_ranges (placement, key);
  for (guint i = 0; i < ranges->len && *complete; i++)
    {
      const HlEsiRange *r = &g_array_index (ranges, HlEsiRange, i);
      gint64 n = hl_store_archive_count_symbols (self->store, rowid, (gint) r->sbn, r->first,
                                                 r->count, error);

      if (n < 0)
        return FALSE;
      *complete = n == r->count;
    }
  return TRUE;
}

/* Superseded symbols go once this device holds its share of the range's
 * current sealing, or 24 h after they were superseded. */
static gboolean
superseded_droppable (HlArchive          *self,
                      GPtrArray          *rows,
                      const HlSegmentRow *row,
                      GArray             *holders,
                      gboolean           *droppable,
                      GError            **error)
{
  gboolean has_current = FALSE;

  *droppable = TRUE;
  if (row->changed_ms + SUPERSEDED_KEEP_MS <= hl_archive_now (self))
    return TRUE;
  for (guint j = 0; j < rows->len && *droppable; j++)
    {
      const HlSegmentRow *other = g_ptr_array_index (rows, j);
      g_autoptr(HlPlacement) placement = NULL;

      if (other->state != HL_SEGMENT_CURRENT ||
          memcmp (other->manifest.subnet, row->manifest.subnet, HL_ID_LEN) != 0 ||
          other->manifest.year != row->manifest.year ||
          other->manifest.month != row->manifest.month)
        continue;
      has_current = TRUE;
      placement = hl_archive_place (self, &other->manifest, holders, NULL);
      if (!hl_archive_share_complete (self, placement, other->rowid, droppable, error))
        return FALSE;
    }
  /* A range with no current sealing keeps them for the 24 h. */
  *droppable = *droppable && has_current;
  return TRUE;
}

static gboolean
drop_superseded (HlArchive       *self,
                 GArray          *holders,
                 HlArchiveReport *report,
                 GError         **error)
{
  g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (self->store, NULL, 0, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);
      gboolean droppable;
      gint64 dropped, stored;

      if (row->state != HL_SEGMENT_SUPERSEDED)
        continue;
      if ((stored = hl_store_archive_count_symbols (self->store, row->rowid, -1, 0, 0,
                                                    error)) < 0 ||
          (stored > 0 &&
           !superseded_droppable (self, rows, row, holders, &droppable, error)))
        return FALSE;
      if (stored == 0 || !droppable)
        continue;
      if (!hl_store_begin_batch (self->store, error))
        return FALSE;
      if ((dropped = hl_store_archive_drop_symbols (self->store, row->rowid, -1, 0, 0,
                                                    error)) < 0)
        {
          hl_store_abort_batch (self->store);
          return FALSE;
        }
      if (!hl_store_commit_batch (self->store, error))
        return FALSE;
      report->symbols_dropped += (guint64) dropped;
    }
  return TRUE;
}

/* Over quota: what this device holds beyond its share of current and
 * pending segments goes (a cache from restores). Its share stays, whatever
 * the quota (status says when it does not fit). */
static gboolean
evict (HlArchive       *self,
       GArray          *holders,
       HlArchiveReport *report,
       GError         **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  gint64 quota = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_QUOTA, error);
  gint64 used = quota < 0 ? -1 : hl_store_archive_symbol_bytes (self->store, error);
  const guint8 *key = hl_archive_self_key (self);

  if (used < 0)
    return FALSE;
  if (used <= quota)
    return TRUE;
  if (!(rows = hl_store_archive_list_segments (self->store, NULL, 0, error)))
    return FALSE;
  for (guint i = 0; i < rows->len && used > quota; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);
      g_autoptr(HlPlacement) placement = NULL;

      if (row->state == HL_SEGMENT_SUPERSEDED)
        continue;
      placement = hl_archive_place (self, &row->manifest, holders, NULL);
      if (!hl_store_begin_batch (self->store, error))
        return FALSE;
      for (guint sbn = 0; sbn < row->manifest.n_roots; sbn++)
        {
          HlEsiRange own = { sbn, 0, 0 };
          gint64 dropped;

          if (key != NULL && placement != NULL)
            hl_placement_range (placement, key, sbn, &own);
          dropped = hl_store_archive_drop_symbols (self->store, row->rowid, (gint) sbn, own.first,
                                                   own.count, error);
          if (dropped < 0)
            {
              hl_store_abort_batch (self->store);
              return FALSE;
            }
          used -= dropped * HL_ARCHIVE_SYMBOL_SIZE;
          report->symbols_dropped += (guint64) dropped;
        }
      if (!hl_store_commit_batch (self->store, error))
        return FALSE;
    }
  return TRUE;
}

static void
add_range (GHashTable   *ranges,
           const guint8 *subnet,
           guint         year,
           guint         month)
{
  HlArchiveRange *range = g_new0 (HlArchiveRange, 1);

  memcpy (range->subnet, subnet, HL_ID_LEN);
  range->year = year;
  range->month = month;
  g_hash_table_insert (ranges, hl_archive_range_name (subnet, year, month), range);
}

static void
add_event_range (const guint8 *subnet,
                 guint         year,
                 guint         month,
                 guint64       n_events,
                 guint64       bytes,
                 gpointer      user_data)
{
  add_range (user_data, subnet, year, month);
}

/* Every range with segments stored and, with @with_events, every range
 * with events held, in a fixed order. A range with events and no segment
 * is only ever sealed: a pass that seals nothing has nothing to do there,
 * and spares reading every held event to find them. */
static GPtrArray *
collect_ranges (HlArchive  *self,
                gboolean    with_events,
                GError    **error)
{
  g_autoptr(GHashTable) ranges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (self->store, NULL, 0, error);
  g_autoptr(GList) names = NULL;
  GPtrArray *out;

  if (rows == NULL ||
      (with_events &&
       !hl_store_archive_foreach_range (self->store, add_event_range, ranges, error)))
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentManifest *m = &((HlSegmentRow *) g_ptr_array_index (rows, i))->manifest;

      add_range (ranges, m->subnet, m->year, m->month);
    }
  names = g_list_sort (g_hash_table_get_keys (ranges), (GCompareFunc) strcmp);
  out = g_ptr_array_new_with_free_func (g_free);
  for (GList *l = names; l != NULL; l = l->next)
    g_ptr_array_add (out, g_memdup2 (g_hash_table_lookup (ranges, l->data), sizeof (HlArchiveRange)));
  return out;
}

/* What decides whether a pass over every range can find anything to do:
 * events (a late one, a delete, a manifest, a holder), containment, the
 * months that are old enough, the holder set. */
typedef struct
{
  gint64 seq;
  gint64 epoch;
  gint64 cutoff;
  guint8 holders[HL_ID_LEN];
} Situation;

static gboolean
read_situation (HlArchive  *self,
                GArray     *holders,
                Situation  *now,
                GError    **error)
{
  crypto_generichash_state state;
  gint64 after = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_SEAL_AFTER, error);
  guint year, month;

  if (after < 0 || (now->seq = hl_store_sync_max_seq (self->store, error)) < 0 ||
      (now->epoch = hl_store_sync_containment_epoch (self->store, error)) < 0)
    return FALSE;
  now->cutoff = hl_archive_month_of ((guint64) MAX (hl_archive_now (self) - after, 0), &year,
                                     &month) ? year * 100 + month : 0;
  crypto_generichash_init (&state, NULL, 0, HL_ID_LEN);
  for (guint i = 0; i < holders->len; i++)
    crypto_generichash_update (&state, g_array_index (holders, HlArchiveHolder, i).key,
                               HL_KEY_LEN);
  crypto_generichash_final (&state, now->holders, HL_ID_LEN);
  return TRUE;
}

/* A pass that sealed nothing (a peer was not in sync) finds nothing new in
 * another such pass, but one that may seal has more to do. */
static gboolean
nothing_changed (HlArchive              *self,
                 HlArchiveMaintainFlags  flags,
                 const Situation        *now)
{
  return self->idle_known && (!self->idle_no_seal || (flags & HL_ARCHIVE_NO_SEAL)) &&
         now->seq == self->idle_seq && now->epoch == self->idle_epoch &&
         now->cutoff == self->idle_cutoff &&
         memcmp (now->holders, self->idle_holders, HL_ID_LEN) == 0 &&
         g_hash_table_size (self->reseal_due) == 0;
}

static gboolean
maintain_ranges (HlArchive               *self,
                 GArray                  *holders,
                 HlArchiveMaintainFlags   flags,
                 HlArchiveReport         *report,
                 GError                 **error)
{
  g_autoptr(GPtrArray) ranges = collect_ranges (self, !(flags & HL_ARCHIVE_NO_SEAL), error);
  Situation after;

  if (ranges == NULL)
    return FALSE;
  for (guint i = 0; i < ranges->len; i++)
    if (!hl_archive_maintain_range (self, g_ptr_array_index (ranges, i), holders, flags, report, error))
      {
        const HlArchiveRange *r = g_ptr_array_index (ranges, i);

        g_prefix_error (error, "Archive of %04u-%02u: ", r->year, r->month);
        return FALSE;
      }
  g_clear_pointer (&self->built, hl_segment_free);
  g_clear_pointer (&self->built_ids, g_array_unref);
  /* After the pass, which may have published manifests itself. */
  if (!read_situation (self, holders, &after, error))
    return FALSE;
  /* A pass that sealed nothing because the device was receiving is done
   * again once it is not, though nothing else changed (nothing_changed). */
  self->idle_known = !(flags & HL_ARCHIVE_SEAL_ALL);
  self->idle_no_seal = (flags & HL_ARCHIVE_NO_SEAL) != 0;
  self->idle_seq = after.seq;
  self->idle_epoch = after.epoch;
  self->idle_cutoff = after.cutoff;
  memcpy (self->idle_holders, after.holders, HL_ID_LEN);
  return TRUE;
}

gboolean
hl_archive_maintain (HlArchive               *self,
                     HlArchiveMaintainFlags   flags,
                     HlArchiveReport         *report,
                     GError                 **error)
{
  g_autoptr(GArray) holders = NULL;
  HlArchiveReport ignored;
  Situation now;

  if (report == NULL)
    report = &ignored;
  memset (report, 0, sizeof *report);
  /* What was stored under older rules, before anything is built from it. */
  if (!hl_store_recheck_events (self->store, NULL, error) ||
      !announce (self, report, error) ||
      !(holders = hl_archive_holder_set (self, error)) ||
      !read_situation (self, holders, &now, error))
    return FALSE;
  /* A pass reads every range's events: skipped while nothing it depends on
   * changed since the last one. */
  if ((flags & HL_ARCHIVE_SEAL_ALL) || !nothing_changed (self, flags, &now))
    if (!maintain_ranges (self, holders, flags, report, error))
      return FALSE;
  return drop_superseded (self, holders, report, error) && evict (self, holders, report, error) &&
         hl_archive_horizon_apply (self, &report->dropped, error);
}
