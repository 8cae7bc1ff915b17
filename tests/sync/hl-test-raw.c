/* hl-test-raw.c: raw sockets and a raw WebSocket client for the tests of
 * the transport's limits (see hl-test-raw.h).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE   /* setns () */
#include "config.h"

#include "hl-test-raw.h"

#include <fcntl.h>
#include <sched.h>
#include <sodium.h>
#include <unistd.h>

#include "hl-sync-wire.h"

/* ---- the node's memory and descriptors ---- */

guint64
hl_test_proc_kb (HlTestNode *node,
                 const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (node->process));
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

guint
hl_test_open_fds (HlTestNode *node)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd",
                                           g_subprocess_get_identifier (node->process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* The node's peak RSS grew by less than @bound_mib since @hwm_kb. */
void
hl_test_assert_peak_below (HlTestNode *node,
                           guint64     hwm_kb,
                           guint       bound_mib,
                           const char *what)
{
  guint64 now = hl_test_proc_kb (node, "VmHWM");

#ifdef __SANITIZE_ADDRESS__
  /* ASan's quarantine keeps freed memory: its figures say nothing of ours. */
  g_test_message ("measured (ASan build, not checked): %s: node peak RSS %.1f MiB, %.1f MiB "
                  "above the %.1f MiB before", what, now / 1024.0, (now - hwm_kb) / 1024.0,
                  hwm_kb / 1024.0);
  return;
#endif
  g_test_message ("measured: %s: node peak RSS %.1f MiB, %.1f MiB above the %.1f MiB before "
                  "(bound %u MiB)", what, now / 1024.0, (now - hwm_kb) / 1024.0, hwm_kb / 1024.0,
                  bound_mib);
  g_assert_cmpuint (now - hwm_kb, <, (guint64) bound_mib * 1024);
}

/* ---- a raw WebSocket client ---- */

void
hl_test_raw_free (HlTestRaw *raw)
{
  g_socket_close (raw->socket, NULL);
  g_object_unref (raw->socket);
  g_byte_array_unref (raw->in);
  g_ptr_array_unref (raw->texts);
  g_free (raw);
}

GSocket *
hl_test_tcp_connect (const char  *from,
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

HlTestRaw *
hl_test_raw_new (GSocket *socket)
{
  HlTestRaw *raw = g_new0 (HlTestRaw, 1);

  raw->socket = socket;
  raw->in = g_byte_array_new ();
  raw->texts = g_ptr_array_new_with_free_func (g_free);
  return raw;
}

HlTestRaw *
hl_test_raw_connect (HlTestNode *node)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = hl_test_tcp_connect (NULL, "127.0.0.1", node->port, &error);

  g_assert_no_error (error);
  return hl_test_raw_new (socket);
}

gboolean
hl_test_raw_send (HlTestRaw  *raw,
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
gboolean
hl_test_raw_read_some (HlTestRaw *raw,
                       guint      timeout_ms)
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
char *
hl_test_raw_upgrade_full (HlTestRaw  *raw,
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
  g_assert_true (hl_test_raw_send (raw, request->str, request->len));
  while (g_get_monotonic_time () < deadline &&
         (raw->in->len == 0 ||
          (end = g_strstr_len ((const char *) raw->in->data, raw->in->len, "\r\n\r\n")) == NULL))
    if (!hl_test_raw_read_some (raw, 200))
      break;
  g_assert_nonnull (end);
  head = g_strndup ((const char *) raw->in->data, end + 4 - (const char *) raw->in->data);
  g_byte_array_remove_range (raw->in, 0, (guint) strlen (head));
  *status = (guint) g_ascii_strtoull (head + strlen ("HTTP/1.1 "), NULL, 10);
  return head;
}

void
hl_test_raw_upgrade (HlTestRaw *raw)
{
  guint status = 0;
  g_autofree char *head = hl_test_raw_upgrade_full (raw, HL_SYNC_SUBPROTOCOL, NULL, &status);

  g_assert_cmpuint (status, ==, 101);
}

/* One masked frame (a client's); @first is FIN, RSV and opcode. */
void
hl_test_put_frame (GByteArray   *out,
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

void
hl_test_raw_frame (HlTestRaw    *raw,
                   guint8        first,
                   const guint8 *payload,
                   gsize         len)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();

  hl_test_put_frame (frame, first, payload, len, FALSE);
  hl_test_raw_send (raw, frame->data, frame->len);
}

void
hl_test_raw_text (HlTestRaw  *raw,
                  const char *text)
{
  hl_test_raw_frame (raw, 0x81, (const guint8 *) text, strlen (text));
}

/* Parses the complete (unmasked) frames in raw->in. */
void
hl_test_raw_parse (HlTestRaw *raw)
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
gushort
hl_test_raw_wait_close (HlTestRaw *raw,
                        guint      timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  hl_test_raw_parse (raw);
  while (!raw->got_close && g_get_monotonic_time () < deadline && hl_test_raw_read_some (raw, 100))
    hl_test_raw_parse (raw);
  return raw->got_close ? raw->close_code : 0;
}

/* The first text message of @type that came within @timeout_s. */
JsonObject *
hl_test_raw_wait_type (HlTestRaw  *raw,
                       const char *type,
                       guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      hl_test_raw_parse (raw);
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
      if (g_get_monotonic_time () >= deadline || !hl_test_raw_read_some (raw, 100))
        return NULL;
    }
}

gboolean
hl_test_raw_error_says (HlTestRaw  *raw,
                        const char *words)
{
  g_autoptr(JsonObject) error = hl_test_raw_wait_type (raw, "error", 1);
  const char *message = error ? json_object_get_string_member_with_default (error, "message", "") : "";

  g_test_message ("the node said: %s", message);
  return strstr (message, words) != NULL;
}

/* A hello as @identity with @members (JSON text, e.g. "\"version\":1") besides
 * "type", "node" and "nonce". */
void
hl_test_raw_hello (HlTestRaw  *raw,
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
  hl_test_raw_text (raw, hello);
}

/* Answers the node's hello with auth as @identity; returns once the node's
 * auth came. */
void
hl_test_raw_auth (HlTestRaw  *raw,
                  HlIdentity *identity)
{
  g_autofree char *auth = hl_test_raw_auth_text (raw, identity);
  g_autoptr(JsonObject) their_auth = NULL;

  hl_test_raw_text (raw, auth);
  their_auth = hl_test_raw_wait_type (raw, "auth", 10);
  g_assert_nonnull (their_auth);
}

char *
hl_test_raw_auth_text (HlTestRaw  *raw,
                       HlIdentity *identity)
{
  g_autoptr(JsonObject) theirs = NULL;
  guint8 their_nonce[HL_SYNC_NONCE_LEN];
  guint8 msg[HL_SYNC_HANDSHAKE_MSG_LEN], sig[HL_SIG_LEN];
  char sig_hex[2 * HL_SIG_LEN + 1];

  theirs = hl_test_raw_wait_type (raw, "hello", 10);
  g_assert_nonnull (theirs);
  g_assert_true (hl_hex_decode (json_object_get_string_member (theirs, "node"), raw->their_key,
                                HL_KEY_LEN));
  g_assert_true (hl_hex_decode (json_object_get_string_member (theirs, "nonce"), their_nonce,
                                HL_SYNC_NONCE_LEN));
  hl_sync_handshake_message (their_nonce, hl_identity_get_public_key (identity), raw->their_key, msg);
  hl_identity_sign (identity, msg, sizeof msg, sig);
  hl_hex_encode (sig, sizeof sig, sig_hex);
  return g_strdup_printf ("{\"type\":\"auth\",\"sig\":\"%s\"}", sig_hex);
}

/* hello and auth as @identity; returns once the node's auth came. */
void
hl_test_raw_handshake (HlTestRaw  *raw,
                       HlIdentity *identity)
{
  hl_test_raw_hello (raw, identity, "\"version\":1,\"min_version\":1,\"software\":\"raw-test/1\",\"caps\":[]");
  hl_test_raw_auth (raw, identity);
}

/* One message of @total bytes in fragments of @fragment bytes, sent until
 * the node closes; returns the bytes sent. */
guint64
hl_test_raw_flood (HlTestRaw *raw,
                   guint64    total,
                   gsize      fragment)
{
  g_autoptr(GByteArray) middle = g_byte_array_new ();
  g_autoptr(GByteArray) first = g_byte_array_new ();
  g_autofree guint8 *zeros = g_malloc0 (fragment);
  guint64 sent = 0;

  hl_test_put_frame (first, 0x02, zeros, fragment, TRUE);
  hl_test_put_frame (middle, 0x00, zeros, fragment, TRUE);
  if (!hl_test_raw_send (raw, first->data, first->len))
    return 0;
  sent = fragment;
  while (sent + fragment < total && !raw->got_close)
    {
      if (!hl_test_raw_send (raw, middle->data, middle->len))
        break;
      sent += fragment;
      /* The node's answer may be waiting: read it now and then. */
      if (sent % (64 * fragment) == 0 && g_socket_condition_check (raw->socket, G_IO_IN))
        {
          hl_test_raw_read_some (raw, 0);
          hl_test_raw_parse (raw);
        }
    }
  g_test_message ("sent %" G_GUINT64_FORMAT " bytes of a %" G_GUINT64_FORMAT "-byte message "
                  "before the node closed", sent, total);
  return sent;
}

/* A TCP connection made from inside network namespace @ns. */
GSocket *
hl_test_connect_in (const char  *ns,
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
  socket = hl_test_tcp_connect (from, to, port, error);
  g_assert_cmpint (setns (here, CLONE_NEWNET), ==, 0);
  close (here);
  close (there);
  return socket;
}

