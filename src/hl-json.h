/* hl-json.h: small JSON helpers every layer uses.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Members of JSON from elsewhere (a peer's messages, an invite, the status
 * file), where a member of another type counts as absent: the string, or
 * NULL; FALSE when there is no integer @name (*@out is left alone). */
const char *hl_json_get_string (JsonObject  *obj,
                                const char  *name);
gboolean    hl_json_get_int    (JsonObject  *obj,
                                const char  *name,
                                gint64      *out);

/* Adds member @name: @value, or null when @value is NULL. */
void        hl_json_add_string (JsonBuilder *builder,
                                const char  *name,
                                const char  *value);

/* A JSON object of string members, for an event body: pairs of name and
 * value ending with NULL; a pair whose value is NULL is left out. */
char       *hl_json_body       (const char  *first_name,
                                ...) G_GNUC_NULL_TERMINATED;

/* @text parsed as a JSON object (a status file, say); NULL when it is
 * NULL, not JSON, or not an object. */
JsonObject *hl_json_parse_object (const char *text);

G_END_DECLS
