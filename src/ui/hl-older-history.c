/* hl-older-history.c: a line showing what of the history is not on this
 * device, with Load.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-older-history.h"

struct _HlOlderHistory
{
  GtkBox              parent_instance;

  HlOlderHistoryItem *item;
  gulong              notify_handler;
  GtkLabel           *label;
  GtkButton          *load_button;
  GtkSpinner         *spinner;
};

G_DEFINE_FINAL_TYPE (HlOlderHistory, hl_older_history, GTK_TYPE_BOX)

static void
update (HlOlderHistory *self)
{
  const char *text = self->item != NULL ? hl_older_history_item_get_text (self->item) : NULL;
  gboolean loading = self->item != NULL && hl_older_history_item_get_loading (self->item);

  gtk_label_set_text (self->label, text != NULL ? text : "");
  /* A screen reader reads the row as its sentence (or the progress). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL ? text : "", -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->load_button), !loading);
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_widget_set_visible (GTK_WIDGET (self),
                          self->item != NULL && hl_older_history_item_get_shown (self->item));
}

static void
on_item_notify_cb (HlOlderHistoryItem *item,
                   GParamSpec         *pspec,
                   HlOlderHistory     *self)
{
  update (self);
}

void
hl_older_history_set_item (HlOlderHistory     *self,
                           HlOlderHistoryItem *item)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_handler, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->notify_handler = g_signal_connect (item, "notify", G_CALLBACK (on_item_notify_cb),
                                             self);
  update (self);
}

HlOlderHistoryItem *
hl_older_history_get_item (HlOlderHistory *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY (self), NULL);
  return self->item;
}

void
hl_older_history_set_subnet (HlOlderHistory *self,
                             const guint8   *subnet)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self) && self->item != NULL);
  hl_older_history_item_set_subnet (self->item, subnet);
}

void
hl_older_history_set_search (HlOlderHistory *self)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self) && self->item != NULL);
  hl_older_history_item_set_search (self->item);
}

void
hl_older_history_clear (HlOlderHistory *self)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self) && self->item != NULL);
  hl_older_history_item_clear (self->item);
}

void
hl_older_history_set_runner (HlOlderHistory *self,
                             HlNodeRunner   *runner)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self) && self->item != NULL);
  hl_older_history_item_set_runner (self->item, runner);
}

void
hl_older_history_load (HlOlderHistory *self)
{
  g_return_if_fail (HL_IS_OLDER_HISTORY (self));
  if (self->item != NULL)
    hl_older_history_item_load (self->item);
}

gboolean
hl_older_history_is_idle (HlOlderHistory *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY (self), FALSE);
  return self->item == NULL || hl_older_history_item_is_idle (self->item);
}

gboolean
hl_older_history_is_loading (HlOlderHistory *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY (self), FALSE);
  return self->item != NULL && hl_older_history_item_get_loading (self->item);
}

const char *
hl_older_history_get_text (HlOlderHistory *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY (self), NULL);
  return self->item != NULL ? hl_older_history_item_get_text (self->item) : NULL;
}

GtkWidget *
hl_older_history_get_load_button (HlOlderHistory *self)
{
  g_return_val_if_fail (HL_IS_OLDER_HISTORY (self), NULL);
  return GTK_WIDGET (self->load_button);
}

/* ---- the object ---- */

static void
on_load_clicked_cb (HlOlderHistory *self)
{
  hl_older_history_load (self);
}

static void
hl_older_history_dispose (GObject *object)
{
  hl_older_history_set_item (HL_OLDER_HISTORY (object), NULL);
  G_OBJECT_CLASS (hl_older_history_parent_class)->dispose (object);
}

static void
hl_older_history_class_init (HlOlderHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_older_history_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "hlolderhistory");
}

static void
hl_older_history_init (HlOlderHistory *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_wrap_mode (self->label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "dim-label");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->label));
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->spinner), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->spinner));
  self->load_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Load")));
  gtk_widget_set_valign (GTK_WIDGET (self->load_button), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->load_button),
                               _("Fetch these months from your group's devices"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->load_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Load older history"), -1);
  g_signal_connect_swapped (self->load_button, "clicked", G_CALLBACK (on_load_clicked_cb),
                            self);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->load_button));
  update (self);
}

HlOlderHistory *
hl_older_history_new_empty (void)
{
  return g_object_new (HL_TYPE_OLDER_HISTORY, NULL);
}

HlOlderHistory *
hl_older_history_new (HlForum *forum)
{
  HlOlderHistory *self = hl_older_history_new_empty ();
  g_autoptr(HlOlderHistoryItem) item = hl_older_history_item_new (forum);

  /* The line below the pane had margins of its own; a list row gets the
   * row's. */
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
  hl_older_history_set_item (self, item);
  return self;
}
