/* hl-store-signal.c: telling other processes that this one committed events.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "hl-store-private.h"

char *
hl_store_changed_file_name (const char *database)
{
  g_autofree char *dir = g_path_get_dirname (database);
  g_autofree char *base = g_path_get_basename (database);
  g_autofree char *name = g_strconcat (base, "-changed", NULL);

  return g_build_filename (dir, name, NULL);
}

void
hl_store_set_signal_changes (HlStore  *self,
                             gboolean  signal)
{
  self->signal_changes = signal;
}

/* After the commit, not before: a reader woken by the write of the log
 * itself could look before the commit is visible and find nothing. A failure
 * only makes watchers wait for their poll. */
void
hl_store_signal_changes (HlStore *self)
{
  if (!self->added_events || !self->signal_changes)
    return;
  self->added_events = FALSE;
  if (self->changed_fd < 0)
    {
      g_autofree char *name = hl_store_changed_file_name (self->path);

      self->changed_fd = g_open (name, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (self->changed_fd < 0)
        return;
    }
  if (pwrite (self->changed_fd, "\n", 1, 0) < 0)
    g_debug ("Cannot signal a change beside %s: %s", self->path, g_strerror (errno));
}
