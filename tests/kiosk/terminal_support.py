"""A started terminal on simulated devices and an embedded centre, and a way to wait on it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.settings import KioskConfig
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock
from tests.support import condition_source, wait_for


@contextmanager
def running_terminal(config: KioskConfig, clock: FakeClock | None = None) -> Iterator[Terminal]:
    terminal = Terminal(config, clock=clock or time.monotonic, centre=centre_connector(config))
    terminal.start()
    try:
        yield terminal
    finally:
        terminal.stop()


def pump_until(terminal: Terminal, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Pump the terminal's events until ``condition`` holds (``wait_for`` with ``terminal.pump``)."""
    wait_for(condition, timeout, on_each=terminal.pump,
             describe=lambda: f"{condition_source(condition)}; the session is at {terminal.session.step}")


def walk_to_review(terminal: Terminal, item: str = "residence-permit") -> None:
    """Place the sample resident card and answer the item's questions with the first option."""
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)
    reader.place_card(samples.RESIDENT)
    pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)
    session = terminal.session
    session.choose(item)
    session.start_form()
    while session.step is Step.FORM:
        question = session.question
        session.answer(question.options[0] if question.kind == "choice" else "13812345678")
    for index in range(len(session.commitments)):
        session.set_commitment(index, True)
