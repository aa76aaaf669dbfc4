"""The daily restart: once a day after its window, never during a resident's session or a
technician's visit, never within an hour of starting, only outside the site's opening hours;
configured in ``[maintenance] daily_restart`` and audited when it happens."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.config.settings import load_config
from kiosk.daily_restart import MIN_UPTIME_S, DailyRestart, latest_passing, restart_due, within_hours
from kiosk.errors import ConfigError
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock, MakeConfig, write_config
from tests.support import DELETE

CST = timezone(timedelta(hours=8))
FOUR = time(4, 0)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=CST)


def due(now: datetime, started_at: datetime, *, up_s: float = 5 * 3600, window: time | None = FOUR,
        quiet: bool = True, site_open: bool = False) -> bool:
    return restart_due(now=now, started_at=started_at, up_s=up_s, at=window, quiet=quiet,
                       site_open=site_open)


def test_the_window_that_last_passed_is_today_s_or_yesterday_s() -> None:
    assert latest_passing(FOUR, at(2, 4, 0)) == at(2, 4, 0)
    assert latest_passing(FOUR, at(2, 23, 59)) == at(2, 4, 0)
    assert latest_passing(FOUR, at(2, 3, 59)) == at(1, 4, 0)
    assert latest_passing(time(23, 30), at(3, 0, 10)) == at(2, 23, 30)


@pytest.mark.parametrize(("now", "started_at", "expected"), [
    (at(2, 3, 59), at(1, 9), False),  # today's window has not come; yesterday's came before the start
    (at(2, 4, 0), at(1, 9), True),  # the window passed since the start
    (at(2, 13, 0), at(1, 9), True),  # still due later in the day: the first quiet moment
    (at(2, 5, 0), at(2, 4, 1), False),  # started after today's window (the restart itself): tomorrow
    (at(3, 4, 0), at(2, 4, 1), True),  # ... and tomorrow it is due again
    (at(3, 3, 0), at(1, 12), True),  # yesterday's window was missed (busy all night): now
])
def test_once_a_day_after_the_window(now: datetime, started_at: datetime, expected: bool) -> None:
    assert due(now, started_at) is expected


def test_never_busy_never_open_never_within_an_hour_of_starting_never_when_off() -> None:
    now, started = at(2, 4, 30), at(1, 9)
    assert due(now, started)
    assert not due(now, started, quiet=False)  # a resident, a print, a technician
    assert not due(now, started, site_open=True)
    assert not due(now, started, up_s=MIN_UPTIME_S - 1)  # no restart loop, whatever the wall clock says
    assert due(now, started, up_s=MIN_UPTIME_S)
    assert not due(now, started, window=None)


def test_opening_hours_count_only_where_the_site_has_them(kiosk_config: MakeConfig) -> None:
    site = kiosk_config().site
    assert site.always_open  # the shipped community site: day and night
    assert not within_hours(site, at(2, 12))
    branch = dataclasses.replace(site, opens="08:30", closes="17:00")
    assert within_hours(branch, at(2, 8, 30)) and within_hours(branch, at(2, 16, 59))
    assert not within_hours(branch, at(2, 17, 0)) and not within_hours(branch, at(2, 4))


def test_a_terminal_restarts_through_its_hook_once_at_a_quiet_moment(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    clock, wall = FakeClock(), [at(2, 3, 0)]
    terminal = Terminal(config, clock=clock, now=lambda: wall[0])
    restarts: list[int] = []
    terminal.restart_hook = lambda: restarts.append(1)
    terminal.start(connect=False)
    try:
        daily = DailyRestart(terminal, clock=clock)
        clock.advance(30 * 60)
        wall[0] = at(2, 3, 30)
        assert not daily.check()  # before the window
        clock.advance(2 * 3600)
        wall[0] = at(2, 5, 30)
        terminal.session.begin()  # a resident is being served
        assert terminal.session.step is not Step.ATTRACT and not daily.check()
        terminal.session.home()
        terminal.maintenance.enter("pin", clock())  # a technician is in
        assert not daily.check()
        terminal.maintenance.leave()
        assert daily.check() and restarts == [1]
        assert not daily.check() and restarts == [1]  # asked once: the app is stopping
        [entry] = [e for e in terminal.audit.entries() if e.action == "app.restart"]
        assert (entry.actor, entry.outcome, entry.detail) == ("daily-restart", "ok", "daily window 04:00")

        after = DailyRestart(terminal, clock=clock)  # as the process the restart starts
        clock.advance(23 * 3600)
        wall[0] = at(3, 3, 59)
        assert not after.check()
        wall[0] = at(3, 4, 0)
        assert after.check() and restarts == [1, 1]
    finally:
        terminal.stop()


def test_a_bank_branch_restarts_only_outside_its_hours(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    config = dataclasses.replace(config, site=dataclasses.replace(config.site, opens="08:30", closes="17:00"),
                                 maintenance=dataclasses.replace(config.maintenance, daily_restart=time(12, 0)))
    clock, wall = FakeClock(), [at(1, 18)]
    terminal = Terminal(config, clock=clock, now=lambda: wall[0])
    terminal.restart_hook = lambda: None
    terminal.start(connect=False)
    try:
        daily = DailyRestart(terminal, clock=clock)
        clock.advance(20 * 3600)
        wall[0] = at(2, 14)  # the window (12:00) passed, but the branch is open
        assert not daily.check()
        wall[0] = at(2, 17, 5)
        assert daily.check()
    finally:
        terminal.stop()


def test_the_window_is_configured_and_can_be_turned_off(tmp_path: Path) -> None:
    assert load_config(write_config(tmp_path / "a", {"maintenance.daily_restart": DELETE})
                       ).maintenance.daily_restart == FOUR
    assert load_config(write_config(tmp_path / "b", {"maintenance.daily_restart": "03:15"})
                       ).maintenance.daily_restart == time(3, 15)
    assert load_config(write_config(tmp_path / "c", {"maintenance.daily_restart": "off"})
                       ).maintenance.daily_restart is None
    for bad in ("24:00", "4:00", "never", ""):
        with pytest.raises(ConfigError, match=r"kiosk\.toml: \[maintenance\] daily_restart: .* does not match"):
            load_config(write_config(tmp_path / "d", {"maintenance.daily_restart": bad}))
