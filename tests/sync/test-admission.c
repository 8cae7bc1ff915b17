/* test-admission.c: admission fails closed, and connection slots strangers
 * cannot take: real hyperlinkd processes in network namespaces (so that the
 * addresses admission looks at are real) and on loopback, the stand-in
 * tailscaled, and hl-test-swarm for connections with throwaway keys.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "hl-test-fakets.h"
#include "hl-test-netns.h"
#include "hl-test-node.h"

#define POLL_MS 100

/* ---- nodes and namespaces ---- */

/* A node in @netns on every address at 9473, asking the stand-in at @ts
 * (NULL: none, so Tailscale is "not running"). */
static HlTestNode *
ns_node (const char *name,
         const char *netns,
         FakeTs     *ts)
{
  return hl_test_node_new_in (name, netns, ts != NULL ? ts->socket : NULL);
}

/* A node in @netns that listens nowhere and dials @peer. */
static HlTestNode *
dialler (const char *name,
         const char *netns,
         const char *peer)
{
  HlTestNode *node = ns_node (name, netns, NULL);

  g_free (node->listen);
  node->listen = g_strdup ("none");
  g_ptr_array_add (node->peers, g_strdup (peer));
  return node;
}

/* ---- reading the status ---- */

static JsonObject *
root_of (JsonNode *status)
{
  return json_node_get_object (status);
}

static JsonObject *
refusal_of (JsonNode   *status,
            const char *address,
            const char *kind)
{
  JsonArray *list = json_object_get_array_member (root_of (status), "refused");

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *r = json_array_get_object_element (list, i);

      if (g_strcmp0 (json_object_get_string_member (r, "address"), address) == 0 &&
          g_strcmp0 (json_object_get_string_member (r, "kind"), kind) == 0)
        return r;
    }
  return NULL;
}

static gint64
refusal_count (HlTestNode *node,
               const char *address,
               const char *kind)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonObject *r = refusal_of (status, address, kind);

  return r != NULL ? json_object_get_int_member (r, "count") : 0;
}

static gint64
connected (HlTestNode *node)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonObject *totals = json_object_get_object_member (root_of (status), "totals");

  return json_object_get_int_member_with_default (totals, "connected", -1);
}

static gboolean
connected_is (HlTestNode *node,
              gpointer    n)
{
  return connected (node) == GPOINTER_TO_INT (n);
}

static const char *
tailscale_member (JsonNode   *status,
                  const char *member)
{
  JsonObject *ts = json_object_get_object_member (root_of (status), "tailscale");

  return json_object_get_string_member_with_default (ts, member, "");
}

typedef struct
{
  const char *member;
  const char *value;
} Want;

static gboolean
tailscale_is (HlTestNode *node,
              gpointer    user_data)
{
  const Want *want = user_data;
  g_autoptr(JsonNode) status = hl_test_node_status (node);

  return g_strcmp0 (tailscale_member (status, want->member), want->value) == 0;
}

/* The first peer whose last problem mentions the text. */
static gboolean
problem_mentions (HlTestNode *node,
                  gpointer    text)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonArray *peers = json_object_get_array_member (root_of (status), "peers");

  for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
    {
      const char *error = json_object_get_string_member_with_default (
        json_array_get_object_element (peers, i), "error", NULL);

      if (error != NULL && strstr (error, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A connection to the peer at @address (a target) is up. */
static gboolean
connected_at (HlTestNode *node,
              gpointer    address)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonArray *peers = json_object_get_array_member (root_of (status), "peers");

  for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
    {
      JsonObject *peer = json_array_get_object_element (peers, i);

      if (g_strcmp0 (json_object_get_string_member (peer, "address"), address) == 0 &&
          json_object_get_boolean_member (peer, "connected"))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  const char *address;
  const char *kind;
  gint64      more_than;
  const char *words;
} WantRefusal;

/* A refusal of @address of @kind, counted more than @more_than times, whose
 * reason says @words. */
static gboolean
refused_again (HlTestNode *node,
               gpointer    user_data)
{
  const WantRefusal *want = user_data;
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonObject *r = refusal_of (status, want->address, want->kind);

  return r != NULL && json_object_get_int_member (r, "count") > want->more_than &&
         (want->words == NULL || strstr (json_object_get_string_member (r, "reason"), want->words));
}

static gboolean
log_has (HlTestNode *node,
         gpointer    text)
{
  return hl_test_node_log_has (node, text);
}

/* ---- the swarm: throwaway keys, real handshakes ---- */

typedef struct
{
  GSubprocess *process;
  char        *out_path;
} Swarm;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* @count connections to @url from @local_ip (NULL: any), made one after the
 * other, from inside @netns (NULL: this one). */
static Swarm *
swarm_start (const char *netns,
             const char *url,
             guint       count,
             const char *local_ip)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  Swarm *swarm = g_new0 (Swarm, 1);
  int fd;

  fd = g_file_open_tmp ("hl-swarm-XXXXXX.txt", &swarm->out_path, &error);
  g_assert_no_error (error);
  close (fd);
  if (netns != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("ip"));
      g_ptr_array_add (argv, g_strdup ("netns"));
      g_ptr_array_add (argv, g_strdup ("exec"));
      g_ptr_array_add (argv, g_strdup (netns));
    }
  g_ptr_array_add (argv, g_strdup (g_getenv ("HL_TEST_SWARM")));
  g_ptr_array_add (argv, g_strdup (url));
  g_ptr_array_add (argv, g_strdup_printf ("%u", count));
  if (local_ip != NULL)
    g_ptr_array_add (argv, g_strdup (local_ip));
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, swarm->out_path);
  swarm->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return swarm;
}

/* How many of its lines begin with @what ("ready", "refused", "closed")
 * and, unless @code is 0, end with that close code. */
static guint
swarm_count (Swarm      *swarm,
             const char *what,
             guint       code)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *suffix = g_strdup_printf (" %u", code);
  guint n = 0;

  if (!g_file_get_contents (swarm->out_path, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], what) && lines[i][strlen (what)] == ' ' &&
        (code == 0 || g_str_has_suffix (lines[i], suffix)))
      n++;
  return n;
}

static gboolean
swarm_wait (Swarm      *swarm,
            const char *what,
            guint       code,
            guint       at_least,
            guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (swarm_count (swarm, what, code) >= at_least)
        return TRUE;
      g_usleep (POLL_MS * 1000);
    }
  {
    g_autofree char *text = NULL;
    g_file_get_contents (swarm->out_path, &text, NULL, NULL);
    g_printerr ("# the swarm said:\n%s\n", text ? text : "(nothing)");
  }
  return FALSE;
}

static void
swarm_free (Swarm *swarm)
{
  if (swarm == NULL)
    return;
  g_subprocess_send_signal (swarm->process, SIGTERM);
  g_subprocess_wait (swarm->process, NULL, NULL);
  g_object_unref (swarm->process);
  g_unlink (swarm->out_path);
  g_free (swarm->out_path);
  g_free (swarm);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Swarm, swarm_free)

/* ---- the tests ---- */

/* A stranger (not loopback, not on the tailnet, neither a manual peer nor
 * invited) is refused with 4009 in every state Tailscale can be in, and
 * the node says so in its status. */
static void
test_stranger_refused (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  g_autoptr(FakeTs) ts = NULL;
  g_autoptr(HlTestNode) alpha = NULL;
  g_autoptr(HlTestNode) stranger = NULL;
  static const struct { const char *backend, *error, *state, *words; } cases[] = {
    { "Running", NULL, "running", "not a machine of this node's tailnet" },
    { "Stopped", NULL, "stopped", "Tailscale on this node is stopped" },
    { "NeedsLogin", NULL, "needs-login", "Tailscale on this node is logged out" },
    { "Running", "tailscaled is failing on purpose", "error", "Tailscale on this node is failing" },
    { NULL, NULL, "not-running", "Tailscale on this node is not running" },
  };
  const char *ns_a, *ns_x;

  if (net == NULL)
    return;
  ns_a = hl_test_net_add (net, "alpha", "100.64.0.1/24");
  ns_x = hl_test_net_add (net, "stranger", "100.64.0.9/24");
  ts = fake_new ("Running");
  fake_machine (ts, "self", "alpha", "100.64.0.1", "alice@example.com", "alice.example");
  fake_start (ts);
  alpha = ns_node ("alpha", ns_a, ts);
  hl_test_node_start (alpha);
  stranger = dialler ("stranger", ns_x, "ws://100.64.0.1:9473");
  hl_test_node_add_arg (stranger, "--no-tailscale");
  hl_test_node_start (stranger);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Want state = { "state", cases[i].state };
      WantRefusal again = { "100.64.0.9", "not-admitted", 0, cases[i].words };
      g_autoptr(JsonNode) status = NULL;
      JsonObject *refusal;

      if (cases[i].backend == NULL)
        fake_stop (ts);
      else
        {
          g_key_file_set_string (ts->keys, "tailscaled", "BackendState", cases[i].backend);
          if (cases[i].error != NULL)
            g_key_file_set_string (ts->keys, "tailscaled", "Error", cases[i].error);
          else
            g_key_file_remove_key (ts->keys, "tailscaled", "Error", NULL);
          fake_update (ts);
        }
      g_assert_true (hl_test_wait_for (alpha, tailscale_is, &state, 20));
      /* The stranger keeps dialling: the next refusal gives this state's reason. */
      again.more_than = refusal_count (alpha, "100.64.0.9", "not-admitted");
      g_assert_true (hl_test_wait_for (alpha, refused_again, &again, 20));
      status = hl_test_node_status (alpha);
      refusal = refusal_of (status, "100.64.0.9", "not-admitted");
      g_test_message ("%s: %s", cases[i].state, json_object_get_string_member (refusal, "reason"));
      g_assert_cmpint (json_object_get_int_member (refusal, "code"), ==, 4009);
      g_assert_nonnull (strstr (json_object_get_string_member (refusal, "reason"),
                                "admits only its tailnet, its manual peers and invited nodes"));
      g_assert_false (json_node_is_null (json_object_get_member (refusal, "node")));
      g_assert_cmpint (connected (alpha), ==, 0);
      /* What is admitted is said in every state. */
      g_assert_nonnull (strstr (tailscale_member (status, "admission"), "manual peers and invited nodes"));
      g_assert_null (strstr (tailscale_member (status, "admission"), "any network"));
    }
  /* The stranger was told why, in words. */
  g_assert_true (hl_test_wait_for (stranger, problem_mentions,
                                   (gpointer) "ask the node's owner for an invite link", 10));
  g_assert_cmpint (connected (stranger), ==, 0);
  {
    g_autofree char *text = hl_test_node_ctl (alpha, "status", NULL);

    g_assert_nonnull (strstr (text, "Refused lately:"));
    g_assert_nonnull (strstr (text, "100.64.0.9"));
  }
  hl_test_node_stop (stranger);
  hl_test_node_stop (alpha);
}

/* A manual peer dialling from another machine is admitted with Tailscale
 * absent: by the IP its address stands for, and by the key last found at
 * its address (remembered across a restart) when it dials from elsewhere. */
static void
test_manual_peer (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  g_autoptr(HlTestNode) alpha = NULL;
  g_autoptr(HlTestNode) beta = NULL;
  g_autofree char *out = NULL;
  g_autofree char *posted = NULL;
  const char *ns_a, *ns_b;

  if (net == NULL)
    return;
  ns_a = hl_test_net_add (net, "alpha", "10.77.1.1/24");
  ns_b = hl_test_net_add (net, "beta", "10.77.1.2/24");
  hl_test_net_add_address (net, "beta", "10.77.1.12/24");
  alpha = ns_node ("alpha", ns_a, NULL);
  hl_test_node_start (alpha);

  /* By address: beta dials from 10.77.1.2, the IP of the peer added. */
  g_free (hl_test_node_ctl (alpha, "peer", "add", "ws://10.77.1.2:9473", NULL));
  beta = dialler ("beta", ns_b, "ws://10.77.1.1:9473");
  hl_test_node_start (beta);
  g_assert_true (hl_test_wait_in_sync (beta, 1, 20));
  g_assert_true (hl_test_wait_for (alpha, log_has, (gpointer) "): a manual peer", 10));
  hl_test_node_stop (beta);

  /* By key: the peer is now known at 10.77.1.12; alpha reaches it there
   * once and keeps the key it found. (Beta admits alpha as its own manual
   * peer: admission is the same on both ends.) */
  g_free (hl_test_node_ctl (alpha, "peer", "remove", "ws://10.77.1.2:9473", NULL));
  g_free (hl_test_node_ctl (alpha, "peer", "add", "ws://10.77.1.12:9473", NULL));
  g_free (beta->listen);
  beta->listen = g_strdup ("10.77.1.12:9473");
  hl_test_node_start (beta);
  g_assert_true (hl_test_wait_for (alpha, connected_at, (gpointer) "ws://10.77.1.12:9473", 20));
  hl_test_node_stop (beta);
  hl_test_node_stop (alpha);

  /* After a restart, beta dials from 10.77.1.2, which no manual peer names:
   * its key lets it in. */
  hl_test_node_start (alpha);
  g_free (beta->listen);
  beta->listen = g_strdup ("none");
  posted = hl_test_node_post (beta, "written on beta, dialling from its other address");
  hl_test_node_start (beta);
  g_assert_true (hl_test_wait_has (alpha, posted, 20));
  g_assert_true (hl_test_node_log_has (alpha, "Admitted 10.77.1.2:"));
  g_assert_cmpint (refusal_count (alpha, "10.77.1.2", "not-admitted"), ==, 0);
  hl_test_node_stop (beta);
  hl_test_node_stop (alpha);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
invite_link (HlTestNode *node,
             const char *address)
{
  g_autofree char *out = hl_test_node_ctl (node, "invite", "create", "--json", "--address", address,
                                           NULL);
  g_autoptr(JsonObject) invite = parse_object (out);

  return g_strdup (json_object_get_string_member (invite, "link"));
}

/* An invited node dialling from another machine, Tailscale absent, is let
 * finish the handshake, redeems, is admitted and syncs; after a restart it
 * is admitted by its key, without an invite. While no invite is open, a
 * stranger is refused at once; while one is, it gets 10 s to redeem it, and
 * a redeem that fails ends it at once. */
static void
test_invited (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  g_autoptr(HlTestNode) alpha = NULL;
  g_autoptr(HlTestNode) beta = NULL;
  g_autoptr(HlTestNode) stranger = NULL;
  g_autoptr(HlTestNode) late = NULL;
  g_autofree char *link = NULL;
  g_autofree char *second = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *from_alpha = NULL;
  g_autofree char *from_beta = NULL;
  g_autofree char *later = NULL;
  HlTestNode *both[2];
  WantRefusal at_once = { "10.77.2.9", "not-admitted", 0, "is none of them" };
  WantRefusal timed_out = { "10.77.2.9", "not-admitted", 0, "no valid redeem came within 10 s" };
  WantRefusal spent = { "10.77.2.8", "not-admitted", 0, "your invite was refused (this invite has "
                                                        "been used up" };
  const char *ns_a, *ns_b, *ns_x, *ns_l;
  gint64 started;

  if (net == NULL)
    return;
  ns_a = hl_test_net_add (net, "alpha", "10.77.2.1/24");
  ns_b = hl_test_net_add (net, "beta", "10.77.2.2/24");
  ns_x = hl_test_net_add (net, "stranger", "10.77.2.9/24");
  ns_l = hl_test_net_add (net, "late", "10.77.2.8/24");
  alpha = ns_node ("alpha", ns_a, NULL);
  beta = ns_node ("beta", ns_b, NULL);
  g_free (beta->listen);
  beta->listen = g_strdup ("none");
  both[0] = alpha;
  both[1] = beta;
  from_alpha = hl_test_node_post (alpha, "written on alpha before the invite");
  from_beta = hl_test_node_post (beta, "written on beta before the invite");
  hl_test_node_start (alpha);
  hl_test_node_start (beta);

  link = invite_link (alpha, "ws://10.77.2.1:9473");
  started = g_get_monotonic_time ();
  g_assert_cmpint (hl_test_node_ctl_full (beta, &out, &err, "invite", "accept", "--timeout", "30",
                                          link, NULL), ==, 0);
  g_assert_true (hl_test_node_log_has (alpha, "finish the handshake to redeem an invite"));
  g_assert_true (hl_test_wait_has (alpha, from_beta, 20));
  g_assert_true (hl_test_wait_has (beta, from_alpha, 20));
  g_assert_true (hl_test_wait_converged (both, 2, 20));
  g_test_message ("measured: an invited node redeemed and converged %.2f s after accepting",
                  (g_get_monotonic_time () - started) / 1e6);
  g_assert_true (hl_test_wait_in_sync (beta, 1, 20));
  g_assert_true (hl_test_node_log_has (alpha, "known through an invite"));

  /* The invite is used up: a stranger is refused at once. */
  stranger = dialler ("stranger", ns_x, "ws://10.77.2.1:9473");
  hl_test_node_start (stranger);
  g_assert_true (hl_test_wait_for (alpha, refused_again, &at_once, 20));
  /* With another invite open it may finish the handshake, and is closed
   * when no redeem comes. */
  second = invite_link (alpha, "ws://10.77.2.1:9473");
  started = g_get_monotonic_time ();
  g_assert_true (hl_test_wait_for (alpha, refused_again, &timed_out, 30));
  g_test_message ("measured: a stranger let in to redeem an invite was closed after %.1f s",
                  (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpint (connected (alpha), ==, 1);
  hl_test_node_stop (stranger);

  /* A latecomer with the used-up link is let try, told why not, and closed. */
  late = ns_node ("late", ns_l, NULL);
  g_free (late->listen);
  late->listen = g_strdup ("none");
  hl_test_node_start (late);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hl_test_node_ctl_full (late, &out, &err, "invite", "accept", "--timeout", "30",
                                          link, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "used up"));
  g_assert_true (hl_test_wait_for (alpha, refused_again, &spent, 20));
  hl_test_node_stop (late);

  /* After a restart of both: admitted by key, nothing redeemed again. */
  hl_test_node_stop (beta);
  hl_test_node_stop (alpha);
  hl_test_node_start (alpha);
  later = hl_test_node_post (beta, "written on beta after the restart");
  hl_test_node_start (beta);
  g_assert_true (hl_test_wait_has (alpha, later, 20));
  g_assert_false (hl_test_node_log_has (alpha, "finish the handshake to redeem"));
  g_assert_true (hl_test_node_log_has (alpha, "known through an invite"));
  hl_test_node_stop (beta);
  hl_test_node_stop (alpha);
}

/* --allow-any-network lets the stranger in (and says so); the limit per
 * address still holds for it. */
static void
test_any_network (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  g_autoptr(HlTestNode) alpha = NULL;
  g_autoptr(HlTestNode) stranger = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(Swarm) swarm = NULL;
  WantRefusal full = { "10.77.3.9", "full", 0, "at most 8 connections from one address" };
  const char *ns_a, *ns_x;

  if (net == NULL)
    return;
  ns_a = hl_test_net_add (net, "alpha", "10.77.3.1/24");
  ns_x = hl_test_net_add (net, "stranger", "10.77.3.9/24");
  alpha = ns_node ("alpha", ns_a, NULL);
  hl_test_node_add_arg (alpha, "--allow-any-network");
  hl_test_node_start (alpha);
  g_assert_true (hl_test_node_log_has (alpha, "Admitting peers from any network"));
  stranger = dialler ("stranger", ns_x, "ws://10.77.3.1:9473");
  hl_test_node_start (stranger);
  g_assert_true (hl_test_wait_in_sync (stranger, 1, 20));
  status = hl_test_node_status (alpha);
  g_assert_cmpstr (tailscale_member (status, "admission"), ==, "any network (--allow-any-network)");
  hl_test_node_stop (stranger);

  /* Eight connections from one address, not nine. */
  swarm = swarm_start (ns_x, "ws://10.77.3.1:9473", 9, NULL);
  g_assert_true (swarm_wait (swarm, "done", 0, 1, 60));
  g_assert_cmpuint (swarm_count (swarm, "ready", 0), ==, 8);
  g_assert_cmpuint (swarm_count (swarm, "refused", 4008), ==, 1);
  g_assert_true (hl_test_wait_for (alpha, refused_again, &full, 10));
  hl_test_node_stop (alpha);
}

/* Slots on loopback: a node full of connections with throwaway keys still
 * takes a peer it knows (the newest unknown connection makes room and is
 * told why) and it syncs; an unknown newcomer is refused; so is the 65th
 * connection from one loopback address. */
static void
test_slots (void)
{
  g_autoptr(HlTestNode) alpha = hl_test_node_new ("alpha");
  g_autoptr(HlTestNode) beta = hl_test_node_new ("beta");
  g_autoptr(Swarm) first = NULL;
  g_autoptr(Swarm) second = NULL;
  g_autoptr(Swarm) newcomer = NULL;
  g_autoptr(Swarm) late = NULL;
  g_autofree char *url = NULL;
  g_autofree char *posted = NULL;
  g_autofree char *answer = NULL;
  WantRefusal evicted = { "127.0.0.3", "evicted", 0, "make room for a peer it knows" };
  gint64 started;

  hl_test_node_start (alpha);
  url = g_strdup_printf ("ws://127.0.0.1:%u", alpha->port);
  started = g_get_monotonic_time ();
  first = swarm_start (NULL, url, 65, "127.0.0.2");
  g_assert_true (swarm_wait (first, "done", 0, 1, 120));
  g_assert_cmpuint (swarm_count (first, "ready", 0), ==, 64);
  g_assert_cmpuint (swarm_count (first, "refused", 4008), ==, 1);
  second = swarm_start (NULL, url, 64, "127.0.0.3");
  g_assert_true (swarm_wait (second, "done", 0, 1, 120));
  g_assert_cmpuint (swarm_count (second, "ready", 0), ==, 64);
  g_test_message ("measured: 128 connections with throwaway keys handshaken in %.1f s",
                  (g_get_monotonic_time () - started) / 1e6);
  g_assert_true (hl_test_wait_for (alpha, connected_is, GINT_TO_POINTER (128), 10));

  /* Full: a stranger's newcomer is refused. */
  newcomer = swarm_start (NULL, url, 1, "127.0.0.4");
  g_assert_true (swarm_wait (newcomer, "done", 0, 1, 30));
  g_assert_cmpuint (swarm_count (newcomer, "refused", 4008), ==, 1);

  /* A peer the node knows (it dials it) gets in, and syncs. */
  posted = hl_test_node_post (alpha, "written on the full node");
  hl_test_node_start (beta);
  started = g_get_monotonic_time ();
  g_free (hl_test_node_ctl (alpha, "peer", "add", beta->address, NULL));
  g_assert_true (hl_test_wait_has (beta, posted, 30));
  g_test_message ("measured: a known peer synced with the full node %.2f s after it was added",
                  (g_get_monotonic_time () - started) / 1e6);
  g_assert_true (swarm_wait (second, "closed", 4008, 1, 10));
  g_assert_true (hl_test_wait_for (alpha, refused_again, &evicted, 10));
  answer = hl_test_node_post (beta, "answered by the known peer");
  g_assert_true (hl_test_wait_has (alpha, answer, 20));
  /* The one evicted was the newest. */
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (second->out_path, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "closed 63 4008"));
  }
  /* Still full: unknown newcomers are still refused. */
  late = swarm_start (NULL, url, 1, "127.0.0.5");
  g_assert_true (swarm_wait (late, "done", 0, 1, 30));
  g_assert_cmpuint (swarm_count (late, "refused", 4008), ==, 1);
  g_assert_cmpuint (swarm_count (first, "closed", 0), ==, 0);
  hl_test_node_stop (beta);
  hl_test_node_stop (alpha);
}

/* Slots per tailnet machine and per tailnet user, as whois names them: one
 * machine of bob's gets 4, all of bob's machines together 16. */
static void
test_tailnet_slots (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  g_autoptr(FakeTs) ts = NULL;
  g_autoptr(HlTestNode) alpha = NULL;
  g_autoptr(GPtrArray) swarms = g_ptr_array_new_with_free_func ((GDestroyNotify) swarm_free);
  static const char * const bob[] = { "100.64.0.2", "100.64.0.12", "100.64.0.22", "100.64.0.32",
                                      "100.64.0.42" };
  WantRefusal machine = { "100.64.0.2", "full", 0, "one machine of its tailnet" };
  WantRefusal user = { "100.64.0.42", "full", 0, "one tailnet user, and bob@example.org" };
  Want running = { "state", "running" };
  const char *ns_a, *ns_b;
  Swarm *swarm;

  if (net == NULL)
    return;
  ns_a = hl_test_net_add (net, "alpha", "100.64.0.1/24");
  ns_b = hl_test_net_add (net, "bob", "100.64.0.2/24");
  ts = fake_new ("Running");
  fake_machine (ts, "self", "alpha", "100.64.0.1", "alice@example.com", "alice.example");
  for (guint i = 0; i < G_N_ELEMENTS (bob); i++)
    {
      g_autofree char *group = g_strdup_printf ("peer bob%u", i);
      g_autofree char *host = g_strdup_printf ("bob%u", i);
      g_autofree char *address = g_strdup_printf ("%s/24", bob[i]);

      if (i > 0)
        hl_test_net_add_address (net, "bob", address);
      fake_machine (ts, group, host, bob[i], "bob@example.org", "bob.example");
      /* Offline to alpha's dialling, there to whois. */
      g_key_file_set_boolean (ts->keys, group, "Online", FALSE);
    }
  fake_start (ts);
  alpha = ns_node ("alpha", ns_a, ts);
  hl_test_node_start (alpha);
  g_assert_true (hl_test_wait_for (alpha, tailscale_is, &running, 20));

  /* One machine: four, not five. */
  swarm = swarm_start (ns_b, "ws://100.64.0.1:9473", 5, bob[0]);
  g_ptr_array_add (swarms, swarm);
  g_assert_true (swarm_wait (swarm, "done", 0, 1, 60));
  g_assert_cmpuint (swarm_count (swarm, "ready", 0), ==, 4);
  g_assert_cmpuint (swarm_count (swarm, "refused", 4008), ==, 1);
  g_assert_true (hl_test_wait_for (alpha, refused_again, &machine, 10));

  /* One user: sixteen over four machines, then none from a fifth. */
  for (guint i = 1; i < 4; i++)
    {
      swarm = swarm_start (ns_b, "ws://100.64.0.1:9473", 4, bob[i]);
      g_ptr_array_add (swarms, swarm);
      g_assert_true (swarm_wait (swarm, "done", 0, 1, 60));
      g_assert_cmpuint (swarm_count (swarm, "ready", 0), ==, 4);
    }
  g_assert_true (hl_test_wait_for (alpha, connected_is, GINT_TO_POINTER (16), 10));
  swarm = swarm_start (ns_b, "ws://100.64.0.1:9473", 1, bob[4]);
  g_ptr_array_add (swarms, swarm);
  g_assert_true (swarm_wait (swarm, "done", 0, 1, 60));
  g_assert_cmpuint (swarm_count (swarm, "refused", 4008), ==, 1);
  g_assert_true (hl_test_wait_for (alpha, refused_again, &user, 10));
  hl_test_node_stop (alpha);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/admission/stranger-refused", test_stranger_refused);
  g_test_add_func ("/admission/manual-peer", test_manual_peer);
  g_test_add_func ("/admission/invited", test_invited);
  g_test_add_func ("/admission/any-network", test_any_network);
  g_test_add_func ("/admission/slots", test_slots);
  g_test_add_func ("/admission/tailnet-slots", test_tailnet_slots);
  return g_test_run ();
}
