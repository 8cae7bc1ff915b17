/* hl-tui-term.h: a real terminal for the terminal client's tests: a tmux
 * server of the test's own, one session, driven by send-keys and read by
 * capture-pane.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HlTuiTerm HlTuiTerm;

/* What the screen says once the program has exited, before its status. */
#define HL_TUI_EXIT_TEXT "hyperlink-tui exited with status "


/* Starts `hyperlink-tui --data-dir @data_dir` (and @args, NULL-ended, may
 * be NULL) in a @cols × @rows tmux session, with @env (NAME=VALUE strings,
 * NULL-ended, may be NULL) added to a UTF-8 environment where the node
 * listens on loopback only and reaches no real tailscaled. */
HlTuiTerm  *hl_tui_term_start      (const char         *data_dir,
                                    guint               cols,
                                    guint               rows,
                                    const char * const *env,
                                    const char * const *args);
/* Kills the session and its server. */
void        hl_tui_term_free       (HlTuiTerm          *term);

/* The screen as text, one line per row; with @escapes, with the SGR
 * sequences that give each cell its attributes (capture-pane -e). */
char       *hl_tui_term_capture    (HlTuiTerm          *term,
                                    gboolean            escapes);
/* send-keys with tmux key names ("Enter", "C-d", "j"...), NULL-ended. */
void        hl_tui_term_keys       (HlTuiTerm          *term,
                                    ...) G_GNUC_NULL_TERMINATED;
/* Types @text as it is (send-keys -l). */
void        hl_tui_term_type       (HlTuiTerm          *term,
                                    const char         *text);
/* Sends raw bytes, as a terminal would (send-keys -H): mouse reports. */
void        hl_tui_term_send_bytes (HlTuiTerm          *term,
                                    const guint8       *bytes,
                                    gsize               len);
/* A left click or a wheel turn (+1 down, -1 up) at column @x, row @y
 * (from 0), as xterm reports it. */
void        hl_tui_term_click      (HlTuiTerm          *term,
                                    guint               x,
                                    guint               y);
void        hl_tui_term_wheel      (HlTuiTerm          *term,
                                    guint               x,
                                    guint               y,
                                    int                 direction);
void        hl_tui_term_resize     (HlTuiTerm          *term,
                                    guint               cols,
                                    guint               rows);
/* A tmux format about the pane, e.g. "#{pane_title}". */
char       *hl_tui_term_query      (HlTuiTerm          *term,
                                    const char         *format);
/* TRUE while the program runs (it has neither exited nor crashed). */
gboolean    hl_tui_term_alive      (HlTuiTerm          *term);

/* Polls the screen until @func holds, or @timeout_s passes; returns the
 * last screen seen on success, NULL on timeout. */
typedef gboolean (*HlTuiScreenFunc) (const char *screen,
                                     gpointer    user_data);
char       *hl_tui_term_wait_for   (HlTuiTerm          *term,
                                    HlTuiScreenFunc     func,
                                    gpointer            user_data,
                                    guint               timeout_s);
/* Waits until the screen shows @text; fails the test, printing the
 * screen and the client's log, when it does not within @timeout_s. */
char       *hl_tui_term_expect     (HlTuiTerm          *term,
                                    const char         *text,
                                    guint               timeout_s);
/* The same, until it no longer shows @text. */
char       *hl_tui_term_expect_gone (HlTuiTerm         *term,
                                    const char         *text,
                                    guint               timeout_s);
/* The row of the screen that holds @text, or NULL. */
char       *hl_tui_screen_line     (const char         *screen,
                                    const char         *text);
/* Fails the test, with the screen and the client's log. */
void        hl_tui_term_fail       (HlTuiTerm          *term,
                                    const char         *why);

const char *hl_tui_program         (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTuiTerm, hl_tui_term_free)

G_END_DECLS
