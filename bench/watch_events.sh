#!/usr/bin/env bash
# vigil watch's process events against auditd and bpftrace's execsnoop on the same exec storm,
# in one run (issue 27): two drivers (bench/exec_storm.c) start a tiny static program from /tmp
# at RATE processes/s in all for SECONDS, each with a numbered argument; each tool's output is
# followed and every started process looked for in it. Printed per tool: processes started,
# seen, missed, start-to-report latency p50/p99, the tool's CPU (for auditd including the
# kernel's kauditd thread), and the rate the storm reached (the machine's ceiling with no tool;
# a tool that costs the system more slows the storm). vigil runs twice: BPF and the proc
# connector. RATE=5000 SECONDS_=30 by default; TOOLS picks some of none, vigil-bpf,
# vigil-connector, auditd, execsnoop. auditd and bpftrace come from
# deps/bench-packages.txt, installed here (auditd is started only by this script, with its own
# log file; its rules are deleted and auditing switched off again at the end).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
work=${WORK:-/tmp/vigil-bench/events}
rate=${RATE:-5000}
seconds=${SECONDS_:-30}
"$here/../scripts/setup-deps.sh" "$here/../deps/bench-packages.txt"
mkdir -p "$work"
cc -O2 -o "$work/exec_storm" "$here/exec_storm.c"
printf 'int main(void) { return 0; }\n' > "$work/tiny.c"
cc -O2 -static -o "$work/storm" "$work/tiny.c"
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), kernel $(uname -r)"
echo "storm: $rate processes/s asked for $seconds s, 2 drivers, program $work/storm (static, in /tmp)"

run() {  # name, tool, extra arguments
  local dir="$work/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  python3 "$here/watch_events_run.py" "$2" --vigil "$vigil" --program "$work/storm" --dir "$dir" \
    --rate "$rate" --seconds "$seconds" "${@:3}" > "$dir/result.json"
  echo "$1: $(cat "$dir/result.json")"
}

for name in ${TOOLS:-none vigil-bpf vigil-connector auditd execsnoop}; do
  case $name in
    none) run none none ;;
    vigil-bpf) run vigil-bpf vigil --processes bpf ;;
    vigil-connector) run vigil-connector vigil --processes connector ;;
    auditd) command -v auditd >/dev/null && run auditd auditd ;;
    execsnoop) command -v bpftrace >/dev/null && run execsnoop execsnoop ;;
  esac
done

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
rows = []
for name in ["none", "vigil-bpf", "vigil-connector", "auditd", "execsnoop"]:
    p = os.path.join(work, name, "result.json")
    if os.path.exists(p):
        rows.append((name, json.load(open(p))))
print("\n| tool | started | seen | missed | latency p50 / p99 (ms) | tool CPU (% of a core) | storm reached (/s) |")
print("|---|---|---|---|---|---|---|")
for name, r in rows:
    if "seen" not in r:
        print("| %s | %d | - | - | - | - | %d |" % (name, r["started"], r["rate_reached"]))
        continue
    print("| %s | %d | %d | %d | %s / %s | %.1f | %d |" % (name, r["started"], r["seen"], r["missed"],
          r["latency_ms_p50"], r["latency_ms_p99"], r["cpu_percent_of_core"], r["rate_reached"]))
for name, r in rows:
    if "status" in r:
        print("%s --status processes: %s" % (name, json.dumps(r["status"])))
PY
