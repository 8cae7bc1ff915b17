/* hl-archive-seal.c: one range of the archive on this device: sealing it,
 * checking its current segments against this device's events, resealing
 * it after late events and deletes, keeping this device's share of it
 * (docs/protocol.md, "Sealing", "Late events and deletes").
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

#include "hl-store-privnet.h"
#include "hl-store-sync.h"

#define RESEAL_DELAY_MS   60000

gboolean
hl_archive_adopt_in_batch (HlArchive          *self,
                           const HlSegmentRow *row,
                           HlSegment          *segment,
                           GArray             *ids,
                           GArray             *holders,
                           guint64            *written,
                           GError            **error)
{
  g_autoptr(HlPlacement) placement = hl_archive_place (self, &row->manifest, holders, NULL);
  g_autoptr(GArray) ranges = NULL;
  const guint8 *key = hl_archive_self_key (self);
  guint8 symbol[HL_ARCHIVE_SYMBOL_SIZE], leaf[HL_ID_LEN];

  ranges = key != NULL && placement != NULL ? hl_placement_ranges (placement, key)
                                            : g_array_new (FALSE, FALSE, sizeof (HlEsiRange));
  for (guint i = 0; i < ranges->len; i++)
    {
      const HlEsiRange *r = &g_array_index (ranges, HlEsiRange, i);
      g_autoptr(GBytes) proof = NULL;
      gint64 have = hl_store_archive_count_symbols (self->store, row->rowid, (gint) r->sbn,
                                                    r->first, r->count, error);

      if (have < 0)
        goto fail;
      if (have == r->count)
        continue;
      /* Without symbols to write, the segment itself is not needed. */
      if (segment == NULL)
        {
          g_set_error_literal (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT,
                               "The share lacks symbols and no segment was given to make them");
          goto fail;
        }
      for (guint32 esi = r->first; esi < r->first + r->count; esi++)
        {
          if (!hl_segment_symbol (segment, r->sbn, esi, symbol, error))
            goto fail;
          hl_archive_leaf (r->sbn, esi, symbol, leaf);
          if (!hl_store_archive_put_symbol (self->store, row->rowid, r->sbn, esi, leaf, symbol,
                                            error))
            goto fail;
        }
      proof = hl_segment_proof (segment, r->sbn, r->first, r->count);
      if (!hl_store_archive_put_proof (self->store, row->rowid, r->sbn, r->first, r->count, proof,
                                       error))
        goto fail;
      *written += r->count - (guint64) have;
    }
  return hl_store_archive_set_verified (self->store, row->rowid, ids, error);

fail:
  return FALSE;
}

gboolean
hl_archive_adopt (HlArchive          *self,
                  const HlSegmentRow *row,
                  HlSegment          *segment,
                  GArray             *ids,
                  GArray             *holders,
                  guint64            *written,
                  GError            **error)
{
  if (!hl_store_begin_batch (self->store, error))
    return FALSE;
  if (!hl_archive_adopt_in_batch (self, row, segment, ids, holders, written, error) ||
      !hl_store_commit_batch (self->store, error))
    {
      hl_store_abort_batch (self->store);
      return FALSE;
    }
  return TRUE;
}

/* Builds part @part of the range at @gen from this device's events. */
static HlSegment *
build_part (HlArchive        *self,
            const HlArchiveRange      *range,
            const guint8     *subnet_key,
            guint32           gen,
            guint             part,
            guint             parts,
            const HlSealPart *plan,
            GArray           *ids,
            GError          **error)
{
  g_autoptr(GBytes) plaintext = hl_archive_part_plaintext (self->store, range->subnet,
                                                           range->year, range->month, gen, part,
                                                           parts, plan, ids, error);

  return plaintext != NULL ? hl_segment_new_from_plaintext (plaintext, subnet_key, error) : NULL;
}

/* The stored rows of a sealing, by part: NULL where a part is missing. */
static GPtrArray *
rows_of_sealing (GPtrArray    *rows,
                 guint32       gen,
                 const guint8 *set,
                 guint         parts)
{
  GPtrArray *by_part = g_ptr_array_new ();

  g_ptr_array_set_size (by_part, parts);
  for (guint i = 0; i < rows->len; i++)
    {
      HlSegmentRow *row = g_ptr_array_index (rows, i);

      if (row->manifest.gen == gen && memcmp (row->manifest.set, set, HL_ID_LEN) == 0 &&
          row->manifest.parts == parts && by_part->pdata[row->manifest.part] == NULL)
        by_part->pdata[row->manifest.part] = row;
    }
  return by_part;
}

static void
manifest_free (HlSegmentManifest *m)
{
  hl_segment_manifest_clear (m);
  g_free (m);
}

/* Keeps a built part's manifest (in @manifests) and, for the last part,
 * the segment itself for the step after. */
static void
keep_part (HlArchive  *self,
           HlSegment  *segment,
           GArray     *ids,
           gboolean    last,
           GPtrArray  *manifests)
{
  HlSegmentManifest *m = g_memdup2 (hl_segment_manifest (segment), sizeof *m);

  m->roots = g_memdup2 (m->roots, (gsize) m->n_roots * HL_ID_LEN);
  g_ptr_array_add (manifests, m);
  if (!last)
    {
      hl_segment_free (segment);
      g_array_unref (ids);
      return;
    }
  g_clear_pointer (&self->built, hl_segment_free);
  g_clear_pointer (&self->built_ids, g_array_unref);
  self->built = segment;
  self->built_ids = ids;
}

/* Every part of the range at @gen built once, for its manifest (one part
 * in memory at a time): a range that fits one part is read in one pass. */
static gboolean
build_sealing (HlArchive    *self,
               const HlArchiveRange  *range,
               const guint8 *subnet_key,
               guint32       gen,
               GPtrArray    *manifests,
               GError      **error)
{
  g_autoptr(GArray) plan = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (HlId));
  g_autoptr(GBytes) whole = NULL;
  HlSegment *segment = NULL;
  gboolean fits;

  whole = hl_archive_whole_plaintext (self->store, range->subnet, range->year, range->month, gen,
                                      ids, &fits, error);
  if (fits)
    {
      if (ids->len == 0)
        {
          g_array_unref (ids);
          return TRUE;
        }
      segment = hl_segment_new_from_plaintext (whole, subnet_key, error);
      if (segment == NULL)
        {
          g_array_unref (ids);
          return FALSE;
        }
      keep_part (self, segment, ids, TRUE, manifests);
      return TRUE;
    }
  g_array_unref (ids);
  if ((error != NULL && *error != NULL) ||
      !(plan = hl_archive_plan_parts (self->store, range->subnet, range->year, range->month,
                                      error)))
    return FALSE;
  for (guint p = 0; p < plan->len; p++)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (HlId));
      if (!(segment = build_part (self, range, subnet_key, gen, p, plan->len,
                                  &g_array_index (plan, HlSealPart, p), ids, error)))
        {
          g_array_unref (ids);
          return FALSE;
        }
      keep_part (self, segment, ids, p + 1 == plan->len, manifests);
    }
  return TRUE;
}

/* Seals the range at @gen: manifests for every part not yet published,
 * then this device's share of each (it verified them: it made them). */
static gboolean
seal (HlArchive        *self,
      const HlArchiveRange      *range,
      guint32           gen,
      GPtrArray        *rows,
      GArray           *holders,
      HlArchiveReport  *report,
      GError          **error)
{
  g_autoptr(GPtrArray) manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) manifest_free);
  g_autoptr(GPtrArray) present = NULL;
  g_autofree guint8 *hashes = NULL;
  const HlSegmentRow *superseded = NULL;
  guint8 subnet_key[HL_ARCHIVE_KEY_BYTES], set[HL_ID_LEN], epoch[HL_ID_LEN];
  gboolean has_epoch, built;

  if (!hl_archive_key_for (self->store, range->subnet, NULL, subnet_key, &has_epoch, epoch,
                           error))
    return FALSE;
  built = build_sealing (self, range, subnet_key, gen, manifests, error);
  sodium_memzero (subnet_key, sizeof subnet_key);
  if (!built)
    return FALSE;
  if (manifests->len == 0)
    return TRUE;
  for (guint i = 0; i < rows->len; i++)
    if (((HlSegmentRow *) g_ptr_array_index (rows, i))->state == HL_SEGMENT_CURRENT)
      superseded = g_ptr_array_index (rows, i);
  hashes = g_malloc ((gsize) manifests->len * HL_ID_LEN);
  for (guint p = 0; p < manifests->len; p++)
    memcpy (hashes + (gsize) p * HL_ID_LEN,
            ((HlSegmentManifest *) g_ptr_array_index (manifests, p))->hash, HL_ID_LEN);
  hl_archive_set_hash (range->subnet, range->year, range->month, gen, manifests->len, hashes,
                       set);
  present = rows_of_sealing (rows, gen, set, manifests->len);
  for (guint p = 0; p < manifests->len; p++)
    {
      HlSegmentManifest *m = g_ptr_array_index (manifests, p);
      g_autofree char *body = NULL;
      g_autoptr(HlEvent) event = NULL;

      /* A sealing published in part (the process was killed) is completed. */
      if (present->pdata[p] != NULL)
        continue;
      memcpy (m->set, set, HL_ID_LEN);
      /* A private subnet's: the epoch its members derive the key from. */
      if ((m->has_epoch = has_epoch))
        memcpy (m->epoch, epoch, HL_ID_LEN);
      if ((m->has_supersedes = superseded != NULL))
        memcpy (m->supersedes, superseded->manifest_id, HL_ID_LEN);
      body = hl_segment_manifest_body (m);
      if (!(event = hl_store_publish (self->store, self->identity, HL_KIND_ARCHIVE_SEGMENT,
                                      range->subnet, body, error)))
        return FALSE;
      report->sealed++;
      report->resealed += gen > 1;
      report->events_sealed += m->count;
      report->bytes_sealed += m->size - HL_ARCHIVE_TAG_BYTES;
    }
  return TRUE;
}

/* Checks part @row of a current sealing against this device's own events
 * (they give the same bytes, hash and roots) and keeps its share of it. */
static gboolean
refresh_part (HlArchive          *self,
              const HlArchiveRange        *range,
              const HlSegmentRow *row,
              GArray             *plan,
              GArray             *holders,
              gboolean           *matched,
              HlArchiveReport    *report,
              GError            **error)
{
  g_autoptr(HlSegment) rebuilt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (HlId));
  const HlSegmentManifest *want = &row->manifest, *got;
  guint8 subnet_key[HL_ARCHIVE_KEY_BYTES];
  HlSegment *segment;
  gboolean was_verified = row->verified_ms != 0;

  *matched = FALSE;
  if (!hl_archive_key_for (self->store, range->subnet, want, subnet_key, NULL, NULL, error))
    return FALSE;
  if (want->parts == 1)
    {
      gboolean fits;
      g_autoptr(GBytes) whole = hl_archive_whole_plaintext (self->store, range->subnet,
                                                            range->year, range->month, want->gen,
                                                            ids, &fits, error);

      if (!fits || ids->len == 0)
        return error == NULL || *error == NULL;
      if (!(rebuilt = hl_segment_new_from_plaintext (whole, subnet_key, error)))
        return FALSE;
    }
  else if (plan == NULL || plan->len != want->parts)
    return TRUE;
  else if (!(rebuilt = build_part (self, range, subnet_key, want->gen, want->part, want->parts,
                                   &g_array_index (plan, HlSealPart, want->part), ids, error)))
    return FALSE;
  segment = rebuilt;
  got = hl_segment_manifest (segment);
  if (memcmp (got->hash, want->hash, HL_ID_LEN) != 0 ||
      memcmp (got->oti, want->oti, HL_CODEC_OTI_SIZE) != 0 || got->n_roots != want->n_roots ||
      memcmp (got->roots, want->roots, (gsize) got->n_roots * HL_ID_LEN) != 0)
    return TRUE;
  *matched = TRUE;
  if (!hl_archive_adopt (self, row, segment, ids, holders, &report->symbols_written, error))
    return FALSE;
  report->verified += !was_verified;
  return TRUE;
}

/* Uses the segment the seal just built when it is this row's, to spare
 * building it again. */
static gboolean
adopt_built (HlArchive          *self,
             const HlSegmentRow *row,
             GArray             *holders,
             HlArchiveReport    *report,
             gboolean           *done,
             GError            **error)
{
  const HlSegmentManifest *m;

  *done = FALSE;
  if (self->built == NULL)
    return TRUE;
  m = hl_segment_manifest (self->built);
  if (memcmp (m->hash, row->manifest.hash, HL_ID_LEN) != 0 || m->n_roots != row->manifest.n_roots ||
      memcmp (m->roots, row->manifest.roots, (gsize) m->n_roots * HL_ID_LEN) != 0)
    return TRUE;
  if (!hl_archive_adopt (self, row, self->built, self->built_ids, holders,
                         &report->symbols_written, error))
    return FALSE;
  report->verified += row->verified_ms == 0;
  g_clear_pointer (&self->built, hl_segment_free);
  g_clear_pointer (&self->built_ids, g_array_unref);
  *done = TRUE;
  return TRUE;
}

/* The current rows of the range, by part (all of them, since a current
 * sealing is complete). */
static GPtrArray *
current_rows (GPtrArray *rows)
{
  GPtrArray *current = g_ptr_array_new ();

  for (guint i = 0; i < rows->len; i++)
    if (((HlSegmentRow *) g_ptr_array_index (rows, i))->state == HL_SEGMENT_CURRENT)
      g_ptr_array_add (current, g_ptr_array_index (rows, i));
  return current;
}

/* Keeps the current sealing checked and this device's share of it whole;
 * *@all_verified says whether every part is verified here now. */
static gboolean
keep_current (HlArchive       *self,
              const HlArchiveRange     *range,
              GPtrArray       *current,
              GArray          *holders,
              gboolean        *all_verified,
              HlArchiveReport *report,
              GError         **error)
{
  g_autoptr(GArray) plan = NULL;
  gint64 max_seq = hl_store_sync_max_seq (self->store, error);

  *all_verified = TRUE;
  if (max_seq < 0)
    return FALSE;
  for (guint i = 0; i < current->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (current, i);
      g_autoptr(HlPlacement) placement = hl_archive_place (self, &row->manifest, holders, NULL);
      gint64 *failed_at = g_hash_table_lookup (self->unverifiable, &row->rowid);
      gboolean complete, matched = FALSE, done;

      gint64 contained;

      if (!hl_archive_share_complete (self, placement, row->rowid, &complete, error) ||
          (contained = hl_store_archive_count_contained (self->store, row->rowid, error)) < 0)
        return FALSE;
      /* Verified while it was not current yet (decoded early, or it won a
       * tie later): its events are marked once it is current. */
      if (row->verified_ms != 0 && complete && contained > 0)
        continue;
      /* Nothing new to check it against since it last failed. */
      if (row->verified_ms == 0 && failed_at != NULL && *failed_at == max_seq)
        {
          *all_verified = FALSE;
          continue;
        }
      if (!adopt_built (self, row, holders, report, &done, error))
        return FALSE;
      if (done)
        continue;
      if (plan == NULL && row->manifest.parts > 1 &&
          !(plan = hl_archive_plan_parts (self->store, range->subnet, range->year, range->month,
                                          error)))
        return FALSE;
      if (!refresh_part (self, range, row, plan, holders, &matched, report, error))
        return FALSE;
      if (!matched && row->verified_ms == 0)
        {
          gint64 *key = g_memdup2 (&row->rowid, sizeof (gint64));

          g_hash_table_insert (self->unverifiable, key, g_memdup2 (&max_seq, sizeof max_seq));
          *all_verified = FALSE;
        }
    }
  return TRUE;
}

/* The gen of a new sealing: one above the current one; with no current
 * one, that of the sealing under way (completed when it is this device's,
 * else sealed beside it: the rule of equal gens decides), or 1. */
static guint32
next_gen (GPtrArray *rows)
{
  guint32 gen = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);

      if (row->state == HL_SEGMENT_CURRENT)
        return row->manifest.gen + 1;
      gen = MAX (gen, row->manifest.gen);
    }
  return MAX (gen, 1);
}

/* Whether a reseal is due: at once when asked, else after a random delay of
 * up to a minute, so that two devices noticing together rarely both seal. */
static gboolean
reseal_due (HlArchive              *self,
            const HlArchiveRange            *range,
            HlArchiveMaintainFlags  flags)
{
  g_autofree char *name = hl_archive_range_name (range->subnet, range->year, range->month);
  gint64 *due = g_hash_table_lookup (self->reseal_due, name);
  gint64 now = hl_archive_now (self);

  if (flags & HL_ARCHIVE_RESEAL_NOW)
    return TRUE;
  if (due == NULL)
    {
      gint64 when = now + g_random_int_range (0, RESEAL_DELAY_MS + 1);

      g_hash_table_insert (self->reseal_due, g_steal_pointer (&name), g_memdup2 (&when,
                                                                                 sizeof when));
      return FALSE;
    }
  if (*due > now)
    return FALSE;
  g_hash_table_remove (self->reseal_due, name);
  return TRUE;
}

static gboolean
sealable (HlArchive              *self,
          const HlArchiveRange            *range,
          HlArchiveMaintainFlags  flags,
          GError                **error)
{
  guint year = range->year, month = range->month;
  gint64 after;

  if (flags & HL_ARCHIVE_SEAL_ALL)
    return TRUE;
  if ((after = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_SEAL_AFTER,
                                             error)) < 0)
    return FALSE;
  hl_archive_month_next (&year, &month);
  return hl_archive_month_start_ms (year, month) + after <= hl_archive_now (self);
}

/* A deleted subnet's segments: nobody can read them again, so every holder
 * drops their symbols and their events go back to the reconciled set. */
static gboolean
bury (HlArchive       *self,
      GPtrArray       *rows,
      HlArchiveReport *report,
      GError         **error)
{
  if (!hl_store_begin_batch (self->store, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);
      gint64 dropped = hl_store_archive_drop_symbols (self->store, row->rowid, -1, 0, 0, error);

      if (dropped < 0 || !hl_store_archive_release (self->store, row->rowid, error))
        {
          hl_store_abort_batch (self->store);
          return FALSE;
        }
      report->symbols_dropped += (guint64) dropped;
    }
  return hl_store_commit_batch (self->store, error);
}

/* Whether this device holds the key it seals the range under and that of
 * every current segment of it (always, for a public subnet). */
static gboolean
private_range_readable (HlArchive            *self,
                        const HlArchiveRange *range,
                        GPtrArray            *rows)
{
  guint8 key[HL_ARCHIVE_KEY_BYTES];
  gboolean readable;

  if (!hl_store_private_is_subnet (self->store, range->subnet))
    return TRUE;
  readable = hl_archive_key_for (self->store, range->subnet, NULL, key, NULL, NULL, NULL);
  for (guint i = 0; readable && i < rows->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);

      readable = row->state != HL_SEGMENT_CURRENT ||
                 hl_archive_segment_readable (self, &row->manifest);
    }
  sodium_memzero (key, sizeof key);
  return readable;
}

gboolean
hl_archive_maintain_range (HlArchive              *self,
                           const HlArchiveRange   *range,
                           GArray                 *holders,
                           HlArchiveMaintainFlags  flags,
                           HlArchiveReport        *report,
                           GError                **error)
{
  guint ym = range->year * 100 + range->month;
  g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (self->store, range->subnet, ym,
                                                              error);
  g_autoptr(GPtrArray) current = NULL;
  gboolean held, dropped, all_verified = FALSE, differs = FALSE, reseal;

  if (rows == NULL ||
      !hl_store_archive_subnet_create (self->store, range->subnet, NULL, &held, error))
    return FALSE;
  if (!held)
    return !hl_store_has_event (self->store, range->subnet) || bury (self, rows, report, error);
  /* A private subnet's range: only a member of its epochs seals or checks
   * it (a device removed from it keeps its share as symbols, like any
   * holder that cannot read them). */
  if (!private_range_readable (self, range, rows))
    return TRUE;
  /* Threads of it dropped below the horizon: this device no longer holds
   * every event of the range, so it neither checks nor reseals it (it
   * would seal without what it dropped); it keeps its share as symbols. */
  if (!hl_store_horizon_is_dropped (self->store, range->subnet, ym, &dropped, error))
    return FALSE;
  if (dropped)
    return TRUE;
  current = current_rows (rows);
  if (current->len > 0)
    {
      if (!keep_current (self, range, current, holders, &all_verified, report, error) ||
          (all_verified && self->identity != NULL &&
           !hl_store_archive_range_differs (self->store, range->subnet, range->year,
                                            range->month, &differs, error)))
        return FALSE;
      /* Late events or deletes: only a device that holds every event of
       * the current sealing may reseal, or it would drop what it lacks. */
      reseal = all_verified && differs && !(flags & HL_ARCHIVE_NO_SEAL) &&
               reseal_due (self, range, flags);
      /* Nothing to reseal (any more: another device did): no reseal due. */
      if (!(all_verified && differs))
        {
          g_autofree char *name = hl_archive_range_name (range->subnet, range->year,
                                                         range->month);

          g_hash_table_remove (self->reseal_due, name);
        }
    }
  else
    {
      g_autoptr(GError) local = NULL;

      reseal = self->identity != NULL && sealable (self, range, flags, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  /* A device still receiving the forum would seal the part it has so far,
   * and a peer's sealing of the whole would then lose to it or differ. */
  if (!reseal || self->identity == NULL || (flags & HL_ARCHIVE_NO_SEAL))
    return TRUE;
  if (!seal (self, range, next_gen (rows), rows, holders, report, error))
    return FALSE;
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&current, g_ptr_array_unref);
  if (!(rows = hl_store_archive_list_segments (self->store, range->subnet, ym, error)))
    return FALSE;
  current = current_rows (rows);
  return keep_current (self, range, current, holders, &all_verified, report, error);
}


HlSegment *
hl_archive_rebuild (HlArchive  *self,
                    gint64      rowid,
                    GError    **error)
{
  g_autoptr(HlSegmentRow) row = hl_store_archive_get_segment (self->store, rowid, error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (HlId));
  g_autoptr(GArray) plan = NULL;
  g_autoptr(HlSegment) segment = NULL;
  guint8 subnet_key[HL_ARCHIVE_KEY_BYTES];
  const HlSegmentManifest *want, *got;
  HlArchiveRange range;

  if (row == NULL)
    return NULL;
  want = &row->manifest;
  memcpy (range.subnet, want->subnet, HL_ID_LEN);
  range.year = want->year;
  range.month = want->month;
  if (!hl_archive_key_for (self->store, range.subnet, want, subnet_key, NULL, NULL, error))
    return NULL;
  if (want->parts == 1)
    {
      gboolean fits;
      g_autoptr(GBytes) whole = hl_archive_whole_plaintext (self->store, range.subnet, range.year,
                                                            range.month, want->gen, ids, &fits,
                                                            error);

      if (whole == NULL && error != NULL && *error != NULL)
        return NULL;
      if (whole != NULL)
        segment = hl_segment_new_from_plaintext (whole, subnet_key, error);
      else if (error == NULL || *error == NULL)
        goto differs;
    }
  else
    {
      if (!(plan = hl_archive_plan_parts (self->store, range.subnet, range.year, range.month,
                                          error)))
        return NULL;
      if (plan->len != want->parts)
        goto differs;
      segment = build_part (self, &range, subnet_key, want->gen, want->part, want->parts,
                            &g_array_index (plan, HlSealPart, want->part), ids, error);
    }
  if (segment == NULL)
    return NULL;
  got = hl_segment_manifest (segment);
  if (memcmp (got->hash, want->hash, HL_ID_LEN) == 0 && got->n_roots == want->n_roots &&
      memcmp (got->roots, want->roots, (gsize) got->n_roots * HL_ID_LEN) == 0)
    return g_steal_pointer (&segment);

differs:
  g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_NOT_ENOUGH,
               "This device's events of %04u-%02u do not make the segment any more",
               want->year, want->month);
  return NULL;
}
