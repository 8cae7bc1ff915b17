/* hl-codec-private.h: object layout helpers shared by encoder and decoder.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-codec.h"
#include "hl-codec-rq.h"

G_BEGIN_DECLS

/* Source-block and sub-block partitioning of RFC 6330 4.4.1.2. */
typedef struct
{
  guint64 f;
  guint32 t;
  guint32 z;
  guint32 n;
  guint32 kt;
  guint32 kl, ks, zl;
  guint32 tl, ts, nl;  /* sub-symbol sizes in bytes */
} HlCodecLayout;

void hl_codec_layout_init (HlCodecLayout *lay, const HlCodecOti *oti);
guint32 hl_codec_layout_block_k (const HlCodecLayout *lay, guint32 sbn);
/* Byte offset of block @sbn in the zero-padded object. */
guint64 hl_codec_layout_block_offset (const HlCodecLayout *lay, guint32 sbn);

/* Copies source symbol @i of block @sbn (K symbols) out of @obj (F bytes),
 * zero-padding past the end of the object. */
void hl_codec_layout_gather (const HlCodecLayout *lay, const guint8 *obj,
                             guint32 sbn, guint32 k, guint32 i, guint8 *out);
/* Inverse of gather into a buffer holding just block @sbn (K*T bytes). */
void hl_codec_layout_scatter_block (const HlCodecLayout *lay, guint8 *block,
                                    guint32 k, guint32 i, const guint8 *sym);

G_END_DECLS
