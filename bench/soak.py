"""Soak: thousands of resident sessions in one process, with device faults and the centre down.

``python -m bench.soak --sessions 10000`` starts one real Terminal (in-process simulated
devices, the development centre embedded behind a loopback fault proxy that can take it
down) on the street centre's profile, which offers every item of the catalogue, and runs
sessions through every item, bundle, counter item and a receipt lookup in turn
(``bench.soak_flows``). Faults are drawn per session: a card taken away
mid-read, paper out as the receipt prints, the scanner unplugged; and the centre is down for
``--down-s`` seconds every ``--down-every`` sessions (sessions go on; the outbox holds them).
Every 500 sessions it prints RSS, open file descriptors and threads, and at the end each one's
least-squares slope per 1000 sessions (goal: flat), whether every case given a receipt is at
the centre exactly once, and sessions per hour. With ``--window`` the real Kivy app shows every
screen the sessions pass (offscreen, ``bench.soak_window``; ``--draw`` rasterises its frames
too), and each sample also counts the widgets in the window's tree, the live widget objects and
the callbacks on Kivy's clock.
The baseline for the slopes is the first sample's value, printed beside them.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import random
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from bench.soak_flows import Fault, Tally, a_moment, plan, run_session
from kiosk.cli.embedded_centre import EmbeddedCentreConnector, centre_connector
from kiosk.config.settings import load_config
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import config_under, write_config
from tests.kiosk.proxied_centre import ProxiedCentre

SAMPLE_EVERY = 500
SESSIONS_A_DAY = 5000  # a bundle takes two or more case numbers: well within 9,999 a day
FAULT_CHANCE = {Fault.CARD_REMOVED: 0.05, Fault.PAPER_OUT: 0.03, Fault.SCANNER_UNPLUGGED: 0.03}


def sample() -> tuple[float, int, int]:
    """RSS in MiB, open file descriptors, threads of this process."""
    with open("/proc/self/statm") as statm:
        rss_pages = int(statm.read().split()[1])
    return rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20, len(os.listdir("/proc/self/fd")), threading.active_count()


def object_counts() -> Counter[str]:
    """Live Python objects by type name, after a full collection (``--objects``)."""
    gc.collect()
    return Counter(type(o).__name__ for o in gc.get_objects())


def slope_per_1000(xs: list[int], ys: list[float]) -> float:
    """Least-squares slope of ``ys`` against ``xs`` (sessions), per 1000 sessions."""
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    return 1000 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


def at_centre(database: Path, numbers: set[str]) -> tuple[int, int, int]:
    """(cases of ``numbers`` at the centre, receptions of them, other cases there)."""
    from sqlalchemy import func, select

    from central.db import CaseEventRow, CaseRow, make_engine

    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            there = set(conn.scalars(select(CaseRow.case_number)).all())
            events = dict(conn.execute(
                select(CaseRow.case_number, func.count()).join(CaseEventRow, CaseEventRow.case_id == CaseRow.id)
                .where(CaseEventRow.status == "received").group_by(CaseRow.case_number)).all())
    finally:
        engine.dispose()
    return len(numbers & there), sum(events.get(n, 0) for n in numbers), len(there - numbers)


def run(sessions: int, down_every: int, down_s: float, seed: int, folder: Path, *,
        site: str = "street", minutes: float = 0.0, objects: bool = False, every: int = SAMPLE_EVERY,
        window: bool = False, draw: bool = False) -> None:
    rng = random.Random(seed)
    logging.basicConfig(filename=folder / "soak.log", level=logging.WARNING)  # the faults' warnings
    config = config_under(load_config(write_config(folder, {"site": f"sites/{site}.toml"})), folder)
    inner = centre_connector(config)
    assert isinstance(inner, EmbeddedCentreConnector)
    centre = ProxiedCentre(inner)
    # A kiosk numbers at most 9,999 cases a day: the run's sessions are spread over kiosk days
    # (SESSIONS_A_DAY each, the first ones in the past), so the last are not refused for that.
    days = {"back": (sessions - 1) // SESSIONS_A_DAY}
    terminal = Terminal(config, centre=centre,
                        now=lambda: datetime.now().astimezone() - timedelta(days=days["back"]))
    terminal.start()
    screen = None
    if window:
        from bench.soak_window import SoakWindow

        screen = SoakWindow(config, terminal, draw=draw)
        screen.frames(5)
    wait = screen.idle if screen else a_moment
    tally = Tally()
    samples: list[tuple[int, float, int, int]] = []
    widgets: list[tuple[int, int, int]] = []  # with --window: in the tree, alive, clock callbacks
    counted: list[Counter[str]] = []  # with --objects: live objects by type at each sample
    flows = plan(terminal)
    down_until: float | None = None
    started = time.monotonic()
    print(f"{len(flows)} flows on site {config.site.id}; faults {', '.join(f.value for f in Fault)}; "
          f"centre down {down_s:.0f} s every {down_every} sessions")
    print(f"{'sessions':>8} {'RSS MiB':>8} {'fds':>5} {'threads':>7} {'elapsed s':>9} {'cases':>6} {'unsent':>6}"
          + (f" {'widgets':>7} {'alive':>6} {'clock':>5}" if screen else ""))
    try:
        for n in range(sessions):
            if minutes and time.monotonic() - started > minutes * 60:
                break
            proxy = centre.proxy
            assert proxy is not None
            if down_every and n % down_every == down_every // 2 and down_until is None:
                proxy.down()
                down_until = time.monotonic() + down_s
            if down_until is not None and time.monotonic() >= down_until:
                proxy.up()
                down_until = None
            if n and n % SESSIONS_A_DAY == 0 and terminal.session.step is Step.ATTRACT:
                days["back"] = max(0, days["back"] - 1)  # the next kiosk day
            flow, chosen = flows[n % len(flows)]
            faults = {fault for fault, chance in FAULT_CHANCE.items() if rng.random() < chance}
            run_session(terminal, flow, chosen, faults, tally, wait)
            if (n + 1) % every == 0 or n == 0:
                rss, fds, threads = sample()
                samples.append((n + 1, rss, fds, threads))
                if objects:
                    counted.append(object_counts())
                unsent = terminal.link.outbox.stats().unsent if terminal.link else -1
                counts = ""
                if screen:
                    widgets.append((*screen.widgets(), screen.clock_events()))
                    counts = " ".join(f"{c:{w}d}" for c, w in zip(widgets[-1], (7, 6, 5), strict=True))
                print(f"{n + 1:8d} {rss:8.1f} {fds:5d} {threads:7d} {time.monotonic() - started:9.0f} "
                      f"{len(tally.cases):6d} {unsent:6d} {counts}", flush=True)
        elapsed = time.monotonic() - started
        if centre.proxy is not None and down_until is not None:
            centre.proxy.up()
        link = terminal.link
        assert link is not None
        deadline = time.monotonic() + 300
        while link.outbox.stats().unsent and time.monotonic() < deadline:
            terminal.send_now()
            time.sleep(0.2)
        stats = link.outbox.stats()
    finally:
        if screen:
            screen.close()
        terminal.stop()
    _report(tally, samples, elapsed, stats.unsent, stats.failed, inner.database)
    if widgets:
        _report_widgets(samples, widgets)
    if len(counted) > 2:
        grown = (counted[-1] - counted[1]).most_common(8)
        print(f"objects grown from {samples[1][0]} to {samples[-1][0]} sessions: "
              + (", ".join(f"{name} +{n}" for name, n in grown) or "none"))


def _report(tally: Tally, samples: list[tuple[int, float, int, int]], elapsed: float, unsent: int,
            failed: int, database: Path) -> None:
    xs = [s[0] for s in samples[1:]] or [s[0] for s in samples]  # the first session warms up
    rest = samples[1:] or samples
    for index, name in ((1, "RSS MiB"), (2, "open fds"), (3, "threads")):
        ys = [float(s[index]) for s in rest]
        print(f"slope {name:9}: {slope_per_1000(xs, ys):+8.3f} per 1000 sessions "
              f"(baseline {ys[0]:.1f} at {xs[0]} sessions, {ys[-1]:.1f} at {xs[-1]}: ratio {ys[-1] / ys[0]:.2f})")
    found, receptions, others = at_centre(database, tally.cases)
    once = found == receptions == len(tally.cases)
    print(f"cases given a receipt {len(tally.cases)}; at the centre {found}, received {receptions} times, "
          f"{others} others; unsent {unsent}, failed {failed}: "
          f"{'every case exactly once' if once and unsent == failed == 0 else 'NOT exactly once'}")
    print(f"flows {dict(sorted(tally.by_flow.items()))}")
    print(f"faults {dict(sorted(tally.faults.items()))}")
    print(f"not finished {dict(sorted(tally.stuck.items())) or 'none'}")
    print(f"{tally.sessions} sessions in {elapsed:.0f} s: {tally.sessions / elapsed * 3600:.0f} sessions/hour "
          f"(10,000 would take {10000 / tally.sessions * elapsed / 3600:.1f} h)")


def _report_widgets(samples: list[tuple[int, float, int, int]], widgets: list[tuple[int, int, int]]) -> None:
    xs = [s[0] for s in samples[1:]] or [s[0] for s in samples]
    rest = widgets[1:] or widgets
    for index, name in ((0, "widgets"), (1, "alive"), (2, "clock")):
        ys = [float(w[index]) for w in rest]
        print(f"slope {name:9}: {slope_per_1000(xs, ys):+8.3f} per 1000 sessions "
              f"(baseline {ys[0]:.0f} at {xs[0]} sessions, {ys[-1]:.0f} at {xs[-1]}, "
              f"min {min(ys):.0f} max {max(ys):.0f})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak")
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--down-every", type=int, default=1000, help="sessions between centre outages (0: none)")
    parser.add_argument("--down-s", type=float, default=120.0, help="seconds each outage lasts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--site", default="street", help="a profile in config/sites (street offers every item)")
    parser.add_argument("--minutes", type=float, default=0.0, help="stop starting sessions after this long")
    parser.add_argument("--every", type=int, default=SAMPLE_EVERY, help="sessions between samples")
    parser.add_argument("--objects", action="store_true", help="count live objects by type at each sample")
    parser.add_argument("--window", action="store_true", help="show each screen offscreen, count widgets")
    parser.add_argument("--draw", action="store_true", help="with --window: rasterise its frames too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        run(args.sessions, args.down_every, args.down_s, args.seed, Path(folder), site=args.site,
            minutes=args.minutes, objects=args.objects, every=args.every, window=args.window,
            draw=args.draw)


if __name__ == "__main__":
    main()
