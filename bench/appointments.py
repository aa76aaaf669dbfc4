"""Counter appointments under load: bookings per second against case intake, on SQLite and
PostgreSQL, and a rush on one slot.

- ``cases`` (the baseline): 8 threads submitting new cases back to back for ``STEP_S``
  seconds: one durable commit each, the intake ceiling on this machine.
- ``bookings``: 8 threads booking slots at one site back to back, spread over the next two days' slots: a slot
  row update, a day counter update and a sealed insert in one commit. Printed as a ratio of
  ``cases``.
- ``rush``: 32 residents at 32 kiosks' worth of threads booking the same slot of 3 places
  at once: how long the 29 refusals take, and that exactly 3 were booked.

Everything runs on 127.0.0.1, the centre served in this process by uvicorn; the threads
share the machine's cores with it. Bounded: well under a minute.
"""

from __future__ import annotations

import itertools
import json
import secrets
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import requests
from fastapi import FastAPI

from central.counter_hours import counter_hours
from central.samples import sample_submission
from central.server import create_app, serve_in_thread
from central.throwaway_pg import ClusterUnavailable, ThrowawayCluster
from contract.appointments import APPOINTMENTS_PATH, SLOTS_PATH

THREADS = 8
STEP_S = 3.0
SITE = "bench-site"
CASES_TOKEN = "bench-cases-0123456789ab"
KIOSK_TOKEN = "bench-kiosk-0123456789ab"
APPLICANT = {"id_type": "resident", "name": "测试人", "id_number": "110101190001011237"}


def _app(url: str, capacity: int) -> FastAPI:
    hours = counter_hours({"capacity": capacity, "sites": {SITE: {"hours": {"mon-sun": ["00:00-23:30"]}}}})
    return create_app(url, {CASES_TOKEN: "*", KIOSK_TOKEN: {"terminal_id": "B001", "terminal_number": 1,
                                                          "site_id": SITE}},
                      catalog={SITE: {"items": [{"id": "item"}]}}, counter_hours=hours)


def _hammer(send: object, seconds: float) -> tuple[float, list[float]]:
    """Call ``send(session, n)`` from THREADS threads for ``seconds``; rate and latencies."""
    numbers = itertools.count(1)
    lock = threading.Lock()
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    def worker() -> None:
        with requests.Session() as session:
            session.trust_env = False
            while time.monotonic() < stop:
                with lock:
                    n = next(numbers)
                began = time.perf_counter()
                status = send(session, n)  # type: ignore[operator]
                assert status in (200, 201), status
                latencies.append(time.perf_counter() - began)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.monotonic() - started), latencies


def _summary(label: str, rate: float, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return (f"  {label:9} {rate:7.1f}/s  p50 {statistics.median(ordered) * 1000:6.1f} ms  "
            f"p99 {p99:6.1f} ms")


def run(name: str, url: str) -> None:
    running = serve_in_thread(_app(url, capacity=100))
    base = running.base_url
    try:
        starts = [slot["start"] for slot in requests.get(
            f"{base}{SLOTS_PATH}", params={"item_id": "item", "days": "2"},
            headers={"Authorization": f"Bearer {KIOSK_TOKEN}"}, timeout=30).json()["slots"]]

        def case(session: requests.Session, n: int) -> int:
            body = sample_submission(n % 9999 + 1, terminal=n // 9999 % 999 + 1).model_dump_json()
            return session.post(f"{base}/api/v1/cases", data=body, timeout=30, headers={
                "Authorization": f"Bearer {CASES_TOKEN}", "Content-Type": "application/json"}).status_code

        def booking(session: requests.Session, n: int) -> int:
            body = {"idempotency_key": secrets.token_hex(16), "item_id": "item",
                    "slot_start": starts[n % len(starts)], "applicant": APPLICANT}
            return session.post(f"{base}{APPOINTMENTS_PATH}", json=body, timeout=30,
                                headers={"Authorization": f"Bearer {KIOSK_TOKEN}"}).status_code

        cases_rate, case_latencies = _hammer(case, STEP_S)
        rate, latencies = _hammer(booking, STEP_S)
    finally:
        running.stop()
    print(f"{name}:")
    print(_summary("cases", cases_rate, case_latencies))
    print(_summary("bookings", rate, latencies) + f"  ({rate / cases_rate:.2f}x cases)")
    rush(url)


def rush(url: str) -> None:
    running = serve_in_thread(_app(url, capacity=3))
    headers = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
    try:
        # the last slot of the third day: the bookings step (the next two days) left it empty
        start = requests.get(f"{running.base_url}{SLOTS_PATH}", params={"item_id": "item", "days": "3"},
                             headers=headers, timeout=30).json()["slots"][-1]["start"]

        def one(_: int) -> tuple[int, float]:
            body = {"idempotency_key": secrets.token_hex(16), "item_id": "item", "slot_start": start,
                    "applicant": APPLICANT}
            began = time.perf_counter()
            status = requests.post(f"{running.base_url}{APPOINTMENTS_PATH}", data=json.dumps(body),
                                   headers=headers | {"Content-Type": "application/json"}, timeout=60).status_code
            return status, time.perf_counter() - began
        with ThreadPoolExecutor(32) as pool:
            answers = list(pool.map(one, range(32)))
    finally:
        running.stop()
    statuses = sorted(status for status, _ in answers)
    slowest = max(seconds for _, seconds in answers) * 1000
    print(f"  rush      32 at once on 3 places: {statuses.count(201)} booked, {statuses.count(409)} "
          f"refused (409), others {[s for s in statuses if s not in (201, 409)]}, "
          f"slowest answer {slowest:.0f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-appointments-") as folder:
        run("SQLite", f"sqlite:///{Path(folder) / 'central.db'}")
        try:
            cluster = ThrowawayCluster.start()
        except ClusterUnavailable as err:
            print(f"PostgreSQL: skipped ({err})")
            return
        try:
            run("PostgreSQL", cluster.create_database(f"bench_appointments_{datetime.now():%H%M%S}"))
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
