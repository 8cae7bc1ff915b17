/* hl-fake-tailscaled: a stand-in for tailscaled's LocalAPI, for the tests.
 *
 *   hl-fake-tailscaled --socket PATH --world FILE
 *
 * FILE (a key file, re-read on SIGHUP) describes the tailnet as this machine
 * sees it:
 *
 *   [tailscaled]  BackendState=Running|NeedsLogin|Stopped|...  AuthURL=...
 *   [self]        HostName= IP= User=LOGIN Suffix=MAGICDNS.SUFFIX
 *   [peer NAME]   HostName= IP= User= Suffix= Online=true|false
 *                 CurAddr=IP:PORT Relay=DERP-REGION Tags=tag:a;tag:b;
 *
 * It serves what Hyperlink uses with the shapes and rules of the real one,
 * taken from Tailscale's source (github.com/tailscale/tailscale):
 *   - ipn/localapi/localapi.go: ServeHTTP (403 "invalid localapi request" on
 *     a Referer, an Origin, or a Host other than "" or local-tailscaled.sock;
 *     404 for unknown paths), serveStatus (?peers=false leaves Peer null),
 *     serveWhoIsWithBackend (400 without or with a bad addr, 404 "no match for
 *     IP:port"), serveWatchIPNBus (403 unless the mask has NotifyNoPrivateKeys
 *     for a non-root caller; one JSON Notify per line, flushed), and the
 *     PermitWrite checks of the write endpoints (403: callers here are
 *     ordinary users);
 *   - ipn/ipnstate/ipnstate.go: Status, PeerStatus, TailnetStatus;
 *   - ipn/backend.go: State numbers, Notify, NotifyWatchOpt bits;
 *   - tailcfg/tailcfg.go: Node, Hostinfo, UserProfile;
 *     client/tailscale/apitype/apitype.go: WhoIsResponse.
 * Go's encoding/json writes every field without omitempty, nil slices and
 * maps as null; so does this.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define VERSION_LONG        "1.76.6-hyperlink-stand-in"
#define ZERO_TIME           "0001-01-01T00:00:00Z"
#define CREATED_TIME        "2026-01-01T00:00:00Z"
#define NOTIFY_INITIAL_STATE    (1u << 1)
#define NOTIFY_NO_PRIVATE_KEYS  (1u << 4)
#define NOTIFY_PEER_CHANGES     (1u << 12)

typedef struct
{
  char      *name;
  char      *host_name;
  char      *ip;
  char      *user;
  char      *suffix;
  gboolean   online;
  char      *cur_addr;
  char      *relay;
  GStrv      tags;
  gint64     id;
} Machine;

typedef struct
{
  char      *backend_state;
  char      *auth_url;
  Machine   *self;
  GPtrArray *peers;          /* Machine */
} World;

typedef struct
{
  SoupServerMessage *msg;
  guint64            mask;
} Watcher;

static char *world_path;
static World *world;
static GList *watchers;      /* Watcher */

static const char * const states[] = {
  "NoState", "InUseOtherUser", "NeedsLogin", "NeedsMachineAuth", "Stopped", "Starting", "Running",
};

static void
machine_free (Machine *m)
{
  g_free (m->name);
  g_free (m->host_name);
  g_free (m->ip);
  g_free (m->user);
  g_free (m->suffix);
  g_free (m->cur_addr);
  g_free (m->relay);
  g_strfreev (m->tags);
  g_free (m);
}

static void
world_free (World *w)
{
  if (w == NULL)
    return;
  g_free (w->backend_state);
  g_free (w->auth_url);
  if (w->self)
    machine_free (w->self);
  g_ptr_array_unref (w->peers);
  g_free (w);
}

static Machine *
machine_load (GKeyFile   *file,
              const char *group,
              const char *name,
              gint64      id)
{
  Machine *m = g_new0 (Machine, 1);

  m->name = g_strdup (name);
  m->host_name = g_key_file_get_string (file, group, "HostName", NULL);
  if (m->host_name == NULL)
    m->host_name = g_strdup (name);
  m->ip = g_key_file_get_string (file, group, "IP", NULL);
  m->user = g_key_file_get_string (file, group, "User", NULL);
  m->suffix = g_key_file_get_string (file, group, "Suffix", NULL);
  m->online = !g_key_file_has_key (file, group, "Online", NULL) ||
              g_key_file_get_boolean (file, group, "Online", NULL);
  m->cur_addr = g_key_file_get_string (file, group, "CurAddr", NULL);
  m->relay = g_key_file_get_string (file, group, "Relay", NULL);
  m->tags = g_key_file_get_string_list (file, group, "Tags", NULL, NULL);
  m->id = id;
  return m;
}

static World *
world_load (GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  World *w;

  if (!g_key_file_load_from_file (file, world_path, G_KEY_FILE_NONE, error))
    return NULL;
  w = g_new0 (World, 1);
  w->backend_state = g_key_file_get_string (file, "tailscaled", "BackendState", NULL);
  if (w->backend_state == NULL)
    w->backend_state = g_strdup ("Running");
  w->auth_url = g_key_file_get_string (file, "tailscaled", "AuthURL", NULL);
  w->self = machine_load (file, "self", "self", 1);
  w->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) machine_free);
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (g_str_has_prefix (groups[i], "peer "))
      {
        /* Node IDs stay with the name across reloads. */
        guint32 id = g_str_hash (groups[i] + 5) & 0xffffff;
        g_ptr_array_add (w->peers, machine_load (file, groups[i], groups[i] + 5, 100 + id));
      }
  return w;
}

static gboolean
is_running (void)
{
  return strcmp (world->backend_state, "Running") == 0;
}

/* ---- identities derived from names, stable across runs ---- */

static char *
hex_of (const char *kind,
        const char *name)
{
  g_autofree char *seed = g_strconcat (kind, ":", name, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
}

static char *
node_key (const Machine *m)
{
  g_autofree char *hex = hex_of ("node", m->host_name);

  return g_strconcat ("nodekey:", hex, NULL);
}

static gint64
user_id (const char *login)
{
  g_autofree char *hex = hex_of ("user", login ? login : "");

  return (gint64) g_ascii_strtoull (hex + 58, NULL, 16) + 1000;
}

static char *
dns_name (const Machine *m)
{
  return g_strdup_printf ("%s.%s.", m->host_name, m->suffix ? m->suffix : "stand-in.ts.net");
}

/* ---- JSON, the way encoding/json writes it ---- */

static void
add_str (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value ? value : "");
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
add_null (JsonBuilder *b, const char *name)
{
  json_builder_set_member_name (b, name);
  json_builder_add_null_value (b);
}

/* A []string or []netip.Addr: null when empty, as Go's nil slice. */
static void
add_list (JsonBuilder        *b,
          const char         *name,
          const char * const *items,
          const char         *suffix)
{
  json_builder_set_member_name (b, name);
  if (items == NULL || items[0] == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *item = g_strconcat (items[i], suffix, NULL);
      json_builder_add_string_value (b, item);
    }
  json_builder_end_array (b);
}

static gboolean
has_tags (const Machine *m)
{
  return m->tags != NULL && m->tags[0] != NULL;
}

/* ipnstate.PeerStatus */
static void
add_peer_status (JsonBuilder *b, const Machine *m, gboolean is_self)
{
  g_autofree char *key = node_key (m);
  g_autofree char *dns = dns_name (m);
  g_autofree char *stable = g_strdup_printf ("n%" G_GINT64_FORMAT "CNTRL", m->id);
  const char *ips[] = { m->ip, NULL };
  const char *addrs[] = { m->cur_addr, NULL };
  gboolean up = is_self ? is_running () : m->online;

  json_builder_begin_object (b);
  add_str (b, "ID", stable);
  add_str (b, "PublicKey", key);
  add_str (b, "HostName", m->host_name);
  add_str (b, "DNSName", is_self && !is_running () ? "" : dns);
  add_str (b, "OS", "linux");
  add_int (b, "UserID", user_id (m->user));
  add_list (b, "TailscaleIPs", is_self && !is_running () ? NULL : ips, "");
  if (m->ip != NULL && (!is_self || is_running ()))
    add_list (b, "AllowedIPs", ips, "/32");
  if (has_tags (m))
    add_list (b, "Tags", (const char * const *) m->tags, "");
  add_list (b, "Addrs", addrs, "");
  add_str (b, "CurAddr", m->cur_addr);
  add_str (b, "Relay", m->relay);
  add_int (b, "RxBytes", 0);
  add_int (b, "TxBytes", 0);
  add_str (b, "Created", CREATED_TIME);
  add_str (b, "LastWrite", ZERO_TIME);
  add_str (b, "LastSeen", up ? ZERO_TIME : CREATED_TIME);
  add_str (b, "LastHandshake", ZERO_TIME);
  add_bool (b, "Online", up);
  add_bool (b, "ExitNode", FALSE);
  add_bool (b, "ExitNodeOption", FALSE);
  add_bool (b, "Active", up && m->cur_addr != NULL);
  add_null (b, "PeerAPIURL");
  add_bool (b, "InNetworkMap", !is_self);
  add_bool (b, "InMagicSock", !is_self && up);
  add_bool (b, "InEngine", !is_self && up);
  json_builder_end_object (b);
}

/* tailcfg.UserProfile */
static void
add_user_profile (JsonBuilder *b, const char *login)
{
  g_autofree char *display = g_strndup (login, strcspn (login, "@"));

  json_builder_begin_object (b);
  add_int (b, "ID", user_id (login));
  add_str (b, "LoginName", login);
  add_str (b, "DisplayName", display);
  add_str (b, "ProfilePicURL", "");
  json_builder_end_object (b);
}

static void
add_user_map (JsonBuilder *b)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  json_builder_set_member_name (b, "User");
  if (!is_running ())
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  for (guint i = 0; i <= world->peers->len; i++)
    {
      const Machine *m = i == 0 ? world->self : g_ptr_array_index (world->peers, i - 1);
      char id[32];

      if (m->user == NULL || !g_hash_table_add (seen, m->user))
        continue;
      g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, user_id (m->user));
      json_builder_set_member_name (b, id);
      add_user_profile (b, m->user);
    }
  json_builder_end_object (b);
}

/* ipnstate.Status */
static JsonNode *
build_status (gboolean with_peers)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *self_ips[] = { world->self->ip, NULL };

  json_builder_begin_object (b);
  add_str (b, "Version", VERSION_LONG);
  add_bool (b, "TUN", TRUE);
  add_str (b, "BackendState", world->backend_state);
  add_bool (b, "HaveNodeKey", strcmp (world->backend_state, "NoState") != 0);
  add_str (b, "AuthURL", world->auth_url);
  add_list (b, "TailscaleIPs", is_running () ? self_ips : NULL, "");
  json_builder_set_member_name (b, "Self");
  add_peer_status (b, world->self, TRUE);
  json_builder_set_member_name (b, "Health");
  json_builder_begin_array (b);
  if (!is_running ())
    json_builder_add_string_value (b, "not connected to the tailnet");
  json_builder_end_array (b);
  add_str (b, "MagicDNSSuffix", is_running () ? world->self->suffix : "");
  json_builder_set_member_name (b, "CurrentTailnet");
  if (is_running ())
    {
      json_builder_begin_object (b);
      add_str (b, "Name", world->self->user);
      add_str (b, "MagicDNSSuffix", world->self->suffix);
      add_bool (b, "MagicDNSEnabled", TRUE);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  add_null (b, "CertDomains");
  json_builder_set_member_name (b, "Peer");
  if (with_peers && is_running () && world->peers->len > 0)
    {
      json_builder_begin_object (b);
      for (guint i = 0; i < world->peers->len; i++)
        {
          const Machine *m = g_ptr_array_index (world->peers, i);
          g_autofree char *key = node_key (m);

          json_builder_set_member_name (b, key);
          add_peer_status (b, m, FALSE);
        }
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  add_user_map (b);
  add_null (b, "ClientVersion");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* tailcfg.Node, as in whois answers and PeersChanged */
static void
add_node (JsonBuilder *b, const Machine *m)
{
  g_autofree char *key = node_key (m);
  g_autofree char *machine_hex = hex_of ("machine", m->host_name);
  g_autofree char *disco_hex = hex_of ("disco", m->host_name);
  g_autofree char *machine_key = g_strconcat ("mkey:", machine_hex, NULL);
  g_autofree char *disco_key = g_strconcat ("discokey:", disco_hex, NULL);
  g_autofree char *dns = dns_name (m);
  g_autofree char *stable = g_strdup_printf ("n%" G_GINT64_FORMAT "CNTRL", m->id);
  const char *ips[] = { m->ip, NULL };
  const char *endpoints[] = { m->cur_addr, NULL };

  json_builder_begin_object (b);
  add_int (b, "ID", m->id);
  add_str (b, "StableID", stable);
  add_str (b, "Name", dns);
  add_int (b, "User", user_id (m->user));
  add_str (b, "Key", key);
  add_str (b, "KeyExpiry", ZERO_TIME);
  add_str (b, "Machine", machine_key);
  add_str (b, "DiscoKey", disco_key);
  add_list (b, "Addresses", ips, "/32");
  add_list (b, "AllowedIPs", ips, "/32");
  add_list (b, "Endpoints", endpoints, "");
  add_int (b, "HomeDERP", 1);
  json_builder_set_member_name (b, "Hostinfo");
  json_builder_begin_object (b);
  add_str (b, "OS", "linux");
  add_str (b, "Hostname", m->host_name);
  json_builder_end_object (b);
  add_str (b, "Created", CREATED_TIME);
  add_int (b, "Cap", 0);
  if (has_tags (m))
    add_list (b, "Tags", (const char * const *) m->tags, "");
  add_bool (b, "Online", m->online);
  add_bool (b, "MachineAuthorized", TRUE);
  add_str (b, "ComputedName", m->host_name);
  add_str (b, "ComputedNameWithHost", m->host_name);
  json_builder_end_object (b);
}

static char *
to_text (JsonNode *root,
         gboolean  indent)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  /* MarshalIndent(…, "", "\t") for answers, one line for the bus. */
  json_generator_set_pretty (generator, indent);
  json_generator_set_indent (generator, 1);
  json_generator_set_indent_char (generator, '\t');
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* ---- answers ---- */

/* http.Error: the text, a newline, plain text, no sniffing. */
static void
http_error (SoupServerMessage *msg,
            guint              status,
            const char        *text)
{
  g_autofree char *body = g_strconcat (text, "\n", NULL);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
json_answer (SoupServerMessage *msg,
             JsonNode          *root)
{
  g_autofree char *text = to_text (root, TRUE);
  g_autofree char *body = g_strconcat (text, "\n", NULL);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static const Machine *
machine_with_ip (const char *ip)
{
  if (world->self->ip && strcmp (world->self->ip, ip) == 0)
    return world->self;
  for (guint i = 0; i < world->peers->len; i++)
    {
      const Machine *m = g_ptr_array_index (world->peers, i);
      if (m->ip && strcmp (m->ip, ip) == 0)
        return m;
    }
  return NULL;
}

/* addr is an IP or IP:PORT (netip.ParseAddr, then ParseAddrPort). */
static void
serve_whois (SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *addr = query ? g_hash_table_lookup (query, "addr") : NULL;
  g_autofree char *ip = NULL;
  g_autoptr(GInetAddress) parsed = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  const Machine *m;
  const char *colon;

  if (addr == NULL || *addr == '\0')
    {
      http_error (msg, SOUP_STATUS_BAD_REQUEST, "missing 'addr' parameter");
      return;
    }
  parsed = g_inet_address_new_from_string (addr);
  if (parsed != NULL)
    ip = g_strdup (addr);
  else if ((colon = strrchr (addr, ':')) != NULL)
    {
      guint64 port;

      ip = addr[0] == '[' && colon > addr && colon[-1] == ']' ? g_strndup (addr + 1, colon - addr - 2)
                                                             : g_strndup (addr, colon - addr);
      parsed = g_inet_address_new_from_string (ip);
      if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
        g_clear_object (&parsed);
    }
  if (parsed == NULL)
    {
      http_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid 'addr' parameter");
      return;
    }
  m = is_running () ? machine_with_ip (ip) : NULL;
  if (m == NULL)
    {
      http_error (msg, SOUP_STATUS_NOT_FOUND, "no match for IP:port");
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Node");
  add_node (b, m);
  json_builder_set_member_name (b, "UserProfile");
  add_user_profile (b, m->user ? m->user : "");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_answer (msg, root);
}

static int
state_number (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (strcmp (states[i], name) == 0)
      return (int) i;
  return 0;
}

/* ipn.Notify: the pointer members without omitempty are always written. */
static JsonBuilder *
notify_begin (void)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  add_str (b, "Version", VERSION_LONG);
  add_null (b, "ErrMessage");
  add_null (b, "LoginFinished");
  return b;
}

static void
notify_send (Watcher     *watcher,
             JsonBuilder *b)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  add_null (b, "NetMap");
  add_null (b, "Engine");
  add_null (b, "BrowseToURL");
  add_null (b, "DriveShares");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = to_text (root, FALSE);
  line = g_strconcat (text, "\n", NULL);
  soup_message_body_append (soup_server_message_get_response_body (watcher->msg), SOUP_MEMORY_COPY,
                            line, strlen (line));
  soup_server_message_unpause (watcher->msg);
}

static void
notify_state (Watcher    *watcher,
              const char *session_id)
{
  g_autoptr(JsonBuilder) b = notify_begin ();

  if (session_id != NULL)
    add_str (b, "SessionID", session_id);
  add_int (b, "State", state_number (world->backend_state));
  add_null (b, "Prefs");
  notify_send (watcher, b);
}

static void
notify_peers (Watcher *watcher)
{
  g_autoptr(JsonBuilder) b = notify_begin ();

  add_null (b, "State");
  add_null (b, "Prefs");
  json_builder_set_member_name (b, "PeersChanged");
  json_builder_begin_array (b);
  for (guint i = 0; i < world->peers->len; i++)
    add_node (b, g_ptr_array_index (world->peers, i));
  json_builder_end_array (b);
  notify_send (watcher, b);
}

static void
on_watcher_gone (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Watcher *watcher = user_data;

  watchers = g_list_remove (watchers, watcher);
  g_free (watcher);
}

static void
serve_watch (SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *mask_text = query ? g_hash_table_lookup (query, "mask") : NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  guint64 mask = 0;
  Watcher *watcher;

  if (mask_text != NULL && *mask_text != '\0' &&
      !g_ascii_string_to_unsigned (mask_text, 10, 0, G_MAXUINT64, &mask, NULL))
    {
      http_error (msg, SOUP_STATUS_BAD_REQUEST, "bad mask");
      return;
    }
  if ((mask & NOTIFY_NO_PRIVATE_KEYS) == 0)
    {
      http_error (msg, SOUP_STATUS_FORBIDDEN, "watch IPN bus access denied, must set "
                  "ipn.NotifyNoPrivateKeys when not running as admin/root or operator");
      return;
    }
  watcher = g_new0 (Watcher, 1);
  watcher->msg = msg;
  watcher->mask = mask;
  watchers = g_list_append (watchers, watcher);
  g_signal_connect (msg, "finished", G_CALLBACK (on_watcher_gone), watcher);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  if (mask & NOTIFY_INITIAL_STATE)
    {
      g_autofree char *session = g_uuid_string_random ();
      notify_state (watcher, session);
    }
}

/* Write endpoints and what their PermitWrite check answers an ordinary user. */
static const struct { const char *name; const char *denied; } writes[] = {
  { "start", "access denied" },
  { "login-interactive", "login access denied" },
  { "logout", "logout access denied" },
  { "prefs", "prefs write access denied" },
  { "reset-auth", "reset-auth modify access denied" },
  { "set-dns", "access denied" },
  { "debug", "debug access denied" },
  { "disconnect-control", "access denied" },
  { "reload-config", "access denied" },
};

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  const char *host = soup_message_headers_get_one (request, "Host");
  const char *referer = soup_message_headers_get_one (request, "Referer");
  const char *origin = soup_message_headers_get_one (request, "Origin");
  const char *method = soup_server_message_get_method (msg);
  const char *name;

  if ((referer && *referer) || (origin && *origin) ||
      (host && *host && strcmp (host, "local-tailscaled.sock") != 0))
    {
      http_error (msg, SOUP_STATUS_FORBIDDEN, "invalid localapi request");
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Tailscale-Version",
                                VERSION_LONG);
  if (strcmp (path, "/") == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "tailscaled\n", 11);
      return;
    }
  if (!g_str_has_prefix (path, "/localapi/v0/"))
    {
      http_error (msg, SOUP_STATUS_NOT_FOUND, "404 page not found");
      return;
    }
  name = path + strlen ("/localapi/v0/");
  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    if (strcmp (name, writes[i].name) == 0 &&
        (strcmp (name, "prefs") != 0 || strcmp (method, "PATCH") == 0))
      {
        http_error (msg, SOUP_STATUS_FORBIDDEN, writes[i].denied);
        return;
      }
  if (strcmp (name, "status") == 0)
    {
      const char *peers = query ? g_hash_table_lookup (query, "peers") : NULL;
      /* defBool: anything strconv.ParseBool does not read keeps the default. */
      gboolean with_peers = !(peers && (strcmp (peers, "false") == 0 || strcmp (peers, "0") == 0 ||
                                        strcmp (peers, "f") == 0 || strcmp (peers, "F") == 0 ||
                                        strcmp (peers, "FALSE") == 0 || strcmp (peers, "False") == 0));
      g_autoptr(JsonNode) root = build_status (with_peers);

      json_answer (msg, root);
    }
  else if (strcmp (name, "whois") == 0)
    serve_whois (msg, query);
  else if (strcmp (name, "watch-ipn-bus") == 0)
    serve_watch (msg, query);
  else
    http_error (msg, SOUP_STATUS_NOT_FOUND, "404 page not found");
}

/* The test changed the world: tell every watcher, as tailscaled does when
 * the state or the netmap changes. */
static gboolean
on_sighup (gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  World *next = world_load (&error);
  gboolean state_changed;

  if (next == NULL)
    {
      g_printerr ("hl-fake-tailscaled: cannot reload %s: %s\n", world_path, error->message);
      return G_SOURCE_CONTINUE;
    }
  state_changed = strcmp (next->backend_state, world->backend_state) != 0;
  world_free (world);
  world = next;
  for (GList *l = watchers; l != NULL; l = l->next)
    {
      Watcher *watcher = l->data;

      if (state_changed)
        notify_state (watcher, NULL);
      if (watcher->mask & NOTIFY_PEER_CHANGES)
        notify_peers (watcher);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* End the bus streams cleanly, as tailscaled does when it stops. */
static gboolean
on_sigterm (gpointer user_data)
{
  for (GList *l = watchers; l != NULL; l = l->next)
    {
      SoupServerMessage *msg = ((Watcher *) l->data)->msg;

      soup_message_body_complete (soup_server_message_get_response_body (msg));
      soup_server_message_unpause (msg);
    }
  g_timeout_add (100, quit_cb, user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *socket_path = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("- a stand-in for tailscaled");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GOptionEntry entries[] = {
    { "socket", 0, 0, G_OPTION_ARG_FILENAME, &socket_path, "Unix socket to listen on", "PATH" },
    { "world", 0, 0, G_OPTION_ARG_FILENAME, &world_path, "The tailnet, re-read on SIGHUP", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || !socket_path || !world_path)
    {
      g_printerr ("hl-fake-tailscaled: %s\n", error ? error->message : "--socket and --world, please");
      return 2;
    }
  if (!(world = world_load (&error)))
    {
      g_printerr ("hl-fake-tailscaled: %s\n", error->message);
      return 1;
    }
  g_unix_signal_add (SIGHUP, on_sighup, NULL);
  g_unix_signal_add (SIGTERM, on_sigterm, loop);

  g_unlink (socket_path);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  address = g_unix_socket_address_new (socket_path);
  server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_handler (server, NULL, on_request, NULL, NULL);
  if (socket == NULL || !g_socket_bind (socket, address, TRUE, &error) ||
      !g_socket_listen (socket, &error) || !soup_server_listen_socket (server, socket, 0, &error))
    {
      g_printerr ("hl-fake-tailscaled: cannot listen on %s: %s\n", socket_path, error->message);
      return 1;
    }
  g_main_loop_run (loop);
  soup_server_disconnect (server);
  g_unlink (socket_path);
  world_free (world);
  return 0;
}
