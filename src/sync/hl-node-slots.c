/* hl-node-slots.c: the connection slots (docs/protocol.md, "Sync limits").
 *
 * Admitted connections take a slot: at most HL_SYNC_MAX_PEERS in all, and
 * few per remote address, tailnet machine and tailnet user, so that keys
 * made by the thousand cannot lock honest peers out. A known peer (manual,
 * invited, tailnet, dialled by us) that finds a limit reached takes the
 * slot of the newest connection within it that is not known.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"

#include "hl-sync-wire.h"

#define TAGGED_USER  "tagged-devices"   /* whois's owner of tagged machines */

typedef enum
{
  BUCKET_ALL,
  BUCKET_ADDRESS,
  BUCKET_MACHINE,
  BUCKET_USER,
} BucketKind;

typedef struct
{
  BucketKind  kind;
  const char *value;
  guint       limit;
} Bucket;

static gboolean
holds_slot (HlPeer *peer)
{
  return peer->holds_slot && !peer->closing && peer->state != HL_PEER_CLOSED;
}

static gboolean
in_bucket (const Bucket *bucket,
           HlPeer       *peer)
{
  switch (bucket->kind)
    {
    case BUCKET_ADDRESS:
      return !peer->outbound && g_strcmp0 (hl_sync_host_unmapped (peer->remote_host), bucket->value) == 0;
    case BUCKET_MACHINE:
      return !peer->outbound && g_strcmp0 (peer->tailnet_machine, bucket->value) == 0;
    case BUCKET_USER:
      return !peer->outbound && g_strcmp0 (peer->tailnet_user, bucket->value) == 0;
    case BUCKET_ALL:
    default:
      return TRUE;
    }
}

static char *
bucket_full_reason (const Bucket *bucket)
{
  switch (bucket->kind)
    {
    case BUCKET_ADDRESS:
      return g_strdup_printf ("this node takes at most %u connections from one address, and %s "
                              "has them all", bucket->limit, bucket->value);
    case BUCKET_MACHINE:
      return g_strdup_printf ("this node takes at most %u connections from one machine of its "
                              "tailnet, and %s has them all", bucket->limit, bucket->value);
    case BUCKET_USER:
      return g_strdup_printf ("this node takes at most %u connections from one tailnet user, and "
                              "%s has them all", bucket->limit, bucket->value);
    case BUCKET_ALL:
    default:
      return g_strdup_printf ("this node has as many connections as it takes (%u)", bucket->limit);
    }
}

/* Room in @bucket for @peer: there is some, or a known @peer evicts the
 * newest connection there that is not known. */
static gboolean
make_room (HlNode       *self,
           HlPeer       *peer,
           const Bucket *bucket)
{
  GHashTableIter iter;
  gpointer value;
  HlPeer *newest_unknown = NULL;
  guint count = 0;
  g_autofree char *full = NULL;
  g_autofree char *reason = NULL;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      HlPeer *other = value;

      if (other == peer || !holds_slot (other) || !in_bucket (bucket, other))
        continue;
      count++;
      if (!hl_admitted_is_known (other->admitted_as) &&
          (newest_unknown == NULL || other->connected_at > newest_unknown->connected_at ||
           (other->connected_at == newest_unknown->connected_at && other->id > newest_unknown->id)))
        newest_unknown = other;
    }
  if (count < bucket->limit)
    return TRUE;
  if (!hl_admitted_is_known (peer->admitted_as) || newest_unknown == NULL)
    return FALSE;
  full = bucket_full_reason (bucket);
  reason = g_strdup_printf ("%s, and closed this connection to make room for a peer it knows; "
                            "try again later", full);
  hl_node_note_eviction (self, newest_unknown, reason);
  hl_peer_close (newest_unknown, HL_SYNC_CLOSE_FULL, reason);
  return TRUE;
}

gboolean
hl_node_take_slot (HlNode *self,
                   HlPeer *peer)
{
  const char *host = hl_sync_host_unmapped (peer->remote_host);
  Bucket buckets[4];
  guint n = 0;

  buckets[n++] = (Bucket) { BUCKET_ALL, NULL, HL_SYNC_MAX_PEERS };
  if (!peer->outbound && host != NULL)
    buckets[n++] = (Bucket) { BUCKET_ADDRESS, host, hl_sync_host_is_loopback (host)
                                                    ? HL_SYNC_MAX_PEERS_PER_LOOPBACK
                                                    : HL_SYNC_MAX_PEERS_PER_ADDRESS };
  if (!peer->outbound && peer->tailnet_machine != NULL)
    buckets[n++] = (Bucket) { BUCKET_MACHINE, peer->tailnet_machine, HL_SYNC_MAX_PEERS_PER_MACHINE };
  /* Tagged machines all belong to one pseudo-user: no limit between them. */
  if (!peer->outbound && peer->tailnet_user != NULL && strcmp (peer->tailnet_user, TAGGED_USER) != 0)
    buckets[n++] = (Bucket) { BUCKET_USER, peer->tailnet_user, HL_SYNC_MAX_PEERS_PER_USER };

  for (guint i = 0; i < n; i++)
    if (!make_room (self, peer, &buckets[i]))
      {
        g_autofree char *full = bucket_full_reason (&buckets[i]);
        g_autofree char *reason = g_strdup_printf ("%s; try again later", full);

        hl_node_note_refusal (self, peer, HL_SYNC_CLOSE_FULL, reason);
        hl_peer_close (peer, HL_SYNC_CLOSE_FULL, reason);
        return FALSE;
      }
  peer->holds_slot = TRUE;
  return TRUE;
}
