/* hl-test-forge: signs one event with a key file and prints it as a JSON line.
 *
 * The process tests need validly signed events that hyperlinkctl would never
 * author itself: kinds this version does not know, timestamps in the future,
 * bodies over the size limit, bodies that break a known kind's schema.
 *
 *   hl-test-forge --key DIR/identity.key --kind KIND [--ts MS] [--ctr N]
 *                 [--ref HEX] [--body JSON]
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "hl-event.h"
#include "hl-identity.h"

static int
usage_error (const char *message)
{
  g_printerr ("hl-test-forge: %s\n", message);
  return 2;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- sign one test event");
  g_autoptr(GError) error = NULL;
  g_autoptr(HlIdentity) identity = NULL;
  g_autoptr(HlEvent) event = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *ref_hex = NULL;
  g_autofree char *body = NULL;
  g_autofree char *line = NULL;
  gint64 ts_ms = -1;
  int ctr = 0;
  guint8 ref[HL_ID_LEN];
  HlTimestamp ts;
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, "Key file to sign with", "FILE" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, "Event kind", "KIND" },
    { "ts", 0, 0, G_OPTION_ARG_INT64, &ts_ms, "Timestamp in ms (default: now)", "MS" },
    { "ctr", 0, 0, G_OPTION_ARG_INT, &ctr, "Clock counter (default 0)", "N" },
    { "ref", 0, 0, G_OPTION_ARG_STRING, &ref_hex, "Referenced object id", "HEX" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, "JSON object body (default {})", "JSON" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (key_path == NULL || kind == NULL)
    return usage_error ("--key and --kind are required");
  if (ctr < 0)
    return usage_error ("--ctr must not be negative");
  if (ref_hex != NULL && (strlen (ref_hex) != HL_ID_HEX_LEN ||
                          !hl_hex_decode (ref_hex, ref, HL_ID_LEN)))
    return usage_error ("--ref wants 64 hex digits");

  identity = hl_identity_load (key_path, &error);
  if (identity == NULL)
    {
      g_printerr ("hl-test-forge: %s\n", error->message);
      return 1;
    }

  ts.ms = ts_ms >= 0 ? (guint64) ts_ms : (guint64) hl_now_ms ();
  ts.ctr = (guint32) ctr;
  event = hl_event_new (kind, hl_identity_get_public_key (identity), &ts,
                        ref_hex != NULL ? ref : NULL, body != NULL ? body : "{}");
  hl_event_sign (event, identity);
  line = hl_event_to_json_text (event);
  g_print ("%s\n", line);
  return fflush (stdout) == 0 ? 0 : 1;
}
