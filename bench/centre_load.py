"""The centre under a simulated fleet: throughput and p99 latency on SQLite and PostgreSQL.

Each simulated kiosk holds one keep-alive connection and, on its own schedule, beats every
``interval`` seconds (device status, outbox depth, paper, versions); one request in fifty is a
new case instead. Latency is measured from the moment a request was due, not when it was
sent, so a centre that falls behind shows it (no coordinated omission).

Steps, for each configuration (SQLite in one service process; PostgreSQL, durable, in one
and in two stateless service processes sharing the database):

- ``fleet``: 1,000 kiosks at the real 30 s interval for 30 s (about 33 requests/s).
- ``x10``, ``x20``, ``x40``: the same 1,000 kiosks with time compressed 10, 20 and 40 times
  (333, 667 and 1,333 requests/s; x20 is the load of 20,000 kiosks at 30 s) for 5 s each.
- ``bare`` (the baseline): 64 connections sending the same heartbeats back to back for 4 s to
  a bare FastAPI app (same uvicorn, same number of processes) that neither checks nor stores
  them: what this machine's HTTP stack serves. ``beats`` is the same against the centre;
  its capacity is printed as a ratio of ``bare``.
- ``cases``: 16 connections submitting new cases back to back for 4 s: the intake ceiling,
  one durable commit per case.

Everything runs on 127.0.0.1; the load generator is asyncio in this process, so it shares the
machine's cores with the centre. Bounded: about three minutes in all.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench.centre_process import CentreProcess, free_port
from central.samples import sample_submission
from central.throwaway_pg import ClusterUnavailable, ThrowawayCluster

KIOSKS = 1000
INTERVAL_S = 30.0
CASE_SHARE = 0.02
FLEET_S = float(os.environ.get("BENCH_FLEET_S", "30"))
STEP_S = 5.0
SPEEDUPS = (10, 20, 40)


class Connection:
    """One keep-alive HTTP/1.1 connection that sends prepared requests."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.writer.get_extra_info("socket").setsockopt(
                socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        assert self.reader is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        if length:
            await self.reader.readexactly(length)
        return int(head[9:12])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _raw(method: str, path: str, token: str, body: bytes = b"") -> bytes:
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def _beat(kiosk: int, token: str) -> bytes:
    body = json.dumps({
        "terminal_id": f"K{kiosk:05d}", "site_id": f"site-{kiosk % 50}",
        "sent_at": datetime.now(UTC).isoformat(), "software_version": "0.1.0",
        "catalog_version": "2026.11.1",
        "devices": {"printer": "online", "id_reader": "online", "scanner": "online"},
        "paper": "ok", "outbox_depth": 0, "oldest_unsent_age_s": None,
    }).encode()
    return _raw("POST", "/api/v1/heartbeats", token, body)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    started: float = 0.0
    ended: float = 0.0

    def line(self, label: str, offered: float | None = None) -> str:
        done = len(self.latencies)
        rate = done / max(1e-9, self.ended - self.started)
        ordered = sorted(self.latencies) or [0.0]
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        offer = f"offered {offered:6.0f}/s " if offered is not None else " " * 16
        return (f"  {label:8} {offer}served {rate:7.1f}/s  p50 {p50:7.1f} ms  "
                f"p99 {p99:8.1f} ms  errors {self.errors}")

    @property
    def rate(self) -> float:
        return len(self.latencies) / max(1e-9, self.ended - self.started)


async def fleet(urls: list[str], token: str, *, interval: float, duration: float,
                first_case: int) -> Tally:
    """1,000 kiosks on their own schedules for ``duration`` seconds."""
    loop = asyncio.get_running_loop()
    tally = Tally(started=loop.time())
    rng = random.Random(first_case)
    cases = iter(range(first_case, first_case + 10**6))
    addresses = [urlsplit(url) for url in urls]

    async def kiosk(number: int) -> None:
        address = addresses[number % len(addresses)]
        connection = Connection(address.hostname or "127.0.0.1", address.port or 80)
        due = tally.started + interval * number / KIOSKS
        try:
            while due < tally.started + duration:
                await asyncio.sleep(max(0.0, due - loop.time()))
                if rng.random() < CASE_SHARE:
                    n = next(cases)
                    case = sample_submission(n % 9999 + 1, terminal=n // 9999 % 1000)
                    raw = _raw("POST", "/api/v1/cases", token, case.model_dump_json().encode())
                else:
                    raw = _beat(number, token)
                try:
                    status = await connection.request(raw)
                except (OSError, asyncio.IncompleteReadError):
                    status = 599
                    connection.close()
                    connection = Connection(address.hostname or "127.0.0.1",
                                            address.port or 80)
                if status >= 400:
                    tally.errors += 1
                tally.latencies.append(loop.time() - due)
                due += interval
        finally:
            connection.close()

    await asyncio.gather(*(kiosk(number) for number in range(KIOSKS)))
    tally.ended = loop.time()
    return tally


async def closed_loop(urls: list[str], raw: bytes, *, connections: int, duration: float
                      ) -> Tally:
    """``connections`` clients sending ``raw`` back to back for ``duration`` seconds."""
    loop = asyncio.get_running_loop()
    tally = Tally(started=loop.time())
    addresses = [urlsplit(url) for url in urls]

    async def client(number: int) -> None:
        address = addresses[number % len(addresses)]
        connection = Connection(address.hostname or "127.0.0.1", address.port or 80)
        try:
            while loop.time() < tally.started + duration:
                sent = loop.time()
                if await connection.request(raw) >= 400:
                    tally.errors += 1
                tally.latencies.append(loop.time() - sent)
        finally:
            connection.close()

    await asyncio.gather(*(client(number) for number in range(connections)))
    tally.ended = loop.time()
    return tally


BARE_APP = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.post("/api/v1/heartbeats")
async def beat(body: dict) -> dict:
    return {"received_at": "2026-11-23T00:00:00Z", "catalog_version": None}
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def bare_baseline(processes: int) -> Tally:
    """The same beats against a bare FastAPI app that validates nothing and stores nothing."""
    ports = [free_port() for _ in range(processes)]
    servers = [subprocess.Popen([sys.executable, "-c", BARE_APP, str(port)]) for port in ports]
    try:
        for port in ports:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        return asyncio.run(closed_loop(urls, _beat(1, "x"), connections=64, duration=4.0))
    finally:
        for server in servers:
            server.terminate()
            server.wait(30)


async def case_storm(urls: list[str], token: str, *, connections: int, duration: float
                     ) -> Tally:
    """``connections`` kiosks submitting new cases back to back: the intake ceiling."""
    loop = asyncio.get_running_loop()
    tally = Tally(started=loop.time())
    numbers = iter(range(10**6))
    addresses = [urlsplit(url) for url in urls]

    async def client(number: int) -> None:
        address = addresses[number % len(addresses)]
        connection = Connection(address.hostname or "127.0.0.1", address.port or 80)
        try:
            while loop.time() < tally.started + duration:
                n = next(numbers)
                case = sample_submission(n % 9999 + 1, terminal=500 + n // 9999)
                raw = _raw("POST", "/api/v1/cases", token, case.model_dump_json().encode())
                sent = loop.time()
                if await connection.request(raw) >= 400:
                    tally.errors += 1
                tally.latencies.append(loop.time() - sent)
        finally:
            connection.close()

    await asyncio.gather(*(client(number) for number in range(connections)))
    tally.ended = loop.time()
    return tally


def run_configuration(label: str, database_url: str, processes: int) -> dict[str, float]:
    print(f"{label}: {processes} service process(es)")
    found: dict[str, float] = {}
    bare = bare_baseline(processes)
    print(bare.line("bare"))
    with CentreProcess(database_url, processes=processes) as centre:
        urls, token = centre.base_urls, centre.token
        beats = asyncio.run(closed_loop(urls, _beat(1, token), connections=64, duration=4.0))
        print(beats.line("beats"))
        found["bare"], found["beats"] = bare.rate, beats.rate
        cases = asyncio.run(case_storm(urls, token, connections=16, duration=4.0))
        print(cases.line("cases"))
        found["cases"] = cases.rate
        tally = asyncio.run(fleet(urls, token, interval=INTERVAL_S, duration=FLEET_S,
                                  first_case=1))
        print(tally.line("fleet", KIOSKS / INTERVAL_S))
        found["fleet_p99_ms"] = sorted(tally.latencies)[int(len(tally.latencies) * .99)] * 1e3
        for step, speedup in enumerate(SPEEDUPS, start=1):
            tally = asyncio.run(fleet(urls, token, interval=INTERVAL_S / speedup,
                                      duration=STEP_S, first_case=step * 100_000))
            print(tally.line(f"x{speedup}", KIOSKS * speedup / INTERVAL_S))
    print(f"  heartbeat capacity {found['beats']:.0f}/s = {found['beats'] / found['bare']:.2f}"
          f"x a bare FastAPI endpoint; 20,000 kiosks need {20000 / INTERVAL_S:.0f}/s")
    print(f"  case intake capacity {found['cases']:.0f}/s (each one durable commit)")
    return found


def main() -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-centre-") as folder:
        run_configuration("SQLite (WAL, synchronous=FULL)",
                          f"sqlite:///{Path(folder) / 'central.db'}", 1)
    try:
        cluster = ThrowawayCluster.start(durable=True)
    except ClusterUnavailable as err:
        print(f"PostgreSQL: skipped ({err})")
    else:
        with cluster:
            run_configuration("PostgreSQL (durable)", cluster.create_database("bench1"), 1)
            run_configuration("PostgreSQL (durable)", cluster.create_database("bench2"), 2)
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
