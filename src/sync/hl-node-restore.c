/* hl-node-restore.c: a restore (docs/protocol.md, "Restore"): once peers
 * have connected and reconciled (which brings the manifests, holders and
 * subnets), every current segment this device has not verified is fetched
 * (hl-node-fetch.c) and decoded; progress and, when it cannot finish, why,
 * in words a person can act on.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hl-node-archive.h"
#include "hl-sync-error.h"

#define RESTORE_TICK_MS  100
/* A load starts as soon as a holder is connected: it looks more often. */
#define LOAD_TICK_MS     20
#define SETTLE_US        (8 * G_USEC_PER_SEC)

/* Every ready archive-1 peer finished a reconciliation and nothing waits to
 * be applied: the manifests it had are here. */
static gboolean
reconciled (HlNode *self,
            guint  *n_ready)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  gboolean all = TRUE;

  *n_ready = 0;
  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      if (!hl_peer_is_ready (peer) || !hl_peer_speaks_archive (peer))
        continue;
      (*n_ready)++;
      all &= peer->recon_done_once && !peer->recon_mine && !peer->recon_theirs &&
             g_queue_is_empty (peer->queue) && g_hash_table_size (peer->wants) == 0 &&
             peer->ev_recv == peer->ev_done;
    }
  return all && self->apply_events->len == 0;
}

/* Takes up the current segments not verified here; how many are new. */
static guint
take_segments (HlNode *self)
{
  HlNodeArchive *na = self->archive;
  g_autoptr(GPtrArray) rows = hl_store_archive_list_segments (self->store, NULL, 0, NULL);
  guint added = 0;

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      HlSegmentRow *row = g_ptr_array_index (rows, i);
      HlSegFetch *f = g_hash_table_lookup (na->segments, &row->rowid);

      if (row->state != HL_SEGMENT_CURRENT ||
          (row->verified_ms != 0 && !hl_node_segment_dropped (self, row)) ||
          (na->restore_only != NULL && !g_hash_table_contains (na->restore_only, &row->rowid)) ||
          !hl_archive_segment_readable (na->archive, &row->manifest))
        continue;
      if (f != NULL && f->restore)
        continue;
      /* A share fetch becomes a restore. */
      g_hash_table_remove (na->segments, &row->rowid);
      g_ptr_array_index (rows, i) = NULL;
      f = hl_seg_fetch_new_restore (self, row);
      g_hash_table_insert (na->segments, &f->row->rowid, f);
      na->restore.segments++;
      for (guint b = 0; b < f->n_blocks; b++)
        na->restore.bytes_total += (guint64) f->target[b] * HL_ARCHIVE_SYMBOL_SIZE;
      added++;
      hl_node_fetch_queue_if_whole (self, f);
    }
  return added;
}

static char *
month_name (HlNode             *self,
            const HlSegmentRow *row)
{
  g_autoptr(HlSubnetRow) subnet = hl_store_get_subnet (self->store, row->manifest.subnet, NULL);
  g_autofree char *hex = hl_hex_dup (row->manifest.subnet, 6);

  if (subnet != NULL)
    /* TRANSLATORS: a month of a subnet's history: "2026-03 of #linux" */
    return g_strdup_printf (_("%04u-%02u of #%s"), row->manifest.year, row->manifest.month,
                            subnet->name);
  return g_strdup_printf (_("%04u-%02u of subnet %s"), row->manifest.year, row->manifest.month, hex);
}

static char *
device_name (HlNode       *self,
             const guint8 *key)
{
  g_autoptr(HlProfileRow) profile = hl_store_get_profile (self->store, key, NULL);
  g_autofree char *hex = hl_hex_dup (key, 8);

  if (profile != NULL && profile->name != NULL && *profile->name != '\0')
    return g_strdup_printf ("%s (%s…)", profile->name, hex);
  return g_strdup_printf ("%s…", hex);
}

static gboolean
connected_to (HlNode       *self,
              const guint8 *key)
{
  g_autofree char *hex = hl_hex_dup (key, HL_KEY_LEN);
  HlPeer *peer = hl_node_peer_by_key (self, hex);

  return peer != NULL && hl_peer_speaks_archive (peer);
}

/* "not enough symbols reachable: 5 of 12 needed for 2026-03 of #linux;
 * these devices hold the rest: alice (0a1b…), …" */
static char *
explain_stuck (HlNode     *self,
               HlSegFetch *f,
               guint       n_stuck)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GArray) holders = NULL;
  g_autofree char *month = month_name (self, f->row);
  guint32 have = 0, need = 0;
  guint named = 0;

  if (!hl_seg_fetch_short_of_symbols (f))
    return g_strdup_printf (_("cannot restore %s: %s"), month, f->stuck);
  for (guint b = 0; b < f->n_blocks; b++)
    {
      have += f->stored[b];
      need += f->target[b];
    }
  g_string_printf (s, _("not enough symbols reachable: %u of %u needed for %s"), have, need, month);
  if (n_stuck > 1)
    g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, " (and %u more segment)",
                                                " (and %u more segments)", n_stuck - 1),
                              n_stuck - 1);
  holders = hl_store_archive_list_holders (self->store, 0, NULL);
  for (guint i = 0; holders != NULL && i < holders->len; i++)
    {
      const HlArchiveHolder *h = &g_array_index (holders, HlArchiveHolder, i);
      HlEsiRange r;
      g_autofree char *name = NULL;

      if (connected_to (self, h->key) || f->placement == NULL ||
          !hl_placement_range (f->placement, h->key, 0, &r) ||
          memcmp (h->key, hl_identity_get_public_key (self->identity), HL_KEY_LEN) == 0)
        continue;
      name = device_name (self, h->key);
      g_string_append (s, named++ == 0 ? _("; these devices hold the rest: ") : ", ");
      g_string_append (s, name);
    }
  if (named == 0)
    g_string_append (s, _("; no device known holds the rest"));
  else
    g_string_append (s, _(" (start them, or add them with hyperlinkctl peer add)"));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
update_progress (HlNode *self,
                 gint64  now)
{
  HlNodeArchive *na = self->archive;
  HlRestoreProgress *p = &na->restore;
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  double elapsed = (double) (now - na->restore_started) / G_USEC_PER_SEC;

  p->peers = 0;
  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      p->peers += peer->archive != NULL && !g_queue_is_empty (peer->archive->wants);
    }
  if (p->bytes > 0 && elapsed > 0.2 && p->bytes_total > p->bytes)
    p->eta_ms = (gint64) (1000.0 * (double) (p->bytes_total - p->bytes) /
                          ((double) p->bytes / elapsed));
  else
    p->eta_ms = p->bytes_total > 0 && p->bytes >= p->bytes_total ? 0 : -1;
}

static void
finish (HlNode     *self,
        int         code,
        char       *error)
{
  HlNodeArchive *na = self->archive;

  na->restore.active = FALSE;
  na->restore.finished = error == NULL;
  na->restore.error = error;
  na->restore.error_code = code;
  na->restore.eta_ms = 0;
  /* Upkeep (hl-node-archive.c) pauses while a restore runs only. */
  na->restore_started = 0;
}


/* All done, or all that is left stuck for a while with nothing asked. */
static void
check_end (HlNode *self,
           gint64  now)
{
  HlNodeArchive *na = self->archive;
  GHashTableIter iter;
  gpointer value;
  HlSegFetch *first_stuck = NULL;
  guint n_stuck = 0;
  gboolean busy = FALSE;

  g_hash_table_iter_init (&iter, na->segments);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      HlSegFetch *f = value;

      if (!f->restore || (f->done && f->stuck == NULL))
        continue;
      if (f->queued)
        busy = TRUE;
      for (guint b = 0; b < f->n_blocks; b++)
        busy |= f->inflight[b] > 0;
      if (f->stuck != NULL)
        {
          n_stuck++;
          if (first_stuck == NULL || f->row->rowid < first_stuck->row->rowid)
            first_stuck = f;
        }
      else
        busy = TRUE;
    }
  if (!busy && n_stuck == 0)
    {
      /* Reconciliation may have brought more meanwhile. */
      if (take_segments (self) == 0)
        finish (self, 0, NULL);
      return;
    }
  if (!busy && now - na->restore_progress_at > SETTLE_US)
    finish (self, hl_seg_fetch_short_of_symbols (first_stuck) ? HL_SYNC_ERROR_RESTORE_INCOMPLETE :
                  HL_SYNC_ERROR_FAILED, explain_stuck (self, first_stuck, n_stuck));
}

static gboolean
restore_cb (gpointer user_data)
{
  HlNode *self = user_data;
  HlNodeArchive *na = self->archive;
  gint64 now = g_get_monotonic_time ();
  guint n_ready;

  if (!na->restore.active)
    {
      na->restore_source = 0;
      return G_SOURCE_REMOVE;
    }
  if (na->restore_wait_until != 0)
    {
      /* A load's segments are known here already: fetching starts as soon
       * as one holder is connected, from the others as they connect. */
      gboolean all = reconciled (self, &n_ready);
      gboolean known = na->restore_only != NULL && n_ready > 0 && take_segments (self) > 0;

      if (!known && !(all && n_ready > 0) && now < na->restore_wait_until)
        return G_SOURCE_CONTINUE;
      na->restore_wait_until = 0;
      na->restore_progress_at = na->restore_fetch_from = now;
      na->restore.wait_ms = (now - na->restore_started) / 1000;
      if (take_segments (self) == 0 && n_ready == 0)
        {
          /* Nothing known to restore, and nobody to ask what there is. */
          na->restore_source = 0;
          finish (self, HL_SYNC_ERROR_RESTORE_NO_PEER, g_strdup (_("no peer reachable to restore from: add one with "
                                  "hyperlinkctl peer add ws://HOST:PORT, or run Tailscale "
                                  "so that the tailnet's devices are found")));
          return G_SOURCE_REMOVE;
        }
    }
  hl_node_fetch_pump (self);
  update_progress (self, now);
  check_end (self, now);
  if (na->restore.active)
    return G_SOURCE_CONTINUE;
  na->restore_source = 0;
  return G_SOURCE_REMOVE;
}

void
hl_node_load_start (HlNode       *self,
                    const gint64 *segments,
                    guint         n_segments,
                    guint         wait_s)
{
  HlNodeArchive *na = self->archive;

  /* A restore running already brings every dropped segment back too. */
  if (na == NULL || na->restore.active)
    return;
  hl_node_restore_start (self, wait_s);
  hl_sync_source_clear (&na->restore_source);
  na->restore_source = hl_sync_timeout_add (LOAD_TICK_MS, restore_cb, self);
  na->restore_only = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < n_segments; i++)
    g_hash_table_add (na->restore_only, g_memdup2 (&segments[i], sizeof (gint64)));
}

/* The symbols stored so far stay: a later restore asks only for the rest.
 * Answers still on their way find no fetch and are dropped. */
static void
drop_restore_fetches (HlNodeArchive *na)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, na->segments);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((HlSegFetch *) value)->restore)
      g_hash_table_iter_remove (&iter);
}

void
hl_node_restore_start (HlNode *self,
                       guint   wait_s)
{
  HlNodeArchive *na = self->archive;

  if (na == NULL || na->restore.active)
    return;
  /* An earlier restore's fetches are over, decoded or stuck: a month
   * loaded then dropped again is loaded again, one stuck is tried again
   * (take_segments() skips a segment that has a restore fetch). */
  drop_restore_fetches (na);
  g_clear_pointer (&na->restore_only, g_hash_table_unref);
  g_clear_pointer (&na->restore.error, g_free);
  memset (&na->restore, 0, sizeof na->restore);
  na->restore.active = TRUE;
  na->restore.eta_ms = -1;
  na->restore_started = na->restore_progress_at = g_get_monotonic_time ();
  na->restore_wait_until = na->restore_started + (gint64) MAX (wait_s, 1) * G_USEC_PER_SEC;
  hl_sync_source_clear (&na->restore_source);
  na->restore_source = hl_sync_timeout_add (RESTORE_TICK_MS, restore_cb, self);
}

gboolean
hl_node_connections_closed (HlNode *self)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);

  for (guint i = 0; i < peers->len; i++)
    if (((HlPeer *) g_ptr_array_index (peers, i))->state != HL_PEER_CLOSED)
      return FALSE;
  return TRUE;
}

const HlRestoreProgress *
hl_node_restore_progress (HlNode *self)
{
  return self->archive ? &self->archive->restore : NULL;
}

void
hl_node_restore_cancel (HlNode *self)
{
  HlNodeArchive *na = self->archive;

  if (na == NULL || !na->restore.active)
    return;
  hl_sync_source_clear (&na->restore_source);
  drop_restore_fetches (na);
  if (na->decode_queue != NULL)
    g_array_set_size (na->decode_queue, 0);
  finish (self, 0, NULL);
  na->restore.finished = FALSE;
  na->restore.cancelled = TRUE;
}

/* A request written while this node was starting (the window's Load
 * pressed before its node is ready) is for this run; an older one was for
 * another. */
#define REQUEST_GRACE_MS 60000

/* A restore another process asked for (HL_ARCHIVE_SETTING_RESTORE_REQUEST),
 * written after this node started, or just before. */
void
hl_node_restore_check_request (HlNode *self)
{
  HlNodeArchive *na = self->archive;
  gint64 request, wait_s, segment;

  if (na == NULL)
    return;
  request = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_RESTORE_REQUEST, NULL);
  if (request <= 0 || request == na->restore.request || request == na->request_seen ||
      request < self->started_ms - REQUEST_GRACE_MS)
    return;
  na->request_seen = request;
  if (!na->restore.active)
    {
      wait_s = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_RESTORE_WAIT_S, NULL);
      segment = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_RESTORE_SEGMENT,
                                              NULL);
      if (segment > 0)
        {
          g_message ("Loading archived segment %" G_GINT64_FORMAT ", as another program asked",
                     segment);
          hl_node_load_start (self, &segment, 1, (guint) CLAMP (wait_s, 1, 3600));
        }
      else
        {
          g_message ("Restoring history, as another program asked");
          hl_node_restore_start (self, (guint) CLAMP (wait_s, 1, 3600));
        }
    }
  na->restore.request = request;
  hl_node_write_status (self, FALSE);
}

static const char *
progress_state (const HlRestoreProgress *p)
{
  if (p->active)
    return "restoring";
  if (p->cancelled)
    return "cancelled";
  return p->error != NULL ? "failed" : "done";
}

void
hl_node_restore_add_status (HlNode      *self,
                            JsonBuilder *b)
{
  HlNodeArchive *na = self->archive;

  /* Only once a restore ran in this node. */
  if (na == NULL || (!na->restore.active && !na->restore.finished && !na->restore.cancelled &&
                     na->restore.error == NULL))
    return;
  json_builder_set_member_name (b, "restore");
  hl_restore_progress_to_json (&na->restore, b);
}

static void
add_member (JsonBuilder *b,
            const char  *name,
            gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
hl_restore_progress_to_json (const HlRestoreProgress *p,
                             JsonBuilder             *b)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, progress_state (p));
  add_member (b, "request", p->request);
  add_member (b, "segments", p->segments);
  add_member (b, "segments_done", p->segments_done);
  add_member (b, "bytes", (gint64) p->bytes);
  add_member (b, "bytes_total", (gint64) p->bytes_total);
  add_member (b, "peers", p->peers);
  add_member (b, "eta_ms", p->eta_ms);
  add_member (b, "symbols_received", (gint64) p->symbols_received);
  add_member (b, "source_symbols", (gint64) p->source_symbols);
  add_member (b, "events", (gint64) p->events);
  add_member (b, "events_new", (gint64) p->events_new);
  add_member (b, "bad_runs", (gint64) p->bad_runs);
  add_member (b, "wait_ms", p->wait_ms);
  add_member (b, "fetch_ms", p->fetch_ms);
  add_member (b, "decode_ms", p->decode_ms);
  add_member (b, "verify_ms", p->verify_ms);
  add_member (b, "apply_ms", p->apply_ms);
  if (p->error != NULL)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, p->error);
      add_member (b, "error_code", p->error_code);
    }
  json_builder_end_object (b);
}

HlRestoreProgress *
hl_restore_progress_from_json (JsonObject *obj)
{
  HlRestoreProgress *p = g_new0 (HlRestoreProgress, 1);
  const char *state = json_object_get_string_member_with_default (obj, "state", "failed");

#define GET(name) json_object_get_int_member_with_default (obj, #name, 0)
  p->active = g_strcmp0 (state, "restoring") == 0;
  p->finished = g_strcmp0 (state, "done") == 0;
  p->cancelled = g_strcmp0 (state, "cancelled") == 0;
  p->request = GET (request);
  p->segments = (guint) GET (segments);
  p->segments_done = (guint) GET (segments_done);
  p->bytes = (guint64) GET (bytes);
  p->bytes_total = (guint64) GET (bytes_total);
  p->peers = (guint) GET (peers);
  p->eta_ms = json_object_get_int_member_with_default (obj, "eta_ms", -1);
  p->symbols_received = (guint64) GET (symbols_received);
  p->source_symbols = (guint64) GET (source_symbols);
  p->events = (guint64) GET (events);
  p->events_new = (guint64) GET (events_new);
  p->bad_runs = (guint64) GET (bad_runs);
  p->wait_ms = GET (wait_ms);
  p->fetch_ms = GET (fetch_ms);
  p->decode_ms = GET (decode_ms);
  p->verify_ms = GET (verify_ms);
  p->apply_ms = GET (apply_ms);
  p->error_code = (int) GET (error_code);
#undef GET
  p->error = g_strdup (json_object_get_string_member_with_default (obj, "error", NULL));
  if (g_strcmp0 (state, "failed") == 0 && p->error == NULL)
    p->error = g_strdup (_("the restore failed"));
  return p;
}

HlRestoreProgress *
hl_restore_progress_copy (const HlRestoreProgress *p)
{
  HlRestoreProgress *copy = g_memdup2 (p, sizeof *p);

  copy->error = g_strdup (p->error);
  return copy;
}

void
hl_restore_progress_free (HlRestoreProgress *p)
{
  if (p == NULL)
    return;
  g_free (p->error);
  g_free (p);
}
