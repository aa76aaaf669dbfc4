"""The scripted session ``kiosk demo`` plays: card, item, form, submit, print, rate.

Each step acts on the terminal as a resident (or a simulated device) would, then waits until
the terminal shows the result; the app takes a screenshot after every step. No Kivy here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drivers.idcard import samples
from kiosk.session import PrintState, Step
from kiosk.terminal import Terminal

DEMO_ITEM = "residence-permit"


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


def _place_card(terminal: Terminal) -> None:
    terminal.devices.id_card.place_card(samples.RESIDENT)  # type: ignore[attr-defined]


def _first_option(terminal: Terminal) -> None:
    terminal.session.answer(terminal.session.question.options[0])


def _tick_commitments(terminal: Terminal) -> None:
    for index in range(len(terminal.session.commitments)):
        terminal.session.set_commitment(index, True)


def _take_card(terminal: Terminal) -> None:
    terminal.devices.id_card.remove_card()  # type: ignore[attr-defined]
    terminal.session.rate(2)


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
