"""The two channels beyond intake, through the terminal with its development centre: a
counter-only item books a real slot and prints its slip; an instant-print item's certificate
comes out of a real CUPS queue, or the resident is told why not and what to do instead."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from central.appointment_rows import AppointmentRow
from central.db import make_engine
from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.cli.embedded_centre import EmbeddedCentreConnector, centre_connector
from kiosk.messages import MessageId, message
from kiosk.session.booking import BookingState, SlotChoice
from kiosk.session.outcome import PrintState, ReceiptKind
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.central.fault_proxy import Fault
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.proxied_centre import ProxiedCentre
from tests.kiosk.terminal_support import pump_until, running_terminal
from tests.support.cups_server import PrivateCups, running_cups
from tests.support.pdf_pages import pdf_text

COUNTER_ITEM = "disability-certificate"  # 残疾人证: the assessment is done at the counter
INSTANT_ITEM = "social-insurance-certificate"


@pytest.fixture(scope="module")
def cups() -> Iterator[PrivateCups]:
    yield from running_cups()


def identify_and_choose(terminal: Terminal, item_id: str) -> None:
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)
    reader.place_card(samples.RESIDENT)
    pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)
    terminal.session.choose(item_id)


def test_a_counter_item_books_a_slot_and_prints_the_slip(tmp_path: Path, kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        session = terminal.session
        identify_and_choose(terminal, COUNTER_ITEM)
        terminal.start_appointment()
        pump_until(terminal, lambda: session.booking is not None and session.booking.state is not BookingState.LOADING,
                   timeout=20)
        booking = session.booking
        assert booking is not None
        assert booking.state is BookingState.CHOOSING, session.say(booking.problem)
        first = booking.slots[0]
        terminal.book_slot(first)
        pump_until(terminal, lambda: session.step is Step.RECEIPT, timeout=20)
        slip = session.case
        assert slip is not None and slip.kind is ReceiptKind.APPOINTMENT
        assert slip.case_number.startswith("Y") and slip.place
        # the counter as the centre names it in each of the kiosk's languages (the slip prints the session's)
        assert slip.place_for("en").startswith("Service area") and slip.place_for("zh-Hans") == slip.place
        assert slip.place_for("zh-Hant") == "一樓綜合受理區 1-3號窗口"
        pump_until(terminal, lambda: slip.print_state is PrintState.PRINTED)
        assert list((tmp_path / "data" / "prints").glob("*appointment-slip*.png"))
        session.to_rating()
        terminal.rate(1, ())  # counted here; nothing is sent for a slip: no case behind it
        assert session.step is Step.FAREWELL


def test_a_counter_item_without_a_centre_says_to_come_in_opening_hours(kiosk_config: MakeConfig) -> None:
    from tests.kiosk.kiosk_support import UNREACHABLE_CENTRE

    with running_terminal(kiosk_config(centre_url=UNREACHABLE_CENTRE)) as terminal:
        session = terminal.session
        identify_and_choose(terminal, COUNTER_ITEM)
        terminal.start_appointment()
        pump_until(terminal, lambda: session.booking is not None and session.booking.state is BookingState.FAILED,
                   timeout=30)
        assert session.booking is not None
        assert session.booking.problem == message(MessageId.APPOINTMENT_CENTRE_UNREACHABLE)


def _lose_the_first_booking_answer(lost: list[bytes]) -> Callable[[bytes], Fault | None]:
    """The centre books the first slot asked for, but its answer never reaches the kiosk."""
    def choose(head: bytes) -> Fault | None:
        if head.startswith(b"POST /api/v1/kiosk/appointments ") and not lost:
            lost.append(head)
            return Fault.ANSWER_500_AFTER
        return None
    return choose


def _offered(terminal: Terminal) -> tuple[SlotChoice, ...]:
    session = terminal.session
    pump_until(terminal, lambda: session.booking is not None and session.booking.state is not BookingState.LOADING,
               timeout=20)
    assert session.booking is not None and session.booking.state is BookingState.CHOOSING, session.booking
    return session.booking.slots


def test_a_slot_tried_again_after_a_lost_answer_is_booked_once(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    inner = centre_connector(config)
    assert isinstance(inner, EmbeddedCentreConnector)
    lost: list[bytes] = []
    terminal = Terminal(config, centre=ProxiedCentre(inner, _lose_the_first_booking_answer(lost)))
    terminal.start()
    try:
        session = terminal.session
        identify_and_choose(terminal, COUNTER_ITEM)
        terminal.start_appointment()
        first = _offered(terminal)[0]
        terminal.book_slot(first)
        pump_until(terminal, lambda: session.booking is not None and session.booking.state is BookingState.FAILED,
                   timeout=20)
        assert lost, "the booking went through the proxy"
        session.back()  # the resident goes back to the guide and tries again: the same slot
        terminal.start_appointment()
        again = next(slot for slot in _offered(terminal) if slot.start == first.start)
        terminal.book_slot(again)
        pump_until(terminal, lambda: session.step is Step.RECEIPT, timeout=20)
        slip = session.case
        assert slip is not None and slip.kind is ReceiptKind.APPOINTMENT
        engine = make_engine(f"sqlite:///{inner.database}")
        try:
            with engine.connect() as conn:
                booked = conn.scalars(select(AppointmentRow.appointment_number)).all()
        finally:
            engine.dispose()
        assert booked == [slip.case_number]  # one booking, the one on the slip
    finally:
        terminal.stop()


def apply_for_certificate(terminal: Terminal) -> None:
    session = terminal.session
    identify_and_choose(terminal, INSTANT_ITEM)
    session.start_form()
    while session.step is Step.FORM:
        assert session.answer(session.question.options[0])
    assert terminal.submit(), session.error


def test_an_instant_print_certificate_comes_out_of_the_a4_printer(kiosk_config: MakeConfig,
                                                                  cups: PrivateCups) -> None:
    output = cups.add_queue("kiosk-a4-walk")
    config = kiosk_config()
    config = dataclasses.replace(config, devices=dataclasses.replace(config.devices,
                                                                     a4_printer=cups.tcp_url("kiosk-a4-walk")))
    with running_terminal(config) as terminal:
        apply_for_certificate(terminal)
        case = terminal.session.case
        assert case is not None
        pump_until(terminal, lambda: case.certificate_state in (PrintState.PRINTED, PrintState.FAILED), timeout=90)
        assert case.certificate_state is PrintState.PRINTED, terminal.session.say(case.certificate_problem)
        pdf = output.read_bytes()
        assert pdf.startswith(b"%PDF-")
        text = pdf_text(pdf)
        flat = "".join(text.split())
        assert "仅供办理政务服务事项时使用" in flat and samples.RESIDENT.name in flat  # the resident's own certificate
        pump_until(terminal, lambda: case.print_state is PrintState.PRINTED)
        terminal.session.home()
        assert terminal.session.step is Step.ATTRACT


def test_no_a4_printer_says_how_else_to_get_the_certificate(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:  # the shipped kiosk: a4_printer = "none:"
        apply_for_certificate(terminal)
        case = terminal.session.case
        assert case is not None
        pump_until(terminal, lambda: case.certificate_state is PrintState.FAILED, timeout=30)
        assert case.certificate_problem == message(MessageId.CERTIFICATE_NO_PRINTER)
        assert case.print_state in (PrintState.PRINTING, PrintState.PRINTED)  # the receipt still prints
