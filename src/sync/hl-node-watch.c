/* hl-node-watch.c: noticing at once what other processes write.
 *
 * hyperlinkctl and the window write into the same database as the node.
 * After each commit that stored events, their store writes a byte into the
 * database's -changed file (hl_store_set_signal_changes()); an inotify watch
 * on the data directory tells the node, which scans for new rows. Not the
 * -wal file: it is written before the commit is visible to readers (the
 * wal-index in -shm comes last, through a mapping inotify does not see), so
 * a scan woken by it can find nothing. Where inotify is missing, the poll in
 * hl-node.c does the job, only later.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "hl-paths.h"
#include "hl-sync-private.h"

static gboolean
scan_idle (gpointer user_data)
{
  HlNode *self = user_data;

  self->watch_scan_source = 0;
  if (!self->stopping)
    hl_node_scan (self);
  return G_SOURCE_REMOVE;
}


static gboolean
watch_readable (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  HlNode *self = user_data;
  /* Aligned as inotify(7) asks. */
  char buf[4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
  gboolean changed = FALSE;
  ssize_t len;

  (void) condition;
  /* Everything queued is read at once: a big commit makes many events. */
  while ((len = read (fd, buf, sizeof buf)) > 0)
    for (char *p = buf; p < buf + len; )
      {
        const struct inotify_event *event = (const struct inotify_event *) p;

        if (event->len > 0 && strcmp (event->name, self->watch_name) == 0)
          changed = TRUE;
        p += sizeof *event + event->len;
      }
  if (len < 0 && errno != EAGAIN && errno != EINTR)
    {
      g_warning ("Cannot watch the database for other programs' writes (%s); polling instead",
                 g_strerror (errno));
      self->watch_source = 0;
      return G_SOURCE_REMOVE;
    }
  if (changed && self->watch_scan_source == 0)
    self->watch_scan_source = hl_sync_idle_add (G_PRIORITY_DEFAULT, scan_idle, self);
  return G_SOURCE_CONTINUE;
}

gboolean
hl_node_watch_start (HlNode *self)
{
  g_autofree char *db = hl_paths_database (self->data_dir);
  g_autofree char *changed = hl_store_changed_file_name (db);
  g_autofree char *dir = g_path_get_dirname (db);
  GSource *source;
  int fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);

  if (fd < 0)
    return FALSE;
  if (inotify_add_watch (fd, dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
    {
      close (fd);
      return FALSE;
    }
  self->watch_fd = fd;
  self->watch_name = g_path_get_basename (changed);
  source = g_unix_fd_source_new (fd, G_IO_IN);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) watch_readable, self, NULL);
  self->watch_source = g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
  return TRUE;
}

void
hl_node_watch_stop (HlNode *self)
{
  hl_sync_source_clear (&self->watch_source);
  hl_sync_source_clear (&self->watch_scan_source);
  if (self->watch_fd >= 0)
    close (self->watch_fd);
  self->watch_fd = -1;
  g_clear_pointer (&self->watch_name, g_free);
}
