/* bench-codec.c: RaptorQ codec throughput, memory and failure rates.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-codec [--runs N] [--cpu-time] [--failure-trials N] [--skip-memory]
 *
 * Throughput is bytes of object per second (10^6 B/s = 1 MB/s), single
 * thread, best of --runs in-process runs.  encode = build the encoder,
 * compute the intermediate symbols, write all K source packets and 10%
 * repair packets; decode = build the decoder, add the packets (all source,
 * or 10% of the source replaced by as many repair packets: exactly K),
 * decode and take the object.  Packets are made outside the timed region;
 * small objects are processed many times per timed run (>= ~20 ms).
 */
#include "config.h"

#include "hl-codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hl-codec-gf256.h"
#include "hl-codec-rq.h"

static guint runs = 9;
static gboolean cpu_time;

/* Wall-clock seconds, or with --cpu-time this thread's CPU seconds (steadier
 * when other jobs share the machine; not the headline figure). */
static double
now (void)
{
  struct timespec ts;

  if (!cpu_time)
    return (double) g_get_monotonic_time () / 1e6;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static GBytes *
make_object (gsize len)
{
  guint8 *p = g_malloc (len);
  guint32 x = 88172645;

  for (gsize i = 0; i < len; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      p[i] = (guint8) x;
    }
  return g_bytes_new_take (p, len);
}

/* Makes the packets a receiver gets: all source, or with every tenth
 * source symbol replaced by a repair symbol. */
static guint8 *
make_packets (GBytes *obj, const HlCodecOti *oti, gboolean loss, guint *n_out)
{
  g_autoptr (HlCodecEncoder) enc = hl_codec_encoder_new (obj, oti, NULL);
  guint32 k = hl_codec_oti_block_symbols (oti, 0);
  gsize plen = HL_CODEC_PAYLOAD_ID_SIZE + oti->symbol_size;
  guint8 *buf = g_malloc ((gsize) (k + k / 10 + 1) * plen);
  guint n = 0, lost = 0;

  for (guint32 esi = 0; esi < k; esi++)
    {
      if (loss && esi % 10 == 5)
        {
          lost++;
          continue;
        }
      hl_codec_encoder_packet (enc, 0, esi, buf + (gsize) n++ * plen, NULL);
    }
  for (guint32 i = 0; i < lost; i++)
    hl_codec_encoder_packet (enc, 0, k + i, buf + (gsize) n++ * plen, NULL);
  *n_out = n;
  return buf;
}

/* Repetitions per timed run, so that small objects take >= ~20 ms. */
static guint
batch_for (gsize f)
{
  return (guint) MAX ((gsize) 1, (gsize) 40000000 / f);
}

static double
bench_encode (GBytes *obj, const HlCodecOti *oti)
{
  guint32 k = hl_codec_oti_block_symbols (oti, 0);
  guint32 r = (k + 9) / 10;
  gsize plen = HL_CODEC_PAYLOAD_ID_SIZE + oti->symbol_size;
  g_autofree guint8 *out = g_malloc ((gsize) (k + r) * plen);
  guint batch = batch_for (oti->transfer_length);
  double best = 1e9;

  for (guint run = 0; run < runs; run++)
    {
      double t0 = now ();

      for (guint b = 0; b < batch; b++)
        {
          g_autoptr (HlCodecEncoder) enc = hl_codec_encoder_new (obj, oti, NULL);

          for (guint32 esi = 0; esi < k + r; esi++)
            hl_codec_encoder_packet (enc, 0, esi, out + (gsize) esi * plen, NULL);
        }
      best = MIN (best, (now () - t0) / batch);
    }
  return best;
}

static double
bench_decode (GBytes *obj, const HlCodecOti *oti, gboolean loss)
{
  guint n;
  g_autofree guint8 *pk = make_packets (obj, oti, loss, &n);
  gsize plen = HL_CODEC_PAYLOAD_ID_SIZE + oti->symbol_size;
  guint batch = batch_for (oti->transfer_length);
  double best = 1e9;

  for (guint run = 0; run < runs; run++)
    {
      double t0 = now ();

      for (guint b = 0; b < batch; b++)
        {
          g_autoptr (HlCodecDecoder) dec = hl_codec_decoder_new (oti, NULL);
          g_autoptr (GBytes) out = NULL;

          for (guint i = 0; i < n; i++)
            hl_codec_decoder_add_packet (dec, pk + (gsize) i * plen, plen, NULL);
          if (!hl_codec_decoder_decode (dec, NULL))
            {
              fprintf (stderr, "decode failed\n");
              exit (1);
            }
          out = hl_codec_decoder_steal_object (dec);
          if (run == 0 && b == 0 && !g_bytes_equal (out, obj))
            {
              fprintf (stderr, "decoded object differs\n");
              exit (1);
            }
        }
      best = MIN (best, (now () - t0) / batch);
    }
  return best;
}

static void
bench_case (const char *name, gsize f, guint16 t)
{
  g_autoptr (GBytes) obj = make_object (f);
  HlCodecOti oti = { f, t, 1, 1, 1 };
  guint32 k = hl_codec_oti_block_symbols (&oti, 0);
  double te, td0, td10;

  /* The first encoder of a K' builds the cached schedule: warm it up so
   * runs measure steady state (and report the one-off cost separately). */
  {
    double t0 = now ();
    HlRqParams p;

    hl_rq_params_for_k (k, &p);
    hl_rq_schedule_free (hl_rq_schedule_for_encoding (p.k_prime));
    printf ("%-22s K=%-6u T=%-5u schedule build (once per K') %8.2f ms\n", name, k, t, (now () - t0) * 1e3);
  }
  te = bench_encode (obj, &oti);
  td0 = bench_decode (obj, &oti, FALSE);
  td10 = bench_decode (obj, &oti, TRUE);
  printf ("%-22s encode %8.1f MB/s   decode 0%% loss %8.1f MB/s   decode 10%% loss %8.1f MB/s\n",
          name, f / te / 1e6, f / td0 / 1e6, f / td10 / 1e6);
  fflush (stdout);
}

/* Peak resident set of this process image in MB: VmHWM belongs to the
 * address space, so unlike ru_maxrss it restarts at exec. */
static double
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (line = strstr (status, "VmHWM:")) != NULL)
    return g_ascii_strtod (line + 6, NULL) / 1024.0;
  {
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
  }
}

/* Decodes a K = 56403 block with 10% loss (packets from @path) in a fresh
 * process, so that only the decoder and its input count, and reports the
 * peak RSS. */
static int
memory_child (const char *path, guint16 t)
{
  gsize f = (gsize) 56403 * t;
  HlCodecOti oti = { f, t, 1, 1, 1 };
  g_autofree char *pk = NULL;
  gsize len;
  gsize plen = HL_CODEC_PAYLOAD_ID_SIZE + t;
  HlCodecDecoder *dec;
  double before, t0;

  if (!g_file_get_contents (path, &pk, &len, NULL))
    return 1;
  before = peak_rss_mb ();
  t0 = now ();
  dec = hl_codec_decoder_new (&oti, NULL);
  for (gsize off = 0; off + plen <= len; off += plen)
    hl_codec_decoder_add_packet (dec, (const guint8 *) pk + off, plen, NULL);
  g_clear_pointer (&pk, g_free);
  if (!hl_codec_decoder_decode (dec, NULL))
    return 1;
  printf ("K'=56403 T=%-5u decode 10%% loss %7.1f ms; peak RSS %6.1f MB "
          "(process with the %.1f MB of packets loaded: %.1f MB before decoding)\n",
          t, (now () - t0) * 1e3, peak_rss_mb (), len / 1e6, before);
  hl_codec_decoder_free (dec);
  return 0;
}

static void
bench_memory (const char *self, guint16 t)
{
  gsize f = (gsize) 56403 * t;
  g_autoptr (GBytes) obj = make_object (f);
  HlCodecOti oti = { f, t, 1, 1, 1 };
  guint n;
  g_autofree guint8 *pk = make_packets (obj, &oti, TRUE, &n);
  g_autofree char *ts = g_strdup_printf ("%u", t);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "bench-codec-memory.pk", NULL);
  const char *argv[] = { self, "--memory-child", path, ts, NULL };
  g_autoptr (GError) error = NULL;
  int status;

  if (!g_file_set_contents (path, (const char *) pk, (gssize) n * (HL_CODEC_PAYLOAD_ID_SIZE + t), &error)
      || (fflush (stdout),
          !g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN,
                         NULL, NULL, NULL, NULL, &status, &error)))
    printf ("memory measurement failed: %s\n", error->message);
  g_unlink (path);
}

static void
bench_failure_rates (guint trials)
{
  static const guint32 ks[] = { 10, 100, 1000, 10000 };

  for (guint c = 0; c < G_N_ELEMENTS (ks); c++)
    {
      HlRqParams p;
      guint32 k = ks[c];
      guint32 range = 3 * k + 10;
      g_autofree guint32 *esis = g_new (guint32, range);
      g_autofree guint32 *isis = NULL;
      guint n_trials = k >= 10000 ? MAX (trials / 20, 100u) : (k >= 1000 ? MAX (trials / 4, 100u) : trials);
      GRand *rand = g_rand_new_with_seed (k);

      hl_rq_params_for_k (k, &p);
      isis = g_new (guint32, p.k_prime + 2);
      for (guint oh = 0; oh < 3; oh++)
        {
          guint fails = 0;
          double t0 = now ();

          for (guint t = 0; t < n_trials; t++)
            {
              guint32 n = 0;
              HlRqSchedule *s;

              for (guint32 i = 0; i < range; i++)
                esis[i] = i;
              for (guint32 i = 0; i < k + oh; i++)
                {
                  guint32 j = i + (guint32) g_rand_int_range (rand, 0, (gint32) (range - i));
                  guint32 e = esis[j];

                  esis[j] = esis[i];
                  esis[i] = e;
                  isis[n++] = e < k ? e : e + (p.k_prime - k);
                }
              for (guint32 i = k; i < p.k_prime; i++)
                isis[n++] = i;
              s = hl_rq_schedule_new (&p, isis, n, FALSE, TRUE);
              fails += s == NULL;
              hl_rq_schedule_free (s);
            }
          printf ("failure rate K=%-5u K+%u: %u / %u = %.5f   (%.1f s)\n",
                  k, oh, fails, n_trials, (double) fails / n_trials, now () - t0);
          fflush (stdout);
        }
      g_rand_free (rand);
    }
}

int
main (int argc, char **argv)
{
  guint failure_trials = 0;
  gboolean memory = TRUE;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
        {
          int v = atoi (argv[++i]);
          runs = (guint) MAX (1, v);
        }
      else if (g_str_equal (argv[i], "--failure-trials") && i + 1 < argc)
        failure_trials = (guint) atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--skip-memory"))
        memory = FALSE;
      else if (g_str_equal (argv[i], "--cpu-time"))
        cpu_time = TRUE;
      else if (g_str_equal (argv[i], "--memory-child") && i + 2 < argc)
        return memory_child (argv[i + 1], (guint16) atoi (argv[i + 2]));
      else
        {
          fprintf (stderr, "usage: bench-codec [--runs N] [--cpu-time] [--failure-trials N] [--skip-memory]\n");
          return 2;
        }
    }
  printf ("GF(256) kernels: %s; best of %u runs; %s time\n", hl_gf_kernels ()->name, runs,
          cpu_time ? "thread CPU" : "wall-clock");
  bench_case ("10 MB, T=1024", 10000000, 1024);
  bench_case ("64 KB, T=1024", 65536, 1024);
  bench_case ("1 MB, T=64", 1000000, 64);
  if (memory)
    {
      bench_memory (argv[0], 1024);
      bench_memory (argv[0], 64);
    }
  if (failure_trials > 0)
    bench_failure_rates (failure_trials);
  return 0;
}
