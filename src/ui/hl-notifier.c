/* hl-notifier.c: desktop notifications for replies to your threads.
 *
 * Events carry their author's time, not the time they arrived here, so a
 * reply synced late can be older than the last look. Each look therefore
 * goes back an hour before the application started (at most a day back) and
 * remembers what it has announced.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-notifier.h"

#include "hl-event.h"
#include "hl-ui-util.h"

#define LOOKBACK_MS (60 * 60 * 1000)
#define MAX_SCAN_MS (24 * 60 * 60 * 1000)
#define SNIPPET_CHARS 120

struct _HlNotifier
{
  GObject         parent_instance;

  GtkApplication *app;          /* weak: the application owns us */
  HlForum        *forum;
  GCancellable   *cancellable;
  GHashTable     *announced;    /* reply id hex */
  gint64          started_ms;
  gboolean        busy;
  gboolean        again;
  gboolean        priming;
};

G_DEFINE_FINAL_TYPE (HlNotifier, hl_notifier, G_TYPE_OBJECT)

enum {
  ANNOUNCE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *reply;
  char *thread;
  char *title;
  char *text;
} Notice;

static void
notice_free (Notice *n)
{
  g_free (n->reply);
  g_free (n->thread);
  g_free (n->title);
  g_free (n->text);
  g_free (n);
}

typedef struct
{
  HlForum   *forum;
  HlStore   *store;
  GPtrArray *notices;
} Scan;

static gboolean
scan_event_cb (const HlEvent *event,
               gpointer       user_data)
{
  Scan *scan = user_data;
  g_autoptr(HlPostRow) thread = NULL;
  g_autoptr(HlPostRow) reply = NULL;
  Notice *n;

  if (g_strcmp0 (event->kind, HL_KIND_REPLY_CREATE) != 0 || !event->has_ref ||
      hl_forum_is_mine (scan->forum, event->author))
    return TRUE;
  if (!(thread = hl_store_get_post (scan->store, event->ref, NULL)) ||
      thread->kind != HL_POST_THREAD || !hl_forum_is_mine (scan->forum, thread->author) ||
      !(reply = hl_store_get_post (scan->store, event->id, NULL)) ||
      reply->hidden)
    return TRUE;

  n = g_new0 (Notice, 1);
  n->reply = hl_hex_dup (event->id, HL_ID_LEN);
  n->thread = hl_hex_dup (thread->id, HL_ID_LEN);
  /* Translators: a notification's title; %s is the thread's title */
  n->title = g_strdup_printf (_("New reply in “%s”"), thread->title ? thread->title : "");
  {
    g_autofree char *who = hl_format_author (reply->author_name, reply->author);
    const char *body = reply->body != NULL ? reply->body : "";
    /* g_utf8_substring() reads past the end when asked for more than there is. */
    g_autofree char *text = g_utf8_substring (body, 0,
                                              MIN (g_utf8_strlen (body, -1), SNIPPET_CHARS));

    n->text = g_strdup_printf ("%s: %s", who, text);
  }
  g_ptr_array_add (scan->notices, n);
  return TRUE;
}

static gpointer
scan_func (HlForum       *forum,
           HlStore       *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  gint64 since = *(gint64 *) data;
  Scan scan = { forum, store, g_ptr_array_new_with_free_func ((GDestroyNotify) notice_free) };

  if (!hl_store_foreach_event (store, since, scan_event_cb, &scan, error))
    {
      g_ptr_array_unref (scan.notices);
      return NULL;
    }
  return scan.notices;
}

static gboolean
app_has_focus (HlNotifier *self)
{
  for (GList *l = gtk_application_get_windows (self->app); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data))
      return TRUE;
  return FALSE;
}

static void scan (HlNotifier *self);

static void
on_scan_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HlNotifier) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notices = hl_forum_run_finish (HL_FORUM (object), result, &error);
  gboolean focused;

  self->busy = FALSE;
  if (notices == NULL || self->app == NULL)
    return;
  focused = self->priming || app_has_focus (self);
  self->priming = FALSE;
  for (guint i = 0; i < notices->len; i++)
    {
      Notice *n = g_ptr_array_index (notices, i);
      g_autoptr(GNotification) notification = NULL;

      if (!g_hash_table_add (self->announced, g_strdup (n->reply)) || focused)
        continue;   /* seen in the window already, or announced before */
      g_signal_emit (self, signals[ANNOUNCE], 0, n->thread, n->title, n->text);
      if (!g_application_get_is_registered (G_APPLICATION (self->app)))
        continue;
      notification = g_notification_new (n->title);
      g_notification_set_body (notification, n->text);
      g_notification_set_default_action_and_target (notification, "app.open-thread", "s",
                                                    n->thread);
      g_application_send_notification (G_APPLICATION (self->app), n->thread, notification);
    }
  if (self->again)
    {
      self->again = FALSE;
      scan (self);
    }
}

static void
scan (HlNotifier *self)
{
  gint64 now = g_get_real_time () / 1000;
  gint64 *since = g_new (gint64, 1);

  if (self->busy)
    {
      self->again = TRUE;
      g_free (since);
      return;
    }
  self->busy = TRUE;
  *since = MAX (self->started_ms - LOOKBACK_MS, now - MAX_SCAN_MS);
  hl_forum_run_async (self->forum, scan_func, since, g_free, (GDestroyNotify) g_ptr_array_unref,
                      self->cancellable, on_scan_done_cb, g_object_ref (self));
}

static void
on_forum_changed_cb (HlNotifier *self,
                     HlForum    *forum)
{
  scan (self);
}

static void
hl_notifier_dispose (GObject *object)
{
  HlNotifier *self = HL_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->app);
  g_clear_object (&self->forum);

  G_OBJECT_CLASS (hl_notifier_parent_class)->dispose (object);
}

static void
hl_notifier_finalize (GObject *object)
{
  HlNotifier *self = HL_NOTIFIER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->announced, g_hash_table_unref);

  G_OBJECT_CLASS (hl_notifier_parent_class)->finalize (object);
}

static void
hl_notifier_class_init (HlNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_notifier_dispose;
  object_class->finalize = hl_notifier_finalize;

  signals[ANNOUNCE] = g_signal_new ("announce", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                    G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
hl_notifier_init (HlNotifier *self)
{
  self->cancellable = g_cancellable_new ();
  self->announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->started_ms = g_get_real_time () / 1000;
}

HlNotifier *
hl_notifier_new (GtkApplication *app,
                 HlForum        *forum)
{
  HlNotifier *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->app, app);
  self->forum = g_object_ref (forum);
  g_signal_connect_object (forum, "changed", G_CALLBACK (on_forum_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* Replies already there when the window opens are not news: the first
   * scan only marks them announced. */
  self->priming = TRUE;
  scan (self);
  return self;
}

gboolean
hl_notifier_get_busy (HlNotifier *self)
{
  g_return_val_if_fail (HL_IS_NOTIFIER (self), FALSE);
  return self->busy;
}
