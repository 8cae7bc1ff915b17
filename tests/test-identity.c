/* test-identity.c: key files.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>

#include "hl-error.h"
#include "hl-identity.h"

#include <sodium.h>

static char *
temp_key_path (char **dir)
{
  *dir = g_dir_make_tmp ("hl-identity-XXXXXX", NULL);
  g_assert_nonnull (*dir);
  return g_build_filename (*dir, "identity.key", NULL);
}

static void
remove_dir (char *dir,
            char *path)
{
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_create_then_load (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_key_path (&dir);
  g_autoptr(HlIdentity) first = NULL;
  g_autoptr(HlIdentity) again = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  struct stat st;

  first = hl_identity_load_or_create (path, &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  again = hl_identity_load_or_create (path, &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpmem (hl_identity_get_public_key (first), HL_KEY_LEN,
                   hl_identity_get_public_key (again), HL_KEY_LEN);
  remove_dir (dir, path);
}

static void
test_refuses_readable_key (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_key_path (&dir);
  g_autoptr(HlIdentity) first = hl_identity_load_or_create (path, NULL, NULL);
  g_autoptr(HlIdentity) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (first);
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  loaded = hl_identity_load_or_create (path, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "chmod 600"));

  /* Nothing was overwritten: fixing the mode gives the same key back. */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  loaded = hl_identity_load (path, NULL);
  g_assert_nonnull (loaded);
  g_assert_cmpmem (hl_identity_get_public_key (first), HL_KEY_LEN,
                   hl_identity_get_public_key (loaded), HL_KEY_LEN);
  remove_dir (dir, path);
}

static void
test_refuses_damaged_key (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_key_path (&dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents_full (path, "hello\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_null (hl_identity_load_or_create (path, NULL, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "damaged"));
  remove_dir (dir, path);
}

/* A key file holds the seed in hex: a known seed gives its known key, in
 * either case, and one bad digit is damage, not another key. */
static void
test_key_file_seed (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_key_path (&dir);
  g_autoptr(HlIdentity) lower = NULL;
  g_autoptr(HlIdentity) upper = NULL;
  g_autoptr(GError) error = NULL;
  guint8 seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  char hex[2 * crypto_sign_SEEDBYTES + 1];
  g_autofree char *upper_hex = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < sizeof seed; i++)
    seed[i] = (guint8) (0xa0 + i);
  crypto_sign_seed_keypair (pk, sk, seed);
  hl_hex_encode (seed, sizeof seed, hex);
  g_assert_cmpstr (hex, ==, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");

  text = g_strdup_printf ("hyperlink-ed25519-seed-v1\n%s\n", hex);
  g_assert_true (g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  lower = hl_identity_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (hl_identity_get_public_key (lower), HL_KEY_LEN, pk, sizeof pk);

  upper_hex = g_ascii_strup (hex, -1);
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf ("hyperlink-ed25519-seed-v1\n%s\n", upper_hex);
  g_assert_true (g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  upper = hl_identity_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (hl_identity_get_public_key (upper), HL_KEY_LEN, pk, sizeof pk);

  hex[17] = 'g';
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf ("hyperlink-ed25519-seed-v1\n%s\n", hex);
  g_assert_true (g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_null (hl_identity_load (path, &error));
  g_assert_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED);
  remove_dir (dir, path);
  sodium_memzero (sk, sizeof sk);
}

/* What a new key file holds is the seed of the key it loads as. */
static void
test_created_key_file_format (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_key_path (&dir);
  g_autoptr(HlIdentity) identity = hl_identity_load_or_create (path, NULL, NULL);
  g_autofree char *text = NULL;
  guint8 seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  const char *header = "hyperlink-ed25519-seed-v1\n";

  g_assert_nonnull (identity);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, header));
  g_assert_cmpuint (strlen (text), ==, strlen (header) + 2 * sizeof seed + 1);
  text[strlen (text) - 1] = '\0';
  g_assert_true (hl_hex_decode (text + strlen (header), seed, sizeof seed));
  crypto_sign_seed_keypair (pk, sk, seed);
  g_assert_cmpmem (hl_identity_get_public_key (identity), HL_KEY_LEN, pk, sizeof pk);
  sodium_memzero (sk, sizeof sk);
  sodium_memzero (seed, sizeof seed);
  sodium_memzero (text, strlen (text));
  remove_dir (dir, path);
}

static void
test_hex (void)
{
  const guint8 bytes[] = { 0x00, 0xff, 0x10, 0xab };
  char hex[2 * sizeof bytes + 1];
  guint8 out[sizeof bytes];

  hl_hex_encode (bytes, sizeof bytes, hex);
  g_assert_cmpstr (hex, ==, "00ff10ab");
  g_assert_true (hl_hex_decode ("00FF10aB", out, sizeof out));
  g_assert_cmpmem (out, sizeof out, bytes, sizeof bytes);
  g_assert_false (hl_hex_decode (NULL, out, sizeof out));
  g_assert_false (hl_hex_decode ("00ff10a", out, sizeof out));     /* short */
  g_assert_false (hl_hex_decode ("00ff10abc", out, sizeof out));   /* long */
  g_assert_false (hl_hex_decode ("00ff10ag", out, sizeof out));    /* not a digit */
  g_assert_false (hl_hex_decode ("00ff 0ab", out, sizeof out));
  g_assert_false (hl_hex_decode ("0x0f10ab", out, sizeof out));
  g_assert_false (hl_hex_decode ("00ff10\xab", out, sizeof out));
}

static void
test_signatures_verify (void)
{
  g_autoptr(HlIdentity) identity = hl_identity_new_random ();
  guint8 sig[HL_SIG_LEN];
  const guint8 msg[] = "message";

  hl_identity_sign (identity, msg, sizeof msg, sig);
  g_assert_cmpint (crypto_sign_verify_detached (sig, msg, sizeof msg,
                                                hl_identity_get_public_key (identity)), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/identity/create-then-load", test_create_then_load);
  g_test_add_func ("/identity/refuses-readable-key", test_refuses_readable_key);
  g_test_add_func ("/identity/refuses-damaged-key", test_refuses_damaged_key);
  g_test_add_func ("/identity/key-file-seed", test_key_file_seed);
  g_test_add_func ("/identity/created-key-file-format", test_created_key_file_format);
  g_test_add_func ("/identity/hex", test_hex);
  g_test_add_func ("/identity/signatures-verify", test_signatures_verify);

  return g_test_run ();
}
