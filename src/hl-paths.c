/* hl-paths.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-paths.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "hl-error.h"

char *
hl_paths_resolve_data_dir (const char *override)
{
  const char *env = g_getenv (HL_DATA_DIR_ENV);

  if (override != NULL && *override != '\0')
    return g_canonicalize_filename (override, NULL);
  if (env != NULL && *env != '\0')
    return g_canonicalize_filename (env, NULL);
  return g_build_filename (g_get_user_data_dir (), "hyperlink", NULL);
}

gboolean
hl_paths_ensure_data_dir (const char  *data_dir,
                          GError     **error)
{
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO,
                   "Cannot create the data directory %s: %s", data_dir, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

char *
hl_paths_database (const char *data_dir)
{
  return g_build_filename (data_dir, "hyperlink.db", NULL);
}

char *
hl_paths_identity (const char *data_dir)
{
  return g_build_filename (data_dir, "identity.key", NULL);
}
