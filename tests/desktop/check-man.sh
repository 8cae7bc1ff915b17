#!/bin/sh
# check-man.sh PAGE: groff reads the page without a warning.
set -eu
out=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$1" 2>&1)
[ -z "$out" ] || { echo "$out" >&2; exit 1; }
echo "$1: no warnings"
