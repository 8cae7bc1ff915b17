/* bench-attack-wire.c: attacks made of what one connection sends: a
 * deflate bomb, 64 MiB in fragments, frames above the limit, oversized
 * HTTP heads, messages above the rate, events the node refuses. Each unit
 * of work is one connection (and, for the floods, the banned key trying
 * again), made with the raw WebSocket client of tests/sync/hl-test-raw.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-attack.h"

#include "hl-event.h"
#include "hl-identity.h"
#include "hl-sync-wire.h"

#define CHUNK (64 * 1024)

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

/* ---- a raw client that does not assert ---- */

HlTestRaw *
raw_connect (Run        *run,
             const char *from)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = hl_test_tcp_connect (from, "127.0.0.1", run->victim->port, &error);

  if (socket == NULL)
    {
      run_saw (run, "no TCP connection", error->message);
      return NULL;
    }
  return hl_test_raw_new (socket);
}

guint
raw_try_upgrade (HlTestRaw   *raw,
                 const char  *extensions,
                 char       **head)
{
  g_autoptr(GString) request = g_string_new ("GET / HTTP/1.1\r\nHost: node\r\n"
                                             "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                             "Sec-WebSocket-Version: 13\r\n"
                                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                             "Sec-WebSocket-Protocol: " HL_SYNC_SUBPROTOCOL "\r\n");
  gint64 deadline = now_us () + 10 * G_USEC_PER_SEC;
  const char *end = NULL;
  gsize len;

  if (extensions != NULL)
    g_string_append_printf (request, "Sec-WebSocket-Extensions: %s\r\n", extensions);
  g_string_append (request, "\r\n");
  if (!hl_test_raw_send (raw, request->str, request->len))
    return 0;
  while ((raw->in->len == 0 ||
          (end = g_strstr_len ((const char *) raw->in->data, raw->in->len, "\r\n\r\n")) == NULL) &&
         now_us () < deadline && hl_test_raw_read_some (raw, 200))
    ;
  if (end == NULL)
    return 0;
  len = end + 4 - (const char *) raw->in->data;
  if (head != NULL)
    *head = g_strndup ((const char *) raw->in->data, len);
  {
    g_autofree char *status = g_strndup ((const char *) raw->in->data, MIN (len, 16));
    g_byte_array_remove_range (raw->in, 0, (guint) len);
    if (!g_str_has_prefix (status, "HTTP/1.1 "))
      return 0;
    return (guint) g_ascii_strtoull (status + 9, NULL, 10);
  }
}

gboolean
raw_try_handshake (HlTestRaw  *raw,
                   HlIdentity *identity)
{
  g_autoptr(JsonObject) hello = NULL;
  g_autoptr(JsonObject) auth = NULL;
  g_autofree char *mine = NULL;

  hl_test_raw_hello (raw, identity,
                     "\"version\":1,\"min_version\":1,\"software\":\"bench-attack/1\",\"caps\":[]");
  hello = hl_test_raw_wait_type (raw, "hello", 10);
  if (hello == NULL || raw->got_close)
    return FALSE;
  mine = hl_test_raw_auth_text (raw, identity);
  hl_test_raw_text (raw, mine);
  auth = hl_test_raw_wait_type (raw, "auth", 10);
  return auth != NULL && !raw->got_close;
}

guint64
raw_send_while_open (HlTestRaw    *raw,
                     const guint8 *data,
                     gsize         len)
{
  gint64 deadline = now_us () + 15 * G_USEC_PER_SEC;
  gsize sent = 0;

  while (sent < len && !raw->got_close && !raw->eof && now_us () < deadline)
    {
      GIOCondition ready;

      if (!g_socket_condition_timed_wait (raw->socket, G_IO_IN | G_IO_OUT, 100 * 1000, NULL, NULL))
        continue;
      ready = g_socket_condition_check (raw->socket, G_IO_IN | G_IO_OUT | G_IO_HUP | G_IO_ERR);
      if (ready & (G_IO_IN | G_IO_HUP | G_IO_ERR))
        {
          hl_test_raw_read_some (raw, 0);
          hl_test_raw_parse (raw);
        }
      else if (ready & G_IO_OUT)
        {
          g_autoptr(GError) error = NULL;
          gssize n = g_socket_send_with_blocking (raw->socket, (const char *) data + sent,
                                                  MIN (CHUNK, len - sent), FALSE, NULL, &error);

          if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            break;
          sent += MAX (n, 0);
        }
    }
  return sent;
}

void
raw_note_close (Run        *run,
                HlTestRaw  *raw,
                const char *when)
{
  gushort code = hl_test_raw_wait_close (raw, 10);
  g_autoptr(JsonObject) error = hl_test_raw_wait_type (raw, "error", 0);
  const char *words = NULL;
  g_autofree char *answer = NULL;

  if (error != NULL)
    words = json_object_get_string_member_with_default (error, "message", NULL);
  if (code != 0)
    answer = g_strdup_printf ("%u", code);
  else
    answer = g_strdup (raw->eof ? "TCP" : "no close in 10 s");
  if (when != NULL)
    {
      char *with = g_strdup_printf ("%s %s", answer, when);
      g_free (answer);
      answer = with;
    }
  run_saw (run, answer, words);
}

static gboolean
head_has (const char *head,
          const char *name)
{
  g_autofree char *lower_head = g_ascii_strdown (head, -1);
  g_autofree char *lower_name = g_ascii_strdown (name, -1);

  return strstr (lower_head, lower_name) != NULL;
}

static void
note_refused_upgrade (Run   *run,
                      guint  status)
{
  g_autofree char *answer = status ? g_strdup_printf ("HTTP %u", status) : g_strdup ("no upgrade");

  run_saw (run, answer, NULL);
}

/* A connection upgraded (and, if @identity, handshaken), or NULL with the
 * reason noted. */
static HlTestRaw *
open_ws (Run        *run,
         const char *from,
         HlIdentity *identity)
{
  g_autoptr(HlTestRaw) raw = raw_connect (run, from);
  guint status;

  if (raw == NULL)
    return NULL;
  if ((status = raw_try_upgrade (raw, NULL, NULL)) != 101)
    {
      note_refused_upgrade (run, status);
      return NULL;
    }
  if (identity != NULL && !raw_try_handshake (raw, identity))
    {
      raw_note_close (run, raw, "at the handshake");
      return NULL;
    }
  return g_steal_pointer (&raw);
}

/* ---- 1. an inflation bomb ---- */

/* Raw deflate of @len zeros with @flags, appended to @out. */
static void
deflate_zeros (GConverter      *deflater,
               gsize            len,
               GConverterFlags  flags,
               GByteArray      *out)
{
  g_autofree guint8 *zeros = g_malloc0 (MAX (len, 1));
  guint8 buffer[CHUNK];
  gsize at = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gsize read = 0, written = 0;
      GConverterResult result = g_converter_convert (deflater, zeros + at, len - at, buffer,
                                                     sizeof buffer, flags, &read, &written, &error);

      if (result == G_CONVERTER_ERROR)
        g_error ("Cannot deflate the bomb: %s", error->message);
      g_byte_array_append (out, buffer, (guint) written);
      at += read;
      if (result == G_CONVERTER_FINISHED || result == G_CONVERTER_FLUSHED)
        return;
    }
}

/* 512 MiB of zeros as one raw deflate stream (permessage-deflate's
 * payload), about 0.5 MB: the first MiB, then the second repeated (after a
 * flush it only refers back to zeros, so it inflates to zeros wherever it
 * stands), then the last. */
static GBytes *
make_bomb (void)
{
  g_autoptr(GZlibCompressor) deflater = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9);
  g_autoptr(GByteArray) bomb = g_byte_array_new ();
  g_autoptr(GByteArray) again = g_byte_array_new ();

  deflate_zeros (G_CONVERTER (deflater), MIB, G_CONVERTER_FLUSH, bomb);
  deflate_zeros (G_CONVERTER (deflater), MIB, G_CONVERTER_FLUSH, again);
  for (guint i = 1; i < 511; i++)
    g_byte_array_append (bomb, again->data, again->len);
  deflate_zeros (G_CONVERTER (deflater), MIB, G_CONVERTER_INPUT_AT_END, bomb);
  return g_byte_array_free_to_bytes (g_steal_pointer (&bomb));
}

static GByteArray *bomb_frame;

static gboolean
inflate_unit (Run   *run,
              guint  index)
{
  g_autoptr(HlTestRaw) raw = raw_connect (run, "127.0.0.21");
  g_autofree char *head = NULL;
  guint status;

  if (raw == NULL)
    return TRUE;
  status = raw_try_upgrade (raw, "permessage-deflate; client_max_window_bits", &head);
  if (status != 101)
    {
      note_refused_upgrade (run, status);
      return TRUE;
    }
  if (head_has (head, "Sec-WebSocket-Extensions"))
    run_saw (run, "deflate agreed", head);
  run_sent (run, 1, raw_send_while_open (raw, bomb_frame->data, bomb_frame->len));
  raw_note_close (run, raw, NULL);
  return TRUE;
}

void
attack_inflate (Run *run)
{
  g_autoptr(GBytes) bomb = make_bomb ();
  gsize len;
  const guint8 *data = g_bytes_get_data (bomb, &len);

  bomb_frame = g_byte_array_new ();
  /* FIN, RSV1 (compressed), binary; a zero mask is a mask. */
  hl_test_put_frame (bomb_frame, 0x80 | 0x40 | 0x02, data, len, TRUE);
  run->unit_name = "bombs";
  run_note (run, "each a %.2f MB compressed (RSV1) frame that inflates to 512 MiB, after a "
            "permessage-deflate offer", bomb_frame->len / 1e6);
  run_start (run);
  run_attack (run, inflate_unit, 1000);
  run_join (run);
  run_until_done (run);
  run_after (run);
  if (!g_hash_table_contains (run->answers, "deflate agreed"))
    run_note (run, "no 101 agreed to the extension");
  g_clear_pointer (&bomb_frame, g_byte_array_unref);
}

/* ---- 2. 64 MiB in small fragments, before and after the handshake ---- */

#define FLOOD_TOTAL    (64 * (guint64) MIB)
#define FLOOD_FRAGMENT 4096

/* One message of FLOOD_TOTAL bytes in fragments, all of it, as a peer that
 * reads nothing would send it: the node's close frame does not stop it,
 * only the end of TCP does. Returns the bytes the node took. */
static guint64
send_deaf_flood (HlTestRaw *raw)
{
  g_autofree guint8 *zeros = g_malloc0 (FLOOD_FRAGMENT);
  g_autoptr(GByteArray) first = g_byte_array_new ();
  g_autoptr(GByteArray) middles = g_byte_array_new ();
  guint64 sent = 0;

  hl_test_put_frame (first, 0x02, zeros, FLOOD_FRAGMENT, TRUE);
  for (guint i = 0; i < 16; i++)
    hl_test_put_frame (middles, 0x00, zeros, FLOOD_FRAGMENT, TRUE);
  if (!hl_test_raw_send (raw, first->data, first->len))
    return 0;
  for (sent = FLOOD_FRAGMENT; sent < FLOOD_TOTAL; sent += 16 * FLOOD_FRAGMENT)
    if (!hl_test_raw_send (raw, middles->data, middles->len))
      break;
  return MIN (sent, FLOOD_TOTAL);
}

static gboolean
fragments_unit (Run   *run,
                guint  index)
{
  gboolean after = index % 2 == 1;
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlTestRaw) raw = open_ws (run, "127.0.0.22", after ? me : NULL);

  if (raw == NULL)
    return TRUE;
  run_sent (run, 1, send_deaf_flood (raw));
  raw_note_close (run, raw, after ? "after" : "before");
  return TRUE;
}

void
attack_fragments (Run *run)
{
  run->unit_name = "messages";
  run_note (run, "each a 64 MiB binary message in 4 KiB fragments, by turns before and after "
            "the handshake, all of it sent whatever the node answers (until its TCP ends)");
  run_start (run);
  run_attack (run, fragments_unit, 100);
  run_join (run);
  run_until_done (run);
  run_after (run);
}

/* ---- 3. single frames above the limit ---- */

static gboolean
big_frame_unit (Run   *run,
                guint  index)
{
  static const gsize after_payload = HL_SYNC_MAX_MESSAGE + 4 * CHUNK;
  gboolean after = index % 2 == 1;
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlTestRaw) raw = open_ws (run, "127.0.0.23", after ? me : NULL);
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autofree guint8 *zeros = NULL;
  guint64 sent;

  if (raw == NULL)
    return TRUE;
  if (!after)
    {
      /* 20 KiB, above the 16 KiB before ready. */
      zeros = g_malloc0 (20 * 1024);
      hl_test_put_frame (frame, 0x82, zeros, 20 * 1024, TRUE);
      sent = raw_send_while_open (raw, frame->data, frame->len);
    }
  else
    {
      /* A header announcing 64 MiB, then 2 MiB and a bit of it. */
      zeros = g_malloc0 (after_payload);
      hl_test_put_frame (frame, 0x82, NULL, 64 * (guint64) MIB, TRUE);
      sent = raw_send_while_open (raw, frame->data, frame->len);
      sent += raw_send_while_open (raw, zeros, after_payload);
    }
  run_sent (run, 1, sent);
  raw_note_close (run, raw, after ? "after" : "before");
  return TRUE;
}

void
attack_big_frame (Run *run)
{
  run->unit_name = "frames";
  run_note (run, "by turns a 20 KiB frame before the handshake, and after it a header announcing "
            "64 MiB followed by 2.25 MiB of it");
  run_start (run);
  run_attack (run, big_frame_unit, 400);
  run_join (run);
  run_until_done (run);
  run_after (run);
}

/* ---- 4a. an oversized HTTP head ---- */

static gboolean
http_head_unit (Run   *run,
                guint  index)
{
  g_autoptr(HlTestRaw) raw = raw_connect (run, "127.0.0.24");
  g_autoptr(GString) head = g_string_new ("GET / HTTP/1.1\r\nHost: node\r\n");
  gint64 deadline = now_us () + 10 * G_USEC_PER_SEC;

  if (raw == NULL)
    return TRUE;
  while (head->len < 9 * 1024)
    g_string_append_printf (head, "X-Filler-%" G_GSIZE_FORMAT ": 0123456789abcdef\r\n", head->len);
  /* By turns ended by its blank line, and never ended. */
  if (index % 2 == 1)
    g_string_append (head, "\r\n");
  run_sent (run, 1, raw_send_while_open (raw, (const guint8 *) head->str, head->len));
  while (!raw->eof && now_us () < deadline)
    hl_test_raw_read_some (raw, 100);
  if (raw->in->len >= 12 && g_str_has_prefix ((const char *) raw->in->data, "HTTP/1.1 "))
    {
      g_autofree char *answer = g_strdup_printf ("HTTP %.3s", (const char *) raw->in->data + 9);
      run_saw (run, answer, NULL);
    }
  else
    run_saw (run, raw->eof ? "TCP" : "open after 10 s", NULL);
  return TRUE;
}

void
attack_http_head (Run *run)
{
  run->unit_name = "requests";
  run_note (run, "each a 9 KiB request head (the limit is 8 KiB), by turns with and without its "
            "blank line");
  run_start (run);
  run_attack (run, http_head_unit, 2000);
  run_join (run);
  run_until_done (run);
  run_after (run);
}

/* ---- 9a. messages above the rate limit ---- */

#define FLOOD_PINGS 8000

/* After its ban, the key dials again. */
static void
try_again (Run        *run,
           const char *from,
           HlIdentity *identity)
{
  g_autoptr(HlTestRaw) raw = open_ws (run, from, NULL);

  if (raw == NULL)
    return;
  hl_test_raw_hello (raw, identity, "\"version\":1");
  raw_note_close (run, raw, "again");
}

static gboolean
rate_flood_unit (Run   *run,
                 guint  index)
{
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(GByteArray) pings = g_byte_array_new ();
  static const char ping[] = "{\"type\":\"ping\"}";
  gsize frame_len;
  guint64 sent;

  {
    g_autoptr(HlTestRaw) raw = open_ws (run, "127.0.0.60", me);

    if (raw == NULL)
      return TRUE;
    for (guint i = 0; i < FLOOD_PINGS; i++)
      hl_test_put_frame (pings, 0x81, (const guint8 *) ping, sizeof ping - 1, TRUE);
    frame_len = pings->len / FLOOD_PINGS;
    sent = raw_send_while_open (raw, pings->data, pings->len);
    run_sent (run, sent / frame_len, sent);
    raw_note_close (run, raw, NULL);
  }
  try_again (run, "127.0.0.60", me);
  return TRUE;
}

void
attack_rate_flood (Run *run)
{
  run->unit_name = "messages";
  run_note (run, "keys made for it, each sending %u pings at once (the limit is 1000/s, bursts "
            "of 4000), then dialling again once banned", FLOOD_PINGS);
  run_start (run);
  run_attack (run, rate_flood_unit, 30);
  run_join (run);
  run_until_done (run);
  run_after (run);
}

/* ---- 9b. events the node refuses ---- */

/* Refused by the strict rules of docs/protocol.md, taken by a lenient
 * reader (json-glib's parser, as the node once was): from the vectors. */
static const char * const lenient_cases[] = {
  "body/nul-escape-reply/canonical",
  "body/nul-escape-title/canonical",
  "body/block-comment/canonical",
  "body/single-quotes/canonical",
  "body/two-objects/canonical",
  "body/byte-order-mark/canonical",
  "body/duplicate/canonical",
  "kind/subnet.create/name-ideographic-space/canonical",
  "kind/subnet.create/ref/canonical",
  "kind/moderator.add/uppercase/canonical",
};

typedef struct
{
  GPtrArray *lenient;      /* GBytes *: a record each (varint, canonical, signature) */
} BadEvents;

static GBytes *
record_from_case (JsonObject *c)
{
  const char *canonical_hex = json_object_get_string_member (c, "canonical");
  const char *sig_hex = json_object_get_string_member (c, "sig");
  gsize len = strlen (canonical_hex) / 2;
  g_autofree guint8 *canonical = g_malloc (MAX (len, 1));
  guint8 sig[HL_SIG_LEN];
  g_autoptr(GByteArray) record = g_byte_array_new ();

  if (!hl_hex_decode (canonical_hex, canonical, len) || !hl_hex_decode (sig_hex, sig, sizeof sig))
    g_error ("A vector holds bad hex: %s", json_object_get_string_member (c, "name"));
  hl_sync_put_event (record, canonical, len, sig);
  return g_byte_array_free_to_bytes (g_steal_pointer (&record));
}

static GPtrArray *
load_lenient_cases (void)
{
  const char *dir = g_getenv ("HL_VECTORS_DIR") ? g_getenv ("HL_VECTORS_DIR") : HL_VECTORS_DIR;
  g_autofree char *path = g_build_filename (dir, "events.jsonl", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("Cannot read the conformance vectors: %s (set HL_VECTORS_DIR to tests/vectors)",
             error->message);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *c;

      if (*lines[i] == '\0' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      c = json_node_get_object (json_parser_get_root (parser));
      if (g_strv_contains (lenient_cases, json_object_get_string_member (c, "name")))
        g_ptr_array_add (records, record_from_case (c));
    }
  if (records->len != G_N_ELEMENTS (lenient_cases))
    g_error ("Found %u of the %u vectors bench-attack sends in %s", records->len,
             (guint) G_N_ELEMENTS (lenient_cases), path);
  return records;
}

/* An EVENTS frame of ten events with bad signatures, or of the lenient ones
 * starting from the @first (so that each leads a frame in turn: the node
 * logs the reason of a frame's first refusal). */
static void
put_bad_frame (GByteArray *frame,
               BadEvents  *bad,
               gboolean    lenient,
               guint       first)
{
  guint8 kind = HL_SYNC_FRAME_EVENTS;

  g_byte_array_append (frame, &kind, 1);
  for (guint i = 0; i < 10; i++)
    {
      if (lenient)
        {
          GBytes *record = g_ptr_array_index (bad->lenient, (first + i) % bad->lenient->len);
          gsize len;
          const guint8 *data = g_bytes_get_data (record, &len);

          g_byte_array_append (frame, data, (guint) len);
        }
      else
        {
          g_autoptr(HlIdentity) author = hl_identity_new_random ();
          HlTimestamp ts = { (guint64) hl_now_ms (), 0 };
          g_autoptr(HlEvent) event = hl_event_new (HL_KIND_SUBNET_CREATE,
                                                   hl_identity_get_public_key (author), &ts, NULL,
                                                   "{\"name\":\"forged\"}");
          gsize len;
          const guint8 *canonical;

          hl_event_sign (event, author);
          event->sig[5] ^= 0x80;
          canonical = g_bytes_get_data (event->canonical, &len);
          hl_sync_put_event (frame, canonical, len, event->sig);
        }
    }
}

static gboolean
bad_events_unit (Run   *run,
                 guint  index)
{
  BadEvents *bad = run->data;
  g_autoptr(HlIdentity) me = hl_identity_new_random ();

  {
    g_autoptr(HlTestRaw) raw = open_ws (run, "127.0.0.61", me);

    if (raw == NULL)
      return TRUE;
    for (guint i = 0; i < 20 && !raw->got_close && !raw->eof; i++)
      {
        g_autoptr(GByteArray) events = g_byte_array_new ();
        g_autoptr(GByteArray) frame = g_byte_array_new ();
        guint64 sent;

        /* Keys by turns lead with forged signatures or with lenient events. */
        put_bad_frame (events, bad, (index + i) % 2 == 1, index);
        hl_test_put_frame (frame, 0x82, events->data, events->len, TRUE);
        sent = raw_send_while_open (raw, frame->data, frame->len);
        run_sent (run, sent == frame->len ? 10 : 0, sent);
        hl_test_raw_read_some (raw, 50);
        hl_test_raw_parse (raw);
      }
    raw_note_close (run, raw, NULL);
  }
  try_again (run, "127.0.0.61", me);
  return TRUE;
}

/* The reasons ("[body-nul-escape]") the victim's log gave for frames of
 * refused events, counted. */
static void
note_refusal_reasons (Run *run)
{
  g_autoptr(GHashTable) reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *log = NULL;
  g_autofree gpointer *keys = NULL;
  guint n = 0;

  if (!g_file_get_contents (run->victim->log_path, &log, NULL, NULL))
    return;
  for (const char *at = log; (at = strstr (at, "bad events in a frame: ")) != NULL; at++)
    {
      const char *open = strchr (at, '[');
      const char *close = open ? strchr (open, ']') : NULL;
      const char *eol = strchr (at, '\n');

      if (close != NULL && (eol == NULL || close < eol))
        {
          char *reason = g_strndup (open + 1, close - open - 1);
          guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (reasons, reason));

          g_hash_table_insert (reasons, reason, GUINT_TO_POINTER (seen + 1));
        }
    }
  keys = g_hash_table_get_keys_as_array (reasons, &n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s ×%u", i ? ", " : "", (char *) keys[i],
                            GPOINTER_TO_UINT (g_hash_table_lookup (reasons, keys[i])));
  if (n > 0)
    run_note (run, "the node's reasons, the first refusal of each frame (its log): %s", text->str);
}

void
attack_bad_events (Run *run)
{
  BadEvents bad = { load_lenient_cases () };

  run->data = &bad;
  run->unit_name = "events";
  run_note (run, "keys made for it, each sending frames of 10 events by turns with forged "
            "signatures and from %u conformance vectors a lenient reader took (NUL escapes, "
            "comments, duplicates, U+3000 names, …), then dialling again once banned",
            bad.lenient->len);
  run_start (run);
  run_attack (run, bad_events_unit, 30);
  run_join (run);
  run_until_done (run);
  run_after (run);
  note_refusal_reasons (run);
  g_ptr_array_unref (bad.lenient);
  run->data = NULL;
}
