#!/usr/bin/env bash
# vigil audit against its peers on this machine, in one run:
#   hardening audit: lynis audit system --quick (time, tests performed) against vigil audit with its
#                    default policy, and with the CIS Debian 12 policy from ../shared added
#   passwords:       john --wordlist --format=crypt (libxcrypt, OpenMP on every core) against
#                    vigil audit passwords on the same hashes and the same wordlist
# Prints medians of 3 runs (lynis: 3 runs of about a minute), peak memory, candidates per second.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
shared=${SHARED:-$here/../../shared}
work=${WORK:-/tmp/vigil-bench-audit}
wordlist=/usr/share/john/password.lst
mkdir -p "$work"

source "$here/measure.sh"

part=${1:-all}  # all, or "passwords" for the password part alone
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs)"
if [ "$part" != passwords ]; then
echo "== hardening audit"
measure "vigil audit (default policy)" 3 "$vigil" audit --format json
v=$(cat "$work/last.txt")
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["summary"]; print("  checks: %d (%d passed, %d failed, %d not applicable), score %s%%" % (s["passed"]+s["failed"]+s["not_applicable"], s["passed"], s["failed"], s["not_applicable"], s["score"]))' "$work/out.txt"
cis="$shared/corpus/wazuh/ruleset/sca/debian/cis_debian12.yml"
if [ -f "$cis" ]; then
  measure "vigil audit (default + CIS Debian 12, commands run)" 3 "$vigil" audit --policy default --policy "$cis" --format json
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["summary"]; print("  checks: %d (%d passed, %d failed, %d not applicable)" % (s["passed"]+s["failed"]+s["not_applicable"], s["passed"], s["failed"], s["not_applicable"]))' "$work/out.txt"
fi
if command -v lynis >/dev/null; then
  measure "lynis audit system --quick" 3 lynis audit system --quick --no-colors --no-log
  l=$(cat "$work/last.txt")
  grep -E "Tests performed|Hardening index" "$work/out.txt" | sed 's/^ */  lynis /'
  awk -v l="$l" -v v="$v" 'BEGIN {printf "  vigil (default policy) is %.0fx faster than lynis\n", l / v}'
fi

fi
echo "== passwords (wordlist: $(grep -v '^#!comment' $wordlist | grep -vc '^$') words)"
# Hashes nobody will find, so both try every word: john and vigil do the same work.
for scheme in sha512crypt yescrypt; do
  n=4; [ $scheme = yescrypt ] && n=2
  : > "$work/$scheme.john"; mkdir -p "$work/$scheme/etc"; : > "$work/$scheme/etc/shadow"; : > "$work/$scheme/etc/passwd"
  for i in $(seq $n); do
    h=$(mkpasswd -m $scheme "bench-not-a-word-$i-$RANDOM")
    echo "u$i:$h" >> "$work/$scheme.john"
    echo "u$i:$h:19000:0:90:7:::" >> "$work/$scheme/etc/shadow"
    echo "u$i:x:$((1000 + i)):$((1000 + i))::/home/u$i:/bin/bash" >> "$work/$scheme/etc/passwd"
  done
  candidates=$(( $(grep -v '^#!comment' $wordlist | grep -vc '^$') * n ))
  measure "vigil audit passwords ($n $scheme)" 3 "$vigil" audit passwords --root "$work/$scheme" --no-variants
  vt=$(cat "$work/last.txt")
  if command -v john >/dev/null; then
    rm -rf "$work/john-home"; mkdir -p "$work/john-home"  # a fresh john.pot: nothing already cracked
    measure "john --wordlist --format=crypt ($n $scheme)" 3 env HOME="$work/john-home" john --wordlist=$wordlist --format=crypt "$work/$scheme.john"
    jt=$(cat "$work/last.txt")
    awk -v c="$candidates" -v v="$vt" -v j="$jt" -v p="$(nproc)" 'BEGIN {
      printf "  candidates/s: vigil %.0f (%.0f per core), john %.0f (%.0f per core): vigil/john %.2f\n", c / v, c / v / p, c / j, c / j / p, j / v }'
  fi
done
