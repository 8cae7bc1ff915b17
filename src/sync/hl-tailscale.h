/* hl-tailscale.h: a client of the local tailscaled's LocalAPI (read-only:
 * status, whois, the IPN bus), over its unix socket.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where tailscaled listens on Linux (tailscale's paths/paths.go); /run is
 * /var/run on every current distribution. */
#define HL_TAILSCALE_SOCKET_DEFAULT     "/run/tailscale/tailscaled.sock"
#define HL_TAILSCALE_SOCKET_VAR_RUN     "/var/run/tailscale/tailscaled.sock"
#define HL_TAILSCALE_SOCKET_ENV         "HYPERLINK_TAILSCALE_SOCKET"
/* The Host header tailscaled accepts (client/tailscale/apitype LocalAPIHost). */
#define HL_TAILSCALE_LOCALAPI_HOST      "local-tailscaled.sock"

#define HL_TAILSCALE_ERROR (hl_tailscale_error_quark ())

typedef enum
{
  HL_TAILSCALE_ERROR_NO_SOCKET,     /* nothing listens at the socket path */
  HL_TAILSCALE_ERROR_NO_ACCESS,     /* the socket is there but not ours to use */
  HL_TAILSCALE_ERROR_NOT_FOUND,     /* whois: the address is not on the tailnet */
  HL_TAILSCALE_ERROR_REFUSED,       /* tailscaled answered with an HTTP error */
  HL_TAILSCALE_ERROR_BAD_ANSWER,    /* not the JSON it should be */
} HlTailscaleError;

GQuark hl_tailscale_error_quark (void);

/* One machine of `GET /localapi/v0/status` (ipnstate.PeerStatus). */
typedef struct
{
  char      *node_key;      /* the Peer map's key, "nodekey:…" */
  char      *host_name;     /* HostName */
  char      *dns_name;      /* DNSName without its trailing dot, or NULL */
  GStrv      ips;           /* TailscaleIPs */
  GStrv      tags;          /* Tags (empty when omitted) */
  gboolean   online;        /* Online */
  char      *cur_addr;      /* CurAddr: the direct path, or NULL */
  char      *relay;         /* Relay: the DERP region, or NULL */
  gint64     user_id;       /* UserID */
  char      *login_name;    /* the User map's LoginName for UserID, or NULL */
} HlTsMachine;

typedef struct
{
  char       *backend_state;   /* BackendState, e.g. "Running" */
  char       *auth_url;        /* AuthURL, or NULL */
  HlTsMachine *self;           /* Self, or NULL */
  GPtrArray  *peers;           /* HlTsMachine, never NULL (Peer may be null) */
  char       *magic_dns_suffix;
} HlTsStatus;

/* What `GET /localapi/v0/whois` says of an address. */
typedef struct
{
  char *login_name;    /* UserProfile.LoginName */
  char *host_name;     /* Node.Hostinfo.Hostname, else Node.ComputedName */
  char *dns_name;      /* Node.Name without the trailing dot */
  GStrv tags;          /* Node.Tags (empty when omitted): what zones it may see */
} HlTsWhois;

void        hl_ts_machine_free          (HlTsMachine *machine);
void        hl_ts_status_free           (HlTsStatus  *status);
void        hl_ts_whois_free            (HlTsWhois   *whois);
/* Parses a status document; fields tailscaled leaves out are NULL/empty. */
HlTsStatus *hl_ts_status_parse          (JsonNode    *root,
                                         GError     **error);
HlTsWhois  *hl_ts_whois_parse           (JsonNode    *root,
                                         GError     **error);
/* The first IPv4 address of @machine, else its first address, or NULL. */
const char *hl_ts_machine_address       (const HlTsMachine *machine);
gboolean    hl_ts_machine_has_tag       (const HlTsMachine *machine,
                                         const char        *tag);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTsStatus, hl_ts_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTsWhois, hl_ts_whois_free)

#define HL_TYPE_TAILSCALE (hl_tailscale_get_type ())

G_DECLARE_FINAL_TYPE (HlTailscale, hl_tailscale, HL, TAILSCALE, GObject)

/* @socket_path NULL: $HYPERLINK_TAILSCALE_SOCKET, else the default path. */
HlTailscale *hl_tailscale_new            (const char          *socket_path);
const char  *hl_tailscale_get_socket_path (HlTailscale        *self);

void         hl_tailscale_status_async   (HlTailscale         *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
HlTsStatus  *hl_tailscale_status_finish  (HlTailscale         *self,
                                          GAsyncResult        *result,
                                          GError             **error);
/* @address is IP:PORT (or a bare IP). HL_TAILSCALE_ERROR_NOT_FOUND when
 * the address belongs to no machine of the tailnet. */
void         hl_tailscale_whois_async    (HlTailscale         *self,
                                          const char          *address,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
HlTsWhois   *hl_tailscale_whois_finish   (HlTailscale         *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Follows `watch-ipn-bus`: emits "notify" (JsonObject *) for each line and
 * "bus-ended" (GError *, or NULL for a clean end) once the stream stops.
 * Watching again after an end is the caller's choice. */
void         hl_tailscale_watch          (HlTailscale         *self);
void         hl_tailscale_unwatch        (HlTailscale         *self);

G_END_DECLS
