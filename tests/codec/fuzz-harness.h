/* fuzz-harness.h: one decoder run over arbitrary bytes.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* Input layout: byte 0 selects the mode, then a 12-byte OTI.
 *  mode even: the rest is packets of 4 + T bytes (the last may be short)
 *             fed to the decoder as is, then a decode attempt.
 *  mode odd:  the rest is a list of 3-byte (SBN, ESI) pairs; an object of
 *             F pseudo-random bytes is encoded with the OTI and those
 *             packets are fed; a successful decode must return the object.
 * Aborts on any contract violation. */
void hl_codec_fuzz_one (const guint8 *data, gsize size);
