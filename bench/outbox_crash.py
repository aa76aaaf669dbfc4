"""Crash soak: a kiosk process killed with SIGKILL at random points of submission, again and
again; afterwards no case may be lost or duplicated at the centre.

``run_kills(...)`` is a fork server: this process imports everything once, then forks one
kiosk after another. Each kiosk opens the outbox (recovering in-flight rows), starts the
sender, and enqueues cases as fast as it can, appending each case's sequence number to a
progress file only once ``enqueue`` has returned (the moment a receipt would be printed).
The fork server kills it with SIGKILL after a random delay, so kills land in the middle of
enqueues, claims, HTTP posts and acknowledgements. The test (``tests/kiosk/
test_outbox_crash.py``, 200 kills) then drains the outbox and checks the centre.

Soak: ``python -m bench.outbox_crash --kills 2000`` runs it against an embedded centre on a
temporary SQLite file and prints the verdict.
"""

from __future__ import annotations

import argparse
import os
import random
import select
import signal
import sys
import tempfile
import time
from pathlib import Path

from central.samples import sample_submission
from contract.wire import CaseSubmission
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.sender import Backoff, Sender

KEY = bytes(range(32))


def case_for(n: int) -> CaseSubmission:
    """The n-th case of the soak (n from 1), 9,999 a day, all from terminal 1 (the only one
    the embedded centre's token may act for)."""
    return sample_submission((n - 1) % 9999 + 1, day=str(20261123 + (n - 1) // 9999))


def _kiosk(outbox_path: Path, progress: Path, base_url: str, token: str, first: int, ready: int) -> None:
    """One kiosk life: never returns; ends by SIGKILL. Writes a byte to ``ready`` once it takes cases."""
    outbox = Outbox(outbox_path, KEY, min_free_bytes=0)
    if outbox.recovered:  # the last life was killed with cases in flight
        with open(progress.with_suffix(".recovered"), "a") as log:
            log.write(f"{outbox.recovered}\n")
    client = CentreClient(base_url, token, connect_timeout=2, read_timeout=5)
    sender = Sender(outbox, client, backoff=Backoff(base_s=0.01, cap_s=0.1), idle_poll_s=0.05)
    sender.start()
    fd = os.open(progress, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.write(ready, b"r")
    sequence = first
    while True:
        outbox.enqueue(case_for(sequence))
        os.write(fd, f"{sequence}\n".encode())  # one small append: atomic
        sender.wake()
        sequence += 1
        time.sleep(random.uniform(0, 0.004))


def recovered(progress: Path) -> int:
    """How many in-flight rows the kiosk lives found at start-up, all told."""
    path = progress.with_suffix(".recovered")
    return sum(int(n) for n in path.read_text().split()) if path.exists() else 0


def enqueued(progress: Path) -> list[int]:
    """The sequence numbers whose enqueue returned in any kiosk life."""
    if not progress.exists():
        return []
    return [int(line) for line in progress.read_text().split()]


def run_kills(outbox_path: Path, progress: Path, base_url: str, token: str, *, kills: int,
              max_life_s: float = 0.08, seed: int = 1) -> int:
    """Fork and SIGKILL ``kills`` kiosk lives; return how many were killed mid-life.

    Each life is killed at a random moment within ``max_life_s`` of taking its first case
    (its start-up, which a busy machine slows, does not eat into that time).
    """
    rng = random.Random(seed)
    killed = 0
    for _ in range(kills):
        done = enqueued(progress)
        first = (max(done) + 1) if done else 1
        ready_read, ready_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the kiosk
            try:
                os.close(ready_read)
                random.seed(os.getpid())
                _kiosk(outbox_path, progress, base_url, token, first, ready_write)
            finally:
                os._exit(1)
        os.close(ready_write)
        select.select([ready_read], [], [], 30)  # until it takes cases (or died trying)
        os.close(ready_read)
        time.sleep(rng.uniform(0.0, max_life_s))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            killed += 1
    return killed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_crash")
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--base-url", help="a running centre (default: an embedded one)")
    parser.add_argument("--token")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--outbox", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--progress", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.child:  # the fork server, run by the test in a fresh single-threaded process
        killed = run_kills(args.outbox, args.progress, args.base_url, args.token,
                           kills=args.kills, seed=args.seed)
        print(f"killed {killed}")
        return
    _soak(args.kills, args.seed)


def _soak(kills: int, seed: int) -> None:
    import subprocess

    from central.server import start_embedded

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        centre = start_embedded(f"sqlite:///{work / 'central.db'}", terminal_id="T001",
                                terminal_number=1)
        try:
            started = time.monotonic()
            out = subprocess.run(
                [sys.executable, "-m", "bench.outbox_crash", "--child", "--kills", str(kills),
                 "--outbox", str(work / "outbox.db"), "--progress", str(work / "progress"),
                 f"--base-url={centre.base_url}", f"--token={centre.token}", "--seed", str(seed)],
                check=True, capture_output=True, text=True,
            ).stdout.strip()
            outbox = Outbox(work / "outbox.db", KEY, min_free_bytes=0)
            sender = Sender(outbox, CentreClient(centre.base_url, centre.token))
            while outbox.stats().unsent:
                sender.run_once()
            promised = set(enqueued(work / "progress"))
            client = CentreClient(centre.base_url, centre.token)
            lost = [n for n in sorted(promised)
                    if _missing(client, case_for(n).case_number)]
            stats = outbox.stats()
            print(f"{out} in {time.monotonic() - started:.1f} s; {len(promised)} cases promised, "
                  f"{stats.sent} delivered, {len(lost)} lost, {stats.failed} failed; "
                  f"{recovered(work / 'progress')} in-flight rows recovered after kills")
        finally:
            centre.stop()


def _missing(client: CentreClient, case_number: str) -> bool:
    from kiosk.errors import CentreRejected

    try:
        client.case_status(case_number)
    except CentreRejected:
        return True
    return False


if __name__ == "__main__":
    main()
