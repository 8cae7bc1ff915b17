/* hl-error.c
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-error.h"

G_DEFINE_QUARK (hl-core-error-quark, hl_core_error)
