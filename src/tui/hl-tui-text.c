/* hl-tui-text.c: text from the forum as terminal cells, inert and measured.
 *
 * Everything the terminal client shows of a post, a name or an address goes
 * through here first, so nothing a peer wrote reaches the terminal as a
 * control: a body cannot move the cursor, change the title of the window or
 * reorder the screen. Widths come from wcwidth(), as the terminal's do.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-text.h"

#include <string.h>

#define REPLACEMENT 0xFFFD

static GArray *
new_cells (void)
{
  return g_array_new (FALSE, TRUE, sizeof (HlTuiCell));
}

static void
push_cell (GArray  *cells,
           wchar_t  c,
           guint    width,
           guint8   flags)
{
  HlTuiCell cell = { { c, 0 }, (guint8) width, flags };

  g_array_append_val (cells, cell);
}

/* "^[" for ESC, "^?" for DEL: what terminal users know these by. */
static guint
push_caret (GArray   *cells,
            gunichar  c)
{
  push_cell (cells, '^', 1, HL_TUI_CELL_INERT);
  push_cell (cells, c == 0x7f ? '?' : (wchar_t) (c + 0x40), 1, HL_TUI_CELL_INERT);
  return 2;
}

/* Combining marks, joiners, variation selectors: onto the cell before. An
 * inert cell takes none, so a mark cannot make a control look like text. */
static guint
push_zero_width (GArray  *cells,
                 wchar_t  c)
{
  HlTuiCell *last = cells->len > 0 ? &g_array_index (cells, HlTuiCell, cells->len - 1) : NULL;
  guint added = 0;
  guint n;

  if (last == NULL || (last->flags & HL_TUI_CELL_INERT))
    {
      push_cell (cells, ' ', 1, 0);
      last = &g_array_index (cells, HlTuiCell, cells->len - 1);
      added = 1;
    }
  for (n = 0; last->chars[n] != 0; n++)
    ;
  /* More marks than a cell holds (a "Zalgo" pile) are dropped. */
  if (n < HL_TUI_CELL_CHARS)
    {
      last->chars[n] = c;
      last->chars[n + 1] = 0;
    }
  return added;
}

/* Explicit embeddings, overrides and isolates change the order of what
 * follows them on the line, our columns included: a post could make its
 * neighbour's text read backwards (CVE-2021-42574). The marks U+200E/F
 * have no such reach and stay. */
static gboolean
is_directional_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void
hl_tui_cells_append (GArray     *cells,
                     const char *text,
                     gssize      len,
                     gboolean    keep_newlines,
                     guint       column)
{
  const char *p = text;
  const char *end;

  g_return_if_fail (cells != NULL);

  if (text == NULL)
    return;
  end = text + (len < 0 ? strlen (text) : (gsize) len);
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      int width;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* One replacement per byte that is no UTF-8, as browsers do. */
          push_cell (cells, REPLACEMENT, 1, HL_TUI_CELL_INERT);
          column++;
          p++;
          continue;
        }
      p = g_utf8_next_char (p);
      if (c == '\t')
        {
          guint spaces = HL_TUI_TAB_WIDTH - column % HL_TUI_TAB_WIDTH;

          for (guint i = 0; i < spaces; i++)
            push_cell (cells, ' ', 1, 0);
          column += spaces;
          continue;
        }
      if (c == '\n' && keep_newlines)
        {
          push_cell (cells, '\n', 1, 0);
          column = 0;
          continue;
        }
      if (c < 0x20 || c == 0x7f)
        {
          column += push_caret (cells, c);
          continue;
        }
      if ((c >= 0x80 && c < 0xa0) || is_directional_control (c))
        {
          push_cell (cells, REPLACEMENT, 1, HL_TUI_CELL_INERT);
          column++;
          continue;
        }
      width = wcwidth ((wchar_t) c);
      if (width < 0)
        {
          push_cell (cells, REPLACEMENT, 1, HL_TUI_CELL_INERT);
          column++;
        }
      else if (width == 0)
        column += push_zero_width (cells, (wchar_t) c);
      else
        {
          push_cell (cells, (wchar_t) c, MIN (width, 2), 0);
          column += MIN (width, 2);
        }
    }
}

GArray *
hl_tui_cells_new (const char *text)
{
  GArray *cells = new_cells ();

  hl_tui_cells_append (cells, text, -1, FALSE, 0);
  return cells;
}

guint
hl_tui_text_width (const char *text)
{
  g_autoptr(GArray) cells = hl_tui_cells_new (text);
  guint width = 0;

  for (guint i = 0; i < cells->len; i++)
    width += g_array_index (cells, HlTuiCell, i).width;
  return width;
}

guint
hl_tui_cells_fit (GArray   *cells,
                  guint     width,
                  gboolean *cut)
{
  guint used = 0;
  guint i;

  for (i = 0; i < cells->len; i++)
    {
      used += g_array_index (cells, HlTuiCell, i).width;
      if (used > width)
        break;
    }
  *cut = i < cells->len;
  if (!*cut)
    return cells->len;
  /* Room for the ellipsis. */
  used = 0;
  for (i = 0; i < cells->len && width > 0; i++)
    {
      guint w = g_array_index (cells, HlTuiCell, i).width;

      if (used + w > width - 1)
        break;
      used += w;
    }
  return i;
}

static gboolean
is_space (GArray *cells,
          guint   i)
{
  const HlTuiCell *cell = &g_array_index (cells, HlTuiCell, i);

  return cell->chars[0] == ' ' && !(cell->flags & HL_TUI_CELL_INERT);
}

static void
add_line (GPtrArray *lines,
          GArray    *cells,
          guint      start,
          guint      end)
{
  GArray *line = new_cells ();

  while (end > start && is_space (cells, end - 1))
    end--;
  if (end > start)
    g_array_append_vals (line, &g_array_index (cells, HlTuiCell, start), end - start);
  g_ptr_array_add (lines, line);
}

/* Greedy: as many words as fit, broken after the last space that fits. */
static void
wrap_paragraph (GPtrArray  *lines,
                const char *text,
                gsize       len,
                guint       width)
{
  g_autoptr(GArray) cells = new_cells ();
  guint start = 0;

  hl_tui_cells_append (cells, text, len, FALSE, 0);
  if (cells->len == 0)
    {
      g_ptr_array_add (lines, new_cells ());
      return;
    }
  while (start < cells->len)
    {
      guint used = 0, i = start, last_space = G_MAXUINT, next;

      for (; i < cells->len; i++)
        {
          guint w = g_array_index (cells, HlTuiCell, i).width;

          if (used + w > width)
            break;
          if (is_space (cells, i))
            last_space = i;
          used += w;
        }
      if (i == cells->len)
        {
          add_line (lines, cells, start, i);
          break;
        }
      if (is_space (cells, i))
        next = i;
      else if (last_space != G_MAXUINT && last_space > start)
        next = last_space + 1;
      else
        next = i;   /* a word longer than the line */
      add_line (lines, cells, start, next);
      start = next;
      while (start < cells->len && is_space (cells, start))
        start++;
    }
}

GPtrArray *
hl_tui_wrap (const char *text,
             guint       width)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  const char *p = text != NULL ? text : "";

  width = MAX (width, 2);
  for (;;)
    {
      const char *newline = strchr (p, '\n');
      gsize len = newline != NULL ? (gsize) (newline - p) : strlen (p);

      /* CR LF ends a line as LF does; a CR anywhere else is shown. */
      if (newline != NULL && len > 0 && p[len - 1] == '\r')
        len--;
      wrap_paragraph (lines, p, len, width);
      if (newline == NULL)
        break;
      p = newline + 1;
    }
  return lines;
}

char *
hl_tui_cells_to_utf8 (GArray *cells)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < cells->len; i++)
    {
      const HlTuiCell *cell = &g_array_index (cells, HlTuiCell, i);

      for (guint j = 0; j < HL_TUI_CELL_CHARS && cell->chars[j] != 0; j++)
        g_string_append_unichar (out, (gunichar) cell->chars[j]);
    }
  return g_string_free (out, FALSE);
}
