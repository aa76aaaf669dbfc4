"""The terminal's modes: what owns the screen right now.

One mode at a time (design.md, 'Modes'): the resident session; maintenance, a technician
behind a PIN or technician code, entered only from attract; out of service (no way to
identify, the disk full, the site closed, or a technician took the kiosk out). A mode names
the screen to show, so the frame in ``screens/root.py`` shows whatever the terminal says
without knowing why. The maintenance screens are one Kivy screen named ``maintenance``
(``MAINTENANCE_SCREEN``) with its own sub-screens.
"""

from __future__ import annotations

import enum

from kiosk.session.availability import Availability
from kiosk.session.session import Session, Step

OUT_OF_SERVICE_SCREEN = "out_of_service"
MAINTENANCE_SCREEN = "maintenance"


class Mode(enum.StrEnum):
    RESIDENT = "resident"
    OUT_OF_SERVICE = "out_of_service"
    MAINTENANCE = "maintenance"


def current_mode(
    session: Session, availability: Availability | None, *, maintenance: bool = False, in_service: bool = True
) -> Mode:
    """Maintenance while a technician is in (entered only from attract); out of service only
    between residents: a session in progress always finishes."""
    if maintenance:
        return Mode.MAINTENANCE
    if session.step is Step.ATTRACT and availability is not None and not (availability.in_service and in_service):
        return Mode.OUT_OF_SERVICE
    return Mode.RESIDENT


def screen_for(mode: Mode, session: Session) -> str:
    """The name of the screen that shows ``mode`` now."""
    match mode:
        case Mode.MAINTENANCE:
            return MAINTENANCE_SCREEN
        case Mode.OUT_OF_SERVICE:
            return OUT_OF_SERVICE_SCREEN
        case Mode.RESIDENT:
            return session.step.value
