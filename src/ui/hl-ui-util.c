/* hl-ui-util.c: small text helpers shared by the window's widgets.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "hl-ui-util.h"

#include "hl-types.h"

/* The local time zone, made again only when $TZ changes. GLib 2.74's
 * g_time_zone_new_local() reloads it on every call when TZ is unset (it
 * compares the zone's name with NULL), and rows format a date at every bind:
 * two stat() calls and a zone file parsed per row while scrolling. */
static GTimeZone *
ref_local_zone (void)
{
  static GTimeZone *zone;
  static char *zone_tz;
  G_LOCK_DEFINE_STATIC (zone);
  const char *tz = g_getenv ("TZ");
  GTimeZone *result;

  G_LOCK (zone);
  if (zone == NULL || g_strcmp0 (zone_tz, tz) != 0)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      g_free (zone_tz);
      zone = g_time_zone_new_local ();
      zone_tz = g_strdup (tz);
    }
  result = g_time_zone_ref (zone);
  G_UNLOCK (zone);
  return result;
}

static GDateTime *
new_date_time (gint64     unix_s,
               GTimeZone *zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_s);

  return utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
}

char *
hl_format_relative_time (gint64 then_ms,
                         gint64 now_ms)
{
  gint64 minutes = (now_ms - then_ms) / 60000;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (then_ms <= 0)
    return g_strdup ("");
  if (minutes < 1)
    return g_strdup (_("just now"));
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min ago", "%d min ago", minutes),
                            (int) minutes);
  if (minutes < 24 * 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         minutes / 60),
                            (int) (minutes / 60));
  if (minutes < 48 * 60)
    return g_strdup (_("yesterday"));

  zone = ref_local_zone ();
  then = new_date_time (then_ms / 1000, zone);
  now = new_date_time (now_ms / 1000, zone);
  if (then == NULL || now == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (then) == g_date_time_get_year (now))
    /* Translators: a date in this year, see the strftime manual */
    return g_date_time_format (then, _("%e %b"));
  /* Translators: a date in another year, see the strftime manual */
  return g_date_time_format (then, _("%e %b %Y"));
}

char *
hl_format_author (const char   *name,
                  const guint8 *key)
{
  char hex[HL_KEY_LEN * 2 + 1];

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  hl_hex_encode (key, HL_KEY_LEN, hex);
  /* Translators: someone without a display name, known by the first digits of their key */
  return g_strdup_printf (_("Anonymous %.8s"), hex);
}

GSettings *
hl_ui_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
pinned_measure (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  int pinned = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "hl-natural-width"));

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_should_layout (child))
    return;
  gtk_widget_measure (child, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, pinned);
}

static void
pinned_allocate (GtkWidget *widget,
                 int        width,
                 int        height,
                 int        baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

void
hl_ui_pin_natural_width (AdwBin *bin,
                         int     natural)
{
  g_object_set_data (G_OBJECT (bin), "hl-natural-width", GINT_TO_POINTER (natural));
  gtk_widget_set_layout_manager (GTK_WIDGET (bin),
                                 gtk_custom_layout_new (NULL, pinned_measure, pinned_allocate));
}

void
hl_ui_bind_textdomain (void)
{
  const char *dir = g_getenv ("HYPERLINK_LOCALEDIR");

  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

GtkWidget *
hl_ui_find_named (GtkWidget  *root,
                  const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = hl_ui_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}
