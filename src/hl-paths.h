/* hl-paths.h: where a device keeps its files.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HL_DATA_DIR_ENV "HYPERLINK_DATA_DIR"

/* @override (from --data-dir) wins, then $HYPERLINK_DATA_DIR, then
 * $XDG_DATA_HOME/hyperlink. */
char     *hl_paths_resolve_data_dir (const char  *override);
/* Creates the directory (mode 0700) when missing. One that other users of
 * this machine may read or enter is left as it is, with a warning (once per
 * process): see docs/architecture.md, "Storage". */
gboolean  hl_paths_ensure_data_dir  (const char  *data_dir,
                                     GError     **error);
/* For the files Hyperlink makes in the data directory: when group or others
 * may use @path, it becomes 0600 (the owner's bits kept), with a message. A
 * file that is not a regular file of this user is only warned about, a link
 * is left alone, and a missing file is no error. The file is not opened (an
 * open database's locks would not survive it). */
void      hl_paths_make_private     (const char  *path);
void      hl_paths_make_fd_private  (int          fd,
                                     const char  *path);
/* fsync()s the directory holding @path, so that a file just created or
 * linked there is still there after a power cut. */
gboolean  hl_paths_sync_parent      (const char  *path,
                                     GError     **error);
/* Creates the database file at @path, empty and 0600, before SQLite does
 * (its directory synced), or makes an existing one and its -wal, -shm and
 * -journal files private as hl_paths_make_private() does. */
gboolean  hl_paths_prepare_database (const char  *path,
                                     GError     **error);
char     *hl_paths_database         (const char  *data_dir);
char     *hl_paths_identity         (const char  *data_dir);

G_END_DECLS
