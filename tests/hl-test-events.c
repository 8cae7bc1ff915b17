/* hl-test-events.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-events.h"

HlIdentity *
hl_test_identity (guint8 n)
{
  guint8 seed[32];

  memset (seed, n, sizeof seed);
  return hl_identity_new_from_seed (seed);
}

HlEvent *
hl_test_event (HlIdentity   *author,
               const char   *kind,
               guint64       ms,
               guint32       ctr,
               const guint8 *ref,
               const char   *body_format,
               ...)
{
  g_autofree char *body = NULL;
  HlTimestamp ts = { ms, ctr };
  HlEvent *event;
  va_list args;

  va_start (args, body_format);
  body = g_strdup_vprintf (body_format, args);
  va_end (args);

  event = hl_event_new (kind, hl_identity_get_public_key (author), &ts, ref, body);
  hl_event_sign (event, author);
  return event;
}

char *
hl_test_hex (const guint8 *id)
{
  return hl_hex_dup (id, HL_ID_LEN);
}
