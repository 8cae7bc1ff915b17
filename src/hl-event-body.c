/* hl-event-body.c: reading an event's body, under the strict JSON rules.
 *
 * The verifier and the store read a body the same way, through
 * hl-json-strict.c: what the store applies is exactly what was validated.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-private.h"
#include "hl-limits.h"

gboolean
hl_event_read_body (const HlEvent  *event,
                    HlJsonStrict   *reader,
                    GError        **error)
{
  static const HlRefusal refusals[] = {
    [HL_JSON_STRICT_NOT_UTF8] = HL_REFUSE_BODY_NOT_UTF8,
    [HL_JSON_STRICT_NOT_JSON] = HL_REFUSE_BODY_NOT_JSON,
    [HL_JSON_STRICT_NOT_OBJECT] = HL_REFUSE_BODY_NOT_OBJECT,
    [HL_JSON_STRICT_TOO_DEEP] = HL_REFUSE_BODY_TOO_DEEP,
    [HL_JSON_STRICT_NUL_ESCAPE] = HL_REFUSE_BODY_NUL_ESCAPE,
    [HL_JSON_STRICT_LONE_SURROGATE] = HL_REFUSE_BODY_LONE_SURROGATE,
    [HL_JSON_STRICT_DUPLICATE_MEMBER] = HL_REFUSE_BODY_DUPLICATE_MEMBER,
  };
  HlJsonStrictProblem problem = hl_json_strict_read (reader, event->body, event->body_len);

  if (problem == HL_JSON_STRICT_OK)
    return TRUE;
  if (problem == HL_JSON_STRICT_NOT_JSON)
    return hl_event_refuse (error, refusals[problem], "Event body %s (byte %" G_GSIZE_FORMAT ")",
                            hl_json_strict_problem_phrase (problem),
                            hl_json_strict_offset (reader));
  return hl_event_refuse (error, refusals[problem], "Event body %s",
                          hl_json_strict_problem_phrase (problem));
}

static JsonNode *
number_node (const HlJsonStrictMember *m)
{
  g_autofree char *text = g_strndup (m->value, m->value_len);
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  gint64 value;

  if (hl_json_strict_number_is_integer (m->value, m->value_len) &&
      g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    json_node_set_int (node, value);
  else
    json_node_set_double (node, g_ascii_strtod (text, NULL));
  return node;
}

/* The body's members as json-glib values, for the store's readers. */
static JsonObject *
fields_from (const HlJsonStrict *body)
{
  JsonObject *fields = json_object_new ();

  for (guint i = 0; i < hl_json_strict_n_members (body); i++)
    {
      const HlJsonStrictMember *m = hl_json_strict_member (body, i);

      switch (m->type)
        {
        case HL_JSON_STRICT_STRING:
          json_object_set_string_member (fields, m->name, m->value);
          break;
        case HL_JSON_STRICT_NUMBER:
          json_object_set_member (fields, m->name, number_node (m));
          break;
        case HL_JSON_STRICT_TRUE:
        case HL_JSON_STRICT_FALSE:
          json_object_set_boolean_member (fields, m->name, m->type == HL_JSON_STRICT_TRUE);
          break;
        case HL_JSON_STRICT_NULL:
          json_object_set_null_member (fields, m->name);
          break;
        case HL_JSON_STRICT_ARRAY:
        case HL_JSON_STRICT_OBJECT:
        default:
          break;
        }
    }
  return fields;
}

void
hl_event_keep_fields (const HlEvent      *event,
                      const HlJsonStrict *body)
{
  /* A cache, not a change: the event's value stays the same. */
  if (event->fields == NULL)
    ((HlEvent *) event)->fields = fields_from (body);
}

JsonObject *
hl_event_parse_body (const HlEvent *event)
{
  g_auto(HlJsonStrict) body = HL_JSON_STRICT_INIT;

  if (event->fields == NULL)
    {
      if (!hl_event_read_body (event, &body, NULL))
        return NULL;
      hl_event_keep_fields (event, &body);
    }
  return json_object_ref (event->fields);
}
