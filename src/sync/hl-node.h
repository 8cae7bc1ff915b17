/* hl-node.h: a Hyperlink node: the store, its peers, and the sync between.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HL_TYPE_NODE (hl_node_get_type ())

G_DECLARE_FINAL_TYPE (HlNode, hl_node, HL, NODE, GObject)

/* Opens the store and identity of @data_dir. The caller holds the data
 * directory's lock (hl_sync_lock_acquire). */
HlNode     *hl_node_new            (const char   *data_dir,
                                    GError      **error);
/* Listens for peers on @host:@port (port 0: any free port), and there only. */
gboolean    hl_node_listen         (HlNode       *self,
                                    const char   *host,
                                    guint16       port,
                                    GError      **error);
/* Listens on each of @hosts (IP addresses) and on nothing else: addresses
 * no longer listed close, new ones open, before or while the node runs.
 * One port for all: that of the addresses already open if any, else @port
 * (0: a free one, picked by the first address). FALSE, with @error saying
 * why the first that failed did, when one would not open; the others are
 * open then. */
gboolean    hl_node_set_listen_hosts (HlNode     *self,
                                    const char * const *hosts,
                                    guint16       port,
                                    GError      **error);
/* What hyperlinkd and the window do by default: listens on loopback
 * (127.0.0.1, and ::1 where the machine has it) and, while Tailscale
 * reports them (hl_node_set_tailscale), on this machine's tailnet
 * addresses, following them as they change. FALSE when 127.0.0.1:@port
 * does not open. */
gboolean    hl_node_listen_default (HlNode       *self,
                                    guint16       port,
                                    GError      **error);
guint16     hl_node_get_port       (HlNode       *self);
/* A peer to dial for as long as the node runs (besides the ones stored with
 * `hyperlinkctl peer add`). */
gboolean    hl_node_add_peer       (HlNode       *self,
                                    const char   *address,
                                    GError      **error);

/* How a peer came to be dialled; a target may have been found several ways. */
typedef enum
{
  HL_PEER_FOUND_MANUAL    = 1 << 0,   /* --peer or `hyperlinkctl peer add` */
  HL_PEER_FOUND_TAILNET   = 1 << 1,   /* the local tailscaled's peer list */
  HL_PEER_FOUND_BOOTSTRAP = 1 << 2,   /* a bootstrap node's registry */
  HL_PEER_FOUND_EXCHANGE  = 1 << 3,   /* another peer passed it on */
  HL_PEER_FOUND_INVITE    = 1 << 4,   /* an accepted invite link */
} HlPeerFound;

/* What discovery knows of a peer, shown in status. Every field may be NULL. */
typedef struct
{
  const char *via;            /* provenance: node key (hex) of who told us */
  const char *key_hex;        /* the node key expected there, when known */
  const char *dns_name;       /* MagicDNS name, without the trailing dot */
  const char *tailnet_user;   /* login name of the machine's owner */
  const char *machine;        /* tailnet host name */
  const char *path;           /* "direct" or "relayed" */
} HlPeerHints;

/* Dials @address (a ws:// URL or HOST:PORT) for as long as some way of
 * finding it still offers it; offering again updates the hints. */
gboolean    hl_node_offer_peer     (HlNode            *self,
                                    const char        *address,
                                    HlPeerFound        found,
                                    const HlPeerHints *hints,
                                    GError           **error);
/* @found no longer offers @address; the target goes (and its connection is
 * closed) when nothing offers it any more. */
void        hl_node_withdraw_peer  (HlNode            *self,
                                    const char        *address,
                                    HlPeerFound        found);
/* The lower-case names of the bits of @found, e.g. "manual,tailnet". */
char       *hl_peer_found_to_string (HlPeerFound       found);

/* Finds peers on the tailnet of the local tailscaled, and admits incoming
 * connections from its machines while Tailscale runs (whois vouches for
 * them). @socket_path NULL: the default socket or $HYPERLINK_TAILSCALE_SOCKET;
 * @tag NULL: every machine, else only those with this ACL tag; @port 0: the
 * default Hyperlink port. Before hl_node_start; without this call the node
 * does not ask tailscaled, and admits loopback, manual peers and invited
 * nodes only (docs/protocol.md, "Admission"). */
void        hl_node_set_tailscale  (HlNode       *self,
                                    const char   *socket_path,
                                    const char   *tag,
                                    guint16       port);
/* Admits connections from any network, not only the tailnet, manual peers
 * and invited nodes. Off by default; before hl_node_start. */
void        hl_node_set_allow_any_network (HlNode *self,
                                    gboolean      allow);
/* A bootstrap node keeps a registry of the nodes that announce themselves
 * to it and hands it out (docs/protocol.md, "Bootstrap nodes"). Call
 * before hl_node_start. */
void        hl_node_set_bootstrap  (HlNode       *self,
                                    gboolean      bootstrap);
/* A bootstrap node to dial and announce to, for as long as the node runs
 * (besides the ones stored with `hyperlinkctl bootstrap add`). */
gboolean    hl_node_add_bootstrap_node (HlNode   *self,
                                    const char   *address,
                                    GError      **error);
/* An address (ws://HOST:PORT) at which peers can reach this node, which it
 * announces besides its listen address. */
gboolean    hl_node_advertise_address (HlNode    *self,
                                    const char   *address,
                                    GError      **error);

gboolean    hl_node_start          (HlNode       *self,
                                    GError      **error);
/* Closes every connection, applies what was already received and verified,
 * and writes the final status. */
void        hl_node_stop           (HlNode       *self);
const char *hl_node_get_key_hex    (HlNode       *self);

/* Restoring history from the archive (docs/protocol.md, "Restore"). */
typedef struct
{
  gboolean  active;
  gboolean  finished;       /* every current segment decoded here */
  gboolean  cancelled;      /* hl_node_restore_cancel() ended it */
  char     *error;          /* it cannot finish: why, in words; NULL otherwise */
  int       error_code;     /* with @error: an HlSyncError (RESTORE_NO_PEER, RESTORE_INCOMPLETE, FAILED) */
  gint64    request;        /* the HL_ARCHIVE_SETTING_RESTORE_REQUEST it answers, 0 none */
  guint     segments;       /* current segments this device lacked */
  guint     segments_done;
  guint64   bytes;          /* symbol bytes received */
  guint64   bytes_total;    /* about what the whole restore receives */
  guint     peers;          /* holders asked at the moment */
  gint64    eta_ms;         /* -1: not known yet */
  guint64   symbols_received;
  guint64   source_symbols; /* K of the decoded segments */
  guint64   events;         /* in the decoded segments */
  guint64   events_new;
  guint64   bad_runs;       /* runs that failed their proof (their senders penalised) */
  gint64    wait_ms;        /* from the start until fetching began */
  gint64    fetch_ms;       /* from then until the last segment was ready to decode */
  gint64    decode_ms;      /* reading the symbols, RaptorQ decoding, decrypting, parsing */
  gint64    verify_ms;      /* checking every signature */
  gint64    apply_ms;       /* ingesting */
} HlRestoreProgress;

/* After hl_node_stop(): every connection has closed (its close frame left). */
gboolean    hl_node_connections_closed (HlNode   *self);

/* Fetches, decodes and ingests every current segment this device has not
 * verified, from all reachable holders at once, nearest first; waits up to
 * @wait_s for peers to connect and reconcile first. */
void        hl_node_restore_start  (HlNode       *self,
                                    guint         wait_s);
const HlRestoreProgress *hl_node_restore_progress (HlNode *self);
/* The same for @segments only (archive_segments rowids: months dropped
 * below the horizon, or never held here): loading history on demand. */
void        hl_node_load_start     (HlNode       *self,
                                    const gint64 *segments,
                                    guint         n_segments,
                                    guint         wait_s);
/* Ends a restore now. What arrived stays stored: the next restore goes on
 * from there. */
void        hl_node_restore_cancel (HlNode       *self);
/* A deep copy of @p, for another thread. */
HlRestoreProgress *hl_restore_progress_copy (const HlRestoreProgress *p);
void        hl_restore_progress_free (HlRestoreProgress *p);
/* Into a status document's "restore" member, and back. */
void        hl_restore_progress_to_json (const HlRestoreProgress *p,
                                         JsonBuilder             *b);
HlRestoreProgress *hl_restore_progress_from_json (JsonObject     *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlRestoreProgress, hl_restore_progress_free)

G_END_DECLS
