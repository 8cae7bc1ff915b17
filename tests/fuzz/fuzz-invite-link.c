/* fuzz-invite-link.c: an invite link, as pasted by a user who got it from
 * anyone (hl_invite_parse).
 *
 * Input: the link text. Invariants: a link that parses is signed by the
 * key it names, and writing it out again gives a link that parses to the
 * same invite and writes out to the same text.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "fuzz-sync-init.h"

#include "hl-invite.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
assert_same_strv (GStrv a,
                  GStrv b)
{
  g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
  for (guint i = 0; a[i] != NULL; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(HlInvite) invite = NULL;
  g_autoptr(HlInvite) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *link_again = NULL;

  fuzz_sync_init ();

  invite = hl_invite_parse (text, &error);
  if (invite == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_true (hl_invite_verify (invite, invite->node));
  link = hl_invite_to_link (invite);
  again = hl_invite_parse (link, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (again->node, HL_KEY_LEN, invite->node, HL_KEY_LEN);
  g_assert_cmpmem (again->id, HL_INVITE_ID_LEN, invite->id, HL_INVITE_ID_LEN);
  g_assert_cmpmem (again->sig, HL_SIG_LEN, invite->sig, HL_SIG_LEN);
  g_assert_cmpint (again->expires_ms, ==, invite->expires_ms);
  g_assert_cmpuint (again->uses, ==, invite->uses);
  g_assert_cmpint (again->has_subnet, ==, invite->has_subnet);
  if (invite->has_subnet)
    g_assert_cmpmem (again->subnet, HL_ID_LEN, invite->subnet, HL_ID_LEN);
  assert_same_strv (again->addresses, invite->addresses);
  assert_same_strv (again->bootstrap, invite->bootstrap);
  link_again = hl_invite_to_link (again);
  g_assert_cmpstr (link_again, ==, link);
  return 0;
}
