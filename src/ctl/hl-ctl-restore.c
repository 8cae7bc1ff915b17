/* hl-ctl-restore.c: hyperlinkctl archive restore: runs a node here (dialling
 * the stored peers, and the tailnet's), fetches every current segment this
 * device lacks from all reachable holders at once, decodes it and ingests
 * its events. Progress as lines, or --json lines.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "hl-ctl.h"
#include "hl-node.h"
#include "hl-store-archive.h"
#include "hl-sync-lock.h"
#include "hl-json.h"

#define DEFAULT_WAIT_S     20
#define DEFAULT_TIMEOUT_S  3600
#define TAKE_UP_S          10   /* for the running node to notice a request (it looks each second) */

typedef struct
{
  HlCtl     *ctl;
  HlNode    *node;
  GMainLoop *loop;
  gint64     deadline;
  gint64     last_line;
  gboolean   timed_out;
  gint64     start_ms;  /* opening the database and starting the node here */
} Restoring;

static GLogWriterOutput
quiet_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* One JSON object a line, for scripts that read the lines as they come. */
static void
print_line (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_take_object (node, object);
  text = json_to_string (node, FALSE);
  g_print ("%s\n", text);
  fflush (stdout);
}

static void
print_progress (Restoring               *r,
                const HlRestoreProgress *p,
                const char              *state)
{
  if (r->ctl->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "state", state);
      json_object_set_int_member (out, "segments", p->segments);
      json_object_set_int_member (out, "segments_done", p->segments_done);
      json_object_set_int_member (out, "bytes", (gint64) p->bytes);
      json_object_set_int_member (out, "bytes_total", (gint64) p->bytes_total);
      json_object_set_int_member (out, "peers", p->peers);
      json_object_set_int_member (out, "eta_ms", p->eta_ms);
      json_object_set_int_member (out, "symbols_received", (gint64) p->symbols_received);
      json_object_set_int_member (out, "source_symbols", (gint64) p->source_symbols);
      json_object_set_int_member (out, "events", (gint64) p->events);
      json_object_set_int_member (out, "events_new", (gint64) p->events_new);
      json_object_set_int_member (out, "bad_runs", (gint64) p->bad_runs);
      json_object_set_int_member (out, "start_ms", r->start_ms);
      json_object_set_int_member (out, "wait_ms", p->wait_ms);
      json_object_set_int_member (out, "fetch_ms", p->fetch_ms);
      json_object_set_int_member (out, "decode_ms", p->decode_ms);
      json_object_set_int_member (out, "verify_ms", p->verify_ms);
      json_object_set_int_member (out, "apply_ms", p->apply_ms);
      if (p->error != NULL)
        json_object_set_string_member (out, "error", p->error);
      print_line (out);
      return;
    }
  if (strcmp (state, "done") == 0)
    {
      if (p->segments == 0)
        g_print ("Nothing to restore: this device holds every sealed month its peers know of\n");
      else
        g_print ("Restored %u segments (%" G_GUINT64_FORMAT " events, %" G_GUINT64_FORMAT
                 " new here) from %.1f MiB of symbols\n", p->segments_done, p->events,
                 p->events_new, (double) p->bytes / (1024.0 * 1024.0));
      if (p->segments > 0)
        g_print ("  in %" G_GINT64_FORMAT " ms starting a node here, %" G_GINT64_FORMAT
                 " waiting for holders, %" G_GINT64_FORMAT " fetching, %" G_GINT64_FORMAT
                 " decoding, %" G_GINT64_FORMAT " checking signatures, %" G_GINT64_FORMAT
                 " ingesting\n", r->start_ms, p->wait_ms, p->fetch_ms, p->decode_ms,
                 p->verify_ms, p->apply_ms);
      return;
    }
  if (strcmp (state, "failed") == 0)
    return;
  if (p->segments == 0)
    {
      g_print ("Waiting for peers to connect and reconcile…\n");
      return;
    }
  g_print ("%u of %u segments, %.1f of about %.1f MiB, %u %s in use", p->segments_done,
           p->segments, (double) p->bytes / (1024.0 * 1024.0),
           (double) p->bytes_total / (1024.0 * 1024.0), p->peers,
           p->peers == 1 ? "peer" : "peers");
  if (p->eta_ms >= 0)
    g_print (", about %" G_GINT64_FORMAT " s left", (p->eta_ms + 999) / 1000);
  g_print ("\n");
}

static gboolean
poll_cb (gpointer user_data)
{
  Restoring *r = user_data;
  const HlRestoreProgress *p = hl_node_restore_progress (r->node);
  gint64 now = g_get_monotonic_time ();

  if (!p->active)
    {
      g_main_loop_quit (r->loop);
      return G_SOURCE_REMOVE;
    }
  if (now > r->deadline)
    {
      r->timed_out = TRUE;
      g_main_loop_quit (r->loop);
      return G_SOURCE_REMOVE;
    }
  if (now - r->last_line >= G_USEC_PER_SEC)
    {
      r->last_line = now;
      print_progress (r, p, "restoring");
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
closed_cb (gpointer user_data)
{
  Restoring *r = user_data;
  if (!hl_node_connections_closed (r->node) && g_get_monotonic_time () < r->deadline)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (r->loop);
  return G_SOURCE_REMOVE;
}

/* ---- asking the running node ---- */

/* The running node's restore, if it is the one @request asked for. */
static HlRestoreProgress *
read_running_restore (HlCtl  *ctl,
                      gint64  request)
{
  g_autofree char *path = hl_sync_status_path (ctl->data_dir);
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) status = NULL;
  JsonNode *member;
  JsonObject *restore;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      !(status = hl_json_parse_object (text)) ||
      !(member = json_object_get_member (status, "restore")) || !JSON_NODE_HOLDS_OBJECT (member) ||
      !(restore = json_node_get_object (member)) ||
      json_object_get_int_member_with_default (restore, "request", 0) != request)
    return NULL;
  return hl_restore_progress_from_json (restore);
}

/* The segment first: the node takes up the request when its id changes. */
static gboolean
leave_request (HlCtl   *ctl,
               gint64   segment,
               guint    wait_s,
               gint64  *request,
               GError **error)
{
  HlStore *store = hl_ctl_store (ctl, error);

  *request = g_get_real_time () / 1000;
  return store != NULL &&
         hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_RESTORE_WAIT_S, wait_s, error) &&
         hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_RESTORE_SEGMENT, segment,
                                       error) &&
         hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_RESTORE_REQUEST, *request, error);
}

/* A hyperlinkd (or the window) holds the data directory: it is asked to
 * restore, or to load @segment (> 0), through the database
 * (HL_ARCHIVE_SETTING_RESTORE_REQUEST), and followed through its status
 * file's "restore" member. */
static int
restore_by_running_node (HlCtl   *ctl,
                         gint64   holder,
                         gint64   segment,
                         guint    wait_s,
                         guint    timeout_s,
                         GError **error)
{
  Restoring r = { ctl, NULL, NULL, 0, 0, FALSE };
  gint64 request, start = g_get_monotonic_time ();
  g_autoptr(HlRestoreProgress) p = NULL;

  if (!leave_request (ctl, segment, wait_s, &request, error))
    return -1;
  if (!ctl->json)
    g_print ("Asked the running node (pid %" G_GINT64_FORMAT ") to %s\n", holder,
             segment > 0 ? "load the segment" : "restore");
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      g_clear_pointer (&p, hl_restore_progress_free);
      p = read_running_restore (ctl, request);
      if (p != NULL && !p->active)
        break;
      if (p == NULL && now - start > TAKE_UP_S * G_USEC_PER_SEC)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       "The node running here (pid %" G_GINT64_FORMAT ") did not take up the "
                       "restore within %d s: it is older than this hyperlinkctl or runs without "
                       "the archive. Stop it (or quit Hyperlink), then run hyperlinkctl archive "
                       "restore again", holder, TAKE_UP_S);
          return -1;
        }
      if (hl_sync_lock_holder (ctl->data_dir) == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "The node running here stopped before the restore ended; run "
                       "hyperlinkctl archive restore again to go on from there");
          return -1;
        }
      if (now - start > (gint64) timeout_s * G_USEC_PER_SEC)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "The restore did not finish within %u s; the running node goes on with "
                       "it (hyperlinkctl status shows how far it is)", timeout_s);
          return -1;
        }
      if (p != NULL && now - r.last_line >= G_USEC_PER_SEC)
        {
          r.last_line = now;
          print_progress (&r, p, "restoring");
        }
      g_usleep (200 * 1000);
    }
  if (p->cancelled)
    {
      print_progress (&r, p, "failed");
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The restore was cancelled");
      return -1;
    }
  if (p->error != NULL)
    {
      print_progress (&r, p, "failed");
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Restore: %s", p->error);
      return -1;
    }
  print_progress (&r, p, "done");
  return HL_CTL_EXIT_OK;
}

/* ---- a node of its own ---- */

/* A restore, or with @segments a load of those segments only. */
int
hl_ctl_restore_run (HlCtl         *ctl,
                    const gint64  *segments,
                    guint          n_segments,
                    guint          wait_s,
                    guint          timeout_s,
                    GError       **error)
{
  g_autoptr(HlNode) node = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const HlRestoreProgress *p;
  Restoring r = { ctl, NULL, loop, 0, 0, FALSE };
  int lock_fd = hl_sync_lock_acquire (ctl->data_dir, error);
  gint64 holder;
  int rc;

  if (lock_fd < 0)
    {
      /* Safe to ask: this process does not hold the lock. A request
       * names one segment at most. */
      if ((segments == NULL || n_segments == 1) &&
          (holder = hl_sync_lock_holder (ctl->data_dir)) > 0)
        {
          g_clear_error (error);
          return restore_by_running_node (ctl, holder, segments != NULL ? segments[0] : 0,
                                          wait_s, timeout_s, error);
        }
      g_prefix_error (error, "Stop hyperlinkd (or Hyperlink) on this data directory first: ");
      return -1;
    }
  if (g_getenv ("HYPERLINK_VERBOSE") == NULL)
    g_log_set_writer_func (quiet_log, NULL, NULL);
  r.start_ms = g_get_monotonic_time ();
  if (!(node = hl_node_new (ctl->data_dir, error)))
    {
      close (lock_fd);
      return -1;
    }
  if (g_getenv ("HYPERLINK_NO_TAILSCALE") == NULL)
    hl_node_set_tailscale (node, NULL, NULL, 0);
  if (!hl_node_start (node, error))
    {
      close (lock_fd);
      return -1;
    }
  if (hl_node_restore_progress (node) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "The archive is off here (HYPERLINK_ARCHIVE=0)");
      hl_node_stop (node);
      close (lock_fd);
      return -1;
    }
  r.node = node;
  r.start_ms = (g_get_monotonic_time () - r.start_ms) / 1000;
  r.deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  if (segments != NULL)
    hl_node_load_start (node, segments, n_segments, wait_s);
  else
    hl_node_restore_start (node, wait_s);
  g_timeout_add (20, poll_cb, &r);
  g_main_loop_run (loop);
  p = hl_node_restore_progress (node);
  if (r.timed_out)
    {
      print_progress (&r, p, "failed");
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "The restore did not finish within %u s (%u of %u segments); run it again "
                   "to go on from there", timeout_s, p->segments_done, p->segments);
      rc = -1;
    }
  else if (p->error != NULL)
    {
      print_progress (&r, p, "failed");
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Restore: %s", p->error);
      rc = -1;
    }
  else
    {
      print_progress (&r, p, "done");
      rc = HL_CTL_EXIT_OK;
    }
  hl_node_stop (node);
  /* Let the close frames leave: until every connection closed, 300 ms at most. */
  r.deadline = g_get_monotonic_time () + 300 * 1000;
  g_timeout_add (10, closed_cb, &r);
  g_main_loop_run (loop);
  g_clear_object (&node);
  close (lock_fd);
  return rc;
}

int
hl_ctl_cmd_archive_restore (HlCtl  *ctl,
                            int     argc,
                            char  **argv)
{
  g_autoptr(GError) error = NULL;
  int wait_s = DEFAULT_WAIT_S, timeout_s = DEFAULT_TIMEOUT_S;
  GOptionEntry entries[] = {
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait_s,
      "Seconds to wait for peers to connect and reconcile (default 20)", "S" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
      "Seconds the whole restore may take (default 3600)", "S" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (wait_s < 1 || wait_s > 3600)
    return hl_ctl_usage_error (ctl, "--wait wants 1 to 3600 seconds");
  if (timeout_s < 1 || timeout_s > 86400)
    return hl_ctl_usage_error (ctl, "--timeout wants 1 to 86400 seconds");
  if (hl_ctl_restore_run (ctl, NULL, 0, (guint) wait_s, (guint) timeout_s, &error) < 0)
    return hl_ctl_fail (ctl, error);
  return HL_CTL_EXIT_OK;
}
