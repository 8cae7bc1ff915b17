#!/bin/sh
# Exercises rqtool's command-line contract: formats, exit codes, --time.
#   test-rqtool.sh RQTOOL
set -u
RQ=$1
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=0
fail=0
check () {  # check NAME EXPECTED-STATUS COMMAND...
  name=$1; want=$2; shift 2
  n=$((n + 1))
  "$@" >"$W/out" 2>"$W/err"
  got=$?
  if [ "$got" -eq "$want" ]; then
    echo "ok $n - $name"
  else
    echo "not ok $n - $name (exit $got, expected $want)"
    sed 's/^/# /' "$W/err"
    fail=1
  fi
}

head -c 100003 /dev/urandom >"$W/in"
check "encode" 0 "$RQ" encode "$W/in" "$W/enc" 1000 10
# OTI + 101 source + 10 repair packets of 4 + 1000 bytes.
check "encoded size" 0 test "$(wc -c <"$W/enc")" -eq $((12 + 111 * 1004))
check "decode" 0 "$RQ" decode "$W/enc" "$W/out1"
check "decoded bytes" 0 cmp "$W/in" "$W/out1"
check "encode repair only, Z N Al" 0 "$RQ" encode --z 2 --n 4 --al 4 --no-source "$W/in" "$W/enc2" 1000 60
check "encoded size (repair only)" 0 test "$(wc -c <"$W/enc2")" -eq $((12 + 120 * 1004))
check "decode repair only" 0 "$RQ" decode "$W/enc2" "$W/out2"
check "decoded bytes (repair only)" 0 cmp "$W/in" "$W/out2"
# Packets in reverse order decode too: reverse the 1004-byte records.
head -c 12 "$W/enc" >"$W/rev"
i=110
while [ $i -ge 0 ]; do
  tail -c +$((13 + i * 1004)) "$W/enc" | head -c 1004 >>"$W/rev"
  i=$((i - 1))
done
check "decode reversed order" 0 "$RQ" decode "$W/rev" "$W/out3"
check "decoded bytes (reversed)" 0 cmp "$W/in" "$W/out3"
check "encode too few repair" 0 "$RQ" encode --no-source "$W/in" "$W/enc4" 1000 50
check "not decodable -> 1" 1 "$RQ" decode "$W/enc4" "$W/out4"
check "timed encode" 0 "$RQ" encode --time --repeat 3 "$W/in" "$W/enc5" 1000 10
cp "$W/err" "$W/time1"
check "timed encode prints JSON" 0 grep -q '^{"op":"encode",.*"ms":[0-9.]*,"mbps":[0-9.]*}$' "$W/time1"
check "timed decode" 0 "$RQ" decode --time --repeat 2 "$W/enc5" "$W/out5"
cp "$W/err" "$W/time2"
check "timed decode prints JSON" 0 grep -q '^{"op":"decode",.*"mbps":' "$W/time2"
check "no arguments -> 2" 2 "$RQ"
check "unknown command -> 2" 2 "$RQ" frobnicate
check "bad T -> 2" 2 "$RQ" encode "$W/in" "$W/x" 0 1
check "T not a number -> 2" 2 "$RQ" encode "$W/in" "$W/x" ten 1
check "unknown option -> 2" 2 "$RQ" encode --bogus "$W/in" "$W/x" 100 1
check "T % Al != 0 -> 2" 2 "$RQ" encode --al 8 "$W/in" "$W/x" 1001 1
check "N > T/Al -> 2" 2 "$RQ" encode --n 300 "$W/in" "$W/x" 256 1
check "too many symbols per block -> 2" 2 "$RQ" encode --z 1 "$W/in" "$W/x" 1 1
check "missing input -> 2" 2 "$RQ" decode "$W/does-not-exist" "$W/x"
head -c 11 "$W/enc" >"$W/short"
check "truncated OTI -> 2" 2 "$RQ" decode "$W/short" "$W/x"
head -c 2000 "$W/enc" >"$W/trunc"
check "partial packet -> 2" 2 "$RQ" decode "$W/trunc" "$W/x"
printf '\000\000\000\000\000\000\000\000\000\000\000\000' >"$W/zero"
check "impossible OTI -> 2" 2 "$RQ" decode "$W/zero" "$W/x"
echo "1..$n"
exit $fail
