#!/usr/bin/env bash
# Logins after brute force, judged per (source, host) in event time (issue 29): nine hosts'
# sshd logs (bench/gen_sshhosts.py), once concatenated host after host and once interleaved
# by time; per class the (source, host) pairs vigil reports with a login-after finding.
# Every fast_then_in and slow_then_in pair should be reported, once; no other pair.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
work=${WORK:-/tmp/vigil-bench}/login-after
mkdir -p "$work"
python3 "$here/gen_sshhosts.py" --out "$work"
for order in concatenated interleaved; do
  python3 "$here/sshhosts_eval.py" "$vigil" "$work/$order.log" "$work/truth.tsv" --name "$order ($(wc -l < "$work/$order.log") lines):"
done
