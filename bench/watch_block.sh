#!/usr/bin/env bash
# Detection-to-block latency, vigil watch against fail2ban, in one run (issue 28): both follow
# the same auth.log inside one network namespace made here (the host's own ruleset is never
# touched); a writer appends ATTACKERS sources' 6 failed SSH passwords each, one source every
# GAP seconds, over a background of NOISE benign lines/s. vigil blocks with a trigger (block
# action, libnftables); fail2ban with its sshd jail (maxretry 5, polling backend: its default
# without pyinotify) and the nftables-allports action (the nft program). `nft monitor` in the
# namespace timestamps each element as it enters either set. Printed per tool: sources
# blocked, and latency from the 5th failure line's write (both tools' threshold) to the
# element in the set: p50, p99, max. fail2ban and nft come from deps/bench-packages.txt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${VIGIL:-$here/../build/vigil}
work=${WORK:-/tmp/vigil-bench}/block
"$here/../scripts/setup-deps.sh" "$here/../deps/bench-packages.txt"
command -v fail2ban-server >/dev/null || { echo "fail2ban-server is not installed" >&2; exit 2; }
ns=vigil-bench-$$
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip -n "$ns" link set lo up
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs)"
rm -rf "$work" && mkdir -p "$work"
python3 "$here/watch_block_run.py" --vigil "$vigil" --netns "$ns" --dir "$work" \
  --attackers "${ATTACKERS:-200}" --gap "${GAP:-0.1}" --noise "${NOISE:-2000}"
