/* hl-json-strict.c: a strict RFC 8259 reader, one pass, no recursion.
 *
 * It validates the whole text and keeps only what an event needs: the members
 * of the outermost object, with string values unescaped. Everything else is
 * checked and dropped, so memory stays proportional to the text whatever its
 * shape. The rules and their order are in docs/protocol.md, "Strict JSON".
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-json-strict.h"

#include <stdlib.h>
#include <string.h>

/* Problems found while parsing goes on; the grammar decides first. */
#define FLAG_TOO_DEEP       (1u << 0)
#define FLAG_NUL            (1u << 1)
#define FLAG_SURROGATE      (1u << 2)
#define FLAG_DUPLICATE      (1u << 3)

/* Objects with more members than this are checked for duplicates by sorting
 * their names, not by comparing every pair. */
#define PAIRWISE_MAX 8

typedef struct
{
  const char *name;
  gsize       len;
  guint32     hash;
} Name;

typedef struct
{
  HlJsonStrict  *self;
  const guchar  *start;
  const guchar  *p;
  const guchar  *end;
  char          *out;         /* where the next unescaped string goes in self->strings */
  guint          flags;
  guint          depth;       /* open containers */
  gboolean       root_is_object;
  guint8         kinds[HL_JSON_STRICT_MAX_DEPTH + 1];        /* '{' or '[' */
  guint          names_start[HL_JSON_STRICT_MAX_DEPTH + 1];  /* self->names->len at '{' */
  char          *strings_mark[HL_JSON_STRICT_MAX_DEPTH + 1]; /* out at '{' */
} Parser;

void
hl_json_strict_init (HlJsonStrict *self)
{
  HlJsonStrict empty = HL_JSON_STRICT_INIT;

  *self = empty;
}

void
hl_json_strict_clear (HlJsonStrict *self)
{
  if (self->strings != NULL)
    g_string_free (self->strings, TRUE);
  g_clear_pointer (&self->members, g_array_unref);
  g_clear_pointer (&self->names, g_array_unref);
  g_clear_pointer (&self->stack, g_byte_array_unref);
  hl_json_strict_init (self);
}

gboolean
hl_json_strict_is_utf8 (const char *text,
                        gsize       len)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;

  while (p < end)
    {
      guchar c = *p;
      guchar lo = 0x80, hi = 0xbf;
      guint follow;

      /* ASCII runs, eight bytes at a time. */
      if (c < 0x80)
        {
          while (end - p >= 8)
            {
              guint64 word;

              memcpy (&word, p, 8);
              if (word & G_GUINT64_CONSTANT (0x8080808080808080))
                break;
              p += 8;
            }
          while (p < end && *p < 0x80)
            p++;
          continue;
        }
      /* RFC 3629, section 4: the second byte's range depends on the first. */
      if (c >= 0xc2 && c <= 0xdf)
        follow = 1;
      else if (c >= 0xe0 && c <= 0xef)
        {
          follow = 2;
          if (c == 0xe0)
            lo = 0xa0;
          else if (c == 0xed)
            hi = 0x9f;    /* no surrogates */
        }
      else if (c >= 0xf0 && c <= 0xf4)
        {
          follow = 3;
          if (c == 0xf0)
            lo = 0x90;
          else if (c == 0xf4)
            hi = 0x8f;    /* nothing above U+10FFFF */
        }
      else
        return FALSE;
      if ((gsize) (end - p) <= follow || p[1] < lo || p[1] > hi)
        return FALSE;
      for (guint i = 2; i <= follow; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
          return FALSE;
      p += follow + 1;
    }
  return TRUE;
}

static gboolean
fail (Parser       *ps,
      const guchar *where)
{
  ps->self->problem_offset = (gsize) (where - ps->start);
  return FALSE;
}

static void
skip_space (Parser *ps)
{
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static int
hex4 (const guchar *p)
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

/* Reads the \u escape at @p (after the "\u"), and its low half when it is a
 * high surrogate. Returns the code point and moves *@p past what it read. */
static gunichar
read_unicode_escape (Parser        *ps,
                     const guchar **p,
                     int            unit)
{
  int low;

  if (unit == 0)
    ps->flags |= FLAG_NUL;
  if (unit >= 0xdc00 && unit <= 0xdfff)
    {
      ps->flags |= FLAG_SURROGATE;
      return 0xfffd;
    }
  if (unit < 0xd800 || unit > 0xdbff)
    return (gunichar) unit;
  if (ps->end - *p >= 6 && (*p)[0] == '\\' && (*p)[1] == 'u' &&
      (low = hex4 (*p + 2)) >= 0xdc00 && low <= 0xdfff)
    {
      *p += 6;
      return 0x10000 + (((gunichar) unit - 0xd800) << 10) + ((gunichar) low - 0xdc00);
    }
  /* A lone high half; what follows is read as itself. */
  ps->flags |= FLAG_SURROGATE;
  return 0xfffd;
}

/* Reads a string whose opening quote is just behind ps->p. With @copy the
 * unescaped text goes to self->strings (it always fits: unescaping never
 * lengthens a string, and the quotes leave room for the terminator). */
static gboolean
read_string (Parser      *ps,
             gboolean     copy,
             const char **text,
             gsize       *len)
{
  const guchar *p = ps->p;
  char *w = ps->out;

  for (;;)
    {
      const guchar *run = p;
      gunichar c;
      int unit;

      while (p < ps->end && *p != '"' && *p != '\\' && *p >= 0x20)
        p++;
      if (copy)
        {
          memcpy (w, run, (gsize) (p - run));
          w += p - run;
        }
      if (p >= ps->end || *p < 0x20)
        return fail (ps, p);
      if (*p++ == '"')
        break;
      if (p >= ps->end)
        return fail (ps, p);
      switch (*p++)
        {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
          if (ps->end - p < 4 || (unit = hex4 (p)) < 0)
            return fail (ps, p - 2);
          p += 4;
          c = read_unicode_escape (ps, &p, unit);
          break;
        default:
          return fail (ps, p - 2);
        }
      if (copy)
        w += g_unichar_to_utf8 (c, w);
    }

  if (copy)
    {
      *w = '\0';
      *text = ps->out;
      *len = (gsize) (w - ps->out);
      ps->out = w + 1;
    }
  ps->p = p;
  return TRUE;
}

static gboolean
read_digits (Parser *ps)
{
  if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
    return fail (ps, ps->p);
  while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
    ps->p++;
  return TRUE;
}

/* number = [ minus ] int [ frac ] [ exp ] (RFC 8259, section 6). */
static gboolean
read_number (Parser *ps)
{
  if (*ps->p == '-')
    ps->p++;
  if (ps->p < ps->end && *ps->p == '0')
    ps->p++;
  else if (ps->p >= ps->end || *ps->p < '1' || *ps->p > '9' || !read_digits (ps))
    return fail (ps, ps->p);
  if (ps->p < ps->end && *ps->p == '.')
    {
      ps->p++;
      if (!read_digits (ps))
        return FALSE;
    }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
    {
      ps->p++;
      if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
        ps->p++;
      if (!read_digits (ps))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_literal (Parser     *ps,
              const char *word,
              gsize       len)
{
  if ((gsize) (ps->end - ps->p) < len || memcmp (ps->p, word, len) != 0)
    return fail (ps, ps->p);
  ps->p += len;
  return TRUE;
}

static guint32
hash_name (const char *name,
           gsize       len)
{
  guint32 h = 2166136261u;    /* FNV-1a */

  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) name[i]) * 16777619u;
  return h;
}

static int
compare_names (const void *a,
               const void *b)
{
  const Name *x = a, *y = b;

  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return memcmp (x->name, y->name, x->len);
}

/* Checks the names of the object that is closing: names[start...]. */
static void
check_duplicates (Parser *ps,
                  guint   start)
{
  GArray *names = ps->self->names;
  guint n = names->len - start;
  Name *v;

  if (n < 2)
    return;
  v = &g_array_index (names, Name, start);
  if (n <= PAIRWISE_MAX)
    {
      for (guint i = 1; i < n; i++)
        for (guint j = 0; j < i; j++)
          if (compare_names (&v[i], &v[j]) == 0)
            {
              ps->flags |= FLAG_DUPLICATE;
              return;
            }
      return;
    }
  qsort (v, n, sizeof (Name), compare_names);
  for (guint i = 1; i < n; i++)
    if (compare_names (&v[i], &v[i - 1]) == 0)
      {
        ps->flags |= FLAG_DUPLICATE;
        return;
      }
}

/* Duplicates matter only while nothing that outranks them has been found. */
static gboolean
tracking_names (const Parser *ps)
{
  return ps->flags == 0 && ps->depth <= HL_JSON_STRICT_MAX_DEPTH;
}

static void
push (Parser *ps,
      guint8  kind)
{
  ps->depth++;
  ps->self->max_depth = MAX (ps->self->max_depth, ps->depth);
  if (ps->depth > HL_JSON_STRICT_MAX_DEPTH)
    {
      ps->flags |= FLAG_TOO_DEEP;
      g_byte_array_append (ps->self->stack, &kind, 1);
      return;
    }
  ps->kinds[ps->depth] = kind;
  ps->names_start[ps->depth] = ps->self->names->len;
  ps->strings_mark[ps->depth] = ps->out;
}

static guint8
top (const Parser *ps)
{
  if (ps->depth > HL_JSON_STRICT_MAX_DEPTH)
    return ps->self->stack->data[ps->self->stack->len - 1];
  return ps->kinds[ps->depth];
}

static void
pop (Parser *ps)
{
  if (ps->depth > HL_JSON_STRICT_MAX_DEPTH)
    {
      g_byte_array_set_size (ps->self->stack, ps->self->stack->len - 1);
      ps->depth--;
      return;
    }
  if (ps->kinds[ps->depth] == '{')
    {
      if (tracking_names (ps))
        check_duplicates (ps, ps->names_start[ps->depth]);
      /* The outermost object's strings are the result; inner names are not. */
      if (ps->depth > 1)
        {
          g_array_set_size (ps->self->names, ps->names_start[ps->depth]);
          ps->out = ps->strings_mark[ps->depth];
        }
    }
  ps->depth--;
}

static void
add_member (Parser     *ps,
            const char *name,
            gsize       len)
{
  HlJsonStrictMember m = { name, len, HL_JSON_STRICT_NULL, NULL, 0 };

  g_array_append_val (ps->self->members, m);
}

/* Reads a value at ps->p; @member is the outermost object's member it is
 * the value of, or NULL. Containers are opened, not read: the caller's loop
 * goes on inside them. */
static gboolean
read_value (Parser             *ps,
            HlJsonStrictMember *member,
            gboolean           *opened)
{
  const guchar *at = ps->p;
  HlJsonStrictType type;

  *opened = FALSE;
  if (ps->p >= ps->end)
    return fail (ps, ps->p);
  switch (*ps->p)
    {
    case '{':
    case '[':
      type = *ps->p == '{' ? HL_JSON_STRICT_OBJECT : HL_JSON_STRICT_ARRAY;
      push (ps, *ps->p++);
      *opened = TRUE;
      break;
    case '"':
      ps->p++;
      type = HL_JSON_STRICT_STRING;
      if (!read_string (ps, member != NULL, member ? &member->value : NULL,
                        member ? &member->value_len : NULL))
        return FALSE;
      break;
    case 't':
      type = HL_JSON_STRICT_TRUE;
      if (!read_literal (ps, "true", 4))
        return FALSE;
      break;
    case 'f':
      type = HL_JSON_STRICT_FALSE;
      if (!read_literal (ps, "false", 5))
        return FALSE;
      break;
    case 'n':
      type = HL_JSON_STRICT_NULL;
      if (!read_literal (ps, "null", 4))
        return FALSE;
      break;
    default:
      type = HL_JSON_STRICT_NUMBER;
      if (*ps->p != '-' && !g_ascii_isdigit (*ps->p))
        return fail (ps, ps->p);
      if (!read_number (ps))
        return FALSE;
      if (member != NULL)
        {
          member->value = (const char *) at;
          member->value_len = (gsize) (ps->p - at);
        }
      break;
    }
  if (member != NULL)
    member->type = type;
  return TRUE;
}

static gboolean
read_name (Parser *ps)
{
  gboolean outermost = ps->depth == 1;
  gboolean track = tracking_names (ps);
  const char *name = NULL;
  gsize len = 0;

  if (ps->p >= ps->end || *ps->p != '"')
    return fail (ps, ps->p);
  ps->p++;
  if (!read_string (ps, outermost || track, &name, &len))
    return FALSE;
  if (track)
    {
      Name entry = { name, len, hash_name (name, len) };

      g_array_append_val (ps->self->names, entry);
    }
  if (outermost)
    add_member (ps, name, len);
  skip_space (ps);
  if (ps->p >= ps->end || *ps->p != ':')
    return fail (ps, ps->p);
  ps->p++;
  skip_space (ps);
  return TRUE;
}

/* After a value: a comma and the next member or element, or the end of the
 * container. Sets *@want_name when a member name comes next. */
static gboolean
read_after_value (Parser   *ps,
                  gboolean *want_name)
{
  guint8 kind;

  for (;;)
    {
      skip_space (ps);
      if (ps->depth == 0)
        return ps->p == ps->end || fail (ps, ps->p);
      if (ps->p >= ps->end)
        return fail (ps, ps->p);
      kind = top (ps);
      if (*ps->p == ',')
        {
          ps->p++;
          skip_space (ps);
          *want_name = kind == '{';
          return TRUE;
        }
      if (*ps->p != (kind == '{' ? '}' : ']'))
        return fail (ps, ps->p);
      ps->p++;
      pop (ps);
    }
}

static gboolean
parse (Parser *ps)
{
  gboolean want_name = FALSE;

  skip_space (ps);
  ps->root_is_object = ps->p < ps->end && *ps->p == '{';
  for (;;)
    {
      HlJsonStrictMember *member = NULL;
      gboolean opened;

      if (want_name)
        {
          if (!read_name (ps))
            return FALSE;
          if (ps->depth == 1)
            member = &g_array_index (ps->self->members, HlJsonStrictMember,
                                     ps->self->members->len - 1);
        }
      if (!read_value (ps, member, &opened))
        return FALSE;
      if (opened)
        {
          skip_space (ps);
          if (ps->p < ps->end && *ps->p == (top (ps) == '{' ? '}' : ']'))
            {
              ps->p++;
              pop (ps);
            }
          else
            {
              want_name = top (ps) == '{';
              continue;
            }
        }
      if (ps->depth == 0 && ps->p == ps->end)
        return TRUE;
      if (!read_after_value (ps, &want_name))
        return FALSE;
      if (ps->depth == 0)
        return TRUE;
    }
}

static void
reset (HlJsonStrict *self,
       gsize         len)
{
  if (self->strings == NULL)
    {
      self->strings = g_string_sized_new (len + 1);
      self->members = g_array_new (FALSE, FALSE, sizeof (HlJsonStrictMember));
      self->names = g_array_new (FALSE, FALSE, sizeof (Name));
      self->stack = g_byte_array_new ();
    }
  g_string_set_size (self->strings, len + 1);
  g_array_set_size (self->members, 0);
  g_array_set_size (self->names, 0);
  g_byte_array_set_size (self->stack, 0);
  self->problem_offset = 0;
  self->max_depth = 0;
}

HlJsonStrictProblem
hl_json_strict_read (HlJsonStrict *self,
                     const char   *text,
                     gsize         len)
{
  Parser ps = { 0 };

  reset (self, len);
  if (!hl_json_strict_is_utf8 (text, len))
    return HL_JSON_STRICT_NOT_UTF8;

  ps.self = self;
  ps.start = ps.p = (const guchar *) text;
  ps.end = ps.start + len;
  ps.out = self->strings->str;
  if (!parse (&ps))
    {
      g_array_set_size (self->members, 0);
      return HL_JSON_STRICT_NOT_JSON;
    }
  if (!ps.root_is_object)
    return HL_JSON_STRICT_NOT_OBJECT;
  if (ps.flags & FLAG_TOO_DEEP)
    return HL_JSON_STRICT_TOO_DEEP;
  if (ps.flags & FLAG_NUL)
    return HL_JSON_STRICT_NUL_ESCAPE;
  if (ps.flags & FLAG_SURROGATE)
    return HL_JSON_STRICT_LONE_SURROGATE;
  if (ps.flags & FLAG_DUPLICATE)
    return HL_JSON_STRICT_DUPLICATE_MEMBER;
  return HL_JSON_STRICT_OK;
}

guint
hl_json_strict_n_members (const HlJsonStrict *self)
{
  return self->members != NULL ? self->members->len : 0;
}

const HlJsonStrictMember *
hl_json_strict_member (const HlJsonStrict *self,
                       guint               index)
{
  g_return_val_if_fail (index < hl_json_strict_n_members (self), NULL);
  return &g_array_index (self->members, HlJsonStrictMember, index);
}

const HlJsonStrictMember *
hl_json_strict_lookup (const HlJsonStrict *self,
                       const char         *name)
{
  gsize len = strlen (name);

  for (guint i = 0; i < hl_json_strict_n_members (self); i++)
    {
      const HlJsonStrictMember *m = &g_array_index (self->members, HlJsonStrictMember, i);

      if (m->name_len == len && memcmp (m->name, name, len) == 0)
        return m;
    }
  return NULL;
}

gsize
hl_json_strict_offset (const HlJsonStrict *self)
{
  return self->problem_offset;
}

const char *
hl_json_strict_problem_phrase (HlJsonStrictProblem problem)
{
  switch (problem)
    {
    case HL_JSON_STRICT_OK:
      return "is strict JSON";
    case HL_JSON_STRICT_NOT_UTF8:
      return "is not UTF-8";
    case HL_JSON_STRICT_NOT_JSON:
      return "is not valid JSON (RFC 8259)";
    case HL_JSON_STRICT_NOT_OBJECT:
      return "is not a JSON object";
    case HL_JSON_STRICT_TOO_DEEP:
      return "nests arrays and objects more than " G_STRINGIFY (HL_JSON_STRICT_MAX_DEPTH)
             " deep";
    case HL_JSON_STRICT_NUL_ESCAPE:
      return "holds a \\u0000 escape";
    case HL_JSON_STRICT_LONE_SURROGATE:
      return "holds a \\uD800-\\uDFFF escape that is not half of a surrogate pair";
    case HL_JSON_STRICT_DUPLICATE_MEMBER:
      return "has an object with two members of the same name";
    default:
      g_return_val_if_reached (NULL);
    }
}

guint
hl_json_strict_max_depth (const HlJsonStrict *self)
{
  return self->max_depth;
}

gboolean
hl_json_strict_number_is_integer (const char *number,
                                  gsize       len)
{
  return memchr (number, '.', len) == NULL && memchr (number, 'e', len) == NULL &&
         memchr (number, 'E', len) == NULL;
}

gboolean
hl_json_strict_number_is_uint (const char *number,
                               gsize       len,
                               guint64     max,
                               guint64    *value)
{
  guint64 v = 0;
  gsize i = 0;

  if (!hl_json_strict_number_is_integer (number, len))
    return FALSE;
  if (len > 0 && number[0] == '-')
    {
      /* The grammar allows no leading zeros, so "-0" is the only one. */
      *value = 0;
      return len == 2 && number[1] == '0';
    }
  for (; i < len; i++)
    {
      guint d = (guint) (number[i] - '0');

      if (d > 9 || d > max || v > (max - d) / 10)
        return FALSE;
      v = v * 10 + d;
    }
  *value = v;
  return len > 0;
}
