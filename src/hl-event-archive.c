/* hl-event-archive.c: reading and writing the archive's event bodies.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-archive.h"

#include <sodium.h>

#include "hl-error.h"
#include "hl-event-private.h"

void
hl_segment_manifest_clear (HlSegmentManifest *manifest)
{
  g_clear_pointer (&manifest->roots, g_free);
}

static guint64
member_uint (const HlJsonStrict *body,
             const char         *name)
{
  const HlJsonStrictMember *m = hl_json_strict_lookup (body, name);
  guint64 value = 0;

  if (m != NULL && m->type == HL_JSON_STRICT_NUMBER)
    hl_json_strict_number_is_uint (m->value, m->value_len, G_MAXUINT64, &value);
  return value;
}

static gboolean
member_hex (const HlJsonStrict *body,
            const char         *name,
            guint8             *out,
            gsize               len)
{
  const HlJsonStrictMember *m = hl_json_strict_lookup (body, name);

  return m != NULL && m->type == HL_JSON_STRICT_STRING &&
         hl_event_hex_decode (m->value, m->value_len, out, len, TRUE);
}

/* The roots, which only json-glib reads (the strict reader keeps the
 * outermost members only); the body is strict JSON, so both agree. */
static gboolean
read_roots (const HlEvent     *event,
            HlSegmentManifest *m)
{
  g_autoptr(JsonNode) root = json_from_string (event->body, NULL);
  JsonArray *array = NULL;
  guint n;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    array = json_object_get_array_member (json_node_get_object (root), "roots");
  if (array == NULL)
    return FALSE;
  n = json_array_get_length (array);
  m->n_roots = n;
  m->roots = g_malloc0 ((gsize) MAX (n, 1) * HL_ID_LEN);
  for (guint i = 0; i < n; i++)
    {
      const char *hex = json_array_get_string_element (array, i);

      if (hex == NULL ||
          !hl_event_hex_decode (hex, strlen (hex), m->roots + (gsize) i * HL_ID_LEN, HL_ID_LEN,
                                TRUE))
        return FALSE;
    }
  return TRUE;
}

/* The members of a body whose members passed their own checks. */
static gboolean
extract (const HlEvent      *event,
         const HlJsonStrict *body,
         HlSegmentManifest  *m)
{
  const HlJsonStrictMember *month = hl_json_strict_lookup (body, "month");

  memset (m, 0, sizeof *m);
  memcpy (m->subnet, event->ref, HL_ID_LEN);
  if (month == NULL || month->value_len != 7)
    return FALSE;
  m->year = (guint) g_ascii_strtoull (month->value, NULL, 10);
  m->month = (guint) g_ascii_strtoull (month->value + 5, NULL, 10);
  m->gen = (guint32) member_uint (body, "gen");
  m->part = (guint) member_uint (body, "part");
  m->parts = (guint) member_uint (body, "parts");
  m->count = (guint32) member_uint (body, "count");
  m->first = member_uint (body, "first");
  m->last = member_uint (body, "last");
  m->size = member_uint (body, "size");
  m->has_supersedes = member_hex (body, "supersedes", m->supersedes, HL_ID_LEN);
  m->has_epoch = member_hex (body, "epoch", m->epoch, HL_ID_LEN);
  return member_hex (body, "set", m->set, HL_ID_LEN) &&
         member_hex (body, "hash", m->hash, HL_ID_LEN) &&
         member_hex (body, "oti", m->oti, HL_CODEC_OTI_SIZE) &&
         read_roots (event, m);
}

void
hl_archive_set_hash (const guint8 *subnet,
                     guint         year,
                     guint         month,
                     guint32       gen,
                     guint         parts,
                     const guint8 *hashes,
                     guint8       *out)
{
  crypto_generichash_state state;
  guint8 fields[2 + 1 + 4 + 2] = {
    (guint8) (year >> 8), (guint8) year, (guint8) month,
    (guint8) (gen >> 24), (guint8) (gen >> 16), (guint8) (gen >> 8), (guint8) gen,
    (guint8) (parts >> 8), (guint8) parts,
  };

  crypto_generichash_init (&state, NULL, 0, HL_ID_LEN);
  crypto_generichash_update (&state, (const guint8 *) "hl-set-v1", 9);
  crypto_generichash_update (&state, subnet, HL_ID_LEN);
  crypto_generichash_update (&state, fields, sizeof fields);
  crypto_generichash_update (&state, hashes, (gsize) parts * HL_ID_LEN);
  crypto_generichash_final (&state, out, HL_ID_LEN);
}

gboolean
hl_archive_oti_for_size (guint64      size,
                         HlCodecOti  *oti,
                         GError     **error)
{
  return hl_codec_oti_choose (size, HL_ARCHIVE_SYMBOL_SIZE, HL_ARCHIVE_ALIGNMENT,
                              HL_ARCHIVE_SUB_BLOCK_BYTES, HL_ARCHIVE_MIN_SUB_SYMBOL, oti, error);
}

/* The OTI must be, byte for byte, the one version 1 chooses for its own F:
 * then equal segments have equal OTIs, and no manifest can ask a decoder
 * for parameters no sealer would use. */
static gboolean
check_oti (HlSegmentManifest *m)
{
  guint64 f = ((guint64) m->oti[0] << 32) | ((guint64) m->oti[1] << 24) |
              ((guint64) m->oti[2] << 16) | ((guint64) m->oti[3] << 8) | m->oti[4];
  guint8 expected[HL_CODEC_OTI_SIZE];

  if (f == 0 || f > HL_ARCHIVE_MAX_SIZE || !hl_archive_oti_for_size (f, &m->codec, NULL))
    return FALSE;
  hl_codec_oti_serialize (&m->codec, expected);
  return memcmp (expected, m->oti, HL_CODEC_OTI_SIZE) == 0;
}

static gboolean
check_consistency (const HlEvent      *event,
                   HlSegmentManifest  *m,
                   GError            **error)
{
  gint64 start = hl_archive_month_start_ms (m->year, m->month);
  guint next_year = m->year, next_month = m->month;
  gint64 end;

  hl_archive_month_next (&next_year, &next_month);
  end = hl_archive_month_start_ms (next_year, next_month);
  if (m->part >= m->parts)
    return hl_event_refuse (error, HL_REFUSE_SEGMENT_BAD_RANGE,
                            "Invalid %s event: part %u of %u parts", event->kind, m->part,
                            m->parts);
  if (m->first > m->last || (gint64) m->first < start || (gint64) m->last >= end)
    return hl_event_refuse (error, HL_REFUSE_SEGMENT_BAD_RANGE,
                            "Invalid %s event: “first” and “last” must be times in the month, "
                            "in order", event->kind);
  if (!check_oti (m))
    return hl_event_refuse (error, HL_REFUSE_SEGMENT_BAD_OTI,
                            "Invalid %s event: “oti” is not the RaptorQ OTI version 1 uses "
                            "(T 1024, Al 4, Z and N by RFC 6330 4.3)", event->kind);
  if (m->size != m->codec.transfer_length)
    return hl_event_refuse (error, HL_REFUSE_SEGMENT_SIZE_MISMATCH,
                            "Invalid %s event: “size” is %" G_GUINT64_FORMAT " but the OTI "
                            "describes %" G_GUINT64_FORMAT " bytes", event->kind, m->size,
                            m->codec.transfer_length);
  if (m->n_roots != m->codec.source_blocks)
    return hl_event_refuse (error, HL_REFUSE_SEGMENT_ROOTS_COUNT,
                            "Invalid %s event: %u roots for %u source blocks", event->kind,
                            m->n_roots, m->codec.source_blocks);
  return TRUE;
}

gboolean
hl_event_archive_check_segment (const HlEvent      *event,
                                const HlJsonStrict *body,
                                GError            **error)
{
  g_auto(HlSegmentManifest) m = { { 0 } };

  if (!extract (event, body, &m))
    return hl_event_refuse (error, HL_REFUSE_MEMBER_TYPE, "Invalid %s event: unreadable members",
                            event->kind);
  return check_consistency (event, &m, error);
}

gboolean
hl_segment_manifest_read (const HlEvent      *event,
                          HlSegmentManifest  *manifest,
                          GError            **error)
{
  g_auto(HlJsonStrict) body = HL_JSON_STRICT_INIT;

  memset (manifest, 0, sizeof *manifest);
  if (strcmp (event->kind, HL_KIND_ARCHIVE_SEGMENT) != 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED,
                   "A %s event is not a segment manifest", event->kind);
      return FALSE;
    }
  if (!hl_event_read_body (event, &body, error) || !hl_event_check_schema (event, &body, error))
    return FALSE;
  if (!extract (event, &body, manifest) || !check_consistency (event, manifest, error))
    {
      hl_segment_manifest_clear (manifest);
      return hl_event_refuse (error, HL_REFUSE_MEMBER_TYPE, "Invalid %s event", event->kind);
    }
  return TRUE;
}

char *
hl_segment_manifest_month (const HlSegmentManifest *manifest)
{
  return g_strdup_printf ("%04u-%02u", manifest->year, manifest->month);
}

static void
append_hex (GString      *out,
            const char   *name,
            const guint8 *data,
            gsize         len)
{
  g_autofree char *hex = hl_hex_dup (data, len);

  g_string_append_printf (out, ",\"%s\":\"%s\"", name, hex);
}

char *
hl_segment_manifest_body (const HlSegmentManifest *m)
{
  g_autofree char *month = hl_segment_manifest_month (m);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "{\"month\":\"%s\",\"gen\":%u,\"part\":%u,\"parts\":%u", month,
                          m->gen, m->part, m->parts);
  append_hex (out, "set", m->set, HL_ID_LEN);
  g_string_append_printf (out, ",\"count\":%u,\"first\":%" G_GUINT64_FORMAT ",\"last\":%"
                          G_GUINT64_FORMAT ",\"size\":%" G_GUINT64_FORMAT, m->count, m->first,
                          m->last, m->size);
  append_hex (out, "hash", m->hash, HL_ID_LEN);
  append_hex (out, "oti", m->oti, HL_CODEC_OTI_SIZE);
  g_string_append (out, ",\"roots\":[");
  for (guint i = 0; i < m->n_roots; i++)
    {
      g_autofree char *hex = hl_hex_dup (m->roots + (gsize) i * HL_ID_LEN, HL_ID_LEN);

      g_string_append_printf (out, "%s\"%s\"", i > 0 ? "," : "", hex);
    }
  g_string_append_c (out, ']');
  if (m->has_epoch)
    append_hex (out, "epoch", m->epoch, HL_ID_LEN);
  if (m->has_supersedes)
    append_hex (out, "supersedes", m->supersedes, HL_ID_LEN);
  else
    g_string_append (out, ",\"supersedes\":null");
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* The strict body of a known archive kind that passed validation. */
static gboolean
read_valid_body (const HlEvent *event,
                 const char    *kind,
                 HlJsonStrict  *body)
{
  return strcmp (event->kind, kind) == 0 && hl_event_read_body (event, body, NULL) &&
         hl_event_check_schema (event, body, NULL);
}

gboolean
hl_archive_holder_quota (const HlEvent *event,
                         guint64       *quota)
{
  g_auto(HlJsonStrict) body = HL_JSON_STRICT_INIT;

  if (!read_valid_body (event, HL_KIND_ARCHIVE_HOLDER, &body))
    return FALSE;
  *quota = member_uint (&body, "quota");
  return TRUE;
}

gboolean
hl_archive_policy_lose (const HlEvent *event,
                        gint          *lose)
{
  g_auto(HlJsonStrict) body = HL_JSON_STRICT_INIT;
  const HlJsonStrictMember *m;

  if (!read_valid_body (event, HL_KIND_ARCHIVE_POLICY, &body))
    return FALSE;
  m = hl_json_strict_lookup (&body, "lose");
  *lose = m->type == HL_JSON_STRICT_STRING ? HL_ARCHIVE_LOSE_HALF
                                           : (gint) member_uint (&body, "lose");
  return TRUE;
}

gboolean
hl_archive_month_of (guint64  ts_ms,
                     guint   *year,
                     guint   *month)
{
  g_autoptr(GDateTime) time = NULL;

  if (ts_ms > G_MAXINT64 / 2 ||
      !(time = g_date_time_new_from_unix_utc ((gint64) (ts_ms / 1000))))
    return FALSE;
  *year = (guint) g_date_time_get_year (time);
  *month = (guint) g_date_time_get_month (time);
  return *year >= HL_ARCHIVE_FIRST_YEAR && *year <= HL_ARCHIVE_LAST_YEAR;
}

gint64
hl_archive_month_start_ms (guint year,
                           guint month)
{
  g_autoptr(GDateTime) time = NULL;

  /* The month after 9999-12 has no GDateTime: it starts where no
   * timestamp this version seals reaches. */
  if (year > HL_ARCHIVE_LAST_YEAR)
    return G_MAXINT64;
  time = g_date_time_new_utc ((gint) year, (gint) month, 1, 0, 0, 0);
  return g_date_time_to_unix (time) * 1000;
}

void
hl_archive_month_next (guint *year,
                       guint *month)
{
  if (++*month > 12)
    {
      *month = 1;
      ++*year;
    }
}
