"""Maintenance mode on a running terminal: entry by PIN or technician code (from attract only),
auto-exit, audit, counters, out of service, and the centre's remote commands."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contract import qr_codes
from contract.fleet import CommandOutcome, RemoteCommand, RemoteCommandKind
from contract.wire import HeartbeatAck
from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader, SimulatedQrScanner
from kiosk.config.settings import KioskConfig
from kiosk.maintenance.pin import PinOutcome
from kiosk.maintenance.remote import RemoteCommands
from kiosk.modes import MAINTENANCE_SCREEN, Mode
from kiosk.session.outcome import PrintState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock, MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal, walk_to_review

PIN = "274816"


def with_technician_key(config: KioskConfig, key: Ed25519PrivateKey) -> KioskConfig:
    maintenance = dataclasses.replace(config.maintenance, technician_public_keys=(key.public_key(),))
    return dataclasses.replace(config, maintenance=maintenance)


def technician_code(config: KioskConfig, key: Ed25519PrivateKey, code_id: str = "T-0042",
                    kind: str = qr_codes.KIND_TECHNICIAN) -> str:
    now = datetime.now(UTC)
    return qr_codes.issue_code(key, kind=kind, code_id=code_id, audience=config.site.code_audience,
                               issued_at=now, expires_at=now + timedelta(hours=1))


def actions(terminal: Terminal) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.outcome) for e in terminal.audit.entries()]


def test_the_pin_opens_maintenance_at_attract_and_every_try_is_audited(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        assert terminal.open_maintenance_with_pin(PIN).outcome is PinOutcome.NOT_SET  # never a default
        terminal.records.pins.set_pin(PIN)
        seen: list[Mode] = []
        terminal.subscribe_mode(seen.append)
        assert terminal.open_maintenance_with_pin("000001").tries_left == 2
        assert terminal.desk is None and terminal.mode is Mode.RESIDENT
        assert terminal.open_maintenance_with_pin(PIN).ok
        assert terminal.mode is Mode.MAINTENANCE and terminal.screen_name == MAINTENANCE_SCREEN
        assert terminal.desk is not None and seen[-1] is Mode.MAINTENANCE
        terminal.desk.leave()
        assert terminal.desk is None and terminal.screen_name == "attract"
        assert actions(terminal) == [
            ("pin", "maintenance.enter", "not_set"),
            ("pin", "maintenance.enter", "wrong"),
            ("pin", "maintenance.enter", "ok"),
            ("pin", "maintenance.leave", "ok"),
        ]


def test_entry_is_refused_while_a_resident_is_being_served(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        terminal.records.pins.set_pin(PIN)
        walk_to_review(terminal)
        result = terminal.open_maintenance_with_pin(PIN)
        assert result.outcome is PinOutcome.REFUSED and "居民" in result.message
        assert terminal.mode is Mode.RESIDENT and terminal.session.step is Step.REVIEW
        assert terminal.session.identity is not None  # the session was not touched
        assert actions(terminal)[-1] == ("pin", "maintenance.enter", "refused")


def test_maintenance_ends_by_itself_after_the_idle_time(kiosk_config: MakeConfig) -> None:
    clock = FakeClock()
    with running_terminal(kiosk_config(), clock) as terminal:
        terminal.records.pins.set_pin(PIN)
        assert terminal.open_maintenance_with_pin(PIN).ok
        limit = terminal.config.maintenance.idle_exit_s
        clock.advance(limit - 10)
        terminal.desk.paper()  # type: ignore[union-attr]  # any use counts as activity
        clock.advance(limit - 1)
        terminal.tick()
        assert terminal.mode is Mode.MAINTENANCE and terminal.maintenance_seconds_left() == 1
        clock.advance(1)
        terminal.tick()
        assert terminal.mode is Mode.RESIDENT and terminal.desk is None
        assert actions(terminal)[-1] == ("pin", "maintenance.leave", "ok")
        assert terminal.audit.entries()[-1].detail == "idle"


def test_a_technician_code_at_attract_opens_maintenance_without_the_pin(kiosk_config: MakeConfig) -> None:
    key = Ed25519PrivateKey.generate()
    config = with_technician_key(kiosk_config(), key)
    with running_terminal(config) as terminal:
        pump_until(terminal, lambda: terminal.link is not None and terminal.identification.parser is not None)
        scanner = terminal.devices.qr
        assert isinstance(scanner, SimulatedQrScanner)
        scanner.scan(technician_code(config, key))
        pump_until(terminal, lambda: terminal.mode is Mode.MAINTENANCE)
        assert terminal.maintenance.actor == "code:T-0042"
        assert actions(terminal)[-1] == ("code:T-0042", "maintenance.enter", "ok")


def test_a_technician_code_signed_by_another_key_is_no_way_in(kiosk_config: MakeConfig) -> None:
    key, stranger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    config = with_technician_key(kiosk_config(), key)
    with running_terminal(config) as terminal:
        assert not terminal.open_maintenance_with_code(technician_code(config, stranger))
        assert not terminal.open_maintenance_with_code(technician_code(config, key, kind=qr_codes.KIND_LOGIN))
        assert not terminal.open_maintenance_with_code("hello")
        assert terminal.mode is not Mode.MAINTENANCE


def test_a_technician_code_mid_session_does_not_interrupt_it(kiosk_config: MakeConfig) -> None:
    key = Ed25519PrivateKey.generate()
    config = with_technician_key(kiosk_config(), key)
    with running_terminal(config) as terminal:
        walk_to_review(terminal)
        scanner = terminal.devices.qr
        assert isinstance(scanner, SimulatedQrScanner)
        scanner.scan(technician_code(config, key))
        pump_until(terminal, lambda: actions(terminal) != [])
        assert terminal.mode is Mode.RESIDENT and terminal.session.step is Step.REVIEW
        assert actions(terminal)[-1] == ("code:T-0042", "maintenance.enter", "refused")


def test_cards_and_codes_in_maintenance_never_start_a_session(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        terminal.records.pins.set_pin(PIN)
        assert terminal.open_maintenance_with_pin(PIN).ok
        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        reader.place_card(samples.RESIDENT)
        terminal.pump()
        assert terminal.session.step is Step.ATTRACT and terminal.session.identity is None
        assert terminal.counters.recent(1)[0].sessions_started == 0


def test_counters_follow_a_whole_session_and_outlive_a_restart(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    with running_terminal(config) as terminal:
        walk_to_review(terminal)
        assert terminal.submit()
        pump_until(terminal, lambda: terminal.session.case is not None
                   and terminal.session.case.print_state is PrintState.PRINTED)
        terminal.session.to_rating()
        terminal.rate(4, ("等待时间长",))
        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        terminal.session.wipe()
        reader.fail_read()
        pump_until(terminal, lambda: terminal.counters.recent(1)[0].read_failures == 1)
    with running_terminal(config) as terminal:
        today = terminal.counters.recent(2)[0]
        assert today.sessions_started == 1
        assert today.cases_by_item == {"residence-permit": 1}
        assert today.prints == 1 and today.read_failures == 1
        assert today.ratings == {"dissatisfied": 1}
        assert terminal.paper_roll.printed_since_replaced() == 1
        beat = terminal.beats.make(terminal.link.stats())  # type: ignore[union-attr]
        assert beat.counters[0] == today and beat.paper_left_estimate == config.maintenance.receipts_per_roll - 1  # type: ignore[operator]


def test_out_of_service_is_kept_across_restarts_and_reported_in_the_beat(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    with running_terminal(config) as terminal:
        terminal.records.pins.set_pin(PIN)
        assert terminal.open_maintenance_with_pin(PIN).ok
        terminal.desk.take_out_of_service("更换打印机")  # type: ignore[union-attr]
        assert terminal.mode is Mode.MAINTENANCE  # the technician is still in
        terminal.desk.leave()  # type: ignore[union-attr]
        pump_until(terminal, lambda: terminal.mode is Mode.OUT_OF_SERVICE)
    with running_terminal(config) as terminal:
        pump_until(terminal, lambda: terminal.availability is not None and terminal.link is not None)
        assert terminal.mode is Mode.OUT_OF_SERVICE and terminal.screen_name == "out_of_service"
        beat = terminal.beats.make(terminal.link.stats())  # type: ignore[union-attr]
        assert not beat.service.in_service and beat.service.reason == "更换打印机"
        assert terminal.open_maintenance_with_pin(PIN).ok  # a technician can still come in
        terminal.desk.put_back_in_service()  # type: ignore[union-attr]
        terminal.desk.leave()  # type: ignore[union-attr]
        assert terminal.mode is Mode.RESIDENT
        assert [a for _, a, _ in actions(terminal)][-3:] == ["maintenance.enter", "service.back", "maintenance.leave"]


def command(command_id: int, kind: RemoteCommandKind, reason: str = "") -> RemoteCommand:
    return RemoteCommand(id=command_id, kind=kind, reason=reason, issued_at=datetime.now(UTC), issued_by="li.tech")


def ack(*commands: RemoteCommand) -> HeartbeatAck:
    return HeartbeatAck(received_at=datetime.now(UTC), commands=list(commands))


def test_remote_commands_wait_for_the_resident_and_run_once(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    with running_terminal(config) as terminal:
        pump_until(terminal, lambda: terminal.link is not None)
        shots: list[int] = []

        def screenshot() -> bytes:
            shots.append(1)
            return b"\x89PNG\r\n\x1a\n"

        terminal.screenshot = screenshot
        walk_to_review(terminal)
        beat = terminal.beats.make(terminal.link.stats())  # type: ignore[union-attr]
        terminal.beats.acknowledged(beat, ack(command(7, RemoteCommandKind.OUT_OF_SERVICE, "换纸"),
                                              command(8, RemoteCommandKind.SCREENSHOT)))
        terminal.pump()
        terminal.tick()
        assert terminal.service_state.in_service  # waits: a resident is being served
        assert not shots  # a screenshot mid-session is refused, not taken
        assert ("centre:li.tech", "remote.screenshot", "refused") in actions(terminal)
        assert not any(action == "remote.out_of_service" for _, action, _ in actions(terminal))
        terminal.session.home()
        terminal.tick()
        assert not terminal.service_state.in_service and terminal.service_state.reason == "换纸"
        assert terminal.mode is Mode.OUT_OF_SERVICE
        # The same command offered again (the centre missed the result) is not run again.
        terminal.put_back_in_service("test")
        terminal.beats.acknowledged(beat, ack(command(7, RemoteCommandKind.OUT_OF_SERVICE, "换纸")))
        terminal.pump()
        terminal.tick()
        assert terminal.service_state.in_service
        assert [a for _, a, _ in actions(terminal)].count("remote.out_of_service") == 1
        assert ("centre:li.tech", "remote.out_of_service", "done") in actions(terminal)
    # After a restart the ids run are remembered.
    remembered = RemoteCommands(Path(config.data_dir), terminal.audit, lambda: datetime.now(UTC))
    remembered.receive([command(7, RemoteCommandKind.OUT_OF_SERVICE, "换纸")])
    assert remembered.waiting == []


class Hands:
    """What a command may do, counted (the policy of ``RemoteCommands`` without a terminal)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def send_now(self) -> object:
        self.calls.append("send_now")
        return 0

    def take_out_of_service(self, reason: str, actor: str) -> None:
        self.calls.append(f"out:{reason}")

    def put_back_in_service(self, actor: str) -> None:
        self.calls.append("back")

    def restart_app(self, actor: str) -> bool:
        return False

    def take_screenshot(self) -> bytes | None:
        return None

    def export_logs(self) -> tuple[bytes, int]:
        return b"", 0

    def uploader(self) -> None:
        return None


def test_a_result_is_reported_until_a_beat_carrying_it_is_acknowledged_and_said_again_if_asked(
        tmp_path: Path) -> None:
    from kiosk.maintenance.audit import AuditLog

    now = lambda: datetime.now(UTC)  # noqa: E731
    remote = RemoteCommands(tmp_path, AuditLog(tmp_path, now), now)
    hands = Hands()
    remote.receive([command(1, RemoteCommandKind.SEND_NOW), command(2, RemoteCommandKind.UPLOAD_LOGS)])
    assert remote.run_due(hands, between_residents=False) == []
    ran = remote.run_due(hands, between_residents=True)
    assert [(r.command_id, r.outcome) for r in ran] == [(1, CommandOutcome.DONE), (2, CommandOutcome.FAILED)]
    assert hands.calls == ["send_now"]
    results = remote.results_to_report()
    assert [r.command_id for r in results] == [1, 2]
    assert [r.command_id for r in RemoteCommands(tmp_path, remote.audit, now).results_to_report()] == [1, 2]
    remote.reported(results)
    assert remote.results_to_report() == []
    remote.receive([command(1, RemoteCommandKind.SEND_NOW)])  # offered again: the centre missed it
    assert remote.run_due(hands, between_residents=True) == [] and hands.calls == ["send_now"]
    assert [r.command_id for r in remote.results_to_report()] == [1]


def test_restart_and_send_now_from_the_centre(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        pump_until(terminal, lambda: terminal.link is not None)
        restarts: list[int] = []
        beat = terminal.beats.make(terminal.link.stats())  # type: ignore[union-attr]
        terminal.beats.acknowledged(beat, ack(command(1, RemoteCommandKind.RESTART_APP)))
        terminal.pump()
        assert not restarts
        assert ("centre:li.tech", "remote.restart_app", "failed") in actions(terminal)  # no app: said so
        terminal.restart_hook = lambda: restarts.append(1)
        terminal.beats.acknowledged(beat, ack(command(2, RemoteCommandKind.RESTART_APP),
                                              command(3, RemoteCommandKind.SEND_NOW)))
        terminal.pump()
        assert restarts == [1]
        done = [action for _, action, outcome in actions(terminal) if outcome == "done"]
        assert done == ["remote.restart_app", "remote.send_now"]
