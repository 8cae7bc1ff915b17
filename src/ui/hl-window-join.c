/* hl-window-join.c: "Join with an Invite Link…", for a newcomer whose
 * friend sent a link by chat or mail rather than one a browser opens.
 *
 * The link is pasted into the dialog, checked as it is typed, and what it
 * leads to is previewed (the inviter's computer and key, the subnet it
 * suggests, until when it works) before Join is enabled. Joining is the
 * same as opening the link (hl_window_join_invite()).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"

#include "hl-alert.h"

#include "hl-subnet-item.h"

/* The subnet the invite suggests, by name when it is already here. */
static char *
describe_subnet (HlWindow       *self,
                 const HlInvite *invite)
{
  guint pos;
  g_autoptr(HlSubnetItem) item = NULL;

  if (!invite->has_subnet)
    return NULL;
  pos = hl_subnet_list_model_find (self->subnet_model, invite->subnet);
  if (pos != G_MAXUINT &&
      (item = g_list_model_get_item (G_LIST_MODEL (self->subnet_model), pos)) != NULL)
    /* Translators: %s is a subnet's name */
    return g_strdup_printf (_("It opens the subnet “%s”."), hl_subnet_item_get_name (item));
  /* Translators: %.8s is the start of a subnet's id; its name arrives when it syncs */
  return g_strdup_printf (_("It opens a subnet (%.8s…) whose name you will see once it syncs."),
                          invite->subnet_hex);
}

static char *
describe_invite (HlWindow       *self,
                 const HlInvite *invite)
{
  g_autofree char *places = hl_window_describe_places (invite);
  g_autofree char *subnet = describe_subnet (self, invite);
  g_autoptr(GDateTime) expires = g_date_time_new_from_unix_local (invite->expires_ms / 1000);
  g_autofree char *when = expires != NULL ? g_date_time_format (expires, "%x %H:%M")
                                          : g_strdup ("?");
  g_autofree char *who = NULL;

  /* Translators: %s are the inviter's addresses, %.16s… the start of its key, %s a date */
  who = g_strdup_printf (_("Invited by the computer at %s (key %.16s…). The link works until %s."),
                         places, invite->node_hex, when);
  return subnet != NULL ? g_strconcat (who, "\n", subnet, NULL) : g_steal_pointer (&who);
}

static void
on_link_changed_cb (GtkEditable *entry,
                    GtkWidget   *dialog)
{
  HlWindow *self = g_object_get_data (G_OBJECT (dialog), "hl-window");
  GtkLabel *preview = g_object_get_data (G_OBJECT (dialog), "hl-join-preview");
  g_autofree char *link = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;
  g_autoptr(HlInvite) invite = link[0] != '\0' ? hl_invite_parse (link, &error) : NULL;

  hl_alert_set_response_enabled (dialog, "join", invite != NULL);
  g_object_set_data_full (G_OBJECT (dialog), "hl-invite-link",
                          invite != NULL ? g_strdup (link) : NULL, g_free);
  gtk_widget_remove_css_class (GTK_WIDGET (preview), "error");
  if (link[0] == '\0')
    gtk_label_set_text (preview, "");
  else if (invite == NULL)
    {
      /* The parser's reason is for the log, not for a person. */
      g_message ("Pasted invite refused: %s", error->message);
      gtk_label_set_text (preview, _("This is not a whole invite link. Copy all of it, from "
                                     "“hyperlink:invite?” to its end, and paste it again."));
      gtk_widget_add_css_class (GTK_WIDGET (preview), "error");
    }
  else
    {
      g_autofree char *text = describe_invite (self, invite);

      gtk_label_set_text (preview, text);
    }
}

static void
on_join_dialog_response_cb (GtkWidget  *dialog,
                            const char *response,
                            HlWindow   *self)
{
  const char *link = g_object_get_data (G_OBJECT (dialog), "hl-invite-link");

  if (g_str_equal (response, "join") && link != NULL)
    hl_window_join_invite (self, link);
}

static GtkWidget *
make_form (GtkWidget *dialog)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *preview = gtk_label_new (NULL);

  gtk_widget_set_name (entry, "join_entry");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "hyperlink:invite?…");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Invite link"), -1);
  gtk_widget_set_name (preview, "join_preview");
  gtk_label_set_wrap (GTK_LABEL (preview), TRUE);
  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (preview), 40);
  gtk_widget_add_css_class (preview, "dim-label");
  g_object_set_data (G_OBJECT (dialog), "hl-join-preview", preview);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_link_changed_cb), dialog, 0);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), preview);
  return box;
}

void
hl_window_join_dialog_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  GtkWidget *dialog = hl_alert_new (_("Join with an Invite Link"),
                                    _("Paste the link a friend sent you. Joining makes "
                                      "their computer a peer of this one, and their "
                                      "forum appears here."));
  GtkWidget *form;

  /* Not a reference: the dialog closes with the window. */
  g_object_set_data (G_OBJECT (dialog), "hl-window", self);
  form = make_form (dialog);
  gtk_widget_set_name (dialog, "join_dialog");
  hl_alert_set_extra_child (dialog, form);
  hl_alert_add_response (dialog, "cancel", _("_Cancel"));
  hl_alert_add_response (dialog, "join", _("_Join"));
  hl_alert_set_response_appearance (dialog, "join", ADW_RESPONSE_SUGGESTED);
  hl_alert_set_response_enabled (dialog, "join", FALSE);
  hl_alert_set_default_response (dialog, "join");
  hl_alert_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_join_dialog_response_cb), self, 0);
  hl_window_present_alert (self, dialog);
}
