/* bench-attack: every attack of issue 10 against a real hyperlinkd, one
 * fresh victim each, with an honest peer beside it, and what each cost:
 * what was sent, the victim's resting and peak RSS, whether the honest peer
 * synced during the attack and after it, and how the node answered.
 *
 * Usage: bench-attack [--only NAME[,NAME…]] [--json] [--list] [--verbose]
 * (HYPERLINKD, HYPERLINKCTL and HL_TEST_SWARM name the programs; meson sets
 * them for `meson test --benchmark`, else they are found in the build tree
 * next to this program.) See bench/README.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "bench-attack.h"

typedef struct
{
  const char *name;
  const char *what;
  void      (*func) (Run *run);
} Attack;

static const Attack attacks[] = {
  { "inflate", "an inflation bomb: a permessage-deflate offer and a compressed (RSV1) frame",
    attack_inflate },
  { "fragments", "64 MiB as 4 KiB uncompressed fragments, before the handshake and after it",
    attack_fragments },
  { "big-frame", "single frames above the limit, before the handshake and after it",
    attack_big_frame },
  { "http-head", "oversized HTTP request heads", attack_http_head },
  { "half-sent", "1,100 half-sent HTTP requests from 11 loopback addresses, RLIMIT_NOFILE 1024",
    attack_half_sent },
  { "emfile", "running out of descriptors: a victim with a tiny RLIMIT_NOFILE", attack_emfile },
  { "slots", "129 throwaway-key handshakes in every slot, then a known peer and unknown newcomers",
    attack_slots },
  { "admission", "a stranger from another network, Tailscale absent (network namespaces)",
    attack_admission },
  { "slow-reader", "peers that never read while the victim has events to send them",
    attack_slow_reader },
  { "rate-flood", "messages far above the rate limit", attack_rate_flood },
  { "bad-events", "events the node refuses: forged signatures, and ones a lenient reader took",
    attack_bad_events },
};

static gboolean verbose;
static FILE *out;       /* the report: stdout, or stderr under --json */

/* The helpers' g_test_message () chatter, shown only with --verbose. */
static void
print_handler (const char *text)
{
  if (verbose)
    fputs (text, stderr);
}

/* Interrupted: end as a failed assertion would, so that hl-test-netns
 * deletes the namespaces it made (the nodes die with this process). */
static void
on_interrupt (int signum)
{
  raise (SIGABRT);
}

/* ---- figures ---- */

static char *
format_bytes (guint64 bytes)
{
  if (bytes >= 10 * MIB)
    return g_strdup_printf ("%.0f MiB", bytes / (double) MIB);
  if (bytes >= MIB)
    return g_strdup_printf ("%.1f MiB", bytes / (double) MIB);
  if (bytes >= 10 * 1024)
    return g_strdup_printf ("%.0f KiB", bytes / 1024.0);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " B", bytes);
}

static double
mib (guint64 kb)
{
  return kb / 1024.0;
}

static char *
sent_text (Run *run)
{
  g_autofree char *bytes = format_bytes (run->sent_bytes);

  if (run->bytes_unknown && run->sent_bytes == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", run->sent_count, run->unit_name);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " %s, %s", run->sent_count, run->unit_name, bytes);
}

static char *
during_text (Run *run)
{
  if (run->failed != NULL && !run->during_ok)
    return g_strdup ("—");
  if (!run->during_ok)
    return g_strdup_printf ("NO (%d s)", SYNC_TIMEOUT_S);
  return g_strdup_printf ("yes %.2f s%s", run->during_s,
                          run->during_attack_running ? "" : " (ended)");
}

static char *
after_text (Run *run)
{
  if (run->failed != NULL && !run->after_ok)
    return g_strdup ("—");
  if (!run->after_ok)
    return g_strdup_printf ("NO (%d s)", SYNC_TIMEOUT_S);
  return g_strdup_printf ("yes %.2f s%s", run->after_s, run->converged ? "" : " NOT CONVERGED");
}

static gint
compare_answers (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* "1009 before ×12, 1009 after ×11" */
static char *
answers_text (Run *run)
{
  g_autofree gpointer *keys = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = 0;

  keys = g_hash_table_get_keys_as_array (run->answers, &n);
  qsort (keys, n, sizeof *keys, compare_answers);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s ×%u", i ? ", " : "", (char *) keys[i],
                            GPOINTER_TO_UINT (g_hash_table_lookup (run->answers, keys[i])));
  return g_string_free (g_steal_pointer (&text), text->len == 0);
}

static JsonObject *
status_member (Run        *run,
               const char *member)
{
  JsonObject *root = run->status && JSON_NODE_HOLDS_OBJECT (run->status)
                       ? json_node_get_object (run->status) : NULL;

  return root && json_object_has_member (root, member) &&
             JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, member))
           ? json_object_get_object_member (root, member) : NULL;
}

static JsonArray *
refused_list (Run *run)
{
  JsonObject *root = run->status && JSON_NODE_HOLDS_OBJECT (run->status)
                       ? json_node_get_object (run->status) : NULL;

  return root && json_object_has_member (root, "refused")
           ? json_object_get_array_member (root, "refused") : NULL;
}

/* What the victim's status counted: its connection counters that are not
 * 0, its refusals, the events it refused. */
static char *
refusals_text (Run *run)
{
  static const char * const counters[] = { "refused_per_address", "refused_full",
                                           "refused_out_of_fds", "evicted", "expired", "bad_head" };
  JsonObject *connections = status_member (run, "connections");
  JsonObject *totals = status_member (run, "totals");
  JsonArray *refused = refused_list (run);
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean honest_refused = FALSE;

  for (guint i = 0; connections != NULL && i < G_N_ELEMENTS (counters); i++)
    {
      gint64 n = json_object_get_int_member_with_default (connections, counters[i], 0);

      if (n > 0)
        g_string_append_printf (text, "%s%s %" G_GINT64_FORMAT, text->len ? ", " : "",
                                counters[i], n);
    }
  for (guint i = 0; refused != NULL && i < json_array_get_length (refused); i++)
    {
      JsonObject *r = json_array_get_object_element (refused, i);
      const char *node = json_object_get_string_member_with_default (r, "node", NULL);

      g_string_append_printf (text, "%s%s %s ×%" G_GINT64_FORMAT " (%" G_GINT64_FORMAT ")",
                              text->len ? ", " : "",
                              json_object_get_string_member_with_default (r, "kind", "?"),
                              json_object_get_string_member_with_default (r, "address", "?"),
                              json_object_get_int_member_with_default (r, "count", 0),
                              json_object_get_int_member_with_default (r, "code", 0));
      honest_refused = honest_refused || g_strcmp0 (node, run->honest_key) == 0;
    }
  if (totals != NULL && json_object_get_int_member_with_default (totals, "events_refused", 0) > 0)
    g_string_append_printf (text, "%sevents_refused %" G_GINT64_FORMAT, text->len ? ", " : "",
                            json_object_get_int_member (totals, "events_refused"));
  g_string_append_printf (text, "%sthe honest peer %s", text->len ? "; " : "",
                          honest_refused ? "WAS refused" : "never refused");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- the report ---- */

/* The words the victim's status kept for each address it refused. */
static void
print_reasons (Run *run)
{
  JsonArray *refused = refused_list (run);

  for (guint i = 0; refused != NULL && i < json_array_get_length (refused); i++)
    {
      JsonObject *r = json_array_get_object_element (refused, i);

      fprintf (out, "   reason    %s %s: “%s”\n",
               json_object_get_string_member_with_default (r, "kind", "?"),
               json_object_get_string_member_with_default (r, "address", "?"),
               json_object_get_string_member_with_default (r, "reason", ""));
    }
}

static void
print_row (const Attack *attack,
           Run          *run,
           double        seconds)
{
  g_autofree char *sent = NULL;
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *refusals = NULL;
  g_autofree char **said = NULL;
  guint n_said = 0;

  fprintf (out, "\n== %s: %s (%.0f s)\n", attack->name, attack->what, seconds);
  if (run->skipped != NULL)
    {
      fprintf (out, "   %s\n", run->skipped);
      return;
    }
  sent = sent_text (run);
  during = during_text (run);
  after = after_text (run);
  answers = answers_text (run);
  refusals = refusals_text (run);
  fprintf (out, "   sent      %s\n", sent);
  for (guint i = 0; i < run->notes->len; i++)
    fprintf (out, "   note      %s\n", (char *) run->notes->pdata[i]);
  fprintf (out, "   memory    resting %.1f MiB RSS (peak so far %.1f); peak after the attack "
           "%.1f MiB (VmHWM), %+.1f MiB; %.1f MiB RSS at the end\n",
           mib (run->rest_rss_kb), mib (run->hwm_before_kb), mib (run->hwm_peak_kb),
           mib (run->hwm_peak_kb) - mib (run->hwm_before_kb), mib (run->rss_end_kb));
  fprintf (out, "   honest    during: %s (its event written during the attack, to the victim); "
           "after: %s (an event each way)\n", during, after);
  fprintf (out, "   answered  %s\n", answers ? answers : "nothing");
  said = (char **) g_hash_table_get_keys_as_array (run->first_words, &n_said);
  qsort (said, n_said, sizeof *said, compare_answers);
  for (guint i = 0; i < n_said; i++)
    fprintf (out, "   said      %s: “%s”\n", said[i],
             (char *) g_hash_table_lookup (run->first_words, said[i]));
  fprintf (out, "   status    %s\n", refusals);
  print_reasons (run);
  if (run->failed != NULL)
    fprintf (out, "   FAILED    %s\n", run->failed);
}

static void
add_answers (JsonBuilder *b,
             Run         *run)
{
  GHashTableIter iter;
  gpointer key, value;

  json_builder_set_member_name (b, "answers");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, run->answers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (b, key);
      json_builder_add_int_value (b, GPOINTER_TO_UINT (value));
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "said");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, run->first_words);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (b, key);
      json_builder_add_string_value (b, value);
    }
  json_builder_end_object (b);
}

static void
add_status (JsonBuilder *b,
            Run         *run)
{
  JsonObject *connections = status_member (run, "connections");
  JsonObject *totals = status_member (run, "totals");
  JsonArray *refused = refused_list (run);
  gint64 events_refused = 0;

  if (totals != NULL)
    events_refused = json_object_get_int_member_with_default (totals, "events_refused", 0);
  json_builder_set_member_name (b, "connections");
  json_builder_add_value (b, connections ? json_node_init_object (json_node_alloc (), connections)
                                         : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (b, "refused");
  json_builder_add_value (b, refused ? json_node_init_array (json_node_alloc (), refused)
                                     : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (b, "events_refused");
  json_builder_add_int_value (b, events_refused);
}

static void
print_json_row (const Attack *attack,
                Run          *run,
                double        seconds)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "attack");
  json_builder_add_string_value (b, attack->name);
  json_builder_set_member_name (b, "what");
  json_builder_add_string_value (b, attack->what);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, seconds);
  if (run->skipped != NULL)
    {
      json_builder_set_member_name (b, "skipped");
      json_builder_add_string_value (b, run->skipped);
    }
  else
    {
      json_builder_set_member_name (b, "sent_count");
      json_builder_add_int_value (b, (gint64) run->sent_count);
      json_builder_set_member_name (b, "sent_unit");
      json_builder_add_string_value (b, run->unit_name);
      json_builder_set_member_name (b, "sent_bytes");
      if (run->bytes_unknown && run->sent_bytes == 0)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, (gint64) run->sent_bytes);
      json_builder_set_member_name (b, "rest_rss_kb");
      json_builder_add_int_value (b, (gint64) run->rest_rss_kb);
      json_builder_set_member_name (b, "hwm_before_kb");
      json_builder_add_int_value (b, (gint64) run->hwm_before_kb);
      json_builder_set_member_name (b, "hwm_peak_kb");
      json_builder_add_int_value (b, (gint64) run->hwm_peak_kb);
      json_builder_set_member_name (b, "rss_end_kb");
      json_builder_add_int_value (b, (gint64) run->rss_end_kb);
      json_builder_set_member_name (b, "during_synced");
      json_builder_add_boolean_value (b, run->during_ok);
      json_builder_set_member_name (b, "during_seconds");
      json_builder_add_double_value (b, run->during_s);
      json_builder_set_member_name (b, "during_attack_running");
      json_builder_add_boolean_value (b, run->during_attack_running);
      json_builder_set_member_name (b, "after_synced");
      json_builder_add_boolean_value (b, run->after_ok);
      json_builder_set_member_name (b, "after_seconds");
      json_builder_add_double_value (b, run->after_s);
      json_builder_set_member_name (b, "converged");
      json_builder_add_boolean_value (b, run->converged);
      add_answers (b, run);
      add_status (b, run);
      json_builder_set_member_name (b, "notes");
      json_builder_begin_array (b);
      for (guint i = 0; i < run->notes->len; i++)
        json_builder_add_string_value (b, run->notes->pdata[i]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "failed");
      if (run->failed != NULL)
        json_builder_add_string_value (b, run->failed);
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  printf ("%s\n", text);
  fflush (stdout);
}

/* One line of the summary table. */
typedef struct
{
  char *cells[8];
} Line;

static void
line_free (Line *line)
{
  for (guint i = 0; i < G_N_ELEMENTS (line->cells); i++)
    g_free (line->cells[i]);
  g_free (line);
}

static Line *
summary_line (const Attack *attack,
              Run          *run)
{
  Line *line = g_new0 (Line, 1);
  g_autofree char *answers = NULL;

  line->cells[0] = g_strdup (attack->name);
  if (run->skipped != NULL)
    {
      line->cells[1] = g_strdup (run->skipped);
      return line;
    }
  answers = answers_text (run);
  line->cells[1] = sent_text (run);
  line->cells[2] = g_strdup_printf ("%.1f", mib (run->rest_rss_kb));
  line->cells[3] = g_strdup_printf ("%.1f", mib (run->hwm_peak_kb));
  line->cells[4] = g_strdup_printf ("%+.1f", mib (run->hwm_peak_kb) - mib (run->hwm_before_kb));
  line->cells[5] = during_text (run);
  line->cells[6] = after_text (run);
  line->cells[7] = run->failed ? g_strdup_printf ("FAILED: %s", run->failed)
                               : g_strdup (answers ? answers : "nothing");
  return line;
}

static void
print_summary (GPtrArray *lines)
{
  static const char * const heads[] = { "attack", "sent", "rest", "peak", "growth", "during",
                                        "after", "answered (close code or HTTP status ×count)" };
  guint widths[G_N_ELEMENTS (heads)] = { 0 };

  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    {
      widths[c] = g_utf8_strlen (heads[c], -1);
      for (guint i = 0; i < lines->len; i++)
        {
          Line *line = g_ptr_array_index (lines, i);

          if (line->cells[c] != NULL && (line->cells[2] != NULL || c == 0))
            widths[c] = MAX (widths[c], (guint) g_utf8_strlen (line->cells[c], -1));
        }
    }
  fprintf (out, "\nSummary (RSS in MiB: resting before the attack, peak VmHWM after it, growth of "
           "the peak; during/after: the honest peer's event reached the victim, in seconds)\n\n");
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    fprintf (out, "%s%-*s", c ? "  " : "", c + 1 < G_N_ELEMENTS (heads) ? (int) widths[c] : 0,
             heads[c]);
  fprintf (out, "\n");
  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = g_ptr_array_index (lines, i);

      for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
        {
          const char *cell = line->cells[c] ? line->cells[c] : "";
          int pad = c + 1 < G_N_ELEMENTS (heads) && line->cells[2] != NULL
                      ? (int) widths[c] - (int) g_utf8_strlen (cell, -1) : 0;

          fprintf (out, "%s%s%*s", c ? "  " : "", cell, MAX (pad, 0), "");
          if (line->cells[2] == NULL && c == 1)
            break;
        }
      fprintf (out, "\n");
    }
}

/* ---- the machine ---- */

static char *
first_line_of (const char *path)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("?");
  return g_strstrip (g_strndup (text, strcspn (text, "\n")));
}

static void
print_machine (gboolean json)
{
  g_autofree char *load = first_line_of ("/proc/loadavg");
  g_autofree char *nr_open = first_line_of ("/proc/sys/fs/nr_open");
  g_autofree char *file_max = first_line_of ("/proc/sys/fs/file-max");
  struct rlimit limit;
  struct utsname name;

  getrlimit (RLIMIT_NOFILE, &limit);
  uname (&name);
  fprintf (out, "bench-attack: every attack of issue 10 against a fresh hyperlinkd (real process, "
           "real SQLite file) with an honest peer beside it\n");
  fprintf (out, "machine: %u cores, %s %s; load average %s\n", g_get_num_processors (),
           name.sysname, name.release, load);
  fprintf (out, "descriptors: the kernel allows a process %s (fs.nr_open) and %s in all "
           "(fs.file-max); this bench's RLIMIT_NOFILE %lu soft, %lu hard, which victims inherit "
           "unless a row says otherwise\n",
           nr_open, file_max, (unsigned long) limit.rlim_cur, (unsigned long) limit.rlim_max);
  fprintf (out, "bounds: each attack at most %d s, the honest peer %d s to sync during it and "
           "again after it\n", ATTACK_MAX_S, SYNC_TIMEOUT_S);
  fflush (out);
  if (json)
    {
      printf ("{\"machine\":{\"cores\":%u,\"kernel\":\"%s %s\",\"loadavg\":\"%s\",\"nr_open\":%s,"
              "\"file_max\":%s,\"nofile_soft\":%lu,\"nofile_hard\":%lu}}\n",
              g_get_num_processors (), name.sysname, name.release, load, nr_open, file_max,
              (unsigned long) limit.rlim_cur, (unsigned long) limit.rlim_max);
      fflush (stdout);
    }
}

static void
find_program (const char *variable,
              const char *dir,
              const char *relative)
{
  if (g_getenv (variable) == NULL)
    {
      g_autofree char *path = g_build_filename (dir, relative, NULL);
      g_setenv (variable, path, TRUE);
    }
}

static gboolean
selected (const Attack *attack,
          char        **only)
{
  return only == NULL || g_strv_contains ((const char * const *) only, attack->name);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *only_arg = NULL;
  g_auto(GStrv) only = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  g_autoptr(GOptionContext) context =
    g_option_context_new ("- what every attack of issue 10 costs a node");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (argv[0]);
  g_autofree char *load = NULL;
  gboolean json = FALSE, list = FALSE;
  gint64 started = g_get_monotonic_time ();
  GOptionEntry entries[] = {
    { "only", 0, 0, G_OPTION_ARG_STRING, &only_arg, "Run only these attacks (see --list)",
      "NAME[,NAME…]" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "JSON lines on stdout (the report goes to stderr)",
      NULL },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, "List the attacks and exit", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Show the test helpers' messages", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-attack: %s (see --help)\n", error->message);
      return 2;
    }
  if (list)
    {
      for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
        printf ("%-12s %s\n", attacks[i].name, attacks[i].what);
      return 0;
    }
  if (only_arg != NULL)
    {
      only = g_strsplit (only_arg, ",", -1);
      for (guint i = 0; only[i] != NULL; i++)
        {
          gboolean known = FALSE;

          for (guint a = 0; a < G_N_ELEMENTS (attacks); a++)
            known = known || strcmp (attacks[a].name, only[i]) == 0;
          if (!known)
            {
              g_printerr ("bench-attack: no attack is called “%s”; --list names them\n", only[i]);
              return 2;
            }
        }
    }
  if (sodium_init () < 0)
    return 1;
  out = json ? stderr : stdout;
  g_set_print_handler (print_handler);
  signal (SIGPIPE, SIG_IGN);
  signal (SIGINT, on_interrupt);
  signal (SIGTERM, on_interrupt);
  g_unsetenv ("G_DEBUG");
  find_program ("HYPERLINKD", dir, "../../src/daemon/hyperlinkd");
  find_program ("HYPERLINKCTL", dir, "../../src/ctl/hyperlinkctl");
  find_program ("HL_TEST_SWARM", dir, "../../tests/sync/hl-test-swarm");
  print_machine (json);

  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autoptr(Run) run = NULL;
      gint64 start = g_get_monotonic_time ();
      double seconds;

      if (!selected (&attacks[i], only))
        continue;
      fprintf (out, "\n# %s …\n", attacks[i].name);
      fflush (out);
      run = run_new (attacks[i].name);
      attacks[i].func (run);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      print_row (&attacks[i], run, seconds);
      if (json)
        print_json_row (&attacks[i], run, seconds);
      g_ptr_array_add (lines, summary_line (&attacks[i], run));
      fflush (out);
    }
  print_summary (lines);
  load = first_line_of ("/proc/loadavg");
  fprintf (out, "\n%u attacks in %.0f s; load average at the end %s\n", lines->len,
           (g_get_monotonic_time () - started) / 1e6, load);
  return 0;
}
