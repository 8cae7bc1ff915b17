/* hl-archive-page.c: the Archive page of Preferences.
 *
 * The status is hl_archive_status() of the store, read on a worker thread
 * (hl_forum_run_async) and kept here as plain strings and numbers; the
 * picture draws a row per device with a bar of its part of all symbols
 * (what it lacks of it in the warning colour), beside a
 * sentence per device for assistive technologies.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-archive-page.h"

#include "hl-archive.h"
#include "hl-event.h"
#include "hl-horizon-row.h"
#include "hl-ui-util.h"

#define ROW_HEIGHT   30
#define NAME_WIDTH   160
#define PERCENT_WIDTH 48
#define BAR_HEIGHT   12

typedef struct
{
  char    *name;
  guint64  expected;   /* symbols it should hold */
  gint64   held;       /* -1: not known here */
  gboolean is_self;
} DeviceBar;

struct _HlArchivePage
{
  AdwPreferencesPage parent_instance;

  HlForum        *forum;
  GCancellable   *cancellable;
  gboolean        loaded;
  GArray         *devices;        /* DeviceBar */
  char           *summary;
  char           *resilience;
  char           *share;
  char           *devices_text;

  AdwPreferencesGroup *archive_group;
  AdwPreferencesGroup *storage_group;
  AdwActionRow   *summary_row;
  AdwActionRow   *resilience_row;
  AdwActionRow   *share_row;
  AdwPreferencesGroup *risk_group;
  GPtrArray      *risk_rows;      /* AdwActionRow, in risk_group */
  AdwPreferencesGroup *devices_group;
  GtkDrawingArea *picture;

  GSettings      *settings;       /* NULL without the schema */
  GtkSpinButton  *quota_spin;
  AdwComboRow    *lose_row;
  AdwActionRow   *cost_row;
  guint64         total_size;     /* of the latest status */
  guint           n_devices;
};

G_DEFINE_FINAL_TYPE (HlArchivePage, hl_archive_page, ADW_TYPE_PREFERENCES_PAGE)

static void
device_bar_clear (DeviceBar *bar)
{
  g_free (bar->name);
}

/* ---- what the worker reads ---- */

static gpointer
read_status_func (HlForum       *forum,
                  HlStore       *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  /* The identity only says which holder is this device: status signs nothing. */
  g_autoptr(HlArchive) archive = hl_archive_new (store, hl_forum_get_identity (forum));

  return hl_archive_status (archive, error);
}

/* ---- the sentences ---- */

static char *
capitalised (const char *text)
{
  if (text == NULL || *text == '\0')
    return g_strdup ("");
  return g_strdup_printf ("%c%s", g_ascii_toupper (*text), text + 1);
}

static char *
describe_summary (const HlArchiveStatus *st)
{
  g_autofree char *size = g_format_size (st->total_size);
  g_autofree char *events = NULL;
  guint n = st->segments->len;

  if (n == 0)
    return g_strdup (_("No history is sealed yet: months are sealed 30 days after they end"));
  /* The count goes in as text: a format macro inside a msgid truncates it. */
  events = g_strdup_printf ("%" G_GUINT64_FORMAT, st->events);
  /* Translators: "3 sealed segments, 1.2 MB, 4500 events" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sealed segment, %s, %s events",
                                       "%u sealed segments, %s, %s events", n),
                          n, size, events);
}

static char *
describe_share (const HlArchiveStatus *st)
{
  g_autofree char *share = g_format_size (st->share_bytes);
  g_autofree char *stored = g_format_size (st->stored_bytes);
  g_autofree char *quota = g_format_size (st->quota);

  if (st->is_holder)
    /* Translators: this device's share of the archive, what it stores, its quota */
    return g_strdup_printf (_("Its share is %s of symbols; it stores %s, of a quota of %s"),
                            share, stored, quota);
  return g_strdup_printf (_("This device holds no share yet (it stores %s, of a quota of %s)"),
                          stored, quota);
}

static char *
device_name (const HlArchiveDeviceStatus *d)
{
  g_autofree char *hex = hl_hex_dup (d->key, 4);

  if (d->is_self)
    return g_strdup (_("This device"));
  if (d->name != NULL && *d->name != '\0')
    return g_strdup (d->name);
  return g_strdup_printf (_("Device %s"), hex);
}

static void
take_devices (HlArchivePage         *self,
              const HlArchiveStatus *st)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_array_set_size (self->devices, 0);
  for (guint i = 0; i < st->devices->len; i++)
    {
      const HlArchiveDeviceStatus *d = g_ptr_array_index (st->devices, i);
      DeviceBar bar = { device_name (d), d->expected, d->held, d->is_self };
      g_autofree char *held = g_strdup_printf ("%" G_GINT64_FORMAT, d->held);
      g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT, d->expected);

      g_array_append_val (self->devices, bar);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (d->held >= 0)
        /* Translators: a device, the symbols it holds and should hold */
        g_string_append_printf (text, _("%s holds %s of its %s symbols"), bar.name, held,
                                expected);
      else
        g_string_append_printf (text, _("%s should hold %s symbols"), bar.name, expected);
    }
  g_free (self->devices_text);
  self->devices_text = g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- the settings: quota and policy ---- */

#define LOSE_CHOICES 5   /* half, then 1 to 4 devices */

static int
lose_for_choice (guint choice)
{
  return choice == 0 ? -1 : (int) choice;
}

/* What each device stores under policy @lose: about 1 / (n − f) of the
 * archive, since any n − f devices must hold enough to rebuild it. */
static char *
describe_cost (guint64 total_size,
               guint   n,
               int     lose)
{
  guint f = lose < 0 ? n / 2 : MIN ((guint) lose, n > 0 ? n - 1 : 0);
  g_autofree char *each = NULL;
  g_autofree char *full = g_format_size (total_size);

  if (n == 0)
    return g_strdup (_("No device offers its disk to the archive yet"));
  each = g_format_size (total_size / (n - f));
  /* Translators: "can lose any 3 of 7 devices; each keeps about 1/4 of the archive (…)" */
  return g_strdup_printf (_("Can lose any %u of %u devices; each keeps about 1/%u of the "
                            "archive (%s of %s)"), f, n, n - f, each, full);
}

static void
show_cost (HlArchivePage *self)
{
  int lose = self->settings != NULL ? g_settings_get_int (self->settings, "archive-lose") : -1;
  g_autofree char *cost = describe_cost (self->total_size, self->n_devices, lose);

  adw_action_row_set_subtitle (self->cost_row, cost);
}

static void
on_lose_changed_cb (GSettings  *settings,
                    const char *key,
                    gpointer    user_data)
{
  HlArchivePage *self = user_data;
  int lose = g_settings_get_int (settings, "archive-lose");
  guint choice = lose < 0 ? 0 : (guint) CLAMP (lose, 1, LOSE_CHOICES - 1);

  if (adw_combo_row_get_selected (self->lose_row) != choice)
    adw_combo_row_set_selected (self->lose_row, choice);
  show_cost (self);
}

static void
on_lose_selected_cb (AdwComboRow *row,
                     GParamSpec  *pspec,
                     gpointer     user_data)
{
  HlArchivePage *self = user_data;
  int lose = lose_for_choice (adw_combo_row_get_selected (row));

  if (self->settings != NULL && g_settings_get_int (self->settings, "archive-lose") != lose)
    g_settings_set_int (self->settings, "archive-lose", lose);
}

static void
build_settings (HlArchivePage *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  const char *choices[LOSE_CHOICES + 1] = { NULL };
  g_autofree char *half = g_strdup (_("Half of the devices"));
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *quota_row = adw_action_row_new ();
  int lose;

  adw_preferences_group_set_title (group, _("Storage"));
  self->storage_group = group;
  choices[0] = half;
  for (guint i = 1; i < LOSE_CHOICES; i++)
    {
      /* Translators: how many devices the archive may lose */
      g_ptr_array_add (numbers, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Any %u device",
                                                              "Any %u devices", i), i));
      choices[i] = g_ptr_array_index (numbers, i - 1);
    }
  self->lose_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->lose_row),
                                 _("Devices your subnets may lose"));
  adw_combo_row_set_model (self->lose_row, G_LIST_MODEL (gtk_string_list_new (choices)));
  adw_preferences_group_add (group, GTK_WIDGET (self->lose_row));
  self->cost_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->cost_row), _("Storage cost"));
  adw_preferences_group_add (group, GTK_WIDGET (self->cost_row));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (quota_row), _("Quota (MiB)"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (quota_row),
                               _("0 keeps the default: a tenth of the free disk, at most 4 GiB"));
  self->quota_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 16777216, 256));
  gtk_widget_set_valign (GTK_WIDGET (self->quota_spin), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (quota_row), GTK_WIDGET (self->quota_spin));
  adw_preferences_group_add (group, quota_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);

  if ((self->settings = hl_ui_settings_new ()) == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (group), FALSE);
      return;
    }
  lose = g_settings_get_int (self->settings, "archive-lose");
  adw_combo_row_set_selected (self->lose_row, lose < 0 ? 0 : (guint) CLAMP (lose, 1, LOSE_CHOICES - 1));
  g_signal_connect_object (self->lose_row, "notify::selected", G_CALLBACK (on_lose_selected_cb),
                           self, 0);
  g_settings_bind (self->settings, "archive-quota-mb", self->quota_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::archive-lose",
                           G_CALLBACK (on_lose_changed_cb), self, 0);
}

/* ---- the widgets ---- */

static void
set_risks (HlArchivePage         *self,
           const HlArchiveStatus *st)
{
  for (guint i = 0; i < self->risk_rows->len; i++)
    adw_preferences_group_remove (self->risk_group, g_ptr_array_index (self->risk_rows, i));
  g_ptr_array_set_size (self->risk_rows, 0);
  for (guint i = 0; i < st->segments->len; i++)
    {
      const HlArchiveSegmentStatus *s = g_ptr_array_index (st->segments, i);
      g_autofree char *text = NULL;
      GtkWidget *row;

      if (!s->at_risk || s->risk == NULL)
        continue;
      text = capitalised (s->risk);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      adw_preferences_group_add (self->risk_group, row);
      g_ptr_array_add (self->risk_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->risk_group), self->risk_rows->len > 0);
}

static void
show_status (HlArchivePage         *self,
             const HlArchiveStatus *st)
{
  g_free (self->summary);
  self->summary = describe_summary (st);
  g_free (self->resilience);
  self->resilience = capitalised (st->resilience);
  g_free (self->share);
  self->share = describe_share (st);
  take_devices (self, st);
  self->total_size = st->total_size;
  self->n_devices = st->devices->len;
  show_cost (self);

  adw_action_row_set_subtitle (self->summary_row, self->summary);
  adw_action_row_set_subtitle (self->resilience_row, self->resilience);
  adw_action_row_set_subtitle (self->share_row, self->share);
  set_risks (self, st);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1,
                               MAX (1, (int) self->devices->len) * ROW_HEIGHT);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->devices_text,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->devices_group), self->devices->len > 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->picture));
}

static void
on_status_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlArchiveStatus) st = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlArchivePage *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loaded = TRUE;
  if (st == NULL)
    {
      g_warning ("Could not read the archive's status: %s", error->message);
      adw_action_row_set_subtitle (self->summary_row,
                                   _("The archive could not be read: see the log"));
      return;
    }
  show_status (self, st);
}

void
hl_archive_page_reload (HlArchivePage *self)
{
  g_return_if_fail (HL_IS_ARCHIVE_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loaded = FALSE;
  hl_forum_run_async (self->forum, read_status_func, NULL, NULL,
                      (GDestroyNotify) hl_archive_status_free, self->cancellable,
                      on_status_read_cb, self);
}

/* ---- the picture ---- */

static void
draw_devices (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  HlArchivePage *self = user_data;
  GdkRGBA fg;
  guint64 total = 0;
  double bar_x = NAME_WIDTH, bar_w = MAX (width - NAME_WIDTH - PERCENT_WIDTH, 20);

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (GTK_WIDGET (area), &fg);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
#endif
  for (guint i = 0; i < self->devices->len; i++)
    total += g_array_index (self->devices, DeviceBar, i).expected;
  total = MAX (total, 1);

  for (guint i = 0; i < self->devices->len; i++)
    {
      const DeviceBar *bar = &g_array_index (self->devices, DeviceBar, i);
      double y = i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
      double share = (double) bar->expected / (double) total;
      g_autofree char *percent = g_strdup_printf ("%.0f %%", share * 100.0);
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), bar->name);
      int tw, th;

      pango_layout_set_width (layout, (NAME_WIDTH - 12) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &tw, &th);
      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_move_to (cr, 0, i * ROW_HEIGHT + (ROW_HEIGHT - th) / 2.0);
      pango_cairo_show_layout (cr, layout);
      pango_layout_set_text (layout, percent, -1);
      pango_layout_set_width (layout, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      cairo_move_to (cr, width - tw, i * ROW_HEIGHT + (ROW_HEIGHT - th) / 2.0);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);

      /* The track is the whole archive's symbols; the bar this device's part. */
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
      cairo_rectangle (cr, bar_x, y, bar_w, BAR_HEIGHT);
      cairo_fill (cr);
      if (bar->is_self)
        cairo_set_source_rgb (cr, 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0);
      else
        cairo_set_source_rgb (cr, 0x62 / 255.0, 0xa0 / 255.0, 0xea / 255.0);
      cairo_rectangle (cr, bar_x, y, bar_w * share, BAR_HEIGHT);
      cairo_fill (cr);
      if (bar->held >= 0 && bar->expected > 0 && (guint64) bar->held < bar->expected)
        {
          /* What it lacks of its share, hatched in the warning colour. */
          double held = bar_w * (double) bar->held / (double) total;

          cairo_set_source_rgba (cr, 0xe5 / 255.0, 0xa5 / 255.0, 0x0a / 255.0, 0.9);
          cairo_rectangle (cr, bar_x + held, y, bar_w * share - held, BAR_HEIGHT);
          cairo_fill (cr);
        }
    }
}

/* ---- the object ---- */

static AdwActionRow *
add_row (AdwPreferencesGroup *group,
         const char          *title)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), "…");
  adw_preferences_group_add (group, row);
  return ADW_ACTION_ROW (row);
}

/* The restore runs in the main window (win.restore-history), whose node
 * fetches the symbols. Preferences is a dialog inside it (libadwaita 1.5 and
 * later: its actions are this page's too) or its transient child (1.2). */
static void
on_restore_clicked_cb (GtkButton     *button,
                       HlArchivePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWindow *main_window = GTK_IS_WINDOW (root) ? gtk_window_get_transient_for (GTK_WINDOW (root))
                                                : NULL;

  if (gtk_widget_activate_action (GTK_WIDGET (self), "win.restore-history", NULL))
    return;
  if (main_window == NULL ||
      !gtk_widget_activate_action (GTK_WIDGET (main_window), "win.restore-history", NULL))
    g_message ("Restore History: no main window to run it in");
}

static GtkWidget *
restore_button_new (HlArchivePage *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Restore History…"));

  gtk_widget_set_name (button, "archive_restore");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_restore_clicked_cb), self, 0);
  return button;
}

static void
build (HlArchivePage *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (self);

  self->archive_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->archive_group, _("History Archive"));
  adw_preferences_group_set_description (self->archive_group,
    _("Old history is sealed into monthly segments, encrypted, and spread over your "
      "group’s devices, so that it survives the loss of some of them."));
  self->resilience_row = add_row (self->archive_group, _("Safety"));
  self->summary_row = add_row (self->archive_group, _("Sealed history"));
  self->share_row = add_row (self->archive_group, _("On this device"));
  adw_preferences_group_set_header_suffix (self->archive_group, restore_button_new (self));
  adw_preferences_page_add (page, self->archive_group);

  self->risk_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->risk_group, _("At Risk"));
  gtk_widget_set_visible (GTK_WIDGET (self->risk_group), FALSE);
  adw_preferences_page_add (page, self->risk_group);

  self->devices_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->devices_group, _("Devices"));
  adw_preferences_group_set_description (self->devices_group,
    _("Each bar is the part of the archive’s symbols a device keeps; any few of them "
      "rebuild it."));
  self->picture = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_drawing_area_set_draw_func (self->picture, draw_devices, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The share of the archive each device keeps"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->devices_group), FALSE);
  adw_preferences_group_add (self->devices_group, GTK_WIDGET (self->picture));
  adw_preferences_page_add (page, self->devices_group);
  build_settings (self);
}

static void
hl_archive_page_dispose (GObject *object)
{
  HlArchivePage *self = HL_ARCHIVE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->forum);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (hl_archive_page_parent_class)->dispose (object);
}

static void
hl_archive_page_finalize (GObject *object)
{
  HlArchivePage *self = HL_ARCHIVE_PAGE (object);

  g_array_unref (self->devices);
  g_ptr_array_unref (self->risk_rows);
  g_free (self->summary);
  g_free (self->resilience);
  g_free (self->share);
  g_free (self->devices_text);
  G_OBJECT_CLASS (hl_archive_page_parent_class)->finalize (object);
}

static void
hl_archive_page_class_init (HlArchivePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_archive_page_dispose;
  object_class->finalize = hl_archive_page_finalize;
}

static void
hl_archive_page_init (HlArchivePage *self)
{
  self->devices = g_array_new (FALSE, TRUE, sizeof (DeviceBar));
  g_array_set_clear_func (self->devices, (GDestroyNotify) device_bar_clear);
  self->risk_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Archive"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "drive-harddisk-symbolic");
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "archive");
  build (self);
}

HlArchivePage *
hl_archive_page_new (HlForum *forum)
{
  HlArchivePage *self;
  HlHorizonRow *horizon;

  g_return_val_if_fail (HL_IS_FORUM (forum), NULL);

  self = g_object_new (HL_TYPE_ARCHIVE_PAGE, NULL);
  self->forum = g_object_ref (forum);
  horizon = hl_horizon_row_new (forum);
  adw_preferences_group_add (self->storage_group, GTK_WIDGET (horizon));
  /* Not a row: the group puts it below its list. */
  adw_preferences_group_add (self->storage_group,
                             GTK_WIDGET (hl_horizon_row_get_reason (horizon)));
  hl_archive_page_reload (self);
  return self;
}

gboolean
hl_archive_page_is_loaded (HlArchivePage *self)
{
  g_return_val_if_fail (HL_IS_ARCHIVE_PAGE (self), FALSE);
  return self->loaded;
}

const char *
hl_archive_page_get_summary (HlArchivePage *self)
{
  g_return_val_if_fail (HL_IS_ARCHIVE_PAGE (self), NULL);
  return self->summary;
}

const char *
hl_archive_page_get_resilience (HlArchivePage *self)
{
  g_return_val_if_fail (HL_IS_ARCHIVE_PAGE (self), NULL);
  return self->resilience;
}

const char *
hl_archive_page_get_share (HlArchivePage *self)
{
  g_return_val_if_fail (HL_IS_ARCHIVE_PAGE (self), NULL);
  return self->share;
}

char *
hl_archive_page_dup_risks (HlArchivePage *self)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  g_return_val_if_fail (HL_IS_ARCHIVE_PAGE (self), NULL);
  for (guint i = 0; i < self->risk_rows->len; i++)
    g_strv_builder_add (lines, adw_preferences_row_get_title (
                                 ADW_PREFERENCES_ROW (g_ptr_array_index (self->risk_rows, i))));
  strv = g_strv_builder_end (lines);
  return g_strjoinv ("\n", strv);
}

const char *
hl_archive_page_get_cost (HlArchivePage *self)
{
  g_return_val_if_fail (HL_IS_ARCHIVE_PAGE (self), NULL);
  return adw_action_row_get_subtitle (self->cost_row);
}

const char *
hl_archive_page_get_devices_text (HlArchivePage *self)
{
  g_return_val_if_fail (HL_IS_ARCHIVE_PAGE (self), NULL);
  return self->devices_text;
}
