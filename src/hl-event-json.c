/* hl-event-json.c: the fields of an event's JSON form, and its direct reader.
 *
 * hl_event_from_fields() holds the rules of the JSON form's fields, in the
 * order of docs/protocol.md ("Validation"); a reader only says what type a
 * field has and what its value is. The direct reader takes them from the
 * strict reader's members (no JSON tree: building one cost as much as the
 * rest of an import but the signature check); hl-event-json-tree.c takes
 * them from json-glib's tree, and the fuzzer checks that they agree.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-private.h"
#include "hl-limits.h"

gboolean
hl_event_hex_decode (const char *text,
                     gsize       text_len,
                     guint8     *out,
                     gsize       len,
                     gboolean    lower_only)
{
  /* A table, two digits at a time: every event carries 256 hex digits, and
   * g_ascii_xdigit_value() per digit showed in the import's profile. It holds
   * a digit's value plus one (0: not a digit), 0x80 marking upper case. */
  static const guint8 upper[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11 | 0x80, ['B'] = 12 | 0x80, ['C'] = 13 | 0x80, ['D'] = 14 | 0x80, ['E'] = 15 | 0x80,
    ['F'] = 16 | 0x80,
  };
  guint8 refused = lower_only ? 0x80 : 0;

  if (text_len != 2 * len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guint8 hi = upper[(guint8) text[2 * i]], lo = upper[(guint8) text[2 * i + 1]];

      if (hi == 0 || lo == 0 || ((hi | lo) & refused) != 0)
        return FALSE;
      out[i] = (guint8) (((hi & 0x7f) - 1) << 4 | ((lo & 0x7f) - 1));
    }
  return TRUE;
}

static gboolean
refuse_type (GError     **error,
             const char  *name,
             const char  *wanted)
{
  return hl_event_refuse (error, HL_REFUSE_FIELD_TYPE, "Malformed event: “%s” must be %s",
                          name, wanted);
}

/* Whether field @name is there with @type; refuses it otherwise. */
static gboolean
expect (const HlFieldReader  *reader,
        gpointer              data,
        const char           *name,
        HlFieldType           type,
        const char           *wanted,
        GError              **error)
{
  HlFieldType found = reader->type (data, name);

  if (found == HL_FIELD_ABSENT)
    return hl_event_refuse (error, HL_REFUSE_FIELD_MISSING, "Malformed event: “%s” is missing",
                            name);
  if (found != type)
    return refuse_type (error, name, wanted);
  return TRUE;
}

static gboolean
read_uint (const HlFieldReader  *reader,
           gpointer              data,
           const char           *name,
           guint64               max,
           guint64              *value,
           GError              **error)
{
  if (!expect (reader, data, name, HL_FIELD_NUMBER, "a number", error))
    return FALSE;
  switch (reader->uint (data, name, max, value))
    {
    case HL_NUMBER_OK:
      return TRUE;
    case HL_NUMBER_NOT_INTEGER:
      return hl_event_refuse (error, HL_REFUSE_FIELD_NOT_INTEGER,
                              "Malformed event: “%s” must be an integer, written without a "
                              "fraction or an exponent", name);
    case HL_NUMBER_OUT_OF_RANGE:
    default:
      return hl_event_refuse (error, HL_REFUSE_FIELD_OUT_OF_RANGE,
                              "Malformed event: “%s” must be an integer from 0 to %"
                              G_GUINT64_FORMAT, name, max);
    }
}

static gboolean
read_hex (const HlFieldReader  *reader,
          gpointer              data,
          const char           *name,
          guint8               *out,
          gsize                 len,
          GError              **error)
{
  const char *text;

  if (!expect (reader, data, name, HL_FIELD_STRING, "a hex string", error))
    return FALSE;
  text = reader->string (data, name);
  if (!hl_event_hex_decode (text, strlen (text), out, len, FALSE))
    return hl_event_refuse (error, HL_REFUSE_FIELD_BAD_HEX,
                            "Malformed event: “%s” must be %" G_GSIZE_FORMAT " hex digits",
                            name, 2 * len);
  return TRUE;
}

static gboolean
read_version (const HlFieldReader  *reader,
              gpointer              data,
              GError              **error)
{
  guint64 version;

  if (!read_uint (reader, data, "v", 255, &version, error))
    return FALSE;
  if (version != HL_EVENT_FORMAT_VERSION)
    return hl_event_refuse (error, HL_REFUSE_VERSION_UNSUPPORTED,
                            "Event format version %" G_GUINT64_FORMAT " is not supported (this "
                            "build knows version %d); update Hyperlink to read it",
                            version, HL_EVENT_FORMAT_VERSION);
  return TRUE;
}

/* "ref": absent or null when the event has none. */
static gboolean
read_ref (const HlFieldReader  *reader,
          gpointer              data,
          guint8               *ref,
          gboolean             *has_ref,
          GError              **error)
{
  switch (reader->type (data, "ref"))
    {
    case HL_FIELD_ABSENT:
    case HL_FIELD_NULL:
      *has_ref = FALSE;
      return TRUE;
    case HL_FIELD_STRING:
      *has_ref = TRUE;
      return read_hex (reader, data, "ref", ref, HL_ID_LEN, error);
    case HL_FIELD_NUMBER:
    case HL_FIELD_OTHER:
    default:
      return refuse_type (error, "ref", "a hex string or null");
    }
}

HlEvent *
hl_event_from_fields (const HlFieldReader  *reader,
                      gpointer              data,
                      GError              **error)
{
  guint8 id[HL_ID_LEN], author[HL_KEY_LEN], ref[HL_ID_LEN], sig[HL_SIG_LEN];
  gboolean has_ref;
  guint64 ms, ctr;
  HlTimestamp ts;
  const char *kind;

  if (!read_version (reader, data, error) ||
      !expect (reader, data, "kind", HL_FIELD_STRING, "a string", error))
    return NULL;
  kind = reader->string (data, "kind");
  if (!hl_event_kind_is_well_formed (kind, strlen (kind)))
    return hl_event_refuse (error, HL_REFUSE_KIND_MALFORMED,
                            "Malformed event: the kind is not 1-32 characters of a-z 0-9 . _ -, "
                            "starting with a letter"), NULL;
  if (!read_hex (reader, data, "author", author, sizeof author, error) ||
      !read_uint (reader, data, "ts", HL_MAX_TIMESTAMP_MS, &ms, error) ||
      !read_uint (reader, data, "ctr", G_MAXUINT32, &ctr, error) ||
      !read_ref (reader, data, ref, &has_ref, error) ||
      !expect (reader, data, "body", HL_FIELD_STRING, "a string holding a JSON object", error) ||
      !read_hex (reader, data, "id", id, sizeof id, error) ||
      !read_hex (reader, data, "sig", sig, sizeof sig, error))
    return NULL;

  ts.ms = ms;
  ts.ctr = (guint32) ctr;
  return hl_event_assemble (kind, author, &ts, has_ref ? ref : NULL,
                            reader->string (data, "body"), sig, id, error);
}

static void
append_quoted (GString    *out,
               const char *text,
               gsize       len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* Written here rather than by json-glib, whose generator (1.6) leaves U+001F
 * unescaped; the members in the order of docs/protocol.md. */
char *
hl_event_to_json_text (const HlEvent *self)
{
  char hex[2 * HL_SIG_LEN + 1];
  GString *out = g_string_sized_new (self->body_len + 420);

  hl_hex_encode (self->id, HL_ID_LEN, hex);
  g_string_append_printf (out, "{\"v\":%u,\"id\":\"%s\",\"kind\":", self->version, hex);
  append_quoted (out, self->kind, strlen (self->kind));
  hl_hex_encode (self->author, HL_KEY_LEN, hex);
  g_string_append_printf (out, ",\"author\":\"%s\",\"ts\":%" G_GUINT64_FORMAT ",\"ctr\":%u",
                          hex, self->ts.ms, self->ts.ctr);
  if (self->has_ref)
    {
      hl_hex_encode (self->ref, HL_ID_LEN, hex);
      g_string_append_printf (out, ",\"ref\":\"%s\"", hex);
    }
  g_string_append (out, ",\"body\":");
  append_quoted (out, self->body, self->body_len);
  hl_hex_encode (self->sig, HL_SIG_LEN, hex);
  g_string_append_printf (out, ",\"sig\":\"%s\"}", hex);
  return g_string_free (out, FALSE);
}

/* The direct reader: fields are the strict reader's members. */

static HlFieldType
direct_type (gpointer    data,
             const char *name)
{
  const HlJsonStrictMember *m = hl_json_strict_lookup (data, name);

  if (m == NULL)
    return HL_FIELD_ABSENT;
  switch (m->type)
    {
    case HL_JSON_STRICT_STRING:
      return HL_FIELD_STRING;
    case HL_JSON_STRICT_NUMBER:
      return HL_FIELD_NUMBER;
    case HL_JSON_STRICT_NULL:
      return HL_FIELD_NULL;
    case HL_JSON_STRICT_TRUE:
    case HL_JSON_STRICT_FALSE:
    case HL_JSON_STRICT_ARRAY:
    case HL_JSON_STRICT_OBJECT:
    default:
      return HL_FIELD_OTHER;
    }
}

static const char *
direct_string (gpointer    data,
               const char *name)
{
  return hl_json_strict_lookup (data, name)->value;
}

static HlNumberCheck
direct_uint (gpointer    data,
             const char *name,
             guint64     max,
             guint64    *value)
{
  const HlJsonStrictMember *m = hl_json_strict_lookup (data, name);

  if (!hl_json_strict_number_is_integer (m->value, m->value_len))
    return HL_NUMBER_NOT_INTEGER;
  if (!hl_json_strict_number_is_uint (m->value, m->value_len, max, value))
    return HL_NUMBER_OUT_OF_RANGE;
  return HL_NUMBER_OK;
}

static const HlFieldReader direct_reader = { direct_type, direct_string, direct_uint };

HlEvent *
hl_event_from_json_direct (const char  *text,
                           gsize        len,
                           GError     **error)
{
  g_auto(HlJsonStrict) line = HL_JSON_STRICT_INIT;

  if (!hl_event_read_line (&line, text, len, error))
    return NULL;
  return hl_event_from_fields (&direct_reader, &line, error);
}
