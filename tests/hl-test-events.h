/* hl-test-events.h: signed events for tests, with timestamps the test chooses.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-event.h"
#include "hl-identity.h"

G_BEGIN_DECLS

/* A deterministic identity: the seed is @n repeated. */
HlIdentity *hl_test_identity (guint8 n);

/* Signs a @kind event by @author at (@ms, @ctr); @body is a printf format. */
HlEvent    *hl_test_event    (HlIdentity   *author,
                              const char   *kind,
                              guint64       ms,
                              guint32       ctr,
                              const guint8 *ref,
                              const char   *body_format,
                              ...) G_GNUC_PRINTF (6, 7);

char       *hl_test_hex      (const guint8 *id);

G_END_DECLS
