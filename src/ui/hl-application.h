/* hl-application.h: the single-instance application object.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"
#include "hl-sync.h"

G_BEGIN_DECLS

#define HL_TYPE_APPLICATION (hl_application_get_type ())

G_DECLARE_FINAL_TYPE (HlApplication, hl_application, HL, APPLICATION, AdwApplication)

HlApplication *hl_application_new       (void);
/* The forum of the data directory (opened on first use), or NULL with @error set. */
HlForum       *hl_application_get_forum (HlApplication  *self,
                                         GError        **error);
/* The sync engine of that forum, once it is open; else NULL. */
HlSync        *hl_application_get_sync  (HlApplication  *self);

G_END_DECLS
