/* bench-attack.h: what bench-attack's attacks share: one run of one attack
 * against a fresh victim node, with an honest peer beside it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hl-test-node.h"
#include "hl-test-raw.h"

G_BEGIN_DECLS

#define MIB (1024 * 1024)

/* Bounds of every run: an attack lasts at most ATTACK_MAX_S, the honest
 * peer has SYNC_TIMEOUT_S to sync during it and again after it. */
#define ATTACK_MAX_S   40
#define SYNC_TIMEOUT_S 30

/* How the honest peer meets the victim. */
typedef enum
{
  JOIN_DIALS,         /* started once the attack is under way, it dials the victim */
  JOIN_ADDED,         /* running, listening; the victim adds it as a manual peer then */
  JOIN_BEFORE,        /* connected and in sync before the attack starts */
} RunJoin;

typedef struct _Run Run;

/* One step of an attack, run again and again on the attacker's thread
 * until the run stops it, @max_units is reached or ATTACK_MAX_S passed.
 * FALSE: the attack is over (it ran to its own end). */
typedef gboolean (*AttackUnit) (Run   *run,
                                guint  index);
/* Called every poll while the main thread waits (sampling the victim). */
typedef void     (*RunSampler) (Run   *run);

struct _Run
{
  const char  *name;
  HlTestNode  *victim;
  HlTestNode  *honest;
  char        *honest_key;       /* hex */
  char        *victim_marker;    /* id of a victim event the honest peer lacks */
  RunJoin      join;
  RunSampler   sampler;
  gpointer     data;             /* the attack's own state */

  /* The victim's memory, kB: resting before the attack, peak after it. */
  guint64      rest_rss_kb;
  guint64      hwm_before_kb;
  guint64      hwm_peak_kb;
  guint64      rss_end_kb;

  /* The attacker's side, written from its thread under @lock. */
  GMutex       lock;
  const char  *unit_name;        /* what count counts: "connections", "messages" */
  guint64      sent_count;
  guint64      sent_bytes;
  gboolean     bytes_unknown;
  GHashTable  *answers;          /* answer ("1009", "HTTP 431", "TCP") → count */
  GHashTable  *first_words;      /* answer → the first error message with it */
  GPtrArray   *notes;            /* char * */

  GThread     *thread;
  AttackUnit   unit;
  guint        max_units;
  gint64       attack_started_us;
  gint64       attack_stopped_us;
  gint         running;          /* atomic: the attack goes on */
  gint         stop;             /* atomic: asked to stop */
  gint         engaged;          /* atomic: the attack is under way */
  gint         ended;            /* atomic: it ran to its own end */

  /* The honest peer. */
  gboolean     during_ok;
  gboolean     during_attack_running;  /* still when the event arrived */
  double       during_s;
  gboolean     after_ok;
  double       after_s;
  gboolean     converged;

  JsonNode    *status;           /* the victim's, at the end */
  char        *skipped;          /* why the run was not made */
  char        *failed;           /* the victim died, or a step could not be made */
};

/* ---- the run (bench-attack-run.c) ---- */

Run        *run_new               (const char  *name);
void        run_free              (Run         *run);
/* Starts the victim (and, for JOIN_BEFORE, the honest peer, waiting until
 * they are in sync), then notes its resting memory. */
void        run_start             (Run         *run);
/* Starts @unit on the attacker's thread and waits until it is engaged. */
void        run_attack            (Run         *run,
                                   AttackUnit   unit,
                                   guint        max_units);
/* For an attack made by other processes: it is under way now. */
void        run_hold              (Run         *run);
/* Waits until @func holds (sampling meanwhile), or @timeout_s. */
gboolean    run_wait              (Run         *run,
                                   gboolean   (*func) (Run *run, gpointer data),
                                   gpointer     data,
                                   guint        timeout_s);
/* The honest peer joins (as run->join says), writes an event and waits
 * until it reached the victim, and the victim's marker reached it. */
void        run_join              (Run         *run);
/* Waits until the attack ran to its own end (its count, or ATTACK_MAX_S),
 * then stops it. */
void        run_until_done        (Run         *run);
/* Asks the attacker to stop, waits for it, reads the victim's peak. */
void        run_stop_attack       (Run         *run);
/* A new event each way, timed; then the two forums compared; then the
 * victim's status kept and both nodes stopped. */
void        run_after             (Run         *run);
gboolean    run_stopping          (Run         *run);
gboolean    run_victim_alive      (Run         *run);
void        run_engaged           (Run         *run);

/* From the attacker's thread. */
void        run_sent              (Run         *run,
                                   guint64      count,
                                   guint64      bytes);
/* The node answered @answer (a close code, "HTTP 431", "TCP" for a TCP
 * close without a close frame), saying @words (may be NULL). */
void        run_saw               (Run         *run,
                                   const char  *answer,
                                   const char  *words);
void        run_note              (Run         *run,
                                   const char  *format,
                                   ...) G_GNUC_PRINTF (2, 3);

/* The victim's status member @object.@member, or -1. */
gint64      run_status_int        (Run         *run,
                                   const char  *object,
                                   const char  *member);
gboolean    run_log_has           (Run         *run,
                                   gpointer     text);

/* ---- a raw client that does not assert (bench-attack-wire.c) ---- */

/* A TCP connection to the victim from @from (NULL: any), or NULL. */
HlTestRaw  *raw_connect           (Run         *run,
                                   const char  *from);
/* The upgrade, offering @extensions (NULL: none); the answer's status, 0
 * when none came within 10 s. *@head (may be NULL) gets the answer's head. */
guint       raw_try_upgrade       (HlTestRaw   *raw,
                                   const char  *extensions,
                                   char       **head);
/* hello and auth as @identity; TRUE once the node's auth came. */
gboolean    raw_try_handshake     (HlTestRaw   *raw,
                                   HlIdentity  *identity);
/* Sends @data without blocking on a node that stopped reading, until all
 * of it went, the node closed, or 15 s; returns the bytes sent. */
guint64     raw_send_while_open   (HlTestRaw   *raw,
                                   const guint8 *data,
                                   gsize        len);
/* Waits for the node's close and notes it as run_saw does. */
void        raw_note_close        (Run         *run,
                                   HlTestRaw   *raw,
                                   const char  *when);

/* ---- the attacks ---- */

/* bench-attack-wire.c: what one connection sends. */
void        attack_inflate        (Run         *run);
void        attack_fragments      (Run         *run);
void        attack_big_frame      (Run         *run);
void        attack_http_head      (Run         *run);
void        attack_rate_flood     (Run         *run);
void        attack_bad_events     (Run         *run);
/* bench-attack-conn.c: many connections, and the peers behind them. */
void        attack_half_sent      (Run         *run);
void        attack_emfile         (Run         *run);
void        attack_slots          (Run         *run);
void        attack_admission      (Run         *run);
void        attack_slow_reader    (Run         *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

G_END_DECLS
