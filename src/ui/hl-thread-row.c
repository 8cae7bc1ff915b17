/* hl-thread-row.c: a thread in a subnet's list.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-thread-row.h"

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
  gtk_widget_init_template (GTK_WIDGET (self));
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
