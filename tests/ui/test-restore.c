/* test-restore.c: the window's Restore History flow against real hyperlinkd
 * holders on loopback, whose history `archive seal --all` sealed and spread.
 *
 * to-the-end: a fresh device's window offers the restore on its empty page
 * (the manifests came from the peers, the forum did not), the dialog shows
 * progress and ends with "History restored"; the subnets and their threads
 * show.
 *
 * cancel: Cancel once bytes arrived; the dialog says what was kept, and
 * Try Again goes on to the end.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ui-test.h"

#include "hl-archive-net.h"
#include "hl-forum.h"
#include "hl-restore-dialog.h"
#include "hl-screenshot.h"
#include "hl-sync.h"
#include "hl-window.h"

#define N_HOLDERS   3
#define N_SUBNETS   2
#define N_EVENTS    1200     /* per subnet: a restore of several reports */

static HlTestNode *holders[N_HOLDERS];

static void
test_setup (void)
{
  hl_test_seal_and_spread (holders, N_HOLDERS, N_SUBNETS, N_EVENTS);
}

typedef struct
{
  HlTestNode *device;
  HlForum    *forum;
  HlSync     *sync;
  HlWindow   *window;
} Device;

static void
device_open (Device     *d,
             const char *name)
{
  g_autoptr(GError) error = NULL;

  d->device = hl_test_fresh_device (name, 2, holders[0], holders[1]);
  d->forum = hl_forum_new (d->device->data_dir, &error);
  g_assert_no_error (error);
  d->sync = hl_sync_new (d->device->data_dir);
  hl_sync_start (d->sync);
  d->window = g_object_ref (hl_window_new (NULL, d->forum, d->sync));
  gtk_window_set_default_size (GTK_WINDOW (d->window), 1000, 640);
  gtk_window_present (GTK_WINDOW (d->window));
}

static void
device_close (Device *d)
{
  gtk_window_destroy (GTK_WINDOW (d->window));
  g_assert_finalize_object (d->window);
  hl_sync_stop (d->sync);
  g_assert_finalize_object (d->sync);
  HL_UI_WAIT (G_OBJECT (d->forum)->ref_count == 1, 10);
  g_assert_finalize_object (d->forum);
  hl_test_assert_integrity (d->device);
  hl_test_node_free (d->device);
}

static HlRestoreDialog *
open_dialog (Device *d)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->window), "win.restore-history",
                                             NULL));
  g_assert_nonnull (hl_window_get_restore_dialog (d->window));
  return HL_RESTORE_DIALOG (hl_window_get_restore_dialog (d->window));
}

static gboolean
all_threads_shown (HlWindow *window)
{
  GListModel *subnets = hl_window_get_subnets (window);

  return g_list_model_get_n_items (subnets) == N_SUBNETS &&
         g_list_model_get_n_items (hl_window_get_threads (window)) > 0;
}

/* HL_RESTORE_SCREENSHOT=PATH: a picture of the dialog partway, to look at. */
static void
save_picture (HlRestoreDialog *dialog,
              double           fraction)
{
  static gboolean saved;
  const char *path = g_getenv ("HL_RESTORE_SCREENSHOT");
  g_autoptr(GError) error = NULL;

  if (path == NULL || saved || fraction >= 1.0)
    return;
  saved = hl_screenshot_save (GTK_WIDGET (dialog), path, &error);
  g_assert_no_error (error);
}

static void
on_progress_picture_cb (HlRestoreDialog *dialog)
{
  save_picture (dialog, hl_restore_dialog_get_fraction (dialog));
}

/* As soon as symbol bytes arrived. */
static void
on_progress_cancel_cb (HlRestoreDialog *dialog)
{
  if (hl_restore_dialog_get_fraction (dialog) > 0)
    hl_restore_dialog_cancel (dialog);
}

static void
test_to_the_end (void)
{
  Device d = { 0 };
  GtkWidget *offer;
  HlRestoreDialog *dialog;
  double fraction = 0;

  device_open (&d, "fresh-end");
  /* Only the subnets and the manifests came by gossip: the window offers
   * the rest (on the empty page, or in a toast once subnets show). */
  offer = hl_ui_test_find_named (GTK_WIDGET (d.window), "empty_restore");
  g_assert_nonnull (offer);
  HL_UI_WAIT (gtk_widget_get_visible (offer) ||
              g_strcmp0 (hl_window_get_last_toast (d.window),
                         "Your group has history from before you joined.") == 0, 60);
  g_assert_cmpuint (g_list_model_get_n_items (hl_window_get_threads (d.window)), ==, 0);
  dialog = open_dialog (&d);
  g_signal_connect (dialog, "progress", G_CALLBACK (on_progress_picture_cb), NULL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  while (dialog != NULL && hl_restore_dialog_get_state (dialog) == HL_RESTORE_DIALOG_RUNNING)
    {
      HL_UI_WAIT (dialog == NULL ||
                  hl_restore_dialog_get_state (dialog) != HL_RESTORE_DIALOG_RUNNING ||
                  hl_restore_dialog_get_fraction (dialog) != fraction, 60);
      if (dialog != NULL)
        {
          g_assert_cmpfloat (hl_restore_dialog_get_fraction (dialog), >=, fraction);
          fraction = hl_restore_dialog_get_fraction (dialog);
          g_test_message ("%.2f %s", fraction, hl_restore_dialog_get_text (dialog));

        }
    }
  /* Success closes the dialog and says so. */
  HL_UI_WAIT (dialog == NULL, 10);
  g_assert_cmpstr (hl_window_get_last_toast (d.window), ==, "History restored");
  HL_UI_WAIT (all_threads_shown (d.window), 30);
  g_assert_false (gtk_widget_get_visible (offer));
  device_close (&d);
}

static void
test_cancel (void)
{
  Device d = { 0 };
  HlRestoreDialog *dialog;

  device_open (&d, "fresh-cancel");
  dialog = open_dialog (&d);
  g_object_ref (dialog);
  g_signal_connect (dialog, "progress", G_CALLBACK (on_progress_cancel_cb), NULL);
  HL_UI_WAIT (hl_restore_dialog_get_state (dialog) != HL_RESTORE_DIALOG_RUNNING, 30);
  g_assert_cmpint (hl_restore_dialog_get_state (dialog), ==, HL_RESTORE_DIALOG_CANCELLED);
  g_assert_nonnull (strstr (hl_restore_dialog_get_text (dialog), "kept"));
  /* The dialog stays, with Try Again: it goes on from what was kept. */
  g_assert_true (hl_window_get_restore_dialog (d.window) == GTK_WINDOW (dialog));
  g_signal_handlers_disconnect_by_func (dialog, on_progress_cancel_cb, NULL);
  hl_restore_dialog_retry (dialog);
  HL_UI_WAIT (hl_restore_dialog_get_state (dialog) != HL_RESTORE_DIALOG_RUNNING, 90);
  g_assert_cmpint (hl_restore_dialog_get_state (dialog), ==, HL_RESTORE_DIALOG_DONE);
  HL_UI_WAIT (hl_window_get_restore_dialog (d.window) == NULL, 10);
  g_object_unref (dialog);
  HL_UI_WAIT (all_threads_shown (d.window), 30);
  device_close (&d);
}

static void
test_teardown (void)
{
  for (guint i = 0; i < N_HOLDERS; i++)
    g_clear_pointer (&holders[i], hl_test_node_free);
}

int
main (int   argc,
      char *argv[])
{
  hl_ui_test_init (&argc, &argv);
  /* Holders write their share at their next upkeep: every 300 ms here,
   * not every minute. */
  g_setenv ("HYPERLINK_ARCHIVE_INTERVAL_MS", "300", TRUE);
  g_test_add_func ("/restore/setup", test_setup);
  g_test_add_func ("/restore/to-the-end", test_to_the_end);
  g_test_add_func ("/restore/cancel", test_cancel);
  g_test_add_func ("/restore/teardown", test_teardown);
  return g_test_run ();
}
