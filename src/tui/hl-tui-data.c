/* hl-tui-data.c: what the terminal client reads from the store and writes.
 *
 * Reads run on the main thread, on the client's own connection: they are
 * page queries served by indexes (hl-store-query.c), a millisecond or two,
 * and in WAL mode they never wait for the node's writes. A subnet's threads
 * are read a page of 100 at a time, only the pages the screen shows, and at
 * most eight pages are kept, so a subnet of 100,000 threads costs what is on
 * screen. Writes (publishing) run on a worker with a connection of its own,
 * since the node's thread may hold the write lock for a moment.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

#include "hl-error.h"
#include "hl-paths.h"

/* Enough to take a burst of writes (a sync round) as one change. */
#define CHANGED_DELAY_MS 150

/* ---- opening ---- */

gboolean
hl_tui_data_open (HlTui   *self,
                  GError **error)
{
  g_autofree char *identity_path = hl_paths_identity (self->data_dir);
  g_autofree char *marks_path = g_build_filename (self->data_dir, HL_READ_MARKS_FILE, NULL);

  if (!hl_paths_ensure_data_dir (self->data_dir, error) ||
      !(self->identity = hl_identity_load_or_create (identity_path, NULL, error)) ||
      !(self->store = hl_store_open (self->database, error)))
    return FALSE;
  memcpy (self->key, hl_identity_get_public_key (self->identity), HL_KEY_LEN);
  self->key_hex = hl_identity_dup_public_hex (self->identity);
  self->marks = hl_read_marks_new (marks_path);
  self->state = g_key_file_new ();
  self->state_path = g_build_filename (self->data_dir, HL_TUI_STATE_FILE, NULL);
  g_key_file_load_from_file (self->state, self->state_path, G_KEY_FILE_NONE, NULL);
  return TRUE;
}

static void
drop_pages (HlTuiThreads *threads)
{
  for (guint i = 0; i < threads->n_pages; i++)
    g_clear_pointer (&threads->pages[i].rows, g_ptr_array_unref);
  threads->n_pages = 0;
}

void
hl_tui_data_close (HlTui *self)
{
  g_clear_object (&self->watch);
  drop_pages (&self->threads);
  g_clear_pointer (&self->threads.results, g_ptr_array_unref);
  g_clear_pointer (&self->threads.query, g_free);
  g_clear_pointer (&self->subnets, g_ptr_array_unref);
  g_clear_object (&self->marks);
  g_clear_pointer (&self->state, g_key_file_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->identity, hl_identity_free);
}

/* ---- news from other processes and our node ---- */

void
hl_tui_reload_all (HlTui *self)
{
  hl_tui_reload_subnets (self);
  hl_tui_threads_reload (self);
  if (self->threads.query != NULL)
    hl_tui_search (self, self->threads.query);
  hl_tui_posts_reload (self);
  if (self->view == HL_TUI_VIEW_PEERS)
    hl_tui_peers_refresh (self);
  hl_tui_queue_draw (self);
}

static void
on_store_changed_cb (HlTui *self)
{
  hl_tui_reload_all (self);
}

/* What peers send, and what other processes write, shows without a key
 * pressed. As the window does (hl-forum.c). */
void
hl_tui_data_watch (HlTui *self)
{
  self->watch = hl_store_watch_new (self->database, CHANGED_DELAY_MS);
  g_signal_connect_swapped (self->watch, "changed", G_CALLBACK (on_store_changed_cb), self);
}

/* ---- subnets ---- */

static gboolean
find_subnet (HlTui        *self,
             const guint8 *id,
             guint        *position)
{
  for (guint i = 0; self->subnets != NULL && i < self->subnets->len; i++)
    {
      const HlSubnetRow *row = g_ptr_array_index (self->subnets, i);

      if (memcmp (row->id, id, HL_ID_LEN) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

void
hl_tui_reload_subnets (HlTui *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *subnets = hl_store_list_subnets (self->store, &error);
  guint position;

  if (subnets == NULL)
    {
      hl_tui_show_message (self, TRUE, "Cannot read the subnets: %s", error->message);
      return;
    }
  g_clear_pointer (&self->subnets, g_ptr_array_unref);
  self->subnets = subnets;
  if (self->pending_subnet && find_subnet (self, self->pending_subnet_id, &position))
    {
      self->pending_subnet = FALSE;
      hl_tui_end_search (self);
      hl_tui_open_subnet (self, self->pending_subnet_id);
      self->focus = self->view == HL_TUI_VIEW_BROWSE ? HL_TUI_PANE_THREADS : self->focus;
    }
  if (!self->threads.has_subnet && subnets->len > 0 && self->screen != NULL)
    {
      /* The first subnets of a new device arrive from its peers: show them. */
      hl_tui_open_subnet (self, ((HlSubnetRow *) g_ptr_array_index (subnets, 0))->id);
      if (self->focus == HL_TUI_PANE_SUBNETS)
        self->focus = HL_TUI_PANE_THREADS;
    }
  if (self->threads.has_subnet && find_subnet (self, self->threads.subnet, &position))
    self->subnet_cursor.sel = position;
  else if (self->subnet_cursor.sel >= subnets->len)
    self->subnet_cursor.sel = subnets->len > 0 ? subnets->len - 1 : 0;
}

const HlSubnetRow *
hl_tui_current_subnet (HlTui *self)
{
  guint position;

  if (!self->threads.has_subnet || !find_subnet (self, self->threads.subnet, &position))
    return NULL;
  return g_ptr_array_index (self->subnets, position);
}

/* The store keeps a live thread count per subnet: known at once, however
 * many threads there are. */
static guint
count_threads (HlTui        *self,
               const guint8 *subnet,
               gboolean     *exists)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlSubnetRow) row = hl_store_get_subnet (self->store, subnet, &error);

  *exists = row != NULL;
  return row != NULL ? row->thread_count : 0;
}

void
hl_tui_open_subnet (HlTui        *self,
                    const guint8 *subnet)
{
  HlTuiThreads *threads = &self->threads;
  gboolean exists;
  guint position;

  drop_pages (threads);
  threads->cursor = (HlTuiCursor) { 0, 0 };
  threads->has_subnet = subnet != NULL;
  threads->count = 0;
  if (subnet == NULL)
    return;
  memcpy (threads->subnet, subnet, HL_ID_LEN);
  threads->count = count_threads (self, subnet, &exists);
  if (find_subnet (self, subnet, &position))
    self->subnet_cursor.sel = position;
}

/* ---- a subnet's threads, a page at a time ---- */

static HlTuiPage *
find_page (HlTuiThreads *threads,
           guint         index)
{
  for (guint i = 0; i < threads->n_pages; i++)
    if (threads->pages[i].index == index)
      {
        threads->pages[i].used = ++threads->clock;
        return &threads->pages[i];
      }
  return NULL;
}

/* A slot for a new page: a free one, else the one used longest ago. */
static HlTuiPage *
take_slot (HlTuiThreads *threads)
{
  HlTuiPage *oldest;

  if (threads->n_pages < HL_TUI_MAX_PAGES)
    return &threads->pages[threads->n_pages++];
  oldest = &threads->pages[0];
  for (guint i = 1; i < threads->n_pages; i++)
    if (threads->pages[i].used < oldest->used)
      oldest = &threads->pages[i];
  g_clear_pointer (&oldest->rows, g_ptr_array_unref);
  return oldest;
}

void
hl_tui_threads_prepare (HlTui *self,
                        guint  first,
                        guint  last)
{
  HlTuiThreads *threads = &self->threads;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint lo = G_MAXUINT, hi = 0;

  if (!threads->has_subnet || threads->count == 0 || first >= threads->count)
    return;
  last = MIN (last, threads->count - 1);
  for (guint page = first / HL_TUI_PAGE_ROWS; page <= last / HL_TUI_PAGE_ROWS; page++)
    if (find_page (threads, page) == NULL)
      {
        lo = MIN (lo, page);
        hi = MAX (hi, page);
      }
  if (lo == G_MAXUINT)
    return;
  /* One query for the pages the screen lacks: at the end of 100,000 threads
   * each query skips its offset in the index, and that is its cost. */
  rows = hl_store_list_threads (self->store, threads->subnet, lo * HL_TUI_PAGE_ROWS,
                                (hi - lo + 1) * HL_TUI_PAGE_ROWS, &error);
  if (rows == NULL)
    {
      hl_tui_show_message (self, TRUE, "Cannot read the threads: %s", error->message);
      return;
    }
  for (guint page = lo; page <= hi; page++)
    {
      guint start = (page - lo) * HL_TUI_PAGE_ROWS;
      HlTuiPage *slot;

      if (find_page (threads, page) != NULL)
        continue;
      slot = take_slot (threads);
      slot->index = page;
      slot->used = ++threads->clock;
      slot->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_post_row_free);
      for (guint i = start; i < MIN (rows->len, start + HL_TUI_PAGE_ROWS); i++)
        g_ptr_array_add (slot->rows, g_steal_pointer (&g_ptr_array_index (rows, i)));
    }
}

const HlPostRow *
hl_tui_thread_at (HlTui *self,
                  guint  position)
{
  HlTuiThreads *threads = &self->threads;
  HlTuiPage *page;

  if (!threads->has_subnet || position >= threads->count)
    return NULL;
  if ((page = find_page (threads, position / HL_TUI_PAGE_ROWS)) == NULL)
    {
      hl_tui_threads_prepare (self, position, position);
      page = find_page (threads, position / HL_TUI_PAGE_ROWS);
    }
  if (page == NULL || position % HL_TUI_PAGE_ROWS >= page->rows->len)
    return NULL;
  return g_ptr_array_index (page->rows, position % HL_TUI_PAGE_ROWS);
}

/* After a change: new threads come on top (the list is by activity), so
 * the selected thread is looked for where it would have moved to, and the
 * rows in view stay put unless the top of the list is in view. */
void
hl_tui_threads_reload (HlTui *self)
{
  HlTuiThreads *threads = &self->threads;
  const HlPostRow *row;
  guint8 selected[HL_ID_LEN];
  gboolean had = FALSE, exists;
  guint old_count = threads->count, old_sel = threads->cursor.sel;

  if (!threads->has_subnet)
    return;
  if ((row = hl_tui_thread_at (self, old_sel)) != NULL)
    {
      memcpy (selected, row->id, HL_ID_LEN);
      had = TRUE;
    }
  drop_pages (threads);
  threads->count = count_threads (self, threads->subnet, &exists);
  if (!exists)
    {
      /* Deleted meanwhile: show another, or none. */
      const HlSubnetRow *other = self->subnets != NULL && self->subnets->len > 0
                                 ? g_ptr_array_index (self->subnets, MIN (self->subnet_cursor.sel,
                                                                          self->subnets->len - 1))
                                 : NULL;

      hl_tui_open_subnet (self, other != NULL ? other->id : NULL);
      return;
    }
  if (had)
    {
      guint moved = old_sel + (threads->count > old_count ? threads->count - old_count : 0);
      guint candidates[] = { moved, old_sel };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        if ((row = hl_tui_thread_at (self, candidates[i])) != NULL &&
            memcmp (row->id, selected, HL_ID_LEN) == 0)
          {
            if (threads->cursor.top > 0)
              threads->cursor.top += candidates[i] - old_sel;
            threads->cursor.sel = candidates[i];
            break;
          }
    }
  if (threads->cursor.sel >= threads->count)
    threads->cursor.sel = threads->count > 0 ? threads->count - 1 : 0;
  if (threads->cursor.top > threads->cursor.sel)
    threads->cursor.top = threads->cursor.sel;
}

/* ---- search ---- */

void
hl_tui_search (HlTui      *self,
               const char *query)
{
  HlTuiThreads *threads = &self->threads;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (query);
  GPtrArray *results = hl_store_search (self->store, text, HL_TUI_SEARCH_MAX, &error);
  gboolean again = g_strcmp0 (threads->query, text) == 0;

  if (results == NULL)
    {
      hl_tui_show_message (self, TRUE, "Cannot search for “%s”: %s", text, error->message);
      return;
    }
  g_clear_pointer (&threads->results, g_ptr_array_unref);
  g_free (threads->query);
  threads->query = g_steal_pointer (&text);
  threads->results = results;
  if (!again)
    threads->result_cursor = (HlTuiCursor) { 0, 0 };
  else if (threads->result_cursor.sel >= results->len)
    threads->result_cursor.sel = results->len > 0 ? results->len - 1 : 0;
}

void
hl_tui_end_search (HlTui *self)
{
  g_clear_pointer (&self->threads.query, g_free);
  g_clear_pointer (&self->threads.results, g_ptr_array_unref);
}

/* ---- what is open, for next time ---- */

void
hl_tui_remember (HlTui *self)
{
  char hex[HL_ID_HEX_LEN + 1];

  if (self->state == NULL)
    return;
  if (self->threads.has_subnet)
    {
      hl_hex_encode (self->threads.subnet, HL_ID_LEN, hex);
      g_key_file_set_string (self->state, "tui", "subnet", hex);
    }
  if (self->posts.has_thread)
    {
      hl_hex_encode (self->posts.thread, HL_ID_LEN, hex);
      g_key_file_set_string (self->state, "tui", "thread", hex);
    }
  else
    g_key_file_remove_key (self->state, "tui", "thread", NULL);
}

/* At quit only: a write (and its fsync) per subnet selected would cost more
 * than the page read. Losing it costs where the client opens next time. */
void
hl_tui_save_state (HlTui *self)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  if (self->state == NULL)
    return;
  hl_tui_remember (self);
  text = g_key_file_to_data (self->state, &len, NULL);
  g_file_set_contents_full (self->state_path, text, (gssize) len, G_FILE_SET_CONTENTS_NONE,
                            0600, NULL);
}

/* ---- writing ---- */

typedef struct
{
  char             *database;
  HlIdentity       *identity;   /* the client's; only read */
  char             *kind;
  gboolean          has_ref;
  guint8            ref[HL_ID_LEN];
  char             *body;
  HlTuiPublishFunc  func;
  gpointer          data;
  GDestroyNotify    data_free;
} Publish;

static void
publish_free (Publish *publish)
{
  if (publish->data_free != NULL)
    publish->data_free (publish->data);
  g_free (publish->database);
  g_free (publish->kind);
  g_free (publish->body);
  g_free (publish);
}

static void
publish_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Publish *publish = task_data;
  GError *error = NULL;
  g_autoptr(HlStore) store = hl_store_open (publish->database, &error);
  g_autoptr(HlEvent) event = NULL;

  if (store == NULL ||
      !(event = hl_store_publish (store, publish->identity, publish->kind,
                                  publish->has_ref ? publish->ref : NULL, publish->body, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, hl_event_id_hex (event), g_free);
}

static void
on_published_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HlTui *self = HL_TUI (object);
  Publish *publish = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  publish->func (self, id, error, publish->data);
}

void
hl_tui_publish (HlTui            *self,
                const char       *kind,
                const guint8     *ref,
                const char       *body_json,
                HlTuiPublishFunc  func,
                gpointer          data,
                GDestroyNotify    data_free)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_published_cb, NULL);
  Publish *publish = g_new0 (Publish, 1);

  publish->database = g_strdup (self->database);
  publish->identity = self->identity;
  publish->kind = g_strdup (kind);
  publish->has_ref = ref != NULL;
  if (ref != NULL)
    memcpy (publish->ref, ref, HL_ID_LEN);
  publish->body = g_strdup (body_json);
  publish->func = func;
  publish->data = data;
  publish->data_free = data_free;
  g_task_set_task_data (task, publish, (GDestroyNotify) publish_free);
  g_task_run_in_thread (task, publish_thread);
}
