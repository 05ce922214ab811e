#!/usr/bin/env python3
"""Driver of bench/watch_block.sh: vigil watch and fail2ban-server follow one auth.log in the
network namespace given; a writer appends attackers' failures over benign noise; `nft monitor`
timestamps each element entering vigil's set (table inet vigil) and fail2ban's (table inet
f2b-table). Prints a table and writes result.json."""
import argparse, json, os, re, signal, subprocess, threading, time

from fail2ban_conf import fail2ban_server

ELEMENT = re.compile(r"add element inet (\S+) (\S+) \{ ([0-9a-fA-F.:]+)")


def syslog_now():
    return time.strftime("%b %e %H:%M:%S")


def percentile(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def in_ns(ns, argv):
    return ["ip", "netns", "exec", ns] + argv


def start_vigil(a, log):
    state = os.path.join(a.dir, "vigil")
    os.makedirs(state)
    conf = os.path.join(a.dir, "watch.yaml")
    with open(conf, "w") as f:
        f.write("state_dir: %s\nsources:\n  logs: [%s]\n  triage: off\n  processes: off\n"
                "sinks:\n  - {type: jsonl, path: %s/findings.jsonl}\nlimits:\n  cpu: 100%%\n"
                "triggers:\n  - name: ssh\n    when: logs.auth-brute-force\n    key: source.ip\n    max_per_minute: 1000\n"
                "    actions:\n      - {type: block, ttl: 1h}\n" % (state, log, state))
    p = subprocess.Popen(in_ns(a.netns, [a.vigil, "watch", "--config", conf]), stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(a.dir, "vigil.err"), "w"))
    deadline = time.time() + 20
    while time.time() < deadline and not os.path.exists(os.path.join(state, "status.json")):
        time.sleep(0.05)
    return p


def start_fail2ban(a, log):
    argv, f2b_log = fail2ban_server(a.dir, log, "banaction = nftables-allports")
    p = subprocess.Popen(in_ns(a.netns, argv),
                         stdout=subprocess.DEVNULL, stderr=open(os.path.join(a.dir, "f2b.err"), "w"))
    deadline = time.time() + 30
    while time.time() < deadline:
        if os.path.exists(f2b_log) and "Jail 'sshd' started" in open(f2b_log).read():
            break
        time.sleep(0.1)
    return p


class Monitor(threading.Thread):
    """nft monitor in the namespace: when each address entered which table."""

    def __init__(self, ns):
        super().__init__(daemon=True)
        self.proc = subprocess.Popen(in_ns(ns, ["stdbuf", "-oL", "nft", "monitor"]), stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.seen = {}  # (table, address) -> monotonic time

    def run(self):
        for line in self.proc.stdout:
            now = time.monotonic()
            m = ELEMENT.search(line)
            if m:
                self.seen.setdefault((m.group(1), m.group(3)), now)


def write_workload(a, log):
    """Attackers' failures over benign noise; the monotonic time each 5th failure was written."""
    fifth = {}
    noise_per_gap = int(a.noise * a.gap)
    with open(log, "a", buffering=1) as out:
        for i in range(a.attackers):
            ip = "10.99.%d.%d" % (i // 250, i % 250 + 1)
            stamp = syslog_now()
            benign = "".join("%s web1 sshd[%d]: Accepted publickey for deploy from 192.0.2.%d port %d ssh2: "
                             "ED25519 SHA256:abc\n" % (stamp, 20000 + k, k % 250 + 1, 40000 + k)
                             for k in range(noise_per_gap))
            out.write(benign)
            for n in range(6):
                out.write("%s web1 sshd[%d]: Failed password for root from %s port %d ssh2\n"
                          % (stamp, 3000 + n, ip, 50000 + n))
                out.flush()
                if n == 4:
                    fifth[ip] = time.monotonic()
            time.sleep(a.gap)
    return fifth


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--netns", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--attackers", type=int, default=200)
    ap.add_argument("--gap", type=float, default=0.1)
    ap.add_argument("--noise", type=int, default=2000)
    a = ap.parse_args()
    log = os.path.join(a.dir, "auth.log")
    open(log, "w").close()
    monitor = Monitor(a.netns)
    monitor.start()
    vigil = start_vigil(a, log)
    f2b = start_fail2ban(a, log)
    time.sleep(1)
    fifth = write_workload(a, log)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        done = sum(1 for ip in fifth if ("vigil", ip) in monitor.seen and ("f2b-table", ip) in monitor.seen)
        if done == len(fifth):
            break
        time.sleep(0.2)
    for p in (vigil, f2b):
        p.send_signal(signal.SIGTERM)
    for p in (vigil, f2b):
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
    monitor.proc.terminate()
    result = {"attackers": a.attackers, "gap_s": a.gap, "noise_lines_per_s": a.noise, "tools": []}
    print("%d attackers, one every %.2f s, %d benign lines/s" % (a.attackers, a.gap, a.noise))
    print("%-44s %8s %10s %10s %10s" % ("", "blocked", "p50", "p99", "max"))
    for name, table in (("vigil watch (trigger, block via libnftables)", "vigil"),
                        ("fail2ban (sshd jail, polling, nftables-allports)", "f2b-table")):
        lags = [1000 * (monitor.seen[(table, ip)] - t) for ip, t in fifth.items() if (table, ip) in monitor.seen]
        row = {"tool": name, "blocked": len(lags), "p50_ms": percentile(lags, 50), "p99_ms": percentile(lags, 99),
               "max_ms": max(lags) if lags else None}
        result["tools"].append(row)
        fmt = lambda v: "-" if v is None else "%.0f ms" % v
        print("%-44s %4d/%-3d %10s %10s %10s" % (name, row["blocked"], a.attackers, fmt(row["p50_ms"]),
                                                  fmt(row["p99_ms"]), fmt(row["max_ms"])))
    json.dump(result, open(os.path.join(a.dir, "result.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
