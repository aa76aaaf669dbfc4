"""A/B updates end to end, as real processes: apply, switch at a quiet moment, the trial, and
its end. The new version commits only after its health check; one that crashes, hangs or never
gets healthy is rolled back by the watchdog (``kiosk update check-trial``, run before each start)
and the kiosk serves on the old version, with the reason kept for its audit log.

A "start of the service" here is what gov-kiosk.service does: the watchdog, then
``<root>/current/bin/kiosk`` (``updates_support.start_service``).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config.settings import KioskConfig, load_config
from kiosk.delivery.outbox_format import SCHEMA_VERSION
from kiosk.updates import state, trial
from kiosk.updates.bundle import Manifest, make_bundle
from kiosk.updates.runtime import Action, AppUpdates
from kiosk.updates.slots import Slots
from tests.kiosk.updates_support import (
    copy_slot,
    fake_wheel,
    first_install,
    kiosk_command,
    new_key,
    start_service,
    updates_config,
)
from tests.support import edit_toml


@dataclass
class Kiosk:
    config_file: Path
    config: KioskConfig
    root: Path
    bundle: Path
    template: Path

    @property
    def slots(self) -> Slots:
        return Slots(self.root)


def now() -> datetime:
    return datetime.now().astimezone()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Slots of 0.1.0 and 0.2.0, installed once (really, with pip) for the tests to copy."""
    folder = tmp_path_factory.mktemp("template")
    first_install(folder / "opt", "0.1.0", folder)
    wheel = fake_wheel(folder / "wheels-0.2.0", "0.2.0")
    Slots(folder / "opt").install("0.2.0", wheel.parent, wheel.name)
    return folder / "opt"


@pytest.fixture
def kiosk(tmp_path: Path, template: Path) -> Kiosk:
    """A kiosk running 0.1.0 from its slot, and a signed bundle of 0.2.0."""
    key, public = new_key()
    config_file = updates_config(tmp_path, public, health_limit_s=1, trial_starts=2)
    config = load_config(config_file)
    root = config.updates.root
    copy_slot(template, root, "0.1.0")
    Slots(root).switch_to("0.1.0")
    bundle = tmp_path / "gov-kiosk-0.2.0.bundle"
    make_bundle([fake_wheel(tmp_path / "wheels", "0.2.0")], key, bundle, outbox_schema=SCHEMA_VERSION, now=now())
    return Kiosk(config_file, config, root, bundle, template)


def running_app(kiosk: Kiosk, version: str = "0.1.0", site_kind: str = "community") -> AppUpdates:
    """The updates side of ``version``'s app, as if it ran from its slot."""
    site = dataclasses.replace(kiosk.config.site, kind=site_kind, opens="08:00", closes="18:00")
    return AppUpdates(kiosk.config.updates, site, now=now, prefix=str(kiosk.slots.slot(version)))


def apply(kiosk: Kiosk, install: bool = True) -> None:
    """Apply the bundle: with ``kiosk update apply`` (``install``), or, where the install is not
    what is tested, by copying the slot and staging it as apply does."""
    if install:
        done = kiosk_command("update", "apply", str(kiosk.bundle), "--config", str(kiosk.config_file))
        assert done.returncode == 0, done.stderr
        assert "0.2.0 installed and staged" in done.stdout
    else:
        copy_slot(kiosk.template, kiosk.root, "0.2.0")
        manifest = Manifest("0.2.0", "2026-12-02T08:00:00+00:00", {"gov_kiosk-0.2.0-py3-none-any.whl": "0" * 64}, 2)
        trial.stage(kiosk.root, manifest, now)


def apply_and_switch(kiosk: Kiosk, install: bool = True) -> None:
    """Apply the bundle, then let the old version's app switch to it at a quiet moment."""
    apply(kiosk, install)
    assert kiosk.slots.current == "0.1.0"  # nothing switches until a quiet moment
    app = running_app(kiosk)
    assert app.tick(first_frame=True, devices_open=True, centre_reached=True, quiet=False) is Action.CARRY_ON
    assert kiosk.slots.current == "0.1.0"  # a resident is in a session
    assert app.tick(first_frame=True, devices_open=True, centre_reached=True, quiet=True) is Action.RESTART
    assert (kiosk.slots.current, kiosk.slots.previous) == ("0.2.0", "0.1.0")
    assert state.read(kiosk.root).trial is not None


def actions(kiosk: Kiosk) -> list[str]:
    return [report["action"] for report in state.read(kiosk.root).reports]


def serve_until_old(kiosk: Kiosk, behaviour: str, starts: int, timeout: float = 20) -> list[tuple[str, int]]:
    """Start the service again and again (systemd's Restart=always) until 0.1.0 serves."""
    runs = []
    for _ in range(starts):
        out, code = start_service(kiosk.root, kiosk.config_file, {"0.2.0": behaviour}, timeout=timeout)
        runs.append((out, code))
        if out.startswith("0.1.0 serving"):
            return runs
    raise AssertionError(f"still not back on 0.1.0 after {starts} starts: {runs}")


def assert_rolled_back(kiosk: Kiosk, reason: str) -> None:
    assert (kiosk.slots.current, kiosk.slots.previous) == ("0.1.0", None)
    after = state.read(kiosk.root)
    assert after.trial is None and after.staged is None
    rollback = [r for r in after.reports if r["action"] == "update.rollback"]
    assert len(rollback) == 1 and rollback[0]["outcome"] == "failed"
    assert rollback[0]["detail"].startswith("rolled back 0.2.0 -> 0.1.0: ") and reason in rollback[0]["detail"]
    # The old version serves again, and hands the reports to its audit log once.
    out, code = start_service(kiosk.root, kiosk.config_file, {})
    assert (out, code) == ("0.1.0 serving\n", 0)
    reports = running_app(kiosk).take_reports()
    assert [r["action"] for r in reports][-1] == "update.rollback"
    assert running_app(kiosk).take_reports() == []


def test_a_good_update_commits_after_its_health_check(kiosk: Kiosk) -> None:
    apply_and_switch(kiosk)
    out, code = start_service(kiosk.root, kiosk.config_file, {"0.2.0": "good"})
    assert (out, code) == ("0.2.0 on trial\n0.2.0 serving\n", 0)
    assert state.read(kiosk.root).trial is None
    assert actions(kiosk) == ["update.staged", "update.switch", "update.commit"]
    # Committed: later starts run it with no trial, and the watchdog leaves it alone.
    out, code = start_service(kiosk.root, kiosk.config_file, {"0.2.0": "good"})
    assert (out, code) == ("0.2.0 not on trial\n0.2.0 serving\n", 0)
    assert (kiosk.slots.current, kiosk.slots.previous) == ("0.2.0", "0.1.0")


def test_an_update_that_crashes_at_start_is_rolled_back(kiosk: Kiosk) -> None:
    apply_and_switch(kiosk, install=False)
    runs = serve_until_old(kiosk, "crash", starts=4)
    assert runs[:-1] == [("0.2.0 crashed at start\n", 1)] * 2  # trial_starts = 2
    assert_rolled_back(kiosk, "did not pass its health check in 2 start(s)")


def test_an_update_that_never_gets_healthy_gives_up_and_is_rolled_back(kiosk: Kiosk) -> None:
    apply_and_switch(kiosk, install=False)
    runs = serve_until_old(kiosk, "unhealthy", starts=3)
    assert runs[0] == ("0.2.0 on trial\n0.2.0 gave up: not healthy within 1 s (missing: centre reached)\n", 2)
    assert len(runs) == 2  # rolled back at the very next start
    assert_rolled_back(kiosk, "its health check failed: not healthy within 1 s (missing: centre reached)")


def test_an_update_that_hangs_at_start_is_rolled_back(kiosk: Kiosk) -> None:
    apply_and_switch(kiosk, install=False)
    runs = serve_until_old(kiosk, "hang", starts=4, timeout=1)
    assert runs[:-1] == [("0.2.0 hangs\n", -9)] * 2  # killed, as systemd's start timeout would
    assert_rolled_back(kiosk, "crashed, hung or was stopped at start")


def test_a_trial_past_its_deadline_is_rolled_back_whatever_its_starts(kiosk: Kiosk) -> None:
    apply_and_switch(kiosk, install=False)
    later = datetime.now().astimezone() + timedelta(minutes=10)
    reason = trial.check_trial(kiosk.root, lambda: later, trial_starts=10)
    assert reason == "its health check did not pass before the trial's deadline"
    assert_rolled_back(kiosk, reason)


def test_a_bad_signature_leaves_the_kiosk_serving_on_the_old_version(kiosk: Kiosk, tmp_path: Path) -> None:
    forger, _public = new_key()
    forged = tmp_path / "forged.bundle"
    make_bundle([fake_wheel(tmp_path / "forged-wheels", "0.2.0")], forger, forged, outbox_schema=SCHEMA_VERSION,
                now=now())
    done = kiosk_command("update", "apply", str(forged), "--config", str(kiosk.config_file))
    assert done.returncode == 1
    assert "refused, nothing changed" in done.stderr and "signature" in done.stderr
    assert running_app(kiosk).tick(first_frame=True, devices_open=True, centre_reached=True,
                                   quiet=True) is Action.CARRY_ON
    assert (kiosk.slots.current, kiosk.slots.installed()) == ("0.1.0", ["0.1.0"])
    assert start_service(kiosk.root, kiosk.config_file, {"0.2.0": "good"}) == ("0.1.0 serving\n", 0)
    assert actions(kiosk) == ["update.refused"]


def test_a_bank_site_switches_only_outside_branch_hours(kiosk: Kiosk) -> None:
    apply(kiosk, install=False)
    bank = running_app(kiosk, site_kind="bank")
    bank.now = lambda: datetime(2026, 12, 2, 10, 0).astimezone()  # the branch is open
    assert bank.tick(first_frame=True, devices_open=True, centre_reached=True, quiet=True) is Action.CARRY_ON
    assert kiosk.slots.current == "0.1.0"
    bank.now = lambda: datetime(2026, 12, 2, 22, 0).astimezone()
    assert bank.tick(first_frame=True, devices_open=True, centre_reached=True, quiet=True) is Action.RESTART
    assert kiosk.slots.current == "0.2.0"


def test_the_technician_rolls_back_and_sees_it_in_status(kiosk: Kiosk) -> None:
    apply_and_switch(kiosk)
    start_service(kiosk.root, kiosk.config_file, {"0.2.0": "good"})
    status = kiosk_command("update", "status", "--json", "--config", str(kiosk.config_file))
    info = json.loads(status.stdout)
    assert (info["current"], info["previous"], info["installed"], info["trial"]) == (
        "0.2.0", "0.1.0", ["0.1.0", "0.2.0"], None)
    done = kiosk_command("update", "rollback", "--config", str(kiosk.config_file))
    assert done.returncode == 0 and "rolled back 0.2.0 -> 0.1.0" in done.stdout
    assert start_service(kiosk.root, kiosk.config_file, {}) == ("0.1.0 serving\n", 0)
    check = kiosk_command("update", "check", "--config", str(kiosk.config_file))
    assert "running (current): 0.1.0" in check.stdout and "previous:          none" in check.stdout
    assert "rolled back 0.2.0 -> 0.1.0: by the technician" in check.stdout
    again = kiosk_command("update", "rollback", "--config", str(kiosk.config_file))
    assert again.returncode == 1 and "no previous version to go back to" in again.stderr


def test_a_developer_checkout_never_switches(kiosk: Kiosk) -> None:
    apply(kiosk, install=False)
    checkout = AppUpdates(kiosk.config.updates, kiosk.config.site, now=now)  # sys.prefix: the project's venv
    assert checkout.version is None
    assert checkout.tick(first_frame=True, devices_open=True, centre_reached=True, quiet=True) is Action.CARRY_ON
    assert kiosk.slots.current == "0.1.0"


def test_the_watchdog_rolls_back_even_when_the_new_version_changed_the_rest_of_the_file(kiosk: Kiosk) -> None:
    """A key only the new version knows must not stop the roll back (it reads ``[updates]`` alone)."""
    apply_and_switch(kiosk, install=False)
    edit_toml(kiosk.config_file, {"centre.retry_profile": "new in 0.2.0"})
    trial.give_up(kiosk.root, "0.2.0", "not healthy within 1 s (missing: centre reached)")
    done = kiosk_command("update", "check-trial", "--config", str(kiosk.config_file))
    assert done.returncode == 0 and "rolled back: its health check failed" in done.stderr
    assert kiosk.slots.current == "0.1.0"


def test_a_power_cut_during_the_switch_stages_the_update_again(kiosk: Kiosk) -> None:
    """The trial is written before the link moves; cut there, the watchdog stages it again."""
    apply(kiosk, install=False)
    with state.changing(kiosk.root) as st:  # what the disk holds after the trial was written, before the link
        st.staged = None
        st.trial = state.Trial(version="0.2.0", previous="0.1.0", deadline=now().timestamp() + 60)
    assert trial.check_trial(kiosk.root, now, trial_starts=2) is None
    after = state.read(kiosk.root)
    assert after.trial is None and (after.staged or {}).get("version") == "0.2.0"
    assert kiosk.slots.current == "0.1.0"
    assert running_app(kiosk).tick(first_frame=True, devices_open=True, centre_reached=True,
                                   quiet=True) is Action.RESTART
    assert kiosk.slots.current == "0.2.0" and state.read(kiosk.root).trial is not None
