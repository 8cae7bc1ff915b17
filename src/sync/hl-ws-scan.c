/* hl-ws-scan.c: the HTTP head and WebSocket frame headers, as they pass.
 *
 * Only headers are read, never payloads: the scanner keeps a frame header
 * (at most 14 bytes) and a few counts, whatever comes. It enforces what
 * libsoup 3.2 does not, or not before buffering: the head's length, the
 * sum of a message's fragments, reserved bits (no extension is agreed),
 * and RFC 6455's rules for control frames.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ws-scan.h"

#include "hl-sync-wire.h"

#define CONTROL_MAX   125   /* RFC 6455, 5.5 */

/* Close codes (RFC 6455, 7.4.1), as libsoup names them. */
#define CLOSE_PROTOCOL_ERROR  1002
#define CLOSE_TOO_BIG         1009

static void
breach (HlWsScan   *self,
        gushort     code,
        const char *format,
        ...) G_GNUC_PRINTF (3, 4);

static void
breach (HlWsScan   *self,
        gushort     code,
        const char *format,
        ...)
{
  va_list args;

  self->phase = HL_WS_SCAN_BROKEN;
  self->breach = code;
  va_start (args, format);
  self->why = g_strdup_vprintf (format, args);
  va_end (args);
}

static char *
format_limit (guint64 bytes)
{
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " MiB", bytes / (1024 * 1024));
  if (bytes >= 1024 && bytes % 1024 == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " KiB", bytes / 1024);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", bytes);
}

/* Consumes head bytes from @data; stops at the blank line (the phase turns
 * to frames) or at a breach. Returns the bytes that belong to the head. */
static gsize
scan_head (HlWsScan     *self,
           const guint8 *data,
           gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (++self->head_len > HL_SYNC_MAX_HTTP_HEAD)
        {
          g_autofree char *limit = format_limit (HL_SYNC_MAX_HTTP_HEAD);

          breach (self, CLOSE_TOO_BIG,
                   "an HTTP request head longer than %s", limit);
          return i;
        }
      if (data[i] == '\r')
        continue;
      if (data[i] != '\n')
        {
          self->line_len++;
          self->head_started = TRUE;
          continue;
        }
      if (self->line_len == 0 && self->head_started)
        {
          self->head_done = TRUE;
          self->phase = HL_WS_SCAN_FRAMES;
          return i + 1;
        }
      self->line_len = 0;
    }
  return len;
}

static guint64
frame_length (const guint8 *header)
{
  guint code = header[1] & 0x7f;
  guint64 len = 0;

  if (code < 126)
    return code;
  for (guint i = 0; i < (code == 126 ? 2u : 8u); i++)
    len = len << 8 | header[2 + i];
  return len;
}

/* A frame header is complete: FALSE (and a breach reported) when the frame
 * must not reach libsoup. */
static gboolean
check_frame (HlWsScan *self)
{
  gboolean fin = (self->header[0] & 0x80) != 0;
  guint opcode = self->header[0] & 0x0f;
  guint64 len = frame_length (self->header);

  if (self->header[0] & 0x70)
    {
      breach (self, CLOSE_PROTOCOL_ERROR,
               "a frame with reserved bits set: no extension was agreed "
               "(this node refuses permessage-deflate)");
      return FALSE;
    }
  if (opcode & 0x08)
    {
      if (len > CONTROL_MAX || !fin)
        {
          breach (self, CLOSE_PROTOCOL_ERROR,
                   "a control frame that is fragmented or longer than 125 bytes");
          return FALSE;
        }
      self->payload_left = len;
      return TRUE;
    }
  if (opcode != 0)
    self->message_len = 0;
  if (len > self->max_message || self->message_len + len > self->max_message)
    {
      g_autofree char *limit = format_limit (self->max_message);

      breach (self, CLOSE_TOO_BIG, "a message larger than %s%s", limit,
               self->ready ? "" : " before the handshake finished");
      return FALSE;
    }
  self->message_len = fin ? 0 : self->message_len + len;
  self->payload_left = len;
  return TRUE;
}

gsize
hl_ws_scan_feed (HlWsScan     *self,
                 const guint8 *data,
                 gsize         len)
{
  gsize i = 0;
  gsize frame_at = 0;    /* where the header being read began; 0 if in an earlier read */

  while (i < len)
    {
      if (self->phase == HL_WS_SCAN_HEAD)
        {
          i += scan_head (self, data + i, len - i);
          if (self->phase != HL_WS_SCAN_HEAD)
            return i;
          continue;
        }
      if (self->payload_left > 0)
        {
          guint64 n = MIN (self->payload_left, (guint64) (len - i));

          i += n;
          self->payload_left -= n;
          if (self->payload_left == 0 && !self->ready)
            return i;
          continue;
        }
      if (self->header_len == 0)
        frame_at = i;
      self->header[self->header_len++] = data[i++];
      if (self->header_len == 2)
        {
          guint code = self->header[1] & 0x7f;

          self->header_need = 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) +
                              (self->header[1] & 0x80 ? 4 : 0);
        }
      if (self->header_len >= 2 && self->header_len == self->header_need)
        {
          self->header_len = 0;
          if (!check_frame (self))
            return frame_at;
          if (self->payload_left == 0 && !self->ready)
            return i;
        }
    }
  return len;
}

void
hl_ws_scan_init (HlWsScan *self,
                 gboolean  with_head)
{
  memset (self, 0, sizeof *self);
  self->phase = with_head ? HL_WS_SCAN_HEAD : HL_WS_SCAN_FRAMES;
  self->head_done = !with_head;
  self->max_message = HL_SYNC_MAX_MESSAGE_EARLY;
}

void
hl_ws_scan_clear (HlWsScan *self)
{
  g_clear_pointer (&self->why, g_free);
}

void
hl_ws_scan_set_ready (HlWsScan *self)
{
  self->ready = TRUE;
  self->max_message = HL_SYNC_MAX_MESSAGE;
}
