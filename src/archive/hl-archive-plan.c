/* hl-archive-plan.c: a range's events as the plaintext of its parts.
 *
 * A month of a subnet larger than HL_ARCHIVE_MAX_PLAINTEXT is cut greedily
 * in (ts, id) order: a part takes records while its plaintext (header
 * included) stays within the limit, and the next record opens the next
 * part. The plan reads only the records' sizes; a part's bytes are read
 * when that part is built, so sealing holds one part in memory at a time.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-private.h"

#include <sodium.h>

#include "hl-store-privnet.h"

typedef struct
{
  GArray *parts;
} Planning;

static gboolean
plan_step (const guint8 *id,
           guint64       ts,
           const guint8 *raw,
           gsize         raw_len,
           const guint8 *sig,
           gpointer      user_data)
{
  Planning *p = user_data;
  gsize record = raw_len + HL_ARCHIVE_RECORD_EXTRA;
  HlSealPart *last = p->parts->len > 0 ? &g_array_index (p->parts, HlSealPart, p->parts->len - 1)
                                       : NULL;

  if (last == NULL || last->bytes + record > HL_ARCHIVE_MAX_PLAINTEXT)
    {
      HlSealPart part = { ts, { 0 }, 0, HL_ARCHIVE_HEADER_BYTES };

      memcpy (part.first_id, id, HL_ID_LEN);
      g_array_append_val (p->parts, part);
      last = &g_array_index (p->parts, HlSealPart, p->parts->len - 1);
    }
  last->count++;
  last->bytes += record;
  return TRUE;
}

GArray *
hl_archive_plan_parts (HlStore       *store,
                       const guint8  *subnet,
                       guint          year,
                       guint          month,
                       GError       **error)
{
  Planning p = { g_array_new (FALSE, FALSE, sizeof (HlSealPart)) };

  if (!hl_store_archive_foreach_record (store, subnet, year, month, 0, NULL, 0, TRUE, plan_step,
                                        &p, error))
    {
      g_array_unref (p.parts);
      return NULL;
    }
  if (p.parts->len > HL_ARCHIVE_MAX_PARTS)
    {
      g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_TOO_LARGE,
                   "A month of one subnet holds more than %u parts of %u bytes: this version "
                   "cannot seal it", HL_ARCHIVE_MAX_PARTS, HL_ARCHIVE_MAX_PLAINTEXT);
      g_array_unref (p.parts);
      return NULL;
    }
  return p.parts;
}

typedef struct
{
  GByteArray *bytes;
  GArray     *ids;
  guint       count;
  gboolean    overflowed;
} Filling;

static gboolean
fill_step (const guint8 *id,
           guint64       ts,
           const guint8 *raw,
           gsize         raw_len,
           const guint8 *sig,
           gpointer      user_data)
{
  Filling *f = user_data;
  guint8 length[4] = { (guint8) (raw_len >> 24), (guint8) (raw_len >> 16),
                       (guint8) (raw_len >> 8), (guint8) raw_len };

  if (f->bytes->len + raw_len + HL_ARCHIVE_RECORD_EXTRA > HL_ARCHIVE_MAX_PLAINTEXT)
    {
      f->overflowed = TRUE;
      return FALSE;
    }
  f->count++;
  g_byte_array_append (f->bytes, length, sizeof length);
  g_byte_array_append (f->bytes, raw, (guint) raw_len);
  g_byte_array_append (f->bytes, sig, HL_SIG_LEN);
  if (f->ids != NULL)
    {
      HlId held;

      memcpy (held.bytes, id, HL_ID_LEN);
      g_array_append_val (f->ids, held);
    }
  return TRUE;
}

GBytes *
hl_archive_part_plaintext (HlStore          *store,
                           const guint8     *subnet,
                           guint             year,
                           guint             month,
                           guint32           gen,
                           guint             part,
                           guint             parts,
                           const HlSealPart *plan,
                           GArray           *ids,
                           GError          **error)
{
  Filling f = { g_byte_array_sized_new ((guint) plan->bytes), ids, 0, FALSE };
  guint8 header[HL_ARCHIVE_HEADER_BYTES];

  hl_archive_header (subnet, year, month, gen, part, parts, plan->count, header);
  g_byte_array_append (f.bytes, header, sizeof header);
  if (!hl_store_archive_foreach_record (store, subnet, year, month, plan->first_ts,
                                        plan->first_id, plan->count, FALSE, fill_step, &f, error))
    {
      g_byte_array_unref (f.bytes);
      return NULL;
    }
  /* Another process changed the range since the plan: plan again. */
  if (f.bytes->len != plan->bytes)
    {
      g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_BAD_SEGMENT,
                   "The events of %04u-%02u changed while it was being sealed; try again",
                   year, month);
      g_byte_array_unref (f.bytes);
      return NULL;
    }
  return g_byte_array_free_to_bytes (f.bytes);
}

GBytes *
hl_archive_whole_plaintext (HlStore       *store,
                            const guint8  *subnet,
                            guint          year,
                            guint          month,
                            guint32        gen,
                            GArray        *ids,
                            gboolean      *fits,
                            GError       **error)
{
  Filling f = { g_byte_array_sized_new (64 * 1024), ids, 0, FALSE };
  guint8 header[HL_ARCHIVE_HEADER_BYTES];

  *fits = FALSE;
  hl_archive_header (subnet, year, month, gen, 0, 1, 0, header);
  g_byte_array_append (f.bytes, header, sizeof header);
  if (!hl_store_archive_foreach_record (store, subnet, year, month, 0, NULL, 0, FALSE, fill_step,
                                        &f, error))
    {
      g_byte_array_unref (f.bytes);
      return NULL;
    }
  if (f.overflowed)
    {
      if (ids != NULL)
        g_array_set_size (ids, 0);
      g_byte_array_unref (f.bytes);
      return NULL;
    }
  *fits = TRUE;
  /* The count goes in the header once it is known. */
  hl_archive_header (subnet, year, month, gen, 0, 1, f.count, f.bytes->data);
  return g_byte_array_free_to_bytes (f.bytes);
}

/* A private subnet's K_S, from the epoch key the manifest names (or the one
 * in effect now, for sealing). */
static gboolean
private_key_for (HlStore                 *store,
                 const guint8            *subnet,
                 const HlSegmentManifest *manifest,
                 guint8                  *out,
                 gboolean                *has_epoch,
                 guint8                  *epoch,
                 GError                 **error)
{
  g_autoptr(GError) local = NULL;
  HlPrivateKey key;

  if (manifest != NULL && !manifest->has_epoch)
    {
      g_set_error_literal (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_NO_KEY,
                           "A segment of a private subnet must name its epoch");
      return FALSE;
    }
  if (!hl_store_private_epoch_key (store, subnet, manifest != NULL ? manifest->epoch : NULL,
                                   &key, &local))
    {
      g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_NO_KEY, "%s", local->message);
      return FALSE;
    }
  hl_archive_private_key (key.key, subnet, out);
  if (has_epoch != NULL)
    *has_epoch = TRUE;
  if (epoch != NULL)
    memcpy (epoch, key.epoch, HL_ID_LEN);
  sodium_memzero (&key, sizeof key);
  return TRUE;
}

gboolean
hl_archive_key_for (HlStore                 *store,
                    const guint8            *subnet,
                    const HlSegmentManifest *manifest,
                    guint8                  *out,
                    gboolean                *has_epoch,
                    guint8                  *epoch,
                    GError                 **error)
{
  guint8 sig[HL_SIG_LEN];
  gboolean held;

  if (has_epoch != NULL)
    *has_epoch = FALSE;
  if (hl_store_private_is_subnet (store, subnet))
    return private_key_for (store, subnet, manifest, out, has_epoch, epoch, error);
  if (!hl_store_archive_subnet_create (store, subnet, sig, &held, error))
    return FALSE;
  if (!held)
    {
      g_autofree char *hex = hl_hex_dup (subnet, HL_ID_LEN);

      g_set_error (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_NO_KEY,
                   "The subnet %.12s… is not held here (or was deleted): its archive key "
                   "comes from its create event", hex);
      return FALSE;
    }
  hl_archive_subnet_key (subnet, sig, out);
  return TRUE;
}
