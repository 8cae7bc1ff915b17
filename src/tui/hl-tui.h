/* hl-tui.h: hyperlink-tui, the forum in a terminal. The one header of
 * src/tui that other code (main.c, tests, benches) includes.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HL_TYPE_TUI (hl_tui_get_type ())

G_DECLARE_FINAL_TYPE (HlTui, hl_tui, HL, TUI, GObject)

/* Where $HYPERLINK_LISTEN says the node listens, as in the window. */
#define HL_TUI_LISTEN_ENV "HYPERLINK_LISTEN"
/* The terminal client's own small state (last subnet and thread). */
#define HL_TUI_STATE_FILE "tui.ini"
/* Smallest terminal the panes are laid out in; smaller ones get a message. */
#define HL_TUI_MIN_COLS   80
#define HL_TUI_MIN_ROWS   24

typedef struct
{
  const char *data_dir;          /* required */
  int         in_fd;             /* the terminal: 0 and 1 after hl_tui_options_init() */
  int         out_fd;
  const char *term;              /* terminal type; NULL: $TERM */
  const char *log_path;          /* standard error goes here while the screen is ours; NULL: left */
  gboolean    no_sync;           /* run no node and follow none */
  const char *listen;            /* HOST:PORT, HOST or "none"; NULL: $HYPERLINK_LISTEN, else
                                  * every address at 9473 */
  const char *tailscale_socket;  /* NULL: $HYPERLINK_TAILSCALE_SOCKET, else the default */
  const char *invite;            /* a hyperlink:invite link to offer to join at start, or NULL */
} HlTuiOptions;

typedef enum
{
  HL_TUI_FRAME_COMPLETE    = 1 << 0,   /* the forum is on screen, every row read from the store */
  HL_TUI_FRAME_AFTER_INPUT = 1 << 1,   /* drawn for keys just read, once they are all handled */
} HlTuiFrameFlags;

/* Called after each frame is written to the terminal (for benches). */
typedef void (*HlTuiFrameFunc) (HlTui           *tui,
                                HlTuiFrameFlags  flags,
                                gpointer         user_data);

void     hl_tui_options_init    (HlTuiOptions       *options);

/* Opens the data directory (creating it and the identity when needed) and
 * its store. Nothing touches the terminal until hl_tui_run(). */
HlTui   *hl_tui_new             (const HlTuiOptions *options,
                                 GError            **error);
/* Takes the terminal, starts the node (or follows the hyperlinkd that holds
 * the data directory) and runs on the default main context until the
 * user quits, SIGTERM, SIGINT or SIGHUP, or the terminal goes away. Leaves
 * the terminal as it found it and stops the node. Returns an exit status. */
int      hl_tui_run             (HlTui              *self,
                                 GError            **error);
/* Ends hl_tui_run() soon (from its thread). */
void     hl_tui_quit            (HlTui              *self);
void     hl_tui_set_frame_func  (HlTui              *self,
                                 HlTuiFrameFunc      func,
                                 gpointer            user_data);

G_END_DECLS
