/* hl-archive-horizon.c: which sealed months this device may stop keeping
 * in full ("Keep on this device", docs/protocol.md, "Horizon"), and
 * dropping their threads: only months a current segment holds that this
 * device verified, and only while the archive's policy holds without this
 * device's copy of the events (it keeps its share of the symbols like
 * every holder, and no longer rebuilds the segment from its events).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-private.h"

#include "hl-store-horizon.h"

void
hl_horizon_plan_free (HlHorizonPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->segments, g_array_unref);
  g_clear_pointer (&plan->refused, g_ptr_array_unref);
  g_free (plan);
}

gint64
hl_archive_horizon_boundary (HlArchive *self,
                             gint       months)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (hl_archive_now (self) / 1000);
  g_autoptr(GDateTime) back = g_date_time_add_months (now, -months);

  return g_date_time_to_unix (back) * 1000;
}

/* Whether the month of @m ended before @boundary_ms. */
static gboolean
beyond (const HlSegmentManifest *m,
        gint64                   boundary_ms)
{
  guint year = m->year, month = m->month;

  hl_archive_month_next (&year, &month);
  return hl_archive_month_start_ms (year, month) <= boundary_ms;
}

void
hl_horizon_refusal_free (HlHorizonRefusal *refusal)
{
  if (refusal == NULL)
    return;
  g_free (refusal->subnet_name);
  g_free (refusal);
}

/* Why this device must keep the segment's events, or NULL when the
 * policy holds without them. */
static HlHorizonRefusal *
why_kept (const HlArchiveSegmentStatus *s)
{
  HlHorizonRefusal r = { 0 };

  if (s->holders < 2)
    r.reason = HL_HORIZON_KEEP_ONLY_HOLDER;
  else if (s->policy_lose < 1)
    r.reason = HL_HORIZON_KEEP_NO_LOSS_POLICY;
  else if (s->tolerance < (gint) s->policy_lose)
    r.reason = HL_HORIZON_KEEP_TOLERANCE;
  else if (s->own_held < s->own_expected)
    r.reason = HL_HORIZON_KEEP_SHARE_PARTIAL;
  else
    return NULL;
  memcpy (r.subnet, s->row->manifest.subnet, HL_ID_LEN);
  r.subnet_name = g_strdup (s->subnet_name);
  r.year = s->row->manifest.year;
  r.month = s->row->manifest.month;
  r.tolerance = MAX (s->tolerance, 0);
  r.holders = s->holders;
  r.policy_lose = s->policy_lose;
  r.own_held = s->own_held;
  r.own_expected = s->own_expected;
  return g_memdup2 (&r, sizeof r);
}

char *
hl_horizon_refusal_describe (const HlHorizonRefusal *r)
{
  g_autofree char *hex = hl_hex_dup (r->subnet, HL_ID_LEN);
  g_autofree char *label = r->subnet_name != NULL
                             ? g_strdup_printf ("%04u-%02u of %s", r->year, r->month,
                                                r->subnet_name)
                             : g_strdup_printf ("%04u-%02u of %.8s…", r->year, r->month, hex);

  switch (r->reason)
    {
    case HL_HORIZON_KEEP_ONLY_HOLDER:
      return g_strdup_printf ("%s stays: this device is the only one that holds its symbols",
                              label);
    case HL_HORIZON_KEEP_NO_LOSS_POLICY:
      return g_strdup_printf ("%s stays: the group's archive policy may lose no device", label);
    case HL_HORIZON_KEEP_TOLERANCE:
      return g_strdup_printf ("%s stays: without this device's copy the group could lose %d of "
                              "its %u devices, and the policy says %u", label, r->tolerance,
                              r->holders, r->policy_lose);
    case HL_HORIZON_KEEP_SHARE_PARTIAL:
    default:
      return g_strdup_printf ("%s stays: this device holds %" G_GUINT64_FORMAT " of the %"
                              G_GUINT64_FORMAT " symbols of its share yet", label, r->own_held,
                              r->own_expected);
    }
}

/* The ranges loaded back recently enough, and within the cache's size:
 * they stay a while ("subnet-hex/yyyymm" keys). */
static GHashTable *
protected_ranges (HlArchive  *self,
                  GError    **error)
{
  g_autoptr(GArray) ranges = hl_store_horizon_list (self->store, NULL, FALSE, error);
  gint64 cache = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_LOADED_CACHE,
                                               error);
  GHashTable *kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 now = hl_archive_now (self);
  guint64 used = 0;

  if (ranges == NULL || cache < 0)
    {
      g_hash_table_unref (kept);
      return NULL;
    }
  /* The most recently loaded first. */
  for (;;)
    {
      HlHorizonRange *newest = NULL;

      for (guint i = 0; i < ranges->len; i++)
        {
          HlHorizonRange *r = &g_array_index (ranges, HlHorizonRange, i);

          if (r->loaded_ms != 0 && (newest == NULL || r->loaded_ms > newest->loaded_ms))
            newest = r;
        }
      if (newest == NULL)
        break;
      used += newest->bytes;
      if (now - newest->loaded_ms < HL_HORIZON_LOADED_KEEP_MS && used <= (guint64) cache)
        g_hash_table_add (kept, hl_archive_range_name (newest->subnet, newest->month / 100,
                                                       newest->month % 100));
      newest->loaded_ms = 0;
    }
  return kept;
}

HlHorizonPlan *
hl_archive_horizon_plan (HlArchive  *self,
                         gint        months,
                         GError    **error)
{
  g_autoptr(HlHorizonPlan) plan = g_new0 (HlHorizonPlan, 1);
  g_autoptr(HlArchiveStatus) status = NULL;
  g_autoptr(GHashTable) kept = NULL;

  plan->months = months;
  plan->segments = g_array_new (FALSE, FALSE, sizeof (gint64));
  plan->refused = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_horizon_refusal_free);
  if (months <= 0)
    return g_steal_pointer (&plan);
  plan->boundary_ms = hl_archive_horizon_boundary (self, months);
  if (!(status = hl_archive_status (self, error)) || !(kept = protected_ranges (self, error)))
    return NULL;
  for (guint i = 0; i < status->segments->len; i++)
    {
      const HlArchiveSegmentStatus *s = g_ptr_array_index (status->segments, i);
      const HlSegmentManifest *m = &s->row->manifest;
      g_autofree char *name = hl_archive_range_name (m->subnet, m->year, m->month);
      HlHorizonRefusal *why;

      if (s->row->verified_ms == 0 || !beyond (m, plan->boundary_ms) ||
          g_hash_table_contains (kept, name))
        continue;
      if ((why = why_kept (s)) != NULL)
        {
          g_ptr_array_add (plan->refused, why);
          continue;
        }
      g_array_append_val (plan->segments, s->row->rowid);
    }
  if (!hl_store_horizon_drop (self->store, (const gint64 *) plan->segments->data,
                              plan->segments->len, FALSE, &plan->frees, error))
    return NULL;
  return g_steal_pointer (&plan);
}

gboolean
hl_archive_horizon_apply (HlArchive        *self,
                          HlHorizonAmount  *dropped,
                          GError          **error)
{
  g_autoptr(HlHorizonPlan) plan = NULL;
  gint64 months = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_HORIZON, error);
  HlHorizonAmount ignored;

  if (dropped == NULL)
    dropped = &ignored;
  memset (dropped, 0, sizeof *dropped);
  if (months < 0 ||
      !hl_store_horizon_note_loaded (self->store, hl_archive_now (self), NULL, error))
    return FALSE;
  /* Keeping everything again: what came back stays, and is no longer a cache. */
  if (months == HL_HORIZON_EVERYTHING)
    return hl_store_horizon_forget_loaded (self->store, error);
  if (!(plan = hl_archive_horizon_plan (self, (gint) months, error)))
    return FALSE;
  if (plan->frees.threads == 0)
    return TRUE;
  if (!hl_store_horizon_drop (self->store, (const gint64 *) plan->segments->data,
                              plan->segments->len, TRUE, dropped, error))
    return FALSE;
  g_message ("Dropped %" G_GUINT64_FORMAT " threads (%" G_GUINT64_FORMAT " events) older than "
             "%s: their months are in the archive", dropped->threads, dropped->events,
             hl_horizon_label ((gint) months));
  return hl_store_horizon_vacuum (self->store, error);
}
