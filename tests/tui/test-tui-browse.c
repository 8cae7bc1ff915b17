/* test-tui-browse.c: hyperlink-tui in a real terminal: browsing, the
 * thread as a tree, unread marks, writing (in $EDITOR and in the built-in
 * editor), search, the mouse, peers and help.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-fixture.h"

#define WAIT_S 15

static void
test_browse (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *screen = NULL;
  int debian, why;

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);

  /* Three panes: subnets, the first subnet's threads by activity, the thread. */
  screen = hl_tui_term_expect (term, "Second thread", WAIT_S);
  g_assert_nonnull (strstr (screen, "Subnets"));
  g_assert_nonnull (strstr (screen, "rust"));
  g_assert_nonnull (strstr (screen, "linux · 2 threads"));
  g_assert_cmpint (hl_tui_screen_column (screen, "Second thread"), <,
                   hl_tui_screen_column (screen, "Enter on a thread opens it here"));
  g_assert_cmpint (hl_tui_screen_column (screen, "Which distro?"), >=, 0);
  g_assert_true (strstr (screen, "Second thread") < strstr (screen, "Which distro?"));
  g_clear_pointer (&screen, g_free);

  /* j moves to the second thread, Enter opens it; replies are a tree. */
  hl_tui_term_keys (term, "j", "Enter", NULL);
  screen = hl_tui_term_expect (term, "Why Debian? Because apt.", WAIT_S);
  g_assert_nonnull (strstr (screen, "Asking for a friend who likes kernels."));
  debian = hl_tui_screen_column (screen, "Debian, obviously.");
  why = hl_tui_screen_column (screen, "Why Debian? Because apt.");
  g_assert_cmpint (debian, >, 0);
  g_assert_cmpint (why, >, debian);   /* the answer to a reply, under it */
  g_assert_nonnull (strstr (screen, "└─ Alice"));
  g_clear_pointer (&screen, g_free);

  /* q goes back a pane at a time; in Subnets, j opens the next subnet. */
  hl_tui_term_keys (term, "q", "q", "j", NULL);
  screen = hl_tui_term_expect (term, "rust · 1 thread", WAIT_S);
  g_assert_nonnull (strstr (screen, "Borrow checker"));
  g_clear_pointer (&screen, g_free);
  hl_tui_term_keys (term, "Enter", "Enter", NULL);
  g_free (hl_tui_term_expect (term, "It fights me.", WAIT_S));

  /* Q quits, cleanly. */
  hl_tui_term_keys (term, "Q", NULL);
  hl_tui_term_expect_exit (term, WAIT_S);
  hl_tui_forum_clear (&forum);
}

static gboolean
unread_line (const char *screen,
             gpointer    title)
{
  g_autofree char *line = hl_tui_screen_line (screen, title);

  return line != NULL && strstr (line, "●") != NULL;
}

static gboolean
read_line (const char *screen,
           gpointer    title)
{
  g_autofree char *line = hl_tui_screen_line (screen, title);

  return line != NULL && strstr (line, "●") == NULL;
}

/* Another author's thread, arriving while the client runs, is marked; it
 * is not once opened, and the marks are the window's file. */
static void
test_unread (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *bob = hl_test_make_dir ("bob");
  g_autofree char *out = NULL;
  g_autofree char *news = NULL;
  g_autofree char *screen = NULL;
  g_autofree char *marks_path = NULL;
  g_autofree char *marks = NULL;

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));

  out = hl_test_ctl_ok (bob, "init", "--name", "Bob", NULL);
  hl_tui_copy_events (forum.dir, bob);
  news = hl_test_ctl_ok (bob, "thread", "create", forum.linux_id, "--title", "News from Bob",
                         "--body", "Fresh from another device.", NULL);
  hl_tui_copy_events (bob, forum.dir);

  /* No key pressed: the store changed, the screen follows. */
  screen = hl_tui_term_wait_for (term, unread_line, (gpointer) "News from Bob", WAIT_S);
  if (screen == NULL)
    hl_tui_term_fail (term, "Bob's thread did not show as unread");
  /* Our own threads are never "unread". */
  g_assert_true (read_line (screen, (gpointer) "Second thread"));
  g_clear_pointer (&screen, g_free);

  /* The new thread is on top; g selects it, Enter opens it. */
  hl_tui_term_keys (term, "g", "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Fresh from another device.", WAIT_S));
  hl_tui_term_keys (term, "q", NULL);
  screen = hl_tui_term_wait_for (term, read_line, (gpointer) "News from Bob", WAIT_S);
  if (screen == NULL)
    hl_tui_term_fail (term, "Bob's thread stayed unread after it was opened");

  hl_tui_term_keys (term, "Q", NULL);
  hl_tui_term_expect_exit (term, WAIT_S);
  marks_path = g_build_filename (forum.dir, "window-read.ini", NULL);
  g_assert_true (g_file_get_contents (marks_path, &marks, NULL, NULL));
  g_assert_nonnull (strstr (marks, news));
  hl_test_remove_tree (bob);
  hl_tui_forum_clear (&forum);
}

static JsonObject *
find_post (JsonNode   *thread,
           const char *body)
{
  JsonArray *replies = json_object_get_array_member (json_node_get_object (thread), "reply_list");

  for (guint i = 0; i < json_array_get_length (replies); i++)
    {
      JsonObject *reply = json_array_get_object_element (replies, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (reply, "body", NULL), body) == 0)
        return reply;
    }
  return NULL;
}

static void
test_write_in_editor (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *tools = hl_test_make_dir ("editor");
  g_autofree char *editor = hl_tui_editor_new (tools);
  g_autofree char *editor_env = g_strdup_printf ("EDITOR=%s", editor);
  const char *env[] = { editor_env, NULL };
  g_autofree char *screen = NULL;
  g_autofree char *input = NULL;
  g_autofree char *list = NULL;
  g_autoptr(JsonNode) thread = NULL;
  g_autoptr(GString) long_title = g_string_new (NULL);
  JsonObject *reply;
  int why;

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 100, 30, env, NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));

  /* A reply to the reply "Why Debian?": the third post of the thread. */
  hl_tui_editor_say (tools, "Reply from the editor\n");
  hl_tui_term_keys (term, "j", "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Why Debian? Because apt.", WAIT_S));
  hl_tui_term_keys (term, "j", "j", "r", NULL);
  screen = hl_tui_term_expect (term, "Reply from the editor", WAIT_S);
  why = hl_tui_screen_column (screen, "Why Debian? Because apt.");
  g_assert_cmpint (hl_tui_screen_column (screen, "Reply from the editor"), >, why);
  g_clear_pointer (&screen, g_free);
  /* The editor was given notes below a scissors line, with the post answered. */
  input = hl_tui_editor_input (tools);
  g_assert_nonnull (strstr (input, "# ------------------------ >8 ------------------------"));
  g_assert_nonnull (strstr (input, "# > Why Debian? Because apt."));
  g_clear_pointer (&input, g_free);
  thread = hl_test_ctl_json (forum.dir, "thread", "show", forum.distro, NULL);
  reply = find_post (thread, "Reply from the editor");
  g_assert_nonnull (reply);
  g_assert_cmpstr (json_object_get_string_member (reply, "parent"), ==, forum.why);

  /* A new thread: the first line is its title. It opens once posted. */
  hl_tui_editor_say (tools, "Fresh title\n\nFresh body\n# not a comment: posted as it is\n");
  hl_tui_term_keys (term, "n", NULL);
  screen = hl_tui_term_expect (term, "# not a comment: posted as it is", WAIT_S);
  g_assert_nonnull (strstr (screen, "Fresh title"));
  g_clear_pointer (&screen, g_free);
  list = hl_test_ctl_ok (forum.dir, "thread", "list", forum.linux_id, NULL);
  g_assert_nonnull (strstr (list, "Fresh title"));
  g_clear_pointer (&list, g_free);

  /* e edits it: the editor starts from the text as it is. */
  hl_tui_editor_say (tools, "Fresh title, edited\n\nFresh body, edited\n");
  hl_tui_term_keys (term, "e", NULL);
  g_free (hl_tui_term_expect (term, "Fresh body, edited", WAIT_S));
  input = hl_tui_editor_input (tools);
  g_assert_true (g_str_has_prefix (input, "Fresh title\n\nFresh body\n"));
  g_clear_pointer (&input, g_free);

  /* d deletes it, once confirmed. */
  hl_tui_term_keys (term, "d", NULL);
  g_free (hl_tui_term_expect (term, "Delete your thread and its replies?", WAIT_S));
  hl_tui_term_keys (term, "y", NULL);
  g_free (hl_tui_term_expect_gone (term, "Fresh title, edited", WAIT_S));
  list = hl_test_ctl_ok (forum.dir, "thread", "list", forum.linux_id, NULL);
  g_assert_null (strstr (list, "Fresh title"));
  g_clear_pointer (&list, g_free);

  /* An empty text sends nothing. */
  hl_tui_editor_say (tools, "\n\n");
  hl_tui_term_keys (term, "n", NULL);
  g_free (hl_tui_term_expect (term, "Nothing was sent: the text was empty", WAIT_S));

  /* A title the protocol refuses (over 200 characters): a clear message, and
   * the text comes back in the editor on the same key. */
  for (guint i = 0; i < 30; i++)
    g_string_append (long_title, "Too long. ");
  g_string_append (long_title, "\n\nbody\n");
  hl_tui_editor_say (tools, long_title->str);
  hl_tui_term_keys (term, "n", NULL);
  g_free (hl_tui_term_expect (term, "Not sent (n opens your text again)", WAIT_S));
  hl_tui_editor_say (tools, "\n");
  hl_tui_term_keys (term, "n", NULL);
  g_free (hl_tui_term_expect (term, "Nothing was sent", WAIT_S));
  input = hl_tui_editor_input (tools);
  g_assert_true (g_str_has_prefix (input, "Too long. Too long."));

  g_assert_true (hl_tui_term_alive (term));
  hl_test_remove_tree (tools);
  hl_tui_forum_clear (&forum);
}

/* No $VISUAL, no $EDITOR: the built-in editor. */
static void
test_builtin_editor (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *list = NULL;
  g_autofree char *shown = NULL;

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));

  hl_tui_term_keys (term, "n", NULL);
  g_free (hl_tui_term_expect (term, "New thread in linux", WAIT_S));
  hl_tui_term_type (term, "Typed title");
  hl_tui_term_keys (term, "Enter", NULL);
  hl_tui_term_type (term, "first line");
  hl_tui_term_keys (term, "Enter", NULL);
  hl_tui_term_type (term, "second, 漢字 and 😀");
  g_free (hl_tui_term_expect (term, "second, 漢字 and 😀", WAIT_S));
  hl_tui_term_keys (term, "C-d", NULL);
  g_free (hl_tui_term_expect (term, "Thread posted", WAIT_S));
  shown = hl_test_ctl_ok (forum.dir, "thread", "list", forum.linux_id, NULL);
  g_assert_nonnull (strstr (shown, "Typed title"));
  g_clear_pointer (&shown, g_free);

  /* Esc with text asks first; y discards. */
  hl_tui_term_keys (term, "r", NULL);
  g_free (hl_tui_term_expect (term, "Reply to Alice", WAIT_S));
  hl_tui_term_type (term, "never sent");
  hl_tui_term_keys (term, "Escape", NULL);
  g_free (hl_tui_term_expect (term, "Discard what you wrote?", WAIT_S));
  hl_tui_term_keys (term, "y", NULL);
  g_free (hl_tui_term_expect (term, "Discarded", WAIT_S));
  list = hl_test_ctl_ok (forum.dir, "search", "never", NULL);
  g_assert_null (strstr (list, "never sent"));
  hl_tui_forum_clear (&forum);
}

static void
test_search (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *screen = NULL;

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));

  hl_tui_term_keys (term, "/", NULL);
  g_free (hl_tui_term_expect (term, "Search:", WAIT_S));
  hl_tui_term_type (term, "apt");
  hl_tui_term_keys (term, "Enter", NULL);
  screen = hl_tui_term_expect (term, "Search “apt” · 1 result", WAIT_S);
  g_assert_nonnull (strstr (screen, "Why Debian?"));
  g_clear_pointer (&screen, g_free);

  /* Enter opens the thread the reply found is in. */
  hl_tui_term_keys (term, "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Asking for a friend who likes kernels.", WAIT_S));
  hl_tui_term_keys (term, "q", "q", NULL);
  screen = hl_tui_term_expect (term, "linux · 2 threads", WAIT_S);
  g_assert_null (strstr (screen, "Search “apt”"));
  g_clear_pointer (&screen, g_free);

  /* Nothing found says so. */
  hl_tui_term_keys (term, "/", NULL);
  hl_tui_term_type (term, "zebras");
  hl_tui_term_keys (term, "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Nothing found", WAIT_S));
  hl_tui_forum_clear (&forum);
}

static void
test_mouse (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));

  /* Row 2 of the subnets pane: rust. */
  hl_tui_term_click (term, 3, 2);
  g_free (hl_tui_term_expect (term, "Borrow checker", WAIT_S));
  /* A click on the selected thread opens it. */
  hl_tui_term_click (term, 30, 1);
  g_free (hl_tui_term_expect (term, "It fights me.", WAIT_S));
  /* Back to linux; the wheel moves down the threads, Enter opens. */
  hl_tui_term_click (term, 3, 1);
  g_free (hl_tui_term_expect (term, "Which distro?", WAIT_S));
  hl_tui_term_wheel (term, 30, 5, 1);
  hl_tui_term_keys (term, "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Asking for a friend who likes kernels.", WAIT_S));
  g_assert_true (hl_tui_term_alive (term));
  hl_tui_forum_clear (&forum);
}

static void
test_peers (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *list = NULL;
  g_autofree char *screen = NULL;

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));

  hl_tui_term_keys (term, "p", NULL);
  g_free (hl_tui_term_expect (term, "Peers and invites", WAIT_S));
  g_free (hl_tui_term_expect (term, "This client syncs the forum", WAIT_S));

  /* Bad input: refused with the reason, nothing stored. */
  hl_tui_term_keys (term, "a", NULL);
  hl_tui_term_type (term, "not an address");
  hl_tui_term_keys (term, "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Not added:", WAIT_S));
  list = hl_test_ctl_ok (forum.dir, "peer", "list", NULL);
  g_assert_cmpstr (list, ==, "");
  g_clear_pointer (&list, g_free);

  hl_tui_term_keys (term, "a", NULL);
  hl_tui_term_type (term, "ws://127.0.0.1:9");
  hl_tui_term_keys (term, "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Added ws://127.0.0.1:9", WAIT_S));
  list = hl_test_ctl_ok (forum.dir, "peer", "list", NULL);
  g_assert_cmpstr (list, ==, "ws://127.0.0.1:9");
  g_clear_pointer (&list, g_free);
  /* The node dials it and says why it cannot. */
  g_free (hl_tui_term_expect (term, "cannot reach ws://127.0.0.1:9", WAIT_S));

  hl_tui_term_keys (term, "b", NULL);
  hl_tui_term_type (term, "ws://127.0.0.1:10");
  hl_tui_term_keys (term, "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Added ws://127.0.0.1:10", WAIT_S));
  list = hl_test_ctl_ok (forum.dir, "bootstrap", "list", NULL);
  g_assert_cmpstr (list, ==, "ws://127.0.0.1:10");
  g_clear_pointer (&list, g_free);

  /* x removes the selected one (the peer, first), once confirmed. */
  hl_tui_term_keys (term, "x", NULL);
  g_free (hl_tui_term_expect (term, "Remove ws://127.0.0.1:9 from the peers? (y/N)", WAIT_S));
  hl_tui_term_keys (term, "n", NULL);
  list = hl_test_ctl_ok (forum.dir, "peer", "list", NULL);
  g_assert_cmpstr (list, ==, "ws://127.0.0.1:9");
  g_clear_pointer (&list, g_free);
  hl_tui_term_keys (term, "x", NULL);
  g_free (hl_tui_term_expect (term, "Remove ws://127.0.0.1:9", WAIT_S));
  hl_tui_term_keys (term, "y", NULL);
  g_free (hl_tui_term_expect (term, "Removed ws://127.0.0.1:9", WAIT_S));
  list = hl_test_ctl_ok (forum.dir, "peer", "list", NULL);
  g_assert_cmpstr (list, ==, "");
  g_clear_pointer (&list, g_free);

  /* A link that is no invite is refused, with the parser's reason. */
  hl_tui_term_keys (term, "i", NULL);
  hl_tui_term_type (term, "hyperlink:invite?v=1&d=garbage");
  hl_tui_term_keys (term, "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Not an invite Hyperlink can use", WAIT_S));

  hl_tui_term_keys (term, "q", NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));
  hl_tui_forum_clear (&forum);
}

static void
test_help (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *screen = NULL;

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));
  hl_tui_term_keys (term, "?", NULL);
  screen = hl_tui_term_expect (term, "Keys of hyperlink-tui", WAIT_S);
  g_assert_nonnull (strstr (screen, "delete your selected post (asks first)"));
  g_assert_nonnull (strstr (screen, "search every subnet"));
  g_assert_nonnull (strstr (screen, "Ctrl+L"));
  /* It scrolls to the end: the keys of the peers screen and of writing. */
  hl_tui_term_keys (term, "End", "PageDown", "PageDown", NULL);
  g_free (hl_tui_term_expect (term, "Ctrl+D sends", WAIT_S));
  g_free (hl_tui_term_expect (term, "make an invite link", WAIT_S));
  hl_tui_term_keys (term, "q", NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));
  hl_tui_forum_clear (&forum);
}

int
main (int   argc,
      char *argv[])
{
  hl_test_init (&argc, &argv);
  g_test_add_func ("/tui/browse", test_browse);
  g_test_add_func ("/tui/unread", test_unread);
  g_test_add_func ("/tui/write-in-editor", test_write_in_editor);
  g_test_add_func ("/tui/builtin-editor", test_builtin_editor);
  g_test_add_func ("/tui/search", test_search);
  g_test_add_func ("/tui/mouse", test_mouse);
  g_test_add_func ("/tui/peers", test_peers);
  g_test_add_func ("/tui/help", test_help);
  return hl_test_run_and_clean_up ();
}
