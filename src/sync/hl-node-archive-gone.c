/* hl-node-archive-gone.c: sym-gone. At each upkeep the node compares the
 * segments it stores symbols of with those it stored at the pass before;
 * each it no longer stores any symbol of (superseded and cleaned up,
 * evicted when its quota was cut, dropped by `hyperlinkctl archive
 * verify`) is told to its archive-1 peers, so that they stop asking this
 * device for them (docs/protocol.md, "sym-gone").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-node-archive.h"

/* gint64 rowid -> guint8[HL_ID_LEN] manifest id, of every segment this
 * device stores at least one symbol of. */
static GHashTable *
list_stored_segments (HlNode  *self,
                      GError **error)
{
  g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (self->store, NULL, 0, error);
  g_autoptr(GHashTable) stored = NULL;

  if (rows == NULL)
    return NULL;
  stored = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      const HlSegmentRow *row = g_ptr_array_index (rows, i);
      gint64 n = hl_store_archive_count_symbols (self->store, row->rowid, -1, 0, 0, error);

      if (n < 0)
        return NULL;
      if (n > 0)
        g_hash_table_insert (stored, g_memdup2 (&row->rowid, sizeof row->rowid),
                             g_memdup2 (row->manifest_id, HL_ID_LEN));
    }
  return g_steal_pointer (&stored);
}

void
hl_node_archive_tell_gone (HlNode *self)
{
  HlNodeArchive *na = self->archive;
  g_autoptr(GError) error = NULL;
  GHashTable *stored = list_stored_segments (self, &error);
  GHashTableIter iter;
  gpointer rowid, manifest_id;

  if (stored == NULL)
    {
      g_warning ("Archive: cannot list the segments this device stores: %s", error->message);
      return;
    }
  /* The first pass only learns what is stored: nothing was advertised yet. */
  if (na->stored_segments != NULL)
    {
      g_hash_table_iter_init (&iter, na->stored_segments);
      while (g_hash_table_iter_next (&iter, &rowid, &manifest_id))
        if (!g_hash_table_contains (stored, rowid))
          {
            g_autofree char *hex = hl_hex_dup (manifest_id, 6);

            g_message ("Archive: this device no longer stores segment %s…: sym-gone sent", hex);
            hl_node_archive_send_gone (self, manifest_id);
          }
      g_hash_table_unref (na->stored_segments);
    }
  na->stored_segments = stored;
}
