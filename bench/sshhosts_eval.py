#!/usr/bin/env python3
"""Which brute-forced-then-accepted (source, host) pairs `vigil logs scan` finds, per class.

Usage: sshhosts_eval.py VIGIL LOG TRUTH [--name TEXT]
A pair is found when a logs.login-after-brute-force or logs.login-after-slow-brute-force
finding names its source.ip and host.hostname. Prints a Markdown table per class: pairs,
reported, and for the compromised classes the recall, for the others the false alarms.
"""
import argparse
import collections
import json
import subprocess

RULES = {"logs.login-after-brute-force", "logs.login-after-slow-brute-force"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vigil")
    ap.add_argument("log")
    ap.add_argument("truth")
    ap.add_argument("--name", default="")
    a = ap.parse_args()
    out = subprocess.run([a.vigil, "logs", "scan", "--format", "json", "--quiet", a.log], capture_output=True,
                         text=True, check=False).stdout
    doc = json.loads(out)
    reported = collections.defaultdict(set)
    for f in doc["findings"]:
        rule = f["rule"]["id"]
        if rule in RULES:
            reported[(f["source"]["ip"], f["host"]["hostname"])].add(rule.replace("logs.login-after-", ""))
    per = collections.defaultdict(lambda: [0, 0, collections.Counter()])
    for line in open(a.truth):
        cls, ip, host, compromised = line.split()
        per[cls][0] += 1
        if (ip, host) in reported:
            per[cls][1] += 1
            per[cls][2].update(reported[(ip, host)])
    print("%s\n" % a.name if a.name else "", end="")
    print("| class | pairs | reported | by |\n|---|---:|---:|---|")
    for cls in sorted(per):
        n, found, by = per[cls]
        print("| %s | %d | %d | %s |" % (cls, n, found, ", ".join("%s %d" % kv for kv in sorted(by.items())) or "-"))


if __name__ == "__main__":
    main()
