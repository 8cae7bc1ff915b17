/* hl-store-privnet-cache.c: what opening a box needs, read once per write
 * transaction instead of once per box.
 *
 * A box is opened by its subnet's owner, its epochs in order (to find the
 * epoch in effect at the box's order) and one epoch key. Reading and parsing
 * those from SQLite for each box cost more than decrypting it. They only
 * change inside a write transaction (BEGIN IMMEDIATE: no other connection
 * writes meanwhile), so the cache is used only inside one, and emptied when
 * one begins or rolls back (hl-store.c, clear_batch()), and a subnet's
 * epochs again whenever an epoch of it is recorded.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "hl-json.h"
#include "hl-store-private.h"
#include "hl-store-privnet-private.h"

struct _HlPrivnetCache
{
  GHashTable *keys;      /* HlId epoch -> HlPrivateKey */
  GHashTable *chains;    /* HlId subnet -> Chain */
};

typedef struct
{
  HlPrivnetEpoch  epoch;
  HlTimestamp     ts;
  guint8          event[HL_ID_LEN];
  guint8          author[HL_KEY_LEN];
  gint            in_effect;   /* index of the epoch in effect after this one is walked, or -1 */
} Link;

typedef struct
{
  gboolean  known;             /* the subnet's create is held */
  GArray   *links;             /* Link, in (ts, ctr, event) order */
} Chain;

static void
free_key (gpointer key)
{
  sodium_memzero (key, sizeof (HlPrivateKey));
  g_free (key);
}

static void
clear_link (gpointer data)
{
  Link *link = data;

  g_free (link->epoch.lists);
  g_clear_pointer (&link->epoch.members, g_hash_table_unref);
  g_clear_pointer (&link->epoch.admins, g_hash_table_unref);
}

static void
free_chain (gpointer data)
{
  Chain *chain = data;

  g_array_unref (chain->links);
  g_free (chain);
}

HlPrivnetCache *
hl_privnet_cache_new (void)
{
  HlPrivnetCache *self = g_new0 (HlPrivnetCache, 1);

  self->keys = g_hash_table_new_full (hl_id_hash, hl_id_equal, g_free, free_key);
  self->chains = g_hash_table_new_full (hl_id_hash, hl_id_equal, g_free, free_chain);
  return self;
}

void
hl_privnet_cache_free (HlPrivnetCache *self)
{
  g_hash_table_unref (self->keys);
  g_hash_table_unref (self->chains);
  g_free (self);
}

void
hl_privnet_cache_clear (HlPrivnetCache *self)
{
  g_hash_table_remove_all (self->keys);
  g_hash_table_remove_all (self->chains);
}

static gboolean
usable (HlStore *self)
{
  return self->privnet_cache != NULL && !sqlite3_get_autocommit (self->db);
}

const HlPrivateKey *
hl_privnet_cached_key (HlStore      *self,
                       const guint8 *epoch)
{
  return usable (self) ? g_hash_table_lookup (self->privnet_cache->keys, epoch) : NULL;
}

void
hl_privnet_cache_key (HlStore            *self,
                      const HlPrivateKey *key)
{
  if (usable (self))
    g_hash_table_replace (self->privnet_cache->keys, g_memdup2 (key->epoch, HL_ID_LEN),
                          g_memdup2 (key, sizeof *key));
}

void
hl_privnet_cache_forget_epochs (HlStore      *self,
                                const guint8 *subnet)
{
  if (self->privnet_cache != NULL)
    g_hash_table_remove (self->privnet_cache->chains, subnet);
}

/* The hex keys of list @name of a lists object, as a set; NULL without. */
static GHashTable *
key_set (JsonObject *lists,
         const char *name)
{
  JsonNode *node = lists != NULL ? json_object_get_member (lists, name) : NULL;
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        g_hash_table_add (set, g_strdup (json_node_get_string (item)));
    }
  return set;
}

gboolean
hl_privnet_epoch_holds (const HlPrivnetEpoch *epoch,
                        const char           *name,
                        const guint8         *key)
{
  GHashTable *set = strcmp (name, "admins") == 0 ? epoch->admins : epoch->members;
  char hex[2 * HL_KEY_LEN + 1];

  if (set == NULL)
    return FALSE;
  sodium_bin2hex (hex, sizeof hex, key, HL_KEY_LEN);
  return g_hash_table_contains (set, hex);
}

static void
read_link (HlStmt *stmt,
           Link   *link)
{
  g_autoptr(JsonObject) lists = NULL;

  memset (link, 0, sizeof *link);
  hl_column_id (stmt, 0, link->event);
  hl_column_id (stmt, 1, link->epoch.epoch);
  if (sqlite3_column_bytes (stmt, 2) == HL_KEY_LEN)
    memcpy (link->author, sqlite3_column_blob (stmt, 2), HL_KEY_LEN);
  link->ts.ms = (guint64) sqlite3_column_int64 (stmt, 3);
  link->ts.ctr = (guint32) sqlite3_column_int64 (stmt, 4);
  link->epoch.lists = hl_column_dup_text (stmt, 5);
  if (link->epoch.lists != NULL && (lists = hl_json_parse_object (link->epoch.lists)) != NULL)
    {
      link->epoch.members = key_set (lists, "members");
      link->epoch.admins = key_set (lists, "admins");
    }
}

/* The rule of docs/protocol.md walked once: an epoch counts when its author
 * is the owner, or an admin of the epoch in effect before it (never before
 * the owner's first). */
static void
walk (GArray       *links,
      const guint8 *owner)
{
  gint current = -1;

  for (guint i = 0; i < links->len; i++)
    {
      Link *link = &g_array_index (links, Link, i);
      gboolean by_owner = memcmp (link->author, owner, HL_KEY_LEN) == 0;

      if (by_owner || (current >= 0 &&
                       hl_privnet_epoch_holds (&g_array_index (links, Link, current).epoch,
                                               "admins", link->author)))
        current = (gint) i;
      link->in_effect = current;
    }
}

static Chain *
read_chain (HlStore      *self,
            const guint8 *subnet)
{
  g_autoptr(HlStmt) stmt = NULL;
  Chain *chain = g_new0 (Chain, 1);
  guint8 owner[HL_KEY_LEN];

  chain->links = g_array_new (FALSE, FALSE, sizeof (Link));
  g_array_set_clear_func (chain->links, clear_link);
  if (!(chain->known = hl_privnet_load_owner (self, subnet, owner)) ||
      !(stmt = hl_store_prepare (self, "SELECT event, epoch, author, ts, ctr, lists "
                                       "FROM private_epochs WHERE subnet = ?1 "
                                       "ORDER BY ts, ctr, event", NULL)))
    return chain;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Link link;

      read_link (stmt, &link);
      g_array_append_val (chain->links, link);
    }
  walk (chain->links, owner);
  return chain;
}

static Chain *
get_chain (HlStore      *self,
           const guint8 *subnet,
           gboolean     *owned)
{
  Chain *chain;

  *owned = !usable (self);
  if (*owned)
    return read_chain (self, subnet);
  chain = g_hash_table_lookup (self->privnet_cache->chains, subnet);
  if (chain == NULL)
    {
      chain = read_chain (self, subnet);
      g_hash_table_insert (self->privnet_cache->chains, g_memdup2 (subnet, HL_ID_LEN), chain);
    }
  return chain;
}

static int
compare_order (const Link        *link,
               const HlTimestamp *ts,
               const guint8      *id)
{
  int c = hl_timestamp_compare (&link->ts, ts);

  return c != 0 ? c : memcmp (link->event, id, HL_ID_LEN);
}

/* The index of the last link ordered before (@ts, @id), or -1. */
static gint
last_before (GArray            *links,
             const HlTimestamp *ts,
             const guint8      *id)
{
  gint lo = 0, hi = (gint) links->len;

  while (lo < hi)
    {
      gint mid = lo + (hi - lo) / 2;

      if (compare_order (&g_array_index (links, Link, mid), ts, id) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo - 1;
}

gboolean
hl_privnet_epoch_lookup (HlStore            *self,
                         const guint8       *subnet,
                         const HlTimestamp  *ts,
                         const guint8       *id,
                         HlPrivnetLookup    *out)
{
  gboolean owned;
  Chain *chain = get_chain (self, subnet, &owned);
  gint before = last_before (chain->links, ts, id);
  gint in_effect = before >= 0 ? g_array_index (chain->links, Link, before).in_effect : -1;

  memset (out, 0, sizeof *out);
  if (in_effect >= 0)
    out->epoch = &g_array_index (chain->links, Link, in_effect).epoch;
  if (owned)
    out->owned_chain = chain;
  return out->epoch != NULL;
}

void
hl_privnet_lookup_clear (HlPrivnetLookup *lookup)
{
  g_clear_pointer (&lookup->owned_chain, free_chain);
  lookup->epoch = NULL;
}
