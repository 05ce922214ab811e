#!/usr/bin/env bash
# vigil scan against the yara command line tool (the same libyara 4.2), in one run: the
# bundled rules (rules/yara) over the same tree, yara -p N -r with every rule file, vigil
# scan --jobs N; each run alternately (bench/alternate.py: median wall and CPU of both).
#   YARA_TREE=DIR  the tree to scan (default: /usr/lib/x86_64-linux-gnu, read in place: a scan
#                  writes nothing; give a copy of /usr for the FIM tree). One directory: the yara
#                  tool takes one target.
# yara has no size cap: vigil gets --max-size 1 TiB so both read every file.
# yara defines no filename per file; both get -d/--rules with the same rules, and vigil's
# renamed-netcat rule (which tests filename) may match differently: the figure is the time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
"$here/../scripts/setup-deps.sh" "$here/../deps/bench-packages.txt"
jobs=$(nproc)
tree=("${YARA_TREE:-/usr/lib/x86_64-linux-gnu}")
rules=("$here"/../rules/yara/*.yar)
echo "machine: $jobs cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); $(yara --version | sed 's/^/yara /')"
echo "tree: ${tree[*]}: $(find "${tree[@]}" -xdev -type f | wc -l) files, $(du -sch "${tree[@]}" 2>/dev/null | tail -1 | cut -f1)"
find "${tree[@]}" -xdev -type f -exec cat {} + > /dev/null 2>&1 || true  # warm the page cache for both
defines=(-d filename= -d filepath= -d extension= -d filetype= -d owner=)
python3 "$here/alternate.py" 5 "yara -p $jobs -r -N" "vigil scan --jobs $jobs" -- \
  yara -p "$jobs" -r -N -w "${defines[@]}" "${rules[@]}" "${tree[@]}" -- \
  "$vigil" scan --jobs "$jobs" --max-size 1048576 --format jsonl "${tree[@]}"
yara -p "$jobs" -r -N -w "${defines[@]}" "${rules[@]}" "${tree[@]}" | awk '{print $1}' | sort | uniq -c | sed 's/^/  yara matches: /'
"$vigil" scan --jobs "$jobs" --format jsonl "${tree[@]}" | python3 -c '
import json, sys, collections
c = collections.Counter(json.loads(l)["rule"]["id"] for l in sys.stdin if l.strip())
print("  vigil findings:", dict(c) or "none")'
# Every process's memory on this host (the target is under 2 s).
procs=$(ls -d /proc/[0-9]* | wc -l)
python3 - "$vigil" "$procs" <<'PY'
import statistics, subprocess, sys, time
times = []
for _ in range(5):
    t0 = time.monotonic()
    out = subprocess.run([sys.argv[1], "scan", "--pids", "all", "--quiet"], capture_output=True, text=True).stdout
    times.append(time.monotonic() - t0)
line = next((l for l in out.splitlines() if "scanned" in l), "")
print("vigil scan --pids all (%s processes): median %.2f s of 5; %s" % (sys.argv[2], statistics.median(times), line.split("scanned ")[-1]))
PY
