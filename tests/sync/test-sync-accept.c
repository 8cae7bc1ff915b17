/* test-sync-accept.c: whether a node under a flood of connections stays
 * bounded and still serves its friends: half-sent requests past the
 * descriptor limit, running out of descriptors, the per-address and
 * not-ready caps, and where the node listens by default. Real hyperlinkd
 * processes, on loopback and in network namespaces.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hl-sync-wire.h"
#include "hl-test-client.h"
#include "hl-test-fakets.h"
#include "hl-test-netns.h"
#include "hl-test-raw.h"

static gboolean
log_has (HlTestNode *node,
         gpointer    text)
{
  return hl_test_node_log_has (node, text);
}

static HlTestNode *
started_node (const char *name)
{
  HlTestNode *node = hl_test_node_new (name);

  hl_test_node_start (node);
  return node;
}

/* ---- floods of half-sent requests ---- */

#define ATTACKERS        11      /* 127.0.0.2 to 127.0.0.12 */
#define FLOOD_SOCKETS    1100
#define REOPEN_MS        500
#define REOPEN_BATCH     64

typedef struct
{
  guint16   port;
  guint     sockets;
  guint     addresses;
  guint     first_address;      /* 127.0.0.N */
  gboolean  stop;
  GMutex    lock;
  guint64   opened, closed_fast, closed_at_deadline, closed_other;
  gint64    longest_us;
} Flood;

typedef struct
{
  int    fd;
  gint64 opened_at;   /* monotonic µs; or when to reopen, while fd < 0 */
} Slot;

static int
half_sent (const Flood *flood,
           guint        index)
{
  static const char partial[] = "GET / HTTP/1.1\r\nHost: node\r\nUpgrade: websocket\r\n";
  struct sockaddr_in from = { .sin_family = AF_INET }, to = { .sin_family = AF_INET };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  char ip[32];

  if (fd < 0)
    return -1;
  g_snprintf (ip, sizeof ip, "127.0.0.%u", flood->first_address + index % flood->addresses);
  inet_pton (AF_INET, ip, &from.sin_addr);
  inet_pton (AF_INET, "127.0.0.1", &to.sin_addr);
  to.sin_port = htons (flood->port);
  if (bind (fd, (struct sockaddr *) &from, sizeof from) != 0 ||
      connect (fd, (struct sockaddr *) &to, sizeof to) != 0 ||
      send (fd, partial, sizeof partial - 1, MSG_NOSIGNAL) < 0)
    {
      close (fd);
      return -1;
    }
  fcntl (fd, F_SETFL, O_NONBLOCK);
  return fd;
}

/* Keeps flood->sockets half-sent requests open, opening a new one a moment
 * after the node closes one, and notes how long each lived. */
static gpointer
flood_thread (gpointer data)
{
  Flood *flood = data;
  g_autofree Slot *slots = g_new0 (Slot, flood->sockets);
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, flood->sockets);

  for (guint i = 0; i < flood->sockets; i++)
    slots[i].fd = -1;
  while (!g_atomic_int_get (&flood->stop))
    {
      gint64 now = g_get_monotonic_time ();
      guint reopened = 0;

      for (guint i = 0; i < flood->sockets; i++)
        {
          /* A few at a time, so that closes are seen when they happen. */
          if (slots[i].fd < 0 && now >= slots[i].opened_at && reopened++ < REOPEN_BATCH &&
              (slots[i].fd = half_sent (flood, i)) >= 0)
            {
              slots[i].opened_at = now;
              g_mutex_lock (&flood->lock);
              flood->opened++;
              g_mutex_unlock (&flood->lock);
            }
          fds[i].fd = slots[i].fd;
          fds[i].events = POLLIN;
          fds[i].revents = 0;
        }
      if (poll (fds, flood->sockets, 50) <= 0)
        continue;
      now = g_get_monotonic_time ();
      for (guint i = 0; i < flood->sockets; i++)
        {
          char buffer[512];
          gint64 lived;

          if (slots[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)) ||
              recv (slots[i].fd, buffer, sizeof buffer, 0) > 0)
            continue;
          lived = now - slots[i].opened_at;
          close (slots[i].fd);
          slots[i].fd = -1;
          slots[i].opened_at = now + REOPEN_MS * 1000;
          g_mutex_lock (&flood->lock);
          if (lived < G_USEC_PER_SEC)
            flood->closed_fast++;
          else if (lived >= (HL_SYNC_HANDSHAKE_TIMEOUT_S - 1) * G_USEC_PER_SEC)
            flood->closed_at_deadline++;
          else
            flood->closed_other++;
          flood->longest_us = MAX (flood->longest_us, lived);
          g_mutex_unlock (&flood->lock);
        }
    }
  for (guint i = 0; i < flood->sockets; i++)
    if (slots[i].fd >= 0)
      close (slots[i].fd);
  return NULL;
}

static JsonObject *
connections_of (JsonNode *status)
{
  return json_object_get_object_member (json_node_get_object (status), "connections");
}

static gint64
connections_int (HlTestNode *node,
                 const char *member)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);

  return json_object_get_int_member (connections_of (status), member);
}

static gboolean
saturated (HlTestNode *node,
           gpointer    data)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonObject *c = connections_of (status);

  return json_object_get_int_member (c, "not_ready") >= json_object_get_int_member (c, "max_not_ready");
}

static gboolean
raise_own_fd_limit (guint needed)
{
  struct rlimit limit;

  getrlimit (RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit (RLIMIT_NOFILE, &limit);
  getrlimit (RLIMIT_NOFILE, &limit);
  return limit.rlim_cur >= needed;
}

static void
test_half_sent_flood (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  g_autoptr(HlTestNode) b = hl_test_node_new ("b");
  Flood flood = { 0 };
  GThread *thread;
  guint max_fds = 0;
  guint64 hwm, max_not_ready = 0, max_open = 0;
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;
  gint64 started;

  if (!raise_own_fd_limit (FLOOD_SOCKETS + 256))
    {
      g_test_skip ("this process may not open enough sockets for the flood");
      return;
    }
  /* The usual desktop limit, which the node may not raise. */
  a->nofile = 1024;
  hl_test_node_start (a);
  hwm = hl_test_proc_kb (a, "VmHWM");
  flood.port = a->port;
  flood.sockets = FLOOD_SOCKETS;
  flood.addresses = ATTACKERS;
  flood.first_address = 2;
  g_mutex_init (&flood.lock);
  thread = g_thread_new ("flood", flood_thread, &flood);
  started = g_get_monotonic_time ();
  g_assert_true (hl_test_wait_for (a, saturated, NULL, 20));

  /* An honest peer comes during the flood, and syncs. */
  hl_test_node_add_peer (b, a);
  hl_test_node_start (b);
  during = hl_test_node_post (b, "written during a flood of half-sent requests");
  while (!hl_test_node_has (a, during) &&
         g_get_monotonic_time () - started < 60 * G_USEC_PER_SEC)
    {
      g_autoptr(JsonNode) status = hl_test_node_status (a);
      JsonObject *c = connections_of (status);

      max_fds = MAX (max_fds, hl_test_open_fds (a));
      max_not_ready = MAX (max_not_ready, (guint64) json_object_get_int_member (c, "not_ready"));
      max_open = MAX (max_open, (guint64) json_object_get_int_member (c, "open"));
      g_usleep (100 * 1000);
    }
  g_assert_true (hl_test_node_has (a, during));
  g_test_message ("measured: the honest peer's post reached the flooded node %.1f s after the "
                  "flood began", (g_get_monotonic_time () - started) / 1e6);
  /* Past the deadline, the first half-sent requests have been closed. */
  while (g_get_monotonic_time () - started < (HL_SYNC_HANDSHAKE_TIMEOUT_S + 4) * G_USEC_PER_SEC)
    {
      max_fds = MAX (max_fds, hl_test_open_fds (a));
      g_usleep (200 * 1000);
    }
  g_atomic_int_set (&flood.stop, TRUE);
  g_thread_join (thread);

  g_test_message ("measured: %" G_GUINT64_FORMAT " half-sent requests opened; %" G_GUINT64_FORMAT
                  " closed within 1 s, %" G_GUINT64_FORMAT " at the %d s deadline, %"
                  G_GUINT64_FORMAT " in between; the longest lived %.1f s",
                  flood.opened, flood.closed_fast, flood.closed_at_deadline,
                  HL_SYNC_HANDSHAKE_TIMEOUT_S, flood.closed_other, flood.longest_us / 1e6);
  g_test_message ("measured: the node held at most %u descriptors (limit 1024), %" G_GUINT64_FORMAT
                  " connections, %" G_GUINT64_FORMAT " not ready", max_fds, max_open, max_not_ready);
  /* Most were closed at accept, the ones taken at their deadline (test
   * /accept/deadline times it on an idle node). */
  g_assert_cmpuint (flood.opened, >, FLOOD_SOCKETS);
  g_assert_cmpint (connections_int (a, "refused_full") + connections_int (a, "refused_per_address"),
                   >, FLOOD_SOCKETS / 2);
  g_assert_cmpint (connections_int (a, "expired"), >, 0);
  g_assert_cmpuint (flood.closed_at_deadline, >, 0);
  g_assert_cmpuint (max_fds, <, 1024 - 128);
  g_assert_cmpuint (max_not_ready, <=, (guint64) connections_int (a, "max_not_ready"));
  hl_test_assert_peak_below (a, hwm, 8, "1,100 half-sent requests from 11 addresses, reopened as closed");

  /* After the flood: the node still syncs, and takes new peers. */
  after = hl_test_node_post (b, "written after the flood");
  g_assert_true (hl_test_wait_has (a, after, 30));
  {
    g_autoptr(HlTestClient) late = hl_test_client_connect (a);
    g_autoptr(HlIdentity) me = hl_identity_new_random ();

    g_assert_nonnull (late);
    hl_test_client_handshake (late, me, "[]");
  }
  g_mutex_clear (&flood.lock);
  hl_test_node_stop (b);
  hl_test_node_stop (a);
}

static gboolean
fds_below (HlTestNode *node,
           gpointer    limit)
{
  return hl_test_open_fds (node) < GPOINTER_TO_UINT (limit);
}

static gboolean
handshake_works (HlTestNode *node,
                 gpointer    data)
{
  g_autoptr(HlTestClient) client = hl_test_client_connect (node);
  g_autoptr(HlIdentity) me = hl_identity_new_random ();

  if (client == NULL)
    return FALSE;
  hl_test_client_handshake (client, me, "[]");
  return TRUE;
}

static void
test_out_of_descriptors (void)
{
  g_autoptr(HlTestNode) a = hl_test_node_new ("a");
  Flood flood = { 0 };
  GThread *thread;
  guint64 hwm;
  guint baseline;

  /* What the node needs to run, measured; then a limit just above it, so
   * that accepting runs out of descriptors before any cap stops it. */
  hl_test_node_start (a);
  baseline = hl_test_open_fds (a);
  hl_test_node_stop (a);
  a->nofile = baseline + 4;
  hl_test_node_start (a);
  g_test_message ("measured: the node runs with %u descriptors; limit set to %u", baseline,
                  a->nofile);
  hwm = hl_test_proc_kb (a, "VmHWM");

  flood.port = a->port;
  flood.sockets = 40;
  flood.addresses = 8;
  flood.first_address = 20;
  g_mutex_init (&flood.lock);
  thread = g_thread_new ("flood", flood_thread, &flood);
  g_assert_true (hl_test_wait_for (a, log_has, (gpointer) "Out of file descriptors", 20));
  g_atomic_int_set (&flood.stop, TRUE);
  g_thread_join (thread);
  g_test_message ("measured: %" G_GUINT64_FORMAT " connections opened, %" G_GUINT64_FORMAT
                  " closed within 1 s", flood.opened, flood.closed_fast);

  /* The attackers went. Their connections still queued are taken and shed
   * first, as a dialler would see it: it gets in, trying again as nodes do. */
  g_assert_true (hl_test_wait_for (a, fds_below, GUINT_TO_POINTER (a->nofile - 1), 10));
  g_assert_true (hl_test_wait_for (a, handshake_works, NULL, 10));
  g_assert_true (hl_test_node_log_has (a, "Accepting connections again"));
  hl_test_assert_peak_below (a, hwm, 4, "running out of descriptors");
  g_mutex_clear (&flood.lock);
  hl_test_node_stop (a);
}

typedef struct
{
  const char *member;
  gint64      value;
} WantCount;

static gboolean
connections_reach (HlTestNode *node,
                   gpointer    data)
{
  const WantCount *want = data;

  return connections_int (node, want->member) >= want->value;
}

static gboolean
connections_at_most (HlTestNode *node,
                     gpointer    data)
{
  const WantCount *want = data;

  return connections_int (node, want->member) <= want->value;
}

/* Of @sockets, how many the node has not closed. */
static guint
still_open (GPtrArray *sockets)
{
  guint open = 0;

  for (guint i = 0; i < sockets->len; i++)
    {
      GSocket *socket = g_ptr_array_index (sockets, i);
      char byte;

      if (!g_socket_condition_check (socket, G_IO_IN | G_IO_HUP) ||
          g_socket_receive (socket, &byte, 1, NULL, NULL) > 0)
        open++;
    }
  return open;
}

static void
half_send (GPtrArray *sockets,
           GSocket   *socket)
{
  g_socket_send (socket, "GET / HTTP/1.1\r\n", 16, NULL, NULL);
  g_ptr_array_add (sockets, socket);
}

/* Seconds until the node closed @socket, or -1 after @timeout_s. */
static double
seconds_until_closed (GSocket *socket,
                      gint64   since,
                      guint    timeout_s)
{
  gint64 deadline = since + timeout_s * G_USEC_PER_SEC;
  char buffer[512];

  while (g_get_monotonic_time () < deadline)
    {
      if (!g_socket_condition_timed_wait (socket, G_IO_IN, 100 * 1000, NULL, NULL))
        continue;
      if (g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL) <= 0)
        return (g_get_monotonic_time () - since) / 1e6;
    }
  return -1;
}

static void
test_deadline (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(GSocket) half = NULL;
  g_autoptr(HlTestRaw) upgraded = NULL;
  g_autoptr(GError) error = NULL;
  guint64 hwm = hl_test_proc_kb (a, "VmHWM");
  WantCount expired = { "expired", 3 };
  gint64 start = g_get_monotonic_time ();
  double t_silent, t_half;

  /* Nothing sent; half a request; an upgrade and then silence. */
  silent = hl_test_tcp_connect (NULL, "127.0.0.1", a->port, &error);
  g_assert_no_error (error);
  half = hl_test_tcp_connect (NULL, "127.0.0.1", a->port, &error);
  g_assert_no_error (error);
  g_socket_send (half, "GET / HTTP/1.1\r\nHost: n", 24, NULL, NULL);
  upgraded = hl_test_raw_connect (a);
  hl_test_raw_upgrade (upgraded);
  t_silent = seconds_until_closed (silent, start, 20);
  t_half = seconds_until_closed (half, start, 20);
  g_test_message ("measured: closed after %.1f s (silent) and %.1f s (half a request); the "
                  "deadline is %d s", t_silent, t_half, HL_SYNC_HANDSHAKE_TIMEOUT_S);
  g_assert_cmpfloat (t_silent, >=, HL_SYNC_HANDSHAKE_TIMEOUT_S - 0.5);
  g_assert_cmpfloat (t_half, >=, HL_SYNC_HANDSHAKE_TIMEOUT_S - 0.5);
  g_assert_cmpfloat (t_silent, <, HL_SYNC_HANDSHAKE_TIMEOUT_S + 5);
  g_assert_cmpfloat (t_half, <, HL_SYNC_HANDSHAKE_TIMEOUT_S + 5);
  /* With its WebSocket, it is told why. */
  g_assert_cmpuint (hl_test_raw_wait_close (upgraded, 10), ==, HL_SYNC_CLOSE_TIMEOUT);
  g_assert_true (hl_test_raw_error_says (upgraded, "did not finish within 10 s"));
  g_assert_true (hl_test_wait_for (a, connections_reach, &expired, 5));
  hl_test_assert_peak_below (a, hwm, 4, "connections that never become peers");
  hl_test_node_stop (a);
}

static void
test_loopback_address_cap (void)
{
  g_autoptr(HlTestNode) a = started_node ("a");
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 hwm = hl_test_proc_kb (a, "VmHWM");
  WantCount refused = { "refused_per_address", 24 };
  guint open;

  /* One loopback address: 16 wait at most, the rest are closed at once. */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = hl_test_tcp_connect ("127.0.0.30", "127.0.0.1", a->port, &error);

      g_assert_no_error (error);
      half_send (sockets, socket);
    }
  g_assert_true (hl_test_wait_for (a, connections_reach, &refused, 10));
  open = still_open (sockets);
  g_test_message ("measured: %u of 40 half-sent requests from one loopback address kept", open);
  g_assert_cmpuint (open, ==, 16);
  g_assert_cmpint (connections_int (a, "refused_per_address"), ==, 24);
  /* Another address still gets in. */
  {
    g_autoptr(HlTestClient) honest = hl_test_client_connect (a);
    g_autoptr(HlIdentity) me = hl_identity_new_random ();

    g_assert_nonnull (honest);
    hl_test_client_handshake (honest, me, "[]");
  }
  hl_test_assert_peak_below (a, hwm, 4, "40 half-sent requests from one address");
  hl_test_node_stop (a);
}

/* ---- in network namespaces ---- */

static gboolean
reachable_in (const char *ns,
              const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = hl_test_connect_in (ns, NULL, to, HL_SYNC_DEFAULT_PORT, &error);

  if (socket == NULL)
    g_test_message ("%s:%d from %s: %s", to, HL_SYNC_DEFAULT_PORT, ns, error->message);
  return socket != NULL;
}

static void
test_address_caps (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  g_autoptr(HlTestNode) a = NULL;
  g_autoptr(GPtrArray) ready = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_test_raw_free);
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_object_unref);
  WantCount refused = { "refused_per_address", 6 };
  WantCount none_open = { "open", 0 };
  const char *ns_a, *ns_x;
  guint64 hwm;
  guint kept;

  if (net == NULL)
    return;
  ns_a = hl_test_net_add (net, "victim", "10.77.0.1/24");
  ns_x = hl_test_net_add (net, "stranger", "10.77.0.2/24");
  a = hl_test_node_new_in ("a", ns_a, NULL);
  hl_test_node_add_arg (a, "--allow-any-network");
  hl_test_node_start (a);
  hwm = hl_test_proc_kb (a, "VmHWM");
  /* Possible, and said to be what it is. */
  g_assert_true (hl_test_node_log_has (a, "0.0.0.0 is a wildcard address: every network"));
  g_assert_false (hl_test_node_log_has (a, "ws://0.0.0.0"));

  /* Another machine may have four requests waiting at once... */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = hl_test_connect_in (ns_x, NULL, "10.77.0.1", 9473, &error);

      g_assert_no_error (error);
      half_send (waiting, socket);
    }
  g_assert_true (hl_test_wait_for (a, connections_reach, &refused, 10));
  kept = still_open (waiting);
  g_test_message ("measured: %u of 10 half-sent requests from one address kept", kept);
  g_assert_cmpuint (kept, ==, 4);
  g_ptr_array_set_size (waiting, 0);
  g_assert_true (hl_test_wait_for (a, connections_at_most, &none_open, 10));

  /* ... also while it has as many ready peers as the node's slots take from
   * one address (8: hl-node-slots.c; test-admission attacks that limit). */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlIdentity) me = hl_identity_new_random ();
      HlTestRaw *raw = hl_test_raw_new (hl_test_connect_in (ns_x, NULL, "10.77.0.1", 9473, &error));

      g_assert_no_error (error);
      hl_test_raw_upgrade (raw);
      hl_test_raw_handshake (raw, me);
      g_ptr_array_add (ready, raw);
    }
  refused.value += 6;
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = hl_test_connect_in (ns_x, NULL, "10.77.0.1", 9473, &error);

      g_assert_no_error (error);
      half_send (waiting, socket);
    }
  g_assert_true (hl_test_wait_for (a, connections_reach, &refused, 10));
  kept = still_open (waiting);
  g_test_message ("measured: with 8 ready peers from one address, %u of 10 more requests kept", kept);
  g_assert_cmpuint (kept, ==, 4);
  hl_test_assert_peak_below (a, hwm, 4, "per-address limits attacked");
  hl_test_node_stop (a);
}

static gboolean
listens_on (HlTestNode *node,
            gpointer    host_port)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonNode *listen = json_object_get_member (json_node_get_object (status), "listen");

  for (guint i = 0; listen != NULL && JSON_NODE_HOLDS_ARRAY (listen) &&
                    i < json_array_get_length (json_node_get_array (listen)); i++)
    if (g_strcmp0 (json_array_get_string_element (json_node_get_array (listen), i), host_port) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
not_listening_on (HlTestNode *node,
                  gpointer    host_port)
{
  return !listens_on (node, host_port);
}

static void
test_listen_defaults (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  g_autoptr(FakeTs) ts = NULL;
  g_autoptr(HlTestNode) a = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *text = NULL;
  guint64 hwm;
  const char *ns;

  if (net == NULL)
    return;
  ns = hl_test_net_add (net, "alpha", "100.64.0.1/24");
  ts = fake_new ("Running");
  fake_machine (ts, "self", "alpha", "100.64.0.1", "alice@example.com", "alice.example");
  a = hl_test_node_new ("a");
  a->netns = g_strdup (ns);
  a->listen = g_strdup ("default");
  hl_test_node_add_arg (a, "--tailscale-socket");
  hl_test_node_add_arg (a, ts->socket);

  /* Tailscale not running yet: loopback only. */
  hl_test_node_start (a);
  hwm = hl_test_proc_kb (a, "VmHWM");
  g_assert_true (listens_on (a, (gpointer) "127.0.0.1:9473"));
  g_assert_true (reachable_in (ns, "127.0.0.1"));
  g_assert_false (reachable_in (ns, "100.64.0.1"));
  g_assert_true (hl_test_node_log_has (a, "Only programs on this machine can reach this node"));
  g_assert_false (hl_test_node_log_has (a, "ws://0.0.0.0"));

  /* It runs: the node listens on the tailnet address too. */
  fake_start (ts);
  g_assert_true (hl_test_wait_for (a, listens_on, (gpointer) "100.64.0.1:9473", 20));
  g_assert_true (reachable_in (ns, "100.64.0.1"));
  g_assert_true (reachable_in (ns, "127.0.0.1"));
  status = hl_test_node_status (a);
  text = json_to_string (json_object_get_member (json_node_get_object (status), "reachable"), FALSE);
  g_test_message ("reachable: %s", text);
  g_assert_nonnull (strstr (text, "ws://alpha.alice.example:9473"));
  g_assert_true (hl_test_node_log_has (a, "Peers can add this node as ws://alpha.alice.example:9473"));

  /* The machine's tailnet address changes: the node follows. */
  {
    g_autofree char *cmd = g_strdup_printf ("ip -n %s addr add 100.64.0.7/24 dev eth0", ns);
    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  }
  fake_machine (ts, "self", "alpha", "100.64.0.7", "alice@example.com", "alice.example");
  fake_update (ts);
  g_assert_true (hl_test_wait_for (a, listens_on, (gpointer) "100.64.0.7:9473", 20));
  g_assert_true (hl_test_wait_for (a, not_listening_on, (gpointer) "100.64.0.1:9473", 20));
  g_assert_true (reachable_in (ns, "100.64.0.7"));
  g_assert_false (reachable_in (ns, "100.64.0.1"));

  /* Tailscale stops: loopback only again. */
  fake_stop (ts);
  g_assert_true (hl_test_wait_for (a, not_listening_on, (gpointer) "100.64.0.7:9473", 20));
  g_assert_false (reachable_in (ns, "100.64.0.7"));
  g_assert_true (reachable_in (ns, "127.0.0.1"));
  hl_test_assert_peak_below (a, hwm, 4, "listen addresses following Tailscale");
  hl_test_node_stop (a);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/accept/loopback-address-cap", test_loopback_address_cap);
  g_test_add_func ("/accept/address-caps", test_address_caps);
  g_test_add_func ("/accept/deadline", test_deadline);
  g_test_add_func ("/accept/half-sent-flood", test_half_sent_flood);
  g_test_add_func ("/accept/out-of-descriptors", test_out_of_descriptors);
  g_test_add_func ("/accept/listen-defaults", test_listen_defaults);
  return g_test_run ();
}
