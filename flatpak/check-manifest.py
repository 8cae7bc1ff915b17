#!/usr/bin/env python3
# Checks what can be checked of the Flatpak manifest without the GNOME SDK,
# which cannot be downloaded here: it parses, names the project's app id,
# pins every archive with a sha256, gives the sandbox what the window needs,
# and passes only meson options the project defines.
#
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import re
import sys

manifest_path, meson_build, meson_options, app_id = sys.argv[1:5]
errors = []

with open(manifest_path, encoding='utf-8') as f:
    manifest = json.load(f)

if manifest.get('id', manifest.get('app-id')) != app_id:
    errors.append(f'id is {manifest.get("id")!r}, the project uses {app_id!r}')
if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
    errors.append('runtime and sdk must be org.gnome.Platform / org.gnome.Sdk')
if not re.fullmatch(r'\d+', str(manifest.get('runtime-version', ''))):
    errors.append('runtime-version must be a stable GNOME release such as "49"')
if manifest.get('command') != 'hyperlink':
    errors.append('command must be hyperlink, the executable src/ui installs')

needed = ['--share=network', '--socket=wayland', '--socket=fallback-x11', '--device=dri',
          '--filesystem=/run/tailscale:ro']
for arg in needed:
    if arg not in manifest.get('finish-args', []):
        errors.append(f'finish-args lacks {arg}')

modules = {m.get('name'): m for m in manifest.get('modules', []) if isinstance(m, dict)}
for name in ['libsodium', 'hyperlink']:
    if name not in modules:
        errors.append(f'module {name} is missing')
names = [m.get('name') for m in manifest.get('modules', []) if isinstance(m, dict)]
if 'libsodium' in names and 'hyperlink' in names and names.index('libsodium') > names.index('hyperlink'):
    errors.append('libsodium must be built before hyperlink')

for module in modules.values():
    for source in module.get('sources', []):
        if source.get('type') in ('archive', 'file'):
            if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                errors.append(f'{module["name"]}: {source.get("url")} has no sha256')
            if not source.get('url', '').startswith('https://'):
                errors.append(f'{module["name"]}: sources must be fetched over https')

sodium = modules.get('libsodium', {})
if not any('libsodium-1.0.20' in s.get('url', '') for s in sodium.get('sources', [])):
    errors.append('libsodium must be pinned to 1.0.20')

app = modules.get('hyperlink', {})
if app.get('buildsystem') != 'meson':
    errors.append('hyperlink must be built with meson')
with open(meson_options, encoding='utf-8') as f:
    known = set(re.findall(r"option\(\s*'([^']+)'", f.read()))
for opt in app.get('config-opts', []):
    m = re.fullmatch(r'-D([A-Za-z0-9_-]+)=.*', opt)
    if m and m.group(1) not in known and m.group(1) not in ('buildtype', 'prefix', 'werror'):
        errors.append(f'config-opts passes -D{m.group(1)}, which meson_options.txt does not define')
with open(meson_build, encoding='utf-8') as f:
    if f"app_id = '{app_id}'" not in f.read():
        errors.append('meson.build does not define the same app_id')

for e in errors:
    print(e, file=sys.stderr)
if not errors:
    print(f'{manifest_path}: {len(modules)} modules, app id {app_id}')
sys.exit(1 if errors else 0)
