"""The terminal's modes: what owns the screen right now.

One mode at a time (design.md, 'Modes'): the resident session; out of service (no way to
identify, the disk full, the site closed); later, maintenance for a technician, entered only
from attract. A mode names the screen to show, so the frame in ``screens/root.py`` shows
whatever the terminal says without knowing why.
"""

from __future__ import annotations

import enum

from kiosk.session.availability import Availability
from kiosk.session.session import Session, Step

OUT_OF_SERVICE_SCREEN = "out_of_service"


class Mode(enum.StrEnum):
    RESIDENT = "resident"
    OUT_OF_SERVICE = "out_of_service"


def current_mode(session: Session, availability: Availability | None) -> Mode:
    """Out of service only between residents: a session in progress always finishes."""
    if session.step is Step.ATTRACT and availability is not None and not availability.in_service:
        return Mode.OUT_OF_SERVICE
    return Mode.RESIDENT


def screen_for(mode: Mode, session: Session) -> str:
    """The name of the screen that shows ``mode`` now."""
    match mode:
        case Mode.OUT_OF_SERVICE:
            return OUT_OF_SERVICE_SCREEN
        case Mode.RESIDENT:
            return session.step.value
