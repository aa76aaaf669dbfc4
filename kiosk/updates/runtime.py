"""What the running kiosk does about updates, once every few seconds on its UI clock.

- On trial (it runs from the slot the trial names): feed the health check; commit when it
  passes; when it fails, note why and ask the app to exit non-zero (the watchdog rolls back).
- Otherwise, with a version staged and a quiet moment (started, at attract, nothing printing, no
  technician in; at a bank site, outside branch hours): switch to it and ask the app to exit 0,
  so the service manager starts the new version.
- Hand the reports waiting in the state file to the audit log (the caller writes them).

Only a kiosk that runs from a slot (``<root>/versions/<v>``) switches anything: a developer's
checkout never does.
"""

from __future__ import annotations

import enum
import sys
import time
from collections.abc import Callable
from datetime import datetime

from kiosk.config.settings import Site, Updates
from kiosk.session.availability import is_open
from kiosk.updates import state, trial
from kiosk.updates.health import HealthCheck, Verdict
from kiosk.updates.slots import Slots

TICK_S = 5.0  # how often the app calls ``tick``


class Action(enum.Enum):
    CARRY_ON = "carry on"
    RESTART = "restart"  # switched to a new version: stop cleanly (exit 0) so it starts
    FAIL = "fail"  # the trial's health check failed: exit non-zero so the watchdog rolls back


class AppUpdates:
    """The running kiosk's side of updates."""

    def __init__(self, settings: Updates, site: Site, now: Callable[[], datetime],
                 clock: Callable[[], float] = time.monotonic, prefix: str = sys.prefix) -> None:
        self.settings = settings
        self.site = site
        self.now = now
        self.slots = Slots(settings.root)
        self.version = self.slots.runs_from(prefix)
        on_trial = self.version is not None and (t := state.read(settings.root).trial) is not None \
            and t.version == self.version
        self.health: HealthCheck | None = HealthCheck(settings.health_limit_s, clock) if on_trial else None
        self.failure = ""

    @property
    def on_trial(self) -> bool:
        return self.health is not None

    def tick(self, *, first_frame: bool, devices_open: bool, centre_reached: bool, quiet: bool) -> Action:
        """Do what is due now; say whether the app must stop."""
        if self.version is None:
            return Action.CARRY_ON
        if self.health is not None:
            verdict = self.health.see(first_frame=first_frame, devices_open=devices_open,
                                      centre_reached=centre_reached)
            if verdict is Verdict.PASSED:
                trial.commit(self.settings.root, self.version, self.now)
                self.health = None
            elif verdict is Verdict.FAILED:
                self.failure = self.health.failure()
                trial.give_up(self.settings.root, self.version, self.failure)
                return Action.FAIL
            return Action.CARRY_ON  # never switch again while on trial
        if quiet and self.quiet_hours() and trial.switch_to_staged(self.settings.root, self.now,
                                                                    self.settings.health_limit_s):
            return Action.RESTART
        return Action.CARRY_ON

    def quiet_hours(self) -> bool:
        """A bank site switches only outside branch hours; the others whenever the kiosk is idle."""
        return self.site.kind != "bank" or not is_open(self.site, self.now().time())

    def take_reports(self) -> list[dict[str, str]]:
        """What happened to updates since the last call, for the audit log."""
        return trial.take_reports(self.settings.root)
