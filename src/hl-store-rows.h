/* hl-store-rows.h: plain rows of the materialised forum state.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "hl-types.h"

G_BEGIN_DECLS

typedef enum
{
  HL_POST_THREAD = 1,
  HL_POST_REPLY = 2,
} HlPostKind;

typedef struct
{
  guint8    id[HL_ID_LEN];
  guint8    owner[HL_KEY_LEN];
  char     *owner_name;      /* from the owner's profile, or NULL */
  gint64    created_ms;
  char     *name;
  char     *description;
  guint     thread_count;
} HlSubnetRow;

typedef struct
{
  guint8      id[HL_ID_LEN];
  HlPostKind  kind;
  gboolean    has_subnet;
  guint8      subnet[HL_ID_LEN];
  guint8      thread[HL_ID_LEN];  /* a thread's own id for threads */
  gboolean    has_parent;
  guint8      parent[HL_ID_LEN];
  guint8      author[HL_KEY_LEN];
  char       *author_name;        /* from the author's profile, or NULL */
  gint64      created_ms;
  gint64      edited_ms;          /* 0 when never edited */
  char       *title;              /* NULL for replies */
  char       *body;
  gboolean    hidden;
  guint       reply_count;
  gint64      last_activity_ms;
  char       *snippet;            /* search results only; see hl_snippet_format() */
  gboolean    pending;            /* ours, and no peer has confirmed the latest change yet */
} HlPostRow;

/* Around the words found in a search snippet (hl-event-kinds.c refuses
 * control characters in posts, so they cannot come from the text). */
#define HL_SNIPPET_MATCH_START "\x02"
#define HL_SNIPPET_MATCH_END   "\x03"

typedef struct
{
  guint8   author[HL_KEY_LEN];
  char    *name;
  char    *bio;
  gint64   updated_ms;
} HlProfileRow;

void hl_subnet_row_free  (HlSubnetRow  *row);
void hl_post_row_free    (HlPostRow    *row);
void hl_profile_row_free (HlProfileRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlSubnetRow, hl_subnet_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlPostRow, hl_post_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlProfileRow, hl_profile_row_free)

G_END_DECLS
