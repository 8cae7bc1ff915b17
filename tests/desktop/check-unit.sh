#!/bin/sh
# check-unit.sh UNIT.in HYPERLINKD MANDIR: `systemd-analyze --user verify` of
# hyperlinkd.service, with ExecStart= pointing at the built hyperlinkd and
# MANPATH at the built man pages, so Documentation=man:… must resolve. Any
# warning fails the test. No network-online.target (a system unit) either.
#
# Copyright 2026 The Hyperlink developers
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
unit_in=$1 daemon=$2 mandir=$3
command -v systemd-analyze >/dev/null || { echo "1..0 # SKIP no systemd-analyze"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/man/man1" "$tmp/run"
chmod 700 "$tmp/run"
cp "$mandir"/*.1 "$tmp/man/man1/"
sed "s|@bindir@/hyperlinkd|$daemon|" "$unit_in" > "$tmp/hyperlinkd.service"
if grep -nE '^(After|Wants|Requires)=.*network-online\.target' "$unit_in"; then
  echo "a user unit cannot order itself after network-online.target (a system unit)" >&2
  exit 1
fi
grep -q '^ReadWritePaths=-' "$unit_in" || { echo "ReadWritePaths= without '-' fails on a fresh account" >&2; exit 1; }
out=$(XDG_RUNTIME_DIR="$tmp/run" MANPATH="$tmp/man" systemd-analyze --user verify \
      "$tmp/hyperlinkd.service" 2>&1) || { echo "$out" >&2; exit 1; }
if [ -n "$out" ]; then
  echo "$out" >&2
  exit 1
fi
echo "systemd-analyze --user verify: clean"
