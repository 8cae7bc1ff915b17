/* bench-attack-run.c: one run of one attack: a fresh victim hyperlinkd
 * with a real SQLite file, an honest peer holding events the victim lacks
 * (and lacking some of the victim's), the attack on a thread of its own,
 * and what the honest peer manages during it and after it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-attack.h"

#include <stdarg.h>

#include "hl-identity.h"
#include "hl-paths.h"

#define POLL_MS        50
#define OWN_EVENTS     100             /* each side's own, before the run */
#define FILL_START_MS  1700000000000

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static char *
node_key (HlTestNode *node)
{
  g_autofree char *path = hl_paths_identity (node->data_dir);
  g_autoptr(HlIdentity) identity = hl_identity_load (path, NULL);

  return identity != NULL ? hl_identity_dup_public_hex (identity) : g_strdup ("");
}

Run *
run_new (const char *name)
{
  Run *run = g_new0 (Run, 1);
  const char *victim_dir[1], *honest_dir[1];

  run->name = name;
  run->victim = hl_test_node_new ("victim");
  run->honest = hl_test_node_new ("honest");
  victim_dir[0] = run->victim->data_dir;
  honest_dir[0] = run->honest->data_dir;
  /* Each holds what the other lacks: its own author's subnet and threads,
   * and the victim one post of its own that the honest peer must get. */
  hl_test_fill (victim_dir, 1, OWN_EVENTS, 11, FILL_START_MS);
  hl_test_fill (honest_dir, 1, OWN_EVENTS, 12, FILL_START_MS);
  run->victim_marker = hl_test_node_post (run->victim,
                                          "the victim's own, written before the attack");
  run->honest_key = node_key (run->honest);
  g_mutex_init (&run->lock);
  run->unit_name = "connections";
  run->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->first_words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->notes = g_ptr_array_new_with_free_func (g_free);
  return run;
}

void
run_free (Run *run)
{
  if (run == NULL)
    return;
  run_stop_attack (run);
  hl_test_node_free (run->honest);
  hl_test_node_free (run->victim);
  g_free (run->honest_key);
  g_free (run->victim_marker);
  g_mutex_clear (&run->lock);
  g_hash_table_unref (run->answers);
  g_hash_table_unref (run->first_words);
  g_ptr_array_unref (run->notes);
  g_clear_pointer (&run->status, json_node_unref);
  g_free (run->skipped);
  g_free (run->failed);
  g_free (run);
}

gboolean
run_victim_alive (Run *run)
{
  return run->victim->process != NULL && g_subprocess_get_identifier (run->victim->process) != NULL;
}

static void
note_death (Run *run)
{
  g_autofree char *log = NULL;

  if (run->failed != NULL)
    return;
  g_file_get_contents (run->victim->log_path, &log, NULL, NULL);
  run->failed = g_strdup ("the victim exited during the run");
  g_printerr ("bench-attack: %s: the victim exited; its log:\n%s\n", run->name, log ? log : "");
}

gboolean
run_wait (Run       *run,
          gboolean (*func) (Run *run, gpointer data),
          gpointer   data,
          guint      timeout_s)
{
  gint64 deadline = now_us () + timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      if (!run_victim_alive (run))
        {
          note_death (run);
          return FALSE;
        }
      if (run->sampler != NULL)
        run->sampler (run);
      if (func (run, data))
        return TRUE;
      if (now_us () >= deadline)
        return FALSE;
      g_usleep (POLL_MS * 1000);
    }
}

/* An event a node must receive, and when it first had it. */
typedef struct
{
  HlTestNode *node;
  const char *id;
  gint64      written_us;
  gint64      arrived_us;
  gboolean   *attack_running;   /* set, if given, to whether it still ran then */
} Arrival;

static gboolean
all_arrived (Run     *run,
             gpointer data)
{
  Arrival *arrivals = data;
  gboolean all = TRUE;

  for (Arrival *a = arrivals; a->node != NULL; a++)
    {
      if (a->arrived_us == 0 && hl_test_node_has (a->node, a->id))
        {
          a->arrived_us = now_us ();
          if (a->attack_running != NULL)
            *a->attack_running = g_atomic_int_get (&run->running);
        }
      all = all && a->arrived_us != 0;
    }
  return all;
}

static gboolean
in_sync_with_marker (Run     *run,
                     gpointer data)
{
  return hl_test_node_has (run->honest, run->victim_marker) &&
         hl_test_node_has (run->victim, data);
}

static void
note_rest (Run *run)
{
  if (!run_victim_alive (run))
    return;
  run->rest_rss_kb = hl_test_proc_kb (run->victim, "VmRSS");
  run->hwm_before_kb = hl_test_proc_kb (run->victim, "VmHWM");
}

void
run_start (Run *run)
{
  if ((run->join == JOIN_DIALS || run->join == JOIN_BEFORE) && run->honest->peers->len == 0)
    hl_test_node_add_peer (run->honest, run->victim);
  hl_test_node_start (run->victim);
  if (run->join == JOIN_ADDED)
    hl_test_node_start (run->honest);
  if (run->join == JOIN_BEFORE)
    {
      g_autofree char *before = hl_test_node_post (run->honest,
                                                   "the honest peer's, before the attack");

      hl_test_node_start (run->honest);
      if (!run_wait (run, in_sync_with_marker, before, SYNC_TIMEOUT_S))
        run->failed = g_strdup ("the honest peer did not sync before the attack");
    }
  note_rest (run);
}

static gpointer
attacker_thread (gpointer data)
{
  Run *run = data;

  for (guint i = 0;; i++)
    {
      if (g_atomic_int_get (&run->stop))
        return NULL;
      if (i >= run->max_units ||
          now_us () - run->attack_started_us > ATTACK_MAX_S * G_USEC_PER_SEC ||
          !run->unit (run, i))
        break;
      run_engaged (run);
    }
  g_atomic_int_set (&run->running, FALSE);
  g_atomic_int_set (&run->ended, TRUE);
  return NULL;
}

void
run_engaged (Run *run)
{
  g_atomic_int_set (&run->engaged, TRUE);
}

gboolean
run_stopping (Run *run)
{
  return g_atomic_int_get (&run->stop);
}

static gboolean
is_engaged (Run     *run,
            gpointer data)
{
  return g_atomic_int_get (&run->engaged) || g_atomic_int_get (&run->ended);
}

void
run_attack (Run        *run,
            AttackUnit  unit,
            guint       max_units)
{
  if (run->failed != NULL)
    return;
  run->unit = unit;
  run->max_units = max_units;
  run->attack_started_us = now_us ();
  g_atomic_int_set (&run->running, TRUE);
  run->thread = g_thread_new ("attacker", attacker_thread, run);
  if (!run_wait (run, is_engaged, NULL, SYNC_TIMEOUT_S) && run->failed == NULL)
    run_note (run, "the attack was not under way after %d s", SYNC_TIMEOUT_S);
}

void
run_hold (Run *run)
{
  run->attack_started_us = now_us ();
  g_atomic_int_set (&run->running, TRUE);
  run_engaged (run);
}

void
run_join (Run *run)
{
  g_autofree char *posted = NULL;
  g_autofree char *title = NULL;
  Arrival arrivals[3] = { { 0 } };

  if (run->failed != NULL)
    return;
  if (run->join == JOIN_DIALS)
    hl_test_node_start (run->honest);
  else if (run->join == JOIN_ADDED)
    g_free (hl_test_node_ctl (run->victim, "peer", "add", run->honest->address, NULL));
  title = g_strdup_printf ("written on the honest peer during %s", run->name);
  posted = hl_test_node_post (run->honest, title);
  arrivals[0] = (Arrival) { run->victim, posted, now_us (), 0, &run->during_attack_running };
  arrivals[1] = (Arrival) { run->honest, run->victim_marker, now_us (), 0, NULL };
  run->during_ok = run_wait (run, all_arrived, arrivals, SYNC_TIMEOUT_S);
  run->during_s = ((arrivals[0].arrived_us ? arrivals[0].arrived_us : now_us ()) -
                   arrivals[0].written_us) / 1e6;
}

static gboolean
has_ended (Run     *run,
           gpointer data)
{
  return g_atomic_int_get (&run->ended);
}

void
run_until_done (Run *run)
{
  if (run->thread != NULL)
    run_wait (run, has_ended, NULL, ATTACK_MAX_S + 5);
  run_stop_attack (run);
}

void
run_stop_attack (Run *run)
{
  if (run->attack_started_us == 0 || run->attack_stopped_us != 0)
    return;
  g_atomic_int_set (&run->stop, TRUE);
  if (run->thread != NULL)
    g_thread_join (run->thread);
  run->thread = NULL;
  g_atomic_int_set (&run->running, FALSE);
  run->attack_stopped_us = now_us ();
  if (run_victim_alive (run))
    run->hwm_peak_kb = hl_test_proc_kb (run->victim, "VmHWM");
  else
    note_death (run);
}

static JsonNode *
status_file (HlTestNode *node)
{
  g_autofree char *path = g_build_filename (node->data_dir, "sync-status.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

gint64
run_status_int (Run        *run,
                const char *object,
                const char *member)
{
  g_autoptr(JsonNode) status = status_file (run->victim);
  JsonObject *root = status && JSON_NODE_HOLDS_OBJECT (status) ? json_node_get_object (status)
                                                               : NULL;
  JsonObject *inner = root && json_object_has_member (root, object)
                        ? json_object_get_object_member (root, object) : NULL;

  return inner != NULL ? json_object_get_int_member_with_default (inner, member, -1) : -1;
}

gboolean
run_log_has (Run     *run,
             gpointer text)
{
  return hl_test_node_log_has (run->victim, text);
}

static void
stop_node (Run        *run,
           HlTestNode *node)
{
  if (node->process == NULL)
    return;
  if (g_subprocess_get_identifier (node->process) == NULL)
    {
      if (node == run->victim)
        note_death (run);
      hl_test_node_kill (node);
      return;
    }
  hl_test_node_stop (node);
}

void
run_after (Run *run)
{
  g_autofree char *title = g_strdup_printf ("written on the honest peer after %s", run->name);
  g_autofree char *back = g_strdup_printf ("written on the victim after %s", run->name);
  g_autofree char *to_victim = NULL;
  g_autofree char *to_honest = NULL;
  Arrival arrivals[3] = { { 0 } };

  run_stop_attack (run);
  if (run->failed == NULL && run->honest->process == NULL)
    hl_test_node_start (run->honest);
  if (run->failed == NULL)
    {
      to_victim = hl_test_node_post (run->honest, title);
      arrivals[0] = (Arrival) { run->victim, to_victim, now_us (), 0, NULL };
      to_honest = hl_test_node_post (run->victim, back);
      arrivals[1] = (Arrival) { run->honest, to_honest, now_us (), 0, NULL };
      run->after_ok = run_wait (run, all_arrived, arrivals, SYNC_TIMEOUT_S);
      for (guint i = 0; i < 2; i++)
        {
          gint64 at = arrivals[i].arrived_us ? arrivals[i].arrived_us : now_us ();

          run->after_s = MAX (run->after_s, (at - arrivals[i].written_us) / 1e6);
        }
      if (run->after_ok)
        {
          HlTestNode *both[] = { run->victim, run->honest };

          run->converged = hl_test_wait_converged (both, 2, SYNC_TIMEOUT_S);
        }
    }
  if (run_victim_alive (run))
    run->rss_end_kb = hl_test_proc_kb (run->victim, "VmRSS");
  run->status = status_file (run->victim);
  stop_node (run, run->honest);
  stop_node (run, run->victim);
}

void
run_sent (Run     *run,
          guint64  count,
          guint64  bytes)
{
  g_mutex_lock (&run->lock);
  run->sent_count += count;
  run->sent_bytes += bytes;
  g_mutex_unlock (&run->lock);
}

void
run_saw (Run        *run,
         const char *answer,
         const char *words)
{
  guint seen;

  g_mutex_lock (&run->lock);
  seen = GPOINTER_TO_UINT (g_hash_table_lookup (run->answers, answer));
  g_hash_table_insert (run->answers, g_strdup (answer), GUINT_TO_POINTER (seen + 1));
  if (words != NULL && *words != '\0' && !g_hash_table_contains (run->first_words, answer))
    g_hash_table_insert (run->first_words, g_strdup (answer), g_strdup (words));
  g_mutex_unlock (&run->lock);
}

void
run_note (Run        *run,
          const char *format,
          ...)
{
  va_list args;
  char *note;

  va_start (args, format);
  note = g_strdup_vprintf (format, args);
  va_end (args);
  g_mutex_lock (&run->lock);
  g_ptr_array_add (run->notes, note);
  g_mutex_unlock (&run->lock);
}
