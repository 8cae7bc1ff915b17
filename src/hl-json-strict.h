/* hl-json-strict.h: the strict JSON reader for event bodies and event lines.
 *
 * The rules are those of docs/protocol.md, "Strict JSON": RFC 8259 JSON text
 * holding one object, and nothing RFC 8259 leaves to the reader (duplicate
 * member names, U+0000, unpaired surrogates, unbounded nesting). Everything an
 * event carries as JSON goes through this reader, so that every path into the
 * store accepts exactly the same texts. It uses GLib only, not json-glib.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deepest nesting accepted: the outermost object counts 1, each array or
 * object inside it one more. */
#define HL_JSON_STRICT_MAX_DEPTH 32

/* What is wrong with a text, in the order of precedence: when a text breaks
 * several rules, the first of this list that applies is reported. */
typedef enum
{
  HL_JSON_STRICT_OK,
  HL_JSON_STRICT_NOT_UTF8,          /* not UTF-8 (RFC 3629) */
  HL_JSON_STRICT_NOT_JSON,          /* not a JSON text (RFC 8259 grammar) */
  HL_JSON_STRICT_NOT_OBJECT,        /* a JSON text, but not an object */
  HL_JSON_STRICT_TOO_DEEP,          /* nested deeper than HL_JSON_STRICT_MAX_DEPTH */
  HL_JSON_STRICT_NUL_ESCAPE,        /* a \u0000 escape, in a name or a value */
  HL_JSON_STRICT_LONE_SURROGATE,    /* a \uD800-\uDFFF escape that is not half of a pair */
  HL_JSON_STRICT_DUPLICATE_MEMBER,  /* two members of one object with the same name */
} HlJsonStrictProblem;

typedef enum
{
  HL_JSON_STRICT_STRING,
  HL_JSON_STRICT_NUMBER,
  HL_JSON_STRICT_TRUE,
  HL_JSON_STRICT_FALSE,
  HL_JSON_STRICT_NULL,
  HL_JSON_STRICT_ARRAY,
  HL_JSON_STRICT_OBJECT,
} HlJsonStrictType;

/* A member of the outermost object. */
typedef struct
{
  const char        *name;       /* unescaped, NUL-terminated */
  gsize              name_len;
  HlJsonStrictType   type;
  const char        *value;      /* strings: unescaped, NUL-terminated; numbers: the text
                                  * as written (not terminated); otherwise NULL */
  gsize              value_len;
} HlJsonStrictMember;

/* A reader; it keeps its buffers from one text to the next. Initialise with
 * HL_JSON_STRICT_INIT or hl_json_strict_init(); one thread at a time. */
typedef struct
{
  GString            *strings;    /* unescaped names and string values */
  GArray             *members;    /* HlJsonStrictMember of the outermost object */
  GArray             *names;      /* scratch: names of the objects being read */
  GByteArray         *stack;      /* scratch: containers beyond the inline ones */
  gsize               problem_offset;
  guint               max_depth;
} HlJsonStrict;

#define HL_JSON_STRICT_INIT { NULL, NULL, NULL, NULL, 0, 0 }

void                hl_json_strict_init        (HlJsonStrict       *self);
void                hl_json_strict_clear       (HlJsonStrict       *self);

/* Reads @len bytes of @text (which may hold NUL bytes) under the strict rules.
 * Returns HL_JSON_STRICT_OK, or the first problem in the order of
 * HlJsonStrictProblem. The members of the outermost object are then
 * available until the next read, even when the problem is one found after
 * parsing (TOO_DEEP and below); after NOT_JSON they are not. */
HlJsonStrictProblem hl_json_strict_read        (HlJsonStrict       *self,
                                                const char         *text,
                                                gsize               len);

guint               hl_json_strict_n_members   (const HlJsonStrict *self);
const HlJsonStrictMember *
                    hl_json_strict_member      (const HlJsonStrict *self,
                                                guint               index);
/* The member named @name (compared after unescaping), or NULL. */
const HlJsonStrictMember *
                    hl_json_strict_lookup      (const HlJsonStrict *self,
                                                const char         *name);

/* Byte offset in the text of the problem hl_json_strict_read() reported
 * (for NOT_JSON: where the grammar broke). */
gsize               hl_json_strict_offset      (const HlJsonStrict *self);
/* What @problem means, as the end of a sentence about the text ("is not
 * UTF-8"). */
const char         *hl_json_strict_problem_phrase (HlJsonStrictProblem problem);

/* Greatest nesting depth of the text last read (the outermost value is 1). */
guint               hl_json_strict_max_depth   (const HlJsonStrict *self);

/* Whether @len bytes at @text are UTF-8 as RFC 3629 defines it (NUL bytes
 * included, no overlong forms, no surrogates, nothing above U+10FFFF). */
gboolean            hl_json_strict_is_utf8     (const char         *text,
                                                gsize               len);

/* Whether a number as written (RFC 8259 grammar) is an integer without
 * fraction or exponent whose value lies in 0 … @max; "-0" is 0. */
gboolean            hl_json_strict_number_is_uint (const char      *number,
                                                   gsize            len,
                                                   guint64          max,
                                                   guint64         *value);
gboolean            hl_json_strict_number_is_integer (const char   *number,
                                                      gsize         len);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HlJsonStrict, hl_json_strict_clear)

G_END_DECLS
