"""The real ``kiosk run`` on trial: started from its slot through ``current``, offscreen, it
passes its health check (first frame, devices opened, the embedded centre reached), commits,
and writes the update's story into its audit log. With no centre to reach it gives up at its
limit and exits non-zero, and the watchdog's next start rolls it back.

The slots here hold this checkout (a ``.pth`` file instead of a wheel install, which would take
minutes for Kivy): what is tested is the app's wiring, not the install.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sysconfig
import time
import venv
from datetime import datetime
from pathlib import Path

from kiosk.config.settings import load_config
from kiosk.updates import state, trial
from kiosk.updates.bundle import Manifest
from kiosk.updates.runtime import Action, AppUpdates
from kiosk.updates.slots import INSTALLED, Slots
from tests.kiosk.kiosk_support import UNREACHABLE_CENTRE
from tests.kiosk.updates_support import REPO, kiosk_command, new_key, updates_config
from tests.support import edit_toml

KIOSK_SCRIPT = "#!{python}\nimport sys\nfrom kiosk.cli.main import main\nsys.exit(main())\n"


def now() -> datetime:
    return datetime.now().astimezone()


def checkout_slot(slots: Slots, version: str) -> None:
    """A slot whose ``kiosk`` is this checkout's, run by the slot's own interpreter."""
    slot = slots.slot(version)
    venv.EnvBuilder(with_pip=False, symlinks=True).create(slot)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(slot), "platbase": str(slot)}))
    (site / "checkout.pth").write_text("\n".join([str(REPO), sysconfig.get_path("purelib")]) + "\n")
    script = slot / "bin" / "kiosk"
    script.write_text(KIOSK_SCRIPT.format(python=slot / "bin" / "python"))
    script.chmod(0o755)
    (slot / INSTALLED).write_text(version + "\n")


def on_trial(tmp_path: Path, **updates: object) -> tuple[Path, Path]:
    """0.1.0 current, 0.2.0 staged and switched to at a quiet moment; returns (config, root)."""
    _key, public = new_key()
    config_file = updates_config(tmp_path, public, **updates)
    config = load_config(config_file)
    slots = Slots(config.updates.root)
    for version in ("0.1.0", "0.2.0"):
        checkout_slot(slots, version)
    slots.switch_to("0.1.0")
    trial.stage(slots.root, Manifest("0.2.0", "2026-12-02T08:00:00+00:00", {"gov_kiosk-0.2.0-x.whl": "0" * 64}, 2),
                now)
    old = AppUpdates(config.updates, config.site, now=now, prefix=str(slots.slot("0.1.0")))
    assert old.tick(first_frame=True, devices_open=True, centre_reached=True, quiet=True) is Action.RESTART
    assert slots.current == "0.2.0"
    return config_file, slots.root


def run_kiosk(root: Path, config: Path, until: object, timeout: float = 90) -> tuple[int | None, str]:
    """``<root>/current/bin/kiosk run`` offscreen until ``until()`` holds or it exits; then stop it."""
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1")
    child = subprocess.Popen([str(root / "current" / "bin" / "kiosk"), "run", "--config", str(config)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and child.poll() is None and not until():  # type: ignore[operator]
            time.sleep(0.2)
    finally:
        exited = child.poll()
        if exited is None:
            child.send_signal(signal.SIGTERM)
        try:
            _, stderr = child.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            _, stderr = child.communicate()
    return exited, stderr


def audit_actions(data_dir: Path) -> list[tuple[str, str, str]]:
    path = data_dir / "audit.jsonl"
    if not path.exists():
        return []
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [(e["actor"], e["action"], e["outcome"]) for e in entries if e["action"].startswith("update.")]


def test_the_real_kiosk_commits_its_trial_and_audits_it(tmp_path: Path) -> None:
    config, root = on_trial(tmp_path, health_limit_s=60)
    data_dir = tmp_path / "data"
    committed = ("updater", "update.commit", "ok")
    exited, stderr = run_kiosk(root, config, until=lambda: committed in audit_actions(data_dir))
    assert exited is None, stderr  # it was serving until the test stopped it
    assert state.read(root).trial is None
    assert audit_actions(data_dir) == [("updater", "update.staged", "ok"), ("updater", "update.switch", "ok"),
                                       ("updater", "update.commit", "ok")]
    assert (Slots(root).current, Slots(root).previous) == ("0.2.0", "0.1.0")


def test_the_real_kiosk_that_cannot_reach_the_centre_is_rolled_back(tmp_path: Path) -> None:
    config, root = on_trial(tmp_path, health_limit_s=2)
    edit_toml(config, {"centre.url": UNREACHABLE_CENTRE, "centre.token": "t"})
    exited, stderr = run_kiosk(root, config, until=lambda: False)
    assert exited == 2, stderr  # a KioskError: the service manager starts it again, the watchdog first
    failed = state.read(root).trial
    assert failed is not None and failed.failure == "not healthy within 2 s (missing: centre reached)"
    watchdog = kiosk_command("update", "check-trial", "--config", str(config))
    assert "rolled back: its health check failed" in watchdog.stderr
    assert (Slots(root).current, Slots(root).previous) == ("0.1.0", None)
    detail = state.read(root).last or {}
    assert "rolled back 0.2.0 -> 0.1.0: its health check failed" in detail.get("what", "")
