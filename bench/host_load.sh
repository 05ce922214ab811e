# Sourced by the benchmarks: the shared workload of ~1,000 extra processes and ~200 extra
# sockets on this host, removed when the script exits. Arguments of the caller:
# [extra-processes] [listeners] [connected-pairs]. Calls `bench_cleanup` (if defined) on exit.
VIGIL=${VIGIL:-./build/vigil}
PROCS=${1:-1000}
LISTENERS=${2:-100}
PAIRS=${3:-50}
OUT=bench/out
mkdir -p "$OUT"
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (make setup)"; exit 2; }
PY=/usr/bin/python3; [ -x $PY ] || PY=python3

load_pids=()
load_cleanup() {
  kill "${load_pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if declare -F bench_cleanup >/dev/null; then bench_cleanup; fi
}
trap load_cleanup EXIT
for _ in $(seq "$PROCS"); do sleep 600 & load_pids+=($!); done
$PY bench/socket_load.py "$LISTENERS" "$PAIRS" 600 > "$OUT/socket_load.log" & load_pids+=($!)
for _ in $(seq 50); do grep -q holding "$OUT/socket_load.log" 2>/dev/null && break; sleep 0.1; done

nproc_now=$( (find /proc -maxdepth 1 -name "[0-9]*" 2>/dev/null || true) | wc -l)
nsock_now=$(( $(cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 | wc -l) - 4 ))
echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $nproc_now processes, $nsock_now inet sockets"
