"""Outbox benchmarks, each against a baseline measured in the same run.

1. Enqueue latency (p50/p99) of ``Outbox.enqueue`` — JSON, AES-GCM, one ``BEGIN IMMEDIATE``
   transaction under WAL + ``synchronous=FULL`` — against a bare SQLite insert of a blob of
   the same size with the same settings (the fsync floor of this disk).
2. Drain rate of ``Sender`` (claim, decrypt, post, mark sent, erase) to a local centre
   against a bare loop of ``requests`` posts of prepared cases to the same centre, after a
   warm-up round so neither pays for the centre's first requests.

The centre runs as ``kiosk central`` in its own process on 127.0.0.1 with a SQLite database
in a temporary folder. Bounded: ``ENQUEUES`` and ``DRAIN`` cases, a few seconds each.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import requests

from bench.centre_process import CentreProcess
from central.samples import sample_submission
from contract.wire import API_PREFIX
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.sender import Sender

ENQUEUES = 400
DRAIN = 400
KEY = bytes(range(32))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000)


def bench_enqueue(folder: Path) -> None:
    outbox = Outbox(folder / "outbox.db", KEY, min_free_bytes=0)
    cases = [sample_submission(n, terminal=7) for n in range(1, ENQUEUES + 1)]
    blob_size = len(cases[0].model_dump_json()) + 12 + 16  # nonce + GCM tag
    ours = []
    for case in cases:
        started = time.perf_counter()
        outbox.enqueue(case)
        ours.append(time.perf_counter() - started)
    outbox.close()

    bare = sqlite3.connect(folder / "bare.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute("PRAGMA synchronous=FULL")
    bare.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB)")
    baseline = []
    for n in range(ENQUEUES):
        payload = os.urandom(blob_size)
        started = time.perf_counter()
        bare.execute("BEGIN IMMEDIATE")
        bare.execute("INSERT INTO t VALUES (?, ?)", (str(n), payload))
        bare.execute("COMMIT")
        baseline.append(time.perf_counter() - started)
    bare.close()

    o50, o99 = _percentiles(ours)
    b50, b99 = _percentiles(baseline)
    print(f"enqueue   outbox      p50 {o50:7.3f} ms  p99 {o99:7.3f} ms  ({ENQUEUES} cases)")
    print(f"          bare insert p50 {b50:7.3f} ms  p99 {b99:7.3f} ms  (same WAL/FULL, "
          f"{blob_size}-byte blob)")
    print(f"          ratio       p50 {o50 / b50:5.2f}x     p99 {o99 / b99:5.2f}x")


def bench_drain(folder: Path) -> None:
    with CentreProcess(f"sqlite:///{folder / 'central.db'}") as centre:
        session = requests.Session()
        session.trust_env = False
        headers = {"Authorization": f"Bearer {centre.token}",
                   "Content-Type": "application/json"}

        def post_all(bodies: list[bytes]) -> None:
            for body in bodies:
                answer = session.post(f"{centre.base_url}{API_PREFIX}/cases", data=body,
                                      headers=headers, timeout=10)
                answer.raise_for_status()

        def bodies(terminal: int) -> list[bytes]:
            return [sample_submission(n, terminal=terminal).model_dump_json().encode()
                    for n in range(1, DRAIN + 1)]

        post_all(bodies(10))  # warm up the centre (imports, caches, the database file)
        outbox = Outbox(folder / "drain.db", KEY, min_free_bytes=0)
        for n in range(1, DRAIN + 1):
            outbox.enqueue(sample_submission(n, terminal=8))
        sender = Sender(outbox, CentreClient(centre.base_url, centre.token))
        started = time.perf_counter()
        while outbox.stats().unsent:
            sender.run_once()
        ours = DRAIN / (time.perf_counter() - started)

        prepared = bodies(9)
        started = time.perf_counter()
        post_all(prepared)
        bare = DRAIN / (time.perf_counter() - started)
    print(f"drain     sender      {ours:7.1f} cases/s  ({DRAIN} cases to a local centre)")
    print(f"          bare posts  {bare:7.1f} cases/s  (requests loop, same centre)")
    print(f"          ratio       {ours / bare:5.2f}x")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as folder:
        bench_enqueue(Path(folder))
        bench_drain(Path(folder))


if __name__ == "__main__":
    main()
