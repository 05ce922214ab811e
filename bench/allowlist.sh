#!/usr/bin/env bash
# vigil allowlist: the list of this host's packages built and checked, and what enforcement
# costs each execution. The exec loop runs inside a mount namespace made here (unshare -m,
# private propagation): fanotify marks sit on that namespace's mounts only, the host's own
# executions are never judged. Per mode (none, --audit, --deny with the full list) the same
# loop of N executions of /usr/bin/true (bash builtins otherwise), R rounds alternating; the
# figure is the median per execution and vigil's own decision time (request read to answer
# written) as it reports on exit.
#   N=3000 R=5 bench/allowlist.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
n=${N:-3000}
rounds=${R:-5}
work=$(mktemp -d /tmp/vigil-bench-allow-XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); kernel $(uname -r)"
# 500 copies of /usr/bin/true under their own paths: each is a first decision (hashed) per round.
mkdir -p "$work/progs"
for i in $(seq 500); do cp /usr/bin/true "$work/progs/t$i"; done
/usr/bin/time -f "build: %e s wall, %M KiB max RSS" "$vigil" allowlist build --list "$work/list" --key "$work/key" \
  --add "$work/progs" | head -1
/usr/bin/time -f "check: %e s wall, %M KiB max RSS" "$vigil" allowlist check --list "$work/list" --key "$work/key" \
  --format jsonl --fail-on none > "$work/check.jsonl"
python3 - "$work/check.jsonl" <<'PY'
import collections, json, sys
c = collections.Counter()
for l in open(sys.argv[1]):
    if l.strip():
        f = json.loads(l)
        c[(f["rule"]["id"], f["vigil"]["severity"])] += 1
print("check findings:", ", ".join("%s %s: %d" % (r, s, k) for (r, s), k in sorted(c.items())) or "none")
PY
cat > "$work/inner.sh" <<INNER
set -u
for round in \$(seq $rounds); do
  for mode in none audit deny; do
    if [ \$mode != none ]; then
      "$vigil" allowlist enforce --\$mode --for 10m --list $work/list --key $work/key --format jsonl \\
        > $work/out.\$mode.\$round 2> $work/err.\$mode.\$round &
      pid=\$!
      until grep -q ready $work/err.\$mode.\$round 2>/dev/null; do sleep 0.05; done
    fi
    /usr/bin/true   # the first execution hashes the file; the loop measures the steady state
    start=\$EPOCHREALTIME
    for ((i = 0; i < $n; i++)); do /usr/bin/true; done
    end=\$EPOCHREALTIME
    echo "\$mode \$start \$end $n" >> $work/times
    start=\$EPOCHREALTIME
    for ((i = 1; i <= 500; i++)); do $work/progs/t\$i; done
    end=\$EPOCHREALTIME
    echo "first-\$mode \$start \$end 500" >> $work/times
    if [ \$mode != none ]; then kill -TERM \$pid; wait \$pid; fi
  done
done
INNER
unshare -m --propagation private bash "$work/inner.sh"
python3 - "$work" "$n" <<'PY'
import glob, re, statistics, sys
work, n = sys.argv[1], int(sys.argv[2])
per = {}
for line in open(work + "/times"):
    mode, a, b, k = line.split()
    per.setdefault(mode, []).append((float(b) - float(a)) / int(k) * 1e6)
for prefix, what in (("", "the same program again (/usr/bin/true, %d times)" % n),
                     ("first-", "a program's first execution (500 copies of true, each hashed once)")):
    base = statistics.median(per[prefix + "none"])
    print("per execution, %s, median of %d rounds:" % (what, len(per[prefix + "none"])))
    for mode in ("none", "audit", "deny"):
        m = statistics.median(per[prefix + mode])
        print("  %-6s %7.1f µs  (+%.1f µs)" % (mode, m, m - base))
for mode in ("audit", "deny"):
    med, p99 = [], []
    for f in sorted(glob.glob("%s/err.%s.*" % (work, mode))):
        s = open(f).read()
        m = re.search(r"decision time median ([\d.]+) µs, p99 ([\d.]+) µs", s)
        if m:
            med.append(float(m.group(1)))
            p99.append(float(m.group(2)))
    print("  vigil's decision time, %s: median %.1f µs, p99 %.1f µs (medians over rounds)" %
          (mode, statistics.median(med), statistics.median(p99)))
    outs = sum(1 for f in glob.glob("%s/out.%s.*" % (work, mode)) for l in open(f) if l.strip())
    print("  findings while %s ran: %d" % (mode, outs))
PY
