/* hl-ws-dial.c: the client side of the WebSocket handshake.
 *
 * soup_session_websocket_connect_async() gives no way to put a stream
 * under the connection it makes, and offers permessage-deflate. The
 * handshake is small, so the node does it: connect, send the upgrade,
 * read the answer's head (bounded), check it, and hand the socket, wrapped
 * in an HlWsGuard with whatever came after the head, to libsoup's
 * SoupWebsocketConnection.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ws-dial.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sodium.h>

#include "hl-sync-error.h"
#include "hl-sync-wire.h"
#include "hl-ws-guard.h"

#define WEBSOCKET_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"   /* RFC 6455, 1.3 */

typedef struct
{
  GUri              *uri;
  char              *key;
  char              *request;
  GSocketConnection *connection;
  guint8             head[HL_SYNC_MAX_HTTP_HEAD];
  gsize              filled;
  GCancellable      *cancellable;   /* cancelled by the caller's or by the deadline */
  GCancellable      *caller;
  gulong             caller_id;
  GSource           *deadline;
  gboolean           timed_out;
  guint              status;
  char              *reason;
} Dial;

static void
dial_free (Dial *dial)
{
  if (dial->caller_id != 0)
    g_cancellable_disconnect (dial->caller, dial->caller_id);
  g_clear_object (&dial->caller);
  if (dial->deadline != NULL)
    g_source_destroy (dial->deadline);
  g_clear_pointer (&dial->deadline, g_source_unref);
  g_clear_object (&dial->cancellable);
  g_clear_object (&dial->connection);
  g_clear_pointer (&dial->uri, g_uri_unref);
  g_free (dial->key);
  g_free (dial->request);
  g_free (dial->reason);
  g_free (dial);
}

static void
fail (GTask  *task,
      GError *error)
{
  Dial *dial = g_task_get_task_data (task);

  if (dial->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no WebSocket within %d s",
                           HL_SYNC_DIAL_TIMEOUT_S);
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
fail_literal (GTask      *task,
              const char *message)
{
  fail (task, g_error_new_literal (HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL, message));
}

static char *
accept_key (const char *key)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) WEBSOCKET_GUID, -1);
  g_checksum_get_digest (sha1, digest, &len);
  return g_base64_encode (digest, len);
}

/* Where the head ends (past its blank line, "\r\n" or a bare "\n"), and in
 * *@lines the length up to that blank line; 0 while it has not come. */
static gsize
head_end (const guint8 *data,
          gsize         len,
          gsize        *lines)
{
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (data[i] != '\n')
        continue;
      *lines = i + 1;
      if (data[i + 1] == '\n')
        return i + 2;
      if (data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')
        return i + 3;
    }
  return 0;
}

/* The answer's head, RFC 6455 4.1: FALSE (and the task failed) when it is
 * not the upgrade this dial asked for. */
static gboolean
check_answer (GTask *task,
              gsize  lines)
{
  Dial *dial = g_task_get_task_data (task);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *expected = accept_key (dial->key);
  const char *protocol;

  if (!soup_headers_parse_response ((const char *) dial->head, (int) lines, headers, NULL,
                                    &dial->status, &dial->reason))
    {
      dial->status = 0;
      fail_literal (task, "the answer is not HTTP: is a Hyperlink node listening there?");
      return FALSE;
    }
  if (dial->status != SOUP_STATUS_SWITCHING_PROTOCOLS)
    {
      fail (task, g_error_new (HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL, "HTTP %u %s",
                               dial->status, dial->reason ? dial->reason : ""));
      return FALSE;
    }
  dial->status = 0;
  protocol = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  if (!soup_message_headers_header_equals (headers, "Upgrade", "websocket") ||
      !soup_message_headers_header_contains (headers, "Connection", "upgrade"))
    fail_literal (task, "the answer switched to something other than a WebSocket");
  else if (g_strcmp0 (soup_message_headers_get_one (headers, "Sec-WebSocket-Accept"), expected) != 0)
    fail_literal (task, "the answer's Sec-WebSocket-Accept does not match the key sent");
  else if (g_strcmp0 (protocol, HL_SYNC_SUBPROTOCOL) != 0)
    fail (task, g_error_new (HL_SYNC_ERROR, HL_SYNC_ERROR_VERSION,
                             "the node did not select the sync subprotocol %s (it answered "
                             "“%.40s”)", HL_SYNC_SUBPROTOCOL, protocol ? protocol : ""));
  else if (soup_message_headers_get_one (headers, "Sec-WebSocket-Extensions") != NULL)
    fail_literal (task, "the node agreed to a WebSocket extension this node never offered");
  else
    return TRUE;
  return FALSE;
}

static void
open_websocket (GTask *task,
                gsize  end)
{
  Dial *dial = g_task_get_task_data (task);
  GSocket *socket = g_socket_connection_get_socket (dial->connection);
  g_autoptr(HlWsGuard) guard = hl_ws_guard_new (socket, HL_WS_GUARD_CLIENT);

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  /* What came after the head is the first frames: libsoup reads them first. */
  hl_ws_guard_push_input (guard, dial->head + end, dial->filled - end);
  g_task_return_pointer (task,
                         soup_websocket_connection_new (G_IO_STREAM (guard), dial->uri,
                                                        SOUP_WEBSOCKET_CONNECTION_CLIENT, NULL,
                                                        HL_SYNC_SUBPROTOCOL, NULL),
                         g_object_unref);
  g_object_unref (task);
}

static void read_head (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GTask *task = data;
  Dial *dial = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  gsize lines = 0, end;

  if (n < 0)
    {
      fail (task, error);
      return;
    }
  if (n == 0)
    {
      fail_literal (task, "the node closed the connection without answering the upgrade");
      return;
    }
  dial->filled += (gsize) n;
  if ((end = head_end (dial->head, dial->filled, &lines)) > 0)
    {
      if (check_answer (task, lines))
        open_websocket (task, end);
      return;
    }
  if (dial->filled == sizeof dial->head)
    {
      fail_literal (task, "the answer's head is longer than 8 KiB");
      return;
    }
  read_head (task);
}

static void
read_head (GTask *task)
{
  Dial *dial = g_task_get_task_data (task);

  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (dial->connection)),
                             dial->head + dial->filled, sizeof dial->head - dial->filled,
                             G_PRIORITY_DEFAULT, dial->cancellable, on_read, task);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    fail (task, error);
  else
    read_head (task);
}

static char *
upgrade_request (Dial *dial)
{
  const char *host = g_uri_get_host (dial->uri);
  const char *path = g_uri_get_path (dial->uri);
  const char *query = g_uri_get_query (dial->uri);
  int port = g_uri_get_port (dial->uri) > 0 ? g_uri_get_port (dial->uri) : HL_SYNC_DEFAULT_PORT;
  gboolean v6 = strchr (host, ':') != NULL;

  return g_strdup_printf ("GET %s%s%s HTTP/1.1\r\n"
                          "Host: %s%s%s:%d\r\n"
                          "Upgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Key: %s\r\n"
                          "Sec-WebSocket-Version: 13\r\n"
                          "Sec-WebSocket-Protocol: " HL_SYNC_SUBPROTOCOL "\r\n"
                          "User-Agent: hyperlinkd/" PACKAGE_VERSION "\r\n"
                          "\r\n",
                          *path ? path : "/", query ? "?" : "", query ? query : "",
                          v6 ? "[" : "", host, v6 ? "]" : "", port, dial->key);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Dial *dial = g_task_get_task_data (task);
  GError *error = NULL;

  dial->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (dial->connection == NULL)
    {
      fail (task, error);
      return;
    }
  dial->request = upgrade_request (dial);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (dial->connection)),
                                   dial->request, strlen (dial->request), G_PRIORITY_DEFAULT,
                                   dial->cancellable, on_written, task);
}

static gboolean
deadline_cb (gpointer data)
{
  Dial *dial = data;

  dial->timed_out = TRUE;
  g_cancellable_cancel (dial->cancellable);
  g_clear_pointer (&dial->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      data)
{
  g_cancellable_cancel (data);
}

void
hl_ws_dial_async (const char          *address,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) connectable = NULL;
  Dial *dial = g_new0 (Dial, 1);
  guint8 nonce[16];

  g_task_set_source_tag (task, hl_ws_dial_async);
  g_task_set_task_data (task, dial, (GDestroyNotify) dial_free);
  dial->uri = g_uri_parse (address, G_URI_FLAGS_NONE, NULL);
  if (dial->uri == NULL || g_strcmp0 (g_uri_get_scheme (dial->uri), "ws") != 0 ||
      g_uri_get_host (dial->uri) == NULL || *g_uri_get_host (dial->uri) == '\0')
    {
      g_task_return_new_error (task, HL_SYNC_ERROR, HL_SYNC_ERROR_ADDRESS,
                               "“%s” is not a ws://HOST:PORT address", address);
      g_object_unref (task);
      return;
    }
  randombytes_buf (nonce, sizeof nonce);
  dial->key = g_base64_encode (nonce, sizeof nonce);
  dial->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      dial->caller = g_object_ref (cancellable);
      dial->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                               dial->cancellable, NULL);
    }
  dial->deadline = g_timeout_source_new_seconds (HL_SYNC_DIAL_TIMEOUT_S);
  g_source_set_callback (dial->deadline, deadline_cb, dial, NULL);
  g_source_attach (dial->deadline, g_main_context_get_thread_default ());
  /* Peers are dialled directly: a desktop's HTTP proxy has no business
   * between two nodes of a tailnet. */
  g_socket_client_set_enable_proxy (client, FALSE);
  connectable = g_network_address_new (g_uri_get_host (dial->uri),
                                       g_uri_get_port (dial->uri) > 0 ? g_uri_get_port (dial->uri)
                                                                      : HL_SYNC_DEFAULT_PORT);
  g_socket_client_connect_async (client, connectable, dial->cancellable, on_connected, task);
}

SoupWebsocketConnection *
hl_ws_dial_finish (GAsyncResult  *result,
                   guint         *status,
                   char         **reason,
                   GError       **error)
{
  Dial *dial = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (status != NULL)
    *status = dial->status;
  if (reason != NULL)
    *reason = g_strdup (dial->reason);
  return g_task_propagate_pointer (G_TASK (result), error);
}
