/* hl-identity.c: key files and signing.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-identity.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hl-error.h"
#include "hl-paths.h"

#define KEY_FILE_HEADER "hyperlink-ed25519-seed-v1\n"

struct _HlIdentity
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 *sk;   /* sodium_malloc'd: guarded pages, zeroed on free */
};

HlIdentity *
hl_identity_new_from_seed (const guint8 *seed)
{
  HlIdentity *self;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  self = g_new0 (HlIdentity, 1);
  self->sk = sodium_malloc (crypto_sign_SECRETKEYBYTES);
  g_assert (self->sk != NULL);
  crypto_sign_seed_keypair (self->pk, self->sk, seed);
  return self;
}

HlIdentity *
hl_identity_new_random (void)
{
  guint8 seed[crypto_sign_SEEDBYTES];
  HlIdentity *self;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  randombytes_buf (seed, sizeof seed);
  self = hl_identity_new_from_seed (seed);
  sodium_memzero (seed, sizeof seed);
  return self;
}

void
hl_identity_free (HlIdentity *self)
{
  if (self == NULL)
    return;
  sodium_free (self->sk);
  g_free (self);
}

const guint8 *
hl_identity_get_public_key (HlIdentity *self)
{
  return self->pk;
}

void
hl_identity_x25519_secret (HlIdentity *self,
                           guint8     *x25519_sk)
{
  crypto_sign_ed25519_sk_to_curve25519 (x25519_sk, self->sk);
}

char *
hl_identity_dup_public_hex (HlIdentity *self)
{
  return hl_hex_dup (self->pk, sizeof self->pk);
}

void
hl_identity_sign (HlIdentity   *self,
                  const guint8 *message,
                  gsize         len,
                  guint8       *sig)
{
  crypto_sign_detached (sig, NULL, message, len, self->sk);
}

static gboolean
check_key_file_mode (const char  *path,
                     int          fd,
                     GError     **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO,
                   "Cannot inspect key file %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  if ((st.st_mode & 0077) != 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_PERMISSION,
                   "The secret key %s can be read by other users (mode %04o); "
                   "run “chmod 600 %s” and try again",
                   path, (unsigned) (st.st_mode & 07777), path);
      return FALSE;
    }
  return TRUE;
}

HlIdentity *
hl_identity_load (const char  *path,
                  GError     **error)
{
  char buf[sizeof KEY_FILE_HEADER - 1 + 2 * crypto_sign_SEEDBYTES + 2];
  guint8 seed[crypto_sign_SEEDBYTES];
  gsize header_len = sizeof KEY_FILE_HEADER - 1;
  HlIdentity *self = NULL;
  ssize_t n;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, HL_CORE_ERROR,
                   saved == ENOENT ? HL_CORE_ERROR_NOT_FOUND : HL_CORE_ERROR_IO,
                   "Cannot open key file %s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (!check_key_file_mode (path, fd, error))
    goto out;

  n = read (fd, buf, sizeof buf - 1);
  if (n < 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO,
                   "Cannot read key file %s: %s", path, g_strerror (errno));
      goto out;
    }
  buf[n] = '\0';
  g_strchomp (buf);

  if (strncmp (buf, KEY_FILE_HEADER, header_len) != 0 ||
      !hl_hex_decode (buf + header_len, seed, sizeof seed))
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_MALFORMED,
                   "Key file %s is damaged or not a Hyperlink key; move it away to "
                   "create a new identity", path);
      goto out;
    }
  self = hl_identity_new_from_seed (seed);

out:
  sodium_memzero (buf, sizeof buf);
  sodium_memzero (seed, sizeof seed);
  close (fd);
  return self;
}

/* Writes a fresh key to @path unless one appeared meanwhile; *@won tells
 * whether ours is the one that stays. */
static gboolean
write_new_key_file (const char  *path,
                    gboolean    *won,
                    GError     **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.%u.tmp", path, (unsigned) getpid ());
  char text[sizeof KEY_FILE_HEADER - 1 + 2 * crypto_sign_SEEDBYTES + 2];
  guint8 seed[crypto_sign_SEEDBYTES];
  gboolean ok = FALSE;
  int fd;

  randombytes_buf (seed, sizeof seed);
  memcpy (text, KEY_FILE_HEADER, sizeof KEY_FILE_HEADER - 1);
  hl_hex_encode (seed, sizeof seed, text + sizeof KEY_FILE_HEADER - 1);
  strcat (text, "\n");

  fd = g_open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO,
                   "Cannot create key file %s: %s", tmp, g_strerror (errno));
      goto out;
    }
  if (write (fd, text, strlen (text)) != (ssize_t) strlen (text) || fsync (fd) != 0)
    {
      g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO,
                   "Cannot write key file %s: %s", tmp, g_strerror (errno));
      close (fd);
      g_unlink (tmp);
      goto out;
    }
  close (fd);

  /* link() never replaces: if another process won the race, we keep its key.
   * The new name must reach the disk too, or a power cut could leave events
   * signed by a key that is gone. */
  *won = link (tmp, path) == 0;
  if (!*won && errno != EEXIST)
    g_set_error (error, HL_CORE_ERROR, HL_CORE_ERROR_IO,
                 "Cannot install key file %s: %s", path, g_strerror (errno));
  else
    ok = !*won || hl_paths_sync_parent (path, error);
  g_unlink (tmp);

out:
  sodium_memzero (text, sizeof text);
  sodium_memzero (seed, sizeof seed);
  return ok;
}

HlIdentity *
hl_identity_load_or_create (const char  *path,
                            gboolean    *created,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  HlIdentity *self;
  gboolean won = FALSE;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  if (created)
    *created = FALSE;

  self = hl_identity_load (path, &local_error);
  if (self != NULL)
    return self;
  if (!g_error_matches (local_error, HL_CORE_ERROR, HL_CORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!write_new_key_file (path, &won, error))
    return NULL;
  if (created)
    *created = won;
  return hl_identity_load (path, error);
}
