#!/usr/bin/env python3
# Checks every translation in LINGUAS: it compiles with `msgfmt --check`
# (format directives match the msgid's), and it translates every string the
# sources mark today (a fresh template from xgettext; msgcmp counts fuzzy and
# untranslated entries as missing). xgettext's warnings fail the check too: a format macro
# inside a msgid ("%" G_GINT64_FORMAT) yields a truncated, unusable msgid.
#
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import subprocess
import sys
import tempfile

root = sys.argv[1]
po_dir = os.path.join(root, 'po')
KEYWORDS = ['_', 'N_', 'C_:1c,2', 'NC_:1c,2', 'g_dcgettext:2', 'g_dngettext:2,3',
            'g_dpgettext2:2c,3']
FLAGS = ['N_:1:pass-c-format', 'C_:2:pass-c-format', 'NC_:2:pass-c-format',
         'g_dngettext:2:pass-c-format', 'g_strdup_printf:1:c-format',
         'g_string_printf:2:c-format', 'g_string_append_printf:2:c-format',
         'g_error_new:3:c-format', 'g_set_error:4:c-format']

def sources():
    with open(os.path.join(po_dir, 'POTFILES.in'), encoding='utf-8') as f:
        return [line.strip() for line in f if line.strip() and not line.startswith('#')]

def languages():
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        return [line.strip() for line in f if line.strip() and not line.startswith('#')]

def make_template(path):
    args = ['xgettext', '--from-code=UTF-8', '--add-comments=Translators',
            '--package-name=hyperlink', '-o', path, '-D', root]
    args += ['--keyword=' + k for k in KEYWORDS] + ['--flag=' + f for f in FLAGS]
    done = subprocess.run(args + sources(), capture_output=True, text=True)
    if done.returncode != 0 or 'warning' in done.stderr:
        sys.exit('xgettext:\n' + done.stderr)

failed = False
with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'hyperlink.pot')
    make_template(pot)
    for lang in languages():
        po = os.path.join(po_dir, lang + '.po')
        for args in (['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                     ['msgcmp', po, pot]):
            done = subprocess.run(args, capture_output=True, text=True)
            print(lang, ' '.join(args[:2]), done.stderr.strip())
            if done.returncode != 0:
                failed = True
sys.exit(1 if failed else 0)
