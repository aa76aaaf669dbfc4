"""A started terminal on simulated devices and an embedded centre, and a way to wait on it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.settings import KioskConfig
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock, load_test_config


@contextmanager
def running_terminal(tmp_path: Path, clock: FakeClock | None = None, **config: object) -> Iterator[Terminal]:
    cfg: KioskConfig = load_test_config(tmp_path, **config)  # type: ignore[arg-type]
    terminal = Terminal(cfg, clock=clock or time.monotonic, centre=centre_connector(cfg))
    terminal.start()
    try:
        yield terminal
    finally:
        terminal.stop()


def wait_for(terminal: Terminal, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Pump the terminal's events until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        terminal.pump()
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; the session is at {terminal.session.step}")
        time.sleep(0.01)


def walk_to_review(terminal: Terminal, item: str = "residence-permit") -> None:
    """Place the sample resident card and answer the item's questions with the first option."""
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)
    reader.place_card(samples.RESIDENT)
    wait_for(terminal, lambda: terminal.session.step is Step.CHOOSE)
    session = terminal.session
    session.choose(item)
    session.start_form()
    while session.step is Step.FORM:
        question = session.question
        session.answer(question.options[0] if question.kind == "choice" else "13812345678")
    for index in range(len(session.commitments)):
        session.set_commitment(index, True)
