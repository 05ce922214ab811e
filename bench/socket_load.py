#!/usr/bin/env python3
"""Holds N sockets open on loopback for the triage benchmark: listeners plus connected pairs."""
import socket, sys, time

listeners, pairs, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
held = []
for _ in range(listeners):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); held.append(s)
for i in range(pairs):
    c = socket.create_connection(held[i % listeners].getsockname()); held.append(c)
    a, _ = held[i % listeners].accept(); held.append(a)
print(f"holding {len(held)} sockets", flush=True)
time.sleep(seconds)
