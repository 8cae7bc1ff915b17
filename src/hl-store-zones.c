/* hl-store-zones.c: which held envelopes belong to a zone, a private subnet
 * bound to a tailnet tag (docs/protocol.md, "Zones"), for the sync engine
 * that offers them only to peers carrying the tag.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-sync.h"

#include "hl-store-private.h"
#include "hl-store-privnet.h"
#include "hl-json.h"

/* An envelope is a zone's when it is the zone's private.create, or a
 * private.epoch/private.box whose ref is the zone's subnet. */
#define ZONE_ROWS \
  "SELECT p.tag, e.ts, e.id FROM private_subnets p JOIN events e ON e.id = p.create_id " \
  "WHERE p.tag IS NOT NULL AND e.raw IS NOT NULL AND e.sealed IS NULL " \
  "UNION ALL " \
  "SELECT p.tag, e.ts, e.id FROM private_subnets p JOIN events e ON e.ref = p.subnet " \
  "AND e.kind IN ('private.epoch', 'private.box') " \
  "WHERE p.tag IS NOT NULL AND e.raw IS NOT NULL AND e.sealed IS NULL"

gboolean
hl_store_sync_foreach_zone_key (HlStore        *self,
                                HlSyncZoneFunc  func,
                                gpointer        user_data,
                                GError        **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  int rc;

  if (!(stmt = hl_store_prepare (self, ZONE_ROWS, error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 id[HL_ID_LEN];

      if (hl_column_id (stmt, 2, id))
        func ((const char *) sqlite3_column_text (stmt, 0),
              (guint64) sqlite3_column_int64 (stmt, 1), id, user_data);
    }
  if (rc != SQLITE_DONE)
    return hl_store_fail (self, "Cannot read the zones' events", error);
  return TRUE;
}

char *
hl_store_sync_zone_of (HlStore      *self,
                       const guint8 *id,
                       GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "SELECT p.tag FROM events e JOIN private_subnets p "
                                       "ON e.id = p.create_id OR (e.ref = p.subnet AND e.kind "
                                       "IN ('private.epoch', 'private.box')) "
                                       "WHERE e.id = ?1 AND p.tag IS NOT NULL", error)))
    return NULL;
  hl_bind_blob (stmt, 1, id, HL_ID_LEN);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return hl_column_dup_text (stmt, 0);
  return NULL;
}

/* ---- zones as the window and hyperlinkctl acl list them ---- */

void
hl_private_zone_free (HlPrivateZone *zone)
{
  if (zone == NULL)
    return;
  g_free (zone->tag);
  g_free (zone->name);
  g_free (zone);
}

GPtrArray *
hl_store_private_zones (HlStore  *self,
                        GError  **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  GPtrArray *zones;

  if (!(stmt = hl_store_prepare (self, "SELECT p.subnet, p.owner, p.tag, s.name "
                                       "FROM private_subnets p LEFT JOIN subnets s "
                                       "ON s.id = p.subnet ORDER BY p.tag, p.subnet", error)))
    return NULL;
  zones = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_private_zone_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HlPrivateZone *zone = g_new0 (HlPrivateZone, 1);

      hl_column_id (stmt, 0, zone->subnet);
      hl_column_id (stmt, 1, zone->owner);
      zone->tag = hl_column_dup_text (stmt, 2);
      zone->name = hl_column_dup_text (stmt, 3);
      g_ptr_array_add (zones, zone);
    }
  return zones;
}

gboolean
hl_store_private_event_tag (HlStore       *self,
                            const HlEvent *event,
                            char         **tag,
                            GError       **error)
{
  gboolean known;

  *tag = NULL;
  if (!g_str_has_prefix (event->kind, "private."))
    return TRUE;
  if (!event->has_ref)
    {
      /* A create says its tag in clear. */
      g_autofree char *body = g_strndup (event->body, event->body_len);
      g_autoptr(JsonObject) fields = hl_json_parse_object (body);
      const char *t = fields ? hl_json_get_string (fields, "tag") : NULL;

      *tag = hl_private_tag_is_valid (t) ? g_strdup (t) : NULL;
      return TRUE;
    }
  return hl_store_private_subnet_tag (self, event->ref, &known, tag, error);
}

gboolean
hl_store_private_subnet_tag (HlStore       *self,
                             const guint8  *subnet,
                             gboolean      *known,
                             char         **tag,
                             GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  *known = FALSE;
  *tag = NULL;
  if (!(stmt = hl_store_prepare (self, "SELECT tag FROM private_subnets WHERE subnet = ?1", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, subnet, HL_ID_LEN);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *known = TRUE;
      *tag = hl_column_dup_text (stmt, 0);
    }
  return TRUE;
}

GPtrArray *
hl_private_zone_tags (GPtrArray *zones)
{
  GPtrArray *tags = g_ptr_array_new ();

  for (guint i = 0; i < zones->len; i++)
    {
      HlPrivateZone *zone = zones->pdata[i];

      if (zone->tag != NULL && !g_ptr_array_find_with_equal_func (tags, zone->tag, g_str_equal, NULL))
        g_ptr_array_add (tags, zone->tag);
    }
  return tags;
}

#define OUTSIDE_TAG "tag:hl-outside"

char *
hl_private_acl_policy (GPtrArray *tags,
                       guint      port)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out,
           "// Hyperlink's zones for your tailnet policy file: merge each section into yours.\n"
           "// One tag per private subnet bound to a zone; only devices with a zone's tag reach\n"
           "// each other's Hyperlink port (%u) through these rules. %s is a device in\n"
           "// no zone, for the tests that must be denied.\n{\n  \"tagOwners\": {\n", port,
           OUTSIDE_TAG);
  for (guint i = 0; i < tags->len; i++)
    g_string_append_printf (out, "    \"%s\": [\"autogroup:admin\"],\n", (char *) tags->pdata[i]);
  g_string_append_printf (out, "    \"%s\": [\"autogroup:admin\"],\n  },\n  \"acls\": [\n", OUTSIDE_TAG);
  for (guint i = 0; i < tags->len; i++)
    g_string_append_printf (out, "    // Zone %s: its devices sync with each other.\n"
                            "    {\"action\": \"accept\", \"src\": [\"%s\"], \"dst\": [\"%s:%u\"]},\n",
                            (char *) tags->pdata[i], (char *) tags->pdata[i],
                            (char *) tags->pdata[i], port);
  g_string_append (out, "  ],\n  \"tests\": [\n");
  for (guint i = 0; i < tags->len; i++)
    {
      const char *tag = tags->pdata[i];

      g_string_append_printf (out, "    {\"src\": \"%s\", \"accept\": [\"%s:%u\"]},\n", tag, tag, port);
      g_string_append_printf (out, "    {\"src\": \"%s\", \"deny\": [\"%s:%u\"]},\n", OUTSIDE_TAG,
                              tag, port);
      for (guint j = 0; j < tags->len; j++)
        if (j != i)
          g_string_append_printf (out, "    {\"src\": \"%s\", \"deny\": [\"%s:%u\"]},\n",
                                  (char *) tags->pdata[j], tag, port);
    }
  g_string_append (out, "  ],\n}\n");
  return g_string_free (out, FALSE);
}
