/* hl-archive-status.c: how safe the history is, in words a person reads.
 *
 * For other devices' holdings this device only knows placement: what each
 * should hold. The network part adds what peers report.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

/* gettext through GLib only: the archive links no GTK. The window binds
 * GETTEXT_PACKAGE; hyperlinkctl prints them in English unless it does. */
#include <glib/gi18n-lib.h>

#include "hl-archive-private.h"

static void
segment_status_free (HlArchiveSegmentStatus *s)
{
  g_clear_pointer (&s->row, hl_segment_row_free);
  g_free (s->subnet_name);
  g_free (s->risk);
  g_free (s);
}

static void
device_status_free (HlArchiveDeviceStatus *d)
{
  g_free (d->name);
  g_free (d);
}

void
hl_archive_status_free (HlArchiveStatus *status)
{
  if (status == NULL)
    return;
  g_clear_pointer (&status->segments, g_ptr_array_unref);
  g_clear_pointer (&status->devices, g_ptr_array_unref);
  g_clear_pointer (&status->warnings, g_ptr_array_unref);
  g_free (status->resilience);
  g_free (status);
}

/* "#linux", or the start of its id when the subnet is not known here. */
static char *
subnet_label (const HlArchiveSegmentStatus *s)
{
  g_autofree char *hex = NULL;

  if (s->subnet_name != NULL)
    return g_strdup_printf ("#%s", s->subnet_name);
  hex = hl_hex_dup (s->row->manifest.subnet, HL_ID_LEN);
  /* Translators: a subnet not known here, by the start of its id */
  return g_strdup_printf (_("subnet %.12s…"), hex);
}

static char *
segment_label (const HlArchiveSegmentStatus *s)
{
  g_autofree char *month = hl_segment_manifest_month (&s->row->manifest);
  g_autofree char *subnet = subnet_label (s);

  if (s->row->manifest.parts > 1)
    /* Translators: "segment 2026-03 (part 1 of 2) of #linux" */
    return g_strdup_printf (_("segment %s (part %u of %u) of %s"), month, s->row->manifest.part + 1,
                            s->row->manifest.parts, subnet);
  /* Translators: "segment 2026-03 of #linux" */
  return g_strdup_printf (_("segment %s of %s"), month, subnet);
}

static char *
risk_sentence (const HlArchiveSegmentStatus *s,
               guint                         wanted,
               gboolean                      own_missing)
{
  g_autofree char *label = segment_label (s);

  if (s->holders == 0)
    return g_strdup_printf (_("at risk: %s is held by no device (none offers its disk to the "
                              "archive)"), label);
  if (s->tolerance < 0)
    return g_strdup_printf (_("at risk: %s cannot be rebuilt from the symbols its holders keep"),
                            label);
  if (own_missing)
    return g_strdup_printf (_("at risk: %s lacks this device's share (run “hyperlinkctl archive "
                              "seal”, or restore it)"), label);
  /* Translators: "at risk: segment 2026-03 of #linux is held by only 2 devices (it can lose
   * 0; the policy asks for 1)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "at risk: %s is held by only %u device (it can lose %d; "
                                       "the policy asks for %u)",
                                       "at risk: %s is held by only %u devices (it can lose %d; "
                                       "the policy asks for %u)", s->holders),
                          label, s->holders, s->tolerance, wanted);
}

/* One current segment: who holds it, what it survives, this device's part. */
static HlArchiveSegmentStatus *
segment_status (HlArchive     *self,
                HlSegmentRow  *row,
                GArray        *holders,
                GPtrArray     *devices,
                GError       **error)
{
  HlArchiveSegmentStatus *s = g_new0 (HlArchiveSegmentStatus, 1);
  g_autoptr(HlPlacement) placement = NULL;
  g_autoptr(HlSubnetRow) subnet = NULL;
  const guint8 *key = hl_archive_self_key (self);
  gboolean set, own_missing = FALSE;
  guint wanted;

  s->row = row;
  subnet = hl_store_get_subnet (self->store, row->manifest.subnet, NULL);
  s->subnet_name = subnet != NULL ? g_strdup (subnet->name) : NULL;
  if (!hl_store_archive_get_policy (self->store, row->manifest.subnet, &s->policy, &set, error))
    goto fail;
  placement = hl_archive_place (self, &row->manifest, holders, error);
  s->holders = placement != NULL ? hl_placement_n_holders (placement) : 0;
  s->tolerance = placement != NULL ? hl_placement_tolerance (placement) : -1;
  s->policy_lose = placement != NULL ? hl_placement_lose (placement) : 0;
  for (guint i = 0; placement != NULL && i < devices->len; i++)
    {
      HlArchiveDeviceStatus *d = g_ptr_array_index (devices, i);
      g_autoptr(GArray) ranges = hl_placement_ranges (placement, d->key);

      for (guint r = 0; r < ranges->len; r++)
        {
          const HlEsiRange *range = &g_array_index (ranges, HlEsiRange, r);
          gint64 held = 0;

          d->expected += range->count;
          if (!d->is_self)
            continue;
          held = hl_store_archive_count_symbols (self->store, row->rowid, (gint) range->sbn,
                                                 range->first, range->count, error);
          if (held < 0)
            goto fail;
          d->held += held;
          s->own_expected += range->count;
          s->own_held += (guint64) held;
        }
    }
  /* What this device knows it lacks counts against what it may lose. */
  own_missing = key != NULL && s->own_held < s->own_expected;
  if (own_missing)
    s->tolerance--;
  wanted = s->policy == HL_ARCHIVE_LOSE_HALF ? s->holders / 2 : (guint) s->policy;
  s->at_risk = s->holders == 0 || s->tolerance < 0 || s->tolerance < (gint) wanted;
  if (s->at_risk)
    s->risk = risk_sentence (s, wanted, own_missing);
  return s;

fail:
  s->row = NULL;
  segment_status_free (s);
  return NULL;
}

static GPtrArray *
device_list (HlArchive  *self,
             GArray     *holders)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) device_status_free);
  const guint8 *key = hl_archive_self_key (self);

  for (guint i = 0; i < holders->len; i++)
    {
      const HlArchiveHolder *h = &g_array_index (holders, HlArchiveHolder, i);
      HlArchiveDeviceStatus *d = g_new0 (HlArchiveDeviceStatus, 1);
      g_autoptr(HlProfileRow) profile = hl_store_get_profile (self->store, h->key, NULL);

      memcpy (d->key, h->key, HL_KEY_LEN);
      d->name = profile != NULL ? g_strdup (profile->name) : NULL;
      d->last_seen_ms = h->ts_ms;
      d->quota = h->quota;
      d->is_self = key != NULL && memcmp (key, h->key, HL_KEY_LEN) == 0;
      d->held = d->is_self ? 0 : -1;
      g_ptr_array_add (devices, d);
    }
  return devices;
}

static char *
resilience (const HlArchiveStatus *status,
            guint                  n_holders)
{
  if (status->segments->len == 0)
    return g_strdup (_("nothing is archived yet"));
  if (n_holders == 0)
    return g_strdup (_("no device holds the archive: history that is sealed lives only in the "
                       "events devices still keep"));
  if (status->can_lose < 0)
    return g_strdup (_("some archived history cannot be rebuilt from what its holders keep"));
  if (status->can_lose == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "can lose none of your %u device",
                                         "can lose none of your %u devices", n_holders),
                            n_holders);
  /* Translators: "can lose any 3 of your 7 devices" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "can lose any %d of your %u device",
                                       "can lose any %d of your %u devices", n_holders),
                          status->can_lose, n_holders);
}

static gboolean
add_segments (HlArchive        *self,
              HlArchiveStatus  *status,
              GArray           *holders,
              GError          **error)
{
  g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (self->store, NULL, 0, error);

  if (rows == NULL)
    return FALSE;
  status->can_lose = G_MAXINT;
  for (guint i = 0; i < rows->len; i++)
    {
      HlSegmentRow *row = g_ptr_array_index (rows, i);
      HlArchiveSegmentStatus *s;

      if (row->state != HL_SEGMENT_CURRENT)
        {
          status->superseded += row->state == HL_SEGMENT_SUPERSEDED;
          continue;
        }
      /* The status owns the row from here on. */
      rows->pdata[i] = NULL;
      if (!(s = segment_status (self, row, holders, status->devices, error)))
        {
          hl_segment_row_free (row);
          return FALSE;
        }
      g_ptr_array_add (status->segments, s);
      status->total_size += row->manifest.size;
      status->events += row->manifest.count;
      status->share_bytes += s->own_expected * HL_ARCHIVE_SYMBOL_SIZE;
      status->can_lose = MIN (status->can_lose, s->tolerance);
      if (s->risk != NULL)
        g_ptr_array_add (status->warnings, g_strdup (s->risk));
    }
  if (status->segments->len == 0)
    status->can_lose = -1;
  return TRUE;
}

HlArchiveStatus *
hl_archive_status (HlArchive  *self,
                   GError    **error)
{
  g_autoptr(HlArchiveStatus) status = g_new0 (HlArchiveStatus, 1);
  g_autoptr(GArray) holders = hl_archive_holder_set (self, error);
  gint64 quota, stored;

  if (holders == NULL)
    return NULL;
  status->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_status_free);
  status->warnings = g_ptr_array_new_with_free_func (g_free);
  status->devices = device_list (self, holders);
  for (guint i = 0; i < status->devices->len; i++)
    status->is_holder |= ((HlArchiveDeviceStatus *) g_ptr_array_index (status->devices,
                                                                       i))->is_self;
  if ((quota = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_QUOTA, error)) < 0 ||
      (stored = hl_store_archive_symbol_bytes (self->store, error)) < 0 ||
      !add_segments (self, status, holders, error))
    return NULL;
  status->quota = (guint64) quota;
  status->stored_bytes = (guint64) stored;
  status->resilience = resilience (status, holders->len);
  if (status->share_bytes > status->quota)
    {
      g_autofree char *need = g_format_size (status->share_bytes);
      g_autofree char *have = g_format_size (status->quota);

      g_ptr_array_add (status->warnings,
                       g_strdup_printf (_("this device's share needs %s, its quota is %s: it "
                                          "keeps its share all the same (raise the quota, or "
                                          "add a device to the group)"), need, have));
    }
  return g_steal_pointer (&status);
}
