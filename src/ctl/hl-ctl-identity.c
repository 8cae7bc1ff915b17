/* hl-ctl-identity.c: init, whoami, profile.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

int
hl_ctl_cmd_init (HlCtl  *ctl,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Your display name", "NAME" },
    { NULL }
  };
  HlIdentity *identity;
  gboolean created;

  if (!hl_ctl_parse (ctl, "", "Create this device's identity and database.", entries,
                     &argc, &argv, 0, 0))
    return HL_CTL_EXIT_USAGE;
  if (!(identity = hl_ctl_identity (ctl, &created, &error)) || !hl_ctl_store (ctl, &error))
    return hl_ctl_fail (ctl, error);

  key = hl_identity_dup_public_hex (identity);
  if (name != NULL)
    {
      g_autoptr(JsonBuilder) body = hl_ctl_body_new ();
      g_autoptr(HlEvent) event = NULL;

      hl_ctl_body_add (body, "name", name);
      if (!(event = hl_ctl_publish_quietly (ctl, HL_KIND_PROFILE, NULL, body, "set your profile",
                                            &error)))
        return hl_ctl_fail (ctl, error);
    }

  if (ctl->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "key", key);
      json_object_set_string_member (out, "data_dir", ctl->data_dir);
      json_object_set_boolean_member (out, "created", created);
      hl_ctl_print_object (out);
    }
  else
    g_print ("%s identity %s in %s\n", created ? "Created" : "Using existing", key, ctl->data_dir);
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

  if (!hl_ctl_parse (ctl, "", "Show this device's identity.", NULL, &argc, &argv, 0, 0))
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

static int
profile_set (HlCtl  *ctl,
             int     argc,
             char  **argv)
{
  g_autoptr(JsonBuilder) body = NULL;
  g_autofree char *name = NULL;
  g_autofree char *bio = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Display name", "NAME" },
    { "bio", 0, 0, G_OPTION_ARG_STRING, &bio, "A few words about you", "TEXT" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, "--name NAME [--bio TEXT]", "Set your display name and bio.",
                     entries, &argc, &argv, 0, 0))
    return HL_CTL_EXIT_USAGE;
  if (name == NULL)
    return hl_ctl_usage_error (ctl, "profile set needs --name NAME");

  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "name", name);
  hl_ctl_body_add (body, "bio", bio);
  return hl_ctl_publish (ctl, HL_KIND_PROFILE, NULL, body, "set your profile");
}

static int
profile_show (HlCtl  *ctl,
              int     argc,
              char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlProfileRow) profile = NULL;
  guint8 key[HL_KEY_LEN];
  HlStore *store;

  if (!hl_ctl_parse (ctl, "[KEY]", "Show someone's profile (yours by default).", NULL,
                     &argc, &argv, 0, 1))
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

  if (!(profile = hl_store_get_profile (store, key, &error)))
    return hl_ctl_fail (ctl, error);

  if (ctl->json)
    {
      JsonObject *out = json_object_new ();
      g_autofree char *hex = hl_hex_dup (key, HL_KEY_LEN);

      json_object_set_string_member (out, "key", hex);
      json_object_set_string_member (out, "name", profile->name);
      json_object_set_string_member (out, "bio", profile->bio);
      hl_ctl_print_object (out);
    }
  else
    g_print ("%s\n%s\n", profile->name, profile->bio != NULL ? profile->bio : "");
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_profile (HlCtl  *ctl,
                    int     argc,
                    char  **argv)
{
  if (argc >= 2 && strcmp (argv[1], "set") == 0)
    return profile_set (ctl, argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "show") == 0)
    return profile_show (ctl, argc - 1, argv + 1);
  return hl_ctl_usage_error (ctl, "profile needs “set” or “show”");
}
