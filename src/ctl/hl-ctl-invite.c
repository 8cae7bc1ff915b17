/* hl-ctl-invite.c: invite links.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include <unistd.h>

#include "hl-error.h"
#include "hl-invite.h"
#include "hl-node.h"
#include "hl-paths.h"
#include "hl-store-discovery.h"
#include "hl-sync-lock.h"
#include "hl-sync-wire.h"

#define DEFAULT_ACCEPT_TIMEOUT_S 30

/* ---- invite create ---- */

/* "30m", "12h", "7d", "2w", "90s" → milliseconds; 0 when it is none of those. */
static gint64
parse_duration (const char *text)
{
  static const struct { char unit; gint64 ms; } units[] = {
    { 's', 1000 }, { 'm', 60 * 1000 }, { 'h', 3600 * 1000 }, { 'd', 24 * 3600 * 1000 },
    { 'w', 7 * 24 * 3600 * (gint64) 1000 },
  };
  g_autofree char *number = NULL;
  gsize len = text ? strlen (text) : 0;
  guint64 value;

  if (len < 2)
    return 0;
  number = g_strndup (text, len - 1);
  if (!g_ascii_string_to_unsigned (number, 10, 1, 3650, &value, NULL))
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (text[len - 1] == units[i].unit)
      return (gint64) value * units[i].ms;
  return 0;
}

static JsonNode *
strv_to_json (GStrv values)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  json_node_take_array (node, array);
  return node;
}

int
hl_ctl_cmd_invite_create (HlCtl  *ctl,
                          int     argc,
                          char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) invite = NULL;
  g_autofree char *subnet = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *link = NULL;
  g_auto(GStrv) addresses = NULL;
  int uses = 1;
  HlInviteOptions options = { 0 };
  GOptionEntry entries[] = {
    { "subnet", 0, 0, G_OPTION_ARG_STRING, &subnet, "A subnet the friend opens first", "ID" },
    { "expires", 0, 0, G_OPTION_ARG_STRING, &expires, "How long it is valid (default 7d)", "30m|12h|7d" },
    { "uses", 0, 0, G_OPTION_ARG_INT, &uses, "How many friends may use it (default 1)", "N" },
    { "address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &addresses,
      "An address this node is reached at, as for “peer add” (repeatable; default: its "
      "Tailscale name and addresses)", "ADDRESS" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (expires != NULL && (options.lifetime_ms = parse_duration (expires)) == 0)
    return hl_ctl_usage_error (ctl, "--expires wants a duration such as 30m, 12h or 7d, not “%s”",
                               expires);
  if (uses < 1 || uses > HL_INVITE_MAX_USES)
    return hl_ctl_usage_error (ctl, "--uses wants a number from 1 to %d", HL_INVITE_MAX_USES);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      char *normal = hl_ctl_peer_address (addresses[i], &error);

      if (normal == NULL)
        return hl_ctl_usage_error (ctl, "--address: %s", error->message);
      g_free (addresses[i]);
      addresses[i] = normal;
    }
  options.subnet = subnet;
  options.uses = (guint) uses;
  options.addresses = (const char **) addresses;
  if (!(link = hl_invite_create (ctl->data_dir, &options, &invite, &error)))
    return hl_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "link", link);
      json_object_set_string_member (obj, "id", invite->id_hex);
      json_object_set_string_member (obj, "node", invite->node_hex);
      json_object_set_int_member (obj, "expires_ms", invite->expires_ms);
      json_object_set_int_member (obj, "uses", invite->uses);
      if (invite->subnet_hex != NULL)
        json_object_set_string_member (obj, "subnet", invite->subnet_hex);
      else
        json_object_set_null_member (obj, "subnet");
      json_object_set_member (obj, "addresses", strv_to_json (invite->addresses));
      json_object_set_member (obj, "bootstrap", strv_to_json (invite->bootstrap));
      json_node_take_object (root, obj);
      hl_ctl_print_json (root);
    }
  else
    {
      g_autofree char *when = hl_ctl_format_time (invite->expires_ms);

      g_print ("%s\n", link);
      g_printerr ("Send this link to your friend. It works for %u %s until %s and leads to:\n",
                  invite->uses, invite->uses == 1 ? "person" : "people", when);
      for (guint i = 0; invite->addresses[i] != NULL; i++)
        g_printerr ("  %s\n", invite->addresses[i]);
      for (guint i = 0; invite->bootstrap[i] != NULL; i++)
        g_printerr ("  %s (bootstrap node)\n", invite->bootstrap[i]);
      g_printerr ("They run “hyperlinkctl invite accept LINK” or open it with Hyperlink.\n");
    }
  return HL_CTL_EXIT_OK;
}

/* ---- invite accept ---- */

typedef struct
{
  GMainLoop  *loop;
  const char *data_dir;
  const char *id;
  gint64      deadline;
  char       *state;
  char       *reason;
  char       *subnet;
} Waiting;

static gboolean
poll_state (Waiting *w)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&w->state, g_free);
  g_clear_pointer (&w->reason, g_free);
  g_clear_pointer (&w->subnet, g_free);
  if (!hl_invite_get_state (w->data_dir, w->id, &w->state, &w->reason, &w->subnet, &error))
    w->reason = g_strdup (error->message);
  return g_strcmp0 (w->state, "pending") != 0 || g_get_monotonic_time () >= w->deadline;
}

/* Quits the loop once settled; the caller removes the source. */
static gboolean
poll_cb (gpointer user_data)
{
  Waiting *w = user_data;

  if (poll_state (w))
    g_main_loop_quit (w->loop);
  return G_SOURCE_CONTINUE;
}

/* The node's chatter is for hyperlinkd's log, not for this command. */
static GLogWriterOutput
quiet_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* No node runs on the data directory: run one here until the invite is
 * settled. It dials out only. */
static gboolean
redeem_here (HlCtl    *ctl,
             Waiting  *w,
             GError  **error)
{
  g_autoptr(HlNode) node = NULL;
  guint source;
  int lock_fd = hl_sync_lock_acquire (ctl->data_dir, error);

  if (lock_fd < 0)
    return FALSE;
  if (g_getenv ("HYPERLINK_VERBOSE") == NULL)
    g_log_set_writer_func (quiet_log, NULL, NULL);
  if (!(node = hl_node_new (ctl->data_dir, error)) || !hl_node_start (node, error))
    {
      close (lock_fd);
      return FALSE;
    }
  source = g_timeout_add (100, poll_cb, w);
  g_main_loop_run (w->loop);
  g_clear_handle_id (&source, g_source_remove);
  hl_node_stop (node);
  /* Let the close frames leave. */
  g_timeout_add_once (300, (GSourceOnceFunc) g_main_loop_quit, w->loop);
  g_main_loop_run (w->loop);
  g_clear_object (&node);
  close (lock_fd);
  return TRUE;
}

static int
print_accepted (HlCtl    *ctl,
                HlInvite *invite,
                Waiting  *w)
{
  g_autoptr(HlAcceptedInvite) row = NULL;
  HlStore *shared = hl_ctl_store (ctl, NULL);

  row = shared ? hl_store_invite_get_accepted (shared, invite->id_hex, NULL) : NULL;
  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "id", invite->id_hex);
      json_object_set_string_member (obj, "state", "redeemed");
      json_object_set_string_member (obj, "inviter", invite->node_hex);
      if (row && row->address)
        json_object_set_string_member (obj, "address", row->address);
      else
        json_object_set_null_member (obj, "address");
      if (w->subnet != NULL)
        json_object_set_string_member (obj, "subnet", w->subnet);
      else
        json_object_set_null_member (obj, "subnet");
      json_node_take_object (root, obj);
      hl_ctl_print_json (root);
      return HL_CTL_EXIT_OK;
    }
  g_print ("Joined: node %.16s… at %s is now a peer, and the forum syncs while hyperlinkd "
           "(or Hyperlink) runs.\n", invite->node_hex,
           row && row->address ? row->address : "its bootstrap node");
  if (w->subnet != NULL)
    g_print ("Your friend suggests opening subnet %s first (hyperlinkctl thread list %.12s).\n",
             w->subnet, w->subnet);
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_invite_accept (HlCtl  *ctl,
                          int     argc,
                          char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) invite = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  int timeout = DEFAULT_ACCEPT_TIMEOUT_S;
  gboolean ran_here = FALSE;
  Waiting w = { 0 };
  int rc;
  GOptionEntry entries[] = {
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Seconds to wait for the inviter (default 30)", "S" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (timeout < 1 || timeout > 3600)
    return hl_ctl_usage_error (ctl, "--timeout wants 1 to 3600 seconds");
  if (!(invite = hl_invite_accept (ctl->data_dir, argv[1], &error)))
    return hl_ctl_fail (ctl, error);

  w.loop = loop;
  w.data_dir = ctl->data_dir;
  w.id = invite->id_hex;
  w.deadline = g_get_monotonic_time () + (gint64) timeout * G_USEC_PER_SEC;
  if (hl_sync_lock_holder (ctl->data_dir) != 0)
    {
      /* The running node picks it up from the store. */
      guint source = g_timeout_add (100, poll_cb, &w);

      g_main_loop_run (loop);
      g_clear_handle_id (&source, g_source_remove);
    }
  else
    {
      ran_here = TRUE;
      if (!redeem_here (ctl, &w, &error))
        return hl_ctl_fail (ctl, error);
    }

  if (g_strcmp0 (w.state, "redeemed") == 0)
    rc = print_accepted (ctl, invite, &w);
  else if (g_strcmp0 (w.state, "refused") == 0)
    {
      g_set_error (&error, HL_INVITE_ERROR, HL_INVITE_ERROR_FAILED, "The invite was refused: %s",
                   w.reason ? w.reason : "no reason given");
      rc = hl_ctl_fail (ctl, error);
    }
  else
    {
      g_set_error (&error, HL_INVITE_ERROR, HL_INVITE_ERROR_UNREACHABLE,
                   "Could not reach the inviter's node %.16s… within %d s (%s). The invite stays "
                   "pending: %s", invite->node_hex, timeout,
                   w.reason ? w.reason : "no answer yet",
                   ran_here ? "start hyperlinkd (or Hyperlink) and it keeps trying"
                            : "the running hyperlinkd keeps trying");
      rc = hl_ctl_fail (ctl, error);
    }
  g_free (w.state);
  g_free (w.reason);
  g_free (w.subnet);
  return rc;
}

/* ---- invite list ---- */

static const char *
issued_state (const HlIssuedInvite *invite)
{
  if (g_strv_length (invite->redeemers) >= invite->uses)
    return "used up";
  if (hl_now_ms () > invite->expires_ms)
    return "expired";
  return "active";
}

static JsonNode *
issued_to_json (const HlIssuedInvite *invite)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "id", invite->id);
  json_object_set_string_member (obj, "state", issued_state (invite));
  json_object_set_int_member (obj, "created_ms", invite->created_ms);
  json_object_set_int_member (obj, "expires_ms", invite->expires_ms);
  json_object_set_int_member (obj, "uses", invite->uses);
  json_object_set_int_member (obj, "used", g_strv_length (invite->redeemers));
  if (invite->subnet)
    json_object_set_string_member (obj, "subnet", invite->subnet);
  else
    json_object_set_null_member (obj, "subnet");
  json_object_set_member (obj, "redeemers", strv_to_json (invite->redeemers));
  json_object_set_string_member (obj, "link", invite->link);
  json_node_take_object (node, obj);
  return node;
}

static JsonNode *
accepted_to_json (const HlAcceptedInvite *invite)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "id", invite->id);
  json_object_set_string_member (obj, "state", invite->state);
  json_object_set_string_member (obj, "inviter", invite->inviter);
  json_object_set_string_member (obj, "reason", invite->reason);
  json_object_set_string_member (obj, "subnet", invite->subnet);
  json_object_set_string_member (obj, "address", invite->address);
  json_object_set_int_member (obj, "updated_ms", invite->updated_ms);
  json_node_take_object (node, obj);
  return node;
}

int
hl_ctl_cmd_invite_list (HlCtl  *ctl,
                        int     argc,
                        char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) issued = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  HlStore *store;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)) ||
      !(issued = hl_store_invite_list_issued (store, &error)) ||
      !(accepted = hl_store_invite_list_accepted (store, NULL, &error)))
    return hl_ctl_fail (ctl, error);
  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *obj = json_object_new ();
      JsonArray *made = json_array_new (), *taken = json_array_new ();

      for (guint i = 0; i < issued->len; i++)
        json_array_add_element (made, issued_to_json (g_ptr_array_index (issued, i)));
      for (guint i = 0; i < accepted->len; i++)
        json_array_add_element (taken, accepted_to_json (g_ptr_array_index (accepted, i)));
      json_object_set_array_member (obj, "issued", made);
      json_object_set_array_member (obj, "accepted", taken);
      json_node_take_object (root, obj);
      hl_ctl_print_json (root);
      return HL_CTL_EXIT_OK;
    }
  if (issued->len == 0 && accepted->len == 0)
    g_print ("No invites yet. Make one with “hyperlinkctl invite create”.\n");
  for (guint i = 0; i < issued->len; i++)
    {
      HlIssuedInvite *invite = g_ptr_array_index (issued, i);
      g_autofree char *created = hl_ctl_format_time (invite->created_ms);
      g_autofree char *expires = hl_ctl_format_time (invite->expires_ms);

      g_print ("%.8s  %s  used %u of %u  made %s, expires %s%s%.12s\n", invite->id,
               issued_state (invite), g_strv_length (invite->redeemers), invite->uses, created,
               expires, invite->subnet ? "  subnet " : "", invite->subnet ? invite->subnet : "");
      for (guint r = 0; invite->redeemers[r] != NULL; r++)
        g_print ("    redeemed by node %.16s…\n", invite->redeemers[r]);
    }
  for (guint i = 0; i < accepted->len; i++)
    {
      HlAcceptedInvite *invite = g_ptr_array_index (accepted, i);

      g_print ("%.8s  accepted here, %s  from node %.16s…%s%s\n", invite->id, invite->state,
               invite->inviter, invite->reason ? ": " : "", invite->reason ? invite->reason : "");
    }
  return HL_CTL_EXIT_OK;
}
