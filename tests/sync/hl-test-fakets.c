/* hl-test-fakets.c: the tests' handle on a stand-in tailscaled.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-fakets.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>


static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

FakeTs *
fake_new (const char *backend_state)
{
  FakeTs *ts = g_new0 (FakeTs, 1);
  g_autoptr(GError) error = NULL;

  ts->dir = g_dir_make_tmp ("hl-fake-ts-XXXXXX", &error);
  g_assert_no_error (error);
  ts->socket = g_build_filename (ts->dir, "tailscaled.sock", NULL);
  ts->world = g_build_filename (ts->dir, "world.ini", NULL);
  ts->keys = g_key_file_new ();
  g_key_file_set_string (ts->keys, "tailscaled", "BackendState", backend_state);
  return ts;
}

void
fake_machine (FakeTs     *ts,
              const char *group,
              const char *host,
              const char *ip,
              const char *user,
              const char *suffix)
{
  g_key_file_set_string (ts->keys, group, "HostName", host);
  g_key_file_set_string (ts->keys, group, "IP", ip);
  g_key_file_set_string (ts->keys, group, "User", user);
  g_key_file_set_string (ts->keys, group, "Suffix", suffix);
}

static void
fake_write (FakeTs *ts)
{
  g_autoptr(GError) error = NULL;

  g_key_file_save_to_file (ts->keys, ts->world, &error);
  g_assert_no_error (error);
}

void
fake_start (FakeTs *ts)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  fake_write (ts);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  ts->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HL_FAKE_TAILSCALED"),
                                             "--socket", ts->socket, "--world", ts->world, NULL);
  g_assert_no_error (error);
  while (!g_file_test (ts->socket, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  g_assert_true (g_file_test (ts->socket, G_FILE_TEST_EXISTS));
}

/* The world changed: the stand-in re-reads it and tells its watchers. */
void
fake_update (FakeTs *ts)
{
  fake_write (ts);
  g_subprocess_send_signal (ts->process, SIGHUP);
}

void
fake_stop (FakeTs *ts)
{
  if (ts->process == NULL)
    return;
  g_subprocess_send_signal (ts->process, SIGTERM);
  g_subprocess_wait (ts->process, NULL, NULL);
  g_clear_object (&ts->process);
}

void
fake_free (FakeTs *ts)
{
  if (ts->process != NULL)
    {
      g_subprocess_force_exit (ts->process);
      g_subprocess_wait (ts->process, NULL, NULL);
      g_object_unref (ts->process);
    }
  g_unlink (ts->socket);
  g_unlink (ts->world);
  g_rmdir (ts->dir);
  g_key_file_unref (ts->keys);
  g_free (ts->dir);
  g_free (ts->socket);
  g_free (ts->world);
  g_free (ts);
}
