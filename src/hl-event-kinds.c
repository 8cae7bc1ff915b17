/* hl-event-kinds.c: the body schema of each kind this version knows.
 *
 * Unknown members of a known kind are allowed and ignored, so that a later
 * version can add optional fields without a format break.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event.h"
#include "hl-error.h"
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

static gboolean
invalid (GError     **error,
         const char  *kind,
         const char  *field,
         const char  *problem)
{
  g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
               "Invalid %s event: “%s” %s", kind, field, problem);
  return FALSE;
}

static gboolean
has_control_chars (const char *text,
                   gboolean    allow_newlines)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      {
        if (allow_newlines && (*p == '\n' || *p == '\t' || *p == '\r'))
          continue;
        return TRUE;
      }
  return FALSE;
}

static gboolean
check_string (const char   *kind,
              const Field  *field,
              JsonNode     *node,
              GError      **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *problem = NULL;
  const char *text;
  glong chars;

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, kind, field->name, "must be a string");
  text = json_node_get_string (node);

  if (field->type == FIELD_HEX_ID)
    {
      guint8 id[HL_ID_LEN];
      if (!hl_hex_decode (text, id, sizeof id))
        return invalid (error, kind, field->name, "must be 64 hex digits");
      return TRUE;
    }

  chars = g_utf8_strlen (text, -1);
  stripped = g_strstrip (g_strdup (text));
  if ((guint) g_utf8_strlen (stripped, -1) < field->min_chars)
    return invalid (error, kind, field->name, "must not be empty");
  if ((guint) chars > field->max_chars)
    {
      problem = g_strdup_printf ("is %ld characters long; the limit is %u", chars,
                                 field->max_chars);
      return invalid (error, kind, field->name, problem);
    }
  if (has_control_chars (text, field->type == FIELD_TEXT))
    return invalid (error, kind, field->name,
                    field->type == FIELD_LINE ? "must be a single line without control characters"
                                              : "must not contain control characters");
  return TRUE;
}

static gboolean
check_field (const char   *kind,
             const Field  *field,
             JsonNode     *node,
             GError      **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return invalid (error, kind, field->name, "has the wrong type");

  switch (field->type)
    {
    case FIELD_BOOL:
      if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return invalid (error, kind, field->name, "must be true or false");
      return TRUE;
    case FIELD_LINE:
    case FIELD_TEXT:
    case FIELD_HEX_ID:
      return check_string (kind, field, node, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
hl_event_check_schema (const HlEvent  *event,
                       JsonObject     *body,
                       GError        **error)
{
  const KindSchema *schema = find_schema (event->kind);
  guint present = 0;

  if (schema == NULL)
    return TRUE;

  if (schema->needs_ref != event->has_ref)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                   "Invalid %s event: it %s a reference to another object", event->kind,
                   schema->needs_ref ? "needs" : "must not have");
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (schema->fields) && schema->fields[i].name; i++)
    {
      const Field *field = &schema->fields[i];
      JsonNode *node = json_object_get_member (body, field->name);

      if (node == NULL)
        {
          if (field->required)
            return invalid (error, event->kind, field->name, "is missing");
          continue;
        }
      if (!check_field (event->kind, field, node, error))
        return FALSE;
      present++;
    }

  if (schema->needs_one_field && present == 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                   "Invalid %s event: it changes nothing", event->kind);
      return FALSE;
    }
  return TRUE;
}
