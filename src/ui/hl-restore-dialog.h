/* hl-restore-dialog.h: restoring the group's history archive onto this
 * device, with its progress, a Cancel that keeps what arrived, and what to
 * do when it cannot finish.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-sync.h"

G_BEGIN_DECLS

#define HL_TYPE_RESTORE_DIALOG (hl_restore_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlRestoreDialog, hl_restore_dialog, HL, RESTORE_DIALOG, AdwWindow)

typedef enum
{
  HL_RESTORE_DIALOG_RUNNING,
  HL_RESTORE_DIALOG_DONE,       /* everything restored */
  HL_RESTORE_DIALOG_CANCELLED,  /* what arrived is kept */
  HL_RESTORE_DIALOG_FAILED,
} HlRestoreDialogState;

/* Starts the restore at once, on @sync's node. "progress" is emitted with
 * each report shown; "finished" when it ends, however it ends (see
 * hl_restore_dialog_get_state). */
GtkWidget            *hl_restore_dialog_new        (GtkWindow       *parent,
                                                    HlSync          *sync);
HlRestoreDialogState  hl_restore_dialog_get_state  (HlRestoreDialog *self);
/* Cancels a running restore (the Cancel button). */
void                  hl_restore_dialog_cancel     (HlRestoreDialog *self);
/* Runs it again after a cancel or a failure (the Try Again button). */
void                  hl_restore_dialog_retry      (HlRestoreDialog *self);
double                hl_restore_dialog_get_fraction (HlRestoreDialog *self);
/* "3 of 12 months · 4 devices · about 20 s left" while running; the
 * sentence of the end otherwise. */
const char           *hl_restore_dialog_get_text   (HlRestoreDialog *self);
const char           *hl_restore_dialog_get_heading (HlRestoreDialog *self);
/* The number of progress reports seen (tests). */
guint                 hl_restore_dialog_get_reports (HlRestoreDialog *self);

G_END_DECLS
