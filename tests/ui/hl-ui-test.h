/* hl-ui-test.h: helpers for the widget tests: temporary forums, authors
 * that are not the window's device, and waiting on conditions.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-identity.h"
#include "hl-store.h"

G_BEGIN_DECLS

/* gtk_test_init() + adw_init(); exits with a TAP skip when there is no display. */
void        hl_ui_test_init        (int          *argc,
                                    char       ***argv);
/* A new empty data directory; removed by hl_ui_test_remove_dir(). */
char       *hl_ui_test_make_dir    (void);
void        hl_ui_test_remove_dir  (const char   *dir);

/* Publishes as @author into the database of @data_dir (its own connection,
 * like another process would) and returns the event id. */
void        hl_ui_test_publish     (const char   *data_dir,
                                    HlIdentity   *author,
                                    const char   *kind,
                                    const guint8 *ref,
                                    const char   *body_json,
                                    guint8       *id_out);

/* Adds @n threads titled "@title_prefix 0" … by @author to @subnet, signed
 * and applied in one write transaction: thousands of one-by-one durable
 * publishes cost minutes of fsync on a busy disk. */
void        hl_ui_test_add_threads (const char   *data_dir,
                                    HlIdentity   *author,
                                    const guint8 *subnet,
                                    guint         n,
                                    const char   *title_prefix);

/* Iterates the main context until @cond holds, failing the test after
 * @seconds. No fixed sleeps: a wake-up every 10 ms re-checks @cond. */
typedef gboolean (*HlUiTestCond) (gpointer data);
void        hl_ui_test_wait        (HlUiTestCond  cond,
                                    gpointer      data,
                                    double        seconds,
                                    const char   *what);

#define HL_UI_WAIT(expr, secs) \
  G_STMT_START { \
    gint64 _hl_end = g_get_monotonic_time () + (gint64) ((secs) * G_USEC_PER_SEC); \
    guint _hl_tick = g_timeout_add (10, hl_ui_test_tick_cb, NULL); \
    while (!(expr)) \
      { \
        if (g_get_monotonic_time () > _hl_end) \
          g_error ("%s:%d: timed out after %g s waiting for %s", __FILE__, __LINE__, \
                   (double) (secs), #expr); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (_hl_tick); \
  } G_STMT_END

gboolean    hl_ui_test_tick_cb     (gpointer      data);

/* The first widget of @type under @root (itself included), or NULL. */
GtkWidget  *hl_ui_test_find_descendant (GtkWidget *root,
                                        GType      type);
/* The first widget named @name (gtk_widget_set_name, or the id in a .ui
 * file) under @root, itself included, or NULL. */
GtkWidget  *hl_ui_test_find_named      (GtkWidget  *root,
                                        const char *name);
/* A toplevel window of @type, or NULL. */
GtkWindow  *hl_ui_test_find_toplevel   (GType      type);
/* The first widget of @type in any toplevel (a dialog shown inside a
 * window too, as libadwaita 1.5's are), or NULL. */
GtkWidget  *hl_ui_test_find_widget     (GType      type);
/* Runs `hyperlinkctl --data-dir @data_dir ARGS…` ($HYPERLINKCTL) and
 * returns its standard output; the test fails unless it exits 0. */
char       *hl_ui_test_ctl             (const char *data_dir,
                                        ...) G_GNUC_NULL_TERMINATED;
/* A TCP port on 127.0.0.1 nobody listens on (just now). */
guint16     hl_ui_test_free_port       (void);

G_END_DECLS
