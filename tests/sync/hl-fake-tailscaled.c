/* hl-fake-tailscaled: a stand-in for tailscaled's LocalAPI, for the tests.
 *
 *   hl-fake-tailscaled --socket PATH --world FILE
 *
 * FILE (a key file, re-read on SIGHUP) describes the tailnet as this machine
 * sees it:
 *
 *   [tailscaled]  BackendState=Running|NeedsLogin|Stopped|...  AuthURL=...
 *                 Error=TEXT (status and whois answer 500 with it: a tailscaled
 *                 that is there but failing)
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

#include "hl-fake-tailscaled.h"

#define NOTIFY_INITIAL_STATE    (1u << 1)
#define NOTIFY_NO_PRIVATE_KEYS  (1u << 4)
#define NOTIFY_PEER_CHANGES     (1u << 12)


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
  g_free (w->error);
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
  w->error = g_key_file_get_string (file, "tailscaled", "Error", NULL);
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
  return fake_is_running (world);
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
  if (world->error != NULL && (strcmp (name, "status") == 0 || strcmp (name, "whois") == 0))
    http_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, world->error);
  else if (strcmp (name, "status") == 0)
    {
      const char *peers = query ? g_hash_table_lookup (query, "peers") : NULL;
      /* defBool: anything strconv.ParseBool does not read keeps the default. */
      gboolean with_peers = !(peers && (strcmp (peers, "false") == 0 || strcmp (peers, "0") == 0 ||
                                        strcmp (peers, "f") == 0 || strcmp (peers, "F") == 0 ||
                                        strcmp (peers, "FALSE") == 0 || strcmp (peers, "False") == 0));
      g_autoptr(JsonNode) root = build_status (world, with_peers);

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
