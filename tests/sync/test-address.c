/* test-address.c: HOST:PORT as --listen, $HYPERLINK_LISTEN, the status
 * file's "listen" and peers' addresses write it (hl_sync_parse_host_port),
 * and a real node on IPv6 loopback that writes and reads it back.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-error.h"
#include "hl-sync-wire.h"
#include "hl-test-node.h"

typedef struct
{
  const char *text;
  const char *host;   /* NULL: refused */
  guint16     port;
} Case;

static void
test_parse (void)
{
  static const Case cases[] = {
    { "127.0.0.1:9473", "127.0.0.1", 9473 },
    { "[::1]:9473", "::1", 9473 },
    { "[::1]", "::1", 7 },
    { "::1", "::1", 7 },                       /* no brackets: all of it is the host */
    { "fe80::1%eth0", "fe80::1%eth0", 7 },
    { "[fe80::1%eth0]:5", "fe80::1%eth0", 5 },
    { "[::ffff:127.0.0.1]:80", "::ffff:127.0.0.1", 80 },
    { "alice.tailnet.ts.net", "alice.tailnet.ts.net", 7 },
    { "alice.tailnet.ts.net:1", "alice.tailnet.ts.net", 1 },
    { "localhost:0", "localhost", 0 },        /* any free port, for listening */
    { "0.0.0.0:65535", "0.0.0.0", 65535 },
    { "host:65536", NULL, 0 },
    { "host:-1", NULL, 0 },
    { "host:12a", NULL, 0 },
    { "host:0x10", NULL, 0 },
    { "host:", NULL, 0 },
    { ":9473", NULL, 0 },                     /* empty host */
    { "[]:9473", NULL, 0 },
    { "", NULL, 0 },
    { "[::1", NULL, 0 },
    { "[::1]9473", NULL, 0 },
    { "a:b:c", NULL, 0 },                     /* colons, and not IPv6 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 1234;
      gboolean ok = hl_sync_parse_host_port (cases[i].text, 7, &host, &port, &error);

      g_test_message ("“%s”: %s", cases[i].text, ok ? host : error->message);
      if (cases[i].host == NULL)
        {
          g_assert_false (ok);
          g_assert_null (host);
          g_assert_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_ADDRESS);
          g_assert_nonnull (strstr (error->message, "is not HOST:PORT"));
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpstr (host, ==, cases[i].host);
      g_assert_cmpuint (port, ==, cases[i].port);
    }
}

static void
test_null (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  guint16 port = 0;

  g_assert_false (hl_sync_parse_host_port (NULL, 7, &host, &port, &error));
  g_assert_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_ADDRESS);
  g_assert_null (host);
}

/* What joining writes, parsing reads back. */
static void
test_join_round_trip (void)
{
  static const char * const hosts[] = { "127.0.0.1", "::1", "fe80::1%eth0", "example.org" };
  static const char * const joined[] = { "127.0.0.1:80", "[::1]:80", "[fe80::1%eth0]:80",
                                         "example.org:80" };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *text = hl_sync_join_host_port (hosts[i], 80);
      g_autofree char *host = NULL;
      guint16 port = 0;

      g_assert_cmpstr (text, ==, joined[i]);
      g_assert_true (hl_sync_parse_host_port (text, 7, &host, &port, NULL));
      g_assert_cmpstr (host, ==, hosts[i]);
      g_assert_cmpuint (port, ==, 80);
    }
}

static gboolean
ipv6_loopback_works (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

/* For hl_test_wait_for: @node lists an inbound peer whose address starts
 * with @user_data. */
static gboolean
has_inbound_from (HlTestNode *node,
                  gpointer    user_data)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");

  for (guint i = 0; i < json_array_get_length (peers); i++)
    {
      JsonObject *peer = json_array_get_object_element (peers, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (peer, "direction", ""),
                     "inbound") == 0 &&
          g_str_has_prefix (json_object_get_string_member_with_default (peer, "address", ""),
                            user_data))
        return TRUE;
    }
  return FALSE;
}

/* A node listening on [::1] reports "[::1]:PORT", which `invite create`
 * reads back into ws://[::1]:PORT, and shows a peer that dialled it from
 * there as [::1]:THEIR_PORT. */
static void
test_ipv6_node (void)
{
  g_autoptr(HlTestNode) a = NULL;
  g_autoptr(HlTestNode) b = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *address = NULL;
  g_autofree char *out = NULL;
  JsonArray *addresses, *listening;

  if (!ipv6_loopback_works ())
    {
      g_test_skip ("no IPv6 loopback here");
      return;
    }
  a = hl_test_node_new ("a6");
  b = hl_test_node_new ("b6");
  listen = g_strdup_printf ("[::1]:%u", a->port);
  address = g_strdup_printf ("ws://[::1]:%u", a->port);
  a->listen = g_strdup (listen);
  hl_test_node_start (a);
  status = hl_test_node_status (a);
  /* "listen" lists every address the node listens on; here, one. */
  listening = json_object_get_array_member (json_node_get_object (status), "listen");
  g_assert_cmpuint (json_array_get_length (listening), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (listening, 0), ==, listen);

  out = hl_test_node_ctl (a, "invite", "create", "--json", NULL);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  addresses = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "addresses");
  g_assert_cmpuint (json_array_get_length (addresses), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (addresses, 0), ==, address);

  g_ptr_array_add (b->peers, g_strdup (address));
  hl_test_node_start (b);
  g_assert_true (hl_test_wait_for (a, has_inbound_from, (gpointer) "[::1]:", 20));
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/address/parse", test_parse);
  g_test_add_func ("/sync/address/null", test_null);
  g_test_add_func ("/sync/address/join-round-trip", test_join_round_trip);
  g_test_add_func ("/sync/address/ipv6-node", test_ipv6_node);
  return g_test_run ();
}
