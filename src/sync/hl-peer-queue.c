/* hl-peer-queue.c: the queue of events to send one peer: single events
 * (gossip, wants) and ranges (reconciliation pushes), sent in events frames
 * while the peer's flow-control window allows.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"
#include "hl-node-archive.h"

#include <stdlib.h>

#include "hl-store-sync.h"

#define RANGE_ROWS 128

HlPush *
hl_push_new_event (const guint8 *id)
{
  HlPush *push = g_new0 (HlPush, 1);

  memcpy (push->id, id, HL_ID_LEN);
  return push;
}

HlPush *
hl_push_new_range (const HlSyncBound *lower,
                   const HlSyncBound *upper,
                   GArray            *exclude)
{
  HlRangePush *range = g_new0 (HlRangePush, 1);

  range->push.is_range = TRUE;
  range->lower = *lower;
  range->upper = *upper;
  range->exclude = exclude != NULL && exclude->len > 0 ? g_array_ref (exclude) : NULL;
  return &range->push;
}

void
hl_push_free (HlPush *push)
{
  if (push == NULL)
    return;
  if (push->is_range)
    g_clear_pointer (&((HlRangePush *) push)->exclude, g_array_unref);
  g_free (push);
}

gboolean
hl_peer_enqueue (HlPeer *self,
                 HlPush *push)
{
  if (g_queue_get_length (self->queue) >= HL_SYNC_MAX_QUEUE)
    {
      /* A slow peer: forget the push; the next reconciliation finds it. */
      hl_push_free (push);
      self->recon_again = TRUE;
      return FALSE;
    }
  g_queue_push_tail (self->queue, push);
  return TRUE;
}

typedef struct
{
  GByteArray *frame;
  guint       count;
  guint       rows;
  HlRangePush *push;
  HlPeer     *peer;
} Filler;

static gboolean
add_event (const guint8 *id,
           guint64       ts,
           const guint8 *raw,
           gsize         raw_len,
           const guint8 *sig,
           gpointer      user_data)
{
  Filler *f = user_data;

  if (!hl_node_zone_allows (f->peer->node, f->peer, id))
    return TRUE;
  hl_sync_put_event (f->frame, raw, raw_len, sig);
  hl_node_delivery_sending (f->peer->node, f->peer, id);
  f->count++;
  return TRUE;
}

static void
bound_after (HlSyncBound  *bound,
             guint64       ts,
             const guint8 *id)
{
  bound->ts = ts;
  bound->len = HL_ID_LEN;
  memcpy (bound->id, id, HL_ID_LEN);
  for (int i = HL_ID_LEN - 1; i >= 0; i--)
    if (++bound->id[i] != 0)
      return;
  /* The id was all ones: the next key is the next millisecond. */
  bound->ts = ts + 1;
  bound->len = 0;
  memset (bound->id, 0, HL_ID_LEN);
}

static gboolean
add_range_event (const guint8 *id,
                 guint64       ts,
                 const guint8 *raw,
                 gsize         raw_len,
                 const guint8 *sig,
                 gpointer      user_data)
{
  Filler *f = user_data;
  guint64 prefix = hl_sync_id_prefix (id);

  f->rows++;
  bound_after (&f->push->lower, ts, id);
  if (!hl_node_zone_allows (f->peer->node, f->peer, id))
    ;   /* a zone's envelope, for a peer without its tag */
  else if (f->push->exclude == NULL || f->push->exclude->len == 0 ||
      bsearch (&prefix, f->push->exclude->data, f->push->exclude->len, sizeof (guint64),
               hl_u64_compare) == NULL)
    {
      hl_sync_put_event (f->frame, raw, raw_len, sig);
      hl_node_delivery_sending (f->peer->node, f->peer, id);
      f->count++;
    }
  return f->frame->len < HL_SYNC_EVENTS_FRAME_TARGET;
}

void
hl_peer_pump (HlPeer *self)
{
  HlStore *store = hl_node_get_store (self->node);

  while (self->state == HL_PEER_READY && !g_queue_is_empty (self->queue) &&
         self->ev_sent - self->ev_acked < HL_SYNC_WINDOW)
    {
      g_autoptr(GByteArray) frame = g_byte_array_sized_new (4096);
      guint8 type = HL_SYNC_FRAME_EVENTS;
      Filler f = { frame, 0, 0, NULL, self };

      g_byte_array_append (frame, &type, 1);
      while (frame->len < HL_SYNC_EVENTS_FRAME_TARGET && !g_queue_is_empty (self->queue))
        {
          HlPush *push = g_queue_peek_head (self->queue);
          g_autoptr(GError) error = NULL;

          if (!push->is_range)
            {
              if (!hl_store_sync_get_raw (store, push->id, add_event, &f, NULL, &error))
                g_warning ("Cannot read an event to send: %s", error->message);
              hl_push_free (g_queue_pop_head (self->queue));
              continue;
            }
          f.push = (HlRangePush *) push;
          f.rows = 0;
          /* A peer that speaks archive-1 gets contained events from the
           * archive, as the reconciled set says; an older one gets all. */
          if (!hl_store_sync_range (store, !hl_node_reconciles_contained (self->node, self),
                                    f.push->lower.ts, f.push->lower.id, f.push->upper.ts,
                                    f.push->upper.id, RANGE_ROWS, add_range_event, &f, &error))
            {
              g_warning ("Cannot read events to send: %s", error->message);
              hl_push_free (g_queue_pop_head (self->queue));
              continue;
            }
          if (f.rows < RANGE_ROWS && frame->len < HL_SYNC_EVENTS_FRAME_TARGET)
            hl_push_free (g_queue_pop_head (self->queue));
        }
      if (f.count == 0)
        continue;
      self->ev_sent += frame->len;
      self->events_sent += f.count;
      self->node->totals_events_sent += f.count;
      hl_node_delivery_sent (self->node, self);
      hl_peer_send_binary (self, frame);
    }
}

