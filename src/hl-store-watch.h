/* hl-store-watch.h: tells a client (the window, the terminal client) that
 * the database changed, whoever wrote it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HL_TYPE_STORE_WATCH (hl_store_watch_get_type ())
G_DECLARE_FINAL_TYPE (HlStoreWatch, hl_store_watch, HL, STORE_WATCH, GObject)

/* Watches @database (and its write-ahead log) from the thread-default main
 * context; "changed" is emitted there @delay_ms after the first change of a
 * burst, once for the whole burst. */
HlStoreWatch *hl_store_watch_new   (const char   *database,
                                    guint         delay_ms);
/* As if the files had changed: for a write of the client's own, shown
 * without waiting for the file monitor. */
void          hl_store_watch_queue (HlStoreWatch *self);

G_END_DECLS
