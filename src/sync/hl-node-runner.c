/* hl-node-runner.c: an HlNode on a thread of its own, for the window.
 *
 * The node does SQLite work (loading the set, applying batches of received
 * events) that must not stall a GTK main loop, so it gets a thread with its
 * own GMainContext; its timers, sockets and verifier callbacks all live
 * there (hl-sync-source.c). The two threads share nothing but messages: the
 * node thread posts state changes and status documents to the owner's
 * context through a Channel, which outlives whichever side goes first.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-node-runner-private.h"

#include <unistd.h>

#include "hl-listener.h"
#include "hl-sync-lock.h"
#include "hl-sync-private.h"

#define DRAIN_MS          300   /* for close frames to leave, as hyperlinkd waits */
#define EXTERNAL_POLL_MS  1000

typedef enum
{
  MSG_STATE,
  MSG_STATUS,
} MsgKind;

typedef struct
{
  Channel           *channel;
  MsgKind            kind;
  HlNodeRunnerState  state;
  char              *text;      /* error or status document */
  GQuark             error_domain;   /* of the error, for callers to match (not its text) */
  int                error_code;
  guint              port;
  gint64             holder;
} Msg;

struct _HlNodeRunner
{
  GObject            parent_instance;

  char              *data_dir;
  gboolean           listen_default;   /* loopback and the tailnet, as hyperlinkd */
  char              *host;
  guint16            port_wanted;
  char              *tailscale_socket;
  GMainContext      *owner;

  HlNodeRunnerState  state;
  char              *error;
  GQuark             error_domain;
  int                error_code;
  guint              port;
  gint64             holder;
  char              *status;

  Channel           *channel;
  GThread           *thread;
  guint              external_source;
  GCancellable      *external_cancellable;
};

G_DEFINE_FINAL_TYPE (HlNodeRunner, hl_node_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  PROP_PORT,
  PROP_HOLDER,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the channel ---- */

Channel *
hl_runner_channel_ref (Channel *channel)
{
  g_atomic_ref_count_inc (&channel->ref);
  return channel;
}

void
hl_runner_channel_unref (Channel *channel)
{
  if (!g_atomic_ref_count_dec (&channel->ref))
    return;
  g_main_loop_unref (channel->loop);
  g_main_context_unref (channel->context);
  g_main_context_unref (channel->owner);
  g_free (channel->data_dir);
  g_free (channel->host);
  g_free (channel->tailscale_socket);
  g_free (channel);
}

static void
msg_free (Msg *msg)
{
  hl_runner_channel_unref (msg->channel);
  g_free (msg->text);
  g_free (msg);
}

static void set_state (HlNodeRunner *self, HlNodeRunnerState state);
static void set_status (HlNodeRunner *self, const char *text);
static void follow_external (HlNodeRunner *self);

static gboolean
deliver_cb (gpointer data)
{
  Msg *msg = data;
  HlNodeRunner *self = msg->channel->runner;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  if (msg->kind == MSG_STATUS)
    {
      set_status (self, msg->text);
      return G_SOURCE_REMOVE;
    }
  g_object_freeze_notify (G_OBJECT (self));
  self->error_domain = msg->error_domain;
  self->error_code = msg->error_code;
  if (g_strcmp0 (self->error, msg->text) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (msg->text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->port != msg->port)
    {
      self->port = msg->port;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
  if (self->holder != msg->holder)
    {
      self->holder = msg->holder;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLDER]);
    }
  set_state (self, msg->state);
  g_object_thaw_notify (G_OBJECT (self));
  if (msg->state == HL_NODE_RUNNER_EXTERNAL)
    follow_external (self);
  return G_SOURCE_REMOVE;
}

/* From the node thread to the owner's. */
static void
post (Channel           *channel,
      MsgKind            kind,
      HlNodeRunnerState  state,
      const char        *text,
      guint              port,
      gint64             holder)
{
  Msg *msg = g_new0 (Msg, 1);

  msg->channel = hl_runner_channel_ref (channel);
  msg->kind = kind;
  msg->state = state;
  msg->text = g_strdup (text);
  msg->port = port;
  msg->holder = holder;
  g_main_context_invoke_full (channel->owner, G_PRIORITY_DEFAULT, deliver_cb, msg,
                              (GDestroyNotify) msg_free);
}

static void
post_failed (Channel      *channel,
             const GError *error)
{
  Msg *msg = g_new0 (Msg, 1);

  msg->channel = hl_runner_channel_ref (channel);
  msg->kind = MSG_STATE;
  msg->state = HL_NODE_RUNNER_FAILED;
  msg->text = g_strdup (error->message);
  msg->error_domain = error->domain;
  msg->error_code = error->code;
  g_main_context_invoke_full (channel->owner, G_PRIORITY_DEFAULT, deliver_cb, msg,
                              (GDestroyNotify) msg_free);
}

/* ---- the node thread ---- */

static void
on_status_changed_cb (HlNode     *node,
                      const char *text,
                      Channel    *channel)
{
  post (channel, MSG_STATUS, 0, text, 0, 0);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (((Channel *) data)->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Lets the close frames leave and the closed peers go, for a moment. */
static void
drain (Channel *channel,
       HlNode  *node)
{
  gint64 end = g_get_monotonic_time () + DRAIN_MS * 1000;
  guint wake = hl_sync_timeout_add (10, wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GPtrArray) peers = hl_node_list_peers (node);

      if (peers->len == 0)
        break;
      g_main_context_iteration (channel->context, TRUE);
    }
  hl_sync_source_clear (&wake);
  for (guint i = 0; i < 100 && g_main_context_pending (channel->context); i++)
    g_main_context_iteration (channel->context, FALSE);
}

static gpointer
run_node (gpointer data)
{
  Channel *channel = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlNode) node = NULL;
  int lock_fd;

  g_main_context_push_thread_default (channel->context);
  if ((lock_fd = hl_sync_lock_acquire (channel->data_dir, &error)) < 0)
    {
      /* Safe to ask: this process does not hold the lock (asking would
       * drop it otherwise, fcntl locks being per process). */
      gint64 holder = hl_sync_lock_holder (channel->data_dir);

      if (holder > 0)
        post (channel, MSG_STATE, HL_NODE_RUNNER_EXTERNAL, NULL, 0, holder);
      else
        post_failed (channel, error);
      goto out;
    }
  /* As hyperlinkd: connections are descriptors, take all the system allows. */
  hl_listener_raise_fd_limit ();
  if (!(node = hl_node_new (channel->data_dir, &error)) ||
      (channel->listen_default && !hl_node_listen_default (node, channel->port, &error)) ||
      (!channel->listen_default && channel->host != NULL &&
       !hl_node_listen (node, channel->host, channel->port, &error)))
    {
      post_failed (channel, error);
      goto release;
    }
  g_signal_connect (node, "status-changed", G_CALLBACK (on_status_changed_cb), channel);
  /* As hyperlinkd does by default: tailnet peers and tailnet-only
   * admission, at the default socket or $HYPERLINK_TAILSCALE_SOCKET. */
  hl_node_set_tailscale (node, channel->tailscale_socket, NULL, 0);
  if (!hl_node_start (node, &error))
    {
      post_failed (channel, error);
      goto release;
    }
  post (channel, MSG_STATE, HL_NODE_RUNNER_RUNNING, NULL, hl_node_get_port (node), 0);
  channel->node = node;
  g_main_loop_run (channel->loop);
  channel->node = NULL;
  hl_node_stop (node);
  drain (channel, node);

release:
  g_clear_object (&node);
  close (lock_fd);
out:
  g_main_context_pop_thread_default (channel->context);
  hl_runner_channel_unref (channel);
  return NULL;
}

/* ---- following a hyperlinkd ---- */

static void
on_external_read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autofree char *text = NULL;
  gsize len;

  if (!g_file_load_contents_finish (G_FILE (object), result, &text, &len, NULL, NULL))
    return;   /* not written yet, or cancelled: @user_data may be gone */
  set_status (user_data, text);
}

static gboolean
poll_external_cb (gpointer user_data)
{
  HlNodeRunner *self = user_data;
  g_autofree char *path = hl_sync_status_path (self->data_dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gint64 holder = hl_sync_lock_holder (self->data_dir);

  if (holder == 0)
    {
      /* The hyperlinkd stopped: this process syncs from now on. */
      self->external_source = 0;
      g_message ("That node stopped; the window syncs %s itself", self->data_dir);
      set_state (self, HL_NODE_RUNNER_STOPPED);
      hl_node_runner_start (self);
      return G_SOURCE_REMOVE;
    }
  g_file_load_contents_async (file, self->external_cancellable, on_external_read_cb, self);
  return G_SOURCE_CONTINUE;
}

static void
follow_external (HlNodeRunner *self)
{
  /* The thread found the lock taken and has ended. */
  g_clear_pointer (&self->thread, g_thread_join);
  if (self->channel != NULL)
    {
      self->channel->runner = NULL;
      g_clear_pointer (&self->channel, hl_runner_channel_unref);
    }
  if (self->external_source != 0)
    return;
  if (self->external_cancellable == NULL)
    self->external_cancellable = g_cancellable_new ();
  g_message ("Another node (pid %" G_GINT64_FORMAT ", usually hyperlinkd) syncs %s; the "
             "window follows its status", self->holder, self->data_dir);
  poll_external_cb (self);
  if (self->state == HL_NODE_RUNNER_EXTERNAL)
    self->external_source = g_timeout_add (EXTERNAL_POLL_MS, poll_external_cb, self);
}

/* ---- properties ---- */

static void
set_state (HlNodeRunner      *self,
           HlNodeRunnerState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_status (HlNodeRunner *self,
            const char   *text)
{
  if (g_strcmp0 (self->status, text) == 0)
    return;
  g_free (self->status);
  self->status = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
hl_node_runner_dispose (GObject *object)
{
  hl_node_runner_stop (HL_NODE_RUNNER (object));
  G_OBJECT_CLASS (hl_node_runner_parent_class)->dispose (object);
}

static void
hl_node_runner_finalize (GObject *object)
{
  HlNodeRunner *self = HL_NODE_RUNNER (object);

  g_clear_object (&self->external_cancellable);
  g_main_context_unref (self->owner);
  g_free (self->data_dir);
  g_free (self->host);
  g_free (self->tailscale_socket);
  g_free (self->error);
  g_free (self->status);
  G_OBJECT_CLASS (hl_node_runner_parent_class)->finalize (object);
}

static void
hl_node_runner_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HlNodeRunner *self = HL_NODE_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_HOLDER:
      g_value_set_int64 (value, self->holder);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_node_runner_class_init (HlNodeRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_node_runner_dispose;
  object_class->finalize = hl_node_runner_finalize;
  object_class->get_property = hl_node_runner_get_property;

  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, HL_NODE_RUNNER_STOPPED,
                                             HL_NODE_RUNNER_FAILED, HL_NODE_RUNNER_STOPPED,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                             G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                             G_PARAM_STATIC_STRINGS);
  properties[PROP_HOLDER] = g_param_spec_int64 ("holder", NULL, NULL, 0, G_MAXINT64, 0,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_node_runner_init (HlNodeRunner *self)
{
  self->owner = g_main_context_ref_thread_default ();
  self->listen_default = TRUE;
  self->port_wanted = HL_SYNC_DEFAULT_PORT;
}

/* ---- public API ---- */

HlNodeRunner *
hl_node_runner_new (const char *data_dir)
{
  HlNodeRunner *self;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (HL_TYPE_NODE_RUNNER, NULL);
  self->data_dir = g_strdup (data_dir);
  return self;
}

void
hl_node_runner_set_listen (HlNodeRunner *self,
                           const char   *host,
                           guint16       port)
{
  g_return_if_fail (HL_IS_NODE_RUNNER (self));

  g_free (self->host);
  self->host = g_strdup (host);
  self->listen_default = FALSE;
  self->port_wanted = port;
}

void
hl_node_runner_set_listen_default (HlNodeRunner *self,
                                   guint16       port)
{
  g_return_if_fail (HL_IS_NODE_RUNNER (self));

  g_clear_pointer (&self->host, g_free);
  self->listen_default = TRUE;
  self->port_wanted = port;
}

gboolean
hl_node_runner_set_listen_spec (HlNodeRunner *self,
                                const char   *spec,
                                guint16       default_port,
                                GError      **error)
{
  g_autofree char *host = NULL;
  guint16 port = 0;

  g_return_val_if_fail (HL_IS_NODE_RUNNER (self), FALSE);

  if (spec == NULL || *spec == '\0')
    {
      hl_node_runner_set_listen_default (self, default_port);
      return TRUE;
    }
  if (g_str_equal (spec, "none"))
    {
      hl_node_runner_set_listen (self, NULL, 0);
      return TRUE;
    }
  if (!hl_sync_parse_host_port (spec, default_port, &host, &port, error))
    {
      hl_node_runner_set_listen (self, NULL, 0);
      return FALSE;
    }
  hl_node_runner_set_listen (self, host, port);
  return TRUE;
}

void
hl_node_runner_set_tailscale_socket (HlNodeRunner *self,
                                     const char   *path)
{
  g_return_if_fail (HL_IS_NODE_RUNNER (self));

  g_free (self->tailscale_socket);
  self->tailscale_socket = g_strdup (path);
}

void
hl_node_runner_start (HlNodeRunner *self)
{
  Channel *channel;

  g_return_if_fail (HL_IS_NODE_RUNNER (self));

  if (self->thread != NULL || self->external_source != 0)
    return;
  channel = g_new0 (Channel, 1);
  g_atomic_ref_count_init (&channel->ref);
  channel->runner = self;
  channel->owner = g_main_context_ref (self->owner);
  channel->context = g_main_context_new ();
  channel->loop = g_main_loop_new (channel->context, FALSE);
  channel->data_dir = g_strdup (self->data_dir);
  channel->listen_default = self->listen_default;
  channel->host = g_strdup (self->host);
  channel->port = self->port_wanted;
  channel->tailscale_socket = g_strdup (self->tailscale_socket);
  self->channel = channel;
  set_state (self, HL_NODE_RUNNER_STARTING);
  self->thread = g_thread_new ("hl-sync", run_node, hl_runner_channel_ref (channel));
}

void
hl_node_runner_stop (HlNodeRunner *self)
{
  g_return_if_fail (HL_IS_NODE_RUNNER (self));

  g_clear_handle_id (&self->external_source, g_source_remove);
  if (self->external_cancellable != NULL)
    {
      g_cancellable_cancel (self->external_cancellable);
      g_clear_object (&self->external_cancellable);
    }
  if (self->channel != NULL)
    {
      /* Whatever the thread still posts is for nobody now. */
      self->channel->runner = NULL;
      g_main_context_invoke (self->channel->context, quit_cb, self->channel);
    }
  g_clear_pointer (&self->thread, g_thread_join);
  g_clear_pointer (&self->channel, hl_runner_channel_unref);
  self->port = 0;
  self->holder = 0;
  if (self->state != HL_NODE_RUNNER_FAILED)
    set_state (self, HL_NODE_RUNNER_STOPPED);
}

Channel *
hl_node_runner_get_channel (HlNodeRunner *self)
{
  return self->state == HL_NODE_RUNNER_RUNNING ? self->channel : NULL;
}

HlNodeRunnerState
hl_node_runner_get_state (HlNodeRunner *self)
{
  g_return_val_if_fail (HL_IS_NODE_RUNNER (self), HL_NODE_RUNNER_STOPPED);
  return self->state;
}

gboolean
hl_node_runner_error_matches (HlNodeRunner *self,
                              GQuark        domain,
                              int           code)
{
  g_return_val_if_fail (HL_IS_NODE_RUNNER (self), FALSE);
  return self->error != NULL && self->error_domain == domain && self->error_code == code;
}

const char *
hl_node_runner_get_error (HlNodeRunner *self)
{
  g_return_val_if_fail (HL_IS_NODE_RUNNER (self), NULL);
  return self->error;
}

guint
hl_node_runner_get_port (HlNodeRunner *self)
{
  g_return_val_if_fail (HL_IS_NODE_RUNNER (self), 0);
  return self->port;
}

gint64
hl_node_runner_get_holder (HlNodeRunner *self)
{
  g_return_val_if_fail (HL_IS_NODE_RUNNER (self), 0);
  return self->holder;
}

const char *
hl_node_runner_get_status (HlNodeRunner *self)
{
  g_return_val_if_fail (HL_IS_NODE_RUNNER (self), NULL);
  return self->status;
}
