/* fuzz-event-common.h: what the event fuzz targets share.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "hl-event.h"

#define FUZZ_NOW_MS         G_GINT64_CONSTANT (1700000000000)
#define FUZZ_MAX_FUTURE_MS  G_GINT64_CONSTANT (600000)

/* json-glib's parser recurses once per level: deeper texts would test the
 * stack, not the rules (the strict reader refuses anything past 32 anyway). */
#define FUZZ_MAX_TREE_DEPTH 256

static inline G_NORETURN void
fuzz_fail (const char *what)
{
  fprintf (stderr, "fuzz invariant broken: %s\n", what);
  abort ();
}

static inline G_NORETURN void
fuzz_fail_errors (const char   *what,
                  const GError *a,
                  const GError *b)
{
  fprintf (stderr, "fuzz invariant broken: %s\n  first:  %s\n  second: %s\n", what,
           a ? a->message : "(accepted)", b ? b->message : "(accepted)");
  abort ();
}

static inline void
fuzz_assert_same_refusal (const GError *a,
                          const GError *b)
{
  const char *ra = hl_event_error_reason (a);
  const char *rb = hl_event_error_reason (b);

  if (ra == NULL || rb == NULL)
    fuzz_fail_errors ("a refusal without a reason code", a, b);
  if (strcmp (ra, rb) != 0 || a->code != b->code)
    fuzz_fail_errors ("the two refusals differ", a, b);
}

/* The deepest bracket nesting in @text, ignoring strings: an upper bound
 * of what a parser would recurse through. */
static inline guint
fuzz_nesting (const char *text,
              gsize       len)
{
  guint depth = 0, max = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        max = MAX (max, ++depth);
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return max;
}
