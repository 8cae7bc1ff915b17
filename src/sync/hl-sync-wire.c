/* hl-sync-wire.c: encodings of the sync protocol.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-wire.h"

#include <gio/gio.h>
#include <sodium.h>

#include "hl-error.h"
#include "hl-limits.h"
#include "hl-sync-error.h"

void
hl_sync_put_varint (GByteArray *out,
                    guint64     value)
{
  do
    {
      guint8 b = value & 0x7f;

      value >>= 7;
      if (value != 0)
        b |= 0x80;
      g_byte_array_append (out, &b, 1);
    }
  while (value != 0);
}

gboolean
hl_sync_get_varint (const guint8 **p,
                    const guint8  *end,
                    guint64       *value)
{
  const guint8 *q = *p;
  guint64 v = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      guint8 b;

      if (q >= end)
        return FALSE;
      b = *q++;
      /* The tenth byte holds bit 63 alone; a last byte of 0 after others
       * only pads: both have a shorter (or no) encoding, so both are refused. */
      if ((shift == 63 && b > 1) || (b == 0 && shift > 0))
        return FALSE;
      v |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          *value = v;
          *p = q;
          return TRUE;
        }
    }
  return FALSE;
}

void
hl_sync_put_event (GByteArray   *out,
                   const guint8 *raw,
                   gsize         raw_len,
                   const guint8 *sig)
{
  hl_sync_put_varint (out, raw_len);
  g_byte_array_append (out, raw, raw_len);
  g_byte_array_append (out, sig, HL_SIG_LEN);
}

gboolean
hl_sync_get_event (const guint8 **p,
                   const guint8  *end,
                   gint64         now_ms,
                   gint64         max_future_ms,
                   HlEvent      **event,
                   GError       **error)
{
  g_autoptr(HlEvent) decoded = NULL;
  guint64 len;
  const guint8 *raw;

  *event = NULL;
  if (!hl_sync_get_varint (p, end, &len) || len == 0 || len > HL_MAX_EVENT_BYTES ||
      (guint64) (end - *p) < len + HL_SIG_LEN)
    {
      g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_PROTOCOL,
                   "Broken events frame: a record length is missing, zero, above %d bytes "
                   "or runs past the frame", HL_MAX_EVENT_BYTES);
      return FALSE;
    }
  raw = *p;
  *p += len + HL_SIG_LEN;
  decoded = hl_event_decode (raw, len, raw + len, error);
  if (decoded == NULL || !hl_event_verify (decoded, now_ms, max_future_ms, error))
    return TRUE;
  *event = g_steal_pointer (&decoded);
  return TRUE;
}

void
hl_sync_handshake_message (const guint8 *nonce,
                           const guint8 *signer_key,
                           const guint8 *verifier_key,
                           guint8       *out)
{
  gsize ctx = sizeof HL_SYNC_HANDSHAKE_CONTEXT - 1;

  memcpy (out, HL_SYNC_HANDSHAKE_CONTEXT, ctx);
  memcpy (out + ctx, nonce, HL_SYNC_NONCE_LEN);
  memcpy (out + ctx + HL_SYNC_NONCE_LEN, signer_key, HL_KEY_LEN);
  memcpy (out + ctx + HL_SYNC_NONCE_LEN + HL_KEY_LEN, verifier_key, HL_KEY_LEN);
}

gboolean
hl_sync_handshake_verify (const guint8 *nonce,
                          const guint8 *signer_key,
                          const guint8 *verifier_key,
                          const guint8 *sig)
{
  guint8 msg[HL_SYNC_HANDSHAKE_MSG_LEN];

  hl_sync_handshake_message (nonce, signer_key, verifier_key, msg);
  return crypto_sign_verify_detached (sig, msg, sizeof msg, signer_key) == 0;
}

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

gboolean
hl_sync_text_is_one_object (const char *text,
                            gsize       len)
{
  gsize i = 0;
  guint depth = 0;

  while (i < len && is_json_space (text[i]))
    i++;
  if (i == len || text[i] != '{')
    return FALSE;
  for (; i < len; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          /* Skip the string, escapes and all. */
          for (i++; i < len && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
          if (i >= len)
            return FALSE;
        }
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        break;
    }
  if (i == len)
    return FALSE;   /* never closed */
  for (i++; i < len; i++)
    if (!is_json_space (text[i]))
      return FALSE;
  return TRUE;
}

/* A DNS name or an IP address. GUri decodes %-escapes in the host, which
 * could let in a '#', '/', '@' or ':' that would read back as another
 * address; none belongs in a host name. */
static gboolean
host_is_plain (const char *host)
{
  if (*host == '\0')
    return FALSE;
  if (strchr (host, ':') != NULL)
    return g_hostname_is_ip_address (host) && strchr (host, '%') == NULL;
  for (const char *c = host; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != '-' && *c != '_')
      return FALSE;
  return TRUE;
}

/* Printable ASCII: anything else in a path must come %-escaped. */
static gboolean
path_is_plain (const char *path)
{
  for (const char *c = path; *c != '\0'; c++)
    if ((guchar) *c <= 0x20 || (guchar) *c >= 0x7f)
      return FALSE;
  return TRUE;
}

char *
hl_sync_normalize_address (const char  *address,
                           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *path;
  int port;

  if (address == NULL || !g_str_has_prefix (address, "ws://"))
    {
      g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_ADDRESS,
                   "“%s” is not a peer address: write it as ws://HOST:PORT",
                   address ? address : "");
      return NULL;
    }
  /* The path stays as written, %-escapes and all, so that the result
   * reads back as itself. */
  uri = g_uri_parse (address, G_URI_FLAGS_ENCODED_PATH, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || !host_is_plain (g_uri_get_host (uri)) ||
      !path_is_plain (g_uri_get_path (uri)) || g_uri_get_query (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_ADDRESS,
                   "“%s” is not a peer address: write it as ws://HOST:PORT", address);
      return NULL;
    }
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = HL_SYNC_DEFAULT_PORT;
  path = g_uri_get_path (uri);
  if (path == NULL || strcmp (path, "/") == 0)
    path = "";
  if (strchr (g_uri_get_host (uri), ':') != NULL)
    return g_strdup_printf ("ws://[%s]:%d%s", g_uri_get_host (uri), port, path);
  return g_strdup_printf ("ws://%s:%d%s", g_uri_get_host (uri), port, path);
}

gboolean
hl_sync_parse_host_port (const char  *text,
                         guint16      default_port,
                         char       **host,
                         guint16     *port,
                         GError     **error)
{
  g_autoptr(GSocketConnectable) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  *host = NULL;
  parsed = text ? g_network_address_parse (text, default_port, &local_error) : NULL;
  name = parsed ? g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed)) : NULL;
  if (parsed == NULL || name == NULL || *name == '\0' ||
      (strchr (name, ':') != NULL && !g_hostname_is_ip_address (name)))
    {
      g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_ADDRESS,
                   "“%s” is not HOST:PORT (%s): write it as 127.0.0.1:%u, or [::1]:%u for "
                   "an IPv6 address", text ? text : "",
                   local_error ? local_error->message
                               : name == NULL || *name == '\0' ? "the host is missing"
                                                                : "the host is not an address",
                   HL_SYNC_DEFAULT_PORT, HL_SYNC_DEFAULT_PORT);
      return FALSE;
    }
  *host = g_strdup (name);
  *port = g_network_address_get_port (G_NETWORK_ADDRESS (parsed));
  return TRUE;
}

char *
hl_sync_join_host_port (const char *host,
                        guint       port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}
