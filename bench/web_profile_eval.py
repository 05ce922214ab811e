#!/usr/bin/env python3
"""Recall per attack class and the false-positive rate of `vigil logs scan` on a labelled log.

Usage: web_profile_eval.py VIGIL LOG LABELS [--profile FILE] [--name TEXT]

LABELS has one word per line of LOG: "normal" (or "benign_…", a normal line that looks like an
attack), or the attack class of that line. A line is
flagged when `vigil logs scan --events` lists it (any rule, any profile model). Prints a
Markdown table: per class the lines flagged of the lines labelled, then the normal lines
flagged, and which rules flagged normal lines.
"""
import argparse
import collections
import json
import subprocess


def negative(label):
    return label == "normal" or label.startswith("benign")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vigil")
    ap.add_argument("log")
    ap.add_argument("labels")
    ap.add_argument("--profile")
    ap.add_argument("--name", default="")
    a = ap.parse_args()
    cmd = [a.vigil, "logs", "scan", "--events", "--quiet", a.log]
    if a.profile:
        cmd += ["--profile", a.profile]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    flagged = {}
    for line in out.splitlines():
        j = json.loads(line)
        flagged[j["log"]["file"]["line"]] = [r["id"] for r in j["rule"]]
    labels = open(a.labels).read().split("\n")
    per = collections.defaultdict(lambda: [0, 0])
    normal_rules = collections.Counter()
    for i, label in enumerate(labels, 1):
        if not label:
            continue
        per[label][1] += 1
        if i in flagged:
            per[label][0] += 1
            if negative(label):
                normal_rules.update(flagged[i])
    print("%s\n" % a.name if a.name else "", end="")
    print("| class | flagged | of | % |\n|---|---:|---:|---:|")
    attacks = [0, 0]
    for label in sorted(k for k in per if not negative(k)):
        f, n = per[label]
        attacks[0] += f
        attacks[1] += n
        print("| %s | %d | %d | %.1f |" % (label, f, n, 100.0 * f / n))
    if attacks[1]:
        print("| **all attacks** | %d | %d | **%.1f** |" % (attacks[0], attacks[1], 100.0 * attacks[0] / attacks[1]))
    for label in sorted(k for k in per if negative(k)):
        f, n = per[label]
        print("| **%s (false positives)** | %d | %d | **%.2f** |" % (label, f, n, 100.0 * f / n))
    if normal_rules:
        print("\nnormal lines flagged by: " + ", ".join("%s %d" % kv for kv in normal_rules.most_common(6)))


if __name__ == "__main__":
    main()
