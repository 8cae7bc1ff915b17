/* hl-post-view.c: one post of the thread view.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-post-view.h"

struct _HlPostView
{
  GtkWidget   parent_instance;

  HlPostItem *item;
  gulong      notify_id;
  gulong      when_id;

  GtkWidget  *box;
  GtkLabel   *author_label;
  GtkLabel   *when_label;
  GtkLabel   *title_label;
  GtkLabel   *body_label;
  GtkMenuButton *menu_button;
};

G_DEFINE_FINAL_TYPE (HlPostView, hl_post_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The actions name the post by id, so the window needs no row to act on it. */
static GMenuModel *
build_menu (HlPostItem *item)
{
  GMenu *menu = g_menu_new ();
  const char *id = hl_post_item_get_id_hex (item);
  const HlPostRow *row = hl_post_item_get_row (item);
  g_autofree char *edit = g_strdup_printf ("win.edit-post('%s')", id);
  g_autofree char *delete = g_strdup_printf ("win.delete-post('%s')", id);
  g_autofree char *hide = g_strdup_printf ("win.hide-post('%s')", id);
  g_autofree char *copy = g_strdup_printf ("win.copy-link('%s')", id);

  if (hl_post_item_get_mine (item))
    {
      g_menu_append (menu, _("_Edit…"), edit);
      g_menu_append (menu, _("_Delete"), delete);
    }
  if (!row->hidden)
    g_menu_append (menu, _("_Hide as Moderator"), hide);
  g_menu_append (menu, _("_Copy Link"), copy);
  return G_MENU_MODEL (menu);
}

static void update_when (HlPostView *self);

static void
update (HlPostView *self)
{
  const HlPostRow *row = self->item != NULL ? hl_post_item_get_row (self->item) : NULL;
  g_autoptr(GMenuModel) menu = NULL;

  gtk_widget_set_visible (self->box, row != NULL);
  if (row == NULL)
    return;

  gtk_label_set_label (self->author_label, hl_post_item_get_author (self->item));
  update_when (self);
  gtk_label_set_label (self->title_label, hl_post_item_get_title (self->item));
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), row->kind == HL_POST_THREAD);
  gtk_label_set_label (self->body_label, hl_post_item_get_body (self->item));
  if (row->hidden)
    gtk_widget_add_css_class (GTK_WIDGET (self->body_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->body_label), "dim-label");
  if (row->kind == HL_POST_THREAD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "hl-opening-post");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "hl-opening-post");

  menu = build_menu (self->item);
  gtk_menu_button_set_menu_model (self->menu_button, menu);
}

static void
on_item_notify_cb (HlPostView *self,
                   GParamSpec *pspec,
                   HlPostItem *item)
{
  update (self);
}

/* "5 min ago · edited": the time, and what happened to the post since. */
static void
update_when (HlPostView *self)
{
  const HlPostRow *row = hl_post_item_get_row (self->item);
  g_autofree char *when = NULL;
  GString *text;

  if (row == NULL)
    return;
  g_object_get (self->item, "when", &when, NULL);
  text = g_string_new (when);
  if (row->edited_ms != 0)
    g_string_append_printf (text, " · %s", _("edited"));
  if (row->hidden)
    g_string_append_printf (text, " · %s", _("hidden by a moderator"));
  if (hl_post_item_get_pending (self->item))
    g_string_append_printf (text, " · %s", _("not yet sent"));
  gtk_label_set_label (self->when_label, text->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->when_label),
                               hl_post_item_get_pending (self->item)
                               ? _("No peer has this post yet; it goes out when one connects")
                               : NULL);
  g_string_free (text, TRUE);
}

static void
on_item_when_cb (HlPostView *self,
                 GParamSpec *pspec,
                 HlPostItem *item)
{
  update_when (self);
}

static void
hl_post_view_dispose (GObject *object)
{
  HlPostView *self = HL_POST_VIEW (object);

  hl_post_view_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_POST_VIEW);

  G_OBJECT_CLASS (hl_post_view_parent_class)->dispose (object);
}

static void
hl_post_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HlPostView *self = HL_POST_VIEW (object);

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
hl_post_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HlPostView *self = HL_POST_VIEW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      hl_post_view_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_post_view_class_init (HlPostViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_post_view_dispose;
  object_class->get_property = hl_post_view_get_property;
  object_class->set_property = hl_post_view_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, HL_TYPE_POST_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-post-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HlPostView, box);
  gtk_widget_class_bind_template_child (widget_class, HlPostView, author_label);
  gtk_widget_class_bind_template_child (widget_class, HlPostView, when_label);
  gtk_widget_class_bind_template_child (widget_class, HlPostView, title_label);
  gtk_widget_class_bind_template_child (widget_class, HlPostView, body_label);
  gtk_widget_class_bind_template_child (widget_class, HlPostView, menu_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "hlpostview");
}

static void
hl_post_view_init (HlPostView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HlPostItem *
hl_post_view_get_item (HlPostView *self)
{
  g_return_val_if_fail (HL_IS_POST_VIEW (self), NULL);
  return self->item;
}

void
hl_post_view_set_item (HlPostView *self,
                       HlPostItem *item)
{
  g_return_if_fail (HL_IS_POST_VIEW (self));

  if (self->item == item)
    return;
  if (self->item != NULL)
    {
      g_clear_signal_handler (&self->notify_id, self->item);
      g_clear_signal_handler (&self->when_id, self->item);
    }
  g_set_object (&self->item, item);
  /* Every property notifies together (hl_post_item_set_row), one is enough. */
  if (item != NULL)
    {
      self->notify_id = g_signal_connect_object (item, "notify::loaded",
                                                 G_CALLBACK (on_item_notify_cb), self,
                                                 G_CONNECT_SWAPPED);
      self->when_id = g_signal_connect_object (item, "notify::when",
                                               G_CALLBACK (on_item_when_cb), self,
                                               G_CONNECT_SWAPPED);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
