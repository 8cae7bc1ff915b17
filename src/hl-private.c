/* hl-private.c: epoch keys, wraps and envelopes of private subnets.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-private.h"

#include <sodium.h>
#include <string.h>

#include "hl-error.h"
#include "hl-event-private.h"
#include "hl-json.h"

#define EPOCH_CONTEXT   "hyperlink-epoch-v1"
#define AD_CONTEXT      "hyperlink-private-v1"
#define WRAP_PLAIN_LEN  (HL_PRIVATE_KEY_LEN + HL_ID_LEN)
#define WRAP_LEN        (WRAP_PLAIN_LEN + crypto_box_SEALBYTES)
#define NONCE_LEN       crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AD_LEN          (sizeof AD_CONTEXT - 1 + HL_ID_LEN + HL_KEY_LEN + HL_ID_LEN)

static gboolean
refuse (GError    **error,
        const char *reason,
        const char *what)
{
  g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_INVALID_BODY, "%s [%s]", what, reason);
  return FALSE;
}

void
hl_private_key_from_bytes (HlPrivateKey *out,
                           const guint8 *key)
{
  crypto_generichash_state state;

  memcpy (out->key, key, HL_PRIVATE_KEY_LEN);
  crypto_generichash_init (&state, NULL, 0, HL_ID_LEN);
  crypto_generichash_update (&state, (const guint8 *) EPOCH_CONTEXT, sizeof EPOCH_CONTEXT - 1);
  crypto_generichash_update (&state, key, HL_PRIVATE_KEY_LEN);
  crypto_generichash_final (&state, out->epoch, HL_ID_LEN);
}

void
hl_private_key_generate (HlPrivateKey *out)
{
  guint8 key[HL_PRIVATE_KEY_LEN];

  crypto_aead_xchacha20poly1305_ietf_keygen (key);
  hl_private_key_from_bytes (out, key);
  sodium_memzero (key, sizeof key);
}

char *
hl_private_wrap (const HlPrivateKey *key,
                 const guint8       *subnet,
                 const guint8       *member,
                 GError            **error)
{
  guint8 x_pk[crypto_box_PUBLICKEYBYTES];
  guint8 plain[WRAP_PLAIN_LEN];
  guint8 sealed[WRAP_LEN];

  if (crypto_sign_ed25519_pk_to_curve25519 (x_pk, member) != 0)
    {
      refuse (error, "private-bad-member-key", "The member key is not a valid Ed25519 key");
      return NULL;
    }
  memcpy (plain, key->key, HL_PRIVATE_KEY_LEN);
  memcpy (plain + HL_PRIVATE_KEY_LEN, subnet, HL_ID_LEN);
  crypto_box_seal (sealed, plain, sizeof plain, x_pk);
  sodium_memzero (plain, sizeof plain);
  return g_base64_encode (sealed, sizeof sealed);
}

static gboolean
unwrap_one (const char   *text,
            const guint8 *subnet,
            const guint8 *epoch,
            const guint8 *x_pk,
            const guint8 *x_sk,
            HlPrivateKey *out)
{
  g_autofree guint8 *sealed = NULL;
  guint8 plain[WRAP_PLAIN_LEN];
  gsize len = 0;
  gboolean ok;

  if (text == NULL || strlen (text) != (WRAP_LEN + 2) / 3 * 4)
    return FALSE;
  sealed = g_base64_decode (text, &len);
  if (len != WRAP_LEN || crypto_box_seal_open (plain, sealed, len, x_pk, x_sk) != 0)
    return FALSE;
  hl_private_key_from_bytes (out, plain);
  ok = memcmp (plain + HL_PRIVATE_KEY_LEN, subnet, HL_ID_LEN) == 0 &&
       memcmp (out->epoch, epoch, HL_ID_LEN) == 0;
  sodium_memzero (plain, sizeof plain);
  if (!ok)
    sodium_memzero (out, sizeof *out);
  return ok;
}

gboolean
hl_private_unwrap_any (JsonArray    *wraps,
                       const guint8 *subnet,
                       const guint8 *epoch,
                       HlIdentity   *identity,
                       HlPrivateKey *out)
{
  guint8 x_pk[crypto_box_PUBLICKEYBYTES];
  guint8 x_sk[crypto_box_SECRETKEYBYTES];
  gboolean found = FALSE;
  guint n = wraps != NULL ? json_array_get_length (wraps) : 0;

  if (identity == NULL ||
      crypto_sign_ed25519_pk_to_curve25519 (x_pk, hl_identity_get_public_key (identity)) != 0)
    return FALSE;
  hl_identity_x25519_secret (identity, x_sk);
  for (guint i = 0; i < MIN (n, HL_PRIVATE_MAX_WRAPS) && !found; i++)
    {
      JsonNode *node = json_array_get_element (wraps, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        found = unwrap_one (json_node_get_string (node), subnet, epoch, x_pk, x_sk, out);
    }
  sodium_memzero (x_sk, sizeof x_sk);
  return found;
}

static gboolean
hex_member (JsonObject *fields,
            const char *name,
            guint8     *out,
            gsize       len)
{
  const char *hex = fields != NULL ? hl_json_get_string (fields, name) : NULL;

  return hex != NULL && hl_event_hex_decode (hex, strlen (hex), out, len, TRUE);
}

gboolean
hl_private_body_epoch (JsonObject *fields,
                       guint8     *epoch,
                       GError    **error)
{
  if (!hex_member (fields, "epoch", epoch, HL_ID_LEN))
    return refuse (error, "private-malformed", "The private body names no epoch");
  return TRUE;
}

static void
build_ad (guint8       *ad,
          const guint8 *subnet,
          const guint8 *author,
          const guint8 *epoch)
{
  gsize at = sizeof AD_CONTEXT - 1;

  memcpy (ad, AD_CONTEXT, at);
  memcpy (ad + at, subnet, HL_ID_LEN);
  memcpy (ad + at + HL_ID_LEN, author, HL_KEY_LEN);
  memcpy (ad + at + HL_ID_LEN + HL_KEY_LEN, epoch, HL_ID_LEN);
}

static void
add_hex (JsonBuilder  *builder,
         const char   *name,
         const guint8 *data,
         gsize         len)
{
  g_autofree char *hex = hl_hex_dup (data, len);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, hex);
}

void
hl_private_add_sealed (JsonBuilder        *builder,
                       const HlPrivateKey *key,
                       const guint8       *subnet,
                       const guint8       *author,
                       const guint8       *plain,
                       gsize               len)
{
  g_autofree guint8 *sealed = g_malloc (len + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  g_autofree char *text = NULL;
  guint8 nonce[NONCE_LEN];
  guint8 ad[AD_LEN];
  unsigned long long sealed_len = 0;

  randombytes_buf (nonce, sizeof nonce);
  build_ad (ad, subnet, author, key->epoch);
  crypto_aead_xchacha20poly1305_ietf_encrypt (sealed, &sealed_len, plain, len, ad, sizeof ad,
                                              NULL, nonce, key->key);
  text = g_base64_encode (sealed, (gsize) sealed_len);
  add_hex (builder, "epoch", key->epoch, HL_ID_LEN);
  add_hex (builder, "nonce", nonce, sizeof nonce);
  json_builder_set_member_name (builder, "box");
  json_builder_add_string_value (builder, text);
}

GBytes *
hl_private_open_sealed (JsonObject         *fields,
                        const HlPrivateKey *key,
                        const guint8       *subnet,
                        const guint8       *author,
                        GError            **error)
{
  g_autofree guint8 *sealed = NULL;
  g_autofree guint8 *plain = NULL;
  guint8 epoch[HL_ID_LEN];
  guint8 nonce[NONCE_LEN];
  guint8 ad[AD_LEN];
  const char *box;
  gsize sealed_len = 0;
  unsigned long long plain_len = 0;

  if (!hl_private_body_epoch (fields, epoch, error))
    return NULL;
  if (memcmp (epoch, key->epoch, HL_ID_LEN) != 0)
    {
      refuse (error, "private-wrong-epoch", "The body is sealed under another epoch's key");
      return NULL;
    }
  box = hl_json_get_string (fields, "box");
  if (!hex_member (fields, "nonce", nonce, sizeof nonce) || box == NULL)
    {
      refuse (error, "private-malformed", "The private body has no nonce or box");
      return NULL;
    }
  sealed = g_base64_decode (box, &sealed_len);
  build_ad (ad, subnet, author, epoch);
  plain = g_malloc (MAX (sealed_len, 1));
  if (sealed_len < crypto_aead_xchacha20poly1305_ietf_ABYTES ||
      crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &plain_len, NULL, sealed, sealed_len,
                                                  ad, sizeof ad, nonce, key->key) != 0)
    {
      refuse (error, "private-decrypt-failed",
              "The private body does not decrypt with its epoch's key (tampered or forged)");
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&plain), (gsize) plain_len);
}

static GBytes *
inner_bytes (const HlEvent *inner,
             GError       **error)
{
  gsize len;
  const guint8 *raw = g_bytes_get_data (inner->canonical, &len);
  GByteArray *out;

  if (len + HL_SIG_LEN > HL_PRIVATE_MAX_INNER)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_TOO_LARGE,
                   "A private subnet's event holds at most %d bytes, this one %" G_GSIZE_FORMAT
                   " [private-too-large]", HL_PRIVATE_MAX_INNER, len + HL_SIG_LEN);
      return NULL;
    }
  out = g_byte_array_sized_new ((guint) (len + HL_SIG_LEN));
  g_byte_array_append (out, raw, (guint) len);
  g_byte_array_append (out, inner->sig, HL_SIG_LEN);
  return g_byte_array_free_to_bytes (out);
}

static char *
finish_body (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

char *
hl_private_box_body (const HlPrivateKey *key,
                     const guint8       *subnet,
                     const HlEvent      *inner,
                     GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) plain = inner_bytes (inner, error);

  if (plain == NULL)
    return NULL;
  json_builder_begin_object (builder);
  hl_private_add_sealed (builder, key, subnet, inner->author,
                         g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  return finish_body (builder);
}

static int
compare_wrap_text (gconstpointer a,
                   gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static gboolean
add_wraps (JsonBuilder        *builder,
           const HlPrivateKey *key,
           const guint8       *subnet,
           GPtrArray          *members,
           GError            **error)
{
  g_autoptr(GPtrArray) shuffled = g_ptr_array_new_with_free_func (g_free);

  if (members->len > HL_PRIVATE_MAX_WRAPS)
    return refuse (error, "private-too-many", "A private subnet has at most 256 member devices");
  for (guint i = 0; i < members->len; i++)
    {
      char *wrap = hl_private_wrap (key, subnet, members->pdata[i], error);

      if (wrap == NULL)
        return FALSE;
      g_ptr_array_add (shuffled, wrap);
    }
  /* In an order that says nothing of the member list's. */
  g_ptr_array_sort (shuffled, compare_wrap_text);
  json_builder_set_member_name (builder, "wraps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < shuffled->len; i++)
    json_builder_add_string_value (builder, shuffled->pdata[i]);
  json_builder_end_array (builder);
  return TRUE;
}

char *
hl_private_create_body (const HlPrivateKey *key,
                        const HlEvent      *inner,
                        const char         *tag,
                        GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) plain = inner_bytes (inner, error);
  g_autoptr(GPtrArray) members = g_ptr_array_new ();

  if (plain == NULL)
    return NULL;
  json_builder_begin_object (builder);
  add_hex (builder, "subnet", inner->id, HL_ID_LEN);
  hl_private_add_sealed (builder, key, inner->id, inner->author,
                         g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  g_ptr_array_add (members, (gpointer) inner->author);
  if (!add_wraps (builder, key, inner->id, members, error))
    return NULL;
  if (tag != NULL)
    {
      json_builder_set_member_name (builder, "tag");
      json_builder_add_string_value (builder, tag);
    }
  return finish_body (builder);
}

static void
add_key_list (JsonBuilder *builder,
              const char  *name,
              GPtrArray   *keys)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; keys != NULL && i < keys->len; i++)
    {
      g_autofree char *hex = hl_hex_dup (keys->pdata[i], HL_KEY_LEN);

      json_builder_add_string_value (builder, hex);
    }
  json_builder_end_array (builder);
}

char *
hl_private_epoch_body (const HlPrivateKey *key,
                       const guint8       *subnet,
                       const guint8       *author,
                       GPtrArray          *members,
                       GPtrArray          *admins,
                       GPtrArray          *past,
                       GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonBuilder) lists = json_builder_new ();
  g_autofree char *plain = NULL;

  json_builder_begin_object (lists);
  add_key_list (lists, "members", members);
  add_key_list (lists, "admins", admins);
  json_builder_set_member_name (lists, "past");
  json_builder_begin_array (lists);
  for (guint i = 0; past != NULL && i < past->len; i++)
    {
      const HlPrivateKey *old = past->pdata[i];
      g_autofree char *hex = hl_hex_dup (old->key, HL_PRIVATE_KEY_LEN);

      json_builder_add_string_value (lists, hex);
    }
  json_builder_end_array (lists);
  plain = finish_body (lists);

  json_builder_begin_object (builder);
  hl_private_add_sealed (builder, key, subnet, author, (const guint8 *) plain, strlen (plain));
  sodium_memzero (plain, strlen (plain));
  if (!add_wraps (builder, key, subnet, members, error))
    return NULL;
  return finish_body (builder);
}

HlEvent *
hl_private_open_inner (const HlEvent      *envelope,
                       const guint8       *subnet,
                       const HlPrivateKey *key,
                       GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, envelope->body, (gssize) envelope->body_len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    {
      refuse (error, "private-malformed", "The private body is not a JSON object");
      return NULL;
    }
  return hl_private_open_inner_fields (envelope, json_node_get_object (root), subnet, key, error);
}

HlEvent *
hl_private_open_inner_fields (const HlEvent      *envelope,
                              JsonObject         *fields,
                              const guint8       *subnet,
                              const HlPrivateKey *key,
                              GError            **error)
{
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(HlEvent) inner = NULL;
  gsize len;
  const guint8 *data;

  if (!(plain = hl_private_open_sealed (fields, key, subnet, envelope->author, error)))
    return NULL;
  data = g_bytes_get_data (plain, &len);
  if (len <= HL_SIG_LEN ||
      !(inner = hl_event_decode (data, len - HL_SIG_LEN, data + len - HL_SIG_LEN, NULL)))
    {
      refuse (error, "private-inner-malformed", "The sealed event does not decode");
      return NULL;
    }
  if (memcmp (inner->author, envelope->author, HL_KEY_LEN) != 0)
    {
      refuse (error, "private-author-mismatch", "The sealed event's author is not the envelope's");
      return NULL;
    }
  if (g_str_has_prefix (inner->kind, "private."))
    {
      refuse (error, "private-nested", "A sealed event cannot be another envelope");
      return NULL;
    }
  /* Its clock was judged on the envelope, and its signature is not checked:
   * the envelope's, by the same author, covers the ciphertext, and the AEAD
   * under the epoch's key (named by its hash in the signed body) lets only
   * one plaintext out of it, so the author vouched for exactly these bytes
   * (docs/protocol.md, "Private subnets"). */
  if (!hl_event_check_rules (inner, error))
    {
      g_prefix_error (error, "The sealed event is invalid: ");
      return NULL;
    }
  return g_steal_pointer (&inner);
}

gboolean
hl_private_tag_is_valid (const char *tag)
{
  gsize len;

  if (tag == NULL || !g_str_has_prefix (tag, "tag:"))
    return FALSE;
  tag += 4;
  len = strlen (tag);
  if (len < 1 || len > 64 || !g_ascii_islower (tag[0]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (tag[i]) && !g_ascii_isdigit (tag[i]) && tag[i] != '-')
      return FALSE;
  return TRUE;
}
