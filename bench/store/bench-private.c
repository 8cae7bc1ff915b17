/* bench-private.c: the figures of private subnets (issue 13), each beside
 * the machine limit it compares against, measured in the same run:
 *
 * 1. ingest of N events (default 100,000) by a member's store, into a
 *    private subnet, against the same into a public one (goal: >= 90 %);
 *    the bound is public ingest in the same run (a box costs what a public
 *    event does, one Ed25519 check of its envelope, plus one XChaCha20-
 *    Poly1305 decryption and a second row: the inner signature is not
 *    checked, docs/protocol.md says why); the Ed25519 check and the
 *    decryption rates on one core are printed beside it;
 * 2. adding and removing a member of a 50-member subnet: time and bytes on
 *    the wire (one EVENTS record); the limit is 51 sealed boxes;
 * 3. an epoch change in a 50-member subnet with 3 devices each: the size of
 *    the private.epoch, against the 65,536-byte event limit.
 *
 *   bench-private [--events N]
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "hl-event.h"
#include "hl-private.h"
#include "hl-store-privnet.h"

#define BATCH 1000

typedef struct
{
  HlStore   *to;
  GPtrArray *batch;
  gint64     apply_us;
  guint64    applied;
} Copier;

static HlStore *
open_store (const char *dir,
            const char *name,
            HlIdentity *identity)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  HlStore *store = hl_store_open (path, &error);

  if (store == NULL)
    g_error ("%s", error->message);
  hl_store_set_identity (store, identity);
  return store;
}

static void
flush (Copier *c)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Received events are checked before they are stored: timed too. */
  for (guint i = 0; i < c->batch->len; i++)
    if (!hl_event_signature_is_valid (c->batch->pdata[i]))
      g_error ("an event does not verify");
  if (c->batch->len > 0 &&
      !hl_store_apply_verified (c->to, (HlEvent *const *) c->batch->pdata, c->batch->len, NULL, &error))
    g_error ("%s", error->message);
  c->apply_us += g_get_monotonic_time () - start;
  c->applied += c->batch->len;
  g_ptr_array_set_size (c->batch, 0);
}

static gboolean
copy_one (const HlEvent *event,
          gpointer       user_data)
{
  Copier *c = user_data;

  g_ptr_array_add (c->batch, hl_event_copy (event));
  if (c->batch->len >= BATCH)
    flush (c);
  return TRUE;
}

/* Publishes @n threads into @subnet on @from (untimed), then times @to
 * checking and applying all of @from's events in batches, as the sync
 * engine does (on one core here). */
static double
ingest_rate (HlStore      *from,
             HlStore      *to,
             HlIdentity   *author,
             const guint8 *subnet,
             guint         n)
{
  g_autoptr(GError) error = NULL;
  Copier c = { to, g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free), 0, 0 };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"title\":\"Thread %u about the weekend\","
                                               "\"body\":\"Some words of thread %u, as a "
                                               "friend writes them.\"}", i, i);
      g_autoptr(HlEvent) event = hl_store_publish (from, author, HL_KIND_THREAD_CREATE, subnet,
                                                   body, &error);

      if (event == NULL)
        g_error ("%s", error->message);
    }
  if (!hl_store_foreach_event (from, 0, copy_one, &c, &error))
    g_error ("%s", error->message);
  flush (&c);
  g_ptr_array_unref (c.batch);
  return c.applied / (c.apply_us / 1e6);
}

/* One private.box's opening cost on this machine: decrypt its box, per
 * second on one core. */
static double
open_limit (const HlEvent *inner)
{
  guint8 key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  guint8 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
  gsize len = g_bytes_get_size (inner->canonical) + 64;
  g_autofree guint8 *plain = g_malloc0 (len);
  g_autofree guint8 *box = g_malloc (len + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long box_len, out_len;
  gint64 start, until;
  guint64 n = 0;

  randombytes_buf (key, sizeof key);
  randombytes_buf (nonce, sizeof nonce);
  crypto_aead_xchacha20poly1305_ietf_encrypt (box, &box_len, plain, len, NULL, 0, NULL, nonce, key);
  start = g_get_monotonic_time ();
  until = start + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      if (crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &out_len, NULL, box, box_len, NULL, 0,
                                                      nonce, key) != 0)
        g_error ("the probe does not open");
      n++;
    }
  return n / ((g_get_monotonic_time () - start) / 1e6);
}

/* Ed25519 checks of @event per second on one core. */
static double
verify_limit (const HlEvent *event)
{
  gint64 start = g_get_monotonic_time (), until = start + G_USEC_PER_SEC;
  guint64 n = 0;

  while (g_get_monotonic_time () < until)
    {
      if (!hl_event_signature_is_valid (event))
        g_error ("the probe does not verify");
      n++;
    }
  return n / ((g_get_monotonic_time () - start) / 1e6);
}

static double
seal_us (void)
{
  guint8 pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
  guint8 msg[64] = { 0 }, out[64 + crypto_box_SEALBYTES];
  gint64 start;
  guint n = 2000;

  crypto_box_keypair (pk, sk);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    crypto_box_seal (out, msg, sizeof msg, pk);
  return (double) (g_get_monotonic_time () - start) / n;
}

static gsize
wire_bytes (const HlEvent *event)
{
  gsize len = g_bytes_get_size (event->canonical);

  /* varint(L) + L + 64 (docs/protocol.md, "EVENTS frame") */
  return (len < 128 ? 1 : len < 16384 ? 2 : 3) + len + 64;
}

static GPtrArray *
device_keys (GPtrArray  *identities,
             HlIdentity *owner,
             guint       n)
{
  GPtrArray *keys = g_ptr_array_new ();

  g_ptr_array_add (keys, (gpointer) hl_identity_get_public_key (owner));
  while (identities->len < n)
    g_ptr_array_add (identities, hl_identity_new_random ());
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (keys, (gpointer) hl_identity_get_public_key (identities->pdata[i]));
  return keys;
}

static void
members_figures (HlStore    *store,
                 HlIdentity *owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_identity_free);
  g_autoptr(HlEvent) subnet = hl_store_private_create (store, owner, "Fifty", NULL, NULL, &error);
  g_autoptr(GPtrArray) fifty = device_keys (identities, owner, 49);
  g_autoptr(GPtrArray) fifty_one = device_keys (identities, owner, 50);
  g_autoptr(GPtrArray) devices = device_keys (identities, owner, 149);
  g_autoptr(HlEvent) start = NULL, added = NULL, removed = NULL, three = NULL;
  gint64 t0, t1, t2;
  double seal = seal_us ();

  if (subnet == NULL || !(start = hl_store_private_set_members (store, owner, subnet->id, fifty,
                                                                NULL, &error)))
    g_error ("%s", error->message);
  t0 = g_get_monotonic_time ();
  added = hl_store_private_set_members (store, owner, subnet->id, fifty_one, NULL, &error);
  t1 = g_get_monotonic_time ();
  removed = hl_store_private_set_members (store, owner, subnet->id, fifty, NULL, &error);
  t2 = g_get_monotonic_time ();
  if (added == NULL || removed == NULL)
    g_error ("%s", error->message);
  g_print ("50-member subnet (one device each):\n");
  g_print ("  add the 51st member:   %.1f ms, %" G_GSIZE_FORMAT " bytes on the wire (one private.epoch, 51 wraps)\n",
           (t1 - t0) / 1e3, wire_bytes (added));
  g_print ("  remove it again:       %.1f ms, %" G_GSIZE_FORMAT " bytes on the wire (50 wraps)\n",
           (t2 - t1) / 1e3, wire_bytes (removed));
  g_print ("  limit: 51 sealed boxes at %.1f us each = %.1f ms on one core\n", seal, 51 * seal / 1e3);

  t0 = g_get_monotonic_time ();
  three = hl_store_private_set_members (store, owner, subnet->id, devices, NULL, &error);
  t1 = g_get_monotonic_time ();
  if (three == NULL)
    g_error ("%s", error->message);
  g_print ("epoch change, 50 members x 3 devices (150 wraps):\n");
  g_print ("  private.epoch:         %" G_GSIZE_FORMAT " canonical bytes, %" G_GSIZE_FORMAT
           " on the wire, %.1f ms to make\n", g_bytes_get_size (three->canonical), wire_bytes (three),
           (t1 - t0) / 1e3);
  g_print ("  limit: one event is at most 65536 canonical bytes: %.0f %% of it "
           "(about %.0f bytes per device)\n",
           100.0 * g_bytes_get_size (three->canonical) / 65536,
           (double) g_bytes_get_size (three->canonical) / 150);
}

int
main (int    argc,
      char **argv)
{
  gint n = 100000;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &n, "Events to ingest into each subnet", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- private subnets' figures");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cmd = NULL;
  HlIdentity *owner, *member;
  HlStore *a, *b, *c, *d, *e, *f, *m;
  g_autoptr(HlEvent) private_subnet = NULL;
  g_autoptr(HlEvent) public_subnet = NULL;
  g_autoptr(HlEvent) second_subnet = NULL;
  g_autoptr(HlEvent) epoch = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(HlEvent) probe = NULL;
  double rate_private, rate_public, rate_public_after, limit, verify;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (sodium_init () < 0)
    g_error ("libsodium does not start");
  dir = g_dir_make_tmp ("hl-bench-private-XXXXXX", NULL);
  owner = hl_identity_new_random ();
  member = hl_identity_new_random ();
  a = open_store (dir, "owner-private.db", owner);
  b = open_store (dir, "member-private.db", member);
  c = open_store (dir, "owner-public.db", owner);
  d = open_store (dir, "member-public.db", member);
  e = open_store (dir, "owner-public-2.db", owner);
  f = open_store (dir, "member-public-2.db", member);

  private_subnet = hl_store_private_create (a, owner, "Family", NULL, NULL, &error);
  g_ptr_array_add (keys, (gpointer) hl_identity_get_public_key (member));
  if (private_subnet == NULL ||
      !(epoch = hl_store_private_set_members (a, owner, private_subnet->id, keys, NULL, &error)))
    g_error ("%s", error->message);
  public_subnet = hl_store_publish (c, owner, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Public\"}",
                                    &error);
  second_subnet = hl_store_publish (e, owner, HL_KIND_SUBNET_CREATE, NULL, "{\"name\":\"Public\"}",
                                    &error);
  if (public_subnet == NULL || second_subnet == NULL)
    g_error ("%s", error->message);

  g_print ("ingest of %d threads by a member's store (signature check + hl_store_apply_verified, batches of %d, one core):\n",
           n, BATCH);
  /* Public before and after: the machine is shared, its load changes; the
   * faster of the two is compared. */
  rate_public = ingest_rate (c, d, owner, public_subnet->id, n / 2);
  rate_private = ingest_rate (a, b, owner, private_subnet->id, n);
  rate_public_after = ingest_rate (e, f, owner, second_subnet->id, n / 2);
  g_print ("  public subnet, first and second half: %.0f and %.0f events/s\n", rate_public,
           rate_public_after);
  rate_public = MAX (rate_public, rate_public_after);
  if (hl_store_count_events (b) < (gint64) n)
    g_error ("the member opened fewer events than were sealed");
  probe = hl_store_publish (c, owner, HL_KIND_THREAD_CREATE, public_subnet->id,
                            "{\"title\":\"Thread 1 about the weekend\",\"body\":\"Some words of "
                            "thread 1, as a friend writes them.\"}", &error);
  limit = open_limit (probe);
  g_print ("  public subnet:         %.0f events/s\n", rate_public);
  g_print ("  private subnet:        %.0f events/s (%.0f %% of public; goal >= 90 %%)\n",
           rate_private, 100.0 * rate_private / rate_public);
  verify = verify_limit (probe);
  /* The bound is public ingest itself: a box pays its envelope's Ed25519
   * check as a public event does, and adds a decryption and a row. */
  g_print ("  limit: public ingest in this run, %.0f events/s; per event both pay one Ed25519 "
           "check (%.0f/s on one core, %.1f us); a box adds one decryption (%.0f/s, %.1f us) "
           "and its inner event's row\n", rate_public, verify, 1e6 / verify, limit, 1e6 / limit);

  m = open_store (dir, "members.db", owner);
  members_figures (m, owner);

  g_object_unref (a);
  g_object_unref (b);
  g_object_unref (c);
  g_object_unref (d);
  g_object_unref (e);
  g_object_unref (f);
  g_object_unref (m);
  hl_identity_free (owner);
  hl_identity_free (member);
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  return system (cmd) == 0 ? 0 : 1;
}
