/* hl-notifier.h: desktop notifications for replies to your threads.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_NOTIFIER (hl_notifier_get_type ())

G_DECLARE_FINAL_TYPE (HlNotifier, hl_notifier, HL, NOTIFIER, GObject)

/* Watches @forum for replies by others to threads this device started and,
 * while no window of @app has the focus, sends a GNotification whose default
 * action is app.open-thread(THREAD). The "announce" signal (thread id,
 * title, text) comes first, and is all that happens while @app is not
 * registered (tests). */
HlNotifier *hl_notifier_new      (GtkApplication *app,
                                  HlForum        *forum);
/* TRUE while a look at the forum is under way (the first one at creation). */
gboolean    hl_notifier_get_busy (HlNotifier     *self);

G_END_DECLS
