/* main.c: hyperlink, the window.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hl-application.h"
#include "hl-ui-util.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HlApplication) app = NULL;

  setlocale (LC_ALL, "");
  hl_ui_bind_textdomain ();

  app = hl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
