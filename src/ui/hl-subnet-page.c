/* hl-subnet-page.c: a subnet's settings, for its owner.
 *
 * Name and description are saved together with "Save", enabled once one of
 * them differs and the name is not empty. Moderators are listed from the
 * store (again whenever the forum changes) and added by key or removed with
 * one event each: the store refuses anyone but the owner, and the toast says
 * so in words (hl_window_describe_error()).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-subnet-page.h"

#include "hl-event.h"
#include "hl-json.h"
#include "hl-store.h"
#include "hl-ui-util.h"
#include "hl-window-private.h"

struct _HlSubnetPage
{
  AdwPreferencesPage  parent_instance;

  HlForum            *forum;
  GCancellable       *cancellable;
  guint8              subnet[HL_ID_LEN];
  char               *saved_name;
  char               *saved_description;
  AdwEntryRow        *name_row;
  AdwEntryRow        *description_row;
  GtkWidget          *save_button;
  AdwPreferencesGroup *moderator_group;
  AdwEntryRow        *add_row;
  GPtrArray          *moderator_rows;   /* AdwActionRow, in moderator_group */
  GPtrArray          *moderators;       /* HlProfileRow, as last listed */
};

G_DEFINE_FINAL_TYPE (HlSubnetPage, hl_subnet_page, ADW_TYPE_PREFERENCES_PAGE)

enum { SIGNAL_TOAST, N_SIGNALS };
static guint signals[N_SIGNALS];

static void load_moderators (HlSubnetPage *self);

static void
toast (HlSubnetPage *self,
       const char   *text)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
}

static void
toast_error (HlSubnetPage *self,
             const char   *what,
             const GError *error)
{
  const char *why = hl_window_describe_error (error);
  g_autofree char *text = why != NULL ? g_strdup_printf ("%s: %s", what, why) : g_strdup (what);

  g_message ("%s: %s", what, error->message);
  toast (self, text);
}

/* --- publishing, with a toast at the end --- */

typedef struct
{
  HlSubnetPage *page;   /* a reference */
  char         *done;
  char         *failed;
} Change;

static void
change_free (Change *c)
{
  g_object_unref (c->page);
  g_free (c->done);
  g_free (c->failed);
  g_free (c);
}

static void
on_change_published_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = hl_forum_publish_finish (HL_FORUM (object), result, &error);
  Change *c = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;
  else if (id == NULL)
    toast_error (c->page, c->failed, error);
  else
    toast (c->page, c->done);
  change_free (c);
}

static void
publish (HlSubnetPage *self,
         const char   *kind,
         const char   *body,
         const char   *done,
         const char   *failed)
{
  Change *c = g_new0 (Change, 1);

  c->page = g_object_ref (self);
  c->done = g_strdup (done);
  c->failed = g_strdup (failed);
  hl_forum_publish_async (self->forum, kind, self->subnet, body, self->cancellable,
                          on_change_published_cb, c);
}

/* --- name and description --- */

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
update_save_button (HlSubnetPage *self)
{
  g_autofree char *name = row_text (self->name_row);
  g_autofree char *description = row_text (self->description_row);
  gboolean changed = g_strcmp0 (name, self->saved_name) != 0 ||
                     g_strcmp0 (description, self->saved_description) != 0;

  gtk_widget_set_sensitive (self->save_button, changed && name[0] != '\0');
}

static void
on_save_clicked_cb (HlSubnetPage *self)
{
  g_autofree char *name = row_text (self->name_row);
  g_autofree char *description = row_text (self->description_row);
  g_autofree char *body = NULL;

  if (name[0] == '\0')
    return;
  /* An empty description clears it: the member is sent, empty. */
  body = hl_json_body ("name", name, "description", description, NULL);
  publish (self, HL_KIND_SUBNET_UPDATE, body, _("Subnet saved"), _("Could not save the subnet"));
  g_free (self->saved_name);
  self->saved_name = g_steal_pointer (&name);
  g_free (self->saved_description);
  self->saved_description = g_steal_pointer (&description);
  update_save_button (self);
}

/* --- moderators --- */

static void
change_moderator (HlSubnetPage *self,
                  const char   *kind,
                  const guint8 *key)
{
  g_autofree char *hex = hl_hex_dup (key, HL_KEY_LEN);
  g_autofree char *body = hl_json_body ("key", hex, NULL);
  gboolean add = g_str_equal (kind, HL_KIND_MODERATOR_ADD);

  publish (self, kind, body, add ? _("Moderator added") : _("Moderator removed"),
           _("Could not change the moderators"));
}

static void
on_remove_clicked_cb (GtkButton    *button,
                      HlSubnetPage *self)
{
  const guint8 *key = g_object_get_data (G_OBJECT (button), "key");

  change_moderator (self, HL_KIND_MODERATOR_REMOVE, key);
}

static void
show_moderators (HlSubnetPage *self)
{
  for (guint i = 0; i < self->moderator_rows->len; i++)
    adw_preferences_group_remove (self->moderator_group,
                                  g_ptr_array_index (self->moderator_rows, i));
  g_ptr_array_set_size (self->moderator_rows, 0);
  for (guint i = 0; self->moderators != NULL && i < self->moderators->len; i++)
    {
      const HlProfileRow *m = g_ptr_array_index (self->moderators, i);
      g_autofree char *name = hl_format_author (m->name, m->author);
      g_autofree char *key = hl_hex_dup (m->author, HL_KEY_LEN);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), key);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      gtk_widget_set_tooltip_text (remove, _("Remove this moderator"));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data_full (G_OBJECT (remove), "key", g_memdup2 (m->author, HL_KEY_LEN),
                              g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->moderator_group, row);
      g_ptr_array_add (self->moderator_rows, row);
    }
}

static gpointer
list_moderators_func (HlForum       *forum,
                      HlStore       *store,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return hl_store_list_moderators (store, data, error);
}

static void
on_moderators_listed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlSubnetPage *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* @self may be gone */
  if (rows == NULL)
    {
      g_message ("Listing moderators: %s", error->message);
      return;
    }
  g_clear_pointer (&self->moderators, g_ptr_array_unref);
  self->moderators = rows;
  show_moderators (self);
}

static void
load_moderators (HlSubnetPage *self)
{
  hl_forum_run_async (self->forum, list_moderators_func, g_memdup2 (self->subnet, HL_ID_LEN),
                      g_free, (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                      on_moderators_listed_cb, self);
}

/* A key (or the start of one) of someone who has posted or has a profile
 * here: the store finds who it is. */
static gpointer
resolve_author_func (HlForum       *forum,
                     HlStore       *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  guint8 key[HL_KEY_LEN];

  if (!hl_store_resolve_author (store, data, key, error))
    return NULL;
  return g_memdup2 (key, HL_KEY_LEN);
}

static void
on_author_resolved_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *key = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlSubnetPage *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (key == NULL)
    {
      g_message ("Adding a moderator: %s", error->message);
      toast (self, _("Nobody here has that key: copy it from their Preferences"));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
  change_moderator (self, HL_KIND_MODERATOR_ADD, key);
}

static void
on_add_applied_cb (HlSubnetPage *self)
{
  g_autofree char *text = row_text (self->add_row);

  if (text[0] == '\0')
    return;
  hl_forum_run_async (self->forum, resolve_author_func, g_steal_pointer (&text), g_free, g_free,
                      self->cancellable, on_author_resolved_cb, self);
}

/* --- the page --- */

static GtkWidget *
build_entry_row (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static void
build (HlSubnetPage *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (self);
  GtkWidget *about = adw_preferences_group_new ();
  GtkWidget *moderators = adw_preferences_group_new ();

  adw_preferences_page_set_title (page, _("Subnet"));
  adw_preferences_page_set_icon_name (page, "document-properties-symbolic");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (about), _("About the Subnet"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (about),
                                         _("Everyone who syncs with you sees the change."));
  self->name_row = ADW_ENTRY_ROW (build_entry_row (_("Name")));
  self->description_row = ADW_ENTRY_ROW (build_entry_row (_("Description")));
  gtk_widget_set_name (GTK_WIDGET (self->name_row), "subnet_name");
  gtk_widget_set_name (GTK_WIDGET (self->description_row), "subnet_description");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (about), GTK_WIDGET (self->name_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (about), GTK_WIDGET (self->description_row));
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_set_name (self->save_button, "subnet_save");
  gtk_widget_set_valign (self->save_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (about), self->save_button);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (about));

  self->moderator_group = ADW_PREFERENCES_GROUP (moderators);
  adw_preferences_group_set_title (self->moderator_group, _("Moderators"));
  adw_preferences_group_set_description (self->moderator_group,
                                         _("They may hide posts in this subnet. You always may."));
  self->add_row = ADW_ENTRY_ROW (build_entry_row (_("Add a Moderator by Their Device Key")));
  gtk_widget_set_name (GTK_WIDGET (self->add_row), "moderator_add");
  adw_entry_row_set_show_apply_button (self->add_row, TRUE);
  adw_preferences_group_add (self->moderator_group, GTK_WIDGET (self->add_row));
  adw_preferences_page_add (page, self->moderator_group);

  g_signal_connect_object (self->name_row, "changed", G_CALLBACK (update_save_button), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->description_row, "changed", G_CALLBACK (update_save_button),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->name_row, "entry-activated", G_CALLBACK (on_save_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->save_button, "clicked", G_CALLBACK (on_save_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_row, "apply", G_CALLBACK (on_add_applied_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_row, "entry-activated", G_CALLBACK (on_add_applied_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
hl_subnet_page_dispose (GObject *object)
{
  HlSubnetPage *self = HL_SUBNET_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (hl_subnet_page_parent_class)->dispose (object);
}

static void
hl_subnet_page_finalize (GObject *object)
{
  HlSubnetPage *self = HL_SUBNET_PAGE (object);

  g_clear_object (&self->forum);
  g_clear_object (&self->cancellable);
  g_free (self->saved_name);
  g_free (self->saved_description);
  g_ptr_array_unref (self->moderator_rows);
  g_clear_pointer (&self->moderators, g_ptr_array_unref);
  G_OBJECT_CLASS (hl_subnet_page_parent_class)->finalize (object);
}

static void
hl_subnet_page_class_init (HlSubnetPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_subnet_page_dispose;
  object_class->finalize = hl_subnet_page_finalize;
  signals[SIGNAL_TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hl_subnet_page_init (HlSubnetPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->moderator_rows = g_ptr_array_new ();
  build (self);
}

HlSubnetPage *
hl_subnet_page_new (HlForum      *forum,
                    const guint8 *subnet,
                    const char   *name,
                    const char   *description)
{
  HlSubnetPage *self = g_object_new (HL_TYPE_SUBNET_PAGE, NULL);

  self->forum = g_object_ref (forum);
  memcpy (self->subnet, subnet, HL_ID_LEN);
  self->saved_name = g_strdup (name != NULL ? name : "");
  self->saved_description = g_strdup (description != NULL ? description : "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->saved_name);
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), self->saved_description);
  update_save_button (self);
  /* Moderators added or removed, here or by a peer, show up. */
  g_signal_connect_object (forum, "changed", G_CALLBACK (load_moderators), self,
                           G_CONNECT_SWAPPED);
  load_moderators (self);
  return self;
}

GStrv
hl_subnet_page_dup_moderators (HlSubnetPage *self)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();

  g_return_val_if_fail (HL_IS_SUBNET_PAGE (self), NULL);
  for (guint i = 0; self->moderators != NULL && i < self->moderators->len; i++)
    {
      const HlProfileRow *m = g_ptr_array_index (self->moderators, i);
      g_autofree char *key = hl_hex_dup (m->author, HL_KEY_LEN);

      g_strv_builder_add (keys, key);
    }
  return g_strv_builder_end (keys);
}
