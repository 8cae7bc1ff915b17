/* test-sync-limits.c: what a stranger can make a node hold, and whether it
 * still serves its friends: permessage-deflate, messages in many fragments,
 * frames above the limit, floods of half-sent requests, running out of
 * file descriptors, per-address limits, refused upgrades, and where the
 * node listens by default. Real hyperlinkd processes; a raw WebSocket
 * client that can send what libsoup never would.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE   /* setns () */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sodium.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "hl-sync-wire.h"
#include "hl-test-client.h"
#include "hl-test-fakets.h"
#include "hl-test-netns.h"

#define MIB (1024 * 1024)

/* ---- the node's memory and descriptors ---- */

static guint64
proc_kb (HlTestNode *node,
         const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (node->process));
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field) && lines[i][strlen (field)] == ':')
      return g_ascii_strtoull (lines[i] + strlen (field) + 1, NULL, 10);
  g_assert_not_reached ();
  return 0;
}

static guint
open_fds (HlTestNode *node)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (node->process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* The node's peak RSS grew by less than @bound_mib since @hwm_kb. */
static void
assert_peak_below (HlTestNode *node,
                   guint64     hwm_kb,
                   guint       bound_mib,
                   const char *what)
{
  guint64 now = proc_kb (node, "VmHWM");

  g_test_message ("measured: %s: node peak RSS %.1f MiB, %.1f MiB above the %.1f MiB before "
                  "(bound %u MiB)", what, now / 1024.0, (now - hwm_kb) / 1024.0, hwm_kb / 1024.0,
                  bound_mib);
  g_assert_cmpuint (now - hwm_kb, <, (guint64) bound_mib * 1024);
}

static gboolean
log_has (HlTestNode *node,
         gpointer    text)
{
  return hl_test_node_log_has (node, text);
}

static HlTestNode *
started_node (const char *name)
{
  HlTestNode *node = hl_test_node_new (name);

  hl_test_node_start (node);
  return node;
}

/* ---- a raw WebSocket client ---- */

typedef struct
{
  GSocket    *socket;
  GByteArray *in;          /* received, not yet parsed */
  GPtrArray  *texts;       /* char *: text messages */
  gboolean    got_close;
  gushort     close_code;
  gboolean    eof;
  guint8      their_key[HL_KEY_LEN];
} Raw;

static void
raw_free (Raw *raw)
{
  g_socket_close (raw->socket, NULL);
  g_object_unref (raw->socket);
  g_byte_array_unref (raw->in);
  g_ptr_array_unref (raw->texts);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static GSocket *
tcp_connect (const char  *from,
             const char  *to,
             guint16      port,
             GError     **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (to);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, port);
  g_autoptr(GSocket) socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL)
    return NULL;
  if (from != NULL)
    {
      g_autoptr(GInetAddress) local = g_inet_address_new_from_string (from);
      g_autoptr(GSocketAddress) bind_to = g_inet_socket_address_new (local, 0);

      if (!g_socket_bind (socket, bind_to, FALSE, error))
        return NULL;
    }
  g_socket_set_timeout (socket, 10);
  if (!g_socket_connect (socket, address, NULL, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static Raw *
raw_new (GSocket *socket)
{
  Raw *raw = g_new0 (Raw, 1);

  raw->socket = socket;
  raw->in = g_byte_array_new ();
  raw->texts = g_ptr_array_new_with_free_func (g_free);
  return raw;
}

static Raw *
raw_connect (HlTestNode *node)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = tcp_connect (NULL, "127.0.0.1", node->port, &error);

  g_assert_no_error (error);
  return raw_new (socket);
}

static gboolean
raw_send (Raw        *raw,
          const void *data,
          gsize       len)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = g_socket_send (raw->socket, (const char *) p, len, NULL, NULL);

      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Reads what came within @timeout_ms into raw->in; FALSE at the end. */
static gboolean
raw_read_some (Raw   *raw,
               guint  timeout_ms)
{
  guint8 buffer[65536];
  gssize n;

  if (raw->eof)
    return FALSE;
  if (!g_socket_condition_timed_wait (raw->socket, G_IO_IN, (gint64) timeout_ms * 1000, NULL, NULL))
    return TRUE;
  n = g_socket_receive (raw->socket, (char *) buffer, sizeof buffer, NULL, NULL);
  if (n <= 0)
    {
      raw->eof = TRUE;
      return FALSE;
    }
  g_byte_array_append (raw->in, buffer, (guint) n);
  return TRUE;
}

/* Sends the upgrade request and reads the answer's head; what follows it
 * stays in raw->in. Returns the head. */
static char *
raw_upgrade_full (Raw        *raw,
                  const char *protocol,
                  const char *extensions,
                  guint      *status)
{
  g_autoptr(GString) request = g_string_new ("GET / HTTP/1.1\r\nHost: node\r\nUpgrade: websocket\r\n"
                                             "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  const char *end = NULL;
  char *head;

  if (protocol != NULL)
    g_string_append_printf (request, "Sec-WebSocket-Protocol: %s\r\n", protocol);
  if (extensions != NULL)
    g_string_append_printf (request, "Sec-WebSocket-Extensions: %s\r\n", extensions);
  g_string_append (request, "\r\n");
  g_assert_true (raw_send (raw, request->str, request->len));
  while (g_get_monotonic_time () < deadline &&
         (raw->in->len == 0 ||
          (end = g_strstr_len ((const char *) raw->in->data, raw->in->len, "\r\n\r\n")) == NULL))
    if (!raw_read_some (raw, 200))
      break;
  g_assert_nonnull (end);
  head = g_strndup ((const char *) raw->in->data, end + 4 - (const char *) raw->in->data);
  g_byte_array_remove_range (raw->in, 0, (guint) strlen (head));
  *status = (guint) g_ascii_strtoull (head + strlen ("HTTP/1.1 "), NULL, 10);
  return head;
}

static void
raw_upgrade (Raw *raw)
{
  guint status = 0;
  g_autofree char *head = raw_upgrade_full (raw, HL_SYNC_SUBPROTOCOL, NULL, &status);

  g_assert_cmpuint (status, ==, 101);
}

/* One masked frame (a client's); @first is FIN, RSV and opcode. */
static void
put_frame (GByteArray   *out,
           guint8        first,
           const guint8 *payload,
           guint64       len,
           gboolean      zero_mask)
{
  guint8 header[14];
  guint n = 0;
  guint8 mask[4] = { 0 };

  header[n++] = first;
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
  if (!zero_mask)
    randombytes_buf (mask, sizeof mask);
  memcpy (header + n, mask, 4);
  n += 4;
  g_byte_array_append (out, header, n);
  for (guint64 i = 0; payload != NULL && i < len; i++)
    {
      guint8 byte = payload[i] ^ mask[i % 4];
      g_byte_array_append (out, &byte, 1);
    }
}

static void
raw_frame (Raw          *raw,
           guint8        first,
           const guint8 *payload,
           gsize         len)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();

  put_frame (frame, first, payload, len, FALSE);
  raw_send (raw, frame->data, frame->len);
}

static void
raw_text (Raw        *raw,
          const char *text)
{
  raw_frame (raw, 0x81, (const guint8 *) text, strlen (text));
}

/* Parses the complete (unmasked) frames in raw->in. */
static void
raw_parse (Raw *raw)
{
  for (;;)
    {
      const guint8 *p = raw->in->data;
      guint64 len;
      guint at = 2;

      if (raw->in->len < 2)
        return;
      len = p[1] & 0x7f;
      if (len == 126)
        {
          if (raw->in->len < 4)
            return;
          len = (guint64) p[2] << 8 | p[3];
          at = 4;
        }
      else if (len == 127)
        {
          if (raw->in->len < 10)
            return;
          len = 0;
          for (guint i = 0; i < 8; i++)
            len = len << 8 | p[2 + i];
          at = 10;
        }
      if (raw->in->len < at + len)
        return;
      if ((p[0] & 0x0f) == 0x1)
        g_ptr_array_add (raw->texts, g_strndup ((const char *) p + at, (gsize) len));
      else if ((p[0] & 0x0f) == 0x8)
        {
          raw->got_close = TRUE;
          raw->close_code = len >= 2 ? (gushort) (p[at] << 8 | p[at + 1]) : 1005;
        }
      g_byte_array_remove_range (raw->in, 0, at + (guint) len);
    }
}

/* The code of the node's close frame, or 0 if TCP ended without one. */
static gushort
raw_wait_close (Raw   *raw,
                guint  timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  raw_parse (raw);
  while (!raw->got_close && g_get_monotonic_time () < deadline && raw_read_some (raw, 100))
    raw_parse (raw);
  return raw->got_close ? raw->close_code : 0;
}

/* The first text message of @type that came within @timeout_s. */
static JsonObject *
raw_wait_type (Raw        *raw,
               const char *type,
               guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      raw_parse (raw);
      for (guint i = 0; i < raw->texts->len; i++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObject *obj;

          if (!json_parser_load_from_data (parser, g_ptr_array_index (raw->texts, i), -1, NULL))
            continue;
          obj = json_node_get_object (json_parser_get_root (parser));
          if (g_strcmp0 (json_object_get_string_member_with_default (obj, "type", ""), type) == 0)
            return json_object_ref (obj);
        }
      if (g_get_monotonic_time () >= deadline || !raw_read_some (raw, 100))
        return NULL;
    }
}

static gboolean
raw_error_says (Raw        *raw,
                const char *words)
{
  g_autoptr(JsonObject) error = raw_wait_type (raw, "error", 1);
  const char *message = error ? json_object_get_string_member_with_default (error, "message", "") : "";

  g_test_message ("the node said: %s", message);
  return strstr (message, words) != NULL;
}

/* A hello as @identity with @members (JSON text, e.g. "\"version\":1") besides
 * "type", "node" and "nonce". */
static void
raw_hello (Raw        *raw,
           HlIdentity *identity,
           const char *members)
{
  g_autofree char *key = hl_identity_dup_public_hex (identity);
  g_autofree char *hello = NULL;
  guint8 nonce[HL_SYNC_NONCE_LEN];
  char nonce_hex[2 * HL_SYNC_NONCE_LEN + 1];

  randombytes_buf (nonce, sizeof nonce);
  hl_hex_encode (nonce, sizeof nonce, nonce_hex);
  hello = g_strdup_printf ("{\"type\":\"hello\",\"node\":\"%s\",\"nonce\":\"%s\"%s%s}",
                           key, nonce_hex, *members ? "," : "", members);
  raw_text (raw, hello);
}

/* Answers the node's hello with auth as @identity; returns once the node's
 * auth came. */
static void
raw_auth (Raw        *raw,
          HlIdentity *identity)
{
  g_autofree char *auth = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(JsonObject) their_auth = NULL;
  guint8 their_nonce[HL_SYNC_NONCE_LEN];
  guint8 msg[HL_SYNC_HANDSHAKE_MSG_LEN], sig[HL_SIG_LEN];
  char sig_hex[2 * HL_SIG_LEN + 1];

  theirs = raw_wait_type (raw, "hello", 10);
  g_assert_nonnull (theirs);
  g_assert_true (hl_hex_decode (json_object_get_string_member (theirs, "node"), raw->their_key,
                                HL_KEY_LEN));
  g_assert_true (hl_hex_decode (json_object_get_string_member (theirs, "nonce"), their_nonce,
                                HL_SYNC_NONCE_LEN));
  hl_sync_handshake_message (their_nonce, hl_identity_get_public_key (identity), raw->their_key, msg);
  hl_identity_sign (identity, msg, sizeof msg, sig);
  hl_hex_encode (sig, sizeof sig, sig_hex);
  auth = g_strdup_printf ("{\"type\":\"auth\",\"sig\":\"%s\"}", sig_hex);
  raw_text (raw, auth);
  their_auth = raw_wait_type (raw, "auth", 10);
  g_assert_nonnull (their_auth);
}

/* hello and auth as @identity; returns once the node's auth came. */
static void
raw_handshake (Raw        *raw,
               HlIdentity *identity)
{
  raw_hello (raw, identity, "\"version\":1,\"min_version\":1,\"software\":\"raw-test/1\",\"caps\":[]");
  raw_auth (raw, identity);
}

/* One message of @total bytes in fragments of @fragment bytes, sent until
 * the node closes; returns the bytes sent. */
static guint64
raw_flood (Raw     *raw,
           guint64  total,
           gsize    fragment)
{
  g_autoptr(GByteArray) middle = g_byte_array_new ();
  g_autoptr(GByteArray) first = g_byte_array_new ();
  g_autofree guint8 *zeros = g_malloc0 (fragment);
  guint64 sent = 0;

  put_frame (first, 0x02, zeros, fragment, TRUE);
  put_frame (middle, 0x00, zeros, fragment, TRUE);
  if (!raw_send (raw, first->data, first->len))
    return 0;
  sent = fragment;
  while (sent + fragment < total && !raw->got_close)
    {
      if (!raw_send (raw, middle->data, middle->len))
        break;
      sent += fragment;
      /* The node's answer may be waiting: read it now and then. */
      if (sent % (64 * fragment) == 0 && g_socket_condition_check (raw->socket, G_IO_IN))
        {
          raw_read_some (raw, 0);
          raw_parse (raw);
        }
    }
  g_test_message ("sent %" G_GUINT64_FORMAT " bytes of a %" G_GUINT64_FORMAT "-byte message "
                  "before the node closed", sent, total);
  return sent;
}

/* ---- the tests ---- */

static void
test_no_deflate (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(Raw) raw = raw_connect (a);
  guint64 hwm = proc_kb (a, "VmHWM");
  g_autofree char *head = NULL;
  guint status = 0;
  static const guint8 deflated[] = { 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00 };

  head = raw_upgrade_full (raw, HL_SYNC_SUBPROTOCOL, "permessage-deflate; client_max_window_bits",
                           &status);
  g_assert_cmpuint (status, ==, 101);
  g_assert_null (strcasestr (head, "Sec-WebSocket-Extensions"));
  g_assert_nonnull (strcasestr (head, "Sec-WebSocket-Protocol: " HL_SYNC_SUBPROTOCOL));
  /* A compressed frame as a peer that assumed the extension would send it. */
  raw_frame (raw, 0x80 | 0x40 | 0x02, deflated, sizeof deflated);
  g_assert_cmpuint (raw_wait_close (raw, 10), ==, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
  g_assert_true (raw_error_says (raw, "reserved bits"));
  assert_peak_below (a, hwm, 4, "a deflate offer and a compressed frame");
  hl_test_node_stop (a);
}

static void
flood (gboolean    handshake_first,
       const char *words)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(Raw) raw = raw_connect (a);
  guint64 hwm;

  raw_upgrade (raw);
  if (handshake_first)
    raw_handshake (raw, me);
  hwm = proc_kb (a, "VmHWM");
  raw_flood (raw, 64 * (guint64) MIB, 4096);
  g_assert_cmpuint (raw_wait_close (raw, 15), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_assert_true (raw_error_says (raw, words));
  assert_peak_below (a, hwm, handshake_first ? 16 : 4,
                     handshake_first ? "a 64 MiB message in 4 KiB fragments after the handshake"
                                     : "a 64 MiB message in 4 KiB fragments before the handshake");
  /* And the node still takes a new peer. */
  {
    g_autoptr(HlTestClient) honest = hl_test_client_connect (a);
    g_autoptr(HlIdentity) other = hl_identity_new_random ();

    g_assert_nonnull (honest);
    hl_test_client_handshake (honest, other, "[]");
  }
  hl_test_node_stop (a);
}

static void
test_fragments_before_handshake (void)
{
  flood (FALSE, "larger than 16 KiB before the handshake finished");
}

static void
test_fragments_after_handshake (void)
{
  flood (TRUE, "larger than 2 MiB");
}

static void
test_single_frame (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autofree guint8 *payload = g_malloc0 (64 * 1024);
  guint64 hwm = proc_kb (a, "VmHWM");

  {
    /* Before the handshake: one 20 KiB frame. */
    g_autoptr(Raw) raw = raw_connect (a);

    raw_upgrade (raw);
    raw_frame (raw, 0x82, payload, 20 * 1024);
    g_assert_cmpuint (raw_wait_close (raw, 10), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
    g_assert_true (raw_error_says (raw, "larger than 16 KiB"));
  }
  {
    /* After it: a header that announces 64 MiB, then part of the payload. */
    g_autoptr(Raw) raw = raw_connect (a);
    g_autoptr(GByteArray) frame = g_byte_array_new ();

    raw_upgrade (raw);
    raw_handshake (raw, me);
    put_frame (frame, 0x82, NULL, 64 * (guint64) MIB, TRUE);
    raw_send (raw, frame->data, frame->len);
    for (guint i = 0; i < 32 && !raw->got_close && raw_send (raw, payload, 64 * 1024); i++)
      raw_parse (raw);
    g_assert_cmpuint (raw_wait_close (raw, 10), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
    g_assert_true (raw_error_says (raw, "larger than 2 MiB"));
  }
  assert_peak_below (a, hwm, 4, "single frames above the limit");
  hl_test_node_stop (a);
}

/* The node answers, then ends the connection itself. */
static void
assert_refused (HlTestNode *node,
                const char *protocol,
                const char *words)
{
  g_autoptr(Raw) raw = raw_connect (node);
  g_autofree char *head = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint status = 0;

  head = raw_upgrade_full (raw, protocol, NULL, &status);
  g_test_message ("offered %s: %s", protocol ? protocol : "nothing", head);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (head, words));
  g_assert_nonnull (strcasestr (head, "Connection: close"));
  while (!raw->eof && g_get_monotonic_time () < deadline)
    raw_read_some (raw, 100);
  g_assert_true (raw->eof);
}

static void
test_subprotocol (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");

  assert_refused (a, NULL, "offer the WebSocket subprotocol hyperlink.v1");
  assert_refused (a, "hyperlink.v9", "Incompatible Hyperlink sync protocol");
  assert_refused (a, "", "offer the WebSocket subprotocol hyperlink.v1");
  hl_test_node_stop (a);
}

static void
test_hello_members (void)
{
  static const struct { const char *members, *words; } malformed[] = {
    { "", "“version” must be an integer" },
    { "\"version\":\"1\"", "“version” must be an integer" },
    { "\"version\":1.0", "“version” must be an integer" },
    { "\"version\":0", "“version” must be an integer" },
    { "\"version\":1,\"min_version\":2", "“min_version” must be an integer from 1" },
    { "\"version\":1,\"min_version\":null", "“min_version” must be an integer from 1" },
    { "\"version\":1,\"software\":12", "“software” must be a string" },
    { "\"version\":1,\"caps\":\"pex-1\"", "“caps” must be an array of strings" },
    { "\"version\":1,\"caps\":[\"pex-1\",1]", "“caps” must be an array of strings" },
  };
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autofree char *long_name = g_strnfill (70, 'x');
  g_autofree char *members = NULL;
  g_autofree char *kept = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(Raw) raw = raw_connect (a);
      g_autoptr(HlIdentity) me = hl_identity_new_random ();

      raw_upgrade (raw);
      raw_hello (raw, me, malformed[i].members);
      g_assert_cmpuint (raw_wait_close (raw, 10), ==, HL_SYNC_CLOSE_PROTOCOL);
      g_assert_true (raw_error_says (raw, malformed[i].words));
    }
  {
    /* A later version that still speaks 1 agrees on 1; only what is
     * required need be there; software is cut to 64 characters. */
    g_autoptr(Raw) raw = raw_connect (a);
    g_autoptr(HlIdentity) me = hl_identity_new_random ();

    members = g_strdup_printf ("\"version\":7,\"min_version\":1,\"software\":\"%s\","
                               "\"future\":{\"x\":1}", long_name);
    raw_upgrade (raw);
    raw_hello (raw, me, members);
    raw_auth (raw, me);
  }
  {
    g_autoptr(Raw) raw = raw_connect (a);
    g_autoptr(HlIdentity) me = hl_identity_new_random ();

    raw_upgrade (raw);
    raw_hello (raw, me, "\"version\":1");
    raw_auth (raw, me);
  }
  kept = g_strdup_printf ("(dialled us, %.64s)", long_name);
  g_assert_true (hl_test_wait_for (a, log_has, kept, 10));
  hl_test_node_stop (a);
}

static void
test_slow_reader (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Raw) raw = NULL;
  g_autoptr(GSocket) socket = NULL;
  const char *dirs[] = { b->data_dir };
  gint64 deadline;
  guint64 hwm;

  /* The flow-control window (4 MiB) keeps what a node queues for an honest
   * peer below 8 MiB, so the test lowers the limit below the window. */
  g_setenv ("HYPERLINK_SYNC_MAX_UNSENT", "262144", TRUE);
  hl_test_node_start (a);
  g_unsetenv ("HYPERLINK_SYNC_MAX_UNSENT");
  hwm = proc_kb (a, "VmHWM");

  /* A peer that stops reading, with a small receive buffer so that the
   * kernel does not read for it. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, a->port);

    g_socket_set_timeout (socket, 10);
    g_socket_connect (socket, address, NULL, &error);
    g_assert_no_error (error);
  }
  raw = raw_new (g_steal_pointer (&socket));
  raw_upgrade (raw);
  raw_handshake (raw, me);

  /* Then a node with 4000 events comes: A passes them on, to the reader too. */
  hl_test_fill (dirs, 1, 4000, 7, 1700000000000);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  g_assert_true (hl_test_wait_for (a, log_has, (gpointer) "the peer reads too slowly", 60));
  /* It is closed (no close handshake with a peer that does not read). */
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!raw->eof && g_get_monotonic_time () < deadline)
    {
      raw_read_some (raw, 100);
      g_byte_array_set_size (raw->in, 0);
    }
  g_assert_true (raw->eof);
  /* Most of the growth is the 4000 events themselves (set, cache, verifier). */
  assert_peak_below (a, hwm, 24, "4000 events received and gossiped to a peer that does not read");
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

/* ---- what a dialling node makes of odd answers ---- */

/* A stand-in for a node on the other end: each connection gets @answer
 * (with the right Sec-WebSocket-Accept for "@ACCEPT@"), then, if
 * @frame_len, the header of a binary frame that long. A real hyperlinkd
 * cannot be made to answer these (a future version, a broken proxy). */
typedef struct
{
  const char   *answer;
  guint64       frame_len;
  const char   *words;       /* expected in the dialler's status or log */
  GSocket      *socket;
  guint16       port;
  GCancellable *cancellable;
  GThread      *thread;
} Answerer;

static char *
accept_for (const char *request)
{
  const char *key = strstr (request, "Sec-WebSocket-Key: ");
  g_autofree char *value = key ? g_strndup (key + 19, strcspn (key + 19, "\r\n")) : g_strdup ("");
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (sha1, (const guchar *) value, -1);
  g_checksum_update (sha1, (const guchar *) "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (sha1, digest, &len);
  return g_base64_encode (digest, len);
}

/* @answer with its "@ACCEPT@" made @accept. */
static char *
replace_accept (const char *answer,
                const char *accept)
{
  g_auto(GStrv) parts = g_strsplit (answer, "@ACCEPT@", -1);

  return g_strjoinv (accept, parts);
}

static gpointer
answerer_thread (gpointer data)
{
  Answerer *a = data;

  for (;;)
    {
      g_autoptr(GSocket) peer = g_socket_accept (a->socket, a->cancellable, NULL);
      g_autoptr(GString) request = g_string_new (NULL);
      g_autofree char *accept = NULL;
      g_autofree char *answer = NULL;
      char buffer[4096];
      gssize n;

      if (peer == NULL)
        return NULL;
      g_socket_set_timeout (peer, 20);
      while (strstr (request->str, "\r\n\r\n") == NULL &&
             (n = g_socket_receive (peer, buffer, sizeof buffer, a->cancellable, NULL)) > 0)
        g_string_append_len (request, buffer, n);
      accept = accept_for (request->str);
      answer = replace_accept (a->answer, accept);
      g_socket_send (peer, answer, strlen (answer), NULL, NULL);
      if (a->frame_len > 0)
        {
          guint8 header[10] = { 0x82, 127 };

          for (guint i = 0; i < 8; i++)
            header[2 + i] = (guint8) (a->frame_len >> (56 - 8 * i));
          g_socket_send (peer, (const char *) header, sizeof header, NULL, NULL);
          g_socket_send (peer, buffer, sizeof buffer, NULL, NULL);
        }
      /* Until the dialler gives up. */
      while (g_socket_receive (peer, buffer, sizeof buffer, a->cancellable, NULL) > 0)
        ;
    }
}

static void
answerer_start (Answerer *a)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;

  a->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (a->socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (a->socket, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (a->socket, NULL);
  a->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  a->cancellable = g_cancellable_new ();
  a->thread = g_thread_new ("answerer", answerer_thread, a);
}

static void
answerer_stop (Answerer *a)
{
  g_cancellable_cancel (a->cancellable);
  g_thread_join (a->thread);
  g_socket_close (a->socket, NULL);
  g_clear_object (&a->socket);
  g_clear_object (&a->cancellable);
}

static gboolean
dial_error_says (HlTestNode *node,
                 gpointer    data)
{
  const Answerer *a = data;
  g_autofree char *address = g_strdup_printf ("ws://127.0.0.1:%u", a->port);
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");

  for (guint i = 0; i < json_array_get_length (peers); i++)
    {
      JsonObject *peer = json_array_get_object_element (peers, i);
      const char *error = json_object_get_string_member_with_default (peer, "error", NULL);

      if (g_strcmp0 (json_object_get_string_member (peer, "address"), address) == 0 &&
          error != NULL && strstr (error, a->words) != NULL)
        return TRUE;
    }
  return hl_test_node_log_has (node, a->words);
}

#define UPGRADE "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"

static void
test_dial_answers (void)
{
  g_autofree char *long_head = g_strdup_printf ("HTTP/1.1 200 OK\r\nX-Filler: %0*d\r\n", 9000, 0);
  Answerer answers[] = {
    { "HTTP/1.1 400 Incompatible Hyperlink sync protocol: this node speaks hyperlink.v2, you "
      "offered hyperlink.v1; update the older node\r\nConnection: close\r\n\r\n", 0,
      "refused the connection: HTTP 400 Incompatible Hyperlink sync protocol: this node speaks "
      "hyperlink.v2" },
    { UPGRADE "Sec-WebSocket-Accept: AAAA@ACCEPT@\r\nSec-WebSocket-Protocol: hyperlink.v1\r\n\r\n", 0,
      "Sec-WebSocket-Accept does not match" },
    { UPGRADE "Sec-WebSocket-Accept: @ACCEPT@\r\nSec-WebSocket-Protocol: hyperlink.v1\r\n"
      "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n", 0,
      "agreed to a WebSocket extension" },
    { UPGRADE "Sec-WebSocket-Accept: @ACCEPT@\r\n\r\n", 0, "did not select the sync subprotocol" },
    { long_head, 0, "the answer's head is longer than 8 KiB" },
    { "SSH-2.0-OpenSSH_9.2\r\n\r\n", 0, "the answer is not HTTP" },
    { "", 0, "no WebSocket within 15 s" },
    { UPGRADE "Sec-WebSocket-Accept: @ACCEPT@\r\nSec-WebSocket-Protocol: hyperlink.v1\r\n\r\n",
      64 * (guint64) MIB, "a message larger than 16 KiB before the handshake finished" },
  };
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  guint64 hwm;

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      answerer_start (&answers[i]);
      g_ptr_array_add (a->peers, g_strdup_printf ("ws://127.0.0.1:%u", answers[i].port));
    }
  hl_test_node_start (a);
  hwm = proc_kb (a, "VmHWM");
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_test_message ("waiting for: %s", answers[i].words);
      g_assert_true (hl_test_wait_for (a, dial_error_says, &answers[i], 30));
    }
  assert_peak_below (a, hwm, 4, "dialling answers that break the handshake or its limits");
  hl_test_node_stop (a);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    answerer_stop (&answers[i]);
}

/* ---- floods of half-sent requests ---- */

#define ATTACKERS        11      /* 127.0.0.2 to 127.0.0.12 */
#define FLOOD_SOCKETS    1100
#define REOPEN_MS        500
#define REOPEN_BATCH     64

typedef struct
{
  guint16   port;
  guint     sockets;
  guint     addresses;
  guint     first_address;      /* 127.0.0.N */
  gboolean  stop;
  GMutex    lock;
  guint64   opened, closed_fast, closed_at_deadline, closed_other;
  gint64    longest_us;
} Flood;

typedef struct
{
  int    fd;
  gint64 opened_at;   /* monotonic µs; or when to reopen, while fd < 0 */
} Slot;

static int
half_sent (const Flood *flood,
           guint        index)
{
  static const char partial[] = "GET / HTTP/1.1\r\nHost: node\r\nUpgrade: websocket\r\n";
  struct sockaddr_in from = { .sin_family = AF_INET }, to = { .sin_family = AF_INET };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  char ip[32];

  if (fd < 0)
    return -1;
  g_snprintf (ip, sizeof ip, "127.0.0.%u", flood->first_address + index % flood->addresses);
  inet_pton (AF_INET, ip, &from.sin_addr);
  inet_pton (AF_INET, "127.0.0.1", &to.sin_addr);
  to.sin_port = htons (flood->port);
  if (bind (fd, (struct sockaddr *) &from, sizeof from) != 0 ||
      connect (fd, (struct sockaddr *) &to, sizeof to) != 0 ||
      send (fd, partial, sizeof partial - 1, MSG_NOSIGNAL) < 0)
    {
      close (fd);
      return -1;
    }
  fcntl (fd, F_SETFL, O_NONBLOCK);
  return fd;
}

/* Keeps flood->sockets half-sent requests open, opening a new one a moment
 * after the node closes one, and notes how long each lived. */
static gpointer
flood_thread (gpointer data)
{
  Flood *flood = data;
  g_autofree Slot *slots = g_new0 (Slot, flood->sockets);
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, flood->sockets);

  for (guint i = 0; i < flood->sockets; i++)
    slots[i].fd = -1;
  while (!g_atomic_int_get (&flood->stop))
    {
      gint64 now = g_get_monotonic_time ();
      guint reopened = 0;

      for (guint i = 0; i < flood->sockets; i++)
        {
          /* A few at a time, so that closes are seen when they happen. */
          if (slots[i].fd < 0 && now >= slots[i].opened_at && reopened++ < REOPEN_BATCH &&
              (slots[i].fd = half_sent (flood, i)) >= 0)
            {
              slots[i].opened_at = now;
              g_mutex_lock (&flood->lock);
              flood->opened++;
              g_mutex_unlock (&flood->lock);
            }
          fds[i].fd = slots[i].fd;
          fds[i].events = POLLIN;
          fds[i].revents = 0;
        }
      if (poll (fds, flood->sockets, 50) <= 0)
        continue;
      now = g_get_monotonic_time ();
      for (guint i = 0; i < flood->sockets; i++)
        {
          char buffer[512];
          gint64 lived;

          if (slots[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)) ||
              recv (slots[i].fd, buffer, sizeof buffer, 0) > 0)
            continue;
          lived = now - slots[i].opened_at;
          close (slots[i].fd);
          slots[i].fd = -1;
          slots[i].opened_at = now + REOPEN_MS * 1000;
          g_mutex_lock (&flood->lock);
          if (lived < G_USEC_PER_SEC)
            flood->closed_fast++;
          else if (lived >= (HL_SYNC_HANDSHAKE_TIMEOUT_S - 1) * G_USEC_PER_SEC)
            flood->closed_at_deadline++;
          else
            flood->closed_other++;
          flood->longest_us = MAX (flood->longest_us, lived);
          g_mutex_unlock (&flood->lock);
        }
    }
  for (guint i = 0; i < flood->sockets; i++)
    if (slots[i].fd >= 0)
      close (slots[i].fd);
  return NULL;
}

static JsonObject *
connections_of (JsonNode *status)
{
  return json_object_get_object_member (json_node_get_object (status), "connections");
}

static gint64
connections_int (HlTestNode *node,
                 const char *member)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);

  return json_object_get_int_member (connections_of (status), member);
}

static gboolean
saturated (HlTestNode *node,
           gpointer    data)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonObject *c = connections_of (status);

  return json_object_get_int_member (c, "not_ready") >= json_object_get_int_member (c, "max_not_ready");
}

static gboolean
raise_own_fd_limit (guint needed)
{
  struct rlimit limit;

  getrlimit (RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit (RLIMIT_NOFILE, &limit);
  getrlimit (RLIMIT_NOFILE, &limit);
  return limit.rlim_cur >= needed;
}

static void
test_half_sent_flood (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  Flood flood = { 0 };
  GThread *thread;
  guint max_fds = 0;
  guint64 hwm, max_not_ready = 0, max_open = 0;
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;
  gint64 started;

  if (!raise_own_fd_limit (FLOOD_SOCKETS + 256))
    {
      g_test_skip ("this process may not open enough sockets for the flood");
      return;
    }
  /* The usual desktop limit, which the node may not raise. */
  a->nofile = 1024;
  hl_test_node_start (a);
  hwm = proc_kb (a, "VmHWM");
  flood.port = a->port;
  flood.sockets = FLOOD_SOCKETS;
  flood.addresses = ATTACKERS;
  flood.first_address = 2;
  g_mutex_init (&flood.lock);
  thread = g_thread_new ("flood", flood_thread, &flood);
  started = g_get_monotonic_time ();
  g_assert_true (hl_test_wait_for (a, saturated, NULL, 20));

  /* An honest peer comes during the flood, and syncs. */
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  during = hl_test_node_post (b, "written during a flood of half-sent requests");
  while (!hl_test_node_has (a, during) &&
         g_get_monotonic_time () - started < 60 * G_USEC_PER_SEC)
    {
      g_autoptr(JsonNode) status = hl_test_node_status (a);
      JsonObject *c = connections_of (status);

      max_fds = MAX (max_fds, open_fds (a));
      max_not_ready = MAX (max_not_ready, (guint64) json_object_get_int_member (c, "not_ready"));
      max_open = MAX (max_open, (guint64) json_object_get_int_member (c, "open"));
      g_usleep (100 * 1000);
    }
  g_assert_true (hl_test_node_has (a, during));
  g_test_message ("measured: the honest peer's post reached the flooded node %.1f s after the "
                  "flood began", (g_get_monotonic_time () - started) / 1e6);
  /* Past the deadline, the first half-sent requests have been closed. */
  while (g_get_monotonic_time () - started < (HL_SYNC_HANDSHAKE_TIMEOUT_S + 4) * G_USEC_PER_SEC)
    {
      max_fds = MAX (max_fds, open_fds (a));
      g_usleep (200 * 1000);
    }
  g_atomic_int_set (&flood.stop, TRUE);
  g_thread_join (thread);

  g_test_message ("measured: %" G_GUINT64_FORMAT " half-sent requests opened; %" G_GUINT64_FORMAT
                  " closed within 1 s, %" G_GUINT64_FORMAT " at the %d s deadline, %"
                  G_GUINT64_FORMAT " in between; the longest lived %.1f s",
                  flood.opened, flood.closed_fast, flood.closed_at_deadline,
                  HL_SYNC_HANDSHAKE_TIMEOUT_S, flood.closed_other, flood.longest_us / 1e6);
  g_test_message ("measured: the node held at most %u descriptors (limit 1024), %" G_GUINT64_FORMAT
                  " connections, %" G_GUINT64_FORMAT " not ready", max_fds, max_open, max_not_ready);
  g_assert_cmpuint (flood.opened, >, FLOOD_SOCKETS);
  g_assert_cmpuint (flood.closed_fast, >, FLOOD_SOCKETS / 2);
  g_assert_cmpuint (flood.closed_at_deadline, >, 0);
  g_assert_cmpint (flood.longest_us, <, (HL_SYNC_HANDSHAKE_TIMEOUT_S + 3) * G_USEC_PER_SEC);
  g_assert_cmpuint (max_fds, <, 1024 - 128);
  g_assert_cmpuint (max_not_ready, <=, (guint64) connections_int (a, "max_not_ready"));
  g_assert_cmpint (connections_int (a, "expired"), >, 0);
  g_assert_cmpint (connections_int (a, "refused_full") + connections_int (a, "refused_per_address"), >, 0);
  assert_peak_below (a, hwm, 24, "1,100 half-sent requests from 11 addresses, reopened as closed");

  /* After the flood: the node still syncs, and takes new peers. */
  after = hl_test_node_post (b, "written after the flood");
  g_assert_true (hl_test_wait_has (a, after, 30));
  {
    g_autoptr(HlTestClient) late = hl_test_client_connect (a);
    g_autoptr(HlIdentity) me = hl_identity_new_random ();

    g_assert_nonnull (late);
    hl_test_client_handshake (late, me, "[]");
  }
  g_mutex_clear (&flood.lock);
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static gboolean
fds_below (HlTestNode *node,
           gpointer    limit)
{
  return open_fds (node) < GPOINTER_TO_UINT (limit);
}

static gboolean
handshake_works (HlTestNode *node,
                 gpointer    data)
{
  g_autoptr(HlTestClient) client = hl_test_client_connect (node);
  g_autoptr(HlIdentity) me = hl_identity_new_random ();

  if (client == NULL)
    return FALSE;
  hl_test_client_handshake (client, me, "[]");
  return TRUE;
}

static void
test_out_of_descriptors (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  Flood flood = { 0 };
  GThread *thread;
  guint baseline;

  /* What the node needs to run, measured; then a limit just above it, so
   * that accepting runs out of descriptors before any cap stops it. */
  hl_test_node_start (a);
  baseline = open_fds (a);
  hl_test_node_stop (a);
  a->nofile = baseline + 4;
  hl_test_node_start (a);
  g_test_message ("measured: the node runs with %u descriptors; limit set to %u", baseline,
                  a->nofile);

  flood.port = a->port;
  flood.sockets = 40;
  flood.addresses = 8;
  flood.first_address = 20;
  g_mutex_init (&flood.lock);
  thread = g_thread_new ("flood", flood_thread, &flood);
  g_assert_true (hl_test_wait_for (a, log_has, (gpointer) "Out of file descriptors", 20));
  g_atomic_int_set (&flood.stop, TRUE);
  g_thread_join (thread);
  g_test_message ("measured: %" G_GUINT64_FORMAT " connections opened, %" G_GUINT64_FORMAT
                  " closed within 1 s", flood.opened, flood.closed_fast);

  /* The attackers went. Their connections still queued are taken and shed
   * first, as a dialler would see it: it gets in, trying again as nodes do. */
  g_assert_true (hl_test_wait_for (a, fds_below, GUINT_TO_POINTER (a->nofile - 1), 10));
  g_assert_true (hl_test_wait_for (a, handshake_works, NULL, 10));
  g_assert_true (hl_test_node_log_has (a, "Accepting connections again"));
  g_mutex_clear (&flood.lock);
  hl_test_node_stop (a);
}

typedef struct
{
  const char *member;
  gint64      value;
} WantCount;

static gboolean
connections_reach (HlTestNode *node,
                   gpointer    data)
{
  const WantCount *want = data;

  return connections_int (node, want->member) >= want->value;
}

static gboolean
connections_at_most (HlTestNode *node,
                     gpointer    data)
{
  const WantCount *want = data;

  return connections_int (node, want->member) <= want->value;
}

/* Of @sockets, how many the node has not closed. */
static guint
still_open (GPtrArray *sockets)
{
  guint open = 0;

  for (guint i = 0; i < sockets->len; i++)
    {
      GSocket *socket = g_ptr_array_index (sockets, i);
      char byte;

      if (!g_socket_condition_check (socket, G_IO_IN | G_IO_HUP) ||
          g_socket_receive (socket, &byte, 1, NULL, NULL) > 0)
        open++;
    }
  return open;
}

static void
half_send (GPtrArray *sockets,
           GSocket   *socket)
{
  g_socket_send (socket, "GET / HTTP/1.1\r\n", 16, NULL, NULL);
  g_ptr_array_add (sockets, socket);
}

static void
test_loopback_address_cap (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 hwm = proc_kb (a, "VmHWM");
  WantCount refused = { "refused_per_address", 24 };
  guint open;

  /* One loopback address: 16 wait at most, the rest are closed at once. */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = tcp_connect ("127.0.0.30", "127.0.0.1", a->port, &error);

      g_assert_no_error (error);
      half_send (sockets, socket);
    }
  g_assert_true (hl_test_wait_for (a, connections_reach, &refused, 10));
  open = still_open (sockets);
  g_test_message ("measured: %u of 40 half-sent requests from one loopback address kept", open);
  g_assert_cmpuint (open, ==, 16);
  g_assert_cmpint (connections_int (a, "refused_per_address"), ==, 24);
  /* Another address still gets in. */
  {
    g_autoptr(HlTestClient) honest = hl_test_client_connect (a);
    g_autoptr(HlIdentity) me = hl_identity_new_random ();

    g_assert_nonnull (honest);
    hl_test_client_handshake (honest, me, "[]");
  }
  assert_peak_below (a, hwm, 4, "40 half-sent requests from one address");
  hl_test_node_stop (a);
}

/* ---- in network namespaces ---- */

static HlTestNet *
net_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  HlTestNet *net = hl_test_net_new (&error);

  if (net == NULL)
    {
      g_autofree char *why = g_strdup_printf ("no network namespaces here (%s)", error->message);
      g_test_skip (why);
    }
  return net;
}

/* A TCP connection made from inside network namespace @ns. */
static GSocket *
connect_in (const char  *ns,
            const char  *from,
            const char  *to,
            guint16      port,
            GError     **error)
{
  g_autofree char *path = g_strdup_printf ("/run/netns/%s", ns);
  int here = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int there = open (path, O_RDONLY | O_CLOEXEC);
  GSocket *socket;

  g_assert_cmpint (here, >=, 0);
  g_assert_cmpint (there, >=, 0);
  g_assert_cmpint (setns (there, CLONE_NEWNET), ==, 0);
  socket = tcp_connect (from, to, port, error);
  g_assert_cmpint (setns (here, CLONE_NEWNET), ==, 0);
  close (here);
  close (there);
  return socket;
}

static gboolean
reachable_in (const char *ns,
              const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = connect_in (ns, NULL, to, HL_SYNC_DEFAULT_PORT, &error);

  if (socket == NULL)
    g_test_message ("%s:%d from %s: %s", to, HL_SYNC_DEFAULT_PORT, ns, error->message);
  return socket != NULL;
}

static void
test_address_caps (void)
{
  g_autoptr(HlTestNet) net = net_or_skip ();
  g_autoptr(HlTestNode) a = NULL;
  g_autoptr(GPtrArray) ready = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_free);
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_object_unref);
  WantCount refused = { "refused_per_address", 6 };
  WantCount none_open = { "open", 0 };
  const char *ns_a, *ns_x;
  guint kept;

  if (net == NULL)
    return;
  ns_a = hl_test_net_add (net, "victim", "10.77.0.1/24");
  ns_x = hl_test_net_add (net, "stranger", "10.77.0.2/24");
  a = hl_test_node_new ("a");
  a->netns = g_strdup (ns_a);
  a->listen = g_strdup ("0.0.0.0:9473");
  hl_test_node_add_arg (a, "--allow-any-network");
  hl_test_node_start (a);

  /* Another machine may have four requests waiting at once... */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = connect_in (ns_x, NULL, "10.77.0.1", 9473, &error);

      g_assert_no_error (error);
      half_send (waiting, socket);
    }
  g_assert_true (hl_test_wait_for (a, connections_reach, &refused, 10));
  kept = still_open (waiting);
  g_test_message ("measured: %u of 10 half-sent requests from one address kept", kept);
  g_assert_cmpuint (kept, ==, 4);
  g_ptr_array_set_size (waiting, 0);
  g_assert_true (hl_test_wait_for (a, connections_at_most, &none_open, 10));

  /* ... and eight connections in all, ready peers included. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlIdentity) me = hl_identity_new_random ();
      Raw *raw = raw_new (connect_in (ns_x, NULL, "10.77.0.1", 9473, &error));

      g_assert_no_error (error);
      raw_upgrade (raw);
      raw_handshake (raw, me);
      g_ptr_array_add (ready, raw);
    }
  refused.value += 7;
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = connect_in (ns_x, NULL, "10.77.0.1", 9473, &error);

      g_assert_no_error (error);
      half_send (waiting, socket);
    }
  g_assert_true (hl_test_wait_for (a, connections_reach, &refused, 10));
  kept = still_open (waiting);
  g_test_message ("measured: with 5 ready peers from one address, %u of 10 more requests kept", kept);
  g_assert_cmpuint (kept, ==, 3);
  hl_test_node_stop (a);
}

static gboolean
listens_on (HlTestNode *node,
            gpointer    host_port)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonNode *listen = json_object_get_member (json_node_get_object (status), "listen");

  for (guint i = 0; listen != NULL && JSON_NODE_HOLDS_ARRAY (listen) &&
                    i < json_array_get_length (json_node_get_array (listen)); i++)
    if (g_strcmp0 (json_array_get_string_element (json_node_get_array (listen), i), host_port) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
not_listening_on (HlTestNode *node,
                  gpointer    host_port)
{
  return !listens_on (node, host_port);
}

static void
test_listen_defaults (void)
{
  g_autoptr(HlTestNet) net = net_or_skip ();
  g_autoptr(FakeTs) ts = NULL;
  g_autoptr(HlTestNode) a = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *text = NULL;
  const char *ns;

  if (net == NULL)
    return;
  ns = hl_test_net_add (net, "alpha", "100.64.0.1/24");
  ts = fake_new ("Running");
  fake_machine (ts, "self", "alpha", "100.64.0.1", "alice@example.com", "alice.example");
  a = hl_test_node_new ("a");
  a->netns = g_strdup (ns);
  a->listen = g_strdup ("default");
  hl_test_node_add_arg (a, "--tailscale-socket");
  hl_test_node_add_arg (a, ts->socket);

  /* Tailscale not running yet: loopback only. */
  hl_test_node_start (a);
  g_assert_true (listens_on (a, (gpointer) "127.0.0.1:9473"));
  g_assert_true (reachable_in (ns, "127.0.0.1"));
  g_assert_false (reachable_in (ns, "100.64.0.1"));
  g_assert_true (hl_test_node_log_has (a, "Only programs on this machine can reach this node"));
  g_assert_false (hl_test_node_log_has (a, "ws://0.0.0.0"));

  /* It runs: the node listens on the tailnet address too. */
  fake_start (ts);
  g_assert_true (hl_test_wait_for (a, listens_on, (gpointer) "100.64.0.1:9473", 20));
  g_assert_true (reachable_in (ns, "100.64.0.1"));
  g_assert_true (reachable_in (ns, "127.0.0.1"));
  status = hl_test_node_status (a);
  text = json_to_string (json_object_get_member (json_node_get_object (status), "reachable"), FALSE);
  g_test_message ("reachable: %s", text);
  g_assert_nonnull (strstr (text, "ws://alpha.alice.example:9473"));
  g_assert_true (hl_test_node_log_has (a, "Peers can add this node as ws://alpha.alice.example:9473"));

  /* The machine's tailnet address changes: the node follows. */
  {
    g_autofree char *cmd = g_strdup_printf ("ip -n %s addr add 100.64.0.7/24 dev eth0", ns);
    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  }
  fake_machine (ts, "self", "alpha", "100.64.0.7", "alice@example.com", "alice.example");
  fake_update (ts);
  g_assert_true (hl_test_wait_for (a, listens_on, (gpointer) "100.64.0.7:9473", 20));
  g_assert_true (hl_test_wait_for (a, not_listening_on, (gpointer) "100.64.0.1:9473", 20));
  g_assert_true (reachable_in (ns, "100.64.0.7"));
  g_assert_false (reachable_in (ns, "100.64.0.1"));

  /* Tailscale stops: loopback only again. */
  fake_stop (ts);
  g_assert_true (hl_test_wait_for (a, not_listening_on, (gpointer) "100.64.0.7:9473", 20));
  g_assert_false (reachable_in (ns, "100.64.0.7"));
  g_assert_true (reachable_in (ns, "127.0.0.1"));
  hl_test_node_stop (a);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/limits/no-deflate", test_no_deflate);
  g_test_add_func ("/limits/fragments-before-handshake", test_fragments_before_handshake);
  g_test_add_func ("/limits/fragments-after-handshake", test_fragments_after_handshake);
  g_test_add_func ("/limits/single-frame", test_single_frame);
  g_test_add_func ("/limits/subprotocol", test_subprotocol);
  g_test_add_func ("/limits/hello-members", test_hello_members);
  g_test_add_func ("/limits/dial-answers", test_dial_answers);
  g_test_add_func ("/limits/slow-reader", test_slow_reader);
  g_test_add_func ("/limits/loopback-address-cap", test_loopback_address_cap);
  g_test_add_func ("/limits/address-caps", test_address_caps);
  g_test_add_func ("/limits/half-sent-flood", test_half_sent_flood);
  g_test_add_func ("/limits/out-of-descriptors", test_out_of_descriptors);
  g_test_add_func ("/limits/listen-defaults", test_listen_defaults);
  return g_test_run ();
}
