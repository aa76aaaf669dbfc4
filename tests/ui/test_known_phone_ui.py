"""A phone number the kiosk already knows, confirmed with one tap, by touch in a real window:
a resident logged in with the app's code (which carries the mobile number the app verified)
is asked "是 139****5678 吗？" instead of typing eleven digits; "用别的号码" gives the keypad;
the whole number is never shown or said."""

from __future__ import annotations

import pytest

from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.devices.developer import SAMPLE_PHONE, DeveloperControls
from kiosk.messages import MessageId, message, say
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.ui.ui_support import exists, find, run_with_script, tap, turn_to, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]

ITEM = "residence-permit"  # its first question is the mobile number


def test_a_known_phone_is_confirmed_with_one_tap_or_typed_anew(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    terminal = Terminal(config, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session = terminal.session

    def screen() -> str:
        return str(app.root.manager.current)

    def spoken() -> str:
        said = app.root.voice_guide._said  # what the voice guide said last (screen, words, language)
        return said[1] if said else ""

    def to_phone_question():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: screen() == "attract" and terminal.link is not None)
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify")
        DeveloperControls(terminal).run("qr:login")  # the app's login code held to the scanner
        yield from until(lambda: screen() == "choose")
        yield 0.2  # the tiles are laid out
        yield from turn_to(root, f"item-{ITEM}")
        tap(find(root, f"item-{ITEM}"))
        yield from until(lambda: screen() == "guide")
        tap(find(root, "start-form"))
        yield from until(lambda: screen() == "form")

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from to_phone_question()
        asked = say(message(MessageId.UI_FORM_KNOWN_PHONE, phone="139****5678"))
        assert find(root, "known-phone").text == asked
        assert not exists(root, "key-1")  # no keypad: one tap answers
        yield from until(lambda: "5678" in spoken())
        assert SAMPLE_PHONE not in spoken() and SAMPLE_PHONE not in find(root, "known-phone").text

        tap(find(root, "known-phone-other"))  # another number: the keypad, nothing answered
        yield from until(lambda: exists(root, "key-1"))
        assert not exists(root, "known-phone") and "phone" not in session.answers
        tap(find(root, "home"))
        yield from until(lambda: screen() == "attract")

        yield from to_phone_question()  # the next resident: offered again
        tap(find(root, "known-phone-yes"))
        yield from until(lambda: session.step is Step.FORM and session.form_index == 1)
        assert session.answers["phone"] == SAMPLE_PHONE
        tap(find(root, "back"))  # back to it: the answer stands, on the keypad to change
        yield from until(lambda: session.form_index == 0 and exists(root, "key-1"))
        assert find(root, "typed-value").text.replace(" ", "") == SAMPLE_PHONE

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()
