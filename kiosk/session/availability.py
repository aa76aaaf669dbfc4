"""What the kiosk can do right now, per flow, from its devices, outbox and opening hours.

Degrade per flow, not per machine: a dead printer still takes cases (the receipt is shown
on screen); a dead card reader leaves QR login; only when no way to identify is left, or
the outbox cannot take cases, or the site is closed, is the kiosk out of service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from drivers.device import DeviceStatus, MediaStatus, PaperStatus
from kiosk.config.settings import Site


@dataclass(frozen=True)
class Availability:
    card: bool
    qr: bool
    printer: bool
    paper_low: bool
    accepting_cases: bool  # False when the outbox refuses (e.g. the disk is full)
    open_now: bool
    unsent_cases: int
    card_present: bool  # an ID card is still on the reader (remind the resident to take it)

    @property
    def in_service(self) -> bool:
        return self.open_now and self.accepting_cases and (self.card or self.qr)

    def notices(self) -> list[str]:
        """Lines for the attract screen saying which flows are off and what still works."""
        lines = []
        if not self.card and self.qr:
            lines.append("身份证阅读器暂停使用，请使用政务服务App扫码登录。")
        if self.card and not self.qr:
            lines.append("扫码功能暂停使用，请刷身份证办理。")
        if not self.printer:
            lines.append("打印机暂停使用：办理后将在屏幕上显示受理编号和查询二维码。")
        return lines

    def out_of_service_reason(self) -> str:
        if not self.open_now:
            return "本网点自助服务暂未开放。"
        if not self.accepting_cases:
            return "本机存储空间不足，暂停受理。"
        return "设备维护中，暂停服务。"


def is_open(site: Site, now: time) -> bool:
    """True when ``now`` is within the site's hours."""
    if site.always_open:
        return True
    opens = time.fromisoformat(site.opens)
    if site.closes == "24:00":
        return now >= opens
    return opens <= now < time.fromisoformat(site.closes)


def assess(
    site: Site,
    now: time,
    id_card: DeviceStatus,
    qr: DeviceStatus,
    printer: DeviceStatus,
    accepting_cases: bool,
    unsent_cases: int,
) -> Availability:
    return Availability(
        card=id_card.usable,
        qr=qr.usable,
        printer=printer.usable and printer.paper is not PaperStatus.OUT,
        paper_low=printer.paper is PaperStatus.LOW,
        accepting_cases=accepting_cases,
        open_now=is_open(site, now),
        unsent_cases=unsent_cases,
        card_present=id_card.media is MediaStatus.PRESENT,
    )
