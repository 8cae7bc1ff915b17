/* hl-sync-lock.h: one node (hyperlinkd or the window's) per data directory.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Takes DATA_DIR/hyperlinkd.lock (an fcntl write lock, released when the
 * process dies however it dies). Returns the open descriptor, or -1 with
 * HL_SYNC_ERROR_BUSY naming the process that holds it. */
int      hl_sync_lock_acquire (const char  *data_dir,
                               GError     **error);
/* The pid holding the lock, or 0 when no node runs on @data_dir. Never call
 * it from the process that holds the lock: closing its descriptor would
 * release that process's fcntl lock. */
gint64   hl_sync_lock_holder  (const char  *data_dir);
char    *hl_sync_status_path  (const char  *data_dir);

G_END_DECLS
