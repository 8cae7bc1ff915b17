/* fuzz-invite-token.c: the token of a `redeem` message, which any peer can
 * send (hl_invite_token_from_json, after the node's gate and JSON parser).
 *
 * Input: the JSON text of the token. Invariants: a text that passes
 * hl_sync_text_is_one_object and parses is an object; a token that reads
 * writes back to JSON that reads to the same token, and writes the same
 * again.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "fuzz-sync-init.h"

#include "hl-invite.h"
#include "hl-sync-wire.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint8 node[HL_KEY_LEN] = { 0x4e, 0x0d, 0xe0 };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(HlInvite) token = NULL;
  g_autoptr(HlInvite) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) json_again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  fuzz_sync_init ();

  /* As the node takes a text message: UTF-8 (libsoup checks), one object,
   * then json-glib. What passes the gate and parses is an object. */
  if (!g_utf8_validate ((const char *) data, (gssize) size, NULL) ||
      !hl_sync_text_is_one_object ((const char *) data, size) ||
      !json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL))
    return 0;
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  token = hl_invite_token_from_json (json_parser_get_root (parser), node, &error);
  if (token == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  json = hl_invite_token_to_json (token);
  text = json_to_string (json, FALSE);
  again = hl_invite_token_from_json (json, node, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (again->id, HL_INVITE_ID_LEN, token->id, HL_INVITE_ID_LEN);
  g_assert_cmpmem (again->sig, HL_SIG_LEN, token->sig, HL_SIG_LEN);
  g_assert_cmpint (again->expires_ms, ==, token->expires_ms);
  g_assert_cmpuint (again->uses, ==, token->uses);
  g_assert_cmpint (again->has_subnet, ==, token->has_subnet);
  json_again = hl_invite_token_to_json (again);
  text_again = json_to_string (json_again, FALSE);
  g_assert_cmpstr (text_again, ==, text);
  return 0;
}
