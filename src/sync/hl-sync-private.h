/* hl-sync-private.h: what hl-node*.c and hl-peer.c share.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "hl-identity.h"
#include "hl-listener.h"
#include "hl-node.h"
#include "hl-peer.h"
#include "hl-reconcile.h"
#include "hl-store.h"
#include "hl-store-sync.h"
#include "hl-sync-set.h"
#include "hl-sync-wire.h"
#include "hl-tailnet.h"
#include "hl-verifier.h"
#include "hl-ws-guard.h"

G_BEGIN_DECLS

typedef struct _HlDelivery HlDelivery;
typedef struct _HlPeerArchive HlPeerArchive;
struct _HlNodeArchive;
typedef struct _HlAdmission HlAdmission;

/* Something to send a peer: one event, or (is_range, an HlRangePush)
 * every held event of a range. A peer's queue can hold HL_SYNC_MAX_QUEUE
 * single events while a sync brings them in faster than it takes them: 40
 * bytes each, not the 144 of a range. */
typedef struct
{
  gboolean     is_range;
  guint8       id[HL_ID_LEN];
} HlPush;

typedef struct
{
  HlPush       push;
  HlSyncBound  lower;        /* cursor: the next key to look at */
  HlSyncBound  upper;
  GArray      *exclude;      /* guint64 prefixes the peer has, sorted */
} HlRangePush;

HlPush *hl_push_new_event (const guint8      *id);
/* Takes a reference to @exclude (NULL or empty: none). */
HlPush *hl_push_new_range (const HlSyncBound *lower,
                           const HlSyncBound *upper,
                           GArray            *exclude);
void    hl_push_free      (HlPush            *push);

typedef enum
{
  HL_PEER_HANDSHAKE,
  HL_PEER_READY,
  HL_PEER_CLOSED,
} HlPeerState;

/* Where an inbound connection stands with admission (hl-node-admission.c).
 * Outbound ones are admitted from the start. */
typedef enum
{
  HL_ADMIT_WAITING,     /* undecided: our auth is withheld, so it cannot become ready */
  HL_ADMIT_PROBATION,   /* our auth went out so that it can redeem an invite; only
                         * redeem, ping, pong and error are taken from it */
  HL_ADMIT_YES,
} HlAdmitState;

/* Why a connection was admitted. The first four make it "known": it is
 * never evicted to make room, and it may evict a connection that is not. */
typedef enum
{
  HL_ADMITTED_NOT,
  HL_ADMITTED_OUTBOUND,     /* we dialled it */
  HL_ADMITTED_TAILNET,      /* whois vouched for its address */
  HL_ADMITTED_MANUAL,       /* a manual peer: its key, or its address's IP */
  HL_ADMITTED_INVITE,       /* an inviter of ours, a redeemer of our invites */
  HL_ADMITTED_LOOPBACK,     /* a process of this machine */
  HL_ADMITTED_ANY_NETWORK,  /* --allow-any-network */
} HlAdmittedAs;

typedef enum
{
  HL_WHOIS_NONE,        /* not asked (not needed, or Tailscale is not running) */
  HL_WHOIS_ASKING,
  HL_WHOIS_YES,         /* a machine of the tailnet */
  HL_WHOIS_NO,          /* not one, or tailscaled could not say: whois_problem says which */
} HlWhoisState;

struct _HlPeer
{
  GObject                  parent_instance;

  HlNode                  *node;           /* not owned: the node outlives its peers */
  guint64                  id;
  SoupWebsocketConnection *conn;
  HlWsGuard               *guard;          /* the stream's limits (hl-ws-guard.c) */
  gboolean                 outbound;
  char                    *address;        /* ws://... we dialled, or HOST:PORT that dialled us */
  char                    *remote_host;
  HlPeerState              state;
  gboolean                 closing;        /* we closed it; the close handshake is under way */

  guint8                   my_nonce[HL_SYNC_NONCE_LEN];
  gboolean                 got_hello;
  gboolean                 got_auth;
  guint8                   their_key[HL_KEY_LEN];
  char                    *their_key_hex;
  guint8                   their_nonce[HL_SYNC_NONCE_LEN];
  char                    *their_software;
  char                    *their_error;    /* the last "error" message it sent */
  char                    *tailnet_user;   /* from whois, for inbound peers */
  char                    *machine;

  /* Admission and slots (hl-node-admission.c). */
  HlAdmitState             admission;
  HlAdmittedAs             admitted_as;
  gboolean                 auth_sent;
  gboolean                 holds_slot;     /* counted against the connection limits */
  gboolean                 was_on_probation;  /* it redeemed its way in */
  HlWhoisState             whois;
  char                    *whois_problem;  /* why the tailnet did not vouch for it */
  char                    *tailnet_machine;  /* MagicDNS name (else host name) from whois */
  GStrv                    tailnet_tags;   /* Node.Tags from whois, or NULL */
  HlSyncSet               *zone_set;       /* hl-node-zones.c: the set with its zones, or NULL */

  gint64                   connected_at;   /* monotonic µs */
  gint64                   last_recv;      /* monotonic µs */
  gint64                   last_ping;
  gint64                   last_seen_ms;   /* wall clock */

  guint64                  events_sent;
  guint64                  events_received;
  guint64                  bytes_sent;
  guint64                  bytes_received;
  guint64                  recon_frames;   /* reconciliation frames, both ways */

  /* Flow control of events frames, in bytes (docs: "Limits"). */
  guint64                  ev_sent;
  guint64                  ev_acked;       /* by the peer */
  guint64                  ev_recv;
  guint64                  ev_done;        /* applied here */
  guint64                  ev_done_acked;  /* what our last ack said */
  gint64                   events_recv_at; /* monotonic µs of its last events frame */

  GQueue                  *queue;          /* HlPush */
  GHashTable              *wants;          /* guint64 * prefix -> gint64 * asked at (µs) */
  GArray                  *want_backlog;   /* guint64 prefixes to ask for once fewer are out */
  guint                    want_next;      /* the first of them not yet asked for */
  gint64                   gossip_seq;     /* rows at or below were there at handshake */
  GHashTable              *received;       /* HlId: got from this peer, not yet seen in a scan */

  gboolean                 recon_mine;     /* an exchange we opened is under way */
  gboolean                 recon_theirs;
  gboolean                 recon_again;    /* we dropped gossip: reconcile again */
  gboolean                 recon_done_once;
  gint64                   recon_started;  /* monotonic µs */
  gint64                   recon_ended;

  double                   tokens;         /* message rate limit */
  gint64                   tokens_at;
  double                   score;          /* offences, decaying */
  gint64                   score_at;

  /* Discovery (hl-node-discovery.c). */
  guint                    caps;           /* HlCap bits of its hello */
  GPtrArray               *reach;          /* char *: where it says it can be reached */
  gboolean                 announced;      /* it sent announce on this connection */
  gboolean                 sent_registry;  /* (bootstrap) it got the registry list */
  gint64                   last_announce;  /* monotonic µs we last announced to it */
  gint64                   last_exchange;  /* monotonic µs we last sent it our peers */
  guint                    bad_addresses;  /* offences for addresses, to cap them */

  /* The archive (hl-node-archive.c); NULL until it speaks it. */
  HlPeerArchive           *archive;
  guint64                  archive_wants_served;
  guint64                  archive_symbols_sent;
  guint64                  archive_symbols_received;
  guint64                  archive_refused;   /* symbols frames nobody asked for */
  guint64                  archive_bad;       /* runs that failed their proof */
};

/* Capabilities of a hello (docs/protocol.md, "Handshake"). */
typedef enum
{
  HL_CAP_PEX      = 1 << 0,   /* "pex-1": announce and peers */
  HL_CAP_REGISTRY = 1 << 1,   /* "registry-1": a bootstrap node */
  HL_CAP_INVITE   = 1 << 2,   /* "invite-1": redeem */
  HL_CAP_ARCHIVE  = 1 << 3,   /* "archive-1": sym-* messages and SYMBOLS frames */
} HlCap;

typedef struct
{
  char     *address;
  gboolean  from_cli;
  gboolean  from_db;
  HlPeer   *peer;            /* the connection under way, or NULL */
  GCancellable *cancellable;
  gboolean  connecting;
  gint64    next_attempt;    /* monotonic µs */
  gint64    backoff_ms;
  gboolean  is_self;
  char     *last_error;
  gboolean  refused;         /* the last dial found nothing listening */
  char     *key_hex;         /* the node last found here */
  gint64    last_seen_ms;
  guint     found;           /* HlPeerFound bits besides from_cli/from_db */
  char     *via;             /* HlPeerHints, as last offered */
  char     *dns_name;
  char     *tailnet_user;
  char     *machine;
  char     *path;
  gboolean  bootstrap_cli;   /* --bootstrap-node */
  gboolean  bootstrap_db;    /* hyperlinkctl bootstrap add */
  char     *invite_id;       /* an address of a pending accepted invite */
} HlTarget;

/* Kept after an inbound peer leaves, for `hyperlinkctl status`. */
typedef struct
{
  char    *address;
  char    *key_hex;
  gint64   last_seen_ms;
  guint64  events_sent, events_received, bytes_sent, bytes_received;
} HlPastPeer;

struct _HlNode
{
  GObject        parent_instance;

  char          *data_dir;
  HlStore       *store;
  HlIdentity    *identity;
  char          *key_hex;
  SoupServer    *server;         /* made by the first listen; HTTP and the upgrade */
  HlListener    *listener;       /* accepts for it (hl-listener.c) */
  gboolean       listen_default; /* loopback, and the tailnet's addresses as they come */
  GStrv          tailnet_ips;    /* this machine's, as Tailscale last said */
  char          *tailnet_name;   /* its MagicDNS name, without the final dot */
  GHashTable    *listen_failed;  /* hosts that would not open: warned about once */
  guint16        port;
  HlTailnet     *tailnet;        /* NULL: Tailscale not used */
  gboolean       allow_any_network;
  HlAdmission   *admission;      /* hl-node-admission.c */

  GHashTable    *peers;          /* guint64 id -> HlPeer (owned) */
  guint64        next_peer_id;
  GPtrArray     *targets;        /* HlTarget */
  GHashTable    *past;           /* key hex -> HlPastPeer */
  GHashTable    *bans;           /* key hex or IP -> gint64 * until (monotonic µs) */

  HlSyncSet     *set;
  gint64         seen_seq;
  HlVerifier    *verifier;
  GPtrArray     *apply_events;   /* HlEvent *, verified, waiting for a transaction */
  GArray        *apply_from;     /* guint64 peer id of each */
  GArray        *apply_frames;   /* ApplyFrame: bytes to acknowledge once applied */
  guint          apply_source;
  gboolean       bulk;           /* a large backlog: the store's bulk mode is on */
  gint64         last_apply;     /* monotonic µs */
  HlReconParams  recon;

  gint64         recon_interval_ms;
  gint64         ping_interval_ms;
  gint64         max_backoff_ms;
  gint64         ban_ms;
  gint64         status_interval_ms;
  gint64         rate_per_s;     /* messages a peer may send (HYPERLINK_SYNC_RATE) */
  gint64         max_unsent;     /* bytes waiting for a peer that does not read */

  guint          tick_source;
  guint          poll_source;
  guint          watch_source;   /* hl-node-watch.c: inotify on the data directory */
  guint          watch_scan_source;
  int            watch_fd;       /* -1 when not watching */
  char          *watch_name;     /* the store's -changed file's name */
  guint          status_source;
  gboolean       running;
  gboolean       stopping;
  gint64         started_ms;
  char          *last_status;

  guint64        totals_events_sent, totals_events_received;
  guint64        totals_bytes_sent, totals_bytes_received;
  guint64        refused_events;

  /* Discovery (hl-node-discovery.c, hl-node-invite.c). */
  gboolean       is_bootstrap;
  GHashTable    *registry;       /* key hex -> HlRegistryEntry (bootstrap nodes) */
  GPtrArray     *advertise;      /* char *: addresses to announce besides the listen one */
  GHashTable    *invites;        /* id hex -> HlPendingInvite: accepted here, not settled */
  gint64         announce_interval_ms;
  gint64         exchange_interval_ms;
  gint64         registry_ttl_ms;

  HlDelivery    *delivery;       /* hl-node-delivery.c */

  /* The archive (hl-node-archive.c); NULL with HYPERLINK_ARCHIVE=0. */
  struct _HlNodeArchive *archive;
  HlSyncSet     *full_set;       /* every held event, for peers without archive-1;
                                  * NULL while nothing is contained */
  /* Zones (hl-node-zones.c): their envelopes, kept out of the shared sets. */
  GHashTable    *zone_ids;       /* HlId -> interned tag */
  GArray        *zone_keys;      /* of ZoneKey */
};

typedef struct
{
  char      *key_hex;
  GPtrArray *addresses;      /* char * */
  guint64    peer_id;        /* the connection it announced on */
  gint64     refreshed;      /* monotonic µs */
} HlRegistryEntry;

typedef struct
{
  guint64 peer_id;
  gsize   len;
  guint   remaining;      /* its events not yet applied */
} ApplyFrame;

/* hl-peer.c */
HlPeer     *hl_peer_new            (HlNode                  *node,
                                    guint64                  id,
                                    SoupWebsocketConnection *conn,
                                    gboolean                 outbound,
                                    const char              *address,
                                    const char              *remote_host);
void        hl_peer_start          (HlPeer                  *self);
void        hl_peer_close          (HlPeer                  *self,
                                    gushort                  code,
                                    const char              *reason);
void        hl_peer_send_json      (HlPeer                  *self,
                                    JsonBuilder             *builder);
void        hl_peer_send_binary    (HlPeer                  *self,
                                    GByteArray              *frame);
/* Adds offence points; at the limit the peer is banned and closed. */
void        hl_peer_offence        (HlPeer                  *self,
                                    double                   points,
                                    const char              *format,
                                    ...) G_GNUC_PRINTF (3, 4);
gboolean    hl_peer_enqueue        (HlPeer                  *self,
                                    HlPush                  *push);
/* Sends queued events while the peer's window allows. */
void        hl_peer_pump           (HlPeer                  *self);
void        hl_peer_tick           (HlPeer                  *self,
                                    gint64                   now);
const char *hl_peer_sync_state     (HlPeer                  *self);
/* Ready, and not being closed: a connection that counts as connected. */
gboolean    hl_peer_is_ready       (HlPeer                  *self);
const char *hl_peer_label          (HlPeer                  *self);

/* hl-node-zones.c */
gboolean    hl_node_zones_load     (HlNode                  *self,
                                    GError                 **error);
void        hl_node_zones_free     (HlNode                  *self);
gboolean    hl_peer_has_tag        (HlPeer                  *peer,
                                    const char              *tag);
gboolean    hl_node_zone_allows    (HlNode                  *self,
                                    HlPeer                  *peer,
                                    const guint8            *id);
HlSyncSet  *hl_node_zones_set_for  (HlNode                  *self,
                                    HlPeer                  *peer,
                                    HlSyncSet               *base);
gboolean    hl_node_zones_added    (HlNode                  *self,
                                    const HlSyncRow         *row);
void        hl_node_zones_removed  (HlNode                  *self,
                                    GHashTable              *erased);
void        hl_node_zones_learned  (HlNode                  *self,
                                    HlPeer                  *peer);
guint       hl_node_zones_refuse   (HlNode                  *self,
                                    HlPeer                  *peer,
                                    GPtrArray               *events);
void        hl_peer_ack_if_idle    (HlPeer                  *self);
/* Admission said yes: our auth goes out (once) and the peer becomes ready
 * when its own auth is in. */
void        hl_peer_admit          (HlPeer                  *self);
/* Admission lets the peer finish the handshake on its side only, to redeem
 * an invite: our auth goes out, the peer stays not ready. */
void        hl_peer_probation      (HlPeer                  *self);
/* Binary frames from a peer that is not ready: dropped while it is on
 * probation, a protocol error otherwise. */
void        hl_peer_early_binary   (HlPeer                  *self);

/* hl-node.c: listening */
/* Makes the SoupServer (no WebSocket extension, the sync subprotocol only)
 * and the HlListener that accepts for it, once. */
void        hl_node_ensure_server  (HlNode                  *self);
/* hl-node-listen.c */
void        hl_node_log_listening  (HlNode                  *self);
/* This machine's tailnet addresses and MagicDNS name changed (NULL: Tailscale
 * does not run); a node listening by default follows them. */
void        hl_node_tailnet_self   (HlNode                  *self,
                                    const char * const      *ips,
                                    const char              *dns_name);
/* The status file's "listen", "reachable" and "connections" members. */
void        hl_node_add_listen_status (HlNode               *self,
                                    JsonBuilder             *builder);
/* The addresses (ws://HOST:PORT) peers can dial this node at; loopback
 * ones only with @loopback. */
GPtrArray  *hl_node_dup_reachable  (HlNode                  *self,
                                    gboolean                 loopback);

/* hl-node.c: called by peers */
/* A snapshot of the connections: safe to walk while some close. */
GPtrArray  *hl_node_list_peers     (HlNode                  *self);
HlStore    *hl_node_get_store      (HlNode                  *self);
HlIdentity *hl_node_get_identity   (HlNode                  *self);
gboolean    hl_node_is_banned      (HlNode                  *self,
                                    const char              *what);
void        hl_node_ban            (HlNode                  *self,
                                    HlPeer                  *peer);
void        hl_node_peer_hello     (HlNode                  *self,
                                    HlPeer                  *peer);
void        hl_node_peer_ready     (HlNode                  *self,
                                    HlPeer                  *peer);
void        hl_node_peer_closed    (HlNode                  *self,
                                    HlPeer                  *peer);

/* hl-node-sync.c */
gboolean    hl_node_load_set       (HlNode                  *self,
                                    GError                 **error);
void        hl_node_scan           (HlNode                  *self);
/* hl-node-watch.c: scans as soon as another process commits. FALSE when
 * the platform cannot watch files (the poll remains). */
gboolean    hl_node_watch_start    (HlNode                  *self);
void        hl_node_watch_stop     (HlNode                  *self);
/* The least pause that ends a stream of events from a peer. */
#define HL_SYNC_STREAM_QUIET_US (2 * G_USEC_PER_SEC)
/* Whether @peer is streaming events to us: some are being verified or
 * applied, some arrived within the last @quiet_us, or ids found missing
 * still wait to be asked for (a fresh node's first sync, a long absence). */
gboolean    hl_node_peer_streams_to_us (HlPeer              *peer,
                                        gint64               now,
                                        gint64               quiet_us);
void        hl_node_start_recon    (HlNode                  *self,
                                    HlPeer                  *peer);
void        hl_node_handle_recon   (HlNode                  *self,
                                    HlPeer                  *peer,
                                    GBytes                  *frame);
void        hl_node_handle_events  (HlNode                  *self,
                                    HlPeer                  *peer,
                                    GBytes                  *frame);
void        hl_node_handle_wants   (HlNode                  *self,
                                    HlPeer                  *peer,
                                    JsonArray               *ids);
/* Asks @peer for more of its backlog of wanted ids, as far as the number
 * unanswered allows (HL_SYNC_WANTS_OUTSTANDING). */
void        hl_node_send_wants     (HlNode                  *self,
                                    HlPeer                  *peer);
void        hl_node_verified       (HlVerifyJob             *job,
                                    gpointer                 user_data);
void        hl_node_apply_now      (HlNode                  *self);
void        hl_node_end_bulk       (HlNode                  *self);

/* hl-node.c, for dialling and discovery */
/* Adds a peer for the WebSocket @conn and starts its handshake. */
HlPeer     *hl_node_add_connection (HlNode                  *self,
                                    SoupWebsocketConnection *conn,
                                    gboolean                 outbound,
                                    const char              *address,
                                    const char              *remote_host);
/* A ready connection to the node with that key, or NULL. */
HlPeer     *hl_node_peer_by_key    (HlNode                  *self,
                                    const char              *key_hex);

/* hl-node-targets.c: the addresses the node dials */
void        hl_target_free         (HlTarget                *target);
HlTarget   *hl_node_find_target    (HlNode                  *self,
                                    const char              *address);
HlTarget   *hl_node_target_for_peer (HlNode                 *self,
                                    HlPeer                  *peer);
/* Rereads the stored peers and bootstrap nodes (hyperlinkctl may have
 * changed them) and drops the targets nothing wants any more. */
void        hl_node_reload_stored_peers (HlNode             *self);
/* Dials every target not connected, connecting or backing off, unless a
 * ready connection to its node can serve it. */
void        hl_node_dial_due       (HlNode                  *self,
                                    gint64                   now);
/* At start: every target, backoff or not. */
void        hl_node_dial_all       (HlNode                  *self);
void        hl_node_cancel_dials   (HlNode                  *self);
/* The handshake with @peer ended well: its target's backoff starts afresh. */
void        hl_node_target_ready   (HlNode                  *self,
                                    HlPeer                  *peer);
/* @peer closed: its target, if any, backs off and keeps why. FALSE when
 * @peer had no target. */
gboolean    hl_node_target_closed  (HlNode                  *self,
                                    HlPeer                  *peer);

/* hl-node-discovery.c */
void        hl_node_discovery_init (HlNode                  *self);
void        hl_node_discovery_free (HlNode                  *self);
/* Offers the discovered peers remembered from earlier runs. */
void        hl_node_discovery_load (HlNode                  *self);
/* The caps this node names in its hello. */
void        hl_node_add_caps       (HlNode                  *self,
                                    JsonBuilder             *builder);
guint       hl_node_parse_caps     (JsonNode                *caps);
void        hl_node_discovery_ready (HlNode                 *self,
                                    HlPeer                  *peer);
void        hl_node_discovery_closed (HlNode                *self,
                                    HlPeer                  *peer);
void        hl_node_discovery_tick (HlNode                  *self,
                                    gint64                   now);
/* FALSE when @type is none of the discovery messages. */
gboolean    hl_node_handle_discovery (HlNode                *self,
                                    HlPeer                  *peer,
                                    const char              *type,
                                    JsonObject              *obj);
/* Validates @node's ws:// address from a peer into *@normal; FALSE with a
 * reason for the log when it is not one to dial. */
gboolean    hl_node_check_address  (HlPeer                  *peer,
                                    JsonNode                *node,
                                    char                   **normal,
                                    const char             **why);
/* The addresses @peer said it listens on, with the one it dialled from. */
GPtrArray  *hl_node_read_reach     (HlPeer                  *peer,
                                    JsonObject              *obj,
                                    gboolean                *ok);
/* The "port" and "addresses" of an announce or redeem to @peer. */
void        hl_node_add_reach      (HlNode                  *self,
                                    HlPeer                  *peer,
                                    JsonBuilder             *builder);

/* hl-node-invite.c */
void        hl_node_invites_tick   (HlNode                  *self);
/* FALSE when the peer reached is not the inviter it was dialled for (it is closed). */
gboolean    hl_node_invite_hello   (HlNode                  *self,
                                    HlPeer                  *peer);
void        hl_node_invite_ready   (HlNode                  *self,
                                    HlPeer                  *peer);
/* @peer is an inviter we redeem an invite with on this connection, and the
 * answer has not come: we open no reconciliation before it does. */
gboolean    hl_node_invite_redeeming (HlNode                *self,
                                    HlPeer                  *peer);
gboolean    hl_node_handle_invite  (HlNode                  *self,
                                    HlPeer                  *peer,
                                    const char              *type,
                                    JsonObject              *obj);

/* hl-node-admission.c: who may connect, and the connection slots
 * (docs/protocol.md, "Admission" and "Sync limits"). Admitted connections
 * in all, and inbound ones per remote address (each loopback address on
 * its own), per tailnet machine and per tailnet user. */
#define HL_SYNC_MAX_PEERS               128
#define HL_SYNC_MAX_PEERS_PER_ADDRESS   8
#define HL_SYNC_MAX_PEERS_PER_LOOPBACK  64
#define HL_SYNC_MAX_PEERS_PER_MACHINE   4
#define HL_SYNC_MAX_PEERS_PER_USER      16

void        hl_node_admission_init (HlNode                  *self);
void        hl_node_admission_free (HlNode                  *self);
/* An inbound connection was accepted (its hello went out): admission starts
 * (whois is asked when Tailscale runs). */
void        hl_node_admission_connected (HlNode             *self,
                                    HlPeer                  *peer);
/* Something admission depends on changed for @peer (its hello or auth came,
 * whois answered, it redeemed an invite): decides again, and admits,
 * refuses, or lets it wait. For every connection, whoever dialled. */
void        hl_node_admission_update (HlNode                *self,
                                    HlPeer                  *peer);
/* @peer redeemed one of our invites: its key is trusted from now on. */
void        hl_node_admission_redeemed (HlNode              *self,
                                    HlPeer                  *peer);
/* The handshake with @peer is over: a manual peer's key is remembered. */
void        hl_node_admission_ready (HlNode                 *self,
                                    HlPeer                  *peer);
/* Tailscale's state changed: waiting connections are looked at again. */
void        hl_node_admission_tailnet_changed (HlNode       *self);
/* Once a second: ends probations past their deadline. */
/* The handshake's deadline passed for @peer: one on probation is refused as
 * not admitted (with the reason, kept for status). FALSE for any other. */
gboolean    hl_node_admission_expire (HlNode                *self,
                                    HlPeer                  *peer);
void        hl_node_admission_tick (HlNode                  *self,
                                    gint64                   now);
/* Rereads what admission trusts (the stored keys, open invites, the IPs of
 * manual peers), after the targets were reread. */
void        hl_node_admission_reload (HlNode                *self);
/* Keeps @reason (sent with @code) among the recent refusals in status. */
void        hl_node_note_refusal   (HlNode                  *self,
                                    HlPeer                  *peer,
                                    gushort                  code,
                                    const char              *reason);
/* The same for a connection closed to make room (4008, kind "evicted"). */
void        hl_node_note_eviction  (HlNode                  *self,
                                    HlPeer                  *peer,
                                    const char              *reason);
/* Dialled by us, vouched for by the tailnet, a manual peer or known through
 * an invite: never evicted, and may evict one that is not. */
gboolean    hl_admitted_is_known   (HlAdmittedAs             as);

/* hl-node-slots.c */
/* A slot for @peer (admitted, its auth verified), evicting for a known peer
 * if need be; FALSE when it was refused (closed with 4008). */
gboolean    hl_node_take_slot      (HlNode                  *self,
                                    HlPeer                  *peer);
/* The status file's "admission" sentence and "refused" list. */
char       *hl_node_admission_describe (HlNode              *self);
void        hl_node_add_refusals_status (HlNode             *self,
                                    JsonBuilder             *builder);
/* A loopback address, IPv4-mapped IPv6 included. */
gboolean    hl_sync_host_is_loopback (const char            *host);
/* @host without an IPv4-mapped IPv6 prefix ("::ffff:192.0.2.7" → "192.0.2.7"). */
const char *hl_sync_host_unmapped  (const char              *host);

/* hl-node-status.c */
void        hl_node_write_status   (HlNode                  *self,
                                    gboolean                 final);

/* hl-sync-source.c: a node's timers and idles attach to the thread-default
 * main context of the thread that runs it (the window runs its node on a
 * thread of its own; hyperlinkd on the main one), never to the global one. */
guint       hl_sync_timeout_add    (guint                    interval_ms,
                                    GSourceFunc              func,
                                    gpointer                 data);
guint       hl_sync_idle_add       (int                      priority,
                                    GSourceFunc              func,
                                    gpointer                 data);
/* Destroys the source @id of the thread-default context, and zeroes @id. */
void        hl_sync_source_clear   (guint                   *id);

/* hl-node-delivery.c: which of this device's events (the store's outbox)
 * some peer holds. A peer holds an event once it acknowledged the events
 * frame that carried it, or once a reconciliation with it ended without our
 * having to send it. */
HlDelivery *hl_delivery_new              (void);
void        hl_delivery_free             (HlDelivery              *self);
/* Rereads the outbox (after a scan saw new rows). */
void        hl_node_delivery_reload      (HlNode                  *self);
/* @id goes into the events frame being filled for @peer. */
void        hl_node_delivery_sending     (HlNode                  *self,
                                          HlPeer                  *peer,
                                          const guint8            *id);
/* That frame left; peer->ev_sent is where it ends. */
void        hl_node_delivery_sent        (HlNode                  *self,
                                          HlPeer                  *peer);
/* peer->ev_acked moved on. */
void        hl_node_delivery_acked       (HlNode                  *self,
                                          HlPeer                  *peer);
/* A reconciliation exchange (@mine: one we opened) begins, pushes ranges,
 * and ends. */
void        hl_node_delivery_recon_begin (HlNode                  *self,
                                          HlPeer                  *peer,
                                          gboolean                 mine);
void        hl_node_delivery_recon_push  (HlNode                  *self,
                                          HlPeer                  *peer,
                                          gboolean                 mine,
                                          GPtrArray               *pushes);
void        hl_node_delivery_recon_end   (HlNode                  *self,
                                          HlPeer                  *peer,
                                          gboolean                 mine);
void        hl_node_delivery_peer_gone   (HlNode                  *self,
                                          HlPeer                  *peer);

G_END_DECLS
