/* hl-test-util.h: running the real hyperlinkctl in the process tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What one hyperlinkctl run left behind. */
typedef struct
{
  int   status;   /* exit status, or -1 when killed by a signal */
  char *out;
  char *err;
} HlCtlRun;

void      hl_ctl_run_free           (HlCtlRun    *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlCtlRun, hl_ctl_run_free)

/* g_test_init(), plus a sandbox: $XDG_DATA_HOME points into it and
 * $HYPERLINK_DATA_DIR is unset, so no run can touch the real data. */
void        hl_test_init             (int          *argc,
                                      char       ***argv);
/* Runs the tests and removes the sandbox. */
int         hl_test_run_and_clean_up (void);

const char *hl_test_ctl_path         (void);
const char *hl_test_forge_path       (void);

/* A new empty directory in the sandbox; free with hl_test_remove_tree(). */
char       *hl_test_make_dir         (const char   *label);
void        hl_test_remove_tree      (const char   *path);

/* Runs hyperlinkctl with @argv. @data_dir, unless NULL, goes first as
 * --data-dir; @env_extra holds NAME=VALUE pairs added to the environment. */
HlCtlRun   *hl_test_ctl_runv         (const char   *data_dir,
                                      const char * const *env_extra,
                                      const char * const *argv);
/* The same, with @input (unless NULL) on standard input, which is a pipe. */
HlCtlRun   *hl_test_ctl_runv_input   (const char   *data_dir,
                                      const char * const *env_extra,
                                      const char   *input,
                                      const char * const *argv);
HlCtlRun   *hl_test_ctl_run          (const char   *data_dir,
                                      ...) G_GNUC_NULL_TERMINATED;
/* Runs it, asserts success and returns standard output, stripped. */
char       *hl_test_ctl_ok           (const char   *data_dir,
                                      ...) G_GNUC_NULL_TERMINATED;
/* The same with --json; returns the parsed output. */
JsonNode   *hl_test_ctl_json         (const char   *data_dir,
                                      ...) G_GNUC_NULL_TERMINATED;
JsonNode   *hl_test_ctl_json_argv    (const char   *data_dir,
                                      const char * const *argv);

/* Runs `init --name @name` on a new data directory; returns the key. */
char       *hl_test_init_identity    (const char   *dir,
                                      const char   *name);

/* Members of a JSON object node, asserting they exist with that type. */
const char *hl_test_get_string       (JsonNode     *node,
                                      const char   *name);
gint64      hl_test_get_int          (JsonNode     *node,
                                      const char   *name);
gboolean    hl_test_get_bool         (JsonNode     *node,
                                      const char   *name);
JsonNode   *hl_test_get_member       (JsonNode     *node,
                                      const char   *name);
gboolean    hl_test_is_hex_id        (const char   *text);

/* Asserts the run failed with @status, said nothing on standard output unless
 * @json, and wrote an error starting "hyperlinkctl:" that contains @needle
 * (case-insensitive). */
void        hl_test_assert_failed    (const HlCtlRun *run,
                                      int             status,
                                      const char     *needle);

void        hl_test_assert_contains  (const char   *haystack,
                                      const char   *needle);

JsonNode   *hl_test_parse_json       (const char   *text);
/* Every line of @text parsed as an event; asserts each has an "id". */
GPtrArray  *hl_test_parse_jsonl      (const char   *text);
gboolean    hl_test_contains_casefold (const char  *haystack,
                                       const char  *needle);

/* Runs hl-test-forge; returns the signed event's JSON line. @ts_ms < 0 means
 * now; @ref may be NULL. */
char       *hl_test_forge            (const char   *key_file,
                                      const char   *kind,
                                      gint64        ts_ms,
                                      const char   *ref,
                                      const char   *body);

/* Names the files directly in @dir whose raw bytes hold @needle, "" if none. */
char       *hl_test_files_holding    (const char   *dir,
                                      const char   *needle);

char       *hl_test_write_file       (const char   *dir,
                                      const char   *name,
                                      const char   *contents);

G_END_DECLS
