/* hl-thread-row.c: a thread in a subnet's list.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hl-thread-row.h"
#include "hl-older-history.h"
#include "hl-ui-util.h"

struct _HlThreadRow
{
  GtkWidget       parent_instance;

  HlPostItem     *item;
  gulong          notify_handler;

  /* Five children laid out by the row itself (no grid, no box): the list
   * view builds and rebinds about 200 rows, and each widget fewer is less
   * to create, style and allocate. Inscriptions, not labels: their size does
   * not depend on their text, so a rebind neither lays the text out to
   * measure it nor resizes the list. */
  GtkInscription *title_label;
  GtkInscription *when_label;
  GtkInscription *summary_label;
  GtkWidget      *unread_image;
  GtkWidget      *pending_image;
};

G_DEFINE_FINAL_TYPE (HlThreadRow, hl_thread_row, GTK_TYPE_WIDGET)

/* Between the text column and the time and marks, between the two lines, and
 * between the two marks. */
#define COLUMN_SPACING 12
#define LINE_SPACING    2
#define MARK_SPACING    6

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
  GtkWidget *child;

  hl_thread_row_set_item (self, NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

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
measure_child (gpointer        child,
               GtkOrientation  orientation,
               int            *min,
               int            *nat)
{
  gtk_widget_measure (GTK_WIDGET (child), orientation, -1, min, nat, NULL, NULL);
}

/* The two marks side by side, at the end of the second line. */
static void
measure_marks (HlThreadRow *self,
               int         *pending_width,
               int         *unread_width)
{
  measure_child (self->pending_image, GTK_ORIENTATION_HORIZONTAL, NULL, pending_width);
  measure_child (self->unread_image, GTK_ORIENTATION_HORIZONTAL, NULL, unread_width);
}

/* Two lines, two columns: title and time, then summary and marks. */
static void
hl_thread_row_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  HlThreadRow *self = HL_THREAD_ROW (widget);
  int a_min, a_nat, b_min, b_nat, c_min, c_nat, d_min, d_nat;

  measure_child (self->title_label, orientation, &a_min, &a_nat);
  measure_child (self->summary_label, orientation, &b_min, &b_nat);
  measure_child (self->when_label, orientation, &c_min, &c_nat);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int pending, unread, marks;

      measure_marks (self, &pending, &unread);
      marks = pending + MARK_SPACING + unread;
      *minimum = MAX (a_min, b_min) + COLUMN_SPACING + MAX (c_min, marks);
      *natural = MAX (a_nat, b_nat) + COLUMN_SPACING + MAX (c_nat, marks);
      return;
    }
  measure_child (self->pending_image, orientation, &d_min, &d_nat);
  d_min = MAX (d_min, b_min);
  d_nat = MAX (d_nat, b_nat);
  measure_child (self->unread_image, orientation, &b_min, &b_nat);
  *minimum = MAX (a_min, c_min) + LINE_SPACING + MAX (d_min, b_min);
  *natural = MAX (a_nat, c_nat) + LINE_SPACING + MAX (d_nat, b_nat);
}

/* Allocates @child at @x in a row @width wide, mirrored right to left. */
static void
place (GtkWidget *row,
       gpointer   child,
       int        width,
       int        x,
       int        y,
       int        child_width,
       int        child_height)
{
  if (gtk_widget_get_direction (row) == GTK_TEXT_DIR_RTL)
    x = width - x - child_width;
  gtk_widget_size_allocate (GTK_WIDGET (child),
                            &(GtkAllocation) { x, y, MAX (child_width, 0), MAX (child_height, 0) },
                            -1);
}

static void
hl_thread_row_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  HlThreadRow *self = HL_THREAD_ROW (widget);
  int pending, unread, when, title_height, when_height, first_line, second_line, end_width, text_width;

  measure_marks (self, &pending, &unread);
  measure_child (self->when_label, GTK_ORIENTATION_HORIZONTAL, NULL, &when);
  measure_child (self->title_label, GTK_ORIENTATION_VERTICAL, NULL, &title_height);
  measure_child (self->when_label, GTK_ORIENTATION_VERTICAL, NULL, &when_height);
  first_line = MAX (title_height, when_height);
  second_line = height - first_line - LINE_SPACING;
  end_width = MIN (MAX (when, pending + MARK_SPACING + unread), width);
  text_width = width - end_width - COLUMN_SPACING;

  place (widget, self->title_label, width, 0, 0, text_width, first_line);
  place (widget, self->when_label, width, width - end_width, 0, end_width, first_line);
  place (widget, self->summary_label, width, 0, first_line + LINE_SPACING, text_width,
         second_line);
  place (widget, self->unread_image, width, width - unread, first_line + LINE_SPACING, unread,
         second_line);
  place (widget, self->pending_image, width, width - unread - MARK_SPACING - pending,
         first_line + LINE_SPACING, pending, second_line);
}

static GtkSizeRequestMode
hl_thread_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
hl_thread_row_class_init (HlThreadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_thread_row_dispose;
  object_class->get_property = hl_thread_row_get_property;
  object_class->set_property = hl_thread_row_set_property;
  widget_class->measure = hl_thread_row_measure;
  widget_class->size_allocate = hl_thread_row_size_allocate;
  widget_class->get_request_mode = hl_thread_row_get_request_mode;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, HL_TYPE_POST_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "hlthreadrow");
}

static GtkInscription *
add_inscription (HlThreadRow *self,
                 float        xalign,
                 const char  *style,
                 gboolean     dim)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), xalign);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_add_css_class (inscription, style);
  if (dim)
    gtk_widget_add_css_class (inscription, "dim-label");
  gtk_widget_set_parent (inscription, GTK_WIDGET (self));
  return GTK_INSCRIPTION (inscription);
}

static GtkWidget *
add_mark (HlThreadRow *self,
          const char  *icon_name,
          int          pixel_size,
          const char  *tooltip,
          const char  *style)
{
  GtkWidget *image = gtk_image_new_from_icon_name (icon_name);

  gtk_image_set_pixel_size (GTK_IMAGE (image), pixel_size);
  gtk_widget_set_tooltip_text (image, tooltip);
  gtk_widget_add_css_class (image, style);
  gtk_widget_set_parent (image, GTK_WIDGET (self));
  show_mark (image, FALSE);
  return image;
}

static void
hl_thread_row_init (HlThreadRow *self)
{
  guint chars;

  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);
  self->title_label = add_inscription (self, 0, "heading", FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title_label), TRUE);
  self->when_label = add_inscription (self, 1, "caption", TRUE);
  gtk_widget_set_name (GTK_WIDGET (self->when_label), "when_label");
  self->summary_label = add_inscription (self, 0, "caption", TRUE);
  self->pending_image = add_mark (self, "mail-send-symbolic", 12, _("Not yet sent to any peer"),
                                  "dim-label");
  self->unread_image = add_mark (self, "media-record-symbolic", 10, _("New activity"), "accent");

  chars = when_chars (GTK_WIDGET (self->when_label));
  gtk_inscription_set_min_chars (self->when_label, chars);
  gtk_inscription_set_nat_chars (self->when_label, chars);
}

GtkWidget *
hl_thread_row_new (void)
{
  return g_object_new (HL_TYPE_THREAD_ROW, NULL);
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

/* Rows kept for the next setup, at most a list view's worth: GTK 4.8's list
 * view drops and builds every row again when it jumps further than it holds
 * rows (about 200), as it does scrolling fast through a million threads; a
 * row taken from here costs a bind instead of six new widgets. */
#define POOL_SIZE 256
#define ROW_KEY   "hl-thread-row"
#define OLDER_KEY "hl-older-history"

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             GPtrArray                *pool)
{
  GtkWidget *row = pool->len > 0 ? g_ptr_array_steal_index_fast (pool, pool->len - 1)
                                 : g_object_ref_sink (hl_thread_row_new ());

  gtk_list_item_set_child (list_item, row);
  /* Our own reference, as the list item may have dropped its child by the
   * time the teardown signal comes. */
  g_object_set_data_full (G_OBJECT (list_item), ROW_KEY, row, g_object_unref);
}

/* The list's last item may be an HlOlderHistoryItem (hl-window-older.c):
 * its list item shows an HlOlderHistory instead of the thread row, made the
 * first time and kept with the list item. Not selectable (the selection
 * shows the open thread); activating it (Enter) loads, as its button does. */
static void
bind_older (GtkListItem        *list_item,
            HlOlderHistoryItem *item)
{
  HlThreadRow *row = g_object_get_data (G_OBJECT (list_item), ROW_KEY);
  HlOlderHistory *older = g_object_get_data (G_OBJECT (list_item), OLDER_KEY);

  if (older == NULL)
    {
      older = g_object_ref_sink (hl_older_history_new_empty ());
      g_object_set_data_full (G_OBJECT (list_item), OLDER_KEY, older, g_object_unref);
    }
  if (row != NULL)
    hl_thread_row_set_item (row, NULL);
  hl_older_history_set_item (older, item);
  gtk_list_item_set_child (list_item, GTK_WIDGET (older));
  gtk_list_item_set_selectable (list_item, FALSE);
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            GPtrArray                *pool)
{
  HlThreadRow *row = g_object_get_data (G_OBJECT (list_item), ROW_KEY);
  gpointer item = gtk_list_item_get_item (list_item);
  HlOlderHistory *older;

  if (HL_IS_OLDER_HISTORY_ITEM (item))
    {
      bind_older (list_item, item);
      return;
    }
  /* Back from showing Older history. */
  if ((older = g_object_get_data (G_OBJECT (list_item), OLDER_KEY)) != NULL &&
      gtk_list_item_get_child (list_item) == GTK_WIDGET (older))
    {
      hl_older_history_set_item (older, NULL);
      gtk_list_item_set_child (list_item, GTK_WIDGET (row));
      gtk_list_item_set_selectable (list_item, TRUE);
    }
  hl_thread_row_set_item (row, item);
}

/* No unbind handler: the next bind replaces the item, and clearing the
 * labels in between would only be drawn over. */
static void
on_teardown_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                GPtrArray                *pool)
{
  GtkWidget *row = g_object_steal_data (G_OBJECT (list_item), ROW_KEY);
  HlOlderHistory *older = g_object_get_data (G_OBJECT (list_item), OLDER_KEY);

  if (older != NULL)
    {
      if (gtk_list_item_get_child (list_item) == GTK_WIDGET (older))
        gtk_list_item_set_child (list_item, NULL);
      hl_older_history_set_item (older, NULL);
      g_object_set_data (G_OBJECT (list_item), OLDER_KEY, NULL);
    }
  if (row == NULL)
    return;
  if (gtk_list_item_get_child (list_item) == row)
    gtk_list_item_set_child (list_item, NULL);
  hl_thread_row_set_item (HL_THREAD_ROW (row), NULL);
  if (pool->len < POOL_SIZE && gtk_widget_get_parent (row) == NULL)
    g_ptr_array_add (pool, row);
  else
    g_object_unref (row);
}

GtkListItemFactory *
hl_thread_row_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GPtrArray *pool = g_ptr_array_new_with_free_func (g_object_unref);

  g_object_set_data_full (G_OBJECT (factory), "hl-row-pool", pool,
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), pool);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), pool);
  g_signal_connect (factory, "teardown", G_CALLBACK (on_teardown_cb), pool);
  return factory;
}
