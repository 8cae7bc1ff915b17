/* hl-node-listen.c: where the node listens, and what it says of it.
 *
 * By default: loopback (127.0.0.1, and ::1 where the machine has it) and
 * this machine's tailnet addresses while Tailscale reports them, followed
 * as they change (HlTailnet calls hl_node_tailnet_self). Or the addresses
 * given, and only those. The accepting itself is hl-listener.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"

#include "hl-sync-error.h"

#define LOOPBACK_V4 "127.0.0.1"
#define LOOPBACK_V6 "::1"

static gboolean
is_wildcard (const char *host)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);

  return inet != NULL && g_inet_address_get_is_any (inet);
}

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);

  return inet != NULL && g_inet_address_get_is_loopback (inet);
}

static char *
host_port (const char *host,
           guint16     port)
{
  return strchr (host, ':') ? g_strdup_printf ("[%s]:%u", host, port)
                            : g_strdup_printf ("%s:%u", host, port);
}

static void
add_unique (GPtrArray *list,
            char      *text)
{
  if (g_ptr_array_find_with_equal_func (list, text, g_str_equal, NULL))
    g_free (text);
  else
    g_ptr_array_add (list, text);
}

static char *
joined (GPtrArray  *list,
        const char *separator)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (text, "%s%s", i ? separator : "", (char *) g_ptr_array_index (list, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "HOST:PORT" of every address listened on. */
static GPtrArray *
listening (HlNode *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) hosts = NULL;

  if (self->listener == NULL)
    return out;
  hosts = hl_listener_get_hosts (self->listener);
  for (guint i = 0; i < hosts->len; i++)
    g_ptr_array_add (out, host_port (g_ptr_array_index (hosts, i), self->port));
  return out;
}

GPtrArray *
hl_node_dup_reachable (HlNode   *self,
                       gboolean  loopback)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) hosts = NULL;
  gboolean wildcard = FALSE, tailnet = FALSE;

  if (self->listener == NULL)
    return out;
  hosts = hl_listener_get_hosts (self->listener);
  for (guint i = 0; i < hosts->len; i++)
    {
      const char *host = g_ptr_array_index (hosts, i);

      wildcard |= is_wildcard (host);
      tailnet |= self->tailnet_ips != NULL &&
                 g_strv_contains ((const char * const *) self->tailnet_ips, host);
    }
  /* The tailnet's name for this machine first: it survives address changes. */
  if ((tailnet || wildcard) && self->tailnet_name != NULL)
    g_ptr_array_add (out, g_strdup_printf ("ws://%s:%u", self->tailnet_name, self->port));
  for (guint i = 0; wildcard && self->tailnet_ips != NULL && self->tailnet_ips[i] != NULL; i++)
    {
      g_autofree char *address = host_port (self->tailnet_ips[i], self->port);

      add_unique (out, g_strconcat ("ws://", address, NULL));
    }
  for (guint i = 0; i < hosts->len; i++)
    {
      const char *host = g_ptr_array_index (hosts, i);
      g_autofree char *address = host_port (host, self->port);

      if (!is_wildcard (host) && (loopback || !is_loopback (host)))
        add_unique (out, g_strconcat ("ws://", address, NULL));
    }
  return out;
}

/* What peers can do with this node, in a sentence or two for the log. */
static void
log_listening (HlNode *self)
{
  g_autoptr(GPtrArray) where = listening (self);
  g_autoptr(GPtrArray) remote = hl_node_dup_reachable (self, FALSE);
  g_autoptr(GPtrArray) local = hl_node_dup_reachable (self, TRUE);
  g_autoptr(GPtrArray) hosts = NULL;
  g_autofree char *where_text = NULL;

  if (self->listener == NULL || where->len == 0)
    {
      g_message ("Not listening: this node only dials out");
      return;
    }
  where_text = joined (where, ", ");
  g_message ("Listening on %s", where_text);
  hosts = hl_listener_get_hosts (self->listener);
  for (guint i = 0; i < hosts->len; i++)
    if (is_wildcard (g_ptr_array_index (hosts, i)))
      g_warning ("%s is a wildcard address: every network this machine is on (a café's Wi-Fi "
                 "too) can reach this node on port %u. Unless that is what you want, listen on "
                 "loopback and the tailnet (the default) or on one address with --listen",
                 (const char *) g_ptr_array_index (hosts, i), self->port);
  if (remote->len > 0)
    {
      g_autofree char *text = joined (remote, " or ");
      g_message ("Peers can add this node as %s", text);
    }
  else if (local->len > 0)
    {
      g_autofree char *text = joined (local, " or ");
      g_message ("Only programs on this machine can reach this node (as %s)%s", text,
                 self->listen_default ? "; it will listen on this machine's tailnet addresses "
                                        "once Tailscale runs" : "");
    }
  else
    g_message ("Peers can reach this node at any address of this machine, port %u (the listen "
               "address is a wildcard)", self->port);
}

static void
close_unlisted (HlNode             *self,
                const char * const *hosts)
{
  g_autoptr(GPtrArray) open = hl_listener_get_hosts (self->listener);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < open->len; i++)
    if (!g_strv_contains (hosts, g_ptr_array_index (open, i)))
      g_ptr_array_add (gone, g_strdup (g_ptr_array_index (open, i)));
  for (guint i = 0; i < gone->len; i++)
    hl_listener_remove (self->listener, g_ptr_array_index (gone, i));
}

static guint16
port_for (HlNode  *self,
          guint16  port)
{
  guint16 open = hl_listener_get_port (self->listener);

  return open != 0 ? open : port;
}

/* Logs the new set of addresses when it changed while running. */
static void
changed (HlNode *self,
         char   *before)
{
  g_autoptr(GPtrArray) now = listening (self);
  g_autofree char *after = joined (now, ", ");

  self->port = hl_listener_get_port (self->listener);
  if (self->running && g_strcmp0 (before, after) != 0)
    {
      log_listening (self);
      hl_node_write_status (self, FALSE);
    }
  g_free (before);
}

static char *
snapshot (HlNode *self)
{
  g_autoptr(GPtrArray) now = listening (self);

  return joined (now, ", ");
}

gboolean
hl_node_set_listen_hosts (HlNode              *self,
                          const char * const  *hosts,
                          guint16              port,
                          GError             **error)
{
  g_autoptr(GError) first = NULL;
  char *before;

  g_return_val_if_fail (HL_IS_NODE (self), FALSE);
  g_return_val_if_fail (hosts != NULL, FALSE);

  hl_node_ensure_server (self);
  before = snapshot (self);
  self->listen_default = FALSE;
  close_unlisted (self, hosts);
  for (guint i = 0; hosts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!hl_listener_add (self->listener, hosts[i], port_for (self, port), &local_error) &&
          first == NULL)
        first = g_steal_pointer (&local_error);
    }
  changed (self, before);
  if (first != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_node_listen (HlNode      *self,
                const char  *host,
                guint16      port,
                GError     **error)
{
  const char *hosts[] = { host, NULL };

  return hl_node_set_listen_hosts (self, hosts, port, error);
}

/* Opens an address of the default set that may fail: ::1 on a machine
 * without IPv6, a tailnet address before its interface is up. Warned about
 * once; the next Tailscale status tries again. */
static void
try_listen (HlNode     *self,
            const char *host)
{
  g_autoptr(GError) error = NULL;

  if (hl_listener_add (self->listener, host, port_for (self, 0), &error))
    {
      g_hash_table_remove (self->listen_failed, host);
      return;
    }
  if (g_hash_table_contains (self->listen_failed, host))
    return;
  g_hash_table_add (self->listen_failed, g_strdup (host));
  if (strcmp (host, LOOPBACK_V6) != 0)
    g_warning ("%s; this tailnet address is tried again when Tailscale next reports it",
               error->message);
  else if (g_error_matches (error, HL_SYNC_ERROR, HL_SYNC_ERROR_BUSY))
    g_warning ("%s; programs on this machine reach the node at 127.0.0.1 only", error->message);
  else
    g_debug ("No IPv6 loopback: %s", error->message);
}

static void
follow_defaults (HlNode *self)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  char *before = snapshot (self);

  g_ptr_array_add (wanted, (char *) LOOPBACK_V4);
  g_ptr_array_add (wanted, (char *) LOOPBACK_V6);
  for (guint i = 0; self->tailnet_ips != NULL && self->tailnet_ips[i] != NULL; i++)
    g_ptr_array_add (wanted, self->tailnet_ips[i]);
  g_ptr_array_add (wanted, NULL);
  close_unlisted (self, (const char * const *) wanted->pdata);
  for (guint i = 1; i < wanted->len - 1; i++)
    try_listen (self, g_ptr_array_index (wanted, i));
  changed (self, before);
}

gboolean
hl_node_listen_default (HlNode   *self,
                        guint16   port,
                        GError  **error)
{
  g_return_val_if_fail (HL_IS_NODE (self), FALSE);

  hl_node_ensure_server (self);
  if (!hl_listener_add (self->listener, LOOPBACK_V4, port_for (self, port), error))
    return FALSE;
  self->listen_default = TRUE;
  follow_defaults (self);
  return TRUE;
}

void
hl_node_tailnet_self (HlNode             *self,
                      const char * const *ips,
                      const char         *dns_name)
{
  g_autofree char *name = dns_name && *dns_name ? g_strdup (dns_name) : NULL;
  gboolean same;

  if (name != NULL && g_str_has_suffix (name, "."))
    name[strlen (name) - 1] = '\0';
  same = g_strcmp0 (name, self->tailnet_name) == 0 &&
         (ips == NULL || *ips == NULL ? self->tailnet_ips == NULL
                                      : self->tailnet_ips != NULL &&
                                        g_strv_equal (ips, (const char * const *) self->tailnet_ips));
  if (!same)
    {
      g_strfreev (self->tailnet_ips);
      self->tailnet_ips = ips != NULL && *ips != NULL ? g_strdupv ((char **) ips) : NULL;
      g_free (self->tailnet_name);
      self->tailnet_name = g_steal_pointer (&name);
    }
  /* Every report, so that an address that would not open is tried again. */
  if (self->listen_default && self->listener != NULL && !self->stopping)
    follow_defaults (self);
}

void
hl_node_log_listening (HlNode *self)
{
  log_listening (self);
}

void
hl_node_add_listen_status (HlNode      *self,
                           JsonBuilder *b)
{
  g_autoptr(GPtrArray) where = listening (self);
  g_autoptr(GPtrArray) reachable = hl_node_dup_reachable (self, TRUE);

  json_builder_set_member_name (b, "listen");
  if (where->len == 0)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_array (b);
      for (guint i = 0; i < where->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (where, i));
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "reachable");
  json_builder_begin_array (b);
  for (guint i = 0; i < reachable->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (reachable, i));
  json_builder_end_array (b);
  if (self->listener != NULL)
    hl_listener_add_status (self->listener, b);
  else
    {
      json_builder_set_member_name (b, "connections");
      json_builder_add_null_value (b);
    }
}
