/* hl-ctl-private.c: private subnets, their members, and the Tailscale policy
 * snippet for the group's zones (docs/protocol.md, "Private subnets").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include <string.h>

#include "hl-error.h"
#include "hl-store-privnet.h"
#include "hl-sync-wire.h"

/* The store and identity, the one lent to the other so that the store opens
 * this device's wraps. */
static HlStore *
private_store (HlCtl       *ctl,
               HlIdentity **identity,
               GError     **error)
{
  HlStore *store = hl_ctl_store (ctl, error);

  if (store == NULL || !(*identity = hl_ctl_identity (ctl, NULL, error)))
    return NULL;
  hl_store_set_identity (store, *identity);
  return store;
}

int
hl_ctl_create_private_subnet (HlCtl      *ctl,
                              const char *name,
                              const char *description,
                              const char *tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) create = NULL;
  g_autofree char *id = NULL;
  HlIdentity *identity = NULL;
  HlStore *store = private_store (ctl, &identity, &error);

  if (store == NULL ||
      !(create = hl_store_private_create (store, identity, name, description, tag, &error)))
    {
      g_prefix_error (&error, "Cannot create the private subnet: ");
      return hl_ctl_fail (ctl, error);
    }
  id = hl_event_id_hex (create);
  g_print ("%s\n", id);
  return HL_CTL_EXIT_OK;
}

static gboolean
parse_key (HlStore    *store,
           const char *text,
           guint8     *key,
           GError    **error)
{
  if (strlen (text) == 2 * HL_KEY_LEN && hl_hex_decode (text, key, HL_KEY_LEN))
    return TRUE;
  return hl_store_resolve_author (store, text, key, error);
}

static gint
find_key (GPtrArray    *keys,
          const guint8 *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (memcmp (keys->pdata[i], key, HL_KEY_LEN) == 0)
      return (gint) i;
  return -1;
}

static int
change_members (HlCtl    *ctl,
                int       argc,
                char    **argv,
                gboolean  add)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) admins = NULL;
  g_autoptr(HlEvent) epoch = NULL;
  gboolean admin = FALSE;
  GOptionEntry entries[] = {
    { "admin", 0, 0, G_OPTION_ARG_NONE, &admin, "Let the member add and remove members too", NULL },
    { NULL }
  };
  HlIdentity *identity = NULL;
  HlStore *store;
  guint8 subnet[HL_ID_LEN], key[HL_KEY_LEN];
  gint at;

  if (!hl_ctl_parse (ctl, add ? entries : NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = private_store (ctl, &identity, &error)) ||
      !hl_ctl_resolve (ctl, argv[1], subnet, &error) ||
      !parse_key (store, argv[2], key, &error) ||
      !hl_store_private_members (store, subnet, &members, &admins, &error))
    return hl_ctl_fail (ctl, error);

  at = find_key (members, key);
  if (add && at < 0)
    g_ptr_array_add (members, g_memdup2 (key, HL_KEY_LEN));
  else if (!add && at >= 0)
    g_ptr_array_remove_index (members, (guint) at);
  else if (!add)
    {
      g_set_error (&error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "%s is not a member of that subnet", argv[2]);
      return hl_ctl_fail (ctl, error);
    }
  at = find_key (admins, key);
  if (add && admin && at < 0)
    g_ptr_array_add (admins, g_memdup2 (key, HL_KEY_LEN));
  else if (!add && at >= 0)
    g_ptr_array_remove_index (admins, (guint) at);

  if (!(epoch = hl_store_private_set_members (store, identity, subnet, members, admins, &error)))
    {
      g_prefix_error (&error, "Cannot change the members: ");
      return hl_ctl_fail (ctl, error);
    }
  if (!add)
    g_print ("Removed. A new key now seals the subnet: nothing posted from now on is readable "
             "by that member, on any device; what they already had, they keep.\n");
  else
    g_print ("Added: the member's device reads the subnet once it syncs.\n");
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_member_add (HlCtl *ctl, int argc, char **argv)
{
  return change_members (ctl, argc, argv, TRUE);
}

int
hl_ctl_cmd_member_remove (HlCtl *ctl, int argc, char **argv)
{
  return change_members (ctl, argc, argv, FALSE);
}

int
hl_ctl_cmd_member_list (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) admins = NULL;
  HlIdentity *identity = NULL;
  HlStore *store;
  guint8 subnet[HL_ID_LEN];

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = private_store (ctl, &identity, &error)) ||
      !hl_ctl_resolve (ctl, argv[1], subnet, &error) ||
      !hl_store_private_members (store, subnet, &members, &admins, &error))
    return hl_ctl_fail (ctl, error);
  for (guint i = 0; i < members->len; i++)
    {
      g_autofree char *hex = hl_hex_dup (members->pdata[i], HL_KEY_LEN);

      g_print ("%s%s\n", hex, find_key (admins, members->pdata[i]) >= 0 ? " admin" : "");
    }
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_acl (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) zones = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autofree char *policy = NULL;
  int port = HL_SYNC_DEFAULT_PORT;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Hyperlink's port (default 9473)", "PORT" },
    { NULL }
  };
  HlStore *store;

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (port < 1 || port > 65535)
    return hl_ctl_usage_error (ctl, "--port takes 1 to 65535");
  if (!(store = hl_ctl_store (ctl, &error)) || !(zones = hl_store_private_zones (store, &error)))
    return hl_ctl_fail (ctl, error);
  tags = hl_private_zone_tags (zones);
  if (tags->len == 0)
    g_printerr ("No private subnet is bound to a tag here (“hyperlinkctl subnet create --private "
                "--tag tag:hl-NAME NAME”): the snippet has no zone.\n");
  policy = hl_private_acl_policy (tags, (guint) port);
  g_print ("%s", policy);
  return HL_CTL_EXIT_OK;
}
