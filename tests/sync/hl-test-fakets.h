/* hl-test-fakets.h: the tests' handle on a stand-in tailscaled
 * (hl-fake-tailscaled), driven through the world file it re-reads on SIGHUP.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char        *dir;
  char        *socket;
  char        *world;
  GKeyFile    *keys;      /* the world: edit, then fake_update */
  GSubprocess *process;
} FakeTs;

FakeTs *fake_new      (const char *backend_state);
/* Sets HostName, IP, User and Suffix of @group ("self" or "peer NAME"). */
void    fake_machine  (FakeTs     *ts,
                       const char *group,
                       const char *host,
                       const char *ip,
                       const char *user,
                       const char *suffix);
/* Writes the world and starts the stand-in; returns once it listens. */
void    fake_start    (FakeTs     *ts);
/* Writes the world and tells the stand-in to re-read it. */
void    fake_update   (FakeTs     *ts);
void    fake_stop     (FakeTs     *ts);
void    fake_free     (FakeTs     *ts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeTs, fake_free)

G_END_DECLS
