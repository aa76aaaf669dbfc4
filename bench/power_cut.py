"""Power cut: the kiosk's process group killed and its unsynced writes lost, again and again;
no case whose receipt was printed may be lost or duplicated.

The kiosk's data folder (outbox, its key file, case-number file) lives on a ``bench.power_disk.PowerDisk``:
ext4 on a loop device whose page cache is thrown away at each cut. A fork server (this
module with ``--child``, a fresh single-threaded process) forks kiosk lives, each in a
process group of its own. A life opens the outbox (recovering in-flight rows), starts the
sender towards a real embedded centre, and then, as fast as it can: takes a case number from
the real ``CaseNumbers``, enqueues the case, and prints a receipt with the number through the
real ESC/POS driver to a printer simulator in another process (``--printer``), which outlives
the cuts as a printer on its own power would. After a random moment the fork server kills the
whole group with SIGKILL and pulls the power on the disk (``PowerDisk.cut``).

What the printer put on paper is the promise: each receipt line names the case number and the
life's salt (the case's key is derived from both, so a number handed out twice after a cut
shows up as two different cases). The test (``tests/kiosk/test_power_cut.py``) starts the
kiosk once more on the last disk, drains the outbox and checks the centre.

Soak: ``python -m bench.power_cut --cuts 200`` (as root) runs it against an embedded centre.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.power_disk import PowerDisk, usable
from central.samples import sample_submission
from contract.wire import CaseSubmission
from drivers.printer.document import Document, Text
from drivers.printer.factory import make_printer
from kiosk.delivery.case_numbers import CaseNumbers
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.private_files import load_or_create_key
from kiosk.delivery.sender import Backoff, Sender

KEY_FILE = "outbox.key"  # made by the first life, as the kiosk makes its key: it must outlast the cuts
TODAY = date(2026, 11, 23)
RECEIPT_MARK = "CASE"


def submission_for(case_number: str, salt: str) -> CaseSubmission:
    """The case a life enqueues under ``case_number`` (terminal 1, day 20261123)."""
    return sample_submission(int(case_number[11:]), day=case_number[:8], salt=salt)


def printed_cases(lines: list[str]) -> dict[str, str]:
    """Case number -> salt for every receipt the printer drew."""
    found: dict[str, str] = {}
    for line in lines:
        words = line.split()
        if len(words) == 3 and words[0] == RECEIPT_MARK:
            found[words[1]] = words[2]
    return found


def _life(disk: Path, printer_port: int, base_url: str, token: str, salt: str, ready: int, *,
          unsafe: bool) -> None:
    """One kiosk life: never returns; ends by SIGKILL."""
    outbox = Outbox(disk / "outbox.db", load_or_create_key(disk / KEY_FILE), min_free_bytes=0)
    if unsafe:  # the control: a kiosk that never syncs its outbox (private on purpose)
        outbox._db.execute("PRAGMA synchronous=OFF")  # noqa: SLF001
    numbers = CaseNumbers(disk / "case-number", terminal_number=1)
    client = CentreClient(base_url, token, connect_timeout=2, read_timeout=5)
    sender = Sender(outbox, client, backoff=Backoff(base_s=0.01, cap_s=0.1), idle_poll_s=0.05)
    printer = make_printer(f"tcp://127.0.0.1:{printer_port}?profile=80mm&poll=20", disk, None)
    printer.open()
    sender.start()
    os.write(ready, b"r")
    while True:
        case_number = numbers.next(TODAY)
        outbox.enqueue(submission_for(case_number, salt))  # durable on return...
        printer.print_document(Document("receipt", (Text(f"{RECEIPT_MARK} {case_number} {salt}"),)))
        sender.wake()  # ...so the receipt may be printed


def run_cuts(disk: PowerDisk, printer_port: int, base_url: str, token: str, *, cuts: int,
             max_life_s: float, seed: int, unsafe: bool = False) -> int:
    """Fork ``cuts`` kiosk lives, each killed (whole group) and its disk cut; return the kills.

    ``unsafe`` turns the outbox's syncing off: the control that shows the cuts do lose writes."""
    rng = random.Random(seed)
    killed = 0
    for life in range(cuts):
        ready_read, ready_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.setsid()  # its own process group, as the kiosk's service is
                os.close(ready_read)
                _life(disk.mount_point, printer_port, base_url, token, f"s{seed}-{life}", ready_write,
                      unsafe=unsafe)
            finally:
                os._exit(1)
        os.close(ready_write)
        select.select([ready_read], [], [], 30)
        os.close(ready_read)
        time.sleep(rng.uniform(0.0, max_life_s))
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            killed += 1
        disk.cut()
    return killed


def _serve_printer() -> None:
    """The printer: print its port, draw what comes until stdin closes, then print its lines."""
    from drivers.printer.profile import PROFILES
    from drivers.printer.wire_simulator import WireSimulator
    from drivers.simlink import TcpLink

    simulator = WireSimulator(PROFILES["80mm"], None)
    link = TcpLink(simulator.feed, name="printer-sim-tcp").open()
    simulator.send = link.try_send
    simulator.start()
    link.start()
    print(link.port, flush=True)
    sys.stdin.read()
    time.sleep(0.5)  # bytes a killed kiosk had already sent are still drawn
    link.stop()
    simulator.stop()
    print(json.dumps(simulator.lines), flush=True)


class PrinterProcess:
    """The printer simulator in a process of its own: ``lines()`` ends it and returns its paper."""

    def __init__(self) -> None:
        self._process = subprocess.Popen([sys.executable, "-m", "bench.power_cut", "--printer"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        self.port = int(self._process.stdout.readline())

    def lines(self) -> list[str]:
        out, _ = self._process.communicate(timeout=30)
        return list(json.loads(out.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.power_cut")
    parser.add_argument("--cuts", type=int, default=20)
    parser.add_argument("--max-life", type=float, default=0.3, help="seconds a life runs at most")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--printer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--printer-port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--unsafe-sync", action="store_true",
                        help="the control: an outbox with synchronous=OFF, which must lose cases")
    args = parser.parse_args(argv)
    if args.printer:
        _serve_printer()
    elif args.child:  # the fork server: the disk is made and left unmounted at the end
        disk = PowerDisk(args.folder).create()
        try:
            killed = run_cuts(disk, args.printer_port, args.base_url, args.token, cuts=args.cuts,
                              max_life_s=args.max_life, seed=args.seed, unsafe=args.unsafe_sync)
        finally:
            disk.unmount()
        print(f"cut {killed}")
    else:
        _soak(args.cuts, args.max_life, args.seed, args.unsafe_sync)


def run_fork_server(folder: Path, printer_port: int, base_url: str, token: str, *, cuts: int,
                    max_life_s: float, seed: int, timeout: float, unsafe: bool = False) -> str:
    """Run the fork server in a fresh process; return what it printed."""
    run = subprocess.run(
        [sys.executable, "-m", "bench.power_cut", "--child", "--cuts", str(cuts),
         "--max-life", str(max_life_s), "--folder", str(folder), "--printer-port", str(printer_port),
         # "--token=T": a random token may begin with "-", which argparse takes for an option
         f"--base-url={base_url}", f"--token={token}", "--seed", str(seed),
         *(["--unsafe-sync"] if unsafe else [])],
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"the fork server failed:\n{run.stderr}")
    return run.stdout.strip()


def _soak(cuts: int, max_life_s: float, seed: int, unsafe: bool) -> None:
    reason = usable()
    if reason:
        print(f"skipped: {reason}")
        return
    print(_one_run(cuts, max_life_s, seed, unsafe))
    if not unsafe:  # the baseline: the same cuts on an outbox that does not sync
        print(f"control, synchronous=OFF: {_one_run(min(cuts, 3), max_life_s, seed, True)}")


def _one_run(cuts: int, max_life_s: float, seed: int, unsafe: bool) -> str:
    from bench.power_verdict import verdict
    from central.server import start_embedded

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        centre = start_embedded(f"sqlite:///{folder / 'central.db'}", terminal_id="T001", terminal_number=1)
        printer = PrinterProcess()
        try:
            started = time.monotonic()
            out = run_fork_server(folder, printer.port, centre.base_url, centre.token, cuts=cuts,
                                  max_life_s=max_life_s, seed=seed, timeout=3600, unsafe=unsafe)
            result = verdict(PowerDisk(folder), printer.lines(), centre, f"sqlite:///{folder / 'central.db'}")
            return f"{out} in {time.monotonic() - started:.1f} s; {result}"
        finally:
            centre.stop()


if __name__ == "__main__":
    main()
