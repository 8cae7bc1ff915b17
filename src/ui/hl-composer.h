/* hl-composer.h: the dialog that writes a subnet, thread, reply or edit.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-forum.h"

G_BEGIN_DECLS

#define HL_TYPE_COMPOSER (hl_composer_get_type ())

G_DECLARE_FINAL_TYPE (HlComposer, hl_composer, HL, COMPOSER, AdwWindow)

typedef enum
{
  HL_COMPOSE_SUBNET,   /* a new subnet: name and description */
  HL_COMPOSE_THREAD,   /* a new thread in subnet @ref: title and text */
  HL_COMPOSE_REPLY,    /* a reply to thread @ref: text */
  HL_COMPOSE_EDIT,     /* a new version of post @ref: (title and) text */
} HlComposeKind;

/* @ref is the hex id the kind needs (NULL for a subnet). @title and @body
 * prefill the fields for an edit; otherwise a kept draft for the same target
 * is restored. "sent" is emitted with the new event's id (hex) once stored. */
HlComposer *hl_composer_new       (GtkWindow     *parent,
                                   HlForum       *forum,
                                   HlComposeKind  kind,
                                   const char    *ref,
                                   gboolean       with_title,
                                   const char    *title,
                                   const char    *body);
/* A line under the heading saying what this answers or where it goes. */
void        hl_composer_set_context (HlComposer  *self,
                                     const char  *context);
/* Fills the fields as typing would (for tests and drafts). */
void        hl_composer_set_text  (HlComposer    *self,
                                   const char    *title,
                                   const char    *body);
/* The text in the fields now (for tests and drafts). */
char       *hl_composer_dup_title (HlComposer    *self);
char       *hl_composer_dup_body  (HlComposer    *self);
/* "subnet:", "thread:SUBNET", "reply:THREAD" or "edit:POST": what the draft answers. */
const char *hl_composer_get_target (HlComposer   *self);
gboolean    hl_composer_get_busy  (HlComposer    *self);
/* Parses a target written by hl_composer_get_target(). */
gboolean    hl_composer_parse_target (const char    *target,
                                      HlComposeKind *kind,
                                      char         **ref);

G_END_DECLS
