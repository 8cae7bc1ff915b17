/* hl-vectors-kinds.c: the conformance cases of each kind's row in "Kinds and
 * bodies", of the clock, the signature and the size limits.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-vectors-gen.h"

#include "hl-limits.h"

#define REF_A vec_ref (0)
#define REF_B vec_ref (1)

/* A lowercase key to make moderators of. */
#define KEY64 "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664"

typedef struct
{
  const char *name;
  const char *kind;
  gboolean    with_ref;
  const char *body;
  const char *reason;
  const char *description;
} KindCase;

static const KindCase kind_cases[] = {
  /* subnet.create: ref none; name line 1-64 (required); description text <= 1000 */
  { "subnet.create/minimal", "subnet.create", FALSE, "{\"name\":\"cats\"}", NULL, "a name" },
  { "subnet.create/description", "subnet.create", FALSE,
    "{\"name\":\"cats\",\"description\":\"Line one\\nline two\\ttabbed\\r\"}", NULL,
    "a description may hold tab, CR and LF" },
  { "subnet.create/description-separator", "subnet.create", FALSE,
    "{\"name\":\"cats\",\"description\":\"a\\u2028b\"}", NULL,
    "a text may hold U+2028 LINE SEPARATOR" },
  { "subnet.create/unknown-member", "subnet.create", FALSE,
    "{\"name\":\"cats\",\"colour\":[\"grey\"]}", NULL, "members not in the row are ignored" },
  { "subnet.create/ref", "subnet.create", TRUE, "{\"name\":\"cats\"}", "ref-not-allowed",
    "a ref where the row says none" },
  { "subnet.create/no-name", "subnet.create", FALSE, "{\"description\":\"x\"}", "member-missing",
    "no name" },
  { "subnet.create/name-number", "subnet.create", FALSE, "{\"name\":5}", "member-type",
    "a name that is a number" },
  { "subnet.create/name-null", "subnet.create", FALSE, "{\"name\":null}", "member-type",
    "a name that is null" },
  { "subnet.create/name-array", "subnet.create", FALSE, "{\"name\":[\"a\"]}", "member-type",
    "a name that is an array" },
  { "subnet.create/description-number", "subnet.create", FALSE,
    "{\"name\":\"cats\",\"description\":7}", "member-type", "a description that is a number" },
  { "subnet.create/name-newline", "subnet.create", FALSE, "{\"name\":\"a\\nb\"}",
    "member-control-char", "a line feed in a line" },
  { "subnet.create/name-tab", "subnet.create", FALSE, "{\"name\":\"a\\tb\"}",
    "member-control-char", "a tab in a line" },
  { "subnet.create/name-bell", "subnet.create", FALSE, "{\"name\":\"a\\u0007\"}",
    "member-control-char", "U+0007 in a line" },
  { "subnet.create/name-del", "subnet.create", FALSE, "{\"name\":\"a\\u007f\"}",
    "member-control-char", "U+007F in a line" },
  { "subnet.create/name-c1", "subnet.create", FALSE, "{\"name\":\"a\\u0085\"}",
    "member-control-char", "U+0085 (a C1 control) in a line" },
  { "subnet.create/name-line-separator", "subnet.create", FALSE, "{\"name\":\"a\\u2028b\"}",
    "member-control-char", "U+2028 LINE SEPARATOR in a line" },
  { "subnet.create/description-control", "subnet.create", FALSE,
    "{\"name\":\"cats\",\"description\":\"a\\u0001\"}", "member-control-char",
    "U+0001 in a text" },
  { "subnet.create/name-empty", "subnet.create", FALSE, "{\"name\":\"\"}", "member-blank",
    "an empty name" },
  { "subnet.create/name-spaces", "subnet.create", FALSE, "{\"name\":\"   \"}", "member-blank",
    "a name of spaces" },
  { "subnet.create/name-ideographic-space", "subnet.create", FALSE,
    "{\"name\":\"\\u3000\"}", "member-blank", "a name of U+3000 IDEOGRAPHIC SPACE" },
  { "subnet.create/name-no-break-space", "subnet.create", FALSE, "{\"name\":\"\\u00a0\"}",
    "member-blank", "a name of U+00A0 NO-BREAK SPACE" },
  { "subnet.create/name-zero-width-space", "subnet.create", FALSE,
    "{\"name\":\"\\u200b\\u200d\"}", "member-blank", "a name of U+200B and U+200D" },
  { "subnet.create/name-bom", "subnet.create", FALSE, "{\"name\":\"\\ufeff\"}", "member-blank",
    "a name of U+FEFF" },
  { "subnet.create/name-hangul-filler", "subnet.create", FALSE, "{\"name\":\"\\u3164\"}",
    "member-blank", "a name of U+3164 HANGUL FILLER" },
  { "subnet.create/name-tag", "subnet.create", FALSE, "{\"name\":\"\\udb40\\udc41\"}",
    "member-blank", "a name of U+E0041 TAG LATIN CAPITAL LETTER A" },
  { "subnet.create/name-braille-blank", "subnet.create", FALSE, "{\"name\":\"\\u2800\"}", NULL,
    "U+2800 BRAILLE PATTERN BLANK is not in the blank list: it counts as visible" },
  { "subnet.create/name-space-and-letter", "subnet.create", FALSE,
    "{\"name\":\"\\u3000x\\u3000\"}", NULL, "blank around a letter" },

  /* subnet.update: ref the subnet; name; description (at least one) */
  { "subnet.update/name", "subnet.update", TRUE, "{\"name\":\"dogs\"}", NULL, "a new name" },
  { "subnet.update/empty-description", "subnet.update", TRUE, "{\"description\":\"\"}", NULL,
    "an empty description counts as a change" },
  { "subnet.update/no-ref", "subnet.update", FALSE, "{\"name\":\"dogs\"}", "ref-missing",
    "no ref" },
  { "subnet.update/nothing", "subnet.update", TRUE, "{}", "body-changes-nothing",
    "neither name nor description" },
  { "subnet.update/only-unknown", "subnet.update", TRUE, "{\"other\":1}",
    "body-changes-nothing", "only members not in the row" },
  { "subnet.update/name-blank", "subnet.update", TRUE, "{\"name\":\" \"}", "member-blank",
    "a blank name" },

  /* thread.create: ref the subnet; title line 1-200 (required); body text <= 20000 (required) */
  { "thread.create/minimal", "thread.create", TRUE, "{\"title\":\"t\",\"body\":\"\"}", NULL,
    "a title and an empty body" },
  { "thread.create/blank-body", "thread.create", TRUE, "{\"title\":\"t\",\"body\":\" \\n\"}",
    NULL, "a body may be blank (its minimum is 0)" },
  { "thread.create/no-ref", "thread.create", FALSE, "{\"title\":\"t\",\"body\":\"\"}",
    "ref-missing", "no ref" },
  { "thread.create/no-title", "thread.create", TRUE, "{\"body\":\"b\"}", "member-missing",
    "no title" },
  { "thread.create/no-body", "thread.create", TRUE, "{\"title\":\"t\"}", "member-missing",
    "no body" },
  { "thread.create/title-newline", "thread.create", TRUE,
    "{\"title\":\"a\\nb\",\"body\":\"\"}", "member-control-char", "a line feed in the title" },
  { "thread.create/body-number", "thread.create", TRUE, "{\"title\":\"t\",\"body\":1}",
    "member-type", "a body that is a number" },
  { "thread.create/title-tab", "thread.create", TRUE, "{\"title\":\"\\t\",\"body\":\"\"}",
    "member-control-char", "a title of a tab: a tab is a control character in a line" },
  { "thread.create/first/ref-before-members", "thread.create", FALSE, "{}", "ref-missing",
    "no ref and no members: the ref" },
  { "thread.create/first/title-before-body", "thread.create", TRUE, "{\"title\":1,\"body\":2}",
    "member-type", "both of the wrong type: the title, first in the row" },

  /* reply.create: ref the thread; body text 1-20000 (required); parent 64 hex */
  { "reply.create/minimal", "reply.create", TRUE, "{\"body\":\"b\"}", NULL, "a body" },
  { "reply.create/parent", "reply.create", TRUE, "{\"body\":\"b\",\"parent\":\"" KEY64 "\"}",
    NULL, "a parent" },
  { "reply.create/parent-uppercase", "reply.create", TRUE,
    "{\"body\":\"b\",\"parent\":\"79B5562E8FE654F94078B112E8A98BA7901F853AE695BED7E0E3910BAD049664\"}",
    "member-bad-hex", "a parent in capital hex" },
  { "reply.create/parent-63", "reply.create", TRUE,
    "{\"body\":\"b\",\"parent\":\"9b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664\"}",
    "member-bad-hex", "a parent of 63 hex digits" },
  { "reply.create/parent-number", "reply.create", TRUE, "{\"body\":\"b\",\"parent\":5}",
    "member-type", "a parent that is a number" },
  { "reply.create/no-ref", "reply.create", FALSE, "{\"body\":\"b\"}", "ref-missing", "no ref" },
  { "reply.create/empty", "reply.create", TRUE, "{\"body\":\"\"}", "member-blank",
    "an empty body (its minimum is 1)" },
  { "reply.create/blank", "reply.create", TRUE, "{\"body\":\"\\n \\t\\r\\u3000\"}",
    "member-blank", "a body of white space" },
  { "reply.create/no-body", "reply.create", TRUE, "{\"parent\":\"" KEY64 "\"}",
    "member-missing", "no body" },

  /* edit: ref the thread or reply; title (threads only); body (at least one) */
  { "edit/title", "edit", TRUE, "{\"title\":\"new\"}", NULL, "a new title" },
  { "edit/empty-body", "edit", TRUE, "{\"body\":\"\"}", NULL, "an empty body" },
  { "edit/no-ref", "edit", FALSE, "{\"body\":\"x\"}", "ref-missing", "no ref" },
  { "edit/nothing", "edit", TRUE, "{}", "body-changes-nothing", "neither title nor body" },
  { "edit/title-blank", "edit", TRUE, "{\"title\":\"\\u2003\"}", "member-blank",
    "a title of U+2003 EM SPACE" },

  /* delete: ref the subnet, thread or reply; no members */
  { "delete/minimal", "delete", TRUE, "{}", NULL, "an empty body" },
  { "delete/unknown-member", "delete", TRUE, "{\"why\":\"spam\"}", NULL,
    "members not in the row are ignored" },
  { "delete/no-ref", "delete", FALSE, "{}", "ref-missing", "no ref" },
  { "delete/not-object", "delete", TRUE, "[]", "body-not-object", "a body that is no object" },

  /* hide: ref the thread or reply; hidden boolean (required); reason text <= 200 */
  { "hide/true", "hide", TRUE, "{\"hidden\":true}", NULL, "hidden true" },
  { "hide/false-reason", "hide", TRUE, "{\"hidden\":false,\"reason\":\"spam\"}", NULL,
    "hidden false with a reason" },
  { "hide/no-hidden", "hide", TRUE, "{\"reason\":\"spam\"}", "member-missing", "no hidden" },
  { "hide/hidden-string", "hide", TRUE, "{\"hidden\":\"true\"}", "member-type",
    "hidden as a string" },
  { "hide/hidden-number", "hide", TRUE, "{\"hidden\":1}", "member-type", "hidden as 1" },
  { "hide/hidden-null", "hide", TRUE, "{\"hidden\":null}", "member-type", "hidden null" },
  { "hide/no-ref", "hide", FALSE, "{\"hidden\":true}", "ref-missing", "no ref" },

  /* profile: ref none; name line 1-64 (required); bio text <= 1000 */
  { "profile/minimal", "profile", FALSE, "{\"name\":\"Alice\"}", NULL, "a name" },
  { "profile/bio", "profile", FALSE, "{\"name\":\"Alice\",\"bio\":\"Cats.\\nDogs.\"}", NULL,
    "a name and a bio" },
  { "profile/ref", "profile", TRUE, "{\"name\":\"Alice\"}", "ref-not-allowed",
    "a ref where the row says none" },
  { "profile/no-name", "profile", FALSE, "{\"bio\":\"b\"}", "member-missing", "no name" },
  { "profile/name-blank", "profile", FALSE, "{\"name\":\"\\u00ad\"}", "member-blank",
    "a name of U+00AD SOFT HYPHEN" },

  /* moderator.add / moderator.remove: ref the subnet; key 64 lowercase hex (required) */
  { "moderator.add/minimal", "moderator.add", TRUE, "{\"key\":\"" KEY64 "\"}", NULL, "a key" },
  { "moderator.add/uppercase", "moderator.add", TRUE,
    "{\"key\":\"79B5562E8FE654F94078B112E8A98BA7901F853AE695BED7E0E3910BAD049664\"}",
    "member-bad-hex", "a key in capital hex" },
  { "moderator.add/mixed-case", "moderator.add", TRUE,
    "{\"key\":\"79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad04966A\"}",
    "member-bad-hex", "a key with one capital" },
  { "moderator.add/key-65", "moderator.add", TRUE, "{\"key\":\"" KEY64 "0\"}",
    "member-bad-hex", "a key of 65 hex digits" },
  { "moderator.add/key-not-hex", "moderator.add", TRUE,
    "{\"key\":\"79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad04966g\"}",
    "member-bad-hex", "a key with a g" },
  { "moderator.add/key-number", "moderator.add", TRUE, "{\"key\":5}", "member-type",
    "a key that is a number" },
  { "moderator.add/no-key", "moderator.add", TRUE, "{}", "member-missing", "no key" },
  { "moderator.add/no-ref", "moderator.add", FALSE, "{\"key\":\"" KEY64 "\"}", "ref-missing",
    "no ref" },
  { "moderator.remove/minimal", "moderator.remove", TRUE, "{\"key\":\"" KEY64 "\"}", NULL,
    "a key" },
  { "moderator.remove/uppercase", "moderator.remove", TRUE,
    "{\"key\":\"79B5562E8FE654F94078B112E8A98BA7901F853AE695BED7E0E3910BAD049664\"}",
    "member-bad-hex", "a key in capital hex" },
  { "moderator.remove/no-ref", "moderator.remove", FALSE, "{\"key\":\"" KEY64 "\"}",
    "ref-missing", "no ref" },

  /* Unknown kinds: only the rules every event follows. */
  { "unknown/with-ref", "poll.create", TRUE, "{\"question\":\"?\"}", NULL,
    "an unknown kind with a ref" },
  { "unknown/without-ref", "poll.create", FALSE, "{\"options\":[1,{\"a\":null}]}", NULL,
    "an unknown kind without a ref" },
  { "unknown/one-letter", "a", FALSE, "{}", NULL, "a kind of one letter" },
  { "unknown/all-characters", "a-b_c.d9", FALSE, "{}", NULL, "every character a kind may have" },
  { "unknown/32-characters", "abcdefghijklmnopqrstuvwxyz.0123-", FALSE, "{}", NULL,
    "a kind of 32 characters" },
  { "unknown/not-object", "poll.create", FALSE, "[1]", "body-not-object",
    "the body of an unknown kind must be an object too" },
  { "unknown/duplicate", "poll.create", FALSE, "{\"a\":1,\"a\":1}", "body-duplicate-member",
    "the body of an unknown kind follows the strict rules" },
};

static void
kinds_table (VecGen *gen)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_cases); i++)
    {
      const KindCase *c = &kind_cases[i];
      g_autofree char *name = g_strdup_printf ("kind/%s", c->name);

      vec_body (gen, name, c->description, c->kind, c->with_ref ? REF_A : NULL, c->body,
                c->reason);
    }
}

static char *
repeat (const char *unit,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

/* A body with member @member holding @n times @unit (and @prefix before). */
static void
length_case (VecGen       *gen,
             const char   *name,
             const char   *description,
             const char   *kind,
             const guint8 *ref,
             const char   *format,
             const char   *unit,
             guint         n,
             const char   *reason)
{
  g_autofree char *text = repeat (unit, n);
  GString *body = g_string_new (format);

  /* @format holds %s where the text goes; it is not a printf format. */
  g_string_replace (body, "%s", text, 1);
  vec_body (gen, name, description, kind, ref, body->str, reason);
  g_string_free (body, TRUE);
}

static void
kinds_lengths (VecGen *gen)
{
  static const struct
  {
    const char *name;
    const char *kind;
    gboolean    with_ref;
    const char *format;
    guint       limit;
  } limits[] = {
    { "subnet-name", "subnet.create", FALSE, "{\"name\":\"%s\"}", HL_MAX_NAME_CHARS },
    { "description", "subnet.create", FALSE, "{\"name\":\"n\",\"description\":\"%s\"}",
      HL_MAX_DESCRIPTION_CHARS },
    { "title", "thread.create", TRUE, "{\"title\":\"%s\",\"body\":\"\"}", HL_MAX_TITLE_CHARS },
    { "thread-body", "thread.create", TRUE, "{\"title\":\"t\",\"body\":\"%s\"}",
      HL_MAX_POST_CHARS },
    { "reply-body", "reply.create", TRUE, "{\"body\":\"%s\"}", HL_MAX_POST_CHARS },
    { "edit-title", "edit", TRUE, "{\"title\":\"%s\"}", HL_MAX_TITLE_CHARS },
    { "edit-body", "edit", TRUE, "{\"body\":\"%s\"}", HL_MAX_POST_CHARS },
    { "hide-reason", "hide", TRUE, "{\"hidden\":true,\"reason\":\"%s\"}", HL_MAX_REASON_CHARS },
    { "profile-name", "profile", FALSE, "{\"name\":\"%s\"}", HL_MAX_NAME_CHARS },
    { "bio", "profile", FALSE, "{\"name\":\"n\",\"bio\":\"%s\"}", HL_MAX_DESCRIPTION_CHARS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      const guint8 *ref = limits[i].with_ref ? REF_A : NULL;
      g_autofree char *at = g_strdup_printf ("limit/%s-%u", limits[i].name, limits[i].limit);
      g_autofree char *past = g_strdup_printf ("limit/%s-%u", limits[i].name,
                                               limits[i].limit + 1);
      g_autofree char *at_what = g_strdup_printf ("%u characters, the limit", limits[i].limit);
      g_autofree char *past_what = g_strdup_printf ("%u characters, one past the limit",
                                                    limits[i].limit + 1);

      length_case (gen, at, at_what, limits[i].kind, ref, limits[i].format, "x",
                   limits[i].limit, NULL);
      length_case (gen, past, past_what, limits[i].kind, ref, limits[i].format, "x",
                   limits[i].limit + 1, "member-too-long");
    }

  /* Lengths are code points after unescaping, not bytes or UTF-16 units. */
  length_case (gen, "limit/name-64-two-byte", "64 × é (128 bytes) is 64 characters",
               "subnet.create", NULL, "{\"name\":\"%s\"}", "\xc3\xa9", 64, NULL);
  length_case (gen, "limit/name-64-escaped", "64 × \\u00e9 is 64 characters", "subnet.create",
               NULL, "{\"name\":\"%s\"}", "\\u00e9", 64, NULL);
  length_case (gen, "limit/title-200-astral", "200 × U+1F600 (800 bytes) is 200 characters",
               "thread.create", REF_A, "{\"title\":\"%s\",\"body\":\"\"}", "\xf0\x9f\x98\x80",
               200, NULL);
  length_case (gen, "limit/title-201-astral", "201 × U+1F600 is one past the limit",
               "thread.create", REF_A, "{\"title\":\"%s\",\"body\":\"\"}", "\\ud83d\\ude00", 201,
               "member-too-long");
  length_case (gen, "limit/first/control-before-length",
               "a 300-character title with a line feed: the control character",
               "thread.create", REF_A, "{\"title\":\"\\n%s\",\"body\":\"\"}", "x", 300,
               "member-control-char");
  length_case (gen, "limit/first/length-before-blank", "a title of 201 spaces: the length",
               "thread.create", REF_A, "{\"title\":\"%s\",\"body\":\"\"}", " ", 201,
               "member-too-long");
}

void
vec_cases_kinds (VecGen *gen)
{
  kinds_table (gen);
  kinds_lengths (gen);
}

static void
clock_cases (VecGen *gen)
{
  g_autoptr(HlEvent) at = vec_event (gen, "note.create", VEC_NOW_MS + VEC_MAX_FUTURE_MS, 0, NULL,
                                     "{}");
  g_autoptr(HlEvent) past = vec_event (gen, "note.create", VEC_NOW_MS + VEC_MAX_FUTURE_MS + 1, 0,
                                       NULL, "{}");
  g_autoptr(HlEvent) max = vec_event (gen, "note.create", HL_MAX_TIMESTAMP_MS, 0, NULL, "{}");
  g_autoptr(HlEvent) beyond = vec_event (gen, "note.create", HL_MAX_TIMESTAMP_MS + 1, 0, NULL,
                                         "{}");
  g_autoptr(HlEvent) zero = vec_event (gen, "note.create", 0, 0, NULL, "{}");
  g_autoptr(HlEvent) ctr = vec_event (gen, "note.create", VEC_TS, G_MAXUINT32, NULL, "{}");
  g_autoptr(HlEvent) early_bad = vec_event (gen, HL_KIND_THREAD_CREATE,
                                            VEC_NOW_MS + VEC_MAX_FUTURE_MS + 1, 0, NULL, "[]");

  vec_both (gen, "clock/at-limit", "ts exactly max_future_ms ahead of the receiver", at, NULL);
  vec_both (gen, "clock/past-limit", "ts one millisecond further", past, "ts-future");
  vec_both (gen, "clock/max-ts", "ts of 2^53-1: in range, far in the future", max, "ts-future");
  vec_both (gen, "clock/ts-2^53", "ts of 2^53: out of range", beyond, "field-out-of-range");
  vec_both (gen, "clock/ts-0", "ts of 0", zero, NULL);
  vec_both (gen, "clock/ctr-max", "ctr of 2^32-1", ctr, NULL);
  vec_both (gen, "clock/first/clock-before-body", "too early and a bad body: the clock",
            early_bad, "ts-future");
}

static void
signed_with (VecGen     *gen,
             HlEvent    *event,
             HlIdentity *key,
             gboolean    with_context)
{
  guint8 msg[18 + HL_ID_LEN];

  memcpy (msg, "hyperlink-event-v1", 18);
  memcpy (msg + 18, event->id, HL_ID_LEN);
  if (with_context)
    hl_identity_sign (key, msg, sizeof msg, event->sig);
  else
    hl_identity_sign (key, event->id, HL_ID_LEN, event->sig);
}

static void
signature_cases (VecGen *gen)
{
  g_autoptr(HlEvent) flipped = vec_event (gen, "note.create", VEC_TS, 1, NULL, "{}");
  g_autoptr(HlEvent) other = vec_event (gen, "note.create", VEC_TS, 2, NULL, "{}");
  g_autoptr(HlEvent) bare = vec_event (gen, "note.create", VEC_TS, 3, NULL, "{}");
  g_autoptr(HlEvent) zero = vec_event (gen, "note.create", VEC_TS, 4, NULL, "{}");
  g_autoptr(HlEvent) swapped = vec_event (gen, "note.create", VEC_TS, 5, NULL, "{}");
  g_autoptr(HlEvent) donor = vec_event (gen, "note.create", VEC_TS, 6, NULL, "{}");
  g_autoptr(HlEvent) bad_schema = vec_event (gen, HL_KIND_HIDE, VEC_TS, 0, REF_A,
                                             "{\"hidden\":1}");

  flipped->sig[10] ^= 0x01;
  vec_both (gen, "sig/one-bit-flipped", "one bit of the signature flipped", flipped,
            "sig-invalid");
  signed_with (gen, other, vec_other_key (gen), TRUE);
  vec_both (gen, "sig/other-key", "a signature by another key over the same message", other,
            "sig-invalid");
  signed_with (gen, bare, vec_key (gen), FALSE);
  vec_both (gen, "sig/no-context", "the id signed without the \"hyperlink-event-v1\" prefix",
            bare, "sig-invalid");
  memset (zero->sig, 0, HL_SIG_LEN);
  vec_both (gen, "sig/zero", "a signature of zero bytes", zero, "sig-invalid");
  memcpy (swapped->sig, donor->sig, HL_SIG_LEN);
  vec_both (gen, "sig/other-events", "the signature of another event", swapped, "sig-invalid");
  bad_schema->sig[0] ^= 0x80;
  vec_both (gen, "sig/first/schema-before-signature", "a schema error and a bad signature: the "
            "schema", bad_schema, "member-type");
}

static void
size_cases (VecGen *gen)
{
  /* poll.create, no ref: 55 + 11 bytes around the body. */
  gsize fixed = 4 + 1 + 1 + 11 + 32 + 8 + 4 + 1 + 4;
  gsize overhead = strlen ("{\"x\":\"\"}");
  static const struct
  {
    const char *name;
    gsize       body_bytes;
    const char *reason;
    const char *description;
  } sizes[] = {
    { "limit/body-60000", HL_MAX_BODY_BYTES, NULL, "a body of 60000 bytes, the limit" },
    { "limit/body-60001", HL_MAX_BODY_BYTES + 1, "body-too-large", "a body of 60001 bytes" },
    { "limit/canonical-65536", 0, "body-too-large",
      "65536 canonical bytes: only a body over its own limit gets there" },
    { "limit/canonical-65537", 1, "event-too-large", "65537 canonical bytes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gsize body_bytes = sizes[i].body_bytes;
      g_autofree char *fill = NULL;
      g_autofree char *body = NULL;
      g_autoptr(HlEvent) event = NULL;

      if (body_bytes <= 1)
        body_bytes = HL_MAX_EVENT_BYTES + body_bytes - fixed;
      fill = g_strnfill (body_bytes - overhead, 'y');
      body = g_strdup_printf ("{\"x\":\"%s\"}", fill);
      event = vec_event (gen, "poll.create", VEC_TS, 0, NULL, body);
      vec_both (gen, sizes[i].name, sizes[i].description, event, sizes[i].reason);
    }
}

static void
line_length_cases (VecGen *gen)
{
  g_autoptr(HlEvent) event = vec_event (gen, "note.create", VEC_TS, 0, NULL, "{}");
  g_autofree char *line = vec_line (event);
  g_autofree char *padding = g_strnfill (HL_MAX_EVENT_LINE_BYTES - strlen (line), ' ');
  g_autofree char *at = g_strconcat (line, padding, NULL);
  g_autofree char *past = g_strconcat (line, padding, " ", NULL);

  vec_json (gen, "limit/line-393216", "a line of 393216 bytes (the event and white space)", at,
            -1, event, NULL);
  vec_json (gen, "limit/line-393217", "a line of 393217 bytes", past, -1, NULL, "line-too-long");
}

void
vec_cases_limits (VecGen *gen)
{
  clock_cases (gen);
  signature_cases (gen);
  size_cases (gen);
  line_length_cases (gen);
}
