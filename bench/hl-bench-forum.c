/* hl-bench-forum.c
 *
 * The forum is planned on one thread (which event refers to which), then the
 * events are built and signed on every core, since signing 100,000 events on
 * one would take longer than the import being measured.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-bench-forum.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "hl-event.h"
#include "hl-identity.h"

#define T0 G_GUINT64_CONSTANT (1700000000000)

typedef struct
{
  const char *kind;
  guint       author;
  gint        ref;      /* index of the referenced event, or -1 */
  char       *body;
  guint8      id[32];
  char       *line;
} Plan;

typedef struct
{
  Plan        *plans;
  guint        n;
  HlIdentity **authors;
  guint        next;    /* atomically claimed ranges */
} Job;

static void
plan_event (Plan       *p,
            const char *kind,
            guint       author,
            gint        ref,
            char       *body)
{
  p->kind = kind;
  p->author = author;
  p->ref = ref;
  p->body = body;
}

/* Decides every event's kind and reference. Events only refer to earlier
 * ones, so they can be signed in order of index in any number of passes. */
static Plan *
make_plan (const HlBenchForumSpec *spec,
           GArray                 *threads)
{
  GRand *rand = g_rand_new_with_seed (spec->seed);
  Plan *plans = g_new0 (Plan, spec->n_events);
  g_autoptr(GArray) posts = g_array_new (FALSE, FALSE, sizeof (gint));
  guint i = 0;

  for (guint a = 0; a < spec->n_authors && i < spec->n_events; a++, i++)
    plan_event (&plans[i], HL_KIND_PROFILE, a, -1, g_strdup_printf ("{\"name\":\"Author %u\"}", a));
  for (guint s = 0; s < spec->n_subnets && i < spec->n_events; s++, i++)
    plan_event (&plans[i], HL_KIND_SUBNET_CREATE, s % spec->n_authors, -1,
                g_strdup_printf ("{\"name\":\"subnet-%u\",\"description\":\"Benchmark subnet\"}", s));

  for (; i < spec->n_events; i++)
    {
      guint author = g_rand_int_range (rand, 0, spec->n_authors);
      double r = g_rand_double (rand);
      gint post = posts->len ? g_array_index (posts, gint, g_rand_int_range (rand, 0, posts->len)) : -1;

      if (threads->len == 0 || spec->thread_share >= 1.0 || r < spec->thread_share * 0.8)
        {
          /* The first subnet gets half the threads: a big one to list. */
          guint subnet = g_rand_boolean (rand) ? 0 : g_rand_int_range (rand, 0, spec->n_subnets);
          plan_event (&plans[i], HL_KIND_THREAD_CREATE, author, (gint) (spec->n_authors + subnet),
                      g_strdup_printf ("{\"title\":\"Thread number %u about things\","
                                       "\"body\":\"Some words to search for, like kernel %u and "
                                       "compiler %u.\"}", i, i % 97, i % 89));
          g_array_append_val (threads, i);
          g_array_append_val (posts, i);
        }
      else if (r < 0.8)
        {
          gint thread = g_array_index (threads, gint, g_rand_int_range (rand, 0, threads->len));
          plan_event (&plans[i], HL_KIND_REPLY_CREATE, author, thread,
                      g_strdup_printf ("{\"body\":\"A reply, number %u, with a little text in "
                                       "it so that it looks like a real one.\"}", i));
          g_array_append_val (posts, i);
        }
      else if (r < 0.95)
        plan_event (&plans[i], HL_KIND_EDIT, plans[post].author, post,
                    g_strdup_printf ("{\"body\":\"Edited text %u\"}", i));
      else if (r < 0.97)
        plan_event (&plans[i], HL_KIND_DELETE, plans[post].author, post, g_strdup ("{}"));
      else
        plan_event (&plans[i], HL_KIND_HIDE, plans[post].author, post,
                    g_strdup ("{\"hidden\":true}"));
    }
  g_rand_free (rand);
  return plans;
}

/* Signs events in index order within each claimed range. A reference always
 * points to a lower index, which some worker signs without waiting on us:
 * we wait for its line to be published, which happens after its id is set. */
static gpointer
sign_worker (gpointer data)
{
  Job *job = data;

  for (;;)
    {
      guint start = g_atomic_int_add (&job->next, 256);

      if (start >= job->n)
        return NULL;
      for (guint i = start; i < MIN (start + 256, job->n); i++)
        {
          Plan *p = &job->plans[i];
          HlTimestamp ts = { T0 + i * 10, 0 };
          const guint8 *ref = NULL;
          g_autoptr(HlEvent) event = NULL;

          if (p->ref >= 0)
            {
              Plan *target = &job->plans[p->ref];
              while (g_atomic_pointer_get (&target->line) == NULL)
                g_thread_yield ();
              ref = target->id;
            }
          event = hl_event_new (p->kind, hl_identity_get_public_key (job->authors[p->author]),
                                &ts, ref, p->body);
          hl_event_sign (event, job->authors[p->author]);
          memcpy (p->id, event->id, 32);
          g_atomic_pointer_set (&p->line, hl_event_to_json_text (event));
        }
    }
}

GString *
hl_bench_forum_generate (const HlBenchForumSpec  *spec,
                         char                   **first_subnet_hex)
{
  g_autoptr(GArray) threads = g_array_new (FALSE, FALSE, sizeof (gint));
  guint n_threads = MAX (1, g_get_num_processors ());
  g_autoptr(GPtrArray) workers = g_ptr_array_new ();
  GString *out = g_string_sized_new ((gsize) spec->n_events * 450);
  Job job = { 0 };

  job.plans = make_plan (spec, threads);
  job.n = spec->n_events;
  job.authors = g_new0 (HlIdentity *, spec->n_authors);
  for (guint a = 0; a < spec->n_authors; a++)
    {
      guint8 seed[32];
      memset (seed, (int) (a + 1), sizeof seed);
      seed[0] = (guint8) spec->seed;
      job.authors[a] = hl_identity_new_from_seed (seed);
    }

  for (guint t = 0; t < n_threads; t++)
    g_ptr_array_add (workers, g_thread_new ("sign", sign_worker, &job));
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (workers->pdata[t]);

  for (guint i = 0; i < job.n; i++)
    {
      g_string_append (out, job.plans[i].line);
      g_string_append_c (out, '\n');
      g_free (job.plans[i].line);
      g_free (job.plans[i].body);
    }
  if (first_subnet_hex != NULL)
    *first_subnet_hex = hl_hex_dup (job.plans[spec->n_authors].id, 32);

  for (guint a = 0; a < spec->n_authors; a++)
    hl_identity_free (job.authors[a]);
  g_free (job.authors);
  g_free (job.plans);
  return out;
}

/* VmHWM rather than getrusage(): Linux keeps ru_maxrss across execve(), so
 * a child would report its parent's peak. */
glong
hl_bench_peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      !(line = strstr (status, "VmHWM:")))
    return -1;
  return strtol (line + strlen ("VmHWM:"), NULL, 10);
}

double
hl_bench_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double
hl_bench_load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

typedef struct
{
  HlEvent **events;
  guint     n;
  gint64    until_us;
  guint64   checked;
} VerifyJob;

static gpointer
verify_worker (gpointer data)
{
  VerifyJob *job = data;

  while (g_get_monotonic_time () < job->until_us)
    for (guint i = 0; i < job->n; i++)
      {
        if (!hl_event_signature_is_valid (job->events[i]))
          g_error ("a generated event does not verify");
        job->checked++;
      }
  return NULL;
}

double
hl_bench_verify_limit (HlEvent **events,
                       guint     n)
{
  guint n_threads = MAX (1, g_get_num_processors ());
  g_autofree VerifyJob *jobs = g_new0 (VerifyJob, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  gint64 start = g_get_monotonic_time (), end;
  guint64 total = 0;

  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t].n = n / n_threads;
      jobs[t].events = events + t * jobs[t].n;
      jobs[t].until_us = start + 2 * G_USEC_PER_SEC;
      threads[t] = g_thread_new ("verify", verify_worker, &jobs[t]);
    }
  for (guint t = 0; t < n_threads; t++)
    {
      g_thread_join (threads[t]);
      total += jobs[t].checked;
    }
  end = g_get_monotonic_time ();
  return total / ((end - start) / 1e6);
}

/* This run's Ed25519 verification rate on all cores, on events like the
 * forum's: no node that verifies every signature receives faster. */
double
hl_bench_verify_rate (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(HlIdentity) author = NULL;
  guint8 seed[32];

  memset (seed, 9, sizeof seed);
  author = hl_identity_new_from_seed (seed);
  for (guint i = 0; i < 1000 * MAX (1, g_get_num_processors ()); i++)
    {
      HlTimestamp ts = { 1700000000000 + i, 0 };
      g_autofree char *body = g_strdup_printf ("{\"title\":\"Thread %u\",\"body\":\"Some text to "
                                               "make the event the size of a short post.\"}", i);
      HlEvent *event = hl_event_new (HL_KIND_THREAD_CREATE, hl_identity_get_public_key (author),
                                     &ts, seed, body);

      hl_event_sign (event, author);
      g_ptr_array_add (events, event);
    }
  return hl_bench_verify_limit ((HlEvent **) events->pdata, events->len);
}

void
hl_bench_copy_database (const char *from,
                        const char *to)
{
  g_autoptr(GFile) src = g_file_new_for_path (from);
  g_autoptr(GFile) dst = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (to, "-wal", NULL);
  g_autofree char *shm = g_strconcat (to, "-shm", NULL);

  g_remove (wal);
  g_remove (shm);
  if (!g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("copying %s: %s", from, error->message);
}
