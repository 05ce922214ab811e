#!/usr/bin/env bash
# vigil scan-ports against nmap -sT (Debian nmap), in one run, inside network namespaces this
# script makes and deletes (nothing else is scanned):
#   1. every TCP port of 127.0.0.1 in a namespace with 5 listeners;
#   2. a /24 over a veth, 5 hosts up with 3 to 5 listeners each, the top 100 ports, host
#      discovery on (nmap's default; vigil --discover).
# Both without banners (nmap -sT does not read them; vigil --no-banners), alternately
# (bench/alternate.py: median wall and CPU); the open ports each finds are compared.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=$(readlink -f "${VIGIL:-$here/../build/vigil}")
"$here/../scripts/setup-deps.sh" "$here/../deps/bench-packages.txt"
a=vigil-bench-scan-a; b=vigil-bench-scan-b
cleanup() { ip netns pids $b 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns pids $a 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del $a 2>/dev/null || true; ip netns del $b 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $a; ip netns add $b
ip link add vbsa netns $a type veth peer name vbsb netns $b
ip -n $a addr add 10.232.0.1/24 dev vbsa
for h in 10 20 30 40 50; do ip -n $b addr add 10.232.0.$h/24 dev vbsb; done
for ns in $a $b; do ip -n $ns link set lo up; done
ip -n $a link set vbsa up; ip -n $b link set vbsb up
listen() {  # namespace, then address:port pairs
  local ns=$1; shift
  ip netns exec "$ns" python3 -c '
import socket, sys, time
socks = []
for spec in sys.argv[1:]:
    host, port = spec.rsplit(":", 1)
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, int(port))); s.listen(128); socks.append(s)
time.sleep(3600)' "$@" &
}
listen $a 127.0.0.1:22 127.0.0.1:80 127.0.0.1:3349 127.0.0.1:8080 127.0.0.1:50000
listen $b 10.232.0.10:22 10.232.0.10:80 10.232.0.10:443 10.232.0.20:22 10.232.0.20:3306 10.232.0.20:8080 \
  10.232.0.30:25 10.232.0.30:110 10.232.0.30:143 10.232.0.30:993 10.232.0.40:3389 10.232.0.40:445 10.232.0.40:139 \
  10.232.0.50:21 10.232.0.50:23 10.232.0.50:5900 10.232.0.50:8443 10.232.0.50:9100
sleep 1
echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); $(nmap --version | head -1)"
compare() {  # what each found open: host port lines
  local name=$1 vigil_cmd=$2 nmap_cmd=$3
  diff <(ip netns exec $a $vigil_cmd --table --format csv | tail -n +2 | awk -F, '{print $1, $2}' | sort) \
       <(ip netns exec $a $nmap_cmd -oG - | awk '/Ports:/ {h=$2; for (i=4;i<=NF;i++) if ($i ~ /\/open\//) {split($i,p,"/"); print h, p[1]}}' | sort) \
    > /dev/null && echo "$name: the same open ports" || echo "$name: the open ports DIFFER"
}
echo "== 127.0.0.1, all 65,535 ports"
compare "loopback" "$vigil scan-ports 127.0.0.1 --ports all --no-banners" "nmap -sT -p- -T4 -n 127.0.0.1"
python3 "$here/alternate.py" 5 "nmap -sT -p- -T4" "vigil scan-ports --ports all" -- \
  ip netns exec $a nmap -sT -p- -T4 -n 127.0.0.1 -- \
  ip netns exec $a "$vigil" scan-ports 127.0.0.1 --ports all --no-banners --format jsonl
echo "== 10.232.0.0/24, top 100 ports, 5 hosts up"
compare "/24" "$vigil scan-ports 10.232.0.0/24 --ports top100 --discover --no-banners" "nmap -sT -T4 -n --top-ports 100 10.232.0.0/24"
python3 "$here/alternate.py" 5 "nmap -sT --top-ports 100 /24" "vigil scan-ports top100 /24" -- \
  ip netns exec $a nmap -sT -T4 -n --top-ports 100 10.232.0.0/24 -- \
  ip netns exec $a "$vigil" scan-ports 10.232.0.0/24 --ports top100 --discover --no-banners --format jsonl
echo "== the same with banners (vigil only; nmap -sV is a different tool)"
ip netns exec $a /usr/bin/time -f "  vigil scan-ports 127.0.0.1 --ports all (banners): %e s" "$vigil" scan-ports 127.0.0.1 --ports all --format jsonl > /dev/null
