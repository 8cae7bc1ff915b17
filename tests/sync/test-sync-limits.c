/* test-sync-limits.c: what a stranger's messages can make a node hold, and
 * what a dialling node makes of odd answers: permessage-deflate, messages
 * in many fragments, frames above the limit, refused upgrades, malformed
 * hellos, a peer that does not read. Real hyperlinkd processes; a raw
 * WebSocket client (hl-test-raw.c) that sends what libsoup never would.
 * Accepting (floods, descriptors, per-address limits, where a node
 * listens) is test-sync-accept.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <sys/socket.h>

#include "hl-sync-wire.h"
#include "hl-test-client.h"
#include "hl-test-raw.h"

#define MIB (1024 * 1024)

static gboolean
log_has (HlTestNode *node,
         gpointer    text)
{
  return hl_test_node_log_has (node, text);
}

/* Header names are case-insensitive. */
static gboolean
head_has (const char *head,
          const char *text)
{
  g_autofree char *lower_head = g_ascii_strdown (head, -1);
  g_autofree char *lower_text = g_ascii_strdown (text, -1);

  return strstr (lower_head, lower_text) != NULL;
}

static HlTestNode *
started_node (const char *name)
{
  HlTestNode *node = hl_test_node_new (name);

  hl_test_node_start (node);
  return node;
}

static void
test_no_deflate (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);
  guint64 hwm = hl_test_proc_kb (a, "VmHWM");
  g_autofree char *head = NULL;
  guint status = 0;
  static const guint8 deflated[] = { 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00 };

  head = hl_test_raw_upgrade_full (raw, HL_SYNC_SUBPROTOCOL, "permessage-deflate; client_max_window_bits",
                           &status);
  g_assert_cmpuint (status, ==, 101);
  g_assert_false (head_has (head, "Sec-WebSocket-Extensions"));
  g_assert_true (head_has (head, "Sec-WebSocket-Protocol: " HL_SYNC_SUBPROTOCOL));
  /* A compressed frame as a peer that assumed the extension would send it. */
  hl_test_raw_frame (raw, 0x80 | 0x40 | 0x02, deflated, sizeof deflated);
  g_assert_cmpuint (hl_test_raw_wait_close (raw, 10), ==, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
  g_assert_true (hl_test_raw_error_says (raw, "reserved bits"));
  hl_test_assert_peak_below (a, hwm, 4, "a deflate offer and a compressed frame");
  hl_test_node_stop (a);
}

static void
flood (gboolean    handshake_first,
       const char *words)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);
  guint64 hwm;

  hl_test_raw_upgrade (raw);
  if (handshake_first)
    hl_test_raw_handshake (raw, me);
  hwm = hl_test_proc_kb (a, "VmHWM");
  hl_test_raw_flood (raw, 64 * (guint64) MIB, 4096);
  g_assert_cmpuint (hl_test_raw_wait_close (raw, 15), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_assert_true (hl_test_raw_error_says (raw, words));
  hl_test_assert_peak_below (a, hwm, handshake_first ? 16 : 4,
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

/* A sender that ignores the node's 1009 and goes on writing is not read for
 * libsoup's 5 s: once 1 MiB more has come after the close frame, the node
 * closes the TCP connection. */
static void
test_ignores_close (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);
  g_autoptr(GByteArray) middle = g_byte_array_new ();
  g_autofree guint8 *zeros = g_malloc0 (4096);
  guint64 after = 0;
  gint64 closed_at;

  hl_test_raw_upgrade (raw);
  hl_test_raw_flood (raw, 64 * (guint64) MIB, 4096);
  g_assert_cmpuint (hl_test_raw_wait_close (raw, 15), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  closed_at = g_get_monotonic_time ();
  hl_test_put_frame (middle, 0x00, zeros, 4096, TRUE);
  while (after < 256 * (guint64) MIB && hl_test_raw_send (raw, middle->data, middle->len))
    after += middle->len;
  g_test_message ("measured: %.1f MiB taken after the close frame, TCP closed %.2f s after it",
                  after / (double) MIB, (g_get_monotonic_time () - closed_at) / 1e6);
  /* What the socket buffers hold besides the 1 MiB. */
  g_assert_cmpuint (after, <, 32 * (guint64) MIB);
  g_assert_cmpint (g_get_monotonic_time () - closed_at, <, 4 * G_USEC_PER_SEC);
  hl_test_node_stop (a);
}

static void
test_single_frame (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autofree guint8 *payload = g_malloc0 (64 * 1024);
  guint64 hwm = hl_test_proc_kb (a, "VmHWM");

  {
    /* Before the handshake: one 20 KiB frame. */
    g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);

    hl_test_raw_upgrade (raw);
    hl_test_raw_frame (raw, 0x82, payload, 20 * 1024);
    g_assert_cmpuint (hl_test_raw_wait_close (raw, 10), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
    g_assert_true (hl_test_raw_error_says (raw, "larger than 16 KiB"));
  }
  {
    /* After it: a header that announces 64 MiB, then part of the payload. */
    g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);
    g_autoptr(GByteArray) frame = g_byte_array_new ();

    hl_test_raw_upgrade (raw);
    hl_test_raw_handshake (raw, me);
    hl_test_put_frame (frame, 0x82, NULL, 64 * (guint64) MIB, TRUE);
    hl_test_raw_send (raw, frame->data, frame->len);
    for (guint i = 0; i < 32 && !raw->got_close && hl_test_raw_send (raw, payload, 64 * 1024); i++)
      hl_test_raw_parse (raw);
    g_assert_cmpuint (hl_test_raw_wait_close (raw, 10), ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
    g_assert_true (hl_test_raw_error_says (raw, "larger than 2 MiB"));
  }
  hl_test_assert_peak_below (a, hwm, 4, "single frames above the limit");
  hl_test_node_stop (a);
}

/* The node answers, then ends the connection itself. */
static void
assert_refused (HlTestNode *node,
                const char *protocol,
                const char *words)
{
  g_autoptr(HlTestRaw) raw = hl_test_raw_connect (node);
  g_autofree char *head = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint status = 0;

  head = hl_test_raw_upgrade_full (raw, protocol, NULL, &status);
  g_test_message ("offered %s: %s", protocol ? protocol : "nothing", head);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (head, words));
  g_assert_true (head_has (head, "Connection: close"));
  while (!raw->eof && g_get_monotonic_time () < deadline)
    hl_test_raw_read_some (raw, 100);
  g_assert_true (raw->eof);
}

/* The head of a request over 8 KiB: 431, then closed, with what was read
 * so far all the node keeps. */
static void
assert_head_refused (HlTestNode *node,
                     gboolean    ended)
{
  g_autoptr(HlTestRaw) raw = hl_test_raw_connect (node);
  g_autoptr(GString) head = g_string_new ("GET / HTTP/1.1\r\nHost: node\r\n");
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (head->len < 9 * 1024)
    g_string_append_printf (head, "X-Filler-%" G_GSIZE_FORMAT ": %s\r\n", head->len, "0123456789abcdef");
  if (ended)
    g_string_append (head, "\r\n");
  hl_test_raw_send (raw, head->str, head->len);
  while (!raw->eof && g_get_monotonic_time () < deadline)
    hl_test_raw_read_some (raw, 100);
  g_assert_true (raw->eof);
  g_assert_cmpuint (raw->in->len, >, 0);
  g_assert_true (g_str_has_prefix ((const char *) raw->in->data,
                                   "HTTP/1.1 431 Request Header Fields Too Large"));
}

static void
test_request_head (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  guint64 hwm = hl_test_proc_kb (a, "VmHWM");

  assert_head_refused (a, FALSE);
  assert_head_refused (a, TRUE);
  hl_test_assert_peak_below (a, hwm, 4, "request heads over 8 KiB");
  hl_test_node_stop (a);
}

static void
test_control_frames (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autofree guint8 *payload = g_malloc0 (200);
  guint64 hwm = hl_test_proc_kb (a, "VmHWM");

  {
    /* A ping of 200 bytes: control frames carry at most 125. */
    g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);

    hl_test_raw_upgrade (raw);
    hl_test_raw_frame (raw, 0x89, payload, 200);
    g_assert_cmpuint (hl_test_raw_wait_close (raw, 10), ==, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
    g_assert_true (hl_test_raw_error_says (raw, "a control frame"));
  }
  {
    /* A ping in fragments. */
    g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);

    hl_test_raw_upgrade (raw);
    hl_test_raw_frame (raw, 0x09, payload, 10);
    g_assert_cmpuint (hl_test_raw_wait_close (raw, 10), ==, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
    g_assert_true (hl_test_raw_error_says (raw, "a control frame"));
  }
  hl_test_assert_peak_below (a, hwm, 4, "control frames that break RFC 6455");
  hl_test_node_stop (a);
}

static void
test_subprotocol (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  guint64 hwm = hl_test_proc_kb (a, "VmHWM");

  assert_refused (a, NULL, "offer the WebSocket subprotocol hyperlink.v1");
  assert_refused (a, "hyperlink.v9", "Incompatible Hyperlink sync protocol");
  assert_refused (a, "", "offer the WebSocket subprotocol hyperlink.v1");
  hl_test_assert_peak_below (a, hwm, 4, "refused upgrades");
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
  guint64 hwm = hl_test_proc_kb (a, "VmHWM");

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);
      g_autoptr(HlIdentity) me = hl_identity_new_random ();

      hl_test_raw_upgrade (raw);
      hl_test_raw_hello (raw, me, malformed[i].members);
      g_assert_cmpuint (hl_test_raw_wait_close (raw, 10), ==, HL_SYNC_CLOSE_PROTOCOL);
      g_assert_true (hl_test_raw_error_says (raw, malformed[i].words));
    }
  {
    /* A later version that still speaks 1 agrees on 1; only what is
     * required need be there; software is cut to 64 characters. */
    g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);
    g_autoptr(HlIdentity) me = hl_identity_new_random ();

    members = g_strdup_printf ("\"version\":7,\"min_version\":1,\"software\":\"%s\","
                               "\"future\":{\"x\":1}", long_name);
    hl_test_raw_upgrade (raw);
    hl_test_raw_hello (raw, me, members);
    hl_test_raw_auth (raw, me);
  }
  {
    g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);
    g_autoptr(HlIdentity) me = hl_identity_new_random ();

    hl_test_raw_upgrade (raw);
    hl_test_raw_hello (raw, me, "\"version\":1");
    hl_test_raw_auth (raw, me);
  }
  {
    /* A message above the early limit right behind the auth, in one write:
     * the auth makes the connection ready before the message is judged. */
    g_autoptr(HlTestRaw) raw = hl_test_raw_connect (a);
    g_autoptr(HlIdentity) me = hl_identity_new_random ();
    g_autoptr(GByteArray) both = g_byte_array_new ();
    g_autofree char *pad = g_strnfill (20 * 1024, 'p');
    g_autofree char *ping = g_strdup_printf ("{\"type\":\"ping\",\"pad\":\"%s\"}", pad);
    g_autofree char *auth = NULL;
    g_autoptr(JsonObject) pong = NULL;

    hl_test_raw_upgrade (raw);
    hl_test_raw_hello (raw, me, "\"version\":1");
    auth = hl_test_raw_auth_text (raw, me);
    hl_test_put_frame (both, 0x81, (const guint8 *) auth, strlen (auth), FALSE);
    hl_test_put_frame (both, 0x81, (const guint8 *) ping, strlen (ping), FALSE);
    g_assert_true (hl_test_raw_send (raw, both->data, both->len));
    pong = hl_test_raw_wait_type (raw, "pong", 10);
    g_assert_nonnull (pong);
    g_assert_false (raw->got_close);
  }
  kept = g_strdup_printf ("(dialled us, %.64s)", long_name);
  g_assert_true (hl_test_wait_for (a, log_has, kept, 10));
  hl_test_assert_peak_below (a, hwm, 4, "malformed and unusual hellos");
  hl_test_node_stop (a);
}

static void
test_slow_reader (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTestRaw) raw = NULL;
  g_autoptr(GSocket) socket = NULL;
  const char *dirs[] = { b->data_dir };
  gint64 deadline;
  guint64 hwm;

  /* The flow-control window (4 MiB) keeps what a node queues for an honest
   * peer below 8 MiB, so the test lowers the limit below the window. */
  g_setenv ("HYPERLINK_SYNC_MAX_UNSENT", "262144", TRUE);
  hl_test_node_start (a);
  g_unsetenv ("HYPERLINK_SYNC_MAX_UNSENT");
  hwm = hl_test_proc_kb (a, "VmHWM");

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
  raw = hl_test_raw_new (g_steal_pointer (&socket));
  hl_test_raw_upgrade (raw);
  hl_test_raw_handshake (raw, me);

  /* Then a node with 4000 events comes: A passes them on, to the reader too. */
  hl_test_fill (dirs, 1, 4000, 7, 1700000000000);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  g_assert_true (hl_test_wait_for (a, log_has, (gpointer) "the peer reads too slowly", 60));
  /* It is closed (no close handshake with a peer that does not read). */
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!raw->eof && g_get_monotonic_time () < deadline)
    {
      hl_test_raw_read_some (raw, 100);
      g_byte_array_set_size (raw->in, 0);
    }
  g_assert_true (raw->eof);
  /* Most of the growth is the 4000 events themselves (set, cache, verifier). */
  hl_test_assert_peak_below (a, hwm, 24, "4000 events received and gossiped to a peer that does not read");
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
  hwm = hl_test_proc_kb (a, "VmHWM");
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_test_message ("waiting for: %s", answers[i].words);
      g_assert_true (hl_test_wait_for (a, dial_error_says, &answers[i], 30));
    }
  hl_test_assert_peak_below (a, hwm, 4, "dialling answers that break the handshake or its limits");
  hl_test_node_stop (a);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    answerer_stop (&answers[i]);
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
  g_test_add_func ("/limits/ignores-close", test_ignores_close);
  g_test_add_func ("/limits/single-frame", test_single_frame);
  g_test_add_func ("/limits/subprotocol", test_subprotocol);
  g_test_add_func ("/limits/request-head", test_request_head);
  g_test_add_func ("/limits/control-frames", test_control_frames);
  g_test_add_func ("/limits/hello-members", test_hello_members);
  g_test_add_func ("/limits/dial-answers", test_dial_answers);
  g_test_add_func ("/limits/slow-reader", test_slow_reader);
  return g_test_run ();
}
