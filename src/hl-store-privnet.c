/* hl-store-privnet.c: private subnets in the store.
 *
 * Every device stores and relays a private subnet's envelopes
 * (private.create, private.epoch, private.box). A member device also opens
 * them: it unwraps the epoch keys meant for it, and applies the signed event
 * each box carries through the ordinary merge rules, marked `sealed` so that
 * it never leaves the device (hl-store-sync.c leaves such rows out of
 * everything it offers). A box whose key has not arrived yet waits, stored,
 * and is opened when the key comes.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-privnet.h"

#include <sodium.h>

#include "hl-error.h"
#include "hl-event-private.h"
#include "hl-json.h"
#include "hl-store-private.h"
#include "hl-store-privnet-private.h"

void
hl_store_set_identity (HlStore    *self,
                       HlIdentity *identity)
{
  self->identity = identity;
}

HlIdentity *
hl_store_get_identity (HlStore *self)
{
  return self->identity;
}

JsonObject *
hl_privnet_event_fields (const HlEvent *event)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, event->body, (gssize) event->body_len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static gboolean
hex_member (JsonObject *fields,
            const char *name,
            guint8     *out)
{
  const char *hex = hl_json_get_string (fields, name);

  return hex != NULL && hl_event_hex_decode (hex, strlen (hex), out, HL_ID_LEN, TRUE);
}

/* Member @name of @object when it is an array, else NULL (@object may be). */
static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
load_key (HlStore      *self,
          const guint8 *epoch,
          HlPrivateKey *key)
{
  const HlPrivateKey *cached = hl_privnet_cached_key (self, epoch);
  g_autoptr(HlStmt) stmt = NULL;

  if (cached != NULL)
    {
      *key = *cached;
      return TRUE;
    }
  if (!(stmt = hl_store_prepare (self, "SELECT key FROM private_keys WHERE epoch = ?1", NULL)))
    return FALSE;
  hl_bind_blob (stmt, 1, epoch, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_bytes (stmt, 0) != HL_PRIVATE_KEY_LEN)
    return FALSE;
  hl_private_key_from_bytes (key, sqlite3_column_blob (stmt, 0));
  hl_privnet_cache_key (self, key);
  return TRUE;
}

static gboolean
save_key (HlStore            *self,
          const guint8       *subnet,
          const HlPrivateKey *key,
          GError            **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "INSERT OR IGNORE INTO private_keys (epoch, subnet, key) "
                                       "VALUES (?1, ?2, ?3)", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, key->epoch, HL_ID_LEN);
  hl_bind_blob (stmt, 2, subnet, HL_ID_LEN);
  hl_bind_blob (stmt, 3, key->key, HL_PRIVATE_KEY_LEN);
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  hl_privnet_cache_key (self, key);
  return TRUE;
}

static gboolean
save_epoch (HlStore       *self,
            const HlEvent *event,
            const guint8  *subnet,
            const guint8  *epoch,
            const char    *lists,
            GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "INSERT OR REPLACE INTO private_epochs "
                                       "(event, subnet, epoch, author, ts, ctr, lists) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, event->id, HL_ID_LEN);
  hl_bind_blob (stmt, 2, subnet, HL_ID_LEN);
  hl_bind_blob (stmt, 3, epoch, HL_ID_LEN);
  hl_bind_blob (stmt, 4, event->author, HL_KEY_LEN);
  sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) event->ts.ms);
  sqlite3_bind_int64 (stmt, 6, event->ts.ctr);
  hl_bind_text (stmt, 7, lists);
  hl_privnet_cache_forget_epochs (self, subnet);
  return hl_store_step_done (self, stmt, error);
}

gboolean
hl_privnet_load_owner (HlStore      *self,
            const guint8 *subnet,
            guint8       *owner)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT owner FROM private_subnets "
                                                   "WHERE subnet = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  return sqlite3_step (stmt) == SQLITE_ROW && hl_column_id (stmt, 0, owner);
}

/* The epoch in effect just before (@ts, @ctr, @id) in @subnet, by the rule of
 * docs/protocol.md (hl-store-privnet-cache.c walks it). @lists gets its member
 * lists (NULL when this device cannot read them). FALSE when no epoch is
 * known. */
gboolean
hl_privnet_epoch_in_effect (HlStore           *self,
                            const guint8      *subnet,
                            const HlTimestamp *ts,
                            const guint8      *id,
                            guint8            *epoch,
                            char             **lists)
{
  g_auto(HlPrivnetLookup) found = { 0 };

  *lists = NULL;
  if (!hl_privnet_epoch_lookup (self, subnet, ts, id, &found))
    return FALSE;
  memcpy (epoch, found.epoch->epoch, HL_ID_LEN);
  *lists = g_strdup (found.epoch->lists);
  return TRUE;
}

static gboolean
mark_sealed (HlStore      *self,
             const guint8 *inner,
             const guint8 *envelope,
             GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "UPDATE events SET sealed = ?2 WHERE id = ?1", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, inner, HL_ID_LEN);
  hl_bind_blob (stmt, 2, envelope, HL_ID_LEN);
  return hl_store_step_done (self, stmt, error);
}

/* A box (or create) that will not open is kept as ciphertext: the reason is
 * logged, nothing else is lost. */
static gboolean
refused (const HlEvent *envelope,
         const GError  *why)
{
  g_autofree char *id = hl_event_id_hex (envelope);

  g_info ("Private event %.16s not opened: %s", id, why->message);
  return TRUE;
}

static gboolean
apply_inner (HlStore       *self,
             const HlEvent *envelope,
             const HlEvent *inner,
             GError       **error)
{
  gboolean duplicate = FALSE;
  gboolean ok;

  self->sealing = envelope->id;
  ok = hl_store_apply_one (self, inner, &duplicate, error);
  self->sealing = NULL;
  /* Held already (unsealed, or by another envelope): marked as this one's. */
  return ok && (!duplicate || mark_sealed (self, inner->id, envelope->id, error));
}

static gboolean
open_box (HlStore       *self,
          const HlEvent *box,
          GError       **error)
{
  g_autoptr(JsonObject) fields = hl_event_parse_body (box);
  g_auto(HlPrivnetLookup) current = { 0 };
  g_autoptr(HlEvent) inner = NULL;
  g_autoptr(GError) why = NULL;
  HlPrivateKey key;
  guint8 epoch[HL_ID_LEN];

  if (fields == NULL || !box->has_ref || !hl_private_body_epoch (fields, epoch, &why))
    return why != NULL ? refused (box, why) : TRUE;
  if (!load_key (self, epoch, &key))
    return TRUE;       /* not ours, or its key is still on its way */
  if (!hl_privnet_epoch_lookup (self, box->ref, &box->ts, box->id, &current) ||
      memcmp (current.epoch->epoch, epoch, HL_ID_LEN) != 0)
    g_set_error (&why, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
                 "sealed under an epoch that is not the subnet's current one at its time "
                 "[private-stale-epoch]");
  else if (!hl_privnet_epoch_holds (current.epoch, "members", box->author))
    g_set_error (&why, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
                 "its author is not a member of the epoch [private-not-member]");
  else if ((inner = hl_private_open_inner_fields (box, fields, box->ref, &key, &why)) != NULL &&
           strcmp (inner->kind, HL_KIND_SUBNET_CREATE) == 0)
    g_set_error (&why, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                 "a box cannot create a subnet [private-nested]");
  sodium_memzero (&key, sizeof key);
  if (why != NULL)
    return refused (box, why);
  return apply_inner (self, box, inner, error);
}

/* Opens the boxes of @subnet that wait for a key this device now has. */
static gboolean
open_waiting (HlStore      *self,
              const guint8 *subnet,
              GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  g_autoptr(GPtrArray) boxes = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);

  if (!(stmt = hl_store_prepare (self, "SELECT raw, sig FROM events e WHERE ref = ?1 AND kind = '"
                                       HL_KIND_PRIVATE_BOX "' AND raw IS NOT NULL AND NOT EXISTS "
                                       "(SELECT 1 FROM events s WHERE s.sealed = e.id)", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HlEvent *box = hl_event_decode (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                                      sqlite3_column_blob (stmt, 1), NULL);

      if (box != NULL)
        g_ptr_array_add (boxes, box);
    }
  g_clear_pointer (&stmt, hl_stmt_release);
  for (guint i = 0; i < boxes->len; i++)
    if (!open_box (self, boxes->pdata[i], error))
      return FALSE;
  return TRUE;
}

/* Opens a create's sealed subnet.create once this device holds its key. */
static gboolean
open_create (HlStore       *self,
             const HlEvent *create,
             const guint8  *subnet,
             GError       **error)
{
  g_autoptr(JsonObject) fields = hl_privnet_event_fields (create);
  g_autoptr(HlEvent) inner = NULL;
  g_autoptr(GError) why = NULL;
  HlPrivateKey key;
  guint8 epoch[HL_ID_LEN];

  if (fields == NULL || !hl_private_body_epoch (fields, epoch, NULL))
    return TRUE;
  if (!load_key (self, epoch, &key))
    {
      if (!hl_private_unwrap_any (array_member (fields, "wraps"), subnet, epoch,
                                  hl_store_get_identity (self), &key))
        return TRUE;
      if (!save_key (self, subnet, &key, error))
        return FALSE;
    }
  inner = hl_private_open_inner (create, subnet, &key, &why);
  sodium_memzero (&key, sizeof key);
  if (inner != NULL && (strcmp (inner->kind, HL_KIND_SUBNET_CREATE) != 0 ||
                        memcmp (inner->id, subnet, HL_ID_LEN) != 0))
    g_set_error (&why, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                 "its sealed event is not the subnet.create it names [private-subnet-mismatch]");
  if (why != NULL)
    return refused (create, why);
  return apply_inner (self, create, inner, error);
}

/* The create of @subnet, when it has not been opened here yet. */
static HlEvent *
unopened_create (HlStore      *self,
                 const guint8 *subnet)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT e.raw, e.sig FROM private_subnets p "
                                                   "JOIN events e ON e.id = p.create_id "
                                                   "WHERE p.subnet = ?1 AND e.raw IS NOT NULL "
                                                   "AND NOT EXISTS (SELECT 1 FROM events s "
                                                   "WHERE s.sealed = p.create_id)", NULL);

  if (stmt == NULL)
    return NULL;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return hl_event_decode (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                          sqlite3_column_blob (stmt, 1), NULL);
}

/* After new keys: the create first (the subnet row), then the boxes. */
static gboolean
open_what_waits (HlStore      *self,
                 const guint8 *subnet,
                 GError      **error)
{
  g_autoptr(HlEvent) create = unopened_create (self, subnet);

  return (create == NULL || open_create (self, create, subnet, error)) &&
         open_waiting (self, subnet, error);
}

static gboolean
apply_create (HlStore       *self,
              const HlEvent *create,
              GError       **error)
{
  g_autoptr(JsonObject) fields = hl_privnet_event_fields (create);
  g_autoptr(HlStmt) stmt = NULL;
  g_autofree char *lists = NULL;
  g_autofree char *owner_hex = hl_hex_dup (create->author, HL_KEY_LEN);
  const char *tag;
  guint8 subnet[HL_ID_LEN], epoch[HL_ID_LEN];

  if (fields == NULL || !hex_member (fields, "subnet", subnet) ||
      !hl_private_body_epoch (fields, epoch, NULL))
    return TRUE;
  tag = hl_json_get_string (fields, "tag");
  if (!(stmt = hl_store_prepare (self, "INSERT OR IGNORE INTO private_subnets "
                                       "(subnet, owner, create_id, tag) VALUES (?1, ?2, ?3, ?4)",
                                 error)))
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  hl_bind_blob (stmt, 2, create->author, HL_KEY_LEN);
  hl_bind_blob (stmt, 3, create->id, HL_ID_LEN);
  hl_bind_text (stmt, 4, hl_private_tag_is_valid (tag) ? tag : NULL);
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, hl_stmt_release);

  lists = g_strdup_printf ("{\"members\":[\"%s\"],\"admins\":[]}", owner_hex);
  return save_epoch (self, create, subnet, epoch, lists, error) &&
         open_create (self, create, subnet, error) && open_waiting (self, subnet, error);
}

/* The keys of earlier epochs an epoch's lists hand on. */
static gboolean
save_past_keys (HlStore      *self,
                const guint8 *subnet,
                const char   *lists,
                GError      **error)
{
  g_autoptr(JsonObject) object = hl_json_parse_object (lists);
  JsonArray *past = array_member (object, "past");

  for (guint i = 0; past != NULL && i < json_array_get_length (past); i++)
    {
      const char *hex = json_array_get_string_element (past, i);
      guint8 bytes[HL_PRIVATE_KEY_LEN];
      HlPrivateKey key;
      gboolean ok;

      if (hex == NULL || !hl_event_hex_decode (hex, strlen (hex), bytes, sizeof bytes, TRUE))
        continue;
      hl_private_key_from_bytes (&key, bytes);
      ok = save_key (self, subnet, &key, error);
      sodium_memzero (&key, sizeof key);
      sodium_memzero (bytes, sizeof bytes);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* The lists of the subnet's epochs recorded unread whose key this device
 * holds now (a later epoch's "past" handed it on): a member added later
 * then knows who could post before it came, and opens those boxes. */
static gboolean
read_unread_epochs (HlStore      *self,
                    const guint8 *subnet,
                    GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  g_autoptr(GPtrArray) epochs = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);

  if (!(stmt = hl_store_prepare (self, "SELECT e.raw, e.sig FROM private_epochs p "
                                       "JOIN events e ON e.id = p.event WHERE p.subnet = ?1 "
                                       "AND p.lists IS NULL AND e.raw IS NOT NULL AND p.epoch IN "
                                       "(SELECT epoch FROM private_keys WHERE subnet = ?1)",
                                 error)))
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HlEvent *epoch = hl_event_decode (sqlite3_column_blob (stmt, 0),
                                        sqlite3_column_bytes (stmt, 0),
                                        sqlite3_column_blob (stmt, 1), NULL);

      if (epoch != NULL)
        g_ptr_array_add (epochs, epoch);
    }
  g_clear_pointer (&stmt, hl_stmt_release);
  for (guint i = 0; i < epochs->len; i++)
    {
      const HlEvent *event = epochs->pdata[i];
      g_autoptr(JsonObject) fields = hl_privnet_event_fields (event);
      g_autoptr(GBytes) lists = NULL;
      g_autofree char *text = NULL;
      HlPrivateKey key;
      guint8 epoch[HL_ID_LEN];

      if (fields == NULL || !hl_private_body_epoch (fields, epoch, NULL) ||
          !load_key (self, epoch, &key))
        continue;
      lists = hl_private_open_sealed (fields, &key, subnet, event->author, NULL);
      sodium_memzero (&key, sizeof key);
      if (lists == NULL)
        continue;
      text = g_strndup (g_bytes_get_data (lists, NULL), g_bytes_get_size (lists));
      if (!save_epoch (self, event, subnet, epoch, text, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_epoch (HlStore       *self,
             const HlEvent *event,
             GError       **error)
{
  g_autoptr(JsonObject) fields = hl_privnet_event_fields (event);
  g_autoptr(GBytes) lists = NULL;
  g_autoptr(GError) why = NULL;
  g_autofree char *text = NULL;
  HlPrivateKey key;
  guint8 epoch[HL_ID_LEN];

  if (fields == NULL || !event->has_ref || !hl_private_body_epoch (fields, epoch, NULL))
    return TRUE;
  /* Its key by a wrap, or handed on already by a later epoch's "past". */
  if (hl_private_unwrap_any (array_member (fields, "wraps"), event->ref, epoch,
                             hl_store_get_identity (self), &key) ||
      load_key (self, epoch, &key))
    {
      lists = hl_private_open_sealed (fields, &key, event->ref, event->author, &why);
      if (lists == NULL || !save_key (self, event->ref, &key, error))
        {
          sodium_memzero (&key, sizeof key);
          return lists == NULL ? refused (event, why) : FALSE;
        }
      sodium_memzero (&key, sizeof key);
      text = g_strndup (g_bytes_get_data (lists, NULL), g_bytes_get_size (lists));
      if (!save_past_keys (self, event->ref, text, error) ||
          !read_unread_epochs (self, event->ref, error))
        return FALSE;
    }
  /* Recorded unread too: an epoch this device cannot read still ends the
   * one before it, so boxes under the old key after it stay closed. */
  return save_epoch (self, event, event->ref, epoch, text, error) &&
         open_what_waits (self, event->ref, error) &&
         hl_privnet_close_stale_boxes (self, event, error);
}

gboolean
hl_store_private_apply (HlStore       *self,
                        const HlEvent *event,
                        GError       **error)
{
  if (strcmp (event->kind, HL_KIND_PRIVATE_CREATE) == 0)
    return apply_create (self, event, error);
  if (strcmp (event->kind, HL_KIND_PRIVATE_EPOCH) == 0)
    return apply_epoch (self, event, error);
  if (strcmp (event->kind, HL_KIND_PRIVATE_BOX) == 0)
    return open_box (self, event, error);
  return TRUE;
}

/* The subnet an event to be published would land in, when it is private. */
static gboolean
private_target (HlStore       *self,
                const HlEvent *event,
                guint8        *subnet)
{
  g_autoptr(HlStmt) stmt = NULL;
  guint8 owner[HL_KEY_LEN];
  const char *kind = event->kind;

  if (!event->has_ref || g_str_has_prefix (kind, "private.") || g_str_has_prefix (kind, "archive."))
    return FALSE;
  memcpy (subnet, event->ref, HL_ID_LEN);
  if (hl_privnet_load_owner (self, subnet, owner))
    return TRUE;
  if (strcmp (kind, HL_KIND_THREAD_CREATE) == 0 || strcmp (kind, HL_KIND_SUBNET_UPDATE) == 0 ||
      g_str_has_prefix (kind, "moderator."))
    return FALSE;
  if (!(stmt = hl_store_prepare (self, "SELECT subnet FROM posts WHERE id = ?1", NULL)))
    return FALSE;
  hl_bind_blob (stmt, 1, event->ref, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW || !hl_column_id (stmt, 0, subnet))
    return FALSE;
  g_clear_pointer (&stmt, hl_stmt_release);
  return hl_privnet_load_owner (self, subnet, owner);
}

/* The key of the epoch in effect now, when this device holds it. */
static gboolean
current_key (HlStore      *self,
             const guint8 *subnet,
             HlPrivateKey *key,
             GError      **error)
{
  static const guint8 last_id[HL_ID_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  HlTimestamp end = { G_MAXINT64, G_MAXUINT32 };
  g_autofree char *lists = NULL;
  guint8 epoch[HL_ID_LEN];

  if (!hl_privnet_epoch_in_effect (self, subnet, &end, last_id, epoch, &lists) || !load_key (self, epoch, key))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
                   "This device is not a member of the private subnet's current epoch "
                   "[private-not-member]");
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_store_private_is_subnet (HlStore      *self,
                            const guint8 *subnet)
{
  guint8 owner[HL_KEY_LEN];

  return hl_privnet_load_owner (self, subnet, owner);
}

gboolean
hl_store_private_epoch_key (HlStore      *self,
                            const guint8 *subnet,
                            const guint8 *epoch,
                            HlPrivateKey *key,
                            GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (epoch == NULL)
    return current_key (self, subnet, key, error);
  /* The key must be of this subnet: a manifest names the epoch. */
  if ((stmt = hl_store_prepare (self, "SELECT 1 FROM private_keys WHERE epoch = ?1 "
                                      "AND subnet = ?2", error)) == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, epoch, HL_ID_LEN);
  hl_bind_blob (stmt, 2, subnet, HL_ID_LEN);
  if (sqlite3_step (stmt) != SQLITE_ROW || !load_key (self, epoch, key))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
                   "This device does not hold the key of that epoch of the private subnet "
                   "[private-not-member]");
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_store_private_seal_publish (HlStore     *self,
                               HlIdentity  *identity,
                               HlEvent    **event,
                               HlEvent    **inner,
                               GError     **error)
{
  g_autofree char *body = NULL;
  HlPrivateKey key;
  guint8 subnet[HL_ID_LEN];
  HlEvent *box;

  *inner = NULL;
  if (!private_target (self, *event, subnet))
    return TRUE;
  if (!current_key (self, subnet, &key, error) ||
      !hl_event_verify (*event, (gint64) (*event)->ts.ms, 0, error))
    return FALSE;
  body = hl_private_box_body (&key, subnet, *event, error);
  sodium_memzero (&key, sizeof key);
  if (body == NULL)
    return FALSE;
  box = hl_event_new (HL_KIND_PRIVATE_BOX, (*event)->author, &(*event)->ts, subnet, body);
  hl_event_sign (box, identity);
  *inner = *event;
  *event = box;
  return TRUE;
}

HlEvent *
hl_store_private_create (HlStore     *self,
                         HlIdentity  *identity,
                         const char  *name,
                         const char  *description,
                         const char  *tag,
                         GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(HlEvent) inner = NULL;
  g_autoptr(HlEvent) create = NULL;
  g_autofree char *inner_body = NULL;
  g_autofree char *body = NULL;
  HlTimestamp ts;
  HlPrivateKey key;

  if (tag != NULL && !hl_private_tag_is_valid (tag))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                   "“%s” is not a tag Hyperlink binds: tag:, then a-z, 0-9 and - (up to 64), "
                   "starting with a letter", tag);
      return NULL;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  if (description != NULL)
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, description);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  inner_body = json_to_string (root, FALSE);

  if (!hl_store_read_clock (self, &ts, error))
    return NULL;
  ts.ms = MAX (ts.ms, (guint64) hl_now_ms ());
  inner = hl_event_new (HL_KIND_SUBNET_CREATE, hl_identity_get_public_key (identity), &ts, NULL,
                        inner_body);
  hl_event_sign (inner, identity);
  if (!hl_event_verify (inner, (gint64) ts.ms, 0, error))
    return NULL;
  hl_private_key_generate (&key);
  body = hl_private_create_body (&key, inner, tag, error);
  sodium_memzero (&key, sizeof key);
  if (body == NULL ||
      !(create = hl_store_publish (self, identity, HL_KIND_PRIVATE_CREATE, NULL, body, error)))
    return NULL;
  return g_steal_pointer (&inner);
}

static void
free_key (gpointer key)
{
  sodium_memzero (key, sizeof (HlPrivateKey));
  g_free (key);
}

/* Every epoch key of @subnet this device holds. */
static GPtrArray *
load_keys (HlStore      *self,
           const guint8 *subnet)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT key FROM private_keys WHERE subnet = ?1",
                                             NULL);
  GPtrArray *keys = g_ptr_array_new_with_free_func (free_key);

  if (stmt == NULL)
    return keys;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_bytes (stmt, 0) == HL_PRIVATE_KEY_LEN)
      {
        HlPrivateKey *key = g_new (HlPrivateKey, 1);

        hl_private_key_from_bytes (key, sqlite3_column_blob (stmt, 0));
        g_ptr_array_add (keys, key);
      }
  return keys;
}

static gboolean
has_key (GPtrArray    *keys,
         const guint8 *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (memcmp (keys->pdata[i], key, HL_KEY_LEN) == 0)
      return TRUE;
  return FALSE;
}

/* Every device ignores an epoch by anyone but the owner and the admins of
 * the epoch in effect (docs/protocol.md, "Membership and epochs"): publishing
 * one would change nothing but cost every peer its bytes, so it is refused. */
static gboolean
may_set_members (HlStore      *self,
                 const guint8 *subnet,
                 const guint8 *owner,
                 const guint8 *me,
                 GPtrArray    *new_members,
                 GError      **error)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) admins = NULL;

  if (memcmp (owner, me, HL_KEY_LEN) == 0)
    return TRUE;
  if (!hl_store_private_members (self, subnet, &members, &admins, error))
    return FALSE;
  if (!has_key (admins, me))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
                   "Only the owner and the admins add and remove members [private-not-admin]");
      return FALSE;
    }
  /* An owner left out would hold no key of the new epoch, and so could
   * never publish another: the subnet would be the admins' for good. */
  if (!has_key (new_members, owner))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
                   "The owner cannot be removed [private-remove-owner]");
      return FALSE;
    }
  return TRUE;
}

HlEvent *
hl_store_private_set_members (HlStore      *self,
                              HlIdentity   *identity,
                              const guint8 *subnet,
                              GPtrArray    *members,
                              GPtrArray    *admins,
                              GError      **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) past = NULL;
  g_autofree char *body = NULL;
  const guint8 *me = hl_identity_get_public_key (identity);
  HlPrivateKey key;
  guint8 owner[HL_KEY_LEN];

  if (!hl_privnet_load_owner (self, subnet, owner))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "No private subnet with that id is known here");
      return NULL;
    }
  if (!may_set_members (self, subnet, owner, me, members, error) || !current_key (self, subnet, &key, error))
    return NULL;
  for (guint i = 0; i < members->len; i++)
    g_ptr_array_add (all, members->pdata[i]);
  if (!has_key (all, me))
    g_ptr_array_add (all, (gpointer) me);
  hl_private_key_generate (&key);
  past = load_keys (self, subnet);
  body = hl_private_epoch_body (&key, subnet, me, all, admins, past, error);
  sodium_memzero (&key, sizeof key);
  if (body == NULL)
    return NULL;
  return hl_store_publish (self, identity, HL_KIND_PRIVATE_EPOCH, subnet, body, error);
}

static GPtrArray *
read_key_list (JsonObject *lists,
               const char *name)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array = array_member (lists, name);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *hex = json_array_get_string_element (array, i);
      guint8 *key = g_malloc (HL_KEY_LEN);

      if (hex != NULL && hl_event_hex_decode (hex, strlen (hex), key, HL_KEY_LEN, TRUE))
        g_ptr_array_add (keys, key);
      else
        g_free (key);
    }
  return keys;
}

gboolean
hl_store_private_members (HlStore      *self,
                          const guint8 *subnet,
                          GPtrArray   **members,
                          GPtrArray   **admins,
                          GError      **error)
{
  static const guint8 last_id[HL_ID_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  HlTimestamp end = { G_MAXINT64, G_MAXUINT32 };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *lists = NULL;
  guint8 epoch[HL_ID_LEN];

  if (!hl_privnet_epoch_in_effect (self, subnet, &end, last_id, epoch, &lists) || lists == NULL)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
                   "This device cannot read the private subnet's members [private-not-member]");
      return FALSE;
    }
  object = hl_json_parse_object (lists);
  *members = read_key_list (object, "members");
  if (admins != NULL)
    *admins = read_key_list (object, "admins");
  return TRUE;
}

gboolean
hl_store_private_admit (HlStore      *self,
                        HlIdentity   *identity,
                        const guint8 *subnet,
                        const guint8 *device,
                        gboolean     *added,
                        GError      **error)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) admins = NULL;
  g_autoptr(HlEvent) epoch = NULL;
  guint8 owner[HL_KEY_LEN];

  *added = FALSE;
  if (!hl_privnet_load_owner (self, subnet, owner))
    return TRUE;   /* a public subnet: nothing to join */
  if (!hl_store_private_members (self, subnet, &members, &admins, error))
    return FALSE;
  if (has_key (members, device))
    return TRUE;
  g_ptr_array_add (members, g_memdup2 (device, HL_KEY_LEN));
  if (!(epoch = hl_store_private_set_members (self, identity, subnet, members, admins, error)))
    return FALSE;
  *added = TRUE;
  return TRUE;
}

gboolean
hl_store_private_owner (HlStore      *self,
                        const guint8 *subnet,
                        guint8       *owner)
{
  return hl_privnet_load_owner (self, subnet, owner);
}
