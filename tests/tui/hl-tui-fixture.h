/* hl-tui-fixture.h: forums and editors for the terminal client's tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-test-util.h"
#include "hl-tui-term.h"

G_BEGIN_DECLS

/* Alice's forum, written with hyperlinkctl: subnets "linux" and "rust";
 * in linux "Which distro?" (replies: Debian, and an answer to it), then
 * "Second thread"; in rust "Borrow checker". */
typedef struct
{
  char *dir;
  char *linux_id;
  char *rust_id;
  char *distro;
  char *debian;
  char *why;
  char *second;
  char *borrow;
} HlTuiForum;

void        hl_tui_forum_init      (HlTuiForum *forum);
void        hl_tui_forum_clear     (HlTuiForum *forum);

/* An $EDITOR for the tests: it keeps a copy of the file it was given
 * (hl_tui_editor_input) and writes hl_tui_editor_say's text into it. */
char       *hl_tui_editor_new      (const char *dir);
void        hl_tui_editor_say      (const char *dir,
                                    const char *text);
char       *hl_tui_editor_input    (const char *dir);

/* Copies every event of @from into @to (export, import). */
void        hl_tui_copy_events     (const char *from,
                                    const char *to);
/* The column (in characters) where @text starts on the screen's row that
 * holds it, or -1. */
int         hl_tui_screen_column   (const char *screen,
                                    const char *text);
/* Waits for the program to exit; asserts it did with status 0. */
void        hl_tui_term_expect_exit (HlTuiTerm *term,
                                    guint       timeout_s);

G_END_DECLS
