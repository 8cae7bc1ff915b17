#!/usr/bin/env python3
# Checks that po/POTFILES.in lists exactly the source files holding strings
# marked for translation: _("..."), N_("..."), C_(..), translatable="yes" in
# .ui and .gschema.xml files, and the .desktop.in / .metainfo.xml.in files.
#
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
MARKS = {
    '.c': re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\('),
    '.ui': re.compile(r'translatable="(?:yes|true)"'),
}
SCAN_DIRS = ['src', 'data']

def wants_translation(path):
    if path.endswith('.desktop.in') or path.endswith('.metainfo.xml.in'):
        return True
    if path.endswith('.gschema.xml'):
        return True
    ext = os.path.splitext(path)[1]
    mark = MARKS.get(ext)
    if mark is None:
        return False
    with open(os.path.join(root, path), encoding='utf-8') as f:
        return mark.search(f.read()) is not None

found = set()
for top in SCAN_DIRS:
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        dirnames[:] = [d for d in dirnames if not d.startswith('.')]
        for name in filenames:
            path = os.path.relpath(os.path.join(dirpath, name), root)
            if wants_translation(path):
                found.add(path)

listed = set()
with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith('#'):
            listed.add(line)

ok = True
for path in sorted(found - listed):
    print(f'po/POTFILES.in misses {path}, which has translatable strings', file=sys.stderr)
    ok = False
for path in sorted(listed - found):
    if not os.path.exists(os.path.join(root, path)):
        print(f'po/POTFILES.in lists {path}, which does not exist', file=sys.stderr)
    else:
        print(f'po/POTFILES.in lists {path}, which has no translatable strings', file=sys.stderr)
    ok = False
if ok:
    print(f'POTFILES.in lists all {len(found)} files with translatable strings')
sys.exit(0 if ok else 1)
