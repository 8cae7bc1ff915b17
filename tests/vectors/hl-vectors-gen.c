/* hl-vectors-gen: writes the conformance vectors of tests/vectors/.
 *
 *   hl-vectors-gen --write DIR     writes DIR/events.jsonl and DIR/large.jsonl
 *   hl-vectors-gen --check DIR     exits 1 unless those files are what it writes
 *   hl-vectors-gen --corpus DIR    writes fuzzing seeds, one file per small case,
 *                                  to DIR/fuzz-event-{json,canonical,body}/
 *
 * Every expectation is written here by hand, case by case, from the rules of
 * docs/protocol.md; nothing is asked of the validator. The events are really
 * signed, with the key of the protocol's test vector, so the files hold the
 * same bytes on every run (Ed25519 signatures are deterministic).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "hl-vectors-gen.h"

struct _VecGen
{
  HlIdentity *key;
  HlIdentity *other;
  GString    *small;
  GString    *large;
  GHashTable *names;
  char       *corpus;       /* where seeds go, or NULL */
  guint       n_cases;
};

HlIdentity *
vec_key (VecGen *gen)
{
  return gen->key;
}

HlIdentity *
vec_other_key (VecGen *gen)
{
  return gen->other;
}

const guint8 *
vec_ref (guint which)
{
  static guint8 refs[2][HL_ID_LEN];

  memset (refs[0], 0xaa, HL_ID_LEN);
  memset (refs[1], 0x5b, HL_ID_LEN);
  return refs[which % 2];
}

HlEvent *
vec_event (VecGen       *gen,
           const char   *kind,
           guint64       ts,
           guint32       ctr,
           const guint8 *ref,
           const char   *body)
{
  HlTimestamp stamp = { ts, ctr };
  HlEvent *event = hl_event_new (kind, hl_identity_get_public_key (gen->key), &stamp, ref,
                                 body);

  hl_event_sign (event, gen->key);
  return event;
}

char *
vec_quote (const char *text,
           gsize       len)
{
  GString *out = g_string_new ("\"");

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

char *
vec_line (const HlEvent *event)
{
  g_autofree char *id = hl_hex_dup (event->id, HL_ID_LEN);
  g_autofree char *author = hl_hex_dup (event->author, HL_KEY_LEN);
  g_autofree char *sig = hl_hex_dup (event->sig, HL_SIG_LEN);
  g_autofree char *body = vec_quote (event->body, event->body_len);
  g_autofree char *ref = event->has_ref ? hl_hex_dup (event->ref, HL_ID_LEN) : NULL;
  g_autofree char *ref_member = ref ? g_strdup_printf ("\"ref\":\"%s\",", ref) : g_strdup ("");

  return g_strdup_printf ("{\"v\":1,\"id\":\"%s\",\"kind\":\"%s\",\"author\":\"%s\",\"ts\":%"
                          G_GUINT64_FORMAT ",\"ctr\":%u,%s\"body\":%s,\"sig\":\"%s\"}",
                          id, event->kind, author, event->ts.ms, event->ts.ctr, ref_member, body,
                          sig);
}

char *
vec_replace (const char *text,
             const char *from,
             const char *to)
{
  GString *s = g_string_new (text);

  if (strstr (text, from) == NULL)
    g_error ("“%s” is not in “%.80s…”", from, text);
  g_string_replace (s, from, to, 1);
  return g_string_free (s, FALSE);
}

static void
write_seed (VecGen       *gen,
            const char   *target,
            const char   *name,
            const guint8 *data,
            gsize         len)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (gen->corpus == NULL || len > VEC_SMALL_MAX)
    return;
  dir = g_build_filename (gen->corpus, target, NULL);
  file = g_strdelimit (g_strdup_printf ("vec-%s", name), "/", '-');
  path = g_build_filename (dir, file, NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0 ||
      !g_file_set_contents (path, (const char *) data, (gssize) len, &error))
    g_error ("cannot write %s: %s", path, error ? error->message : g_strerror (errno));
}

static void
add_case (VecGen        *gen,
          const char    *name,
          const char    *description,
          const char    *form,
          const char    *input_members,
          gsize          input_len,
          const HlEvent *accepted,
          const char    *reason)
{
  g_autofree char *quoted_name = vec_quote (name, strlen (name));
  g_autofree char *quoted_description = vec_quote (description, strlen (description));
  g_autofree char *outcome = NULL;
  GString *out;

  if (!g_hash_table_add (gen->names, g_strdup (name)))
    g_error ("two cases are named %s", name);
  if (reason == NULL)
    {
      g_autofree char *id = hl_event_id_hex (accepted);
      outcome = g_strdup_printf ("\"expect\":\"accept\",\"id\":\"%s\"", id);
    }
  else
    outcome = g_strdup_printf ("\"expect\":\"refuse\",\"reason\":\"%s\"", reason);

  out = input_len > VEC_SMALL_MAX ? gen->large : gen->small;
  g_string_append_printf (out, "{\"name\":%s,\"description\":%s,\"form\":\"%s\",\"now_ms\":%"
                          G_GUINT64_FORMAT ",\"max_future_ms\":%" G_GUINT64_FORMAT ",%s,%s}\n",
                          quoted_name, quoted_description, form, VEC_NOW_MS, VEC_MAX_FUTURE_MS,
                          input_members, outcome);
  gen->n_cases++;
}

void
vec_json (VecGen        *gen,
          const char    *name,
          const char    *description,
          const char    *line,
          gssize         len,
          const HlEvent *accepted,
          const char    *reason)
{
  g_autofree char *members = NULL;
  gsize n = len < 0 ? strlen (line) : (gsize) len;

  /* Lines that are not UTF-8, or hold NUL bytes, go as hex. */
  if (g_utf8_validate_len (line, n, NULL))
    {
      g_autofree char *quoted = vec_quote (line, n);
      members = g_strdup_printf ("\"line\":%s", quoted);
    }
  else
    {
      g_autofree char *hex = hl_hex_dup ((const guint8 *) line, n);
      members = g_strdup_printf ("\"line_hex\":\"%s\"", hex);
    }
  add_case (gen, name, description, "json", members, n, accepted, reason);
  write_seed (gen, "fuzz-event-json", name, (const guint8 *) line, n);
}

void
vec_canonical (VecGen        *gen,
               const char    *name,
               const char    *description,
               const guint8  *bytes,
               gsize          len,
               const guint8  *sig,
               const HlEvent *accepted,
               const char    *reason)
{
  g_autofree char *hex = hl_hex_dup (bytes, len);
  g_autofree char *sig_hex = hl_hex_dup (sig, HL_SIG_LEN);
  g_autofree char *members = g_strdup_printf ("\"canonical\":\"%s\",\"sig\":\"%s\"", hex,
                                              sig_hex);
  g_autoptr(GByteArray) seed = g_byte_array_new ();

  add_case (gen, name, description, "canonical", members, len, accepted, reason);
  g_byte_array_append (seed, bytes, (guint) len);
  g_byte_array_append (seed, sig, HL_SIG_LEN);
  write_seed (gen, "fuzz-event-canonical", name, seed->data, seed->len);
}

void
vec_both (VecGen        *gen,
          const char    *name,
          const char    *description,
          const HlEvent *event,
          const char    *reason)
{
  g_autofree char *line = vec_line (event);
  g_autofree char *json_name = g_strconcat (name, "/json", NULL);
  g_autofree char *canonical_name = g_strconcat (name, "/canonical", NULL);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (event->canonical, &len);

  vec_json (gen, json_name, description, line, -1, event, reason);
  vec_canonical (gen, canonical_name, description, bytes, len, event->sig, event, reason);
  write_seed (gen, "fuzz-event-body", name, (const guint8 *) event->body, event->body_len);
}

void
vec_body (VecGen       *gen,
          const char   *name,
          const char   *description,
          const char   *kind,
          const guint8 *ref,
          const char   *body,
          const char   *reason)
{
  g_autoptr(HlEvent) event = vec_event (gen, kind, VEC_TS, 0, ref, body);

  vec_both (gen, name, description, event, reason);
}

static void
generate (VecGen *gen)
{
  vec_cases_envelope (gen);
  vec_cases_canonical (gen);
  vec_cases_body (gen);
  vec_cases_kinds (gen);
  vec_cases_archive (gen);
  vec_cases_limits (gen);
}

static gboolean
same_as_file (const GString *text,
              const char    *dir,
              const char    *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  if (len == text->len && memcmp (contents, text->str, len) == 0)
    return TRUE;
  for (gsize i = 0, line = 1; i < MIN (len, text->len); i++)
    {
      if (contents[i] != text->str[i])
        {
          g_printerr ("%s differs from what hl-vectors-gen writes, from line %" G_GSIZE_FORMAT
                      " on; run hl-vectors-gen --write %s and commit the result\n",
                      path, line, dir);
          return FALSE;
        }
      if (contents[i] == '\n')
        line++;
    }
  g_printerr ("%s has %" G_GSIZE_FORMAT " bytes, hl-vectors-gen writes %" G_GSIZE_FORMAT
              "; run hl-vectors-gen --write %s\n", path, len, text->len, dir);
  return FALSE;
}

static void
write_file (const GString *text,
            const char    *dir,
            const char    *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text->str, (gssize) text->len, &error))
    g_error ("%s", error->message);
}

int
main (int    argc,
      char **argv)
{
  guint8 seed[32], other_seed[32];
  VecGen gen = { 0 };
  int status = 0;

  if (argc != 3 || (strcmp (argv[1], "--write") != 0 && strcmp (argv[1], "--check") != 0 &&
                    strcmp (argv[1], "--corpus") != 0))
    {
      g_printerr ("Usage: hl-vectors-gen --write|--check|--corpus DIR\n");
      return 2;
    }
  for (guint i = 0; i < sizeof seed; i++)
    {
      seed[i] = (guint8) (i + 1);
      other_seed[i] = (guint8) (0x40 + i);
    }
  gen.key = hl_identity_new_from_seed (seed);
  gen.other = hl_identity_new_from_seed (other_seed);
  gen.small = g_string_new (NULL);
  gen.large = g_string_new (NULL);
  gen.names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (strcmp (argv[1], "--corpus") == 0)
    gen.corpus = g_strdup (argv[2]);

  generate (&gen);

  if (strcmp (argv[1], "--write") == 0)
    {
      write_file (gen.small, argv[2], "events.jsonl");
      write_file (gen.large, argv[2], "large.jsonl");
      g_print ("%u cases\n", gen.n_cases);
    }
  else if (strcmp (argv[1], "--check") == 0)
    {
      if (!same_as_file (gen.small, argv[2], "events.jsonl") ||
          !same_as_file (gen.large, argv[2], "large.jsonl"))
        status = 1;
      else
        g_print ("%u cases, as committed\n", gen.n_cases);
    }

  hl_identity_free (gen.key);
  hl_identity_free (gen.other);
  g_string_free (gen.small, TRUE);
  g_string_free (gen.large, TRUE);
  g_hash_table_unref (gen.names);
  g_free (gen.corpus);
  return status;
}
