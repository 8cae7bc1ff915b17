/* hl-forum.h: the window's door to the store: work on worker threads, and
 * news of changes written by other processes.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-identity.h"
#include "hl-read-marks.h"
#include "hl-store.h"

G_BEGIN_DECLS

#define HL_TYPE_FORUM (hl_forum_get_type ())

G_DECLARE_FINAL_TYPE (HlForum, hl_forum, HL, FORUM, GObject)

/* Runs on a worker thread with that thread's own HlStore. Returns a new
 * pointer handed to the callback, or NULL with @error set. */
typedef gpointer (*HlForumFunc) (HlForum       *forum,
                                 HlStore       *store,
                                 gpointer       data,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* Opens (creating when needed) the data directory and its identity, and checks
 * that the database opens. Runs on the calling thread: a few milliseconds. */
HlForum      *hl_forum_new             (const char           *data_dir,
                                        GError              **error);
const char   *hl_forum_get_data_dir    (HlForum              *self);
const char   *hl_forum_get_database    (HlForum              *self);
/* The device's public key, as 64 hex digits and as bytes. */
const char   *hl_forum_get_key_hex     (HlForum              *self);
/* This device's identity: its public key may be read from any thread. */
HlIdentity   *hl_forum_get_identity    (HlForum              *self);
const guint8 *hl_forum_get_key         (HlForum              *self);
gboolean      hl_forum_is_mine         (HlForum              *self,
                                        const guint8         *author);
/* What this device has read (local state, in the data directory). */
HlReadMarks  *hl_forum_get_read_marks  (HlForum              *self);

/* Runs @func on a worker; @data is freed with @data_free after it has run. */
void          hl_forum_run_async       (HlForum              *self,
                                        HlForumFunc           func,
                                        gpointer              data,
                                        GDestroyNotify        data_free,
                                        GDestroyNotify        result_free,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
/* The same for a @func that only reads: it gets a read-only HlStore, which
 * never waits for a writer (the node) to open. Finish with hl_forum_run_finish(). */
void          hl_forum_read_async      (HlForum              *self,
                                        HlForumFunc           func,
                                        gpointer              data,
                                        GDestroyNotify        data_free,
                                        GDestroyNotify        result_free,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gpointer      hl_forum_run_finish      (HlForum              *self,
                                        GAsyncResult         *result,
                                        GError              **error);

/* Signs an event of @kind about @ref (NULL for none) with body @body_json,
 * on a worker. Finishes with the new event's id in hex. */
void          hl_forum_publish_async   (HlForum              *self,
                                        const char           *kind,
                                        const guint8         *ref,
                                        const char           *body_json,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char         *hl_forum_publish_finish  (HlForum              *self,
                                        GAsyncResult         *result,
                                        GError              **error);

/* Tells the forum the database may have changed (as its file monitor does):
 * "changed" is emitted once, a little later, however often this is called. */
void          hl_forum_queue_changed   (HlForum              *self);

G_END_DECLS
