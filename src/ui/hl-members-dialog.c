/* hl-members-dialog.c: a private subnet's members, add and remove.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-members-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hl-error.h"
#include "hl-store-privnet.h"

struct _HlMembersDialog
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwPreferencesGroup  *members_group;
  AdwEntryRow          *key_row;
  GPtrArray            *rows;       /* the member rows shown */
  GStrv                 members;    /* hex keys, as last read */
  HlForum              *forum;
  guint8                subnet[HL_ID_LEN];
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (HlMembersDialog, hl_members_dialog, ADW_TYPE_WINDOW)

/* What a job does to the member list: nothing (read), add or remove a key. */
typedef struct
{
  HlIdentity *identity;
  guint8      subnet[HL_ID_LEN];
  guint8      key[HL_KEY_LEN];
  int         change;      /* 0 read, 1 add, -1 remove */
} MembersJob;

typedef struct
{
  GStrv members;
  GStrv admins;
} Members;

static void
members_free (gpointer data)
{
  Members *m = data;

  g_strfreev (m->members);
  g_strfreev (m->admins);
  g_free (m);
}

static GStrv
hex_list (GPtrArray *keys)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv list;

  for (guint i = 0; i < keys->len; i++)
    {
      g_autofree char *hex = hl_hex_dup (keys->pdata[i], HL_KEY_LEN);

      g_strv_builder_add (builder, hex);
    }
  list = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return list;
}

static void
drop_key (GPtrArray    *keys,
          const guint8 *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (memcmp (keys->pdata[i], key, HL_KEY_LEN) == 0)
      g_ptr_array_remove_index (keys, i--);
}

static gpointer
members_in_worker (HlForum       *forum,
                   HlStore       *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  MembersJob *job = data;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) admins = NULL;
  Members *m;

  g_autofree char *tag = NULL;
  gboolean known = FALSE;

  if (!hl_store_private_subnet_tag (store, job->subnet, &known, &tag, error))
    return NULL;
  if (!known)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND, "not a private subnet");
      return NULL;
    }
  /* This device's key opens the epochs, for this job only. */
  hl_store_set_identity (store, job->identity);
  if (!hl_store_private_members (store, job->subnet, &members, &admins, error))
    goto fail;
  if (job->change != 0)
    {
      g_autoptr(HlEvent) epoch = NULL;

      drop_key (members, job->key);
      if (job->change > 0)
        g_ptr_array_add (members, g_memdup2 (job->key, HL_KEY_LEN));
      if (!(epoch = hl_store_private_set_members (store, job->identity, job->subnet, members,
                                                  admins, error)))
        goto fail;
      g_clear_pointer (&members, g_ptr_array_unref);
      g_clear_pointer (&admins, g_ptr_array_unref);
      if (!hl_store_private_members (store, job->subnet, &members, &admins, error))
        goto fail;
    }
  hl_store_set_identity (store, NULL);
  m = g_new0 (Members, 1);
  m->members = hex_list (members);
  m->admins = hex_list (admins);
  return m;

fail:
  hl_store_set_identity (store, NULL);
  return NULL;
}

static void remove_clicked (GtkButton *button, HlMembersDialog *self);

static void
show_members (HlMembersDialog *self,
              Members         *m)
{
  const char *me = hl_forum_get_key_hex (self->forum);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->members_group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; m->members[i] != NULL; i++)
    {
      const char *key = m->members[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;

      if (g_strcmp0 (key, me) == 0)
        title = g_strdup (_("This device"));
      else if (g_strv_contains ((const char * const *) m->admins, key))
        /* Translators: %.12s is the start of a device's key */
        title = g_strdup_printf (_("Device %.12s… (admin)"), key);
      else
        /* Translators: %.12s is the start of a device's key */
        title = g_strdup_printf (_("Device %.12s…"), key);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), key);
      gtk_widget_set_name (row, key);
      if (g_strcmp0 (key, me) != 0)
        {
          GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (remove, _("Remove"));
          gtk_widget_add_css_class (remove, "flat");
          g_object_set_data_full (G_OBJECT (remove), "key", g_strdup (key), g_free);
          g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
        }
      adw_preferences_group_add (self->members_group, row);
      g_ptr_array_add (self->rows, row);
    }
  g_strfreev (self->members);
  self->members = g_strdupv (m->members);
}

static void
on_members (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HlMembersDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  Members *m = hl_forum_run_finish (HL_FORUM (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (m == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (g_error_matches (error, HL_CORE_ERROR,
                                                                   HL_CORE_ERROR_PERMISSION)
                                                  ? _("Only a private subnet’s members see its members")
                                                  : g_error_matches (error, HL_CORE_ERROR,
                                                                     HL_CORE_ERROR_NOT_FOUND)
                                                  ? _("This subnet is public: it has no members list")
                                                  : _("The members could not be changed")));
      g_message ("Private subnet members: %s", error->message);
      return;
    }
  show_members (self, m);
  members_free (m);
}

static void
run_job (HlMembersDialog *self,
         int              change,
         const guint8    *key)
{
  MembersJob *job = g_new0 (MembersJob, 1);

  job->identity = hl_forum_get_identity (self->forum);
  memcpy (job->subnet, self->subnet, HL_ID_LEN);
  if (key != NULL)
    memcpy (job->key, key, HL_KEY_LEN);
  job->change = change;
  hl_forum_run_async (self->forum, members_in_worker, job, g_free, members_free,
                      self->cancellable, on_members, g_object_ref (self));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  HlMembersDialog *self = HL_MEMBERS_DIALOG (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_row))));
  guint8 key[HL_KEY_LEN];

  if (!hl_hex_decode (text, key, HL_KEY_LEN))
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("A device key is 64 hexadecimal digits")));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  run_job (self, 1, key);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    HlMembersDialog  *self)
{
  const char *hex = g_object_get_data (G_OBJECT (dialog), "key");
  guint8 key[HL_KEY_LEN];

  if (g_strcmp0 (response, "remove") == 0 && hl_hex_decode (hex, key, HL_KEY_LEN))
    run_job (self, -1, key);
}

static void
remove_member (HlMembersDialog *self,
               const char      *hex)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove This Device?"),
                                              _("It keeps what it has already read, but it will "
                                                "not be able to read anything posted from now on, "
                                                "on any device."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "key", g_strdup (hex), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_clicked (GtkButton       *button,
                HlMembersDialog *self)
{
  remove_member (self, g_object_get_data (G_OBJECT (button), "key"));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  remove_member (HL_MEMBERS_DIALOG (widget), g_variant_get_string (parameter, NULL));
}

static void
hl_members_dialog_dispose (GObject *object)
{
  HlMembersDialog *self = HL_MEMBERS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->forum);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->members, g_strfreev);
  G_OBJECT_CLASS (hl_members_dialog_parent_class)->dispose (object);
}

static void
hl_members_dialog_class_init (HlMembersDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_members_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-members-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlMembersDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HlMembersDialog, members_group);
  gtk_widget_class_bind_template_child (widget_class, HlMembersDialog, key_row);
  gtk_widget_class_install_action (widget_class, "members.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "members.remove", "s", remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_members_dialog_init (HlMembersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
hl_members_dialog_new (GtkWindow    *parent,
                       HlForum      *forum,
                       const guint8 *subnet)
{
  HlMembersDialog *self = g_object_new (HL_TYPE_MEMBERS_DIALOG, "transient-for", parent, NULL);

  self->forum = g_object_ref (forum);
  memcpy (self->subnet, subnet, HL_ID_LEN);
  run_job (self, 0, NULL);
  return GTK_WIDGET (self);
}

GStrv
hl_members_dialog_dup_members (HlMembersDialog *self)
{
  g_return_val_if_fail (HL_IS_MEMBERS_DIALOG (self), NULL);
  return g_strdupv (self->members);
}
