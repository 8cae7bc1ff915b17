/* hl-store-schema.h: the database schema, one migration per version.
 *
 * Never edit a migration that has shipped: add a new one. PRAGMA user_version
 * holds the number of migrations applied.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

static const char * const hl_store_migrations[] = {
  /* 1: events, the materialised forum, full-text search. */
  "CREATE TABLE events ("
  "  seq    INTEGER PRIMARY KEY,"      /* local arrival order */
  "  id     BLOB NOT NULL UNIQUE,"
  "  kind   TEXT NOT NULL,"
  "  author BLOB NOT NULL,"
  "  ts     INTEGER NOT NULL,"
  "  ctr    INTEGER NOT NULL,"
  "  ref    BLOB,"
  "  raw    BLOB,"                     /* canonical bytes; NULL once a delete erased them */
  "  sig    BLOB"
  ");"
  "CREATE INDEX events_by_time ON events (ts, id);"
  "CREATE INDEX events_by_ref ON events (ref, kind) WHERE ref IS NOT NULL;"
  "CREATE TABLE subnets ("
  "  id          BLOB PRIMARY KEY,"
  "  owner       BLOB NOT NULL,"
  "  created_ts  INTEGER NOT NULL,"
  "  name        TEXT,"
  "  description TEXT"
  ") WITHOUT ROWID;"
  "CREATE TABLE posts ("
  "  rowid         INTEGER PRIMARY KEY,"
  "  id            BLOB NOT NULL UNIQUE,"
  "  kind          INTEGER NOT NULL,"  /* 1 thread, 2 reply */
  "  subnet        BLOB,"              /* NULL while a reply's thread is unknown */
  "  thread        BLOB NOT NULL,"
  "  parent        BLOB,"
  "  author        BLOB NOT NULL,"
  "  created_ts    INTEGER NOT NULL,"
  "  created_ctr   INTEGER NOT NULL,"
  "  edited_ts     INTEGER NOT NULL DEFAULT 0,"
  "  title         TEXT,"
  "  body          TEXT,"
  "  hidden        INTEGER NOT NULL DEFAULT 0,"
  "  reply_count   INTEGER NOT NULL DEFAULT 0,"
  "  last_activity INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX threads_by_activity ON posts (subnet, last_activity DESC, id)"
  "  WHERE kind = 1 AND hidden = 0;"
  "CREATE INDEX posts_by_thread ON posts (thread, created_ts, created_ctr, id);"
  /* Kept in step by hl-store-apply.c, a batch at a time: FTS5 flushes a
   * segment at every statement that writes it, so per-row triggers cost
   * more than the rest of applying an event. */
  "CREATE VIRTUAL TABLE posts_fts USING fts5 ("
  "  title, body, content = 'posts', content_rowid = 'rowid',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "CREATE TABLE profiles ("
  "  author BLOB PRIMARY KEY,"
  "  name   TEXT,"
  "  bio    TEXT,"
  "  ts     INTEGER NOT NULL,"
  "  ctr    INTEGER NOT NULL,"
  "  event  BLOB NOT NULL"
  ") WITHOUT ROWID;"
  /* Live threads per subnet, kept as a count so that listing subnets never
   * counts a big one's threads. A subnet may get threads before it arrives. */
  "CREATE TABLE subnet_threads ("
  "  subnet BLOB PRIMARY KEY,"
  "  live   INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE moderators ("
  "  subnet BLOB NOT NULL,"
  "  key    BLOB NOT NULL,"
  "  PRIMARY KEY (subnet, key)"
  ") WITHOUT ROWID;"
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value"
  ") WITHOUT ROWID;",
  /* 2: the peers hyperlinkd dials (hyperlinkctl peer add|remove|list). */
  "CREATE TABLE sync_peers ("
  "  address  TEXT PRIMARY KEY,"      /* ws://HOST:PORT */
  "  added_ms INTEGER NOT NULL"
  ") WITHOUT ROWID;",
  /* 3: bootstrap nodes (hyperlinkctl bootstrap), invites made here and who
   * redeemed them, invites accepted here (docs/protocol.md, "Invites"). */
  "CREATE TABLE sync_bootstrap ("
  "  address  TEXT PRIMARY KEY,"      /* ws://HOST:PORT */
  "  added_ms INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE invites_issued ("
  "  id         TEXT PRIMARY KEY,"    /* 32 hex: the token id */
  "  created_ms INTEGER NOT NULL,"
  "  expires_ms INTEGER NOT NULL,"
  "  uses       INTEGER NOT NULL,"
  "  subnet     TEXT,"                /* 64 hex, or NULL */
  "  link       TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE invite_redemptions ("
  "  invite      TEXT NOT NULL,"
  "  node        TEXT NOT NULL,"      /* the redeemer's node key, 64 hex */
  "  address     TEXT,"               /* where it said it can be reached */
  "  redeemed_ms INTEGER NOT NULL,"
  "  PRIMARY KEY (invite, node)"
  ") WITHOUT ROWID;"
  "CREATE TABLE invites_accepted ("
  "  id         TEXT PRIMARY KEY,"
  "  link       TEXT NOT NULL,"
  "  inviter    TEXT NOT NULL,"       /* the inviter's node key, 64 hex */
  "  state      TEXT NOT NULL,"       /* pending, redeemed, refused */
  "  reason     TEXT,"                /* why it was refused, or the last problem */
  "  subnet     TEXT,"
  "  address    TEXT,"                /* the inviter's address that worked */
  "  updated_ms INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  /* Peers found through bootstrap nodes or peer exchange that answered:
   * dialled again after a restart, when those who told us may be gone. */
  "CREATE TABLE sync_known ("
  "  address TEXT PRIMARY KEY,"
  "  node    TEXT NOT NULL,"          /* the key found there, 64 hex */
  "  found   INTEGER NOT NULL,"       /* HlPeerFound bits */
  "  via     TEXT,"
  "  seen_ms INTEGER NOT NULL"
  ") WITHOUT ROWID;",
  /* 4: this device's events that no peer has yet confirmed holding ("did my
   * post go out?"); a row goes when a peer acknowledges it or a
   * reconciliation shows the peer has it (hl-node-delivery.c). */
  "CREATE TABLE outbox ("
  "  id     BLOB PRIMARY KEY,"
  "  object BLOB NOT NULL"            /* the post, subnet or profile it makes or changes */
  ") WITHOUT ROWID;"
  "CREATE INDEX outbox_by_object ON outbox (object);",
  /* 5: the node key last found at each manual peer's address, so that the
   * peer is admitted when it dials in from another address (docs/protocol.md,
   * "Admission"). */
  "ALTER TABLE sync_peers ADD COLUMN node TEXT;",   /* 64 hex, or NULL */
  /* 6: the history archive (docs/protocol.md, "Archive"; hl-store-archive.c).
   * A segment is a manifest's content: manifests that describe the same
   * bytes (two devices sealed at once) share one row and its symbols. */
  "CREATE TABLE archive_segments ("
  "  rowid       INTEGER PRIMARY KEY,"
  "  key         BLOB NOT NULL UNIQUE,"   /* BLAKE2b-256 of the content members */
  "  subnet      BLOB NOT NULL,"
  "  month       INTEGER NOT NULL,"       /* year * 100 + month */
  "  gen         INTEGER NOT NULL,"
  "  part        INTEGER NOT NULL,"
  "  parts       INTEGER NOT NULL,"
  "  set_hash    BLOB NOT NULL,"
  "  hash        BLOB NOT NULL,"          /* of the plaintext */
  "  count       INTEGER NOT NULL,"
  "  first_ts    INTEGER NOT NULL,"
  "  last_ts     INTEGER NOT NULL,"
  "  size        INTEGER NOT NULL,"
  "  oti         BLOB NOT NULL,"
  "  roots       BLOB NOT NULL,"          /* 32 bytes per source block */
  "  state       INTEGER NOT NULL DEFAULT 0," /* 0 pending, 1 current, 2 superseded */
  "  changed_ms  INTEGER NOT NULL,"       /* when the state last changed, local clock */
  "  verified_ms INTEGER"                 /* when this device checked the content */
  ");"
  "CREATE INDEX archive_segments_by_range ON archive_segments (subnet, month, gen);"
  "CREATE TABLE archive_manifests ("
  "  id      BLOB PRIMARY KEY,"           /* the archive.segment event */
  "  segment INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX archive_manifests_by_segment ON archive_manifests (segment);"
  /* key = segment << 32 | sbn << 24 | esi. Not WITHOUT ROWID: there a 1 KB
   * symbol spills into an overflow page of its own (4.6 KB of file per
   * symbol, measured); a rowid table packs three to a 4 KB page. */
  "CREATE TABLE archive_symbols ("
  "  key  INTEGER PRIMARY KEY,"
  "  leaf BLOB NOT NULL,"
  "  data BLOB NOT NULL"
  ");"
  /* How many there are, for the quota: count(*) reads the whole table. */
  "INSERT INTO meta (key, value) VALUES ('archive_symbols', 0);"
  "CREATE TRIGGER archive_symbols_added AFTER INSERT ON archive_symbols BEGIN"
  "  UPDATE meta SET value = value + 1 WHERE key = 'archive_symbols';"
  "END;"
  "CREATE TRIGGER archive_symbols_removed AFTER DELETE ON archive_symbols BEGIN"
  "  UPDATE meta SET value = value - 1 WHERE key = 'archive_symbols';"
  "END;"
  /* The boundary hashes a stored run of symbols came with, so that
   * `archive verify` can check the run against its root again. */
  "CREATE TABLE archive_proofs ("
  "  segment INTEGER NOT NULL,"
  "  sbn     INTEGER NOT NULL,"
  "  first   INTEGER NOT NULL,"
  "  count   INTEGER NOT NULL,"
  "  hashes  BLOB NOT NULL,"
  "  PRIMARY KEY (segment, sbn, first, count)"
  ");"
  "CREATE TABLE archive_holders ("
  "  author BLOB PRIMARY KEY,"
  "  quota  INTEGER NOT NULL,"
  "  ts     INTEGER NOT NULL,"
  "  ctr    INTEGER NOT NULL,"
  "  event  BLOB NOT NULL"
  ") WITHOUT ROWID;"
  /* The current segment (archive_segments.rowid) holding the event, once
   * this device verified it; such events leave the reconciled set. */
  "ALTER TABLE events ADD COLUMN archived INTEGER;"
  "CREATE INDEX events_archived ON events (archived) WHERE archived IS NOT NULL;",
  /* Private subnets (hl-store-privnet.c). `sealed` is the envelope an event
   * came out of on this member device: such rows never leave it. */
  "ALTER TABLE events ADD COLUMN sealed BLOB;"
  "CREATE INDEX events_sealed ON events (sealed) WHERE sealed IS NOT NULL;"
  "CREATE TABLE private_subnets ("
  "  subnet    BLOB PRIMARY KEY,"
  "  owner     BLOB NOT NULL,"
  "  create_id BLOB NOT NULL,"
  "  tag       TEXT"
  ") WITHOUT ROWID;"
  "CREATE TABLE private_epochs ("
  "  event  BLOB PRIMARY KEY,"
  "  subnet BLOB NOT NULL,"
  "  epoch  BLOB NOT NULL,"
  "  author BLOB NOT NULL,"
  "  ts     INTEGER NOT NULL,"
  "  ctr    INTEGER NOT NULL,"
  "  lists  TEXT"                      /* {"members":[…],"admins":[…]} when readable here */
  ") WITHOUT ROWID;"
  "CREATE INDEX private_epochs_by_subnet ON private_epochs (subnet, ts, ctr, event);"
  "CREATE TABLE private_keys ("
  "  epoch  BLOB PRIMARY KEY,"
  "  subnet BLOB NOT NULL,"
  "  key    BLOB NOT NULL"
  ") WITHOUT ROWID;",
  /* The keys hyperlinkd loads at start into the reconciled set
   * (hl_store_sync_foreach_key, _held_key) without reading the events'
   * bytes: at 1,000,000 events the table is 1 GB, this index 60 MB. */
  "CREATE INDEX events_held ON events (ts, id, archived) "
  "  WHERE raw IS NOT NULL AND sealed IS NULL;",
  /* The local history horizon (hl-store-horizon.c): the months of a
   * subnet whose threads this device dropped, kept so that it knows what
   * it dropped (the events' ids went with them; their segments' manifests
   * and this device's share of symbols stay). */
  "CREATE TABLE horizon_ranges ("
  "  subnet    BLOB NOT NULL,"
  "  month     INTEGER NOT NULL,"      /* year * 100 + month */
  "  threads   INTEGER NOT NULL,"
  "  events    INTEGER NOT NULL,"
  "  bytes     INTEGER NOT NULL,"
  "  pruned_ms INTEGER NOT NULL,"
  "  loaded_ms INTEGER,"               /* NULL while dropped; when a load brought it back */
  "  PRIMARY KEY (subnet, month)"
  ") WITHOUT ROWID;",
  /* A private subnet's segment names the epoch whose key encrypts it
   * (hl-archive-plan.c, docs/protocol.md "Keys and encryption"). */
  "ALTER TABLE archive_segments ADD COLUMN epoch BLOB;",
  /* Issue 14, storage and import. events_held (ts, id, archived) already
   * orders every event that is offered, exported or archived, the only ones
   * read by time: the full index beside it cost 55 bytes an event and one
   * more B-tree insert per event. A thread's reply count and last activity,
   * recounted at the end of every batch that touches the thread, are read
   * from posts_in_thread alone: the old index lacked kind and hidden, so
   * the recount read every reply's row. Listing a thread's replies sorts
   * them by (created_ctr, id) within a timestamp; 25 bytes less a post. */
  "DROP INDEX events_by_time;"
  "DROP INDEX posts_by_thread;"
  "CREATE INDEX posts_in_thread ON posts (thread, kind, hidden, created_ts);",
};
