/* hl-window-zones.c: the window's part of private subnets and zones: New
 * Private Subnet (HlPrivateDialog) and the Tailscale policy snippet for the
 * private subnets bound to tags (HlAclDialog).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-window-private.h"
#include "hl-acl-dialog.h"
#include "hl-private-dialog.h"
#include "hl-members-dialog.h"
#include "hl-store-privnet.h"
#include "hl-sync-wire.h"

typedef struct
{
  char  *policy;
  guint  n_zones;
} Policy;

static void
policy_free (gpointer data)
{
  Policy *policy = data;

  g_free (policy->policy);
  g_free (policy);
}

static gpointer
read_policy (HlForum       *forum,
             HlStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GPtrArray) zones = hl_store_private_zones (store, error);
  g_autoptr(GPtrArray) tags = NULL;
  Policy *policy;

  if (zones == NULL)
    return NULL;
  tags = hl_private_zone_tags (zones);
  policy = g_new0 (Policy, 1);
  policy->policy = hl_private_acl_policy (tags, HL_SYNC_DEFAULT_PORT);
  policy->n_zones = tags->len;
  return policy;
}

static void
on_policy_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HlWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  Policy *policy = hl_forum_run_finish (HL_FORUM (source), result, &error);

  if (policy == NULL)
    {
      hl_window_toast_error (self, _("Cannot read the private subnets"), error);
      return;
    }
  gtk_window_present (GTK_WINDOW (hl_acl_dialog_new (GTK_WINDOW (self), policy->policy,
                                                     policy->n_zones)));
  policy_free (policy);
}

void
hl_window_zones_policy_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  hl_forum_run_async (self->forum, read_policy, NULL, NULL, policy_free, NULL, on_policy_read,
                      g_object_ref (self));
}

static void
on_private_created (HlWindow   *self,
                    const char *id_hex)
{
  hl_forum_queue_changed (self->forum);
  hl_window_toast (self, _("Private subnet created"));
}

void
hl_window_new_private_subnet_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  GtkWidget *dialog = hl_private_dialog_new (GTK_WINDOW (self), self->forum);

  g_signal_connect_object (dialog, "created", G_CALLBACK (on_private_created), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* win.private-members("SUBNET-HEX"): the members of a private subnet. */
void
hl_window_private_members_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  guint8 subnet[HL_ID_LEN];

  if (!hl_hex_decode (g_variant_get_string (parameter, NULL), subnet, HL_ID_LEN))
    return;
  gtk_window_present (GTK_WINDOW (hl_members_dialog_new (GTK_WINDOW (self), self->forum, subnet)));
}

/* win.subnet-members: the members of the subnet the window shows. */
void
hl_window_subnet_members_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  if (!self->has_subnet)
    {
      hl_window_toast (self, _("Pick a private subnet first"));
      return;
    }
  gtk_window_present (GTK_WINDOW (hl_members_dialog_new (GTK_WINDOW (self), self->forum,
                                                         self->subnet)));
}
