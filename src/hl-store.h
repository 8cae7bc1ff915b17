/* hl-store.h: the local database of events and the forum state derived from them.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hl-event.h"
#include "hl-identity.h"
#include "hl-store-rows.h"

G_BEGIN_DECLS

#define HL_TYPE_STORE (hl_store_get_type ())

G_DECLARE_FINAL_TYPE (HlStore, hl_store, HL, STORE, GObject)

typedef enum
{
  HL_ACCEPT_NEW,
  HL_ACCEPT_DUPLICATE,
  HL_ACCEPT_REJECTED,
} HlAcceptResult;

/* Calls per event in the order they are stored; return FALSE to stop. */
typedef gboolean (*HlEventFunc) (const HlEvent *event,
                                 gpointer       user_data);

/* Opens (creating and migrating when needed) the database at @path. An HlStore
 * is used from one thread at a time; open one per thread. Several processes
 * may open the same file at once. */
HlStore        *hl_store_open              (const char     *path,
                                            GError        **error);
/* Opens the existing database at @path for reading only (SQLITE_OPEN_READONLY):
 * it creates nothing, runs no migration and refuses a schema other than this
 * build's (HL_CORE_ERROR_VERSION; HL_CORE_ERROR_NOT_FOUND for a file that
 * holds no Hyperlink data). Every write through it fails. Reads see what
 * other processes commit, as with hl_store_open(). Reading makes the
 * database's -wal and -shm files when no other process has it open; when
 * the store is finalized they are removed again, unless some other process
 * has opened the database meanwhile. */
HlStore        *hl_store_open_readonly     (const char     *path,
                                            GError        **error);
const char     *hl_store_get_path          (HlStore        *self);
gint64          hl_store_get_max_future_ms (HlStore        *self);
/* After each commit that stored new events, the store writes a byte into
 * the file beside the database named by hl_store_changed_file_name() (its
 * name plus "-changed"), so that a node watching the directory learns at once
 * that another process wrote (hl-node-watch.c). On by default. */
void            hl_store_set_signal_changes (HlStore       *self,
                                             gboolean       signal);
char           *hl_store_changed_file_name  (const char    *database);
void            hl_store_set_max_future_ms (HlStore        *self,
                                            gint64          max_future_ms);

/* Verifies @event against this store's clock and limits and applies it.
 * Returns HL_ACCEPT_REJECTED with @error set when it may not be stored. */
HlAcceptResult  hl_store_accept            (HlStore        *self,
                                            const HlEvent  *event,
                                            GError        **error);

/* Applies events the caller has already verified with hl_event_verify(), all
 * in one transaction: either every one is applied or none. @results may be NULL.
 * Text erased by deletes leaves the search index within about ten seconds
 * (hl_store_flush_deletions() does it at once). */
gboolean        hl_store_apply_verified    (HlStore        *self,
                                            HlEvent *const *events,
                                            guint           n_events,
                                            HlAcceptResult *results,
                                            GError        **error);

/* For importers: one write transaction across several calls of
 * hl_store_apply_in_batch(), committed by hl_store_commit_batch() or undone
 * by hl_store_abort_batch(). Commits cost more than most events do. The
 * search index, reply counts and activity times the events change are
 * brought up to date once, by hl_store_commit_batch(): FTS5 writes a segment
 * each time, so the fewer the better. */
gboolean        hl_store_begin_batch       (HlStore        *self,
                                            GError        **error);
gboolean        hl_store_apply_in_batch    (HlStore        *self,
                                            HlEvent *const *events,
                                            guint           n_events,
                                            HlAcceptResult *results,
                                            GError        **error);
gboolean        hl_store_commit_batch      (HlStore        *self,
                                            GError        **error);
void            hl_store_abort_batch       (HlStore        *self);

/* Authors, signs and applies a new event. The clock reading is taken inside
 * the write transaction, so events from concurrent processes sharing @self's
 * file are still strictly ordered. Refuses what the merge rules would ignore:
 * editing someone else's post, hiding without being a moderator, ... */
HlEvent        *hl_store_publish           (HlStore        *self,
                                            HlIdentity     *identity,
                                            const char     *kind,
                                            const guint8   *ref,
                                            const char     *body_json,
                                            GError        **error);

/* For a large import: a bigger page cache and rarer checkpoints, which
 * rewrite the same pages again and again otherwise. Off again, it
 * checkpoints what has gathered in the write-ahead log. */
gboolean        hl_store_set_bulk_mode     (HlStore        *self,
                                            gboolean        bulk,
                                            GError        **error);

/* Erases the traces deleted text leaves in the search index and the
 * write-ahead log. Cheap when nothing was deleted since the last call. */
gboolean        hl_store_flush_deletions   (HlStore        *self,
                                            GError        **error);

gboolean        hl_store_has_event         (HlStore        *self,
                                            const guint8   *id);
/* NULL with HL_CORE_ERROR_NOT_FOUND when absent or erased by a delete. */
HlEvent        *hl_store_get_event         (HlStore        *self,
                                            const guint8   *id,
                                            GError        **error);
/* Resolves a unique hex prefix of an event (object) id, as git does. */
gboolean        hl_store_resolve_prefix    (HlStore        *self,
                                            const char     *prefix,
                                            guint8         *id,
                                            GError        **error);
/* Resolves a unique hex prefix of a key that has authored events. */
gboolean        hl_store_resolve_author    (HlStore        *self,
                                            const char     *prefix,
                                            guint8         *key,
                                            GError        **error);
gboolean        hl_store_foreach_event     (HlStore        *self,
                                            gint64          since_ms,
                                            HlEventFunc     func,
                                            gpointer        user_data,
                                            GError        **error);
gint64          hl_store_count_events      (HlStore        *self);

/* The materialised state as text in a fixed order, and its BLAKE2b-256 hash:
 * two stores holding the same set of events give identical results. */
char           *hl_store_dump_state        (HlStore        *self,
                                            GError        **error);
char           *hl_store_state_hash        (HlStore        *self,
                                            GError        **error);

/* Queries for the UI and hyperlinkctl (hl-store-query.c). */
GPtrArray      *hl_store_list_subnets      (HlStore        *self,
                                            GError        **error);
HlSubnetRow    *hl_store_get_subnet        (HlStore        *self,
                                            const guint8   *id,
                                            GError        **error);
GPtrArray      *hl_store_list_threads      (HlStore        *self,
                                            const guint8   *subnet,
                                            guint           offset,
                                            guint           limit,
                                            GError        **error);
/* The @limit threads of @subnet right after (or, with @before, right
 * before) the thread @id whose last activity is @last_activity, in the
 * order of hl_store_list_threads(): a page next to one already read, at the
 * cost of the first page however deep it is. */
GPtrArray      *hl_store_list_threads_next (HlStore        *self,
                                            const guint8   *subnet,
                                            gint64          last_activity,
                                            const guint8   *id,
                                            gboolean        before,
                                            guint           limit,
                                            GError        **error);
HlPostRow      *hl_store_get_post          (HlStore        *self,
                                            const guint8   *id,
                                            GError        **error);
GPtrArray      *hl_store_list_replies      (HlStore        *self,
                                            const guint8   *thread,
                                            GError        **error);
GPtrArray      *hl_store_search            (HlStore        *self,
                                            const char     *query,
                                            guint           limit,
                                            GError        **error);
/* A search hit's snippet marks the words found with HL_SNIPPET_MATCH_START
 * and _END (control characters, which no post can contain, so brackets and
 * the like in the text stay text). This returns @snippet with the markers
 * replaced by @start and @end, every other piece passed through @escape
 * (e.g. g_markup_escape_text; NULL: copied as is). */
char           *hl_snippet_format          (const char     *snippet,
                                            const char     *start,
                                            const char     *end,
                                            char         *(*escape) (const char *text,
                                                                     gssize      length));
HlProfileRow   *hl_store_get_profile       (HlStore        *self,
                                            const guint8   *author,
                                            GError        **error);
/* Every profile held that has a display name, by name: the people this
 * device knows (HlProfileRow). */
GPtrArray      *hl_store_list_profiles     (HlStore        *self,
                                            GError        **error);
GPtrArray      *hl_store_list_moderators   (HlStore        *self,
                                            const guint8   *subnet,
                                            GError        **error);
gboolean        hl_store_is_moderator      (HlStore        *self,
                                            const guint8   *subnet,
                                            const guint8   *key);

G_END_DECLS
