/* hl-fake-tailscaled.h: what the stand-in tailscaled's two files share:
 * the world it describes and the JSON shapes it writes.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What it answers in Version and the Tailscale-Version header. */
#define VERSION_LONG "1.76.6-hyperlink-stand-in"

typedef struct
{
  char      *name;
  char      *host_name;
  char      *ip;
  char      *user;
  char      *suffix;
  gboolean   online;
  char      *cur_addr;
  char      *relay;
  GStrv      tags;
  gint64     id;
} Machine;

typedef struct
{
  char      *backend_state;
  char      *auth_url;
  char      *error;          /* status and whois fail with it */
  Machine   *self;
  GPtrArray *peers;          /* Machine */
} World;

static inline gboolean
fake_is_running (const World *w)
{
  return strcmp (w->backend_state, "Running") == 0;
}

/* Members as encoding/json writes them: "" for an unset string, null for a
 * nil slice. */
void      add_str           (JsonBuilder *b, const char *name, const char *value);
void      add_int           (JsonBuilder *b, const char *name, gint64 value);
void      add_bool          (JsonBuilder *b, const char *name, gboolean value);
void      add_null          (JsonBuilder *b, const char *name);
void      add_list          (JsonBuilder *b, const char *name, const char * const *items,
                             const char *suffix);
/* ipnstate.PeerStatus, tailcfg.UserProfile, ipnstate.Status, tailcfg.Node */
void      add_peer_status   (JsonBuilder *b, const World *w, const Machine *m, gboolean is_self);
void      add_user_profile  (JsonBuilder *b, const char *login);
JsonNode *build_status      (const World *w, gboolean with_peers);
void      add_node          (JsonBuilder *b, const Machine *m);
/* MarshalIndent with tabs, or one line for the bus. */
char     *to_text           (JsonNode *root, gboolean indent);

G_END_DECLS
