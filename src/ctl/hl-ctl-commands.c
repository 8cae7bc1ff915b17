/* hl-ctl-commands.c: every hyperlinkctl command, its usage line, and the
 * help that lists them.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include "hl-paths.h"

#define BODY_OPTIONS "[--body TEXT | --body-file FILE]"

/* In the order the overview lists them; a group's commands follow each other. */
static const HlCtlCommandInfo commands[] = {
  { NULL, "init", "", "[--name NAME [--rename]]", "create this device's identity",
    "Create this device's identity (a key pair) and database, or show the ones there are.",
    HL_CTL_WRITES, hl_ctl_cmd_init },
  { NULL, "whoami", "", "", "show your key and profile",
    "Show this device's key, profile and data directory.", HL_CTL_READS, hl_ctl_cmd_whoami },
  { "profile", "set", "", "[--name NAME] [--bio TEXT]", NULL,
    "Set your display name or bio; what you leave out stays as it is (--bio \"\" clears it).",
    HL_CTL_WRITES, hl_ctl_cmd_profile_set },
  { "profile", "show", "[KEY]", "", NULL, "Show someone's profile (yours by default).",
    HL_CTL_READS, hl_ctl_cmd_profile_show },
  { "subnet", "create", "NAME", "[--description TEXT] [--private [--tag tag:hl-NAME]]", NULL,
    "Create a subnet; prints its id. --private: only its members read it (end-to-end "
    "encrypted); --tag binds it to a tailnet tag.",
    HL_CTL_WRITES, hl_ctl_cmd_subnet_create },
  { "subnet", "list", "", "", NULL, "List the subnets.", HL_CTL_READS, hl_ctl_cmd_subnet_list },
  { "subnet", "update", "SUBNET", "[--name NAME] [--description TEXT]", NULL,
    "Rename a subnet you own or change its description.", HL_CTL_WRITES,
    hl_ctl_cmd_subnet_update },
  { "thread", "create", "SUBNET", "--title TITLE " BODY_OPTIONS, NULL,
    "Start a thread; prints its id.", HL_CTL_WRITES, hl_ctl_cmd_thread_create },
  { "thread", "list", "SUBNET", "[--limit N] [--offset N] [--archived]", NULL,
    "List a subnet's threads, most recently active first. --archived: the sealed months of "
    "it that are not on this device (dropped below the horizon), with their thread counts.",
    HL_CTL_READS,
    hl_ctl_cmd_thread_list },
  { "thread", "show", "THREAD", "", NULL, "Show a thread and its replies.", HL_CTL_READS,
    hl_ctl_cmd_thread_show },
  { NULL, "reply", "THREAD", "(--body TEXT | --body-file FILE) [--parent REPLY]",
    "answer a thread", "Reply to a thread (or, with --parent, to one of its replies); prints "
    "the reply's id.", HL_CTL_WRITES, hl_ctl_cmd_reply },
  { NULL, "edit", "ID", "[--title TITLE] " BODY_OPTIONS, "change your post",
    "Edit your thread or reply.", HL_CTL_WRITES, hl_ctl_cmd_edit },
  { NULL, "delete", "ID", "[--yes]", "erase your post or subnet, for everyone",
    "Delete your thread, reply or subnet, for good: its text is erased here and on every peer. "
    "Deleting a whole subnet asks first, or needs --yes.", HL_CTL_WRITES, hl_ctl_cmd_delete },
  { NULL, "hide", "ID", "[--reason TEXT]", "hide a post (moderators)",
    "Hide a thread or reply in a subnet you moderate.", HL_CTL_WRITES, hl_ctl_cmd_hide },
  { NULL, "unhide", "ID", "", "show a hidden post again", "Show again a post you hid.",
    HL_CTL_WRITES, hl_ctl_cmd_unhide },
  { "moderator", "add", "SUBNET KEY", "", NULL,
    "Let someone hide posts in a subnet you own.", HL_CTL_WRITES, hl_ctl_cmd_moderator_add },
  { "moderator", "remove", "SUBNET KEY", "", NULL,
    "Stop someone hiding posts in a subnet you own (their hides are undone).", HL_CTL_WRITES,
    hl_ctl_cmd_moderator_remove },
  { "moderator", "list", "SUBNET", "", NULL, "List a subnet's moderators.", HL_CTL_READS,
    hl_ctl_cmd_moderator_list },
  { NULL, "search", "WORDS…", "[--limit N]", "full-text search",
    "Search titles and bodies. The words found are in bold reverse video on a terminal "
    "with colours (not with NO_COLOR or TERM=dumb), plain elsewhere; with --json, between "
    "the control characters U+0002 and U+0003.", HL_CTL_READS, hl_ctl_cmd_search },
  { NULL, "export", "", "[--since TIME] > FILE", "signed events as JSON lines",
    "Write every signed event, one JSON object a line, for import elsewhere.", HL_CTL_READS,
    hl_ctl_cmd_export },
  { NULL, "import", "FILE", "[--max-future SECONDS]", "verify and apply events",
    "Verify the events in FILE (one JSON object a line, “-” for standard input) and apply "
    "the good ones.", HL_CTL_WRITES, hl_ctl_cmd_import },
  { NULL, "state", "", "[--dump]", "digest of the forum state",
    "Print a digest of the forum state: two devices holding the same events print the same "
    "digest.", HL_CTL_READS, hl_ctl_cmd_state },
  { "peer", "add", "ADDRESS", "", NULL,
    "Remember a peer; a running hyperlinkd dials it within a second. ADDRESS is HOST, "
    "HOST:PORT, [IPv6]:PORT or ws://HOST:PORT (port 9473 unless given).", HL_CTL_WRITES,
    hl_ctl_cmd_peer_add },
  { "peer", "remove", "ADDRESS", "", NULL,
    "Forget a peer; a running hyperlinkd hangs up on it.", HL_CTL_WRITES,
    hl_ctl_cmd_peer_remove },
  { "peer", "list", "", "", NULL, "List the peers hyperlinkd dials.", HL_CTL_READS,
    hl_ctl_cmd_peer_list },
  { NULL, "status", "", "", "what hyperlinkd is doing",
    "Show the node's peers and how far along the sync is. Exit status: 0 a node runs on "
    "the data directory, 3 none runs (the status it last wrote is shown), 1 the status "
    "cannot be read, 2 wrong usage.", HL_CTL_READS, hl_ctl_cmd_status },
  { "bootstrap", "add", "ADDRESS", "", NULL,
    "Remember a bootstrap node; a running hyperlinkd announces itself to it within a second "
    "and dials the nodes it lists. ADDRESS is written as for “peer add”.", HL_CTL_WRITES,
    hl_ctl_cmd_bootstrap_add },
  { "bootstrap", "remove", "ADDRESS", "", NULL,
    "Forget a bootstrap node (the peers found through it stay).", HL_CTL_WRITES,
    hl_ctl_cmd_bootstrap_remove },
  { "bootstrap", "list", "", "", NULL,
    "List the bootstrap nodes hyperlinkd announces itself to.", HL_CTL_READS,
    hl_ctl_cmd_bootstrap_list },
  { "invite", "create", "", "[--expires 7d] [--uses N] [--subnet ID] [--address ADDRESS…]",
    NULL, "Make an invite link for a friend: it carries this node's addresses, its key, and "
    "a signed token that works --uses times until it expires.", HL_CTL_WRITES,
    hl_ctl_cmd_invite_create },
  { "invite", "accept", "LINK", "[--timeout SECONDS]", NULL,
    "Accept an invite: reach the inviter's node, check it is the one the link names, redeem "
    "the token, and start syncing.", HL_CTL_WRITES, hl_ctl_cmd_invite_accept },
  { "invite", "list", "", "", NULL,
    "List the invites made here, with their uses, and those accepted here.", HL_CTL_READS,
    hl_ctl_cmd_invite_list },
  { "member", "add", "SUBNET KEY", "[--admin]", NULL,
    "Let a device (its key, pasted) read and post in a private subnet you own or administer.",
    HL_CTL_WRITES, hl_ctl_cmd_member_add },
  { "member", "remove", "SUBNET KEY", "", NULL,
    "Remove a device from a private subnet: a new key seals what is posted from now on.",
    HL_CTL_WRITES, hl_ctl_cmd_member_remove },
  { "member", "list", "SUBNET", "", NULL, "List a private subnet's member devices.",
    HL_CTL_READS, hl_ctl_cmd_member_list },
  { NULL, "acl", "", "[--port PORT]", "the Tailscale policy for the zones",
    "Print a Tailscale policy snippet (HuJSON) for the private subnets bound to tags: "
    "tagOwners, the rules letting each zone's devices reach Hyperlink's port, and tests.",
    HL_CTL_READS, hl_ctl_cmd_acl },
  { "archive", "status", "", "", NULL,
    "Show the archive: its segments and size, this device's share and quota, what each device "
    "should hold, and how many devices the group can lose without losing history.",
    HL_CTL_READS, hl_ctl_cmd_archive_status },
  { "archive", "seal", "", "[--all]", NULL,
    "Seal the months that ended more than 30 days ago (--all: every month, the current one "
    "too), reseal months that gained late events or lost deleted posts, and keep this "
    "device's share of the symbols.", HL_CTL_WRITES, hl_ctl_cmd_archive_seal },
  { "archive", "restore", "", "[--wait S] [--timeout S]", NULL,
    "Rebuild the sealed history this device lacks from the symbols its peers hold: runs a "
    "node here (hyperlinkd must not run on this data directory), fetches from every "
    "reachable holder at once, nearest first, decodes each month and checks every "
    "signature. Killed, it goes on from where it was when run again.", HL_CTL_WRITES,
    hl_ctl_cmd_archive_restore },
  { "archive", "load", "SEGMENT", "[--wait S] [--timeout S]", NULL,
    "Load an archived month back onto this device (SEGMENT as thread list --archived shows "
    "it): runs a node here, fetches its symbols from the nearest holders at once and "
    "decodes it. It stays a while (config loaded-cache-mb), then is dropped again.",
    HL_CTL_WRITES, hl_ctl_cmd_archive_load },
  { "archive", "verify", "", "", NULL,
    "Check every stored symbol against its proof, and drop the ones that fail (a peer would "
    "refuse them). Exit status 1 when any fails.", HL_CTL_WRITES, hl_ctl_cmd_archive_verify },
  { "config", "show", "", "", NULL,
    "Show this device's settings: keep (how much history it keeps in full), loaded-cache-mb "
    "and archive-quota-mb.", HL_CTL_READS, hl_ctl_cmd_config_show },
  { "config", "set", "KEY VALUE", "[--force]", NULL,
    "Change a setting. keep: everything, 1y, 6m, 3m or 1m; a shorter horizon says what it "
    "frees, drops sealed months the group's archive holds, and refuses while the archive's "
    "policy would not hold without this device's copy.", HL_CTL_WRITES,
    hl_ctl_cmd_config_set },
};

static const struct
{
  const char *name;
  const char *brief;
  const char *summary;
} groups[] = {
  { "profile", "your display name and bio", "Your profile, and others'." },
  { "subnet", "communities", "Subnets: the communities threads belong to." },
  { "thread", "threads in a subnet", "Threads, and what was said in them." },
  { "moderator", "a subnet's moderators", "Who may hide posts in a subnet." },
  { "peer", "the peers hyperlinkd dials", "The peers hyperlinkd dials." },
  { "bootstrap", "nodes to find peers through",
    "Bootstrap nodes: always-on nodes that introduce the others." },
  { "invite", "invite a friend, or join one", "Invite links." },
  { "member", "who reads a private subnet", "The member devices of private subnets." },
  { "config", "this device's settings", "This device's settings." },
  { "archive", "old history, spread over the group",
    "The history archive: old months sealed into segments whose symbols the group's devices "
    "share." },
};

#define HELP_BRIEF "the help of every command"

static const char *
group_summary (const char *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (strcmp (groups[i].name, group) == 0)
      return groups[i].summary;
  return NULL;
}

static const char *
group_brief (const char *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (strcmp (groups[i].name, group) == 0)
      return groups[i].brief;
  return NULL;
}

/* "create|list|show" */
static char *
group_commands (const char *group,
                const char *separator)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0)
      g_string_append_printf (names, "%s%s", names->len ? separator : "", commands[i].name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* "create, list or show" */
static char *
group_choices (const char *group)
{
  g_autofree char *names = group_commands (group, ", ");
  char *last = g_strrstr (names, ", ");

  if (last == NULL)
    return g_steal_pointer (&names);
  *last = '\0';
  return g_strconcat (names, " or ", last + 2, NULL);
}

/* printf's widths count bytes, and "…" takes three. 41: the longest
 * left side (archive status|seal|restore|load|verify) and two spaces. */
static void
append_overview_line (GString    *text,
                      const char *left,
                      const char *brief)
{
  glong pad = 42 - g_utf8_strlen (left, -1);

  g_string_append_printf (text, "  %s%*s%s\n", left, (int) MAX (pad, 1), "", brief);
}

static char *
overview (void)
{
  g_autoptr(GString) text = g_string_new ("Commands:\n");
  const char *previous_group = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const HlCtlCommandInfo *info = &commands[i];
      g_autofree char *left = NULL;

      if (info->group != NULL && g_strcmp0 (info->group, previous_group) == 0)
        continue;
      previous_group = info->group;
      if (info->group != NULL)
        {
          g_autofree char *names = group_commands (info->group, "|");
          left = g_strdup_printf ("%s %s", info->group, names);
        }
      else
        left = g_strdup_printf ("%s%s%s", info->name, *info->args ? " " : "", info->args);
      append_overview_line (text, left, info->group ? group_brief (info->group) : info->brief);
    }
  append_overview_line (text, "help [COMMAND…]", HELP_BRIEF);
  g_string_append (text,
                   "\n"
                   "IDs may be shortened to any unique prefix of at least 4 hex digits.\n"
                   "Data directory: --data-dir (-d), else $" HL_DATA_DIR_ENV ", else "
                   "$XDG_DATA_HOME/hyperlink.\n"
                   "Commands that only read never create it, nor anything in it.\n"
                   "Run “hyperlinkctl COMMAND --help” (or “hyperlinkctl help COMMAND”) for "
                   "a command's options.\n"
                   "Exit status: 0 success, 1 the command failed, 2 wrong usage, "
                   "3 no node runs (status).");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The options before the command. Parsing stops at the command (strict
 * POSIX), whose own options, and these again, come after it. */
GOptionContext *
hl_ctl_global_context_new (HlCtl     *ctl,
                           char     **data_dir,
                           gboolean  *version)
{
  GOptionContext *context = g_option_context_new ("COMMAND [ARG…]");
  g_autofree char *commands_text = overview ();
  GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, version, "Print the version and exit", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Hyperlink, a peer-to-peer forum, from the command "
                                "line.");
  g_option_context_set_description (context, commands_text);
  g_option_context_set_strict_posix (context, TRUE);
  hl_ctl_add_global_entries (context, &ctl->json, data_dir);
  g_option_context_add_main_entries (context, entries, NULL);
  return context;
}

/* ---- groups ---- */

static char *
group_description (const char *group)
{
  g_autoptr(GString) text = g_string_new ("Commands:\n");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0)
      {
        g_autofree char *usage = hl_ctl_usage_line (&commands[i]);
        g_string_append_printf (text, "  %s\n      %s\n", usage, commands[i].summary);
      }
  g_string_append_printf (text, "\nRun “hyperlinkctl %s COMMAND --help” for a command's "
                          "options.", group);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Parses the options between a group and its command; --help shows the
 * group's commands. */
static GOptionContext *
group_context_new (const char  *group,
                   gboolean    *json,
                   char       **data_dir)
{
  GOptionContext *context = g_option_context_new ("COMMAND [ARG…]");
  g_autofree char *description = group_description (group);
  g_autofree char *prgname = g_strdup_printf ("hyperlinkctl %s", group);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, group_summary (group));
  g_option_context_set_description (context, description);
  g_option_context_set_strict_posix (context, TRUE);
  hl_ctl_add_global_entries (context, json, data_dir);
  return context;
}

static void
print_group_help (const char *group)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *help = NULL;
  char *data_dir = NULL;
  gboolean json = FALSE;

  context = group_context_new (group, &json, &data_dir);
  help = g_option_context_get_help (context, TRUE, NULL);
  g_print ("%s", help);
}

static int
group_usage_error (HlCtl      *ctl,
                   const char *group,
                   const char *message)
{
  g_autoptr(GString) usage = g_string_new (NULL);
  const char *lead = "Usage:";

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0)
      {
        g_autofree char *line = hl_ctl_usage_line (&commands[i]);
        g_string_append_printf (usage, "%-6s %s\n", lead, line);
        lead = "";
      }
  hl_ctl_print_error (ctl, message, "usage");
  g_printerr ("%sRun “hyperlinkctl %s --help” for what each does.\n", usage->str, group);
  return HL_CTL_EXIT_USAGE;
}

static const HlCtlCommandInfo *
find_command (const char *group,
              const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0 && g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static gboolean
is_group (const char *name)
{
  return name != NULL && group_summary (name) != NULL;
}

/* A command of the group: argv[0] is the group, then options, then the command. */
static const HlCtlCommandInfo *
find_in_group (HlCtl   *ctl,
               int     *argc,
               char  ***argv,
               int     *rc)
{
  const char *group = (*argv)[0];
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *message = NULL;
  g_autofree char *choices = group_choices (group);
  const HlCtlCommandInfo *info;

  context = group_context_new (group, &ctl->json, &data_dir);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      message = g_strdup_printf ("%s: %s", group, error->message);
      *rc = group_usage_error (ctl, group, message);
      return NULL;
    }
  if (data_dir != NULL)
    hl_ctl_set_data_dir (ctl, data_dir);
  if (*argc < 2)
    {
      message = g_strdup_printf ("%s needs a command: %s", group, choices);
      *rc = group_usage_error (ctl, group, message);
      return NULL;
    }
  if ((info = find_command (group, (*argv)[1])) == NULL)
    {
      message = g_strdup_printf ("%s has no command “%s”: it has %s", group, (*argv)[1],
                                 choices);
      *rc = group_usage_error (ctl, group, message);
      return NULL;
    }
  /* From here on argv[0] is the command's name, as the commands expect. */
  (*argc)--;
  (*argv)++;
  return info;
}

/* A command whose name starts or is started by @typed, for "did you mean". */
static const char *
near_command (const char *typed)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *name = commands[i].group ? commands[i].group : commands[i].name;

      if (strlen (typed) >= 3 && (g_str_has_prefix (name, typed) || g_str_has_prefix (typed, name)))
        return name;
    }
  return NULL;
}

static int
unknown_command (HlCtl      *ctl,
                 const char *typed)
{
  const char *near = near_command (typed);

  if (near != NULL)
    return hl_ctl_usage_error (ctl, "unknown command “%s”; did you mean “%s”?", typed, near);
  return hl_ctl_usage_error (ctl, "unknown command “%s”", typed);
}

static int
run_command (HlCtl                  *ctl,
             const HlCtlCommandInfo *info,
             int                     argc,
             char                  **argv)
{
  g_autofree char *prgname = info->group ? g_strdup_printf ("hyperlinkctl %s %s", info->group,
                                                            info->name)
                                         : g_strdup_printf ("hyperlinkctl %s", info->name);

  /* GOption shows it in the usage line of the command's --help. */
  g_set_prgname (prgname);
  ctl->command = info;
  return info->run (ctl, argc, argv);
}

/* `help`, `help GROUP`, `help COMMAND`, `help GROUP COMMAND`: the same text
 * as the matching --help, on standard output. */
static int
run_help (HlCtl  *ctl,
          int     argc,
          char  **argv)
{
  const HlCtlCommandInfo *info = NULL;
  char *help_argv[] = { NULL, (char *) "--help", NULL };

  if (argc < 2 || strcmp (argv[1], "help") == 0)
    {
      g_autoptr(GOptionContext) context = NULL;
      g_autofree char *help = NULL;
      char *data_dir = NULL;
      gboolean version = FALSE;

      context = hl_ctl_global_context_new (ctl, &data_dir, &version);
      help = g_option_context_get_help (context, TRUE, NULL);
      g_print ("%s", help);
      return HL_CTL_EXIT_OK;
    }
  if (is_group (argv[1]) && argc == 2)
    {
      print_group_help (argv[1]);
      return HL_CTL_EXIT_OK;
    }
  if (is_group (argv[1]) && argc == 3 && (info = find_command (argv[1], argv[2])) == NULL)
    {
      g_autofree char *choices = group_choices (argv[1]);
      g_autofree char *message = g_strdup_printf ("%s has no command “%s”: it has %s",
                                                  argv[1], argv[2], choices);
      return group_usage_error (ctl, argv[1], message);
    }
  if (!is_group (argv[1]) && argc == 2 && (info = find_command (NULL, argv[1])) == NULL)
    return unknown_command (ctl, argv[1]);
  if (info == NULL)
    return hl_ctl_usage_error (ctl, "help takes a command, as in “hyperlinkctl help thread "
                               "create”");

  /* The command's own --help prints its options and exits. */
  help_argv[0] = (char *) info->name;
  return run_command (ctl, info, 2, help_argv);
}

int
hl_ctl_run (HlCtl  *ctl,
            int     argc,
            char  **argv)
{
  const HlCtlCommandInfo *info;
  int rc = HL_CTL_EXIT_USAGE;

  if (strcmp (argv[0], "help") == 0)
    return run_help (ctl, argc, argv);
  if (is_group (argv[0]))
    info = find_in_group (ctl, &argc, &argv, &rc);
  else if ((info = find_command (NULL, argv[0])) == NULL)
    return unknown_command (ctl, argv[0]);
  if (info == NULL)
    return rc;
  return run_command (ctl, info, argc, argv);
}
