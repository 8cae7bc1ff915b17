/* bench-archive-net: the archive over the network (issue 11), with real
 * hyperlinkd processes.
 *
 * N events (default 100,000) in S subnets of one month each, on every one of
 * D devices (default 10) running on loopback; one seals everything, each
 * keeps its share. Then half of them stop, and a fresh device restores all
 * history from the others with `hyperlinkctl archive restore` (goal: the
 * same forum state, under 15 s), against a fresh device that gets it by the
 * reconciliation of the version before the archive (HYPERLINK_ARCHIVE=0)
 * from one full peer. With --netns (root, iproute2, tc), each device is in a
 * network namespace of its own with its upload shaped to 20 Mbit/s, and the
 * same two are timed over those links (goal: the restore from five holders
 * at least 4 times faster than reconciliation from one).
 *
 *   bench-archive-net [--events N] [--devices D] [--subnets S] [--netns]
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

#include "hl-bench-forum.h"
#include "hl-test-netns.h"
#include "hl-test-node.h"
#include "hl-types.h"

#define DAY_MS      G_GINT64_CONSTANT (86400000)
#define RATE        "20mbit"

static int  n_events = 100000;
static int  n_devices = 10;
static int  n_subnets = 20;
static gboolean use_netns = FALSE;

static double
now_s (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
spread_done (HlTestNode *node,
             gpointer    user_data)
{
  g_autofree char *out = hl_test_node_ctl (node, "archive", "status", "--json", NULL);
  g_autoptr(JsonObject) st = parse_object (out);
  JsonArray *segments = json_object_get_array_member (st, "segments");

  if (json_object_get_int_member (st, "holders") != n_devices ||
      json_array_get_length (segments) != (guint) n_subnets)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonObject *s = json_array_get_object_element (segments, i);

      if (json_object_get_int_member (s, "own_held") != json_object_get_int_member (s, "own_expected"))
        return FALSE;
    }
  return TRUE;
}

/* Runs `hyperlinkctl archive restore --json` (in @netns, if any); the last
 * progress line. */
static JsonObject *
run_restore (HlTestNode *node,
             const char *netns,
             double     *seconds)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  double t0 = now_s ();
  guint n;

  g_subprocess_launcher_setenv (launcher, "HYPERLINK_NO_TAILSCALE", "1", TRUE);
  if (netns != NULL)
    proc = g_subprocess_launcher_spawn (launcher, &error, "ip", "netns", "exec", netns,
                                        hl_test_hyperlinkctl (), "--data-dir", node->data_dir,
                                        "archive", "restore", "--json", "--wait", "20", NULL);
  else
    proc = g_subprocess_launcher_spawn (launcher, &error, hl_test_hyperlinkctl (), "--data-dir",
                                        node->data_dir, "archive", "restore", "--json", "--wait",
                                        "20", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  *seconds = now_s () - t0;
  if (g_subprocess_get_exit_status (proc) != 0)
    {
      g_printerr ("restore failed: %s\n", err);
      exit (1);
    }
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  n = g_strv_length (lines);
  return parse_object (lines[n - 1]);
}

static gboolean
same_state (HlTestNode *node,
            gpointer    user_data)
{
  g_autofree char *a = hl_test_node_state (node);
  g_autofree char *b = hl_test_node_state (user_data);

  return g_strcmp0 (a, b) == 0;
}

/* A device of the version before the archive, dialling one full peer: the
 * time until its forum state is the peer's. */
static double
reconcile_from_one (HlTestNode *fresh,
                    HlTestNode *full)
{
  double t0 = now_s ();

  g_setenv ("HYPERLINK_ARCHIVE", "0", TRUE);
  hl_test_node_start (fresh);
  g_unsetenv ("HYPERLINK_ARCHIVE");
  if (!hl_test_wait_for (fresh, same_state, full, 1800))
    {
      g_printerr ("reconciliation did not converge\n");
      exit (1);
    }
  return now_s () - t0;
}

static void
shape (const char *netns)
{
  g_autofree char *cmd = g_strdup_printf ("ip netns exec %s tc qdisc replace dev eth0 root tbf "
                                          "rate " RATE " burst 32kb latency 200ms", netns);
  int status = system (cmd);

  if (status != 0)
    {
      g_printerr ("cannot shape %s: %s\n", netns, cmd);
      exit (1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the archive over the network");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_test_node_free);
  g_autoptr(HlTestNet) net = NULL;
  g_autoptr(HlTestNode) fresh = NULL;
  g_autoptr(HlTestNode) old = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autofree const char **dirs = NULL;
  g_autofree char *restore_ns = NULL;
  guint64 start = (guint64) (hl_now_ms () - 800 * DAY_MS);
  double t, t_fill, t_seal, t_spread, t_restore, t_recon;
  int n_alive;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events in all (default 100000)", "N" },
    { "devices", 0, 0, G_OPTION_ARG_INT, &n_devices, "Devices (default 10)", "D" },
    { "subnets", 0, 0, G_OPTION_ARG_INT, &n_subnets, "Subnets, one month each (default 20)", "S" },
    { "netns", 0, 0, G_OPTION_ARG_NONE, &use_netns,
      "Namespaces with each device's upload shaped to " RATE " (root)", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_devices < 2 ||
      n_devices > 200 || n_subnets < 1 || n_events < 2 * n_subnets)
    {
      g_printerr ("%s\n", error ? error->message : "bad arguments");
      return 2;
    }
  g_setenv ("HYPERLINK_ARCHIVE_INTERVAL_MS", "1000", TRUE);
  g_setenv ("HYPERLINK_NO_TAILSCALE", "1", TRUE);
  if (use_netns && !(net = hl_test_net_new (&error)))
    {
      g_printerr ("no namespaces here: %s\n", error->message);
      return 77;
    }
  dirs = g_new0 (const char *, n_devices);
  for (int i = 0; i < n_devices; i++)
    {
      g_autofree char *name = g_strdup_printf ("dev%d", i);
      HlTestNode *node = hl_test_node_new (name);

      if (net != NULL)
        {
          g_autofree char *cidr = g_strdup_printf ("10.77.0.%d/24", i + 2);

          node->netns = g_strdup (hl_test_net_add (net, name, cidr));
          g_free (node->address);
          node->address = g_strdup_printf ("ws://10.77.0.%d:%u", i + 2, node->port);
          node->listen = g_strdup_printf ("10.77.0.%d:%u", i + 2, node->port);
          hl_test_node_add_arg (node, "--allow-any-network");
          shape (node->netns);
        }
      dirs[i] = node->data_dir;
      g_ptr_array_add (nodes, node);
    }
  t = now_s ();
  for (int s = 0; s < n_subnets; s++)
    hl_test_fill (dirs, n_devices, n_events / n_subnets, (guint8) (s + 1), start + s * 31 * DAY_MS);
  t_fill = now_s () - t;
  for (int i = 1; i < n_devices; i++)
    hl_test_node_add_peer (g_ptr_array_index (nodes, i), g_ptr_array_index (nodes, 0));
  for (int i = 0; i < n_devices; i++)
    hl_test_node_start (g_ptr_array_index (nodes, i));
  for (int i = 1; i < n_devices; i++)
    if (!hl_test_wait_in_sync (g_ptr_array_index (nodes, i), 1, 300))
      return 1;

  t = now_s ();
  g_free (hl_test_node_ctl (g_ptr_array_index (nodes, 0), "archive", "seal", "--all", NULL));
  t_seal = now_s () - t;
  t = now_s ();
  for (int i = 0; i < n_devices; i++)
    if (!hl_test_wait_for (g_ptr_array_index (nodes, i), spread_done, NULL, 1800))
      {
        g_printerr ("dev%d never held its share\n", i);
        return 1;
      }
  t_spread = now_s () - t;

  /* Half of the devices stop; a fresh one restores from the rest. */
  n_alive = n_devices - n_devices / 2;
  for (int i = n_alive; i < n_devices; i++)
    hl_test_node_stop (g_ptr_array_index (nodes, i));
  fresh = hl_test_node_new ("fresh");
  if (net != NULL)
    {
      restore_ns = g_strdup (hl_test_net_add (net, "fresh", "10.77.0.200/24"));
      fresh->netns = g_strdup (restore_ns);
    }
  for (int i = 0; i < n_alive; i++)
    g_free (hl_test_node_ctl (fresh, "peer", "add",
                              ((HlTestNode *) g_ptr_array_index (nodes, i))->address, NULL));
  last = run_restore (fresh, restore_ns, &t_restore);
  if (!same_state (fresh, g_ptr_array_index (nodes, 0)))
    {
      g_printerr ("the restored forum differs\n");
      return 1;
    }

  old = hl_test_node_new ("old");
  if (net != NULL)
    {
      old->netns = g_strdup (hl_test_net_add (net, "old", "10.77.0.201/24"));
      old->listen = g_strdup ("none");
    }
  hl_test_node_add_peer (old, g_ptr_array_index (nodes, 0));
  t_recon = reconcile_from_one (old, g_ptr_array_index (nodes, 0));

  g_print ("bench-archive-net: %d events in %d subnets (one month each), %d devices%s; load %.1f, "
           "%u cores\n", n_events, n_subnets, n_devices,
           net ? ", each in a namespace with its upload shaped to " RATE : " on loopback",
           hl_bench_load_average (), g_get_num_processors ());
  g_print ("  setup: fill %.1f s, seal on one device %.1f s, every device keeps its share %.1f s\n",
           t_fill, t_seal, t_spread);
  g_print ("  restore on a fresh device from %d of %d holders: %.2f s (goal < 15 s), identical "
           "forum state; %" G_GINT64_FORMAT " segments, %" G_GINT64_FORMAT " events, %.1f MiB of "
           "symbols\n", n_alive, n_devices, t_restore,
           json_object_get_int_member (last, "segments_done"),
           json_object_get_int_member (last, "events"),
           (double) json_object_get_int_member (last, "bytes") / (1024.0 * 1024.0));
  g_print ("  the restore's time: %" G_GINT64_FORMAT " ms starting a node, %" G_GINT64_FORMAT
           " waiting for holders, %" G_GINT64_FORMAT " fetching, %" G_GINT64_FORMAT " decoding, %"
           G_GINT64_FORMAT " checking signatures, %" G_GINT64_FORMAT " ingesting (the last four "
           "overlap)\n", json_object_get_int_member (last, "start_ms"),
           json_object_get_int_member (last, "wait_ms"), json_object_get_int_member (last, "fetch_ms"),
           json_object_get_int_member (last, "decode_ms"),
           json_object_get_int_member (last, "verify_ms"),
           json_object_get_int_member (last, "apply_ms"));
  g_print ("  symbols received / K: %.4f (%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT ")\n",
           (double) json_object_get_int_member (last, "symbols_received") /
           (double) MAX (json_object_get_int_member (last, "source_symbols"), 1),
           json_object_get_int_member (last, "symbols_received"),
           json_object_get_int_member (last, "source_symbols"));
  g_print ("  reconciliation (the version before the archive) from one full peer: %.2f s; "
           "restore is %.1fx faster (goal >= 4x over shaped links)\n", t_recon,
           t_recon / t_restore);
  return 0;
}
