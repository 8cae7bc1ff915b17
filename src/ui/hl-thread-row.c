/* hl-thread-row.c: a thread in a subnet's list.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-thread-row.h"

struct _HlThreadRow
{
  GtkWidget       parent_instance;

  HlPostItem     *item;
  gulong          handlers[3];

  GtkWidget      *grid;
  /* Inscriptions, not labels: their size does not depend on their text, so
   * a rebind neither lays the text out to measure it nor resizes the list. */
  GtkInscription *title_label;
  GtkLabel       *when_label;
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
  gtk_label_set_label (self->when_label, when);
}

static void
update_unread (HlThreadRow *self)
{
  gtk_widget_set_visible (self->unread_image, hl_post_item_get_unread (self->item));
}

/* A placeholder (page still loading) shows empty labels of the same height. */
static void
update (HlThreadRow *self)
{
  g_autofree char *summary = NULL;

  g_object_get (self->item, "summary", &summary, NULL);
  gtk_inscription_set_text (self->title_label, hl_post_item_get_title (self->item));
  gtk_inscription_set_text (self->summary_label, summary);
  update_when (self);
  update_unread (self);
  gtk_widget_set_visible (self->pending_image, hl_post_item_get_pending (self->item));
}

static void
clear_labels (HlThreadRow *self)
{
  gtk_inscription_set_text (self->title_label, "");
  gtk_label_set_label (self->when_label, "");
  gtk_inscription_set_text (self->summary_label, "");
  gtk_widget_set_visible (self->unread_image, FALSE);
  gtk_widget_set_visible (self->pending_image, FALSE);
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
    for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
      g_clear_signal_handler (&self->handlers[i], self->item);
  g_set_object (&self->item, item);
  if (item == NULL)
    {
      clear_labels (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
      return;
    }
  /* hl_post_item_set_row() notifies "loaded" with every other property. */
  self->handlers[0] = g_signal_connect_object (item, "notify::loaded", G_CALLBACK (update),
                                               self, G_CONNECT_SWAPPED);
  self->handlers[1] = g_signal_connect_object (item, "notify::when", G_CALLBACK (update_when),
                                               self, G_CONNECT_SWAPPED);
  self->handlers[2] = g_signal_connect_object (item, "notify::unread", G_CALLBACK (update_unread),
                                               self, G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
