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

from kivy.uix.widget import Widget

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.settings import KioskConfig
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from screens.screenshot import save_screen
from tests.ui.ui_support import skip_window_frames

READY_WAIT_S = 90.0  # a receipt through the wire simulator, beside the whole suite on 2 cores (40 s once fell short)
SETTLE_POLL_S = 0.1
Inspect = Callable[[object, str, bool, Path], list[str]]


@dataclass(frozen=True)
class RenderStep:
    """``action`` moves the kiosk on; the PNG is taken once ``ready`` holds (at once if None)."""

    name: str
    action: Callable[[Terminal, object], object]
    ready: Callable[[Terminal], bool] | None = None


def place_card(terminal: Terminal, _app: object = None) -> None:
    """Begin (unless already asked for a card) and place the sample resident's card on the
    in-process reader."""
    if terminal.session.step is not Step.IDENTIFY:
        terminal.session.begin()
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader), "rendering needs the in-process card reader"
    reader.place_card(samples.RESIDENT)


def card_read(terminal: Terminal) -> bool:
    """The card placed by ``place_card`` has been read: the resident chooses an item now."""
    return terminal.session.step is Step.CHOOSE


def layout_signature(root: Widget) -> tuple[tuple[float, ...], ...]:
    """Every widget's place, size and texture: equal on two frames once the layout has settled."""
    return tuple(
        (*widget.pos, *widget.size, *getattr(widget, "texture_size", ()), widget.opacity)
        for widget in root.walk()
    )


def where(terminal: Terminal) -> str:
    """What a step that never got ready left behind: the step, screen and what the resident is told."""
    session = terminal.session
    said = session.error_message or session.notice_message
    booking = f", booking {session.booking.state.value}" if session.booking is not None else ""
    case = session.case
    printed = "" if case is None else f", receipt {case.print_state.value}" + (
        f" ({case.print_message})" if case.print_problem is not None else "") + (
        f", certificate {case.certificate_state.value}" if case.certificate_state is not None else "")
    return (f"step {session.step.name}, screen {terminal.screen_name}{booking}{printed}"
            + (f", says {said!r}" if said else ""))


def render(config: KioskConfig, orientation: str, out: Path, steps: list[RenderStep],
           inspect: Inspect | None = None, first: Callable[[Terminal], object] | None = place_card,
           modes: tuple[bool, ...] = (False, True)) -> int:
    """Run ``steps`` after a card is placed; write ``out/<orientation>-<mode>-<name>.png``.

    ``modes``: elder mode off and on (the default), or one of them.
    ``inspect(app, name, elder, png)`` runs on each PNG as it is written and returns what is
    wrong with the screen (the layout audit). Returns 1 (and prints why) when a step failed,
    never got ready, or ``inspect`` found anything."""
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp())
    config = dataclasses.replace(config, data_dir=data, outbox_key_file=data / config.outbox_key_file.name,
                                 ui=dataclasses.replace(config.ui, orientation=orientation, developer_panel=False))
    prepare_kivy(config, orientation)
    from kivy.clock import Clock

    skip_window_frames()  # each PNG draws the widget tree itself (see ``tests.ui.ui_support``)
    terminal = Terminal(config, centre=centre_connector(config))
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session = terminal.session
    failures: list[str] = []

    def elder_mode(on: bool) -> None:
        if session.elder_mode != on:
            session.toggle_elder_mode()

    def save(name: str, elder: bool) -> None:
        png = out / f"{orientation}-{'elder' if elder else 'standard'}-{name}.png"
        save_screen(app.root, str(png))
        if inspect is not None:
            failures.extend(f"{png.name}: {problem}" for problem in inspect(app, name, elder, png))

    # (what to do, what it waits for after, whether it waits for a still screen before): a PNG
    # is drawn only once the screen has stopped changing, as the events pumped just before it
    # may have changed what it shows (a receipt that finished printing).
    plan: list[tuple[Callable[[], object], Callable[[Terminal], bool] | None, bool]] = []
    if first is not None:  # a card placed is read a moment later (longer on a busy machine)
        plan.append((partial(first, terminal), card_read if first is place_card else None, False))
    for step in steps:
        plan.append((partial(step.action, terminal, app), step.ready, False))
        for elder in modes:
            plan += [(partial(elder_mode, elder), None, False), (partial(save, step.name, elder), None, True)]
        plan.append((partial(elder_mode, False), None, False))

    last: list[object] = [None]

    def advance(_dt: float, waited: float = 0.0) -> None:
        terminal.pump()
        if not plan:
            app.stop()
            return
        action, ready, still_first = plan[0]
        try:
            if waited == 0.0 and not still_first:
                action()
            settled = layout_signature(app.root)
            still_moving = settled != last[0] or app.root.manager.transition.is_active
            last[0] = settled
            if still_moving or (ready is not None and not ready(terminal)):
                if waited > READY_WAIT_S:
                    why = "its layout kept moving" if still_moving else "it never got ready"
                    raise AssertionError(f"{action} failed within {READY_WAIT_S:g} s: {why} "
                                         f"({where(terminal)})")
                # the resident is at the screen while it gets ready: on a busy machine a slow
                # step must not end the session by inactivity and hide what kept it waiting
                terminal.session.touched()
                Clock.schedule_once(partial(advance, waited=waited + SETTLE_POLL_S), SETTLE_POLL_S)
                return
            if still_first:
                action()
        except Exception:  # noqa: BLE001 - reported after the window closes
            failures.append(traceback.format_exc())
            app.stop()
            return
        plan.pop(0)
        last[0] = None
        Clock.schedule_once(advance, 0)

    Clock.schedule_once(advance, 0.5)
    try:
        app.run()
    finally:
        terminal.stop()
    for failure in failures:
        print(failure, file=sys.__stderr__)  # Kivy holds sys.stderr
    return 1 if failures else 0
