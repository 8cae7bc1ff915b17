/* hl-types.h: small value types shared by every layer of Hyperlink.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HL_ID_LEN       32  /* BLAKE2b-256 event ids */
#define HL_KEY_LEN      32  /* Ed25519 public keys */
#define HL_SIG_LEN      64  /* Ed25519 signatures */
#define HL_ID_HEX_LEN   64

/* A hybrid logical clock reading: wall-clock milliseconds since the Unix epoch
 * plus a counter that orders events created within the same millisecond, or
 * while the wall clock stands behind the last reading. */
typedef struct
{
  guint64 ms;
  guint32 ctr;
} HlTimestamp;

typedef struct
{
  guint8 bytes[HL_ID_LEN];
} HlId;

int      hl_timestamp_compare (const HlTimestamp *a,
                               const HlTimestamp *b);
/* For qsort() and bsearch() over arrays of guint64. */
int      hl_u64_compare       (const void        *a,
                               const void        *b);

/* Lowercase hex; @out must hold 2 * @len + 1 bytes. Both directions run in
 * constant time (libsodium), so they may carry secrets. */
void     hl_hex_encode        (const guint8      *data,
                               gsize              len,
                               char              *out);
char    *hl_hex_dup           (const guint8      *data,
                               gsize              len);
/* Decodes exactly @len bytes from a 2 * @len character hex string (either case). */
gboolean hl_hex_decode        (const char        *hex,
                               guint8            *out,
                               gsize              len);
gboolean hl_hex_is_prefix     (const char        *text);

gint64   hl_now_ms            (void);

/* For GHashTables keyed by 32-byte ids or keys: they are hashes already, so
 * their first bytes make a good hash. */
guint    hl_id_hash           (gconstpointer      id);
gboolean hl_id_equal          (gconstpointer      a,
                               gconstpointer      b);

G_END_DECLS
