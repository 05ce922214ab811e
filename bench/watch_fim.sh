#!/usr/bin/env bash
# vigil watch's live file integrity against AIDE, in one run (issue 27): a tree of FILES files
# (100 per directory, 4 KiB each) on a tmpfs mounted in a private mount namespace (the host's
# mounts are never touched), a baseline of it for each tool (the same attributes: permissions,
# inode, links, owner, group, size, mtime, ctime, SHA-256), then every file appended to by one
# writer. vigil watch (fanotify, then inotify) reports the changes as they happen: printed is
# the time from the first write until all FILES `fim.changed` findings were written, and the
# daemon's CPU. AIDE learns of them when `aide --check` runs: printed is how long that check
# takes and its CPU, and how many changed entries it lists. `vigil fim check` (the batch check)
# is timed the same way. FILES=10000 by default. Run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=$(realpath "${VIGIL:-$here/../build/vigil}")
work=${WORK:-/tmp/vigil-bench/fim-live}
files=${FILES:-10000}
if [ "${1:-}" != --inside ]; then
  command -v aide >/dev/null || { echo "bench: needs aide (make setup)"; exit 2; }
  rm -rf "$work" && mkdir -p "$work/mnt"
  echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), kernel $(uname -r); $(aide --version 2>&1 | head -1)"
  exec unshare -m --propagation private "$0" --inside
fi

mount -t tmpfs -o size=1g vigil-fim-bench "$work/mnt"
tree="$work/mnt/tree"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/fim.key"
chmod 600 "$work/fim.key"
printf '%s R\n' "$tree" > "$work/vigil.policy"
cat > "$work/aide.conf" <<CONF
database_in=file:$work/aide.db
database_out=file:$work/aide.db.new
gzip_dbout=no
report_url=stdout
VIGIL = p+i+n+u+g+s+m+c+sha256
$tree VIGIL
CONF

make_tree() {
  rm -rf "$tree"
  python3 - "$tree" "$files" <<'PY'
import os, sys
tree, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(tree, "d%03d" % (i // 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.conf" % i), "wb") as f:
        f.write(os.urandom(4096))
PY
}

change_all() {  # appends one line to every file; prints when it started and ended (ns)
  python3 - "$tree" <<'PY'
import os, sys, time
start = time.time_ns()
for root, _, names in os.walk(sys.argv[1]):
    for n in names:
        with open(os.path.join(root, n), "ab") as f:
            f.write(b"changed\n")
print(start, time.time_ns(), flush=True)
PY
}

cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }

live() {  # events mode
  make_tree
  rm -f "$work/vigil.db"*
  "$vigil" fim init --db "$work/vigil.db" --key "$work/fim.key" --policy "$work/vigil.policy" --progress never > /dev/null
  rm -rf "$work/state" "$work/out.jsonl"
  cat > "$work/w.yaml" <<YAML
state_dir: $work/state
sources:
  triage: off
  processes: off
  fim: {store: $work/vigil.db, key: $work/fim.key, events: $1}
limits:
  cpu: 100%
sinks:
  - {type: jsonl, path: $work/out.jsonl}
YAML
  "$vigil" watch --config "$work/w.yaml" 2> "$work/err-$1.txt" &
  local pid=$!
  for _ in $(seq 200); do [ -f "$work/state/status.json" ] && break; sleep 0.05; done
  sleep 0.5
  local cpu0 start done_ns n=0
  cpu0=$(cpu_of $pid)
  local writer_end
  read -r start writer_end <<< "$(change_all)"
  for _ in $(seq 1200); do
    n=$(grep -c '"fim.changed"' "$work/out.jsonl" 2>/dev/null || true)
    [ "${n:-0}" -ge "$files" ] && break
    sleep 0.05
  done
  done_ns=$(date +%s%N)
  local cpu1
  cpu1=$(cpu_of $pid)
  kill $pid; wait $pid || true
  local source
  source=$(python3 -c "import json; print(json.load(open('$work/state/status.json'))['fim']['source'])")
  printf '| vigil watch (%s) | %s of %s | %.2f s after the first write (the writer took %.2f s) | %.2f s |\n' \
    "$source" "$n" "$files" "$(echo "($done_ns - $start) / 1000000000" | bc -l)" \
    "$(echo "($writer_end - $start) / 1000000000" | bc -l)" "$(echo "($cpu1 - $cpu0) / $(getconf CLK_TCK)" | bc -l)"
}

timed() {  # label, command...: elapsed and CPU with /usr/bin/time
  local label=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt" || true
  read -r e u s <<< "$(tail -1 "$work/time.txt")"
  echo "$label $e $(echo "$u + $s" | bc -l)"
}

echo
echo "| tool | changes reported | when | CPU |"
echo "|---|---:|---:|---:|"
live fanotify
live inotify

make_tree
aide --config="$work/aide.conf" --init > /dev/null 2>&1; mv "$work/aide.db.new" "$work/aide.db"
rm -f "$work/vigil.db"*
"$vigil" fim init --db "$work/vigil.db" --key "$work/fim.key" --policy "$work/vigil.policy" --progress never > /dev/null
change_all > /dev/null
read -r _ e c <<< "$(timed aide aide --config="$work/aide.conf" --check)"
changed=$(grep -m1 -oE 'Changed entries:[[:space:]]*[0-9]+' "$work/out.txt" | grep -oE '[0-9]+$' || echo '?')
printf '| aide --check | %s of %s | when the check runs; the check takes %s s | %s s |\n' "$changed" "$files" "$e" "$c"
read -r _ e c <<< "$(timed vigil "$vigil" fim check --db "$work/vigil.db" --key "$work/fim.key" --progress never --format json)"
changed=$(python3 -c "import json; print(sum(1 for f in json.load(open('$work/out.txt'))['findings'] if f['rule']['id'] == 'fim.changed'))" 2>/dev/null || echo '?')
printf '| vigil fim check | %s of %s | when the check runs; the check takes %s s | %s s |\n' "$changed" "$files" "$e" "$c"
umount "$work/mnt"
