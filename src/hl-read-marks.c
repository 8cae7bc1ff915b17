/* hl-read-marks.c: which threads have news since this device last looked.
 *
 * Read state is local, never published: a key file in the data directory maps
 * the threads opened here to the activity time seen then. Threads never
 * opened are new when they were active after the file was started. The
 * window and hyperlink-tui share the file (HL_READ_MARKS_FILE), so a thread
 * read in one is read in the other; it lives in the core for that reason.
 *
 * Copyright 2026 The Hyperlink developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "hl-read-marks.h"

#include "hl-paths.h"

/* Opening threads in a row writes once. */
#define SAVE_DELAY_S 2

struct _HlReadMarks
{
  GObject     parent_instance;

  char       *path;
  GKeyFile   *file;
  gint64      since_ms;
  guint       save_source;
};

G_DEFINE_FINAL_TYPE (HlReadMarks, hl_read_marks, G_TYPE_OBJECT)

static void
save (HlReadMarks *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  gsize len = 0;
  char *data = g_key_file_to_data (self->file, &len, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_take (data, len);

  /* Losing a read mark costs a dot, not data: errors are not reported. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL,
                                      NULL, NULL);
}

static gboolean
save_cb (gpointer user_data)
{
  HlReadMarks *self = user_data;

  self->save_source = 0;
  save (self);
  return G_SOURCE_REMOVE;
}

static void
hl_read_marks_finalize (GObject *object)
{
  HlReadMarks *self = HL_READ_MARKS (object);

  if (self->save_source != 0)
    {
      gsize len = 0;
      g_autofree char *data = g_key_file_to_data (self->file, &len, NULL);

      g_clear_handle_id (&self->save_source, g_source_remove);
      /* The last marks are written synchronously: no main loop may follow.
       * (g_key_file_save_to_file() would make the file 0666 less the umask.) */
      g_file_set_contents_full (self->path, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT,
                                0600, NULL);
    }
  g_clear_pointer (&self->file, g_key_file_unref);
  g_free (self->path);

  G_OBJECT_CLASS (hl_read_marks_parent_class)->finalize (object);
}

static void
hl_read_marks_class_init (HlReadMarksClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_read_marks_finalize;
}

static void
hl_read_marks_init (HlReadMarks *self)
{
  self->file = g_key_file_new ();
}

HlReadMarks *
hl_read_marks_new (const char *path)
{
  HlReadMarks *self = g_object_new (HL_TYPE_READ_MARKS, NULL);

  self->path = g_strdup (path);
  /* Replacing the file keeps the mode it had: one an older version left
   * loose is fixed here. */
  hl_paths_make_private (path);
  if (!g_key_file_load_from_file (self->file, path, G_KEY_FILE_NONE, NULL) ||
      (self->since_ms = g_key_file_get_int64 (self->file, "marks", "since", NULL)) <= 0)
    {
      self->since_ms = g_get_real_time () / 1000;
      g_key_file_set_int64 (self->file, "marks", "since", self->since_ms);
      save (self);
    }
  return self;
}

gboolean
hl_read_marks_is_unread (HlReadMarks  *self,
                         const guint8 *thread,
                         gint64        last_activity_ms)
{
  char key[HL_ID_HEX_LEN + 1];
  gint64 seen;

  g_return_val_if_fail (HL_IS_READ_MARKS (self), FALSE);

  if (last_activity_ms <= self->since_ms)
    return FALSE;
  hl_hex_encode (thread, HL_ID_LEN, key);
  seen = g_key_file_get_int64 (self->file, "read", key, NULL);
  return last_activity_ms > seen;
}

void
hl_read_marks_mark_read (HlReadMarks  *self,
                         const guint8 *thread,
                         gint64        last_activity_ms)
{
  char key[HL_ID_HEX_LEN + 1];

  g_return_if_fail (HL_IS_READ_MARKS (self));

  if (!hl_read_marks_is_unread (self, thread, last_activity_ms))
    return;
  hl_hex_encode (thread, HL_ID_LEN, key);
  g_key_file_set_int64 (self->file, "read", key, last_activity_ms);
  if (self->save_source == 0)
    self->save_source = g_timeout_add_seconds (SAVE_DELAY_S, save_cb, self);
}
