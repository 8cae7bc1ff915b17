/* fuzz-sync-init.h: what every sync fuzz target does first.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sodium.h>
#include <stdlib.h>

static inline GLogWriterOutput
fuzz_sync_log_writer (GLogLevelFlags   level,
                      const GLogField *fields,
                      gsize            n_fields,
                      gpointer         user_data)
{
  GLogWriterOutput out = g_log_writer_standard_streams (level, fields, n_fields, user_data);

  /* abort(), not GLib's own fatal path: that raises SIGTRAP, which
   * libFuzzer does not catch, so the input would not be saved. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return out;
}

/* Once a process: a GLib critical or warning is a bug found (a library
 * called with what it refuses), so it aborts as a failed assertion does;
 * libsodium picks its implementations. */
static inline void
fuzz_sync_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      g_log_set_writer_func (fuzz_sync_log_writer, NULL, NULL);
      if (sodium_init () < 0)
        abort ();
      g_once_init_leave (&done, 1);
    }
}
