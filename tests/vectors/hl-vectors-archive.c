/* hl-vectors-archive.c: the conformance cases of the archive's kinds
 * (docs/protocol.md, "Archive": "Manifests, holders and policies").
 *
 * Each case is a valid body with one change; the expectation is written
 * from the document. The valid manifest describes a segment of F = 300
 * bytes: with T = 1024 that is one symbol, so RFC 6330 4.3 gives Z = 1 and
 * N = 1, and the OTI is 000000012c00 (F, reserved) 0400 (T) 01 (Z) 0001 (N)
 * 04 (Al).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-vectors-gen.h"

#define Z64 "0000000000000000000000000000000000000000000000000000000000000000"
#define A64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define OTI300 "000000012c00040001000104"

#define SEGMENT \
  "{\"month\":\"2024-03\",\"gen\":1,\"part\":0,\"parts\":1,\"set\":\"" A64 "\",\"count\":1," \
  "\"first\":1709251200000,\"last\":1709251200000,\"size\":300,\"hash\":\"" Z64 "\"," \
  "\"oti\":\"" OTI300 "\",\"roots\":[\"" Z64 "\"]}"
#define HOLDER "{\"quota\":1048576}"
#define POLICY "{\"lose\":\"half\"}"

typedef struct
{
  const char *name;
  const char *kind;
  gboolean    with_ref;
  const char *from;          /* NULL: the valid body as it is */
  const char *to;
  const char *reason;
  const char *description;
} ArchiveCase;

static const ArchiveCase archive_cases[] = {
  /* archive.segment: ref the subnet; the members of the row, then the rules between them */
  { "archive.segment/minimal", "archive.segment", TRUE, NULL, NULL, NULL,
    "a manifest of one part of 300 bytes" },
  { "archive.segment/supersedes", "archive.segment", TRUE, "]}", "],\"supersedes\":\"" Z64 "\"}",
    NULL, "naming the manifest it replaces" },
  { "archive.segment/supersedes-null", "archive.segment", TRUE, "]}", "],\"supersedes\":null}",
    NULL, "supersedes null: the first generation" },
  { "archive.segment/unknown-member", "archive.segment", TRUE, "]}", "],\"note\":[1,2]}", NULL,
    "members not in the row are ignored" },
  { "archive.segment/last-ms-of-month", "archive.segment", TRUE,
    "\"last\":1709251200000", "\"last\":1711929599999", NULL,
    "last is the last millisecond of March 2024" },
  { "archive.segment/second-part", "archive.segment", TRUE, "\"part\":0,\"parts\":1",
    "\"part\":1,\"parts\":2", NULL, "part 1 of 2" },
  { "archive.segment/gen-max", "archive.segment", TRUE, "\"gen\":1,", "\"gen\":4294967295,", NULL,
    "gen 2^32-1" },
  { "archive.segment/month-9999-12", "archive.segment", TRUE,
    "\"month\":\"2024-03\"", "\"month\":\"9999-12\"", "segment-bad-range",
    "a month the archive knows, but first and last are not in it" },
  { "archive.segment/no-ref", "archive.segment", FALSE, NULL, NULL, "ref-missing", "no ref" },
  { "archive.segment/no-month", "archive.segment", TRUE, "\"month\":\"2024-03\",", "",
    "member-missing", "no month" },
  { "archive.segment/no-roots", "archive.segment", TRUE, ",\"roots\":[\"" Z64 "\"]", "",
    "member-missing", "no roots" },
  { "archive.segment/month-number", "archive.segment", TRUE, "\"month\":\"2024-03\"",
    "\"month\":202403", "member-type", "a month that is a number" },
  { "archive.segment/month-one-digit", "archive.segment", TRUE, "\"2024-03\"", "\"2024-3\"",
    "member-bad-month", "a month of one digit" },
  { "archive.segment/month-13", "archive.segment", TRUE, "\"2024-03\"", "\"2024-13\"",
    "member-bad-month", "month 13" },
  { "archive.segment/month-00", "archive.segment", TRUE, "\"2024-03\"", "\"2024-00\"",
    "member-bad-month", "month 00" },
  { "archive.segment/month-1969", "archive.segment", TRUE, "\"2024-03\"", "\"1969-12\"",
    "member-bad-month", "a year before 1970" },
  { "archive.segment/month-slash", "archive.segment", TRUE, "\"2024-03\"", "\"2024/03\"",
    "member-bad-month", "a slash for the dash" },
  { "archive.segment/gen-0", "archive.segment", TRUE, "\"gen\":1,", "\"gen\":0,",
    "member-out-of-range", "gen 0" },
  { "archive.segment/gen-2^32", "archive.segment", TRUE, "\"gen\":1,", "\"gen\":4294967296,",
    "member-out-of-range", "gen 2^32" },
  { "archive.segment/gen-negative", "archive.segment", TRUE, "\"gen\":1,", "\"gen\":-1,",
    "member-out-of-range", "gen -1" },
  { "archive.segment/gen-fraction", "archive.segment", TRUE, "\"gen\":1,", "\"gen\":1.0,",
    "member-not-integer", "gen 1.0" },
  { "archive.segment/gen-exponent", "archive.segment", TRUE, "\"gen\":1,", "\"gen\":1e0,",
    "member-not-integer", "gen 1e0" },
  { "archive.segment/gen-string", "archive.segment", TRUE, "\"gen\":1,", "\"gen\":\"1\",",
    "member-type", "gen as a string" },
  { "archive.segment/parts-0", "archive.segment", TRUE, "\"parts\":1", "\"parts\":0",
    "member-out-of-range", "no parts" },
  { "archive.segment/count-0", "archive.segment", TRUE, "\"count\":1,", "\"count\":0,",
    "member-out-of-range", "a segment of no events" },
  { "archive.segment/first-2^53", "archive.segment", TRUE, "\"first\":1709251200000",
    "\"first\":9007199254740992", "member-out-of-range", "first beyond 2^53-1" },
  { "archive.segment/size-0", "archive.segment", TRUE, "\"size\":300", "\"size\":0",
    "member-out-of-range", "size 0" },
  { "archive.segment/size-too-large", "archive.segment", TRUE, "\"size\":300",
    "\"size\":16777233", "member-out-of-range", "size one past 16 MiB + 16" },
  { "archive.segment/set-uppercase", "archive.segment", TRUE, "\"set\":\"" A64 "\"",
    "\"set\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
    "member-bad-hex", "a set hash in capital hex" },
  { "archive.segment/hash-63", "archive.segment", TRUE, "\"hash\":\"" Z64 "\"",
    "\"hash\":\"000000000000000000000000000000000000000000000000000000000000000\"",
    "member-bad-hex", "a hash of 63 hex digits" },
  { "archive.segment/oti-22", "archive.segment", TRUE, "\"" OTI300 "\"",
    "\"000000012c000400010001\"", "member-bad-hex", "an OTI of 22 hex digits" },
  { "archive.segment/oti-number", "archive.segment", TRUE, "\"" OTI300 "\"", "12", "member-type",
    "an OTI that is a number" },
  { "archive.segment/roots-string", "archive.segment", TRUE, "[\"" Z64 "\"]", "\"" Z64 "\"",
    "member-type", "roots as a string" },
  { "archive.segment/roots-number", "archive.segment", TRUE, "[\"" Z64 "\"]", "[1]",
    "member-type", "a root that is a number" },
  { "archive.segment/roots-bad-hex", "archive.segment", TRUE, "[\"" Z64 "\"]", "[\"xyz\"]",
    "member-bad-hex", "a root that is no hash" },
  { "archive.segment/supersedes-number", "archive.segment", TRUE, "]}", "],\"supersedes\":5}",
    "member-type", "supersedes that is a number" },
  { "archive.segment/part-of-parts", "archive.segment", TRUE, "\"part\":0", "\"part\":1",
    "segment-bad-range", "part 1 of 1 part" },
  { "archive.segment/first-after-last", "archive.segment", TRUE, "\"first\":1709251200000",
    "\"first\":1709251200001", "segment-bad-range", "first after last" },
  { "archive.segment/first-before-month", "archive.segment", TRUE, "\"first\":1709251200000",
    "\"first\":1709251199999", "segment-bad-range", "first in February" },
  { "archive.segment/last-after-month", "archive.segment", TRUE, "\"last\":1709251200000",
    "\"last\":1711929600000", "segment-bad-range", "last the first millisecond of April" },
  { "archive.segment/oti-two-blocks", "archive.segment", TRUE, OTI300,
    "000000012c00040002000104", "segment-bad-oti", "Z = 2 for an object of one symbol" },
  { "archive.segment/oti-t-512", "archive.segment", TRUE, OTI300, "000000012c00020001000104",
    "segment-bad-oti", "T = 512: a valid RFC 6330 OTI, not version 1's" },
  { "archive.segment/oti-al-8", "archive.segment", TRUE, OTI300, "000000012c00040001000108",
    "segment-bad-oti", "Al = 8: not version 1's" },
  { "archive.segment/oti-two-sub-blocks", "archive.segment", TRUE, OTI300,
    "000000012c00040001000204", "segment-bad-oti", "N = 2, not what RFC 6330 4.3 gives" },
  { "archive.segment/oti-reserved", "archive.segment", TRUE, OTI300, "000000012cff040001000104",
    "segment-bad-oti", "the reserved byte set" },
  { "archive.segment/oti-f-0", "archive.segment", TRUE, OTI300, "000000000000040001000104",
    "segment-bad-oti", "F = 0" },
  { "archive.segment/size-mismatch", "archive.segment", TRUE, "\"size\":300", "\"size\":301",
    "segment-size-mismatch", "size 301 for an OTI of 300 bytes" },
  { "archive.segment/roots-two", "archive.segment", TRUE, "[\"" Z64 "\"]",
    "[\"" Z64 "\",\"" Z64 "\"]", "segment-roots-count", "two roots for one block" },
  { "archive.segment/roots-none", "archive.segment", TRUE, "[\"" Z64 "\"]", "[]",
    "segment-roots-count", "no root for one block" },
  { "archive.segment/first/month-before-gen", "archive.segment", TRUE,
    "\"month\":\"2024-03\",\"gen\":1", "\"month\":\"2024-3\",\"gen\":0", "member-bad-month",
    "a bad month and a bad gen: the month, first in the row" },
  { "archive.segment/first/members-before-range", "archive.segment", TRUE,
    "\"part\":0,\"parts\":1,\"set\":\"" A64 "\"", "\"part\":1,\"parts\":1,\"set\":\"xx\"",
    "member-bad-hex", "a bad set and part of parts: the members come first" },
  { "archive.segment/first/range-before-oti", "archive.segment", TRUE,
    "\"first\":1709251200000", "\"first\":1709251200001", "segment-bad-range",
    "first after last and (below) a bad OTI: the range" },
  { "archive.segment/first/oti-before-size", "archive.segment", TRUE,
    "\"size\":300,\"hash\":\"" Z64 "\",\"oti\":\"" OTI300 "\"",
    "\"size\":301,\"hash\":\"" Z64 "\",\"oti\":\"000000012c00020001000104\"", "segment-bad-oti",
    "a bad OTI and a size that does not match: the OTI" },

  /* archive.holder: ref none; quota integer 0 … 2^53-1 (required) */
  { "archive.holder/minimal", "archive.holder", FALSE, NULL, NULL, NULL, "a quota of 1 MiB" },
  { "archive.holder/zero", "archive.holder", FALSE, "1048576", "0", NULL,
    "quota 0: this device holds nothing" },
  { "archive.holder/minus-zero", "archive.holder", FALSE, "1048576", "-0", NULL,
    "-0 is the integer 0" },
  { "archive.holder/max", "archive.holder", FALSE, "1048576", "9007199254740991", NULL,
    "quota 2^53-1" },
  { "archive.holder/ref", "archive.holder", TRUE, NULL, NULL, "ref-not-allowed",
    "a ref where the row says none" },
  { "archive.holder/no-quota", "archive.holder", FALSE, "\"quota\":1048576", "\"q\":1",
    "member-missing", "no quota" },
  { "archive.holder/quota-string", "archive.holder", FALSE, "1048576", "\"1048576\"",
    "member-type", "a quota as a string" },
  { "archive.holder/quota-2^53", "archive.holder", FALSE, "1048576", "9007199254740992",
    "member-out-of-range", "quota 2^53" },
  { "archive.holder/quota-fraction", "archive.holder", FALSE, "1048576", "1.5",
    "member-not-integer", "quota 1.5" },

  /* archive.policy: ref the subnet; lose integer 0 … 65535 or "half" (required) */
  { "archive.policy/half", "archive.policy", TRUE, NULL, NULL, NULL, "lose half" },
  { "archive.policy/zero", "archive.policy", TRUE, "\"half\"", "0", NULL, "lose none" },
  { "archive.policy/max", "archive.policy", TRUE, "\"half\"", "65535", NULL, "lose 65535" },
  { "archive.policy/no-ref", "archive.policy", FALSE, NULL, NULL, "ref-missing", "no ref" },
  { "archive.policy/no-lose", "archive.policy", TRUE, "\"lose\":\"half\"", "\"keep\":1",
    "member-missing", "no lose" },
  { "archive.policy/other-string", "archive.policy", TRUE, "\"half\"", "\"all\"",
    "member-out-of-range", "a string other than half" },
  { "archive.policy/half-capital", "archive.policy", TRUE, "\"half\"", "\"Half\"",
    "member-out-of-range", "Half with a capital" },
  { "archive.policy/too-many", "archive.policy", TRUE, "\"half\"", "65536",
    "member-out-of-range", "lose 65536" },
  { "archive.policy/boolean", "archive.policy", TRUE, "\"half\"", "true", "member-type",
    "lose true" },
  { "archive.policy/null", "archive.policy", TRUE, "\"half\"", "null", "member-type",
    "lose null" },
  { "archive.policy/fraction", "archive.policy", TRUE, "\"half\"", "0.5", "member-not-integer",
    "lose 0.5" },
};

static const char *
valid_body (const char *kind)
{
  if (strcmp (kind, "archive.segment") == 0)
    return SEGMENT;
  if (strcmp (kind, "archive.holder") == 0)
    return HOLDER;
  return POLICY;
}

void
vec_cases_archive (VecGen *gen)
{
  for (guint i = 0; i < G_N_ELEMENTS (archive_cases); i++)
    {
      const ArchiveCase *c = &archive_cases[i];
      g_autofree char *name = g_strdup_printf ("kind/%s", c->name);
      g_autofree char *body = c->from != NULL ? vec_replace (valid_body (c->kind), c->from, c->to)
                                              : g_strdup (valid_body (c->kind));

      vec_body (gen, name, c->description, c->kind, c->with_ref ? vec_ref (0) : NULL, body,
                c->reason);
    }
}
