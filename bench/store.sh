#!/usr/bin/env bash
# Times `vigil snapshot`, `vigil diff` and `vigil query` on this host with ~1,000 extra
# processes and ~200 extra sockets, in one hyperfine run, and measures the store's size per
# snapshot. osquery is not packaged for Debian; its own published figure for the
# listening-ports-joined-to-processes query (about 1 s, docs/wiki/deployment/
# performance-safety.md) is the comparison.
# Usage: bench/store.sh [extra-processes] [listeners] [connected-pairs]
set -euo pipefail
cd "$(dirname "$0")/.."
DB=$(mktemp -d /tmp/vigil-bench-store.XXXXXX)
bench_cleanup() { rm -rf "$DB"; }
. bench/host_load.sh

# Store size: five snapshots into an empty store.
for _ in 1 2 3 4 5; do "$VIGIL" snapshot --db "$DB/size.db" > "$OUT/snapshot.txt"; done
rows=$(sed -n 's/.*: \([0-9]*\) rows.*/\1/p' "$OUT/snapshot.txt")
bytes=$(stat -c %s "$DB/size.db")
echo "store: $bytes bytes for 5 snapshots of $rows rows each: $((bytes / 5 / 1024)) KiB per snapshot"
"$VIGIL" snapshot --db "$DB/size.db" --files > "$OUT/snapshot-files.txt"
echo "with --files: $(cat "$OUT/snapshot-files.txt")"

# osquery's example: listening ports joined to processes. The second form also asks for the
# owning package, which costs a pass over the package database.
JOIN="SELECT s.protocol, s.local_address, s.local_port, p.pid, p.name, p.executable FROM sockets s JOIN processes p ON p.pid = s.pid WHERE s.state = 'LISTEN'"
JOINPKG="SELECT s.protocol, s.local_address, s.local_port, p.pid, p.executable, p.package FROM sockets s JOIN processes p ON p.pid = s.pid WHERE s.state = 'LISTEN'"
"$VIGIL" snapshot --db "$DB/bench.db" --name baseline > /dev/null
hyperfine -i -N -w 3 -r "${RUNS:-20}" --export-json "$OUT/store.json" --export-markdown "$OUT/store.md" \
  -n "vigil snapshot" "$VIGIL snapshot --db $DB/run.db --keep 1" \
  -n "vigil diff (baseline vs now)" "$VIGIL diff --db $DB/bench.db --format json" \
  -n "vigil snapshot + vigil diff" "bash -c '$VIGIL snapshot --db $DB/pair.db --keep 1 >/dev/null && $VIGIL diff --db $DB/pair.db >/dev/null'" \
  -n "vigil query: listening ports joined to processes (fresh)" "$VIGIL query --format json \"$JOIN\"" \
  -n "vigil query: the join with each program's package (fresh)" "$VIGIL query --format json \"$JOINPKG\"" \
  -n "vigil query: the join on a stored snapshot" "$VIGIL query --db $DB/bench.db --snapshot baseline --format json \"$JOIN\"" \
  | tee "$OUT/store.txt"
/usr/bin/time -v "$VIGIL" snapshot --db "$DB/run.db" --keep 1 2> "$OUT/time-v-snapshot.txt" > /dev/null || true
grep -E "Maximum resident|Elapsed" "$OUT/time-v-snapshot.txt"
