/* fuzz-event-json.c: libFuzzer target, the two readers of the JSON form.
 *
 * Arbitrary bytes as an event line go to the direct reader and to the
 * json-glib one; they must agree on every input: both refuse it with the same
 * reason, or both read the same event, which the verifier then treats alike.
 * Any disagreement aborts.
 *
 * Build: CC=clang meson setup /tmp/fuzz-ev -Dfuzzers=true \
 *          -Db_sanitize=address,undefined -Db_lundef=false
 * Run:   cp -r tests/fuzz/corpus/fuzz-event-json /tmp/corpus-json
 *        /tmp/fuzz-ev/tests/fuzz/fuzz-event-json /tmp/corpus-json -max_total_time=300
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "hl-event-private.h"
#include "fuzz-event-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  if (sodium_init () < 0)
    abort ();
  return 0;
}

static void
assert_same_event (const HlEvent *a,
                   const HlEvent *b)
{
  if (memcmp (a->id, b->id, HL_ID_LEN) != 0 || strcmp (a->kind, b->kind) != 0 ||
      a->body_len != b->body_len || memcmp (a->body, b->body, a->body_len) != 0 ||
      a->has_ref != b->has_ref || (a->has_ref && memcmp (a->ref, b->ref, HL_ID_LEN) != 0) ||
      memcmp (a->author, b->author, HL_KEY_LEN) != 0 || a->ts.ms != b->ts.ms ||
      a->ts.ctr != b->ts.ctr || memcmp (a->sig, b->sig, HL_SIG_LEN) != 0)
    fuzz_fail ("the readers read different events");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) direct_error = NULL;
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(HlEvent) direct = hl_event_from_json_direct ((const char *) data, size,
                                                         &direct_error);
  /* json-glib sees only lines the strict rules let through, none deeper
   * than 32, so its recursion is bounded. */
  g_autoptr(HlEvent) tree = hl_event_from_json_tree ((const char *) data, size, &tree_error);

  if ((direct == NULL) != (tree == NULL))
    fuzz_fail_errors ("one reader accepts, the other refuses", direct_error, tree_error);
  if (direct == NULL)
    {
      fuzz_assert_same_refusal (direct_error, tree_error);
      return 0;
    }
  assert_same_event (direct, tree);

  /* The same event, so the same verdict; the verifier runs on fuzzed bodies. */
  {
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    gboolean ok1 = hl_event_verify (direct, FUZZ_NOW_MS, FUZZ_MAX_FUTURE_MS, &e1);
    gboolean ok2 = hl_event_verify (tree, FUZZ_NOW_MS, FUZZ_MAX_FUTURE_MS, &e2);

    if (ok1 != ok2)
      fuzz_fail_errors ("the verifier treats the two readings differently", e1, e2);
    if (!ok1)
      fuzz_assert_same_refusal (e1, e2);
  }
  return 0;
}
