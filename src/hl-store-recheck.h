/* hl-store-recheck.h: events stored under older rules.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-store.h"

G_BEGIN_DECLS

/* Re-checks every held event against the current rules (hl_event_check_rules)
 * once per database, and removes the ones they refuse as though they had
 * never arrived (docs/protocol.md, "Events stored under older rules"), so
 * that they are never offered to peers. *@n_removed (may be NULL): how many.
 * Runs its own write transaction; cheap once done. */
/* Records that every held event passes today's rules (inside a write). */
gboolean hl_store_recheck_mark_current (HlStore  *self,
                                        GError  **error);
gboolean hl_store_recheck_events (HlStore  *self,
                                  guint    *n_removed,
                                  GError  **error);

/* hl-store-apply.c: recomputes what @event affected, once its row has left
 * the events table. Inside a write transaction. */
gboolean hl_store_apply_forget   (HlStore       *self,
                                  const HlEvent *event,
                                  GError       **error);

G_END_DECLS
