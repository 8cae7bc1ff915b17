/* hl-ui-test.c: helpers for the widget tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "hl-ui-test.h"

#include "hl-paths.h"
#include "hl-ui-util.h"

void
hl_ui_test_init (int    *argc,
                 char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display: run under xvfb-run\n");
      exit (0);
    }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* No cursor blinking: its timer makes focus timing part of the result. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
}

char *
hl_ui_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("hl-ui-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      remove_tree (child);
      g_object_unref (info);
    }
  g_file_delete (file, NULL, NULL);
}

void
hl_ui_test_remove_dir (const char *dir)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);

  remove_tree (file);
}

void
hl_ui_test_publish (const char   *data_dir,
                    HlIdentity   *author,
                    const char   *kind,
                    const guint8 *ref,
                    const char   *body_json,
                    guint8       *id_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = hl_paths_database (data_dir);
  g_autoptr(HlStore) store = hl_store_open (path, &error);
  HlEvent *event;

  g_assert_no_error (error);
  event = hl_store_publish (store, author, kind, ref, body_json, &error);
  g_assert_no_error (error);
  if (id_out != NULL)
    memcpy (id_out, event->id, HL_ID_LEN);
  hl_event_free (event);
}

void
hl_ui_test_add_threads (const char   *data_dir,
                        HlIdentity   *author,
                        const guint8 *subnet,
                        guint         n,
                        const char   *title_prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = hl_paths_database (data_dir);
  g_autoptr(HlStore) store = hl_store_open (path, &error);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  HlTimestamp ts = { .ms = (guint64) hl_now_ms (), .ctr = 0 };

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++, ts.ctr++)
    {
      g_autofree char *body = g_strdup_printf ("{\"title\":\"%s %u\",\"body\":\"From before\"}",
                                               title_prefix, i);
      HlEvent *event = hl_event_new (HL_KIND_THREAD_CREATE,
                                     hl_identity_get_public_key (author), &ts, subnet, body);

      hl_event_sign (event, author);
      g_ptr_array_add (events, event);
    }
  g_assert_true (hl_store_begin_batch (store, &error));
  g_assert_true (hl_store_apply_in_batch (store, (HlEvent *const *) events->pdata, events->len,
                                          NULL, &error));
  g_assert_true (hl_store_commit_batch (store, &error));
  g_assert_no_error (error);
}

gboolean
hl_ui_test_tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
hl_ui_test_wait (HlUiTestCond  cond,
                 gpointer      data,
                 double        seconds,
                 const char   *what)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint tick = g_timeout_add (10, hl_ui_test_tick_cb, NULL);

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %g s waiting for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

GtkWidget *
hl_ui_test_find_descendant (GtkWidget *root,
                            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = hl_ui_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
hl_ui_test_find_named (GtkWidget  *root,
                       const char *name)
{
  return hl_ui_find_named (root, name);
}

GtkWindow *
hl_ui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

GtkWidget *
hl_ui_test_find_widget (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      GtkWidget *found = hl_ui_test_find_descendant (GTK_WIDGET (window), type);

      if (found != NULL)
        return found;   /* the toplevel list keeps it */
    }
  return NULL;
}

guint16
hl_ui_test_free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_socket_listener_close (listener);
  return port;
}

char *
hl_ui_test_ctl (const char *data_dir,
                ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) ctl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, g_strdup (g_getenv ("HYPERLINKCTL")));
  g_ptr_array_add (args, g_strdup_printf ("--data-dir=%s", data_dir));
  va_start (ap, data_dir);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_assert_nonnull (args->pdata[0]);
  ctl = g_subprocess_newv ((const char * const *) args->pdata,
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (ctl, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (ctl))
    g_error ("hyperlinkctl %s failed: %s", (char *) args->pdata[2], err);
  return g_steal_pointer (&out);
}
