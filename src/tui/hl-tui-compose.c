/* hl-tui-compose.c: writing threads, replies, subnets and edits.
 *
 * The text is written in $VISUAL, else $EDITOR, on a temporary file, as
 * git does: the screen is handed to the editor (endwin) and taken back
 * after. The file holds the title on its first line (for threads and
 * subnets), then the text; a scissors line, as in `git commit
 * --cleanup=scissors`, starts notes that are left out, so any text,
 * even lines starting with #, can be posted. Without an editor, or when it
 * cannot be started, the built-in one (hl-tui-edit.c) is used. A text that
 * could not be sent is kept and offered again by the same key.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hl-error.h"
#include "hl-event.h"
#include "hl-json.h"
#include "hl-limits.h"

#define SCISSORS "# ------------------------ >8 ------------------------"
#define MAX_QUOTE_LINES 20

void
hl_tui_compose_free (HlTuiCompose *compose)
{
  if (compose == NULL)
    return;
  g_free (compose->what);
  g_free (compose->title);
  g_free (compose->body);
  g_free (compose->quote);
  g_free (compose);
}

static HlTuiCompose *
compose_copy (const HlTuiCompose *compose)
{
  HlTuiCompose *copy = g_memdup2 (compose, sizeof *compose);

  copy->what = g_strdup (compose->what);
  copy->title = g_strdup (compose->title);
  copy->body = g_strdup (compose->body);
  copy->quote = g_strdup (compose->quote);
  return copy;
}

static gboolean
same_target (const HlTuiCompose *a,
             const HlTuiCompose *b)
{
  return a->kind == b->kind && memcmp (a->ref, b->ref, HL_ID_LEN) == 0 &&
         a->has_parent == b->has_parent &&
         (!a->has_parent || memcmp (a->parent, b->parent, HL_ID_LEN) == 0);
}

/* The key that writes @compose again. */
static char
key_for (const HlTuiCompose *compose)
{
  switch (compose->kind)
    {
    case HL_TUI_COMPOSE_SUBNET:
      return 'N';
    case HL_TUI_COMPOSE_THREAD:
      return 'n';
    case HL_TUI_COMPOSE_REPLY:
      return 'r';
    case HL_TUI_COMPOSE_EDIT:
    default:
      return 'e';
    }
}

/* ---- the editor's file ---- */

static char *
make_file_text (const HlTuiCompose *compose)
{
  GString *text = g_string_new (NULL);
  gboolean subnet = compose->kind == HL_TUI_COMPOSE_SUBNET;

  if (compose->with_title)
    g_string_append_printf (text, "%s\n\n", compose->title != NULL ? compose->title : "");
  if (compose->body != NULL && *compose->body != '\0')
    g_string_append_printf (text, "%s\n", compose->body);
  g_string_append_printf (text, "\n%s\n# %s.\n", SCISSORS, compose->what);
  if (compose->with_title)
    g_string_append_printf (text, "# The first line is the %s, the lines after it the %s.\n",
                            subnet ? "name" : "title", subnet ? "description" : "text");
  else
    g_string_append (text, "# Write the text above the line with >8.\n");
  g_string_append (text, "# Save and quit to send it; leave it empty to send nothing.\n"
                         "# From the line with >8 on, nothing is sent.\n");
  if (compose->quote != NULL && *compose->quote != '\0')
    {
      g_auto(GStrv) lines = g_strsplit (compose->quote, "\n", MAX_QUOTE_LINES + 1);

      g_string_append (text, "#\n# Answering:\n");
      for (guint i = 0; lines[i] != NULL && i < MAX_QUOTE_LINES; i++)
        g_string_append_printf (text, "# > %s\n", lines[i]);
    }
  return g_string_free (text, FALSE);
}

/* What was written: the text before the scissors line, the title split off
 * when there is one; surrounding blank lines go. */
static void
parse_file_text (const char  *text,
                 gboolean     with_title,
                 char       **title,
                 char       **body)
{
  g_autofree char *kept = NULL;
  const char *cut = strstr (text, "\n" SCISSORS);
  const char *rest;

  if (g_str_has_prefix (text, SCISSORS))
    kept = g_strdup ("");
  else
    kept = cut != NULL ? g_strndup (text, cut - text) : g_strdup (text);
  rest = kept;
  *title = NULL;
  if (with_title)
    {
      const char *newline = strchr (kept, '\n');

      *title = g_strstrip (newline != NULL ? g_strndup (kept, newline - kept) : g_strdup (kept));
      rest = newline != NULL ? newline + 1 : "";
    }
  while (*rest == '\n' || *rest == '\r')
    rest++;
  *body = g_strchomp (g_strdup (rest));
}

typedef struct
{
  int   status;
  char *text;
} EditorRun;

/* Runs the user's editor command through the shell, as git does, on the
 * terminal the client draws on. Blocks: the node runs on its own thread,
 * and nothing else may draw meanwhile. */
static gboolean
run_editor (HlTui       *self,
            const char  *editor,
            const char  *initial,
            EditorRun   *run,
            GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *script = g_strdup_printf ("%s \"$1\"", editor);
  const char *argv[] = { "/bin/sh", "-c", script, "sh", NULL, NULL };
  GPid pid;
  int fd, wait_status = 0;
  gboolean spawned;

  if ((fd = g_file_open_tmp ("hyperlink-XXXXXX.txt", &path, error)) < 0)
    return FALSE;
  close (fd);
  if (!g_file_set_contents_full (path, initial, -1, G_FILE_SET_CONTENTS_NONE, 0600, error))
    {
      g_unlink (path);
      return FALSE;
    }
  argv[4] = path;
  hl_tui_suspend_terminal (self);
  spawned = g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                              NULL, NULL, self->in_fd, self->out_fd, self->out_fd,
                                              NULL, NULL, 0, &pid, NULL, NULL, NULL, error);
  if (spawned)
    while (waitpid (pid, &wait_status, 0) < 0 && errno == EINTR)
      ;
  hl_tui_resume_terminal (self);
  if (spawned)
    g_spawn_close_pid (pid);
  if (spawned)
    {
      run->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status)
                                            : 128 + WTERMSIG (wait_status);
      if (!g_file_get_contents (path, &run->text, NULL, error))
        spawned = FALSE;
    }
  g_unlink (path);
  return spawned;
}

static void
compose_with_editor (HlTui        *self,
                     HlTuiCompose *compose,
                     const char   *editor)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *initial = make_file_text (compose);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  EditorRun run = { 0, NULL };

  if (!run_editor (self, editor, initial, &run, &error))
    {
      hl_tui_show_message (self, TRUE, "Cannot run the editor “%s”: %s", editor,
                           error->message);
      hl_tui_editor_open (self, compose);
      return;
    }
  if (run.status == 126 || run.status == 127)
    {
      /* The shell could not find or run it: the built-in editor instead. */
      g_free (run.text);
      hl_tui_show_message (self, TRUE, "Cannot run the editor “%s” (from $VISUAL or $EDITOR); "
                           "using the built-in one", editor);
      hl_tui_editor_open (self, compose);
      return;
    }
  parse_file_text (run.text, compose->with_title, &title, &body);
  g_free (run.text);
  if (run.status != 0)
    {
      /* As git does: an editor that failed sends nothing; the text stays. */
      g_free (compose->title);
      g_free (compose->body);
      compose->title = g_steal_pointer (&title);
      compose->body = g_steal_pointer (&body);
      hl_tui_show_message (self, TRUE, "Nothing was sent (%c opens your text again): the editor "
                           "“%s” exited with status %d", key_for (compose), editor, run.status);
      hl_tui_compose_free (self->draft);
      self->draft = compose;
      return;
    }
  hl_tui_compose_finish (self, compose, title, body);
}

static const char *
find_editor (void)
{
  const char *names[] = { "VISUAL", "EDITOR" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_getenv (names[i]);

      if (value != NULL && *value != '\0')
        return value;
    }
  return NULL;
}

void
hl_tui_compose (HlTui        *self,
                HlTuiCompose *compose)
{
  const char *editor = find_editor ();

  if (self->draft != NULL && same_target (self->draft, compose))
    {
      g_free (compose->title);
      g_free (compose->body);
      compose->title = g_steal_pointer (&self->draft->title);
      compose->body = g_steal_pointer (&self->draft->body);
      compose->from_draft = TRUE;
      g_clear_pointer (&self->draft, hl_tui_compose_free);
    }
  if (editor == NULL)
    hl_tui_editor_open (self, compose);
  else
    compose_with_editor (self, compose, editor);
}

/* ---- sending ---- */

static void
on_sent_cb (HlTui        *self,
            const char   *id_hex,
            const GError *error,
            gpointer      data)
{
  HlTuiCompose *compose = data;
  guint8 id[HL_ID_LEN];

  if (id_hex == NULL)
    {
      hl_tui_compose_free (self->draft);
      self->draft = compose_copy (compose);
      hl_tui_show_message (self, TRUE, "Not sent (%c opens your text again): %s",
                           key_for (compose), error->message);
      return;
    }
  hl_hex_decode (id_hex, id, HL_ID_LEN);
  hl_tui_reload_all (self);
  switch (compose->kind)
    {
    case HL_TUI_COMPOSE_SUBNET:
      hl_tui_reload_subnets (self);
      hl_tui_end_search (self);
      hl_tui_open_subnet (self, id);
      hl_tui_remember (self);
      self->focus = HL_TUI_PANE_THREADS;
      hl_tui_show_message (self, FALSE, "Subnet “%s” made; n starts a thread in it",
                           compose->title);
      break;
    case HL_TUI_COMPOSE_THREAD:
      hl_tui_end_search (self);
      hl_tui_threads_reload (self);
      self->threads.cursor = (HlTuiCursor) { 0, 0 };
      hl_tui_open_thread (self, id, NULL);
      self->focus = HL_TUI_PANE_POSTS;
      hl_tui_show_message (self, FALSE, "Thread posted");
      break;
    case HL_TUI_COMPOSE_REPLY:
      hl_tui_open_thread (self, compose->ref, id);
      self->focus = HL_TUI_PANE_POSTS;
      hl_tui_show_message (self, FALSE, "Reply posted");
      break;
    case HL_TUI_COMPOSE_EDIT:
    default:
      hl_tui_show_message (self, FALSE, "Saved");
      break;
    }
  hl_tui_queue_draw (self);
}

void
hl_tui_compose_finish (HlTui        *self,
                       HlTuiCompose *compose,
                       const char   *title,
                       const char   *body)
{
  g_autofree char *json = NULL;
  g_autofree char *text = g_strchomp (g_strdup (body != NULL ? body : ""));
  g_autofree char *name = g_strstrip (g_strdup (title != NULL ? title : ""));
  char parent[HL_ID_HEX_LEN + 1];
  const char *kind;
  const guint8 *ref = compose->ref;

  if (compose->kind == HL_TUI_COMPOSE_EDIT && !compose->from_draft &&
      g_strcmp0 (compose->body, text) == 0 &&
      (!compose->with_title || g_strcmp0 (compose->title, name) == 0))
    {
      hl_tui_show_message (self, FALSE, "Nothing changed");
      hl_tui_compose_free (compose);
      return;
    }
  g_free (compose->title);
  g_free (compose->body);
  compose->title = g_strdup (name);
  compose->body = g_strdup (text);
  if (*text == '\0' && *name == '\0')
    {
      hl_tui_show_message (self, FALSE, "Nothing was sent: the text was empty");
      hl_tui_compose_free (compose);
      return;
    }
  if (compose->with_title && *name == '\0')
    {
      hl_tui_show_message (self, TRUE, "Not sent (%c opens your text again): give the %s a %s "
                           "on the first line", key_for (compose),
                           compose->kind == HL_TUI_COMPOSE_SUBNET ? "subnet" : "thread",
                           compose->kind == HL_TUI_COMPOSE_SUBNET ? "name" : "title");
      hl_tui_compose_free (self->draft);
      self->draft = compose;
      return;
    }
  switch (compose->kind)
    {
    case HL_TUI_COMPOSE_SUBNET:
      kind = HL_KIND_SUBNET_CREATE;
      ref = NULL;
      json = hl_json_body ("name", name, "description", *text ? text : NULL, NULL);
      break;
    case HL_TUI_COMPOSE_THREAD:
      kind = HL_KIND_THREAD_CREATE;
      json = hl_json_body ("title", name, "body", text, NULL);
      break;
    case HL_TUI_COMPOSE_REPLY:
      kind = HL_KIND_REPLY_CREATE;
      hl_hex_encode (compose->parent, HL_ID_LEN, parent);
      json = hl_json_body ("body", text, "parent", compose->has_parent ? parent : NULL, NULL);
      break;
    case HL_TUI_COMPOSE_EDIT:
    default:
      kind = HL_KIND_EDIT;
      json = hl_json_body ("title", compose->with_title ? name : NULL, "body", text, NULL);
      break;
    }
  hl_tui_show_message (self, FALSE, "Sending…");
  hl_tui_publish (self, kind, ref, json, on_sent_cb, compose,
                  (GDestroyNotify) hl_tui_compose_free);
}

/* ---- deleting ---- */

typedef struct
{
  guint8   id[HL_ID_LEN];
  gboolean is_thread;
} Deletion;

static void
on_deleted_cb (HlTui        *self,
               const char   *id_hex,
               const GError *error,
               gpointer      data)
{
  Deletion *deletion = data;

  if (id_hex == NULL)
    {
      hl_tui_show_message (self, TRUE, "Not deleted: %s", error->message);
      return;
    }
  if (deletion->is_thread && self->posts.has_thread &&
      memcmp (self->posts.thread, deletion->id, HL_ID_LEN) == 0)
    {
      hl_tui_close_thread (self);
      self->focus = HL_TUI_PANE_THREADS;
    }
  hl_tui_reload_all (self);
  hl_tui_show_message (self, FALSE, "Deleted, here and, as they sync, on every peer");
}

static void
on_confirm_delete_cb (HlTui      *self,
                      const char *answer,
                      gpointer    data)
{
  Deletion *deletion = data;

  if (answer == NULL)
    return;
  hl_tui_publish (self, HL_KIND_DELETE, deletion->id, "{}", on_deleted_cb,
                  g_memdup2 (deletion, sizeof *deletion), g_free);
}

void
hl_tui_delete_post (HlTui           *self,
                    const HlPostRow *post)
{
  Deletion *deletion = g_new0 (Deletion, 1);
  g_autofree char *question = NULL;

  memcpy (deletion->id, post->id, HL_ID_LEN);
  deletion->is_thread = post->kind == HL_POST_THREAD;
  question = g_strdup_printf ("Delete your %s%s? Its text is erased here and on every peer. (y/N) ",
                              post->kind == HL_POST_THREAD ? "thread" : "reply",
                              post->kind == HL_POST_THREAD ? " and its replies" : "");
  hl_tui_ask (self, question, NULL, 0, on_confirm_delete_cb, deletion, g_free);
}

/* ---- the display name ---- */

static void
on_name_sent_cb (HlTui        *self,
                 const char   *id_hex,
                 const GError *error,
                 gpointer      data)
{
  if (id_hex == NULL)
    hl_tui_show_message (self, TRUE, "Name not changed: %s", error->message);
  else
    {
      hl_tui_reload_all (self);
      hl_tui_show_message (self, FALSE, "Others now see you as “%s”", (const char *) data);
    }
}

static void
on_name_cb (HlTui      *self,
            const char *answer,
            gpointer    data)
{
  g_autoptr(HlProfileRow) profile = hl_store_get_profile (self->store, self->key, NULL);
  g_autofree char *name = answer != NULL ? g_strstrip (g_strdup (answer)) : NULL;
  g_autofree char *json = NULL;

  if (name == NULL)
    return;
  if (*name == '\0')
    {
      hl_tui_show_message (self, TRUE, "A display name cannot be empty; nothing changed");
      return;
    }
  json = hl_json_body ("name", name, "bio", profile != NULL ? profile->bio : NULL, NULL);
  hl_tui_publish (self, HL_KIND_PROFILE, NULL, json, on_name_sent_cb, g_steal_pointer (&name),
                  g_free);
}

void
hl_tui_set_name (HlTui *self)
{
  g_autoptr(HlProfileRow) profile = hl_store_get_profile (self->store, self->key, NULL);

  hl_tui_ask (self, "Your display name: ", profile != NULL ? profile->name : "",
              HL_MAX_NAME_CHARS, on_name_cb, NULL, NULL);
}
