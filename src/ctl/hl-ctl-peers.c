/* hl-ctl-peers.c: the peers and bootstrap nodes hyperlinkd dials, and what
 * it is doing.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include "hl-error.h"
#include "hl-json.h"
#include "hl-paths.h"
#include "hl-store-discovery.h"
#include "hl-store-sync.h"
#include "hl-sync-lock.h"
#include "hl-sync-wire.h"

/* `peer` and `bootstrap` edit two lists of addresses alike; this is what
 * tells them apart. */
typedef struct
{
  const char  *command;
  const char  *what;           /* the list, in "ADDRESS is not among the WHAT" */
  /* What is printed before the address: added, there already, removed. */
  const char  *added;
  const char  *already;
  const char  *removed;
  gboolean   (*add)    (HlStore *store, const char *address, gboolean *added, GError **error);
  gboolean   (*remove) (HlStore *store, const char *address, gboolean *removed, GError **error);
  GPtrArray *(*list)   (HlStore *store, GError **error);
} AddressList;

static const AddressList peer_list = {
  .command = "peer",
  .what = "peers",
  .added = "Added",
  .already = "Already a peer:",
  .removed = "Removed",
  .add = hl_store_sync_add_peer,
  .remove = hl_store_sync_remove_peer,
  .list = hl_store_sync_list_peers,
};

static const AddressList bootstrap_list = {
  .command = "bootstrap",
  .what = "bootstrap nodes",
  .added = "Added bootstrap node",
  .already = "Already a bootstrap node:",
  .removed = "Removed bootstrap node",
  .add = hl_store_bootstrap_add,
  .remove = hl_store_bootstrap_remove,
  .list = hl_store_bootstrap_list,
};

static int
address_add_remove (HlCtl             *ctl,
                    const AddressList *list,
                    gboolean           add,
                    int                argc,
                    char             **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  gboolean changed = FALSE;
  HlStore *store;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(address = hl_ctl_peer_address (argv[1], &error)))
    return hl_ctl_usage_error (ctl, "%s", error->message);
  if (!(store = hl_ctl_store (ctl, &error)))
    return hl_ctl_fail (ctl, error);
  if (add ? !list->add (store, address, &changed, &error)
          : !list->remove (store, address, &changed, &error))
    return hl_ctl_fail (ctl, error);
  if (!add && !changed)
    {
      g_set_error (&error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "%s is not among the %s (see “hyperlinkctl %s list”)", address, list->what,
                   list->command);
      return hl_ctl_fail (ctl, error);
    }

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "address", address);
      json_object_set_boolean_member (obj, add ? "added" : "removed", changed);
      json_node_take_object (root, obj);
      hl_ctl_print_json (root);
    }
  else
    g_print ("%s %s\n", !add ? list->removed : changed ? list->added : list->already, address);
  return HL_CTL_EXIT_OK;
}

static int
address_list (HlCtl             *ctl,
              const AddressList *list,
              int                argc,
              char             **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  HlStore *store;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)) || !(addresses = list->list (store, &error)))
    return hl_ctl_fail (ctl, error);
  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < addresses->len; i++)
        json_array_add_string_element (array, g_ptr_array_index (addresses, i));
      json_node_take_array (root, array);
      hl_ctl_print_json (root);
    }
  else
    for (guint i = 0; i < addresses->len; i++)
      g_print ("%s\n", (const char *) g_ptr_array_index (addresses, i));
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_peer_add (HlCtl *ctl, int argc, char **argv)
{
  return address_add_remove (ctl, &peer_list, TRUE, argc, argv);
}

int
hl_ctl_cmd_peer_remove (HlCtl *ctl, int argc, char **argv)
{
  return address_add_remove (ctl, &peer_list, FALSE, argc, argv);
}

int
hl_ctl_cmd_peer_list (HlCtl *ctl, int argc, char **argv)
{
  return address_list (ctl, &peer_list, argc, argv);
}

int
hl_ctl_cmd_bootstrap_add (HlCtl *ctl, int argc, char **argv)
{
  return address_add_remove (ctl, &bootstrap_list, TRUE, argc, argv);
}

int
hl_ctl_cmd_bootstrap_remove (HlCtl *ctl, int argc, char **argv)
{
  return address_add_remove (ctl, &bootstrap_list, FALSE, argc, argv);
}

int
hl_ctl_cmd_bootstrap_list (HlCtl *ctl, int argc, char **argv)
{
  return address_list (ctl, &bootstrap_list, argc, argv);
}

/* What the status says of @name, 0 when it says nothing. */
static gint64
member_int (JsonObject *obj,
            const char *name)
{
  gint64 value = 0;

  hl_json_get_int (obj, name, &value);
  return value;
}

/* "1 event (959 bytes)", "3 events (1.1 kB)" */
static char *
format_traffic (gint64 events,
                gint64 bytes)
{
  g_autofree char *size = g_format_size ((guint64) MAX (bytes, 0));

  return g_strdup_printf ("%" G_GINT64_FORMAT " %s (%s)", events, events == 1 ? "event" : "events",
                          size);
}

/* How the peer was found, and what the tailnet knows of it. */
static void
print_discovery (JsonObject *peer)
{
  const char *found = hl_json_get_string (peer, "found");
  const char *via = hl_json_get_string (peer, "via");
  const char *dns_name = hl_json_get_string (peer, "dns_name");
  const char *user = hl_json_get_string (peer, "tailnet_user");
  const char *machine = hl_json_get_string (peer, "machine");
  const char *path = hl_json_get_string (peer, "path");
  g_autoptr(GString) line = g_string_new (NULL);

  if (found != NULL && *found != '\0')
    g_string_append_printf (line, "found: %s", found);
  if (via != NULL)
    g_string_append_printf (line, " (via %.16s…)", via);
  if (dns_name != NULL)
    g_string_append_printf (line, "%s%s", line->len ? "  " : "", dns_name);
  else if (machine != NULL)
    g_string_append_printf (line, "%smachine %s", line->len ? "  " : "", machine);
  if (user != NULL)
    g_string_append_printf (line, "%suser %s", line->len ? "  " : "", user);
  if (path != NULL)
    g_string_append_printf (line, "%s%s path", line->len ? "  " : "", path);
  if (json_object_get_boolean_member_with_default (peer, "bootstrap", FALSE))
    g_string_append_printf (line, "%sbootstrap node", line->len ? "  " : "");
  if (line->len > 0)
    g_print ("    %s\n", line->str);
}

static void
print_peer (JsonObject *peer)
{
  const char *node = hl_json_get_string (peer, "node");
  const char *error = hl_json_get_string (peer, "error");
  gint64 seen = member_int (peer, "last_seen_ms");
  g_autofree char *seen_text = seen > 0 ? hl_ctl_format_time (seen) : g_strdup ("never");
  g_autofree char *out = format_traffic (member_int (peer, "events_sent"), member_int (peer, "bytes_sent"));
  g_autofree char *in = format_traffic (member_int (peer, "events_received"),
                                        member_int (peer, "bytes_received"));

  g_print ("%s  %s\n", hl_json_get_string (peer, "address"), hl_json_get_string (peer, "state"));
  g_print ("    node %.16s%s  %s  last seen %s\n", node ? node : "unknown", node ? "…" : "",
           hl_json_get_string (peer, "direction"), seen_text);
  g_print ("    sent %s, received %s\n", out, in);
  print_discovery (peer);
  if (error != NULL)
    g_print ("    last problem: %s\n", error);
}

/* What the node learnt from tailscaled: one sentence, then this machine's
 * tailnet name and addresses (what friends dial). */
/* "listen" is a list of HOST:PORT (a single string from older nodes). */
static void
print_listen (JsonObject *root)
{
  JsonNode *listen = json_object_get_member (root, "listen");
  JsonArray *reachable = json_object_has_member (root, "reachable") &&
                         JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "reachable"))
                           ? json_object_get_array_member (root, "reachable") : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (listen != NULL && JSON_NODE_HOLDS_ARRAY (listen))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (listen)); i++)
      {
        JsonNode *item = json_array_get_element (json_node_get_array (listen), i);

        if (json_node_get_value_type (item) == G_TYPE_STRING)
          g_string_append_printf (text, "%s%s", text->len ? ", " : "", json_node_get_string (item));
      }
  else if (hl_json_get_string (root, "listen") != NULL)
    g_string_append (text, hl_json_get_string (root, "listen"));
  if (text->len == 0)
    return;
  g_print ("Listening on %s\n", text->str);
  for (guint i = 0; reachable != NULL && i < json_array_get_length (reachable); i++)
    {
      JsonNode *item = json_array_get_element (reachable, i);

      if (json_node_get_value_type (item) == G_TYPE_STRING)
        g_print ("%s %s\n", i == 0 ? "Peers can add it as" : "                 or",
                 json_node_get_string (item));
    }
}

static void
print_tailscale (JsonObject *root,
                 gboolean    running)
{
  JsonObject *ts = json_object_get_object_member (root, "tailscale");
  JsonNode *self_node = ts ? json_object_get_member (ts, "self") : NULL;
  const char *message = ts ? hl_json_get_string (ts, "message") : NULL;
  const char *tag = ts ? hl_json_get_string (ts, "tag") : NULL;

  if (message == NULL)
    return;
  g_print ("Tailnet%s: %s\n", running ? "" : " (when the node last ran)", message);
  if (self_node != NULL && JSON_NODE_HOLDS_OBJECT (self_node))
    {
      JsonObject *me = json_node_get_object (self_node);
      JsonArray *ips = json_object_get_array_member (me, "ips");
      const char *name = hl_json_get_string (me, "dns_name");
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint i = 0; ips != NULL && i < json_array_get_length (ips); i++)
        g_string_append_printf (line, "%s%s", i ? ", " : "", json_array_get_string_element (ips, i));
      g_print ("    this machine: %s%s%s%s\n", name ? name : hl_json_get_string (me, "host_name"),
               line->len ? " (" : "", line->str, line->len ? ")" : "");
    }
  if (tag != NULL)
    g_print ("    only machines tagged %s are dialled\n", tag);
  if (hl_json_get_string (ts, "admission") != NULL)
    g_print ("    accepts connections from: %s\n", hl_json_get_string (ts, "admission"));
}

/* Who the node turned away lately, newest first, one line each and the
 * reason under it. */
static void
print_refused (JsonObject *root)
{
  JsonArray *refused = json_object_get_array_member (root, "refused");

  for (guint i = 0; refused != NULL && i < json_array_get_length (refused); i++)
    {
      JsonObject *r = json_array_get_object_element (refused, i);
      const char *node = hl_json_get_string (r, "node");
      gint64 count = member_int (r, "count");
      g_autofree char *when = hl_ctl_format_time (member_int (r, "last_ms"));

      if (i == 0)
        g_print ("\nRefused lately:\n");
      g_print ("%s%s%.16s%s  %" G_GINT64_FORMAT " %s, last %s\n", hl_json_get_string (r, "address"),
               node ? "  node " : "", node ? node : "", node ? "…" : "", count,
               count == 1 ? "time" : "times", when);
      g_print ("    %s\n", hl_json_get_string (r, "reason"));
    }
}

/* The running node writes DATA_DIR/sync-status.json; this only reads it and
 * asks the lock whether the node is still there. */
int
hl_ctl_cmd_status (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  gint64 pid;
  JsonObject *root, *totals;
  JsonArray *peers;
  int rc;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!hl_ctl_check_data (ctl, &error))
    return hl_ctl_fail (ctl, error);
  path = hl_sync_status_path (ctl->data_dir);
  pid = hl_sync_lock_holder (ctl->data_dir);
  rc = pid != 0 ? HL_CTL_EXIT_OK : HL_CTL_EXIT_NOT_RUNNING;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (ctl->json)
        {
          g_autoptr(JsonNode) out = json_node_new (JSON_NODE_OBJECT);
          JsonObject *obj = json_object_new ();

          json_object_set_boolean_member (obj, "running", pid != 0);
          json_object_set_array_member (obj, "peers", json_array_new ());
          json_node_take_object (out, obj);
          hl_ctl_print_json (out);
        }
      else if (pid != 0)
        g_print ("hyperlinkd runs on %s (process %" G_GINT64_FORMAT ") but has not written its "
                 "status yet; ask again in a second\n", ctl->data_dir, pid);
      else
        g_print ("hyperlinkd has not run on %s yet; start it with “hyperlinkd --data-dir %s”\n",
                 ctl->data_dir, ctl->data_dir);
      return rc;
    }
  if (!json_parser_load_from_file (parser, path, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      if (error == NULL)
        g_set_error (&error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED, "not a JSON object");
      g_prefix_error (&error, "Cannot read the node's status %s: ", path);
      return hl_ctl_fail (ctl, error);
    }
  root = json_node_get_object (json_parser_get_root (parser));
  /* A status left by a node that was killed says "running": the lock knows better. */
  json_object_set_boolean_member (root, "running", pid != 0);
  if (pid == 0)
    {
      peers = json_object_get_array_member (root, "peers");
      for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
        {
          JsonObject *peer = json_array_get_object_element (peers, i);
          json_object_set_boolean_member (peer, "connected", FALSE);
          json_object_set_string_member (peer, "state", "offline");
        }
    }
  if (ctl->json)
    {
      hl_ctl_print_json (json_parser_get_root (parser));
      return rc;
    }

  g_print ("Node %s: %s\n",
           hl_json_get_string (root, "node") ? hl_json_get_string (root, "node") : "?",
           pid != 0 ? "running" : "not running");
  if (pid != 0)
    print_listen (root);
  print_tailscale (root, pid != 0);
  g_print ("%" G_GINT64_FORMAT " events held\n", member_int (root, "events"));
  if (json_object_get_boolean_member_with_default (root, "bootstrap", FALSE))
    g_print ("Bootstrap node: %" G_GINT64_FORMAT " nodes in the registry\n",
             member_int (root, "registry"));
  totals = json_object_get_object_member (root, "totals");
  if (totals != NULL)
    {
      gint64 connected = member_int (totals, "connected");
      g_autofree char *out = format_traffic (member_int (totals, "events_sent"),
                                             member_int (totals, "bytes_sent"));
      g_autofree char *in = format_traffic (member_int (totals, "events_received"),
                                            member_int (totals, "bytes_received"));

      g_print ("Totals: %" G_GINT64_FORMAT " %s connected; sent %s, received %s\n",
               connected, connected == 1 ? "peer" : "peers", out, in);
    }
  peers = json_object_get_array_member (root, "peers");
  if (peers == NULL || json_array_get_length (peers) == 0)
    g_print ("\nNo peers. Add one with “hyperlinkctl peer add HOST[:PORT]” (port %d unless "
             "given).\n", HL_SYNC_DEFAULT_PORT);
  for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
    {
      g_print ("\n");
      print_peer (json_array_get_object_element (peers, i));
    }
  print_refused (root);
  return rc;
}
