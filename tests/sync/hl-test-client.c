/* hl-test-client.c: a hand-driven sync client for tests of hostile input.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-client.h"

#include <sodium.h>

void
hl_test_client_free (HlTestClient *client)
{
  if (client->conn != NULL &&
      soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&client->conn);
  g_ptr_array_unref (client->texts);
  g_free (client);
}

static gboolean
wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
hl_test_spin_until (gboolean *flag,
                    guint     timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  guint waker = g_timeout_add (20, wake, NULL);

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (waker);
  return *flag;
}

static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  HlTestClient *client = user_data;

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    g_ptr_array_add (client->texts, g_strndup (g_bytes_get_data (message, NULL),
                                               g_bytes_get_size (message)));
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  HlTestClient *client = user_data;

  client->closed = TRUE;
  client->code = soup_websocket_connection_get_close_code (conn);
}

typedef struct
{
  gboolean                 done;
  SoupWebsocketConnection *conn;
  GError                  *error;
  guint                    status;
  char                    *reason;
} Connecting;

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Connecting *c = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  c->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &c->error);
  c->status = soup_message_get_status (msg);
  c->reason = g_strdup (soup_message_get_reason_phrase (msg));
  c->done = TRUE;
}

static HlTestClient *connect_full (const char  *http,
                                   const char  *local_ip,
                                   const char  *protocol,
                                   guint       *status,
                                   char       **reason);

HlTestClient *
hl_test_client_connect (HlTestNode *node)
{
  return hl_test_client_connect_as (node, HL_SYNC_SUBPROTOCOL, NULL, NULL);
}

HlTestClient *
hl_test_client_connect_as (HlTestNode  *node,
                           const char  *protocol,
                           guint       *status,
                           char       **reason)
{
  g_autofree char *http = g_strdup_printf ("http://127.0.0.1:%u/", node->port);

  return connect_full (http, NULL, protocol, status, reason);
}

HlTestClient *
hl_test_client_connect_url (const char *url,
                            const char *local_ip)
{
  g_autofree char *http = g_str_has_prefix (url, "ws://") ? g_strconcat ("http://", url + 5, NULL)
                                                          : g_strdup (url);

  return connect_full (http, local_ip, HL_SYNC_SUBPROTOCOL, NULL, NULL);
}

static HlTestClient *
connect_full (const char  *http,
              const char  *local_ip,
              const char  *protocol,
              guint       *status,
              char       **reason)
{
  g_autoptr(GInetAddress) local = local_ip ? g_inet_address_new_from_string (local_ip) : NULL;
  g_autoptr(GSocketAddress) local_address = local ? g_inet_socket_address_new (local, 0) : NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("local-address", local_address,
                                                                  NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", http);
  const char *protocols[] = { protocol, NULL };
  Connecting c = { 0 };
  HlTestClient *client;

  soup_session_websocket_connect_async (session, msg, NULL, (char **) protocols, G_PRIORITY_DEFAULT,
                                        NULL, on_connected, &c);
  g_assert_true (hl_test_spin_until (&c.done, 10));
  if (status != NULL)
    *status = c.status;
  if (reason != NULL)
    *reason = g_steal_pointer (&c.reason);
  g_free (c.reason);
  if (c.conn == NULL)
    {
      g_test_message ("connection refused: %s (HTTP %u)", c.error ? c.error->message : "?", c.status);
      g_clear_error (&c.error);
      return NULL;
    }
  client = g_new0 (HlTestClient, 1);
  client->conn = c.conn;
  client->texts = g_ptr_array_new_with_free_func (g_free);
  soup_websocket_connection_set_max_incoming_payload_size (client->conn, 4 * HL_SYNC_MAX_FRAME);
  g_signal_connect (client->conn, "message", G_CALLBACK (on_message), client);
  g_signal_connect (client->conn, "closed", G_CALLBACK (on_closed), client);
  return client;
}

void
hl_test_client_text (HlTestClient *client,
                     const char   *text)
{
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (client->conn, text);
}

void
hl_test_client_binary (HlTestClient *client,
                       const guint8 *data,
                       gsize         len)
{
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_binary (client->conn, data, len);
}

JsonObject *
hl_test_client_wait_type (HlTestClient *client,
                          const char   *type,
                          guint         timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  guint waker = g_timeout_add (20, wake, NULL);
  JsonObject *found = NULL;

  while (found == NULL && g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < client->texts->len && found == NULL; i++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObject *obj;

          if (!json_parser_load_from_data (parser, g_ptr_array_index (client->texts, i), -1, NULL))
            continue;
          obj = json_node_get_object (json_parser_get_root (parser));
          if (g_strcmp0 (json_object_get_string_member_with_default (obj, "type", ""), type) == 0)
            found = json_object_ref (obj);
        }
      if (found == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (waker);
  return found;
}

void
hl_test_client_hello (HlTestClient *client,
                      HlIdentity   *identity,
                      int           version,
                      const char   *caps)
{
  g_autofree char *key = hl_identity_dup_public_hex (identity);
  g_autofree char *text = NULL;
  char nonce[2 * HL_SYNC_NONCE_LEN + 1];

  randombytes_buf (client->nonce, sizeof client->nonce);
  hl_hex_encode (client->nonce, sizeof client->nonce, nonce);
  text = g_strdup_printf ("{\"type\":\"hello\",\"version\":%d,\"min_version\":%d,\"software\":"
                          "\"test-client/1\",\"node\":\"%s\",\"nonce\":\"%s\",\"caps\":%s}",
                          version, version, key, nonce, caps);
  hl_test_client_text (client, text);
}

void
hl_test_client_auth (HlTestClient *client,
                     HlIdentity   *identity,
                     gboolean      good_sig)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) hello = NULL;
  guint8 msg[HL_SYNC_HANDSHAKE_MSG_LEN], sig[HL_SIG_LEN];
  char sig_hex[2 * HL_SIG_LEN + 1];

  hello = hl_test_client_wait_type (client, "hello", 10);
  g_assert_nonnull (hello);
  g_assert_true (hl_hex_decode (json_object_get_string_member (hello, "node"), client->their_key,
                                HL_KEY_LEN));
  g_assert_true (hl_hex_decode (json_object_get_string_member (hello, "nonce"), client->their_nonce,
                                HL_SYNC_NONCE_LEN));
  hl_sync_handshake_message (client->their_nonce, hl_identity_get_public_key (identity),
                             client->their_key, msg);
  if (!good_sig)
    msg[0] ^= 1;
  hl_identity_sign (identity, msg, sizeof msg, sig);
  hl_hex_encode (sig, sizeof sig, sig_hex);
  text = g_strdup_printf ("{\"type\":\"auth\",\"sig\":\"%s\"}", sig_hex);
  hl_test_client_text (client, text);
}

void
hl_test_client_handshake (HlTestClient *client,
                          HlIdentity   *identity,
                          const char   *caps)
{
  g_autoptr(JsonObject) auth = NULL;

  hl_test_client_hello (client, identity, 1, caps);
  hl_test_client_auth (client, identity, TRUE);
  auth = hl_test_client_wait_type (client, "auth", 10);
  g_assert_nonnull (auth);
}
