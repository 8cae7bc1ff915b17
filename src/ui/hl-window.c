/* hl-window.c: the main window: subnets, threads, and the open thread.
 *
 * Three panes that fold into one on a narrow window (hl-window-layout.c). Each
 * list is a GtkListView over a model that loads on worker threads; the
 * window only decides what is selected and what is in front. Selection is
 * remembered by id, not by position, so a refresh that moves rows (a peer's
 * new thread on top) puts it back on the same subnet and thread.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-archive-settings.h"

#include "hl-composer.h"
#include "hl-event.h"
#include "hl-post-item.h"
#include "hl-post-list-model.h"
#include "hl-post-view.h"
#include "hl-subnet-item.h"
#include "hl-subnet-list-model.h"
#include "hl-thread-list-model.h"
#include "hl-thread-row.h"
#include "hl-ui-util.h"



G_DEFINE_FINAL_TYPE (HlWindow, hl_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_post_title (HlWindow *self);


/* --- what is in front --- */

void
hl_window_update_thread_stack (HlWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->thread_model));
  const char *page;

  if (self->searching)
    page = g_list_model_get_n_items (G_LIST_MODEL (self->result_model)) > 0 ? "results"
                                                                              : "no-results";
  else if (!self->has_subnet)
    page = "none";
  else if (n == 0 && hl_thread_list_model_get_loading (self->thread_model))
    page = "loading";
  else if (n == 0 && !hl_window_older_shown (self))
    page = "empty";
  else
    page = "list";
  gtk_spinner_set_spinning (self->thread_spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->thread_stack, page);
  update_post_title (self);
}

static void
update_subnet_title (HlWindow *self)
{
  guint pos = self->has_subnet ? hl_subnet_list_model_find (self->subnet_model, self->subnet)
                               : G_MAXUINT;
  g_autoptr(HlSubnetItem) item = NULL;
  g_autofree char *summary = NULL;
  const char *description;

  if (pos == G_MAXUINT)
    {
      adw_window_title_set_title (self->thread_pane_title, _("Threads"));
      adw_window_title_set_subtitle (self->thread_pane_title, NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->thread_pane_title), NULL);
      return;
    }
  item = g_list_model_get_item (G_LIST_MODEL (self->subnet_model), pos);
  g_object_get (item, "summary", &summary, NULL);
  description = hl_subnet_item_get_row (item)->description;
  adw_window_title_set_title (self->thread_pane_title, hl_subnet_item_get_name (item));
  /* What the subnet is about, under its name (the count is in the sidebar),
   * whole in the tooltip. */
  if (description != NULL && description[0] != '\0')
    adw_window_title_set_subtitle (self->thread_pane_title, description);
  else
    adw_window_title_set_subtitle (self->thread_pane_title, summary);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->thread_pane_title), description);
}

static gboolean
thread_list_shown (HlWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->thread_stack);

  return g_strcmp0 (page, "list") == 0 || g_strcmp0 (page, "results") == 0;
}

static void
update_post_title (HlWindow *self)
{
  g_autoptr(HlPostItem) first = g_list_model_get_item (G_LIST_MODEL (self->post_model), 0);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->post_model));
  g_autofree char *subtitle = NULL;

  /* The thread of last time, gone since: start as if none had been open. */
  if (self->thread_from_last_time && first == NULL && self->has_thread &&
      !hl_post_list_model_get_loading (self->post_model))
    {
      self->thread_from_last_time = FALSE;
      hl_window_open_thread (self, NULL);
      hl_window_show_pane (self, self->thread_pane);
      return;
    }
  if (first != NULL)
    self->thread_from_last_time = FALSE;

  /* One status page at a time: beside "No Threads" or "No Subnet
   * Selected", the post pane stays blank. */
  if (!self->has_thread && !thread_list_shown (self))
    gtk_stack_set_visible_child_name (self->post_stack, "blank");
  else if (!self->has_thread)
    gtk_stack_set_visible_child_name (self->post_stack, "none");
  else if (first == NULL && !hl_post_list_model_get_loading (self->post_model))
    gtk_stack_set_visible_child_name (self->post_stack, "gone");
  else
    gtk_stack_set_visible_child_name (self->post_stack, "posts");
  /* Nothing open shows nothing: no title of a thread closed meanwhile. */
  if (first == NULL || !self->has_thread || !hl_post_item_has_id (first, self->thread))
    {
      adw_window_title_set_title (self->post_pane_title, "");
      adw_window_title_set_subtitle (self->post_pane_title, NULL);
      return;
    }
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u reply", "%u replies", n - 1),
                              n - 1);
  adw_window_title_set_title (self->post_pane_title, hl_post_item_get_title (first));
  adw_window_title_set_subtitle (self->post_pane_title, subtitle);
}

/* --- selection kept by id --- */

static void
restore_subnet_selection (HlWindow *self)
{
  guint pos = self->has_subnet ? hl_subnet_list_model_find (self->subnet_model, self->subnet)
                               : GTK_INVALID_LIST_POSITION;

  if (pos == G_MAXUINT)
    pos = GTK_INVALID_LIST_POSITION;
  if (gtk_single_selection_get_selected (self->subnet_selection) == pos)
    return;
  self->restoring = TRUE;
  gtk_single_selection_set_selected (self->subnet_selection, pos);
  self->restoring = FALSE;
}

static void
restore_thread_selection (HlWindow *self)
{
  guint pos = self->has_thread ? hl_thread_list_model_find (self->thread_model, self->thread)
                               : GTK_INVALID_LIST_POSITION;

  if (pos == G_MAXUINT)
    pos = GTK_INVALID_LIST_POSITION;
  if (gtk_single_selection_get_selected (self->thread_selection) == pos)
    return;
  self->restoring = TRUE;
  gtk_single_selection_set_selected (self->thread_selection, pos);
  self->restoring = FALSE;
}

static void
on_subnets_changed_cb (HlWindow   *self,
                       guint       position,
                       guint       removed,
                       guint       added,
                       GListModel *model)
{
  guint n = g_list_model_get_n_items (model);

  hl_window_set_forum_empty (self, n == 0 && !hl_subnet_list_model_get_loading (self->subnet_model));
  /* First load: the subnet of last time was opened before the list arrived
   * (see hl_window_new()); if it is gone, or there was none, open the first. */
  if (!self->subnets_seen && n > 0 && !hl_subnet_list_model_get_loading (self->subnet_model))
    {
      g_autoptr(HlSubnetItem) item = g_list_model_get_item (model, 0);

      self->subnets_seen = TRUE;
      if (!self->has_subnet || hl_subnet_list_model_find (self->subnet_model,
                                                          self->subnet) == G_MAXUINT)
        hl_window_open_subnet (self, hl_subnet_item_get_row (item)->id);
    }
  restore_subnet_selection (self);
  update_subnet_title (self);
}

static void
on_subnet_loading_cb (HlWindow   *self,
                      GParamSpec *pspec,
                      gpointer    model)
{
  on_subnets_changed_cb (self, 0, 0, 0, G_LIST_MODEL (self->subnet_model));
}

static void
on_threads_changed_cb (HlWindow   *self,
                       guint       position,
                       guint       removed,
                       guint       added,
                       GListModel *model)
{
  restore_thread_selection (self);
  hl_window_update_thread_stack (self);
}

static void
on_thread_loading_cb (HlWindow   *self,
                      GParamSpec *pspec,
                      gpointer    model)
{
  hl_window_update_thread_stack (self);
}

/* The open thread is read up to its latest activity; its row loses its dot. */
static void
mark_open_thread_read (HlWindow *self)
{
  g_autoptr(HlPostItem) first = g_list_model_get_item (G_LIST_MODEL (self->post_model), 0);
  guint pos;

  if (first == NULL || !hl_post_item_get_loaded (first))
    return;
  hl_read_marks_mark_read (hl_forum_get_read_marks (self->forum),
                           hl_post_item_get_row (first)->id,
                           hl_post_item_get_row (first)->last_activity_ms);
  pos = hl_thread_list_model_find (self->thread_model, hl_post_item_get_row (first)->id);
  if (pos != G_MAXUINT)
    {
      g_autoptr(HlPostItem) row = g_list_model_get_item (G_LIST_MODEL (self->thread_model), pos);

      hl_post_item_set_unread (row, FALSE);
    }
}

static void
on_posts_changed_cb (HlWindow   *self,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GListModel *model)
{
  update_post_title (self);
  mark_open_thread_read (self);
}

static void
on_post_loading_cb (HlWindow   *self,
                    GParamSpec *pspec,
                    gpointer    model)
{
  update_post_title (self);
}

/* Hover (single-click-activate lists select the row under the pointer) and
 * arrow keys change the selection; neither may change what is open or read.
 * The selection only ever shows what is open: anything else is put back. */
static void
on_subnet_selected_cb (HlWindow           *self,
                       GParamSpec         *pspec,
                       GtkSingleSelection *selection)
{
  if (!self->restoring)
    restore_subnet_selection (self);
}

static void
on_thread_selected_cb (HlWindow           *self,
                       GParamSpec         *pspec,
                       GtkSingleSelection *selection)
{
  if (!self->restoring)
    restore_thread_selection (self);
}

/* Activation (a click, Enter) is what opens. */
static void
on_subnet_activate_cb (HlWindow    *self,
                       guint        position,
                       GtkListView *list)
{
  g_autoptr(HlSubnetItem) item = g_list_model_get_item (G_LIST_MODEL (self->subnet_model), position);

  if (item != NULL)
    hl_window_open_subnet (self, hl_subnet_item_get_row (item)->id);
  hl_window_show_pane (self, self->thread_pane);
}

static void
on_thread_activate_cb (HlWindow    *self,
                       guint        position,
                       GtkListView *list)
{
  g_autoptr(HlPostItem) item = NULL;

  /* The last row, Older history: Enter (or a click) loads. */
  if (hl_window_older_activate (self, position))
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->thread_model), position);
  if (item != NULL && hl_post_item_get_loaded (item))
    hl_window_open_thread (self, hl_post_item_get_row (item)->id);
  hl_window_show_pane (self, self->post_pane);
}

static void
on_result_activate_cb (HlWindow    *self,
                       guint        position,
                       GtkListView *list)
{
  g_autoptr(HlPostItem) item = g_list_model_get_item (G_LIST_MODEL (self->result_model), position);
  const HlPostRow *row = item != NULL ? hl_post_item_get_row (item) : NULL;

  if (row == NULL)
    return;
  if (row->has_subnet && (!self->has_subnet || memcmp (row->subnet, self->subnet, HL_ID_LEN) != 0))
    hl_window_open_subnet (self, row->subnet);
  hl_window_open_thread (self, row->thread);
  hl_window_show_pane (self, self->post_pane);
}

void
hl_window_open_subnet (HlWindow     *self,
                       const guint8 *id)
{
  g_autofree char *hex = hl_hex_dup (id, HL_ID_LEN);

  if (self->has_subnet && memcmp (self->subnet, id, HL_ID_LEN) == 0)
    return;
  /* A thread belongs to one subnet: the one open leaves with its subnet. */
  if (self->has_subnet && self->has_thread)
    hl_window_open_thread (self, NULL);
  self->has_subnet = TRUE;
  memcpy (self->subnet, id, HL_ID_LEN);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-subnet", hex);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-thread", TRUE);
  hl_window_check_moderator (self);

  hl_thread_list_model_set_subnet (self->thread_model, id);
  hl_window_older_update (self);
  restore_subnet_selection (self);
  update_subnet_title (self);
  hl_window_update_thread_stack (self);
}

void
hl_window_open_thread (HlWindow     *self,
                       const guint8 *id)
{
  self->has_thread = id != NULL;
  self->thread_from_last_time = FALSE;
  if (id != NULL)
    memcpy (self->thread, id, HL_ID_LEN);
  if (self->settings != NULL)
    {
      g_autofree char *hex = id != NULL ? hl_hex_dup (id, HL_ID_LEN) : g_strdup ("");

      g_settings_set_string (self->settings, "last-thread", hex);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reply", id != NULL);
  hl_post_list_model_set_thread (self->post_model, id);
  restore_thread_selection (self);
  update_post_title (self);
}

/* --- live updates --- */

static gboolean
on_minute_cb (gpointer user_data)
{
  HlWindow *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->post_model));

  hl_thread_list_model_notify_times (self->thread_model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlPostItem) item = g_list_model_get_item (G_LIST_MODEL (self->post_model), i);

      hl_post_item_notify_time (item);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_forum_changed_cb (HlWindow *self,
                     HlForum  *forum)
{
  hl_subnet_list_model_reload (self->subnet_model);
  hl_thread_list_model_reload (self->thread_model);
  hl_window_older_update (self);
  hl_post_list_model_reload (self->post_model);
}

/* --- the window --- */

static gboolean
hl_window_close_request (GtkWindow *window)
{
  HlWindow *self = HL_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  return GTK_WINDOW_CLASS (hl_window_parent_class)->close_request (window);
}

static void
hl_window_dispose (GObject *object)
{
  HlWindow *self = HL_WINDOW (object);

  hl_window_layout_dispose (self);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_pointer (&self->invite_wait, hl_window_invite_wait_free);
  g_clear_weak_pointer (&self->dialog);
  /* A focused entry still blinking its cursor warns when disposed. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  if (self->forum != NULL)
    g_signal_handlers_disconnect_by_data (self->forum, self);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_WINDOW);
  g_clear_object (&self->subnet_selection);
  g_clear_object (&self->thread_selection);
  g_clear_object (&self->post_selection);
  g_clear_object (&self->result_selection);
  g_clear_object (&self->subnet_model);
  hl_window_older_dispose (self);
  g_clear_object (&self->thread_model);
  g_clear_object (&self->post_model);
  g_clear_object (&self->result_model);
  g_clear_object (&self->archive_settings);
  g_clear_object (&self->forum);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hl_window_parent_class)->dispose (object);
}

static void
hl_window_finalize (GObject *object)
{
  HlWindow *self = HL_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_free (self->last_toast);

  G_OBJECT_CLASS (hl_window_parent_class)->finalize (object);
}

static void
hl_window_class_init (HlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hl_window_dispose;
  object_class->finalize = hl_window_finalize;
  window_class->close_request = hl_window_close_request;

  g_type_ensure (HL_TYPE_POST_VIEW);
  g_type_ensure (HL_TYPE_POST_ITEM);
  g_type_ensure (HL_TYPE_SUBNET_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, app_title);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, empty_restore);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, main_stack);
  hl_window_layout_class_init (widget_class);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, content_pane);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, subnet_header);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, subnet_pane);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, thread_pane);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, post_pane);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, subnet_stack);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, subnet_list);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, thread_pane_title);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, post_pane_title);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, subnet_menu_button);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, thread_stack);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, thread_spinner);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, thread_list);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, result_list);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, post_stack);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, post_list);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, welcome_name_row);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_welcome_name_activated_cb",
                                                G_CALLBACK (hl_window_on_welcome_name_activated_cb));

  gtk_widget_class_install_action (widget_class, "win.new-subnet", NULL,
                                   hl_window_new_subnet_action);
  gtk_widget_class_install_action (widget_class, "win.zones-policy", NULL,
                                   hl_window_zones_policy_action);
  gtk_widget_class_install_action (widget_class, "win.new-private-subnet", NULL,
                                   hl_window_new_private_subnet_action);
  gtk_widget_class_install_action (widget_class, "win.private-members", "s",
                                   hl_window_private_members_action);
  gtk_widget_class_install_action (widget_class, "win.subnet-members", NULL,
                                   hl_window_subnet_members_action);
  gtk_widget_class_install_action (widget_class, "win.new-thread", NULL,
                                   hl_window_new_thread_action);
  gtk_widget_class_install_action (widget_class, "win.reply", NULL, hl_window_reply_action);
  gtk_widget_class_install_action (widget_class, "win.edit-post", "s", hl_window_edit_post_action);
  gtk_widget_class_install_action (widget_class, "win.delete-post", "s",
                                   hl_window_delete_post_action);
  gtk_widget_class_install_action (widget_class, "win.hide-post", "s", hl_window_hide_post_action);
  gtk_widget_class_install_action (widget_class, "win.copy-link", "s", hl_window_copy_link_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, hl_window_back_action);
  gtk_widget_class_install_action (widget_class, "win.show-subnets", NULL, hl_window_show_subnets_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, hl_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.find", "s", hl_window_find_action);
  gtk_widget_class_install_action (widget_class, "win.select-subnet", "s",
                                   hl_window_select_subnet_action);
  gtk_widget_class_install_action (widget_class, "win.next-thread", NULL,
                                   hl_window_next_thread_action);
  gtk_widget_class_install_action (widget_class, "win.previous-thread", NULL,
                                   hl_window_previous_thread_action);
  gtk_widget_class_install_action (widget_class, "win.next-unread", NULL,
                                   hl_window_next_unread_action);
  gtk_widget_class_install_action (widget_class, "win.open-thread", "s", hl_window_open_thread_action);
  gtk_widget_class_install_action (widget_class, "win.finish-welcome", NULL,
                                   hl_window_finish_welcome_action);
  gtk_widget_class_install_action (widget_class, "win.open-draft", NULL,
                                   hl_window_open_draft_action);
  gtk_widget_class_install_action (widget_class, "win.open-invite", "s",
                                   hl_window_open_invite_action);
  gtk_widget_class_install_action (widget_class, "win.join-invite", NULL,
                                   hl_window_join_dialog_action);
  gtk_widget_class_install_action (widget_class, "win.invite-friend", NULL,
                                   hl_window_invite_friend_action);
  gtk_widget_class_install_action (widget_class, "win.show-peers", NULL,
                                   hl_window_show_peers_action);
  gtk_widget_class_install_action (widget_class, "win.edit-subnet", NULL,
                                   hl_window_edit_subnet_action);
  gtk_widget_class_install_action (widget_class, "win.delete-subnet", NULL,
                                   hl_window_delete_subnet_action);
  gtk_widget_class_install_action (widget_class, "win.restore-history", NULL,
                                   hl_window_restore_history_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-thread", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reply",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "win.next-thread", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "win.previous-thread", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.next-unread", NULL);
}

static void
hl_window_init (HlWindow *self)
{
  g_autoptr(GtkListItemFactory) thread_rows = hl_thread_row_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  hl_window_layout_init (self);
  gtk_list_view_set_factory (self->thread_list, thread_rows);
  self->cancellable = g_cancellable_new ();
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-thread", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reply", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.hide-post", FALSE);
  hl_window_update_subnet_actions (self);

  if ((self->settings = hl_ui_settings_new ()) != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
}

HlWindow *
hl_window_new (GtkApplication *application,
               HlForum        *forum,
               HlSync         *sync)
{
  HlWindow *self;

  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_WINDOW, "application", application, NULL);
  self->forum = g_object_ref (forum);
  self->archive_settings = G_OBJECT (hl_archive_settings_new (forum));

  self->subnet_model = hl_subnet_list_model_new (forum);
  self->thread_model = hl_thread_list_model_new (forum);
  self->older_history = hl_older_history_new (forum);
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->thread_stack))),
                  GTK_WIDGET (self->older_history));
  self->post_model = hl_post_list_model_new (forum);
  self->result_model = g_list_store_new (HL_TYPE_POST_ITEM);

  self->subnet_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->subnet_model)));
  self->thread_selection = gtk_single_selection_new (g_object_ref (hl_window_older_init (self)));
  self->post_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->post_model)));
  self->result_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->result_model)));
  for (guint i = 0; i < 3; i++)
    {
      GtkSingleSelection *s = (GtkSingleSelection *[]) { self->subnet_selection,
                                                         self->thread_selection,
                                                         self->result_selection }[i];

      gtk_single_selection_set_autoselect (s, FALSE);
      gtk_single_selection_set_can_unselect (s, TRUE);
      gtk_single_selection_set_selected (s, GTK_INVALID_LIST_POSITION);
    }
  gtk_list_view_set_model (self->subnet_list, GTK_SELECTION_MODEL (self->subnet_selection));
  gtk_list_view_set_model (self->thread_list, GTK_SELECTION_MODEL (self->thread_selection));
  gtk_list_view_set_model (self->post_list, GTK_SELECTION_MODEL (self->post_selection));
  gtk_list_view_set_model (self->result_list, GTK_SELECTION_MODEL (self->result_selection));

  g_signal_connect_object (self->subnet_selection, "items-changed",
                           G_CALLBACK (on_subnets_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->subnet_model, "notify::loading",
                           G_CALLBACK (on_subnet_loading_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->subnet_selection, "notify::selected",
                           G_CALLBACK (on_subnet_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->thread_selection, "items-changed",
                           G_CALLBACK (on_threads_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->thread_model, "notify::loading",
                           G_CALLBACK (on_thread_loading_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->thread_selection, "notify::selected",
                           G_CALLBACK (on_thread_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->post_model, "notify::loading",
                           G_CALLBACK (on_post_loading_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->post_model, "items-changed",
                           G_CALLBACK (on_posts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->subnet_list, "activate",
                           G_CALLBACK (on_subnet_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->thread_list, "activate",
                           G_CALLBACK (on_thread_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->result_list, "activate",
                           G_CALLBACK (on_result_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (hl_window_on_search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (hl_window_on_search_mode_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (forum, "changed", G_CALLBACK (on_forum_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* The threads of last time load alongside the subnets, not after them:
   * that is most of the time to the first useful frame. */
  if (self->settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-subnet");
      g_autofree char *thread = g_settings_get_string (self->settings, "last-thread");
      guint8 id[HL_ID_LEN];

      /* Folded, what was open is in front (not the subnets). */
      if (hl_hex_decode (last, id, HL_ID_LEN))
        {
          hl_window_open_subnet (self, id);
          hl_window_show_pane (self, self->thread_pane);
        }
      if (hl_hex_decode (thread, id, HL_ID_LEN))
        {
          hl_window_open_thread (self, id);
          self->thread_from_last_time = TRUE;
          hl_window_show_pane (self, self->post_pane);
        }
    }

  hl_window_set_sync (self, sync);
  hl_window_update_thread_stack (self);
  update_post_title (self);
  hl_window_offer_draft (self);
  self->clock_source = g_timeout_add_seconds (60, on_minute_cb, self);
  hl_window_check_welcome (self);
  return self;
}

HlForum *
hl_window_get_forum (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->forum;
}

GListModel *
hl_window_get_subnets (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->subnet_model);
}

GListModel *
hl_window_get_threads (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->thread_model);
}

GListModel *
hl_window_get_posts (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->post_model);
}

GListModel *
hl_window_get_results (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->result_model);
}

const char *
hl_window_get_page (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

GtkWindow *
hl_window_get_composer (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->composer;
}

gboolean
hl_window_get_idle (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), FALSE);
  return !hl_subnet_list_model_get_loading (self->subnet_model) &&
         !hl_thread_list_model_get_loading (self->thread_model) &&
         !hl_post_list_model_get_loading (self->post_model);
}

GtkWidget *
hl_window_get_thread_list (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->thread_list);
}
