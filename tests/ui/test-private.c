/* test-private.c: the window's part of private subnets: the Tailscale policy
 * dialog for the zones, its Copy button, New Private Subnet, and the members
 * dialog as the owner, an admin and a plain member see it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-acl-dialog.h"
#include "hl-alert.h"
#include "hl-paths.h"
#include "hl-store-privnet.h"
#include "hl-private-dialog.h"
#include "hl-members-dialog.h"
#include "hl-screenshot.h"
#include "hl-ui-fixture.h"

typedef struct
{
  char    *text;
  gboolean done;
} ClipboardRead;

static void
on_clipboard_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_policy_dialog (Fixture      *fx,
                    gconstpointer data)
{
  g_autofree char *subnet = hl_ui_test_ctl (fx->dir, "subnet", "create", "--private", "--tag",
                                            "tag:hl-family", "Family", NULL);
  g_autofree char *shown = NULL;
  ClipboardRead read = { NULL, FALSE };
  const char *policy;
  const char *shot_dir = g_getenv ("HL_UI_SCREENSHOT_DIR");
  GtkWindow *dialog;
  GtkWidget *view;

  fixture_open_window (fx);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.zones-policy", NULL));
  HL_UI_WAIT ((dialog = hl_ui_test_find_toplevel (HL_TYPE_ACL_DIALOG)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)), 10);
  policy = hl_acl_dialog_get_policy (HL_ACL_DIALOG (dialog));
  g_assert_nonnull (strstr (policy, "\"tagOwners\""));
  g_assert_nonnull (strstr (policy, "\"tag:hl-family\": [\"autogroup:admin\"]"));
  g_assert_nonnull (strstr (policy, "\"dst\": [\"tag:hl-family:9473\"]"));
  view = hl_ui_test_find_named (GTK_WIDGET (dialog), "policy_view");
  g_assert_nonnull (view);
  shown = view_text (GTK_TEXT_VIEW (view));
  g_assert_cmpstr (shown, ==, policy);
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (view)));

  /* Copy puts exactly the policy on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "acl.copy", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), NULL,
                                 on_clipboard_read, &read);
  HL_UI_WAIT (read.done, 10);
  g_assert_cmpstr (read.text, ==, policy);
  g_free (read.text);

  if (shot_dir != NULL)
    {
      g_autofree char *path = g_build_filename (shot_dir, "acl-dialog.png", NULL);
      g_autoptr(GError) error = NULL;

      HL_UI_WAIT (gtk_widget_get_width (GTK_WIDGET (dialog)) > 0, 5);
      g_assert_true (hl_screenshot_save (GTK_WIDGET (dialog), path, &error));
      g_assert_no_error (error);
      g_test_message ("screenshot: %s", path);
    }
  gtk_window_destroy (dialog);
  fixture_close_window (fx);
}

static void
save_shot (GtkWidget  *widget,
           const char *name)
{
  const char *shot_dir = g_getenv ("HL_UI_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (shot_dir == NULL)
    return;
  path = g_build_filename (shot_dir, name, NULL);
  /* It saves once a frame has been drawn since the last change. */
  HL_UI_WAIT (hl_screenshot_save (widget, path, NULL), 5);
  g_test_message ("screenshot: %s", path);
}

/* New Private Subnet: Create waits for a name and a valid tag (or none);
 * what it creates is private, bound to the tag, and in the policy. */
static void
test_create_dialog (Fixture      *fx,
                    gconstpointer data)
{
  g_autofree char *list = NULL;
  g_autofree char *acl = NULL;
  GtkWindow *dialog;
  GtkWidget *name, *tag, *create;

  fixture_open_window (fx);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.new-private-subnet",
                                             NULL));
  HL_UI_WAIT ((dialog = hl_ui_test_find_toplevel (HL_TYPE_PRIVATE_DIALOG)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (dialog)), 10);
  name = hl_ui_test_find_named (GTK_WIDGET (dialog), "name_row");
  tag = hl_ui_test_find_named (GTK_WIDGET (dialog), "tag_row");
  create = hl_ui_test_find_named (GTK_WIDGET (dialog), "create_button");
  g_assert_nonnull (name);
  g_assert_nonnull (tag);
  g_assert_nonnull (create);
  g_assert_false (gtk_widget_is_sensitive (create));       /* no name yet */
  gtk_editable_set_text (GTK_EDITABLE (name), "Family");
  g_assert_true (gtk_widget_is_sensitive (create));        /* no tag is fine */
  gtk_editable_set_text (GTK_EDITABLE (tag), "family");
  g_assert_false (gtk_widget_is_sensitive (create));       /* not a tag */
  save_shot (GTK_WIDGET (dialog), "private-dialog-bad-tag.png");
  gtk_editable_set_text (GTK_EDITABLE (tag), "tag:hl-family");
  g_assert_true (gtk_widget_is_sensitive (create));
  save_shot (GTK_WIDGET (dialog), "private-dialog.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "private.create", NULL));
  HL_UI_WAIT (hl_ui_test_find_toplevel (HL_TYPE_PRIVATE_DIALOG) == NULL, 10);
  list = hl_ui_test_ctl (fx->dir, "subnet", "list", NULL);
  g_assert_nonnull (strstr (list, "Family"));
  acl = hl_ui_test_ctl (fx->dir, "acl", NULL);
  g_assert_nonnull (strstr (acl, "\"tag:hl-family\": [\"autogroup:admin\"]"));
  fixture_close_window (fx);
}

static guint
n_members (HlMembersDialog *dialog,
           const char      *key)
{
  g_auto(GStrv) members = hl_members_dialog_dup_members (dialog);

  if (members == NULL)
    return 0;
  if (key != NULL && !g_strv_contains ((const char * const *) members, key))
    return 0;
  return g_strv_length (members);
}

/* @row has a label named @name that reads @text. */
static void
assert_label (GtkWidget  *row,
              const char *name,
              const char *text)
{
  GtkWidget *label = hl_ui_test_find_named (row, name);

  g_assert_nonnull (label);
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, text);
}

/* Members: add a device by its key, remove it after the window says what
 * removal means; both are new epochs in the store. */
static void
test_members_dialog (Fixture      *fx,
                     gconstpointer data)
{
  g_autofree char *subnet = hl_ui_test_ctl (fx->dir, "subnet", "create", "--private", "Band", NULL);
  g_autofree char *other = hl_identity_dup_public_hex (fx->other);
  g_autofree char *listed = NULL;
  g_autofree char *after = NULL;
  g_autofree char *me = hl_identity_dup_public_hex (fx->me);
  g_autofree char *remove_name = g_strconcat ("remove:", other, NULL);
  g_autofree char *my_remove = g_strconcat ("remove:", me, NULL);
  GtkWidget *confirm;
  HlMembersDialog *dialog;
  GtkWidget *key_row, *mine;

  g_strchomp (subnet);
  fixture_open_window (fx);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.private-members", "s",
                                             subnet));
  HL_UI_WAIT ((dialog = (HlMembersDialog *) hl_ui_test_find_toplevel (HL_TYPE_MEMBERS_DIALOG)) != NULL &&
              n_members (dialog, NULL) == 1, 10);
  /* The owner's own row says so, and has nothing to remove. */
  mine = hl_ui_test_find_named (GTK_WIDGET (dialog), me);
  g_assert_nonnull (mine);
  assert_label (mine, "roles", "Owner · You");
  g_assert_null (hl_ui_test_find_named (mine, my_remove));

  key_row = hl_ui_test_find_named (GTK_WIDGET (dialog), "key_row");
  g_assert_nonnull (key_row);
  g_assert_true (gtk_widget_get_visible (hl_ui_test_find_named (GTK_WIDGET (dialog), "key_group")));
  gtk_editable_set_text (GTK_EDITABLE (key_row), other);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "members.add", NULL));
  HL_UI_WAIT (n_members (dialog, other) == 2, 10);
  listed = hl_ui_test_ctl (fx->dir, "member", "list", subnet, NULL);
  g_assert_nonnull (strstr (listed, other));
  HL_UI_WAIT (hl_ui_test_find_named (GTK_WIDGET (dialog), remove_name) != NULL, 10);
  save_shot (GTK_WIDGET (dialog), "members-dialog.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "members.remove", "s", other));
  HL_UI_WAIT ((confirm = hl_members_dialog_get_confirm (dialog)) != NULL &&
              gtk_widget_get_mapped (confirm), 10);
  /* Removal means removal: the question says so before anything is done. */
  g_assert_nonnull (strstr (hl_alert_get_body (confirm), "posted from now on"));
  g_assert_nonnull (strstr (hl_alert_get_body (confirm), "on any device"));
  g_assert_true (g_str_has_prefix (hl_alert_get_body (confirm), "Device "));
  save_shot (confirm, "members-remove.png");
  hl_alert_respond (confirm, "remove");
  HL_UI_WAIT (n_members (dialog, NULL) == 1, 10);
  after = hl_ui_test_ctl (fx->dir, "member", "list", subnet, NULL);
  g_assert_null (strstr (after, other));
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close_window (fx);
}

static gboolean
has_admin (HlMembersDialog *dialog,
           const char      *key)
{
  g_auto(GStrv) admins = hl_members_dialog_dup_admins (dialog);

  return admins != NULL && g_strv_contains ((const char * const *) admins, key);
}

/* Members: add a friend picked by the name on their profile (no key to
 * paste), then the owner names them admin and takes it back; each is a new
 * epoch in the store, its lists as ctl reads them. */
static void
test_members_friend (Fixture      *fx,
                     gconstpointer data)
{
  g_autofree char *subnet = hl_ui_test_ctl (fx->dir, "subnet", "create", "--private", "Band", NULL);
  g_autofree char *other = hl_identity_dup_public_hex (fx->other);
  g_autofree char *person_name = g_strconcat ("person:", other, NULL);
  g_autofree char *add_name = g_strconcat ("add:", other, NULL);
  g_autofree char *admin_name = g_strconcat ("admin:", other, NULL);
  g_autofree char *listed = NULL;
  HlMembersDialog *dialog;
  GtkWidget *person, *add, *member, *toggle;

  /* A friend known by the profile their device published. */
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_PROFILE, NULL, "{\"name\":\"Ada\"}", NULL);
  g_strchomp (subnet);
  fixture_open_window (fx);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.private-members", "s",
                                             subnet));
  HL_UI_WAIT ((dialog = (HlMembersDialog *) hl_ui_test_find_toplevel (HL_TYPE_MEMBERS_DIALOG)) != NULL &&
              n_members (dialog, NULL) == 1 &&
              hl_ui_test_find_named (GTK_WIDGET (dialog), person_name) != NULL, 10);
  person = hl_ui_test_find_named (GTK_WIDGET (dialog), person_name);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (person)), ==, "Ada");
  g_assert_true (gtk_widget_get_visible (hl_ui_test_find_named (GTK_WIDGET (dialog), "people_group")));
  save_shot (GTK_WIDGET (dialog), "members-friends.png");
  add = hl_ui_test_find_named (person, add_name);
  g_assert_nonnull (add);
  g_signal_emit_by_name (add, "clicked");
  HL_UI_WAIT (n_members (dialog, other) == 2, 10);
  /* Now a member, shown by name, and no longer offered. */
  HL_UI_WAIT (hl_ui_test_find_named (GTK_WIDGET (dialog), person_name) == NULL, 10);
  member = hl_ui_test_find_named (GTK_WIDGET (dialog), other);
  g_assert_nonnull (member);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (member)), ==, "Ada");

  toggle = hl_ui_test_find_named (member, admin_name);
  g_assert_nonnull (toggle);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  HL_UI_WAIT (has_admin (dialog, other), 10);
  listed = hl_ui_test_ctl (fx->dir, "member", "list", subnet, NULL);
  g_assert_nonnull (strstr (listed, other));
  g_test_message ("member list: %s", listed);
  HL_UI_WAIT ((toggle = hl_ui_test_find_named (GTK_WIDGET (dialog), admin_name)) != NULL &&
              gtk_switch_get_active (GTK_SWITCH (toggle)), 10);
  save_shot (GTK_WIDGET (dialog), "members-admin.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "members.set-admin", "(sb)",
                                             other, FALSE));
  HL_UI_WAIT (!has_admin (dialog, other) && n_members (dialog, other) == 2, 10);
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close_window (fx);
}

/* Whether the members dialog logged a refusal [private-not-owner]. */
static gboolean not_owner_logged;

static GLogWriterOutput
watch_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
        strstr (fields[i].value, "[private-not-owner]") != NULL)
      not_owner_logged = TRUE;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gboolean
copy_event (const HlEvent *event,
            gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  HlEvent *copy = hl_event_copy (event);
  gboolean ok = hl_store_apply_verified (user_data, &copy, 1, NULL, &error);

  g_assert_no_error (error);
  hl_event_free (copy);
  return ok;
}

/* A private subnet owned by fx->other with this device a member (an admin
 * when @admin), and @third a plain member when not NULL, as sync would bring
 * it: its subnet id in hex. */
static char *
joined_subnet (Fixture    *fx,
               gboolean    admin,
               HlIdentity *third)
{
  g_autofree char *owner_dir = g_build_filename (fx->dir, "owner", NULL);
  g_autofree char *owner_db = g_build_filename (owner_dir, "owner.db", NULL);
  g_autofree char *mine = hl_paths_database (fx->dir);
  g_autoptr(HlStore) owner = NULL;
  g_autoptr(HlStore) here = NULL;
  g_autoptr(HlEvent) subnet = NULL;
  g_autoptr(HlEvent) epoch = NULL;
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(GPtrArray) admins = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (owner_dir, 0700), ==, 0);
  owner = hl_store_open (owner_db, &error);
  g_assert_no_error (error);
  hl_store_set_identity (owner, fx->other);
  subnet = hl_store_private_create (owner, fx->other, "Band", NULL, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (members, (gpointer) hl_identity_get_public_key (fx->me));
  if (third != NULL)
    g_ptr_array_add (members, (gpointer) hl_identity_get_public_key (third));
  if (admin)
    g_ptr_array_add (admins, (gpointer) hl_identity_get_public_key (fx->me));
  epoch = hl_store_private_set_members (owner, fx->other, subnet->id, members, admins, &error);
  g_assert_no_error (error);
  here = hl_store_open (mine, &error);
  g_assert_no_error (error);
  hl_store_set_identity (here, fx->me);
  g_assert_true (hl_store_foreach_event (owner, 0, copy_event, here, &error));
  g_assert_no_error (error);
  return hl_hex_dup (subnet->id, HL_ID_LEN);
}

static gboolean
count_epoch (const HlEvent *event,
             gpointer       user_data)
{
  if (g_strcmp0 (event->kind, HL_KIND_PRIVATE_EPOCH) == 0)
    (*(guint *) user_data)++;
  return TRUE;
}

/* The private.epoch events this device's database holds. */
static guint
n_epochs (Fixture *fx)
{
  g_autofree char *path = hl_paths_database (fx->dir);
  g_autoptr(HlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  store = hl_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (hl_store_foreach_event (store, 0, count_epoch, &n, &error));
  g_assert_no_error (error);
  return n;
}

static gboolean
toast_is (HlMembersDialog *dialog,
          const char      *text)
{
  return g_strcmp0 (hl_members_dialog_get_last_toast (dialog), text) == 0;
}

/* Opens the members dialog of @subnet and waits for its first read. */
static HlMembersDialog *
open_members (Fixture    *fx,
              const char *subnet,
              const char *member,
              guint       n)
{
  HlMembersDialog *dialog;

  fixture_open_window (fx);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.private-members", "s",
                                             subnet));
  HL_UI_WAIT ((dialog = (HlMembersDialog *) hl_ui_test_find_toplevel (HL_TYPE_MEMBERS_DIALOG)) != NULL &&
              n_members (dialog, member) == n, 10);
  return dialog;
}

static GtkWidget *
find_prefixed (GtkWidget  *root,
               const char *prefix,
               const char *key)
{
  g_autofree char *name = g_strconcat (prefix, key, NULL);

  return hl_ui_test_find_named (root, name);
}

/* A member who is neither the owner nor an admin sees the list, with the
 * owner's row labelled, and nothing that adds or removes: no Add a Friend
 * (though a profile is known here), no key entry, no switch, no Remove. What
 * they try anyway is refused with the reason, and publishes nothing. */
static void
test_members_plain (Fixture      *fx,
                    gconstpointer data)
{
  g_autoptr(HlIdentity) third = hl_identity_new_random ();
  g_autofree char *subnet = joined_subnet (fx, FALSE, third);
  g_autofree char *me = hl_identity_dup_public_hex (fx->me);
  g_autofree char *other = hl_identity_dup_public_hex (fx->other);
  g_autofree char *stranger = NULL;
  g_autoptr(HlIdentity) known = hl_identity_new_random ();
  const char *keys[3];
  HlMembersDialog *dialog;
  GtkWidget *owner_row, *my_row;
  guint epochs;

  keys[0] = me;
  keys[1] = other;
  keys[2] = hl_identity_dup_public_hex (third);
  stranger = hl_identity_dup_public_hex (known);
  hl_ui_test_publish (fx->dir, known, HL_KIND_PROFILE, NULL, "{\"name\":\"Grace\"}", NULL);
  epochs = n_epochs (fx);
  dialog = open_members (fx, subnet, me, 3);

  owner_row = hl_ui_test_find_named (GTK_WIDGET (dialog), other);
  my_row = hl_ui_test_find_named (GTK_WIDGET (dialog), me);
  g_assert_nonnull (owner_row);
  g_assert_nonnull (my_row);
  assert_label (owner_row, "roles", "Owner");
  assert_label (my_row, "roles", "You");
  g_assert_false (gtk_widget_get_visible (hl_ui_test_find_named (GTK_WIDGET (dialog), "key_group")));
  g_assert_false (gtk_widget_get_visible (hl_ui_test_find_named (GTK_WIDGET (dialog), "people_group")));
  g_assert_null (find_prefixed (GTK_WIDGET (dialog), "person:", stranger));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_assert_null (find_prefixed (GTK_WIDGET (dialog), "remove:", keys[i]));
      g_assert_null (find_prefixed (GTK_WIDGET (dialog), "admin:", keys[i]));
    }
  save_shot (GTK_WIDGET (dialog), "members-plain.png");

  /* Removing is refused at once, with the reason, and asks nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "members.remove", "s", keys[2]));
  g_assert_cmpstr (hl_members_dialog_get_last_toast (dialog), ==,
                   "Only the owner and admins can remove members");
  g_assert_null (hl_members_dialog_get_confirm (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "members.remove", "s", other));
  g_assert_cmpstr (hl_members_dialog_get_last_toast (dialog), ==,
                   "Only the owner and admins can remove members");
  /* Adding goes to the worker, which refuses it with the lists unchanged. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "members.add-key", "s", stranger));
  HL_UI_WAIT (toast_is (dialog, "Only the owner and admins can add members"), 10);
  g_assert_cmpuint (n_members (dialog, NULL), ==, 3);
  g_assert_cmpuint (n_epochs (fx), ==, epochs);
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close_window (fx);
  g_free ((char *) keys[2]);
}

/* An admin (not the owner) adds and removes plain members, sees the owner
 * and its own role labelled, has no switch (admins are the owner's) and no
 * Remove on the owner's row; removing the owner is refused with the reason. */
static void
test_members_admin (Fixture      *fx,
                    gconstpointer data)
{
  g_autoptr(HlIdentity) third = hl_identity_new_random ();
  g_autofree char *subnet = joined_subnet (fx, TRUE, third);
  g_autofree char *me = hl_identity_dup_public_hex (fx->me);
  g_autofree char *other = hl_identity_dup_public_hex (fx->other);
  g_autofree char *plain = hl_identity_dup_public_hex (third);
  g_autofree char *after = NULL;
  HlMembersDialog *dialog;
  GtkWidget *owner_row, *my_row, *plain_row, *confirm;

  dialog = open_members (fx, subnet, me, 3);
  owner_row = hl_ui_test_find_named (GTK_WIDGET (dialog), other);
  my_row = hl_ui_test_find_named (GTK_WIDGET (dialog), me);
  plain_row = hl_ui_test_find_named (GTK_WIDGET (dialog), plain);
  assert_label (owner_row, "roles", "Owner");
  assert_label (my_row, "roles", "Admin · You");
  g_assert_null (hl_ui_test_find_named (plain_row, "roles"));
  g_assert_true (gtk_widget_get_visible (hl_ui_test_find_named (GTK_WIDGET (dialog), "key_group")));
  g_assert_nonnull (find_prefixed (plain_row, "remove:", plain));
  g_assert_null (find_prefixed (GTK_WIDGET (dialog), "remove:", other));
  g_assert_null (find_prefixed (GTK_WIDGET (dialog), "remove:", me));
  g_assert_null (find_prefixed (GTK_WIDGET (dialog), "admin:", plain));
  save_shot (GTK_WIDGET (dialog), "members-as-admin.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "members.remove", "s", other));
  g_assert_cmpstr (hl_members_dialog_get_last_toast (dialog), ==, "The owner cannot be removed");
  g_assert_null (hl_members_dialog_get_confirm (dialog));

  g_signal_emit_by_name (find_prefixed (plain_row, "remove:", plain), "clicked");
  HL_UI_WAIT ((confirm = hl_members_dialog_get_confirm (dialog)) != NULL &&
              gtk_widget_get_mapped (confirm), 10);
  g_assert_nonnull (strstr (hl_alert_get_body (confirm), "posted from now on"));
  hl_alert_respond (confirm, "remove");
  HL_UI_WAIT (n_members (dialog, NULL) == 2 && n_members (dialog, me) == 2, 10);
  after = hl_ui_test_ctl (fx->dir, "member", "list", subnet, NULL);
  g_assert_null (strstr (after, plain));
  g_assert_nonnull (strstr (after, other));
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close_window (fx);
}

/* A member who is not the owner sees who the admins are but no switch, and
 * the owner's action is refused with the reason (private-not-owner). */
static void
test_members_not_owner (Fixture      *fx,
                        gconstpointer data)
{
  g_autofree char *subnet = joined_subnet (fx, FALSE, NULL);
  g_autofree char *me = hl_identity_dup_public_hex (fx->me);
  g_autofree char *other = hl_identity_dup_public_hex (fx->other);
  g_autofree char *my_switch = g_strconcat ("admin:", me, NULL);
  g_autofree char *owner_switch = g_strconcat ("admin:", other, NULL);
  HlMembersDialog *dialog = open_members (fx, subnet, me, 2);

  g_assert_null (hl_ui_test_find_named (GTK_WIDGET (dialog), my_switch));
  g_assert_null (hl_ui_test_find_named (GTK_WIDGET (dialog), owner_switch));
  save_shot (GTK_WIDGET (dialog), "members-not-owner.png");
  not_owner_logged = FALSE;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "members.set-admin", "(sb)",
                                             me, TRUE));
  HL_UI_WAIT (not_owner_logged, 10);
  g_assert_cmpstr (hl_members_dialog_get_last_toast (dialog), ==,
                   "Only the owner names and removes admins");
  g_assert_false (has_admin (dialog, me));
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close_window (fx);
}

int
main (int   argc,
      char *argv[])
{
  hl_ui_test_init (&argc, &argv);
  /* Screenshots of the removal question show it whole, not fading in
   * (libadwaita 1.5+ animates an AdwAlertDialog over its window). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_log_set_writer_func (watch_log, NULL, NULL);
  if (g_getenv ("HYPERLINKCTL") == NULL)
    {
      g_print ("1..0 # SKIP HYPERLINKCTL is not set\n");
      return 0;
    }
  g_test_add ("/private/policy-dialog", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_policy_dialog, fixture_teardown);
  g_test_add ("/private/create-dialog", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_create_dialog, fixture_teardown);
  g_test_add ("/private/members-dialog", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_members_dialog, fixture_teardown);
  g_test_add ("/private/members-friend", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_members_friend, fixture_teardown);
  g_test_add ("/private/members-not-owner", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_members_not_owner, fixture_teardown);
  g_test_add ("/private/members-plain", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_members_plain, fixture_teardown);
  g_test_add ("/private/members-admin", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_members_admin, fixture_teardown);
  return g_test_run ();
}
