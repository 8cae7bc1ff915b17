/* hl-tui-text.h: text from the forum as terminal cells, inert and measured.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <wchar.h>

G_BEGIN_DECLS

/* ncurses keeps at most 5 wide characters in a cell (CCHARW_MAX): one
 * spacing character and the combining ones on it. */
#define HL_TUI_CELL_CHARS 5
/* Tab stops in bodies. */
#define HL_TUI_TAB_WIDTH  4

typedef enum
{
  HL_TUI_CELL_INERT = 1 << 0,   /* stands for a control character, or bytes that are no UTF-8 */
} HlTuiCellFlags;

typedef struct
{
  wchar_t chars[HL_TUI_CELL_CHARS + 1];   /* a spacing character, then combining ones; 0-ended */
  guint8  width;                          /* 1 or 2 columns */
  guint8  flags;                          /* HlTuiCellFlags */
} HlTuiCell;

/* Appends @text (UTF-8 or not; @len < 0: 0-ended) to @cells (of HlTuiCell)
 * as what a terminal can show and nothing it would obey:
 * - C0 controls and DEL become caret pairs (ESC is "^[", CR "^M"), marked
 *   inert; tabs become spaces; with @keep_newlines FALSE a newline is "^J";
 * - C1 controls, bytes that are no UTF-8, directional overrides and
 *   isolates (U+202A–U+202E, U+2066–U+2069: they would reorder the rest of
 *   the line) and anything wcwidth() cannot place become U+FFFD, inert;
 * - combining and other zero-width characters join the cell before them
 *   (a space when there is none); CJK and emoji take two columns.
 * Right-to-left letters stay in their logical order: the terminal lays
 * them out, this never reorders. @column is where the text starts (for
 * tabs). */
void       hl_tui_cells_append   (GArray      *cells,
                                  const char  *text,
                                  gssize       len,
                                  gboolean     keep_newlines,
                                  guint        column);
/* A new array of the cells of @text on one line (newlines shown inert). */
GArray    *hl_tui_cells_new      (const char  *text);
/* The columns @text takes on one line. */
guint      hl_tui_text_width     (const char  *text);
/* How many of @cells fit in @width columns: all of them, else as many as
 * leave room for an ellipsis (*@cut set TRUE). */
guint      hl_tui_cells_fit      (GArray      *cells,
                                  guint        width,
                                  gboolean    *cut);
/* @text wrapped to @width columns (at least 2): lines break at newlines,
 * words at spaces, and a word longer than a line between cells (never
 * inside a two-column one). Returns the lines, each a GArray of HlTuiCell,
 * at least one (empty for empty text). */
GPtrArray *hl_tui_wrap           (const char  *text,
                                  guint        width);
/* The cells back as UTF-8 (what was drawn), for tests and benches. */
char      *hl_tui_cells_to_utf8  (GArray      *cells);

G_END_DECLS
