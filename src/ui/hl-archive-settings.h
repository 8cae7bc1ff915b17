/* hl-archive-settings.h: the archive's GSettings keys, applied while the
 * window runs.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_ARCHIVE_SETTINGS (hl_archive_settings_get_type ())

G_DECLARE_FINAL_TYPE (HlArchiveSettings, hl_archive_settings, HL, ARCHIVE_SETTINGS, GObject)

/* Applies archive-quota-mb and archive-lose now and at each change. */
HlArchiveSettings *hl_archive_settings_new (HlForum *forum);

G_END_DECLS
