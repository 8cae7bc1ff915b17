/* hl-test-node.c: real hyperlinkd processes on loopback for the sync tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-node.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hl-identity.h"
#include "hl-paths.h"
#include "hl-store.h"

#define POLL_MS 50

const char *
hl_test_hyperlinkd (void)
{
  const char *path = g_getenv ("HYPERLINKD");

  g_assert_nonnull (path);
  return path;
}

const char *
hl_test_hyperlinkctl (void)
{
  const char *path = g_getenv ("HYPERLINKCTL");

  g_assert_nonnull (path);
  return path;
}

/* A free port below Linux's ephemeral range (32768-60999): a port the
 * kernel picked for some outgoing connection would otherwise collide with a
 * node that has yet to start listening on it. */
guint16
hl_test_free_port (void)
{
  static GRand *rand = NULL;
  static GHashTable *given = NULL;   /* never hand out one port twice */

  if (rand == NULL)
    {
      rand = g_rand_new_with_seed ((guint32) (getpid () ^ g_get_monotonic_time ()));
      given = g_hash_table_new (NULL, NULL);
    }
  for (guint attempt = 0; attempt < 1000; attempt++)
    {
      guint16 port = (guint16) g_rand_int_range (rand, 20000, 32000);
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

      if (g_hash_table_contains (given, GUINT_TO_POINTER (port)))
        continue;
      if (socket != NULL && g_socket_bind (socket, address, FALSE, NULL))
        {
          g_hash_table_add (given, GUINT_TO_POINTER (port));
          return port;
        }
    }
  g_error ("No free loopback port between 20000 and 32000");
  return 0;
}

/* A test that fails mid-way must not leave nodes running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* Warnings in the node are part of its behaviour (offences are logged
   * that way), not test failures. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, HL_DATA_DIR_ENV);
  /* A tailscaled on the test machine must not hand the nodes real peers:
   * tests that want one point --tailscale-socket at a stand-in. */
  g_subprocess_launcher_setenv (launcher, "HYPERLINK_TAILSCALE_SOCKET",
                                "/nonexistent/hyperlink-tests/tailscaled.sock", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

static int
run_ctl_v (HlTestNode  *node,
           char       **out,
           char       **err,
           va_list      args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;

  g_ptr_array_add (argv, (char *) hl_test_hyperlinkctl ());
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, node->data_dir);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

int
hl_test_node_ctl_full (HlTestNode  *node,
                       char       **out,
                       char       **err,
                       ...)
{
  va_list args;
  int rc;

  va_start (args, err);
  rc = run_ctl_v (node, out, err, args);
  va_end (args);
  return rc;
}

char *
hl_test_node_ctl (HlTestNode *node,
                  ...)
{
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list args;
  int rc;

  va_start (args, node);
  rc = run_ctl_v (node, &out, &err, args);
  va_end (args);
  if (rc != 0)
    g_error ("hyperlinkctl failed on %s (%d): %s", node->name, rc, err);
  return out;
}

HlTestNode *
hl_test_node_new (const char *name)
{
  HlTestNode *node = g_new0 (HlTestNode, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("hl-sync-%s-XXXXXX", name);
  g_autofree char *out = NULL;

  node->name = g_strdup (name);
  node->data_dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  node->peers = g_ptr_array_new_with_free_func (g_free);
  node->args = g_ptr_array_new_with_free_func (g_free);
  node->port = hl_test_free_port ();
  node->address = g_strdup_printf ("ws://127.0.0.1:%u", node->port);
  out = hl_test_node_ctl (node, "init", "--name", name, NULL);
  return node;
}

HlTestNode *
hl_test_node_new_in (const char *name,
                     const char *netns,
                     const char *tailscale_socket)
{
  HlTestNode *node = hl_test_node_new (name);

  node->netns = g_strdup (netns);
  node->listen = g_strdup ("0.0.0.0:9473");
  if (tailscale_socket != NULL)
    {
      hl_test_node_add_arg (node, "--tailscale-socket");
      hl_test_node_add_arg (node, tailscale_socket);
    }
  return node;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);
      g_remove (child);
    }
  g_rmdir (path);
}

void
hl_test_node_free (HlTestNode *node)
{
  if (node == NULL)
    return;
  if (node->process != NULL)
    hl_test_node_kill (node);
  if (g_getenv ("HL_TEST_KEEP") == NULL)
    remove_tree (node->data_dir);
  else
    g_printerr ("# kept %s\n", node->data_dir);
  g_ptr_array_unref (node->peers);
  g_ptr_array_unref (node->args);
  g_free (node->netns);
  g_free (node->listen);
  g_free (node->name);
  g_free (node->data_dir);
  g_free (node->log_path);
  g_free (node->address);
  g_free (node);
}

void
hl_test_node_add_peer (HlTestNode *node,
                       HlTestNode *other)
{
  g_ptr_array_add (node->peers, g_strdup (other->address));
}

static JsonNode *
read_status_file (HlTestNode *node)
{
  g_autofree char *path = g_build_filename (node->data_dir, "sync-status.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

void
hl_test_node_start (HlTestNode *node)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid_text = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_null (node->process);
  if (node->nofile != 0)
    {
      /* prlimit execs the node in place, as ip netns exec does. */
      g_ptr_array_add (argv, g_strdup ("prlimit"));
      g_ptr_array_add (argv, g_strdup_printf ("--nofile=%u:%u", node->nofile, node->nofile));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  if (node->netns != NULL)
    {
      /* ip execs hyperlinkd in place: the process is the node. */
      g_ptr_array_add (argv, g_strdup ("ip"));
      g_ptr_array_add (argv, g_strdup ("netns"));
      g_ptr_array_add (argv, g_strdup ("exec"));
      g_ptr_array_add (argv, g_strdup (node->netns));
    }
  g_ptr_array_add (argv, g_strdup (hl_test_hyperlinkd ()));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (node->data_dir));
  if (g_strcmp0 (node->listen, "none") == 0)
    g_ptr_array_add (argv, g_strdup ("--no-listen"));
  else if (g_strcmp0 (node->listen, "default") == 0)
    ;
  else if (node->listen != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--listen=%s", node->listen));
  else
    g_ptr_array_add (argv, g_strdup_printf ("--listen=127.0.0.1:%u", node->port));
  for (guint i = 0; i < node->peers->len; i++)
    g_ptr_array_add (argv, g_strdup_printf ("--peer=%s", (char *) g_ptr_array_index (node->peers, i)));
  for (guint i = 0; i < node->args->len; i++)
    g_ptr_array_add (argv, g_strdup (g_ptr_array_index (node->args, i)));
  g_ptr_array_add (argv, NULL);

  /* Short intervals so that tests wait on conditions, not on timers. */
  g_subprocess_launcher_setenv (launcher, "HYPERLINK_SYNC_STATUS_MS", "100", TRUE);
  g_subprocess_launcher_setenv (launcher, "HYPERLINK_SYNC_MAX_BACKOFF_MS", "1000", TRUE);
  g_subprocess_launcher_setenv (launcher, "HYPERLINK_SYNC_RECON_MS", "3000", TRUE);
  /* A log per run, so a restart keeps the earlier one. */
  g_free (node->log_path);
  node->log_path = g_strdup_printf ("%s/hyperlinkd-%u.log", node->data_dir, ++node->runs);
  g_subprocess_launcher_set_stderr_file_path (launcher, node->log_path);
  node->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  pid_text = g_strdup (g_subprocess_get_identifier (node->process));

  /* Ready when the status file names this process as running. */
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonNode) status = read_status_file (node);

      if (status != NULL && JSON_NODE_HOLDS_OBJECT (status) &&
          json_object_get_int_member_with_default (json_node_get_object (status), "pid", 0) ==
            g_ascii_strtoll (pid_text, NULL, 10))
        return;
      if (g_subprocess_get_identifier (node->process) == NULL)
        break;   /* it exited */
      g_usleep (POLL_MS * 1000);
    }
  {
    g_autofree char *log = NULL;
    g_file_get_contents (node->log_path, &log, NULL, NULL);
    g_error ("hyperlinkd %s did not start:\n%s", node->name, log ? log : "(no log)");
  }
}

void
hl_test_node_stop (HlTestNode *node)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (node->process);
  g_subprocess_send_signal (node->process, SIGTERM);
  g_subprocess_wait (node->process, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (node->process) || g_subprocess_get_exit_status (node->process) != 0)
    {
      g_autofree char *log = NULL;
      g_file_get_contents (node->log_path, &log, NULL, NULL);
      g_error ("hyperlinkd %s did not stop cleanly:\n%s", node->name, log);
    }
  g_clear_object (&node->process);
}

void
hl_test_node_kill (HlTestNode *node)
{
  g_assert_nonnull (node->process);
  g_subprocess_force_exit (node->process);
  g_subprocess_wait (node->process, NULL, NULL);
  g_clear_object (&node->process);
}

char *
hl_test_node_state (HlTestNode *node)
{
  char *out = hl_test_node_ctl (node, "state", NULL);

  return g_strstrip (out);
}

gint64
hl_test_node_count (HlTestNode *node)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  g_autoptr(HlStore) store = hl_store_open (db, NULL);

  return store ? hl_store_count_events (store) : -1;
}

/* `status` exits 3 when no node runs, and still prints the last status. */
JsonNode *
hl_test_node_status (HlTestNode *node)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  int rc = hl_test_node_ctl_full (node, &out, &err, "status", "--json", NULL);

  if (rc != 0 && rc != 3)
    g_error ("hyperlinkctl status failed on %s (%d): %s", node->name, rc, err);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_boolean_member (root, "running"), ==, rc == 0);
  return json_node_copy (json_parser_get_root (parser));
}

char *
hl_test_node_post (HlTestNode *node,
                   const char *title)
{
  g_autofree char *subnet_path = g_build_filename (node->data_dir, "test-subnet", NULL);
  g_autofree char *subnet = NULL;
  char *id;

  if (!g_file_get_contents (subnet_path, &subnet, NULL, NULL))
    {
      g_autofree char *name = g_strdup_printf ("s-%s", node->name);

      subnet = g_strstrip (hl_test_node_ctl (node, "subnet", "create", name, NULL));
      g_file_set_contents (subnet_path, subnet, -1, NULL);
    }
  id = hl_test_node_ctl (node, "thread", "create", subnet, "--title", title, "--body",
                         "posted by a test", NULL);
  return g_strstrip (id);
}

gboolean
hl_test_node_has (HlTestNode *node,
                  const char *id)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  g_autoptr(HlStore) store = hl_store_open (db, NULL);
  guint8 raw[32];

  g_assert_true (hl_hex_decode (id, raw, sizeof raw));
  return store != NULL && hl_store_has_event (store, raw);
}

gboolean
hl_test_wait_has (HlTestNode *node,
                  const char *id,
                  guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (hl_test_node_has (node, id))
        return TRUE;
      g_usleep (POLL_MS * 1000);
    }
  return FALSE;
}

gboolean
hl_test_wait_converged (HlTestNode **nodes,
                        guint        n,
                        guint        timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *first = hl_test_node_state (nodes[0]);
      gboolean same = TRUE;

      for (guint i = 1; i < n && same; i++)
        {
          g_autofree char *other = hl_test_node_state (nodes[i]);
          same = g_strcmp0 (first, other) == 0;
        }
      if (same)
        return TRUE;
      g_usleep (4 * POLL_MS * 1000);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *state = hl_test_node_state (nodes[i]);
      g_printerr ("# %s: %s, %" G_GINT64_FORMAT " events\n", nodes[i]->name, state,
                  hl_test_node_count (nodes[i]));
    }
  return FALSE;
}

gboolean
hl_test_wait_in_sync (HlTestNode *node,
                      guint       n_peers,
                      guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonNode) status = hl_test_node_status (node);
      JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");
      guint in_sync = 0;

      for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
        {
          JsonObject *peer = json_array_get_object_element (peers, i);
          if (g_strcmp0 (json_object_get_string_member_with_default (peer, "state", ""), "in sync") == 0)
            in_sync++;
        }
      if (in_sync >= n_peers)
        return TRUE;
      g_usleep (2 * POLL_MS * 1000);
    }
  return FALSE;
}

void
hl_test_fill (const char **data_dirs,
              guint        n_dirs,
              guint        n,
              guint8       seed,
              guint64      start_ms)
{
  g_autoptr(GPtrArray) stores = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(HlIdentity) author = NULL;
  guint8 key_seed[32], subnet[32];
  guint done = 0;

  memset (key_seed, seed, sizeof key_seed);
  author = hl_identity_new_from_seed (key_seed);
  for (guint d = 0; d < n_dirs; d++)
    {
      g_autofree char *db = hl_paths_database (data_dirs[d]);
      g_autoptr(GError) error = NULL;
      HlStore *store = hl_store_open (db, &error);

      g_assert_no_error (error);
      g_ptr_array_add (stores, store);
    }
  while (done < n)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);

      for (; done < n && batch->len < 2000; done++)
        {
          HlTimestamp ts = { start_ms + done, 0 };
          g_autofree char *body = NULL;
          HlEvent *event;

          if (done == 0)
            {
              body = g_strdup_printf ("{\"name\":\"bench-%u\"}", seed);
              event = hl_event_new (HL_KIND_SUBNET_CREATE, hl_identity_get_public_key (author), &ts,
                                    NULL, body);
            }
          else
            {
              body = g_strdup_printf ("{\"title\":\"Thread %u of %u\",\"body\":\"Seed %u; some "
                                      "text to make the event the size of a short post.\"}",
                                      done, n, seed);
              event = hl_event_new (HL_KIND_THREAD_CREATE, hl_identity_get_public_key (author), &ts,
                                    subnet, body);
            }
          hl_event_sign (event, author);
          if (done == 0)
            memcpy (subnet, event->id, sizeof subnet);
          g_ptr_array_add (batch, event);
        }
      for (guint d = 0; d < stores->len; d++)
        {
          g_autoptr(GError) error = NULL;

          hl_store_apply_verified (g_ptr_array_index (stores, d), (HlEvent *const *) batch->pdata,
                                   batch->len, NULL, &error);
          g_assert_no_error (error);
        }
    }
}

void
hl_test_node_add_arg (HlTestNode *node,
                      const char *arg)
{
  g_ptr_array_add (node->args, g_strdup (arg));
}

gboolean
hl_test_wait_for (HlTestNode  *node,
                  gboolean   (*func) (HlTestNode *node,
                                      gpointer    user_data),
                  gpointer     user_data,
                  guint        timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (func (node, user_data))
        return TRUE;
      g_usleep (2 * POLL_MS * 1000);
    }
  return func (node, user_data);
}

gboolean
hl_test_node_log_has (HlTestNode *node,
                      const char *text)
{
  g_autofree char *log = NULL;

  return node->log_path != NULL && g_file_get_contents (node->log_path, &log, NULL, NULL) &&
         strstr (log, text) != NULL;
}

gboolean
hl_test_has_peer_found (HlTestNode *node,
                        gpointer    want)
{
  const HlTestWantPeer *w = want;
  g_autoptr(JsonNode) status = hl_test_node_status (node);
  JsonArray *peers = json_object_get_array_member (json_node_get_object (status), "peers");

  for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
    {
      JsonObject *peer = json_array_get_object_element (peers, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (peer, "node", ""), w->key) == 0 &&
          json_object_get_boolean_member_with_default (peer, "connected", FALSE) &&
          strstr (json_object_get_string_member_with_default (peer, "found", ""), w->found) &&
          (w->via == NULL ||
           g_strcmp0 (json_object_get_string_member_with_default (peer, "via", ""), w->via) == 0))
        return TRUE;
    }
  return FALSE;
}
