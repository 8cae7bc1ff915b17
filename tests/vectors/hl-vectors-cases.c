/* hl-vectors-cases.c: the conformance cases, one rule of docs/protocol.md at a
 * time. Each expectation is the rule's, written by hand.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-vectors-gen.h"

#define REF_A vec_ref (0)
#define REF_B vec_ref (1)

/* The JSON form of the protocol's test vector, with placeholders. */
#define STD "{\"v\":1,\"id\":\"@ID@\",\"kind\":\"@KIND@\",\"author\":\"@AUTHOR@\",\"ts\":@TS@," \
            "\"ctr\":@CTR@,\"ref\":\"@REF@\",\"body\":@BODY@,\"sig\":\"@SIG@\"}"

static HlEvent *
kat_event (VecGen *gen)
{
  return vec_event (gen, HL_KIND_THREAD_CREATE, VEC_NOW_MS, 7, REF_A,
                    "{\"title\":\"Hello\",\"body\":\"World\"}");
}

/* @template with the fields of @event in place of @ID@, @KIND@... */
static char *
fill (const char    *template,
      const HlEvent *event)
{
  g_autofree char *id = hl_hex_dup (event->id, HL_ID_LEN);
  g_autofree char *author = hl_hex_dup (event->author, HL_KEY_LEN);
  g_autofree char *sig = hl_hex_dup (event->sig, HL_SIG_LEN);
  g_autofree char *ref = hl_hex_dup (event->ref, HL_ID_LEN);
  g_autofree char *body = vec_quote (event->body, event->body_len);
  g_autofree char *ts = g_strdup_printf ("%" G_GUINT64_FORMAT, event->ts.ms);
  g_autofree char *ctr = g_strdup_printf ("%u", event->ts.ctr);
  GString *s = g_string_new (template);

  g_string_replace (s, "@ID@", id, 0);
  g_string_replace (s, "@KIND@", event->kind, 0);
  g_string_replace (s, "@AUTHOR@", author, 0);
  g_string_replace (s, "@SIG@", sig, 0);
  g_string_replace (s, "@REF@", ref, 0);
  g_string_replace (s, "@BODY@", body, 0);
  g_string_replace (s, "@TS@", ts, 0);
  g_string_replace (s, "@CTR@", ctr, 0);
  return g_string_free (s, FALSE);
}

/* The test vector's line with @from replaced by @to. */
static void
kat_line2 (VecGen     *gen,
           const char *name,
           const char *description,
           const char *from,
           const char *to,
           const char *from2,
           const char *to2,
           const char *reason)
{
  g_autoptr(HlEvent) kat = kat_event (gen);
  g_autofree char *line = fill (STD, kat);
  g_autofree char *changed = vec_replace (line, from, to);
  g_autofree char *changed2 = from2 ? vec_replace (changed, from2, to2) : g_strdup (changed);

  vec_json (gen, name, description, changed2, -1, reason == NULL ? kat : NULL, reason);
}

/* The test vector's line with @from replaced by @to: accepted as the test
 * vector when @reason is NULL. */
static void
kat_line (VecGen     *gen,
          const char *name,
          const char *description,
          const char *from,
          const char *to,
          const char *reason)
{
  kat_line2 (gen, name, description, from, to, NULL, NULL, reason);
}

/* The test vector's line with an unknown member @member ("name":value)
 * added in front. */
static void
kat_extra (VecGen     *gen,
           const char *name,
           const char *description,
           const char *member,
           const char *reason)
{
  g_autofree char *to = g_strconcat ("{", member, ",\"v\":1", NULL);

  kat_line (gen, name, description, "{\"v\":1", to, reason);
}

static char *
nested (guint       levels,
        const char *inner)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append_c (s, '[');
  g_string_append (s, inner);
  for (guint i = 0; i < levels; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static void
envelope_accepted (VecGen *gen)
{
  g_autoptr(HlEvent) kat = kat_event (gen);
  g_autoptr(HlEvent) subnet = vec_event (gen, HL_KIND_SUBNET_CREATE, VEC_TS, 0, NULL,
                                         "{\"name\":\"cats\"}");
  g_autofree char *line = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *deep = nested (31, "1");
  g_autofree char *deep_member = g_strdup_printf ("\"x\":%s", deep);

  vec_both (gen, "accept/test-vector", "the test vector of docs/protocol.md", kat, NULL);

  line = fill (" {\t\"sig\" : \"@SIG@\" , \"body\":@BODY@, \"ref\":\"@REF@\", \"ctr\":7,"
               " \"ts\":1700000000000, \"author\":\"@AUTHOR@\", \"kind\":\"thread.create\","
               " \"id\":\"@ID@\", \"v\":1 }\r\n", kat);
  vec_json (gen, "envelope/reordered-and-spaced",
            "members in another order, JSON white space around and between them, CR LF at "
            "the end", line, -1, kat, NULL);
  g_clear_pointer (&line, g_free);

  kat_extra (gen, "envelope/unknown-members",
             "unknown members of every type are ignored",
             "\"x\":null,\"y\":[1,{\"z\":2.5e3}],\"w\":{\"a\":true},\"n\":-12.5e-3,\"s\":\"\"",
             NULL);
  kat_extra (gen, "envelope/depth-32", "an unknown member nested to depth 32 in all",
             deep_member, NULL);

  changed = fill (STD, kat);
  {
    g_autofree char *id = hl_hex_dup (kat->id, HL_ID_LEN);
    g_autofree char *author = hl_hex_dup (kat->author, HL_KEY_LEN);
    g_autofree char *sig = hl_hex_dup (kat->sig, HL_SIG_LEN);
    g_autofree char *ref = hl_hex_dup (kat->ref, HL_ID_LEN);
    g_autofree char *uid = g_ascii_strup (id, -1);
    g_autofree char *uauthor = g_ascii_strup (author, -1);
    g_autofree char *usig = g_ascii_strup (sig, -1);
    g_autofree char *uref = g_ascii_strup (ref, -1);
    GString *s = g_string_new (changed);

    g_string_replace (s, id, uid, 1);
    g_string_replace (s, author, uauthor, 1);
    g_string_replace (s, sig, usig, 1);
    g_string_replace (s, ref, uref, 1);
    vec_json (gen, "envelope/uppercase-hex",
              "hex fields of the JSON form may be written in either case", s->str, -1, kat,
              NULL);
    g_string_free (s, TRUE);
  }

  kat_line (gen, "envelope/escaped-member-names",
            "member names are compared after unescaping: \\u0076 is v", "{\"v\":1",
            "{\"\\u0076\":1", NULL);
  kat_line (gen, "envelope/escaped-kind", "string values are unescaped: thread\\u002ecreate",
            "\"thread.create\"", "\"thread\\u002ecreate\"", NULL);
  kat_line (gen, "envelope/body-escaped-differently",
            "the body text is the string's value: \\u007b spells the same body, same id",
            "\"body\":\"{", "\"body\":\"\\u007b", NULL);

  g_clear_pointer (&line, g_free);
  line = vec_line (subnet);
  g_clear_pointer (&changed, g_free);
  changed = vec_replace (line, "\"body\"", "\"ref\":null,\"body\"");
  vec_json (gen, "envelope/ref-null", "a ref of null is no ref", changed, -1, subnet, NULL);
  g_clear_pointer (&changed, g_free);
  changed = vec_replace (line, "\"ctr\":0", "\"ctr\":-0");
  vec_json (gen, "envelope/negative-zero",
            "an integer field written -0 is 0 (no fraction, no exponent, value in range)",
            changed, -1, subnet, NULL);
}

static void
envelope_line (VecGen *gen)
{
  g_autoptr(HlEvent) kat = kat_event (gen);
  g_autofree char *line = fill (STD, kat);
  g_autofree char *bom = g_strconcat ("\xef\xbb\xbf", line, NULL);
  g_autofree char *garbage = g_strconcat (line, " x", NULL);
  g_autofree char *twice = g_strconcat (line, line, NULL);
  g_autofree char *deep = nested (32, "1");
  g_autofree char *deep_member = g_strdup_printf ("\"x\":%s", deep);
  g_autofree char *deep_nul = nested (32, "\"\\u0000\"");
  g_autofree char *deep_nul_member = g_strdup_printf ("\"x\":%s", deep_nul);
  g_autofree char *nul_line = g_strdup (line);
  gsize nul_len;

  vec_json (gen, "line/empty", "an empty line is not a JSON text", "", -1, NULL, "line-not-json");
  vec_json (gen, "line/white-space", "only white space is not a JSON text", " \t\r\n", -1, NULL,
            "line-not-json");
  vec_json (gen, "line/array", "a line that is an array", "[]", -1, NULL, "line-not-object");
  vec_json (gen, "line/string", "a line that is a string", "\"x\"", -1, NULL, "line-not-object");
  vec_json (gen, "line/byte-order-mark", "a byte order mark before the object", bom, -1, NULL,
            "line-not-json");
  vec_json (gen, "line/trailing-garbage", "something after the object", garbage, -1, NULL,
            "line-not-json");
  vec_json (gen, "line/two-objects", "two objects back to back", twice, -1, NULL,
            "line-not-json");

  kat_line (gen, "line/comment", "a comment", "{\"v\":1", "{/* c */\"v\":1",
            "line-not-json");
  kat_line (gen, "line/single-quotes", "a name in single quotes", "{\"v\":1", "{'v':1",
            "line-not-json");
  kat_line (gen, "line/trailing-comma", "a comma before the closing brace", "886a07\"}",
            "886a07\",}", "line-not-json");
  kat_line (gen, "line/leading-zero", "a number with a leading zero", "\"ctr\":7", "\"ctr\":07", "line-not-json");
  kat_line (gen, "line/hex-number", "a number in hexadecimal", "\"ctr\":7", "\"ctr\":0x7", "line-not-json");
  kat_line (gen, "line/plus-sign", "a number with a plus sign", "\"ctr\":7", "\"ctr\":+7",
            "line-not-json");
  kat_line (gen, "line/unquoted-name", "a member name without quotes", "{\"v\":1", "{v:1",
            "line-not-json");
  kat_extra (gen, "line/bad-escape", "an escape JSON does not have (\\q)", "\"x\":\"\\q\"",
             "line-not-json");
  kat_extra (gen, "line/short-unicode-escape", "a \\u escape with three hex digits",
             "\"x\":\"\\u123\"", "line-not-json");
  kat_extra (gen, "line/raw-tab-in-string", "a raw tab inside a string", "\"x\":\"a\tb\"",
             "line-not-json");
  kat_extra (gen, "line/raw-newline-in-string", "a raw line feed inside a string",
             "\"x\":\"a\nb\"", "line-not-json");
  kat_extra (gen, "line/nan", "NaN is not JSON", "\"x\":NaN", "line-not-json");
  kat_extra (gen, "line/vertical-tab", "vertical tab is not JSON white space",
             "\"x\":\v1", "line-not-json");
  kat_extra (gen, "line/not-utf8", "a byte that is not UTF-8", "\"x\":\"\xff\"",
             "line-not-utf8");
  kat_extra (gen, "line/overlong-utf8", "an overlong UTF-8 form of '/'", "\"x\":\"\xc0\xaf\"",
             "line-not-utf8");
  kat_extra (gen, "line/utf8-surrogate", "a surrogate encoded in UTF-8 (CESU)",
             "\"x\":\"\xed\xa0\x80\"", "line-not-utf8");
  kat_extra (gen, "line/utf8-above-max", "a code point above U+10FFFF",
             "\"x\":\"\xf4\x90\x80\x80\"", "line-not-utf8");
  kat_extra (gen, "line/nul-escape", "a \\u0000 escape in an unknown member",
             "\"x\":\"a\\u0000\"", "line-nul-escape");
  kat_extra (gen, "line/nul-escape-in-name", "a \\u0000 escape in a member name",
             "\"\\u0000\":1", "line-nul-escape");
  kat_line (gen, "line/nul-escape-in-body",
            "a body text holding U+0000 (as \\u0000 in the body string)",
            "\\\"World\\\"", "\\\"Wor\\u0000ld\\\"", "line-nul-escape");
  kat_extra (gen, "line/lone-high-surrogate", "\\ud800 alone", "\"x\":\"\\ud800\"",
             "line-lone-surrogate");
  kat_extra (gen, "line/lone-low-surrogate", "\\udc00 alone", "\"x\":\"\\udc00\"",
             "line-lone-surrogate");
  kat_extra (gen, "line/reversed-surrogates", "\\udc00\\ud800: low half before high half",
             "\"x\":\"\\udc00\\ud800\"", "line-lone-surrogate");
  kat_extra (gen, "line/high-surrogate-then-letter", "\\ud800\\u0041",
             "\"x\":\"\\ud800\\u0041\"", "line-lone-surrogate");
  kat_extra (gen, "line/surrogate-pair", "\\ud83d\\ude00 is one code point",
             "\"x\":\"\\ud83d\\ude00\"", NULL);
  kat_line (gen, "line/duplicate-v", "\"v\" twice", "{\"v\":1", "{\"v\":1,\"v\":1",
            "line-duplicate-member");
  kat_line (gen, "line/duplicate-escaped", "\"kind\" and \"k\\u0069nd\" are the same name",
            "{\"v\":1", "{\"k\\u0069nd\":\"thread.create\",\"v\":1",
            "line-duplicate-member");
  kat_extra (gen, "line/duplicate-unknown", "an unknown member twice", "\"x\":1,\"x\":1",
             "line-duplicate-member");
  kat_extra (gen, "line/duplicate-nested", "a duplicate inside an unknown member",
             "\"x\":{\"a\":1,\"a\":2}", "line-duplicate-member");
  kat_extra (gen, "line/too-deep", "an unknown member nested to depth 33 in all", deep_member,
             "line-too-deep");
  kat_extra (gen, "line/first/nul-before-duplicate",
             "a \\u0000 escape and a duplicate: the escape is reported",
             "\"x\":\"\\u0000\",\"x\":1", "line-nul-escape");
  kat_extra (gen, "line/first/deep-before-nul",
             "depth 33 and a \\u0000 escape: the depth is reported", deep_nul_member,
             "line-too-deep");
  kat_extra (gen, "line/first/grammar-before-duplicate",
             "a duplicate and a syntax error later: the syntax error is reported",
             "\"x\":1,\"x\":01", "line-not-json");

  /* A raw NUL byte is UTF-8 but never JSON. */
  nul_line[strstr (nul_line, "Hello") - nul_line + 2] = '\0';
  nul_len = strlen (line);
  vec_json (gen, "line/raw-nul-byte", "a NUL byte inside the body string", nul_line, (gssize) nul_len,
            NULL, "line-not-json");
}

static void
envelope_fields (VecGen *gen)
{
  static const struct
  {
    const char *name;
    const char *member;
  } fields[] = {
    { "v", "\"v\":1," }, { "id", "\"id\":\"@ID@\"," }, { "kind", "\"kind\":\"@KIND@\"," },
    { "author", "\"author\":\"@AUTHOR@\"," }, { "ts", "\"ts\":@TS@," }, { "ctr", "\"ctr\":@CTR@," },
    { "body", "\"body\":@BODY@," }, { "sig", ",\"sig\":\"@SIG@\"" },
  };
  g_autoptr(HlEvent) kat = kat_event (gen);
  g_autofree char *kind33 = g_strnfill (33, 'k');
  g_autofree char *kind33_member = g_strdup_printf ("\"kind\":\"%s\"", kind33);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *name = g_strdup_printf ("field/missing-%s", fields[i].name);
      g_autofree char *description = g_strdup_printf ("no \"%s\"", fields[i].name);
      g_autofree char *member = fill (fields[i].member, kat);

      kat_line (gen, name, description, member, "", "field-missing");
    }

  kat_line (gen, "field/v-string", "\"v\" as a string", "\"v\":1", "\"v\":\"1\"",
            "field-type");
  kat_line (gen, "field/v-null", "\"v\" null", "\"v\":1", "\"v\":null", "field-type");
  kat_line (gen, "field/v-fraction", "\"v\" written 1.0", "\"v\":1", "\"v\":1.0",
            "field-not-integer");
  kat_line (gen, "field/v-exponent", "\"v\" written 1e0", "\"v\":1", "\"v\":1e0",
            "field-not-integer");
  kat_line (gen, "field/v-2", "format version 2", "\"v\":1", "\"v\":2",
            "version-unsupported");
  kat_line (gen, "field/v-0", "format version 0", "\"v\":1", "\"v\":0",
            "version-unsupported");
  kat_line (gen, "field/v-256", "\"v\" above 255", "\"v\":1", "\"v\":256",
            "field-out-of-range");
  kat_line (gen, "field/v-negative", "\"v\" of -1", "\"v\":1", "\"v\":-1",
            "field-out-of-range");
  kat_line (gen, "field/v-huge-negative", "\"v\" of -(2^64-1), which wraps to 1 in 64 bits",
            "\"v\":1", "\"v\":-18446744073709551615", "field-out-of-range");
  kat_line (gen, "field/kind-number", "\"kind\" as a number", "\"kind\":\"thread.create\"",
            "\"kind\":5", "field-type");
  kat_line (gen, "field/kind-empty", "an empty kind", "\"kind\":\"thread.create\"",
            "\"kind\":\"\"", "kind-malformed");
  kat_line (gen, "field/kind-uppercase", "a capital letter in the kind",
            "\"kind\":\"thread.create\"", "\"kind\":\"Thread.create\"", "kind-malformed");
  kat_line (gen, "field/kind-33", "a kind of 33 characters", "\"kind\":\"thread.create\"",
            kind33_member, "kind-malformed");
  kat_line (gen, "field/kind-digit-first", "a kind starting with a digit",
            "\"kind\":\"thread.create\"", "\"kind\":\"1thread\"", "kind-malformed");
  kat_line (gen, "field/kind-space", "a space in the kind", "\"kind\":\"thread.create\"",
            "\"kind\":\"thread create\"", "kind-malformed");
  kat_line (gen, "field/kind-non-ascii", "a non-ASCII letter in the kind",
            "\"kind\":\"thread.create\"", "\"kind\":\"thr\xc3\xa9""ad\"",
            "kind-malformed");
  kat_line (gen, "field/author-63", "\"author\" of 63 hex digits", "\"author\":\"79",
            "\"author\":\"9", "field-bad-hex");
  kat_line (gen, "field/author-not-hex", "\"author\" with a letter beyond f", "\"author\":\"79",
            "\"author\":\"7g", "field-bad-hex");
  kat_line (gen, "field/author-number", "\"author\" as a number", "\"author\":\"",
            "\"author\":1,\"x\":\"", "field-type");
  kat_line (gen, "field/ts-negative", "\"ts\" of -1", "\"ts\":1700000000000", "\"ts\":-1",
            "field-out-of-range");
  kat_line (gen, "field/ts-2^53", "\"ts\" of 2^53", "\"ts\":1700000000000",
            "\"ts\":9007199254740992", "field-out-of-range");
  kat_line (gen, "field/ts-2^64", "\"ts\" of 2^64", "\"ts\":1700000000000",
            "\"ts\":18446744073709551616", "field-out-of-range");
  kat_line (gen, "field/ts-exponent", "\"ts\" written 1.7e12", "\"ts\":1700000000000",
            "\"ts\":1.7e12", "field-not-integer");
  kat_line (gen, "field/ts-string", "\"ts\" as a string", "\"ts\":1700000000000",
            "\"ts\":\"1700000000000\"", "field-type");
  kat_line (gen, "field/ctr-2^32", "\"ctr\" of 2^32", "\"ctr\":7", "\"ctr\":4294967296",
            "field-out-of-range");
  kat_line (gen, "field/ctr-negative", "\"ctr\" of -7", "\"ctr\":7", "\"ctr\":-7",
            "field-out-of-range");
  kat_line (gen, "field/ctr-fraction", "\"ctr\" written 7.0", "\"ctr\":7", "\"ctr\":7.0",
            "field-not-integer");
  kat_line (gen, "field/ref-number", "\"ref\" as a number", "\"ref\":\"", "\"ref\":5,\"x\":\"", "field-type");
  kat_line (gen, "field/ref-true", "\"ref\" true", "\"ref\":\"", "\"ref\":true,\"x\":\"",
            "field-type");
  kat_line (gen, "field/ref-short", "\"ref\" of 3 hex digits", "\"ref\":\"", "\"ref\":\"abc\",\"x\":\"", "field-bad-hex");
  kat_line (gen, "field/body-number", "\"body\" as a number", "\"body\":\"",
            "\"body\":5,\"x\":\"", "field-type");
  kat_line (gen, "field/body-object", "\"body\" as an object instead of a string",
            "\"body\":\"", "\"body\":{},\"x\":\"", "field-type");
  kat_line (gen, "field/id-short", "\"id\" of 62 hex digits", "\"id\":\"40", "\"id\":\"",
            "field-bad-hex");
  kat_line (gen, "field/sig-number", "\"sig\" as a number", "\"sig\":\"", "\"sig\":0,\"x\":\"", "field-type");
  kat_line (gen, "field/sig-short", "\"sig\" of 126 hex digits", "\"sig\":\"01", "\"sig\":\"", "field-bad-hex");

  /* Fields are checked in the order v, kind, author, ts, ctr, ref, body, id, sig. */
  kat_line2 (gen, "field/first/version-before-kind", "version 2 and no kind: the version",
             "\"v\":1", "\"v\":2", "\"kind\":\"thread.create\",", "", "version-unsupported");
  kat_line2 (gen, "field/first/kind-before-sig", "a bad kind and a short sig: the kind",
             "\"kind\":\"thread.create\"", "\"kind\":\"T\"", "\"sig\":\"01", "\"sig\":\"",
             "kind-malformed");
  kat_line2 (gen, "field/first/author-before-ts", "a bad author and a bad ts: the author",
             "\"author\":\"79", "\"author\":\"7g", "\"ts\":1700000000000", "\"ts\":-1",
             "field-bad-hex");
  kat_line2 (gen, "field/first/ts-before-id", "a bad ts and a short id: the ts",
             "\"ts\":1700000000000", "\"ts\":1.5", "\"id\":\"40", "\"id\":\"",
             "field-not-integer");
  kat_line2 (gen, "field/first/ref-before-body", "a bad ref and a body that is a number: the ref",
             "\"ref\":\"", "\"ref\":\"ab\",\"x\":\"", "\"body\":\"", "\"body\":1,\"y\":\"",
             "field-bad-hex");
}

static void
envelope_content (VecGen *gen)
{
  g_autoptr(HlEvent) kat = kat_event (gen);
  g_autoptr(HlEvent) other = vec_event (gen, HL_KIND_THREAD_CREATE, VEC_NOW_MS, 8, REF_A,
                                        "{\"title\":\"Hello\",\"body\":\"World\"}");
  g_autofree char *other_id = hl_hex_dup (other->id, HL_ID_LEN);
  g_autofree char *kat_id = hl_hex_dup (kat->id, HL_ID_LEN);
  g_autofree char *tampered_id = g_strdup (kat_id);

  tampered_id[0] = tampered_id[0] == '0' ? '1' : '0';
  kat_line (gen, "id/body-changed", "the body differs from what the id hashes", "World", "Wor1d", "id-mismatch");
  kat_line (gen, "id/ts-changed", "the timestamp differs from what the id hashes",
            "\"ts\":1700000000000", "\"ts\":1700000000001", "id-mismatch");
  kat_line (gen, "id/ref-removed", "the ref is gone", "\"ref\":\"", "\"x\":\"",
            "id-mismatch");
  kat_line (gen, "id/other-events-id", "the id of another event", kat_id, other_id,
            "id-mismatch");
  kat_line (gen, "id/one-digit-off", "the id with one hex digit changed", kat_id, tampered_id, "id-mismatch");
}

void
vec_cases_envelope (VecGen *gen)
{
  envelope_accepted (gen);
  envelope_line (gen);
  envelope_fields (gen);
  envelope_content (gen);
}

/* The canonical bytes of the test vector with @edit applied. */
static GByteArray *
kat_bytes (VecGen *gen)
{
  g_autoptr(HlEvent) kat = kat_event (gen);
  gsize len;
  const guint8 *data = g_bytes_get_data (kat->canonical, &len);
  GByteArray *bytes = g_byte_array_new ();

  g_byte_array_append (bytes, data, (guint) len);
  return bytes;
}

static void
kat_canonical (VecGen       *gen,
               const char   *name,
               const char   *description,
               GByteArray   *bytes,
               const char   *reason)
{
  g_autoptr(HlEvent) kat = kat_event (gen);

  vec_canonical (gen, name, description, bytes->data, bytes->len, kat->sig, NULL, reason);
}

/* Offsets in the test vector's canonical bytes (kind "thread.create", 13). */
#define AT_VERSION  4
#define AT_KIND_LEN 5
#define AT_KIND     6
#define AT_AUTHOR   (AT_KIND + 13)
#define AT_TS       (AT_AUTHOR + 32)
#define AT_CTR      (AT_TS + 8)
#define AT_FLAG     (AT_CTR + 4)
#define AT_REF      (AT_FLAG + 1)
#define AT_BODY_LEN (AT_REF + 32)
#define AT_BODY     (AT_BODY_LEN + 4)

void
vec_cases_canonical (VecGen *gen)
{
  static const struct
  {
    guint       cut;
    const char *where;
  } cuts[] = {
    { 0, "nothing" }, { 3, "in the magic" }, { AT_VERSION, "before the version" },
    { AT_KIND_LEN, "before the kind length" }, { AT_KIND + 5, "in the kind" },
    { AT_AUTHOR + 31, "in the author" }, { AT_TS + 7, "in the timestamp" },
    { AT_CTR + 3, "in the counter" }, { AT_FLAG, "before the reference flag" },
    { AT_REF + 31, "in the reference" }, { AT_BODY_LEN + 3, "in the body length" },
    { AT_BODY + 31, "in the body" },
  };
  g_autoptr(GByteArray) bytes = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autofree char *name = g_strdup_printf ("canonical/truncated-at-%u", cuts[i].cut);
      g_autofree char *description = g_strdup_printf ("the test vector cut %s", cuts[i].where);

      bytes = kat_bytes (gen);
      g_byte_array_set_size (bytes, cuts[i].cut);
      kat_canonical (gen, name, description, bytes, "canonical-truncated");
      g_clear_pointer (&bytes, g_byte_array_unref);
    }

#define EDIT(name, description, reason, code) G_STMT_START { \
    bytes = kat_bytes (gen); code; \
    kat_canonical (gen, name, description, bytes, reason); \
    g_clear_pointer (&bytes, g_byte_array_unref); } G_STMT_END

  EDIT ("canonical/bad-magic", "HLEW instead of HLEV", "canonical-bad-magic",
        bytes->data[3] = 'W');
  EDIT ("canonical/version-0", "version byte 0", "version-unsupported",
        bytes->data[AT_VERSION] = 0);
  EDIT ("canonical/version-2", "version byte 2", "version-unsupported",
        bytes->data[AT_VERSION] = 2);
  EDIT ("canonical/kind-length-0", "a kind of length 0", "kind-malformed",
        bytes->data[AT_KIND_LEN] = 0);
  EDIT ("canonical/kind-length-33", "a kind of length 33 (the bytes are there)",
        "kind-malformed", bytes->data[AT_KIND_LEN] = 33);
  EDIT ("canonical/kind-uppercase", "a capital letter in the kind", "kind-malformed",
        bytes->data[AT_KIND] = 'T');
  EDIT ("canonical/kind-nul", "a NUL byte in the kind", "kind-malformed",
        bytes->data[AT_KIND + 6] = 0);
  EDIT ("canonical/ts-2^53", "a timestamp of 2^53", "field-out-of-range",
        memcpy (bytes->data + AT_TS, "\x00\x20\x00\x00\x00\x00\x00\x00", 8));
  EDIT ("canonical/ts-2^64-1", "a timestamp of 2^64-1", "field-out-of-range",
        memset (bytes->data + AT_TS, 0xff, 8));
  EDIT ("canonical/ref-flag-2", "a reference flag of 2", "canonical-bad-ref-flag",
        bytes->data[AT_FLAG] = 2);
  EDIT ("canonical/ref-flag-0-with-ref",
        "a reference flag of 0 followed by a reference: the length is read from its bytes",
        "canonical-truncated", bytes->data[AT_FLAG] = 0);
  EDIT ("canonical/body-length-too-long", "a body length one more than the bytes left",
        "canonical-truncated", bytes->data[AT_BODY_LEN + 3]++);
  EDIT ("canonical/body-length-too-short", "a body length one less than the bytes left",
        "canonical-trailing-bytes", bytes->data[AT_BODY_LEN + 3]--);
  EDIT ("canonical/trailing-byte", "one byte after the body", "canonical-trailing-bytes",
        g_byte_array_append (bytes, (const guint8 *) "\n", 1));
  EDIT ("canonical/body-nul-byte", "a NUL byte in the body", "body-nul-byte",
        bytes->data[AT_BODY + 12] = 0);
  EDIT ("canonical/first/version-before-kind", "version 2 and a bad kind: the version",
        "version-unsupported", bytes->data[AT_VERSION] = 2; bytes->data[AT_KIND] = 'T');
  EDIT ("canonical/first/ts-before-flag", "a timestamp of 2^64-1 and a flag of 2: the timestamp",
        "field-out-of-range", memset (bytes->data + AT_TS, 0xff, 8); bytes->data[AT_FLAG] = 2);
#undef EDIT
}

static void
body_grammar (VecGen *gen)
{
  static const struct
  {
    const char *name;
    const char *body;
    const char *reason;
    const char *description;
  } cases[] = {
    { "empty", "", "body-not-json", "an empty body" },
    { "space", " ", "body-not-json", "a body of white space" },
    { "array", "[]", "body-not-object", "a body that is an array" },
    { "string", "\"text\"", "body-not-object", "a body that is a string" },
    { "null", "null", "body-not-object", "a body that is null" },
    { "number", "1", "body-not-object", "a body that is a number" },
    { "byte-order-mark", "\xef\xbb\xbf{}", "body-not-json", "a byte order mark" },
    { "two-objects", "{}{}", "body-not-json", "two objects back to back" },
    { "object-then-text", "{} x", "body-not-json", "text after the object" },
    { "block-comment", "{/* c */}", "body-not-json", "a block comment" },
    { "line-comment", "{} // c", "body-not-json", "a line comment" },
    { "single-quotes", "{'a':1}", "body-not-json", "single quotes" },
    { "unquoted-name", "{a:1}", "body-not-json", "a name without quotes" },
    { "missing-colon", "{\"a\" 1}", "body-not-json", "no colon" },
    { "unclosed", "{\"a\":1", "body-not-json", "no closing brace" },
    { "extra-close", "{}}", "body-not-json", "one closing brace too many" },
    { "trailing-comma", "{\"a\":1,}", "body-not-json", "a comma before the brace" },
    { "array-trailing-comma", "{\"a\":[1,]}", "body-not-json", "a comma before the bracket" },
    { "raw-newline", "{\"a\":\"x\ny\"}", "body-not-json", "a raw line feed inside a string" },
    { "raw-tab", "{\"a\":\"x\ty\"}", "body-not-json", "a raw tab inside a string" },
    { "raw-del", "{\"a\":\"x\x7fy\"}", NULL, "DEL (U+007F) may be raw in a JSON string" },
    { "leading-zero", "{\"a\":01}", "body-not-json", "a leading zero" },
    { "negative-leading-zero", "{\"a\":-01}", "body-not-json", "a leading zero after -" },
    { "hex-number", "{\"a\":0x10}", "body-not-json", "a hexadecimal number" },
    { "bare-fraction", "{\"a\":.5}", "body-not-json", "a fraction without an integer part" },
    { "empty-fraction", "{\"a\":1.}", "body-not-json", "a point without digits" },
    { "empty-exponent", "{\"a\":1e}", "body-not-json", "an exponent without digits" },
    { "plus-sign", "{\"a\":+1}", "body-not-json", "a plus sign" },
    { "nan", "{\"a\":NaN}", "body-not-json", "NaN" },
    { "infinity", "{\"a\":Infinity}", "body-not-json", "Infinity" },
    { "capital-true", "{\"a\":True}", "body-not-json", "True" },
    { "bad-escape", "{\"a\":\"\\q\"}", "body-not-json", "the escape \\q" },
    { "hex-escape", "{\"a\":\"\\x41\"}", "body-not-json", "the escape \\x41" },
    { "short-unicode-escape", "{\"a\":\"\\u12\"}", "body-not-json", "\\u with two digits" },
    { "non-hex-unicode-escape", "{\"a\":\"\\uZZZZ\"}", "body-not-json", "\\uZZZZ" },
    { "vertical-tab", "{}\v", "body-not-json", "vertical tab is not JSON white space" },
    { "no-break-space", "{}\xc2\xa0", "body-not-json", "U+00A0 is not JSON white space" },
    { "white-space-around", " \t\r\n{}\n ", NULL, "JSON white space around the object" },
    { "numbers", "{\"a\":-0,\"b\":1e400,\"c\":123456789012345678901234567890,\"d\":-1.5E-7,"
      "\"e\":0.0}", NULL, "numbers of any size and precision, read by no rule" },
    { "all-escapes", "{\"a\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00\"}", NULL,
      "every escape of RFC 8259" },
    { "empty-name", "{\"\":1}", NULL, "an empty member name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("body/%s", cases[i].name);

      vec_body (gen, name, cases[i].description, "note.create", NULL, cases[i].body,
                cases[i].reason);
    }
}

static void
body_strings (VecGen *gen)
{
  g_autofree char *x300 = g_strnfill (300, 'x');
  g_autofree char *title = g_strdup_printf ("{\"title\":\"x\\u0000%s\",\"body\":\"\"}", x300);

  vec_body (gen, "body/nul-escape-reply", "a reply \"a\\u0000b\"", HL_KIND_REPLY_CREATE, REF_B,
            "{\"body\":\"a\\u0000b\"}", "body-nul-escape");
  vec_body (gen, "body/nul-escape-title", "a title \"x\\u0000\" and 300 more characters",
            HL_KIND_THREAD_CREATE, REF_A, title, "body-nul-escape");
  vec_body (gen, "body/nul-escape-name", "a member named \\u0000", "note.create", NULL,
            "{\"\\u0000\":1}", "body-nul-escape");
  vec_body (gen, "body/nul-escape-nested", "a \\u0000 deep inside", "note.create", NULL,
            "{\"a\":[{\"b\":\"\\u0000\"}]}", "body-nul-escape");
  vec_body (gen, "body/escaped-backslash-u0000",
            "\\\\u0000 is a backslash and the letters u0000, not an escape", "note.create", NULL,
            "{\"a\":\"\\\\u0000\"}", NULL);
  vec_body (gen, "body/lone-high-surrogate", "\\ud800 alone", "note.create", NULL,
            "{\"a\":\"\\ud800\"}", "body-lone-surrogate");
  vec_body (gen, "body/lone-low-surrogate", "\\udfff alone", "note.create", NULL,
            "{\"a\":\"\\udfff\"}", "body-lone-surrogate");
  vec_body (gen, "body/reversed-surrogates", "\\udc00\\ud800", "note.create", NULL,
            "{\"a\":\"\\udc00\\ud800\"}", "body-lone-surrogate");
  vec_body (gen, "body/high-surrogate-then-letter", "\\ud800\\u0041", "note.create", NULL,
            "{\"a\":\"\\ud800\\u0041\"}", "body-lone-surrogate");
  vec_body (gen, "body/lone-surrogate-in-name", "a name holding \\ud800", "note.create", NULL,
            "{\"\\ud800\":1}", "body-lone-surrogate");
  vec_body (gen, "body/surrogate-pair", "\\ud83d\\ude00 is U+1F600", "note.create", NULL,
            "{\"a\":\"\\ud83d\\ude00\"}", NULL);
}

static void
body_members (VecGen *gen)
{
  g_autoptr(GString) many = g_string_new ("{");
  g_autofree char *deep32 = nested (31, "1");
  g_autofree char *deep33 = nested (32, "1");
  g_autofree char *deep_objects = NULL;
  g_autofree char *body32 = g_strdup_printf ("{\"a\":%s}", deep32);
  g_autofree char *body33 = g_strdup_printf ("{\"a\":%s}", deep33);
  g_autofree char *deep_nul = nested (32, "\"\\u0000\"");
  g_autofree char *body_deep_nul = g_strdup_printf ("{\"a\":%s}", deep_nul);
  GString *objects = g_string_new (NULL);

  for (guint i = 0; i < 20; i++)
    g_string_append_printf (many, "\"m%u\":%u,", i, i);
  g_string_append (many, "\"m7\":0}");
  for (guint i = 0; i < 33; i++)
    g_string_append (objects, "{\"a\":");
  g_string_append (objects, "1");
  for (guint i = 0; i < 33; i++)
    g_string_append_c (objects, '}');
  deep_objects = g_string_free (objects, FALSE);

  vec_body (gen, "body/duplicate", "a member twice", "note.create", NULL,
            "{\"a\":1,\"a\":2}", "body-duplicate-member");
  vec_body (gen, "body/duplicate-known-member", "\"name\" twice in a subnet.create",
            HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"a\",\"name\":\"b\"}",
            "body-duplicate-member");
  vec_body (gen, "body/duplicate-nested", "a duplicate in an inner object", "note.create", NULL,
            "{\"x\":{\"a\":1,\"a\":1}}", "body-duplicate-member");
  vec_body (gen, "body/duplicate-in-array", "a duplicate in an object in an array",
            "note.create", NULL, "{\"x\":[{\"a\":1,\"a\":1}]}", "body-duplicate-member");
  vec_body (gen, "body/duplicate-escaped", "\"a\" and \"\\u0061\" are the same name",
            "note.create", NULL, "{\"a\":1,\"\\u0061\":2}", "body-duplicate-member");
  vec_body (gen, "body/duplicate-among-many", "21 members, one name twice", "note.create", NULL,
            many->str, "body-duplicate-member");
  vec_body (gen, "body/same-name-in-siblings", "one name in two different objects",
            "note.create", NULL, "{\"x\":{\"a\":1},\"y\":{\"a\":1},\"a\":0}", NULL);
  vec_body (gen, "body/names-differ-in-case", "\"a\" and \"A\" differ", "note.create", NULL,
            "{\"a\":1,\"A\":1}", NULL);
  vec_body (gen, "body/names-differ-in-normalisation",
            "\"\\u00e9\" and \"e\\u0301\" differ: names are not normalised", "note.create", NULL,
            "{\"\\u00e9\":1,\"e\\u0301\":1}", NULL);
  vec_body (gen, "body/depth-32", "arrays nested to depth 32 in all", "note.create", NULL,
            body32, NULL);
  vec_body (gen, "body/depth-33", "arrays nested to depth 33 in all", "note.create", NULL,
            body33, "body-too-deep");
  vec_body (gen, "body/depth-34-objects", "objects nested to depth 34", "note.create", NULL,
            deep_objects, "body-too-deep");

  /* The order of the body rules: grammar, object, depth, U+0000, surrogates, duplicates. */
  vec_body (gen, "body/first/grammar-before-duplicate", "a duplicate, then a syntax error",
            "note.create", NULL, "{\"a\":1,\"a\":1", "body-not-json");
  vec_body (gen, "body/first/object-before-duplicate", "an array holding a duplicate",
            "note.create", NULL, "[{\"a\":1,\"a\":1}]", "body-not-object");
  vec_body (gen, "body/first/depth-before-nul", "depth 34 and a \\u0000 escape", "note.create",
            NULL, body_deep_nul, "body-too-deep");
  vec_body (gen, "body/first/nul-before-surrogate", "\\ud800\\u0000", "note.create", NULL,
            "{\"a\":\"\\ud800\\u0000\"}", "body-nul-escape");
  vec_body (gen, "body/first/nul-before-duplicate", "a \\u0000 escape and a duplicate",
            "note.create", NULL, "{\"a\":\"\\u0000\",\"a\":1}", "body-nul-escape");
  vec_body (gen, "body/first/surrogate-before-duplicate", "a lone surrogate and a duplicate",
            "note.create", NULL, "{\"a\":\"\\ud800\",\"a\":1}", "body-lone-surrogate");
  vec_body (gen, "body/first/body-before-schema", "a thread.create whose body is no object",
            HL_KIND_THREAD_CREATE, REF_A, "[]", "body-not-object");
}

void
vec_cases_body (VecGen *gen)
{
  g_autoptr(HlEvent) bad_utf8 = vec_event (gen, "note.create", VEC_TS, 0, NULL,
                                           "{\"a\":\"\xff\"}");
  g_autofree char *line = vec_line (bad_utf8);
  gsize len;
  const guint8 *bytes;

  body_grammar (gen);
  body_strings (gen);
  body_members (gen);

  /* A body that is not UTF-8 can only travel in canonical form. */
  bytes = g_bytes_get_data (bad_utf8->canonical, &len);
  vec_canonical (gen, "body/not-utf8/canonical", "a body byte that is not UTF-8", bytes, len,
                 bad_utf8->sig, NULL, "body-not-utf8");
  vec_json (gen, "body/not-utf8/json", "a body that is not UTF-8 makes a line that is not UTF-8",
            line, -1, NULL, "line-not-utf8");
}
