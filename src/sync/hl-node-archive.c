/* hl-node-archive.c: the archive on the wire (docs/protocol.md, "Archive",
 * "Wire"): the capability archive-1, sym-want / sym-none / sym-gone and the
 * SYMBOLS frame (0x03), serving runs of stored symbols, taking the runs this
 * node asked for (each checked against its manifest's Merkle root before it
 * is stored), and the reconciled set again when the containment changes.
 * The upkeep on a timer is in hl-node-archive-upkeep.c; what to fetch, and
 * restores, are in hl-node-fetch.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-json.h"
#include "hl-node-archive.h"
#include "hl-store-sync.h"

#define BUSY_UNSENT       (2 * 1024 * 1024)  /* waiting to go to the peer: answer "busy" */
#define WANT_TIMEOUT_US   (30 * G_USEC_PER_SEC)
#define MAX_LACKS         4096               /* segments a peer said it lacks, remembered */
#define LACKS_FORGET_US   (60 * G_USEC_PER_SEC)

static gint64
env_ms (const char *name,
        gint64      fallback)
{
  const char *value = g_getenv (name);
  gint64 v;

  if (value == NULL || *value == '\0')
    return fallback;
  v = g_ascii_strtoll (value, NULL, 10);
  return v > 0 ? v : fallback;
}

/* ---- per connection ---- */

void
hl_peer_archive_free (HlPeerArchive *pa)
{
  if (pa == NULL)
    return;
  g_queue_free_full (pa->wants, g_free);
  g_hash_table_unref (pa->lacks);
  g_free (pa);
}

HlPeerArchive *
hl_peer_archive (HlPeer *peer)
{
  if (peer->archive == NULL)
    {
      peer->archive = g_new0 (HlPeerArchive, 1);
      peer->archive->wants = g_queue_new ();
      peer->archive->lacks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      peer->archive->held_symbols = -1;
      peer->archive->held_sent = -1;
    }
  return peer->archive;
}

gboolean
hl_peer_speaks_archive (HlPeer *peer)
{
  return (peer->caps & HL_CAP_ARCHIVE) != 0 && hl_node_archive_enabled (peer->node);
}

gboolean
hl_node_archive_enabled (HlNode *self)
{
  return self->archive != NULL;
}

/* ---- the node's part ---- */

void
hl_node_archive_init (HlNode *self)
{
  const char *off = g_getenv ("HYPERLINK_ARCHIVE");

  /* HYPERLINK_ARCHIVE=0 makes a node of the version before the archive:
   * no archive-1, all held events reconciled (tests and benches). */
  if (off != NULL && strcmp (off, "0") == 0)
    return;
  self->archive = g_new0 (HlNodeArchive, 1);
  self->archive->archive = hl_archive_new (self->store, self->identity);
  self->archive->interval_ms = env_ms ("HYPERLINK_ARCHIVE_INTERVAL_MS", 60000);
  /* Tests: how long a peer not in sync may hold sealing off (an hour). */
  self->archive->seal_hold_us = MIN (env_ms ("HYPERLINK_ARCHIVE_SEAL_HOLD_MS", 3600000),
                                     G_MAXINT64 / 1000) * 1000;
  /* Tests: how long events streaming in may put upkeep off (ten minutes). */
  self->archive->catch_up_us = MIN (env_ms ("HYPERLINK_ARCHIVE_CATCH_UP_MS", 600000),
                                    G_MAXINT64 / 1000) * 1000;
  /* Tests: serve what is stored only, as a holder without the events would. */
  self->archive->stored_only = g_strcmp0 (g_getenv ("HYPERLINK_ARCHIVE_STORED_ONLY"), "1") == 0;
  self->archive->segments = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                   (GDestroyNotify) hl_seg_fetch_free);
  self->archive->epoch = -1;
}

void
hl_node_archive_free (HlNode *self)
{
  HlNodeArchive *na = self->archive;

  if (na == NULL)
    return;
  hl_sync_source_clear (&na->maintain_source);
  hl_sync_source_clear (&na->decode_source);
  hl_sync_source_clear (&na->restore_source);
  g_clear_pointer (&na->built, hl_segment_free);
  g_hash_table_unref (na->segments);
  g_clear_pointer (&na->decode_queue, g_array_unref);
  g_clear_pointer (&na->restore.error, g_free);
  g_clear_pointer (&na->restore_only, g_hash_table_unref);
  g_clear_pointer (&na->stored_segments, g_hash_table_unref);
  g_clear_pointer (&na->archive, hl_archive_free);
  g_clear_pointer (&self->full_set, hl_sync_set_free);
  g_free (na);
  self->archive = NULL;
}

HlArchive *
hl_node_get_archive (HlNode *self)
{
  return self->archive ? self->archive->archive : NULL;
}

/* ---- the reconciled sets ---- */

static void
add_key (guint64       ts,
         const guint8 *id,
         gpointer      user_data)
{
  hl_sync_set_add (user_data, ts, id);
}

static void
drop_set (HlSyncSet **set)
{
  g_clear_pointer (set, hl_sync_set_free);
}

/* Peers without archive-1 reconcile every held event: the full set exists
 * only while something is contained. */
static gboolean
load_sets (HlNode  *self,
           GError **error)
{
  __attribute__ ((cleanup (drop_set))) HlSyncSet *set = hl_sync_set_new ();
  __attribute__ ((cleanup (drop_set))) HlSyncSet *full = NULL;

  /* A node without the archive reconciles everything it holds. */
  if (!(self->archive != NULL ? hl_store_sync_foreach_key (self->store, add_key, set, error)
                              : hl_store_sync_foreach_held_key (self->store, add_key, set, error)))
    return FALSE;
  hl_sync_set_seal (set);
  if (self->archive != NULL && self->archive->epoch > 0)
    {
      full = hl_sync_set_new ();
      if (!hl_store_sync_foreach_held_key (self->store, add_key, full, error))
        return FALSE;
      hl_sync_set_seal (full);
      if (hl_sync_set_size (full) == hl_sync_set_size (set))
        g_clear_pointer (&full, hl_sync_set_free);
    }
  hl_sync_set_free (self->set);
  self->set = g_steal_pointer (&set);
  g_clear_pointer (&self->full_set, hl_sync_set_free);
  self->full_set = g_steal_pointer (&full);
  return hl_node_zones_load (self, error);
}

gboolean
hl_node_archive_load_sets (HlNode  *self,
                           GError **error)
{
  if (self->archive != NULL)
    self->archive->epoch = hl_store_sync_containment_epoch (self->store, NULL);
  return load_sets (self, error);
}

void
hl_node_archive_check_epoch (HlNode *self)
{
  g_autoptr(GError) error = NULL;
  gint64 epoch;

  if (self->archive == NULL)
    return;
  epoch = hl_store_sync_containment_epoch (self->store, &error);
  if (epoch < 0 || epoch == self->archive->epoch)
    return;
  /* Rows since the last scan go in first, so nothing is lost between. */
  hl_node_scan (self);
  self->archive->epoch = epoch;
  if (!load_sets (self, &error))
    g_warning ("Cannot read the reconciled set again: %s", error->message);
  else
    g_message ("Containment changed: %u events reconciled, %u with peers before archive-1",
               hl_sync_set_size (self->set),
               hl_sync_set_size (self->full_set ? self->full_set : self->set));
}

gboolean
hl_node_reconciles_contained (HlNode *self,
                              HlPeer *peer)
{
  return self->archive == NULL || hl_node_set_for (self, peer) == self->full_set;
}

HlSyncSet *
hl_node_set_for (HlNode *self,
                 HlPeer *peer)
{
  if (self->full_set != NULL && peer != NULL && !hl_peer_speaks_archive (peer))
    return hl_node_zones_set_for (self, peer, self->full_set);
  return hl_node_zones_set_for (self, peer, self->set);
}

/* ---- sending ---- */

static void
send_none (HlPeer     *peer,
           guint32     req,
           const char *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "sym-none");
  json_builder_set_member_name (b, "req");
  json_builder_add_int_value (b, req);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
  hl_peer_send_json (peer, b);
}

gboolean
hl_peer_archive_want (HlPeer             *peer,
                      const HlSegmentRow *row,
                      guint               sbn,
                      guint32             first,
                      guint32             count)
{
  HlPeerArchive *pa = hl_peer_archive (peer);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *hex = hl_hex_dup (row->manifest_id, HL_ID_LEN);
  HlArchiveWant *want;

  if (g_queue_get_length (pa->wants) >= HL_ARCHIVE_MAX_WANTS || !hl_peer_is_ready (peer))
    return FALSE;
  want = g_new0 (HlArchiveWant, 1);
  want->req = ++pa->next_req;
  want->segment = row->rowid;
  memcpy (want->manifest_id, row->manifest_id, HL_ID_LEN);
  want->sbn = sbn;
  want->first = first;
  want->count = count;
  want->asked_at = g_get_monotonic_time ();
  g_queue_push_tail (pa->wants, want);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "sym-want");
  json_builder_set_member_name (b, "req");
  json_builder_add_int_value (b, want->req);
  json_builder_set_member_name (b, "segment");
  json_builder_add_string_value (b, hex);
  json_builder_set_member_name (b, "sbn");
  json_builder_add_int_value (b, sbn);
  json_builder_set_member_name (b, "first");
  json_builder_add_int_value (b, first);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, count);
  json_builder_end_object (b);
  hl_peer_send_json (peer, b);
  return TRUE;
}

void
hl_node_archive_send_gone (HlNode       *self,
                           const guint8 *manifest_id)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  g_autofree char *hex = hl_hex_dup (manifest_id, HL_ID_LEN);

  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);
      g_autoptr(JsonBuilder) b = NULL;

      if (!hl_peer_is_ready (peer) || !hl_peer_speaks_archive (peer))
        continue;
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "sym-gone");
      json_builder_set_member_name (b, "segment");
      json_builder_add_string_value (b, hex);
      json_builder_end_object (b);
      hl_peer_send_json (peer, b);
    }
}

/* ---- serving ---- */

static gboolean
read_int (JsonObject *obj,
          const char *name,
          gint64      max,
          gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return *out >= 0 && *out <= max;
}

static gboolean
read_segment_id (JsonObject *obj,
                 guint8     *id)
{
  const char *hex = hl_json_get_string (obj, "segment");

  return hl_hex_decode (hex, id, HL_ID_LEN);
}

static void
serve_want (HlNode     *self,
            HlPeer     *peer,
            JsonObject *obj)
{
  g_autoptr(HlSegmentRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) symbols = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autoptr(GByteArray) frame = NULL;
  guint8 id[HL_ID_LEN];
  gint64 req, sbn, first, count;
  guint32 held;
  gsize proof_len;

  if (!read_int (obj, "req", G_MAXUINT32, &req) || !read_segment_id (obj, id) ||
      !read_int (obj, "sbn", 255, &sbn) || !read_int (obj, "first", 0xffffff, &first) ||
      !read_int (obj, "count", HL_ARCHIVE_MAX_RUN, &count) || count == 0)
    {
      hl_peer_offence (peer, 5, "a malformed sym-want (req, 64-hex segment, sbn, first and "
                       "count of 1 to %d symbols)", HL_ARCHIVE_MAX_RUN);
      return;
    }
  peer->archive_wants_served++;
  if (peer->guard != NULL && hl_ws_guard_get_unsent (peer->guard) > BUSY_UNSENT)
    {
      send_none (peer, (guint32) req, "busy");
      return;
    }
  row = hl_store_archive_find_manifest (self->store, id, &error);
  if (row == NULL)
    {
      send_none (peer, (guint32) req, "unknown segment");
      return;
    }
  if ((guint) sbn >= row->manifest.n_roots ||
      first + count > hl_archive_committed (&row->manifest, (guint) sbn))
    {
      hl_peer_offence (peer, 5, "a sym-want beyond the committed symbols of its block");
      send_none (peer, (guint32) req, "beyond the committed symbols");
      return;
    }
  /* Stored runs were proven in pieces: the answer may be the first piece. */
  held = hl_archive_held_prefix (self->archive->archive, row->rowid, (guint) sbn, (guint32) first,
                                 (guint32) count);
  if (held > 0)
    symbols = hl_archive_read_run (self->archive->archive, row->rowid, (guint) sbn,
                                   (guint32) first, held, &proof, &error);
  if (symbols != NULL)
    count = held;
  if (symbols == NULL && !self->archive->stored_only)
    symbols = hl_node_archive_encode_run (self, row, (guint) sbn, (guint32) first,
                                          (guint32) count, &proof);
  if (symbols == NULL)
    {
      send_none (peer, (guint32) req, "not held");
      return;
    }
  g_bytes_get_data (proof, &proof_len);
  frame = hl_archive_frame_new ((guint32) req, id, (guint) sbn, (guint32) first,
                                (guint32) count, proof, symbols);
  peer->archive_symbols_sent += (guint64) count;
  hl_peer_send_binary (peer, frame);
}

GByteArray *
hl_archive_frame_new (guint32       req,
                      const guint8 *manifest_id,
                      guint         sbn,
                      guint32       first,
                      guint32       count,
                      GBytes       *proof,
                      GBytes       *symbols)
{
  gsize proof_len, sym_len;
  const guint8 *hashes = g_bytes_get_data (proof, &proof_len);
  const guint8 *data = g_bytes_get_data (symbols, &sym_len);
  GByteArray *frame = g_byte_array_sized_new (HL_ARCHIVE_FRAME_HEADER + proof_len + sym_len);
  guint8 head[HL_ARCHIVE_FRAME_HEADER];

  head[0] = HL_SYNC_FRAME_SYMBOLS;
  head[1] = req >> 24;
  head[2] = req >> 16;
  head[3] = req >> 8;
  head[4] = req;
  memcpy (head + 5, manifest_id, HL_ID_LEN);
  head[37] = sbn;
  head[38] = first >> 16;
  head[39] = first >> 8;
  head[40] = first;
  head[41] = count >> 8;
  head[42] = count;
  head[43] = (guint8) (proof_len / HL_ID_LEN);
  g_byte_array_append (frame, head, sizeof head);
  g_byte_array_append (frame, hashes, proof_len);
  g_byte_array_append (frame, data, sym_len);
  return frame;
}

/* ---- receiving ---- */

static HlArchiveWant *
take_want (HlPeerArchive *pa,
           guint32        req)
{
  for (GList *l = pa->wants->head; l != NULL; l = l->next)
    {
      HlArchiveWant *want = l->data;

      if (want->req == req)
        {
          g_queue_delete_link (pa->wants, l);
          return want;
        }
    }
  return NULL;
}

void
hl_peer_archive_lacks (HlPeer *peer,
                       gint64  segment)
{
  HlPeerArchive *pa = hl_peer_archive (peer);

  if (g_hash_table_size (pa->lacks) >= MAX_LACKS)
    g_hash_table_remove_all (pa->lacks);
  g_hash_table_add (pa->lacks, g_memdup2 (&segment, sizeof segment));
  pa->lacks_since = g_get_monotonic_time ();
}

/* A peer that said it lacks segments may have them again a while later. */
static void
forget_old_lacks (HlPeerArchive *pa)
{
  if (pa->lacks_since != 0 && g_get_monotonic_time () - pa->lacks_since > LACKS_FORGET_US)
    {
      g_hash_table_remove_all (pa->lacks);
      pa->lacks_since = 0;
    }
}

gboolean
hl_peer_archive_may_have (HlPeer *peer,
                          gint64  segment)
{
  HlPeerArchive *pa = hl_peer_archive (peer);

  forget_old_lacks (pa);
  return !g_hash_table_contains (pa->lacks, &segment);
}

void
hl_node_handle_symbols (HlNode *self,
                        HlPeer *peer,
                        GBytes *message)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);
  g_autofree HlArchiveWant *want = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autoptr(GBytes) symbols = NULL;
  g_autoptr(GError) error = NULL;
  guint32 req, first, count;
  guint sbn, n_hashes;
  guint stored = 0;

  if (!hl_peer_speaks_archive (peer))
    {
      hl_peer_offence (peer, 5, "a symbols frame without archive-1 on both sides");
      return;
    }
  if (len < HL_ARCHIVE_FRAME_HEADER)
    {
      hl_peer_offence (peer, 20, "a symbols frame of %" G_GSIZE_FORMAT " bytes, shorter than "
                       "its header", len);
      return;
    }
  req = (guint32) data[1] << 24 | (guint32) data[2] << 16 | (guint32) data[3] << 8 | data[4];
  sbn = data[37];
  first = (guint32) data[38] << 16 | (guint32) data[39] << 8 | data[40];
  count = (guint32) data[41] << 8 | data[42];
  n_hashes = data[43];
  if (len != HL_ARCHIVE_FRAME_HEADER + (gsize) n_hashes * HL_ID_LEN +
             (gsize) count * HL_ARCHIVE_SYMBOL_SIZE)
    {
      hl_peer_offence (peer, 20, "a symbols frame whose length is not its header's");
      return;
    }
  want = take_want (hl_peer_archive (peer), req);
  if (want == NULL)
    {
      /* Nothing is kept that this node did not ask for: a flood costs the
       * sender, not this disk. */
      peer->archive_refused++;
      hl_peer_offence (peer, 5, "symbols nobody asked for (request %u): refused", req);
      return;
    }
  if (memcmp (want->manifest_id, data + 5, HL_ID_LEN) != 0 || want->sbn != sbn ||
      want->first != first || count == 0 || count > want->count)
    {
      hl_peer_offence (peer, 20, "a symbols frame that is not the run request %u asked for", req);
      hl_node_fetch_failed (self, peer, want, FALSE);
      return;
    }
  proof = g_bytes_new (data + HL_ARCHIVE_FRAME_HEADER, (gsize) n_hashes * HL_ID_LEN);
  symbols = g_bytes_new_from_bytes (message, HL_ARCHIVE_FRAME_HEADER +
                                    (gsize) n_hashes * HL_ID_LEN,
                                    (gsize) count * HL_ARCHIVE_SYMBOL_SIZE);
  if (!hl_archive_store_run (self->archive->archive, want->segment, sbn, first, count, symbols,
                             proof, &stored, &error))
    {
      if (g_error_matches (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SYMBOL))
        {
          peer->archive_bad++;
          self->archive->restore.bad_runs++;
          hl_peer_offence (peer, 20, "symbols %u–%u of a segment that fail their proof: %s",
                           first, first + count - 1, error->message);
          hl_node_fetch_failed (self, peer, want, TRUE);
        }
      else
        {
          g_warning ("Cannot keep symbols from %s: %s", hl_peer_label (peer), error->message);
          hl_node_fetch_failed (self, peer, want, FALSE);
        }
      return;
    }
  peer->archive_symbols_received += count;
  hl_node_fetch_done (self, peer, want, count, stored, g_get_monotonic_time () - want->asked_at);
}

static void
handle_none (HlNode     *self,
             HlPeer     *peer,
             JsonObject *obj)
{
  g_autofree HlArchiveWant *want = NULL;
  gint64 req;

  if (!read_int (obj, "req", G_MAXUINT32, &req))
    {
      hl_peer_offence (peer, 5, "a malformed sym-none");
      return;
    }
  if (!(want = take_want (hl_peer_archive (peer), (guint32) req)))
    return;
  hl_node_fetch_failed (self, peer, want, g_strcmp0 (hl_json_get_string (obj, "reason"),
                                                     "busy") != 0);
}

static void
handle_gone (HlNode     *self,
             HlPeer     *peer,
             JsonObject *obj)
{
  g_autoptr(HlSegmentRow) row = NULL;
  guint8 id[HL_ID_LEN];

  if (!read_segment_id (obj, id))
    {
      hl_peer_offence (peer, 5, "a malformed sym-gone");
      return;
    }
  if ((row = hl_store_archive_find_manifest (self->store, id, NULL)) != NULL)
    hl_peer_archive_lacks (peer, row->rowid);
}

gboolean
hl_node_handle_archive (HlNode     *self,
                        HlPeer     *peer,
                        const char *type,
                        JsonObject *obj)
{
  if (!g_str_has_prefix (type, "sym-") || !hl_peer_speaks_archive (peer))
    return FALSE;
  if (strcmp (type, "sym-want") == 0)
    serve_want (self, peer, obj);
  else if (strcmp (type, "sym-none") == 0)
    handle_none (self, peer, obj);
  else if (strcmp (type, "sym-gone") == 0)
    handle_gone (self, peer, obj);
  else if (strcmp (type, "sym-held") == 0)
    {
      gint64 held;

      if (read_int (obj, "symbols", G_MAXINT64, &held))
        hl_peer_archive (peer)->held_symbols = held;
      else
        hl_peer_offence (peer, 5, "a malformed sym-held");
    }
  else
    return FALSE;
  return TRUE;
}

/* Wants nobody answered in time are given up, and asked of others. */
void
hl_node_archive_tick (HlNode *self,
                      HlPeer *peer,
                      gint64  now)
{
  HlPeerArchive *pa = peer->archive;

  if (pa == NULL)
    return;
  while (!g_queue_is_empty (pa->wants))
    {
      HlArchiveWant *head = g_queue_peek_head (pa->wants);
      g_autofree HlArchiveWant *want = NULL;

      if (now - head->asked_at < WANT_TIMEOUT_US)
        break;
      want = g_queue_pop_head (pa->wants);
      hl_node_fetch_failed (self, peer, want, TRUE);
    }
}

void
hl_node_archive_peer_closed (HlNode *self,
                             HlPeer *peer)
{
  HlPeerArchive *pa = peer->archive;

  if (pa == NULL || self->archive == NULL)
    return;
  while (!g_queue_is_empty (pa->wants))
    {
      g_autofree HlArchiveWant *want = g_queue_pop_head (pa->wants);

      hl_node_fetch_failed (self, peer, want, FALSE);
    }
}

void
hl_peer_archive_add_status (HlPeer      *peer,
                            JsonBuilder *b)
{
  HlPeerArchive *pa = peer->archive;

  if (!hl_peer_speaks_archive (peer))
    return;
  json_builder_set_member_name (b, "archive");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "held_symbols");
  if (pa != NULL && pa->held_symbols >= 0)
    json_builder_add_int_value (b, pa->held_symbols);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "symbols_sent");
  json_builder_add_int_value (b, (gint64) peer->archive_symbols_sent);
  json_builder_set_member_name (b, "symbols_received");
  json_builder_add_int_value (b, (gint64) peer->archive_symbols_received);
  json_builder_set_member_name (b, "bad_runs");
  json_builder_add_int_value (b, (gint64) peer->archive_bad);
  json_builder_set_member_name (b, "refused_frames");
  json_builder_add_int_value (b, (gint64) peer->archive_refused);
  /* Segments it said it does not have (sym-gone, sym-none): not asked of it. */
  if (pa != NULL)
    forget_old_lacks (pa);
  json_builder_set_member_name (b, "lacking_segments");
  json_builder_add_int_value (b, pa != NULL ? g_hash_table_size (pa->lacks) : 0);
  json_builder_end_object (b);
}
