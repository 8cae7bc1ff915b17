/* hl-test-netns.c: network namespaces for tests (see hl-test-netns.h).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-test-netns.h"

#include <gio/gio.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_NAMESPACES 16

struct _HlTestNet
{
  char       *prefix;     /* hlts-PID-N- */
  char       *bridge_ns;
  GHashTable *names;      /* short name -> namespace */
  guint       count;
};

/* Names to delete if the test aborts (a failed assertion): a plain array,
 * read from the signal handler. */
static char doomed[MAX_NAMESPACES][64];
static guint n_doomed;

static void
delete_namespace_now (const char *name)
{
  pid_t pid = fork ();

  if (pid == 0)
    {
      execlp ("ip", "ip", "netns", "delete", name, (char *) NULL);
      _exit (127);
    }
  if (pid > 0)
    waitpid (pid, NULL, 0);
}

static void
on_abort (int signum)
{
  for (guint i = 0; i < n_doomed; i++)
    if (doomed[i][0] != '\0')
      delete_namespace_now (doomed[i]);
  signal (signum, SIG_DFL);
  raise (signum);
}

static void
remember (const char *name)
{
  for (guint i = 0; i < MAX_NAMESPACES; i++)
    if (doomed[i][0] == '\0')
      {
        g_strlcpy (doomed[i], name, sizeof doomed[i]);
        n_doomed = MAX (n_doomed, i + 1);
        return;
      }
  g_error ("more than %d test namespaces", MAX_NAMESPACES);
}

static void
forget (const char *name)
{
  for (guint i = 0; i < n_doomed; i++)
    if (strcmp (doomed[i], name) == 0)
      doomed[i][0] = '\0';
}

static gboolean
ip (GError **error,
    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;
  int status = 0;

  g_ptr_array_add (argv, (char *) "ip");
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata);
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "“%s” failed: %s", line,
                   err ? g_strstrip (err) : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_namespace (const char  *name,
                GError     **error)
{
  if (!ip (error, "netns", "add", name, NULL))
    return FALSE;
  remember (name);
  return ip (error, "-n", name, "link", "set", "lo", "up", NULL);
}

HlTestNet *
hl_test_net_new (GError **error)
{
  static guint serial;
  HlTestNet *net;

  if (geteuid () != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "making them needs root; CI runs these tests as root");
      return NULL;
    }
  net = g_new0 (HlTestNet, 1);
  net->prefix = g_strdup_printf ("hlts-%d-%u-", (int) getpid (), serial++);
  net->bridge_ns = g_strconcat (net->prefix, "br", NULL);
  net->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  signal (SIGABRT, on_abort);
  signal (SIGTRAP, on_abort);
  if (!make_namespace (net->bridge_ns, error) ||
      !ip (error, "-n", net->bridge_ns, "link", "add", "br0", "type", "bridge", NULL) ||
      !ip (error, "-n", net->bridge_ns, "link", "set", "br0", "up", NULL))
    {
      hl_test_net_free (net);
      return NULL;
    }
  return net;
}

const char *
hl_test_net_add (HlTestNet  *net,
                 const char *name,
                 const char *address)
{
  g_autoptr(GError) error = NULL;
  char *ns = g_strconcat (net->prefix, name, NULL);
  g_autofree char *outer = g_strdup_printf ("hlv%u", net->count);
  g_autofree char *inner = g_strdup_printf ("hlw%u", net->count++);

  /* The veth pair is made in the bridge namespace so its names cannot clash
   * with interfaces of the host or of other test runs. */
  if (!make_namespace (ns, &error) ||
      !ip (&error, "-n", net->bridge_ns, "link", "add", outer, "type", "veth", "peer", "name", inner, NULL) ||
      !ip (&error, "-n", net->bridge_ns, "link", "set", inner, "netns", ns, NULL) ||
      !ip (&error, "-n", net->bridge_ns, "link", "set", outer, "master", "br0", "up", NULL) ||
      !ip (&error, "-n", ns, "link", "set", inner, "name", "eth0", NULL) ||
      !ip (&error, "-n", ns, "addr", "add", address, "dev", "eth0", NULL) ||
      !ip (&error, "-n", ns, "link", "set", "eth0", "up", NULL))
    g_error ("Cannot set up namespace %s: %s", ns, error->message);
  g_hash_table_replace (net->names, g_strdup (name), ns);
  return ns;
}

void
hl_test_net_add_address (HlTestNet  *net,
                         const char *name,
                         const char *address)
{
  g_autoptr(GError) error = NULL;
  const char *ns = g_hash_table_lookup (net->names, name);

  g_assert_nonnull (ns);
  if (!ip (&error, "-n", ns, "addr", "add", address, "dev", "eth0", NULL))
    g_error ("%s", error->message);
}

void
hl_test_net_set_link (HlTestNet  *net,
                      const char *name,
                      gboolean    up)
{
  g_autoptr(GError) error = NULL;
  const char *ns = g_hash_table_lookup (net->names, name);

  g_assert_nonnull (ns);
  if (!ip (&error, "-n", ns, "link", "set", "eth0", up ? "up" : "down", NULL))
    g_error ("%s", error->message);
}

HlTestNet *
hl_test_net_new_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  HlTestNet *net = hl_test_net_new (&error);

  if (net == NULL)
    {
      g_autofree char *why = g_strdup_printf ("no network namespaces here (%s)", error->message);
      g_test_skip (why);
    }
  return net;
}

void
hl_test_net_free (HlTestNet *net)
{
  GHashTableIter iter;
  gpointer value;

  if (net == NULL)
    return;
  g_hash_table_iter_init (&iter, net->names);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      delete_namespace_now (value);
      forget (value);
    }
  delete_namespace_now (net->bridge_ns);
  forget (net->bridge_ns);
  g_hash_table_unref (net->names);
  g_free (net->bridge_ns);
  g_free (net->prefix);
  g_free (net);
}
