/* fuzz-replay.c: runs a fuzz target's entry point over saved inputs, so
 * that every build (gcc, ASan) checks the checked-in corpus and the target's
 * invariants without libFuzzer.
 *
 *   replay-fuzz-NAME DIR-OR-FILE...
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
/* Optional, as in libFuzzer: a target may set itself up once. */
int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));

static guint
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint8 *exact;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("Cannot read fuzz input %s: %s", path, error->message);
  /* An allocation of exactly the input's size, as libFuzzer gives, so that
   * ASan sees a read one byte past it. */
  exact = g_malloc (MAX (len, 1));
  memcpy (exact, contents, len);
  LLVMFuzzerTestOneInput (exact, len);
  g_free (exact);
  return 1;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static guint
replay (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return replay_file (path);
  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    n += replay (g_ptr_array_index (names, i));
  return n;
}

int
main (int    argc,
      char **argv)
{
  guint n = 0;

  if (argc < 2)
    {
      g_printerr ("Usage: %s DIR-OR-FILE...: runs the fuzz target over each input\n", argv[0]);
      return 2;
    }
  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    n += replay (argv[i]);
  if (n == 0)
    {
      g_printerr ("No inputs in %s: a fuzz target's corpus must be checked in\n", argv[1]);
      return 1;
    }
  g_print ("%u inputs replayed, every invariant held\n", n);
  return 0;
}
