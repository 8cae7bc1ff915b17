/* hl-types.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-types.h"

#include <sodium.h>

int
hl_timestamp_compare (const HlTimestamp *a,
                      const HlTimestamp *b)
{
  if (a->ms != b->ms)
    return a->ms < b->ms ? -1 : 1;
  if (a->ctr != b->ctr)
    return a->ctr < b->ctr ? -1 : 1;
  return 0;
}

int
hl_u64_compare (const void *a,
                const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* libsodium's hex runs in constant time, which the secret seed needs; it
 * costs tens of nanoseconds an id more than a table would (encoding) or less
 * (decoding), nothing beside verifying a signature, so ids use it too. */
void
hl_hex_encode (const guint8 *data,
               gsize         len,
               char         *out)
{
  sodium_bin2hex (out, 2 * len + 1, data, len);
}

char *
hl_hex_dup (const guint8 *data,
            gsize         len)
{
  char *out = g_malloc (2 * len + 1);

  hl_hex_encode (data, len, out);
  return out;
}

gboolean
hl_hex_decode (const char *hex,
               guint8     *out,
               gsize       len)
{
  size_t decoded = 0;

  if (hex == NULL || strlen (hex) != 2 * len)
    return FALSE;
  return sodium_hex2bin (out, len, hex, 2 * len, NULL, &decoded, NULL) == 0 && decoded == len;
}

gboolean
hl_hex_is_prefix (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > HL_ID_HEX_LEN)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

gint64
hl_now_ms (void)
{
  return g_get_real_time () / 1000;
}

guint
hl_id_hash (gconstpointer id)
{
  guint h;

  memcpy (&h, id, sizeof h);
  return h;
}

gboolean
hl_id_equal (gconstpointer a,
             gconstpointer b)
{
  return memcmp (a, b, HL_ID_LEN) == 0;
}
