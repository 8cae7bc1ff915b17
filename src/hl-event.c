/* hl-event.c: canonical bytes, ids, signatures and the JSON form of events.
 *
 * The layout is specified in docs/protocol.md, "Events"; keep the two in step.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event.h"

#include <sodium.h>

#include "hl-error.h"
#include "hl-event-private.h"
#include "hl-identity.h"
#include "hl-limits.h"

static const guint8 canonical_magic[4] = { 'H', 'L', 'E', 'V' };

/* Signatures cover this context followed by the id, so that no other message
 * Hyperlink signs (a handshake nonce, say) can ever pass for an event. */
#define SIG_CONTEXT     "hyperlink-event-v1"
#define SIG_CONTEXT_LEN (sizeof SIG_CONTEXT - 1)

gboolean
hl_event_kind_is_well_formed (const char *kind,
                     gsize       len)
{
  if (len == 0 || len > HL_MAX_KIND_LEN || !g_ascii_islower (kind[0]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = kind[i];
      if (!(g_ascii_islower (c) || g_ascii_isdigit (c) || c == '.' || c == '_' || c == '-'))
        return FALSE;
    }
  return TRUE;
}

HlEvent *
hl_event_new (const char        *kind,
              const guint8      *author,
              const HlTimestamp *ts,
              const guint8      *ref,
              const char        *body)
{
  HlEvent *self = g_new0 (HlEvent, 1);

  self->version = HL_EVENT_FORMAT_VERSION;
  self->kind = g_strdup (kind);
  memcpy (self->author, author, HL_KEY_LEN);
  self->ts = *ts;
  self->has_ref = ref != NULL;
  if (ref != NULL)
    memcpy (self->ref, ref, HL_ID_LEN);
  self->body = g_strdup (body != NULL ? body : "{}");
  self->body_len = strlen (self->body);
  return self;
}

void
hl_event_free (HlEvent *self)
{
  if (self == NULL)
    return;
  g_free (self->kind);
  g_free (self->body);
  g_clear_pointer (&self->canonical, g_bytes_unref);
  g_clear_pointer (&self->fields, json_object_unref);
  g_free (self);
}

HlEvent *
hl_event_copy (const HlEvent *event)
{
  HlEvent *self = g_memdup2 (event, sizeof *event);

  self->kind = g_strdup (event->kind);
  self->body = g_memdup2 (event->body, event->body_len + 1);
  if (event->canonical != NULL)
    self->canonical = g_bytes_ref (event->canonical);
  self->fields = NULL;
  return self;
}

static void
put_be (guint8  *p,
        guint64  value,
        guint    n)
{
  for (guint i = 0; i < n; i++)
    p[i] = (guint8) (value >> (8 * (n - 1 - i)));
}

static guint64
get_be (const guint8 *p,
        guint         n)
{
  guint64 value = 0;

  for (guint i = 0; i < n; i++)
    value = value << 8 | p[i];
  return value;
}

static GBytes *
encode_canonical (const HlEvent *self)
{
  gsize kind_len = strlen (self->kind);
  gsize len = 4 + 1 + 1 + kind_len + HL_KEY_LEN + 8 + 4 + 1
              + (self->has_ref ? HL_ID_LEN : 0) + 4 + self->body_len;
  guint8 *buf = g_malloc (len);
  guint8 *p = buf;

  g_assert (kind_len <= 255);
  memcpy (p, canonical_magic, 4), p += 4;
  *p++ = self->version;
  *p++ = (guint8) kind_len;
  memcpy (p, self->kind, kind_len), p += kind_len;
  memcpy (p, self->author, HL_KEY_LEN), p += HL_KEY_LEN;
  put_be (p, self->ts.ms, 8), p += 8;
  put_be (p, self->ts.ctr, 4), p += 4;
  *p++ = self->has_ref ? 1 : 0;
  if (self->has_ref)
    memcpy (p, self->ref, HL_ID_LEN), p += HL_ID_LEN;
  put_be (p, self->body_len, 4), p += 4;
  memcpy (p, self->body, self->body_len), p += self->body_len;
  g_assert ((gsize) (p - buf) == len);

  return g_bytes_new_take (buf, len);
}

static void
compute_id (const HlEvent *self,
            guint8        *id)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (self->canonical, &len);

  crypto_generichash (id, HL_ID_LEN, data, len, NULL, 0);
}

static void
signed_message (const guint8 *id,
                guint8       *msg)
{
  memcpy (msg, SIG_CONTEXT, SIG_CONTEXT_LEN);
  memcpy (msg + SIG_CONTEXT_LEN, id, HL_ID_LEN);
}

void
hl_event_sign (HlEvent    *self,
               HlIdentity *identity)
{
  guint8 msg[SIG_CONTEXT_LEN + HL_ID_LEN];

  g_return_if_fail (memcmp (self->author, hl_identity_get_public_key (identity),
                            HL_KEY_LEN) == 0);

  g_clear_pointer (&self->canonical, g_bytes_unref);
  self->canonical = encode_canonical (self);
  compute_id (self, self->id);
  signed_message (self->id, msg);
  hl_identity_sign (identity, msg, sizeof msg, self->sig);
}

static gboolean
malformed (GError     **error,
           const char  *what)
{
  g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED, "Malformed event: %s", what);
  return FALSE;
}

HlEvent *
hl_event_decode (const guint8  *canonical,
                 gsize          len,
                 const guint8  *sig,
                 GError       **error)
{
  g_autoptr(HlEvent) self = g_new0 (HlEvent, 1);
  const guint8 *p = canonical;
  const guint8 *end = canonical + len;
  gsize kind_len;
  guint64 body_len;

#define NEED(n) G_STMT_START { if ((gsize) (end - p) < (gsize) (n)) \
    return malformed (error, "truncated canonical bytes"), NULL; } G_STMT_END

  if (len > HL_MAX_EVENT_BYTES)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_TOO_LARGE,
                   "Event of %" G_GSIZE_FORMAT " bytes exceeds the limit of %d bytes",
                   len, HL_MAX_EVENT_BYTES);
      return NULL;
    }
  NEED (6);
  if (memcmp (p, canonical_magic, 4) != 0)
    return malformed (error, "missing HLEV magic"), NULL;
  p += 4;
  self->version = *p++;
  if (self->version != HL_EVENT_FORMAT_VERSION)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION,
                   "Event format version %u is not supported (this build knows version %d); "
                   "update Hyperlink to read it", self->version, HL_EVENT_FORMAT_VERSION);
      return NULL;
    }
  kind_len = *p++;
  NEED (kind_len);
  if (!hl_event_kind_is_well_formed ((const char *) p, kind_len))
    return malformed (error, "kind is not 1-32 characters of a-z 0-9 . _ -"), NULL;
  self->kind = g_strndup ((const char *) p, kind_len), p += kind_len;
  NEED (HL_KEY_LEN + 8 + 4 + 1);
  memcpy (self->author, p, HL_KEY_LEN), p += HL_KEY_LEN;
  self->ts.ms = get_be (p, 8), p += 8;
  self->ts.ctr = (guint32) get_be (p, 4), p += 4;
  if (*p > 1)
    return malformed (error, "reference flag is neither 0 nor 1"), NULL;
  self->has_ref = *p++ == 1;
  if (self->has_ref)
    {
      NEED (HL_ID_LEN);
      memcpy (self->ref, p, HL_ID_LEN), p += HL_ID_LEN;
    }
  NEED (4);
  body_len = get_be (p, 4), p += 4;
  if (body_len != (guint64) (end - p))
    return malformed (error, "body length does not match the bytes that follow"), NULL;
  if (memchr (p, '\0', body_len) != NULL)
    return malformed (error, "body contains a NUL byte"), NULL;
  self->body = g_strndup ((const char *) p, body_len);
  self->body_len = body_len;
#undef NEED

  self->canonical = g_bytes_new (canonical, len);
  compute_id (self, self->id);
  if (sig != NULL)
    memcpy (self->sig, sig, HL_SIG_LEN);
  return g_steal_pointer (&self);
}

static gboolean
get_hex_member (JsonObject  *obj,
                const char  *name,
                guint8      *out,
                gsize        len,
                GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED,
                   "Malformed event: “%s” must be a hex string", name);
      return FALSE;
    }
  text = json_node_get_string (node);
  if (!hl_hex_decode (text, out, len))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED,
                   "Malformed event: “%s” must be %" G_GSIZE_FORMAT " hex digits",
                   name, 2 * len);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_uint_member (JsonObject  *obj,
                 const char  *name,
                 guint64      max,
                 guint64     *out,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || (guint64) json_node_get_int (node) > max)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED,
                   "Malformed event: “%s” must be an integer from 0 to %" G_GUINT64_FORMAT,
                   name, max);
      return FALSE;
    }
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

HlEvent *
hl_event_from_json (JsonNode  *node,
                    GError   **error)
{
  g_autoptr(HlEvent) self = NULL;
  JsonObject *obj;
  JsonNode *member;
  guint8 claimed_id[HL_ID_LEN];
  guint8 author[HL_KEY_LEN];
  guint8 ref[HL_ID_LEN];
  guint8 sig[HL_SIG_LEN];
  guint64 version, ms, ctr;
  HlTimestamp ts;
  const char *kind, *body;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return malformed (error, "not a JSON object"), NULL;
  obj = json_node_get_object (node);

  if (!get_uint_member (obj, "v", 255, &version, error))
    return NULL;
  if (version != HL_EVENT_FORMAT_VERSION)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION,
                   "Event format version %" G_GUINT64_FORMAT " is not supported (this build "
                   "knows version %d); update Hyperlink to read it",
                   version, HL_EVENT_FORMAT_VERSION);
      return NULL;
    }

  member = json_object_get_member (obj, "kind");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return malformed (error, "“kind” must be a string"), NULL;
  kind = json_node_get_string (member);
  if (!hl_event_kind_is_well_formed (kind, strlen (kind)))
    return malformed (error, "kind is not 1-32 characters of a-z 0-9 . _ -"), NULL;

  member = json_object_get_member (obj, "body");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return malformed (error, "“body” must be a string holding a JSON object"), NULL;
  body = json_node_get_string (member);

  if (!get_hex_member (obj, "id", claimed_id, sizeof claimed_id, error) ||
      !get_hex_member (obj, "author", author, sizeof author, error) ||
      !get_hex_member (obj, "sig", sig, sizeof sig, error) ||
      !get_uint_member (obj, "ts", HL_MAX_TIMESTAMP_MS, &ms, error) ||
      !get_uint_member (obj, "ctr", G_MAXUINT32, &ctr, error))
    return NULL;

  member = json_object_get_member (obj, "ref");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member) &&
      !get_hex_member (obj, "ref", ref, sizeof ref, error))
    return NULL;

  ts.ms = ms;
  ts.ctr = (guint32) ctr;
  return hl_event_assemble (kind, author, &ts,
                            member != NULL && !JSON_NODE_HOLDS_NULL (member) ? ref : NULL,
                            body, sig, claimed_id, error);
}

HlEvent *
hl_event_assemble (const char        *kind,
                   const guint8      *author,
                   const HlTimestamp *ts,
                   const guint8      *ref,
                   const char        *body,
                   const guint8      *sig,
                   const guint8      *claimed_id,
                   GError           **error)
{
  g_autoptr(HlEvent) self = hl_event_new (kind, author, ts, ref, body);

  memcpy (self->sig, sig, HL_SIG_LEN);
  self->canonical = encode_canonical (self);
  compute_id (self, self->id);

  if (memcmp (self->id, claimed_id, HL_ID_LEN) != 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_BAD_ID,
                   "Event id does not match its content (forged or damaged event)");
      return NULL;
    }
  return g_steal_pointer (&self);
}

HlEvent *
hl_event_from_json_text (const char  *text,
                         gssize       len,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  HlEvent *event;

  if (len < 0)
    len = strlen (text);
  if (len > 2 * HL_MAX_EVENT_BYTES + 1024)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_TOO_LARGE,
                   "Event line of %" G_GSSIZE_FORMAT " bytes is far beyond the event size limit",
                   len);
      return NULL;
    }
  /* Building a JSON tree cost as much as all the rest of an import but the
   * signature check; the usual shape is read directly. */
  if ((event = hl_event_from_json_fast (text, (gsize) len)) != NULL)
    return event;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, len, &local_error))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED,
                   "Malformed event: not valid JSON (%s)", local_error->message);
      return NULL;
    }
  return hl_event_from_json (json_parser_get_root (parser), error);
}

JsonNode *
hl_event_to_json (const HlEvent *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  char hex[2 * HL_SIG_LEN + 1];

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "v");
  json_builder_add_int_value (b, self->version);
  hl_hex_encode (self->id, HL_ID_LEN, hex);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, hex);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, self->kind);
  hl_hex_encode (self->author, HL_KEY_LEN, hex);
  json_builder_set_member_name (b, "author");
  json_builder_add_string_value (b, hex);
  json_builder_set_member_name (b, "ts");
  json_builder_add_int_value (b, (gint64) self->ts.ms);
  json_builder_set_member_name (b, "ctr");
  json_builder_add_int_value (b, self->ts.ctr);
  if (self->has_ref)
    {
      hl_hex_encode (self->ref, HL_ID_LEN, hex);
      json_builder_set_member_name (b, "ref");
      json_builder_add_string_value (b, hex);
    }
  json_builder_set_member_name (b, "body");
  json_builder_add_string_value (b, self->body);
  hl_hex_encode (self->sig, HL_SIG_LEN, hex);
  json_builder_set_member_name (b, "sig");
  json_builder_add_string_value (b, hex);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
hl_event_to_json_text (const HlEvent *self)
{
  g_autoptr(JsonNode) node = hl_event_to_json (self);

  return json_to_string (node, FALSE);
}

char *
hl_event_id_hex (const HlEvent *self)
{
  return hl_hex_dup (self->id, HL_ID_LEN);
}

JsonObject *
hl_event_parse_body (const HlEvent *self)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  /* A cache, not a change: the event's value stays the same. */
  if (self->fields != NULL)
    return json_object_ref (self->fields);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, self->body, self->body_len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  ((HlEvent *) self)->fields = json_object_ref (json_node_get_object (root));
  return json_object_ref (self->fields);
}

gboolean
hl_event_verify (const HlEvent  *self,
                 gint64          now_ms,
                 gint64          max_future_ms,
                 GError        **error)
{
  g_autoptr(JsonObject) body = NULL;
  guint8 msg[SIG_CONTEXT_LEN + HL_ID_LEN];
  guint8 id[HL_ID_LEN];

  if (self->version != HL_EVENT_FORMAT_VERSION)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION,
                   "Event format version %u is not supported", self->version);
      return FALSE;
    }
  if (self->canonical == NULL)
    return malformed (error, "no canonical bytes");
  if (g_bytes_get_size (self->canonical) > HL_MAX_EVENT_BYTES || self->body_len > HL_MAX_BODY_BYTES)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_TOO_LARGE,
                   "Event is too large: %" G_GSIZE_FORMAT " bytes with a body of %"
                   G_GSIZE_FORMAT " bytes (limits %d and %d)",
                   g_bytes_get_size (self->canonical), self->body_len,
                   HL_MAX_EVENT_BYTES, HL_MAX_BODY_BYTES);
      return FALSE;
    }

  compute_id (self, id);
  if (memcmp (id, self->id, HL_ID_LEN) != 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_BAD_ID,
                   "Event id does not match its content (forged or damaged event)");
      return FALSE;
    }

  if (self->ts.ms > HL_MAX_TIMESTAMP_MS ||
      (gint64) self->ts.ms > now_ms + max_future_ms)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_FUTURE,
                   "Event is dated %" G_GINT64_FORMAT " s in the future (limit %" G_GINT64_FORMAT
                   " s); the author's clock is wrong, it will be accepted once that time comes",
                   ((gint64) MIN (self->ts.ms, HL_MAX_TIMESTAMP_MS) - now_ms) / 1000,
                   max_future_ms / 1000);
      return FALSE;
    }

  body = hl_event_parse_body (self);
  if (body == NULL)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                   "Event body is not a JSON object");
      return FALSE;
    }
  if (!g_utf8_validate (self->body, self->body_len, NULL))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                   "Event body is not valid UTF-8");
      return FALSE;
    }
  if (!hl_event_check_schema (self, body, error))
    return FALSE;

  /* Last, as it is the expensive check. */
  signed_message (self->id, msg);
  if (crypto_sign_verify_detached (self->sig, msg, sizeof msg, self->author) != 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_BAD_SIGNATURE,
                   "Event signature is not valid for its author");
      return FALSE;
    }
  return TRUE;
}
