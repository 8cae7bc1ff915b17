/* hl-private-dialog.c: New Private Subnet.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-private-dialog.h"

#include <glib/gi18n.h>

#include "hl-private.h"
#include "hl-store-privnet.h"

struct _HlPrivateDialog
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwEntryRow     *name_row;
  AdwEntryRow     *tag_row;
  GtkLabel        *tag_problem;
  HlForum         *forum;
  GCancellable    *cancellable;
  gboolean         creating;
};

G_DEFINE_FINAL_TYPE (HlPrivateDialog, hl_private_dialog, ADW_TYPE_WINDOW)

enum { CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct
{
  HlIdentity *identity;   /* the forum's: it outlives the job */
  char       *name;
  char       *tag;        /* NULL: no zone */
} CreateJob;

static void
create_job_free (gpointer data)
{
  CreateJob *job = data;

  g_free (job->name);
  g_free (job->tag);
  g_free (job);
}

static const char *
tag_text (HlPrivateDialog *self)
{
  const char *tag = gtk_editable_get_text (GTK_EDITABLE (self->tag_row));

  return tag != NULL && *tag != '\0' ? tag : NULL;
}

static void
update_form (HlPrivateDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *tag = tag_text (self);
  gboolean tag_ok = tag == NULL || hl_private_tag_is_valid (tag);
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  gtk_widget_set_visible (GTK_WIDGET (self->tag_problem), !tag_ok);
  if (tag_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->tag_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->tag_row), "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "private.create",
                                 !self->creating && *stripped != '\0' && tag_ok);
}

static gpointer
create_in_worker (HlForum       *forum,
                  HlStore       *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  CreateJob *job = data;
  g_autoptr(HlEvent) create = NULL;

  /* The worker's store opens the create with this device's key, for this
   * job only: the store is the thread's, the identity the forum's. */
  hl_store_set_identity (store, job->identity);
  create = hl_store_private_create (store, job->identity, job->name, NULL, job->tag, error);
  hl_store_set_identity (store, NULL);
  return create != NULL ? hl_event_id_hex (create) : NULL;
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HlPrivateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = hl_forum_run_finish (HL_FORUM (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->creating = FALSE;
  if (id == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("The private subnet could not be created")));
      g_message ("Cannot create a private subnet: %s", error->message);
      update_form (self);
      return;
    }
  g_signal_emit (self, signals[CREATED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HlPrivateDialog *self = HL_PRIVATE_DIALOG (widget);
  CreateJob *job = g_new0 (CreateJob, 1);
  const char *tag = tag_text (self);

  job->identity = hl_forum_get_identity (self->forum);
  job->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  job->tag = tag != NULL ? g_strdup (tag) : NULL;
  self->creating = TRUE;
  update_form (self);
  hl_forum_run_async (self->forum, create_in_worker, job, create_job_free, g_free,
                      self->cancellable, on_created, g_object_ref (self));
}

static void
hl_private_dialog_dispose (GObject *object)
{
  HlPrivateDialog *self = HL_PRIVATE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->forum);
  G_OBJECT_CLASS (hl_private_dialog_parent_class)->dispose (object);
}

static void
hl_private_dialog_class_init (HlPrivateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_private_dialog_dispose;
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-private-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlPrivateDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HlPrivateDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, HlPrivateDialog, tag_row);
  gtk_widget_class_bind_template_child (widget_class, HlPrivateDialog, tag_problem);
  gtk_widget_class_bind_template_callback (widget_class, update_form);
  gtk_widget_class_install_action (widget_class, "private.create", NULL, create_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_private_dialog_init (HlPrivateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_form (self);
}

GtkWidget *
hl_private_dialog_new (GtkWindow *parent,
                       HlForum   *forum)
{
  HlPrivateDialog *self = g_object_new (HL_TYPE_PRIVATE_DIALOG, "transient-for", parent, NULL);

  self->forum = g_object_ref (forum);
  return GTK_WIDGET (self);
}
