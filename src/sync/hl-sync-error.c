/* hl-sync-error.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-error.h"

G_DEFINE_QUARK (hl-sync-error-quark, hl_sync_error)
