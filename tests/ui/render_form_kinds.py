"""Draw the form for every keyboard, the review with many rows and the guide, to PNGs.

``python -m tests.ui.render_form_kinds OUT portrait|landscape``: one orientation per process
(Kivy sizes its window once); each screen in standard then elder mode. Look at every PNG.
The session is driven through its actions; ``test_form_kinds`` does it with real touches.
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
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.ui.form_kinds_support import ITEM, VALID_ID_NUMBER, kinds_config

Action = Callable[[Terminal, object], object]


def _answer(value: str) -> Action:
    return lambda terminal, app: terminal.session.answer(value)


def _open_region(terminal: Terminal, app: object) -> None:
    picker = app.root.manager.get_screen("form").current  # type: ignore[attr-defined]
    for code in ("320000", "320100", "320111"):
        picker.pick(code)


def _help(terminal: Terminal, app: object) -> None:
    app.root.manager.get_screen("form").show_help()  # type: ignore[attr-defined]


def _to_review(terminal: Terminal, app: object) -> None:
    session = terminal.session
    session.answer("4")
    for number in range(1, 5):
        session.answer("欧阳建华" if number % 2 else "阿依古丽·买买提")
        session.answer("child")
    session.answer("pickup")


STEPS: list[tuple[str, Action]] = [
    ("guide", lambda t, a: t.session.choose(ITEM)),
    ("form-options", lambda t, a: t.session.start_form()),
    ("form-help", _help),
    ("form-multi", _answer("illness")),
    ("form-yes-no", _answer("cash|medical")),
    ("form-pinyin-name", _answer("yes")),
    ("form-id-number", _answer("欧阳建华")),
    ("form-id-number-error", _answer("110105194912310021")),
    ("form-date", _answer(VALID_ID_NUMBER)),
    ("form-decimal", _answer("2026-11-20")),
    ("form-region", _answer("3256.5")),
    ("form-region-streets", _open_region),
    ("form-pinyin-address", _answer("320111002")),
    ("form-digits", _answer("浦珠北路18号柳州新村3栋2单元501室")),
    ("form-group-count", _answer("13812345678")),
    ("review", _to_review),
]


def render(out: Path, orientation: str) -> int:
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp())
    config = kinds_config(load_config())
    config = dataclasses.replace(config, data_dir=data, outbox_key_file=data / config.outbox_key_file.name,
                                 ui=dataclasses.replace(config.ui, orientation=orientation, developer_panel=False))
    prepare_kivy(config, orientation)
    from kivy.clock import Clock

    terminal = Terminal(config, centre=centre_connector(config))
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session = terminal.session
    failures: list[str] = []
    plan: list[Callable[[], object]] = []

    def place_card() -> None:
        session.begin()
        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        reader.place_card(samples.RESIDENT)

    def elder_mode(on: bool) -> None:
        if session.elder_mode != on:
            session.toggle_elder_mode()

    def save(name: str, elder: bool) -> None:
        mode = "elder" if elder else "standard"
        app.root.export_to_png(str(out / f"{orientation}-{mode}-{name}.png"))

    plan.append(place_card)
    for name, action in STEPS:
        plan.append(partial(action, terminal, app))
        for elder in (False, True):
            plan += [partial(elder_mode, elder), partial(save, name, elder)]
        plan.append(partial(elder_mode, False))

    def advance(_dt: float) -> None:
        terminal.pump()
        if not plan:
            app.stop()
            return
        try:
            plan.pop(0)()
        except Exception:  # noqa: BLE001 - reported after the window closes
            failures.append(traceback.format_exc())
            app.stop()
            return
        Clock.schedule_once(advance, 0.8)

    Clock.schedule_once(advance, 0.5)
    try:
        app.run()
    finally:
        terminal.stop()
    if session.step is not Step.REVIEW:
        failures.append(f"ended on {session.step}, not the review")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(render(Path(sys.argv[1]), sys.argv[2]))
