/* hl-window-toast.c: what the window says in toasts.
 *
 * An error from the core or the sync layer is said in a sentence of the
 * window's own, chosen by its GError domain and code (never by its English
 * text), with the error's own text behind a Details button and in the log.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-alert.h"
#include "hl-window-private.h"

#include "hl-error.h"
#include "hl-invite.h"

void
hl_window_toast (HlWindow   *self,
                 const char *text)
{
  g_return_if_fail (HL_IS_WINDOW (self));
  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

const char *
hl_window_get_last_toast (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->last_toast;
}

static const char *
describe_invite_error (int code)
{
  switch ((HlInviteError) code)
    {
    case HL_INVITE_ERROR_MALFORMED:
      return _("This is not a whole invite link. Ask your friend to send it again.");
    case HL_INVITE_ERROR_FORGED:
      return _("This invite link was changed after it was made, so it cannot be trusted.");
    case HL_INVITE_ERROR_EXPIRED:
      return _("This invite has expired. Ask your friend for a new one.");
    case HL_INVITE_ERROR_USED_UP:
      return _("This invite was already used. Ask your friend for a new one.");
    case HL_INVITE_ERROR_UNKNOWN:
      return _("Your friend’s computer does not know this invite. Ask for a new one.");
    case HL_INVITE_ERROR_WRONG_NODE:
      return _("This invite leads to another computer than the one that made it.");
    case HL_INVITE_ERROR_UNREACHABLE:
      return _("Your friend’s computer could not be reached yet.");
    case HL_INVITE_ERROR_OWN:
      return _("This invite was made on this computer. Send it to a friend instead.");
    case HL_INVITE_ERROR_NO_ADDRESS:   /* hl-window-invite.c says it itself */
    case HL_INVITE_ERROR_FAILED:
    default:
      return NULL;
    }
}

static const char *
describe_core_error (int code)
{
  switch ((HlCoreError) code)
    {
    case HL_CORE_ERROR_TOO_LARGE:
      return _("The text is too long.");
    case HL_CORE_ERROR_INVALID_BODY:
      return _("Some of the text is not allowed (too long, empty, or with control characters).");
    case HL_CORE_ERROR_NOT_FOUND:
      return _("It is no longer here: it was deleted, or has not reached this computer.");
    case HL_CORE_ERROR_PERMISSION:
      return _("You may not do that here.");
    case HL_CORE_ERROR_IO:
    case HL_CORE_ERROR_DATABASE:
      return _("The forum on this computer could not be read or written.");
    case HL_CORE_ERROR_MALFORMED:
    case HL_CORE_ERROR_VERSION:
    case HL_CORE_ERROR_BAD_ID:
    case HL_CORE_ERROR_BAD_SIGNATURE:
    case HL_CORE_ERROR_FUTURE:
    case HL_CORE_ERROR_AMBIGUOUS:
    default:
      return NULL;
    }
}

/* A sentence for a person, or NULL when the window has none for @error. */
const char *
hl_window_describe_error (const GError *error)
{
  if (error->domain == HL_INVITE_ERROR)
    return describe_invite_error (error->code);
  if (error->domain == HL_CORE_ERROR)
    return describe_core_error (error->code);
  return NULL;
}

static void
on_details_cb (AdwToast *toast,
               HlWindow *self)
{
  const char *heading = g_object_get_data (G_OBJECT (toast), "hl-heading");
  const char *sentence = g_object_get_data (G_OBJECT (toast), "hl-sentence");
  const char *detail = g_object_get_data (G_OBJECT (toast), "hl-detail");
  GtkWidget *dialog = hl_alert_new (heading, sentence);
  GtkWidget *expander = gtk_expander_new_with_mnemonic (_("_Technical Details"));
  GtkWidget *label = gtk_label_new (detail);

  gtk_widget_set_name (dialog, "error_details_dialog");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_expander_set_child (GTK_EXPANDER (expander), label);
  hl_alert_set_extra_child (dialog, expander);
  hl_alert_add_response (dialog, "close", _("_Close"));
  hl_window_present_alert (self, dialog);
}

void
hl_window_toast_error (HlWindow   *self,
                       const char *what,
                       GError     *error)
{
  const char *sentence = hl_window_describe_error (error);
  AdwToast *toast = adw_toast_new (sentence != NULL ? sentence : what);

  /* The error's own words: in the journal, where a bug report can quote it,
   * and behind Details. */
  g_message ("%s: %s", what, error->message);
  g_free (self->last_toast);
  self->last_toast = g_strdup (adw_toast_get_title (toast));
  g_object_set_data_full (G_OBJECT (toast), "hl-heading", g_strdup (what), g_free);
  g_object_set_data_full (G_OBJECT (toast), "hl-sentence", g_strdup (sentence), g_free);
  g_object_set_data_full (G_OBJECT (toast), "hl-detail", g_strdup (error->message), g_free);
  adw_toast_set_button_label (toast, _("_Details"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_details_cb), self, 0);
  adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
