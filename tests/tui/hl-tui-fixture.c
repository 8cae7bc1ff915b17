/* hl-tui-fixture.c: forums and editors for the terminal client's tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-fixture.h"

void
hl_tui_forum_init (HlTuiForum *forum)
{
  g_autofree char *out = NULL;

  forum->dir = hl_test_make_dir ("alice");
  out = hl_test_ctl_ok (forum->dir, "init", "--name", "Alice", NULL);
  forum->linux_id = hl_test_ctl_ok (forum->dir, "subnet", "create", "linux", "--description",
                                    "Penguins", NULL);
  forum->rust_id = hl_test_ctl_ok (forum->dir, "subnet", "create", "rust", NULL);
  forum->distro = hl_test_ctl_ok (forum->dir, "thread", "create", forum->linux_id, "--title",
                                  "Which distro?", "--body",
                                  "Asking for a friend who likes kernels.", NULL);
  forum->debian = hl_test_ctl_ok (forum->dir, "reply", forum->distro, "--body",
                                  "Debian, obviously.", NULL);
  forum->why = hl_test_ctl_ok (forum->dir, "reply", forum->distro, "--parent", forum->debian,
                               "--body", "Why Debian? Because apt.", NULL);
  forum->second = hl_test_ctl_ok (forum->dir, "thread", "create", forum->linux_id, "--title",
                                  "Second thread", "--body", "Nothing to see here.", NULL);
  forum->borrow = hl_test_ctl_ok (forum->dir, "thread", "create", forum->rust_id, "--title",
                                  "Borrow checker", "--body", "It fights me.", NULL);
}

void
hl_tui_forum_clear (HlTuiForum *forum)
{
  hl_test_remove_tree (forum->dir);
  g_free (forum->dir);
  g_free (forum->linux_id);
  g_free (forum->rust_id);
  g_free (forum->distro);
  g_free (forum->debian);
  g_free (forum->why);
  g_free (forum->second);
  g_free (forum->borrow);
}

char *
hl_tui_editor_new (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_build_filename (dir, "editor-input.txt", NULL);
  g_autofree char *output = g_build_filename (dir, "editor-output.txt", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\n"
                                             "cp \"$1\" '%s'\n"
                                             "if [ -f '%s' ]; then cat '%s' > \"$1\"; fi\n",
                                             input, output, output);
  char *path = g_build_filename (dir, "editor.sh", NULL);

  g_file_set_contents_full (path, script, -1, G_FILE_SET_CONTENTS_NONE, 0700, &error);
  g_assert_no_error (error);
  return path;
}

void
hl_tui_editor_say (const char *dir,
                   const char *text)
{
  g_autofree char *output = g_build_filename (dir, "editor-output.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (output, text, -1, &error);
  g_assert_no_error (error);
}

char *
hl_tui_editor_input (const char *dir)
{
  g_autofree char *input = g_build_filename (dir, "editor-input.txt", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (input, &text, NULL, NULL));
  return text;
}

void
hl_tui_copy_events (const char *from,
                    const char *to)
{
  g_autoptr(HlCtlRun) run = hl_test_ctl_run (from, "export", NULL);
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (run->status, ==, 0);
  file = hl_test_write_file (to, "events.jsonl", run->out);
  out = hl_test_ctl_ok (to, "import", file, NULL);
}

int
hl_tui_screen_column (const char *screen,
                      const char *text)
{
  g_auto(GStrv) lines = g_strsplit (screen, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], text);

      if (at != NULL)
        return (int) g_utf8_pointer_to_offset (lines[i], at);
    }
  return -1;
}

void
hl_tui_term_expect_exit (HlTuiTerm *term,
                         guint      timeout_s)
{
  g_autofree char *screen = hl_tui_term_expect (term, HL_TUI_EXIT_TEXT, timeout_s);

  if (strstr (screen, HL_TUI_EXIT_TEXT "0") == NULL)
    hl_tui_term_fail (term, "The program ended otherwise than with exit status 0");
}
