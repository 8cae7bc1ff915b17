/* hl-window-welcome.c: the first-run welcome page and kept drafts.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-event.h"
#include "hl-json.h"
#include "hl-post-item.h"
#include "hl-ui-util.h"

/* --- first run --- */

static void
show_forum (HlWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "forum");
}

static void
on_profile_published_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = hl_forum_publish_finish (HL_FORUM (object), result, &error);
  HlWindow *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.finish-welcome", TRUE);
  if (id == NULL)
    {
      hl_window_toast_error (self, _("Could not save your name"), error);
      return;
    }
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "welcome-done", TRUE);
  show_forum (self);
}

void
hl_window_finish_welcome_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->welcome_name_row))));
  g_autofree char *body = NULL;

  if (name[0] == '\0')
    {
      hl_window_toast (self, _("Type the name others will see first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->welcome_name_row));
      return;
    }
  body = hl_json_body ("name", name, NULL);
  gtk_widget_action_set_enabled (widget, "win.finish-welcome", FALSE);
  hl_forum_publish_async (self->forum, HL_KIND_PROFILE, NULL, body, self->cancellable,
                          on_profile_published_cb, self);
}

void
hl_window_on_welcome_name_activated_cb (HlWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.finish-welcome", NULL);
}

static gpointer
has_profile_func (HlForum       *forum,
                  HlStore       *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(HlProfileRow) row = hl_store_get_profile (store, hl_forum_get_key (forum), NULL);

  return GINT_TO_POINTER ((row != NULL && row->name != NULL && row->name[0] != '\0') + 1);
}

static void
on_has_profile_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer answer = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlWindow *self = user_data;

  if (answer == NULL)
    return;
  if (GPOINTER_TO_INT (answer) - 1)
    {
      if (self->settings != NULL)
        g_settings_set_boolean (self->settings, "welcome-done", TRUE);
      return;
    }
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  gtk_widget_grab_focus (GTK_WIDGET (self->welcome_name_row));
}

/* --- drafts --- */

void
hl_window_open_draft_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  g_autofree char *target = NULL;
  g_autofree char *ref = NULL;
  HlComposeKind kind;

  if (self->settings == NULL)
    return;
  target = g_settings_get_string (self->settings, "draft-target");
  if (hl_composer_parse_target (target, &kind, &ref))
    hl_window_compose (self, kind, ref, kind != HL_COMPOSE_REPLY, NULL, NULL);
}

void
hl_window_offer_draft (HlWindow *self)
{
  g_autofree char *target = NULL;
  g_autofree char *ref = NULL;
  HlComposeKind kind;
  AdwToast *toast;

  if (self->settings == NULL)
    return;
  target = g_settings_get_string (self->settings, "draft-target");
  if (!hl_composer_parse_target (target, &kind, &ref))
    return;
  toast = adw_toast_new (_("Your unsent draft was kept"));
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-draft");
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}


void
hl_window_check_welcome (HlWindow *self)
{
  if (self->settings == NULL || !g_settings_get_boolean (self->settings, "welcome-done"))
    hl_forum_run_async (self->forum, has_profile_func, NULL, NULL, NULL, self->cancellable,
                        on_has_profile_cb, self);
}
