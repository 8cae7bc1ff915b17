/* hl-general-page.h: the General page of Preferences: display name,
 * listen port, manual peers, bootstrap nodes and the data directory.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-bootstrap-group.h"
#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_GENERAL_PAGE (hl_general_page_get_type ())

G_DECLARE_FINAL_TYPE (HlGeneralPage, hl_general_page, HL, GENERAL_PAGE, AdwPreferencesPage)

HlGeneralPage    *hl_general_page_new           (HlForum       *forum);
HlBootstrapGroup *hl_general_page_get_bootstrap (HlGeneralPage *self);

G_END_DECLS
