/* hl-window-subnet.c: what the owner of the open subnet may do with it:
 * edit its name, description and moderators (HlSubnetPage, in a dialog), and
 * delete it for everyone after a question. The actions are on only for the
 * owner (hl_window_check_moderator() asks the store); the store refuses
 * anyone else anyway.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-event.h"
#include "hl-subnet-item.h"
#include "hl-subnet-page.h"

void
hl_window_update_subnet_actions (HlWindow *self)
{
  gboolean mine = self->has_subnet && self->owner;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-subnet", mine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-subnet", mine);
  gtk_widget_set_visible (self->subnet_menu_button, mine);
}

static HlSubnetItem *
open_subnet_item (HlWindow *self)
{
  guint pos = self->has_subnet ? hl_subnet_list_model_find (self->subnet_model, self->subnet)
                               : G_MAXUINT;

  if (pos == G_MAXUINT)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->subnet_model), pos);
}

void
hl_window_edit_subnet_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  g_autoptr(HlSubnetItem) item = open_subnet_item (self);
  const HlSubnetRow *row;
  HlSubnetPage *page;

  if (item == NULL)
    return;
  row = hl_subnet_item_get_row (item);
  page = hl_subnet_page_new (self->forum, row->id, row->name, row->description);
  hl_window_present_page (self, _("Edit Subnet"), ADW_PREFERENCES_PAGE (page));
}

static void
on_subnet_deleted_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = hl_forum_publish_finish (HL_FORUM (object), result, &error);
  HlWindow *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* @self may be gone */
  if (id == NULL)
    hl_window_toast_error (self, _("Could not delete the subnet"), error);
  else
    hl_window_toast (self, _("Subnet deleted"));
}

static void
delete_subnet (HlWindow *self,
               gpointer  data)
{
  /* The subnet asked about, even if another was opened meanwhile. */
  hl_forum_publish_async (self->forum, HL_KIND_DELETE, data, "{}", self->cancellable,
                          on_subnet_deleted_cb, self);
}

void
hl_window_delete_subnet_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  g_autoptr(HlSubnetItem) item = open_subnet_item (self);
  const HlSubnetRow *row;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (item == NULL)
    return;
  row = hl_subnet_item_get_row (item);
  /* Translators: %s is a subnet's name */
  heading = g_strdup_printf (_("Delete “%s”?"), row->name);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Its %u thread and every reply are erased here and on "
                                       "every peer that syncs with you. This cannot be undone.",
                                       "Its %u threads and every reply are erased here and on "
                                       "every peer that syncs with you. This cannot be undone.",
                                       row->thread_count),
                          row->thread_count);
  hl_window_confirm (self, heading, body, _("_Delete"), delete_subnet,
                     g_memdup2 (row->id, HL_ID_LEN), g_free);
}
