/* test-window.c: the real window on a temporary data directory, driven
 * through its actions, as GNOME Console's tests do.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ui-fixture.h"

#include "hl-composer.h"
#include "hl-event.h"
#include "hl-forum.h"
#include "hl-notifier.h"
#include "hl-paths.h"
#include "hl-post-item.h"
#include "hl-preferences-window.h"
#include "hl-subnet-item.h"
#include "hl-thread-list-model.h"
#include "hl-window.h"

/* First run: the welcome page asks for a name, and publishes it. */
static void
test_welcome (Fixture       *fx,
              gconstpointer  data)
{
  GtkWidget *row;

  fixture_open_window (fx);
  HL_UI_WAIT (g_strcmp0 (hl_window_get_page (fx->window), "welcome") == 0, 10);

  /* An empty name is refused with a toast; the page stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.finish-welcome", NULL));
  g_assert_cmpstr (hl_window_get_page (fx->window), ==, "welcome");

  row = hl_ui_test_find_descendant (GTK_WIDGET (fx->window), ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "  Grace  ");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.finish-welcome", NULL));
  HL_UI_WAIT (g_strcmp0 (hl_window_get_page (fx->window), "forum") == 0, 10);
  g_assert_cmpuint (g_list_model_get_n_items (hl_window_get_subnets (fx->window)), ==, 0);
}

/* Browse: the subnet opens by itself, its threads are listed by activity,
 * a thread opens with its replies. */
static void
test_browse (Fixture       *fx,
             gconstpointer  data)
{
  GListModel *threads, *posts;
  g_autofree char *title = NULL;
  g_autofree char *reply = NULL;

  fixture_add_forum (fx);
  fixture_open_window (fx);
  threads = hl_window_get_threads (fx->window);
  posts = hl_window_get_posts (fx->window);

  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_subnets (fx->window)) == 1, 10);
  HL_UI_WAIT (g_list_model_get_n_items (threads) == 3 && item_loaded (threads, 0), 10);
  g_assert_cmpstr (hl_window_get_page (fx->window), ==, "forum");
  /* Thread 0 got the replies last, so it leads. */
  title = item_title (threads, 0);
  g_assert_cmpstr (title, ==, "Thread 0");

  activate_with_id (fx->window, "win.open-thread", fx->threads[0]);
  HL_UI_WAIT (g_list_model_get_n_items (posts) == 3 && hl_window_get_idle (fx->window), 10);
  reply = item_body (posts, 2);
  g_assert_cmpstr (reply, ==, "Second reply");
  g_assert_cmpstr (hl_window_get_pane (fx->window), ==, "posts");

  /* A thread that is not here (deleted, or not synced yet) says so. */
  {
    guint8 unknown[HL_ID_LEN] = { 1, 2, 3 };

    activate_with_id (fx->window, "win.open-thread", unknown);
    HL_UI_WAIT (g_list_model_get_n_items (posts) == 0 && hl_window_get_idle (fx->window), 10);
  }

  /* Back goes to the thread list (when folded; unfolded it changes nothing visible). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.back", NULL));
}

static HlComposer *
wait_composer (Fixture *fx)
{
  HL_UI_WAIT (hl_window_get_composer (fx->window) != NULL, 5);
  return HL_COMPOSER (hl_window_get_composer (fx->window));
}

static void
send_and_wait (Fixture    *fx,
               HlComposer *composer)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL));
  HL_UI_WAIT (hl_window_get_composer (fx->window) == NULL, 10);
}

/* Post: a subnet, a thread, a reply; edit and delete the reply. */
static void
test_post (Fixture       *fx,
           gconstpointer  data)
{
  GListModel *subnets, *threads, *posts;
  HlComposer *composer;
  g_autofree char *body = NULL;
  g_autofree char *reply_id = NULL;

  fixture_open_window (fx);
  subnets = hl_window_get_subnets (fx->window);
  threads = hl_window_get_threads (fx->window);
  posts = hl_window_get_posts (fx->window);
  HL_UI_WAIT (hl_window_get_idle (fx->window), 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.new-subnet", NULL));
  composer = wait_composer (fx);
  /* No name: "Create" stays disabled; the composer keeps the text. */
  {
    GtkWidget *send = hl_ui_test_find_named (GTK_WIDGET (composer), "send_button");

    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (send)), ==, "_Create");
    hl_composer_set_text (composer, "", "About testing");
    g_assert_false (gtk_widget_get_sensitive (send));
    gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL);
    g_assert_false (hl_composer_get_busy (composer));
    hl_composer_set_text (composer, "Testing", NULL);
    g_assert_true (gtk_widget_get_sensitive (send));
  }
  g_assert_true (hl_window_get_composer (fx->window) == GTK_WINDOW (composer));
  hl_composer_set_text (composer, "Testing", NULL);
  send_and_wait (fx, composer);
  HL_UI_WAIT (g_list_model_get_n_items (subnets) == 1, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.new-thread", NULL));
  composer = wait_composer (fx);
  hl_composer_set_text (composer, "A first thread", "Hello from the test");
  send_and_wait (fx, composer);
  HL_UI_WAIT (g_list_model_get_n_items (threads) == 1 && item_loaded (threads, 0), 10);
  /* The new thread opens. */
  HL_UI_WAIT (g_list_model_get_n_items (posts) == 1, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.reply", NULL));
  composer = wait_composer (fx);
  hl_composer_set_text (composer, NULL, "A reply");
  send_and_wait (fx, composer);
  HL_UI_WAIT (g_list_model_get_n_items (posts) == 2 && item_loaded (posts, 1), 10);
  {
    g_autoptr(HlPostItem) item = g_list_model_get_item (posts, 1);

    g_assert_true (hl_post_item_get_mine (item));
    reply_id = g_strdup (hl_post_item_get_id_hex (item));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.edit-post", "s",
                                             reply_id));
  composer = wait_composer (fx);
  body = hl_composer_dup_body (composer);
  g_assert_cmpstr (body, ==, "A reply");
  hl_composer_set_text (composer, NULL, "A better reply");
  send_and_wait (fx, composer);
  HL_UI_WAIT (body_is (posts, 1, "A better reply"), 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.delete-post", "s",
                                             reply_id));
  g_assert_nonnull (hl_window_get_dialog (fx->window));
  hl_window_respond (fx->window, "confirm");
  g_assert_null (hl_window_get_dialog (fx->window));
  /* A deleted reply leaves the thread. */
  HL_UI_WAIT (g_list_model_get_n_items (posts) == 1, 10);
}

/* Live: posts written by another process appear without a reload, and the
 * open thread stays selected when a new thread lands on top. */
static void
test_live (Fixture       *fx,
           gconstpointer  data)
{
  GListModel *threads, *posts;
  guint8 fresh[HL_ID_LEN];

  fixture_add_forum (fx);
  fixture_open_window (fx);
  threads = hl_window_get_threads (fx->window);
  posts = hl_window_get_posts (fx->window);
  HL_UI_WAIT (g_list_model_get_n_items (threads) == 3 && item_loaded (threads, 2), 10);
  activate_with_id (fx->window, "win.open-thread", fx->threads[1]);
  HL_UI_WAIT (g_list_model_get_n_items (posts) == 1 && hl_window_get_idle (fx->window), 10);

  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_THREAD_CREATE, fx->subnet,
                      "{\"title\":\"Breaking news\",\"body\":\"From a peer\"}", fresh);
  HL_UI_WAIT (g_list_model_get_n_items (threads) == 4 && item_loaded (threads, 0), 10);
  {
    g_autofree char *top = item_title (threads, 0);
    GtkSelectionModel *selection = gtk_list_view_get_model (GTK_LIST_VIEW (hl_window_get_thread_list (fx->window)));
    g_autoptr(HlPostItem) selected = NULL;

    g_assert_cmpstr (top, ==, "Breaking news");
    {
      g_autoptr(HlPostItem) news = g_list_model_get_item (threads, 0);

      g_assert_true (hl_post_item_get_unread (news));
    }
    selected = g_list_model_get_item (G_LIST_MODEL (selection),
                                      gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (selection)));
    g_assert_nonnull (selected);
    g_assert_true (hl_post_item_has_id (selected, fx->threads[1]));
  }

  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_REPLY_CREATE, fx->threads[1],
                      "{\"body\":\"Live reply\"}", NULL);
  HL_UI_WAIT (g_list_model_get_n_items (posts) == 2, 10);
}

/* Search: typing in the header bar's search finds posts across subnets. */
static void
test_search (Fixture       *fx,
             gconstpointer  data)
{
  GListModel *results;
  GtkWidget *entry;
  g_autofree char *title = NULL;

  fixture_add_forum (fx);
  fixture_open_window (fx);
  results = hl_window_get_results (fx->window);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.search", NULL));
  entry = hl_ui_test_find_descendant (GTK_WIDGET (fx->window), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Second rep");
  HL_UI_WAIT (g_list_model_get_n_items (results) == 1, 10);
  title = item_body (results, 0);
  g_assert_cmpstr (title, ==, "Second reply");
  g_clear_pointer (&title, g_free);
  /* A reply shows the title of its thread. */
  title = item_title (results, 0);
  g_assert_cmpstr (title, ==, "Re: Thread 0");
  {
    g_autoptr(HlPostItem) hit = g_list_model_get_item (results, 0);
    g_autofree char *snippet = NULL;

    /* The matched words in bold, the rest escaped: the row shows it as markup. */
    g_object_get (hit, "snippet", &snippet, NULL);
    g_assert_nonnull (strstr (snippet, "<b>Second</b>"));
    g_assert_true (pango_parse_markup (snippet, -1, 0, NULL, NULL, NULL, NULL));
  }

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  HL_UI_WAIT (g_list_model_get_n_items (results) == 0, 10);
}

/* Moderation: the owner of a subnet hides someone else's thread. */
static void
test_hide (Fixture       *fx,
           gconstpointer  data)
{
  guint8 subnet[HL_ID_LEN], thread[HL_ID_LEN];
  GListModel *threads;
  g_autofree char *hex = NULL;

  publish_me (fx, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Mine\"}", subnet);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_THREAD_CREATE, subnet,
                      "{\"title\":\"Spam\",\"body\":\"Buy now\"}", thread);
  fixture_open_window (fx);
  threads = hl_window_get_threads (fx->window);
  HL_UI_WAIT (g_list_model_get_n_items (threads) == 1 && hl_window_get_idle (fx->window), 10);
  activate_with_id (fx->window, "win.open-thread", thread);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_posts (fx->window)) == 1 &&
              hl_window_get_idle (fx->window), 10);
  /* Enabled once the window has checked the rights (on a worker). */
  hex = hl_hex_dup (thread, HL_ID_LEN);
  HL_UI_WAIT (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.hide-post", "s", hex), 10);
  /* Hidden threads leave the list. */
  HL_UI_WAIT (g_list_model_get_n_items (threads) == 0, 10);
}

/* Preferences show the data directory and the name, and change the name. */
static void
test_preferences (Fixture       *fx,
                  gconstpointer  data)
{
  HlPreferencesWindow *prefs;
  GtkWidget *row;
  g_autoptr(GtkBuilder) builder = NULL;

  fixture_open_window (fx);
  prefs = g_object_ref (hl_preferences_window_new (GTK_WINDOW (fx->window), fx->forum, NULL));
  hl_preferences_window_present (prefs);
  row = hl_ui_test_find_descendant (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (row);
  HL_UI_WAIT (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), "Tester") == 0, 10);
  gtk_editable_set_text (GTK_EDITABLE (row), "Renamed");
  g_signal_emit_by_name (row, "apply");
  HL_UI_WAIT (({ g_autoptr(GError) e = NULL; g_autofree char *db = hl_paths_database (fx->dir);
                 g_autoptr(HlStore) st = hl_store_open (db, &e);
                 g_autoptr(HlProfileRow) pr = hl_store_get_profile (st,
                                                                    hl_forum_get_key (fx->forum), NULL);
                 pr != NULL && g_strcmp0 (pr->name, "Renamed") == 0; }), 10);
  hl_preferences_window_close (prefs);
  g_assert_finalize_object (prefs);

  /* The shortcuts window GtkApplication loads for win.show-help-overlay. */
  builder = gtk_builder_new_from_resource ("/io/github/thehyperlink/Hyperlink/gtk/help-overlay.ui");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static void
on_announce_cb (HlNotifier *notifier,
                const char *thread,
                const char *title,
                const char *text,
                GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup_printf ("%s|%s", title, text));
}

/* Notifications: a peer's reply to my thread is announced once; replies to
 * others' threads and replies there before are not. */
static void
test_notify (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GtkApplication) app = gtk_application_new ("io.github.thehyperlink.Hyperlink.Test",
                                                       G_APPLICATION_NON_UNIQUE);
  g_autoptr(HlNotifier) notifier = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  guint8 mine[HL_ID_LEN];

  fixture_add_forum (fx);
  publish_me (fx, HL_KIND_THREAD_CREATE, fx->subnet, "{\"title\":\"My question\",\"body\":\"?\"}",
              mine);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_REPLY_CREATE, mine, "{\"body\":\"Old answer\"}",
                      NULL);

  notifier = hl_notifier_new (app, fx->forum);
  g_signal_connect (notifier, "announce", G_CALLBACK (on_announce_cb), seen);
  HL_UI_WAIT (!hl_notifier_get_busy (notifier), 10);
  g_assert_cmpuint (seen->len, ==, 0);

  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_REPLY_CREATE, fx->threads[1],
                      "{\"body\":\"Not to you\"}", NULL);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_REPLY_CREATE, mine,
                      "{\"body\":\"Try turning it off and on\"}", NULL);
  HL_UI_WAIT (seen->len == 1, 10);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==,
                   "New reply in “My question”|Ada: Try turning it off and on");

  /* Another change: nothing new to announce. */
  hl_forum_queue_changed (fx->forum);
  HL_UI_WAIT (hl_notifier_get_busy (notifier), 5);
  HL_UI_WAIT (!hl_notifier_get_busy (notifier), 10);
  g_assert_cmpuint (seen->len, ==, 1);
  g_clear_object (&notifier);
}

/* Narrow: the leaflet folds to one pane, and the actions move between them. */
static void
test_narrow (Fixture       *fx,
             gconstpointer  data)
{
  fixture_add_forum (fx);
  fx->window = g_object_ref (hl_window_new (NULL, fx->forum, NULL));
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 400, 700);
  gtk_window_present (GTK_WINDOW (fx->window));
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3 &&
              hl_window_get_idle (fx->window), 10);

  activate_with_id (fx->window, "win.select-subnet", fx->subnet);
  g_assert_cmpstr (hl_window_get_pane (fx->window), ==, "threads");
  activate_with_id (fx->window, "win.open-thread", fx->threads[0]);
  g_assert_cmpstr (hl_window_get_pane (fx->window), ==, "posts");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.back", NULL));
  HL_UI_WAIT (g_strcmp0 (hl_window_get_pane (fx->window), "threads") == 0, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.back", NULL));
  HL_UI_WAIT (g_strcmp0 (hl_window_get_pane (fx->window), "subnets") == 0, 5);
  /* The thread list's own back button goes to the subnets too. */
  activate_with_id (fx->window, "win.select-subnet", fx->subnet);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-subnets", NULL));
  g_assert_cmpstr (hl_window_get_pane (fx->window), ==, "subnets");
}

/* Paging: positions beyond the first page fill in when asked for. */
static void
test_paging (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(HlThreadListModel) model = NULL;
  g_autofree char *last = NULL;
  const guint n = 450;

  fixture_add_forum (fx);
  for (guint i = 3; i < n; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"title\":\"Thread %u\",\"body\":\"\"}", i);

      hl_ui_test_publish (fx->dir, fx->other, HL_KIND_THREAD_CREATE, fx->subnet, body, NULL);
    }
  model = hl_thread_list_model_new (fx->forum);
  hl_thread_list_model_set_subnet (model, fx->subnet);
  HL_UI_WAIT (!hl_thread_list_model_get_loading (model), 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  /* Thread 1 is the oldest without replies: last by activity. */
  HL_UI_WAIT (item_loaded (G_LIST_MODEL (model), n - 1), 10);
  last = item_title (G_LIST_MODEL (model), n - 1);
  g_assert_cmpstr (last, ==, "Thread 1");
  hl_thread_list_model_set_subnet (model, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
}

/* Drafts: closing the window with a reply half written keeps it. */
static void
test_draft (Fixture       *fx,
            gconstpointer  data)
{
  HlComposer *composer;
  g_autofree char *kept = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *target = NULL;

  fixture_add_forum (fx);
  fixture_open_window (fx);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3, 10);
  activate_with_id (fx->window, "win.open-thread", fx->threads[2]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.reply", NULL));
  composer = wait_composer (fx);
  hl_composer_set_text (composer, NULL, "Half a tho");
  fixture_close_window (fx);

  fixture_open_window (fx);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3, 10);
  /* The thread of last time opens again. */
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_posts (fx->window)) == 1 &&
              item_loaded (hl_window_get_posts (fx->window), 0), 10);
  {
    g_autoptr(HlPostItem) first = g_list_model_get_item (hl_window_get_posts (fx->window), 0);

    g_assert_true (hl_post_item_has_id (first, fx->threads[2]));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.open-draft", NULL));
  composer = wait_composer (fx);
  kept = hl_composer_dup_body (composer);
  g_assert_cmpstr (kept, ==, "Half a tho");
  hex = hl_hex_dup (fx->threads[2], HL_ID_LEN);
  target = g_strconcat ("reply:", hex, NULL);
  g_assert_cmpstr (hl_composer_get_target (composer), ==, target);
  gtk_window_destroy (GTK_WINDOW (composer));
}

int
main (int   argc,
      char *argv[])
{
  hl_ui_test_init (&argc, &argv);

#define ADD(path, fn, named) \
  g_test_add (path, Fixture, GINT_TO_POINTER (named), fixture_setup, fn, fixture_teardown)
  ADD ("/window/welcome", test_welcome, FALSE);
  ADD ("/window/browse", test_browse, TRUE);
  ADD ("/window/post", test_post, TRUE);
  ADD ("/window/live", test_live, TRUE);
  ADD ("/window/search", test_search, TRUE);
  ADD ("/window/hide", test_hide, TRUE);
  ADD ("/window/preferences", test_preferences, TRUE);
  ADD ("/window/notify", test_notify, TRUE);
  ADD ("/window/narrow", test_narrow, TRUE);
  ADD ("/window/paging", test_paging, TRUE);
  ADD ("/window/draft", test_draft, TRUE);
#undef ADD

  return g_test_run ();
}
