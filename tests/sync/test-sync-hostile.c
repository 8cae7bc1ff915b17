/* test-sync-hostile.c: a client that speaks the protocol badly cannot crash,
 * stall or poison a node, and is shut out once it has offended enough.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <sodium.h>

#include "hl-event.h"
#include "hl-identity.h"
#include "hl-sync-wire.h"
#include "hl-test-node.h"

typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *texts;     /* char *, every text message received */
  gboolean                 closed;
  gushort                  code;
  guint8                   nonce[HL_SYNC_NONCE_LEN];
  guint8                   their_key[HL_KEY_LEN];
  guint8                   their_nonce[HL_SYNC_NONCE_LEN];
} Client;

static void
client_free (Client *client)
{
  if (client->conn != NULL && soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&client->conn);
  g_ptr_array_unref (client->texts);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static gboolean
wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until *@flag or @timeout_s. */
static gboolean
spin_until (gboolean *flag,
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
  Client *client = user_data;

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    g_ptr_array_add (client->texts, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  Client *client = user_data;

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

static Client *
client_connect (HlTestNode *node,
                const char *protocol,
                guint      *status,
                char      **reason)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *http = g_strdup_printf ("http://127.0.0.1:%u/", node->port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", http);
  const char *protocols[] = { protocol, NULL };
  Connecting c = { 0 };
  Client *client;

  soup_session_websocket_connect_async (session, msg, NULL, (char **) protocols, G_PRIORITY_DEFAULT,
                                        NULL, on_connected, &c);
  g_assert_true (spin_until (&c.done, 10));
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
  client = g_new0 (Client, 1);
  client->conn = c.conn;
  client->texts = g_ptr_array_new_with_free_func (g_free);
  soup_websocket_connection_set_max_incoming_payload_size (client->conn, 4 * HL_SYNC_MAX_FRAME);
  g_signal_connect (client->conn, "message", G_CALLBACK (on_message), client);
  g_signal_connect (client->conn, "closed", G_CALLBACK (on_closed), client);
  return client;
}

static void
client_text (Client     *client,
             const char *text)
{
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (client->conn, text);
}

static void
client_binary (Client       *client,
               const guint8 *data,
               gsize         len)
{
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_binary (client->conn, data, len);
}

/* The first received message of @type, waiting up to @timeout_s. */
static JsonObject *
client_wait_type (Client     *client,
                  const char *type,
                  guint       timeout_s)
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

static void
client_hello (Client     *client,
              HlIdentity *identity,
              int         version)
{
  g_autofree char *key = hl_identity_dup_public_hex (identity);
  g_autofree char *text = NULL;
  char nonce[2 * HL_SYNC_NONCE_LEN + 1];

  randombytes_buf (client->nonce, sizeof client->nonce);
  hl_hex_encode (client->nonce, sizeof client->nonce, nonce);
  text = g_strdup_printf ("{\"type\":\"hello\",\"version\":%d,\"min_version\":%d,\"software\":"
                          "\"hostile/1\",\"node\":\"%s\",\"nonce\":\"%s\",\"caps\":[]}",
                          version, version, key, nonce);
  client_text (client, text);
}

/* A correct handshake; @good_sig FALSE signs the wrong bytes. */
static void
client_handshake (Client     *client,
                  HlIdentity *identity,
                  gboolean    good_sig)
{
  g_autoptr(JsonObject) hello = NULL;
  guint8 msg[HL_SYNC_HANDSHAKE_MSG_LEN], sig[HL_SIG_LEN];
  char sig_hex[2 * HL_SIG_LEN + 1];
  g_autofree char *text = NULL;

  client_hello (client, identity, 1);
  hello = client_wait_type (client, "hello", 10);
  g_assert_nonnull (hello);
  g_assert_true (hl_hex_decode (json_object_get_string_member (hello, "node"), client->their_key, HL_KEY_LEN));
  g_assert_true (hl_hex_decode (json_object_get_string_member (hello, "nonce"), client->their_nonce,
                                HL_SYNC_NONCE_LEN));
  hl_sync_handshake_message (client->their_nonce, hl_identity_get_public_key (identity),
                             client->their_key, msg);
  if (!good_sig)
    msg[0] ^= 1;
  hl_identity_sign (identity, msg, sizeof msg, sig);
  hl_hex_encode (sig, sizeof sig, sig_hex);
  text = g_strdup_printf ("{\"type\":\"auth\",\"sig\":\"%s\"}", sig_hex);
  client_text (client, text);
  if (good_sig)
    {
      g_autoptr(JsonObject) auth = client_wait_type (client, "auth", 10);
      g_assert_nonnull (auth);
    }
}

static HlEvent *
make_event (HlIdentity *author,
            gint64      ms,
            const char *name)
{
  HlTimestamp ts = { (guint64) ms, 0 };
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\"}", name);
  HlEvent *event = hl_event_new (HL_KIND_SUBNET_CREATE, hl_identity_get_public_key (author), &ts, NULL, body);

  hl_event_sign (event, author);
  return event;
}

static void
put_event (GByteArray *frame,
           HlEvent    *event,
           int         tamper)   /* 0 none, 1 a body byte, 2 the signature */
{
  gsize len;
  const guint8 *raw = g_bytes_get_data (event->canonical, &len);
  g_autofree guint8 *copy = g_memdup2 (raw, len);
  guint8 sig[HL_SIG_LEN];

  memcpy (sig, event->sig, sizeof sig);
  if (tamper == 1)
    copy[len - 3] ^= 0x01;
  else if (tamper == 2)
    sig[5] ^= 0x80;
  hl_sync_put_event (frame, copy, len, sig);
}

static gint64
status_int (HlTestNode *node,
            const char *member)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonObject *totals = json_object_get_object_member (json_node_get_object (status), "totals");

  return json_object_get_int_member (totals, member);
}

static void
test_refused_before_handshake (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autofree char *reason = NULL;
  guint status = 0;

  hl_test_node_start (a);

  /* A future protocol version: a readable HTTP refusal. */
  g_assert_null (client_connect (a, "hyperlink.v9", &status, &reason));
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (reason, "Incompatible Hyperlink sync protocol"));

  {
    g_autoptr(Client) junk = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
    client_text (junk, "{not json");
    g_assert_true (spin_until (&junk->closed, 10));
    g_assert_cmpuint (junk->code, ==, HL_SYNC_CLOSE_PROTOCOL);
  }
  {
    g_autoptr(Client) future = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
    g_autoptr(JsonObject) error = NULL;

    client_hello (future, me, 9);
    error = client_wait_type (future, "error", 10);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (json_object_get_string_member (error, "message"),
                              "incompatible sync protocol"));
    g_assert_true (spin_until (&future->closed, 10));
    g_assert_cmpuint (future->code, ==, HL_SYNC_CLOSE_VERSION);
  }
  {
    g_autoptr(Client) liar = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
    client_handshake (liar, me, FALSE);
    g_assert_true (spin_until (&liar->closed, 10));
    g_assert_cmpuint (liar->code, ==, HL_SYNC_CLOSE_AUTH);
  }
  {
    g_autoptr(Client) early = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
    static const guint8 frame[] = { HL_SYNC_FRAME_EVENTS, 1, 2, 3 };
    client_binary (early, frame, sizeof frame);
    g_assert_true (spin_until (&early->closed, 10));
    g_assert_cmpuint (early->code, ==, HL_SYNC_CLOSE_PROTOCOL);
  }
  hl_test_node_stop (a);
}

static void
test_bad_input_after_handshake (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlIdentity) author = hl_identity_new_random ();
  g_autoptr(HlEvent) good = make_event (author, hl_now_ms (), "good");
  g_autoptr(HlEvent) forged = make_event (author, hl_now_ms (), "forged");
  g_autoptr(HlEvent) bad_sig = make_event (author, hl_now_ms (), "badsig");
  g_autoptr(HlEvent) future = make_event (author, hl_now_ms () + 24 * 3600 * 1000, "future");
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(Client) hostile = NULL;
  g_autoptr(Client) again = NULL;
  g_autofree char *good_id = hl_event_id_hex (good);
  g_autofree char *forged_id = hl_event_id_hex (forged);
  g_autofree char *bad_sig_id = hl_event_id_hex (bad_sig);
  g_autofree char *future_id = hl_event_id_hex (future);
  g_autofree char *honest = NULL;
  g_autofree guint8 *huge = NULL;
  HlTestNode *both[] = { a, b };
  guint8 type = HL_SYNC_FRAME_EVENTS;

  hl_test_node_start (a);
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  g_assert_true (hl_test_wait_in_sync (b, 1, 20));

  hostile = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  client_handshake (hostile, me, TRUE);

  /* One frame: a good event among a tampered body, a bad signature and a
   * clock far ahead. Only the good one may be stored. */
  g_byte_array_append (frame, &type, 1);
  put_event (frame, forged, 1);
  put_event (frame, good, 0);
  put_event (frame, bad_sig, 2);
  put_event (frame, future, 0);
  client_binary (hostile, frame->data, frame->len);
  g_assert_true (hl_test_wait_has (a, good_id, 20));
  g_assert_true (hl_test_wait_has (b, good_id, 20));   /* and relayed */
  g_assert_false (hl_test_node_has (a, forged_id));
  g_assert_false (hl_test_node_has (a, bad_sig_id));
  g_assert_false (hl_test_node_has (a, future_id));

  /* Garbage of every other kind, each dropped with a logged reason. */
  client_text (hostile, "[1, 2, 3]");
  client_text (hostile, "{\"type\": \"launch-missiles\"}");
  client_text (hostile, "{\"type\": \"want\", \"ids\": [\"xyz\"]}");
  {
    static const guint8 junk_recon[] = { HL_SYNC_FRAME_RECON, 1, 0x80 };
    static const guint8 unknown[] = { 0x7f, 1, 2 };
    client_binary (hostile, junk_recon, sizeof junk_recon);
    client_binary (hostile, unknown, sizeof unknown);
  }
  /* Bigger than the frame limit. */
  huge = g_malloc0 (HL_SYNC_MAX_FRAME + 4096);
  huge[0] = HL_SYNC_FRAME_EVENTS;
  client_binary (hostile, huge, HL_SYNC_MAX_FRAME + 4096);

  /* The node is still serving its honest peer meanwhile. */
  honest = hl_test_node_post (a, "honest post during the attack");
  g_assert_true (hl_test_wait_has (b, honest, 20));

  /* Keep offending: the node hangs up and bans this key. */
  for (guint i = 0; i < 40 && !hostile->closed; i++)
    {
      client_text (hostile, "{\"type\": \"nonsense\"}");
      client_text (hostile, "not json at all");
      spin_until (&hostile->closed, 0);
    }
  g_assert_true (spin_until (&hostile->closed, 20));
  g_assert_cmpuint (hostile->code, ==, HL_SYNC_CLOSE_OFFENCES);

  again = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  g_assert_nonnull (again);
  client_hello (again, me, 1);
  g_assert_true (spin_until (&again->closed, 10));
  g_assert_cmpuint (again->code, ==, HL_SYNC_CLOSE_BANNED);

  /* Nothing bad got in anywhere, and the two honest nodes agree. */
  g_assert_cmpint (status_int (a, "events_refused"), >=, 3);
  g_assert_true (hl_test_wait_converged (both, 2, 20));
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static void
test_flood_and_silence (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlIdentity) other = hl_identity_new_random ();
  g_autoptr(Client) flood = NULL;
  g_autoptr(Client) silent = NULL;
  g_autoptr(Client) reader = NULL;
  const char *dirs[] = { a->data_dir };
  g_autofree char *honest = NULL;

  hl_test_fill (dirs, 1, 3000, 5, 1700000000000);
  hl_test_node_start (a);

  /* Connects and says nothing: dropped when the handshake times out. */
  silent = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);

  /* A peer that completes the handshake and asks for everything, but never
   * acknowledges: the node sends one window and stops, and stays responsive. */
  reader = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  g_assert_nonnull (reader);
  client_handshake (reader, other, TRUE);
  {
    static const guint8 everything[] = { HL_SYNC_FRAME_RECON, HL_SYNC_RECON_INITIATOR, 0, 0, 2, 0 };
    client_binary (reader, everything, sizeof everything);
  }

  /* Messages far faster than the rate limit. */
  flood = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  g_assert_nonnull (flood);
  client_handshake (flood, me, TRUE);
  for (guint i = 0; i < 20000 && !flood->closed; i++)
    {
      client_text (flood, "{\"type\":\"ping\"}");
      if (i % 500 == 0)
        spin_until (&flood->closed, 0);
    }
  g_assert_true (spin_until (&flood->closed, 30));
  g_assert_cmpuint (flood->code, ==, HL_SYNC_CLOSE_OFFENCES);

  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  honest = hl_test_node_post (a, "still serving");
  g_assert_true (hl_test_wait_has (b, honest, 30));

  g_assert_true (spin_until (&silent->closed, 20));
  g_assert_cmpuint (silent->code, ==, HL_SYNC_CLOSE_TIMEOUT);
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

/* A peer that goes quiet after the handshake is dropped as dead. */
static void
test_dead_peer (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(Client) quiet = NULL;

  g_setenv ("HYPERLINK_SYNC_PING_MS", "300", TRUE);
  hl_test_node_start (a);
  g_unsetenv ("HYPERLINK_SYNC_PING_MS");
  quiet = client_connect (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  g_assert_nonnull (quiet);
  client_handshake (quiet, me, TRUE);
  /* Pings go unanswered; after three silent intervals the node hangs up. */
  g_assert_true (spin_until (&quiet->closed, 10));
  g_assert_cmpuint (quiet->code, ==, HL_SYNC_CLOSE_TIMEOUT);
  hl_test_node_stop (a);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/sync/hostile/before-handshake", test_refused_before_handshake);
  g_test_add_func ("/sync/hostile/bad-input", test_bad_input_after_handshake);
  g_test_add_func ("/sync/hostile/flood-and-silence", test_flood_and_silence);
  g_test_add_func ("/sync/hostile/dead-peer", test_dead_peer);
  return g_test_run ();
}
