"""PostgreSQL restarts under load: every case arrives exactly once, no log line names anyone.

The real kiosk side (outbox, sender, centre client) delivers cases to the real centre on a
throwaway PostgreSQL cluster (production durability) while the database is restarted several
times, once by a crash (SIGKILL) and the others by a fast shutdown, each time staying down
for a while. Every case carries a sentinel name, ID number and phone. Afterwards it counts:
cases promised, at the centre, lost, duplicated (events per case), and lines that carry a
sentinel in the centre's and the kiosk's log (everything at DEBUG) or in PostgreSQL's own log.

``python -m bench.pg_restart [--cases 600] [--restarts 3] [--down 2.0]``
The baseline in the same run: the same cases delivered with no restart (time per case).
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select

from central.db import CaseEventRow, CaseRow, make_engine
from central.samples import sample_submission
from central.server import create_app, serve_in_thread
from central.throwaway_pg import ClusterUnavailable, ThrowawayCluster
from contract.wire import Applicant, CaseSubmission
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.sender import Backoff, Sender

KEY = bytes(range(32))
TOKEN = "bench-pg-restart-kiosk-token"
SENTINEL_NAME = "哨兵甲乙"
SENTINEL_ID = "110101198001010029"  # with a valid GB 11643 check character
SENTINEL_PHONE = "13912345678"
SENTINELS = (SENTINEL_NAME, SENTINEL_ID, SENTINEL_PHONE)


class Captured(logging.Handler):
    """Keeps every formatted log line of this process."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001 - count a broken record as a line, never lose the run
            self.lines.append(f"{record.name} unformattable record")


def sentinel_case(n: int) -> CaseSubmission:
    sample = sample_submission(n)
    return sample.model_copy(update={
        "applicant": Applicant(id_type=sample.applicant.id_type, name=SENTINEL_NAME, id_number=SENTINEL_ID),
        "answers": {"reason": "样例", "phone": SENTINEL_PHONE},
    })


def deliver(cluster: ThrowawayCluster, cases: int, restarts: int, down_for: float, log: Captured
            ) -> dict[str, float]:
    """Deliver ``cases`` while restarting the database ``restarts`` times; return the counts."""
    url = cluster.create_database(f"restart_{uuid.uuid4().hex[:10]}")
    app = create_app(url, {TOKEN: {"terminal_id": "T001", "terminal_number": 1}})
    running = serve_in_thread(app)
    folder = Path(tempfile.mkdtemp(prefix="bench-pg-restart-"))
    outbox = Outbox(folder / "outbox.db", KEY, min_free_bytes=0)
    client = CentreClient(running.base_url, TOKEN, connect_timeout=2, read_timeout=10)
    sender = Sender(outbox, client, backoff=Backoff(base_s=0.05, cap_s=1.0), idle_poll_s=0.05)
    sender.start()
    started = time.monotonic()

    def enqueue_all() -> None:
        for n in range(1, cases + 1):
            outbox.enqueue(sentinel_case(n))
            sender.wake()
            time.sleep(0.005)

    feeder = threading.Thread(target=enqueue_all)
    feeder.start()
    for index in range(restarts):
        time.sleep(1.0)
        cluster.restart(down_for, crash=index == 0)
    feeder.join()
    deadline = time.monotonic() + 300
    while outbox.stats().unsent and time.monotonic() < deadline:
        time.sleep(0.1)
    elapsed = time.monotonic() - started
    sender.stop(timeout=10)
    client.close()
    running.stop()
    engine = make_engine(url)
    with engine.connect() as conn:
        numbers = conn.scalars(select(CaseRow.case_number)).all()
        events = dict(conn.execute(select(CaseEventRow.case_id, func.count()).group_by(CaseEventRow.case_id)).all())
    engine.dispose()
    promised = {sentinel_case(n).case_number for n in range(1, cases + 1)}
    stats = outbox.stats()
    outbox.close()
    return {
        "cases": cases,
        "at_centre": len(set(numbers) & promised),
        "lost": len(promised - set(numbers)),
        "duplicated": sum(1 for count in events.values() if count != 1) + len(numbers) - len(set(numbers)),
        "failed_in_outbox": stats.failed + stats.quarantined,
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pg_restart")
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--down", type=float, default=2.0, help="seconds the database stays down each time")
    args = parser.parse_args()
    log = Captured()
    root = logging.getLogger()
    root.addHandler(log)
    root.setLevel(logging.DEBUG)
    try:
        cluster = ThrowawayCluster.start(durable=True)
    except ClusterUnavailable as err:
        print(f"pg_restart: PostgreSQL cannot be started here: {err}")
        return
    with cluster:
        baseline = deliver(cluster, args.cases, 0, 0, log)
        result = deliver(cluster, args.cases, args.restarts, args.down, log)
        server_log = (cluster.folder / "server.log").read_text(errors="replace")
    leaked = [line for line in log.lines if any(s in line for s in SENTINELS)]
    leaked += [line for line in server_log.splitlines() if any(s in line for s in SENTINELS)]
    print(f"no restart:  {baseline['cases']:.0f} cases, {baseline['at_centre']:.0f} at the centre, "
          f"lost {baseline['lost']:.0f}, duplicated {baseline['duplicated']:.0f}, {baseline['seconds']:.1f} s")
    print(f"{args.restarts} restarts (first a crash), {args.down:g} s down each: {result['cases']:.0f} cases, "
          f"{result['at_centre']:.0f} at the centre, lost {result['lost']:.0f}, "
          f"duplicated {result['duplicated']:.0f}, failed in the outbox {result['failed_in_outbox']:.0f}, "
          f"{result['seconds']:.1f} s ({result['seconds'] / baseline['seconds']:.2f}x the time without restarts)")
    print(f"log lines with a sentinel name, ID number or phone: {len(leaked)} "
          f"(of {len(log.lines)} centre and kiosk lines at DEBUG, and PostgreSQL's own log)")
    for line in leaked[:5]:
        print("  leaked:", line[:200])


if __name__ == "__main__":
    main()
