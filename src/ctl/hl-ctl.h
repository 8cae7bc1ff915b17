/* hl-ctl.h: what the hyperlinkctl commands share.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hl-identity.h"
#include "hl-store.h"

G_BEGIN_DECLS

/* Exit codes: documented in `hyperlinkctl --help` and the README. */
#define HL_CTL_EXIT_OK        0
#define HL_CTL_EXIT_FAILED    1  /* the command could not do what was asked */
#define HL_CTL_EXIT_USAGE     2  /* the command line is wrong */

typedef struct
{
  char       *data_dir_option;
  gboolean    json;
  char       *data_dir;
  HlStore    *store;
  HlIdentity *identity;
} HlCtl;

typedef int (*HlCtlCommand) (HlCtl  *ctl,
                             int     argc,
                             char  **argv);

/* hl-ctl.c */
HlStore    *hl_ctl_store          (HlCtl         *ctl,
                                   GError       **error);
HlIdentity *hl_ctl_identity       (HlCtl         *ctl,
                                   gboolean      *created,
                                   GError       **error);
gboolean    hl_ctl_parse          (HlCtl         *ctl,
                                   const char    *usage,
                                   const char    *summary,
                                   GOptionEntry  *entries,
                                   int           *argc,
                                   char        ***argv,
                                   int            min_args,
                                   int            max_args);
int         hl_ctl_fail           (HlCtl         *ctl,
                                   const GError  *error);
int         hl_ctl_usage_error    (HlCtl         *ctl,
                                   const char    *format,
                                   ...) G_GNUC_PRINTF (2, 3);
gboolean    hl_ctl_resolve        (HlCtl         *ctl,
                                   const char    *prefix,
                                   guint8        *id,
                                   GError       **error);
/* Publishes an event built from a JsonBuilder object body. */
HlEvent    *hl_ctl_publish_quietly (HlCtl        *ctl,
                                   const char    *kind,
                                   const guint8  *ref,
                                   JsonBuilder   *body,
                                   const char    *what,
                                   GError       **error);
/* The same, then prints the new id (or, with --json, {"id", "event"}). */
int         hl_ctl_publish        (HlCtl         *ctl,
                                   const char    *kind,
                                   const guint8  *ref,
                                   JsonBuilder   *body,
                                   const char    *what);

/* hl-ctl-output.c */
void        hl_ctl_print_json     (JsonNode      *node);
/* Prints and frees @object. */
void        hl_ctl_print_object   (JsonObject    *object);
char       *hl_ctl_short_id       (const guint8  *id);
char       *hl_ctl_format_time    (gint64         ms);
char       *hl_ctl_author_label   (const guint8  *key,
                                   const char    *name);
JsonNode   *hl_ctl_subnet_to_json (const HlSubnetRow *row);
JsonNode   *hl_ctl_post_to_json   (const HlPostRow   *row);
void        hl_ctl_print_post     (const HlPostRow   *row,
                                   gboolean           full);
JsonBuilder *hl_ctl_body_new      (void);
void        hl_ctl_body_add       (JsonBuilder   *body,
                                   const char    *name,
                                   const char    *value);

/* The command groups. */
int hl_ctl_cmd_init      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_whoami    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_profile   (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_subnet    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_thread    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_reply     (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_edit      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_delete    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_hide      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_unhide    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_moderator (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_search    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_export    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_import    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_state     (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_peer      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_status    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_bootstrap (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_invite    (HlCtl *ctl, int argc, char **argv);

G_END_DECLS
