/* hl-post-list-model.h: one thread: its opening post, then its replies.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_POST_LIST_MODEL (hl_post_list_model_get_type ())

G_DECLARE_FINAL_TYPE (HlPostListModel, hl_post_list_model, HL, POST_LIST_MODEL, GObject)

/* Items are HlPostItems: the thread first, then its replies, oldest first. */
HlPostListModel *hl_post_list_model_new         (HlForum         *forum);
void             hl_post_list_model_set_thread  (HlPostListModel *self,
                                                 const guint8    *thread);
const guint8    *hl_post_list_model_get_thread  (HlPostListModel *self);
gboolean         hl_post_list_model_get_loading (HlPostListModel *self);
void             hl_post_list_model_reload      (HlPostListModel *self);

G_END_DECLS
