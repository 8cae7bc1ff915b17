/* test-archive-private.c: a private subnet's months in the archive
 * (docs/protocol.md, "Keys and encryption", "Private subnets"): its
 * envelopes are sealed under a key derived from the epoch in effect at
 * sealing, a fresh member device restores them from symbols, and neither a
 * device that is no member nor one removed before that epoch can decode; a
 * horizon drops none of its threads.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "hl-archive-test.h"
#include "hl-store-horizon.h"
#include "hl-store-privnet.h"
#include "hl-test-util.h"

static GPtrArray *
keys_of (HlIdentity *a,
         HlIdentity *b)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (keys, g_memdup2 (hl_identity_get_public_key (a), HL_KEY_LEN));
  if (b != NULL)
    g_ptr_array_add (keys, g_memdup2 (hl_identity_get_public_key (b), HL_KEY_LEN));
  return keys;
}

static HlEvent *
post (Device       *d,
      const guint8 *subnet,
      const char   *title)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strdup_printf ("{\"title\":\"%s\",\"body\":\"secret text\"}", title);
  HlEvent *event = hl_store_publish (d->store, d->identity, HL_KIND_THREAD_CREATE, subnet, body,
                                     &error);

  g_assert_no_error (error);
  return event;
}

static Device *
member_device (const char *label,
               guint8      seed)
{
  Device *d = device_new (label, seed);

  hl_store_set_identity (d->store, d->identity);
  return d;
}

/* The current segment of @subnet on @d (there is one: one month). */
static HlSegmentRow *
current_of (Device       *d,
            const guint8 *subnet)
{
  g_autoptr(GPtrArray) current = device_current (d);

  for (guint i = 0; i < current->len; i++)
    {
      HlSegmentRow *row = g_ptr_array_index (current, i);

      if (memcmp (row->manifest.subnet, subnet, HL_ID_LEN) == 0)
        {
          g_ptr_array_index (current, i) = NULL;
          return row;
        }
    }
  return NULL;
}

static void
assert_cannot_decode (Device       *d,
                      const guint8 *subnet)
{
  g_autoptr(HlSegmentRow) row = current_of (d, subnet);
  g_autoptr(GError) error = NULL;
  HlArchiveDecodeStats stats;

  g_assert_nonnull (row);
  g_assert_false (hl_archive_segment_readable (d->archive, &row->manifest));
  g_assert_false (hl_archive_decode (d->archive, row->rowid, &stats, &error));
  g_assert_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_NO_KEY);
}

/* Owner, a member, a member removed before sealing, a device that never was
 * one: the owner seals; the member verifies the same segment from its own
 * events; a fresh device of the member restores the subnet from symbols
 * alone; the others hold what they are given and read none of it. */
static void
test_private_restore (void)
{
  g_autoptr(Device) owner = member_device ("owner", 1);
  g_autoptr(Device) member = member_device ("member", 2);
  g_autoptr(Device) removed = member_device ("removed", 3);
  g_autoptr(Device) stranger = member_device ("stranger", 4);
  g_autoptr(Device) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) subnet = NULL;
  g_autoptr(HlEvent) added = NULL;
  g_autoptr(HlEvent) removal = NULL;
  g_autoptr(HlEvent) before = NULL;
  g_autoptr(HlEvent) after = NULL;
  g_autoptr(GPtrArray) both = keys_of (member->identity, removed->identity);
  g_autoptr(GPtrArray) one = keys_of (member->identity, NULL);
  g_autoptr(HlSegmentRow) sealed = NULL;
  g_autoptr(HlSegmentRow) checked = NULL;
  g_autofree char *files = hl_test_make_dir ("private-runs");
  g_autofree char *expected = NULL, *restored = NULL;
  HlArchiveReport report;
  HlArchiveDecodeStats stats;
  guint refused, stored;
  Device *others[] = { member, removed, stranger };

  subnet = hl_store_private_create (owner->store, owner->identity, "Family", NULL, NULL, &error);
  g_assert_no_error (error);
  added = hl_store_private_set_members (owner->store, owner->identity, subnet->id, both, NULL,
                                        &error);
  g_assert_no_error (error);
  before = post (owner, subnet->id, "Before the removal");
  removal = hl_store_private_set_members (owner->store, owner->identity, subnet->id, one, NULL,
                                          &error);
  g_assert_no_error (error);
  after = post (owner, subnet->id, "After the removal");
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    device_sync (owner, others[i], TRUE);
  g_assert_true (hl_store_has_event (member->store, after->id));
  g_assert_true (hl_store_has_event (removed->store, before->id));
  g_assert_false (hl_store_has_event (removed->store, after->id));
  g_assert_false (hl_store_has_event (stranger->store, before->id));

  /* Sealed under the epoch in effect now: the removal's. */
  report = device_maintain (owner, HL_ARCHIVE_SEAL_ALL);
  g_assert_cmpuint (report.sealed, >=, 1);
  sealed = current_of (owner, subnet->id);
  g_assert_nonnull (sealed);
  g_assert_true (sealed->manifest.has_epoch);
  /* create, 2 epochs, 2 boxes: only the boxes are sealed. */
  g_assert_cmpuint (sealed->manifest.count, ==, 2);

  /* Every device learns of the segment and every holder. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      {
        device_sync (owner, others[i], FALSE);
        device_maintain (others[i], HL_ARCHIVE_MAINTAIN_DEFAULT);
        device_sync (others[i], owner, FALSE);
      }
  device_maintain (owner, HL_ARCHIVE_MAINTAIN_DEFAULT);

  /* The member builds the same segment from its own boxes. */
  checked = current_of (member, subnet->id);
  g_assert_nonnull (checked);
  g_assert_cmpmem (checked->manifest.epoch, HL_ID_LEN, sealed->manifest.epoch, HL_ID_LEN);
  g_assert_cmpint (checked->verified_ms, !=, 0);
  g_assert_true (hl_archive_segment_readable (member->archive, &checked->manifest));
  /* Below a horizon the member still keeps the subnet's threads whole: an
   * inner event is never contained in a segment (its box is), so no thread
   * of it qualifies (docs/protocol.md, "Horizon"). */
  {
    HlHorizonAmount dropped;

    g_assert_true (hl_store_horizon_drop (member->store, &checked->rowid, 1, TRUE, &dropped,
                                          &error));
    g_assert_no_error (error);
    g_assert_cmpuint (dropped.threads, ==, 0);
    g_assert_cmpuint (dropped.events, ==, 0);
    g_assert_true (hl_store_has_event (member->store, before->id));
    g_assert_true (hl_store_has_event (member->store, after->id));
  }
  /* The others hold it and cannot: no key of that epoch. */
  assert_cannot_decode (removed, subnet->id);
  assert_cannot_decode (stranger, subnet->id);

  /* A fresh device of the member: the membership by sync, the posts from
   * the owner's and the member's symbols only. */
  expected = device_state (member);
  g_assert_cmpuint (device_export_share (owner, files), >, 0);
  g_assert_cmpuint (device_export_share (member, files), >, 0);
  fresh = member_device ("fresh", 2);
  device_sync (owner, fresh, FALSE);
  g_assert_false (hl_store_has_event (fresh->store, before->id));
  stored = device_import_share (fresh, files, &refused);
  g_assert_cmpuint (refused, ==, 0);
  g_assert_cmpuint (stored, >, 0);
  {
    g_autoptr(HlSegmentRow) row = current_of (fresh, subnet->id);

    g_assert_nonnull (row);
    g_assert_true (hl_archive_decode (fresh->archive, row->rowid, &stats, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (stats.accepted, ==, 2);
  }
  g_assert_true (hl_store_has_event (fresh->store, before->id));
  g_assert_true (hl_store_has_event (fresh->store, after->id));
  restored = device_state (fresh);
  g_assert_cmpstr (restored, ==, expected);

  /* The stranger takes the symbols it is given and still reads nothing. */
  device_import_share (stranger, files, &refused);
  g_assert_cmpint (device_count (stranger, "SELECT count(*) FROM archive_symbols"), >, 0);
  assert_cannot_decode (stranger, subnet->id);
  g_assert_cmpint (device_count (stranger, "SELECT count(*) FROM events WHERE kind = '"
                                 HL_KIND_THREAD_CREATE "'"), ==, 0);
  hl_test_remove_tree (files);
}

int
main (int    argc,
      char **argv)
{
  hl_test_init (&argc, &argv);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/archive-private/restore", test_private_restore);
  return g_test_run ();
}
