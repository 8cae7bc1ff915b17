/* hl-codec.h: RaptorQ (RFC 6330) object encoder and decoder.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An object of F bytes is cut into Z source blocks of K <= 56403 symbols of
 * T bytes (each symbol possibly striped over N sub-blocks).  The encoder
 * produces, for any block SBN and any ESI 0..2^24-1, an encoding symbol;
 * ESI < K are the source symbols themselves.  The decoder rebuilds the
 * object from any sufficient mix of them (usually K per block, rarely a
 * few more).  Packets on the wire are the RFC's FEC Payload ID (SBN, 8
 * bits; ESI, 24 bits; big-endian) followed by the T-byte symbol; the 12-byte
 * OTI (F, T, Z, N, Al) describes the object and must reach the decoder.
 *
 * Objects are not thread-safe; distinct objects may be used from distinct
 * threads.  Encoders share a cache of per-K' encoding schedules (bounded
 * to 64 MB); decoding keeps per-thread scratch buffers for reuse (a few
 * tens of MB at most, for the largest blocks).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HL_CODEC_ERROR (hl_codec_error_quark ())

typedef enum
{
  HL_CODEC_ERROR_INVALID_PARAMETERS, /* OTI impossible or unsupported */
  HL_CODEC_ERROR_INVALID_PACKET,     /* wrong size, SBN or ESI out of range */
  HL_CODEC_ERROR_NOT_DECODABLE,      /* not enough (independent) symbols yet */
} HlCodecError;

GQuark hl_codec_error_quark (void);

#define HL_CODEC_OTI_SIZE 12
#define HL_CODEC_PAYLOAD_ID_SIZE 4
#define HL_CODEC_MAX_ESI ((1u << 24) - 1)
/* RFC 6330 with erratum 5548: 56403 * (2^16 - 1) * (2^8 - 1). */
#define HL_CODEC_MAX_TRANSFER_LENGTH G_GUINT64_CONSTANT (942574504275)

/* The FEC Object Transmission Information (RFC 6330 3.3.2 and 3.3.3). */
typedef struct
{
  guint64 transfer_length; /* F, bytes */
  guint16 symbol_size;     /* T, bytes, a multiple of alignment */
  guint8 source_blocks;    /* Z >= 1 */
  guint16 sub_blocks;      /* N >= 1 */
  guint8 alignment;        /* Al >= 1 */
} HlCodecOti;

/* Checks every constraint of the RFC (T % Al == 0, N <= T/Al, at most
 * 56403 symbols per block, Z no larger than the symbol count, ...). */
gboolean hl_codec_oti_validate (const HlCodecOti *oti, GError **error);

void hl_codec_oti_serialize (const HlCodecOti *oti, guint8 out[HL_CODEC_OTI_SIZE]);

/* Parses and validates the 12-byte wire form. */
gboolean hl_codec_oti_parse (const guint8 *buf, gsize len, HlCodecOti *oti, GError **error);

/* Derives Z and N the RFC 4.3 way for an object of @transfer_length bytes
 * with symbols of @symbol_size bytes, so that a sub-block fits in
 * @max_sub_block_bytes (WS) of decoder working memory and sub-symbols are
 * at least @min_sub_symbol (SS, in units of @alignment). */
gboolean hl_codec_oti_choose (guint64 transfer_length, guint16 symbol_size,
                              guint8 alignment, gsize max_sub_block_bytes,
                              guint min_sub_symbol, HlCodecOti *oti,
                              GError **error);

/* Number of source symbols K in block @sbn (0 if sbn >= Z). */
guint32 hl_codec_oti_block_symbols (const HlCodecOti *oti, guint sbn);

typedef struct _HlCodecEncoder HlCodecEncoder;

/* Encodes @data (whose length becomes F) with the layout in @oti (F is
 * taken from @data).  Keeps a reference to @data.  Intermediate symbols of
 * a block are computed on the first repair request for it. */
HlCodecEncoder *hl_codec_encoder_new (GBytes *data, const HlCodecOti *oti, GError **error);
void hl_codec_encoder_free (HlCodecEncoder *enc);
const HlCodecOti *hl_codec_encoder_get_oti (HlCodecEncoder *enc);

/* Writes the symbol (T bytes) for (@sbn, @esi) into @out. */
gboolean hl_codec_encoder_symbol (HlCodecEncoder *enc, guint sbn, guint32 esi,
                                  guint8 *out, GError **error);

/* Writes a packet (4-byte payload ID + T bytes) into @out. */
gboolean hl_codec_encoder_packet (HlCodecEncoder *enc, guint sbn, guint32 esi,
                                  guint8 *out, GError **error);

typedef struct _HlCodecDecoder HlCodecDecoder;

HlCodecDecoder *hl_codec_decoder_new (const HlCodecOti *oti, GError **error);
void hl_codec_decoder_free (HlCodecDecoder *dec);

/* Adds one packet (payload ID + T bytes).  Duplicates and packets for
 * already decoded blocks are accepted and ignored, as is anything beyond
 * 2*K'+64 distinct symbols of a block (a memory bound; never needed).
 * Wrong sizes, SBN >= Z or ESI >= 2^24 give HL_CODEC_ERROR_INVALID_PACKET
 * and leave the decoder unchanged. */
gboolean hl_codec_decoder_add_packet (HlCodecDecoder *dec, const guint8 *packet,
                                      gsize len, GError **error);
gboolean hl_codec_decoder_add_symbol (HlCodecDecoder *dec, guint sbn, guint32 esi,
                                      const guint8 *symbol, gsize len,
                                      GError **error);

/* Tries to decode every block that has at least K symbols.  TRUE once the
 * whole object is available; otherwise HL_CODEC_ERROR_NOT_DECODABLE (add
 * more symbols and call again; a failed attempt loses nothing).  With
 * exactly K symbols of a block it fails about 1 time in 200, with K + 2
 * practically never. */
gboolean hl_codec_decoder_decode (HlCodecDecoder *dec, GError **error);
/* TRUE once hl_codec_decoder_decode has succeeded. */
gboolean hl_codec_decoder_is_complete (HlCodecDecoder *dec);

/* The decoded object (F bytes), or NULL if not complete.  Owned by the
 * decoder; hl_codec_decoder_steal_object transfers it. */
const guint8 *hl_codec_decoder_get_object (HlCodecDecoder *dec, gsize *len);
GBytes *hl_codec_decoder_steal_object (HlCodecDecoder *dec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlCodecEncoder, hl_codec_encoder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlCodecDecoder, hl_codec_decoder_free)

G_END_DECLS
