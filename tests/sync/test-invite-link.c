/* test-invite-link.c: the invite link format: a known answer for second
 * implementations, round trips, and every malformed or altered link.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "hl-invite.h"

#define VECTOR_SIG \
  "4dbe11715e18ea7ab321473b61d3c3b74661e4577863dddce850d44540462af8" \
  "d1709f05240565500af1213de2fd4ce8070efd01acd8dfb15249db9ebe887e0b"
#define VECTOR_LINK \
  "hyperlink:invite?v=1&d=eyJub2RlIjoiOGE4OGUzZGQ3NDA5ZjE5NWZkNTJkYjJkM2NiYTVkNzJjYTY3MDliZ" \
  "jFkOTQxMjFiZjM3NDg4MDFiNDBmNmY1YyIsImFkZHJzIjpbIndzOi8vYWxpY2UudGFpbG5ldC50cy5uZXQ6OTQ3M" \
  "yIsIndzOi8vMTAwLjY0LjAuMTo5NDczIl0sImJvb3QiOltdLCJpZCI6IjAwMDEwMjAzMDQwNTA2MDcwODA5MGEwY" \
  "jBjMGQwZTBmIiwiZXhwIjoxODAwMDAwMDAwMDAwLCJ1c2VzIjozLCJzaWciOiI0ZGJlMTE3MTVlMThlYTdhYjMyM" \
  "TQ3M2I2MWQzYzNiNzQ2NjFlNDU3Nzg2M2RkZGNlODUwZDQ0NTQwNDYyYWY4ZDE3MDlmMDUyNDA1NjU1MDBhZjEyM" \
  "TNkZTJmZDRjZTgwNzBlZmQwMWFjZDhkZmIxNTI0OWRiOWViZTg4N2UwYiJ9"

/* docs/protocol.md, "Invites", test vector. */
static HlInvite *
vector_invite (HlIdentity **identity)
{
  HlInvite *invite = g_new0 (HlInvite, 1);
  guint8 seed[32];
  const char *addresses[] = { "ws://alice.tailnet.ts.net:9473", "ws://100.64.0.1:9473", NULL };
  const char *none[] = { NULL };

  memset (seed, 0x01, sizeof seed);
  *identity = hl_identity_new_from_seed (seed);
  for (guint i = 0; i < HL_INVITE_ID_LEN; i++)
    invite->id[i] = (guint8) i;
  invite->id_hex = hl_hex_dup (invite->id, HL_INVITE_ID_LEN);
  invite->expires_ms = 1800000000000;
  invite->uses = 3;
  invite->addresses = g_strdupv ((char **) addresses);
  invite->bootstrap = g_strdupv ((char **) none);
  hl_invite_sign (invite, *identity);
  return invite;
}

static void
test_known_answer (void)
{
  g_autoptr(HlIdentity) identity = NULL;
  g_autoptr(HlInvite) invite = vector_invite (&identity);
  g_autoptr(HlInvite) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = hl_invite_to_link (invite);
  g_autofree char *sig = hl_hex_dup (invite->sig, HL_SIG_LEN);

  g_test_message ("key %s", invite->node_hex);
  g_test_message ("sig %s", sig);
  g_test_message ("link %s", link);
  g_assert_cmpstr (invite->node_hex, ==, "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c");
  g_assert_cmpstr (sig, ==, VECTOR_SIG);
  g_assert_cmpstr (link, ==, VECTOR_LINK);

  parsed = hl_invite_parse (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->id_hex, ==, "000102030405060708090a0b0c0d0e0f");
  g_assert_cmpint (parsed->expires_ms, ==, 1800000000000);
  g_assert_cmpuint (parsed->uses, ==, 3);
  g_assert_false (parsed->has_subnet);
  g_assert_cmpstr (parsed->addresses[1], ==, "ws://100.64.0.1:9473");
  g_assert_true (hl_invite_verify (parsed, invite->node));
}

static void
test_round_trip (void)
{
  g_autoptr(HlIdentity) identity = hl_identity_new_random ();
  g_autoptr(HlIdentity) other = hl_identity_new_random ();
  g_autoptr(HlInvite) invite = NULL;
  g_autoptr(HlInvite) parsed = NULL;
  g_autoptr(HlInvite) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *link = NULL;
  const char *addresses[] = { "ws://[fd7a:115c:a1e0::1]:9473", "ws://host", NULL };
  const char *boot[] = { "ws://boot:1", NULL };
  guint8 subnet[HL_ID_LEN];

  memset (subnet, 0xab, sizeof subnet);
  invite = hl_invite_new (identity, addresses, boot, 1800000000000, 7, subnet, &error);
  g_assert_no_error (error);
  link = hl_invite_to_link (invite);
  g_assert_true (g_str_has_prefix (link, HL_INVITE_LINK_PREFIX));
  g_assert_null (strchr (link + strlen (HL_INVITE_LINK_PREFIX), '='));
  /* Links get pasted with blanks around them. */
  {
    g_autofree char *padded = g_strdup_printf ("  %s\n", link);
    parsed = hl_invite_parse (padded, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->addresses[1], ==, "ws://host:9473");
  g_assert_cmpstr (parsed->bootstrap[0], ==, "ws://boot:1");
  g_assert_true (parsed->has_subnet);
  g_assert_cmpmem (parsed->subnet, HL_ID_LEN, subnet, HL_ID_LEN);

  /* The token alone, as in a redeem message, checks with the inviter's key only. */
  json = hl_invite_token_to_json (invite);
  token = hl_invite_token_from_json (json, hl_identity_get_public_key (identity), &error);
  g_assert_no_error (error);
  g_assert_true (hl_invite_verify (token, hl_identity_get_public_key (identity)));
  g_assert_false (hl_invite_verify (token, hl_identity_get_public_key (other)));
}

static void
test_bad_links (void)
{
  static const char * const malformed[] = {
    "", "hyperlink:", "https://example.com/", "hyperlink:invite?v=2&d=e30",
    HL_INVITE_LINK_PREFIX, HL_INVITE_LINK_PREFIX "e30",                 /* {} */
    HL_INVITE_LINK_PREFIX "W10",                                        /* [] */
    HL_INVITE_LINK_PREFIX "!!!!", HL_INVITE_LINK_PREFIX "a",
    HL_INVITE_LINK_PREFIX "bm90IGpzb24",                                /* not json */
  };
  g_autoptr(HlIdentity) identity = NULL;
  g_autoptr(HlInvite) invite = vector_invite (&identity);
  g_autofree char *huge = g_strnfill (HL_INVITE_MAX_LINK + 10, 'A');
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_assert_null (hl_invite_parse (malformed[i], &error));
      g_assert_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED);
      g_clear_error (&error);
    }
  g_assert_null (hl_invite_parse (huge, &error));
  g_assert_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Any change to a signed field is a forgery; to an address, it is not
   * (the fingerprint check catches that one). */
  invite->uses = 4;
  {
    g_autofree char *link = hl_invite_to_link (invite);
    g_assert_null (hl_invite_parse (link, &error));
    g_assert_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_FORGED);
    g_clear_error (&error);
  }
  invite->uses = 3;
  g_free (invite->addresses[0]);
  invite->addresses[0] = g_strdup ("ws://mallory:9473");
  {
    g_autofree char *link = hl_invite_to_link (invite);
    g_autoptr(HlInvite) parsed = hl_invite_parse (link, &error);
    g_assert_no_error (error);
  }
  g_assert_null (hl_invite_new (identity, NULL, NULL, 1, 1, NULL, &error));
  g_assert_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED);
}

/* base64url is read strictly, so that one link means one invite to every
 * reader: padding, the standard alphabet's + and /, and unused low bits
 * that are not zero are damage. */
static void
test_strict_base64url (void)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  g_autoptr(HlIdentity) identity = hl_identity_new_random ();
  g_autoptr(GError) error = NULL;
  guint tried_tails = 0;

  for (guint n = 1; n <= 3; n++)
    {
      g_autofree char *host = g_strdup_printf ("ws://%.*s:9473", (int) n, "hhh");
      const char *addresses[] = { host, NULL };
      g_autoptr(HlInvite) invite = hl_invite_new (identity, addresses, NULL, 1800000000000, 1,
                                                  NULL, &error);
      g_autofree char *link = hl_invite_to_link (invite);
      g_autoptr(HlInvite) parsed = hl_invite_parse (link, &error);
      gsize data_len = strlen (link) - strlen (HL_INVITE_LINK_PREFIX);
      char *last = link + strlen (link) - 1;
      g_autofree char *padded = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (parsed);
      if (data_len % 4 == 0)
        continue;
      tried_tails++;
      padded = g_strconcat (link, data_len % 4 == 2 ? "==" : "=", NULL);
      g_assert_null (hl_invite_parse (padded, &error));
      g_assert_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED);
      g_clear_error (&error);

      /* The lowest bit of the last character encodes nothing here. */
      *last = alphabet[(strchr (alphabet, *last) - alphabet) ^ 1];
      g_assert_null (hl_invite_parse (link, &error));
      g_assert_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED);
      g_clear_error (&error);
    }
  g_assert_cmpuint (tried_tails, >, 0);

  g_assert_null (hl_invite_parse (HL_INVITE_LINK_PREFIX "e3+", &error));
  g_assert_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (hl_invite_parse (HL_INVITE_LINK_PREFIX "e30/", &error));
  g_assert_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/sync/invite-link/known-answer", test_known_answer);
  g_test_add_func ("/sync/invite-link/round-trip", test_round_trip);
  g_test_add_func ("/sync/invite-link/bad", test_bad_links);
  g_test_add_func ("/sync/invite-link/strict-base64url", test_strict_base64url);
  return g_test_run ();
}
