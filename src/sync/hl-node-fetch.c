/* hl-node-fetch.c: what a node asks its peers for of the archive
 * (docs/protocol.md, "Restore" and "Repair"): enough symbols of every
 * current segment it lacks to decode it (a restore), or the symbols of its
 * own share that it cannot make itself; and, to serve repairs, runs built
 * from its own events.
 *
 * Holders are asked nearest first (direct before relayed, then the fastest
 * to answer), each for the ESIs placement says it keeps, many at once; a
 * segment is decoded as soon as it holds K symbols of every block, and its
 * events go through the normal ingest path (hl_archive_decode_many).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hl-node-archive.h"

#define DECODE_BATCH      64
#define DECODE_EXTRA      4                     /* more symbols after a failed decode */
/* The two reasons a fetch waits for holders, not for a fix (msgids). */
#define SHORT_OF_SYMBOLS  N_("not enough symbols reachable")
#define NO_HOLDER         N_("no holder reachable")

gboolean
hl_seg_fetch_short_of_symbols (const HlSegFetch *f)
{
  return g_strcmp0 (f->stuck, _(SHORT_OF_SYMBOLS)) == 0 || g_strcmp0 (f->stuck, _(NO_HOLDER)) == 0;
}

void
hl_seg_fetch_free (HlSegFetch *f)
{
  for (guint b = 0; b < f->n_blocks; b++)
    g_free (f->bits[b]);
  g_free (f->bits);
  g_free (f->target);
  g_free (f->stored);
  g_free (f->inflight);
  g_free (f->win_first);
  g_free (f->win_count);
  g_free (f->stuck);
  g_clear_pointer (&f->placement, hl_placement_free);
  hl_segment_row_free (f->row);
  g_free (f);
}

static gboolean
bit_get (const guint8 *bits,
         guint32       i)
{
  return (bits[i / 8] >> (i % 8)) & 1;
}

static void
bit_set (guint8   *bits,
         guint32   i,
         gboolean  on)
{
  if (on)
    bits[i / 8] |= (guint8) (1u << (i % 8));
  else
    bits[i / 8] &= (guint8) ~(1u << (i % 8));
}

/* ---- what to fetch ---- */

/* The holders placement spreads the segment over, this device left out: it
 * holds nothing yet, and the others keep what they were placed. */
static HlPlacement *
place_without_self (HlNode             *self,
                    const HlSegmentRow *row,
                    gboolean            with_self)
{
  gint64 grace = hl_store_archive_get_setting (self->store, HL_ARCHIVE_SETTING_GRACE, NULL);
  g_autoptr(GArray) holders = hl_store_archive_list_holders (self->store, hl_now_ms () - grace, NULL);
  g_autoptr(GByteArray) keys = g_byte_array_new ();
  const guint8 *mine = hl_identity_get_public_key (self->identity);
  gint lose = HL_ARCHIVE_LOSE_HALF;
  gboolean set;

  if (holders == NULL)
    return NULL;
  for (guint i = 0; i < holders->len; i++)
    {
      const HlArchiveHolder *h = &g_array_index (holders, HlArchiveHolder, i);

      if (with_self || memcmp (h->key, mine, HL_KEY_LEN) != 0)
        g_byte_array_append (keys, h->key, HL_KEY_LEN);
    }
  hl_store_archive_get_policy (self->store, row->manifest.subnet, &lose, &set, NULL);
  return hl_placement_new (&row->manifest, keys->data, keys->len / HL_KEY_LEN, lose);
}

typedef struct
{
  HlSegFetch *f;
  guint       sbn;
} Marking;

static gboolean
mark_stored (guint         sbn,
             guint32       esi,
             const guint8 *leaf,
             const guint8 *data,
             gpointer      user_data)
{
  Marking *m = user_data;
  HlSegFetch *f = m->f;

  if (esi >= f->win_first[sbn] && esi < f->win_first[sbn] + f->win_count[sbn] &&
      !bit_get (f->bits[sbn], esi - f->win_first[sbn]))
    {
      bit_set (f->bits[sbn], esi - f->win_first[sbn], TRUE);
      f->stored[sbn]++;
    }
  return TRUE;
}

/* A fetch of @row: every committed ESI may be asked for, K of them needed
 * (@restore), or exactly this device's share. NULL when there is nothing to
 * fetch. */
static HlSegFetch *
seg_fetch_new (HlNode       *self,
               HlSegmentRow *row,
               gboolean      restore)
{
  HlSegFetch *f = g_new0 (HlSegFetch, 1);
  g_autoptr(HlPlacement) mine = NULL;
  const guint8 *key = hl_identity_get_public_key (self->identity);
  gboolean wanted = FALSE;

  f->row = row;
  f->restore = restore;
  f->n_blocks = row->manifest.n_roots;
  f->placement = place_without_self (self, row, !restore);
  f->target = g_new0 (guint32, f->n_blocks);
  f->stored = g_new0 (guint32, f->n_blocks);
  f->inflight = g_new0 (guint32, f->n_blocks);
  f->win_first = g_new0 (guint32, f->n_blocks);
  f->win_count = g_new0 (guint32, f->n_blocks);
  f->bits = g_new0 (guint8 *, f->n_blocks);
  for (guint b = 0; b < f->n_blocks; b++)
    {
      guint32 committed = hl_archive_committed (&row->manifest, b);
      HlEsiRange own = { b, 0, 0 };

      if (restore)
        {
          f->win_count[b] = committed;
          f->target[b] = committed / HL_ARCHIVE_COMMIT_FACTOR;
        }
      else if (f->placement != NULL && hl_placement_range (f->placement, key, b, &own))
        {
          f->win_first[b] = own.first;
          f->win_count[b] = f->target[b] = own.count;
        }
      f->bits[b] = g_malloc0 (f->win_count[b] / 8 + 1);
      if (f->win_count[b] > 0)
        {
          Marking m = { f, b };

          hl_store_archive_foreach_symbol (self->store, row->rowid, (gint) b, f->win_first[b],
                                           f->win_count[b], mark_stored, &m, NULL);
        }
      wanted |= f->stored[b] < f->target[b];
    }
  if (!wanted && !restore)
    {
      hl_seg_fetch_free (f);
      return NULL;
    }
  return f;
}

HlSegFetch *
hl_seg_fetch_new_restore (HlNode       *self,
                          HlSegmentRow *row)
{
  return seg_fetch_new (self, row, TRUE);
}

/* ---- whom to ask ---- */

static guint
path_class (HlNode *self,
            HlPeer *peer)
{
  HlTarget *target = hl_node_target_for_peer (self, peer);

  if (target != NULL && g_strcmp0 (target->path, "relayed") == 0)
    return 2;
  if ((target != NULL && g_strcmp0 (target->path, "direct") == 0) ||
      hl_sync_host_is_loopback (peer->remote_host))
    return 0;
  return 1;
}

typedef struct
{
  HlPeer *peer;
  guint   cls;
  double  rtt;
} Ranked;

static gint
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->cls != y->cls)
    return x->cls < y->cls ? -1 : 1;
  if (x->rtt != y->rtt)
    return x->rtt < y->rtt ? -1 : 1;
  return x->peer->id < y->peer->id ? -1 : x->peer->id > y->peer->id;
}

/* Ready peers that speak archive-1: direct before relayed, then by how
 * fast they answered (not measured yet: first). */
static GArray *
rank_peers (HlNode *self)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);
  GArray *ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));

  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);
      Ranked r;

      if (!hl_peer_is_ready (peer) || !hl_peer_speaks_archive (peer))
        continue;
      r.peer = peer;
      r.cls = path_class (self, peer);
      r.rtt = hl_peer_archive (peer)->rtt_us;
      g_array_append_val (ranked, r);
    }
  g_array_sort (ranked, compare_ranked);
  return ranked;
}

static gboolean
peer_full (HlPeer *peer)
{
  return g_queue_get_length (hl_peer_archive (peer)->wants) >= HL_ARCHIVE_MAX_WANTS;
}

/* The first run of ESIs not yet stored or asked in [@lo, @hi) of the
 * window, at most @max long. */
static gboolean
free_run (HlSegFetch *f,
          guint       b,
          guint32     lo,
          guint32     hi,
          guint32     max,
          guint32    *first,
          guint32    *count)
{
  guint32 i = lo;

  while (i < hi && bit_get (f->bits[b], i))
    i++;
  if (i >= hi)
    return FALSE;
  *first = i;
  while (i < hi && !bit_get (f->bits[b], i) && i - *first < max)
    i++;
  *count = i - *first;
  return TRUE;
}

static gboolean
ask (HlPeer     *peer,
     HlSegFetch *f,
     guint       b,
     guint32     lo,
     guint32     hi,
     guint32     need)
{
  guint32 first, count;

  if (!free_run (f, b, lo, hi, MIN (need, HL_ARCHIVE_MAX_RUN), &first, &count) ||
      !hl_peer_archive_want (peer, f->row, b, f->win_first[b] + first, count))
    return FALSE;
  for (guint32 i = first; i < first + count; i++)
    bit_set (f->bits[b], i, TRUE);
  f->inflight[b] += count;
  return TRUE;
}

/* The window's part that @peer keeps, by placement. */
static gboolean
peer_window (HlSegFetch *f,
             HlPeer     *peer,
             guint       b,
             guint32    *lo,
             guint32    *hi)
{
  HlEsiRange r;
  guint32 a, z;

  if (f->placement == NULL || !hl_placement_range (f->placement, peer->their_key, b, &r))
    return FALSE;
  a = MAX (r.first, f->win_first[b]);
  z = MIN (r.first + r.count, f->win_first[b] + f->win_count[b]);
  if (a >= z)
    return FALSE;
  *lo = a - f->win_first[b];
  *hi = z - f->win_first[b];
  return TRUE;
}

static gint32
need_of (HlSegFetch *f,
         guint       b)
{
  return (gint32) f->target[b] - (gint32) f->stored[b] - (gint32) f->inflight[b];
}

/* Asks, one run per peer and round, until the block's need is covered:
 * first each holder for what placement says it keeps, then, when no holder
 * has more to give, anyone for anything of the window (it may have it
 * cached, or build it from its events). */
static void
plan_block (HlSegFetch *f,
            guint       b,
            GArray     *ranked)
{
  gboolean progress = TRUE;

  while (need_of (f, b) > 0 && progress)
    {
      progress = FALSE;
      for (guint i = 0; i < ranked->len && need_of (f, b) > 0; i++)
        {
          HlPeer *peer = g_array_index (ranked, Ranked, i).peer;
          guint32 lo, hi;

          if (peer_full (peer) || !hl_peer_archive_may_have (peer, f->row->rowid) ||
              !peer_window (f, peer, b, &lo, &hi))
            continue;
          progress |= ask (peer, f, b, lo, hi, (guint32) need_of (f, b));
        }
    }
  if (need_of (f, b) <= 0 || f->inflight[b] > 0)
    return;
  for (guint i = 0; i < ranked->len && need_of (f, b) > 0; i++)
    {
      HlPeer *peer = g_array_index (ranked, Ranked, i).peer;

      if (!peer_full (peer) && hl_peer_archive_may_have (peer, f->row->rowid))
        ask (peer, f, b, 0, f->win_count[b], (guint32) need_of (f, b));
    }
}

static void
plan (HlSegFetch *f,
      GArray     *ranked)
{
  gboolean stuck = FALSE;

  if (f->done || f->queued)
    return;
  for (guint b = 0; b < f->n_blocks; b++)
    {
      plan_block (f, b, ranked);
      stuck |= need_of (f, b) > 0 && f->inflight[b] == 0;
    }
  if (stuck && f->stuck == NULL)
    f->stuck = g_strdup (_(SHORT_OF_SYMBOLS));
  else if (!stuck)
    g_clear_pointer (&f->stuck, g_free);
}

static gint
compare_fetch (gconstpointer a,
               gconstpointer b)
{
  const HlSegFetch *x = *(HlSegFetch **) a, *y = *(HlSegFetch **) b;

  return x->row->rowid < y->row->rowid ? -1 : x->row->rowid > y->row->rowid;
}

void
hl_node_fetch_pump (HlNode *self)
{
  HlNodeArchive *na = self->archive;
  g_autoptr(GArray) ranked = NULL;
  g_autoptr(GPtrArray) fetches = NULL;
  GHashTableIter iter;
  gpointer value;
  gboolean room = FALSE;

  if (na == NULL || g_hash_table_size (na->segments) == 0)
    return;
  ranked = rank_peers (self);
  for (guint i = 0; i < ranked->len; i++)
    room |= !peer_full (g_array_index (ranked, Ranked, i).peer);
  fetches = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, na->segments);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (fetches, value);
  /* Oldest first, so that a restore cut short has whole months. */
  g_ptr_array_sort (fetches, compare_fetch);
  for (guint i = 0; i < fetches->len; i++)
    {
      HlSegFetch *f = g_ptr_array_index (fetches, i);

      if (ranked->len == 0 && !f->done && !f->queued && f->stuck == NULL)
        f->stuck = g_strdup (_(NO_HOLDER));
      if (room)
        plan (f, ranked);
    }
}

/* ---- answers ---- */

static void
clear_asked (HlSegFetch *f,
             guint       b,
             guint32     first,
             guint32     count)
{
  for (guint32 esi = first; esi < first + count; esi++)
    if (esi >= f->win_first[b] && esi - f->win_first[b] < f->win_count[b])
      bit_set (f->bits[b], esi - f->win_first[b], FALSE);
}

static gboolean decode_cb (gpointer user_data);

void
hl_node_fetch_queue_if_whole (HlNode     *self,
                              HlSegFetch *f)
{
  HlNodeArchive *na = self->archive;

  for (guint b = 0; b < f->n_blocks; b++)
    if (f->stored[b] < f->target[b])
      return;
  if (!f->restore)
    {
      /* The share is whole. */
      g_hash_table_remove (na->segments, &f->row->rowid);
      return;
    }
  if (f->queued || f->done)
    return;
  f->queued = TRUE;
  if (na->restore_started != 0 && na->restore_fetch_from != 0)
    na->restore.fetch_ms = (g_get_monotonic_time () - na->restore_fetch_from) / 1000;
  if (na->decode_queue == NULL)
    na->decode_queue = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (na->decode_queue, f->row->rowid);
  if (na->decode_source == 0)
    na->decode_source = hl_sync_idle_add (G_PRIORITY_DEFAULT_IDLE, decode_cb, self);
}

void
hl_node_fetch_done (HlNode        *self,
                    HlPeer        *peer,
                    HlArchiveWant *want,
                    guint32        count,
                    guint          stored,
                    gint64         delay_us)
{
  HlNodeArchive *na = self->archive;
  HlSegFetch *f = g_hash_table_lookup (na->segments, &want->segment);
  HlPeerArchive *pa = hl_peer_archive (peer);

  pa->rtt_us = pa->rtt_us == 0 ? (double) delay_us : 0.8 * pa->rtt_us + 0.2 * (double) delay_us;
  if (f == NULL || want->sbn >= f->n_blocks)
    return;
  f->inflight[want->sbn] -= MIN (f->inflight[want->sbn], want->count);
  /* A shorter answer: the rest is asked again. */
  clear_asked (f, want->sbn, want->first + count, want->count - count);
  f->received += count;
  if (f->restore)
    {
      na->restore.bytes += (guint64) count * HL_ARCHIVE_SYMBOL_SIZE;
      na->restore.symbols_received += count;
      na->restore_progress_at = g_get_monotonic_time ();
    }
  if (stored < count && f->restore)
    {
      /* Only the quota keeps symbols beyond this device's share. */
      g_free (f->stuck);
      f->stuck = g_strdup (_("this device's archive quota is full: raise it with "
                             "hyperlinkctl config set archive-quota-mb N"));
    }
  f->stored[want->sbn] += stored;
  hl_node_fetch_queue_if_whole (self, f);
  hl_node_fetch_pump (self);
}

void
hl_node_fetch_failed (HlNode        *self,
                      HlPeer        *peer,
                      HlArchiveWant *want,
                      gboolean       lacks)
{
  HlNodeArchive *na = self->archive;
  HlSegFetch *f = na ? g_hash_table_lookup (na->segments, &want->segment) : NULL;

  if (lacks)
    hl_peer_archive_lacks (peer, want->segment);
  if (f == NULL || want->sbn >= f->n_blocks)
    return;
  f->inflight[want->sbn] -= MIN (f->inflight[want->sbn], want->count);
  clear_asked (f, want->sbn, want->first, want->count);
  /* Not from inside the connection's close. */
  if (!self->stopping && peer->state != HL_PEER_CLOSED)
    hl_node_fetch_pump (self);
}

/* ---- decoding ---- */

static void
decoded (HlNode                     *self,
         HlSegFetch                 *f,
         const HlArchiveDecodeStats *stats)
{
  HlNodeArchive *na = self->archive;

  f->done = TRUE;
  f->queued = FALSE;
  na->restore.segments_done++;
  na->restore_progress_at = g_get_monotonic_time ();
  if (stats != NULL)
    {
      na->restore.source_symbols += stats->source_symbols;
      na->restore.events += stats->events;
      na->restore.events_new += stats->accepted;
      na->restore.decode_ms += stats->decode_us / 1000;
      na->restore.verify_ms += stats->verify_us / 1000;
      na->restore.apply_ms += stats->apply_us / 1000;
    }
}

static void
decode_one (HlNode     *self,
            HlSegFetch *f)
{
  g_autoptr(GError) error = NULL;
  HlArchiveDecodeStats stats = { 0 };

  if (hl_archive_decode (self->archive->archive, f->row->rowid, &stats, &error))
    {
      decoded (self, f, &stats);
      return;
    }
  f->queued = FALSE;
  if (g_error_matches (error, HL_ARCHIVE_ERROR, HL_ARCHIVE_ERROR_NOT_ENOUGH) &&
      ++f->decode_failures < 8)
    {
      /* RaptorQ needs a few more now and then. */
      for (guint b = 0; b < f->n_blocks; b++)
        f->target[b] = MIN (f->win_count[b], f->target[b] + DECODE_EXTRA);
      return;
    }
  g_warning ("Cannot decode segment %" G_GINT64_FORMAT ": %s", f->row->rowid, error->message);
  g_free (f->stuck);
  f->stuck = g_strdup (error->message);
  f->done = TRUE;
}

static gboolean
decode_cb (gpointer user_data)
{
  HlNode *self = user_data;
  HlNodeArchive *na = self->archive;
  g_autoptr(GArray) batch = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  HlArchiveDecodeStats stats = { 0 };
  guint n = MIN (na->decode_queue->len, DECODE_BATCH);

  g_array_append_vals (batch, na->decode_queue->data, n);
  g_array_remove_range (na->decode_queue, 0, n);
  if (hl_archive_decode_many (na->archive, (gint64 *) batch->data, batch->len, &stats, &error))
    {
      for (guint i = 0; i < batch->len; i++)
        {
          HlSegFetch *f = g_hash_table_lookup (na->segments, &g_array_index (batch, gint64, i));

          if (f != NULL)
            decoded (self, f, i == 0 ? &stats : NULL);
        }
    }
  else
    for (guint i = 0; i < batch->len; i++)
      {
        HlSegFetch *f = g_hash_table_lookup (na->segments, &g_array_index (batch, gint64, i));

        if (f != NULL && !f->done)
          decode_one (self, f);
      }
  hl_node_archive_check_epoch (self);
  hl_node_fetch_pump (self);
  if (na->decode_queue->len > 0)
    return G_SOURCE_CONTINUE;
  na->decode_source = 0;
  return G_SOURCE_REMOVE;
}

/* ---- shares ---- */

gboolean
hl_node_segment_dropped (HlNode             *self,
                         const HlSegmentRow *row)
{
  gboolean dropped = FALSE;

  return hl_store_horizon_is_dropped (self->store, row->manifest.subnet,
                                      row->manifest.year * 100 + row->manifest.month, &dropped,
                                      NULL) && dropped;
}

void
hl_node_fetch_shares (HlNode *self)
{
  HlNodeArchive *na = self->archive;
  g_autoptr(GPtrArray) rows = NULL;

  if (na == NULL || na->restore.active)
    return;
  rows = hl_store_archive_list_segments (self->store, NULL, 0, NULL);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      HlSegmentRow *row = g_ptr_array_index (rows, i);
      HlSegFetch *f;

      /* A segment this device verified is made here, from its events,
       * unless it dropped them below its horizon. */
      if (row->state != HL_SEGMENT_CURRENT ||
          (row->verified_ms != 0 && !hl_node_segment_dropped (self, row)) ||
          g_hash_table_contains (na->segments, &row->rowid))
        continue;
      g_ptr_array_index (rows, i) = NULL;
      if ((f = seg_fetch_new (self, row, FALSE)) != NULL)
        g_hash_table_insert (na->segments, &f->row->rowid, f);
    }
  hl_node_fetch_pump (self);
}

/* ---- serving runs nobody stores ---- */

GBytes *
hl_node_archive_encode_run (HlNode             *self,
                            const HlSegmentRow *row,
                            guint               sbn,
                            guint32             first,
                            guint32             count,
                            GBytes            **proof)
{
  HlNodeArchive *na = self->archive;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) data = NULL;

  if (row->verified_ms == 0 || row->state == HL_SEGMENT_SUPERSEDED)
    return NULL;
  if (na->built == NULL || na->built_rowid != row->rowid)
    {
      g_clear_pointer (&na->built, hl_segment_free);
      if (!(na->built = hl_archive_rebuild (na->archive, row->rowid, &error)))
        {
          g_message ("Cannot build segment %" G_GINT64_FORMAT " to serve it: %s", row->rowid,
                     error->message);
          return NULL;
        }
      na->built_rowid = row->rowid;
    }
  data = g_byte_array_sized_new (count * HL_ARCHIVE_SYMBOL_SIZE);
  g_byte_array_set_size (data, count * HL_ARCHIVE_SYMBOL_SIZE);
  for (guint32 i = 0; i < count; i++)
    if (!hl_segment_symbol (na->built, sbn, first + i, data->data + i * HL_ARCHIVE_SYMBOL_SIZE,
                            NULL))
      return NULL;
  *proof = hl_segment_proof (na->built, sbn, first, count);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}
