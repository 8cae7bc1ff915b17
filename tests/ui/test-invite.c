/* test-invite.c: invite links in the window, with a real hyperlinkd inviter
 * on loopback: joining through a link (and each way a link is refused),
 * and the Invite a Friend dialog.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "hl-ui-test.h"

#include "hl-alert.h"

#include "hl-application.h"
#include "hl-event.h"
#include "hl-forum.h"
#include "hl-invite.h"
#include "hl-paths.h"
#include "hl-post-item.h"
#include "hl-sync.h"
#include "hl-window.h"

typedef struct
{
  char        *dir;
  HlIdentity  *me;
  HlForum     *forum;
  HlSync      *sync;
  HlWindow    *window;
  char        *inviter_dir;
  GSubprocess *inviter;
  char        *inviter_address;
} Fixture;

/* A failed assertion aborts the test: the daemon must not outlive it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *key_path = NULL;
  g_autoptr(GError) error = NULL;

  fx->dir = hl_ui_test_make_dir ();
  key_path = hl_paths_identity (fx->dir);
  fx->me = hl_identity_load_or_create (key_path, NULL, &error);
  g_assert_no_error (error);
  hl_ui_test_publish (fx->dir, fx->me, HL_KIND_PROFILE, NULL, "{\"name\":\"Friend\"}", NULL);
  fx->forum = hl_forum_new (fx->dir, &error);
  g_assert_no_error (error);
  fx->sync = hl_sync_new (fx->dir);
  hl_sync_start (fx->sync);
  fx->window = g_object_ref (hl_window_new (NULL, fx->forum, fx->sync));
  gtk_window_present (GTK_WINDOW (fx->window));
  HL_UI_WAIT (hl_node_runner_get_state (hl_sync_get_runner (fx->sync)) == HL_NODE_RUNNER_RUNNING,
              10);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) other = g_list_model_get_item (toplevels, i - 1);

      if (other != GTK_WINDOW (fx->window))
        gtk_window_destroy (other);
    }
  gtk_window_destroy (GTK_WINDOW (fx->window));
  g_assert_finalize_object (g_steal_pointer (&fx->window));
  hl_sync_stop (fx->sync);
  g_assert_finalize_object (g_steal_pointer (&fx->sync));
  HL_UI_WAIT (G_OBJECT (fx->forum)->ref_count == 1, 10);
  g_assert_finalize_object (g_steal_pointer (&fx->forum));
  if (fx->inviter != NULL)
    {
      g_subprocess_send_signal (fx->inviter, SIGTERM);
      g_subprocess_wait (fx->inviter, NULL, NULL);
      g_clear_object (&fx->inviter);
    }
  if (fx->inviter_dir != NULL)
    hl_ui_test_remove_dir (fx->inviter_dir);
  g_free (fx->inviter_dir);
  g_free (fx->inviter_address);
  hl_identity_free (fx->me);
  hl_ui_test_remove_dir (fx->dir);
  g_free (fx->dir);
}

/* A forum of its own with a thread titled @title, and a hyperlinkd on it,
 * on a free loopback port. Returns the thread's subnet. */
static char *
start_inviter (Fixture    *fx,
               const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *subnet = NULL;
  g_autofree char *dir_arg = NULL;
  g_autofree char *listen_arg = NULL;
  guint16 port = hl_ui_test_free_port ();

  fx->inviter_dir = hl_ui_test_make_dir ();
  fx->inviter_address = g_strdup_printf ("ws://127.0.0.1:%u", port);
  g_free (hl_ui_test_ctl (fx->inviter_dir, "init", "--name", "Inviter", NULL));
  subnet = g_strstrip (hl_ui_test_ctl (fx->inviter_dir, "subnet", "create", "friends", NULL));
  g_free (hl_ui_test_ctl (fx->inviter_dir, "thread", "create", subnet, "--title", title,
                          "--body", "Welcome aboard", NULL));

  dir_arg = g_strdup_printf ("--data-dir=%s", fx->inviter_dir);
  listen_arg = g_strdup_printf ("--listen=127.0.0.1:%u", port);
  /* HL_UI_TEST_VERBOSE=1 shows what the daemon says. */
  launcher = g_subprocess_launcher_new (g_getenv ("HL_UI_TEST_VERBOSE") != NULL
                                        ? G_SUBPROCESS_FLAGS_NONE
                                        : G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                          G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  fx->inviter = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HYPERLINKD"), dir_arg,
                                             listen_arg, NULL);
  g_assert_no_error (error);
  return g_steal_pointer (&subnet);
}

static char *
inviter_link (Fixture    *fx,
              const char *subnet)
{
  return g_strstrip (hl_ui_test_ctl (fx->inviter_dir, "invite", "create", "--address",
                                     fx->inviter_address, subnet ? "--subnet" : NULL, subnet,
                                     NULL));
}

static gboolean
toast_starts (Fixture    *fx,
              const char *prefix)
{
  return g_str_has_prefix (hl_window_get_last_toast (fx->window) ?: "", prefix);
}

/* The question shown over the window (hl-alert.h), or NULL. */
static GtkWidget *
find_dialog (Fixture    *fx,
             const char *name)
{
  GObject *dialog = hl_window_get_dialog (fx->window);

  if (dialog != NULL && hl_alert_is_alert (dialog) &&
      (name == NULL || g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (dialog)), name) == 0))
    return GTK_WIDGET (dialog);
  return NULL;
}

/* Opens @link as HlApplication does and answers the question with @answer. */
static void
open_and_answer (Fixture    *fx,
                 const char *link,
                 const char *answer)
{
  GtkWidget *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.open-invite", "s",
                                             link));
  dialog = find_dialog (fx, NULL);
  g_assert_nonnull (dialog);
  hl_alert_respond (dialog, answer);
}

static gboolean
window_has_thread (HlWindow   *window,
                   const char *title)
{
  GListModel *threads = hl_window_get_threads (window);

  for (guint i = 0; i < g_list_model_get_n_items (threads); i++)
    {
      g_autoptr(HlPostItem) item = g_list_model_get_item (threads, i);

      if (hl_post_item_get_loaded (item) && g_strcmp0 (hl_post_item_get_title (item), title) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The whole flow: a link made by a hyperlinkd inviter, opened in the
 * window, asks first (naming the inviter's key), then joins: a toast says
 * so, the subnet the link suggests opens, and the inviter's thread appears
 * in it. */
static void
test_join (Fixture       *fx,
           gconstpointer  data)
{
  g_autofree char *subnet = NULL;
  g_autofree char *link = NULL;
  g_autofree char *key = NULL;
  g_autoptr(HlInvite) invite = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  /* A subnet of the window's own is open: the link's suggestion replaces it. */
  hl_ui_test_publish (fx->dir, fx->me, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Mine\"}", NULL);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_subnets (fx->window)) == 1, 10);
  subnet = start_inviter (fx, "Hello from the inviter");
  link = inviter_link (fx, subnet);
  invite = hl_invite_parse (link, &error);
  g_assert_no_error (error);

  /* Cancelling does nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.open-invite", "s",
                                             link));
  dialog = find_dialog (fx, NULL);
  g_assert_nonnull (dialog);
  /* A short heading (a longer one overflows an AdwAlertDialog: GTK warns,
   * and warnings are fatal here); the key and the address in the body. */
  g_assert_cmpstr (hl_alert_get_heading (dialog), ==, "Join Your Friend’s Forum?");
  key = g_strdup_printf ("(key %.16s…)", invite->node_hex);
  g_assert_nonnull (strstr (hl_alert_get_body (dialog), key));
  g_assert_nonnull (strstr (hl_alert_get_body (dialog), fx->inviter_address));
  hl_alert_respond (dialog, "cancel");
  g_assert_null (hl_window_get_last_toast (fx->window));

  open_and_answer (fx, link, "join");
  HL_UI_WAIT (toast_starts (fx, "Joined: node "), 30);
  g_assert_nonnull (strstr (hl_window_get_last_toast (fx->window), fx->inviter_address));
  HL_UI_WAIT (window_has_thread (fx->window, "Hello from the inviter"), 30);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_subnets (fx->window)) == 2, 10);
}

/* A newcomer: an empty forum shows one page that says what to do, with
 * "Join with an Invite Link…"; the dialog checks the pasted link as it is
 * typed, previews where it leads, enables Join only for a whole link, and
 * joins as opening the link does. */
static void
test_join_dialog (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *subnet = NULL;
  g_autofree char *link = NULL;
  g_autofree char *pasted = NULL;
  GtkWidget *dialog;
  GtkWidget *entry, *preview, *content;

  HL_UI_WAIT (hl_window_get_idle (fx->window), 10);
  content = hl_ui_test_find_named (GTK_WIDGET (fx->window), "content_pane");
  HL_UI_WAIT (!gtk_widget_get_visible (content), 10);
  g_assert_true (gtk_widget_get_mapped (hl_ui_test_find_named (GTK_WIDGET (fx->window),
                                                               "empty_status")));
  g_assert_true (gtk_widget_get_mapped (hl_ui_test_find_named (GTK_WIDGET (fx->window),
                                                               "empty_join")));

  subnet = start_inviter (fx, "Hello, newcomer");
  link = inviter_link (fx, subnet);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.join-invite", NULL));
  dialog = find_dialog (fx, "join_dialog");
  g_assert_nonnull (dialog);
  g_assert_false (hl_alert_get_response_enabled (dialog, "join"));
  entry = hl_ui_test_find_named (GTK_WIDGET (dialog), "join_entry");
  preview = hl_ui_test_find_named (GTK_WIDGET (dialog), "join_preview");

  /* Half a link (a chat client cut it): refused in words, Join stays off. */
  pasted = g_strndup (link, strlen (link) / 2);
  gtk_editable_set_text (GTK_EDITABLE (entry), pasted);
  g_assert_false (hl_alert_get_response_enabled (dialog, "join"));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (preview)),
                                   "This is not a whole invite link."));

  /* The whole link, with the spaces a paste brings along. */
  g_free (pasted);
  pasted = g_strconcat ("  ", link, "\n", NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), pasted);
  g_assert_true (hl_alert_get_response_enabled (dialog, "join"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (preview)), fx->inviter_address));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (preview)), "It opens a subnet"));

  hl_alert_respond (dialog, "join");
  HL_UI_WAIT (toast_starts (fx, "Joined: node "), 30);
  HL_UI_WAIT (window_has_thread (fx->window, "Hello, newcomer"), 30);
  /* The forum is no longer empty: the panes are back. */
  HL_UI_WAIT (gtk_widget_get_visible (content), 10);
}

/* Refused at once with the parser's reason, and nothing is asked. */
static void
test_malformed (Fixture       *fx,
                gconstpointer  data)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.open-invite", "s",
                                             "hyperlink:invite?v=1&d=bm90IGFuIGludml0ZQ"));
  g_assert_null (find_dialog (fx, NULL));
  g_assert_true (toast_starts (fx, "This is not a whole invite link. Ask your friend"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.open-invite", "s",
                                             "hyperlink://something-else"));
  g_assert_null (find_dialog (fx, NULL));
  g_assert_true (toast_starts (fx, "This is not a whole invite link. Ask your friend"));
}

/* A link whose token was altered after signing: forged, refused at once. */
static void
test_forged (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(HlIdentity) inviter = hl_identity_new_random ();
  const char *addresses[] = { "ws://127.0.0.1:1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) invite = hl_invite_new (inviter, addresses, NULL,
                                              g_get_real_time () / 1000 + 3600000, 1, NULL,
                                              &error);
  g_autofree char *link = NULL;

  g_assert_no_error (error);
  invite->uses = 50;   /* more than was signed */
  link = hl_invite_to_link (invite);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.open-invite", "s",
                                             link));
  g_assert_null (find_dialog (fx, NULL));
  g_assert_true (toast_starts (fx, "This invite link was changed after it was made"));
}

/* Well formed but refused once asked: expired (by the accepting side), or
 * leading to another node than the one that signed it (by the node, once
 * it reached that address). */
static void
test_refused (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(HlIdentity) stranger = hl_identity_new_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) expired = NULL;
  g_autoptr(HlInvite) wrong = NULL;
  g_autofree char *expired_link = NULL;
  g_autofree char *wrong_link = NULL;
  const char *addresses[1 + 1] = { NULL, NULL };

  g_free (start_inviter (fx, "Not for you"));
  addresses[0] = fx->inviter_address;

  expired = hl_invite_new (stranger, addresses, NULL, g_get_real_time () / 1000 - 86400000, 1,
                           NULL, &error);
  g_assert_no_error (error);
  expired_link = hl_invite_to_link (expired);
  open_and_answer (fx, expired_link, "join");
  HL_UI_WAIT (toast_starts (fx, "This invite has expired. Ask your friend for a new one."), 10);

  /* Signed by a stranger, pointing at the inviter's hyperlinkd. */
  wrong = hl_invite_new (stranger, addresses, NULL, g_get_real_time () / 1000 + 3600000, 1, NULL,
                         &error);
  g_assert_no_error (error);
  wrong_link = hl_invite_to_link (wrong);
  open_and_answer (fx, wrong_link, "join");
  HL_UI_WAIT (toast_starts (fx, "The invite was refused: "), 30);
  g_assert_nonnull (strstr (hl_window_get_last_toast (fx->window), "not to node"));
  g_assert_false (window_has_thread (fx->window, "Not for you"));
}

/* The link as shown can be typed back: whole (wrapped, never ellipsized),
 * in monospace, selectable, and without hyphens where Pango breaks it ('-'
 * is a base64url character). */
static void
assert_link_label_exact (GtkLabel *label)
{
  PangoAttrList *attrs = gtk_label_get_attributes (label);
  g_autoptr(PangoAttrIterator) iter = NULL;
  PangoAttrInt *hyphens;
  PangoLayout *layout;

  g_assert_nonnull (attrs);
  iter = pango_attr_list_get_iterator (attrs);
  hyphens = (PangoAttrInt *) pango_attr_iterator_get (iter, PANGO_ATTR_INSERT_HYPHENS);
  g_assert_nonnull (hyphens);
  g_assert_false (hyphens->value);
  g_assert_true (gtk_label_get_selectable (label));
  g_assert_true (gtk_label_get_wrap (label));
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_NONE);
  g_assert_cmpint (gtk_label_get_lines (label), ==, -1);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "monospace"));
  /* It does wrap (the test is about the breaks), and shows every character. */
  HL_UI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (label)), 5);
  layout = gtk_label_get_layout (label);
  g_assert_cmpint (pango_layout_get_line_count (layout), >, 1);
  g_assert_false (pango_layout_is_ellipsized (layout));
  g_assert_cmpstr (pango_layout_get_text (layout), ==, gtk_label_get_label (label));
}

/* Invite a Friend: the link the dialog shows is a valid invite naming this
 * node's key, at the address the node listens on, suggesting the subnet
 * that is open. */
static void
test_create (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(HlInvite) invite = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *subnet_hex = NULL;
  g_autofree char *listed = NULL;
  GtkWidget *ask, *shown;
  GtkWidget *check, *label;
  guint8 subnet[HL_ID_LEN];

  hl_ui_test_publish (fx->dir, fx->me, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Garden\"}", subnet);
  subnet_hex = hl_hex_dup (subnet, HL_ID_LEN);
  HL_UI_WAIT (g_list_model_get_n_items (hl_window_get_subnets (fx->window)) == 1, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.select-subnet", "s",
                                             subnet_hex));
  /* The node's status file gives the address: wait until it is written. */
  HL_UI_WAIT (hl_sync_get_tailscale (fx->sync) != NULL, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.invite-friend", NULL));
  ask = find_dialog (fx, "invite_ask_dialog");
  g_assert_nonnull (ask);
  check = hl_alert_get_extra_child (ask);
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), ==,
                   "Suggest “Garden” to open first");
  hl_alert_respond (ask, "create");

  HL_UI_WAIT ((shown = find_dialog (fx, "invite_dialog")) != NULL || hl_window_get_last_toast (fx->window),
              10);
  g_assert_cmpstr (hl_window_get_last_toast (fx->window), ==, NULL);
  g_assert_nonnull (strstr (hl_alert_get_body (shown), "Tailscale share"));
  label = hl_ui_test_find_named (GTK_WIDGET (shown), "invite_link");
  g_assert_true (GTK_IS_LABEL (label));
  invite = hl_invite_parse (gtk_label_get_label (GTK_LABEL (label)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (invite->node_hex, ==, hl_forum_get_key_hex (fx->forum));
  address = g_strdup_printf ("ws://127.0.0.1:%u", hl_sync_get_port (fx->sync));
  g_assert_true (g_strv_contains ((const char * const *) invite->addresses, address));
  g_assert_cmpuint (invite->uses, ==, 1);
  g_assert_cmpstr (invite->subnet_hex, ==, subnet_hex);
  g_assert_true (invite->expires_ms > g_get_real_time () / 1000 + 6 * 86400000LL);

  /* Remembered like `hyperlinkctl invite create` does. */
  listed = hl_ui_test_ctl (fx->dir, "invite", "list", NULL);
  g_assert_cmpint (strncmp (listed, invite->id_hex, 8), ==, 0);
  g_assert_true (GTK_IS_BUTTON (hl_ui_test_find_named (GTK_WIDGET (shown), "invite_copy")));
  assert_link_label_exact (GTK_LABEL (label));
}

/* With nothing to put in an invite (no node has written a status, so no
 * Tailscale name and no listen address, and no bootstrap node), Invite a
 * Friend says what to do in the window's words, known by the error's code:
 * not the command line's advice. */
static void
test_create_no_address (void)
{
  g_autofree char *dir = hl_ui_test_make_dir ();
  g_autofree char *key_path = hl_paths_identity (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlIdentity) me = hl_identity_load_or_create (key_path, NULL, &error);
  g_autoptr(HlForum) forum = NULL;
  HlWindow *window;
  GObject *ask;
  const char *toast;

  g_assert_no_error (error);
  hl_ui_test_publish (dir, me, HL_KIND_PROFILE, NULL, "{\"name\":\"Friend\"}", NULL);
  forum = hl_forum_new (dir, &error);
  g_assert_no_error (error);
  window = g_object_ref (hl_window_new (NULL, forum, NULL));
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.invite-friend", NULL));
  ask = hl_window_get_dialog (window);
  g_assert_true (ask != NULL && hl_alert_is_alert (ask));
  hl_alert_respond (GTK_WIDGET (ask), "create");
  HL_UI_WAIT (hl_window_get_last_toast (window) != NULL, 10);
  toast = hl_window_get_last_toast (window);
  g_assert_cmpstr (toast, ==, "Could not make an invite: this computer has no address to put in "
                              "it. Start Tailscale, or add a bootstrap node in Preferences");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  HL_UI_WAIT (G_OBJECT (forum)->ref_count == 1, 10);
  g_assert_finalize_object (g_steal_pointer (&forum));
  hl_ui_test_remove_dir (dir);
}

static void
open_link (GApplication *app,
           const char   *link)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (link);

  /* As `hyperlink LINK` does: GApplication's open, with the file the
   * command line made of the link. */
  g_application_open (app, &file, 1, "");
}

static gboolean
app_window_says (GApplication *app,
                 const char   *prefix)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  return HL_IS_WINDOW (window) &&
         g_str_has_prefix (hl_window_get_last_toast (HL_WINDOW (window)) ?: "", prefix);
}

/* HlApplication hands a hyperlink:invite link it is opened with to its
 * window: a malformed one is refused there, with the parser's reason. */
static void
test_app_open (void)
{
  g_autofree char *dir = hl_ui_test_make_dir ();
  g_autoptr(HlApplication) app = hl_application_new ();
  GtkWindow *window;

  g_setenv (HL_DATA_DIR_ENV, dir, TRUE);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN |
                                                G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  open_link (G_APPLICATION (app), "hyperlink:invite?v=1&d=bm90IGFuIGludml0ZQ");
  HL_UI_WAIT (app_window_says (G_APPLICATION (app),
                               "This is not a whole invite link. Ask your friend"), 10);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_window_destroy (window);
  hl_sync_stop (hl_application_get_sync (app));
  g_clear_object (&app);
  hl_ui_test_remove_dir (dir);
  g_unsetenv (HL_DATA_DIR_ENV);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv (HL_SYNC_LISTEN_ENV, "127.0.0.1:0", TRUE);
  hl_ui_test_init (&argc, &argv);
  if (g_getenv ("HYPERLINKD") == NULL || g_getenv ("HYPERLINKCTL") == NULL)
    {
      g_print ("1..0 # SKIP HYPERLINKD and HYPERLINKCTL are not set\n");
      return 0;
    }
  g_test_add ("/invite/join", Fixture, NULL, fixture_setup, test_join, fixture_teardown);
  g_test_add ("/invite/join-dialog", Fixture, NULL, fixture_setup, test_join_dialog,
              fixture_teardown);
  g_test_add ("/invite/malformed", Fixture, NULL, fixture_setup, test_malformed, fixture_teardown);
  g_test_add ("/invite/forged", Fixture, NULL, fixture_setup, test_forged, fixture_teardown);
  g_test_add ("/invite/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/invite/create", Fixture, NULL, fixture_setup, test_create, fixture_teardown);
  g_test_add_func ("/invite/create-no-address", test_create_no_address);
  g_test_add_func ("/invite/app-open", test_app_open);
  return g_test_run ();
}
