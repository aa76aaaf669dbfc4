"""Maintenance with the real centre: the audit log reaches it after a beat, and a command a
technician issues in the console reaches the kiosk in a beat's reply, runs once between
residents, and is reported back (with the upload it asks for)."""

from __future__ import annotations

import gzip
import json
from typing import Any

from central import kiosk_audit, remote_commands, uploads
from central.auth import Clerk, Role
from contract.fleet import CommandOutcome, RemoteCommandKind
from kiosk.modes import Mode
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal, walk_to_review

PIN = "274816"
TECHNICIAN = Clerk("li.tech", Role.TECHNICIAN)


def centre_app(terminal: Terminal) -> Any:
    """The embedded centre's FastAPI app (the test stands in for the console's technician)."""
    return terminal.centre.centre.app  # type: ignore[attr-defined]


def issue(terminal: Terminal, kind: RemoteCommandKind, reason: str = "") -> int:
    app = centre_app(terminal)
    terminal_id = terminal.config.terminal_id
    command_id = remote_commands.issue(app.state.engine, terminal_id, kind, by=TECHNICIAN, reason=reason)
    app.state.open_commands.add(terminal_id)
    return command_id


def status_of(terminal: Terminal, command_id: int) -> str:
    views = remote_commands.for_kiosk(centre_app(terminal).state.engine, terminal.config.terminal_id)
    return next(view.status for view in views if view.id == command_id)


def beat(terminal: Terminal) -> None:
    assert terminal.link is not None
    terminal.link.heartbeats.send_one()


def test_the_audit_log_reaches_the_centre_after_a_beat(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        pump_until(terminal, lambda: terminal.link is not None)
        terminal.records.pins.set_pin(PIN)
        assert terminal.open_maintenance_with_pin("000001").tries_left == 2
        assert terminal.open_maintenance_with_pin(PIN).ok
        terminal.leave_maintenance()
        beat(terminal)
        last = terminal.audit.entries()[-1].seq
        assert terminal.audit.stored_through == last
        lines = kiosk_audit.for_kiosk(centre_app(terminal).state.engine, terminal.config.terminal_id)
        assert [(line.actor, line.action, line.outcome) for line in reversed(lines)] == [
            ("pin", "maintenance.enter", "wrong"), ("pin", "maintenance.enter", "ok"),
            ("pin", "maintenance.leave", "ok")]


def test_a_console_command_waits_for_the_resident_runs_once_and_is_reported(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        pump_until(terminal, lambda: terminal.link is not None)
        walk_to_review(terminal)
        command_id = issue(terminal, RemoteCommandKind.OUT_OF_SERVICE, "更换纸卷")
        beat(terminal)
        terminal.pump()
        terminal.tick()
        assert terminal.service_state.in_service and terminal.session.identity is not None  # it waits
        terminal.session.home()
        terminal.tick()
        assert not terminal.service_state.in_service and terminal.mode is Mode.OUT_OF_SERVICE
        # The heartbeat thread beats at once to report the result, not 30 s later.
        pump_until(terminal, lambda: status_of(terminal, command_id) == CommandOutcome.DONE.value)
        beat(terminal)
        assert terminal.records.remote.results_to_report() == []  # acknowledged: no longer said
        assert sum(1 for e in terminal.audit.entries() if e.action == "remote.out_of_service") == 1


def test_upload_logs_and_screenshot_reach_the_centre(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        pump_until(terminal, lambda: terminal.link is not None)
        terminal.screenshot = lambda: PNG
        terminal.take_out_of_service("测试", "pin")  # something in the audit log
        terminal.put_back_in_service("pin")
        logs_id = issue(terminal, RemoteCommandKind.UPLOAD_LOGS)
        shot_id = issue(terminal, RemoteCommandKind.SCREENSHOT)
        beat(terminal)
        terminal.pump()  # the commands run; each upload's result is beaten to the centre as it ends
        pump_until(terminal, lambda: status_of(terminal, logs_id) == status_of(terminal, shot_id) == "done")
        audited = {(e.action, e.outcome) for e in terminal.audit.entries()}
        assert {("remote.upload_logs", "done"), ("remote.screenshot", "done")} <= audited
        engine = centre_app(terminal).state.engine
        stored = uploads.body_of(engine, logs_id)
        assert stored is not None
        records = [json.loads(line) for line in gzip.decompress(stored[1]).splitlines()]
        assert [r["entry"]["action"] for r in records if r["source"] == "audit"][:2] == ["service.out", "service.back"]
        shot = uploads.body_of(engine, shot_id)
        assert shot is not None and shot[1] == PNG


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
