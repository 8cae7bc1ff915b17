/* hl-event-private.h: what hl-event.c shares with hl-event-json.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-event.h"

G_BEGIN_DECLS

/* 1-32 characters of a-z 0-9 . _ -, starting with a letter. */
gboolean hl_event_kind_is_well_formed (const char *kind,
                                       gsize       len);

/* Builds an event from decoded fields and checks its claimed id. */
HlEvent *hl_event_assemble        (const char        *kind,
                                   const guint8      *author,
                                   const HlTimestamp *ts,
                                   const guint8      *ref,
                                   const char        *body,
                                   const guint8      *sig,
                                   const guint8      *claimed_id,
                                   GError           **error);

/* The JSON form of an event read without building a JSON tree. Returns NULL
 * without an error for anything it does not handle with certainty (nested
 * values, odd numbers, a missing or malformed member...): the caller then
 * asks json-glib, which also words the error. */
HlEvent *hl_event_from_json_fast  (const char        *text,
                                   gsize              len);

G_END_DECLS
