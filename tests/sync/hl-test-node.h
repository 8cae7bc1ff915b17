/* hl-test-node.h: real hyperlinkd processes on loopback for the sync tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char           *name;
  char           *data_dir;
  char           *log_path;    /* of the latest run */
  guint           runs;
  guint16         port;
  char           *address;     /* ws://127.0.0.1:PORT */
  GSubprocess    *process;
  GPtrArray      *peers;       /* char *: --peer addresses */
  char           *netns;       /* run inside this network namespace, or NULL */
  char           *listen;      /* --listen value instead of 127.0.0.1:PORT; "none": --no-listen;
                                "default": no listen option at all */
  GPtrArray      *args;        /* char *: more hyperlinkd options */
  guint           nofile;      /* run under this RLIMIT_NOFILE (soft and hard), or 0 */
} HlTestNode;

/* A fresh data directory with an identity; not started. */
HlTestNode *hl_test_node_new          (const char   *name);
/* The same, to run in network namespace @netns listening on every address
 * at 9473 and asking the tailscaled at @tailscale_socket (NULL: the tests'
 * socket nobody serves, so Tailscale is "not running"). */
HlTestNode *hl_test_node_new_in       (const char   *name,
                                       const char   *netns,
                                       const char   *tailscale_socket);
void        hl_test_node_free         (HlTestNode   *node);
void        hl_test_node_add_peer     (HlTestNode   *node,
                                       HlTestNode   *other);
/* Starts hyperlinkd on a free loopback port and waits until it runs. */
void        hl_test_node_start        (HlTestNode   *node);
/* SIGTERM and wait; asserts a clean exit. */
void        hl_test_node_stop         (HlTestNode   *node);
/* SIGKILL and wait. */
void        hl_test_node_kill         (HlTestNode   *node);

/* Runs hyperlinkctl --data-dir on the node; returns stdout, asserts success. */
char       *hl_test_node_ctl          (HlTestNode   *node,
                                       ...) G_GNUC_NULL_TERMINATED;
/* The same, returning the exit status and both outputs. */
int         hl_test_node_ctl_full     (HlTestNode   *node,
                                       char        **out,
                                       char        **err,
                                       ...) G_GNUC_NULL_TERMINATED;
char       *hl_test_node_state        (HlTestNode   *node);
gint64      hl_test_node_count        (HlTestNode   *node);
/* Parsed `hyperlinkctl status --json`. */
JsonNode   *hl_test_node_status       (HlTestNode   *node);
/* Publishes a thread in a subnet the node creates on first use; returns its id. */
char       *hl_test_node_post         (HlTestNode   *node,
                                       const char   *title);
gboolean    hl_test_node_has          (HlTestNode   *node,
                                       const char   *id);

/* Polls until every node's materialised state is the same, or @timeout_s. */
gboolean    hl_test_wait_converged    (HlTestNode  **nodes,
                                       guint         n,
                                       guint         timeout_s);
gboolean    hl_test_wait_has          (HlTestNode   *node,
                                       const char   *id,
                                       guint         timeout_s);
/* Polls until every peer the node lists is connected and in sync. */
gboolean    hl_test_wait_in_sync      (HlTestNode   *node,
                                       guint         n_peers,
                                       guint         timeout_s);
/* Writes @n events (a subnet, then threads in it) by an author made from
 * @seed, one millisecond apart from @start_ms, into each of the @n_dirs data
 * directories (nodes not running). The same arguments give the same events. */
void        hl_test_fill              (const char  **data_dirs,
                                       guint         n_dirs,
                                       guint         n,
                                       guint8        seed,
                                       guint64       start_ms);
/* Another hyperlinkd option for the next start, e.g. "--bootstrap". */
void        hl_test_node_add_arg      (HlTestNode   *node,
                                       const char   *arg);
/* Polls until @func (@node, @user_data) holds, or @timeout_s. */
gboolean    hl_test_wait_for          (HlTestNode   *node,
                                       gboolean    (*func) (HlTestNode *node,
                                                            gpointer    user_data),
                                       gpointer      user_data,
                                       guint         timeout_s);
/* A peer to look for in a node's status: connected to the node with key
 * @key, found (among other ways) as @found, told by @via (NULL: anyone). */
typedef struct
{
  const char *key;
  const char *found;
  const char *via;
} HlTestWantPeer;

/* For hl_test_wait_for: @want (an HlTestWantPeer) is among @node's peers. */
gboolean    hl_test_has_peer_found    (HlTestNode   *node,
                                       gpointer      want);
/* The latest run's log contains @text. */
gboolean    hl_test_node_log_has      (HlTestNode   *node,
                                       const char   *text);
guint16     hl_test_free_port         (void);
const char *hl_test_hyperlinkd        (void);
const char *hl_test_hyperlinkctl      (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTestNode, hl_test_node_free)

G_END_DECLS
