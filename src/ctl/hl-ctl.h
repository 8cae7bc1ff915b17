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
#define HL_CTL_EXIT_OK           0
#define HL_CTL_EXIT_FAILED       1  /* the command could not do what was asked */
#define HL_CTL_EXIT_USAGE        2  /* the command line is wrong */
#define HL_CTL_EXIT_NOT_RUNNING  3  /* status: no node runs on the data directory */

typedef struct _HlCtl HlCtl;

typedef int (*HlCtlCommand) (HlCtl  *ctl,
                             int     argc,
                             char  **argv);

/* Whether a command may change the data directory. A command that reads
 * never creates anything: not the directory, not the database, not a key. */
typedef enum
{
  HL_CTL_READS,
  HL_CTL_WRITES,
} HlCtlAccess;

/* One command, as its usage line and --help show it (hl-ctl-commands.c). */
typedef struct
{
  const char   *group;     /* "thread" for `thread create`; NULL for a command of its own */
  const char   *name;
  const char   *args;      /* positional arguments: "SUBNET KEY", "[KEY]", "WORDS…" */
  const char   *options;   /* the options the usage line shows */
  const char   *brief;     /* for the overview, commands of their own only */
  const char   *summary;   /* for --help */
  HlCtlAccess   access;
  HlCtlCommand  run;
} HlCtlCommandInfo;

struct _HlCtl
{
  gboolean                json;
  char                   *data_dir;
  /* How the data directory was chosen, for hints: "--data-dir", "$" HL_DATA_DIR_ENV,
   * or NULL for the default. */
  const char             *data_dir_source;
  const HlCtlCommandInfo *command;   /* the command running, once known */
  HlStore                *store;
  HlIdentity             *identity;
};

/* The text of --body or --body-file (hl-ctl-input.c). */
typedef struct
{
  char *text;
  char *file;
} HlCtlBody;

void hl_ctl_body_clear (HlCtlBody *body);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HlCtlBody, hl_ctl_body_clear)

#define HL_CTL_BODY_ENTRIES(body, what) \
  { "body", 0, 0, G_OPTION_ARG_STRING, &(body)->text, what, "TEXT" }, \
  { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &(body)->file, \
    "Read the text from FILE instead (“-”: standard input; trailing line breaks are dropped)", \
    "FILE" }

/* hl-ctl.c */
void        hl_ctl_set_data_dir    (HlCtl         *ctl,
                                    const char    *option);
void        hl_ctl_clear           (HlCtl         *ctl);
/* Whether the data directory holds a database; if not, an error that says
 * what to do. */
gboolean    hl_ctl_check_data      (HlCtl         *ctl,
                                    GError       **error);
/* The store: opened for writing (creating the data directory and database)
 * by commands that write, read-only by those that read, which refuse a
 * missing data directory or database with a hint. */
HlStore    *hl_ctl_store           (HlCtl         *ctl,
                                    GError       **error);
/* This device's key: created when missing by commands that write only. */
HlIdentity *hl_ctl_identity        (HlCtl         *ctl,
                                    gboolean      *created,
                                    GError       **error);
/* Parses the running command's options (and the global ones, which may
 * follow the command too) and checks its positional arguments against its
 * usage line. FALSE once the usage error is reported. */
gboolean    hl_ctl_parse           (HlCtl         *ctl,
                                    GOptionEntry  *entries,
                                    int           *argc,
                                    char        ***argv);
void        hl_ctl_add_global_entries (GOptionContext *context,
                                    gboolean      *json,
                                    char         **data_dir);
int         hl_ctl_fail            (HlCtl         *ctl,
                                    const GError  *error);
/* Reports a wrong command line, with the running command's usage line. */
int         hl_ctl_usage_error     (HlCtl         *ctl,
                                    const char    *format,
                                    ...) G_GNUC_PRINTF (2, 3);
void        hl_ctl_print_error     (HlCtl         *ctl,
                                    const char    *message,
                                    const char    *code);
char       *hl_ctl_usage_line      (const HlCtlCommandInfo *info);
gboolean    hl_ctl_resolve         (HlCtl         *ctl,
                                    const char    *prefix,
                                    guint8        *id,
                                    GError       **error);
/* Publishes an event built from a JsonBuilder object body. */
HlEvent    *hl_ctl_publish_quietly (HlCtl         *ctl,
                                    const char    *kind,
                                    const guint8  *ref,
                                    JsonBuilder   *body,
                                    const char    *what,
                                    GError       **error);
/* The same, then prints the new id (or, with --json, {"id", "event"}). */
int         hl_ctl_publish         (HlCtl         *ctl,
                                    const char    *kind,
                                    const guint8  *ref,
                                    JsonBuilder   *body,
                                    const char    *what);

/* hl-ctl-commands.c */
int         hl_ctl_run             (HlCtl         *ctl,
                                    int            argc,
                                    char         **argv);
/* Parses the options before the command; its --help is the overview. */
GOptionContext *hl_ctl_global_context_new (HlCtl  *ctl,
                                    char         **data_dir,
                                    gboolean      *version);

/* hl-ctl-input.c: what people type, besides options. */
/* The text of --body or --body-file; NULL and *rc HL_CTL_EXIT_OK when
 * neither was given, NULL and another *rc once an error is reported. */
char       *hl_ctl_body_text       (HlCtl         *ctl,
                                    HlCtlBody     *body,
                                    int           *rc);
/* HOST, HOST:PORT, [IPv6]:PORT or ws://HOST:PORT as ws://HOST:PORT. */
char       *hl_ctl_peer_address    (const char    *text,
                                    GError       **error);
/* Asks @question on the terminal; FALSE without asking unless standard
 * input and error are a terminal and the output is not --json. */
gboolean    hl_ctl_confirm         (HlCtl         *ctl,
                                    const char    *question);

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
/* A search snippet for the terminal: the words found in bold reverse video
 * when standard output is a terminal with colours, else plain. */
char       *hl_ctl_format_snippet (const char        *snippet);
void        hl_ctl_print_post     (const HlPostRow   *row,
                                   gboolean           full);
JsonBuilder *hl_ctl_body_new      (void);
void        hl_ctl_body_add       (JsonBuilder   *body,
                                   const char    *name,
                                   const char    *value);

/* The commands, by the file that holds them. */
/* hl-ctl-identity.c */
/* hl-ctl-restore.c: runs a node here and restores every segment this
 * device lacks, or only @segments (a load); progress as lines. */
int         hl_ctl_restore_run     (HlCtl         *ctl,
                                    const gint64  *segments,
                                    guint          n_segments,
                                    guint          wait_s,
                                    guint          timeout_s,
                                    GError       **error);
/* hl-ctl-horizon.c: history not on this device. */
int         hl_ctl_print_archived  (HlCtl         *ctl,
                                    const guint8  *subnet);
void        hl_ctl_print_older_history (HlCtl     *ctl,
                                        const guint8 *subnet);
void        hl_ctl_print_unsearched (HlCtl        *ctl);
guint       hl_ctl_count_unsearched (HlCtl        *ctl);

int hl_ctl_cmd_config_show      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_config_set       (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_archive_load     (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_init             (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_whoami           (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_profile_set      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_profile_show     (HlCtl *ctl, int argc, char **argv);
/* hl-ctl-forum.c */
int hl_ctl_cmd_subnet_create    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_subnet_list      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_subnet_update    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_thread_create    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_thread_list      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_thread_show      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_reply            (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_edit             (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_delete           (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_hide             (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_unhide           (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_moderator_add    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_moderator_remove (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_moderator_list   (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_search           (HlCtl *ctl, int argc, char **argv);
/* hl-ctl-events.c */
int hl_ctl_cmd_export           (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_import           (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_state            (HlCtl *ctl, int argc, char **argv);
/* hl-ctl-peers.c */
int hl_ctl_cmd_peer_add         (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_peer_remove      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_peer_list        (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_bootstrap_add    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_bootstrap_remove (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_bootstrap_list   (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_status           (HlCtl *ctl, int argc, char **argv);
/* hl-ctl-archive.c */
int hl_ctl_cmd_archive_status   (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_archive_seal     (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_archive_verify   (HlCtl *ctl, int argc, char **argv);
/* hl-ctl-restore.c */
int hl_ctl_cmd_archive_restore  (HlCtl *ctl, int argc, char **argv);
/* hl-ctl-invite.c */
int hl_ctl_cmd_invite_create    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_invite_accept    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_invite_list      (HlCtl *ctl, int argc, char **argv);
/* hl-ctl-private.c */
int hl_ctl_create_private_subnet (HlCtl *ctl, const char *name, const char *description,
                                  const char *tag);
int hl_ctl_cmd_member_add       (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_member_remove    (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_member_list      (HlCtl *ctl, int argc, char **argv);
int hl_ctl_cmd_acl              (HlCtl *ctl, int argc, char **argv);

G_END_DECLS
