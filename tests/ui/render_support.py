"""Drive a real kiosk through named steps and save each screen as a PNG, in standard then
elder mode: the shared loop of the ``render_*`` scripts (one orientation per process, since
Kivy sizes its window once). Look at every PNG they write.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.settings import KioskConfig
from kiosk.terminal import Terminal

READY_WAIT_S = 15.0


@dataclass(frozen=True)
class RenderStep:
    """``action`` moves the kiosk on; the PNG is taken once ``ready`` holds (at once if None)."""

    name: str
    action: Callable[[Terminal, object], object]
    ready: Callable[[Terminal], bool] | None = None


def place_card(terminal: Terminal, _app: object = None) -> None:
    """Begin and place the sample resident's card on the in-process reader."""
    terminal.session.begin()
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader), "rendering needs the in-process card reader"
    reader.place_card(samples.RESIDENT)


def render(config: KioskConfig, orientation: str, out: Path, steps: list[RenderStep]) -> int:
    """Run ``steps`` after a card is placed; write ``out/<orientation>-<mode>-<name>.png``.
    Returns 1 (and prints why) when a step failed or never got ready."""
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp())
    config = dataclasses.replace(config, data_dir=data, outbox_key_file=data / config.outbox_key_file.name,
                                 ui=dataclasses.replace(config.ui, orientation=orientation, developer_panel=False))
    prepare_kivy(config, orientation)
    from kivy.clock import Clock

    terminal = Terminal(config, centre=centre_connector(config))
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session = terminal.session
    failures: list[str] = []

    def elder_mode(on: bool) -> None:
        if session.elder_mode != on:
            session.toggle_elder_mode()

    def save(name: str, elder: bool) -> None:
        app.root.export_to_png(str(out / f"{orientation}-{'elder' if elder else 'standard'}-{name}.png"))

    plan: list[tuple[Callable[[], object], Callable[[Terminal], bool] | None]] = [(partial(place_card, terminal), None)]
    for step in steps:
        plan.append((partial(step.action, terminal, app), step.ready))
        for elder in (False, True):
            plan += [(partial(elder_mode, elder), None), (partial(save, step.name, elder), None)]
        plan.append((partial(elder_mode, False), None))

    def advance(_dt: float, waited: float = 0.0) -> None:
        terminal.pump()
        if not plan:
            app.stop()
            return
        action, ready = plan[0]
        try:
            if waited == 0.0:
                action()
            if ready is not None and not ready(terminal):
                if waited > READY_WAIT_S:
                    raise AssertionError(f"{action} did not get ready within {READY_WAIT_S:g} s")
                Clock.schedule_once(partial(advance, waited=waited + 0.25), 0.25)
                return
        except Exception:  # noqa: BLE001 - reported after the window closes
            failures.append(traceback.format_exc())
            app.stop()
            return
        plan.pop(0)
        Clock.schedule_once(advance, 0.8)  # the layout settles and fonts load

    Clock.schedule_once(advance, 0.5)
    try:
        app.run()
    finally:
        terminal.stop()
    for failure in failures:
        print(failure, file=sys.__stderr__)  # Kivy holds sys.stderr
    return 1 if failures else 0
