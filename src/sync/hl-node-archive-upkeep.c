/* hl-node-archive-upkeep.c: the archive's own upkeep on a timer
 * (HYPERLINK_ARCHIVE_INTERVAL_MS), put off while a peer streams events to us
 * (for at most ten minutes): hl_archive_maintain() with sealing held off
 * while a peer is not yet in sync (for at most an hour), then the
 * containment check, this device's share, sym-gone and sym-held
 * (docs/protocol.md, "Archive").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-json.h"
#include "hl-node-archive.h"
#include "hl-store-sync.h"

/* Tells each archive-1 peer how many symbols this device stores, when that
 * changed since it was last told: what `archive status` shows per device. */
static void
send_held (HlNode *self)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  gint64 bytes = hl_store_archive_symbol_bytes (self->store, NULL);
  gint64 held = bytes < 0 ? -1 : bytes / HL_ARCHIVE_SYMBOL_SIZE;

  for (guint i = 0; held >= 0 && i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);
      g_autoptr(JsonBuilder) b = NULL;

      if (!hl_peer_is_ready (peer) || !hl_peer_speaks_archive (peer) ||
          hl_peer_archive (peer)->held_sent == held)
        continue;
      hl_peer_archive (peer)->held_sent = held;
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "sym-held");
      json_builder_set_member_name (b, "symbols");
      json_builder_add_int_value (b, held);
      json_builder_end_object (b);
      hl_peer_send_json (peer, b);
    }
}

/* Whether a connected peer has events this device is still receiving:
 * reconciliation with it has not reached "in sync". */
static gboolean
receiving (HlNode *self)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);

  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      if (hl_peer_is_ready (peer) && strcmp (hl_peer_sync_state (peer), "in sync") != 0)
        return TRUE;
    }
  return FALSE;
}

/* A peer that never gets in sync (one that keeps writing, or a hostile
 * one) must not hold sealing off for ever: after an hour (seal_hold_us) the
 * device seals what it has, as it would without the rule. */
static HlArchiveMaintainFlags
maintain_flags (HlNode *self)
{
  HlNodeArchive *na = self->archive;
  gint64 now = g_get_monotonic_time ();

  if (!receiving (self))
    {
      na->seal_held_since = 0;
      na->seal_hold_over = FALSE;
      return HL_ARCHIVE_MAINTAIN_DEFAULT;
    }
  if (na->seal_held_since == 0)
    na->seal_held_since = now;
  if (now - na->seal_held_since < na->seal_hold_us)
    return HL_ARCHIVE_NO_SEAL;
  if (!na->seal_hold_over)
    g_message ("Archive: a peer has not got in sync within %" G_GINT64_FORMAT " s: sealing "
               "anyway", na->seal_hold_us / G_USEC_PER_SEC);
  na->seal_hold_over = TRUE;
  return HL_ARCHIVE_MAINTAIN_DEFAULT;
}

/* Whether a connected peer is streaming events to us (a fresh device's
 * first sync, a long absence): events on their way or just in, ids asked
 * for or still to ask for. A post now and then pushed live is not that:
 * events must have come within the last 2 s. */
static gboolean
catching_up (HlNode *self,
             gint64  now)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);

  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      if (hl_peer_is_ready (peer) &&
          (g_hash_table_size (peer->wants) > 0 ||
           hl_node_peer_streams_to_us (peer, now, HL_SYNC_STREAM_QUIET_US)))
        return TRUE;
    }
  return FALSE;
}

/* While events stream in, a pass would seal nothing (maintain_flags) and
 * check nothing it could not check after, yet it reads every held event,
 * the forum's whole size at a first sync, and stalls the stream while it
 * runs. It waits until the stream is over, for catch_up_us at most since
 * the last pass: a peer that streams for ever does not keep this device's
 * share, its checks and sealing from it. */
static gboolean
postpone (HlNode *self)
{
  HlNodeArchive *na = self->archive;
  gint64 now = g_get_monotonic_time ();

  if (catching_up (self, now) && now - na->maintained_at < na->catch_up_us)
    {
      if (na->postponed++ == 0)
        g_message ("Archive: upkeep postponed while a peer streams events to us");
      return TRUE;
    }
  if (na->postponed > 0 && now - na->maintained_at >= na->catch_up_us && catching_up (self, now))
    g_message ("Archive: events have streamed in for %" G_GINT64_FORMAT " s: upkeep runs anyway",
               na->catch_up_us / G_USEC_PER_SEC);
  else if (na->postponed > 0)
    g_message ("Archive: upkeep resumes, %u passes postponed while events streamed in",
               na->postponed);
  na->postponed = 0;
  na->maintained_at = now;
  return FALSE;
}

static gboolean
maintain_cb (gpointer user_data)
{
  HlNode *self = user_data;
  g_autoptr(GError) error = NULL;
  HlArchiveReport report;

  /* A node run for a restore announces nothing and seals nothing: this
   * device takes its share once it runs as a node again. */
  if (self->archive->restore_started != 0)
    return G_SOURCE_CONTINUE;
  if (postpone (self))
    return G_SOURCE_CONTINUE;
  if (!hl_archive_maintain (self->archive->archive, maintain_flags (self), &report, &error))
    g_warning ("Archive upkeep failed: %s", error->message);
  else if (report.sealed || report.verified || report.symbols_written || report.symbols_dropped)
    g_message ("Archive: %u sealed, %u verified, %" G_GUINT64_FORMAT " symbols written, %"
               G_GUINT64_FORMAT " dropped", report.sealed, report.verified,
               report.symbols_written, report.symbols_dropped);
  hl_node_archive_check_epoch (self);
  hl_node_fetch_shares (self);
  hl_node_archive_tell_gone (self);
  send_held (self);
  return G_SOURCE_CONTINUE;
}

void
hl_node_archive_start (HlNode *self)
{
  HlNodeArchive *na = self->archive;

  if (na == NULL)
    return;
  na->epoch = hl_store_sync_containment_epoch (self->store, NULL);
  na->maintained_at = g_get_monotonic_time ();
  na->maintain_source = hl_sync_timeout_add ((guint) na->interval_ms, maintain_cb, self);
}

void
hl_node_archive_stop (HlNode *self)
{
  if (self->archive == NULL)
    return;
  hl_sync_source_clear (&self->archive->maintain_source);
  hl_sync_source_clear (&self->archive->decode_source);
  hl_sync_source_clear (&self->archive->restore_source);
}
