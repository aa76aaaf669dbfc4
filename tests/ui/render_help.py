"""Draw assisted mode and the help call-back to PNGs: identify waiting for the staff code, a
code that is not one refused, the staff member known; the call-back form typed, refused for
want of consent, sent, failed, and confirming the number the session already knows.

``python -m tests.ui.render_help OUT portrait|landscape``: each screen in standard then elder
mode, on the community site (open 24 hours, staffed 08:30-17:30), at 22:00. Look at every PNG.
``test_assisted_ui`` and ``test_callback_ui`` test the same screens' behaviour.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.cli.embedded_centre import IDENTITY_KEY_FILE, DevelopmentIdentityAuthority
from kiosk.config.settings import load_config
from kiosk.delivery.callbacks import CallbackSender
from kiosk.session.callback import CallbackState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import write_config
from tests.ui.render_support import RenderStep, place_card, render


def night() -> datetime:
    return datetime.now().astimezone().replace(hour=22, minute=0)


def _identify(terminal: Terminal, _app: Any) -> None:
    terminal.session.home()
    terminal.devices.id_card.remove_card()  # type: ignore[attr-defined]
    terminal.session.begin()


def _assisted_waiting(terminal: Terminal, _app: Any) -> None:
    terminal.session.home()
    terminal.session.begin()
    terminal.identification.ask_for_staff()


def _not_a_staff_code(terminal: Terminal, _app: Any) -> None:
    terminal.devices.qr.scan("https://example.com/not-a-staff-code")  # type: ignore[attr-defined]


def _staff_code(terminal: Terminal, _app: Any) -> None:
    config = terminal.config
    staff = DevelopmentIdentityAuthority(Path(config.data_dir) / IDENTITY_KEY_FILE, config.site.code_audience)
    terminal.devices.qr.scan(staff.staff_code("0427"))  # type: ignore[attr-defined]


def _open_help(terminal: Terminal, app: Any) -> None:
    terminal.session.home()
    form = app.root.callback
    form.now = night
    app.root.footer.help_action()
    form.type("1381234")


def _no_consent(_terminal: Terminal, app: Any) -> None:
    form = app.root.callback
    form.type("13812345678")
    form.send()


def _send(_terminal: Terminal, app: Any) -> None:
    form = app.root.callback
    form.set_consent(True)
    form.send()


def _fail(_terminal: Terminal, app: Any) -> None:
    form = app.root.callback
    form.close()
    form.sender = CallbackSender(lambda: None, delays=())  # no centre to be had
    app.root.footer.help_action()
    form.type("13812345678")
    form.set_consent(True)
    form.send()


def _known_phone(terminal: Terminal, app: Any) -> None:
    app.root.callback.close()
    terminal.session.home()
    place_card(terminal)


def _to_review_then_help(terminal: Terminal, app: Any) -> None:
    session = terminal.session
    session.choose("residence-permit")
    session.start_form()
    while session.step is Step.FORM:
        question = session.question
        session.answer(question.options[0] if question.kind == "choice" else "13900001111")
    app.root.footer.help_action()


def _state(app_state: CallbackState) -> Any:
    return lambda t: _FORM[0] is not None and _FORM[0].state is app_state


_FORM: list[Any] = [None]


def _remember_form(step: RenderStep) -> RenderStep:
    def action(terminal: Terminal, app: Any) -> object:
        _FORM[0] = app.root.callback
        return step.action(terminal, app)
    return RenderStep(step.name, action, step.ready)


STEPS: list[RenderStep] = [_remember_form(step) for step in [
    RenderStep("identify", _identify, lambda t: t.session.step is Step.IDENTIFY and not t.session.error),
    RenderStep("identify-assisted-waiting", _assisted_waiting,
               lambda t: t.session.step is Step.IDENTIFY and t.session.assistance.waiting),
    RenderStep("identify-assisted-not-staff", _not_a_staff_code, lambda t: bool(t.session.error)),
    RenderStep("identify-assisted-staff-known", _staff_code, lambda t: t.session.assistance.staff_no is not None),
    RenderStep("callback-typing", _open_help, _state(CallbackState.EDITING)),
    RenderStep("callback-no-consent", _no_consent, lambda t: _FORM[0].problem is not None),
    RenderStep("callback-sent", _send, _state(CallbackState.SENT)),
    RenderStep("callback-failed", _fail, _state(CallbackState.FAILED)),
    RenderStep("choose", _known_phone, lambda t: t.session.step is Step.CHOOSE),
    RenderStep("callback-known-phone", _to_review_then_help,
               lambda t: _FORM[0].state is CallbackState.EDITING and _FORM[0].known is not None),
]]


if __name__ == "__main__":
    community = load_config(write_config(Path(tempfile.mkdtemp()), {"site": "sites/community.toml"}))
    sys.exit(render(community, sys.argv[2], Path(sys.argv[1]), STEPS))
