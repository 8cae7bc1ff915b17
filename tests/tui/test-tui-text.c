/* test-tui-text.c: forum text as terminal cells (hl-tui-text.c): widths,
 * wrapping, and control characters that must never reach the terminal.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hl-tui-text.h"

static char *
shown (const char *text)
{
  g_autoptr(GArray) cells = hl_tui_cells_new (text);

  return hl_tui_cells_to_utf8 (cells);
}

static guint
count_inert (const char *text)
{
  g_autoptr(GArray) cells = hl_tui_cells_new (text);
  guint n = 0;

  for (guint i = 0; i < cells->len; i++)
    n += (g_array_index (cells, HlTuiCell, i).flags & HL_TUI_CELL_INERT) != 0;
  return n;
}

/* No cell may hold a character a terminal obeys. */
static void
assert_harmless (const char *text)
{
  g_autoptr(GArray) cells = hl_tui_cells_new (text);

  for (guint i = 0; i < cells->len; i++)
    {
      const HlTuiCell *cell = &g_array_index (cells, HlTuiCell, i);

      g_assert_cmpuint (cell->width, >=, 1);
      g_assert_cmpuint (cell->width, <=, 2);
      for (guint j = 0; j < HL_TUI_CELL_CHARS && cell->chars[j] != 0; j++)
        {
          gunichar c = (gunichar) cell->chars[j];

          g_assert_false (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
          g_assert_false ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
        }
    }
}

static void
test_widths (void)
{
  g_assert_cmpuint (hl_tui_text_width ("hello"), ==, 5);
  g_assert_cmpuint (hl_tui_text_width ("漢字"), ==, 4);
  g_assert_cmpuint (hl_tui_text_width ("😀"), ==, 2);
  g_assert_cmpuint (hl_tui_text_width ("한국어"), ==, 6);
  /* e + COMBINING ACUTE ACCENT: one cell, one column, both characters. */
  {
    g_autoptr(GArray) cells = hl_tui_cells_new ("e\xcc\x81");
    const HlTuiCell *cell = &g_array_index (cells, HlTuiCell, 0);

    g_assert_cmpuint (cells->len, ==, 1);
    g_assert_cmpuint (cell->width, ==, 1);
    g_assert_cmpuint (cell->chars[0], ==, 'e');
    g_assert_cmpuint (cell->chars[1], ==, 0x301);
  }
  /* A mark with nothing before it gets a space to sit on. */
  {
    g_autofree char *text = shown ("\xcc\x81x");

    g_assert_cmpstr (text, ==, " \xcc\x81x");
    g_assert_cmpuint (hl_tui_text_width ("\xcc\x81x"), ==, 2);
  }
}

static void
test_rtl_unchanged (void)
{
  const char *hebrew = "שלום עולם";
  const char *arabic = "مرحبا بالعالم";
  g_autofree char *h = shown (hebrew);
  g_autofree char *a = shown (arabic);

  /* Logical order, as written: the terminal does the rest. */
  g_assert_cmpstr (h, ==, hebrew);
  g_assert_cmpstr (a, ==, arabic);
  g_assert_cmpuint (hl_tui_text_width (hebrew), ==, 9);
  g_assert_cmpuint (count_inert (hebrew), ==, 0);
}

static void
test_controls_inert (void)
{
  g_autofree char *esc = shown ("a\x1b[31mred\x1b]0;pwned\x07");
  g_autofree char *c0 = shown ("x\ry\x7fz\x01");
  g_autofree char *c1 = shown ("\xc2\x9b" "2J" "\xc2\x9d" "0;t" "\xc2\x9c");
  g_autofree char *bidi = shown ("abc\xe2\x80\xae" "def\xe2\x81\xa6" "g");
  g_autofree char *bad = shown ("ok\xff\xfe!");
  g_autofree char *newline = shown ("one\ntwo");
  g_autofree char *tab = shown ("a\tb");

  g_assert_cmpstr (esc, ==, "a^[[31mred^[]0;pwned^G");
  g_assert_cmpuint (count_inert ("a\x1b[31m"), ==, 2);
  g_assert_cmpstr (c0, ==, "x^My^?z^A");
  g_assert_cmpstr (c1, ==, "\xef\xbf\xbd" "2J" "\xef\xbf\xbd" "0;t" "\xef\xbf\xbd");
  g_assert_cmpstr (bidi, ==, "abc\xef\xbf\xbd" "def\xef\xbf\xbd" "g");
  g_assert_cmpstr (bad, ==, "ok\xef\xbf\xbd\xef\xbf\xbd!");
  g_assert_cmpstr (newline, ==, "one^Jtwo");
  g_assert_cmpstr (tab, ==, "a   b");
  /* The marks that only say which way a letter goes stay (zero width). */
  g_assert_cmpuint (count_inert ("a\xe2\x80\x8f" "b"), ==, 0);

  assert_harmless ("a\x1b[31mred\x1b]0;pwned\x07\x1b[2J\r\x08\x7f");
  assert_harmless ("\xc2\x80\xc2\x85\xc2\x9b\xc2\x9f\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa9");
  assert_harmless ("\xff\xc0\xaf\xed\xa0\x80");   /* no UTF-8: bad bytes, overlong, surrogate */
}

static void
test_combining_pile (void)
{
  g_autoptr(GString) zalgo = g_string_new ("a");
  g_autoptr(GArray) cells = NULL;

  for (guint i = 0; i < 50; i++)
    g_string_append (zalgo, "\xcc\x81");
  cells = hl_tui_cells_new (zalgo->str);
  g_assert_cmpuint (cells->len, ==, 1);
  g_assert_cmpuint (g_array_index (cells, HlTuiCell, 0).chars[HL_TUI_CELL_CHARS], ==, 0);
}

static char *
line_text (GPtrArray *lines,
           guint      i)
{
  return hl_tui_cells_to_utf8 (g_ptr_array_index (lines, i));
}

static guint
line_width (GPtrArray *lines,
            guint      i)
{
  GArray *cells = g_ptr_array_index (lines, i);
  guint width = 0;

  for (guint j = 0; j < cells->len; j++)
    width += g_array_index (cells, HlTuiCell, j).width;
  return width;
}

static void
test_wrap (void)
{
  g_autoptr(GPtrArray) words = hl_tui_wrap ("The quick brown fox jumps", 10);
  g_autoptr(GPtrArray) long_word = hl_tui_wrap ("abcdefghijklmnop", 6);
  g_autoptr(GPtrArray) cjk = hl_tui_wrap ("漢字漢字漢", 5);
  g_autoptr(GPtrArray) paragraphs = hl_tui_wrap ("one\r\n\r\n  two", 20);
  g_autoptr(GPtrArray) empty = hl_tui_wrap ("", 20);
  g_autofree char *w0 = line_text (words, 0);
  g_autofree char *w1 = line_text (words, 1);
  g_autofree char *w2 = line_text (words, 2);
  g_autofree char *l0 = line_text (long_word, 0);
  g_autofree char *l2 = line_text (long_word, 2);
  g_autofree char *p2 = line_text (paragraphs, 2);

  g_assert_cmpuint (words->len, ==, 3);
  g_assert_cmpstr (w0, ==, "The quick");
  g_assert_cmpstr (w1, ==, "brown fox");
  g_assert_cmpstr (w2, ==, "jumps");
  g_assert_cmpuint (long_word->len, ==, 3);
  g_assert_cmpstr (l0, ==, "abcdef");
  g_assert_cmpstr (l2, ==, "mnop");
  /* Two columns a character: 2 + 2 fit in 5, never half of one. */
  g_assert_cmpuint (cjk->len, ==, 3);
  for (guint i = 0; i < cjk->len; i++)
    g_assert_cmpuint (line_width (cjk, i), <=, 5);
  g_assert_cmpuint (line_width (cjk, 0), ==, 4);
  /* CR LF ends lines as LF does; the first line's indent stays. */
  g_assert_cmpuint (paragraphs->len, ==, 3);
  g_assert_cmpstr (p2, ==, "  two");
  g_assert_cmpuint (line_width (paragraphs, 1), ==, 0);
  g_assert_cmpuint (empty->len, ==, 1);
}

static void
test_fit (void)
{
  g_autoptr(GArray) cells = hl_tui_cells_new ("漢字 title");
  gboolean cut = FALSE;

  g_assert_cmpuint (hl_tui_cells_fit (cells, 20, &cut), ==, cells->len);
  g_assert_false (cut);
  /* 5 columns: 漢 (2), 字 (2), and one left for the ellipsis. */
  g_assert_cmpuint (hl_tui_cells_fit (cells, 5, &cut), ==, 2);
  g_assert_true (cut);
  /* 4 columns: the second wide character would leave no room for it. */
  g_assert_cmpuint (hl_tui_cells_fit (cells, 4, &cut), ==, 1);
  g_assert_true (cut);
}

int
main (int   argc,
      char *argv[])
{
  /* wcwidth() knows widths only in a UTF-8 locale, as the client's is. */
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("The C.UTF-8 locale is missing");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tui/text/widths", test_widths);
  g_test_add_func ("/tui/text/rtl-unchanged", test_rtl_unchanged);
  g_test_add_func ("/tui/text/controls-inert", test_controls_inert);
  g_test_add_func ("/tui/text/combining-pile", test_combining_pile);
  g_test_add_func ("/tui/text/wrap", test_wrap);
  g_test_add_func ("/tui/text/fit", test_fit);
  return g_test_run ();
}
