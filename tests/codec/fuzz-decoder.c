/* fuzz-decoder.c: libFuzzer entry point for the RaptorQ decoder.
 *
 * Copyright 2026 The Hyperlink Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Build: CC=clang meson setup build-fuzz -Dfuzzers=true \
 *          -Db_sanitize=address,undefined -Db_lundef=false
 * Run:   cp -r tests/codec/corpus /tmp/corpus
 *        build-fuzz/tests/codec/fuzz-decoder /tmp/corpus -max_total_time=300 -rss_limit_mb=2048
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "fuzz-harness.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  hl_codec_fuzz_one (data, size);
  return 0;
}
