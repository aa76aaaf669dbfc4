"""What the kiosk can do right now, per flow, from its devices, outbox and opening hours.

Degrade per flow, not per machine: a dead printer still takes cases (the receipt is shown
on screen); a dead card reader leaves QR login; only when no way to identify is left, or
the outbox cannot take cases, or the site is closed, is the kiosk out of service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from drivers.device import DeviceStatus, MediaStatus, PaperStatus
from kiosk.config.settings import Site
from kiosk.messages import DEFAULT_LANGUAGE, MessageId, say


@dataclass(frozen=True)
class Availability:
    card: bool
    qr: bool
    printer: bool
    accepting_cases: bool  # False when the outbox refuses (e.g. the disk is full)
    open_now: bool
    card_left: bool = False  # the last resident's card is still on the reader

    @property
    def in_service(self) -> bool:
        return self.open_now and self.accepting_cases and (self.card or self.qr)

    def notice_ids(self) -> list[MessageId]:
        """What the attract screen says about flows that are off and what still works."""
        found = []
        if self.card_left:
            found.append(MessageId.CARD_LEFT_BEHIND)
        if not self.card and self.qr:
            found.append(MessageId.ONLY_QR_LOGIN)
        if self.card and not self.qr:
            found.append(MessageId.ONLY_CARD)
        if not self.printer:
            found.append(MessageId.NO_PRINTER)
        return found

    def notices(self, language: str = DEFAULT_LANGUAGE) -> list[str]:
        return [say(message_id, language) for message_id in self.notice_ids()]

    def out_of_service_id(self) -> MessageId:
        if not self.open_now:
            return MessageId.SITE_CLOSED
        if not self.accepting_cases:
            return MessageId.DISK_FULL
        return MessageId.UNDER_MAINTENANCE

    def out_of_service_reason(self, language: str = DEFAULT_LANGUAGE) -> str:
        return say(self.out_of_service_id(), language)


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
    card_left: bool = False,
) -> Availability:
    return Availability(
        card=id_card.usable,
        qr=qr.usable,
        printer=printer.usable and printer.paper is not PaperStatus.OUT,
        accepting_cases=accepting_cases,
        open_now=is_open(site, now),
        card_left=card_left,
    )


class AvailabilityMonitor:
    """Holds what the kiosk can do now and tells listeners when it changes.

    It also remembers a card left behind: a session that ended (back at attract) with the
    card still on the reader, until the card leaves the reader.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self.current: Availability | None = None  # None until the devices have reported
        self._listeners: list[Callable[[Availability], None]] = []
        self._at_attract = True
        self._card_left = False

    def session_moved(self, at_attract: bool, card_on_reader: bool) -> bool:
        """The session changed step; arriving at attract with a card on the reader means the
        resident walked away without it (a card placed at attract is read, not "left").
        True when that just happened (assess again)."""
        left = at_attract and not self._at_attract and card_on_reader
        self._card_left = self._card_left or left
        self._at_attract = at_attract
        return left

    def subscribe(self, listener: Callable[[Availability], None]) -> None:
        self._listeners.append(listener)

    def update(
        self, now: time, id_card: DeviceStatus, qr: DeviceStatus, printer: DeviceStatus, accepting_cases: bool
    ) -> Availability:
        """Assess again; call the listeners if anything changed."""
        self._card_left = self._card_left and id_card.media is MediaStatus.PRESENT
        availability = assess(self.site, now, id_card, qr, printer, accepting_cases, self._card_left)
        if availability != self.current:
            self.current = availability
            for listener in list(self._listeners):
                listener(availability)
        return availability
