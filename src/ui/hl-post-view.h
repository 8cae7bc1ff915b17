/* hl-post-view.h: one post of the thread view.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-post-item.h"

G_BEGIN_DECLS

#define HL_TYPE_POST_VIEW (hl_post_view_get_type ())

G_DECLARE_FINAL_TYPE (HlPostView, hl_post_view, HL, POST_VIEW, GtkWidget)

HlPostItem *hl_post_view_get_item (HlPostView *self);
void        hl_post_view_set_item (HlPostView *self,
                                  HlPostItem *item);

G_END_DECLS
