/* hl-ctl-output.c: how hyperlinkctl shows things, to people and to scripts.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "hl-ctl.h"

#include "hl-json.h"

#define SHORT_ID_DIGITS 12

void
hl_ctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

void
hl_ctl_print_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  hl_ctl_print_json (node);
}

char *
hl_ctl_short_id (const guint8 *id)
{
  char hex[HL_ID_HEX_LEN + 1];

  hl_hex_encode (id, HL_ID_LEN, hex);
  hex[SHORT_ID_DIGITS] = '\0';
  return g_strdup (hex);
}

char *
hl_ctl_format_time (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
hl_ctl_author_label (const guint8 *key,
                     const char   *name)
{
  g_autofree char *short_key = hl_ctl_short_id (key);

  if (name != NULL)
    return g_strdup_printf ("%s (%s)", name, short_key);
  return g_strdup_printf ("%s", short_key);
}

static void
add_hex (JsonBuilder  *b,
         const char   *name,
         const guint8 *id,
         gboolean      present)
{
  g_autofree char *hex = present ? hl_hex_dup (id, HL_ID_LEN) : NULL;

  json_builder_set_member_name (b, name);
  if (hex != NULL)
    json_builder_add_string_value (b, hex);
  else
    json_builder_add_null_value (b);
}

JsonNode *
hl_ctl_subnet_to_json (const HlSubnetRow *row)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_hex (b, "id", row->id, TRUE);
  hl_json_add_string (b, "name", row->name);
  hl_json_add_string (b, "description", row->description);
  add_hex (b, "owner", row->owner, TRUE);
  hl_json_add_string (b, "owner_name", row->owner_name);
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, row->created_ms);
  json_builder_set_member_name (b, "threads");
  json_builder_add_int_value (b, row->thread_count);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
hl_ctl_post_to_json (const HlPostRow *row)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_hex (b, "id", row->id, TRUE);
  hl_json_add_string (b, "type", row->kind == HL_POST_THREAD ? "thread" : "reply");
  add_hex (b, "subnet", row->subnet, row->has_subnet);
  add_hex (b, "thread", row->thread, TRUE);
  if (row->kind == HL_POST_REPLY)
    add_hex (b, "parent", row->parent, row->has_parent);
  add_hex (b, "author", row->author, TRUE);
  hl_json_add_string (b, "author_name", row->author_name);
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, row->created_ms);
  json_builder_set_member_name (b, "edited");
  json_builder_add_int_value (b, row->edited_ms);
  if (row->kind == HL_POST_THREAD)
    hl_json_add_string (b, "title", row->title);
  hl_json_add_string (b, "body", row->body);
  json_builder_set_member_name (b, "hidden");
  json_builder_add_boolean_value (b, row->hidden);
  if (row->kind == HL_POST_THREAD)
    {
      json_builder_set_member_name (b, "replies");
      json_builder_add_int_value (b, row->reply_count);
      json_builder_set_member_name (b, "last_activity");
      json_builder_add_int_value (b, row->last_activity_ms);
    }
  if (row->snippet != NULL)
    {
      /* The words found between the control characters U+0002 and U+0003,
       * as the window gets them: posts cannot hold control characters, so
       * unlike brackets they cannot come from the text. */
      hl_json_add_string (b, "snippet", row->snippet);
    }
  /* FALSE only for this device's posts that no peer has confirmed yet. */
  json_builder_set_member_name (b, "delivered");
  json_builder_add_boolean_value (b, !row->pending);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
hl_ctl_print_post (const HlPostRow *row,
                   gboolean         full)
{
  g_autofree char *id = hl_ctl_short_id (row->id);
  g_autofree char *author = hl_ctl_author_label (row->author, row->author_name);
  g_autofree char *when = hl_ctl_format_time (row->created_ms);
  const char *edited = row->edited_ms > 0 ? " · edited" : "";
  const char *pending = row->pending ? " · not yet sent to any peer" : "";

  if (row->kind == HL_POST_THREAD && full)
    {
      g_print ("%s\n", row->title);
      g_print ("%s · by %s · %s%s%s%s\n\n", id, author, when, edited,
               row->hidden ? " · hidden by moderators" : "", pending);
      if (row->body != NULL && *row->body != '\0')
        g_print ("%s\n", row->body);
      return;
    }
  if (row->kind == HL_POST_THREAD)
    {
      g_autofree char *active = hl_ctl_format_time (row->last_activity_ms);
      g_print ("%s  %s\n              by %s · %u %s · active %s\n", id,
               row->title, author, row->reply_count,
               row->reply_count == 1 ? "reply" : "replies", active);
      return;
    }

  g_print ("── %s · %s · %s%s%s%s\n", id, author, when, edited,
           row->hidden ? " · hidden by moderators" : "", pending);
  if (row->hidden && !full)
    g_print ("[hidden by moderators]\n");
  else
    g_print ("%s\n", row->body);
}

JsonBuilder *
hl_ctl_body_new (void)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  return b;
}

void
hl_ctl_body_add (JsonBuilder *body,
                 const char  *name,
                 const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (body, name);
  json_builder_add_string_value (body, value);
}

/* Colours only on a terminal that takes them (https://no-color.org). */
static gboolean
stdout_takes_colors (void)
{
  const char *no_color = g_getenv ("NO_COLOR");
  const char *term = g_getenv ("TERM");

  return isatty (STDOUT_FILENO) && (no_color == NULL || no_color[0] == '\0') &&
         term != NULL && strcmp (term, "dumb") != 0;
}

char *
hl_ctl_format_snippet (const char *snippet)
{
  /* Bold reverse video around the words found; elsewhere plain text, with
   * nothing added that could be mistaken for the post's own characters. */
  if (stdout_takes_colors ())
    return hl_snippet_format (snippet, "\033[1;7m", "\033[22;27m", NULL);
  return hl_snippet_format (snippet, "", "", NULL);
}
