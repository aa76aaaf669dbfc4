"""The technician's desk against the simulators and the embedded centre: each self-test, the
queue, the link test, versions, counters and the log export, with no personal data anywhere."""

from __future__ import annotations

import dataclasses
import gzip
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader, SimulatedPrinter, SimulatedQrScanner
from kiosk.config.settings import KioskConfig
from kiosk.maintenance.desk import MASK, MaintenanceDesk
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal

PIN = "274816"
T = TypeVar("T")


@contextmanager
def desk_of(config: KioskConfig) -> Iterator[tuple[Terminal, MaintenanceDesk]]:
    with running_terminal(config) as terminal:
        pump_until(terminal, lambda: terminal.link is not None and terminal.availability is not None)
        terminal.records.pins.set_pin(PIN)
        assert terminal.open_maintenance_with_pin(PIN).ok
        assert terminal.desk is not None
        yield terminal, terminal.desk


def in_background(call: Callable[[], T]) -> Future[T]:
    """Run a blocking desk call as the screens do: off the UI thread."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(call)
    pool.shutdown(wait=False)
    return future


def waiting_listeners(device: object, before: int) -> Callable[[], bool]:
    return lambda: len(device._listeners) > before  # type: ignore[attr-defined]


def audit_text(terminal: Terminal) -> str:
    return terminal.audit.path.read_text(encoding="utf-8")


def test_card_self_test_shows_masked_fields_and_logs_none_of_them(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        before = len(reader._listeners)  # type: ignore[attr-defined]
        result = in_background(lambda: desk.test_card(timeout_s=10))
        pump_until(terminal, waiting_listeners(reader, before))
        reader.place_card(samples.RESIDENT)
        outcome = result.result(timeout=10)
        assert outcome.ok and outcome.summary == "读卡成功"
        fields = dict(outcome.details)
        assert fields["姓名"] == "张*"
        assert fields["证件号"] == "3201**********0010"
        terminal.pump()
        assert terminal.session.identity is None  # the card did not start a session
        text = audit_text(terminal)
        assert "selftest.card" in text
        for personal in (samples.RESIDENT.name, samples.RESIDENT.id_number, "320111", "张", "浦珠路"):
            assert personal not in text


def test_card_self_test_reports_a_failed_read_and_a_timeout(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        before = len(reader._listeners)  # type: ignore[attr-defined]
        result = in_background(lambda: desk.test_card(timeout_s=10))
        pump_until(terminal, waiting_listeners(reader, before))
        reader.fail_read()
        failed = result.result(timeout=10)
        assert not failed.ok and "读卡" in failed.summary
        timed_out = desk.test_card(timeout_s=0.2)
        assert not timed_out.ok and "超时" in timed_out.summary
        assert [e.outcome for e in terminal.audit.entries() if e.action == "selftest.card"] == ["failed", "failed"]


def test_self_tests_of_an_unplugged_device_fail_at_once_with_technician_words(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        reader, scanner = terminal.devices.id_card, terminal.devices.qr
        assert isinstance(reader, SimulatedCardReader) and isinstance(scanner, SimulatedQrScanner)
        reader.unplug()
        scanner.unplug()
        started = time.monotonic()
        card, qr = desk.test_card(timeout_s=10), desk.test_qr(timeout_s=10)
        assert time.monotonic() - started < 2
        assert not card.ok and "未连接" in card.summary and not qr.ok and "未连接" in qr.summary


def test_qr_self_test_says_kind_and_length_never_the_content(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        scanner = terminal.devices.qr
        assert isinstance(scanner, SimulatedQrScanner)
        before = len(scanner._listeners)  # type: ignore[attr-defined]
        secret = "https://example.org/private?name=张三丰&id=320111194503120010"
        result = in_background(lambda: desk.test_qr(timeout_s=10))
        pump_until(terminal, waiting_listeners(scanner, before))
        scanner.scan(secret)
        outcome = result.result(timeout=10)
        assert outcome.ok and dict(outcome.details) == {"类型": "网址", "长度": f"{len(secret)} 字符"}
        assert "example.org" not in repr(outcome) and "example.org" not in audit_text(terminal)
        assert terminal.session.identity is None and terminal.session.error_message is None


def test_print_self_test_prints_the_test_page_and_counts_the_paper(kiosk_config: MakeConfig, tmp_path: Path) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        before = desk.paper()
        outcome = desk.test_print()
        assert outcome.ok and outcome.summary == "打印测试页完成"
        assert list((tmp_path / "data" / "prints").glob("*-test-page.png"))
        after = desk.paper()
        assert after.printed_since_replaced == before.printed_since_replaced + 1
        assert after.estimated_left == terminal.config.maintenance.receipts_per_roll - 1  # type: ignore[operator]
        printer = terminal.devices.printer
        assert isinstance(printer, SimulatedPrinter)
        printer.set_paper(0)
        empty = desk.test_print()
        assert not empty.ok and "缺纸" in empty.summary
        assert desk.paper_replaced().printed_since_replaced == 0
        assert [(e.action, e.outcome) for e in terminal.audit.entries()][-3:] == [
            ("selftest.print", "ok"), ("selftest.print", "failed"), ("paper.replaced", "ok")]


def test_paper_estimate_goes_low_and_reaches_the_heartbeat(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    config = dataclasses.replace(config, maintenance=dataclasses.replace(
        config.maintenance, receipts_per_roll=3, paper_low_at=2))
    with desk_of(config) as (terminal, desk):
        assert desk.test_print().ok and desk.test_print().ok
        paper = desk.paper()
        assert paper.estimated_left == 1 and paper.low
        beat = terminal.beats.make(terminal.link.stats())  # type: ignore[union-attr]
        assert beat.paper_left_estimate == 1


def test_camera_self_test_without_a_camera_says_so(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        outcome = desk.test_camera()
        assert not outcome.ok and "无摄像头" in outcome.summary and outcome.image_png is None
        assert terminal.audit.entries()[-1].detail == "no_camera"


def test_camera_self_test_grabs_a_frame_from_the_qr_camera(kiosk_config: MakeConfig, tmp_path: Path) -> None:
    frames = tmp_path / "frames"
    frames.mkdir()
    picture = np.full((120, 160, 3), 200, dtype=np.uint8)
    cv2.rectangle(picture, (20, 20), (80, 80), (0, 0, 255), -1)
    cv2.imwrite(str(frames / "0001.png"), picture)
    config = kiosk_config()
    config = dataclasses.replace(config, devices=dataclasses.replace(config.devices, qr=f"camera://{frames}/?loop=1&fps=20"))
    with desk_of(config) as (terminal, desk):
        deadline = time.monotonic() + 10
        outcome = desk.test_camera()
        while not outcome.ok and time.monotonic() < deadline:
            time.sleep(0.05)
            outcome = desk.test_camera()
        assert outcome.ok and outcome.image_png is not None
        frame = cv2.imdecode(np.frombuffer(outcome.image_png, np.uint8), cv2.IMREAD_COLOR)
        assert frame.shape == (120, 160, 3) and tuple(frame[50, 50]) == (0, 0, 255)


def test_devices_show_state_and_the_last_error_in_technician_words(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        assert all(line.healthy for line in desk.devices())
        printer = terminal.devices.printer
        assert isinstance(printer, SimulatedPrinter)
        printer.set_cover_open(True)
        terminal.pump()
        line = next(line for line in desk.devices() if line.name == printer.name)
        assert not line.healthy and line.label == "凭条打印机"
        assert "机盖" in line.last_error and line.last_error_at
        beat = terminal.beats.make(terminal.link.stats())  # type: ignore[union-attr]
        assert printer.name in beat.faults and "机盖" in beat.faults[printer.name].message
        printer.set_cover_open(False)
        terminal.pump()
        assert next(line for line in desk.devices() if line.name == printer.name).healthy
        assert printer.name not in terminal.beats.make(terminal.link.stats()).faults  # type: ignore[union-attr]


def test_queue_and_send_now(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        report = desk.queue()
        assert report.unsent == 0 and report.quarantined == 0 and report.last_attempt == ""
        assert desk.send_now().unsent == 0
        assert terminal.audit.entries()[-1].action == "queue.send_now"


def test_link_test_against_the_embedded_centre(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        report = desk.test_link()
        steps = {step.name: step for step in report.steps}
        assert report.ok and list(steps) == ["dns", "tls", "auth", "round_trip"]
        assert "不适用" in steps["dns"].detail and "不适用" in steps["tls"].detail
        assert steps["round_trip"].detail.endswith(" ms")
        assert terminal.audit.entries()[-1].action == "selftest.link"


def test_link_test_with_a_wrong_token_says_the_token_is_refused(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        link = terminal.link
        assert link is not None
        link.client._token = "wrong"  # as if the centre had revoked this kiosk's token
        link.client._local.session = None
        report = desk.test_link()
        auth = next(step for step in report.steps if step.name == "auth")
        assert not report.ok and not auth.ok and "令牌" in auth.detail
        assert terminal.audit.entries()[-1].outcome == "failed"


def test_versions_show_the_configuration_with_secrets_masked(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    config = dataclasses.replace(config, centre=dataclasses.replace(config.centre, token="s3cret-token-value"))
    with running_terminal(config) as terminal:
        terminal.records.pins.set_pin(PIN)
        assert terminal.open_maintenance_with_pin(PIN).ok
        report = terminal.desk.versions()  # type: ignore[union-attr]
        settings = dict(report.settings)
        assert report.catalog == config.catalog.version and report.config_file == str(config.source)
        assert settings["centre.token"] == MASK and settings["outbox_key_file"] == MASK
        assert settings["terminal_id"] == config.terminal_id
        assert "s3cret" not in repr(report)


def test_counters_report(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        terminal.counters.case_submitted("residence-permit")
        terminal.counters.rated(2)
        report = desk.counters()
        assert len(report.days) == 7 and report.days[0][2] == 1
        assert report.cases_by_item_today[0][1] == 1 and report.cases_by_item_today[0][0] != "residence-permit"
        assert ("满意", 1) in report.ratings_today


def test_logs_export_to_the_stick_without_personal_data(kiosk_config: MakeConfig, tmp_path: Path) -> None:
    media = tmp_path / "media"
    stick = media / "usb0"
    stick.mkdir(parents=True)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kiosk.log.1").write_text("old line\n", encoding="utf-8")
    (logs / "kiosk.log").write_text("read card name='张三丰' id 320111194503120010 phone 13812345678\nok\n",
                                    encoding="utf-8")
    config = kiosk_config()
    config = dataclasses.replace(config, maintenance=dataclasses.replace(
        config.maintenance, usb_roots=(media,), log_dir=logs))
    with desk_of(config) as (terminal, desk):
        assert desk.usb_mounts() == []  # a folder is not a mounted stick
        nothing = desk.export_logs()
        assert not nothing.ok and "U盘" in nothing.message
        desk.is_mount = lambda path: path == stick
        assert desk.usb_mounts() == [stick]
        report = desk.export_logs(stick)
        assert report.ok and report.path.startswith(str(stick))
        name = Path(report.path).name
        assert name.startswith(f"kiosk-logs-{config.terminal_id}-") and name.endswith(".jsonl.gz")
        records = [json.loads(line) for line in gzip.decompress(Path(report.path).read_bytes()).splitlines()]
        assert len(records) == report.lines
        assert [r["line"] for r in records if r["source"] != "audit"] == [
            "old line", "read card name='***' id *** phone ***", "ok"]
        assert any(r["source"] == "audit" and r["entry"]["action"] == "maintenance.enter" for r in records)
        raw = gzip.decompress(Path(report.path).read_bytes()).decode("utf-8")
        for personal in ("张三丰", "320111194503120010", "13812345678"):
            assert personal not in raw
        assert terminal.audit.entries()[-1].action == "logs.export"


def test_restart_asks_the_app_to_stop(kiosk_config: MakeConfig) -> None:
    with desk_of(kiosk_config()) as (terminal, desk):
        assert not desk.restart_app()  # no app wired: it says so
        stopped = threading.Event()
        terminal.restart_hook = stopped.set
        assert desk.restart_app() and stopped.is_set()
        assert [(e.action, e.outcome) for e in terminal.audit.entries()][-2:] == [
            ("app.restart", "failed"), ("app.restart", "ok")]

