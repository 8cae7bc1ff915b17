/* hl-tui-peers.c: peers, bootstrap nodes and invites, on a screen of their
 * own (p).
 *
 * What the node says of its connections comes from the status document
 * (ours, or the hyperlinkd that syncs the data directory); the lists of
 * addresses to dial are the store's sync_peers and sync_bootstrap, the same
 * as `hyperlinkctl peer|bootstrap` and the window's Preferences edit, which
 * every node rereads each second. Invites go through hl-invite.h as in the
 * window: accepting only checks and stores the link, and the node of the
 * data directory, whoever runs it, dials the inviter and redeems it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

#include "hl-invite.h"
#include "hl-json.h"
#include "hl-store-discovery.h"
#include "hl-store-sync.h"
#include "hl-sync-wire.h"

#define POLL_MS     250
#define DEADLINE_S  60

static void
peer_line_free (HlTuiPeerLine *line)
{
  g_free (line->kind);
  g_free (line->address);
  g_free (line->text);
  g_free (line);
}

static void G_GNUC_PRINTF (5, 6)
add_line (HlTui      *self,
          HlTuiStyle  style,
          const char *kind,
          const char *address,
          const char *format,
          ...)
{
  HlTuiPeerLine *line = g_new0 (HlTuiPeerLine, 1);
  va_list args;

  va_start (args, format);
  line->text = g_strdup_vprintf (format, args);
  va_end (args);
  line->style = style;
  line->kind = g_strdup (kind);
  line->address = g_strdup (address);
  g_ptr_array_add (self->peer_lines, line);
}

/* ---- what is said of each peer ---- */

static const char *
describe_found (const char *name)
{
  static const struct { const char *name; const char *text; } ways[] = {
    { "manual", "added by hand" },
    { "tailnet", "on your tailnet" },
    { "bootstrap", "from a bootstrap node" },
    { "exchange", "passed on by another peer" },
    { "invite", "from an invite" },
    { "inbound", "it connected to this computer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
    if (g_str_equal (name, ways[i].name))
      return ways[i].text;
  return name;
}

static char *
describe_state (HlTui      *self,
                JsonObject *peer)
{
  const char *state = hl_json_get_string (peer, "state");
  gint64 seen = 0;
  g_autofree char *when = NULL;

  if (json_object_get_boolean_member_with_default (peer, "connected", FALSE))
    return g_strdup (g_strcmp0 (state, "in sync") == 0 ? "connected, in sync"
                                                       : "connected, syncing");
  if (g_strcmp0 (state, "connecting") == 0)
    return g_strdup ("connecting…");
  if (g_strcmp0 (state, "self") == 0)
    return g_strdup ("this computer itself");
  hl_json_get_int (peer, "last_seen_ms", &seen);
  if (seen <= 0)
    return g_strdup ("not connected, never seen");
  when = hl_tui_format_time (seen, g_get_real_time () / 1000);
  return g_strdup_printf ("not connected, last seen %s", when);
}

static void
add_peer (HlTui      *self,
          JsonObject *peer)
{
  const char *address = hl_json_get_string (peer, "address");
  const char *node = hl_json_get_string (peer, "node");
  const char *error = hl_json_get_string (peer, "error");
  const char *found_text = hl_json_get_string (peer, "found");
  g_auto(GStrv) found = g_strsplit (found_text != NULL ? found_text : "", ",", -1);
  g_autoptr(GString) how = g_string_new (NULL);
  g_autofree char *state = describe_state (self, peer);
  gint64 events_sent = 0, events_received = 0, bytes_sent = 0, bytes_received = 0;
  g_autofree char *sent = NULL, *received = NULL;

  for (guint i = 0; found[i] != NULL; i++)
    if (*found[i] != '\0')
      g_string_append_printf (how, "%s%s", how->len ? ", " : "", describe_found (found[i]));
  hl_json_get_int (peer, "events_sent", &events_sent);
  hl_json_get_int (peer, "events_received", &events_received);
  hl_json_get_int (peer, "bytes_sent", &bytes_sent);
  hl_json_get_int (peer, "bytes_received", &bytes_received);
  sent = g_format_size ((guint64) MAX (bytes_sent, 0));
  received = g_format_size ((guint64) MAX (bytes_received, 0));

  add_line (self, HL_TUI_STYLE_NORMAL, NULL, NULL, "  %s  %s", address ? address : "?", state);
  add_line (self, HL_TUI_STYLE_DIM, NULL, NULL, "      node %.16s%s · %s · sent %" G_GINT64_FORMAT
            " events (%s), received %" G_GINT64_FORMAT " events (%s)", node ? node : "unknown",
            node ? "…" : "", how->len ? how->str : "found: unknown", events_sent, sent,
            events_received, received);
  if (error != NULL)
    add_line (self, HL_TUI_STYLE_ERROR, NULL, NULL, "      last problem: %s", error);
}

static void
add_addresses (HlTui      *self,
               const char *kind,
               GPtrArray  *addresses,
               const char *none)
{
  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    add_line (self, HL_TUI_STYLE_NORMAL, kind, g_ptr_array_index (addresses, i), "  %s",
              (const char *) g_ptr_array_index (addresses, i));
  if (addresses == NULL || addresses->len == 0)
    add_line (self, HL_TUI_STYLE_DIM, NULL, NULL, "  %s", none);
}

static void
add_invites (HlTui *self)
{
  g_autoptr(GPtrArray) accepted = hl_store_invite_list_accepted (self->store, NULL, NULL);

  if (self->invite_made != NULL)
    {
      int width = MAX (20, self->cols - 6);
      gsize len = strlen (self->invite_made);

      add_line (self, HL_TUI_STYLE_OK, NULL, NULL, "  Your new invite link (7 days, one use; "
                "also in %s/last-invite.txt):", self->data_dir);
      /* A link is ASCII: cut it in pieces of the screen's width. */
      for (gsize at = 0; at < len; at += (gsize) width)
        add_line (self, HL_TUI_STYLE_NORMAL, NULL, NULL, "    %.*s", width,
                  self->invite_made + at);
      add_line (self, HL_TUI_STYLE_DIM, NULL, NULL, "  Your friend opens it with Hyperlink, or "
                "presses i here and pastes it.");
    }
  for (guint i = 0; accepted != NULL && i < accepted->len; i++)
    {
      const HlAcceptedInvite *invite = g_ptr_array_index (accepted, i);

      add_line (self, g_strcmp0 (invite->state, "refused") == 0 ? HL_TUI_STYLE_ERROR
                                                                 : HL_TUI_STYLE_NORMAL,
                NULL, NULL, "  from node %.16s…: %s%s%s", invite->inviter ? invite->inviter : "?",
                invite->state, invite->reason ? " · " : "", invite->reason ? invite->reason : "");
    }
  if ((accepted == NULL || accepted->len == 0) && self->invite_made == NULL)
    add_line (self, HL_TUI_STYLE_DIM, NULL, NULL, "  None accepted here yet.");
}

void
hl_tui_peers_refresh (HlTui *self)
{
  g_autofree char *summary = hl_tui_sync_dup_summary (self);
  g_autofree char *details = hl_tui_sync_dup_details (self);
  g_autoptr(GPtrArray) peers = hl_store_sync_list_peers (self->store, NULL);
  g_autoptr(GPtrArray) bootstrap = hl_store_bootstrap_list (self->store, NULL);
  g_autoptr(HlProfileRow) profile = hl_store_get_profile (self->store, self->key, NULL);
  const char *tailscale = hl_tui_sync_get_tailscale (self);
  JsonArray *connections = hl_tui_sync_get_peers (self);
  guint n = connections != NULL ? json_array_get_length (connections) : 0;

  g_clear_pointer (&self->peer_lines, g_ptr_array_unref);
  self->peer_lines = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_line_free);
  add_line (self, HL_TUI_STYLE_TITLE, NULL, NULL, "Sync: %s", summary);
  add_line (self, HL_TUI_STYLE_NORMAL, NULL, NULL, "  %s", details);
  if (tailscale != NULL)
    add_line (self, HL_TUI_STYLE_NORMAL, NULL, NULL, "  %s", tailscale);
  add_line (self, HL_TUI_STYLE_DIM, NULL, NULL, "  This node: %.16s…%s%s%s", self->key_hex,
            profile != NULL ? ", known as “" : "", profile != NULL ? profile->name : "",
            profile != NULL ? "”" : " (P sets your display name)");
  add_line (self, HL_TUI_STYLE_NORMAL, NULL, NULL, "%s", "");
  add_line (self, HL_TUI_STYLE_TITLE, NULL, NULL, "Connections");
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (connections, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        add_peer (self, json_node_get_object (node));
    }
  if (n == 0)
    add_line (self, HL_TUI_STYLE_DIM, NULL, NULL, "  No peer connected or known yet.");
  add_line (self, HL_TUI_STYLE_NORMAL, NULL, NULL, "%s", "");
  add_line (self, HL_TUI_STYLE_TITLE, NULL, NULL, "Peers to dial (a adds one, x removes it)");
  add_addresses (self, "peer", peers, "None: a adds one, as ws://HOST:9473.");
  add_line (self, HL_TUI_STYLE_NORMAL, NULL, NULL, "%s", "");
  add_line (self, HL_TUI_STYLE_TITLE, NULL, NULL, "Bootstrap nodes (b adds one, x removes it)");
  add_addresses (self, "bootstrap", bootstrap, "None: b adds one.");
  add_line (self, HL_TUI_STYLE_NORMAL, NULL, NULL, "%s", "");
  add_line (self, HL_TUI_STYLE_TITLE, NULL, NULL, "Invites (i accepts a link, c makes one)");
  add_invites (self);
}

/* ---- drawing ---- */

static guint
count_selectable (HlTui *self)
{
  guint n = 0;

  for (guint i = 0; self->peer_lines != NULL && i < self->peer_lines->len; i++)
    n += ((HlTuiPeerLine *) g_ptr_array_index (self->peer_lines, i))->kind != NULL;
  return n;
}

static HlTuiPeerLine *
selected_line (HlTui *self,
               guint *index)
{
  guint n = 0;

  for (guint i = 0; self->peer_lines != NULL && i < self->peer_lines->len; i++)
    {
      HlTuiPeerLine *line = g_ptr_array_index (self->peer_lines, i);

      if (line->kind != NULL && n++ == self->peer_sel)
        {
          *index = i;
          return line;
        }
    }
  return NULL;
}

void
hl_tui_draw_peers (HlTui *self)
{
  int height = MAX (1, self->rows - 2);
  guint sel_index = G_MAXUINT;
  guint selectable;

  hl_tui_peers_refresh (self);
  selectable = count_selectable (self);
  if (self->peer_sel >= selectable)
    self->peer_sel = selectable > 0 ? selectable - 1 : 0;
  selected_line (self, &sel_index);
  if (sel_index != G_MAXUINT)
    {
      if (sel_index < self->peer_top)
        self->peer_top = sel_index;
      else if (sel_index >= self->peer_top + (guint) height)
        self->peer_top = sel_index - (guint) height + 1;
    }
  if (self->peer_top + (guint) height > self->peer_lines->len)
    self->peer_top = self->peer_lines->len > (guint) height ? self->peer_lines->len - height : 0;

  hl_tui_fill (self, 0, 0, self->cols, HL_TUI_STYLE_BAR_FOCUS);
  hl_tui_draw_text (self, 0, 1, self->cols - 2, "Peers and invites", HL_TUI_STYLE_BAR_FOCUS);
  hl_tui_draw_text_right (self, 0, 0, self->cols - 1, "q goes back · ? help",
                          HL_TUI_STYLE_BAR_FOCUS);
  for (int row = 0; row < height && self->peer_top + row < self->peer_lines->len; row++)
    {
      guint index = self->peer_top + row;
      HlTuiPeerLine *line = g_ptr_array_index (self->peer_lines, index);
      HlTuiStyle style = index == sel_index ? HL_TUI_STYLE_SELECTED : line->style;

      if (index == sel_index)
        hl_tui_fill (self, 1 + row, 0, self->cols, style);
      hl_tui_draw_text (self, 1 + row, 1, self->cols - 2, line->text, style);
    }
}

/* ---- adding and removing addresses ---- */

static void
on_address_cb (HlTui      *self,
               const char *answer,
               gpointer    data)
{
  const char *kind = data;
  gboolean peer = g_str_equal (kind, "peer");
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = answer != NULL ? g_strstrip (g_strdup (answer)) : NULL;
  g_autofree char *address = NULL;
  gboolean added = FALSE;

  if (typed == NULL || *typed == '\0')
    return;
  if (!(address = hl_sync_normalize_address (typed, &error)) ||
      !(peer ? hl_store_sync_add_peer (self->store, address, &added, &error)
             : hl_store_bootstrap_add (self->store, address, &added, &error)))
    {
      hl_tui_show_message (self, TRUE, "Not added: %s", error->message);
      return;
    }
  if (!added)
    hl_tui_show_message (self, FALSE, "%s is already among the %s", address,
                         peer ? "peers" : "bootstrap nodes");
  else
    hl_tui_show_message (self, FALSE, "Added %s; the node %s within a second", address,
                         peer ? "dials it" : "announces itself to it");
}

typedef struct
{
  char *kind;
  char *address;
} Removal;

static void
removal_free (Removal *removal)
{
  g_free (removal->kind);
  g_free (removal->address);
  g_free (removal);
}

static void
on_remove_cb (HlTui      *self,
              const char *answer,
              gpointer    data)
{
  Removal *removal = data;
  g_autoptr(GError) error = NULL;
  gboolean removed = FALSE;

  if (answer == NULL)
    return;
  if (!(g_str_equal (removal->kind, "peer")
        ? hl_store_sync_remove_peer (self->store, removal->address, &removed, &error)
        : hl_store_bootstrap_remove (self->store, removal->address, &removed, &error)))
    hl_tui_show_message (self, TRUE, "Not removed: %s", error->message);
  else
    hl_tui_show_message (self, FALSE, "Removed %s", removal->address);
}

static void
ask_remove (HlTui *self)
{
  guint index;
  HlTuiPeerLine *line = selected_line (self, &index);
  Removal *removal;
  g_autofree char *question = NULL;

  if (line == NULL)
    {
      hl_tui_show_message (self, TRUE, "Select a peer or a bootstrap node to remove it");
      return;
    }
  removal = g_new0 (Removal, 1);
  removal->kind = g_strdup (line->kind);
  removal->address = g_strdup (line->address);
  question = g_strdup_printf ("Remove %s from the %s? (y/N) ", line->address,
                              g_str_equal (line->kind, "peer") ? "peers" : "bootstrap nodes");
  hl_tui_ask (self, question, NULL, 0, on_remove_cb, removal, (GDestroyNotify) removal_free);
}

/* ---- invites ---- */

static void
stop_watching (HlTui *self)
{
  g_clear_handle_id (&self->invite_source, g_source_remove);
  g_clear_pointer (&self->invite_id, g_free);
  g_clear_pointer (&self->invite_node, g_free);
}

static gboolean
poll_invite_cb (gpointer user_data)
{
  HlTui *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlAcceptedInvite) row = hl_store_invite_get_accepted (self->store, self->invite_id,
                                                                  &error);
  guint8 subnet[HL_ID_LEN];

  if (row != NULL && g_strcmp0 (row->state, "redeemed") == 0)
    {
      hl_tui_show_message (self, FALSE, "Joined: node %.16s… at %s is now a peer, and its forum "
                           "syncs here", self->invite_node,
                           row->address ? row->address : "its bootstrap node");
      /* The subnet the inviter suggests opens as soon as it is here. */
      if (row->subnet != NULL && hl_hex_decode (row->subnet, subnet, HL_ID_LEN))
        {
          self->pending_subnet = TRUE;
          memcpy (self->pending_subnet_id, subnet, HL_ID_LEN);
          hl_tui_reload_all (self);
        }
    }
  else if (row != NULL && g_strcmp0 (row->state, "refused") == 0)
    hl_tui_show_message (self, TRUE, "The invite was refused: %s",
                         row->reason ? row->reason : "no reason given");
  else if (row == NULL)
    hl_tui_show_message (self, TRUE, "Cannot follow the invite: %s",
                         error ? error->message : "it is no longer in the store");
  else if (g_get_monotonic_time () >= self->invite_deadline)
    hl_tui_show_message (self, TRUE, "Could not reach node %.16s… yet (%s). The invite stays "
                         "pending and the node keeps trying while it syncs", self->invite_node,
                         row->reason ? row->reason : "no answer yet");
  else
    return G_SOURCE_CONTINUE;
  self->invite_source = 0;
  stop_watching (self);
  hl_tui_queue_draw (self);
  return G_SOURCE_REMOVE;
}

static void
on_join_cb (HlTui      *self,
            const char *answer,
            gpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) invite = NULL;

  if (answer == NULL)
    return;
  if (!(invite = hl_invite_accept (self->data_dir, data, &error)))
    {
      hl_tui_show_message (self, TRUE, "Cannot use this invite: %s", error->message);
      return;
    }
  stop_watching (self);
  self->invite_id = g_strdup (invite->id_hex);
  self->invite_node = g_strdup (invite->node_hex);
  self->invite_deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  self->invite_source = g_timeout_add (POLL_MS, poll_invite_cb, self);
  hl_tui_show_message (self, FALSE, self->runner != NULL ? "Joining…"
                       : "Invite accepted; it is redeemed once this forum syncs");
}

void
hl_tui_offer_invite (HlTui      *self,
                     const char *link)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) invite = NULL;
  g_autofree char *text = g_strstrip (g_strdup (link));
  g_autofree char *places = NULL;
  g_autofree char *until = NULL;
  g_autofree char *question = NULL;
  g_autoptr(GDateTime) expires = NULL;

  if (*text == '\0')
    return;
  if (!(invite = hl_invite_parse (text, &error)))
    {
      hl_tui_show_message (self, TRUE, "Not an invite Hyperlink can use: %s", error->message);
      return;
    }
  places = invite->addresses != NULL && invite->addresses[0] != NULL
           ? g_strjoinv (", ", invite->addresses) : g_strdup ("its bootstrap nodes");
  expires = g_date_time_new_from_unix_local (invite->expires_ms / 1000);
  until = expires != NULL ? g_date_time_format (expires, "%e %b %H:%M") : g_strdup ("?");
  question = g_strdup_printf ("Join node %.16s… at %s (works until %s)? (y/N) ", invite->node_hex,
                              places, g_strstrip (until));
  hl_tui_ask (self, question, NULL, 0, on_join_cb, g_steal_pointer (&text), g_free);
}

static void
on_invite_link_cb (HlTui      *self,
                   const char *answer,
                   gpointer    data)
{
  if (answer != NULL)
    hl_tui_offer_invite (self, answer);
}

static void
make_invite (HlTui *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *subnet = NULL;
  g_autofree char *link = NULL;
  g_autofree char *path = g_build_filename (self->data_dir, "last-invite.txt", NULL);
  g_autofree char *file_text = NULL;
  HlInviteOptions options = { 0 };

  if (self->threads.has_subnet)
    options.subnet = subnet = hl_hex_dup (self->threads.subnet, HL_ID_LEN);
  if (!(link = hl_invite_create (self->data_dir, &options, NULL, &error)))
    {
      hl_tui_show_message (self, TRUE, "No invite made: %s", error->message);
      return;
    }
  file_text = g_strconcat (link, "\n", NULL);
  if (!g_file_set_contents_full (path, file_text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    hl_tui_show_message (self, TRUE, "Invite made, but not saved in %s: %s", path,
                         error->message);
  else
    hl_tui_show_message (self, FALSE, "Invite made: the link is below");
  g_free (self->invite_made);
  self->invite_made = g_steal_pointer (&link);
}

/* ---- keys ---- */

void
hl_tui_show_peers (HlTui *self)
{
  self->view = HL_TUI_VIEW_PEERS;
  self->peer_top = 0;
  hl_tui_peers_refresh (self);
}

void
hl_tui_peers_key (HlTui  *self,
                  int     kind,
                  wint_t  key)
{
  if (HL_TUI_IS_CHAR (kind, key, 'q') || HL_TUI_IS_CHAR (kind, key, HL_TUI_ESC) ||
      HL_TUI_IS_CHAR (kind, key, 'p'))
    self->view = HL_TUI_VIEW_BROWSE;
  else if (HL_TUI_IS_CODE (kind, key, KEY_DOWN) || HL_TUI_IS_CHAR (kind, key, 'j'))
    self->peer_sel = MIN (self->peer_sel + 1, MAX (count_selectable (self), 1) - 1);
  else if ((HL_TUI_IS_CODE (kind, key, KEY_UP) || HL_TUI_IS_CHAR (kind, key, 'k')) &&
           self->peer_sel > 0)
    self->peer_sel--;
  else if (HL_TUI_IS_CHAR (kind, key, 'a'))
    hl_tui_ask (self, "Peer to dial (ws://HOST:PORT): ", "", 256, on_address_cb,
                (gpointer) "peer", NULL);
  else if (HL_TUI_IS_CHAR (kind, key, 'b'))
    hl_tui_ask (self, "Bootstrap node (ws://HOST:PORT): ", "", 256, on_address_cb,
                (gpointer) "bootstrap", NULL);
  else if (HL_TUI_IS_CHAR (kind, key, 'x') || HL_TUI_IS_CHAR (kind, key, 'd'))
    ask_remove (self);
  else if (HL_TUI_IS_CHAR (kind, key, 'i'))
    hl_tui_ask (self, "Invite link: ", "", HL_INVITE_MAX_LINK, on_invite_link_cb, NULL, NULL);
  else if (HL_TUI_IS_CHAR (kind, key, 'c'))
    make_invite (self);
}
