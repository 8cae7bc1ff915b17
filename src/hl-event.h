/* hl-event.h: immutable, signed, content-addressed events.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hl-types.h"

G_BEGIN_DECLS

/* The kinds this version understands. Any other kind that is well formed is
 * kept and relayed unchanged; it simply has no effect on the forum here. */
#define HL_KIND_SUBNET_CREATE     "subnet.create"
#define HL_KIND_SUBNET_UPDATE     "subnet.update"
#define HL_KIND_THREAD_CREATE     "thread.create"
#define HL_KIND_REPLY_CREATE      "reply.create"
#define HL_KIND_EDIT              "edit"
#define HL_KIND_DELETE            "delete"
#define HL_KIND_HIDE              "hide"
#define HL_KIND_PROFILE           "profile"
#define HL_KIND_MODERATOR_ADD     "moderator.add"
#define HL_KIND_MODERATOR_REMOVE  "moderator.remove"
/* The history archive (hl-event-archive.h). */
#define HL_KIND_ARCHIVE_SEGMENT   "archive.segment"
#define HL_KIND_ARCHIVE_HOLDER    "archive.holder"
#define HL_KIND_ARCHIVE_POLICY    "archive.policy"

typedef struct _HlIdentity HlIdentity;

typedef struct
{
  guint8       version;
  char        *kind;
  guint8       author[HL_KEY_LEN];
  HlTimestamp  ts;
  gboolean     has_ref;
  guint8       ref[HL_ID_LEN];
  char        *body;          /* JSON object text, exactly as signed */
  gsize        body_len;
  guint8       id[HL_ID_LEN];
  guint8       sig[HL_SIG_LEN];
  GBytes      *canonical;     /* the bytes the id hashes */
  JsonObject  *fields;        /* the body, parsed once on first use */
} HlEvent;

/* An HlEvent is not thread-safe: hand it from thread to thread, do not share it. */

HlEvent  *hl_event_new            (const char        *kind,
                                   const guint8      *author,
                                   const HlTimestamp *ts,
                                   const guint8      *ref,
                                   const char        *body);
void      hl_event_free           (HlEvent           *event);
HlEvent  *hl_event_copy           (const HlEvent     *event);

/* Computes the canonical bytes and the id, then signs the id. */
void      hl_event_sign           (HlEvent           *event,
                                   HlIdentity        *identity);

/* Parses canonical bytes plus a detached signature. It checks the layout only;
 * hl_event_verify() decides whether the event may be accepted. */
HlEvent  *hl_event_decode         (const guint8      *canonical,
                                   gsize              len,
                                   const guint8      *sig,
                                   GError           **error);
/* Reads an event's JSON form (one line of an export), under the strict JSON
 * rules of docs/protocol.md; checks its claimed id. @len may be -1. */
HlEvent  *hl_event_from_json_text (const char        *text,
                                   gssize             len,
                                   GError           **error);
JsonNode *hl_event_to_json        (const HlEvent     *event);
char     *hl_event_to_json_text   (const HlEvent     *event);

/* Everything an event must pass before anything of it is stored, in the
 * order of docs/protocol.md, "Validation": sizes are in limits, the id is the
 * hash of the canonical bytes, the timestamp is at most @max_future_ms ahead
 * of @now_ms, the body is strict JSON, a known kind has the body and
 * reference its schema requires, and the signature verifies. Thread-safe
 * (it caches the parsed body in @event, which must not be shared meanwhile). */
gboolean  hl_event_verify         (const HlEvent     *event,
                                   gint64             now_ms,
                                   gint64             max_future_ms,
                                   GError           **error);
/* The Ed25519 check alone, the costly part of hl_event_verify(): what
 * bench/ingest times as the machine's limit. */
gboolean  hl_event_signature_is_valid (const HlEvent *event);

/* The checks of hl_event_verify() that neither the receiver's clock nor the
 * signature decide: sizes, id, the strict body and the kind's schema. For
 * events that passed hl_event_verify() under older rules. */
gboolean  hl_event_check_rules    (const HlEvent     *event,
                                   GError           **error);

/* The stable code of a refusal ("body-not-json", ...) that an error set by
 * the functions above carries, or NULL for any other error. */
const char *hl_event_error_reason (const GError      *error);

gboolean  hl_event_is_known_kind  (const char        *kind);
char     *hl_event_id_hex         (const HlEvent     *event);

/* The members of the body's object whose values are strings, numbers,
 * booleans or null (a new reference; arrays and objects are left out: no
 * member this version reads is one), or NULL when the body is not strict
 * JSON. Parsed once and kept: the verifier and the store both need it. */
JsonObject *hl_event_parse_body   (const HlEvent     *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlEvent, hl_event_free)

G_END_DECLS
