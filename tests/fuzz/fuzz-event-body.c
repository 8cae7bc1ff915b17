/* fuzz-event-body.c: libFuzzer target, the strict JSON reader on its own.
 *
 * Arbitrary bytes as a body. Invariants, each checked against something other
 * than the reader itself:
 * - it gives the same answer twice, and with a fresh reader;
 * - what it accepts, json-glib parses to the same members (names, types,
 *   strings, numbers) and json-glib sees no duplicate member in it; wrapped
 *   as a member of an object that repeats that member, it is refused;
 * - what it accepts holds no \u0000 escape and no unpaired surrogate escape,
 *   found by scanning for escapes directly; what it refuses for either holds
 *   one;
 * - what it refuses for a duplicate, json-glib parses and finds a duplicate in;
 * - UTF-8 is judged as GLib judges it.
 *
 * Build: see fuzz-event-json.c. Run:
 *   /tmp/fuzz-ev/tests/fuzz/fuzz-event-body /tmp/corpus-body -max_total_time=300
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdint.h>

#include "hl-json-strict.h"
#include "fuzz-event-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct
{
  GArray   *counts;      /* members seen per open object */
  gboolean  duplicate;
} Counter;

static void
on_object_start (JsonParser *parser,
                 gpointer    user_data)
{
  Counter *c = user_data;
  guint zero = 0;

  g_array_append_val (c->counts, zero);
}

static void
on_object_member (JsonParser *parser,
                  JsonObject *object,
                  const char *name,
                  gpointer    user_data)
{
  Counter *c = user_data;

  if (c->counts->len > 0)
    g_array_index (c->counts, guint, c->counts->len - 1)++;
}

static void
on_object_end (JsonParser *parser,
               JsonObject *object,
               gpointer    user_data)
{
  Counter *c = user_data;

  if (c->counts->len == 0)
    return;
  if (g_array_index (c->counts, guint, c->counts->len - 1) != json_object_get_size (object))
    c->duplicate = TRUE;
  g_array_set_size (c->counts, c->counts->len - 1);
}

/* json-glib's reading of @text, and whether it saw an object with a name
 * twice; NULL when it does not parse it. */
static JsonNode *
parse_with_json_glib (const char *text,
                      gsize       len,
                      gboolean   *duplicate)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  Counter counter = { g_array_new (FALSE, FALSE, sizeof (guint)), FALSE };
  JsonNode *root = NULL;

  g_signal_connect (parser, "object-start", G_CALLBACK (on_object_start), &counter);
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &counter);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), &counter);
  if (json_parser_load_from_data (parser, text, (gssize) len, NULL) &&
      json_parser_get_root (parser) != NULL)
    root = json_node_copy (json_parser_get_root (parser));
  *duplicate = counter.duplicate;
  g_array_unref (counter.counts);
  return root;
}

/* Real \u escapes: a backslash preceded by an even number of backslashes. */
static gboolean
escape_at (const char *text,
           gsize       len,
           gsize       i,
           int        *unit)
{
  gsize run = 0;
  char hex[5];

  if (i + 6 > len || text[i] != '\\' || text[i + 1] != 'u')
    return FALSE;
  while (run < i && text[i - 1 - run] == '\\')
    run++;
  if (run % 2 != 0)
    return FALSE;
  memcpy (hex, text + i + 2, 4);
  hex[4] = '\0';
  for (int k = 0; k < 4; k++)
    if (!g_ascii_isxdigit (hex[k]))
      return FALSE;
  *unit = (int) strtol (hex, NULL, 16);
  return TRUE;
}

static void
scan_escapes (const char *text,
              gsize       len,
              gboolean   *nul,
              gboolean   *lone)
{
  *nul = *lone = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int unit, next, prev;

      if (!escape_at (text, len, i, &unit))
        continue;
      if (unit == 0)
        *nul = TRUE;
      if (unit >= 0xd800 && unit <= 0xdbff &&
          !(escape_at (text, len, i + 6, &next) && next >= 0xdc00 && next <= 0xdfff))
        *lone = TRUE;
      if (unit >= 0xdc00 && unit <= 0xdfff &&
          !(i >= 6 && escape_at (text, len, i - 6, &prev) && prev >= 0xd800 && prev <= 0xdbff))
        *lone = TRUE;
    }
}

static void
assert_same_member (const HlJsonStrictMember *m,
                    JsonNode                 *node)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  g_autofree char *number = NULL;
  gint64 integer;

  switch (m->type)
    {
    case HL_JSON_STRICT_STRING:
      if (type != G_TYPE_STRING || strcmp (json_node_get_string (node), m->value) != 0 ||
          strlen (m->value) != m->value_len)
        fuzz_fail ("a string reads differently in json-glib");
      break;
    case HL_JSON_STRICT_NUMBER:
      number = g_strndup (m->value, m->value_len);
      if (hl_json_strict_number_is_integer (m->value, m->value_len) &&
          g_ascii_string_to_signed (number, 10, G_MININT64, G_MAXINT64, &integer, NULL))
        {
          if (type != G_TYPE_INT64 || json_node_get_int (node) != integer)
            fuzz_fail ("an integer reads differently in json-glib");
        }
      else if (!hl_json_strict_number_is_integer (m->value, m->value_len) &&
               (type != G_TYPE_DOUBLE ||
                json_node_get_double (node) != g_ascii_strtod (number, NULL)))
        fuzz_fail ("a number reads differently in json-glib");
      break;
    case HL_JSON_STRICT_TRUE:
    case HL_JSON_STRICT_FALSE:
      if (type != G_TYPE_BOOLEAN ||
          json_node_get_boolean (node) != (m->type == HL_JSON_STRICT_TRUE))
        fuzz_fail ("a boolean reads differently in json-glib");
      break;
    case HL_JSON_STRICT_NULL:
      if (!JSON_NODE_HOLDS_NULL (node))
        fuzz_fail ("null reads differently in json-glib");
      break;
    case HL_JSON_STRICT_ARRAY:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        fuzz_fail ("an array reads differently in json-glib");
      break;
    case HL_JSON_STRICT_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        fuzz_fail ("an object reads differently in json-glib");
      break;
    default:
      fuzz_fail ("a member of no type");
    }
}

static void
check_accepted (HlJsonStrict *reader,
                const char   *text,
                gsize         len)
{
  gboolean duplicate, nul, lone;
  g_autoptr(JsonNode) root = parse_with_json_glib (text, len, &duplicate);
  g_auto(HlJsonStrict) wrapper = HL_JSON_STRICT_INIT;
  g_autoptr(GString) wrapped = g_string_new ("{\"d\":");
  HlJsonStrictProblem expected;
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    fuzz_fail ("json-glib does not read an object the strict reader accepts");
  if (duplicate)
    fuzz_fail ("json-glib finds a duplicate member the strict reader missed");
  object = json_node_get_object (root);
  if (json_object_get_size (object) != hl_json_strict_n_members (reader))
    fuzz_fail ("json-glib counts other members");
  for (guint i = 0; i < hl_json_strict_n_members (reader); i++)
    {
      const HlJsonStrictMember *m = hl_json_strict_member (reader, i);
      JsonNode *node = json_object_get_member (object, m->name);

      if (node == NULL || strlen (m->name) != m->name_len)
        fuzz_fail ("a member json-glib does not have");
      assert_same_member (m, node);
    }
  scan_escapes (text, len, &nul, &lone);
  if (nul || lone)
    fuzz_fail ("accepted a \\u0000 or an unpaired surrogate escape");

  /* Wrapped where a member repeats, it must be refused for that. */
  g_string_append_len (wrapped, text, (gssize) len);
  g_string_append (wrapped, ",\"d\":0}");
  expected = hl_json_strict_max_depth (reader) + 1 > HL_JSON_STRICT_MAX_DEPTH
             ? HL_JSON_STRICT_TOO_DEEP : HL_JSON_STRICT_DUPLICATE_MEMBER;
  if (hl_json_strict_read (&wrapper, wrapped->str, wrapped->len) != expected)
    fuzz_fail ("a repeated member around an accepted text is not refused as such");
}

static void
check_refused (HlJsonStrictProblem  problem,
               const char          *text,
               gsize                len)
{
  gboolean duplicate, nul, lone;
  g_autoptr(JsonNode) root = NULL;

  scan_escapes (text, len, &nul, &lone);
  if (problem == HL_JSON_STRICT_NUL_ESCAPE && !nul)
    fuzz_fail ("refused for \\u0000 without one");
  if (problem == HL_JSON_STRICT_LONE_SURROGATE && (!lone || nul))
    fuzz_fail ("refused for an unpaired surrogate without one (or with a \\u0000)");
  if (problem != HL_JSON_STRICT_DUPLICATE_MEMBER)
    return;
  if (nul || lone)
    fuzz_fail ("refused for a duplicate when an escape outranks it");
  root = parse_with_json_glib (text, len, &duplicate);
  if (root == NULL || !duplicate)
    fuzz_fail ("refused for a duplicate json-glib does not find");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_auto(HlJsonStrict) reader = HL_JSON_STRICT_INIT;
  g_auto(HlJsonStrict) fresh = HL_JSON_STRICT_INIT;
  HlJsonStrictProblem problem = hl_json_strict_read (&reader, text, size);
  gboolean has_nul = memchr (text, '\0', size) != NULL;

  if (hl_json_strict_read (&reader, text, size) != problem ||
      hl_json_strict_read (&fresh, "{\"warm\":[1]}", 12) != HL_JSON_STRICT_OK ||
      hl_json_strict_read (&fresh, text, size) != problem)
    fuzz_fail ("the reader's answer depends on what it read before");
  if (!has_nul && (problem == HL_JSON_STRICT_NOT_UTF8) == g_utf8_validate_len (text, size, NULL))
    fuzz_fail ("UTF-8 judged differently from GLib");

  /* json-glib recurses: keep texts it could not survive away from it. */
  if (fuzz_nesting (text, size) > FUZZ_MAX_TREE_DEPTH || has_nul)
    return 0;
  if (problem == HL_JSON_STRICT_OK)
    check_accepted (&reader, text, size);
  else
    check_refused (problem, text, size);
  return 0;
}
