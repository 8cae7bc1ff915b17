/* hl-restore-dialog.c: the window's restore of the history archive.
 *
 * The restore runs on the window's own node (hl_node_runner_restore_async),
 * which fetches every sealed month this device lacks from all reachable
 * holders at once. The dialog shows its reports (about four a second) as a
 * bar of the bytes and a line of months, devices and time left. Cancel
 * stops it; what arrived stays stored, so a later restore goes on from
 * there, and the dialog says so.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-restore-dialog.h"

#include "hl-sync-error.h"

/* How long the node waits for peers to connect and reconcile first. */
#define RESTORE_WAIT_S 15

struct _HlRestoreDialog
{
  AdwWindow             parent_instance;

  HlSync               *sync;
  GCancellable         *cancellable;
  HlRestoreDialogState  state;
  guint                 reports;
  gboolean              disposed;   /* the restore may end after the widgets went */
  char                 *text;
  char                 *heading;

  AdwWindowTitle       *title;
  GtkLabel             *heading_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *text_label;
  GtkButton            *cancel_button;
  GtkButton            *retry_button;
  GtkButton            *close_button;
};

G_DEFINE_FINAL_TYPE (HlRestoreDialog, hl_restore_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_PROGRESS, SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_texts (HlRestoreDialog *self,
           const char      *heading,
           const char      *text)
{
  if (heading != NULL)
    {
      g_free (self->heading);
      self->heading = g_strdup (heading);
      gtk_label_set_text (self->heading_label, heading);
    }
  g_free (self->text);
  self->text = g_strdup (text);
  gtk_label_set_text (self->text_label, text);
}

static void
show_buttons (HlRestoreDialog *self)
{
  gboolean running = self->state == HL_RESTORE_DIALOG_RUNNING;

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          self->state == HL_RESTORE_DIALOG_CANCELLED ||
                          self->state == HL_RESTORE_DIALOG_FAILED);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), !running);
}

/* ---- the progress line ---- */

static char *
describe_time_left (gint64 eta_ms)
{
  guint s;

  if (eta_ms < 0)
    return NULL;
  s = (guint) MAX (1, (eta_ms + 999) / 1000);
  if (s < 120)
    /* Translators: time left of the restore, in seconds */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u s left", "about %u s left", s),
                            s);
  s = (s + 59) / 60;
  /* Translators: time left of the restore, in minutes */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u min left", "about %u min left",
                                       s), s);
}

static char *
describe_progress (const HlRestoreProgress *p)
{
  g_autofree char *time_left = describe_time_left (p->eta_ms);
  g_autofree char *months = NULL;
  g_autofree char *devices = NULL;

  if (p->segments == 0)
    return g_strdup (_("Looking for your group’s devices…"));
  /* Translators: sealed months restored of all, e.g. "3 of 12 months" */
  months = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u month", "%u of %u months",
                                         p->segments), p->segments_done, p->segments);
  /* Translators: the devices symbols are fetched from at the moment */
  devices = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u device", "%u devices", p->peers),
                             p->peers);
  if (time_left == NULL)
    return g_strjoin (" · ", months, devices, NULL);
  return g_strjoin (" · ", months, devices, time_left, NULL);
}

static double
progress_fraction (const HlRestoreProgress *p)
{
  if (p->bytes_total == 0)
    return p->segments > 0 ? (double) p->segments_done / p->segments : 0.0;
  return CLAMP ((double) p->bytes / (double) p->bytes_total, 0.0, 1.0);
}

static void
on_progress (const HlRestoreProgress *progress,
             gpointer                 user_data)
{
  HlRestoreDialog *self = user_data;
  g_autofree char *text = NULL;

  if (self->disposed)
    return;
  text = describe_progress (progress);
  self->reports++;
  gtk_progress_bar_set_fraction (self->progress_bar, progress_fraction (progress));
  set_texts (self, NULL, text);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

/* ---- how it ends ---- */

static void
show_failure (HlRestoreDialog *self,
              const GError    *error)
{
  g_autofree char *text = NULL;

  g_message ("Restoring history: %s", error->message);
  if (g_error_matches (error, HL_SYNC_ERROR, HL_SYNC_ERROR_RESTORE_NO_PEER))
    set_texts (self, _("No Device of Your Group Is Reachable"),
               _("Turn on another device of your group, check that it is connected to the "
                 "tailnet, then try again."));
  else if (g_error_matches (error, HL_SYNC_ERROR, HL_SYNC_ERROR_RESTORE_INCOMPLETE))
    {
      /* The node's sentence names the devices that hold the rest. */
      text = g_strdup_printf (_("Some history could not be restored: %s. Turn on those devices "
                                "and try again; what arrived is kept."), error->message);
      set_texts (self, _("Not All History Is Reachable"), text);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    set_texts (self, _("Sync Is Not Running Here"),
               _("This window does not run sync on this computer now (it is off, or hyperlinkd "
                 "runs it). Run “hyperlinkctl archive restore” instead, or start sync and try "
                 "again."));
  else
    {
      text = g_strdup_printf (_("History could not be restored: %s. Try again later."),
                              error->message);
      set_texts (self, _("History Could Not Be Restored"), text);
    }
}

static void
on_restored (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HlRestoreDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlRestoreProgress) last = hl_node_runner_restore_finish (HL_NODE_RUNNER (object),
                                                                     result, &error);

  g_clear_object (&self->cancellable);
  if (self->disposed)
    return;
  if (last != NULL)
    {
      self->state = HL_RESTORE_DIALOG_DONE;
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      set_texts (self, _("History Restored"),
                 _("Every sealed month of your group is on this device again."));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->state = HL_RESTORE_DIALOG_CANCELLED;
      set_texts (self, _("Restore Stopped"),
                 _("What arrived is kept on this device: restoring again goes on from there."));
    }
  else
    {
      self->state = HL_RESTORE_DIALOG_FAILED;
      show_failure (self, error);
    }
  show_buttons (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
ask_node (HlRestoreDialog *self)
{
  hl_node_runner_restore_async (hl_sync_get_runner (self->sync), RESTORE_WAIT_S, on_progress,
                                self, self->cancellable, on_restored, g_object_ref (self));
}

/* Opened as the window starts: the node is not up yet, so wait for it. */
static void
on_runner_state_cb (HlRestoreDialog *self,
                    GParamSpec      *pspec,
                    HlNodeRunner    *runner)
{
  if (hl_node_runner_get_state (runner) == HL_NODE_RUNNER_STARTING)
    return;
  g_signal_handlers_disconnect_by_func (runner, on_runner_state_cb, self);
  if (!self->disposed)
    ask_node (self);
}

static void
start_restore (HlRestoreDialog *self)
{
  HlNodeRunner *runner = hl_sync_get_runner (self->sync);

  g_return_if_fail (self->cancellable == NULL);
  self->state = HL_RESTORE_DIALOG_RUNNING;
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  set_texts (self, _("Restoring History"), _("Looking for your group’s devices…"));
  show_buttons (self);
  if (hl_node_runner_get_state (runner) == HL_NODE_RUNNER_STARTING)
    g_signal_connect_object (runner, "notify::state", G_CALLBACK (on_runner_state_cb), self,
                             G_CONNECT_SWAPPED);
  else
    ask_node (self);
}

/* ---- actions ---- */

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  hl_restore_dialog_cancel (HL_RESTORE_DIALOG (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  hl_restore_dialog_retry (HL_RESTORE_DIALOG (widget));
}

/* Closing the window while it runs cancels it: what arrived is kept. */
static gboolean
hl_restore_dialog_close_request (GtkWindow *window)
{
  hl_restore_dialog_cancel (HL_RESTORE_DIALOG (window));
  return GTK_WINDOW_CLASS (hl_restore_dialog_parent_class)->close_request (window);
}

static void
hl_restore_dialog_dispose (GObject *object)
{
  HlRestoreDialog *self = HL_RESTORE_DIALOG (object);

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->sync);
  G_OBJECT_CLASS (hl_restore_dialog_parent_class)->dispose (object);
}

static void
hl_restore_dialog_finalize (GObject *object)
{
  HlRestoreDialog *self = HL_RESTORE_DIALOG (object);

  g_free (self->text);
  g_free (self->heading);
  G_OBJECT_CLASS (hl_restore_dialog_parent_class)->finalize (object);
}

static void
hl_restore_dialog_class_init (HlRestoreDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hl_restore_dialog_dispose;
  object_class->finalize = hl_restore_dialog_finalize;
  window_class->close_request = hl_restore_dialog_close_request;

  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-restore-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlRestoreDialog, title);
  gtk_widget_class_bind_template_child (widget_class, HlRestoreDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, HlRestoreDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HlRestoreDialog, text_label);
  gtk_widget_class_bind_template_child (widget_class, HlRestoreDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HlRestoreDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, HlRestoreDialog, close_button);
  gtk_widget_class_install_action (widget_class, "restore.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "restore.retry", NULL, retry_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_restore_dialog_init (HlRestoreDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hl_restore_dialog_new (GtkWindow *parent,
                       HlSync    *sync)
{
  HlRestoreDialog *self;

  g_return_val_if_fail (HL_IS_SYNC (sync), NULL);
  self = g_object_new (HL_TYPE_RESTORE_DIALOG, "transient-for", parent, NULL);
  self->sync = g_object_ref (sync);
  start_restore (self);
  return GTK_WIDGET (self);
}

HlRestoreDialogState
hl_restore_dialog_get_state (HlRestoreDialog *self)
{
  g_return_val_if_fail (HL_IS_RESTORE_DIALOG (self), HL_RESTORE_DIALOG_FAILED);
  return self->state;
}

void
hl_restore_dialog_cancel (HlRestoreDialog *self)
{
  g_return_if_fail (HL_IS_RESTORE_DIALOG (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
hl_restore_dialog_retry (HlRestoreDialog *self)
{
  g_return_if_fail (HL_IS_RESTORE_DIALOG (self));
  if (self->state != HL_RESTORE_DIALOG_RUNNING)
    start_restore (self);
}

double
hl_restore_dialog_get_fraction (HlRestoreDialog *self)
{
  g_return_val_if_fail (HL_IS_RESTORE_DIALOG (self), 0.0);
  return gtk_progress_bar_get_fraction (self->progress_bar);
}

const char *
hl_restore_dialog_get_text (HlRestoreDialog *self)
{
  g_return_val_if_fail (HL_IS_RESTORE_DIALOG (self), NULL);
  return self->text;
}

const char *
hl_restore_dialog_get_heading (HlRestoreDialog *self)
{
  g_return_val_if_fail (HL_IS_RESTORE_DIALOG (self), NULL);
  return self->heading;
}

guint
hl_restore_dialog_get_reports (HlRestoreDialog *self)
{
  g_return_val_if_fail (HL_IS_RESTORE_DIALOG (self), 0);
  return self->reports;
}
