/* hl-tui-panes.c: the three panes of the forum, drawn.
 *
 * Subnets, the open subnet's threads by last activity (or search results),
 * and the open thread with its replies as a tree, as in the window. From
 * 100 columns on all three are side by side; between 80 and 100 the two
 * around the focused pane are, as the window folds below 940 px.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

#define THREE_PANES_COLS 100

void
hl_tui_layout (HlTui       *self,
               HlTuiLayout *layout)
{
  int cols = self->cols;
  HlTuiPane left;

  memset (layout, 0, sizeof *layout);
  layout->top = 1;
  layout->height = MAX (0, self->rows - 2);
  if (cols >= THREE_PANES_COLS)
    {
      int subnets = CLAMP (cols / 6, 14, 28);
      int rest = cols - subnets - 2;
      int threads = rest / 2;

      for (guint p = 0; p < HL_TUI_N_PANES; p++)
        layout->shown[p] = TRUE;
      layout->width[HL_TUI_PANE_SUBNETS] = subnets;
      layout->x[HL_TUI_PANE_THREADS] = subnets + 1;
      layout->width[HL_TUI_PANE_THREADS] = threads;
      layout->x[HL_TUI_PANE_POSTS] = subnets + threads + 2;
      layout->width[HL_TUI_PANE_POSTS] = rest - threads;
      return;
    }
  left = self->focus == HL_TUI_PANE_SUBNETS ||
         (self->focus == HL_TUI_PANE_THREADS && !self->posts.has_thread)
         ? HL_TUI_PANE_SUBNETS : HL_TUI_PANE_THREADS;
  layout->shown[left] = layout->shown[left + 1] = TRUE;
  layout->width[left] = left == HL_TUI_PANE_SUBNETS ? 24 : cols * 9 / 20;
  layout->x[left + 1] = layout->width[left] + 1;
  layout->width[left + 1] = cols - layout->width[left] - 1;
}

void
hl_tui_cursor_show (HlTuiCursor *cursor,
                    guint        count,
                    guint        height)
{
  if (height == 0)
    return;
  if (count == 0)
    {
      cursor->sel = cursor->top = 0;
      return;
    }
  cursor->sel = MIN (cursor->sel, count - 1);
  if (cursor->sel < cursor->top)
    cursor->top = cursor->sel;
  else if (cursor->sel >= cursor->top + height)
    cursor->top = cursor->sel - height + 1;
  /* No empty rows below the end while there are rows above. */
  if (count >= height && cursor->top > count - height)
    cursor->top = count - height;
}

/* 100000 → "100,000": counts are read at a glance. */
char *
hl_tui_format_count (guint count)
{
  g_autofree char *digits = g_strdup_printf ("%u", count);
  GString *out = g_string_new (NULL);
  guint n = strlen (digits);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* For the narrow subnets pane: 9,999 then 10k, 100k, 1.2M. */
static char *
format_short_count (guint count)
{
  if (count < 10000)
    return hl_tui_format_count (count);
  if (count < 1000000)
    return g_strdup_printf ("%uk", count / 1000);
  return g_strdup_printf ("%u.%uM", count / 1000000, count / 100000 % 10);
}

static HlTuiStyle
row_style (HlTui     *self,
           HlTuiPane  pane,
           gboolean   selected,
           HlTuiStyle otherwise)
{
  if (!selected)
    return otherwise;
  return self->focus == pane ? HL_TUI_STYLE_SELECTED : HL_TUI_STYLE_SELECTED_DIM;
}

static void
draw_title (HlTui      *self,
            HlTuiPane   pane,
            int         x,
            int         width,
            const char *text)
{
  HlTuiStyle style = self->focus == pane ? HL_TUI_STYLE_BAR_FOCUS : HL_TUI_STYLE_BAR;

  hl_tui_fill (self, 0, x, width, style);
  hl_tui_draw_text (self, 0, x + 1, width - 1, text, style);
}

/* ---- subnets ---- */

static void
draw_subnets (HlTui             *self,
              const HlTuiLayout *layout)
{
  int x = layout->x[HL_TUI_PANE_SUBNETS], width = layout->width[HL_TUI_PANE_SUBNETS];
  guint n = self->subnets != NULL ? self->subnets->len : 0;
  HlTuiCursor *cursor = &self->subnet_cursor;

  draw_title (self, HL_TUI_PANE_SUBNETS, x, width, "Subnets");
  if (n == 0)
    {
      hl_tui_draw_text (self, layout->top, x + 1, width - 1, "No subnets yet.", HL_TUI_STYLE_DIM);
      hl_tui_draw_text (self, layout->top + 1, x + 1, width - 1, "N makes one.", HL_TUI_STYLE_DIM);
      return;
    }
  hl_tui_cursor_show (cursor, n, (guint) layout->height);
  for (int row = 0; row < layout->height && cursor->top + row < n; row++)
    {
      guint position = cursor->top + row;
      const HlSubnetRow *subnet = g_ptr_array_index (self->subnets, position);
      gboolean selected = position == cursor->sel;
      HlTuiStyle style = row_style (self, HL_TUI_PANE_SUBNETS, selected, HL_TUI_STYLE_NORMAL);
      g_autofree char *count = format_short_count (subnet->thread_count);
      int y = layout->top + row;
      int count_width = (int) strlen (count) + 1;

      hl_tui_fill (self, y, x, width, style);
      hl_tui_draw_text (self, y, x + 1, width - count_width - 2, subnet->name, style);
      hl_tui_draw_text_right (self, y, x, width - 1, count,
                              selected ? style : HL_TUI_STYLE_DIM);
    }
}

/* ---- threads ---- */

typedef struct
{
  int mark;
  int title;
  int author;
  int replies;
  int when;
} Columns;

static Columns
thread_columns (int width)
{
  /* Narrow, the title keeps its room: no author, no reply count. */
  Columns c = { 2, 0, width >= 64 ? 16 : 0, width >= 48 ? 5 : 0, 9 };

  c.title = MAX (4, width - c.mark - c.author - c.replies - c.when - 1);
  return c;
}

static void
draw_thread_row (HlTui           *self,
                 int              y,
                 int              x,
                 int              width,
                 const HlPostRow *row,
                 gboolean         selected)
{
  HlTuiStyle style = row_style (self, HL_TUI_PANE_THREADS, selected, HL_TUI_STYLE_NORMAL);
  HlTuiStyle dim = selected ? style : HL_TUI_STYLE_DIM;
  Columns c = thread_columns (width);
  gboolean mine = hl_tui_is_mine (self, row->author);
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *author = NULL;
  g_autofree char *when = NULL;
  g_autofree char *replies = NULL;
  int at = x + c.mark;

  hl_tui_fill (self, y, x, width, style);
  /* Others' threads with news, and ours that no peer has yet. */
  if (!mine && hl_read_marks_is_unread (self->marks, row->id, row->last_activity_ms))
    hl_tui_draw_text (self, y, x, 1, hl_tui_glyph (self, HL_TUI_GLYPH_UNREAD),
                      selected ? style : HL_TUI_STYLE_UNREAD);
  else if (mine && row->pending)
    hl_tui_draw_text (self, y, x, 1, hl_tui_glyph (self, HL_TUI_GLYPH_UNSENT), dim);
  hl_tui_draw_text (self, y, at, c.title, row->title, style);
  at += c.title + 1;
  if (c.author > 0)
    {
      author = hl_tui_format_author (row->author_name, row->author);
      hl_tui_draw_text (self, y, at, c.author - 1, author, dim);
      at += c.author;
    }
  if (c.replies > 0)
    {
      replies = row->reply_count > 0 ? hl_tui_format_count (row->reply_count) : g_strdup ("");
      hl_tui_draw_text_right (self, y, at, c.replies - 1, replies, dim);
      at += c.replies;
    }
  when = hl_tui_format_time (row->last_activity_ms, now);
  hl_tui_draw_text_right (self, y, at, c.when - 1, when, dim);
}

/* Snippets mark the words found (HL_SNIPPET_MATCH_*): drawn in bold instead. */
static void
draw_snippet (HlTui      *self,
              int         y,
              int         x,
              int         width,
              const char *snippet,
              HlTuiStyle  style,
              gboolean    selected)
{
  g_auto(GStrv) parts = g_strsplit_set (snippet != NULL ? snippet : "",
                                         HL_SNIPPET_MATCH_START HL_SNIPPET_MATCH_END, -1);
  int used = 0;

  for (guint i = 0; parts[i] != NULL && used < width; i++)
    used += hl_tui_draw_text (self, y, x + used, width - used, parts[i],
                              i % 2 == 1 && !selected ? HL_TUI_STYLE_MATCH : style);
}

static void
draw_result_row (HlTui           *self,
                 int              y,
                 int              x,
                 int              width,
                 const HlPostRow *row,
                 gboolean         selected)
{
  HlTuiStyle style = row_style (self, HL_TUI_PANE_THREADS, selected, HL_TUI_STYLE_NORMAL);
  g_autofree char *author = hl_tui_format_author (row->author_name, row->author);
  g_autofree char *when = hl_tui_format_time (row->created_ms, g_get_real_time () / 1000);
  g_autofree char *right = g_strdup_printf ("%s%s%s", author, hl_tui_glyph (self, HL_TUI_GLYPH_DOT),
                                            when);
  int right_width = MIN ((int) hl_tui_text_width (right), width / 3);
  int text_width = width - 2 - right_width - 1;

  hl_tui_fill (self, y, x, width, style);
  if (row->kind == HL_POST_THREAD)
    hl_tui_draw_text (self, y, x + 2, text_width, row->title, style);
  else
    draw_snippet (self, y, x + 2, text_width, row->snippet, style, selected);
  hl_tui_draw_text_right (self, y, x + width - right_width - 1, right_width, right,
                          selected ? style : HL_TUI_STYLE_DIM);
}

static void
draw_threads (HlTui             *self,
              const HlTuiLayout *layout)
{
  HlTuiThreads *threads = &self->threads;
  int x = layout->x[HL_TUI_PANE_THREADS], width = layout->width[HL_TUI_PANE_THREADS];
  const HlSubnetRow *subnet = hl_tui_current_subnet (self);
  g_autofree char *title = NULL;
  g_autofree char *count = NULL;

  if (threads->query != NULL)
    {
      HlTuiCursor *cursor = &threads->result_cursor;
      guint n = threads->results->len;

      count = hl_tui_format_count (n);
      title = g_strdup_printf ("Search “%s” · %s %s", threads->query, count,
                               n == 1 ? "result" : "results");
      draw_title (self, HL_TUI_PANE_THREADS, x, width, title);
      if (n == 0)
        hl_tui_draw_text (self, layout->top, x + 2, width - 2, "Nothing found. q goes back.",
                          HL_TUI_STYLE_DIM);
      hl_tui_cursor_show (cursor, n, (guint) layout->height);
      for (int row = 0; row < layout->height && cursor->top + row < n; row++)
        draw_result_row (self, layout->top + row, x, width,
                         g_ptr_array_index (threads->results, cursor->top + row),
                         cursor->top + row == cursor->sel);
      return;
    }

  count = hl_tui_format_count (threads->count);
  title = subnet != NULL ? g_strdup_printf ("%s · %s %s", subnet->name, count,
                                            threads->count == 1 ? "thread" : "threads")
                         : g_strdup ("Threads");
  draw_title (self, HL_TUI_PANE_THREADS, x, width, title);
  if (!threads->has_subnet || threads->count == 0)
    {
      hl_tui_draw_text (self, layout->top, x + 2, width - 2,
                        threads->has_subnet ? "No threads yet. n starts one." : "",
                        HL_TUI_STYLE_DIM);
      return;
    }
  hl_tui_cursor_show (&threads->cursor, threads->count, (guint) layout->height);
  hl_tui_threads_prepare (self, threads->cursor.top,
                          threads->cursor.top + (guint) layout->height - 1);
  for (int row = 0; row < layout->height && threads->cursor.top + row < threads->count; row++)
    {
      guint position = threads->cursor.top + row;
      const HlPostRow *thread = hl_tui_thread_at (self, position);

      if (thread == NULL)
        {
          self->frame_complete = FALSE;
          hl_tui_draw_text (self, layout->top + row, x + 2, width - 2,
                            hl_tui_glyph (self, HL_TUI_GLYPH_ELLIPSIS), HL_TUI_STYLE_DIM);
          continue;
        }
      draw_thread_row (self, layout->top + row, x, width, thread,
                       position == threads->cursor.sel);
    }
}

/* ---- the open thread ---- */

static void
draw_header (HlTui           *self,
             int              y,
             int              x,
             int              width,
             const HlPostRow *row,
             HlTuiStyle       style)
{
  g_autofree char *author = hl_tui_format_author (row->author_name, row->author);
  g_autofree char *when = hl_tui_format_time (row->created_ms, g_get_real_time () / 1000);
  g_autoptr(GString) details = g_string_new (NULL);
  const char *dot = hl_tui_glyph (self, HL_TUI_GLYPH_DOT);
  int used;

  g_string_append_printf (details, "%s%s", dot, when);
  if (hl_tui_is_mine (self, row->author))
    g_string_append_printf (details, "%syou", dot);
  if (row->edited_ms != 0)
    g_string_append_printf (details, "%sedited", dot);
  if (row->hidden)
    g_string_append_printf (details, "%shidden by a moderator", dot);
  if (row->pending)
    g_string_append_printf (details, "%snot yet sent", dot);
  used = hl_tui_draw_text (self, y, x, width, author,
                           style == HL_TUI_STYLE_NORMAL ? HL_TUI_STYLE_AUTHOR : style);
  hl_tui_draw_text (self, y, x + used, width - used, details->str,
                    style == HL_TUI_STYLE_NORMAL ? HL_TUI_STYLE_DIM : style);
}

static void
draw_posts (HlTui             *self,
            const HlTuiLayout *layout)
{
  HlTuiPosts *posts = &self->posts;
  int x = layout->x[HL_TUI_PANE_POSTS], width = layout->width[HL_TUI_PANE_POSTS];
  const HlPostRow *thread = posts->posts != NULL && posts->posts->len > 0
                            ? g_ptr_array_index (posts->posts, 0) : NULL;

  draw_title (self, HL_TUI_PANE_POSTS, x, width, thread != NULL ? thread->title : "Thread");
  if (!posts->has_thread)
    {
      hl_tui_draw_text (self, layout->top, x + 1, width - 1, "Enter on a thread opens it here.",
                        HL_TUI_STYLE_DIM);
      return;
    }
  if (posts->error != NULL)
    {
      g_autofree char *text = g_strdup_printf ("This thread is not here: %s.", posts->error);

      hl_tui_draw_text (self, layout->top, x + 1, width - 1, text, HL_TUI_STYLE_ERROR);
      return;
    }
  hl_tui_posts_layout (self, (guint) MAX (width - 2, 10));
  if (posts->reveal)
    {
      posts->reveal = FALSE;
      hl_tui_posts_select (self, posts->sel, (guint) layout->height);
    }
  if (posts->top >= posts->lines->len)
    posts->top = posts->lines->len > 0 ? posts->lines->len - 1 : 0;
  for (int row = 0; row < layout->height && posts->top + row < posts->lines->len; row++)
    {
      const HlTuiPostLine *line = g_ptr_array_index (posts->lines, posts->top + row);
      const HlPostRow *post = g_ptr_array_index (posts->posts, line->post);
      gboolean selected = line->post == posts->sel && line->kind == HL_TUI_LINE_HEADER;
      HlTuiStyle style = row_style (self, HL_TUI_PANE_POSTS, selected, HL_TUI_STYLE_NORMAL);
      int y = layout->top + row;
      int at = x + 1;

      at += hl_tui_draw_cells (self, y, at, width - 1, line->guide, HL_TUI_STYLE_DIM);
      switch (line->kind)
        {
        case HL_TUI_LINE_TITLE:
          hl_tui_draw_cells (self, y, at, x + width - at, line->cells, HL_TUI_STYLE_TITLE);
          break;
        case HL_TUI_LINE_HEADER:
          if (selected)
            hl_tui_fill (self, y, at, x + width - at, style);
          draw_header (self, y, at, x + width - at, post, style);
          break;
        case HL_TUI_LINE_BODY:
          hl_tui_draw_cells (self, y, at, x + width - at, line->cells,
                             post->hidden ? HL_TUI_STYLE_DIM : HL_TUI_STYLE_NORMAL);
          break;
        case HL_TUI_LINE_GAP:
        default:
          break;
        }
    }
}

void
hl_tui_draw_browse (HlTui *self)
{
  HlTuiLayout layout;

  hl_tui_layout (self, &layout);
  if (layout.shown[HL_TUI_PANE_SUBNETS])
    draw_subnets (self, &layout);
  if (layout.shown[HL_TUI_PANE_THREADS])
    draw_threads (self, &layout);
  if (layout.shown[HL_TUI_PANE_POSTS])
    draw_posts (self, &layout);
  for (guint p = 1; p < HL_TUI_N_PANES; p++)
    if (layout.shown[p] && layout.shown[p - 1])
      hl_tui_draw_vline (self, 0, layout.x[p] - 1, self->rows - 1);
}
