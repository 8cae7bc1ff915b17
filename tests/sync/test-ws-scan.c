/* test-ws-scan.c: the scanner under the node's WebSockets (hl-ws-scan.c),
 * byte by byte: what passes, where it stops, and why.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-wire.h"
#include "hl-ws-scan.h"

static const char head[] = "GET / HTTP/1.1\r\nHost: node\r\nUpgrade: websocket\r\n\r\n";

/* A masked frame header for @len payload bytes, then the payload (zeros). */
static void
put_frame (GByteArray *out,
           guint8      first,
           guint64     len,
           gboolean    with_payload)
{
  guint8 header[14] = { first };
  guint n = 1;

  if (len < 126)
    header[n++] = 0x80 | (guint8) len;
  else if (len < 65536)
    {
      header[n++] = 0x80 | 126;
      header[n++] = (guint8) (len >> 8);
      header[n++] = (guint8) len;
    }
  else
    {
      header[n++] = 0x80 | 127;
      for (int shift = 56; shift >= 0; shift -= 8)
        header[n++] = (guint8) (len >> shift);
    }
  n += 4;   /* a zero mask */
  g_byte_array_append (out, header, n);
  if (with_payload)
    {
      g_autofree guint8 *zeros = g_malloc0 (len);
      g_byte_array_append (out, zeros, (guint) len);
    }
}

/* Feeds @data as a reader would: what does not pass comes again. Returns
 * the bytes that passed in all. */
static gsize
feed_all (HlWsScan     *scan,
          const guint8 *data,
          gsize         len)
{
  gsize done = 0;

  while (done < len && scan->phase != HL_WS_SCAN_BROKEN)
    done += hl_ws_scan_feed (scan, data + done, len - done);
  return done;
}

static void
test_head (void)
{
  HlWsScan scan;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  /* The head passes alone: the frames behind it wait for the upgrade. */
  hl_ws_scan_init (&scan, TRUE);
  g_byte_array_append (bytes, (const guint8 *) head, sizeof head - 1);
  put_frame (bytes, 0x81, 5, TRUE);
  g_assert_cmpuint (hl_ws_scan_feed (&scan, bytes->data, bytes->len), ==, sizeof head - 1);
  g_assert_true (scan.head_done);
  g_assert_cmpint (scan.phase, ==, HL_WS_SCAN_FRAMES);
  hl_ws_scan_clear (&scan);

  /* Bare LF lines, and an empty line before the request line. */
  hl_ws_scan_init (&scan, TRUE);
  g_assert_cmpuint (hl_ws_scan_feed (&scan, (const guint8 *) "\r\nGET / HTTP/1.1\nHost: n\n\nxx", 28),
                    ==, 26);
  g_assert_true (scan.head_done);
  hl_ws_scan_clear (&scan);

  /* Over 8 KiB: exactly 8 KiB passes, byte by byte or at once. */
  for (guint at_once = 0; at_once < 2; at_once++)
    {
      g_autofree char *long_head = g_strnfill (HL_SYNC_MAX_HTTP_HEAD + 100, 'h');
      gsize passed = 0;

      hl_ws_scan_init (&scan, TRUE);
      if (at_once)
        passed = hl_ws_scan_feed (&scan, (const guint8 *) long_head, strlen (long_head));
      else
        for (gsize i = 0; i < strlen (long_head) && scan.phase != HL_WS_SCAN_BROKEN; i++)
          passed += hl_ws_scan_feed (&scan, (const guint8 *) long_head + i, 1);
      g_assert_cmpuint (passed, ==, HL_SYNC_MAX_HTTP_HEAD);
      g_assert_cmpint (scan.phase, ==, HL_WS_SCAN_BROKEN);
      g_assert_cmpuint (scan.breach, ==, 1009);
      g_assert_nonnull (strstr (scan.why, "longer than 8 KiB"));
      hl_ws_scan_clear (&scan);
    }
}

static void
test_one_frame_per_feed_until_ready (void)
{
  HlWsScan scan;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint first;

  hl_ws_scan_init (&scan, FALSE);
  put_frame (bytes, 0x81, 100, TRUE);
  first = bytes->len;
  put_frame (bytes, 0x81, 20 * 1024, TRUE);
  /* Before ready, the feed stops after the first frame... */
  g_assert_cmpuint (hl_ws_scan_feed (&scan, bytes->data, bytes->len), ==, first);
  /* ... whose auth makes the connection ready: the 20 KiB one then passes. */
  hl_ws_scan_set_ready (&scan);
  g_assert_cmpuint (hl_ws_scan_feed (&scan, bytes->data + first, bytes->len - first), ==,
                    bytes->len - first);
  g_assert_cmpint (scan.phase, ==, HL_WS_SCAN_FRAMES);
  hl_ws_scan_clear (&scan);

  /* Not ready: the same 20 KiB frame is refused before any of it passes. */
  hl_ws_scan_init (&scan, FALSE);
  g_assert_cmpuint (feed_all (&scan, bytes->data, bytes->len), ==, first);
  g_assert_cmpuint (scan.breach, ==, 1009);
  g_assert_nonnull (strstr (scan.why, "larger than 16 KiB before the handshake finished"));
  hl_ws_scan_clear (&scan);
}

/* A binary message of @n fragments of @size bytes, with a ping between the
 * first two: the bytes that pass (0: all) and the breach (0: none). */
static void
fragments (gboolean  ready,
           guint     n,
           gsize     size,
           gsize     expected_pass,
           gushort   expected_breach)
{
  HlWsScan scan;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  hl_ws_scan_init (&scan, FALSE);
  if (ready)
    hl_ws_scan_set_ready (&scan);
  for (guint i = 0; i < n; i++)
    {
      put_frame (bytes, (i == n - 1 ? 0x80 : 0x00) | (i == 0 ? 0x02 : 0x00), size, TRUE);
      if (i == 0)
        put_frame (bytes, 0x89, 4, TRUE);   /* control frames may come between fragments */
    }
  g_assert_cmpuint (feed_all (&scan, bytes->data, bytes->len), ==,
                    expected_pass ? expected_pass : bytes->len);
  g_assert_cmpuint (scan.breach, ==, expected_breach);
  hl_ws_scan_clear (&scan);
}

static void
test_fragments (void)
{
  gsize frame = 4 + 4 + 4096, ping = 2 + 4 + 4;

  /* 16 KiB in 4 fragments of 4 KiB: exactly the limit. */
  fragments (FALSE, 4, 4096, 0, 0);
  /* One more: the fifth fragment's header is where it stops. */
  fragments (FALSE, 5, 4096, 4 * frame + ping, 1009);
  /* Ready: 2 MiB passes, 2 MiB and 4 KiB does not. */
  fragments (TRUE, 512, 4096, 0, 0);
  fragments (TRUE, 513, 4096, 512 * frame + ping, 1009);
}

static void
test_breaches (void)
{
  static const struct { guint8 first; guint64 len; gushort code; const char *words; } cases[] = {
    { 0xc1, 5, 1002, "reserved bits" },                 /* RSV1: a compressed frame */
    { 0xa2, 5, 1002, "reserved bits" },                 /* RSV2 */
    { 0x89, 126, 1002, "a control frame" },             /* a ping over 125 bytes */
    { 0x09, 5, 1002, "a control frame" },               /* a fragmented ping */
    { 0x82, G_MAXUINT64, 1009, "larger than 2 MiB" },   /* a 64-bit length with its top bit */
    { 0x82, 64 * 1024 * 1024, 1009, "larger than 2 MiB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HlWsScan scan;
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      gsize passed = 0;

      hl_ws_scan_init (&scan, FALSE);
      hl_ws_scan_set_ready (&scan);
      put_frame (bytes, cases[i].first, cases[i].len, FALSE);
      /* A byte at a time: nothing of the header may pass once it is judged
       * (the bytes before are a partial header, of no use to a reader). */
      for (guint b = 0; b < bytes->len && scan.phase != HL_WS_SCAN_BROKEN; b++)
        passed += hl_ws_scan_feed (&scan, bytes->data + b, 1);
      g_assert_cmpint (scan.phase, ==, HL_WS_SCAN_BROKEN);
      g_assert_cmpuint (passed, <, bytes->len);
      g_assert_cmpuint (scan.breach, ==, cases[i].code);
      g_assert_nonnull (strstr (scan.why, cases[i].words));
      hl_ws_scan_clear (&scan);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ws-scan/head", test_head);
  g_test_add_func ("/ws-scan/one-frame-per-feed-until-ready", test_one_frame_per_feed_until_ready);
  g_test_add_func ("/ws-scan/fragments", test_fragments);
  g_test_add_func ("/ws-scan/breaches", test_breaches);
  return g_test_run ();
}
