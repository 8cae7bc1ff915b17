/* test-tui-live.c: hyperlink-tui with real hyperlinkd peers on loopback:
 * a peer's post appears without a key pressed, a reply written in the
 * terminal reaches the peer, a running hyperlinkd is followed (and taken
 * over from), and an invite link is accepted from the peers screen.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-node.h"
#include "hl-tui-fixture.h"

#define WAIT_S   30

static gboolean
has_text (HlTestNode *node,
          gpointer    text)
{
  g_autofree char *found = hl_test_node_ctl (node, "search", text, NULL);

  return strstr (found, text) != NULL;
}

static gboolean
unread_line (const char *screen,
             gpointer    title)
{
  g_autofree char *line = hl_tui_screen_line (screen, title);

  return line != NULL && strstr (line, "●") != NULL;
}

static void
test_live_peer (void)
{
  g_autoptr(HlTestNode) bob = hl_test_node_new ("bob");
  g_autofree char *alice = hl_test_make_dir ("alice");
  g_autofree char *tools = hl_test_make_dir ("editor");
  g_autofree char *editor = hl_tui_editor_new (tools);
  g_autofree char *editor_env = g_strdup_printf ("EDITOR=%s", editor);
  const char *env[] = { editor_env, NULL };
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *out = NULL;
  g_autofree char *added = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *screen = NULL;

  hl_test_node_start (bob);
  out = hl_test_ctl_ok (alice, "init", "--name", "Alice", NULL);
  added = hl_test_ctl_ok (alice, "peer", "add", bob->address, NULL);
  term = hl_tui_term_start (alice, 100, 30, env, NULL);
  /* The client's own node dials Bob: the status line says so. */
  g_free (hl_tui_term_expect (term, "In sync · 1 peer", WAIT_S));

  /* Bob posts; nothing is typed here, and it shows, marked unread. */
  thread = hl_test_node_post (bob, "Live from Bob");
  screen = hl_tui_term_wait_for (term, unread_line, (gpointer) "Live from Bob", WAIT_S);
  if (screen == NULL)
    hl_tui_term_fail (term, "Bob's thread did not appear by itself");
  g_assert_nonnull (strstr (screen, "s-bob"));
  g_clear_pointer (&screen, g_free);

  /* A reply written here reaches Bob. */
  hl_tui_editor_say (tools, "Answer from the terminal\n");
  hl_tui_term_keys (term, "Enter", "r", NULL);
  g_free (hl_tui_term_expect (term, "Answer from the terminal", WAIT_S));
  g_assert_true (hl_test_wait_for (bob, has_text, (gpointer) "terminal", WAIT_S));

  /* Bob goes: offline, by itself. */
  hl_test_node_stop (bob);
  g_free (hl_tui_term_expect (term, "Offline", WAIT_S));
  hl_tui_term_keys (term, "Q", NULL);
  hl_tui_term_expect_exit (term, WAIT_S);
  hl_test_remove_tree (alice);
  hl_test_remove_tree (tools);
}

/* A hyperlinkd already syncs the data directory: the client runs no node,
 * follows that one's status, shows what it receives, and takes over when
 * it stops. */
static void
test_external (void)
{
  g_autoptr(HlTestNode) bob = hl_test_node_new ("bob");
  g_autoptr(HlTestNode) alice = hl_test_node_new ("alice");
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *added = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *holder = NULL;

  hl_test_node_start (bob);
  added = hl_test_node_ctl (alice, "peer", "add", bob->address, NULL);
  hl_test_node_start (alice);
  pid = g_strdup (g_subprocess_get_identifier (alice->process));
  term = hl_tui_term_start (alice->data_dir, 100, 30, NULL, NULL);
  g_free (hl_tui_term_expect (term, "In sync · 1 peer (hyperlinkd)", WAIT_S));

  thread = hl_test_node_post (bob, "Through hyperlinkd");
  g_free (hl_tui_term_expect (term, "Through hyperlinkd", WAIT_S));
  hl_tui_term_keys (term, "p", NULL);
  holder = g_strdup_printf ("hyperlinkd (process %s) syncs this forum", pid);
  g_free (hl_tui_term_expect (term, holder, WAIT_S));

  /* hyperlinkd stops: the client's own node takes the data directory. */
  hl_test_node_stop (alice);
  g_free (hl_tui_term_expect (term, "This client syncs the forum", WAIT_S));
  g_free (hl_tui_term_expect (term, "In sync · 1 peer", WAIT_S));
  g_free (hl_tui_term_expect_gone (term, "(hyperlinkd)", WAIT_S));
  hl_tui_term_keys (term, "q", "Q", NULL);
  hl_tui_term_expect_exit (term, WAIT_S);
}

/* Without --listen or $HYPERLINK_LISTEN the client's node listens where
 * hyperlinkd does by default: loopback (and tailnet addresses, of which
 * there are none here), never every address. */
static void
test_listen_default (void)
{
  g_autofree char *data_dir = hl_test_make_dir ("tui-listen");
  const char *env[] = { "HYPERLINK_LISTEN=", NULL };
  g_autoptr(HlTuiTerm) term = NULL;
  g_autoptr(JsonNode) status = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  JsonArray *listening = NULL;

  g_free (hl_test_init_identity (data_dir, "Lis"));
  term = hl_tui_term_start (data_dir, 100, 30, env, NULL);
  while (listening == NULL || json_array_get_length (listening) == 0)
    {
      g_autoptr(HlCtlRun) run = NULL;

      if (g_get_monotonic_time () > deadline)
        g_error ("the client's node did not say where it listens within %d s "
                 "(is something else on port 9473?)", WAIT_S);
      g_usleep (50 * 1000);
      run = hl_test_ctl_run (data_dir, "status", "--json", NULL);
      g_clear_pointer (&status, json_node_unref);
      if (run->status != 0)
        continue;
      status = hl_test_parse_json (run->out);
      if (json_object_has_member (json_node_get_object (status), "listen"))
        listening = json_object_get_array_member (json_node_get_object (status), "listen");
    }
  for (guint i = 0; i < json_array_get_length (listening); i++)
    {
      const char *address = json_array_get_string_element (listening, i);

      g_assert_true (g_str_has_prefix (address, "127.0.0.1:") ||
                     g_str_has_prefix (address, "[::1]:"));
    }
  hl_tui_term_keys (term, "q", "Q", NULL);
  hl_tui_term_expect_exit (term, WAIT_S);
  hl_test_remove_tree (data_dir);
}

static void
test_invite (void)
{
  g_autoptr(HlTestNode) carol = hl_test_node_new ("carol");
  g_autofree char *alice = hl_test_make_dir ("alice");
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *out = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *subnet_path = NULL;
  g_autofree char *subnet = NULL;
  g_autofree char *made = NULL;
  g_autoptr(JsonNode) invite = NULL;
  const char *link;

  hl_test_node_start (carol);
  thread = hl_test_node_post (carol, "Carol's first thread");
  subnet_path = g_build_filename (carol->data_dir, "test-subnet", NULL);
  g_assert_true (g_file_get_contents (subnet_path, &subnet, NULL, NULL));
  made = hl_test_node_ctl (carol, "invite", "create", "--json", "--address", carol->address,
                           "--subnet", subnet, NULL);
  invite = hl_test_parse_json (made);
  link = hl_test_get_string (invite, "link");

  out = hl_test_ctl_ok (alice, "init", "--name", "Alice", NULL);
  term = hl_tui_term_start (alice, 100, 30, NULL, NULL);
  g_free (hl_tui_term_expect (term, "No subnets yet.", WAIT_S));
  hl_tui_term_keys (term, "p", NULL);
  g_free (hl_tui_term_expect (term, "Invites (i accepts a link", WAIT_S));
  hl_tui_term_keys (term, "i", NULL);
  hl_tui_term_type (term, link);
  hl_tui_term_keys (term, "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Join node", WAIT_S));
  g_free (hl_tui_term_expect (term, carol->address, WAIT_S));
  hl_tui_term_keys (term, "y", NULL);
  g_free (hl_tui_term_expect (term, "Joined: node", WAIT_S));

  /* The subnet the link suggests is open, with Carol's thread in it. */
  hl_tui_term_keys (term, "q", NULL);
  g_free (hl_tui_term_expect (term, "Carol's first", WAIT_S));
  g_free (hl_tui_term_expect (term, "s-carol", WAIT_S));

  /* The same link again: this node has redeemed it already. */
  hl_tui_term_keys (term, "p", "i", NULL);
  hl_tui_term_type (term, link);
  hl_tui_term_keys (term, "Enter", "y", NULL);
  g_free (hl_tui_term_expect (term, "from node", WAIT_S));
  g_assert_true (hl_tui_term_alive (term));
  hl_test_remove_tree (alice);
}

int
main (int   argc,
      char *argv[])
{
  hl_test_init (&argc, &argv);
  g_test_add_func ("/tui/live-peer", test_live_peer);
  g_test_add_func ("/tui/external", test_external);
  g_test_add_func ("/tui/invite", test_invite);
  g_test_add_func ("/tui/listen-default", test_listen_default);
  return hl_test_run_and_clean_up ();
}
