/* hl-ws-guard.c: the socket under libsoup, which bounds what a peer can
 * make the node hold.
 *
 * libsoup 3.2 checks its max-incoming-payload-size per frame and then
 * appends every fragment of a message to one buffer with no total limit,
 * and answers a frame above the limit by dropping TCP without a close
 * frame. So the node puts this stream under libsoup, on both ends of a
 * connection: its scanner (hl-ws-scan.c) reads the HTTP request head
 * (server side) and each WebSocket frame header (RFC 6455, 5.2) as the
 * bytes pass, keeps the sum of a message's fragments, and lets no byte of
 * a frame that breaks a limit through. After a breach it reads and drops whatever comes, so memory
 * stays bounded while the owner closes the connection with a close frame.
 *
 * The guard is a GSocketConnection over the same socket whose streams wrap
 * the socket's own: libsoup half-closes only GSocketConnections (its
 * shutdown_wr_io_stream), and the close handshake relies on that.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ws-guard.h"

#include <sys/ioctl.h>
#include <linux/sockios.h>

#include "hl-sync-wire.h"
#include "hl-ws-scan.h"


/* ---- the input side ---- */

#define HL_TYPE_WS_GUARD_INPUT (hl_ws_guard_input_get_type ())
G_DECLARE_FINAL_TYPE (HlWsGuardInput, hl_ws_guard_input, HL, WS_GUARD_INPUT, GInputStream)

struct _HlWsGuardInput
{
  GInputStream  parent_instance;
  GInputStream *base;      /* the socket's */
  HlWsGuard    *guard;     /* not owned: the guard owns this stream */
};

/* ---- the output side ---- */

#define HL_TYPE_WS_GUARD_OUTPUT (hl_ws_guard_output_get_type ())
G_DECLARE_FINAL_TYPE (HlWsGuardOutput, hl_ws_guard_output, HL, WS_GUARD_OUTPUT, GOutputStream)

struct _HlWsGuardOutput
{
  GOutputStream  parent_instance;
  GOutputStream *base;
  HlWsGuard     *guard;
};

struct _HlWsGuard
{
  GSocketConnection  parent_instance;

  HlWsGuardInput    *input;
  HlWsGuardOutput   *output;
  HlWsGuardRole      role;
  HlWsScan           scan;           /* the head and frame headers as they pass */
  gboolean           disposing;

  gushort            violation;
  char              *violation_message;
  gboolean           violation_emitted;
  gboolean           told_to_go;     /* the owner sent its close frame */
  guint64            dropped;        /* bytes dropped since the breach */
  gboolean           claimed;
  gboolean           disconnected;

  GByteArray        *pushback;
  gsize              pushback_at;

  guint64            written;        /* to the socket */
  guint64            written_at_claim;
  guint64            queued;         /* handed to libsoup since the claim, with frame headers */
};

enum {
  VIOLATION,
  DISCONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlWsGuard, hl_ws_guard, G_TYPE_SOCKET_CONNECTION)

/* ---- reporting ---- */

typedef void (*EmitFunc) (HlWsGuard *self);

typedef struct
{
  HlWsGuard *guard;
  EmitFunc   func;
} Emit;

static gboolean
emit_cb (gpointer data)
{
  Emit *emit = data;

  emit->func (emit->guard);
  return G_SOURCE_REMOVE;
}

static void
emit_free (gpointer data)
{
  Emit *emit = data;

  g_object_unref (emit->guard);
  g_free (emit);
}

/* Signals go out from an idle, never from inside libsoup's read or close. */
static void
emit_later (HlWsGuard *self,
            EmitFunc   func)
{
  GSource *source = g_idle_source_new ();
  Emit *emit = g_new0 (Emit, 1);

  emit->guard = g_object_ref (self);
  emit->func = func;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_cb, emit, emit_free);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static void
emit_violation (HlWsGuard *self)
{
  if (self->violation_emitted)
    return;
  self->violation_emitted = TRUE;
  g_signal_emit (self, signals[VIOLATION], 0, (guint) self->violation, self->violation_message);
}

static void
emit_disconnected (HlWsGuard *self)
{
  g_signal_emit (self, signals[DISCONNECTED], 0);
}

/* A breach found in the frames after the head of an accepted connection
 * waits for the WebSocket that will answer it with a close frame; the
 * listener's deadline ends the connection if none comes. */
static gboolean
report_now (HlWsGuard *self)
{
  return self->claimed || !self->scan.head_done;
}

/* The scanner found a breach: the guard stops the bytes and says so. */
static void
note_breach (HlWsGuard *self)
{
  if (self->violation == 0)
    {
      self->violation = self->scan.breach;
      self->violation_message = g_strdup (self->scan.why);
    }
  if (report_now (self))
    emit_later (self, emit_violation);
}

/* Keeps bytes read but not yet passed for the next read. */
static void
keep_for_later (HlWsGuard    *self,
                const guint8 *data,
                gsize         len,
                gboolean      from_pushback)
{
  if (from_pushback)
    {
      self->pushback_at -= len;
      return;
    }
  self->pushback = g_byte_array_sized_new ((guint) len);
  g_byte_array_append (self->pushback, data, (guint) len);
  self->pushback_at = 0;
}

static gssize
guard_read (HlWsGuard     *self,
            void          *buffer,
            gsize          count,
            gboolean       blocking,
            GCancellable  *cancellable,
            GError       **error)
{
  for (;;)
    {
      gboolean from_pushback = self->pushback != NULL;
      gssize n;
      gsize pass;

      if (from_pushback)
        {
          n = (gssize) MIN (count, self->pushback->len - self->pushback_at);
          memcpy (buffer, self->pushback->data + self->pushback_at, n);
          self->pushback_at += n;
        }
      else
        n = g_pollable_stream_read (self->input->base, buffer, count, blocking, cancellable, error);
      if (n > 0 && self->scan.phase != HL_WS_SCAN_BROKEN)
        {
          pass = hl_ws_scan_feed (&self->scan, buffer, (gsize) n);
          if (self->scan.phase == HL_WS_SCAN_BROKEN)
            note_breach (self);
          else if (pass < (gsize) n)
            keep_for_later (self, (const guint8 *) buffer + pass, (gsize) n - pass, from_pushback);
        }
      else
        pass = 0;
      if (self->pushback != NULL &&
          (self->pushback_at == self->pushback->len || self->scan.phase == HL_WS_SCAN_BROKEN))
        g_clear_pointer (&self->pushback, g_byte_array_unref);
      /* A sender that goes on after our close frame only costs reading:
       * past a little more, the connection ends here. */
      if (n > 0 && self->scan.phase == HL_WS_SCAN_BROKEN &&
          (self->dropped += (guint64) n) > HL_WS_GUARD_DROP_AFTER_CLOSE && self->told_to_go)
        return 0;
      if (n <= 0 || count == 0)
        return n;
      if (pass > 0)
        return (gssize) pass;
      /* Everything read was dropped: read on (and drop) until nothing comes. */
    }
}

/* ---- HlWsGuardInput ---- */

static void hl_ws_guard_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HlWsGuardInput, hl_ws_guard_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      hl_ws_guard_input_pollable_init))

static void
hl_ws_guard_input_finalize (GObject *object)
{
  g_clear_object (&HL_WS_GUARD_INPUT (object)->base);
  G_OBJECT_CLASS (hl_ws_guard_input_parent_class)->finalize (object);
}

static gssize
hl_ws_guard_input_read (GInputStream  *stream,
                        void          *buffer,
                        gsize          count,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return guard_read (HL_WS_GUARD_INPUT (stream)->guard, buffer, count, TRUE, cancellable, error);
}

/* The socket closes with the guard. */
static gboolean
hl_ws_guard_input_close (GInputStream  *stream,
                         GCancellable  *cancellable,
                         GError       **error)
{
  return TRUE;
}

static void
hl_ws_guard_input_class_init (HlWsGuardInputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_ws_guard_input_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = hl_ws_guard_input_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = hl_ws_guard_input_close;
}

static void
hl_ws_guard_input_init (HlWsGuardInput *self)
{
}

static gboolean
hl_ws_guard_input_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
hl_ws_guard_input_is_readable (GPollableInputStream *stream)
{
  HlWsGuardInput *self = HL_WS_GUARD_INPUT (stream);

  return self->guard->pushback != NULL ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static gssize
hl_ws_guard_input_read_nonblocking (GPollableInputStream  *stream,
                                    void                  *buffer,
                                    gsize                  count,
                                    GError               **error)
{
  return guard_read (HL_WS_GUARD_INPUT (stream)->guard, buffer, count, FALSE, NULL, error);
}

static GSource *
hl_ws_guard_input_create_source (GPollableInputStream *stream,
                                 GCancellable         *cancellable)
{
  HlWsGuardInput *self = HL_WS_GUARD_INPUT (stream);
  GSource *child, *source;

  if (self->guard->pushback != NULL)
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), cancellable);
  g_source_set_dummy_callback (child);
  source = g_pollable_source_new (G_OBJECT (stream));
  g_source_add_child_source (source, child);
  g_source_unref (child);
  return source;
}

static void
hl_ws_guard_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = hl_ws_guard_input_can_poll;
  iface->is_readable = hl_ws_guard_input_is_readable;
  iface->read_nonblocking = hl_ws_guard_input_read_nonblocking;
  iface->create_source = hl_ws_guard_input_create_source;
}

/* ---- HlWsGuardOutput ---- */

static void hl_ws_guard_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HlWsGuardOutput, hl_ws_guard_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      hl_ws_guard_output_pollable_init))

static void
hl_ws_guard_output_finalize (GObject *object)
{
  g_clear_object (&HL_WS_GUARD_OUTPUT (object)->base);
  G_OBJECT_CLASS (hl_ws_guard_output_parent_class)->finalize (object);
}

static gssize
count_written (HlWsGuardOutput *self,
               gssize           n)
{
  if (n > 0)
    self->guard->written += (guint64) n;
  return n;
}

static gssize
hl_ws_guard_output_write (GOutputStream  *stream,
                          const void     *buffer,
                          gsize           count,
                          GCancellable   *cancellable,
                          GError        **error)
{
  HlWsGuardOutput *self = HL_WS_GUARD_OUTPUT (stream);

  return count_written (self, g_output_stream_write (self->base, buffer, count, cancellable, error));
}

static gboolean
hl_ws_guard_output_flush (GOutputStream  *stream,
                          GCancellable   *cancellable,
                          GError        **error)
{
  return g_output_stream_flush (HL_WS_GUARD_OUTPUT (stream)->base, cancellable, error);
}

static gboolean
hl_ws_guard_output_close (GOutputStream  *stream,
                          GCancellable   *cancellable,
                          GError        **error)
{
  return TRUE;
}

static void
hl_ws_guard_output_class_init (HlWsGuardOutputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_ws_guard_output_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = hl_ws_guard_output_write;
  G_OUTPUT_STREAM_CLASS (klass)->flush = hl_ws_guard_output_flush;
  G_OUTPUT_STREAM_CLASS (klass)->close_fn = hl_ws_guard_output_close;
}

static void
hl_ws_guard_output_init (HlWsGuardOutput *self)
{
}

static gboolean
hl_ws_guard_output_can_poll (GPollableOutputStream *stream)
{
  return TRUE;
}

static gboolean
hl_ws_guard_output_is_writable (GPollableOutputStream *stream)
{
  HlWsGuardOutput *self = HL_WS_GUARD_OUTPUT (stream);

  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static gssize
hl_ws_guard_output_write_nonblocking (GPollableOutputStream  *stream,
                                      const void             *buffer,
                                      gsize                   count,
                                      GError                **error)
{
  HlWsGuardOutput *self = HL_WS_GUARD_OUTPUT (stream);

  return count_written (self, g_pollable_output_stream_write_nonblocking (
                                G_POLLABLE_OUTPUT_STREAM (self->base), buffer, count, NULL, error));
}

static GSource *
hl_ws_guard_output_create_source (GPollableOutputStream *stream,
                                  GCancellable          *cancellable)
{
  HlWsGuardOutput *self = HL_WS_GUARD_OUTPUT (stream);
  GSource *child = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                           cancellable);
  GSource *source = g_pollable_source_new (G_OBJECT (stream));

  g_source_set_dummy_callback (child);
  g_source_add_child_source (source, child);
  g_source_unref (child);
  return source;
}

static void
hl_ws_guard_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = hl_ws_guard_output_can_poll;
  iface->is_writable = hl_ws_guard_output_is_writable;
  iface->write_nonblocking = hl_ws_guard_output_write_nonblocking;
  iface->create_source = hl_ws_guard_output_create_source;
}

/* ---- HlWsGuard ---- */

static GInputStream *
hl_ws_guard_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (HL_WS_GUARD (stream)->input);
}

static GOutputStream *
hl_ws_guard_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (HL_WS_GUARD (stream)->output);
}

static gboolean
hl_ws_guard_close (GIOStream     *stream,
                   GCancellable  *cancellable,
                   GError       **error)
{
  HlWsGuard *self = HL_WS_GUARD (stream);
  gboolean ok = G_IO_STREAM_CLASS (hl_ws_guard_parent_class)->close_fn (stream, cancellable, error);

  if (!self->disconnected && !self->disposing)
    {
      self->disconnected = TRUE;
      emit_later (self, emit_disconnected);
    }
  return ok;
}

static void
hl_ws_guard_dispose (GObject *object)
{
  HL_WS_GUARD (object)->disposing = TRUE;
  G_OBJECT_CLASS (hl_ws_guard_parent_class)->dispose (object);
}

static void
hl_ws_guard_finalize (GObject *object)
{
  HlWsGuard *self = HL_WS_GUARD (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_pointer (&self->pushback, g_byte_array_unref);
  g_free (self->violation_message);
  hl_ws_scan_clear (&self->scan);
  G_OBJECT_CLASS (hl_ws_guard_parent_class)->finalize (object);
}

static void
hl_ws_guard_class_init (HlWsGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = hl_ws_guard_dispose;
  object_class->finalize = hl_ws_guard_finalize;
  stream_class->get_input_stream = hl_ws_guard_get_input_stream;
  stream_class->get_output_stream = hl_ws_guard_get_output_stream;
  stream_class->close_fn = hl_ws_guard_close;

  signals[VIOLATION] = g_signal_new ("violation", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT,
                                     G_TYPE_STRING);
  signals[DISCONNECTED] = g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hl_ws_guard_init (HlWsGuard *self)
{
}

HlWsGuard *
hl_ws_guard_new (GSocket       *socket,
                 HlWsGuardRole  role)
{
  HlWsGuard *self = g_object_new (HL_TYPE_WS_GUARD, "socket", socket, NULL);
  GIOStreamClass *parent = G_IO_STREAM_CLASS (hl_ws_guard_parent_class);

  self->role = role;
  hl_ws_scan_init (&self->scan, role == HL_WS_GUARD_SERVER);
  /* The socket's own streams, made by GSocketConnection and closed by it. */
  self->input = g_object_new (HL_TYPE_WS_GUARD_INPUT, NULL);
  self->input->base = g_object_ref (parent->get_input_stream (G_IO_STREAM (self)));
  self->input->guard = self;
  self->output = g_object_new (HL_TYPE_WS_GUARD_OUTPUT, NULL);
  self->output->base = g_object_ref (parent->get_output_stream (G_IO_STREAM (self)));
  self->output->guard = self;
  return self;
}

HlWsGuard *
hl_ws_guard_for_connection (SoupWebsocketConnection *conn)
{
  GIOStream *io = soup_websocket_connection_get_io_stream (conn);
  GInputStream *in;

  if (HL_IS_WS_GUARD (io))
    return HL_WS_GUARD (io);
  /* On the server side, libsoup's SoupIOStream reads through a filter. */
  in = g_io_stream_get_input_stream (io);
  while (G_IS_FILTER_INPUT_STREAM (in))
    in = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (in));
  return HL_IS_WS_GUARD_INPUT (in) ? HL_WS_GUARD_INPUT (in)->guard : NULL;
}

void
hl_ws_guard_push_input (HlWsGuard    *self,
                        const guint8 *data,
                        gsize         len)
{
  g_return_if_fail (HL_IS_WS_GUARD (self));
  g_return_if_fail (self->pushback == NULL);

  if (len > 0)
    {
      self->pushback = g_byte_array_sized_new ((guint) len);
      g_byte_array_append (self->pushback, data, (guint) len);
      self->pushback_at = 0;
    }
}

void
hl_ws_guard_set_ready (HlWsGuard *self)
{
  g_return_if_fail (HL_IS_WS_GUARD (self));
  hl_ws_scan_set_ready (&self->scan);
}

gboolean
hl_ws_guard_is_ready (HlWsGuard *self)
{
  return self->scan.ready;
}

void
hl_ws_guard_claim (HlWsGuard *self)
{
  g_return_if_fail (HL_IS_WS_GUARD (self));
  if (self->claimed)
    return;
  self->claimed = TRUE;
  self->written_at_claim = self->written;
  if (self->violation != 0)
    emit_later (self, emit_violation);
}

gboolean
hl_ws_guard_is_claimed (HlWsGuard *self)
{
  return self->claimed;
}

gboolean
hl_ws_guard_head_done (HlWsGuard *self)
{
  return self->scan.head_done;
}

void
hl_ws_guard_closed_by_us (HlWsGuard *self)
{
  self->told_to_go = TRUE;
}

void
hl_ws_guard_report (HlWsGuard  *self,
                    gushort     code,
                    const char *message)
{
  g_return_if_fail (HL_IS_WS_GUARD (self));
  /* The stream itself is fine: input still passes, so that the close
   * handshake the owner starts can finish. */
  if (self->violation == 0)
    {
      self->violation = code;
      self->violation_message = g_strdup (message);
    }
  emit_later (self, emit_violation);
}

void
hl_ws_guard_note_queued (HlWsGuard *self,
                         gsize      payload_len)
{
  /* The header libsoup puts in front (RFC 6455, 5.2), masked if we dialled. */
  guint header = payload_len < 126 ? 2 : payload_len < 65536 ? 4 : 10;

  if (self->role == HL_WS_GUARD_CLIENT)
    header += 4;
  self->queued += payload_len + header;
}

guint64
hl_ws_guard_get_unsent (HlWsGuard *self)
{
  guint64 sent = self->written - self->written_at_claim;
  GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (self));
  int in_kernel = 0;

  /* What the kernel holds that the peer has not acknowledged counts too: a
   * send buffer grows to megabytes before libsoup queues a byte. */
  if (ioctl (g_socket_get_fd (socket), SIOCOUTQ, &in_kernel) != 0 || in_kernel < 0)
    in_kernel = 0;
  /* libsoup's own frames (pongs, the close) are written but never queued here. */
  return (self->queued > sent ? self->queued - sent : 0) + (guint64) in_kernel;
}

