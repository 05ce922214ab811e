#!/usr/bin/env bash
# The HTML report at scale: 10,000 findings (a tree of 10,000 small files that vigil's PHP
# web-shell YARA rule matches, scanned by `vigil scan --format html`), its size, and how long
# headless Chromium takes to load it and run its script (--dump-dom returns once the page is
# loaded), against an empty page for Chromium's own start; median of 5.
#   N=10000 bench/html_report.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
n=${N:-10000}
work=$(mktemp -d /tmp/vigil-bench-html-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tree" "$work/cache"
for i in $(seq "$n"); do
  printf '<?php @eval(base64_decode($_POST["z%d"])); ?>\n' "$i" > "$work/tree/s$i.php"
done
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); $(chromium --version 2>/dev/null)"
start=$(date +%s.%N)
VIGIL_CACHE_DIR="$work/cache" "$vigil" scan "$work/tree" --format html --out "$work/report.html" --fail-on none --quiet
end=$(date +%s.%N)
findings=$(grep -o 'data-sev="' "$work/report.html" | wc -l)
echo "vigil scan --format html: $findings findings, $(du -k "$work/report.html" | cut -f1) KiB, written in $(echo "$end - $start" | bc) s"
echo '<!DOCTYPE html><html><body>empty</body></html>' > "$work/empty.html"
python3 - "$work" <<'PY'
import statistics, subprocess, sys, time
work = sys.argv[1]
def load(page, fragment=""):
    t0 = time.monotonic()
    out = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--user-data-dir=%s/profile" % work, "--dump-dom", "file://%s/%s%s" % (work, page, fragment)],
                         capture_output=True, text=True).stdout
    return time.monotonic() - t0, out
empty = statistics.median(load("empty.html")[0] for _ in range(5))
runs = [load("report.html") for _ in range(5)]
full = statistics.median(t for t, _ in runs)
assert all('data-ready="1"' in out for _, out in runs), "the page's script did not finish"
filtered = statistics.median(load("report.html", "#min=high&sort=findings:1:desc")[0] for _ in range(5))
print("chromium --dump-dom, median of 5: empty page %.2f s; the report %.2f s (%.2f s over the empty page); "
      "with a filter and a sort from the address %.2f s (%.2f s over)" % (empty, full, full - empty, filtered, filtered - empty))
PY
