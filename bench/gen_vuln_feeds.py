#!/usr/bin/env python3
"""Synthetic vulnerability feeds the size of the real ones, for bench/patches.sh (vigil never
downloads; this machine cannot reach osv.dev or the tracker).

Usage: gen_vuln_feeds.py OUT_DIR RECORDS
Writes OUT_DIR/osv-all.zip (RECORDS OSV records shaped as osv.dev's Debian all.zip: DSA and
DEBIAN-CVE records, Debian:11/12/13) and OUT_DIR/tracker.json (the tracker's layout, the same
issues), naming this host's installed source packages (dpkg-query) and as many made-up ones, with
fixed versions below, at and above the installed ones. Prints how many records should match.
"""
import json
import random
import subprocess
import sys
import zipfile

out, records = sys.argv[1], int(sys.argv[2])
random.seed(19)
rows = subprocess.run(["dpkg-query", "-W", "-f", "${source:Package} ${source:Version}\n"],
                      capture_output=True, text=True, check=True).stdout.split("\n")
installed = sorted({tuple(r.split(" ", 1)) for r in rows if " " in r})
names = [n for n, _ in installed] + ["made-up-%d" % i for i in range(len(installed))]
version = dict(installed)
releases = {"Debian:11": "bullseye", "Debian:12": "bookworm", "Debian:13": "trixie"}
tracker = {}
expected = 0  # Debian:12 records of installed packages whose fix is newer than the installed version
with zipfile.ZipFile(out + "/osv-all.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(records):
        pkg = random.choice(names)
        eco = random.choice(list(releases))
        base = version.get(pkg, "1.0-1")
        fixed = random.choice([base + "+fix1", base + "~older1", base])
        cve = "CVE-%d-%05d" % (2000 + i % 26, i)
        rid = ("DSA-%d-1" % i) if i % 5 == 0 else "DEBIAN-" + cve
        rec = {"id": rid, "modified": "2026-12-01T00:00:00Z", "summary": "issue %d in %s" % (i, pkg),
               "details": "x" * 400, ("related" if rid.startswith("DSA") else "upstream"): [cve],
               "affected": [{"package": {"ecosystem": eco, "name": pkg, "purl": "pkg:deb/debian/%s" % pkg},
                             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                             "ecosystem_specific": {"urgency": random.choice(["low", "medium", "high", "not yet assigned"])}}],
               "references": [{"type": "ADVISORY", "url": "https://security-tracker.debian.org/tracker/" + cve}]}
        z.writestr(rid + ".json", json.dumps(rec, indent=2))
        expected += eco == "Debian:12" and pkg in version and fixed.endswith("+fix1")
        rel = releases[eco]
        tracker.setdefault(pkg, {}).setdefault(cve, {"description": "issue %d" % i, "scope": "remote",
                                                     "releases": {}})["releases"][rel] = {
            "status": "resolved", "repositories": {rel: base}, "fixed_version": fixed,
            "urgency": rec["affected"][0]["ecosystem_specific"]["urgency"]}
json.dump(tracker, open(out + "/tracker.json", "w"), indent=1)
print("generated %d records; %d should match this host" % (records, expected))
