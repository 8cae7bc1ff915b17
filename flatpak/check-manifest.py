#!/usr/bin/env python3
# Checks what can be checked of the Flatpak manifests without the GNOME SDK,
# which cannot be downloaded here (flatpak-builder never ran on them):
#
#   check-manifest.py FLATHUB.json LOCAL.json meson.build meson_options.txt APP_ID
#
# FLATHUB.json is the one Flathub builds: the current GNOME runtime, every
# source fetched from a fixed place (a git tag or commit, an archive with its
# sha256; no `dir`). LOCAL.json builds the working tree: it must be the same
# manifest but for the hyperlink module's source, a `dir`, so the two cannot
# drift apart. Both: the project's app id, a sandbox with what the window
# needs (and nothing broad), and only meson options the project defines.
#
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later
import copy
import json
import re
import sys

# The current stable GNOME runtime (GNOME supports the last two; 49 is out of
# support as of December 2026). Bump with each GNOME release.
CURRENT_GNOME_RUNTIME = '51'

NEEDED_ARGS = [
    '--share=network',             # peers are reached over TCP
    '--socket=wayland',
    '--socket=fallback-x11',       # X11 only where there is no Wayland
    '--device=dri',
    '--filesystem=/run/tailscale:ro',  # tailscaled's LocalAPI socket: peers on the tailnet
]
# Broad holes Flathub reviewers refuse for an app like this one.
FORBIDDEN_ARGS = re.compile(r'--(filesystem=(home|host|host-os|host-etc|~)|socket=x11$|'
                            r'socket=(session|system)-bus|talk-name=org\.freedesktop\.Flatpak|'
                            r'device=all)')

errors = []


def check_common(path, manifest, app_id, meson_options):
    def err(message):
        errors.append(f'{path}: {message}')

    if manifest.get('id', manifest.get('app-id')) != app_id:
        err(f'id is {manifest.get("id")!r}, the project uses {app_id!r}')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        err('runtime and sdk must be org.gnome.Platform / org.gnome.Sdk')
    if str(manifest.get('runtime-version')) != CURRENT_GNOME_RUNTIME:
        err(f'runtime-version is {manifest.get("runtime-version")!r}, the current GNOME '
            f'runtime is {CURRENT_GNOME_RUNTIME!r}')
    if manifest.get('command') != 'hyperlink':
        err('command must be hyperlink, the executable src/ui installs')

    finish_args = manifest.get('finish-args', [])
    for arg in NEEDED_ARGS:
        if arg not in finish_args:
            err(f'finish-args lacks {arg}')
    for arg in finish_args:
        if FORBIDDEN_ARGS.match(arg):
            err(f'finish-args has {arg}, more than the app needs')

    modules = [m for m in manifest.get('modules', []) if isinstance(m, dict)]
    names = [m.get('name') for m in modules]
    for name in ['libsodium', 'hyperlink']:
        if name not in names:
            err(f'module {name} is missing')
    if 'libsodium' in names and 'hyperlink' in names and \
            names.index('libsodium') > names.index('hyperlink'):
        err('libsodium must be built before hyperlink')

    for module in modules:
        for source in module.get('sources', []):
            if source.get('type') in ('archive', 'file'):
                if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                    err(f'{module["name"]}: {source.get("url")} has no sha256')
                if not source.get('url', '').startswith('https://'):
                    err(f'{module["name"]}: sources must be fetched over https')

    sodium = next((m for m in modules if m.get('name') == 'libsodium'), {})
    if not any('libsodium-1.0.20' in s.get('url', '') for s in sodium.get('sources', [])):
        err('libsodium must be pinned to 1.0.20')

    app = next((m for m in modules if m.get('name') == 'hyperlink'), {})
    if app.get('buildsystem') != 'meson':
        err('hyperlink must be built with meson')
    with open(meson_options, encoding='utf-8') as f:
        known = set(re.findall(r"option\(\s*'([^']+)'", f.read()))
    for opt in app.get('config-opts', []):
        m = re.fullmatch(r'-D([A-Za-z0-9_-]+)=.*', opt)
        if m and m.group(1) not in known and m.group(1) not in ('buildtype', 'prefix', 'werror'):
            err(f'config-opts passes -D{m.group(1)}, which meson_options.txt does not define')
    return app


def check_flathub_sources(path, manifest):
    for module in manifest.get('modules', []):
        for source in module.get('sources', []):
            kind = source.get('type')
            where = f'{path}: {module.get("name")}'
            if kind == 'dir':
                errors.append(f'{where}: a dir source; Flathub builds only git or archive sources')
            elif kind == 'git':
                if not source.get('url', '').startswith('https://'):
                    errors.append(f'{where}: git sources must be fetched over https')
                if not source.get('tag') and not source.get('commit'):
                    errors.append(f'{where}: a git source needs a tag or a commit')
                if source.get('branch'):
                    errors.append(f'{where}: a git branch moves; name a tag or a commit')
                if source.get('commit') and not re.fullmatch(r'[0-9a-f]{40}', source['commit']):
                    errors.append(f'{where}: commit must be 40 hex digits')


def main():
    flathub_path, local_path, meson_build, meson_options, app_id = sys.argv[1:6]
    with open(flathub_path, encoding='utf-8') as f:
        flathub = json.load(f)
    with open(local_path, encoding='utf-8') as f:
        local = json.load(f)

    app = check_common(flathub_path, flathub, app_id, meson_options)
    check_common(local_path, local, app_id, meson_options)
    check_flathub_sources(flathub_path, flathub)
    sources = app.get('sources', [])
    if len(sources) != 1 or sources[0].get('type') not in ('git', 'archive'):
        errors.append(f'{flathub_path}: the hyperlink module needs one git or archive source')
    if sources and sources[0].get('type') == 'git' and \
            not sources[0].get('url', '').endswith('/hyperlink.git'):
        errors.append(f'{flathub_path}: the git source is not the project\'s repository')

    # The local manifest is the Flathub one with the working tree as source.
    expected = copy.deepcopy(flathub)
    for module in expected.get('modules', []):
        if module.get('name') == 'hyperlink':
            module['sources'] = [{'type': 'dir', 'path': '..'}]
    if local != expected:
        errors.append(f'{local_path} differs from {flathub_path} in more than the hyperlink '
                      f'module\'s source ({{"type": "dir", "path": ".."}})')

    with open(meson_build, encoding='utf-8') as f:
        if f"app_id = '{app_id}'" not in f.read():
            errors.append('meson.build does not define the same app_id')

    for e in errors:
        print(e, file=sys.stderr)
    if not errors:
        print(f'{flathub_path} and {local_path}: runtime {CURRENT_GNOME_RUNTIME}, '
              f'{len(flathub["modules"])} modules, app id {app_id}, '
              f'source {sources[0]["type"]} {sources[0].get("tag", "")}')
    return 1 if errors else 0


sys.exit(main())
