/* test-bootstrap.c: nodes that know only a bootstrap node find each other,
 * keep syncing through peer exchange once it is gone, and bad lists are
 * dropped. Real hyperlinkd processes on loopback.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "hl-test-client.h"
#include "hl-test-node.h"

static char *
key_of (HlTestNode *node)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);

  return g_strdup (json_object_get_string_member (json_node_get_object (status), "node"));
}

/* The status entry of the peer with that key, connected, or NULL. */
static JsonObject *
connected_peer (JsonNode   *status,
                const char *key)
{
  JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");

  for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
    {
      JsonObject *peer = json_array_get_object_element (peers, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (peer, "node", ""), key) == 0 &&
          json_object_get_boolean_member_with_default (peer, "connected", FALSE))
        return peer;
    }
  return NULL;
}

static JsonObject *
peer_at (JsonNode   *status,
         const char *address)
{
  JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");

  for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
    {
      JsonObject *peer = json_array_get_object_element (peers, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (peer, "address", ""), address) == 0)
        return peer;
    }
  return NULL;
}

/* @user_data: a NULL-terminated array of keys the node must be connected to. */
static gboolean
connected_to_all (HlTestNode *node,
                  gpointer    user_data)
{
  char **keys = user_data;
  g_autoptr(JsonNode) status = hl_test_node_status (node);

  for (guint i = 0; keys[i] != NULL; i++)
    if (connected_peer (status, keys[i]) == NULL)
      return FALSE;
  return TRUE;
}

static gint64
registry_size (HlTestNode *node)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);

  return json_object_get_int_member_with_default (json_node_get_object (status), "registry", -1);
}

static gboolean
registry_is (HlTestNode *node,
             gpointer    user_data)
{
  return registry_size (node) == GPOINTER_TO_INT (user_data);
}

static void
assert_no_self (HlTestNode *node)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");

  for (guint i = 0; i < json_array_get_length (peers); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (peers, i), "state"),
                     !=, "self");
}

typedef struct
{
  HlTestNode *s, *a, *b, *c;
  char       *ks, *ka, *kb, *kc;
} Group;

/* A bootstrap node and three nodes that know only it, meshed directly. */
static void
group_start (Group *g)
{
  g_autofree char *bootstrap = NULL;
  HlTestNode *members[3];

  g->s = hl_test_node_new ("s");
  g->a = hl_test_node_new ("a");
  g->b = hl_test_node_new ("b");
  g->c = hl_test_node_new ("c");
  members[0] = g->a, members[1] = g->b, members[2] = g->c;
  hl_test_node_add_arg (g->s, "--bootstrap");
  hl_test_node_start (g->s);
  bootstrap = g_strdup_printf ("--bootstrap-node=%s", g->s->address);
  for (guint i = 0; i < 3; i++)
    {
      hl_test_node_add_arg (members[i], bootstrap);
      hl_test_node_start (members[i]);
    }
  g->ks = key_of (g->s), g->ka = key_of (g->a), g->kb = key_of (g->b), g->kc = key_of (g->c);
  {
    char *for_a[] = { g->kb, g->kc, NULL }, *for_b[] = { g->ka, g->kc, NULL };
    char *for_c[] = { g->ka, g->kb, NULL };

    g_assert_true (hl_test_wait_for (g->a, connected_to_all, for_a, 30));
    g_assert_true (hl_test_wait_for (g->b, connected_to_all, for_b, 30));
    g_assert_true (hl_test_wait_for (g->c, connected_to_all, for_c, 30));
  }
}

static void
group_free (Group *g)
{
  hl_test_node_free (g->a);
  hl_test_node_free (g->b);
  hl_test_node_free (g->c);
  hl_test_node_free (g->s);
  g_free (g->ks), g_free (g->ka), g_free (g->kb), g_free (g->kc);
}

static void
test_discovery (void)
{
  Group g = { 0 };
  g_autofree char *post = NULL;
  g_autoptr(JsonNode) status = NULL;
  JsonObject *peer;

  group_start (&g);
  g_assert_cmpint (registry_size (g.s), ==, 3);

  /* a reaches b on b's own address, found through the bootstrap node. */
  {
    HlTestWantPeer b_from_s = { g.kb, "bootstrap", NULL };
    g_assert_true (hl_test_wait_for (g.a, hl_test_has_peer_found, &b_from_s, 20));
  }
  status = hl_test_node_status (g.a);
  peer = connected_peer (status, g.ks);
  g_assert_true (json_object_get_boolean_member (peer, "bootstrap"));

  post = hl_test_node_post (g.a, "found through the bootstrap node");
  g_assert_true (hl_test_wait_has (g.b, post, 20));
  g_assert_true (hl_test_wait_has (g.c, post, 20));
  assert_no_self (g.a);
  assert_no_self (g.b);
  assert_no_self (g.c);
  hl_test_node_stop (g.c);
  hl_test_node_stop (g.b);
  hl_test_node_stop (g.a);
  hl_test_node_stop (g.s);
  group_free (&g);
}

/* The bootstrap node goes; the group keeps what it knows, and a newcomer
 * that knows one member finds the others through peer exchange. */
static void
test_survives_bootstrap_stop (void)
{
  Group g = { 0 };
  g_autoptr(HlTestNode) d = hl_test_node_new ("d");
  g_autofree char *after_stop = NULL;
  g_autofree char *from_d = NULL;

  group_start (&g);
  hl_test_node_stop (g.s);
  after_stop = hl_test_node_post (g.b, "after the bootstrap node stopped");
  g_assert_true (hl_test_wait_has (g.a, after_stop, 20));
  g_assert_true (hl_test_wait_has (g.c, after_stop, 20));

  /* A restart with the bootstrap node gone still knows the group. */
  hl_test_node_stop (g.a);
  hl_test_node_start (g.a);
  {
    HlTestWantPeer b_boot = { g.kb, "bootstrap", NULL }, b_pex = { g.kb, "exchange", NULL };
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (!hl_test_has_peer_found (g.a, &b_boot) && !hl_test_has_peer_found (g.a, &b_pex))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (100 * 1000);
      }
  }

  hl_test_node_add_peer (d, g.a);
  hl_test_node_start (d);
  {
    char *for_d[] = { g.ka, g.kb, g.kc, NULL };
    g_assert_true (hl_test_wait_for (d, connected_to_all, for_d, 30));
  }
  {
    /* Told by a, or by b once d reached it too: by a member, never by d. */
    HlTestWantPeer c_from_a = { g.kc, "exchange", g.ka }, c_from_b = { g.kc, "exchange", g.kb };
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (!hl_test_has_peer_found (d, &c_from_a) && !hl_test_has_peer_found (d, &c_from_b))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (100 * 1000);
      }
  }
  assert_no_self (d);

  /* Without a, the one d was told of, d still reaches b and c. */
  hl_test_node_stop (g.a);
  from_d = hl_test_node_post (d, "from the newcomer, with a gone");
  g_assert_true (hl_test_wait_has (g.b, from_d, 20));
  g_assert_true (hl_test_wait_has (g.c, from_d, 20));
  hl_test_node_stop (d);
  hl_test_node_stop (g.c);
  hl_test_node_stop (g.b);
  group_free (&g);
}

static gboolean
log_has (HlTestNode *node,
         gpointer    text)
{
  return hl_test_node_log_has (node, text);
}

/* A node that stays connected but stops announcing leaves the registry. */
static void
test_registry_expiry (void)
{
  g_autoptr(HlTestNode) s = hl_test_node_new ("s");
  g_autoptr(HlTestNode) quiet = hl_test_node_new ("quiet");
  g_autoptr(HlTestNode) chatty = hl_test_node_new ("chatty");
  g_autofree char *bootstrap = g_strdup_printf ("--bootstrap-node=%s", s->address);
  g_autofree char *kq = NULL;
  g_autoptr(JsonNode) status = NULL;

  hl_test_node_add_arg (s, "--bootstrap");
  g_setenv ("HYPERLINK_SYNC_REGISTRY_TTL_MS", "2000", TRUE);
  hl_test_node_start (s);
  g_unsetenv ("HYPERLINK_SYNC_REGISTRY_TTL_MS");
  hl_test_node_add_arg (quiet, bootstrap);
  hl_test_node_add_arg (chatty, bootstrap);
  g_setenv ("HYPERLINK_SYNC_ANNOUNCE_MS", "600000", TRUE);
  hl_test_node_start (quiet);
  g_setenv ("HYPERLINK_SYNC_ANNOUNCE_MS", "300", TRUE);
  hl_test_node_start (chatty);
  kq = key_of (quiet);

  g_assert_true (hl_test_wait_for (s, registry_is, GINT_TO_POINTER (2), 20));
  g_assert_true (hl_test_wait_for (s, registry_is, GINT_TO_POINTER (1), 20));
  g_assert_true (hl_test_node_log_has (s, "silent for longer than its TTL"));
  /* The others hear of it. */
  {
    g_autofree char *left = g_strdup_printf ("says node %.16s", kq);
    g_assert_true (hl_test_wait_for (chatty, log_has, left, 10));
  }
  /* Expired, not disconnected. */
  status = hl_test_node_status (s);
  g_assert_nonnull (connected_peer (status, kq));
  hl_test_node_stop (chatty);
  hl_test_node_stop (quiet);
  g_assert_true (hl_test_wait_for (s, registry_is, GINT_TO_POINTER (0), 20));
  hl_test_node_stop (s);
  g_setenv ("HYPERLINK_SYNC_ANNOUNCE_MS", "500", TRUE);
}

static gboolean
has_target (HlTestNode *node,
            gpointer    address)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);

  return peer_at (status, address) != NULL;
}

static void
test_hostile_lists (void)
{
  g_autoptr(HlTestNode) s = hl_test_node_new ("s");
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlIdentity) me = hl_identity_new_random ();
  g_autoptr(HlIdentity) other = hl_identity_new_random ();
  g_autoptr(HlTestClient) hostile = NULL;
  g_autoptr(HlTestClient) reader = NULL;
  g_autoptr(HlTestClient) teller = NULL;
  g_autoptr(JsonObject) registry = NULL;
  g_autoptr(GString) big = g_string_new ("{\"type\":\"announce\",\"port\":0,\"addresses\":[");
  g_autoptr(GString) many = g_string_new ("{\"type\":\"peers\",\"peers\":[");
  g_autofree char *long_host = g_strnfill (300, 'a');
  g_autofree char *bad = NULL;
  g_autofree char *ka = NULL;
  g_autofree char *list = NULL;
  g_autoptr(JsonNode) status = NULL;
  JsonArray *nodes, *addresses;
  JsonObject *found;

  hl_test_node_add_arg (s, "--bootstrap");
  hl_test_node_start (s);
  hostile = hl_test_client_connect (s);
  hl_test_client_handshake (hostile, me, "[\"pex-1\"]");

  /* Too many addresses: the whole announce goes. */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (big, "%s\"ws://127.0.0.1:%u\"", i ? "," : "", 1000 + i);
  g_string_append (big, "]}");
  hl_test_client_text (hostile, big->str);
  hl_test_client_text (hostile, "{\"type\":\"announce\",\"port\":\"9473\"}");
  g_assert_true (hl_test_wait_for (s, log_has, (gpointer) "more than 8 addresses", 10));
  g_assert_cmpint (registry_size (s), ==, 0);

  /* Bad addresses are dropped one by one; the good one is listed. */
  bad = g_strdup_printf ("{\"type\":\"announce\",\"port\":0,\"addresses\":[42,\"http://x:1\","
                         "\"ws://0.0.0.0:1\",\"ws://224.0.0.1:5\",\"ws://%s:1\","
                         "\"ws://127.0.0.1:2999\"]}", long_host);
  hl_test_client_text (hostile, bad);
  g_assert_true (hl_test_wait_for (s, registry_is, GINT_TO_POINTER (1), 10));
  g_assert_true (hl_test_node_log_has (s, "an address nobody can dial"));
  g_assert_true (hl_test_node_log_has (s, "an address longer than 256 bytes"));
  /* Only a bootstrap node sends registry messages. */
  hl_test_client_text (hostile, "{\"type\":\"registry\",\"nodes\":[]}");
  g_assert_true (hl_test_wait_for (s, log_has, (gpointer) "unknown message type", 10));

  reader = hl_test_client_connect (s);
  hl_test_client_handshake (reader, other, "[\"pex-1\"]");
  hl_test_client_text (reader, "{\"type\":\"announce\",\"port\":0,\"addresses\":[]}");
  registry = hl_test_client_wait_type (reader, "registry", 10);
  g_assert_nonnull (registry);
  nodes = json_object_get_array_member (registry, "nodes");
  g_assert_cmpuint (json_array_get_length (nodes), ==, 1);
  addresses = json_object_get_array_member (json_array_get_object_element (nodes, 0), "addresses");
  g_assert_cmpuint (json_array_get_length (addresses), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (addresses, 0), ==, "ws://127.0.0.1:2999");
  hl_test_node_stop (s);

  /* An ordinary node: a peer list too long is dropped whole; in a good
   * one, the node itself and bad entries are left out. */
  hl_test_node_start (a);
  ka = key_of (a);
  teller = hl_test_client_connect (a);
  hl_test_client_handshake (teller, me, "[\"pex-1\"]");
  for (guint i = 0; i < 40; i++)
    {
      guint8 key[32];
      char hex[65];

      randombytes_buf (key, sizeof key);
      hl_hex_encode (key, sizeof key, hex);
      g_string_append_printf (many, "%s{\"node\":\"%s\",\"addresses\":[\"ws://127.0.0.1:%u\"]}",
                              i ? "," : "", hex, 3000 + i);
    }
  g_string_append (many, "]}");
  hl_test_client_text (teller, many->str);
  g_assert_true (hl_test_wait_for (a, log_has, (gpointer) "a peers message of 40 nodes", 10));
  list = g_strdup_printf ("{\"type\":\"peers\",\"peers\":["
                          "{\"node\":\"%s\",\"addresses\":[\"ws://127.0.0.1:2998\"]},"
                          "{\"node\":\"%064d\",\"addresses\":[\"ftp://x\",\"ws://127.0.0.1:2997\"]},"
                          "{\"node\":\"zz\",\"addresses\":[]}, \"junk\"]}", ka, 7);
  hl_test_client_text (teller, list);
  g_assert_true (hl_test_wait_for (a, log_has, (gpointer) "a malformed entry in a peers message", 10));
  g_assert_true (hl_test_wait_for (a, has_target, (gpointer) "ws://127.0.0.1:2997", 10));
  status = hl_test_node_status (a);
  found = peer_at (status, "ws://127.0.0.1:2997");
  g_assert_nonnull (found);
  g_assert_cmpstr (json_object_get_string_member (found, "found"), ==, "exchange");
  g_assert_null (peer_at (status, "ws://127.0.0.1:2998"));
  g_assert_null (peer_at (status, "ws://127.0.0.1:3000"));
  hl_test_node_stop (a);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  /* Announce and exchange often, so that tests wait on conditions. */
  g_setenv ("HYPERLINK_SYNC_ANNOUNCE_MS", "500", TRUE);
  g_setenv ("HYPERLINK_SYNC_EXCHANGE_MS", "500", TRUE);
  g_test_add_func ("/sync/bootstrap/discovery", test_discovery);
  g_test_add_func ("/sync/bootstrap/survives-stop", test_survives_bootstrap_stop);
  g_test_add_func ("/sync/bootstrap/registry-expiry", test_registry_expiry);
  g_test_add_func ("/sync/bootstrap/hostile-lists", test_hostile_lists);
  return g_test_run ();
}
