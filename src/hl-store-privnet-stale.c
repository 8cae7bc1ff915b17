/* hl-store-privnet-stale.c: a box opened before an epoch that makes it stale.
 *
 * A member device opens a box by the epochs it holds at the time. An epoch
 * that arrives later but is ordered before the box (a removal the box's
 * author had not heard of) can make it stale or its author a non-member;
 * then what the box held is forgotten here, as if it had never opened
 * (docs/protocol.md, "Membership and epochs"). The envelope stays.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-privnet-private.h"

#include "hl-private.h"
#include "hl-store-private.h"
#include "hl-store-recheck.h"

/* Whether @box still opens by the epochs held now. */
static gboolean
box_stands (HlStore       *self,
            const HlEvent *box)
{
  g_autoptr(JsonObject) fields = hl_privnet_event_fields (box);
  g_auto(HlPrivnetLookup) current = { 0 };
  guint8 epoch[HL_ID_LEN];

  return fields != NULL && hl_private_body_epoch (fields, epoch, NULL) &&
         hl_privnet_epoch_lookup (self, box->ref, &box->ts, box->id, &current) &&
         memcmp (current.epoch->epoch, epoch, HL_ID_LEN) == 0 &&
         hl_privnet_epoch_holds (current.epoch, "members", box->author);
}

static GPtrArray *
decode_rows (HlStmt *stmt)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HlEvent *event = hl_event_decode (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                                        sqlite3_column_blob (stmt, 1), NULL);

      if (event != NULL)
        g_ptr_array_add (events, event);
    }
  return events;
}

/* Drops the inner events @box opened into, and what they did. */
static gboolean
forget_inner (HlStore       *self,
              const HlEvent *box,
              GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  g_autoptr(GPtrArray) inner = NULL;
  g_autofree char *hex = hl_event_id_hex (box);

  if (!(stmt = hl_store_prepare (self, "SELECT raw, sig FROM events WHERE sealed = ?1 "
                                       "AND raw IS NOT NULL", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, box->id, HL_ID_LEN);
  inner = decode_rows (stmt);
  g_clear_pointer (&stmt, hl_stmt_release);
  if (!(stmt = hl_store_prepare (self, "DELETE FROM events WHERE sealed = ?1", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, box->id, HL_ID_LEN);
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  g_info ("Private event %.16s closed again: a later-arriving epoch makes it stale "
          "[private-stale-epoch]", hex);
  for (guint i = 0; i < inner->len; i++)
    if (!hl_store_apply_forget (self, inner->pdata[i], error))
      return FALSE;
  return TRUE;
}

gboolean
hl_privnet_close_stale_boxes (HlStore       *self,
                              const HlEvent *epoch_event,
                              GError       **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  g_autoptr(GPtrArray) boxes = NULL;

  /* Only boxes ordered after the epoch can change, and only opened ones. */
  if (!(stmt = hl_store_prepare (self, "SELECT raw, sig FROM events b WHERE b.ref = ?1 AND b.kind = '"
                                       HL_KIND_PRIVATE_BOX "' AND b.raw IS NOT NULL AND "
                                       "(b.ts, b.ctr, b.id) > (?2, ?3, ?4) AND EXISTS "
                                       "(SELECT 1 FROM events s WHERE s.sealed = b.id)", error)))
    return FALSE;
  hl_bind_blob (stmt, 1, epoch_event->ref, HL_ID_LEN);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) epoch_event->ts.ms);
  sqlite3_bind_int64 (stmt, 3, epoch_event->ts.ctr);
  hl_bind_blob (stmt, 4, epoch_event->id, HL_ID_LEN);
  boxes = decode_rows (stmt);
  g_clear_pointer (&stmt, hl_stmt_release);
  for (guint i = 0; i < boxes->len; i++)
    if (!box_stands (self, boxes->pdata[i]) && !forget_inner (self, boxes->pdata[i], error))
      return FALSE;
  return TRUE;
}
