"""Staging, the switch, the trial and its end: commit, or roll back with the reason kept.

::

    apply ──▶ staged ──quiet moment──▶ trial (current = new, previous = old) ──health check passed──▶ committed
                                          │
                                          └── crashed, hung, gave up, or its deadline passed
                                              ──watchdog (check_trial, before each start)──▶ rolled back

The switch and the commit are the app's (``runtime``); ``check_trial`` is the watchdog's: it
runs before every start of the service from the ``previous`` slot (a version that committed
once), so a new version that cannot even import cannot stop its own roll back. A trial
version gets ``trial_starts`` starts and until its deadline to commit.

Power cuts: the switch writes the trial before it moves the link, and a roll back moves the
link before it writes; so a new version never runs without a trial on disk, and a trial whose
link did not move is staged again (or, cut during a roll back, reported) by ``check_trial``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kiosk.updates import state
from kiosk.updates.bundle import Manifest
from kiosk.updates.slots import Slots

Now = Callable[[], datetime]
DEADLINE_MARGIN_S = 60  # the service's start (TimeoutStartSec) on top of the health check's limit


def stage(root: Path, manifest: Manifest, now: Now) -> None:
    """``manifest``'s version is installed: start it at the next quiet moment."""
    with state.changing(root) as st:
        st.staged = {"version": manifest.version, "outbox_schema": manifest.outbox_schema,
                     "migrations": list(manifest.migrations), "at": _stamp(now)}
        st.report("update.staged", "ok", f"{manifest.version} installed beside the running version; "
                  "it starts at the next quiet moment", _stamp(now))


def refused(root: Path, reason: str, now: Now) -> None:
    """Keep why an update was refused, for the audit log."""
    with state.changing(root) as st:
        st.report("update.refused", "failed", reason, _stamp(now))


def switch_to_staged(root: Path, now: Now, health_limit_s: int) -> str | None:
    """Make the staged version current and put it on trial; return it (None: nothing staged)."""
    if state.read(root).staged is None:
        return None  # the usual answer, without taking the lock or writing the file
    slots = Slots(root)
    with state.changing(root) as st:
        version = (st.staged or {}).get("version")
        if not isinstance(version, str) or st.trial is not None:
            return None
        st.staged = None
        if not slots.ready(version) or version == slots.current:
            return None
        previous = slots.current or "none"
        st.trial = state.Trial(version=version, previous=previous,
                               deadline=now().timestamp() + health_limit_s + DEADLINE_MARGIN_S)
        st.report("update.switch", "ok", f"switched {previous} -> {version}; on trial until its health check passes",
                  _stamp(now))
        # The trial on disk before the link moves: a new version never runs without its trial.
        state.save(root, st)
        slots.switch_to(version)
    return version


def check_trial(root: Path, now: Now, trial_starts: int) -> str | None:
    """Before a start: roll an uncommitted trial back once its starts or time are used up.

    Returns why it rolled back, or None (no trial, or the trial goes on: this start is counted).
    """
    slots = Slots(root)
    with state.changing(root) as st:
        trial = st.trial
        if trial is None:
            return None
        if slots.current != trial.version:  # a power cut came between the state and the links
            st.trial = None
            if trial.starts == 0 and slots.current == trial.previous:  # during the switch: stage it again
                st.staged = {"version": trial.version, "at": _stamp(now)}
            else:  # during a roll back
                st.report("update.rollback", "failed", f"rolled back {trial.version} -> {slots.current}: "
                          "the trial ended (the roll back was interrupted)", _stamp(now))
            return None
        if trial.failure:
            reason = f"its health check failed: {trial.failure}"
        elif trial.starts >= trial_starts:
            reason = (f"it did not pass its health check in {trial.starts} start(s): "
                      "it crashed, hung or was stopped at start")
        elif now().timestamp() > trial.deadline:
            reason = "its health check did not pass before the trial's deadline"
        else:
            trial.starts += 1
            return None
        was, back = slots.switch_back()
        st.trial = None
        st.report("update.rollback", "failed", f"rolled back {was} -> {back}: {reason}", _stamp(now))
    return reason


def commit(root: Path, version: str, now: Now) -> bool:
    """``version`` passed its health check: end its trial. False when it was not on trial."""
    with state.changing(root) as st:
        trial = st.trial
        if trial is None or trial.version != version:
            return False
        st.trial = None
        st.report("update.commit", "ok", f"{version} committed after its health check "
                  f"({trial.previous} kept for a roll back)", _stamp(now))
    return True


def give_up(root: Path, version: str, reason: str) -> None:
    """``version``'s own health check failed: note why, so the watchdog rolls it back at once."""
    with state.changing(root) as st:
        if st.trial is not None and st.trial.version == version:
            st.trial.failure = reason


def roll_back(root: Path, now: Now, why: str) -> tuple[str, str]:
    """Go back to the previous version now (a technician's command); return (from, to)."""
    with state.changing(root) as st:
        was, back = Slots(root).switch_back()
        st.trial = None
        if (st.staged or {}).get("version") == was:
            st.staged = None
        st.report("update.rollback", "ok", f"rolled back {was} -> {back}: {why}", _stamp(now))
    return was, back


def take_reports(root: Path) -> list[dict[str, str]]:
    """The reports waiting for the audit log, removed from the state file."""
    if not state.read(root).reports:
        return []
    with state.changing(root) as st:
        reports, st.reports = st.reports, []
    return reports


def _stamp(now: Now) -> str:
    return now().isoformat(timespec="seconds")
