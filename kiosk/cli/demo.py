"""The scripted session ``kiosk demo`` plays: card, item, form, submit, print, rate.

Each step acts on the terminal as a resident (or a simulated device) would, then waits until
the terminal shows the result; the app takes a screenshot after every step. No Kivy here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader, SimulatedPrinter
from kiosk.session.outcome import PrintState
from kiosk.session.session import Step
from kiosk.terminal import Terminal

DEMO_ITEM = "residence-permit"


class DemoClock:
    """The monotonic clock, plus however far the script has moved it on."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass(frozen=True)
class DemoStep:
    name: str
    action: Callable[[Terminal], object]
    ready: Callable[[Terminal], bool]


def _at(step: Step) -> Callable[[Terminal], bool]:
    return lambda terminal: terminal.session.step is step


def _printed(terminal: Terminal) -> bool:
    case = terminal.session.case
    return case is not None and case.print_state in (PrintState.PRINTED, PrintState.FAILED)


def _reader(terminal: Terminal) -> SimulatedCardReader:
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader), "the demo needs a simulated ID-card reader"
    return reader


def _printer(terminal: Terminal) -> SimulatedPrinter:
    printer = terminal.devices.printer
    assert isinstance(printer, SimulatedPrinter), "the demo needs a simulated printer"
    return printer


def _place_card(terminal: Terminal) -> None:
    _reader(terminal).place_card(samples.RESIDENT)


def _first_option(terminal: Terminal) -> None:
    terminal.session.answer(terminal.session.question.options[0])


def _tick_commitments(terminal: Terminal) -> None:
    for index in range(len(terminal.session.commitments)):
        terminal.session.set_commitment(index, True)


def _take_card(terminal: Terminal) -> None:
    _reader(terminal).remove_card()
    terminal.rate(2, ())  # the resident's way: recorded and sent after the case


def _fail_read(terminal: Terminal) -> None:
    terminal.session.begin()
    _reader(terminal).fail_read()


def _take_card_away(terminal: Terminal) -> None:
    _reader(terminal).remove_card()


def _place_card_in_elder_mode(terminal: Terminal) -> None:
    terminal.session.toggle_elder_mode()
    _place_card(terminal)


def _empty_paper_and_submit(terminal: Terminal) -> None:
    _printer(terminal).set_paper(0)
    terminal.session.choose("senior-citizen-card")
    terminal.session.start_form()
    terminal.session.answer("13812345678")
    terminal.session.answer(terminal.session.question.options[1])


def _submit(terminal: Terminal) -> None:
    terminal.submit()


def _walk_away(terminal: Terminal) -> None:
    clock = terminal.session.clock
    assert isinstance(clock, DemoClock)
    clock.advance(terminal.config.timeouts.default + 5)
    terminal.session.tick()


def _start_again(terminal: Terminal) -> None:
    terminal.session.home()
    _place_card(terminal)


def _submit_to_full_disk(terminal: Terminal) -> None:
    assert terminal.link is not None
    terminal.link.outbox.min_free_bytes = 1 << 62  # as if the disk were full
    terminal.session.choose("social-insurance-certificate")
    terminal.session.start_form()
    while terminal.session.step is Step.FORM:
        _first_option(terminal)
    terminal.submit()


def _has_text(text: str) -> Callable[[Terminal], bool]:
    return lambda terminal: text in terminal.session.error


def unhappy_steps() -> list[DemoStep]:
    """A second visit through what goes wrong: each state as a resident would see it."""
    return [
        DemoStep("identify-read-failed", _fail_read, _has_text("未能读取")),
        DemoStep("identify-card-taken-away", _take_card_away, lambda t: not t.card_on_reader()),
        DemoStep("choose-elder-mode", _place_card_in_elder_mode, _at(Step.CHOOSE)),
        DemoStep("review-paper-out", _empty_paper_and_submit, _at(Step.REVIEW)),
        DemoStep("receipt-paper-out", _submit, _printed),
        DemoStep("receipt-countdown", _walk_away, lambda t: t.session.countdown() is not None),
        DemoStep("choose-again", _start_again, _at(Step.CHOOSE)),
        DemoStep("review-disk-full", _submit_to_full_disk, _has_text("存储空间不足")),
        DemoStep("out-of-service", lambda t: t.session.home(), _at(Step.ATTRACT)),
    ]


def demo_steps() -> list[DemoStep]:
    """The demo, one screenshot per step."""
    return [
        DemoStep("attract", lambda t: None, _at(Step.ATTRACT)),
        DemoStep("identify", lambda t: t.session.begin(), _at(Step.IDENTIFY)),
        DemoStep("choose", _place_card, _at(Step.CHOOSE)),
        DemoStep("guide", lambda t: t.session.choose(DEMO_ITEM), _at(Step.GUIDE)),
        DemoStep("form-phone", lambda t: t.session.start_form(), _at(Step.FORM)),
        DemoStep("form-phone-error", lambda t: t.session.answer("1381234"), _at(Step.FORM)),
        DemoStep("form-choice", lambda t: t.session.answer("13812345678"), _at(Step.FORM)),
        DemoStep("form-housing", _first_option, _at(Step.FORM)),
        DemoStep("form-delivery", _first_option, _at(Step.FORM)),
        DemoStep("review", _first_option, _at(Step.REVIEW)),
        DemoStep("review-committed", _tick_commitments, _at(Step.REVIEW)),
        DemoStep("receipt", lambda t: t.submit(), _printed),
        DemoStep("rating", lambda t: t.session.to_rating(), _at(Step.RATING)),
        DemoStep("farewell", _take_card, _at(Step.FAREWELL)),
        DemoStep("attract-after-wipe", lambda t: t.session.wipe(), _at(Step.ATTRACT)),
    ]
