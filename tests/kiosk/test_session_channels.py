"""Counter-only items book a slot; instant-print items follow their certificate to the printer."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from drivers.idcard import samples
from kiosk.catalog.model import Channel
from kiosk.config.settings import KioskConfig
from kiosk.errors import SessionError
from kiosk.messages import MessageId, message
from kiosk.session.booking import BookingState, SlotChoice
from kiosk.session.identity import identity_from_card
from kiosk.session.outcome import PrintState, ReceiptKind, SubmittedCase
from kiosk.session.session import Session, Step

NINE = SlotChoice(datetime(2026, 12, 3, 9, 0), datetime(2026, 12, 3, 9, 30), 2)
HALF_PAST = SlotChoice(datetime(2026, 12, 3, 9, 30), datetime(2026, 12, 3, 10, 0), 1)
FULL = SlotChoice(datetime(2026, 12, 3, 10, 0), datetime(2026, 12, 3, 10, 30), 0)


@pytest.fixture
def session(shipped_config: KioskConfig) -> Session:
    catalog = shipped_config.catalog  # the whole catalogue: every channel is in it
    session = Session(catalog, shipped_config.timeouts)
    session.begin()
    session.identified(identity_from_card(samples.RESIDENT, date(2026, 11, 23)))
    return session


def _first(session: Session, channel: Channel) -> str:
    return next(item.id for item in session.catalog.items if item.channel is channel)


def _to_booking(session: Session) -> None:
    session.choose(_first(session, Channel.COUNTER))
    session.start_appointment()
    assert session.step is Step.APPOINTMENT and session.booking is not None


def test_a_counter_item_books_a_slot_and_shows_the_slip(session: Session) -> None:
    _to_booking(session)
    assert session.booking is not None and session.booking.state is BookingState.LOADING
    session.slots_arrived((NINE, HALF_PAST, FULL))
    assert session.booking.state is BookingState.CHOOSING
    assert session.booking.slots == (NINE, HALF_PAST)  # a full slot is not offered
    session.pick_slot(NINE)
    assert session.booking.state is BookingState.BOOKING
    session.back()  # not while the booking is under way
    assert session.step is Step.APPOINTMENT
    slip = SubmittedCase("Y20261203-0001", "婚姻登记预约", "2026-12-03 09:00-09:30", None, "",
                         kind=ReceiptKind.APPOINTMENT, place="3号窗口")
    session.appointment_booked(slip)
    assert session.step is Step.RECEIPT and session.case is slip


def test_a_slot_taken_meanwhile_leaves_the_others_to_pick(session: Session) -> None:
    _to_booking(session)
    session.slots_arrived((NINE, HALF_PAST))
    session.pick_slot(NINE)
    session.booking_refused(message(MessageId.APPOINTMENT_SLOT_TAKEN), slot_full=True)
    assert session.booking is not None and session.booking.state is BookingState.CHOOSING
    assert session.booking.slots == (HALF_PAST,)
    assert session.booking.problem == message(MessageId.APPOINTMENT_SLOT_TAKEN)
    with pytest.raises(SessionError):
        session.pick_slot(NINE)


def test_no_slots_or_no_centre_says_what_to_do_instead(session: Session) -> None:
    _to_booking(session)
    session.slots_arrived(())
    assert session.booking is not None and session.booking.state is BookingState.FAILED
    assert session.booking.problem == message(MessageId.APPOINTMENT_NO_SLOTS, days=7)
    assert "7" in session.say(session.booking.problem)
    session.back()
    assert session.step is Step.GUIDE and session.booking is None
    session.start_appointment()
    unreachable = message(MessageId.APPOINTMENT_CENTRE_UNREACHABLE)
    session.slots_arrived((), unreachable)
    assert session.booking is not None and session.booking.problem == unreachable


def test_only_a_counter_item_books(session: Session) -> None:
    session.choose(_first(session, Channel.INTAKE))
    with pytest.raises(SessionError):
        session.start_appointment()


def test_the_session_cannot_end_while_a_certificate_prints(session: Session) -> None:
    session.choose(_first(session, Channel.INSTANT_PRINT))
    session.start_form()
    while session.step is Step.FORM:
        assert session.answer(session.question.options[0])
    case = SubmittedCase("202612020010001", "证明", "2026-12-02 10:00", None, "lookup")
    session.submitted(case)
    session.certificate_update(PrintState.PRINTING)
    session.home()
    assert session.step is Step.RECEIPT  # not under a printing page
    session.certificate_update(PrintState.PRINTED)
    session.home()
    assert session.step is Step.ATTRACT
