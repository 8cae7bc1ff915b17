/* test-archive-segment.c: a segment's bytes, keys, encryption, coding and
 * proofs (docs/protocol.md, "Archive").
 *
 * The test vector of docs/protocol.md ("Archive test vector") is checked
 * here; its plaintext hash, keys, nonce and ciphertext were also computed
 * independently (Python: hashlib.blake2b, HChaCha20 by hand and the
 * cryptography package's ChaCha20Poly1305).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "hl-archive.h"
#include "hl-archive-private.h"
#include "hl-error.h"
#include "hl-test-events.h"

/* The vector: the protocol's key (seed 01 02 … 20) creates #linux at
 * 1700000000000 and starts a thread a second later, both ctr 0. */
#define VEC_SUBNET_BODY  "{\"name\":\"linux\"}"
#define VEC_THREAD_BODY  "{\"title\":\"Hello\",\"body\":\"World\"}"
/* docs/protocol.md, "Archive test vector". */
#define VEC_SUBNET_ID       "90767c08b8a143928e0a25fba078fd999de43224f0ff77c4bc747131c40d0d75"
#define VEC_PLAINTEXT_BYTES 253
#define VEC_PLAINTEXT_HASH  "f654d35d604bc563d4cc5348f714a12066f293cd44396b7097da34f1511b274a"
#define VEC_SUBNET_KEY      "8cdc23adbafd7c27385c9478ba383da95fad45628b787bb94a845dcce6acf0e3"
#define VEC_SEGMENT_KEY     "bb3593821741c81e35d66d6c02983540d3b3b45f02bba03ad7dd618543bb2af0"
#define VEC_NONCE           "b04ac752f2af55d332a950e56c8623fd7f3d8da29fc47652"
#define VEC_CIPHERTEXT_HASH "09fc7d73e19e06ceb189c65b550c8762fe7ae0374ee45e5226b8b05519fc1d9e"
#define VEC_OTI             "000000010d00040001000104"
#define VEC_ROOT            "17657e7ba9765660391b6f8c4260b4a75118d9cc09f88526c5227101063c1696"

typedef struct
{
  HlIdentity *key;
  HlEvent    *subnet;
  HlEvent    *thread;
  guint8      subnet_key[HL_ARCHIVE_KEY_BYTES];
  GBytes     *plaintext;
} Vector;

static void
vector_init (Vector *v)
{
  guint8 seed[32];

  for (guint i = 0; i < 32; i++)
    seed[i] = (guint8) (i + 1);
  v->key = hl_identity_new_from_seed (seed);
  v->subnet = hl_test_event (v->key, HL_KIND_SUBNET_CREATE, 1700000000000, 0, NULL,
                             VEC_SUBNET_BODY);
  v->thread = hl_test_event (v->key, HL_KIND_THREAD_CREATE, 1700000001000, 0, v->subnet->id,
                             VEC_THREAD_BODY);
  hl_archive_subnet_key (v->subnet->id, v->subnet->sig, v->subnet_key);
  {
    GByteArray *bytes = g_byte_array_new ();
    guint8 header[HL_ARCHIVE_HEADER_BYTES];
    gsize len;
    const guint8 *raw = g_bytes_get_data (v->thread->canonical, &len);
    guint8 l[4] = { (guint8) (len >> 24), (guint8) (len >> 16), (guint8) (len >> 8),
                    (guint8) len };

    hl_archive_header (v->subnet->id, 2023, 11, 1, 0, 1, 1, header);
    g_byte_array_append (bytes, header, sizeof header);
    g_byte_array_append (bytes, l, 4);
    g_byte_array_append (bytes, raw, (guint) len);
    g_byte_array_append (bytes, v->thread->sig, HL_SIG_LEN);
    v->plaintext = g_byte_array_free_to_bytes (bytes);
  }
}

static void
vector_clear (Vector *v)
{
  g_clear_pointer (&v->plaintext, g_bytes_unref);
  g_clear_pointer (&v->subnet, hl_event_free);
  g_clear_pointer (&v->thread, hl_event_free);
  g_clear_pointer (&v->key, hl_identity_free);
}

static char *
hex (const guint8 *data,
     gsize         len)
{
  return hl_hex_dup (data, len);
}

static char *
hash_hex (GBytes *bytes)
{
  guint8 hash[HL_ID_LEN];
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  crypto_generichash (hash, sizeof hash, data, len, NULL, 0);
  return hex (hash, sizeof hash);
}

static void
test_vector (void)
{
  Vector v = { 0 };
  g_autoptr(HlSegment) segment = NULL;
  g_autoptr(GError) error = NULL;
  const HlSegmentManifest *m;
  g_autofree char *plain_hex = NULL, *ks = NULL, *k = NULL, *nonce = NULL, *cipher = NULL;
  g_autofree char *oti = NULL, *root = NULL, *subnet = NULL;

  vector_init (&v);
  segment = hl_segment_new_from_plaintext (v.plaintext, v.subnet_key, &error);
  g_assert_no_error (error);
  m = hl_segment_manifest (segment);
  subnet = hex (v.subnet->id, HL_ID_LEN);
  plain_hex = hash_hex (v.plaintext);
  ks = hex (v.subnet_key, sizeof v.subnet_key);
  k = hex (hl_segment_key (segment), HL_ARCHIVE_KEY_BYTES);
  nonce = hex (hl_segment_nonce (segment), HL_ARCHIVE_NONCE_BYTES);
  cipher = hash_hex (hl_segment_ciphertext (segment));
  oti = hex (m->oti, HL_CODEC_OTI_SIZE);
  root = hex (m->roots, HL_ID_LEN);
  g_test_message ("subnet %s, plaintext %" G_GSIZE_FORMAT " bytes, hash %s", subnet,
                  g_bytes_get_size (v.plaintext), plain_hex);
  g_test_message ("K_S %s K %s nonce %s", ks, k, nonce);
  g_test_message ("ciphertext hash %s oti %s root %s", cipher, oti, root);

  g_assert_cmpstr (subnet, ==, VEC_SUBNET_ID);
  g_assert_cmpuint (g_bytes_get_size (v.plaintext), ==, VEC_PLAINTEXT_BYTES);
  g_assert_cmpstr (plain_hex, ==, VEC_PLAINTEXT_HASH);
  g_assert_cmpstr (ks, ==, VEC_SUBNET_KEY);
  g_assert_cmpstr (k, ==, VEC_SEGMENT_KEY);
  g_assert_cmpstr (nonce, ==, VEC_NONCE);
  g_assert_cmpstr (cipher, ==, VEC_CIPHERTEXT_HASH);
  g_assert_cmpstr (oti, ==, VEC_OTI);
  g_assert_cmpstr (root, ==, VEC_ROOT);
  g_assert_cmpuint (m->size, ==, VEC_PLAINTEXT_BYTES + HL_ARCHIVE_TAG_BYTES);
  g_assert_cmpuint (m->first, ==, 1700000001000);
  g_assert_cmpuint (m->last, ==, 1700000001000);
  g_assert_cmpuint (m->n_roots, ==, 1);
  vector_clear (&v);
}

/* A manifest written by hl_segment_manifest_body reads back as itself, and
 * passes validation as a signed event. */
static void
test_manifest_round_trip (void)
{
  Vector v = { 0 };
  g_autoptr(HlSegment) segment = NULL;
  g_autoptr(HlEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(HlSegmentManifest) read = { { 0 } };
  g_autofree char *body = NULL;
  HlSegmentManifest m;

  vector_init (&v);
  segment = hl_segment_new_from_plaintext (v.plaintext, v.subnet_key, &error);
  g_assert_no_error (error);
  m = *hl_segment_manifest (segment);
  hl_archive_set_hash (m.subnet, m.year, m.month, m.gen, 1, m.hash, m.set);
  body = hl_segment_manifest_body (&m);
  event = hl_test_event (v.key, HL_KIND_ARCHIVE_SEGMENT, 1700000100000, 0, v.subnet->id, "%s",
                         body);
  g_assert_true (hl_event_verify (event, 1700000200000, 600000, &error));
  g_assert_no_error (error);
  g_assert_true (hl_segment_manifest_read (event, &read, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (read.hash, HL_ID_LEN, m.hash, HL_ID_LEN);
  g_assert_cmpmem (read.set, HL_ID_LEN, m.set, HL_ID_LEN);
  g_assert_cmpmem (read.roots, HL_ID_LEN, m.roots, HL_ID_LEN);
  g_assert_cmpuint (read.size, ==, m.size);
  g_assert_cmpuint (read.count, ==, 1);
  g_assert_false (read.has_supersedes);
  vector_clear (&v);
}

static GBytes *
random_plaintext (const guint8 *subnet,
                  HlIdentity   *author,
                  guint         n_events,
                  gsize         body_bytes)
{
  GByteArray *bytes = g_byte_array_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  guint8 header[HL_ARCHIVE_HEADER_BYTES];
  g_autofree char *filler = g_strnfill (body_bytes, 'x');

  hl_archive_header (subnet, 2024, 3, 1, 0, 1, n_events, header);
  g_byte_array_append (bytes, header, sizeof header);
  /* One per millisecond from 2024-03-01: already in (ts, id) order. */
  for (guint i = 0; i < n_events; i++)
    {
      g_autoptr(HlEvent) e = hl_test_event (author, HL_KIND_THREAD_CREATE,
                                            1709251200000 + i, 0, subnet,
                                            "{\"title\":\"t%u\",\"body\":\"%s\"}", i, filler);
      gsize len;
      const guint8 *raw = g_bytes_get_data (e->canonical, &len);
      guint8 l[4] = { (guint8) (len >> 24), (guint8) (len >> 16), (guint8) (len >> 8),
                      (guint8) len };

      g_byte_array_append (bytes, l, 4);
      g_byte_array_append (bytes, raw, (guint) len);
      g_byte_array_append (bytes, e->sig, HL_SIG_LEN);
    }
  return g_byte_array_free_to_bytes (bytes);
}

/* Every run of every length in a small block is proven by its proof alone;
 * a changed symbol, a changed hash, a hash too many or too few fail; a
 * part of a run gets the proof the full tree would give it. */
static void
test_proofs (void)
{
  g_autoptr(HlIdentity) author = hl_test_identity (3);
  guint8 subnet[HL_ID_LEN], subnet_key[HL_ARCHIVE_KEY_BYTES];
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(HlSegment) segment = NULL;
  g_autoptr(GError) error = NULL;
  const HlSegmentManifest *m;
  guint32 committed;
  g_autofree guint8 *symbols = NULL;
  g_autofree guint8 *leaves = NULL;

  memset (subnet, 0x42, sizeof subnet);
  memset (subnet_key, 0x17, sizeof subnet_key);
  plaintext = random_plaintext (subnet, author, 20, 300);
  segment = hl_segment_new_from_plaintext (plaintext, subnet_key, &error);
  g_assert_no_error (error);
  m = hl_segment_manifest (segment);
  committed = hl_archive_committed (m, 0);
  g_assert_cmpuint (committed, ==, 4 * hl_codec_oti_block_symbols (&m->codec, 0));
  symbols = g_malloc ((gsize) committed * HL_ARCHIVE_SYMBOL_SIZE);
  leaves = g_malloc ((gsize) committed * HL_ID_LEN);
  for (guint32 esi = 0; esi < committed; esi++)
    {
      g_assert_true (hl_segment_symbol (segment, 0, esi, symbols + esi * HL_ARCHIVE_SYMBOL_SIZE,
                                        NULL));
      hl_archive_leaf (0, esi, symbols + esi * HL_ARCHIVE_SYMBOL_SIZE, leaves + esi * HL_ID_LEN);
    }
  for (guint32 first = 0; first < committed; first++)
    for (guint32 count = 1; first + count <= committed; count++)
      {
        g_autoptr(GBytes) proof = hl_segment_proof (segment, 0, first, count);
        gsize len;
        const guint8 *hashes = g_bytes_get_data (proof, &len);
        g_autofree guint8 *bad = g_memdup2 (symbols + first * HL_ARCHIVE_SYMBOL_SIZE,
                                            (gsize) count * HL_ARCHIVE_SYMBOL_SIZE);

        g_assert_true (hl_archive_run_check (m, 0, first, count,
                                             symbols + first * HL_ARCHIVE_SYMBOL_SIZE, hashes,
                                             len / HL_ID_LEN, NULL, NULL));
        bad[(gsize) (count - 1) * HL_ARCHIVE_SYMBOL_SIZE + 7] ^= 0x20;
        g_assert_false (hl_archive_run_check (m, 0, first, count, bad, hashes, len / HL_ID_LEN,
                                              NULL, NULL));
        if (len > 0)
          {
            g_autofree guint8 *tampered = g_memdup2 (hashes, len);

            tampered[len - 1] ^= 1;
            g_assert_false (hl_archive_proof_check (m, 0, first, count,
                                                    leaves + first * HL_ID_LEN, tampered,
                                                    len / HL_ID_LEN, NULL));
            g_assert_false (hl_archive_proof_check (m, 0, first, count,
                                                    leaves + first * HL_ID_LEN, hashes,
                                                    len / HL_ID_LEN - 1, NULL));
          }
        /* One ESI short of the run: the boundaries differ. */
        if (count > 1)
          g_assert_false (hl_archive_proof_check (m, 0, first, count - 1,
                                                  leaves + first * HL_ID_LEN, hashes,
                                                  len / HL_ID_LEN, NULL));
        for (guint32 sub = first; sub < first + count; sub += 3)
          {
            guint32 n = MIN (count - (sub - first), 2);
            g_autoptr(GBytes) direct = hl_segment_proof (segment, 0, sub, n);
            g_autoptr(GBytes) derived = hl_merkle_subproof (committed, first, count,
                                                            leaves + first * HL_ID_LEN, hashes,
                                                            len / HL_ID_LEN, sub, n);

            g_assert_true (g_bytes_equal (direct, derived));
          }
      }
  /* Past the committed ESIs, or another block: refused. */
  g_assert_false (hl_archive_proof_check (m, 0, committed, 1, leaves, NULL, 0, &error));
  g_assert_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SYMBOL);
  g_clear_error (&error);
  g_assert_false (hl_archive_proof_check (m, 1, 0, 1, leaves, NULL, 0, &error));
  g_assert_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SYMBOL);
}

/* Any K + 2 committed symbols rebuild the ciphertext, which decrypts to the
 * plaintext; other additional data or a flipped byte do not decrypt. */
static void
test_code_and_decrypt (void)
{
  g_autoptr(HlIdentity) author = hl_test_identity (4);
  guint8 subnet[HL_ID_LEN], subnet_key[HL_ARCHIVE_KEY_BYTES];
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(HlSegment) segment = NULL;
  g_autoptr(HlCodecDecoder) decoder = NULL;
  g_autoptr(GBytes) rebuilt = NULL;
  g_autoptr(GError) error = NULL;
  const HlSegmentManifest *m;
  guint32 k, committed;
  guint8 symbol[HL_ARCHIVE_SYMBOL_SIZE], header[HL_ARCHIVE_HEADER_BYTES];
  g_autofree guint8 *plain = NULL;
  unsigned long long plain_len;
  gsize len;
  const guint8 *cipher;

  memset (subnet, 0x43, sizeof subnet);
  memset (subnet_key, 0x18, sizeof subnet_key);
  plaintext = random_plaintext (subnet, author, 400, 500);
  segment = hl_segment_new_from_plaintext (plaintext, subnet_key, &error);
  g_assert_no_error (error);
  m = hl_segment_manifest (segment);
  k = hl_codec_oti_block_symbols (&m->codec, 0);
  committed = hl_archive_committed (m, 0);
  g_assert_cmpuint (k, >, 100);
  decoder = hl_codec_decoder_new (&m->codec, &error);
  g_assert_no_error (error);
  /* The last K + 2 committed ESIs: repair symbols only. */
  for (guint32 esi = committed - k - 2; esi < committed; esi++)
    {
      g_assert_true (hl_segment_symbol (segment, 0, esi, symbol, NULL));
      g_assert_true (hl_codec_decoder_add_symbol (decoder, 0, esi, symbol, sizeof symbol, NULL));
    }
  g_assert_true (hl_codec_decoder_decode (decoder, &error));
  g_assert_no_error (error);
  rebuilt = hl_codec_decoder_steal_object (decoder);
  g_assert_true (g_bytes_equal (rebuilt, hl_segment_ciphertext (segment)));

  cipher = g_bytes_get_data (rebuilt, &len);
  plain = g_malloc (len);
  hl_archive_header (subnet, 2024, 3, 1, 0, 1, 400, header);
  g_assert_cmpint (crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &plain_len, NULL, cipher,
                                                               len, header, HL_ARCHIVE_AD_BYTES,
                                                               hl_segment_nonce (segment),
                                                               hl_segment_key (segment)), ==, 0);
  g_assert_cmpmem (plain, plain_len, g_bytes_get_data (plaintext, NULL),
                   g_bytes_get_size (plaintext));
  /* The gen is in the additional data: gen 2's header does not open gen 1. */
  hl_archive_header (subnet, 2024, 3, 2, 0, 1, 400, header);
  g_assert_cmpint (crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &plain_len, NULL, cipher,
                                                               len, header, HL_ARCHIVE_AD_BYTES,
                                                               hl_segment_nonce (segment),
                                                               hl_segment_key (segment)), !=, 0);
}

typedef struct
{
  guint n;
} Counting;

static gboolean
count_record (const guint8 *raw,
              gsize         raw_len,
              const guint8 *sig,
              gpointer      user_data)
{
  ((Counting *) user_data)->n++;
  return TRUE;
}

static GBytes *
with_byte (GBytes *bytes,
           gsize   at,
           guint8  value)
{
  guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  copy[at] = value;
  return g_bytes_new_take (copy, g_bytes_get_size (bytes));
}

/* A decoded plaintext is read only when it is exactly what its manifest
 * describes. */
static void
test_plaintext_read (void)
{
  g_autoptr(HlIdentity) author = hl_test_identity (5);
  guint8 subnet[HL_ID_LEN], subnet_key[HL_ARCHIVE_KEY_BYTES];
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(HlSegment) segment = NULL;
  g_autoptr(GError) error = NULL;
  HlSegmentManifest m;
  Counting c = { 0 };

  memset (subnet, 0x44, sizeof subnet);
  memset (subnet_key, 0x19, sizeof subnet_key);
  plaintext = random_plaintext (subnet, author, 5, 10);
  segment = hl_segment_new_from_plaintext (plaintext, subnet_key, &error);
  g_assert_no_error (error);
  m = *hl_segment_manifest (segment);
  g_assert_true (hl_archive_plaintext_read (plaintext, &m, count_record, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.n, ==, 5);
  {
    GByteArray *longer = g_byte_array_new ();
    g_autoptr(GBytes) trailing = NULL;

    g_byte_array_append (longer, g_bytes_get_data (plaintext, NULL),
                         (guint) g_bytes_get_size (plaintext));
    g_byte_array_append (longer, (const guint8 *) "x", 1);
    trailing = g_byte_array_free_to_bytes (longer);
    g_assert_false (hl_archive_plaintext_read (trailing, &m, NULL, NULL, &error));
    g_assert_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT);
    g_clear_error (&error);
  }
  {
    /* The gen in the header (byte 44, the last of four) is not the manifest's. */
    g_autoptr(GBytes) other_gen = with_byte (plaintext, 44, 2);

    g_assert_false (hl_archive_plaintext_read (other_gen, &m, NULL, NULL, &error));
    g_assert_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT);
    g_clear_error (&error);
  }
  {
    /* Two records swapped: out of (ts, id) order. */
    g_autoptr(GBytes) swapped = NULL;
    g_autoptr(GByteArray) b = g_byte_array_new ();
    const guint8 *p = g_bytes_get_data (plaintext, NULL);
    gsize at = HL_ARCHIVE_HEADER_BYTES;
    gsize first_len = 4 + ((gsize) p[at + 2] << 8 | p[at + 3]) + HL_SIG_LEN;
    gsize second_len = 4 + ((gsize) p[at + first_len + 2] << 8 | p[at + first_len + 3]) +
                       HL_SIG_LEN;

    g_byte_array_append (b, p, HL_ARCHIVE_HEADER_BYTES);
    g_byte_array_append (b, p + at + first_len, (guint) second_len);
    g_byte_array_append (b, p + at, (guint) first_len);
    g_byte_array_append (b, p + at + first_len + second_len,
                         (guint) (g_bytes_get_size (plaintext) - at - first_len - second_len));
    swapped = g_byte_array_free_to_bytes (g_steal_pointer (&b));
    g_assert_false (hl_archive_plaintext_read (swapped, &m, NULL, NULL, &error));
    g_assert_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (sodium_init () < 0)
    return 1;
  g_test_add_func ("/archive/segment/vector", test_vector);
  g_test_add_func ("/archive/segment/manifest-round-trip", test_manifest_round_trip);
  g_test_add_func ("/archive/segment/proofs", test_proofs);
  g_test_add_func ("/archive/segment/code-and-decrypt", test_code_and_decrypt);
  g_test_add_func ("/archive/segment/plaintext-read", test_plaintext_read);
  return g_test_run ();
}
