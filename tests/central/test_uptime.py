"""Device uptime from the sampled heartbeat history: a silence counts as down, out of service
as online but not serving; on SQLite and PostgreSQL.

The history's times cannot be chosen through the API (the centre stamps each beat as it
arrives), so the tests write past samples into ``kiosk_beats`` as ``central.beat_history``
would have; the kiosk itself is made known by a real heartbeat.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from centre_support import KIOSK, Api, build_app
from sqlalchemy import Engine, insert

from central.auth import Clerk, Role
from central.fleet_rows import KioskBeatRow
from central.server import serve_in_thread
from central.stats import DateRange
from central.uptime import _measure, uptime

BEIJING = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 1 December, 00:00 in Beijing
MIN = timedelta(minutes=1)


def every_five_minutes(first: datetime, last: datetime, serving: bool = True) -> list[tuple[datetime, bool]]:
    out, at = [], first
    while at <= last:
        out.append((at, serving))
        at += 5 * MIN
    return out


def test_a_kiosk_beating_all_along_is_up_all_along() -> None:
    samples = every_five_minutes(T0, T0 + 55 * MIN)
    observed, online, serving = _measure(samples + [(T0 + 60 * MIN, True)], T0 + 60 * MIN,
                                         T0, T0 + 60 * MIN)
    assert observed == online == serving == 3600


def test_a_silence_is_down_and_out_of_service_is_not_serving() -> None:
    samples = [(T0, True), (T0 + 5 * MIN, True), (T0 + 30 * MIN, False), (T0 + 35 * MIN, False),
               *every_five_minutes(T0 + 40 * MIN, T0 + 55 * MIN)]
    observed, online, serving = _measure(samples, T0 + 60 * MIN, T0, T0 + 60 * MIN)
    assert observed == 3600
    # 0:00-0:10:30 up (the silence starts within a sample's stretch), back at 0:30 to the end.
    assert online == pytest.approx(10.5 * 60 + 30 * 60)
    assert serving == pytest.approx(10.5 * 60 + 20 * 60)


def test_a_kiosk_first_seen_late_is_observed_from_then() -> None:
    observed, online, _ = _measure([(T0 + 30 * MIN, True)], T0 + 33 * MIN, T0, T0 + 60 * MIN)
    assert observed == 1800 and online == pytest.approx(3.5 * 60)  # silent since its last beat
    assert _measure([], T0, T0, T0 + 60 * MIN) == (0.0, 0.0, 0.0)


@pytest.fixture
def centre(database_url: str) -> Iterator[tuple[Api, Engine]]:
    running = serve_in_thread(build_app(database_url))
    with Api(running.base_url) as api:
        yield api, running.app.state.engine
    running.stop()


def test_uptime_per_kiosk_for_a_day(centre: tuple[Api, Engine]) -> None:
    api, engine = centre
    beat = {"terminal_id": "T001", "site_id": "demo-site", "software_version": "1",
            "sent_at": datetime.now(UTC).isoformat(), "outbox_depth": 0}
    assert api.post("/api/v1/heartbeats", json=beat, headers=KIOSK).status_code == 200
    day_start = T0
    samples = every_five_minutes(day_start, day_start + timedelta(hours=12) - 5 * MIN)  # up 12 h
    samples += every_five_minutes(day_start + timedelta(hours=18), day_start + timedelta(hours=24) - 5 * MIN,
                                  serving=False)  # back for the last 6 h, out of service
    samples.append((day_start + timedelta(hours=24), True))
    with engine.begin() as conn:
        conn.execute(insert(KioskBeatRow), [
            {"terminal_id": "T001", "at": at, "degraded": False, "in_service": serving, "paper": "ok",
             "outbox_depth": 0, "oldest_unsent_age_s": None, "devices": "{}"} for at, serving in samples])
    supervisor = Clerk("zhao", Role.SUPERVISOR)
    for _ in range(50):
        found = uptime(engine, supervisor, DateRange(date(2026, 12, 1), date(2026, 12, 1)), BEIJING)
        if found.total:
            break
        time.sleep(0.1)  # the beat buffer writes the kiosk's row within a second
    (kiosk,) = found.rows
    assert kiosk.observed_s == 86400
    assert kiosk.online_ratio == pytest.approx(0.75 + 30 / 86400)  # 12 h + the stretch, then 6 h
    assert kiosk.in_service_ratio == pytest.approx(0.5 + 30 / 86400)
    elsewhere = Clerk("qian", Role.SUPERVISOR, sites=frozenset({"east-site"}))
    assert uptime(engine, elsewhere, DateRange(date(2026, 12, 1), date(2026, 12, 1)), BEIJING).total == 0
