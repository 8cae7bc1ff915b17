/* hl-types.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-types.h"

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

void
hl_hex_encode (const guint8 *data,
               gsize         len,
               char         *out)
{
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 0xf];
    }
  out[2 * len] = '\0';
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
  if (hex == NULL || strlen (hex) != 2 * len)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
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
