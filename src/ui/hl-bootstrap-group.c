/* hl-bootstrap-group.c: the bootstrap nodes in Preferences.
 *
 * Every change goes to the store on a worker and the list is then read
 * back from it, so what is shown is what the node will dial, whoever else
 * (hyperlinkctl) changed it meanwhile.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-bootstrap-group.h"

#include "hl-preferences-window.h"

#include "hl-store-discovery.h"
#include "hl-sync-wire.h"

struct _HlBootstrapGroup
{
  AdwPreferencesGroup  parent_instance;

  HlForum             *forum;
  GCancellable        *cancellable;
  GPtrArray           *rows;      /* AdwActionRow, one per address */
  guint                loads;
  char                *message;   /* the last toast */

  AdwEntryRow         *entry;
};

G_DEFINE_FINAL_TYPE (HlBootstrapGroup, hl_bootstrap_group, ADW_TYPE_PREFERENCES_GROUP)

typedef enum
{
  CHANGE_ADD,
  CHANGE_REMOVE,
} ChangeKind;

typedef struct
{
  ChangeKind  kind;
  char       *address;
} Change;

static void reload (HlBootstrapGroup *self);

static void
change_free (Change *change)
{
  g_free (change->address);
  g_free (change);
}

static void
toast (HlBootstrapGroup *self,
       const char       *text)
{
  g_free (self->message);
  self->message = g_strdup (text);
  hl_preferences_window_toast (GTK_WIDGET (self), text);
}

/* ---- the list ---- */

static gpointer
list_func (HlForum       *forum,
           HlStore       *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return hl_store_bootstrap_list (store, error);
}

static GtkWidget *
make_row (const char *address)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), address);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove this bootstrap node"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "bootstrap.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", address);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static void
on_list_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlBootstrapGroup *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      GtkWidget *row = make_row (g_ptr_array_index (list, i));

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
  self->loads++;
  if (list == NULL)
    {
      /* Translators: %s says why */
      g_autofree char *text = g_strdup_printf (_("Could not read the bootstrap nodes: %s"),
                                               error->message);

      toast (self, text);
    }
}

static void
reload (HlBootstrapGroup *self)
{
  hl_forum_run_async (self->forum, list_func, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                      self->cancellable, on_list_loaded_cb, self);
}

/* ---- changes ---- */

static gpointer
change_func (HlForum       *forum,
             HlStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Change *change = data;
  gboolean changed = FALSE;

  if (change->kind == CHANGE_ADD
      ? !hl_store_bootstrap_add (store, change->address, &changed, error)
      : !hl_store_bootstrap_remove (store, change->address, &changed, error))
    return NULL;
  return GINT_TO_POINTER (changed ? 2 : 1);
}

static void
on_changed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer done = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlBootstrapGroup *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (done == NULL)
    {
      /* Translators: %s says why */
      g_autofree char *text = g_strdup_printf (_("Could not change the bootstrap nodes: %s"),
                                               error->message);

      toast (self, text);
    }
  else if (GPOINTER_TO_INT (done) == 1)
    toast (self, _("Nothing changed: that bootstrap node was already listed"));
  else
    toast (self, _("Bootstrap nodes saved; the sync engine uses them within a second"));
  reload (self);
}

static void
run_change (HlBootstrapGroup *self,
            ChangeKind        kind,
            const char       *address)
{
  Change *change = g_new0 (Change, 1);

  change->kind = kind;
  change->address = g_strdup (address);
  hl_forum_run_async (self->forum, change_func, change, (GDestroyNotify) change_free, NULL,
                      self->cancellable, on_changed_cb, self);
}

static void
on_entry_apply_cb (HlBootstrapGroup *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  g_autofree char *url = NULL;
  g_autofree char *normal = NULL;
  g_autoptr(GError) error = NULL;

  if (self->forum == NULL || text[0] == '\0')
    return;
  url = strstr (text, "://") ? g_strdup (text) : g_strconcat ("ws://", text, NULL);
  if (!(normal = hl_sync_normalize_address (url, &error)))
    {
      /* Translators: %s says why, e.g. “x” is not a peer address: write it as ws://HOST:PORT */
      g_autofree char *message = g_strdup_printf (_("Nothing saved: %s"), error->message);

      toast (self, message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  run_change (self, CHANGE_ADD, normal);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HlBootstrapGroup *self = HL_BOOTSTRAP_GROUP (widget);

  if (self->forum != NULL)
    run_change (self, CHANGE_REMOVE, g_variant_get_string (parameter, NULL));
}

/* ---- GObject ---- */

static void
hl_bootstrap_group_dispose (GObject *object)
{
  HlBootstrapGroup *self = HL_BOOTSTRAP_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->forum);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_BOOTSTRAP_GROUP);
  G_OBJECT_CLASS (hl_bootstrap_group_parent_class)->dispose (object);
}

static void
hl_bootstrap_group_finalize (GObject *object)
{
  HlBootstrapGroup *self = HL_BOOTSTRAP_GROUP (object);

  g_clear_object (&self->cancellable);
  g_free (self->message);
  G_OBJECT_CLASS (hl_bootstrap_group_parent_class)->finalize (object);
}

static void
hl_bootstrap_group_class_init (HlBootstrapGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_bootstrap_group_dispose;
  object_class->finalize = hl_bootstrap_group_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/thehyperlink/Hyperlink/hl-bootstrap-group.ui");
  gtk_widget_class_bind_template_child (widget_class, HlBootstrapGroup, entry);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_apply_cb);
  gtk_widget_class_install_action (widget_class, "bootstrap.remove", "s", remove_action);
}

static void
hl_bootstrap_group_init (HlBootstrapGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
}

/* ---- public API ---- */

void
hl_bootstrap_group_set_forum (HlBootstrapGroup *self,
                              HlForum          *forum)
{
  g_return_if_fail (HL_IS_BOOTSTRAP_GROUP (self));
  g_return_if_fail (forum == NULL || HL_IS_FORUM (forum));

  if (self->forum == forum)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->forum, forum);
  if (forum != NULL)
    reload (self);
}

char **
hl_bootstrap_group_dup_shown (HlBootstrapGroup *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (HL_IS_BOOTSTRAP_GROUP (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    g_strv_builder_add (builder,
                        adw_preferences_row_get_title (g_ptr_array_index (self->rows, i)));
  return g_strv_builder_end (builder);
}

guint
hl_bootstrap_group_get_loads (HlBootstrapGroup *self)
{
  g_return_val_if_fail (HL_IS_BOOTSTRAP_GROUP (self), 0);
  return self->loads;
}

const char *
hl_bootstrap_group_get_message (HlBootstrapGroup *self)
{
  g_return_val_if_fail (HL_IS_BOOTSTRAP_GROUP (self), NULL);
  return self->message;
}
