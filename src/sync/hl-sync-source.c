/* hl-sync-source.c: timers and idles on the thread-default main context.
 *
 * g_timeout_add() and g_source_remove() always use the global default
 * context, which in the window belongs to GTK. The node runs wherever it was
 * started (hl-node-runner.c), so its sources go there.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"

static guint
attach (GSource     *source,
        GSourceFunc  func,
        gpointer     data)
{
  guint id;

  g_source_set_callback (source, func, data, NULL);
  id = g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
  return id;
}

guint
hl_sync_timeout_add (guint       interval_ms,
                     GSourceFunc func,
                     gpointer    data)
{
  return attach (g_timeout_source_new (interval_ms), func, data);
}

guint
hl_sync_idle_add (int         priority,
                  GSourceFunc func,
                  gpointer    data)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  return attach (source, func, data);
}

void
hl_sync_source_clear (guint *id)
{
  GSource *source;

  if (*id == 0)
    return;
  source = g_main_context_find_source_by_id (g_main_context_get_thread_default (), *id);
  if (source != NULL)
    g_source_destroy (source);
  *id = 0;
}
