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
  gint64        request;     /* the restore request of the load, ms */
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
  if (older->generation != self->generation || (self->loading && older->last != 0))
    return;
  /* The load brought every dropped month back. */
  if (self->loading)
    {
      self->loading = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self->load_button), TRUE);
      gtk_spinner_stop (self->spinner);
    }
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
  request->search = subnet == NULL;
  if (subnet != NULL)
    memcpy (request->subnet, subnet, HL_ID_LEN);
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

/* The node that holds the data directory takes the request up at its next
 * upkeep (hl_node_restore_check_request) and loads what is missing. */
static gpointer
request_func (HlForum       *forum,
              HlStore       *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  const gint64 *request = data;

  /* Every dropped month, not the one a hyperlinkctl archive load named. */
  if (!hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_RESTORE_SEGMENT, 0, error) ||
      !hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_RESTORE_WAIT_S, LOAD_WAIT_S,
                                     error) ||
      !hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_RESTORE_REQUEST, *request,
                                     error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
stop_loading (HlOlderHistory *self,
              const char     *why)
{
  gtk_label_set_text (self->label, why);
  self->loading = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->load_button), TRUE);
  gtk_spinner_stop (self->spinner);
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

/* The node's status document says how far the load is ("restore"). */
static void
on_status_cb (HlOlderHistory *self,
              GParamSpec     *pspec,
              HlNodeRunner   *runner)
{
  const char *text = hl_node_runner_get_status (runner);
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(HlRestoreProgress) p = NULL;
  g_autofree char *line = NULL;
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;
  JsonNode *member;

  if (!self->loading || text == NULL || !(status = hl_json_parse_object (text)) ||
      !(member = json_object_get_member (status, "restore")) ||
      !JSON_NODE_HOLDS_OBJECT (member) ||
      !(p = hl_restore_progress_from_json (json_node_get_object (member))) ||
      p->request != self->request)
    return;
  if (p->error != NULL)
    {
      /* Translators: %s is the node's sentence (which devices hold the rest) */
      line = g_strdup_printf (_("Could not load older history: %s"), p->error);
      stop_loading (self, line);
      return;
    }
  if (!p->active)
    return;   /* done: the store's change reads the line again */
  done = g_strdup_printf ("%u", p->segments_done);
  total = g_strdup_printf ("%u", p->segments);
  /* Translators: "Loading older history: 2 of 5 months" */
  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Loading older history: %s of %s month",
                                       "Loading older history: %s of %s months", p->segments),
                          done, total);
  gtk_label_set_text (self->label, line);
}

void
hl_older_history_set_runner (HlOlderHistory *self,
                             HlNodeRunner   *runner)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self));
  g_return_if_fail (HL_IS_NODE_RUNNER (runner));

  g_signal_connect_object (runner, "notify::status", G_CALLBACK (on_status_cb), self,
                           G_CONNECT_SWAPPED);
}

void
hl_older_history_load (HlOlderHistory *self)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self));

  if (self->forum == NULL || self->loading)
    return;
  self->loading = TRUE;
  self->request = g_get_real_time () / 1000;
  self->pending++;
  gtk_widget_set_sensitive (GTK_WIDGET (self->load_button), FALSE);
  gtk_spinner_start (self->spinner);
  gtk_label_set_text (self->label, _("Loading older history from your group…"));
  hl_forum_run_async (self->forum, request_func, g_memdup2 (&self->request, sizeof (gint64)),
                      g_free, NULL, self->cancellable, on_requested_cb, self);
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
