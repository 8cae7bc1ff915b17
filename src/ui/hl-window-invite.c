/* hl-window-invite.c: invite links in the window.
 *
 * Opening a hyperlink:invite link (win.open-invite, from HlApplication's
 * open) checks it at once, asks whether to join, stores it with
 * hl_invite_accept() on a worker, then watches the store until the node of
 * the data directory (ours, or a hyperlinkd) has redeemed or been refused
 * it, and says so. "Invite a Friend…" (win.invite-friend) makes a link with
 * hl_invite_create() and shows it, with what the friend must do.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-alert.h"

#include "hl-invite.h"
#include "hl-store-discovery.h"
#include "hl-subnet-item.h"

#define POLL_MS        250
#define DEADLINE_S     60    /* like hyperlinkctl invite accept's --timeout, a bit longer */

/* Owned by the window (self->invite_wait), freed on its dispose. */
struct _HlInviteWait
{
  char     *id;          /* of the invite, hex */
  char     *node;        /* the inviter's key, hex */
  gint64    deadline;
  guint     source;
  gboolean  asking;      /* a state query runs on a worker */
};

/* ---- watching an accepted invite ---- */

void
hl_window_invite_wait_free (HlInviteWait *wait)
{
  if (wait == NULL)
    return;
  g_clear_handle_id (&wait->source, g_source_remove);
  g_free (wait->id);
  g_free (wait->node);
  g_free (wait);
}

static gpointer
get_accepted_func (HlForum       *forum,
                   HlStore       *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  HlAcceptedInvite *row = hl_store_invite_get_accepted (store, data, error);

  if (row == NULL && error != NULL && *error == NULL)
    g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_FAILED,
                 "The accepted invite is no longer in the store");
  return row;
}

static void
finish_wait (HlWindow   *self,
             const char *text)
{
  hl_window_toast (self, text);
  g_message ("%s", text);
  g_clear_pointer (&self->invite_wait, hl_window_invite_wait_free);
}

static void
on_state_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlAcceptedInvite) row = hl_forum_run_finish (HL_FORUM (object), result, &error);
  g_autofree char *text = NULL;
  HlInviteWait *wait;
  HlWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if ((wait = self->invite_wait) == NULL)
    return;
  if (row != NULL && g_strcmp0 (row->id, wait->id) != 0)
    return;   /* about an invite opened before the one now followed */
  wait->asking = FALSE;
  if (row != NULL && g_strcmp0 (row->state, "redeemed") == 0)
    {
      guint8 subnet[HL_ID_LEN];

      /* Translators: %.16s is the start of a node key, %s an address */
      text = g_strdup_printf (_("Joined: node %.16s… at %s is now a peer, and its forum syncs here"),
                              wait->node, row->address ? row->address : _("its bootstrap node"));
      /* The subnet the inviter suggests: its threads appear as they arrive. */
      if (row->subnet != NULL && hl_hex_decode (row->subnet, subnet, HL_ID_LEN))
        hl_window_open_subnet (self, subnet);
    }
  else if (row != NULL && g_strcmp0 (row->state, "refused") == 0)
    /* Translators: %s says why */
    text = g_strdup_printf (_("The invite was refused: %s"),
                            row->reason ? row->reason : _("no reason given"));
  else if (row == NULL)
    /* Translators: %s says why */
    text = g_strdup_printf (_("Cannot follow the invite: %s"), error->message);
  else if (g_get_monotonic_time () >= wait->deadline)
    /* Translators: %.16s is the start of a node key, %s the last problem */
    text = g_strdup_printf (_("Could not reach node %.16s… yet (%s). The invite stays pending and "
                              "Hyperlink keeps trying while it syncs"),
                            wait->node, row->reason ? row->reason : _("no answer yet"));
  if (text != NULL)
    finish_wait (self, text);
}

static gboolean
poll_cb (gpointer user_data)
{
  HlWindow *self = user_data;
  HlInviteWait *wait = self->invite_wait;

  if (!wait->asking)
    {
      wait->asking = TRUE;
      hl_forum_run_async (self->forum, get_accepted_func, g_strdup (wait->id), g_free,
                          (GDestroyNotify) hl_accepted_invite_free, self->cancellable,
                          on_state_cb, self);
    }
  return G_SOURCE_CONTINUE;
}

static void
watch_invite (HlWindow       *self,
              const HlInvite *invite)
{
  HlInviteWait *wait = g_new0 (HlInviteWait, 1);

  g_clear_pointer (&self->invite_wait, hl_window_invite_wait_free);
  wait->id = g_strdup (invite->id_hex);
  wait->node = g_strdup (invite->node_hex);
  wait->deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  wait->source = g_timeout_add (POLL_MS, poll_cb, self);
  self->invite_wait = wait;
}

/* ---- accepting ---- */

static gpointer
accept_func (HlForum       *forum,
             HlStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  /* Its own connection: it checks the link against this node's key. */
  return hl_invite_accept (hl_forum_get_data_dir (forum), data, error);
}

static void
on_accepted_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) invite = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (invite == NULL)
    {
      hl_window_toast_error (self, _("Cannot use this invite"), error);
      return;
    }
  if (self->sync == NULL)
    hl_window_toast (self, _("Invite accepted; it is redeemed once this forum syncs"));
  else
    hl_window_toast (self, _("Joining…"));
  watch_invite (self, invite);
}

static void
on_join_response_cb (GtkWidget  *dialog,
                     const char *response,
                     HlWindow   *self)
{
  const char *link = g_object_get_data (G_OBJECT (dialog), "hl-invite-link");

  if (g_str_equal (response, "join"))
    hl_window_join_invite (self, link);
}

void
hl_window_join_invite (HlWindow   *self,
                       const char *link)
{
  hl_forum_run_async (self->forum, accept_func, g_strdup (link), g_free,
                      (GDestroyNotify) hl_invite_free, self->cancellable, on_accepted_cb, self);
}

char *
hl_window_describe_places (const HlInvite *invite)
{
  if (invite->addresses != NULL && invite->addresses[0] != NULL)
    return g_strjoinv (", ", invite->addresses);
  if (invite->bootstrap != NULL && invite->bootstrap[0] != NULL)
    {
      g_autofree char *nodes = g_strjoinv (", ", invite->bootstrap);

      /* Translators: %s is a list of addresses */
      return g_strdup_printf (_("the bootstrap node %s"), nodes);
    }
  return g_strdup (_("no address"));
}

void
hl_window_open_invite_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  const char *link = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) invite = hl_invite_parse (link, &error);
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *places = NULL;
  g_autofree char *when = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (invite == NULL)
    {
      /* Malformed or forged: nothing to ask. */
      hl_window_toast_error (self, _("Cannot use this invite"), error);
      return;
    }
  places = hl_window_describe_places (invite);
  expires = g_date_time_new_from_unix_local (invite->expires_ms / 1000);
  when = expires ? g_date_time_format (expires, "%x %H:%M") : g_strdup ("?");
  /* The key stays out of the heading: a heading's words do not break, and
   * 16 hex digits in its large type are wider than an AdwAlertDialog. */
  /* Translators: %s is a list of addresses, %.16s… the start of a node key
   * (its fingerprint), the last %s a date */
  body = g_strdup_printf (_("This invite leads to %s (key %.16s…). Joining makes that "
                            "computer a peer of this one: you sync its forum and it syncs "
                            "yours. Hyperlink checks that it reaches the node the link names. "
                            "The invite works until %s."), places, invite->node_hex, when);
  dialog = hl_alert_new (_("Join Your Friend’s Forum?"), body);
  hl_alert_add_response (dialog, "cancel", _("_Cancel"));
  hl_alert_add_response (dialog, "join", _("_Join"));
  hl_alert_set_response_appearance (dialog, "join", ADW_RESPONSE_SUGGESTED);
  hl_alert_set_default_response (dialog, "join");
  hl_alert_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "hl-invite-link", g_strdup (link), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_join_response_cb), self, 0);
  hl_window_present_alert (self, dialog);
}

/* ---- inviting ---- */

static gpointer
create_func (HlForum       *forum,
             HlStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  HlInviteOptions options = { .subnet = data };

  /* Addresses from the running node's status (Tailscale, or a specific
   * listen address), as `hyperlinkctl invite create` does. */
  return hl_invite_create (hl_forum_get_data_dir (forum), &options, NULL, error);
}

static void
on_copy_clicked_cb (GtkButton *button,
                    HlWindow  *self)
{
  const char *link = g_object_get_data (G_OBJECT (button), "hl-invite-link");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), link);
  gtk_button_set_label (button, _("Copied"));
}

static GtkWidget *
make_link_box (HlWindow   *self,
               const char *link)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *label = gtk_label_new (link);
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Link"));

  PangoAttrList *attrs = pango_attr_list_new ();

  /* Wrapped anywhere, whole (never ellipsized), and without the hyphens
   * Pango adds where it breaks a word: '-' is a base64url character, so a
   * link typed from the screen would be wrong. */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  pango_attr_list_unref (attrs);
  gtk_widget_set_name (label, "invite_link");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "card");
  gtk_widget_add_css_class (label, "hl-invite-link");
  gtk_widget_set_name (copy, "invite_copy");
  gtk_widget_set_halign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "pill");
  g_object_set_data_full (G_OBJECT (copy), "hl-invite-link", g_strdup (link), g_free);
  g_signal_connect_object (copy, "clicked", G_CALLBACK (on_copy_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), copy);
  return box;
}

static void
on_created_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *link = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlWindow *self;
  GtkWidget *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (g_error_matches (error, HL_INVITE_ERROR, HL_INVITE_ERROR_NO_ADDRESS))
    {
      /* hl_invite_create's advice is for the command line. */
      hl_window_toast (self, _("Could not make an invite: this computer has no address to put "
                               "in it. Start Tailscale, or add a bootstrap node in Preferences"));
      return;
    }
  if (link == NULL)
    {
      hl_window_toast_error (self, _("Could not make an invite"), error);
      return;
    }
  dialog = hl_alert_new (_("Invite Link Ready"),
                         _("Send this link to your friend. They first accept your "
                           "Tailscale share of this computer, then open the link with "
                           "Hyperlink. It works once, for 7 days."));
  gtk_widget_set_name (dialog, "invite_dialog");
  hl_alert_set_extra_child (dialog, make_link_box (self, link));
  hl_alert_add_response (dialog, "close", _("_Done"));
  g_object_set_data_full (G_OBJECT (dialog), "hl-invite-link", g_steal_pointer (&link), g_free);
  hl_window_present_alert (self, dialog);
}

static void
on_invite_response_cb (GtkWidget  *dialog,
                       const char *response,
                       HlWindow   *self)
{
  GtkCheckButton *suggest = g_object_get_data (G_OBJECT (dialog), "hl-suggest");
  char *subnet = NULL;

  if (!g_str_equal (response, "create"))
    return;
  if (suggest != NULL && gtk_check_button_get_active (suggest) && self->has_subnet)
    subnet = hl_hex_dup (self->subnet, HL_ID_LEN);
  hl_forum_run_async (self->forum, create_func, subnet, g_free, g_free, self->cancellable,
                      on_created_cb, self);
}

static char *
open_subnet_name (HlWindow *self)
{
  guint pos = self->has_subnet ? hl_subnet_list_model_find (self->subnet_model, self->subnet)
                               : G_MAXUINT;
  g_autoptr(HlSubnetItem) item = NULL;

  if (pos == G_MAXUINT)
    return NULL;
  item = g_list_model_get_item (G_LIST_MODEL (self->subnet_model), pos);
  return g_strdup (hl_subnet_item_get_name (item));
}

void
hl_window_invite_friend_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  g_autofree char *subnet = open_subnet_name (self);
  GtkWidget *dialog;

  dialog = hl_alert_new (_("Invite a Friend"),
                         _("Makes a link that lets one friend join this forum: their "
                           "computer becomes a peer of this one. It works once, for "
                           "7 days."));
  gtk_widget_set_name (dialog, "invite_ask_dialog");
  if (subnet != NULL)
    {
      /* Translators: %s is the name of a subnet */
      g_autofree char *label = g_strdup_printf (_("Suggest “%s” to open first"), subnet);
      GtkWidget *suggest = gtk_check_button_new_with_label (label);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (suggest), TRUE);
      gtk_widget_set_halign (suggest, GTK_ALIGN_CENTER);
      hl_alert_set_extra_child (dialog, suggest);
      g_object_set_data (G_OBJECT (dialog), "hl-suggest", suggest);
    }
  hl_alert_add_response (dialog, "cancel", _("_Cancel"));
  hl_alert_add_response (dialog, "create", _("_Make Link"));
  hl_alert_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  hl_alert_set_default_response (dialog, "create");
  hl_alert_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_invite_response_cb), self, 0);
  hl_window_present_alert (self, dialog);
}
