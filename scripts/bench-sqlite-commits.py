#!/usr/bin/env python3
"""Commit latency of SQLite on this machine's disk, per journal mode: N transactions of two 400-byte rows each (the size
of OrderCreated + OrderSubmitted), as the journal writes them. Prints p50/p99/max per mode and the load average.
    scripts/bench-sqlite-commits.py [N] [folder]      (default 300, a temporary folder)"""
import os, shutil, sqlite3, sys, tempfile, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
own = len(sys.argv) <= 2
folder = tempfile.mkdtemp(prefix="hean-sqlite-bench-") if own else sys.argv[2]
print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}; {n} commits per mode in {folder}")
for mode, sync in [("delete", "full"), ("wal", "full"), ("wal", "normal")]:
    path = os.path.join(folder, f"bench-{mode}-{sync}.db")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix): os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA journal_mode={mode}")
    db.execute(f"PRAGMA synchronous={sync}")
    db.execute("CREATE TABLE journal(ordering INTEGER PRIMARY KEY, persistence_id TEXT, sequence_number INTEGER, message BLOB)")
    took = []
    for i in range(n):
        t = time.perf_counter()
        db.execute("BEGIN")
        for k in range(2): db.execute("INSERT INTO journal(persistence_id, sequence_number, message) VALUES (?, ?, ?)", ("orders", 2 * i + k, b"x" * 400))
        db.execute("COMMIT")
        took.append((time.perf_counter() - t) * 1000)
    db.close()
    took.sort()
    print(f"journal_mode={mode:6} synchronous={sync:6}  p50 {took[n // 2]:7.3f} ms  p99 {took[int(n * 0.99)]:7.3f} ms  max {took[-1]:7.3f} ms")
if own: shutil.rmtree(folder)
print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")
