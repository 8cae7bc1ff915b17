/* hl-members-dialog.c: a private subnet's members: add (a known person or a
 * pasted key), remove, and the owner's admins.
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
  AdwPreferencesGroup  *people_group;
  AdwEntryRow          *key_row;
  GPtrArray            *rows;       /* the member rows shown */
  GPtrArray            *people_rows; /* the rows of known people to add */
  GStrv                 members;    /* hex keys, as last read */
  GStrv                 admins;
  HlForum              *forum;
  guint8                subnet[HL_ID_LEN];
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (HlMembersDialog, hl_members_dialog, ADW_TYPE_WINDOW)

/* What a job does to the member list. */
typedef enum
{
  CHANGE_NONE,           /* read it */
  CHANGE_ADD,
  CHANGE_REMOVE,
  CHANGE_MAKE_ADMIN,     /* the owner names an admin */
  CHANGE_UNMAKE_ADMIN,
} Change;

typedef struct
{
  HlIdentity *identity;
  guint8      subnet[HL_ID_LEN];
  guint8      key[HL_KEY_LEN];
  Change      change;
} MembersJob;

typedef struct
{
  GStrv       members;
  GStrv       admins;
  GHashTable *names;     /* hex key -> display name, of the people known here */
  GPtrArray  *people;    /* HlProfileRow: known people, by name */
  gboolean    owner;     /* this device owns the subnet */
} Members;

static void
members_free (gpointer data)
{
  Members *m = data;

  g_strfreev (m->members);
  g_strfreev (m->admins);
  g_clear_pointer (&m->names, g_hash_table_unref);
  g_clear_pointer (&m->people, g_ptr_array_unref);
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

/* The lists after @change to @key; FALSE with @error when it is not allowed. */
static gboolean
change_lists (const MembersJob *job,
              GPtrArray        *members,
              GPtrArray        *admins,
              gboolean          owner,
              GError          **error)
{
  gboolean admin_change = job->change == CHANGE_MAKE_ADMIN || job->change == CHANGE_UNMAKE_ADMIN;

  if (admin_change && !owner)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
                   "only the owner names and removes admins [private-not-owner]");
      return FALSE;
    }
  drop_key (admins, job->key);
  if (job->change == CHANGE_MAKE_ADMIN)
    g_ptr_array_add (admins, g_memdup2 (job->key, HL_KEY_LEN));
  if (admin_change)
    return TRUE;
  drop_key (members, job->key);
  if (job->change == CHANGE_ADD)
    g_ptr_array_add (members, g_memdup2 (job->key, HL_KEY_LEN));
  return TRUE;
}

/* The names of the people known here, and the list to add from. */
static gboolean
read_people (HlStore  *store,
             Members  *m,
             GError  **error)
{
  m->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!(m->people = hl_store_list_profiles (store, error)))
    return FALSE;
  for (guint i = 0; i < m->people->len; i++)
    {
      HlProfileRow *row = m->people->pdata[i];

      g_hash_table_insert (m->names, hl_hex_dup (row->author, HL_KEY_LEN), g_strdup (row->name));
    }
  return TRUE;
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
  gboolean known = FALSE, owner;
  guint8 owner_key[HL_KEY_LEN];

  if (!hl_store_private_subnet_tag (store, job->subnet, &known, &tag, error))
    return NULL;
  if (!known)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND, "not a private subnet");
      return NULL;
    }
  /* This device's key opens the epochs, for this job only. */
  hl_store_set_identity (store, job->identity);
  owner = hl_store_private_owner (store, job->subnet, owner_key) &&
          memcmp (owner_key, hl_identity_get_public_key (job->identity), HL_KEY_LEN) == 0;
  if (!hl_store_private_members (store, job->subnet, &members, &admins, error))
    goto fail;
  if (job->change != CHANGE_NONE)
    {
      g_autoptr(HlEvent) epoch = NULL;

      if (!change_lists (job, members, admins, owner, error) ||
          !(epoch = hl_store_private_set_members (store, job->identity, job->subnet, members,
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
  m->owner = owner;
  if (!read_people (store, m, error))
    {
      members_free (m);
      return NULL;
    }
  return m;

fail:
  hl_store_set_identity (store, NULL);
  return NULL;
}

static void remove_clicked (GtkButton *button, HlMembersDialog *self);
static void admin_toggled (GtkSwitch *toggle, GParamSpec *pspec, HlMembersDialog *self);
static void add_person_clicked (GtkButton *button, HlMembersDialog *self);

/* A row with the person's avatar: their initials when a name is known. */
static GtkWidget *
person_row (const char *key,
            const char *name,
            const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, name != NULL ? name : key, name != NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), key);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  return row;
}

static char *
member_title (const char *key,
              const char *me,
              const char *name)
{
  if (g_strcmp0 (key, me) == 0)
    return g_strdup (_("This device"));
  if (name != NULL)
    return g_strdup (name);
  /* Translators: %.12s is the start of a device's key */
  return g_strdup_printf (_("Device %.12s…"), key);
}

static GtkWidget *
suffix_button (const char *icon,
               const char *tooltip,
               const char *key)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data_full (G_OBJECT (button), "key", g_strdup (key), g_free);
  return button;
}

/* The owner's switch that makes a member an admin; others see a label. */
static void
add_admin_suffix (HlMembersDialog *self,
                  GtkWidget       *row,
                  const char      *key,
                  gboolean         admin,
                  gboolean         owner)
{
  GtkWidget *toggle;
  g_autofree char *name = NULL;

  if (!owner)
    {
      if (admin)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (_("Admin")));
      return;
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (_("Admin")));
  toggle = gtk_switch_new ();
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), admin);
  gtk_widget_set_tooltip_text (toggle, _("Admins add and remove members"));
  name = g_strconcat ("admin:", key, NULL);
  gtk_widget_set_name (toggle, name);
  g_object_set_data_full (G_OBJECT (toggle), "key", g_strdup (key), g_free);
  g_signal_connect (toggle, "notify::active", G_CALLBACK (admin_toggled), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

static void
show_member_rows (HlMembersDialog *self,
                  Members         *m)
{
  const char *me = hl_forum_get_key_hex (self->forum);

  clear_rows (self->members_group, self->rows);
  for (guint i = 0; m->members[i] != NULL; i++)
    {
      const char *key = m->members[i];
      const char *name = g_hash_table_lookup (m->names, key);
      g_autofree char *title = member_title (key, me, name);
      GtkWidget *row = person_row (key, name, title);

      gtk_widget_set_name (row, key);
      if (g_strcmp0 (key, me) != 0)
        {
          GtkWidget *remove = suffix_button ("user-trash-symbolic", _("Remove"), key);

          add_admin_suffix (self, row, key,
                            g_strv_contains ((const char * const *) m->admins, key), m->owner);
          g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
        }
      adw_preferences_group_add (self->members_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

/* Known people who are not members yet, to add with one click. */
static void
show_people_rows (HlMembersDialog *self,
                  Members         *m)
{
  const char *me = hl_forum_get_key_hex (self->forum);

  clear_rows (self->people_group, self->people_rows);
  for (guint i = 0; i < m->people->len; i++)
    {
      HlProfileRow *person = m->people->pdata[i];
      g_autofree char *key = hl_hex_dup (person->author, HL_KEY_LEN);
      g_autofree char *name = NULL;
      GtkWidget *row, *add;

      if (g_strcmp0 (key, me) == 0 || g_strv_contains ((const char * const *) m->members, key))
        continue;
      row = person_row (key, person->name, person->name);
      name = g_strconcat ("person:", key, NULL);
      gtk_widget_set_name (row, name);
      add = suffix_button ("list-add-symbolic", _("Add"), key);
      g_free (name);
      name = g_strconcat ("add:", key, NULL);
      gtk_widget_set_name (add, name);
      g_signal_connect (add, "clicked", G_CALLBACK (add_person_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), add);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), add);
      adw_preferences_group_add (self->people_group, row);
      g_ptr_array_add (self->people_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->people_group), self->people_rows->len > 0);
}

static void
show_members (HlMembersDialog *self,
              Members         *m)
{
  show_member_rows (self, m);
  show_people_rows (self, m);
  g_strfreev (self->members);
  self->members = g_strdupv (m->members);
  g_strfreev (self->admins);
  self->admins = g_strdupv (m->admins);
}

static void run_job (HlMembersDialog *self, Change change, const guint8 *key);

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
      if (g_error_matches (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION) && self->members != NULL)
        run_job (self, CHANGE_NONE, NULL);   /* the switches back as they are */
      g_message ("Private subnet members: %s", error->message);
      return;
    }
  show_members (self, m);
  members_free (m);
}

static void
run_job (HlMembersDialog *self,
         Change           change,
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
  run_job (self, CHANGE_ADD, key);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    HlMembersDialog  *self)
{
  const char *hex = g_object_get_data (G_OBJECT (dialog), "key");
  guint8 key[HL_KEY_LEN];

  if (g_strcmp0 (response, "remove") == 0 && hl_hex_decode (hex, key, HL_KEY_LEN))
    run_job (self, CHANGE_REMOVE, key);
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
run_with_hex (HlMembersDialog *self,
              Change           change,
              const char      *hex)
{
  guint8 key[HL_KEY_LEN];

  if (hex != NULL && hl_hex_decode (hex, key, HL_KEY_LEN))
    run_job (self, change, key);
}

static void
add_person_clicked (GtkButton       *button,
                    HlMembersDialog *self)
{
  run_with_hex (self, CHANGE_ADD, g_object_get_data (G_OBJECT (button), "key"));
}

static void
admin_toggled (GtkSwitch       *toggle,
               GParamSpec      *pspec,
               HlMembersDialog *self)
{
  const char *key = g_object_get_data (G_OBJECT (toggle), "key");
  gboolean admin = self->admins != NULL &&
                   g_strv_contains ((const char * const *) self->admins, key);

  if (gtk_switch_get_active (toggle) != admin)
    run_with_hex (self, gtk_switch_get_active (toggle) ? CHANGE_MAKE_ADMIN : CHANGE_UNMAKE_ADMIN,
                  key);
}

/* members.add-key (hex): a known person, or any key. */
static void
add_key_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  run_with_hex (HL_MEMBERS_DIALOG (widget), CHANGE_ADD, g_variant_get_string (parameter, NULL));
}

/* members.set-admin (hex, bool): the owner's; others are told they cannot. */
static void
set_admin_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  const char *hex = NULL;
  gboolean admin = FALSE;

  g_variant_get (parameter, "(&sb)", &hex, &admin);
  run_with_hex (HL_MEMBERS_DIALOG (widget), admin ? CHANGE_MAKE_ADMIN : CHANGE_UNMAKE_ADMIN, hex);
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
  g_clear_pointer (&self->people_rows, g_ptr_array_unref);
  g_clear_pointer (&self->members, g_strfreev);
  g_clear_pointer (&self->admins, g_strfreev);
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
  gtk_widget_class_bind_template_child (widget_class, HlMembersDialog, people_group);
  gtk_widget_class_bind_template_child (widget_class, HlMembersDialog, key_row);
  gtk_widget_class_install_action (widget_class, "members.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "members.remove", "s", remove_action);
  gtk_widget_class_install_action (widget_class, "members.add-key", "s", add_key_action);
  gtk_widget_class_install_action (widget_class, "members.set-admin", "(sb)", set_admin_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_members_dialog_init (HlMembersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->people_rows = g_ptr_array_new ();
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
  run_job (self, CHANGE_NONE, NULL);
  return GTK_WIDGET (self);
}

GStrv
hl_members_dialog_dup_members (HlMembersDialog *self)
{
  g_return_val_if_fail (HL_IS_MEMBERS_DIALOG (self), NULL);
  return g_strdupv (self->members);
}

GStrv
hl_members_dialog_dup_admins (HlMembersDialog *self)
{
  g_return_val_if_fail (HL_IS_MEMBERS_DIALOG (self), NULL);
  return g_strdupv (self->admins);
}
