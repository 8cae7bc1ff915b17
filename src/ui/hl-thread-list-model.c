/* hl-thread-list-model.c: a subnet's threads, loaded page by page.
 *
 * A subnet may hold 100,000 threads. The model knows their number at once
 * (the store keeps a count per subnet) and creates an item only when the list
 * view asks for its position, so a big subnet costs what is on screen. Pages
 * load on workers; a reload re-reads only the pages looked at last and marks
 * the others stale, to be read again when they come back into view.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-thread-list-model.h"

#include "hl-post-item.h"

#define PAGE_SIZE        200
/* Pages re-read on a reload: more than a screen holds, however tall. */
#define N_RECENT_PAGES   4

typedef enum
{
  PAGE_NONE,     /* never read, or stale after a reload */
  PAGE_LOADING,
  PAGE_LOADED,
} PageState;

struct _HlThreadListModel
{
  GObject       parent_instance;

  HlForum      *forum;
  GCancellable *cancellable;
  gboolean      has_subnet;
  guint8        subnet[HL_ID_LEN];
  guint         generation;
  gboolean      loading;
  gboolean      reloading;
  gboolean      reload_again;

  GPtrArray    *items;        /* HlPostItem or NULL, one per position */
  GArray       *pages;        /* PageState */
  guint         recent[N_RECENT_PAGES];
  guint         n_recent;
  gboolean      page_in_flight;
};

static void hl_thread_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HlThreadListModel, hl_thread_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hl_thread_list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What a worker reads: the count, then @n_pages pages. */
typedef struct
{
  guint8     subnet[HL_ID_LEN];
  guint      generation;
  gboolean   count;       /* a reload; otherwise a single page */
  guint      pages[N_RECENT_PAGES];
  guint      n_pages;
  /* A single page next to one read: where it starts, by key (see
   * page_key()), instead of by position. */
  gboolean   has_key;
  gboolean   key_before;
  gint64     key_activity;
  guint8     key_id[HL_ID_LEN];
} Query;

typedef struct
{
  guint      generation;
  gboolean   is_page;
  gboolean   has_count;
  guint      count;
  guint      n_pages;
  guint      pages[N_RECENT_PAGES];
  GPtrArray *rows[N_RECENT_PAGES];
} Answer;

static void
answer_free (Answer *answer)
{
  for (guint i = 0; i < answer->n_pages; i++)
    g_clear_pointer (&answer->rows[i], g_ptr_array_unref);
  g_free (answer);
}

static gpointer
query_func (HlForum       *forum,
            HlStore       *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Query *query = data;
  Answer *answer = g_new0 (Answer, 1);

  answer->generation = query->generation;
  answer->is_page = !query->count;
  if (query->count)
    {
      g_autoptr(HlSubnetRow) row = hl_store_get_subnet (store, query->subnet, NULL);

      answer->has_count = TRUE;
      answer->count = row != NULL ? row->thread_count : 0;
    }
  for (guint i = 0; i < query->n_pages; i++)
    {
      GPtrArray *rows = query->has_key
        ? hl_store_list_threads_next (store, query->subnet, query->key_activity, query->key_id,
                                      query->key_before, PAGE_SIZE, error)
        : hl_store_list_threads (store, query->subnet, query->pages[i] * PAGE_SIZE, PAGE_SIZE,
                                 error);

      if (rows == NULL)
        {
          answer_free (answer);
          return NULL;
        }
      answer->pages[answer->n_pages] = query->pages[i];
      answer->rows[answer->n_pages++] = rows;
    }
  return answer;
}

static void
set_loading (HlThreadListModel *self,
             gboolean           loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_page_state (HlThreadListModel *self,
                guint              page,
                PageState          state)
{
  if (page >= self->pages->len)
    g_array_set_size (self->pages, page + 1);
  g_array_index (self->pages, PageState, page) = state;
}

static PageState
get_page_state (HlThreadListModel *self,
                guint              page)
{
  return page < self->pages->len ? g_array_index (self->pages, PageState, page) : PAGE_NONE;
}

static void
touch_page (HlThreadListModel *self,
            guint              page)
{
  guint i;

  for (i = 0; i < self->n_recent && self->recent[i] != page; i++)
    ;
  if (i == self->n_recent && self->n_recent < N_RECENT_PAGES)
    self->n_recent++;
  if (i == N_RECENT_PAGES)
    i--;
  memmove (&self->recent[1], &self->recent[0], i * sizeof (guint));
  self->recent[0] = page;
}

/* Changes the number of positions, at the end. */
static void
resize (HlThreadListModel *self,
        guint              n)
{
  guint old_n = self->items->len;

  if (n == old_n)
    return;
  g_ptr_array_set_size (self->items, n);
  if (n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), n, old_n - n, 0);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, n - old_n);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Threads new since the last count are on top (the list is by activity): if
 * the top page shows the old first items @delta places down, insert @delta
 * positions there, so the list view keeps the rows in view in place. */
static gboolean
insert_on_top (HlThreadListModel *self,
               guint              delta,
               GPtrArray         *top_rows)
{
  guint checked = 0;

  for (guint i = 0; i + delta < top_rows->len && i < self->items->len && checked < 8; i++)
    {
      HlPostItem *item = g_ptr_array_index (self->items, i);
      const HlPostRow *row = g_ptr_array_index (top_rows, i + delta);

      if (item == NULL || !hl_post_item_get_loaded (item))
        continue;
      if (!hl_post_item_has_id (item, row->id))
        return FALSE;
      checked++;
    }
  if (checked == 0)
    return FALSE;

  for (guint i = 0; i < delta; i++)
    g_ptr_array_insert (self->items, 0, NULL);
  /* Pages no longer line up with what was read: read them again when seen. */
  g_array_set_size (self->pages, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, delta);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return TRUE;
}

/* Puts the rows of @page in place: same thread, same item (updated); another
 * thread, a new item and an items-changed over the run of such positions. */
static void
set_item_row (HlThreadListModel *self,
              HlPostItem        *item,
              HlPostRow         *row,
              gboolean           mine)
{
  gboolean unread = !mine && hl_read_marks_is_unread (hl_forum_get_read_marks (self->forum),
                                                      row->id, row->last_activity_ms);

  hl_post_item_set_row (item, row, mine);
  hl_post_item_set_unread (item, unread);
}

static void
apply_page (HlThreadListModel *self,
            guint              page,
            GPtrArray         *rows)
{
  const guint8 *mine = hl_forum_get_key (self->forum);
  guint first = page * PAGE_SIZE;
  guint run_start = 0, run_len = 0;

  if (rows->len < PAGE_SIZE && first + rows->len < self->items->len)
    resize (self, first + rows->len);   /* the count was ahead of the list */
  else if (first + rows->len > self->items->len)
    resize (self, first + rows->len);

  for (guint i = 0; i <= rows->len; i++)
    {
      guint pos = first + i;
      HlPostRow *row = i < rows->len ? g_ptr_array_index (rows, i) : NULL;
      HlPostItem *item = row != NULL ? g_ptr_array_index (self->items, pos) : NULL;
      gboolean replaced = FALSE;

      if (row != NULL)
        {
          gboolean is_mine = memcmp (row->author, mine, HL_KEY_LEN) == 0;

          g_ptr_array_index (rows, i) = NULL;
          if (item != NULL && (!hl_post_item_get_loaded (item) || hl_post_item_has_id (item,
                                                                                       row->id)))
            set_item_row (self, item, row, is_mine);
          else if (item == NULL)
            {
              item = hl_post_item_new ();
              set_item_row (self, item, row, is_mine);
              g_ptr_array_index (self->items, pos) = item;
            }
          else
            {
              HlPostItem *fresh = hl_post_item_new ();

              set_item_row (self, fresh, row, is_mine);
              g_object_unref (item);
              g_ptr_array_index (self->items, pos) = fresh;
              replaced = TRUE;
            }
        }
      if (replaced)
        {
          if (run_len == 0)
            run_start = pos;
          run_len++;
        }
      else if (run_len > 0)
        {
          g_list_model_items_changed (G_LIST_MODEL (self), run_start, run_len, run_len);
          run_len = 0;
        }
    }
  set_page_state (self, page, PAGE_LOADED);
}

static void request_next_page (HlThreadListModel *self);

static void
on_query_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HlThreadListModel) self = user_data;
  g_autoptr(GError) error = NULL;
  Answer *answer = hl_forum_run_finish (HL_FORUM (object), result, &error);

  if (answer == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Not fatal: the next change or a new page request tries again. */
      g_message ("Cannot read the threads: %s", error->message);
      self->reloading = FALSE;
      self->page_in_flight = FALSE;
      g_array_set_size (self->pages, 0);
      set_loading (self, FALSE);
      return;
    }
  if (answer->is_page)
    self->page_in_flight = FALSE;
  if (answer->generation != self->generation)
    {
      gboolean was_page = answer->is_page;

      answer_free (answer);
      if (was_page)
        request_next_page (self);
      return;
    }

  if (answer->has_count)
    {
      guint old_n = self->items->len;

      if (answer->count > old_n && old_n > 0 && answer->n_pages > 0 && answer->pages[0] == 0 &&
          insert_on_top (self, answer->count - old_n, answer->rows[0]))
        ;
      else
        resize (self, answer->count);
      self->reloading = FALSE;
    }
  for (guint i = 0; i < answer->n_pages; i++)
    apply_page (self, answer->pages[i], answer->rows[i]);
  answer_free (answer);

  set_loading (self, FALSE);
  if (self->reload_again)
    {
      self->reload_again = FALSE;
      hl_thread_list_model_reload (self);
    }
  request_next_page (self);
}

static void
run_query (HlThreadListModel *self,
           Query             *query)
{
  query->generation = self->generation;
  memcpy (query->subnet, self->subnet, HL_ID_LEN);
  hl_forum_read_async (self->forum, query_func, query, g_free, (GDestroyNotify) answer_free,
                       self->cancellable, on_query_done_cb, g_object_ref (self));
}

/* The loaded item at @pos, or NULL. */
static HlPostItem *
loaded_item (HlThreadListModel *self,
             guint              pos)
{
  HlPostItem *item = pos < self->items->len ? g_ptr_array_index (self->items, pos) : NULL;

  return item != NULL && hl_post_item_get_loaded (item) ? item : NULL;
}

/* Deep in a million threads, reading a page by its position skips half a
 * million index entries; next to a page already read, it starts from that
 * page's last (or first) thread instead. A full page in between keeps the
 * positions right: a neighbour marked loaded holds all its rows. */
static void
page_key (HlThreadListModel *self,
          Query             *query,
          guint              page)
{
  HlPostItem *item = NULL;

  if (page > 0 && get_page_state (self, page - 1) == PAGE_LOADED)
    item = loaded_item (self, page * PAGE_SIZE - 1);
  query->key_before = item == NULL;
  if (item == NULL && get_page_state (self, page + 1) == PAGE_LOADED)
    item = loaded_item (self, (page + 1) * PAGE_SIZE);
  if (item == NULL)
    return;
  query->has_key = TRUE;
  query->key_activity = hl_post_item_get_row (item)->last_activity_ms;
  memcpy (query->key_id, hl_post_item_get_row (item)->id, HL_ID_LEN);
}

/* One page query at a time, for the page looked at last: scrolling fast
 * through 100,000 threads asks for hundreds of pages, and reading them all
 * would only keep the workers (and the CPU the frames need) busy with pages
 * long gone from the screen. A page passed over is read if it comes back. */
static void
request_next_page (HlThreadListModel *self)
{
  Query *query;

  if (self->page_in_flight || !self->has_subnet)
    return;
  for (guint i = 0; i < self->n_recent; i++)
    {
      guint page = self->recent[i];

      if (get_page_state (self, page) != PAGE_NONE || page * PAGE_SIZE >= self->items->len)
        continue;
      set_page_state (self, page, PAGE_LOADING);
      self->page_in_flight = TRUE;
      query = g_new0 (Query, 1);
      query->pages[0] = page;
      query->n_pages = 1;
      page_key (self, query, page);
      run_query (self, query);
      return;
    }
}

static void
request_page (HlThreadListModel *self,
              guint              page)
{
  touch_page (self, page);
  request_next_page (self);
}

static GType
hl_thread_list_model_get_item_type (GListModel *model)
{
  return HL_TYPE_POST_ITEM;
}

static guint
hl_thread_list_model_get_n_items (GListModel *model)
{
  return HL_THREAD_LIST_MODEL (model)->items->len;
}

static gpointer
hl_thread_list_model_get_item (GListModel *model,
                               guint       position)
{
  HlThreadListModel *self = HL_THREAD_LIST_MODEL (model);
  HlPostItem *item;

  if (position >= self->items->len)
    return NULL;
  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      item = hl_post_item_new ();
      g_ptr_array_index (self->items, position) = item;
    }
  request_page (self, position / PAGE_SIZE);
  return g_object_ref (item);
}

static void
hl_thread_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = hl_thread_list_model_get_item_type;
  iface->get_n_items = hl_thread_list_model_get_n_items;
  iface->get_item = hl_thread_list_model_get_item;
}

static void
hl_thread_list_model_dispose (GObject *object)
{
  HlThreadListModel *self = HL_THREAD_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->forum);

  G_OBJECT_CLASS (hl_thread_list_model_parent_class)->dispose (object);
}

static void
hl_thread_list_model_finalize (GObject *object)
{
  HlThreadListModel *self = HL_THREAD_LIST_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_array_unref);

  G_OBJECT_CLASS (hl_thread_list_model_parent_class)->finalize (object);
}

static void
hl_thread_list_model_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HlThreadListModel *self = HL_THREAD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_thread_list_model_class_init (HlThreadListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_thread_list_model_dispose;
  object_class->finalize = hl_thread_list_model_finalize;
  object_class->get_property = hl_thread_list_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* Positions never asked for hold NULL. */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
hl_thread_list_model_init (HlThreadListModel *self)
{
  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func (unref_item);
  self->pages = g_array_new (FALSE, TRUE, sizeof (PageState));
}

HlThreadListModel *
hl_thread_list_model_new (HlForum *forum)
{
  HlThreadListModel *self;

  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_THREAD_LIST_MODEL, NULL);
  self->forum = g_object_ref (forum);
  return self;
}

void
hl_thread_list_model_set_subnet (HlThreadListModel *self,
                                 const guint8      *subnet)
{
  g_return_if_fail (HL_IS_THREAD_LIST_MODEL (self));

  if (subnet != NULL && self->has_subnet && memcmp (subnet, self->subnet, HL_ID_LEN) == 0)
    return;
  if (subnet == NULL && !self->has_subnet)
    return;

  self->generation++;
  self->reloading = FALSE;
  self->reload_again = FALSE;
  self->page_in_flight = FALSE;
  self->n_recent = 0;
  g_array_set_size (self->pages, 0);
  resize (self, 0);
  self->has_subnet = subnet != NULL;
  if (subnet == NULL)
    {
      set_loading (self, FALSE);
      return;
    }
  memcpy (self->subnet, subnet, HL_ID_LEN);
  set_loading (self, TRUE);
  hl_thread_list_model_reload (self);
}

const guint8 *
hl_thread_list_model_get_subnet (HlThreadListModel *self)
{
  g_return_val_if_fail (HL_IS_THREAD_LIST_MODEL (self), NULL);
  return self->has_subnet ? self->subnet : NULL;
}

gboolean
hl_thread_list_model_get_loading (HlThreadListModel *self)
{
  g_return_val_if_fail (HL_IS_THREAD_LIST_MODEL (self), FALSE);
  return self->loading;
}

void
hl_thread_list_model_reload (HlThreadListModel *self)
{
  Query *query;

  g_return_if_fail (HL_IS_THREAD_LIST_MODEL (self));

  if (!self->has_subnet)
    return;
  /* One reload at a time; changes during it are picked up right after. */
  if (self->reloading)
    {
      self->reload_again = TRUE;
      return;
    }
  self->reloading = TRUE;
  self->generation++;

  query = g_new0 (Query, 1);
  query->count = TRUE;
  /* The top page always, to see new threads; then the pages in view. */
  query->pages[query->n_pages++] = 0;
  for (guint i = 0; i < self->n_recent && query->n_pages < N_RECENT_PAGES; i++)
    if (self->recent[i] != 0)
      query->pages[query->n_pages++] = self->recent[i];
  g_array_set_size (self->pages, 0);
  for (guint i = 0; i < query->n_pages; i++)
    set_page_state (self, query->pages[i], PAGE_LOADING);
  run_query (self, query);
}

void
hl_thread_list_model_notify_times (HlThreadListModel *self)
{
  g_return_if_fail (HL_IS_THREAD_LIST_MODEL (self));

  /* Rows on screen belong to the pages asked for last; the others rebind
   * (and read the time afresh) when they come back into view. */
  for (guint r = 0; r < self->n_recent; r++)
    for (guint i = self->recent[r] * PAGE_SIZE;
         i < MIN ((self->recent[r] + 1) * PAGE_SIZE, self->items->len); i++)
      if (g_ptr_array_index (self->items, i) != NULL)
        hl_post_item_notify_time (g_ptr_array_index (self->items, i));
}

guint
hl_thread_list_model_find (HlThreadListModel *self,
                           const guint8      *id)
{
  g_return_val_if_fail (HL_IS_THREAD_LIST_MODEL (self), G_MAXUINT);

  for (guint i = 0; i < self->items->len; i++)
    {
      HlPostItem *item = g_ptr_array_index (self->items, i);

      if (item != NULL && hl_post_item_has_id (item, id))
        return i;
    }
  return G_MAXUINT;
}
