#!/usr/bin/env python3
"""Labelled sshd logs of several hosts, for the login-after-brute-force evaluation.

Usage: gen_sshhosts.py --out DIR [--hosts 9] [--seed S]

Writes DIR/concatenated.log (each host's log, time-ordered, one after another, as a collector
that appends whole files gives them), DIR/interleaved.log (the same lines ordered by time), and
DIR/truth.tsv: class<TAB>source<TAB>host<TAB>compromised (yes: a login after guessing).

Classes, per host:
  fast_then_in   5-30 failures within minutes, then a password accepted       (compromised)
  slow_then_in   5-12 failures spread over 3-20 hours, then accepted           (compromised)
  brute_only     20-200 failures, never accepted
  slow_only      5-12 failures over a day, never accepted
  legit_typo     a user who mistypes 0-2 times and logs in
  cross_host     5-10 quick failures on one host, and a login of its own on another host
  after_login    a login at first, then failures an hour or more later on the same host
"""
import argparse
import os
import random

BASE = 1733011200  # 2024-12-01 00:00:00 UTC
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def stamp(t):
    import time
    g = time.gmtime(t)
    return "%s %2d %02d:%02d:%02d" % (MONTHS[g.tm_mon - 1], g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec)


class Gen:
    def __init__(self, r, hosts):
        self.r = r
        self.hosts = hosts
        self.lines = {h: [] for h in hosts}
        self.truth = []
        self.n = 0

    def ip(self):
        self.n += 1
        return "198.18.%d.%d" % (self.n // 250, self.n % 250 + 1)

    def fail(self, host, t, ip, user="root"):
        self.lines[host].append((t, "%s %s sshd[%d]: Failed password for %s from %s port %d ssh2" %
                                 (stamp(t), host, self.r.randint(1000, 60000), user, ip, self.r.randint(30000, 65000))))

    def accept(self, host, t, ip, user="deploy"):
        self.lines[host].append((t, "%s %s sshd[%d]: Accepted password for %s from %s port %d ssh2" %
                                 (stamp(t), host, self.r.randint(1000, 60000), user, ip, self.r.randint(30000, 65000))))

    def source(self, cls, host):
        r = self.r
        ip = self.ip()
        t = BASE + r.randint(0, 2 * 86400)
        compromised = "no"
        if cls == "fast_then_in":
            for _ in range(r.randint(5, 30)):
                t += r.randint(1, 20)
                self.fail(host, t, ip)
            self.accept(host, t + r.randint(5, 600), ip)
            compromised = "yes"
        elif cls == "slow_then_in":
            n = r.randint(5, 12)
            span = r.randint(3, 20) * 3600
            for i in range(n):
                self.fail(host, t + i * span // n + r.randint(0, 300), ip)
            self.accept(host, t + span + r.randint(600, 3000), ip)
            compromised = "yes"
        elif cls == "brute_only":
            for _ in range(r.randint(20, 200)):
                t += r.randint(1, 10)
                self.fail(host, t, ip, r.choice(["root", "admin", "test", "oracle"]))
        elif cls == "slow_only":
            n = r.randint(5, 12)
            for i in range(n):
                self.fail(host, t + i * 86400 // n, ip)
        elif cls == "legit_typo":
            for _ in range(r.randint(0, 2)):
                t += r.randint(3, 15)
                self.fail(host, t, ip, "alice")
            self.accept(host, t + r.randint(3, 15), ip, "alice")
        elif cls == "cross_host":
            other = r.choice([h for h in self.hosts if h != host])
            self.accept(other, t - r.randint(0, 7200), ip, "alice")  # before, on another host
            for _ in range(r.randint(5, 10)):
                t += r.randint(1, 20)
                self.fail(host, t, ip)
        elif cls == "after_login":
            self.accept(host, t, ip, "alice")
            t += r.randint(3600, 5 * 3600)
            for _ in range(r.randint(5, 10)):
                t += r.randint(1, 20)
                self.fail(host, t, ip)
        self.truth.append((cls, ip, host, compromised))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--hosts", type=int, default=9)
    ap.add_argument("--seed", type=int, default=29)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    r = random.Random(a.seed)
    hosts = ["host%d" % i for i in range(1, a.hosts + 1)]
    g = Gen(r, hosts)
    counts = {"fast_then_in": 4, "slow_then_in": 3, "brute_only": 10, "slow_only": 4, "legit_typo": 12,
              "cross_host": 2, "after_login": 2}
    for host in hosts:
        for cls, n in counts.items():
            for _ in range(n):
                g.source(cls, host)
    every = []
    with open(os.path.join(a.out, "concatenated.log"), "w") as f:
        for host in hosts:
            for t, line in sorted(g.lines[host]):
                f.write(line + "\n")
                every.append((t, line))
    with open(os.path.join(a.out, "interleaved.log"), "w") as f:
        for t, line in sorted(every):
            f.write(line + "\n")
    with open(os.path.join(a.out, "truth.tsv"), "w") as f:
        for row in g.truth:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
