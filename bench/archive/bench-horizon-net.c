/* bench-horizon-net: loading an archived month back onto a device that
 * dropped it below its horizon (issue 12), with real hyperlinkd processes
 * on loopback: one subnet's month of N events (default 10,000) on D devices
 * (default 6); one seals it, each keeps its share; one device keeps 1
 * month and drops it; then `hyperlinkctl archive load` fetches it from the
 * other D - 1 at once (goal: under 1 s for 10,000 events from 5 peers).
 * The time is the whole hyperlinkctl run (process and node start, waiting
 * for the first holder, fetch, decode, signature checks, ingest, close);
 * hyperlinkctl prints the parts, and this run's Ed25519 rate and RaptorQ
 * decode time are printed beside it as the machine's limit. Every device keeps symbols beyond its share
 * as a cache while its quota has room, and the spreading leaves most of a
 * month on each: the loader's quota (1 MiB until the load) keeps only its
 * share (a third of the month with 6 devices), so the load fetches the
 * other two thirds from its peers.
 *
 *   bench-horizon-net [--events N] [--devices D]
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "hl-bench-forum.h"
#include "hl-codec.h"
#include "hl-test-node.h"

#define DAY_MS G_GINT64_CONSTANT (86400000)

static gboolean
spread_done (HlTestNode *node,
             gpointer    user_data)
{
  g_autofree char *out = hl_test_node_ctl (node, "archive", "status", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *st;
  JsonArray *segments;

  if (!json_parser_load_from_data (parser, out, -1, NULL))
    return FALSE;
  st = json_node_get_object (json_parser_get_root (parser));
  segments = json_object_get_array_member (st, "segments");
  if (json_object_get_int_member (st, "holders") != GPOINTER_TO_INT (user_data) ||
      json_array_get_length (segments) != 1)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonObject *s = json_array_get_object_element (segments, i);

      if (json_object_get_int_member (s, "own_held") != json_object_get_int_member (s, "own_expected"))
        return FALSE;
    }
  return TRUE;
}

/* Every device knows every holder, so that the sealing places the symbols
 * over all of them: a share placed while fewer were known is larger. */
static gboolean
holders_known (HlTestNode *node,
               gpointer    user_data)
{
  g_autofree char *out = hl_test_node_ctl (node, "archive", "status", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  return json_parser_load_from_data (parser, out, -1, NULL) &&
         json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                     "holders") == GPOINTER_TO_INT (user_data);
}

/* What the loader holds before it loads, against what decoding needs. */
static gint64
print_holding (HlTestNode *node)
{
  g_autofree char *out = hl_test_node_ctl (node, "archive", "status", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *st;

  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  st = json_node_get_object (json_parser_get_root (parser));
  g_print ("  the loader holds %.2f MiB of symbols (its share %.2f MiB) of the %.2f MiB segment\n",
           json_object_get_int_member (st, "stored_bytes") / 1048576.0,
           json_object_get_int_member (st, "share_bytes") / 1048576.0,
           json_object_get_int_member (st, "total_size") / 1048576.0);
  return json_object_get_int_member (st, "total_size");
}

/* Seconds this machine's RaptorQ takes to decode a @size-byte block from
 * K + 2 symbols spread over 4 K ESIs, as holders' shares are, in a fresh
 * process (building the schedule of K' included: hyperlinkctl pays it). */
static double
decode_limit (gsize size)
{
  HlCodecOti oti = { size, 1024, 1, 1, 1 };
  guint32 k = hl_codec_oti_block_symbols (&oti, 0);
  gsize plen = HL_CODEC_PAYLOAD_ID_SIZE + oti.symbol_size;
  g_autofree guint8 *data = g_malloc (size);
  g_autofree guint8 *packets = g_malloc ((gsize) (k + 2) * plen);
  g_autoptr(GBytes) object = NULL;
  g_autoptr(HlCodecEncoder) enc = NULL;
  g_autoptr(HlCodecDecoder) dec = NULL;
  gint64 t0;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  object = g_bytes_new_take (g_steal_pointer (&data), size);
  enc = hl_codec_encoder_new (object, &oti, NULL);
  for (guint32 i = 0; i < k + 2; i++)
    hl_codec_encoder_packet (enc, 0, i * 4 + 1, packets + (gsize) i * plen, NULL);
  t0 = g_get_monotonic_time ();
  dec = hl_codec_decoder_new (&oti, NULL);
  for (guint32 i = 0; i < k + 2; i++)
    hl_codec_decoder_add_packet (dec, packets + (gsize) i * plen, plen, NULL);
  if (!hl_codec_decoder_decode (dec, NULL))
    return -1;
  return (g_get_monotonic_time () - t0) / 1e6;
}

static char *
archived_segment (HlTestNode *node)
{
  g_autofree char *list = hl_test_node_ctl (node, "subnet", "list", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) months = json_parser_new ();
  g_autofree char *json = NULL;
  const char *subnet;

  g_assert_true (json_parser_load_from_data (parser, list, -1, NULL));
  subnet = json_object_get_string_member (
    json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0), "id");
  json = hl_test_node_ctl (node, "thread", "list", "--archived", "--json", subnet, NULL);
  g_assert_true (json_parser_load_from_data (months, json, -1, NULL));
  return g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_node_get_array (json_parser_get_root (months)), 0),
    "segment"));
}

int
main (int    argc,
      char **argv)
{
  int n_events = 10000, n_devices = 6;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events in the month", "N" },
    { "devices", 0, 0, G_OPTION_ARG_INT, &n_devices, "Devices, the loader included", "D" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- loading an archived month");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_test_node_free);
  g_autofree const char **dirs = NULL;
  g_autofree char *segment = NULL, *out = NULL;
  HlTestNode *loader;
  gint64 t0, before, after, segment_size;
  double t_load;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  n_devices = CLAMP (n_devices, 2, 64);
  g_setenv ("HYPERLINK_ARCHIVE_INTERVAL_MS", "300", TRUE);
  g_setenv ("HYPERLINK_NO_TAILSCALE", "1", TRUE);
  g_print ("bench-horizon-net: a month of %d events on %d devices, on loopback (load %.2f)\n",
           n_events, n_devices, hl_bench_load_average ());
  dirs = g_new0 (const char *, n_devices);
  for (int i = 0; i < n_devices; i++)
    {
      g_autofree char *name = g_strdup_printf ("device%d", i);
      HlTestNode *node = hl_test_node_new (name);

      g_ptr_array_add (nodes, node);
      dirs[i] = node->data_dir;
    }
  hl_test_fill (dirs, (guint) n_devices, (guint) n_events, 1,
                (guint64) (g_get_real_time () / 1000 - 200 * DAY_MS));
  for (int i = 1; i < n_devices; i++)
    hl_test_node_add_peer (g_ptr_array_index (nodes, i), g_ptr_array_index (nodes, 0));
  /* Symbols beyond a device's share are kept as a cache while its quota
   * has room, and the spreading leaves most of a month on every device: the
   * loader's quota holds its share only, so that the load fetches the rest. */
  g_free (hl_test_node_ctl (g_ptr_array_index (nodes, n_devices - 1), "config", "set",
                            "archive-quota-mb", "1", NULL));
  for (int i = 0; i < n_devices; i++)
    hl_test_node_start (g_ptr_array_index (nodes, i));
  for (int i = 0; i < n_devices; i++)
    if (!hl_test_wait_in_sync (g_ptr_array_index (nodes, i), 1, 300))
      g_error ("the devices did not sync");
  for (int i = 0; i < n_devices; i++)
    if (!hl_test_wait_for (g_ptr_array_index (nodes, i), holders_known,
                           GINT_TO_POINTER (n_devices), 300))
      g_error ("the devices did not learn of each other as holders");
  g_printerr ("in sync; sealing\n");
  g_free (hl_test_node_ctl (g_ptr_array_index (nodes, 0), "archive", "seal", "--all", NULL));
  for (int i = 0; i < n_devices; i++)
    if (!hl_test_wait_for (g_ptr_array_index (nodes, i), spread_done, GINT_TO_POINTER (n_devices),
                           600))
      g_error ("the symbols did not spread");

  g_printerr ("spread; dropping and loading\n");
  loader = g_ptr_array_index (nodes, n_devices - 1);
  g_free (hl_test_node_ctl (loader, "config", "set", "keep", "1m", NULL));
  before = hl_test_node_count (loader);
  segment_size = print_holding (loader);
  segment = archived_segment (loader);
  hl_test_node_stop (loader);
  for (int i = 0; i < n_devices - 1; i++)
    g_free (hl_test_node_ctl (loader, "peer", "add",
                              ((HlTestNode *) g_ptr_array_index (nodes, i))->address, NULL));
  g_free (hl_test_node_ctl (loader, "config", "set", "archive-quota-mb", "4096", NULL));
  t0 = g_get_monotonic_time ();
  out = hl_test_node_ctl (loader, "archive", "load", segment, "--wait", "20", NULL);
  t_load = (g_get_monotonic_time () - t0) / 1e6;
  after = hl_test_node_count (loader);
  g_print ("%s", out);
  g_print ("  load one archived month (%" G_GINT64_FORMAT " events back) from %d peers: %.2f s "
           "(goal < 1 s), the whole hyperlinkctl run: start a process and a node, connect, "
           "fetch, decode, check every signature, ingest, close\n",
           after - before, n_devices - 1, t_load);
  for (int i = 0; i < n_devices - 1; i++)
    hl_test_node_stop (g_ptr_array_index (nodes, i));
  {
    double verify = hl_bench_verify_rate ();
    double decode = decode_limit ((gsize) segment_size);

    g_print ("  this machine's limits, this run: Ed25519 checks %.0f/s on %u cores, so %.2f s for "
             "%" G_GINT64_FORMAT " events; RaptorQ decoding of the %.2f MiB segment %.2f s "
             "(schedule included); so at best %.2f s without node start and fetch\n",
             verify, g_get_num_processors (), (double) (after - before) / verify,
             after - before, segment_size / 1048576.0, decode,
             (double) (after - before) / verify + decode);
  }
  return 0;
}
