/* hl-json.c: small JSON helpers every layer uses.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-json.h"

const char *
hl_json_get_string (JsonObject *obj,
                    const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
hl_json_get_int (JsonObject *obj,
                 const char *name,
                 gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

void
hl_json_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
