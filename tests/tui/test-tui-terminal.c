/* test-tui-terminal.c: hyperlink-tui and the terminal it runs in: resizing
 * at any time, terminals too small for it, $NO_COLOR, text of any width and
 * direction, and posts holding control characters and escape sequences.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <wchar.h>

#include "hl-paths.h"
#include "hl-types.h"
#include "hl-tui-fixture.h"

#define WAIT_S 15

/* Display columns of @line, as the terminal counts them. */
static guint
display_width (const char *line)
{
  guint width = 0;

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    width += MAX (wcwidth ((wchar_t) g_utf8_get_char (p)), 0);
  return width;
}

/* The column of the @n-th (from 1) @c on @line, or -1. */
static int
column_of (const char *line,
           gunichar    c,
           guint       n)
{
  guint width = 0, seen = 0;

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar here = g_utf8_get_char (p);

      if (here == c && ++seen == n)
        return (int) width;
      width += MAX (wcwidth ((wchar_t) here), 0);
    }
  return -1;
}

/* The screen is @cols × @rows with the status line on its last row. */
static void
assert_fits (const char *screen,
             guint       cols,
             guint       rows,
             const char *status)
{
  g_auto(GStrv) lines = g_strsplit (screen, "\n", -1);
  guint n = g_strv_length (lines);

  if (n > 0 && *lines[n - 1] == '\0')
    n--;   /* the newline after the last row */
  g_assert_cmpuint (n, ==, rows);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (display_width (lines[i]), <=, cols);
  g_assert_nonnull (strstr (lines[rows - 1], status));
}

static gboolean
fits_status (const char *screen,
             gpointer    data)
{
  guint *size = data;
  g_auto(GStrv) lines = g_strsplit (screen, "\n", -1);
  guint n = g_strv_length (lines);

  if (n > 0 && *lines[n - 1] == '\0')
    n--;
  return n == size[1] && strstr (lines[n - 1], "Offline") != NULL;
}

static char *
expect_size (HlTuiTerm *term,
             guint      cols,
             guint      rows)
{
  guint size[2] = { cols, rows };
  char *screen = hl_tui_term_wait_for (term, fits_status, size, WAIT_S);

  if (screen == NULL)
    hl_tui_term_fail (term, "The screen was not redrawn for its new size");
  assert_fits (screen, cols, rows, "Offline");
  return screen;
}

static void
test_resize (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *screen = NULL;

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));
  hl_tui_term_keys (term, "j", "Enter", NULL);
  g_free (hl_tui_term_expect (term, "Debian, obviously.", WAIT_S));
  screen = expect_size (term, 100, 30);
  g_assert_nonnull (strstr (screen, "Subnets"));
  g_clear_pointer (&screen, g_free);

  /* 80 columns: two panes, the threads and the open thread. */
  hl_tui_term_resize (term, 80, 24);
  screen = expect_size (term, 80, 24);
  g_assert_null (strstr (screen, "Subnets"));
  g_assert_nonnull (strstr (screen, "Debian, obviously."));
  g_clear_pointer (&screen, g_free);

  /* Wider and taller: three panes again, the body on one line. */
  hl_tui_term_resize (term, 140, 40);
  screen = expect_size (term, 140, 40);
  g_assert_nonnull (strstr (screen, "Subnets"));
  g_assert_nonnull (strstr (screen, "Asking for a friend who likes kernels."));
  g_clear_pointer (&screen, g_free);

  /* While a prompt is open, and back. */
  hl_tui_term_keys (term, "/", NULL);
  g_free (hl_tui_term_expect (term, "Search:", WAIT_S));
  hl_tui_term_resize (term, 90, 26);
  screen = hl_tui_term_expect (term, "Search:", WAIT_S);
  assert_fits (screen, 90, 26, "Search:");
  hl_tui_term_keys (term, "Escape", NULL);
  g_clear_pointer (&screen, g_free);
  screen = expect_size (term, 90, 26);
  g_assert_true (hl_tui_term_alive (term));
  hl_tui_forum_clear (&forum);
}

static void
test_too_small (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *screen = NULL;
  const guint sizes[][2] = { { 79, 30 }, { 80, 23 }, { 30, 5 }, { 8, 2 } };

  hl_tui_forum_init (&forum);
  term = hl_tui_term_start (forum.dir, 60, 20, NULL, NULL);
  screen = hl_tui_term_expect (term, "This terminal is 60×20.", WAIT_S);
  g_assert_nonnull (strstr (screen, "Hyperlink needs at least 80×24:"));
  g_assert_nonnull (strstr (screen, "make it larger, or press q to quit."));
  g_clear_pointer (&screen, g_free);

  /* Keys do nothing there but quit: no editor, no prompt, no crash. */
  hl_tui_term_keys (term, "j", "Enter", "n", "r", "/", "?", "p", "Escape", NULL);
  hl_tui_term_type (term, "typed");
  g_free (hl_tui_term_expect (term, "(13 keys ignored until then)", WAIT_S));

  hl_tui_term_resize (term, 100, 30);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *what = g_strdup_printf ("This terminal is %u×%u.", sizes[i][0],
                                               sizes[i][1]);

      hl_tui_term_resize (term, sizes[i][0], sizes[i][1]);
      if (sizes[i][0] >= 30)
        g_free (hl_tui_term_expect (term, what, WAIT_S));
      else
        g_free (hl_tui_term_expect_gone (term, "Second thread", WAIT_S));
      g_assert_true (hl_tui_term_alive (term));
    }
  hl_tui_term_resize (term, 80, 24);
  g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));

  /* q in a small terminal quits, cleanly. */
  hl_tui_term_resize (term, 50, 10);
  g_free (hl_tui_term_expect (term, "This terminal is 50×10.", WAIT_S));
  hl_tui_term_keys (term, "q", NULL);
  hl_tui_term_expect_exit (term, WAIT_S);
  hl_tui_forum_clear (&forum);
}

/* SGR parameters that set a colour: 30–38, 40–48, 90–97, 100–107 (39 and
 * 49 are the terminal's defaults, which tmux writes for every cell). */
static guint
count_colours (const char *screen)
{
  guint colours = 0;

  for (const char *p = strstr (screen, "\033["); p != NULL; p = strstr (p + 1, "\033["))
    {
      const char *end = p + 2;
      g_autofree char *params = NULL;
      g_auto(GStrv) each = NULL;

      while (g_ascii_isdigit (*end) || *end == ';')
        end++;
      if (*end != 'm')
        continue;
      params = g_strndup (p + 2, end - p - 2);
      each = g_strsplit (params, ";", -1);
      for (guint i = 0; each[i] != NULL; i++)
        {
          int n = atoi (each[i]);

          colours += (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) ||
                     (n >= 100 && n <= 107);
        }
    }
  return colours;
}

static void
test_no_color (void)
{
  HlTuiForum forum;
  const char *env[] = { "NO_COLOR=1", NULL };
  g_autofree char *plain = NULL;
  g_autofree char *colours = NULL;

  hl_tui_forum_init (&forum);
  {
    g_autoptr(HlTuiTerm) term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);

    g_free (hl_tui_term_expect (term, "Second thread", WAIT_S));
    hl_tui_term_keys (term, "j", "Enter", NULL);
    g_free (hl_tui_term_expect (term, "Debian, obviously.", WAIT_S));
    colours = hl_tui_term_capture (term, TRUE);
    /* The check sees colours where there are some. */
    g_assert_cmpuint (count_colours (colours), >, 0);
    /* The next client opens the thread this one saves on its way out. */
    hl_tui_term_keys (term, "q", "Q", NULL);
    hl_tui_term_expect_exit (term, WAIT_S);
  }
  {
    g_autoptr(HlTuiTerm) term = hl_tui_term_start (forum.dir, 100, 30, env, NULL);

    g_free (hl_tui_term_expect (term, "Debian, obviously.", WAIT_S));
    plain = hl_tui_term_capture (term, TRUE);
    g_assert_cmpuint (count_colours (plain), ==, 0);
    /* Monochrome, not plain: the selection and titles still stand out. */
    g_assert_nonnull (strstr (plain, "7m"));
    g_assert_nonnull (strstr (plain, "\033[1m"));
  }
  hl_tui_forum_clear (&forum);
}

/* Every row has its pane borders at the same columns, whatever the width
 * of the characters before them. */
static void
assert_borders_aligned (const char *screen,
                        guint       rows)
{
  g_auto(GStrv) lines = g_strsplit (screen, "\n", -1);
  int first = column_of (lines[1], 0x2502, 1), second = column_of (lines[1], 0x2502, 2);

  g_assert_cmpint (first, >, 0);
  g_assert_cmpint (second, >, first);
  for (guint i = 0; i < rows - 1 && lines[i] != NULL; i++)
    {
      if (column_of (lines[i], 0x2502, 1) != first || column_of (lines[i], 0x2502, 2) != second)
        g_error ("Row %u has its borders at other columns than row 1:\n%s", i, screen);
    }
}

static void
test_wide_and_rtl (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *screen = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  const char *rtl = "שלום עולם מימין לשמאל";

  hl_tui_forum_init (&forum);
  a = hl_test_ctl_ok (forum.dir, "thread", "create", forum.linux_id, "--title",
                      "漢字のタイトル 😀 wide and long enough to be cut at the pane's edge",
                      "--body", "한국어 본문 and 😀😀😀 emoji, wrapped in the pane as words", NULL);
  b = hl_test_ctl_ok (forum.dir, "thread", "create", forum.linux_id, "--title", rtl, "--body",
                      "مرحبا بالعالم", NULL);
  c = hl_test_ctl_ok (forum.dir, "thread", "create", forum.linux_id, "--title",
                      "e\xcc\x81\xcc\x81 combining marks", "--body", "x", NULL);
  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);
  screen = hl_tui_term_expect (term, "combining marks", WAIT_S);
  assert_borders_aligned (screen, 30);
  /* Right-to-left text stays in the order it was written in. */
  g_assert_nonnull (strstr (screen, "שלום עולם"));
  g_clear_pointer (&screen, g_free);

  /* The wide thread, open: its body wraps, the borders stay. */
  hl_tui_term_keys (term, "g", "j", "j", "Enter", NULL);
  screen = hl_tui_term_expect (term, "한국어 본문", WAIT_S);
  assert_borders_aligned (screen, 30);
  g_clear_pointer (&screen, g_free);
  hl_tui_term_keys (term, "q", "k", "Enter", NULL);
  screen = hl_tui_term_expect (term, "مرحبا بالعالم", WAIT_S);
  g_assert_nonnull (strstr (screen, rtl));
  g_assert_true (hl_tui_term_alive (term));
  hl_tui_forum_clear (&forum);
}

/* The protocol refuses C0 and C1 controls in titles and bodies (but tab,
 * CR and LF in bodies), so a raw ESC or CSI can only come from a store
 * written otherwise (an old version, a bug, a hand): it is put there
 * directly, as the worst case. */
static void
poison (const char *data_dir,
        const char *id_hex,
        const char *column,
        const char *text)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE posts SET %s = ?1 WHERE id = ?2", column);
  g_autofree char *path = hl_paths_database (data_dir);
  guint8 id[32];
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (hl_hex_decode (id_hex, id, sizeof id));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, id, sizeof id, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_hostile_text (void)
{
  HlTuiForum forum;
  g_autoptr(HlTuiTerm) term = NULL;
  g_autofree char *screen = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *title = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *reply = NULL;

  hl_tui_forum_init (&forum);
  /* The protocol refuses C1 controls (8-bit CSI, OSC, ST, NEL) in every
   * field now (docs/protocol.md, "Kinds and bodies"), but lets CR, tabs and
   * directional overrides through; the rest is put in the rows directly. */
  thread = hl_test_ctl_ok (forum.dir, "thread", "create", forum.linux_id, "--title",
                           "Hostile title \xe2\x80\xae" "desrever",
                           "--body", "to be poisoned", NULL);
  reply = hl_test_ctl_ok (forum.dir, "reply", thread, "--body", "to be poisoned", NULL);
  poison (forum.dir, thread, "title",
          "Hostile \xc2\x9b" "2J\xc2\x9d" "0;pwned\xc2\x9c title \xe2\x80\xae" "desrever");
  poison (forum.dir, thread, "body", "over\rwritten\ttabbed \xc2\x85 next");
  poison (forum.dir, reply, "body", "\033]0;pwned\007\033[2J\033[31mred\033[0m after\033[H");

  term = hl_tui_term_start (forum.dir, 100, 30, NULL, NULL);
  screen = hl_tui_term_expect (term, "Hostile", WAIT_S);
  /* The title's controls are replacement characters, drawn as such. */
  g_assert_nonnull (strstr (screen, "Hostile \xef\xbf\xbd" "2J\xef\xbf\xbd" "0;pw"));
  g_clear_pointer (&screen, g_free);

  hl_tui_term_keys (term, "g", "Enter", NULL);
  screen = hl_tui_term_expect (term, "after^[[H", WAIT_S);
  /* The escape sequences are text on the screen, not orders to it: the
   * screen was not cleared, the cursor not sent home, the title not set. */
  g_assert_nonnull (strstr (screen, "^[]0;pwned^G^[[2J^[[31mred^[[0m"));
  g_assert_nonnull (strstr (screen, "over^Mwritten   tabbed \xef\xbf\xbd next"));
  g_assert_nonnull (strstr (screen, "Subnets"));
  g_clear_pointer (&screen, g_free);
  screen = expect_size (term, 100, 30);
  title = hl_tui_term_query (term, "#{pane_title}");
  g_assert_null (strstr (title, "pwned"));
  raw = hl_tui_term_capture (term, TRUE);
  g_assert_null (strstr (raw, "\033]"));
  g_assert_null (strstr (raw, "\xc2\x9b"));
  g_assert_null (strstr (raw, "\xc2\x9d"));
  g_assert_null (strstr (raw, "\xe2\x80\xae"));
  g_assert_true (hl_tui_term_alive (term));
  hl_tui_forum_clear (&forum);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  hl_test_init (&argc, &argv);
  g_test_add_func ("/tui/resize", test_resize);
  g_test_add_func ("/tui/too-small", test_too_small);
  g_test_add_func ("/tui/no-color", test_no_color);
  g_test_add_func ("/tui/wide-and-rtl", test_wide_and_rtl);
  g_test_add_func ("/tui/hostile-text", test_hostile_text);
  return hl_test_run_and_clean_up ();
}
