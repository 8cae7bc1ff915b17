/* hl-tui-private.h: what the files of src/tui share.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <curses.h>
#include <json-glib/json-glib.h>

#include "hl-tui.h"

#include "hl-identity.h"
#include "hl-node-runner.h"
#include "hl-read-marks.h"
#include "hl-store.h"
#include "hl-store-watch.h"
#include "hl-tui-text.h"

G_BEGIN_DECLS

/* Thread pages read from the store, and how many are kept. */
#define HL_TUI_PAGE_ROWS  100
#define HL_TUI_MAX_PAGES  8
#define HL_TUI_SEARCH_MAX 200

typedef enum
{
  HL_TUI_PANE_SUBNETS,
  HL_TUI_PANE_THREADS,
  HL_TUI_PANE_POSTS,
  HL_TUI_N_PANES,
} HlTuiPane;

typedef enum
{
  HL_TUI_VIEW_BROWSE,
  HL_TUI_VIEW_HELP,
  HL_TUI_VIEW_PEERS,
  HL_TUI_VIEW_EDITOR,
} HlTuiView;

typedef enum
{
  HL_TUI_STYLE_NORMAL,
  HL_TUI_STYLE_BAR,            /* pane titles and the status line */
  HL_TUI_STYLE_BAR_FOCUS,      /* the focused pane's title */
  HL_TUI_STYLE_SELECTED,       /* the selected row of the focused pane */
  HL_TUI_STYLE_SELECTED_DIM,   /* the selected row of another pane */
  HL_TUI_STYLE_DIM,            /* times, counts, tree lines */
  HL_TUI_STYLE_TITLE,
  HL_TUI_STYLE_UNREAD,
  HL_TUI_STYLE_AUTHOR,
  HL_TUI_STYLE_INERT,          /* what stands for a control character */
  HL_TUI_STYLE_ERROR,
  HL_TUI_STYLE_OK,
  HL_TUI_STYLE_MATCH,          /* search words in results */
  HL_TUI_N_STYLES,
} HlTuiStyle;

typedef enum
{
  HL_TUI_GLYPH_UNREAD,
  HL_TUI_GLYPH_UNSENT,         /* your thread, that no peer has yet */
  HL_TUI_GLYPH_ELLIPSIS,
  HL_TUI_GLYPH_BRANCH,         /* a reply with replies after it at its level */
  HL_TUI_GLYPH_LAST_BRANCH,
  HL_TUI_GLYPH_PIPE,
  HL_TUI_GLYPH_DOT,            /* between details: "Alice · 3h" */
  HL_TUI_GLYPH_SELECTED,       /* before the selected item of a screen list */
  HL_TUI_N_GLYPHS,
} HlTuiGlyph;

/* Which row is selected, and which is at the top of the pane. */
typedef struct
{
  guint sel;
  guint top;
} HlTuiCursor;

typedef struct
{
  guint      index;
  GPtrArray *rows;             /* HlPostRow */
  guint64    used;
} HlTuiPage;

/* The thread pane: a subnet's threads, a page at a time, or search results. */
typedef struct
{
  gboolean     has_subnet;
  guint8       subnet[HL_ID_LEN];
  guint        count;
  HlTuiPage    pages[HL_TUI_MAX_PAGES];
  guint        n_pages;
  guint64      clock;
  HlTuiCursor  cursor;
  char        *query;          /* non-NULL while the pane shows search results */
  GPtrArray   *results;        /* HlPostRow */
  HlTuiCursor  result_cursor;
} HlTuiThreads;

typedef enum
{
  HL_TUI_LINE_TITLE,
  HL_TUI_LINE_HEADER,          /* author, time, marks: drawn from the post */
  HL_TUI_LINE_BODY,
  HL_TUI_LINE_GAP,
} HlTuiLineKind;

typedef struct
{
  guint          post;
  HlTuiLineKind  kind;
  GArray        *guide;        /* HlTuiCell: the tree lines before the text */
  GArray        *cells;        /* HlTuiCell, or NULL */
} HlTuiPostLine;

/* The open thread: its post, then its replies in tree order. */
typedef struct
{
  gboolean     has_thread;
  guint8       thread[HL_ID_LEN];
  GPtrArray   *posts;          /* HlPostRow */
  GArray      *depth;          /* guint, per post */
  GPtrArray   *guides;         /* char *, per post: header guide; body guide follows a \n */
  GPtrArray   *lines;          /* HlTuiPostLine, for lines_width */
  GArray      *first_line;     /* guint, per post */
  guint        lines_width;
  guint        sel;            /* a post */
  guint        top;            /* a line */
  gboolean     reveal;         /* scroll to the selected post at the next drawing */
  char        *error;
} HlTuiPosts;

/* A line of text being typed. */
typedef struct
{
  GArray *chars;               /* gunichar */
  guint   cursor;
  guint   scroll;              /* first column shown */
  guint   max_chars;
} HlTuiEntry;

typedef void (*HlTuiPromptFunc) (HlTui      *self,
                                 const char *answer,   /* NULL: cancelled */
                                 gpointer    data);

typedef struct
{
  char            *label;
  HlTuiEntry      *entry;      /* NULL: a yes/no question */
  HlTuiPromptFunc  func;
  gpointer         data;
  GDestroyNotify   data_free;
} HlTuiPrompt;

typedef enum
{
  HL_TUI_COMPOSE_SUBNET,
  HL_TUI_COMPOSE_THREAD,
  HL_TUI_COMPOSE_REPLY,
  HL_TUI_COMPOSE_EDIT,
} HlTuiComposeKind;

typedef struct
{
  HlTuiComposeKind  kind;
  guint8            ref[HL_ID_LEN];     /* the subnet, thread or post */
  gboolean          has_parent;
  guint8            parent[HL_ID_LEN];  /* the reply answered */
  gboolean          with_title;
  char             *what;               /* "Reply to Alice in “Which distro?”" */
  char             *title;              /* what the text starts as */
  char             *body;
  char             *quote;              /* the post answered, for the editor's notes */
  gboolean          from_draft;         /* the text is one that could not be sent */
} HlTuiCompose;

/* The built-in editor, when there is no $VISUAL or $EDITOR. */
typedef struct
{
  HlTuiCompose *compose;
  HlTuiEntry   *title;         /* NULL without one */
  GPtrArray    *lines;         /* HlTuiEntry */
  guint         line;
  gboolean      in_title;
  guint         top;
} HlTuiEditor;

typedef struct
{
  char         *kind;          /* "peer", "bootstrap" or NULL (not selectable) */
  char         *address;
  HlTuiStyle    style;
  char         *text;
} HlTuiPeerLine;

struct _HlTui
{
  GObject          parent_instance;

  /* options */
  char            *data_dir;
  char            *database;
  int              in_fd;
  int              out_fd;
  char            *term;
  char            *log_path;
  gboolean         no_sync;
  char            *tailscale_socket;
  char            *invite_link;

  /* the forum */
  HlStore         *store;
  HlIdentity      *identity;
  guint8           key[HL_KEY_LEN];
  char            *key_hex;
  HlReadMarks     *marks;
  GKeyFile        *state;
  char            *state_path;
  HlStoreWatch    *watch;
  GCancellable    *cancellable;

  /* sync */
  HlNodeRunner    *runner;
  JsonObject      *status;
  guint            connected;
  gboolean         in_sync;

  /* the terminal */
  SCREEN          *screen;
  FILE            *in;
  FILE            *out;
  int              saved_stderr;
  gboolean         utf8;
  gboolean         color;
  int              rows;
  int              cols;
  GMainLoop       *loop;
  int              exit_code;
  guint            input_source;
  guint            signal_sources[4];
  guint            draw_source;
  gboolean         suspended;        /* another program has the terminal */
  gboolean         editing;          /* an editor has, or just had, the terminal: SIGINT was its */
  gboolean         show_cursor;      /* where an entry wants it, after drawing */
  int              cursor_y;
  int              cursor_x;
  gboolean         frame_complete;
  guint            keys_ignored;     /* while the terminal is too small */
  HlTuiFrameFunc   frame_func;
  gpointer         frame_data;
  attr_t           style_attr[HL_TUI_N_STYLES];
  short            style_pair[HL_TUI_N_STYLES];

  /* what is shown */
  HlTuiView        view;
  HlTuiPane        focus;
  GPtrArray       *subnets;          /* HlSubnetRow */
  HlTuiCursor      subnet_cursor;
  HlTuiThreads     threads;
  HlTuiPosts       posts;
  HlTuiCursor      help_cursor;
  HlTuiPrompt     *prompt;
  char            *message;
  gboolean         message_error;
  guint            message_source;
  HlTuiEditor     *editor;
  HlTuiCompose    *draft;            /* text that could not be sent, offered again */

  /* the peers screen */
  GPtrArray       *peer_lines;       /* HlTuiPeerLine */
  guint            peer_sel;
  guint            peer_top;
  char            *invite_made;      /* the last link made here */
  char            *invite_id;        /* an accepted invite followed, hex */
  char            *invite_node;
  gint64           invite_deadline;
  guint            invite_source;
  gboolean         pending_subnet;   /* open this subnet once it is here (from an invite) */
  guint8           pending_subnet_id[HL_ID_LEN];
};

/* hl-tui.c */
void         hl_tui_queue_draw        (HlTui          *self);
void         hl_tui_draw_now          (HlTui          *self);
void         hl_tui_draw_frame        (HlTui          *self,
                                       HlTuiFrameFlags flags);
void         hl_tui_show_message      (HlTui          *self,
                                       gboolean        error,
                                       const char     *format,
                                       ...) G_GNUC_PRINTF (3, 4);
void         hl_tui_ask               (HlTui          *self,
                                       const char     *label,
                                       const char     *initial,   /* NULL: a yes/no question */
                                       guint           max_chars,
                                       HlTuiPromptFunc func,
                                       gpointer        data,
                                       GDestroyNotify  data_free);
/* Gives the terminal to another program and takes it back. */
void         hl_tui_suspend_terminal  (HlTui          *self);
void         hl_tui_resume_terminal   (HlTui          *self);
gboolean     hl_tui_is_mine           (HlTui          *self,
                                       const guint8   *author);
char        *hl_tui_format_author     (const char     *name,
                                       const guint8   *key);
char        *hl_tui_format_time       (gint64          then_ms,
                                       gint64          now_ms);

/* hl-tui-draw.c */
void         hl_tui_init_styles       (HlTui          *self);
const char  *hl_tui_glyph             (HlTui          *self,
                                       HlTuiGlyph      glyph);
void         hl_tui_fill              (HlTui          *self,
                                       int             y,
                                       int             x,
                                       int             width,
                                       HlTuiStyle      style);
/* Draws @cells from (@y, @x) in at most @width columns, cut with an
 * ellipsis; returns the columns used. */
int          hl_tui_draw_cells        (HlTui          *self,
                                       int             y,
                                       int             x,
                                       int             width,
                                       GArray         *cells,
                                       HlTuiStyle      style);
int          hl_tui_draw_text         (HlTui          *self,
                                       int             y,
                                       int             x,
                                       int             width,
                                       const char     *text,
                                       HlTuiStyle      style);
/* Right-aligned in the @width columns that end at @x + @width. */
int          hl_tui_draw_text_right   (HlTui          *self,
                                       int             y,
                                       int             x,
                                       int             width,
                                       const char     *text,
                                       HlTuiStyle      style);
void         hl_tui_draw_vline        (HlTui          *self,
                                       int             y,
                                       int             x,
                                       int             height);
void         hl_tui_draw_too_small    (HlTui          *self);

/* hl-tui-data.c */
gboolean     hl_tui_data_open         (HlTui          *self,
                                       GError        **error);
void         hl_tui_data_close        (HlTui          *self);
void         hl_tui_data_watch        (HlTui          *self);
/* Reads again everything shown: the store changed. */
void         hl_tui_reload_all        (HlTui          *self);
void         hl_tui_reload_subnets    (HlTui          *self);
void         hl_tui_open_subnet       (HlTui          *self,
                                       const guint8   *subnet);
const HlSubnetRow *hl_tui_current_subnet (HlTui       *self);
/* The thread at @position of the open subnet, read with its page when
 * needed; NULL past the end or when it cannot be read. */
const HlPostRow *hl_tui_thread_at     (HlTui          *self,
                                       guint           position);
/* Reads the pages @first to @last (positions) need, in one query. */
void         hl_tui_threads_prepare   (HlTui          *self,
                                       guint           first,
                                       guint           last);
void         hl_tui_threads_reload    (HlTui          *self);
void         hl_tui_search            (HlTui          *self,
                                       const char     *query);
void         hl_tui_end_search        (HlTui          *self);
/* Notes what is open, for the next start (hl_tui_save_state at quit). */
void         hl_tui_remember          (HlTui          *self);
void         hl_tui_save_state        (HlTui          *self);
typedef void (*HlTuiPublishFunc) (HlTui        *self,
                                  const char   *id_hex,   /* NULL on failure */
                                  const GError *error,
                                  gpointer      data);
/* Signs and stores an event on a worker (the node's thread may hold the
 * write lock for a moment); @func runs on the main context. */
void         hl_tui_publish           (HlTui          *self,
                                       const char     *kind,
                                       const guint8   *ref,
                                       const char     *body_json,
                                       HlTuiPublishFunc func,
                                       gpointer        data,
                                       GDestroyNotify  data_free);

/* hl-tui-thread.c */
void         hl_tui_open_thread       (HlTui          *self,
                                       const guint8   *thread,
                                       const guint8   *select);
void         hl_tui_close_thread      (HlTui          *self);
void         hl_tui_posts_reload      (HlTui          *self);
void         hl_tui_posts_layout      (HlTui          *self,
                                       guint           width);
const HlPostRow *hl_tui_selected_post (HlTui          *self);
void         hl_tui_posts_select      (HlTui          *self,
                                       guint           post,
                                       guint           height);
void         hl_tui_posts_free        (HlTuiPosts     *posts);

/* hl-tui-panes.c */
/* Where the panes are: three side by side from 100 columns on, else the
 * two around the focused one. Rows @top to @top + @height - 1. */
typedef struct
{
  gboolean shown[HL_TUI_N_PANES];
  int      x[HL_TUI_N_PANES];
  int      width[HL_TUI_N_PANES];
  int      top;
  int      height;
} HlTuiLayout;

void         hl_tui_layout            (HlTui          *self,
                                       HlTuiLayout    *layout);
void         hl_tui_draw_browse       (HlTui          *self);
/* Moves @cursor's top so that its selection shows in @height rows. */
void         hl_tui_cursor_show       (HlTuiCursor    *cursor,
                                       guint           count,
                                       guint           height);
char        *hl_tui_format_count      (guint           count);

/* hl-tui-browse.c */
gboolean     hl_tui_browse_key        (HlTui          *self,
                                       int             kind,
                                       wint_t          key);
void         hl_tui_browse_mouse      (HlTui          *self,
                                       const MEVENT   *event);

/* hl-tui-compose.c */
void         hl_tui_compose           (HlTui          *self,
                                       HlTuiCompose   *compose);
void         hl_tui_compose_free      (HlTuiCompose   *compose);
void         hl_tui_compose_finish    (HlTui          *self,
                                       HlTuiCompose   *compose,
                                       const char     *title,
                                       const char     *body);
void         hl_tui_delete_post       (HlTui          *self,
                                       const HlPostRow *post);
void         hl_tui_set_name          (HlTui          *self);

/* hl-tui-edit.c */
HlTuiEntry  *hl_tui_entry_new         (const char     *text,
                                       guint           max_chars);
void         hl_tui_entry_free        (HlTuiEntry     *entry);
char        *hl_tui_entry_dup_text    (HlTuiEntry     *entry);
gboolean     hl_tui_entry_is_empty    (HlTuiEntry     *entry);
/* Handles editing keys; FALSE for those it leaves to the caller. */
gboolean     hl_tui_entry_key         (HlTuiEntry     *entry,
                                       int             kind,
                                       wint_t          key);
/* Draws the entry and puts the terminal's cursor at its cursor. */
void         hl_tui_entry_draw        (HlTui          *self,
                                       HlTuiEntry     *entry,
                                       int             y,
                                       int             x,
                                       int             width,
                                       gboolean        focused);
void         hl_tui_editor_open       (HlTui          *self,
                                       HlTuiCompose   *compose);
void         hl_tui_editor_free       (HlTuiEditor    *editor);
void         hl_tui_draw_editor       (HlTui          *self);
void         hl_tui_editor_key        (HlTui          *self,
                                       int             kind,
                                       wint_t          key);

/* hl-tui-help.c */
void         hl_tui_draw_help         (HlTui          *self);
void         hl_tui_help_key          (HlTui          *self,
                                       int             kind,
                                       wint_t          key);

/* hl-tui-peers.c */
void         hl_tui_show_peers        (HlTui          *self);
void         hl_tui_draw_peers        (HlTui          *self);
void         hl_tui_peers_key         (HlTui          *self,
                                       int             kind,
                                       wint_t          key);
void         hl_tui_peers_refresh     (HlTui          *self);
void         hl_tui_offer_invite      (HlTui          *self,
                                       const char     *link);

/* hl-tui-sync.c */
/* Makes the node runner (none with --no-sync), listening where @listen
 * (--listen or $HYPERLINK_LISTEN) says: HOST:PORT, [V6]:PORT, HOST (at
 * 9473) or "none"; NULL or empty: as hyperlinkd, loopback and the tailnet
 * addresses at 9473. */
gboolean     hl_tui_sync_prepare      (HlTui          *self,
                                       const char     *listen,
                                       GError        **error);
void         hl_tui_sync_start        (HlTui          *self);
void         hl_tui_sync_stop         (HlTui          *self);
char        *hl_tui_sync_dup_summary  (HlTui          *self);
char        *hl_tui_sync_dup_details  (HlTui          *self);
JsonArray   *hl_tui_sync_get_peers    (HlTui          *self);
const char  *hl_tui_sync_get_tailscale (HlTui         *self);

/* Keys as wget_wch() gives them: @kind is OK for a character, KEY_CODE_YES
 * for a function key. */
#define HL_TUI_IS_CHAR(kind, key, c)  ((kind) == OK && (key) == (wint_t) (c))
#define HL_TUI_IS_CODE(kind, key, c)  ((kind) == KEY_CODE_YES && (key) == (wint_t) (c))
#define HL_TUI_CTRL(c)                ((c) & 0x1f)
#define HL_TUI_ESC                    0x1b

G_END_DECLS
