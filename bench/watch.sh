#!/usr/bin/env bash
# vigil watch against fail2ban-server on the same live workload, in one run (issue 26):
# a writer appends the generated auth.log (shared/workloads/gen_authlog.py, looped) at RATE
# lines/s in 100 ms bursts for SECONDS, each line stamped with the time it is written,
# rotating the log every 10 s (rename, then copytruncate, in turn). vigil watch is kill -9ed
# and restarted 5 times meanwhile; fail2ban (sshd jail, polling backend, a dummy action, no
# firewall) runs undisturbed. Printed: sustained lines/s, line-to-finding lag p50/p99, CPU and
# RSS idle and under load, and for vigil the exactness check: the brute-force sources it
# reported against `vigil logs scan` of the same stream, and duplicates (must be 0).
# RATE=100000 SECONDS_=60 by default; CPU_LIMIT (vigil's limits.cpu) 100% so the limit does
# not throttle the benchmark.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
shared=${SHARED:-$here/../../shared}
work=${WORK:-/tmp/vigil-bench}
rate=${RATE:-100000}
seconds=${SECONDS_:-60}
mkdir -p "$work"
[ -s "$work/auth.log" ] || python3 "$shared/workloads/gen_authlog.py" --out "$work/auth.log" --truth "$work/auth.truth.tsv"
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs)"
echo "workload: $work/auth.log looped, $rate lines/s for $seconds s, rotation every 10 s"

run() {  # tool, directory
  rm -rf "$2" && mkdir -p "$2"
  python3 "$here/watch_run.py" "$1" --vigil "$vigil" --source "$work/auth.log" --dir "$2" \
    --rate "$rate" --seconds "$seconds" --cpu-limit "${CPU_LIMIT:-100%}" > "$2/result.json"
}

run vigil "$work/watch-vigil"
"$vigil" logs scan "$work/watch-vigil/stream.log" --format jsonl > "$work/watch-vigil/batch.jsonl" || true
if command -v fail2ban-server >/dev/null; then run fail2ban "$work/watch-f2b"; fi

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
v = json.load(open(os.path.join(work, "watch-vigil/result.json")))
batch = set()
for line in open(os.path.join(work, "watch-vigil/batch.jsonl")):
    f = json.loads(line)
    if f["rule"]["id"] == "logs.auth-brute-force":
        batch.add(f["source"]["ip"])
got = set(v["brute_force_sources"])
rows = [v]
f2b_path = os.path.join(work, "watch-f2b/result.json")
if os.path.exists(f2b_path):
    rows.append(json.load(open(f2b_path)))
print("%-38s %10s %8s %9s %9s %9s %9s %9s %9s" % ("", "lines/s", "caught", "lag p50", "lag p99", "idle CPU",
                                              "idle RSS", "busy CPU", "peak RSS"))
for r in rows:
    print("%-38s %10d %7.1fs %7sms %7sms %8.2f%% %6.1f MB %8.1f%% %6.1f MB" % (
        r["tool"], r["lines_per_s"], r["caught_up_s"], r["lag_p50_ms"], r["lag_p99_ms"], r["idle_cpu_pct"],
        r["idle_rss_mb"], r["busy_cpu_pct"], r["peak_rss_mb"]))
print("vigil: %d lines, kill -9 at %s s, rotations %s" % (v["lines"], v["kills"], v["rotations"]))
print("vigil: lag p99 without the lines written while it was down: %s ms (max with them %s ms)"
      % (v["steady_lag_p99_ms"], v["lag_max_ms"]))
print("vigil: %d brute-force sources, batch scan of the same stream %d: %d missed, %d extra; %d duplicate findings"
      % (len(got), len(batch), len(batch - got), len(got - batch), v["duplicates"]))
if len(rows) > 1:
    f = rows[1]
    print("fail2ban: %d sources banned (%d of vigil's), caught up %.1f s after the writer started"
          % (f["bans"], len(got & set(f["banned"])), f["caught_up_s"]))
PY
