/* hl-thread-row.c: a thread in a subnet's list.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-thread-row.h"
#include "hl-ui-util.h"

struct _HlThreadRow
{
  GtkWidget       parent_instance;

  HlPostItem     *item;
  gulong          notify_handler;

  GtkWidget      *grid;
  /* Inscriptions, not labels: their size does not depend on their text, so
   * a rebind neither lays the text out to measure it nor resizes the list. */
  GtkInscription *title_label;
  GtkInscription *when_label;
  GtkInscription *summary_label;
  GtkWidget      *unread_image;
  GtkWidget      *pending_image;
};

G_DEFINE_FINAL_TYPE (HlThreadRow, hl_thread_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_when (HlThreadRow *self)
{
  g_autofree char *when = NULL;

  g_object_get (self->item, "when", &when, NULL);
  gtk_inscription_set_text (self->when_label, when);
}

/* Measures @text with @layout and keeps the widest width seen. */
static void
widen_to (PangoLayout *layout,
          char        *text,
          int         *widest)
{
  int width;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &width, NULL);
  *widest = MAX (*widest, width);
  g_free (text);
}

/* The widest text hl_format_relative_time() gives in this locale, in Pango
 * units: every count of minutes and hours, and every month with each
 * two-digit day, in this year and another one (some 540 texts, about 10 ms
 * in a debug build, once). */
static int
widest_relative_time (PangoLayout *layout)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  int year = g_date_time_get_year (today);
  g_autoptr(GDateTime) end = g_date_time_new_local (year, 12, 31, 12, 0, 0);
  gint64 now_ms = g_date_time_to_unix (end) * 1000;
  int widest = 0;

  for (gint64 minutes = 0; minutes < 48 * 60; minutes += minutes < 60 ? 1 : 60)
    widen_to (layout, hl_format_relative_time (now_ms - minutes * 60000, now_ms), &widest);
  for (int y = year - 1; y <= year; y++)
    for (int month = 1; month <= 12; month++)
      for (int day = 10; day <= 28; day++)
        {
          g_autoptr(GDateTime) then = g_date_time_new_local (y, month, day, 12, 0, 0);

          widen_to (layout, hl_format_relative_time (g_date_time_to_unix (then) * 1000, now_ms),
                    &widest);
        }
  return widest;
}

/* The time column's width in GtkInscription's approximate characters (the
 * wider of its character and digit widths): enough for the widest relative
 * time of the locale, so "vor 23 Stunden" is not cut. Measured once per
 * process, as the locale does not change while it runs, and the same for
 * every row: a width that followed each row's text would resize the list
 * at every rebind while it scrolls. The ratio of text to character width
 * does not depend on the font's size, so the rows' own styles can change
 * after; one character spare covers the rounding of glyphs to pixels. */
static guint
when_chars (GtkWidget *label)
{
  static guint chars;

  if (chars == 0)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (label, NULL);
      PangoFontMetrics *metrics = pango_context_get_metrics (gtk_widget_get_pango_context (label),
                                                             NULL, NULL);
      int char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                            pango_font_metrics_get_approximate_digit_width (metrics));

      pango_font_metrics_unref (metrics);
      chars = (widest_relative_time (layout) + char_width - 1) / MAX (char_width, 1) + 1;
    }
  return chars;
}

/* Marks are always there, shown or not by their opacity: hiding a widget
 * queues a resize of the whole list (and of the panes above it), which at
 * every rebind while scrolling cost more than the rest of the frame. */
static void
show_mark (GtkWidget *mark,
           gboolean   shown)
{
  gtk_widget_set_opacity (mark, shown ? 1.0 : 0.0);
  gtk_widget_set_has_tooltip (mark, shown);
}

static void
update_unread (HlThreadRow *self)
{
  show_mark (self->unread_image, hl_post_item_get_unread (self->item));
}

static void
update_content (HlThreadRow *self)
{
  g_autofree char *summary = NULL;

  g_object_get (self->item, "summary", &summary, NULL);
  gtk_inscription_set_text (self->title_label, hl_post_item_get_title (self->item));
  gtk_inscription_set_text (self->summary_label, summary);
  show_mark (self->pending_image, hl_post_item_get_pending (self->item));
}

/* A placeholder (page still loading) shows empty labels of the same height. */
static void
update (HlThreadRow *self)
{
  update_content (self);
  update_when (self);
  update_unread (self);
}

/* One handler for the item's changes, not one per property: rows are
 * rebound every frame while the list scrolls fast, and connecting and
 * disconnecting a handler costs more than telling three names apart.
 * hl_post_item_set_row() notifies "loaded" with every other property. */
static void
on_item_notify_cb (HlPostItem  *item,
                   GParamSpec  *pspec,
                   HlThreadRow *self)
{
  const char *name = g_param_spec_get_name (pspec);

  if (strcmp (name, "loaded") == 0)
    update_content (self);
  else if (strcmp (name, "when") == 0)
    update_when (self);
  else if (strcmp (name, "unread") == 0)
    update_unread (self);
}

static void
clear_labels (HlThreadRow *self)
{
  gtk_inscription_set_text (self->title_label, "");
  gtk_inscription_set_text (self->when_label, "");
  gtk_inscription_set_text (self->summary_label, "");
  show_mark (self->unread_image, FALSE);
  show_mark (self->pending_image, FALSE);
}

static void
hl_thread_row_dispose (GObject *object)
{
  HlThreadRow *self = HL_THREAD_ROW (object);

  hl_thread_row_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_THREAD_ROW);

  G_OBJECT_CLASS (hl_thread_row_parent_class)->dispose (object);
}

static void
hl_thread_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HlThreadRow *self = HL_THREAD_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_thread_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HlThreadRow *self = HL_THREAD_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      hl_thread_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_thread_row_class_init (HlThreadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_thread_row_dispose;
  object_class->get_property = hl_thread_row_get_property;
  object_class->set_property = hl_thread_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, HL_TYPE_POST_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-thread-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HlThreadRow, grid);
  gtk_widget_class_bind_template_child (widget_class, HlThreadRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, HlThreadRow, when_label);
  gtk_widget_class_bind_template_child (widget_class, HlThreadRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HlThreadRow, unread_image);
  gtk_widget_class_bind_template_child (widget_class, HlThreadRow, pending_image);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "hlthreadrow");
}

static void
hl_thread_row_init (HlThreadRow *self)
{
  guint chars;

  gtk_widget_init_template (GTK_WIDGET (self));
  chars = when_chars (GTK_WIDGET (self->when_label));
  gtk_inscription_set_min_chars (self->when_label, chars);
  gtk_inscription_set_nat_chars (self->when_label, chars);
}

HlPostItem *
hl_thread_row_get_item (HlThreadRow *self)
{
  g_return_val_if_fail (HL_IS_THREAD_ROW (self), NULL);
  return self->item;
}

void
hl_thread_row_set_item (HlThreadRow *self,
                        HlPostItem  *item)
{
  g_return_if_fail (HL_IS_THREAD_ROW (self));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_handler, self->item);
  g_set_object (&self->item, item);
  if (item == NULL)
    {
      clear_labels (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
      return;
    }
  /* Not g_signal_connect_object(): the row drops the handler itself before
   * it drops the item, and the weak reference would cost at every bind. */
  self->notify_handler = g_signal_connect (item, "notify", G_CALLBACK (on_item_notify_cb), self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
