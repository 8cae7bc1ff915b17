/* test-zones.c: a private subnet bound to a tailnet tag (a zone) across real
 * hyperlinkd processes in network namespaces, each machine with its own
 * stand-in tailscaled: the tagged peer gets the zone, the untagged one never
 * gets any of its envelopes, even when it asks for them by id.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-identity.h"
#include "hl-paths.h"
#include "hl-store-sync.h"
#include "hl-sync-wire.h"
#include "hl-test-fakets.h"
#include "hl-test-netns.h"
#include "hl-test-node.h"
#include "hl-test-raw.h"

#define ZONE_TAG     "tag:hl-family"
#define SECRET_TITLE "Grandma's birthday"

typedef struct
{
  const char *name;
  const char *ip;
  const char *tag;    /* NULL: untagged */
} Machine;

static const Machine machines[] = {
  { "alpha", "100.64.0.1", ZONE_TAG },   /* the zone's owner */
  { "beta", "100.64.0.2", ZONE_TAG },    /* a member, tagged */
  { "gamma", "100.64.0.3", NULL },       /* a member too, but untagged */
};

/* Machine @me's tailscaled: itself and the others, with their tags. */
static FakeTs *
tailnet_of (guint me)
{
  FakeTs *ts = fake_new ("Running");

  fake_machine (ts, "self", machines[me].name, machines[me].ip, "alice@example.com",
                "alice.example");
  for (guint i = 0; i < G_N_ELEMENTS (machines); i++)
    if (i != me)
      {
        g_autofree char *group = g_strconcat ("peer ", machines[i].name, NULL);

        fake_machine (ts, group, machines[i].name, machines[i].ip, "alice@example.com",
                      "alice.example");
        g_key_file_set_boolean (ts->keys, group, "Online", TRUE);
        if (machines[i].tag != NULL)
          g_key_file_set_string (ts->keys, group, "Tags", machines[i].tag);
      }
  return ts;
}

static char *
node_key (HlTestNode *node)
{
  g_autoptr(JsonNode) status = hl_test_node_status (node);

  return g_strdup (json_object_get_string_member (json_node_get_object (status), "node"));
}

static char *
first_line (char *text)
{
  g_strchomp (text);
  return text;
}

/* The ids of the envelopes (private.*) @node holds, from its export. */
static GPtrArray *
envelope_ids (HlTestNode *node)
{
  g_autofree char *out = hl_test_node_ctl (node, "export", NULL);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *event;

      if (*lines[i] == '\0' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      event = json_node_get_object (json_parser_get_root (parser));
      if (g_str_has_prefix (json_object_get_string_member_with_default (event, "kind", ""),
                            "private."))
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (event, "id")));
    }
  return ids;
}

typedef struct
{
  HlTestNode *source;
} SameEnvelopes;

static gboolean
holds_envelopes_of (HlTestNode *node,
                    gpointer    user_data)
{
  SameEnvelopes *same = user_data;
  g_autoptr(GPtrArray) mine = envelope_ids (node);
  g_autoptr(GPtrArray) theirs = envelope_ids (same->source);

  return mine->len == theirs->len;
}

/* The untagged machine asks the owner for each envelope by id, as a peer
 * that knows the ids (from a log, a former tag) would: every one is gone. */
static void
ask_for_envelopes (HlTestNode *owner,
                   const char *gamma_ns,
                   GPtrArray  *ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = hl_test_connect_in (gamma_ns, machines[2].ip,
                                                  machines[0].ip, 9473, &error);
  g_autoptr(HlTestRaw) raw = NULL;
  g_autoptr(HlIdentity) stranger = hl_identity_new_random ();
  g_autoptr(GString) want = g_string_new ("{\"type\":\"want\",\"ids\":[");
  g_autoptr(JsonObject) gone = NULL;
  JsonArray *gone_ids;

  g_assert_no_error (error);
  raw = hl_test_raw_new (g_steal_pointer (&socket));
  hl_test_raw_upgrade (raw);
  hl_test_raw_handshake (raw, stranger);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (want, "%s\"%s\"", i ? "," : "", (char *) g_ptr_array_index (ids, i));
  g_string_append (want, "]}");
  hl_test_raw_text (raw, want->str);
  gone = hl_test_raw_wait_type (raw, "gone", 20);
  g_assert_nonnull (gone);
  gone_ids = json_object_get_array_member (gone, "ids");
  g_assert_cmpuint (json_array_get_length (gone_ids), ==, ids->len);
  g_assert_true (hl_test_node_log_has (owner, "Tailscale vouches for 100.64.0.3"));
}

static gboolean
contains (GPtrArray  *ids,
          const char *id)
{
  return g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL);
}

static gboolean
holds_envelope (HlTestNode *node,
                gpointer    user_data)
{
  g_autoptr(GPtrArray) ids = envelope_ids (node);

  return contains (ids, user_data);
}

static gboolean
log_says (HlTestNode *node,
          gpointer    user_data)
{
  return hl_test_node_log_has (node, user_data);
}

static gboolean
put_raw (const guint8 *id,
         guint64       ts,
         const guint8 *raw,
         gsize         raw_len,
         const guint8 *sig,
         gpointer      user_data)
{
  hl_sync_put_event (user_data, raw, raw_len, sig);
  return TRUE;
}

/* An EVENTS frame holding @node's event @id_hex, read from its database. */
static GByteArray *
events_frame (HlTestNode *node,
              const char *id_hex)
{
  g_autofree char *db = hl_paths_database (node->data_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlStore) store = hl_store_open_readonly (db, &error);
  GByteArray *frame = g_byte_array_new ();
  guint8 type = HL_SYNC_FRAME_EVENTS, id[HL_ID_LEN];
  gboolean known = FALSE;

  g_assert_no_error (error);
  g_assert_true (hl_hex_decode (id_hex, id, HL_ID_LEN));
  g_byte_array_append (frame, &type, 1);
  g_assert_true (hl_store_sync_get_raw (store, id, put_raw, frame, &known, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (frame->len, >, 1);
  return frame;
}

/* The untagged machine pushes a zone's envelope the tagged member lacks:
 * refused, as the member's log says; the same envelope from the tagged owner
 * is taken. */
static void
push_envelope (HlTestNode **nodes,
               const char  *gamma_ns,
               const char  *subnet)
{
  g_autoptr(GPtrArray) before = envelope_ids (nodes[0]);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GByteArray) frame = NULL;
  g_autoptr(HlIdentity) stranger = hl_identity_new_random ();
  g_autoptr(HlTestRaw) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *thread = NULL;
  g_autoptr(GPtrArray) beta_ids = NULL;
  const char *box = NULL;
  GSocket *socket;

  hl_test_node_stop (nodes[1]);
  thread = hl_test_node_ctl (nodes[0], "thread", "create", subnet, "--title", "While beta was off",
                             "--body", "pushed", NULL);
  after = envelope_ids (nodes[0]);
  for (guint i = 0; i < after->len && box == NULL; i++)
    if (!contains (before, after->pdata[i]))
      box = after->pdata[i];
  g_assert_nonnull (box);
  /* The owner is away: beta can have the box only from gamma's machine. */
  hl_test_node_stop (nodes[0]);
  frame = events_frame (nodes[0], box);
  hl_test_node_start (nodes[1]);

  socket = hl_test_connect_in (gamma_ns, machines[2].ip, machines[1].ip, 9473, &error);
  g_assert_no_error (error);
  raw = hl_test_raw_new (socket);
  hl_test_raw_upgrade (raw);
  hl_test_raw_handshake (raw, stranger);
  hl_test_raw_frame (raw, 0x82, frame->data, frame->len);
  g_assert_true (hl_test_wait_for (nodes[1], log_says,
                                   (gpointer) "private-zone (its tailnet identity lacks", 20));
  beta_ids = envelope_ids (nodes[1]);
  g_assert_false (contains (beta_ids, box));

  hl_test_node_start (nodes[0]);
  g_assert_true (hl_test_wait_for (nodes[1], holds_envelope, (gpointer) box, 30));
}

static void
test_zone (void)
{
  g_autoptr(HlTestNet) net = hl_test_net_new_or_skip ();
  FakeTs *ts[3];
  HlTestNode *nodes[3];
  const char *ns[3];
  g_autofree char *subnet = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *public_post = NULL;
  g_autoptr(GPtrArray) owner_ids = NULL;
  g_autoptr(GPtrArray) gamma_ids = NULL;
  SameEnvelopes same;

  if (net == NULL)
    return;
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *address = g_strdup_printf ("%s/24", machines[i].ip);
      ns[i] = hl_test_net_add (net, machines[i].name, address);
      ts[i] = tailnet_of (i);
      fake_start (ts[i]);
      nodes[i] = hl_test_node_new_in (machines[i].name, ns[i], ts[i]->socket);
    }
  for (guint i = 0; i < 3; i++)
    hl_test_node_start (nodes[i]);
  g_assert_true (hl_test_wait_converged (nodes, 3, 30));

  /* Gamma is even made a member: the network keeps the zone from it all the
   * same. */
  subnet = first_line (hl_test_node_ctl (nodes[0], "subnet", "create", "--private", "--tag",
                                         ZONE_TAG, "Family", NULL));
  for (guint i = 1; i < 3; i++)
    {
      g_autofree char *key = node_key (nodes[i]);

      g_free (hl_test_node_ctl (nodes[0], "member", "add", subnet, key, NULL));
    }
  thread = first_line (hl_test_node_ctl (nodes[0], "thread", "create", subnet, "--title",
                                         SECRET_TITLE, "--body", "at noon", NULL));
  public_post = hl_test_node_post (nodes[0], "a public post after the zone's");

  /* The tagged member reads it; the untagged one gets the public post only. */
  g_assert_true (hl_test_wait_has (nodes[1], thread, 60));
  same.source = nodes[0];
  g_assert_true (hl_test_wait_for (nodes[1], holds_envelopes_of, &same, 60));
  g_assert_true (hl_test_wait_has (nodes[2], public_post, 60));
  g_assert_true (hl_test_wait_in_sync (nodes[2], 2, 30));
  owner_ids = envelope_ids (nodes[0]);
  gamma_ids = envelope_ids (nodes[2]);
  g_assert_cmpuint (owner_ids->len, >=, 4);   /* create, two epochs, the thread's box */
  g_assert_cmpuint (gamma_ids->len, ==, 0);
  g_assert_false (hl_test_node_has (nodes[2], thread));

  ask_for_envelopes (nodes[0], ns[2], owner_ids);
  push_envelope (nodes, ns[2], subnet);
  g_clear_pointer (&gamma_ids, g_ptr_array_unref);
  gamma_ids = envelope_ids (nodes[2]);
  g_assert_cmpuint (gamma_ids->len, ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      hl_test_node_stop (nodes[i]);
      hl_test_node_free (nodes[i]);
      fake_free (ts[i]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/zones/tagged-only", test_zone);
  return g_test_run ();
}
