/* hl-older-history.c: "Older history: N threads from before <Month Year>".
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-older-history.h"

#include "hl-archive.h"
#include "hl-json.h"
#include "hl-node.h"
#include "hl-node-runner.h"
#include "hl-store-horizon.h"

#define LOAD_WAIT_S 20   /* for peers to connect, as hyperlinkctl archive load waits */

struct _HlOlderHistory
{
  GtkBox        parent_instance;

  HlForum      *forum;
  GCancellable *cancellable;
  GtkLabel     *label;
  GtkButton    *load_button;
  GtkSpinner   *spinner;
  char         *text;
  guint         generation;  /* of the latest read: older answers are dropped */
  guint         pending;
  gboolean      loading;
  gboolean      finishing;   /* the load ended: the next read says what is left */
  gboolean      shown_search;              /* what the line says: a search's, */
  guint8        shown_subnet[HL_ID_LEN];   /* or this subnet's */
  HlNodeRunner *runner;
  GArray       *queue;       /* the segments still to ask a hyperlinkd for */
  guint         months;      /* segments the load fetches */
  gint64        request;     /* the restore request asked of a hyperlinkd, ms */
};

G_DEFINE_FINAL_TYPE (HlOlderHistory, hl_older_history, GTK_TYPE_BOX)

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

static void
show (HlOlderHistory *self,
      const Older    *older)
{
  g_autofree char *before = NULL;
  g_autofree char *n = NULL;

  g_clear_pointer (&self->text, g_free);
  if (older->last == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  if (older->search)
    {
      n = g_strdup_printf ("%u", older->months);
      /* Translators: %s is a number of months */
      self->text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Not searched: %s archived month is not on "
                                                 "this device; matches there are not shown",
                                                 "Not searched: %s archived months are not on "
                                                 "this device; matches there are not shown",
                                                 older->months),
                                    n);
      gtk_label_set_text (self->label, self->text);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      return;
    }
  before = month_after (older->last);
  n = g_strdup_printf ("%" G_GUINT64_FORMAT, older->threads);
  /* Translators: the first %s is a number of threads, the second a month ("March 2026") */
  self->text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Older history: %s thread from before %s, stored "
                                             "across your group",
                                             "Older history: %s threads from before %s, stored "
                                             "across your group",
                                             (gulong) MIN (older->threads, G_MAXULONG)),
                                n, before);
  gtk_label_set_text (self->label, self->text);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void stop_loading (HlOlderHistory *self,
                          const char     *why);

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree Older *older = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlOlderHistory *self = user_data;

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
read_older (HlOlderHistory *self,
            const guint8   *subnet)
{
  Request *request = g_new0 (Request, 1);

  if (self->forum == NULL)
    {
      g_free (request);
      return;
    }
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
hl_older_history_set_subnet (HlOlderHistory *self,
                             const guint8   *subnet)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self));
  g_return_if_fail (subnet != NULL);

  read_older (self, subnet);
}

void
hl_older_history_set_search (HlOlderHistory *self)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self));

  read_older (self, NULL);
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
stop_loading (HlOlderHistory *self,
              const char     *why)
{
  if (why != NULL)
    gtk_label_set_text (self->label, why);
  self->loading = self->finishing = FALSE;
  g_clear_pointer (&self->queue, g_array_unref);
  gtk_widget_set_sensitive (GTK_WIDGET (self->load_button), TRUE);
  gtk_spinner_stop (self->spinner);
}

/* The load ended well: the line says what is still not here, if anything,
 * once read (until then it is loading). */
static void
loaded (HlOlderHistory *self)
{
  self->finishing = TRUE;
  g_clear_pointer (&self->queue, g_array_unref);
  read_older (self, self->shown_search ? NULL : self->shown_subnet);
}

static void
show_progress (HlOlderHistory *self,
               guint           done_n,
               guint           total_n)
{
  g_autofree char *line = NULL;
  g_autofree char *done = g_strdup_printf ("%u", done_n);
  g_autofree char *total = g_strdup_printf ("%u", total_n);

  /* Translators: "Loading older history: 2 of 5 months" */
  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Loading older history: %s of %s month",
                                       "Loading older history: %s of %s months", total_n),
                          done, total);
  gtk_label_set_text (self->label, line);
}

static void
show_failed (HlOlderHistory *self,
             const char     *why)
{
  /* Translators: %s is the node's sentence (which devices hold the rest) */
  g_autofree char *line = g_strdup_printf (_("Could not load older history: %s"), why);

  stop_loading (self, line);
}

static void
on_requested_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer done = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlOlderHistory *self = user_data;

  if (done == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (done == NULL)
    stop_loading (self, error->message);
}

/* Asks the hyperlinkd for the next month of the queue; FALSE: none left. */
static gboolean
request_next (HlOlderHistory *self)
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
on_status_cb (HlOlderHistory *self,
              GParamSpec     *pspec,
              HlNodeRunner   *runner)
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
  HlOlderHistory *self = user_data;

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
  HlOlderHistory *self = user_data;

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
  HlOlderHistory *self = user_data;

  if (segments == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (segments == NULL)
    {
      stop_loading (self, error->message);
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
hl_older_history_set_runner (HlOlderHistory *self,
                             HlNodeRunner   *runner)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self));
  g_return_if_fail (HL_IS_NODE_RUNNER (runner));

  g_set_object (&self->runner, runner);
  g_signal_connect_object (runner, "notify::status", G_CALLBACK (on_status_cb), self,
                           G_CONNECT_SWAPPED);
}

void
hl_older_history_load (HlOlderHistory *self)
{
  Shown *shown;

  g_return_if_fail (HL_IS_OLDER_HISTORY (self));

  if (self->forum == NULL || self->loading)
    return;
  self->loading = TRUE;
  self->pending++;
  gtk_widget_set_sensitive (GTK_WIDGET (self->load_button), FALSE);
  gtk_spinner_start (self->spinner);
  gtk_label_set_text (self->label, _("Loading older history from your group…"));
  shown = g_new0 (Shown, 1);
  shown->search = self->shown_search;
  memcpy (shown->subnet, self->shown_subnet, HL_ID_LEN);
  hl_forum_run_async (self->forum, segments_func, shown, g_free,
                      (GDestroyNotify) g_array_unref, self->cancellable, on_segments_cb, self);
}

static void
on_load_clicked_cb (HlOlderHistory *self)
{
  hl_older_history_load (self);
}

gboolean
hl_older_history_is_idle (HlOlderHistory *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY (self), FALSE);
  return self->pending == 0;
}

gboolean
hl_older_history_is_loading (HlOlderHistory *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY (self), FALSE);
  return self->loading;
}

const char *
hl_older_history_get_text (HlOlderHistory *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self)) ? self->text : NULL;
}

/* ---- the object ---- */

static void
hl_older_history_unroot (GtkWidget *widget)
{
  HlOlderHistory *self = HL_OLDER_HISTORY (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->forum);
  GTK_WIDGET_CLASS (hl_older_history_parent_class)->unroot (widget);
}

static void
hl_older_history_dispose (GObject *object)
{
  HlOlderHistory *self = HL_OLDER_HISTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->forum);
  g_clear_object (&self->runner);
  g_clear_pointer (&self->queue, g_array_unref);
  g_clear_pointer (&self->text, g_free);
  G_OBJECT_CLASS (hl_older_history_parent_class)->dispose (object);
}

static void
hl_older_history_class_init (HlOlderHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_older_history_dispose;
  GTK_WIDGET_CLASS (klass)->unroot = hl_older_history_unroot;
}

static void
hl_older_history_init (HlOlderHistory *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "dim-label");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->label));
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->spinner));
  self->load_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Load")));
  gtk_widget_set_valign (GTK_WIDGET (self->load_button), GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->load_button, "clicked", G_CALLBACK (on_load_clicked_cb),
                            self);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->load_button));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

HlOlderHistory *
hl_older_history_new (HlForum *forum)
{
  HlOlderHistory *self = g_object_new (HL_TYPE_OLDER_HISTORY, NULL);

  self->forum = g_object_ref (forum);
  return self;
}
