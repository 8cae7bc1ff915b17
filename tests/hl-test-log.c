/* hl-test-log.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-log.h"

typedef struct
{
  GLogLevelFlags  level;
  char           *message;
} Entry;

static GArray *kept;   /* Entry */

static void
entry_clear (gpointer data)
{
  g_free (((Entry *) data)->message);
}

static GLogWriterOutput
keep_writer (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  Entry entry = { level & G_LOG_LEVEL_MASK, NULL };

  if ((level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE)) == 0)
    return g_log_writer_default (level, fields, n_fields, user_data);
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      entry.message = fields[i].length < 0 ? g_strdup (fields[i].value)
                                           : g_strndup (fields[i].value, fields[i].length);
  g_array_append_val (kept, entry);
  return G_LOG_WRITER_HANDLED;
}

void
hl_test_log_capture (void)
{
  kept = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (kept, entry_clear);
  g_log_set_writer_func (keep_writer, NULL, NULL);
}

void
hl_test_log_expect (GLogLevelFlags  level,
                    const char     *pattern)
{
  guint found = G_MAXUINT, n = 0;

  for (guint i = 0; i < kept->len; i++)
    {
      Entry *entry = &g_array_index (kept, Entry, i);

      if (entry->level == level && entry->message != NULL &&
          g_pattern_match_simple (pattern, entry->message))
        found = i, n++;
    }
  if (n != 1)
    g_error ("Expected one log entry matching “%s”, found %u", pattern, n);
  g_array_remove_index (kept, found);
}

void
hl_test_log_assert_nothing (void)
{
  for (guint i = 0; i < kept->len; i++)
    g_printerr ("# unexpected: %s\n", g_array_index (kept, Entry, i).message);
  g_assert_cmpuint (kept->len, ==, 0);
}
