/* hl-ctl-input.c: what people give hyperlinkctl besides options: text in
 * files, peer addresses, a yes at the terminal.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include <stdio.h>
#include <unistd.h>
#include <gio/gunixinputstream.h>

#include "hl-error.h"
#include "hl-limits.h"
#include "hl-sync-wire.h"

void
hl_ctl_body_clear (HlCtlBody *body)
{
  g_clear_pointer (&body->text, g_free);
  g_clear_pointer (&body->file, g_free);
}

static GInputStream *
open_body_file (const char  *path,
                GError     **error)
{
  g_autoptr(GFile) file = NULL;

  if (strcmp (path, "-") == 0)
    return g_unix_input_stream_new (STDIN_FILENO, FALSE);
  file = g_file_new_for_commandline_arg (path);
  return (GInputStream *) g_file_read (file, NULL, error);
}

/* Reads at most one byte more than a body may hold, so that neither a huge
 * file nor an endless standard input is read to its end. */
static char *
read_body_file (const char  *path,
                GError     **error)
{
  g_autoptr(GInputStream) input = NULL;
  g_autofree char *text = g_malloc (HL_MAX_BODY_BYTES + 2);
  const char *name = strcmp (path, "-") == 0 ? "standard input" : path;
  const char *bad;
  gsize n = 0;

  if (!(input = open_body_file (path, error)) ||
      !g_input_stream_read_all (input, text, HL_MAX_BODY_BYTES + 1, &n, NULL, error))
    {
      g_prefix_error (error, "Cannot read --body-file %s: ", name);
      return NULL;
    }
  if (n > HL_MAX_BODY_BYTES)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_TOO_LARGE,
                   "%s holds more than %d bytes: a post may be at most %d characters and %d "
                   "bytes", name, HL_MAX_BODY_BYTES, HL_MAX_POST_CHARS, HL_MAX_BODY_BYTES);
      return NULL;
    }
  text[n] = '\0';
  if (memchr (text, '\0', n) != NULL)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                   "%s is not text: it holds a NUL byte at offset %zu", name,
                   (gsize) ((const char *) memchr (text, '\0', n) - text));
      return NULL;
    }
  if (!g_utf8_validate_len (text, n, &bad))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                   "%s is not UTF-8 text: the byte at offset %zu is not valid UTF-8 "
                   "(convert it first, e.g. with iconv)", name, (gsize) (bad - text));
      return NULL;
    }
  /* A file ends with a line break; the post need not. */
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
    text[--n] = '\0';
  return g_steal_pointer (&text);
}

char *
hl_ctl_body_text (HlCtl     *ctl,
                  HlCtlBody *body,
                  int       *rc)
{
  g_autoptr(GError) error = NULL;
  char *text;

  *rc = HL_CTL_EXIT_OK;
  if (body->text != NULL && body->file != NULL)
    {
      *rc = hl_ctl_usage_error (ctl, "give the text with --body or --body-file, not both");
      return NULL;
    }
  if (body->file == NULL)
    return g_strdup (body->text);
  if (!(text = read_body_file (body->file, &error)))
    *rc = hl_ctl_fail (ctl, error);
  return text;
}

static void
set_address_error (GError     **error,
                   const char  *text,
                   const char  *why)
{
  g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED,
               "“%s” is not a peer address (%s): write HOST, HOST:PORT, [IPv6]:PORT or "
               "ws://HOST:PORT; the port is %d unless given", text, why, HL_SYNC_DEFAULT_PORT);
}

/* Letters, digits, dots, hyphens and underscores, or an IP address. */
static gboolean
is_host_name (const char *host)
{
  if (*host == '\0')
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

char *
hl_ctl_peer_address (const char  *text,
                     GError     **error)
{
  g_autoptr(GSocketConnectable) parsed = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *ascii = NULL;
  g_autofree char *url = NULL;
  const char *host;
  guint16 port;

  if (strstr (text, "://") != NULL)
    {
      if (!g_str_has_prefix (text, "ws://"))
        {
          set_address_error (error, text, "Hyperlink peers speak ws://");
          return NULL;
        }
      return hl_sync_normalize_address (text, error);
    }

  if (!(parsed = g_network_address_parse (text, HL_SYNC_DEFAULT_PORT, &local)))
    {
      set_address_error (error, text, local->message);
      return NULL;
    }
  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed));
  port = g_network_address_get_port (G_NETWORK_ADDRESS (parsed));
  /* Internationalised names travel as their ASCII (punycode) form. */
  if (!(ascii = g_hostname_to_ascii (host)) || !is_host_name (ascii))
    {
      set_address_error (error, text, "that is not a host name");
      return NULL;
    }
  if (port == 0)
    {
      set_address_error (error, text, "port 0 cannot be dialled");
      return NULL;
    }
  url = g_strdup_printf (strchr (ascii, ':') ? "ws://[%s]:%u" : "ws://%s:%u", ascii, port);
  return hl_sync_normalize_address (url, error);
}

gboolean
hl_ctl_confirm (HlCtl      *ctl,
                const char *question)
{
  char answer[16];

  if (ctl->json || !isatty (STDIN_FILENO) || !isatty (STDERR_FILENO))
    return FALSE;
  g_printerr ("%s [y/N] ", question);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);
  return g_ascii_strcasecmp (answer, "y") == 0 || g_ascii_strcasecmp (answer, "yes") == 0;
}
