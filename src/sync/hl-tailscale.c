/* hl-tailscale.c: the LocalAPI client. Requests go to
 * http://local-tailscaled.sock/localapi/v0/NAME over the unix socket, with
 * that Host and never a Referer or Origin (tailscaled answers 403 otherwise:
 * ipn/localapi/localapi.go, ServeHTTP and validHost). Only read endpoints are
 * used, which an ordinary user may call.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tailscale.h"

#include <gio/gunixsocketaddress.h>
#include <libsoup/soup.h>

#define REQUEST_TIMEOUT_S  10
/* ipn/backend.go, NotifyWatchOpt: the first message carries the state;
 * NoPrivateKeys is what a non-root watcher must ask for (localapi.go
 * serveWatchIPNBus answers 403 without it); PeerChanges brings peers that
 * come, go, or change (Online among them) onto the bus. */
#define NOTIFY_INITIAL_STATE   (1u << 1)
#define NOTIFY_NO_PRIVATE_KEYS (1u << 4)
#define NOTIFY_PEER_CHANGES    (1u << 12)
#define WATCH_MASK (NOTIFY_INITIAL_STATE | NOTIFY_NO_PRIVATE_KEYS | NOTIFY_PEER_CHANGES)

struct _HlTailscale
{
  GObject           parent_instance;

  char             *socket_path;
  SoupSession      *session;         /* requests, with a timeout */
  SoupSession      *bus_session;     /* the bus stream: idle for hours */
  GCancellable     *bus_cancellable;
  GDataInputStream *bus_stream;
};

enum { SIGNAL_NOTIFY, SIGNAL_BUS_ENDED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlTailscale, hl_tailscale, G_TYPE_OBJECT)
G_DEFINE_QUARK (hl-tailscale-error-quark, hl_tailscale_error)

/* ---- parsing (ipn/ipnstate/ipnstate.go: Status, PeerStatus) ---- */

void
hl_ts_machine_free (HlTsMachine *machine)
{
  if (machine == NULL)
    return;
  g_free (machine->node_key);
  g_free (machine->host_name);
  g_free (machine->dns_name);
  g_strfreev (machine->ips);
  g_strfreev (machine->tags);
  g_free (machine->cur_addr);
  g_free (machine->relay);
  g_free (machine->login_name);
  g_free (machine);
}

void
hl_ts_status_free (HlTsStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->backend_state);
  g_free (status->auth_url);
  hl_ts_machine_free (status->self);
  g_clear_pointer (&status->peers, g_ptr_array_unref);
  g_free (status->magic_dns_suffix);
  g_free (status);
}

void
hl_ts_whois_free (HlTsWhois *whois)
{
  if (whois == NULL)
    return;
  g_free (whois->login_name);
  g_free (whois->host_name);
  g_free (whois->dns_name);
  g_strfreev (whois->tags);
  g_free (whois);
}

/* An empty string is what Go writes for "none": treat it as absent. */
static char *
dup_member (JsonObject *obj,
            const char *name)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;
  const char *value;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  return value && *value ? g_strdup (value) : NULL;
}

static gint64
int_member (JsonObject *obj,
            const char *name)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;

  return node && json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : 0;
}

static JsonObject *
object_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Arrays of strings; null or absent (Go's nil slice, or omitempty) is empty. */
static GStrv
strv_member (JsonObject *obj,
             const char *name)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  return g_strv_builder_end (builder);
}

/* MagicDNS names end with a dot ("host.tailnet.ts.net."); people and URLs
 * want them without. */
static char *
dns_without_dot (char *name)
{
  gsize len = name ? strlen (name) : 0;

  if (len > 0 && name[len - 1] == '.')
    name[len - 1] = '\0';
  if (name != NULL && *name == '\0')
    g_clear_pointer (&name, g_free);
  return name;
}

/* The User map is keyed by the decimal UserID (Go encodes integer map keys
 * as strings). */
static char *
login_for (JsonObject *users,
           gint64      user_id)
{
  char key[32];

  g_snprintf (key, sizeof key, "%" G_GINT64_FORMAT, user_id);
  return dup_member (object_member (users, key), "LoginName");
}

static HlTsMachine *
parse_machine (const char *node_key,
               JsonObject *obj,
               JsonObject *users)
{
  HlTsMachine *machine = g_new0 (HlTsMachine, 1);
  JsonNode *online = json_object_get_member (obj, "Online");

  machine->node_key = node_key ? g_strdup (node_key) : dup_member (obj, "PublicKey");
  machine->host_name = dup_member (obj, "HostName");
  machine->dns_name = dns_without_dot (dup_member (obj, "DNSName"));
  machine->ips = strv_member (obj, "TailscaleIPs");
  machine->tags = strv_member (obj, "Tags");
  machine->online = online && json_node_get_value_type (online) == G_TYPE_BOOLEAN &&
                    json_node_get_boolean (online);
  machine->cur_addr = dup_member (obj, "CurAddr");
  machine->relay = dup_member (obj, "Relay");
  machine->user_id = int_member (obj, "UserID");
  machine->login_name = login_for (users, machine->user_id);
  return machine;
}

HlTsStatus *
hl_ts_status_parse (JsonNode  *root,
                    GError   **error)
{
  g_autoptr(HlTsStatus) status = g_new0 (HlTsStatus, 1);
  JsonObject *obj, *users, *peers, *self, *tailnet;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_BAD_ANSWER,
                   "tailscaled's status is not a JSON object");
      return NULL;
    }
  obj = json_node_get_object (root);
  status->backend_state = dup_member (obj, "BackendState");
  if (status->backend_state == NULL)
    {
      g_set_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_BAD_ANSWER,
                   "tailscaled's status has no BackendState");
      return NULL;
    }
  status->auth_url = dup_member (obj, "AuthURL");
  users = object_member (obj, "User");
  self = object_member (obj, "Self");
  if (self != NULL)
    status->self = parse_machine (NULL, self, users);
  tailnet = object_member (obj, "CurrentTailnet");
  status->magic_dns_suffix = tailnet ? dup_member (tailnet, "MagicDNSSuffix")
                                     : dup_member (obj, "MagicDNSSuffix");
  status->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_ts_machine_free);
  peers = object_member (obj, "Peer");
  if (peers != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (peers);

      for (GList *l = keys; l != NULL; l = l->next)
        {
          JsonObject *peer = object_member (peers, l->data);

          if (peer != NULL)
            g_ptr_array_add (status->peers, parse_machine (l->data, peer, users));
        }
    }
  return g_steal_pointer (&status);
}

/* client/tailscale/apitype WhoIsResponse: Node (tailcfg.Node) and
 * UserProfile, both present in any 200 answer. */
HlTsWhois *
hl_ts_whois_parse (JsonNode  *root,
                   GError   **error)
{
  g_autoptr(HlTsWhois) whois = g_new0 (HlTsWhois, 1);
  JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *node = object_member (obj, "Node");
  JsonObject *profile = object_member (obj, "UserProfile");

  if (node == NULL || profile == NULL)
    {
      g_set_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_BAD_ANSWER,
                   "tailscaled's whois answer lacks Node or UserProfile");
      return NULL;
    }
  whois->login_name = dup_member (profile, "LoginName");
  whois->host_name = dup_member (object_member (node, "Hostinfo"), "Hostname");
  if (whois->host_name == NULL)
    whois->host_name = dup_member (node, "ComputedName");
  whois->dns_name = dns_without_dot (dup_member (node, "Name"));
  whois->tags = strv_member (node, "Tags");
  return g_steal_pointer (&whois);
}

const char *
hl_ts_machine_address (const HlTsMachine *machine)
{
  for (guint i = 0; machine->ips != NULL && machine->ips[i] != NULL; i++)
    if (strchr (machine->ips[i], ':') == NULL)
      return machine->ips[i];
  return machine->ips != NULL ? machine->ips[0] : NULL;
}

gboolean
hl_ts_machine_has_tag (const HlTsMachine *machine,
                       const char        *tag)
{
  return machine->tags != NULL && g_strv_contains ((const char * const *) machine->tags, tag);
}

/* ---- the object ---- */

static void
hl_tailscale_dispose (GObject *object)
{
  HlTailscale *self = HL_TAILSCALE (object);

  hl_tailscale_unwatch (self);
  g_clear_object (&self->session);
  g_clear_object (&self->bus_session);
  G_OBJECT_CLASS (hl_tailscale_parent_class)->dispose (object);
}

static void
hl_tailscale_finalize (GObject *object)
{
  g_free (HL_TAILSCALE (object)->socket_path);
  G_OBJECT_CLASS (hl_tailscale_parent_class)->finalize (object);
}

static void
hl_tailscale_class_init (HlTailscaleClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_tailscale_dispose;
  G_OBJECT_CLASS (klass)->finalize = hl_tailscale_finalize;

  signals[SIGNAL_NOTIFY] = g_signal_new ("notify-line", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  signals[SIGNAL_BUS_ENDED] = g_signal_new ("bus-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
hl_tailscale_init (HlTailscale *self)
{
}

static char *
default_socket_path (void)
{
  const char *env = g_getenv (HL_TAILSCALE_SOCKET_ENV);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (!g_file_test (HL_TAILSCALE_SOCKET_DEFAULT, G_FILE_TEST_EXISTS) &&
      g_file_test (HL_TAILSCALE_SOCKET_VAR_RUN, G_FILE_TEST_EXISTS))
    return g_strdup (HL_TAILSCALE_SOCKET_VAR_RUN);
  return g_strdup (HL_TAILSCALE_SOCKET_DEFAULT);
}

static SoupSession *
session_new (const char *socket_path,
             guint       timeout_s)
{
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);

  /* No proxy: the host name is a label for tailscaled, not a place. */
  return g_object_new (SOUP_TYPE_SESSION, "remote-connectable", address, "proxy-resolver", NULL,
                       "timeout", timeout_s, "user-agent", "hyperlink/" PACKAGE_VERSION, NULL);
}

HlTailscale *
hl_tailscale_new (const char *socket_path)
{
  HlTailscale *self = g_object_new (HL_TYPE_TAILSCALE, NULL);

  self->socket_path = socket_path && *socket_path ? g_strdup (socket_path) : default_socket_path ();
  self->session = session_new (self->socket_path, REQUEST_TIMEOUT_S);
  self->bus_session = session_new (self->socket_path, 0);
  return self;
}

const char *
hl_tailscale_get_socket_path (HlTailscale *self)
{
  return self->socket_path;
}

/* Turns a failure to reach the socket into something a person can act on. */
static void
set_connect_error (HlTailscale  *self,
                   GError       *cause,
                   GError      **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    g_set_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_NO_SOCKET,
                 "Tailscale is not running: nothing answers at %s", self->socket_path);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    g_set_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_NO_ACCESS,
                 "Cannot use Tailscale's socket %s: permission denied", self->socket_path);
  else if (cause->domain == G_IO_ERROR && cause->code == G_IO_ERROR_CANCELLED)
    g_propagate_error (error, g_error_copy (cause));
  else
    g_set_error (error, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_NO_SOCKET,
                 "Cannot talk to tailscaled at %s: %s", self->socket_path, cause->message);
}

static SoupMessage *
localapi_message (const char *path_and_query)
{
  g_autofree char *uri = g_strconcat ("http://" HL_TAILSCALE_LOCALAPI_HOST "/localapi/v0/",
                                      path_and_query, NULL);

  return soup_message_new ("GET", uri);
}

typedef enum { REQ_STATUS, REQ_WHOIS } RequestKind;

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HlTailscale *self = g_task_get_source_object (task);
  RequestKind kind = GPOINTER_TO_INT (g_task_get_task_data (task));
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint status;
  gpointer answer;

  if (body == NULL)
    {
      GError *out = NULL;

      set_connect_error (self, error, &out);
      g_task_return_error (task, out);
      return;
    }
  status = soup_message_get_status (msg);
  if (kind == REQ_WHOIS && status == SOUP_STATUS_NOT_FOUND)
    {
      g_task_return_new_error (task, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_NOT_FOUND,
                               "no machine of the tailnet has this address");
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), MIN (g_bytes_get_size (body), 200));

      g_task_return_new_error (task, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_REFUSED,
                               "tailscaled answered HTTP %u: %s", status, g_strstrip (text));
      return;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error))
    {
      g_task_return_new_error (task, HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_BAD_ANSWER,
                               "tailscaled's answer is not JSON: %s", error->message);
      return;
    }
  answer = kind == REQ_STATUS ? (gpointer) hl_ts_status_parse (json_parser_get_root (parser), &error)
                              : (gpointer) hl_ts_whois_parse (json_parser_get_root (parser), &error);
  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, answer, kind == REQ_STATUS ? (GDestroyNotify) hl_ts_status_free
                                                            : (GDestroyNotify) hl_ts_whois_free);
}

static void
request (HlTailscale         *self,
         RequestKind          kind,
         const char          *path_and_query,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = localapi_message (path_and_query);

  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_request_done, task);
}

void
hl_tailscale_status_async (HlTailscale         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  request (self, REQ_STATUS, "status", cancellable, callback, user_data);
}

HlTsStatus *
hl_tailscale_status_finish (HlTailscale   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hl_tailscale_whois_async (HlTailscale         *self,
                          const char          *address,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *escaped = g_uri_escape_string (address, NULL, FALSE);
  g_autofree char *path = g_strconcat ("whois?addr=", escaped, NULL);

  request (self, REQ_WHOIS, path, cancellable, callback, user_data);
}

HlTsWhois *
hl_tailscale_whois_finish (HlTailscale   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the IPN bus: one JSON object (ipn.Notify) per line ---- */

static void
bus_end (HlTailscale *self,
         GError      *error)
{
  g_clear_object (&self->bus_stream);
  g_clear_object (&self->bus_cancellable);
  g_signal_emit (self, signals[SIGNAL_BUS_ENDED], 0, error);
}

static void read_next_line (HlTailscale *self);

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HlTailscale) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                   result, &len, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL)
    {
      bus_end (self, error);
      return;
    }
  if (len > 0 && json_parser_load_from_data (parser, line, len, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_signal_emit (self, signals[SIGNAL_NOTIFY], 0, json_node_get_object (json_parser_get_root (parser)));
  if (self->bus_stream != NULL)
    read_next_line (self);
}

static void
read_next_line (HlTailscale *self)
{
  g_data_input_stream_read_line_async (self->bus_stream, G_PRIORITY_DEFAULT, self->bus_cancellable,
                                       on_line, g_object_ref (self));
}

static void
on_bus_opened (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HlTailscale) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (stream == NULL)
    {
      g_autoptr(GError) out = NULL;

      set_connect_error (self, error, &out);
      bus_end (self, out);
      return;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_autoptr(GError) out = g_error_new (HL_TAILSCALE_ERROR, HL_TAILSCALE_ERROR_REFUSED,
                                           "tailscaled refused to stream its bus: HTTP %u %s",
                                           soup_message_get_status (msg),
                                           soup_message_get_reason_phrase (msg));
      bus_end (self, out);
      return;
    }
  self->bus_stream = g_data_input_stream_new (stream);
  /* A netmap line can be large; a line without end is not a Notify. */
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (self->bus_stream), 64 * 1024);
  read_next_line (self);
}

void
hl_tailscale_watch (HlTailscale *self)
{
  g_autofree char *path = g_strdup_printf ("watch-ipn-bus?mask=%u", WATCH_MASK);
  g_autoptr(SoupMessage) msg = localapi_message (path);

  hl_tailscale_unwatch (self);
  self->bus_cancellable = g_cancellable_new ();
  soup_session_send_async (self->bus_session, msg, G_PRIORITY_DEFAULT, self->bus_cancellable,
                           on_bus_opened, g_object_ref (self));
}

void
hl_tailscale_unwatch (HlTailscale *self)
{
  if (self->bus_cancellable != NULL)
    g_cancellable_cancel (self->bus_cancellable);
  g_clear_object (&self->bus_cancellable);
  g_clear_object (&self->bus_stream);
}
