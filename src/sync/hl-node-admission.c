/* hl-node-admission.c: who may connect, and the connection slots
 * (docs/protocol.md, "Admission" and "Sync limits").
 *
 * Admission fails closed. An inbound connection from another machine is
 * admitted only when the tailnet vouches for its address (whois), when it
 * is a manual peer (the key last found at a manual peer's address, or that
 * address's IP), when it came through an invite (an inviter of ours or a
 * redeemer of our invites), or with --allow-any-network; a node redeeming
 * one of our open invites is let finish the handshake on its side and
 * taken in once its redeem succeeds. Everyone else is refused with 4009,
 * whatever state Tailscale is in. Loopback is admitted, and so is whom we
 * dialled.
 *
 * Admitted connections then take a slot (hl-node-slots.c).
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-sync-private.h"

#include "hl-json.h"
#include "hl-store-discovery.h"
#include "hl-sync-wire.h"

#define PROBATION_US          (10 * G_USEC_PER_SEC)   /* the handshake's deadline */
#define RESOLVE_INTERVAL_US   (60 * G_USEC_PER_SEC)   /* manual peers' host names */
#define MAX_REFUSALS          32

typedef struct
{
  char    *host;
  char    *key_hex;
  const char *kind;       /* static: "not-admitted", "full", "evicted", "banned" */
  gushort  code;
  char    *reason;
  gint64   first_ms;
  gint64   last_ms;
  guint    count;
} HlRefusal;

/* What a manual peer's host name resolved to. */
typedef struct
{
  GStrv    ips;
  gint64   resolved_at;   /* monotonic µs; 0 while never */
  gboolean resolving;
} HlResolved;

struct _HlAdmission
{
  GHashTable   *trusted;       /* key hex -> HlTrusted bits, from the store */
  GHashTable   *cli_keys;      /* keys proven at --peer addresses */
  gint64        invite_open_until;   /* Unix ms; 0: no invite open */
  GHashTable   *resolved;      /* host name -> HlResolved */
  guint         resolving;
  GHashTable   *manual_ips;    /* IP (canonical text) -> NULL */
  GPtrArray    *refusals;      /* HlRefusal, oldest first */
  GResolver    *resolver;
  GCancellable *cancellable;
};

/* ---- small things ---- */

const char *
hl_sync_host_unmapped (const char *host)
{
  /* A node listening on "::" sees IPv4 peers as ::ffff:a.b.c.d; tailscaled
   * and people know them by their IPv4 form. */
  if (host != NULL && g_ascii_strncasecmp (host, "::ffff:", 7) == 0 && strchr (host + 7, '.') != NULL)
    return host + 7;
  return host;
}

gboolean
hl_sync_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  host = hl_sync_host_unmapped (host);
  address = host != NULL ? g_inet_address_new_from_string (host) : NULL;
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The canonical text of an IP, or NULL when @host is not one. */
static char *
canonical_ip (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  host = hl_sync_host_unmapped (host);
  address = host != NULL ? g_inet_address_new_from_string (host) : NULL;
  return address != NULL ? g_inet_address_to_string (address) : NULL;
}

gboolean
hl_admitted_is_known (HlAdmittedAs as)
{
  return as == HL_ADMITTED_OUTBOUND || as == HL_ADMITTED_TAILNET || as == HL_ADMITTED_MANUAL ||
         as == HL_ADMITTED_INVITE;
}

static const char *
admitted_as_text (HlAdmittedAs as)
{
  switch (as)
    {
    case HL_ADMITTED_TAILNET:
      return "a machine of the tailnet";
    case HL_ADMITTED_MANUAL:
      return "a manual peer";
    case HL_ADMITTED_INVITE:
      return "known through an invite";
    case HL_ADMITTED_LOOPBACK:
      return "loopback";
    case HL_ADMITTED_ANY_NETWORK:
      return "any network is allowed";
    case HL_ADMITTED_OUTBOUND:
      return "dialled by this node";
    case HL_ADMITTED_NOT:
    default:
      return "not admitted";
    }
}

static void
refusal_free (HlRefusal *refusal)
{
  g_free (refusal->host);
  g_free (refusal->key_hex);
  g_free (refusal->reason);
  g_free (refusal);
}

static void
resolved_free (HlResolved *resolved)
{
  g_strfreev (resolved->ips);
  g_free (resolved);
}

void
hl_node_admission_init (HlNode *self)
{
  HlAdmission *a = g_new0 (HlAdmission, 1);

  a->trusted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  a->cli_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  a->resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) resolved_free);
  a->manual_ips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  a->refusals = g_ptr_array_new_with_free_func ((GDestroyNotify) refusal_free);
  a->cancellable = g_cancellable_new ();
  self->admission = a;
}

void
hl_node_admission_free (HlNode *self)
{
  HlAdmission *a = self->admission;

  if (a == NULL)
    return;
  /* A resolution under way reports G_IO_ERROR_CANCELLED and touches nothing. */
  g_cancellable_cancel (a->cancellable);
  g_clear_object (&a->cancellable);
  g_clear_object (&a->resolver);
  g_hash_table_unref (a->trusted);
  g_hash_table_unref (a->cli_keys);
  g_hash_table_unref (a->resolved);
  g_hash_table_unref (a->manual_ips);
  g_ptr_array_unref (a->refusals);
  g_free (a);
  self->admission = NULL;
}

/* ---- refusals, for status ---- */

static const char *
peer_host (HlPeer *peer)
{
  return peer->remote_host != NULL ? hl_sync_host_unmapped (peer->remote_host) : peer->address;
}

static const char *
kind_of (gushort code)
{
  switch (code)
    {
    case HL_SYNC_CLOSE_NOT_ADMITTED:
      return "not-admitted";
    case HL_SYNC_CLOSE_FULL:
      return "full";
    case HL_SYNC_CLOSE_BANNED:
      return "banned";
    default:
      return "other";
    }
}

static void
note (HlNode     *self,
      HlPeer     *peer,
      gushort     code,
      const char *kind,
      const char *reason)
{
  GPtrArray *list = self->admission->refusals;
  const char *host = peer_host (peer);
  HlRefusal *refusal = NULL;
  gint64 now = hl_now_ms ();

  /* One entry per address and kind of refusal: keys cost nothing to make,
   * so a stranger that changes its key stays one line. */
  for (guint i = 0; i < list->len && refusal == NULL; i++)
    {
      HlRefusal *r = g_ptr_array_index (list, i);

      if (strcmp (r->kind, kind) == 0 && g_strcmp0 (r->host, host) == 0)
        refusal = g_ptr_array_steal_index (list, i);
    }
  if (refusal == NULL)
    {
      refusal = g_new0 (HlRefusal, 1);
      refusal->host = g_strdup (host);
      refusal->kind = kind;
      refusal->code = code;
      refusal->first_ms = now;
    }
  if (peer->their_key_hex != NULL)
    {
      g_free (refusal->key_hex);
      refusal->key_hex = g_strdup (peer->their_key_hex);
    }
  g_free (refusal->reason);
  refusal->reason = g_strdup (reason);
  refusal->last_ms = now;
  refusal->count++;
  g_ptr_array_add (list, refusal);
  if (list->len > MAX_REFUSALS)
    g_ptr_array_remove_index (list, 0);
  g_message ("%s %s: %s", strcmp (kind, "evicted") == 0 ? "Evicted" : "Refused", peer->address,
             reason);
}

void
hl_node_note_refusal (HlNode     *self,
                      HlPeer     *peer,
                      gushort     code,
                      const char *reason)
{
  note (self, peer, code, kind_of (code), reason);
}

void
hl_node_note_eviction (HlNode     *self,
                       HlPeer     *peer,
                       const char *reason)
{
  note (self, peer, HL_SYNC_CLOSE_FULL, "evicted", reason);
}

static void
refuse (HlNode     *self,
        HlPeer     *peer,
        gushort     code,
        const char *reason)
{
  hl_node_note_refusal (self, peer, code, reason);
  hl_peer_close (peer, code, reason);
}

void
hl_node_add_refusals_status (HlNode      *self,
                             JsonBuilder *b)
{
  GPtrArray *list = self->admission->refusals;

  json_builder_set_member_name (b, "refused");
  json_builder_begin_array (b);
  for (guint i = list->len; i-- > 0;)
    {
      HlRefusal *r = g_ptr_array_index (list, i);

      json_builder_begin_object (b);
      hl_json_add_string (b, "address", r->host);
      hl_json_add_string (b, "node", r->key_hex);
      hl_json_add_string (b, "kind", r->kind);
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, r->code);
      hl_json_add_string (b, "reason", r->reason);
      json_builder_set_member_name (b, "first_ms");
      json_builder_add_int_value (b, r->first_ms);
      json_builder_set_member_name (b, "last_ms");
      json_builder_add_int_value (b, r->last_ms);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, r->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

char *
hl_node_admission_describe (HlNode *self)
{
  if (self->allow_any_network)
    return g_strdup ("any network (--allow-any-network)");
  if (self->tailnet == NULL)
    return g_strdup ("loopback, manual peers and invited nodes (Tailscale is not used)");
  if (hl_tailnet_is_running (self->tailnet))
    return g_strdup ("loopback, the tailnet, manual peers and invited nodes");
  return g_strdup ("loopback, manual peers and invited nodes (Tailscale is not running, so the "
                   "tailnet cannot vouch for anyone)");
}

/* ---- what admission trusts ---- */

static void on_resolved (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data);

typedef struct
{
  HlNode *node;
  char   *host;
} ResolveData;

static void
resolve (HlNode     *self,
         const char *host)
{
  HlAdmission *a = self->admission;
  HlResolved *resolved = g_hash_table_lookup (a->resolved, host);
  ResolveData *data;

  if (resolved == NULL)
    {
      resolved = g_new0 (HlResolved, 1);
      g_hash_table_insert (a->resolved, g_strdup (host), resolved);
    }
  if (resolved->resolving ||
      (resolved->resolved_at != 0 && g_get_monotonic_time () - resolved->resolved_at < RESOLVE_INTERVAL_US))
    return;
  if (a->resolver == NULL)
    a->resolver = g_resolver_get_default ();
  resolved->resolving = TRUE;
  a->resolving++;
  data = g_new0 (ResolveData, 1);
  data->node = self;
  data->host = g_strdup (host);
  g_resolver_lookup_by_name_async (a->resolver, host, a->cancellable, on_resolved, data);
}

static void reconsider_waiting (HlNode *self);

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ResolveData *data = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  HlAdmission *a;
  HlResolved *resolved;
  g_autoptr(GPtrArray) ips = g_ptr_array_new ();

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;   /* the node is going: data->node may be gone */
  a = data->node->admission;
  a->resolving--;
  if ((resolved = g_hash_table_lookup (a->resolved, data->host)) != NULL)
    {
      for (GList *l = addresses; l != NULL; l = l->next)
        g_ptr_array_add (ips, g_inet_address_to_string (l->data));
      g_ptr_array_add (ips, NULL);
      g_strfreev (resolved->ips);
      resolved->ips = (GStrv) g_ptr_array_free (g_steal_pointer (&ips), FALSE);
      resolved->resolved_at = g_get_monotonic_time ();
      resolved->resolving = FALSE;
      for (guint i = 0; resolved->ips[i] != NULL; i++)
        g_hash_table_add (a->manual_ips, g_strdup (resolved->ips[i]));
    }
  if (error != NULL)
    g_message ("Cannot resolve manual peer %s, to admit it by address: %s", data->host,
               error->message);
  reconsider_waiting (data->node);

out:
  g_resolver_free_addresses (addresses);
  g_free (data->host);
  g_free (data);
}

/* The IPs manual peers' addresses stand for: a connection from one of them
 * is that manual peer. Names are resolved in the background. */
static void
collect_manual_ips (HlNode *self)
{
  HlAdmission *a = self->admission;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_remove_all (a->manual_ips);
  for (guint i = 0; i < self->targets->len; i++)
    {
      HlTarget *target = g_ptr_array_index (self->targets, i);
      g_autoptr(GUri) uri = NULL;
      g_autofree char *ip = NULL;
      HlResolved *resolved;
      const char *host;

      if (!target->from_cli && !target->from_db)
        continue;
      uri = g_uri_parse (target->address, G_URI_FLAGS_NONE, NULL);
      if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
        continue;
      if ((ip = canonical_ip (host)) != NULL)
        {
          g_hash_table_add (a->manual_ips, g_steal_pointer (&ip));
          continue;
        }
      resolve (self, host);
      resolved = g_hash_table_lookup (a->resolved, host);
      for (guint k = 0; resolved->ips != NULL && resolved->ips[k] != NULL; k++)
        g_hash_table_add (a->manual_ips, g_strdup (resolved->ips[k]));
      g_hash_table_add (names, g_strdup (host));
    }
  /* Names no manual peer uses any more go (once their lookup is over). */
  g_hash_table_iter_init (&iter, a->resolved);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (names, key) && !((HlResolved *) value)->resolving)
      g_hash_table_iter_remove (&iter);
}

static void
reload_trusted (HlNode *self)
{
  HlAdmission *a = self->admission;
  g_autoptr(GError) error = NULL;
  GHashTable *trusted = hl_store_list_trusted_keys (self->store, &error);
  gint64 open_until;

  if (trusted == NULL)
    g_warning ("Admission keeps what it knew: %s", error->message);
  else
    {
      g_hash_table_unref (a->trusted);
      a->trusted = trusted;
    }
  g_clear_error (&error);
  if ((open_until = hl_store_invite_open_until (self->store, hl_now_ms (), &error)) < 0)
    g_warning ("Admission keeps what it knew: %s", error->message);
  else
    a->invite_open_until = open_until;
}

static guint
trusted_bits (HlNode     *self,
              const char *key_hex)
{
  HlAdmission *a = self->admission;
  g_autofree char *lower = key_hex ? g_ascii_strdown (key_hex, -1) : NULL;

  if (lower == NULL)
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (a->trusted, lower)) |
         (g_hash_table_contains (a->cli_keys, lower) ? HL_TRUSTED_MANUAL : 0);
}

void
hl_node_admission_ready (HlNode *self,
                         HlPeer *peer)
{
  HlTarget *target = hl_node_target_for_peer (self, peer);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  guint stored;

  /* The key is proven now: whatever dials in with it later is this manual
   * peer, from wherever it dials. */
  if (target == NULL || !peer->outbound || (!target->from_cli && !target->from_db))
    return;
  key = g_ascii_strdown (peer->their_key_hex, -1);
  if (target->from_cli)
    g_hash_table_add (self->admission->cli_keys, g_strdup (key));
  /* Written only when it is news, not at every connection. */
  stored = GPOINTER_TO_UINT (g_hash_table_lookup (self->admission->trusted, key));
  if (!target->from_db || (stored & HL_TRUSTED_MANUAL))
    return;
  if (!hl_store_peer_set_node (self->store, target->address, key, &error))
    {
      g_warning ("Cannot remember the key of manual peer %s: %s", target->address, error->message);
      return;
    }
  g_hash_table_replace (self->admission->trusted, g_strdup (key),
                        GUINT_TO_POINTER (stored | HL_TRUSTED_MANUAL));
}

void
hl_node_admission_redeemed (HlNode *self,
                            HlPeer *peer)
{
  HlAdmission *a = self->admission;
  g_autofree char *key = g_ascii_strdown (peer->their_key_hex, -1);
  guint bits = GPOINTER_TO_UINT (g_hash_table_lookup (a->trusted, key)) | HL_TRUSTED_REDEEMER;

  /* A use was spent, maybe the last one: the store knows. */
  reload_trusted (self);
  g_hash_table_replace (a->trusted, g_steal_pointer (&key), GUINT_TO_POINTER (bits));
  hl_node_admission_update (self, peer);
}

/* ---- the decision ---- */

typedef enum
{
  DECIDE_WAIT,
  DECIDE_ADMIT,
  DECIDE_PROBATION,
  DECIDE_REFUSE,
} Decision;

/* Tailscale's state (the status file's tailscale.state) in a few words. */
static const char *
state_words (const char *state)
{
  static const struct { const char *state, *words; } table[] = {
    { "stopped", "stopped" },
    { "needs-login", "logged out" },
    { "needs-machine-auth", "waiting for the tailnet admin's approval" },
    { "starting", "starting" },
    { "in-use-other-user", "in use by another user" },
    { "not-running", "not running" },
    { "no-access", "not readable by Hyperlink" },
    { "error", "failing" },
    { "checking", "not asked yet" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (state, table[i].state) == 0)
      return table[i].words;
  return "in a state Hyperlink does not know";
}

/* What the tailnet had to say, for a refusal. */
static char *
tailnet_says (HlNode *self,
              HlPeer *peer)
{
  if (self->tailnet == NULL)
    return g_strdup ("this node does not use Tailscale");
  if (peer->whois == HL_WHOIS_NO && peer->whois_problem != NULL)
    return g_strdup (peer->whois_problem);
  return g_strdup_printf ("Tailscale on this node is %s, so the tailnet cannot vouch for it",
                          state_words (hl_tailnet_get_state (self->tailnet)));
}

/* The one place that decides whether @peer may connect, and why: *@as for
 * an admission, *@reason (owned by the caller) for a refusal. It changes
 * nothing, so it is asked again whenever something it depends on changed. */
static Decision
decide (HlNode        *self,
        HlPeer        *peer,
        HlAdmittedAs  *as,
        char         **reason)
{
  HlAdmission *a = self->admission;
  g_autofree char *ip = canonical_ip (peer->remote_host);
  guint trusted = peer->got_hello ? trusted_bits (self, peer->their_key_hex) : 0;
  g_autofree char *said = NULL;

  /* The tailnet's word is awaited even for a peer another rule admits: its
   * tags decide which zones it reconciles (hl-node-zones.c). A peer we
   * dialled is not kept waiting (it already sent auth and may start): a
   * late answer starts another reconciliation (hl_node_zones_learned). */
  if (!peer->outbound && peer->whois == HL_WHOIS_ASKING)
    return DECIDE_WAIT;
  /* The strongest reason first: it decides whether the peer is known. */
  if (peer->outbound)
    *as = HL_ADMITTED_OUTBOUND;
  else if (trusted & HL_TRUSTED_MANUAL)
    *as = HL_ADMITTED_MANUAL;
  else if (trusted != 0)
    *as = HL_ADMITTED_INVITE;
  else if (peer->whois == HL_WHOIS_YES)
    *as = HL_ADMITTED_TAILNET;
  else if (hl_sync_host_is_loopback (peer->remote_host))
    *as = HL_ADMITTED_LOOPBACK;
  else if (ip != NULL && g_hash_table_contains (a->manual_ips, ip))
    *as = HL_ADMITTED_MANUAL;   /* a loopback IP says nothing: every local process shares it */
  else if (self->allow_any_network)
    *as = HL_ADMITTED_ANY_NETWORK;
  else
    *as = HL_ADMITTED_NOT;
  if (*as != HL_ADMITTED_NOT)
    return DECIDE_ADMIT;

  /* Key rules need the hello; the tailnet may still answer. */
  if (!peer->got_hello || peer->whois == HL_WHOIS_ASKING || a->resolving > 0 ||
      hl_tailnet_is_checking (self->tailnet))
    return DECIDE_WAIT;
  if (a->invite_open_until > hl_now_ms ())
    return DECIDE_PROBATION;
  said = tailnet_says (self, peer);
  *reason = g_strdup_printf ("this node admits only its tailnet, its manual peers and invited "
                             "nodes; %s is none of them (%s): ask the node's owner for an invite "
                             "link", ip ? ip : peer->address, said);
  return DECIDE_REFUSE;
}

/* ---- the steps of a connection ---- */

static void
ask_tailnet (HlNode *self,
             HlPeer *peer)
{
  /* Asked even when another rule admits it: the tailnet's word makes it
   * known, and names its machine and user for the slots. */
  if (peer->whois == HL_WHOIS_NONE && hl_tailnet_is_running (self->tailnet) &&
      !hl_sync_host_is_loopback (peer->remote_host))
    hl_tailnet_whois (self->tailnet, peer);
}

void
hl_node_admission_connected (HlNode *self,
                             HlPeer *peer)
{
  ask_tailnet (self, peer);
  hl_node_admission_update (self, peer);
}

void
hl_node_admission_update (HlNode *self,
                          HlPeer *peer)
{
  g_autofree char *reason = NULL;
  HlAdmittedAs as = HL_ADMITTED_NOT;
  Decision decision;

  /* A dialled peer too: its tags decide the zones it sees. */
  if (peer->outbound && peer->state == HL_PEER_HANDSHAKE)
    ask_tailnet (self, peer);
  if (peer->state != HL_PEER_HANDSHAKE || peer->closing)
    {
      /* Ready already: the tailnet's late word can still make it known. */
      if (peer->state == HL_PEER_READY && decide (self, peer, &as, &reason) == DECIDE_ADMIT &&
          hl_admitted_is_known (as) && !hl_admitted_is_known (peer->admitted_as))
        peer->admitted_as = as;
      return;
    }
  decision = decide (self, peer, &as, &reason);
  switch (decision)
    {
    case DECIDE_WAIT:
      return;
    case DECIDE_REFUSE:
      if (peer->admission != HL_ADMIT_YES)
        refuse (self, peer, HL_SYNC_CLOSE_NOT_ADMITTED, reason);
      return;
    case DECIDE_PROBATION:
      if (peer->admission == HL_ADMIT_WAITING)
        {
          g_message ("Letting %s (node %.16s…) finish the handshake to redeem an invite",
                     peer->address, peer->their_key_hex);
          hl_peer_probation (peer);
        }
      return;
    case DECIDE_ADMIT:
    default:
      break;
    }
  peer->admitted_as = as;
  /* A slot goes to a proven key only: the peer's auth must be in. */
  if (!peer->got_hello || !peer->got_auth)
    return;
  if (!peer->holds_slot && !hl_node_take_slot (self, peer))
    return;
  /* Loopback is the everyday case (and tests make thousands). */
  if (!peer->outbound && as != HL_ADMITTED_LOOPBACK)
    g_message ("Admitted %s (node %.16s…): %s", peer->address, peer->their_key_hex,
               admitted_as_text (as));
  hl_peer_admit (peer);
}

/* Tailscale's state changed, or a manual peer's name resolved: connections
 * that waited on it are looked at again. */
static void
reconsider_waiting (HlNode *self)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);

  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      if (peer->outbound || peer->state != HL_PEER_HANDSHAKE || peer->closing ||
          peer->admission != HL_ADMIT_WAITING)
        continue;
      ask_tailnet (self, peer);
      hl_node_admission_update (self, peer);
    }
}

void
hl_node_admission_tailnet_changed (HlNode *self)
{
  reconsider_waiting (self);
}

void
hl_node_admission_reload (HlNode *self)
{
  reload_trusted (self);
  collect_manual_ips (self);
}

gboolean
hl_node_admission_expire (HlNode *self,
                          HlPeer *peer)
{
  if (peer->admission != HL_ADMIT_PROBATION || peer->state != HL_PEER_HANDSHAKE || peer->closing)
    return FALSE;
  refuse (self, peer, HL_SYNC_CLOSE_NOT_ADMITTED,
          "this node let you finish the handshake to redeem an invite, and no valid "
          "redeem came within 10 s; it admits only its tailnet, its manual peers and "
          "invited nodes: ask the node's owner for an invite link");
  return TRUE;
}

void
hl_node_admission_tick (HlNode *self,
                        gint64  now)
{
  g_autoptr(GPtrArray) peers = hl_node_list_peers (self);

  for (guint i = 0; i < peers->len; i++)
    {
      HlPeer *peer = g_ptr_array_index (peers, i);

      if (now - peer->connected_at >= PROBATION_US)
        hl_node_admission_expire (self, peer);
    }
}
