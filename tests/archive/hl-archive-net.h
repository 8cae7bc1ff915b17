/* hl-archive-net.h: what the archive's network tests share (real
 * hyperlinkd processes, their databases, hyperlinkctl archive).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-test-node.h"

G_BEGIN_DECLS

JsonObject *hl_test_parse_object      (const char  *text);
/* `hyperlinkctl archive status --json` */
JsonObject *hl_test_archive_status    (HlTestNode  *node);
/* For hl_test_wait_for, with HL_TEST_SPREAD (holders, segments): the node
 * knows that many holders and segments and keeps all of its share of each. */
#define HL_TEST_SPREAD(holders, segments) GINT_TO_POINTER ((segments) << 8 | (holders))
gboolean    hl_test_spread_done       (HlTestNode  *node,
                                       gpointer     user_data);
/* @n_holders nodes holder0… (stored in @holders), each with @n_events of
 * each of @n_subnets subnets, a month apart from 400 days ago; peered,
 * started, in sync, sealed (`archive seal --all`) and spread. */
void        hl_test_seal_and_spread   (HlTestNode **holders,
                                       guint        n_holders,
                                       guint        n_subnets,
                                       guint        n_events);
/* A new data directory with @n_peers stored peers (HlTestNode *), not started. */
HlTestNode *hl_test_fresh_device      (const char  *name,
                                       guint        n_peers,
                                       ...);
/* `hyperlinkctl archive restore --json`: its exit status, the last progress
 * line and stderr. */
int         hl_test_restore           (HlTestNode  *node,
                                       JsonObject **last,
                                       char       **err);
void        hl_test_assert_integrity  (HlTestNode  *node);
void        hl_test_assert_same_state (HlTestNode  *a,
                                       HlTestNode  *b);
void        hl_test_exec_sql          (HlTestNode  *node,
                                       const char  *sql);
gint64      hl_test_query_int         (HlTestNode  *node,
                                       const char  *sql);

G_END_DECLS
