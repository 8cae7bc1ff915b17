/* hl-horizon-row.c: "Keep on this device" in Preferences.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-horizon-row.h"

#include "hl-archive.h"
#include "hl-store-horizon.h"
#include "hl-ui-util.h"

/* The choices, in list order. */
static const gint choice_months[] = { HL_HORIZON_EVERYTHING, 12, 6, 3, 1 };

struct _HlHorizonRow
{
  AdwComboRow   parent_instance;

  HlForum      *forum;
  GSettings    *settings;
  GCancellable *cancellable;
  gint          months;      /* what the store holds */
  guint         pending;     /* reads and changes under way */
  gboolean      quiet;       /* selecting from code, not a person */
  GtkLabel     *reason;      /* why a choice was refused, below the group */
};

G_DEFINE_FINAL_TYPE (HlHorizonRow, hl_horizon_row, ADW_TYPE_COMBO_ROW)

static guint
choice_for_months (gint months)
{
  for (guint i = 0; i < G_N_ELEMENTS (choice_months); i++)
    if (choice_months[i] == months)
      return i;
  return 0;
}

static void
select_quietly (HlHorizonRow *self,
                gint          months)
{
  self->quiet = TRUE;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self), choice_for_months (months));
  self->quiet = FALSE;
}

static void
set_subtitle (HlHorizonRow *self,
              const char   *text)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text);
}

static void
show_reason (HlHorizonRow *self,
             const char   *text)
{
  gtk_label_set_text (self->reason, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason), text != NULL);
}

/* ---- on the worker ---- */

typedef struct
{
  gint           months;
  gboolean       set;       /* the store now holds @months */
  HlHorizonPlan *plan;      /* NULL when only read */
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_clear_pointer (&outcome->plan, hl_horizon_plan_free);
  g_free (outcome);
}

static gpointer
read_func (HlForum       *forum,
           HlStore       *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  gint64 months = hl_store_archive_get_setting (store, HL_ARCHIVE_SETTING_HORIZON, error);
  Outcome *outcome;

  if (months < 0)
    return NULL;
  outcome = g_new0 (Outcome, 1);
  outcome->months = (gint) months;
  return outcome;
}

/* The core's plan; the store's setting changes only when nothing must
 * stay. The node drops what the plan allows at its next upkeep. */
static gpointer
choose_func (HlForum       *forum,
             HlStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(HlArchive) archive = hl_archive_new (store, hl_forum_get_identity (forum));
  gint months = GPOINTER_TO_INT (data);
  g_autoptr(HlHorizonPlan) plan = hl_archive_horizon_plan (archive, months, error);
  Outcome *outcome;

  if (plan == NULL)
    return NULL;
  if (plan->refused->len == 0 &&
      !hl_store_archive_set_setting (store, HL_ARCHIVE_SETTING_HORIZON, months, error))
    return NULL;
  outcome = g_new0 (Outcome, 1);
  outcome->months = months;
  outcome->set = plan->refused->len == 0;
  outcome->plan = g_steal_pointer (&plan);
  return outcome;
}

/* ---- the sentences ---- */

static char *
describe_frees (const HlHorizonPlan *plan)
{
  g_autofree char *size = NULL;
  g_autofree char *threads = NULL;

  if (plan->months == HL_HORIZON_EVERYTHING)
    return g_strdup (_("Everything stays on this device; what was dropped is loaded again"));
  if (plan->frees.threads == 0)
    return g_strdup (_("Frees nothing yet: no sealed month is older than that"));
  size = g_format_size (plan->frees.bytes);
  threads = g_strdup_printf ("%" G_GUINT64_FORMAT, plan->frees.threads);
  /* Translators: the first %s is a size ("3.1 MB"), the second a number of threads */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Frees about %s: %s thread from sealed months, still "
                                       "stored across your group",
                                       "Frees about %s: %s threads from sealed months, still "
                                       "stored across your group",
                                       (gulong) MIN (plan->frees.threads, G_MAXULONG)),
                          size, threads);
}

/* "March 2026 of #linux", in the locale's words: the name of the range. */
static char *
range_name (const HlHorizonRefusal *r)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc ((gint) r->year, (gint) r->month, 1, 0, 0, 0);
  /* Translators: a month and year, see strftime(3): "March 2026" */
  g_autofree char *month = when != NULL ? g_date_time_format (when, _("%B %Y"))
                                        : g_strdup_printf ("%04u-%02u", r->year, r->month);
  g_autofree char *hex = NULL;

  if (r->subnet_name != NULL)
    /* Translators: a month of a subnet's history: "March 2026 of #linux" */
    return g_strdup_printf (_("%s of #%s"), month, r->subnet_name);
  hex = hl_hex_dup (r->subnet, 4);
  /* Translators: a month of a subnet whose name is not known here: "March 2026 of subnet 0a1b2c3d" */
  return g_strdup_printf (_("%s of subnet %s"), month, hex);
}

/* One month that stays and why, a whole sentence for translators. */
static char *
describe_kept (const HlHorizonRefusal *r)
{
  g_autofree char *range = range_name (r);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  switch (r->reason)
    {
    case HL_HORIZON_KEEP_ONLY_HOLDER:
      /* Translators: %s is a month of a subnet ("March 2026 of #linux") */
      return g_strdup_printf (_("%s stays: this device is the only one that holds its "
                                "symbols"), range);
    case HL_HORIZON_KEEP_NO_LOSS_POLICY:
      /* Translators: %s is a month of a subnet ("March 2026 of #linux") */
      return g_strdup_printf (_("%s stays: the group’s archive policy may lose no device"),
                              range);
    case HL_HORIZON_KEEP_TOLERANCE:
      a = g_strdup_printf ("%d", r->tolerance);
      b = g_strdup_printf ("%u", r->holders);
      c = g_strdup_printf ("%u", r->policy_lose);
      /* Translators: a month of a subnet, then numbers: devices the group could lose, its
       * devices, devices the policy says it may lose */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s stays: without this device’s copy the group "
                                           "could lose %s of its %s device, and the policy "
                                           "says %s",
                                           "%s stays: without this device’s copy the group "
                                           "could lose %s of its %s devices, and the policy "
                                           "says %s", r->holders),
                              range, a, b, c);
    case HL_HORIZON_KEEP_SHARE_PARTIAL:
    default:
      a = g_strdup_printf ("%" G_GUINT64_FORMAT, r->own_held);
      b = g_strdup_printf ("%" G_GUINT64_FORMAT, r->own_expected);
      /* Translators: a month of a subnet, then numbers of symbols */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s stays: this device holds %s of the %s symbol "
                                           "of its share yet",
                                           "%s stays: this device holds %s of the %s symbols "
                                           "of its share yet",
                                           (gulong) MIN (r->own_expected, G_MAXULONG)),
                              range, a, b);
    }
}

/* The months that stay and why, one a line, after a sentence that says
 * nothing changed. */
static char *
describe_refusal (const HlHorizonPlan *plan)
{
  g_autoptr(GString) text = g_string_new (_("Not changed: the archive’s policy would not hold "
                                            "without this device’s copy. Add a device to the "
                                            "group, or wait until it holds its share."));

  for (guint i = 0; i < plan->refused->len; i++)
    {
      g_autofree char *line = describe_kept (g_ptr_array_index (plan->refused, i));

      g_string_append_c (text, '\n');
      g_string_append (text, line);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- results ---- */

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Outcome *outcome = hl_forum_run_finish (HL_FORUM (object), result, &error);
  HlHorizonRow *self = user_data;

  if (outcome == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (outcome == NULL)
    {
      set_subtitle (self, error->message);
      select_quietly (self, self->months);
      return;
    }
  if (outcome->plan == NULL || outcome->set)
    self->months = outcome->months;
  if (outcome->set && self->settings != NULL)
    g_settings_set_string (self->settings, "keep-on-device", hl_horizon_name (self->months));
  if (outcome->plan != NULL && outcome->set)
    {
      g_autofree char *text = describe_frees (outcome->plan);

      set_subtitle (self, text);
      show_reason (self, NULL);
    }
  else if (outcome->plan != NULL)
    {
      g_autofree char *text = describe_refusal (outcome->plan);

      set_subtitle (self, _("Not changed: some months must stay on this device (below)"));
      show_reason (self, text);
    }
  select_quietly (self, self->months);
  outcome_free (outcome);
}

static void
start (HlHorizonRow *self,
       HlForumFunc   func,
       gint          months)
{
  if (self->forum == NULL)
    return;
  self->pending++;
  hl_forum_run_async (self->forum, func, GINT_TO_POINTER (months), NULL,
                      (GDestroyNotify) outcome_free, self->cancellable, on_done_cb, self);
}

void
hl_horizon_row_choose (HlHorizonRow *self,
                       gint          months)
{
  g_return_if_fail (HL_IS_HORIZON_ROW (self));

  select_quietly (self, months);
  start (self, choose_func, months);
}

static void
on_selected_cb (HlHorizonRow *self)
{
  guint choice = adw_combo_row_get_selected (ADW_COMBO_ROW (self));

  if (self->quiet || choice >= G_N_ELEMENTS (choice_months) ||
      choice_months[choice] == self->months)
    return;
  start (self, choose_func, choice_months[choice]);
}

/* Another program (gsettings set) changed the key: that is a choice too. */
static void
on_key_changed_cb (GSettings  *settings,
                   const char *key,
                   gpointer    user_data)
{
  HlHorizonRow *self = user_data;
  g_autofree char *value = g_settings_get_string (settings, key);
  gint months = hl_horizon_parse (value);

  if (months >= 0 && months != self->months && self->pending == 0)
    hl_horizon_row_choose (self, months);
}

gboolean
hl_horizon_row_is_idle (HlHorizonRow *self)
{
  g_return_val_if_fail (HL_IS_HORIZON_ROW (self), FALSE);
  return self->pending == 0;
}

gint
hl_horizon_row_get_months (HlHorizonRow *self)
{
  g_return_val_if_fail (HL_IS_HORIZON_ROW (self), 0);
  return self->months;
}

/* ---- the object ---- */

static void
hl_horizon_row_dispose (GObject *object)
{
  HlHorizonRow *self = HL_HORIZON_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->forum);
  g_clear_object (&self->reason);
  G_OBJECT_CLASS (hl_horizon_row_parent_class)->dispose (object);
}

/* Preferences closed: what is under way stops, and the forum is let go at
 * once rather than whenever the last reference to the row goes. */
static void
hl_horizon_row_unroot (GtkWidget *widget)
{
  HlHorizonRow *self = HL_HORIZON_ROW (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->forum);
  GTK_WIDGET_CLASS (hl_horizon_row_parent_class)->unroot (widget);
}

static void
hl_horizon_row_class_init (HlHorizonRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_horizon_row_dispose;
  GTK_WIDGET_CLASS (klass)->unroot = hl_horizon_row_unroot;
}

static void
hl_horizon_row_init (HlHorizonRow *self)
{
  const char *choices[] = { _("Everything"), _("1 year"), _("6 months"), _("3 months"),
                            _("1 month"), NULL };

  self->cancellable = g_cancellable_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Keep on this device"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                               _("Older months stay in the group’s archive and load on demand"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self), G_LIST_MODEL (gtk_string_list_new (choices)));
  g_signal_connect (self, "notify::selected", G_CALLBACK (on_selected_cb), NULL);
  self->reason = GTK_LABEL (g_object_ref_sink (gtk_label_new (NULL)));
  gtk_label_set_wrap (self->reason, TRUE);
  gtk_label_set_xalign (self->reason, 0);
  gtk_label_set_selectable (self->reason, TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->reason), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->reason), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->reason), FALSE);
}

GtkLabel *
hl_horizon_row_get_reason (HlHorizonRow *self)
{
  g_return_val_if_fail (HL_IS_HORIZON_ROW (self), NULL);
  return self->reason;
}

HlHorizonRow *
hl_horizon_row_new (HlForum *forum)
{
  HlHorizonRow *self = g_object_new (HL_TYPE_HORIZON_ROW, NULL);

  self->forum = g_object_ref (forum);
  self->settings = hl_ui_settings_new ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::keep-on-device",
                             G_CALLBACK (on_key_changed_cb), self, 0);
  start (self, read_func, 0);
  return self;
}
