/* hl-test-log.h: asserting what the code under test logs.
 *
 * The tree logs through structured logging (G_LOG_USE_STRUCTURED), which
 * g_test_expect_message() does not see; these helpers do.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* From now on, messages and warnings are kept for the test to check instead
 * of being printed; criticals and errors still abort. Call once, after
 * g_test_init(). */
void hl_test_log_capture         (void);
/* Asserts that exactly one kept entry of @level matches @pattern (a
 * g_pattern_match_simple() glob) and forgets it. */
void hl_test_log_expect          (GLogLevelFlags  level,
                                  const char     *pattern);
/* Asserts that nothing else was logged, as fatal warnings would. */
void hl_test_log_assert_nothing  (void);

G_END_DECLS
