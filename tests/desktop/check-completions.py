#!/usr/bin/env python3
# check-completions.py HYPERLINKCTL COMPLETIONS_DIR MANPAGE: the bash, fish and
# zsh completions and the man page cover every command and option
# hyperlinkctl has. The commands are read from `hyperlinkctl --help`, the
# options from each command's --help, so this stays true as commands are
# added. bash and fish (when installed) are asked for real completions;
# zsh's file is read.
#
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import shutil
import subprocess
import sys

ctl, comp_dir, manpage = sys.argv[1:4]
GLOBAL = {'--data-dir', '--json', '--help', '--version'}
errors = []


def ctl_help(*args):
    return subprocess.run([ctl, *args, '--help'], capture_output=True, text=True,
                          check=True).stdout


def command_table():
    """{(group or '', command): {options}} from the help texts."""
    overview = ctl_help().split('Commands:\n', 1)[1].split('\n\n')[0]
    table = {}
    for line in overview.splitlines():
        words = re.split(r'\s{2,}', line.strip())[0].split()
        if len(words) > 1 and re.fullmatch(r'[a-z|]+', words[1]):
            pairs = [(words[0], c) for c in words[1].split('|')]
        else:
            pairs = [('', words[0])]
        for group, command in pairs:
            if command == 'help':
                table[('', 'help')] = set()
                continue
            text = ctl_help(*[w for w in (group, command) if w])
            options = text.split('Application Options:', 1)[-1] if 'Application Options:' in text else ''
            table[(group, command)] = set(re.findall(r'^\s+(?:-\w, )?(--[a-z-]+)', options, re.M)) - GLOBAL
    return table


def bash_complete(line, cur=''):
    script = (f'shopt -s extglob; . {comp_dir}/hyperlinkctl.bash\n'
              f'COMP_WORDS=({line} "{cur}"); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n'
              f'_hyperlinkctl; printf "%s\\n" "${{COMPREPLY[@]}}"\n')
    out = subprocess.run(['bash', '-c', script], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def fish_complete(line, cur=''):
    out = subprocess.run(['fish', '--no-config', '-c',
                          f'source {comp_dir}/hyperlinkctl.fish; complete -C "{line} {cur}"'],
                         capture_output=True, text=True, check=True).stdout
    return {l.split('\t')[0] for l in out.splitlines() if l}


def check_shell(name, complete, table):
    tops = {g or c for g, c in table}
    got = complete('hyperlinkctl')
    if got != tops:
        errors.append(f'{name}: `hyperlinkctl ` offers {sorted(got)}, hyperlinkctl has {sorted(tops)}')
    for group in {g for g, _ in table if g}:
        subs = {c for g, c in table if g == group}
        got = complete(f'hyperlinkctl {group}')
        if got != subs:
            errors.append(f'{name}: `hyperlinkctl {group} ` offers {sorted(got)}, not {sorted(subs)}')
    for (group, command), options in table.items():
        line = ' '.join(w for w in ('hyperlinkctl -d /tmp', group, command, 'X --json') if w)
        got = {o for o in complete(line, '--') if o.startswith('--')}
        missing = (options | {'--data-dir', '--json'}) - got
        if missing:
                errors.append(f'{name}: `{group} {command}` lacks {sorted(missing)}')


table = command_table()
check_shell('bash', bash_complete, table)
if shutil.which('fish'):
    check_shell('fish', fish_complete, table)
else:
    print('# fish is not installed: its completions are not run')

with open(os.path.join(comp_dir, '_hyperlinkctl'), encoding='utf-8') as f:
    zsh = f.read()
for (group, command), options in table.items():
    name = group or command
    if f"'{name}:" not in zsh:
        errors.append(f'zsh: {name} is not among the commands')
    if group and not re.search(rf'^\s+{group}\) .*\b{command}\b', zsh, re.M):
        errors.append(f'zsh: {group} {command} is not offered')
    if options:
        key = f'{group} {command}'.strip()
        m = re.search(rf"^\s+'{key}'\) opts=\((.*)\) ;;$", zsh, re.M)
        for option in options:
            if not m or f"'{option}" not in m.group(1):
                errors.append(f'zsh: {key} lacks {option}')

with open(manpage, encoding='utf-8') as f:
    man = f.read().replace('\\-', '-')
for group, command in table:
    if command != 'help' and not re.search(rf'^\.B "{" ".join(w for w in (group, command) if w)}\b', man, re.M):
        errors.append(f'{manpage} does not describe {group} {command}'.replace('  ', ' '))

for e in errors:
    print(e, file=sys.stderr)
if not errors:
    print(f'{len(table)} commands, {sum(len(o) for o in table.values())} options: '
          'bash, fish, zsh and the man page cover them all')
sys.exit(1 if errors else 0)
