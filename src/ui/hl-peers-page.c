/* hl-peers-page.c: the Peers page of Preferences: who syncs this forum, and
 * every peer with how it was found, whether it is connected, when it was
 * last seen, what went between us and what last went wrong; and who was
 * turned away lately, and why.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-peers-page.h"

#include "hl-peer-info.h"
#include "hl-ui-util.h"

struct _HlPeersPage
{
  AdwPreferencesPage  parent_instance;

  HlSync             *sync;
  HlForum            *forum;          /* NULL: peers by machine only */
  GHashTable         *names;          /* node key hex → display name, "" while asked or none */
  guint               clock_source;   /* "last seen 5 min ago" ages */

  AdwActionRow       *status_row;
  GtkImage           *status_image;
  AdwActionRow       *tailscale_row;
  GtkListBox         *peer_list;
  AdwPreferencesGroup *refused_group;
  GtkListBox         *refused_list;
};

G_DEFINE_FINAL_TYPE (HlPeersPage, hl_peers_page, ADW_TYPE_PREFERENCES_PAGE)

/* The widgets of one peer's row. */
typedef struct
{
  HlPeersPage  *page;
  HlPeerInfo   *info;
  AdwAvatar    *avatar;
  GtkImage     *image;
  AdwActionRow *address;
  AdwActionRow *found;
  AdwActionRow *tailnet;
  AdwActionRow *traffic;
  AdwActionRow *problem;
} PeerRow;

/* "manual,tailnet" → "added by hand, on your tailnet". */
static char *
describe_found (const char *found)
{
  static const struct { const char *name; const char *text; } ways[] = {
    { "manual", N_("added by hand") },
    { "tailnet", N_("on your tailnet") },
    { "bootstrap", N_("from a bootstrap node") },
    { "exchange", N_("passed on by another peer") },
    { "invite", N_("from an invite") },
    { "inbound", N_("it connected to this computer") },
  };
  g_auto(GStrv) parts = g_strsplit (found ? found : "", ",", -1);
  GString *text = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *said = parts[i];

      if (*said == '\0')
        continue;
      for (guint w = 0; w < G_N_ELEMENTS (ways); w++)
        if (g_str_equal (parts[i], ways[w].name))
          said = _(ways[w].text);
      g_string_append_printf (text, "%s%s", text->len ? ", " : "", said);
    }
  if (text->len == 0)
    g_string_append (text, _("unknown"));
  return g_string_free (text, FALSE);
}

static char *
describe_state (HlPeerInfo *info)
{
  const char *state = hl_peer_info_get_string (info, "state");
  gint64 seen = hl_peer_info_get_int (info, "last_seen_ms");
  g_autofree char *when = NULL;

  if (hl_peer_info_get_connected (info))
    return g_strdup (g_strcmp0 (state, "in sync") == 0 ? _("Connected · in sync")
                                                         : _("Connected · syncing"));
  if (g_strcmp0 (state, "connecting") == 0)
    return g_strdup (_("Connecting…"));
  if (g_strcmp0 (state, "self") == 0)
    return g_strdup (_("This computer itself"));
  if (seen <= 0)
    return g_strdup (_("Not connected · never seen"));
  when = hl_format_relative_time (seen, g_get_real_time () / 1000);
  /* Translators: %s is a time such as “5 min ago” */
  return g_strdup_printf (_("Not connected · last seen %s"), when);
}

static char *
describe_traffic (HlPeerInfo *info)
{
  g_autofree char *sent = g_format_size (hl_peer_info_get_int (info, "bytes_sent"));
  g_autofree char *received = g_format_size (hl_peer_info_get_int (info, "bytes_received"));
  gint64 events_sent = hl_peer_info_get_int (info, "events_sent");
  gint64 events_received = hl_peer_info_get_int (info, "events_received");

  g_autofree char *out = NULL, *in = NULL;
  g_autofree char *n_out = g_strdup_printf ("%" G_GINT64_FORMAT, events_sent);
  g_autofree char *n_in = g_strdup_printf ("%" G_GINT64_FORMAT, events_received);

  /* No format macros inside msgids (xgettext cuts them off there): the
   * counts come in as text. Two whole sentences, one a line, not halves. */
  /* Translators: %s is a count of events, then a size such as “3.4 kB” */
  out = g_strdup_printf (ngettext ("Sent %s event (%s).", "Sent %s events (%s).",
                                   (gulong) events_sent), n_out, sent);
  /* Translators: %s is a count of events, then a size such as “3.4 kB” */
  in = g_strdup_printf (ngettext ("Received %s event (%s).", "Received %s events (%s).",
                                  (gulong) events_received), n_in, received);
  return g_strconcat (out, "\n", in, NULL);
}

static char *
describe_tailnet (HlPeerInfo *info)
{
  const char *fields[] = { "tailnet_user", "dns_name", "path" };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = hl_peer_info_get_string (info, fields[i]);

      if (value == NULL || *value == '\0')
        continue;
      if (g_str_equal (fields[i], "path"))
        value = g_str_equal (value, "direct") ? _("direct connection") : _("relayed (DERP)");
      g_string_append_printf (text, "%s%s", text->len ? " · " : "", value);
    }
  return g_string_free (text, text->len == 0);
}

/* ---- who a peer is: its node key is its owner's identity key ---- */

static gpointer
get_profile_func (HlForum       *forum,
                  HlStore       *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  guint8 key[HL_KEY_LEN];
  HlProfileRow *row;
  char *name;

  if (!hl_hex_decode (data, key, HL_KEY_LEN) || !(row = hl_store_get_profile (store, key, NULL)))
    return g_strdup ("");
  name = g_strdup (row->name != NULL ? row->name : "");
  hl_profile_row_free (row);
  return name;
}

static void update_row (GtkWidget *widget, HlPeerInfo *info);
static void refresh_rows (HlPeersPage *self);

/* Weak: a question still on a worker must not keep a closed page (and its
 * HlSync) alive. */
typedef struct
{
  GWeakRef  page;
  char     *node;
} ProfileAsk;

static void
profile_ask_free (ProfileAsk *ask)
{
  g_weak_ref_clear (&ask->page);
  g_free (ask->node);
  g_free (ask);
}

static void
on_profile_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ProfileAsk *ask = user_data;
  g_autoptr(HlPeersPage) self = g_weak_ref_get (&ask->page);
  g_autoptr(GError) error = NULL;
  char *name = hl_forum_run_finish (HL_FORUM (object), result, &error);

  if (name != NULL && self != NULL && self->names != NULL)
    {
      g_hash_table_replace (self->names, g_strdup (ask->node), name);
      refresh_rows (self);
    }
  else
    g_free (name);
  profile_ask_free (ask);
}

static void
refresh_rows (HlPeersPage *self)
{
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->peer_list, i);
      PeerRow *pr;

      if (row == NULL)
        break;
      if ((pr = g_object_get_data (G_OBJECT (row), "hl-peer-row")) != NULL)
        update_row (GTK_WIDGET (row), pr->info);
    }
}

static void
on_forum_changed_cb (HlPeersPage *self)
{
  g_hash_table_remove_all (self->names);
  refresh_rows (self);
}

/* The display name of @node's owner, or NULL (not known, or asked just now). */
static const char *
peer_name (HlPeersPage *self,
           const char  *node)
{
  const char *name;

  if (node == NULL || self->forum == NULL)
    return NULL;
  if (!g_hash_table_lookup_extended (self->names, node, NULL, (gpointer *) &name))
    {
      ProfileAsk *ask = g_new0 (ProfileAsk, 1);

      g_weak_ref_init (&ask->page, self);
      ask->node = g_strdup (node);
      g_hash_table_insert (self->names, g_strdup (node), g_strdup (""));
      hl_forum_run_async (self->forum, get_profile_func, g_strdup (node), g_free, g_free, NULL,
                          on_profile_cb, ask);
      return NULL;
    }
  return name[0] != '\0' ? name : NULL;
}

static void
set_detail (AdwActionRow *row,
            const char   *text)
{
  gtk_widget_set_visible (GTK_WIDGET (row), text != NULL && *text != '\0');
  adw_action_row_set_subtitle (row, text ? text : "");
}

static void
update_row (GtkWidget  *widget,
            HlPeerInfo *info)
{
  PeerRow *pr = g_object_get_data (G_OBJECT (widget), "hl-peer-row");
  const char *via = hl_peer_info_get_string (info, "via");
  const char *node = hl_peer_info_get_string (info, "node");
  g_autofree char *state = describe_state (info);
  g_autofree char *found = describe_found (hl_peer_info_get_string (info, "found"));
  g_autofree char *tailnet = describe_tailnet (info);
  g_autofree char *traffic = describe_traffic (info);
  g_autofree char *address = NULL;

  const char *name = peer_name (pr->page, node);

  /* The friend, by name; the machine and how it is reached under it. */
  if (name != NULL)
    {
      /* Translators: a computer's name, then how it is reached (“Connected · in sync”) */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), hl_peer_info_get_title (info),
                                                   state);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), name);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (widget), subtitle);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), hl_peer_info_get_title (info));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (widget), state);
    }
  adw_avatar_set_text (pr->avatar, name != NULL ? name : hl_peer_info_get_title (info));
  adw_avatar_set_show_initials (pr->avatar, name != NULL);
  gtk_image_set_from_icon_name (pr->image, hl_peer_info_get_connected (info)
                                           ? "network-transmit-receive-symbolic"
                                           : "network-offline-symbolic");
  if (node != NULL)
    /* Translators: an address, then the first digits of the peer's key */
    address = g_strdup_printf (_("%s · node %.12s…"), hl_peer_info_get_string (info, "address"),
                               node);
  else
    address = g_strdup (hl_peer_info_get_string (info, "address"));
  set_detail (pr->address, address);
  if (via != NULL && *via != '\0')
    {
      /* Translators: how a peer was found, then the first digits of who told us */
      g_autofree char *with_via = g_strdup_printf (_("%s (told by node %.12s…)"), found, via);

      set_detail (pr->found, with_via);
    }
  else
    set_detail (pr->found, found);
  set_detail (pr->tailnet, tailnet);
  set_detail (pr->traffic, traffic);
  set_detail (pr->problem, hl_peer_info_get_string (info, "error"));
}

static AdwActionRow *
add_detail (AdwExpanderRow *row,
            const char     *title)
{
  AdwActionRow *detail = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (detail), title);
  adw_expander_row_add_row (row, GTK_WIDGET (detail));
  return detail;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  HlPeerInfo *info = item;
  GtkWidget *row = adw_expander_row_new ();
  PeerRow *pr = g_new0 (PeerRow, 1);

  pr->page = user_data;
  pr->info = info;
  pr->avatar = ADW_AVATAR (adw_avatar_new (32, NULL, FALSE));
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), GTK_WIDGET (pr->avatar));
  pr->image = GTK_IMAGE (gtk_image_new ());
#if ADW_CHECK_VERSION (1, 4, 0)
  adw_expander_row_add_suffix (ADW_EXPANDER_ROW (row), GTK_WIDGET (pr->image));
#else
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), GTK_WIDGET (pr->image));
#endif
  pr->address = add_detail (ADW_EXPANDER_ROW (row), _("Address"));
  pr->found = add_detail (ADW_EXPANDER_ROW (row), _("Found"));
  pr->tailnet = add_detail (ADW_EXPANDER_ROW (row), _("Tailnet"));
  pr->traffic = add_detail (ADW_EXPANDER_ROW (row), _("Traffic"));
  pr->problem = add_detail (ADW_EXPANDER_ROW (row), _("Last Problem"));
  gtk_widget_add_css_class (GTK_WIDGET (pr->problem), "warning");
  g_object_set_data_full (G_OBJECT (row), "hl-peer-row", pr, g_free);
  update_row (row, info);
  g_signal_connect_object (info, "changed", G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
  return row;
}

/* ---- refused ---- */

static void
update_refusal_row (GtkWidget  *row,
                    HlPeerInfo *info)
{
  const char *node = hl_peer_info_get_string (info, "node");
  g_autofree char *title = NULL;
  g_autofree char *said = hl_peer_info_describe_refusal (info);

  if (node != NULL)
    /* Translators: an address, then the first digits of the key it used */
    title = g_strdup_printf (_("%s · node %.12s…"), hl_peer_info_get_string (info, "address"), node);
  else
    title = g_strdup (hl_peer_info_get_string (info, "address"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), said);
  /* The node's own words, addressed to the other side, for whoever wants them. */
  gtk_widget_set_tooltip_text (row, hl_peer_info_get_string (info, "reason"));
}

static GtkWidget *
create_refusal_row (gpointer item,
                    gpointer user_data)
{
  HlPeerInfo *info = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image = gtk_image_new_from_icon_name ("action-unavailable-symbolic");

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
  update_refusal_row (row, info);
  g_signal_connect_object (info, "changed", G_CALLBACK (update_refusal_row), row,
                           G_CONNECT_SWAPPED);
  return row;
}

static void
on_refused_changed_cb (HlPeersPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->refused_group),
                          g_list_model_get_n_items (hl_sync_get_refused (self->sync)) > 0);
}

static void
update_status (HlPeersPage *self)
{
  g_autofree char *summary = hl_sync_dup_summary (self->sync);
  g_autofree char *details = hl_sync_dup_details (self->sync);
  const char *tailscale;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), summary);
  adw_action_row_set_subtitle (self->status_row, details);
  /* The node's own words, for whoever needs them (also in the log). */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_row), hl_sync_get_error (self->sync));
  gtk_image_set_from_icon_name (self->status_image, hl_sync_state_icon_name (hl_sync_get_state (self->sync)));
  tailscale = hl_sync_get_tailscale (self->sync);
  adw_action_row_set_subtitle (self->tailscale_row,
                               tailscale ? tailscale : _("Not known until sync runs"));
}

static gboolean
on_clock_cb (gpointer user_data)
{
  HlPeersPage *self = user_data;
  GListModel *peers = hl_sync_get_peers (self->sync);

  for (guint i = 0; i < g_list_model_get_n_items (peers); i++)
    {
      g_autoptr(HlPeerInfo) info = g_list_model_get_item (peers, i);
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->peer_list, (int) i);

      if (row != NULL)
        update_row (GTK_WIDGET (row), info);
    }
  peers = hl_sync_get_refused (self->sync);
  for (guint i = 0; i < g_list_model_get_n_items (peers); i++)
    {
      g_autoptr(HlPeerInfo) info = g_list_model_get_item (peers, i);
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->refused_list, (int) i);

      if (row != NULL)
        update_refusal_row (GTK_WIDGET (row), info);
    }
  return G_SOURCE_CONTINUE;
}

static void
hl_peers_page_dispose (GObject *object)
{
  HlPeersPage *self = HL_PEERS_PAGE (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_PEERS_PAGE);
  g_clear_object (&self->forum);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_object (&self->sync);
  G_OBJECT_CLASS (hl_peers_page_parent_class)->dispose (object);
}

static void
hl_peers_page_class_init (HlPeersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_peers_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-peers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HlPeersPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, HlPeersPage, status_image);
  gtk_widget_class_bind_template_child (widget_class, HlPeersPage, tailscale_row);
  gtk_widget_class_bind_template_child (widget_class, HlPeersPage, peer_list);
  gtk_widget_class_bind_template_child (widget_class, HlPeersPage, refused_group);
  gtk_widget_class_bind_template_child (widget_class, HlPeersPage, refused_list);
}

static void
hl_peers_page_init (HlPeersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HlPeersPage *
hl_peers_page_new (HlSync  *sync,
                   HlForum *forum)
{
  HlPeersPage *self;

  g_return_val_if_fail (HL_IS_SYNC (sync), NULL);

  self = g_object_new (HL_TYPE_PEERS_PAGE, NULL);
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "peers");
  self->sync = g_object_ref (sync);
  self->forum = forum != NULL ? g_object_ref (forum) : NULL;
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* A friend's profile may arrive with the sync: ask again after a change. */
  if (forum != NULL)
    g_signal_connect_object (forum, "changed", G_CALLBACK (on_forum_changed_cb), self,
                             G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->peer_list, hl_sync_get_peers (sync), create_row, self, NULL);
  gtk_list_box_bind_model (self->refused_list, hl_sync_get_refused (sync), create_refusal_row,
                           self, NULL);
  g_signal_connect_object (hl_sync_get_refused (sync), "items-changed",
                           G_CALLBACK (on_refused_changed_cb), self, G_CONNECT_SWAPPED);
  on_refused_changed_cb (self);
  g_signal_connect_object (sync, "notify::summary", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  update_status (self);
  self->clock_source = g_timeout_add_seconds (30, on_clock_cb, self);
  return self;
}

GtkListBox *
hl_peers_page_get_list (HlPeersPage *self)
{
  g_return_val_if_fail (HL_IS_PEERS_PAGE (self), NULL);
  return self->peer_list;
}

const char *
hl_peers_page_get_status (HlPeersPage *self)
{
  g_return_val_if_fail (HL_IS_PEERS_PAGE (self), NULL);
  return adw_action_row_get_subtitle (self->status_row);
}

const char *
hl_peers_page_get_tailscale (HlPeersPage *self)
{
  g_return_val_if_fail (HL_IS_PEERS_PAGE (self), NULL);
  return adw_action_row_get_subtitle (self->tailscale_row);
}

char *
hl_peers_page_describe_row (HlPeersPage *self,
                            guint        position)
{
  GtkListBoxRow *row;
  PeerRow *pr;
  GString *text;
  AdwActionRow *details[5];

  g_return_val_if_fail (HL_IS_PEERS_PAGE (self), NULL);

  row = gtk_list_box_get_row_at_index (self->peer_list, (int) position);
  if (row == NULL || !(pr = g_object_get_data (G_OBJECT (row), "hl-peer-row")))
    return NULL;
  text = g_string_new (NULL);
  g_string_append_printf (text, "%s\n%s\n",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                          adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)));
  details[0] = pr->address;
  details[1] = pr->found;
  details[2] = pr->tailnet;
  details[3] = pr->traffic;
  details[4] = pr->problem;
  for (guint i = 0; i < G_N_ELEMENTS (details); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (details[i])))
      g_string_append_printf (text, "%s: %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (details[i])),
                              adw_action_row_get_subtitle (details[i]));
  return g_string_free (text, FALSE);
}

char *
hl_peers_page_describe_refusal (HlPeersPage *self,
                                guint        position)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (HL_IS_PEERS_PAGE (self), NULL);

  row = gtk_list_box_get_row_at_index (self->refused_list, (int) position);
  if (row == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->refused_group)))
    return NULL;
  return g_strdup_printf ("%s\n%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                          adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
}
