"""A technician's visit through the real Kivy window, offscreen, with real touches.

The tour itself (``maintenance_tour``) enters by the hidden gesture and the PIN pad, runs
every section and self-test against the simulators, and leaves by hand and by the auto-exit.
Portrait runs here with the simulated scanner; landscape runs in a process of its own (one
Kivy window per process) with the camera driver reading a folder of frames for its scanner.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drivers.idcard import samples
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock, MakeConfig
from tests.ui.maintenance_tour import Visit, prepare, tour
from tests.ui.ui_support import run_with_script

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]

SHOWN = ("pin-wrong", "menu", "devices", "devices-fault", "self-test-card", "self-test-qr", "self-test-print",
         "self-test-camera", "paper", "queue", "link", "versions", "counters", "export", "service", "restart",
         "menu-auto-exit")


def test_a_technician_enters_tests_every_device_and_leaves(tmp_path: Path, kiosk_config: MakeConfig) -> None:
    config, code = prepare(kiosk_config(), tmp_path)
    clock = FakeClock()
    terminal = Terminal(config, clock=clock, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    visit = Visit(app, terminal, clock, "portrait", shots=None, stick=tmp_path / "media" / "usb0",
                  technician_code=code)
    try:
        run_with_script(app, tour(visit))
    finally:
        terminal.stop()
    assert set(SHOWN) <= set(visit.seen)
    name = samples.ALL[0].name
    for texts in visit.seen.values():
        assert not any(name in text for text in texts), "a self-test shows the name masked"
    entries = terminal.audit.entries()
    actions = [entry.action for entry in entries]
    for action in ("maintenance.enter", "selftest.card", "selftest.qr", "selftest.print", "selftest.camera",
                   "paper.replaced", "queue.send_now", "selftest.link", "logs.export", "service.out",
                   "service.back", "maintenance.leave"):
        assert action in actions, f"{action} is not in the audit log"
    assert [e.detail for e in entries if e.action == "maintenance.leave"] == ["by hand", "idle", "by hand"]
    entered = [(e.actor, e.outcome) for e in entries if e.action == "maintenance.enter"]
    assert entered == [("pin", "wrong"), ("pin", "ok"), ("pin", "ok"), ("code:T-0042", "ok")]
    assert not any(name in entry.detail for entry in entries)


@pytest.mark.timeout(260)
def test_in_landscape_with_a_camera_for_scanner_the_frame_and_a_code_come_through(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.maintenance_tour", "--orientation", "landscape", "--camera",
         "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=240, cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    drawn = {path.name.removesuffix("-landscape.png") for path in tmp_path.glob("*-landscape.png")}
    assert set(SHOWN) <= drawn
