/* hl-verifier.h: checks received events frames on worker threads.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64    peer_id;
  gsize      frame_len;
  GPtrArray *events;        /* HlEvent *: decoded and verified */
  guint      n_refused;     /* well framed but refused (bad id, signature, ...) */
  guint      n_offences;    /* of those, the ones an honest peer would not send */
  gboolean   broken;        /* the framing itself was broken; the rest was dropped */
  char      *first_error;   /* why the first refused record was refused */
} HlVerifyJob;

typedef void (*HlVerifyDoneFunc) (HlVerifyJob *job,
                                  gpointer     user_data);

typedef struct _HlVerifier HlVerifier;

HlVerifier *hl_verifier_new      (guint             n_threads,
                                  HlVerifyDoneFunc  done,
                                  gpointer          user_data);
/* Takes a frame (with its type byte); @done runs later on the thread-default
 * main context of the caller with the job, which it must not free. */
void        hl_verifier_push     (HlVerifier       *self,
                                  guint64           peer_id,
                                  GBytes           *frame,
                                  gint64            max_future_ms);
/* Jobs handed to workers but not yet reported. */
guint       hl_verifier_pending  (HlVerifier       *self);
/* Waits for the workers, reports what they finished, and frees. */
void        hl_verifier_free     (HlVerifier       *self);

G_END_DECLS
