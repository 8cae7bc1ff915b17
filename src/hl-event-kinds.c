/* hl-event-kinds.c: the body schema of each kind this version knows.
 *
 * Unknown members of a known kind are allowed and ignored, so that a later
 * version can add optional fields without a format break.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-archive.h"
#include "hl-event-private.h"
#include "hl-limits.h"

typedef enum
{
  FIELD_LINE,      /* one line of text: names, titles (min, max: characters) */
  FIELD_TEXT,      /* text with line breaks: bodies, descriptions */
  FIELD_BOOL,
  FIELD_HEX_ID,
  FIELD_HEX,       /* max bytes as lowercase hex digits */
  FIELD_HEX_OR_NULL,
  FIELD_HEX_LIST,  /* an array of hex ids */
  FIELD_UINT,      /* an integer in min … max */
  FIELD_UINT_OR_HALF, /* an integer in min … max, or the string "half" */
  FIELD_MONTH,     /* "YYYY-MM" */
} FieldType;

typedef struct
{
  const char *name;
  FieldType   type;
  gboolean    required;
  guint64     min;
  guint64     max;
} Field;

typedef struct
{
  const char *kind;
  gboolean    needs_ref;
  gboolean    needs_one_field;  /* at least one of the optional fields */
  Field       fields[14];
  /* The rules between members, once each member passed its own. */
  gboolean  (*check) (const HlEvent *event, const HlJsonStrict *body, GError **error);
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
  /* docs/protocol.md, "Archive". */
  { HL_KIND_ARCHIVE_SEGMENT, TRUE, FALSE, {
      { "month", FIELD_MONTH, TRUE, 0, 0 },
      { "gen", FIELD_UINT, TRUE, 1, G_MAXUINT32 },
      { "part", FIELD_UINT, TRUE, 0, HL_ARCHIVE_MAX_PARTS - 1 },
      { "parts", FIELD_UINT, TRUE, 1, HL_ARCHIVE_MAX_PARTS },
      { "set", FIELD_HEX_ID, TRUE, 0, 0 },
      { "count", FIELD_UINT, TRUE, 1, G_MAXUINT32 },
      { "first", FIELD_UINT, TRUE, 0, HL_MAX_TIMESTAMP_MS },
      { "last", FIELD_UINT, TRUE, 0, HL_MAX_TIMESTAMP_MS },
      { "size", FIELD_UINT, TRUE, 1, HL_ARCHIVE_MAX_SIZE },
      { "hash", FIELD_HEX_ID, TRUE, 0, 0 },
      { "oti", FIELD_HEX, TRUE, 0, HL_CODEC_OTI_SIZE },
      { "roots", FIELD_HEX_LIST, TRUE, 0, 0 },
      { "epoch", FIELD_HEX_ID, FALSE, 0, 0 },
      { "supersedes", FIELD_HEX_OR_NULL, FALSE, 0, 0 } },
    hl_event_archive_check_segment },
  { HL_KIND_ARCHIVE_HOLDER, FALSE, FALSE, {
      { "quota", FIELD_UINT, TRUE, 0, HL_MAX_TIMESTAMP_MS } } },
  { HL_KIND_ARCHIVE_POLICY, TRUE, FALSE, {
      { "lose", FIELD_UINT_OR_HALF, TRUE, 0, HL_ARCHIVE_MAX_LOSE } } },
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
  if (chars > field->max)
    return hl_event_refuse (error, HL_REFUSE_MEMBER_TOO_LONG,
                            "Invalid %s event: “%s” is %u characters long; the limit is %u",
                            kind, field->name, chars, (guint) field->max);
  if (field->min > 0 && blank)
    return invalid (error, HL_REFUSE_MEMBER_BLANK, kind, field->name,
                    "must not be empty or only white space");
  return TRUE;
}

static gboolean
check_uint (const char               *kind,
            const Field              *field,
            const HlJsonStrictMember *member,
            GError                  **error)
{
  guint64 value;

  if (!hl_json_strict_number_is_integer (member->value, member->value_len))
    return invalid (error, HL_REFUSE_MEMBER_NOT_INTEGER, kind, field->name,
                    "must be an integer, written without a fraction or an exponent");
  if (!hl_json_strict_number_is_uint (member->value, member->value_len, field->max, &value) ||
      value < field->min)
    return hl_event_refuse (error, HL_REFUSE_MEMBER_OUT_OF_RANGE,
                            "Invalid %s event: “%s” must be an integer from %" G_GUINT64_FORMAT
                            " to %" G_GUINT64_FORMAT, kind, field->name, field->min, field->max);
  return TRUE;
}

/* "YYYY-MM", a month of the years the archive knows. */
static gboolean
check_month (const char               *kind,
             const Field              *field,
             const HlJsonStrictMember *member,
             GError                  **error)
{
  const char *v = member->value;
  guint year = 0, month = 0;

  if (member->value_len == 7 && v[4] == '-')
    for (guint i = 0; i < 7; i++)
      {
        if (i == 4)
          continue;
        if (!g_ascii_isdigit (v[i]))
          {
            year = 0;
            break;
          }
        if (i < 4)
          year = year * 10 + (guint) (v[i] - '0');
        else
          month = month * 10 + (guint) (v[i] - '0');
      }
  if (year < HL_ARCHIVE_FIRST_YEAR || year > HL_ARCHIVE_LAST_YEAR || month < 1 || month > 12)
    return invalid (error, HL_REFUSE_MEMBER_BAD_MONTH, kind, field->name,
                    "must be a month written YYYY-MM, from 1970-01 to 9999-12");
  return TRUE;
}

static gboolean
check_hex (const char               *kind,
           const Field              *field,
           const char               *value,
           gsize                     len,
           gsize                     bytes,
           GError                  **error)
{
  g_autofree guint8 *out = g_malloc (bytes);
  g_autofree char *problem = NULL;

  if (hl_event_hex_decode (value, len, out, bytes, TRUE))
    return TRUE;
  problem = g_strdup_printf ("must be %" G_GSIZE_FORMAT " lowercase hex digits", 2 * bytes);
  return invalid (error, HL_REFUSE_MEMBER_BAD_HEX, kind, field->name, problem);
}

static gboolean
check_hex_list (const HlEvent            *event,
                const Field              *field,
                GError                  **error)
{
  g_autoptr(JsonNode) root = json_from_string (event->body, NULL);
  JsonArray *array = NULL;

  /* The body passed the strict rules, so json-glib reads it the same way;
   * only this reader sees into arrays. */
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    array = json_object_get_array_member (json_node_get_object (root), field->name);
  if (array == NULL)
    return invalid (error, HL_REFUSE_MEMBER_TYPE, event->kind, field->name, "must be an array");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *hex;

      if (JSON_NODE_TYPE (element) != JSON_NODE_VALUE ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, event->kind, field->name,
                        "must be an array of strings");
      hex = json_node_get_string (element);
      if (!check_hex (event->kind, field, hex, strlen (hex), HL_ID_LEN, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_field (const HlEvent            *event,
             const Field              *field,
             const HlJsonStrictMember *member,
             GError                  **error)
{
  const char *kind = event->kind;
  guint8 id[HL_ID_LEN];

  switch (field->type)
    {
    case FIELD_BOOL:
      if (member->type != HL_JSON_STRICT_TRUE && member->type != HL_JSON_STRICT_FALSE)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, kind, field->name, "must be true or false");
      return TRUE;
    case FIELD_HEX_OR_NULL:
      if (member->type == HL_JSON_STRICT_NULL)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case FIELD_HEX_ID:
      if (member->type != HL_JSON_STRICT_STRING)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, kind, field->name, "must be a string");
      if (!hl_event_hex_decode (member->value, member->value_len, id, sizeof id, TRUE))
        return invalid (error, HL_REFUSE_MEMBER_BAD_HEX, kind, field->name,
                        "must be 64 lowercase hex digits");
      return TRUE;
    case FIELD_HEX:
      if (member->type != HL_JSON_STRICT_STRING)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, kind, field->name, "must be a string");
      return check_hex (kind, field, member->value, member->value_len, field->max, error);
    case FIELD_HEX_LIST:
      if (member->type != HL_JSON_STRICT_ARRAY)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, kind, field->name, "must be an array");
      return check_hex_list (event, field, error);
    case FIELD_UINT_OR_HALF:
      if (member->type == HL_JSON_STRICT_STRING)
        {
          if (strcmp (member->value, "half") == 0)
            return TRUE;
          return invalid (error, HL_REFUSE_MEMBER_OUT_OF_RANGE, kind, field->name,
                          "must be an integer or the string \"half\"");
        }
      G_GNUC_FALLTHROUGH;
    case FIELD_UINT:
      if (member->type != HL_JSON_STRICT_NUMBER)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, kind, field->name, "must be a number");
      return check_uint (kind, field, member, error);
    case FIELD_MONTH:
      if (member->type != HL_JSON_STRICT_STRING)
        return invalid (error, HL_REFUSE_MEMBER_TYPE, kind, field->name, "must be a string");
      return check_month (kind, field, member, error);
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
      if (!check_field (event, field, member, error))
        return FALSE;
      present++;
    }

  if (schema->needs_one_field && present == 0)
    return hl_event_refuse (error, HL_REFUSE_BODY_CHANGES_NOTHING,
                            "Invalid %s event: it changes nothing", event->kind);
  return schema->check == NULL || schema->check (event, body, error);
}
