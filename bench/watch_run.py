#!/usr/bin/env python3
"""One run of bench/watch.sh: a writer appends auth.log lines in bursts at a target rate,
rotating the log every N seconds (rename and copytruncate in turn), while a daemon follows it.

  watch_run.py vigil    --vigil BIN   --source auth.log --dir WORK [--kills 5] ...
  watch_run.py fail2ban --source auth.log --dir WORK ...

Each line gets the time it is written as its timestamp (RFC 3339 with microseconds), so the
lag from a line to the finding it triggers is that finding's arrival time minus the time in
its line. The stream as written (without rotation) is kept in WORK/stream.log for the batch
reference. Prints one JSON object: lines, rate, lag percentiles, CPU and RSS idle and under
load, and what was found.
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

from fail2ban_conf import fail2ban_server

CLK = os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK
    except (OSError, IndexError):
        return None


def proc_rss(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class Sampler:
    """CPU seconds and RSS of the daemon's processes over a phase."""

    def __init__(self, pids_fn):
        self.pids_fn = pids_fn
        self.rss_peak = 0

    def cpu(self):
        return sum(c for c in (proc_cpu_seconds(p) for p in self.pids_fn()) if c is not None)

    def rss(self):
        r = sum(x for x in (proc_rss(p) for p in self.pids_fn()) if x is not None)
        self.rss_peak = max(self.rss_peak, r)
        return r


def percentile(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def iso_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def line_time(text):
    """The write time in a line (RFC 3339 with microseconds) as epoch seconds."""
    try:
        return datetime.datetime.strptime(text[:32], "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
    except ValueError:
        return None


class Writer(threading.Thread):
    def __init__(self, a, target, on_rotate=None):
        super().__init__(daemon=True)
        self.a, self.target = a, target
        with open(a.source, "rb") as f:
            # The message after the classic timestamp ("Nov 17 00:00:01 "): 16 bytes.
            self.bodies = [l[16:].decode("utf-8", "replace") for l in f.read().splitlines() if len(l) > 16]
        self.written = 0
        self.done = threading.Event()
        self.rotations = []
        self.on_rotate = on_rotate

    def run(self):
        a = self.a
        stream = open(os.path.join(a.dir, "stream.log"), "w")
        out = open(self.target, "a")
        burst = max(1, int(a.rate * a.burst_ms / 1000.0))
        start = time.monotonic()
        next_rotation = start + a.rotate_every
        i = 0
        n = len(self.bodies)
        while time.monotonic() - start < a.seconds:
            stamp = iso_now()
            chunk = "".join("%s %s\n" % (stamp, self.bodies[(i + k) % n]) for k in range(burst))
            i += burst
            out.write(chunk)
            out.flush()
            stream.write(chunk)
            self.written += burst
            if time.monotonic() >= next_rotation:
                kind = "rename" if len(self.rotations) % 2 == 0 else "copytruncate"
                out.close()
                if kind == "rename":
                    os.replace(self.target, self.target + ".1")
                    open(self.target, "w").close()
                else:
                    shutil.copyfile(self.target, self.target + ".1")
                    os.truncate(self.target, 0)
                out = open(self.target, "a")
                self.rotations.append((round(time.monotonic() - start, 2), kind))
                next_rotation += a.rotate_every
            # The next burst at its time on the schedule (bursts, not a trickle).
            due = start + (self.written / a.rate)
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        out.close()
        stream.close()
        self.elapsed = time.monotonic() - start
        self.done.set()


class JsonlFollower(threading.Thread):
    """Notes when each finding line appears in the daemon's JSONL output (polled every 5 ms)."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.stop, self.seen = path, threading.Event(), []

    def run(self):
        pos, buf = 0, b""
        while not self.stop.is_set():
            try:
                with open(self.path, "rb") as f:
                    f.seek(pos)
                    data = f.read()
            except OSError:
                data = b""
            if data:
                now = time.time()
                pos += len(data)
                buf += data
                *lines, buf = buf.split(b"\n")
                for l in lines:
                    if l.strip():
                        self.seen.append((now, json.loads(l)))
            time.sleep(0.005)


def idle_phase(sampler, seconds):
    c0, t0 = sampler.cpu(), time.monotonic()
    rss = []
    while time.monotonic() - t0 < seconds:
        time.sleep(0.5)
        rss.append(sampler.rss())
    return 100.0 * (sampler.cpu() - c0) / (time.monotonic() - t0), max(rss) if rss else 0


def run_vigil(a):
    target = os.path.join(a.dir, "auth.log")
    state = os.path.join(a.dir, "state")
    out = os.path.join(a.dir, "out.jsonl")
    open(target, "w").close()
    cfg = os.path.join(a.dir, "watch.yaml")
    with open(cfg, "w") as f:
        f.write("state_dir: %s\nsources:\n  logs: [%s]\nsinks:\n  - {type: jsonl, path: %s}\nlimits:\n  cpu: %s\n"
                % (state, target, out, a.cpu_limit))
    err = open(os.path.join(a.dir, "vigil.err"), "a")
    proc = [None]
    cpu_dead = [0.0]

    def start():
        proc[0] = subprocess.Popen([a.vigil, "watch", "--config", cfg], stderr=err, stdout=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not os.path.exists(os.path.join(state, "watch.state")) and time.time() < deadline:
            time.sleep(0.01)

    start()
    sampler = Sampler(lambda: [proc[0].pid])
    idle_cpu, idle_rss = idle_phase(sampler, a.idle)
    follower = JsonlFollower(out)
    follower.start()
    writer = Writer(a, target)
    c0 = sampler.cpu()
    t0 = time.monotonic()
    wall0 = time.time()
    writer.start()
    kills = []
    schedule = [a.seconds * (k + 0.53) / max(1, a.kills) for k in range(a.kills)]
    for at in schedule:
        while time.monotonic() - t0 < at:
            sampler.rss()
            time.sleep(0.05)
        cpu_dead[0] += sampler.cpu()
        proc[0].send_signal(signal.SIGKILL)
        proc[0].wait()
        kills.append(round(time.monotonic() - t0, 2))
        time.sleep(a.down)
        start()
    while not writer.done.is_set():
        sampler.rss()
        time.sleep(0.05)
    # Caught up: the status says no lag, and nothing new arrived for a while.
    status_lag = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sampler.rss()
        try:
            s = json.load(open(os.path.join(state, "status.json")))
            status_lag = sum(src["lag"] for src in s["sources"])
        except (OSError, ValueError, KeyError):
            status_lag = None
        if status_lag == 0 and (not follower.seen or time.time() - follower.seen[-1][0] > 2.5):
            break
        time.sleep(0.1)
    caught_up = time.monotonic() - t0
    busy_cpu = 100.0 * (cpu_dead[0] + sampler.cpu() - c0) / caught_up
    proc[0].send_signal(signal.SIGTERM)
    proc[0].wait(timeout=10)
    follower.stop.set()
    follower.join()
    lags, steady, keys, dup = [], [], {}, 0
    # Lines written while the daemon was down (and in the second after its restart) wait for
    # it by design; "steady" leaves them out.
    down = [(wall0 + k, wall0 + k + a.down + 1.0) for k in kills]
    for seen, f in follower.seen:
        k = (f.get("vigil", {}).get("fingerprint"), f.get("event", {}).get("start"))
        keys[k] = keys.get(k, 0) + 1
        if keys[k] > 1:
            dup += 1
        t = line_time(f.get("event", {}).get("original", ""))
        if t is not None and f["rule"]["id"] == "logs.auth-brute-force":
            lags.append(seen - t)
            if not any(lo <= t <= hi for lo, hi in down):
                steady.append(seen - t)
    brute = sorted({f["source"]["ip"] for _, f in follower.seen if f["rule"]["id"] == "logs.auth-brute-force"})
    return {
        "tool": "vigil watch", "lines": writer.written, "seconds": round(writer.elapsed, 2),
        "lines_per_s": round(writer.written / writer.elapsed), "caught_up_s": round(caught_up, 2),
        "kills": kills, "rotations": writer.rotations,
        "lag_p50_ms": round(1000 * percentile(lags, 50)) if lags else None,
        "lag_p99_ms": round(1000 * percentile(lags, 99)) if lags else None,
        "lag_max_ms": round(1000 * max(lags)) if lags else None,
        "steady_lag_p99_ms": round(1000 * percentile(steady, 99)) if steady else None,
        "idle_cpu_pct": round(idle_cpu, 2), "idle_rss_mb": round(idle_rss / 2**20, 1),
        "busy_cpu_pct": round(busy_cpu, 1), "peak_rss_mb": round(sampler.rss_peak / 2**20, 1),
        "findings": len(follower.seen), "duplicates": dup, "brute_force_sources": brute,
    }


def fail2ban_lags(log, stream):
    """A ban's log time minus the write time of the IP's 5th failure line (fail2ban's maxretry):
    its own "Found" lines carry no usable line time here, so the stream as written tells."""
    bans = {}
    for line in open(log, errors="replace"):
        if "] Ban " in line:
            try:
                at = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            except ValueError:
                continue
            bans.setdefault(line.rsplit("] Ban ", 1)[1].strip(), at)
    fifth, counts = {}, {}
    marks = ("Failed password", "Invalid user", "authentication failure", "Too many authentication")
    for line in open(stream, errors="replace"):
        if not any(m in line for m in marks):
            continue
        for word in line.replace(" port ", " ").split():
            if word in bans and word not in fifth:
                counts[word] = counts.get(word, 0) + 1
                if counts[word] == 5:
                    fifth[word] = line_time(line)
                break
    lags = [bans[ip] - t for ip, t in fifth.items() if t is not None]
    return lags, set(bans)


def run_fail2ban(a):
    target = os.path.join(a.dir, "auth.log")
    open(target, "w").close()
    # The same threshold as vigil's rule; the dummy action writes to a file, no firewall.
    argv, log = fail2ban_server(a.dir, target, "action = dummy[target=%s]" % os.path.join(a.dir, "f2b.dummy"))
    server = subprocess.Popen(argv,
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(a.dir, "f2b.err"), "w"))
    deadline = time.time() + 30
    while time.time() < deadline:
        if os.path.exists(log) and "Jail 'sshd' started" in open(log).read():
            break
        time.sleep(0.1)
    sampler = Sampler(lambda: [server.pid])
    idle_cpu, idle_rss = idle_phase(sampler, a.idle)
    writer = Writer(a, target)
    c0, t0 = sampler.cpu(), time.monotonic()
    writer.start()
    while not writer.done.is_set():
        sampler.rss()
        time.sleep(0.05)
    # Caught up: no new "Found" for 5 s (it has no status of its lag), at most 10 minutes.
    last, last_size = time.monotonic(), 0
    while time.monotonic() - t0 < a.seconds + 600:
        sampler.rss()
        size = os.path.getsize(log)
        if size != last_size:
            last, last_size = time.monotonic(), size
        elif time.monotonic() - last > 5:
            break
        time.sleep(0.2)
    caught_up = last - t0
    busy_cpu = 100.0 * (sampler.cpu() - c0) / max(caught_up, 0.001)
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    lags, bans = fail2ban_lags(log, os.path.join(a.dir, "stream.log"))
    return {
        "tool": "fail2ban-server (sshd jail, polling)", "lines": writer.written, "seconds": round(writer.elapsed, 2),
        "lines_per_s": round(writer.written / writer.elapsed), "caught_up_s": round(caught_up, 2),
        "lag_p50_ms": round(1000 * percentile(lags, 50)) if lags else None,
        "lag_p99_ms": round(1000 * percentile(lags, 99)) if lags else None,
        "lag_max_ms": round(1000 * max(lags)) if lags else None,
        "idle_cpu_pct": round(idle_cpu, 2), "idle_rss_mb": round(idle_rss / 2**20, 1),
        "busy_cpu_pct": round(busy_cpu, 1), "peak_rss_mb": round(sampler.rss_peak / 2**20, 1),
        "bans": len(bans), "banned": sorted(bans),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool", choices=("vigil", "fail2ban"))
    ap.add_argument("--vigil")
    ap.add_argument("--source", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--rate", type=float, default=100_000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--burst-ms", type=float, default=100)
    ap.add_argument("--rotate-every", type=float, default=10)
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--down", type=float, default=0.3)
    ap.add_argument("--idle", type=float, default=10)
    ap.add_argument("--cpu-limit", default="100%")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    result = run_vigil(a) if a.tool == "vigil" else run_fail2ban(a)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
