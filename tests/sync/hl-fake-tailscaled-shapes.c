/* hl-fake-tailscaled-shapes.c: the JSON the stand-in tailscaled writes,
 * field by field in the order and form of Tailscale's Go types
 * (ipn/ipnstate/ipnstate.go, tailcfg/tailcfg.go; see hl-fake-tailscaled.c).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-fake-tailscaled.h"

#define ZERO_TIME           "0001-01-01T00:00:00Z"
#define CREATED_TIME        "2026-01-01T00:00:00Z"

/* ---- identities derived from names, stable across runs ---- */

static char *
hex_of (const char *kind,
        const char *name)
{
  g_autofree char *seed = g_strconcat (kind, ":", name, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
}

static char *
node_key (const Machine *m)
{
  g_autofree char *hex = hex_of ("node", m->host_name);

  return g_strconcat ("nodekey:", hex, NULL);
}

static gint64
user_id (const char *login)
{
  g_autofree char *hex = hex_of ("user", login ? login : "");

  return (gint64) g_ascii_strtoull (hex + 58, NULL, 16) + 1000;
}

static char *
dns_name (const Machine *m)
{
  return g_strdup_printf ("%s.%s.", m->host_name, m->suffix ? m->suffix : "stand-in.ts.net");
}

/* ---- JSON, the way encoding/json writes it ---- */

void
add_str (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value ? value : "");
}

void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
add_bool (JsonBuilder *b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

void
add_null (JsonBuilder *b, const char *name)
{
  json_builder_set_member_name (b, name);
  json_builder_add_null_value (b);
}

/* A []string or []netip.Addr: null when empty, as Go's nil slice. */
void
add_list (JsonBuilder        *b,
          const char         *name,
          const char * const *items,
          const char         *suffix)
{
  json_builder_set_member_name (b, name);
  if (items == NULL || items[0] == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *item = g_strconcat (items[i], suffix, NULL);
      json_builder_add_string_value (b, item);
    }
  json_builder_end_array (b);
}

static gboolean
has_tags (const Machine *m)
{
  return m->tags != NULL && m->tags[0] != NULL;
}

/* ipnstate.PeerStatus */
void
add_peer_status (JsonBuilder *b, const World *w, const Machine *m, gboolean is_self)
{
  g_autofree char *key = node_key (m);
  g_autofree char *dns = dns_name (m);
  g_autofree char *stable = g_strdup_printf ("n%" G_GINT64_FORMAT "CNTRL", m->id);
  const char *ips[] = { m->ip, NULL };
  const char *addrs[] = { m->cur_addr, NULL };
  gboolean up = is_self ? fake_is_running (w) : m->online;

  json_builder_begin_object (b);
  add_str (b, "ID", stable);
  add_str (b, "PublicKey", key);
  add_str (b, "HostName", m->host_name);
  add_str (b, "DNSName", is_self && !fake_is_running (w) ? "" : dns);
  add_str (b, "OS", "linux");
  add_int (b, "UserID", user_id (m->user));
  add_list (b, "TailscaleIPs", is_self && !fake_is_running (w) ? NULL : ips, "");
  if (m->ip != NULL && (!is_self || fake_is_running (w)))
    add_list (b, "AllowedIPs", ips, "/32");
  if (has_tags (m))
    add_list (b, "Tags", (const char * const *) m->tags, "");
  add_list (b, "Addrs", addrs, "");
  add_str (b, "CurAddr", m->cur_addr);
  add_str (b, "Relay", m->relay);
  add_int (b, "RxBytes", 0);
  add_int (b, "TxBytes", 0);
  add_str (b, "Created", CREATED_TIME);
  add_str (b, "LastWrite", ZERO_TIME);
  add_str (b, "LastSeen", up ? ZERO_TIME : CREATED_TIME);
  add_str (b, "LastHandshake", ZERO_TIME);
  add_bool (b, "Online", up);
  add_bool (b, "ExitNode", FALSE);
  add_bool (b, "ExitNodeOption", FALSE);
  add_bool (b, "Active", up && m->cur_addr != NULL);
  add_null (b, "PeerAPIURL");
  add_bool (b, "InNetworkMap", !is_self);
  add_bool (b, "InMagicSock", !is_self && up);
  add_bool (b, "InEngine", !is_self && up);
  json_builder_end_object (b);
}

/* tailcfg.UserProfile */
void
add_user_profile (JsonBuilder *b, const char *login)
{
  g_autofree char *display = g_strndup (login, strcspn (login, "@"));

  json_builder_begin_object (b);
  add_int (b, "ID", user_id (login));
  add_str (b, "LoginName", login);
  add_str (b, "DisplayName", display);
  add_str (b, "ProfilePicURL", "");
  json_builder_end_object (b);
}

static void
add_user_map (JsonBuilder *b, const World *w)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  json_builder_set_member_name (b, "User");
  if (!fake_is_running (w))
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  for (guint i = 0; i <= w->peers->len; i++)
    {
      const Machine *m = i == 0 ? w->self : g_ptr_array_index (w->peers, i - 1);
      char id[32];

      if (m->user == NULL || !g_hash_table_add (seen, m->user))
        continue;
      g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, user_id (m->user));
      json_builder_set_member_name (b, id);
      add_user_profile (b, m->user);
    }
  json_builder_end_object (b);
}

/* ipnstate.Status */
JsonNode *
build_status (const World *w, gboolean with_peers)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *self_ips[] = { w->self->ip, NULL };

  json_builder_begin_object (b);
  add_str (b, "Version", VERSION_LONG);
  add_bool (b, "TUN", TRUE);
  add_str (b, "BackendState", w->backend_state);
  add_bool (b, "HaveNodeKey", strcmp (w->backend_state, "NoState") != 0);
  add_str (b, "AuthURL", w->auth_url);
  add_list (b, "TailscaleIPs", fake_is_running (w) ? self_ips : NULL, "");
  json_builder_set_member_name (b, "Self");
  add_peer_status (b, w, w->self, TRUE);
  json_builder_set_member_name (b, "Health");
  json_builder_begin_array (b);
  if (!fake_is_running (w))
    json_builder_add_string_value (b, "not connected to the tailnet");
  json_builder_end_array (b);
  add_str (b, "MagicDNSSuffix", fake_is_running (w) ? w->self->suffix : "");
  json_builder_set_member_name (b, "CurrentTailnet");
  if (fake_is_running (w))
    {
      json_builder_begin_object (b);
      add_str (b, "Name", w->self->user);
      add_str (b, "MagicDNSSuffix", w->self->suffix);
      add_bool (b, "MagicDNSEnabled", TRUE);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  add_null (b, "CertDomains");
  json_builder_set_member_name (b, "Peer");
  if (with_peers && fake_is_running (w) && w->peers->len > 0)
    {
      json_builder_begin_object (b);
      for (guint i = 0; i < w->peers->len; i++)
        {
          const Machine *m = g_ptr_array_index (w->peers, i);
          g_autofree char *key = node_key (m);

          json_builder_set_member_name (b, key);
          add_peer_status (b, w, m, FALSE);
        }
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  add_user_map (b, w);
  add_null (b, "ClientVersion");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* tailcfg.Node, as in whois answers and PeersChanged */
void
add_node (JsonBuilder *b, const Machine *m)
{
  g_autofree char *key = node_key (m);
  g_autofree char *machine_hex = hex_of ("machine", m->host_name);
  g_autofree char *disco_hex = hex_of ("disco", m->host_name);
  g_autofree char *machine_key = g_strconcat ("mkey:", machine_hex, NULL);
  g_autofree char *disco_key = g_strconcat ("discokey:", disco_hex, NULL);
  g_autofree char *dns = dns_name (m);
  g_autofree char *stable = g_strdup_printf ("n%" G_GINT64_FORMAT "CNTRL", m->id);
  const char *ips[] = { m->ip, NULL };
  const char *endpoints[] = { m->cur_addr, NULL };

  json_builder_begin_object (b);
  add_int (b, "ID", m->id);
  add_str (b, "StableID", stable);
  add_str (b, "Name", dns);
  add_int (b, "User", user_id (m->user));
  add_str (b, "Key", key);
  add_str (b, "KeyExpiry", ZERO_TIME);
  add_str (b, "Machine", machine_key);
  add_str (b, "DiscoKey", disco_key);
  add_list (b, "Addresses", ips, "/32");
  add_list (b, "AllowedIPs", ips, "/32");
  add_list (b, "Endpoints", endpoints, "");
  add_int (b, "HomeDERP", 1);
  json_builder_set_member_name (b, "Hostinfo");
  json_builder_begin_object (b);
  add_str (b, "OS", "linux");
  add_str (b, "Hostname", m->host_name);
  json_builder_end_object (b);
  add_str (b, "Created", CREATED_TIME);
  add_int (b, "Cap", 0);
  if (has_tags (m))
    add_list (b, "Tags", (const char * const *) m->tags, "");
  add_bool (b, "Online", m->online);
  add_bool (b, "MachineAuthorized", TRUE);
  add_str (b, "ComputedName", m->host_name);
  add_str (b, "ComputedNameWithHost", m->host_name);
  json_builder_end_object (b);
}

char *
to_text (JsonNode *root,
         gboolean  indent)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  /* MarshalIndent(…, "", "\t") for answers, one line for the bus. */
  json_generator_set_pretty (generator, indent);
  json_generator_set_indent (generator, 1);
  json_generator_set_indent_char (generator, '\t');
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
