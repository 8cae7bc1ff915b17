/* hl-ui-fixture.c: the window on a temporary data directory.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ui-fixture.h"

#include "hl-event.h"
#include "hl-paths.h"
#include "hl-post-item.h"

void
publish_me (Fixture      *fx,
            const char   *kind,
            const guint8 *ref,
            const char   *body,
            guint8       *id)
{
  hl_ui_test_publish (fx->dir, fx->me, kind, ref, body, id);
}

void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *key_path = NULL;
  g_autoptr(GError) error = NULL;
  gboolean named = GPOINTER_TO_INT (data) != 0;

  fx->dir = hl_ui_test_make_dir ();
  fx->other = hl_identity_new_random ();
  key_path = hl_paths_identity (fx->dir);
  fx->me = hl_identity_load_or_create (key_path, NULL, &error);
  g_assert_no_error (error);
  fx->forum = hl_forum_new (fx->dir, &error);
  g_assert_no_error (error);
  /* With a name, the window skips the welcome page. */
  if (named)
    publish_me (fx, HL_KIND_PROFILE, NULL, "{\"name\":\"Tester\"}", NULL);
}

void
fixture_add_forum (Fixture *fx)
{
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_PROFILE, NULL, "{\"name\":\"Ada\"}", NULL);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_SUBNET_CREATE, NULL,
                      "{\"name\":\"Home Lab\",\"description\":\"Servers\"}", fx->subnet);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"title\":\"Thread %u\",\"body\":\"Text %u\"}",
                                               i, i);

      hl_ui_test_publish (fx->dir, fx->other, HL_KIND_THREAD_CREATE, fx->subnet, body,
                          fx->threads[i]);
    }
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_REPLY_CREATE, fx->threads[0],
                      "{\"body\":\"First reply\"}", NULL);
  hl_ui_test_publish (fx->dir, fx->other, HL_KIND_REPLY_CREATE, fx->threads[0],
                      "{\"body\":\"Second reply\"}", NULL);
}

void
fixture_open_window (Fixture *fx)
{
  fx->window = g_object_ref (hl_window_new (NULL, fx->forum, NULL));
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1200, 700);
  gtk_window_present (GTK_WINDOW (fx->window));
}

void
fixture_close_window (Fixture *fx)
{
  gtk_window_destroy (GTK_WINDOW (fx->window));
  g_assert_finalize_object (g_steal_pointer (&fx->window));
}

void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  if (fx->window != NULL)
    fixture_close_window (fx);
  /* Workers still finishing hold the forum; none may keep it for good. */
  HL_UI_WAIT (G_OBJECT (fx->forum)->ref_count == 1, 10);
  g_assert_finalize_object (g_steal_pointer (&fx->forum));
  hl_identity_free (fx->other);
  hl_identity_free (fx->me);
  hl_ui_test_remove_dir (fx->dir);
  g_free (fx->dir);
}

gboolean
item_loaded (GListModel *model,
             guint       position)
{
  g_autoptr(HlPostItem) item = g_list_model_get_item (model, position);

  return item != NULL && hl_post_item_get_loaded (item);
}

char *
item_title (GListModel *model,
            guint       position)
{
  g_autoptr(HlPostItem) item = g_list_model_get_item (model, position);

  return g_strdup (hl_post_item_get_title (item));
}

char *
item_body (GListModel *model,
           guint       position)
{
  g_autoptr(HlPostItem) item = g_list_model_get_item (model, position);

  return g_strdup (hl_post_item_get_body (item));
}

gboolean
body_is (GListModel *model,
         guint       position,
         const char *body)
{
  g_autofree char *now = item_loaded (model, position) ? item_body (model, position) : NULL;

  return g_strcmp0 (now, body) == 0;
}

void
activate_with_id (HlWindow     *window,
                  const char   *action,
                  const guint8 *id)
{
  g_autofree char *hex = hl_hex_dup (id, HL_ID_LEN);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, "s", hex));
}

