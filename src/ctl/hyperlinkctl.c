/* hyperlinkctl: the forum from the command line.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hl-ctl.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  HlCtl ctl = { 0 };
  gboolean version = FALSE;
  int rc;

  setlocale (LC_ALL, "");
  g_set_prgname ("hyperlinkctl");

  context = hl_ctl_global_context_new (&ctl, &data_dir, &version);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return hl_ctl_usage_error (&ctl, "%s", error->message);
  if (version)
    {
      g_print ("hyperlinkctl %s\n", PACKAGE_VERSION);
      return HL_CTL_EXIT_OK;
    }
  if (argc < 2)
    {
      /* No command: what a new user types first. */
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_print ("%s", help);
      return HL_CTL_EXIT_OK;
    }

  hl_ctl_set_data_dir (&ctl, data_dir);
  rc = hl_ctl_run (&ctl, argc - 1, argv + 1);
  hl_ctl_clear (&ctl);
  return rc;
}
