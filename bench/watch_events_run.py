#!/usr/bin/env python3
"""bench/watch_events.sh's runner: one exec storm watched by one tool, measured.

Tools: none (the storm alone, for the rate the machine reaches), vigil (vigil watch, process
events from BPF or the proc connector; the storm's program lives in /tmp so every exec is a
process.temp-executable finding), auditd (`-a always,exit -S execve`, its own log file), and
execsnoop (bpftrace's execsnoop.bt, in a private mount namespace with tracefs mounted, since
these machines do not mount it). Every output is polled every 5 ms; an event counts when the
"<prefix><n>" argument of a started process shows up, its latency is the time it showed up
minus the time the driver started that process. Prints one JSON object.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

TOKEN = re.compile(rb"st(\d)x(\d+)\b")


def cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


class Follower(threading.Thread):
    """Polls a file (or a pipe's collected output) every 5 ms; first arrival time per token."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.seen, self.stop, self.offset = path, {}, False, 0

    def run(self):
        buf = b""
        while not self.stop:
            try:
                with open(self.path, "rb") as f:
                    f.seek(self.offset)
                    chunk = f.read()
            except OSError:
                chunk = b""
            now = time.time_ns()
            if chunk:
                self.offset += len(chunk)
                buf += chunk
                lines = buf.split(b"\n")
                buf = lines.pop()
                for line in lines:
                    for m in TOKEN.finditer(line):
                        self.seen.setdefault((int(m.group(1)), int(m.group(2))), now)
            else:
                time.sleep(0.005)


def storm(program, rate, seconds, drivers, out_dir):
    """Runs the drivers; returns {(driver, n): start_ns} and the rate reached."""
    procs = []
    for d in range(drivers):
        procs.append(subprocess.Popen([os.path.join(out_dir, "exec_storm"), program, "st%dx" % d,
                                       str(rate / drivers), str(seconds)],
                                      stdout=open(os.path.join(out_dir, "storm%d.txt" % d), "w"),
                                      stderr=subprocess.PIPE))
    t0 = time.time()
    for p in procs:
        p.wait()
    took = time.time() - t0
    started = {}
    for d in range(drivers):
        for line in open(os.path.join(out_dir, "storm%d.txt" % d)):
            n, at = line.split()
            started[(d, int(n))] = int(at)
    return started, len(started) / took


def wait_quiet(follower, seconds=30):
    """Waits until nothing new arrived for 2 s (the tool caught up), at most `seconds`."""
    last, deadline = len(follower.seen), time.time() + seconds
    quiet_since = time.time()
    while time.time() < deadline:
        time.sleep(0.25)
        if len(follower.seen) != last:
            last, quiet_since = len(follower.seen), time.time()
        elif time.time() - quiet_since >= 2:
            break


def start_tool(a, out_dir):
    """Starts the tool; returns (pids to charge CPU to, output file, stop function)."""
    if a.tool == "none":
        return [], None, lambda: None
    if a.tool == "vigil":
        cfg = os.path.join(out_dir, "w.yaml")
        with open(cfg, "w") as f:
            f.write("state_dir: %s/state\nsources:\n  triage: off\n  processes: %s\n"
                    "limits:\n  cpu: 100%%\nsinks:\n  - {type: jsonl, path: %s/out.jsonl}\n"
                    % (out_dir, a.processes, out_dir))
        p = subprocess.Popen([a.vigil, "watch", "--config", cfg], stderr=open(os.path.join(out_dir, "err.txt"), "w"))
        for _ in range(100):
            if os.path.exists(os.path.join(out_dir, "state", "status.json")):
                break
            time.sleep(0.1)

        def stop():
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=20)
        return [p.pid], os.path.join(out_dir, "out.jsonl"), stop
    if a.tool == "auditd":
        conf = os.path.join(out_dir, "auditd.conf")
        with open("/etc/audit/auditd.conf") as src, open(conf, "w") as dst:
            for line in src:
                if line.startswith("log_file"):
                    line = "log_file = %s/audit.log\n" % out_dir
                elif line.startswith("max_log_file ") or line.startswith("max_log_file="):
                    line = "max_log_file = 1000\n"
                dst.write(line)
        p = subprocess.Popen(["auditd", "-n", "-c", out_dir], stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(out_dir, "err.txt"), "w"))
        time.sleep(1)
        subprocess.run(["auditctl", "-b", "8192"], stdout=subprocess.DEVNULL)
        subprocess.run(["auditctl", "-a", "always,exit", "-F", "arch=b64", "-S", "execve", "-k", "vigil-bench"],
                       check=True, stdout=subprocess.DEVNULL)
        kauditd = [int(x) for x in subprocess.run(["pgrep", "-x", "kauditd"], capture_output=True, text=True).stdout.split()]

        def stop():
            subprocess.run(["auditctl", "-D"], stdout=subprocess.DEVNULL)
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=20)
            subprocess.run(["auditctl", "-e", "0"], stdout=subprocess.DEVNULL)
        return [p.pid] + kauditd, os.path.join(out_dir, "audit.log"), stop
    if a.tool == "execsnoop":
        out = os.path.join(out_dir, "execsnoop.txt")
        p = subprocess.Popen(["unshare", "-m", "sh", "-c",
                              "mount -t tracefs nodev /sys/kernel/tracing && exec bpftrace /usr/sbin/execsnoop.bt"],
                             stdout=open(out, "w"), stderr=open(os.path.join(out_dir, "err.txt"), "w"))
        for _ in range(100):
            if os.path.exists(out) and os.path.getsize(out) > 0:
                break
            time.sleep(0.1)
        time.sleep(0.5)

        def stop():
            p.send_signal(signal.SIGINT)
            p.wait(timeout=20)
        return [p.pid], out, stop
    raise SystemExit("unknown tool " + a.tool)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool", choices=["none", "vigil", "auditd", "execsnoop"])
    ap.add_argument("--vigil", default="build/vigil")
    ap.add_argument("--processes", default="auto")
    ap.add_argument("--program", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--rate", type=float, default=5000)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--drivers", type=int, default=2)
    a = ap.parse_args()
    shutil.copy(os.path.join(os.path.dirname(a.program), "exec_storm"), os.path.join(a.dir, "exec_storm"))
    pids, output, stop = start_tool(a, a.dir)
    follower = None
    if output:
        follower = Follower(output)
        follower.start()
    cpu0 = sum(cpu_seconds(p) for p in pids)
    t0 = time.time()
    started, reached = storm(a.program, a.rate, a.seconds, a.drivers, a.dir)
    storm_seconds = time.time() - t0
    result = {"tool": a.tool, "started": len(started), "rate_reached": round(reached), "storm_seconds": round(storm_seconds, 1)}
    if follower:
        wait_quiet(follower)
        cpu = sum(cpu_seconds(p) for p in pids) - cpu0
        took = time.time() - t0
        if a.tool == "vigil":
            try:
                result["status"] = json.load(open(os.path.join(a.dir, "state", "status.json"))).get("processes")
            except (OSError, ValueError):
                pass
        stop()
        follower.stop = True
        lat = [(follower.seen[k] - started[k]) / 1e6 for k in started if k in follower.seen]
        result.update({
            "seen": len(lat),
            "missed": len(started) - len(lat),
            "latency_ms_p50": round(percentile(lat, 50), 1) if lat else None,
            "latency_ms_p99": round(percentile(lat, 99), 1) if lat else None,
            "cpu_seconds": round(cpu, 2),
            "cpu_percent_of_core": round(100 * cpu / took, 1),
        })
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
