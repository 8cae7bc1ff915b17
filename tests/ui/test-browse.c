/* test-browse.c: what a reader sees while browsing: hover and keys never
 * change what is open or read, the header always matches what is open,
 * search snippets keep the text's brackets, and the panes adapt to the
 * window's width.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ui-fixture.h"

#include "hl-event.h"
#include "hl-post-item.h"
#include "hl-subnet-list-model.h"
#include "hl-thread-list-model.h"

static GtkWidget *
named (Fixture    *fx,
       const char *name)
{
  GtkWidget *widget = hl_ui_test_find_named (GTK_WIDGET (fx->window), name);

  g_assert_nonnull (widget);
  return widget;
}

static guint
thread_position (Fixture      *fx,
                 const guint8 *id)
{
  return hl_thread_list_model_find (HL_THREAD_LIST_MODEL (hl_window_get_threads (fx->window)), id);
}

static gboolean
thread_unread (Fixture      *fx,
               const guint8 *id)
{
  guint pos = thread_position (fx, id);
  g_autoptr(HlPostItem) item = NULL;

  if (pos == G_MAXUINT)
    return FALSE;
  item = g_list_model_get_item (hl_window_get_threads (fx->window), pos);
  return hl_post_item_get_loaded (item) && hl_post_item_get_unread (item);
}

static gboolean
open_thread_is (Fixture      *fx,
                const guint8 *id)
{
  g_autoptr(HlPostItem) first = g_list_model_get_item (hl_window_get_posts (fx->window), 0);

  return first != NULL && hl_post_item_has_id (first, id) && hl_post_item_get_loaded (first);
}

static const char *
header_title (Fixture *fx)
{
  return adw_window_title_get_title (ADW_WINDOW_TITLE (named (fx, "post_pane_title")));
}

static const char *
header_subtitle (Fixture *fx)
{
  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (named (fx, "post_pane_title")));
}

static const char *
post_page (Fixture *fx)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (named (fx, "post_stack")));
}

static gboolean
reply_enabled (Fixture *fx)
{
  return gtk_widget_get_sensitive (named (fx, "reply_button"));
}

/* What the list does on hover (single-click-activate) and on arrow keys:
 * its own list.select-item action. */
static void
hover (GtkWidget *list,
       guint      position)
{
  g_assert_true (gtk_widget_activate_action (list, "list.select-item", "(ubb)", position,
                                             FALSE, FALSE));
}

static void
activate (GtkWidget *list,
          guint      position)
{
  g_assert_true (gtk_widget_activate_action (list, "list.activate-item", "u", position));
}

static GtkWidget *
list_in (Fixture    *fx,
         const char *stack)
{
  return hl_ui_test_find_descendant (named (fx, stack), GTK_TYPE_LIST_VIEW);
}

static void
wait_forum (Fixture *fx)
{
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3 &&
              item_loaded (hl_window_get_threads (fx->window), 2) &&
              hl_window_get_idle (fx->window), 10);
}

/* Hover never opens a thread nor marks one read; a click (activation) does. */
static void
test_hover (Fixture       *fx,
            gconstpointer  data)
{
  GtkWidget *threads;
  guint8 other_subnet[HL_ID_LEN];
  GtkSingleSelection *selection;

  fixture_add_forum (fx);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_SUBNET_CREATE, NULL,
                      "{\"name\":\"Garden\",\"description\":\"\"}", other_subnet);
  fixture_open_window (fx);
  activate_with_id (fx->window, "win.select-subnet", fx->subnet);
  wait_forum (fx);
  threads = list_in (fx, "thread_stack");

  activate (threads, thread_position (fx, fx->threads[0]));
  HL_UI_WAIT (open_thread_is (fx, fx->threads[0]), 10);
  /* News in thread 2 after the window started: unread. */
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_REPLY_CREATE, fx->threads[2],
                      "{\"body\":\"Unread news\"}", NULL);
  HL_UI_WAIT (thread_unread (fx, fx->threads[2]), 10);

  hover (threads, thread_position (fx, fx->threads[2]));
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (threads)));
  /* The selection stays on what is open, and nothing else changes. */
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==,
                    thread_position (fx, fx->threads[0]));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  HL_UI_WAIT (hl_window_get_idle (fx->window), 10);
  g_assert_true (open_thread_is (fx, fx->threads[0]));
  g_assert_true (thread_unread (fx, fx->threads[2]));
  g_assert_cmpstr (header_title (fx), ==, "Thread 0");

  /* The sidebar too: hovering another subnet keeps this one open. */
  {
    GtkWidget *subnets = list_in (fx, "subnet_stack");
    guint pos = hl_subnet_list_model_find (HL_SUBNET_LIST_MODEL (hl_window_get_subnets (fx->window)),
                                           other_subnet);

    HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_subnets (fx->window)) == 2, 10);
    pos = hl_subnet_list_model_find (HL_SUBNET_LIST_MODEL (hl_window_get_subnets (fx->window)),
                                     other_subnet);
    hover (subnets, pos);
    g_assert_cmpuint (g_list_model_get_n_items (hl_window_get_threads (fx->window)), ==, 3);
    g_assert_true (open_thread_is (fx, fx->threads[0]));
  }

  /* A click opens it, and then it is read. */
  activate (threads, thread_position (fx, fx->threads[2]));
  HL_UI_WAIT (open_thread_is (fx, fx->threads[2]), 10);
  HL_UI_WAIT (!thread_unread (fx, fx->threads[2]), 10);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==,
                    thread_position (fx, fx->threads[2]));
}

/* A window that closes with Thread 0 open: the next one opens it again. */
static void
close_with_thread_open (Fixture *fx)
{
  fixture_open_window (fx);
  wait_forum (fx);
  activate_with_id (fx->window, "win.open-thread", fx->threads[0]);
  HL_UI_WAIT (open_thread_is (fx, fx->threads[0]), 10);
  fixture_close_window (fx);
}

/* The thread of last time is one this forum does not have (deleted since). */
static void
forget_last_thread (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.thehyperlink.Hyperlink");

  g_settings_set_string (settings, "last-thread",
                         "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
}

/* After a restart the header shows the thread that is open again, or nothing. */
static void
test_header_restart (Fixture       *fx,
                     gconstpointer  data)
{
  fixture_add_forum (fx);
  close_with_thread_open (fx);

  fixture_open_window (fx);
  wait_forum (fx);
  HL_UI_WAIT (open_thread_is (fx, fx->threads[0]), 10);
  HL_UI_WAIT (hl_window_get_idle (fx->window), 10);
  g_assert_cmpstr (post_page (fx), ==, "posts");
  g_assert_cmpstr (header_title (fx), ==, "Thread 0");
  g_assert_cmpstr (header_subtitle (fx), ==, "2 replies");
  g_assert_true (reply_enabled (fx));
  fixture_close_window (fx);

  /* The thread of last time is gone: no thread, and no title of it. */
  forget_last_thread ();
  fixture_open_window (fx);
  wait_forum (fx);
  HL_UI_WAIT (g_strcmp0 (post_page (fx), "none") == 0, 10);
  g_assert_cmpstr (header_title (fx), ==, "");
  g_assert_false (reply_enabled (fx));
}

/* Switching subnets closes the thread of the other subnet: no old title. */
static void
test_header_switch (Fixture       *fx,
                    gconstpointer  data)
{
  guint8 garden[HL_ID_LEN], tulips[HL_ID_LEN];
  GtkWidget *subnets;
  guint pos;

  fixture_add_forum (fx);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_SUBNET_CREATE, NULL,
                      "{\"name\":\"Garden\",\"description\":\"\"}", garden);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_THREAD_CREATE, garden,
                      "{\"title\":\"Tulips\",\"body\":\"When?\"}", tulips);
  fixture_open_window (fx);
  activate_with_id (fx->window, "win.select-subnet", fx->subnet);
  wait_forum (fx);
  /* The subnet's description is under its name. */
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (named (fx, "thread_pane_title"))),
                   ==, "Servers");
  activate_with_id (fx->window, "win.open-thread", fx->threads[0]);
  HL_UI_WAIT (open_thread_is (fx, fx->threads[0]), 10);
  g_assert_cmpstr (header_subtitle (fx), ==, "2 replies");

  subnets = list_in (fx, "subnet_stack");
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_subnets (fx->window)) == 2, 10);
  pos = hl_subnet_list_model_find (HL_SUBNET_LIST_MODEL (hl_window_get_subnets (fx->window)),
                                   garden);
  activate (subnets, pos);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 1 &&
              item_loaded (hl_window_get_threads (fx->window), 0), 10);
  g_assert_cmpstr (post_page (fx), ==, "none");
  g_assert_cmpstr (header_title (fx), ==, "");
  g_assert_cmpstr (header_subtitle (fx) ? header_subtitle (fx) : "", ==, "");
  g_assert_false (reply_enabled (fx));

  activate (list_in (fx, "thread_stack"), 0);
  HL_UI_WAIT (open_thread_is (fx, tulips), 10);
  HL_UI_WAIT (hl_window_get_idle (fx->window), 10);
  g_assert_cmpstr (header_title (fx), ==, "Tulips");
  g_assert_cmpstr (header_subtitle (fx), ==, "0 replies");
}

/* Brackets in a post survive in its search snippet; the match is bold. */
static void
test_snippet_brackets (Fixture       *fx,
                       gconstpointer  data)
{
  GListModel *results;
  g_autoptr(HlPostItem) hit = NULL;
  g_autofree char *snippet = NULL;
  g_autofree char *text = NULL;

  fixture_add_forum (fx);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_THREAD_CREATE, fx->subnet,
                      "{\"title\":\"Notes\",\"body\":\"Footnote [1] says a<b & [c]\"}", NULL);
  fixture_open_window (fx);
  results = hl_window_get_results (fx->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.find", "s", "footnote"));
  HL_UI_WAIT (g_list_model_get_n_items (results) == 1, 10);
  hit = g_list_model_get_item (results, 0);
  g_object_get (hit, "snippet", &snippet, NULL);
  g_assert_true (pango_parse_markup (snippet, -1, 0, NULL, &text, NULL, NULL));
  g_assert_nonnull (strstr (snippet, "<b>Footnote</b> [1]"));
  g_assert_nonnull (strstr (text, "Footnote [1] says a<b & [c]"));
}

static void
resize (Fixture *fx,
        int      width)
{
  gtk_window_set_default_size (GTK_WINDOW (fx->window), width, 700);
  /* The window's frame (no window manager under Xvfb) takes a few pixels. */
  HL_UI_WAIT (ABS (gtk_widget_get_width (GTK_WIDGET (fx->window)) - width) <= 16, 10);
  /* The panes fold in the allocation that follows (leaflets), or when the
   * breakpoint applies (split views). */
  for (int i = 0; i < 5; i++)
    {
      gtk_widget_queue_allocate (GTK_WIDGET (fx->window));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static int
pane_x (Fixture    *fx,
        const char *pane)
{
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (named (fx, pane), GTK_WIDGET (fx->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  return (int) point.x;
}

/* 1200 px: three panes. 900 px: the sidebar folds away, the threads and the
 * open thread stay side by side. 400 px: one pane at a time. The thread
 * list keeps its width whatever the subnet and thread. */
static void
test_adaptive (Fixture       *fx,
               gconstpointer  data)
{
  guint8 long_subnet[HL_ID_LEN];
  int width_before;

  /* No slides: a split view (libadwaita 1.4) snapshots its transition's
   * shadow before allocating it when the window is resized mid-slide. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  fixture_add_forum (fx);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_SUBNET_CREATE, NULL,
                      "{\"name\":\"A subnet with a name longer than its column is wide, see\",\"description\":\"And a description "
                      "that is just as long as that name or even longer than it is\"}",
                      long_subnet);
  fixture_open_window (fx);
  activate_with_id (fx->window, "win.select-subnet", fx->subnet);
  wait_forum (fx);
  activate_with_id (fx->window, "win.open-thread", fx->threads[0]);
  HL_UI_WAIT (open_thread_is (fx, fx->threads[0]), 10);

  resize (fx, 1200);
  g_assert_cmpuint (hl_window_get_columns (fx->window), ==, 3);
  g_assert_true (gtk_widget_get_mapped (named (fx, "subnet_pane")));
  width_before = gtk_widget_get_width (named (fx, "thread_pane"));
  g_assert_cmpint (width_before, ==, 340);

  /* Another subnet, with a long name: the columns stay where they were. */
  activate_with_id (fx->window, "win.select-subnet", long_subnet);
  HL_UI_WAIT (hl_window_get_idle (fx->window), 10);
  resize (fx, 1200);
  g_assert_cmpint (gtk_widget_get_width (named (fx, "thread_pane")), ==, width_before);
  activate_with_id (fx->window, "win.select-subnet", fx->subnet);
  wait_forum (fx);
  activate_with_id (fx->window, "win.open-thread", fx->threads[0]);
  HL_UI_WAIT (open_thread_is (fx, fx->threads[0]), 10);

  resize (fx, 900);
  g_assert_cmpuint (hl_window_get_columns (fx->window), ==, 2);
  g_assert_cmpstr (hl_window_get_pane (fx->window), ==, "posts");
  g_assert_true (gtk_widget_get_mapped (named (fx, "thread_pane")));
  g_assert_true (gtk_widget_get_mapped (named (fx, "post_pane")));
  /* (after the slide) */
  HL_UI_WAIT (pane_x (fx, "thread_pane") == 0, 5);
  g_assert_cmpint (pane_x (fx, "post_pane"), >=, gtk_widget_get_width (named (fx, "thread_pane")));
  g_assert_cmpint (gtk_widget_get_width (named (fx, "thread_pane")), ==, width_before);
  /* The list's back button shows the subnets; opening one brings the threads back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-subnets", NULL));
  HL_UI_WAIT (g_strcmp0 (hl_window_get_pane (fx->window), "subnets") == 0, 5);
  activate_with_id (fx->window, "win.select-subnet", fx->subnet);
  g_assert_cmpstr (hl_window_get_pane (fx->window), ==, "threads");

  resize (fx, 400);
  g_assert_cmpuint (hl_window_get_columns (fx->window), ==, 1);
  activate_with_id (fx->window, "win.open-thread", fx->threads[1]);
  g_assert_cmpstr (hl_window_get_pane (fx->window), ==, "posts");
  /* One pane at a time, once the slide is over. */
  HL_UI_WAIT (!gtk_widget_get_mapped (named (fx, "thread_pane")) &&
              gtk_widget_get_mapped (named (fx, "post_pane")), 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.back", NULL));
  HL_UI_WAIT (g_strcmp0 (hl_window_get_pane (fx->window), "threads") == 0, 5);
}

/* Restarted on a narrow window, the thread of last time is in front, not the
 * subnets; gone since, its list is. */
static void
test_restart_narrow (Fixture       *fx,
                     gconstpointer  data)
{
  fixture_add_forum (fx);
  close_with_thread_open (fx);

  fixture_open_window (fx);
  resize (fx, 900);
  wait_forum (fx);
  HL_UI_WAIT (open_thread_is (fx, fx->threads[0]), 10);
  g_assert_cmpuint (hl_window_get_columns (fx->window), ==, 2);
  g_assert_cmpstr (hl_window_get_pane (fx->window), ==, "posts");
  /* (once a slide, if any, is over) */
  HL_UI_WAIT (gtk_widget_get_mapped (named (fx, "thread_pane")) &&
              gtk_widget_get_mapped (named (fx, "post_pane")) &&
              !gtk_widget_get_mapped (named (fx, "subnet_pane")), 5);
  fixture_close_window (fx);

  fixture_open_window (fx);
  resize (fx, 400);
  wait_forum (fx);
  HL_UI_WAIT (open_thread_is (fx, fx->threads[0]), 10);
  g_assert_cmpuint (hl_window_get_columns (fx->window), ==, 1);
  g_assert_cmpstr (hl_window_get_pane (fx->window), ==, "posts");
  HL_UI_WAIT (gtk_widget_get_mapped (named (fx, "post_pane")) &&
              !gtk_widget_get_mapped (named (fx, "thread_pane")), 5);
  fixture_close_window (fx);

  forget_last_thread ();
  fixture_open_window (fx);
  resize (fx, 400);
  wait_forum (fx);
  HL_UI_WAIT (g_strcmp0 (hl_window_get_pane (fx->window), "threads") == 0, 10);
  HL_UI_WAIT (gtk_widget_get_mapped (named (fx, "thread_pane")), 5);
}

/* Keyboard: next, previous and next unread thread; every key is listed in
 * the shortcuts window. */
static void
test_keys (Fixture       *fx,
           gconstpointer  data)
{
  GListModel *threads;
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;
  g_autoptr(GString) accels = g_string_new (NULL);
  const char *keys[] = { "<Control>Page_Down", "<Control>Page_Up", "<Control><Shift>Page_Down",
                         "<Control>w", "<Control>n", "<Control>r", "<Control>f", "<Alt>Left" };

  fixture_add_forum (fx);
  fixture_open_window (fx);
  activate_with_id (fx->window, "win.select-subnet", fx->subnet);
  wait_forum (fx);
  threads = hl_window_get_threads (fx->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.next-thread", NULL));
  {
    g_autoptr(HlPostItem) first = g_list_model_get_item (threads, 0);
    g_autoptr(HlPostItem) second = g_list_model_get_item (threads, 1);

    HL_UI_WAIT (open_thread_is (fx, hl_post_item_get_row (first)->id), 10);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.next-thread", NULL));
    HL_UI_WAIT (open_thread_is (fx, hl_post_item_get_row (second)->id), 10);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.previous-thread",
                                               NULL));
    HL_UI_WAIT (open_thread_is (fx, hl_post_item_get_row (first)->id), 10);
  }

  /* News in the last thread: next unread goes straight there. */
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_REPLY_CREATE, fx->threads[1],
                      "{\"body\":\"Unread news\"}", NULL);
  HL_UI_WAIT (thread_unread (fx, fx->threads[1]), 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.next-unread", NULL));
  HL_UI_WAIT (open_thread_is (fx, fx->threads[1]), 10);
  HL_UI_WAIT (!thread_unread (fx, fx->threads[1]), 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.next-unread", NULL));
  g_assert_cmpstr (hl_window_get_last_toast (fx->window), ==, "No unread threads");

  builder = gtk_builder_new_from_resource ("/io/github/thehyperlink/Hyperlink/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_nonnull (overlay);
  for (GtkWidget *w = GTK_WIDGET (overlay); w != NULL; )
    {
      /* depth-first walk */
      if (GTK_IS_SHORTCUTS_SHORTCUT (w))
        {
          g_autofree char *accel = NULL;

          g_object_get (w, "accelerator", &accel, NULL);
          g_string_append_printf (accels, "%s ", accel);
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *needle = g_strconcat (keys[i], " ", NULL);

      if (strstr (accels->str, needle) == NULL)
        g_error ("%s is not in the shortcuts window (%s)", keys[i], accels->str);
    }
  gtk_window_destroy (GTK_WINDOW (overlay));

  /* Ctrl+W closes the window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "window.close", NULL));
  HL_UI_WAIT (!gtk_widget_get_visible (GTK_WIDGET (fx->window)), 5);
}

int
main (int   argc,
      char *argv[])
{
  hl_ui_test_init (&argc, &argv);

#define ADD(path, fn) \
  g_test_add (path, Fixture, GINT_TO_POINTER (TRUE), fixture_setup, fn, fixture_teardown)
  ADD ("/browse/hover", test_hover);
  ADD ("/browse/header-restart", test_header_restart);
  ADD ("/browse/restart-narrow", test_restart_narrow);
  ADD ("/browse/header-switch", test_header_switch);
  ADD ("/browse/snippet-brackets", test_snippet_brackets);
  ADD ("/browse/adaptive", test_adaptive);
  ADD ("/browse/keys", test_keys);
#undef ADD

  return g_test_run ();
}
