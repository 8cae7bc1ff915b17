/* test-codec.c: unit and round-trip tests of the RaptorQ codec.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-codec.h"

#include <string.h>

#include "hl-codec-gf256.h"
#include "hl-codec-rq.h"
#include "hl-codec-tables.h"

static GBytes *
random_bytes (gsize len)
{
  guint8 *p = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    p[i] = (guint8) g_test_rand_int_range (0, 256);
  return g_bytes_new_take (p, len);
}

static void
test_tables (void)
{
  g_assert_cmpuint (hl_rq_table2[0].k_prime, ==, 10);
  g_assert_cmpuint (hl_rq_table2[HL_RQ_TABLE2_LEN - 1].k_prime, ==, 56403);
  g_assert_cmpuint (hl_rq_table2[HL_RQ_TABLE2_LEN - 1].s, ==, 907);
  for (guint i = 1; i < HL_RQ_TABLE2_LEN; i++)
    g_assert_cmpuint (hl_rq_table2[i - 1].k_prime, <, hl_rq_table2[i].k_prime);
  for (guint a = 1; a < 256; a++)
    {
      g_assert_cmpuint (hl_rq_oct_exp[hl_rq_oct_log[a]], ==, a);
      g_assert_cmpuint (hl_gf_mul ((guint8) a, hl_gf_inv ((guint8) a)), ==, 1);
    }
  g_assert_cmpuint (hl_rq_v0[0], ==, 251291136u);
  g_assert_cmpuint (hl_rq_v3[255], ==, 3432275192u);
  g_assert_cmpuint (hl_rq_deg_f[30], ==, 1048576);
}

static void
test_params (void)
{
  HlRqParams p;

  g_assert_true (hl_rq_params_for_k (1, &p));
  g_assert_cmpuint (p.k_prime, ==, 10);
  g_assert_cmpuint (p.l, ==, 10 + 7 + 10);
  g_assert_true (hl_rq_params_for_k (11, &p));
  g_assert_cmpuint (p.k_prime, ==, 12);
  g_assert_true (hl_rq_params_for_k (56403, &p));
  g_assert_cmpuint (p.k_prime, ==, 56403);
  g_assert_cmpuint (p.p, ==, 56403 + 907 + 16 - 56951);
  g_assert_cmpuint (p.p1, ==, 379);
  g_assert_false (hl_rq_params_for_k (56404, &p));
}

/* Every SIMD kernel must agree with the portable one, for every constant
 * and for lengths that exercise the vector tails. */
static void
test_gf_kernels (void)
{
  guint n;
  const HlGfKernels *const *ks = hl_gf_kernels_available (&n);
  guint8 src[300], a[300], b[300];

  for (guint i = 0; i < sizeof src; i++)
    src[i] = (guint8) g_test_rand_int_range (0, 256);
  for (guint ki = 1; ki < n; ki++)
    for (guint c = 0; c < 256; c++)
      for (gsize len = 0; len <= sizeof src; len += (len < 70 ? 1 : 37))
        {
          for (guint i = 0; i < sizeof a; i++)
            a[i] = b[i] = (guint8) (i * 31 + c);
          ks[0]->muladd (a, src, (guint8) c, len);
          ks[ki]->muladd (b, src, (guint8) c, len);
          g_assert_cmpmem (a, sizeof a, b, sizeof b);
          ks[0]->scale (a, (guint8) MAX (c, 1), len);
          ks[ki]->scale (b, (guint8) MAX (c, 1), len);
          g_assert_cmpmem (a, sizeof a, b, sizeof b);
          ks[0]->xor_into (a, src, len);
          ks[ki]->xor_into (b, src, len);
          g_assert_cmpmem (a, sizeof a, b, sizeof b);
        }
  for (guint x = 0; x < 256; x++)
    {
      guint8 one = (guint8) x;

      ks[0]->scale (&one, 2, 1);
      g_assert_cmpuint (one, ==, hl_gf_mul ((guint8) x, 2));
    }
}

static void
test_oti (void)
{
  HlCodecOti o = { 123456789, 1024, 7, 3, 8 }, q;
  guint8 buf[HL_CODEC_OTI_SIZE];
  g_autoptr (GError) error = NULL;

  hl_codec_oti_serialize (&o, buf);
  g_assert_true (hl_codec_oti_parse (buf, sizeof buf, &q, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (q.transfer_length, ==, o.transfer_length);
  g_assert_cmpuint (q.symbol_size, ==, 1024);
  g_assert_cmpuint (q.source_blocks, ==, 7);
  g_assert_cmpuint (q.sub_blocks, ==, 3);
  g_assert_cmpuint (q.alignment, ==, 8);
  g_assert_false (hl_codec_oti_parse (buf, 11, &q, NULL));

  {
    static const HlCodecOti bad[] = {
      { 0, 64, 1, 1, 1 },                /* empty */
      { 1000, 0, 1, 1, 1 },              /* T = 0 */
      { 1000, 64, 0, 1, 1 },             /* Z = 0 */
      { 1000, 64, 1, 0, 1 },             /* N = 0 */
      { 1000, 64, 1, 1, 0 },             /* Al = 0 */
      { 1000, 66, 1, 1, 4 },             /* T % Al */
      { 1000, 64, 1, 17, 4 },            /* N > T / Al */
      { 1000, 64, 17, 1, 1 },            /* Z > Kt */
      { 56404, 1, 1, 1, 1 },             /* K > 56403 */
      { G_GUINT64_CONSTANT (942574504276), 65535, 255, 1, 1 }, /* F too large */
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (GError) e = NULL;

        g_assert_false (hl_codec_oti_validate (&bad[i], &e));
        g_assert_error (e, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PARAMETERS);
      }
    q = (HlCodecOti) { HL_CODEC_MAX_TRANSFER_LENGTH, 65535, 255, 1, 1 };
    g_assert_true (hl_codec_oti_validate (&q, NULL));
  }

  /* RFC 4.3 derivation, as cberner's with_defaults uses it. */
  g_assert_true (hl_codec_oti_choose (12000000, 1024, 8, 10 * 1024 * 1024, 8, &q, NULL));
  g_assert_cmpuint (q.source_blocks, ==, 1);
  g_assert_cmpuint (q.sub_blocks, ==, 2);
  g_assert_true (hl_codec_oti_choose (4000000, 64, 8, 10 * 1024 * 1024, 8, &q, NULL));
  g_assert_cmpuint (q.source_blocks, ==, 2);
  g_assert_cmpuint (q.sub_blocks, ==, 1);
  g_assert_true (hl_codec_oti_choose (1000, 64, 8, 10 * 1024 * 1024, 8, &q, NULL));
  g_assert_cmpuint (q.source_blocks, ==, 1);
  g_assert_false (hl_codec_oti_choose (1000, 60, 8, 10 * 1024 * 1024, 8, &q, NULL));
}

/* Feeds @packets (indices into the encoder's symbol space) and checks the
 * object comes back; returns FALSE if not decodable. */
static gboolean
try_decode (GBytes *data, const HlCodecOti *oti, const guint32 *esis, guint n,
            guint sbn_count)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HlCodecEncoder) enc = hl_codec_encoder_new (data, oti, &error);
  g_autoptr (HlCodecDecoder) dec = hl_codec_decoder_new (oti, &error);
  g_autofree guint8 *pkt = g_malloc (HL_CODEC_PAYLOAD_ID_SIZE + oti->symbol_size);
  gsize len;
  const guint8 *out;

  g_assert_no_error (error);
  for (guint sbn = 0; sbn < sbn_count; sbn++)
    for (guint i = 0; i < n; i++)
      {
        g_assert_true (hl_codec_encoder_packet (enc, sbn, esis[i], pkt, &error));
        g_assert_true (hl_codec_decoder_add_packet (dec, pkt, HL_CODEC_PAYLOAD_ID_SIZE + oti->symbol_size, &error));
        g_assert_no_error (error);
      }
  if (!hl_codec_decoder_decode (dec, &error))
    {
      g_assert_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_NOT_DECODABLE);
      g_assert_false (hl_codec_decoder_is_complete (dec));
      return FALSE;
    }
  g_assert_true (hl_codec_decoder_is_complete (dec));
  out = hl_codec_decoder_get_object (dec, &len);
  g_assert_cmpmem (out, len, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  return TRUE;
}

static void
roundtrip_k (guint32 k, guint16 t)
{
  gsize f = (gsize) k * t - (k > 1 ? t / 2 : 0);
  g_autoptr (GBytes) data = random_bytes (f);
  HlCodecOti oti = { f, t, 1, 1, 1 };
  g_autofree guint32 *esis = g_new (guint32, 2 * k + 8);
  guint n, extra;

  g_assert_cmpuint (hl_codec_oti_block_symbols (&oti, 0), ==, k);
  /* All source symbols. */
  for (n = 0; n < k; n++)
    esis[n] = n;
  g_assert_true (try_decode (data, &oti, esis, n, 1));
  /* Repair only, from a random starting point up to the 24-bit limit. */
  for (extra = 0;; extra++)
    {
      guint32 base = g_test_rand_bit () ? k : (guint32) g_test_rand_int_range (k, HL_CODEC_MAX_ESI - 2 * (gint) k - 8);

      for (n = 0; n < k + extra; n++)
        esis[n] = base + n;
      if (try_decode (data, &oti, esis, n, 1))
        break;
      g_assert_cmpuint (extra, <, 4);
    }
  /* A shuffled mix of exactly K (+ a few), with duplicates. */
  for (extra = 0;; extra++)
    {
      guint lost = 1 + (guint) g_test_rand_int_range (0, (gint) k);

      n = 0;
      for (guint32 i = 0; i < k; i++)
        esis[n++] = i;
      for (guint i = 0; i < lost; i++)
        {
          guint j = (guint) g_test_rand_int_range (0, (gint) n);
          esis[j] = esis[--n];
        }
      for (guint i = 0; i < lost + extra; i++)
        esis[n++] = k + 7 * i;
      esis[n++] = esis[0];  /* duplicate */
      for (guint i = n - 1; i > 0; i--)
        {
          guint j = (guint) g_test_rand_int_range (0, (gint) i + 1);
          guint32 tmp = esis[i];
          esis[i] = esis[j];
          esis[j] = tmp;
        }
      if (try_decode (data, &oti, esis, n, 1))
        break;
      g_assert_cmpuint (extra, <, 4);
    }
}

static void
test_roundtrip_small_k (void)
{
  for (guint32 k = 1; k <= 60; k++)
    roundtrip_k (k, (guint16) (1 + k % 17));
}

static void
test_roundtrip_boundaries (void)
{
  /* K' boundaries of Table 2 and a few thousand-symbol blocks. */
  static const guint32 ks[] = { 100, 101, 116, 117, 118, 119, 120, 211, 212, 1000, 1002, 1003, 2000, 4096 };

  for (guint i = 0; i < G_N_ELEMENTS (ks); i++)
    roundtrip_k (ks[i], 8);
  /* Over 4 MB of symbols: the decoder works in place instead of on a copy. */
  roundtrip_k (4500, 1024);
}

static void
test_roundtrip_largest (void)
{
  roundtrip_k (56403, 4);
}

/* Z > 1 and N > 1, with uneven blocks and sub-blocks. */
static void
test_roundtrip_blocks (void)
{
  static const HlCodecOti otis[] = {
    { 10000, 64, 3, 1, 1 },
    { 10000, 64, 1, 4, 4 },
    { 10001, 60, 7, 5, 4 },
    { 77777, 100, 5, 3, 2 },
    { 1000, 24, 42, 6, 4 },
    { 5000, 255, 2, 255, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (otis); i++)
    {
      const HlCodecOti *oti = &otis[i];
      g_autoptr (GBytes) data = random_bytes (oti->transfer_length);
      g_autoptr (HlCodecEncoder) enc = hl_codec_encoder_new (data, oti, NULL);
      g_autoptr (HlCodecDecoder) dec = hl_codec_decoder_new (oti, NULL);
      gsize plen = HL_CODEC_PAYLOAD_ID_SIZE + oti->symbol_size;
      g_autofree guint8 *pkt = g_malloc (plen);
      gsize len;
      const guint8 *out;

      g_assert_nonnull (enc);
      /* Blocks are fed interleaved, each losing a third of its source
       * symbols and getting repair symbols (plus 2 spare) instead. */
      for (guint32 esi = 0; esi < 2 * 56403; esi++)
        {
          gboolean any = FALSE;

          for (guint sbn = 0; sbn < oti->source_blocks; sbn++)
            {
              guint32 k = hl_codec_oti_block_symbols (oti, sbn);

              if (esi >= k + k / 3 + 3)
                continue;
              any = TRUE;
              if (esi < k && esi % 3 == 1)
                continue;
              g_assert_true (hl_codec_encoder_packet (enc, sbn, esi, pkt, NULL));
              g_assert_true (hl_codec_decoder_add_packet (dec, pkt, plen, NULL));
            }
          if (!any)
            break;
        }
      g_assert_true (hl_codec_decoder_decode (dec, NULL));
      out = hl_codec_decoder_get_object (dec, &len);
      g_assert_cmpmem (out, len, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
    }
}

/* Every K' of Table 2 must give a solvable encoding system. */
static void
test_all_kprime (void)
{
  for (guint i = 0; i < HL_RQ_TABLE2_LEN; i++)
    {
      g_autoptr (HlRqSchedule) s = hl_rq_schedule_for_encoding (hl_rq_table2[i].k_prime);

      g_assert_nonnull (s);
      g_assert_cmpuint (s->n_rows, ==, hl_rq_table2[i].k_prime);
    }
}

/* Encoders share the schedule cache and decoders use per-thread scratch:
 * run both from several threads at once. */
static gpointer
thread_roundtrip (gpointer data)
{
  guint32 k = GPOINTER_TO_UINT (data);
  gsize f = (gsize) k * 16;
  guint8 *buf = g_malloc (f);
  g_autoptr (GBytes) obj = NULL;
  HlCodecOti oti = { f, 16, 1, 1, 1 };
  guint8 pkt[HL_CODEC_PAYLOAD_ID_SIZE + 16];

  for (gsize i = 0; i < f; i++)
    buf[i] = (guint8) (i * 7 + k);
  obj = g_bytes_new_take (buf, f);
  for (guint round = 0; round < 20; round++)
    {
      g_autoptr (HlCodecEncoder) enc = hl_codec_encoder_new (obj, &oti, NULL);
      g_autoptr (HlCodecDecoder) dec = hl_codec_decoder_new (&oti, NULL);
      gsize len;
      const guint8 *out;

      /* Every third source symbol lost, repair (and 3 spare) instead. */
      for (guint32 esi = 0; esi < k + k / 3 + 3; esi++)
        {
          if (esi < k && esi % 3 == round % 3)
            continue;
          g_assert_true (hl_codec_encoder_packet (enc, 0, esi + (esi >= k ? round * 1000 : 0), pkt, NULL));
          g_assert_true (hl_codec_decoder_add_packet (dec, pkt, sizeof pkt, NULL));
        }
      g_assert_true (hl_codec_decoder_decode (dec, NULL));
      out = hl_codec_decoder_get_object (dec, &len);
      g_assert_cmpmem (out, len, g_bytes_get_data (obj, NULL), f);
    }
  return NULL;
}

static void
test_threads (void)
{
  static const guint32 ks[] = { 300, 1000, 300, 2500 };
  GThread *threads[G_N_ELEMENTS (ks)];

  for (guint i = 0; i < G_N_ELEMENTS (ks); i++)
    threads[i] = g_thread_new ("codec", thread_roundtrip, GUINT_TO_POINTER (ks[i]));
  for (guint i = 0; i < G_N_ELEMENTS (ks); i++)
    g_thread_join (threads[i]);
}

static void
test_encoder_errors (void)
{
  g_autoptr (GBytes) data = random_bytes (1000);
  HlCodecOti oti = { 1000, 100, 1, 1, 1 };
  g_autoptr (HlCodecEncoder) enc = hl_codec_encoder_new (data, &oti, NULL);
  guint8 sym[100];
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  HlCodecOti bad = { 1000, 100, 1, 1, 3 };

  g_assert_false (hl_codec_encoder_symbol (enc, 1, 0, sym, &e1));
  g_assert_error (e1, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PACKET);
  g_assert_false (hl_codec_encoder_symbol (enc, 0, HL_CODEC_MAX_ESI + 1, sym, &e2));
  g_assert_true (hl_codec_encoder_symbol (enc, 0, HL_CODEC_MAX_ESI, sym, NULL));
  g_assert_null (hl_codec_encoder_new (data, &bad, &e3));
  g_assert_error (e3, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PARAMETERS);
}

static void
test_decoder_errors (void)
{
  HlCodecOti oti = { 1000, 100, 2, 1, 1 };
  g_autoptr (HlCodecDecoder) dec = hl_codec_decoder_new (&oti, NULL);
  guint8 pkt[HL_CODEC_PAYLOAD_ID_SIZE + 101] = { 0 };
  GError *e = NULL;

  g_assert_false (hl_codec_decoder_add_packet (dec, pkt, 3, &e));
  g_assert_error (e, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PACKET);
  g_clear_error (&e);
  g_assert_false (hl_codec_decoder_add_packet (dec, pkt, sizeof pkt, &e));  /* T + 1 */
  g_assert_error (e, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PACKET);
  g_clear_error (&e);
  pkt[0] = 2;  /* SBN >= Z */
  g_assert_false (hl_codec_decoder_add_packet (dec, pkt, sizeof pkt - 1, &e));
  g_assert_error (e, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PACKET);
  g_clear_error (&e);
  g_assert_false (hl_codec_decoder_add_symbol (dec, 0, HL_CODEC_MAX_ESI + 1, pkt, 100, &e));
  g_assert_error (e, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PACKET);
  g_clear_error (&e);
  g_assert_false (hl_codec_decoder_decode (dec, &e));
  g_assert_error (e, HL_CODEC_ERROR, HL_CODEC_ERROR_NOT_DECODABLE);
  g_clear_error (&e);
  g_assert_null (hl_codec_decoder_get_object (dec, NULL));
  oti.sub_blocks = 101;
  g_assert_null (hl_codec_decoder_new (&oti, &e));
  g_assert_error (e, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PARAMETERS);
  g_clear_error (&e);
}

/* Known answers produced by cberner's raptorq (see kat/make-kat.mjs):
 * our encoder must reproduce every packet, our decoder must decode the
 * repair packets alone and a mix. */
static void
test_known_answers (gconstpointer name)
{
  g_autofree char *in_path = g_test_build_filename (G_TEST_DIST, "kat", (const char *) name, NULL);
  g_autofree char *rq_path = g_strconcat (in_path, ".rq", NULL);
  g_autofree char *obj_path = g_strconcat (in_path, ".in", NULL);
  g_autofree char *rq = NULL, *obj = NULL;
  gsize rq_len, obj_len, plen;
  HlCodecOti oti;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (HlCodecEncoder) enc = NULL;
  g_autoptr (HlCodecDecoder) repair_only = NULL;
  g_autoptr (HlCodecDecoder) mix = NULL;
  g_autofree guint8 *pkt = NULL;
  guint32 k, n_packets, n_repair = 0, n_mix = 0;
  gsize len;
  const guint8 *out;

  g_assert_true (g_file_get_contents (rq_path, &rq, &rq_len, NULL));
  g_assert_true (g_file_get_contents (obj_path, &obj, &obj_len, NULL));
  g_assert_true (hl_codec_oti_parse ((const guint8 *) rq, rq_len, &oti, NULL));
  g_assert_cmpuint (oti.transfer_length, ==, obj_len);
  g_assert_cmpuint (oti.source_blocks, ==, 1);
  plen = HL_CODEC_PAYLOAD_ID_SIZE + oti.symbol_size;
  g_assert_cmpuint ((rq_len - HL_CODEC_OTI_SIZE) % plen, ==, 0);
  n_packets = (guint32) ((rq_len - HL_CODEC_OTI_SIZE) / plen);
  k = hl_codec_oti_block_symbols (&oti, 0);

  data = g_bytes_new (obj, obj_len);
  enc = hl_codec_encoder_new (data, &oti, NULL);
  repair_only = hl_codec_decoder_new (&oti, NULL);
  mix = hl_codec_decoder_new (&oti, NULL);
  pkt = g_malloc (plen);
  for (guint32 i = 0; i < n_packets; i++)
    {
      const guint8 *p = (const guint8 *) rq + HL_CODEC_OTI_SIZE + (gsize) i * plen;
      guint32 esi = ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];

      g_assert_true (hl_codec_encoder_packet (enc, p[0], esi, pkt, NULL));
      g_assert_cmpmem (pkt, plen, p, plen);
      if (esi >= k)
        {
          g_assert_true (hl_codec_decoder_add_packet (repair_only, p, plen, NULL));
          n_repair++;
        }
      if ((esi >= k || esi % 2 == 0) && n_mix < k + 2)
        {
          g_assert_true (hl_codec_decoder_add_packet (mix, p, plen, NULL));
          n_mix++;
        }
    }
  if (n_repair >= k + 2)
    {
      g_assert_true (hl_codec_decoder_decode (repair_only, NULL));
      out = hl_codec_decoder_get_object (repair_only, &len);
      g_assert_cmpmem (out, len, obj, obj_len);
    }
  if (n_mix >= k)
    {
      g_assert_true (hl_codec_decoder_decode (mix, NULL));
      out = hl_codec_decoder_get_object (mix, &len);
      g_assert_cmpmem (out, len, obj, obj_len);
    }
}

int
main (int argc, char **argv)
{
  static const char *const kats[] = { "k1-t64", "k11-t96", "k26-t72", "k118-t256", "k1000-t64" };

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/codec/tables", test_tables);
  g_test_add_func ("/codec/params", test_params);
  g_test_add_func ("/codec/gf-kernels", test_gf_kernels);
  g_test_add_func ("/codec/oti", test_oti);
  g_test_add_func ("/codec/roundtrip/small-k", test_roundtrip_small_k);
  g_test_add_func ("/codec/roundtrip/boundaries", test_roundtrip_boundaries);
  g_test_add_func ("/codec/roundtrip/largest", test_roundtrip_largest);
  g_test_add_func ("/codec/roundtrip/blocks", test_roundtrip_blocks);
  g_test_add_func ("/codec/all-kprime", test_all_kprime);
  g_test_add_func ("/codec/threads", test_threads);
  g_test_add_func ("/codec/encoder-errors", test_encoder_errors);
  g_test_add_func ("/codec/decoder-errors", test_decoder_errors);
  for (guint i = 0; i < G_N_ELEMENTS (kats); i++)
    {
      g_autofree char *path = g_strdup_printf ("/codec/known-answer/%s", kats[i]);
      g_test_add_data_func (path, kats[i], test_known_answers);
    }
  return g_test_run ();
}
