/* hl-tui.c: hyperlink-tui's terminal, main loop and keys.
 *
 * ncurses draws; GLib runs everything else. The terminal's input is a
 * source on the main loop (g_unix_fd_add on its descriptor, read with
 * wget_wch in no-delay mode until it is empty), so that keys, the node's
 * status, changes to the store and timers all wake the same loop, and a
 * peer's post shows without a key being pressed. SIGWINCH is a GLib signal
 * source too (installed before ncurses, which then leaves it alone): the
 * new size comes from the terminal (TIOCGWINSZ) and resize_term(). Each
 * frame erases ncurses' copy of the screen and draws it whole, then
 * doupdate() sends the terminal only what changed: no clear(), no flicker.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-tui-private.h"

#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <glib-unix.h>

#include "hl-error.h"
#include "hl-paths.h"

#define MESSAGE_S   8
/* How long ncurses waits after ESC for the rest of a key's sequence. */
#define ESC_DELAY_MS 25

G_DEFINE_FINAL_TYPE (HlTui, hl_tui, G_TYPE_OBJECT)

static const int quit_signals[] = { SIGTERM, SIGINT, SIGHUP };

/* ---- GObject ---- */

static void
hl_tui_dispose (GObject *object)
{
  HlTui *self = HL_TUI (object);

  g_cancellable_cancel (self->cancellable);
  hl_tui_sync_stop (self);
  g_clear_handle_id (&self->invite_source, g_source_remove);
  g_clear_handle_id (&self->message_source, g_source_remove);
  g_clear_handle_id (&self->draw_source, g_source_remove);
  G_OBJECT_CLASS (hl_tui_parent_class)->dispose (object);
}

static void
hl_tui_prompt_free (HlTuiPrompt *prompt)
{
  if (prompt == NULL)
    return;
  if (prompt->data_free != NULL)
    prompt->data_free (prompt->data);
  hl_tui_entry_free (prompt->entry);
  g_free (prompt->label);
  g_free (prompt);
}

static void
hl_tui_finalize (GObject *object)
{
  HlTui *self = HL_TUI (object);

  hl_tui_data_close (self);
  hl_tui_posts_free (&self->posts);
  hl_tui_prompt_free (self->prompt);
  hl_tui_editor_free (self->editor);
  hl_tui_compose_free (self->draft);
  g_clear_pointer (&self->peer_lines, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->invite_made);
  g_free (self->invite_id);
  g_free (self->invite_node);
  g_free (self->message);
  g_free (self->key_hex);
  g_free (self->state_path);
  g_free (self->data_dir);
  g_free (self->database);
  g_free (self->term);
  g_free (self->log_path);
  g_free (self->tailscale_socket);
  g_free (self->invite_link);
  G_OBJECT_CLASS (hl_tui_parent_class)->finalize (object);
}

static void
hl_tui_class_init (HlTuiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_tui_dispose;
  object_class->finalize = hl_tui_finalize;
}

static void
hl_tui_init (HlTui *self)
{
  self->cancellable = g_cancellable_new ();
  self->saved_stderr = -1;
  self->focus = HL_TUI_PANE_SUBNETS;
}

/* ---- small things every file uses ---- */

gboolean
hl_tui_is_mine (HlTui        *self,
                const guint8 *author)
{
  return memcmp (author, self->key, HL_KEY_LEN) == 0;
}

char *
hl_tui_format_author (const char   *name,
                      const guint8 *key)
{
  char hex[HL_KEY_LEN * 2 + 1];

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  hl_hex_encode (key, HL_KEY_LEN, hex);
  return g_strdup_printf ("Anonymous %.8s", hex);
}

/* Short, for columns: "now", "5m", "3h", "2d", " 5 Mar", "Mar 2024". The
 * zone is read once: GLib 2.74 reads the zone file again on every
 * g_time_zone_new_local() when TZ is unset. */
char *
hl_tui_format_time (gint64 then_ms,
                    gint64 now_ms)
{
  static GTimeZone *zone;
  gint64 minutes = (now_ms - then_ms) / 60000;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (then_ms <= 0)
    return g_strdup ("");
  if (minutes < 1)
    return g_strdup ("now");
  if (minutes < 60)
    return g_strdup_printf ("%dm", (int) minutes);
  if (minutes < 24 * 60)
    return g_strdup_printf ("%dh", (int) (minutes / 60));
  if (minutes < 7 * 24 * 60)
    return g_strdup_printf ("%dd", (int) (minutes / (24 * 60)));
  if (zone == NULL)
    zone = g_time_zone_new_local ();
  if (!(utc = g_date_time_new_from_unix_utc (then_ms / 1000)) ||
      !(then = g_date_time_to_timezone (utc, zone)) ||
      !(now = g_date_time_new_now (zone)))
    return g_strdup ("");
  return g_date_time_format (then, g_date_time_get_year (then) == g_date_time_get_year (now)
                                   ? "%e %b" : "%b %Y");
}

/* ---- messages and questions on the status line ---- */

static gboolean
clear_message_cb (gpointer user_data)
{
  HlTui *self = user_data;

  self->message_source = 0;
  g_clear_pointer (&self->message, g_free);
  hl_tui_queue_draw (self);
  return G_SOURCE_REMOVE;
}

void
hl_tui_show_message (HlTui      *self,
                     gboolean    error,
                     const char *format,
                     ...)
{
  va_list args;

  g_free (self->message);
  va_start (args, format);
  self->message = g_strdup_vprintf (format, args);
  va_end (args);
  self->message_error = error;
  /* Into the log too: what the screen said is what a bug report needs. */
  g_message ("%s", self->message);
  g_clear_handle_id (&self->message_source, g_source_remove);
  self->message_source = g_timeout_add_seconds (MESSAGE_S, clear_message_cb, self);
  hl_tui_queue_draw (self);
}

void
hl_tui_ask (HlTui           *self,
            const char      *label,
            const char      *initial,
            guint            max_chars,
            HlTuiPromptFunc  func,
            gpointer         data,
            GDestroyNotify   data_free)
{
  HlTuiPrompt *prompt = g_new0 (HlTuiPrompt, 1);

  prompt->label = g_strdup (label);
  if (initial != NULL)
    prompt->entry = hl_tui_entry_new (initial, max_chars);
  prompt->func = func;
  prompt->data = data;
  prompt->data_free = data_free;
  hl_tui_prompt_free (self->prompt);
  self->prompt = prompt;
  hl_tui_queue_draw (self);
}

static void
answer_prompt (HlTui      *self,
               const char *answer)
{
  HlTuiPrompt *prompt = g_steal_pointer (&self->prompt);

  /* The answer may ask another question. */
  prompt->func (self, answer, prompt->data);
  hl_tui_prompt_free (prompt);
}

static void
prompt_key (HlTui  *self,
            int     kind,
            wint_t  key)
{
  HlTuiPrompt *prompt = self->prompt;

  if (prompt->entry == NULL)
    {
      answer_prompt (self, HL_TUI_IS_CHAR (kind, key, 'y') || HL_TUI_IS_CHAR (kind, key, 'Y')
                           ? "y" : NULL);
      return;
    }
  if (HL_TUI_IS_CHAR (kind, key, '\n') || HL_TUI_IS_CHAR (kind, key, '\r') ||
      HL_TUI_IS_CODE (kind, key, KEY_ENTER))
    {
      g_autofree char *text = hl_tui_entry_dup_text (prompt->entry);

      answer_prompt (self, text);
    }
  else if (HL_TUI_IS_CHAR (kind, key, HL_TUI_ESC))
    answer_prompt (self, NULL);
  else
    hl_tui_entry_key (prompt->entry, kind, key);
}

/* ---- drawing ---- */

static gboolean
too_small (HlTui *self)
{
  return self->cols < HL_TUI_MIN_COLS || self->rows < HL_TUI_MIN_ROWS;
}

static const char *
hints (HlTui *self)
{
  switch (self->view)
    {
    case HL_TUI_VIEW_HELP:
      return "↑↓ scroll · q closes";
    case HL_TUI_VIEW_PEERS:
      return "a add peer · b bootstrap · x remove · i accept invite · c make invite · q back";
    case HL_TUI_VIEW_EDITOR:
      return "Enter new line · Tab title/text · Ctrl+D sends · Esc cancels";
    case HL_TUI_VIEW_BROWSE:
    default:
      break;
    }
  switch (self->focus)
    {
    case HL_TUI_PANE_SUBNETS:
      return "↑↓ move · Enter open · N new subnet · / search · p peers · ? help · q quit";
    case HL_TUI_PANE_THREADS:
      return "↑↓ move · Enter open · n new · r reply · / search · p peers · ? help · q back";
    case HL_TUI_PANE_POSTS:
    case HL_TUI_N_PANES:
    default:
      return "↑↓ post · Space page · r reply · e edit · d delete · ? help · q back";
    }
}

static void
draw_status (HlTui *self)
{
  int y = self->rows - 1;
  g_autofree char *summary = hl_tui_sync_dup_summary (self);
  g_autofree char *right = NULL;
  int right_width;

  if (self->runner != NULL && hl_node_runner_get_state (self->runner) == HL_NODE_RUNNER_EXTERNAL)
    right = g_strdup_printf ("%s (hyperlinkd)", summary);
  else
    right = g_strdup (summary);
  right_width = (int) hl_tui_text_width (right) + 2;
  hl_tui_fill (self, y, 0, self->cols, HL_TUI_STYLE_BAR);
  if (self->prompt != NULL)
    {
      int used;

      hl_tui_fill (self, y, 0, self->cols, HL_TUI_STYLE_NORMAL);
      /* A question has the line; a label leaves room for the answer. */
      used = hl_tui_draw_text (self, y, 0, self->prompt->entry != NULL ? self->cols / 2
                                                                      : self->cols - 1,
                               self->prompt->label, HL_TUI_STYLE_TITLE);
      if (self->prompt->entry != NULL)
        hl_tui_entry_draw (self, self->prompt->entry, y, used, self->cols - used - 1, TRUE);
      else
        {
          self->show_cursor = TRUE;
          self->cursor_y = y;
          self->cursor_x = MIN (used, self->cols - 1);
        }
      return;
    }
  if (self->message != NULL)
    {
      hl_tui_fill (self, y, 0, self->cols - right_width, HL_TUI_STYLE_NORMAL);
      hl_tui_draw_text (self, y, 1, self->cols - right_width - 2, self->message,
                        self->message_error ? HL_TUI_STYLE_ERROR : HL_TUI_STYLE_OK);
    }
  else
    hl_tui_draw_text (self, y, 1, self->cols - right_width - 2, hints (self), HL_TUI_STYLE_BAR);
  hl_tui_draw_text_right (self, y, 0, self->cols - 1, right, HL_TUI_STYLE_BAR);
}

void
hl_tui_draw_now (HlTui *self)
{
  hl_tui_draw_frame (self, 0);
}

void
hl_tui_draw_frame (HlTui           *self,
                   HlTuiFrameFlags  flags)
{
  g_clear_handle_id (&self->draw_source, g_source_remove);
  if (self->screen == NULL || self->suspended)
    return;
  self->show_cursor = FALSE;
  self->frame_complete = TRUE;
  werase (stdscr);
  if (too_small (self))
    {
      self->frame_complete = FALSE;
      hl_tui_draw_too_small (self);
    }
  else
    {
      switch (self->view)
        {
        case HL_TUI_VIEW_HELP:
          hl_tui_draw_help (self);
          break;
        case HL_TUI_VIEW_PEERS:
          hl_tui_draw_peers (self);
          break;
        case HL_TUI_VIEW_EDITOR:
          hl_tui_draw_editor (self);
          break;
        case HL_TUI_VIEW_BROWSE:
        default:
          hl_tui_draw_browse (self);
          break;
        }
      draw_status (self);
    }
  curs_set (self->show_cursor ? 1 : 0);
  if (self->show_cursor)
    move (self->cursor_y, self->cursor_x);
  wnoutrefresh (stdscr);
  doupdate ();
  if (self->frame_complete && self->view == HL_TUI_VIEW_BROWSE)
    flags |= HL_TUI_FRAME_COMPLETE;
  if (self->frame_func != NULL)
    self->frame_func (self, flags, self->frame_data);
}

static gboolean
draw_cb (gpointer user_data)
{
  HlTui *self = user_data;

  self->draw_source = 0;
  hl_tui_draw_now (self);
  return G_SOURCE_REMOVE;
}

void
hl_tui_queue_draw (HlTui *self)
{
  if (self->draw_source == 0 && self->screen != NULL)
    self->draw_source = g_idle_add (draw_cb, self);
}

/* ---- the terminal ---- */

static void
read_size (HlTui *self)
{
  struct winsize size;

  if (ioctl (self->out_fd, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0 &&
      (size.ws_row != LINES || size.ws_col != COLS))
    resize_term (size.ws_row, size.ws_col);
  getmaxyx (stdscr, self->rows, self->cols);
  if (!too_small (self))
    self->keys_ignored = 0;
}

static gboolean
start_terminal (HlTui   *self,
                GError **error)
{
  const char *term = self->term != NULL ? self->term : g_getenv ("TERM");

  if (!isatty (self->in_fd) || !isatty (self->out_fd))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO, "hyperlink-tui needs a terminal; for "
                   "scripts, use hyperlinkctl");
      return FALSE;
    }
  if (term == NULL || *term == '\0')
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO, "TERM is not set: set it to your "
                   "terminal's type, e.g. TERM=xterm-256color");
      return FALSE;
    }
  self->in = fdopen (dup (self->in_fd), "r");
  self->out = fdopen (dup (self->out_fd), "w");
  if (self->in == NULL || self->out == NULL ||
      !(self->screen = newterm (term, self->out, self->in)))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO, "Cannot use the terminal type “%s”: "
                   "it is not in the terminfo database (set TERM to one that is, e.g. "
                   "xterm-256color)", term);
      return FALSE;
    }
  set_term (self->screen);
  raw ();
  noecho ();
  nonl ();
  keypad (stdscr, TRUE);
  nodelay (stdscr, TRUE);
  set_escdelay (ESC_DELAY_MS);
  /* Clicks come as presses at once: no waiting to tell clicks from drags.
   * Every button's events are asked for, releases included, although only
   * presses are acted on: for an event it was not asked for, ncurses 6.4
   * reads on with a blocking read(), and the loop would hang there. */
  mouseinterval (0);
  mousemask (ALL_MOUSE_EVENTS, NULL);
  hl_tui_init_styles (self);
  self->utf8 = g_strcmp0 (nl_langinfo (CODESET), "UTF-8") == 0;
  read_size (self);
  return TRUE;
}

static void
stop_terminal (HlTui *self)
{
  if (self->screen != NULL)
    {
      endwin ();
      delscreen (self->screen);
      self->screen = NULL;
    }
  g_clear_pointer (&self->in, fclose);
  g_clear_pointer (&self->out, fclose);
}

static gboolean
end_editing_cb (gpointer user_data)
{
  HL_TUI (user_data)->editing = FALSE;
  return G_SOURCE_REMOVE;
}

void
hl_tui_suspend_terminal (HlTui *self)
{
  self->editing = TRUE;
  self->suspended = TRUE;
  g_clear_handle_id (&self->draw_source, g_source_remove);
  endwin ();
}

void
hl_tui_resume_terminal (HlTui *self)
{
  /* A Ctrl+C in the editor reached us too; its signal source runs before
   * this low-priority idle, while "editing" still says to ignore it. */
  g_idle_add_full (G_PRIORITY_LOW, end_editing_cb, g_object_ref (self), g_object_unref);
  self->suspended = FALSE;
  reset_prog_mode ();
  read_size (self);
  clearok (curscr, TRUE);
  hl_tui_draw_now (self);
}

/* ---- keys ---- */

static void
quit_key (HlTui  *self,
          int     kind,
          wint_t  key)
{
  if (HL_TUI_IS_CHAR (kind, key, 'q') || HL_TUI_IS_CHAR (kind, key, 'Q'))
    hl_tui_quit (self);
  else
    self->keys_ignored++;
}

static void
handle_key (HlTui  *self,
            int     kind,
            wint_t  key)
{
  MEVENT event;

  if (HL_TUI_IS_CODE (kind, key, KEY_RESIZE))
    {
      read_size (self);
      return;
    }
  if (HL_TUI_IS_CODE (kind, key, KEY_MOUSE))
    {
      if (getmouse (&event) == OK && self->prompt == NULL && self->view == HL_TUI_VIEW_BROWSE &&
          !too_small (self))
        hl_tui_browse_mouse (self, &event);
      return;
    }
  if (HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('c')))
    hl_tui_quit (self);
  else if (HL_TUI_IS_CHAR (kind, key, HL_TUI_CTRL ('l')))
    clearok (curscr, TRUE);
  else if (too_small (self))
    quit_key (self, kind, key);
  else if (self->prompt != NULL)
    prompt_key (self, kind, key);
  else if (self->view == HL_TUI_VIEW_EDITOR)
    hl_tui_editor_key (self, kind, key);
  else if (self->view == HL_TUI_VIEW_HELP)
    hl_tui_help_key (self, kind, key);
  else if (HL_TUI_IS_CHAR (kind, key, '?'))
    {
      self->view = HL_TUI_VIEW_HELP;
      self->help_cursor.top = 0;
    }
  else if (HL_TUI_IS_CHAR (kind, key, 'Q'))
    hl_tui_quit (self);
  else if (self->view == HL_TUI_VIEW_PEERS)
    hl_tui_peers_key (self, kind, key);
  else if (HL_TUI_IS_CHAR (kind, key, 'p'))
    hl_tui_show_peers (self);
  else
    hl_tui_browse_key (self, kind, key);
}

static gboolean
on_input_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  HlTui *self = user_data;
  gboolean any = FALSE;
  wint_t key;
  int kind;

  if (condition & (G_IO_HUP | G_IO_ERR | G_IO_NVAL))
    {
      /* The terminal went away (a closed SSH session): nothing to draw on. */
      self->input_source = 0;
      hl_tui_quit (self);
      return G_SOURCE_REMOVE;
    }
  while (self->loop != NULL && g_main_loop_is_running (self->loop) &&
         (kind = wget_wch (stdscr, &key)) != ERR)
    {
      any = TRUE;
      handle_key (self, kind, key);
    }
  if (any)
    hl_tui_draw_frame (self, HL_TUI_FRAME_AFTER_INPUT);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_winch_cb (gpointer user_data)
{
  HlTui *self = user_data;

  if (self->screen != NULL && !self->suspended)
    {
      read_size (self);
      clearok (curscr, TRUE);
      hl_tui_draw_now (self);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_quit_signal_cb (gpointer user_data)
{
  HlTui *self = user_data;

  if (!self->editing)
    hl_tui_quit (self);
  return G_SOURCE_CONTINUE;
}

/* ---- public API ---- */

void
hl_tui_options_init (HlTuiOptions *options)
{
  memset (options, 0, sizeof *options);
  options->in_fd = STDIN_FILENO;
  options->out_fd = STDOUT_FILENO;
}

HlTui *
hl_tui_new (const HlTuiOptions  *options,
            GError             **error)
{
  g_autoptr(HlTui) self = NULL;
  const char *listen;

  g_return_val_if_fail (options != NULL && options->data_dir != NULL, NULL);

  self = g_object_new (HL_TYPE_TUI, NULL);
  self->data_dir = g_strdup (options->data_dir);
  self->database = hl_paths_database (options->data_dir);
  self->in_fd = options->in_fd;
  self->out_fd = options->out_fd;
  self->term = g_strdup (options->term);
  self->log_path = g_strdup (options->log_path);
  self->no_sync = options->no_sync;
  self->tailscale_socket = g_strdup (options->tailscale_socket);
  self->invite_link = g_strdup (options->invite);
  listen = options->listen != NULL ? options->listen : g_getenv (HL_TUI_LISTEN_ENV);
  if (!hl_tui_sync_prepare (self, listen, error) || !hl_tui_data_open (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The subnet and thread open when the client last quit open again. */
static void
restore (HlTui *self)
{
  g_autofree char *subnet_hex = g_key_file_get_string (self->state, "tui", "subnet", NULL);
  g_autofree char *thread_hex = g_key_file_get_string (self->state, "tui", "thread", NULL);
  g_autoptr(HlProfileRow) profile = hl_store_get_profile (self->store, self->key, NULL);
  guint8 id[HL_ID_LEN];

  hl_tui_reload_subnets (self);
  if (subnet_hex != NULL && hl_hex_decode (subnet_hex, id, HL_ID_LEN))
    hl_tui_open_subnet (self, id);
  if (hl_tui_current_subnet (self) == NULL && self->subnets != NULL && self->subnets->len > 0)
    hl_tui_open_subnet (self, ((HlSubnetRow *) g_ptr_array_index (self->subnets, 0))->id);
  else if (hl_tui_current_subnet (self) == NULL)
    hl_tui_open_subnet (self, NULL);
  self->focus = self->threads.has_subnet ? HL_TUI_PANE_THREADS : HL_TUI_PANE_SUBNETS;
  if (thread_hex != NULL && hl_hex_decode (thread_hex, id, HL_ID_LEN))
    {
      hl_tui_open_thread (self, id, NULL);
      if (self->posts.error != NULL)
        hl_tui_close_thread (self);
    }
  if (profile == NULL)
    hl_tui_show_message (self, FALSE, "Welcome to Hyperlink. P sets the name others see you by; "
                         "? lists every key");
}

static gboolean
redirect_stderr (HlTui   *self,
                 GError **error)
{
  int fd;

  if (self->log_path == NULL)
    return TRUE;
  /* Anything written to standard error would land in the middle of the
   * screen: while the screen is ours, it goes to the log. */
  fd = open (self->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO, "Cannot write the log %s: %s",
                   self->log_path, g_strerror (errno));
      return FALSE;
    }
  fflush (stderr);
  self->saved_stderr = dup (STDERR_FILENO);
  dup2 (fd, STDERR_FILENO);
  close (fd);
  return TRUE;
}

static void
restore_stderr (HlTui *self)
{
  if (self->saved_stderr < 0)
    return;
  fflush (stderr);
  dup2 (self->saved_stderr, STDERR_FILENO);
  close (self->saved_stderr);
  self->saved_stderr = -1;
}

int
hl_tui_run (HlTui   *self,
            GError **error)
{
  g_return_val_if_fail (HL_IS_TUI (self), 1);
  g_return_val_if_fail (self->loop == NULL, 1);

  /* Before ncurses: it installs handlers of its own only where none is. */
  self->signal_sources[0] = g_unix_signal_add (SIGWINCH, on_winch_cb, self);
  for (guint i = 0; i < G_N_ELEMENTS (quit_signals); i++)
    self->signal_sources[i + 1] = g_unix_signal_add (quit_signals[i], on_quit_signal_cb, self);
  if (!redirect_stderr (self, error) || !start_terminal (self, error))
    {
      stop_terminal (self);
      restore_stderr (self);
      for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
        g_clear_handle_id (&self->signal_sources[i], g_source_remove);
      return 1;
    }
  self->loop = g_main_loop_new (NULL, FALSE);
  hl_tui_data_watch (self);
  hl_tui_sync_start (self);
  restore (self);
  if (self->invite_link != NULL)
    {
      hl_tui_show_peers (self);
      hl_tui_offer_invite (self, self->invite_link);
    }
  self->input_source = g_unix_fd_add (self->in_fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_input_cb,
                                      self);
  hl_tui_draw_now (self);

  g_main_loop_run (self->loop);

  g_clear_handle_id (&self->input_source, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    g_clear_handle_id (&self->signal_sources[i], g_source_remove);
  g_clear_handle_id (&self->draw_source, g_source_remove);
  hl_tui_save_state (self);
  stop_terminal (self);
  hl_tui_sync_stop (self);
  restore_stderr (self);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  return self->exit_code;
}

void
hl_tui_quit (HlTui *self)
{
  g_return_if_fail (HL_IS_TUI (self));

  if (self->loop != NULL)
    g_main_loop_quit (self->loop);
}

void
hl_tui_set_frame_func (HlTui          *self,
                       HlTuiFrameFunc  func,
                       gpointer        user_data)
{
  g_return_if_fail (HL_IS_TUI (self));

  self->frame_func = func;
  self->frame_data = user_data;
}
