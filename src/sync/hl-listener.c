/* hl-listener.c: the node's accept loop, in front of its SoupServer.
 *
 * libsoup's own listener stops accepting for good when accept() fails (it
 * removes its source on EMFILE), never times out a half-sent request, and
 * takes every connection offered. So the node accepts itself: one
 * non-blocking socket and source per address, limits applied before any
 * byte of HTTP is read, a deadline for every connection, and a spare
 * descriptor to shed connections with when the process has none left. The
 * connection, wrapped in an HlWsGuard, then goes to the SoupServer with
 * soup_server_accept_iostream(), which does the HTTP and the upgrade.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-listener.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hl-sync-error.h"
#include "hl-sync-wire.h"
#include "hl-ws-guard.h"

/* The limits (docs/protocol.md, "Connection limits"). The node keeps 128
 * peers (hl-node.c); these bound what reaches it. */
#define MAX_INBOUND           192   /* accepted connections at once: 128 peers and 64 on their way */
#define MAX_PENDING           64    /* accepted and not yet ready peers: twice the node's 32
                                       handshakes, for connections still in their HTTP upgrade */
#define ADDRESS_MAX_PENDING   4     /* per remote IP: one machine has no reason to open more at once */
#define LOOPBACK_MAX_PENDING  16    /* per loopback IP: the processes of this machine share one, and
                                       tests run many nodes on 127.0.0.1; below MAX_PENDING so that
                                       one local address cannot take every slot */
#define FD_RESERVE            128   /* descriptors accepting never takes: SQLite's files, the lock, the
                                       status file, tailscaled's socket, the listening sockets,
                                       main-loop wakeups and dialled connections */
#define MIN_INBOUND           16    /* below this a node is of no use: the caps stop shrinking */
#define MIN_PENDING           8
#define LISTEN_BACKLOG        128
#define ACCEPT_BATCH          64    /* per wakeup, so that a flood cannot starve the main loop */
#define PAUSE_MS              100   /* accepting rests this long when out of descriptors */
#define DEADLINE_MS           (HL_SYNC_HANDSHAKE_TIMEOUT_S * 1000)
#define BACKSTOP_MS           6000  /* for the close handshake of one told to go (libsoup waits 5 s) */
#define SUMMARY_MS            10000 /* refusals are logged at most this often */

typedef struct _Listening Listening;
typedef struct _Accepted Accepted;

struct _HlListener
{
  GObject      parent_instance;

  SoupServer  *server;
  GPtrArray   *listening;      /* Listening */
  guint16      port;
  GHashTable  *accepted;       /* HlWsGuard * -> Accepted */
  guint        max_inbound;
  guint        max_pending;
  guint64      fd_limit;
  int          reserve_fd;     /* /dev/null, given up to shed a connection when out of descriptors */
  gboolean     out_of_fds;     /* a shortage under way: logged once */
  gboolean     stopped;

  /* Counts for status, since the start, and for the next log line. */
  guint64      refused_address, refused_full, refused_fds, evicted, expired, bad_head;
  guint64      logged_refusals;
  GSource     *summary;
};

struct _Listening
{
  HlListener  *listener;
  char        *host;
  GSocket     *socket;
  GSource     *source;
  GSource     *resume;
};

struct _Accepted
{
  HlListener  *listener;
  HlWsGuard   *guard;
  char        *ip;
  gboolean     loopback;
  gint64       accepted_at;
  GSource     *timer;          /* the deadline, then the backstop */
  gboolean     leaving;        /* told to go: still a descriptor, no longer pending */
};

G_DEFINE_FINAL_TYPE (HlListener, hl_listener, G_TYPE_OBJECT)

static GSource *
timeout_new (guint       ms,
             GSourceFunc func,
             gpointer    data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

static void
source_clear (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static int
open_reserve (void)
{
  return open ("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* ---- logging refusals ---- */

static guint64
refusals (HlListener *self)
{
  return self->refused_address + self->refused_full + self->refused_fds;
}

static gboolean
summary_cb (gpointer data)
{
  HlListener *self = data;
  guint64 now = refusals (self);

  g_clear_pointer (&self->summary, g_source_unref);
  if (now > self->logged_refusals)
    g_message ("Refused %" G_GUINT64_FORMAT " connections in the last %d s (since the start: "
               "%" G_GUINT64_FORMAT " over a per-address limit, %" G_GUINT64_FORMAT " with the "
               "node full, %" G_GUINT64_FORMAT " out of descriptors)",
               now - self->logged_refusals, SUMMARY_MS / 1000, self->refused_address,
               self->refused_full, self->refused_fds);
  self->logged_refusals = now;
  return G_SOURCE_REMOVE;
}

/* Under a flood, a line per refusal would be a flood of its own. */
static void
refused (HlListener *self,
         guint64    *counter,
         GSocket    *socket)
{
  (*counter)++;
  g_socket_close (socket, NULL);
  if (self->summary == NULL)
    self->summary = timeout_new (SUMMARY_MS, summary_cb, self);
}

/* ---- accepted connections ---- */

static void
accepted_free (Accepted *entry)
{
  g_signal_handlers_disconnect_by_data (entry->guard, entry);
  source_clear (&entry->timer);
  g_object_unref (entry->guard);
  g_free (entry->ip);
  g_free (entry);
}

/* Closes @entry's connection and stops counting it. */
static void
forget (HlListener *self,
        Accepted   *entry)
{
  HlWsGuard *guard = entry->guard;

  g_signal_handlers_disconnect_by_data (guard, entry);
  g_io_stream_close (G_IO_STREAM (guard), NULL, NULL);
  g_hash_table_remove (self->accepted, guard);
}

static gboolean
backstop_cb (gpointer data)
{
  Accepted *entry = data;

  g_clear_pointer (&entry->timer, g_source_unref);
  forget (entry->listener, entry);
  return G_SOURCE_REMOVE;
}

/* A connection with a WebSocket closes itself, with a close frame, once its
 * HlPeer hears why; one without goes now. */
static void
drop (HlListener *self,
      Accepted   *entry,
      gushort     code,
      const char *message)
{
  if (!hl_ws_guard_is_claimed (entry->guard))
    {
      forget (self, entry);
      return;
    }
  entry->leaving = TRUE;
  source_clear (&entry->timer);
  entry->timer = timeout_new (BACKSTOP_MS, backstop_cb, entry);
  hl_ws_guard_report (entry->guard, code, message);
}

static gboolean
deadline_cb (gpointer data)
{
  Accepted *entry = data;
  HlListener *self = entry->listener;

  g_clear_pointer (&entry->timer, g_source_unref);
  if (hl_ws_guard_is_ready (entry->guard))
    return G_SOURCE_REMOVE;
  self->expired++;
  g_debug ("Closing the connection from %s: not a ready peer within %d s", entry->ip,
           HL_SYNC_HANDSHAKE_TIMEOUT_S);
  drop (self, entry, HL_SYNC_CLOSE_TIMEOUT, "the handshake did not finish within 10 s");
  return G_SOURCE_REMOVE;
}

static void
on_violation (HlWsGuard  *guard,
              guint       code,
              const char *message,
              Accepted   *entry)
{
  static const char too_big[] = "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                                "Connection: close\r\nContent-Length: 0\r\n\r\n";
  HlListener *self = entry->listener;

  if (hl_ws_guard_is_claimed (guard))
    {
      /* Its HlPeer closes it; this only makes sure it goes. */
      if (!entry->leaving)
        {
          entry->leaving = TRUE;
          source_clear (&entry->timer);
          entry->timer = timeout_new (BACKSTOP_MS, backstop_cb, entry);
        }
      return;
    }
  if (!hl_ws_guard_head_done (guard))
    {
      /* libsoup has not answered yet: a word for curl users, if it fits. */
      self->bad_head++;
      g_socket_send (g_socket_connection_get_socket (G_SOCKET_CONNECTION (guard)), too_big,
                     sizeof too_big - 1, NULL, NULL);
    }
  g_debug ("Closing the connection from %s: %s", entry->ip, message);
  forget (self, entry);
}

static void
on_disconnected (HlWsGuard *guard,
                 Accepted  *entry)
{
  forget (entry->listener, entry);
}

/* ---- limits ---- */

typedef struct
{
  guint total, pending, ip_pending;
} Counts;

static gboolean
is_pending (const Accepted *entry)
{
  return !entry->leaving && !hl_ws_guard_is_ready (entry->guard);
}

static void
count (HlListener *self,
       const char *ip,
       Counts     *counts)
{
  GHashTableIter iter;
  gpointer value;

  memset (counts, 0, sizeof *counts);
  g_hash_table_iter_init (&iter, self->accepted);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const Accepted *entry = value;
      gboolean pending = is_pending (entry);
      gboolean same = strcmp (entry->ip, ip) == 0;

      counts->total++;
      counts->pending += pending;
      counts->ip_pending += same && pending;
    }
}

/* The pending table is full and a new address knocks: it takes the slot of
 * the oldest pending connection of the address holding the most, if that
 * one holds at least two. So a flood from a few addresses cannot keep out
 * one that has none waiting. FALSE when there is no such slot. */
static gboolean
evict_one (HlListener *self)
{
  g_autoptr(GHashTable) per_ip = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;
  const char *busiest = NULL;
  guint most = 0;
  Accepted *victim = NULL;

  g_hash_table_iter_init (&iter, self->accepted);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Accepted *entry = value;
      guint n;

      if (!is_pending (entry))
        continue;
      n = GPOINTER_TO_UINT (g_hash_table_lookup (per_ip, entry->ip)) + 1;
      g_hash_table_insert (per_ip, entry->ip, GUINT_TO_POINTER (n));
      if (n > most)
        {
          most = n;
          busiest = entry->ip;
        }
    }
  if (most < 2)
    return FALSE;
  g_hash_table_iter_init (&iter, self->accepted);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Accepted *entry = value;

      if (is_pending (entry) && strcmp (entry->ip, busiest) == 0 &&
          (victim == NULL || entry->accepted_at < victim->accepted_at))
        victim = entry;
    }
  self->evicted++;
  drop (self, victim, HL_SYNC_CLOSE_FULL, "this node has as many connections waiting as it "
                                          "takes; try again later");
  return TRUE;
}

/* A node listening on "::" sees IPv4 peers as ::ffff:a.b.c.d. */
static char *
remote_ip (GSocketAddress *remote,
           gboolean       *loopback)
{
  GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  g_autofree char *text = g_inet_address_to_string (inet);
  g_autoptr(GInetAddress) plain = NULL;

  if (g_ascii_strncasecmp (text, "::ffff:", 7) == 0 && strchr (text + 7, '.') != NULL)
    {
      plain = g_inet_address_new_from_string (text + 7);
      if (plain != NULL)
        {
          *loopback = g_inet_address_get_is_loopback (plain);
          return g_strdup (text + 7);
        }
    }
  *loopback = g_inet_address_get_is_loopback (inet);
  return g_steal_pointer (&text);
}

static void
take (HlListener *self,
      GSocket    *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *ip = NULL;
  gboolean loopback = FALSE;
  Accepted *entry;
  Counts counts;

  if (self->stopped || remote == NULL || local == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_socket_close (socket, NULL);
      return;
    }
  ip = remote_ip (remote, &loopback);
  count (self, ip, &counts);
  if (counts.total >= self->max_inbound)
    {
      refused (self, &self->refused_full, socket);
      return;
    }
  /* Ready peers per address are the node's slots' business (hl-node-slots.c:
   * 8 per address, 4008 with a reason beyond, a known peer evicting an unknown
   * one), so only what waits is capped here. */
  if (counts.ip_pending >= (loopback ? LOOPBACK_MAX_PENDING : ADDRESS_MAX_PENDING))
    {
      refused (self, &self->refused_address, socket);
      return;
    }
  if (counts.pending >= self->max_pending && !(counts.ip_pending == 0 && evict_one (self)))
    {
      refused (self, &self->refused_full, socket);
      return;
    }

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  entry = g_new0 (Accepted, 1);
  entry->listener = self;
  entry->guard = hl_ws_guard_new (socket, HL_WS_GUARD_SERVER);
  entry->ip = g_steal_pointer (&ip);
  entry->loopback = loopback;
  entry->accepted_at = g_get_monotonic_time ();
  entry->timer = timeout_new (DEADLINE_MS, deadline_cb, entry);
  g_hash_table_insert (self->accepted, entry->guard, entry);
  g_signal_connect (entry->guard, "violation", G_CALLBACK (on_violation), entry);
  g_signal_connect (entry->guard, "disconnected", G_CALLBACK (on_disconnected), entry);
  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (entry->guard), local, remote, &error))
    {
      g_message ("Cannot take the connection from %s: %s", entry->ip, error->message);
      forget (self, entry);
    }
}

/* ---- accepting ---- */

static void start_accepting (Listening *listening);

static gboolean
resume_cb (gpointer data)
{
  Listening *listening = data;
  HlListener *self = listening->listener;

  g_clear_pointer (&listening->resume, g_source_unref);
  if (self->reserve_fd < 0)
    self->reserve_fd = open_reserve ();
  start_accepting (listening);
  return G_SOURCE_REMOVE;
}

/* accept() failed for want of descriptors. The connections stay queued in
 * the kernel, and the socket stays readable: without this the loop would
 * spin, and once the queue is full nobody new gets in. The spare descriptor
 * takes each waiting connection off the queue to close it; accepting then
 * rests a moment, and starts again. */
static void
shed (Listening *listening)
{
  HlListener *self = listening->listener;

  if (!self->out_of_fds)
    g_warning ("Out of file descriptors (the limit is %" G_GUINT64_FORMAT "): closing new "
               "connections at once until some close", self->fd_limit);
  self->out_of_fds = TRUE;
  for (guint i = 0; i < ACCEPT_BATCH && self->reserve_fd >= 0; i++)
    {
      g_autoptr(GSocket) socket = NULL;

      close (self->reserve_fd);
      socket = g_socket_accept (listening->socket, NULL, NULL);
      self->reserve_fd = open_reserve ();
      if (socket == NULL)
        break;
      refused (self, &self->refused_fds, socket);
    }
  listening->resume = timeout_new (PAUSE_MS, resume_cb, listening);
}

static gboolean
on_incoming (GSocket      *socket,
             GIOCondition  condition,
             gpointer      data)
{
  Listening *listening = data;
  HlListener *self = listening->listener;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) accepted = g_socket_accept (socket, NULL, &error);

      if (accepted != NULL)
        {
          if (self->out_of_fds)
            g_message ("Accepting connections again: descriptors are free");
          self->out_of_fds = FALSE;
          take (self, accepted);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          /* Never for good: shed() brings the source back. */
          g_clear_pointer (&listening->source, g_source_unref);
          shed (listening);
          return G_SOURCE_REMOVE;
        }
      /* ECONNABORTED and the like: that one is gone, the next may not be. */
      g_debug ("accept on %s: %s", listening->host, error->message);
    }
  return G_SOURCE_CONTINUE;
}

static void
start_accepting (Listening *listening)
{
  listening->source = g_socket_create_source (listening->socket, G_IO_IN, NULL);
  g_source_set_callback (listening->source, G_SOURCE_FUNC (on_incoming),
                         listening, NULL);
  g_source_attach (listening->source, g_main_context_get_thread_default ());
}

static void
listening_free (Listening *listening)
{
  source_clear (&listening->source);
  source_clear (&listening->resume);
  g_socket_close (listening->socket, NULL);
  g_object_unref (listening->socket);
  g_free (listening->host);
  g_free (listening);
}

/* ---- GObject ---- */

static void
hl_listener_dispose (GObject *object)
{
  HlListener *self = HL_LISTENER (object);

  hl_listener_stop (self);
  g_clear_pointer (&self->accepted, g_hash_table_unref);
  source_clear (&self->summary);
  g_clear_object (&self->server);
  G_OBJECT_CLASS (hl_listener_parent_class)->dispose (object);
}

static void
hl_listener_finalize (GObject *object)
{
  HlListener *self = HL_LISTENER (object);

  g_ptr_array_unref (self->listening);
  if (self->reserve_fd >= 0)
    close (self->reserve_fd);
  G_OBJECT_CLASS (hl_listener_parent_class)->finalize (object);
}

static void
hl_listener_class_init (HlListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_listener_dispose;
  G_OBJECT_CLASS (klass)->finalize = hl_listener_finalize;
}

static void
hl_listener_init (HlListener *self)
{
  self->listening = g_ptr_array_new_with_free_func ((GDestroyNotify) listening_free);
  self->accepted = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) accepted_free);
  self->reserve_fd = open_reserve ();
}

/* ---- public API ---- */

guint64
hl_listener_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024;
  if (limit.rlim_cur < limit.rlim_max)
    {
      rlim_t was = limit.rlim_cur;

      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        limit.rlim_cur = was;
    }
  return limit.rlim_cur == RLIM_INFINITY ? G_MAXUINT64 : (guint64) limit.rlim_cur;
}

HlListener *
hl_listener_new (SoupServer *server)
{
  HlListener *self = g_object_new (HL_TYPE_LISTENER, NULL);
  struct rlimit limit = { 1024, 1024 };
  guint64 spare;

  self->server = g_object_ref (server);
  getrlimit (RLIMIT_NOFILE, &limit);
  self->fd_limit = limit.rlim_cur == RLIM_INFINITY ? G_MAXUINT64 : (guint64) limit.rlim_cur;
  /* Accepting alone must never use up the descriptors. */
  spare = self->fd_limit > FD_RESERVE ? self->fd_limit - FD_RESERVE : 0;
  self->max_inbound = (guint) CLAMP (spare, MIN_INBOUND, MAX_INBOUND);
  self->max_pending = CLAMP (self->max_inbound / 3, MIN_PENDING, MAX_PENDING);
  if (spare < MAX_INBOUND)
    g_message ("This process may open only %" G_GUINT64_FORMAT " files (RLIMIT_NOFILE): the node "
               "takes at most %u connections, %u of them not yet ready", self->fd_limit,
               self->max_inbound, self->max_pending);
  return self;
}

static Listening *
find (HlListener *self,
      const char *host)
{
  for (guint i = 0; i < self->listening->len; i++)
    {
      Listening *listening = g_ptr_array_index (self->listening, i);

      if (strcmp (listening->host, host) == 0)
        return listening;
    }
  return NULL;
}

static GSocket *
listen_socket (GSocketAddress  *address,
               GError         **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (address),
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL)
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

gboolean
hl_listener_add (HlListener  *self,
                 const char  *host,
                 guint16      port,
                 GError     **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) local_error = NULL;
  Listening *listening;
  GSocket *socket;

  g_return_val_if_fail (HL_IS_LISTENER (self), FALSE);

  if (find (self, host) != NULL)
    return TRUE;
  if (inet == NULL)
    {
      g_set_error (error, HL_SYNC_ERROR, HL_SYNC_ERROR_ADDRESS,
                   "“%s” is not an IP address to listen on (try 127.0.0.1 or 0.0.0.0)", host);
      return FALSE;
    }
  address = g_inet_socket_address_new (inet, port);
  if (!(socket = listen_socket (address, &local_error)))
    {
      gboolean busy = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);

      g_set_error (error, HL_SYNC_ERROR, busy ? HL_SYNC_ERROR_BUSY : HL_SYNC_ERROR_FAILED,
                   "Cannot listen on %s%s%s:%u: %s%s",
                   strchr (host, ':') ? "[" : "", host, strchr (host, ':') ? "]" : "", port,
                   local_error->message,
                   busy ? " (another program, perhaps another hyperlinkd, uses this port; "
                          "choose another with --listen)" : "");
      return FALSE;
    }
  listening = g_new0 (Listening, 1);
  listening->listener = self;
  listening->host = g_strdup (host);
  listening->socket = socket;
  g_ptr_array_add (self->listening, listening);
  local = g_socket_get_local_address (socket, NULL);
  if (self->port == 0 && local != NULL)
    self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  self->stopped = FALSE;
  start_accepting (listening);
  return TRUE;
}

void
hl_listener_remove (HlListener *self,
                    const char *host)
{
  Listening *listening = find (self, host);

  if (listening != NULL)
    g_ptr_array_remove (self->listening, listening);
}

gboolean
hl_listener_has (HlListener *self,
                 const char *host)
{
  return find (self, host) != NULL;
}

GPtrArray *
hl_listener_get_hosts (HlListener *self)
{
  GPtrArray *hosts = g_ptr_array_new ();

  for (guint i = 0; i < self->listening->len; i++)
    g_ptr_array_add (hosts, ((Listening *) g_ptr_array_index (self->listening, i))->host);
  return hosts;
}

guint16
hl_listener_get_port (HlListener *self)
{
  return self->port;
}

void
hl_listener_stop (HlListener *self)
{
  GHashTableIter iter;
  gpointer value;

  self->stopped = TRUE;
  g_ptr_array_set_size (self->listening, 0);
  if (self->accepted == NULL)
    return;
  /* The peers (claimed ones) are closed by the node, with a going-away frame. */
  g_hash_table_iter_init (&iter, self->accepted);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Accepted *entry = value;

      if (hl_ws_guard_is_claimed (entry->guard))
        continue;
      g_signal_handlers_disconnect_by_data (entry->guard, entry);
      g_io_stream_close (G_IO_STREAM (entry->guard), NULL, NULL);
      g_hash_table_iter_remove (&iter);
    }
}

void
hl_listener_add_status (HlListener  *self,
                        JsonBuilder *b)
{
  Counts counts;

  count (self, "", &counts);
  json_builder_set_member_name (b, "connections");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "open");
  json_builder_add_int_value (b, counts.total);
  json_builder_set_member_name (b, "not_ready");
  json_builder_add_int_value (b, counts.pending);
  json_builder_set_member_name (b, "max_open");
  json_builder_add_int_value (b, self->max_inbound);
  json_builder_set_member_name (b, "max_not_ready");
  json_builder_add_int_value (b, self->max_pending);
  json_builder_set_member_name (b, "refused_per_address");
  json_builder_add_int_value (b, (gint64) self->refused_address);
  json_builder_set_member_name (b, "refused_full");
  json_builder_add_int_value (b, (gint64) self->refused_full);
  json_builder_set_member_name (b, "refused_out_of_fds");
  json_builder_add_int_value (b, (gint64) self->refused_fds);
  json_builder_set_member_name (b, "evicted");
  json_builder_add_int_value (b, (gint64) self->evicted);
  json_builder_set_member_name (b, "expired");
  json_builder_add_int_value (b, (gint64) self->expired);
  json_builder_set_member_name (b, "bad_head");
  json_builder_add_int_value (b, (gint64) self->bad_head);
  json_builder_end_object (b);
}
