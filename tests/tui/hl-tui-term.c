/* hl-tui-term.c: a real terminal for the terminal client's tests.
 *
 * Each terminal is a tmux server of its own (tmux -D: in the foreground, a
 * child of the test that dies with it, so a failed test leaves nothing
 * running), on a socket in a temporary directory, with no status line so
 * that the pane is the whole window. Screens are read with capture-pane;
 * waits poll them against a deadline.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-term.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#define POLL_MS 20

struct _HlTuiTerm
{
  char        *dir;
  char        *socket;
  char        *data_dir;
  GSubprocess *server;
};

const char *
hl_tui_program (void)
{
  const char *path = g_getenv ("HYPERLINK_TUI");

  g_assert_nonnull (path);
  return path;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Runs the tmux client on @term's server; returns its output. */
static char *
tmux_v (HlTuiTerm          *term,
        const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) "tmux");
  g_ptr_array_add (argv, (char *) "-u");
  g_ptr_array_add (argv, (char *) "-S");
  g_ptr_array_add (argv, term->socket);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                     &err, &status, &error))
    g_error ("Cannot run tmux (tools/install-deps installs it): %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("tmux %s failed: %s%s", args[0], err, error->message);
  return g_steal_pointer (&out);
}

static void
tmux (HlTuiTerm  *term,
      const char *first,
      ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  out = tmux_v (term, (const char * const *) args->pdata);
}

static void
start_server (HlTuiTerm *term)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *config = g_build_filename (term->dir, "tmux.conf", NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  /* remain-on-exit: a pane whose shell ended anyway stays to be read. */
  const char *settings = "set -g status off\n"
                         "set -g remain-on-exit on\n"
                         "set -g default-terminal tmux-256color\n"
                         "set -g escape-time 0\n"
                         "set -g history-limit 0\n";

  g_file_set_contents (config, settings, -1, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  term->server = g_subprocess_launcher_spawn (launcher, &error, "tmux", "-u", "-D", "-S",
                                              term->socket, "-f", config, NULL);
  if (term->server == NULL)
    g_error ("Cannot start tmux (tools/install-deps installs it): %s", error->message);
  while (!g_file_test (term->socket, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("tmux did not open its socket %s within 10 s", term->socket);
      g_usleep (POLL_MS * 1000);
    }
}

HlTuiTerm *
hl_tui_term_start (const char         *data_dir,
                   guint               cols,
                   guint               rows,
                   const char * const *env,
                   const char * const *args)
{
  HlTuiTerm *term = g_new0 (HlTuiTerm, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *defaults[] = {
    "LANG=C.UTF-8",
    "LC_ALL=C.UTF-8",
    "HYPERLINK_LISTEN=127.0.0.1:0",
    "HYPERLINK_TAILSCALE_SOCKET=/nonexistent/hyperlink-tests/tailscaled.sock",
    "HYPERLINK_SYNC_STATUS_MS=100",
    "HYPERLINK_SYNC_MAX_BACKOFF_MS=500",
  };
  const char *unset[] = { "VISUAL", "EDITOR", "NO_COLOR" };

  term->dir = g_dir_make_tmp ("hl-tui-term-XXXXXX", &error);
  g_assert_no_error (error);
  term->socket = g_build_filename (term->dir, "tmux.sock", NULL);
  term->data_dir = g_strdup (data_dir);
  start_server (term);

  g_ptr_array_add (argv, g_strdup ("new-session"));
  g_ptr_array_add (argv, g_strdup ("-d"));
  g_ptr_array_add (argv, g_strdup ("-s"));
  g_ptr_array_add (argv, g_strdup ("tui"));
  g_ptr_array_add (argv, g_strdup ("-x"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", cols));
  g_ptr_array_add (argv, g_strdup ("-y"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", rows));
  g_ptr_array_add (argv, g_strdup ("env"));
  /* What the test does not set is as a fresh login would have it. */
  for (guint i = 0; i < G_N_ELEMENTS (unset); i++)
    {
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup (unset[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    g_ptr_array_add (argv, g_strdup (defaults[i]));
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (env[i]));
  /* The shell says how the program ended, and stays: tmux may drop what a
   * pane wrote just before its process exited. */
  g_ptr_array_add (argv, g_strdup ("sh"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup ("\"$0\" \"$@\"; echo \"" HL_TUI_EXIT_TEXT "$?\"; "
                                   "exec sleep infinity"));
  g_ptr_array_add (argv, g_strdup (hl_tui_program ()));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (data_dir));
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  out = tmux_v (term, (const char * const *) argv->pdata);
  return term;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

void
hl_tui_term_free (HlTuiTerm *term)
{
  if (term == NULL)
    return;
  if (term->server != NULL)
    {
      g_subprocess_force_exit (term->server);
      g_subprocess_wait (term->server, NULL, NULL);
      g_clear_object (&term->server);
    }
  remove_tree (term->dir);
  g_free (term->dir);
  g_free (term->socket);
  g_free (term->data_dir);
  g_free (term);
}

char *
hl_tui_term_capture (HlTuiTerm *term,
                     gboolean   escapes)
{
  const char *plain[] = { "capture-pane", "-p", "-t", "tui", NULL };
  const char *with_escapes[] = { "capture-pane", "-p", "-e", "-t", "tui", NULL };

  return tmux_v (term, escapes ? with_escapes : plain);
}

void
hl_tui_term_keys (HlTuiTerm *term,
                  ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  va_list ap;

  g_ptr_array_add (args, (char *) "send-keys");
  g_ptr_array_add (args, (char *) "-t");
  g_ptr_array_add (args, (char *) "tui");
  va_start (ap, term);
  for (const char *key = va_arg (ap, const char *); key != NULL; key = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) key);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  out = tmux_v (term, (const char * const *) args->pdata);
}

void
hl_tui_term_type (HlTuiTerm  *term,
                  const char *text)
{
  tmux (term, "send-keys", "-t", "tui", "-l", text, NULL);
}

void
hl_tui_term_send_bytes (HlTuiTerm    *term,
                        const guint8 *bytes,
                        gsize         len)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;

  g_ptr_array_add (args, g_strdup ("send-keys"));
  g_ptr_array_add (args, g_strdup ("-t"));
  g_ptr_array_add (args, g_strdup ("tui"));
  g_ptr_array_add (args, g_strdup ("-H"));
  for (gsize i = 0; i < len; i++)
    g_ptr_array_add (args, g_strdup_printf ("%02x", bytes[i]));
  g_ptr_array_add (args, NULL);
  out = tmux_v (term, (const char * const *) args->pdata);
}

/* xterm's X10 encoding, which tmux-256color's terminfo (kmous=\E[M) names:
 * ESC [ M, then 32 + button, 33 + column, 33 + row. */
static void
mouse_report (HlTuiTerm *term,
              guint      button,
              guint      x,
              guint      y)
{
  guint8 report[] = { 0x1b, '[', 'M', (guint8) (32 + button), (guint8) (33 + x),
                      (guint8) (33 + y) };

  g_assert_cmpuint (x, <, 94);
  g_assert_cmpuint (y, <, 94);
  hl_tui_term_send_bytes (term, report, sizeof report);
}

void
hl_tui_term_click (HlTuiTerm *term,
                   guint      x,
                   guint      y)
{
  mouse_report (term, 0, x, y);   /* left button pressed */
  mouse_report (term, 3, x, y);   /* released */
}

void
hl_tui_term_wheel (HlTuiTerm *term,
                   guint      x,
                   guint      y,
                   int        direction)
{
  mouse_report (term, direction > 0 ? 65 : 64, x, y);
}

void
hl_tui_term_resize (HlTuiTerm *term,
                    guint      cols,
                    guint      rows)
{
  g_autofree char *x = g_strdup_printf ("%u", cols);
  g_autofree char *y = g_strdup_printf ("%u", rows);

  tmux (term, "resize-window", "-t", "tui", "-x", x, "-y", y, NULL);
}

char *
hl_tui_term_query (HlTuiTerm  *term,
                   const char *format)
{
  const char *args[] = { "display-message", "-p", "-t", "tui", format, NULL };

  return g_strstrip (tmux_v (term, args));
}

gboolean
hl_tui_term_alive (HlTuiTerm *term)
{
  g_autofree char *dead = hl_tui_term_query (term, "#{pane_dead}");
  g_autofree char *screen = hl_tui_term_capture (term, FALSE);

  return g_str_equal (dead, "0") && strstr (screen, HL_TUI_EXIT_TEXT) == NULL;
}

char *
hl_tui_term_wait_for (HlTuiTerm       *term,
                      HlTuiScreenFunc  func,
                      gpointer         user_data,
                      guint            timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *screen = hl_tui_term_capture (term, FALSE);

      if (func (screen, user_data))
        return g_steal_pointer (&screen);
      if (g_get_monotonic_time () > deadline)
        return NULL;
      g_usleep (POLL_MS * 1000);
    }
}

void
hl_tui_term_fail (HlTuiTerm  *term,
                  const char *why)
{
  g_autofree char *screen = hl_tui_term_capture (term, FALSE);
  g_autofree char *status = hl_tui_term_query (term, "dead=#{pane_dead} "
                                                     "status=#{pane_dead_status} "
                                                     "signal=#{pane_dead_signal}");
  g_autofree char *log_path = g_build_filename (term->data_dir, "tui.log", NULL);
  g_autofree char *log = NULL;

  g_file_get_contents (log_path, &log, NULL, NULL);
  g_error ("%s\n--- screen (%s) ---\n%s--- tui.log ---\n%s", why, status, screen,
           log != NULL ? log : "(none)");
}

static gboolean
shows (const char *screen,
       gpointer    text)
{
  return strstr (screen, text) != NULL;
}

static gboolean
lacks (const char *screen,
       gpointer    text)
{
  return strstr (screen, text) == NULL;
}

char *
hl_tui_term_expect (HlTuiTerm  *term,
                    const char *text,
                    guint       timeout_s)
{
  char *screen = hl_tui_term_wait_for (term, shows, (gpointer) text, timeout_s);
  g_autofree char *why = NULL;

  if (screen == NULL)
    {
      why = g_strdup_printf ("The screen did not show “%s” within %u s", text, timeout_s);
      hl_tui_term_fail (term, why);
    }
  return screen;
}

char *
hl_tui_term_expect_gone (HlTuiTerm  *term,
                         const char *text,
                         guint       timeout_s)
{
  char *screen = hl_tui_term_wait_for (term, lacks, (gpointer) text, timeout_s);
  g_autofree char *why = NULL;

  if (screen == NULL)
    {
      why = g_strdup_printf ("The screen still showed “%s” after %u s", text, timeout_s);
      hl_tui_term_fail (term, why);
    }
  return screen;
}

char *
hl_tui_screen_line (const char *screen,
                    const char *text)
{
  g_auto(GStrv) lines = g_strsplit (screen, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], text) != NULL)
      return g_strdup (lines[i]);
  return NULL;
}
