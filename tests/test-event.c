/* test-event.c: canonical bytes, ids, signatures and validation.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-error.h"
#include "hl-event.h"
#include "hl-event-private.h"
#include "hl-identity.h"
#include "hl-limits.h"

#define NOW_MS G_GINT64_CONSTANT (1700000000000)

/* The test vector of docs/protocol.md, "Test vector". Its canonical bytes id and
 * signature were checked with Python (hashlib.blake2b and the cryptography
 * package's Ed25519), independently of this code. */
#define KAT_CANONICAL \
  "484c4556010d7468726561642e637265617465" \
  "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664" \
  "0000018bcfe56800" "00000007" "01" \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
  "00000020" "7b227469746c65223a2248656c6c6f222c22626f6479223a22576f726c64227d"

static HlIdentity *
kat_identity (void)
{
  guint8 seed[32];

  for (guint i = 0; i < sizeof seed; i++)
    seed[i] = (guint8) (i + 1);
  return hl_identity_new_from_seed (seed);
}

static HlEvent *
kat_event (HlIdentity *identity)
{
  HlTimestamp ts = { 1700000000000, 7 };
  guint8 ref[HL_ID_LEN];
  HlEvent *event;

  memset (ref, 0xaa, sizeof ref);
  event = hl_event_new (HL_KIND_THREAD_CREATE, hl_identity_get_public_key (identity), &ts, ref,
                        "{\"title\":\"Hello\",\"body\":\"World\"}");
  hl_event_sign (event, identity);
  return event;
}

static void
test_known_answer (void)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlEvent) event = kat_event (identity);
  g_autofree char *canonical = NULL;
  g_autofree char *id = hl_event_id_hex (event);
  g_autofree char *sig = hl_hex_dup (event->sig, HL_SIG_LEN);
  gsize len;
  const guint8 *data = g_bytes_get_data (event->canonical, &len);

  canonical = hl_hex_dup (data, len);
  g_assert_cmpstr (canonical, ==, KAT_CANONICAL);
  g_assert_cmpstr (id, ==, "4041ac20a40ab69bc2e5e7226273f6e0b65367027c289894f97eecf2e925f508");
  g_assert_cmpstr (sig, ==, "014847d5a91c530980ae40d7fadb11eb5f5d52236b49c401a43a1a80de353de5"
                            "968f2954109c5d10adf9e8b8428fa7e29f0e283d1d4f601b28dfbc41ba886a07");
  g_assert_true (hl_event_verify (event, NOW_MS, HL_DEFAULT_MAX_FUTURE_MS, NULL));
}

static void
test_json_round_trip (void)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlEvent) event = kat_event (identity);
  g_autofree char *text = hl_event_to_json_text (event);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) back = hl_event_from_json_text (text, -1, &error);
  g_autoptr(HlEvent) decoded = NULL;
  gsize len;
  const guint8 *data;

  g_assert_no_error (error);
  g_assert_cmpmem (back->id, HL_ID_LEN, event->id, HL_ID_LEN);
  g_assert_cmpmem (back->sig, HL_SIG_LEN, event->sig, HL_SIG_LEN);
  g_assert_cmpstr (back->body, ==, event->body);
  g_assert_true (hl_event_verify (back, NOW_MS, HL_DEFAULT_MAX_FUTURE_MS, NULL));

  data = g_bytes_get_data (event->canonical, &len);
  decoded = hl_event_decode (data, len, event->sig, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (decoded->id, HL_ID_LEN, event->id, HL_ID_LEN);
  g_assert_true (hl_event_verify (decoded, NOW_MS, HL_DEFAULT_MAX_FUTURE_MS, NULL));
}

/* Replaces the first occurrence of @from in the event's JSON by @to. */
static HlEvent *
tampered (const char  *from,
          const char  *to,
          GError     **error)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlEvent) event = kat_event (identity);
  g_autofree char *text = hl_event_to_json_text (event);
  g_autoptr(GString) s = g_string_new (text);

  g_assert_nonnull (strstr (text, from));
  g_string_replace (s, from, to, 1);
  return hl_event_from_json_text (s->str, -1, error);
}

static void
test_rejects_forged_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) event = tampered ("World", "Wor1d", &error);

  g_assert_null (event);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_BAD_ID);
  g_assert_nonnull (strstr (error->message, "does not match"));
}

static void
test_rejects_bad_signature (void)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlEvent) event = kat_event (identity);
  g_autoptr(GError) error = NULL;

  event->sig[10] ^= 0x01;
  g_assert_false (hl_event_verify (event, NOW_MS, HL_DEFAULT_MAX_FUTURE_MS, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_BAD_SIGNATURE);
}

static void
test_rejects_other_author (void)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlIdentity) other = hl_identity_new_random ();
  g_autoptr(HlEvent) event = kat_event (identity);
  g_autoptr(GError) error = NULL;
  guint8 sig[HL_SIG_LEN];
  guint8 msg[18 + HL_ID_LEN];

  /* Someone else's valid signature over the same id is no signature at all. */
  memcpy (msg, "hyperlink-event-v1", 18);
  memcpy (msg + 18, event->id, HL_ID_LEN);
  hl_identity_sign (other, msg, sizeof msg, sig);
  memcpy (event->sig, sig, sizeof sig);
  g_assert_false (hl_event_verify (event, NOW_MS, HL_DEFAULT_MAX_FUTURE_MS, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_BAD_SIGNATURE);
}

static void
test_rejects_unknown_version (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) event = tampered ("\"v\":1", "\"v\":2", &error);
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlEvent) good = kat_event (identity);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize len;
  const guint8 *data = g_bytes_get_data (good->canonical, &len);

  g_assert_null (event);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION);
  g_assert_nonnull (strstr (error->message, "update Hyperlink"));
  g_clear_error (&error);

  g_byte_array_append (bytes, data, len);
  bytes->data[4] = 2;
  g_assert_null (hl_event_decode (bytes->data, bytes->len, good->sig, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_VERSION);
}

static void
test_rejects_future (void)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlEvent) event = kat_event (identity);
  g_autoptr(GError) error = NULL;
  gint64 ts = (gint64) event->ts.ms;

  /* Exactly at the limit passes; a millisecond more does not. */
  g_assert_true (hl_event_verify (event, ts - HL_DEFAULT_MAX_FUTURE_MS, HL_DEFAULT_MAX_FUTURE_MS,
                                  NULL));
  g_assert_false (hl_event_verify (event, ts - HL_DEFAULT_MAX_FUTURE_MS - 1,
                                   HL_DEFAULT_MAX_FUTURE_MS, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_FUTURE);
  g_clear_error (&error);

  /* The limit is configurable. */
  g_assert_true (hl_event_verify (event, ts - 3600 * 1000, 3600 * 1000, NULL));
  g_assert_false (hl_event_verify (event, ts - 3600 * 1000, 60 * 1000, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_FUTURE);
}

static void
test_rejects_oversized (void)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autofree char *big = g_strnfill (HL_MAX_POST_CHARS + 1, 'x');
  g_autofree char *huge = g_strnfill (HL_MAX_EVENT_BYTES, 'y');
  g_autofree char *body = g_strdup_printf ("{\"title\":\"t\",\"body\":\"%s\"}", big);
  g_autofree char *huge_body = g_strdup_printf ("{\"x\":\"%s\"}", huge);
  HlTimestamp ts = { 1700000000000, 0 };
  guint8 ref[HL_ID_LEN] = { 1 };
  g_autoptr(HlEvent) event = hl_event_new (HL_KIND_THREAD_CREATE,
                                           hl_identity_get_public_key (identity), &ts, ref, body);
  g_autoptr(HlEvent) unknown = hl_event_new ("poll.create", hl_identity_get_public_key (identity),
                                             &ts, NULL, huge_body);
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data;

  hl_event_sign (event, identity);
  g_assert_false (hl_event_verify (event, NOW_MS, HL_DEFAULT_MAX_FUTURE_MS, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY);
  g_assert_nonnull (strstr (error->message, "limit is 20000"));
  g_clear_error (&error);

  hl_event_sign (unknown, identity);
  g_assert_false (hl_event_verify (unknown, NOW_MS, HL_DEFAULT_MAX_FUTURE_MS, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  data = g_bytes_get_data (unknown->canonical, &len);
  g_assert_null (hl_event_decode (data, len, unknown->sig, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_TOO_LARGE);
}

static void
test_rejects_malformed (void)
{
  static const char * const inputs[] = {
    "", "[]", "{", "null", "{\"v\":1}",
    "{\"v\":\"1\",\"id\":\"00\",\"kind\":\"x\",\"author\":\"00\",\"ts\":1,\"ctr\":0,\"body\":\"{}\",\"sig\":\"00\"}",
    "{\"v\":1,\"id\":\"zz\",\"kind\":\"x\",\"author\":\"00\",\"ts\":1,\"ctr\":0,\"body\":\"{}\",\"sig\":\"00\"}",
  };
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlEvent) good = kat_event (identity);
  gsize len;
  const guint8 *data = g_bytes_get_data (good->canonical, &len);

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_null (hl_event_from_json_text (inputs[i], -1, &error));
      g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED);
    }

  /* Every truncation of valid canonical bytes is refused, never misread. */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_null (hl_event_decode (data, cut, good->sig, &error));
      g_assert_nonnull (error);
    }
}

static void
check_schema_error (const char   *kind,
                    const guint8 *ref,
                    const char   *body,
                    const char   *expected)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  HlTimestamp ts = { 1700000000000, 0 };
  g_autoptr(HlEvent) event = hl_event_new (kind, hl_identity_get_public_key (identity), &ts, ref,
                                           body);
  g_autoptr(GError) error = NULL;

  hl_event_sign (event, identity);
  g_assert_false (hl_event_verify (event, NOW_MS, HL_DEFAULT_MAX_FUTURE_MS, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, expected);
}

static void
test_schemas (void)
{
  guint8 ref[HL_ID_LEN] = { 7 };

  check_schema_error (HL_KIND_THREAD_CREATE, ref, "{\"body\":\"b\"}", "“title” is missing");
  check_schema_error (HL_KIND_THREAD_CREATE, NULL, "{\"title\":\"t\",\"body\":\"b\"}", "needs a reference");
  check_schema_error (HL_KIND_THREAD_CREATE, ref, "{\"title\":\"   \",\"body\":\"b\"}", "must not be empty");
  check_schema_error (HL_KIND_THREAD_CREATE, ref, "{\"title\":\"a\\nb\",\"body\":\"b\"}", "single line");
  check_schema_error (HL_KIND_SUBNET_CREATE, ref, "{\"name\":\"n\"}", "must not have");
  check_schema_error (HL_KIND_SUBNET_CREATE, NULL, "{\"name\":5}", "must be a string");
  check_schema_error (HL_KIND_EDIT, ref, "{}", "changes nothing");
  check_schema_error (HL_KIND_HIDE, ref, "{\"hidden\":\"yes\"}", "true or false");
  check_schema_error (HL_KIND_MODERATOR_ADD, ref, "{\"key\":\"abc\"}", "64 lowercase hex digits");
  check_schema_error (HL_KIND_PROFILE, NULL, "[1,2]", "not a JSON object");
  check_schema_error (HL_KIND_REPLY_CREATE, ref, "{\"body\":\"\"}", "must not be empty");
}

static void
test_unknown_kind_accepted (void)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  HlTimestamp ts = { 1700000000000, 0 };
  g_autoptr(HlEvent) event = hl_event_new ("archive.manifest", hl_identity_get_public_key (identity),
                                           &ts, NULL, "{\"anything\":[1,2,3]}");
  g_autoptr(HlEvent) bad_kind = NULL;
  g_autoptr(GError) error = NULL;

  hl_event_sign (event, identity);
  g_assert_false (hl_event_is_known_kind (event->kind));
  g_assert_true (hl_event_verify (event, NOW_MS, HL_DEFAULT_MAX_FUTURE_MS, &error));
  g_assert_no_error (error);

  bad_kind = tampered ("thread.create", "Thread.Create", &error);
  g_assert_null (bad_kind);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED);
}

/* The direct reader and the json-glib one must agree on every line: the
 * same event, or the same refusal. */
static void
assert_readers_agree (const char *text)
{
  g_autoptr(GError) fast_error = NULL;
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(HlEvent) fast = hl_event_from_json_text (text, -1, &fast_error);
  g_autoptr(HlEvent) tree = hl_event_from_json_tree (text, strlen (text), &tree_error);

  if (tree == NULL)
    {
      g_assert_null (fast);
      g_assert_cmpint (fast_error->code, ==, tree_error->code);
      g_assert_cmpstr (hl_event_error_reason (fast_error), ==, hl_event_error_reason (tree_error));
      g_assert_nonnull (hl_event_error_reason (fast_error));
      return;
    }
  g_assert_nonnull (fast);
  g_assert_cmpmem (fast->id, HL_ID_LEN, tree->id, HL_ID_LEN);
  g_assert_cmpstr (fast->body, ==, tree->body);
  g_assert_cmpstr (fast->kind, ==, tree->kind);
  g_assert_true (fast->has_ref == tree->has_ref);
}

static char *
signed_line (const char *body)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  HlTimestamp ts = { 1700000000000, 3 };
  g_autoptr(HlEvent) event = hl_event_new ("poll.create", hl_identity_get_public_key (identity),
                                           &ts, NULL, body);

  hl_event_sign (event, identity);
  return hl_event_to_json_text (event);
}

/* Fills @template's @ID@, @AUTHOR@, @SIG@ and @REF@ from the test vector. */
static char *
fill (const char *template)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlEvent) event = kat_event (identity);
  g_autofree char *id = hl_event_id_hex (event);
  g_autofree char *author = hl_hex_dup (event->author, HL_KEY_LEN);
  g_autofree char *sig = hl_hex_dup (event->sig, HL_SIG_LEN);
  g_autofree char *ref = hl_hex_dup (event->ref, HL_ID_LEN);
  GString *text = g_string_new (template);

  g_string_replace (text, "@ID@", id, 0);
  g_string_replace (text, "@AUTHOR@", author, 0);
  g_string_replace (text, "@SIG@", sig, 0);
  g_string_replace (text, "@REF@", ref, 0);
  return g_string_free (text, FALSE);
}

static void
test_readers_agree (void)
{
  /* Bodies as JSON text: escapes of every sort, nested values. */
  static const char * const bodies[] = {
    "{\"t\":\"plain\"}",
    "{\"t\":\"caf\\u00e9 \\u2603 \\ud83d\\ude00 \\\" \\\\ \\/ \\n \\t\"}",
    "{\"t\":\"\\u00e9\",\"n\":[1,2,{\"x\":null}]}",
  };
  static const char * const templates[] = {
    /* reordered, spaced, with unknown members of every flat type */
    " { \"sig\" : \"@SIG@\" , \"body\":\"{\\\"title\\\":\\\"Hello\\\",\\\"body\\\":\\\"World\\\"}\","
    " \"x\": null, \"y\": 12, \"z\": \"w\", \"ref\":\"@REF@\", \"ctr\":7, \"ts\":1700000000000,"
    " \"author\":\"@AUTHOR@\", \"kind\":\"thread.create\", \"id\":\"@ID@\", \"v\":1 }\n",
    /* the body spelled with a \u escape for a plain letter and an escaped slash */
    "{\"v\":1,\"id\":\"@ID@\",\"kind\":\"thread.create\",\"author\":\"@AUTHOR@\",\"ts\":1700000000000,"
    "\"ctr\":7,\"ref\":\"@REF@\",\"body\":\"{\\\"title\\\":\\\"H\\u0065llo\\\",\\\"body\\\":"
    "\\\"World\\\"}\",\"sig\":\"@SIG@\"}",
    /* a nested unknown member: left to json-glib */
    "{\"v\":1,\"more\":{\"a\":[1]},\"id\":\"@ID@\",\"kind\":\"thread.create\",\"author\":\"@AUTHOR@\","
    "\"ts\":1700000000000,\"ctr\":7,\"ref\":\"@REF@\",\"body\":\"{\\\"title\\\":\\\"Hello\\\","
    "\\\"body\\\":\\\"World\\\"}\",\"sig\":\"@SIG@\"}",
    /* a duplicate member, a float, a negative number, a leading zero, a NUL */
    "{\"v\":1,\"v\":1,\"id\":\"@ID@\"}",
    "{\"v\":1.0,\"id\":\"@ID@\"}",
    "{\"v\":1,\"ts\":-5,\"id\":\"@ID@\"}",
    "{\"v\":01,\"id\":\"@ID@\"}",
    "{\"v\":1,\"kind\":\"a\\u0000b\",\"id\":\"@ID@\"}",
  };
  g_autoptr(HlIdentity) identity = kat_identity ();
  g_autoptr(HlEvent) event = kat_event (identity);
  g_autofree char *line = hl_event_to_json_text (event);
  g_autofree char *upper = g_ascii_strup (line, -1);

  assert_readers_agree (line);
  assert_readers_agree (upper);   /* capital hex; "V", "ID"... are other members */
  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autofree char *text = fill (templates[i]);
      assert_readers_agree (text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *text = signed_line (bodies[i]);
      g_autofree char *cut = g_strndup (text, strlen (text) / 2);
      assert_readers_agree (text);
      assert_readers_agree (cut);
    }
}

static void
test_strict_members (void)
{
  g_auto(HlJsonStrict) reader = HL_JSON_STRICT_INIT;
  const HlJsonStrictMember *m;
  static const char text[] = " {\"t\":\"caf\\u00e9 \\ud83d\\ude00\",\"n\":-12.5e3,"
                             "\"b\":false,\"z\":null,\"a\":[{\"t\":1}],\"o\":{}} ";

  g_assert_cmpint (hl_json_strict_read (&reader, text, strlen (text)), ==, HL_JSON_STRICT_OK);
  g_assert_cmpuint (hl_json_strict_n_members (&reader), ==, 6);
  m = hl_json_strict_lookup (&reader, "t");
  g_assert_cmpint (m->type, ==, HL_JSON_STRICT_STRING);
  g_assert_cmpstr (m->value, ==, "caf\u00e9 \U0001F600");
  g_assert_cmpuint (m->value_len, ==, strlen ("caf\u00e9 \U0001F600"));
  m = hl_json_strict_lookup (&reader, "n");
  g_assert_cmpint (m->type, ==, HL_JSON_STRICT_NUMBER);
  g_assert_cmpmem (m->value, m->value_len, "-12.5e3", 7);
  g_assert_cmpint (hl_json_strict_lookup (&reader, "b")->type, ==, HL_JSON_STRICT_FALSE);
  g_assert_cmpint (hl_json_strict_lookup (&reader, "z")->type, ==, HL_JSON_STRICT_NULL);
  g_assert_cmpint (hl_json_strict_lookup (&reader, "a")->type, ==, HL_JSON_STRICT_ARRAY);
  g_assert_cmpint (hl_json_strict_lookup (&reader, "o")->type, ==, HL_JSON_STRICT_OBJECT);
  g_assert_null (hl_json_strict_lookup (&reader, "x"));
  g_assert_cmpuint (hl_json_strict_max_depth (&reader), ==, 3);

  /* A reader keeps nothing of the previous text. */
  g_assert_cmpint (hl_json_strict_read (&reader, "{\"a\":1,\"a\":2}", 13), ==,
                   HL_JSON_STRICT_DUPLICATE_MEMBER);
  g_assert_cmpint (hl_json_strict_read (&reader, "{\"x\":\"\"}", 8), ==, HL_JSON_STRICT_OK);
  g_assert_cmpuint (hl_json_strict_n_members (&reader), ==, 1);
  g_assert_cmpstr (hl_json_strict_member (&reader, 0)->value, ==, "");
  g_assert_cmpint (hl_json_strict_read (&reader, "{\"a\":1 x}", 9), ==, HL_JSON_STRICT_NOT_JSON);
  g_assert_cmpuint (hl_json_strict_offset (&reader), ==, 7);
  g_assert_cmpuint (hl_json_strict_n_members (&reader), ==, 0);
  /* Text with NUL bytes is read to its length, not its first NUL. */
  g_assert_cmpint (hl_json_strict_read (&reader, "{}\0", 3), ==, HL_JSON_STRICT_NOT_JSON);
}

static void
test_strict_integers (void)
{
  guint64 v;

  g_assert_true (hl_json_strict_number_is_uint ("0", 1, 0, &v) && v == 0);
  g_assert_true (hl_json_strict_number_is_uint ("-0", 2, 0, &v) && v == 0);
  g_assert_false (hl_json_strict_number_is_uint ("-1", 2, 10, &v));
  g_assert_false (hl_json_strict_number_is_uint ("5", 1, 4, &v));
  g_assert_true (hl_json_strict_number_is_uint ("18446744073709551615", 20, G_MAXUINT64, &v));
  g_assert_cmpuint (v, ==, G_MAXUINT64);
  g_assert_false (hl_json_strict_number_is_uint ("18446744073709551616", 20, G_MAXUINT64, &v));
  g_assert_false (hl_json_strict_number_is_uint ("1.0", 3, 10, &v));
  g_assert_false (hl_json_strict_number_is_integer ("1e2", 3));
  g_assert_true (hl_json_strict_number_is_integer ("-12", 3));
}

static void
test_parse_body (void)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  HlTimestamp ts = { 1700000000000, 0 };
  g_autoptr(HlEvent) event = hl_event_new ("note.create", hl_identity_get_public_key (identity),
                                           &ts, NULL,
                                           "{\"s\":\"x\",\"i\":-3,\"d\":0.5,\"t\":true,"
                                           "\"z\":null,\"a\":[1],\"o\":{\"k\":1}}");
  g_autoptr(HlEvent) lenient = hl_event_new ("note.create", hl_identity_get_public_key (identity),
                                             &ts, NULL, "{\"a\":1,\"a\":2}");
  g_autoptr(JsonObject) fields = hl_event_parse_body (event);

  g_assert_cmpstr (json_object_get_string_member (fields, "s"), ==, "x");
  g_assert_cmpint (json_object_get_int_member (fields, "i"), ==, -3);
  g_assert_cmpfloat (json_object_get_double_member (fields, "d"), ==, 0.5);
  g_assert_true (json_object_get_boolean_member (fields, "t"));
  g_assert_true (json_object_get_null_member (fields, "z"));
  /* No member this version reads is an array or an object. */
  g_assert_false (json_object_has_member (fields, "a"));
  g_assert_false (json_object_has_member (fields, "o"));
  g_assert_null (hl_event_parse_body (lenient));
}

/* Whatever bytes a body holds, its JSON form is strict JSON that reads back
 * to them (json-glib 1.6 writes U+001F raw, so the line is written by hand). */
static void
test_json_form_of_any_body (void)
{
  g_autoptr(HlIdentity) identity = kat_identity ();
  HlTimestamp ts = { 1700000000000, 0 };
  char body[0x22];
  g_autoptr(HlEvent) event = NULL;
  g_autoptr(HlEvent) back = NULL;
  g_autofree char *line = NULL;
  g_auto(HlJsonStrict) reader = HL_JSON_STRICT_INIT;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 0x20; i++)
    body[i] = (char) (i + 1);
  body[0x1f] = '"';
  body[0x20] = '\\';
  body[0x21] = '\0';
  event = hl_event_new ("note.create", hl_identity_get_public_key (identity), &ts, NULL, body);
  hl_event_sign (event, identity);
  line = hl_event_to_json_text (event);
  g_assert_cmpint (hl_json_strict_read (&reader, line, strlen (line)), ==, HL_JSON_STRICT_OK);
  back = hl_event_from_json_text (line, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->body, ==, body);
  g_assert_cmpmem (back->id, HL_ID_LEN, event->id, HL_ID_LEN);
}

static void
test_reason_codes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) other = g_error_new_literal (HL_CORE_ERROR, HL_CORE_ERROR_IO, "disk [full]");

  g_assert_null (hl_event_from_json_text ("{}", -1, &error));
  g_assert_cmpstr (hl_event_error_reason (error), ==, "field-missing");
  g_assert_true (g_str_has_suffix (error->message, " [field-missing]"));
  g_clear_error (&error);
  g_assert_null (hl_event_from_json_text ("{\"v\":1,\"v\":1}", -1, &error));
  g_assert_cmpstr (hl_event_error_reason (error), ==, "line-duplicate-member");
  g_assert_null (hl_event_error_reason (other));
  g_assert_null (hl_event_error_reason (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/event/known-answer", test_known_answer);
  g_test_add_func ("/event/json-round-trip", test_json_round_trip);
  g_test_add_func ("/event/rejects/forged-id", test_rejects_forged_id);
  g_test_add_func ("/event/rejects/bad-signature", test_rejects_bad_signature);
  g_test_add_func ("/event/rejects/other-author", test_rejects_other_author);
  g_test_add_func ("/event/rejects/unknown-version", test_rejects_unknown_version);
  g_test_add_func ("/event/rejects/future", test_rejects_future);
  g_test_add_func ("/event/rejects/oversized", test_rejects_oversized);
  g_test_add_func ("/event/rejects/malformed", test_rejects_malformed);
  g_test_add_func ("/event/schemas", test_schemas);
  g_test_add_func ("/event/unknown-kind-accepted", test_unknown_kind_accepted);
  g_test_add_func ("/event/readers-agree", test_readers_agree);
  g_test_add_func ("/event/strict/members", test_strict_members);
  g_test_add_func ("/event/strict/integers", test_strict_integers);
  g_test_add_func ("/event/parse-body", test_parse_body);
  g_test_add_func ("/event/reason-codes", test_reason_codes);
  g_test_add_func ("/event/json-form-of-any-body", test_json_form_of_any_body);

  return g_test_run ();
}
