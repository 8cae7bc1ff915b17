/* hl-subnet-page.h: a subnet's settings as its owner changes them: name,
 * description and moderators.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"
#include "hl-types.h"

G_BEGIN_DECLS

#define HL_TYPE_SUBNET_PAGE (hl_subnet_page_get_type ())

G_DECLARE_FINAL_TYPE (HlSubnetPage, hl_subnet_page, HL, SUBNET_PAGE, AdwPreferencesPage)

/* Emits "toast" (a sentence for a person) when a change is saved or fails:
 * the window or dialog it is in shows it. */
HlSubnetPage *hl_subnet_page_new            (HlForum      *forum,
                                             const guint8 *subnet,
                                             const char   *name,
                                             const char   *description);
/* The moderators listed now (their keys, 64 hex digits), for tests. */
GStrv         hl_subnet_page_dup_moderators (HlSubnetPage *self);

G_END_DECLS
