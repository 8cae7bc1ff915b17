/* hl-test-netns.h: network namespaces for tests whose nodes need addresses
 * of their own. Every namespace has one interface, its own subnet, and no
 * default route; they meet on a bridge in a namespace of its own.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HlTestNet HlTestNet;

/* NULL, with @error saying why, where namespaces cannot be made (not root,
 * no iproute2): the caller skips. The namespaces go with hl_test_net_free,
 * or when the test process aborts. */
HlTestNet  *hl_test_net_new        (GError     **error);
/* hl_test_net_new(), or NULL after g_test_skip() saying why. */
HlTestNet  *hl_test_net_new_or_skip (void);
void        hl_test_net_free       (HlTestNet   *net);
/* A namespace for @name holding @address (e.g. 100.64.0.1/24) on eth0;
 * returns the namespace's name (owned by @net). */
const char *hl_test_net_add        (HlTestNet   *net,
                                    const char  *name,
                                    const char  *address);
/* Another address (e.g. 100.64.0.12/24) on eth0 of @name; the first one
 * stays the source of what it dials. */
void        hl_test_net_add_address (HlTestNet  *net,
                                    const char  *name,
                                    const char  *address);
/* Cable out (or back in): eth0 of @name down or up. */
void        hl_test_net_set_link   (HlTestNet   *net,
                                    const char  *name,
                                    gboolean     up);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTestNet, hl_test_net_free)

G_END_DECLS
