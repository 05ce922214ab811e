#!/usr/bin/env bash
# vigil logs scan against its peers on the same generated workloads, in one run:
#   auth log (1M lines):   fail2ban-regex with the sshd filter
#   access log (1M lines): grep -ciE with 8 attack patterns (finds no encoded attack)
# Prints medians of 5 runs (fail2ban: 1 run, it takes half a minute) and peak memory.
# VIGIL_BASE=/path/to/an/older/vigil measures that build beside this one (a regression check).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
shared=${SHARED:-$here/../../shared}
work=${WORK:-/tmp/vigil-bench}
mkdir -p "$work"
[ -s "$work/auth.log" ] || python3 "$shared/workloads/gen_authlog.py" --out "$work/auth.log" --truth "$work/auth.truth.tsv"
[ -s "$work/access.log" ] || python3 "$shared/workloads/gen_accesslog.py" --out "$work/access.log" \
  --truth "$work/access.truth.tsv" --labels "$work/access.labels"
sigma_web="$shared/corpus/sigma/rules/web"

source "$here/measure.sh"

echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs)"
echo "auth log: $(wc -l < "$work/auth.log") lines, $(du -m "$work/auth.log" | cut -f1) MB"
[ -z "${VIGIL_BASE:-}" ] || measure "vigil (VIGIL_BASE) logs scan auth.log" 5 "$VIGIL_BASE" logs scan "$work/auth.log" --format jsonl
measure "vigil logs scan auth.log" 5 "$vigil" logs scan "$work/auth.log" --format jsonl
v=$(cat "$work/last.txt")
if command -v fail2ban-regex >/dev/null; then
  measure "fail2ban-regex auth.log sshd" 1 fail2ban-regex "$work/auth.log" /etc/fail2ban/filter.d/sshd.conf
  f=$(cat "$work/last.txt")
  awk -v f="$f" -v v="$v" 'BEGIN {printf "  vigil is %.0fx faster than fail2ban-regex\n", f / v}'
fi
echo "access log: $(wc -l < "$work/access.log") lines, $(du -m "$work/access.log" | cut -f1) MB"
measure "grep -ciE 8 attack patterns" 5 grep -ciE \
  'cmd\.exe|root\.exe|\.\./|etc/passwd|union select|<script|jndi|default\.ida' "$work/access.log"
g=$(cat "$work/last.txt")
measure "vigil logs scan access.log (built-ins)" 5 "$vigil" logs scan "$work/access.log" --format jsonl
[ -z "${VIGIL_BASE:-}" ] || measure "vigil (VIGIL_BASE) access.log (+ SigmaHQ web)" 5 "$VIGIL_BASE" logs scan \
  "$work/access.log" --rules "$sigma_web" --format jsonl
measure "vigil logs scan access.log (+ SigmaHQ web)" 5 "$vigil" logs scan "$work/access.log" --rules "$sigma_web" --format jsonl
v=$(cat "$work/last.txt")
awk -v g="$g" -v v="$v" 'BEGIN {printf "  vigil with SigmaHQ web rules takes %.1fx grep'"'"'s time\n", v / g}'
