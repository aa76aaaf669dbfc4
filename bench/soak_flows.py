"""One resident session of the soak, through the real Terminal and session, without touches.

Flows: an intake item (every kind of question answered as the catalogue walk does), a bundle,
a counter item's appointment, and a receipt's lookup code at the scanner. Faults are mixed in
by the caller: the card read fails (taken away mid-read) before the good read, the paper runs
out as the receipt prints (refilled after), the scanner is unplugged for the session.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader, SimulatedPrinter, SimulatedQrScanner
from kiosk.catalog.model import Channel
from kiosk.session.booking import BookingState
from kiosk.session.outcome import PrintState
from kiosk.session.session import Step
from kiosk.session.status_lookup import View
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for

STEP_TIMEOUT_S = 20.0


class Flow(enum.StrEnum):
    INTAKE = "intake"
    BUNDLE = "bundle"
    COUNTER = "counter"
    LOOKUP = "lookup"


class Fault(enum.StrEnum):
    CARD_REMOVED = "card removed mid-read"
    PAPER_OUT = "paper out mid-job"
    SCANNER_UNPLUGGED = "scanner unplugged"


@dataclass
class Tally:
    """What the sessions did, and every case number the kiosk gave a receipt for."""

    sessions: int = 0
    by_flow: dict[str, int] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)
    stuck: dict[str, int] = field(default_factory=dict)  # a flow that did not reach its end, by why
    cases: set[str] = field(default_factory=set)
    lookups: list[str] = field(default_factory=list)  # receipt codes to scan later

    def count(self, table: dict[str, int], key: str) -> None:
        table[key] = table.get(key, 0) + 1


class Stuck(Exception):
    """A step did not come within its time; the session is abandoned and the kiosk goes home."""


def plan(terminal: Terminal) -> list[tuple[Flow, str]]:
    """Every item and bundle the kiosk offers, each once, then a lookup."""
    offer = terminal.config.offer
    flows: list[tuple[Flow, str]] = []
    for item in offer.items:
        flows.append((Flow.COUNTER if item.channel is Channel.COUNTER else Flow.INTAKE, item.id))
    flows += [(Flow.BUNDLE, bundle.id) for bundle in offer.bundles]
    flows.append((Flow.LOOKUP, ""))
    return flows


Wait = Callable[[], None]  # between polls of a condition: a millisecond's sleep, or a Kivy frame


def a_moment() -> None:
    time.sleep(0.001)


def _pump_until(terminal: Terminal, condition: Callable[[], object], why: str, wait: Wait) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not condition():
        terminal.pump()
        if time.monotonic() > deadline:
            raise Stuck(why)
        wait()


def _identify(terminal: Terminal, faults: set[Fault], wait: Wait) -> None:
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)
    session = terminal.session
    if Fault.CARD_REMOVED in faults:
        reader.fail_read("读卡中卡被取走")
        _pump_until(terminal, lambda: bool(session.error) or session.step is Step.IDENTIFY, "a failed read", wait)
        reader.remove_card()
    reader.place_card(samples.RESIDENT)
    _pump_until(terminal, lambda: session.step is Step.CHOOSE, "the card", wait)


def _fill_and_submit(terminal: Terminal, chosen: str, tally: Tally, faults: set[Fault], wait: Wait) -> None:
    session = terminal.session
    session.choose(chosen)
    wait()
    session.start_form()
    while session.step is Step.FORM:
        wait()  # in a window: the question is drawn
        question = session.question
        later = session.item.asked_fields if session.item else ()
        if not session.answer(answer_for(question, later)):
            raise Stuck(f"answer refused: {question.id}")
    wait()
    if session.step is not Step.REVIEW:
        raise Stuck(f"review not reached: {session.step}")
    for index in range(len(session.commitments)):
        session.set_commitment(index, True)
    printer = terminal.devices.printer
    assert isinstance(printer, SimulatedPrinter)
    if Fault.PAPER_OUT in faults:
        printer.set_paper(0)
    try:
        if not terminal.submit():
            refused = session.error_message
            raise Stuck(f"submit refused ({refused.id.value if refused else 'no reason'})")
        case = session.case
        assert case is not None
        tally.cases.update(line.case_number for line in case.lines)
        _pump_until(terminal, lambda: case.print_state in (PrintState.PRINTED, PrintState.FAILED), "the receipt", wait)
        if case.lookup_text and len(tally.lookups) < 50:
            tally.lookups.append(case.lookup_text)
    finally:
        if Fault.PAPER_OUT in faults:
            printer.set_paper(200)


def _book(terminal: Terminal, chosen: str, wait: Wait) -> None:
    session = terminal.session
    session.choose(chosen)
    terminal.start_appointment()
    _pump_until(terminal, lambda: session.booking is not None
                and session.booking.state is not BookingState.LOADING, "the slots", wait)
    booking = session.booking
    assert booking is not None
    if booking.state is BookingState.FAILED:  # the centre is down: the resident is told
        return
    terminal.book_slot(booking.slots[0])
    _pump_until(terminal, lambda: session.step is Step.RECEIPT or (
        session.booking is not None and session.booking.state is BookingState.FAILED), "the booking", wait)
    slip = session.case
    if session.step is Step.RECEIPT and slip is not None:
        _pump_until(terminal, lambda: slip.print_state in (PrintState.PRINTED, PrintState.FAILED), "the slip", wait)


def _look_up(terminal: Terminal, tally: Tally, faults: set[Fault], wait: Wait) -> None:
    scanner = terminal.devices.qr
    assert isinstance(scanner, SimulatedQrScanner)
    if not tally.lookups or Fault.SCANNER_UNPLUGGED in faults:  # nothing to scan, or nothing reads it
        return
    scanner.scan(tally.lookups[tally.sessions % len(tally.lookups)])
    lookups = terminal.identification.lookups
    _pump_until(terminal, lambda: lookups.view in (View.CASE, View.PROBLEM), "the lookup", wait)
    if lookups.view is View.PROBLEM:  # the centre is down: the resident is told so (counted apart)
        tally.count(tally.by_flow, "lookup told a problem")


def run_session(terminal: Terminal, flow: Flow, chosen: str, faults: set[Fault], tally: Tally,
                wait: Wait = a_moment) -> None:
    """One resident, from the attract screen back to it; ``wait`` between polls of each step."""
    scanner = terminal.devices.qr
    assert isinstance(scanner, SimulatedQrScanner)
    if Fault.SCANNER_UNPLUGGED in faults:
        scanner.unplug()
    try:
        if flow is Flow.LOOKUP:
            _look_up(terminal, tally, faults, wait)
        else:
            _identify(terminal, faults, wait)
            if flow is Flow.COUNTER:
                _book(terminal, chosen, wait)
            else:
                _fill_and_submit(terminal, chosen, tally, faults, wait)
    except Stuck as stuck:
        tally.count(tally.stuck, f"{flow}: {stuck}")
    finally:
        if Fault.SCANNER_UNPLUGGED in faults:
            scanner.plug_in()
        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        reader.remove_card()
        terminal.session.home()
        terminal.pump()
        terminal.tick()
        wait()
    tally.sessions += 1
    tally.count(tally.by_flow, str(flow))
    for fault in faults:
        tally.count(tally.faults, str(fault))
