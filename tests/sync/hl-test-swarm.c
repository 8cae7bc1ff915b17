/* hl-test-swarm: many connections to one node, each with a throwaway key,
 * each completing a real handshake, for the tests of admission and slots.
 * It runs where the test puts it (`ip netns exec NS hl-test-swarm …` for a
 * namespace's address) and says what became of each connection on stdout,
 * one line at a time:
 *
 *   ready I        the node sent its auth: connection I holds a slot
 *   refused I C    the node closed it with code C before that
 *   closed I C     the node closed it with code C later (evicted, say)
 *   done N         all were tried; N are ready
 *
 * Usage: hl-test-swarm URL COUNT [LOCAL_IP]. The ready ones answer pings
 * and stay until SIGTERM.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <sodium.h>
#include <stdio.h>

#include "hl-test-client.h"

typedef struct
{
  HlTestClient *client;
  guint         index;
  gboolean      ready;
} Member;

static gboolean
on_term (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  Member *m = user_data;

  if (m->ready)
    printf ("closed %u %u\n", m->index, soup_websocket_connection_get_close_code (conn));
}

/* Ready peers are pinged every 15 s and closed after 45 s of silence. */
static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  gsize len;
  const char *text = g_bytes_get_data (message, &len);

  if (type == SOUP_WEBSOCKET_DATA_TEXT && g_strstr_len (text, len, "\"ping\"") != NULL &&
      soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (conn, "{\"type\":\"pong\"}");
}

static gboolean
wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Waits for the node's auth, or for it to close the connection. */
static gboolean
wait_for_auth (HlTestClient *client)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint waker = g_timeout_add (20, wake, NULL);
  gboolean authed = FALSE;

  while (!authed && !client->closed && g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < client->texts->len && !authed; i++)
        authed = strstr (g_ptr_array_index (client->texts, i), "\"auth\"") != NULL;
      if (!authed)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (waker);
  return authed && !client->closed;
}

static Member *
join (const char *url,
      const char *local_ip,
      guint       index)
{
  g_autoptr(HlIdentity) identity = hl_identity_new_random ();
  Member *m = g_new0 (Member, 1);

  m->index = index;
  m->client = hl_test_client_connect_url (url, local_ip);
  if (m->client == NULL)
    {
      printf ("refused %u 0\n", index);
      return m;
    }
  g_signal_connect (m->client->conn, "message", G_CALLBACK (on_message), m);
  g_signal_connect (m->client->conn, "closed", G_CALLBACK (on_closed), m);
  hl_test_client_hello (m->client, identity, 1, "[\"recon-1\",\"events-1\"]");
  hl_test_client_auth (m->client, identity, TRUE);
  m->ready = wait_for_auth (m->client);
  if (m->ready)
    printf ("ready %u\n", index);
  else
    printf ("refused %u %u\n", index, m->client->code);
  return m;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  guint64 count = 0;
  guint ready = 0;

  if (argc < 3 || !g_ascii_string_to_unsigned (argv[2], 10, 1, 100000, &count, NULL))
    {
      g_printerr ("usage: hl-test-swarm ws://HOST:PORT COUNT [LOCAL_IP]\n");
      return 2;
    }
  if (sodium_init () < 0)
    return 1;
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_unix_signal_add (SIGTERM, on_term, loop);
  for (guint i = 0; i < count; i++)
    {
      Member *m = join (argv[1], argc > 3 ? argv[3] : NULL, i);

      g_ptr_array_add (members, m);
      ready += m->ready;
    }
  printf ("done %u\n", ready);
  g_main_loop_run (loop);
  for (guint i = 0; i < members->len; i++)
    {
      Member *m = g_ptr_array_index (members, i);

      if (m->client != NULL)
        {
          g_signal_handlers_disconnect_by_data (m->client->conn, m);
          hl_test_client_free (m->client);
        }
      g_free (m);
    }
  return 0;
}
