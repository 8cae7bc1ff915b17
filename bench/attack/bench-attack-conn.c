/* bench-attack-conn.c: attacks made of many connections: half-sent
 * requests past the descriptor limit, running out of descriptors, slots
 * taken by throwaway keys (tests/sync/hl-test-swarm), strangers from
 * another network (in network namespaces, tests/sync/hl-test-netns.c),
 * and peers that never read.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-attack.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hl-identity.h"
#include "hl-sync-wire.h"
#include "hl-test-netns.h"

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static gboolean
time_left (Run *run)
{
  return !run_stopping (run) && now_us () - run->attack_started_us < ATTACK_MAX_S * G_USEC_PER_SEC;
}

static JsonObject *
status_object (Run *run)
{
  g_autofree char *path = g_build_filename (run->victim->data_dir, "sync-status.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* The sum of @member over the victim's peers whose key is in @keys (NULL:
 * every peer but the honest one). */
static gint64
peers_sum (Run        *run,
           const char *member,
           GPtrArray  *keys)
{
  g_autoptr(JsonObject) status = status_object (run);
  JsonArray *peers = status ? json_object_get_array_member (status, "peers") : NULL;
  gint64 sum = 0;

  for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
    {
      JsonObject *peer = json_array_get_object_element (peers, i);
      const char *key = json_object_get_string_member_with_default (peer, "node", NULL);
      gboolean counted;

      if (keys != NULL)
        counted = key != NULL && g_ptr_array_find_with_equal_func (keys, key, g_str_equal, NULL);
      else
        counted = g_strcmp0 (key, run->honest_key) != 0;

      if (counted)
        sum += json_object_get_int_member_with_default (peer, member, 0);
    }
  return sum;
}

/* ---- half-sent requests, reopened as the node closes them ---- */

typedef struct
{
  guint    sockets;
  guint    addresses;
  guint    first_address;    /* 127.0.0.N */
  guint64  closed_fast, closed_at_deadline, closed_other;
  gint64   longest_us;
  guint    max_fds, max_not_ready, max_open;
} HalfSent;

#define REOPEN_MS    500
#define REOPEN_BATCH 64

static const char partial[] = "GET / HTTP/1.1\r\nHost: node\r\nUpgrade: websocket\r\n";

static int
half_sent (Run      *run,
           HalfSent *flood,
           guint     index)
{
  struct sockaddr_in from = { .sin_family = AF_INET }, to = { .sin_family = AF_INET };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  char ip[32];

  if (fd < 0)
    return -1;
  g_snprintf (ip, sizeof ip, "127.0.0.%u", flood->first_address + index % flood->addresses);
  inet_pton (AF_INET, ip, &from.sin_addr);
  inet_pton (AF_INET, "127.0.0.1", &to.sin_addr);
  to.sin_port = htons (run->victim->port);
  if (bind (fd, (struct sockaddr *) &from, sizeof from) != 0 ||
      connect (fd, (struct sockaddr *) &to, sizeof to) != 0 ||
      send (fd, partial, sizeof partial - 1, MSG_NOSIGNAL) < 0)
    {
      close (fd);
      return -1;
    }
  fcntl (fd, F_SETFL, O_NONBLOCK);
  run_sent (run, 1, sizeof partial - 1);
  return fd;
}

/* Notes how long a connection the node closed had lived. */
static void
note_closed (Run      *run,
             HalfSent *flood,
             gint64    lived)
{
  const char *answer;

  g_mutex_lock (&run->lock);
  if (lived < G_USEC_PER_SEC)
    {
      flood->closed_fast++;
      answer = "TCP within 1 s";
    }
  else if (lived >= (HL_SYNC_HANDSHAKE_TIMEOUT_S - 1) * G_USEC_PER_SEC)
    {
      flood->closed_at_deadline++;
      answer = "TCP at the deadline";
    }
  else
    {
      flood->closed_other++;
      answer = "TCP later";
    }
  flood->longest_us = MAX (flood->longest_us, lived);
  g_mutex_unlock (&run->lock);
  run_saw (run, answer, NULL);
}

/* Keeps flood->sockets half-sent requests open, opening a new one a moment
 * after the node closes one, until the run stops it. */
static gboolean
half_sent_unit (Run   *run,
                guint  index)
{
  HalfSent *flood = run->data;
  g_autofree int *fds = g_new (int, flood->sockets);
  g_autofree gint64 *since = g_new0 (gint64, flood->sockets);   /* opened; or when to reopen */
  g_autofree struct pollfd *polled = g_new0 (struct pollfd, flood->sockets);
  guint64 opened = 0;

  for (guint i = 0; i < flood->sockets; i++)
    fds[i] = -1;
  while (time_left (run))
    {
      gint64 now = now_us ();
      guint reopened = 0;

      for (guint i = 0; i < flood->sockets; i++)
        {
          /* A few at a time, so that closes are seen when they happen. */
          if (fds[i] < 0 && now >= since[i] && reopened++ < REOPEN_BATCH &&
              (fds[i] = half_sent (run, flood, i)) >= 0)
            {
              since[i] = now;
              if (++opened == flood->sockets)
                run_engaged (run);
            }
          polled[i] = (struct pollfd) { .fd = fds[i], .events = POLLIN };
        }
      if (poll (polled, flood->sockets, 50) <= 0)
        continue;
      now = now_us ();
      for (guint i = 0; i < flood->sockets; i++)
        {
          char buffer[512];

          if (fds[i] < 0 || !(polled[i].revents & (POLLIN | POLLHUP | POLLERR)) ||
              recv (fds[i], buffer, sizeof buffer, 0) > 0)
            continue;
          note_closed (run, flood, now - since[i]);
          close (fds[i]);
          fds[i] = -1;
          since[i] = now + REOPEN_MS * 1000;
        }
    }
  for (guint i = 0; i < flood->sockets; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  return FALSE;
}

static void
sample_connections (Run *run)
{
  HalfSent *flood = run->data;
  gint64 not_ready = run_status_int (run, "connections", "not_ready");
  gint64 open = run_status_int (run, "connections", "open");

  flood->max_fds = MAX (flood->max_fds, hl_test_open_fds (run->victim));
  flood->max_not_ready = MAX (flood->max_not_ready, (guint) MAX (not_ready, 0));
  flood->max_open = MAX (flood->max_open, (guint) MAX (open, 0));
}

static gboolean
saturated (Run     *run,
           gpointer data)
{
  gint64 max = run_status_int (run, "connections", "max_not_ready");

  return max > 0 && run_status_int (run, "connections", "not_ready") >= max;
}

static gboolean
some_expired (Run     *run,
              gpointer data)
{
  return run_status_int (run, "connections", "expired") > 0;
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
note_flood (Run      *run,
            HalfSent *flood)
{
  run_note (run, "the node closed %" G_GUINT64_FORMAT " within 1 s, %" G_GUINT64_FORMAT
            " at the %d s deadline, %" G_GUINT64_FORMAT " in between (the longest lived %.1f s)",
            flood->closed_fast, flood->closed_at_deadline, HL_SYNC_HANDSHAKE_TIMEOUT_S,
            flood->closed_other, flood->longest_us / 1e6);
  run_note (run, "the node held at most %u descriptors (limit %u), %u connections, %u not ready",
            flood->max_fds, run->victim->nofile, flood->max_open, flood->max_not_ready);
}

static gboolean
handshake_works (Run     *run,
                 gpointer data)
{
  g_autoptr(HlTestRaw) raw = raw_connect (run, NULL);
  g_autoptr(HlIdentity) me = hl_identity_new_random ();

  return raw != NULL && raw_try_upgrade (raw, NULL, NULL) == 101 && raw_try_handshake (raw, me);
}

void
attack_half_sent (Run *run)
{
  HalfSent flood = { .sockets = 1100, .addresses = 11, .first_address = 2 };

  if (!raise_own_fd_limit (flood.sockets + 256))
    {
      run->skipped = g_strdup ("skipped: this process may not open 1,100 sockets (raise its hard "
                               "RLIMIT_NOFILE)");
      return;
    }
  run->victim->nofile = 1024;
  run->data = &flood;
  run->sampler = sample_connections;
  run->unit_name = "half-sent requests";
  run_note (run, "1,100 kept open at once from 127.0.0.2-12, each reopened 0.5 s after the node "
            "closes it; the victim runs with RLIMIT_NOFILE 1024 (soft and hard)");
  run_start (run);
  run_attack (run, half_sent_unit, 1);
  if (!run_wait (run, saturated, NULL, 20))
    run_note (run, "the node's not-ready connections never reached their limit");
  run_join (run);
  /* Until the first ones have met their deadline. */
  if (!run_wait (run, some_expired, NULL, HL_SYNC_HANDSHAKE_TIMEOUT_S + 10))
    run_note (run, "no connection expired at the deadline");
  run_stop_attack (run);
  note_flood (run, &flood);
  run->sampler = NULL;
  if (run_wait (run, handshake_works, NULL, 10))
    run_note (run, "after the flood it took a new connection (a handshake with a new key)");
  else
    run_note (run, "it did NOT accept a new connection within 10 s of the flood's end");
  run_after (run);
  run->data = NULL;
}

/* ---- running out of descriptors ---- */

static gboolean
fds_below (Run     *run,
           gpointer limit)
{
  return hl_test_open_fds (run->victim) < GPOINTER_TO_UINT (limit);
}

void
attack_emfile (Run *run)
{
  HalfSent flood = { .sockets = 40, .addresses = 8, .first_address = 20 };
  guint baseline;
  gint64 stopped;

  /* What the node needs to run, measured; then a limit just above it and
   * the honest peer's connection, so that accepting runs out of
   * descriptors before any cap stops it. */
  hl_test_node_start (run->victim);
  baseline = hl_test_open_fds (run->victim);
  hl_test_node_stop (run->victim);
  run->victim->nofile = baseline + 5;
  run->join = JOIN_BEFORE;
  run->data = &flood;
  run->sampler = sample_connections;
  run->unit_name = "half-sent requests";
  run_note (run, "the victim runs with %u descriptors and RLIMIT_NOFILE %u; 40 half-sent requests "
            "from 127.0.0.20-27 kept open, reopened 0.5 s after each close; the honest peer is "
            "connected before", baseline, run->victim->nofile);
  run_start (run);
  run_attack (run, half_sent_unit, 1);
  if (!run_wait (run, run_log_has, (gpointer) "Out of file descriptors", 20))
    run_note (run, "the node never ran out of descriptors");
  run_join (run);
  /* And on, until connections it took have met their deadline. */
  if (!run_wait (run, some_expired, NULL, HL_SYNC_HANDSHAKE_TIMEOUT_S + 10))
    run_note (run, "no connection expired at the deadline");
  run_stop_attack (run);
  note_flood (run, &flood);
  run->sampler = NULL;
  /* The attackers went: the node must accept again. */
  stopped = now_us ();
  if (run_wait (run, fds_below, GUINT_TO_POINTER (run->victim->nofile - 1), 10) &&
      run_wait (run, handshake_works, NULL, 10))
    run_note (run, "it accepted a new connection %.1f s after the attackers went%s",
              (now_us () - stopped) / 1e6,
              run_log_has (run, (gpointer) "Accepting connections again")
                ? " (logged: Accepting connections again)" : "");
  else
    run_note (run, "it did NOT accept a new connection within 20 s of the attackers going");
  run_after (run);
  run->data = NULL;
}

/* ---- throwaway keys in every slot ---- */

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

/* hl-test-swarm making @count handshakes to @url from @local_ip (NULL:
 * any), inside @netns (NULL: here). */
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
  int fd = g_file_open_tmp ("hl-bench-swarm-XXXXXX.txt", &swarm->out_path, &error);

  if (fd < 0)
    g_error ("Cannot make the swarm's output file: %s", error->message);
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
  swarm->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                 &error);
  if (swarm->process == NULL)
    g_error ("Cannot start hl-test-swarm (HL_TEST_SWARM): %s", error->message);
  return swarm;
}

/* Its lines that begin with @what, and, unless @code is 0, end with it. */
static guint
swarm_count (Swarm      *swarm,
             const char *what,
             guint       code)
{
  g_autofree char *text = NULL;
  g_autofree char *suffix = g_strdup_printf (" %u", code);
  g_auto(GStrv) lines = NULL;
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
swarm_done (Run     *run,
            gpointer swarm)
{
  return swarm_count (swarm, "done", 0) > 0;
}

static gboolean
swarm_refused_one (Run     *run,
                   gpointer swarm)
{
  return swarm_count (swarm, "refused", 0) > 0;
}

static gboolean
swarm_exited (Run     *run,
              gpointer swarm)
{
  return g_subprocess_get_identifier (((Swarm *) swarm)->process) == NULL;
}

/* Counts what became of its connections, then ends it: once it is done
 * (hl-test-swarm only heeds SIGTERM then), else by force. */
static void
swarm_free (Run   *run,
            Swarm *swarm)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (run_wait (run, swarm_done, swarm, 30))
    g_subprocess_send_signal (swarm->process, SIGTERM);
  if (!run_wait (run, swarm_exited, swarm, 5))
    g_subprocess_force_exit (swarm->process);
  g_subprocess_wait (swarm->process, NULL, NULL);
  if (g_file_get_contents (swarm->out_path, &text, NULL, NULL))
    lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (lines[i], " ", -1);
      g_autofree char *answer = NULL;

      if (g_strcmp0 (words[0], "ready") == 0)
        run_saw (run, "ready", NULL);
      else if (g_strcmp0 (words[0], "refused") == 0 && words[1] != NULL && words[2] != NULL)
        answer = g_strdup (strcmp (words[2], "0") != 0 ? words[2] : "refused before a WebSocket");
      else if (g_strcmp0 (words[0], "closed") == 0 && words[1] != NULL && words[2] != NULL)
        answer = g_strdup_printf ("%s once ready", words[2]);
      if (answer != NULL)
        run_saw (run, answer, NULL);
      if (g_strcmp0 (words[0], "ready") == 0 || g_strcmp0 (words[0], "refused") == 0)
        run_sent (run, 1, 0);
    }
  g_object_unref (swarm->process);
  g_unlink (swarm->out_path);
  g_free (swarm->out_path);
  g_free (swarm);
}

static gboolean
connected_at_least (Run     *run,
                    gpointer n)
{
  return run_status_int (run, "totals", "connected") >= GPOINTER_TO_INT (n);
}

static gboolean
swarm_evicted (Run     *run,
               gpointer swarms)
{
  Swarm **s = swarms;

  return swarm_count (s[0], "closed", HL_SYNC_CLOSE_FULL) > 0 ||
         swarm_count (s[1], "closed", HL_SYNC_CLOSE_FULL) > 0;
}

/* A newcomer with a throwaway key: refused while the node is full? */
static void
newcomer (Run        *run,
          const char *url,
          const char *from)
{
  Swarm *one = swarm_start (NULL, url, 1, from);

  if (!run_wait (run, swarm_done, one, 30))
    run_note (run, "a newcomer from %s got no answer in 30 s", from);
  else if (swarm_count (one, "refused", HL_SYNC_CLOSE_FULL) == 1)
    run_note (run, "an unknown newcomer from %s was refused with 4008", from);
  else
    run_note (run, "an unknown newcomer from %s was NOT refused", from);
  swarm_free (run, one);
}

void
attack_slots (Run *run)
{
  g_autofree char *url = NULL;
  Swarm *swarms[2];
  gint64 bytes;

  run->join = JOIN_ADDED;
  run->unit_name = "handshakes";
  run->bytes_unknown = TRUE;
  run_start (run);
  url = g_strdup_printf ("ws://127.0.0.1:%u", run->victim->port);
  run_hold (run);
  /* 65 from one loopback address (it takes 64), 64 from another. */
  swarms[0] = swarm_start (NULL, url, 65, "127.0.0.2");
  swarms[1] = swarm_start (NULL, url, 64, "127.0.0.3");
  if (!run_wait (run, swarm_done, swarms[0], 90) || !run_wait (run, swarm_done, swarms[1], 90))
    run_note (run, "the swarms did not finish their handshakes in 90 s");
  if (run_wait (run, connected_at_least, GINT_TO_POINTER (128), 10))
    run_note (run, "128 throwaway keys held every slot after %.1f s",
              (now_us () - run->attack_started_us) / 1e6);
  newcomer (run, url, "127.0.0.4");
  /* The victim adds the honest peer: a known peer, which must get in. */
  run_join (run);
  if (run_wait (run, swarm_evicted, swarms, 10))
    run_note (run, "the newest unknown connection was closed (4008) to make room for it");
  newcomer (run, url, "127.0.0.5");
  bytes = peers_sum (run, "bytes_received", NULL);
  run_note (run, "the victim counted %" G_GINT64_FORMAT " bytes from the throwaway keys' ready "
            "connections", bytes);
  swarm_free (run, swarms[0]);
  swarm_free (run, swarms[1]);
  run_after (run);
}

/* ---- a stranger from another network, Tailscale absent ---- */

void
attack_admission (Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTestNet) net = hl_test_net_new (&error);
  Swarm *stranger;
  const char *ns_victim, *ns_friend, *ns_stranger;

  if (net == NULL)
    {
      run->skipped = g_strdup_printf ("skipped: needs root for network namespaces (%s)",
                                      error->message);
      return;
    }
  ns_victim = hl_test_net_add (net, "victim", "10.79.0.1/24");
  ns_friend = hl_test_net_add (net, "friend", "10.79.0.2/24");
  ns_stranger = hl_test_net_add (net, "stranger", "10.79.0.9/24");
  run->victim->netns = g_strdup (ns_victim);
  run->victim->listen = g_strdup ("0.0.0.0:9473");
  run->honest->netns = g_strdup (ns_friend);
  run->honest->listen = g_strdup ("none");
  g_ptr_array_add (run->honest->peers, g_strdup ("ws://10.79.0.1:9473"));
  /* The honest peer is one the victim's owner added, by address. */
  g_free (hl_test_node_ctl (run->victim, "peer", "add", "ws://10.79.0.2:9473", NULL));
  run->join = JOIN_DIALS;
  run->unit_name = "handshakes";
  run->bytes_unknown = TRUE;
  run_note (run, "the victim listens on 0.0.0.0:9473 in a namespace of its own, with Tailscale "
            "absent; 200 throwaway keys dial it one after the other from 10.79.0.9 (another "
            "namespace); the honest peer dials from 10.79.0.2, a manual peer's address");
  run_start (run);
  run_hold (run);
  stranger = swarm_start (ns_stranger, "ws://10.79.0.1:9473", 200, NULL);
  if (!run_wait (run, swarm_refused_one, stranger, 20))
    run_note (run, "the stranger was not refused within 20 s");
  run_join (run);
  swarm_free (run, stranger);
  run_after (run);
}

/* ---- peers that never read ---- */

#define READERS        8
#define SHARED_EVENTS  20000

typedef struct
{
  GPtrArray *keys;      /* char *: the readers' keys, hex */
} Readers;

static HlTestRaw *
reader_connect (Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) from = g_inet_address_new_from_string ("127.0.0.50");
  g_autoptr(GSocketAddress) bind_to = g_inet_socket_address_new (from, 0);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (loopback, run->victim->port);

  /* A small receive buffer, so that the kernel does not read for it. */
  if (socket == NULL || !g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, &error) ||
      !g_socket_bind (socket, bind_to, FALSE, &error))
    return NULL;
  g_socket_set_timeout (socket, 10);
  if (!g_socket_connect (socket, to, NULL, &error))
    return NULL;
  return hl_test_raw_new (g_steal_pointer (&socket));
}

/* Each reader handshakes, asks for everything (a RECON frame saying it has
 * nothing in [0, ∞)), and from then on only sends a ping now and then. */
static gboolean
slow_reader_unit (Run   *run,
                  guint  index)
{
  static const guint8 everything[] = { HL_SYNC_FRAME_RECON, HL_SYNC_RECON_INITIATOR, 0, 0, 2, 0 };
  Readers *readers = run->data;
  g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_test_raw_free);
  g_autoptr(GByteArray) ping = g_byte_array_new ();
  gint64 last_ping = now_us ();

  hl_test_put_frame (ping, 0x81, (const guint8 *) "{\"type\":\"ping\"}", 15, TRUE);
  for (guint i = 0; i < READERS; i++)
    {
      g_autoptr(HlIdentity) me = hl_identity_new_random ();
      HlTestRaw *raw = reader_connect (run);

      if (raw == NULL || raw_try_upgrade (raw, NULL, NULL) != 101 || !raw_try_handshake (raw, me))
        {
          run_saw (run, "refused", NULL);
          g_clear_pointer (&raw, hl_test_raw_free);
          continue;
        }
      hl_test_raw_frame (raw, 0x82, everything, sizeof everything);
      run_sent (run, 1, sizeof everything + 6);
      g_mutex_lock (&run->lock);
      g_ptr_array_add (readers->keys, hl_identity_dup_public_hex (me));
      g_mutex_unlock (&run->lock);
      g_ptr_array_add (raws, raw);
    }
  run_engaged (run);
  while (time_left (run))
    {
      if (now_us () - last_ping > 5 * G_USEC_PER_SEC)
        {
          for (guint i = 0; i < raws->len; i++)
            {
              HlTestRaw *raw = g_ptr_array_index (raws, i);
              gssize n = g_socket_send_with_blocking (raw->socket, (const char *) ping->data,
                                                      ping->len, FALSE, NULL, NULL);

              run_sent (run, 0, MAX (n, 0));
            }
          last_ping = now_us ();
        }
      g_usleep (100 * 1000);
    }
  return FALSE;
}

static gboolean
readers_hold_windows (Run     *run,
                      gpointer data)
{
  Readers *readers = data;
  gint64 sent;

  g_mutex_lock (&run->lock);
  sent = peers_sum (run, "bytes_sent", readers->keys);
  g_mutex_unlock (&run->lock);
  return sent >= (gint64) readers->keys->len * HL_SYNC_WINDOW;
}

void
attack_slow_reader (Run *run)
{
  Readers readers = { g_ptr_array_new_with_free_func (g_free) };
  const char *dirs[] = { run->victim->data_dir, run->honest->data_dir };
  gint64 sent;
  guint slow;

  /* A forum larger than the flow-control window, which both hold. */
  hl_test_fill (dirs, 2, SHARED_EVENTS, 13, 1700000000000 + 1000000);
  run->data = &readers;
  run->unit_name = "readers";
  run_note (run, "%d readers from 127.0.0.50 (receive buffer 4 KiB) each ask for all %d events "
            "(more bytes than the 4 MiB flow-control window), then never read; they ping every 5 s",
            READERS, SHARED_EVENTS);
  run_start (run);
  run_attack (run, slow_reader_unit, 1);
  if (!run_wait (run, readers_hold_windows, &readers, 20))
    run_note (run, "the readers did not each get a full window within 20 s");
  run_join (run);
  g_mutex_lock (&run->lock);
  sent = peers_sum (run, "bytes_sent", readers.keys);
  g_mutex_unlock (&run->lock);
  run_stop_attack (run);
  slow = run_log_has (run, (gpointer) "reads too slowly");
  for (guint i = 0; !slow && i < readers.keys->len; i++)
    run_saw (run, "kept open", NULL);
  run_note (run, "the victim sent the readers %.1f MiB in all (its status), %.1f MiB each; %s",
            sent / (double) MIB, sent / (double) MIB / MAX (readers.keys->len, 1),
            slow ? "it closed some as too slow (4007)" : "none was closed (the window holds them)");
  run_after (run);
  run->data = NULL;
  g_ptr_array_unref (readers.keys);
}
