/* hl-event-json-tree.c: the JSON form read through json-glib's tree.
 *
 * The second reader of the JSON form: the line passes the same strict rules
 * (hl_event_read_line()) and the same field rules (hl_event_from_fields()),
 * but the values come from json-glib's parser. It is what the direct reader
 * is checked against (tests/fuzz/fuzz-event-json.c, tests/test-vectors.c).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-private.h"

typedef struct
{
  JsonObject          *object;
  const HlJsonStrict  *line;
} Tree;

static HlFieldType
tree_type (gpointer    data,
           const char *name)
{
  Tree *tree = data;
  JsonNode *node = json_object_get_member (tree->object, name);
  GType type;

  if (node == NULL)
    return HL_FIELD_ABSENT;
  if (JSON_NODE_HOLDS_NULL (node))
    return HL_FIELD_NULL;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return HL_FIELD_OTHER;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return HL_FIELD_STRING;
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    return HL_FIELD_NUMBER;
  return HL_FIELD_OTHER;
}

static const char *
tree_string (gpointer    data,
             const char *name)
{
  Tree *tree = data;

  return json_object_get_string_member (tree->object, name);
}

static HlNumberCheck
tree_uint (gpointer    data,
           const char *name,
           guint64     max,
           guint64    *value)
{
  Tree *tree = data;
  JsonNode *node = json_object_get_member (tree->object, name);
  const HlJsonStrictMember *spelled = hl_json_strict_lookup (tree->line, name);
  gint64 v;

  /* json-glib reads a number with a fraction or an exponent as a double. */
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return HL_NUMBER_NOT_INTEGER;
  v = json_node_get_int (node);
  /* It wraps integers beyond 64 bits around (-18446744073709551615 reads as
   * 1): the sign as written settles those. */
  if (v < 0 || (guint64) v > max || (v != 0 && spelled->value[0] == '-'))
    return HL_NUMBER_OUT_OF_RANGE;
  *value = (guint64) v;
  return HL_NUMBER_OK;
}

static const HlFieldReader tree_reader = { tree_type, tree_string, tree_uint };

HlEvent *
hl_event_from_json_tree (const char  *text,
                         gsize        len,
                         GError     **error)
{
  g_auto(HlJsonStrict) line = HL_JSON_STRICT_INIT;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  Tree tree;

  if (!hl_event_read_line (&line, text, len, error))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error))
    return hl_event_refuse (error, HL_REFUSE_LINE_NOT_JSON,
                            "Malformed event: json-glib does not read the line (%s)",
                            local_error->message), NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return hl_event_refuse (error, HL_REFUSE_LINE_NOT_OBJECT,
                            "Malformed event: json-glib does not read the line as an object"),
           NULL;
  tree.object = json_node_get_object (root);
  tree.line = &line;
  return hl_event_from_fields (&tree_reader, &tree, error);
}
