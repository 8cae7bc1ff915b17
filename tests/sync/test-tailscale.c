/* test-tailscale.c: the LocalAPI client, and the stand-in tailscaled's
 * faithfulness to the real one's rules; no network needed.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <libsoup/soup.h>

#include "hl-tailscale.h"
#include "hl-test-fakets.h"
#include "hl-test-node.h"

static SoupSession *
socket_session (const char *path)
{
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);

  return g_object_new (SOUP_TYPE_SESSION, "remote-connectable", address, "proxy-resolver", NULL,
                       "timeout", 10, NULL);
}

static guint
fetch (SoupSession  *session,
       const char   *method,
       const char   *path,
       const char   *header,
       const char   *value,
       char        **body)
{
  g_autofree char *uri = g_strconcat ("http://local-tailscaled.sock", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), header, value);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (body != NULL)
    *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
on_status_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static HlTsStatus *
client_status (HlTailscale *client)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  HlTsStatus *status;

  hl_tailscale_status_async (client, NULL, on_status_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  status = hl_tailscale_status_finish (client, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return status;
}

static GError *
client_whois_error (HlTailscale *client,
                    const char  *address)
{
  GAsyncResult *result = NULL;
  GError *error = NULL;
  HlTsWhois *whois;

  hl_tailscale_whois_async (client, address, NULL, on_status_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  whois = hl_tailscale_whois_finish (client, result, &error);
  if (whois != NULL)
    hl_ts_whois_free (whois);
  g_object_unref (result);
  return error;
}

static void
on_line (HlTailscale *client, JsonObject *notify, gpointer user_data)
{
  g_ptr_array_add (user_data, json_object_ref (notify));
}

static gboolean
lines_have (GPtrArray *lines, const char *member)
{
  for (guint i = 0; i < lines->len; i++)
    {
      JsonNode *node = json_object_get_member (g_ptr_array_index (lines, i), member);
      if (node != NULL && !json_node_is_null (node))
        return TRUE;
    }
  return FALSE;
}

static void
spin_until (GPtrArray  *lines,
            const char *member,
            gint64      deadline)
{
  while (!lines_have (lines, member) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
}

static void
test_stand_in_rules (void)
{
  g_autoptr(FakeTs) ts = fake_new ("Running");
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(HlTailscale) client = NULL;
  g_autoptr(HlTsStatus) status = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gint64 deadline;
  const char *writes[][2] = {
    { "POST", "/localapi/v0/start" }, { "POST", "/localapi/v0/login-interactive" },
    { "POST", "/localapi/v0/logout" }, { "PATCH", "/localapi/v0/prefs" },
  };

  fake_machine (ts, "self", "alpha", "100.64.0.1", "alice@example.com", "alice.example");
  fake_machine (ts, "peer beta", "beta", "100.64.0.2", "bob@example.org", "bob.example");
  fake_start (ts);
  session = socket_session (ts->socket);

  /* The rules of ServeHTTP. */
  g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/status", "Host", "example.com", &body), ==, 403);
  g_assert_cmpstr (body, ==, "invalid localapi request\n");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/status", "Origin", "http://evil.example", NULL), ==, 403);
  g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/status", "Referer", "http://evil.example/", NULL), ==, 403);
  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    g_assert_cmpuint (fetch (session, writes[i][0], writes[i][1], NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/no-such-thing", NULL, NULL, NULL), ==, 404);

  /* status, with and without peers. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *obj;

    g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/status", NULL, NULL, &body), ==, 200);
    obj = parse_object (body, parser);
    g_assert_cmpstr (json_object_get_string_member (obj, "BackendState"), ==, "Running");
    g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "Peer")));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj, "Self"),
                                                    "DNSName"), ==, "alpha.alice.example.");
    g_clear_pointer (&body, g_free);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *obj;

    g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/status?peers=false", NULL, NULL, &body), ==, 200);
    obj = parse_object (body, parser);
    g_assert_true (json_node_is_null (json_object_get_member (obj, "Peer")));
    g_clear_pointer (&body, g_free);
  }

  /* whois */
  g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/whois", NULL, NULL, NULL), ==, 400);
  g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/whois?addr=banana", NULL, NULL, NULL), ==, 400);
  g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/whois?addr=100.64.0.77:4242", NULL, NULL, &body), ==, 404);
  g_assert_cmpstr (body, ==, "no match for IP:port\n");
  g_clear_pointer (&body, g_free);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *obj;

    g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/whois?addr=100.64.0.2:4242", NULL, NULL, &body), ==, 200);
    obj = parse_object (body, parser);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj, "UserProfile"),
                                                    "LoginName"), ==, "bob@example.org");
    g_clear_pointer (&body, g_free);
  }

  /* The bus: a non-root watcher must ask for no private keys. */
  g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/watch-ipn-bus", NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint (fetch (session, "GET", "/localapi/v0/watch-ipn-bus?mask=x", NULL, NULL, NULL), ==, 400);

  /* Hyperlink's own client against it. */
  client = hl_tailscale_new (ts->socket);
  status = client_status (client);
  g_assert_cmpstr (status->backend_state, ==, "Running");
  g_assert_cmpuint (status->peers->len, ==, 1);
  g_assert_cmpstr (((HlTsMachine *) g_ptr_array_index (status->peers, 0))->dns_name, ==, "beta.bob.example");
  g_assert_cmpstr (((HlTsMachine *) g_ptr_array_index (status->peers, 0))->login_name, ==, "bob@example.org");
  g_assert_true (g_str_has_prefix (((HlTsMachine *) g_ptr_array_index (status->peers, 0))->node_key, "nodekey:"));
  error = client_whois_error (client, "100.64.0.77:4242");
  g_assert_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_signal_connect (client, "notify-line", G_CALLBACK (on_line), lines);
  hl_tailscale_watch (client);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  spin_until (lines, "State", deadline);
  g_assert_true (lines_have (lines, "State"));
  /* A change streams as a new line, without asking again. */
  g_key_file_set_boolean (ts->keys, "peer beta", "Online", FALSE);
  fake_update (ts);
  spin_until (lines, "PeersChanged", deadline);
  g_assert_true (lines_have (lines, "PeersChanged"));
  hl_tailscale_unwatch (client);
  fake_stop (ts);
}

/* ---- parsing what tailscaled writes, and what it might write wrong ---- */

static JsonNode *
json_of (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stopped = json_of ("{\"BackendState\":\"Stopped\",\"Self\":{\"HostName\":"
                                         "\"box\",\"DNSName\":\"\",\"TailscaleIPs\":null},"
                                         "\"Peer\":null,\"User\":null}");
  g_autoptr(JsonNode) running = json_of (
    "{\"BackendState\":\"Running\",\"Self\":{\"PublicKey\":\"nodekey:aa\",\"HostName\":\"box\","
    "\"DNSName\":\"box.example.ts.net.\",\"TailscaleIPs\":[\"fd7a:115c:a1e0::1\",\"100.64.0.1\"]},"
    "\"Peer\":{\"nodekey:bb\":{\"HostName\":\"pal\",\"DNSName\":\"pal.other.ts.net.\","
    "\"TailscaleIPs\":[\"100.64.0.2\"],\"UserID\":42,\"Online\":true,\"CurAddr\":\"\","
    "\"Relay\":\"fra\"}},\"User\":{\"42\":{\"ID\":42,\"LoginName\":\"pal@example.org\"}}}");
  g_autoptr(JsonNode) no_state = json_of ("{\"Self\":{}}");
  g_autoptr(JsonNode) array = json_of ("[1,2]");
  g_autoptr(JsonNode) whois_bad = json_of ("{\"Node\":{\"Name\":\"pal.other.ts.net.\"}}");
  g_autoptr(JsonNode) whois_ok = json_of ("{\"Node\":{\"Name\":\"pal.other.ts.net.\",\"ComputedName\":"
                                          "\"pal\"},\"UserProfile\":{\"LoginName\":\"pal@example.org\"}}");
  HlTsStatus *status;
  HlTsWhois *whois;
  HlTsMachine *peer;

  status = hl_ts_status_parse (stopped, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->backend_state, ==, "Stopped");
  g_assert_cmpuint (status->peers->len, ==, 0);
  g_assert_null (status->self->dns_name);
  g_assert_null (hl_ts_machine_address (status->self));
  hl_ts_status_free (status);

  status = hl_ts_status_parse (running, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->self->dns_name, ==, "box.example.ts.net");
  g_assert_cmpstr (hl_ts_machine_address (status->self), ==, "100.64.0.1");
  g_assert_cmpuint (status->peers->len, ==, 1);
  peer = g_ptr_array_index (status->peers, 0);
  g_assert_cmpstr (peer->node_key, ==, "nodekey:bb");
  g_assert_cmpstr (peer->login_name, ==, "pal@example.org");
  g_assert_null (peer->cur_addr);
  g_assert_cmpstr (peer->relay, ==, "fra");
  g_assert_true (peer->online);
  g_assert_false (hl_ts_machine_has_tag (peer, "tag:hyperlink"));
  hl_ts_status_free (status);

  g_assert_null (hl_ts_status_parse (no_state, &error));
  g_assert_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_BAD_ANSWER);
  g_clear_error (&error);
  g_assert_null (hl_ts_status_parse (array, &error));
  g_assert_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_BAD_ANSWER);
  g_clear_error (&error);
  g_assert_null (hl_ts_whois_parse (whois_bad, &error));
  g_assert_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_BAD_ANSWER);
  g_clear_error (&error);
  whois = hl_ts_whois_parse (whois_ok, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (whois->host_name, ==, "pal");
  g_assert_cmpstr (whois->dns_name, ==, "pal.other.ts.net");
  g_assert_cmpstr (whois->login_name, ==, "pal@example.org");
  hl_ts_whois_free (whois);
}

/* Options that make no sense stop hyperlinkd before it touches anything. */
static void
test_bad_options (void)
{
  static const char *cases[][2] = {
    { "--tailnet-tag=hyperlink", "wants a Tailscale ACL tag such as tag:hyperlink" },
    { "--tailnet-port=0", "--tailnet-port wants a port from 1 to 65535" },
    { "--tailnet-port=70000", "--tailnet-port wants a port from 1 to 65535" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process =
        g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                          hl_test_hyperlinkd (), "--data-dir", "/nonexistent/hl-test", cases[i][0], NULL);
      g_autofree char *err = NULL;

      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_nonnull (strstr (err, cases[i][1]));
    }
}

/* Node.Tags of a whois answer, in tailscaled's shape (apitype.WhoIsResponse:
 * Node is a tailcfg.Node, whose Tags is omitted when empty). */
static void
test_whois_tags (void)
{
  const char *tagged = "{\"Node\":{\"ID\":7,\"Name\":\"beta.bob.example.\","
                       "\"Tags\":[\"tag:hl-family\",\"tag:hyperlink\"],"
                       "\"Hostinfo\":{\"Hostname\":\"beta\"}},"
                       "\"UserProfile\":{\"LoginName\":\"tagged-devices\"},\"CapMap\":null}";
  const char *untagged = "{\"Node\":{\"ID\":8,\"Name\":\"gamma.bob.example.\"},"
                         "\"UserProfile\":{\"LoginName\":\"bob@example.org\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = json_from_string (tagged, &error);
  g_autoptr(JsonNode) b = json_from_string (untagged, &error);
  g_autoptr(HlTsWhois) with = NULL;
  g_autoptr(HlTsWhois) without = NULL;

  g_assert_no_error (error);
  with = hl_ts_whois_parse (a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (with->tags), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) with->tags, "tag:hl-family"));
  g_assert_cmpstr (with->dns_name, ==, "beta.bob.example");
  without = hl_ts_whois_parse (b, &error);
  g_assert_no_error (error);
  g_assert_true (without->tags == NULL || without->tags[0] == NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tailscale/parse", test_parse);
  g_test_add_func ("/tailscale/bad-options", test_bad_options);
  g_test_add_func ("/tailscale/stand-in-rules", test_stand_in_rules);
  g_test_add_func ("/tailscale/whois-tags", test_whois_tags);
  return g_test_run ();
}
