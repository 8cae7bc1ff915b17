/* hl-window-post.c: the window's posting actions: new subnets, threads and
 * replies through the composer; edit, delete and hide.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-event.h"
#include "hl-post-item.h"
#include "hl-ui-util.h"

/* --- posting --- */

static void
on_composer_sent_cb (HlWindow   *self,
                     const char *id,
                     HlComposer *composer)
{
  const char *target = hl_composer_get_target (composer);
  guint8 bytes[HL_ID_LEN];

  if (g_str_has_prefix (target, "subnet:"))
    {
      hl_window_toast (self, _("Subnet created"));
      if (hl_hex_decode (id, bytes, HL_ID_LEN))
        hl_window_open_subnet (self, bytes);
    }
  else if (g_str_has_prefix (target, "thread:"))
    {
      hl_window_toast (self, _("Thread posted"));
      if (hl_hex_decode (id, bytes, HL_ID_LEN))
        {
          hl_window_open_thread (self, bytes);
          hl_window_show_pane (self, self->post_pane);
        }
    }
  else if (g_str_has_prefix (target, "reply:"))
    hl_window_toast (self, _("Reply posted"));
  else
    hl_window_toast (self, _("Post updated"));
}

static void
on_composer_destroy_cb (HlWindow  *self,
                        GtkWindow *composer)
{
  if (self->composer == composer)
    self->composer = NULL;
}

void
hl_window_compose (HlWindow      *self,
                   HlComposeKind  kind,
                   const char    *ref,
                   gboolean       with_title,
                   const char    *title,
                   const char    *body)
{
  HlComposer *composer;
  g_autofree char *context = NULL;

  if (self->composer != NULL)
    gtk_window_destroy (self->composer);
  composer = hl_composer_new (GTK_WINDOW (self), self->forum, kind, ref, with_title, title, body);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (composer), TRUE);
  /* Say where the text goes: the thread or subnet the panes show. */
  if (kind == HL_COMPOSE_REPLY)
    /* Translators: %s is a thread's title */
    context = g_strdup_printf (_("In “%s”"), adw_window_title_get_title (self->post_pane_title));
  else if (kind == HL_COMPOSE_THREAD)
    /* Translators: %s is a subnet's name */
    context = g_strdup_printf (_("In %s"), adw_window_title_get_title (self->thread_pane_title));
  if (context != NULL)
    hl_composer_set_context (composer, context);
  g_signal_connect_object (composer, "sent", G_CALLBACK (on_composer_sent_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (composer, "destroy", G_CALLBACK (on_composer_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  self->composer = GTK_WINDOW (composer);
  gtk_window_present (self->composer);
}

void
hl_window_new_subnet_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  hl_window_compose (HL_WINDOW (widget), HL_COMPOSE_SUBNET, NULL, TRUE, NULL, NULL);
}

void
hl_window_new_thread_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  g_autofree char *subnet = NULL;

  if (!self->has_subnet)
    {
      hl_window_toast (self, _("Pick a subnet first, or create one"));
      return;
    }
  subnet = hl_hex_dup (self->subnet, HL_ID_LEN);
  hl_window_compose (self, HL_COMPOSE_THREAD, subnet, TRUE, NULL, NULL);
}

void
hl_window_reply_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  g_autofree char *thread = NULL;

  if (!self->has_thread)
    return;
  thread = hl_hex_dup (self->thread, HL_ID_LEN);
  hl_window_compose (self, HL_COMPOSE_REPLY, thread, FALSE, NULL, NULL);
}

static HlPostItem *
find_post (HlWindow   *self,
           const char *hex)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->post_model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlPostItem) item = g_list_model_get_item (G_LIST_MODEL (self->post_model), i);

      if (g_strcmp0 (hl_post_item_get_id_hex (item), hex) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}

void
hl_window_edit_post_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  const char *hex = g_variant_get_string (parameter, NULL);
  g_autoptr(HlPostItem) item = find_post (self, hex);
  const HlPostRow *row;

  if (item == NULL || !(row = hl_post_item_get_row (item)))
    return;
  hl_window_compose (self, HL_COMPOSE_EDIT, hex, row->kind == HL_POST_THREAD, row->title,
                     row->body);
}

typedef struct
{
  HlWindow *window;
  char     *what;
} Publish;

static void
on_post_action_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = hl_forum_publish_finish (HL_FORUM (object), result, &error);
  Publish *p = user_data;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (id == NULL)
        hl_window_toast_error (p->window, _("Could not change the post"), error);
      else
        hl_window_toast (p->window, p->what);
    }
  g_free (p->what);
  g_free (p);
}

static void
publish_post_change (HlWindow   *self,
                     const char *kind,
                     const char *hex,
                     const char *body,
                     const char *done)
{
  guint8 ref[HL_ID_LEN];
  Publish *p;

  if (!hl_hex_decode (hex, ref, HL_ID_LEN))
    return;
  p = g_new0 (Publish, 1);
  p->window = self;
  p->what = g_strdup (done);
  hl_forum_publish_async (self->forum, kind, ref, body, self->cancellable,
                          on_post_action_done_cb, p);
}

static void
delete_post (HlWindow *self,
             gpointer  data)
{
  publish_post_change (self, HL_KIND_DELETE, data, "{}", _("Post deleted"));
}

void
hl_window_delete_post_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  hl_window_confirm (HL_WINDOW (widget), _("Delete Post?"),
                     _("Its text is erased here and on every peer that syncs "
                       "with you. This cannot be undone."),
                     _("_Delete"), delete_post, g_variant_dup_string (parameter, NULL), g_free);
}

void
hl_window_hide_post_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  publish_post_change (HL_WINDOW (widget), HL_KIND_HIDE, g_variant_get_string (parameter, NULL),
                       "{\"hidden\":true}", _("Post hidden in this subnet"));
}

void
hl_window_copy_link_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  g_autofree char *link = g_strdup_printf ("hyperlink://post/%s",
                                           g_variant_get_string (parameter, NULL));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), link);
  hl_window_toast (HL_WINDOW (widget), _("Link copied"));
}

/* --- moderation rights of the open subnet --- */

/* Owners moderate their subnets without being listed as moderators. */
static gpointer
is_moderator_func (HlForum       *forum,
                   HlStore       *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(HlSubnetRow) subnet = hl_store_get_subnet (store, data, NULL);
  gboolean owner = subnet != NULL && hl_forum_is_mine (forum, subnet->owner);
  gboolean may = owner || hl_store_is_moderator (store, data, hl_forum_get_key (forum));

  /* Never NULL, which would mean an error: bit 0 is set always. */
  return GINT_TO_POINTER (1 | may << 1 | owner << 2);
}

static void
on_is_moderator_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer answer = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlWindow *self = user_data;

  if (answer == NULL)
    return;   /* cancelled: @self may be gone */
  self->moderator = (GPOINTER_TO_INT (answer) & 2) != 0;
  self->owner = (GPOINTER_TO_INT (answer) & 4) != 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.hide-post", self->moderator);
  hl_window_update_subnet_actions (self);
}

/* Moderation actions, and the owner's subnet actions, stay off until the
 * store says this device may. */
void
hl_window_check_moderator (HlWindow *self)
{
  self->moderator = FALSE;
  self->owner = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.hide-post", FALSE);
  hl_window_update_subnet_actions (self);
  hl_forum_run_async (self->forum, is_moderator_func, g_memdup2 (self->subnet, HL_ID_LEN), g_free,
                      NULL, self->cancellable, on_is_moderator_cb, self);
}
