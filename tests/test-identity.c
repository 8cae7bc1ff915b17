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
  g_test_add_func ("/identity/signatures-verify", test_signatures_verify);

  return g_test_run ();
}
