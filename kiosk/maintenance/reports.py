"""What maintenance mode reports to a technician: frozen dataclasses of display-ready values,
with no personal data (a card's fields come masked). ``MaintenanceDesk`` makes them; the
maintenance sheets draw them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeviceLine:
    """One device as the status screen shows it."""

    name: str  # "id_card", "printer", "qr", "camera"
    label: str  # "身份证阅读器"
    state: str  # the driver's DeviceState value
    healthy: bool
    last_error: str  # technician wording (``kiosk.errors``), "" when none
    last_error_at: str  # "2026-12-02 08:14", "" when none


@dataclass(frozen=True)
class SelfTestResult:
    """The outcome of one self-test."""

    test: str  # "card", "qr", "print", "camera"
    ok: bool
    summary: str  # one line for the technician: "读卡成功", "打印测试页完成", "超时：未放卡"
    details: tuple[tuple[str, str], ...] = ()  # masked fields: ("姓名", "张*"), ("证件号", "1101**********123X")
    image_png: bytes | None = None  # the camera frame, when the camera test grabbed one


@dataclass(frozen=True)
class PaperReport:
    printed_since_replaced: int
    estimated_left: int | None  # receipts, None when the roll size is unknown
    low: bool
    replaced_at: str  # "" when never recorded


@dataclass(frozen=True)
class QueueReport:
    """The unsent-case queue (outbox)."""

    unsent: int
    oldest_age_s: float | None
    quarantined: int
    last_attempt: str  # "", or what the last send attempt met ("网络不可达")


@dataclass(frozen=True)
class LinkStep:
    name: str  # "dns", "tls", "auth", "round_trip"
    ok: bool
    detail: str  # "10.0.0.5", "证书有效至 2027-03-01", "401：令牌无效", "38 ms"


@dataclass(frozen=True)
class LinkReport:
    steps: tuple[LinkStep, ...]

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)


@dataclass(frozen=True)
class VersionsReport:
    software: str
    catalog: str
    config_file: str
    settings: tuple[tuple[str, str], ...]  # the configuration in force; secrets shown as "••••"


@dataclass(frozen=True)
class ExportReport:
    ok: bool
    path: str  # where the file went on the stick, "" on failure
    lines: int
    message: str  # "已导出 1234 行到 /media/usb/kiosk-logs-…", "未找到U盘"


@dataclass(frozen=True)
class CountersReport:
    """Today's and earlier days' usage, newest first: (day, sessions, cases, prints, read failures)."""

    days: tuple[tuple[str, int, int, int, int], ...]
    cases_by_item_today: tuple[tuple[str, int], ...]  # (item name, count), most first
    ratings_today: tuple[tuple[str, int], ...]  # (level label, count)
