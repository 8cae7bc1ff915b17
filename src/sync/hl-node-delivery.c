/* hl-node-delivery.c: "did my post go out?"
 *
 * The store's outbox holds this device's events until some peer holds them.
 * A peer holds an event when
 *   - it acknowledged the bytes of the events frame that carried it (an ack
 *     counts only frames whose events it has applied), or
 *   - a reconciliation exchange with it ended and the event, in our set when
 *     the exchange began, fell in no range we had to push: the fingerprints
 *     matched, so the peer has it (or a range push excluded it, for the same
 *     reason).
 * The outbox is small (what is still unconfirmed), so it is kept in memory
 * and reread whenever a scan sees new rows.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"

#include <stdlib.h>

#include "hl-store-sync.h"

typedef struct
{
  guint8  id[HL_ID_LEN];
  guint64 end;             /* ev_sent at the end of its frame; 0 while it is being filled */
} InFlight;

typedef struct
{
  GArray    *in_flight;    /* InFlight, in sending order */
  GArray    *snapshot[2];  /* HlSyncItem: the outbox when an exchange began; [1] ours */
  GPtrArray *pushes[2];    /* HlReconPush of that exchange */
} PeerDelivery;

struct _HlDelivery
{
  GHashTable *pending;     /* HlId -> HlSyncItem *: unconfirmed, in the set */
  GHashTable *peers;       /* guint64 peer id -> PeerDelivery */
};

static void
peer_delivery_free (PeerDelivery *pd)
{
  g_array_unref (pd->in_flight);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&pd->snapshot[i], g_array_unref);
      g_clear_pointer (&pd->pushes[i], g_ptr_array_unref);
    }
  g_free (pd);
}

HlDelivery *
hl_delivery_new (void)
{
  HlDelivery *self = g_new0 (HlDelivery, 1);

  self->pending = g_hash_table_new_full (hl_id_hash, hl_id_equal, NULL, g_free);
  self->peers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) peer_delivery_free);
  return self;
}

void
hl_delivery_free (HlDelivery *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->peers);
  g_free (self);
}

static PeerDelivery *
peer_delivery (HlDelivery *self,
               HlPeer     *peer)
{
  PeerDelivery *pd = g_hash_table_lookup (self->peers, &peer->id);

  if (pd == NULL)
    {
      pd = g_new0 (PeerDelivery, 1);
      pd->in_flight = g_array_new (FALSE, FALSE, sizeof (InFlight));
      g_hash_table_insert (self->peers, g_memdup2 (&peer->id, sizeof peer->id), pd);
    }
  return pd;
}

void
hl_node_delivery_reload (HlNode *self)
{
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (HlOutboxItem));
  g_autoptr(GError) error = NULL;

  if (!hl_store_sync_list_outbox (self->store, self->seen_seq, items, &error))
    {
      g_warning ("Cannot read which of this device's events are unconfirmed: %s",
                 error->message);
      return;
    }
  g_hash_table_remove_all (self->delivery->pending);
  for (guint i = 0; i < items->len; i++)
    {
      const HlOutboxItem *item = &g_array_index (items, HlOutboxItem, i);
      HlSyncItem *copy = g_new (HlSyncItem, 1);

      copy->ts = item->ts;
      memcpy (copy->id, item->id, HL_ID_LEN);
      g_hash_table_replace (self->delivery->pending, copy->id, copy);
    }
}

/* Some peer holds @ids (a GByteArray of ids): out of the outbox for good. */
static void
confirm (HlNode     *self,
         HlPeer     *peer,
         GByteArray *ids)
{
  g_autoptr(GError) error = NULL;
  guint n = ids->len / HL_ID_LEN;

  if (n == 0)
    return;
  if (!hl_store_sync_confirm (self->store, ids->data, n, &error))
    {
      /* They stay unconfirmed; the next exchange with a peer confirms them. */
      g_warning ("Cannot record that %s holds %u of this device's events: %s",
                 hl_peer_label (peer), n, error->message);
      return;
    }
  for (guint i = 0; i < n; i++)
    g_hash_table_remove (self->delivery->pending, ids->data + (gsize) i * HL_ID_LEN);
  g_message ("%s holds %u more of this device's events", hl_peer_label (peer), n);
}

void
hl_node_delivery_sending (HlNode       *self,
                          HlPeer       *peer,
                          const guint8 *id)
{
  InFlight entry = { .end = 0 };

  if (g_hash_table_size (self->delivery->pending) == 0 ||
      !g_hash_table_contains (self->delivery->pending, id))
    return;
  memcpy (entry.id, id, HL_ID_LEN);
  g_array_append_val (peer_delivery (self->delivery, peer)->in_flight, entry);
}

void
hl_node_delivery_sent (HlNode *self,
                       HlPeer *peer)
{
  PeerDelivery *pd = g_hash_table_lookup (self->delivery->peers, &peer->id);

  for (guint i = pd ? pd->in_flight->len : 0; i-- > 0;)
    {
      InFlight *entry = &g_array_index (pd->in_flight, InFlight, i);

      if (entry->end != 0)
        break;
      entry->end = peer->ev_sent;
    }
}

void
hl_node_delivery_acked (HlNode *self,
                        HlPeer *peer)
{
  PeerDelivery *pd = g_hash_table_lookup (self->delivery->peers, &peer->id);
  g_autoptr(GByteArray) ids = g_byte_array_new ();
  guint done = 0;

  if (pd == NULL)
    return;
  while (done < pd->in_flight->len)
    {
      InFlight *entry = &g_array_index (pd->in_flight, InFlight, done);

      if (entry->end == 0 || entry->end > peer->ev_acked)
        break;
      if (g_hash_table_contains (self->delivery->pending, entry->id))
        g_byte_array_append (ids, entry->id, HL_ID_LEN);
      done++;
    }
  g_array_remove_range (pd->in_flight, 0, done);
  confirm (self, peer, ids);
}

void
hl_node_delivery_recon_begin (HlNode   *self,
                              HlPeer   *peer,
                              gboolean  mine)
{
  PeerDelivery *pd = peer_delivery (self->delivery, peer);
  GHashTableIter iter;
  gpointer value;

  g_clear_pointer (&pd->snapshot[mine], g_array_unref);
  g_clear_pointer (&pd->pushes[mine], g_ptr_array_unref);
  pd->snapshot[mine] = g_array_new (FALSE, FALSE, sizeof (HlSyncItem));
  pd->pushes[mine] = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_recon_push_free);
  g_hash_table_iter_init (&iter, self->delivery->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_array_append_vals (pd->snapshot[mine], value, 1);
}

void
hl_node_delivery_recon_push (HlNode    *self,
                             HlPeer    *peer,
                             gboolean   mine,
                             GPtrArray *pushes)
{
  PeerDelivery *pd = g_hash_table_lookup (self->delivery->peers, &peer->id);

  if (pd == NULL || pd->pushes[mine] == NULL || pd->snapshot[mine]->len == 0)
    return;
  for (guint i = 0; i < pushes->len; i++)
    {
      const HlReconPush *push = g_ptr_array_index (pushes, i);
      HlReconPush *copy = g_new0 (HlReconPush, 1);

      copy->lower = push->lower;
      copy->upper = push->upper;
      copy->exclude = push->exclude ? g_array_ref (push->exclude) : NULL;
      g_ptr_array_add (pd->pushes[mine], copy);
    }
}

/* Whether some push of the exchange sends @item (so its ack will tell). */
static gboolean
pushed (GPtrArray        *pushes,
        const HlSyncItem *item)
{
  guint64 prefix = hl_sync_id_prefix (item->id);

  for (guint i = 0; i < pushes->len; i++)
    {
      const HlReconPush *push = g_ptr_array_index (pushes, i);

      if (hl_sync_bound_compare (item, &push->lower) < 0 ||
          hl_sync_bound_compare (item, &push->upper) >= 0)
        continue;
      if (push->exclude == NULL || push->exclude->len == 0 ||
          bsearch (&prefix, push->exclude->data, push->exclude->len, sizeof (guint64),
                   hl_u64_compare) == NULL)
        return TRUE;
    }
  return FALSE;
}

void
hl_node_delivery_recon_end (HlNode   *self,
                            HlPeer   *peer,
                            gboolean  mine)
{
  PeerDelivery *pd = g_hash_table_lookup (self->delivery->peers, &peer->id);
  g_autoptr(GByteArray) ids = g_byte_array_new ();

  if (pd == NULL || pd->snapshot[mine] == NULL)
    return;
  for (guint i = 0; i < pd->snapshot[mine]->len; i++)
    {
      const HlSyncItem *item = &g_array_index (pd->snapshot[mine], HlSyncItem, i);

      if (g_hash_table_contains (self->delivery->pending, item->id) &&
          !pushed (pd->pushes[mine], item))
        g_byte_array_append (ids, item->id, HL_ID_LEN);
    }
  g_clear_pointer (&pd->snapshot[mine], g_array_unref);
  g_clear_pointer (&pd->pushes[mine], g_ptr_array_unref);
  confirm (self, peer, ids);
}

void
hl_node_delivery_peer_gone (HlNode *self,
                            HlPeer *peer)
{
  g_hash_table_remove (self->delivery->peers, &peer->id);
}
