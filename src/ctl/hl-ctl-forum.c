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

/* "a thread", "a reply", "a subnet", "a “profile” event": what the event
 * @id makes, for errors that say an id names the wrong kind of thing. */
static char *
what_id_names (HlStore      *store,
               const guint8 *id)
{
  g_autoptr(HlEvent) event = hl_store_get_event (store, id, NULL);

  if (event == NULL)
    return g_strdup ("something deleted");
  if (strcmp (event->kind, HL_KIND_SUBNET_CREATE) == 0)
    return g_strdup ("a subnet");
  if (strcmp (event->kind, HL_KIND_THREAD_CREATE) == 0)
    return g_strdup ("a thread");
  if (strcmp (event->kind, HL_KIND_REPLY_CREATE) == 0)
    return g_strdup ("a reply");
  return g_strdup_printf ("a “%s” event, not a post", event->kind);
}

/* Resolves @prefix and checks it names a live subnet. */
static gboolean
resolve_subnet (HlCtl       *ctl,
                const char  *prefix,
                guint8      *id,
                GError     **error)
{
  g_autoptr(HlSubnetRow) row = NULL;
  g_autoptr(GError) local = NULL;

  if (!hl_ctl_resolve (ctl, prefix, id, error))
    return FALSE;
  if ((row = hl_store_get_subnet (ctl->store, id, &local)) != NULL)
    return TRUE;
  if (g_error_matches (local, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND) &&
      !g_str_has_suffix (local->message, "was deleted"))
    {
      g_autofree char *names = what_id_names (ctl->store, id);
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "No such subnet: “%s” names %s (“hyperlinkctl subnet list” shows the "
                   "subnets)", prefix, names);
    }
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

int
hl_ctl_cmd_subnet_create (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonBuilder) body = NULL;
  g_autofree char *description = NULL;
  g_autofree char *tag = NULL;
  gboolean private = FALSE;
  GOptionEntry entries[] = {
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, "What the subnet is about", "TEXT" },
    { "private", 0, 0, G_OPTION_ARG_NONE, &private, "Only its members can read it", NULL },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag, "Bind the private subnet to a tailnet tag", "TAG" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (tag != NULL && !private)
    return hl_ctl_usage_error (ctl, "--tag binds a private subnet: add --private");
  if (private)
    return hl_ctl_create_private_subnet (ctl, argv[1], description, tag);
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "name", argv[1]);
  hl_ctl_body_add (body, "description", description);
  return hl_ctl_publish (ctl, HL_KIND_SUBNET_CREATE, NULL, body, "create the subnet");
}

int
hl_ctl_cmd_subnet_update (HlCtl *ctl, int argc, char **argv)
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

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (name == NULL && description == NULL)
    return hl_ctl_usage_error (ctl, "subnet update needs --name NAME or --description TEXT");
  if (!resolve_subnet (ctl, argv[1], id, &error))
    return hl_ctl_fail (ctl, error);
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "name", name);
  hl_ctl_body_add (body, "description", description);
  return hl_ctl_publish (ctl, HL_KIND_SUBNET_UPDATE, id, body, "update the subnet");
}

int
hl_ctl_cmd_subnet_list (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  HlStore *store;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)) || !(rows = hl_store_list_subnets (store, &error)))
    return hl_ctl_fail (ctl, error);
  return print_rows (ctl, rows, (gpointer) hl_ctl_subnet_to_json, print_subnet,
                     "No subnets yet. Create one with: hyperlinkctl subnet create NAME");
}

int
hl_ctl_cmd_thread_create (HlCtl *ctl, int argc, char **argv)
{
  g_auto(HlCtlBody) text = { 0 };
  g_autoptr(JsonBuilder) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *content = NULL;
  guint8 subnet[HL_ID_LEN];
  int rc;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title", "TITLE" },
    HL_CTL_BODY_ENTRIES (&text, "Text (none by default)"),
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (title == NULL)
    return hl_ctl_usage_error (ctl, "thread create needs --title TITLE");
  content = hl_ctl_body_text (ctl, &text, &rc);
  if (rc != HL_CTL_EXIT_OK)
    return rc;
  if (!resolve_subnet (ctl, argv[1], subnet, &error))
    return hl_ctl_fail (ctl, error);
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "title", title);
  hl_ctl_body_add (body, "body", content != NULL ? content : "");
  return hl_ctl_publish (ctl, HL_KIND_THREAD_CREATE, subnet, body, "start the thread");
}

int
hl_ctl_cmd_thread_list (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint8 subnet[HL_ID_LEN];
  int limit = 50, offset = 0;
  gboolean archived = FALSE;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "How many threads (50)", "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset, "Skip this many first", "N" },
    { "archived", 0, 0, G_OPTION_ARG_NONE, &archived,
      "The sealed months not on this device instead", NULL },
    { NULL }
  };
  int rc;

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (limit < 1 || offset < 0)
    return hl_ctl_usage_error (ctl, "--limit must be positive and --offset not negative");
  if (!resolve_subnet (ctl, argv[1], subnet, &error))
    return hl_ctl_fail (ctl, error);
  if (archived)
    return hl_ctl_print_archived (ctl, subnet);
  if (!(rows = hl_store_list_threads (ctl->store, subnet, offset, limit, &error)))
    return hl_ctl_fail (ctl, error);
  if (rows->len == 0 && !ctl->json)
    {
      g_autofree char *short_id = hl_ctl_short_id (subnet);
      g_print ("No threads %s. Start one with: hyperlinkctl thread create %s --title TITLE\n",
               offset > 0 ? "this far down" : "yet", short_id);
      hl_ctl_print_older_history (ctl, subnet);
      return HL_CTL_EXIT_OK;
    }
  rc = print_rows (ctl, rows, (gpointer) hl_ctl_post_to_json, print_thread_line, "");
  /* The list ends where this device's history does. */
  if (rc == HL_CTL_EXIT_OK && rows->len < (guint) limit)
    hl_ctl_print_older_history (ctl, subnet);
  return rc;
}

/* Resolves @prefix and checks it names a live thread. */
static HlPostRow *
get_thread (HlCtl       *ctl,
            const char  *prefix,
            guint8      *id,
            GError     **error)
{
  g_autoptr(HlPostRow) thread = NULL;
  g_autoptr(GError) local = NULL;

  if (!hl_ctl_resolve (ctl, prefix, id, error))
    return NULL;
  if ((thread = hl_store_get_post (ctl->store, id, &local)) != NULL &&
      thread->kind == HL_POST_THREAD)
    return g_steal_pointer (&thread);
  if (thread != NULL)
    {
      g_autofree char *parent = hl_ctl_short_id (thread->thread);
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "%s is a reply, not a thread: its thread is %s", prefix, parent);
    }
  else if (g_error_matches (local, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND) &&
           !g_str_has_suffix (local->message, "was deleted"))
    {
      g_autofree char *names = what_id_names (ctl->store, id);
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                   "No such thread: “%s” names %s", prefix, names);
    }
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

/* Resolves @prefix and checks it names a thread or reply, for the commands
 * that change posts; @what is the command, for the message. */
static gboolean
resolve_post (HlCtl       *ctl,
              const char  *prefix,
              const char  *what,
              guint8      *id,
              GError     **error)
{
  g_autoptr(HlPostRow) post = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *names = NULL;

  if (!hl_ctl_resolve (ctl, prefix, id, error))
    return FALSE;
  if ((post = hl_store_get_post (ctl->store, id, &local)) != NULL)
    return TRUE;
  names = what_id_names (ctl->store, id);
  if (!g_error_matches (local, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND) ||
      g_str_has_suffix (local->message, "was deleted"))
    g_propagate_prefixed_error (error, g_steal_pointer (&local), "Cannot %s: ", what);
  else if (strcmp (names, "a subnet") == 0 && strcmp (what, "edit") == 0)
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                 "Cannot edit: “%s” names a subnet; change it with “hyperlinkctl subnet update "
                 "%s --name NAME” (or --description TEXT)", prefix, prefix);
  else
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND,
                 "Cannot %s: “%s” names %s; only threads and replies can be %s", what, prefix,
                 names, strcmp (what, "edit") == 0 ? "edited" : "hidden");
  return FALSE;
}

int
hl_ctl_cmd_thread_show (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlPostRow) thread = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  guint8 id[HL_ID_LEN];

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(thread = get_thread (ctl, argv[1], id, &error)) ||
      !(replies = hl_store_list_replies (ctl->store, id, &error)))
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
hl_ctl_cmd_reply (HlCtl *ctl, int argc, char **argv)
{
  g_auto(HlCtlBody) text = { 0 };
  g_autoptr(JsonBuilder) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlPostRow) thread = NULL;
  g_autofree char *content = NULL;
  g_autofree char *parent_prefix = NULL;
  g_autofree char *parent_hex = NULL;
  guint8 thread_id[HL_ID_LEN], parent[HL_ID_LEN];
  int rc;
  GOptionEntry entries[] = {
    HL_CTL_BODY_ENTRIES (&text, "Text"),
    { "parent", 0, 0, G_OPTION_ARG_STRING, &parent_prefix, "The reply you answer", "REPLY" },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  content = hl_ctl_body_text (ctl, &text, &rc);
  if (rc != HL_CTL_EXIT_OK)
    return rc;
  if (content == NULL)
    return hl_ctl_usage_error (ctl, "reply needs --body TEXT or --body-file FILE");
  if (!(thread = get_thread (ctl, argv[1], thread_id, &error)))
    return hl_ctl_fail (ctl, error);
  if (parent_prefix != NULL)
    {
      if (!hl_ctl_resolve (ctl, parent_prefix, parent, &error))
        return hl_ctl_fail (ctl, error);
      parent_hex = hl_hex_dup (parent, HL_ID_LEN);
    }
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "body", content);
  hl_ctl_body_add (body, "parent", parent_hex);
  return hl_ctl_publish (ctl, HL_KIND_REPLY_CREATE, thread_id, body, "post the reply");
}

int
hl_ctl_cmd_edit (HlCtl *ctl, int argc, char **argv)
{
  g_auto(HlCtlBody) text = { 0 };
  g_autoptr(JsonBuilder) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *content = NULL;
  guint8 id[HL_ID_LEN];
  int rc;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "New title (threads)", "TITLE" },
    HL_CTL_BODY_ENTRIES (&text, "New text"),
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  content = hl_ctl_body_text (ctl, &text, &rc);
  if (rc != HL_CTL_EXIT_OK)
    return rc;
  if (title == NULL && content == NULL)
    return hl_ctl_usage_error (ctl, "edit needs --title TITLE, --body TEXT or --body-file FILE");
  if (!resolve_post (ctl, argv[1], "edit", id, &error))
    return hl_ctl_fail (ctl, error);
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "title", title);
  hl_ctl_body_add (body, "body", content);
  return hl_ctl_publish (ctl, HL_KIND_EDIT, id, body, "edit");
}

/* Deleting a subnet erases every thread in it for everyone: its owner
 * confirms, at the terminal or with --yes. Others are refused by the
 * store whatever they answer, so they are not asked. */
static int
confirm_subnet_delete (HlCtl        *ctl,
                       const guint8 *id,
                       gboolean      yes)
{
  g_autoptr(HlSubnetRow) subnet = hl_store_get_subnet (ctl->store, id, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *question = NULL;
  g_autofree char *short_id = NULL;
  HlIdentity *identity;

  if (subnet == NULL || yes)
    return HL_CTL_EXIT_OK;
  if (!(identity = hl_ctl_identity (ctl, NULL, &error)))
    return hl_ctl_fail (ctl, error);
  if (memcmp (subnet->owner, hl_identity_get_public_key (identity), HL_KEY_LEN) != 0)
    return HL_CTL_EXIT_OK;

  question = g_strdup_printf ("Delete the subnet “%s” and its %u %s, for everyone?",
                              subnet->name, subnet->thread_count,
                              subnet->thread_count == 1 ? "thread" : "threads");
  if (hl_ctl_confirm (ctl, question))
    return HL_CTL_EXIT_OK;
  short_id = hl_ctl_short_id (id);
  return hl_ctl_usage_error (ctl, "%s is the whole subnet “%s”, with %u %s: deleting it erases "
                             "it for everyone; add --yes to delete it", short_id, subnet->name,
                             subnet->thread_count,
                             subnet->thread_count == 1 ? "thread" : "threads");
}

int
hl_ctl_cmd_delete (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) body = hl_ctl_body_new ();
  gboolean yes = FALSE;
  guint8 id[HL_ID_LEN];
  int rc;
  GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Delete a whole subnet without asking", NULL },
    { NULL }
  };

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!hl_ctl_resolve (ctl, argv[1], id, &error))
    return hl_ctl_fail (ctl, error);
  if ((rc = confirm_subnet_delete (ctl, id, yes)) != HL_CTL_EXIT_OK)
    return rc;
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

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!resolve_post (ctl, argv[1], hidden ? "hide" : "unhide", id, &error))
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
hl_ctl_cmd_moderator_list (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint8 subnet[HL_ID_LEN];

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!resolve_subnet (ctl, argv[1], subnet, &error) ||
      !(rows = hl_store_list_moderators (ctl->store, subnet, &error)))
    return hl_ctl_fail (ctl, error);
  return print_rows (ctl, rows, moderator_to_json, print_moderator, "No moderators.");
}

static int
change_moderators (HlCtl      *ctl,
                   int         argc,
                   char      **argv,
                   const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) body = NULL;
  g_autofree char *key_hex = NULL;
  guint8 subnet[HL_ID_LEN], key[HL_KEY_LEN];

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!resolve_subnet (ctl, argv[1], subnet, &error) ||
      !hl_store_resolve_author (ctl->store, argv[2], key, &error))
    return hl_ctl_fail (ctl, error);
  key_hex = hl_hex_dup (key, HL_KEY_LEN);
  body = hl_ctl_body_new ();
  hl_ctl_body_add (body, "key", key_hex);
  return hl_ctl_publish (ctl, kind, subnet, body, "change the moderators");
}

int
hl_ctl_cmd_moderator_add (HlCtl *ctl, int argc, char **argv)
{
  return change_moderators (ctl, argc, argv, HL_KIND_MODERATOR_ADD);
}

int
hl_ctl_cmd_moderator_remove (HlCtl *ctl, int argc, char **argv)
{
  return change_moderators (ctl, argc, argv, HL_KIND_MODERATOR_REMOVE);
}

static void
print_hit (gconstpointer data)
{
  const HlPostRow *row = data;
  g_autofree char *id = hl_ctl_short_id (row->id);
  g_autofree char *author = hl_ctl_author_label (row->author, row->author_name);
  g_autofree char *snippet = hl_ctl_format_snippet (row->snippet);

  g_print ("%s  %s%s%s\n              by %s\n", id,
           row->kind == HL_POST_THREAD ? row->title : "reply: ",
           row->kind == HL_POST_THREAD ? "\n              " : "", snippet, author);
}

int
hl_ctl_cmd_search (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *query = NULL;
  int limit = 20, rc;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "How many results (20)", "N" },
    { NULL }
  };
  HlStore *store;

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (limit < 1)
    return hl_ctl_usage_error (ctl, "--limit must be positive");
  query = g_strjoinv (" ", argv + 1);
  if (!(store = hl_ctl_store (ctl, &error)) ||
      !(rows = hl_store_search (store, query, limit, &error)))
    return hl_ctl_fail (ctl, error);
  rc = print_rows (ctl, rows, (gpointer) hl_ctl_post_to_json, print_hit, "Nothing found.");
  if (rc == HL_CTL_EXIT_OK)
    hl_ctl_print_unsearched (ctl);
  return rc;
}
