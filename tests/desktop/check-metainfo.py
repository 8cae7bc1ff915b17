#!/usr/bin/env python3
# check-metainfo.py METAINFO SCREENSHOT_DIR VERSION: what Flathub and GNOME
# Circle look for beyond `appstreamcli validate` (whose Debian 12 version does
# not know <developer> or <branding> yet): a developer id, primary colours for
# the light and the dark style, the project's version as the newest release,
# an OARS rating, Tailscale explained, and every screenshot URL naming a file
# of data/screenshots (whatever script took them).
#
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import sys
import xml.etree.ElementTree as ET

metainfo, shots_dir, version = sys.argv[1:4]
root = ET.parse(metainfo).getroot()
errors = []

dev = root.find('developer')
if dev is None or not dev.get('id') or dev.find('name') is None:
    errors.append('<developer id="…"><name>…</name></developer> is missing')
colours = {c.get('scheme_preference'): c.text for c in root.findall('branding/color')
           if c.get('type') == 'primary'}
for scheme in ('light', 'dark'):
    if not re.fullmatch(r'#[0-9a-fA-F]{6}', colours.get(scheme) or ''):
        errors.append(f'<branding> has no primary colour for the {scheme} style')
releases = root.findall('releases/release')
if not releases:
    errors.append('<releases> is empty')
elif releases[0].get('version') != version:
    errors.append(f'the newest release is {releases[0].get("version")}, meson.build says {version}')
for r in releases:
    if not re.fullmatch(r'\d{4}-\d\d-\d\d', r.get('date', '')) or r.find('description') is None:
        errors.append(f'release {r.get("version")} needs a date and a description')
if root.find('content_rating[@type="oars-1.1"]') is None:
    errors.append('no OARS 1.1 content rating')
description = ET.tostring(root.find('description'), encoding='unicode')
if 'Tailscale' not in description:
    errors.append('the description does not say how Tailscale is used')
shots = root.findall('screenshots/screenshot')
if not shots or sum(1 for s in shots if s.get('type') == 'default') != 1:
    errors.append('one screenshot must be the default')
for shot in shots:
    url = shot.findtext('image', '')
    name = url.rsplit('/', 1)[-1]
    if not url.startswith('https://raw.githubusercontent.com/') or '/data/screenshots/' not in url:
        errors.append(f'{url}: screenshots are served from data/screenshots of the repository')
    path = os.path.join(shots_dir, name)
    if not os.path.isfile(path):
        errors.append(f'{url}: data/screenshots/{name} does not exist')
    else:
        with open(path, 'rb') as f:
            if f.read(8) != b'\x89PNG\r\n\x1a\n':
                errors.append(f'data/screenshots/{name} is not a PNG')
    if not shot.findtext('caption'):
        errors.append(f'{url}: no caption')

for e in errors:
    print(e, file=sys.stderr)
if not errors:
    print(f'{metainfo}: {len(shots)} screenshots, {len(releases)} releases, branding, developer')
sys.exit(1 if errors else 0)
