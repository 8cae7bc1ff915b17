/* hl-verifier.c: Ed25519 checks off the main loop.
 *
 * A signature check costs more than applying the event, so frames go to a
 * pool of threads and come back to the main context, which alone touches
 * the store.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-verifier.h"

#include "hl-error.h"
#include "hl-event.h"
#include "hl-sync-wire.h"

struct _HlVerifier
{
  GThreadPool      *pool;
  GMainContext     *context;
  HlVerifyDoneFunc  done;
  gpointer          user_data;
  GAsyncQueue      *finished;     /* HlVerifyJob *, back from the workers */
  GSource          *source;       /* drains @finished on @context */
  gint              pending;      /* atomic */
};

typedef struct
{
  HlVerifyJob  job;
  GBytes      *frame;
  gint64       max_future_ms;
  HlVerifier  *verifier;
} Work;

static void
work_free (Work *work)
{
  g_clear_pointer (&work->frame, g_bytes_unref);
  g_clear_pointer (&work->job.events, g_ptr_array_unref);
  g_free (work->job.first_error);
  g_free (work);
}

static void
verify_work (gpointer data,
             gpointer user_data)
{
  Work *work = data;
  HlVerifier *self = user_data;
  gsize len;
  const guint8 *p = g_bytes_get_data (work->frame, &len);
  const guint8 *end = p + len;
  gint64 now = hl_now_ms ();

  p++;  /* the frame type */
  while (p < end)
    {
      g_autoptr(GError) error = NULL;
      HlEvent *event = NULL;

      if (!hl_sync_get_event (&p, end, now, work->max_future_ms, &event, &error))
        {
          work->job.broken = TRUE;
          work->job.n_offences++;
          if (work->job.first_error == NULL)
            work->job.first_error = g_strdup (error->message);
          break;
        }
      if (event != NULL)
        {
          g_ptr_array_add (work->job.events, event);
          continue;
        }
      work->job.n_refused++;
      /* A clock far ahead or a newer format can come from an honest relay;
       * forged ids, bad signatures and garbage cannot. */
      if (!g_error_matches (error, HL_CORE_ERROR, HL_CORE_ERROR_FUTURE) &&
          !g_error_matches (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION))
        work->job.n_offences++;
      if (work->job.first_error == NULL)
        work->job.first_error = g_strdup (error->message);
    }
  g_clear_pointer (&work->frame, g_bytes_unref);
  g_async_queue_push (self->finished, work);
  g_main_context_wakeup (self->context);
}

static gboolean
drain_finished (gpointer user_data)
{
  HlVerifier *self = user_data;
  Work *work;

  while ((work = g_async_queue_try_pop (self->finished)) != NULL)
    {
      g_atomic_int_dec_and_test (&self->pending);
      self->done (&work->job, self->user_data);
      work_free (work);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
finished_prepare (GSource *source,
                  gint    *timeout)
{
  HlVerifier *self = *(HlVerifier **) (source + 1);

  *timeout = -1;
  return g_async_queue_length (self->finished) > 0;
}

static gboolean
finished_check (GSource *source)
{
  HlVerifier *self = *(HlVerifier **) (source + 1);

  return g_async_queue_length (self->finished) > 0;
}

static gboolean
finished_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs finished_funcs = {
  finished_prepare, finished_check, finished_dispatch, NULL, NULL, NULL,
};

HlVerifier *
hl_verifier_new (guint             n_threads,
                 HlVerifyDoneFunc  done,
                 gpointer          user_data)
{
  HlVerifier *self = g_new0 (HlVerifier, 1);

  self->context = g_main_context_ref_thread_default ();
  self->done = done;
  self->user_data = user_data;
  self->finished = g_async_queue_new ();
  self->pool = g_thread_pool_new (verify_work, self, (int) MAX (n_threads, 1), FALSE, NULL);
  self->source = g_source_new (&finished_funcs, sizeof (GSource) + sizeof (HlVerifier *));
  *(HlVerifier **) (self->source + 1) = self;
  g_source_set_callback (self->source, drain_finished, self, NULL);
  g_source_set_name (self->source, "hl-verifier");
  g_source_attach (self->source, self->context);
  return self;
}

void
hl_verifier_push (HlVerifier *self,
                  guint64     peer_id,
                  GBytes     *frame,
                  gint64      max_future_ms)
{
  Work *work = g_new0 (Work, 1);

  work->job.peer_id = peer_id;
  work->job.frame_len = g_bytes_get_size (frame);
  work->job.events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  work->frame = g_bytes_ref (frame);
  work->max_future_ms = max_future_ms;
  work->verifier = self;
  g_atomic_int_inc (&self->pending);
  g_thread_pool_push (self->pool, work, NULL);
}

guint
hl_verifier_pending (HlVerifier *self)
{
  return (guint) g_atomic_int_get (&self->pending);
}

void
hl_verifier_free (HlVerifier *self)
{
  if (self == NULL)
    return;
  g_thread_pool_free (self->pool, FALSE, TRUE);
  drain_finished (self);
  g_source_destroy (self->source);
  g_source_unref (self->source);
  g_async_queue_unref (self->finished);
  g_main_context_unref (self->context);
  g_free (self);
}
