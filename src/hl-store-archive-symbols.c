/* hl-store-archive-symbols.c: the symbols this device keeps for the archive,
 * the proofs they came with, and the archive's settings.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-archive.h"

#include <gio/gio.h>

#include "hl-error.h"
#include "hl-store-private.h"

/* archive_symbols.key: segment << 32 | sbn << 24 | esi. */
static gint64
symbol_key (gint64  rowid,
            guint   sbn,
            guint32 esi)
{
  return (rowid << 32) | ((gint64) (sbn & 0xff) << 24) | (esi & HL_CODEC_MAX_ESI);
}

/* The keys of block @sbn (every block when negative), ESIs [first, first +
 * count) with @count >= 1. */
static void
key_range (gint64   rowid,
           gint     sbn,
           guint32  first,
           guint32  count,
           gint64  *lo,
           gint64  *hi)
{
  if (sbn < 0)
    {
      *lo = symbol_key (rowid, 0, 0);
      *hi = symbol_key (rowid, 255, HL_CODEC_MAX_ESI);
      return;
    }
  *lo = symbol_key (rowid, (guint) sbn, first);
  *hi = symbol_key (rowid, (guint) sbn,
                    (guint32) MIN ((guint64) first + MAX (count, 1) - 1, HL_CODEC_MAX_ESI));
}

gboolean
hl_store_archive_put_symbol (HlStore       *self,
                             gint64         rowid,
                             guint          sbn,
                             guint32        esi,
                             const guint8  *leaf,
                             const guint8  *data,
                             GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "INSERT INTO archive_symbols (key, leaf, data) "
                                                   "VALUES (?1, ?2, ?3) "
                                                   "ON CONFLICT (key) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, symbol_key (rowid, sbn, esi));
  sqlite3_bind_blob (stmt, 2, leaf, HL_ID_LEN, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, data, HL_ARCHIVE_SYMBOL_SIZE, SQLITE_STATIC);
  return hl_store_step_done (self, stmt, error);
}

gboolean
hl_store_archive_put_proof (HlStore       *self,
                            gint64         rowid,
                            guint          sbn,
                            guint32        first,
                            guint32        count,
                            GBytes        *hashes,
                            GError       **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "INSERT INTO archive_proofs "
                                                   "(segment, sbn, first, count, hashes) "
                                                   "VALUES (?1, ?2, ?3, ?4, ?5) "
                                                   "ON CONFLICT DO NOTHING", error);
  gsize len;
  const guint8 *data = g_bytes_get_data (hashes, &len);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_int (stmt, 2, (int) sbn);
  sqlite3_bind_int64 (stmt, 3, first);
  sqlite3_bind_int64 (stmt, 4, count);
  /* An empty proof (a block of one symbol) is still a proof. */
  sqlite3_bind_blob (stmt, 5, len > 0 ? data : (const guint8 *) "", (int) len, SQLITE_STATIC);
  return hl_store_step_done (self, stmt, error);
}

gboolean
hl_store_archive_foreach_symbol (HlStore             *self,
                                 gint64               rowid,
                                 gint                 sbn,
                                 guint32              first,
                                 guint32              count,
                                 HlArchiveSymbolFunc  func,
                                 gpointer             user_data,
                                 GError             **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 lo, hi;
  gboolean ok = TRUE;
  int rc;

  if (sbn >= 0 && count == 0)
    count = HL_CODEC_MAX_ESI + 1 - first;
  key_range (rowid, sbn, first, count, &lo, &hi);
  /* Not from the cache: @func may write symbols of its own. */
  if (sqlite3_prepare_v2 (self->db, "SELECT key, leaf, data FROM archive_symbols "
                          "WHERE key BETWEEN ?1 AND ?2 ORDER BY key", -1, &stmt, NULL) != SQLITE_OK)
    return hl_store_fail (self, "Cannot read the archive's symbols", error);
  sqlite3_bind_int64 (stmt, 1, lo);
  sqlite3_bind_int64 (stmt, 2, hi);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);

      if (sqlite3_column_bytes (stmt, 1) != HL_ID_LEN ||
          sqlite3_column_bytes (stmt, 2) != HL_ARCHIVE_SYMBOL_SIZE)
        continue;
      if (!func ((guint) ((key >> 24) & 0xff), (guint32) (key & HL_CODEC_MAX_ESI),
                 sqlite3_column_blob (stmt, 1), sqlite3_column_blob (stmt, 2), user_data))
        break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ok = hl_store_fail (self, "Cannot read the archive's symbols", error);
  sqlite3_finalize (stmt);
  return ok;
}

gboolean
hl_store_archive_foreach_proof (HlStore            *self,
                                gint64              rowid,
                                HlArchiveProofFunc  func,
                                gpointer            user_data,
                                GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT sbn, first, count, hashes FROM archive_proofs "
                          "WHERE segment = ?1 ORDER BY sbn, first", -1, &stmt, NULL) != SQLITE_OK)
    return hl_store_fail (self, "Cannot read the archive's proofs", error);
  sqlite3_bind_int64 (stmt, 1, rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GBytes) hashes = g_bytes_new (sqlite3_column_blob (stmt, 3),
                                              (gsize) sqlite3_column_bytes (stmt, 3));

      if (!func ((guint) sqlite3_column_int (stmt, 0), (guint32) sqlite3_column_int64 (stmt, 1),
                 (guint32) sqlite3_column_int64 (stmt, 2), hashes, user_data))
        break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ok = hl_store_fail (self, "Cannot read the archive's proofs", error);
  sqlite3_finalize (stmt);
  return ok;
}

gint64
hl_store_archive_count_symbols (HlStore  *self,
                                gint64    rowid,
                                gint      sbn,
                                guint32   first,
                                guint32   count,
                                GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT count(*) FROM archive_symbols "
                                                   "WHERE key BETWEEN ?1 AND ?2", error);
  gint64 lo, hi;

  if (stmt == NULL)
    return -1;
  if (sbn >= 0 && count == 0)
    count = HL_CODEC_MAX_ESI + 1 - first;
  key_range (rowid, sbn, first, count, &lo, &hi);
  sqlite3_bind_int64 (stmt, 1, lo);
  sqlite3_bind_int64 (stmt, 2, hi);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      hl_store_fail (self, "Cannot count the archive's symbols", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gint64
hl_store_archive_drop_symbols (HlStore  *self,
                               gint64    rowid,
                               gint      sbn,
                               guint32   keep_first,
                               guint32   keep_count,
                               GError  **error)
{
  g_autoptr(HlStmt) symbols = NULL;
  g_autoptr(HlStmt) proofs = NULL;
  gint64 lo, hi, keep_lo, keep_hi, dropped;

  key_range (rowid, sbn, 0, HL_CODEC_MAX_ESI + 1, &lo, &hi);
  if (sbn < 0 || keep_count == 0)
    keep_lo = keep_hi = -1;
  else
    key_range (rowid, sbn, keep_first, keep_count, &keep_lo, &keep_hi);
  if (!(symbols = hl_store_prepare (self, "DELETE FROM archive_symbols WHERE key BETWEEN ?1 AND ?2 "
                                          "AND key NOT BETWEEN ?3 AND ?4", error)))
    return -1;
  sqlite3_bind_int64 (symbols, 1, lo);
  sqlite3_bind_int64 (symbols, 2, hi);
  sqlite3_bind_int64 (symbols, 3, keep_lo);
  sqlite3_bind_int64 (symbols, 4, keep_hi);
  if (!hl_store_step_done (self, symbols, error))
    return -1;
  dropped = sqlite3_changes (self->db);
  /* A proof stays only while every symbol of its run does. */
  if (!(proofs = hl_store_prepare (self, "DELETE FROM archive_proofs WHERE segment = ?1 "
                                         "AND (?2 < 0 OR sbn = ?2) "
                                         "AND NOT (?4 > 0 AND first >= ?3 "
                                         "AND first + count <= ?3 + ?4)", error)))
    return -1;
  sqlite3_bind_int64 (proofs, 1, rowid);
  sqlite3_bind_int (proofs, 2, sbn);
  sqlite3_bind_int64 (proofs, 3, keep_first);
  sqlite3_bind_int64 (proofs, 4, sbn < 0 ? 0 : keep_count);
  if (!hl_store_step_done (self, proofs, error))
    return -1;
  return dropped;
}

gboolean
hl_store_archive_delete_symbol (HlStore  *self,
                                gint64    rowid,
                                guint     sbn,
                                guint32   esi,
                                GError  **error)
{
  g_autoptr(HlStmt) symbol = hl_store_prepare (self, "DELETE FROM archive_symbols WHERE key = ?1",
                                               error);
  g_autoptr(HlStmt) proofs = NULL;

  if (symbol == NULL)
    return FALSE;
  sqlite3_bind_int64 (symbol, 1, symbol_key (rowid, sbn, esi));
  if (!hl_store_step_done (self, symbol, error) ||
      !(proofs = hl_store_prepare (self, "DELETE FROM archive_proofs WHERE segment = ?1 "
                                         "AND sbn = ?2 AND first <= ?3 AND first + count > ?3",
                                   error)))
    return FALSE;
  sqlite3_bind_int64 (proofs, 1, rowid);
  sqlite3_bind_int (proofs, 2, (int) sbn);
  sqlite3_bind_int64 (proofs, 3, esi);
  return hl_store_step_done (self, proofs, error);
}

gint64
hl_store_archive_symbol_bytes (HlStore  *self,
                               GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT value FROM meta "
                                                   "WHERE key = 'archive_symbols'", error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      hl_store_fail (self, "Cannot count the archive's symbols", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0) * HL_ARCHIVE_SYMBOL_SIZE;
}

static const char *const setting_keys[] = {
  [HL_ARCHIVE_SETTING_QUOTA] = "archive_quota",
  [HL_ARCHIVE_SETTING_SEAL_AFTER] = "archive_seal_after_ms",
  [HL_ARCHIVE_SETTING_GRACE] = "archive_grace_ms",
  [HL_ARCHIVE_SETTING_HORIZON] = "horizon_months",
  [HL_ARCHIVE_SETTING_LOADED_CACHE] = "horizon_cache_bytes",
  [HL_ARCHIVE_SETTING_RESTORE_REQUEST] = "archive_restore_request",
  [HL_ARCHIVE_SETTING_RESTORE_WAIT_S] = "archive_restore_wait_s",
  [HL_ARCHIVE_SETTING_RESTORE_SEGMENT] = "archive_restore_segment",
};

/* min(10 % of the free space where the database is, 4 GiB). */
static gint64
default_quota (HlStore *self)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GFileInfo) info = g_file_query_filesystem_info (file,
                                                            G_FILE_ATTRIBUTE_FILESYSTEM_FREE,
                                                            NULL, NULL);
  guint64 free_bytes;

  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return HL_ARCHIVE_MAX_DEFAULT_QUOTA;
  free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  return (gint64) MIN (free_bytes / 10, (guint64) HL_ARCHIVE_MAX_DEFAULT_QUOTA);
}

static gboolean
write_setting (HlStore          *self,
               HlArchiveSetting  setting,
               gint64            value,
               GError          **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "INSERT OR REPLACE INTO meta (key, value) "
                                                   "VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, setting_keys[setting], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  /* A person chose it. */
  return hl_store_step_durable (self, stmt, error);
}

gint64
hl_store_archive_get_setting (HlStore           *self,
                              HlArchiveSetting   setting,
                              GError           **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT value FROM meta WHERE key = ?1", error);
  gint64 value;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, setting_keys[setting], -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, hl_stmt_release);
  switch (setting)
    {
    case HL_ARCHIVE_SETTING_SEAL_AFTER:
      return HL_ARCHIVE_DEFAULT_SEAL_AFTER_MS;
    case HL_ARCHIVE_SETTING_GRACE:
      return HL_ARCHIVE_DEFAULT_GRACE_MS;
    case HL_ARCHIVE_SETTING_HORIZON:
      return 0;
    case HL_ARCHIVE_SETTING_LOADED_CACHE:
      return G_GINT64_CONSTANT (256) << 20;
    case HL_ARCHIVE_SETTING_RESTORE_REQUEST:
    case HL_ARCHIVE_SETTING_RESTORE_SEGMENT:
      return 0;
    case HL_ARCHIVE_SETTING_RESTORE_WAIT_S:
      return 20;
    case HL_ARCHIVE_SETTING_QUOTA:
    default:
      break;
    }
  /* The free space changes: the default is the one of the first start,
   * remembered when this connection may write. */
  value = default_quota (self);
  if (sqlite3_db_readonly (self->db, "main") == 0 && !write_setting (self, setting, value, error))
    return -1;
  return value;
}

gboolean
hl_store_archive_set_setting (HlStore           *self,
                              HlArchiveSetting   setting,
                              gint64             value,
                              GError           **error)
{
  if (value < 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED,
                   "An archive setting cannot be negative (%" G_GINT64_FORMAT ")", value);
      return FALSE;
    }
  return write_setting (self, setting, value, error);
}
