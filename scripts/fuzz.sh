#!/usr/bin/env bash
# make fuzz: every fuzz target under libFuzzer for FUZZ_SECONDS, starting from its regression
# inputs. A crash, leak, timeout or out-of-memory fails the run and names the reproducer; add
# that file under tests/fuzz/regressions/TARGET/ so the ctest smoke run replays it for ever.
set -uo pipefail
build=$1 seconds=$2
here=$(cd "$(dirname "$0")/.." && pwd)
out=$build/fuzz-findings
mkdir -p "$out"
failed=0
for t in "$build"/tests/fuzz/fuzz_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  corpus=$out/$name.corpus
  mkdir -p "$corpus"
  regressions=$here/tests/fuzz/regressions/$name
  [ -d "$regressions" ] || regressions=
  log=$out/$name.log
  if "$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$out/$name-" \
      "$corpus" $regressions >"$log" 2>&1; then
    echo "== $name: $(tail -n 1 "$log")"
  else
    failed=1
    echo "== $name: FAILED (log $log)"
    grep -E "^==[0-9]+==|ERROR|SUMMARY" "$log" | head -n 5
    for f in "$out/$name"-*; do [ -f "$f" ] && echo "   reproducer: $f (copy it to tests/fuzz/regressions/$name/)"; done
  fi
done
exit $failed
