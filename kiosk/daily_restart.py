"""A kiosk that runs for months restarts itself once a day, at a quiet moment.

``[maintenance] daily_restart`` names a local time (default 04:00; "off": never). The kiosk
restarts (``Terminal.restart_app``: a clean stop, exit 0, the service manager starts it again)
at the first check when all of these hold (``restart_due``):

- this process started before the latest passing of that time (so a kiosk started after
  today's 04:00 waits for tomorrow's: once a day, with nothing to remember across restarts);
- it has been up for at least ``MIN_UPTIME_S`` by the monotonic clock (a restart loop is
  impossible, whatever the wall clock does);
- no resident is being served: started, at attract, nothing printing, no technician in;
- the site is closed, where it has opening hours (``Site.opens``/``closes``; a site open day
  and night has none, and restarts whenever it is idle).

``DailyRestart.check`` runs on the UI clock every ``CHECK_EVERY_S`` (``kiosk.app``), under a
service manager only (a developer's kiosk run by hand would just stop); it asks once per
process and the restart is in the terminal's audit log.
"""

from __future__ import annotations

import logging
import time as clocks
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from kiosk.session.availability import is_open

if TYPE_CHECKING:
    from kiosk.config.settings import Site
    from kiosk.terminal import Terminal

log = logging.getLogger(__name__)

MIN_UPTIME_S = 3600.0
CHECK_EVERY_S = 30.0
ACTOR = "daily-restart"


def latest_passing(at: time, now: datetime) -> datetime:
    """The latest moment at or before ``now`` when the local clock read ``at``."""
    today = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return today if today <= now else today - timedelta(days=1)


def restart_due(*, now: datetime, started_at: datetime, up_s: float, at: time | None,
                quiet: bool, site_open: bool) -> bool:
    """Whether to restart now: the window passed since this process started, it has been up
    an hour, nobody is being served and the site is closed (``site_open``: False where the
    site has no hours)."""
    if at is None or not quiet or site_open or up_s < MIN_UPTIME_S:
        return False
    return started_at < latest_passing(at, now)


def within_hours(site: Site, now: datetime) -> bool:
    """The site is open now and has opening hours (open day and night is no hours at all)."""
    return not site.always_open and is_open(site, now.time())


class DailyRestart:
    """Restarts ``terminal`` once a day at its window (``restart_due``), through ``restart_app``."""

    def __init__(self, terminal: Terminal, clock: Callable[[], float] = clocks.monotonic) -> None:
        self.terminal = terminal
        self.clock = clock
        self.started_at = terminal.now()
        self._started = clock()
        self.asked = False  # a restart was asked for: never twice in one process
        self.every_s = CHECK_EVERY_S  # how often the app calls ``check``

    def due(self) -> bool:
        terminal = self.terminal
        now = terminal.now()
        return restart_due(
            now=now, started_at=self.started_at, up_s=self.clock() - self._started,
            at=terminal.config.maintenance.daily_restart,
            quiet=terminal.may_enter_maintenance() and not terminal.maintenance.active,
            site_open=within_hours(terminal.config.site, now),
        )

    def check(self) -> bool:
        """Restart if it is due; return whether a restart was asked for now."""
        if self.asked or not self.due():
            return False
        self.asked = True
        at = self.terminal.config.maintenance.daily_restart
        log.info("daily restart (window %s)", at)
        return self.terminal.restart_app(ACTOR, f"daily window {at:%H:%M}")
