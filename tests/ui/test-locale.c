/* test-locale.c: the window under the German translation, from the .mo
 * files of this build ($HYPERLINK_LOCALEDIR, set by tests/ui/meson.build):
 * proves that the strings of the .ui files, of the C code and the plurals
 * all go through gettext, and that po/de.po reaches the window.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "hl-ui-fixture.h"

#include "hl-ui-util.h"

static const char *
status_title (Fixture    *fx,
              const char *name)
{
  GtkWidget *page = hl_ui_test_find_named (GTK_WIDGET (fx->window), name);

  g_assert_nonnull (page);
  return adw_status_page_get_title (ADW_STATUS_PAGE (page));
}

static const char *
pane_subtitle (Fixture    *fx,
               const char *name)
{
  GtkWidget *title = hl_ui_test_find_named (GTK_WIDGET (fx->window), name);

  g_assert_nonnull (title);
  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title));
}

/* A newcomer's empty forum: the .ui file's strings are German. */
static void
test_empty (Fixture       *fx,
            gconstpointer  data)
{
  GtkWidget *join;

  fixture_open_window (fx);
  HL_UI_WAIT (hl_window_get_idle (fx->window), 10);
  g_assert_cmpstr (status_title (fx, "empty_status"), ==, "Treten Sie Ihren Freunden bei");
  join = hl_ui_test_find_named (GTK_WIDGET (fx->window), "empty_join");
  g_assert_nonnull (join);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (join)), ==,
                   "Mit einem Einladungslink _beitreten …");
}

/* A forum: strings from C (plurals, relative times) are German too. */
static void
test_forum (Fixture       *fx,
            gconstpointer  data)
{
  GListModel *posts;

  fixture_add_forum (fx);
  fixture_open_window (fx);
  posts = hl_window_get_posts (fx->window);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3, 10);
  /* The subnet's description is its subtitle; with none, its summary. */
  g_assert_cmpstr (pane_subtitle (fx, "thread_pane_title"), ==, "Servers");

  activate_with_id (fx->window, "win.open-thread", fx->threads[0]);
  HL_UI_WAIT (g_list_model_get_n_items (posts) == 3 && hl_window_get_idle (fx->window), 10);
  HL_UI_WAIT (g_strcmp0 (pane_subtitle (fx, "post_pane_title"), "2 Antworten") == 0, 10);

  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u thread", "%u threads", 1), ==, "%u Thema");
  {
    g_autofree char *now = hl_format_relative_time (g_get_real_time () / 1000,
                                                    g_get_real_time () / 1000);

    g_assert_cmpstr (now, ==, "gerade eben");
  }
}

/* The pixel width of @text in @label's font. */
static int
text_width (GtkWidget  *label,
            const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (label, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* The thread list's time column fits the longest German relative times,
 * which are wider than the English ones ("vor 23 Stunden"): none is cut. */
static void
test_time_column (Fixture       *fx,
                  gconstpointer  data)
{
  gint64 now_ms = g_get_real_time () / 1000;
  GtkWidget *when;
  int width;

  fixture_add_forum (fx);
  fixture_open_window (fx);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3 &&
              hl_window_get_idle (fx->window), 10);
  when = hl_ui_test_find_named (GTK_WIDGET (fx->window), "when_label");
  g_assert_nonnull (when);
  HL_UI_WAIT (gtk_widget_get_width (when) > 0, 10);
  width = gtk_widget_get_width (when);
  for (gint64 minutes = 1; minutes < 48 * 60; minutes += minutes < 60 ? 1 : 60)
    {
      g_autofree char *text = hl_format_relative_time (now_ms - minutes * 60000, now_ms);

      g_assert_cmpint (text_width (when, text), <=, width);
    }
  {
    g_autofree char *hours = hl_format_relative_time (now_ms - 23 * 3600000, now_ms);
    g_autofree char *year_ago = hl_format_relative_time (now_ms - 400 * G_GINT64_CONSTANT (86400000),
                                                         now_ms);

    g_assert_cmpstr (hours, ==, "vor 23 Stunden");
    g_assert_cmpint (text_width (when, year_ago), <=, width);
  }
}

/* With no thread open, the post pane's status page is German. */
static void
test_no_thread (Fixture       *fx,
                gconstpointer  data)
{
  GtkWidget *stack;

  fixture_add_forum (fx);
  fixture_open_window (fx);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_threads (fx->window)) == 3 &&
              hl_window_get_idle (fx->window), 10);
  stack = hl_ui_test_find_named (GTK_WIDGET (fx->window), "post_stack");
  HL_UI_WAIT (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "none") == 0, 10);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (
                     gtk_stack_get_visible_child (GTK_STACK (stack)))), ==,
                   "Kein Thema ausgewählt");
}

int
main (int   argc,
      char *argv[])
{
  /* German: the de_DE.UTF-8 locale where the machine has it, else LANGUAGE
   * under C.UTF-8, which gettext follows up to glibc 2.36 (Debian 12);
   * glibc 2.37 and later take C.UTF-8 for plain C and ignore LANGUAGE. */
  const char *lang = setlocale (LC_ALL, "de_DE.UTF-8") != NULL ? "de_DE.UTF-8" : "C.UTF-8";

  setlocale (LC_ALL, "C");
  g_setenv ("LANG", lang, TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANGUAGE", "de", TRUE);
  if (g_getenv ("HYPERLINK_LOCALEDIR") == NULL)
    g_error ("HYPERLINK_LOCALEDIR must name the build's po directory");
  hl_ui_test_init (&argc, &argv);
  setlocale (LC_ALL, "");
  hl_ui_bind_textdomain ();
  /* The translation is there at all, or every assertion below is moot. */
  if (g_strcmp0 (_("Threads"), "Themen") != 0)
    g_error ("No German under LANG=%s LANGUAGE=de: is %s/de/LC_MESSAGES/%s.mo built? "
             "With glibc 2.37 or later the machine needs the de_DE.UTF-8 locale "
             "(Debian: the locales package, then locale-gen)",
             lang, g_getenv ("HYPERLINK_LOCALEDIR"), GETTEXT_PACKAGE);

#define ADD(path, fn) \
  g_test_add (path, Fixture, GINT_TO_POINTER (TRUE), fixture_setup, fn, fixture_teardown)
  ADD ("/locale/de/empty", test_empty);
  ADD ("/locale/de/forum", test_forum);
  ADD ("/locale/de/no-thread", test_no_thread);
  ADD ("/locale/de/time-column", test_time_column);
  return g_test_run ();
}
