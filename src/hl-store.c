/* hl-store.c: opening the database, transactions, and the event log.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store.h"

#include <sodium.h>
#include <unistd.h>

#include "hl-error.h"
#include "hl-limits.h"
#include "hl-paths.h"
#include "hl-store-private.h"
#include "hl-store-privnet-private.h"
#include "hl-store-recheck.h"
#include "hl-store-schema.h"

G_DEFINE_FINAL_TYPE (HlStore, hl_store, G_TYPE_OBJECT)

static gboolean resume_flush                 (HlStore  *self,
                                              GError  **error);
static gboolean flush_deletions_now_and_then (HlStore  *self,
                                              GError  **error);

/* A read-only connection to a WAL database makes the -wal and -shm files
 * when nobody else has the database open, and cannot remove them when it
 * closes: only a connection that may write checkpoints and removes them, as
 * the last one to close. This opens one for that alone. SQLite's own locks
 * keep it from touching files another process still uses (they stay, and
 * that process's close removes them). It changes nothing the database holds:
 * the log it finds is empty, or holds what a writer committed and could not
 * checkpoint itself (it crashed, or closed while this reader read), which
 * any next connection would checkpoint the same way. */
static void
tidy_after_reading (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK)
    {
      /* The WAL is opened by the first read, and only an open WAL is
       * checkpointed and removed on close. */
      sqlite3_exec (db, "PRAGMA user_version", NULL, NULL, NULL);
    }
  sqlite3_close_v2 (db);
}

static void
hl_store_finalize (GObject *object)
{
  HlStore *self = HL_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->dirty_threads, g_hash_table_unref);
  g_clear_pointer (&self->thread_subnets, g_hash_table_unref);
  g_clear_pointer (&self->fts_pending, g_hash_table_unref);
  g_clear_pointer (&self->fts_stale, g_ptr_array_unref);
  g_clear_pointer (&self->privnet_cache, hl_privnet_cache_free);
  if (self->db != NULL)
    {
      gboolean read_only = sqlite3_db_readonly (self->db, "main") == 1;

      sqlite3_close_v2 (self->db);
      if (read_only)
        tidy_after_reading (self->path);
    }
  g_free (self->path);
  if (self->changed_fd >= 0)
    close (self->changed_fd);

  G_OBJECT_CLASS (hl_store_parent_class)->finalize (object);
}

static void
hl_store_class_init (HlStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_store_finalize;
}

static void
hl_store_init (HlStore *self)
{
  /* Keyed by the SQL literal's address: callers always pass literals, and
   * hashing the text on every call showed up in profiles. */
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
  self->fts_pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->fts_stale = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_fts_entry_free);
  self->dirty_threads = g_hash_table_new_full (hl_id_hash, hl_id_equal, g_free, g_free);
  self->thread_subnets = g_hash_table_new_full (hl_id_hash, hl_id_equal, g_free, g_free);
  self->privnet_cache = hl_privnet_cache_new ();
  self->max_future_ms = HL_DEFAULT_MAX_FUTURE_MS;
  self->signal_changes = TRUE;
  self->changed_fd = -1;
}

gboolean
hl_store_fail (HlStore     *self,
               const char  *what,
               GError     **error)
{
  int code = sqlite3_extended_errcode (self->db);

  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_DATABASE,
                 "%s: the database %s stayed locked by another process; try again",
                 what, self->path);
  else if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO,
                 "%s: the disk holding %s is full", what, self->path);
  else
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_DATABASE,
                 "%s: %s (database %s)", what, sqlite3_errmsg (self->db), self->path);
  return FALSE;
}

void
hl_stmt_release (HlStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

HlStmt *
hl_store_prepare (HlStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      hl_store_fail (self, "Cannot prepare a query", error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
hl_store_exec (HlStore     *self,
               const char  *sql,
               GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return hl_store_fail (self, "Database command failed", error);
  return TRUE;
}

gboolean
hl_store_step_done (HlStore  *self,
                    HlStmt   *stmt,
                    GError  **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return hl_store_fail (self, "Database write failed", error);
  return TRUE;
}

GPtrArray *
hl_store_collect (HlStore         *self,
                  HlStmt          *stmt,
                  HlStoreReadRow   read_row,
                  GDestroyNotify   free_row,
                  const char      *what,
                  GError         **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_row);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read_row (stmt));
  if (rc != SQLITE_DONE)
    {
      hl_store_fail (self, what, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static void
clear_batch (HlStore *self)
{
  g_hash_table_remove_all (self->dirty_threads);
  g_hash_table_remove_all (self->thread_subnets);
  g_hash_table_remove_all (self->fts_pending);
  g_ptr_array_set_size (self->fts_stale, 0);
  hl_privnet_cache_clear (self->privnet_cache);
}

gboolean
hl_store_begin_write (HlStore  *self,
                      GError  **error)
{
  clear_batch (self);
  self->max_seen.ms = 0;
  self->max_seen.ctr = 0;
  /* IMMEDIATE takes the write lock now, so the busy timeout applies here
   * rather than as an upgrade failure halfway through. */
  return hl_store_exec (self, "BEGIN IMMEDIATE", error);
}

/* The connection runs with synchronous=NORMAL: in WAL mode a commit then
 * survives the process being killed, but not a power cut, and costs no fsync.
 * FULL syncs the WAL at each commit, and with it every commit before. SQLite
 * refuses to change this inside a transaction. */
static gboolean
set_synchronous (HlStore   *self,
                 gboolean   full,
                 GError   **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, full ? "PRAGMA synchronous = FULL"
                                                        : "PRAGMA synchronous = NORMAL", error);

  return stmt != NULL && hl_store_step_done (self, stmt, error);
}

gboolean
hl_store_begin_durable_write (HlStore  *self,
                              GError  **error)
{
  if (!set_synchronous (self, TRUE, error))
    return FALSE;
  self->durable = TRUE;
  if (!hl_store_begin_write (self, error))
    {
      hl_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Back to NORMAL once the durable transaction is over, whichever way. */
static void
end_durable (HlStore *self)
{
  if (!self->durable || !sqlite3_get_autocommit (self->db))
    return;
  self->durable = FALSE;
  if (!set_synchronous (self, FALSE, NULL))
    g_warning ("Cannot set the database %s back to its usual synchronous mode: %s",
               self->path, sqlite3_errmsg (self->db));
}

gboolean
hl_store_commit_write (HlStore  *self,
                       GError  **error)
{
  gboolean ok = hl_store_exec (self, "COMMIT", error);

  end_durable (self);
  if (ok)
    hl_store_signal_changes (self);
  self->added_events = FALSE;
  return ok;
}

void
hl_store_rollback (HlStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  clear_batch (self);
  self->added_events = FALSE;
  end_durable (self);
}

gboolean
hl_store_step_durable (HlStore  *self,
                       HlStmt   *stmt,
                       GError  **error)
{
  gboolean ok;

  if (!sqlite3_get_autocommit (self->db))
    return hl_store_step_done (self, stmt, error);
  if (!set_synchronous (self, TRUE, error))
    return FALSE;
  self->durable = TRUE;
  ok = hl_store_step_done (self, stmt, error);
  end_durable (self);
  return ok;
}

static gboolean
migrate (HlStore  *self,
         GError  **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  gboolean created;
  int version;

  if (!hl_store_begin_write (self, error))
    return FALSE;
  if (!(stmt = hl_store_prepare (self, "PRAGMA user_version", error)))
    goto fail;
  sqlite3_step (stmt);
  version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, hl_stmt_release);

  if (version > (int) G_N_ELEMENTS (hl_store_migrations))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION,
                   "The database %s was written by a newer Hyperlink (schema %d, this build "
                   "knows %d); update Hyperlink", self->path, version,
                   (int) G_N_ELEMENTS (hl_store_migrations));
      goto fail;
    }

  created = version == 0;
  for (; version < (int) G_N_ELEMENTS (hl_store_migrations); version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!hl_store_exec (self, hl_store_migrations[version], error) ||
          !hl_store_exec (self, bump, error))
        goto fail;
    }
  /* A new database only ever holds events the current rules took: without
   * this, the first node to open it rechecked every event (a minute at a
   * million) before it was ready. */
  if (created && !hl_store_recheck_mark_current (self, error))
    goto fail;
  return hl_store_commit_write (self, error);

fail:
  hl_store_rollback (self);
  return FALSE;
}

/* SQLite counts every allocation under a global mutex unless told not to;
 * nothing here reads those counts, and the lock showed in the import's
 * profile. Only possible before SQLite initialises itself. */
static void
configure_sqlite (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&once, 1);
    }
}

HlStore *
hl_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(HlStore) self = g_object_new (HL_TYPE_STORE, NULL);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  configure_sqlite ();

  self->path = g_strdup (path);
  if (!hl_paths_prepare_database (path, error))
    return NULL;
  if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_DATABASE,
                   "Cannot open the database %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 15000);

  /* WAL lets readers (the window, hyperlinkctl) go on while the node writes;
   * NORMAL sync loses nothing when a process is killed, only on power loss,
   * and only what peers can send again: writes that must survive a power cut
   * ask for it (hl_store_begin_durable_write). secure_delete overwrites freed
   * pages so erased posts leave no copies. */
  if (!hl_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !hl_store_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !hl_store_exec (self, "PRAGMA secure_delete = ON", error) ||
      !hl_store_exec (self, "PRAGMA cache_size = -8192", error) ||
      !hl_store_exec (self, "PRAGMA temp_store = MEMORY", error) ||
      !migrate (self, error) ||
      !hl_store_exec (self, "CREATE TEMP TABLE fts_pending (rowid INTEGER PRIMARY KEY)", error) ||
      !hl_store_exec (self, "CREATE TEMP TABLE fts_stale (rowid INTEGER PRIMARY KEY, title, body)",
                      error) ||
      !resume_flush (self, error))
    {
      g_prefix_error (error, "Cannot open the database %s: ", path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
check_schema_for_reading (HlStore  *self,
                          GError  **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  int version, known = (int) G_N_ELEMENTS (hl_store_migrations);

  if (!(stmt = hl_store_prepare (self, "PRAGMA user_version", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return hl_store_fail (self, "Cannot read the schema version", error);
  version = sqlite3_column_int (stmt, 0);
  if (version == known)
    return TRUE;
  if (version == 0)
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                 "%s holds no Hyperlink data", self->path);
  else if (version > known)
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION,
                 "%s was written by a newer Hyperlink (schema %d, this build knows %d); "
                 "update Hyperlink", self->path, version, known);
  else
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION,
                 "%s was written by an older Hyperlink (schema %d, this build needs %d) and "
                 "must be upgraded before it can be read: open it once for writing (any "
                 "command that changes something, or Hyperlink itself)", self->path, version,
                 known);
  return FALSE;
}

HlStore *
hl_store_open_readonly (const char  *path,
                        GError     **error)
{
  g_autoptr(HlStore) self = g_object_new (HL_TYPE_STORE, NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  configure_sqlite ();

  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
      SQLITE_OK)
    {
      g_set_error (error, HL_CORE_ERROR,
                   g_file_test (path, G_FILE_TEST_EXISTS) ? HL_CORE_ERROR_DATABASE
                                                          : HL_CORE_ERROR_NOT_FOUND,
                   "Cannot open the database %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 15000);
  if (!hl_store_exec (self, "PRAGMA cache_size = -8192", error) ||
      !hl_store_exec (self, "PRAGMA temp_store = MEMORY", error) ||
      !check_schema_for_reading (self, error))
    {
      g_prefix_error (error, "Cannot read the database: ");
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
hl_store_get_path (HlStore *self)
{
  return self->path;
}

gint64
hl_store_get_max_future_ms (HlStore *self)
{
  return self->max_future_ms;
}

void
hl_store_set_max_future_ms (HlStore *self,
                            gint64   max_future_ms)
{
  self->max_future_ms = MAX (0, max_future_ms);
}

gboolean
hl_store_read_clock (HlStore      *self,
                     HlTimestamp  *clock,
                     GError      **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  clock->ms = 0;
  clock->ctr = 0;
  if (!(stmt = hl_store_prepare (self, "SELECT key, value FROM meta WHERE key IN "
                                       "('clock_ms', 'clock_ctr')", error)))
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      if (g_strcmp0 (key, "clock_ms") == 0)
        clock->ms = (guint64) sqlite3_column_int64 (stmt, 1);
      else
        clock->ctr = (guint32) sqlite3_column_int64 (stmt, 1);
    }
  return TRUE;
}

static gboolean
write_clock (HlStore            *self,
             const HlTimestamp  *clock,
             GError            **error)
{
  g_autoptr(HlStmt) stmt = NULL;

  if (!(stmt = hl_store_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES "
                                       "('clock_ms', ?1), ('clock_ctr', ?2)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) clock->ms);
  sqlite3_bind_int64 (stmt, 2, clock->ctr);
  return hl_store_step_done (self, stmt, error);
}

/* Our clock never falls behind an event we hold, so that an edit made here is
 * always later than the post it edits, whatever our wall clock says. */
static gboolean
advance_clock (HlStore  *self,
               GError  **error)
{
  HlTimestamp clock;

  if (self->max_seen.ms == 0 && self->max_seen.ctr == 0)
    return TRUE;
  if (!hl_store_read_clock (self, &clock, error))
    return FALSE;
  if (hl_timestamp_compare (&self->max_seen, &clock) <= 0)
    return TRUE;
  return write_clock (self, &self->max_seen, error);
}

static gboolean
apply_events (HlStore         *self,
              HlEvent *const  *events,
              guint            n_events,
              HlAcceptResult  *results,
              GError         **error)
{
  for (guint i = 0; i < n_events; i++)
    {
      gboolean duplicate = FALSE;

      if (!hl_store_apply_one (self, events[i], &duplicate, error))
        return FALSE;
      if (results != NULL)
        results[i] = duplicate ? HL_ACCEPT_DUPLICATE : HL_ACCEPT_NEW;
      if (!duplicate && hl_timestamp_compare (&events[i]->ts, &self->max_seen) > 0)
        self->max_seen = events[i]->ts;
    }
  return TRUE;
}

/* What the events of the transaction left for its end: the search index,
 * reply counts and the clock, once for all of them. */
static gboolean
finish_transaction (HlStore  *self,
                    GError  **error)
{
  return hl_store_finish_batch (self, error) && advance_clock (self, error);
}

static gboolean
apply_and_finish (HlStore         *self,
                  HlEvent *const  *events,
                  guint            n_events,
                  HlAcceptResult  *results,
                  GError         **error)
{
  return apply_events (self, events, n_events, results, error) &&
         finish_transaction (self, error);
}

gboolean
hl_store_begin_batch (HlStore  *self,
                      GError  **error)
{
  return hl_store_begin_write (self, error);
}

gboolean
hl_store_apply_in_batch (HlStore         *self,
                         HlEvent *const  *events,
                         guint            n_events,
                         HlAcceptResult  *results,
                         GError         **error)
{
  return apply_events (self, events, n_events, results, error);
}

gboolean
hl_store_commit_batch (HlStore  *self,
                       GError  **error)
{
  if (!finish_transaction (self, error) || !hl_store_commit_write (self, error))
    {
      hl_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
hl_store_abort_batch (HlStore *self)
{
  hl_store_rollback (self);
}

gboolean
hl_store_apply_verified (HlStore         *self,
                         HlEvent *const  *events,
                         guint            n_events,
                         HlAcceptResult  *results,
                         GError         **error)
{
  if (!hl_store_begin_batch (self, error))
    return FALSE;
  if (!hl_store_apply_in_batch (self, events, n_events, results, error))
    {
      hl_store_abort_batch (self);
      return FALSE;
    }
  return hl_store_commit_batch (self, error) && flush_deletions_now_and_then (self, error);
}

HlAcceptResult
hl_store_accept (HlStore        *self,
                 const HlEvent  *event,
                 GError        **error)
{
  HlEvent *events[1] = { (HlEvent *) event };
  HlAcceptResult result = HL_ACCEPT_REJECTED;

  if (!hl_event_verify (event, hl_now_ms (), self->max_future_ms, error))
    return HL_ACCEPT_REJECTED;
  if (!hl_store_apply_verified (self, events, 1, &result, error))
    return HL_ACCEPT_REJECTED;
  return result;
}

static HlTimestamp
next_timestamp (const HlTimestamp *clock,
                gint64             now_ms)
{
  HlTimestamp ts;

  if ((guint64) now_ms > clock->ms)
    {
      ts.ms = (guint64) now_ms;
      ts.ctr = 0;
    }
  else if (clock->ctr < G_MAXUINT32)
    {
      ts.ms = clock->ms;
      ts.ctr = clock->ctr + 1;
    }
  else
    {
      ts.ms = clock->ms + 1;
      ts.ctr = 0;
    }
  return ts;
}

/* Our own events wait in the outbox until some peer has them. A create
 * makes the object it names; anything else changes the object it refers to. */
static gboolean
add_to_outbox (HlStore  *self,
               HlEvent  *event,
               GError  **error)
{
  g_autoptr(HlStmt) stmt = NULL;
  gboolean creates = g_str_has_suffix (event->kind, ".create") || !event->has_ref;

  if (!(stmt = hl_store_prepare (self, "INSERT OR IGNORE INTO outbox (id, object) VALUES (?1, ?2)",
                                 error)))
    return FALSE;
  hl_bind_blob (stmt, 1, event->id, HL_ID_LEN);
  hl_bind_blob (stmt, 2, creates ? event->id : event->ref, HL_ID_LEN);
  return hl_store_step_done (self, stmt, error);
}

HlEvent *
hl_store_publish (HlStore     *self,
                  HlIdentity  *identity,
                  const char  *kind,
                  const guint8 *ref,
                  const char  *body_json,
                  GError     **error)
{
  g_autoptr(HlEvent) event = NULL;
  g_autoptr(HlEvent) inner = NULL;     /* what event seals, in a private subnet */
  HlTimestamp clock, ts;
  gint64 now = hl_now_ms ();

  /* No peer holds this event yet: a power cut must not take it back. */
  if (!hl_store_begin_durable_write (self, error))
    return NULL;
  if (!hl_store_read_clock (self, &clock, error))
    goto fail;

  ts = next_timestamp (&clock, now);
  event = hl_event_new (kind, hl_identity_get_public_key (identity), &ts, ref, body_json);
  hl_event_sign (event, identity);
  if (!hl_store_private_seal_publish (self, identity, &event, &inner, error))
    goto fail;

  /* Our own clock may run ahead of the wall clock after we saw events from a
   * fast peer; allow for that much here. */
  if (!hl_event_verify (event, MAX (now, (gint64) ts.ms), self->max_future_ms, error) ||
      !hl_store_check_publish (self, inner != NULL ? inner : event, error) ||
      !apply_and_finish (self, &event, 1, NULL, error) ||
      !add_to_outbox (self, event, error) ||
      !write_clock (self, &ts, error) ||
      !hl_store_commit_write (self, error))
    goto fail;

  if (!hl_store_flush_deletions (self, error))
    return NULL;
  return inner != NULL ? g_steal_pointer (&inner) : g_steal_pointer (&event);

fail:
  hl_store_rollback (self);
  return NULL;
}

gboolean
hl_store_set_bulk_mode (HlStore  *self,
                        gboolean  bulk,
                        GError  **error)
{
  if (bulk)
    return hl_store_exec (self, "PRAGMA cache_size = -32768", error) &&
           hl_store_exec (self, "PRAGMA wal_autocheckpoint = 16384", error);
  return hl_store_exec (self, "PRAGMA cache_size = -8192", error) &&
         hl_store_exec (self, "PRAGMA wal_autocheckpoint = 1000", error) &&
         hl_store_exec (self, "PRAGMA wal_checkpoint(PASSIVE)", error);
}

gboolean
hl_store_flush_deletions (HlStore  *self,
                          GError  **error)
{
  if (!self->erased_text)
    return TRUE;
  /* An FTS5 delete only marks the old postings; 'optimize' rewrites the index
   * without them, and the checkpoint takes the old pages out of the WAL. */
  if (!hl_store_exec (self, "INSERT INTO posts_fts (posts_fts) VALUES ('optimize')", error) ||
      !hl_store_exec (self, "DELETE FROM meta WHERE key = 'flush_deletions'", error) ||
      !hl_store_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    return FALSE;
  self->erased_text = FALSE;
  self->last_flush_us = g_get_monotonic_time ();
  return TRUE;
}

/* Rewriting the whole index after every batch of a sync that carries many
 * deletes would cost more than the sync; the flag in meta makes sure the
 * flush still happens, here or in the next process. */
static gboolean
flush_deletions_now_and_then (HlStore  *self,
                              GError  **error)
{
  if (self->erased_text && g_get_monotonic_time () - self->last_flush_us > 10 * G_USEC_PER_SEC)
    return hl_store_flush_deletions (self, error);
  return TRUE;
}

static gboolean
resume_flush (HlStore  *self,
              GError  **error)
{
  g_autoptr(HlStmt) stmt = hl_store_prepare (self, "SELECT 1 FROM meta WHERE key = "
                                                   "'flush_deletions'", error);

  if (stmt == NULL)
    return FALSE;
  self->erased_text = sqlite3_step (stmt) == SQLITE_ROW;
  g_clear_pointer (&stmt, hl_stmt_release);
  return hl_store_flush_deletions (self, error);
}
