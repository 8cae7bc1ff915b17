/* hl-members-dialog.c: a private subnet's members: add (a known person or a
 * pasted key), remove, and the owner's admins. Only the owner and admins see
 * the controls that change the list; everyone sees who the owner and the
 * admins are.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-members-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hl-alert.h"
#include "hl-error.h"
#include "hl-store-privnet.h"

struct _HlMembersDialog
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwPreferencesGroup  *members_group;
  AdwPreferencesGroup  *people_group;
  AdwPreferencesGroup  *key_group;
  AdwEntryRow          *key_row;
  GPtrArray            *rows;       /* the member rows shown */
  GPtrArray            *people_rows; /* the rows of known people to add */
  GStrv                 members;    /* hex keys, as last read */
  GStrv                 admins;
  char                 *owner;      /* hex key of the owner, as last read */
  GHashTable           *names;      /* hex key -> display name, as last read */
  char                 *last_toast;
  GtkWidget            *confirm;    /* the removal question while it is shown */
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

/* Why a change is not made. Epochs by anyone but the owner and the admins
 * are ignored by every device (docs/protocol.md, "Membership and epochs"),
 * so the dialog refuses them before publishing anything, and says why. */
typedef enum
{
  REFUSAL_NONE,
  REFUSAL_NOT_OWNER,      /* naming or removing an admin: the owner's */
  REFUSAL_ADD_NOT_ADMIN,
  REFUSAL_REMOVE_NOT_ADMIN,
  REFUSAL_REMOVE_OWNER,
  REFUSAL_REMOVE_ADMIN,   /* an admin removing another admin: the owner's */
  REFUSAL_REMOVE_SELF,
} Refusal;

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
  char       *owner;     /* hex */
  GHashTable *names;     /* hex key -> display name, of the people known here */
  GPtrArray  *people;    /* HlProfileRow: known people, by name */
  Refusal     refusal;   /* why the job's change was not made */
} Members;

static void
members_free (gpointer data)
{
  Members *m = data;

  g_strfreev (m->members);
  g_strfreev (m->admins);
  g_free (m->owner);
  g_clear_pointer (&m->names, g_hash_table_unref);
  g_clear_pointer (&m->people, g_ptr_array_unref);
  g_free (m);
}

static gboolean
is_admin (const char * const *admins,
          const char         *key)
{
  return admins != NULL && key != NULL && g_strv_contains (admins, key);
}

/* Whether @me may make @change to @key, given the lists as last read. */
static Refusal
refusal_for (Change              change,
             const char         *key,
             const char         *me,
             const char         *owner,
             const char * const *admins)
{
  gboolean by_owner = g_strcmp0 (me, owner) == 0;
  gboolean by_admin = by_owner || is_admin (admins, me);

  switch (change)
    {
    case CHANGE_NONE:
      return REFUSAL_NONE;
    case CHANGE_MAKE_ADMIN:
    case CHANGE_UNMAKE_ADMIN:
      return by_owner ? REFUSAL_NONE : REFUSAL_NOT_OWNER;
    case CHANGE_ADD:
      return by_admin ? REFUSAL_NONE : REFUSAL_ADD_NOT_ADMIN;
    case CHANGE_REMOVE:
    default:
      if (!by_admin)
        return REFUSAL_REMOVE_NOT_ADMIN;
      if (g_strcmp0 (key, me) == 0)
        return REFUSAL_REMOVE_SELF;
      if (g_strcmp0 (key, owner) == 0)
        return REFUSAL_REMOVE_OWNER;
      if (!by_owner && is_admin (admins, key))
        return REFUSAL_REMOVE_ADMIN;
      return REFUSAL_NONE;
    }
}

/* What the toast says, and the tag the log carries (for tests and reports). */
static const struct
{
  const char *text;
  const char *tag;
} refusals[] = {
  [REFUSAL_NOT_OWNER] = { N_("Only the owner names and removes admins"), "private-not-owner" },
  [REFUSAL_ADD_NOT_ADMIN] = { N_("Only the owner and admins can add members"), "private-not-admin" },
  [REFUSAL_REMOVE_NOT_ADMIN] = { N_("Only the owner and admins can remove members"),
                                 "private-not-admin" },
  [REFUSAL_REMOVE_OWNER] = { N_("The owner cannot be removed"), "private-remove-owner" },
  [REFUSAL_REMOVE_ADMIN] = { N_("Only the owner can remove an admin"), "private-remove-admin" },
  [REFUSAL_REMOVE_SELF] = { N_("This device cannot remove itself: ask the owner or an admin"),
                            "private-remove-self" },
};

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

/* The lists after @job's change, which refusal_for() allowed. */
static void
change_lists (const MembersJob *job,
              GPtrArray        *members,
              GPtrArray        *admins)
{
  gboolean admin_change = job->change == CHANGE_MAKE_ADMIN || job->change == CHANGE_UNMAKE_ADMIN;

  drop_key (admins, job->key);
  if (job->change == CHANGE_MAKE_ADMIN)
    g_ptr_array_add (admins, g_memdup2 (job->key, HL_KEY_LEN));
  if (admin_change)
    return;
  drop_key (members, job->key);
  if (job->change == CHANGE_ADD)
    g_ptr_array_add (members, g_memdup2 (job->key, HL_KEY_LEN));
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

/* Reads the lists into @m; makes @job's change first when it is allowed. */
static gboolean
read_and_change (HlStore     *store,
                 MembersJob  *job,
                 Members     *m,
                 GError     **error)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) admins = NULL;
  g_autoptr(HlEvent) epoch = NULL;
  g_autofree char *me = hl_hex_dup (hl_identity_get_public_key (job->identity), HL_KEY_LEN);
  g_autofree char *key = hl_hex_dup (job->key, HL_KEY_LEN);
  guint8 owner[HL_KEY_LEN];

  if (!hl_store_private_owner (store, job->subnet, owner) ||
      !hl_store_private_members (store, job->subnet, &members, &admins, error))
    return FALSE;
  m->owner = hl_hex_dup (owner, HL_KEY_LEN);
  m->admins = hex_list (admins);
  m->refusal = refusal_for (job->change, key, me, m->owner, (const char * const *) m->admins);
  if (job->change != CHANGE_NONE && m->refusal == REFUSAL_NONE)
    {
      change_lists (job, members, admins);
      if (!(epoch = hl_store_private_set_members (store, job->identity, job->subnet, members,
                                                  admins, error)))
        return FALSE;
      g_clear_pointer (&members, g_ptr_array_unref);
      g_clear_pointer (&admins, g_ptr_array_unref);
      g_clear_pointer (&m->admins, g_strfreev);
      if (!hl_store_private_members (store, job->subnet, &members, &admins, error))
        return FALSE;
      m->admins = hex_list (admins);
    }
  m->members = hex_list (members);
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
  Members *m = g_new0 (Members, 1);
  g_autofree char *tag = NULL;
  gboolean known = FALSE, ok;

  if (!hl_store_private_subnet_tag (store, job->subnet, &known, &tag, error))
    {
      members_free (m);
      return NULL;
    }
  if (!known)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND, "not a private subnet");
      members_free (m);
      return NULL;
    }
  /* This device's key opens the epochs, for this job only. */
  hl_store_set_identity (store, job->identity);
  ok = read_and_change (store, job, m, error);
  hl_store_set_identity (store, NULL);
  if (!ok || !read_people (store, m, error))
    {
      members_free (m);
      return NULL;
    }
  return m;
}

static void remove_clicked (GtkButton *button, HlMembersDialog *self);
static void admin_toggled (GtkSwitch *toggle, GParamSpec *pspec, HlMembersDialog *self);
static void add_person_clicked (GtkButton *button, HlMembersDialog *self);

static void
show_toast (HlMembersDialog *self,
            const char      *text)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

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
  if (name != NULL)
    return g_strdup (name);
  if (g_strcmp0 (key, me) == 0)
    return g_strdup (_("This device"));
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

/* Who a member is to the group ("Owner", "Admin") and whether it is this
 * device ("You"), in one label named "roles" within its row; NULL for none.
 * The owner's own view shows admins by their switch instead. */
static char *
roles_text (const char *key,
            const char *me,
            const char *owner,
            gboolean    admin_label)
{
  const char *role = g_strcmp0 (key, owner) == 0 ? _("Owner") : admin_label ? _("Admin") : NULL;
  gboolean you = g_strcmp0 (key, me) == 0;

  if (role != NULL && you)
    /* Translators: a member's role and that it is this device, e.g. "Owner · You" */
    return g_strdup_printf (_("%s · You"), role);
  return g_strdup (role != NULL ? role : you ? _("You") : NULL);
}

static void
add_label (GtkWidget  *row,
           const char *name,
           const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_name (label, name);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

/* The owner's switch that makes a member an admin. */
static void
add_admin_switch (HlMembersDialog *self,
                  GtkWidget       *row,
                  const char      *key,
                  gboolean         admin)
{
  GtkWidget *toggle = gtk_switch_new ();
  g_autofree char *name = g_strconcat ("admin:", key, NULL);

  add_label (row, "admin-caption", _("Admin"));
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), admin);
  gtk_widget_set_tooltip_text (toggle, _("Admins add and remove members"));
  gtk_widget_set_name (toggle, name);
  g_object_set_data_full (G_OBJECT (toggle), "key", g_strdup (key), g_free);
  g_signal_connect (toggle, "notify::active", G_CALLBACK (admin_toggled), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
}

static void
add_remove_button (HlMembersDialog *self,
                   GtkWidget       *row,
                   const char      *key)
{
  GtkWidget *remove = suffix_button ("user-trash-symbolic", _("Remove"), key);
  g_autofree char *name = g_strconcat ("remove:", key, NULL);

  gtk_widget_set_name (remove, name);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

/* One member: who they are to the group, and what this device may do. */
static GtkWidget *
member_row (HlMembersDialog *self,
            Members         *m,
            const char      *key)
{
  const char *me = hl_forum_get_key_hex (self->forum);
  const char * const *admins = (const char * const *) m->admins;
  const char *name = g_hash_table_lookup (m->names, key);
  g_autofree char *title = member_title (key, me, name);
  GtkWidget *row = person_row (key, name, title);
  gboolean viewer_owner = g_strcmp0 (me, m->owner) == 0;

  g_autofree char *roles = NULL;

  gtk_widget_set_name (row, key);
  roles = roles_text (key, me, m->owner, !viewer_owner && is_admin (admins, key));
  if (roles != NULL)
    add_label (row, "roles", roles);
  if (viewer_owner && g_strcmp0 (key, m->owner) != 0)
    add_admin_switch (self, row, key, is_admin (admins, key));
  if (refusal_for (CHANGE_REMOVE, key, me, m->owner, admins) == REFUSAL_NONE)
    add_remove_button (self, row, key);
  return row;
}

static void
show_member_rows (HlMembersDialog *self,
                  Members         *m)
{
  clear_rows (self->members_group, self->rows);
  /* The owner first, then the others as the epoch lists them. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; m->members[i] != NULL; i++)
      if ((g_strcmp0 (m->members[i], m->owner) == 0) == (pass == 0))
        {
          GtkWidget *row = member_row (self, m, m->members[i]);

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
}

/* The controls that add are for the owner and admins only: others would
 * publish epochs that every device ignores. */
static void
show_add_groups (HlMembersDialog *self,
                 Members         *m)
{
  const char *me = hl_forum_get_key_hex (self->forum);
  gboolean can_add = refusal_for (CHANGE_ADD, NULL, me, m->owner,
                                  (const char * const *) m->admins) == REFUSAL_NONE;

  if (can_add)
    show_people_rows (self, m);
  else
    clear_rows (self->people_group, self->people_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->people_group), self->people_rows->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->key_group), can_add);
  adw_preferences_group_set_description (self->members_group, can_add
    ? _("Only these devices can read this subnet. Removing one starts a new key: it cannot read "
        "what is posted afterwards. The owner names admins, who add and remove members too.")
    : _("Only these devices can read this subnet. The owner and the admins add and remove "
        "members."));
}

static void
show_members (HlMembersDialog *self,
              Members         *m)
{
  show_member_rows (self, m);
  show_add_groups (self, m);
  g_strfreev (self->members);
  self->members = g_strdupv (m->members);
  g_strfreev (self->admins);
  self->admins = g_strdupv (m->admins);
  g_free (self->owner);
  self->owner = g_strdup (m->owner);
  g_clear_pointer (&self->names, g_hash_table_unref);
  self->names = g_hash_table_ref (m->names);
}

static void
show_refusal (HlMembersDialog *self,
              Refusal          refusal)
{
  const char *text = _(refusals[refusal].text);

  g_message ("Private subnet members: refused: %s [%s]", text, refusals[refusal].tag);
  show_toast (self, text);
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
      show_toast (self, g_error_matches (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION)
                        ? _("Only a private subnet’s members see its members")
                        : g_error_matches (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND)
                        ? _("This subnet is public: it has no members list")
                        : _("The members could not be changed"));
      g_message ("Private subnet members: %s", error->message);
      return;
    }
  /* A refused change shows the lists as they are: the switches go back. */
  show_members (self, m);
  if (m->refusal != REFUSAL_NONE)
    show_refusal (self, m->refusal);
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
      show_toast (self, _("A device key is 64 hexadecimal digits"));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  run_job (self, CHANGE_ADD, key);
}

static void
on_remove_response (GtkWidget       *alert,
                    const char      *response,
                    HlMembersDialog *self)
{
  const char *hex = g_object_get_data (G_OBJECT (alert), "key");
  guint8 key[HL_KEY_LEN];

  if (g_strcmp0 (response, "remove") == 0 && hl_hex_decode (hex, key, HL_KEY_LEN))
    run_job (self, CHANGE_REMOVE, key);
}

/* Asks first, saying what removal means (issue 13: removal means removal). */
static void
remove_member (HlMembersDialog *self,
               const char      *hex)
{
  const char *me = hl_forum_get_key_hex (self->forum);
  const char *name = self->names != NULL ? g_hash_table_lookup (self->names, hex) : NULL;
  Refusal refusal = refusal_for (CHANGE_REMOVE, hex, me, self->owner,
                                 (const char * const *) self->admins);
  g_autofree char *title = member_title (hex, me, name);
  g_autofree char *body = NULL;
  GtkWidget *alert;

  if (self->owner != NULL && refusal != REFUSAL_NONE)
    {
      show_refusal (self, refusal);
      return;
    }
  /* The name goes in the body: a long word in the heading makes libadwaita
   * 1.5+ measure it narrower than it needs. */
  /* Translators: %s is a person's name, or "Device 0123abcd…" */
  body = g_strdup_printf (_("%s keeps what they have already read. Nothing posted from now on can "
                            "be read by them, on any device: later posts are sealed under a new "
                            "key that they never receive."), title);
  alert = hl_alert_new (_("Remove Member?"), body);
  gtk_widget_set_name (alert, "remove_alert");
  hl_alert_add_response (alert, "cancel", _("_Cancel"));
  hl_alert_add_response (alert, "remove", _("_Remove"));
  hl_alert_set_response_appearance (alert, "remove", ADW_RESPONSE_DESTRUCTIVE);
  hl_alert_set_close_response (alert, "cancel");
  g_object_set_data_full (G_OBJECT (alert), "key", g_strdup (hex), g_free);
  g_signal_connect_object (alert, "response", G_CALLBACK (on_remove_response), self, 0);
  g_set_weak_pointer (&self->confirm, alert);
  hl_alert_present (alert, GTK_WIDGET (self));
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

  if (gtk_switch_get_active (toggle) != is_admin ((const char * const *) self->admins, key))
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
  g_clear_weak_pointer (&self->confirm);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->people_rows, g_ptr_array_unref);
  g_clear_pointer (&self->members, g_strfreev);
  g_clear_pointer (&self->admins, g_strfreev);
  g_clear_pointer (&self->owner, g_free);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->last_toast, g_free);
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
  gtk_widget_class_bind_template_child (widget_class, HlMembersDialog, key_group);
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

const char *
hl_members_dialog_get_last_toast (HlMembersDialog *self)
{
  g_return_val_if_fail (HL_IS_MEMBERS_DIALOG (self), NULL);
  return self->last_toast;
}

GtkWidget *
hl_members_dialog_get_confirm (HlMembersDialog *self)
{
  g_return_val_if_fail (HL_IS_MEMBERS_DIALOG (self), NULL);
  return self->confirm;
}
