/* hl-node-runner-private.h: what hl-node-runner.c shares with
 * hl-node-runner-restore.c.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-node-runner.h"
#include "hl-node.h"

G_BEGIN_DECLS

/* What the owner's thread and the node thread share; outlives either. */
typedef struct
{
  gatomicrefcount  ref;
  HlNodeRunner    *runner;      /* owner's thread only; NULL once nobody listens */
  GMainContext    *owner;
  GMainContext    *context;     /* the node thread's */
  GMainLoop       *loop;
  char            *data_dir;
  gboolean         listen_default;
  char            *host;
  guint16          port;
  char            *tailscale_socket;
  HlNode          *node;        /* node thread only: the running node, or NULL */
} Channel;

Channel *hl_runner_channel_ref                 (Channel      *channel);
void     hl_runner_channel_unref               (Channel      *channel);
/* The channel to the running node, or NULL when none runs here. */
Channel *hl_node_runner_get_channel  (HlNodeRunner *self);

G_END_DECLS
