/* hl-older-history-item.c: "Older history: N threads from before <Month Year>",
 * and loading it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-older-history-item.h"

#include "hl-archive.h"
#include "hl-json.h"
#include "hl-node.h"
#include "hl-store-horizon.h"

#define LOAD_WAIT_S 20   /* for peers to connect, as hyperlinkctl archive load waits */

struct _HlOlderHistoryItem
{
  GObject       parent_instance;

  HlForum      *forum;
  GCancellable *cancellable;
  char         *text;        /* the line shown */
  char         *before;      /* "March 2026", of the last read of a subnet */
  guint64       threads;
  gboolean      shown;
  gboolean      loading;
  gboolean      finishing;   /* the load ended: the next read says what is left */
  gboolean      cleared;     /* nothing is to be shown, even after a load */
  guint         generation;  /* of the latest read: older answers are dropped */
  guint         pending;
  gboolean      shown_search;              /* what the line says: a search's, */
  guint8        shown_subnet[HL_ID_LEN];   /* or this subnet's */
  HlNodeRunner *runner;
  GArray       *queue;       /* the segments still to ask a hyperlinkd for */
  guint         months;      /* segments the load fetches */
  gint64        request;     /* the restore request asked of a hyperlinkd, ms */
};

G_DEFINE_FINAL_TYPE (HlOlderHistoryItem, hl_older_history_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SHOWN,
  PROP_TEXT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_text (HlOlderHistoryItem *self,
          const char         *text)
{
  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

static void
set_shown (HlOlderHistoryItem *self,
           gboolean            shown)
{
  if (self->shown == shown)
    return;
  self->shown = shown;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN]);
}

static void
set_loading (HlOlderHistoryItem *self,
             gboolean            loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- what is dropped ---- */

typedef struct
{
  gboolean search;   /* every subnet, for a search; else the one in @subnet */
  guint8   subnet[HL_ID_LEN];
  guint    generation;
} Request;

typedef struct
{
  gboolean search;
  guint    generation;
  guint64  threads;
  guint    months;
  guint    last;      /* year * 100 + month of the newest dropped month; 0 none */
} Older;

static gpointer
read_func (HlForum       *forum,
           HlStore       *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  const Request *request = data;
  g_autoptr(GArray) ranges = hl_store_horizon_list (store, request->search ? NULL
                                                                           : request->subnet,
                                                    TRUE, error);
  Older *older;

  if (ranges == NULL)
    return NULL;
  older = g_new0 (Older, 1);
  older->search = request->search;
  older->generation = request->generation;
  older->months = ranges->len;
  for (guint i = 0; i < ranges->len; i++)
    {
      const HlHorizonRange *r = &g_array_index (ranges, HlHorizonRange, i);

      older->threads += r->threads;
      older->last = MAX (older->last, r->month);
    }
  return older;
}

/* "March 2026": the month after the newest dropped one, in the locale's words. */
static char *
month_after (guint ym)
{
  guint year = ym / 100, month = ym % 100;
  g_autoptr(GDateTime) when = NULL;

  hl_archive_month_next (&year, &month);
  when = g_date_time_new_utc ((gint) year, (gint) month, 1, 0, 0, 0);
  /* Translators: a month and year, see strftime(3): "March 2026" */
  return g_date_time_format (when, _("%B %Y"));
}

static char *
search_line (guint months)
{
  g_autofree char *n = g_strdup_printf ("%u", months);

  /* Translators: %s is a number of months */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Not searched: %s archived month is not on "
                                       "this device; matches there are not shown",
                                       "Not searched: %s archived months are not on "
                                       "this device; matches there are not shown",
                                       months),
                          n);
}

static char *
subnet_line (guint64     threads,
             const char *before)
{
  g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, threads);

  /* Translators: the first %s is a number of threads, the second a month ("March 2026") */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Older history: %s thread from before %s, stored "
                                       "across your group",
                                       "Older history: %s threads from before %s, stored "
                                       "across your group",
                                       (gulong) MIN (threads, G_MAXULONG)),
                          n, before);
}

static void
show (HlOlderHistoryItem *self,
      const Older        *older)
{
  g_autofree char *line = NULL;

  g_clear_pointer (&self->before, g_free);
  self->threads = older->threads;
  if (older->last == 0)
    {
      set_shown (self, FALSE);
      set_text (self, NULL);
      return;
    }
  if (older->search)
    line = search_line (older->months);
  else
    {
      self->before = month_after (older->last);
      line = subnet_line (older->threads, self->before);
    }
  set_text (self, line);
  set_shown (self, TRUE);
}

static void stop_loading (HlOlderHistoryItem *self,
                          const char         *why);

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree Older *older = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlOlderHistoryItem *self = user_data;

  if (older == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (older == NULL)
    {
      g_warning ("Could not read the history not on this device: %s", error->message);
      return;
    }
  if (older->generation != self->generation ||
      (self->loading && !self->finishing && older->last != 0))
    return;
  /* The load ended, or brought every dropped month back. */
  if (self->loading)
    stop_loading (self, NULL);
  show (self, older);
}

static void
read_older (HlOlderHistoryItem *self,
            const guint8       *subnet)
{
  Request *request;

  if (self->forum == NULL)
    return;
  /* Another subnet's line is not shown while this one's is read; the
   * same one's stays (a read after every change would make it blink). */
  if (!self->loading &&
      (self->shown_search != (subnet == NULL) ||
       (subnet != NULL && memcmp (self->shown_subnet, subnet, HL_ID_LEN) != 0)))
    {
      set_shown (self, FALSE);
      set_text (self, NULL);
    }
  self->cleared = FALSE;
  request = g_new0 (Request, 1);
  request->search = self->shown_search = subnet == NULL;
  if (subnet != NULL)
    {
      memcpy (request->subnet, subnet, HL_ID_LEN);
      memmove (self->shown_subnet, subnet, HL_ID_LEN);
    }
  request->generation = ++self->generation;
  self->pending++;
  hl_forum_run_async (self->forum, read_func, request, g_free, g_free, self->cancellable,
                      on_read_cb, self);
}

void
hl_older_history_item_set_subnet (HlOlderHistoryItem *self,
                                  const guint8       *subnet)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY_ITEM (self));
  g_return_if_fail (subnet != NULL);

  read_older (self, subnet);
}

void
hl_older_history_item_set_search (HlOlderHistoryItem *self)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY_ITEM (self));

  read_older (self, NULL);
}

void
hl_older_history_item_clear (HlOlderHistoryItem *self)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY_ITEM (self));

  self->cleared = TRUE;
  self->generation++;
  set_shown (self, FALSE);
  set_text (self, NULL);
}

/* ---- Load ---- */

/* Load fetches the months shown, not every month this device lacks: those
 * of the subnet whose list the line ends, or for a search every dropped
 * one. The window's own node is asked directly (hl_node_runner_load_async,
 * all months at once); a hyperlinkd holding the data directory is asked
 * through the database, one month at a time, as hyperlinkctl archive load
 * asks it (HL_ARCHIVE_SETTING_RESTORE_SEGMENT). */

typedef struct
{
  gboolean search;
  guint8   subnet[HL_ID_LEN];
} Shown;

/* The current segments (archive_segments rowids) of the months dropped
 * here that @data (a Shown) names. */
static gpointer
segments_func (HlForum       *forum,
               HlStore       *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  const Shown *shown = data;
  g_autoptr(GArray) ranges = hl_store_horizon_list (store, shown->search ? NULL : shown->subnet,
                                                    TRUE, error);
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (ranges == NULL)
    return NULL;
  for (guint i = 0; i < ranges->len; i++)
    {
      const HlHorizonRange *r = &g_array_index (ranges, HlHorizonRange, i);
      g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (store, r->subnet, r->month,
                                                                  error);

      if (rows == NULL)
        return NULL;
      for (guint j = 0; j < rows->len; j++)
        {
          const HlSegmentRow *row = g_ptr_array_index (rows, j);

          if (row->state == HL_SEGMENT_CURRENT)
            g_array_append_val (segments, row->rowid);
        }
    }
  return g_steal_pointer (&segments);
}

/* The request a hyperlinkd takes up at its next upkeep
 * (hl_node_restore_check_request): one segment. */
typedef struct
{
  gint64 request;
  gint64 segment;
} Asked;

static gpointer
request_func (HlForum       *forum,
              HlStore       *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  const Asked *asked = data;

  if (!hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_RESTORE_WAIT_S, LOAD_WAIT_S,
                                     error) ||
      !hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_RESTORE_SEGMENT, asked->segment,
                                     error) ||
      !hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_RESTORE_REQUEST, asked->request,
                                     error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
stop_loading (HlOlderHistoryItem *self,
              const char         *why)
{
  if (why != NULL)
    set_text (self, why);
  self->finishing = FALSE;
  g_clear_pointer (&self->queue, g_array_unref);
  set_loading (self, FALSE);
}

/* The load ended well: the line says what is still not here, if anything,
 * once read (until then it is loading). */
static void
loaded (HlOlderHistoryItem *self)
{
  self->finishing = TRUE;
  g_clear_pointer (&self->queue, g_array_unref);
  if (self->cleared)
    {
      stop_loading (self, NULL);
      return;
    }
  read_older (self, self->shown_search ? NULL : self->shown_subnet);
}

static void
show_progress (HlOlderHistoryItem *self,
               guint               done_n,
               guint               total_n)
{
  g_autofree char *line = NULL;
  g_autofree char *done = g_strdup_printf ("%u", done_n);
  g_autofree char *total = g_strdup_printf ("%u", total_n);

  /* Translators: "Loading older history: 2 of 5 months" */
  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Loading older history: %s of %s month",
                                       "Loading older history: %s of %s months", total_n),
                          done, total);
  if (!self->cleared)
    set_text (self, line);
}

static void
show_failed (HlOlderHistoryItem *self,
             const char         *why)
{
  /* Translators: %s is the node's sentence (which devices hold the rest) */
  g_autofree char *line = g_strdup_printf (_("Could not load older history: %s"), why);

  stop_loading (self, self->cleared ? NULL : line);
}

static void
on_requested_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer done = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlOlderHistoryItem *self = user_data;

  if (done == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (done == NULL)
    show_failed (self, error->message);
}

/* Asks the hyperlinkd for the next month of the queue; FALSE: none left. */
static gboolean
request_next (HlOlderHistoryItem *self)
{
  Asked *asked;

  if (self->queue == NULL || self->queue->len == 0)
    return FALSE;
  asked = g_new0 (Asked, 1);
  asked->segment = g_array_index (self->queue, gint64, 0);
  g_array_remove_index (self->queue, 0);
  /* A new id for each month: the node takes a request up when it changes. */
  self->request = MAX (g_get_real_time () / 1000, self->request + 1);
  asked->request = self->request;
  self->pending++;
  hl_forum_run_async (self->forum, request_func, asked, g_free, NULL, self->cancellable,
                      on_requested_cb, self);
  return TRUE;
}

/* The hyperlinkd's status document says how far its load is ("restore"). */
static void
on_status_cb (HlOlderHistoryItem *self,
              GParamSpec         *pspec,
              HlNodeRunner       *runner)
{
  const char *text = hl_node_runner_get_status (runner);
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(HlRestoreProgress) p = NULL;
  JsonNode *member;

  if (!self->loading || self->queue == NULL || text == NULL ||
      !(status = hl_json_parse_object (text)) ||
      !(member = json_object_get_member (status, "restore")) ||
      !JSON_NODE_HOLDS_OBJECT (member) ||
      !(p = hl_restore_progress_from_json (json_node_get_object (member))) ||
      p->request != self->request)
    return;
  if (p->error != NULL)
    show_failed (self, p->error);
  else if (p->active)
    show_progress (self, self->months - self->queue->len - 1, self->months);
  else if (!request_next (self))
    loaded (self);
}

static void
on_load_progress (const HlRestoreProgress *p,
                  gpointer                 user_data)
{
  HlOlderHistoryItem *self = user_data;

  if (self->loading && p->active && p->segments > 0)
    show_progress (self, p->segments_done, p->segments);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlRestoreProgress) p = hl_node_runner_restore_finish (HL_NODE_RUNNER (object),
                                                                  result, &error);
  HlOlderHistoryItem *self = user_data;

  if (p == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (p == NULL)
    show_failed (self, error->message);
  else
    loaded (self);
}

static void
on_segments_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) segments = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlOlderHistoryItem *self = user_data;

  if (segments == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (segments == NULL)
    {
      show_failed (self, error->message);
      return;
    }
  if (segments->len == 0)
    {
      loaded (self);
      return;
    }
  self->months = segments->len;
  if (self->runner != NULL &&
      hl_node_runner_get_state (self->runner) == HL_NODE_RUNNER_RUNNING)
    {
      self->pending++;
      hl_node_runner_load_async (self->runner, (const gint64 *) segments->data, segments->len,
                                 LOAD_WAIT_S, on_load_progress, self, self->cancellable,
                                 on_loaded_cb, self);
      return;
    }
  self->queue = g_steal_pointer (&segments);
  request_next (self);
}

void
hl_older_history_item_set_runner (HlOlderHistoryItem *self,
                                  HlNodeRunner       *runner)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY_ITEM (self));
  g_return_if_fail (HL_IS_NODE_RUNNER (runner));

  if (self->runner == runner)
    return;
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_set_object (&self->runner, runner);
  g_signal_connect_object (runner, "notify::status", G_CALLBACK (on_status_cb), self,
                           G_CONNECT_SWAPPED);
}

void
hl_older_history_item_load (HlOlderHistoryItem *self)
{
  Shown *shown;

  g_return_if_fail (HL_IS_OLDER_HISTORY_ITEM (self));

  if (self->forum == NULL || self->loading || !self->shown)
    return;
  set_loading (self, TRUE);
  self->pending++;
  set_text (self, _("Loading older history from your group…"));
  shown = g_new0 (Shown, 1);
  shown->search = self->shown_search;
  memcpy (shown->subnet, self->shown_subnet, HL_ID_LEN);
  hl_forum_run_async (self->forum, segments_func, shown, g_free,
                      (GDestroyNotify) g_array_unref, self->cancellable, on_segments_cb, self);
}

/* ---- getters ---- */

gboolean
hl_older_history_item_get_shown (HlOlderHistoryItem *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY_ITEM (self), FALSE);
  return self->shown;
}

const char *
hl_older_history_item_get_text (HlOlderHistoryItem *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY_ITEM (self), NULL);
  return self->shown ? self->text : NULL;
}

gboolean
hl_older_history_item_get_loading (HlOlderHistoryItem *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY_ITEM (self), FALSE);
  return self->loading;
}

guint64
hl_older_history_item_get_threads (HlOlderHistoryItem *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY_ITEM (self), 0);
  return self->shown ? self->threads : 0;
}

const char *
hl_older_history_item_get_before (HlOlderHistoryItem *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY_ITEM (self), NULL);
  return self->shown ? self->before : NULL;
}

gboolean
hl_older_history_item_is_idle (HlOlderHistoryItem *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY_ITEM (self), FALSE);
  return self->pending == 0;
}

/* ---- the object ---- */

static void
hl_older_history_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HlOlderHistoryItem *self = HL_OLDER_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case PROP_SHOWN:
      g_value_set_boolean (value, self->shown);
      break;
    case PROP_TEXT:
      g_value_set_string (value, hl_older_history_item_get_text (self));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_older_history_item_dispose (GObject *object)
{
  HlOlderHistoryItem *self = HL_OLDER_HISTORY_ITEM (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->forum);
  g_clear_object (&self->runner);
  G_OBJECT_CLASS (hl_older_history_item_parent_class)->dispose (object);
}

static void
hl_older_history_item_finalize (GObject *object)
{
  HlOlderHistoryItem *self = HL_OLDER_HISTORY_ITEM (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->queue, g_array_unref);
  g_free (self->text);
  g_free (self->before);
  G_OBJECT_CLASS (hl_older_history_item_parent_class)->finalize (object);
}

static void
hl_older_history_item_class_init (HlOlderHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_older_history_item_dispose;
  object_class->finalize = hl_older_history_item_finalize;
  object_class->get_property = hl_older_history_item_get_property;

  properties[PROP_SHOWN] =
    g_param_spec_boolean ("shown", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_older_history_item_init (HlOlderHistoryItem *self)
{
  self->cancellable = g_cancellable_new ();
}

HlOlderHistoryItem *
hl_older_history_item_new (HlForum *forum)
{
  HlOlderHistoryItem *self;

  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_OLDER_HISTORY_ITEM, NULL);
  self->forum = g_object_ref (forum);
  return self;
}
