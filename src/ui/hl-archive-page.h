/* hl-archive-page.h: the Archive page of Preferences: how much history is
 * sealed, what this device keeps of it, what each device holds, and how
 * many devices the group may lose, in words and in a picture.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_ARCHIVE_PAGE (hl_archive_page_get_type ())

G_DECLARE_FINAL_TYPE (HlArchivePage, hl_archive_page, HL, ARCHIVE_PAGE, AdwPreferencesPage)

/* Reads the archive's status off the main thread at once. */
HlArchivePage *hl_archive_page_new            (HlForum       *forum);
/* Reads it again (the page does so each time it is mapped). */
void           hl_archive_page_reload         (HlArchivePage *self);
/* Whether the latest read has finished (for tests). */
gboolean       hl_archive_page_is_loaded      (HlArchivePage *self);
/* The sentences shown: "12 sealed months, 3.1 MB, …", the resilience
 * ("Can lose any 3 of your 7 devices"), this device's share, and the
 * at-risk lines joined by "\n" ("" when none). */
const char    *hl_archive_page_get_summary    (HlArchivePage *self);
const char    *hl_archive_page_get_resilience (HlArchivePage *self);
const char    *hl_archive_page_get_share      (HlArchivePage *self);
char          *hl_archive_page_dup_risks      (HlArchivePage *self);
/* The storage cost of the policy the archive-lose setting asks for. */
const char    *hl_archive_page_get_cost       (HlArchivePage *self);
/* What the picture says, for assistive technologies: a line per device. */
const char    *hl_archive_page_get_devices_text (HlArchivePage *self);

G_END_DECLS
