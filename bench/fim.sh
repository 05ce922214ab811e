#!/usr/bin/env bash
# vigil fim against AIDE on the same tree, in one run: a copy of /usr (~160,000 entries),
# the same attributes (type, permissions, owner, group, size, inode, links, mtime, ctime,
# ACLs, xattrs, capabilities and SHA-256), both using every core. Floors: reading every
# file (cat) and hashing every file (openssl dgst), both through xargs -P<cores>.
# Page cache warm for everyone (the first run of each warms it). Run as root.
# Usage: bench/fim.sh   (FIM_BENCH_DIR to place the copy, KEEP=1 to keep it, RUNS=3)
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=$(realpath "${VIGIL:-./build/vigil}")
RUNS=${RUNS:-3}
CORES=$(nproc)
WORK=${FIM_BENCH_DIR:-/var/cache/vigil-fim-bench}
OUT=bench/out
mkdir -p "$OUT" "$WORK"
for tool in aide hyperfine openssl; do command -v $tool >/dev/null || { echo "bench: needs $tool (make setup)"; exit 2; }; done
# The copy holds setuid programs: removed afterwards so no later scan mistakes it for a plant.
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

if [ ! -d "$WORK/tree/usr" ]; then
  mkdir -p "$WORK/tree"
  cp -a /usr "$WORK/tree/"
fi
entries=$(find "$WORK/tree" | wc -l)
bytes=$(du -sb "$WORK/tree" | cut -f1)
echo "host: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); tree: $entries entries, $((bytes / 1048576)) MiB; $(aide --version 2>&1 | head -1)"

cat > "$WORK/aide.conf" <<CONF
database_in=file:$WORK/aide.db
database_out=file:$WORK/aide.db.new
gzip_dbout=no
report_url=stdout
num_workers=$CORES
VIGIL = p+i+n+u+g+s+m+c+acl+xattrs+caps+sha256
$WORK/tree VIGIL
CONF
printf '/ R\n' > "$WORK/vigil.policy"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/fim.key"

aide_init="aide --config=$WORK/aide.conf --init"
aide_check="aide --config=$WORK/aide.conf --check"
vigil_init="$VIGIL fim init --root $WORK/tree --db $WORK/vigil-init.db --key $WORK/fim.key --policy $WORK/vigil.policy --jobs $CORES --progress never"
vigil_check="$VIGIL fim check --root $WORK/tree --db $WORK/vigil.db --key $WORK/fim.key --jobs $CORES --progress never --format json"

# Baselines for the checks, made once.
$aide_init > /dev/null; mv "$WORK/aide.db.new" "$WORK/aide.db"
$VIGIL fim init --root "$WORK/tree" --db "$WORK/vigil.db" --key "$WORK/fim.key" --policy "$WORK/vigil.policy" --progress never

hyperfine -i -w 1 -r "$RUNS" --export-json "$OUT/fim.json" --export-markdown "$OUT/fim.md" \
  --prepare "rm -f $WORK/vigil-init.db $WORK/vigil-init.db-wal $WORK/vigil-init.db-shm $WORK/aide.db.new" \
  -n "floor: find | xargs -0 -P$CORES cat" "bash -c 'find $WORK/tree -type f -print0 | xargs -0 -P$CORES cat > /dev/null'" \
  -n "floor: find | xargs -0 -P$CORES openssl dgst -sha256" "bash -c 'find $WORK/tree -type f -print0 | xargs -0 -P$CORES openssl dgst -sha256 > /dev/null'" \
  -n "aide --init (--workers $CORES)" "$aide_init" \
  -n "aide --check" "$aide_check" \
  -n "vigil fim init" "$vigil_init" \
  -n "vigil fim check" "$vigil_check" \
  | tee "$OUT/fim.txt"

for name in aide_init aide_check vigil_init vigil_check; do
  rm -f "$WORK/vigil-init.db"* "$WORK/aide.db.new"
  /usr/bin/time -v ${!name} > /dev/null 2> "$OUT/time-v-$name.txt" || true
  echo "$name: $(grep -E 'Maximum resident' "$OUT/time-v-$name.txt" | xargs), $(grep -E 'Elapsed' "$OUT/time-v-$name.txt" | awk '{print $NF}')"
done
