/* hl-event-reasons.c: why an event is refused, as stable codes.
 *
 * Each code is the one docs/protocol.md gives the rule ("Validation"); the
 * conformance vectors (tests/vectors/) name refusals by these codes, so they
 * never change once shipped. A message ends with the code in brackets, which
 * is how hl_event_error_reason() finds it again.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-error.h"
#include "hl-event-private.h"

static const struct
{
  const char  *code;
  HlCoreError  error;
} reasons[HL_REFUSE_N] = {
  [HL_REFUSE_LINE_TOO_LONG] = { "line-too-long", HL_CORE_ERROR_TOO_LARGE },
  [HL_REFUSE_LINE_NOT_UTF8] = { "line-not-utf8", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_LINE_NOT_JSON] = { "line-not-json", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_LINE_NOT_OBJECT] = { "line-not-object", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_LINE_TOO_DEEP] = { "line-too-deep", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_LINE_NUL_ESCAPE] = { "line-nul-escape", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_LINE_LONE_SURROGATE] = { "line-lone-surrogate", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_LINE_DUPLICATE_MEMBER] = { "line-duplicate-member", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_FIELD_MISSING] = { "field-missing", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_FIELD_TYPE] = { "field-type", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_FIELD_NOT_INTEGER] = { "field-not-integer", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_FIELD_OUT_OF_RANGE] = { "field-out-of-range", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_FIELD_BAD_HEX] = { "field-bad-hex", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_CANONICAL_TRUNCATED] = { "canonical-truncated", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_CANONICAL_BAD_MAGIC] = { "canonical-bad-magic", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_CANONICAL_BAD_REF_FLAG] = { "canonical-bad-ref-flag", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_CANONICAL_TRAILING_BYTES] = { "canonical-trailing-bytes", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_BODY_NUL_BYTE] = { "body-nul-byte", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_VERSION_UNSUPPORTED] = { "version-unsupported", HL_CORE_ERROR_VERSION },
  [HL_REFUSE_KIND_MALFORMED] = { "kind-malformed", HL_CORE_ERROR_MALFORMED },
  [HL_REFUSE_EVENT_TOO_LARGE] = { "event-too-large", HL_CORE_ERROR_TOO_LARGE },
  [HL_REFUSE_BODY_TOO_LARGE] = { "body-too-large", HL_CORE_ERROR_TOO_LARGE },
  [HL_REFUSE_ID_MISMATCH] = { "id-mismatch", HL_CORE_ERROR_BAD_ID },
  [HL_REFUSE_TS_FUTURE] = { "ts-future", HL_CORE_ERROR_FUTURE },
  [HL_REFUSE_BODY_NOT_UTF8] = { "body-not-utf8", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_BODY_NOT_JSON] = { "body-not-json", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_BODY_NOT_OBJECT] = { "body-not-object", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_BODY_TOO_DEEP] = { "body-too-deep", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_BODY_NUL_ESCAPE] = { "body-nul-escape", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_BODY_LONE_SURROGATE] = { "body-lone-surrogate", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_BODY_DUPLICATE_MEMBER] = { "body-duplicate-member", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_REF_MISSING] = { "ref-missing", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_REF_NOT_ALLOWED] = { "ref-not-allowed", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_MEMBER_MISSING] = { "member-missing", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_MEMBER_TYPE] = { "member-type", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_MEMBER_CONTROL_CHAR] = { "member-control-char", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_MEMBER_TOO_LONG] = { "member-too-long", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_MEMBER_BLANK] = { "member-blank", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_MEMBER_BAD_HEX] = { "member-bad-hex", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_MEMBER_NOT_INTEGER] = { "member-not-integer", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_MEMBER_OUT_OF_RANGE] = { "member-out-of-range", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_MEMBER_BAD_MONTH] = { "member-bad-month", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_BODY_CHANGES_NOTHING] = { "body-changes-nothing", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_SEGMENT_BAD_RANGE] = { "segment-bad-range", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_SEGMENT_BAD_OTI] = { "segment-bad-oti", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_SEGMENT_SIZE_MISMATCH] = { "segment-size-mismatch", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_SEGMENT_ROOTS_COUNT] = { "segment-roots-count", HL_CORE_ERROR_INVALID_BODY },
  [HL_REFUSE_SIG_INVALID] = { "sig-invalid", HL_CORE_ERROR_BAD_SIGNATURE },
};

gboolean
hl_event_refuse (GError     **error,
                 HlRefusal    reason,
                 const char  *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_val_if_fail (reason < HL_REFUSE_N, FALSE);
  if (error == NULL)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HL_CORE_ERROR, reasons[reason].error, "%s [%s]", message,
               reasons[reason].code);
  return FALSE;
}

const char *
hl_event_reason_code (HlRefusal reason)
{
  g_return_val_if_fail (reason < HL_REFUSE_N, NULL);
  return reasons[reason].code;
}

const char *
hl_event_error_reason (const GError *error)
{
  const char *open;
  gsize len;

  if (error == NULL || error->domain != HL_CORE_ERROR || !g_str_has_suffix (error->message, "]") ||
      (open = strrchr (error->message, '[')) == NULL)
    return NULL;
  len = strlen (open + 1) - 1;
  for (guint i = 0; i < HL_REFUSE_N; i++)
    if (strlen (reasons[i].code) == len && strncmp (open + 1, reasons[i].code, len) == 0)
      return reasons[i].code;
  return NULL;
}
