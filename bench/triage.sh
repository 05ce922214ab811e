#!/usr/bin/env bash
# Times `vigil triage` against the same inventory gathered by ss, lsof and ps, on this host
# with ~1,000 extra processes and ~200 extra sockets, in one hyperfine run.
# Usage: [BASE_VIGIL=older/vigil] bench/triage.sh [extra-processes] [listeners] [connected-pairs]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in ss lsof ps; do command -v $tool >/dev/null || { echo "bench: needs $tool (make setup)"; exit 2; }; done
. bench/host_load.sh

# BASE_VIGIL=path/to/an/older/vigil adds that build's triage beside this one, in the same run.
base=()
if [ -n "${BASE_VIGIL:-}" ]; then
  base=(-n "base: vigil triage --quick (json)" "$BASE_VIGIL triage --quick --format json --no-suppress"
        -n "base: vigil triage (full)" "$BASE_VIGIL triage --format json --no-suppress")
fi

hyperfine -i -N -w 3 -r "${RUNS:-20}" --export-json "$OUT/triage.json" --export-markdown "$OUT/triage.md" \
  "${base[@]}" \
  -n "vigil triage --quick (json)" "$VIGIL triage --quick --format json --no-suppress" \
  -n "vigil triage --quick (text)" "$VIGIL triage --quick --no-suppress --color never" \
  -n "vigil triage (full: + port sweep, file walks, package checks)" "$VIGIL triage --format json --no-suppress" \
  -n "ss -tulpn" "ss -tulpn" \
  -n "lsof -i -n -P" "lsof -i -n -P" \
  -n "ps -eo pid,ppid,user,lstart,args" "ps -eo pid,ppid,user,lstart,args" \
  -n "ss + lsof + ps (the manual inventory)" "bash -c 'ss -tulpn; lsof -i -n -P; ps -eo pid,ppid,user,lstart,args'" \
  | tee "$OUT/triage.txt"
/usr/bin/time -v "$VIGIL" triage --quick --format json --no-suppress 2> "$OUT/time-v.txt" > /dev/null || true
grep -E "Maximum resident|Elapsed" "$OUT/time-v.txt"
