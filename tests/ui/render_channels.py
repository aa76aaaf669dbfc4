"""Draw the counter and instant-print channels' screens to PNGs: a counter-only item's guide,
the appointment's days, the booked slip on the receipt screen, and an instant-print
certificate the A4 printer could not print (the resident is sent to the counter).

``python -m tests.ui.render_channels OUT portrait|landscape``: each screen in standard then
elder mode, on the street site (its offer has every channel). Look at every PNG.
``test_channels_terminal`` and the walk by touch test the same screens' behaviour.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kiosk.config.settings import load_config
from kiosk.session.booking import BookingState
from kiosk.session.outcome import PrintState, ReceiptKind
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.kiosk.kiosk_support import write_config
from tests.ui.render_support import RenderStep, place_card, render

COUNTER_ITEM = "marriage-registration-appointment"
INSTANT_ITEM = "social-insurance-certificate"


def _book_first_slot(terminal: Terminal, _app: object) -> None:
    booking = terminal.session.booking
    assert booking is not None and booking.slots, "no slots offered"
    terminal.book_slot(booking.slots[0])


def _apply_again(terminal: Terminal, _app: object) -> None:
    terminal.session.home()
    place_card(terminal)


def _fill_certificate(terminal: Terminal, _app: object) -> None:
    session = terminal.session
    session.choose(INSTANT_ITEM)
    session.start_form()
    assert session.item is not None
    while session.step is Step.FORM:
        session.answer(answer_for(session.question, session.item.asked_fields))
    session.accept_commitments(True)
    terminal.submit()


def _slots_shown(terminal: Terminal) -> bool:
    booking = terminal.session.booking
    return booking is not None and booking.state is BookingState.CHOOSING


def _booked(terminal: Terminal) -> bool:
    case = terminal.session.case
    return case is not None and case.kind is ReceiptKind.APPOINTMENT and case.print_state is PrintState.PRINTED


def _certificate_failed(terminal: Terminal) -> bool:
    """The certificate failed and the receipt has printed: the screen's end state (drawn while the
    receipt still printed, 完成 is disabled and the footer's Home on its way back)."""
    case = terminal.session.case
    return case is not None and case.certificate_state is PrintState.FAILED and case.print_state is PrintState.PRINTED


STEPS: list[RenderStep] = [
    RenderStep("guide-counter-only", lambda t, a: t.session.choose(COUNTER_ITEM),
               lambda t: t.session.step is Step.GUIDE),
    RenderStep("appointment-slots", lambda t, a: t.start_appointment(), _slots_shown),
    RenderStep("appointment-booked", _book_first_slot, _booked),
    RenderStep("choose-again", _apply_again, lambda t: t.session.step is Step.CHOOSE),
    RenderStep("certificate-not-printed", _fill_certificate, _certificate_failed),
]


if __name__ == "__main__":
    street = load_config(write_config(Path(tempfile.mkdtemp()), {"site": "sites/street.toml"}))
    sys.exit(render(street, sys.argv[2], Path(sys.argv[1]), STEPS))
