/* hl-tui-browse.c: keys and the mouse in the three panes.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

#include "hl-event.h"

#define WHEEL_STEP 3

static guint
pane_height (HlTui *self)
{
  return (guint) MAX (1, self->rows - 2);
}

/* ---- moving ---- */

static guint
moved (guint position,
       int   delta,
       guint count)
{
  gint64 to = (gint64) position + delta;

  if (count == 0)
    return 0;
  return (guint) CLAMP (to, 0, (gint64) count - 1);
}

static void
select_subnet (HlTui *self,
               guint  position)
{
  const HlSubnetRow *subnet;

  if (self->subnets == NULL || self->subnets->len == 0)
    return;
  position = MIN (position, self->subnets->len - 1);
  self->subnet_cursor.sel = position;
  subnet = g_ptr_array_index (self->subnets, position);
  if (self->threads.has_subnet && memcmp (subnet->id, self->threads.subnet, HL_ID_LEN) == 0)
    return;
  hl_tui_end_search (self);
  hl_tui_open_subnet (self, subnet->id);
  hl_tui_remember (self);
}

static HlTuiCursor *
thread_cursor (HlTui *self,
               guint *count)
{
  if (self->threads.query != NULL)
    {
      *count = self->threads.results->len;
      return &self->threads.result_cursor;
    }
  *count = self->threads.count;
  return &self->threads.cursor;
}

/* Posts move by post; a page moves by lines, and the selection follows to
 * the first post that shows. */
static void
scroll_posts (HlTui *self,
              int    lines)
{
  HlTuiPosts *posts = &self->posts;
  guint height = pane_height (self);
  guint max_top;

  if (posts->lines == NULL || posts->lines->len == 0)
    return;
  max_top = posts->lines->len > height ? posts->lines->len - height : 0;
  posts->top = (guint) CLAMP ((gint64) posts->top + lines, 0, (gint64) max_top);
  for (guint i = 0; i < posts->first_line->len; i++)
    if (g_array_index (posts->first_line, guint, i) >= posts->top)
      {
        guint first = g_array_index (posts->first_line, guint, posts->sel);

        if (first < posts->top || first >= posts->top + height)
          posts->sel = i;
        break;
      }
}

static void
move_in_pane (HlTui     *self,
              HlTuiPane  pane,
              int        delta,
              gboolean   absolute)
{
  guint count;
  HlTuiCursor *cursor;

  switch (pane)
    {
    case HL_TUI_PANE_SUBNETS:
      count = self->subnets != NULL ? self->subnets->len : 0;
      select_subnet (self, absolute ? moved (0, delta, count)
                                    : moved (self->subnet_cursor.sel, delta, count));
      break;
    case HL_TUI_PANE_THREADS:
      cursor = thread_cursor (self, &count);
      cursor->sel = absolute ? moved (0, delta, count) : moved (cursor->sel, delta, count);
      hl_tui_cursor_show (cursor, count, pane_height (self));
      break;
    case HL_TUI_PANE_POSTS:
      if (self->posts.posts == NULL)
        break;
      count = self->posts.posts->len;
      hl_tui_posts_select (self, absolute ? moved (0, delta, count)
                                          : moved (self->posts.sel, delta, count),
                           pane_height (self));
      break;
    case HL_TUI_N_PANES:
    default:
      break;
    }
}

/* Arrows, j/k, pages, Home/End, g/G. */
static gboolean
move_key (HlTui  *self,
          int     kind,
          wint_t  key)
{
  int page = (int) pane_height (self) - 1;
  gboolean posts = self->focus == HL_TUI_PANE_POSTS;

  if (HL_TUI_IS_CODE (kind, key, KEY_UP) || HL_TUI_IS_CHAR (kind, key, 'k'))
    move_in_pane (self, self->focus, -1, FALSE);
  else if (HL_TUI_IS_CODE (kind, key, KEY_DOWN) || HL_TUI_IS_CHAR (kind, key, 'j'))
    move_in_pane (self, self->focus, 1, FALSE);
  else if (HL_TUI_IS_CODE (kind, key, KEY_PPAGE) || HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('b')))
    posts ? scroll_posts (self, -page) : move_in_pane (self, self->focus, -page, FALSE);
  else if (HL_TUI_IS_CODE (kind, key, KEY_NPAGE) || HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('f')) ||
           HL_TUI_IS_CHAR (kind, key, ' '))
    posts ? scroll_posts (self, page) : move_in_pane (self, self->focus, page, FALSE);
  else if (HL_TUI_IS_CODE (kind, key, KEY_HOME) || HL_TUI_IS_CHAR (kind, key, 'g'))
    move_in_pane (self, self->focus, 0, TRUE);
  else if (HL_TUI_IS_CODE (kind, key, KEY_END) || HL_TUI_IS_CHAR (kind, key, 'G'))
    move_in_pane (self, self->focus, G_MAXINT, TRUE);
  else
    return FALSE;
  return TRUE;
}

/* ---- opening and going back ---- */

static const HlPostRow *
selected_thread_row (HlTui *self)
{
  guint count;
  HlTuiCursor *cursor = thread_cursor (self, &count);

  if (cursor->sel >= count)
    return NULL;
  if (self->threads.query != NULL)
    return g_ptr_array_index (self->threads.results, cursor->sel);
  return hl_tui_thread_at (self, cursor->sel);
}

static void
open_selected (HlTui *self)
{
  const HlPostRow *row;
  guint8 thread[HL_ID_LEN], select[HL_ID_LEN];

  switch (self->focus)
    {
    case HL_TUI_PANE_SUBNETS:
      if (self->threads.has_subnet)
        self->focus = HL_TUI_PANE_THREADS;
      break;
    case HL_TUI_PANE_THREADS:
      if ((row = selected_thread_row (self)) == NULL)
        break;
      /* A search result opens its thread at the post found. */
      memcpy (thread, row->kind == HL_POST_THREAD ? row->id : row->thread, HL_ID_LEN);
      memcpy (select, row->id, HL_ID_LEN);
      hl_tui_open_thread (self, thread, select);
      self->focus = HL_TUI_PANE_POSTS;
      break;
    case HL_TUI_PANE_POSTS:
    case HL_TUI_N_PANES:
    default:
      break;
    }
}

static void
go_back (HlTui    *self,
         gboolean  may_quit)
{
  switch (self->focus)
    {
    case HL_TUI_PANE_POSTS:
      self->focus = HL_TUI_PANE_THREADS;
      break;
    case HL_TUI_PANE_THREADS:
      if (self->threads.query != NULL)
        hl_tui_end_search (self);
      else
        self->focus = HL_TUI_PANE_SUBNETS;
      break;
    case HL_TUI_PANE_SUBNETS:
      if (may_quit)
        hl_tui_quit (self);
      break;
    case HL_TUI_N_PANES:
    default:
      break;
    }
}

static void
focus_right (HlTui *self)
{
  if (self->focus == HL_TUI_PANE_SUBNETS && self->threads.has_subnet)
    self->focus = HL_TUI_PANE_THREADS;
  else if (self->focus == HL_TUI_PANE_THREADS && self->posts.has_thread)
    self->focus = HL_TUI_PANE_POSTS;
}

/* Tab: the next pane, round to the first. */
static void
focus_next (HlTui *self)
{
  if (self->focus == HL_TUI_PANE_POSTS ||
      (self->focus == HL_TUI_PANE_THREADS && !self->posts.has_thread))
    self->focus = HL_TUI_PANE_SUBNETS;
  else
    focus_right (self);
}

static void
focus_left (HlTui *self)
{
  if (self->focus > HL_TUI_PANE_SUBNETS)
    self->focus--;
}

/* ---- search ---- */

static void
on_search_cb (HlTui      *self,
              const char *answer,
              gpointer    data)
{
  g_autofree char *query = answer != NULL ? g_strstrip (g_strdup (answer)) : NULL;

  if (query == NULL)
    return;
  if (*query == '\0')
    {
      hl_tui_end_search (self);
      return;
    }
  hl_tui_search (self, query);
  self->focus = HL_TUI_PANE_THREADS;
}

/* ---- posting ---- */

/* What r, e and d act on: the selected post in the thread pane, else the
 * selected thread (or search result). */
static const HlPostRow *
target_post (HlTui *self)
{
  if (self->focus == HL_TUI_PANE_POSTS)
    return hl_tui_selected_post (self);
  if (self->focus == HL_TUI_PANE_THREADS)
    return selected_thread_row (self);
  return NULL;
}

static const char *
thread_title (HlTui           *self,
              const HlPostRow *post)
{
  const HlPostRow *first;

  if (post->kind == HL_POST_THREAD)
    return post->title;
  if (self->posts.has_thread && self->posts.posts != NULL && self->posts.posts->len > 0 &&
      memcmp ((first = g_ptr_array_index (self->posts.posts, 0))->id, post->thread, HL_ID_LEN) == 0)
    return first->title;
  return "the thread";
}

static void
reply (HlTui *self)
{
  const HlPostRow *post = target_post (self);
  HlTuiCompose *compose;
  g_autofree char *author = NULL;

  if (post == NULL)
    {
      hl_tui_show_message (self, TRUE, "Select a thread or a post to reply to it");
      return;
    }
  author = hl_tui_format_author (post->author_name, post->author);
  compose = g_new0 (HlTuiCompose, 1);
  compose->kind = HL_TUI_COMPOSE_REPLY;
  memcpy (compose->ref, post->kind == HL_POST_THREAD ? post->id : post->thread, HL_ID_LEN);
  compose->has_parent = post->kind == HL_POST_REPLY;
  memcpy (compose->parent, post->id, HL_ID_LEN);
  compose->what = g_strdup_printf ("Reply to %s in “%s”", author, thread_title (self, post));
  compose->quote = g_strdup (post->body);
  hl_tui_compose (self, compose);
}

static void
edit (HlTui *self)
{
  const HlPostRow *post = target_post (self);
  HlTuiCompose *compose;

  if (post == NULL)
    {
      hl_tui_show_message (self, TRUE, "Select one of your posts to edit it");
      return;
    }
  if (!hl_tui_is_mine (self, post->author))
    {
      hl_tui_show_message (self, TRUE, "Only your own posts can be edited here");
      return;
    }
  compose = g_new0 (HlTuiCompose, 1);
  compose->kind = HL_TUI_COMPOSE_EDIT;
  memcpy (compose->ref, post->id, HL_ID_LEN);
  compose->with_title = post->kind == HL_POST_THREAD;
  compose->what = g_strdup_printf ("Edit your %s in “%s”",
                                   post->kind == HL_POST_THREAD ? "thread" : "reply",
                                   thread_title (self, post));
  compose->title = g_strdup (post->title);
  compose->body = g_strdup (post->body);
  hl_tui_compose (self, compose);
}

static void
new_thread (HlTui *self)
{
  const HlSubnetRow *subnet = hl_tui_current_subnet (self);
  HlTuiCompose *compose;

  if (subnet == NULL)
    {
      hl_tui_show_message (self, TRUE, "Open a subnet first (N makes one)");
      return;
    }
  compose = g_new0 (HlTuiCompose, 1);
  compose->kind = HL_TUI_COMPOSE_THREAD;
  memcpy (compose->ref, subnet->id, HL_ID_LEN);
  compose->with_title = TRUE;
  compose->what = g_strdup_printf ("New thread in %s", subnet->name);
  hl_tui_compose (self, compose);
}

static void
new_subnet (HlTui *self)
{
  HlTuiCompose *compose = g_new0 (HlTuiCompose, 1);

  compose->kind = HL_TUI_COMPOSE_SUBNET;
  compose->with_title = TRUE;
  compose->what = g_strdup ("New subnet");
  hl_tui_compose (self, compose);
}

static void
delete (HlTui *self)
{
  const HlPostRow *post = target_post (self);

  if (post == NULL)
    hl_tui_show_message (self, TRUE, "Select one of your posts to delete it");
  else if (!hl_tui_is_mine (self, post->author))
    hl_tui_show_message (self, TRUE, "Only your own posts can be deleted");
  else
    hl_tui_delete_post (self, post);
}

/* ---- keys ---- */

gboolean
hl_tui_browse_key (HlTui  *self,
                   int     kind,
                   wint_t  key)
{
  if (move_key (self, kind, key))
    return TRUE;
  if (HL_TUI_IS_CHAR (kind, key, '\n') || HL_TUI_IS_CHAR (kind, key, '\r') ||
      HL_TUI_IS_CODE (kind, key, KEY_ENTER))
    open_selected (self);
  else if (HL_TUI_IS_CHAR (kind, key, 'q'))
    go_back (self, TRUE);
  else if (HL_TUI_IS_CHAR (kind, key, HL_TUI_ESC))
    go_back (self, FALSE);
  else if (HL_TUI_IS_CODE (kind, key, KEY_RIGHT) || HL_TUI_IS_CHAR (kind, key, 'l'))
    focus_right (self);
  else if (HL_TUI_IS_CODE (kind, key, KEY_LEFT) || HL_TUI_IS_CHAR (kind, key, 'h'))
    focus_left (self);
  else if (HL_TUI_IS_CHAR (kind, key, '\t'))
    focus_next (self);
  else if (HL_TUI_IS_CODE (kind, key, KEY_BTAB))
    focus_left (self);
  else if (HL_TUI_IS_CHAR (kind, key, '/'))
    hl_tui_ask (self, "Search: ", self->threads.query != NULL ? self->threads.query : "", 200,
                on_search_cb, NULL, NULL);
  else if (HL_TUI_IS_CHAR (kind, key, 'n'))
    new_thread (self);
  else if (HL_TUI_IS_CHAR (kind, key, 'N'))
    new_subnet (self);
  else if (HL_TUI_IS_CHAR (kind, key, 'r'))
    reply (self);
  else if (HL_TUI_IS_CHAR (kind, key, 'e'))
    edit (self);
  else if (HL_TUI_IS_CHAR (kind, key, 'd'))
    delete (self);
  else if (HL_TUI_IS_CHAR (kind, key, 'P'))
    hl_tui_set_name (self);
  else
    return FALSE;
  return TRUE;
}

/* ---- the mouse ---- */

static gboolean
pane_at (const HlTuiLayout *layout,
         int                x,
         HlTuiPane         *pane)
{
  for (guint p = 0; p < HL_TUI_N_PANES; p++)
    if (layout->shown[p] && x >= layout->x[p] && x < layout->x[p] + layout->width[p])
      {
        *pane = p;
        return TRUE;
      }
  return FALSE;
}

static void
click (HlTui     *self,
       HlTuiPane  pane,
       guint      row)
{
  guint count, position;
  HlTuiCursor *cursor;

  self->focus = pane;
  switch (pane)
    {
    case HL_TUI_PANE_SUBNETS:
      position = self->subnet_cursor.top + row;
      if (self->subnets != NULL && position < self->subnets->len)
        select_subnet (self, position);
      break;
    case HL_TUI_PANE_THREADS:
      cursor = thread_cursor (self, &count);
      position = cursor->top + row;
      if (position >= count)
        break;
      /* A click selects; a click on the selected row opens it. */
      if (position == cursor->sel)
        open_selected (self);
      cursor->sel = position;
      break;
    case HL_TUI_PANE_POSTS:
      if (self->posts.lines != NULL && self->posts.top + row < self->posts.lines->len)
        {
          const HlTuiPostLine *line = g_ptr_array_index (self->posts.lines, self->posts.top + row);

          self->posts.sel = line->post;
        }
      break;
    case HL_TUI_N_PANES:
    default:
      break;
    }
}

void
hl_tui_browse_mouse (HlTui        *self,
                     const MEVENT *event)
{
  HlTuiLayout layout;
  HlTuiPane pane;
  int direction = 0;

  hl_tui_layout (self, &layout);
  if (!pane_at (&layout, event->x, &pane))
    return;
  if (event->bstate & BUTTON4_PRESSED)
    direction = -1;
#ifdef BUTTON5_PRESSED
  else if (event->bstate & BUTTON5_PRESSED)
    direction = 1;
#endif
  if (direction != 0)
    {
      /* The pane scrolled is the one the keys go to next, as a click's. */
      self->focus = pane;
      if (pane == HL_TUI_PANE_POSTS)
        scroll_posts (self, direction * WHEEL_STEP);
      else
        move_in_pane (self, pane, direction * WHEEL_STEP, FALSE);
      return;
    }
  if ((event->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) && event->y >= layout.top &&
      event->y < layout.top + layout.height)
    click (self, pane, (guint) (event->y - layout.top));
}
