/* hyperlinkctl: the forum from the command line.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hl-ctl.h"
#include "hl-paths.h"

static const struct
{
  const char   *name;
  HlCtlCommand  run;
  const char   *help;
} commands[] = {
  { "init", hl_ctl_cmd_init, "init [--name NAME]              create this device's identity" },
  { "whoami", hl_ctl_cmd_whoami, "whoami                          show your key and profile" },
  { "profile", hl_ctl_cmd_profile, "profile set --name N [--bio B]  set your profile (show [KEY])" },
  { "subnet", hl_ctl_cmd_subnet, "subnet create|list|update       communities" },
  { "thread", hl_ctl_cmd_thread, "thread create|list|show         threads in a subnet" },
  { "reply", hl_ctl_cmd_reply, "reply THREAD --body TEXT        answer a thread" },
  { "edit", hl_ctl_cmd_edit, "edit ID [--title T] [--body B]  change your post" },
  { "delete", hl_ctl_cmd_delete, "delete ID                       erase your post or subnet" },
  { "hide", hl_ctl_cmd_hide, "hide ID [--reason R]            hide a post (moderators)" },
  { "unhide", hl_ctl_cmd_unhide, "unhide ID                       show a hidden post again" },
  { "moderator", hl_ctl_cmd_moderator, "moderator add|remove|list       a subnet's moderators" },
  { "search", hl_ctl_cmd_search, "search WORDS...                 full-text search" },
  { "export", hl_ctl_cmd_export, "export [--since TIME]           signed events as JSON lines" },
  { "import", hl_ctl_cmd_import, "import FILE                     verify and apply events" },
  { "state", hl_ctl_cmd_state, "state [--dump]                  digest of the forum state" },
  { "peer", hl_ctl_cmd_peer, "peer add|remove|list [ADDRESS]  the peers hyperlinkd dials" },
  { "status", hl_ctl_cmd_status, "status                          what hyperlinkd is doing" },
  { "bootstrap", hl_ctl_cmd_bootstrap, "bootstrap add|remove|list ADDR  nodes to find peers through" },
  { "invite", hl_ctl_cmd_invite, "invite create|accept|list       invite a friend, or join one" },
};

static char *
help_text (void)
{
  GString *text = g_string_new ("Usage: hyperlinkctl [--data-dir DIR] [--json] COMMAND [ARGS...]\n\n"
                                "Hyperlink, a peer-to-peer forum, from the command line.\n\n"
                                "Commands:\n");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %s\n", commands[i].help);
  g_string_append (text, "\nIDs may be shortened to any unique prefix of at least 4 hex digits.\n"
                         "Data directory: --data-dir, else $" HL_DATA_DIR_ENV ", else "
                         "$XDG_DATA_HOME/hyperlink.\n"
                         "Run “hyperlinkctl COMMAND --help” for a command's options.\n"
                         "Exit status: 0 success, 1 the command failed, 2 wrong usage.\n");
  return g_string_free (text, FALSE);
}

int
main (int    argc,
      char **argv)
{
  HlCtl ctl = { 0 };
  int first = 1;
  int rc = HL_CTL_EXIT_USAGE;

  setlocale (LC_ALL, "");

  /* Global options come before the command; each command accepts them too. */
  for (; first < argc && argv[first][0] == '-'; first++)
    {
      const char *arg = argv[first];

      if (strcmp (arg, "--json") == 0)
        ctl.json = TRUE;
      else if (strcmp (arg, "--data-dir") == 0 && first + 1 < argc)
        ctl.data_dir_option = argv[++first];
      else if (g_str_has_prefix (arg, "--data-dir="))
        ctl.data_dir_option = (char *) arg + strlen ("--data-dir=");
      else if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          g_autofree char *help = help_text ();
          g_print ("%s", help);
          return HL_CTL_EXIT_OK;
        }
      else if (strcmp (arg, "--version") == 0)
        {
          g_print ("hyperlinkctl %s\n", PACKAGE_VERSION);
          return HL_CTL_EXIT_OK;
        }
      else
        return hl_ctl_usage_error (&ctl, "unknown option “%s”", arg);
    }

  if (first >= argc)
    {
      /* A command was expected: the help goes where errors go. */
      g_autofree char *help = help_text ();
      g_printerr ("%s", help);
      return HL_CTL_EXIT_USAGE;
    }

  ctl.data_dir = hl_paths_resolve_data_dir (ctl.data_dir_option);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[first], commands[i].name) == 0)
      {
        rc = commands[i].run (&ctl, argc - first, argv + first);
        goto out;
      }
  rc = hl_ctl_usage_error (&ctl, "unknown command “%s”", argv[first]);

out:
  g_clear_object (&ctl.store);
  g_clear_pointer (&ctl.identity, hl_identity_free);
  g_free (ctl.data_dir);
  return rc;
}
