"""Device faults in a technician's words: the last error of each device, and which fail now.

A device fails when its state is not usable (offline, no device, hardware or user error) or
its printer paper is out; its fault is then the last typed error it reported (by the
driver error's type) or, failing that, its state. The words are the technician's, from the
tables below, never a driver's text; ``DeviceFault`` is what the heartbeat carries.
A standing fault (``standing``/``cleared``) is one of something other than a device, such as
a catalogue the centre served that the kiosk refused: reported until it is cleared.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from contract.fleet import DeviceFault
from drivers.device import DeviceState, DeviceStatus, PaperStatus
from drivers.errors import (
    CardDataInvalid,
    CardReadFailed,
    CoverOpen,
    CutterError,
    DeviceNotFound,
    DeviceTimeout,
    DriverError,
    NoCard,
    PaperOut,
    ProtocolError,
    SamFault,
)
from drivers.errors import DeviceFault as DriverFault

# First match wins: subclasses before their bases.
ERROR_WORDS: tuple[tuple[type[DriverError], str, str], ...] = (
    (PaperOut, "paper_out", "打印机缺纸：请更换纸卷"),
    (CoverOpen, "cover_open", "打印机盖未合上：请合上机盖"),
    (CutterError, "cutter_error", "切纸刀故障：请检查切刀与卡纸"),
    (SamFault, "sam_fault", "读卡器安全模块（SAM）故障或未授权：请联系厂商"),
    (NoCard, "no_card", "未检测到证件：请将证件平放在感应区"),
    (CardDataInvalid, "card_data_invalid", "证件数据校验失败：证件可能损坏"),
    (CardReadFailed, "card_read_failed", "读卡失败：请重新放置证件"),
    (DeviceNotFound, "no_device", "设备未连接：请检查连接线与电源"),
    (DeviceTimeout, "timeout", "设备无响应：请检查连接线，必要时重启设备"),
    (ProtocolError, "protocol_error", "通信数据错误：请检查连接线与波特率设置"),
    (DriverFault, "device_fault", "设备报告故障：请查看设备指示灯"),
    (DriverError, "driver_error", "设备错误：请检查设备"),
)
STATE_WORDS: dict[DeviceState, tuple[str, str]] = {
    DeviceState.OFFLINE: ("offline", "设备离线：请检查连接线与电源"),
    DeviceState.NO_DEVICE: ("no_device", "设备未连接：请检查连接线与电源"),
    DeviceState.HARDWARE_ERROR: ("hardware_error", "设备硬件故障：请检查设备"),
    DeviceState.USER_ERROR: ("user_error", "设备需要处理：如机盖未合、纸卷未装好"),
}
RECENT = timedelta(seconds=5)
PAPER_OUT = ("paper_out", "打印机缺纸：请更换纸卷")
PAPER_JAMMED = ("paper_jammed", "打印机卡纸：请打开机盖清除卡纸")


def error_words(error: type[DriverError]) -> tuple[str, str]:
    """The fault code and technician wording for a driver error type."""
    for fault, code, words in ERROR_WORDS:
        if issubclass(error, fault):
            return code, words
    return "driver_error", "设备错误：请检查设备"


def status_fault(status: DeviceStatus) -> tuple[str, str] | None:
    """The fault a status shows by itself, or None when the device can work."""
    if status.paper is PaperStatus.OUT:
        return PAPER_OUT
    if status.paper is PaperStatus.JAMMED:
        return PAPER_JAMMED
    if status.usable:
        return None
    return STATE_WORDS.get(status.state, ("unknown", "设备状态未知"))


@dataclass(frozen=True)
class LastError:
    code: str
    words: str
    at: datetime


class FaultBook:
    """Each device's last error and current fault. Fed on the terminal's thread, read anywhere."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, LastError] = {}
        self._failing_since: dict[str, datetime] = {}
        self._standing: dict[str, LastError] = {}

    def error(self, device: str, error: type[DriverError], at: datetime) -> None:
        code, words = error_words(error)
        with self._lock:
            self._last[device] = LastError(code, words, at)

    def status(self, device: str, status: DeviceStatus, at: datetime) -> None:
        fault = status_fault(status)
        with self._lock:
            if fault is None:
                self._failing_since.pop(device, None)
                return
            if device not in self._failing_since:
                self._failing_since[device] = at
                last = self._last.get(device)
                if last is None or last.at < at - RECENT:  # a fresh typed error says more than the state
                    self._last[device] = LastError(fault[0], fault[1], at)

    def last_error(self, device: str) -> LastError | None:
        with self._lock:
            return self._last.get(device)

    def standing(self, name: str, code: str, words: str, at: datetime) -> None:
        """Report ``name`` failing (not a device: e.g. ``catalog``) until ``cleared``; the first time counts."""
        with self._lock:
            held = self._standing.get(name)
            since = held.at if held is not None else at
            self._standing[name] = LastError(code, words[:200], since)

    def cleared(self, name: str) -> None:
        with self._lock:
            self._standing.pop(name, None)

    def standing_faults(self) -> dict[str, LastError]:
        with self._lock:
            return dict(self._standing)

    def current(self, statuses: dict[str, DeviceStatus], now: datetime) -> dict[str, DeviceFault]:
        """The devices failing now, each with its fault (the heartbeat's ``faults``)."""
        faults: dict[str, DeviceFault] = {}
        with self._lock:
            for name, status in statuses.items():
                fault = status_fault(status)
                if fault is None:
                    continue
                since = self._failing_since.get(name)
                last = self._last.get(name)
                fresh = last is not None and (since is None or last.at >= since)
                code, words = (last.code, last.words) if fresh and last is not None else fault
                at = since or (last.at if last is not None else now)
                faults[name] = DeviceFault(code=code, message=words, since=at)
            for name, standing in self._standing.items():
                faults[name] = DeviceFault(code=standing.code, message=standing.words, since=standing.at)
        return faults
