/* test-sync-hostile.c: a client that speaks the protocol badly cannot crash,
 * stall or poison a node, and is shut out once it has offended enough.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "hl-event.h"
#include "hl-test-client.h"

/* The hello of a client speaking protocol @version, with no caps. */
static void
client_hello (HlTestClient *client,
              HlIdentity   *identity,
              int           version)
{
  hl_test_client_hello (client, identity, version, "[]");
}

/* A correct handshake; @good_sig FALSE signs the wrong bytes (and does not
 * wait for the node's auth, which will not come). */
static void
client_handshake (HlTestClient *client,
                  HlIdentity   *identity,
                  gboolean      good_sig)
{
  if (good_sig)
    hl_test_client_handshake (client, identity, "[]");
  else
    {
      client_hello (client, identity, 1);
      hl_test_client_auth (client, identity, FALSE);
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

/* For hl_test_wait_for: the status file, written every 100 ms, says the
 * node refused at least GPOINTER_TO_INT (@least) events. */
static gboolean
refused_at_least (HlTestNode *node,
                  gpointer    least)
{
  return status_int (node, "events_refused") >= GPOINTER_TO_INT (least);
}

/* Whether @client received a message of @type. */
static gboolean
received_type (HlTestClient *client,
               const char   *type)
{
  for (guint i = 0; i < client->texts->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_ptr_array_index (client->texts, i), -1, NULL) &&
          g_strcmp0 (json_object_get_string_member_with_default (
                       json_node_get_object (json_parser_get_root (parser)), "type", ""), type) == 0)
        return TRUE;
    }
  return FALSE;
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
  g_assert_null (hl_test_client_connect_as (a, "hyperlink.v9", &status, &reason));
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (reason, "Incompatible Hyperlink sync protocol"));

  {
    g_autoptr(HlTestClient) junk = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
    hl_test_client_text (junk, "{not json");
    g_assert_true (hl_test_spin_until (&junk->closed, 10));
    g_assert_cmpuint (junk->code, ==, HL_SYNC_CLOSE_PROTOCOL);
  }
  {
    g_autoptr(HlTestClient) future = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
    g_autoptr(JsonObject) error = NULL;

    client_hello (future, me, 9);
    error = hl_test_client_wait_type (future, "error", 10);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (json_object_get_string_member (error, "message"),
                              "incompatible sync protocol"));
    g_assert_true (hl_test_spin_until (&future->closed, 10));
    g_assert_cmpuint (future->code, ==, HL_SYNC_CLOSE_VERSION);
  }
  {
    g_autoptr(HlTestClient) liar = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
    client_handshake (liar, me, FALSE);
    g_assert_true (hl_test_spin_until (&liar->closed, 10));
    g_assert_cmpuint (liar->code, ==, HL_SYNC_CLOSE_AUTH);
  }
  {
    g_autoptr(HlTestClient) early = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
    static const guint8 frame[] = { HL_SYNC_FRAME_EVENTS, 1, 2, 3 };
    hl_test_client_binary (early, frame, sizeof frame);
    g_assert_true (hl_test_spin_until (&early->closed, 10));
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
  g_autoptr(HlTestClient) hostile = NULL;
  g_autoptr(HlTestClient) again = NULL;
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

  hostile = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  client_handshake (hostile, me, TRUE);

  /* One frame: a good event among a tampered body, a bad signature and a
   * clock far ahead. Only the good one may be stored. */
  g_byte_array_append (frame, &type, 1);
  put_event (frame, forged, 1);
  put_event (frame, good, 0);
  put_event (frame, bad_sig, 2);
  put_event (frame, future, 0);
  hl_test_client_binary (hostile, frame->data, frame->len);
  g_assert_true (hl_test_wait_has (a, good_id, 20));
  g_assert_true (hl_test_wait_has (b, good_id, 20));   /* and relayed */
  g_assert_false (hl_test_node_has (a, forged_id));
  g_assert_false (hl_test_node_has (a, bad_sig_id));
  g_assert_false (hl_test_node_has (a, future_id));

  /* Garbage of every other kind, each dropped with a logged reason. */
  hl_test_client_text (hostile, "[1, 2, 3]");
  hl_test_client_text (hostile, "{\"type\": \"launch-missiles\"}");
  hl_test_client_text (hostile, "{\"type\": \"want\", \"ids\": [\"xyz\"]}");
  /* Two objects in one message: json-glib would read the last and leak the
   * first, so the node refuses the whole before parsing it. */
  hl_test_client_text (hostile, "{\"type\": \"ping\", \"pad\": \"x\"} {\"type\": \"ping\"}");
  {
    static const guint8 junk_recon[] = { HL_SYNC_FRAME_RECON, 1, 0x80 };
    static const guint8 unknown[] = { 0x7f, 1, 2 };
    hl_test_client_binary (hostile, junk_recon, sizeof junk_recon);
    hl_test_client_binary (hostile, unknown, sizeof unknown);
  }
  /* Bigger than the frame limit. */
  huge = g_malloc0 (HL_SYNC_MAX_FRAME + 4096);
  huge[0] = HL_SYNC_FRAME_EVENTS;
  hl_test_client_binary (hostile, huge, HL_SYNC_MAX_FRAME + 4096);

  /* The node is still serving its honest peer meanwhile. */
  honest = hl_test_node_post (a, "honest post during the attack");
  g_assert_true (hl_test_wait_has (b, honest, 20));

  /* Keep offending: the node hangs up and bans this key. */
  for (guint i = 0; i < 40 && !hostile->closed; i++)
    {
      hl_test_client_text (hostile, "{\"type\": \"nonsense\"}");
      hl_test_client_text (hostile, "not json at all");
      hl_test_spin_until (&hostile->closed, 0);
    }
  g_assert_true (hl_test_spin_until (&hostile->closed, 20));
  g_assert_cmpuint (hostile->code, ==, HL_SYNC_CLOSE_OFFENCES);

  again = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  g_assert_nonnull (again);
  client_hello (again, me, 1);
  g_assert_true (hl_test_spin_until (&again->closed, 10));
  g_assert_cmpuint (again->code, ==, HL_SYNC_CLOSE_BANNED);

  /* Nothing bad got in anywhere, and the two honest nodes agree. */
  g_assert_true (hl_test_wait_for (a, refused_at_least, GINT_TO_POINTER (3), 10));
  /* The only pings it sent came two to a message: none was answered. */
  g_assert_false (received_type (hostile, "pong"));
  g_assert_true (hl_test_wait_converged (both, 2, 20));
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static gboolean
keep_waking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
has_ack (HlTestClient *client,
         gint64        bytes)
{
  for (guint i = 0; i < client->texts->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *obj;

      if (!json_parser_load_from_data (parser, g_ptr_array_index (client->texts, i), -1, NULL))
        continue;
      obj = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member_with_default (obj, "type", ""), "ack") == 0 &&
          json_object_get_int_member_with_default (obj, "bytes", -1) == bytes)
        return TRUE;
    }
  return FALSE;
}

/* An ack from the node for exactly @bytes, within @timeout_s. */
static gboolean
wait_ack (HlTestClient *client,
          gint64        bytes,
          guint         timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  guint waker = g_timeout_add (20, keep_waking, NULL);
  gboolean found;

  while (!(found = has_ack (client, bytes)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (waker);
  return found;
}

/* EVENTS frames that are empty, hold a refused event, or are badly framed
 * (a length in a padded varint) are each an offence, and each is counted in
 * the node's acks once processed, so a sender's window never loses bytes. */
static void
test_events_framing (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlIdentity) author = hl_identity_new_random ();
  g_autoptr(HlEvent) forged = make_event (author, hl_now_ms (), "forged");
  g_autoptr(HlEvent) padded = make_event (author, hl_now_ms (), "padded");
  g_autoptr(HlEvent) good = make_event (author, hl_now_ms (), "good");
  g_autofree char *padded_id = hl_event_id_hex (padded);
  g_autofree char *good_id = hl_event_id_hex (good);
  g_autoptr(HlTestClient) client = NULL;
  g_autoptr(GByteArray) refused = g_byte_array_new ();
  g_autoptr(GByteArray) broken = g_byte_array_new ();
  g_autoptr(GByteArray) fine = g_byte_array_new ();
  static const guint8 empty[] = { HL_SYNC_FRAME_EVENTS };
  guint8 type = HL_SYNC_FRAME_EVENTS;
  gint64 total = 0;

  hl_test_node_start (a);
  client = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  g_assert_nonnull (client);
  client_handshake (client, me, TRUE);

  /* The kind byte alone. */
  hl_test_client_binary (client, empty, sizeof empty);
  total += sizeof empty;
  g_assert_true (wait_ack (client, total, 20));
  g_assert_true (hl_test_node_log_has (a, "an events frame with no records"));

  /* One record, well framed, whose event fails its checks. */
  g_byte_array_append (refused, &type, 1);
  put_event (refused, forged, 1);
  hl_test_client_binary (client, refused->data, refused->len);
  total += refused->len;
  g_assert_true (wait_ack (client, total, 20));

  /* The length as a varint with a padding byte: the framing is broken, so
   * the event after it is never looked at. */
  {
    gsize len;
    const guint8 *raw = g_bytes_get_data (padded->canonical, &len);
    guint8 varint[3] = { (guint8) (0x80 | (len & 0x7f)), (guint8) (0x80 | (len >> 7)), 0x00 };

    g_assert_cmpuint (len, <, 1 << 14);
    g_byte_array_append (broken, &type, 1);
    g_byte_array_append (broken, varint, sizeof varint);
    g_byte_array_append (broken, raw, len);
    g_byte_array_append (broken, padded->sig, HL_SIG_LEN);
  }
  hl_test_client_binary (client, broken->data, broken->len);
  total += broken->len;
  g_assert_true (wait_ack (client, total, 20));
  g_assert_true (hl_test_node_log_has (a, "Broken events frame"));

  /* And the connection still carries good events. */
  g_byte_array_append (fine, &type, 1);
  put_event (fine, good, 0);
  hl_test_client_binary (client, fine->data, fine->len);
  total += fine->len;
  g_assert_true (wait_ack (client, total, 20));
  g_assert_true (hl_test_node_has (a, good_id));
  g_assert_false (hl_test_node_has (a, padded_id));
  g_assert_false (client->closed);
  hl_test_node_stop (a);
}

/* The node allows 1000 messages a second with bursts of 4000
 * (docs/protocol.md, "Sync limits"), and bans at 100 points, one an excess
 * message. Each write holds twice the burst, all waiting for the node at
 * once: a node that takes them in at any rate above the allowance (tens of
 * thousands a second in a plain build, over 1,300 under ASan on a loaded
 * machine) counts hundreds of excess messages before the writes run out. */
#define FLOOD_BURST  8000
#define FLOOD_WRITES 10

/* @n copies of the text message @text as a client frames them (RFC 6455,
 * section 5.2: FIN, opcode 1, masked), back to back. */
static GByteArray *
masked_text_frames (const char *text,
                    guint       n)
{
  static const guint8 mask[4] = { 0x1b, 0x2c, 0x3d, 0x4e };
  gsize len = strlen (text);
  GByteArray *out = g_byte_array_sized_new ((guint) (n * (len + 6)));

  g_assert_cmpuint (len, <, 126);
  for (guint i = 0; i < n; i++)
    {
      guint8 head[2] = { 0x81, 0x80 | (guint8) len };

      g_byte_array_append (out, head, sizeof head);
      g_byte_array_append (out, mask, sizeof mask);
      for (gsize k = 0; k < len; k++)
        {
          guint8 b = (guint8) text[k] ^ mask[k % 4];
          g_byte_array_append (out, &b, 1);
        }
    }
  return out;
}

/* Writes @bytes straight onto @client's socket in one call, past libsoup's
 * queue (which sends one frame per main loop turn once the socket is full,
 * too slowly to flood anything). Only between messages: the handshake's
 * frames are out once the node's auth came back. FALSE when the node has
 * closed the connection. */
static gboolean
write_raw (HlTestClient *client,
           GByteArray   *bytes)
{
  GIOStream *io = soup_websocket_connection_get_io_stream (client->conn);
  g_autoptr(GError) error = NULL;

  return g_output_stream_write_all (g_io_stream_get_output_stream (io), bytes->data, bytes->len,
                                    NULL, NULL, &error);
}

static void
test_flood_and_silence (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlIdentity) other = hl_identity_new_random ();
  g_autoptr(HlTestClient) flood = NULL;
  g_autoptr(HlTestClient) silent = NULL;
  g_autoptr(HlTestClient) reader = NULL;
  const char *dirs[] = { a->data_dir };
  g_autofree char *honest = NULL;

  hl_test_fill (dirs, 1, 3000, 5, 1700000000000);
  /* A rate far below what any machine handles (the node must see the flood
   * outrun it however slow it is: a sanitized build on a loaded machine
   * takes only about 1,300 messages a second). */
  g_setenv ("HYPERLINK_SYNC_RATE", "100", TRUE);
  hl_test_node_start (a);
  g_unsetenv ("HYPERLINK_SYNC_RATE");

  /* Connects and says nothing: dropped when the handshake times out. */
  silent = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);

  /* A peer that completes the handshake and asks for everything, but never
   * acknowledges: the node sends one window and stops, and stays responsive. */
  reader = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  g_assert_nonnull (reader);
  client_handshake (reader, other, TRUE);
  {
    static const guint8 everything[] = { HL_SYNC_FRAME_RECON, HL_SYNC_RECON_INITIATOR, 0, 0, 2, 0 };
    hl_test_client_binary (reader, everything, sizeof everything);
  }

  /* Far more messages than the rate allows, in writes that each hold more
   * than the burst allowance: whatever the speed of the machine, the node
   * finds them all waiting and counts every one past the allowance. */
  flood = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  g_assert_nonnull (flood);
  client_handshake (flood, me, TRUE);
  {
    g_autoptr(GByteArray) burst = masked_text_frames ("{\"type\":\"pong\"}", FLOOD_BURST);

    for (guint i = 0; i < FLOOD_WRITES && !flood->closed; i++)
      {
        if (!write_raw (flood, burst))
          break;   /* the node hung up while we wrote */
        while (g_main_context_iteration (NULL, FALSE))
          ;
      }
  }
  g_assert_true (hl_test_spin_until (&flood->closed, 60));
  g_assert_cmpuint (flood->code, ==, HL_SYNC_CLOSE_OFFENCES);
  g_assert_true (hl_test_node_log_has (a, "more than 100 messages a second"));

  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  honest = hl_test_node_post (a, "still serving");
  g_assert_true (hl_test_wait_has (b, honest, 30));

  g_assert_true (hl_test_spin_until (&silent->closed, 20));
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
  g_autoptr(HlTestClient) quiet = NULL;

  g_setenv ("HYPERLINK_SYNC_PING_MS", "300", TRUE);
  hl_test_node_start (a);
  g_unsetenv ("HYPERLINK_SYNC_PING_MS");
  quiet = hl_test_client_connect_as (a, HL_SYNC_SUBPROTOCOL, NULL, NULL);
  g_assert_nonnull (quiet);
  client_handshake (quiet, me, TRUE);
  /* Pings go unanswered; after three silent intervals the node hangs up. */
  g_assert_true (hl_test_spin_until (&quiet->closed, 10));
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
  g_test_add_func ("/sync/hostile/events-framing", test_events_framing);
  g_test_add_func ("/sync/hostile/flood-and-silence", test_flood_and_silence);
  g_test_add_func ("/sync/hostile/dead-peer", test_dead_peer);
  return g_test_run ();
}
