/* fuzz-sync-address.c: a peer address as a peer or a user writes it
 * (discovery messages, invites, --peer).
 *
 * Input: the address text. Invariants: a normalised address is
 * ws://HOST:PORT[/PATH] with a port from 1 to 65535, GLib reads it back as
 * a URI (as libsoup will), and normalising it again changes nothing.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "fuzz-sync-init.h"

#include "hl-sync-wire.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *normal = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  fuzz_sync_init ();

  normal = hl_sync_normalize_address (text, &error);
  if (normal == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_true (g_str_has_prefix (normal, "ws://"));
  /* As libsoup reads it when it dials: the path stays escaped. */
  uri = g_uri_parse (normal, G_URI_FLAGS_ENCODED_PATH, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpint (g_uri_get_port (uri), >=, 1);
  g_assert_cmpint (g_uri_get_port (uri), <=, 65535);
  g_assert_nonnull (g_uri_get_host (uri));
  again = hl_sync_normalize_address (normal, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, normal);
  return 0;
}
