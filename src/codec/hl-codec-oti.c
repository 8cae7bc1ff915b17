/* hl-codec-oti.c: FEC OTI and object partitioning (RFC 6330 3.3, 4.3, 4.4).
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-codec.h"

#include <string.h>

#include "hl-codec-private.h"
#include "hl-codec-tables.h"

G_DEFINE_QUARK (hl-codec-error-quark, hl_codec_error)

static void
partition (guint64 i, guint64 j, guint64 *il, guint64 *is, guint64 *jl)
{
  *il = (i + j - 1) / j;
  *is = i / j;
  *jl = i - *is * j;
}

gboolean
hl_codec_oti_validate (const HlCodecOti *oti, GError **error)
{
  guint64 kt;

  if (oti->transfer_length == 0 || oti->transfer_length > HL_CODEC_MAX_TRANSFER_LENGTH)
    goto bad;
  if (oti->symbol_size == 0 || oti->alignment == 0 || oti->source_blocks == 0
      || oti->sub_blocks == 0)
    goto bad;
  if (oti->symbol_size % oti->alignment != 0)
    goto bad;
  if (oti->sub_blocks > oti->symbol_size / oti->alignment)
    goto bad;
  kt = (oti->transfer_length + oti->symbol_size - 1) / oti->symbol_size;
  if (oti->source_blocks > kt)
    goto bad;
  if ((kt + oti->source_blocks - 1) / oti->source_blocks > HL_RQ_MAX_K)
    goto bad;
  return TRUE;

bad:
  g_set_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PARAMETERS,
               "Invalid or unsupported RaptorQ parameters "
               "(F=%" G_GUINT64_FORMAT " T=%u Z=%u N=%u Al=%u)",
               oti->transfer_length, oti->symbol_size, oti->source_blocks,
               oti->sub_blocks, oti->alignment);
  return FALSE;
}

void
hl_codec_oti_serialize (const HlCodecOti *oti, guint8 out[HL_CODEC_OTI_SIZE])
{
  guint64 f = oti->transfer_length;

  out[0] = (guint8) (f >> 32);
  out[1] = (guint8) (f >> 24);
  out[2] = (guint8) (f >> 16);
  out[3] = (guint8) (f >> 8);
  out[4] = (guint8) f;
  out[5] = 0;  /* reserved */
  out[6] = (guint8) (oti->symbol_size >> 8);
  out[7] = (guint8) oti->symbol_size;
  out[8] = oti->source_blocks;
  out[9] = (guint8) (oti->sub_blocks >> 8);
  out[10] = (guint8) oti->sub_blocks;
  out[11] = oti->alignment;
}

gboolean
hl_codec_oti_parse (const guint8 *buf, gsize len, HlCodecOti *oti, GError **error)
{
  if (len < HL_CODEC_OTI_SIZE)
    {
      g_set_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PARAMETERS,
                   "OTI is %" G_GSIZE_FORMAT " bytes, expected %d", len, HL_CODEC_OTI_SIZE);
      return FALSE;
    }
  oti->transfer_length = ((guint64) buf[0] << 32) | ((guint64) buf[1] << 24)
                         | ((guint64) buf[2] << 16) | ((guint64) buf[3] << 8) | buf[4];
  oti->symbol_size = (guint16) ((buf[6] << 8) | buf[7]);
  oti->source_blocks = buf[8];
  oti->sub_blocks = (guint16) ((buf[9] << 8) | buf[10]);
  oti->alignment = buf[11];
  return hl_codec_oti_validate (oti, error);
}

gboolean
hl_codec_oti_choose (guint64 transfer_length, guint16 symbol_size, guint8 alignment,
                     gsize max_sub_block_bytes, guint min_sub_symbol,
                     HlCodecOti *oti, GError **error)
{
  guint64 kt, n_max, z, n = 1;
  g_autofree guint32 *kl = NULL;

  oti->transfer_length = transfer_length;
  oti->symbol_size = symbol_size;
  oti->alignment = alignment;
  oti->source_blocks = 1;
  oti->sub_blocks = 1;
  if (transfer_length == 0 || symbol_size == 0 || alignment == 0
      || min_sub_symbol == 0 || symbol_size % alignment != 0
      || symbol_size / alignment < min_sub_symbol)
    return hl_codec_oti_validate (oti, error) && FALSE;

  kt = (transfer_length + symbol_size - 1) / symbol_size;
  n_max = symbol_size / ((guint64) min_sub_symbol * alignment);
  kl = g_new0 (guint32, n_max + 1);
  for (guint64 i = 1; i <= n_max; i++)
    {
      guint64 sub = (symbol_size + (guint64) alignment * i - 1) / ((guint64) alignment * i);
      guint64 bound = max_sub_block_bytes / ((guint64) alignment * sub);

      for (guint r = 0; r < HL_RQ_TABLE2_LEN && hl_rq_table2[r].k_prime <= bound; r++)
        kl[i] = hl_rq_table2[r].k_prime;
    }
  if (kl[n_max] == 0)
    {
      g_set_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PARAMETERS,
                   "Working memory of %" G_GSIZE_FORMAT " bytes is too small", max_sub_block_bytes);
      return FALSE;
    }
  z = (kt + kl[n_max] - 1) / kl[n_max];
  while (n < n_max && (kt + z - 1) / z > kl[n])
    n++;
  if (z > 255 || n > G_MAXUINT16)
    {
      g_set_error (error, HL_CODEC_ERROR, HL_CODEC_ERROR_INVALID_PARAMETERS,
                   "Object too large for these parameters (Z=%" G_GUINT64_FORMAT ")", z);
      return FALSE;
    }
  oti->source_blocks = (guint8) z;
  oti->sub_blocks = (guint16) n;
  return hl_codec_oti_validate (oti, error);
}

void
hl_codec_layout_init (HlCodecLayout *lay, const HlCodecOti *oti)
{
  guint64 il, is, jl;

  memset (lay, 0, sizeof *lay);
  lay->f = oti->transfer_length;
  lay->t = oti->symbol_size;
  lay->z = oti->source_blocks;
  lay->n = oti->sub_blocks;
  lay->kt = (guint32) ((lay->f + lay->t - 1) / lay->t);
  partition (lay->kt, lay->z, &il, &is, &jl);
  lay->kl = (guint32) il;
  lay->ks = (guint32) is;
  lay->zl = (guint32) jl;
  partition (lay->t / oti->alignment, lay->n, &il, &is, &jl);
  lay->tl = (guint32) il * oti->alignment;
  lay->ts = (guint32) is * oti->alignment;
  lay->nl = (guint32) jl;
}

guint32
hl_codec_oti_block_symbols (const HlCodecOti *oti, guint sbn)
{
  HlCodecLayout lay;

  if (sbn >= oti->source_blocks)
    return 0;
  hl_codec_layout_init (&lay, oti);
  return hl_codec_layout_block_k (&lay, sbn);
}

guint32
hl_codec_layout_block_k (const HlCodecLayout *lay, guint32 sbn)
{
  return sbn < lay->zl ? lay->kl : lay->ks;
}

guint64
hl_codec_layout_block_offset (const HlCodecLayout *lay, guint32 sbn)
{
  guint64 syms;

  if (sbn <= lay->zl)
    syms = (guint64) sbn * lay->kl;
  else
    syms = (guint64) lay->zl * lay->kl + (guint64) (sbn - lay->zl) * lay->ks;
  return syms * lay->t;
}

static inline guint32
sub_size (const HlCodecLayout *lay, guint32 n)
{
  return n < lay->nl ? lay->tl : lay->ts;
}

void
hl_codec_layout_gather (const HlCodecLayout *lay, const guint8 *obj,
                        guint32 sbn, guint32 k, guint32 i, guint8 *out)
{
  guint64 base = hl_codec_layout_block_offset (lay, sbn);
  guint64 sub_off = 0;  /* offset of the sub-block within the block */
  guint32 sym_off = 0;  /* offset of the sub-symbol within the symbol */

  for (guint32 n = 0; n < lay->n; n++)
    {
      guint32 sz = sub_size (lay, n);
      guint64 from = base + sub_off + (guint64) i * sz;
      guint64 avail = from < lay->f ? MIN ((guint64) sz, lay->f - from) : 0;

      if (avail > 0)
        memcpy (out + sym_off, obj + from, avail);
      if (avail < sz)
        memset (out + sym_off + avail, 0, sz - avail);
      sub_off += (guint64) k * sz;
      sym_off += sz;
    }
}

void
hl_codec_layout_scatter_block (const HlCodecLayout *lay, guint8 *block,
                               guint32 k, guint32 i, const guint8 *sym)
{
  gsize sub_off = 0;
  guint32 sym_off = 0;

  for (guint32 n = 0; n < lay->n; n++)
    {
      guint32 sz = sub_size (lay, n);

      memcpy (block + sub_off + (gsize) i * sz, sym + sym_off, sz);
      sub_off += (gsize) k * sz;
      sym_off += sz;
    }
}
