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
/* Creates the directory (mode 0700) when missing. */
gboolean  hl_paths_ensure_data_dir  (const char  *data_dir,
                                     GError     **error);
char     *hl_paths_database         (const char  *data_dir);
char     *hl_paths_identity         (const char  *data_dir);

G_END_DECLS
