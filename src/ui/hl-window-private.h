/* hl-window-private.h: what the window's files share.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-window.h"

#include "hl-composer.h"
#include "hl-invite.h"
#include "hl-older-history.h"
#include "hl-post-list-model.h"
#include "hl-subnet-list-model.h"
#include "hl-sync.h"
#include "hl-thread-list-model.h"

G_BEGIN_DECLS

typedef struct _HlInviteWait HlInviteWait;

struct _HlWindow
{
  AdwApplicationWindow  parent_instance;

  HlForum              *forum;
  GObject              *archive_settings; /* HlArchiveSettings: applied while the window runs */
  HlSync               *sync;            /* NULL: no sync indicator */
  GSettings            *settings;
  GCancellable         *cancellable;     /* cancelled when the window closes */
  GCancellable         *search_cancellable;
  HlSubnetListModel    *subnet_model;
  HlThreadListModel    *thread_model;
  HlOlderHistoryItem   *older_item;      /* what of the open subnet is dropped here */
  GListStore           *older_rows;      /* none or older_item, while it is shown */
  GListModel           *thread_rows;     /* thread_model, then older_rows: the list's */
  HlPostListModel      *post_model;
  GListStore           *result_model;
  GtkSingleSelection   *subnet_selection;
  GtkSingleSelection   *thread_selection;
  GtkNoSelection       *post_selection;
  GtkSingleSelection   *result_selection;
  GtkWindow            *composer;

  gboolean              has_subnet;
  guint8                subnet[HL_ID_LEN];
  gboolean              has_thread;
  guint8                thread[HL_ID_LEN];
  gboolean              moderator;
  gboolean              owner;         /* this device created the open subnet */
  gboolean              searching;
  guint                 clock_source;  /* refreshes relative times */
  gboolean              thread_from_last_time;
  gboolean              subnets_seen;  /* the first list of subnets has arrived */
  gboolean              forum_empty;   /* no subnet at all: one page says what to do */
  gboolean              restoring;     /* selection set by code, not by the user */
  GObject              *dialog;        /* the question or settings dialog shown, or NULL */
  HlInviteWait         *invite_wait;   /* an accepted invite not settled yet */
  char                 *last_toast;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *app_title;
  GtkButton            *sync_button;
  GtkStack             *main_stack;
  GtkWidget            *panes_box;        /* holds outer_fold (hl-window-layout.c) */
  GtkWidget            *outer_fold;       /* subnets | content_pane: an AdwLeaflet
                                           * (libadwaita 1.2) or AdwNavigationSplitView */
  GtkWidget            *inner_fold;       /* threads | open thread: the same */
  GObject              *medium_breakpoint; /* AdwBreakpoint (1.4): the sidebar collapses */
  GObject              *narrow_breakpoint; /* AdwBreakpoint (1.4): one pane at a time */
  AdwHeaderBar         *subnet_header;
  AdwHeaderBar         *thread_header;
  AdwHeaderBar         *post_header;
  GtkWidget            *subnets_button;   /* the thread list's back button */
  GtkWidget            *back_button;      /* the open thread's */
  GtkWidget            *sidebar_separator;
  GtkWidget            *content_pane;     /* an AdwBin around inner_fold */
  GtkWidget            *subnet_pane;
  GtkWidget            *thread_pane;
  GtkWidget            *post_pane;
  GtkStack             *subnet_stack;
  GtkListView          *subnet_list;
  AdwWindowTitle       *thread_pane_title;
  AdwWindowTitle       *post_pane_title;
  GtkToggleButton      *search_button;
  GtkWidget            *subnet_menu_button;  /* shown to the open subnet's owner */
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *thread_stack;
  HlOlderHistory       *older_history;  /* below a search's results: months not here */
  GtkSpinner           *thread_spinner;
  GtkListView          *thread_list;
  GtkListView          *result_list;
  GtkStack             *post_stack;
  GtkListView          *post_list;
  AdwEntryRow          *welcome_name_row;
  GtkWidget            *empty_restore;    /* the offer to restore history (hl-window-restore.c) */
};

void hl_window_open_subnet       (HlWindow      *self,
                                  const guint8  *id);
/* @id NULL closes the thread. */
void hl_window_open_thread       (HlWindow      *self,
                                  const guint8  *id);
void hl_window_toast_error       (HlWindow      *self,
                                  const char    *what,
                                  GError        *error);
/* Opens the composer (closing one already open, which keeps its draft). */
void hl_window_compose           (HlWindow      *self,
                                  HlComposeKind  kind,
                                  const char    *ref,
                                  gboolean       with_title,
                                  const char    *title,
                                  const char    *body);

/* hl-window-older.c: the thread list's last row, "Older history". */
GListModel *hl_window_older_init       (HlWindow     *self);
/* Reads again what the open subnet (and a search) lack. */
void        hl_window_older_update     (HlWindow     *self);
gboolean    hl_window_older_shown      (HlWindow     *self);
/* Loads when @position is the Older history row; FALSE: it is a thread. */
gboolean    hl_window_older_activate   (HlWindow     *self,
                                        guint         position);
void        hl_window_older_set_runner (HlWindow     *self,
                                        HlNodeRunner *runner);
void        hl_window_older_dispose    (HlWindow     *self);

/* hl-window-restore.c */
void hl_window_restore_history_action (GtkWidget *widget, const char *action_name,
                                       GVariant *parameter);
void hl_window_restore_offer_update   (HlWindow  *self);

/* Actions, installed by hl_window_class_init() (hl-window-post.c). */
void hl_window_new_subnet_action  (GtkWidget *widget, const char *action_name, GVariant *parameter);
/* hl-window-zones.c */
void hl_window_zones_policy_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_new_private_subnet_action (GtkWidget *widget, const char *action_name,
                                          GVariant *parameter);
void hl_window_private_members_action (GtkWidget *widget, const char *action_name,
                                       GVariant *parameter);
void hl_window_subnet_members_action (GtkWidget *widget, const char *action_name,
                                      GVariant *parameter);
void hl_window_new_thread_action  (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_reply_action       (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_edit_post_action   (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_delete_post_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_hide_post_action   (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_copy_link_action   (GtkWidget *widget, const char *action_name, GVariant *parameter);
/* Asks the store whether this device moderates the open subnet (win.hide-post). */
void hl_window_check_moderator    (HlWindow  *self);

/* hl-window-toast.c: a sentence for a person from @error's domain and
 * code, or NULL when there is none. */
const char *hl_window_describe_error        (const GError   *error);

/* hl-window-nav.c */
void hl_window_back_action            (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_show_subnets_action    (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_search_action          (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_find_action            (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_select_subnet_action   (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_open_thread_action     (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_next_thread_action     (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_previous_thread_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_next_unread_action     (GtkWidget *widget, const char *action_name, GVariant *parameter);

/* hl-window-search.c */
void hl_window_on_search_changed_cb         (HlWindow       *self,
                                             GtkSearchEntry *entry);
void hl_window_on_search_mode_cb            (HlWindow       *self,
                                             GParamSpec     *pspec,
                                             GtkSearchBar   *bar);

/* hl-window-welcome.c */
void hl_window_check_welcome                (HlWindow       *self);
void hl_window_on_welcome_name_activated_cb (HlWindow       *self);
void hl_window_offer_draft                  (HlWindow       *self);
void hl_window_finish_welcome_action        (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_open_draft_action            (GtkWidget *widget, const char *action_name, GVariant *parameter);

/* hl-window-sync.c */
void hl_window_set_sync                     (HlWindow       *self,
                                             HlSync         *sync);
void hl_window_show_peers_action            (GtkWidget *widget, const char *action_name, GVariant *parameter);

/* hl-window-invite.c */
void hl_window_open_invite_action           (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_invite_friend_action         (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_invite_wait_free             (HlInviteWait   *wait);
/* Accepts @link (already checked) and says how it ends, in toasts. */
void hl_window_join_invite                  (HlWindow       *self,
                                             const char     *link);
/* Where an invite leads: its addresses, or its bootstrap nodes. */
char *hl_window_describe_places             (const HlInvite *invite);

/* hl-window-dialog.c: AdwAlertDialog / AdwPreferencesDialog on libadwaita
 * 1.5 and later, AdwMessageDialog / AdwPreferencesWindow before. */
typedef void (*HlWindowConfirmCb) (HlWindow *self, gpointer data);
/* Asks; @callback runs when the destructive @confirm_label is chosen. */
GObject *hl_window_confirm                  (HlWindow           *self,
                                             const char         *heading,
                                             const char         *body,
                                             const char         *confirm_label,
                                             HlWindowConfirmCb   callback,
                                             gpointer            data,
                                             GDestroyNotify      data_free);
/* Presents @alert (hl-alert.h) over the window, as its hl_window_get_dialog(). */
void     hl_window_present_alert            (HlWindow           *self,
                                             GtkWidget          *alert);
/* Shows @page alone in a settings dialog; its "toast" signal shows there. */
GObject *hl_window_present_page             (HlWindow           *self,
                                             const char         *title,
                                             AdwPreferencesPage *page);

/* hl-window-subnet.c: the owner's Edit Subnet and Delete Subnet */
void hl_window_edit_subnet_action           (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_delete_subnet_action         (GtkWidget *widget, const char *action_name, GVariant *parameter);
void hl_window_update_subnet_actions        (HlWindow       *self);

/* hl-window-join.c */
void hl_window_join_dialog_action           (GtkWidget *widget, const char *action_name, GVariant *parameter);

/* hl-window.c, for its other files */
void hl_window_update_thread_stack          (HlWindow       *self);

/* hl-window-layout.c */
void hl_window_layout_class_init            (GtkWidgetClass *widget_class);
void hl_window_layout_init                  (HlWindow       *self);
/* Before the panes go: called first in the window's dispose. */
void hl_window_layout_dispose               (HlWindow       *self);
void hl_window_set_forum_empty              (HlWindow       *self,
                                             gboolean        empty);
/* Brings @pane (subnet_pane, thread_pane or post_pane) in front when folded. */
void hl_window_show_pane                    (HlWindow       *self,
                                             GtkWidget      *pane);

G_END_DECLS
