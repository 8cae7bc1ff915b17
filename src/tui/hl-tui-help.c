/* hl-tui-help.c: every key, on one screen (?).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

#define KEYS_WIDTH 26

typedef struct
{
  const char *keys;            /* NULL: a heading, in @what */
  const char *what;
} HelpLine;

static const HelpLine help[] = {
  { NULL, "Moving" },
  { "↑ ↓  j k", "move in the focused pane" },
  { "PgUp PgDn  Ctrl+B Ctrl+F", "a page up or down (Space: down)" },
  { "Home End  g G", "the first, the last" },
  { "← →  h l  Tab Shift+Tab", "the pane on the left, on the right" },
  { "Enter", "open the selected subnet or thread" },
  { "q  Esc", "back: to the pane on the left, out of a search; q in Subnets quits" },
  { "mouse", "a click selects, a click on the selected row opens it; the wheel scrolls" },
  { NULL, "Reading and writing" },
  { "/", "search every subnet; Enter on a result opens the thread at the post found" },
  { "n", "a new thread in the open subnet" },
  { "N", "a new subnet" },
  { "r", "reply to the selected post (or thread)" },
  { "e", "edit your selected post" },
  { "d", "delete your selected post (asks first)" },
  { "P", "your display name" },
  { "●", "a thread with news since you last opened it (shared with the window)" },
  { "↑", "your thread, that no peer has yet (\"not yet sent\" on the post)" },
  { NULL, "Everywhere" },
  { "p", "peers, bootstrap nodes and invites" },
  { "?", "this help (q, Esc or ? closes it)" },
  { "Ctrl+L", "draw the screen again" },
  { "Q  Ctrl+C", "quit" },
  { NULL, "Peers and invites (p)" },
  { "↑ ↓  j k", "select an address" },
  { "a", "add a peer to dial (ws://HOST:PORT)" },
  { "b", "add a bootstrap node" },
  { "x  d", "remove the selected peer or bootstrap node (asks first)" },
  { "i", "accept an invite link (hyperlink:invite?…)" },
  { "c", "make an invite link for a friend, suggesting the open subnet" },
  { NULL, "Writing" },
  { "$VISUAL, $EDITOR", "write in your editor: first line the title, then the text; "
                        "empty sends nothing" },
  { "built-in editor", "without one: Enter a new line, Tab title or text, Ctrl+D sends, "
                       "Esc cancels" },
  { "in a prompt", "Enter answers, Esc cancels; Ctrl+A Ctrl+E start and end, Ctrl+U Ctrl+K "
                   "clear before or after, Ctrl+W a word" },
};

/* The help as lines for @cols columns: descriptions wrap beside their keys. */
static GPtrArray *
help_lines (int cols)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  guint width = (guint) MAX (10, cols - KEYS_WIDTH - 5);

  for (guint i = 0; i < G_N_ELEMENTS (help); i++)
    {
      g_autoptr(GPtrArray) wrapped = NULL;

      if (help[i].keys == NULL)
        {
          g_ptr_array_add (lines, g_strconcat ("#", help[i].what, NULL));
          continue;
        }
      wrapped = hl_tui_wrap (help[i].what, width);
      for (guint j = 0; j < wrapped->len; j++)
        {
          g_autofree char *text = hl_tui_cells_to_utf8 (g_ptr_array_index (wrapped, j));

          g_ptr_array_add (lines, g_strdup_printf ("%s\t%s", j == 0 ? help[i].keys : "", text));
        }
    }
  return lines;
}

void
hl_tui_draw_help (HlTui *self)
{
  g_autoptr(GPtrArray) lines = help_lines (self->cols);
  int height = MAX (1, self->rows - 2);
  guint top;

  hl_tui_fill (self, 0, 0, self->cols, HL_TUI_STYLE_BAR_FOCUS);
  hl_tui_draw_text (self, 0, 1, self->cols - 2, "Keys of hyperlink-tui", HL_TUI_STYLE_BAR_FOCUS);
  hl_tui_draw_text_right (self, 0, 0, self->cols - 1, "q closes", HL_TUI_STYLE_BAR_FOCUS);
  if (lines->len > (guint) height)
    self->help_cursor.top = MIN (self->help_cursor.top, lines->len - (guint) height);
  else
    self->help_cursor.top = 0;
  top = self->help_cursor.top;
  for (int row = 0; row < height && top + row < lines->len; row++)
    {
      const char *line = g_ptr_array_index (lines, top + row);
      const char *tab = strchr (line, '\t');
      g_autofree char *keys = NULL;
      int y = 1 + row;

      if (line[0] == '#')
        {
          hl_tui_draw_text (self, y, 1, self->cols - 2, line + 1, HL_TUI_STYLE_TITLE);
          continue;
        }
      keys = g_strndup (line, tab - line);
      hl_tui_draw_text (self, y, 3, KEYS_WIDTH, keys, HL_TUI_STYLE_AUTHOR);
      hl_tui_draw_text (self, y, 3 + KEYS_WIDTH + 1, self->cols - KEYS_WIDTH - 5, tab + 1,
                        HL_TUI_STYLE_NORMAL);
    }
}

void
hl_tui_help_key (HlTui  *self,
                 int     kind,
                 wint_t  key)
{
  if (HL_TUI_IS_CHAR (kind, key, 'q') || HL_TUI_IS_CHAR (kind, key, HL_TUI_ESC) ||
      HL_TUI_IS_CHAR (kind, key, '?'))
    self->view = HL_TUI_VIEW_BROWSE;
  else if (HL_TUI_IS_CODE (kind, key, KEY_DOWN) || HL_TUI_IS_CHAR (kind, key, 'j'))
    self->help_cursor.top++;
  else if ((HL_TUI_IS_CODE (kind, key, KEY_UP) || HL_TUI_IS_CHAR (kind, key, 'k')) &&
           self->help_cursor.top > 0)
    self->help_cursor.top--;
  else if (HL_TUI_IS_CODE (kind, key, KEY_NPAGE) || HL_TUI_IS_CHAR (kind, key, ' '))
    self->help_cursor.top += (guint) MAX (1, self->rows - 3);
  else if (HL_TUI_IS_CODE (kind, key, KEY_PPAGE))
    self->help_cursor.top -= MIN (self->help_cursor.top, (guint) MAX (1, self->rows - 3));
}
