/* hl-error.h: the error domain of the core layer.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HL_CORE_ERROR (hl_core_error_quark ())

typedef enum
{
  HL_CORE_ERROR_MALFORMED,      /* bytes or JSON that do not parse as an event */
  HL_CORE_ERROR_VERSION,        /* a format version this build does not know */
  HL_CORE_ERROR_BAD_ID,         /* the id is not the hash of the canonical bytes */
  HL_CORE_ERROR_BAD_SIGNATURE,  /* the signature does not verify */
  HL_CORE_ERROR_TOO_LARGE,      /* a size limit is exceeded */
  HL_CORE_ERROR_FUTURE,         /* the timestamp is too far ahead of our clock */
  HL_CORE_ERROR_INVALID_BODY,   /* a known kind whose body breaks its schema */
  HL_CORE_ERROR_NOT_FOUND,
  HL_CORE_ERROR_AMBIGUOUS,      /* an id prefix that matches more than one object */
  HL_CORE_ERROR_PERMISSION,     /* not allowed: wrong author, unsafe key file */
  HL_CORE_ERROR_IO,
  HL_CORE_ERROR_DATABASE,
} HlCoreError;

GQuark hl_core_error_quark (void);

G_END_DECLS
