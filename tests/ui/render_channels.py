"""Draw the counter and instant-print channels' screens to PNGs: a counter-only item's guide,
the appointment slots, the booked slip on the receipt screen, and an instant-print
certificate the A4 printer could not print (the resident is offered the counter).

``python -m tests.ui.render_channels OUT portrait|landscape``: one orientation per process
(Kivy sizes its window once); each screen in standard then elder mode, on the street site
(its offer has every channel). Look at every PNG. ``test_channels_terminal`` and the walk by
touch test the same screens' behaviour.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.settings import load_config
from kiosk.session.booking import BookingState
from kiosk.session.outcome import PrintState, ReceiptKind
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.kiosk.kiosk_support import write_config

COUNTER_ITEM = "marriage-registration-appointment"
INSTANT_ITEM = "social-insurance-certificate"

Ready = Callable[[Terminal], bool]


def _place_card(terminal: Terminal) -> None:
    terminal.session.begin()
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)
    reader.place_card(samples.RESIDENT)


def _book_first_slot(terminal: Terminal) -> None:
    booking = terminal.session.booking
    assert booking is not None and booking.slots, "no slots offered"
    terminal.book_slot(booking.slots[0])


def _apply_for_certificate(terminal: Terminal) -> None:
    session = terminal.session
    session.home()
    _place_card(terminal)


def _fill_certificate(terminal: Terminal) -> None:
    session = terminal.session
    session.choose(INSTANT_ITEM)
    session.start_form()
    assert session.item is not None
    while session.step.value == "form":
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
    case = terminal.session.case
    return case is not None and case.certificate_state is PrintState.FAILED


STEPS: list[tuple[str, Callable[[Terminal], object], Ready]] = [
    ("guide-counter-only", lambda t: t.session.choose(COUNTER_ITEM), lambda t: t.session.step.value == "guide"),
    ("appointment-slots", lambda t: t.start_appointment(), _slots_shown),
    ("appointment-booked", _book_first_slot, _booked),
    ("choose-again", _apply_for_certificate, lambda t: t.session.step.value == "choose"),
    ("certificate-not-printed", _fill_certificate, _certificate_failed),
]


def render(out: Path, orientation: str) -> int:
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp())
    config = load_config(write_config(data, {"site": "sites/street.toml"}))
    config = dataclasses.replace(config, ui=dataclasses.replace(config.ui, orientation=orientation,
                                                                 developer_panel=False))
    prepare_kivy(config, orientation)
    from kivy.clock import Clock

    terminal = Terminal(config, centre=centre_connector(config))
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session = terminal.session
    failures: list[str] = []
    plan: list[tuple[Callable[[], object], Ready | None]] = [(partial(_place_card, terminal), None)]

    def elder_mode(on: bool) -> None:
        if session.elder_mode != on:
            session.toggle_elder_mode()

    def save(name: str, elder: bool) -> None:
        app.root.export_to_png(str(out / f"{orientation}-{'elder' if elder else 'standard'}-{name}.png"))

    for name, action, ready in STEPS:
        plan.append((partial(action, terminal), ready))
        for elder in (False, True):
            plan += [(partial(elder_mode, elder), None), (partial(save, name, elder), None)]
        plan.append((partial(elder_mode, False), None))

    def advance(_dt: float, waited: int = 0) -> None:
        terminal.pump()
        if not plan:
            app.stop()
            return
        step, ready = plan[0]
        try:
            if ready is None or waited == 0:
                step()
            if ready is not None and not ready(terminal):
                if waited > 60:
                    raise AssertionError(f"{step} did not reach its screen")
                Clock.schedule_once(partial(advance, waited=waited + 1), 0.25)
                return
        except Exception:  # noqa: BLE001 - reported after the window closes
            failures.append(traceback.format_exc())
            app.stop()
            return
        plan.pop(0)
        Clock.schedule_once(advance, 0.8)

    Clock.schedule_once(advance, 0.5)
    try:
        app.run()
    finally:
        terminal.stop()
    for failure in failures:
        print(failure, file=sys.__stderr__)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(render(Path(sys.argv[1]), sys.argv[2]))
