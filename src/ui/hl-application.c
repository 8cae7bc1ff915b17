/* hl-application.c: the single-instance application object.
 *
 * A second `hyperlink` hands its command line to the first (GApplication's
 * uniqueness over D-Bus) and exits, so one process owns the data directory.
 * That process also syncs it: the application owns an HlSync, started when
 * the data directory opens and stopped (everything received stored first)
 * at shutdown.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "hl-alert.h"
#include "hl-application.h"

#include "hl-notifier.h"
#include "hl-paths.h"
#include "hl-preferences-window.h"
#include "hl-screenshot.h"
#include "hl-window.h"

struct _HlApplication
{
  AdwApplication  parent_instance;

  char           *data_dir;
  char           *screenshot;
  char           *screenshot_pane;
  char           *tailscale_socket;
  int             screenshot_width;
  HlForum        *forum;
  HlSync         *sync;
  HlNotifier     *notifier;
  guint           signal_sources[2];
};

G_DEFINE_FINAL_TYPE (HlApplication, hl_application, ADW_TYPE_APPLICATION)

HlForum *
hl_application_get_forum (HlApplication  *self,
                          GError        **error)
{
  g_return_val_if_fail (HL_IS_APPLICATION (self), NULL);

  if (self->forum == NULL)
    {
      g_autofree char *dir = hl_paths_resolve_data_dir (self->data_dir);

      self->forum = hl_forum_new (dir, error);
      if (self->forum != NULL && self->screenshot == NULL)
        self->notifier = hl_notifier_new (GTK_APPLICATION (self), self->forum);
      if (self->forum != NULL)
        {
          /* The node works on a thread of its own: this returns at once. */
          self->sync = hl_sync_new (dir);
          hl_node_runner_set_tailscale_socket (hl_sync_get_runner (self->sync),
                                               self->tailscale_socket);
          hl_sync_start (self->sync);
        }
    }
  return self->forum;
}

HlSync *
hl_application_get_sync (HlApplication *self)
{
  g_return_val_if_fail (HL_IS_APPLICATION (self), NULL);
  return self->sync;
}

static void
show_fatal (HlApplication *self,
            GError        *error)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* No window can be built without the data directory: say why and how to fix it. */
  body = g_strdup_printf (_("%s\n\nCheck that the data directory is writable, or "
                            "start Hyperlink with --data-dir pointing elsewhere."),
                          error->message);
  dialog = hl_alert_new (_("Cannot Open Your Forum"), body);
  hl_alert_add_response (dialog, "close", _("_Quit"));
  /* The application runs until it is answered (an AdwAlertDialog without a
   * parent has a window of its own, not the application's). */
  g_application_hold (G_APPLICATION (self));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (g_application_release), self);
  hl_alert_present (dialog, NULL);
}

static void
hl_application_activate (GApplication *app)
{
  HlApplication *self = HL_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  HlForum *forum;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  if (!(forum = hl_application_get_forum (self, &error)))
    {
      show_fatal (self, error);
      return;
    }
  window = GTK_WINDOW (hl_window_new (GTK_APPLICATION (app), forum, self->sync));
  if (self->screenshot != NULL)
    {
      hl_screenshot_take (HL_WINDOW (window), self->screenshot, self->screenshot_pane,
                          self->screenshot_width);
      return;
    }
  gtk_window_present (window);
}

/* hyperlink:invite?… links (the desktop file's x-scheme-handler) go to the
 * window, which asks before joining; hyperlink://post/ID links (copied from
 * a post's menu) only bring the window up for now. */
static void
hl_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  GtkWindow *window;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (!HL_IS_WINDOW (window))
    return;
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      if (g_str_has_prefix (uri, "hyperlink://post/"))
        hl_window_toast (HL_WINDOW (window), _("Links to posts cannot be opened yet"));
      else
        gtk_widget_activate_action (GTK_WIDGET (window), "win.open-invite", "s", uri);
    }
}

static int
hl_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  HlApplication *self = HL_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("hyperlink %s\n", PACKAGE_VERSION);
      return 0;
    }
  g_variant_dict_lookup (options, "data-dir", "^ay", &self->data_dir);
  g_variant_dict_lookup (options, "screenshot", "^ay", &self->screenshot);
  g_variant_dict_lookup (options, "tailscale-socket", "^ay", &self->tailscale_socket);
  g_variant_dict_lookup (options, "screenshot-pane", "s", &self->screenshot_pane);
  g_variant_dict_lookup (options, "screenshot-width", "i", &self->screenshot_width);
  /* A screenshot or another data directory is a separate instance: it must
   * not hand itself over to a window already running on the usual one. */
  if (self->screenshot != NULL || self->data_dir != NULL || self->tailscale_socket != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Hyperlink developers", NULL };
  GtkWidget *about;

  about = g_object_new (
#if ADW_CHECK_VERSION (1, 5, 0)
                        ADW_TYPE_ABOUT_DIALOG,
#else
                        ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
#endif
                        "application-name", _("Hyperlink"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Hyperlink developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/thehyperlink/hyperlink",
                        "issue-url", "https://github.com/thehyperlink/hyperlink/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("A forum shared directly between computers, with no server."),
                        "developers", developers,
                        /* Translators: put your names here, one a line */
                        "translator-credits", _("translator-credits"),
                        NULL);
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (about), GTK_WIDGET (gtk_application_get_active_window (app)));
#else
  gtk_window_present (GTK_WINDOW (about));
#endif
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  HlApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  HlForum *forum = hl_application_get_forum (self, NULL);

  if (forum == NULL)
    return;
  hl_preferences_window_present (hl_preferences_window_new (parent, forum, self->sync));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Closing (not quitting) lets each window keep its drafts and size. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

/* From a notification: raise the window on that thread. */
static void
open_thread_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (app);
  if (window != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.open-thread", parameter);
}

/* SIGTERM (a logout) or SIGINT: quit as the menu does, so the node stops
 * cleanly and the drafts are kept. */
static gboolean
on_quit_signal_cb (gpointer user_data)
{
  GApplication *app = user_data;

  g_message ("Quitting on request");
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_application_quit (app);
  return G_SOURCE_CONTINUE;
}

static const GActionEntry app_actions[] = {
  { .name = "open-thread", .activate = open_thread_action, .parameter_type = "s" },
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "quit", .activate = quit_action },
};

static void
hl_application_startup (GApplication *app)
{
  HlApplication *self = HL_APPLICATION (app);
  static const char *new_thread[] = { "<Control>n", NULL };
  static const char *search[] = { "<Control>f", NULL };
  static const char *reply[] = { "<Control>r", NULL };
  static const char *quit[] = { "<Control>q", NULL };
  static const char *prefs[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (hl_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  self->signal_sources[0] = g_unix_signal_add (SIGTERM, on_quit_signal_cb, app);
  self->signal_sources[1] = g_unix_signal_add (SIGINT, on_quit_signal_cb, app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.new-thread", new_thread);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.reply", reply);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs);
}

/* Quitting stops the node before the process ends: what it accepted is in
 * the database, and peers see a clean close. */
static void
hl_application_shutdown (GApplication *app)
{
  HlApplication *self = HL_APPLICATION (app);

  for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    g_clear_handle_id (&self->signal_sources[i], g_source_remove);
  if (self->sync != NULL)
    hl_sync_stop (self->sync);
  G_APPLICATION_CLASS (hl_application_parent_class)->shutdown (app);
}

static void
hl_application_finalize (GObject *object)
{
  HlApplication *self = HL_APPLICATION (object);

  g_clear_object (&self->sync);
  g_clear_object (&self->notifier);
  g_clear_object (&self->forum);
  g_free (self->data_dir);
  g_free (self->screenshot);
  g_free (self->screenshot_pane);
  g_free (self->tailscale_socket);

  G_OBJECT_CLASS (hl_application_parent_class)->finalize (object);
}

static void
hl_application_class_init (HlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = hl_application_finalize;
  app_class->activate = hl_application_activate;
  app_class->startup = hl_application_startup;
  app_class->shutdown = hl_application_shutdown;
  app_class->open = hl_application_open;
  app_class->handle_local_options = hl_application_handle_local_options;
}

static void
hl_application_init (HlApplication *self)
{
  static const GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Keep the forum in DIR instead of the usual place"), N_("DIR") },
    { "tailscale-socket", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Ask the tailscaled listening at PATH for peers (else $HYPERLINK_TAILSCALE_SOCKET, else /run/tailscale/tailscaled.sock)"),
      N_("PATH") },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Save a picture of the window to FILE (PNG) once loaded, then quit"), N_("FILE") },
    { "screenshot-pane", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("For --screenshot: open a thread (posts), a reply (compose), a search (search), the preferences, the peers or an invite (invite)"), N_("PANE") },
    { "screenshot-width", 0, 0, G_OPTION_ARG_INT, NULL,
      N_("For --screenshot: the window width in pixels"), N_("WIDTH") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[hyperlink:invite?…]"));
}

HlApplication *
hl_application_new (void)
{
  return g_object_new (HL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/thehyperlink/Hyperlink",
                       NULL);
}
