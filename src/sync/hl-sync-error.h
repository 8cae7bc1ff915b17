/* hl-sync-error.h: the error domain of the sync layer.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HL_SYNC_ERROR (hl_sync_error_quark ())

typedef enum
{
  HL_SYNC_ERROR_PROTOCOL,       /* a frame or message that breaks the protocol */
  HL_SYNC_ERROR_VERSION,        /* the peer speaks a version we do not */
  HL_SYNC_ERROR_AUTH,           /* the peer did not prove it holds its node key */
  HL_SYNC_ERROR_TOO_LARGE,      /* a frame or list beyond the limits */
  HL_SYNC_ERROR_FLOOD,          /* more than the rate limits allow */
  HL_SYNC_ERROR_ADDRESS,        /* an address that is not ws://HOST:PORT */
  HL_SYNC_ERROR_BUSY,           /* the port or the data directory is taken */
  HL_SYNC_ERROR_FAILED,
  HL_SYNC_ERROR_RESTORE_NO_PEER,    /* a restore found nobody to ask */
  HL_SYNC_ERROR_RESTORE_INCOMPLETE, /* not enough symbols reachable for every segment */
} HlSyncError;

GQuark hl_sync_error_quark (void);

G_END_DECLS
