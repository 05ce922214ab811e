#!/usr/bin/env bash
# Times `vigil triage` against the same inventory gathered by ss, lsof and ps, on this host
# with ~1,000 extra processes and ~200 extra sockets, in one hyperfine run.
# Usage: bench/triage.sh [extra-processes] [listeners] [connected-pairs]
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=${VIGIL:-./build/vigil}
PROCS=${1:-1000}
LISTENERS=${2:-100}
PAIRS=${3:-50}
OUT=bench/out
mkdir -p "$OUT"
for tool in hyperfine ss lsof ps; do command -v $tool >/dev/null || { echo "bench: needs $tool (make setup)"; exit 2; }; done
PY=/usr/bin/python3; [ -x $PY ] || PY=python3

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq "$PROCS"); do sleep 600 & pids+=($!); done
$PY bench/socket_load.py "$LISTENERS" "$PAIRS" 600 > "$OUT/socket_load.log" & pids+=($!)
for _ in $(seq 50); do grep -q holding "$OUT/socket_load.log" 2>/dev/null && break; sleep 0.1; done

nproc_now=$( (find /proc -maxdepth 1 -name "[0-9]*" 2>/dev/null || true) | wc -l)
nsock_now=$(( $(cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 | wc -l) - 4 ))
echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $nproc_now processes, $nsock_now inet sockets"

hyperfine -i -N -w 3 -r "${RUNS:-20}" --export-json "$OUT/triage.json" --export-markdown "$OUT/triage.md" \
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
