#!/usr/bin/env python3
"""Times two commands run alternately (A B A B …), so a noisy shared machine slows both alike.

Usage: alternate.py RUNS NAME_A NAME_B -- CMD_A... -- CMD_B...
Prints, per command, the median wall time and the median CPU time (user + system, from
wait4's rusage: what the work costs, whatever else the machine is doing), and the ratios.
"""
import os
import statistics
import subprocess
import sys
import time


def run(cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    return time.monotonic() - t0, ru.ru_utime + ru.ru_stime


def main():
    args = sys.argv[1:]
    runs, name_a, name_b = int(args[0]), args[1], args[2]
    rest = args[4:]
    cut = rest.index("--")
    cmd_a, cmd_b = rest[:cut], rest[cut + 1:]
    wall = {name_a: [], name_b: []}
    cpu = {name_a: [], name_b: []}
    run(cmd_a), run(cmd_b)  # warm-up
    for _ in range(runs):
        for name, cmd in ((name_a, cmd_a), (name_b, cmd_b)):
            w, c = run(cmd)
            wall[name].append(w)
            cpu[name].append(c)
    for name in (name_a, name_b):
        print("%-40s wall %.2f s (median of %d)   cpu %.2f s" % (name, statistics.median(wall[name]), runs,
                                                                statistics.median(cpu[name])))
    print("%s / %s: wall %+.0f %%, cpu %+.0f %%" % (
        name_b, name_a, 100 * (statistics.median(wall[name_b]) / statistics.median(wall[name_a]) - 1),
        100 * (statistics.median(cpu[name_b]) / statistics.median(cpu[name_a]) - 1)))


if __name__ == "__main__":
    main()
