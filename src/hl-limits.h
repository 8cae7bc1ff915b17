/* hl-limits.h: the protocol's size limits (docs/protocol.md, "Limits").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define HL_EVENT_FORMAT_VERSION    1

#define HL_MAX_EVENT_BYTES         65536   /* whole canonical encoding */
#define HL_MAX_BODY_BYTES          60000   /* the JSON body text */
#define HL_MAX_KIND_LEN            32

/* One event in its JSON form: room for a body of HL_MAX_BODY_BYTES with every
 * byte written as a \u escape, and the other fields. Longer lines are refused
 * before they are parsed. (Bodies and lines nest at most
 * HL_JSON_STRICT_MAX_DEPTH deep, hl-json-strict.h.) */
#define HL_MAX_EVENT_LINE_BYTES    (6 * HL_MAX_EVENT_BYTES)

/* Field lengths count Unicode code points; bodies also have a byte limit
 * through HL_MAX_BODY_BYTES. */
#define HL_MAX_NAME_CHARS          64      /* subnet names, display names */
#define HL_MAX_DESCRIPTION_CHARS   1000    /* subnet descriptions, bios */
#define HL_MAX_TITLE_CHARS         200
#define HL_MAX_POST_CHARS          20000   /* thread and reply bodies */
#define HL_MAX_REASON_CHARS        200     /* why a moderator hid a post */

/* Events stamped further than this ahead of the receiver's clock are refused
 * (default; HlStore:max-future-ms changes it). */
#define HL_DEFAULT_MAX_FUTURE_MS   (10 * 60 * 1000)

/* JSON numbers are doubles in most implementations: keep timestamps exact. */
#define HL_MAX_TIMESTAMP_MS        ((((guint64) 1) << 53) - 1)
