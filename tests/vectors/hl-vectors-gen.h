/* hl-vectors-gen.h: what the conformance vector cases are written with.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-event.h"
#include "hl-identity.h"

G_BEGIN_DECLS

/* The receiver's clock of every case, and its allowance for clocks ahead. */
#define VEC_NOW_MS        G_GUINT64_CONSTANT (1700000000000)
#define VEC_MAX_FUTURE_MS G_GUINT64_CONSTANT (600000)
/* The time most events are stamped with: a little before the receiver's clock. */
#define VEC_TS            G_GUINT64_CONSTANT (1699999000000)

/* Cases whose input is longer than this go to large.jsonl. */
#define VEC_SMALL_MAX     4096

typedef struct _VecGen VecGen;

/* The key of the protocol's test vector (seed 01 02 ... 20) and another. */
HlIdentity *vec_key          (VecGen       *gen);
HlIdentity *vec_other_key    (VecGen       *gen);
/* Two object ids to refer to: a subnet-like one and a thread-like one. */
const guint8 *vec_ref        (guint         which);

/* A @kind event signed by the test key at (@ts, @ctr). */
HlEvent    *vec_event        (VecGen       *gen,
                              const char   *kind,
                              guint64       ts,
                              guint32       ctr,
                              const guint8 *ref,
                              const char   *body);
/* The event's JSON form, members in the order of docs/protocol.md. */
char       *vec_line         (const HlEvent *event);
/* @text with the first @from replaced by @to (which must be there). */
char       *vec_replace      (const char   *text,
                              const char   *from,
                              const char   *to);
/* @text as a JSON string, quotes included. */
char       *vec_quote        (const char   *text,
                              gsize         len);

/* Expectations: @reason NULL means accepted with the id of @accepted. */
void        vec_json         (VecGen        *gen,
                              const char    *name,
                              const char    *description,
                              const char    *line,
                              gssize         len,
                              const HlEvent *accepted,
                              const char    *reason);
void        vec_canonical    (VecGen        *gen,
                              const char    *name,
                              const char    *description,
                              const guint8  *bytes,
                              gsize          len,
                              const guint8  *sig,
                              const HlEvent *accepted,
                              const char    *reason);
/* The same event in both forms, with the same expectation. */
void        vec_both         (VecGen        *gen,
                              const char    *name,
                              const char    *description,
                              const HlEvent *event,
                              const char    *reason);
/* A signed event of @kind with @body, in both forms. */
void        vec_body         (VecGen        *gen,
                              const char    *name,
                              const char    *description,
                              const char    *kind,
                              const guint8  *ref,
                              const char    *body,
                              const char    *reason);

/* hl-vectors-cases.c */
void        vec_cases_envelope (VecGen      *gen);
void        vec_cases_canonical (VecGen     *gen);
void        vec_cases_body     (VecGen      *gen);
void        vec_cases_kinds    (VecGen      *gen);
void        vec_cases_limits   (VecGen      *gen);
/* hl-vectors-archive.c */
void        vec_cases_archive  (VecGen      *gen);

G_END_DECLS
