/* test-invite.c: invite links between real hyperlinkd processes on
 * loopback: the whole flow, and every way an invite must be refused.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>

#include "hl-invite.h"
#include "hl-paths.h"
#include "hl-store-discovery.h"
#include "hl-test-client.h"
#include "hl-test-node.h"

#define ACCEPT_TIMEOUT "20"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* `invite create --json` with @address and the options that follow. */
static JsonObject *
create_invite (HlTestNode *node,
               const char *address,
               const char *option,
               const char *value)
{
  g_autofree char *out = hl_test_node_ctl (node, "invite", "create", "--json", "--address", address,
                                           option, value, NULL);

  return parse_object (out);
}

static int
accept_invite (HlTestNode  *node,
               const char  *link,
               char       **err)
{
  g_autofree char *out = NULL;

  return hl_test_node_ctl_full (node, &out, err, "invite", "accept", "--timeout", ACCEPT_TIMEOUT,
                                link, NULL);
}

static char *
key_of (HlTestNode *node)
{
  g_autofree char *out = hl_test_node_ctl (node, "whoami", "--json", NULL);
  g_autoptr(JsonObject) obj = parse_object (out);

  return g_strdup (json_object_get_string_member (obj, "key"));
}

/* The link with one member of its data replaced, as a forger would. */
static char *
tamper (const char *link,
        const char *member,
        gint64      value)
{
  g_autoptr(GString) data = g_string_new (link + strlen (HL_INVITE_LINK_PREFIX));
  g_autofree guchar *json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *encoded = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  gsize len;

  g_strdelimit (data->str, "-", '+');
  g_strdelimit (data->str, "_", '/');
  while (data->len % 4)
    g_string_append_c (data, '=');
  json = g_base64_decode (data->str, &len);
  text = g_strndup ((const char *) json, len);
  obj = parse_object (text);
  json_object_set_int_member (obj, member, value);
  json_node_set_object (root, obj);
  g_free (text);
  text = json_to_string (root, FALSE);
  encoded = g_base64_encode ((const guchar *) text, strlen (text));
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');
  return g_strconcat (HL_INVITE_LINK_PREFIX, encoded, NULL);
}

static void
test_invite_flow (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autofree char *post = hl_test_node_post (a, "in the subnet the invite names");
  g_autofree char *subnet_path = g_build_filename (a->data_dir, "test-subnet", NULL);
  g_autofree char *subnet = NULL;
  g_autofree char *ka = key_of (a);
  g_autofree char *kb = key_of (b);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *back = NULL;
  g_autofree char *list = NULL;
  g_autoptr(JsonObject) invite = NULL;
  g_autoptr(JsonObject) listed = NULL;
  JsonObject *issued;
  HlTestWantPeer a_sees_b = { kb, "invite", NULL }, b_sees_a = { ka, "invite", NULL };
  HlTestNode *both[] = { a, b };

  g_assert_true (g_file_get_contents (subnet_path, &subnet, NULL, NULL));
  hl_test_node_start (a);
  hl_test_node_start (b);
  invite = create_invite (a, a->address, "--subnet", subnet);
  g_assert_cmpstr (json_object_get_string_member (invite, "subnet"), ==, subnet);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (invite, "link"),
                                   "hyperlink:invite?v=1&d="));

  g_assert_cmpint (hl_test_node_ctl_full (b, &out, &err, "invite", "accept", "--timeout",
                                          ACCEPT_TIMEOUT, json_object_get_string_member (invite, "link"),
                                          NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Joined"));
  g_assert_nonnull (strstr (out, subnet));

  /* b syncs a's forum; each shows the other as found through the invite. */
  g_assert_true (hl_test_wait_has (b, post, 20));
  g_assert_true (hl_test_wait_for (a, hl_test_has_peer_found, &a_sees_b, 20));
  g_assert_true (hl_test_wait_for (b, hl_test_has_peer_found, &b_sees_a, 20));
  back = hl_test_node_post (b, "the invited friend answers");
  g_assert_true (hl_test_wait_has (a, back, 20));
  g_assert_true (hl_test_wait_converged (both, 2, 20));

  list = hl_test_node_ctl (a, "invite", "list", "--json", NULL);
  listed = parse_object (list);
  issued = json_array_get_object_element (json_object_get_array_member (listed, "issued"), 0);
  g_assert_cmpint (json_object_get_int_member (issued, "used"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (issued, "state"), ==, "used up");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (issued, "redeemers"), 0),
                   ==, kb);

  /* Remembered: after a restart b dials a again, with no link. */
  hl_test_node_stop (b);
  hl_test_node_start (b);
  g_assert_true (hl_test_wait_for (b, hl_test_has_peer_found, &b_sees_a, 20));
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

/* An invite that names a private subnet admits the friend's device to it:
 * the inviter's node, its owner, publishes the epoch that wraps the key for
 * the redeemer, and the friend reads what was posted before. */
static void
test_invite_private (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autofree char *kb = key_of (b);
  g_autofree char *subnet = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *err = NULL;
  g_autofree char *members = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(JsonObject) invite = NULL;

  hl_test_node_start (a);
  hl_test_node_start (b);
  subnet = hl_test_node_ctl (a, "subnet", "create", "--private", "Band", NULL);
  g_strchomp (subnet);
  thread = hl_test_node_ctl (a, "thread", "create", subnet, "--title", "Setlist",
                             "--body", "only-the-band-reads-this", NULL);
  g_strchomp (thread);
  members = hl_test_node_ctl (a, "member", "list", subnet, NULL);
  g_assert_null (strstr (members, kb));
  g_clear_pointer (&members, g_free);

  invite = create_invite (a, a->address, "--subnet", subnet);
  g_assert_cmpint (accept_invite (b, json_object_get_string_member (invite, "link"), &err), ==, 0);
  g_assert_true (hl_test_wait_has (b, thread, 30));
  shown = hl_test_node_ctl (b, "thread", "show", thread, NULL);
  g_assert_nonnull (strstr (shown, "only-the-band-reads-this"));
  members = hl_test_node_ctl (a, "member", "list", subnet, NULL);
  g_assert_nonnull (strstr (members, kb));
  g_assert_true (hl_test_node_log_has (a, "is now a member of private subnet"));
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

/* An invite that carries only a bootstrap node: the friend finds the
 * inviter in its registry. */
static void
test_invite_through_bootstrap (void)
{
  g_autoptr(HlTestNode) s = hl_test_node_new ("s");
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autofree char *bootstrap = g_strdup_printf ("--bootstrap-node=%s", s->address);
  g_autofree char *key_path = hl_paths_identity (a->data_dir);
  g_autofree char *db = hl_paths_database (a->data_dir);
  g_autofree char *ka = key_of (a);
  g_autofree char *link = NULL;
  g_autofree char *err = NULL;
  g_autofree char *list = NULL;
  g_autofree char *post = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlIdentity) identity = NULL;
  g_autoptr(HlInvite) invite = NULL;
  g_autoptr(HlStore) store = NULL;
  const char *none[] = { NULL }, *boot[] = { s->address, NULL };
  HlIssuedInvite issued = { 0 };
  HlTestWantPeer b_sees_a = { ka, "invite", NULL };

  hl_test_node_add_arg (s, "--bootstrap");
  hl_test_node_start (s);
  hl_test_node_add_arg (a, bootstrap);
  hl_test_node_start (a);
  hl_test_node_start (b);

  identity = hl_identity_load (key_path, &error);
  g_assert_no_error (error);
  invite = hl_invite_new (identity, none, boot, hl_now_ms () + 60000, 1, NULL, &error);
  g_assert_no_error (error);
  link = hl_invite_to_link (invite);
  store = hl_store_open (db, &error);
  g_assert_no_error (error);
  issued.id = invite->id_hex;
  issued.created_ms = hl_now_ms ();
  issued.expires_ms = invite->expires_ms;
  issued.uses = invite->uses;
  issued.link = link;
  g_assert_true (hl_store_invite_issue (store, &issued, &error));

  g_assert_cmpint (accept_invite (b, link, &err), ==, 0);
  list = hl_test_node_ctl (b, "bootstrap", "list", NULL);
  g_assert_nonnull (strstr (list, s->address));
  g_assert_true (hl_test_wait_for (b, hl_test_has_peer_found, &b_sees_a, 20));
  post = hl_test_node_post (a, "reached through the bootstrap node's registry");
  g_assert_true (hl_test_wait_has (b, post, 20));
  hl_test_node_stop (b);
  hl_test_node_stop (a);
  hl_test_node_stop (s);
}

static gboolean
after_ms (gint64 ms)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_real_time () / 1000 <= ms && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  return g_get_real_time () / 1000 > ms;
}

static gboolean
log_has (HlTestNode *node,
         gpointer    text)
{
  return hl_test_node_log_has (node, text);
}

static void
assert_refused (HlTestNode *node,
                const char *link,
                const char *reason)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (accept_invite (node, link, &err), ==, 1);
  g_test_message ("refused: %s", err);
  if (strstr (err, reason) == NULL)
    g_error ("expected “%s” in: %s", reason, err);
}

static void
test_invite_refused (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  g_autoptr(HlTestNode) c = hl_test_node_new ("c");
  g_autoptr(HlTestNode) d = hl_test_node_new ("d");
  g_autoptr(JsonObject) once = NULL;
  g_autoptr(JsonObject) brief = NULL;
  g_autoptr(JsonObject) honest = NULL;
  g_autoptr(JsonObject) elsewhere = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *err = NULL;

  hl_test_node_start (a);
  hl_test_node_start (b);

  /* Malformed: refused before anything is dialled. */
  assert_refused (b, "hyperlink:invite?v=1&d=!!!", "not a valid Hyperlink invite");
  assert_refused (b, "https://example.com/invite", "not a valid Hyperlink invite");
  assert_refused (b, HL_INVITE_LINK_PREFIX "W10", "not a valid Hyperlink invite");   /* "[]" */

  /* Wrong fingerprint: a link d signed, pointing at a. */
  elsewhere = create_invite (d, a->address, "--uses", "1");
  assert_refused (b, json_object_get_string_member (elsewhere, "link"), "not to node");

  /* Forged: the uses changed after signing. */
  honest = create_invite (a, a->address, "--uses", "1");
  forged = tamper (json_object_get_string_member (honest, "link"), "uses", 50);
  assert_refused (b, forged, "forged");

  /* Expired: the inviter's clock decides. */
  brief = create_invite (a, a->address, "--expires", "1s");
  g_assert_true (after_ms (json_object_get_int_member (brief, "expires_ms")));
  assert_refused (b, json_object_get_string_member (brief, "link"), "expired");
  g_assert_true (hl_test_wait_for (a, log_has, (gpointer) "expired on", 10));

  /* Used up: the second friend is refused (by a node run for the command,
   * as c has no hyperlinkd running). */
  once = create_invite (a, a->address, "--uses", "1");
  g_assert_cmpint (accept_invite (b, json_object_get_string_member (once, "link"), &err), ==, 0);
  assert_refused (c, json_object_get_string_member (once, "link"), "used up");
  g_assert_true (hl_test_node_log_has (a, "has been used up"));

  /* Your own invite. */
  assert_refused (a, json_object_get_string_member (once, "link"), "made by this node");
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

/* The inviter checks the token itself, whatever the redeemer checked. */
static void
test_inviter_refuses_forged_token (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(JsonObject) invite = NULL;
  g_autoptr(HlInvite) parsed = NULL;
  g_autoptr(HlTestClient) client = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redeem = NULL;
  char sig_hex[2 * HL_SIG_LEN + 1];

  hl_test_node_start (a);
  invite = create_invite (a, a->address, "--uses", "1");
  parsed = hl_invite_parse (json_object_get_string_member (invite, "link"), &error);
  g_assert_no_error (error);
  hl_hex_encode (parsed->sig, HL_SIG_LEN, sig_hex);
  client = hl_test_client_connect (a);
  hl_test_client_handshake (client, me, "[\"pex-1\",\"invite-1\"]");
  redeem = g_strdup_printf ("{\"type\":\"redeem\",\"invite\":{\"id\":\"%s\",\"exp\":%" G_GINT64_FORMAT
                            ",\"uses\":50,\"sig\":\"%s\"},\"port\":0,\"addresses\":[]}",
                            parsed->id_hex, parsed->expires_ms, sig_hex);
  hl_test_client_text (client, redeem);
  refused = hl_test_client_wait_type (client, "invite-refused", 10);
  g_assert_nonnull (refused);
  g_assert_cmpstr (json_object_get_string_member (refused, "code"), ==, "forged");
  g_assert_true (hl_test_wait_for (a, log_has, (gpointer) "Refused invite", 10));
  hl_test_client_text (client, "{\"type\":\"redeem\",\"invite\":[1,2]}");
  g_assert_true (hl_test_wait_for (a, log_has, (gpointer) "a malformed invite token", 10));
  hl_test_node_stop (a);
}

/* Without --address the invite carries what the node's status reports of
 * Tailscale, and the bootstrap nodes. */
static void
test_invite_addresses (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autofree char *status_path = g_build_filename (a->data_dir, "sync-status.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *added = NULL;
  g_autoptr(JsonObject) invite = NULL;
  JsonArray *addresses;

  g_assert_cmpint (hl_test_node_ctl_full (a, &out, &err, "invite", "create", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "No address to put in the invite"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hl_test_node_ctl_full (a, &out, &err, "invite", "create", "--expires", "soon",
                                          NULL), ==, 2);
  g_clear_pointer (&out, g_free);

  g_assert_true (g_file_set_contents (status_path,
                                      "{\"node\":\"x\",\"listen\":\"0.0.0.0:9555\",\"tailscale\":"
                                      "{\"state\":\"running\",\"message\":null,\"self\":"
                                      "{\"dns_name\":\"alice.tailnet.ts.net.\",\"host_name\":\"alice\","
                                      "\"ips\":[\"100.64.0.1\",\"fd7a:115c:a1e0::1\"]}}}", -1, NULL));
  added = hl_test_node_ctl (a, "bootstrap", "add", "ws://192.0.2.9:9473", NULL);
  out = hl_test_node_ctl (a, "invite", "create", "--json", NULL);
  invite = parse_object (out);
  addresses = json_object_get_array_member (invite, "addresses");
  g_assert_cmpuint (json_array_get_length (addresses), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (addresses, 0), ==, "ws://alice.tailnet.ts.net:9555");
  g_assert_cmpstr (json_array_get_string_element (addresses, 1), ==, "ws://100.64.0.1:9555");
  g_assert_cmpstr (json_array_get_string_element (addresses, 2), ==, "ws://[fd7a:115c:a1e0::1]:9555");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (invite, "bootstrap"), 0),
                   ==, "ws://192.0.2.9:9473");
}

static void
test_bootstrap_commands (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autofree char *added = hl_test_node_ctl (a, "bootstrap", "add", "ws://127.0.0.1", NULL);
  g_autofree char *again = hl_test_node_ctl (a, "bootstrap", "add", "ws://127.0.0.1:9473/", NULL);
  g_autofree char *list = hl_test_node_ctl (a, "bootstrap", "list", NULL);
  g_autofree char *removed = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_nonnull (strstr (added, "Added bootstrap node ws://127.0.0.1:9473"));
  g_assert_nonnull (strstr (again, "Already a bootstrap node"));
  g_assert_cmpstr (list, ==, "ws://127.0.0.1:9473\n");
  removed = hl_test_node_ctl (a, "bootstrap", "remove", "ws://127.0.0.1:9473", NULL);
  empty = hl_test_node_ctl (a, "bootstrap", "list", NULL);
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpint (hl_test_node_ctl_full (a, &out, &err, "bootstrap", "remove", "ws://127.0.0.1:9473",
                                          NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not among the bootstrap nodes"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hl_test_node_ctl_full (a, &out, &err, "bootstrap", "add", "http://x", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hl_test_node_ctl_full (a, &out, &err, "invite", "create", "--uses", "0",
                                          "--address", "ws://127.0.0.1:1", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--uses"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/sync/invite/flow", test_invite_flow);
  g_test_add_func ("/sync/invite/private-subnet", test_invite_private);
  g_test_add_func ("/sync/invite/through-bootstrap", test_invite_through_bootstrap);
  g_test_add_func ("/sync/invite/refused", test_invite_refused);
  g_test_add_func ("/sync/invite/inviter-refuses-forged", test_inviter_refuses_forged_token);
  g_test_add_func ("/sync/invite/addresses", test_invite_addresses);
  g_test_add_func ("/sync/invite/bootstrap-commands", test_bootstrap_commands);
  return g_test_run ();
}
