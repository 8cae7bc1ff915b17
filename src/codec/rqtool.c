/* rqtool.c: command-line driver for the RaptorQ codec (tests, interop).
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   rqtool encode [--z Z] [--n N] [--al AL] [--no-source] [--time]
 *                 [--repeat N] INPUT OUTPUT T R
 *   rqtool decode [--time] [--repeat N] INPUT OUTPUT
 *
 * The encoded file is the 12-byte OTI followed, block by block, by the
 * source packets (ESI 0..K-1) unless --no-source and R repair packets
 * (ESI K..K+R-1); a packet is SBN (1 byte), ESI (3 bytes, big-endian),
 * then T bytes.  Exit status: 0 ok, 1 not decodable, 2 usage error or
 * unsupported parameters, 3 internal error.
 */
#include "config.h"

#include "hl-codec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_OK = 0, EXIT_UNDECODABLE = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

static int
usage (void)
{
  fprintf (stderr,
           "usage: rqtool encode [--z Z] [--n N] [--al AL] [--no-source] [--time] [--repeat N] INPUT OUTPUT T R\n"
           "       rqtool decode [--time] [--repeat N] INPUT OUTPUT\n");
  return EXIT_USAGE;
}

static gboolean
parse_uint (const char *s, guint64 max, guint64 *out)
{
  char *end = NULL;
  guint64 v;

  if (s == NULL || *s == '\0' || *s == '-')
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (s, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static void
print_time (const char *op, double best_s, guint64 bytes, guint repeat)
{
  fprintf (stderr, "{\"op\":\"%s\",\"bytes\":%" G_GUINT64_FORMAT ",\"repeat\":%u,"
           "\"ms\":%.3f,\"mbps\":%.1f}\n",
           op, bytes, repeat, best_s * 1e3, best_s > 0 ? (double) bytes / best_s / 1e6 : 0.0);
}

static gboolean
write_file (const char *path, const guint8 *data, gsize len)
{
  g_autoptr (GError) error = NULL;

  if (!g_file_set_contents (path, (const char *) data, (gssize) len, &error))
    {
      fprintf (stderr, "rqtool: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Encodes @data into a complete output image; NULL on parameter errors. */
static GByteArray *
encode_once (GBytes *data, const HlCodecOti *oti, gboolean no_source, guint32 r,
             GError **error)
{
  g_autoptr (HlCodecEncoder) enc = hl_codec_encoder_new (data, oti, error);
  g_autoptr (GByteArray) out = NULL;
  gsize plen = HL_CODEC_PAYLOAD_ID_SIZE + (gsize) oti->symbol_size;
  guint64 total = 0;

  if (enc == NULL)
    return NULL;
  for (guint sbn = 0; sbn < oti->source_blocks; sbn++)
    total += (no_source ? 0 : hl_codec_oti_block_symbols (oti, sbn)) + (guint64) r;
  if (HL_CODEC_OTI_SIZE + total * plen > G_MAXUINT)
    {
      g_set_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PARAMETERS,
                   "rqtool keeps its output in memory: %" G_GUINT64_FORMAT
                   " bytes is more than it supports", HL_CODEC_OTI_SIZE + total * plen);
      return NULL;
    }
  out = g_byte_array_sized_new ((guint) (HL_CODEC_OTI_SIZE + total * plen));
  g_byte_array_set_size (out, (guint) (HL_CODEC_OTI_SIZE + total * plen));
  hl_codec_oti_serialize (hl_codec_encoder_get_oti (enc), out->data);
  {
    guint8 *p = out->data + HL_CODEC_OTI_SIZE;

    for (guint sbn = 0; sbn < oti->source_blocks; sbn++)
      {
        guint32 k = hl_codec_oti_block_symbols (oti, sbn);

        for (guint32 esi = no_source ? k : 0; esi < k + r; esi++, p += plen)
          if (!hl_codec_encoder_packet (enc, sbn, esi, p, error))
            return NULL;
      }
  }
  return g_steal_pointer (&out);
}

static int
cmd_encode (int argc, char **argv)
{
  guint64 z = 0, n = 1, al = 1, t, r, repeat = 1;
  gboolean no_source = FALSE, timed = FALSE;
  const char *pos[4];
  int npos = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GByteArray) out = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  HlCodecOti oti;
  double best = -1;

  for (int i = 0; i < argc; i++)
    {
      const char *a = argv[i];

      if (g_str_equal (a, "--z") && i + 1 < argc)
        {
          if (!parse_uint (argv[++i], 255, &z) || z == 0)
            return usage ();
        }
      else if (g_str_equal (a, "--n") && i + 1 < argc)
        {
          if (!parse_uint (argv[++i], G_MAXUINT16, &n) || n == 0)
            return usage ();
        }
      else if (g_str_equal (a, "--al") && i + 1 < argc)
        {
          if (!parse_uint (argv[++i], 255, &al) || al == 0)
            return usage ();
        }
      else if (g_str_equal (a, "--repeat") && i + 1 < argc)
        {
          if (!parse_uint (argv[++i], 1000000, &repeat) || repeat == 0)
            return usage ();
        }
      else if (g_str_equal (a, "--no-source"))
        no_source = TRUE;
      else if (g_str_equal (a, "--time"))
        timed = TRUE;
      else if (a[0] == '-' && a[1] != '\0')
        return usage ();
      else if (npos < 4)
        pos[npos++] = a;
      else
        return usage ();
    }
  if (npos != 4 || !parse_uint (pos[2], G_MAXUINT16, &t) || t == 0
      || !parse_uint (pos[3], HL_CODEC_MAX_ESI + 1, &r))
    return usage ();

  if (!g_file_get_contents (pos[0], &contents, &len, &error))
    {
      fprintf (stderr, "rqtool: %s\n", error->message);
      return EXIT_USAGE;
    }
  data = g_bytes_new_take (g_steal_pointer (&contents), len);
  oti.transfer_length = len;
  oti.symbol_size = (guint16) t;
  oti.alignment = (guint8) al;
  oti.sub_blocks = (guint16) n;
  if (z == 0)
    {
      /* The fewest blocks of at most 56403 symbols. */
      guint64 kt = (len + t - 1) / t;
      z = MAX ((guint64) 1, (kt + 56402) / 56403);
      if (z > 255)
        {
          fprintf (stderr, "rqtool: object too large for T=%" G_GUINT64_FORMAT "\n", t);
          return EXIT_USAGE;
        }
    }
  oti.source_blocks = (guint8) z;
  if (!hl_codec_oti_validate (&oti, &error))
    {
      fprintf (stderr, "rqtool: %s\n", error->message);
      return EXIT_USAGE;
    }
  for (guint64 i = 0; i < repeat; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double el;

      g_clear_pointer (&out, g_byte_array_unref);
      out = encode_once (data, &oti, no_source, (guint32) r, &error);
      if (out == NULL)
        {
          fprintf (stderr, "rqtool: %s\n", error->message);
          return EXIT_USAGE;
        }
      el = (double) (g_get_monotonic_time () - t0) / 1e6;
      if (best < 0 || el < best)
        best = el;
    }
  if (timed)
    print_time ("encode", best, len, (guint) repeat);
  return write_file (pos[1], out->data, out->len) ? EXIT_OK : EXIT_INTERNAL;
}

static int
decode_once (const guint8 *in, gsize len, GBytes **object)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HlCodecDecoder) dec = NULL;
  HlCodecOti oti;
  gsize plen;

  if (!hl_codec_oti_parse (in, len, &oti, &error))
    {
      fprintf (stderr, "rqtool: %s\n", error->message);
      return EXIT_USAGE;
    }
  dec = hl_codec_decoder_new (&oti, &error);
  if (dec == NULL)
    {
      fprintf (stderr, "rqtool: %s\n", error->message);
      return EXIT_USAGE;
    }
  plen = HL_CODEC_PAYLOAD_ID_SIZE + (gsize) oti.symbol_size;
  if ((len - HL_CODEC_OTI_SIZE) % plen != 0)
    {
      fprintf (stderr, "rqtool: input is not a whole number of %" G_GSIZE_FORMAT "-byte packets\n", plen);
      return EXIT_USAGE;
    }
  for (gsize off = HL_CODEC_OTI_SIZE; off < len; off += plen)
    if (!hl_codec_decoder_add_packet (dec, in + off, plen, &error))
      {
        fprintf (stderr, "rqtool: %s\n", error->message);
        return EXIT_USAGE;
      }
  if (!hl_codec_decoder_decode (dec, &error))
    {
      fprintf (stderr, "rqtool: %s\n", error->message);
      return g_error_matches (error, HL_CODEC_ERROR, HL_CODEC_ERROR_NOT_DECODABLE)
               ? EXIT_UNDECODABLE : EXIT_INTERNAL;
    }
  *object = hl_codec_decoder_steal_object (dec);
  return EXIT_OK;
}

static int
cmd_decode (int argc, char **argv)
{
  guint64 repeat = 1;
  gboolean timed = FALSE;
  const char *pos[2];
  int npos = 0, rc = EXIT_OK;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GBytes) object = NULL;
  gsize len;
  double best = -1;

  for (int i = 0; i < argc; i++)
    {
      const char *a = argv[i];

      if (g_str_equal (a, "--repeat") && i + 1 < argc)
        {
          if (!parse_uint (argv[++i], 1000000, &repeat) || repeat == 0)
            return usage ();
        }
      else if (g_str_equal (a, "--time"))
        timed = TRUE;
      else if (a[0] == '-' && a[1] != '\0')
        return usage ();
      else if (npos < 2)
        pos[npos++] = a;
      else
        return usage ();
    }
  if (npos != 2)
    return usage ();
  if (!g_file_get_contents (pos[0], &contents, &len, &error))
    {
      fprintf (stderr, "rqtool: %s\n", error->message);
      return EXIT_USAGE;
    }
  for (guint64 i = 0; i < repeat; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double el;

      g_clear_pointer (&object, g_bytes_unref);
      rc = decode_once ((const guint8 *) contents, len, &object);
      if (rc != EXIT_OK)
        return rc;
      el = (double) (g_get_monotonic_time () - t0) / 1e6;
      if (best < 0 || el < best)
        best = el;
    }
  if (timed)
    print_time ("decode", best, g_bytes_get_size (object), (guint) repeat);
  {
    gsize olen;
    const guint8 *o = g_bytes_get_data (object, &olen);

    return write_file (pos[1], o, olen) ? EXIT_OK : EXIT_INTERNAL;
  }
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    return usage ();
  if (g_str_equal (argv[1], "encode"))
    return cmd_encode (argc - 2, argv + 2);
  if (g_str_equal (argv[1], "decode"))
    return cmd_decode (argc - 2, argv + 2);
  return usage ();
}
