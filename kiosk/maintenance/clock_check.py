"""Is the kiosk's clock right? Measured against the centre's at every acknowledged heartbeat.

A beat leaves at ``sent_at`` and its acknowledgement is back at ``answered_at``, both on the
kiosk's clock; the centre stamped ``received_at`` on its own clock somewhere in between. So the
kiosk's clock is ahead of the centre's by about ``midpoint - received_at``, give or take half
the round trip. The clock is *wrong* when even the reading most favourable to it lies beyond
``contract.clock.CLOCK_TOLERANCE``: a slow link never raises the fault, a clock minutes past the
tolerance always does. A round trip the kiosk's clock says took less than nothing (the clock
was set back mid-beat) counts as none; one it says took hours (set forward) excuses anything,
and the next beat judges again.

A wrong clock is the standing fault ``clock`` (``FaultBook.standing``): the maintenance panel's
device list and the heartbeat's ``faults`` carry it, the offset in the technician's words,
until a beat finds the clock right again and clears it. Runs on the heartbeat thread; the fault
book takes its own lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from contract.clock import CLOCK_TOLERANCE
from kiosk.maintenance.faults import FaultBook
from kiosk.maintenance.sheets import age
from kiosk.maintenance.wording import Tech, tech

FAULT_NAME = "clock"
FAULT_CODE = "clock_wrong"


@dataclass(frozen=True)
class ClockReading:
    """How far the kiosk's clock is from the centre's, as one beat measured it."""

    offset: timedelta  # the kiosk's clock minus the centre's: positive is fast, negative slow
    uncertainty: timedelta  # half the round trip: the offset is right within this

    @property
    def wrong(self) -> bool:
        """Off by more than the tolerance however the round trip is read."""
        return abs(self.offset) - self.uncertainty > CLOCK_TOLERANCE

    def words(self) -> str:
        """The offset for the technician: 本机时钟比中心快 3 小时 0 分 …"""
        amount = age(round(abs(self.offset).total_seconds()))  # 2:59:59.998 is 3 小时 0 分
        return tech(Tech.CLOCK_AHEAD if self.offset > timedelta(0) else Tech.CLOCK_BEHIND, amount=amount)


def read_clock(sent_at: datetime, received_at: datetime, answered_at: datetime) -> ClockReading:
    """The offset one beat shows: sent and answered on the kiosk's clock, received on the centre's."""
    if received_at.tzinfo is None:  # the wire's times are UTC
        received_at = received_at.replace(tzinfo=UTC)
    sent_at, answered_at = sent_at.astimezone(), answered_at.astimezone()  # a naive one is local time
    round_trip = max(answered_at - sent_at, timedelta(0))
    midpoint = sent_at + round_trip / 2
    return ClockReading(offset=midpoint - received_at, uncertainty=round_trip / 2)


def check_clock(faults: FaultBook, sent_at: datetime, received_at: datetime, answered_at: datetime) -> ClockReading:
    """Raise the ``clock`` fault when this beat shows the clock wrong, clear it when right."""
    reading = read_clock(sent_at, received_at, answered_at)
    if reading.wrong:
        faults.standing(FAULT_NAME, FAULT_CODE, reading.words(), answered_at)
    else:
        faults.cleared(FAULT_NAME)
    return reading
