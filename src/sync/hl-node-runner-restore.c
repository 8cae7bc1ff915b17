/* hl-node-runner-restore.c: a restore, or a load of some segments, by the
 * window's node, as a GTask.
 *
 * The node lives on the runner's thread: the restore is started there, its
 * progress read there by a timer and copied to the caller's context, and a
 * cancellation is passed there too. A Restore is shared by both threads:
 * the GTask is touched on the caller's thread only.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-node-runner-private.h"
#include "hl-sync-error.h"

#define PROGRESS_MS 250

typedef struct
{
  gatomicrefcount        ref;
  Channel               *channel;
  GTask                 *task;           /* caller's thread; NULL once returned */
  HlRestoreProgressFunc  progress;
  gpointer               progress_data;
  guint                  wait_s;
  GArray                *segments;       /* a load's archive_segments rowids; NULL a restore */
  gulong                 cancel_id;
  GSource               *timer;          /* node thread */
  gboolean               ended;          /* node thread: the last progress was posted */
} Restore;

typedef struct
{
  Restore           *restore;
  HlRestoreProgress *progress;
  gboolean           last;
} Report;

static Restore *
restore_ref (Restore *r)
{
  g_atomic_ref_count_inc (&r->ref);
  return r;
}

static void
restore_unref (Restore *r)
{
  if (!g_atomic_ref_count_dec (&r->ref))
    return;
  /* Returned by then, but for a context dropped with its messages. */
  g_clear_object (&r->task);
  hl_runner_channel_unref (r->channel);
  g_clear_pointer (&r->segments, g_array_unref);
  g_free (r);
}

/* ---- the caller's thread ---- */

static void
return_result (Restore           *r,
               HlRestoreProgress *p)
{
  g_autoptr(GTask) task = g_steal_pointer (&r->task);

  if (task == NULL)
    return;
  g_cancellable_disconnect (g_task_get_cancellable (task), r->cancel_id);
  if (p == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                             "The node stopped before the restore ended");
  else if (p->cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The restore was cancelled");
  else if (p->error != NULL)
    g_task_return_new_error (task, HL_SYNC_ERROR, p->error_code ? p->error_code : HL_SYNC_ERROR_FAILED,
                             "%s", p->error);
  else
    g_task_return_pointer (task, hl_restore_progress_copy (p),
                           (GDestroyNotify) hl_restore_progress_free);
}

static gboolean
deliver_cb (gpointer data)
{
  Report *report = data;
  Restore *r = report->restore;

  if (r->task == NULL)
    return G_SOURCE_REMOVE;
  if (report->progress != NULL && r->progress != NULL)
    r->progress (report->progress, r->progress_data);
  if (report->last)
    return_result (r, report->progress);
  return G_SOURCE_REMOVE;
}

static void
report_free (Report *report)
{
  restore_unref (report->restore);
  hl_restore_progress_free (report->progress);
  g_free (report);
}

/* From the node thread. */
static void
post (Restore                 *r,
      const HlRestoreProgress *p,
      gboolean                 last)
{
  Report *report = g_new0 (Report, 1);

  report->restore = restore_ref (r);
  report->progress = p ? hl_restore_progress_copy (p) : NULL;
  report->last = last;
  g_main_context_invoke_full (r->channel->owner, G_PRIORITY_DEFAULT, deliver_cb, report,
                              (GDestroyNotify) report_free);
}

/* ---- the node thread ---- */

static gboolean
timer_cb (gpointer data)
{
  Restore *r = data;
  const HlRestoreProgress *p = r->channel->node ? hl_node_restore_progress (r->channel->node) : NULL;

  if (p == NULL)
    return G_SOURCE_CONTINUE;   /* stopping: the destroy notify says so */
  r->ended = !p->active;
  post (r, p, r->ended);
  return r->ended ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* The timer ends with the restore, or with the node thread's context. */
static void
timer_destroyed (gpointer data)
{
  Restore *r = data;

  if (!r->ended)
    post (r, NULL, TRUE);
  restore_unref (r);
}

static gboolean
start_cb (gpointer data)
{
  Restore *r = data;
  const HlRestoreProgress *p;

  if (r->channel->node == NULL || (p = hl_node_restore_progress (r->channel->node)) == NULL)
    {
      HlRestoreProgress failed = { .error = (char *) "the archive is off here (HYPERLINK_ARCHIVE=0)",
                                   .error_code = HL_SYNC_ERROR_FAILED };

      r->ended = TRUE;
      post (r, r->channel->node ? &failed : NULL, TRUE);
      return G_SOURCE_REMOVE;
    }
  if (r->segments != NULL)
    hl_node_load_start (r->channel->node, (const gint64 *) r->segments->data, r->segments->len,
                        r->wait_s);
  else
    hl_node_restore_start (r->channel->node, r->wait_s);
  r->timer = g_timeout_source_new (PROGRESS_MS);
  g_source_set_callback (r->timer, timer_cb, restore_ref (r), timer_destroyed);
  g_source_attach (r->timer, r->channel->context);
  g_source_unref (r->timer);
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_cb (gpointer data)
{
  Restore *r = data;

  if (r->channel->node != NULL)
    hl_node_restore_cancel (r->channel->node);
  return G_SOURCE_REMOVE;
}

/* Any thread (GCancellable). */
static void
on_cancelled_cb (GCancellable *cancellable,
                 Restore      *r)
{
  g_main_context_invoke_full (r->channel->context, G_PRIORITY_DEFAULT, cancel_cb, restore_ref (r),
                              (GDestroyNotify) restore_unref);
}

/* ---- public API ---- */

static void
start_async (HlNodeRunner          *self,
             const gint64          *segments,
             guint                  n_segments,
             guint                  wait_s,
             HlRestoreProgressFunc  progress,
             gpointer               progress_data,
             GCancellable          *cancellable,
             GAsyncReadyCallback    callback,
             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Channel *channel;
  Restore *r;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_node_runner_restore_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  if ((channel = hl_node_runner_get_channel (self)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               "No node runs in this window (stopped, or another program "
                               "syncs the data directory: use hyperlinkctl archive restore)");
      return;
    }
  r = g_new0 (Restore, 1);
  g_atomic_ref_count_init (&r->ref);
  r->channel = hl_runner_channel_ref (channel);
  r->task = g_steal_pointer (&task);
  r->progress = progress;
  r->progress_data = progress_data;
  r->wait_s = wait_s;
  if (segments != NULL)
    {
      r->segments = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_segments);
      g_array_append_vals (r->segments, segments, n_segments);
    }
  if (cancellable != NULL)
    r->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb),
                                          restore_ref (r), (GDestroyNotify) restore_unref);
  g_main_context_invoke_full (channel->context, G_PRIORITY_DEFAULT, start_cb, r,
                              (GDestroyNotify) restore_unref);
}

void
hl_node_runner_restore_async (HlNodeRunner          *self,
                              guint                  wait_s,
                              HlRestoreProgressFunc  progress,
                              gpointer               progress_data,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  g_return_if_fail (HL_IS_NODE_RUNNER (self));

  start_async (self, NULL, 0, wait_s, progress, progress_data, cancellable, callback,
               user_data);
}

void
hl_node_runner_load_async (HlNodeRunner          *self,
                           const gint64          *segments,
                           guint                  n_segments,
                           guint                  wait_s,
                           HlRestoreProgressFunc  progress,
                           gpointer               progress_data,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  g_return_if_fail (HL_IS_NODE_RUNNER (self));
  g_return_if_fail (segments != NULL && n_segments > 0);

  start_async (self, segments, n_segments, wait_s, progress, progress_data, cancellable,
               callback, user_data);
}

HlRestoreProgress *
hl_node_runner_restore_finish (HlNodeRunner  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
