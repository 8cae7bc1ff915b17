/* test-subnet.c: the owner edits, deletes and manages the moderators of a
 * subnet from the window; others are not offered to.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ui-fixture.h"

#include "hl-event.h"
#include "hl-paths.h"
#include "hl-subnet-item.h"
#include "hl-subnet-page.h"

static guint8 mine[HL_ID_LEN];

static gboolean
subnet_menu_shown (Fixture *fx)
{
  return gtk_widget_get_visible (hl_ui_test_find_named (GTK_WIDGET (fx->window),
                                                        "subnet_menu_button"));
}

/* Tester's own subnet "Garden", with one thread, open in the window. */
static void
open_my_subnet (Fixture *fx)
{
  publish_me (fx, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Garden\",\"description\":\"Plants\"}",
              mine);
  publish_me (fx, HL_KIND_THREAD_CREATE, mine, "{\"title\":\"Tomatoes\",\"body\":\"Red\"}", NULL);
  fixture_open_window (fx);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_subnets (fx->window)) >= 1, 10);
  activate_with_id (fx->window, "win.select-subnet", mine);
  HL_UI_WAIT (subnet_menu_shown (fx), 10);
}

static char *
subnet_text (Fixture      *fx,
             const guint8 *id,
             gboolean      description)
{
  GListModel *subnets = hl_window_get_subnets (fx->window);

  for (guint i = 0; i < g_list_model_get_n_items (subnets); i++)
    {
      g_autoptr(HlSubnetItem) item = g_list_model_get_item (subnets, i);
      const HlSubnetRow *row = hl_subnet_item_get_row (item);

      if (memcmp (row->id, id, HL_ID_LEN) == 0)
        return g_strdup (description ? row->description : row->name);
    }
  return NULL;
}

static gboolean
subnet_is (Fixture *fx, const guint8 *id, const char *name, const char *description)
{
  g_autofree char *now_name = subnet_text (fx, id, FALSE);
  g_autofree char *now_description = subnet_text (fx, id, TRUE);

  return g_strcmp0 (now_name, name) == 0 && g_strcmp0 (now_description, description) == 0;
}

static HlSubnetPage *
open_editor (Fixture *fx)
{
  GObject *dialog;
  GtkWidget *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.edit-subnet", NULL));
  dialog = hl_window_get_dialog (fx->window);
  g_assert_nonnull (dialog);
  page = hl_ui_test_find_descendant (GTK_WIDGET (dialog), HL_TYPE_SUBNET_PAGE);
  g_assert_nonnull (page);
  return HL_SUBNET_PAGE (page);
}

static GtkWidget *
named (HlSubnetPage *page,
       const char   *name)
{
  GtkWidget *w = hl_ui_test_find_named (GTK_WIDGET (page), name);

  g_assert_nonnull (w);
  return w;
}

/* Name and description: Save is off until something changed and the name
 * is not empty; saving renames the subnet in the sidebar and the header. */
static void
test_edit (Fixture       *fx,
           gconstpointer  data)
{
  HlSubnetPage *page;
  GtkWidget *save, *title;

  open_my_subnet (fx);
  page = open_editor (fx);
  save = named (page, "subnet_save");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (page, "subnet_name"))), ==,
                   "Garden");
  g_assert_false (gtk_widget_get_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (named (page, "subnet_name")), "   ");
  g_assert_false (gtk_widget_get_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (named (page, "subnet_name")), "Allotment");
  gtk_editable_set_text (GTK_EDITABLE (named (page, "subnet_description")), "Vegetables");
  g_assert_true (gtk_widget_get_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  g_assert_false (gtk_widget_get_sensitive (save));
  HL_UI_WAIT (subnet_is (fx, mine, "Allotment", "Vegetables"), 10);
  title = hl_ui_test_find_named (GTK_WIDGET (fx->window), "thread_pane_title");
  HL_UI_WAIT (g_strcmp0 (adw_window_title_get_title (ADW_WINDOW_TITLE (title)), "Allotment") == 0,
              10);

  /* An empty description clears it. */
  gtk_editable_set_text (GTK_EDITABLE (named (page, "subnet_description")), "");
  g_signal_emit_by_name (save, "clicked");
  HL_UI_WAIT (subnet_is (fx, mine, "Allotment", NULL) || subnet_is (fx, mine, "Allotment", ""),
              10);
  hl_window_close_dialog (fx->window);
  HL_UI_WAIT (hl_window_get_dialog (fx->window) == NULL, 5);
}

static gboolean
moderators_are (HlSubnetPage *page,
                const char   *key)
{
  g_auto(GStrv) keys = hl_subnet_page_dup_moderators (page);

  if (key == NULL)
    return keys != NULL && keys[0] == NULL;
  return keys != NULL && g_strv_length (keys) == 1 && g_str_equal (keys[0], key);
}

static gboolean
store_says_moderator (Fixture *fx, const guint8 *key)
{
  g_autofree char *path = hl_paths_database (fx->dir);
  g_autoptr(HlStore) store = hl_store_open (path, NULL);

  return store != NULL && hl_store_is_moderator (store, mine, key);
}

static void
on_toast_cb (HlSubnetPage *page,
             const char   *text,
             char        **last)
{
  g_free (*last);
  *last = g_strdup (text);
}

/* Moderators: added by (the start of) their key, listed by name, removed. */
static void
test_moderators (Fixture       *fx,
                 gconstpointer  data)
{
  HlSubnetPage *page;
  GtkWidget *add, *remove;
  g_autofree char *key = hl_hex_dup (hl_identity_get_public_key (fx->other), HL_KEY_LEN);
  g_autofree char *prefix = g_strndup (key, 16);
  g_autofree char *toast = NULL;

  /* Ada is known here: she has a profile. */
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_PROFILE, NULL, "{\"name\":\"Ada\"}", NULL);
  open_my_subnet (fx);
  page = open_editor (fx);
  g_signal_connect (page, "toast", G_CALLBACK (on_toast_cb), &toast);
  HL_UI_WAIT (moderators_are (page, NULL), 10);

  /* A key nobody here has is refused in words and stays to be fixed;
   * nothing is published. */
  add = named (page, "moderator_add");
  gtk_editable_set_text (GTK_EDITABLE (add), "ffffffffffffffff");
  g_signal_emit_by_name (add, "apply");
  HL_UI_WAIT (toast != NULL, 10);
  g_assert_cmpstr (toast, ==, "Nobody here has that key: copy it from their Preferences");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add)), ==, "ffffffffffffffff");
  g_assert_true (moderators_are (page, NULL));

  gtk_editable_set_text (GTK_EDITABLE (add), prefix);
  g_signal_emit_by_name (add, "apply");
  HL_UI_WAIT (moderators_are (page, key), 10);
  HL_UI_WAIT (g_strcmp0 (toast, "Moderator added") == 0, 10);
  g_assert_true (store_says_moderator (fx, hl_identity_get_public_key (fx->other)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add)), ==, "");
  /* Her row says her name, and has a remove button. */
  remove = hl_ui_test_find_descendant (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (remove);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (remove)), ==, "Ada");
  remove = hl_ui_test_find_descendant (remove, GTK_TYPE_BUTTON);
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  HL_UI_WAIT (moderators_are (page, NULL), 10);
  g_assert_false (store_says_moderator (fx, hl_identity_get_public_key (fx->other)));
  HL_UI_WAIT (g_strcmp0 (toast, "Moderator removed") == 0, 10);
  g_signal_handlers_disconnect_by_func (page, on_toast_cb, &toast);
  hl_window_close_dialog (fx->window);
}

/* Delete asks first; "cancel" keeps the subnet, "confirm" erases it for
 * everyone and the window shows what is left. */
static void
test_delete (Fixture       *fx,
             gconstpointer  data)
{
  GListModel *subnets;

  open_my_subnet (fx);
  subnets = hl_window_get_subnets (fx->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.delete-subnet", NULL));
  g_assert_nonnull (hl_window_get_dialog (fx->window));
  hl_window_respond (fx->window, "cancel");
  HL_UI_WAIT (hl_window_get_dialog (fx->window) == NULL, 5);
  g_assert_cmpuint (g_list_model_get_n_items (subnets), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.delete-subnet", NULL));
  hl_window_respond (fx->window, "confirm");
  HL_UI_WAIT (g_list_model_get_n_items (subnets) == 0, 10);
  HL_UI_WAIT (g_strcmp0 (hl_window_get_last_toast (fx->window), "Subnet deleted") == 0, 5);
}

/* Someone else's subnet: no subnet menu, and the actions do nothing. */
static void
test_not_owner (Fixture       *fx,
                gconstpointer  data)
{
  fixture_add_forum (fx);
  fixture_open_window (fx);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3 &&
              hl_window_get_idle (fx->window), 10);
  activate_with_id (fx->window, "win.select-subnet", fx->subnet);
  HL_UI_WAIT (hl_window_get_idle (fx->window), 10);
  g_assert_false (subnet_menu_shown (fx));
  gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.edit-subnet", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.delete-subnet", NULL);
  g_assert_null (hl_window_get_dialog (fx->window));
}

int
main (int   argc,
      char *argv[])
{
  hl_ui_test_init (&argc, &argv);

#define ADD(path, fn) \
  g_test_add (path, Fixture, GINT_TO_POINTER (TRUE), fixture_setup, fn, fixture_teardown)
  ADD ("/subnet/edit", test_edit);
  ADD ("/subnet/moderators", test_moderators);
  ADD ("/subnet/delete", test_delete);
  ADD ("/subnet/not-owner", test_not_owner);
  return g_test_run ();
}
