/* hl-store-private.h: what the hl-store-*.c files share.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "hl-store.h"

G_BEGIN_DECLS

typedef struct _HlPrivnetCache HlPrivnetCache;

struct _HlStore
{
  GObject      parent_instance;

  sqlite3     *db;
  char        *path;
  GHashTable  *statements;      /* SQL text -> sqlite3_stmt, prepared once */
  gint64       max_future_ms;

  /* State of the write transaction under way. */
  gboolean     durable;         /* it commits with synchronous=FULL */
  GHashTable  *dirty_threads;   /* HlId -> HlThreadChange: threads whose counts change */
  GHashTable  *thread_subnets;  /* HlId -> HlId: threads' subnets looked up in this batch */
  HlTimestamp  max_seen;        /* greatest timestamp applied: feeds the clock */
  gboolean     erased_text;     /* a delete erased text: flush the index later */
  gboolean     added_events;    /* the transaction stored new events: signal it at commit */
  gboolean     signal_changes;  /* hl_store_set_signal_changes() */
  int          changed_fd;      /* the -changed file, opened at the first signal; -1 before */
  gint64       last_flush_us;
  GHashTable  *fts_pending;     /* posts rowid -> NULL: to (re)index at the end of the batch */
  GPtrArray   *fts_stale;       /* HlFtsEntry: indexed text to remove at the end of the batch */
  HlIdentity  *identity;        /* borrowed: opens private subnets' wraps (hl-store-privnet.c) */
  HlPrivnetCache *privnet_cache; /* hl-store-privnet-cache.c */
  const guint8 *sealing;        /* the envelope whose inner event is being applied, or NULL */
};

/* How a batch changed a thread's replies. Only adding live replies lets the
 * counts be moved on from what is stored; anything else recounts them. */
typedef struct
{
  gboolean recount;
  guint    added;         /* live replies inserted */
  gint64   latest_ms;     /* the greatest created_ts among them */
} HlThreadChange;

/* Text that is in the full-text index and must leave it. */
typedef struct
{
  gint64  rowid;
  char   *title;
  char   *body;
} HlFtsEntry;

void hl_fts_entry_free (HlFtsEntry *entry);

/* Ends a statement borrowed from the cache when it goes out of scope. */
typedef sqlite3_stmt HlStmt;
void hl_stmt_release (HlStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlStmt, hl_stmt_release)

/* A cached, reset statement; NULL with @error set if it does not prepare. */
HlStmt   *hl_store_prepare       (HlStore       *self,
                                  const char    *sql,
                                  GError       **error);
gboolean  hl_store_exec          (HlStore       *self,
                                  const char    *sql,
                                  GError       **error);
gboolean  hl_store_fail          (HlStore       *self,
                                  const char    *what,
                                  GError       **error);
/* Steps a statement that returns no rows. */
gboolean  hl_store_step_done     (HlStore       *self,
                                  HlStmt        *stmt,
                                  GError       **error);

/* Makes one item of the current row of @stmt. */
typedef gpointer (*HlStoreReadRow) (HlStmt *stmt);

/* Steps @stmt to its end and returns an item per row, made by @read_row and
 * freed with @free_row; NULL with @error ("@what: why") when a step fails. */
GPtrArray *hl_store_collect      (HlStore        *self,
                                  HlStmt         *stmt,
                                  HlStoreReadRow  read_row,
                                  GDestroyNotify  free_row,
                                  const char     *what,
                                  GError        **error);

gboolean  hl_store_begin_write   (HlStore       *self,
                                  GError       **error);
/* A write transaction whose commit reaches the disk before it returns: for
 * what no peer can give back (docs/architecture.md, "Storage"). */
gboolean  hl_store_begin_durable_write (HlStore  *self,
                                        GError  **error);
gboolean  hl_store_commit_write  (HlStore       *self,
                                  GError       **error);
void      hl_store_rollback      (HlStore       *self);
/* hl_store_step_done() for a write that must survive a power cut. Outside a
 * transaction it commits durably; inside one, the transaction's beginning
 * decides. */
gboolean  hl_store_step_durable  (HlStore       *self,
                                  HlStmt        *stmt,
                                  GError       **error);

/* hl-store-signal.c: after a commit, when it stored new events. */
void      hl_store_signal_changes (HlStore      *self);

gboolean  hl_store_read_clock    (HlStore       *self,
                                  HlTimestamp   *clock,
                                  GError       **error);

/* hl-store-apply.c: the merge rules. Inside a write transaction. */
gboolean  hl_store_apply_one     (HlStore       *self,
                                  const HlEvent *event,
                                  gboolean      *duplicate,
                                  GError       **error);
/* hl-store-privnet.c: opens what a member device can of a private subnet's
 * envelopes, and seals what is published into one. */
gboolean  hl_store_private_apply (HlStore       *self,
                                  const HlEvent *event,
                                  GError       **error);
/* When *@event targets a private subnet, replaces it by its envelope and
 * hands the original back in *@inner (else *@inner is NULL). */
gboolean  hl_store_private_seal_publish (HlStore     *self,
                                         HlIdentity  *identity,
                                         HlEvent    **event,
                                         HlEvent    **inner,
                                         GError     **error);
gboolean  hl_store_finish_batch  (HlStore       *self,
                                  GError       **error);
gboolean  hl_store_check_publish (HlStore       *self,
                                  const HlEvent *event,
                                  GError       **error);

/* hl-store-sync.c: the two lists of addresses to dial, sync_peers (peers a
 * person added) and sync_bootstrap (bootstrap nodes), alike but for the
 * table. */
typedef enum
{
  HL_ADDRESSES_PEERS,
  HL_ADDRESSES_BOOTSTRAP,
} HlAddressList;

/* *@added / *@removed: whether the list changed (it holds each address once). */
gboolean   hl_store_addresses_add    (HlStore        *self,
                                      HlAddressList   list,
                                      const char     *address,
                                      gboolean       *added,
                                      GError        **error);
gboolean   hl_store_addresses_remove (HlStore        *self,
                                      HlAddressList   list,
                                      const char     *address,
                                      gboolean       *removed,
                                      GError        **error);
/* The addresses, sorted. */
GPtrArray *hl_store_addresses_list   (HlStore        *self,
                                      HlAddressList   list,
                                      GError        **error);

/* hl-store-archive.c: the merge rules of archive.segment and archive.holder
 * (archive.policy is read where it is used). Inside a write transaction. */
gboolean  hl_store_archive_apply  (HlStore       *self,
                                   const HlEvent *event,
                                   GError       **error);
gboolean  hl_store_archive_forget (HlStore       *self,
                                   const HlEvent *event,
                                   GError       **error);

/* hl-store-index.c */
void      hl_store_queue_reindex (HlStore       *self,
                                  gint64         rowid,
                                  gboolean       existed,
                                  const char    *old_title,
                                  const char    *old_body,
                                  const char    *title,
                                  const char    *body);

/* hl-store-moderation.c */
gboolean  hl_store_compute_hidden     (HlStore      *self,
                                       const guint8 *post,
                                       const guint8 *subnet,
                                       gboolean     *hidden,
                                       GError      **error);
gboolean  hl_store_rebuild_moderators (HlStore      *self,
                                       const guint8 *subnet,
                                       const guint8 *owner,
                                       gboolean     *changed,
                                       GError      **error);

/* Binding helpers. */
static inline void
hl_bind_blob (HlStmt       *stmt,
              int           index,
              const guint8 *data,
              gsize         len)
{
  if (data == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_blob (stmt, index, data, (int) len, SQLITE_TRANSIENT);
}

static inline void
hl_bind_text (HlStmt     *stmt,
              int         index,
              const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Copies a 32-byte blob column; FALSE when it is NULL or not 32 bytes. */
static inline gboolean
hl_column_id (HlStmt *stmt,
              int     col,
              guint8 *out)
{
  const void *data = sqlite3_column_blob (stmt, col);

  if (data == NULL || sqlite3_column_bytes (stmt, col) != HL_ID_LEN)
    return FALSE;
  memcpy (out, data, HL_ID_LEN);
  return TRUE;
}

static inline char *
hl_column_dup_text (HlStmt *stmt,
                    int     col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/* An HlStoreReadRow for a query of one text column (free with g_free). */
static inline gpointer
hl_read_text_row (HlStmt *stmt)
{
  return hl_column_dup_text (stmt, 0);
}

G_END_DECLS
