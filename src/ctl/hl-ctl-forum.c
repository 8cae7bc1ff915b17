/* hl-ctl-forum.c: subnets, threads, replies and moderation from the shell.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"

#include "hl-error.h"

static int
print_rows (HlCtl      *ctl,
            GPtrArray  *rows,
            JsonNode *(*to_json) (gconstpointer row),
            void      (*print) (gconstpointer row),
            const char *empty)
{
  if (ctl->json)
    {
      g_autoptr(JsonArray) array = json_array_sized_new (rows->len);
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < rows->len; i++)
        json_array_add_element (array, to_json (g_ptr_array_index (rows, i)));
      json_node_set_array (root, array);
      hl_ctl_print_json (root);
      return HL_CTL_EXIT_OK;
    }
  if (rows->len == 0)
    g_print ("%s\n", empty);
  for (guint i = 0; i < rows->len; i++)
    print (g_ptr_array_index (rows, i));
  return HL_CTL_EXIT_OK;
}

static void
print_subnet (gconstpointer data)
{
  const HlSubnetRow *row = data;
  g_autofree char *id = hl_ctl_short_id (row->id);
  g_autofree char *owner = hl_ctl_author_label (row->owner, row->owner_name);

  g_print ("%s  %s · %u %s · owner %s\n", id, row->name, row->thread_count,
           row->thread_count == 1 ? "thread" : "threads", owner);
  if (row->description != NULL && *row->description != '\0')
    g_print ("              %s\n", row->description);
}

static void
print_thread_line (gconstpointer data)
{
  hl_ctl_print_post (data, FALSE);
}

static int
subnet_create (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonBuilder) body = NULL;
  g_autofree char *description = NULL;
  GOptionEntry entries[] = {
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, "What the subnet is about", "TEXT" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, "NAME [--description TEXT]", "Create a subnet; prints its id.",
                     entries, &argc, &argv, 1, 1))
    return HL_CTL_EXIT_USAGE;
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "name", argv[1]);
  hl_ctl_body_add (body, "description", description);
  return hl_ctl_publish (ctl, HL_KIND_SUBNET_CREATE, NULL, body, "create the subnet");
}

static int
subnet_update (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonBuilder) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  guint8 id[HL_ID_LEN];
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "New name", "NAME" },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, "New description", "TEXT" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, "SUBNET [--name NAME] [--description TEXT]",
                     "Rename a subnet you own or change its description.",
                     entries, &argc, &argv, 1, 1))
    return HL_CTL_EXIT_USAGE;
  if (name == NULL && description == NULL)
    return hl_ctl_usage_error (ctl, "subnet update needs --name or --description");
  if (!hl_ctl_resolve (ctl, argv[1], id, &error))
    return hl_ctl_fail (ctl, error);
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "name", name);
  hl_ctl_body_add (body, "description", description);
  return hl_ctl_publish (ctl, HL_KIND_SUBNET_UPDATE, id, body, "update the subnet");
}

static int
subnet_list (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  HlStore *store;

  if (!hl_ctl_parse (ctl, "", "List the subnets.", NULL, &argc, &argv, 0, 0))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)) || !(rows = hl_store_list_subnets (store, &error)))
    return hl_ctl_fail (ctl, error);
  return print_rows (ctl, rows, (gpointer) hl_ctl_subnet_to_json, print_subnet,
                     "No subnets yet. Create one with: hyperlinkctl subnet create NAME");
}

int
hl_ctl_cmd_subnet (HlCtl *ctl, int argc, char **argv)
{
  const char *sub = argc >= 2 ? argv[1] : NULL;

  if (g_strcmp0 (sub, "create") == 0)
    return subnet_create (ctl, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "list") == 0)
    return subnet_list (ctl, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "update") == 0)
    return subnet_update (ctl, argc - 1, argv + 1);
  return hl_ctl_usage_error (ctl, "subnet needs “create”, “list” or “update”");
}

/* Resolves @prefix and checks it names a live subnet. */
static gboolean
resolve_subnet (HlCtl       *ctl,
                const char  *prefix,
                guint8      *id,
                GError     **error)
{
  g_autoptr(HlSubnetRow) row = NULL;

  if (!hl_ctl_resolve (ctl, prefix, id, error))
    return FALSE;
  row = hl_store_get_subnet (ctl->store, id, error);
  return row != NULL;
}

static int
thread_create (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonBuilder) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  guint8 subnet[HL_ID_LEN];
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title", "TITLE" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &text, "Text", "TEXT" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, "SUBNET --title TITLE --body TEXT", "Start a thread; prints its id.",
                     entries, &argc, &argv, 1, 1))
    return HL_CTL_EXIT_USAGE;
  if (title == NULL)
    return hl_ctl_usage_error (ctl, "thread create needs --title TITLE");
  if (!resolve_subnet (ctl, argv[1], subnet, &error))
    return hl_ctl_fail (ctl, error);
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "title", title);
  hl_ctl_body_add (body, "body", text != NULL ? text : "");
  return hl_ctl_publish (ctl, HL_KIND_THREAD_CREATE, subnet, body, "start the thread");
}

static int
thread_list (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint8 subnet[HL_ID_LEN];
  int limit = 50, offset = 0;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "How many threads (50)", "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset, "Skip this many first", "N" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, "SUBNET [--limit N] [--offset N]",
                     "List a subnet's threads, most recently active first.",
                     entries, &argc, &argv, 1, 1))
    return HL_CTL_EXIT_USAGE;
  if (limit < 1 || offset < 0)
    return hl_ctl_usage_error (ctl, "--limit must be positive and --offset not negative");
  if (!resolve_subnet (ctl, argv[1], subnet, &error) ||
      !(rows = hl_store_list_threads (ctl->store, subnet, offset, limit, &error)))
    return hl_ctl_fail (ctl, error);
  return print_rows (ctl, rows, (gpointer) hl_ctl_post_to_json, print_thread_line,
                     "No threads yet.");
}

static int
thread_show (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlPostRow) thread = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  guint8 id[HL_ID_LEN];

  if (!hl_ctl_parse (ctl, "THREAD", "Show a thread and its replies.", NULL, &argc, &argv, 1, 1))
    return HL_CTL_EXIT_USAGE;
  if (!hl_ctl_resolve (ctl, argv[1], id, &error) ||
      !(thread = hl_store_get_post (ctl->store, id, &error)))
    return hl_ctl_fail (ctl, error);
  if (thread->kind != HL_POST_THREAD)
    {
      g_set_error (&error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "%s is a reply, not a thread", argv[1]);
      return hl_ctl_fail (ctl, error);
    }
  if (!(replies = hl_store_list_replies (ctl->store, id, &error)))
    return hl_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = hl_ctl_post_to_json (thread);
      JsonArray *array = json_array_sized_new (replies->len);

      for (guint i = 0; i < replies->len; i++)
        json_array_add_element (array, hl_ctl_post_to_json (g_ptr_array_index (replies, i)));
      json_object_set_array_member (json_node_get_object (root), "reply_list", array);
      hl_ctl_print_json (root);
      return HL_CTL_EXIT_OK;
    }

  hl_ctl_print_post (thread, TRUE);
  g_print ("\n%u %s\n", replies->len, replies->len == 1 ? "reply" : "replies");
  for (guint i = 0; i < replies->len; i++)
    hl_ctl_print_post (g_ptr_array_index (replies, i), FALSE);
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_thread (HlCtl *ctl, int argc, char **argv)
{
  const char *sub = argc >= 2 ? argv[1] : NULL;

  if (g_strcmp0 (sub, "create") == 0)
    return thread_create (ctl, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "list") == 0)
    return thread_list (ctl, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "show") == 0)
    return thread_show (ctl, argc - 1, argv + 1);
  return hl_ctl_usage_error (ctl, "thread needs “create”, “list” or “show”");
}

int
hl_ctl_cmd_reply (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonBuilder) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *parent_prefix = NULL;
  g_autofree char *parent_hex = NULL;
  guint8 thread[HL_ID_LEN], parent[HL_ID_LEN];
  GOptionEntry entries[] = {
    { "body", 0, 0, G_OPTION_ARG_STRING, &text, "Text", "TEXT" },
    { "parent", 0, 0, G_OPTION_ARG_STRING, &parent_prefix, "The reply you answer", "REPLY" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, "THREAD --body TEXT [--parent REPLY]", "Reply to a thread; prints its id.",
                     entries, &argc, &argv, 1, 1))
    return HL_CTL_EXIT_USAGE;
  if (text == NULL)
    return hl_ctl_usage_error (ctl, "reply needs --body TEXT");
  if (!hl_ctl_resolve (ctl, argv[1], thread, &error))
    return hl_ctl_fail (ctl, error);
  if (parent_prefix != NULL)
    {
      if (!hl_ctl_resolve (ctl, parent_prefix, parent, &error))
        return hl_ctl_fail (ctl, error);
      parent_hex = hl_hex_dup (parent, HL_ID_LEN);
    }
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "body", text);
  hl_ctl_body_add (body, "parent", parent_hex);
  return hl_ctl_publish (ctl, HL_KIND_REPLY_CREATE, thread, body, "post the reply");
}

int
hl_ctl_cmd_edit (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonBuilder) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  guint8 id[HL_ID_LEN];
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "New title (threads)", "TITLE" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &text, "New text", "TEXT" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, "ID [--title TITLE] [--body TEXT]", "Edit your thread or reply.",
                     entries, &argc, &argv, 1, 1))
    return HL_CTL_EXIT_USAGE;
  if (title == NULL && text == NULL)
    return hl_ctl_usage_error (ctl, "edit needs --title or --body");
  if (!hl_ctl_resolve (ctl, argv[1], id, &error))
    return hl_ctl_fail (ctl, error);
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "title", title);
  hl_ctl_body_add (body, "body", text);
  return hl_ctl_publish (ctl, HL_KIND_EDIT, id, body, "edit");
}

int
hl_ctl_cmd_delete (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) body = hl_ctl_body_new ();
  guint8 id[HL_ID_LEN];

  if (!hl_ctl_parse (ctl, "ID", "Delete your thread, reply or subnet, for good: its text is "
                     "erased here and on every peer.", NULL, &argc, &argv, 1, 1))
    return HL_CTL_EXIT_USAGE;
  if (!hl_ctl_resolve (ctl, argv[1], id, &error))
    return hl_ctl_fail (ctl, error);
  return hl_ctl_publish (ctl, HL_KIND_DELETE, id, body, "delete");
}

static int
set_hidden (HlCtl *ctl, int argc, char **argv, gboolean hidden)
{
  g_autoptr(JsonBuilder) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  guint8 id[HL_ID_LEN];
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (shown to others)", "TEXT" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, "ID [--reason TEXT]",
                     hidden ? "Hide a thread or reply in a subnet you moderate."
                            : "Show again a post you hid.",
                     entries, &argc, &argv, 1, 1))
    return HL_CTL_EXIT_USAGE;
  if (!hl_ctl_resolve (ctl, argv[1], id, &error))
    return hl_ctl_fail (ctl, error);
  body = hl_ctl_body_new ();
  json_builder_set_member_name (body, "hidden");
  json_builder_add_boolean_value (body, hidden);
  hl_ctl_body_add (body, "reason", reason);
  return hl_ctl_publish (ctl, HL_KIND_HIDE, id, body, hidden ? "hide" : "unhide");
}

int
hl_ctl_cmd_hide (HlCtl *ctl, int argc, char **argv)
{
  return set_hidden (ctl, argc, argv, TRUE);
}

int
hl_ctl_cmd_unhide (HlCtl *ctl, int argc, char **argv)
{
  return set_hidden (ctl, argc, argv, FALSE);
}

static void
print_moderator (gconstpointer data)
{
  const HlProfileRow *row = data;
  g_autofree char *key = hl_hex_dup (row->author, HL_KEY_LEN);

  g_print ("%s  %s\n", key, row->name != NULL ? row->name : "");
}

static JsonNode *
moderator_to_json (gconstpointer data)
{
  const HlProfileRow *row = data;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *key = hl_hex_dup (row->author, HL_KEY_LEN);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "name");
  if (row->name != NULL)
    json_builder_add_string_value (b, row->name);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
hl_ctl_cmd_moderator (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) body = NULL;
  g_autofree char *key_hex = NULL;
  const char *sub = argc >= 2 ? argv[1] : "";
  gboolean list = strcmp (sub, "list") == 0;
  guint8 subnet[HL_ID_LEN], key[HL_KEY_LEN];

  if (!list && strcmp (sub, "add") != 0 && strcmp (sub, "remove") != 0)
    return hl_ctl_usage_error (ctl, "moderator needs “add”, “remove” or “list”");
  argc--, argv++;
  if (!hl_ctl_parse (ctl, list ? "SUBNET" : "SUBNET KEY",
                     list ? "List a subnet's moderators."
                          : "Let someone hide posts in your subnet, or stop them.",
                     NULL, &argc, &argv, list ? 1 : 2, list ? 1 : 2))
    return HL_CTL_EXIT_USAGE;
  if (!resolve_subnet (ctl, argv[1], subnet, &error))
    return hl_ctl_fail (ctl, error);

  if (list)
    {
      g_autoptr(GPtrArray) rows = hl_store_list_moderators (ctl->store, subnet, &error);
      if (rows == NULL)
        return hl_ctl_fail (ctl, error);
      return print_rows (ctl, rows, moderator_to_json, print_moderator, "No moderators.");
    }

  if (!hl_store_resolve_author (ctl->store, argv[2], key, &error))
    return hl_ctl_fail (ctl, error);
  key_hex = hl_hex_dup (key, HL_KEY_LEN);
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "key", key_hex);
  return hl_ctl_publish (ctl, strcmp (sub, "add") == 0 ? HL_KIND_MODERATOR_ADD
                                                       : HL_KIND_MODERATOR_REMOVE,
                         subnet, body, "change the moderators");
}

static void
print_hit (gconstpointer data)
{
  const HlPostRow *row = data;
  g_autofree char *id = hl_ctl_short_id (row->id);
  g_autofree char *author = hl_ctl_author_label (row->author, row->author_name);

  g_print ("%s  %s%s%s\n              by %s\n", id,
           row->kind == HL_POST_THREAD ? row->title : "reply: ",
           row->kind == HL_POST_THREAD ? "\n              " : "", row->snippet, author);
}

int
hl_ctl_cmd_search (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *query = NULL;
  int limit = 20;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "How many results (20)", "N" },
    { NULL }
  };
  HlStore *store;

  if (!hl_ctl_parse (ctl, "WORDS...", "Search titles and bodies.", entries, &argc, &argv, 1, -1))
    return HL_CTL_EXIT_USAGE;
  query = g_strjoinv (" ", argv + 1);
  if (!(store = hl_ctl_store (ctl, &error)) ||
      !(rows = hl_store_search (store, query, MAX (limit, 1), &error)))
    return hl_ctl_fail (ctl, error);
  return print_rows (ctl, rows, (gpointer) hl_ctl_post_to_json, print_hit, "Nothing found.");
}
