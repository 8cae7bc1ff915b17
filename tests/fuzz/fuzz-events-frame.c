/* fuzz-events-frame.c: an EVENTS frame from a peer, read record by record
 * as the node's verifier reads it.
 *
 * Input: the whole frame, kind byte first. Invariants: the reader never
 * reads outside the frame (ASan: libFuzzer hands over exactly @size
 * bytes), each record moves it forward and ends inside the frame, a record
 * is either an event or refused with a reason, and every accepted event
 * writes back to exactly the bytes of its record.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "fuzz-sync-init.h"

#include "hl-sync-wire.h"

/* A fixed clock, so that a run depends on its input alone: 2027-01-15. */
#define NOW_MS        1800000000000
#define MAX_FUTURE_MS (10 * 60 * 1000)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const guint8 *p = data, *end = data + size;

  fuzz_sync_init ();

  if (size == 0)
    return 0;
  p++;   /* the kind byte */
  while (p < end)
    {
      const guint8 *start = p;
      g_autoptr(HlEvent) event = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GByteArray) again = NULL;
      const guint8 *raw;
      gsize raw_len;

      if (!hl_sync_get_event (&p, end, NOW_MS, MAX_FUTURE_MS, &event, &error))
        {
          g_assert_nonnull (error);
          g_assert_null (event);
          break;
        }
      g_assert_true (p > start && p <= end);
      if (event == NULL)
        {
          g_assert_nonnull (error);
          continue;
        }
      g_assert_no_error (error);
      raw = g_bytes_get_data (event->canonical, &raw_len);
      again = g_byte_array_new ();
      hl_sync_put_event (again, raw, raw_len, event->sig);
      g_assert_cmpmem (again->data, again->len, start, (gsize) (p - start));
    }
  return 0;
}
