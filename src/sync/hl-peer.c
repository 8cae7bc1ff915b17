/* hl-peer.c: one connection: handshake, message dispatch, flow control,
 * rate limits and offences. The queue of events to send is hl-peer-queue.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"
#include "hl-node-archive.h"

#include <sodium.h>
#include <stdlib.h>

#include "hl-json.h"
#include "hl-store-sync.h"
#include "hl-sync-error.h"

#define HANDSHAKE_TIMEOUT_US   (HL_SYNC_HANDSHAKE_TIMEOUT_S * G_USEC_PER_SEC)
#define RATE_BURST_SECONDS     4.0      /* the burst allowance, in seconds of the rate */
#define SCORE_LIMIT            100.0
#define SCORE_DECAY_PER_SECOND 1.0
#define WANT_TIMEOUT_US        (60 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (HlPeer, hl_peer, G_TYPE_OBJECT)


static void
hl_peer_finalize (GObject *object)
{
  HlPeer *self = HL_PEER (object);

  if (self->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->conn, self);
      if (soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->conn);
    }
  if (self->guard != NULL)
    g_signal_handlers_disconnect_by_data (self->guard, self);
  g_clear_object (&self->guard);
  g_queue_free_full (self->queue, (GDestroyNotify) hl_push_free);
  g_hash_table_unref (self->wants);
  g_array_unref (self->want_backlog);
  g_hash_table_unref (self->received);
  g_free (self->address);
  g_free (self->remote_host);
  g_free (self->their_key_hex);
  g_free (self->their_software);
  g_free (self->their_error);
  g_free (self->tailnet_user);
  g_free (self->machine);
  g_free (self->whois_problem);
  g_free (self->tailnet_machine);
  g_strfreev (self->tailnet_tags);
  g_clear_pointer (&self->zone_set, hl_sync_set_free);
  g_clear_pointer (&self->reach, g_ptr_array_unref);
  g_clear_pointer (&self->archive, hl_peer_archive_free);

  G_OBJECT_CLASS (hl_peer_parent_class)->finalize (object);
}

static void
hl_peer_class_init (HlPeerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_peer_finalize;
}

static void
hl_peer_init (HlPeer *self)
{
  self->queue = g_queue_new ();
  self->wants = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->want_backlog = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->received = g_hash_table_new_full (hl_id_hash, hl_id_equal, g_free, NULL);
}

const char *
hl_peer_label (HlPeer *self)
{
  return self->address;
}

/* ---- sending ---- */

/* libsoup queues without limit what a peer does not read: a peer that lets
 * HL_SYNC_MAX_UNSENT pile up goes, as one that stopped answering would. */
static gboolean
may_queue (HlPeer *self,
           gsize   len)
{
  if (self->guard == NULL)
    return TRUE;
  if (!self->closing && hl_ws_guard_get_unsent (self->guard) > (guint64) self->node->max_unsent)
    {
      g_autofree char *reason =
        g_strdup_printf ("the peer reads too slowly: %" G_GUINT64_FORMAT " bytes wait to be sent "
                         "to it", hl_ws_guard_get_unsent (self->guard));
      hl_peer_close (self, HL_SYNC_CLOSE_TIMEOUT, reason);
      return FALSE;
    }
  hl_ws_guard_note_queued (self->guard, len);
  return TRUE;
}

void
hl_peer_send_json (HlPeer      *self,
                   JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  if (self->state == HL_PEER_CLOSED ||
      soup_websocket_connection_get_state (self->conn) != SOUP_WEBSOCKET_STATE_OPEN ||
      !may_queue (self, strlen (text)))
    return;
  self->bytes_sent += strlen (text);
  self->node->totals_bytes_sent += strlen (text);
  soup_websocket_connection_send_text (self->conn, text);
}

void
hl_peer_send_binary (HlPeer     *self,
                     GByteArray *frame)
{
  if (self->state == HL_PEER_CLOSED ||
      soup_websocket_connection_get_state (self->conn) != SOUP_WEBSOCKET_STATE_OPEN ||
      !may_queue (self, frame->len))
    return;
  self->bytes_sent += frame->len;
  self->node->totals_bytes_sent += frame->len;
  soup_websocket_connection_send_binary (self->conn, frame->data, frame->len);
}

static void
send_simple (HlPeer     *self,
             const char *type)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_end_object (b);
  hl_peer_send_json (self, b);
}

void
hl_peer_close (HlPeer     *self,
               gushort     code,
               const char *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  char short_reason[120];

  if (self->state == HL_PEER_CLOSED || self->closing)
    return;
  /* Over a dead link the close handshake can take seconds; the connection
   * stops counting now. */
  self->closing = TRUE;
  g_message ("Closing the connection with %s: %s", hl_peer_label (self), reason);
  /* The full reason as a message the other side logs; the close frame only
   * has room for 123 bytes. */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "error");
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
  hl_peer_send_json (self, b);
  g_utf8_strncpy (short_reason, reason, 30);
  if (soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->conn, code, short_reason);
  if (self->guard != NULL)
    hl_ws_guard_closed_by_us (self->guard);
}

gboolean
hl_peer_is_ready (HlPeer *self)
{
  return self->state == HL_PEER_READY && !self->closing;
}

void
hl_peer_offence (HlPeer     *self,
                 double      points,
                 const char *format,
                 ...)
{
  g_autofree char *what = NULL;
  gint64 now = g_get_monotonic_time ();
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (self->score_at != 0)
    self->score = MAX (0.0, self->score - SCORE_DECAY_PER_SECOND *
                                          (double) (now - self->score_at) / G_USEC_PER_SEC);
  self->score_at = now;
  self->score += points;
  g_warning ("Dropped input from %s: %s (offence score %.0f of %.0f)",
             hl_peer_label (self), what, self->score, SCORE_LIMIT);
  if (self->score >= SCORE_LIMIT && self->state != HL_PEER_CLOSED)
    {
      g_autofree char *reason = g_strdup_printf ("too many protocol offences, the last: %s; "
                                                 "banned for a while", what);
      hl_node_ban (self->node, self);
      hl_peer_close (self, HL_SYNC_CLOSE_OFFENCES, reason);
    }
}

/* ---- handshake ---- */

static void
send_hello (HlPeer *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  char nonce_hex[2 * HL_SYNC_NONCE_LEN + 1];

  randombytes_buf (self->my_nonce, sizeof self->my_nonce);
  hl_hex_encode (self->my_nonce, sizeof self->my_nonce, nonce_hex);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "hello");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, HL_SYNC_VERSION);
  json_builder_set_member_name (b, "min_version");
  json_builder_add_int_value (b, HL_SYNC_VERSION);
  json_builder_set_member_name (b, "software");
  json_builder_add_string_value (b, "hyperlinkd/" PACKAGE_VERSION);
  json_builder_set_member_name (b, "node");
  json_builder_add_string_value (b, self->node->key_hex);
  json_builder_set_member_name (b, "nonce");
  json_builder_add_string_value (b, nonce_hex);
  json_builder_set_member_name (b, "caps");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "recon-1");
  json_builder_add_string_value (b, "events-1");
  hl_node_add_caps (self->node, b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  hl_peer_send_json (self, b);
}

static void transport_ready (HlPeer *self);

static void
maybe_ready (HlPeer *self)
{
  if (self->state != HL_PEER_HANDSHAKE || !self->got_hello || !self->got_auth ||
      self->admission != HL_ADMIT_YES || self->closing)
    return;
  self->state = HL_PEER_READY;
  transport_ready (self);
  g_message ("Connected to node %.16s… at %s (%s, %s)", self->their_key_hex,
             hl_peer_label (self), self->outbound ? "dialled" : "dialled us",
             self->their_software ? self->their_software : "unknown software");
  hl_node_peer_ready (self->node, self);
}

static void
send_auth (HlPeer *self)
{
  g_autoptr(JsonBuilder) b = NULL;
  guint8 msg[HL_SYNC_HANDSHAKE_MSG_LEN];
  guint8 sig[HL_SIG_LEN];
  char sig_hex[2 * HL_SIG_LEN + 1];

  if (self->auth_sent || !self->got_hello || self->state != HL_PEER_HANDSHAKE || self->closing)
    return;
  self->auth_sent = TRUE;
  b = json_builder_new ();

  /* Prove we hold our key: sign the nonce they chose, bound to both keys. */
  hl_sync_handshake_message (self->their_nonce, hl_identity_get_public_key (hl_node_get_identity (self->node)),
                             self->their_key, msg);
  hl_identity_sign (hl_node_get_identity (self->node), msg, sizeof msg, sig);
  hl_hex_encode (sig, sizeof sig, sig_hex);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "auth");
  json_builder_set_member_name (b, "sig");
  json_builder_add_string_value (b, sig_hex);
  json_builder_end_object (b);
  hl_peer_send_json (self, b);
}

void
hl_peer_admit (HlPeer *self)
{
  self->admission = HL_ADMIT_YES;
  send_auth (self);
  maybe_ready (self);
}

void
hl_peer_probation (HlPeer *self)
{
  self->admission = HL_ADMIT_PROBATION;
  self->was_on_probation = TRUE;
  send_auth (self);
}

void
hl_peer_early_binary (HlPeer *self)
{
  /* It finished the handshake on its side (it may have opened a
   * reconciliation): not an offence, just not taken. */
  if (self->admission == HL_ADMIT_PROBATION && self->got_auth)
    return;
  hl_peer_close (self, HL_SYNC_CLOSE_PROTOCOL, "a binary frame before the handshake finished");
}

static gboolean
is_string_array (JsonNode *node)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (json_node_get_value_type (json_array_get_element (array, i)) != G_TYPE_STRING)
      return FALSE;
  return TRUE;
}

/* The members of a hello besides "node" and "nonce" (docs/protocol.md,
 * "Handshake"): NULL when well formed, else what is wrong. */
static const char *
check_hello (JsonObject *obj,
             gint64     *version,
             gint64     *min_version)
{
  JsonNode *software = json_object_get_member (obj, "software");
  JsonNode *caps = json_object_get_member (obj, "caps");

  if (!hl_json_get_int (obj, "version", version) || *version < 1)
    return "“version” must be an integer of at least 1";
  *min_version = *version;
  if (json_object_has_member (obj, "min_version") &&
      (!hl_json_get_int (obj, "min_version", min_version) || *min_version < 1 ||
       *min_version > *version))
    return "“min_version” must be an integer from 1 to “version”";
  if (software != NULL && json_node_get_value_type (software) != G_TYPE_STRING)
    return "“software” must be a string";
  if (caps != NULL && !is_string_array (caps))
    return "“caps” must be an array of strings";
  return NULL;
}

static void
handle_hello (HlPeer     *self,
              JsonObject *obj)
{
  const char *node = hl_json_get_string (obj, "node");
  const char *nonce = hl_json_get_string (obj, "nonce");
  const char *software = hl_json_get_string (obj, "software");
  gint64 version = 0, min_version = 0;
  const char *why;

  if (self->got_hello)
    {
      hl_peer_close (self, HL_SYNC_CLOSE_PROTOCOL, "a second hello on one connection");
      return;
    }
  if ((why = check_hello (obj, &version, &min_version)) != NULL)
    {
      g_autofree char *reason = g_strdup_printf ("malformed hello: %s", why);
      hl_peer_close (self, HL_SYNC_CLOSE_PROTOCOL, reason);
      return;
    }
  if (min_version > HL_SYNC_VERSION)
    {
      g_autofree char *reason =
        g_strdup_printf ("incompatible sync protocol: this node (hyperlinkd %s) speaks version "
                         "%d, the peer speaks %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                         "; update the older node", PACKAGE_VERSION, HL_SYNC_VERSION,
                         min_version, version);
      hl_peer_close (self, HL_SYNC_CLOSE_VERSION, reason);
      return;
    }
  if (node == NULL || strlen (node) != 2 * HL_KEY_LEN || !hl_hex_decode (node, self->their_key, HL_KEY_LEN) ||
      nonce == NULL || strlen (nonce) != 2 * HL_SYNC_NONCE_LEN ||
      !hl_hex_decode (nonce, self->their_nonce, HL_SYNC_NONCE_LEN))
    {
      hl_peer_close (self, HL_SYNC_CLOSE_PROTOCOL,
                     "malformed hello: “node” and “nonce” must be 64 hex digits");
      return;
    }
  self->got_hello = TRUE;
  self->their_key_hex = hl_hex_dup (self->their_key, HL_KEY_LEN);
  self->their_software = g_utf8_substring (software ? software : "unknown", 0,
                                           MIN (g_utf8_strlen (software ? software : "unknown", -1),
                                                HL_SYNC_MAX_SOFTWARE));
  self->caps = hl_node_parse_caps (json_object_get_member (obj, "caps"));

  hl_node_peer_hello (self->node, self);
  if (self->state == HL_PEER_CLOSED || self->closing)
    return;
  /* We trust whom we dialled; an inbound peer gets our auth only once
   * admission says so: without it, it cannot start syncing. */
  if (self->outbound)
    send_auth (self);
  else
    hl_node_admission_update (self->node, self);
}

static void
handle_auth (HlPeer     *self,
             JsonObject *obj)
{
  const char *sig_hex = hl_json_get_string (obj, "sig");
  guint8 sig[HL_SIG_LEN];

  if (!self->got_hello || self->got_auth)
    {
      hl_peer_close (self, HL_SYNC_CLOSE_PROTOCOL, "auth out of order: send hello first, auth once");
      return;
    }
  if (sig_hex == NULL || strlen (sig_hex) != 2 * HL_SIG_LEN || !hl_hex_decode (sig_hex, sig, HL_SIG_LEN) ||
      !hl_sync_handshake_verify (self->my_nonce, self->their_key,
                                 hl_identity_get_public_key (hl_node_get_identity (self->node)), sig))
    {
      hl_peer_close (self, HL_SYNC_CLOSE_AUTH,
                     "the handshake signature does not verify: the peer did not prove it holds "
                     "the node key it claims");
      return;
    }
  self->got_auth = TRUE;
  /* Slots are given to proven keys only. */
  hl_node_admission_update (self->node, self);
}

/* A peer on probation finished the handshake on its side and may send
 * what a ready peer sends; only what redeeming an invite needs is taken. */
static void
handle_probation_text (HlPeer     *self,
                       const char *type,
                       JsonObject *obj)
{
  if (strcmp (type, "redeem") == 0)
    hl_node_handle_invite (self->node, self, type, obj);
  else if (strcmp (type, "ping") == 0)
    send_simple (self, "pong");
}

/* ---- receiving ---- */

static void
handle_ack (HlPeer     *self,
            JsonObject *obj)
{
  gint64 bytes;

  if (!hl_json_get_int (obj, "bytes", &bytes) || bytes < 0 || (guint64) bytes > self->ev_sent)
    {
      hl_peer_offence (self, 10, "an ack for bytes never sent");
      return;
    }
  self->ev_acked = MAX (self->ev_acked, (guint64) bytes);
  hl_node_delivery_acked (self->node, self);
  hl_peer_pump (self);
}

void
hl_peer_ack_if_idle (HlPeer *self)
{
  g_autoptr(JsonBuilder) b = NULL;

  if (self->ev_done == self->ev_done_acked)
    return;
  if (self->ev_done != self->ev_recv && self->ev_done - self->ev_done_acked < HL_SYNC_WINDOW / 4)
    return;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "ack");
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, (gint64) self->ev_done);
  json_builder_end_object (b);
  hl_peer_send_json (self, b);
  self->ev_done_acked = self->ev_done;
}

static void
handle_gone (HlPeer     *self,
             JsonObject *obj)
{
  JsonNode *ids = json_object_get_member (obj, "ids");
  JsonArray *array;

  if (ids == NULL || !JSON_NODE_HOLDS_ARRAY (ids))
    {
      hl_peer_offence (self, 5, "a gone message without an ids list");
      return;
    }
  array = json_node_get_array (ids);
  for (guint i = 0; i < json_array_get_length (array) && i < HL_SYNC_MAX_WANTS; i++)
    {
      const char *hex = json_array_get_string_element (array, i);
      guint8 prefix[HL_SYNC_PREFIX_LEN];
      guint64 key;

      if (hex == NULL || strlen (hex) < 2 * HL_SYNC_PREFIX_LEN ||
          !hl_hex_decode (hex, prefix, HL_SYNC_PREFIX_LEN))
        continue;
      key = hl_sync_id_prefix (prefix);
      g_hash_table_remove (self->wants, &key);
    }
  hl_node_send_wants (self->node, self);
}

static void
handle_text (HlPeer *self,
             GBytes *message)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *text = g_bytes_get_data (message, &len);
  JsonNode *root;
  JsonObject *obj;
  const char *type;

  if (len > HL_SYNC_MAX_TEXT_FRAME)
    {
      hl_peer_offence (self, 20, "a text frame of %" G_GSIZE_FORMAT " bytes (limit %d)",
                       len, HL_SYNC_MAX_TEXT_FRAME);
      return;
    }
  if (!hl_sync_text_is_one_object (text, len) ||
      !json_parser_load_from_data (parser, text, (gssize) len, &error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (type = hl_json_get_string (obj = json_node_get_object (root), "type")) == NULL)
    {
      if (self->state == HL_PEER_HANDSHAKE)
        hl_peer_close (self, HL_SYNC_CLOSE_PROTOCOL, "malformed JSON in the handshake");
      else
        hl_peer_offence (self, 10, "malformed JSON message%s%s", error ? ": " : "",
                         error ? error->message : " (not an object with a “type”)");
      return;
    }

  if (strcmp (type, "error") == 0)
    {
      const char *message_text = hl_json_get_string (obj, "message");

      g_message ("%s says: %s", hl_peer_label (self), message_text ? message_text : "(no message)");
      /* Kept for status: the close frame only has room for a few words. */
      g_free (self->their_error);
      self->their_error = g_strndup (message_text ? message_text : "", 300);
      return;
    }
  if (self->state == HL_PEER_HANDSHAKE)
    {
      if (strcmp (type, "hello") == 0)
        handle_hello (self, obj);
      else if (strcmp (type, "auth") == 0)
        handle_auth (self, obj);
      else if (self->admission == HL_ADMIT_PROBATION && self->got_auth)
        handle_probation_text (self, type, obj);
      else
        hl_peer_close (self, HL_SYNC_CLOSE_PROTOCOL, "a message before the handshake finished");
      return;
    }

  if (strcmp (type, "ping") == 0)
    send_simple (self, "pong");
  else if (strcmp (type, "pong") == 0)
    ;
  else if (strcmp (type, "ack") == 0)
    handle_ack (self, obj);
  else if (strcmp (type, "want") == 0)
    {
      JsonNode *ids = json_object_get_member (obj, "ids");

      if (ids == NULL || !JSON_NODE_HOLDS_ARRAY (ids))
        hl_peer_offence (self, 5, "a want message without an ids list");
      else
        hl_node_handle_wants (self->node, self, json_node_get_array (ids));
    }
  else if (strcmp (type, "gone") == 0)
    handle_gone (self, obj);
  else if (strcmp (type, "hello") == 0 || strcmp (type, "auth") == 0)
    hl_peer_offence (self, 10, "a second %s", type);
  else if (hl_node_handle_discovery (self->node, self, type, obj) ||
           hl_node_handle_invite (self->node, self, type, obj) ||
           hl_node_handle_archive (self->node, self, type, obj))
    ;
  else
    hl_peer_offence (self, 5, "unknown message type “%.32s”", type);
}

static gboolean
take_token (HlPeer *self)
{
  gint64 now = g_get_monotonic_time ();
  double rate = (double) self->node->rate_per_s;

  if (self->tokens_at == 0)
    self->tokens = RATE_BURST_SECONDS * rate;
  else
    self->tokens = MIN (RATE_BURST_SECONDS * rate,
                        self->tokens + rate * (double) (now - self->tokens_at) / G_USEC_PER_SEC);
  self->tokens_at = now;
  if (self->tokens < 1.0)
    return FALSE;
  self->tokens -= 1.0;
  return TRUE;
}

static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  HlPeer *self = user_data;
  gsize len = g_bytes_get_size (message);
  const guint8 *data = g_bytes_get_data (message, NULL);

  if (self->state == HL_PEER_CLOSED)
    return;
  g_object_ref (self);
  self->bytes_received += len;
  self->node->totals_bytes_received += len;
  self->last_recv = g_get_monotonic_time ();
  self->last_seen_ms = hl_now_ms ();

  if (!take_token (self))
    hl_peer_offence (self, 1, "more than %.0f messages a second", (double) self->node->rate_per_s);
  else if (len > HL_SYNC_MAX_FRAME)
    hl_peer_offence (self, 20, "a frame of %" G_GSIZE_FORMAT " bytes (limit %d)", len, HL_SYNC_MAX_FRAME);
  else if (type == SOUP_WEBSOCKET_DATA_TEXT)
    handle_text (self, message);
  else if (self->state != HL_PEER_READY)
    hl_peer_early_binary (self);
  else if (len >= 1 && data[0] == HL_SYNC_FRAME_RECON)
    hl_node_handle_recon (self->node, self, message);
  else if (len >= 1 && data[0] == HL_SYNC_FRAME_EVENTS)
    hl_node_handle_events (self->node, self, message);
  else if (len >= 1 && data[0] == HL_SYNC_FRAME_SYMBOLS && hl_peer_speaks_archive (self))
    hl_node_handle_symbols (self->node, self, message);
  else
    hl_peer_offence (self, 5, "unknown binary frame type %d", len >= 1 ? data[0] : -1);
  g_object_unref (self);
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  HlPeer *self = user_data;
  const char *data = soup_websocket_connection_get_close_data (conn);

  if (self->state == HL_PEER_CLOSED)
    return;
  self->state = HL_PEER_CLOSED;
  g_message ("Connection with %s closed (code %u%s%s)", hl_peer_label (self),
             soup_websocket_connection_get_close_code (conn),
             data && *data ? ": " : "", data ? data : "");
  hl_node_peer_closed (self->node, self);
}

static void
on_error (SoupWebsocketConnection *conn,
          GError                  *error,
          gpointer                 user_data)
{
  HlPeer *self = user_data;

  g_message ("Connection with %s failed: %s", hl_peer_label (self), error->message);
}

/* The guard found a breach of the transport's limits, or the listener's
 * deadline passed: the peer is told why, then closed with a close frame. */
static void
on_guard_violation (HlWsGuard  *guard,
                    guint       code,
                    const char *message,
                    gpointer    user_data)
{
  HlPeer *self = user_data;

  if (self->state == HL_PEER_CLOSED)
    return;
  /* A stranger let in to redeem an invite that did not: not admitted, and
   * said so in status, rather than a bare timeout. */
  if (code == HL_SYNC_CLOSE_TIMEOUT && hl_node_admission_expire (self->node, self))
    return;
  hl_peer_close (self, (gushort) code, message);
}

/* A ready peer may send messages up to HL_SYNC_MAX_MESSAGE. */
static void
transport_ready (HlPeer *self)
{
  if (self->guard != NULL)
    hl_ws_guard_set_ready (self->guard);
}

HlPeer *
hl_peer_new (HlNode                  *node,
             guint64                  id,
             SoupWebsocketConnection *conn,
             gboolean                 outbound,
             const char              *address,
             const char              *remote_host)
{
  HlPeer *self = g_object_new (HL_TYPE_PEER, NULL);

  self->node = node;
  self->id = id;
  self->conn = g_object_ref (conn);
  self->outbound = outbound;
  self->address = g_strdup (address);
  self->remote_host = g_strdup (remote_host);
  self->connected_at = self->last_recv = self->last_ping = g_get_monotonic_time ();
  self->last_seen_ms = hl_now_ms ();
  /* The guard refuses messages above HL_SYNC_MAX_MESSAGE (before ready,
   * HL_SYNC_MAX_MESSAGE_EARLY) with 1009 before libsoup sees them; libsoup's
   * own limit, which drops TCP instead, is only a backstop. Between
   * HL_SYNC_MAX_FRAME and the limit a message is dropped as an offence. */
  self->guard = hl_ws_guard_for_connection (conn);
  if (self->guard != NULL)
    {
      g_object_ref (self->guard);
      g_signal_connect (self->guard, "violation", G_CALLBACK (on_guard_violation), self);
      hl_ws_guard_claim (self->guard);
    }
  soup_websocket_connection_set_max_incoming_payload_size (conn, HL_SYNC_MAX_MESSAGE);
  soup_websocket_connection_set_keepalive_interval (conn, 0);
  g_signal_connect (conn, "message", G_CALLBACK (on_message), self);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), self);
  g_signal_connect (conn, "error", G_CALLBACK (on_error), self);
  return self;
}

void
hl_peer_start (HlPeer *self)
{
  send_hello (self);
}

void
hl_peer_tick (HlPeer *self,
              gint64  now)
{
  gint64 ping_us = self->node->ping_interval_ms * 1000;
  GHashTableIter iter;
  gpointer value;

  if (self->state == HL_PEER_CLOSED)
    return;
  if (self->state == HL_PEER_HANDSHAKE && now - self->connected_at > HANDSHAKE_TIMEOUT_US)
    {
      hl_peer_close (self, HL_SYNC_CLOSE_TIMEOUT, "the handshake did not finish within 10 s");
      return;
    }
  if (now - self->last_recv > 3 * ping_us)
    {
      g_autofree char *reason = g_strdup_printf ("no sign of life for %" G_GINT64_FORMAT " s",
                                                 (now - self->last_recv) / G_USEC_PER_SEC);
      hl_peer_close (self, HL_SYNC_CLOSE_TIMEOUT, reason);
      return;
    }
  if (self->state == HL_PEER_READY && now - self->last_ping >= ping_us)
    {
      self->last_ping = now;
      send_simple (self, "ping");
    }
  /* Wants nobody answered: the next reconciliation asks again. */
  g_hash_table_iter_init (&iter, self->wants);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now - *(gint64 *) value > WANT_TIMEOUT_US)
      g_hash_table_iter_remove (&iter);
  hl_node_send_wants (self->node, self);
  hl_peer_ack_if_idle (self);
  hl_node_archive_tick (self->node, self, now);
}

const char *
hl_peer_sync_state (HlPeer *self)
{
  if (self->state != HL_PEER_READY)
    return "offline";
  if (!self->recon_done_once || self->recon_mine || self->recon_theirs ||
      !g_queue_is_empty (self->queue) || g_hash_table_size (self->wants) > 0 ||
      self->want_next < self->want_backlog->len ||
      self->ev_recv != self->ev_done || self->ev_sent != self->ev_acked)
    return "syncing";
  return "in sync";
}
