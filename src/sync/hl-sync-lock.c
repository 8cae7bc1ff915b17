/* hl-sync-lock.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "hl-paths.h"
#include "hl-sync-error.h"

static char *
lock_path (const char *data_dir)
{
  return g_build_filename (data_dir, "hyperlinkd.lock", NULL);
}

char *
hl_sync_status_path (const char *data_dir)
{
  return g_build_filename (data_dir, "sync-status.json", NULL);
}

int
hl_sync_lock_acquire (const char  *data_dir,
                      GError     **error)
{
  g_autofree char *path = lock_path (data_dir);
  struct flock fl = { 0 };
  char pid[32];
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_BUSY,
                   "Cannot create the lock file %s: %s", path, g_strerror (errno));
      return -1;
    }
  hl_paths_make_fd_private (fd, path);
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (fcntl (fd, F_SETLK, &fl) != 0)
    {
      gint64 holder = hl_sync_lock_holder (data_dir);

      close (fd);
      g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_BUSY,
                   "Another Hyperlink node (hyperlinkd or the Hyperlink window, pid %"
                   G_GINT64_FORMAT ") already runs on the data directory %s; stop it first "
                   "or give this one its own --data-dir",
                   holder, data_dir);
      return -1;
    }
  g_snprintf (pid, sizeof pid, "%d\n", (int) getpid ());
  if (ftruncate (fd, 0) != 0 || write (fd, pid, strlen (pid)) < 0)
    g_debug ("Could not write the pid into %s", path);
  return fd;
}

gint64
hl_sync_lock_holder (const char *data_dir)
{
  g_autofree char *path = lock_path (data_dir);
  struct flock fl = { 0 };
  int fd = open (path, O_RDWR | O_CLOEXEC);

  if (fd < 0)
    return 0;
  /* F_GETLK asks without taking it, so hyperlinkctl never blocks the node. */
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (fcntl (fd, F_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
    {
      close (fd);
      return 0;
    }
  close (fd);
  return fl.l_pid;
}
