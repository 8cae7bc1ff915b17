/* hl-ctl-identity.c: init, whoami, profile.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include "hl-error.h"

/* Publishes this device's profile: @name and @bio where given, what the
 * current profile says otherwise (an empty @bio clears it). */
static HlEvent *
publish_profile (HlCtl         *ctl,
                 const char    *name,
                 const char    *bio,
                 GError       **error)
{
  g_autoptr(JsonBuilder) body = hl_ctl_body_new ();
  g_autoptr(HlProfileRow) current = NULL;
  HlIdentity *identity;
  HlStore *store;

  if (!(store = hl_ctl_store (ctl, error)) || !(identity = hl_ctl_identity (ctl, NULL, error)))
    return NULL;
  current = hl_store_get_profile (store, hl_identity_get_public_key (identity), NULL);
  if (name == NULL && current != NULL)
    name = current->name;
  if (bio == NULL && current != NULL)
    bio = current->bio;
  if (name == NULL)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY,
                   "Cannot set your bio: you have no display name yet; give --name NAME too");
      return NULL;
    }
  hl_ctl_body_add (body, "name", name);
  if (bio != NULL && *bio != '\0')
    hl_ctl_body_add (body, "bio", bio);
  return hl_ctl_publish_quietly (ctl, HL_KIND_PROFILE, NULL, body, "set your profile", error);
}

/* @text as one shell word, quoted only when it must be. */
static char *
shell_word (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._-+@", *p) == NULL)
      return g_shell_quote (text);
  return *text ? g_strdup (text) : g_shell_quote (text);
}

/* init --name on an identity that has another name: renaming is what
 * `profile set` is for, and init does it only when asked to. */
static gboolean
check_not_renaming (HlCtl       *ctl,
                    const char  *name,
                    gboolean     rename,
                    gboolean    *unchanged,
                    GError     **error)
{
  g_autoptr(HlProfileRow) current = NULL;
  g_autofree char *key = hl_identity_dup_public_hex (ctl->identity);
  g_autofree char *quoted = NULL;

  current = hl_store_get_profile (ctl->store, hl_identity_get_public_key (ctl->identity), NULL);
  *unchanged = current != NULL && g_strcmp0 (current->name, name) == 0;
  if (current == NULL || *unchanged || rename)
    return TRUE;
  quoted = shell_word (name);
  g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
               "This device already has an identity (%.16s…), named “%s”; init does not "
               "rename it. To rename it run “hyperlinkctl profile set --name %s”, or add "
               "--rename", key, current->name, quoted);
  return FALSE;
}

int
hl_ctl_cmd_init (HlCtl  *ctl,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) event = NULL;
  g_autoptr(HlProfileRow) profile = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  gboolean rename = FALSE, created = FALSE, unchanged = FALSE;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Your display name", "NAME" },
    { "rename", 0, 0, G_OPTION_ARG_NONE, &rename,
      "Give an existing identity this --name (as “profile set --name” does)", NULL },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (rename && name == NULL)
    return hl_ctl_usage_error (ctl, "--rename needs --name NAME");
  if (!hl_ctl_identity (ctl, &created, &error) || !hl_ctl_store (ctl, &error))
    return hl_ctl_fail (ctl, error);

  key = hl_identity_dup_public_hex (ctl->identity);
  if (name != NULL && !check_not_renaming (ctl, name, rename, &unchanged, &error))
    return hl_ctl_fail (ctl, error);
  if (name != NULL && !unchanged && !(event = publish_profile (ctl, name, NULL, &error)))
    return hl_ctl_fail (ctl, error);
  profile = hl_store_get_profile (ctl->store, hl_identity_get_public_key (ctl->identity), NULL);

  if (ctl->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "key", key);
      json_object_set_string_member (out, "name", profile != NULL ? profile->name : NULL);
      json_object_set_string_member (out, "data_dir", ctl->data_dir);
      json_object_set_boolean_member (out, "created", created);
      hl_ctl_print_object (out);
    }
  else
    {
      g_print ("%s identity %s in %s\n", created ? "Created" : "Using existing", key,
               ctl->data_dir);
      if (event != NULL && profile != NULL)
        g_print ("Your name is %s“%s”.\n", created ? "" : "now ", profile->name);
      else if (profile == NULL)
        g_print ("Next: give yourself a name with “hyperlinkctl profile set --name NAME”.\n");
    }
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_whoami (HlCtl  *ctl,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlProfileRow) profile = NULL;
  g_autofree char *key = NULL;
  HlIdentity *identity;
  HlStore *store;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(identity = hl_ctl_identity (ctl, NULL, &error)) || !(store = hl_ctl_store (ctl, &error)))
    return hl_ctl_fail (ctl, error);

  key = hl_identity_dup_public_hex (identity);
  profile = hl_store_get_profile (store, hl_identity_get_public_key (identity), NULL);

  if (ctl->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "key", key);
      json_object_set_string_member (out, "name", profile != NULL ? profile->name : NULL);
      json_object_set_string_member (out, "bio", profile != NULL ? profile->bio : NULL);
      json_object_set_string_member (out, "data_dir", ctl->data_dir);
      json_object_set_int_member (out, "events", hl_store_count_events (store));
      hl_ctl_print_object (out);
      return HL_CTL_EXIT_OK;
    }

  g_print ("Name:      %s\n", profile != NULL ? profile->name : "(not set: hyperlinkctl profile set --name NAME)");
  if (profile != NULL && profile->bio != NULL)
    g_print ("Bio:       %s\n", profile->bio);
  g_print ("Key:       %s\n", key);
  g_print ("Data:      %s\n", ctl->data_dir);
  g_print ("Events:    %" G_GINT64_FORMAT "\n", hl_store_count_events (store));
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_profile_set (HlCtl  *ctl,
                        int     argc,
                        char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) event = NULL;
  g_autofree char *name = NULL;
  g_autofree char *bio = NULL;
  g_autofree char *id = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Display name", "NAME" },
    { "bio", 0, 0, G_OPTION_ARG_STRING, &bio, "A few words about you (\"\" to clear it)", "TEXT" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (name == NULL && bio == NULL)
    return hl_ctl_usage_error (ctl, "profile set needs --name NAME or --bio TEXT (or both)");
  if (!(event = publish_profile (ctl, name, bio, &error)))
    return hl_ctl_fail (ctl, error);

  id = hl_event_id_hex (event);
  if (ctl->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "id", id);
      json_object_set_member (out, "event", hl_event_to_json (event));
      hl_ctl_print_object (out);
    }
  else
    g_print ("%s\n", id);
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_profile_show (HlCtl  *ctl,
                         int     argc,
                         char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlProfileRow) profile = NULL;
  g_autofree char *hex = NULL;
  guint8 key[HL_KEY_LEN];
  HlStore *store;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)))
    return hl_ctl_fail (ctl, error);
  if (argc > 1)
    {
      if (!hl_store_resolve_author (store, argv[1], key, &error))
        return hl_ctl_fail (ctl, error);
    }
  else
    {
      HlIdentity *identity = hl_ctl_identity (ctl, NULL, &error);
      if (identity == NULL)
        return hl_ctl_fail (ctl, error);
      memcpy (key, hl_identity_get_public_key (identity), HL_KEY_LEN);
    }

  hex = hl_hex_dup (key, HL_KEY_LEN);
  if (!(profile = hl_store_get_profile (store, key, &error)))
    {
      if (!g_error_matches (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND))
        return hl_ctl_fail (ctl, error);
      g_clear_error (&error);
      g_set_error (&error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "%.16s… has set no profile yet%s", hex,
                   argc > 1 ? "" : ": set yours with “hyperlinkctl profile set --name NAME”");
      return hl_ctl_fail (ctl, error);
    }

  if (ctl->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "key", hex);
      json_object_set_string_member (out, "name", profile->name);
      json_object_set_string_member (out, "bio", profile->bio);
      hl_ctl_print_object (out);
    }
  else
    g_print ("%s\n%s\n", profile->name, profile->bio != NULL ? profile->bio : "");
  return HL_CTL_EXIT_OK;
}
