/* hl-ctl-archive.c: `archive status`, `archive seal` and `archive verify`:
 * the history archive from the terminal (docs/protocol.md, "Archive").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-ctl.h"
#include "hl-json.h"
#include "hl-sync-lock.h"

#include "hl-archive.h"
#include "hl-error.h"
#include "hl-paths.h"

/* This device's key when it has one: reading the archive needs none. */
static HlIdentity *
identity_if_any (HlCtl *ctl)
{
  g_autofree char *path = hl_paths_identity (ctl->data_dir);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return hl_ctl_identity (ctl, NULL, NULL);
}

static char *
format_size (guint64 bytes)
{
  return g_format_size (bytes);
}

static char *
format_count (guint64 n)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
holder_label (const HlArchiveDeviceStatus *d)
{
  g_autofree char *hex = hl_hex_dup (d->key, HL_KEY_LEN);

  return d->name != NULL ? g_strdup_printf ("%s (%.8s…)", d->name, hex)
                         : g_strdup_printf ("%.16s…", hex);
}

static JsonNode *
segment_json (const HlArchiveSegmentStatus *s)
{
  JsonBuilder *b = json_builder_new ();
  const HlSegmentManifest *m = &s->row->manifest;
  g_autofree char *month = hl_segment_manifest_month (m);
  g_autofree char *subnet = hl_hex_dup (m->subnet, HL_ID_LEN);
  g_autofree char *manifest = hl_hex_dup (s->row->manifest_id, HL_ID_LEN);
  g_autofree char *hash = hl_hex_dup (m->hash, HL_ID_LEN);
  JsonNode *node;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "subnet");
  json_builder_add_string_value (b, subnet);
  json_builder_set_member_name (b, "subnet_name");
  if (s->subnet_name != NULL)
    json_builder_add_string_value (b, s->subnet_name);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "month");
  json_builder_add_string_value (b, month);
  json_builder_set_member_name (b, "gen");
  json_builder_add_int_value (b, m->gen);
  json_builder_set_member_name (b, "part");
  json_builder_add_int_value (b, m->part);
  json_builder_set_member_name (b, "parts");
  json_builder_add_int_value (b, m->parts);
  json_builder_set_member_name (b, "manifest");
  json_builder_add_string_value (b, manifest);
  json_builder_set_member_name (b, "hash");
  json_builder_add_string_value (b, hash);
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, m->count);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64) m->size);
  json_builder_set_member_name (b, "verified");
  json_builder_add_boolean_value (b, s->row->verified_ms != 0);
  json_builder_set_member_name (b, "holders");
  json_builder_add_int_value (b, s->holders);
  json_builder_set_member_name (b, "can_lose");
  json_builder_add_int_value (b, s->tolerance);
  json_builder_set_member_name (b, "policy_lose");
  if (s->policy == HL_ARCHIVE_LOSE_HALF)
    json_builder_add_string_value (b, "half");
  else
    json_builder_add_int_value (b, s->policy);
  json_builder_set_member_name (b, "own_expected");
  json_builder_add_int_value (b, (gint64) s->own_expected);
  json_builder_set_member_name (b, "own_held");
  json_builder_add_int_value (b, (gint64) s->own_held);
  json_builder_set_member_name (b, "at_risk");
  json_builder_add_boolean_value (b, s->at_risk);
  json_builder_set_member_name (b, "risk");
  if (s->risk != NULL)
    json_builder_add_string_value (b, s->risk);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  g_object_unref (b);
  return node;
}

static JsonNode *
device_json (const HlArchiveDeviceStatus *d)
{
  JsonObject *obj = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *key = hl_hex_dup (d->key, HL_KEY_LEN);

  json_object_set_string_member (obj, "key", key);
  if (d->name != NULL)
    json_object_set_string_member (obj, "name", d->name);
  else
    json_object_set_null_member (obj, "name");
  json_object_set_boolean_member (obj, "self", d->is_self);
  json_object_set_int_member (obj, "last_seen_ms", d->last_seen_ms);
  json_object_set_int_member (obj, "quota", (gint64) d->quota);
  json_object_set_int_member (obj, "expected_symbols", (gint64) d->expected);
  /* What others hold, peers report (the network part): unknown here. */
  if (d->held >= 0)
    json_object_set_int_member (obj, "held_symbols", d->held);
  else
    json_object_set_null_member (obj, "held_symbols");
  json_node_take_object (node, obj);
  return node;
}

static void
print_status_json (const HlArchiveStatus *st)
{
  JsonObject *out = json_object_new ();
  JsonArray *segments = json_array_new ();
  JsonArray *devices = json_array_new ();
  JsonArray *warnings = json_array_new ();

  json_object_set_string_member (out, "resilience", st->resilience);
  json_object_set_int_member (out, "can_lose", st->can_lose);
  json_object_set_int_member (out, "holders", st->devices->len);
  json_object_set_boolean_member (out, "is_holder", st->is_holder);
  json_object_set_int_member (out, "total_size", (gint64) st->total_size);
  json_object_set_int_member (out, "events", (gint64) st->events);
  json_object_set_int_member (out, "share_bytes", (gint64) st->share_bytes);
  json_object_set_int_member (out, "stored_bytes", (gint64) st->stored_bytes);
  json_object_set_int_member (out, "quota", (gint64) st->quota);
  json_object_set_int_member (out, "superseded", st->superseded);
  for (guint i = 0; i < st->segments->len; i++)
    json_array_add_element (segments, segment_json (g_ptr_array_index (st->segments, i)));
  for (guint i = 0; i < st->devices->len; i++)
    json_array_add_element (devices, device_json (g_ptr_array_index (st->devices, i)));
  for (guint i = 0; i < st->warnings->len; i++)
    json_array_add_string_element (warnings, g_ptr_array_index (st->warnings, i));
  json_object_set_array_member (out, "segments", segments);
  json_object_set_array_member (out, "devices", devices);
  json_object_set_array_member (out, "warnings", warnings);
  hl_ctl_print_object (out);
}

static void
print_segment_line (const HlArchiveSegmentStatus *s)
{
  const HlSegmentManifest *m = &s->row->manifest;
  g_autofree char *month = hl_segment_manifest_month (m);
  g_autofree char *events = format_count (m->count);
  g_autofree char *size = format_size (m->size);
  g_autofree char *hex = hl_hex_dup (m->subnet, HL_ID_LEN);
  g_autofree char *subnet = s->subnet_name ? g_strdup_printf ("#%s", s->subnet_name)
                                           : g_strdup_printf ("%.12s…", hex);
  g_autofree char *part = m->parts > 1 ? g_strdup_printf (" part %u/%u", m->part + 1, m->parts)
                                       : g_strdup ("");
  g_autofree char *own = s->own_expected > 0
                         ? g_strdup_printf ("; this device %" G_GUINT64_FORMAT "/%"
                                            G_GUINT64_FORMAT " symbols", s->own_held,
                                            s->own_expected)
                         : g_strdup ("");

  g_print ("  %s %s%s gen %u: %s events, %s, %u %s, can lose %d%s%s\n", subnet, month, part,
           m->gen, events, size, s->holders, s->holders == 1 ? "holder" : "holders",
           MAX (s->tolerance, 0), own, s->row->verified_ms != 0 ? "" : " (not checked here)");
}

static void
print_status_text (const HlArchiveStatus *st)
{
  g_autofree char *size = format_size (st->total_size);
  g_autofree char *events = format_count (st->events);
  g_autofree char *share = format_size (st->share_bytes);
  g_autofree char *stored = format_size (st->stored_bytes);
  g_autofree char *quota = format_size (st->quota);

  g_print ("Archive: %s\n", st->resilience);
  g_print ("  %u %s, %s events, %s\n", st->segments->len,
           st->segments->len == 1 ? "segment" : "segments", events, size);
  if (st->is_holder)
    g_print ("  this device's share: %s; it stores %s of symbols, quota %s\n", share, stored,
             quota);
  else
    g_print ("  this device holds no share (it stores %s of symbols, quota %s)\n", stored, quota);
  if (st->superseded > 0)
    g_print ("  %u superseded %s kept until the new ones are placed\n", st->superseded,
             st->superseded == 1 ? "segment" : "segments");
  if (st->segments->len > 0)
    g_print ("Segments:\n");
  for (guint i = 0; i < st->segments->len; i++)
    print_segment_line (g_ptr_array_index (st->segments, i));
  if (st->devices->len > 0)
    g_print ("Devices holding the archive (%u):\n", st->devices->len);
  for (guint i = 0; i < st->devices->len; i++)
    {
      const HlArchiveDeviceStatus *d = g_ptr_array_index (st->devices, i);
      g_autofree char *label = holder_label (d);
      g_autofree char *seen = hl_ctl_format_time (d->last_seen_ms);
      g_autofree char *expected = format_count (d->expected);
      g_autofree char *held = d->held >= 0 ? format_count ((guint64) d->held) : NULL;

      g_print ("  %s%s: should hold %s symbols, %s%s; last offered its disk %s\n", label,
               d->is_self ? " (this device)" : "", expected, held ? "holds " : "holds: ",
               held ? held : "not reported yet", seen);
    }
  for (guint i = 0; i < st->warnings->len; i++)
    g_print ("%s%s\n", i == 0 ? "Warnings:\n  " : "  ",
             (const char *) g_ptr_array_index (st->warnings, i));
}

/* What the running node heard from its peers (sym-held), for the devices
 * this device cannot count itself; this device's own count from its store. */
static void
add_reported_holdings (HlCtl           *ctl,
                       HlArchiveStatus *st)
{
  g_autofree char *path = hl_sync_status_path (ctl->data_dir);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *peers = NULL;

  for (guint i = 0; i < st->devices->len; i++)
    {
      HlArchiveDeviceStatus *d = g_ptr_array_index (st->devices, i);

      if (d->is_self)
        d->held = (gint64) (st->stored_bytes / HL_ARCHIVE_SYMBOL_SIZE);
    }
  if (hl_sync_lock_holder (ctl->data_dir) == 0 ||
      !json_parser_load_from_file (parser, path, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "peers") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "peers")))
    return;
  peers = json_object_get_array_member (json_node_get_object (root), "peers");
  for (guint p = 0; p < json_array_get_length (peers); p++)
    {
      JsonNode *row = json_array_get_element (peers, p);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (row) ? json_node_get_object (row) : NULL;
      JsonNode *member = obj ? json_object_get_member (obj, "archive") : NULL;
      JsonObject *archive = member && JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member)
                                                                    : NULL;
      const char *node = obj ? hl_json_get_string (obj, "node") : NULL;
      JsonNode *held = archive ? json_object_get_member (archive, "held_symbols") : NULL;
      guint8 key[HL_KEY_LEN];

      if (node == NULL || held == NULL || json_node_get_value_type (held) != G_TYPE_INT64 ||
          strlen (node) != 2 * HL_KEY_LEN || !hl_hex_decode (node, key, HL_KEY_LEN))
        continue;
      for (guint i = 0; i < st->devices->len; i++)
        {
          HlArchiveDeviceStatus *d = g_ptr_array_index (st->devices, i);

          if (!d->is_self && memcmp (d->key, key, HL_KEY_LEN) == 0)
            d->held = json_node_get_int (held);
        }
    }
}

int
hl_ctl_cmd_archive_status (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlArchive) archive = NULL;
  g_autoptr(HlArchiveStatus) status = NULL;
  HlStore *store;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)))
    return hl_ctl_fail (ctl, error);
  archive = hl_archive_new (store, identity_if_any (ctl));
  if (!(status = hl_archive_status (archive, &error)))
    return hl_ctl_fail (ctl, error);
  add_reported_holdings (ctl, status);
  if (ctl->json)
    print_status_json (status);
  else
    print_status_text (status);
  return HL_CTL_EXIT_OK;
}

static void
print_report (HlCtl                 *ctl,
              const HlArchiveReport *r,
              gboolean               all)
{
  g_autofree char *bytes = format_size (r->bytes_sealed);
  g_autofree char *events = format_count (r->events_sealed);

  if (ctl->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_int_member (out, "sealed", r->sealed);
      json_object_set_int_member (out, "resealed", r->resealed);
      json_object_set_int_member (out, "verified", r->verified);
      json_object_set_int_member (out, "events_sealed", (gint64) r->events_sealed);
      json_object_set_int_member (out, "bytes_sealed", (gint64) r->bytes_sealed);
      json_object_set_int_member (out, "symbols_written", (gint64) r->symbols_written);
      json_object_set_int_member (out, "symbols_dropped", (gint64) r->symbols_dropped);
      json_object_set_boolean_member (out, "announced", r->announced);
      hl_ctl_print_object (out);
      return;
    }
  if (r->sealed > 0)
    g_print ("Sealed %u %s (%s events, %s)%s\n", r->sealed,
             r->sealed == 1 ? "segment" : "segments", events, bytes,
             r->resealed > 0 ? ", some of them new generations of sealed months" : "");
  else
    g_print ("Nothing new to seal%s\n",
             all ? "" : ": months are sealed once they ended more than the seal-after "
                        "setting ago (30 days unless changed); “--all” seals the rest");
  if (r->verified > 0)
    g_print ("Checked %u %s against this device's events\n", r->verified,
             r->verified == 1 ? "segment" : "segments");
  if (r->symbols_written > 0 || r->symbols_dropped > 0)
    g_print ("This device stored %" G_GUINT64_FORMAT " symbols of its share and dropped %"
             G_GUINT64_FORMAT "\n", r->symbols_written, r->symbols_dropped);
}

int
hl_ctl_cmd_archive_seal (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlArchive) archive = NULL;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      "Seal every month with events now, the current one too", NULL },
    { NULL }
  };
  HlArchiveMaintainFlags flags = HL_ARCHIVE_RESEAL_NOW;
  HlArchiveReport report;
  HlIdentity *identity;
  HlStore *store;

  if (!hl_ctl_parse (ctl, entries, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  if (!(store = hl_ctl_store (ctl, &error)) || !(identity = hl_ctl_identity (ctl, NULL, &error)))
    return hl_ctl_fail (ctl, error);
  if (all)
    flags |= HL_ARCHIVE_SEAL_ALL;
  archive = hl_archive_new (store, identity);
  if (!hl_archive_maintain (archive, flags, &report, &error))
    return hl_ctl_fail (ctl, error);
  print_report (ctl, &report, all);
  return HL_CTL_EXIT_OK;
}

int
hl_ctl_cmd_archive_verify (HlCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlArchive) archive = NULL;
  g_auto(HlArchiveVerifyReport) report = { 0 };
  g_autofree char *message = NULL;
  HlStore *store;
  gboolean good;

  if (!hl_ctl_parse (ctl, NULL, &argc, &argv))
    return HL_CTL_EXIT_USAGE;
  /* It writes (it drops what fails), but there is nothing to check in a
   * data directory that does not exist yet. */
  if (!hl_ctl_check_data (ctl, &error) || !(store = hl_ctl_store (ctl, &error)))
    return hl_ctl_fail (ctl, error);
  archive = hl_archive_new (store, NULL);
  /* A bad symbol served to a peer costs this node its trust: it goes. */
  if (!hl_archive_verify_stored (archive, TRUE, &report, &error))
    return hl_ctl_fail (ctl, error);
  good = report.bad == 0 && report.bad_runs == 0;
  message = good ? NULL
                 : g_strdup_printf ("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " symbols and %"
                                    G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " proofs failed and "
                                    "were dropped; run “hyperlinkctl archive seal” to make this "
                                    "device's share again from its events", report.bad,
                                    report.symbols, report.bad_runs, report.runs);
  if (ctl->json)
    {
      JsonObject *out = json_object_new ();
      JsonArray *problems = json_array_new ();

      json_object_set_int_member (out, "symbols", (gint64) report.symbols);
      json_object_set_int_member (out, "bad_symbols", (gint64) report.bad);
      json_object_set_int_member (out, "runs", (gint64) report.runs);
      json_object_set_int_member (out, "bad_runs", (gint64) report.bad_runs);
      for (guint i = 0; i < report.problems->len; i++)
        json_array_add_string_element (problems, g_ptr_array_index (report.problems, i));
      json_object_set_array_member (out, "problems", problems);
      /* One object on standard output, the error in it as elsewhere. */
      if (message != NULL)
        {
          JsonObject *problem = json_object_new ();

          json_object_set_string_member (problem, "message", message);
          json_object_set_string_member (problem, "code", "bad-symbols");
          json_object_set_object_member (out, "error", problem);
        }
      hl_ctl_print_object (out);
      if (message != NULL)
        g_printerr ("hyperlinkctl: %s\n", message);
    }
  else
    {
      g_print ("Checked %" G_GUINT64_FORMAT " %s and %" G_GUINT64_FORMAT " %s%s\n",
               report.symbols, report.symbols == 1 ? "symbol" : "symbols", report.runs,
               report.runs == 1 ? "proof" : "proofs",
               good ? ": every one is the segment's" : ":");
      for (guint i = 0; i < report.problems->len; i++)
        g_print ("  %s\n", (const char *) g_ptr_array_index (report.problems, i));
      if (message != NULL)
        hl_ctl_print_error (ctl, message, "bad-symbols");
    }
  return good ? HL_CTL_EXIT_OK : HL_CTL_EXIT_FAILED;
}
