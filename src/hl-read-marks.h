/* hl-read-marks.h: which threads have news since this device last looked.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hl-types.h"

G_BEGIN_DECLS

/* The file in the data directory, shared by the window and hyperlink-tui
 * (its name is older than the terminal client). */
#define HL_READ_MARKS_FILE "window-read.ini"

#define HL_TYPE_READ_MARKS (hl_read_marks_get_type ())

G_DECLARE_FINAL_TYPE (HlReadMarks, hl_read_marks, HL, READ_MARKS, GObject)

/* Loads @path (a small key file beside the database), or starts one: what is
 * already in the forum the first time counts as read. */
HlReadMarks *hl_read_marks_new        (const char   *path);
/* TRUE when @thread has activity after @last_activity_ms was last seen. */
gboolean     hl_read_marks_is_unread  (HlReadMarks  *self,
                                       const guint8 *thread,
                                       gint64        last_activity_ms);
/* Records that @thread was seen with its activity at @last_activity_ms; saved
 * a moment later, off the main thread. */
void         hl_read_marks_mark_read  (HlReadMarks  *self,
                                       const guint8 *thread,
                                       gint64        last_activity_ms);

G_END_DECLS
