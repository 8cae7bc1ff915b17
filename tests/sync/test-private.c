/* test-private.c: private subnets across real nodes: an owner and a member
 * that meet only through a bootstrap node that is no member, removal, and
 * the Tailscale policy snippet.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-paths.h"
#include "hl-test-node.h"

#define SECRET_TITLE "Surprise party plans"
#define SECRET_BODY  "cake-on-friday-7f3a"
#define LATER_BODY   "after-bob-left-91c2"

static char *
node_key (HlTestNode *node)
{
  g_autofree char *out = hl_test_node_ctl (node, "whoami", NULL);
  g_autoptr(GRegex) hex = g_regex_new ("[0-9a-f]{64}", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_assert_true (g_regex_match (hex, out, 0, &match));
  return g_match_info_fetch (match, 0);
}

static char *
first_line (char *text)
{
  g_strchomp (text);
  return text;
}

static gboolean
bytes_hold (const char *data,
            gsize       len,
            const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the bytes of the node's database files hold @needle anywhere. */
static gboolean
files_hold (HlTestNode *node,
            const char *needle)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *db = hl_paths_database (node->data_dir);
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &data, &len, NULL) &&
          bytes_hold (data, len, needle))
        return TRUE;
    }
  return FALSE;
}

static guint
export_lines (HlTestNode *node)
{
  g_autofree char *out = hl_test_node_ctl (node, "export", NULL);
  guint n = 0;

  for (const char *p = out; (p = strchr (p, '\n')) != NULL; p++)
    n++;
  return n;
}

typedef struct
{
  HlTestNode *source;
} SameExport;

static gboolean
holds_all_of (HlTestNode *node,
              gpointer    user_data)
{
  SameExport *same = user_data;

  return export_lines (node) == export_lines (same->source);
}

static void
test_members_relay_remove (void)
{
  g_autoptr(HlTestNode) owner = hl_test_node_new ("owner");
  g_autoptr(HlTestNode) member = hl_test_node_new ("member");
  g_autoptr(HlTestNode) relay = hl_test_node_new ("relay");
  g_autofree char *member_key = node_key (member);
  g_autofree char *subnet = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *later = NULL;
  g_autofree char *list = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  SameExport same = { owner };

  /* The owner and the member only ever meet the relay. */
  hl_test_node_start (relay);
  hl_test_node_add_peer (owner, relay);
  hl_test_node_add_peer (member, relay);
  hl_test_node_start (owner);
  hl_test_node_start (member);

  /* No tag: the relay is no tailnet machine, and a zone's envelopes go only
   * to peers carrying its tag (test-zones). */
  subnet = first_line (hl_test_node_ctl (owner, "subnet", "create", "--private", "Family",
                                         NULL));
  g_test_message ("private subnet %s", subnet);
  g_free (hl_test_node_ctl (owner, "member", "add", subnet, member_key, NULL));
  thread = first_line (hl_test_node_ctl (owner, "thread", "create", subnet, "--title",
                                         SECRET_TITLE, "--body", SECRET_BODY, NULL));

  /* The member reads it, as any subnet. */
  g_assert_true (hl_test_wait_has (member, thread, 60));
  list = hl_test_node_ctl (member, "subnet", "list", NULL);
  g_assert_nonnull (strstr (list, "Family"));
  g_clear_pointer (&list, g_free);
  list = hl_test_node_ctl (member, "thread", "show", thread, NULL);
  g_assert_nonnull (strstr (list, SECRET_BODY));
  g_clear_pointer (&list, g_free);

  /* The relay carried every envelope and reads none of them. */
  g_assert_true (hl_test_wait_for (relay, holds_all_of, &same, 60));
  g_assert_false (hl_test_node_has (relay, subnet));
  g_assert_false (hl_test_node_has (relay, thread));
  list = hl_test_node_ctl (relay, "subnet", "list", NULL);
  g_assert_null (strstr (list, "Family"));
  g_clear_pointer (&list, g_free);
  list = hl_test_node_ctl (relay, "search", "cake", NULL);
  g_assert_null (strstr (list, SECRET_TITLE));
  g_clear_pointer (&list, g_free);
  g_assert_true (files_hold (member, SECRET_BODY));     /* the probe itself works */
  g_assert_false (files_hold (relay, SECRET_BODY));
  g_assert_false (files_hold (relay, SECRET_TITLE));
  g_assert_false (files_hold (relay, "Family"));

  /* Removal: what is posted afterwards reaches the member's device and
   * stays ciphertext there. */
  g_free (hl_test_node_ctl (owner, "member", "remove", subnet, member_key, NULL));
  later = first_line (hl_test_node_ctl (owner, "thread", "create", subnet, "--title", "Later",
                                        "--body", LATER_BODY, NULL));
  same.source = owner;
  g_assert_true (hl_test_wait_for (member, holds_all_of, &same, 60));
  g_assert_false (hl_test_node_has (member, later));
  g_assert_false (files_hold (member, LATER_BODY));
  g_assert_true (hl_test_node_has (member, thread));   /* what it had, it keeps */

  /* And the removed member cannot post into it any more. */
  g_assert_cmpint (hl_test_node_ctl_full (member, &out, &err, "thread", "create", subnet,
                                          "--title", "Still here?", "--body", "x", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[private-not-member]"));

  hl_test_node_stop (owner);
  hl_test_node_stop (member);
  hl_test_node_stop (relay);
}

/* HuJSON to JSON: comments and trailing commas go (no string in the
 * snippet holds // or a comma before a bracket). */
static char *
strip_hujson (const char *text)
{
  g_autoptr(GRegex) comments = g_regex_new ("//[^\n]*", 0, 0, NULL);
  g_autoptr(GRegex) commas = g_regex_new (",(\\s*[\\]}])", 0, 0, NULL);
  g_autofree char *plain = g_regex_replace (comments, text, -1, 0, "", 0, NULL);

  return g_regex_replace (commas, plain, -1, 0, "\\1", 0, NULL);
}

static void
check_port (const char *dst,
            const char *port)
{
  const char *colon = strrchr (dst, ':');

  g_assert_nonnull (colon);
  g_assert_cmpstr (colon + 1, ==, port);
}

static void
check_tag_owned (JsonObject *owners,
                 const char *tag)
{
  g_assert_true (g_str_has_prefix (tag, "tag:"));
  g_assert_true (json_object_has_member (owners, tag));
}

static char *
dst_tag (const char *dst)
{
  return g_strndup (dst, strrchr (dst, ':') - dst);
}

static void
test_acl_snippet (void)
{
  g_autoptr(HlTestNode) owner = hl_test_node_new ("owner");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *snippet = NULL;
  g_autofree char *json = NULL;
  JsonObject *root, *owners;
  JsonArray *acls, *tests;
  guint accepts = 0, denies = 0;

  g_free (hl_test_node_ctl (owner, "subnet", "create", "--private", "--tag", "tag:hl-family",
                            "Family", NULL));
  g_free (hl_test_node_ctl (owner, "subnet", "create", "--private", "--tag", "tag:hl-band",
                            "The band", NULL));
  g_free (hl_test_node_ctl (owner, "subnet", "create", "--private", "Unbound", NULL));
  snippet = hl_test_node_ctl (owner, "acl", "--port", "9555", NULL);
  json = strip_hujson (snippet);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  owners = json_object_get_object_member (root, "tagOwners");
  g_assert_true (json_object_has_member (owners, "tag:hl-family"));
  g_assert_true (json_object_has_member (owners, "tag:hl-band"));

  acls = json_object_get_array_member (root, "acls");
  g_assert_cmpuint (json_array_get_length (acls), ==, 2);    /* one rule per zone */
  for (guint i = 0; i < json_array_get_length (acls); i++)
    {
      JsonObject *rule = json_array_get_object_element (acls, i);
      JsonArray *src = json_object_get_array_member (rule, "src");
      JsonArray *dst = json_object_get_array_member (rule, "dst");

      g_assert_cmpstr (json_object_get_string_member (rule, "action"), ==, "accept");
      for (guint j = 0; j < json_array_get_length (src); j++)
        check_tag_owned (owners, json_array_get_string_element (src, j));
      for (guint j = 0; j < json_array_get_length (dst); j++)
        {
          g_autofree char *tag = dst_tag (json_array_get_string_element (dst, j));

          check_port (json_array_get_string_element (dst, j), "9555");
          check_tag_owned (owners, tag);
          /* Exactly the zone's devices reach the zone's devices. */
          g_assert_cmpstr (tag, ==, json_array_get_string_element (src, 0));
        }
    }

  tests = json_object_get_array_member (root, "tests");
  for (guint i = 0; i < json_array_get_length (tests); i++)
    {
      JsonObject *test = json_array_get_object_element (tests, i);
      const char *which = json_object_has_member (test, "accept") ? "accept" : "deny";
      JsonArray *dst = json_object_get_array_member (test, which);

      check_tag_owned (owners, json_object_get_string_member (test, "src"));
      for (guint j = 0; j < json_array_get_length (dst); j++)
        {
          g_autofree char *tag = dst_tag (json_array_get_string_element (dst, j));

          check_port (json_array_get_string_element (dst, j), "9555");
          check_tag_owned (owners, tag);
        }
      if (strcmp (which, "accept") == 0)
        accepts++;
      else
        denies++;
    }
  g_assert_cmpuint (accepts, ==, 2);
  g_assert_cmpuint (denies, >=, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/private/members-relay-remove", test_members_relay_remove);
  g_test_add_func ("/sync/private/acl-snippet", test_acl_snippet);
  return g_test_run ();
}
