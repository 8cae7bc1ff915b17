/* hl-acl-dialog.c: the Tailscale policy snippet for the group's zones.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-acl-dialog.h"

#include <glib/gi18n.h>

struct _HlAclDialog
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkLabel        *explanation;
  GtkTextView     *policy_view;
  char            *policy;
};

G_DEFINE_FINAL_TYPE (HlAclDialog, hl_acl_dialog, ADW_TYPE_WINDOW)

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HlAclDialog *self = HL_ACL_DIALOG (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->policy);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Policy copied")));
}

static void
hl_acl_dialog_finalize (GObject *object)
{
  HlAclDialog *self = HL_ACL_DIALOG (object);

  g_free (self->policy);
  G_OBJECT_CLASS (hl_acl_dialog_parent_class)->finalize (object);
}

static void
hl_acl_dialog_class_init (HlAclDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hl_acl_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-acl-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlAclDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HlAclDialog, explanation);
  gtk_widget_class_bind_template_child (widget_class, HlAclDialog, policy_view);
  gtk_widget_class_install_action (widget_class, "acl.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_acl_dialog_init (HlAclDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hl_acl_dialog_new (GtkWindow  *parent,
                   const char *policy,
                   guint       n_zones)
{
  HlAclDialog *self = g_object_new (HL_TYPE_ACL_DIALOG, "transient-for", parent, NULL);

  self->policy = g_strdup (policy);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->policy_view), policy, -1);
  if (n_zones == 0)
    gtk_label_set_text (self->explanation,
                        _("No private subnet is bound to a tailnet tag yet, so this policy has no "
                          "zone. Create a private subnet with a tag to add one."));
  else
    gtk_label_set_text (self->explanation,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "Paste this into your tailnet policy file in the Tailscale "
                                     "admin console. Only devices with the zone’s tag will reach "
                                     "each other’s Hyperlink.",
                                     "Paste this into your tailnet policy file in the Tailscale "
                                     "admin console. Only devices with a zone’s tag will reach "
                                     "each other’s Hyperlink in that zone.", n_zones));
  return GTK_WIDGET (self);
}

const char *
hl_acl_dialog_get_policy (HlAclDialog *self)
{
  g_return_val_if_fail (HL_IS_ACL_DIALOG (self), NULL);
  return self->policy;
}
