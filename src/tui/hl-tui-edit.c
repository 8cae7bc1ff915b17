/* hl-tui-edit.c: typing: a line entry (prompts, titles) and the built-in
 * editor for bodies when there is no $VISUAL or $EDITOR.
 *
 * The built-in editor is a line editor: a title line and body lines, each
 * edited as an entry (scrolling sideways when longer than the screen);
 * Enter starts a line, Backspace at the start of one joins it to the one
 * above, Ctrl+D sends and Esc cancels.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

#include "hl-limits.h"

/* ---- an entry ---- */

HlTuiEntry *
hl_tui_entry_new (const char *text,
                  guint       max_chars)
{
  HlTuiEntry *entry = g_new0 (HlTuiEntry, 1);
  const char *p = text != NULL ? text : "";

  entry->chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  entry->max_chars = max_chars;
  while (*p != '\0' && entry->chars->len < max_chars)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          c = 0xFFFD;
          p++;
        }
      else
        p = g_utf8_next_char (p);
      g_array_append_val (entry->chars, c);
    }
  entry->cursor = entry->chars->len;
  return entry;
}

void
hl_tui_entry_free (HlTuiEntry *entry)
{
  if (entry == NULL)
    return;
  g_array_unref (entry->chars);
  g_free (entry);
}

static char *
chars_to_utf8 (HlTuiEntry *entry,
               guint       from,
               guint       to)
{
  GString *out = g_string_new (NULL);

  for (guint i = from; i < to && i < entry->chars->len; i++)
    g_string_append_unichar (out, g_array_index (entry->chars, gunichar, i));
  return g_string_free (out, FALSE);
}

char *
hl_tui_entry_dup_text (HlTuiEntry *entry)
{
  return chars_to_utf8 (entry, 0, entry->chars->len);
}

gboolean
hl_tui_entry_is_empty (HlTuiEntry *entry)
{
  return entry->chars->len == 0;
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_';
}

static void
delete_range (HlTuiEntry *entry,
              guint       from,
              guint       to)
{
  if (to > from)
    g_array_remove_range (entry->chars, from, to - from);
  entry->cursor = from;
}

/* Typed text only: control characters never get in (the terminal sends
 * them for keys), C1 ones neither. */
static gboolean
insert (HlTuiEntry *entry,
        wint_t      key)
{
  gunichar c = (gunichar) key;

  if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || !g_unichar_validate (c))
    return FALSE;
  if (entry->chars->len < entry->max_chars)
    {
      g_array_insert_val (entry->chars, entry->cursor, c);
      entry->cursor++;
    }
  return TRUE;
}

gboolean
hl_tui_entry_key (HlTuiEntry *entry,
                  int         kind,
                  wint_t      key)
{
  guint len = entry->chars->len;

  if (HL_TUI_IS_CODE (kind, key, KEY_LEFT) || HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('b')))
    entry->cursor = entry->cursor > 0 ? entry->cursor - 1 : 0;
  else if (HL_TUI_IS_CODE (kind, key, KEY_RIGHT) || HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('f')))
    entry->cursor = MIN (entry->cursor + 1, len);
  else if (HL_TUI_IS_CODE (kind, key, KEY_HOME) || HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('a')))
    entry->cursor = 0;
  else if (HL_TUI_IS_CODE (kind, key, KEY_END) || HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('e')))
    entry->cursor = len;
  else if (HL_TUI_IS_CODE (kind, key, KEY_BACKSPACE) || HL_TUI_IS_CHAR (kind, key, 0x7f) ||
           HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('h')))
    {
      if (entry->cursor > 0)
        delete_range (entry, entry->cursor - 1, entry->cursor);
    }
  else if (HL_TUI_IS_CODE (kind, key, KEY_DC))
    {
      if (entry->cursor < len)
        delete_range (entry, entry->cursor, entry->cursor + 1);
    }
  else if (HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('u')))
    delete_range (entry, 0, entry->cursor);
  else if (HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('k')))
    delete_range (entry, entry->cursor, len);
  else if (HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('w')))
    {
      guint from = entry->cursor;

      while (from > 0 && !is_word_char (g_array_index (entry->chars, gunichar, from - 1)))
        from--;
      while (from > 0 && is_word_char (g_array_index (entry->chars, gunichar, from - 1)))
        from--;
      delete_range (entry, from, entry->cursor);
    }
  else if (kind == OK)
    return insert (entry, key);
  else
    return FALSE;
  return TRUE;
}

/* Scrolls sideways to keep the cursor in view; the text is drawn through
 * the same cells as everything else, so what is typed shows as it will
 * be shown to others. */
void
hl_tui_entry_draw (HlTui      *self,
                   HlTuiEntry *entry,
                   int         y,
                   int         x,
                   int         width,
                   gboolean    focused)
{
  g_autofree char *before = chars_to_utf8 (entry, 0, entry->cursor);
  g_autofree char *text = hl_tui_entry_dup_text (entry);
  g_autoptr(GArray) cells = hl_tui_cells_new (text);
  guint column = hl_tui_text_width (before);
  guint at = 0;
  int used = 0;

  if (width <= 1)
    return;
  if (column < entry->scroll)
    entry->scroll = column;
  else if (column >= entry->scroll + (guint) width)
    entry->scroll = column - (guint) width + 1;
  for (guint i = 0; i < cells->len; i++)
    {
      const HlTuiCell *cell = &g_array_index (cells, HlTuiCell, i);
      g_autoptr(GArray) one = NULL;

      if (at >= entry->scroll && (int) (at - entry->scroll) + cell->width <= width)
        {
          one = g_array_new (FALSE, FALSE, sizeof (HlTuiCell));
          g_array_append_val (one, *cell);
          used = (int) (at - entry->scroll);
          hl_tui_draw_cells (self, y, x + used, width - used, one, HL_TUI_STYLE_NORMAL);
        }
      at += cell->width;
    }
  if (focused)
    {
      self->show_cursor = TRUE;
      self->cursor_y = y;
      self->cursor_x = x + (int) (column - entry->scroll);
    }
}

/* ---- the built-in editor ---- */

void
hl_tui_editor_free (HlTuiEditor *editor)
{
  if (editor == NULL)
    return;
  hl_tui_compose_free (editor->compose);
  hl_tui_entry_free (editor->title);
  g_ptr_array_unref (editor->lines);
  g_free (editor);
}

void
hl_tui_editor_open (HlTui        *self,
                    HlTuiCompose *compose)
{
  HlTuiEditor *editor = g_new0 (HlTuiEditor, 1);
  g_auto(GStrv) lines = g_strsplit (compose->body != NULL ? compose->body : "", "\n", -1);
  guint title_chars = compose->kind == HL_TUI_COMPOSE_SUBNET ? HL_MAX_NAME_CHARS
                                                             : HL_MAX_TITLE_CHARS;

  editor->compose = compose;
  if (compose->with_title)
    editor->title = hl_tui_entry_new (compose->title, title_chars);
  editor->in_title = compose->with_title;
  editor->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_tui_entry_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      g_ptr_array_add (editor->lines, hl_tui_entry_new (lines[i], HL_MAX_POST_CHARS));
    }
  if (editor->lines->len == 0)
    g_ptr_array_add (editor->lines, hl_tui_entry_new ("", HL_MAX_POST_CHARS));
  editor->line = editor->lines->len - 1;
  hl_tui_editor_free (self->editor);
  self->editor = editor;
  self->view = HL_TUI_VIEW_EDITOR;
}

static int
body_top (HlTuiEditor *editor)
{
  return editor->title != NULL ? 4 : 2;
}

void
hl_tui_draw_editor (HlTui *self)
{
  HlTuiEditor *editor = self->editor;
  HlTuiCompose *compose = editor->compose;
  gboolean subnet = compose->kind == HL_TUI_COMPOSE_SUBNET;
  int top = body_top (editor);
  int height = MAX (1, self->rows - 1 - top);
  const char *keys = "Ctrl+D sends · Esc cancels";

  hl_tui_fill (self, 0, 0, self->cols, HL_TUI_STYLE_BAR_FOCUS);
  hl_tui_draw_text (self, 0, 1, self->cols - (int) hl_tui_text_width (keys) - 3, compose->what,
                    HL_TUI_STYLE_BAR_FOCUS);
  hl_tui_draw_text_right (self, 0, 0, self->cols - 1, keys, HL_TUI_STYLE_BAR_FOCUS);
  if (editor->title != NULL)
    {
      const char *label = subnet ? "Name:  " : "Title: ";

      hl_tui_draw_text (self, 1, 1, 8, label, HL_TUI_STYLE_TITLE);
      hl_tui_entry_draw (self, editor->title, 1, 8, self->cols - 9, editor->in_title);
    }
  hl_tui_draw_text (self, top - 1, 1, self->cols - 2,
                    subnet ? "Description (optional):" : "Text:", HL_TUI_STYLE_TITLE);

  if (editor->line < editor->top)
    editor->top = editor->line;
  else if (editor->line >= editor->top + (guint) height)
    editor->top = editor->line - (guint) height + 1;
  for (int row = 0; row < height && editor->top + row < editor->lines->len; row++)
    {
      guint index = editor->top + row;
      HlTuiEntry *line = g_ptr_array_index (editor->lines, index);

      if (index == editor->line)
        hl_tui_entry_draw (self, line, top + row, 1, self->cols - 2, !editor->in_title);
      else
        {
          g_autofree char *text = hl_tui_entry_dup_text (line);

          hl_tui_draw_text (self, top + row, 1, self->cols - 2, text, HL_TUI_STYLE_NORMAL);
        }
    }
}

static void
close_editor (HlTui *self)
{
  self->editor->compose = NULL;
  g_clear_pointer (&self->editor, hl_tui_editor_free);
  self->view = HL_TUI_VIEW_BROWSE;
}

static void
send_text (HlTui *self)
{
  HlTuiEditor *editor = self->editor;
  HlTuiCompose *compose = editor->compose;
  g_autofree char *title = editor->title ? hl_tui_entry_dup_text (editor->title) : NULL;
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; i < editor->lines->len; i++)
    {
      g_autofree char *line = hl_tui_entry_dup_text (g_ptr_array_index (editor->lines, i));

      g_string_append_printf (body, "%s%s", i > 0 ? "\n" : "", line);
    }
  close_editor (self);
  hl_tui_compose_finish (self, compose, title, body->str);
}

static gboolean
editor_is_empty (HlTuiEditor *editor)
{
  if (editor->title != NULL && !hl_tui_entry_is_empty (editor->title))
    return FALSE;
  for (guint i = 0; i < editor->lines->len; i++)
    if (!hl_tui_entry_is_empty (g_ptr_array_index (editor->lines, i)))
      return FALSE;
  return TRUE;
}

static void
on_discard_cb (HlTui      *self,
               const char *answer,
               gpointer    data)
{
  if (answer != NULL && self->editor != NULL)
    {
      hl_tui_compose_free (self->editor->compose);
      close_editor (self);
      hl_tui_show_message (self, FALSE, "Discarded: nothing was sent");
    }
}

static void
split_line (HlTuiEditor *editor)
{
  HlTuiEntry *line = g_ptr_array_index (editor->lines, editor->line);
  HlTuiEntry *next = hl_tui_entry_new ("", HL_MAX_POST_CHARS);

  g_array_append_vals (next->chars, &g_array_index (line->chars, gunichar, line->cursor),
                       line->chars->len - line->cursor);
  g_array_set_size (line->chars, line->cursor);
  next->cursor = 0;
  g_ptr_array_insert (editor->lines, editor->line + 1, next);
  editor->line++;
}

/* Joins line @index + 1 onto line @index; the cursor goes to the seam. */
static void
join_lines (HlTuiEditor *editor,
            guint        index)
{
  HlTuiEntry *line = g_ptr_array_index (editor->lines, index);
  HlTuiEntry *next = g_ptr_array_index (editor->lines, index + 1);

  line->cursor = line->chars->len;
  g_array_append_vals (line->chars, next->chars->data, next->chars->len);
  g_ptr_array_remove_index (editor->lines, index + 1);
  editor->line = index;
}

static void
move_line (HlTuiEditor *editor,
           int          delta)
{
  HlTuiEntry *from = g_ptr_array_index (editor->lines, editor->line);
  gint64 to = CLAMP ((gint64) editor->line + delta, 0, (gint64) editor->lines->len - 1);
  HlTuiEntry *line = g_ptr_array_index (editor->lines, (guint) to);

  line->cursor = MIN (from->cursor, line->chars->len);
  editor->line = (guint) to;
}

static void
body_key (HlTui  *self,
          int     kind,
          wint_t  key)
{
  HlTuiEditor *editor = self->editor;
  HlTuiEntry *line = g_ptr_array_index (editor->lines, editor->line);
  int page = MAX (1, self->rows - 2 - body_top (editor));

  if (HL_TUI_IS_CHAR (kind, key, '\n') || HL_TUI_IS_CHAR (kind, key, '\r') ||
      HL_TUI_IS_CODE (kind, key, KEY_ENTER))
    split_line (editor);
  else if ((HL_TUI_IS_CODE (kind, key, KEY_BACKSPACE) || HL_TUI_IS_CHAR (kind, key, 0x7f) ||
            HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('h'))) && line->cursor == 0 && editor->line > 0)
    join_lines (editor, editor->line - 1);
  else if (HL_TUI_IS_CODE (kind, key, KEY_DC) && line->cursor == line->chars->len &&
           editor->line + 1 < editor->lines->len)
    join_lines (editor, editor->line);
  else if (HL_TUI_IS_CODE (kind, key, KEY_UP) && editor->line == 0 && editor->title != NULL)
    editor->in_title = TRUE;
  else if (HL_TUI_IS_CODE (kind, key, KEY_UP))
    move_line (editor, -1);
  else if (HL_TUI_IS_CODE (kind, key, KEY_DOWN))
    move_line (editor, 1);
  else if (HL_TUI_IS_CODE (kind, key, KEY_PPAGE))
    move_line (editor, -page);
  else if (HL_TUI_IS_CODE (kind, key, KEY_NPAGE))
    move_line (editor, page);
  else
    hl_tui_entry_key (line, kind, key);
}

void
hl_tui_editor_key (HlTui  *self,
                   int     kind,
                   wint_t  key)
{
  HlTuiEditor *editor = self->editor;

  if (HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('d')))
    send_text (self);
  else if (HL_TUI_IS_CHAR (kind, key, HL_TUI_ESC))
    {
      if (editor_is_empty (editor))
        {
          hl_tui_compose_free (editor->compose);
          close_editor (self);
        }
      else
        hl_tui_ask (self, "Discard what you wrote? (y/N) ", NULL, 0, on_discard_cb, NULL, NULL);
    }
  else if (HL_TUI_IS_CHAR (kind, key, '\t') && editor->title != NULL)
    editor->in_title = !editor->in_title;
  else if (editor->in_title)
    {
      if (HL_TUI_IS_CHAR (kind, key, '\n') || HL_TUI_IS_CHAR (kind, key, '\r') ||
          HL_TUI_IS_CODE (kind, key, KEY_ENTER) || HL_TUI_IS_CODE (kind, key, KEY_DOWN))
        editor->in_title = FALSE;
      else
        hl_tui_entry_key (editor->title, kind, key);
    }
  else
    body_key (self, kind, key);
}
