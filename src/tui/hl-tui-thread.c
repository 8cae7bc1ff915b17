/* hl-tui-thread.c: the open thread, its replies as a tree.
 *
 * A reply names the reply it answers (`parent`); replies to the thread
 * itself, and replies whose parent is not here (deleted, or not arrived
 * yet), hang from the thread. Siblings keep the order of their time. The
 * tree is drawn with guides as tree(1) draws directories; past the depth
 * the pane has room for, the outer guides are dropped.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

/* Levels whose "more siblings below" is tracked; deeper ones count as last. */
#define MAX_TRACKED_DEPTH 256

static void
post_line_free (HlTuiPostLine *line)
{
  g_clear_pointer (&line->guide, g_array_unref);
  g_clear_pointer (&line->cells, g_array_unref);
  g_free (line);
}

static void
clear_layout (HlTuiPosts *posts)
{
  g_clear_pointer (&posts->lines, g_ptr_array_unref);
  g_clear_pointer (&posts->first_line, g_array_unref);
  posts->lines_width = 0;
}

void
hl_tui_posts_free (HlTuiPosts *posts)
{
  clear_layout (posts);
  g_clear_pointer (&posts->posts, g_ptr_array_unref);
  g_clear_pointer (&posts->depth, g_array_unref);
  g_clear_pointer (&posts->guides, g_ptr_array_unref);
  g_clear_pointer (&posts->error, g_free);
}

/* ---- the tree ---- */

typedef struct
{
  guint first_child;
  guint last_child;
  guint next;
  gboolean seen;
} Node;

#define NONE G_MAXUINT

static guint
id_hash (gconstpointer key)
{
  guint hash;

  memcpy (&hash, key, sizeof hash);   /* ids are hashes already */
  return hash;
}

static gboolean
id_equal (gconstpointer a,
          gconstpointer b)
{
  return memcmp (a, b, HL_ID_LEN) == 0;
}

static void
append_child (Node  *nodes,
              guint  parent,
              guint  child)
{
  if (nodes[parent].first_child == NONE)
    nodes[parent].first_child = child;
  else
    nodes[nodes[parent].last_child].next = child;
  nodes[parent].last_child = child;
}

static char *
make_guides (HlTui          *self,
             const gboolean *more,
             guint           depth,
             gboolean        has_next,
             gboolean        has_children)
{
  g_autoptr(GString) header = g_string_new (NULL);
  g_autoptr(GString) outer = g_string_new (NULL);
  const char *pipe = hl_tui_glyph (self, HL_TUI_GLYPH_PIPE);

  if (depth == 0)
    return g_strdup ("\n");
  for (guint level = 1; level < depth; level++)
    {
      g_string_append (outer, level < MAX_TRACKED_DEPTH && more[level] ? pipe : " ");
      g_string_append_c (outer, ' ');
    }
  g_string_append (header, outer->str);
  g_string_append (header, hl_tui_glyph (self, has_next ? HL_TUI_GLYPH_BRANCH
                                                        : HL_TUI_GLYPH_LAST_BRANCH));
  g_string_append_c (header, ' ');
  return g_strdup_printf ("%s\n%s%s %s ", header->str, outer->str, has_next ? pipe : " ",
                          has_children ? pipe : " ");
}

/* Depth first from the thread; @rows[0] is the thread, the rest its
 * replies by time. Fills posts, depth and guides in that order. */
static void
order_as_tree (HlTui     *self,
               GPtrArray *rows)
{
  HlTuiPosts *posts = &self->posts;
  guint n = rows->len;
  g_autofree Node *nodes = g_new0 (Node, n);
  g_autoptr(GHashTable) index = g_hash_table_new (id_hash, id_equal);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gboolean *more = g_new0 (gboolean, MAX_TRACKED_DEPTH);
  g_autoptr(GPtrArray) ordered = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_post_row_free);

  for (guint i = 0; i < n; i++)
    {
      HlPostRow *row = g_ptr_array_index (rows, i);

      nodes[i] = (Node) { NONE, NONE, NONE, FALSE };
      g_hash_table_insert (index, row->id, GUINT_TO_POINTER (i));
    }
  for (guint i = 1; i < n; i++)
    {
      HlPostRow *row = g_ptr_array_index (rows, i);
      gpointer found = NULL;
      guint parent = 0;

      if (row->has_parent && g_hash_table_lookup_extended (index, row->parent, NULL, &found) &&
          GPOINTER_TO_UINT (found) != i)
        parent = GPOINTER_TO_UINT (found);
      append_child (nodes, parent, i);
    }

  posts->depth = g_array_new (FALSE, FALSE, sizeof (guint));
  posts->guides = g_ptr_array_new_with_free_func (g_free);
  /* The stack holds nodes still to visit, with their depth. */
  for (guint pass = 0; pass < n; pass++)
    {
      guint start = NONE;

      /* Replies caught in a loop of parents are never reached from the
       * thread: each starts a tree of its own after the rest. */
      for (guint i = pass; i < n && start == NONE; i++)
        if (!nodes[i].seen)
          start = i;
      if (start == NONE)
        break;
      g_array_append_val (stack, start);
      {
        guint zero = start == 0 ? 0 : 1;

        g_array_append_val (stack, zero);
      }
      while (stack->len > 0)
        {
          guint depth = g_array_index (stack, guint, stack->len - 1);
          guint node = g_array_index (stack, guint, stack->len - 2);
          gboolean has_next;

          g_array_set_size (stack, stack->len - 2);
          if (nodes[node].seen)
            continue;
          nodes[node].seen = TRUE;
          has_next = nodes[node].next != NONE && !nodes[nodes[node].next].seen;
          if (depth < MAX_TRACKED_DEPTH)
            more[depth] = has_next;
          g_ptr_array_add (ordered, g_steal_pointer (&g_ptr_array_index (rows, node)));
          g_array_append_val (posts->depth, depth);
          g_ptr_array_add (posts->guides, make_guides (self, more, depth, has_next,
                                                       nodes[node].first_child != NONE));
          /* Children go on the stack last first, so the first is visited next. */
          {
            g_autoptr(GArray) children = g_array_new (FALSE, FALSE, sizeof (guint));

            for (guint c = nodes[node].first_child; c != NONE; c = nodes[c].next)
              g_array_append_val (children, c);
            for (guint c = children->len; c > 0; c--)
              {
                guint child = g_array_index (children, guint, c - 1);
                guint child_depth = depth + 1;

                g_array_append_val (stack, child);
                g_array_append_val (stack, child_depth);
              }
          }
        }
    }
  posts->posts = g_steal_pointer (&ordered);
}

/* ---- loading ---- */

static gboolean
load (HlTui *self)
{
  HlTuiPosts *posts = &self->posts;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlPostRow) thread = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  hl_tui_posts_free (posts);
  if (!(thread = hl_store_get_post (self->store, posts->thread, &error)) ||
      !(rows = hl_store_list_replies (self->store, posts->thread, &error)))
    {
      posts->error = g_strdup (error->message);
      return FALSE;
    }
  g_ptr_array_insert (rows, 0, g_steal_pointer (&thread));
  order_as_tree (self, rows);
  return TRUE;
}

/* What is open is read: the marks say so, for the window too. */
static void
mark_read (HlTui *self)
{
  const HlPostRow *thread;

  if (self->posts.posts == NULL || self->posts.posts->len == 0)
    return;
  thread = g_ptr_array_index (self->posts.posts, 0);
  hl_read_marks_mark_read (self->marks, thread->id, thread->last_activity_ms);
}

static gboolean
find_post (HlTuiPosts   *posts,
           const guint8 *id,
           guint        *position)
{
  for (guint i = 0; posts->posts != NULL && i < posts->posts->len; i++)
    if (memcmp (((HlPostRow *) g_ptr_array_index (posts->posts, i))->id, id, HL_ID_LEN) == 0)
      {
        *position = i;
        return TRUE;
      }
  return FALSE;
}

void
hl_tui_open_thread (HlTui        *self,
                    const guint8 *thread,
                    const guint8 *select)
{
  HlTuiPosts *posts = &self->posts;
  guint position;

  posts->has_thread = TRUE;
  memcpy (posts->thread, thread, HL_ID_LEN);
  posts->sel = 0;
  posts->top = 0;
  if (load (self))
    mark_read (self);
  if (select != NULL && find_post (posts, select, &position))
    posts->sel = position;
  hl_tui_remember (self);
}

void
hl_tui_close_thread (HlTui *self)
{
  hl_tui_posts_free (&self->posts);
  self->posts.has_thread = FALSE;
}

void
hl_tui_posts_reload (HlTui *self)
{
  HlTuiPosts *posts = &self->posts;
  const HlPostRow *selected = hl_tui_selected_post (self);
  guint8 id[HL_ID_LEN];
  gboolean had = selected != NULL;
  guint position;

  if (!posts->has_thread)
    return;
  if (had)
    memcpy (id, selected->id, HL_ID_LEN);
  if (load (self))
    mark_read (self);
  if (had && find_post (posts, id, &position))
    posts->sel = position;
  else if (posts->posts == NULL || posts->sel >= posts->posts->len)
    posts->sel = 0;
}

const HlPostRow *
hl_tui_selected_post (HlTui *self)
{
  HlTuiPosts *posts = &self->posts;

  if (!posts->has_thread || posts->posts == NULL || posts->sel >= posts->posts->len)
    return NULL;
  return g_ptr_array_index (posts->posts, posts->sel);
}

/* ---- lines for a width ---- */

/* The guide of a post @depth deep, less the outer levels the pane has no
 * room for. */
static GArray *
guide_cells (const char *guide,
             guint       depth,
             guint       max_depth)
{
  GArray *cells = hl_tui_cells_new (guide);

  if (depth > max_depth && cells->len > 0)
    g_array_remove_range (cells, 0, MIN (cells->len, (depth - max_depth) * 2));
  return cells;
}

static guint
cells_width (GArray *cells)
{
  guint width = 0;

  for (guint i = 0; i < cells->len; i++)
    width += g_array_index (cells, HlTuiCell, i).width;
  return width;
}

static void
add_line (HlTuiPosts    *posts,
          guint          post,
          HlTuiLineKind  kind,
          GArray        *guide,
          GArray        *cells)
{
  HlTuiPostLine *line = g_new0 (HlTuiPostLine, 1);

  line->post = post;
  line->kind = kind;
  line->guide = g_array_ref (guide);
  line->cells = cells;
  g_ptr_array_add (posts->lines, line);
}

static void
add_wrapped (HlTuiPosts    *posts,
             guint          post,
             HlTuiLineKind  kind,
             GArray        *guide,
             const char    *text,
             guint          width)
{
  g_autoptr(GPtrArray) wrapped = hl_tui_wrap (text, width);

  for (guint i = 0; i < wrapped->len; i++)
    add_line (posts, post, kind, guide, g_array_ref (g_ptr_array_index (wrapped, i)));
}

void
hl_tui_posts_layout (HlTui *self,
                     guint  width)
{
  HlTuiPosts *posts = &self->posts;
  /* Leave at least 24 columns of text beside the guides. */
  guint max_depth = MAX (1, (width > 26 ? width - 24 : 2) / 2);

  if (posts->lines != NULL && posts->lines_width == width)
    return;
  clear_layout (posts);
  posts->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) post_line_free);
  posts->first_line = g_array_new (FALSE, FALSE, sizeof (guint));
  posts->lines_width = width;
  /* Line numbers changed: the selected post is brought back into view. */
  posts->reveal = TRUE;
  for (guint i = 0; posts->posts != NULL && i < posts->posts->len; i++)
    {
      const HlPostRow *row = g_ptr_array_index (posts->posts, i);
      guint depth = g_array_index (posts->depth, guint, i);
      const char *guides = g_ptr_array_index (posts->guides, i);
      const char *newline = strchr (guides, '\n');
      g_autofree char *header_text = g_strndup (guides, newline - guides);
      g_autoptr(GArray) header = guide_cells (header_text, depth, max_depth);
      g_autoptr(GArray) body = guide_cells (newline + 1, depth, max_depth);
      guint text_width = width > cells_width (body) + 8 ? width - cells_width (body) : 8;

      g_array_append_val (posts->first_line, posts->lines->len);
      if (row->kind == HL_POST_THREAD && row->title != NULL)
        add_wrapped (posts, i, HL_TUI_LINE_TITLE, header, row->title, text_width);
      add_line (posts, i, HL_TUI_LINE_HEADER, header, NULL);
      if (row->body != NULL && *row->body != '\0')
        add_wrapped (posts, i, HL_TUI_LINE_BODY, body, row->body, text_width);
      add_line (posts, i, HL_TUI_LINE_GAP, body, NULL);
    }
}

/* Selects @post and scrolls so that it shows: all of it when it fits in
 * @height lines, else its start. */
void
hl_tui_posts_select (HlTui *self,
                     guint  post,
                     guint  height)
{
  HlTuiPosts *posts = &self->posts;
  guint first, last;

  if (posts->posts == NULL || posts->posts->len == 0 || posts->first_line == NULL)
    return;
  post = MIN (post, posts->posts->len - 1);
  posts->sel = post;
  first = g_array_index (posts->first_line, guint, post);
  last = post + 1 < posts->first_line->len ? g_array_index (posts->first_line, guint, post + 1) - 1
                                            : posts->lines->len - 1;
  if (last + 1 > posts->top + height)
    posts->top = last + 1 > height ? last + 1 - height : 0;
  if (first < posts->top || last - first + 1 > height)
    posts->top = first;
}
