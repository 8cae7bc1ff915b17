/* fuzz-event-canonical.c: libFuzzer target, events in canonical form.
 *
 * The input is canonical bytes followed by a 64-byte signature (inputs
 * shorter than 64 bytes are all canonical bytes, signed with zeros), as a
 * peer sends them. Invariants: every refusal has a reason code; an event that
 * decodes holds exactly the input bytes; and written out as JSON and read
 * back by either reader, it gets the verifier's same verdict.
 *
 * Build: see fuzz-event-json.c. Run:
 *   /tmp/fuzz-ev/tests/fuzz/fuzz-event-canonical /tmp/corpus-canonical -max_total_time=300
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <stdint.h>

#include "hl-event-private.h"
#include "hl-json-strict.h"
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

/* The verdict on an event read some way: NULL for accepted, else the code. */
static const char *
verdict (HlEvent      *event,
         const GError *read_error)
{
  g_autoptr(GError) error = NULL;
  const char *reason;

  if (event == NULL)
    {
      if ((reason = hl_event_error_reason (read_error)) == NULL)
        fuzz_fail_errors ("a refusal without a reason code", read_error, NULL);
      return reason;
    }
  if (hl_event_verify (event, FUZZ_NOW_MS, FUZZ_MAX_FUTURE_MS, &error))
    return NULL;
  if ((reason = hl_event_error_reason (error)) == NULL)
    fuzz_fail_errors ("a refusal without a reason code", error, NULL);
  return reason;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint8 sig[HL_SIG_LEN] = { 0 };
  gsize len = size >= HL_SIG_LEN ? size - HL_SIG_LEN : size;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) event = NULL;
  g_autofree char *line = NULL;
  const char *canonical_verdict;

  if (size >= HL_SIG_LEN)
    memcpy (sig, data + len, HL_SIG_LEN);
  event = hl_event_decode (data, len, sig, &error);
  canonical_verdict = verdict (event, error);
  if (event == NULL)
    return 0;
  if (g_bytes_get_size (event->canonical) != len ||
      memcmp (g_bytes_get_data (event->canonical, NULL), data, len) != 0 ||
      event->body_len != strlen (event->body))
    fuzz_fail ("a decoded event does not hold the bytes it was decoded from");

  /* A body that is not UTF-8 has no JSON form to compare. */
  if (!hl_json_strict_is_utf8 (event->body, event->body_len))
    return 0;
  line = hl_event_to_json_text (event);
  for (int reader = 0; reader < 2; reader++)
    {
      g_autoptr(GError) json_error = NULL;
      g_autoptr(HlEvent) back = reader == 0
        ? hl_event_from_json_direct (line, strlen (line), &json_error)
        : hl_event_from_json_tree (line, strlen (line), &json_error);
      const char *json_verdict = verdict (back, json_error);

      if (g_strcmp0 (json_verdict, canonical_verdict) != 0)
        {
          fprintf (stderr, "canonical: %s, JSON form: %s\n",
                   canonical_verdict ? canonical_verdict : "accepted",
                   json_verdict ? json_verdict : "accepted");
          fuzz_fail ("the JSON form of an event gets another verdict than its canonical bytes");
        }
      if (back != NULL && memcmp (back->id, event->id, HL_ID_LEN) != 0)
        fuzz_fail ("the JSON form of an event has another id");
    }
  return 0;
}
