/* hl-paths.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-paths.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hl-error.h"

/* Paths already warned about, so that a process that opens its store many
 * times (the window) says it once. */
G_LOCK_DEFINE_STATIC (warned);
static GHashTable *warned;

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

/* How far others get, in words: "… other users of this machine". */
static const char *
exposure (mode_t mode)
{
  if ((mode & 0044) != 0)
    return "can be read by";
  if ((mode & 0022) != 0)
    return "can be changed by";
  return "is open to";
}

static gboolean
first_warning_for (const char *path)
{
  gboolean first;

  G_LOCK (warned);
  if (warned == NULL)
    warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  first = g_hash_table_add (warned, g_strdup (path));
  G_UNLOCK (warned);
  return first;
}

/* The directory is the user's to choose (--data-dir, $HYPERLINK_DATA_DIR) and
 * may hold more than our files, so it is only reported: every file we make in
 * it is 0600 anyway, and what others can still see are names and sizes. */
static void
warn_if_open (const char *data_dir)
{
  GStatBuf st;

  if (g_stat (data_dir, &st) != 0 || (st.st_mode & 0077) == 0 || !first_warning_for (data_dir))
    return;
  g_warning ("The data directory %s %s other users of this machine (mode %04o): run "
             "“chmod 700 %s” to keep your forum and your key to yourself",
             data_dir, exposure (st.st_mode), (unsigned) (st.st_mode & 07777), data_dir);
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
  warn_if_open (data_dir);
  return TRUE;
}

/* Does what hl_paths_make_private() promises for @path, whose status is
 * @st: through @fd when it is one (>= 0), else by path. */
static void
tighten (const char        *path,
         int                fd,
         const struct stat *st)
{
  mode_t private_mode = st->st_mode & 0700;

  if ((st->st_mode & 0077) == 0 || S_ISLNK (st->st_mode))
    return;
  if (!S_ISREG (st->st_mode) || st->st_uid != geteuid ())
    {
      if (first_warning_for (path))
        g_warning ("%s %s other users of this machine (mode %04o), and it is not a file of yours "
                   "that Hyperlink may change: run “chmod 600 %s”",
                   path, exposure (st->st_mode), (unsigned) (st->st_mode & 07777), path);
    }
  else if ((fd >= 0 ? fchmod (fd, private_mode) : chmod (path, private_mode)) != 0)
    {
      if (first_warning_for (path))
        g_warning ("%s %s other users of this machine (mode %04o) and cannot be made private "
                   "(%s): run “chmod 600 %s”",
                   path, exposure (st->st_mode), (unsigned) (st->st_mode & 07777),
                   g_strerror (errno), path);
    }
  else
    g_message ("%s was open to other users of this machine (mode %04o); it is now yours "
               "alone (mode %04o)",
               path, (unsigned) (st->st_mode & 07777), (unsigned) private_mode);
}

void
hl_paths_make_fd_private (int         fd,
                          const char *path)
{
  struct stat st;

  if (fstat (fd, &st) == 0)
    tighten (path, fd, &st);
}

void
hl_paths_make_private (const char *path)
{
  struct stat st;

  /* By path, and never opened: closing a descriptor of the database would
   * drop every POSIX lock the SQLite connections of this process hold on it.
   * lstat(): a link planted in a loose directory is not followed. */
  if (lstat (path, &st) == 0)
    tighten (path, -1, &st);
}

gboolean
hl_paths_sync_parent (const char  *path,
                      GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO,
                   "Cannot write the directory %s to disk: %s", dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* SQLite creates a database 0644 less the umask, and its -wal, -shm and
 * -journal files with the mode the database has: a database made 0600 here
 * keeps all of them private. -changed is the store's own (hl-store-signal.c),
 * made 0600. */
gboolean
hl_paths_prepare_database (const char  *path,
                           GError     **error)
{
  static const char * const companions[] = { "", "-wal", "-shm", "-journal", "-changed" };

  /* mknod() makes the file without opening it, so no close() can drop the
   * locks of another connection of this process that opened it meanwhile. */
  if (mknod (path, S_IFREG | 0600, 0) == 0)
    return hl_paths_sync_parent (path, error);
  if (errno != EEXIST)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO,
                   "Cannot create the database %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *file = g_strconcat (path, companions[i], NULL);

      hl_paths_make_private (file);
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
