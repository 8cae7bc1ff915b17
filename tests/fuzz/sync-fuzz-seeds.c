/* sync-fuzz-seeds.c: writes the seed corpora of the sync fuzz targets
 * (fuzz_sync_targets in meson.build), so that they start from inputs that
 * reach deep: real frames, signed events, signed invites.
 *
 *   _build/tests/fuzz/sync-fuzz-seeds tests/fuzz/corpus
 *
 * It writes into DIR/<target>/seed-*; libFuzzer adds what it finds beside.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>

#include "hl-invite.h"
#include "hl-reconcile.h"

static const char *top;

static void
write_seed (const char   *target,
            const char   *name,
            const guint8 *bytes,
            gsize         len)
{
  g_autofree char *dir = g_build_filename (top, target, NULL);
  g_autofree char *file = g_strdup_printf ("seed-%s", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  if (!g_file_set_contents (path, (const char *) bytes, (gssize) len, &error))
    g_error ("Cannot write %s: %s", path, error->message);
}

static void
write_text (const char *target,
            const char *name,
            const char *text)
{
  write_seed (target, name, (const guint8 *) text, strlen (text));
}

/* ---- fuzz-recon-frame and fuzz-reconcile ---- */

/* The same sets as fuzz-recon-frame's make_set. */
static HlSyncSet *
recon_set (guint8 shape)
{
  HlSyncSet *set = hl_sync_set_new ();
  GRand *rand = g_rand_new_with_seed (shape);
  guint n = shape & 0x3f, per_ms = 1 + (shape >> 6);

  for (guint i = 0; i < n; i++)
    {
      guint8 id[HL_ID_LEN];

      for (guint k = 0; k < HL_ID_LEN; k++)
        id[k] = (guint8) g_rand_int_range (rand, 0, 256);
      hl_sync_set_add (set, i / per_ms, id);
    }
  g_rand_free (rand);
  hl_sync_set_seal (set);
  return set;
}

static void
recon_seed (const char      *name,
            guint8           shape,
            guint8           params,
            const GByteArray *frame)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();
  guint8 head[2] = { shape, params };

  g_byte_array_append (input, head, 2);
  g_byte_array_append (input, frame->data, frame->len);
  write_seed ("fuzz-recon-frame", name, input->data, input->len);
}

/* Every frame of an exchange between two of fuzz-recon-frame's sets. */
static void
recon_frame_seeds (void)
{
  static const guint8 shapes[][2] = { { 0, 40 }, { 45, 50 }, { 0x80 | 60, 0x40 | 55 }, { 5, 63 } };
  static const guint8 hand[][16] = {
    { 1, 0, 0, 0, 2, 0 },                          /* [(0), ∞) "I hold nothing" */
    { 1, 1, 6, 1, 0x80, 0, 0, 0, 1 },              /* Skip to (5, 80), Fingerprint to ∞ (short) */
    { 1, 0, 3, 0, 2, 1, 1, 2, 3, 4, 5, 6, 7 },     /* an IdList of one, short by a byte */
  };
  static const gsize hand_len[] = { 6, 9, 13 };
  HlReconParams params;

  hl_recon_params_default (&params);
  params.leaf = 8;
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      HlSyncSet *a = recon_set (shapes[s][0]), *b = recon_set (shapes[s][1]);
      HlSyncSet *sides[2] = { b, a };
      guint8 shape_of[2] = { shapes[s][1], shapes[s][0] };
      g_autoptr(GByteArray) msg = hl_recon_initiate (a, &params);

      for (guint turn = 0; turn < 16; turn++)
        {
          g_autofree char *name = g_strdup_printf ("exchange-%u-%u", s, turn);
          HlReconResult result = { 0 };

          /* Params byte: branches 8, leaf 8, as used here. */
          recon_seed (name, shape_of[turn % 2], 6 | (8 << 3), msg);
          if (!hl_recon_process (sides[turn % 2], &params, msg->data, msg->len, &result, NULL) ||
              result.reply == NULL)
            {
              hl_recon_result_clear (&result);
              break;
            }
          g_byte_array_unref (msg);
          msg = g_steal_pointer (&result.reply);
          hl_recon_result_clear (&result);
        }
      hl_sync_set_free (a);
      hl_sync_set_free (b);
    }
  for (guint i = 0; i < G_N_ELEMENTS (hand); i++)
    {
      g_autoptr(GByteArray) frame = g_byte_array_new ();
      g_autofree char *name = g_strdup_printf ("hand-%u", i);

      g_byte_array_append (frame, hand[i], (guint) hand_len[i]);
      recon_seed (name, 20, 0x80 | 2, frame);
    }
}

static void
reconcile_seeds (void)
{
  static const struct { const char *name; guint8 params, budget; guint keys; guint32 seed; } cases[] = {
    { "empty", 0x26, 0, 0, 1 },
    { "one-each", 0x26, 0, 2, 2 },
    { "small", 0x26, 0, 40, 3 },
    { "leaves", 0x13, 0, 120, 4 },
    { "truncated", 0x26, 2, 200, 5 },
    { "crowded-ms", 0x82, 1, 300, 6 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GByteArray) input = g_byte_array_new ();
      GRand *rand = g_rand_new_with_seed (cases[c].seed);
      guint8 head[2] = { cases[c].params, cases[c].budget };

      g_byte_array_append (input, head, 2);
      for (guint k = 0; k < cases[c].keys; k++)
        {
          /* Mostly shared keys, a millisecond apart or in the same one. */
          guint8 key[2] = { (guint8) ((g_rand_int_range (rand, 0, 8) << 5) |
                                      (g_rand_int_range (rand, 0, 10) < 7 ? 2 : g_rand_int_range (rand, 0, 2))),
                            (guint8) g_rand_int_range (rand, 0, 4) };
          g_byte_array_append (input, key, 2);
        }
      write_seed ("fuzz-reconcile", cases[c].name, input->data, input->len);
      g_rand_free (rand);
    }
}

/* ---- fuzz-events-frame ---- */

static HlEvent *
signed_event (HlIdentity   *author,
              const char   *kind,
              guint64       ms,
              const guint8 *ref,
              const char   *body)
{
  HlTimestamp ts = { ms, 0 };
  HlEvent *event = hl_event_new (kind, hl_identity_get_public_key (author), &ts, ref, body);

  hl_event_sign (event, author);
  return event;
}

static void
put_record (GByteArray *frame,
            HlEvent    *event)
{
  gsize len;
  const guint8 *raw = g_bytes_get_data (event->canonical, &len);

  hl_sync_put_event (frame, raw, len, event->sig);
}

static void
events_seeds (void)
{
  guint8 seed[32];
  g_autoptr(HlIdentity) author = NULL;
  g_autoptr(HlEvent) subnet = NULL;
  g_autoptr(HlEvent) thread = NULL;
  g_autoptr(HlEvent) reply = NULL;
  g_autoptr(HlEvent) profile = NULL;
  g_autoptr(GByteArray) one = g_byte_array_new ();
  g_autoptr(GByteArray) three = g_byte_array_new ();
  g_autoptr(GByteArray) tampered = g_byte_array_new ();
  guint8 type = HL_SYNC_FRAME_EVENTS;
  guint64 ms = 1700000000000;

  memset (seed, 0x5e, sizeof seed);
  author = hl_identity_new_from_seed (seed);
  subnet = signed_event (author, HL_KIND_SUBNET_CREATE, ms, NULL, "{\"name\":\"fuzz\"}");
  thread = signed_event (author, HL_KIND_THREAD_CREATE, ms + 1, subnet->id,
                         "{\"title\":\"A thread\",\"body\":\"Its text.\"}");
  reply = signed_event (author, HL_KIND_REPLY_CREATE, ms + 2, thread->id, "{\"body\":\"A reply.\"}");
  profile = signed_event (author, HL_KIND_PROFILE, ms + 3, NULL, "{\"name\":\"Fuzz\"}");

  g_byte_array_append (one, &type, 1);
  put_record (one, subnet);
  write_seed ("fuzz-events-frame", "one", one->data, one->len);

  g_byte_array_append (three, &type, 1);
  put_record (three, thread);
  put_record (three, reply);
  put_record (three, profile);
  write_seed ("fuzz-events-frame", "three", three->data, three->len);

  g_byte_array_append (tampered, three->data, three->len);
  tampered->data[tampered->len - 70] ^= 0x01;      /* a body byte of the last */
  write_seed ("fuzz-events-frame", "tampered", tampered->data, tampered->len);
  write_seed ("fuzz-events-frame", "empty", &type, 1);
}

/* ---- invites and addresses ---- */

static void
invite_seeds (void)
{
  guint8 seed[32], subnet[HL_ID_LEN];
  g_autoptr(HlIdentity) inviter = NULL;
  const char *addresses[] = { "ws://100.64.0.1:9473", "ws://[fd7a:115c:a1e0::1]:9473", "ws://alpha.example.ts.net", NULL };
  const char *bootstrap[] = { "ws://boot.example.org:9000/hyperlink", NULL };
  const char *none[] = { NULL };
  struct { const char *name; const char **addrs; const char **boot; guint uses; gboolean subnet; } cases[] = {
    { "plain", addresses, none, 1, FALSE },
    { "subnet-bootstrap", addresses, bootstrap, 5, TRUE },
    { "bootstrap-only", none, bootstrap, 1000, TRUE },
  };

  memset (seed, 0x1f, sizeof seed);
  memset (subnet, 0xab, sizeof subnet);
  inviter = hl_identity_new_from_seed (seed);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlInvite) invite = hl_invite_new (inviter, cases[c].addrs, cases[c].boot,
                                                  1800000000000, cases[c].uses,
                                                  cases[c].subnet ? subnet : NULL, &error);
      g_autofree char *link = NULL;
      g_autoptr(JsonNode) token = NULL;
      g_autofree char *token_text = NULL;

      g_assert_no_error (error);
      link = hl_invite_to_link (invite);
      write_text ("fuzz-invite-link", cases[c].name, link);
      token = hl_invite_token_to_json (invite);
      token_text = json_to_string (token, FALSE);
      write_text ("fuzz-invite-token", cases[c].name, token_text);
    }
  write_text ("fuzz-invite-link", "not-base64", HL_INVITE_LINK_PREFIX "not base64!");
  write_text ("fuzz-invite-token", "null-subnet",
              "{\"id\":\"00112233445566778899aabbccddeeff\",\"exp\":1800000000000,\"uses\":1,"
              "\"subnet\":null,\"sig\":\"" "00000000000000000000000000000000"
              "00000000000000000000000000000000" "00000000000000000000000000000000"
              "00000000000000000000000000000000" "\"}");
}

static void
address_seeds (void)
{
  static const char *addresses[][2] = {
    { "ipv4", "ws://127.0.0.1:9473" },
    { "no-port", "ws://alpha.example.ts.net" },
    { "ipv6", "ws://[fd7a:115c:a1e0::1]:9473/" },
    { "path", "ws://boot.example.org:9000/hyperlink/sync" },
    { "userinfo", "ws://user:pw@host:1" },
    { "query", "ws://host:2/?q=1" },
    { "http", "http://host:9473" },
    { "port-zero", "ws://host:0" },
    { "port-big", "ws://host:65536" },
    { "percent", "ws://ho%73t:9473/%2e%2e" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    write_text ("fuzz-sync-address", addresses[i][0], addresses[i][1]);
}

int
main (int    argc,
      char **argv)
{
  if (argc != 2 || sodium_init () < 0)
    {
      g_printerr ("Usage: %s DIR: writes the sync fuzz targets' seeds into DIR/<target>/\n", argv[0]);
      return 2;
    }
  top = argv[1];
  recon_frame_seeds ();
  reconcile_seeds ();
  events_seeds ();
  invite_seeds ();
  address_seeds ();
  return 0;
}
