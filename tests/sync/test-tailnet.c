/* test-tailnet.c: discovery over Tailscale and tailnet-only admission, with
 * real hyperlinkd processes in network namespaces and a stand-in tailscaled
 * (hl-fake-tailscaled) per machine.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-fakets.h"
#include "hl-test-netns.h"
#include "hl-test-node.h"

#define POLL_MS 100

/* ---- the three machines of three friends, each on their own tailnet ---- */

typedef struct
{
  const char *name;
  const char *ip;
  const char *user;
  const char *suffix;
} Friend;

static const Friend friends[] = {
  { "alpha", "100.64.0.1", "alice@example.com", "alice.example" },
  { "beta", "100.64.0.2", "bob@example.org", "bob.example" },
  { "gamma", "100.64.0.3", "carol@example.net", "carol.example" },
};

static char *
peer_group (const char *name)
{
  return g_strconcat ("peer ", name, NULL);
}

/* Each friend's tailscaled: itself, and the others as machines shared in. */
static FakeTs *
friend_tailnet (guint me)
{
  FakeTs *ts = fake_new ("Running");

  fake_machine (ts, "self", friends[me].name, friends[me].ip, friends[me].user, friends[me].suffix);
  for (guint i = 0; i < G_N_ELEMENTS (friends); i++)
    if (i != me)
      {
        g_autofree char *group = peer_group (friends[i].name);
        const char *tags[] = { "tag:hyperlink" };

        fake_machine (ts, group, friends[i].name, friends[i].ip, friends[i].user, friends[i].suffix);
        g_key_file_set_boolean (ts->keys, group, "Online", TRUE);
        g_key_file_set_string_list (ts->keys, group, "Tags", tags, 1);
        /* One path direct, one through DERP, so both show. */
        if ((i + me) % 2 == 1)
          {
            g_autofree char *cur = g_strdup_printf ("%s:41641", friends[i].ip);
            g_key_file_set_string (ts->keys, group, "CurAddr", cur);
          }
        else
          g_key_file_set_string (ts->keys, group, "Relay", "fra");
      }
  return ts;
}

static void
set_online (FakeTs     *ts,
            const char *name,
            gboolean    online)
{
  g_autofree char *group = peer_group (name);

  g_key_file_set_boolean (ts->keys, group, "Online", online);
  fake_update (ts);
}

static HlTestNode *
tailnet_node (const char *name,
              const char *netns,
              FakeTs     *ts)
{
  return hl_test_node_new_in (name, netns, ts != NULL ? ts->socket : NULL);
}

/* ---- reading the status ---- */

static JsonObject *
tailscale_of (JsonNode *status)
{
  return json_object_get_object_member (json_node_get_object (status), "tailscale");
}

/* The peer entry with this address (or, for inbound peers, this node key). */
static JsonObject *
find_peer (JsonNode   *status,
           const char *member,
           const char *value)
{
  JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");

  for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
    {
      JsonObject *peer = json_array_get_object_element (peers, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (peer, member, ""), value) == 0)
        return peer;
    }
  return NULL;
}

static gint64
connected_count (JsonNode *status)
{
  JsonObject *totals = json_object_get_object_member (json_node_get_object (status), "totals");

  return json_object_get_int_member_with_default (totals, "connected", -1);
}

static char *
key_of (HlTestNode *node)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);

  return g_strdup (json_object_get_string_member (json_node_get_object (status), "node"));
}

typedef gboolean (*StatusCheck) (JsonNode *status, gconstpointer data);

static gboolean
wait_status (HlTestNode    *node,
             StatusCheck    check,
             gconstpointer  data,
             guint          timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonNode) status = hl_test_node_status (node);

      if (check (status, data))
        return TRUE;
      g_usleep (POLL_MS * 1000);
    }
  {
    g_autofree char *out = hl_test_node_ctl (node, "status", "--json", NULL);
    g_printerr ("# %s never got there:\n%s\n", node->name, out);
  }
  return FALSE;
}

static gboolean
has_state (JsonNode *status, gconstpointer state)
{
  return g_strcmp0 (json_object_get_string_member_with_default (tailscale_of (status), "state", ""),
                    state) == 0;
}

static gboolean
peer_connected_with_key (JsonNode *status, gconstpointer key)
{
  JsonObject *peer = find_peer (status, "node", key);

  return peer != NULL && json_object_get_boolean_member (peer, "connected");
}

static gboolean
peer_gone (JsonNode *status, gconstpointer key_and_address)
{
  const char * const *pair = key_and_address;

  return !peer_connected_with_key (status, pair[0]) && find_peer (status, "address", pair[1]) == NULL;
}

static gboolean
address_in_state (JsonNode *status, gconstpointer address_and_state)
{
  const char * const *pair = address_and_state;
  JsonObject *peer = find_peer (status, "address", pair[0]);

  return peer != NULL && g_strcmp0 (json_object_get_string_member (peer, "state"), pair[1]) == 0;
}

static gboolean
error_mentions (JsonNode *status, gconstpointer address_and_text)
{
  const char * const *pair = address_and_text;
  JsonObject *peer = find_peer (status, "address", pair[0]);
  const char *error = peer ? json_object_get_string_member_with_default (peer, "error", NULL) : NULL;

  return error != NULL && strstr (error, pair[1]) != NULL;
}

/* ---- the tests ---- */

static void
test_discover_and_converge (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  FakeTs *ts[3];
  HlTestNode *nodes[3];
  char *keys[3];
  g_autofree char *posted = NULL;
  g_autofree char *during = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) status = NULL;
  JsonObject *tailscale, *self, *beta, *gamma;
  gint64 started;
  const char *beta_gone[2];
  const char *gamma_gone[2];
  const char *refused_by_alpha[] = { "ws://100.64.0.1:9473", "admits only its tailnet" };
  g_autoptr(JsonNode) status_now = NULL;
  const char *delta_check[] = { "ws://100.64.0.4:9473", "no hyperlink" };

  if (net == NULL)
    return;
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *address = g_strdup_printf ("%s/24", friends[i].ip);
      const char *ns = hl_test_net_add (net, friends[i].name, address);

      ts[i] = friend_tailnet (i);
      nodes[i] = tailnet_node (friends[i].name, ns, ts[i]);
    }
  /* Alpha dials only tagged machines: delta is tagged but runs no
   * Hyperlink, epsilon is untagged and never dialled. */
  hl_test_net_add (net, "delta", "100.64.0.4/24");
  fake_machine (ts[0], "peer delta", "delta", "100.64.0.4", "alice@example.com", "alice.example");
  g_key_file_set_string (ts[0]->keys, "peer delta", "Tags", "tag:hyperlink;");
  fake_machine (ts[0], "peer epsilon", "epsilon", "100.64.0.5", "alice@example.com", "alice.example");
  g_ptr_array_add (nodes[0]->args, g_strdup ("--tailnet-tag=tag:hyperlink"));

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *title = g_strdup_printf ("written on %s before it met anyone", friends[i].name);
      g_free (hl_test_node_post (nodes[i], title));
      fake_start (ts[i]);
    }
  started = g_get_monotonic_time ();
  for (guint i = 0; i < 3; i++)
    {
      hl_test_node_start (nodes[i]);
      keys[i] = key_of (nodes[i]);
    }
  /* Nobody was given a peer: the tailnet is how they meet. */
  g_assert_true (hl_test_wait_converged (nodes, 3, 30));
  g_test_message ("measured: three nodes started and converged through the tailnet in %.1f s",
                  (g_get_monotonic_time () - started) / 1e6);
  for (guint i = 0; i < 3; i++)
    g_assert_true (hl_test_wait_in_sync (nodes[i], 2, 30));

  status = hl_test_node_status (nodes[0]);
  tailscale = tailscale_of (status);
  g_assert_cmpstr (json_object_get_string_member (tailscale, "state"), ==, "running");
  g_assert_cmpstr (json_object_get_string_member (tailscale, "tag"), ==, "tag:hyperlink");
  self = json_object_get_object_member (tailscale, "self");
  g_assert_cmpstr (json_object_get_string_member (self, "dns_name"), ==, "alpha.alice.example");
  g_assert_cmpstr (json_object_get_string_member (self, "host_name"), ==, "alpha");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (self, "ips"), 0), ==,
                   "100.64.0.1");
  beta = find_peer (status, "node", keys[1]);
  gamma = find_peer (status, "node", keys[2]);
  g_assert_nonnull (beta);
  g_assert_nonnull (gamma);
  /* Whichever side's connection survived, the tailnet's name for it shows. */
  g_assert_cmpstr (json_object_get_string_member (beta, "machine"), ==, "beta");
  g_assert_cmpstr (json_object_get_string_member (beta, "tailnet_user"), ==, "bob@example.org");
  g_assert_cmpstr (json_object_get_string_member (gamma, "tailnet_user"), ==, "carol@example.net");
  beta = find_peer (status, "address", "ws://100.64.0.2:9473");
  gamma = find_peer (status, "address", "ws://100.64.0.3:9473");
  g_assert_nonnull (beta);
  g_assert_nonnull (strstr (json_object_get_string_member (beta, "found"), "tailnet"));
  g_assert_cmpstr (json_object_get_string_member (beta, "dns_name"), ==, "beta.bob.example");
  g_assert_cmpstr (json_object_get_string_member (beta, "path"), ==, "direct");
  g_assert_cmpstr (json_object_get_string_member (gamma, "path"), ==, "relayed (DERP fra)");
  g_assert_null (find_peer (status, "address", "ws://100.64.0.5:9473"));
  g_assert_true (wait_status (nodes[0], address_in_state, delta_check, 20));
  text = hl_test_node_ctl (nodes[0], "status", NULL);
  g_assert_nonnull (strstr (text, "Tailnet: Tailscale is running; this machine is alpha.alice.example"));
  g_assert_nonnull (strstr (text, "relayed (DERP fra) path"));
  g_test_message ("%s", text);

  /* Beta's machine drops off the network: the others drop it too. */
  hl_test_net_set_link (net, "beta", FALSE);
  started = g_get_monotonic_time ();
  set_online (ts[0], "beta", FALSE);
  set_online (ts[2], "beta", FALSE);
  beta_gone[0] = keys[1];
  beta_gone[1] = "ws://100.64.0.2:9473";
  g_assert_true (wait_status (nodes[0], peer_gone, beta_gone, 15));
  g_assert_true (wait_status (nodes[2], peer_gone, beta_gone, 15));
  g_test_message ("measured: beta dropped by both %.2f s after tailscaled said it was offline",
                  (g_get_monotonic_time () - started) / 1e6);
  posted = hl_test_node_post (nodes[0], "written on alpha while beta was away");
  during = hl_test_node_post (nodes[1], "written on beta while it was away");
  g_assert_true (hl_test_wait_has (nodes[2], posted, 20));
  g_assert_false (hl_test_node_has (nodes[1], posted));

  /* And it comes back. */
  hl_test_net_set_link (net, "beta", TRUE);
  started = g_get_monotonic_time ();
  set_online (ts[0], "beta", TRUE);
  set_online (ts[2], "beta", TRUE);
  g_assert_true (wait_status (nodes[0], peer_connected_with_key, keys[1], 20));
  g_test_message ("measured: beta back in %.2f s", (g_get_monotonic_time () - started) / 1e6);
  g_assert_true (hl_test_wait_converged (nodes, 3, 30));
  g_assert_true (hl_test_node_has (nodes[0], during));

  /* Gamma's share is revoked on alpha's tailnet: alpha drops it and, since
   * whois no longer knows it, refuses it when it dials again. */
  g_key_file_remove_group (ts[0]->keys, "peer gamma", NULL);
  fake_update (ts[0]);
  gamma_gone[0] = keys[2];
  gamma_gone[1] = "ws://100.64.0.3:9473";
  g_assert_true (wait_status (nodes[0], peer_gone, gamma_gone, 15));
  g_assert_true (wait_status (nodes[2], error_mentions, refused_by_alpha, 20));
  g_assert_false (peer_connected_with_key (status_now = hl_test_node_status (nodes[0]), keys[2]));

  for (guint i = 0; i < 3; i++)
    {
      hl_test_node_stop (nodes[i]);
      hl_test_node_free (nodes[i]);
      fake_free (ts[i]);
      g_free (keys[i]);
    }
}

static void
test_admission (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  g_autoptr(FakeTs) ts_a = NULL;
  g_autoptr(FakeTs) ts_b = NULL;
  g_autoptr(HlTestNode) alpha = NULL;
  g_autoptr(HlTestNode) beta = NULL;
  g_autoptr(HlTestNode) stranger = NULL;
  g_autoptr(HlTestNode) local = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *beta_key = NULL;
  g_autofree char *local_key = NULL;
  const char *refused[] = { "ws://100.64.0.1:9473", "admits only its tailnet" };
  const char *ns_a, *ns_b, *ns_x;
  JsonObject *peer, *refusal;

  if (net == NULL)
    return;
  ns_a = hl_test_net_add (net, "alpha", "100.64.0.1/24");
  ns_b = hl_test_net_add (net, "beta", "100.64.0.2/24");
  ns_x = hl_test_net_add (net, "stranger", "100.64.0.9/24");

  /* Alpha knows beta (offline to it, so beta is the one dialling); the
   * stranger's address is on no tailnet alpha knows. */
  ts_a = fake_new ("Running");
  fake_machine (ts_a, "self", "alpha", "100.64.0.1", "alice@example.com", "alice.example");
  fake_machine (ts_a, "peer beta", "beta", "100.64.0.2", "bob@example.org", "bob.example");
  g_key_file_set_boolean (ts_a->keys, "peer beta", "Online", FALSE);
  ts_b = fake_new ("Running");
  fake_machine (ts_b, "self", "beta", "100.64.0.2", "bob@example.org", "bob.example");
  fake_machine (ts_b, "peer alpha", "alpha", "100.64.0.1", "alice@example.com", "alice.example");
  fake_start (ts_a);
  fake_start (ts_b);

  alpha = tailnet_node ("alpha", ns_a, ts_a);
  beta = tailnet_node ("beta", ns_b, ts_b);
  stranger = tailnet_node ("stranger", ns_x, NULL);
  g_free (stranger->listen);
  stranger->listen = g_strdup ("none");
  g_ptr_array_add (stranger->args, g_strdup ("--no-tailscale"));
  g_ptr_array_add (stranger->peers, g_strdup ("ws://100.64.0.1:9473"));
  /* A program on alpha's own machine, over loopback. */
  local = tailnet_node ("local", ns_a, NULL);
  g_free (local->listen);
  local->listen = g_strdup ("none");
  g_ptr_array_add (local->args, g_strdup ("--no-tailscale"));
  g_ptr_array_add (local->peers, g_strdup ("ws://127.0.0.1:9473"));

  hl_test_node_start (alpha);
  g_assert_true (wait_status (alpha, has_state, "running", 10));
  hl_test_node_start (beta);
  hl_test_node_start (stranger);
  hl_test_node_start (local);
  beta_key = key_of (beta);
  local_key = key_of (local);

  /* The stranger is told why, in words. */
  g_assert_true (wait_status (stranger, error_mentions, refused, 20));
  g_assert_true (hl_test_wait_in_sync (beta, 1, 20));
  g_assert_true (hl_test_wait_in_sync (local, 1, 20));
  /* Alpha's status file is rewritten on its own clock: wait for it too. */
  g_assert_true (hl_test_wait_in_sync (alpha, 2, 20));
  status = hl_test_node_status (alpha);
  g_assert_cmpint (connected_count (status), ==, 2);
  peer = find_peer (status, "node", beta_key);
  g_assert_nonnull (peer);
  g_assert_cmpstr (json_object_get_string_member (peer, "direction"), ==, "inbound");
  g_assert_cmpstr (json_object_get_string_member (peer, "tailnet_user"), ==, "bob@example.org");
  g_assert_cmpstr (json_object_get_string_member (peer, "machine"), ==, "beta");
  peer = find_peer (status, "node", local_key);
  g_assert_nonnull (peer);
  g_assert_true (json_object_get_boolean_member (peer, "connected"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_node_get_object (status), "tailscale"), "admission"), ==,
                   "loopback, the tailnet, manual peers and invited nodes");
  g_assert_true (hl_test_node_log_has (alpha, "Refused 100.64.0.9:"));
  /* And alpha's status says whom it turned away, and why. */
  refusal = json_array_get_object_element (json_object_get_array_member (json_node_get_object (status),
                                                                         "refused"), 0);
  g_assert_nonnull (refusal);
  g_assert_cmpstr (json_object_get_string_member (refusal, "address"), ==, "100.64.0.9");
  g_assert_cmpstr (json_object_get_string_member (refusal, "kind"), ==, "not-admitted");
  g_assert_cmpint (json_object_get_int_member (refusal, "code"), ==, 4009);
  g_assert_nonnull (strstr (json_object_get_string_member (refusal, "reason"),
                            "not a machine of this node's tailnet"));

  /* Other networks allowed explicitly: the stranger gets in. */
  hl_test_node_stop (alpha);
  g_ptr_array_add (alpha->args, g_strdup ("--allow-any-network"));
  hl_test_node_start (alpha);
  g_assert_true (hl_test_wait_in_sync (stranger, 1, 20));

  hl_test_node_stop (local);
  hl_test_node_stop (stranger);
  hl_test_node_stop (beta);
  hl_test_node_stop (alpha);
}

static void
test_backend_states (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  g_autoptr(FakeTs) ts = NULL;
  g_autoptr(HlTestNode) node = NULL;
  g_autoptr(HlTestNode) lost = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *text = NULL;
  static const struct { const char *backend, *state, *words; } cases[] = {
    { "NeedsLogin", "needs-login", "Log in to Tailscale" },
    { "Stopped", "stopped", "Tailscale is stopped" },
    { "NeedsMachineAuth", "needs-machine-auth", "admin to approve" },
    { "Starting", "starting", "Tailscale is starting" },
    { "NoState", "starting", "Tailscale is starting" },
    { "Running", "running", "Tailscale is running" },
  };
  const char *ns;

  if (net == NULL)
    return;
  ns = hl_test_net_add (net, "alone", "100.64.0.1/24");
  ts = fake_new ("NeedsLogin");
  fake_machine (ts, "self", "alone", "100.64.0.1", "alice@example.com", "alice.example");
  fake_start (ts);
  node = tailnet_node ("alone", ns, ts);
  hl_test_node_start (node);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) now = NULL;
      const char *message;

      g_key_file_set_string (ts->keys, "tailscaled", "BackendState", cases[i].backend);
      fake_update (ts);
      g_assert_true (wait_status (node, has_state, cases[i].state, 10));
      now = hl_test_node_status (node);
      message = json_object_get_string_member (tailscale_of (now), "message");
      g_test_message ("%s: %s", cases[i].backend, message);
      g_assert_nonnull (strstr (message, cases[i].words));
      /* Only a running tailnet has a name to give friends. */
      g_assert_true (json_node_is_null (json_object_get_member (tailscale_of (now), "self")) ==
                     (strcmp (cases[i].state, "running") != 0));
    }

  /* tailscaled goes away: the node says so, and keeps running. */
  fake_stop (ts);
  g_assert_true (wait_status (node, has_state, "not-running", 10));
  status = hl_test_node_status (node);
  g_assert_nonnull (strstr (json_object_get_string_member (tailscale_of (status), "message"),
                            "Tailscale is not running"));
  text = hl_test_node_ctl (node, "status", NULL);
  g_assert_nonnull (strstr (text, "Tailnet: Tailscale is not running"));
  /* It comes back: the node follows it again. */
  fake_start (ts);
  g_assert_true (wait_status (node, has_state, "running", 20));

  /* No socket at all from the start. */
  lost = tailnet_node ("lost", ns, NULL);
  g_free (lost->listen);
  lost->listen = g_strdup ("none");
  g_ptr_array_add (lost->args, g_strdup ("--tailscale-socket=/nonexistent/tailscaled.sock"));
  hl_test_node_start (lost);
  g_assert_true (wait_status (lost, has_state, "not-running", 10));
  hl_test_node_stop (lost);
  hl_test_node_stop (node);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tailnet/backend-states", test_backend_states);
  g_test_add_func ("/tailnet/admission", test_admission);
  g_test_add_func ("/tailnet/discover-and-converge", test_discover_and_converge);
  return g_test_run ();
}
