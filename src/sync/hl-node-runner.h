/* hl-node-runner.h: an HlNode on a thread of its own, for the window.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-node.h"

G_BEGIN_DECLS

#define HL_TYPE_NODE_RUNNER (hl_node_runner_get_type ())

G_DECLARE_FINAL_TYPE (HlNodeRunner, hl_node_runner, HL, NODE_RUNNER, GObject)

typedef enum
{
  HL_NODE_RUNNER_STOPPED,    /* not started yet, or stopped */
  HL_NODE_RUNNER_STARTING,
  HL_NODE_RUNNER_RUNNING,    /* our node syncs the data directory */
  HL_NODE_RUNNER_EXTERNAL,   /* a hyperlinkd holds the data directory; its status file is read */
  HL_NODE_RUNNER_FAILED,     /* the node could not start: see "error" */
} HlNodeRunnerState;

/* Nothing starts until hl_node_runner_start(). Properties change, and
 * notify, on the thread-default main context of the caller. */
HlNodeRunner      *hl_node_runner_new          (const char   *data_dir);
/* Where to accept peers (NULL @host: accept none); for the next start. */
void               hl_node_runner_set_listen   (HlNodeRunner *self,
                                                const char   *host,
                                                guint16       port);
/* The default, as hyperlinkd's: loopback and this machine's tailnet
 * addresses (hl_node_listen_default), at @port; for the next start. */
void               hl_node_runner_set_listen_default (HlNodeRunner *self,
                                                guint16       port);
/* What --listen or $HYPERLINK_LISTEN says, for the next start: NULL or ""
 * the default (hl_node_runner_set_listen_default at @default_port),
 * "none" no port, else HOST:PORT, [V6]:PORT or HOST (at @default_port).
 * A spec that does not parse sets no port anywhere and returns FALSE. */
gboolean           hl_node_runner_set_listen_spec (HlNodeRunner *self,
                                                   const char   *spec,
                                                   guint16       default_port,
                                                   GError      **error);
/* tailscaled's socket for the next start (NULL: the default one, or
 * $HYPERLINK_TAILSCALE_SOCKET). */
void               hl_node_runner_set_tailscale_socket (HlNodeRunner *self,
                                                        const char   *path);
/* Takes the data directory's lock and starts a node on its own thread;
 * when a hyperlinkd holds the lock, follows that one's status file instead
 * (and takes over once it stops). Returns at once. */
void               hl_node_runner_start        (HlNodeRunner *self);
/* Stops the node, applying what it received and verified, closes its
 * connections and releases the lock. Blocks until done (well under a
 * second). */
void               hl_node_runner_stop         (HlNodeRunner *self);
HlNodeRunnerState  hl_node_runner_get_state    (HlNodeRunner *self);
/* Why the node could not start, or NULL. */
const char        *hl_node_runner_get_error    (HlNodeRunner *self);
/* Whether the node failed to start with the GError @domain and @code (for
 * a sentence of the caller's own; the error's text is for the log). */
gboolean           hl_node_runner_error_matches (HlNodeRunner *self,
                                                 GQuark        domain,
                                                 int           code);
/* The port our node listens on, or 0. */
guint              hl_node_runner_get_port     (HlNodeRunner *self);
/* The pid of the hyperlinkd followed in the EXTERNAL state, else 0. */
gint64             hl_node_runner_get_holder   (HlNodeRunner *self);
/* The latest status document (sync-status.json's text), or NULL. */
const char        *hl_node_runner_get_status   (HlNodeRunner *self);

/* Restoring history (hl-node-runner-restore.c): the running node fetches
 * and decodes every sealed month this device lacks (as hyperlinkctl
 * archive restore does). @progress is called on the caller's context about
 * four times a second. Cancelling ends the restore; what arrived stays
 * stored and the next restore goes on from there, also after a kill. Fails
 * with G_IO_ERROR_NOT_CONNECTED when no node runs here (stopped, failed,
 * or a hyperlinkd holds the data directory), G_IO_ERROR_CANCELLED, or
 * HL_SYNC_ERROR_RESTORE_NO_PEER / _RESTORE_INCOMPLETE / _FAILED with the
 * node's sentence (the devices that hold the rest). */
typedef void (*HlRestoreProgressFunc) (const HlRestoreProgress *progress,
                                       gpointer                 user_data);

void               hl_node_runner_restore_async  (HlNodeRunner          *self,
                                                  guint                  wait_s,
                                                  HlRestoreProgressFunc  progress,
                                                  gpointer               progress_data,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
/* The same for @segments only (archive_segments rowids, as
 * hl_node_load_start): loading the months a thread list lacks, not every
 * month this device lacks. Finish with hl_node_runner_restore_finish(). */
void               hl_node_runner_load_async     (HlNodeRunner          *self,
                                                  const gint64          *segments,
                                                  guint                  n_segments,
                                                  guint                  wait_s,
                                                  HlRestoreProgressFunc  progress,
                                                  gpointer               progress_data,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
/* The last progress (segments, events), or NULL with @error. */
HlRestoreProgress *hl_node_runner_restore_finish (HlNodeRunner          *self,
                                                  GAsyncResult          *result,
                                                  GError               **error);

G_END_DECLS
