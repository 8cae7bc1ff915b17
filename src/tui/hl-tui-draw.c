/* hl-tui-draw.c: cells onto the screen, in the terminal's own colours.
 *
 * Colours are the terminal's palette: the eight ANSI colours on the
 * terminal's default background (use_default_colors), so a light or a dark
 * theme stays itself. With $NO_COLOR set (https://no-color.org) or a
 * terminal without colours, styles are attributes only: bold, reverse,
 * underline, dim.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

typedef struct
{
  attr_t mono;
  attr_t color_attr;
  short  fg;                   /* -1: the terminal's default */
} StyleSpec;

static const StyleSpec style_specs[HL_TUI_N_STYLES] = {
  [HL_TUI_STYLE_NORMAL]       = { 0, 0, -1 },
  [HL_TUI_STYLE_BAR]          = { A_REVERSE, A_REVERSE, -1 },
  [HL_TUI_STYLE_BAR_FOCUS]    = { A_REVERSE | A_BOLD, A_REVERSE | A_BOLD, COLOR_BLUE },
  [HL_TUI_STYLE_SELECTED]     = { A_REVERSE | A_BOLD, A_REVERSE | A_BOLD, COLOR_CYAN },
  [HL_TUI_STYLE_SELECTED_DIM] = { A_REVERSE, A_REVERSE, -1 },
  [HL_TUI_STYLE_DIM]          = { A_DIM, A_DIM, -1 },
  [HL_TUI_STYLE_TITLE]        = { A_BOLD, A_BOLD, -1 },
  [HL_TUI_STYLE_UNREAD]       = { A_BOLD, A_BOLD, COLOR_CYAN },
  [HL_TUI_STYLE_AUTHOR]       = { A_BOLD, A_BOLD, COLOR_GREEN },
  [HL_TUI_STYLE_INERT]        = { A_UNDERLINE, 0, COLOR_RED },
  [HL_TUI_STYLE_ERROR]        = { A_BOLD, A_BOLD, COLOR_RED },
  [HL_TUI_STYLE_OK]           = { A_BOLD, 0, COLOR_GREEN },
  [HL_TUI_STYLE_MATCH]        = { A_BOLD | A_UNDERLINE, A_BOLD, COLOR_YELLOW },
};

void
hl_tui_init_styles (HlTui *self)
{
  const char *no_color = g_getenv ("NO_COLOR");

  self->color = (no_color == NULL || *no_color == '\0') && has_colors ();
  if (self->color)
    {
      start_color ();
      use_default_colors ();
      if (COLORS < 8 || COLOR_PAIRS < HL_TUI_N_STYLES)
        self->color = FALSE;
    }
  for (guint i = 0; i < HL_TUI_N_STYLES; i++)
    {
      const StyleSpec *spec = &style_specs[i];

      self->style_pair[i] = 0;
      self->style_attr[i] = self->color ? spec->color_attr : spec->mono;
      if (self->color && spec->fg >= 0)
        {
          init_pair ((short) (i + 1), spec->fg, -1);
          self->style_pair[i] = (short) (i + 1);
        }
    }
}

const char *
hl_tui_glyph (HlTui      *self,
              HlTuiGlyph  glyph)
{
  static const char *const utf8[HL_TUI_N_GLYPHS] = {
    [HL_TUI_GLYPH_UNREAD] = "●",
    [HL_TUI_GLYPH_UNSENT] = "↑",
    [HL_TUI_GLYPH_ELLIPSIS] = "…",
    [HL_TUI_GLYPH_BRANCH] = "├─",
    [HL_TUI_GLYPH_LAST_BRANCH] = "└─",
    [HL_TUI_GLYPH_PIPE] = "│",
    [HL_TUI_GLYPH_DOT] = " · ",
    [HL_TUI_GLYPH_SELECTED] = "▸",
  };
  static const char *const ascii[HL_TUI_N_GLYPHS] = {
    [HL_TUI_GLYPH_UNREAD] = "*",
    [HL_TUI_GLYPH_UNSENT] = "^",
    [HL_TUI_GLYPH_ELLIPSIS] = "~",
    [HL_TUI_GLYPH_BRANCH] = "|-",
    [HL_TUI_GLYPH_LAST_BRANCH] = "`-",
    [HL_TUI_GLYPH_PIPE] = "|",
    [HL_TUI_GLYPH_DOT] = " - ",
    [HL_TUI_GLYPH_SELECTED] = ">",
  };

  g_return_val_if_fail (glyph < HL_TUI_N_GLYPHS, "");
  return self->utf8 ? utf8[glyph] : ascii[glyph];
}

void
hl_tui_fill (HlTui      *self,
             int         y,
             int         x,
             int         width,
             HlTuiStyle  style)
{
  cchar_t space;
  const wchar_t blank[] = { L' ', 0 };

  if (width <= 0)
    return;
  setcchar (&space, blank, self->style_attr[style], self->style_pair[style], NULL);
  mvhline_set (y, x, &space, width);
}

static void
put_cell (HlTui           *self,
          int              y,
          int              x,
          const HlTuiCell *cell,
          HlTuiStyle       style)
{
  const wchar_t unknown[] = { L'?', 0 };
  attr_t attr = self->style_attr[style];
  short pair = self->style_pair[style];
  cchar_t cc;

  if (cell->flags & HL_TUI_CELL_INERT)
    {
      attr |= self->style_attr[HL_TUI_STYLE_INERT];
      if (self->color)
        pair = self->style_pair[HL_TUI_STYLE_INERT];
    }
  /* A terminal that is not UTF-8 cannot show the rest; a cell still takes
   * the columns it was measured at. */
  if (!self->utf8 && cell->chars[0] > 0x7e)
    setcchar (&cc, unknown, attr, pair, NULL);
  else
    setcchar (&cc, cell->chars, attr, pair, NULL);
  mvadd_wch (y, x, &cc);
  if (!self->utf8 && cell->chars[0] > 0x7e && cell->width == 2)
    mvadd_wch (y, x + 1, &cc);
}

int
hl_tui_draw_cells (HlTui      *self,
                   int         y,
                   int         x,
                   int         width,
                   GArray     *cells,
                   HlTuiStyle  style)
{
  gboolean cut = FALSE;
  guint n;
  int used = 0;

  if (width <= 0 || cells == NULL)
    return 0;
  n = hl_tui_cells_fit (cells, (guint) width, &cut);
  for (guint i = 0; i < n; i++)
    {
      const HlTuiCell *cell = &g_array_index (cells, HlTuiCell, i);

      put_cell (self, y, x + used, cell, style);
      used += cell->width;
    }
  if (cut)
    {
      g_autoptr(GArray) ellipsis = hl_tui_cells_new (hl_tui_glyph (self, HL_TUI_GLYPH_ELLIPSIS));

      put_cell (self, y, x + used, &g_array_index (ellipsis, HlTuiCell, 0), style);
      used++;
    }
  return used;
}

int
hl_tui_draw_text (HlTui      *self,
                  int         y,
                  int         x,
                  int         width,
                  const char *text,
                  HlTuiStyle  style)
{
  g_autoptr(GArray) cells = hl_tui_cells_new (text);

  return hl_tui_draw_cells (self, y, x, width, cells, style);
}

int
hl_tui_draw_text_right (HlTui      *self,
                        int         y,
                        int         x,
                        int         width,
                        const char *text,
                        HlTuiStyle  style)
{
  g_autoptr(GArray) cells = hl_tui_cells_new (text);
  gboolean cut = FALSE;
  int needed = 0;

  hl_tui_cells_fit (cells, (guint) MAX (width, 0), &cut);
  for (guint i = 0; i < cells->len; i++)
    needed += g_array_index (cells, HlTuiCell, i).width;
  needed = MIN (needed, width);
  return hl_tui_draw_cells (self, y, x + width - needed, needed, cells, style);
}

void
hl_tui_draw_vline (HlTui *self,
                   int    y,
                   int    x,
                   int    height)
{
  if (height <= 0)
    return;
  attr_on (self->style_attr[HL_TUI_STYLE_DIM], NULL);
  mvvline_set (y, x, WACS_VLINE, height);
  attr_off (self->style_attr[HL_TUI_STYLE_DIM], NULL);
}

/* Below 80×24 the panes would not hold their text: say so, and how to go
 * on, centred, in whatever room there is. */
void
hl_tui_draw_too_small (HlTui *self)
{
  g_autofree char *size = g_strdup_printf ("This terminal is %d×%d.", self->cols, self->rows);
  g_autofree char *need = g_strdup_printf ("Hyperlink needs at least %d×%d:",
                                           HL_TUI_MIN_COLS, HL_TUI_MIN_ROWS);
  g_autofree char *ignored = self->keys_ignored == 0 ? g_strdup ("")
                             : g_strdup_printf ("(%u %s ignored until then)", self->keys_ignored,
                                                self->keys_ignored == 1 ? "key" : "keys");
  const char *lines[] = { size, need, "make it larger, or press q to quit.", ignored };
  int top = MAX (0, (self->rows - (int) G_N_ELEMENTS (lines)) / 2);

  for (guint i = 0; i < G_N_ELEMENTS (lines) && top + (int) i < self->rows; i++)
    {
      int width = (int) hl_tui_text_width (lines[i]);
      int x = MAX (0, (self->cols - width) / 2);

      hl_tui_draw_text (self, top + (int) i, x, self->cols - x, lines[i],
                        i == 0 ? HL_TUI_STYLE_TITLE : HL_TUI_STYLE_NORMAL);
    }
}
