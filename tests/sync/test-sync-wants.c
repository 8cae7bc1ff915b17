/* test-sync-wants.c: what a peer claiming many events we lack costs a real
 * node: it asks for them a window at a time (HL_SYNC_WANTS_OUTSTANDING
 * unanswered at most), keeps at most HL_SYNC_MAX_WANT_BACKLOG waiting, and
 * asks for each once (docs/protocol.md, "Sync limits").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <stdlib.h>

#include "hl-sync-wire.h"
#include "hl-test-client.h"

static int
compare_u64 (const void *a,
             const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* @n distinct random 8-byte prefixes, sorted. */
static GArray *
random_prefixes (guint n)
{
  GArray *prefixes = g_array_sized_new (FALSE, FALSE, sizeof (guint64), n);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  while (prefixes->len < n)
    {
      guint64 p;

      randombytes_buf (&p, sizeof p);
      g_array_append_val (prefixes, p);
    }
  qsort (prefixes->data, prefixes->len, sizeof (guint64), compare_u64);
  for (guint i = 1; i < prefixes->len; i++)
    g_assert_cmpuint (g_array_index (prefixes, guint64, i - 1), <, g_array_index (prefixes, guint64, i));
  return prefixes;
}

/* An opening RECON frame: one range [(0), ∞) listing @n prefixes from
 * @first of @prefixes: "I hold exactly these". */
static GByteArray *
idlist_frame (GArray *prefixes,
              guint   first,
              guint   n)
{
  GByteArray *frame = g_byte_array_new ();
  guint8 header[2] = { HL_SYNC_FRAME_RECON, HL_SYNC_RECON_INITIATOR };

  g_byte_array_append (frame, header, sizeof header);
  hl_sync_put_varint (frame, 0);   /* the bound ∞ */
  hl_sync_put_varint (frame, 0);
  hl_sync_put_varint (frame, 2);   /* IdList */
  hl_sync_put_varint (frame, n);
  for (guint i = first; i < first + n; i++)
    {
      guint64 p = g_array_index (prefixes, guint64, i);
      guint8 bytes[HL_SYNC_PREFIX_LEN];

      for (guint k = 0; k < HL_SYNC_PREFIX_LEN; k++)
        bytes[k] = (p >> (8 * (HL_SYNC_PREFIX_LEN - 1 - k))) & 0xff;
      g_byte_array_append (frame, bytes, sizeof bytes);
    }
  return frame;
}

typedef struct
{
  HlTestClient *client;
  guint         seen;        /* texts read */
  GHashTable   *asked;       /* char * hex, every id asked for */
  GPtrArray    *unanswered;  /* char * hex, asked and not yet answered */
} Asker;

/* Reads the want messages that came since the last call; every id must
 * be asked for once only. */
static void
read_wants (Asker *asker)
{
  for (; asker->seen < asker->client->texts->len; asker->seen++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *obj;
      JsonArray *ids;

      g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (asker->client->texts, asker->seen),
                                                 -1, NULL));
      obj = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member (obj, "type"), "want") != 0)
        continue;
      ids = json_object_get_array_member (obj, "ids");
      g_assert_cmpuint (json_array_get_length (ids), <=, HL_SYNC_MAX_WANTS);
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          const char *hex = json_array_get_string_element (ids, i);

          g_assert_false (g_hash_table_contains (asker->asked, hex));
          g_hash_table_add (asker->asked, g_strdup (hex));
          g_ptr_array_add (asker->unanswered, g_strdup (hex));
        }
      g_assert_cmpuint (asker->unanswered->len, <=, HL_SYNC_WANTS_OUTSTANDING);
    }
}

/* Runs the loop until @n ids in all were asked for, or 60 s pass. */
static gboolean
wait_asked (Asker *asker,
            guint  n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_hash_table_size (asker->asked) < n && g_get_monotonic_time () < deadline &&
         !asker->client->closed)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      read_wants (asker);
      g_usleep (1000);
    }
  return g_hash_table_size (asker->asked) >= n;
}

/* Says `gone` for everything asked so far. */
static void
answer_gone (Asker *asker)
{
  while (asker->unanswered->len > 0)
    {
      g_autoptr(GString) text = g_string_new ("{\"type\":\"gone\",\"ids\":[");
      guint n = MIN (asker->unanswered->len, HL_SYNC_MAX_WANTS);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (text, "%s\"%s\"", i > 0 ? "," : "",
                                (const char *) g_ptr_array_index (asker->unanswered, i));
      g_string_append (text, "]}");
      hl_test_client_text (asker->client, text->str);
      g_ptr_array_remove_range (asker->unanswered, 0, n);
    }
}

static void
asker_init (Asker        *asker,
            HlTestClient *client)
{
  asker->client = client;
  asker->seen = 0;
  asker->asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  asker->unanswered = g_ptr_array_new_with_free_func (g_free);
}

static void
asker_clear (Asker *asker)
{
  g_hash_table_unref (asker->asked);
  g_ptr_array_unref (asker->unanswered);
}

/* A peer lists 20,000 ids the node lacks: the node never has more than the
 * window of them asked and unanswered, asks for the next ones as answers
 * come, and asks for every one exactly once. */
static void
test_want_window (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlTestClient) client = NULL;
  g_autoptr(GArray) prefixes = random_prefixes (20000);
  g_autoptr(GByteArray) frame = idlist_frame (prefixes, 0, prefixes->len);
  Asker asker;

  hl_test_node_start (a);
  client = hl_test_client_connect (a);
  g_assert_nonnull (client);
  hl_test_client_handshake (client, me, "[]");
  asker_init (&asker, client);
  hl_test_client_binary (client, frame->data, frame->len);

  while (g_hash_table_size (asker.asked) < prefixes->len)
    {
      guint before = g_hash_table_size (asker.asked);

      /* A full window, or what is left. */
      g_assert_true (wait_asked (&asker, MIN (before + HL_SYNC_WANTS_OUTSTANDING, prefixes->len)));
      g_assert_cmpuint (asker.unanswered->len, <=, HL_SYNC_WANTS_OUTSTANDING);
      answer_gone (&asker);
    }
  g_assert_cmpuint (g_hash_table_size (asker.asked), ==, prefixes->len);
  g_assert_false (client->closed);
  asker_clear (&asker);
  hl_test_node_stop (a);
}

/* Three exchanges list 300,000 ids in all while the peer answers nothing:
 * the node keeps the window asked and at most HL_SYNC_MAX_WANT_BACKLOG
 * waiting; the rest is left to a later exchange, and the connection
 * stays. */
static void
test_want_backlog (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlTestClient) client = NULL;
  g_autoptr(GArray) prefixes = random_prefixes (300000);
  const guint per_frame = 100000;
  const guint expected = HL_SYNC_MAX_WANT_BACKLOG + HL_SYNC_WANTS_OUTSTANDING;
  Asker asker;

  hl_test_node_start (a);
  client = hl_test_client_connect (a);
  g_assert_nonnull (client);
  hl_test_client_handshake (client, me, "[]");
  asker_init (&asker, client);
  for (guint f = 0; f < 3; f++)
    {
      g_autoptr(GByteArray) frame = idlist_frame (prefixes, f * per_frame, per_frame);

      hl_test_client_binary (client, frame->data, frame->len);
    }
  /* The first window is asked at once, the rest waits for answers. The
   * node takes messages in order, so all three frames are in before the
   * first answer: it keeps the first window and a full backlog. */
  g_assert_true (wait_asked (&asker, HL_SYNC_WANTS_OUTSTANDING));
  while (g_hash_table_size (asker.asked) < expected)
    {
      guint before = g_hash_table_size (asker.asked);

      answer_gone (&asker);
      g_assert_true (wait_asked (&asker, MIN (before + HL_SYNC_WANTS_OUTSTANDING, expected)));
    }
  g_assert_cmpuint (g_hash_table_size (asker.asked), ==, expected);
  answer_gone (&asker);
  g_assert_false (client->closed);
  asker_clear (&asker);
  hl_test_node_stop (a);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/sync/wants/window", test_want_window);
  g_test_add_func ("/sync/wants/backlog", test_want_backlog);
  return g_test_run ();
}
