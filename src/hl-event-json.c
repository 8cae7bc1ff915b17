/* hl-event-json.c: reading an event's JSON form without a JSON tree.
 *
 * It accepts only what it can read with certainty: one flat object whose
 * values are strings, non-negative integers or null, each member once. For
 * anything else it gives up and hl_event_from_json_text() asks json-glib,
 * so the two agree on every input this one accepts.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-private.h"
#include "hl-limits.h"

typedef enum
{
  VALUE_STRING,
  VALUE_NUMBER,
  VALUE_NULL,
} ValueType;

typedef struct
{
  const char *p;
  const char *end;
} Scanner;

enum { M_V, M_ID, M_KIND, M_AUTHOR, M_TS, M_CTR, M_REF, M_BODY, M_SIG, N_MEMBERS };

static const char * const member_names[N_MEMBERS] = {
  "v", "id", "kind", "author", "ts", "ctr", "ref", "body", "sig",
};

typedef struct
{
  gboolean   seen[N_MEMBERS];
  ValueType  type[N_MEMBERS];
  GString   *text[N_MEMBERS];
  guint64    number[N_MEMBERS];
} Members;

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);
      if (d < 0)
        return -1;
      value = value << 4 | d;
    }
  return value;
}

/* Reads the string at s->p (after its opening quote) into @out. */
static gboolean
read_string (Scanner *s,
             GString *out)
{
  while (s->p < s->end)
    {
      const char *run = s->p;
      int unit, low;

      while (s->p < s->end && *s->p != '"' && *s->p != '\\' && (guchar) *s->p >= 0x20)
        s->p++;
      if (out != NULL)
        g_string_append_len (out, run, s->p - run);
      if (s->p >= s->end || (guchar) *s->p < 0x20)
        return FALSE;
      if (*s->p++ == '"')
        return TRUE;
      if (s->p >= s->end)
        return FALSE;
      switch (*s->p++)
        {
        case '"': unit = '"'; break;
        case '\\': unit = '\\'; break;
        case '/': unit = '/'; break;
        case 'b': unit = '\b'; break;
        case 'f': unit = '\f'; break;
        case 'n': unit = '\n'; break;
        case 'r': unit = '\r'; break;
        case 't': unit = '\t'; break;
        case 'u':
          if (s->end - s->p < 4 || (unit = hex4 (s->p)) < 0)
            return FALSE;
          s->p += 4;
          if (unit >= 0xdc00 && unit <= 0xdfff)
            return FALSE;   /* a lone low surrogate */
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
                  (low = hex4 (s->p + 2)) < 0xdc00 || low > 0xdfff)
                return FALSE;
              s->p += 6;
              unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
            }
          if (unit == 0)
            return FALSE;   /* a NUL would cut the C string short */
          break;
        default:
          return FALSE;
        }
      if (out != NULL)
        g_string_append_unichar (out, (gunichar) unit);
    }
  return FALSE;
}

static gboolean
read_number (Scanner *s,
             guint64 *value)
{
  const char *start = s->p;

  *value = 0;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    {
      if (s->p - start >= 18)
        return FALSE;   /* more than JSON readers keep exactly */
      *value = *value * 10 + (guint64) (*s->p++ - '0');
    }
  if (s->p == start || (*start == '0' && s->p - start > 1))
    return FALSE;
  /* Fractions and exponents are not for us. */
  return s->p >= s->end || (*s->p != '.' && *s->p != 'e' && *s->p != 'E');
}

static int
member_index (const GString *name)
{
  for (int i = 0; i < N_MEMBERS; i++)
    if (strcmp (name->str, member_names[i]) == 0)
      return i;
  return -1;
}

static gboolean
read_value (Scanner *s,
            Members *m,
            int      index)
{
  GString *text = NULL;

  if (index >= 0)
    {
      if (m->seen[index])
        return FALSE;
      m->seen[index] = TRUE;
    }
  if (*s->p == '"')
    {
      s->p++;
      if (index >= 0)
        {
          m->type[index] = VALUE_STRING;
          text = m->text[index] = g_string_new (NULL);
        }
      return read_string (s, text);
    }
  if (*s->p == 'n' && s->end - s->p >= 4 && memcmp (s->p, "null", 4) == 0)
    {
      s->p += 4;
      if (index >= 0)
        m->type[index] = VALUE_NULL;
      return TRUE;
    }
  if (index >= 0)
    m->type[index] = VALUE_NUMBER;
  return read_number (s, index >= 0 ? &m->number[index] : &(guint64) { 0 });
}

static gboolean
scan_object (Scanner *s,
             Members *m)
{
  g_autoptr(GString) name = g_string_new (NULL);

  skip_space (s);
  if (s->p >= s->end || *s->p++ != '{')
    return FALSE;
  skip_space (s);
  if (s->p < s->end && *s->p == '}')
    return FALSE;

  for (;;)
    {
      skip_space (s);
      if (s->p >= s->end || *s->p++ != '"')
        return FALSE;
      g_string_truncate (name, 0);
      if (!read_string (s, name))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end || *s->p++ != ':')
        return FALSE;
      skip_space (s);
      if (s->p >= s->end || !read_value (s, m, member_index (name)))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == '}')
        break;
      if (*s->p++ != ',')
        return FALSE;
    }
  s->p++;
  skip_space (s);
  return s->p == s->end;
}

static gboolean
hex_member (Members *m,
            int      index,
            guint8  *out,
            gsize    len)
{
  return m->seen[index] && m->type[index] == VALUE_STRING &&
         hl_hex_decode (m->text[index]->str, out, len);
}

static gboolean
is_type (Members   *m,
         int        index,
         ValueType  type)
{
  return m->seen[index] && m->type[index] == type;
}

static HlEvent *
assemble (Members *m)
{
  guint8 id[HL_ID_LEN], author[HL_KEY_LEN], ref[HL_ID_LEN], sig[HL_SIG_LEN];
  gboolean has_ref = FALSE;
  HlTimestamp ts;

  if (!is_type (m, M_V, VALUE_NUMBER) || m->number[M_V] != HL_EVENT_FORMAT_VERSION ||
      !is_type (m, M_KIND, VALUE_STRING) ||
      !hl_event_kind_is_well_formed (m->text[M_KIND]->str, m->text[M_KIND]->len) ||
      !is_type (m, M_BODY, VALUE_STRING) ||
      strlen (m->text[M_BODY]->str) != m->text[M_BODY]->len ||
      !is_type (m, M_TS, VALUE_NUMBER) || m->number[M_TS] > HL_MAX_TIMESTAMP_MS ||
      !is_type (m, M_CTR, VALUE_NUMBER) || m->number[M_CTR] > G_MAXUINT32 ||
      !hex_member (m, M_ID, id, sizeof id) ||
      !hex_member (m, M_AUTHOR, author, sizeof author) ||
      !hex_member (m, M_SIG, sig, sizeof sig))
    return NULL;
  if (m->seen[M_REF] && m->type[M_REF] != VALUE_NULL)
    {
      if (!hex_member (m, M_REF, ref, sizeof ref))
        return NULL;
      has_ref = TRUE;
    }

  ts.ms = m->number[M_TS];
  ts.ctr = (guint32) m->number[M_CTR];
  /* A forged id comes back NULL too: json-glib then reads it and says so. */
  return hl_event_assemble (m->text[M_KIND]->str, author, &ts, has_ref ? ref : NULL,
                            m->text[M_BODY]->str, sig, id, NULL);
}

HlEvent *
hl_event_from_json_fast (const char *text,
                         gsize       len)
{
  Scanner s = { text, text + len };
  Members m = { { 0 } };
  HlEvent *event = NULL;

  if (g_utf8_validate_len (text, len, NULL) && scan_object (&s, &m))
    event = assemble (&m);
  for (int i = 0; i < N_MEMBERS; i++)
    if (m.text[i] != NULL)
      g_string_free (m.text[i], TRUE);
  return event;
}
