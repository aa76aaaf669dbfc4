"""Draw the form for every keyboard, the review with many rows and the guide, to PNGs.

``python -m tests.ui.render_form_kinds OUT portrait|landscape``: one orientation per process
(Kivy sizes its window once); each screen in standard then elder mode. Look at every PNG.
The session is driven through its actions; ``test_form_kinds`` does it with real touches.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.config.settings import load_config
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.ui.form_kinds_support import ITEM, VALID_ID_NUMBER, kinds_config
from tests.ui.render_support import RenderStep, render

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


STEPS: list[RenderStep] = [
    RenderStep("guide", lambda t, a: t.session.choose(ITEM)),
    RenderStep("form-options", lambda t, a: t.session.start_form()),
    RenderStep("form-help", _help),
    RenderStep("form-multi", _answer("illness")),
    RenderStep("form-yes-no", _answer("cash|medical")),
    RenderStep("form-pinyin-name", _answer("yes")),
    RenderStep("form-id-number", _answer("欧阳建华")),
    RenderStep("form-id-number-error", _answer("110105194912310021")),
    RenderStep("form-date", _answer(VALID_ID_NUMBER)),
    RenderStep("form-decimal", _answer("2026-11-20")),
    RenderStep("form-region", _answer("3256.5")),
    RenderStep("form-region-streets", _open_region),
    RenderStep("form-pinyin-address", _answer("320111002")),
    RenderStep("form-digits", _answer("浦珠北路18号柳州新村3栋2单元501室")),
    RenderStep("form-group-count", _answer("13812345678")),
    RenderStep("review", _to_review, lambda t: t.session.step is Step.REVIEW),
]


if __name__ == "__main__":
    sys.exit(render(kinds_config(load_config()), sys.argv[2], Path(sys.argv[1]), STEPS))
