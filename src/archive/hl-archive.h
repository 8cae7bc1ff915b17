/* hl-archive.h: the history archive (docs/protocol.md, "Archive").
 *
 * Old history is sealed into segments: one subnet's events of one month (in
 * parts of at most 16 MiB), as deterministic bytes, encrypted, RaptorQ-coded,
 * each block's committed symbols under a Merkle root the manifest carries.
 * Placement says, with no coordinator, which symbols each holder keeps.
 *
 * The network is not here: src/sync moves symbols with the functions below
 * (hl_archive_read_run() to serve, hl_archive_store_run() to take, then
 * hl_archive_decode() or hl_archive_decode_many()). Everything else a
 * device does on its own is hl_archive_maintain(). A running node reads its
 * reconciled set again when hl_store_sync_containment_epoch() changes.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-codec.h"
#include "hl-event-archive.h"
#include "hl-identity.h"
#include "hl-store-archive.h"
#include "hl-store-horizon.h"
#include "hl-store.h"

G_BEGIN_DECLS

#define HL_ARCHIVE_ERROR (hl_archive_error_quark ())

typedef enum
{
  HL_ARCHIVE_ERROR_BAD_SYMBOL,     /* a symbol or run fails its proof */
  HL_ARCHIVE_ERROR_BAD_SEGMENT,    /* decrypted or decoded bytes that are not the segment */
  HL_ARCHIVE_ERROR_NOT_ENOUGH,     /* too few symbols to decode */
  HL_ARCHIVE_ERROR_NO_KEY,         /* the subnet's create event is not held */
  HL_ARCHIVE_ERROR_TOO_LARGE,      /* more than version 1 can seal */
} HlArchiveError;

GQuark hl_archive_error_quark (void);

/* ---- Segment bytes and keys ---- */

#define HL_ARCHIVE_KEY_BYTES     32
#define HL_ARCHIVE_NONCE_BYTES   24
/* magic (6) || subnet (32) || year (2) || month (1) || gen (4) || part (2)
 * || parts (2) || count (4); the additional data is all but the count. */
#define HL_ARCHIVE_HEADER_BYTES  53
#define HL_ARCHIVE_AD_BYTES      49
/* u32 length || canonical bytes || signature */
#define HL_ARCHIVE_RECORD_EXTRA  (4 + HL_SIG_LEN)

/* K_S = BLAKE2b-256(key "hyperlink-archive-key-v1", id || sig of the
 * subnet.create). */
void      hl_archive_subnet_key    (const guint8 *create_id,
                                    const guint8 *create_sig,
                                    guint8       *out);
/* A private subnet's K_S: BLAKE2b-256(key K_e, "hyperlink-archive-private-v1"
 * || subnet), K_e the key of the epoch the manifest names. */
void      hl_archive_private_key   (const guint8 *epoch_key,
                                    const guint8 *subnet,
                                    guint8       *out);
/* K = BLAKE2b-256(key K_S, "hl-seg-v1" || subnet || year || month || gen || part). */
void      hl_archive_segment_key   (const guint8 *subnet_key,
                                    const guint8 *subnet,
                                    guint         year,
                                    guint         month,
                                    guint32       gen,
                                    guint         part,
                                    guint8       *out);
/* The first 24 bytes of BLAKE2b-256(key K, plaintext hash). */
void      hl_archive_segment_nonce (const guint8 *segment_key,
                                    const guint8 *plaintext_hash,
                                    guint8       *out);
void      hl_archive_header        (const guint8 *subnet,
                                    guint         year,
                                    guint         month,
                                    guint32       gen,
                                    guint         part,
                                    guint         parts,
                                    guint32       count,
                                    guint8       *out);

/* One part of a sealing, built from events: its manifest (everything but
 * the set hash and supersedes, which the whole sealing decides), its
 * plaintext and ciphertext, and the encoder over the ciphertext. */
typedef struct _HlSegment HlSegment;

void                     hl_segment_free        (HlSegment        *segment);
const HlSegmentManifest *hl_segment_manifest    (HlSegment        *segment);
GBytes                  *hl_segment_plaintext   (HlSegment        *segment);
GBytes                  *hl_segment_ciphertext  (HlSegment        *segment);
const guint8            *hl_segment_key         (HlSegment        *segment);
const guint8            *hl_segment_nonce       (HlSegment        *segment);
/* Writes the symbol (T bytes) of (@sbn, @esi). */
gboolean                 hl_segment_symbol      (HlSegment        *segment,
                                                 guint             sbn,
                                                 guint32           esi,
                                                 guint8           *out,
                                                 GError          **error);
/* The boundary hashes that prove the run [@first, @first + @count) of
 * block @sbn (docs/protocol.md, "Verification"). */
GBytes                  *hl_segment_proof       (HlSegment        *segment,
                                                 guint             sbn,
                                                 guint32           first,
                                                 guint32           count);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlSegment, hl_segment_free)

/* Builds a segment from a plaintext (its header is read from it): hash,
 * keys, ciphertext, OTI and the roots over every committed symbol. */
HlSegment *hl_segment_new_from_plaintext (GBytes       *plaintext,
                                          const guint8 *subnet_key,
                                          GError      **error);

/* Reads a decrypted plaintext: the header must be the manifest's, the
 * records well formed and in (ts, id) order, and nothing may follow.
 * @func gets each record's canonical bytes and signature. */
typedef gboolean (*HlArchiveRecordReader) (const guint8 *raw,
                                           gsize         raw_len,
                                           const guint8 *sig,
                                           gpointer      user_data);
gboolean   hl_archive_plaintext_read     (GBytes                  *plaintext,
                                          const HlSegmentManifest *manifest,
                                          HlArchiveRecordReader    func,
                                          gpointer                 user_data,
                                          GError                 **error);

/* ---- Symbols and proofs ---- */

/* Leaf = BLAKE2b-256(0x00 || "hl-sym-v1" || sbn || esi (u24) || symbol). */
void       hl_archive_leaf               (guint         sbn,
                                          guint32       esi,
                                          const guint8 *symbol,
                                          guint8       *out);
/* The committed ESIs of block @sbn: 4 K_b. */
guint32    hl_archive_committed          (const HlSegmentManifest *manifest,
                                          guint                    sbn);
/* Checks a run of @count leaves (ESIs [@first, @first + @count) of block
 * @sbn) with its proof (@n_hashes hashes) against the manifest's root. */
gboolean   hl_archive_proof_check        (const HlSegmentManifest *manifest,
                                          guint                    sbn,
                                          guint32                  first,
                                          guint32                  count,
                                          const guint8            *leaves,
                                          const guint8            *hashes,
                                          gsize                    n_hashes,
                                          GError                 **error);
/* The same for the symbols themselves (@count × T bytes); their leaves go
 * to @leaves_out (@count × 32 bytes) when not NULL. */
gboolean   hl_archive_run_check          (const HlSegmentManifest *manifest,
                                          guint                    sbn,
                                          guint32                  first,
                                          guint32                  count,
                                          const guint8            *symbols,
                                          const guint8            *hashes,
                                          gsize                    n_hashes,
                                          guint8                  *leaves_out,
                                          GError                 **error);

/* ---- Placement ---- */

typedef struct
{
  guint   sbn;
  guint32 first;
  guint32 count;
} HlEsiRange;

typedef struct _HlPlacement HlPlacement;

/* The placement of a segment over the holder keys @keys (@n_keys × 32
 * bytes, any order, no repeats) under policy @lose (HL_ARCHIVE_LOSE_HALF or
 * the devices the group may lose). NULL when there is no holder. */
HlPlacement *hl_placement_new         (const HlSegmentManifest *manifest,
                                       const guint8            *keys,
                                       guint                    n_keys,
                                       gint                     lose);
void         hl_placement_free        (HlPlacement             *placement);
guint        hl_placement_n_holders   (HlPlacement             *placement);
/* The f it places for: the policy's, at most n − 1. */
guint        hl_placement_lose        (HlPlacement             *placement);
/* s_b, the symbols each holder keeps of block @sbn; the slot count and pitch. */
guint32      hl_placement_share       (HlPlacement             *placement,
                                       guint                    sbn);
guint32      hl_placement_slots       (HlPlacement             *placement,
                                       guint                    sbn);
/* The ESIs @key holds of block @sbn; FALSE when @key is not a holder. */
gboolean     hl_placement_range       (HlPlacement             *placement,
                                       const guint8            *key,
                                       guint                    sbn,
                                       HlEsiRange              *range);
/* Every block's range of @key (HlEsiRange), empty when it is not a holder. */
GArray      *hl_placement_ranges      (HlPlacement             *placement,
                                       const guint8            *key);
/* Whether what the holders but @lost (@n_lost keys) keep still has
 * K_b + 2 distinct symbols of every block. */
gboolean     hl_placement_survives    (HlPlacement             *placement,
                                       const guint8            *lost,
                                       guint                    n_lost);
/* The most devices that may be lost, whichever they are, with every block
 * still decodable (-1 when it is not decodable even now). */
gint         hl_placement_tolerance   (HlPlacement             *placement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlPlacement, hl_placement_free)

/* ---- What a device does ---- */

typedef struct _HlArchive HlArchive;

/* @identity signs the manifests and holder events this device writes (it is
 * not copied: it must outlive the archive); NULL for reading only (status,
 * verify). The archive keeps a reference to @store. One thread at a time,
 * like the store. */
HlArchive   *hl_archive_new           (HlStore                 *store,
                                       HlIdentity              *identity);
/* Whether this device can hold the key of @manifest's segment: always for
 * a public subnet; a private subnet's only on members of the epoch it names. */
gboolean  hl_archive_segment_readable (HlArchive               *archive,
                                       const HlSegmentManifest *manifest);
void         hl_archive_free          (HlArchive               *archive);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlArchive, hl_archive_free)

/* The clock the archive's rules read (sealing horizon, grace, the 24 h of
 * superseded symbols); tests move it. */
void         hl_archive_set_now       (HlArchive               *archive,
                                       gint64                   now_ms);

typedef enum
{
  HL_ARCHIVE_MAINTAIN_DEFAULT = 0,
  HL_ARCHIVE_SEAL_ALL = 1 << 0,     /* every month with events, the current one too */
  HL_ARCHIVE_RESEAL_NOW = 1 << 1,   /* no random delay before a reseal */
  HL_ARCHIVE_NO_SEAL = 1 << 2,      /* still receiving the forum: verify and keep, seal nothing */
} HlArchiveMaintainFlags;

typedef struct
{
  guint   sealed;             /* segments this device sealed (parts) */
  guint   resealed;           /* of them, new generations of sealed ranges */
  guint   verified;           /* segments checked against this device's events */
  guint   released;           /* segments whose events went back to the set */
  guint64 events_sealed;
  guint64 bytes_sealed;       /* plaintext */
  guint64 symbols_written;    /* this device's share */
  guint64 symbols_dropped;
  gboolean announced;         /* an archive.holder went out */
  HlHorizonAmount dropped;    /* threads dropped below this device's horizon */
} HlArchiveReport;

/* Everything the archive needs of this device, in order: announce it as a
 * holder (every 24 h, or when its quota changed); check current segments
 * against its own events; seal the ranges due (gen 1) and reseal those its
 * events no longer match (gen + 1); keep its share of the symbols; drop
 * superseded symbols; evict what the quota does not hold. Each segment is
 * built, kept and written on its own, in transactions of its own. */
gboolean     hl_archive_maintain      (HlArchive               *archive,
                                       HlArchiveMaintainFlags   flags,
                                       HlArchiveReport         *report,
                                       GError                 **error);

/* Segment @segment built again from this device's own events (for symbols
 * nobody stores: repairs). NULL with HL_ARCHIVE_ERROR_NOT_ENOUGH when its
 * events do not make the manifest's bytes. */
HlSegment   *hl_archive_rebuild       (HlArchive               *archive,
                                       gint64                   segment,
                                       GError                 **error);

/* The symbols a device has of the run [@first, @first + @count) of block
 * @sbn, with the proof of that run; NULL with HL_ARCHIVE_ERROR_NOT_ENOUGH
 * when any is missing. */
GBytes      *hl_archive_read_run      (HlArchive               *archive,
                                       gint64                   segment,
                                       guint                    sbn,
                                       guint32                  first,
                                       guint32                  count,
                                       GBytes                 **proof,
                                       GError                 **error);
/* How many symbols from @first on (at most @count) one stored proven run
 * holds: what hl_archive_read_run() can serve in one piece (0: none). */
guint32      hl_archive_held_prefix   (HlArchive               *archive,
                                       gint64                   segment,
                                       guint                    sbn,
                                       guint32                  first,
                                       guint32                  count);
/* Checks a run of symbols against its proof and keeps it: always this
 * device's share, other symbols only within the quota (as a cache). A run
 * that fails its proof is refused whole (HL_ARCHIVE_ERROR_BAD_SYMBOL) and
 * nothing of it is stored. *@stored counts the symbols kept. */
gboolean     hl_archive_store_run     (HlArchive               *archive,
                                       gint64                   segment,
                                       guint                    sbn,
                                       guint32                  first,
                                       guint32                  count,
                                       GBytes                  *symbols,
                                       GBytes                  *proof,
                                       guint                   *stored,
                                       GError                 **error);

typedef struct
{
  guint64 events;             /* in the segment */
  guint64 accepted;           /* new here */
  guint64 symbols_used;       /* fed to the decoder before it succeeded */
  guint64 source_symbols;     /* K, all blocks */
  gint64  decode_us;          /* reading symbols, RaptorQ, decrypting, parsing */
  gint64  verify_us;          /* waiting for signature checks not hidden behind ingesting */
  gint64  apply_us;           /* ingesting, while later events are checked, and settling */
} HlArchiveDecodeStats;

/* Rebuilds a segment from the symbols stored for it, decrypts it, checks
 * its hash and hands its events to the normal ingest path (every signature
 * checked); then the segment counts as verified here. */
gboolean     hl_archive_decode        (HlArchive               *archive,
                                       gint64                   segment,
                                       HlArchiveDecodeStats    *stats,
                                       GError                 **error);
/* The same for several segments, faster: their events are applied in
 * transactions of up to 16384, as an import does. @stats adds them up. */
gboolean     hl_archive_decode_many   (HlArchive               *archive,
                                       const gint64            *segments,
                                       guint                    n_segments,
                                       HlArchiveDecodeStats    *stats,
                                       GError                 **error);

typedef struct
{
  guint64 symbols;            /* checked */
  guint64 bad;                /* whose bytes are not their leaf */
  guint64 runs;               /* proofs checked */
  guint64 bad_runs;           /* proofs that do not lead to the root */
  GPtrArray *problems;        /* char *, one sentence each */
} HlArchiveVerifyReport;

void         hl_archive_verify_report_clear (HlArchiveVerifyReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HlArchiveVerifyReport, hl_archive_verify_report_clear)
/* Checks every stored symbol against its leaf and every stored proof
 * against its root; with @drop_bad, deletes what failed. */
gboolean     hl_archive_verify_stored (HlArchive               *archive,
                                       gboolean                 drop_bad,
                                       HlArchiveVerifyReport   *report,
                                       GError                 **error);

/* ---- Status ---- */

typedef struct
{
  HlSegmentRow *row;
  char         *subnet_name;     /* NULL when the subnet is not known here */
  guint         holders;         /* placed on */
  gint          tolerance;       /* devices it may lose, whichever */
  gint          policy;          /* the policy's f (HL_ARCHIVE_LOSE_HALF) */
  guint         policy_lose;     /* as placed */
  guint64       own_expected;    /* symbols this device should hold */
  guint64       own_held;
  gboolean      at_risk;
  char         *risk;            /* why, in words; NULL when not at risk */
} HlArchiveSegmentStatus;

typedef struct
{
  guint8   key[HL_KEY_LEN];
  char    *name;                 /* the holder's profile name, if known */
  gint64   last_seen_ms;         /* its latest archive.holder */
  guint64  quota;
  guint64  expected;             /* symbols it should hold, by placement */
  gint64   held;                 /* what this device knows it holds; -1 unknown */
  gboolean is_self;
} HlArchiveDeviceStatus;

typedef struct
{
  GPtrArray *segments;           /* HlArchiveSegmentStatus, current ones */
  GPtrArray *devices;            /* HlArchiveDeviceStatus, the holder set */
  guint      superseded;         /* segments kept that are no longer current */
  guint64    total_size;         /* ciphertext bytes of the current segments */
  guint64    events;
  guint64    share_bytes;        /* this device's share */
  guint64    stored_bytes;       /* symbol bytes this device stores */
  guint64    quota;
  gboolean   is_holder;
  gint       can_lose;           /* the smallest tolerance over segments (-1 none) */
  char      *resilience;         /* "can lose any 3 of your 7 devices" */
  GPtrArray *warnings;           /* char *, sentences */
} HlArchiveStatus;

void             hl_archive_status_free (HlArchiveStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlArchiveStatus, hl_archive_status_free)

/* What this device knows of the archive: for other devices' holdings,
 * placement (the network part adds what peers report). */
HlArchiveStatus *hl_archive_status      (HlArchive               *archive,
                                         GError                 **error);

/* ---- Horizon (docs/protocol.md, "Horizon") ---- */

/* Why this device must keep a sealed month's events in full. */
typedef enum
{
  HL_HORIZON_KEEP_ONLY_HOLDER,     /* this device is the only one that holds its symbols */
  HL_HORIZON_KEEP_NO_LOSS_POLICY,  /* the group's policy may lose no device */
  HL_HORIZON_KEEP_TOLERANCE,       /* without it the group could lose @tolerance of @holders
                                    * devices, fewer than the policy's @policy_lose */
  HL_HORIZON_KEEP_SHARE_PARTIAL,   /* it holds @own_held of the @own_expected symbols of
                                    * its share yet */
} HlHorizonKeepReason;

/* A month that stays, and why: for a sentence of the caller's own (the
 * window's, translated), or hl_horizon_refusal_describe's English. */
typedef struct
{
  HlHorizonKeepReason  reason;
  guint8               subnet[HL_ID_LEN];
  char                *subnet_name;  /* NULL: not known here */
  guint                year;
  guint                month;
  gint                 tolerance;
  guint                holders;
  guint                policy_lose;
  guint64              own_held;
  guint64              own_expected;
} HlHorizonRefusal;

void           hl_horizon_refusal_free      (HlHorizonRefusal *refusal);
/* "2026-03 of linux stays: this device is the only one that holds its
 * symbols" (English, for hyperlinkctl and logs). */
char          *hl_horizon_refusal_describe  (const HlHorizonRefusal *refusal);

typedef struct
{
  gint             months;
  gint64           boundary_ms;  /* months that ended by then are beyond the horizon */
  GArray          *segments;     /* gint64 rowids whose threads may go */
  HlHorizonAmount  frees;        /* what dropping them frees */
  GPtrArray       *refused;      /* HlHorizonRefusal: the months that must stay */
} HlHorizonPlan;

void           hl_horizon_plan_free         (HlHorizonPlan    *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlHorizonPlan, hl_horizon_plan_free)
/* The instant @months calendar months before now. */
gint64         hl_archive_horizon_boundary  (HlArchive        *archive,
                                             gint              months);
/* What a horizon of @months would drop now, and what it must keep and why;
 * nothing is written. */
HlHorizonPlan *hl_archive_horizon_plan      (HlArchive        *archive,
                                             gint              months,
                                             GError          **error);
/* Applies the horizon setting: notes history that was loaded back, drops
 * the threads the plan allows (loaded history beyond the cache's size or
 * age too), then gives the space back (incremental vacuum). */
gboolean       hl_archive_horizon_apply     (HlArchive        *archive,
                                             HlHorizonAmount  *dropped,
                                             GError          **error);

G_END_DECLS
