/* hl-store-watch.c: a file monitor on the database and its write-ahead log.
 *
 * Every commit, by any process (hyperlinkd, hyperlinkctl, the client's own
 * node thread), appends to the write-ahead log, and a checkpoint rewrites
 * the database file; readers touch neither (only -shm), so a client's own
 * queries never wake the watch up.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-store-watch.h"

struct _HlStoreWatch
{
  GObject       parent_instance;

  GFileMonitor *wal_monitor;
  GFileMonitor *db_monitor;
  guint         delay_ms;
  guint         changed_source;
};

G_DEFINE_FINAL_TYPE (HlStoreWatch, hl_store_watch, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
emit_changed_cb (gpointer user_data)
{
  HlStoreWatch *self = user_data;

  self->changed_source = 0;
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

void
hl_store_watch_queue (HlStoreWatch *self)
{
  g_return_if_fail (HL_IS_STORE_WATCH (self));

  if (self->changed_source == 0)
    self->changed_source = g_timeout_add (self->delay_ms, emit_changed_cb, self);
}

static void
on_file_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      hl_store_watch_queue (HL_STORE_WATCH (user_data));
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    default:
      break;
    }
}

static GFileMonitor *
monitor_file (HlStoreWatch *self,
              const char   *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GFileMonitor *monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, NULL);

  if (monitor != NULL)
    g_signal_connect_object (monitor, "changed", G_CALLBACK (on_file_changed_cb), self, 0);
  return monitor;
}

static void
stop_monitor (GFileMonitor **monitor)
{
  if (*monitor != NULL)
    g_file_monitor_cancel (*monitor);
  g_clear_object (monitor);
}

static void
hl_store_watch_finalize (GObject *object)
{
  HlStoreWatch *self = HL_STORE_WATCH (object);

  g_clear_handle_id (&self->changed_source, g_source_remove);
  stop_monitor (&self->wal_monitor);
  stop_monitor (&self->db_monitor);

  G_OBJECT_CLASS (hl_store_watch_parent_class)->finalize (object);
}

static void
hl_store_watch_class_init (HlStoreWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hl_store_watch_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hl_store_watch_init (HlStoreWatch *self)
{
}

HlStoreWatch *
hl_store_watch_new (const char *database,
                    guint       delay_ms)
{
  HlStoreWatch *self = g_object_new (HL_TYPE_STORE_WATCH, NULL);
  g_autofree char *wal = g_strconcat (database, "-wal", NULL);

  self->delay_ms = delay_ms;
  self->wal_monitor = monitor_file (self, wal);
  self->db_monitor = monitor_file (self, database);
  return self;
}
