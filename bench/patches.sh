#!/usr/bin/env bash
# vigil audit patches on this host, in one run:
#   1. the waiting updates against apt list --upgradable (the same set is checked; then both
#      timed alternately, bench/alternate.py);
#   2. feed loading: synthetic feeds the size of osv.dev's Debian all.zip (~40,000 records) and
#      the tracker's JSON (~70 MB), bench/gen_vuln_feeds.py; vigil's time to read and match each.
# debsecan, the Debian peer, downloads its own data from security-tracker.debian.org and cannot
# run on this offline machine.
#   RECORDS=N  OSV records to generate (default 40000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); $(apt --version)"
ls -la /var/lib/apt/lists/*Packages* | awk '{print "  list: " $5 " bytes " $9}'
"$vigil" audit patches --updates --format csv | tail -n +2 | awk -F, '{print $1 "/" $4 "/" $2}' | sort > /tmp/vigil-updates.$$
apt list --upgradable 2>/dev/null | tail -n +2 | awk '{split($1, a, "/"); print a[1] "/" $2 "/" $3}' | sort > /tmp/apt-updates.$$
echo "updates: vigil $(wc -l < /tmp/vigil-updates.$$), apt $(wc -l < /tmp/apt-updates.$$), differing: $(comm -3 /tmp/vigil-updates.$$ /tmp/apt-updates.$$ | wc -l)"
rm -f /tmp/vigil-updates.$$ /tmp/apt-updates.$$
python3 "$here/alternate.py" 9 "apt list --upgradable" "vigil audit patches --updates" -- \
  apt list --upgradable -- "$vigil" audit patches --updates --format csv

feeds=$(mktemp -d)
trap 'rm -rf "$feeds"' EXIT
python3 "$here/gen_vuln_feeds.py" "$feeds" "${RECORDS:-40000}"
echo "feeds: $(du -h "$feeds/osv-all.zip" | cut -f1) zip, $(du -h "$feeds/tracker.json" | cut -f1) tracker JSON"
for feed in "--osv $feeds/osv-all.zip" "--debian-tracker $feeds/tracker.json"; do
  # shellcheck disable=SC2086
  /usr/bin/time -f "  %e s wall, %U+%S s CPU, %M KiB max RSS" "$vigil" audit patches $feed --format jsonl --fail-on none \
    2> >(grep -v "^vigil:" >&2) | python3 -c '
import json, sys
n = sum(1 for l in sys.stdin if json.loads(l)["rule"]["id"] == "patch.vulnerable-package")
print("vigil audit patches '"${feed%% *}"': %d vulnerable-package findings" % n)'
done

# 3. Debian version comparison: every pair of this host's installed versions, vigil's
#    compare_debian_versions (tools/version_compare_bench) against libapt's through python3-apt
#    (apt_pkg.version_compare; the figure includes Python's loop). The checksums must agree.
dpkg-query -W -f '${Version}\n' | sort -u > "$feeds/versions.txt"
echo "versions: $(wc -l < "$feeds/versions.txt") distinct installed versions, every ordered pair"
echo "  vigil:   $("$here/../build/version_compare_bench" 3 < "$feeds/versions.txt")"
if /usr/bin/python3 -c 'import apt_pkg' 2>/dev/null; then
  /usr/bin/python3 - "$feeds/versions.txt" <<'PY'
import apt_pkg, sys, time
apt_pkg.init_system()
v = [l.strip() for l in open(sys.argv[1]) if l.strip()]
t = time.monotonic(); s = n = 0
for i, a in enumerate(v):
    for j, b in enumerate(v):
        c = apt_pkg.version_compare(a, b); s += ((c > 0) - (c < 0)) * (i - j); n += 1
d = time.monotonic() - t
print("  libapt:  %d comparisons in %.3f s: %.1f ns each; checksum %d" % (n, d, d * 1e9 / n, s))
PY
else
  echo "  libapt: python3-apt not installed, not compared"
fi
