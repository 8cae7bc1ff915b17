/* hl-composer.c: the dialog that writes a subnet, thread, reply or edit.
 *
 * What is typed is never lost: closing the dialog, or the whole window, keeps
 * it as the draft (in GSettings, with what it answers), and opening a composer
 * for the same thread or subnet again brings it back. A failed send keeps the
 * text too and says what to do.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-composer.h"

#include "hl-event.h"
#include "hl-json.h"
#include "hl-ui-util.h"

struct _HlComposer
{
  AdwWindow        parent_instance;

  HlForum         *forum;
  GSettings       *settings;
  GCancellable    *cancellable;
  HlComposeKind    kind;
  char            *ref;
  char            *target;
  gboolean         with_title;
  gboolean         busy;
  gboolean         sent;
  guint            save_source;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkWidget       *title_box;
  AdwEntryRow     *title_row;
  GtkTextView     *body_view;
  GtkButton       *send_button;
  GtkLabel        *hint_label;
};

G_DEFINE_FINAL_TYPE (HlComposer, hl_composer, ADW_TYPE_WINDOW)

enum {
  SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_body (HlComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
toast (HlComposer *self,
       const char *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* Edits are not drafts: the post itself holds the old text. */
static void
save_draft (HlComposer *self)
{
  g_autofree char *body = dup_body (self);
  g_autofree char *stripped = g_strstrip (g_strdup (body));
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  g_autofree char *kept = NULL;

  if (self->kind == HL_COMPOSE_EDIT || self->settings == NULL)
    return;
  kept = g_settings_get_string (self->settings, "draft-target");
  if (self->sent || (stripped[0] == '\0' && title[0] == '\0'))
    {
      if (g_str_equal (kept, self->target))
        {
          g_settings_set_string (self->settings, "draft-target", "");
          g_settings_set_string (self->settings, "draft-title", "");
          g_settings_set_string (self->settings, "draft-body", "");
        }
      return;
    }
  g_settings_set_string (self->settings, "draft-target", self->target);
  g_settings_set_string (self->settings, "draft-title", title);
  g_settings_set_string (self->settings, "draft-body", body);
}

static gboolean
save_draft_cb (gpointer user_data)
{
  HlComposer *self = user_data;

  self->save_source = 0;
  save_draft (self);
  return G_SOURCE_REMOVE;
}

/* Saved while typing too, so a crash loses a second of text, not all of it. */
/* Send (Create, Save) is enabled only for a form that can be sent: a name
 * or title where one is asked for, text for a reply or an edit. */
static void
update_send_enabled (HlComposer *self)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  g_autofree char *text = dup_body (self);
  gboolean needs_text = self->kind == HL_COMPOSE_REPLY || self->kind == HL_COMPOSE_EDIT;
  gboolean valid = (!self->with_title || title[0] != '\0') &&
                   (!needs_text || g_strstrip (text)[0] != '\0');

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send", valid && !self->busy);
}

static void
on_text_changed_cb (HlComposer *self)
{
  update_send_enabled (self);
  if (self->save_source == 0 && !self->sent)
    self->save_source = g_timeout_add_seconds (1, save_draft_cb, self);
}

static void
set_busy (HlComposer *self,
          gboolean    busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->title_box), !busy);
  gtk_text_view_set_editable (self->body_view, !busy);
  update_send_enabled (self);
}

static void
on_publish_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HlComposer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = hl_forum_publish_finish (HL_FORUM (object), result, &error);
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (id == NULL)
    {
      /* Translators: %s says why; the text stays in the composer */
      message = g_strdup_printf (_("Not sent: %s. Your text is kept: fix it or try again."),
                                 error->message);
      toast (self, message);
      return;
    }
  self->sent = TRUE;
  save_draft (self);
  g_signal_emit (self, signals[SENT], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HlComposer *self = HL_COMPOSER (widget);
  g_autofree char *text = dup_body (self);
  g_autofree char *body = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  guint8 ref[HL_ID_LEN];
  const char *kind = NULL;

  if (self->busy)
    return;
  if (self->with_title && title[0] == '\0')
    {
      toast (self, self->kind == HL_COMPOSE_SUBNET ? _("Give the subnet a name first")
                                                   : _("Give the thread a title first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
      return;
    }
  if (self->kind != HL_COMPOSE_SUBNET && stripped[0] == '\0' && self->kind != HL_COMPOSE_THREAD)
    {
      toast (self, _("Write something first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
      return;
    }

  switch (self->kind)
    {
    case HL_COMPOSE_SUBNET:
      kind = HL_KIND_SUBNET_CREATE;
      body = hl_json_body ("name", title, "description", stripped[0] ? stripped : NULL, NULL);
      break;
    case HL_COMPOSE_THREAD:
      kind = HL_KIND_THREAD_CREATE;
      body = hl_json_body ("title", title, "body", stripped, NULL);
      break;
    case HL_COMPOSE_REPLY:
      kind = HL_KIND_REPLY_CREATE;
      body = hl_json_body ("body", stripped, NULL);
      break;
    case HL_COMPOSE_EDIT:
      kind = HL_KIND_EDIT;
      body = hl_json_body ("title", self->with_title ? title : NULL, "body", stripped, NULL);
      break;
    default:
      g_assert_not_reached ();
    }

  if (self->ref != NULL && !hl_hex_decode (self->ref, ref, HL_ID_LEN))
    {
      toast (self,
             _("Not sent: what this answers is no longer known. Copy your text and start again."));
      return;
    }
  set_busy (self, TRUE);
  hl_forum_publish_async (self->forum, kind, self->ref != NULL ? ref : NULL, body,
                          self->cancellable, on_publish_done_cb, g_object_ref (self));
}

static void
hl_composer_dispose (GObject *object)
{
  HlComposer *self = HL_COMPOSER (object);

  /* Runs when the dialog closes and when its parent window is destroyed. */
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->forum != NULL)
    save_draft (self);
  /* A focused entry still blinking its cursor warns when disposed. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->forum);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_COMPOSER);

  G_OBJECT_CLASS (hl_composer_parent_class)->dispose (object);
}

static void
hl_composer_finalize (GObject *object)
{
  HlComposer *self = HL_COMPOSER (object);

  g_clear_object (&self->cancellable);
  g_free (self->ref);
  g_free (self->target);

  G_OBJECT_CLASS (hl_composer_parent_class)->finalize (object);
}

static void
hl_composer_class_init (HlComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_composer_dispose;
  object_class->finalize = hl_composer_finalize;

  signals[SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, HlComposer, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HlComposer, window_title);
  gtk_widget_class_bind_template_child (widget_class, HlComposer, title_box);
  gtk_widget_class_bind_template_child (widget_class, HlComposer, title_row);
  gtk_widget_class_bind_template_child (widget_class, HlComposer, body_view);
  gtk_widget_class_bind_template_child (widget_class, HlComposer, send_button);
  gtk_widget_class_bind_template_child (widget_class, HlComposer, hint_label);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, send_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_composer_init (HlComposer *self)
{
  GtkEventController *shortcuts;
  GtkShortcutTrigger *trigger;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* Capture phase: the text view would take Ctrl+Enter as a new line. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                         gtk_keyval_trigger_new (GDK_KEY_KP_Enter,
                                                                 GDK_CONTROL_MASK));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger,
                                                          gtk_named_action_new ("composer.send")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

HlComposer *
hl_composer_new (GtkWindow     *parent,
                 HlForum       *forum,
                 HlComposeKind  kind,
                 const char    *ref,
                 gboolean       with_title,
                 const char    *title,
                 const char    *body)
{
  HlComposer *self;
  g_autofree char *kept = NULL;
  const char *heading = NULL;
  const char *hint = NULL;
  const char *prefix = NULL;

  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_COMPOSER, "transient-for", parent, NULL);
  self->forum = g_object_ref (forum);
  self->kind = kind;
  self->ref = g_strdup (ref);
  self->with_title = with_title || kind == HL_COMPOSE_SUBNET || kind == HL_COMPOSE_THREAD;

  switch (kind)
    {
    case HL_COMPOSE_SUBNET:
      prefix = "subnet";
      heading = _("New Subnet");
      hint = _("Describe what the subnet is about below. Everyone who syncs with you will see it.");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->title_row), _("Name"));
      gtk_button_set_label (self->send_button, _("_Create"));
      break;
    case HL_COMPOSE_THREAD:
      prefix = "thread";
      heading = _("New Thread");
      hint = _("Ctrl+Enter sends. Peers get the thread the next time they sync with you.");
      break;
    case HL_COMPOSE_REPLY:
      prefix = "reply";
      heading = _("Reply");
      hint = _("Ctrl+Enter sends. Closing keeps your text as a draft.");
      break;
    case HL_COMPOSE_EDIT:
      prefix = "edit";
      heading = _("Edit Post");
      gtk_button_set_label (self->send_button, _("_Save"));
      hint = _("Peers that already have the post get the new version when they next sync.");
      break;
    default:
      g_assert_not_reached ();
    }
  self->target = g_strdup_printf ("%s:%s", prefix, ref != NULL ? ref : "");
  adw_window_title_set_title (self->window_title, heading);
  gtk_window_set_title (GTK_WINDOW (self), heading);
  gtk_label_set_label (self->hint_label, hint);
  gtk_widget_set_visible (self->title_box, self->with_title);

  /* GSettings only when the schema is there: uninstalled runs without it still post. */
  self->settings = hl_ui_settings_new ();

  if (kind != HL_COMPOSE_EDIT && self->settings != NULL)
    {
      kept = g_settings_get_string (self->settings, "draft-target");
      if (g_str_equal (kept, self->target))
        {
          g_autofree char *kept_title = g_settings_get_string (self->settings, "draft-title");
          g_autofree char *kept_body = g_settings_get_string (self->settings, "draft-body");

          hl_composer_set_text (self, kept_title, kept_body);
        }
    }
  if (title != NULL || body != NULL)
    hl_composer_set_text (self, title, body);
  g_signal_connect_object (gtk_text_view_get_buffer (self->body_view), "changed",
                           G_CALLBACK (on_text_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->title_row, "changed",
                           G_CALLBACK (on_text_changed_cb), self, G_CONNECT_SWAPPED);

  update_send_enabled (self);
  gtk_widget_grab_focus (self->with_title ? GTK_WIDGET (self->title_row)
                                          : GTK_WIDGET (self->body_view));
  return self;
}

void
hl_composer_set_context (HlComposer *self,
                         const char *context)
{
  g_return_if_fail (HL_IS_COMPOSER (self));
  adw_window_title_set_subtitle (self->window_title, context);
}

void
hl_composer_set_text (HlComposer *self,
                      const char *title,
                      const char *body)
{
  g_return_if_fail (HL_IS_COMPOSER (self));

  if (title != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
  if (body != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), body, -1);
}

char *
hl_composer_dup_title (HlComposer *self)
{
  g_return_val_if_fail (HL_IS_COMPOSER (self), NULL);
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
}

char *
hl_composer_dup_body (HlComposer *self)
{
  g_return_val_if_fail (HL_IS_COMPOSER (self), NULL);
  return dup_body (self);
}

const char *
hl_composer_get_target (HlComposer *self)
{
  g_return_val_if_fail (HL_IS_COMPOSER (self), NULL);
  return self->target;
}

gboolean
hl_composer_get_busy (HlComposer *self)
{
  g_return_val_if_fail (HL_IS_COMPOSER (self), FALSE);
  return self->busy;
}

gboolean
hl_composer_parse_target (const char     *target,
                          HlComposeKind  *kind,
                          char          **ref)
{
  static const struct { const char *prefix; HlComposeKind kind; } kinds[] = {
    { "subnet:", HL_COMPOSE_SUBNET },
    { "thread:", HL_COMPOSE_THREAD },
    { "reply:", HL_COMPOSE_REPLY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_prefix (target, kinds[i].prefix))
      {
        const char *hex = target + strlen (kinds[i].prefix);

        if (kinds[i].kind != HL_COMPOSE_SUBNET && strlen (hex) != HL_ID_HEX_LEN)
          return FALSE;
        *kind = kinds[i].kind;
        *ref = kinds[i].kind == HL_COMPOSE_SUBNET ? NULL : g_strdup (hex);
        return TRUE;
      }
  return FALSE;
}
