#!/usr/bin/env python3
"""Commit latency of SQLite on this machine's disk, per journal mode: N transactions of two 400-byte rows each (the size
of OrderCreated + OrderSubmitted), as the journal writes them, into a table with the journal's unique index. Prints
p50/p99/p99.9/max per mode, the commits over 5 ms, and the load average. The last mode is HEAN's: WAL, synchronous=NORMAL,
wal_autocheckpoint=0 and a PASSIVE checkpoint once a second from another connection on another thread (WalCheckpointer);
the one before it is SQLite's default in WAL, where the commit that takes the log past 1,000 pages runs the checkpoint.
N must be large enough to cross that (about 500 commits here) to show the difference.
    scripts/bench-sqlite-commits.py [N] [folder]      (default 3000, a temporary folder)"""
import os, shutil, sqlite3, sys, tempfile, threading, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
own = len(sys.argv) <= 2
folder = tempfile.mkdtemp(prefix="hean-sqlite-bench-") if own else sys.argv[2]
print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}; {n} commits per mode in {folder}")
for mode, sync, background in [("delete", "full", False), ("wal", "full", False), ("wal", "normal", False), ("wal", "normal", True)]:
    label = f"journal_mode={mode:6} synchronous={sync:6} " + ("checkpoints off the writer" if background else "checkpoints in commits  ")
    path = os.path.join(folder, f"bench-{mode}-{sync}-{background}.db")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix): os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute(f"PRAGMA journal_mode={mode}")
    db.execute(f"PRAGMA synchronous={sync}")
    if background: db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE TABLE journal(ordering INTEGER PRIMARY KEY, persistence_id TEXT, sequence_number INTEGER, message BLOB)")
    db.execute("CREATE UNIQUE INDEX journal_pid_seq ON journal(persistence_id, sequence_number)")
    stop = threading.Event()
    def checkpoints():
        while not stop.wait(1.0):
            c = sqlite3.connect(path, isolation_level=None)
            c.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            c.close()
    checkpointer = threading.Thread(target=checkpoints) if background else None
    if checkpointer: checkpointer.start()
    took = []
    for i in range(n):
        t = time.perf_counter()
        db.execute("BEGIN")
        for k in range(2): db.execute("INSERT INTO journal(persistence_id, sequence_number, message) VALUES (?, ?, ?)", (f"orders-{i % 4}", 2 * i + k, os.urandom(400)))
        db.execute("COMMIT")
        took.append((time.perf_counter() - t) * 1000)
    stop.set()
    if checkpointer: checkpointer.join()
    db.close()
    took.sort()
    slow = sum(1 for x in took if x > 5)
    print(f"{label}  p50 {took[n // 2]:7.3f} ms  p99 {took[int(n * 0.99)]:7.3f} ms  p99.9 {took[int(n * 0.999)]:7.3f} ms  max {took[-1]:7.3f} ms  over 5 ms: {slow}")
if own: shutil.rmtree(folder)
print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")
