/* hl-store-permissions.c: refusing, before signing, what the merge rules would ignore.
 *
 * The merge rules alone decide what takes effect; these checks only spare a
 * person from publishing an event that would silently do nothing.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-error.h"
#include "hl-store-private.h"

static gboolean
refuse (GError     **error,
        HlCoreError  code,
        const char  *message)
{
  g_set_error_literal (error, HL_CORE_ERROR, code, message);
  return FALSE;
}

static gboolean
same_key (const guint8 *a,
          const guint8 *b)
{
  return memcmp (a, b, HL_KEY_LEN) == 0;
}

static gboolean
check_subnet_owner (HlStore       *self,
                    const HlEvent *event,
                    GError       **error)
{
  g_autoptr(HlSubnetRow) subnet = hl_store_get_subnet (self, event->ref, error);

  if (subnet == NULL)
    return FALSE;
  if (!same_key (subnet->owner, event->author))
    return refuse (error, HL_CORE_ERROR_PERMISSION,
                   "Only the subnet's owner can change it or its moderators");
  return TRUE;
}

static gboolean
check_own_post (HlStore       *self,
                const HlEvent *event,
                GError       **error)
{
  g_autoptr(GError) post_error = NULL;
  g_autoptr(HlPostRow) post = hl_store_get_post (self, event->ref, &post_error);
  g_autoptr(JsonObject) fields = NULL;

  if (post == NULL)
    {
      g_autoptr(HlSubnetRow) subnet = NULL;

      /* Deleting a subnet is the owner's business. */
      if (strcmp (event->kind, HL_KIND_DELETE) != 0)
        {
          g_propagate_error (error, g_steal_pointer (&post_error));
          return FALSE;
        }
      if (!(subnet = hl_store_get_subnet (self, event->ref, error)))
        return FALSE;
      if (!same_key (subnet->owner, event->author))
        return refuse (error, HL_CORE_ERROR_PERMISSION, "Only the subnet's owner can delete it");
      return TRUE;
    }
  if (!same_key (post->author, event->author))
    return refuse (error, HL_CORE_ERROR_PERMISSION,
                   "You can only edit or delete your own posts");

  fields = hl_event_parse_body (event);
  if (strcmp (event->kind, HL_KIND_EDIT) == 0 && post->kind == HL_POST_REPLY &&
      json_object_has_member (fields, "title"))
    return refuse (error, HL_CORE_ERROR_INVALID_BODY, "Replies have no title to edit");
  return TRUE;
}

static gboolean
check_moderation (HlStore       *self,
                  const HlEvent *event,
                  GError       **error)
{
  g_autoptr(HlPostRow) post = hl_store_get_post (self, event->ref, error);
  g_autoptr(HlSubnetRow) subnet = NULL;

  if (post == NULL)
    return FALSE;
  if (post->has_subnet)
    subnet = hl_store_get_subnet (self, post->subnet, NULL);
  if (subnet == NULL)
    return refuse (error, HL_CORE_ERROR_NOT_FOUND,
                   "The subnet of that post is not known here, or was deleted");
  if (!same_key (subnet->owner, event->author) &&
      !hl_store_is_moderator (self, subnet->id, event->author))
    return refuse (error, HL_CORE_ERROR_PERMISSION,
                   "Only the subnet's owner and moderators can hide posts");
  return TRUE;
}

static gboolean
check_new_post (HlStore       *self,
                const HlEvent *event,
                GError       **error)
{
  g_autoptr(HlSubnetRow) subnet = NULL;
  g_autoptr(HlPostRow) thread = NULL;

  if (strcmp (event->kind, HL_KIND_THREAD_CREATE) == 0)
    return (subnet = hl_store_get_subnet (self, event->ref, error)) != NULL;

  if (!(thread = hl_store_get_post (self, event->ref, error)))
    return FALSE;
  if (thread->kind != HL_POST_THREAD)
    return refuse (error, HL_CORE_ERROR_NOT_FOUND, "That is a reply, not a thread");
  return TRUE;
}

gboolean
hl_store_check_publish (HlStore       *self,
                        const HlEvent *event,
                        GError       **error)
{
  const char *kind = event->kind;

  if (strcmp (kind, HL_KIND_THREAD_CREATE) == 0 || strcmp (kind, HL_KIND_REPLY_CREATE) == 0)
    return check_new_post (self, event, error);
  if (strcmp (kind, HL_KIND_EDIT) == 0 || strcmp (kind, HL_KIND_DELETE) == 0)
    return check_own_post (self, event, error);
  if (strcmp (kind, HL_KIND_HIDE) == 0)
    return check_moderation (self, event, error);
  if (strcmp (kind, HL_KIND_SUBNET_UPDATE) == 0 || g_str_has_prefix (kind, "moderator."))
    return check_subnet_owner (self, event, error);
  return TRUE;
}
