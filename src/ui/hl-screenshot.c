/* hl-screenshot.c: saves a picture of the real window.
 *
 * The window is drawn by its own renderer into a texture, exactly what would
 * be on screen, so this works under Xvfb and without a compositor.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-screenshot.h"

#include "hl-composer.h"
#include "hl-preferences-window.h"

#include "hl-post-item.h"
#include "hl-subnet-item.h"
#include "hl-ui-util.h"

/* Long enough for a cold start on a slow machine, short enough for CI. */
#define DEADLINE_US (20 * G_USEC_PER_SEC)
/* How long a picture waits for the sync engine to reach its peers. */
#define SYNC_WAIT_US (8 * G_USEC_PER_SEC)

typedef struct
{
  HlWindow *window;
  char     *path;
  char     *pane;
  gint64    deadline;
  gint64    sync_until;
  guint     stage;
  guint     quiet_ticks;
  gboolean  picked_subnet;
  GtkWidget *other;      /* a dialog: a window saved instead of the main one, or an
                          * AdwDialog (libadwaita 1.5) saved with the window under it */
} Shot;

static void
shot_free (Shot *shot)
{
  g_object_unref (shot->window);
  g_free (shot->path);
  g_free (shot->pane);
  g_free (shot);
}

gboolean
hl_screenshot_save (GtkWidget   *widget,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL || renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The window has not been drawn yet");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write %s", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
first_loaded (GListModel *model)
{
  g_autoptr(HlPostItem) item = g_list_model_get_item (model, 0);

  return item != NULL && hl_post_item_get_loaded (item);
}

/* A picture of an empty subnet shows little: show the one with most threads. */
static void
select_busiest_subnet (Shot *shot)
{
  GListModel *subnets = hl_window_get_subnets (shot->window);
  g_autoptr(HlSubnetItem) best = NULL;

  if (shot->picked_subnet)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (subnets); i++)
    {
      g_autoptr(HlSubnetItem) item = g_list_model_get_item (subnets, i);

      if (best == NULL ||
          hl_subnet_item_get_row (item)->thread_count > hl_subnet_item_get_row (best)->thread_count)
        g_set_object (&best, item);
    }
  if (best == NULL)
    return;
  shot->picked_subnet = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.select-subnet", "s",
                              hl_subnet_item_get_id_hex (best));
}

/* Of the threads on screen, the one with most replies makes the best picture. */
static void
open_liveliest_thread (Shot *shot)
{
  GListModel *threads = hl_window_get_threads (shot->window);
  g_autoptr(HlPostItem) best = NULL;

  for (guint i = 0; i < MIN (g_list_model_get_n_items (threads), 20); i++)
    {
      g_autoptr(HlPostItem) item = g_list_model_get_item (threads, i);

      if (!hl_post_item_get_loaded (item))
        continue;
      if (best == NULL ||
          hl_post_item_get_row (item)->reply_count > hl_post_item_get_row (best)->reply_count)
        g_set_object (&best, item);
    }
  if (best != NULL)
    gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.open-thread", "s",
                                hl_post_item_get_id_hex (best));
}

static gboolean
sync_settled (Shot *shot)
{
  HlSync *sync = hl_window_get_sync (shot->window);
  HlNodeRunnerState runner;

  if (sync == NULL || g_get_monotonic_time () > shot->sync_until)
    return TRUE;
  runner = hl_node_runner_get_state (hl_sync_get_runner (sync));
  if (runner == HL_NODE_RUNNER_FAILED || runner == HL_NODE_RUNNER_STOPPED)
    return TRUE;
  /* No peer to wait for. */
  if (hl_node_runner_get_status (hl_sync_get_runner (sync)) != NULL &&
      g_list_model_get_n_items (hl_sync_get_peers (sync)) == 0)
    return TRUE;
  return hl_sync_get_state (sync) == HL_SYNC_IN_SYNC &&
         (runner != HL_NODE_RUNNER_RUNNING ||
          hl_sync_get_connected (sync) == g_list_model_get_n_items (hl_sync_get_peers (sync)));
}

/* The dialog named @name, a window over the main one or (libadwaita 1.5)
 * inside a window, or NULL. */
static GtkWidget *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      GtkWidget *found = hl_ui_find_named (GTK_WIDGET (window), name);

      if (found != NULL)
        return found;   /* the toplevel list keeps it */
    }
  return NULL;
}

/* Invite a Friend, answered: the dialog with the link comes a moment later. */
static void
start_invite (Shot *shot)
{
  gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.invite-friend", NULL);
  hl_window_respond (shot->window, "create");
}

/* Stages: wait for the lists, open a thread when asked, open a composer when
 * asked, let a few frames settle, save. */
static gboolean
on_tick_cb (gpointer user_data)
{
  Shot *shot = user_data;
  g_autoptr(GError) error = NULL;

  if (g_get_monotonic_time () > shot->deadline)
    {
      g_printerr ("hyperlink: the window did not finish loading in time; saving it as it is\n");
      shot->stage = 3;
    }

  switch (shot->stage)
    {
    case 0:
      if (!hl_window_get_idle (shot->window))
        return G_SOURCE_CONTINUE;
      if (g_strcmp0 (hl_window_get_page (shot->window), "welcome") == 0)
        {
          shot->stage = 2;
          return G_SOURCE_CONTINUE;
        }
      /* A forum with no subnet yet: the newcomer's page, as it is. */
      if (g_list_model_get_n_items (hl_window_get_subnets (shot->window)) == 0)
        {
          shot->stage = 1;
          return G_SOURCE_CONTINUE;
        }
      if (!first_loaded (hl_window_get_threads (shot->window)))
        {
          select_busiest_subnet (shot);
          return G_SOURCE_CONTINUE;
        }
      if (g_strcmp0 (shot->pane, "posts") == 0 || g_strcmp0 (shot->pane, "compose") == 0)
        open_liveliest_thread (shot);
      shot->stage = 1;
      return G_SOURCE_CONTINUE;
    case 1:
      if (!hl_window_get_idle (shot->window))
        return G_SOURCE_CONTINUE;
      if (g_strcmp0 (shot->pane, "search") == 0)
        gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.find", "s", "autosuspend");
      if (g_strcmp0 (shot->pane, "preferences") == 0 || g_strcmp0 (shot->pane, "peers") == 0 ||
          g_strcmp0 (shot->pane, "archive") == 0)
        {
          HlPreferencesWindow *prefs = hl_preferences_window_new (GTK_WINDOW (shot->window),
                                                                  hl_window_get_forum (shot->window),
                                                                  hl_window_get_sync (shot->window));

          if (g_strcmp0 (shot->pane, "peers") == 0)
            hl_preferences_window_show_peers (prefs);
          if (g_strcmp0 (shot->pane, "archive") == 0)
            hl_preferences_window_show_page (prefs, "archive");
          hl_preferences_window_present (prefs);
          shot->other = GTK_WIDGET (prefs);
        }
      if (g_strcmp0 (shot->pane, "invite") == 0)
        start_invite (shot);
      if (g_strcmp0 (shot->pane, "join") == 0)
        gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.join-invite", NULL);
      if (g_strcmp0 (shot->pane, "compose") == 0)
        {
          gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.reply", NULL);
          if (hl_window_get_composer (shot->window) != NULL)
            hl_composer_set_text (HL_COMPOSER (hl_window_get_composer (shot->window)), NULL,
                                  _("Same here: after turning off USB autosuspend it has "
                                    "stayed up for a week.\n\nThe router also pins its address now."));
        }
      shot->stage = 2;
      return G_SOURCE_CONTINUE;
    case 2:
      /* The header bar shows the sync as it will mostly be: settled. */
      if (!sync_settled (shot))
        return G_SOURCE_CONTINUE;
      if (g_strcmp0 (shot->pane, "invite") == 0 && shot->other == NULL &&
          (shot->other = find_dialog ("invite_dialog")) == NULL)
        return G_SOURCE_CONTINUE;
      if (g_strcmp0 (shot->pane, "join") == 0 && shot->other == NULL &&
          (shot->other = find_dialog ("join_dialog")) == NULL)
        return G_SOURCE_CONTINUE;
      if (g_strcmp0 (shot->pane, "peers") == 0 && shot->quiet_ticks == 0 && shot->other != NULL)
        {
          HlPeersPage *page = hl_preferences_window_get_peers (HL_PREFERENCES_WINDOW (shot->other));
          GtkListBoxRow *first = gtk_list_box_get_row_at_index (hl_peers_page_get_list (page), 0);

          if (first != NULL)
            adw_expander_row_set_expanded (ADW_EXPANDER_ROW (first), TRUE);
        }
      /* Rows bind and lay out over the next frames. */
      if (++shot->quiet_ticks < 10)
        return G_SOURCE_CONTINUE;
      shot->stage = 3;
      G_GNUC_FALLTHROUGH;
    case 3:
    default:
      break;
    }

  if (g_strcmp0 (shot->pane, "compose") == 0 && hl_window_get_composer (shot->window) != NULL)
    shot->other = GTK_WIDGET (hl_window_get_composer (shot->window));
  if (shot->other != NULL && GTK_IS_WINDOW (shot->other))
    {
      if (!hl_screenshot_save (shot->other, shot->path, &error))
        g_printerr ("hyperlink: %s\n", error->message);
      else
        g_print ("%s\n", shot->path);
    }
  else if (!hl_screenshot_save (GTK_WIDGET (shot->window), shot->path, &error))
    g_printerr ("hyperlink: %s\n", error->message);
  else
    g_print ("%s\n", shot->path);
  /* Not destroyed with the window; the application would not quit. */
  if ((g_strcmp0 (shot->pane, "invite") == 0 || g_strcmp0 (shot->pane, "join") == 0) &&
      shot->other != NULL && GTK_IS_WINDOW (shot->other))
    gtk_window_destroy (GTK_WINDOW (shot->other));
  gtk_window_destroy (GTK_WINDOW (shot->window));
  return G_SOURCE_REMOVE;
}

void
hl_screenshot_take (HlWindow   *window,
                    const char *path,
                    const char *pane,
                    int         width)
{
  Shot *shot = g_new0 (Shot, 1);

  shot->window = g_object_ref (window);
  shot->path = g_strdup (path);
  shot->pane = g_strdup (pane);
  shot->deadline = g_get_monotonic_time () + DEADLINE_US;
  shot->sync_until = g_get_monotonic_time () + SYNC_WAIT_US;
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, width < 600 ? 720 : 760);
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add_full (G_PRIORITY_LOW, 50, on_tick_cb, shot, (GDestroyNotify) shot_free);
}
