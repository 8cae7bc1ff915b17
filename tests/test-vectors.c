/* test-vectors.c: every conformance vector of tests/vectors/ through every path
 * that accepts events: both readers of the JSON form, the canonical decoder,
 * the verifier, and an import into a real store.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "hl-error.h"
#include "hl-event.h"
#include "hl-event-private.h"
#include "hl-ingest.h"
#include "hl-store.h"

typedef struct
{
  char       *name;
  gboolean    json;          /* the JSON form; else canonical bytes and a signature */
  GBytes     *input;
  guint8      sig[HL_SIG_LEN];
  gint64      now_ms;
  gint64      max_future_ms;
  char       *id;            /* expected id, or NULL */
  char       *reason;        /* expected refusal, or NULL */
} Vector;

static void
vector_free (Vector *v)
{
  g_free (v->name);
  g_bytes_unref (v->input);
  g_free (v->id);
  g_free (v->reason);
  g_free (v);
}

static GBytes *
hex_bytes (const char *hex)
{
  gsize len = strlen (hex) / 2;
  guint8 *data = g_malloc (MAX (len, 1));

  g_assert_true (hl_event_hex_decode (hex, strlen (hex), data, len, TRUE));
  return g_bytes_new_take (data, len);
}

static Vector *
vector_from_json (JsonObject *obj)
{
  Vector *v = g_new0 (Vector, 1);
  const char *form = json_object_get_string_member (obj, "form");
  const char *expect = json_object_get_string_member (obj, "expect");

  v->name = g_strdup (json_object_get_string_member (obj, "name"));
  v->now_ms = json_object_get_int_member (obj, "now_ms");
  v->max_future_ms = json_object_get_int_member (obj, "max_future_ms");
  v->json = strcmp (form, "json") == 0;
  if (v->json && json_object_has_member (obj, "line"))
    {
      const char *line = json_object_get_string_member (obj, "line");
      v->input = g_bytes_new (line, strlen (line));
    }
  else if (v->json)
    v->input = hex_bytes (json_object_get_string_member (obj, "line_hex"));
  else
    {
      const char *sig = json_object_get_string_member (obj, "sig");

      v->input = hex_bytes (json_object_get_string_member (obj, "canonical"));
      g_assert_true (hl_event_hex_decode (sig, strlen (sig), v->sig, HL_SIG_LEN, TRUE));
    }
  if (strcmp (expect, "accept") == 0)
    v->id = g_strdup (json_object_get_string_member (obj, "id"));
  else
    v->reason = g_strdup (json_object_get_string_member (obj, "reason"));
  return v;
}

/* Every vector of both files. The JSON test files themselves hold no
 * duplicate members and no escapes json-glib misreads. */
static GPtrArray *
load_vectors (void)
{
  static const char * const files[] = { "events.jsonl", "large.jsonl" };
  GPtrArray *vectors = g_ptr_array_new_with_free_func ((GDestroyNotify) vector_free);

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "vectors", files[f], NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      g_assert_no_error (error);
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (*lines[i] == '\0')
            continue;
          g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
          g_ptr_array_add (vectors, vector_from_json (json_node_get_object (
                                                        json_parser_get_root (parser))));
        }
    }
  return vectors;
}

/* What one path made of a vector: the event's id, or the refusal. */
static void
assert_outcome (const Vector  *v,
                const char    *path,
                HlEvent       *event,
                const GError  *error)
{
  g_autofree char *id = event ? hl_event_id_hex (event) : NULL;
  const char *reason = hl_event_error_reason (error);

  if (v->id != NULL && (event == NULL || strcmp (id, v->id) != 0))
    g_error ("%s (%s): expected id %s, got %s", v->name, path, v->id,
             event ? id : error ? error->message : "nothing");
  if (v->reason != NULL && (event != NULL || g_strcmp0 (reason, v->reason) != 0))
    g_error ("%s (%s): expected refusal %s, got %s", v->name, path, v->reason,
             event ? "acceptance" : error ? error->message : "nothing");
}

typedef HlEvent *(*ReadFunc) (const char *text,
                              gsize       len,
                              GError    **error);

static HlEvent *
read_and_verify (const Vector  *v,
                 ReadFunc       read,
                 GError       **error)
{
  gsize len;
  const char *data = g_bytes_get_data (v->input, &len);
  g_autoptr(HlEvent) event = NULL;

  if (read != NULL)
    event = read (data, len, error);
  else
    event = hl_event_decode ((const guint8 *) data, len, v->sig, error);
  if (event == NULL || !hl_event_verify (event, v->now_ms, v->max_future_ms, error))
    return NULL;
  return g_steal_pointer (&event);
}

static HlEvent *
direct (const char  *text,
        gsize        len,
        GError     **error)
{
  return hl_event_from_json_text (text, (gssize) len, error);
}

/* An accepted event reads back the same in the other form. */
static void
assert_other_form (const Vector *v,
                   HlEvent      *event)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) back = NULL;

  if (v->json)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (event->canonical, &len);

      back = hl_event_decode (data, len, event->sig, &error);
    }
  else
    {
      g_autofree char *line = hl_event_to_json_text (event);

      back = hl_event_from_json_text (line, -1, &error);
    }
  if (back != NULL && !hl_event_verify (back, v->now_ms, v->max_future_ms, &error))
    g_clear_pointer (&back, hl_event_free);
  assert_outcome (v, "the other form", back, error);
}

static void
test_every_path (void)
{
  g_autoptr(GPtrArray) vectors = load_vectors ();
  guint accepted = 0;

  for (guint i = 0; i < vectors->len; i++)
    {
      const Vector *v = g_ptr_array_index (vectors, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) tree_error = NULL;
      g_autoptr(HlEvent) event = read_and_verify (v, v->json ? direct : NULL, &error);

      assert_outcome (v, v->json ? "direct reader" : "canonical decoder", event, error);
      if (v->json)
        {
          g_autoptr(HlEvent) tree = read_and_verify (v, hl_event_from_json_tree, &tree_error);
          assert_outcome (v, "json-glib reader", tree, tree_error);
        }
      if (event != NULL)
        {
          assert_other_form (v, event);
          accepted++;
        }
    }
  g_test_message ("%u vectors, %u accepted", vectors->len, accepted);
  g_assert_cmpuint (vectors->len, >, 400);
}

typedef struct
{
  GHashTable *reasons;    /* line number -> reason code */
} Rejections;

static void
on_reject (guint64       line,
           const GError *error,
           gpointer      user_data)
{
  Rejections *r = user_data;

  g_hash_table_insert (r->reasons, GUINT_TO_POINTER ((guint) line),
                       g_strdup (hl_event_error_reason (error)));
}

/* The vectors a JSON lines file can carry (one line each, not blank), whose
 * outcome does not hang on the receiver's clock. */
static gboolean
importable (const Vector *v)
{
  gsize len;
  const char *data = g_bytes_get_data (v->input, &len);

  /* An empty input has no data at all (memchr must not see NULL). */
  if (len == 0)
    return FALSE;
  if (!v->json || g_str_has_prefix (v->name, "clock/") || memchr (data, '\n', len) != NULL ||
      memchr (data, '\r', len) != NULL || memchr (data, '\0', len) != NULL)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return TRUE;
  return FALSE;
}

static void
test_import (void)
{
  g_autoptr(GPtrArray) vectors = load_vectors ();
  g_autofree char *dir = g_dir_make_tmp ("test-vectors-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "hyperlink.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autoptr(GByteArray) feed = g_byte_array_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = NULL;
  g_autoptr(GInputStream) input = NULL;
  Rejections rejections = { g_hash_table_new_full (NULL, NULL, NULL, g_free) };
  HlIngestStats stats;

  for (guint i = 0; i < vectors->len; i++)
    {
      const Vector *v = g_ptr_array_index (vectors, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (v->input, &len);

      if (!importable (v))
        continue;
      g_byte_array_append (feed, data, (guint) len);
      g_byte_array_append (feed, (const guint8 *) "\n", 1);
      g_ptr_array_add (lines, (gpointer) v);
    }

  store = hl_store_open (db, &error);
  g_assert_no_error (error);
  input = g_memory_input_stream_new_from_data (feed->data, feed->len, NULL);
  g_assert_true (hl_ingest_stream (store, input, 2, &stats, on_reject, &rejections, NULL,
                                   &error));
  g_assert_no_error (error);

  for (guint i = 0; i < lines->len; i++)
    {
      const Vector *v = g_ptr_array_index (lines, i);
      const char *reason = g_hash_table_lookup (rejections.reasons, GUINT_TO_POINTER (i + 1));

      if (v->reason != NULL && g_strcmp0 (reason, v->reason) != 0)
        g_error ("%s (import): expected refusal %s, got %s", v->name, v->reason,
                 reason ? reason : "acceptance");
      if (v->id != NULL)
        {
          guint8 id[HL_ID_LEN];

          if (reason != NULL)
            g_error ("%s (import): expected id %s, got refusal %s", v->name, v->id, reason);
          g_assert_true (hl_event_hex_decode (v->id, strlen (v->id), id, HL_ID_LEN, TRUE));
          g_assert_true (hl_store_has_event (store, id));
        }
    }
  g_test_message ("imported %u vector lines: %" G_GUINT64_FORMAT " accepted, %" G_GUINT64_FORMAT
                  " duplicates, %" G_GUINT64_FORMAT " refused", lines->len, stats.accepted,
                  stats.duplicates, stats.rejected);
  g_assert_cmpuint (stats.rejected, ==, g_hash_table_size (rejections.reasons));

  g_clear_object (&store);
  g_hash_table_unref (rejections.reasons);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vectors/every-path", test_every_path);
  g_test_add_func ("/vectors/import", test_import);

  return g_test_run ();
}
