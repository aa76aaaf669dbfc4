"""The real serial driver against the pty simulator: framing, faults, triggers, re-plugging."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from drivers.device import (
    CodeScanned,
    DeviceErrorEvent,
    DeviceEvent,
    DeviceState,
    StatusChanged,
)
from drivers.errors import UnsupportedBackend
from drivers.qr.factory import make_qr_scanner
from drivers.qr.framing import Suffix
from drivers.qr.serial_scanner import (
    ScanMode,
    SerialQrScanner,
    SerialScannerSettings,
    frame_text,
    settings_from_url,
)
from drivers.qr.triggers import FAMILIES
from drivers.qr.wire_simulator import SimWireQrScanner, WireScannerSimulator
from drivers.url import parse_device_url


class Recorder:
    def __init__(self) -> None:
        self.events: list[DeviceEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: DeviceEvent) -> None:
        with self._lock:
            self.events.append(event)

    def codes(self) -> list[str]:
        return [e.text for e in list(self.events) if isinstance(e, CodeScanned)]

    def errors(self) -> list[str]:
        return [e.message for e in list(self.events) if isinstance(e, DeviceErrorEvent)]

    def states(self) -> list[DeviceState]:
        return [e.new.state for e in list(self.events) if isinstance(e, StatusChanged)]


def wait_for(check: Callable[[], object], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


Rig = tuple[WireScannerSimulator, SerialQrScanner, Recorder]


@pytest.fixture
def rig_factory(tmp_path) -> Iterator[Callable[..., Rig]]:  # type: ignore[no-untyped-def]
    made: list[Rig] = []

    def make(suffix: Suffix = Suffix.CR, mode: ScanMode = ScanMode.CONTINUOUS,
             family: str | None = None, **options: object) -> Rig:
        fam = FAMILIES[family] if family else None
        sim = WireScannerSimulator(suffix=suffix, mode=mode, family=fam, directory=str(tmp_path))
        sim.start()
        settings = SerialScannerSettings(
            port=sim.path, suffix=suffix, mode=mode, family=fam, idle_timeout=0.05,
            reconnect_interval=0.05, **options,  # type: ignore[arg-type]
        )
        scanner = SerialQrScanner("qr", settings)
        recorder = Recorder()
        scanner.subscribe(recorder)
        scanner.open()
        wait_for(lambda: scanner.status.state is DeviceState.ONLINE)
        made.append((sim, scanner, recorder))
        return sim, scanner, recorder

    yield make
    for sim, scanner, _ in made:
        scanner.close()
        sim.close()


@pytest.mark.parametrize("suffix", [Suffix.CR, Suffix.CRLF, Suffix.LF, Suffix.NONE])
def test_codes_arrive_as_events_with_every_suffix(rig_factory, suffix: Suffix) -> None:  # type: ignore[no-untyped-def]
    sim, _, rec = rig_factory(suffix)
    sim.scan("https://zwfw.example.gov.cn/lookup?case=202611230010042")
    wait_for(lambda: rec.codes())
    if suffix is Suffix.NONE:
        time.sleep(0.1)
    sim.scan("营业执照 张三丰")
    wait_for(lambda: len(rec.codes()) == 2)
    assert rec.codes() == ["https://zwfw.example.gov.cn/lookup?case=202611230010042", "营业执照 张三丰"]
    event = next(e for e in rec.events if isinstance(e, CodeScanned))
    assert event.raw == b"https://zwfw.example.gov.cn/lookup?case=202611230010042"


def test_gb18030_output_is_read(rig_factory) -> None:  # type: ignore[no-untyped-def]
    sim, _, rec = rig_factory()
    sim.scan("玄武区政务服务中心", encoding="gb18030")
    wait_for(lambda: rec.codes() == ["玄武区政务服务中心"])


def test_missing_suffix_is_framed_by_idle(rig_factory) -> None:  # type: ignore[no-untyped-def]
    sim, _, rec = rig_factory(Suffix.CRLF)
    sim.scan("NO-SUFFIX", suffix=b"")
    wait_for(lambda: rec.codes() == ["NO-SUFFIX"])


def test_code_split_across_writes(rig_factory) -> None:  # type: ignore[no-untyped-def]
    sim, _, rec = rig_factory(Suffix.CR)
    sim.write_split("分开写入的二维码内容 SPLIT-0123456789\r".encode(), pieces=4, gap=0.01)
    wait_for(lambda: rec.codes())
    time.sleep(0.1)
    assert rec.codes() == ["分开写入的二维码内容 SPLIT-0123456789"]


def test_noise_and_binary_garbage_are_reported_not_scanned(rig_factory) -> None:  # type: ignore[no-untyped-def]
    sim, scanner, rec = rig_factory(Suffix.CR)
    sim.write(bytes(range(0, 32)) + b"\xff\xfe\x00garbage\r")
    sim.write(random.Random(5).randbytes(200).replace(b"\r", b"") + b"\r")
    sim.scan("AFTER-NOISE")
    wait_for(lambda: rec.codes())
    assert rec.codes() == ["AFTER-NOISE"]
    assert rec.errors() and all("unreadable input" in m for m in rec.errors())
    assert scanner.status.state is DeviceState.ONLINE


def test_very_long_input_is_dropped_and_memory_stays_bounded(rig_factory) -> None:  # type: ignore[no-untyped-def]
    sim, _, rec = rig_factory(Suffix.CR, max_frame=1024)
    sim.write(b"A" * 200_000 + b"\r")
    sim.scan("SHORT")
    wait_for(lambda: rec.codes())
    assert rec.codes() == ["SHORT"]
    assert rec.errors() == ["input longer than 1024 bytes discarded"]


def test_honeywell_trigger_mode(rig_factory) -> None:  # type: ignore[no-untyped-def]
    sim, scanner, rec = rig_factory(Suffix.CR, ScanMode.TRIGGER, "honeywell")
    sim.scan("HELD-UNTIL-TRIGGERED")
    time.sleep(0.1)
    assert rec.codes() == []
    assert scanner.read_code(2.0) == "HELD-UNTIL-TRIGGERED"
    wait_for(lambda: sim.commands == ["start", "stop"])
    assert bytes(sim.received) == b"\x16T\r\x16U\r"
    assert scanner.read_code(0.1) is None  # nothing presented: triggered, then stopped


def test_newland_trigger_mode_with_acknowledgements(rig_factory) -> None:  # type: ignore[no-untyped-def]
    sim, scanner, rec = rig_factory(Suffix.NONE, ScanMode.TRIGGER, "newland")
    wait_for(lambda: sim.commands == ["enter"])
    assert bytes(sim.received) == bytes.fromhex("7E0008010000D5EF41")
    sim.scan("NEWLAND-CODE")
    assert scanner.read_code(2.0) == "NEWLAND-CODE"
    wait_for(lambda: sim.commands == ["enter", "start", "stop"])
    time.sleep(0.1)
    assert rec.codes() == ["NEWLAND-CODE"] and rec.errors() == []


def test_zkteco_no_read_is_dropped(rig_factory) -> None:  # type: ignore[no-untyped-def]
    sim, scanner, rec = rig_factory(Suffix.CR, ScanMode.TRIGGER, "zkteco")
    sim.write(b"%%NoRead\r")
    sim.scan("ZK")
    assert scanner.read_code(2.0) == "ZK"
    assert rec.errors() == [] and rec.codes() == ["ZK"]


def test_unplug_sets_no_device_and_plugging_back_reconnects(rig_factory) -> None:  # type: ignore[no-untyped-def]
    sim, scanner, rec = rig_factory(Suffix.CR)
    sim.unplug()
    wait_for(lambda: scanner.status.state is DeviceState.NO_DEVICE)
    time.sleep(0.15)  # several failed reopen attempts: no crash, no event storm
    sim.plug_in()
    wait_for(lambda: scanner.status.state is DeviceState.ONLINE)
    sim.scan("AFTER-REPLUG")
    wait_for(lambda: rec.codes() == ["AFTER-REPLUG"])
    states = rec.states()
    assert states[0] is DeviceState.ONLINE and states[-1] is DeviceState.ONLINE
    assert 1 <= states.count(DeviceState.NO_DEVICE) <= 2  # "lost", then "cannot open" once


def test_absent_port_is_a_status_not_an_exception(tmp_path) -> None:  # type: ignore[no-untyped-def]
    scanner = make_qr_scanner(f"{tmp_path}/nothing?reconnect_ms=20")
    scanner.open()
    try:
        wait_for(lambda: scanner.status.state is DeviceState.NO_DEVICE)
        assert "cannot open" in scanner.status.detail
    finally:
        scanner.close()
    assert scanner.status.state is DeviceState.OFFLINE


def test_simwire_url_gives_the_real_driver_with_developer_methods() -> None:
    scanner = make_qr_scanner("simwire://?suffix=crlf&mode=trigger&family=honeywell")
    assert isinstance(scanner, SimWireQrScanner) and isinstance(scanner, SerialQrScanner)
    scanner.open()
    try:
        wait_for(lambda: scanner.status.usable)
        scanner.scan("你好")
        assert scanner.read_code(2.0) == "你好"
        scanner.unplug()
        wait_for(lambda: scanner.status.state is DeviceState.NO_DEVICE)
        scanner.plug_in()
        wait_for(lambda: scanner.status.usable, timeout=5)
    finally:
        scanner.close()


def test_url_options() -> None:
    s = settings_from_url(parse_device_url(
        "/dev/ttyUSB0?suffix=crlf&mode=trigger&family=Newland&baudrate=115200&idle_ms=50"))
    assert (s.port, s.suffix, s.mode, s.baudrate, s.idle_timeout) == (
        "/dev/ttyUSB0", Suffix.CRLF, ScanMode.TRIGGER, 115200, 0.05)
    assert s.family is FAMILIES["newland"]
    spy = settings_from_url(parse_device_url("spy:///dev/ttyUSB0?file=scan.log&suffix=none"))
    assert spy.port == "spy:///dev/ttyUSB0?file=scan.log" and spy.suffix is Suffix.NONE
    for bad in ("/dev/ttyUSB0?suffix=tab", "/dev/ttyUSB0?mode=trigger",
                "/dev/ttyUSB0?family=acme", "/dev/ttyUSB0?colour=red", "ftp://x/y"):
        with pytest.raises(UnsupportedBackend):
            make_qr_scanner(bad)


def test_frame_text_rules() -> None:
    assert frame_text("张三".encode()) == "张三"
    assert frame_text("张三".encode("gb18030")) == "张三"
    assert frame_text(b"]Q3\x1d0101") == "]Q3\x1d0101"  # GS1 separators are allowed
    assert frame_text(b"BEGIN\nEND") == "BEGIN\nEND"  # a multi-line code under a CR suffix
    assert frame_text(b"a\x00b") is None
    assert frame_text(b"\xff\xff\xff") is None
