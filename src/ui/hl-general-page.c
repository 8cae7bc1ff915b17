/* hl-general-page.c: the General page of Preferences: display name, listen
 * port, manual peers, bootstrap nodes and the data directory.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-general-page.h"

#include "hl-event.h"
#include "hl-json.h"
#include "hl-preferences-window.h"
#include "hl-store-sync.h"
#include "hl-sync-wire.h"
#include "hl-ui-util.h"

struct _HlGeneralPage
{
  AdwPreferencesPage    parent_instance;

  HlForum              *forum;
  GSettings            *settings;
  GCancellable         *cancellable;

  AdwEntryRow          *name_row;
  GtkLabel             *key_label;
  GtkSpinButton        *port_spin;
  AdwEntryRow          *peers_row;
  GtkLabel             *data_dir_label;
  HlBootstrapGroup     *bootstrap_group;
};

G_DEFINE_FINAL_TYPE (HlGeneralPage, hl_general_page, ADW_TYPE_PREFERENCES_PAGE)

static gpointer
get_name_func (HlForum       *forum,
               HlStore       *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(HlProfileRow) row = hl_store_get_profile (store, hl_forum_get_key (forum), NULL);

  return g_strdup (row != NULL && row->name != NULL ? row->name : "");
}

static void
on_name_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree char *name = hl_forum_run_finish (HL_FORUM (object), result, NULL);
  HlGeneralPage *self = user_data;

  if (name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
}

static void
on_name_published_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = hl_forum_publish_finish (HL_FORUM (object), result, &error);
  HlGeneralPage *self = user_data;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (id == NULL)
    /* Translators: %s says why */
    text = g_strdup_printf (_("Could not change your name: %s"), error->message);
  else
    text = g_strdup (_("Name changed; peers see it after their next sync"));
  hl_preferences_window_toast (GTK_WIDGET (self), text);
}

static void
on_name_apply_cb (HlGeneralPage *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *body = NULL;

  if (name[0] == '\0')
    {
      hl_preferences_window_toast (GTK_WIDGET (self), _("A display name cannot be empty"));
      return;
    }
  body = hl_json_body ("name", name, NULL);
  hl_forum_publish_async (self->forum, HL_KIND_PROFILE, NULL, body, self->cancellable,
                          on_name_published_cb, self);
}

/* Manual peers live in the data directory (the store's sync_peers), where
 * `hyperlinkctl peer add` puts them and every node on it reads them. */
static gpointer
list_peers_func (HlForum       *forum,
                 HlStore       *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GPtrArray) peers = hl_store_sync_list_peers (store, error);

  if (peers == NULL)
    return NULL;
  g_ptr_array_add (peers, NULL);
  return g_strjoinv (", ", (char **) peers->pdata);
}

static void
on_peers_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree char *joined = hl_forum_run_finish (HL_FORUM (object), result, NULL);
  HlGeneralPage *self = user_data;

  if (joined != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->peers_row), joined);
}

static gpointer
set_peers_func (HlForum       *forum,
                HlStore       *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  const char * const *wanted = data;
  g_autoptr(GPtrArray) stored = hl_store_sync_list_peers (store, error);

  if (stored == NULL)
    return NULL;
  for (guint i = 0; i < stored->len; i++)
    if (!g_strv_contains (wanted, g_ptr_array_index (stored, i)) &&
        !hl_store_sync_remove_peer (store, g_ptr_array_index (stored, i), NULL, error))
      return NULL;
  for (guint i = 0; wanted[i] != NULL; i++)
    if (!hl_store_sync_add_peer (store, wanted[i], NULL, error))
      return NULL;
  return GINT_TO_POINTER (1);
}

static void
on_peers_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  HlGeneralPage *self = user_data;
  g_autofree char *text = NULL;

  if (hl_forum_run_finish (HL_FORUM (object), result, &error) != NULL)
    text = g_strdup (_("Peers saved; the sync engine dials them within a second"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    /* Translators: %s says why */
    text = g_strdup_printf (_("Could not save the peers: %s"), error->message);
  hl_preferences_window_toast (GTK_WIDGET (self), text);
}

static void
on_peers_apply_cb (HlGeneralPage *self)
{
  g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->peers_row)), ",",
                                    -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;
      g_autofree char *normal = NULL;

      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        continue;
      url = strstr (parts[i], "://") ? g_strdup (parts[i]) : g_strconcat ("ws://", parts[i], NULL);
      if (!(normal = hl_sync_normalize_address (url, &error)))
        {
          /* Translators: %s is “x” is not a peer address: write it as ws://HOST:PORT */
          g_autofree char *text = g_strdup_printf (_("Nothing saved: %s"), error->message);

          hl_preferences_window_toast (GTK_WIDGET (self), text);
          return;
        }
      g_strv_builder_add (builder, normal);
    }
  hl_forum_run_async (self->forum, set_peers_func, g_strv_builder_end (builder),
                      (GDestroyNotify) g_strfreev, NULL, self->cancellable, on_peers_saved_cb,
                      self);
}

static void
hl_general_page_dispose (GObject *object)
{
  HlGeneralPage *self = HL_GENERAL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* The group may outlive this page for a while: it lets go of the forum
   * now, as this page does. */
  if (self->bootstrap_group != NULL)
    hl_bootstrap_group_set_forum (self->bootstrap_group, NULL);
  g_clear_object (&self->forum);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_GENERAL_PAGE);

  G_OBJECT_CLASS (hl_general_page_parent_class)->dispose (object);
}

static void
hl_general_page_finalize (GObject *object)
{
  HlGeneralPage *self = HL_GENERAL_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hl_general_page_parent_class)->finalize (object);
}

static void
hl_general_page_class_init (HlGeneralPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_general_page_dispose;
  object_class->finalize = hl_general_page_finalize;

  g_type_ensure (HL_TYPE_BOOTSTRAP_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-general-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HlGeneralPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, HlGeneralPage, key_label);
  gtk_widget_class_bind_template_child (widget_class, HlGeneralPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, HlGeneralPage, peers_row);
  gtk_widget_class_bind_template_child (widget_class, HlGeneralPage, data_dir_label);
  gtk_widget_class_bind_template_child (widget_class, HlGeneralPage, bootstrap_group);
  gtk_widget_class_bind_template_callback (widget_class, on_name_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_peers_apply_cb);
}

static void
hl_general_page_init (HlGeneralPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

HlBootstrapGroup *
hl_general_page_get_bootstrap (HlGeneralPage *self)
{
  g_return_val_if_fail (HL_IS_GENERAL_PAGE (self), NULL);
  return self->bootstrap_group;
}

HlGeneralPage *
hl_general_page_new (HlForum *forum)
{
  HlGeneralPage *self;

  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_GENERAL_PAGE, NULL);
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "general");
  self->forum = g_object_ref (forum);
  gtk_label_set_label (self->key_label, hl_forum_get_key_hex (forum));
  gtk_label_set_label (self->data_dir_label, hl_forum_get_data_dir (forum));
  hl_bootstrap_group_set_forum (self->bootstrap_group, forum);
  if ((self->settings = hl_ui_settings_new ()) != NULL)
    g_settings_bind (self->settings, "listen-port", self->port_spin, "value",
                     G_SETTINGS_BIND_DEFAULT);
  hl_forum_run_async (forum, get_name_func, NULL, NULL, g_free, self->cancellable,
                      on_name_loaded_cb, self);
  hl_forum_run_async (forum, list_peers_func, NULL, NULL, g_free, self->cancellable,
                      on_peers_loaded_cb, self);
  return self;
}
