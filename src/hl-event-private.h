/* hl-event-private.h: what the hl-event-*.c files share.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-event.h"
#include "hl-json-strict.h"

G_BEGIN_DECLS

/* The refusal reasons of docs/protocol.md, "Validation" (hl-event-reasons.c
 * holds their codes). */
typedef enum
{
  HL_REFUSE_LINE_TOO_LONG,
  HL_REFUSE_LINE_NOT_UTF8,
  HL_REFUSE_LINE_NOT_JSON,
  HL_REFUSE_LINE_NOT_OBJECT,
  HL_REFUSE_LINE_TOO_DEEP,
  HL_REFUSE_LINE_NUL_ESCAPE,
  HL_REFUSE_LINE_LONE_SURROGATE,
  HL_REFUSE_LINE_DUPLICATE_MEMBER,
  HL_REFUSE_FIELD_MISSING,
  HL_REFUSE_FIELD_TYPE,
  HL_REFUSE_FIELD_NOT_INTEGER,
  HL_REFUSE_FIELD_OUT_OF_RANGE,
  HL_REFUSE_FIELD_BAD_HEX,
  HL_REFUSE_CANONICAL_TRUNCATED,
  HL_REFUSE_CANONICAL_BAD_MAGIC,
  HL_REFUSE_CANONICAL_BAD_REF_FLAG,
  HL_REFUSE_CANONICAL_TRAILING_BYTES,
  HL_REFUSE_BODY_NUL_BYTE,
  HL_REFUSE_VERSION_UNSUPPORTED,
  HL_REFUSE_KIND_MALFORMED,
  HL_REFUSE_EVENT_TOO_LARGE,
  HL_REFUSE_BODY_TOO_LARGE,
  HL_REFUSE_ID_MISMATCH,
  HL_REFUSE_TS_FUTURE,
  HL_REFUSE_BODY_NOT_UTF8,
  HL_REFUSE_BODY_NOT_JSON,
  HL_REFUSE_BODY_NOT_OBJECT,
  HL_REFUSE_BODY_TOO_DEEP,
  HL_REFUSE_BODY_NUL_ESCAPE,
  HL_REFUSE_BODY_LONE_SURROGATE,
  HL_REFUSE_BODY_DUPLICATE_MEMBER,
  HL_REFUSE_REF_MISSING,
  HL_REFUSE_REF_NOT_ALLOWED,
  HL_REFUSE_MEMBER_MISSING,
  HL_REFUSE_MEMBER_TYPE,
  HL_REFUSE_MEMBER_CONTROL_CHAR,
  HL_REFUSE_MEMBER_TOO_LONG,
  HL_REFUSE_MEMBER_BLANK,
  HL_REFUSE_MEMBER_BAD_HEX,
  HL_REFUSE_MEMBER_NOT_INTEGER,
  HL_REFUSE_MEMBER_OUT_OF_RANGE,
  HL_REFUSE_MEMBER_BAD_MONTH,
  HL_REFUSE_BODY_CHANGES_NOTHING,
  HL_REFUSE_SEGMENT_BAD_RANGE,
  HL_REFUSE_SEGMENT_BAD_OTI,
  HL_REFUSE_SEGMENT_SIZE_MISMATCH,
  HL_REFUSE_SEGMENT_ROOTS_COUNT,
  HL_REFUSE_SIG_INVALID,
  HL_REFUSE_N
} HlRefusal;

/* Sets @error to @reason with a sentence for people, followed by the code in
 * brackets. Always returns FALSE. */
gboolean    hl_event_refuse          (GError            **error,
                                      HlRefusal           reason,
                                      const char         *format,
                                      ...) G_GNUC_PRINTF (3, 4);
const char *hl_event_reason_code     (HlRefusal           reason);

/* 1-32 characters of a-z 0-9 . _ -, starting with a letter. */
gboolean hl_event_kind_is_well_formed (const char *kind,
                                       gsize       len);

/* Builds an event from fields read off its JSON form, then checks the sizes
 * and the claimed id, in that order. */
HlEvent *hl_event_assemble        (const char        *kind,
                                   const guint8      *author,
                                   const HlTimestamp *ts,
                                   const guint8      *ref,
                                   const char        *body,
                                   const guint8      *sig,
                                   const guint8      *claimed_id,
                                   GError           **error);

/* The two readers of the JSON form. Both check the line's length and the
 * strict JSON rules first (hl-json-strict.c), then the fields; they must
 * agree on every input (tests/fuzz/fuzz-event-json.c checks it).
 * hl_event_from_json_text() uses the direct one. */
HlEvent *hl_event_from_json_direct (const char       *text,
                                    gsize             len,
                                    GError          **error);
HlEvent *hl_event_from_json_tree   (const char       *text,
                                    gsize             len,
                                    GError          **error);

/* The line checks both readers share: its length and the strict JSON rules.
 * @reader then holds the line's members. */
gboolean hl_event_read_line       (HlJsonStrict      *reader,
                                   const char        *text,
                                   gsize              len,
                                   GError           **error);

/* Reads the body of @event under the strict rules ("body-*" refusals). */
gboolean hl_event_read_body       (const HlEvent     *event,
                                   HlJsonStrict      *reader,
                                   GError           **error);

/* Keeps the body @reader has just read as @event's fields
 * (hl_event_parse_body() returns them). */
void     hl_event_keep_fields     (const HlEvent      *event,
                                   const HlJsonStrict *reader);

/* The rules between an archive.segment body's members, once each passed its
 * own (hl-event-archive.c). */
gboolean hl_event_archive_check_segment (const HlEvent      *event,
                                         const HlJsonStrict *body,
                                         GError            **error);

/* Checks a known kind's reference and body members (hl-event-kinds.c). */
gboolean hl_event_check_schema    (const HlEvent      *event,
                                   const HlJsonStrict *body,
                                   GError            **error);

/* Decodes @text when it is exactly 2 * @len hex digits: lowercase only with
 * @lower_only, else either case. */
gboolean hl_event_hex_decode      (const char        *text,
                                   gsize              text_len,
                                   guint8            *out,
                                   gsize              len,
                                   gboolean           lower_only);

/* How the rules of the JSON form reach the fields of one reader: both
 * readers share the order of the checks and their refusals
 * (hl_event_from_fields()), and differ in how they get the values. */
typedef enum
{
  HL_FIELD_ABSENT,
  HL_FIELD_STRING,
  HL_FIELD_NUMBER,
  HL_FIELD_NULL,
  HL_FIELD_OTHER,       /* true, false, an array or an object */
} HlFieldType;

typedef enum
{
  HL_NUMBER_OK,
  HL_NUMBER_NOT_INTEGER,
  HL_NUMBER_OUT_OF_RANGE,
} HlNumberCheck;

typedef struct
{
  HlFieldType   (*type)   (gpointer    data,
                           const char *name);
  /* For HL_FIELD_STRING: the value, unescaped (it holds no NUL). */
  const char   *(*string) (gpointer    data,
                           const char *name);
  /* For HL_FIELD_NUMBER: whether it is an integer in 0 … @max. */
  HlNumberCheck (*uint)   (gpointer    data,
                           const char *name,
                           guint64     max,
                           guint64    *value);
} HlFieldReader;

HlEvent *hl_event_from_fields     (const HlFieldReader *reader,
                                   gpointer             data,
                                   GError             **error);

G_END_DECLS
