/* hl-event-kinds.c: the body schema of each kind this version knows.
 *
 * Unknown members of a known kind are allowed and ignored, so that a later
 * version can add optional fields without a format break.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-private.h"
#include "hl-limits.h"

typedef enum
{
  FIELD_LINE,      /* one line of text: names, titles */
  FIELD_TEXT,      /* text with line breaks: bodies, descriptions */
  FIELD_BOOL,
  FIELD_HEX_ID,
} FieldType;

typedef struct
{
  const char *name;
  FieldType   type;
  gboolean    required;
  guint       min_chars;
  guint       max_chars;
} Field;

typedef struct
{
  const char *kind;
  gboolean    needs_ref;
  gboolean    needs_one_field;  /* at least one of the optional fields */
  Field       fields[3];
} KindSchema;

static const KindSchema schemas[] = {
  { HL_KIND_SUBNET_CREATE, FALSE, FALSE, {
      { "name", FIELD_LINE, TRUE, 1, HL_MAX_NAME_CHARS },
      { "description", FIELD_TEXT, FALSE, 0, HL_MAX_DESCRIPTION_CHARS } } },
  { HL_KIND_SUBNET_UPDATE, TRUE, TRUE, {
      { "name", FIELD_LINE, FALSE, 1, HL_MAX_NAME_CHARS },
      { "description", FIELD_TEXT, FALSE, 0, HL_MAX_DESCRIPTION_CHARS } } },
  { HL_KIND_THREAD_CREATE, TRUE, FALSE, {
      { "title", FIELD_LINE, TRUE, 1, HL_MAX_TITLE_CHARS },
      { "body", FIELD_TEXT, TRUE, 0, HL_MAX_POST_CHARS } } },
  { HL_KIND_REPLY_CREATE, TRUE, FALSE, {
      { "body", FIELD_TEXT, TRUE, 1, HL_MAX_POST_CHARS },
      { "parent", FIELD_HEX_ID, FALSE, 0, 0 } } },
  { HL_KIND_EDIT, TRUE, TRUE, {
      { "title", FIELD_LINE, FALSE, 1, HL_MAX_TITLE_CHARS },
      { "body", FIELD_TEXT, FALSE, 0, HL_MAX_POST_CHARS } } },
  { HL_KIND_DELETE, TRUE, FALSE, { { NULL } } },
  { HL_KIND_HIDE, TRUE, FALSE, {
      { "hidden", FIELD_BOOL, TRUE, 0, 0 },
      { "reason", FIELD_TEXT, FALSE, 0, HL_MAX_REASON_CHARS } } },
  { HL_KIND_PROFILE, FALSE, FALSE, {
      { "name", FIELD_LINE, TRUE, 1, HL_MAX_NAME_CHARS },
      { "bio", FIELD_TEXT, FALSE, 0, HL_MAX_DESCRIPTION_CHARS } } },
  { HL_KIND_MODERATOR_ADD, TRUE, FALSE, {
      { "key", FIELD_HEX_ID, TRUE, 0, 0 } } },
  { HL_KIND_MODERATOR_REMOVE, TRUE, FALSE, {
      { "key", FIELD_HEX_ID, TRUE, 0, 0 } } },
};

static const KindSchema *
find_schema (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (schemas); i++)
    if (strcmp (schemas[i].kind, kind) == 0)
      return &schemas[i];
  return NULL;
}

gboolean
hl_event_is_known_kind (const char *kind)
{
  return find_schema (kind) != NULL;
}

/* Code points that show nothing: Unicode's White_Space and
 * Default_Ignorable_Code_Point (Unicode 14.0), merged where adjacent.
 * docs/protocol.md, "Kinds and bodies", lists the same ranges. */
static const gunichar blank_ranges[][2] = {
  { 0x0009, 0x000d }, { 0x0020, 0x0020 }, { 0x0085, 0x0085 }, { 0x00a0, 0x00a0 },
  { 0x00ad, 0x00ad }, { 0x034f, 0x034f }, { 0x061c, 0x061c }, { 0x115f, 0x1160 },
  { 0x1680, 0x1680 }, { 0x17b4, 0x17b5 }, { 0x180b, 0x180f }, { 0x2000, 0x200f },
  { 0x2028, 0x202f }, { 0x205f, 0x206f }, { 0x3000, 0x3000 }, { 0x3164, 0x3164 },
  { 0xfe00, 0xfe0f }, { 0xfeff, 0xfeff }, { 0xffa0, 0xffa0 }, { 0xfff0, 0xfff8 },
  { 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a }, { 0xe0000, 0xe0fff },
};

static gboolean
is_blank (gunichar c)
{
  for (guint i = 0; i < G_N_ELEMENTS (blank_ranges) && c >= blank_ranges[i][0]; i++)
    if (c <= blank_ranges[i][1])
      return TRUE;
  return FALSE;
}

/* Unicode's controls (Cc); a line also refuses the line and paragraph
 * separators, a text allows tab, line feed and carriage return. */
static gboolean
is_forbidden (gunichar c,
              gboolean is_text)
{
  if (is_text && (c == '\t' || c == '\n' || c == '\r'))
    return FALSE;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (!is_text && (c == 0x2028 || c == 0x2029));
}

static gboolean
invalid (GError      **error,
         HlRefusal     reason,
         const char   *kind,
         const char   *field,
         const char   *problem)
{
  return hl_event_refuse (error, reason, "Invalid %s event: “%s” %s", kind, field, problem);
}

static gboolean
check_text (const char               *kind,
            const Field              *field,
            const HlJsonStrictMember *member,
            GError                  **error)
{
  gboolean is_text = field->type == FIELD_TEXT;
  gboolean blank = TRUE;
  guint chars = 0;

  for (const char *p = member->value; p < member->value + member->value_len;
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_forbidden (c, is_text))
        return invalid (error, HL_REFUSE_MEMBER_CONTROL_CHAR, kind, field->name,
                        is_text ? "must not contain control characters"
                                : "must be a single line without control characters");
      blank = blank && is_blank (c);
      chars++;
    }
  if (chars > field->max_chars)
    return hl_event_refuse (error, HL_REFUSE_MEMBER_TOO_LONG,
                            "Invalid %s event: “%s” is %u characters long; the limit is %u",
                            kind, field->name, chars, field->max_chars);
  if (field->min_chars > 0 && blank)
    return invalid (error, HL_REFUSE_MEMBER_BLANK, kind, field->name,
                    "must not be empty or only white space");
  return TRUE;
}

static gboolean
check_field (const char               *kind,
             const Field              *field,
             const HlJsonStrictMember *member,
             GError                  **error)
{
  guint8 id[HL_ID_LEN];

  switch (field->type)
    {
    case FIELD_BOOL:
      if (member->type != HL_JSON_STRICT_TRUE && member->type != HL_JSON_STRICT_FALSE)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, kind, field->name, "must be true or false");
      return TRUE;
    case FIELD_HEX_ID:
      if (member->type != HL_JSON_STRICT_STRING)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, kind, field->name, "must be a string");
      if (!hl_event_hex_decode (member->value, member->value_len, id, sizeof id, TRUE))
        return invalid (error, HL_REFUSE_MEMBER_BAD_HEX, kind, field->name,
                        "must be 64 lowercase hex digits");
      return TRUE;
    case FIELD_LINE:
    case FIELD_TEXT:
      if (member->type != HL_JSON_STRICT_STRING)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, kind, field->name, "must be a string");
      return check_text (kind, field, member, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
hl_event_check_schema (const HlEvent       *event,
                       const HlJsonStrict  *body,
                       GError             **error)
{
  const KindSchema *schema = find_schema (event->kind);
  guint present = 0;

  if (schema == NULL)
    return TRUE;

  if (schema->needs_ref && !event->has_ref)
    return hl_event_refuse (error, HL_REFUSE_REF_MISSING,
                            "Invalid %s event: it needs a reference to another object",
                            event->kind);
  if (!schema->needs_ref && event->has_ref)
    return hl_event_refuse (error, HL_REFUSE_REF_NOT_ALLOWED,
                            "Invalid %s event: it must not have a reference to another object",
                            event->kind);

  for (guint i = 0; i < G_N_ELEMENTS (schema->fields) && schema->fields[i].name; i++)
    {
      const Field *field = &schema->fields[i];
      const HlJsonStrictMember *member = hl_json_strict_lookup (body, field->name);

      if (member == NULL)
        {
          if (field->required)
            return invalid (error, HL_REFUSE_MEMBER_MISSING, event->kind, field->name,
                            "is missing");
          continue;
        }
      if (!check_field (event->kind, field, member, error))
        return FALSE;
      present++;
    }

  if (schema->needs_one_field && present == 0)
    return hl_event_refuse (error, HL_REFUSE_BODY_CHANGES_NOTHING,
                            "Invalid %s event: it changes nothing", event->kind);
  return TRUE;
}
