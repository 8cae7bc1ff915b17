/* hl-node-sync.c: moving events: gossip of new rows, reconciliation,
 * answering wants, and applying what peers send.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"
#include "hl-node-archive.h"

#include "hl-store-sync.h"

#define SCAN_BATCH      4096
/* Events applied in one transaction: about half of what the flow-control
 * window holds, so that the first half is acknowledged while the rest is
 * applied and the verifiers have the next frames to check meanwhile (with
 * the whole window in one transaction, the sender, the verifiers and the
 * writer took turns). Bigger transactions write fewer pages per event. */
#define APPLY_BATCH     4096
#define BULK_THRESHOLD  1000

gboolean
hl_node_load_set (HlNode  *self,
                  GError **error)
{
  gint64 max_seq = hl_store_sync_max_seq (self->store, error);

  if (max_seq < 0 || !hl_node_archive_load_sets (self, error))
    return FALSE;
  self->seen_seq = max_seq;
  hl_node_delivery_reload (self);
  g_message ("%u events held", hl_sync_set_size (self->set));
  return TRUE;
}

static void
collect_erased (guint64       ts,
                const guint8 *id,
                gpointer      user_data)
{
  g_hash_table_add (user_data, g_memdup2 (id, HL_ID_LEN));
}

/* Takes up rows that appeared since the last scan, whoever wrote them:
 * they join the reconciled set and go to every peer that may lack them. */
void
hl_node_scan (HlNode *self)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (HlSyncRow));
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  gboolean saw_delete = FALSE, saw_rows = FALSE;

  for (;;)
    {
      g_autoptr(GError) error = NULL;

      g_array_set_size (rows, 0);
      if (!hl_store_sync_scan (self->store, self->seen_seq, SCAN_BATCH, rows, &error))
        {
          g_warning ("Cannot read new events: %s", error->message);
          return;
        }
      for (guint r = 0; r < rows->len; r++)
        {
          const HlSyncRow *row = &g_array_index (rows, HlSyncRow, r);

          self->seen_seq = row->seq;
          saw_rows = TRUE;
          saw_delete |= row->is_delete;
          if (row->erased)
            continue;
          if (hl_node_zones_added (self, row))
            {
              hl_sync_set_add (self->set, row->ts, row->id);
              if (self->full_set != NULL)
                hl_sync_set_add (self->full_set, row->ts, row->id);
            }
          for (guint p = 0; p < peers->len; p++)
            {
              HlPeer *peer = g_ptr_array_index (peers, p);
              if (peer->state != HL_PEER_READY || row->seq <= peer->gossip_seq ||
                  !hl_node_zone_allows (self, peer, row->id))
                continue;
              /* Not back to the peer it came from. */
              if (g_hash_table_remove (peer->received, row->id))
                continue;
              hl_peer_enqueue (peer, hl_push_new_event (row->id));
            }
        }
      if (rows->len < SCAN_BATCH)
        break;
    }

  if (saw_delete)
    {
      /* A delete erases older events' bytes: they leave the set on every
       * node alike (hl-store-sync.h). */
      g_autoptr(GHashTable) erased = g_hash_table_new_full (hl_id_hash, hl_id_equal, g_free, NULL);
      g_autoptr(GError) error = NULL;

      if (hl_store_sync_foreach_erased (self->store, collect_erased, erased, &error))
        {
          hl_sync_set_remove (self->set, erased);
          if (self->full_set != NULL)
            hl_sync_set_remove (self->full_set, erased);
          hl_node_zones_removed (self, erased);
        }
      else
        g_warning ("Cannot read erased events: %s", error->message);
    }
  if (saw_rows)
    hl_node_delivery_reload (self);
  for (guint p = 0; p < peers->len; p++)
    hl_peer_pump (g_ptr_array_index (peers, p));
}

void
hl_node_start_recon (HlNode *self,
                     HlPeer *peer)
{
  g_autoptr(GByteArray) frame = NULL;

  if (peer->state != HL_PEER_READY || peer->recon_mine)
    return;
  hl_node_scan (self);
  frame = hl_recon_initiate (hl_node_set_for (self, peer), &self->recon);
  peer->recon_mine = TRUE;
  peer->recon_again = FALSE;
  peer->recon_started = g_get_monotonic_time ();
  peer->recon_frames++;
  hl_node_delivery_recon_begin (self, peer, TRUE);
  hl_peer_send_binary (peer, frame);
}

static gboolean
known_prefix (const guint8 *id,
              guint64       ts,
              const guint8 *raw,
              gsize         raw_len,
              const guint8 *sig,
              gpointer      user_data)
{
  return FALSE;
}

/* Ids the peer holds and we lack, from a reconciliation: asked for a
 * window at a time, so that what one exchange finds missing costs 8 bytes
 * an id here, not a want message and a table entry each. Beyond the
 * backlog's bound they are left to the next exchange. */
static void
queue_wants (HlNode *self,
             HlPeer *peer,
             GArray *wants)
{
  guint room;

  if (peer->want_next > 0)
    {
      g_array_remove_range (peer->want_backlog, 0, peer->want_next);
      peer->want_next = 0;
    }
  room = HL_SYNC_MAX_WANT_BACKLOG - MIN (peer->want_backlog->len, HL_SYNC_MAX_WANT_BACKLOG);
  if (wants->len > room)
    peer->recon_again = TRUE;
  g_array_append_vals (peer->want_backlog, wants->data, MIN (wants->len, room));
  hl_node_send_wants (self, peer);
}

static JsonBuilder *
want_message_new (void)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "want");
  json_builder_set_member_name (b, "ids");
  json_builder_begin_array (b);
  return b;
}

static void
want_message_send (HlPeer      *peer,
                   JsonBuilder *b)
{
  json_builder_end_array (b);
  json_builder_end_object (b);
  hl_peer_send_json (peer, b);
}

void
hl_node_send_wants (HlNode *self,
                    HlPeer *peer)
{
  g_autoptr(JsonBuilder) b = NULL;
  guint n = 0;
  gint64 now = g_get_monotonic_time ();

  while (peer->state == HL_PEER_READY && peer->want_next < peer->want_backlog->len &&
         g_hash_table_size (peer->wants) < HL_SYNC_WANTS_OUTSTANDING)
    {
      guint64 prefix = g_array_index (peer->want_backlog, guint64, peer->want_next++);
      guint8 bytes[HL_SYNC_PREFIX_LEN];
      char hex[2 * HL_SYNC_PREFIX_LEN + 1];
      gboolean known = FALSE;

      for (guint k = 0; k < HL_SYNC_PREFIX_LEN; k++)
        bytes[k] = (prefix >> (8 * (HL_SYNC_PREFIX_LEN - 1 - k))) & 0xff;
      /* Erased events are known but outside the set: never ask for them.
       * Others may have come meanwhile. */
      if (!hl_store_sync_get_prefix (self->store, bytes, sizeof bytes, known_prefix, NULL, &known, NULL) ||
          known || g_hash_table_contains (peer->wants, &prefix))
        continue;
      if (b == NULL)
        b = want_message_new ();
      hl_hex_encode (bytes, sizeof bytes, hex);
      json_builder_add_string_value (b, hex);
      g_hash_table_insert (peer->wants, g_memdup2 (&prefix, sizeof prefix), g_memdup2 (&now, sizeof now));
      if (++n == HL_SYNC_MAX_WANTS)
        {
          want_message_send (peer, b);
          g_clear_object (&b);
          n = 0;
        }
    }
  if (b != NULL)
    want_message_send (peer, b);
  if (peer->want_next == peer->want_backlog->len && peer->want_next > 0)
    {
      /* All asked: no big buffer stays behind. */
      g_array_unref (peer->want_backlog);
      peer->want_backlog = g_array_new (FALSE, FALSE, sizeof (guint64));
      peer->want_next = 0;
    }
}

/* Whether the range being streamed to @peer (the head of its queue) will
 * send all of @rp anyway: an exchange during a fresh node's first sync finds
 * the part still on its way missing. What the head leaves out are ids the
 * peer listed as held (a fresh node's own profile), not ones to send. */
static gboolean
streaming_covers (HlPeer      *peer,
                  HlReconPush *rp)
{
  HlPush *push = g_queue_peek_head (peer->queue);
  const HlRangePush *head = (const HlRangePush *) push;

  return push != NULL && push->is_range &&
         hl_recon_bound_compare (&head->lower, &rp->lower) <= 0 &&
         hl_recon_bound_compare (&rp->upper, &head->upper) <= 0;
}

void
hl_node_handle_recon (HlNode *self,
                      HlPeer *peer,
                      GBytes *frame)
{
  HlReconResult result = { 0 };
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);
  gboolean theirs;

  if (len < 2 || data[1] > HL_SYNC_RECON_RESPONDER)
    {
      hl_peer_offence (peer, 20, "malformed reconciliation frame header");
      return;
    }
  /* The second byte says whose exchange this is: 0 the sender's, 1 ours. */
  theirs = data[1] == HL_SYNC_RECON_INITIATOR;
  if (!theirs && !peer->recon_mine)
    {
      hl_peer_offence (peer, 5, "a reconciliation reply to an exchange we did not open");
      return;
    }
  if (theirs && !peer->recon_theirs)
    hl_node_delivery_recon_begin (self, peer, FALSE);
  if (theirs)
    peer->recon_theirs = TRUE;
  peer->recon_frames++;

  if (!hl_recon_process (hl_node_set_for (self, peer), &self->recon, data, len, &result, &error))
    {
      hl_peer_offence (peer, 20, "%s", error->message);
      if (theirs)
        peer->recon_theirs = FALSE;
      else
        peer->recon_mine = FALSE;
      hl_recon_result_clear (&result);
      return;
    }

  hl_node_delivery_recon_push (self, peer, !theirs, result.pushes);
  if (result.wants->len > 0)
    queue_wants (self, peer, result.wants);
  for (guint i = 0; i < result.pushes->len; i++)
    {
      HlReconPush *rp = g_ptr_array_index (result.pushes, i);

      if (!streaming_covers (peer, rp))
        hl_peer_enqueue (peer, hl_push_new_range (&rp->lower, &rp->upper, rp->exclude));
    }
  hl_peer_pump (peer);

  if (result.reply != NULL)
    {
      peer->recon_frames++;
      hl_peer_send_binary (peer, result.reply);
    }
  if (result.reply == NULL || result.done)
    {
      /* The exchange is over on both sides. */
      if (theirs)
        peer->recon_theirs = FALSE;
      else
        {
          peer->recon_mine = FALSE;
          peer->recon_ended = g_get_monotonic_time ();
        }
      peer->recon_done_once = TRUE;
      hl_node_delivery_recon_end (self, peer, !theirs);
    }
  hl_recon_result_clear (&result);
}

typedef struct
{
  HlPeer  *peer;
  gboolean any;
} WantServe;

static gboolean
serve_one (const guint8 *id,
           guint64       ts,
           const guint8 *raw,
           gsize         raw_len,
           const guint8 *sig,
           gpointer      user_data)
{
  WantServe *serve = user_data;

  /* A zone's envelope for a peer without its tag: answered as gone. */
  if (!hl_node_zone_allows (serve->peer->node, serve->peer, id))
    return TRUE;
  hl_peer_enqueue (serve->peer, hl_push_new_event (id));
  serve->any = TRUE;
  return TRUE;
}

void
hl_node_handle_wants (HlNode    *self,
                      HlPeer    *peer,
                      JsonArray *ids)
{
  g_autoptr(JsonBuilder) gone = NULL;
  guint n = json_array_get_length (ids);

  if (n > HL_SYNC_MAX_WANTS)
    {
      hl_peer_offence (peer, 10, "a want list of %u ids (limit %d)", n, HL_SYNC_MAX_WANTS);
      return;
    }
  if (g_queue_get_length (peer->queue) + n > HL_SYNC_MAX_QUEUE)
    {
      hl_peer_offence (peer, 5, "wants beyond what it lets us send");
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (ids, i);
      const char *hex = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                          ? json_node_get_string (node) : NULL;
      guint8 prefix[HL_ID_LEN];
      gsize hex_len = hex ? strlen (hex) : 0;
      WantServe serve = { peer, FALSE };
      g_autoptr(GError) error = NULL;

      if (hex_len < 2 * HL_SYNC_PREFIX_LEN || hex_len > 2 * HL_ID_LEN || hex_len % 2 != 0 ||
          !hl_hex_decode (hex, prefix, hex_len / 2))
        {
          hl_peer_offence (peer, 5, "a want that is not 16 to 64 hex digits");
          return;
        }
      if (!hl_store_sync_get_prefix (self->store, prefix, hex_len / 2, serve_one, &serve, NULL, &error))
        g_warning ("Cannot look up a wanted event: %s", error->message);
      if (serve.any)
        continue;
      /* Unknown here, or erased by a delete: say so, so it stops waiting. */
      if (gone == NULL)
        {
          gone = json_builder_new ();
          json_builder_begin_object (gone);
          json_builder_set_member_name (gone, "type");
          json_builder_add_string_value (gone, "gone");
          json_builder_set_member_name (gone, "ids");
          json_builder_begin_array (gone);
        }
      json_builder_add_string_value (gone, hex);
    }
  if (gone != NULL)
    {
      json_builder_end_array (gone);
      json_builder_end_object (gone);
      hl_peer_send_json (peer, gone);
    }
  hl_peer_pump (peer);
}

void
hl_node_handle_events (HlNode *self,
                       HlPeer *peer,
                       GBytes *frame)
{
  gsize len = g_bytes_get_size (frame);

  /* The node is stopping (its verifier is gone) or hung up on this peer:
   * what still arrives during the close handshake is not taken. */
  if (self->verifier == NULL || peer->closing)
    return;
  /* A peer that honours our acks never has more than a window outstanding. */
  if (peer->ev_recv - peer->ev_done + len > HL_SYNC_WINDOW + HL_SYNC_MAX_FRAME)
    {
      hl_peer_offence (peer, 10, "events beyond the flow-control window");
      return;
    }
  /* Refused, but counted like any frame taken in: the sender's window
   * accounting must match our acks (docs/protocol.md, "Messages"). */
  if (len == 1)
    hl_peer_offence (peer, 10, "an events frame with no records");
  peer->ev_recv += len;
  peer->events_recv_at = g_get_monotonic_time ();
  hl_verifier_push (self->verifier, peer->id, frame, hl_store_get_max_future_ms (self->store));
}

static gboolean
apply_idle (gpointer user_data)
{
  HlNode *self = user_data;

  self->apply_source = 0;
  hl_node_apply_now (self);
  return G_SOURCE_REMOVE;
}

void
hl_node_verified (HlVerifyJob *job,
                  gpointer     user_data)
{
  HlNode *self = user_data;
  HlPeer *peer = g_hash_table_lookup (self->peers, &job->peer_id);
  guint outside_zone = hl_node_zones_refuse (self, peer, job->events);
  ApplyFrame frame = { job->peer_id, job->frame_len, job->events->len };

  self->refused_events += outside_zone;

  if (peer != NULL)
    peer->events_received += job->events->len;
  self->totals_events_received += job->events->len;
  self->refused_events += job->n_refused;
  if (peer != NULL && (job->n_offences > 0 || job->broken))
    hl_peer_offence (peer, MIN (10.0 * job->n_offences, 50.0), "%u bad event%s in a frame: %s",
                     job->n_refused + (job->broken ? 1 : 0), job->n_refused == 1 ? "" : "s",
                     job->first_error);
  else if (job->n_refused > 0)
    g_message ("Refused %u event%s from %s: %s", job->n_refused, job->n_refused == 1 ? "" : "s",
               peer ? hl_peer_label (peer) : "a peer now gone", job->first_error);

  for (guint i = 0; i < job->events->len; i++)
    {
      g_ptr_array_add (self->apply_events, g_ptr_array_steal_index_fast (job->events, i--));
      g_array_append_val (self->apply_from, job->peer_id);
    }
  g_array_append_val (self->apply_frames, frame);
  if (self->apply_source == 0 && !self->stopping)
    self->apply_source = hl_sync_idle_add (G_PRIORITY_DEFAULT, apply_idle, self);
}

/* Frames are acknowledged, in order, once all their events are in. */
static void
credit_frames (HlNode *self,
               guint   applied)
{
  g_autoptr(GPtrArray) peers = NULL;
  guint done = 0;

  while (done < self->apply_frames->len)
    {
      ApplyFrame *frame = &g_array_index (self->apply_frames, ApplyFrame, done);
      guint take = MIN (frame->remaining, applied);
      HlPeer *peer;

      frame->remaining -= take;
      applied -= take;
      if (frame->remaining > 0)
        break;
      if ((peer = g_hash_table_lookup (self->peers, &frame->peer_id)) != NULL)
        peer->ev_done += frame->len;
      done++;
    }
  g_array_remove_range (self->apply_frames, 0, done);
  peers = hl_node_list_peers (self);
  for (guint p = 0; p < peers->len; p++)
    {
      hl_node_send_wants (self, g_ptr_array_index (peers, p));
      hl_peer_ack_if_idle (g_ptr_array_index (peers, p));
    }
}

void
hl_node_apply_now (HlNode *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree HlAcceptResult *results = NULL;
  guint n = MIN (self->apply_events->len, APPLY_BATCH);

  if (n > 0)
    {
      /* An initial sync: fewer checkpoints, a bigger cache, until it ends. */
      if (!self->bulk && self->apply_events->len >= BULK_THRESHOLD && !self->stopping &&
          hl_store_set_bulk_mode (self->store, TRUE, NULL))
        self->bulk = TRUE;
      self->last_apply = g_get_monotonic_time ();
      results = g_new0 (HlAcceptResult, n);
      if (!hl_store_apply_verified (self->store, (HlEvent *const *) self->apply_events->pdata, n,
                                    results, &error))
        {
          /* Keep them and try again: losing verified events would leave
           * holes only the next reconciliation could fill. */
          g_warning ("Cannot store received events, will retry: %s", error->message);
          if (self->apply_source == 0 && !self->stopping)
            self->apply_source = hl_sync_timeout_add (500, apply_idle, self);
          return;
        }
      for (guint i = 0; i < n; i++)
        {
          HlEvent *event = g_ptr_array_index (self->apply_events, i);
          guint64 from = g_array_index (self->apply_from, guint64, i);
          HlPeer *peer = g_hash_table_lookup (self->peers, &from);
          guint64 prefix = hl_sync_id_prefix (event->id);

          if (peer == NULL)
            continue;
          g_hash_table_remove (peer->wants, &prefix);
          if (results[i] == HL_ACCEPT_NEW)
            g_hash_table_add (peer->received, g_memdup2 (event->id, HL_ID_LEN));
        }
      g_ptr_array_remove_range (self->apply_events, 0, n);
      g_array_remove_range (self->apply_from, 0, n);
      if (!hl_store_flush_deletions (self->store, &error))
        g_warning ("Cannot flush erased text: %s", error->message);
    }
  credit_frames (self, n);

  if (self->apply_events->len > 0 && self->apply_source == 0 && !self->stopping)
    self->apply_source = hl_sync_idle_add (G_PRIORITY_DEFAULT, apply_idle, self);
  if (self->stopping)
    return;
  hl_node_scan (self);
}

void
hl_node_end_bulk (HlNode *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->bulk || self->apply_events->len > 0 ||
      (!self->stopping && g_get_monotonic_time () - self->last_apply < 2 * G_USEC_PER_SEC))
    return;
  if (!hl_store_set_bulk_mode (self->store, FALSE, &error))
    g_warning ("Cannot leave bulk mode: %s", error->message);
  self->bulk = FALSE;
}
