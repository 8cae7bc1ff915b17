/* hl-post-item.h: a thread or reply as the lists show it.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hl-store-rows.h"

G_BEGIN_DECLS

#define HL_TYPE_POST_ITEM (hl_post_item_get_type ())

G_DECLARE_FINAL_TYPE (HlPostItem, hl_post_item, HL, POST_ITEM, GObject)

/* An item with no row yet: a placeholder for a page still loading. */
HlPostItem      *hl_post_item_new          (void);
/* Takes @row. Notifies the properties that change; @mine says whether the
 * device's own key wrote it. */
void             hl_post_item_set_row      (HlPostItem  *self,
                                            HlPostRow   *row,
                                            gboolean     mine);
const HlPostRow *hl_post_item_get_row      (HlPostItem  *self);
gboolean         hl_post_item_get_loaded   (HlPostItem  *self);
gboolean         hl_post_item_get_unread   (HlPostItem  *self);
void             hl_post_item_set_unread   (HlPostItem  *self,
                                            gboolean     unread);
gboolean         hl_post_item_get_mine     (HlPostItem  *self);
/* Ours, and no peer has confirmed holding its latest change yet. */
gboolean         hl_post_item_get_pending  (HlPostItem  *self);
const char      *hl_post_item_get_id_hex   (HlPostItem  *self);
const char      *hl_post_item_get_title    (HlPostItem  *self);
const char      *hl_post_item_get_body     (HlPostItem  *self);
const char      *hl_post_item_get_author   (HlPostItem  *self);
/* Relative times ("5 min ago") age: tells bound rows to read them again. */
void             hl_post_item_notify_time  (HlPostItem  *self);
gboolean         hl_post_item_has_id       (HlPostItem  *self,
                                            const guint8 *id);

G_END_DECLS
