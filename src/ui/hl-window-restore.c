/* hl-window-restore.c: restoring the group's history into the window
 * (win.restore-history, the Restore History dialog), and the offer on the
 * empty page when sealed history of the group is known here but none of
 * the forum is: a device that joined, or one that was wiped.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-archive.h"
#include "hl-restore-dialog.h"

#define RESTORE_DIALOG_KEY "hl-restore-dialog"
#define OFFER_WATCH_KEY    "hl-restore-offer-watch"
#define OFFERED_KEY        "hl-restore-offered"

static void
on_restore_finished_cb (HlRestoreDialog *dialog,
                        HlWindow        *self)
{
  if (hl_restore_dialog_get_state (dialog) != HL_RESTORE_DIALOG_DONE)
    return;   /* the dialog says what was kept or what to do */
  hl_window_toast (self, _("History restored"));
  /* "destroy" comes only with the last reference, which may be elsewhere. */
  g_object_set_data (G_OBJECT (self), RESTORE_DIALOG_KEY, NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_restore_dialog_destroy_cb (GtkWidget *dialog,
                              HlWindow  *self)
{
  g_object_set_data (G_OBJECT (self), RESTORE_DIALOG_KEY, NULL);
}

/* Opens the Restore History dialog, which starts the restore at once. */
void
hl_window_restore_history_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  GtkWidget *dialog = g_object_get_data (G_OBJECT (self), RESTORE_DIALOG_KEY);

  if (dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  if (self->sync == NULL)
    {
      hl_window_toast (self, _("Sync is off in this window, so history cannot be restored here."));
      return;
    }
  dialog = hl_restore_dialog_new (GTK_WINDOW (self), self->sync);
  g_object_set_data (G_OBJECT (self), RESTORE_DIALOG_KEY, dialog);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (on_restore_finished_cb), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_restore_dialog_destroy_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWindow *
hl_window_get_restore_dialog (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return g_object_get_data (G_OBJECT (self), RESTORE_DIALOG_KEY);
}

/* ---- the offer on the empty page ---- */

static gpointer
count_segments_func (HlForum       *forum,
                     HlStore       *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(HlArchive) archive = hl_archive_new (store, hl_forum_get_identity (forum));
  g_autoptr(HlArchiveStatus) status = hl_archive_status (archive, error);

  guint lacking = 0;

  if (status == NULL)
    return NULL;
  /* Sealed months whose content this device never had (or lost). */
  for (guint i = 0; i < status->segments->len; i++)
    {
      const HlArchiveSegmentStatus *seg = g_ptr_array_index (status->segments, i);

      if (seg->row->verified_ms == 0)
        lacking++;
    }
  return GUINT_TO_POINTER (lacking + 1);
}

/* The subnets came by gossip but their old threads are sealed away. */
static void
offer_in_toast (HlWindow *self)
{
  AdwToast *toast;

  if (g_object_get_data (G_OBJECT (self), OFFERED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (self), OFFERED_KEY, GINT_TO_POINTER (TRUE));
  toast = adw_toast_new (_("Your group has history from before you joined."));
  adw_toast_set_button_label (toast, _("_Restore…"));
  adw_toast_set_action_name (toast, "win.restore-history");
  adw_toast_set_timeout (toast, 0);
  g_free (self->last_toast);
  self->last_toast = g_strdup (adw_toast_get_title (toast));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_segments_counted_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  HlWindow *self = user_data;  /* not owned: the window cancels in dispose */
  g_autoptr(GError) error = NULL;
  guint n = GPOINTER_TO_UINT (hl_forum_run_finish (HL_FORUM (object), result, &error));

  if (n == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Reading the archive status: %s", error->message);
      return;
    }
  gtk_widget_set_visible (self->empty_restore, self->forum_empty && n > 1);
  if (!self->forum_empty && n > 1)
    offer_in_toast (self);
}

static void
check_offer (HlWindow *self)
{
  if (self->sync == NULL || g_object_get_data (G_OBJECT (self), OFFERED_KEY) != NULL)
    {
      gtk_widget_set_visible (self->empty_restore, FALSE);
      return;
    }
  hl_forum_run_async (self->forum, count_segments_func, NULL, NULL, NULL, self->cancellable,
                      on_segments_counted_cb, self);
}

static void
on_forum_changed_cb (HlWindow *self,
                     HlForum  *forum)
{
  /* Manifests come from the peers after the start: look again. */
  check_offer (self);
}

/* Shows "Your group has history from before you joined" on the empty page
 * when sealed months are known here (their manifests came from peers). */
void
hl_window_restore_offer_update (HlWindow *self)
{
  if (self->sync != NULL && g_object_get_data (G_OBJECT (self), OFFER_WATCH_KEY) == NULL)
    {
      g_object_set_data (G_OBJECT (self), OFFER_WATCH_KEY, GINT_TO_POINTER (TRUE));
      g_signal_connect_object (self->forum, "changed", G_CALLBACK (on_forum_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  check_offer (self);
}
