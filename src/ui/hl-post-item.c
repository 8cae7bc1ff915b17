/* hl-post-item.c: a thread or reply as the lists show it.
 *
 * List rows bind to these properties through expressions, so an item that
 * starts as a placeholder fills itself in when its page arrives, and a post
 * edited by a peer updates in place: neither needs an items-changed, which
 * would rebuild rows and could move the scroll position.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-post-item.h"
#include "hl-store.h"

#include "hl-ui-util.h"

struct _HlPostItem
{
  GObject    parent_instance;

  HlPostRow *row;
  char      *id_hex;
  char      *author;
  char      *title;
  gboolean   mine;
  gboolean   unread;
};

G_DEFINE_FINAL_TYPE (HlPostItem, hl_post_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_TITLE,
  PROP_BODY,
  PROP_AUTHOR,
  PROP_SUMMARY,
  PROP_WHEN,
  PROP_MINE,
  PROP_REPLY_COUNT,
  PROP_SNIPPET,
  PROP_UNREAD,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
dup_summary (HlPostItem *self)
{
  GString *text;

  if (self->row == NULL)
    return g_strdup ("");
  text = g_string_new (self->author);
  if (self->row->kind == HL_POST_THREAD)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u reply", "%u replies",
                                                 self->row->reply_count),
                              self->row->reply_count);
    }
  if (self->row->edited_ms != 0)
    g_string_append_printf (text, " · %s", _("edited"));
  if (self->row->hidden)
    g_string_append_printf (text, " · %s", _("hidden by a moderator"));
  return g_string_free (text, FALSE);
}

static char *
dup_when (HlPostItem *self)
{
  gint64 ms;

  if (self->row == NULL)
    return g_strdup ("");
  ms = self->row->kind == HL_POST_THREAD ? self->row->last_activity_ms : self->row->created_ms;
  return hl_format_relative_time (ms, g_get_real_time () / 1000);
}

/* Search results: who wrote it and the words that matched, in context, as
 * Pango markup: the matches in bold, everything else escaped (brackets in
 * the text are text: the store marks matches with control characters). */
static char *
dup_snippet (HlPostItem *self)
{
  g_autofree char *author = NULL;
  g_autofree char *matched = NULL;
  g_autofree char *summary = NULL;

  if (self->row == NULL)
    return g_strdup ("");
  if (self->row->snippet == NULL)
    {
      summary = dup_summary (self);
      return g_markup_escape_text (summary, -1);
    }
  author = g_markup_escape_text (self->author, -1);
  matched = hl_snippet_format (self->row->snippet, "<b>", "</b>", g_markup_escape_text);
  return g_strdup_printf ("%s: %s", author, matched);
}

static void
hl_post_item_finalize (GObject *object)
{
  HlPostItem *self = HL_POST_ITEM (object);

  g_clear_pointer (&self->row, hl_post_row_free);
  g_free (self->id_hex);
  g_free (self->author);
  g_free (self->title);

  G_OBJECT_CLASS (hl_post_item_parent_class)->finalize (object);
}

static void
hl_post_item_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HlPostItem *self = HL_POST_ITEM (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->row != NULL);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_BODY:
      g_value_set_string (value, hl_post_item_get_body (self));
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;
    case PROP_SUMMARY:
      g_value_take_string (value, dup_summary (self));
      break;
    case PROP_WHEN:
      g_value_take_string (value, dup_when (self));
      break;
    case PROP_MINE:
      g_value_set_boolean (value, self->mine);
      break;
    case PROP_REPLY_COUNT:
      g_value_set_uint (value, self->row != NULL ? self->row->reply_count : 0);
      break;
    case PROP_UNREAD:
      g_value_set_boolean (value, self->unread);
      break;
    case PROP_SNIPPET:
      g_value_take_string (value, dup_snippet (self));
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, hl_post_item_get_pending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_post_item_class_init (HlPostItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = hl_post_item_finalize;
  object_class->get_property = hl_post_item_get_property;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, flags);
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  properties[PROP_WHEN] = g_param_spec_string ("when", NULL, NULL, NULL, flags);
  properties[PROP_MINE] = g_param_spec_boolean ("mine", NULL, NULL, FALSE, flags);
  properties[PROP_REPLY_COUNT] = g_param_spec_uint ("reply-count", NULL, NULL,
                                                    0, G_MAXUINT, 0, flags);
  properties[PROP_UNREAD] = g_param_spec_boolean ("unread", NULL, NULL, FALSE, flags);
  properties[PROP_SNIPPET] = g_param_spec_string ("snippet", NULL, NULL, NULL, flags);
  /* Ours, and no peer has the latest change yet: "did my post go out?" */
  properties[PROP_PENDING] = g_param_spec_boolean ("pending", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_post_item_init (HlPostItem *self)
{
}

HlPostItem *
hl_post_item_new (void)
{
  return g_object_new (HL_TYPE_POST_ITEM, NULL);
}

void
hl_post_item_set_row (HlPostItem *self,
                      HlPostRow  *row,
                      gboolean    mine)
{
  g_autoptr(HlPostRow) old = NULL;

  g_return_if_fail (HL_IS_POST_ITEM (self));
  g_return_if_fail (row != NULL);

  old = g_steal_pointer (&self->row);
  self->row = row;
  self->mine = mine;

  if (old == NULL || memcmp (old->id, row->id, HL_ID_LEN) != 0)
    {
      g_free (self->id_hex);
      self->id_hex = hl_hex_dup (row->id, HL_ID_LEN);
    }
  g_free (self->author);
  self->author = hl_format_author (row->author_name, row->author);
  g_free (self->title);
  self->title = g_strdup (row->title != NULL ? row->title : "");

  /* Rows only rebind what notifies: skip the work when nothing shows a change. */
  if (old != NULL &&
      memcmp (old->id, row->id, HL_ID_LEN) == 0 &&
      old->edited_ms == row->edited_ms &&
      old->hidden == row->hidden &&
      old->reply_count == row->reply_count &&
      old->last_activity_ms == row->last_activity_ms &&
      old->pending == row->pending &&
      g_strcmp0 (old->author_name, row->author_name) == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}

const HlPostRow *
hl_post_item_get_row (HlPostItem *self)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), NULL);
  return self->row;
}

gboolean
hl_post_item_get_loaded (HlPostItem *self)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), FALSE);
  return self->row != NULL;
}

gboolean
hl_post_item_get_unread (HlPostItem *self)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), FALSE);
  return self->unread;
}

void
hl_post_item_set_unread (HlPostItem *self,
                         gboolean    unread)
{
  g_return_if_fail (HL_IS_POST_ITEM (self));

  unread = !!unread;
  if (self->unread == unread)
    return;
  self->unread = unread;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
}

gboolean
hl_post_item_get_mine (HlPostItem *self)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), FALSE);
  return self->mine;
}

const char *
hl_post_item_get_id_hex (HlPostItem *self)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), NULL);
  return self->id_hex;
}

const char *
hl_post_item_get_title (HlPostItem *self)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), NULL);
  return self->title;
}

const char *
hl_post_item_get_body (HlPostItem *self)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), NULL);
  if (self->row == NULL)
    return NULL;
  return self->row->body;
}

const char *
hl_post_item_get_author (HlPostItem *self)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), NULL);
  return self->author;
}

void
hl_post_item_notify_time (HlPostItem *self)
{
  g_return_if_fail (HL_IS_POST_ITEM (self));
  if (self->row != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHEN]);
}

gboolean
hl_post_item_has_id (HlPostItem   *self,
                     const guint8 *id)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), FALSE);
  return self->row != NULL && memcmp (self->row->id, id, HL_ID_LEN) == 0;
}

gboolean
hl_post_item_get_pending (HlPostItem *self)
{
  g_return_val_if_fail (HL_IS_POST_ITEM (self), FALSE);
  return self->row != NULL && self->mine && self->row->pending;
}
