/* hl-ingest.c: a reader, a pool of verifiers, and one writer.
 *
 * Ed25519 verification costs more than applying an event, so it runs on
 * every core while the calling thread, the only one that touches SQLite,
 * applies finished chunks in input order, a transaction per chunk.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ingest.h"

#define CHUNK_LINES       2048
#define EVENTS_PER_COMMIT 16384
#define MAX_HOLD_US       (G_USEC_PER_SEC / 2)
#define EVENTS_PER_CHUNK  256

typedef struct
{
  GPtrArray *lines;        /* char *, NULL for a blank line; or NULL with given */
  guint64    first_line;
  HlEvent  **events;       /* verified events, or NULL where the line was refused */
  GError   **errors;
  HlEvent *const *given;   /* or events decoded already, the caller's, checked in place */
  gboolean  *given_ok;
  guint      n_given;
  gint64     now_ms;
  gint64     max_future_ms;
  gboolean   done;
} Chunk;

typedef struct
{
  GMutex mutex;
  GCond  cond;
} Sync;

static void
chunk_free (Chunk *chunk)
{
  if (chunk->lines == NULL)
    {
      g_free (chunk);
      return;
    }
  for (guint i = 0; i < chunk->lines->len; i++)
    {
      g_clear_pointer (&chunk->events[i], hl_event_free);
      g_clear_error (&chunk->errors[i]);
    }
  g_ptr_array_unref (chunk->lines);
  g_free (chunk->events);
  g_free (chunk->errors);
  g_free (chunk);
}

static void
verify_chunk (gpointer data,
              gpointer user_data)
{
  Chunk *chunk = data;
  Sync *sync = user_data;

  for (guint i = 0; i < chunk->n_given; i++)
    chunk->given_ok[i] = hl_event_verify (chunk->given[i], chunk->now_ms, chunk->max_future_ms,
                                          NULL);
  for (guint i = 0; chunk->lines != NULL && i < chunk->lines->len; i++)
    {
      const char *line = g_ptr_array_index (chunk->lines, i);
      g_autoptr(HlEvent) event = NULL;

      if (line == NULL)
        continue;
      event = hl_event_from_json_text (line, -1, &chunk->errors[i]);
      if (event != NULL &&
          hl_event_verify (event, chunk->now_ms, chunk->max_future_ms, &chunk->errors[i]))
        chunk->events[i] = g_steal_pointer (&event);
    }

  g_mutex_lock (&sync->mutex);
  chunk->done = TRUE;
  g_cond_broadcast (&sync->cond);
  g_mutex_unlock (&sync->mutex);
}

static gboolean
apply_chunk (HlStore             *store,
             Chunk               *chunk,
             HlIngestStats       *stats,
             HlIngestRejectFunc   on_reject,
             gpointer             user_data,
             GError             **error)
{
  g_autoptr(GPtrArray) good = g_ptr_array_new ();
  g_autofree HlAcceptResult *results = NULL;

  for (guint i = 0; i < chunk->lines->len; i++)
    {
      if (chunk->events[i] != NULL)
        g_ptr_array_add (good, chunk->events[i]);
      else if (chunk->errors[i] != NULL)
        {
          stats->rejected++;
          if (on_reject != NULL)
            on_reject (chunk->first_line + i, chunk->errors[i], user_data);
        }
    }

  results = g_new0 (HlAcceptResult, MAX (good->len, 1));
  if (!hl_store_apply_in_batch (store, (HlEvent *const *) good->pdata, good->len, results, error))
    return FALSE;
  for (guint i = 0; i < good->len; i++)
    {
      if (results[i] == HL_ACCEPT_NEW)
        stats->accepted++;
      else
        stats->duplicates++;
    }
  return TRUE;
}

/* Blank lines (only JSON white space) separate nothing and are skipped. */
static gboolean
is_blank_line (const char *line)
{
  return line[strspn (line, " \t\r\n")] == '\0';
}

static Chunk *
read_chunk (GDataInputStream  *input,
            guint64           *line_no,
            GCancellable      *cancellable,
            GError           **error)
{
  Chunk *chunk = g_new0 (Chunk, 1);

  chunk->lines = g_ptr_array_new_with_free_func (g_free);
  chunk->first_line = *line_no + 1;

  while (chunk->lines->len < CHUNK_LINES)
    {
      g_autoptr(GError) local_error = NULL;
      gsize len;
      char *line = g_data_input_stream_read_line (input, &len, cancellable, &local_error);

      if (line == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              chunk->events = g_new0 (HlEvent *, 1);
              chunk->errors = g_new0 (GError *, 1);
              chunk_free (chunk);
              return NULL;
            }
          break;
        }
      (*line_no)++;
      /* The line goes to the reader as it is: white space around the object
       * is JSON's to judge (docs/protocol.md, "JSON form"). */
      if (is_blank_line (line))
        g_clear_pointer (&line, g_free);
      g_ptr_array_add (chunk->lines, line);
    }

  chunk->events = g_new0 (HlEvent *, MAX (chunk->lines->len, 1));
  chunk->errors = g_new0 (GError *, MAX (chunk->lines->len, 1));
  return chunk;
}

/* Waits until @chunk is verified or @deadline_us (monotonic) passes. */
static gboolean
wait_done_until (Sync   *sync,
                 Chunk  *chunk,
                 gint64  deadline_us)
{
  gboolean done;

  g_mutex_lock (&sync->mutex);
  while (!chunk->done && g_cond_wait_until (&sync->cond, &sync->mutex, deadline_us))
    ;
  done = chunk->done;
  g_mutex_unlock (&sync->mutex);
  return done;
}

static void
wait_done (Sync  *sync,
           Chunk *chunk)
{
  g_mutex_lock (&sync->mutex);
  while (!chunk->done)
    g_cond_wait (&sync->cond, &sync->mutex);
  g_mutex_unlock (&sync->mutex);
}

gboolean
hl_ingest_stream (HlStore             *store,
                  GInputStream        *stream,
                  guint                n_workers,
                  HlIngestStats       *stats,
                  HlIngestRejectFunc   on_reject,
                  gpointer             user_data,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (stream);
  g_autoptr(GQueue) pending = g_queue_new ();
  GThreadPool *pool;
  Sync sync;
  guint64 line_no = 0;
  guint window, uncommitted = 0;
  gint64 batch_start_us = 0;
  gboolean ok = TRUE, eof = FALSE, in_batch = FALSE;

  memset (stats, 0, sizeof *stats);
  if (n_workers == 0)
    n_workers = MAX (1, g_get_num_processors ());
  window = 2 * n_workers + 2;   /* bounds memory: chunks read but not yet applied */

  g_mutex_init (&sync.mutex);
  g_cond_init (&sync.cond);
  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  pool = g_thread_pool_new (verify_chunk, &sync, (int) n_workers, FALSE, NULL);
  if (!hl_store_set_bulk_mode (store, TRUE, error))
    eof = TRUE, ok = FALSE;

  while (ok && (!eof || !g_queue_is_empty (pending)))
    {
      if (!eof && g_queue_get_length (pending) < window)
        {
          Chunk *chunk = read_chunk (input, &line_no, cancellable, error);

          if (chunk == NULL)
            {
              ok = FALSE;
              break;
            }
          if (chunk->lines->len == 0)
            {
              eof = TRUE;
              chunk_free (chunk);
              continue;
            }
          chunk->now_ms = hl_now_ms ();
          chunk->max_future_ms = hl_store_get_max_future_ms (store);
          g_queue_push_tail (pending, chunk);
          g_thread_pool_push (pool, chunk, NULL);
          continue;
        }

      {
        Chunk *head = g_queue_pop_head (pending);

        /* The writer usually waits for the verifiers. Committing at each
         * wait would make many small transactions, each writing the same
         * index pages again; other processes need the write lock too, so it
         * is held across waits only until the transaction is MAX_HOLD_US
         * old. */
        if (in_batch && !wait_done_until (&sync, head, batch_start_us + MAX_HOLD_US))
          {
            in_batch = FALSE;
            uncommitted = 0;
            ok = hl_store_commit_batch (store, error);
          }
        wait_done (&sync, head);
        if (ok && !in_batch)
          {
            ok = in_batch = hl_store_begin_batch (store, error);
            batch_start_us = g_get_monotonic_time ();
          }
        if (ok)
          ok = apply_chunk (store, head, stats, on_reject, user_data, error);
        uncommitted += head->lines->len;
        chunk_free (head);

        if (ok && uncommitted >= EVENTS_PER_COMMIT)
          {
            in_batch = FALSE;
            uncommitted = 0;
            ok = hl_store_commit_batch (store, error);
          }
      }
    }
  if (in_batch)
    {
      if (ok)
        ok = hl_store_commit_batch (store, error);
      else
        hl_store_abort_batch (store);
    }

  /* On failure, let the workers finish before their chunks are freed. */
  g_thread_pool_free (pool, FALSE, TRUE);
  g_queue_free_full (g_steal_pointer (&pending), (GDestroyNotify) chunk_free);
  g_mutex_clear (&sync.mutex);
  g_cond_clear (&sync.cond);
  if (!hl_store_set_bulk_mode (store, FALSE, ok ? error : NULL))
    ok = FALSE;
  if (ok)
    ok = hl_store_flush_deletions (store, error);
  return ok;
}

gboolean
hl_ingest_events_in_batch (HlStore         *store,
                           HlEvent *const  *events,
                           guint            n_events,
                           guint            n_workers,
                           gboolean        *ok,
                           HlAcceptResult  *results,
                           gint64          *wait_us,
                           GError         **error)
{
  g_autoptr(GPtrArray) chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) chunk_free);
  g_autofree HlEvent **good = g_new (HlEvent *, EVENTS_PER_CHUNK);
  g_autofree HlAcceptResult *applied = g_new (HlAcceptResult, EVENTS_PER_CHUNK);
  GThreadPool *pool;
  Sync sync;
  gboolean fine = TRUE;
  gint64 waited = 0;

  if (n_workers == 0)
    n_workers = MAX (1, g_get_num_processors ());
  g_mutex_init (&sync.mutex);
  g_cond_init (&sync.cond);
  pool = g_thread_pool_new (verify_chunk, &sync, (int) n_workers, FALSE, NULL);
  /* Small chunks, so that the writer starts after the first one: the rest
   * are checked while it applies. */
  for (guint from = 0; from < n_events; from += EVENTS_PER_CHUNK)
    {
      Chunk *chunk = g_new0 (Chunk, 1);

      chunk->given = events + from;
      chunk->given_ok = ok + from;
      chunk->n_given = MIN (EVENTS_PER_CHUNK, n_events - from);
      chunk->now_ms = hl_now_ms ();
      chunk->max_future_ms = hl_store_get_max_future_ms (store);
      g_ptr_array_add (chunks, chunk);
      g_thread_pool_push (pool, chunk, NULL);
    }
  for (guint c = 0; fine && c < chunks->len; c++)
    {
      Chunk *chunk = g_ptr_array_index (chunks, c);
      guint n_good = 0, k = 0;
      gint64 t0 = g_get_monotonic_time ();

      wait_done (&sync, chunk);
      waited += g_get_monotonic_time () - t0;
      for (guint i = 0; i < chunk->n_given; i++)
        if (chunk->given_ok[i])
          good[n_good++] = chunk->given[i];
      fine = hl_store_apply_in_batch (store, good, n_good, applied, error);
      for (guint i = 0; fine && i < chunk->n_given; i++)
        results[chunk->given - events + i] = chunk->given_ok[i] ? applied[k++]
                                                                 : HL_ACCEPT_REJECTED;
    }
  /* On failure, let the workers finish before their chunks are freed. */
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&sync.mutex);
  g_cond_clear (&sync.cond);
  if (wait_us != NULL)
    *wait_us = waited;
  return fine;
}
