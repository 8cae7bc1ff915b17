/* hl-archive-settings.c: the archive-quota-mb and archive-lose settings,
 * applied for as long as the window runs (not only while Preferences is
 * open): the quota into the data directory's setting, which the node reads
 * at each upkeep, the policy as archive.policy events of the subnets this
 * device's key owns.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-archive-settings.h"

#include "hl-archive.h"
#include "hl-event.h"
#include "hl-ui-util.h"

struct _HlArchiveSettings
{
  GObject       parent_instance;

  HlForum      *forum;
  GSettings    *settings;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (HlArchiveSettings, hl_archive_settings, G_TYPE_OBJECT)

typedef struct
{
  gint64 quota;   /* bytes; 0: leave */
  int    lose;    /* G_MININT: leave */
} Apply;

/* On the worker: the quota into the store, which the node reads at each
 * maintenance (and announces); the policy as archive.policy events of the
 * subnets this device's key owns, where it differs. */
static gpointer
apply_func (HlForum       *forum,
            HlStore       *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Apply *apply = data;
  g_autoptr(GPtrArray) subnets = NULL;
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

  if (apply->quota > 0 &&
      !hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_QUOTA, apply->quota, error))
    return NULL;
  if (apply->lose == G_MININT)
    return g_steal_pointer (&owned);
  if (!(subnets = hl_store_list_subnets (store, error)))
    return NULL;
  for (guint i = 0; i < subnets->len; i++)
    {
      HlSubnetRow *row = g_ptr_array_index (subnets, i);
      gint current = HL_ARCHIVE_LOSE_HALF;
      gboolean set = FALSE;

      if (!hl_forum_is_mine (forum, row->owner))
        continue;
      if (!hl_store_archive_get_policy (store, row->id, &current, &set, error))
        return NULL;
      if (current != (apply->lose < 0 ? HL_ARCHIVE_LOSE_HALF : apply->lose))
        g_ptr_array_add (owned, g_memdup2 (row->id, HL_ID_LEN));
    }
  return g_steal_pointer (&owned);
}

static void
on_policy_published_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = hl_forum_publish_finish (HL_FORUM (object), result, &error);

  if (id == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not publish the archive policy: %s", error->message);
}

static void
on_applied_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) owned = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlArchiveSettings *self = user_data;
  g_autofree char *body = NULL;
  int lose;

  if (owned == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not apply the archive settings: %s", error->message);
      return;
    }
  lose = g_settings_get_int (self->settings, "archive-lose");
  body = lose < 0 ? g_strdup ("{\"lose\":\"half\"}") : g_strdup_printf ("{\"lose\":%d}", lose);
  for (guint i = 0; i < owned->len; i++)
    hl_forum_publish_async (self->forum, HL_KIND_ARCHIVE_POLICY, g_ptr_array_index (owned, i),
                            body, self->cancellable, on_policy_published_cb, NULL);
}

static void
apply_settings (HlArchiveSettings *self,
                gboolean           policy)
{
  Apply *apply = g_new0 (Apply, 1);

  apply->quota = (gint64) g_settings_get_int (self->settings, "archive-quota-mb") * 1024 * 1024;
  apply->lose = policy ? g_settings_get_int (self->settings, "archive-lose") : G_MININT;
  hl_forum_run_async (self->forum, apply_func, apply, g_free,
                      (GDestroyNotify) g_ptr_array_unref, self->cancellable, on_applied_cb, self);
}

static void
on_quota_changed_cb (GSettings  *settings,
                     const char *key,
                     gpointer    user_data)
{
  apply_settings (user_data, FALSE);
}

static void
on_lose_changed_cb (GSettings  *settings,
                    const char *key,
                    gpointer    user_data)
{
  apply_settings (user_data, TRUE);
}

static void
hl_archive_settings_dispose (GObject *object)
{
  HlArchiveSettings *self = HL_ARCHIVE_SETTINGS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->forum);
  G_OBJECT_CLASS (hl_archive_settings_parent_class)->dispose (object);
}

static void
hl_archive_settings_class_init (HlArchiveSettingsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_archive_settings_dispose;
}

static void
hl_archive_settings_init (HlArchiveSettings *self)
{
  self->cancellable = g_cancellable_new ();
}

HlArchiveSettings *
hl_archive_settings_new (HlForum *forum)
{
  HlArchiveSettings *self;

  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_ARCHIVE_SETTINGS, NULL);
  self->forum = g_object_ref (forum);
  if ((self->settings = hl_ui_settings_new ()) == NULL)
    return self;
  g_signal_connect_object (self->settings, "changed::archive-quota-mb",
                           G_CALLBACK (on_quota_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "changed::archive-lose",
                           G_CALLBACK (on_lose_changed_cb), self, 0);
  /* What a person chose (gsettings may have set it while the window was
   * closed); a policy left at its default does not override one published
   * by other means. */
  {
    g_autoptr(GVariant) lose = g_settings_get_user_value (self->settings, "archive-lose");

    apply_settings (self, lose != NULL);
  }
  return self;
}
