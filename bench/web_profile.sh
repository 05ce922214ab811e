#!/usr/bin/env bash
# Learned web profiles (issue 29): what signatures alone and signatures with a learned profile
# flag, per attack class, and what they flag of normal traffic; then what a profile costs.
#   1. A generated web shop (bench/gen_webshop.py): learned from train.log (normal traffic with
#      0.2 % attacks mixed in), judged on test.log (held-out normal traffic and 13 classes of
#      attack requests, labelled per line).
#   2. Real traffic, all of it benign or nearly: the elastic-examples Apache log (learned from
#      its first 5,000 lines, judged on the last 5,000) and the two days of secrepo.com logs in
#      slrbl-webhawk (learned from one day, judged on the other). Needs ../shared/corpus.
#   3. Speed on the 1M-line access.log workload (shared/workloads/gen_accesslog.py): the scan
#      without and with a profile learned from 200,000 lines of its normal traffic (another seed),
#      9 runs each, alternating (bench/alternate.py), and recall/false positives per class with it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
shared=${SHARED:-$here/../../shared}
work=${WORK:-/tmp/vigil-bench}/web-profile
mkdir -p "$work"
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs)"

echo "== 1. generated web shop"
python3 "$here/gen_webshop.py" --out "$work/shop"
"$vigil" logs learn --profile "$work/shop/profile.json" "$work/shop/train.log"
python3 "$here/web_profile_eval.py" "$vigil" "$work/shop/test.log" "$work/shop/test.labels" --name "signatures only:"
python3 "$here/web_profile_eval.py" "$vigil" "$work/shop/test.log" "$work/shop/test.labels" \
  --profile "$work/shop/profile.json" --name "signatures and the learned profile:"

real_case() {  # NAME TRAIN TEST
  local name=$1 train=$2 test=$3
  "$vigil" logs learn --quiet --profile "$work/$name.json" "$train"
  python3 - "$work/$name.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
off = ["%s (%.1f %%)" % (m, 100 * s["holdout_rate"]) for m, s in p["models"].items() if not s["enabled"]]
print("  learned %d requests, %d paths; models turned off: %s" % (p["learned"]["requests"], len(p["paths"]), ", ".join(off) or "none"))
PY
  sed 's/.*/normal/' "$test" > "$work/$name.labels"
  python3 "$here/web_profile_eval.py" "$vigil" "$test" "$work/$name.labels" --name "$name, signatures only:"
  python3 "$here/web_profile_eval.py" "$vigil" "$test" "$work/$name.labels" --profile "$work/$name.json" \
    --name "$name, with the profile:"
}
if [ -d "$shared/corpus/elastic-examples" ]; then
  echo "== 2. real traffic"
  elastic="$shared/corpus/elastic-examples/Common Data Formats/apache_logs/apache_logs"
  head -5000 "$elastic" > "$work/elastic-train.log"
  tail -5000 "$elastic" > "$work/elastic-test.log"
  real_case elastic "$work/elastic-train.log" "$work/elastic-test.log"
  raw="$shared/corpus/slrbl-webhawk/SAMPLE_DATA/RAW_APACHE_LOGS"
  real_case secrepo "$raw/access.log.2022-12-22" "$raw/access.log.2021-10-22"
else
  echo "== 2. skipped: no $shared/corpus"
fi

echo "== 3. the 1M-line access.log"
base=${WORK:-/tmp/vigil-bench}
[ -s "$base/access.log" ] || python3 "$shared/workloads/gen_accesslog.py" --out "$base/access.log" \
  --truth "$base/access.truth.tsv" --labels "$base/access.labels"
[ -s "$work/access-normal.log" ] || python3 "$shared/workloads/gen_accesslog.py" --lines 200000 --seed 7 \
  --attack-rate 0 --out "$work/access-normal.log" --truth /dev/null --labels /dev/null
"$vigil" logs learn --profile "$work/access.json" "$work/access-normal.log"
python3 "$here/alternate.py" 9 "logs scan access.log" "logs scan access.log --profile" -- \
  "$vigil" logs scan "$base/access.log" --format jsonl -- \
  "$vigil" logs scan "$base/access.log" --profile "$work/access.json" --format jsonl
python3 "$here/web_profile_eval.py" "$vigil" "$base/access.log" "$base/access.labels" --name "1M workload, signatures only:"
python3 "$here/web_profile_eval.py" "$vigil" "$base/access.log" "$base/access.labels" --profile "$work/access.json" \
  --name "1M workload, with the profile:"
