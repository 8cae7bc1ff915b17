/* hl-store-recheck.c: events a database holds that the current rules refuse.
 *
 * A database written by an older version may hold events accepted under
 * laxer rules (json-glib's lenient parser, ASCII-only white space, hex ids of
 * either case). Offered to peers, each would be refused and counted against
 * this node, so they are removed once, on the first use of the database by
 * rules of this version, and the forum state is recomputed without them.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-recheck.h"

#include "hl-store-archive.h"
#include "hl-store-private.h"

/* Bump whenever validation refuses something it accepted before. 1 was the
 * first version's rules; 2 strict JSON, the blank list, lowercase hex ids;
 * 3 the archive's kinds, unknown before (their events are materialised
 * then too: a store may hold some it relayed as unknown). */
#define EVENT_RULES_VERSION 3

typedef struct
{
  HlEvent *event;         /* decoded, or NULL when the bytes do not decode */
  guint8   id[HL_ID_LEN];
  char    *reason;
} Refused;

static void
refused_free (Refused *r)
{
  g_clear_pointer (&r->event, hl_event_free);
  g_free (r->reason);
  g_free (r);
}

static gboolean
rules_checked (HlStore  *self,
               gboolean *checked,
               GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT value FROM meta "
                                                   "WHERE key = 'event_rules'", error);

  if (stmt == NULL)
    return FALSE;
  *checked = sqlite3_step (stmt) == SQLITE_ROW &&
             sqlite3_column_int (stmt, 0) >= EVENT_RULES_VERSION;
  return TRUE;
}

/* The held events the current rules refuse, decoded. */
static GPtrArray *
find_refused (HlStore  *self,
              GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT id, raw, sig FROM events "
                                                   "WHERE raw IS NOT NULL", error);
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func ((GDestroyNotify) refused_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) why = NULL;
      g_autoptr(HlEvent) event = NULL;
      const void *sig = sqlite3_column_blob (stmt, 2);
      Refused *r;

      if (sig != NULL && sqlite3_column_bytes (stmt, 2) != HL_SIG_LEN)
        sig = NULL;
      event = hl_event_decode (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                               sig, &why);
      if (event != NULL && hl_event_check_rules (event, &why))
        continue;
      r = g_new0 (Refused, 1);
      hl_column_id (stmt, 0, r->id);
      r->event = g_steal_pointer (&event);
      r->reason = g_strdup (why->message);
      g_ptr_array_add (refused, r);
    }
  if (rc != SQLITE_DONE)
    {
      hl_store_fail (self, "Cannot read the events to re-check them", error);
      return NULL;
    }
  return g_steal_pointer (&refused);
}

static gboolean
remove_event (HlStore *self,
              Refused *r,
              GError **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "DELETE FROM events WHERE id = ?1", error);
  g_autofree char *hex = hl_hex_dup (r->id, HL_ID_LEN);

  if (stmt == NULL)
    return FALSE;
  hl_bind_blob (stmt, 1, r->id, HL_ID_LEN);
  if (!hl_store_step_done (self, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, hl_stmt_release);
  g_message ("Removed event %s, stored by an older version of Hyperlink: the current rules "
             "refuse it (%s)", hex, r->reason);
  /* Bytes that do not even decode had no effect to undo. */
  return r->event == NULL || hl_store_apply_forget (self, r->event, error);
}

gboolean
hl_store_recheck_mark_current (HlStore  *self,
                               GError  **error)
{
  return hl_store_exec (self, "INSERT OR REPLACE INTO meta (key, value) VALUES ('event_rules', "
                              G_STRINGIFY (EVENT_RULES_VERSION) ")", error);
}

gboolean
hl_store_recheck_events (HlStore  *self,
                         guint    *n_removed,
                         GError  **error)
{
  g_autoptr(GPtrArray) refused = NULL;
  gboolean checked;

  if (n_removed != NULL)
    *n_removed = 0;
  if (!rules_checked (self, &checked, error))
    return FALSE;
  if (checked)
    return TRUE;

  if (!hl_store_begin_write (self, error))
    return FALSE;
  if (!(refused = find_refused (self, error)))
    goto fail;
  for (guint i = 0; i < refused->len; i++)
    if (!remove_event (self, g_ptr_array_index (refused, i), error))
      goto fail;
  if (!hl_store_finish_batch (self, error) ||
      !hl_store_archive_rebuild (self, error) ||
      !hl_store_recheck_mark_current (self, error) ||
      !hl_store_commit_write (self, error))
    goto fail;
  if (!hl_store_flush_deletions (self, error))
    return FALSE;
  if (n_removed != NULL)
    *n_removed = refused->len;
  return TRUE;

fail:
  hl_store_rollback (self);
  return FALSE;
}
