/* hl-ui-fixture.h: the window on a temporary data directory with a small
 * forum by another author, shared by the window's widget tests.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-ui-test.h"

#include "hl-forum.h"
#include "hl-window.h"

G_BEGIN_DECLS

typedef struct
{
  char       *dir;
  HlIdentity *other;       /* a peer's author, not this device */
  HlIdentity *me;          /* this device's key, as the window loads it */
  HlForum    *forum;
  HlWindow   *window;
  guint8      subnet[HL_ID_LEN];
  guint8      threads[3][HL_ID_LEN];
} Fixture;

/* @data: GINT_TO_POINTER (TRUE) publishes a display name (no welcome page). */
void      fixture_setup        (Fixture *fx, gconstpointer data);
void      fixture_teardown     (Fixture *fx, gconstpointer data);
void      publish_me           (Fixture *fx, const char *kind, const guint8 *ref,
                                const char *body, guint8 *id);
/* Ada's subnet "Home Lab" with Thread 0..2; Thread 0 has two replies. */
void      fixture_add_forum    (Fixture *fx);
/* A window 1200 x 700, presented. */
void      fixture_open_window  (Fixture *fx);
void      fixture_close_window (Fixture *fx);
gboolean  item_loaded          (GListModel *model, guint position);
char     *item_title           (GListModel *model, guint position);
char     *item_body            (GListModel *model, guint position);
gboolean  body_is              (GListModel *model, guint position, const char *body);
void      activate_with_id     (HlWindow *window, const char *action, const guint8 *id);

G_END_DECLS
