/* hl-invite.c: invite links: the format, the signature, and the store's
 * side of making and accepting them (docs/protocol.md, "Invites").
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-invite.h"

#include <sodium.h>

#include "hl-json.h"
#include "hl-paths.h"
#include "hl-store-discovery.h"
#include "hl-sync-lock.h"
#include "hl-sync-wire.h"

#define SIGNED_LEN (sizeof HL_INVITE_SIGN_CONTEXT - 1 + HL_INVITE_ID_LEN + 8 + 4 + HL_ID_LEN + HL_KEY_LEN)
#define DEFAULT_LIFETIME_MS (7 * 24 * 3600 * (gint64) 1000)
/* Clocks disagree; the inviter's decides. This side only refuses what is
 * certainly over. */
#define EXPIRY_SKEW_MS (10 * 60 * 1000)

G_DEFINE_QUARK (hl-invite-error-quark, hl_invite_error)

void
hl_invite_free (HlInvite *invite)
{
  if (invite == NULL)
    return;
  g_free (invite->node_hex);
  g_strfreev (invite->addresses);
  g_strfreev (invite->bootstrap);
  g_free (invite->id_hex);
  g_free (invite->subnet_hex);
  g_free (invite);
}

static void
put_be (guint8  *out,
        guint64  value,
        guint    len)
{
  for (guint i = 0; i < len; i++)
    out[i] = (guint8) (value >> (8 * (len - 1 - i)));
}

/* context || id || expiry (8 bytes, big-endian) || uses (4, big-endian)
 * || subnet (32 zero bytes without one) || inviter key */
static void
signed_bytes (const HlInvite *invite,
              guint8         *out)
{
  gsize at = sizeof HL_INVITE_SIGN_CONTEXT - 1;

  memcpy (out, HL_INVITE_SIGN_CONTEXT, at);
  memcpy (out + at, invite->id, HL_INVITE_ID_LEN);
  at += HL_INVITE_ID_LEN;
  put_be (out + at, (guint64) invite->expires_ms, 8);
  at += 8;
  put_be (out + at, invite->uses, 4);
  at += 4;
  if (invite->has_subnet)
    memcpy (out + at, invite->subnet, HL_ID_LEN);
  else
    memset (out + at, 0, HL_ID_LEN);
  at += HL_ID_LEN;
  memcpy (out + at, invite->node, HL_KEY_LEN);
}

gboolean
hl_invite_verify (const HlInvite *invite,
                  const guint8   *key)
{
  guint8 msg[SIGNED_LEN];
  HlInvite copy = *invite;

  memcpy (copy.node, key, HL_KEY_LEN);
  signed_bytes (&copy, msg);
  return crypto_sign_verify_detached (invite->sig, msg, sizeof msg, key) == 0;
}

static GStrv
copy_addresses (const char **addresses,
                guint        max,
                GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      g_autofree char *normal = hl_sync_normalize_address (addresses[i], error);

      if (normal == NULL)
        return NULL;
      if (i >= max)
        {
          g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED,
                       "An invite holds at most %u addresses of each kind", max);
          return NULL;
        }
      g_strv_builder_add (builder, normal);
    }
  return g_strv_builder_end (builder);
}

HlInvite *
hl_invite_new (HlIdentity   *identity,
               const char  **addresses,
               const char  **bootstrap,
               gint64        expires_ms,
               guint         uses,
               const guint8 *subnet,
               GError      **error)
{
  g_autoptr(HlInvite) invite = g_new0 (HlInvite, 1);

  if (uses < 1 || uses > HL_INVITE_MAX_USES)
    {
      g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED,
                   "An invite may be used 1 to %d times, not %u", HL_INVITE_MAX_USES, uses);
      return NULL;
    }
  if (!(invite->addresses = copy_addresses (addresses, HL_INVITE_MAX_ADDRESSES, error)) ||
      !(invite->bootstrap = copy_addresses (bootstrap, HL_INVITE_MAX_BOOTSTRAP, error)))
    return NULL;
  if (invite->addresses[0] == NULL && invite->bootstrap[0] == NULL)
    {
      g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED,
                   "An invite needs an address to reach this node or a bootstrap node");
      return NULL;
    }
  randombytes_buf (invite->id, sizeof invite->id);
  invite->id_hex = hl_hex_dup (invite->id, HL_INVITE_ID_LEN);
  invite->expires_ms = expires_ms;
  invite->uses = uses;
  if (subnet != NULL)
    {
      invite->has_subnet = TRUE;
      memcpy (invite->subnet, subnet, HL_ID_LEN);
      invite->subnet_hex = hl_hex_dup (subnet, HL_ID_LEN);
    }
  hl_invite_sign (invite, identity);
  return g_steal_pointer (&invite);
}

void
hl_invite_sign (HlInvite   *invite,
                HlIdentity *identity)
{
  guint8 msg[SIGNED_LEN];

  memcpy (invite->node, hl_identity_get_public_key (identity), HL_KEY_LEN);
  g_free (invite->node_hex);
  invite->node_hex = hl_hex_dup (invite->node, HL_KEY_LEN);
  signed_bytes (invite, msg);
  hl_identity_sign (identity, msg, sizeof msg, invite->sig);
}

static void
add_token_members (JsonBuilder    *b,
                   const HlInvite *invite)
{
  char sig_hex[2 * HL_SIG_LEN + 1];

  hl_hex_encode (invite->sig, HL_SIG_LEN, sig_hex);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, invite->id_hex);
  json_builder_set_member_name (b, "exp");
  json_builder_add_int_value (b, invite->expires_ms);
  json_builder_set_member_name (b, "uses");
  json_builder_add_int_value (b, invite->uses);
  if (invite->has_subnet)
    {
      json_builder_set_member_name (b, "subnet");
      json_builder_add_string_value (b, invite->subnet_hex);
    }
  json_builder_set_member_name (b, "sig");
  json_builder_add_string_value (b, sig_hex);
}

static void
add_strv (JsonBuilder *b,
          const char  *name,
          GStrv        values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

JsonNode *
hl_invite_token_to_json (const HlInvite *invite)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_token_members (b, invite);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* base64url without padding: the link survives chat programs and URLs. */
#define BASE64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING

static char *
base64url_encode (const guchar *data,
                  gsize         len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, BASE64URL);
  char *out = g_malloc (size);

  sodium_bin2base64 (out, size, data, len, BASE64URL);
  return out;
}

char *
hl_invite_to_link (const HlInvite *invite)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *data = NULL;
  GString *link = g_string_new (HL_INVITE_LINK_PREFIX);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "node");
  json_builder_add_string_value (b, invite->node_hex);
  add_strv (b, "addrs", invite->addresses);
  add_strv (b, "boot", invite->bootstrap);
  add_token_members (b, invite);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  data = base64url_encode ((const guchar *) json, strlen (json));
  g_string_append (link, data);
  return g_string_free (link, FALSE);
}

/* ---- reading ---- */

static gboolean
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_MALFORMED,
               "This is not a valid Hyperlink invite (%s); ask for the link again and copy all of it",
               what);
  return FALSE;
}

static gboolean
read_token (JsonObject *obj,
            HlInvite   *invite,
            GError    **error)
{
  const char *id = hl_json_get_string (obj, "id");
  const char *sig = hl_json_get_string (obj, "sig");
  JsonNode *subnet = json_object_get_member (obj, "subnet");
  gint64 uses = 0;

  if (id == NULL || !hl_hex_decode (id, invite->id, HL_INVITE_ID_LEN))
    return malformed (error, "the token id is not 32 hex digits");
  if (sig == NULL || !hl_hex_decode (sig, invite->sig, HL_SIG_LEN))
    return malformed (error, "the signature is not 128 hex digits");
  if (!hl_json_get_int (obj, "exp", &invite->expires_ms) || invite->expires_ms <= 0)
    return malformed (error, "no expiry time");
  if (!hl_json_get_int (obj, "uses", &uses) || uses < 1 || uses > HL_INVITE_MAX_USES)
    return malformed (error, "the number of uses is missing or out of range");
  invite->uses = (guint) uses;
  if (subnet != NULL && !JSON_NODE_HOLDS_NULL (subnet))
    {
      const char *hex = hl_json_get_string (obj, "subnet");

      if (hex == NULL || !hl_hex_decode (hex, invite->subnet, HL_ID_LEN))
        return malformed (error, "the subnet is not 64 hex digits");
      invite->has_subnet = TRUE;
      invite->subnet_hex = g_ascii_strdown (hex, -1);
    }
  invite->id_hex = hl_hex_dup (invite->id, HL_INVITE_ID_LEN);
  return TRUE;
}

static GStrv
read_addresses (JsonObject *obj,
                const char *name,
                guint       max,
                GError    **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL)
    return g_strv_builder_end (builder);
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (array = json_node_get_array (node)) > max)
    {
      malformed (error, "the address list is not a short list");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *normal = NULL;

      if (json_node_get_value_type (item) != G_TYPE_STRING ||
          !(normal = hl_sync_normalize_address (json_node_get_string (item), NULL)))
        {
          malformed (error, "an address is not ws://HOST:PORT");
          return NULL;
        }
      g_strv_builder_add (builder, normal);
    }
  return g_strv_builder_end (builder);
}

/* Refuses anything but the alphabet, a length that leaves a stray
 * character, and unused bits that are not zero. */
static guchar *
base64url_decode (const char *text,
                  gsize      *len)
{
  gsize text_len = strlen (text);
  gsize max = text_len / 4 * 3 + 2;
  g_autofree guchar *out = g_malloc (max);
  size_t decoded = 0;

  if (sodium_base642bin (out, max, text, text_len, NULL, &decoded, NULL, BASE64URL) != 0)
    return NULL;
  *len = decoded;
  return g_steal_pointer (&out);
}

HlInvite *
hl_invite_parse (const char  *link,
                 GError     **error)
{
  g_autoptr(HlInvite) invite = g_new0 (HlInvite, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *json = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (link ? link : ""));
  const char *node;
  gsize len = 0;
  JsonObject *obj;

  if (strlen (trimmed) > HL_INVITE_MAX_LINK)
    return malformed (error, "far too long"), NULL;
  if (!g_str_has_prefix (trimmed, HL_INVITE_LINK_PREFIX))
    return malformed (error, "it does not start with “" HL_INVITE_LINK_PREFIX "”"), NULL;
  json = base64url_decode (trimmed + strlen (HL_INVITE_LINK_PREFIX), &len);
  if (json == NULL || len == 0 || !g_utf8_validate ((const char *) json, (gssize) len, NULL) ||
      !hl_sync_text_is_one_object ((const char *) json, len) ||
      !json_parser_load_from_data (parser, (const char *) json, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL ||   /* white space only */
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return malformed (error, "its data is damaged"), NULL;
  obj = json_node_get_object (json_parser_get_root (parser));
  node = hl_json_get_string (obj, "node");
  if (node == NULL || !hl_hex_decode (node, invite->node, HL_KEY_LEN))
    return malformed (error, "the inviter's key is not 64 hex digits"), NULL;
  invite->node_hex = hl_hex_dup (invite->node, HL_KEY_LEN);
  if (!read_token (obj, invite, error) ||
      !(invite->addresses = read_addresses (obj, "addrs", HL_INVITE_MAX_ADDRESSES, error)) ||
      !(invite->bootstrap = read_addresses (obj, "boot", HL_INVITE_MAX_BOOTSTRAP, error)))
    return NULL;
  if (invite->addresses[0] == NULL && invite->bootstrap[0] == NULL)
    return malformed (error, "it holds no address to reach the inviter"), NULL;
  if (!hl_invite_verify (invite, invite->node))
    {
      g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_FORGED,
                   "This invite is forged or was altered: its signature does not verify with the "
                   "key of node %.16s… that it names. Ask the person who invited you for a new link",
                   invite->node_hex);
      return NULL;
    }
  return g_steal_pointer (&invite);
}

HlInvite *
hl_invite_token_from_json (JsonNode     *token,
                           const guint8 *node,
                           GError      **error)
{
  g_autoptr(HlInvite) invite = g_new0 (HlInvite, 1);

  if (token == NULL || !JSON_NODE_HOLDS_OBJECT (token))
    return malformed (error, "the token is not an object"), NULL;
  memcpy (invite->node, node, HL_KEY_LEN);
  invite->node_hex = hl_hex_dup (node, HL_KEY_LEN);
  if (!read_token (json_node_get_object (token), invite, error))
    return NULL;
  return g_steal_pointer (&invite);
}

/* ---- the store's side ---- */

static HlStore *
open_store (const char  *data_dir,
            GError     **error)
{
  g_autofree char *db = hl_paths_database (data_dir);

  if (!hl_paths_ensure_data_dir (data_dir, error))
    return NULL;
  return hl_store_open (db, error);
}

static JsonObject *
read_status (const char *data_dir,
             JsonParser *parser)
{
  g_autofree char *path = hl_sync_status_path (data_dir);
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_get_object (root);
}

static void
add_address (GPtrArray  *out,
             const char *host,
             guint       port)
{
  g_autofree char *host_port = hl_sync_join_host_port (host, port);
  g_autofree char *text = g_strconcat ("ws://", host_port, NULL);
  g_autofree char *normal = hl_sync_normalize_address (text, NULL);

  if (normal != NULL && out->len < HL_INVITE_MAX_ADDRESSES &&
      !g_ptr_array_find_with_equal_func (out, normal, g_str_equal, NULL))
    g_ptr_array_add (out, g_steal_pointer (&normal));
}

/* The Tailscale name and addresses the node reported, on its listen port;
 * else its listen address when it is a specific one. */
static void
addresses_from_status (const char *data_dir,
                       GPtrArray  *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *status = read_status (data_dir, parser);
  JsonObject *tailscale, *self;
  g_autoptr(GPtrArray) listen_hosts = g_ptr_array_new_with_free_func (g_free);
  JsonNode *listen;
  guint port = 0;

  if (status == NULL)
    return;
  /* "listen" lists HOST:PORT, one port for all (older nodes: one string). */
  listen = json_object_get_member (status, "listen");
  for (guint i = 0; listen != NULL && i < (JSON_NODE_HOLDS_ARRAY (listen)
                                           ? json_array_get_length (json_node_get_array (listen))
                                           : 1); i++)
    {
      JsonNode *item = JSON_NODE_HOLDS_ARRAY (listen)
                       ? json_array_get_element (json_node_get_array (listen), i) : listen;
      g_autofree char *uri_text = NULL;
      g_autoptr(GUri) uri = NULL;

      if (json_node_get_value_type (item) != G_TYPE_STRING)
        continue;
      uri_text = g_strconcat ("ws://", json_node_get_string (item), NULL);
      if (!(uri = g_uri_parse (uri_text, G_URI_FLAGS_NONE, NULL)) || g_uri_get_port (uri) <= 0)
        continue;
      if (port == 0)
        port = (guint) g_uri_get_port (uri);
      g_ptr_array_add (listen_hosts, g_strdup (g_uri_get_host (uri)));
    }
  if (port == 0 || port > 65535)
    port = HL_SYNC_DEFAULT_PORT;
  if (json_object_has_member (status, "tailscale") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (status, "tailscale")) &&
      (tailscale = json_object_get_object_member (status, "tailscale")) != NULL &&
      json_object_has_member (tailscale, "self") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (tailscale, "self")) &&
      (self = json_object_get_object_member (tailscale, "self")) != NULL)
    {
      const char *dns_name = hl_json_get_string (self, "dns_name");
      JsonNode *ips = json_object_get_member (self, "ips");

      if (dns_name != NULL && *dns_name != '\0')
        {
          g_autofree char *name = g_strdup (dns_name);

          if (g_str_has_suffix (name, "."))
            name[strlen (name) - 1] = '\0';
          add_address (out, name, port);
        }
      for (guint i = 0; ips != NULL && JSON_NODE_HOLDS_ARRAY (ips) &&
                        i < json_array_get_length (json_node_get_array (ips)); i++)
        {
          JsonNode *ip = json_array_get_element (json_node_get_array (ips), i);

          if (json_node_get_value_type (ip) == G_TYPE_STRING)
            add_address (out, json_node_get_string (ip), port);
        }
    }
  /* Without a tailnet name, the addresses the node listens on, if specific. */
  for (guint i = 0, named = out->len; named == 0 && i < listen_hosts->len; i++)
    {
      const char *host = g_ptr_array_index (listen_hosts, i);

      if (strcmp (host, "0.0.0.0") != 0 && strcmp (host, "::") != 0)
        add_address (out, host, port);
    }
}

char *
hl_invite_create (const char             *data_dir,
                  const HlInviteOptions  *options,
                  HlInvite              **out,
                  GError                **error)
{
  g_autoptr(HlStore) store = open_store (data_dir, error);
  g_autofree char *key_path = hl_paths_identity (data_dir);
  g_autoptr(HlIdentity) identity = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bootstrap = NULL;
  g_autoptr(HlInvite) invite = NULL;
  HlIssuedInvite issued = { 0 };
  gint64 lifetime = options->lifetime_ms > 0 ? options->lifetime_ms : DEFAULT_LIFETIME_MS;
  guint8 subnet[HL_ID_LEN];
  char *link;

  if (store == NULL || !(identity = hl_identity_load_or_create (key_path, NULL, error)))
    return NULL;
  if (options->subnet != NULL && !hl_store_resolve_prefix (store, options->subnet, subnet, error))
    return NULL;
  if (!(bootstrap = hl_store_bootstrap_list (store, error)))
    return NULL;
  for (guint i = 0; options->addresses != NULL && options->addresses[i] != NULL; i++)
    g_ptr_array_add (addresses, g_strdup (options->addresses[i]));
  if (addresses->len == 0)
    addresses_from_status (data_dir, addresses);
  if (addresses->len == 0 && bootstrap->len == 0)
    {
      g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_NO_ADDRESS,
                   "No address to put in the invite: this node reports no Tailscale name and "
                   "listens on no specific address. Give one with --address ws://HOST:PORT, or "
                   "add a bootstrap node with “hyperlinkctl bootstrap add”");
      return NULL;
    }
  while (bootstrap->len > HL_INVITE_MAX_BOOTSTRAP)
    g_ptr_array_remove_index (bootstrap, bootstrap->len - 1);
  g_ptr_array_add (addresses, NULL);
  g_ptr_array_add (bootstrap, NULL);
  invite = hl_invite_new (identity, (const char **) addresses->pdata, (const char **) bootstrap->pdata,
                          hl_now_ms () + lifetime, options->uses ? options->uses : 1,
                          options->subnet ? subnet : NULL, error);
  if (invite == NULL)
    return NULL;
  link = hl_invite_to_link (invite);
  issued.id = invite->id_hex;
  issued.created_ms = hl_now_ms ();
  issued.expires_ms = invite->expires_ms;
  issued.uses = invite->uses;
  issued.subnet = invite->subnet_hex;
  issued.link = link;
  if (!hl_store_invite_issue (store, &issued, error))
    {
      g_free (link);
      return NULL;
    }
  if (out != NULL)
    *out = g_steal_pointer (&invite);
  return link;
}

HlInvite *
hl_invite_accept (const char  *data_dir,
                  const char  *link,
                  GError     **error)
{
  g_autoptr(HlInvite) invite = hl_invite_parse (link, error);
  g_autofree char *key_path = hl_paths_identity (data_dir);
  g_autoptr(HlIdentity) identity = NULL;
  g_autoptr(HlStore) store = NULL;
  g_autofree char *trimmed = NULL;

  if (invite == NULL)
    return NULL;
  if (invite->expires_ms + EXPIRY_SKEW_MS < hl_now_ms ())
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (invite->expires_ms / 1000);
      g_autofree char *text = g_date_time_format (when, "%Y-%m-%d %H:%M UTC");

      g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_EXPIRED,
                   "This invite expired on %s; ask the person who invited you for a new link", text);
      return NULL;
    }
  if (!(store = open_store (data_dir, error)) ||
      !(identity = hl_identity_load_or_create (key_path, NULL, error)))
    return NULL;
  if (memcmp (hl_identity_get_public_key (identity), invite->node, HL_KEY_LEN) == 0)
    {
      g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_OWN,
                   "This invite was made by this node: send it to the friend you want to invite");
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (link));
  if (!hl_store_invite_accept (store, invite->id_hex, trimmed, invite->node_hex, error))
    return NULL;
  return g_steal_pointer (&invite);
}

gboolean
hl_invite_get_state (const char  *data_dir,
                     const char  *id_hex,
                     char       **state,
                     char       **reason,
                     char       **subnet,
                     GError     **error)
{
  g_autoptr(HlStore) store = open_store (data_dir, error);
  g_autoptr(HlAcceptedInvite) accepted = NULL;
  g_autoptr(GError) local_error = NULL;

  if (store == NULL)
    return FALSE;
  accepted = hl_store_invite_get_accepted (store, id_hex, &local_error);
  if (accepted == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, HL_INVITE_ERROR, HL_INVITE_ERROR_FAILED,
                     "No invite %s was accepted here", id_hex);
      return FALSE;
    }
  if (state != NULL)
    *state = g_strdup (accepted->state);
  if (reason != NULL)
    *reason = g_strdup (accepted->reason);
  if (subnet != NULL)
    *subnet = g_strdup (accepted->subnet);
  return TRUE;
}
