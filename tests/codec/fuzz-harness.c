/* fuzz-harness.c: decoder fuzzing logic shared by the libFuzzer target and
 * the corpus test.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-harness.h"

#include <stdlib.h>
#include <string.h>

#include "hl-codec.h"

/* Keeps single runs fast: bigger objects add time, not coverage. */
#define MAX_OBJECT (1 << 20)

static void
check (gboolean cond)
{
  if (!cond)
    abort ();
}

static void
raw_packets (const HlCodecOti *oti, const guint8 *p, gsize len)
{
  g_autoptr (HlCodecDecoder) dec = NULL;
  g_autoptr (GError) error = NULL;
  gsize plen = HL_CODEC_PAYLOAD_ID_SIZE + (gsize) oti->symbol_size;

  dec = hl_codec_decoder_new (oti, &error);
  check (dec != NULL);
  while (len > 0)
    {
      gsize n = MIN (len, plen);

      if (!hl_codec_decoder_add_packet (dec, p, n, &error))
        {
          check (g_error_matches (error, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PACKET));
          g_clear_error (&error);
        }
      p += n;
      len -= n;
    }
  if (hl_codec_decoder_decode (dec, &error))
    {
      gsize olen = 0;

      check (hl_codec_decoder_get_object (dec, &olen) != NULL);
      check (olen == oti->transfer_length);
    }
  else
    {
      check (g_error_matches (error, HL_CODEC_ERROR, HL_CODEC_ERROR_NOT_DECODABLE));
      check (!hl_codec_decoder_is_complete (dec));
    }
}

static void
chosen_symbols (const HlCodecOti *oti, const guint8 *p, gsize len)
{
  g_autoptr (HlCodecEncoder) enc = NULL;
  g_autoptr (HlCodecDecoder) dec = NULL;
  g_autoptr (GBytes) obj = NULL;
  g_autofree guint8 *pkt = NULL;
  guint8 *buf;
  gsize plen = HL_CODEC_PAYLOAD_ID_SIZE + (gsize) oti->symbol_size;
  guint32 x = 2463534242u;

  if (oti->transfer_length > MAX_OBJECT)
    return;
  buf = g_malloc (oti->transfer_length);
  for (gsize i = 0; i < oti->transfer_length; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      buf[i] = (guint8) x;
    }
  obj = g_bytes_new_take (buf, oti->transfer_length);
  enc = hl_codec_encoder_new (obj, oti, NULL);
  dec = hl_codec_decoder_new (oti, NULL);
  check (enc != NULL && dec != NULL);
  pkt = g_malloc (plen);
  for (; len >= 3; p += 3, len -= 3)
    {
      guint sbn = p[0] % oti->source_blocks;
      guint32 esi = ((guint32) p[1] << 8) | p[2];

      /* High ESIs are as valid as low ones: spread some of them out. */
      if (p[0] & 0x80)
        esi = (esi * 257u) & HL_CODEC_MAX_ESI;
      check (hl_codec_encoder_packet (enc, sbn, esi, pkt, NULL));
      check (hl_codec_decoder_add_packet (dec, pkt, plen, NULL));
    }
  if (hl_codec_decoder_decode (dec, NULL))
    {
      gsize olen;
      const guint8 *out = hl_codec_decoder_get_object (dec, &olen);

      check (olen == oti->transfer_length);
      check (memcmp (out, g_bytes_get_data (obj, NULL), olen) == 0);
    }
}

void
hl_codec_fuzz_one (const guint8 *data, gsize size)
{
  HlCodecOti oti;

  if (size < 1 + HL_CODEC_OTI_SIZE)
    return;
  if (!hl_codec_oti_parse (data + 1, HL_CODEC_OTI_SIZE, &oti, NULL))
    {
      check (hl_codec_decoder_new (&oti, NULL) == NULL);
      return;
    }
  if (data[0] & 1)
    chosen_symbols (&oti, data + 1 + HL_CODEC_OTI_SIZE, size - 1 - HL_CODEC_OTI_SIZE);
  else
    raw_packets (&oti, data + 1 + HL_CODEC_OTI_SIZE, size - 1 - HL_CODEC_OTI_SIZE);
}
