/* hl-event.c: canonical bytes, ids, signatures, and the checks of an event.
 *
 * The layout is specified in docs/protocol.md, "Events", and the order of
 * the checks (which decides the reason given) in "Validation"; keep them in
 * step. The JSON form is read in hl-event-json.c, bodies in hl-event-body.c.
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

  /* The fields in the order of the layout, each refused as soon as it is
   * read: docs/protocol.md, "Validation", gives this order. */
#define NEED(n) G_STMT_START { if ((gsize) (end - p) < (gsize) (n)) \
    return hl_event_refuse (error, HL_REFUSE_CANONICAL_TRUNCATED, \
                            "Malformed event: the canonical bytes end early, %" \
                            G_GSIZE_FORMAT " bytes in", (gsize) (p - canonical)), NULL; } G_STMT_END

  if (len > HL_MAX_EVENT_BYTES)
    return hl_event_refuse (error, HL_REFUSE_EVENT_TOO_LARGE,
                            "Event of %" G_GSIZE_FORMAT " bytes exceeds the limit of %d bytes",
                            len, HL_MAX_EVENT_BYTES), NULL;
  NEED (4);
  if (memcmp (p, canonical_magic, 4) != 0)
    return hl_event_refuse (error, HL_REFUSE_CANONICAL_BAD_MAGIC,
                            "Malformed event: the canonical bytes do not start with HLEV"), NULL;
  p += 4;
  NEED (1);
  self->version = *p++;
  if (self->version != HL_EVENT_FORMAT_VERSION)
    return hl_event_refuse (error, HL_REFUSE_VERSION_UNSUPPORTED,
                            "Event format version %u is not supported (this build knows "
                            "version %d); update Hyperlink to read it",
                            self->version, HL_EVENT_FORMAT_VERSION), NULL;
  NEED (1);
  kind_len = *p++;
  NEED (kind_len);
  if (!hl_event_kind_is_well_formed ((const char *) p, kind_len))
    return hl_event_refuse (error, HL_REFUSE_KIND_MALFORMED,
                            "Malformed event: the kind is not 1-32 characters of a-z 0-9 . _ -, "
                            "starting with a letter"), NULL;
  self->kind = g_strndup ((const char *) p, kind_len), p += kind_len;
  NEED (HL_KEY_LEN);
  memcpy (self->author, p, HL_KEY_LEN), p += HL_KEY_LEN;
  NEED (8);
  self->ts.ms = get_be (p, 8), p += 8;
  if (self->ts.ms > HL_MAX_TIMESTAMP_MS)
    return hl_event_refuse (error, HL_REFUSE_FIELD_OUT_OF_RANGE,
                            "Malformed event: “ts” must be an integer from 0 to %" G_GUINT64_FORMAT,
                            HL_MAX_TIMESTAMP_MS), NULL;
  NEED (4);
  self->ts.ctr = (guint32) get_be (p, 4), p += 4;
  NEED (1);
  if (*p > 1)
    return hl_event_refuse (error, HL_REFUSE_CANONICAL_BAD_REF_FLAG,
                            "Malformed event: the reference flag is neither 0 nor 1"), NULL;
  self->has_ref = *p++ == 1;
  if (self->has_ref)
    {
      NEED (HL_ID_LEN);
      memcpy (self->ref, p, HL_ID_LEN), p += HL_ID_LEN;
    }
  NEED (4);
  body_len = get_be (p, 4), p += 4;
  NEED (body_len);
  if (body_len < (guint64) (end - p))
    return hl_event_refuse (error, HL_REFUSE_CANONICAL_TRAILING_BYTES,
                            "Malformed event: %" G_GUINT64_FORMAT " bytes follow the body",
                            (guint64) (end - p) - body_len), NULL;
  if (memchr (p, '\0', body_len) != NULL)
    return hl_event_refuse (error, HL_REFUSE_BODY_NUL_BYTE,
                            "Malformed event: the body contains a NUL byte"), NULL;
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
check_sizes (const HlEvent  *self,
             GError        **error)
{
  gsize len = g_bytes_get_size (self->canonical);

  if (len > HL_MAX_EVENT_BYTES)
    return hl_event_refuse (error, HL_REFUSE_EVENT_TOO_LARGE,
                            "Event is too large: %" G_GSIZE_FORMAT " canonical bytes (limit %d)",
                            len, HL_MAX_EVENT_BYTES);
  if (self->body_len > HL_MAX_BODY_BYTES)
    return hl_event_refuse (error, HL_REFUSE_BODY_TOO_LARGE,
                            "Event body is too large: %" G_GSIZE_FORMAT " bytes (limit %d)",
                            self->body_len, HL_MAX_BODY_BYTES);
  return TRUE;
}

static gboolean
refuse_id_mismatch (GError **error)
{
  return hl_event_refuse (error, HL_REFUSE_ID_MISMATCH,
                          "Event id does not match its content (forged or damaged event)");
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
  if (!check_sizes (self, error))
    return NULL;
  compute_id (self, self->id);
  if (memcmp (self->id, claimed_id, HL_ID_LEN) != 0)
    return refuse_id_mismatch (error), NULL;
  return g_steal_pointer (&self);
}

gboolean
hl_event_read_line (HlJsonStrict  *reader,
                    const char    *text,
                    gsize          len,
                    GError       **error)
{
  static const HlRefusal refusals[] = {
    [HL_JSON_STRICT_NOT_UTF8] = HL_REFUSE_LINE_NOT_UTF8,
    [HL_JSON_STRICT_NOT_JSON] = HL_REFUSE_LINE_NOT_JSON,
    [HL_JSON_STRICT_NOT_OBJECT] = HL_REFUSE_LINE_NOT_OBJECT,
    [HL_JSON_STRICT_TOO_DEEP] = HL_REFUSE_LINE_TOO_DEEP,
    [HL_JSON_STRICT_NUL_ESCAPE] = HL_REFUSE_LINE_NUL_ESCAPE,
    [HL_JSON_STRICT_LONE_SURROGATE] = HL_REFUSE_LINE_LONE_SURROGATE,
    [HL_JSON_STRICT_DUPLICATE_MEMBER] = HL_REFUSE_LINE_DUPLICATE_MEMBER,
  };
  HlJsonStrictProblem problem;

  if (len > HL_MAX_EVENT_LINE_BYTES)
    return hl_event_refuse (error, HL_REFUSE_LINE_TOO_LONG,
                            "Event line of %" G_GSIZE_FORMAT " bytes is longer than any event "
                            "can be (limit %d bytes)", len, HL_MAX_EVENT_LINE_BYTES);
  problem = hl_json_strict_read (reader, text, len);
  if (problem == HL_JSON_STRICT_OK)
    return TRUE;
  if (problem == HL_JSON_STRICT_NOT_JSON)
    return hl_event_refuse (error, refusals[problem], "Malformed event: the line %s (byte %"
                            G_GSIZE_FORMAT ")", hl_json_strict_problem_phrase (problem),
                            hl_json_strict_offset (reader));
  return hl_event_refuse (error, refusals[problem], "Malformed event: the line %s",
                          hl_json_strict_problem_phrase (problem));
}

HlEvent *
hl_event_from_json_text (const char  *text,
                         gssize       len,
                         GError     **error)
{
  return hl_event_from_json_direct (text, len < 0 ? strlen (text) : (gsize) len, error);
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
hl_event_id_hex (const HlEvent *self)
{
  return hl_hex_dup (self->id, HL_ID_LEN);
}

gboolean
hl_event_check_rules (const HlEvent  *self,
                      GError        **error)
{
  g_auto(HlJsonStrict) body = HL_JSON_STRICT_INIT;
  guint8 id[HL_ID_LEN];

  g_return_val_if_fail (self->canonical != NULL, FALSE);
  if (!check_sizes (self, error))
    return FALSE;
  compute_id (self, id);
  if (memcmp (id, self->id, HL_ID_LEN) != 0)
    return refuse_id_mismatch (error);
  return hl_event_read_body (self, &body, error) && hl_event_check_schema (self, &body, error);
}

gboolean
hl_event_signature_is_valid (const HlEvent *self)
{
  guint8 msg[SIG_CONTEXT_LEN + HL_ID_LEN];

  signed_message (self->id, msg);
  return crypto_sign_verify_detached (self->sig, msg, sizeof msg, self->author) == 0;
}

gboolean
hl_event_verify (const HlEvent  *self,
                 gint64          now_ms,
                 gint64          max_future_ms,
                 GError        **error)
{
  g_auto(HlJsonStrict) body = HL_JSON_STRICT_INIT;
  guint8 id[HL_ID_LEN];

  g_return_val_if_fail (self->canonical != NULL, FALSE);

  /* Events read from their canonical bytes or JSON form passed the checks of
   * the layout already; these are for events made in memory. */
  if (self->version != HL_EVENT_FORMAT_VERSION)
    return hl_event_refuse (error, HL_REFUSE_VERSION_UNSUPPORTED,
                            "Event format version %u is not supported (this build knows "
                            "version %d); update Hyperlink to read it",
                            self->version, HL_EVENT_FORMAT_VERSION);
  if (self->ts.ms > HL_MAX_TIMESTAMP_MS)
    return hl_event_refuse (error, HL_REFUSE_FIELD_OUT_OF_RANGE,
                            "Malformed event: “ts” must be an integer from 0 to %" G_GUINT64_FORMAT,
                            HL_MAX_TIMESTAMP_MS);
  if (!check_sizes (self, error))
    return FALSE;

  compute_id (self, id);
  if (memcmp (id, self->id, HL_ID_LEN) != 0)
    return refuse_id_mismatch (error);

  if ((gint64) self->ts.ms > now_ms + max_future_ms)
    return hl_event_refuse (error, HL_REFUSE_TS_FUTURE,
                            "Event is dated %" G_GINT64_FORMAT " s in the future (limit %"
                            G_GINT64_FORMAT " s); the author's clock is wrong, it will be "
                            "accepted once that time comes",
                            ((gint64) self->ts.ms - now_ms) / 1000, max_future_ms / 1000);

  if (!hl_event_read_body (self, &body, error) || !hl_event_check_schema (self, &body, error))
    return FALSE;
  hl_event_keep_fields (self, &body);

  /* Last, as it is the expensive check. */
  if (!hl_event_signature_is_valid (self))
    return hl_event_refuse (error, HL_REFUSE_SIG_INVALID,
                            "Event signature is not valid for its author");
  return TRUE;
}
