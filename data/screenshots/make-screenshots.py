#!/usr/bin/env python3
# make-screenshots.py: the metainfo screenshots, taken from the real window.
#
#   xvfb-run -a -s "-screen 0 1280x800x24" data/screenshots/make-screenshots.py _build [NAME.png…]
#
# With names, only those are taken (invite.png, the Invite a Friend dialog,
# is taken only when named: the metainfo does not show it).
#
# Builds a small demo forum (four subnets, a few authors, times in the last
# hour; events signed by tests/hl-test-forge, imported with hyperlinkctl), has
# two hyperlinkd peers on loopback hold the same forum, and runs
# `hyperlink --screenshot` on it for each picture, so the header bar shows
# the window's own node in sync with them.
#
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '_build')
wanted = sys.argv[2:]
here = os.path.dirname(os.path.abspath(__file__))
ctl = os.path.join(build, 'src/ctl/hyperlinkctl')
daemon = os.path.join(build, 'src/daemon/hyperlinkd')
forge = os.path.join(build, 'tests/hl-test-forge')
app = os.path.join(build, 'src/ui/hyperlink')
now = int(time.time() * 1000)
minute = 60 * 1000

work = tempfile.mkdtemp(prefix='hl-shots-')
events = []


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout.strip()


def author(name):
    d = os.path.join(work, 'keys', name.split()[0].lower())
    run(ctl, '--data-dir', d, 'init', '--name', name)
    return os.path.join(d, 'identity.key')


def sign(key, kind, ago_min, body, ref=None):
    args = [forge, '--key', key, '--kind', kind, '--ts', str(now - int(ago_min * minute)),
            '--body', json.dumps(body)]
    if ref:
        args += ['--ref', ref]
    line = run(*args)
    events.append(line)
    return json.loads(line)['id']


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


me = os.path.join(work, 'me')
run(ctl, '--data-dir', me, 'init', '--name', 'Robin')
mine = os.path.join(me, 'identity.key')
ada, sam, bo = author('Ada Lindqvist'), author('Sam'), author('Bo Okafor')
for key, name in ((ada, 'Ada Lindqvist'), (sam, 'Sam'), (bo, 'Bo Okafor')):
    sign(key, 'profile', 90, {'name': name})

home = sign(ada, 'subnet.create', 80, {'name': 'Home Lab', 'description': 'Servers, networks and the odd Raspberry Pi'})
gnome = sign(sam, 'subnet.create', 80, {'name': 'GNOME Desktop', 'description': 'Extensions, themes, tips'})
cook = sign(bo, 'subnet.create', 80, {'name': 'Cooking', 'description': 'What is for dinner'})
sign(ada, 'subnet.create', 80, {'name': 'Bicycles', 'description': 'Rides and repairs'})
sign(sam, 'thread.create', 70, {'title': 'Dark style for legacy apps?', 'body': 'Is there a way without a theme?'}, gnome)
sign(bo, 'thread.create', 65, {'title': 'Sourdough starter went quiet', 'body': 'Two weeks old, barely rises.'}, cook)

for ago, key, title, body in (
        (48, ada, 'ZFS or btrfs for a two-disk mirror?', 'Mostly photos and backups.'),
        (47, bo, 'UPS recommendations', 'Something quiet for a closet rack.'),
        (46, ada, 'Show your rack: winter edition', 'Post a picture of your setup.'),
        (44, sam, 'Wake-on-LAN across VLANs', 'The magic packet never makes it past the router.')):
    sign(key, 'thread.create', ago, {'title': title, 'body': body}, home)
nas = sign(ada, 'thread.create', 40, {'title': 'Which NAS for a quiet office?', 'body': 'Two bays are enough.'}, home)
sign(sam, 'reply.create', 35, {'body': 'Anything with a fanless case; the disks make the noise.'}, nas)
sign(bo, 'reply.create', 33, {'body': 'I run a two-bay one under my desk and never hear it.'}, nas)
pi = sign(bo, 'thread.create', 38, {'title': 'Tailscale subnet router on a Pi 4',
                                    'body': 'Works well, but how do you keep the Pi from reconnecting every night?'}, home)
sign(sam, 'reply.create', 34, {'body': 'A cron job that restarts tailscaled at 4 am hides it, but the real fix '
                                       'was turning off USB autosuspend.'}, pi)
sign(ada, 'reply.create', 31, {'body': 'Same here. Also pin the Pi\'s address in your router, it helps after reboots.'}, pi)
sign(bo, 'reply.create', 29, {'body': 'Thanks both, autosuspend it was. Three days without a drop now.'}, pi)
sign(ada, 'thread.create', 6, {'title': 'Cheap 10 GbE switches?', 'body': 'Four ports would do.'}, home)
sign(mine, 'profile', 85, {'name': 'Robin'})

feed = os.path.join(work, 'demo.jsonl')
with open(feed, 'w') as f:
    f.write('\n'.join(events) + '\n')

peers = []
procs = []
for name in ('nas', 'laptop'):
    d = os.path.join(work, name)
    run(ctl, '--data-dir', d, 'init', '--name', name)
    run(ctl, '--data-dir', d, 'import', feed)
    port = free_port()
    procs.append(subprocess.Popen([daemon, '--data-dir', d, '--listen', f'127.0.0.1:{port}'],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    peers.append(f'ws://127.0.0.1:{port}')
run(ctl, '--data-dir', me, 'import', feed)
for p in peers:
    run(ctl, '--data-dir', me, 'peer', 'add', p)

env = dict(os.environ, GSETTINGS_BACKEND='memory', GSETTINGS_SCHEMA_DIR=os.path.join(build, 'data'),
           NO_AT_BRIDGE='1', GTK_A11Y='none', GSK_RENDERER='cairo',
           HYPERLINK_LISTEN='127.0.0.1:0', HYPERLINK_SYNC_STATUS_MS='200')
try:
    for shot, pane, width in (('browse.png', 'posts', 0), ('compose.png', 'compose', 0),
                              ('search.png', 'search', 0), ('narrow.png', 'posts', 390),
                              ('peers.png', 'peers', 0), ('invite.png', 'invite', 0)):
        if (wanted and shot not in wanted) or (not wanted and shot == 'invite.png'):
            continue
        args = [app, '--data-dir', me, '--screenshot', os.path.join(here, shot),
                '--screenshot-pane', pane]
        if width:
            args += ['--screenshot-width', str(width)]
        subprocess.run(args, check=True, env=env, stderr=subprocess.DEVNULL)
finally:
    for p in procs:
        p.send_signal(signal.SIGTERM)
        p.wait()
    shutil.rmtree(work)
