/* test-private.c: private subnets' cryptography and store rules, in process:
 * wraps, tampering, keys that come late, and a removed member's post.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "hl-error.h"
#include "hl-store-archive.h"
#include "hl-store-privnet.h"
#include "hl-test-events.h"

typedef struct
{
  char    *dir;
  HlStore *owner;
  HlStore *member;
  HlIdentity *owner_id;
  HlIdentity *member_id;
} Fixture;

static HlStore *
open_store (Fixture    *f,
            const char *name,
            HlIdentity *identity)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  HlStore *store = hl_store_open (path, &error);

  g_assert_no_error (error);
  hl_store_set_identity (store, identity);
  return store;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->dir = g_dir_make_tmp ("hl-private-XXXXXX", NULL);
  f->owner_id = hl_test_identity (1);
  f->member_id = hl_test_identity (2);
  f->owner = open_store (f, "owner.db", f->owner_id);
  f->member = open_store (f, "member.db", f->member_id);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->owner);
  g_clear_object (&f->member);
  hl_identity_free (f->owner_id);
  hl_identity_free (f->member_id);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static gboolean
collect (const HlEvent *event,
         gpointer       user_data)
{
  g_ptr_array_add (user_data, hl_event_copy (event));
  return TRUE;
}

/* What @from would send a peer: its exported events (never the sealed ones). */
static GPtrArray *
exported (HlStore *from)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_event_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (hl_store_foreach_event (from, 0, collect, events, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    g_assert_true (g_str_has_prefix (((HlEvent *) events->pdata[i])->kind, "private.") ||
                   strcmp (((HlEvent *) events->pdata[i])->kind, HL_KIND_PROFILE) == 0);
  return events;
}

static void
apply (HlStore *to,
       HlEvent *event)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hl_store_apply_verified (to, &event, 1, NULL, &error));
  g_assert_no_error (error);
}

static void
apply_all (HlStore   *to,
           GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    apply (to, events->pdata[i]);
}

static HlEvent *
publish_thread (HlStore    *store,
                HlIdentity *identity,
                const guint8 *subnet,
                const char *title,
                GError    **error)
{
  g_autofree char *body = g_strdup_printf ("{\"title\":\"%s\",\"body\":\"text\"}", title);

  return hl_store_publish (store, identity, HL_KIND_THREAD_CREATE, subnet, body, error);
}

static GPtrArray *
one_key (HlIdentity *identity)
{
  GPtrArray *keys = g_ptr_array_new ();

  g_ptr_array_add (keys, (gpointer) hl_identity_get_public_key (identity));
  return keys;
}

/* Wraps open only for the device they were made for, and only with the
 * subnet and epoch they name. */
static void
test_wraps (void)
{
  g_autoptr(HlIdentity) alice = hl_test_identity (1);
  g_autoptr(HlIdentity) bob = hl_test_identity (2);
  g_autoptr(JsonArray) wraps = json_array_new ();
  g_autofree char *wrap = NULL;
  guint8 subnet[HL_ID_LEN] = { 7 }, other[HL_ID_LEN] = { 8 };
  HlPrivateKey key, out;

  hl_private_key_generate (&key);
  wrap = hl_private_wrap (&key, subnet, hl_identity_get_public_key (alice), NULL);
  g_assert_nonnull (wrap);
  json_array_add_string_element (wraps, "not base64 at all");
  json_array_add_string_element (wraps, wrap);
  g_assert_true (hl_private_unwrap_any (wraps, subnet, key.epoch, alice, &out));
  g_assert_cmpmem (out.key, sizeof out.key, key.key, sizeof key.key);
  g_assert_false (hl_private_unwrap_any (wraps, subnet, key.epoch, bob, &out));
  g_assert_false (hl_private_unwrap_any (wraps, other, key.epoch, alice, &out));
  g_assert_false (hl_private_unwrap_any (wraps, subnet, other, alice, &out));
}

static JsonObject *
sealed_object (const HlPrivateKey *key,
               const guint8       *subnet,
               const guint8       *author,
               const char         *plain)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  hl_private_add_sealed (builder, key, subnet, author, (const guint8 *) plain, strlen (plain));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_object_ref (json_node_get_object (root));
}

/* A wrong key, a flipped byte, another author or subnet: each refused with
 * its reason. */
static void
test_tampering (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *box = NULL;
  guint8 subnet[HL_ID_LEN] = { 1 }, author[HL_KEY_LEN] = { 2 }, stranger[HL_KEY_LEN] = { 3 };
  HlPrivateKey key, wrong;

  hl_private_key_generate (&key);
  hl_private_key_generate (&wrong);
  body = sealed_object (&key, subnet, author, "secret");
  plain = hl_private_open_sealed (body, &key, subnet, author, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), "secret", 6);

  g_assert_null (hl_private_open_sealed (body, &wrong, subnet, author, &error));
  g_assert_true (g_str_has_suffix (error->message, "[private-wrong-epoch]"));
  g_clear_error (&error);
  g_assert_null (hl_private_open_sealed (body, &key, subnet, stranger, &error));
  g_assert_true (g_str_has_suffix (error->message, "[private-decrypt-failed]"));
  g_clear_error (&error);

  box = g_strdup (json_object_get_string_member (body, "box"));
  box[2] = box[2] == 'A' ? 'B' : 'A';
  json_object_set_string_member (body, "box", box);
  g_assert_null (hl_private_open_sealed (body, &key, subnet, author, &error));
  g_assert_true (g_str_has_suffix (error->message, "[private-decrypt-failed]"));
  g_clear_error (&error);

  json_object_remove_member (body, "epoch");
  g_assert_null (hl_private_open_sealed (body, &key, subnet, author, &error));
  g_assert_true (g_str_has_suffix (error->message, "[private-malformed]"));
}

static gboolean
has (HlStore      *store,
     const guint8 *id)
{
  return hl_store_has_event (store, id);
}

/* Boxes that arrive before their key wait, stored, and open when it comes;
 * nothing sealed leaves a member's store. */
static void
test_late_key (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) subnet = NULL;
  g_autoptr(HlEvent) thread = NULL;
  g_autoptr(HlEvent) epoch = NULL;
  g_autoptr(GPtrArray) members = one_key (f->member_id);
  g_autoptr(GPtrArray) events = NULL;

  subnet = hl_store_private_create (f->owner, f->owner_id, "Family", NULL, "tag:hl-family",
                                    &error);
  g_assert_no_error (error);
  thread = publish_thread (f->owner, f->owner_id, subnet->id, "Before the member", &error);
  g_assert_no_error (error);
  epoch = hl_store_private_set_members (f->owner, f->owner_id, subnet->id, members, NULL, &error);
  g_assert_no_error (error);

  events = exported (f->owner);
  /* Backwards: the epoch that holds the member's wrap comes last. */
  for (guint i = events->len; i-- > 0;)
    {
      HlEvent *event = events->pdata[i];

      if (strcmp (event->kind, HL_KIND_PRIVATE_EPOCH) == 0)
        continue;
      apply (f->member, event);
    }
  g_assert_false (has (f->member, thread->id));
  g_assert_false (has (f->member, subnet->id));
  apply (f->member, epoch);
  /* The past key in the epoch opens the history from before the member. */
  g_assert_true (has (f->member, subnet->id));
  g_assert_true (has (f->member, thread->id));
}

/* A member removed, who has not heard of it yet, posts under the old key:
 * the members who have refuse to open it; the envelope is kept. */
static void
test_removed_member_post (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) subnet = NULL;
  g_autoptr(HlEvent) added = NULL;
  g_autoptr(HlEvent) removed = NULL;
  g_autoptr(HlEvent) late = NULL;
  g_autoptr(HlEvent) after = NULL;
  g_autoptr(GPtrArray) members = one_key (f->member_id);
  g_autoptr(GPtrArray) nobody = g_ptr_array_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) back = NULL;
  guint before;

  subnet = hl_store_private_create (f->owner, f->owner_id, "Band", NULL, NULL, &error);
  g_assert_no_error (error);
  added = hl_store_private_set_members (f->owner, f->owner_id, subnet->id, members, NULL, &error);
  g_assert_no_error (error);
  events = exported (f->owner);
  apply_all (f->member, events);
  g_assert_true (has (f->member, subnet->id));

  removed = hl_store_private_set_members (f->owner, f->owner_id, subnet->id, nobody, NULL, &error);
  g_assert_no_error (error);
  g_usleep (2000);   /* the member's clock reads later than the removal */
  late = publish_thread (f->member, f->member_id, subnet->id, "Sneaking in", &error);
  g_assert_no_error (error);

  back = exported (f->member);
  before = (guint) hl_store_count_events (f->owner);
  apply_all (f->owner, back);
  g_assert_false (has (f->owner, late->id));
  /* The envelope itself is stored (and relayed): one more event. */
  g_assert_cmpint (hl_store_count_events (f->owner), ==, before + 1);

  /* Once the member has the removal, it cannot post at all. */
  apply (f->member, removed);
  after = publish_thread (f->member, f->member_id, subnet->id, "Again", &error);
  g_assert_null (after);
  g_assert_true (g_str_has_suffix (error->message, "[private-not-member]"));
}

/* A third device opens a removed member's box before it hears of the
 * removal, ordered before the box: once the removal arrives, the box is
 * closed again and its thread is gone there, as on devices that had the
 * removal first. */
static void
test_stale_box_closed (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlIdentity) third_id = hl_test_identity (3);
  g_autoptr(HlStore) third = open_store (f, "third.db", third_id);
  g_autoptr(HlEvent) subnet = NULL;
  g_autoptr(HlEvent) both = NULL;
  g_autoptr(HlEvent) removal = NULL;
  g_autoptr(HlEvent) late = NULL;
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(GPtrArray) third_only = one_key (third_id);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) back = NULL;

  g_ptr_array_add (members, (gpointer) hl_identity_get_public_key (f->member_id));
  g_ptr_array_add (members, (gpointer) hl_identity_get_public_key (third_id));
  subnet = hl_store_private_create (f->owner, f->owner_id, "Trio", NULL, NULL, &error);
  g_assert_no_error (error);
  both = hl_store_private_set_members (f->owner, f->owner_id, subnet->id, members, NULL, &error);
  g_assert_no_error (error);
  events = exported (f->owner);
  apply_all (f->member, events);
  apply_all (third, events);
  g_assert_true (has (third, subnet->id));

  removal = hl_store_private_set_members (f->owner, f->owner_id, subnet->id, third_only, NULL,
                                          &error);
  g_assert_no_error (error);
  g_usleep (2000);   /* the box is ordered after the removal */
  late = publish_thread (f->member, f->member_id, subnet->id, "Before they tell me", &error);
  g_assert_no_error (error);
  back = exported (f->member);
  apply_all (third, back);
  g_assert_true (has (third, late->id));   /* opened: the removal is not here yet */

  apply (third, removal);
  g_assert_false (has (third, late->id));
  /* The envelope stays, and stays closed when it comes again. */
  apply_all (third, back);
  g_assert_false (has (third, late->id));
}

static void
count_range (const guint8 *subnet,
             guint         year,
             guint         month,
             guint64       n_events,
             guint64       bytes,
             gpointer      user_data)
{
  GPtrArray *subnets = user_data;

  g_ptr_array_add (subnets, g_memdup2 (subnet, HL_ID_LEN));
}

static gboolean
ranges_name (HlStore      *store,
             const guint8 *subnet)
{
  g_autoptr(GPtrArray) subnets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (hl_store_archive_foreach_range (store, count_range, subnets, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < subnets->len; i++)
    if (memcmp (subnets->pdata[i], subnet, HL_ID_LEN) == 0)
      return TRUE;
  return FALSE;
}

/* A private subnet's envelopes make archive ranges on every device, member
 * or not (its boxes as they travel; tests/archive/test-archive-private.c
 * seals and restores them), like a public subnet's events. */
static void
test_archived_range (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(HlEvent) subnet = NULL;
  g_autoptr(HlEvent) thread = NULL;
  g_autoptr(HlEvent) open = NULL;
  g_autoptr(HlEvent) open_thread = NULL;

  subnet = hl_store_private_create (f->owner, f->owner_id, "Family", NULL, NULL, &error);
  g_assert_no_error (error);
  thread = publish_thread (f->owner, f->owner_id, subnet->id, "Private", &error);
  g_assert_no_error (error);
  g_assert_true (has (f->owner, thread->id));
  events = exported (f->owner);
  open = hl_store_publish (f->owner, f->owner_id, HL_KIND_SUBNET_CREATE, NULL,
                           "{\"name\":\"Public\"}", &error);
  g_assert_no_error (error);
  open_thread = publish_thread (f->owner, f->owner_id, open->id, "Public", &error);
  g_assert_no_error (error);
  g_assert_true (ranges_name (f->owner, open->id));
  g_assert_true (ranges_name (f->owner, subnet->id));
  /* f->member is no member: it holds the envelopes only. */
  apply_all (f->member, events);
  g_assert_false (has (f->member, thread->id));
  g_assert_true (ranges_name (f->member, subnet->id));
}

static gboolean
is_member (HlStore      *store,
           const guint8 *subnet,
           HlIdentity   *who)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (hl_store_private_members (store, subnet, &members, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < members->len; i++)
    if (memcmp (members->pdata[i], hl_identity_get_public_key (who), HL_KEY_LEN) == 0)
      return TRUE;
  return FALSE;
}

/* A plain member cannot change the list: the store refuses to publish an
 * epoch every device would ignore, with the reason, and nothing is added;
 * once the owner names it admin, it adds a third member (keeping the owner,
 * which an admin may not leave out), and the owner sees the third. */
static void
test_not_admin_refused (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) subnet = NULL;
  g_autoptr(HlEvent) added = NULL;
  g_autoptr(HlEvent) refused = NULL;
  g_autoptr(HlEvent) named = NULL;
  g_autoptr(HlEvent) by_admin = NULL;
  g_autoptr(GPtrArray) members = one_key (f->member_id);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autoptr(HlIdentity) third = hl_test_identity (3);
  g_autoptr(GPtrArray) with_third = one_key (f->member_id);
  gint64 before;

  subnet = hl_store_private_create (f->owner, f->owner_id, "Band", NULL, NULL, &error);
  g_assert_no_error (error);
  added = hl_store_private_set_members (f->owner, f->owner_id, subnet->id, members, NULL, &error);
  g_assert_no_error (error);
  events = exported (f->owner);
  apply_all (f->member, events);

  g_ptr_array_add (with_third, (gpointer) hl_identity_get_public_key (third));
  before = hl_store_count_events (f->member);
  refused = hl_store_private_set_members (f->member, f->member_id, subnet->id, with_third, NULL,
                                          &error);
  g_assert_null (refused);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION);
  g_assert_true (g_str_has_suffix (error->message, "[private-not-admin]"));
  g_clear_error (&error);
  g_assert_cmpint (hl_store_count_events (f->member), ==, before);

  named = hl_store_private_set_members (f->owner, f->owner_id, subnet->id, members, members,
                                        &error);
  g_assert_no_error (error);
  apply (f->member, named);
  /* An admin may not leave the owner out: it would lose the key for good. */
  refused = hl_store_private_set_members (f->member, f->member_id, subnet->id, with_third, NULL,
                                          &error);
  g_assert_null (refused);
  g_assert_true (g_str_has_suffix (error->message, "[private-remove-owner]"));
  g_clear_error (&error);
  g_ptr_array_add (with_third, (gpointer) hl_identity_get_public_key (f->owner_id));
  by_admin = hl_store_private_set_members (f->member, f->member_id, subnet->id, with_third, NULL,
                                           &error);
  g_assert_no_error (error);
  g_assert_nonnull (by_admin);
  more = exported (f->member);
  apply_all (f->owner, more);
  g_assert_true (is_member (f->owner, subnet->id, third));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/private/wraps", test_wraps);
  g_test_add_func ("/private/tampering", test_tampering);
  g_test_add ("/private/late-key", Fixture, NULL, fixture_set_up, test_late_key,
              fixture_tear_down);
  g_test_add ("/private/removed-member-post", Fixture, NULL, fixture_set_up,
              test_removed_member_post, fixture_tear_down);
  g_test_add ("/private/stale-box-closed", Fixture, NULL, fixture_set_up, test_stale_box_closed,
              fixture_tear_down);
  g_test_add ("/private/not-admin-refused", Fixture, NULL, fixture_set_up,
              test_not_admin_refused, fixture_tear_down);
  g_test_add ("/private/archived-range", Fixture, NULL, fixture_set_up, test_archived_range,
              fixture_tear_down);
  return g_test_run ();
}
